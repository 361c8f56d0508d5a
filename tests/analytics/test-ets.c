/* test-ets.c: ETS fits, forecasts and intervals against R's forecast::ets
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reference values come from R (fixtures/ets/r-*.ini, written by
 * make-ets-fixtures.py with Debian's r-cran-forecast 8.20) and from the R
 * results statsmodels ships (fixtures/ets/sm-*.ini).
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "ord-forecast.h"

static GKeyFile *
load_fixture (const char *name)
{
  const char *srcdir = g_getenv ("ORDERLY_TEST_SRCDIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  GKeyFile *kf = g_key_file_new ();

  /* meson sets it to the source tests/ folder */
  g_assert_nonnull (srcdir);
  path = g_build_filename (srcdir, "analytics", "fixtures", "ets", name, NULL);
  g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  return kf;
}

static double *
get_list (GKeyFile   *kf,
          const char *group,
          const char *key,
          gsize      *len)
{
  g_autoptr(GError) error = NULL;
  double *v = g_key_file_get_double_list (kf, group, key, len, &error);

  g_assert_no_error (error);
  return v;
}

static double
get_double (GKeyFile   *kf,
            const char *group,
            const char *key,
            double      fallback)
{
  g_autoptr(GError) error = NULL;
  double v;

  if (!g_key_file_has_key (kf, group, key, NULL))
    return fallback;
  v = g_key_file_get_double (kf, group, key, &error);
  g_assert_no_error (error);
  return v;
}

static gboolean
close_rel (double a,
           double b,
           double tol)
{
  return fabs (a - b) <= tol * MAX (1.0, fabs (b));
}

#define assert_close(a, b, tol, what) \
  G_STMT_START { \
    double a_ = (a), b_ = (b); \
    if (!close_rel (a_, b_, tol)) \
      g_error ("%s: %.10g, R says %.10g (tolerance %g)", what, a_, b_, tol); \
  } G_STMT_END

/* A group's model form: R's method name or statsmodels' code + damped */
static void
group_spec (GKeyFile   *kf,
            const char *group,
            OrdEtsSpec *spec)
{
  g_autofree char *method = g_key_file_get_string (kf, group, "method", NULL);

  if (method != NULL)
    g_assert_true (ord_ets_spec_parse (method, spec));
  else
    {
      g_autofree char *code = g_key_file_get_string (kf, group, "model", NULL);
      g_assert_nonnull (code);
      g_assert_true (ord_ets_spec_parse (code, spec));
      spec->damped = g_key_file_get_boolean (kf, group, "damped", NULL);
    }
}

/* Given R's parameters and initial states, our recursions give R's fitted
 * values, residuals, likelihood and forecasts. */
static void
check_fixed (const char *fixture,
             gboolean    with_intervals)
{
  g_autoptr(GKeyFile) kf = load_fixture (fixture);
  g_auto(GStrv) groups = g_key_file_get_groups (kf, NULL);
  g_autofree double *y = NULL;
  gsize n, g, checked = 0;
  guint period = g_key_file_get_integer (kf, "series", "period", NULL);

  y = get_list (kf, "series", "values", &n);

  for (g = 0; groups[g] != NULL; g++)
    {
      const char *group = groups[g];
      g_autoptr(OrdEtsModel) model = NULL;
      g_autoptr(OrdForecast) fc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree double *init = NULL;
      g_autofree double *fitted = NULL;
      g_autofree double *mean = NULL;
      g_autofree char *name = NULL;
      OrdEtsSpec spec;
      gsize n_init, n_fitted, n_mean, i;
      double levels[2] = { 80, 95 };

      if (g_str_equal (group, "series"))
        continue;
      group_spec (kf, group, &spec);
      name = ord_ets_spec_to_string (&spec);
      init = get_list (kf, group, "initstate", &n_init);
      ord_ets_fit_fixed (y, n, period, &spec,
                         get_double (kf, group, "alpha", 0),
                         get_double (kf, group, "beta", 0),
                         get_double (kf, group, "gamma", 0),
                         get_double (kf, group, "phi", 1),
                         init, n_init, &model, &error);
      g_assert_no_error (error);

      fitted = get_list (kf, group, "fitted", &n_fitted);
      g_assert_cmpuint (n_fitted, ==, n);
      for (i = 0; i < n; i++)
        assert_close (model->fitted[i], fitted[i], 1e-5, name);
      assert_close (model->loglik, get_double (kf, group, "loglik", NAN), 1e-6, name);
      if (g_key_file_has_key (kf, group, "aicc", NULL))
        assert_close (model->aicc, get_double (kf, group, "aicc", NAN), 1e-6, name);
      if (g_key_file_has_key (kf, group, "sigma2", NULL) &&
          g_key_file_has_key (kf, group, "aicc", NULL))
        assert_close (model->sigma2, get_double (kf, group, "sigma2", NAN), 1e-6, name);

      if (g_key_file_has_key (kf, group, "laststate", NULL))
        {
          g_autofree double *last = get_list (kf, group, "laststate", &n_init);
          g_assert_cmpuint (n_init, ==, model->n_states);
          for (i = 0; i < n_init; i++)
            assert_close (model->final_states[i], last[i], 1e-5, name);
        }

      /* R's damped class 3 uses l + b instead of l + φ b; not comparable. */
      if (spec.damped && spec.error == ORD_ETS_MULTIPLICATIVE &&
          spec.season == ORD_ETS_MULTIPLICATIVE)
        continue;

      mean = get_list (kf, group, g_key_file_has_key (kf, group, "mean", NULL) ? "mean" : "forecast",
                       &n_mean);
      ord_ets_forecast (model, n_mean, levels, 2, &fc, &error);
      g_assert_no_error (error);
      for (i = 0; i < n_mean; i++)
        assert_close (fc->mean[i], mean[i], 1e-3, name);

      /* Analytic intervals. R's class1() (also used by class2()) puts γ on
       * the second seasonal state when there is no trend, shifting the
       * variance jump one step early; compare those models only before
       * the first season ends. */
      if (with_intervals && !fc->simulated)
        {
          static const char *keys[4] = { "lower80", "upper80", "lower95", "upper95" };
          gsize upto = n_mean;
          guint k;

          if (spec.trend == ORD_ETS_NONE && spec.season == ORD_ETS_ADDITIVE)
            upto = MIN (n_mean, period - 1);
          for (k = 0; k < 4; k++)
            {
              g_autofree double *ref = get_list (kf, group, keys[k], &n_mean);
              const double *ours = (k % 2 == 0 ? fc->lower : fc->upper) + (k / 2) * fc->horizon;

              for (i = 0; i < upto; i++)
                assert_close (ours[i], ref[i], 1e-3, name);
            }
        }
      checked++;
    }
  g_assert_cmpuint (checked, >, 3);
}

static void
test_fixed_statsmodels (void)
{
  check_fixed ("sm-austourists.ini", FALSE);
  check_fixed ("sm-oildata.ini", FALSE);
}

static void
test_fixed_r (gconstpointer data)
{
  check_fixed (data, TRUE);
}

/* Our Nelder–Mead finds a likelihood at least as good as R's for every
 * form R fitted; the automatic choice is R's, or one with no worse AICc. */
static void
test_optimiser (gconstpointer data)
{
  g_autoptr(GKeyFile) kf = load_fixture (data);
  g_auto(GStrv) groups = g_key_file_get_groups (kf, NULL);
  g_autofree double *y = NULL;
  guint period = g_key_file_get_integer (kf, "series", "period", NULL);
  gsize n, g;

  y = get_list (kf, "series", "values", &n);
  for (g = 0; groups[g] != NULL; g++)
    {
      const char *group = groups[g];
      g_autoptr(OrdEtsModel) model = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *ours = NULL;
      g_autofree char *theirs = NULL;
      OrdEtsSpec spec;
      double r_loglik, r_aicc;

      if (g_str_equal (group, "series"))
        continue;
      group_spec (kf, group, &spec);
      theirs = ord_ets_spec_to_string (&spec);
      r_loglik = get_double (kf, group, "loglik", NAN);
      r_aicc = get_double (kf, group, "aicc", NAN);

      ord_ets_fit (y, n, period, g_str_equal (group, "auto") ? NULL : &spec, &model, &error);
      g_assert_no_error (error);
      ours = ord_ets_model_name (model);

      if (g_str_equal (group, "auto"))
        {
          g_test_message ("%s: R picks %s (AICc %.4f), we pick %s (AICc %.4f)",
                          (const char *) data, theirs, r_aicc, ours, model->aicc);
          if (!g_str_equal (ours, theirs))
            g_assert_cmpfloat (model->aicc, <=, r_aicc + 1e-4);
        }
      else
        {
          g_assert_cmpstr (ours, ==, theirs);
          g_test_message ("%s %s: loglik ours %.6f, R %.6f", (const char *) data, ours,
                          model->loglik, r_loglik);
          if (model->loglik < r_loglik - 1e-4)
            g_error ("%s %s: our log-likelihood %.6f is worse than R's %.6f",
                     (const char *) data, ours, model->loglik, r_loglik);
        }
    }
}

/* Simulated intervals agree with the analytic ones of a linear model. */
static void
test_simulated_intervals (void)
{
  g_autoptr(GKeyFile) kf = load_fixture ("r-USAccDeaths.ini");
  g_autoptr(OrdEtsModel) model = NULL;
  g_autoptr(OrdForecast) analytic = NULL;
  g_autoptr(OrdForecast) simulated = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *y = NULL;
  OrdEtsSpec spec = { ORD_ETS_ADDITIVE, ORD_ETS_ADDITIVE, ORD_ETS_ADDITIVE, FALSE };
  double levels[2] = { 80, 95 };
  gsize n, i;

  y = get_list (kf, "series", "values", &n);
  ord_ets_fit (y, n, 12, &spec, &model, &error);
  g_assert_no_error (error);
  ord_ets_forecast (model, 12, levels, 2, &analytic, &error);
  g_assert_no_error (error);
  g_assert_false (analytic->simulated);
  ord_ets_forecast_simulated (model, 12, levels, 2, 5000, 42, &simulated, &error);
  g_assert_no_error (error);
  g_assert_true (simulated->simulated);

  for (i = 0; i < 2 * 12; i++)
    {
      double width_a = analytic->upper[i] - analytic->lower[i];
      double width_s = simulated->upper[i] - simulated->lower[i];
      g_assert_cmpfloat (fabs (width_a - width_s), <, 0.06 * width_a);
    }
}

static void
test_errors (void)
{
  double y[5] = { 1, 2, 3, 4, 5 };
  double z[20];
  OrdEtsSpec ana = { ORD_ETS_ADDITIVE, ORD_ETS_NONE, ORD_ETS_ADDITIVE, FALSE };
  OrdEtsSpec mnn = { ORD_ETS_MULTIPLICATIVE, ORD_ETS_NONE, ORD_ETS_NONE, FALSE };
  OrdEtsSpec anm = { ORD_ETS_ADDITIVE, ORD_ETS_NONE, ORD_ETS_MULTIPLICATIVE, FALSE };
  OrdEtsModel *model = NULL;
  GError *error = NULL;
  guint i;

  g_assert_false (ord_ets_fit (y, 5, 1, NULL, &model, &error));
  g_assert_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_TOO_SHORT);
  g_assert_nonnull (strstr (error->message, "5 values"));
  g_clear_error (&error);

  for (i = 0; i < 20; i++)
    z[i] = 10.0 + (double) (i % 4) - (i == 7 ? 20.0 : 0.0);
  g_assert_false (ord_ets_fit (z, 13, 12, &ana, &model, &error));
  g_assert_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_TOO_SHORT);
  g_assert_nonnull (strstr (error->message, "period 12"));
  g_clear_error (&error);

  g_assert_false (ord_ets_fit (z, 20, 1, &mnn, &model, &error));
  g_assert_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_NOT_POSITIVE);
  g_clear_error (&error);

  z[7] = 3;
  g_assert_false (ord_ets_fit (z, 20, 4, &anm, &model, &error));
  g_assert_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_FORBIDDEN);
  g_clear_error (&error);

  z[3] = NAN;
  g_assert_false (ord_ets_fit (z, 20, 1, NULL, &model, &error));
  g_assert_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_NO_VALUE);
  g_clear_error (&error);
  g_assert_null (model);
}

static void
test_names (void)
{
  OrdEtsSpec spec;
  g_autofree char *a = NULL;

  g_assert_true (ord_ets_spec_parse ("ETS(M,Ad,N)", &spec));
  g_assert_cmpint (spec.error, ==, ORD_ETS_MULTIPLICATIVE);
  g_assert_cmpint (spec.trend, ==, ORD_ETS_ADDITIVE);
  g_assert_cmpint (spec.season, ==, ORD_ETS_NONE);
  g_assert_true (spec.damped);
  a = ord_ets_spec_to_string (&spec);
  g_assert_cmpstr (a, ==, "ETS(M,Ad,N)");
  g_assert_false (ord_ets_spec_parse ("ETS(N,A,N)", &spec));
  g_assert_false (ord_ets_spec_parse ("XYZ", &spec));
}

int
main (int   argc,
      char *argv[])
{
  static const char *r_fixtures[] = {
    "r-AirPassengers.ini", "r-USAccDeaths.ini", "r-UKgas.ini",
    "r-WWWusage.ini", "r-austres.ini", "r-nottem.ini",
  };
  guint i;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ets/fixed/statsmodels", test_fixed_statsmodels);
  for (i = 0; i < G_N_ELEMENTS (r_fixtures); i++)
    {
      g_autofree char *p1 = g_strdup_printf ("/ets/fixed/%s", r_fixtures[i]);
      g_autofree char *p2 = g_strdup_printf ("/ets/optimiser/%s", r_fixtures[i]);

      g_test_add_data_func (p1, r_fixtures[i], test_fixed_r);
      g_test_add_data_func (p2, r_fixtures[i], test_optimiser);
    }
  g_test_add_func ("/ets/simulated-intervals", test_simulated_intervals);
  g_test_add_func ("/ets/errors", test_errors);
  g_test_add_func ("/ets/names", test_names);

  return g_test_run ();
}
