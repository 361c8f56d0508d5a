/* ord-order.c: an order, its lines and its totals
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-order"

#include "config.h"

#include <string.h>

#include "ord-order.h"

#define DEFAULT_CURRENCY "USD"

struct _OrdOrder
{
  GObject parent_instance;

  /* owned */
  GListStore *items;
  char       *id;
  char       *number;
  char       *provisional_number;
  char       *customer_id;
  char       *customer_name;
  char       *notes;
  char       *external_ref;

  char        currency[4];
  OrdStatus   status;
  gint64      created_at;
  gint64      updated_at;
  gint64      due_at;
  gint64      discount;
  guint       tax_rate;
  gint64      subtotal;
  gint64      tax;
  gint64      total;
  guint       item_count;
  gint64      version;
  gboolean    deleted;
};

G_DEFINE_FINAL_TYPE (OrdOrder, ord_order, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NUMBER,
  PROP_PROVISIONAL_NUMBER,
  PROP_CUSTOMER_ID,
  PROP_CUSTOMER_NAME,
  PROP_STATUS,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_DUE_AT,
  PROP_NOTES,
  PROP_CURRENCY,
  PROP_DISCOUNT,
  PROP_TAX_RATE,
  PROP_SUBTOTAL,
  PROP_TAX,
  PROP_TOTAL,
  PROP_ITEM_COUNT,
  PROP_VERSION,
  PROP_DELETED,
  PROP_EXTERNAL_REF,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_str_property (OrdOrder    *self,
                  char       **field,
                  const char  *value,
                  guint        prop_id)
{
  char *copy;

  if (g_strcmp0 (*field, value) == 0)
    return;

  copy = g_strdup (value);
  g_free (*field);
  *field = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_int64_property (OrdOrder *self,
                    gint64   *field,
                    gint64    value,
                    guint     prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_item_count (OrdOrder *self,
                guint     item_count)
{
  if (self->item_count == item_count)
    return;

  self->item_count = item_count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM_COUNT]);
}

static void
ord_order_dispose (GObject *object)
{
  OrdOrder *self = (OrdOrder *) object;

  g_clear_object (&self->items);

  G_OBJECT_CLASS (ord_order_parent_class)->dispose (object);
}

static void
ord_order_finalize (GObject *object)
{
  OrdOrder *self = (OrdOrder *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->provisional_number, g_free);
  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->customer_name, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->external_ref, g_free);

  G_OBJECT_CLASS (ord_order_parent_class)->finalize (object);
}

static void
ord_order_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  OrdOrder *self = ORD_ORDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;
    case PROP_PROVISIONAL_NUMBER:
      g_value_set_string (value, self->provisional_number);
      break;
    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;
    case PROP_CUSTOMER_NAME:
      g_value_set_string (value, self->customer_name);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    case PROP_DUE_AT:
      g_value_set_int64 (value, self->due_at);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_DISCOUNT:
      g_value_set_int64 (value, self->discount);
      break;
    case PROP_TAX_RATE:
      g_value_set_uint (value, self->tax_rate);
      break;
    case PROP_SUBTOTAL:
      g_value_set_int64 (value, self->subtotal);
      break;
    case PROP_TAX:
      g_value_set_int64 (value, self->tax);
      break;
    case PROP_TOTAL:
      g_value_set_int64 (value, self->total);
      break;
    case PROP_ITEM_COUNT:
      g_value_set_uint (value, self->item_count);
      break;
    case PROP_VERSION:
      g_value_set_int64 (value, self->version);
      break;
    case PROP_DELETED:
      g_value_set_boolean (value, self->deleted);
      break;
    case PROP_EXTERNAL_REF:
      g_value_set_string (value, self->external_ref);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_order_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  OrdOrder *self = ORD_ORDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      ord_order_set_id (self, g_value_get_string (value));
      break;
    case PROP_NUMBER:
      ord_order_set_number (self, g_value_get_string (value));
      break;
    case PROP_PROVISIONAL_NUMBER:
      ord_order_set_provisional_number (self, g_value_get_string (value));
      break;
    case PROP_CUSTOMER_ID:
      ord_order_set_customer_id (self, g_value_get_string (value));
      break;
    case PROP_CUSTOMER_NAME:
      ord_order_set_customer_name (self, g_value_get_string (value));
      break;
    case PROP_STATUS:
      ord_order_set_status (self, g_value_get_enum (value));
      break;
    case PROP_CREATED_AT:
      ord_order_set_created_at (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED_AT:
      ord_order_set_updated_at (self, g_value_get_int64 (value));
      break;
    case PROP_DUE_AT:
      ord_order_set_due_at (self, g_value_get_int64 (value));
      break;
    case PROP_NOTES:
      ord_order_set_notes (self, g_value_get_string (value));
      break;
    case PROP_CURRENCY:
      ord_order_set_currency (self, g_value_get_string (value));
      break;
    case PROP_DISCOUNT:
      ord_order_set_discount (self, g_value_get_int64 (value));
      break;
    case PROP_TAX_RATE:
      ord_order_set_tax_rate (self, g_value_get_uint (value));
      break;
    case PROP_VERSION:
      ord_order_set_version (self, g_value_get_int64 (value));
      break;
    case PROP_DELETED:
      ord_order_set_deleted (self, g_value_get_boolean (value));
      break;
    case PROP_EXTERNAL_REF:
      ord_order_set_external_ref (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_order_class_init (OrdOrderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro_flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = ord_order_dispose;
  object_class->finalize = ord_order_finalize;
  object_class->get_property = ord_order_get_property;
  object_class->set_property = ord_order_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, NULL, flags);
  properties[PROP_PROVISIONAL_NUMBER] =
    g_param_spec_string ("provisional-number", NULL, NULL, NULL, flags);
  properties[PROP_CUSTOMER_ID] = g_param_spec_string ("customer-id", NULL, NULL, NULL, flags);
  properties[PROP_CUSTOMER_NAME] =
    g_param_spec_string ("customer-name", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, ORD_TYPE_STATUS, ORD_STATUS_PENDING, flags);
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_DUE_AT] =
    g_param_spec_int64 ("due-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL, flags);
  properties[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL, DEFAULT_CURRENCY, flags);
  properties[PROP_DISCOUNT] =
    g_param_spec_int64 ("discount", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_TAX_RATE] =
    g_param_spec_uint ("tax-rate", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_SUBTOTAL] =
    g_param_spec_int64 ("subtotal", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro_flags);
  properties[PROP_TAX] =
    g_param_spec_int64 ("tax", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro_flags);
  properties[PROP_TOTAL] =
    g_param_spec_int64 ("total", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro_flags);
  properties[PROP_ITEM_COUNT] =
    g_param_spec_uint ("item-count", NULL, NULL, 0, G_MAXUINT, 0, ro_flags);
  properties[PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_DELETED] = g_param_spec_boolean ("deleted", NULL, NULL, FALSE, flags);
  properties[PROP_EXTERNAL_REF] = g_param_spec_string ("external-ref", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ord_order_init (OrdOrder *self)
{
  self->items = g_list_store_new (ORD_TYPE_ORDER_ITEM);
  self->status = ORD_STATUS_PENDING;
  g_strlcpy (self->currency, DEFAULT_CURRENCY, sizeof self->currency);
}

/**
 * ord_order_new:
 *
 * Returns: (transfer full): a new pending order in USD without lines
 */
OrdOrder *
ord_order_new (void)
{
  return g_object_new (ORD_TYPE_ORDER, NULL);
}

/**
 * ord_order_copy:
 * @self: an order
 *
 * A deep copy: every field, and a copy of every line, so that changing
 * the copy (an editor's working copy) leaves @self alone.
 *
 * Returns: (transfer full): the copy
 */
OrdOrder *
ord_order_copy (OrdOrder *self)
{
  OrdOrder *copy;
  guint n_items;

  g_return_val_if_fail (ORD_IS_ORDER (self), NULL);

  copy = ord_order_new ();
  copy->id = g_strdup (self->id);
  copy->number = g_strdup (self->number);
  copy->provisional_number = g_strdup (self->provisional_number);
  copy->customer_id = g_strdup (self->customer_id);
  copy->customer_name = g_strdup (self->customer_name);
  copy->notes = g_strdup (self->notes);
  copy->external_ref = g_strdup (self->external_ref);
  memcpy (copy->currency, self->currency, sizeof copy->currency);
  copy->status = self->status;
  copy->created_at = self->created_at;
  copy->updated_at = self->updated_at;
  copy->due_at = self->due_at;
  copy->discount = self->discount;
  copy->tax_rate = self->tax_rate;
  copy->subtotal = self->subtotal;
  copy->tax = self->tax;
  copy->total = self->total;
  copy->item_count = self->item_count;
  copy->version = self->version;
  copy->deleted = self->deleted;

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(OrdOrderItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      g_autoptr(OrdOrderItem) item_copy = ord_order_item_copy (item);

      g_list_store_append (copy->items, item_copy);
    }

  return copy;
}

const char *
ord_order_get_id (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), NULL);
  return self->id;
}

void
ord_order_set_id (OrdOrder   *self,
                  const char *id)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  set_str_property (self, &self->id, id, PROP_ID);
}

const char *
ord_order_get_number (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), NULL);
  return self->number;
}

void
ord_order_set_number (OrdOrder   *self,
                      const char *number)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  set_str_property (self, &self->number, number, PROP_NUMBER);
}

const char *
ord_order_get_provisional_number (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), NULL);
  return self->provisional_number;
}

void
ord_order_set_provisional_number (OrdOrder   *self,
                                  const char *number)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  set_str_property (self, &self->provisional_number, number, PROP_PROVISIONAL_NUMBER);
}

const char *
ord_order_get_customer_id (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), NULL);
  return self->customer_id;
}

void
ord_order_set_customer_id (OrdOrder   *self,
                           const char *customer_id)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  set_str_property (self, &self->customer_id, customer_id, PROP_CUSTOMER_ID);
}

const char *
ord_order_get_customer_name (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), NULL);
  return self->customer_name;
}

void
ord_order_set_customer_name (OrdOrder   *self,
                             const char *name)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  set_str_property (self, &self->customer_name, name, PROP_CUSTOMER_NAME);
}

OrdStatus
ord_order_get_status (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), ORD_STATUS_PENDING);
  return self->status;
}

/**
 * ord_order_set_status:
 * @self: an order
 * @status: the new status
 *
 * Sets the status as it is, without asking the state machine: this is for
 * loading and for code that has already called
 * ord_status_check_transition().
 */
void
ord_order_set_status (OrdOrder  *self,
                      OrdStatus  status)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  g_return_if_fail ((guint) status < ORD_N_STATUSES);

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

gint64
ord_order_get_created_at (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), 0);
  return self->created_at;
}

void
ord_order_set_created_at (OrdOrder *self,
                          gint64    created_at)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  set_int64_property (self, &self->created_at, created_at, PROP_CREATED_AT);
}

gint64
ord_order_get_updated_at (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), 0);
  return self->updated_at;
}

void
ord_order_set_updated_at (OrdOrder *self,
                          gint64    updated_at)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  set_int64_property (self, &self->updated_at, updated_at, PROP_UPDATED_AT);
}

gint64
ord_order_get_due_at (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), 0);
  return self->due_at;
}

void
ord_order_set_due_at (OrdOrder *self,
                      gint64    due_at)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  set_int64_property (self, &self->due_at, due_at, PROP_DUE_AT);
}

const char *
ord_order_get_notes (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), NULL);
  return self->notes;
}

void
ord_order_set_notes (OrdOrder   *self,
                     const char *notes)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  set_str_property (self, &self->notes, notes, PROP_NOTES);
}

const char *
ord_order_get_currency (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), NULL);
  return self->currency;
}

/**
 * ord_order_set_currency:
 * @self: an order
 * @currency: an ISO 4217 code (see ord_currency_is_valid())
 *
 * Sets the currency of every amount of the order. Check text from outside
 * with ord_currency_is_valid() first: an invalid code is a programming
 * error.
 */
void
ord_order_set_currency (OrdOrder   *self,
                        const char *currency)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  g_return_if_fail (ord_currency_is_valid (currency));

  if (g_strcmp0 (self->currency, currency) == 0)
    return;

  g_strlcpy (self->currency, currency, sizeof self->currency);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY]);
}

gint64
ord_order_get_discount (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), 0);
  return self->discount;
}

void
ord_order_set_discount (OrdOrder *self,
                        gint64    discount)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  set_int64_property (self, &self->discount, discount, PROP_DISCOUNT);
}

guint
ord_order_get_tax_rate (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), 0);
  return self->tax_rate;
}

void
ord_order_set_tax_rate (OrdOrder *self,
                        guint     basis_points)
{
  g_return_if_fail (ORD_IS_ORDER (self));

  if (self->tax_rate == basis_points)
    return;

  self->tax_rate = basis_points;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAX_RATE]);
}

gint64
ord_order_get_subtotal (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), 0);
  return self->subtotal;
}

gint64
ord_order_get_tax (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), 0);
  return self->tax;
}

gint64
ord_order_get_total (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), 0);
  return self->total;
}

guint
ord_order_get_item_count (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), 0);
  return self->item_count;
}

gint64
ord_order_get_version (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), 0);
  return self->version;
}

void
ord_order_set_version (OrdOrder *self,
                       gint64    version)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  g_return_if_fail (version >= 0);
  set_int64_property (self, &self->version, version, PROP_VERSION);
}

gboolean
ord_order_get_deleted (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), FALSE);
  return self->deleted;
}

void
ord_order_set_deleted (OrdOrder *self,
                       gboolean  deleted)
{
  g_return_if_fail (ORD_IS_ORDER (self));

  deleted = !!deleted;
  if (self->deleted == deleted)
    return;

  self->deleted = deleted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
}

const char *
ord_order_get_external_ref (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), NULL);
  return self->external_ref;
}

void
ord_order_set_external_ref (OrdOrder   *self,
                            const char *ref)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  set_str_property (self, &self->external_ref, ref, PROP_EXTERNAL_REF);
}

/**
 * ord_order_get_items:
 * @self: an order
 *
 * The lines of the order. Change them with ord_order_add_item() and
 * friends; the model emits #GListModel::items-changed.
 *
 * Returns: (transfer none): a #GListModel of #OrdOrderItem
 */
GListModel *
ord_order_get_items (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), NULL);
  return G_LIST_MODEL (self->items);
}

guint
ord_order_get_n_items (OrdOrder *self)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

/**
 * ord_order_get_item:
 * @self: an order
 * @position: the line's position, from 0
 *
 * Returns: (transfer full) (nullable): the line (unref it when done, as
 *   with g_list_model_get_item()), or %NULL when @position is past the end
 */
OrdOrderItem *
ord_order_get_item (OrdOrder *self,
                    guint     position)
{
  g_return_val_if_fail (ORD_IS_ORDER (self), NULL);

  /* Transfer full, like g_list_model_get_item(). */
  return g_list_model_get_item (G_LIST_MODEL (self->items), position);
}

/**
 * ord_order_add_item:
 * @self: an order
 * @item: a line; the order takes a reference
 *
 * Appends a line. The totals are not recomputed: call
 * ord_order_compute_totals().
 */
void
ord_order_add_item (OrdOrder     *self,
                    OrdOrderItem *item)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  g_return_if_fail (ORD_IS_ORDER_ITEM (item));

  g_list_store_append (self->items, item);
}

void
ord_order_remove_item (OrdOrder *self,
                       guint     position)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->items)));

  g_list_store_remove (self->items, position);
}

void
ord_order_clear_items (OrdOrder *self)
{
  g_return_if_fail (ORD_IS_ORDER (self));

  g_list_store_remove_all (self->items);
}

static void
apply_totals (OrdOrder        *self,
              const OrdTotals *totals,
              guint            item_count)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_int64_property (self, &self->discount, totals->discount, PROP_DISCOUNT);
  set_int64_property (self, &self->subtotal, totals->subtotal, PROP_SUBTOTAL);
  set_int64_property (self, &self->tax, totals->tax, PROP_TAX);
  set_int64_property (self, &self->total, totals->total, PROP_TOTAL);
  set_item_count (self, item_count);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * ord_order_compute_totals:
 * @self: an order
 * @error: return location for a #GError
 *
 * Recomputes subtotal, tax, total and item-count (the number of lines)
 * with ord_totals_compute(), notifying what changed.
 *
 * Returns: %TRUE on success; on error (#ORD_MONEY_ERROR, naming the line)
 *   the order is unchanged
 */
gboolean
ord_order_compute_totals (OrdOrder  *self,
                          GError   **error)
{
  g_autofree OrdLineAmount *lines = NULL;
  OrdTotals totals;
  guint n_items;

  g_return_val_if_fail (ORD_IS_ORDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  lines = g_new0 (OrdLineAmount, MAX (n_items, 1));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(OrdOrderItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      lines[i].unit_price = ord_order_item_get_unit_price (item);
      lines[i].quantity = ord_order_item_get_quantity (item);
      lines[i].discount = ord_order_item_get_discount (item);
    }

  if (!ord_totals_compute_for_currency (lines, n_items, self->discount, self->tax_rate,
                                        self->currency, &totals, error))
    return FALSE;

  apply_totals (self, &totals, n_items);
  return TRUE;
}

/**
 * ord_order_set_totals:
 * @self: an order
 * @totals: the totals as stored
 * @item_count: the number of lines as stored
 *
 * Sets the totals (discount included) and item-count as loaded from a
 * database row, without the lines: a list shows orders without loading
 * every line.
 */
void
ord_order_set_totals (OrdOrder        *self,
                      const OrdTotals *totals,
                      guint            item_count)
{
  g_return_if_fail (ORD_IS_ORDER (self));
  g_return_if_fail (totals != NULL);

  apply_totals (self, totals, item_count);
}
