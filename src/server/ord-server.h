/* ord-server.h: the sync backend's HTTP endpoints
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "ord-server-auth.h"
#include "ord-store.h"

G_BEGIN_DECLS

#define ORD_TYPE_SERVER (ord_server_get_type ())
G_DECLARE_FINAL_TYPE (OrdServer, ord_server, ORD, SERVER, GObject)

/* @store: the server's store (SYNC_FULL | NO_OUTBOX). */
OrdServer    *ord_server_new          (OrdStore          *store,
                                       OrdServerAuthFunc  auth_func,
                                       gpointer           auth_data,
                                       GDestroyNotify     auth_destroy);
/* Listens on @address; port 0 picks one. Returns the base URI
 * ("http://127.0.0.1:PORT") or NULL with @error set. */
char         *ord_server_listen       (OrdServer         *self,
                                       GInetSocketAddress *address,
                                       GError           **error);
/* Stops accepting, ends live connections and answers waiting requests. */
void          ord_server_shutdown     (OrdServer         *self);
SoupServer   *ord_server_get_soup     (OrdServer         *self);

G_END_DECLS
