/* ord-roc.h: ROC AUC, ROC curve, calibration table and Brier score
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * OrdCalibrationBin:
 * @n: number of observations in the bin
 * @min_predicted: lowest predicted probability in the bin
 * @max_predicted: highest predicted probability in the bin
 * @mean_predicted: mean predicted probability
 * @observed_rate: share of positive outcomes
 *
 * One row of a calibration table.
 */
typedef struct
{
  gsize  n;
  double min_predicted;
  double max_predicted;
  double mean_predicted;
  double observed_rate;
} OrdCalibrationBin;

double ord_roc_auc           (const double      *scores,
                              const double      *y,
                              gsize              n);
gsize  ord_roc_curve         (const double      *scores,
                              const double      *y,
                              gsize              n,
                              double           **fpr,
                              double           **tpr,
                              double           **thresholds);
double ord_brier_score       (const double      *proba,
                              const double      *y,
                              gsize              n);
guint  ord_calibration_table (const double      *proba,
                              const double      *y,
                              gsize              n,
                              guint              n_bins,
                              OrdCalibrationBin *bins);

G_END_DECLS
