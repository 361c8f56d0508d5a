/* ord-import.h: CSV import and export of orders
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ord-store.h"

G_BEGIN_DECLS

#define ORD_IMPORT_ERROR (ord_import_error_quark ())

typedef enum
{
  ORD_IMPORT_ERROR_FORMAT,     /* not a file of the format asked for */
  ORD_IMPORT_ERROR_IO,
} OrdImportError;

typedef enum
{
  ORD_IMPORT_FORMAT_AUTO,           /* from the header line */
  ORD_IMPORT_FORMAT_ORDERLY,        /* Orderly's own CSV (doc/csv-format.md) */
  ORD_IMPORT_FORMAT_ONLINE_RETAIL,  /* the UCI Online Retail file */
} OrdImportFormat;

/* Orders written per transaction. */
#define ORD_IMPORT_BATCH_ORDERS 2000

typedef struct
{
  char  *file;     /* as the user named it */
  guint  line;     /* 1-based physical line where the row starts */
  char  *reason;   /* "quantity “-3” must be positive" */
} OrdImportProblem;

typedef struct
{
  guint64    lines_read;          /* data rows, not counting the header */
  guint      orders_imported;
  guint      orders_skipped;      /* already in the database: not imported twice */
  guint      orders_rejected;     /* a bad row rejects its whole order */
  guint      customers_created;
  guint      products_created;
  GPtrArray *problems;            /* OrdImportProblem, in file order */
} OrdImportReport;

GQuark           ord_import_error_quark  (void);
gboolean         ord_import_format_from_string (const char      *text,
                                                OrdImportFormat *format);
const char      *ord_import_format_to_string   (OrdImportFormat  format);

/* gzip-compressed files (".gz" or by magic) are read directly.
 * Commits whole orders in batches: a kill leaves only whole orders.
 * Cancelled (G_IO_ERROR_CANCELLED) between batches: what was committed
 * stays, and importing the file again adds only the rest.
 * The file is read (and inflated) on threads of its own while the calling
 * thread writes the batches; only the calling thread uses @store, and
 * @progress is called on it. */
OrdImportReport *ord_import_file         (OrdStore         *store,
                                          GFile            *file,
                                          OrdImportFormat   format,
                                          OrdProgressFunc   progress,
                                          gpointer          progress_data,
                                          GCancellable     *cancellable,
                                          GError          **error);
void             ord_import_report_free  (OrdImportReport  *report);
/* "orders.csv:12: quantity “-3” must be positive" lines, for showing and
 * copying. */
char            *ord_import_report_format_problems (const OrdImportReport *report);

/* Writes the orders @query selects (NULL = all, oldest first) in Orderly's
 * CSV format, one line per item; ord_import_file() reads it back to the
 * same orders. Streams: one page of orders in memory at a time. */
gboolean         ord_export_orders       (OrdStore            *store,
                                          const OrdOrderQuery *query,
                                          GOutputStream       *out,
                                          OrdProgressFunc      progress,
                                          gpointer             progress_data,
                                          GCancellable        *cancellable,
                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdImportReport, ord_import_report_free)

G_END_DECLS
