/* test-domain.c: domain objects, timeline texts and UUIDv7 ids
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ord-customer.h"
#include "ord-money.h"
#include "ord-order.h"
#include "ord-order-event.h"
#include "ord-order-item.h"
#include "ord-product.h"
#include "ord-uuid.h"

/* notify::<name> counter */
typedef struct
{
  GHashTable *counts;   /* property name → count */
} NotifyLog;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           NotifyLog  *log)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, pspec->name));

  g_hash_table_insert (log->counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static void
notify_log_init (NotifyLog *log,
                 gpointer   object)
{
  log->counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_signal_connect (object, "notify", G_CALLBACK (on_notify), log);
}

static guint
notify_count (NotifyLog  *log,
              const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, name));
}

static void
notify_log_clear (NotifyLog *log,
                  gpointer   object)
{
  g_signal_handlers_disconnect_by_func (object, on_notify, log);
  g_clear_pointer (&log->counts, g_hash_table_unref);
}

/* A value for @pspec different from its default. */
static void
other_value (GParamSpec *pspec,
             GValue     *value)
{
  g_value_init (value, pspec->value_type);

  if (pspec->value_type == G_TYPE_STRING)
    g_value_set_string (value, strcmp (pspec->name, "currency") == 0 ? "EUR" : "some text");
  else if (pspec->value_type == G_TYPE_INT64)
    g_value_set_int64 (value, 42);
  else if (pspec->value_type == G_TYPE_UINT)
    g_value_set_uint (value, 42);
  else if (pspec->value_type == G_TYPE_INT)
    g_value_set_int (value, 1);
  else if (pspec->value_type == G_TYPE_BOOLEAN)
    g_value_set_boolean (value, !G_PARAM_SPEC_BOOLEAN (pspec)->default_value);
  else if (G_TYPE_IS_ENUM (pspec->value_type))
    g_value_set_enum (value, G_PARAM_SPEC_ENUM (pspec)->default_value + 2);
  else
    g_assert_not_reached ();
}

/* For every writable property of a new @type: setting a new value
 * notifies once (the dependent line-total too, for an item), setting the
 * same value again notifies nothing, and the value reads back. */
static void
check_notify_only_on_change (GType type)
{
  g_autoptr(GObject) object = g_object_new (type, NULL);
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;
  NotifyLog log;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
  g_assert_cmpuint (n_pspecs, >, 3);
  notify_log_init (&log, object);

  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      g_auto(GValue) value = G_VALUE_INIT;
      g_auto(GValue) read_back = G_VALUE_INIT;

      g_test_message ("%s:%s", g_type_name (type), pspec->name);

      if (!(pspec->flags & G_PARAM_WRITABLE))
        continue;
      g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);

      other_value (pspec, &value);
      g_object_set_property (object, pspec->name, &value);
      g_assert_cmpuint (notify_count (&log, pspec->name), ==, 1);

      g_object_set_property (object, pspec->name, &value);
      g_assert_cmpuint (notify_count (&log, pspec->name), ==, 1);

      g_value_init (&read_back, pspec->value_type);
      g_object_get_property (object, pspec->name, &read_back);
      g_assert_cmpint (g_param_values_cmp (pspec, &value, &read_back), ==, 0);
    }

  notify_log_clear (&log, object);
}

static void
test_notify_only_on_change (void)
{
  check_notify_only_on_change (ORD_TYPE_CUSTOMER);
  check_notify_only_on_change (ORD_TYPE_PRODUCT);
  check_notify_only_on_change (ORD_TYPE_ORDER_ITEM);
  check_notify_only_on_change (ORD_TYPE_ORDER);
}

static void
test_setters_notify (void)
{
  g_autoptr(OrdOrderItem) item = ord_order_item_new ();
  g_autoptr(OrdOrder) order = ord_order_new ();
  g_autoptr(OrdCustomer) customer = ord_customer_new ();
  NotifyLog log;

  notify_log_init (&log, item);
  ord_order_item_set_unit_price (item, 250);
  ord_order_item_set_unit_price (item, 250);
  ord_order_item_set_quantity (item, 1);     /* the default: nothing changes */
  ord_order_item_set_quantity (item, 4);
  ord_order_item_set_discount (item, 0);     /* the default */
  ord_order_item_set_name (item, "Tea");
  ord_order_item_set_name (item, "Tea");
  g_assert_cmpuint (notify_count (&log, "unit-price"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "quantity"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "discount"), ==, 0);
  g_assert_cmpuint (notify_count (&log, "name"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "line-total"), ==, 2);
  g_assert_cmpint (ord_order_item_get_line_total (item), ==, 1000);
  notify_log_clear (&log, item);

  notify_log_init (&log, order);
  ord_order_set_status (order, ORD_STATUS_PENDING);   /* the default */
  ord_order_set_status (order, ORD_STATUS_SHIPPED);
  ord_order_set_status (order, ORD_STATUS_SHIPPED);
  ord_order_set_currency (order, "USD");              /* the default */
  ord_order_set_currency (order, "GBP");
  ord_order_set_notes (order, NULL);                  /* the default */
  ord_order_set_notes (order, "Ring twice");
  ord_order_set_notes (order, "Ring twice");
  ord_order_set_notes (order, NULL);
  g_assert_cmpuint (notify_count (&log, "status"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "currency"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "notes"), ==, 2);
  g_assert_null (ord_order_get_notes (order));
  notify_log_clear (&log, order);

  notify_log_init (&log, customer);
  ord_customer_set_name (customer, "Ada");
  ord_customer_set_name (customer, "Ada");
  ord_customer_set_deleted (customer, FALSE);
  ord_customer_set_deleted (customer, 2);   /* any true value is TRUE */
  ord_customer_set_deleted (customer, TRUE);
  g_assert_cmpuint (notify_count (&log, "name"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "deleted"), ==, 1);
  notify_log_clear (&log, customer);
}

static void
test_defaults (void)
{
  g_autoptr(OrdOrder) order = ord_order_new ();
  g_autoptr(OrdProduct) product = ord_product_new ();
  g_autoptr(OrdOrderItem) item = ord_order_item_new ();

  g_assert_cmpstr (ord_order_get_currency (order), ==, "USD");
  g_assert_cmpint (ord_order_get_status (order), ==, ORD_STATUS_PENDING);
  g_assert_cmpuint (ord_order_get_n_items (order), ==, 0);
  g_assert_true (g_list_model_get_item_type (ord_order_get_items (order)) ==
                 ORD_TYPE_ORDER_ITEM);
  g_assert_cmpstr (ord_product_get_currency (product), ==, "USD");
  g_assert_true (ord_product_get_active (product));
  g_assert_cmpint (ord_order_item_get_quantity (item), ==, 1);
}

static OrdOrderItem *
make_item (const char *name,
           gint64      unit_price,
           gint64      quantity,
           gint64      discount)
{
  OrdOrderItem *item = ord_order_item_new ();

  ord_order_item_set_name (item, name);
  ord_order_item_set_unit_price (item, unit_price);
  ord_order_item_set_quantity (item, quantity);
  ord_order_item_set_discount (item, discount);

  return item;
}

static void
add_item (OrdOrder   *order,
          const char *name,
          gint64      unit_price,
          gint64      quantity,
          gint64      discount)
{
  g_autoptr(OrdOrderItem) item = make_item (name, unit_price, quantity, discount);

  ord_order_add_item (order, item);
}

static void
test_copy_is_deep (void)
{
  g_autoptr(OrdOrder) order = ord_order_new ();
  g_autoptr(OrdOrder) copy = NULL;
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  ord_order_set_id (order, "0190a7c2-0000-7000-8000-000000000001");
  ord_order_set_number (order, "1042");
  ord_order_set_provisional_number (order, "T3-0042");
  ord_order_set_customer_name (order, "Ada Lovelace");
  ord_order_set_status (order, ORD_STATUS_CONFIRMED);
  ord_order_set_created_at (order, 1700000000000000);
  ord_order_set_due_at (order, 1700000000000000 + (gint64) G_USEC_PER_SEC * 86400);
  ord_order_set_notes (order, "Leave at the door");
  ord_order_set_currency (order, "GBP");
  ord_order_set_discount (order, 50);
  ord_order_set_tax_rate (order, 2000);
  ord_order_set_version (order, 7);
  ord_order_set_external_ref (order, "536365");
  add_item (order, "Tea", 250, 2, 0);
  add_item (order, "Scones", 120, 6, 20);
  g_assert_true (ord_order_compute_totals (order, NULL));

  copy = ord_order_copy (order);
  g_assert_true (copy != order);

  /* Every property is equal. */
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (order), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) a = G_VALUE_INIT;
      g_auto(GValue) b = G_VALUE_INIT;

      g_value_init (&a, pspecs[i]->value_type);
      g_value_init (&b, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (order), pspecs[i]->name, &a);
      g_object_get_property (G_OBJECT (copy), pspecs[i]->name, &b);
      g_test_message ("order:%s", pspecs[i]->name);
      g_assert_cmpint (g_param_values_cmp (pspecs[i], &a, &b), ==, 0);
    }
  g_assert_cmpint (ord_order_get_total (copy), ==, ord_order_get_total (order));
  g_assert_cmpint (ord_order_get_total (copy), !=, 0);

  /* The lines are copies, not shared. */
  g_assert_cmpuint (ord_order_get_n_items (copy), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(OrdOrderItem) a = ord_order_get_item (order, i);
      g_autoptr(OrdOrderItem) b = ord_order_get_item (copy, i);

      g_assert_true (a != b);
      g_assert_cmpstr (ord_order_item_get_name (a), ==, ord_order_item_get_name (b));
      g_assert_cmpint (ord_order_item_get_line_total (a), ==, ord_order_item_get_line_total (b));
    }

  /* Editing the copy leaves the original alone. */
  {
    g_autoptr(OrdOrderItem) copied = ord_order_get_item (copy, 0);
    g_autoptr(OrdOrderItem) original = ord_order_get_item (order, 0);

    ord_order_item_set_quantity (copied, 10);
    ord_order_remove_item (copy, 1);
    ord_order_set_notes (copy, "changed");
    g_assert_cmpint (ord_order_item_get_quantity (original), ==, 2);
  }
  g_assert_cmpuint (ord_order_get_n_items (order), ==, 2);
  g_assert_cmpstr (ord_order_get_notes (order), ==, "Leave at the door");
}

static void
test_compute_totals (void)
{
  g_autoptr(OrdOrder) order = ord_order_new ();
  g_autoptr(GError) error = NULL;
  NotifyLog log;

  /* Same numbers as the hand-worked example in test-money.c:
   * 7.50 + 6.93 + 11.49 = 25.92, − 0.92 = 25.00, tax 17.5 % = 4.375 → 4.38,
   * total 29.38. */
  ord_order_set_currency (order, "GBP");
  add_item (order, "Tea", 255, 3, 15);
  add_item (order, "Biscuits", 99, 7, 0);
  add_item (order, "Teapot", 1249, 1, 100);
  ord_order_set_discount (order, 92);
  ord_order_set_tax_rate (order, 1750);

  notify_log_init (&log, order);
  g_assert_true (ord_order_compute_totals (order, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ord_order_get_subtotal (order), ==, 2592);
  g_assert_cmpint (ord_order_get_tax (order), ==, 438);
  g_assert_cmpint (ord_order_get_total (order), ==, 2938);
  /* item-count is the number of lines, not of pieces (3 + 7 + 1) */
  g_assert_cmpuint (ord_order_get_item_count (order), ==, 3);
  g_assert_cmpuint (notify_count (&log, "subtotal"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "tax"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "total"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "item-count"), ==, 1);
  g_assert_cmpuint (notify_count (&log, "discount"), ==, 0);

  /* Nothing changed: no notifications. */
  g_assert_true (ord_order_compute_totals (order, &error));
  g_assert_cmpuint (notify_count (&log, "total"), ==, 1);

  /* A bad line: an error naming it, and the order keeps its totals. */
  {
    g_autoptr(OrdOrderItem) second = ord_order_get_item (order, 1);

    ord_order_item_set_quantity (second, 0);
  }
  g_assert_false (ord_order_compute_totals (order, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_NEGATIVE);
  g_assert_cmpstr (error->message, ==, "line 2: quantity “0” must be positive");
  g_clear_error (&error);
  g_assert_cmpint (ord_order_get_total (order), ==, 2938);
  g_assert_cmpuint (notify_count (&log, "total"), ==, 1);

  /* Removing the line fixes it: 25.92 − 6.93 − 0.92 = 18.07, tax 3.16225
   * → 3.16, total 21.23. */
  ord_order_remove_item (order, 1);
  g_assert_true (ord_order_compute_totals (order, &error));
  g_assert_cmpint (ord_order_get_subtotal (order), ==, 1899);
  g_assert_cmpint (ord_order_get_tax (order), ==, 316);
  g_assert_cmpint (ord_order_get_total (order), ==, 2123);
  g_assert_cmpuint (ord_order_get_item_count (order), ==, 2);
  g_assert_cmpuint (notify_count (&log, "item-count"), ==, 2);

  /* A discount larger than the subtotal, in the order's currency. */
  ord_order_set_discount (order, 1900);
  g_assert_false (ord_order_compute_totals (order, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_NEGATIVE);
  g_assert_cmpstr (error->message, ==,
                   "The order discount “19.00” is more than the subtotal (18.99)");
  g_clear_error (&error);

  ord_order_clear_items (order);
  ord_order_set_discount (order, 0);
  g_assert_true (ord_order_compute_totals (order, &error));
  g_assert_cmpint (ord_order_get_total (order), ==, 0);
  g_assert_cmpuint (ord_order_get_item_count (order), ==, 0);

  notify_log_clear (&log, order);
}

static void
test_set_totals (void)
{
  g_autoptr(OrdOrder) order = ord_order_new ();
  OrdTotals totals = { 1000, 100, 180, 1080 };

  ord_order_set_totals (order, &totals, 5);
  g_assert_cmpint (ord_order_get_subtotal (order), ==, 1000);
  g_assert_cmpint (ord_order_get_discount (order), ==, 100);
  g_assert_cmpint (ord_order_get_tax (order), ==, 180);
  g_assert_cmpint (ord_order_get_total (order), ==, 1080);
  g_assert_cmpuint (ord_order_get_item_count (order), ==, 5);
  /* No lines were loaded: that is fine for a list row. */
  g_assert_cmpuint (ord_order_get_n_items (order), ==, 0);
}

static void
test_item (void)
{
  g_autoptr(OrdOrderItem) item = make_item ("Tea", 250, 3, 50);
  g_autoptr(OrdOrderItem) copy = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total = 0;

  ord_order_item_set_id (item, "item-1");
  ord_order_item_set_sku (item, "TEA-01");
  g_assert_true (ord_order_item_compute_total (item, &total, &error));
  g_assert_cmpint (total, ==, 700);

  copy = ord_order_item_copy (item);
  g_assert_cmpstr (ord_order_item_get_id (copy), ==, "item-1");
  g_assert_cmpstr (ord_order_item_get_sku (copy), ==, "TEA-01");
  g_assert_cmpint (ord_order_item_get_line_total (copy), ==, 700);
  ord_order_item_set_quantity (copy, 1);
  g_assert_cmpint (ord_order_item_get_quantity (item), ==, 3);

  ord_order_item_set_unit_price (item, G_MAXINT64);
  g_assert_false (ord_order_item_compute_total (item, &total, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_OVERFLOW);
  g_assert_cmpint (total, ==, 700);
  g_assert_cmpint (ord_order_item_get_line_total (item), ==, 0);
}

static char *
describe (OrdEventKind  kind,
          int           from,
          int           to,
          const char   *reason,
          const char   *details)
{
  g_autoptr(OrdOrderEvent) event = ord_order_event_new (1, "order-1", 1700000000000000,
                                                        "ada", kind, from, to, reason, details);

  return ord_order_event_describe (event);
}

#define assert_describes(expected, ...) \
  G_STMT_START { \
    g_autofree char *text_ = describe (__VA_ARGS__); \
    g_assert_cmpstr (text_, ==, expected); \
  } G_STMT_END

static void
test_event_describe (void)
{
  assert_describes ("Created", ORD_EVENT_CREATED, -1, -1, NULL, NULL);
  assert_describes ("Edited: notes, due date", ORD_EVENT_EDITED, -1, -1, NULL,
                    "{\"notes\": {\"from\": \"a\", \"to\": \"b\"},"
                    " \"due_at\": {\"from\": 0, \"to\": 1700000000000000}}");
  assert_describes ("Edited: items, discount, customer", ORD_EVENT_EDITED, -1, -1, NULL,
                    "{\"items\": {}, \"discount\": {\"from\": 0, \"to\": 5},"
                    " \"customer-id\": {}, \"customer_name\": {}}");
  assert_describes ("Edited: shipping address", ORD_EVENT_EDITED, -1, -1, NULL,
                    "{\"shipping_address\": {}}");
  assert_describes ("Edited", ORD_EVENT_EDITED, -1, -1, NULL, NULL);
  assert_describes ("Edited", ORD_EVENT_EDITED, -1, -1, NULL, "{}");
  assert_describes ("Edited", ORD_EVENT_EDITED, -1, -1, NULL, "not json {");
  assert_describes ("Edited", ORD_EVENT_EDITED, -1, -1, NULL, "[1, 2]");
  assert_describes ("Confirmed", ORD_EVENT_STATUS, ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED,
                    NULL, NULL);
  assert_describes ("Shipped", ORD_EVENT_STATUS, ORD_STATUS_PREPARING, ORD_STATUS_SHIPPED,
                    NULL, NULL);
  assert_describes ("Delivered", ORD_EVENT_STATUS, ORD_STATUS_SHIPPED, ORD_STATUS_DELIVERED,
                    NULL, NULL);
  assert_describes ("Moved from Pending to Shipped", ORD_EVENT_STATUS, ORD_STATUS_PENDING,
                    ORD_STATUS_SHIPPED, NULL, NULL);
  assert_describes ("Status changed", ORD_EVENT_STATUS, -1, -1, NULL, NULL);
  assert_describes ("Cancelled: customer moved", ORD_EVENT_CANCELLED, ORD_STATUS_PENDING,
                    ORD_STATUS_CANCELLED, "customer moved", NULL);
  assert_describes ("Cancelled", ORD_EVENT_CANCELLED, ORD_STATUS_PENDING,
                    ORD_STATUS_CANCELLED, NULL, NULL);
  assert_describes ("Reopened to Pending: wrong address", ORD_EVENT_REOPENED,
                    ORD_STATUS_PREPARING, ORD_STATUS_PENDING, "wrong address", NULL);
  assert_describes ("Reopened to Confirmed", ORD_EVENT_REOPENED,
                    ORD_STATUS_PREPARING, ORD_STATUS_CONFIRMED, "", NULL);
  assert_describes ("Imported", ORD_EVENT_IMPORTED, -1, -1, NULL, NULL);
  assert_describes ("Held for the owner’s approval: order is confirmed", ORD_EVENT_SYNC_HELD,
                    -1, -1, "order is confirmed", NULL);
  assert_describes ("Rejected by the server: order_locked", ORD_EVENT_SYNC_REJECTED,
                    -1, -1, "order_locked", NULL);
  assert_describes ("Merged with changes from another device", ORD_EVENT_SYNC_MERGED,
                    -1, -1, NULL, NULL);
}

static void
test_event_properties (void)
{
  g_autoptr(OrdOrderEvent) event = ord_order_event_new (17, "order-1", 1700000000000000, "ada",
                                                        ORD_EVENT_REOPENED,
                                                        ORD_STATUS_CONFIRMED,
                                                        ORD_STATUS_PENDING,
                                                        "wrong address", "{}");
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (event), "reason");

  g_assert_cmpint (ord_order_event_get_id (event), ==, 17);
  g_assert_cmpstr (ord_order_event_get_order_id (event), ==, "order-1");
  g_assert_cmpint (ord_order_event_get_at (event), ==, 1700000000000000);
  g_assert_cmpstr (ord_order_event_get_actor (event), ==, "ada");
  g_assert_cmpint (ord_order_event_get_kind (event), ==, ORD_EVENT_REOPENED);
  g_assert_cmpint (ord_order_event_get_from_status (event), ==, ORD_STATUS_CONFIRMED);
  g_assert_cmpint (ord_order_event_get_to_status (event), ==, ORD_STATUS_PENDING);
  g_assert_cmpstr (ord_order_event_get_reason (event), ==, "wrong address");
  g_assert_cmpstr (ord_order_event_get_details (event), ==, "{}");
  g_assert_true (pspec->flags & G_PARAM_CONSTRUCT_ONLY);
}

static void
test_event_kind_strings (void)
{
  static const char * const names[] = {
    "created", "edited", "status", "cancelled", "reopened", "imported",
    "sync-held", "sync-rejected", "sync-merged", "held-approved", "held-declined",
  };
  OrdEventKind kind;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpstr (ord_event_kind_to_string (i), ==, names[i]);
      g_assert_true (ord_event_kind_from_string (names[i], &kind));
      g_assert_cmpint (kind, ==, i);
    }
  g_assert_false (ord_event_kind_from_string ("sync_held", &kind));
  g_assert_false (ord_event_kind_from_string ("", &kind));
  g_assert_false (ord_event_kind_from_string (NULL, &kind));
}

/* The 48-bit millisecond timestamp of a UUIDv7. */
static gint64
uuid_unix_ms (const char *uuid)
{
  char hex[13];

  memcpy (hex, uuid, 8);
  memcpy (hex + 8, uuid + 9, 4);
  hex[12] = '\0';

  return (gint64) g_ascii_strtoull (hex, NULL, 16);
}

static void
assert_v7 (const char *uuid)
{
  g_assert_true (ord_uuid_is_valid (uuid));
  g_assert_cmpuint (strlen (uuid), ==, 36);
  g_assert_cmpint (uuid[14], ==, '7');                  /* version */
  g_assert_nonnull (strchr ("89ab", uuid[19]));         /* variant 0b10 */
  for (const char *p = uuid; *p != '\0'; p++)
    g_assert_true (*p == '-' || g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f'));
}

static void
test_uuid_format (void)
{
  gint64 before = g_get_real_time () / 1000;
  g_autofree char *uuid = ord_uuid_new ();
  gint64 after = g_get_real_time () / 1000;

  assert_v7 (uuid);
  g_assert_cmpint (uuid_unix_ms (uuid), >=, before);
  g_assert_cmpint (uuid_unix_ms (uuid), <=, after + 1);
}

static void
test_uuid_monotonic (void)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < 10000; i++)
    g_ptr_array_add (ids, ord_uuid_new ());

  /* 10,000 ids come much faster than one per millisecond, so many share
   * a millisecond: they still sort in creation order, and are unique. */
  for (guint i = 0; i < ids->len; i++)
    {
      assert_v7 (g_ptr_array_index (ids, i));
      if (i > 0)
        g_assert_cmpint (strcmp (g_ptr_array_index (ids, i - 1), g_ptr_array_index (ids, i)),
                         <, 0);
    }
}

#define N_THREADS 4
#define N_PER_THREAD 2500

static gpointer
make_ids (gpointer data)
{
  char **ids = data;

  for (guint i = 0; i < N_PER_THREAD; i++)
    ids[i] = ord_uuid_new ();

  return NULL;
}

static void
test_uuid_threads (void)
{
  char *ids[N_THREADS][N_PER_THREAD];
  GThread *threads[N_THREADS];
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("uuid", make_ids, ids[t]);
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);

  for (guint t = 0; t < N_THREADS; t++)
    for (guint i = 0; i < N_PER_THREAD; i++)
      {
        if (i > 0)
          g_assert_cmpint (strcmp (ids[t][i - 1], ids[t][i]), <, 0);
        g_assert_true (g_hash_table_add (seen, ids[t][i]));
      }

  g_assert_cmpuint (g_hash_table_size (seen), ==, N_THREADS * N_PER_THREAD);
}

static void
test_uuid_deterministic (void)
{
  g_autoptr(GRand) a = g_rand_new_with_seed (42);
  g_autoptr(GRand) b = g_rand_new_with_seed (42);
  g_autoptr(GRand) c = g_rand_new_with_seed (43);
  gint64 ms = G_GINT64_CONSTANT (0x0123456789ab);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *x = ord_uuid_new_from (ms + i, a);
      g_autofree char *y = ord_uuid_new_from (ms + i, b);
      g_autofree char *z = ord_uuid_new_from (ms + i, c);

      assert_v7 (x);
      g_assert_cmpstr (x, ==, y);
      g_assert_cmpstr (x, !=, z);
      g_assert_cmpint (uuid_unix_ms (x), ==, ms + i);
    }

  {
    g_autoptr(GRand) r = g_rand_new_with_seed (1);
    g_autofree char *first = ord_uuid_new_from (ms, r);
    g_autofree char *zero = ord_uuid_new_from (0, r);
    g_autofree char *last = ord_uuid_new_from ((G_GINT64_CONSTANT (1) << 48) - 1, r);

    g_assert_true (g_str_has_prefix (first, "01234567-89ab-7"));
    g_assert_true (g_str_has_prefix (zero, "00000000-0000-7"));
    g_assert_true (g_str_has_prefix (last, "ffffffff-ffff-7"));
  }
}

static void
test_uuid_is_valid (void)
{
  g_assert_true (ord_uuid_is_valid ("0190a7c2-1b3d-7e4f-8a5b-6c7d8e9f0a1b"));
  g_assert_true (ord_uuid_is_valid ("0190A7C2-1B3D-7E4F-8A5B-6C7D8E9F0A1B"));
  g_assert_true (ord_uuid_is_valid ("f47ac10b-58cc-4372-a567-0e02b2c3d479"));  /* v4 */
  g_assert_true (ord_uuid_is_valid ("00000000-0000-0000-0000-000000000000"));
  g_assert_false (ord_uuid_is_valid (NULL));
  g_assert_false (ord_uuid_is_valid (""));
  g_assert_false (ord_uuid_is_valid ("0190a7c2-1b3d-7e4f-8a5b-6c7d8e9f0a1"));
  g_assert_false (ord_uuid_is_valid ("0190a7c2-1b3d-7e4f-8a5b-6c7d8e9f0a1bc"));
  g_assert_false (ord_uuid_is_valid ("0190a7c21b3d-7e4f-8a5b-6c7d8e9f0a1b-"));
  g_assert_false (ord_uuid_is_valid ("0190a7c2-1b3d-7e4f-8a5b-6c7d8e9f0a1g"));
  g_assert_false (ord_uuid_is_valid ("{0190a7c2-1b3d-7e4f-8a5b-6c7d8e9f0a}"));
  g_assert_false (ord_uuid_is_valid ("0190a7c2 1b3d 7e4f 8a5b 6c7d8e9f0a1b"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/domain/notify-only-on-change", test_notify_only_on_change);
  g_test_add_func ("/domain/setters-notify", test_setters_notify);
  g_test_add_func ("/domain/defaults", test_defaults);
  g_test_add_func ("/domain/copy-is-deep", test_copy_is_deep);
  g_test_add_func ("/domain/compute-totals", test_compute_totals);
  g_test_add_func ("/domain/set-totals", test_set_totals);
  g_test_add_func ("/domain/item", test_item);
  g_test_add_func ("/domain/event-describe", test_event_describe);
  g_test_add_func ("/domain/event-properties", test_event_properties);
  g_test_add_func ("/domain/event-kind-strings", test_event_kind_strings);
  g_test_add_func ("/domain/uuid-format", test_uuid_format);
  g_test_add_func ("/domain/uuid-monotonic", test_uuid_monotonic);
  g_test_add_func ("/domain/uuid-threads", test_uuid_threads);
  g_test_add_func ("/domain/uuid-deterministic", test_uuid_deterministic);
  g_test_add_func ("/domain/uuid-is-valid", test_uuid_is_valid);

  return g_test_run ();
}
