/* test-sync-codec.c: the wire format refuses what the protocol does not
 * say, naming where
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ord-core.h"
#include "ord-sync-codec.h"

#define ITEM "{\"id\":\"i1\",\"product_id\":null,\"sku\":null,\"name\":\"Bread\"," \
             "\"unit_price\":250,\"quantity\":2,\"discount\":0}"
#define CREATE_ARGS "{\"id\":\"0190c0de-0000-7000-8000-0000000000a1\"," \
  "\"provisional_number\":\"T1-0001\",\"number\":\"T1-0001\"," \
  "\"customer_id\":\"c1\",\"status\":\"pending\",\"created_at\":1,\"due_at\":0," \
  "\"notes\":\"\",\"currency\":\"EUR\",\"tax_rate\":0,\"discount\":0," \
  "\"external_ref\":null,\"items\":[" ITEM "]}"

static char *
push_with (const char *mutations)
{
  return g_strdup_printf ("{\"client_id\":\"dev-1\",\"mutations\":[%s]}", mutations);
}

static void
assert_push_error (const char *body,
                   int         code,
                   const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdSyncPushRequest) req = ord_sync_push_request_parse (body, strlen (body), &error);

  g_assert_null (req);
  g_assert_error (error, ORD_SYNC_ERROR, code);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message_part);
}

static void
test_push_valid (void)
{
  g_autofree char *body = push_with ("{\"mutation_id\":1,\"name\":\"create_order\",\"args\":"
                                     CREATE_ARGS "},"
                                     "{\"mutation_id\":2,\"name\":\"set_status\",\"args\":"
                                     "{\"order_id\":\"o\",\"from\":\"pending\","
                                     "\"to\":\"confirmed\",\"reason\":null}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdSyncPushRequest) req = ord_sync_push_request_parse (body, strlen (body), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (req->client_id, ==, "dev-1");
  g_assert_cmpuint (req->n_mutations, ==, 2);
  g_assert_cmpint (req->mutations[1].mutation_id, ==, 2);
  g_assert_cmpstr (req->mutations[1].name, ==, "set_status");
  g_assert_cmpstr (json_object_get_string_member (req->mutations[1].args, "to"), ==, "confirmed");
}

/* The error names the full path of the wrong value. */
static void
test_push_wrong_type_path (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GString) args = g_string_new (CREATE_ARGS);
  g_autofree char *body = NULL;

  /* Four mutations, the fourth with a quantity that is not an integer. */
  for (int i = 1; i <= 3; i++)
    g_string_append_printf (s, "{\"mutation_id\":%d,\"name\":\"set_status\",\"args\":"
                               "{\"order_id\":\"o\",\"from\":\"pending\",\"to\":\"confirmed\"}},",
                            i);
  g_assert_cmpuint (g_string_replace (args, "\"quantity\":2", "\"quantity\":2.5", 1), ==, 1);
  g_string_append_printf (s, "{\"mutation_id\":4,\"name\":\"create_order\",\"args\":%s}",
                          args->str);
  body = push_with (s->str);

  assert_push_error (body, ORD_SYNC_ERROR_INVALID,
                     "mutations[3].args.items[0].quantity: expected an integer");
}

static void
test_push_malformed (void)
{
  static const char *bodies[] = {
    "{\"client_id\":\"dev-1\",\"mutations\":[",      /* truncated */
    "{client_id: 1}",
    "not json at all",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OrdSyncPushRequest) req = ord_sync_push_request_parse (bodies[i],
                                                                       strlen (bodies[i]),
                                                                       &error);
      g_assert_null (req);
      g_assert_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_MALFORMED);
    }
}

static void
test_push_invalid (void)
{
  static const struct { const char *mutations; const char *message; } rows[] = {
    { "{\"mutation_id\":1,\"name\":\"set_status\",\"args\":{\"order_id\":\"o\","
      "\"from\":\"pending\",\"to\":\"confirmed\",\"colour\":1}}",
      "mutations[0].args.colour: unknown field" },
    { "{\"mutation_id\":1,\"name\":\"set_status\",\"args\":{\"order_id\":\"o\","
      "\"from\":\"pending\"}}", "mutations[0].args.to: missing" },
    { "{\"mutation_id\":1,\"name\":\"set_status\",\"args\":{\"order_id\":\"o\","
      "\"from\":\"pending\",\"to\":\"teleported\"}}", "not an order status" },
    { "{\"mutation_id\":0,\"name\":\"set_status\",\"args\":{}}",
      "mutations[0].mutation_id: 0 must be positive" },
    { "{\"mutation_id\":\"1\",\"name\":\"set_status\",\"args\":{}}",
      "mutations[0].mutation_id: expected an integer" },
    { "{\"mutation_id\":1,\"name\":\"drop_tables\",\"args\":{}}",
      "mutations[0].name: unknown mutation" },
    { "{\"mutation_id\":2,\"name\":\"set_status\",\"args\":{\"order_id\":\"o\",\"from\":"
      "\"pending\",\"to\":\"confirmed\"}},{\"mutation_id\":2,\"name\":\"set_status\",\"args\":"
      "{\"order_id\":\"o\",\"from\":\"pending\",\"to\":\"confirmed\"}}",
      "mutations[1].mutation_id: 2 does not follow 2" },
    { "{\"mutation_id\":1,\"name\":\"set_status\",\"args\":null}",
      "mutations[0].args: expected an object, not null" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *body = push_with (rows[i].mutations);
      assert_push_error (body, ORD_SYNC_ERROR_INVALID, rows[i].message);
    }

  assert_push_error ("{\"mutations\":[]}", ORD_SYNC_ERROR_INVALID, "client_id: missing");
  assert_push_error ("[1,2]", ORD_SYNC_ERROR_INVALID, "expected an object");
  assert_push_error ("{\"client_id\":\"\",\"mutations\":[]}", ORD_SYNC_ERROR_INVALID,
                     "client_id: must not be empty");
}

static void
test_push_too_many_and_too_large (void)
{
  GString *s = g_string_new (NULL);
  g_autofree char *body = NULL;
  g_autofree char *huge = NULL;

  for (int i = 1; i <= ORD_SYNC_MAX_MUTATIONS + 1; i++)
    g_string_append_printf (s, "%s{\"mutation_id\":%d,\"name\":\"set_status\",\"args\":"
                               "{\"order_id\":\"o\",\"from\":\"pending\",\"to\":\"confirmed\"}}",
                            i > 1 ? "," : "", i);
  body = push_with (s->str);
  g_string_free (s, TRUE);
  assert_push_error (body, ORD_SYNC_ERROR_INVALID, "mutations: 501 elements, at most 500");

  huge = g_malloc (ORD_SYNC_MAX_BODY + 2);
  memset (huge, ' ', ORD_SYNC_MAX_BODY + 1);
  huge[ORD_SYNC_MAX_BODY + 1] = '\0';
  assert_push_error (huge, ORD_SYNC_ERROR_TOO_LARGE, "at most");
}

static void
test_pull_response (void)
{
  const char *good =
    "{\"changes\":[{\"entity\":\"product\",\"id\":\"p1\",\"version\":3,\"op\":\"put\","
    "\"data\":{\"id\":\"p1\",\"sku\":\"B1\",\"name\":\"Bread\",\"unit_price\":250,"
    "\"currency\":\"EUR\",\"active\":true,\"version\":3,\"updated_at\":9}},"
    "{\"entity\":\"order\",\"id\":\"o1\",\"version\":4,\"op\":\"delete\",\"data\":null}],"
    "\"cursor\":17,\"has_more\":false}";
  const char *bad_entity =
    "{\"changes\":[{\"entity\":\"invoice\",\"id\":\"x\",\"version\":1,\"op\":\"put\","
    "\"data\":{}}],\"cursor\":1,\"has_more\":false}";
  const char *bad_data =
    "{\"changes\":[{\"entity\":\"product\",\"id\":\"p1\",\"version\":3,\"op\":\"put\","
    "\"data\":{\"id\":\"p1\",\"sku\":\"B1\",\"name\":\"Bread\",\"unit_price\":-1,"
    "\"currency\":\"EUR\",\"active\":true,\"version\":3,\"updated_at\":9}}],"
    "\"cursor\":1,\"has_more\":false}";
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdSyncPullResponse) page = ord_sync_pull_response_parse (good, strlen (good), &error);
  g_autoptr(OrdSyncPullResponse) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (page->n_changes, ==, 2);
  g_assert_cmpint (page->cursor, ==, 17);
  g_assert_false (page->has_more);
  g_assert_cmpstr (page->changes[0].entity, ==, "product");
  g_assert_false (page->changes[0].deleted);
  g_assert_true (page->changes[1].deleted);
  g_assert_null (page->changes[1].data);

  none = ord_sync_pull_response_parse (bad_entity, strlen (bad_entity), &error);
  g_assert_null (none);
  g_assert_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "changes[0].entity"));
  g_clear_error (&error);

  none = ord_sync_pull_response_parse (bad_data, strlen (bad_data), &error);
  g_assert_null (none);
  g_assert_nonnull (strstr (error->message, "changes[0].data.unit_price: -1 must not be negative"));
}

#define EDIT_ARGS "{\"order_id\":\"o1\",\"base_version\":2,\"fields\":{\"notes\":\"candles\"}," \
  "\"items\":{\"add\":[" ITEM "],\"change\":[],\"remove\":[],\"order\":[\"i1\"]}}"

static void
assert_change_error (const char *change,
                   const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = g_strdup_printf ("{\"changes\":[%s],\"cursor\":1,\"has_more\":false}",
                                           change);
  g_autoptr(OrdSyncPullResponse) page = ord_sync_pull_response_parse (body, strlen (body),
                                                                      &error);

  g_assert_null (page);
  g_assert_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_INVALID);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message_part);
}

/* Held amendments in the feed: a put with the customer's edit, a
 * tombstone with the owner's decision (or none); and resolve_held. */
static void
test_held (void)
{
  const char *good =
    "{\"changes\":[{\"entity\":\"held\",\"id\":\"4\",\"version\":1,\"op\":\"put\","
    "\"data\":{\"id\":\"4\",\"order_id\":\"o1\",\"order_number\":\"100001\","
    "\"customer_name\":\"Alice\",\"subject\":\"alice\",\"args\":" EDIT_ARGS ","
    "\"created_at\":5}},"
    "{\"entity\":\"held\",\"id\":\"4\",\"version\":2,\"op\":\"delete\","
    "\"data\":{\"id\":\"4\",\"order_id\":\"o1\",\"decision\":\"declined\","
    "\"reason\":\"Out of stock\",\"decided_at\":9}},"
    "{\"entity\":\"held\",\"id\":\"5\",\"version\":2,\"op\":\"delete\",\"data\":null}],"
    "\"cursor\":3,\"has_more\":false}";
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdSyncPullResponse) page = ord_sync_pull_response_parse (good, strlen (good), &error);
  g_autofree char *resolve = NULL;
  g_autoptr(OrdSyncPushRequest) req = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (page->n_changes, ==, 3);
  g_assert_cmpstr (page->changes[0].entity, ==, "held");
  g_assert_false (page->changes[0].deleted);
  g_assert_cmpstr (json_object_get_string_member (page->changes[0].data, "customer_name"), ==,
                   "Alice");
  g_assert_true (page->changes[1].deleted);
  g_assert_cmpstr (json_object_get_string_member (page->changes[1].data, "decision"), ==,
                   "declined");
  g_assert_true (page->changes[2].deleted);
  g_assert_null (page->changes[2].data);

  /* The customer's edit is checked like an edit_order's arguments. */
  assert_change_error ("{\"entity\":\"held\",\"id\":\"4\",\"version\":1,\"op\":\"put\","
                     "\"data\":{\"id\":\"4\",\"order_id\":\"o1\",\"order_number\":null,"
                     "\"customer_name\":null,\"subject\":null,\"args\":{\"order_id\":\"o1\"},"
                     "\"created_at\":5}}",
                     "changes[0].data.args.base_version: missing");
  assert_change_error ("{\"entity\":\"held\",\"id\":\"4\",\"version\":1,\"op\":\"put\","
                     "\"data\":{\"id\":\"5\",\"order_id\":\"o1\",\"order_number\":null,"
                     "\"customer_name\":null,\"subject\":null,\"args\":" EDIT_ARGS ","
                     "\"created_at\":5}}",
                     "changes[0].data.id: differs from the change’s id");
  assert_change_error ("{\"entity\":\"held\",\"id\":\"4\",\"version\":1,\"op\":\"put\","
                     "\"data\":null}",
                     "changes[0].data: a put needs its data");
  /* A tombstone's decision is approved or declined, nothing else. */
  assert_change_error ("{\"entity\":\"held\",\"id\":\"4\",\"version\":2,\"op\":\"delete\","
                     "\"data\":{\"id\":\"4\",\"order_id\":\"o1\",\"decision\":\"maybe\","
                     "\"reason\":null,\"decided_at\":9}}",
                     "changes[0].data.decision: “maybe” is not approved or declined");
  assert_change_error ("{\"entity\":\"held\",\"id\":\"4\",\"version\":2,\"op\":\"delete\","
                     "\"data\":{\"id\":\"4\",\"order_id\":\"o1\",\"decision\":\"approved\","
                     "\"decided_at\":9}}",
                     "changes[0].data.reason: missing");

  /* resolve_held: known fields only, with their types. */
  resolve = push_with ("{\"mutation_id\":1,\"name\":\"resolve_held\",\"args\":{\"held_id\":\"4\","
                       "\"decision\":\"decline\",\"reason\":\"Out of stock\"}}");
  req = ord_sync_push_request_parse (resolve, strlen (resolve), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (req->mutations[0].name, ==, "resolve_held");
  g_clear_pointer (&resolve, g_free);
  resolve = push_with ("{\"mutation_id\":1,\"name\":\"resolve_held\",\"args\":{\"held_id\":4,"
                       "\"decision\":\"approve\"}}");
  assert_push_error (resolve, ORD_SYNC_ERROR_INVALID,
                     "mutations[0].args.held_id: expected a string");
  g_clear_pointer (&resolve, g_free);
  resolve = push_with ("{\"mutation_id\":1,\"name\":\"resolve_held\",\"args\":{\"held_id\":\"4\","
                       "\"approve\":true}}");
  assert_push_error (resolve, ORD_SYNC_ERROR_INVALID, "mutations[0].args.approve: unknown field");
}

static void
test_push_response (void)
{
  const char *good = "{\"results\":[{\"mutation_id\":1,\"status\":\"applied\",\"number\":\"100001\"},"
                     "{\"mutation_id\":2,\"status\":\"rejected\",\"code\":\"order_locked\","
                     "\"message\":\"shipped\"}]}";
  const char *no_code = "{\"results\":[{\"mutation_id\":2,\"status\":\"rejected\"}]}";
  const char *bad_status = "{\"results\":[{\"mutation_id\":2,\"status\":\"maybe\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdSyncPushResponse) r = ord_sync_push_response_parse (good, strlen (good), &error);
  g_autoptr(OrdSyncPushResponse) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (r->n_acks, ==, 2);
  g_assert_cmpint (r->acks[1].outcome, ==, ORD_SYNC_REJECTED);
  g_assert_cmpstr (r->acks[1].code, ==, "order_locked");
  g_assert_null (r->acks[1].record);

  none = ord_sync_push_response_parse (no_code, strlen (no_code), &error);
  g_assert_null (none);
  g_assert_nonnull (strstr (error->message, "results[0].code"));
  g_clear_error (&error);
  none = ord_sync_push_response_parse (bad_status, strlen (bad_status), &error);
  g_assert_null (none);
  g_assert_nonnull (strstr (error->message, "results[0].status"));
}

/* ------------------------------------------------------------------ */
/* The JSON reader                                                     */

#define ORDER_DATA(id, number, extra) \
  "{\"id\":\"" id "\",\"number\":\"" number "\",\"provisional_number\":\"T1-0001\"," \
  "\"customer_id\":\"c1\",\"customer_name\":\"Ana \\u00e9\\ud83d\\ude00 \\\"A\\\"\"," \
  "\"status\":\"confirmed\",\"created_at\":10,\"updated_at\":20,\"due_at\":0," \
  "\"notes\":\"line 1\\nline 2\",\"currency\":\"EUR\",\"tax_rate\":0,\"discount\":0," \
  "\"external_ref\":null,\"version\":3,\"items\":[" ITEM "," \
  "{\"id\":\"i2\",\"product_id\":\"p1\",\"sku\":\"B1\",\"name\":\"Rye\",\"unit_price\":380," \
  "\"quantity\":1,\"discount\":0}]" extra "}"

#define ORDER_CHANGE(id, number) \
  "{\"entity\":\"order\",\"id\":\"" id "\",\"version\":3,\"op\":\"put\",\"data\":" \
  ORDER_DATA (id, number, "") "}"

/* A page such as the server sends, with a customer, a product, orders
 * and a delete; members in another order than the server's own. */
static const char page_text[] =
  "{\"changes\":[\n"
  "  {\"entity\":\"customer\",\"id\":\"c1\",\"version\":1,\"op\":\"put\",\"data\":"
  "{\"id\":\"c1\",\"name\":\"Ana \\u00e9\",\"email\":null,\"phone\":null,\"notes\":null,"
  "\"external_ref\":null,\"version\":1,\"updated_at\":5}},\n"
  "  {\"entity\":\"product\",\"id\":\"p1\",\"version\":2,\"op\":\"put\",\"data\":"
  "{\"id\":\"p1\",\"sku\":\"B1\",\"name\":\"Rye\",\"unit_price\":380,\"currency\":\"EUR\","
  "\"active\":true,\"version\":2,\"updated_at\":6}},\n"
  "  " ORDER_CHANGE ("o1", "100001") ",\n"
  "  {\"data\":" ORDER_DATA ("o2", "100002", "") ",\"op\":\"put\",\"version\":3,"
  "\"id\":\"o2\",\"entity\":\"order\"},\n"
  "  {\"entity\":\"order\",\"id\":\"o0\",\"version\":9,\"op\":\"delete\",\"data\":null}\n"
  "],\"cursor\":41,\"has_more\":true}\n";

static void
test_pull_orders (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdSyncPullResponse) page = ord_sync_pull_response_parse (page_text,
                                                                      strlen (page_text),
                                                                      &error);
  OrdOrder *o;
  g_autoptr(OrdOrderItem) item = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (page->n_changes, ==, 5);
  g_assert_cmpint (page->cursor, ==, 41);
  g_assert_true (page->has_more);

  g_assert_cmpstr (page->changes[0].entity, ==, "customer");
  g_assert_nonnull (page->changes[0].data);
  g_assert_null (page->changes[0].prepared);
  g_assert_cmpstr (json_object_get_string_member (page->changes[0].data, "name"), ==,
                   "Ana \xc3\xa9");
  g_assert_true (json_object_get_boolean_member (page->changes[1].data, "active"));

  /* An order comes built, its totals computed, escapes decoded. */
  for (guint i = 2; i <= 3; i++)
    {
      g_assert_cmpstr (page->changes[i].entity, ==, "order");
      g_assert_null (page->changes[i].data);
      g_assert_true (ORD_IS_ORDER (page->changes[i].prepared));
    }
  o = ORD_ORDER (page->changes[3].prepared);
  g_assert_cmpstr (page->changes[3].id, ==, "o2");
  g_assert_cmpstr (ord_order_get_id (o), ==, "o2");
  g_assert_cmpstr (ord_order_get_number (o), ==, "100002");
  g_assert_cmpstr (ord_order_get_customer_name (o), ==, "Ana \xc3\xa9\xf0\x9f\x98\x80 \"A\"");
  g_assert_cmpstr (ord_order_get_notes (o), ==, "line 1\nline 2");
  g_assert_cmpint (ord_order_get_status (o), ==, ORD_STATUS_CONFIRMED);
  g_assert_cmpint (ord_order_get_version (o), ==, 3);
  g_assert_cmpint (ord_order_get_updated_at (o), ==, 20);
  g_assert_cmpuint (ord_order_get_n_items (o), ==, 2);
  g_assert_cmpint (ord_order_get_subtotal (o), ==, 2 * 250 + 380);
  g_assert_cmpint (ord_order_get_total (o), ==, 2 * 250 + 380);
  item = ord_order_get_item (o, 1);
  g_assert_cmpstr (ord_order_item_get_product_id (item), ==, "p1");
  g_assert_cmpstr (ord_order_item_get_sku (item), ==, "B1");

  g_assert_true (page->changes[4].deleted);
  g_assert_null (page->changes[4].data);
  g_assert_null (page->changes[4].prepared);
}

static void
assert_pull_error (const char *body,
                   gssize      length,
                   int         code,
                   const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdSyncPullResponse) page = NULL;

  page = ord_sync_pull_response_parse (body, length < 0 ? strlen (body) : (gsize) length, &error);
  g_assert_null (page);
  g_assert_error (error, ORD_SYNC_ERROR, code);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message_part);
}

/* Each way JSON text can be wrong, named with its line and column. */
static void
test_reader_malformed (void)
{
  static const struct { const char *body; const char *message; } rows[] = {
    { "{\"changes\":[", "line 1, column 13: the text ends where a value should be" },
    { "{\"changes\":[],\"cursor\":01,\"has_more\":false}", "column 24: a number starts with 0" },
    { "{\"changes\":[],\"cursor\":-,\"has_more\":false}", "a digit after “-”" },
    { "{\"changes\":[],\"cursor\":1.,\"has_more\":false}", "a digit after “.”" },
    { "{\"changes\":[],\"cursor\":1e+,\"has_more\":false}", "a digit in its exponent" },
    { "{\"changes\":[],\"cursor\":+1,\"has_more\":false}", "“+” where a value should be" },
    { "{\"changes\":[],\"cursor\":NaN,\"has_more\":false}", "“N” where a value should be" },
    { "{\"changes\":[],\"cursor\":1,\"has_more\":tru}", "“t” where a value should be" },
    { "{\"changes\":[1,],\"cursor\":1,\"has_more\":false}", "“]” where a value should be" },
    { "{\"changes\":[],\"cursor\":1,}", "a member name in quotes" },
    { "{'changes':[]}", "“'” where a member name in quotes should be" },
    { "{\"changes\" []}", "“[” where “:” after a member name should be" },
    { "{\"changes\":[] \"cursor\":1}", "“\"” where “,” or “}” should be" },
    { "{\"changes\":[1 2]}", "“2” where “,” or “]” should be" },
    { "{\"changes\":[]} {}", "more text after the JSON value" },
    { "/* c */ {}", "“/” where a value should be" },
    { "{\"a\":\"\\u00\"}", "four hexadecimal digits" },
    { "{\"a\":\"\\ud800\"}", "high surrogate without its low one" },
    { "{\"a\":\"\\ud800\\u0041\"}", "high surrogate without its low one" },
    { "{\"a\":\"\\udc00\"}", "low surrogate without its high one" },
    { "{\"a\":\"x\\u0000\"}", "“\\u0000” is not allowed" },
    { "{\"a\":\"\\q\"}", "“\\q” is not an escape" },
    { "{\"a\":\"tab\there\"}", "control character 0x09 inside a string" },
    { "{\"a\":\"open", "the text ends inside a string" },
    { "{\"a\":\"open\\", "the text ends inside a string" },
    { "\xef\xbb\xbf{}", "byte 0xef where a value should be" },
    { "{\n  \"changes\": [\n    tru\n", "line 3, column 5:" },
    { "   ", "The body is empty" },
    { "", "The body is empty" },
    { "{\"a\":\"\xff\"}", "not UTF-8" },
    { "{\"a\":\"\xc3\"}", "not UTF-8" },
  };
  g_autoptr(GString) deep = g_string_new (NULL);
  static const char with_nul[] = "{\"changes\":[],\"cursor\":1,\0\"has_more\":false}";

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    assert_pull_error (rows[i].body, -1, ORD_SYNC_ERROR_MALFORMED, rows[i].message);

  assert_pull_error (with_nul, sizeof with_nul - 1, ORD_SYNC_ERROR_MALFORMED, "not UTF-8");

  for (int i = 0; i < 100; i++)
    g_string_append_c (deep, '[');
  assert_pull_error (deep->str, -1, ORD_SYNC_ERROR_MALFORMED, "nested more than 64 deep");
}

/* Well-formed JSON that is not a page. */
static void
test_reader_invalid (void)
{
  static const struct { const char *body; const char *message; } rows[] = {
    { "{\"changes\":[],\"cursor\":1,\"cursor\":2,\"has_more\":false}", "cursor: given twice" },
    { "{\"changes\":[],\"cursor\":9223372036854775808,\"has_more\":false}",
      "cursor: expected an integer" },
    { "{\"changes\":[],\"cursor\":-9223372036854775808,\"has_more\":false}",
      "cursor: -9223372036854775808 must not be negative" },
    { "{\"changes\":[],\"cursor\":1.5,\"has_more\":false}", "cursor: expected an integer" },
    { "{\"changes\":[],\"cursor\":1e3,\"has_more\":false}", "cursor: expected an integer" },
    { "{\"changes\":[],\"cursor\":1,\"has_more\":0}", "has_more: expected true or false" },
    { "{\"changes\":{},\"cursor\":1,\"has_more\":false}", "changes: expected an array" },
    { "{\"changes\":[],\"cursor\":1}", "has_more: missing" },
    { "[]", "(document): expected an object" },
    { "{\"changes\":[" ORDER_CHANGE ("o1", "1") "," ORDER_CHANGE ("o2", "") ","
      "{\"entity\":\"order\",\"id\":\"o3\",\"version\":3,\"op\":\"put\",\"data\":"
      ORDER_DATA ("o3", "3", ",\"colour\":\"red\"") "}],\"cursor\":1,\"has_more\":false}",
      "changes[2].data.colour: unknown field" },
    { "{\"changes\":[{\"entity\":\"order\",\"id\":\"o9\",\"version\":3,\"op\":\"put\",\"data\":"
      ORDER_DATA ("o1", "1", "") "}],\"cursor\":1,\"has_more\":false}",
      "changes[0].data.id: differs from the change’s id" },
    { "{\"changes\":[{\"entity\":\"order\",\"id\":\"o1\",\"version\":3,\"op\":\"put\","
      "\"data\":null}],\"cursor\":1,\"has_more\":false}", "changes[0].data: a put needs its data" },
    { "{\"changes\":[{\"entity\":\"order\",\"id\":\"o1\",\"version\":3,\"op\":\"put\",\"data\":"
      ORDER_DATA ("o1", "1", "") "}],\"cursor\":1,\"has_more\":false}", NULL },
    { "{\"changes\":[{\"entity\":\"order\",\"id\":\"o1\",\"version\":3,\"op\":\"patch\","
      "\"data\":null}],\"cursor\":1,\"has_more\":false}", "changes[0].op: “patch” is not put" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GString) body = g_string_new (rows[i].body);

      /* A currency the orders cannot hold. */
      if (rows[i].message == NULL)
        {
          g_assert_cmpuint (g_string_replace (body, "\"EUR\"", "\"eur\"", 1), ==, 1);
          assert_pull_error (body->str, -1, ORD_SYNC_ERROR_INVALID,
                             "changes[0].data.currency: “eur” is not a currency code");
          continue;
        }
      assert_pull_error (body->str, -1, ORD_SYNC_ERROR_INVALID, rows[i].message);
    }
}

/* A fuzz pass over a real page: every truncation is refused as malformed,
 * and random damage is either refused with an error in the sync domain
 * or, when the text stays a valid page, read as json-glib reads it. */
static void
test_reader_fuzz (void)
{
  gsize length = strlen (page_text);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240607);
  static const char bytes[] = "{}[]\",:\\ \n0123456789-+.eEtrufalsn\x01\x7f\xc3\xa9\xff";
  guint accepted = 0;

  for (gsize cut = 0; cut < length - 1; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OrdSyncPullResponse) page = ord_sync_pull_response_parse (page_text, cut,
                                                                          &error);
      g_assert_null (page);
      g_assert_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_MALFORMED);
    }

  for (guint round = 0; round < 20000; round++)
    {
      g_autoptr(GString) text = g_string_new_len (page_text, length);
      g_autoptr(GError) error = NULL;
      g_autoptr(OrdSyncPullResponse) page = NULL;
      guint n_edits = g_rand_int_range (rand, 1, 4);

      for (guint e = 0; e < n_edits; e++)
        {
          gsize at = g_rand_int_range (rand, 0, (gint32) text->len);
          char c = bytes[g_rand_int_range (rand, 0, sizeof bytes - 1)];

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0: text->str[at] = c; break;
            case 1: g_string_erase (text, at, 1); break;
            default: g_string_insert_c (text, at, c); break;
            }
        }

      page = ord_sync_pull_response_parse (text->str, text->len, &error);
      if (page == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == ORD_SYNC_ERROR);
          g_assert_true (error->code == ORD_SYNC_ERROR_MALFORMED ||
                         error->code == ORD_SYNC_ERROR_INVALID);
          g_assert_cmpuint (strlen (error->message), >, 10);
        }
      else
        {
          g_autoptr(JsonNode) root = json_from_string (text->str, NULL);
          JsonObject *o;

          /* What the reader takes, json-glib takes the same way. */
          g_assert_no_error (error);
          g_assert_nonnull (root);
          o = json_node_get_object (root);
          g_assert_cmpint (json_object_get_int_member (o, "cursor"), ==, page->cursor);
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "changes")),
                            ==, page->n_changes);
          for (guint i = 0; i < page->n_changes; i++)
            {
              JsonObject *change = json_array_get_object_element (
                json_object_get_array_member (o, "changes"), i);

              g_assert_cmpstr (json_object_get_string_member (change, "id"), ==,
                               page->changes[i].id);
              if (page->changes[i].prepared != NULL)
                {
                  JsonObject *data = json_object_get_object_member (change, "data");

                  g_assert_cmpstr (json_object_get_string_member (data, "customer_name"), ==,
                                   ord_order_get_customer_name (
                                     ORD_ORDER (page->changes[i].prepared)));
                }
            }
          accepted++;
        }
    }
  g_test_message ("%u of 20000 damaged pages were still valid pages", accepted);
}

/* What the builder writes, the parser reads back. */
static void
test_round_trip (void)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ord_outbox_row_free);
  OrdOutboxRow *row = g_new0 (OrdOutboxRow, 1);
  g_autofree char *body = NULL;
  g_autoptr(OrdSyncPushRequest) req = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  row->mutation_id = 41;
  row->name = g_strdup ("create_order");
  row->args = g_strdup (CREATE_ARGS);
  g_ptr_array_add (rows, row);

  body = ord_sync_push_request_build ("dev-9", rows, &length);
  req = ord_sync_push_request_parse (body, length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (req->mutations[0].mutation_id, ==, 41);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (req->mutations[0].args,
                                                                        "items")), ==, 1);
}

/* Args the store wrote go up as the same JSON; anything else as a
 * string, and the body stays valid JSON whatever the names hold. */
static void
test_push_build_args (void)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ord_outbox_row_free);
  static const char *args[] = {
    "{ \"a\" : [1, -2.5e3, true, false, null, \"x\\\"y\\u00e9\"], \"b\": {} }",
    "{\"broken\": ",
    "{\"a\": 1} trailing",
    "{\"ctl\": \"\x01\"}",
  };
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *mutations;
  gsize length;

  for (guint i = 0; i < G_N_ELEMENTS (args); i++)
    {
      OrdOutboxRow *row = g_new0 (OrdOutboxRow, 1);

      row->mutation_id = i + 1;
      row->name = g_strdup ("edit_\"order\"\n");
      row->args = g_strdup (args[i]);
      g_ptr_array_add (rows, row);
    }

  body = ord_sync_push_request_build ("dev \"9\"", rows, &length);
  g_assert_cmpuint (length, ==, strlen (body));
  root = json_from_string (body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "client_id"), ==,
                   "dev \"9\"");
  mutations = json_object_get_array_member (json_node_get_object (root), "mutations");
  g_assert_cmpuint (json_array_get_length (mutations), ==, G_N_ELEMENTS (args));
  for (guint i = 0; i < G_N_ELEMENTS (args); i++)
    {
      JsonObject *m = json_array_get_object_element (mutations, i);
      JsonNode *got = json_object_get_member (m, "args");

      g_assert_cmpint (json_object_get_int_member (m, "mutation_id"), ==, i + 1);
      g_assert_cmpstr (json_object_get_string_member (m, "name"), ==, "edit_\"order\"\n");
      if (i == 0)
        {
          g_autoptr(JsonNode) want = json_from_string (args[i], NULL);
          g_assert_true (json_node_equal (got, want));
        }
      else
        {
          /* Not JSON text: sent as the string it is. */
          g_assert_true (JSON_NODE_HOLDS_VALUE (got));
          g_assert_cmpstr (json_node_get_string (got), ==, args[i]);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/codec/push/valid", test_push_valid);
  g_test_add_func ("/sync/codec/push/wrong-type-path", test_push_wrong_type_path);
  g_test_add_func ("/sync/codec/push/malformed", test_push_malformed);
  g_test_add_func ("/sync/codec/push/invalid", test_push_invalid);
  g_test_add_func ("/sync/codec/push/too-many-too-large", test_push_too_many_and_too_large);
  g_test_add_func ("/sync/codec/pull-response", test_pull_response);
  g_test_add_func ("/sync/codec/push-response", test_push_response);
  g_test_add_func ("/sync/codec/held", test_held);
  g_test_add_func ("/sync/codec/pull-orders", test_pull_orders);
  g_test_add_func ("/sync/codec/reader/malformed", test_reader_malformed);
  g_test_add_func ("/sync/codec/reader/invalid", test_reader_invalid);
  g_test_add_func ("/sync/codec/reader/fuzz", test_reader_fuzz);
  g_test_add_func ("/sync/codec/round-trip", test_round_trip);
  g_test_add_func ("/sync/codec/push/build-args", test_push_build_args);

  return g_test_run ();
}
