/* ord-export.c: export of orders to Orderly's CSV format
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-export"

#include "config.h"

#include "ord-csv.h"
#include "ord-import.h"

/* Orders per page of the list query, and per progress report. */
#define PAGE_SIZE 500

/* Customers kept between orders; most exports have far fewer. */
#define MAX_CACHED_CUSTOMERS 10000

typedef struct
{
  OrdCsvWriter *writer;
  const char   *fields[ORD_CSV_N_COLUMNS];
  char         *owned[ORD_CSV_N_COLUMNS];
} Row;

static void
row_set (Row          *row,
         OrdCsvColumn  column,
         const char   *text)
{
  row->fields[column] = text;
}

/* Takes @text. */
static void
row_take (Row          *row,
          OrdCsvColumn  column,
          char         *text)
{
  g_free (row->owned[column]);
  row->owned[column] = text;
  row->fields[column] = text;
}

static void
row_clear (Row *row)
{
  for (guint c = 0; c < ORD_CSV_N_COLUMNS; c++)
    {
      g_clear_pointer (&row->owned[c], g_free);
      row->fields[c] = NULL;
    }
}

static gboolean
row_write (Row           *row,
           GCancellable  *cancellable,
           GError       **error)
{
  for (guint c = 0; c < ORD_CSV_N_COLUMNS; c++)
    ord_csv_writer_add_field (row->writer, row->fields[c]);

  return ord_csv_writer_end_record (row->writer, cancellable, error);
}

static char *
format_time (gint64 usec)
{
  char buf[ORD_CSV_TIME_SIZE];

  ord_csv_format_time (usec, buf);
  return g_strdup (buf);
}

static gboolean
write_order (Row            *row,
             OrdOrder       *order,
             OrdCustomer    *customer,
             GCancellable   *cancellable,
             GError        **error)
{
  const char *currency = ord_order_get_currency (order);
  guint digits = ord_currency_get_digits (currency);
  guint n = ord_order_get_n_items (order);

  row_set (row, ORD_CSV_COL_ORDER_ID, ord_order_get_id (order));
  row_set (row, ORD_CSV_COL_NUMBER, ord_order_get_number (order));
  row_set (row, ORD_CSV_COL_PROVISIONAL_NUMBER, ord_order_get_provisional_number (order));
  row_set (row, ORD_CSV_COL_EXTERNAL_REF, ord_order_get_external_ref (order));
  row_take (row, ORD_CSV_COL_CREATED_AT, format_time (ord_order_get_created_at (order)));
  row_take (row, ORD_CSV_COL_UPDATED_AT, format_time (ord_order_get_updated_at (order)));
  row_set (row, ORD_CSV_COL_STATUS, ord_status_to_string (ord_order_get_status (order)));
  row_set (row, ORD_CSV_COL_CUSTOMER_ID, ord_order_get_customer_id (order));
  row_set (row, ORD_CSV_COL_CUSTOMER_NAME, ord_order_get_customer_name (order));
  if (customer != NULL)
    {
      row_set (row, ORD_CSV_COL_CUSTOMER_EMAIL, ord_customer_get_email (customer));
      row_set (row, ORD_CSV_COL_CUSTOMER_PHONE, ord_customer_get_phone (customer));
      row_set (row, ORD_CSV_COL_CUSTOMER_NOTES, ord_customer_get_notes (customer));
      row_set (row, ORD_CSV_COL_CUSTOMER_EXTERNAL_REF, ord_customer_get_external_ref (customer));
    }
  if (ord_order_get_due_at (order) != 0)
    row_take (row, ORD_CSV_COL_DUE_AT, format_time (ord_order_get_due_at (order)));
  row_set (row, ORD_CSV_COL_CURRENCY, currency);
  /* A percentage with two decimals: exactly the basis points. */
  row_take (row, ORD_CSV_COL_TAX_RATE, ord_amount_format_plain (ord_order_get_tax_rate (order), 2));
  row_take (row, ORD_CSV_COL_ORDER_DISCOUNT,
            ord_amount_format_plain (ord_order_get_discount (order), digits));
  row_set (row, ORD_CSV_COL_NOTES, ord_order_get_notes (order));
  row_take (row, ORD_CSV_COL_ORDER_TOTAL,
            ord_amount_format_plain (ord_order_get_total (order), digits));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OrdOrderItem) item = ord_order_get_item (order, i);
      g_autofree char *quantity = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   ord_order_item_get_quantity (item));

      row_set (row, ORD_CSV_COL_ITEM_ID, ord_order_item_get_id (item));
      row_set (row, ORD_CSV_COL_PRODUCT_ID, ord_order_item_get_product_id (item));
      row_set (row, ORD_CSV_COL_ITEM_SKU, ord_order_item_get_sku (item));
      row_set (row, ORD_CSV_COL_ITEM_NAME, ord_order_item_get_name (item));
      row_take (row, ORD_CSV_COL_UNIT_PRICE,
                ord_amount_format_plain (ord_order_item_get_unit_price (item), digits));
      row_set (row, ORD_CSV_COL_QUANTITY, quantity);
      row_take (row, ORD_CSV_COL_LINE_DISCOUNT,
                ord_amount_format_plain (ord_order_item_get_discount (item), digits));

      if (!row_write (row, cancellable, error))
        return FALSE;
    }

  return TRUE;
}

static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/* The order's customer, or NULL when it is not in the database. */
static OrdCustomer *
lookup_customer (OrdStore    *store,
                 GHashTable  *cache,
                 const char  *id,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  OrdCustomer *customer;

  if (id == NULL)
    return NULL;

  if (g_hash_table_lookup_extended (cache, id, NULL, (gpointer *) &customer))
    return customer;

  if (g_hash_table_size (cache) >= MAX_CACHED_CUSTOMERS)
    g_hash_table_remove_all (cache);

  customer = ord_store_get_customer (store, id, &local_error);
  if (customer == NULL && !g_error_matches (local_error, ORD_STORE_ERROR,
                                            ORD_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_hash_table_insert (cache, g_strdup (id), customer);

  return customer;
}

/**
 * ord_export_orders:
 * @store: the store
 * @query: (nullable): the orders to export and their order; %NULL for all,
 *   oldest first
 * @out: where to write
 * @progress: (nullable) (scope call): called with the fraction done
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes the orders in Orderly's CSV format (doc/csv-format.md): a header
 * line, then one line per order item, with the order's and its customer's
 * fields repeated on each. Pages of %PAGE_SIZE orders are read one after
 * the other, so any number of orders can be exported. Each order is read
 * whole; an order changed during the export is written as it was when
 * its page was read or as it is after the change, never half of each.
 *
 * @out is not closed.
 *
 * Returns: %TRUE on success
 */
gboolean
ord_export_orders (OrdStore             *store,
                   const OrdOrderQuery  *query,
                   GOutputStream        *out,
                   OrdProgressFunc       progress,
                   gpointer              progress_data,
                   GCancellable         *cancellable,
                   GError              **error)
{
  OrdOrderQuery all = { 0, };
  OrdOrderCursor cursor = { 0, };
  g_autoptr(OrdCsvWriter) writer = NULL;
  g_autoptr(GHashTable) customers = NULL;
  Row row = { NULL, };
  gint64 total = 0;
  gint64 done = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (ORD_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (query == NULL)
    {
      all.sort = ORD_SORT_CREATED;
      all.descending = FALSE;
      query = &all;
    }

  writer = ord_csv_writer_new (out);
  row.writer = writer;
  customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_nullable);

  for (guint c = 0; c < ORD_CSV_N_COLUMNS; c++)
    ord_csv_writer_add_field (writer, ord_csv_column_names[c]);
  if (!ord_csv_writer_end_record (writer, cancellable, error))
    goto out;

  if (progress != NULL)
    {
      total = ord_store_count_orders (store, query, error);
      if (total < 0)
        goto out;
    }

  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      page = ord_store_query_orders (store, query, &cursor, PAGE_SIZE, error);
      if (page == NULL)
        goto out;
      if (page->len == 0)
        break;

      for (guint i = 0; i < page->len; i++)
        {
          OrdOrder *summary = g_ptr_array_index (page, i);
          g_autoptr(GError) local_error = NULL;
          g_autoptr(OrdOrder) order = NULL;
          OrdCustomer *customer;

          /* The list has no items: read the whole order. */
          order = ord_store_get_order (store, ord_order_get_id (summary), &local_error);
          if (order == NULL)
            {
              /* Deleted since the page was read. */
              if (g_error_matches (local_error, ORD_STORE_ERROR, ORD_STORE_ERROR_NOT_FOUND))
                continue;
              g_propagate_error (error, g_steal_pointer (&local_error));
              goto out;
            }

          customer = lookup_customer (store, customers, ord_order_get_customer_id (order),
                                      &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              goto out;
            }

          if (!write_order (&row, order, customer, cancellable, error))
            goto out;
          row_clear (&row);
        }

      done += page->len;
      if (progress != NULL && total > 0)
        progress (MIN (1.0, (double) done / (double) total), progress_data);
    }

  if (!ord_csv_writer_flush (writer, cancellable, error))
    goto out;

  if (progress != NULL)
    progress (1.0, progress_data);
  ok = TRUE;

out:
  row_clear (&row);
  ord_order_cursor_clear (&cursor);
  return ok;
}
