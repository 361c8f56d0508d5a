/* ord-logreg.h: L2-regularised logistic regression fitted by Newton (IRLS)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ORD_LOGREG_ERROR (ord_logreg_error_quark ())

/**
 * OrdLogRegError:
 * @ORD_LOGREG_ERROR_INVALID: the data cannot be fitted (one class only,
 *   a label that is not 0 or 1, a value that is not finite…)
 * @ORD_LOGREG_ERROR_FAILED: the Newton iterations broke down
 *
 * Errors reported by ord_logreg_fit().
 */
typedef enum
{
  ORD_LOGREG_ERROR_INVALID,
  ORD_LOGREG_ERROR_FAILED,
} OrdLogRegError;

/**
 * OrdLogRegOptions:
 * @C: inverse regularisation strength, as scikit-learn's `C`: the
 *   objective is `C · Σ wᵢ · logloss(i) + ½ ‖β‖²` (the intercept is not
 *   penalised); a large value (1e10) gives the unpenalised maximum likelihood
 * @fit_intercept: whether to fit an intercept
 * @max_iter: maximum number of Newton iterations
 * @tol: stop when the largest absolute gradient component, relative to
 *   `1 + C · Σ wᵢ`, is at most this
 *
 * Options of ord_logreg_fit(). Initialise with ord_logreg_options_init().
 */
typedef struct
{
  double   C;
  gboolean fit_intercept;
  guint    max_iter;
  double   tol;
} OrdLogRegOptions;

/**
 * OrdLogReg:
 * @n_features: number of features
 * @coef: (array length=n_features): one coefficient per feature
 * @intercept: the intercept (0 when not fitted)
 * @n_iter: Newton iterations used
 * @converged: whether the gradient criterion was met
 *
 * A fitted model: plain numbers, safe to store.
 */
typedef struct
{
  guint    n_features;
  double  *coef;
  double   intercept;
  guint    n_iter;
  gboolean converged;
} OrdLogReg;

/**
 * OrdStandardizer:
 * @n_features: number of features
 * @mean: (array length=n_features): mean of each feature
 * @scale: (array length=n_features): population standard deviation of
 *   each feature (1 for a constant feature), as scikit-learn's `StandardScaler`
 *
 * Centres and scales features: `z = (x - mean) / scale`.
 */
typedef struct
{
  guint   n_features;
  double *mean;
  double *scale;
} OrdStandardizer;

/**
 * OrdContribution:
 * @feature: index of the feature
 * @contribution: coefficient × standardised value: positive values push the
 *   probability up, negative ones down
 *
 * One term of a per-observation explanation.
 */
typedef struct
{
  guint  feature;
  double contribution;
} OrdContribution;

GQuark           ord_logreg_error_quark     (void);

void             ord_logreg_options_init    (OrdLogRegOptions        *options);
OrdLogReg       *ord_logreg_fit             (const double            *x,
                                             const double            *y,
                                             const double            *sample_weight,
                                             gsize                    n,
                                             guint                    p,
                                             const OrdLogRegOptions  *options,
                                             GError                 **error);
OrdLogReg       *ord_logreg_new             (guint                    n_features,
                                             const double            *coef,
                                             double                   intercept);
void             ord_logreg_free            (OrdLogReg               *model);
double           ord_logreg_decision        (const OrdLogReg         *model,
                                             const double            *row);
double           ord_logreg_predict_proba   (const OrdLogReg         *model,
                                             const double            *row);
void             ord_logreg_predict_proba_many (const OrdLogReg      *model,
                                             const double            *x,
                                             gsize                    n,
                                             double                  *proba);
guint            ord_logreg_explain         (const OrdLogReg         *model,
                                             const double            *row,
                                             guint                    n_top,
                                             OrdContribution         *out);

OrdStandardizer *ord_standardizer_fit       (const double            *x,
                                             gsize                    n,
                                             guint                    p);
void             ord_standardizer_transform (const OrdStandardizer   *standardizer,
                                             const double            *x,
                                             gsize                    n,
                                             double                  *out);
void             ord_standardizer_free      (OrdStandardizer         *standardizer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdLogReg, ord_logreg_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdStandardizer, ord_standardizer_free)

G_END_DECLS
