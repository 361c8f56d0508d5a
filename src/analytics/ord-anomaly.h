/* ord-anomaly.h: outliers in a time series (robust seasonal decomposition + 3 IQR)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ORD_ANOMALY_ERROR (ord_anomaly_error_quark ())

/**
 * OrdAnomalyError:
 * @ORD_ANOMALY_ERROR_INVALID: the series cannot be examined (too short,
 *   an infinite value…)
 *
 * Errors reported by ord_anomalies_detect().
 */
typedef enum
{
  ORD_ANOMALY_ERROR_INVALID,
} OrdAnomalyError;

/**
 * OrdAnomalies:
 * @n: number of outliers
 * @index: (array length=n): their positions in the series, increasing
 * @replacement: (array length=n): a suggested value for each: the series
 *   interpolated through the outliers (seasonally, when the series has a
 *   marked season)
 * @seasonally_adjusted: whether the season was strong enough to be removed
 *   before looking for outliers
 *
 * Outliers found by ord_anomalies_detect(). Free with ord_anomalies_free().
 */
typedef struct
{
  gsize    n;
  gsize   *index;
  double  *replacement;
  gboolean seasonally_adjusted;
} OrdAnomalies;

GQuark        ord_anomaly_error_quark   (void);

OrdAnomalies *ord_anomalies_detect      (const double  *x,
                                         gsize          n,
                                         guint          period,
                                         guint          iterations,
                                         GError       **error);
void          ord_anomalies_free        (OrdAnomalies  *anomalies);

void          ord_robust_decompose      (const double  *x,
                                         gsize          n,
                                         guint          period,
                                         double        *trend,
                                         double        *seasonal);
void          ord_supsmu                (const double  *x,
                                         const double  *y,
                                         gsize          n,
                                         double        *smooth);
void          ord_interpolate_missing   (double        *x,
                                         gsize          n,
                                         guint          period);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdAnomalies, ord_anomalies_free)

G_END_DECLS
