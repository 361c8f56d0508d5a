/* bench-import.c: the Online Retail import into a fresh database, against
 * the sqlite3 shell's .import of the same rows (DESIGN §8: ≥ 200,000 order
 * lines per second)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "ord-core.h"
#include "ord-import.h"

#define BUDGET_LINES_PER_SECOND 200000.0

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static guint64
file_size (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return 0;
  return (guint64) st.st_size;
}

static void
remove_database (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
}

/* The decompressed file, for the sqlite3 shell. */
static gboolean
decompress (const char  *gz_path,
            const char  *csv_path,
            GError     **error)
{
  g_autoptr(GFile) in_file = g_file_new_for_path (gz_path);
  g_autoptr(GFile) out_file = g_file_new_for_path (csv_path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  g_autoptr(GInputStream) plain = NULL;

  in = g_file_read (in_file, NULL, error);
  if (in == NULL)
    return FALSE;
  out = g_file_replace (out_file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (out == NULL)
    return FALSE;

  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  plain = g_converter_input_stream_new (G_INPUT_STREAM (in), G_CONVERTER (decompressor));

  return g_output_stream_splice (G_OUTPUT_STREAM (out), plain,
                                 G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                                 G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                 NULL, error) >= 0;
}

/* The reference: the sqlite3 shell importing the same CSV into a plain
 * table (no indexes, no validation), as fast as SQLite writes rows. */
static double
sqlite3_import (const char  *csv_path,
                const char  *db_path,
                GError     **error)
{
  g_autofree char *command = g_strdup_printf (".import --csv %s t", csv_path);
  const char *argv[] = { "sqlite3", db_path, command, NULL };
  g_autofree char *err = NULL;
  gint64 start;
  int status = 0;

  remove_database (db_path);
  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &err,
                     &status, error) ||
      !g_spawn_check_wait_status (status, error))
    {
      if (error != NULL && *error != NULL && err != NULL && *err != '\0')
        g_prefix_error (error, "%s: ", g_strstrip (err));
      return -1.0;
    }

  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data_path = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *plain_db_path = NULL;
  g_autofree char *wal_path = NULL;
  int runs = 1;
  gboolean keep = FALSE;
  double best_orderly = G_MAXDOUBLE;
  double best_sqlite = G_MAXDOUBLE;
  guint64 lines = 0;
  guint orders = 0;
  const GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Runs of each import (the best counts)", "N" },
    { "keep", 'k', 0, G_OPTION_ARG_NONE, &keep, "Keep the databases", NULL },
    { NULL }
  };

  context = g_option_context_new ("[online-retail.csv.gz]");
  g_option_context_set_summary (context,
                                "Imports the UCI Online Retail file into a fresh Orderly "
                                "database and compares with the sqlite3 shell's .import.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (argc > 1)
    data_path = g_strdup (argv[1]);
  else
    data_path = g_build_filename (g_getenv ("ORDERLY_DATA_DIR") ? g_getenv ("ORDERLY_DATA_DIR")
                                                                : "../shared/data",
                                  "online-retail.csv.gz", NULL);
  if (!g_file_test (data_path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("%s is absent: give the path of online-retail.csv.gz\n", data_path);
      return 77;
    }

  dir = g_dir_make_tmp ("orderly-bench-import-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  db_path = g_build_filename (dir, "orders.db", NULL);
  csv_path = g_build_filename (dir, "online-retail.csv", NULL);
  plain_db_path = g_build_filename (dir, "plain.db", NULL);
  wal_path = g_strconcat (db_path, "-wal", NULL);

  g_print ("file: %s (%.1f MB compressed)\n", data_path, file_size (data_path) / 1e6);

  for (int run = 0; run < runs; run++)
    {
      g_autoptr(OrdStore) store = NULL;
      g_autoptr(GFile) file = g_file_new_for_path (data_path);
      g_autoptr(OrdImportReport) report = NULL;
      gint64 start;
      double cpu_start;
      double seconds;
      double cpu;

      remove_database (db_path);
      store = ord_store_new (db_path, &error);
      if (store == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      start = g_get_monotonic_time ();
      cpu_start = cpu_seconds ();
      report = ord_import_file (store, file, ORD_IMPORT_FORMAT_ONLINE_RETAIL, NULL, NULL, NULL,
                                &error);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      cpu = cpu_seconds () - cpu_start;
      if (report == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      lines = report->lines_read;
      orders = report->orders_imported;
      g_print ("orderly import, run %d: %" G_GUINT64_FORMAT " lines, %u orders (%u rejected, "
               "%u problems), %u customers, %u products in %.2f s (CPU %.2f s): "
               "%.0f lines/s, %.0f orders/s\n",
               run + 1, report->lines_read, report->orders_imported, report->orders_rejected,
               report->problems->len, report->customers_created, report->products_created,
               seconds, cpu, report->lines_read / seconds, report->orders_imported / seconds);
      best_orderly = MIN (best_orderly, seconds);
    }

  if (!decompress (data_path, csv_path, &error))
    {
      g_printerr ("Could not decompress %s: %s\n", data_path, error->message);
      return 1;
    }

  for (int run = 0; run < runs; run++)
    {
      double seconds = sqlite3_import (csv_path, plain_db_path, &error);

      if (seconds < 0)
        {
          g_printerr ("sqlite3 shell: %s (apt-get install sqlite3)\n", error->message);
          return 1;
        }
      g_print ("sqlite3 .import --csv, run %d: %.2f s: %.0f lines/s\n", run + 1, seconds,
               lines / seconds);
      best_sqlite = MIN (best_sqlite, seconds);
    }

  g_print ("\nbest: orderly %.2f s = %.0f lines/s, %.0f orders/s; sqlite3 .import %.2f s\n",
           best_orderly, lines / best_orderly, orders / best_orderly, best_sqlite);
  g_print ("ratio: orderly takes %.1f times the time of sqlite3 .import into a plain table\n",
           best_orderly / best_sqlite);
  /* The store is closed: its write-ahead log is checkpointed. */
  g_print ("database: %.1f MB (orderly, %u orders with items, timeline, outbox, search "
           "index); %.1f MB (sqlite3 plain table)\n",
           (file_size (db_path) + file_size (wal_path)) / 1e6, orders,
           file_size (plain_db_path) / 1e6);
  g_print ("budget (DESIGN section 8): at least %.0f lines/s: %s\n", BUDGET_LINES_PER_SECOND,
           lines / best_orderly >= BUDGET_LINES_PER_SECOND ? "met" : "NOT met");

  if (!keep)
    {
      remove_database (db_path);
      remove_database (plain_db_path);
      g_remove (csv_path);
      g_rmdir (dir);
    }
  else
    {
      g_print ("kept in %s\n", dir);
    }

  return 0;
}
