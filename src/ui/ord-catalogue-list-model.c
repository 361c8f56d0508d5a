/* ord-catalogue-list-model.c: a virtual list of the store's products or
 * customers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-catalogue-list-model"

#include "config.h"

#include <gtk/gtk.h>

#include "ord-catalogue-list-model.h"

/*
 * Like the orders list, the model fetches the rows the view asks for a
 * page at a time and keeps the few most recently used pages. It holds the
 * keys of its whole list (8 bytes a row: 1 MB for 125,000 customers), so
 * any page is read by key, never by a long OFFSET walk. The view only ever
 * holds the rows it shows.
 */

typedef struct
{
  guint      index;     /* first row = index × PAGE_SIZE */
  GPtrArray *items;
} Page;

struct _OrdCatalogueListModel
{
  GObject             parent_instance;

  /* owned */
  OrdStore           *store;
  GMainContext       *context;
  char               *text;
  GQueue              pages;        /* Page, most recently used first */
  GHashTable         *handed_out;   /* page index + 1 of every item given out */
  GArray             *keys;         /* gint64: the rows of the list, in order */

  OrdCatalogueKind    kind;
  OrdCatalogueFilter  filter;
  gulong              changed_id;
  guint               n_items;
  gboolean            loaded;     /* the keys are read on the first load */
  int                 refresh_queued;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OrdCatalogueListModel, ord_catalogue_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

/* Takes the keys of the whole list again; returns how many rows it has. */
static guint
load_keys (OrdCatalogueListModel *self)
{
  g_autoptr(GError) error = NULL;
  GArray *keys;

  if (self->kind == ORD_CATALOGUE_KIND_PRODUCTS)
    keys = ord_store_list_product_keys (self->store, self->text, self->filter, &error);
  else
    keys = ord_store_list_customer_keys (self->store, self->text, self->filter, &error);
  g_clear_pointer (&self->keys, g_array_unref);
  if (keys == NULL)
    {
      g_warning ("Could not list the %s: %s",
                 self->kind == ORD_CATALOGUE_KIND_PRODUCTS ? "products" : "customers",
                 error->message);
      self->keys = g_array_new (FALSE, FALSE, sizeof (gint64));
      return 0;
    }
  self->keys = keys;

  return keys->len;
}

/* See ord-order-list-model.c: with the same count, only the pages the view
 * may hold are replaced, so it keeps its place; otherwise everything is. */
static void
refresh (OrdCatalogueListModel *self,
         gboolean               keep_position)
{
  g_autoptr(GList) handed = NULL;
  guint old_n = self->n_items;
  guint new_n;

  /* Not shown yet: the first load reads what is current then. */
  if (!self->loaded)
    return;

  handed = g_hash_table_get_keys (self->handed_out);

  g_queue_clear_full (&self->pages, page_free);
  g_hash_table_remove_all (self->handed_out);
  new_n = load_keys (self);

  if (keep_position && old_n == new_n)
    {
      for (GList *l = handed; l != NULL; l = l->next)
        {
          guint first = (GPOINTER_TO_UINT (l->data) - 1) * ORD_CATALOGUE_LIST_MODEL_PAGE_SIZE;
          guint n;

          if (first >= self->n_items)
            continue;
          n = MIN (ORD_CATALOGUE_LIST_MODEL_PAGE_SIZE, self->n_items - first);
          g_list_model_items_changed (G_LIST_MODEL (self), first, n, n);
        }
      return;
    }

  self->n_items = 0;
  if (old_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
  self->n_items = new_n;
  if (new_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, new_n);
}

static gboolean
refresh_idle_cb (gpointer data)
{
  g_autoptr(OrdCatalogueListModel) self = g_weak_ref_get (data);

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

/* The store says "changed" on the thread that wrote: refresh in the
 * model's own main context, once per burst. */
static void
queue_refresh (OrdCatalogueListModel *self)
{
  g_autoptr(GSource) source = NULL;
  GWeakRef *weak;

  if (!g_atomic_int_compare_and_exchange (&self->refresh_queued, FALSE, TRUE))
    return;

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_static_name (source, "[orderly] catalogue list refresh");
  g_source_set_callback (source, refresh_idle_cb, weak, weak_ref_free);
  g_source_attach (source, self->context);
}

static void
on_store_changed (OrdStore              *store,
                  const char            *entity,
                  const char            *id,
                  OrdCatalogueListModel *self)
{
  const char *mine = self->kind == ORD_CATALOGUE_KIND_PRODUCTS ? "product" : "customer";

  if (g_strcmp0 (entity, mine) == 0)
    queue_refresh (self);
}

static Page *
lookup_page (OrdCatalogueListModel *self,
             guint                  index)
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

static Page *
load_page (OrdCatalogueListModel *self,
           guint                  index)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items;
  guint first = index * ORD_CATALOGUE_LIST_MODEL_PAGE_SIZE;
  guint n = MIN (ORD_CATALOGUE_LIST_MODEL_PAGE_SIZE, self->keys->len - first);
  const gint64 *keys = &g_array_index (self->keys, gint64, first);
  Page *page;

  if (self->kind == ORD_CATALOGUE_KIND_PRODUCTS)
    items = ord_store_get_products_by_keys (self->store, keys, n, &error);
  else
    items = ord_store_get_customers_by_keys (self->store, keys, n, &error);
  if (items == NULL)
    {
      g_warning ("Could not load rows %u to %u: %s", first,
                 first + ORD_CATALOGUE_LIST_MODEL_PAGE_SIZE - 1, error->message);
      return NULL;
    }

  while (self->pages.length >= ORD_CATALOGUE_LIST_MODEL_N_PAGES)
    page_free (g_queue_pop_tail (&self->pages));

  page = g_new0 (Page, 1);
  page->index = index;
  page->items = items;
  g_queue_push_head (&self->pages, page);

  return page;
}

static GType
ord_catalogue_list_model_get_item_type (GListModel *model)
{
  OrdCatalogueListModel *self = ORD_CATALOGUE_LIST_MODEL (model);

  return self->kind == ORD_CATALOGUE_KIND_PRODUCTS ? ORD_TYPE_PRODUCT : ORD_TYPE_CUSTOMER;
}

static guint
ord_catalogue_list_model_get_n_items (GListModel *model)
{
  return ORD_CATALOGUE_LIST_MODEL (model)->n_items;
}

static gpointer
ord_catalogue_list_model_get_item (GListModel *model,
                                   guint       position)
{
  OrdCatalogueListModel *self = ORD_CATALOGUE_LIST_MODEL (model);
  guint index = position / ORD_CATALOGUE_LIST_MODEL_PAGE_SIZE;
  guint offset = position % ORD_CATALOGUE_LIST_MODEL_PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = lookup_page (self, index);
  if (page == NULL)
    page = load_page (self, index);
  if (page == NULL)
    return NULL;

  if (offset >= page->items->len)
    {
      /* Another connection removed rows since we counted. */
      queue_refresh (self);
      return NULL;
    }

  g_hash_table_add (self->handed_out, GUINT_TO_POINTER (index + 1));

  return g_object_ref (g_ptr_array_index (page->items, offset));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ord_catalogue_list_model_get_item_type;
  iface->get_n_items = ord_catalogue_list_model_get_n_items;
  iface->get_item = ord_catalogue_list_model_get_item;
}

static void
ord_catalogue_list_model_dispose (GObject *object)
{
  OrdCatalogueListModel *self = ORD_CATALOGUE_LIST_MODEL (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_queue_clear_full (&self->pages, page_free);

  G_OBJECT_CLASS (ord_catalogue_list_model_parent_class)->dispose (object);
}

static void
ord_catalogue_list_model_finalize (GObject *object)
{
  OrdCatalogueListModel *self = ORD_CATALOGUE_LIST_MODEL (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->handed_out, g_hash_table_unref);
  g_clear_pointer (&self->keys, g_array_unref);
  g_free (self->text);

  G_OBJECT_CLASS (ord_catalogue_list_model_parent_class)->finalize (object);
}

static void
ord_catalogue_list_model_class_init (OrdCatalogueListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ord_catalogue_list_model_dispose;
  object_class->finalize = ord_catalogue_list_model_finalize;
}

static void
ord_catalogue_list_model_init (OrdCatalogueListModel *self)
{
  g_queue_init (&self->pages);
  self->handed_out = g_hash_table_new (NULL, NULL);
  self->context = g_main_context_ref_thread_default ();
}

/**
 * ord_catalogue_list_model_new:
 * @store: the store to list from
 * @kind: products or customers
 *
 * Returns: (transfer full): a list of the active products or customers,
 *   by name
 */
OrdCatalogueListModel *
ord_catalogue_list_model_new (OrdStore         *store,
                              OrdCatalogueKind  kind)
{
  OrdCatalogueListModel *self;

  g_return_val_if_fail (ORD_IS_STORE (store), NULL);

  self = g_object_new (ORD_TYPE_CATALOGUE_LIST_MODEL, NULL);
  self->store = g_object_ref (store);
  self->kind = kind;
  self->filter = ORD_CATALOGUE_ACTIVE;
  self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (on_store_changed), self);

  return self;
}

/**
 * ord_catalogue_list_model_load:
 * @self: an #OrdCatalogueListModel
 *
 * Reads the list the first time (a new model is empty until then: a page
 * the user has not opened costs nothing at start-up, which matters with a
 * hundred thousand customers). Later calls do nothing; the model follows
 * the store's changes by itself.
 */
void
ord_catalogue_list_model_load (OrdCatalogueListModel *self)
{
  g_return_if_fail (ORD_IS_CATALOGUE_LIST_MODEL (self));

  if (self->loaded)
    return;
  self->loaded = TRUE;
  refresh (self, FALSE);
}

gboolean
ord_catalogue_list_model_is_loaded (OrdCatalogueListModel *self)
{
  g_return_val_if_fail (ORD_IS_CATALOGUE_LIST_MODEL (self), FALSE);

  return self->loaded;
}

void
ord_catalogue_list_model_set_text (OrdCatalogueListModel *self,
                                   const char            *text)
{
  g_return_if_fail (ORD_IS_CATALOGUE_LIST_MODEL (self));

  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  refresh (self, FALSE);
}

const char *
ord_catalogue_list_model_get_text (OrdCatalogueListModel *self)
{
  g_return_val_if_fail (ORD_IS_CATALOGUE_LIST_MODEL (self), NULL);

  return self->text;
}

void
ord_catalogue_list_model_set_filter (OrdCatalogueListModel *self,
                                     OrdCatalogueFilter     filter)
{
  g_return_if_fail (ORD_IS_CATALOGUE_LIST_MODEL (self));
  g_return_if_fail (filter <= ORD_CATALOGUE_ALL);

  if (self->filter == filter)
    return;

  self->filter = filter;
  refresh (self, FALSE);
}

OrdCatalogueFilter
ord_catalogue_list_model_get_filter (OrdCatalogueListModel *self)
{
  g_return_val_if_fail (ORD_IS_CATALOGUE_LIST_MODEL (self), ORD_CATALOGUE_ACTIVE);

  return self->filter;
}

static const char *
item_id (OrdCatalogueListModel *self,
         gpointer               item)
{
  if (self->kind == ORD_CATALOGUE_KIND_PRODUCTS)
    return ord_product_get_id (item);
  return ord_customer_get_id (item);
}

guint
ord_catalogue_list_model_find (OrdCatalogueListModel *self,
                               const char            *id)
{
  g_return_val_if_fail (ORD_IS_CATALOGUE_LIST_MODEL (self), GTK_INVALID_LIST_POSITION);

  if (id == NULL)
    return GTK_INVALID_LIST_POSITION;

  for (GList *l = self->pages.head; l != NULL; l = l->next)
    {
      Page *page = l->data;

      for (guint i = 0; i < page->items->len; i++)
        if (g_strcmp0 (item_id (self, g_ptr_array_index (page->items, i)), id) == 0)
          return page->index * ORD_CATALOGUE_LIST_MODEL_PAGE_SIZE + i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/**
 * ord_catalogue_list_model_refresh:
 * @self: a list
 *
 * Counts again and drops the cached rows now, keeping the view's place
 * when the count is the same: after a write the caller made itself.
 */
void
ord_catalogue_list_model_refresh (OrdCatalogueListModel *self)
{
  g_return_if_fail (ORD_IS_CATALOGUE_LIST_MODEL (self));

  refresh (self, TRUE);
}
