/* ord-money.c: integer money in minor units with an ISO 4217 currency
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-money"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ord-money.h"

G_DEFINE_QUARK (ord-money-error-quark, ord_money_error)

/* 10^0 … 10^18: every power of ten that fits in a gint64. */
static const gint64 powers_of_ten[] = {
  G_GINT64_CONSTANT (1),
  G_GINT64_CONSTANT (10),
  G_GINT64_CONSTANT (100),
  G_GINT64_CONSTANT (1000),
  G_GINT64_CONSTANT (10000),
  G_GINT64_CONSTANT (100000),
  G_GINT64_CONSTANT (1000000),
  G_GINT64_CONSTANT (10000000),
  G_GINT64_CONSTANT (100000000),
  G_GINT64_CONSTANT (1000000000),
  G_GINT64_CONSTANT (10000000000),
  G_GINT64_CONSTANT (100000000000),
  G_GINT64_CONSTANT (1000000000000),
  G_GINT64_CONSTANT (10000000000000),
  G_GINT64_CONSTANT (100000000000000),
  G_GINT64_CONSTANT (1000000000000000),
  G_GINT64_CONSTANT (10000000000000000),
  G_GINT64_CONSTANT (100000000000000000),
  G_GINT64_CONSTANT (1000000000000000000),
};

#define MAX_DIGITS (G_N_ELEMENTS (powers_of_ten) - 1)

/* ISO 4217 minor units that are not 2 (list of 2024). */
static const struct
{
  const char *code;
  guint       digits;
} currency_digits[] = {
  { "BHD", 3 }, { "BIF", 0 }, { "CLF", 4 }, { "CLP", 0 }, { "DJF", 0 },
  { "GNF", 0 }, { "IQD", 3 }, { "ISK", 0 }, { "JOD", 3 }, { "JPY", 0 },
  { "KMF", 0 }, { "KRW", 0 }, { "KWD", 3 }, { "LYD", 3 }, { "OMR", 3 },
  { "PYG", 0 }, { "RWF", 0 }, { "TND", 3 }, { "UGX", 0 }, { "UYI", 0 },
  { "UYW", 4 }, { "VND", 0 }, { "VUV", 0 }, { "XAF", 0 }, { "XOF", 0 },
  { "XPF", 0 },
};

/* Symbols written before the amount; every other currency is written
 * after it, as its code ("12.50 CHF"), which nobody misreads. */
static const struct
{
  const char *code;
  const char *symbol;
} currency_symbols[] = {
  { "EUR", "€" },
  { "GBP", "£" },
  { "JPY", "¥" },
  { "USD", "$" },
};

#define MINUS_SIGN "\xe2\x88\x92" /* U+2212 MINUS SIGN */

/**
 * ord_currency_is_valid:
 * @code: (nullable): a currency code
 *
 * Whether @code looks like an ISO 4217 code: exactly three ASCII upper-case
 * letters. The code is not checked against the list of existing currencies.
 *
 * Returns: %TRUE if @code is usable as a currency
 */
gboolean
ord_currency_is_valid (const char *code)
{
  if (code == NULL)
    return FALSE;

  for (guint i = 0; i < 3; i++)
    if (code[i] < 'A' || code[i] > 'Z')
      return FALSE;

  return code[3] == '\0';
}

/**
 * ord_currency_get_digits:
 * @code: a currency code
 *
 * The number of decimals of the currency's minor unit: 0 for JPY, KRW, ISK,
 * …, 3 for BHD, KWD, OMR, …, 2 for everything else.
 *
 * Returns: the number of digits after the decimal point
 */
guint
ord_currency_get_digits (const char *code)
{
  g_return_val_if_fail (code != NULL, 2);

  for (guint i = 0; i < G_N_ELEMENTS (currency_digits); i++)
    if (strcmp (currency_digits[i].code, code) == 0)
      return currency_digits[i].digits;

  return 2;
}

/**
 * ord_money_init:
 * @amount: minor units
 * @currency: an ISO 4217 code
 *
 * Returns: an #OrdMoney holding @amount of @currency; the code is copied
 *   as it is (at most 3 characters), check it with ord_currency_is_valid()
 */
OrdMoney
ord_money_init (gint64      amount,
                const char *currency)
{
  OrdMoney money = { amount, { 0, } };

  if (currency != NULL)
    g_strlcpy (money.currency, currency, sizeof money.currency);

  return money;
}

static gboolean
check_currency (const char  *currency,
                GError     **error)
{
  if (ord_currency_is_valid (currency))
    return TRUE;

  g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_INVALID_CURRENCY,
               _("“%s” is not a currency code: use three capital letters such as EUR"),
               currency != NULL ? currency : "");
  return FALSE;
}

static gboolean
check_same_currency (const OrdMoney  *a,
                     const OrdMoney  *b,
                     GError         **error)
{
  if (!check_currency (a->currency, error) || !check_currency (b->currency, error))
    return FALSE;

  if (strcmp (a->currency, b->currency) != 0)
    {
      g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_CURRENCY_MISMATCH,
                   _("Cannot combine amounts in %s and %s"),
                   a->currency, b->currency);
      return FALSE;
    }

  return TRUE;
}

static gboolean
set_overflow_error (GError **error)
{
  g_set_error_literal (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_OVERFLOW,
                       _("The amount is too large"));
  return FALSE;
}

/**
 * ord_money_add:
 * @a: an amount
 * @b: an amount in the same currency
 * @result: (out caller-allocates): where to store @a + @b
 * @error: return location for a #GError
 *
 * Adds two amounts. @result may be @a or @b; it is left untouched on error.
 *
 * Returns: %TRUE on success, %FALSE on a currency mismatch or overflow
 */
gboolean
ord_money_add (const OrdMoney  *a,
               const OrdMoney  *b,
               OrdMoney        *result,
               GError         **error)
{
  gint64 sum;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_same_currency (a, b, error))
    return FALSE;
  if (__builtin_add_overflow (a->amount, b->amount, &sum))
    return set_overflow_error (error);

  *result = ord_money_init (sum, a->currency);
  return TRUE;
}

/**
 * ord_money_subtract:
 * @a: an amount
 * @b: an amount in the same currency
 * @result: (out caller-allocates): where to store @a − @b
 * @error: return location for a #GError
 *
 * Subtracts @b from @a. @result may be @a or @b; it is left untouched on
 * error.
 *
 * Returns: %TRUE on success, %FALSE on a currency mismatch or overflow
 */
gboolean
ord_money_subtract (const OrdMoney  *a,
                    const OrdMoney  *b,
                    OrdMoney        *result,
                    GError         **error)
{
  gint64 difference;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_same_currency (a, b, error))
    return FALSE;
  if (__builtin_sub_overflow (a->amount, b->amount, &difference))
    return set_overflow_error (error);

  *result = ord_money_init (difference, a->currency);
  return TRUE;
}

/**
 * ord_money_multiply:
 * @a: an amount
 * @factor: an integer factor (a quantity)
 * @result: (out caller-allocates): where to store @a × @factor
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success, %FALSE on an invalid currency or overflow
 */
gboolean
ord_money_multiply (const OrdMoney  *a,
                    gint64           factor,
                    OrdMoney        *result,
                    GError         **error)
{
  gint64 product;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_currency (a->currency, error))
    return FALSE;
  if (__builtin_mul_overflow (a->amount, factor, &product))
    return set_overflow_error (error);

  *result = ord_money_init (product, a->currency);
  return TRUE;
}

/* numerator / denominator rounded to the nearest integer, halves away from
 * zero; FALSE when the result does not fit in a gint64. */
static gboolean
divide_round_half_away_128 (__int128  numerator,
                            gint64    denominator,
                            gint64   *result)
{
  __int128 quotient;
  __int128 remainder;
  unsigned __int128 abs_remainder;
  unsigned __int128 abs_denominator;

  g_assert (denominator != 0);

  quotient = numerator / denominator;
  remainder = numerator % denominator;
  abs_remainder = remainder < 0 ? -(unsigned __int128) remainder : (unsigned __int128) remainder;
  abs_denominator = denominator < 0 ? -(unsigned __int128) denominator
                                    : (unsigned __int128) denominator;

  if (abs_remainder * 2 >= abs_denominator && abs_remainder != 0)
    quotient += ((numerator < 0) == (denominator < 0)) ? 1 : -1;

  if (quotient > G_MAXINT64 || quotient < G_MININT64)
    return FALSE;

  *result = (gint64) quotient;
  return TRUE;
}

/**
 * ord_round_half_away:
 * @numerator: the dividend
 * @denominator: the divisor, not 0
 *
 * Divides and rounds to the nearest integer; an exact half goes away from
 * zero: 5/2 = 3, −5/2 = −3, 7/4 = 2, −7/4 = −2. This is the rounding of
 * tax and rates everywhere in Orderly (and of most tills and invoices).
 *
 * The only quotient that does not fit, %G_MININT64 / −1, saturates to
 * %G_MAXINT64.
 *
 * Returns: the rounded quotient
 */
gint64
ord_round_half_away (gint64 numerator,
                     gint64 denominator)
{
  gint64 result;

  g_return_val_if_fail (denominator != 0, 0);

  if (!divide_round_half_away_128 (numerator, denominator, &result))
    return G_MAXINT64;

  return result;
}

/**
 * ord_money_apply_rate:
 * @a: an amount
 * @basis_points: a rate in hundredths of a percent (2000 = 20 %)
 * @result: (out caller-allocates): where to store @a × @basis_points / 10000
 * @error: return location for a #GError
 *
 * Applies a rate (tax, a percentage discount), rounding the exact result to
 * the nearest minor unit, halves away from zero (see ord_round_half_away()).
 *
 * Returns: %TRUE on success, %FALSE on an invalid currency or overflow
 */
gboolean
ord_money_apply_rate (const OrdMoney  *a,
                      guint            basis_points,
                      OrdMoney        *result,
                      GError         **error)
{
  gint64 value;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_currency (a->currency, error))
    return FALSE;

  /* |amount| < 2^63 and basis_points < 2^32: the product fits in 2^95. */
  if (!divide_round_half_away_128 ((__int128) a->amount * basis_points, 10000, &value))
    return set_overflow_error (error);

  *result = ord_money_init (value, a->currency);
  return TRUE;
}

/* Parses @text with @digits decimals; @currency (nullable) only makes the
 * error messages more precise. */
static gboolean
parse_amount (const char  *text,
              guint        digits,
              const char  *currency,
              gint64      *result,
              GError     **error)
{
  const char *start;
  const char *end;
  const char *p;
  gboolean negative = FALSE;
  guint64 magnitude = 0;
  guint64 limit;
  guint n_int_digits = 0;
  guint n_frac_digits = 0;
  guint n_significant_frac = 0;
  g_autofree char *shown = NULL;

  /* Surrounding blanks are what spreadsheets and forms leave; ignore them. */
  start = text;
  while (g_ascii_isspace (*start))
    start++;
  end = start + strlen (start);
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  shown = g_strndup (start, end - start);

  if (start == end)
    {
      g_set_error_literal (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_PARSE,
                           _("The amount is empty"));
      return FALSE;
    }

  p = start;
  if (*p == '-' || *p == '+')
    {
      negative = (*p == '-');
      p++;
    }

  for (; p < end && g_ascii_isdigit (*p); p++)
    {
      if (__builtin_mul_overflow (magnitude, 10, &magnitude) ||
          __builtin_add_overflow (magnitude, (guint64) (*p - '0'), &magnitude))
        goto overflow;
      n_int_digits++;
    }

  if (p < end && *p == '.')
    {
      p++;
      for (; p < end && g_ascii_isdigit (*p); p++)
        {
          n_frac_digits++;
          if (*p != '0')
            n_significant_frac = n_frac_digits;
        }
    }

  if (p != end || n_int_digits + n_frac_digits == 0)
    {
      gboolean looks_grouped = n_int_digits > 0 && n_frac_digits == 0 && p + 1 < end &&
                               (*p == ',' || *p == '\'' || *p == ' ' || *p == '_') &&
                               g_ascii_isdigit (p[1]);

      if (looks_grouped)
        g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_PARSE,
                     _("“%s” is not an amount: write it without thousands separators, "
                       "with a dot before the decimals, like 1234.50"),
                     shown);
      else
        g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_PARSE,
                     _("“%s” is not an amount: write digits with an optional dot "
                       "before the decimals, like 1234.50"),
                     shown);
      return FALSE;
    }

  /* Trailing zeros beyond the currency's decimals ("5.000" for 2 digits)
   * change nothing and are accepted; anything else would need rounding,
   * which a parser must never do silently. */
  if (n_significant_frac > digits)
    {
      if (currency != NULL)
        g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_PARSE,
                     _("“%s” has more decimals than %s allows (%u)"),
                     shown, currency, digits);
      else
        g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_PARSE,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "“%s” has more than %u decimal",
                                  "“%s” has more than %u decimals",
                                  digits),
                     shown, digits);
      return FALSE;
    }

  /* Scale the integer part, then add the fraction digits. */
  if (__builtin_mul_overflow (magnitude, (guint64) powers_of_ten[digits], &magnitude))
    goto overflow;

  if (n_frac_digits > 0)
    {
      const char *frac = strchr (start, '.') + 1;
      guint64 fraction = 0;

      for (guint i = 0; i < digits; i++)
        fraction = fraction * 10 + (i < n_frac_digits ? (guint64) (frac[i] - '0') : 0);

      if (__builtin_add_overflow (magnitude, fraction, &magnitude))
        goto overflow;
    }

  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
  if (magnitude > limit)
    goto overflow;

  if (negative)
    *result = magnitude == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) magnitude;
  else
    *result = (gint64) magnitude;

  return TRUE;

overflow:
  g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_OVERFLOW,
               _("“%s” is too large an amount"), shown);
  return FALSE;
}

/**
 * ord_amount_parse:
 * @text: an amount such as "2.55", "-10", "+0.5"
 * @digits: the number of decimals of the minor unit (at most 18)
 * @result: (out): the amount in minor units: "2.55" with 2 digits is 255
 * @error: return location for a #GError
 *
 * Parses the machine form of an amount, as ord_amount_format_plain()
 * writes it: an optional sign, digits, optionally a dot and at most
 * @digits decimals (further zeros are accepted: they change nothing).
 * Blanks around the number are ignored. Thousands separators, a comma as
 * decimal point, exponents and currency symbols are refused, and so is an
 * amount that would need rounding.
 *
 * Returns: %TRUE on success, %FALSE with %ORD_MONEY_ERROR_PARSE or
 *   %ORD_MONEY_ERROR_OVERFLOW
 */
gboolean
ord_amount_parse (const char  *text,
                  guint        digits,
                  gint64      *result,
                  GError     **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (digits <= MAX_DIGITS, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return parse_amount (text, digits, NULL, result, error);
}

/**
 * ord_money_parse:
 * @text: an amount such as "2.55"
 * @currency: the currency, whose minor unit decides the decimals
 * @result: (out caller-allocates): the money
 * @error: return location for a #GError
 *
 * ord_amount_parse() with the decimals of @currency.
 *
 * Returns: %TRUE on success
 */
gboolean
ord_money_parse (const char  *text,
                 const char  *currency,
                 OrdMoney    *result,
                 GError     **error)
{
  gint64 amount;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_currency (currency, error))
    return FALSE;
  if (!parse_amount (text, ord_currency_get_digits (currency), currency, &amount, error))
    return FALSE;

  *result = ord_money_init (amount, currency);
  return TRUE;
}

/* Writes |amount| with @digits decimals into @out, optionally grouping the
 * integer part by thousands with @separator. */
static void
append_magnitude (GString    *out,
                  gint64      amount,
                  guint       digits,
                  const char *separator)
{
  guint64 magnitude = amount < 0 ? -(guint64) amount : (guint64) amount;
  guint64 scale = (guint64) powers_of_ten[digits];
  guint64 integer = magnitude / scale;
  guint64 fraction = magnitude % scale;
  char buffer[32];
  gsize len;

  len = g_snprintf (buffer, sizeof buffer, "%" G_GUINT64_FORMAT, integer);

  if (separator == NULL)
    g_string_append (out, buffer);
  else
    for (gsize i = 0; i < len; i++)
      {
        if (i > 0 && (len - i) % 3 == 0)
          g_string_append (out, separator);
        g_string_append_c (out, buffer[i]);
      }

  if (digits > 0)
    g_string_append_printf (out, ".%0*" G_GUINT64_FORMAT, (int) digits, fraction);
}

/**
 * ord_amount_format_plain:
 * @amount: minor units
 * @digits: the number of decimals of the minor unit (at most 18)
 *
 * The machine form of an amount: "1234.50", "-0.05", "500" (0 digits).
 * ord_amount_parse() reads it back to the same value. For files and the
 * wire, never for people.
 *
 * Returns: (transfer full): the text
 */
char *
ord_amount_format_plain (gint64 amount,
                         guint  digits)
{
  GString *out;

  g_return_val_if_fail (digits <= MAX_DIGITS, NULL);

  out = g_string_sized_new (24);
  if (amount < 0)
    g_string_append_c (out, '-');
  append_magnitude (out, amount, digits, NULL);

  return g_string_free (out, FALSE);
}

/**
 * ord_money_format_plain:
 * @money: an amount
 *
 * ord_amount_format_plain() with the decimals of the money's currency,
 * without any symbol: "1234.50".
 *
 * Returns: (transfer full): the text
 */
char *
ord_money_format_plain (const OrdMoney *money)
{
  g_return_val_if_fail (money != NULL, NULL);

  return ord_amount_format_plain (money->amount, ord_currency_get_digits (money->currency));
}

/**
 * ord_money_format:
 * @money: an amount
 *
 * The amount for people: "£2.55", "€1,234.50", "¥500", "−$3.00" (with a
 * real minus sign), and for currencies without a well-known symbol the
 * code after the number: "1,234.50 CHF".
 *
 * Returns: (transfer full): the text
 */
char *
ord_money_format (const OrdMoney *money)
{
  const char *symbol = NULL;
  GString *out;

  g_return_val_if_fail (money != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (currency_symbols); i++)
    if (strcmp (currency_symbols[i].code, money->currency) == 0)
      symbol = currency_symbols[i].symbol;

  out = g_string_sized_new (32);
  if (money->amount < 0)
    g_string_append (out, MINUS_SIGN);
  if (symbol != NULL)
    g_string_append (out, symbol);
  append_magnitude (out, money->amount, ord_currency_get_digits (money->currency), ",");
  if (symbol == NULL && money->currency[0] != '\0')
    {
      g_string_append_c (out, ' ');
      g_string_append (out, money->currency);
    }

  return g_string_free (out, FALSE);
}

/* An amount in an error message: "12.50" when the currency is known, the
 * plain number of minor units otherwise. */
static char *
format_for_error (gint64      amount,
                  const char *currency)
{
  if (currency == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, amount);

  return ord_amount_format_plain (amount, ord_currency_get_digits (currency));
}

/**
 * ord_totals_compute_for_currency:
 * @lines: (array length=n_lines): the order's lines
 * @n_lines: the number of lines
 * @order_discount: the order-level discount, minor units
 * @tax_rate_bp: the tax rate in basis points (2000 = 20 %)
 * @currency: (nullable): the currency, only to write amounts in error
 *   messages as "12.50" rather than 1250 minor units
 * @totals: (out caller-allocates): the result
 * @error: return location for a #GError
 *
 * See ord_totals_compute().
 *
 * Returns: %TRUE on success
 */
gboolean
ord_totals_compute_for_currency (const OrdLineAmount  *lines,
                                 guint                 n_lines,
                                 gint64                order_discount,
                                 guint                 tax_rate_bp,
                                 const char           *currency,
                                 OrdTotals            *totals,
                                 GError              **error)
{
  gint64 subtotal = 0;
  gint64 net;
  gint64 tax;
  gint64 total;

  g_return_val_if_fail (lines != NULL || n_lines == 0, FALSE);
  g_return_val_if_fail (totals != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (currency != NULL && !check_currency (currency, error))
    return FALSE;

  for (guint i = 0; i < n_lines; i++)
    {
      const OrdLineAmount *line = &lines[i];
      guint number = i + 1;
      gint64 gross;
      gint64 line_total;

      if (line->quantity <= 0)
        {
          g_autofree char *quantity = g_strdup_printf ("%" G_GINT64_FORMAT, line->quantity);

          g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_NEGATIVE,
                       _("line %u: quantity “%s” must be positive"),
                       number, quantity);
          return FALSE;
        }

      if (line->unit_price < 0)
        {
          g_autofree char *price = format_for_error (line->unit_price, currency);

          g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_NEGATIVE,
                       _("line %u: unit price “%s” must not be negative"),
                       number, price);
          return FALSE;
        }

      if (line->discount < 0)
        {
          g_autofree char *discount = format_for_error (line->discount, currency);

          g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_NEGATIVE,
                       _("line %u: discount “%s” must not be negative"),
                       number, discount);
          return FALSE;
        }

      if (__builtin_mul_overflow (line->unit_price, line->quantity, &gross))
        {
          g_autofree char *price = format_for_error (line->unit_price, currency);
          g_autofree char *quantity = g_strdup_printf ("%" G_GINT64_FORMAT, line->quantity);

          g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_OVERFLOW,
                       _("line %u: unit price “%s” × quantity “%s” is too large"),
                       number, price, quantity);
          return FALSE;
        }

      if (line->discount > gross)
        {
          g_autofree char *discount = format_for_error (line->discount, currency);
          g_autofree char *amount = format_for_error (gross, currency);

          g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_NEGATIVE,
                       _("line %u: discount “%s” is more than the line’s amount (%s)"),
                       number, discount, amount);
          return FALSE;
        }

      line_total = gross - line->discount;

      if (__builtin_add_overflow (subtotal, line_total, &subtotal))
        {
          g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_OVERFLOW,
                       _("line %u: the order’s subtotal is too large"), number);
          return FALSE;
        }
    }

  if (order_discount < 0)
    {
      g_autofree char *discount = format_for_error (order_discount, currency);

      g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_NEGATIVE,
                   _("The order discount “%s” must not be negative"), discount);
      return FALSE;
    }

  if (order_discount > subtotal)
    {
      g_autofree char *discount = format_for_error (order_discount, currency);
      g_autofree char *amount = format_for_error (subtotal, currency);

      g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_NEGATIVE,
                   _("The order discount “%s” is more than the subtotal (%s)"),
                   discount, amount);
      return FALSE;
    }

  net = subtotal - order_discount;

  /* Once per order, on the discounted subtotal: per-line rounding would
   * make the tax depend on how the lines are split. */
  if (!divide_round_half_away_128 ((__int128) net * tax_rate_bp, 10000, &tax) ||
      __builtin_add_overflow (net, tax, &total))
    {
      g_set_error_literal (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_OVERFLOW,
                           _("The order’s total with tax is too large"));
      return FALSE;
    }

  totals->subtotal = subtotal;
  totals->discount = order_discount;
  totals->tax = tax;
  totals->total = total;

  return TRUE;
}

/**
 * ord_totals_compute:
 * @lines: (array length=n_lines): the order's lines
 * @n_lines: the number of lines
 * @order_discount: the order-level discount, minor units
 * @tax_rate_bp: the tax rate in basis points (2000 = 20 %)
 * @totals: (out caller-allocates): the result
 * @error: return location for a #GError
 *
 * Computes an order's totals, in minor units:
 *
 * - each line: unit price × quantity − line discount, where the quantity
 *   is > 0, the unit price ≥ 0 and 0 ≤ line discount ≤ price × quantity;
 * - subtotal: the sum of the lines;
 * - discount: the order discount, 0 ≤ discount ≤ subtotal;
 * - tax: (subtotal − discount) × rate / 10000, rounded once per order to
 *   the nearest minor unit, halves away from zero;
 * - total: subtotal − discount + tax.
 *
 * @totals is left untouched on error; the message names the line (from 1)
 * and the value.
 *
 * Returns: %TRUE on success, %FALSE with %ORD_MONEY_ERROR_NEGATIVE for a
 *   value out of its range or %ORD_MONEY_ERROR_OVERFLOW
 */
gboolean
ord_totals_compute (const OrdLineAmount  *lines,
                    guint                 n_lines,
                    gint64                order_discount,
                    guint                 tax_rate_bp,
                    OrdTotals            *totals,
                    GError              **error)
{
  return ord_totals_compute_for_currency (lines, n_lines, order_discount, tax_rate_bp,
                                          NULL, totals, error);
}
