/* bench-sync.c: sync over loopback against the real orderly-server:
 * push throughput, initial sync of 100,000 orders, incremental sync of
 * 100 changes, server memory
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-sync [N_ORDERS]; the server binary is $ORDERLY_SERVER or
 * src/server/orderly-server of the same build.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ord-core.h"
#include "ord-store-sync.h"
#include "ord-sync-client.h"

typedef struct
{
  OrdCustomer *customer;
  guint        n;
} Fill;

static gboolean
fill_cb (OrdStore  *store,
         gpointer   user_data,
         GError   **error)
{
  Fill *f = user_data;

  for (guint i = 0; i < f->n; i++)
    {
      g_autoptr(OrdOrder) o = ord_order_new ();
      g_autoptr(OrdOrderItem) a = ord_order_item_new ();
      g_autoptr(OrdOrderItem) b = ord_order_item_new ();

      ord_order_set_customer_id (o, ord_customer_get_id (f->customer));
      ord_order_set_currency (o, "EUR");
      ord_order_set_notes (o, "bench");
      ord_order_item_set_name (a, "Sourdough");
      ord_order_item_set_sku (a, "SD-1");
      ord_order_item_set_unit_price (a, 450);
      ord_order_item_set_quantity (a, 1 + i % 4);
      ord_order_item_set_name (b, "Rye");
      ord_order_item_set_unit_price (b, 380);
      ord_order_item_set_quantity (b, 1);
      ord_order_add_item (o, a);
      ord_order_add_item (o, b);
      if (!ord_store_create_order (store, o, error))
        return FALSE;
    }

  return TRUE;
}

/* With ORDERLY_BENCH_PHASES set, each phase's CLOCK_MONOTONIC span in
 * seconds, for `perf record -k CLOCK_MONOTONIC` and `perf report --time`. */
static void
phase (const char *name,
       gint64      start,
       gint64      end)
{
  if (g_getenv ("ORDERLY_BENCH_PHASES"))
    fprintf (stderr, "phase %s: %.6f,%.6f\n", name, start / 1e6, end / 1e6);
}

/* CPU seconds (user + system) of the server and of this process (the
 * client and its fetcher thread): on a shared machine the wall clock
 * says as much about the neighbours as about sync. */
typedef struct
{
  double server;
  double client;
} Cpu;

static double
server_cpu (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *p;

  /* Fields after the ")" that ends the command name: utime is the 12th. */
  if (!g_file_get_contents (path, &text, NULL, NULL) || !(p = strrchr (text, ')')))
    return 0;
  fields = g_strsplit (p + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

static Cpu
cpu_now (GPid pid)
{
  struct rusage ru;
  Cpu c;

  getrusage (RUSAGE_SELF, &ru);
  c.client = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
             ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  c.server = server_cpu (pid);
  return c;
}

static void
print_cpu (Cpu start,
           Cpu end)
{
  printf ("  cpu: server %.2f s, client %.2f s\n", end.server - start.server,
          end.client - start.client);
}

static gint64
rss_kib (GPid        pid,
         const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(p = strstr (text, field)))
    return -1;
  return g_ascii_strtoll (p + strlen (field), NULL, 10);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("orderly-bench-sync-XXXXXX", &error);
  g_autofree char *self_dir = NULL;
  g_autofree char *server_exe = NULL;
  g_autofree char *server_db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *a_db = g_build_filename (dir, "a.db", NULL);
  g_autofree char *b_db = g_build_filename (dir, "b.db", NULL);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(OrdStore) a = NULL;
  g_autoptr(OrdStore) b = NULL;
  g_autoptr(OrdSyncClient) ca = NULL;
  g_autoptr(OrdSyncClient) cb = NULL;
  g_autoptr(OrdCustomer) customer = ord_customer_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  OrdSyncStats stats;
  const char *url;
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  gint64 t0, t1;
  Cpu c0, c1;
  GPid pid;

  g_assert_no_error (error);

  if (g_getenv ("ORDERLY_SERVER"))
    server_exe = g_strdup (g_getenv ("ORDERLY_SERVER"));
  else
    {
      g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
      self_dir = g_path_get_dirname (self);
      server_exe = g_build_filename (self_dir, "..", "..", "src", "server", "orderly-server", NULL);
    }

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, server_exe,
                             "--listen", "127.0.0.1:0", "--database", server_db, "--no-auth", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  url = line + strlen ("listening on ");
  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (server), NULL, 10);

  /* Device A takes n orders offline. */
  a = ord_store_new (a_db, &error);
  g_assert_no_error (error);
  ord_customer_set_name (customer, "Bench Customer");
  ord_store_save_customer (a, customer, &error);
  g_assert_no_error (error);
  t0 = g_get_monotonic_time ();
  for (guint done = 0; done < n; done += 1000)
    {
      Fill f = { customer, MIN (1000, n - done) };
      ord_store_transaction (a, fill_cb, &f, &error);
      g_assert_no_error (error);
    }
  t1 = g_get_monotonic_time ();
  printf ("local: %u orders written in %.2f s\n", n, (t1 - t0) / 1e6);

  /* Push: the load generator is this process, the server the other. */
  ca = ord_sync_client_new (a, url);
  c0 = cpu_now (pid);
  t0 = g_get_monotonic_time ();
  ord_sync_client_sync_once (ca, NULL, &stats, &error);
  g_assert_no_error (error);
  t1 = g_get_monotonic_time ();
  c1 = cpu_now (pid);
  phase ("push", t0, t1);
  printf ("push: %u mutations in %.2f s: %.0f mutations/s [budget ≥ 5000/s];"
          " then pull back %u in %.2f s (whole run %.2f s)\n", stats.pushed,
          stats.push_usec / 1e6, stats.pushed / (stats.push_usec / 1e6), stats.pulled,
          stats.pull_usec / 1e6, (t1 - t0) / 1e6);
  print_cpu (c0, c1);

  /* Initial sync of a fresh device. */
  b = ord_store_new (b_db, &error);
  g_assert_no_error (error);
  cb = ord_sync_client_new (b, url);
  c0 = cpu_now (pid);
  t0 = g_get_monotonic_time ();
  ord_sync_client_sync_once (cb, NULL, &stats, &error);
  g_assert_no_error (error);
  t1 = g_get_monotonic_time ();
  c1 = cpu_now (pid);
  phase ("initial", t0, t1);
  printf ("initial sync: %u changes in %u pages in %.2f s [budget ≤ 5 s for 100,000]\n",
          stats.pulled, stats.pages, (t1 - t0) / 1e6);
  print_cpu (c0, c1);
  g_assert_cmpint (ord_store_count_orders (b, &(OrdOrderQuery) { 0 }, NULL), ==, n);

  /* Incremental: 100 status changes on A, pushed, then pulled by B. */
  {
    g_autoptr(GPtrArray) page = NULL;
    OrdOrderQuery q = { 0 };

    q.status_mask = 1 << ORD_STATUS_PENDING;
    page = ord_store_query_orders (a, &q, NULL, 100, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < page->len; i++)
      {
        ord_store_set_status (a, ord_order_get_id (g_ptr_array_index (page, i)),
                              ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED, NULL, &error);
        g_assert_no_error (error);
      }
  }
  t0 = g_get_monotonic_time ();
  ord_sync_client_sync_once (ca, NULL, &stats, &error);
  g_assert_no_error (error);
  t1 = g_get_monotonic_time ();
  phase ("incremental-push", t0, t1);
  printf ("incremental push: %u changes in %.1f ms\n", stats.pushed, (t1 - t0) / 1e3);
  t0 = g_get_monotonic_time ();
  ord_sync_client_sync_once (cb, NULL, &stats, &error);
  g_assert_no_error (error);
  t1 = g_get_monotonic_time ();
  phase ("incremental-pull", t0, t1);
  printf ("incremental pull: %u changes in %.1f ms [budget ≤ 100 ms]\n", stats.pulled,
          (t1 - t0) / 1e3);

  printf ("server memory: RSS %" G_GINT64_FORMAT " KiB, peak %" G_GINT64_FORMAT " KiB\n",
          rss_kib (pid, "VmRSS:"), rss_kib (pid, "VmHWM:"));

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);

  g_clear_object (&ca);
  g_clear_object (&cb);
  g_clear_object (&a);
  g_clear_object (&b);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name (d)))
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }

  return 0;
}
