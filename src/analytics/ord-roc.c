/* ord-roc.c: ROC AUC, ROC curve, calibration table and Brier score
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ord-roc"

#include "config.h"

#include <math.h>

#include "ord-roc.h"

static int
cmp_index_by_score_desc (gconstpointer a,
                         gconstpointer b,
                         gpointer      user_data)
{
  const double *s = user_data;
  gsize ia = *(const gsize *) a, ib = *(const gsize *) b;

  if (s[ia] != s[ib])
    return s[ia] > s[ib] ? -1 : 1;
  return (ia > ib) - (ia < ib);
}

static gsize *
order_desc (const double *scores,
            gsize         n)
{
  gsize *order = g_new (gsize, n);

  for (gsize i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof (gsize), cmp_index_by_score_desc, (gpointer) scores);
  return order;
}

/**
 * ord_roc_auc:
 * @scores: (array length=n): a score per observation, higher meaning
 *   "more likely positive" (a probability or a log-odds)
 * @y: (array length=n): the outcomes, 1 positive, anything else negative
 * @n: number of observations
 *
 * The area under the ROC curve: the probability that a random positive
 * scores above a random negative, ties counting one half. This equals
 * scikit-learn's `roc_auc_score`, which joins tied scores by a straight
 * segment (the Mann–Whitney statistic with average ranks).
 *
 * Returns: the AUC in [0, 1], or NAN without both classes or with a score
 *   that is not a number
 */
double
ord_roc_auc (const double *scores,
             const double *y,
             gsize         n)
{
  g_autofree gsize *order = NULL;
  double n_pos = 0.0, n_neg = 0.0, area = 0.0, neg_above = 0.0;
  gsize i = 0;

  g_return_val_if_fail (scores != NULL || n == 0, NAN);
  g_return_val_if_fail (y != NULL || n == 0, NAN);

  for (gsize j = 0; j < n; j++)
    {
      if (isnan (scores[j]))
        return NAN;
      if (y[j] == 1.0)
        n_pos++;
      else
        n_neg++;
    }
  if (n_pos == 0.0 || n_neg == 0.0)
    return NAN;

  /* Walk tie groups from the top: each positive beats the negatives below
   * it, and ties with the negatives of its own group count one half. */
  order = order_desc (scores, n);
  while (i < n)
    {
      gsize j = i;
      double pos = 0.0, neg = 0.0;

      while (j < n && scores[order[j]] == scores[order[i]])
        {
          if (y[order[j]] == 1.0)
            pos++;
          else
            neg++;
          j++;
        }
      area += pos * (n_neg - neg_above - neg) + 0.5 * pos * neg;
      neg_above += neg;
      i = j;
    }
  return area / (n_pos * n_neg);
}

/**
 * ord_roc_curve:
 * @scores: (array length=n): a score per observation
 * @y: (array length=n): the outcomes, 1 positive, anything else negative
 * @n: number of observations
 * @fpr: (out) (transfer full) (array): false positive rates
 * @tpr: (out) (transfer full) (array): true positive rates
 * @thresholds: (out) (optional) (transfer full) (array): the thresholds,
 *   decreasing; the first is +∞ (no observation selected)
 *
 * The ROC curve at every distinct score (as scikit-learn's `roc_curve` with
 * `drop_intermediate=False`), starting at (0, 0).
 *
 * Returns: the number of points (distinct scores + 1), or 0 without both
 *   classes (the arrays are then %NULL)
 */
gsize
ord_roc_curve (const double  *scores,
               const double  *y,
               gsize          n,
               double       **fpr,
               double       **tpr,
               double       **thresholds)
{
  g_autofree gsize *order = NULL;
  double n_pos = 0.0, n_neg = 0.0, tp = 0.0, fp = 0.0;
  gsize m = 1, i = 0;

  g_return_val_if_fail (scores != NULL || n == 0, 0);
  g_return_val_if_fail (y != NULL || n == 0, 0);
  g_return_val_if_fail (fpr != NULL && tpr != NULL, 0);

  *fpr = *tpr = NULL;
  if (thresholds != NULL)
    *thresholds = NULL;

  for (gsize j = 0; j < n; j++)
    {
      if (y[j] == 1.0)
        n_pos++;
      else
        n_neg++;
    }
  if (n_pos == 0.0 || n_neg == 0.0)
    return 0;

  order = order_desc (scores, n);
  *fpr = g_new (double, n + 1);
  *tpr = g_new (double, n + 1);
  if (thresholds != NULL)
    *thresholds = g_new (double, n + 1);
  (*fpr)[0] = (*tpr)[0] = 0.0;
  if (thresholds != NULL)
    (*thresholds)[0] = INFINITY;

  while (i < n)
    {
      double s = scores[order[i]];

      while (i < n && scores[order[i]] == s)
        {
          if (y[order[i]] == 1.0)
            tp++;
          else
            fp++;
          i++;
        }
      (*fpr)[m] = fp / n_neg;
      (*tpr)[m] = tp / n_pos;
      if (thresholds != NULL)
        (*thresholds)[m] = s;
      m++;
    }
  return m;
}

/**
 * ord_brier_score:
 * @proba: (array length=n): predicted probabilities of the outcome 1
 * @y: (array length=n): the outcomes, 0 or 1
 * @n: number of observations
 *
 * Returns: the mean squared difference between prediction and outcome
 *   (0 is perfect), or NAN when @n is 0
 */
double
ord_brier_score (const double *proba,
                 const double *y,
                 gsize         n)
{
  double s = 0.0;

  g_return_val_if_fail (proba != NULL || n == 0, NAN);
  g_return_val_if_fail (y != NULL || n == 0, NAN);

  if (n == 0)
    return NAN;
  for (gsize i = 0; i < n; i++)
    {
      double t = proba[i] - (y[i] == 1.0 ? 1.0 : 0.0);
      s += t * t;
    }
  return s / (double) n;
}

/**
 * ord_calibration_table:
 * @proba: (array length=n): predicted probabilities of the outcome 1
 * @y: (array length=n): the outcomes, 0 or 1
 * @n: number of observations
 * @n_bins: number of bins wanted (10 gives deciles)
 * @bins: (out caller-allocates) (array length=n_bins): the table
 *
 * Sorts the observations by predicted probability and cuts them into
 * @n_bins groups of (nearly) equal size; for each, the mean prediction and
 * the observed rate. A well-calibrated model has the two close in every
 * bin. Equal predictions at a boundary may fall in either neighbouring bin.
 *
 * Returns: the number of bins filled: min (@n_bins, @n)
 */
guint
ord_calibration_table (const double      *proba,
                       const double      *y,
                       gsize              n,
                       guint              n_bins,
                       OrdCalibrationBin *bins)
{
  g_autofree gsize *order = NULL;
  guint used;

  g_return_val_if_fail (proba != NULL || n == 0, 0);
  g_return_val_if_fail (y != NULL || n == 0, 0);
  g_return_val_if_fail (bins != NULL || n_bins == 0, 0);

  used = (guint) MIN ((gsize) n_bins, n);
  if (used == 0)
    return 0;

  order = order_desc (proba, n);
  for (guint b = 0; b < used; b++)
    {
      /* ascending bins: bin 0 holds the lowest predictions */
      gsize lo = (gsize) ((guint64) b * n / used);
      gsize hi = (gsize) ((guint64) (b + 1) * n / used);
      OrdCalibrationBin *bin = &bins[b];
      double sp = 0.0, sy = 0.0;

      bin->n = hi - lo;
      bin->min_predicted = G_MAXDOUBLE;
      bin->max_predicted = -G_MAXDOUBLE;
      for (gsize r = lo; r < hi; r++)
        {
          gsize i = order[n - 1 - r];

          sp += proba[i];
          sy += y[i] == 1.0 ? 1.0 : 0.0;
          bin->min_predicted = MIN (bin->min_predicted, proba[i]);
          bin->max_predicted = MAX (bin->max_predicted, proba[i]);
        }
      bin->mean_predicted = sp / (double) bin->n;
      bin->observed_rate = sy / (double) bin->n;
    }
  return used;
}
