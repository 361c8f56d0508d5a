/* test-sync-conflict.c: the conflict function, one test per rule of
 * DESIGN §5
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ord-core.h"
#include "ord-store-sync.h"

static OrdSyncCurrent
current (OrdStatus   status,
         gint64      version,
         const char *owner)
{
  OrdSyncCurrent c = { TRUE, status, version, owner };
  return c;
}

static OrdSyncIntent
set_status (OrdStatus from,
            OrdStatus to)
{
  OrdSyncIntent i = { ORD_SYNC_INTENT_SET_STATUS, from, to, 0 };
  return i;
}

static OrdSyncIntent
edit (gint64 base_version)
{
  OrdSyncIntent i = { ORD_SYNC_INTENT_EDIT, 0, 0, base_version };
  return i;
}

static OrdSyncIntent
cancel (OrdStatus from)
{
  OrdSyncIntent i = { ORD_SYNC_INTENT_CANCEL, from, ORD_STATUS_CANCELLED, 0 };
  return i;
}

#define DECIDE(role, subject, cur, intent, d) \
  G_STMT_START { \
    OrdSyncCurrent c_ = (cur); \
    OrdSyncIntent i_ = (intent); \
    ord_sync_decide ((role), (subject), &c_, &i_, (d)); \
  } G_STMT_END

/* set_status is a compare-and-set on from: still there → applied. */
static void
test_status_cas_applied (void)
{
  g_auto(OrdSyncDecision) d = { 0, };

  DECIDE (ORD_ROLE_OWNER, "o", current (ORD_STATUS_PENDING, 3, NULL),
          set_status (ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED), &d);
  g_assert_cmpint (d.outcome, ==, ORD_SYNC_APPLIED);
  g_assert_false (d.no_op);
  g_assert_cmpint (d.transition, ==, ORD_TRANSITION_FORWARD);
}

/* Already at to: a success with nothing to do, even from a stale from. */
static void
test_status_already_there (void)
{
  g_auto(OrdSyncDecision) d = { 0, };

  DECIDE (ORD_ROLE_OWNER, "o", current (ORD_STATUS_CONFIRMED, 4, NULL),
          set_status (ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED), &d);
  g_assert_cmpint (d.outcome, ==, ORD_SYNC_APPLIED);
  g_assert_true (d.no_op);
}

/* Moved on, and to is still legal forward from there: applied. */
static void
test_status_legal_from_current (void)
{
  g_auto(OrdSyncDecision) d = { 0, };

  DECIDE (ORD_ROLE_OWNER, "o", current (ORD_STATUS_CONFIRMED, 4, NULL),
          set_status (ORD_STATUS_PENDING, ORD_STATUS_SHIPPED), &d);
  g_assert_cmpint (d.outcome, ==, ORD_SYNC_APPLIED);
  g_assert_false (d.no_op);
  g_assert_cmpint (d.transition, ==, ORD_TRANSITION_FORWARD);
}

/* Moved on past to: never backwards. */
static void
test_status_never_backwards (void)
{
  g_auto(OrdSyncDecision) d = { 0, };

  DECIDE (ORD_ROLE_OWNER, "o", current (ORD_STATUS_PREPARING, 5, NULL),
          set_status (ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED), &d);
  g_assert_cmpint (d.outcome, ==, ORD_SYNC_REJECTED);
  g_assert_cmpstr (d.code, ==, "conflict");
  g_assert_nonnull (d.message);
}

/* An explicit reopen from the status the owner saw is allowed… */
static void
test_status_reopen_explicit (void)
{
  g_auto(OrdSyncDecision) d = { 0, };

  DECIDE (ORD_ROLE_OWNER, "o", current (ORD_STATUS_PREPARING, 5, NULL),
          set_status (ORD_STATUS_PREPARING, ORD_STATUS_CONFIRMED), &d);
  g_assert_cmpint (d.outcome, ==, ORD_SYNC_APPLIED);
  g_assert_cmpint (d.transition, ==, ORD_TRANSITION_REOPEN);
}

/* …and out of cancelled nothing moves: order_locked. */
static void
test_status_out_of_cancelled (void)
{
  g_auto(OrdSyncDecision) d = { 0, };

  DECIDE (ORD_ROLE_OWNER, "o", current (ORD_STATUS_CANCELLED, 5, NULL),
          set_status (ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED), &d);
  g_assert_cmpint (d.outcome, ==, ORD_SYNC_REJECTED);
  g_assert_cmpstr (d.code, ==, "order_locked");
}

/* A customer never moves an order forward. */
static void
test_status_customer_forbidden (void)
{
  g_auto(OrdSyncDecision) d = { 0, };

  DECIDE (ORD_ROLE_CUSTOMER, "alice", current (ORD_STATUS_PENDING, 1, "alice"),
          set_status (ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED), &d);
  g_assert_cmpint (d.outcome, ==, ORD_SYNC_REJECTED);
  g_assert_cmpstr (d.code, ==, "forbidden");
}

/* A customer may cancel while confirmed, not once preparing. */
static void
test_cancel_customer (void)
{
  g_auto(OrdSyncDecision) d = { 0, };
  g_auto(OrdSyncDecision) e = { 0, };

  DECIDE (ORD_ROLE_CUSTOMER, "alice", current (ORD_STATUS_CONFIRMED, 2, "alice"),
          cancel (ORD_STATUS_PENDING), &d);
  g_assert_cmpint (d.outcome, ==, ORD_SYNC_APPLIED);
  g_assert_cmpint (d.transition, ==, ORD_TRANSITION_CANCEL);

  DECIDE (ORD_ROLE_CUSTOMER, "alice", current (ORD_STATUS_PREPARING, 3, "alice"),
          cancel (ORD_STATUS_PENDING), &e);
  g_assert_cmpint (e.outcome, ==, ORD_SYNC_REJECTED);
  g_assert_cmpstr (e.code, ==, "order_locked");
}

/* Edit on an untouched pending order: applied. */
static void
test_edit_pending_applied (void)
{
  g_auto(OrdSyncDecision) d = { 0, };

  DECIDE (ORD_ROLE_CUSTOMER, "alice", current (ORD_STATUS_PENDING, 2, "alice"), edit (2), &d);
  g_assert_cmpint (d.outcome, ==, ORD_SYNC_APPLIED);
}

/* Edit on a pending order somebody changed since: merged field by field. */
static void
test_edit_pending_merged (void)
{
  g_auto(OrdSyncDecision) d = { 0, };

  DECIDE (ORD_ROLE_CUSTOMER, "alice", current (ORD_STATUS_PENDING, 5, "alice"), edit (2), &d);
  g_assert_cmpint (d.outcome, ==, ORD_SYNC_MERGED);
}

/* A customer's edit of a confirmed order waits for the owner. */
static void
test_edit_confirmed_held (void)
{
  g_auto(OrdSyncDecision) d = { 0, };

  DECIDE (ORD_ROLE_CUSTOMER, "alice", current (ORD_STATUS_CONFIRMED, 3, "alice"), edit (2), &d);
  g_assert_cmpint (d.outcome, ==, ORD_SYNC_HELD);
  g_assert_nonnull (d.message);
}

/* Later, or cancelled: order_locked, for customers and owners alike. */
static void
test_edit_locked (void)
{
  static const struct { OrdRole role; OrdStatus status; OrdSyncOutcome outcome; } rows[] = {
    { ORD_ROLE_CUSTOMER, ORD_STATUS_PREPARING, ORD_SYNC_REJECTED },
    { ORD_ROLE_CUSTOMER, ORD_STATUS_SHIPPED, ORD_SYNC_REJECTED },
    { ORD_ROLE_CUSTOMER, ORD_STATUS_DELIVERED, ORD_SYNC_REJECTED },
    { ORD_ROLE_CUSTOMER, ORD_STATUS_CANCELLED, ORD_SYNC_REJECTED },
    { ORD_ROLE_OWNER, ORD_STATUS_SHIPPED, ORD_SYNC_REJECTED },
    { ORD_ROLE_OWNER, ORD_STATUS_DELIVERED, ORD_SYNC_REJECTED },
    { ORD_ROLE_OWNER, ORD_STATUS_CANCELLED, ORD_SYNC_REJECTED },
    /* The owner edits until shipped (DESIGN §4). */
    { ORD_ROLE_OWNER, ORD_STATUS_CONFIRMED, ORD_SYNC_MERGED },
    { ORD_ROLE_OWNER, ORD_STATUS_PREPARING, ORD_SYNC_MERGED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_auto(OrdSyncDecision) d = { 0, };

      DECIDE (rows[i].role, "alice", current (rows[i].status, 7, "alice"), edit (6), &d);
      g_assert_cmpint (d.outcome, ==, rows[i].outcome);
      if (rows[i].outcome == ORD_SYNC_REJECTED)
        g_assert_cmpstr (d.code, ==, "order_locked");
    }
}

/* Customers touch only their own orders; owners any. */
static void
test_ownership (void)
{
  g_auto(OrdSyncDecision) d = { 0, };
  g_auto(OrdSyncDecision) e = { 0, };
  g_auto(OrdSyncDecision) f = { 0, };

  DECIDE (ORD_ROLE_CUSTOMER, "mallory", current (ORD_STATUS_PENDING, 1, "alice"), edit (1), &d);
  g_assert_cmpint (d.outcome, ==, ORD_SYNC_REJECTED);
  g_assert_cmpstr (d.code, ==, "forbidden");

  DECIDE (ORD_ROLE_CUSTOMER, "mallory", current (ORD_STATUS_PENDING, 1, NULL),
          cancel (ORD_STATUS_PENDING), &e);
  g_assert_cmpstr (e.code, ==, "forbidden");

  DECIDE (ORD_ROLE_OWNER, "bob", current (ORD_STATUS_PENDING, 1, "alice"), edit (1), &f);
  g_assert_cmpint (f.outcome, ==, ORD_SYNC_APPLIED);
}

/* An unknown order, or an edit based on a version the server never had. */
static void
test_unknown_and_future (void)
{
  g_auto(OrdSyncDecision) d = { 0, };
  g_auto(OrdSyncDecision) e = { 0, };
  OrdSyncCurrent none = { FALSE, 0, 0, NULL };
  OrdSyncIntent i = edit (1);

  ord_sync_decide (ORD_ROLE_OWNER, "o", &none, &i, &d);
  g_assert_cmpstr (d.code, ==, "not_found");

  DECIDE (ORD_ROLE_OWNER, "o", current (ORD_STATUS_PENDING, 2, NULL), edit (9), &e);
  g_assert_cmpint (e.outcome, ==, ORD_SYNC_REJECTED);
  g_assert_cmpstr (e.code, ==, "invalid");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/conflict/status/cas-applied", test_status_cas_applied);
  g_test_add_func ("/sync/conflict/status/already-there", test_status_already_there);
  g_test_add_func ("/sync/conflict/status/legal-from-current", test_status_legal_from_current);
  g_test_add_func ("/sync/conflict/status/never-backwards", test_status_never_backwards);
  g_test_add_func ("/sync/conflict/status/reopen-explicit", test_status_reopen_explicit);
  g_test_add_func ("/sync/conflict/status/out-of-cancelled", test_status_out_of_cancelled);
  g_test_add_func ("/sync/conflict/status/customer-forbidden", test_status_customer_forbidden);
  g_test_add_func ("/sync/conflict/cancel/customer", test_cancel_customer);
  g_test_add_func ("/sync/conflict/edit/pending-applied", test_edit_pending_applied);
  g_test_add_func ("/sync/conflict/edit/pending-merged", test_edit_pending_merged);
  g_test_add_func ("/sync/conflict/edit/confirmed-held", test_edit_confirmed_held);
  g_test_add_func ("/sync/conflict/edit/locked", test_edit_locked);
  g_test_add_func ("/sync/conflict/ownership", test_ownership);
  g_test_add_func ("/sync/conflict/unknown-and-future", test_unknown_and_future);

  return g_test_run ();
}
