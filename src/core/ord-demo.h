/* ord-demo.h: a believable demo shop
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ord-store.h"

G_BEGIN_DECLS

/* Zeroed options give the default shop: 5,000 orders over two years ending
 * now, in euros, without tax. */
typedef struct
{
  guint        n_orders;      /* 0 = 5,000 */
  guint64      seed;
  gint64       end_time;      /* µs since the epoch, the shop's "now"; 0 = now */
  guint        n_customers;   /* 0 = chosen from n_orders (about one per 8) */
  guint        n_products;    /* 0 = the built-in catalogue (153 products);
                                 fewer takes its first ones, more adds variants */
  const char  *currency;      /* ISO 4217; NULL = "EUR" */
  guint        tax_rate;      /* basis points (2000 = 20 %); 0 = no tax */
  guint        batch_size;    /* orders per transaction; 0 = 1,000 */
} OrdDemoOptions;

/* Fills @store with customers, a product catalogue and two years of orders
 * ending at end_time: weekly and yearly seasonality, trend, holiday peaks,
 * 5–10 % cancellations (more likely with long lead times and for customers
 * who cancelled before), statuses consistent with each order's age.
 * Same seed and options, same shop. Writes in batches of whole orders. */
gboolean ord_demo_generate (OrdStore              *store,
                            const OrdDemoOptions  *options,
                            OrdProgressFunc        progress,
                            gpointer               progress_data,
                            GCancellable          *cancellable,
                            GError               **error);

G_END_DECLS
