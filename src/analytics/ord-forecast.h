/* ord-forecast.h: exponential smoothing (ETS), seasonal naive and STL forecasts
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ORD_FORECAST_ERROR (ord_forecast_error_quark ())

/**
 * OrdForecastError:
 * @ORD_FORECAST_ERROR_INVALID: an argument is out of range (period, horizon, level, …)
 * @ORD_FORECAST_ERROR_TOO_SHORT: the series is too short for the requested model
 * @ORD_FORECAST_ERROR_NOT_POSITIVE: a multiplicative model was asked for data with values ≤ 0
 * @ORD_FORECAST_ERROR_FORBIDDEN: the model combination is not allowed (unstable)
 * @ORD_FORECAST_ERROR_NO_VALUE: the series contains NaN or infinite values
 * @ORD_FORECAST_ERROR_FAILED: no model could be fitted
 *
 * Errors of the forecasting functions.
 */
typedef enum {
  ORD_FORECAST_ERROR_INVALID,
  ORD_FORECAST_ERROR_TOO_SHORT,
  ORD_FORECAST_ERROR_NOT_POSITIVE,
  ORD_FORECAST_ERROR_FORBIDDEN,
  ORD_FORECAST_ERROR_NO_VALUE,
  ORD_FORECAST_ERROR_FAILED,
} OrdForecastError;

/**
 * OrdEtsComponent:
 * @ORD_ETS_AUTO: chosen by information criterion (only in a spec passed to ord_ets_fit())
 * @ORD_ETS_NONE: component absent (trend, season)
 * @ORD_ETS_ADDITIVE: additive component
 * @ORD_ETS_MULTIPLICATIVE: multiplicative component
 *
 * The form of one ETS component. The numeric values of the last three match
 * the codes of R's forecast package (0, 1, 2).
 */
typedef enum {
  ORD_ETS_AUTO = -1,
  ORD_ETS_NONE = 0,
  ORD_ETS_ADDITIVE = 1,
  ORD_ETS_MULTIPLICATIVE = 2,
} OrdEtsComponent;

/**
 * OrdEtsSpec:
 * @error: %ORD_ETS_ADDITIVE or %ORD_ETS_MULTIPLICATIVE (or %ORD_ETS_AUTO)
 * @trend: trend form; %ORD_ETS_AUTO searches none/additive, damped or not
 * @season: seasonal form
 * @damped: whether the trend is damped (ignored when @trend is %ORD_ETS_AUTO)
 *
 * An ETS model form, as ETS(@error, @trend[d], @season).
 */
typedef struct {
  OrdEtsComponent error;
  OrdEtsComponent trend;
  OrdEtsComponent season;
  gboolean        damped;
} OrdEtsSpec;

/**
 * OrdEtsInfoCriterion:
 * @ORD_ETS_IC_AICC: corrected Akaike criterion (R's default)
 * @ORD_ETS_IC_AIC: Akaike criterion
 * @ORD_ETS_IC_BIC: Bayesian criterion
 */
typedef enum {
  ORD_ETS_IC_AICC,
  ORD_ETS_IC_AIC,
  ORD_ETS_IC_BIC,
} OrdEtsInfoCriterion;

/**
 * OrdEtsOptions:
 * @ic: criterion used for automatic selection
 * @allow_multiplicative_trend: also try multiplicative trends (off in R by default)
 * @restrict_models: skip the unstable combinations (additive error with a
 *   multiplicative component, M,M,A)
 * @additive_only: only consider additive models
 * @max_evaluations: likelihood evaluations per Nelder–Mead run (R: 2000)
 *
 * Knobs of the automatic fit; ord_ets_options_init() sets R's defaults.
 */
typedef struct {
  OrdEtsInfoCriterion ic;
  gboolean            allow_multiplicative_trend;
  gboolean            restrict_models;
  gboolean            additive_only;
  guint               max_evaluations;
} OrdEtsOptions;

/**
 * OrdEtsModel:
 * @spec: the model form (never contains %ORD_ETS_AUTO)
 * @period: seasonal period used by the model (1 for a non-seasonal model)
 * @alpha: level smoothing
 * @beta: trend smoothing (0 without trend)
 * @gamma: seasonal smoothing (0 without season)
 * @phi: damping (1 unless damped)
 * @n_states: length of @initial_states and @final_states: 1 + has trend + @period if seasonal
 * @initial_states: l₀, b₀, s₀, s₋₁, …, s₋ₘ₊₁ (R's `states[1, ]`)
 * @final_states: the same states after the last observation
 * @n: number of observations
 * @y: a copy of the series
 * @fitted: one-step fitted values
 * @residuals: innovations: y − ŷ (additive error) or (y − ŷ) / ŷ (multiplicative)
 * @sigma2: innovation variance, sum(@residuals²) / (@n − number of estimated parameters)
 * @loglik: log-likelihood as R reports it (−½ · n · log(Σe²) − Σ log|ŷ| for M error)
 * @aic: Akaike criterion
 * @aicc: corrected Akaike criterion
 * @bic: Bayesian criterion
 * @mse: mean squared one-step error
 * @n_params: number of estimated quantities + 1 (R's `np`), used by the criteria
 *
 * A fitted ETS model. Free with ord_ets_model_free().
 */
typedef struct {
  OrdEtsSpec spec;
  guint      period;
  double     alpha;
  double     beta;
  double     gamma;
  double     phi;
  guint      n_states;
  double    *initial_states;
  double    *final_states;
  gsize      n;
  double    *y;
  double    *fitted;
  double    *residuals;
  double     sigma2;
  double     loglik;
  double     aic;
  double     aicc;
  double     bic;
  double     mse;
  guint      n_params;
} OrdEtsModel;

/**
 * OrdForecast:
 * @horizon: number of steps
 * @mean: point forecasts, @horizon values
 * @n_levels: number of prediction-interval levels
 * @levels: the levels, in percent (e.g. 80, 95)
 * @lower: lower bounds, `lower[i * horizon + h]` for level i and step h
 * @upper: upper bounds, same layout
 * @closed: %NULL, or for each step whether the business is closed that day
 *   (its forecast and bounds are 0 and mean “closed”, not “no demand”)
 * @simulated: whether intervals come from simulated sample paths
 * @method: a name for people, e.g. “ETS(M,Ad,N)”, “STL + ETS(A,N,N)”, “Seasonal naive”
 *
 * Point forecasts and prediction intervals. Free with ord_forecast_free().
 */
typedef struct {
  guint     horizon;
  double   *mean;
  guint     n_levels;
  double   *levels;
  double   *lower;
  double   *upper;
  gboolean *closed;
  gboolean  simulated;
  char     *method;
} OrdForecast;

/**
 * OrdStl:
 * @n: series length
 * @period: seasonal period
 * @seasonal: seasonal component
 * @trend: trend component
 * @remainder: y − seasonal − trend
 * @weights: robustness weights (all 1 when not robust)
 *
 * An STL decomposition. Free with ord_stl_free().
 */
typedef struct {
  gsize   n;
  guint   period;
  double *seasonal;
  double *trend;
  double *remainder;
  double *weights;
} OrdStl;

/**
 * OrdStlOptions:
 * @s_window: seasonal loess span (odd, ≥ 7), or 0 for a periodic seasonal
 * @robust: use robustness iterations (15 outer loops)
 *
 * Other STL settings follow R's `stl()` defaults.
 */
typedef struct {
  guint    s_window;
  gboolean robust;
} OrdStlOptions;

GQuark        ord_forecast_error_quark (void);

void          ord_ets_options_init     (OrdEtsOptions       *options);

gboolean      ord_ets_fit              (const double        *y,
                                        gsize                n,
                                        guint                period,
                                        const OrdEtsSpec    *spec,
                                        OrdEtsModel        **out,
                                        GError             **error);
gboolean      ord_ets_fit_full         (const double        *y,
                                        gsize                n,
                                        guint                period,
                                        const OrdEtsSpec    *spec,
                                        const OrdEtsOptions *options,
                                        OrdEtsModel        **out,
                                        GError             **error);
gboolean      ord_ets_fit_fixed        (const double        *y,
                                        gsize                n,
                                        guint                period,
                                        const OrdEtsSpec    *spec,
                                        double               alpha,
                                        double               beta,
                                        double               gamma,
                                        double               phi,
                                        const double        *initial_states,
                                        guint                n_states,
                                        OrdEtsModel        **out,
                                        GError             **error);
char         *ord_ets_model_name       (const OrdEtsModel   *model);
char         *ord_ets_spec_to_string   (const OrdEtsSpec    *spec);
gboolean      ord_ets_spec_parse       (const char          *name,
                                        OrdEtsSpec          *spec);
gboolean      ord_ets_forecast         (const OrdEtsModel   *model,
                                        guint                horizon,
                                        const double        *levels,
                                        guint                n_levels,
                                        OrdForecast        **out,
                                        GError             **error);
gboolean      ord_ets_forecast_simulated (const OrdEtsModel *model,
                                        guint                horizon,
                                        const double        *levels,
                                        guint                n_levels,
                                        guint                n_paths,
                                        guint64              seed,
                                        OrdForecast        **out,
                                        GError             **error);
void          ord_ets_model_free       (OrdEtsModel         *model);

gboolean      ord_snaive_forecast      (const double        *y,
                                        gsize                n,
                                        guint                period,
                                        guint                horizon,
                                        const double        *levels,
                                        guint                n_levels,
                                        OrdForecast        **out,
                                        GError             **error);

void          ord_stl_options_init     (OrdStlOptions       *options);
gboolean      ord_stl_decompose        (const double        *y,
                                        gsize                n,
                                        guint                period,
                                        const OrdStlOptions *options,
                                        OrdStl             **out,
                                        GError             **error);
void          ord_stl_free             (OrdStl              *stl);

gboolean      ord_stlf_forecast        (const double        *y,
                                        gsize                n,
                                        guint                period,
                                        guint                horizon,
                                        const double        *levels,
                                        guint                n_levels,
                                        OrdForecast        **out,
                                        GError             **error);
gboolean      ord_forecast_auto        (const double        *y,
                                        gsize                n,
                                        guint                period,
                                        const gboolean      *closed,
                                        guint                horizon,
                                        const double        *levels,
                                        guint                n_levels,
                                        OrdForecast        **out,
                                        GError             **error);
void          ord_forecast_free        (OrdForecast         *forecast);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdEtsModel, ord_ets_model_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdForecast, ord_forecast_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdStl, ord_stl_free)

G_END_DECLS
