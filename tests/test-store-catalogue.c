/* test-store-catalogue.c: customer and product lists, a customer's totals
 * and order history, against sums computed here from every order
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ord-core.h"
#include "ord-demo.h"
#include "ord-store-private.h"

typedef struct
{
  gint64 n_orders;
  gint64 n_cancelled;
  gint64 spend;
  gint64 first;
  gint64 last;
} Expected;

static OrdStore *
make_shop (guint n_orders)
{
  OrdDemoOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdStore) store = ord_store_new (":memory:", &error);
  g_autoptr(GDateTime) end = g_date_time_new_utc (2026, 3, 20, 18, 0, 0);

  g_assert_no_error (error);
  options.n_orders = n_orders;
  options.seed = 7;
  options.end_time = g_date_time_to_unix (end) * G_USEC_PER_SEC;
  g_assert_true (ord_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&store);
}

/* Every order, through the orders list of the store (not the queries under
 * test). */
static GPtrArray *
all_orders (OrdStore *store)
{
  OrdOrderQuery query = { 0 };
  OrdOrderCursor cursor = { 0 };
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = ord_store_query_orders (store, &query, &cursor, 500, &error);

      g_assert_no_error (error);
      if (page->len == 0)
        break;
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (page, i)));
    }
  ord_order_cursor_clear (&cursor);

  return all;
}

/* customer id → Expected, summed from @orders. */
static GHashTable *
expected_totals (GPtrArray *orders)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < orders->len; i++)
    {
      OrdOrder *order = g_ptr_array_index (orders, i);
      const char *customer = ord_order_get_customer_id (order);
      gint64 created = ord_order_get_created_at (order);
      Expected *e = g_hash_table_lookup (table, customer);

      if (e == NULL)
        {
          e = g_new0 (Expected, 1);
          e->first = G_MAXINT64;
          g_hash_table_insert (table, g_strdup (customer), e);
        }
      e->n_orders++;
      if (ord_order_get_status (order) == ORD_STATUS_CANCELLED)
        e->n_cancelled++;
      else
        e->spend += ord_order_get_total (order);
      e->first = MIN (e->first, created);
      e->last = MAX (e->last, created);
    }

  return table;
}

static GPtrArray *
all_customers (OrdStore           *store,
               const char         *text,
               OrdCatalogueFilter  filter,
               guint               page_size)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = ord_store_list_customers (store, text, filter, all->len,
                                                            page_size, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (page, i)));
      /* 0 = everything at once. */
      if (page_size == 0 || page->len < page_size)
        break;
    }

  return all;
}

static void
check_totals (OrdStore   *store,
              GHashTable *expected,
              GPtrArray  *customers)
{
  for (guint i = 0; i < customers->len; i++)
    {
      OrdCustomer *customer = g_ptr_array_index (customers, i);
      Expected *e = g_hash_table_lookup (expected, ord_customer_get_id (customer));
      OrdCustomerTotals totals;
      g_autoptr(GError) error = NULL;

      g_assert_true (ord_store_get_customer_totals (store, ord_customer_get_id (customer),
                                                    &totals, &error));
      g_assert_no_error (error);
      if (e == NULL)
        {
          g_assert_cmpint (totals.n_orders, ==, 0);
          g_assert_cmpint (totals.spend, ==, 0);
          g_assert_cmpint (totals.last_order_at, ==, 0);
          g_assert_cmpuint (totals.n_currencies, ==, 0);
          continue;
        }
      g_assert_cmpint (totals.n_orders, ==, e->n_orders);
      g_assert_cmpint (totals.n_cancelled, ==, e->n_cancelled);
      g_assert_cmpint (totals.spend, ==, e->spend);
      g_assert_cmpint (totals.first_order_at, ==, e->first);
      g_assert_cmpint (totals.last_order_at, ==, e->last);
      g_assert_cmpstr (totals.currency, ==, "EUR");
      g_assert_cmpuint (totals.n_currencies, ==, 1);
    }
}

/* Every customer's totals equal the sums over all orders, also after
 * orders are cancelled. */
static void
test_customer_totals (void)
{
  g_autoptr(OrdStore) store = make_shop (2000);
  g_autoptr(GPtrArray) orders = all_orders (store);
  g_autoptr(GPtrArray) customers = all_customers (store, NULL, ORD_CATALOGUE_ALL, 0);
  g_autoptr(GHashTable) expected = expected_totals (orders);
  guint n_cancelled_now = 0;

  g_assert_cmpuint (orders->len, ==, 2000);
  g_assert_cmpuint (customers->len, >, 50);
  check_totals (store, expected, customers);

  /* Cancel some open orders: their totals leave the spend. */
  for (guint i = 0; i < orders->len && n_cancelled_now < 20; i++)
    {
      OrdOrder *order = g_ptr_array_index (orders, i);
      g_autoptr(GError) error = NULL;

      if (ord_order_get_status (order) != ORD_STATUS_PENDING)
        continue;
      g_assert_true (ord_store_cancel_order (store, ord_order_get_id (order), "test", &error));
      g_assert_no_error (error);
      n_cancelled_now++;
    }
  g_assert_cmpuint (n_cancelled_now, >, 0);

  {
    g_autoptr(GPtrArray) orders2 = all_orders (store);
    g_autoptr(GHashTable) expected2 = expected_totals (orders2);

    check_totals (store, expected2, customers);
  }
}

static gint64
total_spend_over (GPtrArray *orders)
{
  gint64 sum = 0;

  for (guint i = 0; i < orders->len; i++)
    if (ord_order_get_status (g_ptr_array_index (orders, i)) != ORD_STATUS_CANCELLED)
      sum += ord_order_get_total (g_ptr_array_index (orders, i));

  return sum;
}

/* A customer's history: all their orders, newest first, page by page. */
static void
test_customer_orders (void)
{
  g_autoptr(OrdStore) store = make_shop (1500);
  g_autoptr(GPtrArray) orders = all_orders (store);
  g_autoptr(GPtrArray) customers = all_customers (store, NULL, ORD_CATALOGUE_ALL, 0);

  for (guint c = 0; c < customers->len; c += 7)
    {
      const char *id = ord_customer_get_id (g_ptr_array_index (customers, c));
      g_autoptr(GHashTable) mine = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func (g_object_unref);
      OrdCustomerTotals totals;
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < orders->len; i++)
        {
          OrdOrder *order = g_ptr_array_index (orders, i);

          if (g_strcmp0 (ord_order_get_customer_id (order), id) == 0)
            g_hash_table_add (mine, (gpointer) ord_order_get_id (order));
        }

      for (;;)
        {
          g_autoptr(GPtrArray) page = ord_store_list_customer_orders (store, id, history->len,
                                                                      3, &error);

          g_assert_no_error (error);
          for (guint i = 0; i < page->len; i++)
            g_ptr_array_add (history, g_object_ref (g_ptr_array_index (page, i)));
          if (page->len < 3)
            break;
        }

      g_assert_cmpuint (history->len, ==, g_hash_table_size (mine));
      for (guint i = 0; i < history->len; i++)
        {
          OrdOrder *order = g_ptr_array_index (history, i);

          g_assert_true (g_hash_table_remove (mine, ord_order_get_id (order)));
          if (i > 0)
            g_assert_cmpint (ord_order_get_created_at (order), <=,
                             ord_order_get_created_at (g_ptr_array_index (history, i - 1)));
        }

      g_assert_true (ord_store_get_customer_totals (store, id, &totals, &error));
      g_assert_no_error (error);
      g_assert_cmpint (totals.spend, ==, total_spend_over (history));
    }
}

static OrdCustomer *
save_customer (OrdStore   *store,
               const char *name,
               const char *email,
               const char *phone)
{
  g_autoptr(OrdCustomer) customer = ord_customer_new ();
  g_autoptr(GError) error = NULL;

  ord_customer_set_name (customer, name);
  ord_customer_set_email (customer, email);
  ord_customer_set_phone (customer, phone);
  g_assert_true (ord_store_save_customer (store, customer, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&customer);
}

static gboolean
contains_ascii_nocase (const char *haystack,
                       const char *needle)
{
  g_autofree char *h = haystack ? g_ascii_strdown (haystack, -1) : NULL;
  g_autofree char *n = g_ascii_strdown (needle, -1);

  return h != NULL && strstr (h, n) != NULL;
}

/* The key lists name the same rows in the same order as the paged lists,
 * whatever the search and filter. */
static void
check_keys (OrdStore *store,
            gboolean  products)
{
  const char *searches[] = { NULL, "a", "ORGANIC", "mug", "@", "100%", "no such thing" };
  OrdCatalogueFilter filters[] = { ORD_CATALOGUE_ACTIVE, ORD_CATALOGUE_INACTIVE,
                                   ORD_CATALOGUE_ALL };

  for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
    for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GArray) keys = NULL;
        g_autoptr(GPtrArray) listed = NULL;
        g_autoptr(GPtrArray) by_key = NULL;

        if (products)
          {
            keys = ord_store_list_product_keys (store, searches[s], filters[f], &error);
            g_assert_no_error (error);
            listed = ord_store_list_products (store, searches[s], filters[f], 0, 0, &error);
            g_assert_no_error (error);
            by_key = ord_store_get_products_by_keys (store, (gint64 *) (gpointer) keys->data,
                                                     keys->len, &error);
          }
        else
          {
            keys = ord_store_list_customer_keys (store, searches[s], filters[f], &error);
            g_assert_no_error (error);
            listed = all_customers (store, searches[s], filters[f], 0);
            by_key = ord_store_get_customers_by_keys (store, (gint64 *) (gpointer) keys->data,
                                                      keys->len, &error);
          }
        g_assert_no_error (error);
        g_assert_cmpuint (by_key->len, ==, listed->len);
        for (guint i = 0; i < listed->len; i++)
          {
            GObject *a = g_ptr_array_index (listed, i);
            GObject *b = g_ptr_array_index (by_key, i);

            if (products)
              g_assert_cmpstr (ord_product_get_id (ORD_PRODUCT (a)), ==,
                               ord_product_get_id (ORD_PRODUCT (b)));
            else
              g_assert_cmpstr (ord_customer_get_id (ORD_CUSTOMER (a)), ==,
                               ord_customer_get_id (ORD_CUSTOMER (b)));
          }
      }
}

/* Pages join up to the whole list in name order; a search finds what
 * contains the words; a deactivated customer leaves the active list and the
 * pickers. */
static void
test_customer_list (void)
{
  g_autoptr(OrdStore) store = make_shop (800);
  g_autoptr(OrdCustomer) odd = save_customer (store, "100% Organic_Foods", "shop@organic.test",
                                              "+44 20 7946 0000");
  g_autoptr(OrdCustomer) plain = save_customer (store, "1000 Organic Foods", NULL, NULL);
  g_autoptr(GPtrArray) all = all_customers (store, NULL, ORD_CATALOGUE_ACTIVE, 0);
  g_autoptr(GPtrArray) paged = all_customers (store, NULL, ORD_CATALOGUE_ACTIVE, 13);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) picker = NULL;
  g_autoptr(GError) error = NULL;
  const char *searches[] = { "ann", "SON", "@", "organic", "7946", "zzzz" };
  gint64 n;

  n = ord_store_count_customers_filtered (store, NULL, ORD_CATALOGUE_ACTIVE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, all->len);
  g_assert_cmpuint (paged->len, ==, all->len);
  for (guint i = 0; i < all->len; i++)
    {
      OrdCustomer *a = g_ptr_array_index (all, i);

      g_assert_cmpstr (ord_customer_get_id (a), ==,
                       ord_customer_get_id (g_ptr_array_index (paged, i)));
      if (i > 0)
        {
          g_autofree char *x = g_ascii_strdown (ord_customer_get_name (
                                                  g_ptr_array_index (all, i - 1)), -1);
          g_autofree char *y = g_ascii_strdown (ord_customer_get_name (a), -1);

          g_assert_cmpint (strcmp (x, y), <=, 0);
        }
    }

  for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
    {
      g_autoptr(GPtrArray) hits = all_customers (store, searches[s], ORD_CATALOGUE_ACTIVE, 0);
      guint expected = 0;

      for (guint i = 0; i < all->len; i++)
        {
          OrdCustomer *c = g_ptr_array_index (all, i);

          if (contains_ascii_nocase (ord_customer_get_name (c), searches[s]) ||
              contains_ascii_nocase (ord_customer_get_email (c), searches[s]) ||
              contains_ascii_nocase (ord_customer_get_phone (c), searches[s]))
            expected++;
        }
      g_assert_cmpuint (hits->len, ==, expected);
      n = ord_store_count_customers_filtered (store, searches[s], ORD_CATALOGUE_ACTIVE, &error);
      g_assert_cmpint (n, ==, expected);
    }

  /* LIKE's own characters are looked for as they are. */
  found = all_customers (store, "100%", ORD_CATALOGUE_ACTIVE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (ord_customer_get_id (g_ptr_array_index (found, 0)), ==,
                   ord_customer_get_id (odd));
  g_clear_pointer (&found, g_ptr_array_unref);
  found = all_customers (store, "c_f", ORD_CATALOGUE_ACTIVE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Deactivate. */
  ord_customer_set_deleted (plain, TRUE);
  g_assert_true (ord_store_save_customer (store, plain, &error));
  g_assert_no_error (error);
  found = all_customers (store, "Organic", ORD_CATALOGUE_ACTIVE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = all_customers (store, "Organic", ORD_CATALOGUE_INACTIVE, 0);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (ord_customer_get_id (g_ptr_array_index (found, 0)), ==,
                   ord_customer_get_id (plain));
  g_clear_pointer (&found, g_ptr_array_unref);
  found = all_customers (store, "Organic", ORD_CATALOGUE_ALL, 0);
  g_assert_cmpuint (found->len, ==, 2);
  picker = ord_store_find_customers (store, "Organic", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (picker->len, ==, 1);
  n = ord_store_count_customers_filtered (store, NULL, ORD_CATALOGUE_ACTIVE, &error);
  g_assert_cmpint (n, ==, all->len - 1);

  check_keys (store, FALSE);
}

static OrdProduct *
save_product (OrdStore   *store,
              const char *sku,
              const char *name,
              gboolean    active)
{
  g_autoptr(OrdProduct) product = ord_product_new ();
  g_autoptr(GError) error = NULL;

  ord_product_set_sku (product, sku);
  ord_product_set_name (product, name);
  ord_product_set_unit_price (product, 995);
  ord_product_set_currency (product, "EUR");
  ord_product_set_active (product, active);
  g_assert_true (ord_store_save_product (store, product, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&product);
}

static guint
count_products (GPtrArray          *products,
                const char         *text,
                OrdCatalogueFilter  filter)
{
  guint n = 0;

  for (guint i = 0; i < products->len; i++)
    {
      OrdProduct *p = g_ptr_array_index (products, i);

      if (filter == ORD_CATALOGUE_ACTIVE && !ord_product_get_active (p))
        continue;
      if (filter == ORD_CATALOGUE_INACTIVE && ord_product_get_active (p))
        continue;
      if (text != NULL && !contains_ascii_nocase (ord_product_get_name (p), text) &&
          !contains_ascii_nocase (ord_product_get_sku (p), text))
        continue;
      n++;
    }

  return n;
}

static void
test_product_list (void)
{
  g_autoptr(OrdStore) store = make_shop (100);
  g_autoptr(OrdProduct) mug = save_product (store, "MUG-01", "Enamel mug", TRUE);
  g_autoptr(OrdProduct) old = save_product (store, "MUG-OLD", "Enamel mug, old design", FALSE);
  g_autoptr(GPtrArray) catalogue = NULL;
  g_autoptr(GError) error = NULL;
  const char *searches[] = { NULL, "mug", "MUG-0", "tea", "a", "nothing like it" };
  OrdCatalogueFilter filters[] = { ORD_CATALOGUE_ACTIVE, ORD_CATALOGUE_INACTIVE,
                                   ORD_CATALOGUE_ALL };

  /* The catalogue as the order editor's picker reads it. */
  catalogue = ord_store_find_products (store, NULL, FALSE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (catalogue->len, >, 100);

  for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
    for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
      {
        guint expected = count_products (catalogue, searches[s], filters[f]);
        g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (g_object_unref);
        gint64 n;

        for (;;)
          {
            g_autoptr(GPtrArray) page = ord_store_list_products (store, searches[s], filters[f],
                                                                 listed->len, 17, &error);

            g_assert_no_error (error);
            for (guint i = 0; i < page->len; i++)
              {
                OrdProduct *p = g_ptr_array_index (page, i);

                if (filters[f] != ORD_CATALOGUE_ALL)
                  g_assert_cmpint (ord_product_get_active (p), ==,
                                   filters[f] == ORD_CATALOGUE_ACTIVE);
                g_ptr_array_add (listed, g_object_ref (p));
              }
            if (page->len < 17)
              break;
          }
        n = ord_store_count_products_filtered (store, searches[s], filters[f], &error);
        g_assert_no_error (error);
        g_assert_cmpint (n, ==, expected);
        g_assert_cmpuint (listed->len, ==, expected);
      }

  /* Deactivating moves a product from the active list to the inactive one. */
  ord_product_set_active (mug, FALSE);
  g_assert_true (ord_store_save_product (store, mug, &error));
  g_assert_cmpint (ord_store_count_products_filtered (store, "MUG-", ORD_CATALOGUE_ACTIVE,
                                                      &error), ==, 0);
  g_assert_cmpint (ord_store_count_products_filtered (store, "MUG-", ORD_CATALOGUE_INACTIVE,
                                                      &error), ==, 2);
  g_assert_cmpstr (ord_product_get_id (old), !=, NULL);

  check_keys (store, TRUE);
}

static char *
query_plan (OrdStore   *store,
            const char *sql)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  GString *plan = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (ord_store_get_db (store), explain, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);

  return g_string_free (plan, FALSE);
}

/* The SQL of the store's prepared statement that contains @marker (the
 * statement cache keeps every statement the store has run). */
static char *
cached_sql (OrdStore   *store,
            const char *marker)
{
  for (sqlite3_stmt *stmt = sqlite3_next_stmt (ord_store_get_db (store), NULL); stmt != NULL;
       stmt = sqlite3_next_stmt (ord_store_get_db (store), stmt))
    if (strstr (sqlite3_sql (stmt), marker) != NULL)
      return g_strdup (sqlite3_sql (stmt));

  g_assert_not_reached ();
}

/* A customer's totals and history read the customer's index range, never
 * every order: with a million orders that is the difference between
 * microseconds and a second. */
static void
test_query_plans (void)
{
  g_autoptr(OrdStore) store = make_shop (200);
  g_autoptr(GPtrArray) customers = all_customers (store, NULL, ORD_CATALOGUE_ALL, 0);
  const char *id = ord_customer_get_id (g_ptr_array_index (customers, 0));
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *totals_sql = NULL;
  g_autofree char *history_sql = NULL;
  g_autofree char *totals_plan = NULL;
  g_autofree char *history_plan = NULL;
  OrdCustomerTotals totals;

  g_assert_true (ord_store_get_customer_totals (store, id, &totals, &error));
  history = ord_store_list_customer_orders (store, id, 0, 10, &error);
  g_assert_no_error (error);

  totals_sql = cached_sql (store, "GROUP BY o.currency");
  history_sql = cached_sql (store, "ORDER BY o.created_at DESC");
  totals_plan = query_plan (store, totals_sql);
  history_plan = query_plan (store, history_sql);
  g_test_message ("totals: %s", totals_plan);
  g_test_message ("history: %s", history_plan);
  g_assert_nonnull (strstr (totals_plan,
                            "SEARCH o USING INDEX orders_by_customer (customer_id=?)"));
  g_assert_nonnull (strstr (history_plan,
                            "SEARCH o USING INDEX orders_by_customer (customer_id=?)"));
  g_assert_null (strstr (history_plan, "TEMP B-TREE"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store-catalogue/customer-totals", test_customer_totals);
  g_test_add_func ("/store-catalogue/customer-orders", test_customer_orders);
  g_test_add_func ("/store-catalogue/customer-list", test_customer_list);
  g_test_add_func ("/store-catalogue/product-list", test_product_list);
  g_test_add_func ("/store-catalogue/query-plans", test_query_plans);

  return g_test_run ();
}
