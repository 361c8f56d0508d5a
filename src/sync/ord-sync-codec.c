/* ord-sync-codec.c: the /v1 sync wire format, shared by client and server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ord-sync-codec.h"

G_DEFINE_QUARK (ord-sync-error-quark, ord_sync_error)

/* ------------------------------------------------------------------ */
/* A small schema language: each field has a kind, flags and, for
 * objects and arrays, what they hold. One validator walks a document
 * along it and names the path of the first wrong value.               */

typedef enum
{
  K_STRING,
  K_INT,
  K_BOOL,
  K_OBJECT,        /* fields: its members; NULL = any members */
  K_ARRAY,         /* elem: each element */
} Kind;

enum
{
  F_REQUIRED = 1 << 0,
  F_NULLABLE = 1 << 1,
  F_STATUS   = 1 << 2,   /* a string naming an order status */
  F_POSITIVE = 1 << 3,   /* an integer > 0 */
  F_NONNEG   = 1 << 4,   /* an integer ≥ 0 */
};

typedef struct Field Field;
struct Field
{
  const char  *name;
  Kind         kind;
  guint        flags;
  const Field *fields;     /* K_OBJECT */
  const Field *elem;       /* K_ARRAY */
  gint64       max;        /* string bytes, array elements; 0 = default */
};

#define MAX_STRING 65536
#define MAX_ARRAY  10000

#define REQ F_REQUIRED
#define OPT 0
#define NUL F_NULLABLE

static const Field item_fields[] = {
  { "id", K_STRING, REQ, NULL, NULL, 64 },
  { "product_id", K_STRING, REQ | NUL, NULL, NULL, 64 },
  { "sku", K_STRING, REQ | NUL, NULL, NULL, 256 },
  { "name", K_STRING, REQ, NULL, NULL, 1024 },
  { "unit_price", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "quantity", K_INT, REQ | F_POSITIVE, NULL, NULL, 0 },
  { "discount", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { NULL }
};
static const Field item_elem = { NULL, K_OBJECT, REQ, item_fields, NULL, 0 };
static const Field id_elem = { NULL, K_STRING, REQ, NULL, NULL, 64 };

/* create_order: the order as ord_store_order_to_json() writes it. */
static const Field create_order_fields[] = {
  { "id", K_STRING, REQ, NULL, NULL, 64 },
  { "provisional_number", K_STRING, REQ | NUL, NULL, NULL, 64 },
  { "number", K_STRING, REQ | NUL, NULL, NULL, 64 },
  { "customer_id", K_STRING, REQ, NULL, NULL, 64 },
  { "status", K_STRING, REQ | F_STATUS, NULL, NULL, 16 },
  { "created_at", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "due_at", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "notes", K_STRING, REQ | NUL, NULL, NULL, MAX_STRING },
  { "currency", K_STRING, REQ, NULL, NULL, 3 },
  { "tax_rate", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "discount", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "external_ref", K_STRING, REQ | NUL, NULL, NULL, 256 },
  { "items", K_ARRAY, REQ, NULL, &item_elem, 1000 },
  { NULL }
};

static const Field edit_fields_fields[] = {
  { "customer_id", K_STRING, OPT, NULL, NULL, 64 },
  { "due_at", K_INT, OPT | F_NONNEG, NULL, NULL, 0 },
  { "notes", K_STRING, OPT | NUL, NULL, NULL, MAX_STRING },
  { "currency", K_STRING, OPT, NULL, NULL, 3 },
  { "discount", K_INT, OPT | F_NONNEG, NULL, NULL, 0 },
  { "tax_rate", K_INT, OPT | F_NONNEG, NULL, NULL, 0 },
  { NULL }
};

static const Field edit_items_fields[] = {
  { "add", K_ARRAY, REQ, NULL, &item_elem, 1000 },
  { "change", K_ARRAY, REQ, NULL, &item_elem, 1000 },
  { "remove", K_ARRAY, REQ, NULL, &id_elem, 1000 },
  { "order", K_ARRAY, REQ, NULL, &id_elem, 1000 },
  { NULL }
};

static const Field edit_order_fields[] = {
  { "order_id", K_STRING, REQ, NULL, NULL, 64 },
  { "base_version", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "fields", K_OBJECT, REQ, edit_fields_fields, NULL, 0 },
  { "items", K_OBJECT, REQ, edit_items_fields, NULL, 0 },
  { NULL }
};

static const Field set_status_fields[] = {
  { "order_id", K_STRING, REQ, NULL, NULL, 64 },
  { "from", K_STRING, REQ | F_STATUS, NULL, NULL, 16 },
  { "to", K_STRING, REQ | F_STATUS, NULL, NULL, 16 },
  { "reason", K_STRING, OPT | NUL, NULL, NULL, 4096 },
  { NULL }
};

static const Field cancel_order_fields[] = {
  { "order_id", K_STRING, REQ, NULL, NULL, 64 },
  { "from", K_STRING, REQ | F_STATUS, NULL, NULL, 16 },
  { "reason", K_STRING, REQ | NUL, NULL, NULL, 4096 },
  { NULL }
};

static const Field upsert_customer_fields[] = {
  { "id", K_STRING, REQ, NULL, NULL, 64 },
  { "name", K_STRING, REQ, NULL, NULL, 1024 },
  { "email", K_STRING, REQ | NUL, NULL, NULL, 1024 },
  { "phone", K_STRING, REQ | NUL, NULL, NULL, 256 },
  { "notes", K_STRING, REQ | NUL, NULL, NULL, MAX_STRING },
  { "external_ref", K_STRING, REQ | NUL, NULL, NULL, 256 },
  { "base_version", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { NULL }
};

static const Field upsert_product_fields[] = {
  { "id", K_STRING, REQ, NULL, NULL, 64 },
  { "sku", K_STRING, REQ, NULL, NULL, 256 },
  { "name", K_STRING, REQ, NULL, NULL, 1024 },
  { "unit_price", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "currency", K_STRING, REQ, NULL, NULL, 3 },
  { "active", K_BOOL, REQ, NULL, NULL, 0 },
  { "base_version", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { NULL }
};

static const struct
{
  const char  *name;
  const Field *args;
} mutation_schemas[] = {
  { "create_order", create_order_fields },
  { "edit_order", edit_order_fields },
  { "set_status", set_status_fields },
  { "cancel_order", cancel_order_fields },
  { "upsert_customer", upsert_customer_fields },
  { "upsert_product", upsert_product_fields },
};

static const Field mutation_fields[] = {
  { "mutation_id", K_INT, REQ | F_POSITIVE, NULL, NULL, 0 },
  { "name", K_STRING, REQ, NULL, NULL, 64 },
  { "args", K_OBJECT, REQ, NULL, NULL, 0 },
  { NULL }
};
static const Field mutation_elem = { NULL, K_OBJECT, REQ, mutation_fields, NULL, 0 };

static const Field push_request_fields[] = {
  { "client_id", K_STRING, REQ, NULL, NULL, 128 },
  { "mutations", K_ARRAY, REQ, NULL, &mutation_elem, ORD_SYNC_MAX_MUTATIONS },
  { NULL }
};

/* Data of each entity in the change feed. */
static const Field order_data_fields[] = {
  { "id", K_STRING, REQ, NULL, NULL, 64 },
  { "number", K_STRING, REQ, NULL, NULL, 64 },
  { "provisional_number", K_STRING, REQ | NUL, NULL, NULL, 64 },
  { "customer_id", K_STRING, REQ, NULL, NULL, 64 },
  { "customer_name", K_STRING, REQ, NULL, NULL, 1024 },
  { "status", K_STRING, REQ | F_STATUS, NULL, NULL, 16 },
  { "created_at", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "updated_at", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "due_at", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "notes", K_STRING, REQ | NUL, NULL, NULL, MAX_STRING },
  { "currency", K_STRING, REQ, NULL, NULL, 3 },
  { "tax_rate", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "discount", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "external_ref", K_STRING, REQ | NUL, NULL, NULL, 256 },
  { "version", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "items", K_ARRAY, REQ, NULL, &item_elem, 1000 },
  { NULL }
};

static const Field customer_data_fields[] = {
  { "id", K_STRING, REQ, NULL, NULL, 64 },
  { "name", K_STRING, REQ, NULL, NULL, 1024 },
  { "email", K_STRING, REQ | NUL, NULL, NULL, 1024 },
  { "phone", K_STRING, REQ | NUL, NULL, NULL, 256 },
  { "notes", K_STRING, REQ | NUL, NULL, NULL, MAX_STRING },
  { "external_ref", K_STRING, REQ | NUL, NULL, NULL, 256 },
  { "version", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "updated_at", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { NULL }
};

static const Field product_data_fields[] = {
  { "id", K_STRING, REQ, NULL, NULL, 64 },
  { "sku", K_STRING, REQ, NULL, NULL, 256 },
  { "name", K_STRING, REQ, NULL, NULL, 1024 },
  { "unit_price", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "currency", K_STRING, REQ, NULL, NULL, 3 },
  { "active", K_BOOL, REQ, NULL, NULL, 0 },
  { "version", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "updated_at", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { NULL }
};

static const Field change_fields[] = {
  { "entity", K_STRING, REQ, NULL, NULL, 16 },
  { "id", K_STRING, REQ, NULL, NULL, 64 },
  { "version", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "op", K_STRING, REQ, NULL, NULL, 8 },
  { "data", K_OBJECT, REQ | NUL, NULL, NULL, 0 },
  { NULL }
};
static const Field change_elem = { NULL, K_OBJECT, REQ, change_fields, NULL, 0 };

static const Field result_fields[] = {
  { "mutation_id", K_INT, REQ | F_POSITIVE, NULL, NULL, 0 },
  { "status", K_STRING, REQ, NULL, NULL, 16 },
  { "code", K_STRING, OPT, NULL, NULL, 64 },
  { "message", K_STRING, OPT, NULL, NULL, MAX_STRING },
  { "number", K_STRING, OPT, NULL, NULL, 64 },
  { "record", K_OBJECT, OPT, change_fields, NULL, 0 },
  { NULL }
};
static const Field result_elem = { NULL, K_OBJECT, REQ, result_fields, NULL, 0 };

static const Field push_response_fields[] = {
  { "results", K_ARRAY, REQ, NULL, &result_elem, ORD_SYNC_MAX_MUTATIONS },
  { NULL }
};

static const Field pull_response_fields[] = {
  { "changes", K_ARRAY, REQ, NULL, &change_elem, ORD_SYNC_MAX_PAGE },
  { "cursor", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { "has_more", K_BOOL, REQ, NULL, NULL, 0 },
  { NULL }
};

static gboolean
invalid (GError     **error,
         GString     *path,
         const char  *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError     **error,
         GString     *path,
         const char  *format,
         ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_INVALID, "%s: %s",
               path->len ? path->str : "(document)", what);
  return FALSE;
}

static const char *
kind_name (Kind kind)
{
  switch (kind)
    {
    case K_STRING: return "a string";
    case K_INT: return "an integer";
    case K_BOOL: return "true or false";
    case K_OBJECT: return "an object";
    case K_ARRAY: return "an array";
    default: return "?";
    }
}

static gboolean validate (JsonNode    *node,
                          const Field *spec,
                          GString     *path,
                          GError     **error);

/* The path of the value being checked grows and shrinks for every value
 * of a push or a page (100,000s of them): plain appends, no printf. */
static void
path_push_member (GString    *path,
                  gsize       len,
                  const char *name)
{
  g_string_truncate (path, len);
  if (len)
    g_string_append_c (path, '.');
  g_string_append (path, name);
}

static void
path_push_index (GString *path,
                 gsize    len,
                 guint    index)
{
  char digits[16];
  int n = 0;

  g_string_truncate (path, len);
  g_string_append_c (path, '[');
  do
    digits[n++] = (char) ('0' + index % 10);
  while ((index /= 10) > 0);
  while (n > 0)
    g_string_append_c (path, digits[--n]);
  g_string_append_c (path, ']');
}

static gboolean
validate_object (JsonObject   *object,
                 const Field  *fields,
                 GString      *path,
                 GError      **error)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  gsize len = path->len;

  if (fields == NULL)
    return TRUE;

  /* Unknown members first: a typo is the likeliest mistake. */
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &value))
    {
      const Field *f;

      for (f = fields; f->name != NULL; f++)
        if (strcmp (f->name, member) == 0)
          break;
      if (f->name == NULL)
        {
          path_push_member (path, len, member);
          return invalid (error, path, "unknown field");
        }
    }

  for (const Field *f = fields; f->name != NULL; f++)
    {
      JsonNode *child = json_object_get_member (object, f->name);

      path_push_member (path, len, f->name);

      if (child == NULL)
        {
          if (f->flags & F_REQUIRED)
            return invalid (error, path, "missing");
          continue;
        }
      if (!validate (child, f, path, error))
        return FALSE;
    }
  g_string_truncate (path, len);

  return TRUE;
}

static gboolean
validate (JsonNode    *node,
          const Field *spec,
          GString     *path,
          GError     **error)
{
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (spec->flags & F_NULLABLE)
        return TRUE;
      return invalid (error, path, "expected %s, not null", kind_name (spec->kind));
    }

  switch (spec->kind)
    {
    case K_STRING:
      {
        const char *s;
        gint64 max = spec->max ? spec->max : MAX_STRING;

        if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
          return invalid (error, path, "expected a string");
        s = json_node_get_string (node);
        if ((gint64) strlen (s) > max)
          return invalid (error, path, "longer than %" G_GINT64_FORMAT " bytes", max);
        if (spec->flags & F_STATUS && !ord_status_from_string (s, NULL))
          return invalid (error, path, "“%s” is not an order status", s);
        return TRUE;
      }

    case K_INT:
      {
        gint64 v;

        if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
          return invalid (error, path, "expected an integer");
        v = json_node_get_int (node);
        if (spec->flags & F_POSITIVE && v <= 0)
          return invalid (error, path, "%" G_GINT64_FORMAT " must be positive", v);
        if (spec->flags & F_NONNEG && v < 0)
          return invalid (error, path, "%" G_GINT64_FORMAT " must not be negative", v);
        return TRUE;
      }

    case K_BOOL:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return invalid (error, path, "expected true or false");
      return TRUE;

    case K_OBJECT:
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, path, "expected an object");
      return validate_object (json_node_get_object (node), spec->fields, path, error);

    case K_ARRAY:
      {
        JsonArray *array;
        guint n;
        gsize len = path->len;
        gint64 max = spec->max ? spec->max : MAX_ARRAY;

        if (!JSON_NODE_HOLDS_ARRAY (node))
          return invalid (error, path, "expected an array");
        array = json_node_get_array (node);
        n = json_array_get_length (array);
        if (n > max)
          return invalid (error, path, "%u elements, at most %" G_GINT64_FORMAT " allowed",
                          n, max);
        for (guint i = 0; i < n; i++)
          {
            path_push_index (path, len, i);
            if (!validate (json_array_get_element (array, i), spec->elem, path, error))
              return FALSE;
          }
        g_string_truncate (path, len);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

static JsonNode *
parse_document (const char   *data,
                gsize         length,
                gsize         limit,
                const Field  *fields,
                GError      **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) path = g_string_new (NULL);
  Field top = { NULL, K_OBJECT, REQ, fields, NULL, 0 };
  JsonNode *root;

  if (length > limit)
    {
      g_set_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_TOO_LARGE,
                   _("The body has %" G_GSIZE_FORMAT " bytes; at most %" G_GSIZE_FORMAT
                     " are allowed"), length, limit);
      return NULL;
    }
  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_MALFORMED,
                           _("The body is empty; expected a JSON object"));
      return NULL;
    }
  /* JSON text is UTF-8 and has no NUL. */
  if (memchr (data, '\0', length) != NULL || !g_utf8_validate (data, length, NULL))
    {
      g_set_error_literal (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_MALFORMED,
                           _("The body is not UTF-8 JSON text"));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_MALFORMED,
                   _("The body is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_MALFORMED,
                           _("The body is empty; expected a JSON object"));
      return NULL;
    }
  if (!validate (root, &top, path, error))
    return NULL;

  return json_node_ref (root);
}

static const Field *
data_schema (const char *entity)
{
  if (strcmp (entity, "order") == 0)
    return order_data_fields;
  if (strcmp (entity, "customer") == 0)
    return customer_data_fields;
  if (strcmp (entity, "product") == 0)
    return product_data_fields;
  return NULL;
}

/* The parts of a change the generic schema cannot say. */
static gboolean
read_change (JsonObject     *o,
             OrdSyncRecord  *record,
             GString        *path,
             GError        **error)
{
  JsonNode *data = json_object_get_member (o, "data");
  const char *op = json_object_get_string_member (o, "op");
  const Field *fields;
  gsize len = path->len;
  Field spec;

  record->entity = json_object_get_string_member (o, "entity");
  record->id = json_object_get_string_member (o, "id");
  record->version = json_object_get_int_member (o, "version");

  if (!(fields = data_schema (record->entity)))
    {
      g_string_append (path, ".entity");
      return invalid (error, path, "“%s” is not order, customer or product", record->entity);
    }
  if (strcmp (op, "put") == 0)
    record->deleted = FALSE;
  else if (strcmp (op, "delete") == 0)
    record->deleted = TRUE;
  else
    {
      g_string_append (path, ".op");
      return invalid (error, path, "“%s” is not put or delete", op);
    }

  g_string_append (path, ".data");
  if (record->deleted)
    {
      record->data = NULL;
      g_string_truncate (path, len);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_NULL (data))
    return invalid (error, path, "a put needs its data");

  spec = (Field) { NULL, K_OBJECT, REQ, fields, NULL, 0 };
  if (!validate (data, &spec, path, error))
    return FALSE;
  record->data = json_node_get_object (data);

  if (g_strcmp0 (json_object_get_string_member (record->data, "id"), record->id) != 0)
    {
      g_string_append (path, ".id");
      return invalid (error, path, "differs from the change’s id");
    }
  g_string_truncate (path, len);

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Parsers                                                             */

void
ord_sync_push_request_free (OrdSyncPushRequest *request)
{
  if (request == NULL)
    return;
  g_clear_pointer (&request->root, json_node_unref);
  g_free (request->mutations);
  g_free (request);
}

void
ord_sync_push_response_free (OrdSyncPushResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->root, json_node_unref);
  for (guint i = 0; response->records != NULL && i < response->n_acks; i++)
    g_clear_object (&response->records[i].prepared);
  g_free (response->acks);
  g_free (response->records);
  g_free (response);
}

void
ord_sync_pull_response_free (OrdSyncPullResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->root, json_node_unref);
  for (guint i = 0; response->changes != NULL && i < response->n_changes; i++)
    g_clear_object (&response->changes[i].prepared);
  g_free (response->changes);
  g_free (response);
}

/**
 * ord_sync_push_request_parse:
 * @data: (array length=length): the body
 * @length: its size in bytes
 * @error: a #GError in %ORD_SYNC_ERROR
 *
 * Returns: (transfer full) (nullable): the request, its mutations' args
 *   checked against the schema of their name
 */
OrdSyncPushRequest *
ord_sync_push_request_parse (const char  *data,
                             gsize        length,
                             GError     **error)
{
  g_autoptr(OrdSyncPushRequest) request = g_new0 (OrdSyncPushRequest, 1);
  g_autoptr(GString) path = g_string_new (NULL);
  JsonObject *root;
  JsonArray *mutations;

  if (!(request->root = parse_document (data, length, ORD_SYNC_MAX_BODY,
                                        push_request_fields, error)))
    return NULL;

  root = json_node_get_object (request->root);
  request->client_id = json_object_get_string_member (root, "client_id");
  if (request->client_id[0] == '\0')
    {
      g_string_assign (path, "client_id");
      invalid (error, path, "must not be empty");
      return NULL;
    }

  mutations = json_object_get_array_member (root, "mutations");
  request->n_mutations = json_array_get_length (mutations);
  request->mutations = g_new0 (OrdSyncMutation, MAX (1, request->n_mutations));

  for (guint i = 0; i < request->n_mutations; i++)
    {
      JsonObject *m = json_array_get_object_element (mutations, i);
      OrdSyncMutation *out = &request->mutations[i];
      const Field *args = NULL;
      Field spec;

      out->mutation_id = json_object_get_int_member (m, "mutation_id");
      out->name = json_object_get_string_member (m, "name");
      out->args = json_object_get_object_member (m, "args");

      g_string_assign (path, "mutations");
      path_push_index (path, path->len, i);
      if (i > 0 && out->mutation_id <= request->mutations[i - 1].mutation_id)
        {
          g_string_append (path, ".mutation_id");
          invalid (error, path, "%" G_GINT64_FORMAT " does not follow %" G_GINT64_FORMAT,
                   out->mutation_id, request->mutations[i - 1].mutation_id);
          return NULL;
        }

      for (guint k = 0; k < G_N_ELEMENTS (mutation_schemas); k++)
        if (strcmp (mutation_schemas[k].name, out->name) == 0)
          args = mutation_schemas[k].args;
      if (args == NULL)
        {
          g_string_append (path, ".name");
          invalid (error, path, "unknown mutation “%s”", out->name);
          return NULL;
        }

      g_string_append (path, ".args");
      spec = (Field) { NULL, K_OBJECT, REQ, args, NULL, 0 };
      if (!validate (json_object_get_member (m, "args"), &spec, path, error))
        return NULL;
    }

  return g_steal_pointer (&request);
}

OrdSyncPushResponse *
ord_sync_push_response_parse (const char  *data,
                              gsize        length,
                              GError     **error)
{
  g_autoptr(OrdSyncPushResponse) response = g_new0 (OrdSyncPushResponse, 1);
  g_autoptr(GString) path = g_string_new (NULL);
  JsonArray *results;

  if (!(response->root = parse_document (data, length, ORD_SYNC_MAX_RESPONSE,
                                         push_response_fields, error)))
    return NULL;

  results = json_object_get_array_member (json_node_get_object (response->root), "results");
  response->n_acks = json_array_get_length (results);
  response->acks = g_new0 (OrdSyncAck, MAX (1, response->n_acks));
  response->records = g_new0 (OrdSyncRecord, MAX (1, response->n_acks));

  for (guint i = 0; i < response->n_acks; i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);
      OrdSyncAck *ack = &response->acks[i];
      const char *status = json_object_get_string_member (r, "status");

      g_string_assign (path, "results");
      path_push_index (path, path->len, i);
      ack->mutation_id = json_object_get_int_member (r, "mutation_id");
      if (!ord_sync_outcome_from_string (status, &ack->outcome))
        {
          g_string_append (path, ".status");
          invalid (error, path, "“%s” is not applied, merged, held or rejected", status);
          return NULL;
        }
      ack->code = json_object_get_string_member_with_default (r, "code", NULL);
      ack->message = json_object_get_string_member_with_default (r, "message", NULL);
      if (ack->outcome == ORD_SYNC_REJECTED && ack->code == NULL)
        {
          g_string_append (path, ".code");
          invalid (error, path, "a rejection needs its code");
          return NULL;
        }
      if (json_object_has_member (r, "record"))
        {
          g_string_append (path, ".record");
          if (!read_change (json_object_get_object_member (r, "record"), &response->records[i],
                            path, error))
            return NULL;
          ack->record = &response->records[i];
        }
    }

  return g_steal_pointer (&response);
}

OrdSyncPullResponse *
ord_sync_pull_response_parse (const char  *data,
                              gsize        length,
                              GError     **error)
{
  g_autoptr(OrdSyncPullResponse) response = g_new0 (OrdSyncPullResponse, 1);
  g_autoptr(GString) path = g_string_new (NULL);
  JsonObject *root;
  JsonArray *changes;

  if (!(response->root = parse_document (data, length, ORD_SYNC_MAX_RESPONSE,
                                         pull_response_fields, error)))
    return NULL;

  root = json_node_get_object (response->root);
  response->cursor = json_object_get_int_member (root, "cursor");
  response->has_more = json_object_get_boolean_member (root, "has_more");
  changes = json_object_get_array_member (root, "changes");
  response->n_changes = json_array_get_length (changes);
  response->changes = g_new0 (OrdSyncRecord, MAX (1, response->n_changes));

  for (guint i = 0; i < response->n_changes; i++)
    {
      g_string_assign (path, "changes");
      path_push_index (path, path->len, i);
      if (!read_change (json_array_get_object_element (changes, i), &response->changes[i],
                        path, error))
        return NULL;
    }

  return g_steal_pointer (&response);
}

/* ------------------------------------------------------------------ */
/* Builders                                                            */

static char *
generate (JsonNode *root,
          gsize    *length)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, length);
}

/* A strict syntax check of JSON text (RFC 8259), without building
 * anything: whether an outbox row's args can go into a request as they
 * are. */
#define CHECK_MAX_DEPTH 64

static const char *check_value (const char *p,
                                guint       depth);

static const char *
check_space (const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  return p;
}

static const char *
check_string (const char *p)
{
  if (*p++ != '"')
    return NULL;
  for (;;)
    {
      guchar c = (guchar) *p++;

      if (c == '"')
        return p;
      if (c < 0x20)
        return NULL;  /* a control character, or the end of the text */
      if (c == '\\')
        {
          c = (guchar) *p++;
          if (c == 'u')
            {
              for (int i = 0; i < 4; i++)
                if (!g_ascii_isxdigit (*p++))
                  return NULL;
            }
          else if (!strchr ("\"\\/bfnrt", c) || c == '\0')
            return NULL;
        }
    }
}

static const char *
check_number (const char *p)
{
  if (*p == '-')
    p++;
  if (*p == '0')
    p++;
  else if (*p >= '1' && *p <= '9')
    while (g_ascii_isdigit (*p))
      p++;
  else
    return NULL;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return NULL;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return NULL;
      while (g_ascii_isdigit (*p))
        p++;
    }
  return p;
}

static const char *
check_value (const char *p,
             guint       depth)
{
  p = check_space (p);
  if (depth > CHECK_MAX_DEPTH)
    return NULL;

  switch (*p)
    {
    case '{':
      p = check_space (p + 1);
      if (*p == '}')
        return p + 1;
      for (;;)
        {
          if (!(p = check_string (check_space (p))))
            return NULL;
          p = check_space (p);
          if (*p++ != ':' || !(p = check_value (p, depth + 1)))
            return NULL;
          p = check_space (p);
          if (*p == '}')
            return p + 1;
          if (*p++ != ',')
            return NULL;
        }

    case '[':
      p = check_space (p + 1);
      if (*p == ']')
        return p + 1;
      for (;;)
        {
          if (!(p = check_value (p, depth + 1)))
            return NULL;
          p = check_space (p);
          if (*p == ']')
            return p + 1;
          if (*p++ != ',')
            return NULL;
        }

    case '"':
      return check_string (p);

    case 't':
      return strncmp (p, "true", 4) == 0 ? p + 4 : NULL;

    case 'f':
      return strncmp (p, "false", 5) == 0 ? p + 5 : NULL;

    case 'n':
      return strncmp (p, "null", 4) == 0 ? p + 4 : NULL;

    default:
      return check_number (p);
    }
}

static gboolean
is_json_text (const char *text)
{
  const char *end;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  end = check_value (text, 0);

  return end != NULL && *check_space (end) == '\0';
}

/* A JSON string of @value (UTF-8), as JsonGenerator writes it. */
static void
append_json_string (GString    *out,
                    const char *value)
{
  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/**
 * ord_sync_push_request_build:
 * @client_id: this device
 * @mutations: (element-type OrdOutboxRow): outbox rows, oldest first
 * @length: (out) (optional): the size
 *
 * Written as text: the rows' args, JSON the store wrote, go in as they
 * are, without a parse and a new rendering.
 *
 * Returns: (transfer full): the request body
 */
char *
ord_sync_push_request_build (const char *client_id,
                             GPtrArray  *mutations,
                             gsize      *length)
{
  GString *out;

  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (mutations != NULL, NULL);

  out = g_string_sized_new (256 + 512 * mutations->len);
  g_string_append (out, "{\"client_id\":");
  append_json_string (out, client_id);
  g_string_append (out, ",\"mutations\":[");
  for (guint i = 0; i < mutations->len; i++)
    {
      OrdOutboxRow *row = g_ptr_array_index (mutations, i);

      g_string_append_printf (out, "%s{\"mutation_id\":%" G_GINT64_FORMAT ",\"name\":",
                              i ? "," : "", row->mutation_id);
      append_json_string (out, row->name);
      g_string_append (out, ",\"args\":");
      /* A row the store wrote is JSON; anything else goes up as it is,
       * in a string, for the server to reject with its reason. */
      if (is_json_text (row->args))
        g_string_append (out, row->args);
      else
        append_json_string (out, row->args ? row->args : "");
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
  if (length)
    *length = out->len;

  return g_string_free (out, FALSE);
}

static char *
build_with_array (const char *name,
                  GPtrArray  *nodes,
                  JsonObject *o,
                  gsize      *length)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonArray *array = json_array_sized_new (nodes->len);

  for (guint i = 0; i < nodes->len; i++)
    json_array_add_element (array, json_node_ref (g_ptr_array_index (nodes, i)));
  json_object_set_array_member (o, name, array);
  json_node_take_object (root, o);

  return generate (root, length);
}

/**
 * ord_sync_push_response_build:
 * @results: (element-type JsonNode): result objects
 * @length: (out) (optional): the size
 *
 * Returns: (transfer full): the response body
 */
char *
ord_sync_push_response_build (GPtrArray *results,
                              gsize     *length)
{
  g_return_val_if_fail (results != NULL, NULL);

  return build_with_array ("results", results, json_object_new (), length);
}

/**
 * ord_sync_pull_response_build_text:
 * @changes: change objects as JSON text, separated by commas
 * @changes_length: its length
 * @cursor: the page's cursor
 * @has_more: whether there is a next page
 * @length: (out) (optional): the size
 *
 * Returns: (transfer full): the response body
 */
char *
ord_sync_pull_response_build_text (const char *changes,
                                   gsize       changes_length,
                                   gint64      cursor,
                                   gboolean    has_more,
                                   gsize      *length)
{
  GString *s;

  g_return_val_if_fail (changes != NULL || changes_length == 0, NULL);

  s = g_string_sized_new (changes_length + 64);
  g_string_append (s, "{\"changes\":[");
  g_string_append_len (s, changes, changes_length);
  g_string_append_printf (s, "],\"cursor\":%" G_GINT64_FORMAT ",\"has_more\":%s}", cursor,
                          has_more ? "true" : "false");
  if (length)
    *length = s->len;

  return g_string_free (s, FALSE);
}

/**
 * ord_sync_pull_response_build:
 * @changes: (element-type JsonNode): change objects
 * @cursor: where the next page starts
 * @has_more: whether there is one
 * @length: (out) (optional): the size
 *
 * Returns: (transfer full): the response body
 */
char *
ord_sync_pull_response_build (GPtrArray *changes,
                              gint64     cursor,
                              gboolean   has_more,
                              gsize     *length)
{
  JsonObject *o = json_object_new ();

  g_return_val_if_fail (changes != NULL, NULL);

  json_object_set_int_member (o, "cursor", cursor);
  json_object_set_boolean_member (o, "has_more", has_more);

  return build_with_array ("changes", changes, o, length);
}

char *
ord_sync_error_build (const char *code,
                      const char *message,
                      const char *extra_name,
                      gint64      extra_value)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "error", code);
  json_object_set_string_member (o, "message", message ? message : code);
  if (extra_name != NULL)
    json_object_set_int_member (o, extra_name, extra_value);
  json_node_take_object (root, o);

  return generate (root, NULL);
}
