/* ord-analytics-store.h: what the analytics read from the store: series, RFM, risk
 * features, baskets, and the stored cancellation-risk model
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ord-forecast.h"
#include "ord-logreg.h"
#include "ord-roc.h"
#include "ord-store.h"

G_BEGIN_DECLS

#define ORD_ANALYTICS_ERROR (ord_analytics_error_quark ())

/**
 * OrdAnalyticsError:
 * @ORD_ANALYTICS_ERROR_NO_DATA: the store holds too little for the analysis
 *   (no orders, no finished orders, one outcome only…)
 * @ORD_ANALYTICS_ERROR_INVALID: an argument is out of range
 * @ORD_ANALYTICS_ERROR_SQLITE: the database refused a query
 *
 * Errors of the analytics adapters.
 */
typedef enum
{
  ORD_ANALYTICS_ERROR_NO_DATA,
  ORD_ANALYTICS_ERROR_INVALID,
  ORD_ANALYTICS_ERROR_SQLITE,
} OrdAnalyticsError;

/**
 * OrdMeasure:
 * @ORD_MEASURE_ORDERS: number of orders (cancelled ones left out)
 * @ORD_MEASURE_REVENUE: sum of order totals, in minor units of the main currency
 *
 * What a series counts.
 */
typedef enum
{
  ORD_MEASURE_ORDERS,
  ORD_MEASURE_REVENUE,
} OrdMeasure;

/**
 * OrdInterval:
 * @ORD_INTERVAL_DAY: calendar days
 * @ORD_INTERVAL_WEEK: ISO weeks, Monday to Sunday
 * @ORD_INTERVAL_MONTH: calendar months
 *
 * The length of one step of a series.
 */
typedef enum
{
  ORD_INTERVAL_DAY,
  ORD_INTERVAL_WEEK,
  ORD_INTERVAL_MONTH,
} OrdInterval;

/**
 * OrdSeries:
 * @measure: what is counted
 * @interval: the length of a step
 * @n: number of steps
 * @values: (array length=n): the value of each step
 * @first: Julian day (#GDate) of the first day of the first step
 * @closed: (array length=n) (nullable): for daily series, %TRUE on days the
 *   shop was closed; %NULL for weekly and monthly series
 * @closed_weekdays: bit `1 << GDateWeekday` set for each weekday on which
 *   the shop never takes orders
 * @n_closed: number of %TRUE in @closed
 * @period: the natural season: 7 for days, 52 for weeks, 12 for months
 * @currency: the currency of a revenue series (the one most orders use;
 *   orders in other currencies are left out), "" when there are no orders
 * @n_orders: orders counted in @values
 * @n_other_currency: orders left out of a revenue series for their currency
 * @last_day: Julian day of the last order; weekly and monthly series end
 *   with the last whole week or month before or at it
 *
 * A time series of orders or revenue. Free with ord_series_free().
 */
typedef struct
{
  OrdMeasure  measure;
  OrdInterval interval;
  gsize       n;
  double     *values;
  guint32     first;
  gboolean   *closed;
  guint       closed_weekdays;
  gsize       n_closed;
  guint       period;
  char        currency[4];
  gsize       n_orders;
  gsize       n_other_currency;
  guint32     last_day;
} OrdSeries;

/**
 * OrdSeriesForecast:
 * @forecast: the forecast, as ord_forecast_auto() makes it
 * @model: (nullable): the ETS model behind it, refitted for reporting (on the
 *   open days only, and on the seasonally adjusted series for STL); %NULL
 *   for the seasonal naive fallback
 * @n_used: observations the model saw (open days only)
 * @period_used: season length the model saw: 6 for a week with one closed day
 *
 * A forecast with the model that made it.
 */
typedef struct
{
  OrdForecast *forecast;
  OrdEtsModel *model;
  gsize        n_used;
  guint        period_used;
} OrdSeriesForecast;

/**
 * OrdRfmTable:
 * @n: number of customers with at least one order that was not cancelled
 * @customer_ids: (array length=n): their ids
 * @names: (array length=n): their names
 * @recency: (array length=n): days from their last order to the last order
 *   in the data
 * @frequency: (array length=n): their orders, cancelled ones left out
 * @monetary: (array length=n): what they spent, minor units of @currency
 * @currency: the main currency (orders in others are not summed)
 * @last_day: Julian day of the last order in the data
 * @n_left_out: customers left out because they stand for many people (the
 *   "walk-in" customer an import creates for lines without a customer)
 *
 * Recency, frequency and monetary value of each customer. Free with
 * ord_rfm_table_free().
 */
typedef struct
{
  gsize    n;
  char   **customer_ids;
  char   **names;
  double  *recency;
  double  *frequency;
  double  *monetary;
  char     currency[4];
  guint32  last_day;
  gsize    n_left_out;
} OrdRfmTable;

/**
 * OrdRiskFeature:
 * @ORD_RISK_LEAD_DAYS: days from the order to its due date (0 without one)
 * @ORD_RISK_NO_DUE_DATE: 1 when the order has no due date
 * @ORD_RISK_LOG_VALUE: log(1 + total), the total in major units
 * @ORD_RISK_LOG_ITEMS: log(1 + number of lines)
 * @ORD_RISK_PAST_ORDERS: the customer's orders placed before this one
 * @ORD_RISK_PAST_CANCELLATIONS: of those, the ones cancelled before this
 *   order was placed
 * @ORD_RISK_PAST_CANCEL_RATE: past cancellations / past orders (0 for a
 *   first order)
 * @ORD_RISK_EDITS: times the order was edited
 * @ORD_RISK_MONDAY: placed on a Monday (the six features after it are the
 *   other weekdays, one-hot)
 * @ORD_RISK_TUESDAY: placed on a Tuesday
 * @ORD_RISK_WEDNESDAY: placed on a Wednesday
 * @ORD_RISK_THURSDAY: placed on a Thursday
 * @ORD_RISK_FRIDAY: placed on a Friday
 * @ORD_RISK_SATURDAY: placed on a Saturday
 * @ORD_RISK_SUNDAY: placed on a Sunday
 * @ORD_RISK_NIGHT: placed between 0:00 and 6:00 (one-hot with the next three)
 * @ORD_RISK_MORNING: placed between 6:00 and 12:00
 * @ORD_RISK_AFTERNOON: placed between 12:00 and 18:00
 * @ORD_RISK_EVENING: placed between 18:00 and 24:00
 * @ORD_RISK_N_FEATURES: number of features
 *
 * The features of an order known when it is placed (and its edits so far),
 * columns of #OrdRiskRows.
 */
typedef enum
{
  ORD_RISK_LEAD_DAYS,
  ORD_RISK_NO_DUE_DATE,
  ORD_RISK_LOG_VALUE,
  ORD_RISK_LOG_ITEMS,
  ORD_RISK_PAST_ORDERS,
  ORD_RISK_PAST_CANCELLATIONS,
  ORD_RISK_PAST_CANCEL_RATE,
  ORD_RISK_EDITS,
  ORD_RISK_MONDAY,
  ORD_RISK_TUESDAY,
  ORD_RISK_WEDNESDAY,
  ORD_RISK_THURSDAY,
  ORD_RISK_FRIDAY,
  ORD_RISK_SATURDAY,
  ORD_RISK_SUNDAY,
  ORD_RISK_NIGHT,
  ORD_RISK_MORNING,
  ORD_RISK_AFTERNOON,
  ORD_RISK_EVENING,
  ORD_RISK_N_FEATURES
} OrdRiskFeature;

/**
 * OrdRiskRows:
 * @n: number of orders
 * @p: number of features (%ORD_RISK_N_FEATURES)
 * @x: (array length=n*p): features, row-major (`x[i * p + j]`)
 * @y: (array length=n) (nullable): 1 for a cancelled order, 0 for a
 *   delivered one; %NULL for open orders
 * @created_at: (array length=n): when each order was placed (µs)
 * @order_ids: (array length=n): order ids
 * @numbers: (array length=n): order numbers
 * @customer_names: (array length=n): customer names
 * @totals: (array length=n): order totals, minor units of @currencies
 * @currencies: (array length=n): each order's currency
 * @statuses: (array length=n): each order's status
 *
 * Orders as rows of risk features. Finished orders come oldest first, so a
 * time-based hold-out is the tail; open orders are those that can still be
 * cancelled (pending, confirmed, preparing). Free with ord_risk_rows_free().
 */
typedef struct
{
  gsize       n;
  guint       p;
  double     *x;
  double     *y;
  gint64     *created_at;
  char      **order_ids;
  char      **numbers;
  char      **customer_names;
  gint64     *totals;
  char      **currencies;
  OrdStatus  *statuses;
} OrdRiskRows;

/**
 * OrdRiskModel:
 * @model: the logistic regression on standardised features, fitted on
 *   all the finished orders
 * @scaler: the feature means and scales
 * @trained_at: when it was trained (µs since the epoch)
 * @n_history: finished orders it learned from
 * @n_cancelled: of those, cancelled ones
 * @n_train: orders of the time-based training part
 * @n_test: orders of the hold-out (the most recent ones)
 * @auc: ROC AUC on the hold-out of a model fitted on the training part
 *   (NAN when the hold-out holds one outcome only)
 * @brier: Brier score on the hold-out (NAN as @auc)
 * @n_bins: rows of @calibration
 * @calibration: (array length=n_bins): calibration table on the hold-out
 *
 * A cancellation-risk model: plain numbers, stored in the database by
 * ord_risk_model_save(). Free with ord_risk_model_free().
 */
typedef struct
{
  OrdLogReg         *model;
  OrdStandardizer   *scaler;
  gint64             trained_at;
  gsize              n_history;
  gsize              n_cancelled;
  gsize              n_train;
  gsize              n_test;
  double             auc;
  double             brier;
  guint              n_bins;
  OrdCalibrationBin  calibration[10];
} OrdRiskModel;

/**
 * OrdRiskReason:
 * @feature: the feature, or the first of a group: %ORD_RISK_LEAD_DAYS for
 *   the due date, %ORD_RISK_PAST_CANCELLATIONS for the customer's
 *   cancellations, %ORD_RISK_MONDAY for the weekday, %ORD_RISK_NIGHT for
 *   the time of day
 * @contribution: its share of the log-odds against an average order:
 *   positive raises the risk
 *
 * One term of an explanation of a risk score.
 */
typedef struct
{
  OrdRiskFeature feature;
  double         contribution;
} OrdRiskReason;

/**
 * OrdBaskets:
 * @n_baskets: number of baskets (orders that were not cancelled and hold
 *   at least one product), oldest first
 * @basket_ptr: (array length=n_baskets+1): basket `b` holds
 *   `items[basket_ptr[b] … basket_ptr[b + 1] - 1]`
 * @items: (array): dense item indexes, each once per basket
 * @basket_customer: (array length=n_baskets): dense customer index of each
 * @basket_order_ids: (array length=n_baskets): the order of each basket
 * @n_items: number of distinct products
 * @item_ids: (array length=n_items): product ids
 * @item_skus: (array length=n_items): their SKUs ("" when none)
 * @item_names: (array length=n_items): their names
 * @n_customers: number of distinct customers
 * @customer_ids: (array length=n_customers): customer ids
 * @customer_names: (array length=n_customers): customer names
 *
 * Order baskets for recommendations, in the layout
 * ord_item_similarity_new() takes. Free with ord_baskets_free().
 */
typedef struct
{
  gsize    n_baskets;
  gsize   *basket_ptr;
  guint   *items;
  guint   *basket_customer;
  char   **basket_order_ids;
  guint    n_items;
  char   **item_ids;
  char   **item_skus;
  char   **item_names;
  guint    n_customers;
  char   **customer_ids;
  char   **customer_names;
} OrdBaskets;

GQuark             ord_analytics_error_quark   (void);

const char        *ord_measure_to_string       (OrdMeasure               measure);
gboolean           ord_measure_from_string     (const char              *text,
                                                OrdMeasure              *measure);
const char        *ord_interval_to_string      (OrdInterval              interval);
gboolean           ord_interval_from_string    (const char              *text,
                                                OrdInterval             *interval);

void               ord_detect_closed_days      (const double            *counts,
                                                gsize                    n,
                                                guint32                  first,
                                                gboolean                *closed,
                                                guint                   *closed_weekdays);
gsize              ord_open_days               (const double            *y,
                                                gsize                    n,
                                                guint                    period,
                                                const gboolean          *closed,
                                                double                  *open,
                                                gsize                   *index,
                                                guint                   *open_period);

OrdSeries         *ord_series_from_store       (OrdStore                *store,
                                                OrdMeasure               measure,
                                                OrdInterval              interval,
                                                GTimeZone               *tz,
                                                GError                 **error);
guint32            ord_series_step_start       (const OrdSeries         *series,
                                                gsize                    i);
gboolean          *ord_series_closed_ahead     (const OrdSeries         *series,
                                                guint                    horizon);
void               ord_series_free             (OrdSeries               *series);

OrdSeriesForecast *ord_series_forecast         (const double            *y,
                                                gsize                    n,
                                                guint                    period,
                                                const gboolean          *closed,
                                                guint                    horizon,
                                                const double            *levels,
                                                guint                    n_levels,
                                                GError                 **error);
void               ord_series_forecast_free    (OrdSeriesForecast       *forecast);

OrdRfmTable       *ord_rfm_from_store          (OrdStore                *store,
                                                GTimeZone               *tz,
                                                GError                 **error);
void               ord_rfm_table_free          (OrdRfmTable             *table);

const char        *ord_risk_feature_name       (OrdRiskFeature           feature);
gboolean           ord_risk_rows_from_store    (OrdStore                *store,
                                                GTimeZone               *tz,
                                                OrdRiskRows            **history,
                                                OrdRiskRows            **open,
                                                GError                 **error);
void               ord_risk_rows_free          (OrdRiskRows             *rows);

OrdRiskModel      *ord_risk_model_train        (const OrdRiskRows       *history,
                                                double                   holdout,
                                                gint64                   now,
                                                GError                 **error);
gboolean           ord_risk_model_save         (OrdStore                *store,
                                                const OrdRiskModel      *model,
                                                GError                 **error);
OrdRiskModel      *ord_risk_model_load         (OrdStore                *store,
                                                GError                 **error);
gboolean           ord_risk_model_is_stale     (const OrdRiskModel      *model,
                                                gsize                    n_history);
OrdRiskModel      *ord_risk_model_ensure       (OrdStore                *store,
                                                const OrdRiskRows       *history,
                                                gboolean                 force,
                                                gboolean                *retrained,
                                                GError                 **error);
double             ord_risk_model_score        (const OrdRiskModel      *model,
                                                const double            *row);
guint              ord_risk_model_explain      (const OrdRiskModel      *model,
                                                const double            *row,
                                                guint                    n_top,
                                                OrdRiskReason           *out);
char              *ord_risk_reason_describe    (const OrdRiskReason     *reason,
                                                const double            *row,
                                                const char              *currency);
void               ord_risk_model_free         (OrdRiskModel            *model);

OrdBaskets        *ord_baskets_from_store      (OrdStore                *store,
                                                GError                 **error);
void               ord_baskets_free            (OrdBaskets              *baskets);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdSeries, ord_series_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdSeriesForecast, ord_series_forecast_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdRfmTable, ord_rfm_table_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdRiskRows, ord_risk_rows_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdRiskModel, ord_risk_model_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdBaskets, ord_baskets_free)

G_END_DECLS
