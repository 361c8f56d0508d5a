/* ord-order-list-model.h: a virtual list of the store's orders
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ord-core.h"

G_BEGIN_DECLS

/* Rows fetched from the store at once, and how many such pages are kept. */
#define ORD_ORDER_LIST_MODEL_PAGE_SIZE 200
#define ORD_ORDER_LIST_MODEL_N_PAGES   8

#define ORD_TYPE_ORDER_LIST_MODEL (ord_order_list_model_get_type ())
G_DECLARE_FINAL_TYPE (OrdOrderListModel, ord_order_list_model, ORD, ORDER_LIST_MODEL, GObject)

/* Properties: store (construct-only), status-mask, sort, descending,
 * by-status, updated-from, text, n-items (read-only). */
OrdOrderListModel *ord_order_list_model_new             (OrdStore          *store);
OrdStore          *ord_order_list_model_get_store       (OrdOrderListModel *self);
guint              ord_order_list_model_get_status_mask (OrdOrderListModel *self);
void               ord_order_list_model_set_status_mask (OrdOrderListModel *self,
                                                         guint              status_mask);
OrdSortKey         ord_order_list_model_get_sort        (OrdOrderListModel *self);
gboolean           ord_order_list_model_get_descending  (OrdOrderListModel *self);
void               ord_order_list_model_set_sort        (OrdOrderListModel *self,
                                                         OrdSortKey         sort,
                                                         gboolean           descending);
gboolean           ord_order_list_model_get_by_status   (OrdOrderListModel *self);
void               ord_order_list_model_set_sort_full   (OrdOrderListModel *self,
                                                         gboolean           by_status,
                                                         OrdSortKey         sort,
                                                         gboolean           descending);
gint64             ord_order_list_model_get_updated_from (OrdOrderListModel *self);
void               ord_order_list_model_set_updated_from (OrdOrderListModel *self,
                                                          gint64             from);
gboolean           ord_order_list_model_get_attention_only (OrdOrderListModel *self);
void               ord_order_list_model_set_attention_only (OrdOrderListModel *self,
                                                            gboolean           attention_only);
const char        *ord_order_list_model_get_text        (OrdOrderListModel *self);
void               ord_order_list_model_set_text        (OrdOrderListModel *self,
                                                         const char        *text);
/* The query the model shows; its strings belong to the model. Grouping by
 * status is not part of it. */
void               ord_order_list_model_get_query       (OrdOrderListModel *self,
                                                         OrdOrderQuery     *query);
/* Counts again and drops the cached rows: for writes the store did not
 * announce, such as another connection's import. */
void               ord_order_list_model_refresh         (OrdOrderListModel *self);
/* Whether deep reads start from anchors now (built in a thread after the
 * first read beyond the first pages, dropped on every change). */
gboolean           ord_order_list_model_has_anchors     (OrdOrderListModel *self);

G_END_DECLS
