/* bench-app.c: the desktop app's speed and memory on a 1,000,000-order shop
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-app [--runs N] [--orderly PATH] [--floor PATH] [--no-launch] [--no-store] DATABASE
 *
 * Two parts (budgets: DESIGN §8):
 *
 * 1. Start-up. Launches `orderly --database DATABASE` once uncounted, then
 *    N times cold and N times warm with ORDERLY_TIMINGS=1 and ORDERLY_TIMINGS_QUIT=1 (see
 *    src/ui/ord-timings.h) and reads its figures: first frame (≤ 300 ms),
 *    first rows, resident memory once the rows are shown (≤ 150 MB). The
 *    warm runs also set ORDERLY_TIMINGS_STEPS=1: the app sorts by each column
 *    of its Orders page and runs searches through its widgets, and the time
 *    until the frame that shows each result is printed (≤ 50 ms). Between
 *    the warm runs, bench-app-floor (a bare libadwaita window, same libraries
 *    and timing code) is started as the reference: what any window costs
 *    on this machine. "Cold"
 *    means the database file's pages were dropped from the page cache just
 *    before the run (posix_fadvise, this file only); the program and its
 *    libraries stay cached. Needs a display: tests/bench/bench-app.sh runs
 *    it under xvfb-run and dbus-run-session with GSK_RENDERER=cairo.
 *
 * 2. The list the dashboard shows, measured in this process through
 *    OrdOrderListModel, as the window uses it: the first screenful of rows
 *    after changing the sort (every key, both directions, all orders and
 *    pending only) and after typing a search (≤ 50 ms each), and a
 *    screenful at 50 random positions as a jump of the scroll bar does
 *    (median and max; a frame is 16.7 ms, the budget used is 50 ms), once
 *    the model's anchors are built (the time that takes is printed too).
 *    Each is measured cold (database pages dropped first) and warm.
 *
 * The database is used as it is (the app writes to it only what opening it
 * writes); tests/bench/bench-app.sh works on a copy.
 */
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bench-util.h"
#include "ord-core.h"
#include "ord-order-list-model.h"
#include "ord-store-private.h"

#define FRAME_BUDGET_MS  300.0
#define LIST_BUDGET_MS    50.0
#define RSS_BUDGET_KB    (150.0 * 1024)
#define SCREENFUL         30
#define N_JUMPS           50
#define N_WARM             3
#define LAUNCH_TIMEOUT_S 120

static const char *search_words[] = {
  "Meyer", "sourdough", "Schmidt", "anna müller", "T1-999975",
};

/* Statistics */

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  double *v = (double *) values->data;
  guint n = values->len;

  if (n == 0)
    return -1;
  qsort (v, n, sizeof *v, compare_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
maximum (GArray *values)
{
  double m = -1;

  for (guint i = 0; i < values->len; i++)
    m = MAX (m, g_array_index (values, double, i));
  return m;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
print_budget (const char *what,
              double      value,
              double      budget,
              const char *unit)
{
  g_print ("  %-46s %10.1f %-2s / %6.0f %-2s = %5.2f  %s\n", what, value, unit, budget, unit,
           value / budget, value <= budget ? "ok" : "OVER BUDGET");
}

/* Part 1: start-up */

enum
{
  FIG_PRESENTED,
  FIG_FIRST_FRAME,
  FIG_FIRST_FRAME_EXEC,
  FIG_FIRST_FRAME_SPAWN,
  FIG_FIRST_FRAME_CPU,
  FIG_FIRST_ROWS,
  FIG_RSS,
  FIG_RSS_PEAK,
  FIG_RSS_ANON,
  FIG_RSS_FILE,
  FIG_RSS_STEPS,
  FIG_RSS_STEPS_PEAK,
  FIG_RSS_STEPS_ANON,
  FIG_RSS_STEPS_FILE,
  N_FIGURES
};

static const struct
{
  const char *name;    /* as orderly prints it; NULL: measured here */
  const char *label;
  gboolean    kb;
} figures[N_FIGURES] = {
  { "window-presented-ms", "window built and presented, from main()", FALSE },
  { "first-frame-ms", "first frame, from main()", FALSE },
  { "first-frame-exec-ms", "first frame, from exec (10 ms steps)", FALSE },
  { NULL, "first frame, from spawn (seen by this program)", FALSE },
  { "first-frame-cpu-ms", "CPU time used by the first frame", FALSE },
  { "first-rows-ms", "first rows shown, from main()", FALSE },
  { "rss-kb", "resident memory 1 s after the rows", TRUE },
  { "rss-peak-kb", "peak resident memory", TRUE },
  { "rss-anon-kb", "  of which heap (RssAnon)", TRUE },
  { "rss-file-kb", "  of which mapped files (RssFile)", TRUE },
  { "rss-steps-kb", "resident memory after the steps (dashboard)", TRUE },
  { "rss-steps-peak-kb", "peak resident memory, with the steps", TRUE },
  { "rss-steps-anon-kb", "  of which heap (RssAnon)", TRUE },
  { "rss-steps-file-kb", "  of which mapped files (RssFile)", TRUE },
};

typedef struct
{
  GMainLoop        *loop;
  GDataInputStream *in;
  double            started;
  double            values[N_FIGURES];
  GPtrArray        *step_names;   /* "step-…-ms" figures, in order */
  GArray           *step_values;
  gboolean          done;
  gboolean          timed_out;
} Launch;

static void read_next_line (Launch *launch);

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Launch *launch = user_data;
  g_autofree char *line = NULL;
  g_auto(GStrv) parts = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (launch->in, result, NULL, NULL);
  if (line == NULL)
    {
      /* The end: orderly has quit (or died). */
      g_main_loop_quit (launch->loop);
      return;
    }

  parts = g_strsplit (line, " ", 3);
  if (g_strv_length (parts) == 3 && strcmp (parts[0], "orderly-timing") == 0)
    {
      if (strcmp (parts[1], "done") == 0)
        launch->done = TRUE;
      for (guint i = 0; i < N_FIGURES; i++)
        if (figures[i].name != NULL && strcmp (parts[1], figures[i].name) == 0)
          launch->values[i] = g_ascii_strtod (parts[2], NULL);
      if (strcmp (parts[1], "first-frame-ms") == 0)
        launch->values[FIG_FIRST_FRAME_SPAWN] = now_ms () - launch->started;
      if (g_str_has_prefix (parts[1], "step-"))
        {
          double v = g_ascii_strtod (parts[2], NULL);

          g_ptr_array_add (launch->step_names, g_strdup (parts[1]));
          g_array_append_val (launch->step_values, v);
        }
    }
  else
    g_printerr ("    orderly: %s\n", line);

  read_next_line (launch);
}

static void
read_next_line (Launch *launch)
{
  g_data_input_stream_read_line_async (launch->in, G_PRIORITY_DEFAULT, NULL, on_line, launch);
}

static gboolean
on_launch_timeout (gpointer user_data)
{
  Launch *launch = user_data;

  launch->timed_out = TRUE;
  g_main_loop_quit (launch->loop);
  return G_SOURCE_REMOVE;
}

/* The figures of one step of ORDERLY_TIMINGS_STEPS, over the runs. */
typedef struct
{
  char   *name;
  GArray *runs;
} StepRuns;

static void
step_runs_free (gpointer data)
{
  StepRuns *step = data;

  g_free (step->name);
  g_array_unref (step->runs);
  g_free (step);
}

/* Kept in the order orderly prints them. */
static void
step_runs_add (GPtrArray  *steps,
               const char *name,
               double      value)
{
  StepRuns *step = NULL;

  for (guint i = 0; i < steps->len && step == NULL; i++)
    if (strcmp (((StepRuns *) steps->pdata[i])->name, name) == 0)
      step = steps->pdata[i];
  if (step == NULL)
    {
      step = g_new0 (StepRuns, 1);
      step->name = g_strdup (name);
      step->runs = g_array_new (FALSE, FALSE, sizeof (double));
      g_ptr_array_add (steps, step);
    }
  g_array_append_val (step->runs, value);
}

/* With @steps (nullable), also has orderly sort and search
 * (ORDERLY_TIMINGS_STEPS=1) and adds each step's figure to @steps. */
static gboolean
launch_once (const char  *orderly,
             const char  *database,
             double       values[N_FIGURES],
             GPtrArray   *steps,
             GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Launch launch = { 0, };
  guint timeout_id;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "ORDERLY_TIMINGS", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "ORDERLY_TIMINGS_QUIT", "1", TRUE);
  if (steps != NULL)
    g_subprocess_launcher_setenv (launcher, "ORDERLY_TIMINGS_STEPS", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", "cairo", FALSE);
  /* Window size and sort order are neither read from nor written to the
   * user's settings. */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "NO_AT_BRIDGE", "1", TRUE);

  for (guint i = 0; i < N_FIGURES; i++)
    launch.values[i] = -1;
  launch.step_names = g_ptr_array_new_with_free_func (g_free);
  launch.step_values = g_array_new (FALSE, FALSE, sizeof (double));
  launch.loop = loop;
  launch.started = now_ms ();
  process = g_subprocess_launcher_spawn (launcher, error, orderly, "--database", database, NULL);
  if (process == NULL)
    return FALSE;
  in = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  launch.in = in;

  timeout_id = g_timeout_add_seconds (LAUNCH_TIMEOUT_S, on_launch_timeout, &launch);
  read_next_line (&launch);
  g_main_loop_run (loop);
  if (!launch.timed_out)
    g_source_remove (timeout_id);

  if (launch.timed_out)
    g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
  /* Let the pending read finish before the stream goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  if (steps != NULL)
    for (guint i = 0; i < launch.step_names->len; i++)
      step_runs_add (steps, launch.step_names->pdata[i],
                     g_array_index (launch.step_values, double, i));
  g_ptr_array_unref (launch.step_names);
  g_array_unref (launch.step_values);

  if (launch.timed_out || !launch.done)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   launch.timed_out ? "orderly did not finish within %d s"
                                    : "orderly quit before reporting its figures (exit "
                                      "status %d)",
                   launch.timed_out ? LAUNCH_TIMEOUT_S : g_subprocess_get_status (process));
      return FALSE;
    }

  memcpy (values, launch.values, sizeof launch.values);
  return TRUE;
}

static gboolean
bench_launch (const char *orderly,
              const char *floor,
              const char *database,
              guint       runs)
{
  g_autoptr(GArray) floor_exec = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *cold[N_FIGURES];
  GArray *warm[N_FIGURES];
  double values[N_FIGURES];
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (step_runs_free);
  double worst_step = 0;
  gboolean ok = TRUE;

  for (guint i = 0; i < N_FIGURES; i++)
    {
      cold[i] = g_array_new (FALSE, FALSE, sizeof (double));
      warm[i] = g_array_new (FALSE, FALSE, sizeof (double));
    }

  g_print ("\nStart-up: %s --database DB, ORDERLY_TIMINGS=1, GSK_RENDERER=%s\n", orderly,
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "cairo");
  g_print ("  one uncounted run, %u cold runs (database dropped from the page cache first), "
           "%u warm runs\n", runs, runs);

  /* Run 0 is not counted: it starts what the session starts once (the
   * desktop portal, the accessibility bus) and caches the program. */
  for (guint r = 0; r <= 2 * runs; r++)
    {
      gboolean is_cold = r >= 1 && r <= runs;

      if (is_cold)
        bench_evict (database);
      if (!launch_once (orderly, database, values, r > runs ? steps : NULL, &error))
        {
          g_printerr ("bench-app: %s\n", error->message);
          ok = FALSE;
          break;
        }
      g_print ("    run %2u %-5s window %8.1f ms, first frame %8.1f ms, rows %8.1f ms, "
               "RSS %6.1f MB\n", r, r == 0 ? "(-)" : is_cold ? "cold" : "warm",
               values[FIG_PRESENTED], values[FIG_FIRST_FRAME], values[FIG_FIRST_ROWS],
               values[FIG_RSS] / 1024);
      if (r == 0)
        continue;
      for (guint i = 0; i < N_FIGURES; i++)
        if (values[i] >= 0)
          g_array_append_val (is_cold ? cold[i] : warm[i], values[i]);

      /* The reference runs between Orderly's warm runs, in the same
       * minutes (its first run warms it up). */
      if (!is_cold && floor != NULL)
        for (guint f = r == runs + 1 ? 0 : 1; f < 2; f++)
          {
            if (!launch_once (floor, database, values, NULL, &error))
              {
                g_printerr ("bench-app: %s: %s\n", floor, error->message);
                g_clear_error (&error);
                break;
              }
            if (f == 0)
              continue;
            g_array_append_val (floor_exec, values[FIG_FIRST_FRAME_EXEC]);
            g_array_append_val (floor_cpu, values[FIG_FIRST_FRAME_CPU]);
          }
    }

  if (!ok)
    goto out;

  g_print ("\n  %-48s %16s %16s\n", "median (max)", "cold", "warm");
  for (guint i = 0; i < N_FIGURES; i++)
    {
      double scale = figures[i].kb ? 1.0 / 1024 : 1;
      const char *unit = figures[i].kb ? "MB" : "ms";

      /* The steps (and what they leave) run in the warm runs only. */
      if (i >= FIG_RSS_STEPS)
        g_print ("  %-48s %16s %7.1f (%5.0f) %s\n", figures[i].label, "—",
                 median (warm[i]) * scale, maximum (warm[i]) * scale, unit);
      else
        g_print ("  %-48s %7.1f (%5.0f) %s %7.1f (%5.0f) %s\n", figures[i].label,
                 median (cold[i]) * scale, maximum (cold[i]) * scale, unit,
                 median (warm[i]) * scale, maximum (warm[i]) * scale, unit);
    }

  /* The warm runs also clicked each column header and searched. */
  g_print ("\n  In the warm runs, through the window's widgets (ORDERLY_TIMINGS_STEPS=1), one\n"
           "  step every 300 ms: the Orders page's headers and searches, then the dashboard\n"
           "  shown (built the first time), its counters and headers; \"frame\": from the\n"
           "  click or search to the end of the frame that shows its rows; \"whole\": until\n"
           "  the list has all its rows again\n");
  g_print ("  %-48s %16s\n", "median (max)", "warm");
  for (guint i = 0; i < steps->len; i++)
    {
      StepRuns *step = steps->pdata[i];

      g_print ("  %-48s %7.1f (%5.0f) ms\n", step->name, median (step->runs),
               maximum (step->runs));
      /* Building the dashboard the first time is not a click on the list. */
      if (g_str_has_suffix (step->name, "-frame-ms") &&
          !g_str_has_prefix (step->name, "step-dashboard-shown"))
        worst_step = MAX (worst_step, median (step->runs));
    }

  if (floor_exec->len > 0)
    {
      g_print ("\n  Reference in the same run: bench-app-floor, a libadwaita window with a header bar\n"
               "  and a label, the same libraries and timing code, %u warm runs between Orderly's:\n",
               floor_exec->len);
      g_print ("  %-48s %7.1f (%5.0f) ms, CPU %6.1f ms\n", "bare window, first frame from exec",
               median (floor_exec), maximum (floor_exec), median (floor_cpu));
      g_print ("  %-48s %7.1f ms = %.2f × the bare window; CPU %+.1f ms\n",
               "Orderly (warm), first frame from exec", median (warm[FIG_FIRST_FRAME_EXEC]),
               median (warm[FIG_FIRST_FRAME_EXEC]) / median (floor_exec),
               median (warm[FIG_FIRST_FRAME_CPU]) - median (floor_cpu));
    }

  g_print ("\n  Budgets (DESIGN §8), medians:\n");
  print_budget ("start to first frame (cold, from exec)",
                median (cold[FIG_FIRST_FRAME_EXEC]), FRAME_BUDGET_MS, "ms");
  print_budget ("start to first frame (warm, from exec)",
                median (warm[FIG_FIRST_FRAME_EXEC]), FRAME_BUDGET_MS, "ms");
  print_budget ("start to first frame (cold, from spawn)",
                median (cold[FIG_FIRST_FRAME_SPAWN]), FRAME_BUDGET_MS, "ms");
  print_budget ("a header, counter or search to its rows (slowest)", worst_step,
                LIST_BUDGET_MS, "ms");
  /* The warm runs end on the dashboard, after the steps. */
  print_budget ("RSS, Orders page / after the dashboard's steps",
                MAX (MAX (median (cold[FIG_RSS]), median (warm[FIG_RSS])),
                     median (warm[FIG_RSS_STEPS])) / 1024,
                RSS_BUDGET_KB / 1024, "MB");

out:
  for (guint i = 0; i < N_FIGURES; i++)
    {
      g_array_unref (cold[i]);
      g_array_unref (warm[i]);
    }
  return ok;
}

/* Part 2: the list model */

/* The rows a screen shows from @first, fetched as the view binds them. */
static double
fetch_screenful (OrdOrderListModel *model,
                 guint              first)
{
  double start = now_ms ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = first; i < n && i < first + SCREENFUL; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert (item != NULL);
    }
  return now_ms () - start;
}

typedef void (*ChangeFunc) (OrdOrderListModel *model,
                            gconstpointer      data,
                            gboolean           undo);

/* The time @change takes to show its first screenful: cold (database
 * evicted), then the median of N_WARM warm runs. */
static void
measure_change (OrdOrderListModel *model,
                const char        *database,
                ChangeFunc         change,
                gconstpointer      data,
                double            *cold,
                double            *warm)
{
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint r = 0; r <= N_WARM; r++)
    {
      double start, ms;

      change (model, data, TRUE);
      g_list_model_get_n_items (G_LIST_MODEL (model));
      if (r == 0)
        bench_evict (database);
      /* Each run a search as the first of its text (the store keeps the
       * plan of the last one until a write). */
      ord_store_forget_search_plan (ord_order_list_model_get_store (model));
      start = now_ms ();
      change (model, data, FALSE);
      fetch_screenful (model, 0);
      ms = now_ms () - start;
      if (r == 0)
        *cold = ms;
      else
        g_array_append_val (runs, ms);
    }
  *warm = median (runs);
}

typedef struct
{
  guint      status_mask;
  OrdSortKey sort;
  gboolean   descending;
} SortChange;

static void
change_sort (OrdOrderListModel *model,
             gconstpointer      data,
             gboolean           undo)
{
  const SortChange *c = data;

  ord_order_list_model_set_status_mask (model, c->status_mask);
  ord_order_list_model_set_text (model, NULL);
  if (undo)
    /* Away to another sort, so that coming back is a change. */
    ord_order_list_model_set_sort (model, (c->sort + 1) % ORD_N_SORT_KEYS, !c->descending);
  else
    ord_order_list_model_set_sort (model, c->sort, c->descending);
}

static void
change_text (OrdOrderListModel *model,
             gconstpointer      data,
             gboolean           undo)
{
  ord_order_list_model_set_status_mask (model, 0);
  ord_order_list_model_set_sort (model, ORD_SORT_CREATED, TRUE);
  ord_order_list_model_set_text (model, undo ? NULL : data);
}

/* A read at the end of the list starts building the model's anchors in a
 * thread; jumps start from them once they are there, as they do in the
 * app a moment after the first jump. The time until they are, in ms (-1:
 * they never came). */
static double
wait_for_anchors (OrdOrderListModel *model)
{
  double start = now_ms ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_autoptr(GObject) last = g_list_model_get_item (G_LIST_MODEL (model), n - 1);

  while (!ord_order_list_model_has_anchors (model))
    {
      if (now_ms () - start > 120000)
        return -1;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (500);
    }

  return now_ms () - start;
}

static void
bench_jumps (OrdOrderListModel *model,
             const char        *database,
             OrdSortKey         sort,
             gboolean           descending,
             const char        *label,
             double            *worst,
             double            *worst_warm)
{
  g_autoptr(GArray) cold = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) warm = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  guint positions[N_JUMPS];
  double build_cold, build_warm;
  guint n;

  ord_order_list_model_set_status_mask (model, 0);
  ord_order_list_model_set_text (model, NULL);
  ord_order_list_model_set_sort (model, sort, descending);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  if (n == 0)
    return;
  for (guint i = 0; i < N_JUMPS; i++)
    positions[i] = g_rand_int_range (rand, 0, n);

  bench_evict (database);
  build_cold = wait_for_anchors (model);

  for (guint i = 0; i < N_JUMPS; i++)
    {
      double ms;

      bench_evict (database);
      ms = fetch_screenful (model, positions[i]);
      g_array_append_val (cold, ms);
    }
  /* The same jumps again, rows dropped (and the anchors: built again) but
   * the database cached. */
  ord_order_list_model_refresh (model);
  build_warm = wait_for_anchors (model);
  for (guint i = 0; i < N_JUMPS; i++)
    {
      double ms = fetch_screenful (model, positions[i]);

      g_array_append_val (warm, ms);
    }

  g_print ("  %-36s median %7.2f ms, max %7.2f ms | warm: median %7.2f ms, max %7.2f ms\n",
           label, median (cold), maximum (cold), median (warm), maximum (warm));
  g_print ("  %-36s anchors built in %.0f ms cold, %.0f ms warm (in a thread; jumps until "
           "then read at their offset)\n", "", build_cold, build_warm);
  *worst = MAX (*worst, maximum (cold));
  *worst_warm = MAX (*worst_warm, maximum (warm));
}

static gboolean
bench_store (const char *database)
{
  static const char *sort_names[ORD_N_SORT_KEYS] = {
    "created", "due", "total", "number", "customer", "items",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(OrdOrderListModel) model = NULL;
  double worst_sort = 0, worst_search = 0, worst_jump = 0, start, open_ms;
  double warm_sort = 0, warm_search = 0, warm_jump = 0;

  store = ord_store_new (database, &error);
  if (store == NULL)
    {
      g_printerr ("bench-app: %s\n", error->message);
      return FALSE;
    }

  g_print ("\nThe dashboard's list (OrdOrderListModel in this process), first %d rows;\n"
           "cold = database dropped from the page cache first, warm = median of %d\n",
           SCREENFUL, N_WARM);

  bench_evict (database);
  start = now_ms ();
  model = ord_order_list_model_new (store);
  fetch_screenful (model, 0);
  open_ms = now_ms () - start;
  g_print ("  %-36s %8.2f ms cold (%u orders)\n", "new model, created desc", open_ms,
           g_list_model_get_n_items (G_LIST_MODEL (model)));

  for (guint pending = 0; pending <= 1; pending++)
    {
      g_print ("  %s\n", pending ? "pending orders:" : "all orders:");
      for (guint key = 0; key < ORD_N_SORT_KEYS; key++)
        for (int desc = 1; desc >= 0; desc--)
          {
            SortChange c = { pending ? 1u << ORD_STATUS_PENDING : 0, key, desc };
            g_autofree char *label = g_strdup_printf ("sort by %s %s", sort_names[key],
                                                      desc ? "desc" : "asc");
            double cold = -1, warm = -1;

            measure_change (model, database, change_sort, &c, &cold, &warm);
            g_print ("    %-34s %8.2f ms cold %8.2f ms warm  (%u rows)\n", label, cold, warm,
                     g_list_model_get_n_items (G_LIST_MODEL (model)));
            worst_sort = MAX (worst_sort, cold);
            warm_sort = MAX (warm_sort, warm);
          }
    }

  g_print ("  search, newest first:\n");
  for (guint i = 0; i < G_N_ELEMENTS (search_words); i++)
    {
      g_autofree char *label = g_strdup_printf ("“%s”", search_words[i]);
      double cold = -1, warm = -1;

      measure_change (model, database, change_text, search_words[i], &cold, &warm);
      g_print ("    %-34s %8.2f ms cold %8.2f ms warm  (%u orders)\n", label, cold, warm,
               g_list_model_get_n_items (G_LIST_MODEL (model)));
      worst_search = MAX (worst_search, cold);
      warm_search = MAX (warm_search, warm);
    }

  g_print ("  scroll: a screenful at %d random positions (cold: database dropped before "
           "each)\n", N_JUMPS);
  bench_jumps (model, database, ORD_SORT_CREATED, TRUE, "created desc", &worst_jump,
               &warm_jump);
  bench_jumps (model, database, ORD_SORT_CUSTOMER, FALSE, "customer asc", &worst_jump,
               &warm_jump);
  bench_jumps (model, database, ORD_SORT_TOTAL, TRUE, "total desc", &worst_jump, &warm_jump);

  g_print ("\n  Budgets (DESIGN §8), worst case (scroll: the slowest of the jumps):\n");
  print_budget ("first rows, any sort, all or pending (warm)", warm_sort, LIST_BUDGET_MS, "ms");
  print_budget ("first rows, any sort, all or pending (cold)", worst_sort, LIST_BUDGET_MS, "ms");
  print_budget ("search, first rows (warm)", warm_search, LIST_BUDGET_MS, "ms");
  print_budget ("search, first rows (cold)", worst_search, LIST_BUDGET_MS, "ms");
  print_budget ("scroll jump, a screenful (warm)", warm_jump, LIST_BUDGET_MS, "ms");
  print_budget ("scroll jump, a screenful (cold)", worst_jump, LIST_BUDGET_MS, "ms");
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *orderly = NULL;
  g_autofree char *floor = NULL;
  g_autofree char *self_dir = NULL;
  g_autofree char *load = NULL;
  gboolean no_launch = FALSE, no_store = FALSE;
  int runs = 5;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Start-ups of each kind (default 5)", "N" },
    { "orderly", 0, 0, G_OPTION_ARG_FILENAME, &orderly, "The orderly program", "PATH" },
    { "floor", 0, 0, G_OPTION_ARG_FILENAME, &floor,
      "The reference window (default: bench-app-floor beside this program)", "PATH" },
    { "no-launch", 0, 0, G_OPTION_ARG_NONE, &no_launch, "Skip the start-up part", NULL },
    { "no-store", 0, 0, G_OPTION_ARG_NONE, &no_store, "Skip the list part", NULL },
    { NULL }
  };
  const char *database;
  GStatBuf st;
  gboolean ok = TRUE;

  setlocale (LC_ALL, "");
  context = g_option_context_new ("DATABASE");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || runs < 1)
    {
      g_printerr ("%s\n", error ? error->message : "usage: bench-app [OPTION…] DATABASE");
      return 2;
    }
  database = argv[1];
  if (g_stat (database, &st) != 0)
    {
      g_printerr ("bench-app: %s does not exist (tests/bench/bench-app.sh makes one)\n",
                  database);
      return 2;
    }
  self_dir = g_path_get_dirname (argv[0]);
  if (orderly == NULL)
    orderly = g_build_filename (self_dir, "..", "..", "src", "ui", "orderly", NULL);
  if (floor == NULL)
    floor = g_build_filename (self_dir, "bench-app-floor", NULL);
  if (!g_file_test (floor, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("bench-app: no reference window at %s; start-up figures without it\n", floor);
      g_clear_pointer (&floor, g_free);
    }

  /* The load averages: the first three fields of /proc/loadavg. */
  if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
    {
      char *end = load;

      for (guint i = 0; i < 3 && end != NULL; i++)
        end = strchr (end + 1, ' ');
      if (end != NULL)
        *end = '\0';
    }
  g_print ("bench-app: %s (%.1f MB), %u CPUs, load %s\n", database,
           st.st_size / (1024.0 * 1024.0), g_get_num_processors (), load ? load : "?");

  /* Opening migrates an older database once, before anything is timed. */
  {
    g_autoptr(OrdStore) store = ord_store_new (database, &error);
    OrdOrderQuery all = { 0, };

    if (store == NULL)
      {
        g_printerr ("bench-app: %s\n", error->message);
        return 1;
      }
    g_print ("  %" G_GINT64_FORMAT " orders, schema version %d\n",
             ord_store_count_orders (store, &all, NULL), ord_store_get_schema_version (store));
  }

  if (!no_launch)
    ok = bench_launch (orderly, floor, database, runs) && ok;
  if (!no_store)
    ok = bench_store (database) && ok;

  return ok ? 0 : 1;
}
