/* ord-timings.c: start-up figures for the benchmarks, on request
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/bench/bench-app starts `orderly` with ORDERLY_TIMINGS=1 and reads
 * these lines; they are for programs, so they are neither translated nor
 * written with the locale's decimal point.
 */
#define G_LOG_DOMAIN "ord-timings"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "ord-timings.h"
#include "ord-dashboard-page.h"
#include "ord-window.h"

/* How long resident memory is left to settle after the rows are shown,
 * and how long to wait for rows in a window that may never show any. */
#define SETTLE_MS   1000
#define NO_ROWS_MS  3000

typedef struct
{
  GtkWindow     *window;   /* weak */
  GdkFrameClock *clock;    /* owned */
  gulong         paint_handler;
  guint          timeout_id;
  guint          frame_seen : 1;
  guint          rows_seen : 1;
  guint          step_painted : 1;
  guint          step;          /* ORDERLY_TIMINGS_STEPS: the one running */
  gint64         step_start_us;
} Watch;

static gint64 process_start_us;

static gint64
monotonic_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* As early as this program's own code can run: before main(), after the
 * dynamic loader. */
__attribute__ ((constructor)) static void
record_process_start (void)
{
  process_start_us = monotonic_us ();
}

gboolean
ord_timings_enabled (void)
{
  return g_strcmp0 (g_getenv ("ORDERLY_TIMINGS"), "1") == 0;
}

static void
print_figure (const char *name,
              double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  fprintf (stderr, "orderly-timing %s %s\n", name,
           g_ascii_formatd (buffer, sizeof buffer, "%.1f", value));
  fflush (stderr);
}

static double
since_start_ms (void)
{
  return (monotonic_us () - process_start_us) / 1000.0;
}

/**
 * ord_timings_mark:
 * @name: what has just happened, as "window-built"
 *
 * With ORDERLY_TIMINGS=1, prints "orderly-timing mark-NAME-ms" since
 * process start: the steps of a start-up, for finding where it goes.
 */
void
ord_timings_mark (const char *name)
{
  g_autofree char *figure = NULL;

  if (!ord_timings_enabled ())
    return;
  figure = g_strdup_printf ("mark-%s-ms", name);
  print_figure (figure, since_start_ms ());
}

/* Milliseconds since the kernel started the process (field 22 of
 * /proc/self/stat, in clock ticks since boot); -1 when unknown. */
static double
since_exec_ms (void)
{
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;
  struct timespec now;
  double ticks;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL))
    return -1;
  /* The name in parentheses may hold spaces: count fields after it. */
  after_name = strrchr (stat, ')');
  if (after_name == NULL)
    return -1;
  fields = g_strsplit (after_name + 2, " ", 0);
  if (g_strv_length (fields) < 20)
    return -1;
  ticks = g_ascii_strtod (fields[19], NULL);
  clock_gettime (CLOCK_BOOTTIME, &now);
  return (now.tv_sec + now.tv_nsec / 1e9 - ticks / sysconf (_SC_CLK_TCK)) * 1000.0;
}

/* CPU time of the whole process (every thread) so far, in ms. */
static double
cpu_ms (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return -1;
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

/* VmRSS / VmHWM of /proc/self/status, in kB; -1 when unknown. */
static double
status_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, key);
  if (line == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (key), NULL);
}

static gboolean
window_shows_rows (GtkWindow *window)
{
  OrdOrderListModel *model;

  if (window == NULL || !ORD_IS_WINDOW (window))
    return FALSE;
  model = ord_window_get_model (ORD_WINDOW (window));
  return model != NULL && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0;
}

static void
watch_free (Watch *watch)
{
  g_clear_signal_handler (&watch->paint_handler, watch->clock);
  g_clear_object (&watch->clock);
  g_clear_handle_id (&watch->timeout_id, g_source_remove);
  g_clear_weak_pointer (&watch->window);
  g_free (watch);
}

static void
finish (Watch *watch)
{
  GApplication *application = g_application_get_default ();
  g_autoptr(GtkWindow) window = watch->window ? g_object_ref (watch->window) : NULL;

  print_figure ("done", 1);
  /* Before the window goes: its frame clock drops every handler then. */
  watch_free (watch);

  if (g_strcmp0 (g_getenv ("ORDERLY_TIMINGS_QUIT"), "1") == 0)
    {
      if (application != NULL && g_action_group_has_action (G_ACTION_GROUP (application), "quit"))
        g_action_group_activate_action (G_ACTION_GROUP (application), "quit", NULL);
      else if (window != NULL)
        gtk_window_close (window);
    }
}

/* ORDERLY_TIMINGS_STEPS=1: what a click on a column header or a search
 * costs until its rows are on the screen, through the window's widgets. */
typedef enum
{
  STEP_SORT,          /* the Orders page by @key */
  STEP_SEARCH,        /* for @text (NULL: none) */
  STEP_DASHBOARD,     /* shows the dashboard, built the first time */
  STEP_FILTER,        /* the dashboard's counter @text */
  STEP_DASHBOARD_SORT /* the dashboard by @key */
} StepKind;

typedef struct
{
  const char *name;
  StepKind    kind;
  OrdSortKey  key;
  gboolean    descending;
  const char *text;
} Step;

static const Step steps[] = {
  { "sort-number-asc", STEP_SORT, ORD_SORT_NUMBER, FALSE, NULL },
  { "sort-number-desc", STEP_SORT, ORD_SORT_NUMBER, TRUE, NULL },
  { "sort-customer-asc", STEP_SORT, ORD_SORT_CUSTOMER, FALSE, NULL },
  { "sort-customer-desc", STEP_SORT, ORD_SORT_CUSTOMER, TRUE, NULL },
  { "sort-total-asc", STEP_SORT, ORD_SORT_TOTAL, FALSE, NULL },
  { "sort-total-desc", STEP_SORT, ORD_SORT_TOTAL, TRUE, NULL },
  { "sort-created-asc", STEP_SORT, ORD_SORT_CREATED, FALSE, NULL },
  { "sort-created-desc", STEP_SORT, ORD_SORT_CREATED, TRUE, NULL },
  { "search-meyer", STEP_SEARCH, 0, FALSE, "Meyer" },
  { "search-sourdough", STEP_SEARCH, 0, FALSE, "sourdough" },
  { "search-anna-muller", STEP_SEARCH, 0, FALSE, "anna müller" },
  { "search-number", STEP_SEARCH, 0, FALSE, "T1-999975" },
  { "search-cleared", STEP_SEARCH, 0, FALSE, NULL },
  { "dashboard-shown", STEP_DASHBOARD, 0, FALSE, NULL },
  { "dashboard-pending", STEP_FILTER, 0, FALSE, "pending" },
  { "dashboard-pending-total-desc", STEP_DASHBOARD_SORT, ORD_SORT_TOTAL, TRUE, NULL },
  { "dashboard-pending-due-asc", STEP_DASHBOARD_SORT, ORD_SORT_DUE, FALSE, NULL },
  { "dashboard-all", STEP_FILTER, 0, FALSE, "all" },
  { "dashboard-all-customer-asc", STEP_DASHBOARD_SORT, ORD_SORT_CUSTOMER, FALSE, NULL },
};

/* Between steps: whatever a step left to do is done. */
#define STEP_PAUSE_MS 300

static gboolean run_step (gpointer user_data);

static void
on_step_paint (GdkFrameClock *clock,
               Watch         *watch)
{
  const Step *step = &steps[watch->step];
  g_autofree char *frame = g_strdup_printf ("step-%s-frame-ms", step->name);
  g_autofree char *whole = g_strdup_printf ("step-%s-whole-ms", step->name);
  double ms = (monotonic_us () - watch->step_start_us) / 1000.0;

  if (!watch->step_painted)
    {
      watch->step_painted = TRUE;
      print_figure (frame, ms);
    }
  if (watch->window == NULL || !ord_window_is_list_whole (ORD_WINDOW (watch->window)) ||
      (step->kind != STEP_SORT && step->kind != STEP_SEARCH &&
       !ord_dashboard_page_is_list_whole (ord_window_get_dashboard (ORD_WINDOW (watch->window)))))
    return;

  print_figure (whole, ms);
  g_clear_signal_handler (&watch->paint_handler, watch->clock);
  watch->step++;
  watch->timeout_id = g_timeout_add (STEP_PAUSE_MS, run_step, watch);
}

static gboolean
run_step (gpointer user_data)
{
  Watch *watch = user_data;
  const Step *step;

  watch->timeout_id = 0;
  if (watch->step >= G_N_ELEMENTS (steps) || watch->window == NULL)
    {
      /* Memory once the dashboard has been shown and searched. */
      print_figure ("rss-steps-kb", status_kb ("VmRSS:"));
      print_figure ("rss-steps-peak-kb", status_kb ("VmHWM:"));
      print_figure ("rss-steps-anon-kb", status_kb ("RssAnon:"));
      print_figure ("rss-steps-file-kb", status_kb ("RssFile:"));
      finish (watch);
      return G_SOURCE_REMOVE;
    }

  step = &steps[watch->step];
  watch->step_painted = FALSE;
  watch->paint_handler = g_signal_connect (watch->clock, "after-paint",
                                           G_CALLBACK (on_step_paint), watch);
  watch->step_start_us = monotonic_us ();
  switch (step->kind)
    {
    case STEP_SEARCH:
      ord_window_search (ORD_WINDOW (watch->window), step->text);
      break;
    case STEP_DASHBOARD:
      g_action_group_activate_action (G_ACTION_GROUP (watch->window), "show-page",
                                      g_variant_new_string ("dashboard"));
      break;
    case STEP_FILTER:
      gtk_widget_activate_action (GTK_WIDGET (ord_window_get_dashboard (ORD_WINDOW (watch->window))),
                                  "dashboard.filter", "s", step->text);
      break;
    case STEP_DASHBOARD_SORT:
      ord_dashboard_page_sort_by (ord_window_get_dashboard (ORD_WINDOW (watch->window)),
                                  step->key, step->descending);
      break;
    case STEP_SORT:
    default:
      ord_window_sort_by (ORD_WINDOW (watch->window), step->key, step->descending);
      break;
    }

  return G_SOURCE_REMOVE;
}

static gboolean
on_settled (gpointer user_data)
{
  Watch *watch = user_data;

  watch->timeout_id = 0;
  print_figure ("rss-kb", status_kb ("VmRSS:"));
  print_figure ("rss-peak-kb", status_kb ("VmHWM:"));
  /* Heap and stacks, against files mapped (mostly shared libraries). */
  print_figure ("rss-anon-kb", status_kb ("RssAnon:"));
  print_figure ("rss-file-kb", status_kb ("RssFile:"));

  if (g_strcmp0 (g_getenv ("ORDERLY_TIMINGS_STEPS"), "1") == 0 && watch->rows_seen &&
      watch->window != NULL && ORD_IS_WINDOW (watch->window))
    {
      g_clear_signal_handler (&watch->paint_handler, watch->clock);
      return run_step (watch);
    }

  finish (watch);
  return G_SOURCE_REMOVE;
}

static void
on_after_paint (GdkFrameClock *clock,
                Watch         *watch)
{
  if (!watch->frame_seen)
    {
      watch->frame_seen = TRUE;
      print_figure ("first-frame-ms", since_start_ms ());
      print_figure ("first-frame-exec-ms", since_exec_ms ());
      print_figure ("first-frame-cpu-ms", cpu_ms ());
      watch->timeout_id = g_timeout_add (NO_ROWS_MS, on_settled, watch);
    }

  if (!watch->rows_seen && window_shows_rows (watch->window))
    {
      watch->rows_seen = TRUE;
      print_figure ("first-rows-ms", since_start_ms ());
      g_clear_handle_id (&watch->timeout_id, g_source_remove);
      watch->timeout_id = g_timeout_add (SETTLE_MS, on_settled, watch);
    }
  else if (watch->rows_seen && watch->window != NULL &&
           ord_window_is_list_whole (ORD_WINDOW (watch->window)))
    {
      /* The frame that built the rest of the list's rows. */
      print_figure ("list-whole-ms", since_start_ms ());
      g_clear_signal_handler (&watch->paint_handler, watch->clock);
    }
}

static void
start_watching (GtkWidget *widget,
                Watch     *watch)
{
  g_signal_handlers_disconnect_by_func (widget, start_watching, watch);
  watch->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  watch->paint_handler = g_signal_connect (watch->clock, "after-paint",
                                           G_CALLBACK (on_after_paint), watch);
}

/**
 * ord_timings_watch_window:
 * @window: the main window, just presented
 *
 * With ORDERLY_TIMINGS=1, reports when @window first paints, when it first
 * shows orders and how much memory the process then holds. Only the first
 * window of the process is watched.
 */
void
ord_timings_watch_window (GtkWindow *window)
{
  static gboolean watched = FALSE;
  Watch *watch;

  g_return_if_fail (GTK_IS_WINDOW (window));

  if (watched || !ord_timings_enabled ())
    return;
  watched = TRUE;
  /* What came before (opening the database, building the window) against
   * what comes after (layout, first rows, painting). */
  print_figure ("window-presented-ms", since_start_ms ());

  watch = g_new0 (Watch, 1);
  g_set_weak_pointer (&watch->window, window);
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    start_watching (GTK_WIDGET (window), watch);
  else
    g_signal_connect (window, "realize", G_CALLBACK (start_watching), watch);
}
