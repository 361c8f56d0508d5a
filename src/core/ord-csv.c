/* ord-csv.c: a streaming RFC 4180 CSV reader and writer
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-csv"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ord-csv.h"

/* Records hold at most this many fields; more is reported as a problem. */
#define MAX_FIELDS 65536

#define READ_SIZE (128 * 1024)
#define WRITE_SIZE (64 * 1024)

typedef enum
{
  FIELD_START,
  UNQUOTED,
  QUOTED,
  QUOTED_QUOTE,   /* a quote inside a quoted field: closing or doubled */
} State;

struct _OrdCsvReader
{
  GInputStream *stream;

  guint8       *buf;
  gsize         buf_pos;
  gsize         buf_len;
  gboolean      eof;
  gboolean      started;       /* the byte order mark has been looked for */
  gboolean      prev_cr;       /* the last byte taken was a CR: a LF after it
                                  does not start another line */

  char         *data;          /* the record's fields, each NUL-terminated */
  gsize         data_len;
  gsize         data_alloc;
  gsize        *starts;        /* offset of each field in data, plus the end */
  guint         n_fields;
  guint         starts_alloc;
  gboolean      truncated;     /* too long: the rest of the record is dropped */

  guint64       line;          /* physical line of the next byte */
  guint64       record_line;
  guint64       bytes_read;
  char         *problem;
};

/**
 * ord_csv_reader_new:
 * @stream: the input, UTF-8 text (a leading byte order mark is skipped)
 *
 * Creates a reader of RFC 4180 CSV: fields separated by commas, records by
 * CRLF, LF or CR; a field in double quotes may hold commas, line breaks and
 * doubled quotes. Blank lines are skipped. A quote inside an unquoted field
 * is taken literally; text after a closing quote is a problem.
 *
 * Returns: (transfer full): a new reader
 */
OrdCsvReader *
ord_csv_reader_new (GInputStream *stream)
{
  OrdCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_new0 (OrdCsvReader, 1);
  self->stream = g_object_ref (stream);
  self->buf = g_malloc (READ_SIZE);
  self->data_alloc = 4096;
  self->data = g_malloc (self->data_alloc);
  self->starts_alloc = 64;
  self->starts = g_new (gsize, self->starts_alloc);
  self->line = 1;

  return self;
}

/**
 * ord_csv_reader_free:
 * @self: (transfer full) (nullable): a reader
 *
 * Frees the reader; the stream is unreferenced, not closed.
 */
void
ord_csv_reader_free (OrdCsvReader *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->stream);
  g_free (self->buf);
  g_free (self->data);
  g_free (self->starts);
  g_free (self->problem);
  g_free (self);
}

static gboolean
refill (OrdCsvReader  *self,
        GCancellable  *cancellable,
        GError       **error)
{
  gsize n = 0;

  if (self->eof)
    return TRUE;

  /* read_all: a full buffer unless at the end, so the byte order mark is
   * never split and there are few calls into the stream. */
  if (!g_input_stream_read_all (self->stream, self->buf, READ_SIZE, &n, cancellable, error))
    return FALSE;

  self->buf_pos = 0;
  self->buf_len = n;
  self->bytes_read += n;
  self->eof = (n == 0);

  if (!self->started)
    {
      self->started = TRUE;
      if (n >= 3 && memcmp (self->buf, "\xef\xbb\xbf", 3) == 0)
        self->buf_pos = 3;
    }

  return TRUE;
}

static void
set_problem (OrdCsvReader *self,
             char         *problem)
{
  /* The first problem is the one to fix; the rest often follow from it. */
  if (self->problem == NULL)
    self->problem = problem;
  else
    g_free (problem);
}

/* Drops the rest of the record; @field_open: the current field still
 * needs its terminator. */
static void
truncate_record (OrdCsvReader *self,
                 gboolean      field_open,
                 char         *problem)
{
  set_problem (self, problem);
  self->truncated = TRUE;

  if (field_open)
    {
      if (self->data_len + 1 > self->data_alloc)
        {
          self->data_alloc *= 2;
          self->data = g_realloc (self->data, self->data_alloc);
        }
      self->data[self->data_len++] = '\0';
    }
}

static inline void
append (OrdCsvReader *self,
        const guint8 *bytes,
        gsize         n)
{
  if G_UNLIKELY (self->truncated)
    return;

  if G_UNLIKELY (self->data_len + n >= ORD_CSV_MAX_RECORD_BYTES)
    {
      truncate_record (self, TRUE,
                       g_strdup_printf (_("the record is longer than %u MiB"),
                                        ORD_CSV_MAX_RECORD_BYTES / (1024 * 1024)));
      return;
    }

  /* +1: room for the field's terminator. */
  if G_UNLIKELY (self->data_len + n + 1 > self->data_alloc)
    {
      while (self->data_len + n + 1 > self->data_alloc)
        self->data_alloc *= 2;
      self->data = g_realloc (self->data, self->data_alloc);
    }

  memcpy (self->data + self->data_len, bytes, n);
  self->data_len += n;
}

static void
start_field (OrdCsvReader *self)
{
  if G_UNLIKELY (self->truncated)
    return;

  if G_UNLIKELY (self->n_fields >= MAX_FIELDS)
    {
      truncate_record (self, FALSE,
                       g_strdup_printf (_("the record has more than %u fields"),
                                        MAX_FIELDS));
      return;
    }

  /* +1: room for the end offset of the last field. */
  if G_UNLIKELY (self->n_fields + 2 > self->starts_alloc)
    {
      self->starts_alloc *= 2;
      self->starts = g_renew (gsize, self->starts, self->starts_alloc);
    }

  self->starts[self->n_fields++] = self->data_len;
}

static void
end_field (OrdCsvReader *self)
{
  if G_UNLIKELY (self->truncated)
    return;

  if G_UNLIKELY (self->data_len + 1 > self->data_alloc)
    {
      self->data_alloc *= 2;
      self->data = g_realloc (self->data, self->data_alloc);
    }
  self->data[self->data_len++] = '\0';
}

static void
end_record (OrdCsvReader *self)
{
  end_field (self);
  self->starts[self->n_fields] = self->data_len;

  /* Every field is text: refuse bytes that are not UTF-8 (a file saved in
   * a legacy encoding) and NUL bytes (a binary file). Most records are
   * ASCII with no NUL but the fields' ends: one pass over them says so. */
  {
    const guint8 *data = (const guint8 *) self->data;
    guint8 high = 0;
    gsize zeros = 0;

    for (gsize i = 0; i < self->data_len; i++)
      {
        high |= data[i];
        zeros += data[i] == 0;
      }
    if ((high & 0x80) == 0 && zeros == self->n_fields)
      return;
  }

  for (guint i = 0; i < self->n_fields && self->problem == NULL; i++)
    {
      const char *field = self->data + self->starts[i];
      gsize length = self->starts[i + 1] - self->starts[i] - 1;

      if (g_utf8_validate_len (field, length, NULL))
        continue;

      if (memchr (field, '\0', length) != NULL)
        set_problem (self, g_strdup_printf (_("field %u contains a NUL byte: this is not a "
                                              "text file"), i + 1));
      else
        set_problem (self, g_strdup_printf (_("field %u is not valid UTF-8 text: save the "
                                              "file as CSV in UTF-8"), i + 1));
    }
}

/* Takes a line break at the current position. */
static inline void
take_newline (OrdCsvReader *self)
{
  guint8 c = self->buf[self->buf_pos++];

  if (c == '\r')
    {
      self->line++;
      self->prev_cr = TRUE;
    }
  else
    {
      if (!self->prev_cr)
        self->line++;
      self->prev_cr = FALSE;
    }
}

/**
 * ord_csv_reader_next:
 * @self: a reader
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the next record. A malformed record (an unclosed quote, text after
 * a closing quote, bytes that are not UTF-8) is returned all the same, with
 * ord_csv_reader_get_problem() saying what is wrong, so that a caller can
 * report it with its line and go on with the next record.
 *
 * Returns: %TRUE when a record was read, %FALSE at the end of the input
 *   (@error unset) or on an I/O error
 */
gboolean
ord_csv_reader_next (OrdCsvReader  *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  State state = FIELD_START;
  guint64 quote_line = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->data_len = 0;
  self->n_fields = 0;
  self->truncated = FALSE;
  g_clear_pointer (&self->problem, g_free);

  /* Skip blank lines (and the LF of a CRLF that ended the last record). */
  for (;;)
    {
      guint8 c;

      if (self->buf_pos == self->buf_len)
        {
          if (!refill (self, cancellable, error))
            return FALSE;
          if (self->buf_pos == self->buf_len)
            return FALSE;
        }

      c = self->buf[self->buf_pos];
      if (c != '\n' && c != '\r')
        break;
      take_newline (self);
    }

  self->record_line = self->line;
  start_field (self);

  for (;;)
    {
      const guint8 *p;
      const guint8 *q;
      const guint8 *end;

      if (self->buf_pos == self->buf_len)
        {
          if (!refill (self, cancellable, error))
            return FALSE;
          if (self->buf_pos == self->buf_len)
            break;
        }

      p = self->buf + self->buf_pos;
      end = self->buf + self->buf_len;

      switch (state)
        {
        case FIELD_START:
          if (*p == '"')
            {
              state = QUOTED;
              quote_line = self->line;
              self->buf_pos++;
              self->prev_cr = FALSE;
              continue;
            }
          state = UNQUOTED;
          G_GNUC_FALLTHROUGH;

        case UNQUOTED:
          for (q = p; q < end && *q != ',' && *q != '\n' && *q != '\r'; q++)
            ;
          if (q > p)
            {
              append (self, p, q - p);
              self->prev_cr = FALSE;
            }
          self->buf_pos = q - self->buf;
          if (q == end)
            continue;
          if (*q == ',')
            {
              self->buf_pos++;
              self->prev_cr = FALSE;
              end_field (self);
              start_field (self);
              state = FIELD_START;
              continue;
            }
          take_newline (self);
          end_record (self);
          return TRUE;

        case QUOTED:
          for (q = p; q < end && *q != '"'; q++)
            {
              if (*q == '\n')
                {
                  if (!self->prev_cr)
                    self->line++;
                  self->prev_cr = FALSE;
                }
              else if (*q == '\r')
                {
                  self->line++;
                  self->prev_cr = TRUE;
                }
              else
                {
                  self->prev_cr = FALSE;
                }
            }
          if (q > p)
            append (self, p, q - p);
          self->buf_pos = q - self->buf;
          if (q < end)
            {
              self->buf_pos++;
              self->prev_cr = FALSE;
              state = QUOTED_QUOTE;
            }
          continue;

        case QUOTED_QUOTE:
          if (*p == '"')
            {
              append (self, p, 1);
              self->buf_pos++;
              state = QUOTED;
              continue;
            }
          if (*p == ',')
            {
              self->buf_pos++;
              end_field (self);
              start_field (self);
              state = FIELD_START;
              continue;
            }
          if (*p == '\n' || *p == '\r')
            {
              take_newline (self);
              end_record (self);
              return TRUE;
            }
          set_problem (self, g_strdup_printf (_("field %u has text after its closing quote: "
                                                "a quote inside a field must be doubled (\"\")"),
                                              self->n_fields));
          state = UNQUOTED;
          continue;

        default:
          g_assert_not_reached ();
        }
    }

  /* The end of the input ends the last record. */
  if (state == QUOTED)
    set_problem (self, g_strdup_printf (_("field %u: the quote opened on line %u is never "
                                          "closed"),
                                        self->n_fields, (guint) quote_line));
  end_record (self);
  return TRUE;
}

/**
 * ord_csv_reader_get_n_fields:
 * @self: a reader
 *
 * Returns: the number of fields of the current record
 */
guint
ord_csv_reader_get_n_fields (OrdCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_fields;
}

/**
 * ord_csv_reader_get_field:
 * @self: a reader
 * @index: a field of the current record, from 0
 *
 * Returns: (transfer none): the field's text, without its quotes; valid
 *   until the next ord_csv_reader_next()
 */
const char *
ord_csv_reader_get_field (OrdCsvReader *self,
                          guint         index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->n_fields, NULL);

  return self->data + self->starts[index];
}

/**
 * ord_csv_reader_get_field_length:
 * @self: a reader
 * @index: a field of the current record, from 0
 *
 * Returns: the length of the field in bytes
 */
gsize
ord_csv_reader_get_field_length (OrdCsvReader *self,
                                 guint         index)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (index < self->n_fields, 0);

  return self->starts[index + 1] - self->starts[index] - 1;
}

/**
 * ord_csv_reader_get_line:
 * @self: a reader
 *
 * Returns: the 1-based physical line on which the current record starts
 *   (a record with line breaks inside quotes spans several lines)
 */
guint64
ord_csv_reader_get_line (OrdCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->record_line;
}

/**
 * ord_csv_reader_get_problem:
 * @self: a reader
 *
 * Returns: (nullable): why the current record is malformed, or %NULL
 */
const char *
ord_csv_reader_get_problem (OrdCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->problem;
}

/**
 * ord_csv_reader_get_bytes_read:
 * @self: a reader
 *
 * Returns: the number of bytes read from the stream so far
 */
guint64
ord_csv_reader_get_bytes_read (OrdCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->bytes_read;
}

struct _OrdCsvWriter
{
  GOutputStream *stream;
  GString       *buf;
  guint          n_fields;      /* of the current record */
  gboolean       last_empty;
};

/**
 * ord_csv_writer_new:
 * @stream: where to write
 *
 * Creates a CSV writer: UTF-8, comma separated, CRLF line ends, fields
 * quoted only when they need to be (see ord_csv_append_field()).
 *
 * Returns: (transfer full): a new writer
 */
OrdCsvWriter *
ord_csv_writer_new (GOutputStream *stream)
{
  OrdCsvWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_new0 (OrdCsvWriter, 1);
  self->stream = g_object_ref (stream);
  self->buf = g_string_sized_new (WRITE_SIZE + 4096);

  return self;
}

/**
 * ord_csv_writer_free:
 * @self: (transfer full) (nullable): a writer
 *
 * Frees the writer without writing what is still buffered: call
 * ord_csv_writer_flush() first.
 */
void
ord_csv_writer_free (OrdCsvWriter *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->stream);
  g_string_free (self->buf, TRUE);
  g_free (self);
}

/**
 * ord_csv_append_field:
 * @out: a string
 * @text: (nullable): the field's value
 *
 * Appends @text as one CSV field. It is quoted when it holds a comma, a
 * quote or a line break, or starts or ends with a blank (which spreadsheets
 * would otherwise trim); quotes inside are doubled.
 */
void
ord_csv_append_field (GString    *out,
                      const char *text)
{
  gsize length;
  gboolean quote;

  g_return_if_fail (out != NULL);

  if (text == NULL || text[0] == '\0')
    return;

  length = strlen (text);
  quote = strpbrk (text, ",\"\r\n") != NULL ||
          text[0] == ' ' || text[0] == '\t' ||
          text[length - 1] == ' ' || text[length - 1] == '\t';

  if (!quote)
    {
      g_string_append_len (out, text, length);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * ord_csv_writer_add_field:
 * @self: a writer
 * @text: (nullable): the field's value; %NULL writes an empty field
 *
 * Appends a field to the current record.
 */
void
ord_csv_writer_add_field (OrdCsvWriter *self,
                          const char   *text)
{
  g_return_if_fail (self != NULL);

  if (self->n_fields > 0)
    g_string_append_c (self->buf, ',');
  ord_csv_append_field (self->buf, text);
  self->n_fields++;
  self->last_empty = (text == NULL || text[0] == '\0');
}

/**
 * ord_csv_writer_end_record:
 * @self: a writer
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Ends the current record with CRLF and writes the buffer to the stream
 * once it holds enough.
 *
 * Returns: %TRUE on success, %FALSE on a write error
 */
gboolean
ord_csv_writer_end_record (OrdCsvWriter  *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  /* A record of one empty field would be a blank line, which readers
   * skip: write it as "". */
  if (self->n_fields == 1 && self->last_empty)
    g_string_append (self->buf, "\"\"");

  g_string_append (self->buf, "\r\n");
  self->n_fields = 0;

  if (self->buf->len >= WRITE_SIZE)
    return ord_csv_writer_flush (self, cancellable, error);

  return TRUE;
}

/**
 * ord_csv_writer_flush:
 * @self: a writer
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes what is buffered to the stream (the stream itself is not
 * flushed).
 *
 * Returns: %TRUE on success, %FALSE on a write error
 */
gboolean
ord_csv_writer_flush (OrdCsvWriter  *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->buf->len == 0)
    return TRUE;

  if (!g_output_stream_write_all (self->stream, self->buf->str, self->buf->len, NULL,
                                  cancellable, error))
    return FALSE;

  g_string_truncate (self->buf, 0);
  return TRUE;
}

const char * const ord_csv_column_names[ORD_CSV_N_COLUMNS] = {
  [ORD_CSV_COL_ORDER_ID] = "order_id",
  [ORD_CSV_COL_NUMBER] = "number",
  [ORD_CSV_COL_PROVISIONAL_NUMBER] = "provisional_number",
  [ORD_CSV_COL_EXTERNAL_REF] = "external_ref",
  [ORD_CSV_COL_CREATED_AT] = "created_at",
  [ORD_CSV_COL_UPDATED_AT] = "updated_at",
  [ORD_CSV_COL_STATUS] = "status",
  [ORD_CSV_COL_CUSTOMER_ID] = "customer_id",
  [ORD_CSV_COL_CUSTOMER_NAME] = "customer_name",
  [ORD_CSV_COL_CUSTOMER_EMAIL] = "customer_email",
  [ORD_CSV_COL_CUSTOMER_PHONE] = "customer_phone",
  [ORD_CSV_COL_CUSTOMER_NOTES] = "customer_notes",
  [ORD_CSV_COL_CUSTOMER_EXTERNAL_REF] = "customer_external_ref",
  [ORD_CSV_COL_DUE_AT] = "due_at",
  [ORD_CSV_COL_CURRENCY] = "currency",
  [ORD_CSV_COL_TAX_RATE] = "tax_rate",
  [ORD_CSV_COL_ORDER_DISCOUNT] = "order_discount",
  [ORD_CSV_COL_NOTES] = "notes",
  [ORD_CSV_COL_ORDER_TOTAL] = "order_total",
  [ORD_CSV_COL_ITEM_ID] = "item_id",
  [ORD_CSV_COL_PRODUCT_ID] = "product_id",
  [ORD_CSV_COL_ITEM_SKU] = "item_sku",
  [ORD_CSV_COL_ITEM_NAME] = "item_name",
  [ORD_CSV_COL_UNIT_PRICE] = "unit_price",
  [ORD_CSV_COL_QUANTITY] = "quantity",
  [ORD_CSV_COL_LINE_DISCOUNT] = "line_discount",
};

#define USEC_PER_SECOND G_GINT64_CONSTANT (1000000)
#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era;
  gint64 yoe;
  gint64 doy;
  gint64 doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468;
}

static void
civil_from_days (gint64  z,
                 gint64 *year,
                 guint  *month,
                 guint  *day)
{
  gint64 era;
  gint64 doe;
  gint64 yoe;
  gint64 doy;
  gint64 mp;
  guint m;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *day = (guint) (doy - (153 * mp + 2) / 5 + 1);
  m = (guint) (mp < 10 ? mp + 3 : mp - 9);
  *month = m;
  *year = yoe + era * 400 + (m <= 2);
}

static guint
days_in_month (gint64 year,
               guint  month)
{
  static const guint8 days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
    return 29;

  return days[month - 1];
}

/* Exactly @n digits at *@p. */
static gboolean
take_digits (const char **p,
             guint        n,
             guint       *value)
{
  guint v = 0;

  for (guint i = 0; i < n; i++)
    {
      char c = (*p)[i];

      if (c < '0' || c > '9')
        return FALSE;
      v = v * 10 + (guint) (c - '0');
    }

  *p += n;
  *value = v;
  return TRUE;
}

/**
 * ord_csv_parse_time:
 * @text: a date and time in ISO 8601 form
 * @utc_without_zone: whether a time without a zone is taken as UTC
 * @usec: (out): microseconds since the epoch
 *
 * Parses the times of Orderly's CSV: `YYYY-MM-DD`, optionally followed by
 * `T` or a space and `HH:MM`, `HH:MM:SS` or `HH:MM:SS.ffffff` (1 to 6
 * decimals), and a zone: `Z` or an offset `±HH:MM`, `±HHMM`, `±HH`. A date
 * alone is midnight UTC. Blanks around the text are ignored.
 *
 * Returns: %ORD_CSV_TIME_OK, %ORD_CSV_TIME_INVALID, or
 *   %ORD_CSV_TIME_NO_ZONE for a time without a zone when
 *   @utc_without_zone is %FALSE
 */
OrdCsvTimeResult
ord_csv_parse_time (const char *text,
                    gboolean    utc_without_zone,
                    gint64     *usec)
{
  const char *p = text;
  guint year, month, day;
  guint hour = 0, minute = 0, second = 0;
  guint fraction = 0;
  gint64 offset_seconds = 0;
  gint64 seconds;
  gboolean has_time = FALSE;

  g_return_val_if_fail (text != NULL, ORD_CSV_TIME_INVALID);
  g_return_val_if_fail (usec != NULL, ORD_CSV_TIME_INVALID);

  while (*p == ' ' || *p == '\t')
    p++;

  if (!take_digits (&p, 4, &year) || *p++ != '-' ||
      !take_digits (&p, 2, &month) || *p++ != '-' ||
      !take_digits (&p, 2, &day))
    return ORD_CSV_TIME_INVALID;

  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month (year, month))
    return ORD_CSV_TIME_INVALID;

  if ((*p == 'T' || *p == 't' || *p == ' ') && g_ascii_isdigit (p[1]))
    {
      p++;
      has_time = TRUE;

      if (!take_digits (&p, 2, &hour) || *p++ != ':' || !take_digits (&p, 2, &minute))
        return ORD_CSV_TIME_INVALID;

      if (*p == ':')
        {
          p++;
          if (!take_digits (&p, 2, &second))
            return ORD_CSV_TIME_INVALID;

          if (*p == '.' || *p == ',')
            {
              guint n = 0;

              p++;
              while (g_ascii_isdigit (*p))
                {
                  if (++n > 6)
                    return ORD_CSV_TIME_INVALID;
                  fraction = fraction * 10 + (guint) (*p - '0');
                  p++;
                }
              if (n == 0)
                return ORD_CSV_TIME_INVALID;
              for (; n < 6; n++)
                fraction *= 10;
            }
        }

      if (hour > 23 || minute > 59 || second > 59)
        return ORD_CSV_TIME_INVALID;
    }

  if (*p == 'Z' || *p == 'z')
    {
      p++;
    }
  else if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1;
      guint oh, om = 0;

      p++;
      if (!take_digits (&p, 2, &oh))
        return ORD_CSV_TIME_INVALID;
      if (*p == ':')
        p++;
      if (g_ascii_isdigit (*p) && !take_digits (&p, 2, &om))
        return ORD_CSV_TIME_INVALID;
      if (oh > 23 || om > 59)
        return ORD_CSV_TIME_INVALID;
      offset_seconds = sign * (gint64) (oh * 3600 + om * 60);
    }
  else if (has_time && !utc_without_zone)
    {
      /* A date alone is midnight UTC; a time needs its zone. Checked
       * below, once the rest is known to be well-formed. */
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p != '\0')
        return ORD_CSV_TIME_INVALID;
      return ORD_CSV_TIME_NO_ZONE;
    }

  while (*p == ' ' || *p == '\t')
    p++;
  if (*p != '\0')
    return ORD_CSV_TIME_INVALID;

  seconds = days_from_civil (year, month, day) * SECONDS_PER_DAY +
            hour * 3600 + minute * 60 + second - offset_seconds;
  *usec = seconds * USEC_PER_SECOND + fraction;

  return ORD_CSV_TIME_OK;
}

/**
 * ord_csv_format_time:
 * @usec: microseconds since the epoch
 * @buf: (out caller-allocates): at least %ORD_CSV_TIME_SIZE bytes
 *
 * Writes @usec as ISO 8601 in UTC, "2024-03-05T14:03:11Z", with six
 * decimals of the second only when there are microseconds, so that
 * ord_csv_parse_time() gives back exactly @usec.
 */
void
ord_csv_format_time (gint64  usec,
                     char   *buf)
{
  gint64 seconds;
  gint64 micro;
  gint64 days;
  gint64 rest;
  gint64 year;
  guint month, day;

  g_return_if_fail (buf != NULL);

  /* Floor division: times before 1970 count back from the day's start. */
  seconds = usec / USEC_PER_SECOND;
  micro = usec % USEC_PER_SECOND;
  if (micro < 0)
    {
      micro += USEC_PER_SECOND;
      seconds--;
    }
  days = seconds / SECONDS_PER_DAY;
  rest = seconds % SECONDS_PER_DAY;
  if (rest < 0)
    {
      rest += SECONDS_PER_DAY;
      days--;
    }
  civil_from_days (days, &year, &month, &day);

  if (micro != 0)
    g_snprintf (buf, ORD_CSV_TIME_SIZE,
                "%04" G_GINT64_FORMAT "-%02u-%02uT%02u:%02u:%02u.%06uZ",
                year, month, day, (guint) (rest / 3600), (guint) (rest / 60 % 60),
                (guint) (rest % 60), (guint) micro);
  else
    g_snprintf (buf, ORD_CSV_TIME_SIZE,
                "%04" G_GINT64_FORMAT "-%02u-%02uT%02u:%02u:%02uZ",
                year, month, day, (guint) (rest / 3600), (guint) (rest / 60 % 60),
                (guint) (rest % 60));
}
