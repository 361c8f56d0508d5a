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
  g_test_add_func ("/sync/codec/round-trip", test_round_trip);
  g_test_add_func ("/sync/codec/push/build-args", test_push_build_args);

  return g_test_run ();
}
