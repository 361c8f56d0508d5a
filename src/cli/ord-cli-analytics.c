/* ord-cli-analytics.c: orderlyctl forecast, segments, risk, anomalies, recommend
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "orderlyctl"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ord-analytics-store.h"
#include "ord-anomaly.h"
#include "ord-cli-analytics.h"
#include "ord-core.h"
#include "ord-recommend.h"
#include "ord-segments.h"

#define EXIT_USAGE 2

#define MAX_HORIZON 1000
#define MAX_LEVELS  8

static char *default_database;

/**
 * ord_cli_analytics_set_database:
 * @path: (nullable): a database file
 *
 * Sets the database the analytics commands open when their command line
 * names none.
 */
void
ord_cli_analytics_set_database (const char *path)
{
  g_free (default_database);
  default_database = g_strdup (path);
}

/* ------------------------------------------------------------------ */
/* Common                                                             */

typedef struct
{
  char     *database;
  gboolean  json;
  char     *role;
  char     *actor;
} Common;

static void
common_clear (Common *common)
{
  g_clear_pointer (&common->database, g_free);
  g_clear_pointer (&common->role, g_free);
  g_clear_pointer (&common->actor, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Common, common_clear)

static void
print_error (const char *command,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
print_error (const char *command,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);

  fprintf (stderr, "orderlyctl: %s: %s\n", command, message);
}

/* Parses "orderlyctl COMMAND ARGS…"; the positional arguments stay in
 * argv from index 2 on. */
static gboolean
parse_args (const char          *command,
            const char          *params,
            const char          *summary,
            const char          *description,
            const GOptionEntry  *entries,
            Common              *common,
            int                 *argc,
            char              ***argv)
{
  const GOptionEntry common_entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &common->database,
      N_("The database file (default: $XDG_DATA_HOME/orderly/orderly.db)"), N_("PATH") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &common->json,
      N_("Print JSON with all the numbers instead of text"), NULL },
    /* orderlyctl's other global options, accepted everywhere */
    { "role", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &common->role, NULL, NULL },
    { "actor", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &common->actor, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  /* orderlyctl names the program "orderlyctl COMMAND" for the usage line. */
  context = g_option_context_new (params);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (description != NULL)
    g_option_context_set_description (context, description);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      print_error (command, _("%s (see “orderlyctl %s --help”)"), error->message, command);
      return FALSE;
    }
  return TRUE;
}

static OrdStore *
open_store (const char   *command,
            const Common *common)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  OrdStore *store;

  if (common->database != NULL)
    path = g_strdup (common->database);
  else if (default_database != NULL)
    path = g_strdup (default_database);
  else
    path = ord_default_database_path ();

  if (g_strcmp0 (path, ":memory:") != 0 && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      print_error (command,
                   _("there is no database at %s; create one with “orderlyctl demo” or "
                     "“orderlyctl import FILE”, or name one with --database"),
                   path);
      return NULL;
    }

  store = ord_store_new (path, &error);
  if (store == NULL)
    print_error (command, "%s", error->message);
  return store;
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  puts (text);
}

static void
json_member_string (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
json_member_int (JsonBuilder *b,
                 const char  *name,
                 gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* JSON has no NaN: a number that is not finite is null. */
static void
json_member_double (JsonBuilder *b,
                    const char  *name,
                    double       value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
json_member_bool (JsonBuilder *b,
                  const char  *name,
                  gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

/* 1234567 → "1,234,567" */
static char *
format_count (gint64 value)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, value < 0 ? -value : value);
  GString *out = g_string_new (value < 0 ? "−" : "");
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
format_money_minor (double      minor,
                    const char *currency)
{
  OrdMoney money;

  if (!isfinite (minor))
    return g_strdup ("—");
  money = ord_money_init ((gint64) llround (minor), currency);
  return ord_money_format (&money);
}

static char *
format_percent (double fraction)
{
  if (!isfinite (fraction))
    return g_strdup ("—");
  return g_strdup_printf ("%.1f %%", 100 * fraction);
}

static char *
format_julian (guint32     julian,
               const char *format)
{
  GDate date;
  char buf[64];

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  if (g_date_strftime (buf, sizeof buf, format, &date) == 0)
    return g_strdup ("?");
  return g_strdup (buf);
}

static char *
format_usec (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

static const char *
weekday_name (guint weekday)
{
  static const char *const names[] = {
    NULL, N_("Mondays"), N_("Tuesdays"), N_("Wednesdays"), N_("Thursdays"), N_("Fridays"),
    N_("Saturdays"), N_("Sundays"),
  };

  return _(names[weekday]);
}

/* GDate's day 1 (1 January of year 1) was a Monday. */
static GDateWeekday
julian_weekday (guint32 julian)
{
  return (GDateWeekday) ((julian - 1) % 7 + 1);
}

static const char *const weekday_keys[] = {
  NULL, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};

/* "Saturdays and Sundays" */
static char *
describe_weekdays (guint mask)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  for (guint w = G_DATE_MONDAY; w <= G_DATE_SUNDAY; w++)
    if (mask & (1u << w))
      g_ptr_array_add (names, (gpointer) weekday_name (w));
  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        g_string_append (out, i + 1 == names->len ? _(" and ") : ", ");
      g_string_append (out, g_ptr_array_index (names, i));
    }
  return g_string_free (out, FALSE);
}

/* A table for people: columns aligned by characters, not bytes. */
typedef struct
{
  guint      n_columns;
  char      *align;       /* 'l' or 'r' per column */
  GPtrArray *cells;       /* char *, row by row */
} Table;

static Table *
table_new (const char *align)
{
  Table *table = g_new0 (Table, 1);

  table->n_columns = strlen (align);
  table->align = g_strdup (align);
  table->cells = g_ptr_array_new_with_free_func (g_free);
  return table;
}

static void
table_free (Table *table)
{
  g_ptr_array_unref (table->cells);
  g_free (table->align);
  g_free (table);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Table, table_free)

/* Takes @cell. */
static void
table_add (Table *table,
           char  *cell)
{
  g_ptr_array_add (table->cells, cell != NULL ? cell : g_strdup (""));
}

static void
table_add_const (Table      *table,
                 const char *cell)
{
  table_add (table, g_strdup (cell));
}

static void
table_print (Table *table,
             FILE  *out)
{
  g_autofree glong *widths = g_new0 (glong, table->n_columns);
  guint i, c;

  for (i = 0; i < table->cells->len; i++)
    widths[i % table->n_columns] = MAX (widths[i % table->n_columns],
                                        g_utf8_strlen (g_ptr_array_index (table->cells, i), -1));

  for (i = 0; i < table->cells->len; i += table->n_columns)
    {
      GString *line = g_string_new (NULL);

      for (c = 0; c < table->n_columns && i + c < table->cells->len; c++)
        {
          const char *cell = g_ptr_array_index (table->cells, i + c);
          glong pad = widths[c] - g_utf8_strlen (cell, -1);
          gboolean last = c + 1 == table->n_columns;

          if (c > 0)
            g_string_append (line, "   ");
          if (table->align[c] == 'r')
            {
              for (glong k = 0; k < pad; k++)
                g_string_append_c (line, ' ');
              g_string_append (line, cell);
            }
          else
            {
              g_string_append (line, cell);
              for (glong k = 0; !last && k < pad; k++)
                g_string_append_c (line, ' ');
            }
        }
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      fprintf (out, "%s\n", line->str);
      g_string_free (line, TRUE);
    }
}

static void
print_wrapped (const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  glong column = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      glong len = g_utf8_strlen (words[i], -1);

      if (column > 0 && column + 1 + len > 78)
        {
          fputc ('\n', stdout);
          column = 0;
        }
      else if (column > 0)
        {
          fputc (' ', stdout);
          column++;
        }
      fputs (words[i], stdout);
      column += len;
    }
  fputc ('\n', stdout);
}

/* Positional words: "orders"/"revenue" and "day"/"week"/"month". */
static gboolean
parse_series_words (const char  *command,
                    int          argc,
                    char       **argv,
                    OrdMeasure  *measure,
                    OrdInterval *interval)
{
  gboolean have_measure = FALSE, have_interval = FALSE;

  for (int i = 2; i < argc; i++)
    {
      if (!have_measure && ord_measure_from_string (argv[i], measure))
        have_measure = TRUE;
      else if (!have_interval && ord_interval_from_string (argv[i], interval))
        have_interval = TRUE;
      else
        {
          print_error (command,
                       _("“%s” is not understood; say what to look at with “orders” or "
                         "“revenue”, and the step with “day”, “week” or “month”"), argv[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static const char *
measure_label (OrdMeasure  measure,
               OrdInterval interval)
{
  static const char *const labels[2][3] = {
    { N_("daily orders"), N_("weekly orders"), N_("monthly orders") },
    { N_("daily revenue"), N_("weekly revenue"), N_("monthly revenue") },
  };

  return _(labels[measure][interval]);
}

/* The label of step @i of @series (or beyond it) for people. */
static char *
step_label (const OrdSeries *series,
            gsize            i)
{
  guint32 start = ord_series_step_start (series, i);

  switch (series->interval)
    {
    case ORD_INTERVAL_DAY:
      return format_julian (start, "%a %Y-%m-%d");
    case ORD_INTERVAL_WEEK:
      {
        g_autofree char *day = format_julian (start, "%Y-%m-%d");

        return g_strdup_printf (_("week of %s"), day);
      }
    case ORD_INTERVAL_MONTH:
    default:
      return format_julian (start, "%B %Y");
    }
}

static char *
step_iso (const OrdSeries *series,
          gsize            i)
{
  return format_julian (ord_series_step_start (series, i),
                        series->interval == ORD_INTERVAL_MONTH ? "%Y-%m" : "%Y-%m-%d");
}

static char *
format_value (double      value,
              OrdMeasure  measure,
              const char *currency,
              gboolean    clamp)
{
  if (clamp && value < 0)
    value = 0;
  if (measure == ORD_MEASURE_REVENUE)
    return format_money_minor (value, currency);
  if (!isfinite (value))
    return g_strdup ("—");
  return format_count ((gint64) llround (value));
}

/* ------------------------------------------------------------------ */
/* forecast                                                           */

/* A series read from a file. */
typedef struct
{
  char       *name;
  gsize       n;            /* steps, closed ones included */
  gsize       n_values;     /* values in the file */
  double     *values;
  gboolean   *closed;       /* n flags, or NULL */
  gboolean    dated;
  OrdInterval interval;     /* when dated */
  guint       step_months;  /* months between values (1, 3, 12) when monthly */
  guint32     first;        /* Julian day of the first value when dated */
  guint32     last;
  guint       weekdays;     /* weekdays present (1 << GDateWeekday), daily only */
  guint       period;       /* suggested season */
  const char *step_name;    /* "daily", "weekly"… for people */
} FileSeries;

static void
file_series_free (FileSeries *fs)
{
  if (fs == NULL)
    return;
  g_free (fs->name);
  g_free (fs->values);
  g_free (fs->closed);
  g_free (fs);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileSeries, file_series_free)

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  int y, m, d = 1, n;
  char rest;

  g_date_clear (date, 1);
  n = sscanf (text, "%d-%d-%d%c", &y, &m, &d, &rest);
  if (n < 2 || (n == 4 && rest != ' ' && rest != 'T'))
    return FALSE;
  if (n == 2 && strchr (strchr (text, '-') + 1, '-') != NULL)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

static char *
unquote (char *text)
{
  gsize len;

  g_strstrip (text);
  len = strlen (text);
  if (len >= 2 && text[0] == '"' && text[len - 1] == '"')
    {
      text[len - 1] = '\0';
      text++;
      g_strstrip (text);
    }
  return text;
}

static int
months_between (const GDate *a,
                const GDate *b)
{
  return ((int) g_date_get_year (b) - (int) g_date_get_year (a)) * 12 +
         ((int) g_date_get_month (b) - (int) g_date_get_month (a));
}

/* Reads one value per line, or "date,value" lines; a first line that is
 * not a number is a header. */
static FileSeries *
read_series_file (const char  *path,
                  GError     **error)
{
  g_autoptr(FileSeries) fs = g_new0 (FileSeries, 1);
  g_autofree char *contents = NULL;
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) dates = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) rows = NULL;
  int dated = -1;
  guint i;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  fs->name = g_path_get_basename (path);

  rows = g_strsplit (contents, "\n", -1);
  for (i = 0; rows[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      char *line = g_strstrip (rows[i]);
      char *value_text, *end;
      guint n_fields, line_no = i + 1;
      double value;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      fields = g_strsplit_set (line, ",;\t", -1);
      n_fields = g_strv_length (fields);
      value_text = unquote (fields[n_fields - 1]);

      errno = 0;
      value = g_ascii_strtod (value_text, &end);
      if (value_text[0] == '\0' || *end != '\0' || errno == ERANGE)
        {
          if (values->len == 0 && dated < 0)
            {
              dated = n_fields >= 2;  /* a header */
              continue;
            }
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       value_text[0] == '\0'
                         ? _("%s:%u: the value is empty; fill it in or remove the line")
                         : _("%s:%u: “%s” is not a number"),
                       fs->name, line_no, value_text);
          return NULL;
        }
      if (!isfinite (value))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s:%u: “%s” is not a finite number"), fs->name, line_no, value_text);
          return NULL;
        }
      if (dated < 0)
        dated = n_fields >= 2;
      if ((n_fields >= 2) != (dated == 1))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       dated ? _("%s:%u: this line has no date, the lines before it have one")
                             : _("%s:%u: this line has a date, the lines before it have none"),
                       fs->name, line_no);
          return NULL;
        }
      if (dated == 1)
        {
          GDate date;
          guint32 julian;
          char *date_text = unquote (fields[0]);

          if (!parse_date (date_text, &date))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("%s:%u: “%s” is not a date; write it as 2024-03-31 (or 2024-03 "
                             "for a month)"),
                           fs->name, line_no, date_text);
              return NULL;
            }
          julian = g_date_get_julian (&date);
          if (dates->len > 0 && julian <= g_array_index (dates, guint32, dates->len - 1))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           julian == g_array_index (dates, guint32, dates->len - 1)
                             ? _("%s:%u: the date %s comes twice; give one value per date")
                             : _("%s:%u: the date %s comes before the line above it; sort the "
                                 "lines by date"),
                           fs->name, line_no, date_text);
              return NULL;
            }
          g_array_append_val (dates, julian);
        }
      g_array_append_val (values, value);
      g_array_append_val (lines, line_no);
    }

  if (values->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s has no values: write one number per line, or date,value lines"),
                   fs->name);
      return NULL;
    }

  fs->dated = dated == 1;
  fs->n_values = values->len;
  fs->period = 1;
  fs->step_name = _("values");
  if (!fs->dated)
    {
      fs->n = values->len;
      fs->values = (double *) g_array_free (g_steal_pointer (&values), FALSE);
      return g_steal_pointer (&fs);
    }

  fs->first = g_array_index (dates, guint32, 0);
  fs->last = g_array_index (dates, guint32, dates->len - 1);
  if (dates->len >= 2)
    {
      guint32 min_gap = G_MAXUINT32;
      gboolean monthly = TRUE;
      int step = -1;
      GDate a, b;

      for (i = 1; i < dates->len; i++)
        min_gap = MIN (min_gap, g_array_index (dates, guint32, i) -
                                g_array_index (dates, guint32, i - 1));

      /* Months, quarters, years: the same day of the month each time */
      g_date_clear (&a, 1);
      g_date_clear (&b, 1);
      for (i = 1; i < dates->len && monthly; i++)
        {
          int m;

          g_date_set_julian (&a, g_array_index (dates, guint32, i - 1));
          g_date_set_julian (&b, g_array_index (dates, guint32, i));
          m = months_between (&a, &b);
          if (g_date_get_day (&a) != g_date_get_day (&b) || m <= 0 || (step > 0 && m != step))
            monthly = FALSE;
          step = m;
        }

      if (min_gap >= 28 && monthly && (step == 1 || step == 3 || step == 12))
        {
          fs->interval = ORD_INTERVAL_MONTH;
          fs->step_months = (guint) step;
          fs->period = step == 1 ? 12 : step == 3 ? 4 : 1;
          fs->step_name = step == 1 ? _("monthly values") : step == 3 ? _("quarterly values")
                                                                     : _("yearly values");
        }
      else if (min_gap == 7 || min_gap == 1)
        {
          /* Days or weeks; missing ones are days the business was closed */
          guint32 span = (fs->last - fs->first) / min_gap + 1;

          for (i = 1; i < dates->len; i++)
            if ((g_array_index (dates, guint32, i) - fs->first) % min_gap != 0)
              {
                g_autofree char *day = format_julian (g_array_index (dates, guint32, i),
                                                      "%Y-%m-%d");

                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("%s:%u: %s is off the weekly rhythm of the dates before it; "
                               "give one value per week, on the same weekday"),
                             fs->name, g_array_index (lines, guint, i), day);
                return NULL;
              }
          fs->interval = min_gap == 1 ? ORD_INTERVAL_DAY : ORD_INTERVAL_WEEK;
          fs->period = min_gap == 1 ? 7 : 52;
          fs->step_name = min_gap == 1 ? _("daily values") : _("weekly values");
          fs->n = span;
          fs->values = g_new0 (double, span);
          if (span > dates->len)
            fs->closed = g_new0 (gboolean, span);
          for (i = 0; i < span; i++)
            if (fs->closed != NULL)
              fs->closed[i] = TRUE;
          for (i = 0; i < dates->len; i++)
            {
              guint32 k = (g_array_index (dates, guint32, i) - fs->first) / min_gap;

              fs->values[k] = g_array_index (values, double, i);
              if (fs->closed != NULL)
                fs->closed[k] = FALSE;
              if (min_gap == 1)
                fs->weekdays |= 1u << julian_weekday (g_array_index (dates, guint32, i));
            }
          return g_steal_pointer (&fs);
        }
      else
        {
          g_autofree char *day_a = format_julian (g_array_index (dates, guint32, 0), "%Y-%m-%d");
          g_autofree char *day_b = format_julian (g_array_index (dates, guint32, 1), "%Y-%m-%d");

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s: the dates are not one day, one week or one month apart (%s, "
                         "%s, …); give one value per day, week or month, or leave the dates "
                         "out and say --period"),
                       fs->name, day_a, day_b);
          return NULL;
        }
    }
  else
    {
      fs->interval = ORD_INTERVAL_DAY;
      fs->step_name = _("daily values");
    }

  fs->n = values->len;
  fs->values = (double *) g_array_free (g_steal_pointer (&values), FALSE);
  return g_steal_pointer (&fs);
}

static guint32
file_step_julian (const FileSeries *fs,
                  gsize             i)
{
  GDate date;

  switch (fs->interval)
    {
    case ORD_INTERVAL_DAY:
      return fs->first + (guint32) i;
    case ORD_INTERVAL_WEEK:
      return fs->first + 7 * (guint32) i;
    case ORD_INTERVAL_MONTH:
    default:
      g_date_clear (&date, 1);
      g_date_set_julian (&date, fs->first);
      g_date_add_months (&date, (guint) (i * fs->step_months));
      return g_date_get_julian (&date);
    }
}

static gboolean
parse_levels (const char *text,
              double     *levels,
              guint      *n_levels)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  *n_levels = 0;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *end;
      double level;

      g_strstrip (parts[i]);
      level = g_ascii_strtod (parts[i], &end);
      if (parts[i][0] == '\0' || *end != '\0' || !(level > 0 && level < 100) ||
          *n_levels >= MAX_LEVELS)
        return FALSE;
      levels[(*n_levels)++] = level;
    }
  return *n_levels > 0;
}

static const char *
component_letter (OrdEtsComponent c)
{
  return c == ORD_ETS_ADDITIVE ? "A" : c == ORD_ETS_MULTIPLICATIVE ? "M" : "N";
}

static void
forecast_model_json (JsonBuilder             *b,
                     const OrdSeriesForecast *sf)
{
  const OrdEtsModel *m = sf->model;
  g_autofree char *trend = NULL;

  json_builder_set_member_name (b, "model");
  json_builder_begin_object (b);
  json_member_string (b, "method", sf->forecast->method);
  json_member_string (b, "selected_by",
                      g_str_has_prefix (sf->forecast->method, "ETS") ||
                      g_str_has_prefix (sf->forecast->method, "STL") ? "AICc" : NULL);
  json_member_int (b, "observations", (gint64) sf->n_used);
  json_member_int (b, "period", sf->period_used);
  if (m != NULL)
    {
      trend = g_strconcat (component_letter (m->spec.trend), m->spec.damped ? "d" : "", NULL);
      json_member_string (b, "error", component_letter (m->spec.error));
      json_member_string (b, "trend", trend);
      json_member_string (b, "season", component_letter (m->spec.season));
      json_member_int (b, "model_period", m->period);
      json_builder_set_member_name (b, "parameters");
      json_builder_begin_object (b);
      json_member_double (b, "alpha", m->alpha);
      if (m->spec.trend != ORD_ETS_NONE)
        json_member_double (b, "beta", m->beta);
      if (m->spec.season != ORD_ETS_NONE)
        json_member_double (b, "gamma", m->gamma);
      if (m->spec.damped)
        json_member_double (b, "phi", m->phi);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "initial_states");
      json_builder_begin_array (b);
      for (guint k = 0; k < m->n_states; k++)
        json_builder_add_double_value (b, m->initial_states[k]);
      json_builder_end_array (b);
      json_member_double (b, "sigma2", m->sigma2);
      json_member_double (b, "loglik", m->loglik);
      json_member_double (b, "aic", m->aic);
      json_member_double (b, "aicc", m->aicc);
      json_member_double (b, "bic", m->bic);
      json_member_double (b, "mse", m->mse);
    }
  json_builder_end_object (b);
}

static void
forecast_steps_json (JsonBuilder       *b,
                     const OrdForecast *fc,
                     char             **labels)
{
  json_builder_set_member_name (b, "forecasts");
  json_builder_begin_array (b);
  for (guint h = 0; h < fc->horizon; h++)
    {
      gboolean closed = fc->closed != NULL && fc->closed[h];

      json_builder_begin_object (b);
      if (labels != NULL)
        json_member_string (b, "date", labels[h]);
      json_member_int (b, "step", h + 1);
      json_member_bool (b, "closed", closed);
      json_member_double (b, "mean", fc->mean[h]);
      json_builder_set_member_name (b, "intervals");
      json_builder_begin_array (b);
      for (guint l = 0; l < fc->n_levels; l++)
        {
          json_builder_begin_object (b);
          json_member_double (b, "level", fc->levels[l]);
          json_member_double (b, "lower", fc->lower[l * fc->horizon + h]);
          json_member_double (b, "upper", fc->upper[l * fc->horizon + h]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* "ETS(A,Ad,A), chosen by AICc among the exponential smoothing models" */
static char *
describe_method (const OrdSeriesForecast *sf)
{
  const char *method = sf->forecast->method;
  const OrdEtsModel *m = sf->model;
  GString *out = g_string_new (NULL);

  if (g_str_has_prefix (method, "ETS("))
    g_string_append_printf (out, _("Method: exponential smoothing %s, chosen by AICc among "
                                   "the ETS models"), method);
  else if (g_str_has_prefix (method, "STL"))
    g_string_append_printf (out, _("Method: %s: the season taken out by STL "
                                   "decomposition, the rest by exponential smoothing chosen "
                                   "by AICc"), method);
  else if (g_str_has_prefix (method, "Seasonal naive"))
    g_string_append (out, _("Method: seasonal naive (too little history for a model): each "
                            "step repeats the same step of the last season"));
  else if (g_str_has_prefix (method, "Naive"))
    g_string_append (out, _("Method: naive (too little history for a model): the last value "
                            "repeated"));
  else
    g_string_append_printf (out, _("Method: %s"), method);

  if (m != NULL)
    {
      g_string_append_printf (out, _(" (AICc %.1f). Smoothing: level α = %.3g"), m->aicc,
                              m->alpha);
      if (m->spec.trend != ORD_ETS_NONE)
        g_string_append_printf (out, _(", trend β = %.3g"), m->beta);
      if (m->spec.season != ORD_ETS_NONE)
        g_string_append_printf (out, _(", season γ = %.3g"), m->gamma);
      if (m->spec.damped)
        g_string_append_printf (out, _(", damping φ = %.3g"), m->phi);
    }
  g_string_append_c (out, '.');
  return g_string_free (out, FALSE);
}

static void
forecast_table (const OrdForecast  *fc,
                char              **labels,
                const char         *step_header,
                const char         *value_header,
                OrdMeasure          measure,
                const char         *currency)
{
  g_autoptr(Table) table = NULL;
  g_autofree char *align = g_strnfill (2 + fc->n_levels, 'r');

  align[0] = 'l';
  table = table_new (align);
  table_add_const (table, step_header);
  table_add_const (table, value_header);
  for (guint l = 0; l < fc->n_levels; l++)
    table_add (table, g_strdup_printf (_("%g %% interval"), fc->levels[l]));

  for (guint h = 0; h < fc->horizon; h++)
    {
      table_add_const (table, labels[h]);
      if (fc->closed != NULL && fc->closed[h])
        {
          table_add_const (table, _("closed"));
          for (guint l = 0; l < fc->n_levels; l++)
            table_add_const (table, "");
          continue;
        }
      table_add (table, format_value (fc->mean[h], measure, currency, TRUE));
      for (guint l = 0; l < fc->n_levels; l++)
        {
          g_autofree char *lo = format_value (fc->lower[l * fc->horizon + h], measure, currency,
                                              TRUE);
          g_autofree char *hi = format_value (fc->upper[l * fc->horizon + h], measure, currency,
                                              TRUE);

          if (!isfinite (fc->lower[l * fc->horizon + h]) ||
              !isfinite (fc->upper[l * fc->horizon + h]))
            table_add_const (table, "—");
          else
            table_add (table, g_strdup_printf ("%s – %s", lo, hi));
        }
    }
  table_print (table, stdout);
}

static int
forecast_file (const char   *path,
               int           period_opt,
               int           horizon_opt,
               const double *levels,
               guint         n_levels,
               gboolean      json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FileSeries) fs = NULL;
  g_autoptr(OrdSeriesForecast) sf = NULL;
  g_autofree gboolean *closed = NULL;
  g_auto(GStrv) labels = NULL;
  guint period, horizon, h;

  fs = read_series_file (path, &error);
  if (fs == NULL)
    {
      print_error ("forecast", "%s", error->message);
      return EXIT_FAILURE;
    }

  period = period_opt > 0 ? (guint) period_opt : fs->period;
  horizon = horizon_opt > 0 ? (guint) horizon_opt
                            : period > 1 ? MIN (2 * period, 60) : 12;

  if (fs->closed != NULL || (fs->dated && fs->interval == ORD_INTERVAL_DAY && fs->n >= 21))
    {
      /* Days missing from the file are closed, in the past and ahead */
      closed = g_new0 (gboolean, fs->n + horizon);
      if (fs->closed != NULL)
        memcpy (closed, fs->closed, sizeof (gboolean) * fs->n);
      if (fs->interval == ORD_INTERVAL_DAY && fs->n >= 21)
        for (h = 0; h < horizon; h++)
          closed[fs->n + h] = !(fs->weekdays &
                                (1u << julian_weekday (fs->first + fs->n + h)));
    }

  sf = ord_series_forecast (fs->values, fs->n, period, closed, horizon, levels, n_levels,
                            &error);
  if (sf == NULL)
    {
      print_error ("forecast", _("%s: %s"), fs->name, error->message);
      return EXIT_FAILURE;
    }

  labels = g_new0 (char *, horizon + 1);
  for (h = 0; h < horizon; h++)
    {
      if (!fs->dated)
        labels[h] = g_strdup_printf ("%" G_GSIZE_FORMAT, fs->n + h + 1);
      else
        labels[h] = format_julian (file_step_julian (fs, fs->n + h),
                                   fs->interval == ORD_INTERVAL_DAY ? "%a %Y-%m-%d"
                                                                    : "%Y-%m-%d");
    }

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_auto(GStrv) iso = g_new0 (char *, horizon + 1);

      for (h = 0; h < horizon; h++)
        iso[h] = fs->dated ? format_julian (file_step_julian (fs, fs->n + h), "%Y-%m-%d")
                           : g_strdup_printf ("%" G_GSIZE_FORMAT, fs->n + h + 1);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "series");
      json_builder_begin_object (b);
      json_member_string (b, "source", "file");
      json_member_string (b, "file", path);
      json_member_int (b, "length", (gint64) fs->n);
      json_member_int (b, "period", period);
      if (fs->dated)
        {
          g_autofree char *first = format_julian (fs->first, "%Y-%m-%d");
          g_autofree char *last = format_julian (fs->last, "%Y-%m-%d");

          json_member_string (b, "first", first);
          json_member_string (b, "last", last);
        }
      json_builder_end_object (b);
      forecast_model_json (b, sf);
      json_member_int (b, "horizon", horizon);
      json_builder_set_member_name (b, "levels");
      json_builder_begin_array (b);
      for (guint l = 0; l < n_levels; l++)
        json_builder_add_double_value (b, levels[l]);
      json_builder_end_array (b);
      json_member_bool (b, "simulated_intervals", sf->forecast->simulated);
      forecast_steps_json (b, sf->forecast, fs->dated ? iso : NULL);
      json_builder_end_object (b);
      print_json (b);
      return EXIT_SUCCESS;
    }

  {
    g_autofree char *head = NULL;
    g_autofree char *method = describe_method (sf);

    if (fs->dated)
      {
        g_autofree char *first = format_julian (fs->first, "%Y-%m-%d");
        g_autofree char *last = format_julian (fs->last, "%Y-%m-%d");

        head = g_strdup_printf (_("Forecast of %s, the next %u steps, from %" G_GSIZE_FORMAT
                                  " %s (%s to %s), season of %u."),
                                fs->name, horizon, fs->n_values, fs->step_name, first, last,
                                period);
      }
    else
      head = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Forecast of %s, the next %u steps, from %"
                                           G_GSIZE_FORMAT " value, season of %u%s.",
                                           "Forecast of %s, the next %u steps, from %"
                                           G_GSIZE_FORMAT " values, season of %u%s.",
                                           fs->n_values),
                              fs->name, horizon, fs->n_values, period,
                              period == 1 ? _(" (none; say --period N for one)") : "");
    print_wrapped (head);
    print_wrapped (method);
    if (fs->closed != NULL)
      print_wrapped (_("Dates missing from the file are taken as closed days and left out."));
    fputc ('\n', stdout);
    forecast_table (sf->forecast, labels, fs->dated ? _("Date") : _("Step"), _("Forecast"),
                    ORD_MEASURE_ORDERS, NULL);
  }
  return EXIT_SUCCESS;
}

/**
 * ord_cli_cmd_forecast:
 * @argc: argument count
 * @argv: "orderlyctl forecast [orders|revenue] [day|week|month] OPTIONS…"
 *
 * Forecasts daily, weekly or monthly orders or revenue from the store, or
 * any series from a CSV file.
 *
 * Returns: 0, 1 on failure, 2 on a usage error
 */
int
ord_cli_cmd_forecast (int    argc,
                      char **argv)
{
  g_auto(Common) common = { 0, };
  g_autofree char *level_text = NULL;
  g_autofree char *input = NULL;
  int horizon_opt = 0, period_opt = 0;
  const GOptionEntry entries[] = {
    { "horizon", 0, 0, G_OPTION_ARG_INT, &horizon_opt,
      N_("Steps ahead (default: 14 days, 12 weeks, 12 months)"), "N" },
    { "level", 'l', 0, G_OPTION_ARG_STRING, &level_text,
      N_("Prediction-interval levels in percent (default 80,95)"), "80,95" },
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input,
      N_("Forecast the series in FILE instead: one value per line, or date,value lines"),
      N_("FILE") },
    { "period", 'p', 0, G_OPTION_ARG_INT, &period_opt,
      N_("Season length (default: 7 for days, 52 for weeks, 12 for months; 1 for none)"), "N" },
    { NULL }
  };
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(OrdSeries) series = NULL;
  g_autoptr(OrdSeriesForecast) sf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gboolean *closed = NULL;
  g_auto(GStrv) labels = NULL;
  double levels[MAX_LEVELS] = { 80, 95 };
  guint n_levels = 2, horizon, period, h;
  OrdMeasure measure = ORD_MEASURE_ORDERS;
  OrdInterval interval = ORD_INTERVAL_DAY;

  if (!parse_args ("forecast", "[orders|revenue] [day|week|month]",
                   _("Forecast orders or revenue per day, week or month, with prediction "
                     "intervals."),
                   _("The model is chosen automatically (exponential smoothing by AICc, STL "
                     "for long seasons); days the shop is closed are left out.\n"
                     "Examples:\n"
                     "  orderlyctl forecast orders day --horizon 14\n"
                     "  orderlyctl forecast revenue month --level 80,95 --json\n"
                     "  orderlyctl forecast --input sales.csv --period 7"),
                   entries, &common, &argc, &argv))
    return EXIT_USAGE;

  if (level_text != NULL && !parse_levels (level_text, levels, &n_levels))
    {
      print_error ("forecast", _("--level: “%s” is not a list of percentages between 0 and "
                                 "100, such as 80,95"), level_text);
      return EXIT_USAGE;
    }
  if (horizon_opt < 0 || horizon_opt > MAX_HORIZON)
    {
      print_error ("forecast", _("--horizon: %d must be between 1 and %d"), horizon_opt,
                   MAX_HORIZON);
      return EXIT_USAGE;
    }
  if (period_opt < 0 || period_opt > 1000)
    {
      print_error ("forecast", _("--period: %d must be between 1 and 1000"), period_opt);
      return EXIT_USAGE;
    }

  if (input != NULL)
    {
      if (argc > 2)
        {
          print_error ("forecast", _("with --input the values come from the file; leave out "
                                     "“%s”"), argv[2]);
          return EXIT_USAGE;
        }
      return forecast_file (input, period_opt, horizon_opt, levels, n_levels, common.json);
    }

  if (!parse_series_words ("forecast", argc, argv, &measure, &interval))
    return EXIT_USAGE;

  if (!(store = open_store ("forecast", &common)))
    return EXIT_FAILURE;

  series = ord_series_from_store (store, measure, interval, NULL, &error);
  if (series == NULL)
    {
      print_error ("forecast", "%s", error->message);
      return EXIT_FAILURE;
    }

  period = period_opt > 0 ? (guint) period_opt : series->period;
  horizon = horizon_opt > 0 ? (guint) horizon_opt : interval == ORD_INTERVAL_DAY ? 14 : 12;
  closed = ord_series_closed_ahead (series, horizon);
  sf = ord_series_forecast (series->values, series->n, period, closed, horizon, levels,
                            n_levels, &error);
  if (sf == NULL)
    {
      print_error ("forecast", _("could not forecast %s: %s"),
                   measure_label (measure, interval), error->message);
      return EXIT_FAILURE;
    }

  labels = g_new0 (char *, horizon + 1);
  for (h = 0; h < horizon; h++)
    labels[h] = common.json ? step_iso (series, series->n + h)
                            : step_label (series, series->n + h);

  if (common.json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autofree char *first = step_iso (series, 0);
      g_autofree char *last = step_iso (series, series->n - 1);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "series");
      json_builder_begin_object (b);
      json_member_string (b, "source", "database");
      json_member_string (b, "measure", ord_measure_to_string (measure));
      json_member_string (b, "interval", ord_interval_to_string (interval));
      if (measure == ORD_MEASURE_REVENUE)
        {
          json_member_string (b, "currency", series->currency);
          json_member_string (b, "unit", "minor");
        }
      json_member_int (b, "length", (gint64) series->n);
      json_member_int (b, "period", period);
      json_member_string (b, "first", first);
      json_member_string (b, "last", last);
      json_member_int (b, "orders", (gint64) series->n_orders);
      json_builder_set_member_name (b, "closed_weekdays");
      json_builder_begin_array (b);
      for (guint w = G_DATE_MONDAY; w <= G_DATE_SUNDAY; w++)
        if (series->closed_weekdays & (1u << w))
          json_builder_add_string_value (b, weekday_keys[w]);
      json_builder_end_array (b);
      if (series->closed != NULL)
        {
          json_builder_set_member_name (b, "closed_days");
          json_builder_begin_array (b);
          for (gsize i = 0; i < series->n; i++)
            if (series->closed[i])
              {
                g_autofree char *day = step_iso (series, i);

                json_builder_add_string_value (b, day);
              }
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
      forecast_model_json (b, sf);
      json_member_int (b, "horizon", horizon);
      json_builder_set_member_name (b, "levels");
      json_builder_begin_array (b);
      for (guint l = 0; l < n_levels; l++)
        json_builder_add_double_value (b, levels[l]);
      json_builder_end_array (b);
      json_member_bool (b, "simulated_intervals", sf->forecast->simulated);
      forecast_steps_json (b, sf->forecast, labels);
      json_builder_end_object (b);
      print_json (b);
      return EXIT_SUCCESS;
    }

  {
    g_autofree char *first = format_julian (ord_series_step_start (series, 0), "%Y-%m-%d");
    g_autofree char *last = format_julian (series->interval == ORD_INTERVAL_DAY
                                             ? series->last_day
                                             : ord_series_step_start (series, series->n) - 1,
                                           "%Y-%m-%d");
    g_autofree char *method = describe_method (sf);
    g_autofree char *what = NULL;
    g_autofree char *head = NULL;
    const char *unit = interval == ORD_INTERVAL_DAY ? _("days")
                     : interval == ORD_INTERVAL_WEEK ? _("weeks") : _("months");

    head = g_strdup_printf (_("Forecast of %s for the next %u %s, learned from %s to %s."),
                            measure_label (measure, interval), horizon, unit, first, last);
    print_wrapped (head);
    print_wrapped (method);
    if (series->closed != NULL && series->n_closed > 0)
      {
        g_autofree char *weekdays = describe_weekdays (series->closed_weekdays);
        gsize other = series->n_closed;

        for (gsize i = 0; i < series->n; i++)
          if (series->closed[i] &&
              (series->closed_weekdays & (1u << julian_weekday (series->first + i))))
            other--;
        if (series->closed_weekdays != 0 && other > 0)
          what = g_strdup_printf (_("Closed on %s, which are left out (a %u-day week), and on "
                                    "%" G_GSIZE_FORMAT " other days without any order, such "
                                    "as holidays."),
                                  weekdays, sf->period_used, other);
        else if (series->closed_weekdays != 0)
          what = g_strdup_printf (_("Closed on %s, which are left out (a %u-day week)."),
                                  weekdays, sf->period_used);
        else
          what = g_strdup_printf (_("%" G_GSIZE_FORMAT " days without any order, such as "
                                    "holidays, are left out as closed days."), other);
        print_wrapped (what);
      }
    if (measure == ORD_MEASURE_REVENUE && series->n_other_currency > 0)
      {
        g_autofree char *note =
          g_strdup_printf (_("Revenue in %s only: %" G_GSIZE_FORMAT " orders in other "
                             "currencies are not counted."),
                           series->currency, series->n_other_currency);
        print_wrapped (note);
      }
    fputc ('\n', stdout);
    forecast_table (sf->forecast, labels,
                    interval == ORD_INTERVAL_DAY ? _("Day")
                    : interval == ORD_INTERVAL_WEEK ? _("Week") : _("Month"),
                    measure == ORD_MEASURE_ORDERS ? _("Orders") : _("Revenue"),
                    measure, series->currency);
  }
  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* segments                                                           */

static char *
format_days_ago (double days)
{
  gulong d = (gulong) llround (days);

  if (d == 0)
    return g_strdup (_("same day"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu day before", "%lu days before", d),
                          d);
}

/**
 * ord_cli_cmd_segments:
 * @argc: argument count
 * @argv: "orderlyctl segments OPTIONS…"
 *
 * Customer segments from recency, frequency and monetary value.
 *
 * Returns: 0, 1 on failure, 2 on a usage error
 */
int
ord_cli_cmd_segments (int    argc,
                      char **argv)
{
  g_auto(Common) common = { 0, };
  int k_min = 3, k_max = 8, seed = 0;
  gboolean list = FALSE;
  const GOptionEntry entries[] = {
    { "k-min", 0, 0, G_OPTION_ARG_INT, &k_min, N_("Fewest segments to try (default 3)"), "K" },
    { "k-max", 0, 0, G_OPTION_ARG_INT, &k_max, N_("Most segments to try (default 8)"), "K" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Random seed of the k-means restarts (default 0)"), "S" },
    { "customers", 'c', 0, G_OPTION_ARG_NONE, &list,
      N_("Also list every customer with their segment"), NULL },
    { NULL }
  };
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(OrdRfmTable) rfm = NULL;
  g_autoptr(OrdSegmentation) seg = NULL;
  g_autoptr(GError) error = NULL;
  OrdSegmentsOptions options;
  g_autofree char *last = NULL;

  if (!parse_args ("segments", NULL,
                   _("Group customers by how recently, how often and how much they order."),
                   _("Recency, frequency and money spent (cancelled orders left out) are "
                     "clustered with k-means; the number of segments is chosen by silhouette, "
                     "and each segment is named from the RFM score map."),
                   entries, &common, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 2)
    {
      print_error ("segments", _("unexpected argument “%s”"), argv[2]);
      return EXIT_USAGE;
    }
  if (k_min < 2 || k_max < k_min || k_max > 20)
    {
      print_error ("segments", _("--k-min and --k-max: need 2 ≤ k-min ≤ k-max ≤ 20 (got %d "
                                 "and %d)"), k_min, k_max);
      return EXIT_USAGE;
    }
  if (seed < 0)
    {
      print_error ("segments", _("--seed: %d must not be negative"), seed);
      return EXIT_USAGE;
    }

  if (!(store = open_store ("segments", &common)))
    return EXIT_FAILURE;

  rfm = ord_rfm_from_store (store, NULL, &error);
  if (rfm == NULL)
    {
      print_error ("segments", "%s", error->message);
      return EXIT_FAILURE;
    }

  ord_segments_options_init (&options);
  options.k_min = (guint) k_min;
  options.k_max = (guint) k_max;
  options.seed = (guint32) seed;
  seg = ord_segments_compute (rfm->recency, rfm->frequency, rfm->monetary, rfm->n, &options,
                              &error);
  if (seg == NULL)
    {
      print_error ("segments", _("could not segment %" G_GSIZE_FORMAT " customers: %s"), rfm->n,
                   error->message);
      return EXIT_FAILURE;
    }
  last = format_julian (rfm->last_day, "%Y-%m-%d");

  if (common.json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_member_int (b, "customers", (gint64) rfm->n);
      json_member_int (b, "customers_left_out", (gint64) rfm->n_left_out);
      json_member_string (b, "last_order_date", last);
      json_member_string (b, "currency", rfm->currency);
      json_member_string (b, "money_unit", "minor");
      json_member_int (b, "k", seg->k);
      json_member_double (b, "inertia", seg->inertia);
      json_builder_set_member_name (b, "k_tried");
      json_builder_begin_array (b);
      for (guint i = 0; i < seg->n_k; i++)
        {
          json_builder_begin_object (b);
          json_member_int (b, "k", seg->k_min + i);
          json_member_double (b, "silhouette", seg->silhouettes[i]);
          json_member_double (b, "inertia", seg->inertias[i]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "segments");
      json_builder_begin_array (b);
      for (guint k = 0; k < seg->k; k++)
        {
          const OrdSegment *s = &seg->segments[k];

          json_builder_begin_object (b);
          json_member_string (b, "name", ord_rfm_segment_name (s->name));
          json_member_double (b, "name_share", s->name_share);
          json_member_int (b, "size", (gint64) s->size);
          json_member_double (b, "share", (double) s->size / seg->n);
          json_member_double (b, "mean_recency_days", s->mean_recency);
          json_member_double (b, "mean_orders", s->mean_frequency);
          json_member_double (b, "mean_spent", s->mean_monetary);
          json_member_double (b, "mean_r_score", s->mean_r);
          json_member_double (b, "mean_f_score", s->mean_f);
          json_member_double (b, "mean_m_score", s->mean_m);
          json_builder_set_member_name (b, "centre");
          json_builder_begin_array (b);
          for (guint j = 0; j < 3; j++)
            json_builder_add_double_value (b, s->centre[j]);
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      if (list)
        {
          json_builder_set_member_name (b, "customer_segments");
          json_builder_begin_array (b);
          for (gsize i = 0; i < rfm->n; i++)
            {
              json_builder_begin_object (b);
              json_member_string (b, "id", rfm->customer_ids[i]);
              json_member_string (b, "name", rfm->names[i]);
              json_member_string (b, "segment",
                                  ord_rfm_segment_name (seg->segments[seg->labels[i]].name));
              json_member_double (b, "recency_days", rfm->recency[i]);
              json_member_double (b, "orders", rfm->frequency[i]);
              json_member_double (b, "spent", rfm->monetary[i]);
              json_member_int (b, "r_score", seg->r_score[i]);
              json_member_int (b, "f_score", seg->f_score[i]);
              json_member_int (b, "m_score", seg->m_score[i]);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
      print_json (b);
      return EXIT_SUCCESS;
    }

  {
    g_autoptr(Table) table = table_new ("lrrrrr");
    g_autofree char *n_text = format_count ((gint64) rfm->n);
    g_autofree char *head = NULL;
    GString *tried = g_string_new (NULL);

    for (guint i = 0; i < seg->n_k; i++)
      {
        if (!isfinite (seg->silhouettes[i]))
          continue;
        g_string_append_printf (tried, "%s%u: %.3f", tried->len > 0 ? ", " : "", seg->k_min + i,
                                seg->silhouettes[i]);
      }
    head = g_strdup_printf (_("%s customers in %u segments, from their orders up to %s "
                              "(cancelled ones left out). The number of segments has the best "
                              "silhouette (%s)."),
                            n_text, seg->k, last, tried->str);
    g_string_free (tried, TRUE);
    print_wrapped (head);
    if (rfm->n_left_out > 0)
      {
        g_autofree char *note =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%" G_GSIZE_FORMAT " walk-in customer (orders "
                                        "without a known customer) is left out.",
                                        "%" G_GSIZE_FORMAT " walk-in customers (orders "
                                        "without a known customer) are left out.",
                                        rfm->n_left_out),
                           rfm->n_left_out);
        print_wrapped (note);
      }
    fputc ('\n', stdout);

    table_add_const (table, _("Segment"));
    table_add_const (table, _("Customers"));
    table_add_const (table, _("Share"));
    table_add_const (table, _("Last order"));
    table_add_const (table, _("Orders"));
    table_add_const (table, _("Spent"));
    for (guint k = 0; k < seg->k; k++)
      {
        const OrdSegment *s = &seg->segments[k];

        table_add_const (table, _(ord_rfm_segment_name (s->name)));
        table_add (table, format_count ((gint64) s->size));
        table_add (table, format_percent ((double) s->size / seg->n));
        table_add (table, format_days_ago (s->mean_recency));
        table_add (table, g_strdup_printf ("%.1f", s->mean_frequency));
        table_add (table, format_money_minor (s->mean_monetary, rfm->currency));
      }
    table_print (table, stdout);
    fputc ('\n', stdout);
    print_wrapped (_("Last order: on average, how long before the last order in the data the "
                     "customers last ordered. Orders and Spent: per customer, on average."));

    if (list)
      {
        g_autoptr(Table) customers = table_new ("llrrr");

        fputc ('\n', stdout);
        table_add_const (customers, _("Customer"));
        table_add_const (customers, _("Segment"));
        table_add_const (customers, _("Last order"));
        table_add_const (customers, _("Orders"));
        table_add_const (customers, _("Spent"));
        for (gsize i = 0; i < rfm->n; i++)
          {
            table_add_const (customers, rfm->names[i]);
            table_add_const (customers,
                             _(ord_rfm_segment_name (seg->segments[seg->labels[i]].name)));
            table_add (customers, format_days_ago (rfm->recency[i]));
            table_add (customers, format_count ((gint64) rfm->frequency[i]));
            table_add (customers, format_money_minor (rfm->monetary[i], rfm->currency));
          }
        table_print (customers, stdout);
      }
  }
  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* risk                                                               */

typedef struct
{
  gsize  row;
  double probability;
} Scored;

static int
compare_scored (gconstpointer a,
                gconstpointer b)
{
  const Scored *sa = a, *sb = b;

  if (sa->probability != sb->probability)
    return sa->probability > sb->probability ? -1 : 1;
  return (sa->row > sb->row) - (sa->row < sb->row);
}

/**
 * ord_cli_cmd_risk:
 * @argc: argument count
 * @argv: "orderlyctl risk OPTIONS…"
 *
 * Scores the open orders by their risk of being cancelled, with reasons.
 *
 * Returns: 0, 1 on failure, 2 on a usage error
 */
int
ord_cli_cmd_risk (int    argc,
                  char **argv)
{
  g_auto(Common) common = { 0, };
  gboolean retrain = FALSE;
  int limit = 20;
  const GOptionEntry entries[] = {
    { "retrain", 0, 0, G_OPTION_ARG_NONE, &retrain,
      N_("Train the model again now (it is retrained by itself when the history has grown "
         "by a tenth)"), NULL },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit,
      N_("Show the N riskiest open orders (default 20; 0 = all)"), "N" },
    { NULL }
  };
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(OrdRiskRows) history = NULL;
  g_autoptr(OrdRiskRows) open = NULL;
  g_autoptr(OrdRiskModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree Scored *scored = NULL;
  gboolean retrained = FALSE;
  gsize shown, i;

  if (!parse_args ("risk", NULL,
                   _("Which open orders are likely to be cancelled, and why."),
                   _("A logistic regression learns from the finished orders (delivered or "
                     "cancelled) what an order looks like when it is placed: lead time, value, "
                     "lines, the customer’s earlier orders and cancellations, weekday and "
                     "hour, edits. Its accuracy is measured on the most recent fifth of them, "
                     "which it has not seen. The model is kept in the database."),
                   entries, &common, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 2)
    {
      print_error ("risk", _("unexpected argument “%s”"), argv[2]);
      return EXIT_USAGE;
    }
  if (limit < 0)
    {
      print_error ("risk", _("--limit: %d must not be negative"), limit);
      return EXIT_USAGE;
    }

  if (!(store = open_store ("risk", &common)))
    return EXIT_FAILURE;

  if (!ord_risk_rows_from_store (store, NULL, &history, &open, &error))
    {
      print_error ("risk", "%s", error->message);
      return EXIT_FAILURE;
    }
  model = ord_risk_model_ensure (store, history, retrain, &retrained, &error);
  if (model == NULL)
    {
      print_error ("risk", "%s", error->message);
      return EXIT_FAILURE;
    }

  scored = g_new (Scored, MAX (open->n, 1));
  for (i = 0; i < open->n; i++)
    {
      scored[i].row = i;
      scored[i].probability = ord_risk_model_score (model, open->x + i * open->p);
    }
  qsort (scored, open->n, sizeof (Scored), compare_scored);
  shown = limit == 0 ? open->n : MIN (open->n, (gsize) limit);

  if (common.json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(GDateTime) trained = g_date_time_new_from_unix_utc (model->trained_at /
                                                                     G_USEC_PER_SEC);
      g_autofree char *trained_text = g_date_time_format_iso8601 (trained);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "model");
      json_builder_begin_object (b);
      json_member_string (b, "kind", "logistic_regression");
      json_member_string (b, "penalty", "l2");
      json_member_double (b, "C", 1.0);
      json_member_string (b, "trained_at", trained_text);
      json_member_bool (b, "retrained_now", retrained);
      json_member_int (b, "finished_orders", (gint64) model->n_history);
      json_member_int (b, "cancelled_orders", (gint64) model->n_cancelled);
      json_member_int (b, "train_orders", (gint64) model->n_train);
      json_member_int (b, "holdout_orders", (gint64) model->n_test);
      json_member_double (b, "holdout_auc", model->auc);
      json_member_double (b, "holdout_brier", model->brier);
      json_member_double (b, "intercept", model->model->intercept);
      json_builder_set_member_name (b, "features");
      json_builder_begin_array (b);
      for (guint j = 0; j < ORD_RISK_N_FEATURES; j++)
        {
          json_builder_begin_object (b);
          json_member_string (b, "name", ord_risk_feature_name (j));
          json_member_double (b, "coef", model->model->coef[j]);
          json_member_double (b, "mean", model->scaler->mean[j]);
          json_member_double (b, "scale", model->scaler->scale[j]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "calibration");
      json_builder_begin_array (b);
      for (guint k = 0; k < model->n_bins; k++)
        {
          json_builder_begin_object (b);
          json_member_int (b, "orders", (gint64) model->calibration[k].n);
          json_member_double (b, "mean_predicted", model->calibration[k].mean_predicted);
          json_member_double (b, "observed_rate", model->calibration[k].observed_rate);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);

      json_member_int (b, "open_orders", (gint64) open->n);
      json_builder_set_member_name (b, "orders");
      json_builder_begin_array (b);
      for (i = 0; i < shown; i++)
        {
          gsize r = scored[i].row;
          const double *row = open->x + r * open->p;
          OrdRiskReason reasons[3];
          guint n_reasons = ord_risk_model_explain (model, row, G_N_ELEMENTS (reasons), reasons);

          json_builder_begin_object (b);
          json_member_string (b, "id", open->order_ids[r]);
          json_member_string (b, "number", open->numbers[r]);
          json_member_string (b, "customer", open->customer_names[r]);
          json_member_string (b, "status", ord_status_to_string (open->statuses[r]));
          json_member_int (b, "total", open->totals[r]);
          json_member_string (b, "currency", open->currencies[r]);
          json_member_double (b, "probability", scored[i].probability);
          json_builder_set_member_name (b, "reasons");
          json_builder_begin_array (b);
          for (guint k = 0; k < n_reasons; k++)
            {
              g_autofree char *text = ord_risk_reason_describe (&reasons[k], row,
                                                                open->currencies[r]);

              json_builder_begin_object (b);
              json_member_string (b, "feature", ord_risk_feature_name (reasons[k].feature));
              json_member_string (b, "text", text);
              json_member_double (b, "contribution", reasons[k].contribution);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      print_json (b);
      return EXIT_SUCCESS;
    }

  {
    g_autofree char *when = format_usec (model->trained_at);
    g_autofree char *n_text = format_count ((gint64) model->n_history);
    g_autofree char *c_text = format_count ((gint64) model->n_cancelled);
    g_autofree char *rate = format_percent ((double) model->n_cancelled / model->n_history);
    g_autofree char *head = NULL;

    head = g_strdup_printf (_("Cancellation risk: a logistic regression (L2, C = 1) on %d "
                              "features of an order known when it is placed. Trained %s%s "
                              "from %s finished orders, %s of them cancelled (%s)."),
                            ORD_RISK_N_FEATURES, when, retrained ? _(" (just now)") : "",
                            n_text, c_text, rate);
    print_wrapped (head);
    if (!retrained)
      print_wrapped (_("The stored model is used; it is trained again when the history has "
                       "grown by a tenth, or now with --retrain."));

    if (model->n_test > 0 && isfinite (model->auc))
      {
        g_autofree char *test = format_count ((gint64) model->n_test);
        g_autofree char *quality = g_strdup_printf (
          _("On the most recent %s orders, which the model had not seen: ROC AUC %.3f (0.5 is "
            "guessing, 1 is perfect), Brier score %.3f."),
          test, model->auc, model->brier);

        print_wrapped (quality);
      }
    else
      print_wrapped (_("The most recent orders hold only one outcome, so the model could not "
                       "be measured on them."));

    if (model->n_bins > 0)
      {
        g_autoptr(Table) calibration = table_new ("rrr");

        fputc ('\n', stdout);
        print_wrapped (_("Calibration on those orders, in tenths by predicted risk:"));
        table_add_const (calibration, _("Predicted"));
        table_add_const (calibration, _("Cancelled"));
        table_add_const (calibration, _("Orders"));
        for (guint k = 0; k < model->n_bins; k++)
          {
            table_add (calibration, format_percent (model->calibration[k].mean_predicted));
            table_add (calibration, format_percent (model->calibration[k].observed_rate));
            table_add (calibration, format_count ((gint64) model->calibration[k].n));
          }
        table_print (calibration, stdout);
      }

    fputc ('\n', stdout);
    if (open->n == 0)
      {
        print_wrapped (_("There are no open orders (pending, confirmed or preparing) to "
                         "score."));
        return EXIT_SUCCESS;
      }

    {
      g_autoptr(Table) table = table_new ("llrrl");
      g_autofree char *n_open = format_count ((gint64) open->n);
      g_autofree char *title = NULL;

      title = shown < open->n
                ? g_strdup_printf (_("The %" G_GSIZE_FORMAT " of %s open orders most likely to "
                                     "be cancelled (↑ raises the risk, ↓ lowers it):"),
                                   shown, n_open)
                : g_strdup_printf (_("The %s open orders, most likely to be cancelled first (↑ "
                                     "raises the risk, ↓ lowers it):"), n_open);
      print_wrapped (title);
      fputc ('\n', stdout);
      table_add_const (table, _("Order"));
      table_add_const (table, _("Customer"));
      table_add_const (table, _("Total"));
      table_add_const (table, _("Risk"));
      table_add_const (table, _("Why"));
      for (i = 0; i < shown; i++)
        {
          gsize r = scored[i].row;
          const double *row = open->x + r * open->p;
          OrdRiskReason reasons[3];
          guint n_reasons = ord_risk_model_explain (model, row, G_N_ELEMENTS (reasons), reasons);
          GString *why = g_string_new (NULL);
          OrdMoney total = ord_money_init (open->totals[r], open->currencies[r]);

          for (guint k = 0; k < n_reasons; k++)
            {
              g_autofree char *text = ord_risk_reason_describe (&reasons[k], row,
                                                                open->currencies[r]);

              g_string_append_printf (why, "%s%s %s", k > 0 ? ", " : "",
                                      reasons[k].contribution >= 0 ? "↑" : "↓", text);
            }
          table_add_const (table, open->numbers[r]);
          table_add_const (table, open->customer_names[r]);
          table_add (table, ord_money_format (&total));
          table_add (table, format_percent (scored[i].probability));
          table_add (table, g_string_free (why, FALSE));
        }
      table_print (table, stdout);
    }
  }
  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* anomalies                                                          */

/**
 * ord_cli_cmd_anomalies:
 * @argc: argument count
 * @argv: "orderlyctl anomalies [orders|revenue] [day|week|month] OPTIONS…"
 *
 * Days (weeks, months) with unusually many or few orders, or unusual revenue.
 *
 * Returns: 0, 1 on failure, 2 on a usage error
 */
int
ord_cli_cmd_anomalies (int    argc,
                       char **argv)
{
  g_auto(Common) common = { 0, };
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(OrdSeries) series = NULL;
  g_autoptr(OrdAnomalies) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *open = NULL;
  g_autofree gsize *index = NULL;
  OrdMeasure measure = ORD_MEASURE_ORDERS;
  OrdInterval interval = ORD_INTERVAL_DAY;
  guint open_period;
  gsize n_open;

  if (!parse_args ("anomalies", "[orders|revenue] [day|week|month]",
                   _("Find days, weeks or months with unusual orders or revenue."),
                   _("The series is decomposed into trend and season robustly; values whose "
                     "remainder lies more than 3 interquartile ranges outside the middle half "
                     "are unusual (as R’s tsoutliers). Closed days are left out."),
                   NULL, &common, &argc, &argv))
    return EXIT_USAGE;
  if (!parse_series_words ("anomalies", argc, argv, &measure, &interval))
    return EXIT_USAGE;

  if (!(store = open_store ("anomalies", &common)))
    return EXIT_FAILURE;

  series = ord_series_from_store (store, measure, interval, NULL, &error);
  if (series == NULL)
    {
      print_error ("anomalies", "%s", error->message);
      return EXIT_FAILURE;
    }

  open = g_new (double, series->n);
  index = g_new (gsize, series->n);
  n_open = ord_open_days (series->values, series->n, series->period, series->closed, open,
                          index, &open_period);
  found = ord_anomalies_detect (open, n_open, open_period, 2, &error);
  if (found == NULL)
    {
      print_error ("anomalies", _("could not examine %s: %s"),
                   measure_label (measure, interval), error->message);
      return EXIT_FAILURE;
    }

  if (common.json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autofree char *first = step_iso (series, 0);
      g_autofree char *last = step_iso (series, series->n - 1);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "series");
      json_builder_begin_object (b);
      json_member_string (b, "measure", ord_measure_to_string (measure));
      json_member_string (b, "interval", ord_interval_to_string (interval));
      if (measure == ORD_MEASURE_REVENUE)
        {
          json_member_string (b, "currency", series->currency);
          json_member_string (b, "unit", "minor");
        }
      json_member_int (b, "length", (gint64) series->n);
      json_member_int (b, "examined", (gint64) n_open);
      json_member_int (b, "period", open_period);
      json_member_string (b, "first", first);
      json_member_string (b, "last", last);
      json_builder_end_object (b);
      json_member_string (b, "method", "robust seasonal decomposition, residuals beyond 3 IQR");
      json_member_bool (b, "seasonally_adjusted", found->seasonally_adjusted);
      json_builder_set_member_name (b, "anomalies");
      json_builder_begin_array (b);
      for (gsize k = 0; k < found->n; k++)
        {
          gsize i = index[found->index[k]];
          g_autofree char *date = step_iso (series, i);

          json_builder_begin_object (b);
          json_member_string (b, "date", date);
          json_member_double (b, "value", series->values[i]);
          json_member_double (b, "expected", found->replacement[k]);
          json_member_double (b, "difference", series->values[i] - found->replacement[k]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      print_json (b);
      return EXIT_SUCCESS;
    }

  {
    g_autofree char *first = step_iso (series, 0);
    g_autofree char *last = step_iso (series, series->n - 1);
    g_autofree char *head = NULL;

    if (found->n == 0)
      head = g_strdup_printf (_("Nothing unusual in %s from %s to %s."),
                              measure_label (measure, interval), first, last);
    else
      head = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%" G_GSIZE_FORMAT " unusual value in %s from %s "
                                           "to %s%s:",
                                           "%" G_GSIZE_FORMAT " unusual values in %s from %s "
                                           "to %s%s:",
                                           found->n),
                              found->n, measure_label (measure, interval), first, last,
                              series->n_closed > 0 ? _(" (closed days left out)") : "");
    print_wrapped (head);
    if (found->n == 0)
      return EXIT_SUCCESS;
    fputc ('\n', stdout);

    {
      g_autoptr(Table) table = table_new ("lrrl");

      table_add_const (table, interval == ORD_INTERVAL_DAY ? _("Day")
                              : interval == ORD_INTERVAL_WEEK ? _("Week") : _("Month"));
      table_add_const (table, measure == ORD_MEASURE_ORDERS ? _("Orders") : _("Revenue"));
      table_add_const (table, _("Expected"));
      table_add_const (table, "");
      for (gsize k = 0; k < found->n; k++)
        {
          gsize i = index[found->index[k]];
          double value = series->values[i], expected = found->replacement[k];

          table_add (table, step_label (series, i));
          table_add (table, format_value (value, measure, series->currency, FALSE));
          table_add (table, format_value (expected, measure, series->currency, TRUE));
          if (series->interval == ORD_INTERVAL_DAY && i + 1 == series->n)
            table_add_const (table, value > expected
                                      ? _("higher than usual (the last day of the data)")
                                      : _("lower than usual (the last day of the data, "
                                          "perhaps not complete)"));
          else
            table_add_const (table, value > expected ? _("higher than usual")
                                                     : _("lower than usual"));
        }
      table_print (table, stdout);
    }
  }
  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* recommend                                                          */

static gint
find_item (const OrdBaskets *baskets,
           const char       *text,
           GString          *candidates)
{
  gint found = -1;
  guint n_found = 0;
  g_autofree char *needle = g_utf8_casefold (text, -1);

  for (guint i = 0; i < baskets->n_items; i++)
    if (g_strcmp0 (baskets->item_skus[i], text) == 0 || g_strcmp0 (baskets->item_ids[i], text) == 0)
      return (gint) i;

  for (guint i = 0; i < baskets->n_items; i++)
    {
      g_autofree char *name = g_utf8_casefold (baskets->item_names[i], -1);

      if (strstr (name, needle) != NULL)
        {
          if (n_found < 5)
            g_string_append_printf (candidates, "%s%s (%s)", n_found > 0 ? ", " : "",
                                    baskets->item_names[i], baskets->item_skus[i]);
          found = (gint) i;
          n_found++;
        }
    }
  return n_found == 1 ? found : n_found > 1 ? -2 : -1;
}

static gint
find_customer (const OrdBaskets *baskets,
               const char       *text)
{
  gint found = -1;
  guint n_found = 0;
  g_autofree char *needle = g_utf8_casefold (text, -1);

  for (guint c = 0; c < baskets->n_customers; c++)
    if (g_strcmp0 (baskets->customer_ids[c], text) == 0)
      return (gint) c;
  for (guint c = 0; c < baskets->n_customers; c++)
    {
      g_autofree char *name = g_utf8_casefold (baskets->customer_names[c], -1);

      if (strcmp (name, needle) == 0)
        {
          found = (gint) c;
          n_found++;
        }
    }
  return n_found == 1 ? found : n_found > 1 ? -2 : -1;
}

static void
recommendations_json (JsonBuilder             *b,
                      const OrdBaskets        *baskets,
                      const OrdItemSimilarity *sim,
                      const OrdRecommendation *recs,
                      guint                    n)
{
  json_builder_set_member_name (b, "recommendations");
  json_builder_begin_array (b);
  for (guint k = 0; k < n; k++)
    {
      json_builder_begin_object (b);
      json_member_string (b, "product_id", baskets->item_ids[recs[k].item]);
      json_member_string (b, "sku", baskets->item_skus[recs[k].item]);
      json_member_string (b, "name", baskets->item_names[recs[k].item]);
      json_member_double (b, "score", recs[k].score);
      json_member_int (b, "orders", (gint64) sim->item_count[recs[k].item]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
recommendations_table (const OrdBaskets        *baskets,
                       const OrdItemSimilarity *sim,
                       const OrdRecommendation *recs,
                       guint                    n,
                       const char              *score_header)
{
  g_autoptr(Table) table = table_new ("rllrr");

  table_add_const (table, "#");
  table_add_const (table, _("SKU"));
  table_add_const (table, _("Product"));
  table_add_const (table, score_header);
  table_add_const (table, _("In orders"));
  for (guint k = 0; k < n; k++)
    {
      table_add (table, g_strdup_printf ("%u", k + 1));
      table_add_const (table, baskets->item_skus[recs[k].item]);
      table_add_const (table, baskets->item_names[recs[k].item]);
      table_add (table, g_strdup_printf ("%.3f", recs[k].score));
      table_add (table, format_count ((gint64) sim->item_count[recs[k].item]));
    }
  table_print (table, stdout);
}

/**
 * ord_cli_cmd_recommend:
 * @argc: argument count
 * @argv: "orderlyctl recommend [--product SKU | --customer NAME | --order NUMBER] OPTIONS…"
 *
 * "Also ordered" recommendations from item–item cosine similarity, and
 * how well they do against the most popular products.
 *
 * Returns: 0, 1 on failure, 2 on a usage error
 */
int
ord_cli_cmd_recommend (int    argc,
                       char **argv)
{
  g_auto(Common) common = { 0, };
  g_autofree char *product = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *order_number = NULL;
  int limit = 10;
  const GOptionEntry entries[] = {
    { "product", 'p', 0, G_OPTION_ARG_STRING, &product,
      N_("What customers who ordered this product also ordered (SKU or part of the name)"),
      N_("SKU") },
    { "customer", 'c', 0, G_OPTION_ARG_STRING, &customer,
      N_("Products to suggest to a customer, from what they ordered (id or full name)"),
      N_("NAME") },
    { "order", 'o', 0, G_OPTION_ARG_STRING, &order_number,
      N_("Products to suggest with an order (its number)"), N_("NUMBER") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("How many (default 10)"), "N" },
    { NULL }
  };
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(OrdBaskets) baskets = NULL;
  g_autoptr(OrdItemSimilarity) sim = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree OrdRecommendation *recs = NULL;
  g_autoptr(GArray) history = NULL;
  g_autofree char *subject = NULL;
  const char *mode;
  guint n = 0, n_chosen;

  if (!parse_args ("recommend", NULL,
                   _("Suggest products that are ordered together."),
                   _("Products are similar when the same orders hold them (cosine similarity "
                     "over the orders that were not cancelled). Without --product, --customer "
                     "or --order, shows how often the suggestions would have hit each "
                     "customer’s last order, against simply suggesting the most popular "
                     "products, and the most popular products with their companions."),
                   entries, &common, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 2)
    {
      print_error ("recommend", _("unexpected argument “%s”"), argv[2]);
      return EXIT_USAGE;
    }
  n_chosen = (product != NULL) + (customer != NULL) + (order_number != NULL);
  if (n_chosen > 1)
    {
      print_error ("recommend", _("give one of --product, --customer and --order"));
      return EXIT_USAGE;
    }
  if (limit <= 0 || limit > 1000)
    {
      print_error ("recommend", _("--limit: %d must be between 1 and 1000"), limit);
      return EXIT_USAGE;
    }

  if (!(store = open_store ("recommend", &common)))
    return EXIT_FAILURE;

  baskets = ord_baskets_from_store (store, &error);
  if (baskets == NULL)
    {
      print_error ("recommend", "%s", error->message);
      return EXIT_FAILURE;
    }
  if (baskets->n_baskets == 0)
    {
      print_error ("recommend", _("there are no orders with products yet to learn from"));
      return EXIT_FAILURE;
    }
  sim = ord_item_similarity_new (baskets->basket_ptr, baskets->items, baskets->n_baskets,
                                 baskets->n_items, 50);
  recs = g_new0 (OrdRecommendation, limit);
  history = g_array_new (FALSE, FALSE, sizeof (guint));

  if (product != NULL)
    {
      g_autoptr(GString) candidates = g_string_new (NULL);
      gint item = find_item (baskets, product, candidates);

      if (item < 0)
        {
          if (item == -2)
            print_error ("recommend", _("“%s” matches several products: %s…; give the SKU"),
                         product, candidates->str);
          else
            print_error ("recommend", _("no product with SKU or name “%s” was ever ordered"),
                         product);
          return EXIT_FAILURE;
        }
      n = ord_recommend_also_ordered (sim, (guint) item, (guint) limit, recs);
      mode = "product";
      subject = g_strdup_printf ("%s (%s)", baskets->item_names[item], baskets->item_skus[item]);
    }
  else if (customer != NULL || order_number != NULL)
    {
      gint c = -1;
      g_autofree char *order_id = NULL;

      if (customer != NULL)
        {
          c = find_customer (baskets, customer);
          if (c < 0)
            {
              print_error ("recommend",
                           c == -2 ? _("several customers are called “%s”; give the id")
                                   : _("no customer “%s” has an order with products"),
                           customer);
              return EXIT_FAILURE;
            }
          subject = g_strdup (baskets->customer_names[c]);
        }
      else
        {
          g_autoptr(OrdOrder) order = ord_store_get_order_by_number (store, order_number,
                                                                     &error);

          if (order == NULL)
            {
              print_error ("recommend", "%s", error->message);
              return EXIT_FAILURE;
            }
          order_id = g_strdup (ord_order_get_id (order));
          subject = g_strdup_printf (_("order %s"), order_number);
        }
      for (gsize b = 0; b < baskets->n_baskets; b++)
        if ((c >= 0 && baskets->basket_customer[b] == (guint) c) ||
            (order_id != NULL && g_strcmp0 (baskets->basket_order_ids[b], order_id) == 0))
          g_array_append_vals (history, baskets->items + baskets->basket_ptr[b],
                               baskets->basket_ptr[b + 1] - baskets->basket_ptr[b]);
      if (history->len == 0)
        {
          print_error ("recommend", _("%s holds no products that can be matched (a cancelled "
                                      "order, or lines without a product)"), subject);
          return EXIT_FAILURE;
        }
      n = ord_recommend_for_history (sim, (guint *) history->data, history->len, TRUE,
                                     (guint) limit, recs);
      mode = customer != NULL ? "customer" : "order";
    }
  else
    mode = "overview";

  if (g_strcmp0 (mode, "overview") != 0)
    {
      if (common.json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          json_member_string (b, "mode", mode);
          json_member_string (b, "for", subject);
          json_member_int (b, "orders_learned_from", (gint64) baskets->n_baskets);
          recommendations_json (b, baskets, sim, recs, n);
          json_builder_end_object (b);
          print_json (b);
          return EXIT_SUCCESS;
        }
      {
        g_autofree char *head = NULL;

        if (g_strcmp0 (mode, "product") == 0)
          head = g_strdup_printf (_("Customers who ordered %s also ordered:"), subject);
        else if (g_strcmp0 (mode, "customer") == 0)
          head = g_strdup_printf (_("Suggestions for %s: products often ordered together with "
                                    "what they ordered before (leaving out what they already "
                                    "ordered):"), subject);
        else
          head = g_strdup_printf (_("Suggestions to go with %s: products often ordered "
                                    "together with its products (leaving out those already in "
                                    "it):"), subject);
        print_wrapped (head);
        fputc ('\n', stdout);
        if (n == 0)
          {
            print_wrapped (_("Nothing yet: no other product was ever ordered with it."));
            return EXIT_SUCCESS;
          }
        recommendations_table (baskets, sim, recs, n,
                               g_strcmp0 (mode, "product") == 0 ? _("Similarity")
                                                                : _("Score"));
      }
      return EXIT_SUCCESS;
    }

  /* Overview: the hit rate against popularity, and the best sellers' companions */
  {
    OrdHitRate hits = { 0, };
    guint n_top = MIN ((guint) limit, baskets->n_items);

    ord_recommend_evaluate (baskets->basket_ptr, baskets->items, baskets->basket_customer,
                            baskets->n_baskets, baskets->n_items, 10, 50, FALSE, &hits);

    if (common.json)
      {
        g_autoptr(JsonBuilder) b = json_builder_new ();

        json_builder_begin_object (b);
        json_member_string (b, "mode", "overview");
        json_member_int (b, "orders_learned_from", (gint64) baskets->n_baskets);
        json_member_int (b, "products", baskets->n_items);
        json_builder_set_member_name (b, "evaluation");
        json_builder_begin_object (b);
        json_member_string (b, "method", "hit rate at 10 on each customer's last order");
        json_member_int (b, "customers", (gint64) hits.n_customers);
        json_member_double (b, "hit_rate", hits.hit_rate);
        json_member_double (b, "popular_hit_rate", hits.popular_hit_rate);
        json_builder_end_object (b);
        json_builder_set_member_name (b, "popular");
        json_builder_begin_array (b);
        for (guint k = 0; k < n_top; k++)
          {
            guint item = sim->popular[k];
            OrdRecommendation also[3];
            guint n_also = ord_recommend_also_ordered (sim, item, 3, also);

            json_builder_begin_object (b);
            json_member_string (b, "sku", baskets->item_skus[item]);
            json_member_string (b, "name", baskets->item_names[item]);
            json_member_int (b, "orders", (gint64) sim->item_count[item]);
            recommendations_json (b, baskets, sim, also, n_also);
            json_builder_end_object (b);
          }
        json_builder_end_array (b);
        json_builder_end_object (b);
        print_json (b);
        return EXIT_SUCCESS;
      }

    {
      g_autofree char *orders = format_count ((gint64) baskets->n_baskets);
      g_autofree char *products = format_count (baskets->n_items);
      g_autofree char *customers = format_count ((gint64) hits.n_customers);
      g_autofree char *head = g_strdup_printf (_("Learned from %s orders of %s products."),
                                               orders, products);
      g_autoptr(Table) table = table_new ("rlrl");

      print_wrapped (head);
      if (hits.n_customers > 0)
        {
          g_autofree char *ours = format_percent (hits.hit_rate);
          g_autofree char *popular = format_percent (hits.popular_hit_rate);
          g_autofree char *quality = g_strdup_printf (
            _("Tried on the last order of each of %s customers with two orders or more: 10 "
              "suggestions from their earlier orders held at least one product of it %s of "
              "the time, against %s for the 10 most popular products."),
            customers, ours, popular);

          print_wrapped (quality);
        }
      fputc ('\n', stdout);
      print_wrapped (_("The most ordered products and what is ordered with them:"));
      fputc ('\n', stdout);
      table_add_const (table, "#");
      table_add_const (table, _("Product"));
      table_add_const (table, _("In orders"));
      table_add_const (table, _("Also ordered"));
      for (guint k = 0; k < n_top; k++)
        {
          guint item = sim->popular[k];
          OrdRecommendation also[3];
          guint n_also = ord_recommend_also_ordered (sim, item, 3, also);
          GString *text = g_string_new (NULL);

          for (guint j = 0; j < n_also; j++)
            g_string_append_printf (text, "%s%s (%.2f)", j > 0 ? "; " : "",
                                    baskets->item_names[also[j].item], also[j].score);
          table_add (table, g_strdup_printf ("%u", k + 1));
          table_add_const (table, baskets->item_names[item]);
          table_add (table, format_count ((gint64) sim->item_count[item]));
          table_add (table, g_string_free (text, FALSE));
        }
      table_print (table, stdout);
    }
  }
  return EXIT_SUCCESS;
}
