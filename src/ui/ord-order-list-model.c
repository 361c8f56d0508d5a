/* ord-order-list-model.c: a virtual list of the store's orders
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-order-list-model"

#include "config.h"

#include "ord-order-list-model.h"

/*
 * The list never holds every order: it knows how many rows its query
 * selects (ord_store_count_orders(), cheap) and fetches the rows the view
 * asks for a page at a time with ord_store_query_orders_at(), keeping the
 * few most recently used pages. The store sorts and filters; nothing is
 * sorted in memory.
 *
 * One view the store cannot sort by is built on top: by status (the
 * dashboard's Status column), the rows of each status in turn, each status
 * its own store query, so positions map to (status, offset) through the
 * per-status counts.
 *
 * The model gives out one object per order while anyone holds it: a
 * reload updates that object in place, so bindings show the change and
 * selections, which follow objects, survive a refresh.
 *
 * An offset costs a walk over the rows it skips: a jump of the scroll bar
 * into a million rows walks hundreds of thousands of index entries. The
 * first read beyond the first pages starts building anchors
 * (ord_store_build_anchors()) for the query in a thread; once they are
 * there, deep reads start from the nearest one. Until then, and again
 * after every change of the store (anchors describe the rows as they
 * were), reads use the offset.
 */

/* The most pages a refresh replaces one by one, and the most that one
 * signal replaces at once (a run of neighbouring pages, so that a row
 * pushed over a page boundary is still found). */
#define MAX_PAGES_REPLACED 64
#define MAX_RUN_PAGES      4

/* Reads from this row on are worth anchors; rows between two anchors (a
 * read skips fewer index entries than that). */
#define ANCHORS_FROM  (4 * ORD_ORDER_LIST_MODEL_PAGE_SIZE)
#define ANCHORS_EVERY 1024

typedef struct
{
  guint      index;     /* first row = index × PAGE_SIZE */
  GPtrArray *orders;    /* OrdOrder */
} Page;

struct _OrdOrderListModel
{
  GObject       parent_instance;

  /* owned */
  OrdStore     *store;
  GMainContext *context;
  char         *text;
  GQueue        pages;          /* Page, most recently used first */
  GHashTable   *handed_out;     /* page index + 1 of every item given out */

  GHashTable   *live;           /* id → OrdOrder (weak): every object given out */

  gulong        changed_id;
  guint         status_mask;
  OrdSortKey    sort;
  gboolean      descending;
  gboolean      by_status;
  gint64        updated_from;
  gboolean      attention_only;
  guint         group_end[ORD_N_STATUSES];  /* by status: where each status ends */
  guint         n_items;
  int           refresh_queued; /* atomic: an idle refresh is on its way */

  /* Anchors of the current query, by the status mask of the store query
   * (by status, each status has its own); valid while the store's
   * generation is anchors_generation. */
  GHashTable   *anchors;        /* status mask → OrdOrderAnchors */
  GHashTable   *anchors_tried;  /* status masks built or being built */
  GCancellable *anchors_cancellable;
  int           generation;     /* atomic: bumped on every store change */
  int           anchors_generation;
  GMutex        builds_lock;
  GCond         builds_done;
  guint         builds_running; /* builds whose thread has not ended */
};

static void list_model_iface_init (GListModelInterface *iface);
static void drop_anchors          (OrdOrderListModel   *self);

G_DEFINE_FINAL_TYPE_WITH_CODE (OrdOrderListModel, ord_order_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_STATUS_MASK,
  PROP_SORT,
  PROP_DESCENDING,
  PROP_TEXT,
  PROP_BY_STATUS,
  PROP_UPDATED_FROM,
  PROP_ATTENTION_ONLY,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return (x > y) - (x < y);
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->orders);
  g_free (page);
}

static void
fill_query (OrdOrderListModel *self,
            OrdOrderQuery     *query)
{
  *query = (OrdOrderQuery) {
    .status_mask = self->status_mask,
    .sort = self->sort,
    .descending = self->descending,
    .text = self->text,
    .updated_from = self->updated_from,
    .attention_only = self->attention_only,
  };
}

/* The status shown @index-th when grouping by status. */
static OrdStatus
group_status (OrdOrderListModel *self,
              guint              index)
{
  return self->descending ? ORD_N_STATUSES - 1 - index : index;
}

static gboolean
shows_status (OrdOrderListModel *self,
              OrdStatus          status)
{
  return self->status_mask == 0 || (self->status_mask & (1u << status)) != 0;
}

static void
on_live_order_finalized (gpointer  data,
                         GObject  *where_the_object_was)
{
  OrdOrderListModel *self = data;

  /* Still readable: weak references are notified before finalize. */
  g_hash_table_remove (self->live, ord_order_get_id ((OrdOrder *) where_the_object_was));
}

/* The properties a row of the store fills in. */
static const char *const row_properties[] = {
  "number", "provisional-number", "customer-id", "customer-name", "status",
  "created-at", "updated-at", "due-at", "notes", "currency", "tax-rate",
  "version", "deleted", "external-ref",
};

static void
update_order (OrdOrder *order,
              OrdOrder *from)
{
  OrdTotals totals;

  g_object_freeze_notify (G_OBJECT (order));
  for (guint i = 0; i < G_N_ELEMENTS (row_properties); i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_object_get_property (G_OBJECT (from), row_properties[i], &value);
      g_object_set_property (G_OBJECT (order), row_properties[i], &value);
    }
  totals = (OrdTotals) {
    .subtotal = ord_order_get_subtotal (from),
    .discount = ord_order_get_discount (from),
    .tax = ord_order_get_tax (from),
    .total = ord_order_get_total (from),
  };
  ord_order_set_totals (order, &totals, ord_order_get_item_count (from));
  g_object_thaw_notify (G_OBJECT (order));
}

/* Replaces each freshly read order by the object already given out for
 * it, brought up to date, and remembers the new ones. */
static void
adopt_orders (OrdOrderListModel *self,
              GPtrArray         *orders)
{
  for (guint i = 0; i < orders->len; i++)
    {
      OrdOrder *order = g_ptr_array_index (orders, i);
      const char *id = ord_order_get_id (order);
      OrdOrder *known;

      if (id == NULL)
        continue;

      known = g_hash_table_lookup (self->live, id);
      if (known == order)
        continue;
      if (known != NULL)
        {
          update_order (known, order);
          g_object_unref (order);
          orders->pdata[i] = g_object_ref (known);
        }
      else
        {
          g_hash_table_insert (self->live, g_strdup (id), order);
          g_object_weak_ref (G_OBJECT (order), on_live_order_finalized, self);
        }
    }
}

static guint
count_query (OrdOrderListModel   *self,
             const OrdOrderQuery *query)
{
  g_autoptr(GError) error = NULL;
  gint64 n;

  n = ord_store_count_orders (self->store, query, &error);
  if (n < 0)
    {
      g_warning ("Could not count the orders: %s", error->message);
      return 0;
    }

  return (guint) MIN (n, (gint64) G_MAXUINT);
}

/* Counts the rows of the model's query (and, by status, where each status
 * ends). */
static guint
count_rows (OrdOrderListModel *self)
{
  OrdOrderQuery query;
  guint n = 0;

  fill_query (self, &query);

  if (!self->by_status)
    return count_query (self, &query);

  for (guint i = 0; i < ORD_N_STATUSES; i++)
    {
      OrdStatus status = group_status (self, i);

      if (shows_status (self, status))
        {
          query.status_mask = 1u << status;
          n += count_query (self, &query);
        }
      self->group_end[i] = n;
    }

  return n;
}

/* The pages handed out since the last refresh, in order. */
static GArray *
take_handed_out (OrdOrderListModel *self)
{
  g_autoptr(GList) keys = g_hash_table_get_keys (self->handed_out);
  GArray *pages = g_array_sized_new (FALSE, FALSE, sizeof (guint), g_list_length (keys));

  for (GList *l = keys; l != NULL; l = l->next)
    {
      guint index = GPOINTER_TO_UINT (l->data) - 1;

      g_array_append_val (pages, index);
    }
  g_array_sort (pages, (GCompareFunc) compare_uint);
  g_hash_table_remove_all (self->handed_out);

  return pages;
}

/*
 * Counts again, forgets the cached rows and tells the view.
 *
 * How it tells matters with a million rows. GTK 4.8's list views, given
 * one items-changed that both removes and adds rows where a row they track
 * (focus, selection, scroll anchor) sits, look for that row's item among
 * ALL the added ones: a g_list_model_get_item() for every position, here
 * thousands of queries. So:
 *
 * - a new query (sort, search, statuses) removes every row, then adds the
 *   new ones, in two signals: the view starts again at the top;
 * - the same query after the data changed (@keep_position), when the count
 *   is the same, replaces only the pages handed out since the last refresh,
 *   page by page: only those items can be in the view's hands, and the
 *   view keeps its place. A different count means rows moved in unknown
 *   places (and very many pages cost more signals than they are worth):
 *   the view starts again at the top.
 */
static void
refresh (OrdOrderListModel *self,
         gboolean           keep_position)
{
  g_autoptr(GArray) pages = NULL;
  guint old_n = self->n_items;
  guint new_n;

  g_queue_clear_full (&self->pages, page_free);
  drop_anchors (self);
  pages = take_handed_out (self);
  new_n = count_rows (self);

  /* (Past a few dozen pages, one reset costs less than many signals.) A
   * changed count changes the tail first; then the runs of pages given
   * out are replaced, where a row the view tracks is looked for again. */
  if (keep_position && pages->len <= MAX_PAGES_REPLACED)
    {
      self->n_items = new_n;
      if (new_n < old_n)
        g_list_model_items_changed (G_LIST_MODEL (self), new_n, old_n - new_n, 0);
      else if (new_n > old_n)
        g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, new_n - old_n);

      for (guint i = 0; i < pages->len;)
        {
          guint start = g_array_index (pages, guint, i);
          guint j = i + 1;
          guint first, end;

          while (j < pages->len && j - i < MAX_RUN_PAGES &&
                 g_array_index (pages, guint, j) == start + (j - i))
            j++;
          first = start * ORD_ORDER_LIST_MODEL_PAGE_SIZE;
          end = MIN ((start + (j - i)) * ORD_ORDER_LIST_MODEL_PAGE_SIZE, MIN (old_n, new_n));
          if (first < end)
            g_list_model_items_changed (G_LIST_MODEL (self), first, end - first, end - first);
          i = j;
        }

      if (old_n != new_n)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      return;
    }

  /* During each signal the model must already look as it says. */
  self->n_items = 0;
  if (old_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
  self->n_items = new_n;
  if (new_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, new_n);
  if (old_n != new_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static gboolean
refresh_idle_cb (gpointer data)
{
  g_autoptr(OrdOrderListModel) self = g_weak_ref_get (data);

  if (self != NULL)
    {
      g_atomic_int_set (&self->refresh_queued, FALSE);
      refresh (self, TRUE);
    }

  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* Coalesces a burst of changes into one refresh, in the model's own main
 * context: the store emits "changed" on the thread that wrote. */
static void
queue_refresh (OrdOrderListModel *self)
{
  g_autoptr(GSource) source = NULL;
  GWeakRef *weak;

  if (!g_atomic_int_compare_and_exchange (&self->refresh_queued, FALSE, TRUE))
    return;

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_static_name (source, "[orderly] order list refresh");
  g_source_set_callback (source, refresh_idle_cb, weak, weak_ref_free);
  g_source_attach (source, self->context);
}

static void
on_store_changed (OrdStore          *store,
                  const char        *entity,
                  const char        *id,
                  OrdOrderListModel *self)
{
  /* A renamed customer changes the orders' customer column too. The
   * anchors are stale from now on, not only once the refresh comes. */
  if (g_strcmp0 (entity, "order") == 0 || g_strcmp0 (entity, "customer") == 0)
    {
      g_atomic_int_inc (&self->generation);
      queue_refresh (self);
    }
}

/* Forgets the anchors and the builds on their way: they describe another
 * query or the store before a change. */
static void
drop_anchors (OrdOrderListModel *self)
{
  g_hash_table_remove_all (self->anchors);
  g_hash_table_remove_all (self->anchors_tried);
  if (self->anchors_cancellable != NULL)
    g_cancellable_cancel (self->anchors_cancellable);
  g_clear_object (&self->anchors_cancellable);
  self->anchors_generation = g_atomic_int_add (&self->generation, 1) + 1;
}

typedef struct
{
  OrdOrderListModel *self;        /* borrowed: dispose waits for the thread */
  OrdOrderQuery      query;
  char              *text;
  int                generation;
} AnchorsBuild;

static void
anchors_build_free (gpointer data)
{
  AnchorsBuild *build = data;

  g_free (build->text);
  g_free (build);
}

static void
anchors_build_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  AnchorsBuild *build = task_data;
  OrdOrderListModel *self = build->self;
  g_autoptr(GError) error = NULL;
  OrdOrderAnchors *anchors;

  anchors = ord_store_build_anchors (self->store, &build->query, ANCHORS_EVERY, cancellable,
                                     &error);
  if (anchors != NULL)
    g_task_return_pointer (task, anchors, (GDestroyNotify) ord_order_anchors_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));

  /* Last: from here on the model may be gone. */
  g_mutex_lock (&self->builds_lock);
  self->builds_running--;
  g_cond_broadcast (&self->builds_done);
  g_mutex_unlock (&self->builds_lock);
}

static void
anchors_build_done (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(OrdOrderListModel) self = g_weak_ref_get (weak);
  AnchorsBuild *build = g_task_get_task_data (G_TASK (result));
  g_autoptr(OrdOrderAnchors) anchors = NULL;
  g_autoptr(GError) error = NULL;

  weak_ref_free (weak);
  anchors = g_task_propagate_pointer (G_TASK (result), &error);
  if (self == NULL || build->generation != self->anchors_generation)
    return;

  /* A build that failed is not tried again before the next refresh. */
  if (anchors == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not index the list of orders: %s", error->message);
      return;
    }
  /* Built on a store that has changed since: useless. */
  if (build->generation != g_atomic_int_get (&self->generation))
    return;

  g_hash_table_insert (self->anchors, GUINT_TO_POINTER (build->query.status_mask),
                       g_steal_pointer (&anchors));
}

static void
build_anchors (OrdOrderListModel   *self,
               const OrdOrderQuery *query)
{
  g_autoptr(GTask) task = NULL;
  AnchorsBuild *build;
  GWeakRef *weak;

  if (g_hash_table_contains (self->anchors_tried, GUINT_TO_POINTER (query->status_mask)))
    return;
  g_hash_table_add (self->anchors_tried, GUINT_TO_POINTER (query->status_mask));

  if (self->anchors_cancellable == NULL)
    self->anchors_cancellable = g_cancellable_new ();

  build = g_new0 (AnchorsBuild, 1);
  build->self = self;
  build->query = *query;
  build->text = g_strdup (query->text);
  build->query.text = build->text;
  build->generation = self->anchors_generation;

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  task = g_task_new (NULL, self->anchors_cancellable, anchors_build_done, weak);
  g_task_set_source_tag (task, build_anchors);
  g_task_set_name (task, "[orderly] order list anchors");
  g_task_set_task_data (task, build, anchors_build_free);

  g_mutex_lock (&self->builds_lock);
  self->builds_running++;
  g_mutex_unlock (&self->builds_lock);
  g_task_run_in_thread (task, anchors_build_thread);
}

/* The anchors for @query, or NULL (and a build started when a deep read
 * is worth one). */
static OrdOrderAnchors *
anchors_for (OrdOrderListModel   *self,
             const OrdOrderQuery *query,
             guint                n_rows,
             guint                first)
{
  OrdOrderAnchors *anchors;

  if (first < ANCHORS_FROM || n_rows <= ANCHORS_FROM)
    return NULL;
  /* The store changed: the refresh on its way drops them. */
  if (g_atomic_int_get (&self->generation) != self->anchors_generation)
    return NULL;

  anchors = g_hash_table_lookup (self->anchors, GUINT_TO_POINTER (query->status_mask));
  if (anchors != NULL && ord_order_anchors_matches (anchors, query))
    return anchors;

  build_anchors (self, query);
  return NULL;
}

static Page *
lookup_page (OrdOrderListModel *self,
             guint              index)
{
  for (GList *l = self->pages.head; l != NULL; l = l->next)
    {
      Page *page = l->data;

      if (page->index == index)
        {
          if (l != self->pages.head)
            {
              g_queue_unlink (&self->pages, l);
              g_queue_push_head_link (&self->pages, l);
            }
          return page;
        }
    }

  return NULL;
}

/* Rows [@first, @first + @count) of @query, which selects @n_rows rows. */
static GPtrArray *
fetch_rows (OrdOrderListModel  *self,
            OrdOrderQuery      *query,
            guint               n_rows,
            guint               first,
            guint               count,
            GError            **error)
{
  OrdOrderAnchors *anchors;
  GPtrArray *orders;
  guint end = MIN (first + count, n_rows);

  if (end <= first)
    return g_ptr_array_new_with_free_func (g_object_unref);

  anchors = anchors_for (self, query, n_rows, first);
  if (anchors != NULL)
    return ord_store_query_orders_near (self->store, query, anchors, first, end - first, error);

  /* An offset costs a walk over the rows it skips: the second half of the
   * list is read backwards from its end, which halves the deepest walk. */
  if (first > n_rows / 2)
    {
      OrdOrderQuery reversed = *query;

      reversed.descending = !reversed.descending;
      orders = ord_store_query_orders_at (self->store, &reversed, n_rows - end, end - first,
                                          error);
      if (orders != NULL)
        {
          for (guint i = 0, j = orders->len; i + 1 < j; i++, j--)
            {
              gpointer tmp = orders->pdata[i];

              orders->pdata[i] = orders->pdata[j - 1];
              orders->pdata[j - 1] = tmp;
            }
        }
      return orders;
    }

  return ord_store_query_orders_at (self->store, query, first, end - first, error);
}

static GPtrArray *
fetch_page (OrdOrderListModel  *self,
            guint               first,
            guint               end,
            GError            **error)
{
  g_autoptr(GPtrArray) orders = NULL;
  OrdOrderQuery query;
  guint start = 0;

  fill_query (self, &query);

  if (!self->by_status)
    return fetch_rows (self, &query, self->n_items, first, end - first, error);

  /* The statuses the page spans, each from its own query. */
  orders = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < ORD_N_STATUSES; start = self->group_end[i], i++)
    {
      g_autoptr(GPtrArray) part = NULL;
      guint from = MAX (first, start);
      guint to = MIN (end, self->group_end[i]);

      if (from >= to)
        continue;

      query.status_mask = 1u << group_status (self, i);
      part = fetch_rows (self, &query, self->group_end[i] - start, from - start, to - from,
                         error);
      if (part == NULL)
        return NULL;
      g_ptr_array_extend_and_steal (orders, g_steal_pointer (&part));
    }

  return g_steal_pointer (&orders);
}

static Page *
load_page (OrdOrderListModel *self,
           guint              index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  guint first;
  Page *page;

  first = index * ORD_ORDER_LIST_MODEL_PAGE_SIZE;
  orders = fetch_page (self, first, MIN (first + ORD_ORDER_LIST_MODEL_PAGE_SIZE, self->n_items),
                       &error);
  if (orders == NULL)
    {
      g_warning ("Could not load orders %u to %u: %s",
                 index * ORD_ORDER_LIST_MODEL_PAGE_SIZE,
                 (index + 1) * ORD_ORDER_LIST_MODEL_PAGE_SIZE - 1, error->message);
      return NULL;
    }
  adopt_orders (self, orders);

  while (self->pages.length >= ORD_ORDER_LIST_MODEL_N_PAGES)
    page_free (g_queue_pop_tail (&self->pages));

  page = g_new0 (Page, 1);
  page->index = index;
  page->orders = g_steal_pointer (&orders);
  g_queue_push_head (&self->pages, page);

  return page;
}

static GType
ord_order_list_model_get_item_type (GListModel *model)
{
  return ORD_TYPE_ORDER;
}

static guint
ord_order_list_model_get_n_items (GListModel *model)
{
  return ORD_ORDER_LIST_MODEL (model)->n_items;
}

static gpointer
ord_order_list_model_get_item (GListModel *model,
                               guint       position)
{
  OrdOrderListModel *self = ORD_ORDER_LIST_MODEL (model);
  guint index = position / ORD_ORDER_LIST_MODEL_PAGE_SIZE;
  guint offset = position % ORD_ORDER_LIST_MODEL_PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = lookup_page (self, index);
  if (page == NULL)
    page = load_page (self, index);
  if (page == NULL)
    return NULL;

  if (offset >= page->orders->len)
    {
      OrdOrderQuery query;

      /* Someone else (another connection) removed rows since we counted. */
      fill_query (self, &query);
      if (count_query (self, &query) != self->n_items)
        queue_refresh (self);
      return NULL;
    }

  g_hash_table_add (self->handed_out, GUINT_TO_POINTER (index + 1));

  return g_object_ref (g_ptr_array_index (page->orders, offset));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ord_order_list_model_get_item_type;
  iface->get_n_items = ord_order_list_model_get_n_items;
  iface->get_item = ord_order_list_model_get_item;
}

static void
ord_order_list_model_constructed (GObject *object)
{
  OrdOrderListModel *self = ORD_ORDER_LIST_MODEL (object);

  G_OBJECT_CLASS (ord_order_list_model_parent_class)->constructed (object);

  g_assert (ORD_IS_STORE (self->store));

  self->changed_id = g_signal_connect (self->store, "changed",
                                       G_CALLBACK (on_store_changed), self);
  self->n_items = count_rows (self);
}

static void
ord_order_list_model_dispose (GObject *object)
{
  OrdOrderListModel *self = ORD_ORDER_LIST_MODEL (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_queue_clear_full (&self->pages, page_free);

  /* A build uses the store and the model until its thread ends: each step
   * checks the cancellable, so this is short. */
  if (self->anchors_cancellable != NULL)
    g_cancellable_cancel (self->anchors_cancellable);
  g_mutex_lock (&self->builds_lock);
  while (self->builds_running > 0)
    g_cond_wait (&self->builds_done, &self->builds_lock);
  g_mutex_unlock (&self->builds_lock);
  g_clear_object (&self->anchors_cancellable);
  if (self->anchors != NULL)
    g_hash_table_remove_all (self->anchors);

  /* The objects may outlive the model. */
  if (self->live != NULL)
    {
      GHashTableIter iter;
      gpointer order;

      g_hash_table_iter_init (&iter, self->live);
      while (g_hash_table_iter_next (&iter, NULL, &order))
        g_object_weak_unref (order, on_live_order_finalized, self);
      g_hash_table_remove_all (self->live);
    }

  G_OBJECT_CLASS (ord_order_list_model_parent_class)->dispose (object);
}

static void
ord_order_list_model_finalize (GObject *object)
{
  OrdOrderListModel *self = ORD_ORDER_LIST_MODEL (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->handed_out, g_hash_table_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->anchors, g_hash_table_unref);
  g_clear_pointer (&self->anchors_tried, g_hash_table_unref);
  g_mutex_clear (&self->builds_lock);
  g_cond_clear (&self->builds_done);

  G_OBJECT_CLASS (ord_order_list_model_parent_class)->finalize (object);
}

static void
ord_order_list_model_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  OrdOrderListModel *self = ORD_ORDER_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_STATUS_MASK:
      g_value_set_uint (value, self->status_mask);
      break;

    case PROP_SORT:
      g_value_set_uint (value, self->sort);
      break;

    case PROP_DESCENDING:
      g_value_set_boolean (value, self->descending);
      break;

    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    case PROP_BY_STATUS:
      g_value_set_boolean (value, self->by_status);
      break;

    case PROP_UPDATED_FROM:
      g_value_set_int64 (value, self->updated_from);
      break;

    case PROP_ATTENTION_ONLY:
      g_value_set_boolean (value, self->attention_only);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_order_list_model_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  OrdOrderListModel *self = ORD_ORDER_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_STATUS_MASK:
      ord_order_list_model_set_status_mask (self, g_value_get_uint (value));
      break;

    case PROP_SORT:
      ord_order_list_model_set_sort (self, g_value_get_uint (value), self->descending);
      break;

    case PROP_DESCENDING:
      ord_order_list_model_set_sort (self, self->sort, g_value_get_boolean (value));
      break;

    case PROP_TEXT:
      ord_order_list_model_set_text (self, g_value_get_string (value));
      break;

    case PROP_BY_STATUS:
      ord_order_list_model_set_sort_full (self, g_value_get_boolean (value), self->sort,
                                          self->descending);
      break;

    case PROP_UPDATED_FROM:
      ord_order_list_model_set_updated_from (self, g_value_get_int64 (value));
      break;

    case PROP_ATTENTION_ONLY:
      ord_order_list_model_set_attention_only (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_order_list_model_class_init (OrdOrderListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ord_order_list_model_constructed;
  object_class->dispose = ord_order_list_model_dispose;
  object_class->finalize = ord_order_list_model_finalize;
  object_class->get_property = ord_order_list_model_get_property;
  object_class->set_property = ord_order_list_model_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         ORD_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * OrdOrderListModel:status-mask:
   *
   * The statuses shown, as bits `1 << OrdStatus`; 0 shows all.
   */
  properties[PROP_STATUS_MASK] =
    g_param_spec_uint ("status-mask", NULL, NULL,
                       0, (1u << ORD_N_STATUSES) - 1, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  /**
   * OrdOrderListModel:sort:
   *
   * The #OrdSortKey the store sorts by.
   */
  properties[PROP_SORT] =
    g_param_spec_uint ("sort", NULL, NULL,
                       0, ORD_N_SORT_KEYS - 1, ORD_SORT_CREATED,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_DESCENDING] =
    g_param_spec_boolean ("descending", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  /**
   * OrdOrderListModel:text:
   *
   * Words to search for (full-text search of the store); %NULL for none.
   */
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * OrdOrderListModel:by-status:
   *
   * Rows grouped by status first (pending first, or cancelled first when
   * descending), then by #OrdOrderListModel:sort.
   */
  properties[PROP_BY_STATUS] =
    g_param_spec_boolean ("by-status", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  /**
   * OrdOrderListModel:updated-from:
   *
   * When not 0 (µs since the epoch), only the orders last changed at or
   * after it, such as the orders delivered today (#OrdOrderQuery.updated_from).
   */
  properties[PROP_UPDATED_FROM] =
    g_param_spec_int64 ("updated-from", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  /**
   * OrdOrderListModel:attention-only:
   *
   * Only the orders whose change the server held or rejected, or that wait
   * for the owner's decision (#OrdOrderQuery.attention_only).
   */
  properties[PROP_ATTENTION_ONLY] =
    g_param_spec_boolean ("attention-only", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ord_order_list_model_init (OrdOrderListModel *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->sort = ORD_SORT_CREATED;
  self->descending = TRUE;
  g_queue_init (&self->pages);
  self->handed_out = g_hash_table_new (NULL, NULL);
  self->live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->anchors = g_hash_table_new_full (NULL, NULL, NULL,
                                         (GDestroyNotify) ord_order_anchors_unref);
  self->anchors_tried = g_hash_table_new (NULL, NULL);
  g_mutex_init (&self->builds_lock);
  g_cond_init (&self->builds_done);
}

/**
 * ord_order_list_model_new:
 * @store: the store to list the orders of
 *
 * Returns: (transfer full): a model of every order, newest first
 */
OrdOrderListModel *
ord_order_list_model_new (OrdStore *store)
{
  g_return_val_if_fail (ORD_IS_STORE (store), NULL);

  return g_object_new (ORD_TYPE_ORDER_LIST_MODEL,
                       "store", store,
                       NULL);
}

OrdStore *
ord_order_list_model_get_store (OrdOrderListModel *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_LIST_MODEL (self), NULL);

  return self->store;
}

guint
ord_order_list_model_get_status_mask (OrdOrderListModel *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_LIST_MODEL (self), 0);

  return self->status_mask;
}

void
ord_order_list_model_set_status_mask (OrdOrderListModel *self,
                                      guint              status_mask)
{
  g_return_if_fail (ORD_IS_ORDER_LIST_MODEL (self));

  status_mask &= (1u << ORD_N_STATUSES) - 1;
  if (status_mask == self->status_mask)
    return;

  self->status_mask = status_mask;
  refresh (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_MASK]);
}

OrdSortKey
ord_order_list_model_get_sort (OrdOrderListModel *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_LIST_MODEL (self), ORD_SORT_CREATED);

  return self->sort;
}

gboolean
ord_order_list_model_get_descending (OrdOrderListModel *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_LIST_MODEL (self), FALSE);

  return self->descending;
}

/**
 * ord_order_list_model_set_sort:
 * @self: an #OrdOrderListModel
 * @sort: the key the store sorts by
 * @descending: largest (newest) first
 *
 * Changes both at once, with one reload; stops grouping by status.
 */
void
ord_order_list_model_set_sort (OrdOrderListModel *self,
                               OrdSortKey         sort,
                               gboolean           descending)
{
  ord_order_list_model_set_sort_full (self, FALSE, sort, descending);
}

/**
 * ord_order_list_model_set_sort_full:
 * @self: an #OrdOrderListModel
 * @by_status: group the rows by status first
 * @sort: the key the store sorts by (within each status when @by_status)
 * @descending: largest (newest, or cancelled) first
 *
 * Changes all three at once, with one reload.
 */
void
ord_order_list_model_set_sort_full (OrdOrderListModel *self,
                                    gboolean           by_status,
                                    OrdSortKey         sort,
                                    gboolean           descending)
{
  gboolean by_status_changed;
  gboolean sort_changed;
  gboolean descending_changed;

  g_return_if_fail (ORD_IS_ORDER_LIST_MODEL (self));
  g_return_if_fail ((guint) sort < ORD_N_SORT_KEYS);

  by_status = !!by_status;
  descending = !!descending;
  by_status_changed = by_status != self->by_status;
  sort_changed = sort != self->sort;
  descending_changed = descending != self->descending;
  if (!by_status_changed && !sort_changed && !descending_changed)
    return;

  self->by_status = by_status;
  self->sort = sort;
  self->descending = descending;
  refresh (self, FALSE);

  if (by_status_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BY_STATUS]);
  if (sort_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT]);
  if (descending_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCENDING]);
}

gboolean
ord_order_list_model_get_by_status (OrdOrderListModel *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_LIST_MODEL (self), FALSE);

  return self->by_status;
}

gint64
ord_order_list_model_get_updated_from (OrdOrderListModel *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_LIST_MODEL (self), 0);

  return self->updated_from;
}

/**
 * ord_order_list_model_set_updated_from:
 * @self: an #OrdOrderListModel
 * @from: µs since the epoch; 0 for every order
 *
 * Shows only the orders (of the other filters) last changed at or after
 * @from, such as the orders delivered today.
 */
void
ord_order_list_model_set_updated_from (OrdOrderListModel *self,
                                       gint64             from)
{
  g_return_if_fail (ORD_IS_ORDER_LIST_MODEL (self));
  g_return_if_fail (from >= 0);

  if (from == self->updated_from)
    return;

  self->updated_from = from;
  refresh (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_FROM]);
}

gboolean
ord_order_list_model_get_attention_only (OrdOrderListModel *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_LIST_MODEL (self), FALSE);

  return self->attention_only;
}

/**
 * ord_order_list_model_set_attention_only:
 * @self: an #OrdOrderListModel
 * @attention_only: whether to show only the orders that need attention
 *
 * Shows only the orders (of the other filters) that need attention: a
 * change the server held or rejected, or one waiting for the owner.
 */
void
ord_order_list_model_set_attention_only (OrdOrderListModel *self,
                                         gboolean           attention_only)
{
  g_return_if_fail (ORD_IS_ORDER_LIST_MODEL (self));

  attention_only = !!attention_only;
  if (attention_only == self->attention_only)
    return;

  self->attention_only = attention_only;
  refresh (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTENTION_ONLY]);
}

const char *
ord_order_list_model_get_text (OrdOrderListModel *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_LIST_MODEL (self), NULL);

  return self->text;
}

/**
 * ord_order_list_model_set_text:
 * @self: an #OrdOrderListModel
 * @text: (nullable): words to search for; %NULL, "" or blanks for none
 */
void
ord_order_list_model_set_text (OrdOrderListModel *self,
                               const char        *text)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (ORD_IS_ORDER_LIST_MODEL (self));

  if (text != NULL)
    {
      stripped = g_strstrip (g_strdup (text));
      if (stripped[0] == '\0')
        g_clear_pointer (&stripped, g_free);
    }

  if (g_strcmp0 (stripped, self->text) == 0)
    return;

  g_free (self->text);
  self->text = g_steal_pointer (&stripped);
  refresh (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

void
ord_order_list_model_get_query (OrdOrderListModel *self,
                                OrdOrderQuery     *query)
{
  g_return_if_fail (ORD_IS_ORDER_LIST_MODEL (self));
  g_return_if_fail (query != NULL);

  fill_query (self, query);
}

void
ord_order_list_model_refresh (OrdOrderListModel *self)
{
  g_return_if_fail (ORD_IS_ORDER_LIST_MODEL (self));

  refresh (self, TRUE);
}

/**
 * ord_order_list_model_has_anchors:
 * @self: an #OrdOrderListModel
 *
 * Whether reads deep in the list start from anchors now rather than walk
 * to their offset. Anchors are built in a thread after the first read
 * beyond the first pages, and dropped on every change of the query or of
 * the store.
 *
 * Returns: %TRUE when anchors for the current query are ready
 */
gboolean
ord_order_list_model_has_anchors (OrdOrderListModel *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_LIST_MODEL (self), FALSE);

  return g_hash_table_size (self->anchors) > 0 &&
         g_atomic_int_get (&self->generation) == self->anchors_generation;
}
