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
  F_CURRENCY = 1 << 5,   /* three capital letters (ISO 4217) */
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
  /* Deactivated by the shop; absent (older clients): as it is. */
  { "deleted", K_BOOL, 0, NULL, NULL, 0 },
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

/* The owner's decision on a held amendment: approve or decline. */
static const Field resolve_held_fields[] = {
  { "held_id", K_STRING, REQ, NULL, NULL, 32 },
  { "decision", K_STRING, REQ, NULL, NULL, 16 },
  { "reason", K_STRING, OPT | NUL, NULL, NULL, 4096 },
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
  { "resolve_held", resolve_held_fields },
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
  { "currency", K_STRING, REQ | F_CURRENCY, NULL, NULL, 3 },
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

/* A customer's amendment held for the owner (op put): the edit_order
 * arguments as the customer sent them. */
static const Field held_data_fields[] = {
  { "id", K_STRING, REQ, NULL, NULL, 32 },
  { "order_id", K_STRING, REQ, NULL, NULL, 64 },
  { "order_number", K_STRING, REQ | NUL, NULL, NULL, 64 },
  { "customer_name", K_STRING, REQ | NUL, NULL, NULL, 1024 },
  { "subject", K_STRING, REQ | NUL, NULL, NULL, 256 },
  { "args", K_OBJECT, REQ, edit_order_fields, NULL, 0 },
  { "created_at", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
  { NULL }
};

/* Its tombstone (op delete) says what the owner decided. */
static const Field held_decision_fields[] = {
  { "id", K_STRING, REQ, NULL, NULL, 32 },
  { "order_id", K_STRING, REQ, NULL, NULL, 64 },
  { "decision", K_STRING, REQ, NULL, NULL, 16 },
  { "reason", K_STRING, REQ | NUL, NULL, NULL, 4096 },
  { "decided_at", K_INT, REQ | F_NONNEG, NULL, NULL, 0 },
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

/* Where a value sits in the document, for errors ("mutations[3].args"):
 * a chain of frames on the stack, written out only when something is
 * wrong, since a page has 100,000s of values. */
typedef struct Path Path;
struct Path
{
  const Path *up;
  const char *member;    /* NULL: element @index of an array */
  guint       index;
};

static void
path_write (GString    *out,
            const Path *path)
{
  if (path == NULL)
    return;
  path_write (out, path->up);
  if (path->member != NULL)
    {
      if (out->len)
        g_string_append_c (out, '.');
      g_string_append (out, path->member);
    }
  else
    g_string_append_printf (out, "[%u]", path->index);
}

static gboolean
invalid (GError     **error,
         const Path  *path,
         const char  *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError     **error,
         const Path  *path,
         const char  *format,
         ...)
{
  g_autoptr(GString) where = g_string_new (NULL);
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  path_write (where, path);
  g_set_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_INVALID, "%s: %s",
               where->len ? where->str : "(document)", what);
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

/* ------------------------------------------------------------------ */
/* Reading JSON text                                                   */

/* A strict reader of JSON text (RFC 8259) into a small tree of values.
 * A page of the change feed holds 100,000s of values, and a json-glib
 * tree (a hash table for each object, a boxed value for each scalar)
 * took longer to build, check and free than the rest of the pull. The
 * values live in blocks freed all at once; strings are decoded in place
 * in a copy of the body, which the records then point into. */

typedef enum
{
  J_NULL,
  J_BOOL,
  J_INT,
  J_REAL,     /* a fraction, an exponent, or beyond a gint64 */
  J_STRING,
  J_OBJECT,
  J_ARRAY,
} JType;

typedef struct JVal JVal;
struct JVal
{
  JVal       *next;     /* the next member or element */
  const char *key;      /* a member's name */
  union
  {
    gint64      i;      /* J_INT, J_BOOL */
    double      d;      /* J_REAL */
    const char *s;      /* J_STRING */
    JVal       *first;  /* J_OBJECT, J_ARRAY */
  } u;
  guint32     len;      /* J_STRING: bytes; J_OBJECT, J_ARRAY: members, elements */
  guint8      type;
};

#define JBLOCK_VALUES 8192
#define MAX_DEPTH     64

typedef struct
{
  char       *text;     /* the body, NUL-terminated; strings decoded in place */
  gsize       length;
  GPtrArray  *blocks;   /* JVal[JBLOCK_VALUES] */
  guint       used;     /* values used in the last block */
  JVal       *root;
} JDoc;

static void
jdoc_free (JDoc *doc)
{
  g_free (doc->text);
  g_ptr_array_unref (doc->blocks);
  g_free (doc);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JDoc, jdoc_free)

/* The text outlives the tree: records keep pointing into it. */
static char *
jdoc_steal_text (JDoc *doc)
{
  return g_steal_pointer (&doc->text);
}

typedef struct
{
  JDoc        *doc;
  char        *p;
  const char  *body;    /* as it came, for the line and column of an error */
  GError     **error;
} Reader;

static JVal *
new_value (Reader *r,
           JType   type)
{
  JDoc *doc = r->doc;
  JVal *v;

  if (doc->blocks->len == 0 || doc->used == JBLOCK_VALUES)
    {
      g_ptr_array_add (doc->blocks, g_new (JVal, JBLOCK_VALUES));
      doc->used = 0;
    }
  v = (JVal *) g_ptr_array_index (doc->blocks, doc->blocks->len - 1) + doc->used++;
  v->next = NULL;
  v->key = NULL;
  v->u.i = 0;
  v->len = 0;
  v->type = type;

  return v;
}

static gpointer
syntax_error (Reader     *r,
              const char *at,
              const char *format,
              ...) G_GNUC_PRINTF (3, 4);

/* Names the line and column (in bytes, from 1) of @at. */
static gpointer
syntax_error (Reader     *r,
              const char *at,
              const char *format,
              ...)
{
  gsize offset = (gsize) (at - r->doc->text);
  guint line = 1;
  gsize line_start = 0;
  g_autofree char *what = NULL;
  va_list args;

  for (gsize i = 0; i < offset; i++)
    if (r->body[i] == '\n')
      {
        line++;
        line_start = i + 1;
      }

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (r->error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_MALFORMED,
               _("The body is not valid JSON: line %u, column %" G_GSIZE_FORMAT ": %s"), line,
               offset - line_start + 1, what);
  return NULL;
}

static gpointer
unexpected (Reader     *r,
            const char *expected)
{
  guchar c = (guchar) *r->p;

  if (c == '\0')
    return syntax_error (r, r->p, _("the text ends where %s should be"), expected);
  if (c >= 0x20 && c < 0x7f)
    return syntax_error (r, r->p, _("“%c” where %s should be"), c, expected);
  return syntax_error (r, r->p, _("byte 0x%02x where %s should be"), c, expected);
}

static inline void
skip_space (Reader *r)
{
  while (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t')
    r->p++;
}

static int
hex4 (const char *p)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }

  return value;
}

/* Reads the string at r->p (its opening quote) and decodes it in place:
 * an escape is never shorter than what it stands for. */
static const char *
read_string (Reader  *r,
             guint32 *length)
{
  char *start = r->p + 1;
  char *in = start;
  char *out;

  /* Most strings have no escape: find the end without copying. */
  for (;;)
    {
      guchar c = (guchar) *in;

      if (c == '"')
        {
          *in = '\0';
          *length = (guint32) (in - start);
          r->p = in + 1;
          return start;
        }
      if (c == '\\' || c < 0x20)
        break;
      in++;
    }

  out = in;
  for (;;)
    {
      guchar c = (guchar) *in;

      if (c == '"')
        break;
      if (c == '\0')
        return syntax_error (r, in, _("the text ends inside a string"));
      if (c < 0x20)
        return syntax_error (r, in, _("control character 0x%02x inside a string"), c);
      if (c != '\\')
        {
          *out++ = *in++;
          continue;
        }

      switch (in[1])
        {
        case '"': *out++ = '"'; break;
        case '\\': *out++ = '\\'; break;
        case '/': *out++ = '/'; break;
        case 'b': *out++ = '\b'; break;
        case 'f': *out++ = '\f'; break;
        case 'n': *out++ = '\n'; break;
        case 'r': *out++ = '\r'; break;
        case 't': *out++ = '\t'; break;
        case 'u':
          {
            int unit = hex4 (in + 2);
            gunichar ch;

            if (unit < 0)
              return syntax_error (r, in, _("“\\u” needs four hexadecimal digits"));
            ch = (gunichar) unit;
            if (unit >= 0xdc00 && unit <= 0xdfff)
              return syntax_error (r, in, _("a UTF-16 low surrogate without its high one"));
            if (unit >= 0xd800 && unit <= 0xdbff)
              {
                int low = in[6] == '\\' && in[7] == 'u' ? hex4 (in + 8) : -1;

                if (low < 0xdc00 || low > 0xdfff)
                  return syntax_error (r, in, _("a UTF-16 high surrogate without its low one"));
                ch = 0x10000 + (((gunichar) unit - 0xd800) << 10) + ((gunichar) low - 0xdc00);
                in += 6;
              }
            if (ch == 0)
              return syntax_error (r, in, _("“\\u0000” is not allowed in a string"));
            out += g_unichar_to_utf8 (ch, out);
            in += 4;
          }
          break;
        case '\0':
          return syntax_error (r, in, _("the text ends inside a string"));
        default:
          if ((guchar) in[1] >= 0x20 && (guchar) in[1] < 0x7f)
            return syntax_error (r, in, _("“\\%c” is not an escape"), in[1]);
          return syntax_error (r, in, _("a backslash before byte 0x%02x"), (guchar) in[1]);
        }
      in += 2;
    }

  *out = '\0';
  *length = (guint32) (out - start);
  r->p = in + 1;
  return start;
}

static JVal *
read_number (Reader *r)
{
  char *start = r->p;
  char *p = start;
  gboolean negative = FALSE;
  gboolean integer = TRUE;
  guint64 magnitude = 0;
  gboolean overflow = FALSE;
  JVal *v;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (*p == '0')
    {
      p++;
      if (g_ascii_isdigit (*p))
        return syntax_error (r, start, _("a number starts with 0"));
    }
  else if (*p >= '1' && *p <= '9')
    {
      for (; g_ascii_isdigit (*p); p++)
        {
          guint digit = (guint) (*p - '0');

          if (magnitude > (G_MAXUINT64 - digit) / 10)
            overflow = TRUE;
          else
            magnitude = magnitude * 10 + digit;
        }
    }
  else
    return syntax_error (r, p, _("a number needs a digit after “-”"));

  if (*p == '.')
    {
      integer = FALSE;
      p++;
      if (!g_ascii_isdigit (*p))
        return syntax_error (r, p, _("a number needs a digit after “.”"));
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p == 'e' || *p == 'E')
    {
      integer = FALSE;
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return syntax_error (r, p, _("a number needs a digit in its exponent"));
      while (g_ascii_isdigit (*p))
        p++;
    }

  if (integer && !overflow &&
      magnitude <= (negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64))
    {
      v = new_value (r, J_INT);
      v->u.i = negative ? (gint64) (0 - magnitude) : (gint64) magnitude;
    }
  else
    {
      v = new_value (r, J_REAL);
      v->u.d = g_ascii_strtod (start, NULL);
    }
  r->p = p;

  return v;
}

static JVal *
read_value (Reader *r,
            guint   depth)
{
  JVal *v;
  JVal *last = NULL;

  skip_space (r);
  switch (*r->p)
    {
    case '{':
    case '[':
      {
        gboolean object = *r->p == '{';
        char close = object ? '}' : ']';

        if (depth >= MAX_DEPTH)
          return syntax_error (r, r->p, _("values nested more than %d deep"), MAX_DEPTH);
        v = new_value (r, object ? J_OBJECT : J_ARRAY);
        r->p++;
        skip_space (r);
        if (*r->p == close)
          {
            r->p++;
            return v;
          }
        for (;;)
          {
            const char *key = NULL;
            JVal *child;

            if (object)
              {
                guint32 key_length;

                skip_space (r);
                if (*r->p != '"')
                  return unexpected (r, _("a member name in quotes"));
                if (!(key = read_string (r, &key_length)))
                  return NULL;
                skip_space (r);
                if (*r->p != ':')
                  return unexpected (r, _("“:” after a member name"));
                r->p++;
              }
            if (!(child = read_value (r, depth + 1)))
              return NULL;
            child->key = key;
            if (last)
              last->next = child;
            else
              v->u.first = child;
            last = child;
            v->len++;

            skip_space (r);
            if (*r->p == ',')
              {
                r->p++;
                continue;
              }
            if (*r->p == close)
              {
                r->p++;
                return v;
              }
            return unexpected (r, object ? _("“,” or “}”") : _("“,” or “]”"));
          }
      }

    case '"':
      {
        guint32 length;
        const char *s = read_string (r, &length);

        if (s == NULL)
          return NULL;
        v = new_value (r, J_STRING);
        v->u.s = s;
        v->len = length;
        return v;
      }

    case 't':
    case 'f':
    case 'n':
      {
        static const char * const words[] = { "true", "false", "null" };

        for (guint i = 0; i < G_N_ELEMENTS (words); i++)
          if (strncmp (r->p, words[i], strlen (words[i])) == 0)
            {
              v = new_value (r, i == 2 ? J_NULL : J_BOOL);
              v->u.i = i == 0;
              r->p += strlen (words[i]);
              return v;
            }
        return unexpected (r, _("a value"));
      }

    default:
      if (*r->p == '-' || g_ascii_isdigit (*r->p))
        return read_number (r);
      return unexpected (r, _("a value"));
    }
}

/* Whether @data is UTF-8 without a NUL: ASCII a word at a time, the
 * rest by GLib. */
static gboolean
is_utf8_text (const char *data,
              gsize       length)
{
  gsize i = 0;

  for (; i + 8 <= length; i += 8)
    {
      guint64 word;

      memcpy (&word, data + i, 8);
      /* A byte with its high bit set, or a zero byte. */
      if ((word & 0x8080808080808080ull) ||
          ((word - 0x0101010101010101ull) & ~word & 0x8080808080808080ull))
        break;
    }

  return memchr (data + i, '\0', length - i) == NULL &&
         g_utf8_validate (data + i, (gssize) (length - i), NULL);
}

/* Reads @data into a tree; NULL with ORD_SYNC_ERROR_MALFORMED or
 * ORD_SYNC_ERROR_TOO_LARGE. */
static JDoc *
read_document (const char  *data,
               gsize        length,
               gsize        limit,
               GError     **error)
{
  g_autoptr(JDoc) doc = NULL;
  Reader r;

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
  if (!is_utf8_text (data, length))
    {
      g_set_error_literal (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_MALFORMED,
                           _("The body is not UTF-8 JSON text"));
      return NULL;
    }

  doc = g_new0 (JDoc, 1);
  doc->text = g_malloc (length + 1);
  memcpy (doc->text, data, length);
  doc->text[length] = '\0';
  doc->length = length;
  doc->blocks = g_ptr_array_new_with_free_func (g_free);

  r = (Reader) { doc, doc->text, data, error };
  skip_space (&r);
  if (*r.p == '\0')
    {
      g_set_error_literal (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_MALFORMED,
                           _("The body is empty; expected a JSON object"));
      return NULL;
    }
  if (!(doc->root = read_value (&r, 0)))
    return NULL;
  skip_space (&r);
  if (*r.p != '\0')
    return syntax_error (&r, r.p, _("more text after the JSON value"));

  return g_steal_pointer (&doc);
}

/* ------------------------------------------------------------------ */
/* Checking a tree against a schema                                    */

#define MAX_FIELDS 32

static gboolean validate (const JVal   *v,
                          const Field  *spec,
                          const Path   *path,
                          GError      **error);

/* The index of @name in @fields (of @n), looked for from @hint first:
 * members mostly come in the schema's order. */
static guint
find_field (const Field *fields,
            guint        n,
            const char  *name,
            guint        hint)
{
  for (guint i = hint; i < n; i++)
    if (strcmp (fields[i].name, name) == 0)
      return i;
  for (guint i = 0; i < hint && i < n; i++)
    if (strcmp (fields[i].name, name) == 0)
      return i;

  return n;
}

static gboolean
validate_object (const JVal   *object,
                 const Field  *fields,
                 const Path   *path,
                 GError      **error)
{
  const JVal *slots[MAX_FIELDS] = { NULL, };
  guint n = 0;
  guint hint = 0;

  if (fields == NULL)
    return TRUE;
  while (fields[n].name != NULL)
    n++;
  g_assert (n <= MAX_FIELDS);

  /* Unknown members first: a typo is the likeliest mistake. */
  for (const JVal *m = object->u.first; m != NULL; m = m->next)
    {
      guint i = find_field (fields, n, m->key, hint);
      Path here = { path, m->key, 0 };

      if (i == n)
        return invalid (error, &here, "unknown field");
      if (slots[i] != NULL)
        return invalid (error, &here, "given twice");
      slots[i] = m;
      hint = i + 1;
    }

  for (guint i = 0; i < n; i++)
    {
      Path here = { path, fields[i].name, 0 };

      if (slots[i] == NULL)
        {
          if (fields[i].flags & F_REQUIRED)
            return invalid (error, &here, "missing");
          continue;
        }
      if (!validate (slots[i], &fields[i], &here, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
validate (const JVal   *v,
          const Field  *spec,
          const Path   *path,
          GError      **error)
{
  if (v->type == J_NULL)
    {
      if (spec->flags & F_NULLABLE)
        return TRUE;
      return invalid (error, path, "expected %s, not null", kind_name (spec->kind));
    }

  switch (spec->kind)
    {
    case K_STRING:
      {
        gint64 max = spec->max ? spec->max : MAX_STRING;

        if (v->type != J_STRING)
          return invalid (error, path, "expected a string");
        if ((gint64) v->len > max)
          return invalid (error, path, "longer than %" G_GINT64_FORMAT " bytes", max);
        if (spec->flags & F_STATUS && !ord_status_from_string (v->u.s, NULL))
          return invalid (error, path, "“%s” is not an order status", v->u.s);
        if (spec->flags & F_CURRENCY && !ord_currency_is_valid (v->u.s))
          return invalid (error, path, "“%s” is not a currency code", v->u.s);
        return TRUE;
      }

    case K_INT:
      if (v->type != J_INT)
        return invalid (error, path, "expected an integer");
      if (spec->flags & F_POSITIVE && v->u.i <= 0)
        return invalid (error, path, "%" G_GINT64_FORMAT " must be positive", v->u.i);
      if (spec->flags & F_NONNEG && v->u.i < 0)
        return invalid (error, path, "%" G_GINT64_FORMAT " must not be negative", v->u.i);
      return TRUE;

    case K_BOOL:
      if (v->type != J_BOOL)
        return invalid (error, path, "expected true or false");
      return TRUE;

    case K_OBJECT:
      if (v->type != J_OBJECT)
        return invalid (error, path, "expected an object");
      return validate_object (v, spec->fields, path, error);

    case K_ARRAY:
      {
        gint64 max = spec->max ? spec->max : MAX_ARRAY;
        guint i = 0;

        if (v->type != J_ARRAY)
          return invalid (error, path, "expected an array");
        if (v->len > max)
          return invalid (error, path, "%u elements, at most %" G_GINT64_FORMAT " allowed",
                          v->len, max);
        for (const JVal *e = v->u.first; e != NULL; e = e->next, i++)
          {
            Path here = { path, NULL, i };

            if (!validate (e, spec->elem, &here, error))
              return FALSE;
          }
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

/* Reads @data and checks it against @fields. */
static JDoc *
parse_document (const char   *data,
                gsize         length,
                gsize         limit,
                const Field  *fields,
                GError      **error)
{
  g_autoptr(JDoc) doc = read_document (data, length, limit, error);
  Field top = { NULL, K_OBJECT, REQ, fields, NULL, 0 };

  if (doc == NULL || !validate (doc->root, &top, NULL, error))
    return NULL;

  return g_steal_pointer (&doc);
}

/* ------------------------------------------------------------------ */
/* Values of a checked tree                                            */

static const JVal *
member (const JVal *object,
        const char *name)
{
  for (const JVal *m = object->u.first; m != NULL; m = m->next)
    if (strcmp (m->key, name) == 0)
      return m;

  return NULL;
}

/* A string member, or NULL when absent or null. */
static const char *
member_str (const JVal *object,
            const char *name)
{
  const JVal *m = member (object, name);

  return m != NULL && m->type == J_STRING ? m->u.s : NULL;
}

static gint64
member_int (const JVal *object,
            const char *name,
            gint64      fallback)
{
  const JVal *m = member (object, name);

  return m != NULL && m->type == J_INT ? m->u.i : fallback;
}

/* The same value as a json-glib node, for the parts that use one (a
 * mutation's args on the server, customers and products on the client). */
static JsonNode *
to_node (const JVal *v)
{
  JsonNode *node = json_node_alloc ();

  switch (v->type)
    {
    case J_NULL:
      return json_node_init_null (node);
    case J_BOOL:
      return json_node_init_boolean (node, v->u.i != 0);
    case J_INT:
      return json_node_init_int (node, v->u.i);
    case J_REAL:
      return json_node_init_double (node, v->u.d);
    case J_STRING:
      return json_node_init_string (node, v->u.s);
    case J_OBJECT:
      {
        g_autoptr(JsonObject) o = json_object_new ();

        for (const JVal *m = v->u.first; m != NULL; m = m->next)
          json_object_set_member (o, m->key, to_node (m));
        return json_node_init_object (node, o);
      }
    case J_ARRAY:
      {
        g_autoptr(JsonArray) a = json_array_sized_new (v->len);

        for (const JVal *e = v->u.first; e != NULL; e = e->next)
          json_array_add_element (a, to_node (e));
        return json_node_init_array (node, a);
      }
    default:
      g_assert_not_reached ();
    }

  return node;
}

/* The order of checked order data, its totals computed, as
 * ord_store_sync_prepare_records() would build it from a json-glib tree:
 * built here, on the fetching thread, from the tree at hand. */
static OrdOrder *
order_from_data (const JVal *o,
                 gint64      version)
{
  g_autoptr(GError) local_error = NULL;
  OrdOrder *order = ord_order_new ();
  const JVal *items = member (o, "items");
  OrdStatus status = ORD_STATUS_PENDING;
  const char *notes = member_str (o, "notes");

  ord_order_set_id (order, member_str (o, "id"));
  ord_order_set_number (order, member_str (o, "number"));
  ord_order_set_provisional_number (order, member_str (o, "provisional_number"));
  ord_order_set_customer_id (order, member_str (o, "customer_id"));
  ord_order_set_customer_name (order, member_str (o, "customer_name"));
  ord_status_from_string (member_str (o, "status"), &status);
  ord_order_set_status (order, status);
  ord_order_set_created_at (order, member_int (o, "created_at", 0));
  ord_order_set_updated_at (order, member_int (o, "updated_at", 0));
  ord_order_set_due_at (order, member_int (o, "due_at", 0));
  ord_order_set_notes (order, notes ? notes : "");
  ord_order_set_currency (order, member_str (o, "currency"));
  ord_order_set_tax_rate (order, (guint) CLAMP (member_int (o, "tax_rate", 0), 0, G_MAXINT));
  ord_order_set_discount (order, member_int (o, "discount", 0));
  ord_order_set_external_ref (order, member_str (o, "external_ref"));
  ord_order_set_version (order, version);

  for (const JVal *e = items ? items->u.first : NULL; e != NULL; e = e->next)
    {
      g_autoptr(OrdOrderItem) item = ord_order_item_new ();

      ord_order_item_set_id (item, member_str (e, "id"));
      ord_order_item_set_product_id (item, member_str (e, "product_id"));
      ord_order_item_set_sku (item, member_str (e, "sku"));
      ord_order_item_set_name (item, member_str (e, "name"));
      ord_order_item_set_unit_price (item, member_int (e, "unit_price", 0));
      ord_order_item_set_quantity (item, member_int (e, "quantity", 0));
      ord_order_item_set_discount (item, member_int (e, "discount", 0));
      ord_order_add_item (order, item);
    }

  if (!ord_order_compute_totals (order, &local_error))
    {
      /* The server computed the same lines; keep what it sent. */
      g_debug ("order %s from the server: %s", ord_order_get_id (order), local_error->message);
    }

  return order;
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
  if (strcmp (entity, "held") == 0)
    return held_data_fields;
  return NULL;
}

/* The parts of a change the generic schema cannot say. An order's data
 * becomes record->prepared; a customer's or product's a json-glib object
 * added to @owner. */
static gboolean
read_change (const JVal     *o,
             OrdSyncRecord  *record,
             JsonArray      *owner,
             const Path     *path,
             GError        **error)
{
  const JVal *data = member (o, "data");
  const char *op = member_str (o, "op");
  const Field *fields;
  Path here = { path, "data", 0 };
  Field spec;

  record->entity = member_str (o, "entity");
  record->id = member_str (o, "id");
  record->version = member_int (o, "version", 0);

  if (!(fields = data_schema (record->entity)))
    {
      Path entity = { path, "entity", 0 };
      return invalid (error, &entity, "“%s” is not order, customer, product or held",
                      record->entity);
    }
  if (strcmp (op, "put") == 0)
    record->deleted = FALSE;
  else if (strcmp (op, "delete") == 0)
    record->deleted = TRUE;
  else
    {
      Path where = { path, "op", 0 };
      return invalid (error, &where, "“%s” is not put or delete", op);
    }

  record->data = NULL;
  /* A held amendment's tombstone may carry the owner's decision. */
  if (record->deleted && fields == held_data_fields && data->type != J_NULL)
    {
      const char *decision;

      spec = (Field) { NULL, K_OBJECT, REQ, held_decision_fields, NULL, 0 };
      if (!validate (data, &spec, &here, error))
        return FALSE;
      decision = member_str (data, "decision");
      if (strcmp (decision, "approved") != 0 && strcmp (decision, "declined") != 0)
        {
          Path where = { &here, "decision", 0 };
          return invalid (error, &where, "“%s” is not approved or declined", decision);
        }
      fields = held_decision_fields;
    }
  else if (record->deleted)
    return TRUE;
  else if (data->type == J_NULL)
    return invalid (error, &here, "a put needs its data");
  else
    {
      spec = (Field) { NULL, K_OBJECT, REQ, fields, NULL, 0 };
      if (!validate (data, &spec, &here, error))
        return FALSE;
    }

  if (g_strcmp0 (member_str (data, "id"), record->id) != 0)
    {
      Path id = { &here, "id", 0 };
      return invalid (error, &id, "differs from the change’s id");
    }

  if (fields == order_data_fields)
    record->prepared = G_OBJECT (order_from_data (data, record->version));
  else
    {
      JsonNode *node = to_node (data);

      json_array_add_element (owner, node);
      record->data = json_node_get_object (node);
    }

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
  g_free (request->text);
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
  g_free (response->text);
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
  g_free (response->text);
  g_free (response);
}

/* A node holding an empty array, to own what the records point into. */
static JsonNode *
new_owner (guint n)
{
  JsonNode *root = json_node_alloc ();
  g_autoptr(JsonArray) array = json_array_sized_new (n);

  return json_node_init_array (root, array);
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
  g_autoptr(JDoc) doc = NULL;
  const JVal *mutations;
  JsonArray *owner;
  guint i = 0;

  if (!(doc = parse_document (data, length, ORD_SYNC_MAX_BODY, push_request_fields, error)))
    return NULL;

  request->client_id = member_str (doc->root, "client_id");
  if (request->client_id[0] == '\0')
    {
      Path where = { NULL, "client_id", 0 };
      invalid (error, &where, "must not be empty");
      return NULL;
    }

  mutations = member (doc->root, "mutations");
  request->n_mutations = mutations->len;
  request->mutations = g_new0 (OrdSyncMutation, MAX (1, request->n_mutations));
  request->root = new_owner (request->n_mutations);
  owner = json_node_get_array (request->root);

  for (const JVal *m = mutations->u.first; m != NULL; m = m->next, i++)
    {
      OrdSyncMutation *out = &request->mutations[i];
      const Field *args = NULL;
      const JVal *args_value = member (m, "args");
      Path list = { NULL, "mutations", 0 };
      Path element = { &list, NULL, i };
      Field spec;

      out->mutation_id = member_int (m, "mutation_id", 0);
      out->name = member_str (m, "name");

      if (i > 0 && out->mutation_id <= request->mutations[i - 1].mutation_id)
        {
          Path where = { &element, "mutation_id", 0 };
          invalid (error, &where, "%" G_GINT64_FORMAT " does not follow %" G_GINT64_FORMAT,
                   out->mutation_id, request->mutations[i - 1].mutation_id);
          return NULL;
        }

      for (guint k = 0; k < G_N_ELEMENTS (mutation_schemas); k++)
        if (strcmp (mutation_schemas[k].name, out->name) == 0)
          args = mutation_schemas[k].args;
      if (args == NULL)
        {
          Path where = { &element, "name", 0 };
          invalid (error, &where, "unknown mutation “%s”", out->name);
          return NULL;
        }

      {
        Path where = { &element, "args", 0 };
        JsonNode *node;

        spec = (Field) { NULL, K_OBJECT, REQ, args, NULL, 0 };
        if (!validate (args_value, &spec, &where, error))
          return NULL;
        node = to_node (args_value);
        json_array_add_element (owner, node);
        out->args = json_node_get_object (node);
      }
    }

  request->text = jdoc_steal_text (doc);
  return g_steal_pointer (&request);
}

OrdSyncPushResponse *
ord_sync_push_response_parse (const char  *data,
                              gsize        length,
                              GError     **error)
{
  g_autoptr(OrdSyncPushResponse) response = g_new0 (OrdSyncPushResponse, 1);
  g_autoptr(JDoc) doc = NULL;
  const JVal *results;
  JsonArray *owner;
  guint i = 0;

  if (!(doc = parse_document (data, length, ORD_SYNC_MAX_RESPONSE, push_response_fields,
                              error)))
    return NULL;

  results = member (doc->root, "results");
  response->n_acks = results->len;
  response->acks = g_new0 (OrdSyncAck, MAX (1, response->n_acks));
  response->records = g_new0 (OrdSyncRecord, MAX (1, response->n_acks));
  response->root = new_owner (0);
  owner = json_node_get_array (response->root);

  for (const JVal *r = results->u.first; r != NULL; r = r->next, i++)
    {
      OrdSyncAck *ack = &response->acks[i];
      const char *status = member_str (r, "status");
      const JVal *record = member (r, "record");
      Path list = { NULL, "results", 0 };
      Path element = { &list, NULL, i };

      ack->mutation_id = member_int (r, "mutation_id", 0);
      if (!ord_sync_outcome_from_string (status, &ack->outcome))
        {
          Path where = { &element, "status", 0 };
          invalid (error, &where, "“%s” is not applied, merged, held or rejected", status);
          return NULL;
        }
      ack->code = member_str (r, "code");
      ack->message = member_str (r, "message");
      if (ack->outcome == ORD_SYNC_REJECTED && ack->code == NULL)
        {
          Path where = { &element, "code", 0 };
          invalid (error, &where, "a rejection needs its code");
          return NULL;
        }
      if (record != NULL)
        {
          Path where = { &element, "record", 0 };

          if (!read_change (record, &response->records[i], owner, &where, error))
            return NULL;
          ack->record = &response->records[i];
        }
    }

  response->text = jdoc_steal_text (doc);
  return g_steal_pointer (&response);
}

/**
 * ord_sync_pull_response_parse:
 * @data: (array length=length): the body
 * @length: its size in bytes
 * @error: a #GError in %ORD_SYNC_ERROR
 *
 * Each order of the page comes built (and its totals computed) in its
 * record's `prepared`; customers and products in `data`.
 *
 * Returns: (transfer full) (nullable): the page
 */
OrdSyncPullResponse *
ord_sync_pull_response_parse (const char  *data,
                              gsize        length,
                              GError     **error)
{
  g_autoptr(OrdSyncPullResponse) response = g_new0 (OrdSyncPullResponse, 1);
  g_autoptr(JDoc) doc = NULL;
  const JVal *changes;
  JsonArray *owner;
  guint i = 0;

  if (!(doc = parse_document (data, length, ORD_SYNC_MAX_RESPONSE, pull_response_fields,
                              error)))
    return NULL;

  response->cursor = member_int (doc->root, "cursor", 0);
  response->has_more = member (doc->root, "has_more")->u.i != 0;
  changes = member (doc->root, "changes");
  response->n_changes = changes->len;
  response->changes = g_new0 (OrdSyncRecord, MAX (1, response->n_changes));
  response->root = new_owner (0);
  owner = json_node_get_array (response->root);

  for (const JVal *c = changes->u.first; c != NULL; c = c->next, i++)
    {
      Path list = { NULL, "changes", 0 };
      Path element = { &list, NULL, i };

      if (!read_change (c, &response->changes[i], owner, &element, error))
        return NULL;
    }

  response->text = jdoc_steal_text (doc);
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
