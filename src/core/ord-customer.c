/* ord-customer.c: a shop's customer
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-customer"

#include "config.h"

#include "ord-customer.h"

struct _OrdCustomer
{
  GObject parent_instance;

  char     *id;
  char     *name;
  char     *email;
  char     *phone;
  char     *notes;
  char     *external_ref;
  char     *owner_sub;
  gint64    version;
  gint64    updated_at;
  gboolean  deleted;
};

G_DEFINE_FINAL_TYPE (OrdCustomer, ord_customer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_EMAIL,
  PROP_PHONE,
  PROP_NOTES,
  PROP_EXTERNAL_REF,
  PROP_OWNER_SUB,
  PROP_VERSION,
  PROP_UPDATED_AT,
  PROP_DELETED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() is GLib 2.76. */
static gboolean
replace_str (char       **field,
             const char  *value)
{
  char *copy;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  copy = g_strdup (value);
  g_free (*field);
  *field = copy;
  return TRUE;
}

static void
set_str_property (OrdCustomer  *self,
                  char        **field,
                  const char   *value,
                  guint         prop_id)
{
  if (replace_str (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
ord_customer_finalize (GObject *object)
{
  OrdCustomer *self = (OrdCustomer *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->external_ref, g_free);
  g_clear_pointer (&self->owner_sub, g_free);

  G_OBJECT_CLASS (ord_customer_parent_class)->finalize (object);
}

static void
ord_customer_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  OrdCustomer *self = ORD_CUSTOMER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_EXTERNAL_REF:
      g_value_set_string (value, self->external_ref);
      break;
    case PROP_OWNER_SUB:
      g_value_set_string (value, self->owner_sub);
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
ord_customer_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  OrdCustomer *self = ORD_CUSTOMER (object);

  switch (prop_id)
    {
    case PROP_ID:
      ord_customer_set_id (self, g_value_get_string (value));
      break;
    case PROP_NAME:
      ord_customer_set_name (self, g_value_get_string (value));
      break;
    case PROP_EMAIL:
      ord_customer_set_email (self, g_value_get_string (value));
      break;
    case PROP_PHONE:
      ord_customer_set_phone (self, g_value_get_string (value));
      break;
    case PROP_NOTES:
      ord_customer_set_notes (self, g_value_get_string (value));
      break;
    case PROP_EXTERNAL_REF:
      ord_customer_set_external_ref (self, g_value_get_string (value));
      break;
    case PROP_OWNER_SUB:
      ord_customer_set_owner_sub (self, g_value_get_string (value));
      break;
    case PROP_VERSION:
      ord_customer_set_version (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED_AT:
      ord_customer_set_updated_at (self, g_value_get_int64 (value));
      break;
    case PROP_DELETED:
      ord_customer_set_deleted (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_customer_class_init (OrdCustomerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = ord_customer_finalize;
  object_class->get_property = ord_customer_get_property;
  object_class->set_property = ord_customer_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_PHONE] = g_param_spec_string ("phone", NULL, NULL, NULL, flags);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL, flags);
  properties[PROP_EXTERNAL_REF] = g_param_spec_string ("external-ref", NULL, NULL, NULL, flags);
  properties[PROP_OWNER_SUB] = g_param_spec_string ("owner-sub", NULL, NULL, NULL, flags);
  properties[PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_DELETED] = g_param_spec_boolean ("deleted", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ord_customer_init (OrdCustomer *self)
{
}

/**
 * ord_customer_new:
 *
 * Returns: (transfer full): a new, empty customer
 */
OrdCustomer *
ord_customer_new (void)
{
  return g_object_new (ORD_TYPE_CUSTOMER, NULL);
}

const char *
ord_customer_get_id (OrdCustomer *self)
{
  g_return_val_if_fail (ORD_IS_CUSTOMER (self), NULL);
  return self->id;
}

void
ord_customer_set_id (OrdCustomer *self,
                     const char  *id)
{
  g_return_if_fail (ORD_IS_CUSTOMER (self));
  set_str_property (self, &self->id, id, PROP_ID);
}

const char *
ord_customer_get_name (OrdCustomer *self)
{
  g_return_val_if_fail (ORD_IS_CUSTOMER (self), NULL);
  return self->name;
}

void
ord_customer_set_name (OrdCustomer *self,
                       const char  *name)
{
  g_return_if_fail (ORD_IS_CUSTOMER (self));
  set_str_property (self, &self->name, name, PROP_NAME);
}

const char *
ord_customer_get_email (OrdCustomer *self)
{
  g_return_val_if_fail (ORD_IS_CUSTOMER (self), NULL);
  return self->email;
}

void
ord_customer_set_email (OrdCustomer *self,
                        const char  *email)
{
  g_return_if_fail (ORD_IS_CUSTOMER (self));
  set_str_property (self, &self->email, email, PROP_EMAIL);
}

const char *
ord_customer_get_phone (OrdCustomer *self)
{
  g_return_val_if_fail (ORD_IS_CUSTOMER (self), NULL);
  return self->phone;
}

void
ord_customer_set_phone (OrdCustomer *self,
                        const char  *phone)
{
  g_return_if_fail (ORD_IS_CUSTOMER (self));
  set_str_property (self, &self->phone, phone, PROP_PHONE);
}

const char *
ord_customer_get_notes (OrdCustomer *self)
{
  g_return_val_if_fail (ORD_IS_CUSTOMER (self), NULL);
  return self->notes;
}

void
ord_customer_set_notes (OrdCustomer *self,
                        const char  *notes)
{
  g_return_if_fail (ORD_IS_CUSTOMER (self));
  set_str_property (self, &self->notes, notes, PROP_NOTES);
}

const char *
ord_customer_get_external_ref (OrdCustomer *self)
{
  g_return_val_if_fail (ORD_IS_CUSTOMER (self), NULL);
  return self->external_ref;
}

void
ord_customer_set_external_ref (OrdCustomer *self,
                               const char  *ref)
{
  g_return_if_fail (ORD_IS_CUSTOMER (self));
  set_str_property (self, &self->external_ref, ref, PROP_EXTERNAL_REF);
}

const char *
ord_customer_get_owner_sub (OrdCustomer *self)
{
  g_return_val_if_fail (ORD_IS_CUSTOMER (self), NULL);
  return self->owner_sub;
}

void
ord_customer_set_owner_sub (OrdCustomer *self,
                            const char  *sub)
{
  g_return_if_fail (ORD_IS_CUSTOMER (self));
  set_str_property (self, &self->owner_sub, sub, PROP_OWNER_SUB);
}

gint64
ord_customer_get_version (OrdCustomer *self)
{
  g_return_val_if_fail (ORD_IS_CUSTOMER (self), 0);
  return self->version;
}

void
ord_customer_set_version (OrdCustomer *self,
                          gint64       version)
{
  g_return_if_fail (ORD_IS_CUSTOMER (self));
  g_return_if_fail (version >= 0);

  if (self->version == version)
    return;

  self->version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
}

gint64
ord_customer_get_updated_at (OrdCustomer *self)
{
  g_return_val_if_fail (ORD_IS_CUSTOMER (self), 0);
  return self->updated_at;
}

void
ord_customer_set_updated_at (OrdCustomer *self,
                             gint64       updated_at)
{
  g_return_if_fail (ORD_IS_CUSTOMER (self));

  if (self->updated_at == updated_at)
    return;

  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

gboolean
ord_customer_get_deleted (OrdCustomer *self)
{
  g_return_val_if_fail (ORD_IS_CUSTOMER (self), FALSE);
  return self->deleted;
}

void
ord_customer_set_deleted (OrdCustomer *self,
                          gboolean     deleted)
{
  g_return_if_fail (ORD_IS_CUSTOMER (self));

  deleted = !!deleted;
  if (self->deleted == deleted)
    return;

  self->deleted = deleted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
}
