/* ord-snaive.c: seasonal naive forecasts, the baseline of R's snaive()
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ord-snaive"

#include "config.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

#include "ord-forecast-private.h"

/**
 * ord_snaive_forecast:
 * @y: (array length=n): the series, oldest first
 * @n: its length
 * @period: seasonal period (1 gives the naive random-walk forecast)
 * @horizon: steps ahead
 * @levels: (array length=n_levels) (nullable): interval levels in percent
 * @n_levels: their number
 * @out: (out): the forecast
 * @error: return location for a #GError
 *
 * Repeats the last season; intervals as R's `snaive()`: σ² is the mean
 * squared seasonal difference and the standard error grows with the
 * number of whole seasons ahead, σ √(⌊(h − 1)/m⌋ + 1).
 *
 * Returns: %TRUE on success
 */
gboolean
ord_snaive_forecast (const double  *y,
                     gsize          n,
                     guint          period,
                     guint          horizon,
                     const double  *levels,
                     guint          n_levels,
                     OrdForecast  **out,
                     GError       **error)
{
  g_autoptr(OrdForecast) fc = NULL;
  double sse = 0, sigma;
  gsize i, count = 0;
  guint h, l;

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
  if (n < period)
    {
      g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_TOO_SHORT,
                   "series has %" G_GSIZE_FORMAT " values; a seasonal naive forecast with "
                   "period %u needs at least one full season", n, period);
      return FALSE;
    }
  for (i = 0; i < n; i++)
    if (!isfinite (y[i]))
      {
        g_set_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_NO_VALUE,
                     "value %" G_GSIZE_FORMAT " of the series is not a number; "
                     "fill or remove missing values before forecasting", i + 1);
        return FALSE;
      }

  for (i = period; i < n; i++)
    {
      double d = y[i] - y[i - period];
      sse += d * d;
      count++;
    }
  sigma = count > 0 ? sqrt (sse / count) : NAN;

  fc = ord_forecast_new (horizon, levels, n_levels);
  fc->method = g_strdup (period > 1 ? "Seasonal naive" : "Naive");
  for (h = 0; h < horizon; h++)
    fc->mean[h] = y[n - period + (h % period)];
  for (l = 0; l < n_levels; l++)
    {
      double z = gsl_cdf_ugaussian_Qinv ((100 - levels[l]) / 200);

      for (h = 0; h < horizon; h++)
        {
          double se = sigma * sqrt ((double) (h / period) + 1);
          fc->lower[l * horizon + h] = fc->mean[h] - z * se;
          fc->upper[l * horizon + h] = fc->mean[h] + z * se;
        }
    }

  *out = g_steal_pointer (&fc);
  return TRUE;
}
