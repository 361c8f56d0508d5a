/* ord-window-jobs.c: import, export and demo data, off the main thread
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ord-demo.h"
#include "ord-import.h"
#include "ord-window-private.h"

/*
 * A job runs in a GTask thread with its own OrdStore on the same file
 * (SQLite in WAL mode lets the window keep reading meanwhile). The thread
 * reports progress into an atomic the main thread polls, so a fast job
 * cannot flood the main loop. One job at a time per window; closing the
 * window cancels it, and what was committed stays.
 */

/* The demo shop: always the same, so that screenshots and help pages match. */
#define DEMO_N_ORDERS 5000
#define DEMO_SEED     20240501

typedef enum
{
  JOB_IMPORT,
  JOB_EXPORT,
  JOB_DEMO,
} JobKind;

struct _OrdJob
{
  JobKind          kind;
  char            *db_path;
  GFile           *file;
  GApplication    *application;   /* held while the job runs */
  int              progress;      /* atomic, in 1/10000 */
  OrdImportReport *report;        /* import: the result */
  gint64           n_orders;      /* export, demo: how many */
};

/* Numbers go into messages as text: a translatable string cannot hold
 * G_GINT64_FORMAT, and "%'" groups the digits as the locale does. */
static char *
format_number (gint64 n)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

static void
job_free (gpointer data)
{
  OrdJob *job = data;

  if (job->application != NULL)
    {
      g_application_release (job->application);
      g_object_unref (job->application);
    }
  g_clear_pointer (&job->report, ord_import_report_free);
  g_clear_object (&job->file);
  g_free (job->db_path);
  g_free (job);
}

static void
job_progress_cb (double   fraction,
                 gpointer user_data)
{
  OrdJob *job = user_data;

  g_atomic_int_set (&job->progress, (int) (CLAMP (fraction, 0.0, 1.0) * 10000));
}

static gboolean
import_run (OrdJob        *job,
            OrdStore      *store,
            GCancellable  *cancellable,
            GError       **error)
{
  job->report = ord_import_file (store, job->file, ORD_IMPORT_FORMAT_AUTO,
                                 job_progress_cb, job, cancellable, error);

  return job->report != NULL;
}

static gboolean
export_run (OrdJob        *job,
            OrdStore      *store,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GFileOutputStream) file_out = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GCancellable) abandon = NULL;
  gboolean existed;

  job->n_orders = ord_store_count_orders (store, NULL, error);
  if (job->n_orders < 0)
    return FALSE;

  existed = g_file_query_exists (job->file, cancellable);
  file_out = g_file_replace (job->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                             cancellable, error);
  if (file_out == NULL)
    return FALSE;
  out = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (file_out), 64 * 1024);

  if (ord_export_orders (store, NULL, out, job_progress_cb, job, cancellable, error) &&
      g_output_stream_close (out, cancellable, error))
    return TRUE;

  /* Closing with a cancelled cancellable keeps a replaced file as it was;
   * a file that did not exist before goes away. */
  abandon = g_cancellable_new ();
  g_cancellable_cancel (abandon);
  g_output_stream_close (out, abandon, NULL);
  if (!existed)
    g_file_delete (job->file, NULL, NULL);

  return FALSE;
}

static gboolean
demo_run (OrdJob        *job,
          OrdStore      *store,
          GCancellable  *cancellable,
          GError       **error)
{
  OrdDemoOptions options = {
    .n_orders = DEMO_N_ORDERS,
    .seed = DEMO_SEED,
  };

  job->n_orders = DEMO_N_ORDERS;

  return ord_demo_generate (store, &options, job_progress_cb, job, cancellable, error);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  OrdJob *job = task_data;
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;

  store = ord_store_new_full (job->db_path,
                              job->kind == JOB_EXPORT ? ORD_STORE_FLAGS_READ_ONLY
                                                      : ORD_STORE_FLAGS_NONE,
                              &error);
  if (store != NULL)
    {
      switch (job->kind)
        {
        case JOB_IMPORT:
          ok = import_run (job, store, cancellable, &error);
          break;

        case JOB_EXPORT:
          ok = export_run (job, store, cancellable, &error);
          break;

        case JOB_DEMO:
          ok = demo_run (job, store, cancellable, &error);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The work stopped without saying why"));
}

static gboolean
job_tick_cb (gpointer user_data)
{
  OrdWindow *self = user_data;
  double fraction;

  if (self->job == NULL)
    {
      self->job_tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  fraction = g_atomic_int_get (&self->job->progress) / 10000.0;
  gtk_progress_bar_set_fraction (self->job_progress, fraction);
  gtk_progress_bar_set_fraction (self->empty_job_progress, fraction);

  return G_SOURCE_CONTINUE;
}

static void
show_job (OrdWindow  *self,
          const char *label)
{
  gboolean empty = g_strcmp0 (ord_window_get_page (self), "empty") == 0;

  gtk_label_set_label (self->job_label, label);
  gtk_label_set_label (self->empty_job_label, label);
  gtk_progress_bar_set_fraction (self->job_progress, 0.0);
  gtk_progress_bar_set_fraction (self->empty_job_progress, 0.0);

  /* On the empty page the progress takes the place of its buttons. */
  gtk_stack_set_visible_child_name (self->empty_stack, "progress");
  gtk_revealer_set_reveal_child (self->job_revealer, !empty);

  self->job_tick_id = g_timeout_add (100, job_tick_cb, self);
}

static void
hide_job (OrdWindow *self)
{
  g_clear_handle_id (&self->job_tick_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->job_revealer, FALSE);
  gtk_stack_set_visible_child_name (self->empty_stack, "buttons");
}

static void
on_problems_response (AdwMessageDialog *dialog,
                      const char       *response,
                      const char       *problems)
{
  if (g_strcmp0 (response, "copy") == 0)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (dialog)), problems);
}

static void
show_import_report (OrdWindow             *self,
                    const OrdImportReport *report)
{
  g_autofree char *n_imported = format_number (report->orders_imported);
  g_autofree char *n_skipped = format_number (report->orders_skipped);
  g_autofree char *n_rejected = format_number (report->orders_rejected);
  g_autofree char *imported = NULL;
  g_autofree char *body = NULL;
  g_autofree char *problems = NULL;
  g_autoptr(GString) shown = g_string_new (NULL);
  g_autoptr(GString) lines = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *scrolled;
  GtkWidget *label;

  imported = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s order imported",
                                           "%s orders imported", report->orders_imported),
                              n_imported);

  if (report->orders_rejected == 0 && (report->problems == NULL || report->problems->len == 0))
    {
      if (report->orders_skipped > 0)
        {
          g_autofree char *skipped = NULL;

          skipped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%s was already there",
                                                  "%s were already there",
                                                  report->orders_skipped),
                                     n_skipped);
          /* Translators: "12 orders imported, 3 were already there" */
          body = g_strdup_printf (_("%s, %s"), imported, skipped);
          ord_window_show_toast (self, body);
        }
      else
        ord_window_show_toast (self, imported);
      return;
    }

  lines = g_string_new (imported);
  if (report->orders_skipped > 0)
    {
      g_string_append_c (lines, '\n');
      g_string_append_printf (lines,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%s skipped because it was already there",
                                           "%s skipped because they were already there",
                                           report->orders_skipped),
                              n_skipped);
    }
  if (report->orders_rejected > 0)
    {
      g_string_append_c (lines, '\n');
      g_string_append_printf (lines,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%s rejected because of the problems below",
                                           "%s rejected because of the problems below",
                                           report->orders_rejected),
                              n_rejected);
    }
  body = g_string_free (g_steal_pointer (&lines), FALSE);
  /* Copied with the file's name, for a bug report or a colleague; shown
   * by line only, as the dialog is about that one file. */
  problems = ord_import_report_format_problems (report);
  for (guint i = 0; report->problems != NULL && i < report->problems->len; i++)
    {
      const OrdImportProblem *problem = g_ptr_array_index (report->problems, i);

      if (shown->len > 0)
        g_string_append_c (shown, '\n');
      /* Translators: a problem in an imported file: "Line 12: quantity “-3” must be positive" */
      g_string_append_printf (shown, _("Line %u: %s"), problem->line, problem->reason);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Import Finished With Problems"),
                                                       body));
  label = gtk_label_new (shown->str);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_yalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "import-problems");
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 240);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  gtk_widget_add_css_class (scrolled, "card");
  adw_message_dialog_set_extra_child (dialog, scrolled);

  adw_message_dialog_add_responses (dialog,
                                    "copy", _("C_opy Problems"),
                                    "close", _("_Close"),
                                    NULL);
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_problems_response),
                         g_steal_pointer (&problems), (GClosureNotify) g_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  OrdWindow *self = ORD_WINDOW (object);
  OrdJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *n = NULL;
  gboolean cancelled;

  g_task_propagate_boolean (G_TASK (result), &error);
  cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
              g_error_matches (error, ORD_STORE_ERROR, ORD_STORE_ERROR_CANCELLED);

  if (self->job == job)
    self->job = NULL;
  g_clear_object (&self->job_cancellable);

  if (self->closed)
    return;

  hide_job (self);
  if (self->model != NULL)
    ord_order_list_model_refresh (self->model);
  ord_window_update (self);

  switch (job->kind)
    {
    case JOB_IMPORT:
      if (cancelled)
        ord_window_show_toast (self,
                               _("Import cancelled; the orders imported until then are kept"));
      else if (error != NULL)
        ord_window_show_error (self, _("Could Not Import Orders"), error->message);
      else
        show_import_report (self, job->report);
      break;

    case JOB_EXPORT:
      if (cancelled)
        ord_window_show_toast (self, _("Export cancelled"));
      else if (error != NULL)
        ord_window_show_error (self, _("Could Not Export Orders"), error->message);
      else
        {
          g_autofree char *name = g_file_get_basename (job->file);

          n = format_number (job->n_orders);
          /* Translators: "5,000 orders exported to “orders.csv”" */
          message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%s order exported to “%s”",
                                                  "%s orders exported to “%s”",
                                                  (gulong) job->n_orders),
                                     n, name);
          ord_window_show_toast (self, message);
        }
      break;

    case JOB_DEMO:
      if (cancelled)
        {
          /* Whole batches were committed before the cancel was seen. */
          gint64 count = ord_store_count_orders (ord_context_get_store (self->context), NULL,
                                                 NULL);

          if (count > 0)
            {
              n = format_number (count);
              message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                      "Demo data stopped after %s order",
                                                      "Demo data stopped after %s orders",
                                                      (gulong) count),
                                         n);
              ord_window_show_toast (self, message);
            }
          else
            ord_window_show_toast (self, _("Demo data cancelled"));
        }
      else if (error != NULL)
        ord_window_show_error (self, _("Could Not Create Demo Data"), error->message);
      else
        {
          n = format_number (job->n_orders);
          message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "Demo shop created with %s order",
                                                  "Demo shop created with %s orders",
                                                  (gulong) job->n_orders),
                                     n);
          ord_window_show_toast (self, message);
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
start_job (OrdWindow  *self,
           JobKind     kind,
           GFile      *file,
           const char *label)
{
  g_autoptr(GTask) task = NULL;
  GtkApplication *application;
  OrdStore *store;
  OrdJob *job;

  g_assert (ORD_IS_WINDOW (self));

  store = ord_context_get_store (self->context);
  if (self->closed || store == NULL || self->job != NULL)
    return;

  job = g_new0 (OrdJob, 1);
  job->kind = kind;
  job->db_path = g_strdup (ord_store_get_path (store));
  g_set_object (&job->file, file);
  application = gtk_window_get_application (GTK_WINDOW (self));
  if (application != NULL)
    {
      job->application = G_APPLICATION (g_object_ref (application));
      g_application_hold (job->application);
    }

  self->job = job;
  self->job_cancellable = g_cancellable_new ();

  task = g_task_new (self, self->job_cancellable, job_done_cb, NULL);
  g_task_set_source_tag (task, start_job);
  g_task_set_name (task, "[orderly] window job");
  g_task_set_task_data (task, job, job_free);
  /* The outcome is what the thread did, even when Cancel came too late. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, job_thread);

  show_job (self, label);
  ord_window_update (self);
}

gboolean
ord_window_has_job (OrdWindow *self)
{
  g_return_val_if_fail (ORD_IS_WINDOW (self), FALSE);

  return self->job != NULL;
}

void
ord_window_cancel_job (OrdWindow *self)
{
  g_return_if_fail (ORD_IS_WINDOW (self));

  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
}

void
ord_window_import_file (OrdWindow *self,
                        GFile     *file)
{
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (ORD_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  name = g_file_get_basename (file);
  /* Translators: %s is a file name. */
  label = g_strdup_printf (_("Importing “%s”…"), name);
  start_job (self, JOB_IMPORT, file, label);
}

void
ord_window_export_file (OrdWindow *self,
                        GFile     *file)
{
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (ORD_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  name = g_file_get_basename (file);
  /* Translators: %s is a file name. */
  label = g_strdup_printf (_("Exporting to “%s”…"), name);
  start_job (self, JOB_EXPORT, file, label);
}

void
ord_window_create_demo_data (OrdWindow *self)
{
  g_return_if_fail (ORD_IS_WINDOW (self));

  start_job (self, JOB_DEMO, NULL, _("Creating a demo shop…"));
}
