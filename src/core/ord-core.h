/* ord-core.h: everything of orderly-core
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ord-money.h"
#include "ord-status.h"
#include "ord-uuid.h"
#include "ord-customer.h"
#include "ord-product.h"
#include "ord-order-item.h"
#include "ord-order.h"
#include "ord-order-event.h"
#include "ord-store.h"
#include "ord-store-catalogue.h"
#include "ord-store-anchors.h"
