/* test-window.c: the main window on empty, filled and broken databases
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ord-application.h"
#include "ord-cell-text.h"
#include "ord-ui-format.h"
#include "ord-window-private.h"
#include "ui-test-util.h"

static OrdWindow *
open_window (OrdStore  *store,
             GSettings *settings)
{
  g_autoptr(OrdContext) context = ord_context_new (store, settings);
  OrdWindow *window = ord_window_new (NULL, context);

  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static void
close_window (OrdWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* The rows the column view has now. */
static guint
view_rows (OrdWindow *window)
{
  GtkSelectionModel *model = gtk_column_view_get_model (window->column_view);

  return g_list_model_get_n_items (G_LIST_MODEL (model));
}

static void wait_for_whole_list (OrdWindow *window);

/* The rows a user can scroll through once the window is shown. */
static guint
shown_rows (OrdWindow *window)
{
  wait_for_whole_list (window);

  return view_rows (window);
}

/* Runs frames until the window's list has all its rows. */
static void
wait_for_whole_list (OrdWindow *window)
{
  for (guint i = 0; i < 10 && !ord_window_is_list_whole (window); i++)
    ui_test_wait_frame (GTK_WIDGET (window));
  g_assert_true (ord_window_is_list_whole (window));
}

static gboolean
action_enabled (OrdWindow  *window,
                const char *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (window), name);
}

static void
test_empty (void)
{
  UiTestDb db;
  OrdWindow *window;

  ui_test_db_init (&db);
  window = open_window (db.store, NULL);

  g_assert_cmpstr (ord_window_get_page (window), ==, "empty");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->empty_page)));
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (window->window_title), ==, "");
  g_assert_true (action_enabled (window, "demo"));
  g_assert_true (action_enabled (window, "import"));
  g_assert_false (action_enabled (window, "export"));

  close_window (window);
  ui_test_db_clear (&db);
}

static void
test_filled (void)
{
  UiTestDb db;
  OrdWindow *window;

  ui_test_db_init (&db);
  ui_test_db_fill (&db, 1200);
  window = open_window (db.store, NULL);

  g_assert_cmpstr (ord_window_get_page (window), ==, "list");
  /* The first frame gets a screenful of rows, the list all of them right
   * after it. */
  g_assert_cmpuint (view_rows (window), >, 20);
  g_assert_cmpuint (view_rows (window), <, 200);
  g_assert_false (ord_window_is_list_whole (window));
  wait_for_whole_list (window);
  g_assert_cmpuint (shown_rows (window), ==, 1200);
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (window->window_title), ==, "1200 orders");
  g_assert_false (action_enabled (window, "demo"));
  g_assert_true (action_enabled (window, "export"));

  /* Newest first until a column says otherwise. */
  g_assert_cmpint (ord_order_list_model_get_sort (ord_window_get_model (window)), ==,
                   ORD_SORT_CREATED);
  g_assert_true (ord_order_list_model_get_descending (ord_window_get_model (window)));

  close_window (window);
  ui_test_db_clear (&db);
}

/* The Orders page's sortable columns and the store's keys they sort by. */
static const struct
{
  gsize      offset;   /* of the column in OrdWindow */
  OrdSortKey key;
} sort_columns[] = {
  { G_STRUCT_OFFSET (OrdWindow, number_column), ORD_SORT_NUMBER },
  { G_STRUCT_OFFSET (OrdWindow, customer_column), ORD_SORT_CUSTOMER },
  { G_STRUCT_OFFSET (OrdWindow, created_column), ORD_SORT_CREATED },
  { G_STRUCT_OFFSET (OrdWindow, total_column), ORD_SORT_TOTAL },
};

/* Clicking a header sorts in the store by that column's key. */
static void
test_sort_columns (void)
{
  UiTestDb db;
  OrdWindow *window;
  OrdOrderListModel *model;

  ui_test_db_init (&db);
  ui_test_db_fill (&db, 300);
  window = open_window (db.store, NULL);
  model = ord_window_get_model (window);

  for (guint i = 0; i < G_N_ELEMENTS (sort_columns); i++)
    {
      GtkColumnViewColumn *column = G_STRUCT_MEMBER (GtkColumnViewColumn *, window,
                                                     sort_columns[i].offset);

      gtk_column_view_sort_by_column (window->column_view, column, GTK_SORT_ASCENDING);
      g_assert_cmpint (ord_order_list_model_get_sort (model), ==, sort_columns[i].key);
      g_assert_false (ord_order_list_model_get_descending (model));

      gtk_column_view_sort_by_column (window->column_view, column, GTK_SORT_DESCENDING);
      g_assert_cmpint (ord_order_list_model_get_sort (model), ==, sort_columns[i].key);
      g_assert_true (ord_order_list_model_get_descending (model));
      g_assert_cmpuint (shown_rows (window), ==, 300);
    }

  /* Status is not a sort key of the store: it has no sorter. */
  g_assert_null (gtk_column_view_column_get_sorter (window->status_column));

  close_window (window);
  ui_test_db_clear (&db);
}

typedef struct
{
  const char *expected;
  gboolean    searched;
} SearchWait;

static void
on_notify_text (OrdOrderListModel *model,
                GParamSpec        *pspec,
                SearchWait        *wait)
{
  const char *text = ord_order_list_model_get_text (model);

  wait->searched = g_strcmp0 (text ? text : "", wait->expected) == 0;
}

/* Types into the search entry and waits for the list to search: the entry
 * waits a moment after typing (and searches at once for an empty text on
 * the way, as set_text() clears before inserting). */
static void
search_for (OrdWindow  *window,
            const char *text)
{
  SearchWait wait = { text, FALSE };
  gulong id;

  id = g_signal_connect (ord_window_get_model (window), "notify::text",
                         G_CALLBACK (on_notify_text), &wait);
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), text);
  ui_test_wait_for (&wait.searched, 5000);
  g_signal_handler_disconnect (ord_window_get_model (window), id);
}

static void
count_emptied (guint             *emptied,
               GParamSpec        *pspec,
               OrdOrderListModel *model)
{
  const char *text = ord_order_list_model_get_text (model);

  *emptied += text == NULL || text[0] == '\0';
}

static void
test_search (void)
{
  g_autofree char *subtitle = NULL;
  UiTestDb db;
  OrdWindow *window;

  ui_test_db_init (&db);
  ui_test_db_fill (&db, 1000);
  window = open_window (db.store, NULL);

  g_action_group_activate_action (G_ACTION_GROUP (window), "search", NULL);
  g_assert_true (gtk_search_bar_get_search_mode (window->search_bar));

  search_for (window, "quillfeather");
  g_assert_cmpuint (shown_rows (window), ==, db.n_rare);
  g_assert_cmpstr (ord_window_get_page (window), ==, "list");
  subtitle = g_strdup_printf ("%u of 1000 orders", db.n_rare);
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (window->window_title), ==, subtitle);

  /* Typing over the search does not show every order on the way. */
  {
    guint emptied = 0;
    gulong id = g_signal_connect_swapped (ord_window_get_model (window), "notify::text",
                                          G_CALLBACK (count_emptied), &emptied);

    search_for (window, "nothing like this");
    g_signal_handler_disconnect (ord_window_get_model (window), id);
    g_assert_cmpuint (emptied, ==, 0);
  }
  g_assert_cmpuint (shown_rows (window), ==, 0);
  g_assert_cmpstr (ord_window_get_page (window), ==, "no-results");

  /* Emptied for good, it shows every order by the next frame. */
  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "");
  ui_test_wait_frame (GTK_WIDGET (window));
  g_assert_null (ord_order_list_model_get_text (ord_window_get_model (window)));
  g_assert_cmpuint (shown_rows (window), ==, 1000);
  search_for (window, "nothing like this");
  g_assert_cmpuint (shown_rows (window), ==, 0);

  /* Closing the search shows every order again. */
  gtk_search_bar_set_search_mode (window->search_bar, FALSE);
  g_assert_null (ord_order_list_model_get_text (ord_window_get_model (window)));
  g_assert_cmpuint (shown_rows (window), ==, 1000);
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (window->window_title), ==, "1000 orders");

  close_window (window);
  ui_test_db_clear (&db);
}

typedef gboolean (*WidgetMatch) (GtkWidget *widget);

/* The widgets under @widget that @match, in order (not under one of them). */
static void
collect_widgets (GtkWidget   *widget,
                 WidgetMatch  match,
                 GPtrArray   *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (match (child))
        g_ptr_array_add (found, g_object_ref (child));
      else
        collect_widgets (child, match, found);
    }
}

static GPtrArray *
find_widgets (GtkWidget   *root,
              WidgetMatch  match)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  collect_widgets (root, match, found);

  return found;
}

static gboolean
is_number_cell (GtkWidget *widget)
{
  return ORD_IS_CELL_TEXT (widget) && gtk_widget_has_css_class (widget, "order-number");
}

static gboolean
is_status_cell (GtkWidget *widget)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "status-pill");
}

static gboolean
is_shortcut (GtkWidget *widget)
{
  return GTK_IS_SHORTCUTS_SHORTCUT (widget);
}

/* The number cells the view has now. */
static GPtrArray *
number_cells (OrdWindow *window)
{
  return find_widgets (GTK_WIDGET (window->column_view), is_number_cell);
}

/* How many status cells show @status, in its style. */
static guint
count_status_cells (GtkWidget *view,
                    OrdStatus  status)
{
  g_autoptr(GPtrArray) cells = find_widgets (view, is_status_cell);
  guint n = 0;

  for (guint i = 0; i < cells->len; i++)
    n += g_strcmp0 (gtk_label_get_label (cells->pdata[i]), ord_status_get_label (status)) == 0 &&
         gtk_widget_has_css_class (cells->pdata[i], ord_status_css_class (status));

  return n;
}

/* Whether @cells show the numbers of the list's first @cells->len orders. */
static gboolean
cells_show_first_orders (OrdWindow *window,
                         GPtrArray *cells)
{
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < cells->len; i++)
    g_hash_table_add (shown, (gpointer) ord_cell_text_get_text (cells->pdata[i]));
  for (guint i = 0; i < cells->len; i++)
    {
      g_autoptr(OrdOrder) order = ord_rows_get_order (G_LIST_MODEL (window->selection), i);

      if (order == NULL || !g_hash_table_contains (shown, ord_order_get_number (order)))
        return FALSE;
    }

  return TRUE;
}

/* A new sort or search keeps the rows of widgets the view has and shows
 * the new orders in them, with nothing selected and from the top; a
 * search that shows more rows than the view has widgets for shows a
 * screenful in its first frame. */
static void
test_rows_reused (void)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(OrdOrder) first = NULL;
  UiTestDb db;
  OrdWindow *window;
  OrdOrderListModel *model;
  GtkAdjustment *vadjustment;

  ui_test_db_init (&db);
  ui_test_db_fill (&db, 1200);
  window = open_window (db.store, NULL);
  model = ord_window_get_model (window);
  wait_for_whole_list (window);
  ui_test_wait_frame (GTK_WIDGET (window));

  before = number_cells (window);
  g_assert_cmpuint (before->len, >=, 20);
  g_assert_true (cells_show_first_orders (window, before));

  /* Scrolled down, one row selected: a new sort. */
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (window->column_view));
  gtk_adjustment_set_value (vadjustment, 300);
  ui_test_wait_frame (GTK_WIDGET (window));
  gtk_selection_model_select_item (window->selection, 2, TRUE);
  gtk_column_view_sort_by_column (window->column_view, window->total_column, GTK_SORT_DESCENDING);
  g_assert_cmpint (ord_order_list_model_get_sort (model), ==, ORD_SORT_TOTAL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window->selection)), ==, 1200);
  ui_test_wait_frame (GTK_WIDGET (window));

  /* The same widgets, none destroyed, now showing the most expensive
   * orders; the row selected before is not. */
  after = number_cells (window);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    {
      g_assert_nonnull (gtk_widget_get_parent (before->pdata[i]));
      g_assert_true (g_ptr_array_find (after, before->pdata[i], NULL));
    }
  g_assert_true (cells_show_first_orders (window, after));
  first = ord_rows_get_order (G_LIST_MODEL (window->selection), 0);
  {
    g_autoptr(OrdOrder) store_first = NULL;
    g_autoptr(GPtrArray) top = NULL;
    OrdOrderQuery query = { .sort = ORD_SORT_TOTAL, .descending = TRUE };

    top = ord_store_query_orders_at (db.store, &query, 0, 1, NULL);
    g_assert_nonnull (top);
    g_assert_cmpstr (ord_order_get_id (first), ==, ord_order_get_id (top->pdata[0]));
  }
  g_assert_true (gtk_bitset_is_empty (gtk_selection_model_get_selection (window->selection)));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, gtk_adjustment_get_lower (vadjustment));

  /* A reused row follows its new order: confirmed in the store, its
   * status cell says so once the list has refreshed. */
  {
    GtkWidget *view = GTK_WIDGET (window->column_view);
    g_autoptr(OrdOrder) pending = NULL;
    guint confirmed = count_status_cells (view, ORD_STATUS_CONFIRMED);

    for (guint i = 0; i < 30 && pending == NULL; i++)
      {
        g_autoptr(OrdOrder) order = ord_rows_get_order (G_LIST_MODEL (window->selection), i);

        if (ord_order_get_status (order) == ORD_STATUS_PENDING)
          pending = g_steal_pointer (&order);
      }
    g_assert_nonnull (pending);
    g_assert_true (ord_store_set_status (db.store, ord_order_get_id (pending), ORD_STATUS_PENDING,
                                         ORD_STATUS_CONFIRMED, NULL, NULL));
    for (guint i = 0; i < 50 && count_status_cells (view, ORD_STATUS_CONFIRMED) == confirmed; i++)
      ui_test_wait_frame (GTK_WIDGET (window));
    g_assert_cmpuint (count_status_cells (view, ORD_STATUS_CONFIRMED), ==, confirmed + 1);
  }

  /* A search with few orders, then every order again: the first frame
   * gets a screenful, a key press on the list all of them at once. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "search", NULL);
  search_for (window, "quillfeather");
  g_assert_cmpuint (shown_rows (window), ==, db.n_rare);
  g_assert_cmpuint (db.n_rare, <, 20);
  gtk_search_bar_set_search_mode (window->search_bar, FALSE);
  g_assert_cmpuint (view_rows (window), >, db.n_rare);
  g_assert_cmpuint (view_rows (window), <, 200);
  g_assert_false (ord_window_is_list_whole (window));
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window->column_view));
    gboolean pressed = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
        gboolean handled = FALSE;

        if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
          {
            g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_End, 0, 0, &handled);
            pressed = TRUE;
          }
      }
    g_assert_true (pressed);
  }
  g_assert_true (ord_window_is_list_whole (window));
  g_assert_cmpuint (view_rows (window), ==, 1200);

  close_window (window);
  ui_test_db_clear (&db);
}

/* Sorts, searches (with many matches, few, one customer, none) and
 * writes to the store, in a random order from a fixed seed: after each
 * new query, the rows the view has show the query's first orders, from
 * the top, with nothing selected, and the list holds all its rows. */
static void
test_rows_random (void)
{
  static const char *const texts[] = {
    "sourdough", "butter", "grace", "grace baker", "quillfeather", "nothing like this", "",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (77);
  GtkAdjustment *vadjustment;
  OrdOrderListModel *model;
  OrdWindow *window;
  UiTestDb db;

  ui_test_db_init (&db);
  ui_test_db_fill (&db, 1500);
  window = open_window (db.store, NULL);
  model = ord_window_get_model (window);
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (window->column_view));
  wait_for_whole_list (window);
  g_action_group_activate_action (G_ACTION_GROUP (window), "search", NULL);

  for (guint step = 0; step < 40; step++)
    {
      g_autoptr(GPtrArray) cells = NULL;
      guint n;

      /* Somewhere down the list, a row selected, maybe a write. */
      gtk_adjustment_set_value (vadjustment, g_rand_double_range (rand, 0, 2000));
      ui_test_wait_frame (GTK_WIDGET (window));
      n = g_list_model_get_n_items (G_LIST_MODEL (window->selection));
      if (n > 0)
        gtk_selection_model_select_item (window->selection, g_rand_int_range (rand, 0, n), TRUE);
      if (n > 0 && g_rand_boolean (rand))
        {
          g_autoptr(OrdOrder) order = ord_rows_get_order (G_LIST_MODEL (window->selection),
                                                          g_rand_int_range (rand, 0, n));

          if (order != NULL && ord_order_get_status (order) == ORD_STATUS_PENDING)
            g_assert_true (ord_store_set_status (db.store, ord_order_get_id (order),
                                                 ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED,
                                                 NULL, NULL));
          ui_test_wait_frame (GTK_WIDGET (window));
        }

      if (g_rand_boolean (rand))
        {
          guint c = g_rand_int_range (rand, 0, G_N_ELEMENTS (sort_columns));
          GtkColumnViewColumn *column = G_STRUCT_MEMBER (GtkColumnViewColumn *, window,
                                                         sort_columns[c].offset);
          gboolean descending = g_rand_boolean (rand);

          gtk_column_view_sort_by_column (window->column_view, column,
                                          descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
          g_assert_cmpint (ord_order_list_model_get_sort (model), ==, sort_columns[c].key);
        }
      else
        {
          const char *text = texts[g_rand_int_range (rand, 0, G_N_ELEMENTS (texts))];

          if (g_strcmp0 (text, ord_order_list_model_get_text (model) ? ord_order_list_model_get_text (model) : "") == 0)
            continue;
          search_for (window, text);
        }

      /* The frame after the query: its first orders, from the top. */
      ui_test_wait_frame (GTK_WIDGET (window));
      g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==,
                         gtk_adjustment_get_lower (vadjustment));
      g_assert_true (gtk_bitset_is_empty (gtk_selection_model_get_selection (window->selection)));
      cells = number_cells (window);
      g_assert_cmpuint (cells->len, <=, g_list_model_get_n_items (G_LIST_MODEL (model)));
      g_assert_true (cells_show_first_orders (window, cells));
      g_assert_cmpuint (shown_rows (window), ==, g_list_model_get_n_items (G_LIST_MODEL (model)));
    }

  close_window (window);
  ui_test_db_clear (&db);
}

/* Ctrl+? shows the keyboard shortcuts, built when first asked for, and
 * they list every accelerator the application sets. */
static void
test_shortcuts (void)
{
  g_autoptr(OrdApplication) app = ord_application_new ();
  g_autoptr(GPtrArray) shortcuts = NULL;
  g_auto(GStrv) actions = NULL;
  g_autoptr(GError) error = NULL;
  GtkShortcutsWindow *overlay;
  UiTestDb db;
  OrdWindow *window;

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  ui_test_db_init (&db);
  {
    g_autoptr(OrdContext) context = ord_context_new (db.store, NULL);

    window = ord_window_new (GTK_APPLICATION (app), context);
  }
  gtk_window_present (GTK_WINDOW (window));

  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                  "win.show-help-overlay");

    g_assert_cmpstr (accels[0], ==, "<Control>question");
  }
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (window));

  shortcuts = find_widgets (GTK_WIDGET (overlay), is_shortcut);
  g_assert_cmpuint (shortcuts->len, >, 10);
  actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    actions[i]);
      gboolean listed = FALSE;

      if (accels[0] == NULL)
        continue;
      for (guint j = 0; j < shortcuts->len && !listed; j++)
        {
          g_autofree char *action_name = NULL;
          g_autofree char *accelerator = NULL;

          g_object_get (shortcuts->pdata[j], "action-name", &action_name,
                        "accelerator", &accelerator, NULL);
          listed = g_strcmp0 (action_name, actions[i]) == 0 ||
                   (accelerator != NULL && strstr (accelerator, accels[0]) != NULL);
        }
      if (!listed)
        g_error ("the shortcuts window does not list %s (%s)", actions[i], accels[0]);
    }

  /* Shown again, the same window. */
  gtk_window_close (GTK_WINDOW (overlay));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) == overlay);

  close_window (window);
  ui_test_db_clear (&db);
}

/* A database that cannot be opened shows why, instead of crashing. */
static void
test_bad_database (void)
{
  g_autoptr(GError) error = NULL;
  /* "&" would break the status page's markup if the message went in raw. */
  g_autofree char *dir = g_dir_make_tmp ("orderly-ui-&-XXXXXX", &error);
  g_autofree char *junk = g_build_filename (dir, "junk.db", NULL);
  const char *paths[] = { dir, junk };

  g_assert_no_error (error);
  g_file_set_contents (junk, "this is not a database, just some text, long enough to be read",
                       -1, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(OrdContext) context = ord_context_open (paths[i], NULL);
      g_autofree char *display = g_filename_display_name (paths[i]);
      g_autofree char *escaped = g_markup_escape_text (display, -1);
      OrdWindow *window;
      const char *description;

      g_assert_null (ord_context_get_store (context));
      g_assert_nonnull (ord_context_get_error (context));

      window = ord_window_new (NULL, context);
      gtk_window_present (GTK_WINDOW (window));
      g_assert_cmpstr (ord_window_get_page (window), ==, "error");
      description = adw_status_page_get_description (window->error_page);
      g_assert_nonnull (strstr (description, escaped));
      g_assert_false (action_enabled (window, "import"));
      close_window (window);
    }

  g_unlink (junk);
  g_rmdir (dir);
}

typedef struct
{
  OrdWindow *window;
  gboolean   done;
} JobWait;

static gboolean
poll_job (gpointer data)
{
  JobWait *wait = data;

  wait->done = !ord_window_has_job (wait->window);

  return wait->done ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static void
wait_for_job (OrdWindow *window)
{
  JobWait wait = { window, FALSE };

  g_assert_true (ord_window_has_job (window));
  g_timeout_add (20, poll_job, &wait);
  ui_test_wait_for (&wait.done, 120000);
}

/* The empty state's button fills the database and the list appears. */
static void
test_demo_data (void)
{
  UiTestDb db;
  OrdWindow *window;

  ui_test_db_init (&db);
  window = open_window (db.store, NULL);
  g_assert_cmpstr (ord_window_get_page (window), ==, "empty");

  g_action_group_activate_action (G_ACTION_GROUP (window), "demo", NULL);
  g_assert_false (action_enabled (window, "import"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->empty_stack), ==, "progress");
  wait_for_job (window);

  g_assert_cmpstr (ord_window_get_page (window), ==, "list");
  g_assert_cmpuint (shown_rows (window), ==, 5000);
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (window->window_title), ==, "5000 orders");
  g_assert_true (action_enabled (window, "import"));

  close_window (window);
  ui_test_db_clear (&db);
}

/* What one window exports, a window on an empty database imports, with
 * the same orders in the list. */
static void
test_export_import (void)
{
  g_autoptr(GFile) csv = NULL;
  g_autofree char *csv_path = NULL;
  UiTestDb source, target;
  OrdWindow *window;

  ui_test_db_init (&source);
  ui_test_db_fill (&source, 400);
  ui_test_db_init (&target);
  csv_path = g_build_filename (target.dir, "orders.csv", NULL);
  csv = g_file_new_for_path (csv_path);

  window = open_window (source.store, NULL);
  ord_window_export_file (window, csv);
  wait_for_job (window);
  close_window (window);
  g_assert_true (g_file_test (csv_path, G_FILE_TEST_IS_REGULAR));

  window = open_window (target.store, NULL);
  g_assert_cmpstr (ord_window_get_page (window), ==, "empty");
  ord_window_import_file (window, csv);
  wait_for_job (window);
  g_assert_cmpstr (ord_window_get_page (window), ==, "list");
  g_assert_cmpuint (shown_rows (window), ==, 400);

  search_for (window, "quillfeather");
  g_assert_cmpuint (shown_rows (window), ==, source.n_rare);
  close_window (window);

  g_unlink (csv_path);
  ui_test_db_clear (&source);
  ui_test_db_clear (&target);
}

/* With the schema installed, the sort and the window size persist. */
static void
test_settings (void)
{
  g_autoptr(GSettings) settings = ord_settings_new_if_installed ();
  UiTestDb db;
  OrdWindow *window;

  if (settings == NULL)
    {
      g_test_skip ("the GSettings schema is not compiled (GSETTINGS_SCHEMA_DIR)");
      return;
    }

  ui_test_db_init (&db);
  ui_test_db_fill (&db, 100);
  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 600);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = open_window (db.store, settings);
  gtk_column_view_sort_by_column (window->column_view, window->total_column,
                                  GTK_SORT_ASCENDING);
  g_assert_cmpstr (g_settings_get_string (settings, "list-sort"), ==, "total");
  g_assert_false (g_settings_get_boolean (settings, "list-sort-descending"));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 650);
  g_object_ref (window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 650);

  /* A new window starts where the last one was left. */
  window = open_window (db.store, settings);
  g_assert_cmpint (ord_order_list_model_get_sort (ord_window_get_model (window)), ==,
                   ORD_SORT_TOTAL);
  g_assert_false (ord_order_list_model_get_descending (ord_window_get_model (window)));
  {
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    g_assert_cmpint (width, ==, 1000);
    g_assert_cmpint (height, ==, 650);
  }
  close_window (window);

  g_settings_reset (settings, "list-sort");
  g_settings_reset (settings, "list-sort-descending");
  ui_test_db_clear (&db);
}

static void
test_no_display (void)
{
  g_test_skip ("no display: run the UI tests under xvfb-run");
}

int
main (int   argc,
      char *argv[])
{
  /* Counts are checked as the C locale writes them ("1200 orders"). */
  gtk_disable_setlocale ();
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      /* build-aux/test.sh runs this suite under xvfb-run. */
      g_test_add_func ("/window/no-display", test_no_display);
      return g_test_run ();
    }
  adw_init ();

  g_test_add_func ("/window/empty", test_empty);
  g_test_add_func ("/window/filled", test_filled);
  g_test_add_func ("/window/sort-columns", test_sort_columns);
  g_test_add_func ("/window/search", test_search);
  g_test_add_func ("/window/rows-reused", test_rows_reused);
  g_test_add_func ("/window/rows-random", test_rows_random);
  g_test_add_func ("/window/shortcuts", test_shortcuts);
  g_test_add_func ("/window/bad-database", test_bad_database);
  g_test_add_func ("/window/demo-data", test_demo_data);
  g_test_add_func ("/window/export-import", test_export_import);
  g_test_add_func ("/window/settings", test_settings);

  return g_test_run ();
}
