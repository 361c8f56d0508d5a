/* test-status.c: the order status state machine (DESIGN §4)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ord-status.h"

/* The expected outcome of every (role, from, to), written out by hand from
 * the table in DESIGN §4, one row per "from", one column per "to", in the
 * order pending, confirmed, preparing, shipped, delivered, cancelled:
 *
 *   N  allowed, nothing to do (same status)   x  FORBIDDEN: the role never may
 *   F  allowed, forward                       L  LOCKED: not in this status any more
 *   C  allowed, cancel                        I  INVALID: nothing leaves this status
 *   R  allowed, reopen (owner's step back)
 */
static const char * const customer_table[ORD_N_STATUSES] = {
  /*            pen conf prep ship deliv canc */
  /* pending   */ "NxxxxC",
  /* confirmed */ "xNxxxC",
  /* preparing */ "xxNxxL",
  /* shipped   */ "xxxNxL",
  /* delivered */ "IIIINI",
  /* cancelled */ "IIIIIN",
};

static const char * const owner_table[ORD_N_STATUSES] = {
  /*            pen conf prep ship deliv canc */
  /* pending   */ "NFFFFC",
  /* confirmed */ "RNFFFC",
  /* preparing */ "RRNFFC",
  /* shipped   */ "LLLNFL",
  /* delivered */ "IIIINI",
  /* cancelled */ "IIIIIN",
};

static void
test_every_transition (void)
{
  guint checked = 0;

  for (OrdRole role = ORD_ROLE_CUSTOMER; role <= ORD_ROLE_OWNER; role++)
    {
      const char * const *table = role == ORD_ROLE_OWNER ? owner_table : customer_table;

      for (OrdStatus from = 0; from < ORD_N_STATUSES; from++)
        for (OrdStatus to = 0; to < ORD_N_STATUSES; to++)
          {
            g_autoptr(GError) error = NULL;
            OrdTransition transition = 99;
            char expected = table[from][to];
            gboolean allowed;

            g_test_message ("%s: %s → %s, expecting %c", ord_role_to_string (role),
                            ord_status_to_string (from), ord_status_to_string (to), expected);

            allowed = ord_status_check_transition (role, from, to, &transition, &error);

            switch (expected)
              {
              case 'N':
              case 'F':
              case 'C':
              case 'R':
                g_assert_no_error (error);
                g_assert_true (allowed);
                g_assert_cmpint (transition, ==,
                                 expected == 'N' ? ORD_TRANSITION_NONE :
                                 expected == 'F' ? ORD_TRANSITION_FORWARD :
                                 expected == 'C' ? ORD_TRANSITION_CANCEL :
                                                   ORD_TRANSITION_REOPEN);
                break;
              case 'x':
                g_assert_false (allowed);
                g_assert_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_FORBIDDEN);
                break;
              case 'L':
                g_assert_false (allowed);
                g_assert_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_LOCKED);
                break;
              case 'I':
                g_assert_false (allowed);
                g_assert_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_INVALID);
                break;
              default:
                g_assert_not_reached ();
              }

            /* A refusal says why, in a sentence. */
            if (!allowed)
              g_assert_cmpuint (strlen (error->message), >, 20);

            /* The same answer without the optional out-parameter. */
            g_assert_cmpint (ord_status_check_transition (role, from, to, NULL, NULL), ==, allowed);
            checked++;
          }
    }

  g_assert_cmpuint (checked, ==, 2 * 6 * 6);
}

static void
test_error_messages (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ord_status_check_transition (ORD_ROLE_CUSTOMER, ORD_STATUS_PREPARING,
                                               ORD_STATUS_CANCELLED, NULL, &error));
  g_assert_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_LOCKED);
  g_assert_cmpstr (error->message, ==, "The shop has already started preparing this order");
  g_clear_error (&error);

  g_assert_false (ord_status_check_transition (ORD_ROLE_CUSTOMER, ORD_STATUS_PENDING,
                                               ORD_STATUS_CONFIRMED, NULL, &error));
  g_assert_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "Only the shop"));
  g_clear_error (&error);

  g_assert_false (ord_status_check_transition (ORD_ROLE_OWNER, ORD_STATUS_CANCELLED,
                                               ORD_STATUS_PENDING, NULL, &error));
  g_assert_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "cancelled"));
  g_clear_error (&error);

  g_assert_false (ord_status_check_transition (ORD_ROLE_OWNER, ORD_STATUS_SHIPPED,
                                               ORD_STATUS_CANCELLED, NULL, &error));
  g_assert_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "shipped"));
  g_clear_error (&error);

  g_assert_false (ord_status_check_transition (ORD_ROLE_OWNER, ORD_STATUS_DELIVERED,
                                               ORD_STATUS_SHIPPED, NULL, &error));
  g_assert_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "delivered"));
  g_clear_error (&error);
}

static void
test_edit_rules (void)
{
  /* DESIGN §4: a customer edits while pending; an owner while not
   * shipped, delivered or cancelled.   pen conf prep ship deliv canc */
  static const gboolean customer_may[ORD_N_STATUSES] = { 1, 0, 0, 0, 0, 0 };
  static const gboolean owner_may[ORD_N_STATUSES] = { 1, 1, 1, 0, 0, 0 };

  for (OrdStatus status = 0; status < ORD_N_STATUSES; status++)
    {
      g_autoptr(GError) customer_error = NULL;
      g_autoptr(GError) owner_error = NULL;

      g_assert_cmpint (ord_status_check_edit (ORD_ROLE_CUSTOMER, status, &customer_error),
                       ==, customer_may[status]);
      g_assert_cmpint (ord_status_check_edit (ORD_ROLE_OWNER, status, &owner_error),
                       ==, owner_may[status]);

      if (customer_may[status])
        g_assert_no_error (customer_error);
      else
        g_assert_error (customer_error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_LOCKED);

      if (owner_may[status])
        g_assert_no_error (owner_error);
      else
        g_assert_error (owner_error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_LOCKED);
    }
}

static void
test_is_open (void)
{
  g_assert_true (ord_status_is_open (ORD_STATUS_PENDING));
  g_assert_true (ord_status_is_open (ORD_STATUS_CONFIRMED));
  g_assert_true (ord_status_is_open (ORD_STATUS_PREPARING));
  g_assert_true (ord_status_is_open (ORD_STATUS_SHIPPED));
  g_assert_false (ord_status_is_open (ORD_STATUS_DELIVERED));
  g_assert_false (ord_status_is_open (ORD_STATUS_CANCELLED));
}

static void
test_strings (void)
{
  static const char * const names[] = {
    "pending", "confirmed", "preparing", "shipped", "delivered", "cancelled",
  };
  static const char * const labels[] = {
    "Pending", "Confirmed", "Preparing", "Shipped", "Delivered", "Cancelled",
  };
  OrdStatus status;
  OrdRole role;

  for (OrdStatus s = 0; s < ORD_N_STATUSES; s++)
    {
      g_assert_cmpstr (ord_status_to_string (s), ==, names[s]);
      g_assert_cmpstr (ord_status_get_label (s), ==, labels[s]);
      g_assert_true (ord_status_from_string (names[s], &status));
      g_assert_cmpint (status, ==, s);
    }

  g_assert_false (ord_status_from_string ("Pending", &status));
  g_assert_false (ord_status_from_string ("", &status));
  g_assert_false (ord_status_from_string ("canceled", &status));
  g_assert_false (ord_status_from_string (NULL, &status));

  g_assert_cmpstr (ord_role_to_string (ORD_ROLE_CUSTOMER), ==, "customer");
  g_assert_cmpstr (ord_role_to_string (ORD_ROLE_OWNER), ==, "owner");
  g_assert_true (ord_role_from_string ("customer", &role));
  g_assert_cmpint (role, ==, ORD_ROLE_CUSTOMER);
  g_assert_true (ord_role_from_string ("owner", &role));
  g_assert_cmpint (role, ==, ORD_ROLE_OWNER);
  g_assert_false (ord_role_from_string ("admin", &role));
  g_assert_false (ord_role_from_string (NULL, &role));
}

static void
test_enum_types (void)
{
  g_autoptr(GEnumClass) status_class = g_type_class_ref (ORD_TYPE_STATUS);
  g_autoptr(GEnumClass) role_class = g_type_class_ref (ORD_TYPE_ROLE);

  g_assert_true (G_TYPE_IS_ENUM (ORD_TYPE_STATUS));
  g_assert_cmpuint (status_class->n_values, ==, ORD_N_STATUSES);
  for (OrdStatus s = 0; s < ORD_N_STATUSES; s++)
    {
      GEnumValue *value = g_enum_get_value (status_class, s);

      g_assert_nonnull (value);
      /* The nick is the same name as in files and on the wire. */
      g_assert_cmpstr (value->value_nick, ==, ord_status_to_string (s));
    }

  g_assert_cmpuint (role_class->n_values, ==, 2);
  g_assert_cmpint (g_enum_get_value_by_nick (role_class, "owner")->value, ==, ORD_ROLE_OWNER);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/status/every-transition", test_every_transition);
  g_test_add_func ("/status/error-messages", test_error_messages);
  g_test_add_func ("/status/edit-rules", test_edit_rules);
  g_test_add_func ("/status/is-open", test_is_open);
  g_test_add_func ("/status/strings", test_strings);
  g_test_add_func ("/status/enum-types", test_enum_types);

  return g_test_run ();
}
