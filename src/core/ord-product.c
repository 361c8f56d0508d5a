/* ord-product.c: an item of the catalogue
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-product"

#include "config.h"

#include "ord-money.h"
#include "ord-product.h"

#define DEFAULT_CURRENCY "USD"

struct _OrdProduct
{
  GObject parent_instance;

  char     *id;
  char     *sku;
  char     *name;
  gint64    unit_price;
  char      currency[4];
  gboolean  active;
  gint64    version;
  gint64    updated_at;
  gboolean  deleted;
};

G_DEFINE_FINAL_TYPE (OrdProduct, ord_product, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SKU,
  PROP_NAME,
  PROP_UNIT_PRICE,
  PROP_CURRENCY,
  PROP_ACTIVE,
  PROP_VERSION,
  PROP_UPDATED_AT,
  PROP_DELETED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_str_property (OrdProduct  *self,
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
ord_product_finalize (GObject *object)
{
  OrdProduct *self = (OrdProduct *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->sku, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (ord_product_parent_class)->finalize (object);
}

static void
ord_product_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  OrdProduct *self = ORD_PRODUCT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
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
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_VERSION:
      g_value_set_int64 (value, self->version);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    case PROP_DELETED:
      g_value_set_boolean (value, self->deleted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_product_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  OrdProduct *self = ORD_PRODUCT (object);

  switch (prop_id)
    {
    case PROP_ID:
      ord_product_set_id (self, g_value_get_string (value));
      break;
    case PROP_SKU:
      ord_product_set_sku (self, g_value_get_string (value));
      break;
    case PROP_NAME:
      ord_product_set_name (self, g_value_get_string (value));
      break;
    case PROP_UNIT_PRICE:
      ord_product_set_unit_price (self, g_value_get_int64 (value));
      break;
    case PROP_CURRENCY:
      ord_product_set_currency (self, g_value_get_string (value));
      break;
    case PROP_ACTIVE:
      ord_product_set_active (self, g_value_get_boolean (value));
      break;
    case PROP_VERSION:
      ord_product_set_version (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED_AT:
      ord_product_set_updated_at (self, g_value_get_int64 (value));
      break;
    case PROP_DELETED:
      ord_product_set_deleted (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_product_class_init (OrdProductClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = ord_product_finalize;
  object_class->get_property = ord_product_get_property;
  object_class->set_property = ord_product_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_SKU] = g_param_spec_string ("sku", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_UNIT_PRICE] =
    g_param_spec_int64 ("unit-price", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL, DEFAULT_CURRENCY, flags);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, TRUE, flags);
  properties[PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_DELETED] = g_param_spec_boolean ("deleted", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ord_product_init (OrdProduct *self)
{
  g_strlcpy (self->currency, DEFAULT_CURRENCY, sizeof self->currency);
  self->active = TRUE;
}

/**
 * ord_product_new:
 *
 * Returns: (transfer full): a new, active product priced 0 USD
 */
OrdProduct *
ord_product_new (void)
{
  return g_object_new (ORD_TYPE_PRODUCT, NULL);
}

const char *
ord_product_get_id (OrdProduct *self)
{
  g_return_val_if_fail (ORD_IS_PRODUCT (self), NULL);
  return self->id;
}

void
ord_product_set_id (OrdProduct *self,
                    const char *id)
{
  g_return_if_fail (ORD_IS_PRODUCT (self));
  set_str_property (self, &self->id, id, PROP_ID);
}

const char *
ord_product_get_sku (OrdProduct *self)
{
  g_return_val_if_fail (ORD_IS_PRODUCT (self), NULL);
  return self->sku;
}

void
ord_product_set_sku (OrdProduct *self,
                     const char *sku)
{
  g_return_if_fail (ORD_IS_PRODUCT (self));
  set_str_property (self, &self->sku, sku, PROP_SKU);
}

const char *
ord_product_get_name (OrdProduct *self)
{
  g_return_val_if_fail (ORD_IS_PRODUCT (self), NULL);
  return self->name;
}

void
ord_product_set_name (OrdProduct *self,
                      const char *name)
{
  g_return_if_fail (ORD_IS_PRODUCT (self));
  set_str_property (self, &self->name, name, PROP_NAME);
}

gint64
ord_product_get_unit_price (OrdProduct *self)
{
  g_return_val_if_fail (ORD_IS_PRODUCT (self), 0);
  return self->unit_price;
}

void
ord_product_set_unit_price (OrdProduct *self,
                            gint64      unit_price)
{
  g_return_if_fail (ORD_IS_PRODUCT (self));

  if (self->unit_price == unit_price)
    return;

  self->unit_price = unit_price;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNIT_PRICE]);
}

const char *
ord_product_get_currency (OrdProduct *self)
{
  g_return_val_if_fail (ORD_IS_PRODUCT (self), NULL);
  return self->currency;
}

/**
 * ord_product_set_currency:
 * @self: a product
 * @currency: an ISO 4217 code (see ord_currency_is_valid())
 *
 * Sets the currency of the unit price. Check text from outside with
 * ord_currency_is_valid() first: an invalid code is a programming error.
 */
void
ord_product_set_currency (OrdProduct *self,
                          const char *currency)
{
  g_return_if_fail (ORD_IS_PRODUCT (self));
  g_return_if_fail (ord_currency_is_valid (currency));

  if (g_strcmp0 (self->currency, currency) == 0)
    return;

  g_strlcpy (self->currency, currency, sizeof self->currency);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY]);
}

gboolean
ord_product_get_active (OrdProduct *self)
{
  g_return_val_if_fail (ORD_IS_PRODUCT (self), FALSE);
  return self->active;
}

void
ord_product_set_active (OrdProduct *self,
                        gboolean    active)
{
  g_return_if_fail (ORD_IS_PRODUCT (self));

  active = !!active;
  if (self->active == active)
    return;

  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

gint64
ord_product_get_version (OrdProduct *self)
{
  g_return_val_if_fail (ORD_IS_PRODUCT (self), 0);
  return self->version;
}

void
ord_product_set_version (OrdProduct *self,
                         gint64      version)
{
  g_return_if_fail (ORD_IS_PRODUCT (self));
  g_return_if_fail (version >= 0);

  if (self->version == version)
    return;

  self->version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
}

gint64
ord_product_get_updated_at (OrdProduct *self)
{
  g_return_val_if_fail (ORD_IS_PRODUCT (self), 0);
  return self->updated_at;
}

void
ord_product_set_updated_at (OrdProduct *self,
                            gint64      updated_at)
{
  g_return_if_fail (ORD_IS_PRODUCT (self));

  if (self->updated_at == updated_at)
    return;

  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

gboolean
ord_product_get_deleted (OrdProduct *self)
{
  g_return_val_if_fail (ORD_IS_PRODUCT (self), FALSE);
  return self->deleted;
}

void
ord_product_set_deleted (OrdProduct *self,
                         gboolean    deleted)
{
  g_return_if_fail (ORD_IS_PRODUCT (self));

  deleted = !!deleted;
  if (self->deleted == deleted)
    return;

  self->deleted = deleted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
}
