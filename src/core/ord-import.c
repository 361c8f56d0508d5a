/* ord-import.c: import of orders from CSV: Orderly's own format and the UCI
 * Online Retail file
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-import"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ord-csv.h"
#include "ord-import.h"
#include "ord-store-private.h"
#include "ord-uuid.h"

G_DEFINE_QUARK (ord-import-error-quark, ord_import_error)

#define RETAIL_REF_PREFIX "online-retail:"
#define RETAIL_CURRENCY "GBP"
#define RETAIL_N_COLUMNS 8

/* How often (in records) the position in the file is looked at. */
#define PROGRESS_EVERY 8192

/* ------------------------------------------------------------------ */
/* Formats and the report                                              */

static const struct
{
  const char      *name;
  OrdImportFormat  format;
} format_names[] = {
  { "auto", ORD_IMPORT_FORMAT_AUTO },
  { "orderly", ORD_IMPORT_FORMAT_ORDERLY },
  { "online-retail", ORD_IMPORT_FORMAT_ONLINE_RETAIL },
};

/**
 * ord_import_format_from_string:
 * @text: "auto", "orderly" or "online-retail"
 * @format: (out) (optional): the format
 *
 * Returns: %TRUE if @text names a format
 */
gboolean
ord_import_format_from_string (const char      *text,
                               OrdImportFormat *format)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (text, format_names[i].name) == 0)
      {
        if (format != NULL)
          *format = format_names[i].format;
        return TRUE;
      }

  return FALSE;
}

/**
 * ord_import_format_to_string:
 * @format: a format
 *
 * Returns: the format's name as ord_import_format_from_string() reads it
 */
const char *
ord_import_format_to_string (OrdImportFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (format_names[i].format == format)
      return format_names[i].name;

  g_return_val_if_reached (NULL);
}

static void
problem_free (gpointer data)
{
  OrdImportProblem *problem = data;

  g_free (problem->file);
  g_free (problem->reason);
  g_free (problem);
}

/**
 * ord_import_report_free:
 * @report: (transfer full) (nullable): a report
 */
void
ord_import_report_free (OrdImportReport *report)
{
  if (report == NULL)
    return;

  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_free (report);
}

/**
 * ord_import_report_format_problems:
 * @report: a report
 *
 * Returns: (transfer full): one line per problem, "file:line: reason",
 *   in file order; "" when there were none
 */
char *
ord_import_report_format_problems (const OrdImportReport *report)
{
  GString *out;

  g_return_val_if_fail (report != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < report->problems->len; i++)
    {
      const OrdImportProblem *problem = g_ptr_array_index (report->problems, i);

      g_string_append_printf (out, "%s:%u: %s\n", problem->file, problem->line, problem->reason);
    }

  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */
/* What is written: orders, with how to find or make their customer    */
/* and products                                                        */

typedef struct
{
  char *id;             /* find by id, or create with it */
  char *external_ref;   /* else find by it, or create with it */
  char *name;           /* else find by name and email; the name of a new one */
  char *email;
  char *phone;
  char *notes;
} CustomerSpec;

static void
customer_spec_clear (gpointer data)
{
  CustomerSpec *spec = data;

  g_free (spec->id);
  g_free (spec->external_ref);
  g_free (spec->name);
  g_free (spec->email);
  g_free (spec->phone);
  g_free (spec->notes);
}

static void
customer_spec_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, customer_spec_clear);
}

typedef struct
{
  char   *sku;          /* find by it, or create: */
  char   *id;           /* with this id (NULL: a new one) */
  char   *name;
  gint64  unit_price;
  char    currency[4];
  char   *resolved_id;  /* the product in the database, once known */
} ProductSpec;

static void
product_spec_clear (gpointer data)
{
  ProductSpec *spec = data;

  g_free (spec->sku);
  g_free (spec->id);
  g_free (spec->name);
  g_free (spec->resolved_id);
}

static void
product_spec_unref (gpointer data)
{
  if (data != NULL)
    g_atomic_rc_box_release_full (data, product_spec_clear);
}

/* An order ready to be written: plain data for the store's bulk write,
 * built off the writing thread; the customer and the products are found
 * or created when the batch is written. */
typedef struct
{
  guint64        line;       /* where the order starts, for problems */
  CustomerSpec  *customer;
  GPtrArray     *products;   /* ProductSpec or NULL, one per item */
  OrdBulkOrder   bulk;       /* pointing into the fields below, or into order */
  OrdBulkItem   *items;
  OrdBulkEvent  *events;     /* NULL: the store's default timeline */
  char          *ids;        /* the order's and its items' UUIDs, 37 bytes each */
  char          *external_ref;
  char          *search_items;
  OrdOrder      *order;      /* Orderly's format: what bulk points into */
  gboolean       id_from_file; /* else bulk.id is new: not what says "this order" */
} PreparedOrder;

static void
prepared_order_free (gpointer data)
{
  PreparedOrder *prepared = data;

  g_clear_pointer (&prepared->customer, customer_spec_unref);
  g_clear_pointer (&prepared->products, g_ptr_array_unref);
  g_free (prepared->items);
  g_free (prepared->events);
  g_free (prepared->ids);
  g_free (prepared->external_ref);
  g_free (prepared->search_items);
  g_clear_object (&prepared->order);
  g_free (prepared);
}

/* A new UUID into @buf (37 bytes). */
static const char *
uuid_into (char *buf)
{
  g_autofree char *id = ord_uuid_new ();

  memcpy (buf, id, 37);
  return buf;
}

typedef struct
{
  char *id;
  char *name;   /* as the customers table has it: the orders carry it */
} ResolvedCustomer;

static void
resolved_customer_free (gpointer data)
{
  ResolvedCustomer *resolved = data;

  g_free (resolved->id);
  g_free (resolved->name);
  g_free (resolved);
}

/* ------------------------------------------------------------------ */
/* The importer                                                        */

typedef struct
{
  guint64  line;
  guint    seq;
  char    *reason;
} Problem;

/* What writes the batches, on the thread that called ord_import_file():
 * the only one that uses the store. */
typedef struct
{
  OrdStore         *store;
  const char       *file_name;
  GCancellable     *cancellable;
  GHashTable       *customer_ids;     /* lookup key → ResolvedCustomer */
  GHashTable       *product_ids;      /* sku → id of a product in the database */

  GPtrArray        *batch;            /* PreparedOrder, the one being written */
  guint             batch_imported;
  guint             batch_skipped;
  guint             batch_rejected;
  guint             batch_customers;
  guint             batch_products;
  GArray           *batch_problems;   /* Problem, kept once the batch commits */
  gboolean          bulk_failed;      /* the bulk write failed: redo the batch */

  GArray           *problems;         /* Problem */
  guint             problem_seq;      /* after the reader's at the same line */
  guint             orders_imported;
  guint             orders_skipped;
  guint             orders_rejected;
  guint             customers_created;
  guint             products_created;
} Writer;

/* Batches go from the thread that reads and prepares them to the writer
 * through a short queue, so that reading the file and writing the
 * database take a core each. */
#define PIPELINE_MAX_QUEUED 2

typedef struct
{
  GMutex    mutex;
  GCond     cond;
  GQueue    queue;                    /* GPtrArray of PreparedOrder */
  gboolean  producer_done;
  gboolean  writer_stopped;
  gboolean  writer_done;
  double    fraction;                 /* the reader's progress, for the writer to tell */
  /* Used by the reader's thread while it waits for the writer: the
   * database file catches up with the write-ahead log meanwhile. */
  OrdStoreCheckpointer *checkpointer;
} Pipeline;

typedef struct
{
  OrdStore         *store;
  GFile            *file;
  char             *file_name;
  OrdImportReport  *report;
  GArray           *problems;         /* Problem */
  guint             problem_seq;

  OrdProgressFunc   progress;
  gpointer          progress_data;
  double            last_progress;
  double            phase_start;      /* the share of the work before this pass */
  double            phase_size;
  GCancellable     *cancellable;
  guint64           file_size;
  GFileInputStream *base;             /* the file itself, for the position */

  GPtrArray        *batch;            /* PreparedOrder, being filled */
  Writer            writer;
  Pipeline         *pipe;             /* while the reader runs on its own thread */
  GThread          *caller;
} Importer;

static void
problem_clear (gpointer data)
{
  Problem *problem = data;

  g_free (problem->reason);
}

static void
importer_init (Importer     *imp,
               OrdStore     *store,
               GFile        *file,
               GCancellable *cancellable)
{
  Writer *w = &imp->writer;

  memset (imp, 0, sizeof *imp);
  imp->store = store;
  imp->file = file;
  imp->file_name = g_file_get_parse_name (file);
  imp->cancellable = cancellable;
  imp->report = g_new0 (OrdImportReport, 1);
  imp->report->problems = g_ptr_array_new_with_free_func (problem_free);
  imp->problems = g_array_new (FALSE, FALSE, sizeof (Problem));
  g_array_set_clear_func (imp->problems, problem_clear);
  imp->batch = g_ptr_array_new_with_free_func (prepared_order_free);
  imp->phase_size = 1.0;
  imp->caller = g_thread_self ();

  w->store = store;
  w->file_name = imp->file_name;
  w->cancellable = cancellable;
  w->customer_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           resolved_customer_free);
  w->product_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  w->batch_problems = g_array_new (FALSE, FALSE, sizeof (Problem));
  g_array_set_clear_func (w->batch_problems, problem_clear);
  w->problems = g_array_new (FALSE, FALSE, sizeof (Problem));
  g_array_set_clear_func (w->problems, problem_clear);
  w->problem_seq = G_MAXUINT / 2;
}

static void
importer_clear (Importer *imp)
{
  Writer *w = &imp->writer;

  g_clear_pointer (&imp->file_name, g_free);
  g_clear_pointer (&imp->report, ord_import_report_free);
  g_clear_pointer (&imp->problems, g_array_unref);
  g_clear_pointer (&imp->batch, g_ptr_array_unref);
  g_clear_object (&imp->base);
  g_clear_pointer (&w->customer_ids, g_hash_table_unref);
  g_clear_pointer (&w->product_ids, g_hash_table_unref);
  g_clear_pointer (&w->batch_problems, g_array_unref);
  g_clear_pointer (&w->problems, g_array_unref);
}

/* Takes @reason. */
static void
add_problem_to (guint    *seq,
                GArray   *problems,
                guint64   line,
                char     *reason)
{
  Problem problem = { line, (*seq)++, reason };

  g_array_append_val (problems, problem);
}

static void
add_problem (Importer *imp,
             guint64   line,
             char     *reason)
{
  add_problem_to (&imp->problem_seq, imp->problems, line, reason);
}

static int
problem_compare (gconstpointer a,
                 gconstpointer b)
{
  const Problem *pa = a;
  const Problem *pb = b;

  if (pa->line != pb->line)
    return pa->line < pb->line ? -1 : 1;
  return pa->seq < pb->seq ? -1 : pa->seq > pb->seq;
}

/* Moves the problems into the report, in file order. */
static OrdImportReport *
importer_steal_report (Importer *imp)
{
  OrdImportReport *report = g_steal_pointer (&imp->report);
  Writer *w = &imp->writer;

  report->orders_imported += w->orders_imported;
  report->orders_skipped += w->orders_skipped;
  report->orders_rejected += w->orders_rejected;
  report->customers_created += w->customers_created;
  report->products_created += w->products_created;
  for (guint i = 0; i < w->problems->len; i++)
    {
      Problem *problem = &g_array_index (w->problems, Problem, i);

      add_problem_to (&problem->seq, imp->problems, problem->line,
                      g_steal_pointer (&problem->reason));
    }
  g_array_set_size (w->problems, 0);

  if (imp->problems->len > 1)
    qsort (imp->problems->data, imp->problems->len, sizeof (Problem), problem_compare);
  for (guint i = 0; i < imp->problems->len; i++)
    {
      Problem *problem = &g_array_index (imp->problems, Problem, i);
      OrdImportProblem *out = g_new0 (OrdImportProblem, 1);

      out->file = g_strdup (imp->file_name);
      out->line = (guint) MIN (problem->line, G_MAXUINT);
      out->reason = g_steal_pointer (&problem->reason);
      g_ptr_array_add (report->problems, out);
    }
  g_array_set_size (imp->problems, 0);

  return report;
}

static void
report_progress (Importer *imp,
                 double    fraction)
{
  if (imp->progress == NULL)
    return;

  fraction = CLAMP (imp->phase_start + fraction * imp->phase_size, 0.0, 1.0);
  if (imp->pipe != NULL && g_thread_self () != imp->caller)
    {
      /* The reader's thread: the writer tells it after its next batch. */
      g_mutex_lock (&imp->pipe->mutex);
      imp->pipe->fraction = fraction;
      g_mutex_unlock (&imp->pipe->mutex);
      return;
    }
  if (fraction < 1.0 && fraction - imp->last_progress < 0.002)
    return;

  imp->last_progress = fraction;
  imp->progress (fraction, imp->progress_data);
}

/* How far the current pass is through the file, 0 to 1. */
static double
read_fraction (Importer *imp)
{
  if (imp->base == NULL || imp->file_size == 0)
    return 0.0;

  return (double) g_seekable_tell (G_SEEKABLE (imp->base)) / (double) imp->file_size;
}

/* ------------------------------------------------------------------ */
/* Inflating on a thread of its own                                    */

/* The decompressed bytes of a stream, read ahead on a thread of its own:
 * inflating is a third of reading the file, and the reader need not wait
 * for it. */
#define INFLATE_CHUNK (256 * 1024)
#define INFLATE_MAX_QUEUED 8

#define ORD_TYPE_READ_AHEAD_STREAM (ord_read_ahead_stream_get_type ())
G_DECLARE_FINAL_TYPE (OrdReadAheadStream, ord_read_ahead_stream, ORD, READ_AHEAD_STREAM,
                      GInputStream)

struct _OrdReadAheadStream
{
  GInputStream  parent_instance;

  GInputStream *source;
  GThread      *thread;
  GMutex        mutex;
  GCond         cond;
  GQueue        chunks;         /* GBytes; an empty one at the end */
  GError       *error;          /* the source's, after the chunks before it */
  gboolean      stop;

  GBytes       *current;        /* being read */
  gsize         pos;
  gboolean      eof;
};

G_DEFINE_FINAL_TYPE (OrdReadAheadStream, ord_read_ahead_stream, G_TYPE_INPUT_STREAM)

static gpointer
read_ahead_thread (gpointer data)
{
  OrdReadAheadStream *self = data;

  for (;;)
    {
      guint8 *buf = g_malloc (INFLATE_CHUNK);
      GError *error = NULL;
      gsize n = 0;
      gboolean ok;

      ok = g_input_stream_read_all (self->source, buf, INFLATE_CHUNK, &n, NULL, &error);

      g_mutex_lock (&self->mutex);
      while (self->chunks.length >= INFLATE_MAX_QUEUED && !self->stop)
        g_cond_wait (&self->cond, &self->mutex);
      if (self->stop)
        {
          g_mutex_unlock (&self->mutex);
          g_free (buf);
          g_clear_error (&error);
          return NULL;
        }
      if (ok)
        g_queue_push_tail (&self->chunks, g_bytes_new_take (buf, n));
      else
        {
          g_free (buf);
          self->error = error;
        }
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);

      if (!ok || n == 0)
        return NULL;
    }
}

static gssize
read_ahead_read (GInputStream  *stream,
                 void          *buffer,
                 gsize          count,
                 GCancellable  *cancellable,
                 GError       **error)
{
  OrdReadAheadStream *self = ORD_READ_AHEAD_STREAM (stream);
  gsize size = 0;
  const guint8 *data;

  if (self->eof)
    return 0;

  if (self->current == NULL)
    {
      g_mutex_lock (&self->mutex);
      while (self->chunks.length == 0 && self->error == NULL)
        g_cond_wait (&self->cond, &self->mutex);
      self->current = g_queue_pop_head (&self->chunks);
      if (self->current == NULL)
        {
          /* Told once; the source is not read again. */
          g_propagate_error (error, g_steal_pointer (&self->error));
          self->eof = TRUE;
          g_mutex_unlock (&self->mutex);
          return -1;
        }
      self->pos = 0;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
    }

  data = g_bytes_get_data (self->current, &size);
  if (size == 0)
    {
      self->eof = TRUE;
      g_clear_pointer (&self->current, g_bytes_unref);
      return 0;
    }

  count = MIN (count, size - self->pos);
  memcpy (buffer, data + self->pos, count);
  self->pos += count;
  if (self->pos == size)
    g_clear_pointer (&self->current, g_bytes_unref);

  return (gssize) count;
}

/* Stops the thread and waits for it. */
static void
read_ahead_stop (OrdReadAheadStream *self)
{
  if (self->thread == NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->stop = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  g_clear_pointer (&self->thread, g_thread_join);

  g_queue_clear_full (&self->chunks, (GDestroyNotify) g_bytes_unref);
  g_clear_pointer (&self->current, g_bytes_unref);
  g_clear_error (&self->error);
}

static gboolean
read_ahead_close (GInputStream  *stream,
                  GCancellable  *cancellable,
                  GError       **error)
{
  OrdReadAheadStream *self = ORD_READ_AHEAD_STREAM (stream);

  read_ahead_stop (self);
  return g_input_stream_close (self->source, cancellable, error);
}

static void
ord_read_ahead_stream_finalize (GObject *object)
{
  OrdReadAheadStream *self = ORD_READ_AHEAD_STREAM (object);

  read_ahead_stop (self);
  g_clear_object (&self->source);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (ord_read_ahead_stream_parent_class)->finalize (object);
}

static void
ord_read_ahead_stream_class_init (OrdReadAheadStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = ord_read_ahead_stream_finalize;
  stream_class->read_fn = read_ahead_read;
  stream_class->close_fn = read_ahead_close;
}

static void
ord_read_ahead_stream_init (OrdReadAheadStream *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->chunks);
}

/* Takes a reference on @source; reads it from now on. */
static GInputStream *
read_ahead_stream_new (GInputStream *source)
{
  OrdReadAheadStream *self = g_object_new (ORD_TYPE_READ_AHEAD_STREAM, NULL);

  self->source = g_object_ref (source);
  self->thread = g_thread_new ("ord-import-inflate", read_ahead_thread, self);

  return G_INPUT_STREAM (self);
}

/* Opens the file, through a gzip decompressor when it starts with gzip's
 * magic bytes (whatever its name). */
static GInputStream *
open_input (Importer  *imp,
            GError   **error)
{
  g_autoptr(GFileInputStream) base = NULL;
  g_autoptr(GInputStream) buffered = NULL;
  g_autoptr(GFileInfo) info = NULL;
  const guint8 *peek;
  gsize n = 0;

  base = g_file_read (imp->file, imp->cancellable, error);
  if (base == NULL)
    {
      g_prefix_error (error, _("Could not open “%s”: "), imp->file_name);
      return NULL;
    }

  info = g_file_input_stream_query_info (base, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                         imp->cancellable, NULL);
  imp->file_size = info != NULL ? (guint64) g_file_info_get_size (info) : 0;

  buffered = g_buffered_input_stream_new_sized (G_INPUT_STREAM (base), 64 * 1024);
  if (g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (buffered), 2,
                                    imp->cancellable, error) < 0)
    {
      g_prefix_error (error, _("Could not read “%s”: "), imp->file_name);
      return NULL;
    }

  g_set_object (&imp->base, base);

  peek = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (buffered), &n);
  if (n >= 2 && peek[0] == 0x1f && peek[1] == 0x8b)
    {
      g_autoptr(GZlibDecompressor) decompressor =
        g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
      g_autoptr(GInputStream) plain =
        g_converter_input_stream_new (buffered, G_CONVERTER (decompressor));

      return read_ahead_stream_new (plain);
    }

  return g_steal_pointer (&buffered);
}

/* Reads the next record; FALSE at the end or on an error (set). */
static gboolean
next_record (Importer      *imp,
             OrdCsvReader  *reader,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (ord_csv_reader_next (reader, imp->cancellable, &local_error))
    return TRUE;

  if (local_error != NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                    _("Could not read “%s”: "), imp->file_name);
    }

  return FALSE;
}

static gboolean
read_header (Importer      *imp,
             OrdCsvReader  *reader,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!next_record (imp, reader, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, ORD_IMPORT_ERROR, ORD_IMPORT_ERROR_FORMAT,
                     _("“%s” is empty: it has no header line naming the columns"),
                     imp->file_name);
      return FALSE;
    }

  if (ord_csv_reader_get_problem (reader) != NULL)
    {
      g_set_error (error, ORD_IMPORT_ERROR, ORD_IMPORT_ERROR_FORMAT,
                   _("%s:%u: the header line is malformed: %s"),
                   imp->file_name, (guint) ord_csv_reader_get_line (reader),
                   ord_csv_reader_get_problem (reader));
      return FALSE;
    }

  return TRUE;
}

/* A header field, without blanks around it. */
static char *
header_name (OrdCsvReader *reader,
             guint         index)
{
  return g_strstrip (g_strdup (ord_csv_reader_get_field (reader, index)));
}

static int
header_find (OrdCsvReader *reader,
             const char   *name)
{
  for (guint i = 0; i < ord_csv_reader_get_n_fields (reader); i++)
    {
      g_autofree char *field = header_name (reader, i);

      if (g_ascii_strcasecmp (field, name) == 0)
        return (int) i;
    }

  return -1;
}

static gboolean
detect_format (Importer         *imp,
               OrdCsvReader     *reader,
               OrdImportFormat  *format,
               GError          **error)
{
  if (header_find (reader, "InvoiceNo") >= 0 && header_find (reader, "StockCode") >= 0)
    {
      *format = ORD_IMPORT_FORMAT_ONLINE_RETAIL;
      return TRUE;
    }

  if (header_find (reader, ord_csv_column_names[ORD_CSV_COL_ORDER_ID]) >= 0 ||
      header_find (reader, ord_csv_column_names[ORD_CSV_COL_ITEM_NAME]) >= 0 ||
      header_find (reader, ord_csv_column_names[ORD_CSV_COL_QUANTITY]) >= 0)
    {
      *format = ORD_IMPORT_FORMAT_ORDERLY;
      return TRUE;
    }

  g_set_error (error, ORD_IMPORT_ERROR, ORD_IMPORT_ERROR_FORMAT,
               _("“%s” is not a file of orders Orderly knows: its first line should name "
                 "columns such as order_id, item_name, unit_price and quantity (Orderly’s "
                 "CSV) or InvoiceNo, StockCode and Quantity (the Online Retail file)"),
               imp->file_name);
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Writing batches                                                     */

/* Errors that are about one order, not the database. */
static gboolean
error_is_about_order (const GError *error)
{
  if (error->domain == ORD_STORE_ERROR)
    return error->code == ORD_STORE_ERROR_INVALID ||
           error->code == ORD_STORE_ERROR_NOT_FOUND ||
           error->code == ORD_STORE_ERROR_CONFLICT;

  return error->domain == ORD_STATUS_ERROR || error->domain == ORD_MONEY_ERROR;
}

static gboolean
ignore_not_found (GError **local_error,
                  GError **error)
{
  if (*local_error == NULL ||
      g_error_matches (*local_error, ORD_STORE_ERROR, ORD_STORE_ERROR_NOT_FOUND))
    {
      g_clear_error (local_error);
      return TRUE;
    }

  g_propagate_error (error, g_steal_pointer (local_error));
  return FALSE;
}

static char *
customer_key (const CustomerSpec *spec)
{
  if (spec->id != NULL)
    return g_strconcat ("id\x1f", spec->id, NULL);
  if (spec->external_ref != NULL)
    return g_strconcat ("ref\x1f", spec->external_ref, NULL);

  return g_strconcat ("name\x1f", spec->name, "\x1f", spec->email ? spec->email : "", NULL);
}

/* The customer @spec names, created when it does not exist. */
static const ResolvedCustomer *
resolve_customer (Writer        *w,
                  CustomerSpec  *spec,
                  GError       **error)
{
  g_autofree char *key = customer_key (spec);
  g_autoptr(OrdCustomer) customer = NULL;
  g_autoptr(GError) local_error = NULL;
  ResolvedCustomer *resolved;

  resolved = g_hash_table_lookup (w->customer_ids, key);
  if (resolved != NULL)
    return resolved;

  if (spec->id != NULL)
    {
      customer = ord_store_get_customer (w->store, spec->id, &local_error);
    }
  else if (spec->external_ref != NULL)
    {
      customer = ord_store_get_customer_by_external_ref (w->store, spec->external_ref,
                                                         &local_error);
    }
  else
    {
      /* The same name and e-mail address: the same customer. */
      g_autoptr(GPtrArray) found = ord_store_find_customers (w->store, spec->name, 0,
                                                             &local_error);

      for (guint i = 0; found != NULL && i < found->len && customer == NULL; i++)
        {
          OrdCustomer *candidate = g_ptr_array_index (found, i);
          const char *email = ord_customer_get_email (candidate);

          if (g_strcmp0 (ord_customer_get_name (candidate), spec->name) == 0 &&
              g_ascii_strcasecmp (email ? email : "", spec->email ? spec->email : "") == 0)
            customer = g_object_ref (candidate);
        }
    }
  if (!ignore_not_found (&local_error, error))
    return NULL;

  if (customer == NULL)
    {
      if (spec->name == NULL)
        {
          g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                       _("customer “%s” is not in the database and customer_name is empty"),
                       spec->id ? spec->id : spec->external_ref);
          return NULL;
        }

      customer = ord_customer_new ();
      ord_customer_set_id (customer, spec->id);
      ord_customer_set_external_ref (customer, spec->external_ref);
      ord_customer_set_name (customer, spec->name);
      ord_customer_set_email (customer, spec->email);
      ord_customer_set_phone (customer, spec->phone);
      ord_customer_set_notes (customer, spec->notes);
      if (!ord_store_save_customer (w->store, customer, error))
        return NULL;
      w->batch_customers++;
    }

  resolved = g_new0 (ResolvedCustomer, 1);
  resolved->id = g_strdup (ord_customer_get_id (customer));
  resolved->name = g_strdup (ord_customer_get_name (customer));
  g_hash_table_insert (w->customer_ids, g_steal_pointer (&key), resolved);

  return resolved;
}

static const char *
resolve_product (Writer       *w,
                 ProductSpec  *spec,
                 GError      **error)
{
  g_autoptr(OrdProduct) product = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *id;

  /* A failed batch ends the import: what a spec learnt stays true. */
  if (spec->resolved_id != NULL)
    return spec->resolved_id;

  id = g_hash_table_lookup (w->product_ids, spec->sku);
  if (id != NULL)
    {
      spec->resolved_id = g_strdup (id);
      return id;
    }

  product = ord_store_get_product_by_sku (w->store, spec->sku, &local_error);
  if (!ignore_not_found (&local_error, error))
    return NULL;

  if (product == NULL)
    {
      const char *new_id = spec->id;

      /* Keep the file's id unless another product already has it. */
      if (new_id != NULL)
        {
          g_autoptr(OrdProduct) other = ord_store_get_product (w->store, new_id, &local_error);

          if (!ignore_not_found (&local_error, error))
            return NULL;
          if (other != NULL)
            new_id = NULL;
        }

      product = ord_product_new ();
      ord_product_set_id (product, new_id);
      ord_product_set_sku (product, spec->sku);
      ord_product_set_name (product, spec->name);
      ord_product_set_unit_price (product, spec->unit_price);
      ord_product_set_currency (product, spec->currency);
      ord_product_set_active (product, TRUE);
      if (!ord_store_save_product (w->store, product, error))
        return NULL;
      w->batch_products++;
    }

  id = g_strdup (ord_product_get_id (product));
  g_hash_table_insert (w->product_ids, g_strdup (spec->sku), (char *) id);
  spec->resolved_id = g_strdup (id);

  return id;
}

/* Finds or creates the order's customer and products, filling the ids in. */
static gboolean
resolve_order (Writer         *w,
               PreparedOrder  *prepared,
               GError        **error)
{
  const ResolvedCustomer *customer;

  customer = resolve_customer (w, prepared->customer, error);
  if (customer == NULL)
    return FALSE;
  prepared->bulk.customer_id = customer->id;
  prepared->bulk.customer_name = customer->name;

  for (guint i = 0; i < prepared->products->len; i++)
    {
      ProductSpec *spec = g_ptr_array_index (prepared->products, i);
      const char *product_id;

      if (spec == NULL)
        continue;

      product_id = resolve_product (w, spec, error);
      if (product_id == NULL)
        return FALSE;
      prepared->items[i].product_id = product_id;
    }

  return TRUE;
}

static const char *
object_label (OrdOrder *order)
{
  if (ord_order_get_number (order) != NULL)
    return ord_order_get_number (order);
  if (ord_order_get_id (order) != NULL)
    return ord_order_get_id (order);
  return "";
}

static const char *
order_label (const OrdBulkOrder *order)
{
  if (order->number != NULL)
    return order->number;
  if (order->id != NULL)
    return order->id;
  return "";
}

/* The order as an object, for the store's one-by-one path. */
static OrdOrder *
prepared_build_order (PreparedOrder *prepared,
                      GPtrArray    **events)
{
  const OrdBulkOrder *b = &prepared->bulk;
  OrdOrder *order;

  *events = NULL;
  if (b->events != NULL)
    {
      *events = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < b->n_events; i++)
        {
          const OrdBulkEvent *e = &b->events[i];

          g_ptr_array_add (*events, ord_order_event_new (0, NULL, e->at, e->actor, e->kind,
                                                         e->from_status, e->to_status,
                                                         e->reason, NULL));
        }
    }

  if (prepared->order != NULL)
    {
      order = g_object_ref (prepared->order);
      ord_order_set_customer_id (order, b->customer_id);
      for (guint i = 0; i < b->n_items; i++)
        {
          g_autoptr(OrdOrderItem) item = ord_order_get_item (order, i);

          ord_order_item_set_product_id (item, b->items[i].product_id);
        }
      return order;
    }

  order = ord_order_new ();
  ord_order_set_id (order, b->id);
  ord_order_set_number (order, b->number);
  ord_order_set_provisional_number (order, b->provisional_number);
  ord_order_set_external_ref (order, b->external_ref);
  ord_order_set_customer_id (order, b->customer_id);
  ord_order_set_customer_name (order, b->customer_name);
  ord_order_set_status (order, b->status);
  ord_order_set_created_at (order, b->created_at);
  ord_order_set_updated_at (order, b->updated_at);
  ord_order_set_due_at (order, b->due_at);
  ord_order_set_notes (order, b->notes);
  ord_order_set_currency (order, b->currency);
  ord_order_set_tax_rate (order, b->tax_rate);
  ord_order_set_discount (order, b->totals.discount);
  for (guint i = 0; i < b->n_items; i++)
    {
      const OrdBulkItem *bi = &b->items[i];
      g_autoptr(OrdOrderItem) item = ord_order_item_new ();

      ord_order_item_set_id (item, bi->id);
      ord_order_item_set_product_id (item, bi->product_id);
      ord_order_item_set_sku (item, bi->sku);
      ord_order_item_set_name (item, bi->name);
      ord_order_item_set_unit_price (item, bi->unit_price);
      ord_order_item_set_quantity (item, bi->quantity);
      ord_order_item_set_discount (item, bi->discount);
      ord_order_add_item (order, item);
    }

  return order;
}

/* A key of what says "this order" to order_exists(), to tell two orders
 * of one batch apart before either is written. */
static char *
order_identity (const char         *file_id,
                const OrdBulkOrder *b)
{
  if (file_id != NULL)
    return g_strconcat ("i", file_id, NULL);
  if (b->external_ref != NULL)
    return g_strconcat ("r", b->external_ref, NULL);
  if (b->number != NULL)
    return g_strconcat ("n", b->number, NULL);
  return NULL;
}

/* An order of Orderly's format, checked and with its totals; takes
 * @order, @customer and @products. */
static PreparedOrder *
prepared_from_order (OrdOrder     *order,
                     guint64       line,
                     CustomerSpec *customer,
                     GPtrArray    *products)
{
  PreparedOrder *prepared = g_new0 (PreparedOrder, 1);
  OrdBulkOrder *b = &prepared->bulk;
  guint n = ord_order_get_n_items (order);
  char id[37];

  prepared->line = line;
  prepared->customer = customer;
  prepared->products = products;
  prepared->order = order;
  prepared->id_from_file = ord_order_get_id (order) != NULL;
  if (!prepared->id_from_file)
    ord_order_set_id (order, uuid_into (id));

  b->id = ord_order_get_id (order);
  b->number = ord_order_get_number (order);
  b->provisional_number = ord_order_get_provisional_number (order);
  b->status = ord_order_get_status (order);
  b->created_at = ord_order_get_created_at (order);
  b->updated_at = ord_order_get_updated_at (order);
  b->due_at = ord_order_get_due_at (order);
  b->notes = ord_order_get_notes (order);
  b->currency = ord_order_get_currency (order);
  b->tax_rate = ord_order_get_tax_rate (order);
  b->totals.subtotal = ord_order_get_subtotal (order);
  b->totals.discount = ord_order_get_discount (order);
  b->totals.tax = ord_order_get_tax (order);
  b->totals.total = ord_order_get_total (order);
  b->external_ref = ord_order_get_external_ref (order);

  prepared->items = g_new0 (OrdBulkItem, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      /* The order keeps the item, and so the strings. */
      g_autoptr(OrdOrderItem) item = ord_order_get_item (order, i);
      OrdBulkItem *bi = &prepared->items[i];

      if (ord_order_item_get_id (item) == NULL)
        ord_order_item_set_id (item, uuid_into (id));
      bi->id = ord_order_item_get_id (item);
      bi->sku = ord_order_item_get_sku (item);
      bi->name = ord_order_item_get_name (item);
      bi->unit_price = ord_order_item_get_unit_price (item);
      bi->quantity = ord_order_item_get_quantity (item);
      bi->discount = ord_order_item_get_discount (item);
    }
  b->items = prepared->items;
  b->n_items = n;

  return prepared;
}

static void
writer_reject (Writer        *w,
               PreparedOrder *prepared,
               const GError  *error)
{
  add_problem_to (&w->problem_seq, w->batch_problems, prepared->line,
                  g_strdup_printf (_("order “%s” was not imported: %s"),
                                   order_label (&prepared->bulk), error->message));
  w->batch_rejected++;
}

/* The batch in bulk: every order checked, its customer and products
 * found, then all written at once. Any failure of the write rolls the
 * whole batch back (bulk_failed), to be redone one by one. */
static gboolean
write_batch_bulk (Writer  *w,
                  GError **error)
{
  g_autoptr(GArray) orders = g_array_sized_new (FALSE, FALSE, sizeof (OrdBulkOrder),
                                                w->batch->len);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < w->batch->len; i++)
    {
      PreparedOrder *prepared = g_ptr_array_index (w->batch, i);
      const OrdBulkOrder *b = &prepared->bulk;
      g_autoptr(GError) local_error = NULL;
      const char *file_id = prepared->id_from_file ? b->id : NULL;
      char *identity = order_identity (file_id, b);
      gboolean exists = identity != NULL && g_hash_table_contains (seen, identity);

      if (!exists &&
          !ord_store_bulk_order_exists (w->store, file_id, b->external_ref, b->number,
                                        &exists, error))
        {
          g_free (identity);
          return FALSE;
        }
      if (exists)
        {
          g_free (identity);
          w->batch_skipped++;
          continue;
        }
      if (identity != NULL)
        g_hash_table_add (seen, identity);

      if (!resolve_order (w, prepared, &local_error) ||
          !ord_store_bulk_check_order (w->store, b, &local_error))
        {
          if (!error_is_about_order (local_error))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          writer_reject (w, prepared, local_error);
          continue;
        }

      g_array_append_val (orders, *b);
    }

  if (!ord_store_bulk_create_orders (w->store, (OrdBulkOrder *) orders->data, orders->len,
                                     error))
    {
      w->bulk_failed = TRUE;
      return FALSE;
    }

  w->batch_imported += orders->len;
  return TRUE;
}

/* The batch one order at a time, each under its own savepoint: one the
 * store refuses leaves nothing behind, and the batch goes on. */
static gboolean
write_batch_each (Writer  *w,
                  GError **error)
{
  for (guint i = 0; i < w->batch->len; i++)
    {
      PreparedOrder *prepared = g_ptr_array_index (w->batch, i);
      const OrdBulkOrder *b = &prepared->bulk;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(OrdOrder) order = NULL;
      g_autoptr(GPtrArray) events = NULL;
      gboolean exists = FALSE;

      if (!ord_store_bulk_order_exists (w->store, prepared->id_from_file ? b->id : NULL,
                                        b->external_ref, b->number, &exists, error))
        return FALSE;
      if (exists)
        {
          w->batch_skipped++;
          continue;
        }

      if (resolve_order (w, prepared, &local_error))
        {
          order = prepared_build_order (prepared, &events);
          ord_store_create_order_with_events (w->store, order, events, &local_error);
        }
      if (local_error != NULL)
        {
          if (!error_is_about_order (local_error))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          writer_reject (w, prepared, local_error);
          continue;
        }

      w->batch_imported++;
    }

  return TRUE;
}

static gboolean
write_batch_txn (OrdStore  *store,
                 gpointer   user_data,
                 GError   **error)
{
  Writer *w = user_data;

  w->batch_imported = 0;
  w->batch_skipped = 0;
  w->batch_rejected = 0;
  w->batch_customers = 0;
  w->batch_products = 0;
  g_array_set_size (w->batch_problems, 0);

  if (ord_store_get_bulk (store))
    return write_batch_bulk (w, error);
  return write_batch_each (w, error);
}

/* After a rolled-back batch: the ids it resolved may name rows that are
 * gone, so they are looked up again. */
static void
writer_forget_batch (Writer *w)
{
  g_hash_table_remove_all (w->customer_ids);
  g_hash_table_remove_all (w->product_ids);
  for (guint i = 0; i < w->batch->len; i++)
    {
      PreparedOrder *prepared = g_ptr_array_index (w->batch, i);

      for (guint j = 0; prepared->products && j < prepared->products->len; j++)
        {
          ProductSpec *spec = g_ptr_array_index (prepared->products, j);

          if (spec != NULL)
            g_clear_pointer (&spec->resolved_id, g_free);
        }
    }
}

/* Writes @batch in one transaction; checks for cancellation first. */
static gboolean
writer_flush (Writer     *w,
              GPtrArray  *batch,
              GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  if (batch->len == 0)
    return TRUE;

  if (g_cancellable_set_error_if_cancelled (w->cancellable, error))
    return FALSE;

  w->batch = batch;
  w->bulk_failed = FALSE;
  if (!ord_store_transaction (w->store, write_batch_txn, w, &local_error) && w->bulk_failed)
    {
      /* Rolled back whole: forget what the batch created and write it
       * again order by order, each under its own savepoint. */
      g_debug ("redoing an import batch order by order: %s", local_error->message);
      g_clear_error (&local_error);
      writer_forget_batch (w);
      w->bulk_failed = FALSE;
      ord_store_set_bulk (w->store, FALSE);
      ord_store_transaction (w->store, write_batch_txn, w, &local_error);
      ord_store_set_bulk (w->store, TRUE);
    }
  w->batch = NULL;
  if (local_error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not import “%s”: "), w->file_name);
      return FALSE;
    }

  w->orders_imported += w->batch_imported;
  w->orders_skipped += w->batch_skipped;
  w->orders_rejected += w->batch_rejected;
  w->customers_created += w->batch_customers;
  w->products_created += w->batch_products;

  for (guint i = 0; i < w->batch_problems->len; i++)
    {
      Problem *problem = &g_array_index (w->batch_problems, Problem, i);

      add_problem_to (&w->problem_seq, w->problems, problem->line,
                      g_steal_pointer (&problem->reason));
    }
  g_array_set_size (w->batch_problems, 0);

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* The pipeline: a reader thread hands batches to the writer           */

typedef gboolean (*ProducerFunc) (Importer  *imp,
                                  gpointer   data,
                                  GError   **error);

typedef struct
{
  Importer     *imp;
  ProducerFunc  func;
  gpointer      data;
  GError       *error;
} Producer;

/* Hands the batch being filled to the writer; waits while the queue is
 * full. FALSE when the writer stopped (it has the error to report). */
static gboolean
importer_submit (Importer  *imp,
                 GError   **error)
{
  Pipeline *pipe = imp->pipe;
  GPtrArray *batch;
  gboolean stopped;

  if (imp->batch->len == 0)
    return TRUE;

  batch = g_steal_pointer (&imp->batch);
  imp->batch = g_ptr_array_new_with_free_func (prepared_order_free);

  g_mutex_lock (&pipe->mutex);
  if (pipe->queue.length >= PIPELINE_MAX_QUEUED && pipe->checkpointer != NULL)
    {
      g_mutex_unlock (&pipe->mutex);
      ord_store_checkpointer_run (pipe->checkpointer);
      g_mutex_lock (&pipe->mutex);
    }
  while (pipe->queue.length >= PIPELINE_MAX_QUEUED && !pipe->writer_stopped)
    g_cond_wait (&pipe->cond, &pipe->mutex);
  stopped = pipe->writer_stopped;
  if (!stopped)
    {
      g_queue_push_tail (&pipe->queue, batch);
      g_cond_broadcast (&pipe->cond);
    }
  g_mutex_unlock (&pipe->mutex);

  if (stopped)
    {
      g_ptr_array_unref (batch);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the writer stopped");
      return FALSE;
    }

  return TRUE;
}

static gpointer
producer_main (gpointer data)
{
  Producer *producer = data;
  Importer *imp = producer->imp;
  Pipeline *pipe = imp->pipe;

  if (producer->func (imp, producer->data, &producer->error))
    importer_submit (imp, producer->error == NULL ? &producer->error : NULL);

  g_mutex_lock (&pipe->mutex);
  pipe->producer_done = TRUE;
  g_cond_broadcast (&pipe->cond);

  /* Checkpoints while the writer writes the last batches. */
  while (pipe->checkpointer != NULL && !pipe->writer_done)
    {
      gint64 until = g_get_monotonic_time () + 20 * G_TIME_SPAN_MILLISECOND;

      g_mutex_unlock (&pipe->mutex);
      ord_store_checkpointer_run (pipe->checkpointer);
      g_mutex_lock (&pipe->mutex);
      while (!pipe->writer_done && g_cond_wait_until (&pipe->cond, &pipe->mutex, until))
        ;
    }
  g_mutex_unlock (&pipe->mutex);

  return NULL;
}

/* Runs @func on a thread of its own, which reads and hands over batches
 * with importer_submit(), while this thread writes them. */
static gboolean
importer_run (Importer      *imp,
              ProducerFunc   func,
              gpointer       data,
              GError       **error)
{
  Pipeline pipe = { 0, };
  Producer producer = { imp, func, data, NULL };
  g_autoptr(GError) write_error = NULL;
  GThread *thread;
  GPtrArray *batch;

  g_mutex_init (&pipe.mutex);
  g_cond_init (&pipe.cond);
  g_queue_init (&pipe.queue);
  pipe.fraction = imp->last_progress;
  pipe.checkpointer = ord_store_checkpointer_new (imp->store);
  imp->pipe = &pipe;

  thread = g_thread_new ("ord-import-read", producer_main, &producer);

  for (;;)
    {
      double fraction;

      g_mutex_lock (&pipe.mutex);
      while (pipe.queue.length == 0 && !pipe.producer_done)
        g_cond_wait (&pipe.cond, &pipe.mutex);
      batch = g_queue_pop_head (&pipe.queue);
      fraction = pipe.fraction;
      g_cond_broadcast (&pipe.cond);
      g_mutex_unlock (&pipe.mutex);

      if (batch == NULL)
        break;

      if (!writer_flush (&imp->writer, batch, &write_error))
        {
          g_ptr_array_unref (batch);
          g_mutex_lock (&pipe.mutex);
          pipe.writer_stopped = TRUE;
          g_mutex_unlock (&pipe.mutex);
          break;
        }
      g_ptr_array_unref (batch);

      if (imp->progress != NULL && fraction > imp->last_progress)
        {
          imp->last_progress = fraction;
          imp->progress (fraction, imp->progress_data);
        }
    }

  g_mutex_lock (&pipe.mutex);
  pipe.writer_done = TRUE;
  g_cond_broadcast (&pipe.cond);
  g_mutex_unlock (&pipe.mutex);

  g_thread_join (thread);
  imp->pipe = NULL;
  ord_store_checkpointer_free (pipe.checkpointer);
  while ((batch = g_queue_pop_head (&pipe.queue)) != NULL)
    g_ptr_array_unref (batch);
  g_mutex_clear (&pipe.mutex);
  g_cond_clear (&pipe.cond);

  /* The writer's error first: the reader only stopped because of it. */
  if (write_error != NULL)
    {
      g_clear_error (&producer.error);
      g_propagate_error (error, g_steal_pointer (&write_error));
      return FALSE;
    }
  if (producer.error != NULL)
    {
      g_propagate_error (error, producer.error);
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Field parsers shared by the formats; each returns NULL or why not   */

static const char *
skip_blanks (const char *text)
{
  while (*text == ' ' || *text == '\t')
    text++;
  return text;
}

static gboolean
is_blank (const char *text)
{
  return *skip_blanks (text) == '\0';
}

/* A whole number, blanks around it allowed. @label is translated only
 * when there is an error: this runs for every line. */
static char *
parse_quantity (const char *label,
                const char *text,
                gint64     *value)
{
  const char *p = skip_blanks (text);
  gboolean negative = FALSE;
  guint64 magnitude = 0;
  guint n_digits = 0;

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';

  for (; g_ascii_isdigit (*p); p++, n_digits++)
    {
      if (__builtin_mul_overflow (magnitude, 10, &magnitude) ||
          __builtin_add_overflow (magnitude, (guint64) (*p - '0'), &magnitude) ||
          magnitude > (guint64) G_MAXINT64)
        return g_strdup_printf (_("%s “%s” is too large"), _(label), text);
    }

  p = skip_blanks (p);
  if (n_digits == 0 || *p != '\0')
    return g_strdup_printf (_("%s “%s” is not a whole number"), _(label), text);

  *value = negative ? -(gint64) magnitude : (gint64) magnitude;
  return NULL;
}

/* The common case of an amount, "12" or "2.55": at most @digits decimals,
 * no sign, no blanks. FALSE for anything else, left to parse_amount(). */
static gboolean
parse_plain_amount (const char *text,
                    guint       digits,
                    gint64     *value)
{
  const char *p = text;
  gint64 v = 0;
  guint n_int = 0, n_frac = 0;

  for (; g_ascii_isdigit (*p) && n_int < 15; p++, n_int++)
    v = v * 10 + (*p - '0');
  if (n_int == 0)
    return FALSE;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p) && n_frac < digits; p++, n_frac++)
      v = v * 10 + (*p - '0');
  if (*p != '\0' || (p[-1] == '.'))
    return FALSE;
  for (; n_frac < digits; n_frac++)
    v *= 10;

  *value = v;
  return TRUE;
}

/* An amount of @currency (or with @digits decimals when it is NULL). */
static char *
parse_amount (const char *label,
              const char *text,
              const char *currency,
              guint       digits,
              gboolean    allow_negative,
              gint64     *value)
{
  g_autoptr(GError) error = NULL;

  if (is_blank (text))
    return g_strdup_printf (_("%s is empty"), _(label));

  if (currency != NULL)
    {
      OrdMoney money;

      if (!ord_money_parse (text, currency, &money, &error))
        return g_strdup_printf ("%s %s", _(label), error->message);
      *value = money.amount;
    }
  else if (!ord_amount_parse (text, digits, value, &error))
    {
      return g_strdup_printf ("%s %s", _(label), error->message);
    }

  if (*value < 0 && !allow_negative)
    return g_strdup_printf (_("%s “%s” must not be negative"), _(label), text);

  return NULL;
}

/* ------------------------------------------------------------------ */
/* Orderly's own format                                                */

typedef struct
{
  char          *key;
  guint64        first_line;
  gboolean       rejected;
  gboolean       started;        /* a good line gave the order's fields */
  char          *head_data;      /* those fields, NUL-separated */
  const char    *head[ORD_CSV_FIRST_ITEM_COLUMN];
  guint64        head_line;
  OrdOrder      *order;
  CustomerSpec  *customer;
  GPtrArray     *products;
  char           currency[4];    /* "" until known good */
} OrderlyOrder;

static void
orderly_order_free (gpointer data)
{
  OrderlyOrder *o = data;

  g_free (o->key);
  g_free (o->head_data);
  g_clear_object (&o->order);
  g_clear_pointer (&o->customer, customer_spec_unref);
  g_clear_pointer (&o->products, g_ptr_array_unref);
  g_free (o);
}

typedef struct
{
  int           col[ORD_CSV_N_COLUMNS];   /* index in the file, or -1 */
  guint         n_columns;
  GHashTable   *split;                    /* key hashes of orders whose lines are apart */
  GHashTable   *deferred;                 /* key → OrderlyOrder, for those */
  GPtrArray    *deferred_order;           /* the same, in order of first appearance */
  OrderlyOrder *current;
} Orderly;

static void
orderly_clear (Orderly *st)
{
  g_clear_pointer (&st->split, g_hash_table_unref);
  g_clear_pointer (&st->deferred, g_hash_table_unref);
  g_clear_pointer (&st->deferred_order, g_ptr_array_unref);
  g_clear_pointer (&st->current, orderly_order_free);
}

static gboolean
orderly_read_header (Importer      *imp,
                     Orderly       *st,
                     OrdCsvReader  *reader,
                     gboolean       report,
                     GError       **error)
{
  guint64 line = ord_csv_reader_get_line (reader);
  static const OrdCsvColumn required[] = {
    ORD_CSV_COL_CURRENCY, ORD_CSV_COL_ITEM_NAME, ORD_CSV_COL_UNIT_PRICE, ORD_CSV_COL_QUANTITY,
  };

  for (guint c = 0; c < ORD_CSV_N_COLUMNS; c++)
    st->col[c] = -1;
  st->n_columns = ord_csv_reader_get_n_fields (reader);

  for (guint i = 0; i < st->n_columns; i++)
    {
      g_autofree char *name = header_name (reader, i);
      gboolean known = FALSE;

      for (guint c = 0; c < ORD_CSV_N_COLUMNS && !known; c++)
        {
          if (g_ascii_strcasecmp (name, ord_csv_column_names[c]) != 0)
            continue;
          known = TRUE;
          if (st->col[c] >= 0)
            {
              g_set_error (error, ORD_IMPORT_ERROR, ORD_IMPORT_ERROR_FORMAT,
                           _("%s:%u: the column “%s” is there twice"),
                           imp->file_name, (guint) line, ord_csv_column_names[c]);
              return FALSE;
            }
          st->col[c] = (int) i;
        }

      /* A newer Orderly may add columns: say so, and go on. */
      if (!known && report)
        add_problem (imp, line,
                     g_strdup_printf (_("the column “%s” is not one Orderly knows; it is "
                                        "ignored"), name));
    }

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (st->col[required[i]] < 0)
      {
        g_set_error (error, ORD_IMPORT_ERROR, ORD_IMPORT_ERROR_FORMAT,
                     _("%s:%u: the column “%s” is missing"),
                     imp->file_name, (guint) line, ord_csv_column_names[required[i]]);
        return FALSE;
      }

  if (st->col[ORD_CSV_COL_ORDER_ID] < 0 && st->col[ORD_CSV_COL_NUMBER] < 0)
    {
      g_set_error (error, ORD_IMPORT_ERROR, ORD_IMPORT_ERROR_FORMAT,
                   _("%s:%u: a column “order_id” or “number” is needed to "
                     "say which order each line belongs to"),
                   imp->file_name, (guint) line);
      return FALSE;
    }

  if (st->col[ORD_CSV_COL_CUSTOMER_ID] < 0 && st->col[ORD_CSV_COL_CUSTOMER_NAME] < 0 &&
      st->col[ORD_CSV_COL_CUSTOMER_EXTERNAL_REF] < 0)
    {
      g_set_error (error, ORD_IMPORT_ERROR, ORD_IMPORT_ERROR_FORMAT,
                   _("%s:%u: the column “customer_name” (or "
                     "“customer_id”) is missing: every order needs a customer"),
                   imp->file_name, (guint) line);
      return FALSE;
    }

  return TRUE;
}

static const char *
orderly_field (Orderly      *st,
               OrdCsvReader *reader,
               OrdCsvColumn  column)
{
  int index = st->col[column];

  if (index < 0 || (guint) index >= ord_csv_reader_get_n_fields (reader))
    return "";

  return ord_csv_reader_get_field (reader, index);
}

/* Which order a line belongs to: "i" + order_id, or "n" + number when the
 * line has no order_id; NULL when it has neither. */
static char *
orderly_key (Orderly      *st,
             OrdCsvReader *reader)
{
  const char *id = orderly_field (st, reader, ORD_CSV_COL_ORDER_ID);
  const char *number;

  if (*id != '\0')
    return g_strconcat ("i", id, NULL);

  number = orderly_field (st, reader, ORD_CSV_COL_NUMBER);
  if (*number != '\0')
    return g_strconcat ("n", number, NULL);

  return NULL;
}

/* 64-bit FNV-1a; never 0, so that it can be a hash table key. */
static gpointer
key_hash (const char *key)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (const guchar *p = (const guchar *) key; *p != '\0'; p++)
    {
      h ^= *p;
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }

  return GSIZE_TO_POINTER ((gsize) (h | 1));
}

/* First pass: which orders have lines that are not next to each other.
 * Those are gathered in memory and written at the end, so that an order
 * is always written whole; the others stream through. A hash collision
 * only makes an order gathered when it did not need to be. */
static gboolean
orderly_find_split (Importer      *imp,
                    Orderly       *st,
                    OrdCsvReader  *reader,
                    GError       **error)
{
  g_autoptr(GHashTable) ended = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *previous = NULL;
  guint64 n = 0;

  st->split = g_hash_table_new (g_direct_hash, g_direct_equal);

  while (next_record (imp, reader, &local_error))
    {
      g_autofree char *key = orderly_key (st, reader);

      if (++n % PROGRESS_EVERY == 0)
        report_progress (imp, read_fraction (imp));

      if (key == NULL || g_strcmp0 (key, previous) == 0)
        continue;

      if (previous != NULL)
        g_hash_table_add (ended, key_hash (previous));
      if (g_hash_table_contains (ended, key_hash (key)))
        g_hash_table_add (st->split, key_hash (key));

      g_free (previous);
      previous = g_steal_pointer (&key);
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/* Takes @reason; rejects the order the line belongs to, if any. */
static void
orderly_line_problem (Importer     *imp,
                      OrderlyOrder *o,
                      guint64       line,
                      char         *reason)
{
  if (o != NULL)
    o->rejected = TRUE;
  add_problem (imp, line, reason);
}

static char *
orderly_parse_time (const char *column,
                    const char *text,
                    gint64     *value)
{
  switch (ord_csv_parse_time (text, FALSE, value))
    {
    case ORD_CSV_TIME_OK:
      return NULL;
    case ORD_CSV_TIME_NO_ZONE:
      return g_strdup_printf (_("%s “%s” has no time zone: end it with Z for UTC "
                                "(2024-03-05T14:03:00Z) or with an offset such as +01:00"),
                              column, text);
    case ORD_CSV_TIME_INVALID:
    default:
      return g_strdup_printf (_("%s “%s” is not a date and time like 2024-03-05T14:03:00Z"),
                              column, text);
    }
}

static char *
orderly_check_uuid (const char *column,
                    const char *text)
{
  if (*text == '\0' || ord_uuid_is_valid (text))
    return NULL;

  return g_strdup_printf (_("%s “%s” is not a UUID such as "
                            "0190a3c2-5b1e-7c3d-8e9f-0a1b2c3d4e5f: leave it empty for a new one"),
                          column, text);
}

static char *
empty_to_null (const char *text)
{
  return *text != '\0' ? g_strdup (text) : NULL;
}

/* The order's own fields, from its first good line. */
static char *
orderly_start_order (Orderly      *st,
                     OrderlyOrder *o,
                     OrdCsvReader *reader)
{
  g_autoptr(OrdOrder) order = ord_order_new ();
  CustomerSpec *customer;
  const char *text;
  char *reason;
  gint64 value;
  gsize size = 0;
  char *p;

#define FIELD(c) orderly_field (st, reader, ORD_CSV_COL_##c)

  /* Kept to check the order's further lines against. */
  for (guint c = 0; c < ORD_CSV_FIRST_ITEM_COLUMN; c++)
    size += strlen (orderly_field (st, reader, c)) + 1;
  o->head_data = p = g_malloc (size);
  for (guint c = 0; c < ORD_CSV_FIRST_ITEM_COLUMN; c++)
    {
      text = orderly_field (st, reader, c);
      o->head[c] = p;
      p = g_stpcpy (p, text) + 1;
    }
  o->head_line = ord_csv_reader_get_line (reader);
  o->started = TRUE;

  text = FIELD (ORDER_ID);
  if ((reason = orderly_check_uuid ("order_id", text)) != NULL)
    return reason;
  if (*text != '\0')
    ord_order_set_id (order, text);

  text = FIELD (NUMBER);
  if (*text != '\0')
    ord_order_set_number (order, text);
  text = FIELD (PROVISIONAL_NUMBER);
  if (*text != '\0')
    ord_order_set_provisional_number (order, text);
  text = FIELD (EXTERNAL_REF);
  if (*text != '\0')
    ord_order_set_external_ref (order, text);

  text = FIELD (CREATED_AT);
  if (!is_blank (text))
    {
      if ((reason = orderly_parse_time ("created_at", text, &value)) != NULL)
        return reason;
      ord_order_set_created_at (order, value);
    }
  text = FIELD (UPDATED_AT);
  if (!is_blank (text))
    {
      if ((reason = orderly_parse_time ("updated_at", text, &value)) != NULL)
        return reason;
      ord_order_set_updated_at (order, value);
    }
  text = FIELD (DUE_AT);
  if (!is_blank (text))
    {
      if ((reason = orderly_parse_time ("due_at", text, &value)) != NULL)
        return reason;
      ord_order_set_due_at (order, value);
    }

  text = FIELD (STATUS);
  if (!is_blank (text))
    {
      g_autofree char *lower = g_strstrip (g_ascii_strdown (text, -1));
      OrdStatus status;

      if (!ord_status_from_string (lower, &status))
        return g_strdup_printf (_("status “%s” is not one of pending, confirmed, preparing, "
                                  "shipped, delivered, cancelled"), text);
      ord_order_set_status (order, status);
    }

  text = FIELD (CURRENCY);
  {
    g_autofree char *code = g_strstrip (g_ascii_strup (text, -1));

    if (*code == '\0')
      return g_strdup (_("currency is empty"));
    if (!ord_currency_is_valid (code))
      return g_strdup_printf (_("currency “%s” is not an ISO 4217 code such as EUR"), text);
    ord_order_set_currency (order, code);
    memcpy (o->currency, code, 4);
  }

  text = FIELD (TAX_RATE);
  if (!is_blank (text))
    {
      if ((reason = parse_amount ("tax_rate", text, NULL, 2, FALSE, &value)) != NULL)
        return reason;
      if (value > 10000)
        return g_strdup_printf (_("tax_rate “%s” is more than 100 (it is a percentage)"), text);
      ord_order_set_tax_rate (order, (guint) value);
    }

  text = FIELD (ORDER_DISCOUNT);
  if (!is_blank (text))
    {
      if ((reason = parse_amount ("order_discount", text, ord_order_get_currency (order), 0,
                                  FALSE, &value)) != NULL)
        return reason;
      ord_order_set_discount (order, value);
    }

  text = FIELD (NOTES);
  if (*text != '\0')
    ord_order_set_notes (order, text);

  text = FIELD (ORDER_TOTAL);
  if (!is_blank (text) &&
      (reason = parse_amount ("order_total", text, ord_order_get_currency (order), 0,
                              FALSE, &value)) != NULL)
    return reason;

  if ((reason = orderly_check_uuid ("customer_id", FIELD (CUSTOMER_ID))) != NULL)
    return reason;
  customer = g_atomic_rc_box_new0 (CustomerSpec);
  o->customer = customer;
  customer->id = empty_to_null (FIELD (CUSTOMER_ID));
  customer->external_ref = empty_to_null (FIELD (CUSTOMER_EXTERNAL_REF));
  customer->name = is_blank (FIELD (CUSTOMER_NAME)) ? NULL : g_strdup (FIELD (CUSTOMER_NAME));
  customer->email = empty_to_null (FIELD (CUSTOMER_EMAIL));
  customer->phone = empty_to_null (FIELD (CUSTOMER_PHONE));
  customer->notes = empty_to_null (FIELD (CUSTOMER_NOTES));
  if (customer->id == NULL && customer->external_ref == NULL && customer->name == NULL)
    return g_strdup (_("the order has no customer: fill customer_name"));
  if (customer->name != NULL)
    ord_order_set_customer_name (order, customer->name);

#undef FIELD

  o->order = g_steal_pointer (&order);
  return NULL;
}

/* A further line of an order: its order fields are empty or the same. */
static char *
orderly_check_head (Orderly      *st,
                    OrderlyOrder *o,
                    OrdCsvReader *reader)
{
  for (guint c = 0; c < ORD_CSV_FIRST_ITEM_COLUMN; c++)
    {
      const char *text = orderly_field (st, reader, c);

      if (*text != '\0' && strcmp (text, o->head[c]) != 0)
        return g_strdup_printf (_("%s “%s” differs from the order’s first line (line %u: “%s”)"),
                                ord_csv_column_names[c], text, (guint) o->head_line, o->head[c]);
    }

  return NULL;
}

static char *
orderly_add_item (Orderly      *st,
                  OrderlyOrder *o,
                  OrdCsvReader *reader)
{
  g_autoptr(OrdOrderItem) item = NULL;
  const char *currency = o->currency[0] != '\0' ? o->currency : NULL;
  const char *item_id = orderly_field (st, reader, ORD_CSV_COL_ITEM_ID);
  const char *product_id = orderly_field (st, reader, ORD_CSV_COL_PRODUCT_ID);
  const char *sku = orderly_field (st, reader, ORD_CSV_COL_ITEM_SKU);
  const char *name = orderly_field (st, reader, ORD_CSV_COL_ITEM_NAME);
  gint64 unit_price, quantity, discount = 0, gross;
  char *reason;

  if ((reason = orderly_check_uuid ("item_id", item_id)) != NULL ||
      (reason = orderly_check_uuid ("product_id", product_id)) != NULL)
    return reason;
  if (is_blank (name))
    return g_strdup (_("item_name is empty"));
  if ((reason = parse_amount ("unit_price", orderly_field (st, reader, ORD_CSV_COL_UNIT_PRICE),
                              currency, 2, FALSE, &unit_price)) != NULL)
    return reason;
  if (is_blank (orderly_field (st, reader, ORD_CSV_COL_QUANTITY)))
    return g_strdup (_("quantity is empty"));
  if ((reason = parse_quantity ("quantity", orderly_field (st, reader, ORD_CSV_COL_QUANTITY),
                                &quantity)) != NULL)
    return reason;
  if (quantity <= 0)
    return g_strdup_printf (_("quantity “%s” must be positive"),
                            orderly_field (st, reader, ORD_CSV_COL_QUANTITY));
  if (!is_blank (orderly_field (st, reader, ORD_CSV_COL_LINE_DISCOUNT)) &&
      (reason = parse_amount ("line_discount",
                              orderly_field (st, reader, ORD_CSV_COL_LINE_DISCOUNT),
                              currency, 2, FALSE, &discount)) != NULL)
    return reason;
  if (__builtin_mul_overflow (unit_price, quantity, &gross))
    return g_strdup_printf (_("unit_price “%s” × quantity “%s” is too large"),
                            orderly_field (st, reader, ORD_CSV_COL_UNIT_PRICE),
                            orderly_field (st, reader, ORD_CSV_COL_QUANTITY));
  if (discount > gross)
    return g_strdup_printf (_("line_discount “%s” is more than the line’s amount"),
                            orderly_field (st, reader, ORD_CSV_COL_LINE_DISCOUNT));

  /* A rejected order is still read to the end, to report every bad line,
   * but not built. */
  if (o->rejected || o->order == NULL)
    return NULL;

  item = ord_order_item_new ();
  if (*item_id != '\0')
    ord_order_item_set_id (item, item_id);
  if (*sku != '\0')
    {
      ProductSpec *spec = g_atomic_rc_box_new0 (ProductSpec);

      spec->sku = g_strdup (sku);
      spec->id = empty_to_null (product_id);
      spec->name = g_strdup (name);
      spec->unit_price = unit_price;
      memcpy (spec->currency, o->currency, 4);
      g_ptr_array_add (o->products, spec);
      ord_order_item_set_sku (item, sku);
    }
  else
    {
      g_ptr_array_add (o->products, NULL);
    }
  ord_order_item_set_name (item, name);
  ord_order_item_set_unit_price (item, unit_price);
  ord_order_item_set_quantity (item, quantity);
  ord_order_item_set_discount (item, discount);
  ord_order_add_item (o->order, item);

  return NULL;
}

static void
orderly_add_line (Importer     *imp,
                  Orderly      *st,
                  OrderlyOrder *o,
                  OrdCsvReader *reader)
{
  guint64 line = ord_csv_reader_get_line (reader);
  guint n = ord_csv_reader_get_n_fields (reader);
  char *reason = NULL;

  if (ord_csv_reader_get_problem (reader) != NULL)
    reason = g_strdup (ord_csv_reader_get_problem (reader));
  else if (n != st->n_columns)
    reason = g_strdup_printf (_("the line has %u fields, the header %u"), n, st->n_columns);
  else if (!o->started)
    reason = orderly_start_order (st, o, reader);
  else
    reason = orderly_check_head (st, o, reader);

  if (reason == NULL)
    reason = orderly_add_item (st, o, reader);

  if (reason != NULL)
    orderly_line_problem (imp, o, line, reason);
}

static OrderlyOrder *
orderly_order_new (char    *key,
                   guint64  line)
{
  OrderlyOrder *o = g_new0 (OrderlyOrder, 1);

  o->key = key;
  o->first_line = line;
  o->products = g_ptr_array_new_with_free_func (product_spec_unref);

  return o;
}

/* Checks the whole order and queues it for writing; takes @o. */
static gboolean
orderly_finish (Importer      *imp,
                OrderlyOrder  *o,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *total_text;

  if (o->rejected || o->order == NULL)
    {
      imp->report->orders_rejected++;
      orderly_order_free (o);
      return TRUE;
    }

  if (!ord_order_compute_totals (o->order, &local_error))
    {
      add_problem (imp, o->first_line,
                   g_strdup_printf (_("order “%s”: %s"), object_label (o->order),
                                    local_error->message));
      imp->report->orders_rejected++;
      orderly_order_free (o);
      return TRUE;
    }

  /* order_total is there for people reading the file; when given, it
   * must agree with the lines. */
  total_text = o->head[ORD_CSV_COL_ORDER_TOTAL];
  if (!is_blank (total_text))
    {
      gint64 total = 0;
      g_autofree char *reason = parse_amount ("order_total", total_text,
                                              ord_order_get_currency (o->order), 0, FALSE,
                                              &total);

      g_assert (reason == NULL);
      if (total != ord_order_get_total (o->order))
        {
          g_autofree char *computed =
            ord_amount_format_plain (ord_order_get_total (o->order),
                                     ord_currency_get_digits (ord_order_get_currency (o->order)));

          add_problem (imp, o->head_line,
                       g_strdup_printf (_("order_total “%s” does not match the order’s lines "
                                          "(%s): correct the lines or empty order_total"),
                                        total_text, computed));
          imp->report->orders_rejected++;
          orderly_order_free (o);
          return TRUE;
        }
    }

  g_ptr_array_add (imp->batch,
                   prepared_from_order (g_steal_pointer (&o->order), o->first_line,
                                        g_steal_pointer (&o->customer),
                                        g_steal_pointer (&o->products)));
  orderly_order_free (o);

  if (imp->batch->len >= ORD_IMPORT_BATCH_ORDERS)
    {
      report_progress (imp, read_fraction (imp));
      if (!importer_submit (imp, error))
        return FALSE;
    }

  return TRUE;
}

/* Second pass: the orders, on the reader's thread. */
static gboolean
orderly_produce (Importer  *imp,
                 gpointer   data,
                 GError   **error)
{
  Orderly *st = data;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(OrdCsvReader) reader = NULL;
  gboolean ok = FALSE;
  guint64 n = 0;

  input = open_input (imp, error);
  if (input == NULL)
    goto out;
  reader = ord_csv_reader_new (input);
  if (!read_header (imp, reader, error) ||
      !orderly_read_header (imp, st, reader, TRUE, error))
    goto out;

  st->deferred = g_hash_table_new (g_str_hash, g_str_equal);
  st->deferred_order = g_ptr_array_new ();

  while (next_record (imp, reader, &local_error))
    {
      char *key = orderly_key (st, reader);
      OrderlyOrder *o;

      imp->report->lines_read++;
      if (++n % PROGRESS_EVERY == 0)
        report_progress (imp, read_fraction (imp));

      if (key == NULL)
        {
          const char *reason = ord_csv_reader_get_problem (reader);

          orderly_line_problem (imp, NULL, ord_csv_reader_get_line (reader),
                                reason != NULL ? g_strdup (reason)
                                               : g_strdup (_("order_id and number are both "
                                                             "empty: the line belongs to no "
                                                             "order")));
          continue;
        }

      if (g_hash_table_contains (st->split, key_hash (key)))
        {
          o = g_hash_table_lookup (st->deferred, key);
          if (o == NULL)
            {
              o = orderly_order_new (key, ord_csv_reader_get_line (reader));
              g_hash_table_insert (st->deferred, o->key, o);
              g_ptr_array_add (st->deferred_order, o);
            }
          else
            {
              g_free (key);
            }
        }
      else if (st->current != NULL && strcmp (st->current->key, key) == 0)
        {
          o = st->current;
          g_free (key);
        }
      else
        {
          if (st->current != NULL && !orderly_finish (imp, g_steal_pointer (&st->current), error))
            {
              g_free (key);
              goto out;
            }
          o = st->current = orderly_order_new (key, ord_csv_reader_get_line (reader));
        }

      orderly_add_line (imp, st, o, reader);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }

  if (st->current != NULL && !orderly_finish (imp, g_steal_pointer (&st->current), error))
    goto out;

  /* The orders whose lines were apart, whole now. */
  g_hash_table_remove_all (st->deferred);
  for (guint i = 0; i < st->deferred_order->len; i++)
    {
      OrderlyOrder *o = g_steal_pointer (&st->deferred_order->pdata[i]);

      if (!orderly_finish (imp, o, error))
        goto out;
    }

  ok = TRUE;

out:
  /* Deferred orders not finished because of an error. */
  if (st->deferred_order != NULL)
    for (guint i = 0; i < st->deferred_order->len; i++)
      if (st->deferred_order->pdata[i] != NULL)
        orderly_order_free (st->deferred_order->pdata[i]);
  g_clear_pointer (&st->current, orderly_order_free);

  return ok;
}

static gboolean
orderly_import (Importer      *imp,
                OrdCsvReader  *first_pass,
                GError       **error)
{
  Orderly st = { { 0, }, };
  gboolean ok = FALSE;

  if (!orderly_read_header (imp, &st, first_pass, FALSE, error))
    goto out;

  imp->phase_start = 0.0;
  imp->phase_size = 0.1;
  if (!orderly_find_split (imp, &st, first_pass, error))
    goto out;

  imp->phase_start = 0.1;
  imp->phase_size = 0.9;
  ok = importer_run (imp, orderly_produce, &st, error);

out:
  orderly_clear (&st);
  return ok;
}

/* ------------------------------------------------------------------ */
/* The UCI Online Retail file                                          */

enum
{
  RETAIL_INVOICE_NO,
  RETAIL_STOCK_CODE,
  RETAIL_DESCRIPTION,
  RETAIL_QUANTITY,
  RETAIL_INVOICE_DATE,
  RETAIL_UNIT_PRICE,
  RETAIL_CUSTOMER_ID,
  RETAIL_COUNTRY,
};

static const char * const retail_columns[RETAIL_N_COLUMNS] = {
  "InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice",
  "CustomerID", "Country",
};

typedef struct
{
  char         *number;
  guint64       first_line;
  gint64        created_at;
  CustomerSpec *customer;      /* borrowed from Retail.customers */
  const char   *customer_text; /* as on the first line, for messages */
  gboolean      cancelled;
  gboolean      rejected;
  guint         n_lines;
  guint         start;         /* of its lines in Retail.by_invoice */
} RetailInvoice;

typedef struct
{
  guint64     line;
  guint       invoice;
  const char *sku;             /* interned */
  const char *description;     /* interned */
  gint64      quantity;        /* > 0: a cancellation's is made positive */
  gint64      unit_price;
} RetailLine;

typedef struct
{
  int           col[RETAIL_N_COLUMNS];
  guint         n_columns;
  GStringChunk *strings;
  GArray       *invoices;          /* RetailInvoice, in order of first appearance */
  GHashTable   *invoice_index;     /* number → index + 1 */
  GArray       *lines;             /* RetailLine, the good ones, in file order */
  GHashTable   *customers;         /* CustomerID → CustomerSpec */
  CustomerSpec *walk_in;
  GHashTable   *products;          /* sku → ProductSpec */
  guint        *by_invoice;        /* line indexes grouped by invoice */
  char         *last_date_text;
  gint64        last_date;
  guint         price_digits;      /* of RETAIL_CURRENCY */
  char         *last_customer_text;
  CustomerSpec *last_customer;     /* borrowed from customers */
} Retail;

static void
retail_clear (Retail *st)
{
  if (st->invoices != NULL)
    for (guint i = 0; i < st->invoices->len; i++)
      g_free (g_array_index (st->invoices, RetailInvoice, i).number);
  g_clear_pointer (&st->invoices, g_array_unref);
  g_clear_pointer (&st->invoice_index, g_hash_table_unref);
  g_clear_pointer (&st->lines, g_array_unref);
  g_clear_pointer (&st->customers, g_hash_table_unref);
  g_clear_pointer (&st->walk_in, customer_spec_unref);
  g_clear_pointer (&st->products, g_hash_table_unref);
  g_clear_pointer (&st->by_invoice, g_free);
  g_clear_pointer (&st->last_date_text, g_free);
  g_clear_pointer (&st->last_customer_text, g_free);
  if (st->strings != NULL)
    g_string_chunk_free (st->strings);
  st->strings = NULL;
}

static gboolean
retail_read_header (Importer      *imp,
                    Retail        *st,
                    OrdCsvReader  *reader,
                    GError       **error)
{
  st->n_columns = ord_csv_reader_get_n_fields (reader);

  for (guint c = 0; c < RETAIL_N_COLUMNS; c++)
    {
      st->col[c] = header_find (reader, retail_columns[c]);
      if (st->col[c] < 0)
        {
          g_set_error (error, ORD_IMPORT_ERROR, ORD_IMPORT_ERROR_FORMAT,
                       _("%s:%u: the column “%s” of the Online Retail "
                         "file is missing"),
                       imp->file_name, (guint) ord_csv_reader_get_line (reader),
                       retail_columns[c]);
          return FALSE;
        }
    }

  return TRUE;
}

/* "2010-12-01 08:26:00" (as in the UCI file converted to CSV), or
 * "12/1/2010 8:26" (as spreadsheets write it); always UTC. */
static gboolean
retail_parse_date (const char *text,
                   gint64     *usec)
{
  g_autoptr(GDateTime) time = NULL;
  unsigned month, day, year, hour, minute, second = 0;
  const char *p;
  int end = 0;

  if (ord_csv_parse_time (text, TRUE, usec) == ORD_CSV_TIME_OK)
    return TRUE;

  if (sscanf (text, "%2u/%2u/%4u %2u:%2u%n", &month, &day, &year, &hour, &minute, &end) != 5 ||
      end == 0)
    return FALSE;
  p = text + end;
  if (*p == ':')
    {
      end = 0;
      if (sscanf (p, ":%2u%n", &second, &end) != 1 || end == 0)
        return FALSE;
      p += end;
    }
  if (*skip_blanks (p) != '\0' || hour > 23 || minute > 59 || second > 59)
    return FALSE;

  time = g_date_time_new_utc ((int) year, (int) month, (int) day, (int) hour, (int) minute,
                              second);
  if (time == NULL)
    return FALSE;

  *usec = g_date_time_to_unix (time) * G_USEC_PER_SEC;
  return TRUE;
}

static RetailInvoice *
retail_invoice (Retail     *st,
                const char *number,
                guint64     line,
                guint      *index)
{
  gpointer value = g_hash_table_lookup (st->invoice_index, number);
  RetailInvoice invoice = { 0, };

  if (value != NULL)
    {
      *index = GPOINTER_TO_UINT (value) - 1;
      return &g_array_index (st->invoices, RetailInvoice, *index);
    }

  invoice.number = g_strdup (number);
  invoice.first_line = line;
  invoice.cancelled = number[0] == 'C' || number[0] == 'c';
  g_array_append_val (st->invoices, invoice);
  *index = st->invoices->len - 1;
  g_hash_table_insert (st->invoice_index, invoice.number, GUINT_TO_POINTER (*index + 1));

  return &g_array_index (st->invoices, RetailInvoice, *index);
}

/* "17850.0" → "17850"; NULL when not a number. */
static char *
retail_customer_id (const char *text)
{
  const char *p = skip_blanks (text);
  const char *start = p;
  const char *end;

  while (g_ascii_isdigit (*p))
    p++;
  end = p;
  if (end == start)
    return NULL;
  if (*p == '.')
    {
      p++;
      while (*p == '0')
        p++;
    }
  if (*skip_blanks (p) != '\0')
    return NULL;

  return g_strndup (start, end - start);
}

static CustomerSpec *
retail_customer (Retail     *st,
                 const char *id,
                 const char *country)
{
  CustomerSpec *spec = g_hash_table_lookup (st->customers, id);

  if (spec != NULL)
    return spec;

  spec = g_atomic_rc_box_new0 (CustomerSpec);
  spec->external_ref = g_strconcat (RETAIL_REF_PREFIX, id, NULL);
  spec->name = g_strdup_printf (_("Customer %s"), id);
  if (*country != '\0')
    spec->notes = g_strdup_printf (_("Country: %s"), country);
  g_hash_table_insert (st->customers, g_strdup (id), spec);

  return spec;
}

/* One line of the file: NULL, or why it is bad. */
static char *
retail_parse_line (Retail        *st,
                   OrdCsvReader  *reader,
                   RetailInvoice *invoice,
                   RetailLine    *out)
{
  const char *quantity_text = ord_csv_reader_get_field (reader, st->col[RETAIL_QUANTITY]);
  const char *price_text = ord_csv_reader_get_field (reader, st->col[RETAIL_UNIT_PRICE]);
  const char *date_text = ord_csv_reader_get_field (reader, st->col[RETAIL_INVOICE_DATE]);
  const char *customer_text = ord_csv_reader_get_field (reader, st->col[RETAIL_CUSTOMER_ID]);
  const char *sku = ord_csv_reader_get_field (reader, st->col[RETAIL_STOCK_CODE]);
  const char *country = ord_csv_reader_get_field (reader, st->col[RETAIL_COUNTRY]);
  const char *description = ord_csv_reader_get_field (reader, st->col[RETAIL_DESCRIPTION]);
  CustomerSpec *customer;
  gint64 date;
  char *reason;

  if (is_blank (sku))
    return g_strdup (_("the stock code is empty"));

  if ((reason = parse_quantity (N_("quantity"), quantity_text, &out->quantity)) != NULL)
    return reason;
  if (out->quantity == 0)
    return g_strdup_printf (_("quantity “%s” must not be zero"), quantity_text);
  if (out->quantity < 0 && !invoice->cancelled)
    return g_strdup_printf (_("quantity “%s” must be positive outside a cancellation invoice"),
                            quantity_text);
  if (out->quantity > 0 && invoice->cancelled)
    return g_strdup_printf (_("quantity “%s” must be negative in a cancellation invoice"),
                            quantity_text);
  out->quantity = ABS (out->quantity);

  if (!parse_plain_amount (price_text, st->price_digits, &out->unit_price) &&
      (reason = parse_amount (N_("unit price"), price_text, RETAIL_CURRENCY, 0, FALSE,
                              &out->unit_price)) != NULL)
    return reason;

  /* Lines of an invoice mostly share their date: parse it once. */
  if (g_strcmp0 (date_text, st->last_date_text) == 0)
    {
      date = st->last_date;
    }
  else
    {
      if (!retail_parse_date (date_text, &date))
        return g_strdup_printf (_("invoice date “%s” is not a date and time like "
                                  "2010-12-01 08:26:00"), date_text);
      g_free (st->last_date_text);
      st->last_date_text = g_strdup (date_text);
      st->last_date = date;
    }

  if (is_blank (customer_text))
    {
      customer = st->walk_in;
    }
  else if (st->last_customer_text != NULL && strcmp (customer_text, st->last_customer_text) == 0)
    {
      /* An invoice's lines: the same customer as the line before. */
      customer = st->last_customer;
    }
  else
    {
      g_autofree char *id = retail_customer_id (customer_text);

      if (id == NULL)
        return g_strdup_printf (_("customer id “%s” is not a number"), customer_text);
      customer = retail_customer (st, id, country);
      g_free (st->last_customer_text);
      st->last_customer_text = g_strdup (customer_text);
      st->last_customer = customer;
    }

  if (invoice->customer == NULL)
    {
      /* The invoice's first good line gives its customer and time. */
      invoice->customer = customer;
      invoice->customer_text = g_string_chunk_insert_const (st->strings, customer_text);
      invoice->created_at = date;
    }
  else if (invoice->customer != customer)
    {
      return g_strdup_printf (_("customer id “%s” differs from the one on the invoice’s "
                                "first line (“%s”)"),
                              customer_text, invoice->customer_text);
    }

  out->sku = g_string_chunk_insert_const (st->strings, sku);
  out->description = g_string_chunk_insert_const (st->strings, description);
  return NULL;
}

static gboolean
retail_read (Importer      *imp,
             Retail        *st,
             OrdCsvReader  *reader,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  guint last_index = G_MAXUINT;
  g_autofree char *last_number = NULL;

  while (next_record (imp, reader, &local_error))
    {
      guint64 line = ord_csv_reader_get_line (reader);
      guint n = ord_csv_reader_get_n_fields (reader);
      const char *number;
      RetailInvoice *invoice = NULL;
      RetailLine out = { line, 0, };
      char *reason = NULL;
      guint index;

      if (++imp->report->lines_read % PROGRESS_EVERY == 0)
        report_progress (imp, read_fraction (imp));

      /* The invoice is known even on most bad lines, so that the whole
       * invoice is rejected and never half-imported. */
      number = (guint) st->col[RETAIL_INVOICE_NO] < n
                 ? ord_csv_reader_get_field (reader, st->col[RETAIL_INVOICE_NO]) : "";
      if (is_blank (number))
        {
          add_problem (imp, line,
                       ord_csv_reader_get_problem (reader) != NULL
                         ? g_strdup (ord_csv_reader_get_problem (reader))
                         : g_strdup (_("the invoice number is empty")));
          continue;
        }

      if (last_number != NULL && strcmp (number, last_number) == 0)
        {
          index = last_index;
          invoice = &g_array_index (st->invoices, RetailInvoice, index);
        }
      else
        {
          invoice = retail_invoice (st, number, line, &index);
          g_free (last_number);
          last_number = g_strdup (number);
          last_index = index;
        }
      out.invoice = index;

      if (ord_csv_reader_get_problem (reader) != NULL)
        reason = g_strdup (ord_csv_reader_get_problem (reader));
      else if (n != st->n_columns)
        reason = g_strdup_printf (_("the line has %u fields, the header %u"), n, st->n_columns);
      else
        reason = retail_parse_line (st, reader, invoice, &out);

      if (reason != NULL)
        {
          invoice->rejected = TRUE;
          add_problem (imp, line, reason);
          continue;
        }

      invoice->n_lines++;
      g_array_append_val (st->lines, out);
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/* The catalogue: a product per stock code of the imported invoices, with
 * the first description that is not empty and the first price, in file
 * order. */
static void
retail_products (Retail *st)
{
  for (guint i = 0; i < st->lines->len; i++)
    {
      RetailLine *line = &g_array_index (st->lines, RetailLine, i);
      RetailInvoice *invoice = &g_array_index (st->invoices, RetailInvoice, line->invoice);
      ProductSpec *spec;

      if (invoice->rejected)
        continue;

      spec = g_hash_table_lookup (st->products, line->sku);
      if (spec == NULL)
        {
          spec = g_atomic_rc_box_new0 (ProductSpec);
          spec->sku = g_strdup (line->sku);
          spec->unit_price = line->unit_price;
          memcpy (spec->currency, RETAIL_CURRENCY, 4);
          g_hash_table_insert (st->products, spec->sku, spec);
        }
      if (spec->name == NULL && !is_blank (line->description))
        spec->name = g_strdup (line->description);
    }

  /* A stock code never described is its own name. */
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, st->products);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        ProductSpec *spec = value;

        if (spec->name == NULL)
          spec->name = g_strdup (spec->sku);
      }
  }
}

/* Groups the lines by invoice, each invoice's in file order. */
static void
retail_group (Retail *st)
{
  guint *next;
  guint start = 0;

  for (guint i = 0; i < st->invoices->len; i++)
    {
      RetailInvoice *invoice = &g_array_index (st->invoices, RetailInvoice, i);

      invoice->start = start;
      start += invoice->n_lines;
    }

  st->by_invoice = g_new (guint, MAX (st->lines->len, 1));
  next = g_new (guint, MAX (st->invoices->len, 1));
  for (guint i = 0; i < st->invoices->len; i++)
    next[i] = g_array_index (st->invoices, RetailInvoice, i).start;
  for (guint i = 0; i < st->lines->len; i++)
    st->by_invoice[next[g_array_index (st->lines, RetailLine, i).invoice]++] = i;
  g_free (next);
}

/* An invoice as an order for the bulk write: no objects, its lines'
 * strings borrowed from the file's (they outlive the writing). */
static void
retail_prepare (Importer      *imp,
                Retail        *st,
                RetailInvoice *invoice)
{
  PreparedOrder *prepared = g_new0 (PreparedOrder, 1);
  OrdBulkOrder *b = &prepared->bulk;
  guint n = invoice->n_lines;
  g_autofree OrdLineAmount *amounts = g_new (OrdLineAmount, MAX (n, 1));
  g_autoptr(GError) error = NULL;
  GString *search = g_string_sized_new (n * 48);

  prepared->line = invoice->first_line;
  prepared->customer = g_atomic_rc_box_acquire (invoice->customer);
  prepared->products = g_ptr_array_new_full (n, product_spec_unref);
  prepared->items = g_new0 (OrdBulkItem, MAX (n, 1));
  prepared->ids = g_malloc (37 * (n + 1));
  prepared->external_ref = g_strconcat (RETAIL_REF_PREFIX, invoice->number, NULL);

  b->id = uuid_into (prepared->ids);
  b->number = invoice->number;
  b->external_ref = prepared->external_ref;
  b->created_at = invoice->created_at;
  b->updated_at = invoice->created_at;
  b->currency = RETAIL_CURRENCY;
  /* Historic: delivered long ago, or cancelled. */
  b->status = invoice->cancelled ? ORD_STATUS_CANCELLED : ORD_STATUS_DELIVERED;

  for (guint i = 0; i < n; i++)
    {
      RetailLine *line = &g_array_index (st->lines, RetailLine, st->by_invoice[invoice->start + i]);
      ProductSpec *spec = g_hash_table_lookup (st->products, line->sku);
      OrdBulkItem *item = &prepared->items[i];

      item->id = uuid_into (prepared->ids + 37 * (i + 1));
      item->sku = line->sku;
      item->name = is_blank (line->description) ? spec->name : line->description;
      item->unit_price = line->unit_price;
      item->quantity = line->quantity;
      amounts[i] = (OrdLineAmount) { line->unit_price, line->quantity, 0 };
      g_ptr_array_add (prepared->products, g_atomic_rc_box_acquire (spec));
      ord_store_append_item_search (search, item->sku, item->name);
    }
  b->items = prepared->items;
  b->n_items = n;
  prepared->search_items = g_string_free (search, FALSE);
  b->search_items = prepared->search_items;

  if (!ord_totals_compute_for_currency (amounts, n, 0, 0, RETAIL_CURRENCY, &b->totals, &error))
    {
      add_problem (imp, invoice->first_line,
                   g_strdup_printf (_("order “%s” was not imported: %s"), invoice->number,
                                    error->message));
      imp->report->orders_rejected++;
      prepared_order_free (prepared);
      return;
    }

  if (invoice->cancelled)
    {
      /* The default timeline has no reason for a cancellation. */
      prepared->events = g_new0 (OrdBulkEvent, 2);
      prepared->events[0] = (OrdBulkEvent) { invoice->created_at, NULL, ORD_EVENT_IMPORTED, -1,
                                             ORD_STATUS_PENDING, NULL };
      prepared->events[1] = (OrdBulkEvent) { invoice->created_at, NULL, ORD_EVENT_CANCELLED,
                                             ORD_STATUS_PENDING, ORD_STATUS_CANCELLED,
                                             _("Cancelled in the source data") };
      b->events = prepared->events;
      b->n_events = 2;
    }

  g_ptr_array_add (imp->batch, prepared);
}

/* The orders, on the reader's thread. */
static gboolean
retail_produce (Importer  *imp,
                gpointer   data,
                GError   **error)
{
  Retail *st = data;

  for (guint i = 0; i < st->invoices->len; i++)
    {
      RetailInvoice *invoice = &g_array_index (st->invoices, RetailInvoice, i);

      if (invoice->rejected)
        {
          imp->report->orders_rejected++;
          continue;
        }

      retail_prepare (imp, st, invoice);
      if (imp->batch->len >= ORD_IMPORT_BATCH_ORDERS)
        {
          report_progress (imp, (double) (i + 1) / st->invoices->len);
          if (!importer_submit (imp, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
retail_import (Importer      *imp,
               OrdCsvReader  *reader,
               GError       **error)
{
  Retail st = { { 0, }, };
  gboolean ok = FALSE;
  gint64 start;

  if (!retail_read_header (imp, &st, reader, error))
    goto out;

  st.price_digits = ord_currency_get_digits (RETAIL_CURRENCY);
  st.strings = g_string_chunk_new (1024 * 1024);
  st.invoices = g_array_sized_new (FALSE, FALSE, sizeof (RetailInvoice), 32 * 1024);
  st.invoice_index = g_hash_table_new (g_str_hash, g_str_equal);
  st.lines = g_array_sized_new (FALSE, FALSE, sizeof (RetailLine), 1024 * 1024);
  st.customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, customer_spec_unref);
  st.products = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, product_spec_unref);
  st.walk_in = g_atomic_rc_box_new0 (CustomerSpec);
  st.walk_in->external_ref = g_strdup (RETAIL_REF_PREFIX "walk-in");
  st.walk_in->name = g_strdup (_("Walk-in"));
  st.walk_in->notes = g_strdup (_("The lines without a CustomerID in the Online Retail file"));

  /* Parse everything first: an invoice's lines are not always next to
   * each other (542806 comes in two runs). */
  imp->phase_start = 0.0;
  imp->phase_size = 0.3;
  start = g_get_monotonic_time ();
  if (!retail_read (imp, &st, reader, error))
    goto out;

  retail_products (&st);
  retail_group (&st);
  g_debug ("%s: %" G_GUINT64_FORMAT " lines, %u invoices read in %.3f s",
           imp->file_name, imp->report->lines_read, st.invoices->len,
           (g_get_monotonic_time () - start) / 1e6);

  imp->phase_start = 0.3;
  imp->phase_size = 0.7;
  ok = importer_run (imp, retail_produce, &st, error);

out:
  retail_clear (&st);
  return ok;
}

/* ------------------------------------------------------------------ */

/**
 * ord_import_file:
 * @store: the store to import into
 * @file: a CSV file, possibly gzip-compressed
 * @format: its format, or %ORD_IMPORT_FORMAT_AUTO to tell from its header
 * @progress: (nullable) (scope call): called with the fraction done
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable, looked at between batches
 * @error: return location for a #GError
 *
 * Imports the orders of @file (see doc/csv-format.md). Orders are written
 * whole, %ORD_IMPORT_BATCH_ORDERS per transaction; a bad line rejects its
 * whole order and is reported with its line and reason, the good orders
 * are kept. Orders already in the database (same id, or same external
 * reference) are skipped, so importing a file twice imports it once.
 *
 * The file is read, checked and turned into batches on a thread of its
 * own (a gzip file is inflated on another) while the calling thread
 * writes the batches in bulk (ord_store_bulk_create_orders()); @progress
 * is called on the calling thread, which alone uses @store.
 *
 * Fails, with what was committed so far kept, when the file cannot be
 * read, is not of the format, the database fails, or on cancellation.
 *
 * Returns: (transfer full): what was imported and the problems, or %NULL
 */
OrdImportReport *
ord_import_file (OrdStore         *store,
                 GFile            *file,
                 OrdImportFormat   format,
                 OrdProgressFunc   progress,
                 gpointer          progress_data,
                 GCancellable     *cancellable,
                 GError          **error)
{
  Importer imp;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(OrdCsvReader) reader = NULL;
  OrdImportReport *report = NULL;
  gboolean ok = FALSE;
  gboolean was_bulk;
  guint was_cache;

  g_return_val_if_fail (ORD_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  importer_init (&imp, store, file, cancellable);
  imp.progress = progress;
  imp.progress_data = progress_data;

  input = open_input (&imp, error);
  if (input == NULL)
    goto out;
  reader = ord_csv_reader_new (input);
  if (!read_header (&imp, reader, error))
    goto out;

  if (format == ORD_IMPORT_FORMAT_AUTO && !detect_format (&imp, reader, &format, error))
    goto out;

  was_bulk = ord_store_get_bulk (store);
  ord_store_set_bulk (store, TRUE);
  was_cache = ord_store_get_cache (store);
  if (was_cache < ORD_STORE_BULK_CACHE_KIB)
    ord_store_set_cache (store, ORD_STORE_BULK_CACHE_KIB, NULL);
  switch (format)
    {
    case ORD_IMPORT_FORMAT_ORDERLY:
      ok = orderly_import (&imp, reader, error);
      break;
    case ORD_IMPORT_FORMAT_ONLINE_RETAIL:
      ok = retail_import (&imp, reader, error);
      break;
    case ORD_IMPORT_FORMAT_AUTO:
    default:
      g_return_val_if_reached (NULL);
    }
  /* Copies what is left of the write-ahead log back into the database:
   * little, the reader's thread checkpointed while the batches were
   * written. */
  ord_store_set_bulk (store, was_bulk);
  if (was_cache < ORD_STORE_BULK_CACHE_KIB)
    ord_store_set_cache (store, was_cache, NULL);

  if (ok)
    {
      imp.phase_start = 0.0;
      imp.phase_size = 1.0;
      report_progress (&imp, 1.0);
      report = importer_steal_report (&imp);
    }

out:
  importer_clear (&imp);
  return report;
}
