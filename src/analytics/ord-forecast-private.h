/* ord-forecast-private.h: internals shared by the forecasting sources
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ord-forecast.h"

G_BEGIN_DECLS

/* R's lower = c(1e-4, 1e-4, 1e-4, 0.8), upper = c(0.9999, 0.9999, 0.9999, 0.98) */
#define ORD_ETS_LOWER_SMOOTH 1e-4
#define ORD_ETS_UPPER_SMOOTH 0.9999
#define ORD_ETS_LOWER_PHI    0.8
#define ORD_ETS_UPPER_PHI    0.98

/* Runs the ETS recursions from @x0 (full states, R order) and returns R's
 * `lik` (n·log Σe² + 2·Σ log|ŷ| for multiplicative error), +∞ when the
 * recursion breaks down. @sbuf holds @m doubles. @fitted, @resid and
 * @final_states may be %NULL. No allocation. */
double        ord_ets_recurse          (const double        *y,
                                        gsize                n,
                                        guint                m,
                                        int                  error,
                                        int                  trend,
                                        int                  season,
                                        double               alpha,
                                        double               beta,
                                        double               gamma,
                                        double               phi,
                                        const double        *x0,
                                        double              *sbuf,
                                        double              *fitted,
                                        double              *resid,
                                        double              *final_states);

/* Point forecasts from the states @x (R order), as R's etsforecast. */
void          ord_ets_point_forecast   (const double        *x,
                                        guint                m,
                                        int                  trend,
                                        int                  season,
                                        double               phi,
                                        double              *f,
                                        guint                h);

/* One simulated sample path of @h steps from states @x with innovations
 * @e, as R's etssimulate. @sbuf holds @m doubles. */
void          ord_ets_simulate_path    (const double        *x,
                                        guint                m,
                                        int                  error,
                                        int                  trend,
                                        int                  season,
                                        double               alpha,
                                        double               beta,
                                        double               gamma,
                                        double               phi,
                                        const double        *e,
                                        guint                h,
                                        double              *sbuf,
                                        double              *out);

/* Whether (alpha, beta, gamma, phi) lie in R's admissible region
 * (forecast's C++ `admissible()`), @m being 1 for non-seasonal models. */
gboolean      ord_ets_admissible       (double               alpha,
                                        double               beta,
                                        double               gamma,
                                        double               phi,
                                        gboolean             has_beta,
                                        gboolean             has_gamma,
                                        guint                m);

OrdForecast  *ord_forecast_new         (guint                horizon,
                                        const double        *levels,
                                        guint                n_levels);
gboolean      ord_forecast_check_levels (const double       *levels,
                                        guint                n_levels,
                                        GError             **error);

/* Sample quantile, R's type 8, of sorted @x. */
double        ord_forecast_quantile8   (const double        *sorted,
                                        gsize                n,
                                        double               p);

G_END_DECLS
