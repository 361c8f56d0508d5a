/* test-money.c: integer money, parsing, formatting, rounding and totals
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "ord-money.h"

static void
test_currency_codes (void)
{
  g_assert_true (ord_currency_is_valid ("GBP"));
  g_assert_true (ord_currency_is_valid ("XAF"));
  g_assert_false (ord_currency_is_valid (NULL));
  g_assert_false (ord_currency_is_valid (""));
  g_assert_false (ord_currency_is_valid ("gbp"));
  g_assert_false (ord_currency_is_valid ("GB"));
  g_assert_false (ord_currency_is_valid ("GBPX"));
  g_assert_false (ord_currency_is_valid ("G1P"));
  g_assert_false (ord_currency_is_valid ("£"));

  /* ISO 4217 minor units */
  g_assert_cmpuint (ord_currency_get_digits ("JPY"), ==, 0);
  g_assert_cmpuint (ord_currency_get_digits ("KRW"), ==, 0);
  g_assert_cmpuint (ord_currency_get_digits ("ISK"), ==, 0);
  g_assert_cmpuint (ord_currency_get_digits ("CLP"), ==, 0);
  g_assert_cmpuint (ord_currency_get_digits ("VND"), ==, 0);
  g_assert_cmpuint (ord_currency_get_digits ("XOF"), ==, 0);
  g_assert_cmpuint (ord_currency_get_digits ("UGX"), ==, 0);
  g_assert_cmpuint (ord_currency_get_digits ("BHD"), ==, 3);
  g_assert_cmpuint (ord_currency_get_digits ("KWD"), ==, 3);
  g_assert_cmpuint (ord_currency_get_digits ("OMR"), ==, 3);
  g_assert_cmpuint (ord_currency_get_digits ("JOD"), ==, 3);
  g_assert_cmpuint (ord_currency_get_digits ("TND"), ==, 3);
  g_assert_cmpuint (ord_currency_get_digits ("GBP"), ==, 2);
  g_assert_cmpuint (ord_currency_get_digits ("EUR"), ==, 2);
  g_assert_cmpuint (ord_currency_get_digits ("USD"), ==, 2);
  g_assert_cmpuint (ord_currency_get_digits ("CHF"), ==, 2);
}

static void
test_amount_parse (void)
{
  static const struct
  {
    const char *text;
    guint       digits;
    gint64      expected;
  } cases[] = {
    { "2.55", 2, 255 },
    { "-2.55", 2, -255 },
    { "+0.5", 2, 50 },
    { "0", 2, 0 },
    { "-0", 2, 0 },
    { "10", 2, 1000 },
    { "0.05", 2, 5 },
    { ".5", 2, 50 },
    { "007.10", 2, 710 },
    { "2.550", 2, 255 },          /* an extra zero changes nothing */
    { " 7.5\t", 2, 750 },         /* blanks a spreadsheet leaves */
    { "500", 0, 500 },
    { "500.00", 0, 500 },
    { "1.234", 3, 1234 },
    { "-0.001", 3, -1 },
    { "9223372036854775807", 0, G_MAXINT64 },
    { "-9223372036854775808", 0, G_MININT64 },
    { "92233720368547758.07", 2, G_MAXINT64 },
    { "-92233720368547758.08", 2, G_MININT64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 value = 12345;

      g_test_message ("parsing “%s” with %u digits", cases[i].text, cases[i].digits);
      g_assert_true (ord_amount_parse (cases[i].text, cases[i].digits, &value, &error));
      g_assert_no_error (error);
      g_assert_cmpint (value, ==, cases[i].expected);
    }
}

static void
test_amount_parse_errors (void)
{
  static const struct
  {
    const char *text;
    guint       digits;
    int         code;
    const char *message;   /* NULL: only the code is checked */
  } cases[] = {
    { "", 2, ORD_MONEY_ERROR_PARSE, "The amount is empty" },
    { "   ", 2, ORD_MONEY_ERROR_PARSE, "The amount is empty" },
    { "abc", 2, ORD_MONEY_ERROR_PARSE, NULL },
    { "-", 2, ORD_MONEY_ERROR_PARSE, NULL },
    { ".", 2, ORD_MONEY_ERROR_PARSE, NULL },
    { "1.2.3", 2, ORD_MONEY_ERROR_PARSE, NULL },
    { "--1", 2, ORD_MONEY_ERROR_PARSE, NULL },
    { "+-1", 2, ORD_MONEY_ERROR_PARSE, NULL },
    { "1e5", 2, ORD_MONEY_ERROR_PARSE, NULL },
    { "0x10", 2, ORD_MONEY_ERROR_PARSE, NULL },
    { "£2.55", 2, ORD_MONEY_ERROR_PARSE, NULL },
    { "2.55 GBP", 2, ORD_MONEY_ERROR_PARSE, NULL },
    { "1,234.50", 2, ORD_MONEY_ERROR_PARSE,
      "“1,234.50” is not an amount: write it without thousands separators, "
      "with a dot before the decimals, like 1234.50" },
    { "1 000", 2, ORD_MONEY_ERROR_PARSE, NULL },
    { "2,55", 2, ORD_MONEY_ERROR_PARSE, NULL },
    { "0.001", 2, ORD_MONEY_ERROR_PARSE, "“0.001” has more than 2 decimals" },
    { "1.5", 0, ORD_MONEY_ERROR_PARSE, "“1.5” has more than 0 decimals" },
    { "1.0001", 3, ORD_MONEY_ERROR_PARSE, "“1.0001” has more than 3 decimals" },
    { "9223372036854775808", 0, ORD_MONEY_ERROR_OVERFLOW, NULL },
    { "-9223372036854775809", 0, ORD_MONEY_ERROR_OVERFLOW, NULL },
    { "92233720368547758.08", 2, ORD_MONEY_ERROR_OVERFLOW,
      "“92233720368547758.08” is too large an amount" },
    { "99999999999999999999999", 2, ORD_MONEY_ERROR_OVERFLOW, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 value = 12345;

      g_test_message ("parsing “%s” with %u digits", cases[i].text, cases[i].digits);
      g_assert_false (ord_amount_parse (cases[i].text, cases[i].digits, &value, &error));
      g_assert_error (error, ORD_MONEY_ERROR, cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpint (value, ==, 12345);  /* untouched */
    }
}

static void
test_money_parse (void)
{
  g_autoptr(GError) error = NULL;
  OrdMoney money;

  g_assert_true (ord_money_parse ("2.55", "GBP", &money, &error));
  g_assert_no_error (error);
  g_assert_cmpint (money.amount, ==, 255);
  g_assert_cmpstr (money.currency, ==, "GBP");

  g_assert_true (ord_money_parse ("500", "JPY", &money, &error));
  g_assert_cmpint (money.amount, ==, 500);
  g_assert_true (ord_money_parse ("1.5", "BHD", &money, &error));
  g_assert_cmpint (money.amount, ==, 1500);

  g_assert_false (ord_money_parse ("0.001", "GBP", &money, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "“0.001” has more decimals than GBP allows (2)");
  g_clear_error (&error);

  g_assert_false (ord_money_parse ("1.5", "JPY", &money, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "“1.5” has more decimals than JPY allows (0)");
  g_clear_error (&error);

  g_assert_false (ord_money_parse ("1", "gbp", &money, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_INVALID_CURRENCY);
  g_clear_error (&error);
}

static void
test_format_plain (void)
{
  static const struct
  {
    gint64      amount;
    guint       digits;
    const char *expected;
  } cases[] = {
    { 0, 2, "0.00" },
    { 5, 2, "0.05" },
    { -5, 2, "-0.05" },
    { 255, 2, "2.55" },
    { 123450, 2, "1234.50" },
    { -123450, 2, "-1234.50" },
    { 500, 0, "500" },
    { -500, 0, "-500" },
    { 1234, 3, "1.234" },
    { 1, 3, "0.001" },
    { G_MAXINT64, 2, "92233720368547758.07" },
    { G_MININT64, 2, "-92233720368547758.08" },
    { G_MININT64, 0, "-9223372036854775808" },
  };
  OrdMoney money;
  char *text;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *plain = ord_amount_format_plain (cases[i].amount, cases[i].digits);

      g_assert_cmpstr (plain, ==, cases[i].expected);
    }

  money = ord_money_init (123450, "EUR");
  text = ord_money_format_plain (&money);
  g_assert_cmpstr (text, ==, "1234.50");
  g_free (text);

  money = ord_money_init (-1500, "BHD");
  text = ord_money_format_plain (&money);
  g_assert_cmpstr (text, ==, "-1.500");
  g_free (text);
}

/* Whatever the CSV export writes, the import reads back to the same value. */
static void
test_round_trip (void)
{
  static const gint64 edges[] = {
    0, 1, -1, 9, -9, 10, 99, 100, 101, -101, 999, 1000, 123456789,
    G_MAXINT64, G_MAXINT64 - 1, G_MININT64, G_MININT64 + 1,
  };

  for (guint digits = 0; digits <= 4; digits++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (edges) + 2000; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *text = NULL;
          gint64 amount;
          gint64 parsed = 0;

          if (i < G_N_ELEMENTS (edges))
            amount = edges[i];
          else
            amount = (gint64) (((guint64) g_test_rand_int () << 32) | (guint32) g_test_rand_int ())
                     >> g_test_rand_int_range (0, 63);

          text = ord_amount_format_plain (amount, digits);
          if (!ord_amount_parse (text, digits, &parsed, &error))
            g_error ("“%s” (%" G_GINT64_FORMAT ", %u digits) does not parse: %s",
                     text, amount, digits, error->message);
          g_assert_cmpint (parsed, ==, amount);
        }
    }
}

static void
test_format (void)
{
  static const struct
  {
    gint64      amount;
    const char *currency;
    const char *expected;
  } cases[] = {
    { 255, "GBP", "£2.55" },
    { -255, "GBP", "−£2.55" },        /* U+2212 */
    { 123450, "EUR", "€1,234.50" },
    { 123456789, "EUR", "€1,234,567.89" },
    { 1000, "USD", "$10.00" },
    { 0, "USD", "$0.00" },
    { 7, "USD", "$0.07" },
    { 500, "JPY", "¥500" },
    { 1234567, "JPY", "¥1,234,567" },
    { 1250, "CHF", "12.50 CHF" },
    { -1250, "CHF", "−12.50 CHF" },
    { 100000, "CHF", "1,000.00 CHF" },
    { 1500, "BHD", "1.500 BHD" },
    { 999, "KRW", "999 KRW" },
    { G_MININT64, "USD", "−$92,233,720,368,547,758.08" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      OrdMoney money = ord_money_init (cases[i].amount, cases[i].currency);
      g_autofree char *text = ord_money_format (&money);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_arithmetic (void)
{
  g_autoptr(GError) error = NULL;
  OrdMoney a = ord_money_init (250, "EUR");
  OrdMoney b = ord_money_init (-1000, "EUR");
  OrdMoney r;

  g_assert_true (ord_money_add (&a, &b, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.amount, ==, -750);
  g_assert_cmpstr (r.currency, ==, "EUR");

  g_assert_true (ord_money_subtract (&a, &b, &r, &error));
  g_assert_cmpint (r.amount, ==, 1250);

  g_assert_true (ord_money_multiply (&a, -3, &r, &error));
  g_assert_cmpint (r.amount, ==, -750);

  /* The result may be one of the operands. */
  g_assert_true (ord_money_add (&a, &a, &a, &error));
  g_assert_cmpint (a.amount, ==, 500);
  g_assert_no_error (error);
}

static void
test_currency_mismatch (void)
{
  g_autoptr(GError) error = NULL;
  OrdMoney eur = ord_money_init (100, "EUR");
  OrdMoney usd = ord_money_init (100, "USD");
  OrdMoney bad = ord_money_init (100, "eur");
  OrdMoney r = ord_money_init (42, "XXX");

  g_assert_false (ord_money_add (&eur, &usd, &r, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_CURRENCY_MISMATCH);
  g_assert_cmpstr (error->message, ==, "Cannot combine amounts in EUR and USD");
  g_clear_error (&error);

  g_assert_false (ord_money_subtract (&usd, &eur, &r, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_CURRENCY_MISMATCH);
  g_clear_error (&error);

  g_assert_false (ord_money_add (&eur, &bad, &r, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_INVALID_CURRENCY);
  g_clear_error (&error);

  g_assert_false (ord_money_multiply (&bad, 2, &r, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_INVALID_CURRENCY);
  g_clear_error (&error);

  g_assert_false (ord_money_apply_rate (&bad, 2000, &r, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_INVALID_CURRENCY);
  g_clear_error (&error);

  /* Nothing was written on failure. */
  g_assert_cmpint (r.amount, ==, 42);
  g_assert_cmpstr (r.currency, ==, "XXX");
}

static void
test_overflow (void)
{
  g_autoptr(GError) error = NULL;
  OrdMoney max = ord_money_init (G_MAXINT64, "USD");
  OrdMoney min = ord_money_init (G_MININT64, "USD");
  OrdMoney one = ord_money_init (1, "USD");
  OrdMoney half = ord_money_init (G_MAXINT64 / 2 + 1, "USD");
  OrdMoney r = ord_money_init (42, "USD");

  g_assert_false (ord_money_add (&max, &one, &r, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_OVERFLOW);
  g_clear_error (&error);

  g_assert_false (ord_money_subtract (&min, &one, &r, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_OVERFLOW);
  g_clear_error (&error);

  g_assert_false (ord_money_subtract (&one, &min, &r, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_OVERFLOW);
  g_clear_error (&error);

  g_assert_false (ord_money_multiply (&half, 2, &r, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_OVERFLOW);
  g_clear_error (&error);

  g_assert_false (ord_money_multiply (&min, -1, &r, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_OVERFLOW);
  g_clear_error (&error);

  g_assert_false (ord_money_apply_rate (&max, 10001, &r, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_OVERFLOW);
  g_clear_error (&error);

  g_assert_cmpint (r.amount, ==, 42);

  /* Right at the limits it still works. */
  g_assert_true (ord_money_add (&max, &min, &r, &error));
  g_assert_cmpint (r.amount, ==, -1);
  g_assert_true (ord_money_subtract (&max, &max, &r, &error));
  g_assert_cmpint (r.amount, ==, 0);
  g_assert_true (ord_money_multiply (&min, 1, &r, &error));
  g_assert_cmpint (r.amount, ==, G_MININT64);
  /* × 10000 / 10000 needs more than 64 bits in between */
  g_assert_true (ord_money_apply_rate (&max, 10000, &r, &error));
  g_assert_cmpint (r.amount, ==, G_MAXINT64);
  g_assert_true (ord_money_apply_rate (&min, 10000, &r, &error));
  g_assert_cmpint (r.amount, ==, G_MININT64);
  g_assert_no_error (error);
}

static void
test_round_half_away (void)
{
  /* Worked by hand: the exact quotient, then the nearest integer with an
   * exact .5 going away from zero. */
  static const struct
  {
    gint64 num;
    gint64 den;
    gint64 expected;
  } cases[] = {
    { 5, 2, 3 },        /*  2.5   →  3 */
    { -5, 2, -3 },      /* −2.5   → −3 */
    { 5, -2, -3 },
    { -5, -2, 3 },
    { 3, 2, 2 },        /*  1.5   →  2 */
    { -3, 2, -2 },
    { 1, 2, 1 },        /*  0.5   →  1 */
    { -1, 2, -1 },
    { 7, 4, 2 },        /*  1.75  →  2 */
    { -7, 4, -2 },
    { 5, 4, 1 },        /*  1.25  →  1 */
    { -5, 4, -1 },
    { 1, 3, 0 },        /*  0.33  →  0 */
    { 2, 3, 1 },        /*  0.67  →  1 */
    { -2, 3, -1 },
    { -1, 3, 0 },
    { 0, 7, 0 },
    { 10, 5, 2 },
    { -10, 5, -2 },
    { 4375, 10, 438 },  /* 437.5 → 438 */
    { -4375, 10, -438 },
    { 4374, 10, 437 },
    { G_MAXINT64, 1, G_MAXINT64 },
    { G_MININT64, 1, G_MININT64 },
    { G_MAXINT64, 2, G_GINT64_CONSTANT (4611686018427387904) },   /* …903.5 */
    { G_MININT64, 2, G_GINT64_CONSTANT (-4611686018427387904) },  /* exact */
    { G_MININT64 + 1, 2, G_GINT64_CONSTANT (-4611686018427387904) }, /* …903.5 */
    { G_MAXINT64, G_MAXINT64, 1 },
    { G_MININT64, G_MININT64, 1 },
    { G_MAXINT64, G_MININT64, -1 },     /* −0.99… */
    { 1, G_MININT64, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT, cases[i].num, cases[i].den);
      g_assert_cmpint (ord_round_half_away (cases[i].num, cases[i].den), ==, cases[i].expected);
    }

  /* Against floating point where it is exact enough: |num| < 2^28 and
   * |den| < 2^20 keep every non-half quotient far from a .5 boundary. */
  for (guint i = 0; i < 100000; i++)
    {
      gint64 num = g_test_rand_int_range (-(1 << 28), 1 << 28);
      gint64 den = g_test_rand_int_range (1, 1 << 20) * (g_test_rand_bit () ? 1 : -1);
      double q = (double) num / (double) den;
      gint64 expected = (gint64) (q < 0 ? -floor (-q + 0.5) : floor (q + 0.5));

      g_assert_cmpint (ord_round_half_away (num, den), ==, expected);
    }
}

static void
test_apply_rate (void)
{
  static const struct
  {
    gint64 amount;
    guint  bp;
    gint64 expected;
  } cases[] = {
    { 1000, 2000, 200 },    /* 20 % of 10.00 */
    { 125, 2000, 25 },
    { 1, 5000, 1 },         /*  0.5   →  1 */
    { -1, 5000, -1 },       /* −0.5   → −1 */
    { 3, 5000, 2 },         /*  1.5   →  2 */
    { 7, 1250, 1 },         /*  0.875 →  1 */
    { 4, 1250, 1 },         /*  0.5   →  1 */
    { -4, 1250, -1 },
    { 3, 1250, 0 },         /*  0.375 →  0 */
    { 999, 0, 0 },
    { 999, 10000, 999 },
    { 2500, 1750, 438 },    /* 437.5 → 438 */
    { -2500, 1750, -438 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      OrdMoney money = ord_money_init (cases[i].amount, "GBP");
      OrdMoney r;

      g_assert_true (ord_money_apply_rate (&money, cases[i].bp, &r, &error));
      g_assert_no_error (error);
      g_assert_cmpint (r.amount, ==, cases[i].expected);
      g_assert_cmpstr (r.currency, ==, "GBP");
    }
}

static void
test_totals (void)
{
  /* Worked by hand (GBP, 17.5 % tax):
   *   line 1: 2.55 × 3 = 7.65 − 0.15 discount =  7.50
   *   line 2: 0.99 × 7 = 6.93                 =  6.93
   *   line 3: 12.49 × 1 = 12.49 − 1.00        = 11.49
   *   subtotal                                = 25.92
   *   order discount                          −  0.92  → 25.00
   *   tax: 25.00 × 17.5 % = 4.375 → 4.38 (half away from zero)
   *   total: 25.00 + 4.38                     = 29.38
   * Per-line tax would have given 1.31 + 1.21 + 2.01 − … : not what we do. */
  const OrdLineAmount lines[] = {
    { 255, 3, 15 },
    { 99, 7, 0 },
    { 1249, 1, 100 },
  };
  g_autoptr(GError) error = NULL;
  OrdTotals totals;

  g_assert_true (ord_totals_compute (lines, G_N_ELEMENTS (lines), 92, 1750, &totals, &error));
  g_assert_no_error (error);
  g_assert_cmpint (totals.subtotal, ==, 2592);
  g_assert_cmpint (totals.discount, ==, 92);
  g_assert_cmpint (totals.tax, ==, 438);
  g_assert_cmpint (totals.total, ==, 2938);

  /* 24.99 × 17.5 % = 4.37325 → 4.37 */
  g_assert_true (ord_totals_compute (lines, G_N_ELEMENTS (lines), 93, 1750, &totals, &error));
  g_assert_cmpint (totals.tax, ==, 437);
  g_assert_cmpint (totals.total, ==, 2499 + 437);

  /* No lines, no tax: all zero. */
  g_assert_true (ord_totals_compute (NULL, 0, 0, 2000, &totals, &error));
  g_assert_cmpint (totals.subtotal, ==, 0);
  g_assert_cmpint (totals.tax, ==, 0);
  g_assert_cmpint (totals.total, ==, 0);

  /* A discount of the whole amount is allowed. */
  g_assert_true (ord_totals_compute (lines, 1, 750, 2000, &totals, &error));
  g_assert_cmpint (totals.total, ==, 0);
  g_assert_no_error (error);
}

/* Tax is rounded once per order: three 0.01 lines at 20 % are 0.006 of
 * tax, 0.01 when rounded once; per line it would be 3 × 0.002 → 0. */
static void
test_totals_tax_once (void)
{
  const OrdLineAmount lines[] = { { 1, 1, 0 }, { 1, 1, 0 }, { 1, 1, 0 } };
  g_autoptr(GError) error = NULL;
  OrdTotals totals;

  g_assert_true (ord_totals_compute (lines, 3, 0, 2000, &totals, &error));
  g_assert_cmpint (totals.subtotal, ==, 3);
  g_assert_cmpint (totals.tax, ==, 1);
  g_assert_cmpint (totals.total, ==, 4);
}

static void
assert_totals_error (const OrdLineAmount *lines,
                     guint                n_lines,
                     gint64               discount,
                     guint                rate,
                     const char          *currency,
                     int                  code,
                     const char          *message)
{
  g_autoptr(GError) error = NULL;
  OrdTotals totals = { 1, 2, 3, 4 };

  g_assert_false (ord_totals_compute_for_currency (lines, n_lines, discount, rate, currency,
                                                   &totals, &error));
  g_assert_error (error, ORD_MONEY_ERROR, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);

  /* Untouched on error. */
  g_assert_cmpint (totals.subtotal, ==, 1);
  g_assert_cmpint (totals.discount, ==, 2);
  g_assert_cmpint (totals.tax, ==, 3);
  g_assert_cmpint (totals.total, ==, 4);
}

static void
test_totals_errors (void)
{
  const OrdLineAmount zero_qty[] = { { 100, 1, 0 }, { 100, 0, 0 } };
  const OrdLineAmount neg_qty[] = { { 100, -3, 0 } };
  const OrdLineAmount neg_price[] = { { 100, 1, 0 }, { 100, 1, 0 }, { -1, 1, 0 } };
  const OrdLineAmount neg_discount[] = { { 100, 1, -1 } };
  const OrdLineAmount big_discount[] = { { 100, 2, 201 } };
  const OrdLineAmount huge_line[] = { { G_MAXINT64, 2, 0 } };
  const OrdLineAmount huge_sum[] = { { G_MAXINT64 / 2 + 1, 1, 0 }, { G_MAXINT64 / 2 + 1, 1, 0 } };
  const OrdLineAmount max_line[] = { { G_MAXINT64, 1, 0 } };
  const OrdLineAmount small[] = { { 100, 1, 0 } };

  assert_totals_error (zero_qty, 2, 0, 0, NULL, ORD_MONEY_ERROR_NEGATIVE,
                       "line 2: quantity “0” must be positive");
  assert_totals_error (neg_qty, 1, 0, 0, NULL, ORD_MONEY_ERROR_NEGATIVE,
                       "line 1: quantity “-3” must be positive");
  assert_totals_error (neg_price, 3, 0, 0, NULL, ORD_MONEY_ERROR_NEGATIVE,
                       "line 3: unit price “-1” must not be negative");
  assert_totals_error (neg_price, 3, 0, 0, "GBP", ORD_MONEY_ERROR_NEGATIVE,
                       "line 3: unit price “-0.01” must not be negative");
  assert_totals_error (neg_discount, 1, 0, 0, NULL, ORD_MONEY_ERROR_NEGATIVE,
                       "line 1: discount “-1” must not be negative");
  assert_totals_error (big_discount, 1, 0, 0, "EUR", ORD_MONEY_ERROR_NEGATIVE,
                       "line 1: discount “2.01” is more than the line’s amount (2.00)");
  assert_totals_error (small, 1, -5, 0, NULL, ORD_MONEY_ERROR_NEGATIVE,
                       "The order discount “-5” must not be negative");
  assert_totals_error (small, 1, 101, 0, "USD", ORD_MONEY_ERROR_NEGATIVE,
                       "The order discount “1.01” is more than the subtotal (1.00)");
  assert_totals_error (NULL, 0, 1, 0, NULL, ORD_MONEY_ERROR_NEGATIVE, NULL);
  assert_totals_error (huge_line, 1, 0, 0, NULL, ORD_MONEY_ERROR_OVERFLOW, NULL);
  assert_totals_error (huge_sum, 2, 0, 0, NULL, ORD_MONEY_ERROR_OVERFLOW,
                       "line 2: the order’s subtotal is too large");
  /* The tax itself fits, the total does not. */
  assert_totals_error (max_line, 1, 0, 1, NULL, ORD_MONEY_ERROR_OVERFLOW, NULL);
  assert_totals_error (small, 1, 0, 0, "eur", ORD_MONEY_ERROR_INVALID_CURRENCY, NULL);
}

static void
test_totals_at_limits (void)
{
  const OrdLineAmount max_line[] = { { G_MAXINT64, 1, 0 } };
  const OrdLineAmount two_halves[] = { { G_MAXINT64 / 2, 1, 0 }, { G_MAXINT64 / 2 + 1, 1, 0 } };
  g_autoptr(GError) error = NULL;
  OrdTotals totals;

  g_assert_true (ord_totals_compute (max_line, 1, 0, 0, &totals, &error));
  g_assert_cmpint (totals.total, ==, G_MAXINT64);
  g_assert_true (ord_totals_compute (two_halves, 2, G_MAXINT64, 2000, &totals, &error));
  g_assert_cmpint (totals.subtotal, ==, G_MAXINT64);
  g_assert_cmpint (totals.total, ==, 0);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/currency-codes", test_currency_codes);
  g_test_add_func ("/money/amount-parse", test_amount_parse);
  g_test_add_func ("/money/amount-parse-errors", test_amount_parse_errors);
  g_test_add_func ("/money/money-parse", test_money_parse);
  g_test_add_func ("/money/format-plain", test_format_plain);
  g_test_add_func ("/money/round-trip", test_round_trip);
  g_test_add_func ("/money/format", test_format);
  g_test_add_func ("/money/arithmetic", test_arithmetic);
  g_test_add_func ("/money/currency-mismatch", test_currency_mismatch);
  g_test_add_func ("/money/overflow", test_overflow);
  g_test_add_func ("/money/round-half-away", test_round_half_away);
  g_test_add_func ("/money/apply-rate", test_apply_rate);
  g_test_add_func ("/money/totals", test_totals);
  g_test_add_func ("/money/totals-tax-once", test_totals_tax_once);
  g_test_add_func ("/money/totals-errors", test_totals_errors);
  g_test_add_func ("/money/totals-at-limits", test_totals_at_limits);

  return g_test_run ();
}
