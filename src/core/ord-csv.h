/* ord-csv.h: a streaming RFC 4180 CSV reader and writer
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A record longer than this is reported as a problem and truncated, so
 * that a stray quote cannot make the reader hold a whole file. */
#define ORD_CSV_MAX_RECORD_BYTES (16 * 1024 * 1024)

typedef struct _OrdCsvReader OrdCsvReader;

OrdCsvReader *ord_csv_reader_new              (GInputStream  *stream);
void          ord_csv_reader_free             (OrdCsvReader  *self);

/* Reads the next record. FALSE at the end of the input (error unset) or on
 * an I/O error. A malformed record is still returned, with a problem. */
gboolean      ord_csv_reader_next             (OrdCsvReader  *self,
                                               GCancellable  *cancellable,
                                               GError       **error);
guint         ord_csv_reader_get_n_fields     (OrdCsvReader  *self);
/* NUL-terminated, valid until the next call of ord_csv_reader_next(). */
const char   *ord_csv_reader_get_field        (OrdCsvReader  *self,
                                               guint          index);
gsize         ord_csv_reader_get_field_length (OrdCsvReader  *self,
                                               guint          index);
/* 1-based physical line of the file on which the record starts. */
guint64       ord_csv_reader_get_line         (OrdCsvReader  *self);
/* NULL, or why the record is malformed ("a quoted field is never closed"). */
const char   *ord_csv_reader_get_problem      (OrdCsvReader  *self);
/* Bytes taken from the stream so far (for progress). */
guint64       ord_csv_reader_get_bytes_read   (OrdCsvReader  *self);

typedef struct _OrdCsvWriter OrdCsvWriter;

OrdCsvWriter *ord_csv_writer_new              (GOutputStream *stream);
void          ord_csv_writer_free             (OrdCsvWriter  *self);
/* Appends a field to the current record, quoted when it needs to be;
 * NULL is written as an empty field. */
void          ord_csv_writer_add_field        (OrdCsvWriter  *self,
                                               const char    *text);
/* Ends the record with CRLF; writes to the stream once enough is buffered. */
gboolean      ord_csv_writer_end_record       (OrdCsvWriter  *self,
                                               GCancellable  *cancellable,
                                               GError       **error);
gboolean      ord_csv_writer_flush            (OrdCsvWriter  *self,
                                               GCancellable  *cancellable,
                                               GError       **error);
/* Appends @text to @out as one CSV field, quoted when it needs to be. */
void          ord_csv_append_field            (GString       *out,
                                               const char    *text);

/* Orderly's own CSV format (doc/csv-format.md): one line per order item,
 * columns named by the header line, in any order. */
typedef enum
{
  ORD_CSV_COL_ORDER_ID,
  ORD_CSV_COL_NUMBER,
  ORD_CSV_COL_PROVISIONAL_NUMBER,
  ORD_CSV_COL_EXTERNAL_REF,
  ORD_CSV_COL_CREATED_AT,
  ORD_CSV_COL_UPDATED_AT,
  ORD_CSV_COL_STATUS,
  ORD_CSV_COL_CUSTOMER_ID,
  ORD_CSV_COL_CUSTOMER_NAME,
  ORD_CSV_COL_CUSTOMER_EMAIL,
  ORD_CSV_COL_CUSTOMER_PHONE,
  ORD_CSV_COL_CUSTOMER_NOTES,
  ORD_CSV_COL_CUSTOMER_EXTERNAL_REF,
  ORD_CSV_COL_DUE_AT,
  ORD_CSV_COL_CURRENCY,
  ORD_CSV_COL_TAX_RATE,
  ORD_CSV_COL_ORDER_DISCOUNT,
  ORD_CSV_COL_NOTES,
  ORD_CSV_COL_ORDER_TOTAL,
  /* The columns of the order item; those above belong to the order. */
  ORD_CSV_COL_ITEM_ID,
  ORD_CSV_COL_PRODUCT_ID,
  ORD_CSV_COL_ITEM_SKU,
  ORD_CSV_COL_ITEM_NAME,
  ORD_CSV_COL_UNIT_PRICE,
  ORD_CSV_COL_QUANTITY,
  ORD_CSV_COL_LINE_DISCOUNT,
} OrdCsvColumn;

#define ORD_CSV_N_COLUMNS (ORD_CSV_COL_LINE_DISCOUNT + 1)
#define ORD_CSV_FIRST_ITEM_COLUMN ORD_CSV_COL_ITEM_ID

/* The header names, indexed by OrdCsvColumn. */
extern const char * const ord_csv_column_names[ORD_CSV_N_COLUMNS];

typedef enum
{
  ORD_CSV_TIME_OK,
  ORD_CSV_TIME_INVALID,
  ORD_CSV_TIME_NO_ZONE,      /* a valid time, but no Z or offset */
} OrdCsvTimeResult;

/* "2024-03-05T14:03:11Z", "2024-03-05 14:03:11.25+01:00", "2024-03-05"
 * (midnight UTC); without a zone: UTC when @utc_without_zone, else
 * ORD_CSV_TIME_NO_ZONE. */
OrdCsvTimeResult ord_csv_parse_time           (const char    *text,
                                               gboolean       utc_without_zone,
                                               gint64        *usec);
/* ISO 8601 in UTC: "2024-03-05T14:03:11Z", with ".ffffff" only when the
 * time has microseconds. @buf holds at least ORD_CSV_TIME_SIZE bytes. */
#define ORD_CSV_TIME_SIZE 40
void          ord_csv_format_time             (gint64         usec,
                                               char          *buf);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdCsvReader, ord_csv_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdCsvWriter, ord_csv_writer_free)

G_END_DECLS
