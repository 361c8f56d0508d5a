/* ord-stl.c: STL seasonal-trend decomposition by loess (Cleveland et al. 1990)
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inner loop (cycle-subseries smoothing, low-pass filter, trend
 * smoothing) and the outer robustness loop follow the 1990 paper with the
 * settings R's stl() uses by default, so results match R's decomposition.
 */

#define G_LOG_DOMAIN "ord-stl"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ord-forecast-private.h"

typedef struct {
  guint np;       /* period */
  guint ns, nt, nl;
  guint isdeg, itdeg, ildeg;
  guint nsjump, ntjump, nljump;
  guint ni, no;
} StlParams;

/* Loess estimate at abscissa xs (1-based positions) from y[nleft..nright]
 * (1-based, inclusive); FALSE when all weights vanish. */
static gboolean
loess_est (const double *y,
           gsize         n,
           guint         len,
           guint         ideg,
           double        xs,
           double       *ys,
           gsize         nleft,
           gsize         nright,
           double       *w,
           gboolean      userw,
           const double *rw)
{
  double range = (double) n - 1.0, h, h9, h1, a = 0;
  gsize j;

  h = MAX (xs - (double) nleft, (double) nright - xs);
  if (len > n)
    h += (double) ((len - n) / 2);
  h9 = 0.999 * h;
  h1 = 0.001 * h;

  for (j = nleft; j <= nright; j++)
    {
      double r = fabs ((double) j - xs);

      w[j - 1] = 0;
      if (r <= h9)
        {
          if (r <= h1)
            w[j - 1] = 1;
          else
            {
              double q = r / h;
              q = 1 - q * q * q;
              w[j - 1] = q * q * q;
            }
          if (userw)
            w[j - 1] *= rw[j - 1];
          a += w[j - 1];
        }
    }
  if (a <= 0)
    return FALSE;

  for (j = nleft; j <= nright; j++)
    w[j - 1] /= a;
  if (h > 0 && ideg > 0)
    {
      double b, c = 0;

      a = 0;
      for (j = nleft; j <= nright; j++)
        a += w[j - 1] * (double) j;
      b = xs - a;
      for (j = nleft; j <= nright; j++)
        c += w[j - 1] * ((double) j - a) * ((double) j - a);
      if (sqrt (c) > 0.001 * range)
        {
          b /= c;
          for (j = nleft; j <= nright; j++)
            w[j - 1] *= b * ((double) j - a) + 1.0;
        }
    }
  *ys = 0;
  for (j = nleft; j <= nright; j++)
    *ys += w[j - 1] * y[j - 1];
  return TRUE;
}

/* Loess smoothing of y (length n) evaluated every njump points and
 * linearly interpolated in between. */
static void
loess_smooth (const double *y,
              gsize         n,
              guint         len,
              guint         ideg,
              guint         njump,
              gboolean      userw,
              const double *rw,
              double       *ys,
              double       *res)
{
  gsize newnj, i, j, nleft = 1, nright = n, nsh;

  if (n < 2)
    {
      ys[0] = y[0];
      return;
    }
  newnj = MIN ((gsize) njump, n - 1);
  if (newnj < 1)
    newnj = 1;
  nsh = (len + 1) / 2;

  if (len >= n)
    {
      nleft = 1;
      nright = n;
      for (i = 1; i <= n; i += newnj)
        if (!loess_est (y, n, len, ideg, (double) i, &ys[i - 1], nleft, nright, res, userw, rw))
          ys[i - 1] = y[i - 1];
    }
  else if (newnj == 1)
    {
      nleft = 1;
      nright = len;
      for (i = 1; i <= n; i++)
        {
          if (i > nsh && nright != n)
            {
              nleft++;
              nright++;
            }
          if (!loess_est (y, n, len, ideg, (double) i, &ys[i - 1], nleft, nright, res, userw, rw))
            ys[i - 1] = y[i - 1];
        }
    }
  else
    {
      for (i = 1; i <= n; i += newnj)
        {
          if (i < nsh)
            {
              nleft = 1;
              nright = len;
            }
          else if (i >= n - nsh + 1)
            {
              nleft = n - len + 1;
              nright = n;
            }
          else
            {
              nleft = i - nsh + 1;
              nright = len + i - nsh;
            }
          if (!loess_est (y, n, len, ideg, (double) i, &ys[i - 1], nleft, nright, res, userw, rw))
            ys[i - 1] = y[i - 1];
        }
    }

  if (newnj != 1)
    {
      gsize k;

      for (i = 1; i + newnj <= n; i += newnj)
        {
          double delta = (ys[i + newnj - 1] - ys[i - 1]) / (double) newnj;
          for (j = i + 1; j < i + newnj; j++)
            ys[j - 1] = ys[i - 1] + delta * (double) (j - i);
        }
      k = ((n - 1) / newnj) * newnj + 1;
      if (k != n)
        {
          if (!loess_est (y, n, len, ideg, (double) n, &ys[n - 1], nleft, nright, res, userw, rw))
            ys[n - 1] = y[n - 1];
          if (k != n - 1)
            {
              double delta = (ys[n - 1] - ys[k - 1]) / (double) (n - k);
              for (j = k + 1; j < n; j++)
                ys[j - 1] = ys[k - 1] + delta * (double) (j - k);
            }
        }
    }
}

static void
moving_average (const double *x,
                gsize         n,
                guint         len,
                double       *ave)
{
  gsize newn = n - len + 1, j;
  double v = 0;

  for (j = 0; j < len; j++)
    v += x[j];
  ave[0] = v / len;
  for (j = 1; j < newn; j++)
    {
      v = v - x[j - 1] + x[len + j - 1];
      ave[j] = v / len;
    }
}

/* Cycle-subseries smoothing, extended one period at each end:
 * season has n + 2·np values. */
static void
subseries_smooth (const double    *y,
                  gsize            n,
                  const StlParams *p,
                  gboolean         userw,
                  const double    *rw,
                  double          *season,
                  double          *w1,
                  double          *w2,
                  double          *w3,
                  double          *w4)
{
  guint j;

  for (j = 1; j <= p->np; j++)
    {
      gsize k = (n - j) / p->np + 1, i, nright, nleft;

      for (i = 1; i <= k; i++)
        w1[i - 1] = y[(i - 1) * p->np + j - 1];
      if (userw)
        for (i = 1; i <= k; i++)
          w3[i - 1] = rw[(i - 1) * p->np + j - 1];
      loess_smooth (w1, k, p->ns, p->isdeg, p->nsjump, userw, w3, w2 + 1, w4);
      nright = MIN ((gsize) p->ns, k);
      if (!loess_est (w1, k, p->ns, p->isdeg, 0.0, &w2[0], 1, nright, w4, userw, w3))
        w2[0] = w2[1];
      nleft = k >= p->ns ? k - p->ns + 1 : 1;
      if (!loess_est (w1, k, p->ns, p->isdeg, (double) (k + 1), &w2[k + 1], nleft, k, w4,
                      userw, w3))
        w2[k + 1] = w2[k];
      for (i = 1; i <= k + 2; i++)
        season[(i - 1) * p->np + j - 1] = w2[i - 1];
    }
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static void
robustness_weights (const double *y,
                    gsize         n,
                    const double *fit,
                    double       *rw,
                    double       *r)
{
  double cmad, c1, c9;
  gsize i, mid1 = n / 2 + 1, mid2 = n - mid1 + 1;

  for (i = 0; i < n; i++)
    r[i] = fabs (y[i] - fit[i]);
  for (i = 0; i < n; i++)
    rw[i] = r[i];
  qsort (r, n, sizeof (double), compare_doubles);
  cmad = 3.0 * (r[mid1 - 1] + r[mid2 - 1]);
  c9 = 0.999 * cmad;
  c1 = 0.001 * cmad;
  for (i = 0; i < n; i++)
    {
      double v = rw[i];

      if (v <= c1)
        rw[i] = 1;
      else if (v <= c9)
        {
          double u = v / cmad;
          rw[i] = (1 - u * u) * (1 - u * u);
        }
      else
        rw[i] = 0;
    }
}

static guint
next_odd (double x)
{
  long v = lround (x);

  return (guint) (v % 2 == 0 ? v + 1 : v);
}

/**
 * ord_stl_options_init:
 * @options: options to fill
 *
 * Sets R's `stlf()` choice: seasonal window 11, not robust.
 */
void
ord_stl_options_init (OrdStlOptions *options)
{
  g_return_if_fail (options != NULL);

  options->s_window = 11;
  options->robust = FALSE;
}

/**
 * ord_stl_decompose:
 * @y: (array length=n): the series, oldest first
 * @n: its length
 * @period: seasonal period (≥ 2), any length (e.g. 7, 365)
 * @options: (nullable): options, %NULL for ord_stl_options_init()
 * @out: (out): the decomposition
 * @error: return location for a #GError
 *
 * Decomposes @y into seasonal, trend and remainder with STL, as R's
 * `stl(y, s.window)` with its default spans, degrees and jumps. A
 * periodic seasonal (@s_window 0) is averaged per position in the cycle.
 *
 * Returns: %TRUE on success
 */
gboolean
ord_stl_decompose (const double         *y,
                   gsize                 n,
                   guint                 period,
                   const OrdStlOptions  *options,
                   OrdStl              **out,
                   GError              **error)
{
  OrdStlOptions defaults;
  StlParams p;
  g_autofree double *work = NULL;
  g_autofree double *rw = NULL;
  g_autofree double *season = NULL;
  g_autofree double *trend = NULL;
  double *w1, *w2, *w3, *w4, *w5;
  gboolean periodic, userw = FALSE;
  double s_window;
  OrdStl *stl;
  gsize i, wlen;
  guint k, j;

  g_return_val_if_fail (y != NULL || n == 0, FALSE);
  g_return_val_if_fail (out != NULL && *out == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    {
      ord_stl_options_init (&defaults);
      options = &defaults;
    }
  if (period < 2)
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                   "STL needs a seasonal period of at least 2, not %u", period);
      return FALSE;
    }
  if (n <= 2 * (gsize) period)
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_TOO_SHORT,
                   "series has %" G_GSIZE_FORMAT " values; STL with period %u needs more "
                   "than two full seasons (%" G_GSIZE_FORMAT " values)",
                   n, period, 2 * (gsize) period + 1);
      return FALSE;
    }
  for (i = 0; i < n; i++)
    if (!isfinite (y[i]))
      {
        g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_NO_VALUE,
                     "value %" G_GSIZE_FORMAT " of the series is not a number; "
                     "fill or remove missing values before decomposing", i + 1);
        return FALSE;
      }

  periodic = options->s_window == 0;
  s_window = periodic ? 10.0 * n + 1 : options->s_window;
  p.np = period;
  p.isdeg = 0;
  p.itdeg = 1;
  p.ildeg = 1;
  p.ns = (guint) s_window;
  p.nt = next_odd (ceil (1.5 * period / (1 - 1.5 / s_window)));
  p.nl = next_odd (period);
  p.nsjump = (guint) ceil (s_window / 10.0);
  p.ntjump = (guint) ceil (p.nt / 10.0);
  p.nljump = (guint) ceil (p.nl / 10.0);
  p.ni = options->robust ? 1 : 2;
  p.no = options->robust ? 15 : 0;
  /* as the Fortran driver: spans at least 3 and odd */
  p.ns = MAX (3, p.ns);
  p.nt = MAX (3, p.nt);
  p.nl = MAX (3, p.nl);
  if (p.ns % 2 == 0)
    p.ns++;
  if (p.nt % 2 == 0)
    p.nt++;
  if (p.nl % 2 == 0)
    p.nl++;

  wlen = n + 2 * (gsize) period;
  work = g_new0 (double, 5 * wlen);
  w1 = work;
  w2 = work + wlen;
  w3 = work + 2 * wlen;
  w4 = work + 3 * wlen;
  w5 = work + 4 * wlen;
  rw = g_new (double, n);
  season = g_new0 (double, n);
  trend = g_new0 (double, n);
  for (i = 0; i < n; i++)
    rw[i] = 1;

  for (k = 0; k <= p.no; k++)
    {
      for (j = 0; j < p.ni; j++)
        {
          for (i = 0; i < n; i++)
            w1[i] = y[i] - trend[i];
          subseries_smooth (w1, n, &p, userw, rw, w2, w3, w4, w5, season);
          /* low-pass filter of the extended cycle series */
          moving_average (w2, wlen, p.np, w3);
          moving_average (w3, wlen - p.np + 1, p.np, w1);
          moving_average (w1, wlen - 2 * p.np + 2, 3, w3);
          loess_smooth (w3, n, p.nl, p.ildeg, p.nljump, FALSE, rw, w1, w4);
          for (i = 0; i < n; i++)
            season[i] = w2[p.np + i] - w1[i];
          for (i = 0; i < n; i++)
            w1[i] = y[i] - season[i];
          loess_smooth (w1, n, p.nt, p.itdeg, p.ntjump, userw, rw, trend, w3);
        }
      if (k < p.no)
        {
          for (i = 0; i < n; i++)
            w1[i] = trend[i] + season[i];
          robustness_weights (y, n, w1, rw, w2);
          userw = TRUE;
        }
    }
  if (p.no == 0)
    for (i = 0; i < n; i++)
      rw[i] = 1;

  if (periodic)
    {
      g_autofree double *mean = g_new0 (double, period);
      g_autofree guint *count = g_new0 (guint, period);

      for (i = 0; i < n; i++)
        {
          mean[i % period] += season[i];
          count[i % period]++;
        }
      for (j = 0; j < period; j++)
        mean[j] /= count[j];
      for (i = 0; i < n; i++)
        season[i] = mean[i % period];
    }

  stl = g_new0 (OrdStl, 1);
  stl->n = n;
  stl->period = period;
  stl->remainder = g_new (double, n);
  for (i = 0; i < n; i++)
    stl->remainder[i] = y[i] - season[i] - trend[i];
  stl->seasonal = g_steal_pointer (&season);
  stl->trend = g_steal_pointer (&trend);
  stl->weights = g_steal_pointer (&rw);
  *out = stl;
  return TRUE;
}

/**
 * ord_stl_free:
 * @stl: (nullable): a decomposition
 *
 * Frees @stl.
 */
void
ord_stl_free (OrdStl *stl)
{
  if (stl == NULL)
    return;
  g_free (stl->seasonal);
  g_free (stl->trend);
  g_free (stl->remainder);
  g_free (stl->weights);
  g_free (stl);
}
