/* ord-order-event.h: one entry of an order's timeline
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "ord-status.h"

G_BEGIN_DECLS

typedef enum
{
  ORD_EVENT_CREATED,
  ORD_EVENT_EDITED,
  ORD_EVENT_STATUS,
  ORD_EVENT_CANCELLED,
  ORD_EVENT_REOPENED,
  ORD_EVENT_IMPORTED,
  ORD_EVENT_SYNC_HELD,
  ORD_EVENT_SYNC_REJECTED,
  ORD_EVENT_SYNC_MERGED,
  ORD_EVENT_HELD_APPROVED,   /* the shop approved a held change */
  ORD_EVENT_HELD_DECLINED,   /* the shop declined a held change; reason says why */
} OrdEventKind;

#define ORD_TYPE_ORDER_EVENT (ord_order_event_get_type ())
G_DECLARE_FINAL_TYPE (OrdOrderEvent, ord_order_event, ORD, ORDER_EVENT, GObject)

/* Properties (all construct-only, read-only afterwards): id (int64),
 * order-id, at (µs since the epoch), actor, kind, from-status, to-status
 * (-1 when not a status change), reason, details (JSON text: for an edit,
 * {"field": {"from": …, "to": …}, …}). kind, from-status and to-status are
 * plain int properties. */
OrdOrderEvent *ord_order_event_new            (gint64        id,
                                               const char   *order_id,
                                               gint64        at,
                                               const char   *actor,
                                               OrdEventKind  kind,
                                               int           from_status,
                                               int           to_status,
                                               const char   *reason,
                                               const char   *details);
gint64         ord_order_event_get_id         (OrdOrderEvent *self);
const char    *ord_order_event_get_order_id   (OrdOrderEvent *self);
gint64         ord_order_event_get_at         (OrdOrderEvent *self);
const char    *ord_order_event_get_actor      (OrdOrderEvent *self);
OrdEventKind   ord_order_event_get_kind       (OrdOrderEvent *self);
int            ord_order_event_get_from_status (OrdOrderEvent *self);
int            ord_order_event_get_to_status  (OrdOrderEvent *self);
const char    *ord_order_event_get_reason     (OrdOrderEvent *self);
const char    *ord_order_event_get_details    (OrdOrderEvent *self);
/* A sentence for the timeline: "Confirmed", "Cancelled: customer moved". */
char          *ord_order_event_describe       (OrdOrderEvent *self);

const char    *ord_event_kind_to_string       (OrdEventKind  kind);
gboolean       ord_event_kind_from_string     (const char   *text,
                                               OrdEventKind *kind);

G_END_DECLS
