/* ord-forecast.c: ETS point forecasts and prediction intervals
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ord-forecast"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "ord-forecast-private.h"

#define ORD_FORECAST_PATHS 5000
#define ORD_FORECAST_SEED  20240601u

G_DEFINE_QUARK (ord-forecast-error-quark, ord_forecast_error)

OrdForecast *
ord_forecast_new (guint         horizon,
                  const double *levels,
                  guint         n_levels)
{
  OrdForecast *fc = g_new0 (OrdForecast, 1);

  fc->horizon = horizon;
  fc->mean = g_new0 (double, MAX (horizon, 1));
  fc->n_levels = n_levels;
  fc->levels = g_new0 (double, MAX (n_levels, 1));
  if (n_levels > 0)
    memcpy (fc->levels, levels, n_levels * sizeof (double));
  fc->lower = g_new0 (double, MAX ((gsize) n_levels * horizon, 1));
  fc->upper = g_new0 (double, MAX ((gsize) n_levels * horizon, 1));
  return fc;
}

gboolean
ord_forecast_check_levels (const double *levels,
                           guint         n_levels,
                           GError      **error)
{
  guint i;

  if (n_levels > 0 && levels == NULL)
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                   "%u interval levels announced but none given", n_levels);
      return FALSE;
    }
  for (i = 0; i < n_levels; i++)
    if (!(levels[i] > 0 && levels[i] < 100))
      {
        g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                     "prediction interval level %g is out of range; give a percentage "
                     "between 0 and 100, such as 80 or 95", levels[i]);
        return FALSE;
      }
  return TRUE;
}

double
ord_forecast_quantile8 (const double *sorted,
                        gsize         n,
                        double        p)
{
  double h, g;
  gsize j;

  if (n == 0)
    return NAN;
  /* R's quantile(type = 8): h = (n + 1/3) p + 1/3, 1-based */
  h = (n + 1.0 / 3.0) * p + 1.0 / 3.0;
  if (h <= 1)
    return sorted[0];
  if (h >= n)
    return sorted[n - 1];
  j = (gsize) floor (h);
  g = h - j;
  return sorted[j - 1] + g * (sorted[j] - sorted[j - 1]);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  /* NaN last */
  if (isnan (x))
    return isnan (y) ? 0 : 1;
  if (isnan (y))
    return -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/* Intervals from variances: mean ± z · sd */
static void
set_normal_intervals (OrdForecast  *fc,
                      const double *var)
{
  guint i, h;

  for (i = 0; i < fc->n_levels; i++)
    {
      double z = gsl_cdf_ugaussian_Qinv ((100 - fc->levels[i]) / 200);

      for (h = 0; h < fc->horizon; h++)
        {
          double marg = sqrt (var[h]) * z;
          fc->lower[i * fc->horizon + h] = fc->mean[h] - marg;
          fc->upper[i * fc->horizon + h] = fc->mean[h] + marg;
        }
    }
}

/* c_j = H F^(j−1) G for the linear (class 1) models, j = 1 … h−1,
 * with the states in R's order (l, b, s1 … sm, s1 the newest). */
static void
class1_c (const OrdEtsModel *model,
          guint              horizon,
          double            *c)
{
  guint p = model->n_states;
  gboolean trend = model->spec.trend != ORD_ETS_NONE;
  gboolean season = model->spec.season != ORD_ETS_NONE;
  guint m = model->period, first = 1 + trend, j, k;
  g_autofree double *v = g_new0 (double, p);
  g_autofree double *w = g_new0 (double, p);
  double phi = model->phi;

  v[0] = model->alpha;
  if (trend)
    v[1] = model->beta;
  if (season)
    v[first] = model->gamma;

  for (j = 1; j < horizon; j++)
    {
      double hv = v[0];

      if (trend)
        hv += phi * v[1];
      if (season)
        hv += v[p - 1];
      c[j - 1] = hv;

      /* v ← F v */
      w[0] = v[0] + (trend ? phi * v[1] : 0);
      if (trend)
        w[1] = phi * v[1];
      if (season)
        {
          w[first] = v[p - 1];
          for (k = 1; k < m; k++)
            w[first + k] = v[first + k - 1];
        }
      memcpy (v, w, p * sizeof (double));
    }
}

/* Kronecker product a ⊗ b into out (allocated by caller). */
static void
kron (const gsl_matrix *a,
      const gsl_matrix *b,
      gsl_matrix       *out)
{
  gsize i, j, k, l;

  for (i = 0; i < a->size1; i++)
    for (j = 0; j < a->size2; j++)
      {
        double aij = gsl_matrix_get (a, i, j);
        for (k = 0; k < b->size1; k++)
          for (l = 0; l < b->size2; l++)
            gsl_matrix_set (out, i * b->size1 + k, j * b->size2 + l,
                            aij * gsl_matrix_get (b, k, l));
      }
}

/* out = a · b · cᵀ (out sized by caller, tmp a->size1 × b->size2) */
static void
abct (const gsl_matrix *a,
      const gsl_matrix *b,
      const gsl_matrix *c,
      gsl_matrix       *tmp,
      gsl_matrix       *out,
      double            scale,
      double            beta)
{
  gsl_blas_dgemm (CblasNoTrans, CblasNoTrans, 1.0, a, b, 0.0, tmp);
  gsl_blas_dgemm (CblasNoTrans, CblasTrans, scale, tmp, c, beta, out);
}

/* Variances of class 3 models (multiplicative error and season, additive
 * or no trend), Hyndman et al. (2008) ch. 6, as R's class3(); the damped
 * case uses the damped transition (R's code leaves φ out of F1's first row).
 * @mean gets the forecast mean, which for these models exceeds the point
 * forecast by a σ² term beyond one season; R reports this mean. */
static void
class3_var (const OrdEtsModel *model,
            guint              horizon,
            double            *mean,
            double            *var)
{
  gboolean trend = model->spec.trend != ORD_ETS_NONE;
  guint p1 = 1 + trend, m = model->period, k = p1 * m, i, a, b;
  double s2 = model->sigma2;
  double phi = model->phi;
  gsl_matrix *F1 = gsl_matrix_calloc (p1, p1), *G1 = gsl_matrix_calloc (p1, p1);
  gsl_matrix *F2 = gsl_matrix_calloc (m, m), *G2 = gsl_matrix_calloc (m, m);
  gsl_matrix *H21 = gsl_matrix_calloc (1, k);
  gsl_matrix *F21 = gsl_matrix_calloc (k, k), *G21 = gsl_matrix_calloc (k, k);
  gsl_matrix *K = gsl_matrix_calloc (k, k), *K2 = gsl_matrix_calloc (k, k);
  gsl_matrix *Vh = gsl_matrix_calloc (k, k), *Vn = gsl_matrix_calloc (k, k);
  gsl_matrix *W = gsl_matrix_calloc (k, k), *tmp = gsl_matrix_calloc (k, k);
  gsl_matrix *Mh = gsl_matrix_calloc (p1, m), *Mn = gsl_matrix_calloc (p1, m);
  gsl_matrix *t1 = gsl_matrix_calloc (p1, m);
  gsl_matrix *h21v = gsl_matrix_calloc (1, k), *one = gsl_matrix_calloc (1, 1);
  gsl_vector *vec = gsl_vector_calloc (k);
  const double *x = model->final_states;

  gsl_matrix_set (F1, 0, 0, 1);
  gsl_matrix_set (G1, 0, 0, model->alpha);
  if (trend)
    {
      gsl_matrix_set (F1, 0, 1, phi);
      gsl_matrix_set (F1, 1, 1, phi);
      gsl_matrix_set (G1, 0, 1, model->alpha);
      gsl_matrix_set (G1, 1, 0, model->beta);
      gsl_matrix_set (G1, 1, 1, model->beta);
    }
  gsl_matrix_set (F2, 0, m - 1, 1);
  for (i = 1; i < m; i++)
    gsl_matrix_set (F2, i, i - 1, 1);
  gsl_matrix_set (G2, 0, m - 1, model->gamma);

  /* H21 = H2 ⊗ H1: H2 picks the last seasonal state, H1 = (1, φ) */
  gsl_matrix_set (H21, 0, (m - 1) * p1, 1);
  if (trend)
    gsl_matrix_set (H21, 0, (m - 1) * p1 + 1, phi);
  kron (F2, F1, F21);
  kron (G2, G1, G21);
  kron (G2, F1, K);
  kron (F2, G1, K2);
  gsl_matrix_add (K, K2);

  for (a = 0; a < p1; a++)
    for (b = 0; b < m; b++)
      gsl_matrix_set (Mh, a, b, x[a] * x[p1 + b]);

  for (i = 0; i < horizon; i++)
    {
      double mu, hvh;

      /* mu = H1 Mh H2ᵀ */
      mu = gsl_matrix_get (Mh, 0, m - 1) + (trend ? phi * gsl_matrix_get (Mh, 1, m - 1) : 0);
      gsl_blas_dgemm (CblasNoTrans, CblasNoTrans, 1.0, H21, Vh, 0.0, h21v);
      gsl_blas_dgemm (CblasNoTrans, CblasTrans, 1.0, h21v, H21, 0.0, one);
      hvh = gsl_matrix_get (one, 0, 0);
      var[i] = (1 + s2) * hvh + s2 * mu * mu;
      mean[i] = mu;

      /* vec(Mh), column-major */
      for (b = 0; b < m; b++)
        for (a = 0; a < p1; a++)
          gsl_vector_set (vec, b * p1 + a, gsl_matrix_get (Mh, a, b));

      /* Vn = F21 Vh F21ᵀ + s2 (F21 Vh G21ᵀ + G21 Vh F21ᵀ + K (Vh + vvᵀ) Kᵀ
       *      + s2 G21 (3 Vh + 2 vvᵀ) G21ᵀ) */
      abct (F21, Vh, F21, tmp, Vn, 1.0, 0.0);
      abct (F21, Vh, G21, tmp, Vn, s2, 1.0);
      abct (G21, Vh, F21, tmp, Vn, s2, 1.0);
      gsl_matrix_memcpy (W, Vh);
      gsl_blas_dger (1.0, vec, vec, W);
      abct (K, W, K, tmp, Vn, s2, 1.0);
      gsl_matrix_memcpy (W, Vh);
      gsl_matrix_scale (W, 3.0);
      gsl_blas_dger (2.0, vec, vec, W);
      abct (G21, W, G21, tmp, Vn, s2 * s2, 1.0);
      gsl_matrix_memcpy (Vh, Vn);

      /* Mh = F1 Mh F2ᵀ + s2 G1 Mh G2ᵀ */
      gsl_blas_dgemm (CblasNoTrans, CblasNoTrans, 1.0, F1, Mh, 0.0, t1);
      gsl_blas_dgemm (CblasNoTrans, CblasTrans, 1.0, t1, F2, 0.0, Mn);
      gsl_blas_dgemm (CblasNoTrans, CblasNoTrans, 1.0, G1, Mh, 0.0, t1);
      gsl_blas_dgemm (CblasNoTrans, CblasTrans, s2, t1, G2, 1.0, Mn);
      gsl_matrix_memcpy (Mh, Mn);
    }

  gsl_vector_free (vec);
  gsl_matrix_free (one);
  gsl_matrix_free (h21v);
  gsl_matrix_free (t1);
  gsl_matrix_free (Mn);
  gsl_matrix_free (Mh);
  gsl_matrix_free (tmp);
  gsl_matrix_free (W);
  gsl_matrix_free (Vn);
  gsl_matrix_free (Vh);
  gsl_matrix_free (K2);
  gsl_matrix_free (K);
  gsl_matrix_free (G21);
  gsl_matrix_free (F21);
  gsl_matrix_free (H21);
  gsl_matrix_free (G2);
  gsl_matrix_free (F2);
  gsl_matrix_free (G1);
  gsl_matrix_free (F1);
}

static gboolean
check_forecast_args (const OrdEtsModel *model,
                     guint              horizon,
                     const double      *levels,
                     guint              n_levels,
                     GError           **error)
{
  if (horizon == 0)
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                   "the forecast horizon must be at least one step");
      return FALSE;
    }
  return ord_forecast_check_levels (levels, n_levels, error);
}

/**
 * ord_ets_forecast_simulated:
 * @model: a fitted model
 * @horizon: steps ahead
 * @levels: (array length=n_levels) (nullable): interval levels in percent
 * @n_levels: their number
 * @n_paths: sample paths (R uses 5000)
 * @seed: random seed, so that results repeat
 * @out: (out): the forecast
 * @error: return location for a #GError
 *
 * Forecasts with intervals from quantiles of simulated sample paths with
 * Gaussian innovations, as R's `forecast(fit, simulate = TRUE)`.
 *
 * Returns: %TRUE on success
 */
gboolean
ord_ets_forecast_simulated (const OrdEtsModel *model,
                            guint              horizon,
                            const double      *levels,
                            guint              n_levels,
                            guint              n_paths,
                            guint64            seed,
                            OrdForecast      **out,
                            GError           **error)
{
  g_autoptr(OrdForecast) fc = NULL;
  g_autofree double *paths = NULL;
  g_autofree double *e = NULL;
  g_autofree double *col = NULL;
  g_autofree double *sbuf = NULL;
  gsl_rng *rng;
  double sd;
  guint i, h, l;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (out != NULL && *out == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_forecast_args (model, horizon, levels, n_levels, error))
    return FALSE;
  if (n_paths < 10)
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                   "%u sample paths are too few for intervals; use at least 1000", n_paths);
      return FALSE;
    }

  fc = ord_forecast_new (horizon, levels, n_levels);
  fc->simulated = TRUE;
  fc->method = ord_ets_model_name (model);
  ord_ets_point_forecast (model->final_states, model->period, model->spec.trend,
                          model->spec.season, model->phi, fc->mean, horizon);

  paths = g_new (double, (gsize) n_paths * horizon);
  e = g_new (double, horizon);
  col = g_new (double, n_paths);
  sbuf = g_new (double, MAX (model->period, 1));
  sd = sqrt (model->sigma2);

  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, (unsigned long) seed);
  for (i = 0; i < n_paths; i++)
    {
      for (h = 0; h < horizon; h++)
        {
          e[h] = gsl_ran_gaussian_ziggurat (rng, sd);
          if (model->spec.error == ORD_ETS_MULTIPLICATIVE && e[h] < -1)
            e[h] = -1;
        }
      ord_ets_simulate_path (model->final_states, model->period, model->spec.error,
                             model->spec.trend, model->spec.season, model->alpha,
                             model->beta, model->gamma, model->phi, e, horizon, sbuf,
                             paths + (gsize) i * horizon);
    }
  gsl_rng_free (rng);

  for (h = 0; h < horizon; h++)
    {
      gsize valid = 0;

      for (i = 0; i < n_paths; i++)
        col[i] = paths[(gsize) i * horizon + h];
      qsort (col, n_paths, sizeof (double), compare_doubles);
      while (valid < n_paths && !isnan (col[valid]))
        valid++;
      for (l = 0; l < n_levels; l++)
        {
          fc->lower[l * horizon + h] = ord_forecast_quantile8 (col, valid, 0.5 - levels[l] / 200);
          fc->upper[l * horizon + h] = ord_forecast_quantile8 (col, valid, 0.5 + levels[l] / 200);
        }
    }

  *out = g_steal_pointer (&fc);
  return TRUE;
}

/**
 * ord_ets_forecast:
 * @model: a fitted model
 * @horizon: steps ahead
 * @levels: (array length=n_levels) (nullable): interval levels in percent, e.g. {80, 95}
 * @n_levels: their number
 * @out: (out): the forecast
 * @error: return location for a #GError
 *
 * Point forecasts and prediction intervals. As R's `forecast.ets()`,
 * intervals are analytic for the models that have formulas (additive
 * error with additive components; multiplicative error with additive
 * components; multiplicative error and season) and come from 5000
 * simulated paths with a fixed seed otherwise.
 *
 * Returns: %TRUE on success
 */
gboolean
ord_ets_forecast (const OrdEtsModel *model,
                  guint              horizon,
                  const double      *levels,
                  guint              n_levels,
                  OrdForecast      **out,
                  GError           **error)
{
  g_autoptr(OrdForecast) fc = NULL;
  g_autofree double *var = NULL;
  const OrdEtsSpec *spec;
  gboolean additive_parts;
  guint h;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (out != NULL && *out == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_forecast_args (model, horizon, levels, n_levels, error))
    return FALSE;

  spec = &model->spec;
  additive_parts = spec->trend != ORD_ETS_MULTIPLICATIVE && spec->season != ORD_ETS_MULTIPLICATIVE;
  if (!(additive_parts ||
        (spec->error == ORD_ETS_MULTIPLICATIVE && spec->season == ORD_ETS_MULTIPLICATIVE &&
         spec->trend != ORD_ETS_MULTIPLICATIVE)))
    return ord_ets_forecast_simulated (model, horizon, levels, n_levels, ORD_FORECAST_PATHS,
                                       ORD_FORECAST_SEED, out, error);

  fc = ord_forecast_new (horizon, levels, n_levels);
  fc->method = ord_ets_model_name (model);
  ord_ets_point_forecast (model->final_states, model->period, spec->trend, spec->season,
                          model->phi, fc->mean, horizon);
  var = g_new (double, horizon);

  if (additive_parts)
    {
      g_autofree double *c = g_new0 (double, horizon);

      class1_c (model, horizon, c);
      if (spec->error == ORD_ETS_ADDITIVE)
        {
          double acc = 1;

          /* Class 1: σ² (1 + Σ c_j²) */
          for (h = 0; h < horizon; h++)
            {
              var[h] = model->sigma2 * acc;
              acc += c[h] * c[h];
            }
        }
      else
        {
          g_autofree double *theta = g_new (double, horizon);

          /* Class 2: θ_1 = μ_1², θ_j = μ_j² + σ² Σ c_k² θ_{j−k}; var = (1 + σ²) θ − μ² */
          for (h = 0; h < horizon; h++)
            {
              double sum = 0;
              guint k;

              for (k = 1; k <= h; k++)
                sum += c[k - 1] * c[k - 1] * theta[h - k];
              theta[h] = fc->mean[h] * fc->mean[h] + model->sigma2 * sum;
              var[h] = (1 + model->sigma2) * theta[h] - fc->mean[h] * fc->mean[h];
            }
        }
    }
  else
    class3_var (model, horizon, fc->mean, var);

  set_normal_intervals (fc, var);
  *out = g_steal_pointer (&fc);
  return TRUE;
}

/**
 * ord_forecast_free:
 * @forecast: (nullable): a forecast
 *
 * Frees @forecast.
 */
void
ord_forecast_free (OrdForecast *forecast)
{
  if (forecast == NULL)
    return;
  g_free (forecast->mean);
  g_free (forecast->levels);
  g_free (forecast->lower);
  g_free (forecast->upper);
  g_free (forecast->closed);
  g_free (forecast->method);
  g_free (forecast);
}

/**
 * ord_stlf_forecast:
 * @y: (array length=n): the series, oldest first
 * @n: its length
 * @period: seasonal period, any length (e.g. 7 or 365 on daily data)
 * @horizon: steps ahead
 * @levels: (array length=n_levels) (nullable): interval levels in percent
 * @n_levels: their number
 * @out: (out): the forecast
 * @error: return location for a #GError
 *
 * As R's `stlf()`: STL decomposition (seasonal window 11), an automatic
 * non-seasonal ETS model on the seasonally adjusted series, then the last
 * season added back to the forecasts and their intervals.
 *
 * Returns: %TRUE on success
 */
gboolean
ord_stlf_forecast (const double  *y,
                   gsize          n,
                   guint          period,
                   guint          horizon,
                   const double  *levels,
                   guint          n_levels,
                   OrdForecast  **out,
                   GError       **error)
{
  OrdEtsSpec zzn = { ORD_ETS_AUTO, ORD_ETS_AUTO, ORD_ETS_NONE, FALSE };
  g_autoptr(OrdStl) stl = NULL;
  g_autoptr(OrdEtsModel) model = NULL;
  g_autoptr(OrdForecast) fc = NULL;
  g_autofree double *adjusted = NULL;
  g_autofree char *name = NULL;
  gsize i;
  guint h, l;

  g_return_val_if_fail (out != NULL && *out == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (horizon == 0)
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                   "the forecast horizon must be at least one step");
      return FALSE;
    }
  if (!ord_forecast_check_levels (levels, n_levels, error))
    return FALSE;
  if (!ord_stl_decompose (y, n, period, NULL, &stl, error))
    return FALSE;

  adjusted = g_new (double, n);
  for (i = 0; i < n; i++)
    adjusted[i] = y[i] - stl->seasonal[i];
  if (!ord_ets_fit (adjusted, n, 1, &zzn, &model, error) ||
      !ord_ets_forecast (model, horizon, levels, n_levels, &fc, error))
    return FALSE;

  for (h = 0; h < horizon; h++)
    {
      double s = stl->seasonal[n - period + (h % period)];

      fc->mean[h] += s;
      for (l = 0; l < n_levels; l++)
        {
          fc->lower[l * horizon + h] += s;
          fc->upper[l * horizon + h] += s;
        }
    }
  name = ord_ets_model_name (model);
  g_free (fc->method);
  fc->method = g_strdup_printf ("STL + %s", name);
  *out = g_steal_pointer (&fc);
  return TRUE;
}

/* Seasonal ETS for periods up to 24, STL + ETS above (when the series
 * holds more than two seasons), falling back to simpler methods for
 * short series. */
static gboolean
forecast_open_days (const double  *y,
                    gsize          n,
                    guint          period,
                    guint          horizon,
                    const double  *levels,
                    guint          n_levels,
                    OrdForecast  **out,
                    GError       **error)
{
  g_autoptr(OrdEtsModel) model = NULL;
  g_autoptr(GError) local = NULL;

  if (period > 24 && n > 2 * (gsize) period)
    return ord_stlf_forecast (y, n, period, horizon, levels, n_levels, out, error);

  if (ord_ets_fit (y, n, period > 24 ? 1 : period, NULL, &model, &local))
    return ord_ets_forecast (model, horizon, levels, n_levels, out, error);
  if (!g_error_matches (local, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_TOO_SHORT) &&
      !g_error_matches (local, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_FAILED))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* Too short for ETS: repeat the last season, or the last value */
  return ord_snaive_forecast (y, n, n >= period ? period : 1, horizon, levels, n_levels,
                              out, error);
}

/**
 * ord_forecast_auto:
 * @y: (array length=n): the series, oldest first (e.g. daily orders)
 * @n: its length
 * @period: seasonal period (7 for days of a week, 12 for months, 365 for days of a year)
 * @closed: (array) (nullable): %n + @horizon flags, %TRUE on days the
 *   business is closed, history first, then the days to forecast
 * @horizon: steps ahead
 * @levels: (array length=n_levels) (nullable): interval levels in percent
 * @n_levels: their number
 * @out: (out): the forecast
 * @error: return location for a #GError
 *
 * Picks the method by period: automatic ETS up to 24, STL + ETS above
 * (R's `stlf()`). Closed days are taken out of the series before fitting,
 * so that a shop shut on Saturdays is modelled with a six-day week rather
 * than a weekly dip to zero; in the output they have forecast 0 and
 * `closed[h]` set.
 *
 * Returns: %TRUE on success
 */
gboolean
ord_forecast_auto (const double  *y,
                   gsize          n,
                   guint          period,
                   const gboolean *closed,
                   guint          horizon,
                   const double  *levels,
                   guint          n_levels,
                   OrdForecast  **out,
                   GError       **error)
{
  g_autoptr(OrdForecast) open_fc = NULL;
  g_autoptr(OrdForecast) fc = NULL;
  g_autofree double *open = NULL;
  g_autofree guint *counts = NULL;
  gsize n_open = 0, i;
  guint open_horizon = 0, open_period = period, h, l, k, best = 0;

  g_return_val_if_fail (y != NULL || n == 0, FALSE);
  g_return_val_if_fail (out != NULL && *out == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (period == 0 || horizon == 0)
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                   period == 0 ? "the seasonal period must be at least 1"
                               : "the forecast horizon must be at least one step");
      return FALSE;
    }
  if (!ord_forecast_check_levels (levels, n_levels, error))
    return FALSE;
  if (closed == NULL)
    return forecast_open_days (y, n, period, horizon, levels, n_levels, out, error);

  open = g_new (double, MAX (n, 1));
  for (i = 0; i < n; i++)
    if (!closed[i])
      open[n_open++] = y[i];
  for (h = 0; h < horizon; h++)
    if (!closed[n + h])
      open_horizon++;

  /* Open days per cycle: the most common count over whole cycles */
  if (period > 1 && n >= period)
    {
      counts = g_new0 (guint, period + 1);
      for (i = 0; i + period <= n; i += period)
        {
          guint c = 0;

          for (k = 0; k < period; k++)
            c += !closed[i + k];
          counts[c]++;
        }
      for (k = 0; k <= period; k++)
        if (counts[k] > counts[best])
          best = k;
      open_period = MAX (best, 1);
    }

  fc = ord_forecast_new (horizon, levels, n_levels);
  fc->closed = g_new0 (gboolean, horizon);
  for (h = 0; h < horizon; h++)
    fc->closed[h] = closed[n + h];

  if (open_horizon > 0)
    {
      guint j = 0;

      if (n_open == 0)
        {
          g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_TOO_SHORT,
                       "every day of the history is marked closed; there is nothing to "
                       "forecast from");
          return FALSE;
        }
      if (!forecast_open_days (open, n_open, open_period, open_horizon, levels, n_levels,
                               &open_fc, error))
        return FALSE;
      fc->simulated = open_fc->simulated;
      fc->method = g_strdup (open_fc->method);
      for (h = 0; h < horizon; h++)
        {
          if (fc->closed[h])
            continue;
          fc->mean[h] = open_fc->mean[j];
          for (l = 0; l < n_levels; l++)
            {
              fc->lower[l * horizon + h] = open_fc->lower[l * open_horizon + j];
              fc->upper[l * horizon + h] = open_fc->upper[l * open_horizon + j];
            }
          j++;
        }
    }
  else
    fc->method = g_strdup ("Closed");

  *out = g_steal_pointer (&fc);
  return TRUE;
}
