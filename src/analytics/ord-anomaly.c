/* ord-anomaly.c: outliers in a time series (robust seasonal decomposition + 3 IQR)
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The procedure follows R's forecast::tsoutliers (Hyndman): remove a strong
 * season, smooth with Friedman's super smoother, flag residuals outside
 * [Q1 − 3 IQR, Q3 + 3 IQR], interpolate through them and look once more.
 * The seasonal decomposition is our own: periodic medians of the detrended
 * series and a trend from running medians then a centred moving average,
 * alternated three times (R uses STL); it resists the outliers it is
 * looking for.
 */

#define G_LOG_DOMAIN "ord-anomaly"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ord-anomaly.h"

G_DEFINE_QUARK (ord-anomaly-error-quark, ord_anomaly_error)

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Median of v[0…n) (reorders v). */
static double
median_inplace (double *v,
                gsize   n)
{
  g_assert (n > 0);
  qsort (v, n, sizeof (double), cmp_double);
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Running median, window w (odd), shrinking symmetrically at the ends. */
static void
running_median (const double *x,
                gsize         n,
                guint         w,
                double       *out)
{
  g_autofree double *buf = g_new (double, w);
  gsize h = w / 2;

  for (gsize i = 0; i < n; i++)
    {
      gsize k = MIN (h, MIN (i, n - 1 - i));
      gsize len = 2 * k + 1;

      memcpy (buf, x + i - k, sizeof (double) * len);
      out[i] = median_inplace (buf, len);
    }
}

/* Centred moving average over one period (2×m for even m, as classical
 * decomposition does), shrinking symmetrically at the ends. */
static void
centred_average (const double *x,
                 gsize         n,
                 guint         m,
                 double       *out)
{
  gsize h = m / 2;

  for (gsize i = 0; i < n; i++)
    {
      gsize k = MIN (h, MIN (i, n - 1 - i));
      double s = 0.0, wsum = 0.0;

      for (gsize j = i - k; j <= i + k; j++)
        {
          double w = (m % 2 == 0 && k == h && (j == i - k || j == i + k)) ? 0.5 : 1.0;

          s += w * x[j];
          wsum += w;
        }
      out[i] = s / wsum;
    }
}

/**
 * ord_robust_decompose:
 * @x: (array length=n): the series, without missing values
 * @n: its length (at least 2 × @period)
 * @period: the season length (≥ 2)
 * @trend: (out caller-allocates) (array length=n): the trend
 * @seasonal: (out caller-allocates) (array length=n): the seasonal component,
 *   periodic and summing to zero over a period
 *
 * A robust additive decomposition `x = trend + seasonal + remainder`. The
 * seasonal component is the median of each season position of the
 * detrended series; the trend is a running median over one period of the
 * seasonally adjusted series, smoothed by a centred moving average. The
 * two are re-estimated in turn three times. Isolated outliers move neither.
 */
void
ord_robust_decompose (const double *x,
                      gsize         n,
                      guint         period,
                      double       *trend,
                      double       *seasonal)
{
  g_autofree double *a = NULL;
  g_autofree double *tmp = NULL;
  g_autofree double *buf = NULL;
  g_autofree double *pattern = NULL;
  guint w;

  g_return_if_fail (x != NULL && trend != NULL && seasonal != NULL);
  g_return_if_fail (period >= 2 && n >= 2 * (gsize) period);

  w = period % 2 == 1 ? period : period + 1;
  a = g_new (double, n);
  tmp = g_new (double, n);
  buf = g_new (double, n / period + 1);
  pattern = g_new (double, period);

  running_median (x, n, w, tmp);
  centred_average (tmp, n, period, trend);

  for (guint iter = 0; iter < 3; iter++)
    {
      double mean = 0.0;

      for (guint p = 0; p < period; p++)
        {
          gsize m = 0;

          for (gsize i = p; i < n; i += period)
            buf[m++] = x[i] - trend[i];
          pattern[p] = median_inplace (buf, m);
          mean += pattern[p];
        }
      mean /= period;
      for (gsize i = 0; i < n; i++)
        {
          seasonal[i] = pattern[i % period] - mean;
          a[i] = x[i] - seasonal[i];
        }
      running_median (a, n, w, tmp);
      centred_average (tmp, n, period, trend);
    }
}

/*
 * Friedman's super smoother (SUPSMU, Stanford LCS tech. report 5, 1984):
 * running-line smooths with spans 0.05, 0.2 and 0.5 of the data, the span
 * chosen point by point from smoothed cross-validated residuals. Written
 * from the published algorithm with its constants and 1-based indexing.
 */
#define SPAN_TWEETER 0.05
#define SPAN_MIDRANGE 0.2
#define SPAN_WOOFER 0.5

static void
running_lines (gsize         n,
               const double *x,
               const double *y,
               double        span,
               gboolean      want_cv,
               double        vsmlsq,
               double       *smo,
               double       *acvr)
{
#define X(j) x[(j) - 1]
#define Y(j) y[(j) - 1]
  double xm = 0.0, ym = 0.0, var = 0.0, cvar = 0.0, fbw = 0.0, fbo, tmp;
  gssize ibw = (gssize) (0.5 * span * (double) n + 0.5);
  gssize it, nn = (gssize) n;

  if (ibw < 2)
    ibw = 2;
  it = MIN (2 * ibw + 1, nn);

  for (gssize j = 1; j <= it; j++)
    {
      fbo = fbw;
      fbw += 1.0;
      xm = (fbo * xm + X (j)) / fbw;
      ym = (fbo * ym + Y (j)) / fbw;
      tmp = fbo > 0.0 ? fbw * (X (j) - xm) / fbo : 0.0;
      var += tmp * (X (j) - xm);
      cvar += tmp * (Y (j) - ym);
    }

  for (gssize j = 1; j <= nn; j++)
    {
      gssize out = j - ibw - 1, in = j + ibw;
      double a;

      if (out >= 1 && in <= nn)
        {
          double xto = X (out), xti = X (in);

          fbo = fbw;
          fbw -= 1.0;
          tmp = fbw > 0.0 ? fbo * (xto - xm) / fbw : 0.0;
          var -= tmp * (xto - xm);
          cvar -= tmp * (Y (out) - ym);
          if (fbw > 0.0)
            {
              xm = (fbo * xm - xto) / fbw;
              ym = (fbo * ym - Y (out)) / fbw;
            }
          fbo = fbw;
          fbw += 1.0;
          xm = (fbo * xm + xti) / fbw;
          ym = (fbo * ym + Y (in)) / fbw;
          tmp = fbo > 0.0 ? fbw * (xti - xm) / fbo : 0.0;
          var += tmp * (xti - xm);
          cvar += tmp * (Y (in) - ym);
        }

      a = var > vsmlsq ? cvar / var : 0.0;
      smo[j - 1] = a * (X (j) - xm) + ym;

      if (want_cv)
        {
          double h = fbw > 0.0 ? 1.0 / fbw : 0.0;

          if (var > vsmlsq)
            h += (X (j) - xm) * (X (j) - xm) / var;
          acvr[j - 1] = 0.0;
          a = 1.0 - h;
          if (a > 0.0)
            acvr[j - 1] = fabs (Y (j) - smo[j - 1]) / a;
          else if (j > 1)
            acvr[j - 1] = acvr[j - 2];
        }
    }

  /* Tied x share the average smooth. */
  for (gssize j = 1; j <= nn; j++)
    {
      gssize j0 = j;
      double sy = smo[j - 1], cnt = 1.0;

      while (j < nn && X (j + 1) <= X (j))
        {
          j++;
          sy += smo[j - 1];
          cnt += 1.0;
        }
      if (j > j0)
        for (gssize t = j0; t <= j; t++)
          smo[t - 1] = sy / cnt;
    }
#undef X
#undef Y
}

/**
 * ord_supsmu:
 * @x: (array length=n): abscissae, increasing
 * @y: (array length=n): values
 * @n: number of points (≥ 4)
 * @smooth: (out caller-allocates) (array length=n): the smoothed values
 *
 * Friedman's super smoother with the span chosen by cross-validation and
 * no bass enhancement (R's `supsmu (x, y)`): a local linear fit whose span
 * adapts to the local curvature and noise.
 */
void
ord_supsmu (const double *x,
            const double *y,
            gsize         n,
            double       *smooth)
{
  const double spans[3] = { SPAN_TWEETER, SPAN_MIDRANGE, SPAN_WOOFER };
  g_autofree double *sc = NULL;
  g_autofree double *h = NULL;
  gsize i, j;
  double scale, vsmlsq;

  g_return_if_fail (x != NULL && y != NULL && smooth != NULL);
  g_return_if_fail (n >= 4);

  if (!(x[n - 1] > x[0]))
    {
      double s = 0.0;

      for (j = 0; j < n; j++)
        s += y[j];
      for (j = 0; j < n; j++)
        smooth[j] = s / (double) n;
      return;
    }

  /* 1-based i = n/4, j = 3i as in the original */
  i = n / 4;
  j = 3 * i;
  scale = x[j - 1] - x[i - 1];
  while (scale <= 0.0)
    {
      if (j < n)
        j++;
      if (i > 1)
        i--;
      scale = x[j - 1] - x[i - 1];
    }
  vsmlsq = (1e-3 * scale) * (1e-3 * scale);

#define SC(col) (sc + ((col) - 1) * n)
  sc = g_new0 (double, 7 * n);
  h = g_new0 (double, n);

  for (guint s = 0; s < 3; s++)
    {
      running_lines (n, x, y, spans[s], TRUE, vsmlsq, SC (2 * s + 1), SC (7));
      running_lines (n, x, SC (7), SPAN_MIDRANGE, FALSE, vsmlsq, SC (2 * s + 2), h);
    }

  for (j = 0; j < n; j++)
    {
      double resmin = 1e20;

      for (guint s = 0; s < 3; s++)
        {
          if (SC (2 * s + 2)[j] < resmin)
            {
              resmin = SC (2 * s + 2)[j];
              SC (7)[j] = spans[s];
            }
        }
    }

  running_lines (n, x, SC (7), SPAN_MIDRANGE, FALSE, vsmlsq, SC (2), h);

  for (j = 0; j < n; j++)
    {
      double f;

      SC (2)[j] = CLAMP (SC (2)[j], SPAN_TWEETER, SPAN_WOOFER);
      f = SC (2)[j] - SPAN_MIDRANGE;
      if (f >= 0.0)
        {
          f /= SPAN_WOOFER - SPAN_MIDRANGE;
          SC (4)[j] = (1.0 - f) * SC (3)[j] + f * SC (5)[j];
        }
      else
        {
          f = -f / (SPAN_MIDRANGE - SPAN_TWEETER);
          SC (4)[j] = (1.0 - f) * SC (3)[j] + f * SC (1)[j];
        }
    }

  running_lines (n, x, SC (4), SPAN_TWEETER, FALSE, vsmlsq, smooth, h);
#undef SC
}

/* Linear interpolation through the NANs; constant beyond the ends. */
static void
interpolate_linear (double *x,
                    gsize   n)
{
  gssize prev = -1;

  for (gsize i = 0; i <= n; i++)
    {
      if (i < n && isnan (x[i]))
        continue;
      if (prev < 0 && i < n)
        for (gsize j = 0; j < i; j++)
          x[j] = x[i];
      else if (prev >= 0 && i == n)
        for (gsize j = (gsize) prev + 1; j < n; j++)
          x[j] = x[prev];
      else if (prev >= 0)
        {
          gsize p0 = (gsize) prev;

          for (gsize j = p0 + 1; j < i; j++)
            x[j] = x[p0] + (x[i] - x[p0]) * (double) (j - p0) / (double) (i - p0);
        }
      prev = (gssize) i;
    }
}

/**
 * ord_interpolate_missing:
 * @x: (array length=n) (inout): the series, NAN where a value is missing
 * @n: its length
 * @period: the season length (1 for none)
 *
 * Fills the missing values, as R's `forecast::na.interp`: linearly, or,
 * for a seasonal series with more than two seasons of data, by linear
 * interpolation of the seasonally adjusted series plus the seasonal
 * component (from ord_robust_decompose()). If that overshoots the data's
 * range by more than half of it, linear interpolation is used instead.
 * A series with no value at all is left as it is.
 */
void
ord_interpolate_missing (double *x,
                         gsize   n,
                         guint   period)
{
  g_autofree double *orig = NULL;
  gsize n_ok = 0;
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;

  g_return_if_fail (x != NULL || n == 0);

  for (gsize i = 0; i < n; i++)
    if (!isnan (x[i]))
      {
        n_ok++;
        lo = MIN (lo, x[i]);
        hi = MAX (hi, x[i]);
      }
  if (n_ok == n || n_ok == 0)
    return;

  orig = g_memdup2 (x, sizeof (double) * n);
  interpolate_linear (x, n);

  if (period > 1 && n_ok > 2 * (gsize) period)
    {
      g_autofree double *trend = g_new (double, n);
      g_autofree double *seasonal = g_new (double, n);
      g_autofree double *sa = g_new (double, n);
      double range = hi - lo;
      gboolean overshoot = FALSE;

      ord_robust_decompose (x, n, period, trend, seasonal);
      for (gsize i = 0; i < n; i++)
        sa[i] = isnan (orig[i]) ? NAN : orig[i] - seasonal[i];
      interpolate_linear (sa, n);
      for (gsize i = 0; i < n; i++)
        if (isnan (orig[i]))
          {
            x[i] = sa[i] + seasonal[i];
            overshoot |= x[i] > hi + 0.5 * range || x[i] < lo - 0.5 * range;
          }
      if (overshoot)
        {
          memcpy (x, orig, sizeof (double) * n);
          interpolate_linear (x, n);
        }
    }
}

/* R's quantile type 7 of the non-NAN values (sorted copy in buf). */
static double
quantile7 (const double *sorted,
           gsize         m,
           double        p)
{
  double h = (double) (m - 1) * p;
  gsize lo = (gsize) floor (h);

  if (lo + 1 >= m)
    return sorted[m - 1];
  return sorted[lo] + (h - (double) lo) * (sorted[lo + 1] - sorted[lo]);
}

static double
variance (const double *v,
          gsize         n)
{
  double mean = 0.0, s = 0.0;

  for (gsize i = 0; i < n; i++)
    mean += v[i];
  mean /= (double) n;
  for (gsize i = 0; i < n; i++)
    s += (v[i] - mean) * (v[i] - mean);
  return s / (double) (n - 1);
}

/* One pass of detection; flags[i] set for outliers. Returns how many. */
static gsize
detect_once (const double *x,
             gsize         n,
             guint         period,
             guint8       *flags,
             gboolean     *adjusted)
{
  g_autofree double *xx = g_memdup2 (x, sizeof (double) * n);
  g_autofree double *tt = g_new (double, n);
  g_autofree double *smo = g_new (double, n);
  g_autofree double *resid = g_new (double, n);
  gboolean constant = TRUE;
  gsize m = 0, found = 0;
  double q1, q3, iqr, lo, hi;

  memset (flags, 0, n);
  ord_interpolate_missing (xx, n, period);
  for (gsize i = 1; i < n; i++)
    constant &= xx[i] == xx[0];
  if (constant || isnan (xx[0]))
    return 0;

  if (period > 1 && n > 2 * (gsize) period)
    {
      g_autofree double *trend = g_new (double, n);
      g_autofree double *seasonal = g_new (double, n);
      g_autofree double *rem = g_new (double, n);
      g_autofree double *detrend = g_new (double, n);
      double vd;

      ord_robust_decompose (xx, n, period, trend, seasonal);
      for (gsize i = 0; i < n; i++)
        {
          detrend[i] = xx[i] - trend[i];
          rem[i] = detrend[i] - seasonal[i];
        }
      vd = variance (detrend, n);
      if (vd > 0.0 && 1.0 - variance (rem, n) / vd >= 0.6)
        {
          for (gsize i = 0; i < n; i++)
            xx[i] -= seasonal[i];
          *adjusted = TRUE;
        }
    }

  for (gsize i = 0; i < n; i++)
    tt[i] = (double) (i + 1);
  ord_supsmu (tt, xx, n, smo);

  for (gsize i = 0; i < n; i++)
    if (!isnan (x[i]))
      resid[m++] = xx[i] - smo[i];
  if (m == 0)
    return 0;
  qsort (resid, m, sizeof (double), cmp_double);
  q1 = quantile7 (resid, m, 0.25);
  q3 = quantile7 (resid, m, 0.75);
  iqr = q3 - q1;
  lo = q1 - 3.0 * iqr;
  hi = q3 + 3.0 * iqr;
  if (hi - lo <= 1e-14)
    return 0;

  for (gsize i = 0; i < n; i++)
    {
      double r;

      if (isnan (x[i]))
        continue;
      r = xx[i] - smo[i];
      if (r < lo || r > hi)
        {
          flags[i] = 1;
          found++;
        }
    }
  return found;
}

/**
 * ord_anomalies_detect:
 * @x: (array length=n): the series, NAN where a value is missing (missing
 *   values are filled, never reported)
 * @n: its length (at least 4)
 * @period: the season length (7 for daily data with a weekly pattern, 12
 *   for monthly data; 1 for none)
 * @iterations: passes (R's tsoutliers does 2): each pass looks again at
 *   the series with the outliers found so far interpolated
 * @error: return location for a #GError
 *
 * Finds outliers as R's `forecast::tsoutliers` does: when the series has
 * more than two full seasons and the season explains at least 60 % of the
 * detrended variance, the season is removed; the rest is smoothed with
 * ord_supsmu(), and points whose residual lies outside
 * [Q1 − 3 IQR, Q3 + 3 IQR] are outliers. They are replaced by
 * interpolation (ord_interpolate_missing()) and the search is repeated.
 *
 * Returns: (transfer full): the outliers (possibly none), or %NULL with
 *   @error set
 */
OrdAnomalies *
ord_anomalies_detect (const double  *x,
                      gsize          n,
                      guint          period,
                      guint          iterations,
                      GError       **error)
{
  g_autoptr(OrdAnomalies) res = NULL;
  g_autofree guint8 *all = NULL;
  g_autofree guint8 *flags = NULL;
  g_autofree double *cur = NULL;
  gsize found, k = 0;

  g_return_val_if_fail (x != NULL || n == 0, NULL);
  g_return_val_if_fail (iterations >= 1, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (n < 4)
    {
      g_set_error (error, ORD_ANOMALY_ERROR, ORD_ANOMALY_ERROR_INVALID,
                   "A series of %" G_GSIZE_FORMAT " values is too short to look for "
                   "outliers; at least 4 are needed", n);
      return NULL;
    }
  for (gsize i = 0; i < n; i++)
    if (isinf (x[i]))
      {
        g_set_error (error, ORD_ANOMALY_ERROR, ORD_ANOMALY_ERROR_INVALID,
                     "Value %" G_GSIZE_FORMAT " of the series is infinite", i);
        return NULL;
      }

  period = MAX (period, 1);
  res = g_new0 (OrdAnomalies, 1);
  all = g_new0 (guint8, n);
  flags = g_new0 (guint8, n);
  cur = g_memdup2 (x, sizeof (double) * n);

  found = detect_once (cur, n, period, flags, &res->seasonally_adjusted);
  for (gsize i = 0; i < n; i++)
    if (flags[i])
      {
        all[i] = 1;
        cur[i] = NAN;
      }
  ord_interpolate_missing (cur, n, period);

  for (guint pass = 1; pass < iterations && found > 0; pass++)
    {
      found = detect_once (cur, n, period, flags, &res->seasonally_adjusted);
      if (found == 0)
        break;
      for (gsize i = 0; i < n; i++)
        if (flags[i])
          all[i] = 1;
      for (gsize i = 0; i < n; i++)
        if (all[i])
          cur[i] = NAN;
      ord_interpolate_missing (cur, n, period);
    }

  for (gsize i = 0; i < n; i++)
    res->n += all[i];
  res->index = g_new (gsize, res->n);
  res->replacement = g_new (double, res->n);
  for (gsize i = 0; i < n; i++)
    if (all[i])
      {
        res->index[k] = i;
        res->replacement[k] = cur[i];
        k++;
      }
  return g_steal_pointer (&res);
}

/**
 * ord_anomalies_free:
 * @anomalies: (nullable): a result
 *
 * Frees @anomalies.
 */
void
ord_anomalies_free (OrdAnomalies *anomalies)
{
  if (anomalies == NULL)
    return;
  g_free (anomalies->index);
  g_free (anomalies->replacement);
  g_free (anomalies);
}
