/* ord-server-auth.h: who is asking — the one seam where identities come in
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "ord-status.h"

G_BEGIN_DECLS

#define ORD_SERVER_AUTH_ERROR (ord_server_auth_error_quark ())

typedef enum
{
  ORD_SERVER_AUTH_ERROR_MISSING,     /* no credentials: 401 */
  ORD_SERVER_AUTH_ERROR_INVALID,     /* credentials refused: 401 */
} OrdServerAuthError;

GQuark      ord_server_auth_error_quark  (void);

/* What a verified request may do: its role and its account (`sub`). */
typedef struct
{
  OrdRole  role;
  char    *subject;
} OrdServerIdentity;

void        ord_server_identity_clear    (OrdServerIdentity *identity);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OrdServerIdentity, ord_server_identity_clear)

/* Verifies @msg and fills @identity, or fails with ORD_SERVER_AUTH_ERROR.
 * The server takes the role and subject from here only; the JWT verifier
 * of orderly-auth plugs in as another OrdServerAuthFunc. */
typedef gboolean (*OrdServerAuthFunc) (SoupServerMessage  *msg,
                                       OrdServerIdentity  *identity,
                                       gpointer            user_data,
                                       GError            **error);

/* --no-auth, loopback only: trusts the X-Orderly-Role (owner|customer)
 * and X-Orderly-Subject headers. Without them: owner, subject "local". */
gboolean    ord_server_auth_trust_headers (SoupServerMessage  *msg,
                                           OrdServerIdentity  *identity,
                                           gpointer            user_data,
                                           GError            **error);

G_END_DECLS
