/* ord-store-anchors.h: positions deep in an order list, found without walking to them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ord-store.h"

G_BEGIN_DECLS

/* A sparse map from a row's position in a list to a keyset cursor, built
 * for one query on one state of the store. Immutable once built; may be
 * shared between threads. */
typedef struct _OrdOrderAnchors OrdOrderAnchors;

#define ORD_TYPE_ORDER_ANCHORS (ord_order_anchors_get_type ())

GType            ord_order_anchors_get_type  (void) G_GNUC_CONST;
OrdOrderAnchors *ord_order_anchors_ref       (OrdOrderAnchors       *anchors);
void             ord_order_anchors_unref     (OrdOrderAnchors       *anchors);
guint            ord_order_anchors_get_every (const OrdOrderAnchors *anchors);
guint            ord_order_anchors_get_n_rows (const OrdOrderAnchors *anchors);
gboolean         ord_order_anchors_matches   (const OrdOrderAnchors *anchors,
                                              const OrdOrderQuery   *query);

OrdOrderAnchors *ord_store_build_anchors     (OrdStore              *store,
                                              const OrdOrderQuery   *query,
                                              guint                  every,
                                              GCancellable          *cancellable,
                                              GError               **error);
GPtrArray       *ord_store_query_orders_near (OrdStore              *store,
                                              const OrdOrderQuery   *query,
                                              const OrdOrderAnchors *anchors,
                                              guint                  offset,
                                              guint                  limit,
                                              GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdOrderAnchors, ord_order_anchors_unref)

G_END_DECLS
