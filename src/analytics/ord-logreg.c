/* ord-logreg.c: L2-regularised logistic regression fitted by Newton (IRLS)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ord-logreg"

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "ord-logreg.h"

G_DEFINE_QUARK (ord-logreg-error-quark, ord_logreg_error)

/**
 * ord_logreg_options_init:
 * @options: options to fill
 *
 * Fills @options with scikit-learn's defaults: `C = 1`, an intercept, and
 * a tight convergence criterion (Newton converges quadratically, so a tight
 * one costs one or two iterations).
 */
void
ord_logreg_options_init (OrdLogRegOptions *options)
{
  g_return_if_fail (options != NULL);

  options->C = 1.0;
  options->fit_intercept = TRUE;
  options->max_iter = 100;
  options->tol = 1e-12;
}

/* log (1 + exp (t)) without overflow */
static inline double
log1pexp (double t)
{
  return t > 0.0 ? t + log1p (exp (-t)) : log1p (exp (t));
}

static inline double
sigmoid (double t)
{
  if (t >= 0.0)
    return 1.0 / (1.0 + exp (-t));
  else
    {
      double e = exp (t);

      return e / (1.0 + e);
    }
}

/* θ = (β₀…β_{p-1}, intercept) */
static double
objective (const double *x,
           const double *y,
           const double *w,
           gsize         n,
           guint         p,
           gboolean      intercept,
           double        C,
           const double *theta,
           double       *eta)
{
  double loss = 0.0, pen = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      const double *row = x + i * p;
      double e = intercept ? theta[p] : 0.0;

      for (guint j = 0; j < p; j++)
        e += row[j] * theta[j];
      eta[i] = e;
      loss += (w != NULL ? w[i] : 1.0) * (log1pexp (e) - y[i] * e);
    }
  for (guint j = 0; j < p; j++)
    pen += theta[j] * theta[j];
  return C * loss + 0.5 * pen;
}

static gboolean
check_input (const double  *x,
             const double  *y,
             const double  *w,
             gsize          n,
             guint          p,
             double        *sum_w,
             GError       **error)
{
  double pos = 0.0, neg = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      if (y[i] != 0.0 && y[i] != 1.0)
        {
          g_set_error (error, ORD_LOGREG_ERROR, ORD_LOGREG_ERROR_INVALID,
                       "Observation %" G_GSIZE_FORMAT ": the outcome must be 0 or 1, not %g",
                       i, y[i]);
          return FALSE;
        }
      if (w != NULL && (!isfinite (w[i]) || w[i] < 0.0))
        {
          g_set_error (error, ORD_LOGREG_ERROR, ORD_LOGREG_ERROR_INVALID,
                       "Observation %" G_GSIZE_FORMAT ": the weight %g must be a "
                       "non-negative number", i, w[i]);
          return FALSE;
        }
      for (guint j = 0; j < p; j++)
        if (!isfinite (x[i * p + j]))
          {
            g_set_error (error, ORD_LOGREG_ERROR, ORD_LOGREG_ERROR_INVALID,
                         "Observation %" G_GSIZE_FORMAT ", feature %u is not a finite number",
                         i, j);
            return FALSE;
          }
      if (y[i] == 1.0)
        pos += w != NULL ? w[i] : 1.0;
      else
        neg += w != NULL ? w[i] : 1.0;
    }
  if (pos == 0.0 || neg == 0.0)
    {
      g_set_error (error, ORD_LOGREG_ERROR, ORD_LOGREG_ERROR_INVALID,
                   "The outcomes are all %s: a model needs examples of both",
                   pos == 0.0 ? "0" : "1");
      return FALSE;
    }
  *sum_w = pos + neg;
  return TRUE;
}

/**
 * ord_logreg_fit:
 * @x: (array length=n*p): the features, row-major (`x[i * p + j]`)
 * @y: (array length=n): the outcomes, 0 or 1
 * @sample_weight: (nullable) (array length=n): weight of each observation,
 *   or %NULL for 1
 * @n: number of observations
 * @p: number of features
 * @options: (nullable): the options, or %NULL for the defaults
 * @error: return location for a #GError
 *
 * Fits an L2-regularised logistic regression with scikit-learn's
 * parameterisation (see #OrdLogRegOptions) by Newton's method (iteratively
 * reweighted least squares): each step solves the (p+1)×(p+1) Hessian system
 * with a Cholesky factorisation and is halved until the objective decreases.
 * Standardise the features first (ord_standardizer_fit()) so that the
 * penalty treats them alike and the explanations are comparable.
 *
 * Returns: (transfer full): the model, or %NULL with @error set
 */
OrdLogReg *
ord_logreg_fit (const double            *x,
                const double            *y,
                const double            *sample_weight,
                gsize                    n,
                guint                    p,
                const OrdLogRegOptions  *options,
                GError                 **error)
{
  OrdLogRegOptions defaults;
  g_autoptr(OrdLogReg) model = NULL;
  g_autofree double *theta = NULL;
  g_autofree double *trial = NULL;
  g_autofree double *eta = NULL;
  gsl_matrix *h = NULL;
  gsl_vector *g = NULL, *step = NULL;
  gboolean intercept;
  guint m, it;
  double sum_w, f, scale;
  double C;
  gboolean converged = FALSE;

  g_return_val_if_fail (x != NULL || n == 0, NULL);
  g_return_val_if_fail (y != NULL || n == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      ord_logreg_options_init (&defaults);
      options = &defaults;
    }
  g_return_val_if_fail (options->C > 0.0, NULL);

  if (!check_input (x, y, sample_weight, n, p, &sum_w, error))
    return NULL;

  intercept = options->fit_intercept;
  C = options->C;
  m = p + (intercept ? 1 : 0);
  if (m == 0)
    {
      g_set_error (error, ORD_LOGREG_ERROR, ORD_LOGREG_ERROR_INVALID,
                   "A model without features needs an intercept");
      return NULL;
    }

  theta = g_new0 (double, p + 1);
  trial = g_new0 (double, p + 1);
  eta = g_new (double, n);
  h = gsl_matrix_alloc (m, m);
  g = gsl_vector_alloc (m);
  step = gsl_vector_alloc (m);
  scale = 1.0 + C * sum_w;

  f = objective (x, y, sample_weight, n, p, intercept, C, theta, eta);

  for (it = 0; it < options->max_iter; it++)
    {
      double gmax = 0.0, decrement = 0.0, t = 1.0, f_new = f;
      int status;

      gsl_matrix_set_zero (h);
      gsl_vector_set_zero (g);

      /* Gradient C·Xᵀ(w∘(π−y)) + β and Hessian C·Xᵀ diag(w π (1−π)) X + I. */
      for (gsize i = 0; i < n; i++)
        {
          const double *row = x + i * p;
          double wi = sample_weight != NULL ? sample_weight[i] : 1.0;
          double pi = sigmoid (eta[i]);
          double r = C * wi * (pi - y[i]);
          double s = C * wi * pi * (1.0 - pi);

          for (guint j = 0; j < p; j++)
            {
              double *hj = gsl_matrix_ptr (h, j, 0);
              double sx = s * row[j];

              g->data[j] += r * row[j];
              for (guint l = 0; l <= j; l++)
                hj[l] += sx * row[l];
              if (intercept)
                gsl_matrix_ptr (h, p, 0)[j] += sx;
            }
          if (intercept)
            {
              g->data[p] += r;
              gsl_matrix_ptr (h, p, 0)[p] += s;
            }
        }
      for (guint j = 0; j < p; j++)
        {
          g->data[j] += theta[j];
          gsl_matrix_ptr (h, j, 0)[j] += 1.0;
        }
      for (guint j = 0; j < m; j++)
        {
          gmax = MAX (gmax, fabs (g->data[j]));
          for (guint l = 0; l < j; l++)
            gsl_matrix_set (h, l, j, gsl_matrix_get (h, j, l));
        }

      if (gmax <= options->tol * scale)
        {
          converged = TRUE;
          break;
        }

      status = gsl_linalg_cholesky_decomp1 (h);
      if (status != GSL_SUCCESS)
        {
          /* Only the unpenalised intercept can make H singular; nudge it. */
          for (guint j = 0; j < m; j++)
            for (guint l = 0; l < j; l++)
              gsl_matrix_set (h, j, l, gsl_matrix_get (h, l, j));
          for (guint j = 0; j < m; j++)
            *gsl_matrix_ptr (h, j, j) += 1e-10 * scale;
          status = gsl_linalg_cholesky_decomp1 (h);
        }
      if (status == GSL_SUCCESS)
        status = gsl_linalg_cholesky_solve (h, g, step);
      if (status != GSL_SUCCESS)
        {
          g_set_error (error, ORD_LOGREG_ERROR, ORD_LOGREG_ERROR_FAILED,
                       "The Newton system could not be solved (%s); check for "
                       "duplicated or constant features", gsl_strerror (status));
          break;
        }

      for (guint j = 0; j < m; j++)
        decrement += step->data[j] * g->data[j];

      /* Backtracking (Armijo) on the full Newton step. */
      for (guint tries = 0; tries < 60; tries++)
        {
          for (guint j = 0; j < m; j++)
            trial[j] = theta[j] - t * step->data[j];
          f_new = objective (x, y, sample_weight, n, p, intercept, C, trial, eta);
          if (f_new <= f - 1e-4 * t * decrement || decrement <= 1e-30 * scale)
            break;
          t *= 0.5;
        }
      memcpy (theta, trial, sizeof (double) * m);
      if (f - f_new <= 1e-16 * fabs (f) && t < 1.0)
        {
          /* No further progress is representable. */
          converged = TRUE;
          it++;
          break;
        }
      f = f_new;
    }

  gsl_matrix_free (h);
  gsl_vector_free (g);
  gsl_vector_free (step);

  if (error != NULL && *error != NULL)
    return NULL;

  model = ord_logreg_new (p, theta, intercept ? theta[p] : 0.0);
  model->n_iter = it;
  model->converged = converged;
  return g_steal_pointer (&model);
}

/**
 * ord_logreg_new:
 * @n_features: number of features
 * @coef: (array length=n_features): the coefficients
 * @intercept: the intercept
 *
 * Makes a model from stored numbers.
 *
 * Returns: (transfer full): the model
 */
OrdLogReg *
ord_logreg_new (guint         n_features,
                const double *coef,
                double        intercept)
{
  OrdLogReg *model;

  g_return_val_if_fail (coef != NULL || n_features == 0, NULL);

  model = g_new0 (OrdLogReg, 1);
  model->n_features = n_features;
  model->coef = g_memdup2 (coef, sizeof (double) * n_features);
  model->intercept = intercept;
  model->converged = TRUE;
  return model;
}

/**
 * ord_logreg_free:
 * @model: (nullable): a model
 *
 * Frees @model.
 */
void
ord_logreg_free (OrdLogReg *model)
{
  if (model == NULL)
    return;
  g_free (model->coef);
  g_free (model);
}

/**
 * ord_logreg_decision:
 * @model: a model
 * @row: (array): the features of one observation
 *
 * Returns: the log-odds `intercept + coef · row`
 */
double
ord_logreg_decision (const OrdLogReg *model,
                     const double    *row)
{
  double e;

  g_return_val_if_fail (model != NULL, NAN);
  g_return_val_if_fail (row != NULL || model->n_features == 0, NAN);

  e = model->intercept;
  for (guint j = 0; j < model->n_features; j++)
    e += model->coef[j] * row[j];
  return e;
}

/**
 * ord_logreg_predict_proba:
 * @model: a model
 * @row: (array): the features of one observation
 *
 * Returns: the probability of the outcome 1
 */
double
ord_logreg_predict_proba (const OrdLogReg *model,
                          const double    *row)
{
  g_return_val_if_fail (model != NULL, NAN);

  return sigmoid (ord_logreg_decision (model, row));
}

/**
 * ord_logreg_predict_proba_many:
 * @model: a model
 * @x: (array length=n*n_features): the features, row-major
 * @n: number of observations
 * @proba: (out caller-allocates) (array length=n): the probabilities
 *
 * Predicts the probability of the outcome 1 for each row of @x.
 */
void
ord_logreg_predict_proba_many (const OrdLogReg *model,
                               const double    *x,
                               gsize            n,
                               double          *proba)
{
  g_return_if_fail (model != NULL);
  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (proba != NULL || n == 0);

  for (gsize i = 0; i < n; i++)
    proba[i] = sigmoid (ord_logreg_decision (model, x + i * model->n_features));
}

static int
cmp_contribution (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const OrdContribution *ca = a, *cb = b;
  double fa = fabs (ca->contribution), fb = fabs (cb->contribution);

  if (fa != fb)
    return fa > fb ? -1 : 1;
  return (ca->feature > cb->feature) - (ca->feature < cb->feature);
}

/**
 * ord_logreg_explain:
 * @model: a model fitted on standardised features
 * @row: (array): the standardised features of one observation
 * @n_top: how many contributions to return at most
 * @out: (out caller-allocates) (array length=n_top): the contributions
 *
 * Explains one prediction: the terms `coef[j] × row[j]` of the log-odds,
 * largest in absolute value first (ties by feature index). With
 * standardised features a term says how much this observation's unusual
 * value of a feature moved its log-odds away from the average observation's.
 *
 * Returns: the number of contributions written (min (@n_top, n_features))
 */
guint
ord_logreg_explain (const OrdLogReg *model,
                    const double    *row,
                    guint            n_top,
                    OrdContribution *out)
{
  g_autofree OrdContribution *all = NULL;
  guint n_out;

  g_return_val_if_fail (model != NULL, 0);
  g_return_val_if_fail (row != NULL || model->n_features == 0, 0);
  g_return_val_if_fail (out != NULL || n_top == 0, 0);

  all = g_new (OrdContribution, model->n_features + 1);
  for (guint j = 0; j < model->n_features; j++)
    {
      all[j].feature = j;
      all[j].contribution = model->coef[j] * row[j];
    }
  g_qsort_with_data (all, model->n_features, sizeof (OrdContribution),
                     cmp_contribution, NULL);
  n_out = MIN (n_top, model->n_features);
  memcpy (out, all, sizeof (OrdContribution) * n_out);
  return n_out;
}

/**
 * ord_standardizer_fit:
 * @x: (array length=n*p): the features, row-major
 * @n: number of observations (≥ 1)
 * @p: number of features
 *
 * Learns the mean and population standard deviation of each feature, as
 * scikit-learn's `StandardScaler`; a constant feature gets scale 1.
 *
 * Returns: (transfer full): the standardiser
 */
OrdStandardizer *
ord_standardizer_fit (const double *x,
                      gsize         n,
                      guint         p)
{
  OrdStandardizer *s;

  g_return_val_if_fail (x != NULL, NULL);
  g_return_val_if_fail (n > 0, NULL);

  s = g_new0 (OrdStandardizer, 1);
  s->n_features = p;
  s->mean = g_new0 (double, p);
  s->scale = g_new0 (double, p);
  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < p; j++)
      s->mean[j] += x[i * p + j];
  for (guint j = 0; j < p; j++)
    s->mean[j] /= (double) n;
  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < p; j++)
      {
        double t = x[i * p + j] - s->mean[j];
        s->scale[j] += t * t;
      }
  for (guint j = 0; j < p; j++)
    {
      double sd = sqrt (s->scale[j] / (double) n);

      /* as scikit-learn: scales that are zero up to rounding become 1 */
      s->scale[j] = sd < 10.0 * DBL_EPSILON || sd <= 1e-12 * fabs (s->mean[j]) ? 1.0 : sd;
    }
  return s;
}

/**
 * ord_standardizer_transform:
 * @standardizer: a standardiser
 * @x: (array length=n*n_features): the features, row-major
 * @n: number of observations
 * @out: (out caller-allocates) (array length=n*n_features): the standardised
 *   features; may be @x itself
 *
 * Computes `(x - mean) / scale` for each feature.
 */
void
ord_standardizer_transform (const OrdStandardizer *standardizer,
                            const double          *x,
                            gsize                  n,
                            double                *out)
{
  guint p;

  g_return_if_fail (standardizer != NULL);
  g_return_if_fail (x != NULL || n == 0);
  g_return_if_fail (out != NULL || n == 0);

  p = standardizer->n_features;
  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < p; j++)
      out[i * p + j] = (x[i * p + j] - standardizer->mean[j]) / standardizer->scale[j];
}

/**
 * ord_standardizer_free:
 * @standardizer: (nullable): a standardiser
 *
 * Frees @standardizer.
 */
void
ord_standardizer_free (OrdStandardizer *standardizer)
{
  if (standardizer == NULL)
    return;
  g_free (standardizer->mean);
  g_free (standardizer->scale);
  g_free (standardizer);
}
