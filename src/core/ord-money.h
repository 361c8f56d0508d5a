/* ord-money.h: integer money in minor units with an ISO 4217 currency
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ORD_MONEY_ERROR (ord_money_error_quark ())

/* PARSE and OVERFLOW come from parsing and arithmetic; NEGATIVE means a
 * value out of its allowed range in ord_totals_compute(): a negative price
 * or discount, a quantity that is not positive, a discount larger than
 * the amount it applies to. */
typedef enum
{
  ORD_MONEY_ERROR_OVERFLOW,
  ORD_MONEY_ERROR_CURRENCY_MISMATCH,
  ORD_MONEY_ERROR_INVALID_CURRENCY,
  ORD_MONEY_ERROR_PARSE,
  ORD_MONEY_ERROR_NEGATIVE,
} OrdMoneyError;

/* An amount of money: minor units (cents, pence) and a currency code.
 * Never a double. */
typedef struct
{
  gint64 amount;
  char   currency[4];
} OrdMoney;

/* The totals of an order, all in the order's currency, in minor units.
 *
 * Rounding rule: the only division is the tax, computed ONCE per order as
 * (subtotal − discount) × rate_bp / 10000 and rounded to the nearest minor
 * unit, an exact half away from zero (ord_round_half_away()): 0.5 → 1,
 * −0.5 → −1. Lines are never rounded (integer price × integer quantity). */
typedef struct
{
  gint64 subtotal;   /* sum of (unit price × quantity − line discount) */
  gint64 discount;   /* order-level discount */
  gint64 tax;        /* tax on (subtotal − discount), rounded once per order */
  gint64 total;      /* subtotal − discount + tax */
} OrdTotals;

/* One line's numbers, for ord_totals_compute(). */
typedef struct
{
  gint64 unit_price;
  gint64 quantity;
  gint64 discount;
} OrdLineAmount;

GQuark       ord_money_error_quark      (void);

gboolean     ord_currency_is_valid      (const char     *code);
guint        ord_currency_get_digits    (const char     *code);

OrdMoney     ord_money_init             (gint64          amount,
                                         const char     *currency);
gboolean     ord_money_add              (const OrdMoney *a,
                                         const OrdMoney *b,
                                         OrdMoney       *result,
                                         GError        **error);
gboolean     ord_money_subtract         (const OrdMoney *a,
                                         const OrdMoney *b,
                                         OrdMoney       *result,
                                         GError        **error);
gboolean     ord_money_multiply         (const OrdMoney *a,
                                         gint64          factor,
                                         OrdMoney       *result,
                                         GError        **error);
gboolean     ord_money_apply_rate       (const OrdMoney *a,
                                         guint           basis_points,
                                         OrdMoney       *result,
                                         GError        **error);
gboolean     ord_money_parse            (const char     *text,
                                         const char     *currency,
                                         OrdMoney       *result,
                                         GError        **error);
char        *ord_money_format           (const OrdMoney *money);
char        *ord_money_format_plain     (const OrdMoney *money);

gboolean     ord_amount_parse           (const char     *text,
                                         guint           digits,
                                         gint64         *result,
                                         GError        **error);
char        *ord_amount_format_plain    (gint64          amount,
                                         guint           digits);

/* numerator / denominator to the nearest integer, halves away from zero:
 * 5/2 = 3, −5/2 = −3, 7/4 = 2. */
gint64       ord_round_half_away        (gint64          numerator,
                                         gint64          denominator);

gboolean     ord_totals_compute         (const OrdLineAmount *lines,
                                         guint                n_lines,
                                         gint64               order_discount,
                                         guint                tax_rate_bp,
                                         OrdTotals           *totals,
                                         GError             **error);
/* The same; @currency (nullable) only makes error messages write amounts
 * as "12.50" instead of minor units. */
gboolean     ord_totals_compute_for_currency (const OrdLineAmount *lines,
                                              guint                n_lines,
                                              gint64               order_discount,
                                              guint                tax_rate_bp,
                                              const char          *currency,
                                              OrdTotals           *totals,
                                              GError             **error);

G_END_DECLS
