/* ord-order-item.c: one line of an order
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-order-item"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ord-money.h"
#include "ord-order-item.h"

struct _OrdOrderItem
{
  GObject parent_instance;

  char   *id;
  char   *product_id;
  char   *sku;
  char   *name;
  gint64  unit_price;
  gint64  quantity;
  gint64  discount;
};

G_DEFINE_FINAL_TYPE (OrdOrderItem, ord_order_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PRODUCT_ID,
  PROP_SKU,
  PROP_NAME,
  PROP_UNIT_PRICE,
  PROP_QUANTITY,
  PROP_DISCOUNT,
  PROP_LINE_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_str_property (OrdOrderItem  *self,
                  char         **field,
                  const char    *value,
                  guint          prop_id)
{
  char *copy;

  if (g_strcmp0 (*field, value) == 0)
    return;

  copy = g_strdup (value);
  g_free (*field);
  *field = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* Sets one of the numbers line-total depends on, notifying both. */
static void
set_amount_property (OrdOrderItem *self,
                     gint64       *field,
                     gint64        value,
                     guint         prop_id)
{
  gint64 old_total;

  if (*field == value)
    return;

  old_total = ord_order_item_get_line_total (self);
  *field = value;

  /* No freeze/thaw around the two: it takes a lock each time, and an
   * import sets three amounts on half a million lines. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  if (ord_order_item_get_line_total (self) != old_total)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINE_TOTAL]);
}

static void
ord_order_item_finalize (GObject *object)
{
  OrdOrderItem *self = (OrdOrderItem *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->product_id, g_free);
  g_clear_pointer (&self->sku, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (ord_order_item_parent_class)->finalize (object);
}

static void
ord_order_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  OrdOrderItem *self = ORD_ORDER_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PRODUCT_ID:
      g_value_set_string (value, self->product_id);
      break;
    case PROP_SKU:
      g_value_set_string (value, self->sku);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_UNIT_PRICE:
      g_value_set_int64 (value, self->unit_price);
      break;
    case PROP_QUANTITY:
      g_value_set_int64 (value, self->quantity);
      break;
    case PROP_DISCOUNT:
      g_value_set_int64 (value, self->discount);
      break;
    case PROP_LINE_TOTAL:
      g_value_set_int64 (value, ord_order_item_get_line_total (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_order_item_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  OrdOrderItem *self = ORD_ORDER_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      ord_order_item_set_id (self, g_value_get_string (value));
      break;
    case PROP_PRODUCT_ID:
      ord_order_item_set_product_id (self, g_value_get_string (value));
      break;
    case PROP_SKU:
      ord_order_item_set_sku (self, g_value_get_string (value));
      break;
    case PROP_NAME:
      ord_order_item_set_name (self, g_value_get_string (value));
      break;
    case PROP_UNIT_PRICE:
      ord_order_item_set_unit_price (self, g_value_get_int64 (value));
      break;
    case PROP_QUANTITY:
      ord_order_item_set_quantity (self, g_value_get_int64 (value));
      break;
    case PROP_DISCOUNT:
      ord_order_item_set_discount (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_order_item_class_init (OrdOrderItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = ord_order_item_finalize;
  object_class->get_property = ord_order_item_get_property;
  object_class->set_property = ord_order_item_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_PRODUCT_ID] = g_param_spec_string ("product-id", NULL, NULL, NULL, flags);
  properties[PROP_SKU] = g_param_spec_string ("sku", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  /* The ranges are open: ord_totals_compute() is the one place that
   * judges a line, with a message that says which and why. */
  properties[PROP_UNIT_PRICE] =
    g_param_spec_int64 ("unit-price", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_QUANTITY] =
    g_param_spec_int64 ("quantity", NULL, NULL, G_MININT64, G_MAXINT64, 1, flags);
  properties[PROP_DISCOUNT] =
    g_param_spec_int64 ("discount", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_LINE_TOTAL] =
    g_param_spec_int64 ("line-total", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ord_order_item_init (OrdOrderItem *self)
{
  self->quantity = 1;
}

/**
 * ord_order_item_new:
 *
 * Returns: (transfer full): a new line: quantity 1, price 0
 */
OrdOrderItem *
ord_order_item_new (void)
{
  return g_object_new (ORD_TYPE_ORDER_ITEM, NULL);
}

/**
 * ord_order_item_copy:
 * @self: a line
 *
 * Returns: (transfer full): a new line with the same values, id included
 */
OrdOrderItem *
ord_order_item_copy (OrdOrderItem *self)
{
  OrdOrderItem *copy;

  g_return_val_if_fail (ORD_IS_ORDER_ITEM (self), NULL);

  copy = ord_order_item_new ();
  copy->id = g_strdup (self->id);
  copy->product_id = g_strdup (self->product_id);
  copy->sku = g_strdup (self->sku);
  copy->name = g_strdup (self->name);
  copy->unit_price = self->unit_price;
  copy->quantity = self->quantity;
  copy->discount = self->discount;

  return copy;
}

const char *
ord_order_item_get_id (OrdOrderItem *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_ITEM (self), NULL);
  return self->id;
}

void
ord_order_item_set_id (OrdOrderItem *self,
                       const char   *id)
{
  g_return_if_fail (ORD_IS_ORDER_ITEM (self));
  set_str_property (self, &self->id, id, PROP_ID);
}

const char *
ord_order_item_get_product_id (OrdOrderItem *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_ITEM (self), NULL);
  return self->product_id;
}

void
ord_order_item_set_product_id (OrdOrderItem *self,
                               const char   *product_id)
{
  g_return_if_fail (ORD_IS_ORDER_ITEM (self));
  set_str_property (self, &self->product_id, product_id, PROP_PRODUCT_ID);
}

const char *
ord_order_item_get_sku (OrdOrderItem *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_ITEM (self), NULL);
  return self->sku;
}

void
ord_order_item_set_sku (OrdOrderItem *self,
                        const char   *sku)
{
  g_return_if_fail (ORD_IS_ORDER_ITEM (self));
  set_str_property (self, &self->sku, sku, PROP_SKU);
}

const char *
ord_order_item_get_name (OrdOrderItem *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_ITEM (self), NULL);
  return self->name;
}

void
ord_order_item_set_name (OrdOrderItem *self,
                         const char   *name)
{
  g_return_if_fail (ORD_IS_ORDER_ITEM (self));
  set_str_property (self, &self->name, name, PROP_NAME);
}

gint64
ord_order_item_get_unit_price (OrdOrderItem *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_ITEM (self), 0);
  return self->unit_price;
}

void
ord_order_item_set_unit_price (OrdOrderItem *self,
                               gint64        unit_price)
{
  g_return_if_fail (ORD_IS_ORDER_ITEM (self));
  set_amount_property (self, &self->unit_price, unit_price, PROP_UNIT_PRICE);
}

gint64
ord_order_item_get_quantity (OrdOrderItem *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_ITEM (self), 0);
  return self->quantity;
}

void
ord_order_item_set_quantity (OrdOrderItem *self,
                             gint64        quantity)
{
  g_return_if_fail (ORD_IS_ORDER_ITEM (self));
  set_amount_property (self, &self->quantity, quantity, PROP_QUANTITY);
}

gint64
ord_order_item_get_discount (OrdOrderItem *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_ITEM (self), 0);
  return self->discount;
}

void
ord_order_item_set_discount (OrdOrderItem *self,
                             gint64        discount)
{
  g_return_if_fail (ORD_IS_ORDER_ITEM (self));
  set_amount_property (self, &self->discount, discount, PROP_DISCOUNT);
}

/**
 * ord_order_item_compute_total:
 * @self: a line
 * @total: (out): unit price × quantity − discount
 * @error: return location for a #GError
 *
 * Only checks for overflow; whether the numbers make a valid line (a
 * positive quantity, a discount within the amount) is for
 * ord_totals_compute().
 *
 * Returns: %TRUE on success, %FALSE with %ORD_MONEY_ERROR_OVERFLOW
 */
gboolean
ord_order_item_compute_total (OrdOrderItem  *self,
                              gint64        *total,
                              GError       **error)
{
  gint64 gross;
  gint64 net;

  g_return_val_if_fail (ORD_IS_ORDER_ITEM (self), FALSE);
  g_return_val_if_fail (total != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (__builtin_mul_overflow (self->unit_price, self->quantity, &gross) ||
      __builtin_sub_overflow (gross, self->discount, &net))
    {
      g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_OVERFLOW,
                   _("The line “%s” is too large an amount"),
                   self->name != NULL ? self->name : "");
      return FALSE;
    }

  *total = net;
  return TRUE;
}

/**
 * ord_order_item_get_line_total:
 * @self: a line
 *
 * Returns: unit price × quantity − discount, or 0 when that overflows
 */
gint64
ord_order_item_get_line_total (OrdOrderItem *self)
{
  gint64 total;

  g_return_val_if_fail (ORD_IS_ORDER_ITEM (self), 0);

  if (!ord_order_item_compute_total (self, &total, NULL))
    return 0;

  return total;
}
