/* ord-ets.c: ETS state-space models (Hyndman et al. 2008), fitted as R's forecast::ets
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ord-ets"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_multimin.h>

#include "ord-forecast-private.h"

#define ETS_TOL   1.0e-10
#define ETS_HUGEN 1.0e10
/* What R's Nelder–Mead substitutes for a non-finite objective. */
#define ETS_PENALTY 1.0e35

/* ------------------------------------------------------------------ */
/* Recursions                                                           */

double
ord_ets_recurse (const double *y,
                 gsize         n,
                 guint         m,
                 int           error,
                 int           trend,
                 int           season,
                 double        alpha,
                 double        beta,
                 double        gamma,
                 double        phi,
                 const double *x0,
                 double       *sbuf,
                 double       *fitted,
                 double       *resid,
                 double       *final_states)
{
  double l = x0[0];
  double b = trend != ORD_ETS_NONE ? x0[1] : 0.0;
  double sse = 0.0, slog = 0.0, lik;
  double beta_over_alpha = beta / alpha;
  gboolean phi_is_one = fabs (phi - 1.0) < ETS_TOL;
  guint head = 0;
  gsize i;

  if (season == ORD_ETS_NONE)
    m = 1;
  else
    memcpy (sbuf, x0 + 1 + (trend != ORD_ETS_NONE), m * sizeof (double));

  /* sbuf is circular: R's s[j] is sbuf[(head + j) % m], s[0] the newest. */
  for (i = 0; i < n; i++)
    {
      double q, phib, sv = 0.0, f, e, p, lnew;
      guint idx = 0;

      if (trend == ORD_ETS_NONE)
        {
          q = l;
          phib = 0.0;
        }
      else if (trend == ORD_ETS_ADDITIVE)
        {
          phib = phi * b;
          q = l + phib;
        }
      else
        {
          if (b < 0.0)
            return INFINITY;
          phib = phi_is_one ? b : pow (b, phi);
          q = l * phib;
        }

      if (season != ORD_ETS_NONE)
        {
          idx = head == 0 ? m - 1 : head - 1;
          sv = sbuf[idx];
          f = season == ORD_ETS_ADDITIVE ? q + sv : q * sv;
        }
      else
        f = q;

      if (error == ORD_ETS_ADDITIVE)
        e = y[i] - f;
      else
        {
          e = (y[i] - f) / f;
          slog += log (fabs (f));
        }
      sse += e * e;

      if (fitted != NULL)
        fitted[i] = f;
      if (resid != NULL)
        resid[i] = e;

      /* Level */
      if (season == ORD_ETS_NONE)
        p = y[i];
      else if (season == ORD_ETS_ADDITIVE)
        p = y[i] - sv;
      else
        p = fabs (sv) < ETS_TOL ? ETS_HUGEN : y[i] / sv;
      lnew = q + alpha * (p - q);

      /* Growth */
      if (trend != ORD_ETS_NONE)
        {
          double r;

          if (trend == ORD_ETS_ADDITIVE)
            r = lnew - l;
          else
            r = fabs (l) < ETS_TOL ? ETS_HUGEN : lnew / l;
          b = phib + beta_over_alpha * (r - phib);
        }

      /* Season: the oldest slot becomes the newest. */
      if (season != ORD_ETS_NONE)
        {
          double t;

          if (season == ORD_ETS_ADDITIVE)
            t = y[i] - q;
          else
            t = fabs (q) < ETS_TOL ? ETS_HUGEN : y[i] / q;
          sbuf[idx] = sv + gamma * (t - sv);
          head = idx;
        }
      l = lnew;
    }

  if (final_states != NULL)
    {
      guint k = 0, j;

      final_states[k++] = l;
      if (trend != ORD_ETS_NONE)
        final_states[k++] = b;
      if (season != ORD_ETS_NONE)
        for (j = 0; j < m; j++)
          final_states[k++] = sbuf[(head + j) % m];
    }

  lik = (double) n * log (sse);
  if (error == ORD_ETS_MULTIPLICATIVE)
    lik += 2.0 * slog;
  if (isnan (lik))
    return INFINITY;
  return lik;
}

void
ord_ets_point_forecast (const double *x,
                        guint         m,
                        int           trend,
                        int           season,
                        double        phi,
                        double       *f,
                        guint         h)
{
  double l = x[0];
  double b = trend != ORD_ETS_NONE ? x[1] : 0.0;
  const double *s = x + 1 + (trend != ORD_ETS_NONE);
  double phistar = phi;
  guint i;

  for (i = 0; i < h; i++)
    {
      if (trend == ORD_ETS_NONE)
        f[i] = l;
      else if (trend == ORD_ETS_ADDITIVE)
        f[i] = l + phistar * b;
      else if (b < 0)
        f[i] = NAN;
      else
        f[i] = l * pow (b, phistar);

      if (season != ORD_ETS_NONE)
        {
          guint j = (m - 1) - (i % m);

          if (season == ORD_ETS_ADDITIVE)
            f[i] += s[j];
          else
            f[i] *= s[j];
        }

      /* φ + φ² + … + φ^(i+2) for the next step */
      if (fabs (phi - 1.0) < ETS_TOL)
        phistar += 1.0;
      else
        phistar += pow (phi, (double) (i + 2));
    }
}

void
ord_ets_simulate_path (const double *x,
                       guint         m,
                       int           error,
                       int           trend,
                       int           season,
                       double        alpha,
                       double        beta,
                       double        gamma,
                       double        phi,
                       const double *e,
                       guint         h,
                       double       *sbuf,
                       double       *out)
{
  double l = x[0];
  double b = trend != ORD_ETS_NONE ? x[1] : 0.0;
  gboolean phi_is_one = fabs (phi - 1.0) < ETS_TOL;
  guint head = 0, i;

  if (season == ORD_ETS_NONE)
    m = 1;
  else
    memcpy (sbuf, x + 1 + (trend != ORD_ETS_NONE), m * sizeof (double));

  for (i = 0; i < h; i++)
    {
      double q, phib, sv = 0.0, f, y, p, lnew;
      guint idx = 0;

      if (trend == ORD_ETS_NONE)
        {
          q = l;
          phib = 0.0;
        }
      else if (trend == ORD_ETS_ADDITIVE)
        {
          phib = phi * b;
          q = l + phib;
        }
      else
        {
          if (b < 0.0)
            {
              for (; i < h; i++)
                out[i] = NAN;
              return;
            }
          phib = phi_is_one ? b : pow (b, phi);
          q = l * phib;
        }
      if (season != ORD_ETS_NONE)
        {
          idx = head == 0 ? m - 1 : head - 1;
          sv = sbuf[idx];
          f = season == ORD_ETS_ADDITIVE ? q + sv : q * sv;
        }
      else
        f = q;

      y = error == ORD_ETS_ADDITIVE ? f + e[i] : f * (1.0 + e[i]);
      out[i] = y;

      if (season == ORD_ETS_NONE)
        p = y;
      else if (season == ORD_ETS_ADDITIVE)
        p = y - sv;
      else
        p = fabs (sv) < ETS_TOL ? ETS_HUGEN : y / sv;
      lnew = q + alpha * (p - q);
      if (trend != ORD_ETS_NONE)
        {
          double r;

          if (trend == ORD_ETS_ADDITIVE)
            r = lnew - l;
          else
            r = fabs (l) < ETS_TOL ? ETS_HUGEN : lnew / l;
          b = phib + (beta / alpha) * (r - phib);
        }
      if (season != ORD_ETS_NONE)
        {
          double t;

          if (season == ORD_ETS_ADDITIVE)
            t = y - q;
          else
            t = fabs (q) < ETS_TOL ? ETS_HUGEN : y / q;
          sbuf[idx] = sv + gamma * (t - sv);
          head = idx;
        }
      l = lnew;
    }
}

/* ------------------------------------------------------------------ */
/* Parameter region                                                     */

/* Whether all roots of c[0] + c[1] z + … + c[d] z^d lie strictly inside
 * the unit circle: Schur–Cohn step-down, O(d²), no allocation (d ≤ 63). */
static gboolean
roots_inside_unit_circle (const double *coef,
                          guint         d)
{
  double c[64], t[64];
  guint i;

  g_assert (d < G_N_ELEMENTS (c));
  memcpy (c, coef, (d + 1) * sizeof (double));

  while (d > 0)
    {
      double lead = c[d], c0 = c[0], norm;

      if (!(fabs (c0) < fabs (lead)))
        return FALSE;
      for (i = 0; i < d; i++)
        t[i] = lead * c[i + 1] - c0 * c[d - 1 - i];
      d--;
      norm = t[d];
      if (norm == 0.0 || !isfinite (norm))
        return FALSE;
      for (i = 0; i <= d; i++)
        c[i] = t[i] / norm;
    }
  return TRUE;
}

gboolean
ord_ets_admissible (double   alpha,
                    double   beta,
                    double   gamma,
                    double   phi,
                    gboolean has_beta,
                    gboolean has_gamma,
                    guint    m)
{
  if (phi < 0 || phi > 1 + 1e-8)
    return FALSE;

  if (!has_gamma)
    {
      if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi)
        return FALSE;
      if (has_beta && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha)))
        return FALSE;
    }
  else if (m > 1)
    {
      double d, c[64], rho, rk;
      guint k, deg = m + 1;

      if (!has_beta)
        beta = 0;

      d = 1 - 1 / phi - alpha;
      if (gamma < MAX (d, 0) || gamma > 1 + 1 / phi - alpha)
        return FALSE;
      if (alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m))
        return FALSE;
      if (beta < -(1 - phi) * (gamma / m + alpha))
        return FALSE;

      if (deg + 1 > G_N_ELEMENTS (c))
        return FALSE;

      /* Characteristic polynomial, ascending powers. R asks for every
       * root to have modulus ≤ 1 + 1e-10. */
      c[deg] = 1;
      c[m] = alpha + beta - phi;
      for (k = 2; k < m; k++)
        c[k] = alpha + beta - alpha * phi;
      c[1] = alpha + beta - alpha * phi + gamma - 1;
      c[0] = phi * (1 - alpha - gamma);

      /* Without a trend z = 1 is always a root (the polynomial sums to
       * m·β); R accepts it, so divide it out before the strict test. */
      if (beta == 0 && fabs (phi - 1) < 1e-12)
        {
          double q[64];

          q[deg - 1] = c[deg];
          for (k = deg - 1; k >= 1; k--)
            q[k - 1] = c[k] + q[k];
          deg--;
          memcpy (c, q, (deg + 1) * sizeof (double));
        }

      rho = 1 + 1e-10;
      rk = 1;
      for (k = 0; k <= deg; k++)
        {
          c[k] *= rk;
          rk *= rho;
        }
      if (!roots_inside_unit_circle (c, deg))
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Initial states (R's initstate)                                       */

/* Classical decomposition (R's decompose) of the whole series: the
 * seasonal figure, indexed by position from the first observation. */
static void
decompose_figure (const double *y,
                  gsize         n,
                  guint         m,
                  gboolean      multiplicative,
                  double       *figure)
{
  g_autofree double *sum = g_new0 (double, m);
  g_autofree guint *count = g_new0 (guint, m);
  guint half = m / 2;
  double mean = 0;
  gsize i;
  guint j;

  for (i = half; i + half < n; i++)
    {
      double trend = 0, season;
      gsize k;

      if (m % 2 == 0)
        {
          trend = 0.5 * y[i - half] + 0.5 * y[i + half];
          for (k = i - half + 1; k < i + half; k++)
            trend += y[k];
        }
      else
        {
          for (k = i - half; k <= i + half; k++)
            trend += y[k];
        }
      trend /= m;
      season = multiplicative ? y[i] / trend : y[i] - trend;
      sum[i % m] += season;
      count[i % m]++;
    }

  for (j = 0; j < m; j++)
    {
      figure[j] = count[j] > 0 ? sum[j] / count[j] : NAN;
      mean += figure[j];
    }
  mean /= m;
  for (j = 0; j < m; j++)
    figure[j] = multiplicative ? figure[j] / mean : figure[j] - mean;
}

/* Least squares of y on the columns of x (n × p, row-major), no weights. */
static gboolean
ols (const double *x,
     const double *y,
     gsize         n,
     guint         p,
     double       *coef)
{
  gsl_matrix_const_view X = gsl_matrix_const_view_array (x, n, p);
  gsl_vector_const_view Y = gsl_vector_const_view_array (y, n);
  gsl_multifit_linear_workspace *work;
  gsl_matrix *cov;
  gsl_vector *c;
  double chisq;
  int status;
  guint j;

  work = gsl_multifit_linear_alloc (n, p);
  cov = gsl_matrix_alloc (p, p);
  c = gsl_vector_alloc (p);
  status = gsl_multifit_linear (&X.matrix, &Y.vector, c, cov, &chisq, work);
  for (j = 0; j < p; j++)
    coef[j] = gsl_vector_get (c, j);
  gsl_vector_free (c);
  gsl_matrix_free (cov);
  gsl_multifit_linear_free (work);
  return status == GSL_SUCCESS;
}

/* Free initial states as R's initstate(): l0, b0, then m − 1 seasonal
 * states s0 … s(m−2). Returns how many were written. */
static guint
init_states (const double *y,
             gsize         n,
             guint         m,
             int           trend,
             int           season,
             double       *out)
{
  g_autofree double *ysa = NULL;
  g_autofree double *seasonal = NULL;
  gsize maxn, i;
  guint k = 0, j;

  ysa = g_new (double, n);

  if (season != ORD_ETS_NONE)
    {
      gboolean mult = season == ORD_ETS_MULTIPLICATIVE;

      seasonal = g_new (double, n);
      if (n < 3 * (gsize) m)
        {
          /* Trend and one pair of Fourier terms (R: tslm(y ~ trend + fourier(y, 1))). */
          guint p = m == 2 ? 3 : 4;
          g_autofree double *x = g_new (double, n * p);
          double coef[4];

          for (i = 0; i < n; i++)
            {
              double t = (double) (i + 1), w = 2 * G_PI * t / m;

              x[i * p] = 1;
              x[i * p + 1] = t;
              if (p == 4)
                {
                  x[i * p + 2] = sin (w);
                  x[i * p + 3] = cos (w);
                }
              else
                x[i * p + 2] = cos (w);
            }
          ols (x, y, n, p, coef);
          for (i = 0; i < n; i++)
            {
              double lin = coef[0] + coef[1] * (double) (i + 1);
              seasonal[i] = mult ? y[i] / lin : y[i] - lin;
            }
        }
      else
        {
          g_autofree double *figure = g_new (double, m);

          decompose_figure (y, n, m, mult, figure);
          for (i = 0; i < n; i++)
            seasonal[i] = figure[i % m];
        }

      /* rev(seasonal[2:m]) */
      for (j = 0; j + 1 < m; j++)
        out[1 + (trend != ORD_ETS_NONE) + j] = seasonal[m - 1 - j];

      if (!mult)
        {
          for (i = 0; i < n; i++)
            ysa[i] = y[i] - seasonal[i];
        }
      else
        {
          double *s = out + 1 + (trend != ORD_ETS_NONE);
          double sum = 0;

          for (j = 0; j + 1 < m; j++)
            {
              s[j] = MAX (s[j], 1e-2);
              sum += s[j];
            }
          if (sum > m)
            {
              double denom = sum + 1e-2 * (m - 1);
              for (j = 0; j + 1 < m; j++)
                s[j] /= denom;
            }
          for (i = 0; i < n; i++)
            ysa[i] = y[i] / MAX (seasonal[i], 1e-2);
        }
    }
  else
    {
      m = 1;
      memcpy (ysa, y, n * sizeof (double));
    }

  maxn = MIN (MAX (10, 2 * (gsize) m), n);

  if (trend == ORD_ETS_NONE)
    {
      double sum = 0;

      for (i = 0; i < maxn; i++)
        sum += ysa[i];
      out[k++] = sum / maxn;
    }
  else
    {
      /* Simple regression on 1..maxn (R's lsfit) */
      double tbar = (maxn + 1) / 2.0, ybar = 0, sxy = 0, sxx = 0, a, slope;

      for (i = 0; i < maxn; i++)
        ybar += ysa[i];
      ybar /= maxn;
      for (i = 0; i < maxn; i++)
        {
          double dt = (double) (i + 1) - tbar;
          sxy += dt * (ysa[i] - ybar);
          sxx += dt * dt;
        }
      slope = sxx > 0 ? sxy / sxx : 0;
      a = ybar - slope * tbar;

      if (trend == ORD_ETS_ADDITIVE)
        {
          double l0 = a, b0 = slope;

          if (fabs (l0 + b0) < 1e-8)
            {
              l0 *= 1 + 1e-3;
              b0 *= 1 - 1e-3;
            }
          out[k++] = l0;
          out[k++] = b0;
        }
      else
        {
          double l0 = a + slope, b0;

          if (fabs (l0) < 1e-8)
            l0 = 1e-7;
          b0 = (a + 2 * slope) / l0;
          l0 = l0 / b0;
          if (fabs (b0) > 1e10)
            b0 = b0 > 0 ? 1e10 : -1e10;
          if (l0 < 1e-8 || b0 < 1e-8)
            {
              l0 = MAX (ysa[0], 1e-3);
              b0 = MAX (n > 1 ? ysa[1] / ysa[0] : 1, 1e-3);
            }
          out[k++] = l0;
          out[k++] = b0;
        }
    }

  return k + (season != ORD_ETS_NONE ? m - 1 : 0);
}

/* ------------------------------------------------------------------ */
/* Optimisation                                                         */

typedef struct {
  const double *y;
  gsize         n;
  guint         m;            /* 1 when non-seasonal */
  int           error;
  int           trend;
  int           season;
  gboolean      damped;
  double        lower[4];
  double        upper[4];
  guint         n_smooth;     /* optimised smoothing parameters */
  guint         n_par;        /* n_smooth + free states */
  guint         n_states;     /* full state vector */
  double       *origin;       /* par = origin + u · step */
  double       *step;
  double       *par;
  double       *x0;
  double       *sbuf;
  guint         evals;
} EtsProblem;

/* Unpacks @par (R order: alpha, beta, gamma, phi, l0, b0, s0 … s(m−2))
 * into smoothing parameters and the full state vector @x0; FALSE when
 * outside R's "both" region or with a negative multiplicative season. */
static gboolean
ets_unpack (const EtsProblem *pb,
            const double     *par,
            double           *alpha,
            double           *beta,
            double           *gamma,
            double           *phi,
            double           *x0)
{
  guint j = 0, k;
  gboolean has_trend = pb->trend != ORD_ETS_NONE;
  gboolean has_season = pb->season != ORD_ETS_NONE;

  *alpha = par[j++];
  *beta = has_trend ? par[j++] : 0.0;
  *gamma = has_season ? par[j++] : 0.0;
  *phi = pb->damped ? par[j++] : 1.0;

  /* Usual bounds, as R's check_params with bounds = "both" */
  if (*alpha < pb->lower[0] || *alpha > pb->upper[0])
    return FALSE;
  if (has_trend && (*beta < pb->lower[1] || *beta > *alpha || *beta > pb->upper[1]))
    return FALSE;
  if (pb->damped && (*phi < pb->lower[3] || *phi > pb->upper[3]))
    return FALSE;
  if (has_season && (*gamma < pb->lower[2] || *gamma > 1 - *alpha || *gamma > pb->upper[2]))
    return FALSE;
  if (!ord_ets_admissible (*alpha, *beta, *gamma, *phi, has_trend, has_season, pb->m))
    return FALSE;

  memcpy (x0, par + pb->n_smooth, (pb->n_par - pb->n_smooth) * sizeof (double));
  if (has_season)
    {
      guint first = 1 + has_trend;
      double sum = 0;

      for (k = first; k < pb->n_states - 1; k++)
        sum += x0[k];
      x0[pb->n_states - 1] = (pb->season == ORD_ETS_MULTIPLICATIVE ? pb->m : 0) - sum;
      if (pb->season == ORD_ETS_MULTIPLICATIVE)
        for (k = first; k < pb->n_states; k++)
          if (x0[k] < 0)
            return FALSE;
    }
  return TRUE;
}

static double
ets_objective_par (EtsProblem   *pb,
                   const double *par)
{
  double alpha, beta, gamma, phi, lik;

  pb->evals++;
  if (!ets_unpack (pb, par, &alpha, &beta, &gamma, &phi, pb->x0))
    return ETS_PENALTY;
  lik = ord_ets_recurse (pb->y, pb->n, pb->m, pb->error, pb->trend, pb->season,
                         alpha, beta, gamma, phi, pb->x0, pb->sbuf, NULL, NULL, NULL);
  if (!isfinite (lik))
    return isinf (lik) && lik < 0 ? -1e10 : ETS_PENALTY;
  /* Avoid perfect fits, as R does */
  if (lik < -1e10)
    lik = -1e10;
  return lik;
}

/* The optimiser works on v: the smoothing parameters as positions t in
 * [0, 1] between their (moving) bounds — α in [l, u], β in [l, min(α, u)],
 * γ in [l, min(1 − α, u)], φ in [l, u] — and the states as they are.
 * Outside the box, t is projected onto it and the distance squared is
 * added as a penalty, so optima on a bound (β = α, γ = 1 − α, α = 0.9999,
 * common in practice) are reached instead of fenced off. */
static double
v_to_par (const EtsProblem *pb,
          const double     *v,
          double           *par)
{
  double pen = 0, t[4], alpha;
  guint j = 0, k;

  for (k = 0; k < pb->n_smooth; k++)
    {
      t[k] = CLAMP (v[k], 0.0, 1.0);
      pen += (v[k] - t[k]) * (v[k] - t[k]);
    }

  alpha = pb->lower[0] + (pb->upper[0] - pb->lower[0]) * t[j];
  par[j++] = alpha;
  if (pb->trend != ORD_ETS_NONE)
    {
      double hi = MIN (alpha, pb->upper[1]);
      par[j] = MIN (pb->lower[1] + (hi - pb->lower[1]) * t[j], hi);
      j++;
    }
  if (pb->season != ORD_ETS_NONE)
    {
      double hi = MIN (1 - alpha, pb->upper[2]);
      par[j] = MIN (pb->lower[2] + (hi - pb->lower[2]) * t[j], hi);
      j++;
    }
  if (pb->damped)
    {
      par[j] = pb->lower[3] + (pb->upper[3] - pb->lower[3]) * t[j];
      j++;
    }
  memcpy (par + j, v + j, (pb->n_par - j) * sizeof (double));
  return pen;
}

static void
par_to_v (const EtsProblem *pb,
          const double     *par,
          double           *v)
{
  double alpha = par[0];
  guint j = 0;

  v[j] = (alpha - pb->lower[0]) / (pb->upper[0] - pb->lower[0]);
  j++;
  if (pb->trend != ORD_ETS_NONE)
    {
      double hi = MIN (alpha, pb->upper[1]);
      v[j] = hi > pb->lower[1] ? (par[j] - pb->lower[1]) / (hi - pb->lower[1]) : 0;
      j++;
    }
  if (pb->season != ORD_ETS_NONE)
    {
      double hi = MIN (1 - alpha, pb->upper[2]);
      v[j] = hi > pb->lower[2] ? (par[j] - pb->lower[2]) / (hi - pb->lower[2]) : 0;
      j++;
    }
  if (pb->damped)
    {
      v[j] = (par[j] - pb->lower[3]) / (pb->upper[3] - pb->lower[3]);
      j++;
    }
  memcpy (v + j, par + j, (pb->n_par - j) * sizeof (double));
}

static double
ets_objective_v (EtsProblem   *pb,
                 const double *v)
{
  double pen = v_to_par (pb, v, pb->par);
  double f = ets_objective_par (pb, pb->par);

  if (f >= ETS_PENALTY)
    return f;
  return f + 100.0 * pen;
}

static double
ets_objective (const gsl_vector *u,
               void             *data)
{
  EtsProblem *pb = data;
  double *v = pb->x0 + pb->n_states + pb->m;
  guint j;

  for (j = 0; j < pb->n_par; j++)
    v[j] = pb->origin[j] + gsl_vector_get (u, j) * pb->step[j];
  return ets_objective_v (pb, v);
}

/* Initial simplex steps in v: a fifth of each smoothing parameter's room,
 * a tenth of the data's spread for the states. */
static void
ets_steps (const EtsProblem *pb,
           const double     *v,
           double            spread,
           double           *step)
{
  guint j, k;

  for (j = 0; j < pb->n_smooth; j++)
    step[j] = v[j] < 0.5 ? 0.2 : -0.2;

  for (k = 0; j < pb->n_par; j++, k++)
    {
      gboolean seasonal = k >= 1u + (pb->trend != ORD_ETS_NONE);

      if (seasonal && pb->season == ORD_ETS_MULTIPLICATIVE)
        step[j] = 0.05;
      else if (k == 1 && pb->trend == ORD_ETS_MULTIPLICATIVE)
        step[j] = 0.01;
      else if (k == 0)
        step[j] = MAX (0.1 * fabs (v[j]), 0.1 * spread);
      else
        step[j] = 0.1 * spread + 0.1 * fabs (v[j]);
      if (step[j] == 0)
        step[j] = 1e-3;
    }
}

/* One Nelder–Mead run from @v (updated in place with the best point).
 * Returns the objective there. */
static double
ets_nelder_mead (EtsProblem   *pb,
                 double       *v,
                 const double *step,
                 guint         max_evals)
{
  gsl_multimin_function func = { ets_objective, pb->n_par, pb };
  gsl_multimin_fminimizer *s;
  gsl_vector *u0, *ss;
  double best;
  guint start = pb->evals, j;

  memcpy (pb->origin, v, pb->n_par * sizeof (double));
  memcpy (pb->step, step, pb->n_par * sizeof (double));
  u0 = gsl_vector_calloc (pb->n_par);
  ss = gsl_vector_alloc (pb->n_par);
  gsl_vector_set_all (ss, 1.0);

  s = gsl_multimin_fminimizer_alloc (gsl_multimin_fminimizer_nmsimplex2, pb->n_par);
  gsl_multimin_fminimizer_set (s, &func, u0, ss);

  while (pb->evals - start < max_evals)
    {
      double prev = s->fval;

      if (gsl_multimin_fminimizer_iterate (s) != GSL_SUCCESS)
        break;
      if (gsl_multimin_fminimizer_size (s) < 1e-5 && fabs (prev - s->fval) < 1e-9)
        break;
    }

  best = s->fval;
  for (j = 0; j < pb->n_par; j++)
    v[j] = pb->origin[j] + gsl_vector_get (s->x, j) * pb->step[j];

  gsl_multimin_fminimizer_free (s);
  gsl_vector_free (ss);
  gsl_vector_free (u0);
  return best;
}

/* ------------------------------------------------------------------ */
/* Models                                                               */

static guint
spec_n_states (const OrdEtsSpec *spec,
               guint             m)
{
  return 1 + (spec->trend != ORD_ETS_NONE) + (spec->season != ORD_ETS_NONE ? m : 0);
}

static guint
spec_n_smooth (const OrdEtsSpec *spec)
{
  return 1 + (spec->trend != ORD_ETS_NONE) + (spec->season != ORD_ETS_NONE) + (spec->damped ? 1 : 0);
}

/* Builds a model from parameters and full initial states: runs the
 * recursions once more to keep fitted values, residuals and criteria. */
static OrdEtsModel *
model_new (const double     *y,
           gsize             n,
           guint             m,
           const OrdEtsSpec *spec,
           double            alpha,
           double            beta,
           double            gamma,
           double            phi,
           const double     *x0)
{
  OrdEtsModel *model = g_new0 (OrdEtsModel, 1);
  g_autofree double *sbuf = g_new (double, MAX (m, 1));
  double lik, sse = 0;
  guint np;
  gsize i;

  model->spec = *spec;
  model->period = spec->season != ORD_ETS_NONE ? m : 1;
  model->alpha = alpha;
  model->beta = spec->trend != ORD_ETS_NONE ? beta : 0;
  model->gamma = spec->season != ORD_ETS_NONE ? gamma : 0;
  model->phi = spec->damped ? phi : 1;
  model->n_states = spec_n_states (spec, model->period);
  model->initial_states = g_memdup2 (x0, model->n_states * sizeof (double));
  model->final_states = g_new (double, model->n_states);
  model->n = n;
  model->y = g_memdup2 (y, n * sizeof (double));
  model->fitted = g_new (double, n);
  model->residuals = g_new (double, n);

  lik = ord_ets_recurse (y, n, model->period, spec->error, spec->trend, spec->season,
                         model->alpha, model->beta, model->gamma, model->phi,
                         x0, sbuf, model->fitted, model->residuals, model->final_states);

  /* R's np: smoothing parameters + free initial states, + 1 for sigma */
  np = spec_n_smooth (spec) + model->n_states - (spec->season != ORD_ETS_NONE ? 1 : 0);
  for (i = 0; i < n; i++)
    {
      double d = y[i] - model->fitted[i];
      sse += model->residuals[i] * model->residuals[i];
      model->mse += d * d;
    }
  model->mse /= n;
  model->sigma2 = n > np ? sse / (double) (n - np) : NAN;
  np += 1;
  model->n_params = np;
  model->loglik = -0.5 * lik;
  model->aic = lik + 2.0 * np;
  model->bic = lik + log ((double) n) * np;
  model->aicc = n > np + 1 ? model->aic + 2.0 * np * (np + 1) / (double) (n - np - 1) : INFINITY;
  return model;
}

typedef struct {
  guint max_evaluations;
} FitTuning;

/* Fits one model form as R's etsmodel(); %NULL when R would give up
 * (too few observations, inadmissible starting values). */
static OrdEtsModel *
fit_one (const double     *y,
         gsize             n,
         guint             m,
         const OrdEtsSpec *spec,
         double            spread,
         const FitTuning  *tuning)
{
  EtsProblem pb = { 0 };
  g_autofree double *par = NULL;
  g_autofree double *best = NULL;
  g_autofree double *step = NULL;
  g_autofree double *work = NULL;
  g_autofree double *vpar = NULL;
  double alpha, beta = 0, gamma = 0, phi = 1, fbest;
  guint j = 0, round;

  if (spec->season == ORD_ETS_NONE)
    m = 1;

  pb.y = y;
  pb.n = n;
  pb.m = m;
  pb.error = spec->error;
  pb.trend = spec->trend;
  pb.season = spec->season;
  pb.damped = spec->damped;
  pb.lower[0] = pb.lower[1] = pb.lower[2] = ORD_ETS_LOWER_SMOOTH;
  pb.upper[0] = pb.upper[1] = pb.upper[2] = ORD_ETS_UPPER_SMOOTH;
  pb.lower[3] = ORD_ETS_LOWER_PHI;
  pb.upper[3] = ORD_ETS_UPPER_PHI;
  pb.n_smooth = spec_n_smooth (spec);
  pb.n_states = spec_n_states (spec, m);
  pb.n_par = pb.n_smooth + pb.n_states - (spec->season != ORD_ETS_NONE ? 1 : 0);

  /* R: np >= length(y) - 1 → not enough data */
  if ((gsize) pb.n_par + 1 >= n)
    return NULL;

  par = g_new (double, pb.n_par);

  /* Starting values, R's initparam() */
  {
    double upper;

    alpha = pb.lower[0] + 0.2 * (pb.upper[0] - pb.lower[0]) / m;
    if (alpha > 1 || alpha < 0)
      alpha = pb.lower[0] + 2e-3;
    par[j++] = alpha;
    if (spec->trend != ORD_ETS_NONE)
      {
        upper = MIN (pb.upper[1], alpha);
        beta = pb.lower[1] + 0.1 * (upper - pb.lower[1]);
        if (beta < 0 || beta > alpha)
          beta = alpha - 1e-3;
        par[j++] = beta;
      }
    if (spec->season != ORD_ETS_NONE)
      {
        upper = MIN (pb.upper[2], 1 - alpha);
        gamma = pb.lower[2] + 0.05 * (upper - pb.lower[2]);
        if (gamma < 0 || gamma > 1 - alpha)
          gamma = 1 - alpha - 1e-3;
        par[j++] = gamma;
      }
    if (spec->damped)
      {
        phi = pb.lower[3] + 0.99 * (pb.upper[3] - pb.lower[3]);
        if (phi < 0 || phi > 1)
          phi = pb.upper[3] - 1e-3;
        par[j++] = phi;
      }
  }
  if (!ord_ets_admissible (alpha, beta, gamma, phi,
                           spec->trend != ORD_ETS_NONE, spec->season != ORD_ETS_NONE, m))
    return NULL;

  init_states (y, n, m, spec->trend, spec->season, par + j);

  work = g_new (double, 4 * pb.n_par + pb.n_states + m);
  pb.origin = work;
  pb.step = work + pb.n_par;
  pb.par = work + 2 * pb.n_par;
  pb.x0 = work + 3 * pb.n_par;
  pb.sbuf = pb.x0 + pb.n_states;

  step = g_new (double, pb.n_par);
  best = g_new (double, pb.n_par);
  vpar = g_new (double, pb.n_par);

  /* Three starts: R's, a livelier level (α ≈ 0.5) and a random walk-like
   * one (α near 1, strong damping); a short run from each, then the best
   * is refined. */
  fbest = INFINITY;
  for (round = 0; round < 3; round++)
    {
      double f;

      memcpy (vpar, par, pb.n_par * sizeof (double));
      if (round == 0)
        par_to_v (&pb, par, vpar);
      else
        {
          vpar[0] = round == 1 ? 0.5 : 0.98;
          for (j = 1; j < pb.n_smooth; j++)
            vpar[j] = round == 1 ? 0.1 : 0.5;
          if (pb.damped)
            vpar[pb.n_smooth - 1] = round == 1 ? 0.9 : 0.1;
        }
      ets_steps (&pb, vpar, spread, step);
      f = ets_nelder_mead (&pb, vpar, step, MIN (tuning->max_evaluations, 60 * pb.n_par));
      if (f < fbest)
        {
          fbest = f;
          memcpy (best, vpar, pb.n_par * sizeof (double));
        }
    }

  /* Nelder–Mead, restarted from the best point while it still improves. */
  for (round = 0; round < 4; round++)
    {
      double f;

      memcpy (vpar, best, pb.n_par * sizeof (double));
      ets_steps (&pb, vpar, spread, step);
      if (round > 0)
        for (j = 0; j < pb.n_par; j++)
          step[j] *= 0.5;
      f = ets_nelder_mead (&pb, vpar, step, tuning->max_evaluations);
      if (f < fbest)
        {
          double gain = fbest - f;

          fbest = f;
          memcpy (best, vpar, pb.n_par * sizeof (double));
          if (gain < 1e-6)
            break;
        }
      else
        break;
    }

  if (fbest >= ETS_PENALTY)
    return NULL;

  v_to_par (&pb, best, par);
  memcpy (best, par, pb.n_par * sizeof (double));
  ets_unpack (&pb, best, &alpha, &beta, &gamma, &phi, pb.x0);
  return model_new (y, n, m, spec, alpha, beta, gamma, phi, pb.x0);
}

/* ------------------------------------------------------------------ */
/* Public API                                                           */

/**
 * ord_ets_options_init:
 * @options: options to fill
 *
 * Sets R's defaults: AICc, no multiplicative trend, restricted
 * combinations, all error/season forms, 2000 evaluations per run.
 */
void
ord_ets_options_init (OrdEtsOptions *options)
{
  g_return_if_fail (options != NULL);

  options->ic = ORD_ETS_IC_AICC;
  options->allow_multiplicative_trend = FALSE;
  options->restrict_models = TRUE;
  options->additive_only = FALSE;
  options->max_evaluations = 2000;
}

static gboolean
check_series (const double *y,
              gsize         n,
              GError      **error)
{
  gsize i;

  for (i = 0; i < n; i++)
    if (!isfinite (y[i]))
      {
        g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_NO_VALUE,
                     "value %" G_GSIZE_FORMAT " of the series is not a number; "
                     "fill or remove missing values before forecasting", i + 1);
        return FALSE;
      }
  return TRUE;
}

static double
ic_of (const OrdEtsModel  *model,
       OrdEtsInfoCriterion ic)
{
  switch (ic)
    {
    case ORD_ETS_IC_AIC:
      return model->aic;
    case ORD_ETS_IC_BIC:
      return model->bic;
    case ORD_ETS_IC_AICC:
    default:
      return model->aicc;
    }
}

/* Minimum length R needs for a form: more than npars + 4 observations
 * and more than (estimated quantities + 1). */
static gsize
min_length (const OrdEtsSpec *spec,
            guint             m)
{
  guint npars = 2;
  guint n_par;

  if (spec->trend != ORD_ETS_NONE)
    npars += 2;
  if (spec->season != ORD_ETS_NONE)
    npars += m;
  if (spec->damped)
    npars += 1;
  n_par = spec_n_smooth (spec) + spec_n_states (spec, m) - (spec->season != ORD_ETS_NONE ? 1 : 0);
  return MAX (npars + 5, n_par + 2);
}

/**
 * ord_ets_fit:
 * @y: (array length=n): the series, oldest first
 * @n: its length
 * @period: observations per seasonal cycle (1 for none; 7 for days of a week, 12 for months)
 * @spec: (nullable): the model form, %NULL to select automatically by AICc
 * @out: (out): the fitted model
 * @error: return location for a #GError
 *
 * Fits an ETS model as R's `forecast::ets()` does with its defaults.
 *
 * Returns: %TRUE on success
 */
gboolean
ord_ets_fit (const double      *y,
             gsize              n,
             guint              period,
             const OrdEtsSpec  *spec,
             OrdEtsModel      **out,
             GError           **error)
{
  OrdEtsOptions options;

  ord_ets_options_init (&options);
  return ord_ets_fit_full (y, n, period, spec, &options, out, error);
}

/**
 * ord_ets_fit_full:
 * @y: (array length=n): the series, oldest first
 * @n: its length
 * @period: observations per seasonal cycle
 * @spec: (nullable): the model form; components may be %ORD_ETS_AUTO, %NULL for all
 * @options: (nullable): selection options, %NULL for ord_ets_options_init()
 * @out: (out): the fitted model
 * @error: return location for a #GError
 *
 * Like ord_ets_fit() with explicit options.
 *
 * Returns: %TRUE on success
 */
gboolean
ord_ets_fit_full (const double         *y,
                  gsize                 n,
                  guint                 period,
                  const OrdEtsSpec     *spec,
                  const OrdEtsOptions  *options,
                  OrdEtsModel         **out,
                  GError              **error)
{
  OrdEtsOptions defaults;
  OrdEtsSpec want = { ORD_ETS_AUTO, ORD_ETS_AUTO, ORD_ETS_AUTO, FALSE };
  int errors[2], trends[3], seasons[3];
  guint n_errors = 0, n_trends = 0, n_seasons = 0, ie, it, is, id;
  gboolean positive = TRUE, constant = TRUE;
  OrdEtsModel *best = NULL;
  double best_ic = INFINITY, mean = 0, spread = 0;
  FitTuning tuning;
  gsize i;
  guint m = period;

  g_return_val_if_fail (y != NULL || n == 0, FALSE);
  g_return_val_if_fail (out != NULL && *out == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    {
      ord_ets_options_init (&defaults);
      options = &defaults;
    }
  if (spec != NULL)
    want = *spec;
  tuning.max_evaluations = options->max_evaluations > 0 ? options->max_evaluations : 2000;

  if (period == 0)
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                   "the seasonal period must be at least 1 (use 1 for a series without seasons)");
      return FALSE;
    }
  if (!check_series (y, n, error))
    return FALSE;
  if (n < 2)
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_TOO_SHORT,
                   "series has %" G_GSIZE_FORMAT " value%s; at least 7 are needed to fit "
                   "an exponential smoothing model", n, n == 1 ? "" : "s");
      return FALSE;
    }

  for (i = 0; i < n; i++)
    {
      if (y[i] <= 0)
        positive = FALSE;
      if (y[i] != y[0])
        constant = FALSE;
      mean += y[i];
    }
  mean /= n;
  for (i = 0; i < n; i++)
    spread += (y[i] - mean) * (y[i] - mean);
  spread = sqrt (spread / n);
  if (spread == 0)
    spread = MAX (fabs (mean), 1.0);

  /* R: a constant series gets simple exponential smoothing with α ≈ 1 */
  if (constant && spec == NULL)
    {
      OrdEtsSpec ann = { ORD_ETS_ADDITIVE, ORD_ETS_NONE, ORD_ETS_NONE, FALSE };
      double x0 = y[0];

      *out = model_new (y, n, 1, &ann, 0.99999, 0, 0, 1, &x0);
      return TRUE;
    }

  /* Seasonality R's way: none when period ≤ 1 or n ≤ period, refused above 24 */
  if (m <= 1 || n <= m)
    {
      if (want.season == ORD_ETS_ADDITIVE || want.season == ORD_ETS_MULTIPLICATIVE)
        {
          if (m <= 1)
            g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                         "a seasonal model needs a seasonal period above 1");
          else
            g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_TOO_SHORT,
                         "series has %" G_GSIZE_FORMAT " values; more than %u (one full "
                         "season) are needed for a seasonal model with period %u", n, m, m);
          return FALSE;
        }
      want.season = ORD_ETS_NONE;
      m = 1;
    }
  if (m > 24)
    {
      if (want.season == ORD_ETS_ADDITIVE || want.season == ORD_ETS_MULTIPLICATIVE)
        {
          g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                       "seasonal period %u is too long for an ETS model (at most 24); "
                       "use STL decomposition (ord_stlf_forecast) instead", m);
          return FALSE;
        }
      want.season = ORD_ETS_NONE;
      m = 1;
    }

  if (want.error == ORD_ETS_NONE || want.error == ORD_ETS_AUTO)
    {
      if (want.error == ORD_ETS_NONE)
        {
          g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                       "the error component must be additive or multiplicative");
          return FALSE;
        }
    }

  /* Checks of a fully given form, R's messages made actionable */
  if (want.error != ORD_ETS_AUTO && want.trend != ORD_ETS_AUTO && want.season != ORD_ETS_AUTO)
    {
      g_autofree char *name = ord_ets_spec_to_string (&want);
      gsize need = min_length (&want, m);

      if (want.damped && want.trend == ORD_ETS_NONE)
        {
          g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_FORBIDDEN,
                       "%s: a damped model needs a trend", name);
          return FALSE;
        }
      if (options->restrict_models &&
          ((want.error == ORD_ETS_ADDITIVE &&
            (want.trend == ORD_ETS_MULTIPLICATIVE || want.season == ORD_ETS_MULTIPLICATIVE)) ||
           (want.error == ORD_ETS_MULTIPLICATIVE && want.trend == ORD_ETS_MULTIPLICATIVE &&
            want.season == ORD_ETS_ADDITIVE)))
        {
          g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_FORBIDDEN,
                       "%s is numerically unstable and not allowed; use a multiplicative "
                       "error with a multiplicative trend or season", name);
          return FALSE;
        }
      if (n < need)
        {
          if (want.season != ORD_ETS_NONE)
            g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_TOO_SHORT,
                         "series has %" G_GSIZE_FORMAT " values; at least %" G_GSIZE_FORMAT
                         " are needed for %s, a seasonal model with period %u",
                         n, need, name, m);
          else
            g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_TOO_SHORT,
                         "series has %" G_GSIZE_FORMAT " values; at least %" G_GSIZE_FORMAT
                         " are needed for %s", n, need, name);
          return FALSE;
        }
    }
  else
    {
      /* R's tiny-data rule counts the given components only */
      OrdEtsSpec given = { ORD_ETS_ADDITIVE,
                           want.trend == ORD_ETS_AUTO ? ORD_ETS_NONE : want.trend,
                           want.season == ORD_ETS_AUTO ? ORD_ETS_NONE : want.season,
                           want.trend != ORD_ETS_AUTO && want.damped };
      guint npars = 2 + (given.trend != ORD_ETS_NONE ? 2 : 0) +
                    (given.season != ORD_ETS_NONE ? m : 0) + (given.damped ? 1 : 0);

      if (n <= npars + 4)
        {
          g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_TOO_SHORT,
                       "series has %" G_GSIZE_FORMAT " values; at least %u are needed to "
                       "select an exponential smoothing model", n, npars + 5);
          return FALSE;
        }
    }
  if (!positive && (want.error == ORD_ETS_MULTIPLICATIVE || want.trend == ORD_ETS_MULTIPLICATIVE ||
                    want.season == ORD_ETS_MULTIPLICATIVE))
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_NOT_POSITIVE,
                   "the series has zero or negative values; multiplicative components "
                   "need strictly positive data");
      return FALSE;
    }

  if (want.error == ORD_ETS_AUTO)
    {
      errors[n_errors++] = ORD_ETS_ADDITIVE;
      errors[n_errors++] = ORD_ETS_MULTIPLICATIVE;
    }
  else
    errors[n_errors++] = want.error;
  if (want.trend == ORD_ETS_AUTO)
    {
      trends[n_trends++] = ORD_ETS_NONE;
      trends[n_trends++] = ORD_ETS_ADDITIVE;
      if (options->allow_multiplicative_trend)
        trends[n_trends++] = ORD_ETS_MULTIPLICATIVE;
    }
  else
    trends[n_trends++] = want.trend;
  if (want.season == ORD_ETS_AUTO)
    {
      seasons[n_seasons++] = ORD_ETS_NONE;
      seasons[n_seasons++] = ORD_ETS_ADDITIVE;
      seasons[n_seasons++] = ORD_ETS_MULTIPLICATIVE;
    }
  else
    seasons[n_seasons++] = want.season;

  for (ie = 0; ie < n_errors; ie++)
    for (it = 0; it < n_trends; it++)
      for (is = 0; is < n_seasons; is++)
        for (id = 0; id < 2; id++)
          {
            OrdEtsSpec cand = { errors[ie], trends[it], seasons[is], id == 0 };
            OrdEtsModel *model;
            double ic;

            if (want.trend != ORD_ETS_AUTO && cand.damped != (want.damped != FALSE))
              continue;
            if (cand.trend == ORD_ETS_NONE && cand.damped)
              continue;
            if (options->restrict_models)
              {
                if (cand.error == ORD_ETS_ADDITIVE &&
                    (cand.trend == ORD_ETS_MULTIPLICATIVE || cand.season == ORD_ETS_MULTIPLICATIVE))
                  continue;
                if (cand.error == ORD_ETS_MULTIPLICATIVE && cand.trend == ORD_ETS_MULTIPLICATIVE &&
                    cand.season == ORD_ETS_ADDITIVE)
                  continue;
              }
            if (options->additive_only &&
                (cand.error == ORD_ETS_MULTIPLICATIVE || cand.trend == ORD_ETS_MULTIPLICATIVE ||
                 cand.season == ORD_ETS_MULTIPLICATIVE))
              continue;
            if (!positive && (cand.error == ORD_ETS_MULTIPLICATIVE ||
                              cand.trend == ORD_ETS_MULTIPLICATIVE ||
                              cand.season == ORD_ETS_MULTIPLICATIVE))
              continue;

            model = fit_one (y, n, m, &cand, spread, &tuning);
            if (model == NULL)
              continue;
            ic = ic_of (model, options->ic);
            if (!isnan (ic) && ic < best_ic)
              {
                g_clear_pointer (&best, ord_ets_model_free);
                best = model;
                best_ic = ic;
              }
            else
              ord_ets_model_free (model);
          }

  if (best == NULL)
    {
      OrdEtsSpec ann = { ORD_ETS_ADDITIVE, ORD_ETS_NONE, ORD_ETS_NONE, FALSE };

      if (n < min_length (&ann, 1))
        g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_TOO_SHORT,
                     "series has %" G_GSIZE_FORMAT " values; at least %" G_GSIZE_FORMAT
                     " are needed to fit an exponential smoothing model",
                     n, min_length (&ann, 1));
      else
        g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_FAILED,
                     "no exponential smoothing model could be fitted to this series "
                     "(%" G_GSIZE_FORMAT " values); try a seasonal naive forecast", n);
      return FALSE;
    }

  *out = best;
  return TRUE;
}

/**
 * ord_ets_fit_fixed:
 * @y: (array length=n): the series
 * @n: its length
 * @period: seasonal period (ignored for a non-seasonal @spec)
 * @spec: the model form (no %ORD_ETS_AUTO)
 * @alpha: level smoothing
 * @beta: trend smoothing (ignored without trend)
 * @gamma: seasonal smoothing (ignored without season)
 * @phi: damping (ignored unless damped)
 * @initial_states: (array length=n_states): l₀, b₀, s₀ … s₋ₘ₊₁ as R's `model$states[1, ]`
 * @n_states: their number
 * @out: (out): the model
 * @error: return location for a #GError
 *
 * Evaluates a model with given parameters and initial states, without
 * estimation; the criteria count the parameters as if estimated, as R's
 * `ets(y, model = fit, use.initial.values = TRUE)`.
 *
 * Returns: %TRUE on success
 */
gboolean
ord_ets_fit_fixed (const double      *y,
                   gsize              n,
                   guint              period,
                   const OrdEtsSpec  *spec,
                   double             alpha,
                   double             beta,
                   double             gamma,
                   double             phi,
                   const double      *initial_states,
                   guint              n_states,
                   OrdEtsModel      **out,
                   GError           **error)
{
  guint m;

  g_return_val_if_fail (y != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (initial_states != NULL, FALSE);
  g_return_val_if_fail (out != NULL && *out == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (spec->error != ORD_ETS_ADDITIVE && spec->error != ORD_ETS_MULTIPLICATIVE)
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                   "the error component must be additive or multiplicative");
      return FALSE;
    }
  if (spec->trend == ORD_ETS_AUTO || spec->season == ORD_ETS_AUTO)
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                   "a fixed model needs every component given, not automatic");
      return FALSE;
    }
  m = spec->season != ORD_ETS_NONE ? period : 1;
  if (m < 1 || (spec->season != ORD_ETS_NONE && (m < 2 || m > 24)))
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                   "seasonal period %u is out of range (2 to 24 for a seasonal ETS model)",
                   period);
      return FALSE;
    }
  if (n_states != spec_n_states (spec, m))
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                   "%u initial states given; this model has %u", n_states,
                   spec_n_states (spec, m));
      return FALSE;
    }
  if (n < 1 || !check_series (y, n, error))
    {
      if (n < 1)
        g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_TOO_SHORT,
                     "the series is empty");
      return FALSE;
    }
  if (alpha <= 0 || alpha > 1)
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID,
                   "alpha %g must be in (0, 1]", alpha);
      return FALSE;
    }

  *out = model_new (y, n, m, spec, alpha, beta, gamma, phi, initial_states);
  return TRUE;
}

/**
 * ord_ets_spec_to_string:
 * @spec: a model form
 *
 * Returns: (transfer full): the name R gives it, e.g. “ETS(M,Ad,N)”
 */
char *
ord_ets_spec_to_string (const OrdEtsSpec *spec)
{
  static const char letters[] = "NAM";
  char e, t, s;

  g_return_val_if_fail (spec != NULL, NULL);

  e = spec->error == ORD_ETS_AUTO ? 'Z' : letters[CLAMP (spec->error, 0, 2)];
  t = spec->trend == ORD_ETS_AUTO ? 'Z' : letters[CLAMP (spec->trend, 0, 2)];
  s = spec->season == ORD_ETS_AUTO ? 'Z' : letters[CLAMP (spec->season, 0, 2)];
  return g_strdup_printf ("ETS(%c,%c%s,%c)", e, t,
                          spec->damped && spec->trend != ORD_ETS_NONE ? "d" : "", s);
}

/**
 * ord_ets_model_name:
 * @model: a fitted model
 *
 * Returns: (transfer full): e.g. “ETS(M,Ad,N)”
 */
char *
ord_ets_model_name (const OrdEtsModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);

  return ord_ets_spec_to_string (&model->spec);
}

static gboolean
parse_component (char             c,
                 OrdEtsComponent *out)
{
  switch (c)
    {
    case 'N': *out = ORD_ETS_NONE; return TRUE;
    case 'A': *out = ORD_ETS_ADDITIVE; return TRUE;
    case 'M': *out = ORD_ETS_MULTIPLICATIVE; return TRUE;
    case 'Z': *out = ORD_ETS_AUTO; return TRUE;
    default: return FALSE;
    }
}

/**
 * ord_ets_spec_parse:
 * @name: “ETS(M,Ad,N)”, “MAdN” or R's three-letter codes such as “ZZZ”
 * @spec: (out): the form
 *
 * Returns: %TRUE when @name is understood
 */
gboolean
ord_ets_spec_parse (const char *name,
                    OrdEtsSpec *spec)
{
  char letters[4] = { 0 };
  gboolean damped = FALSE;
  guint k = 0;
  const char *p;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  if (g_str_has_prefix (name, "ETS("))
    name += 4;
  for (p = name; *p != '\0' && *p != ')'; p++)
    {
      if (*p == ',' || *p == ' ')
        continue;
      if (*p == 'd' && k == 2)
        {
          damped = TRUE;
          continue;
        }
      if (k >= 3)
        return FALSE;
      letters[k++] = *p;
    }
  if (k != 3)
    return FALSE;
  if (!parse_component (letters[0], &spec->error) ||
      !parse_component (letters[1], &spec->trend) ||
      !parse_component (letters[2], &spec->season))
    return FALSE;
  if (spec->error == ORD_ETS_NONE)
    return FALSE;
  spec->damped = damped;
  return TRUE;
}

/**
 * ord_ets_model_free:
 * @model: (nullable): a model
 *
 * Frees @model.
 */
void
ord_ets_model_free (OrdEtsModel *model)
{
  if (model == NULL)
    return;
  g_free (model->initial_states);
  g_free (model->final_states);
  g_free (model->y);
  g_free (model->fitted);
  g_free (model->residuals);
  g_free (model);
}
