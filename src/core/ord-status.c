/* ord-status.c: the order status state machine (DESIGN §4)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-status"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "ord-status.h"

G_DEFINE_QUARK (ord-status-error-quark, ord_status_error)

G_DEFINE_ENUM_TYPE (OrdStatus, ord_status,
  G_DEFINE_ENUM_VALUE (ORD_STATUS_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (ORD_STATUS_CONFIRMED, "confirmed"),
  G_DEFINE_ENUM_VALUE (ORD_STATUS_PREPARING, "preparing"),
  G_DEFINE_ENUM_VALUE (ORD_STATUS_SHIPPED, "shipped"),
  G_DEFINE_ENUM_VALUE (ORD_STATUS_DELIVERED, "delivered"),
  G_DEFINE_ENUM_VALUE (ORD_STATUS_CANCELLED, "cancelled"))

G_DEFINE_ENUM_TYPE (OrdRole, ord_role,
  G_DEFINE_ENUM_VALUE (ORD_ROLE_CUSTOMER, "customer"),
  G_DEFINE_ENUM_VALUE (ORD_ROLE_OWNER, "owner"))

static const char * const status_names[ORD_N_STATUSES] = {
  "pending", "confirmed", "preparing", "shipped", "delivered", "cancelled",
};

static const char * const status_labels[ORD_N_STATUSES] = {
  /* Translators: an order status */
  N_("Pending"),
  /* Translators: an order status */
  N_("Confirmed"),
  /* Translators: an order status */
  N_("Preparing"),
  /* Translators: an order status */
  N_("Shipped"),
  /* Translators: an order status */
  N_("Delivered"),
  /* Translators: an order status */
  N_("Cancelled"),
};

static const char * const role_names[] = { "customer", "owner" };

#define IS_STATUS(s) ((guint) (s) < ORD_N_STATUSES)
#define IS_ROLE(r)   ((guint) (r) < G_N_ELEMENTS (role_names))

static gboolean
fail (GError         **error,
      OrdStatusError   code,
      const char      *message)
{
  g_set_error_literal (error, ORD_STATUS_ERROR, code, message);
  return FALSE;
}

/* Why a customer can no longer cancel or edit an order in @status. */
static const char *
customer_locked_reason (OrdStatus status)
{
  switch (status)
    {
    case ORD_STATUS_CONFIRMED:
      return _("The shop has already confirmed this order");
    case ORD_STATUS_PREPARING:
      return _("The shop has already started preparing this order");
    case ORD_STATUS_SHIPPED:
      return _("This order has already been shipped");
    case ORD_STATUS_DELIVERED:
      return _("This order has already been delivered");
    case ORD_STATUS_CANCELLED:
      return _("This order has been cancelled");
    case ORD_STATUS_PENDING:
    default:
      g_assert_not_reached ();
    }

  return NULL;
}

/**
 * ord_status_check_transition:
 * @role: who asks
 * @from: the order's current status
 * @to: the status asked for
 * @transition: (out) (optional): what kind of change this is
 * @error: return location for a #GError
 *
 * The one function that decides every status change (DESIGN §4); the UI,
 * the store and the server all ask it.
 *
 * - @from == @to: allowed, %ORD_TRANSITION_NONE (nothing to do);
 * - nothing leaves cancelled or delivered (%ORD_STATUS_ERROR_INVALID);
 * - a customer may only cancel, while the order is pending or confirmed
 *   (%ORD_STATUS_ERROR_LOCKED later, %ORD_STATUS_ERROR_FORBIDDEN for any
 *   other change);
 * - an owner may move forward one or more steps (%ORD_TRANSITION_FORWARD),
 *   cancel until the order is shipped (%ORD_TRANSITION_CANCEL), and reopen
 *   a confirmed or preparing order to an earlier status
 *   (%ORD_TRANSITION_REOPEN); a shipped order can only be delivered
 *   (%ORD_STATUS_ERROR_LOCKED).
 *
 * Returns: %TRUE if @role may change the status from @from to @to
 */
gboolean
ord_status_check_transition (OrdRole         role,
                             OrdStatus       from,
                             OrdStatus       to,
                             OrdTransition  *transition,
                             GError        **error)
{
  OrdTransition kind;

  g_return_val_if_fail (IS_ROLE (role), FALSE);
  g_return_val_if_fail (IS_STATUS (from), FALSE);
  g_return_val_if_fail (IS_STATUS (to), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (transition != NULL)
    *transition = ORD_TRANSITION_NONE;

  if (from == to)
    return TRUE;

  if (from == ORD_STATUS_CANCELLED)
    return fail (error, ORD_STATUS_ERROR_INVALID,
                 _("This order has been cancelled; a cancelled order cannot change "
                   "status. Create a new order instead"));

  if (from == ORD_STATUS_DELIVERED)
    return fail (error, ORD_STATUS_ERROR_INVALID,
                 _("This order has been delivered; a delivered order cannot change status"));

  if (to == ORD_STATUS_CANCELLED)
    {
      if (role == ORD_ROLE_CUSTOMER)
        {
          if (from != ORD_STATUS_PENDING && from != ORD_STATUS_CONFIRMED)
            return fail (error, ORD_STATUS_ERROR_LOCKED, customer_locked_reason (from));
        }
      else if (from == ORD_STATUS_SHIPPED)
        {
          return fail (error, ORD_STATUS_ERROR_LOCKED,
                       _("This order has already been shipped and can no longer be "
                         "cancelled"));
        }
      kind = ORD_TRANSITION_CANCEL;
    }
  else if (to > from)
    {
      if (role == ORD_ROLE_CUSTOMER)
        return fail (error, ORD_STATUS_ERROR_FORBIDDEN,
                     _("Only the shop can move an order forward"));
      kind = ORD_TRANSITION_FORWARD;
    }
  else
    {
      if (role == ORD_ROLE_CUSTOMER)
        return fail (error, ORD_STATUS_ERROR_FORBIDDEN,
                     _("Only the shop can reopen an order"));
      if (from != ORD_STATUS_CONFIRMED && from != ORD_STATUS_PREPARING)
        return fail (error, ORD_STATUS_ERROR_LOCKED,
                     _("This order has already been shipped and can no longer be "
                       "reopened"));
      kind = ORD_TRANSITION_REOPEN;
    }

  if (transition != NULL)
    *transition = kind;

  return TRUE;
}

/**
 * ord_status_check_edit:
 * @role: who asks
 * @status: the order's status
 * @error: return location for a #GError
 *
 * Whether @role may change the lines, notes and due date of an order in
 * @status: a customer while it is pending, an owner until it is shipped
 * (and never a cancelled order).
 *
 * Returns: %TRUE if allowed, %FALSE with %ORD_STATUS_ERROR_LOCKED
 */
gboolean
ord_status_check_edit (OrdRole     role,
                       OrdStatus   status,
                       GError    **error)
{
  g_return_val_if_fail (IS_ROLE (role), FALSE);
  g_return_val_if_fail (IS_STATUS (status), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (role == ORD_ROLE_CUSTOMER)
    {
      if (status == ORD_STATUS_PENDING)
        return TRUE;
      if (status == ORD_STATUS_CONFIRMED)
        return fail (error, ORD_STATUS_ERROR_LOCKED,
                     _("The shop has already confirmed this order; ask the shop to "
                       "change it"));
      return fail (error, ORD_STATUS_ERROR_LOCKED, customer_locked_reason (status));
    }

  switch (status)
    {
    case ORD_STATUS_SHIPPED:
      return fail (error, ORD_STATUS_ERROR_LOCKED,
                   _("This order has already been shipped and can no longer be changed"));
    case ORD_STATUS_DELIVERED:
      return fail (error, ORD_STATUS_ERROR_LOCKED,
                   _("This order has already been delivered and can no longer be changed"));
    case ORD_STATUS_CANCELLED:
      return fail (error, ORD_STATUS_ERROR_LOCKED,
                   _("This order has been cancelled and can no longer be changed"));
    case ORD_STATUS_PENDING:
    case ORD_STATUS_CONFIRMED:
    case ORD_STATUS_PREPARING:
    default:
      return TRUE;
    }
}

/**
 * ord_status_is_open:
 * @status: a status
 *
 * Returns: %TRUE while the order still needs work: pending, confirmed,
 *   preparing or shipped
 */
gboolean
ord_status_is_open (OrdStatus status)
{
  return status == ORD_STATUS_PENDING ||
         status == ORD_STATUS_CONFIRMED ||
         status == ORD_STATUS_PREPARING ||
         status == ORD_STATUS_SHIPPED;
}

/**
 * ord_status_to_string:
 * @status: a status
 *
 * Returns: the status's name in files, the database and the wire
 *   ("pending", …, "cancelled"); never translated
 */
const char *
ord_status_to_string (OrdStatus status)
{
  g_return_val_if_fail (IS_STATUS (status), NULL);

  return status_names[status];
}

/**
 * ord_status_from_string:
 * @text: (nullable): a name as ord_status_to_string() writes it
 * @status: (out) (optional): the status
 *
 * Returns: %TRUE if @text names a status
 */
gboolean
ord_status_from_string (const char *text,
                        OrdStatus  *status)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < ORD_N_STATUSES; i++)
    if (strcmp (text, status_names[i]) == 0)
      {
        if (status != NULL)
          *status = (OrdStatus) i;
        return TRUE;
      }

  return FALSE;
}

/**
 * ord_status_get_label:
 * @status: a status
 *
 * Returns: the status for people, translated: "Pending", …
 */
const char *
ord_status_get_label (OrdStatus status)
{
  g_return_val_if_fail (IS_STATUS (status), NULL);

  return _(status_labels[status]);
}

/**
 * ord_role_to_string:
 * @role: a role
 *
 * Returns: "customer" or "owner"
 */
const char *
ord_role_to_string (OrdRole role)
{
  g_return_val_if_fail (IS_ROLE (role), NULL);

  return role_names[role];
}

/**
 * ord_role_from_string:
 * @text: (nullable): "customer" or "owner"
 * @role: (out) (optional): the role
 *
 * Returns: %TRUE if @text names a role
 */
gboolean
ord_role_from_string (const char *text,
                      OrdRole    *role)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (strcmp (text, role_names[i]) == 0)
      {
        if (role != NULL)
          *role = (OrdRole) i;
        return TRUE;
      }

  return FALSE;
}
