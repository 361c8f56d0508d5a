/* ord-status.h: the order status state machine (DESIGN §4)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ORD_STATUS_ERROR (ord_status_error_quark ())

typedef enum
{
  ORD_STATUS_ERROR_FORBIDDEN,   /* the role may never do this */
  ORD_STATUS_ERROR_LOCKED,      /* not any more in this status */
  ORD_STATUS_ERROR_INVALID,     /* not a transition at all (e.g. out of cancelled) */
  ORD_STATUS_ERROR_REASON,      /* a cancellation or reopen needs a reason */
} OrdStatusError;

typedef enum
{
  ORD_STATUS_PENDING,
  ORD_STATUS_CONFIRMED,
  ORD_STATUS_PREPARING,
  ORD_STATUS_SHIPPED,
  ORD_STATUS_DELIVERED,
  ORD_STATUS_CANCELLED,
} OrdStatus;

#define ORD_N_STATUSES 6

typedef enum
{
  ORD_ROLE_CUSTOMER,
  ORD_ROLE_OWNER,
} OrdRole;

typedef enum
{
  ORD_TRANSITION_NONE,      /* from == to: nothing to do */
  ORD_TRANSITION_FORWARD,   /* one or more steps forward */
  ORD_TRANSITION_CANCEL,    /* to cancelled */
  ORD_TRANSITION_REOPEN,    /* an owner's explicit, logged step back */
} OrdTransition;

#define ORD_TYPE_STATUS (ord_status_get_type ())
#define ORD_TYPE_ROLE   (ord_role_get_type ())

GType          ord_status_get_type          (void) G_GNUC_CONST;
GType          ord_role_get_type            (void) G_GNUC_CONST;
GQuark         ord_status_error_quark       (void);

/* The one function that decides every status change. Same status: TRUE,
 * ORD_TRANSITION_NONE. Out of cancelled or delivered: INVALID (any role).
 * Customer: cancel while pending/confirmed (LOCKED later), anything else
 * FORBIDDEN. Owner: forward any number of steps; cancel until shipped;
 * reopen (step back) only from confirmed/preparing; shipped → delivered
 * only (LOCKED otherwise). Messages are translated and say why. */
gboolean       ord_status_check_transition  (OrdRole        role,
                                             OrdStatus      from,
                                             OrdStatus      to,
                                             OrdTransition *transition,
                                             GError       **error);
/* May @role change lines, notes and due date of an order in @status? */
gboolean       ord_status_check_edit        (OrdRole        role,
                                             OrdStatus      status,
                                             GError       **error);
gboolean       ord_status_is_open           (OrdStatus      status);

const char    *ord_status_to_string         (OrdStatus      status);
gboolean       ord_status_from_string       (const char    *text,
                                             OrdStatus     *status);
const char    *ord_status_get_label         (OrdStatus      status);
const char    *ord_role_to_string           (OrdRole        role);
gboolean       ord_role_from_string         (const char    *text,
                                             OrdRole       *role);

G_END_DECLS
