/* ord-server-auth.c: who is asking
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "orderly-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ord-server-auth.h"

G_DEFINE_QUARK (ord-server-auth-error-quark, ord_server_auth_error)

void
ord_server_identity_clear (OrdServerIdentity *identity)
{
  if (identity == NULL)
    return;
  g_clear_pointer (&identity->subject, g_free);
}

/**
 * ord_server_auth_trust_headers:
 * @msg: the request
 * @identity: (out caller-allocates): filled in on success
 * @user_data: unused
 * @error: a #GError
 *
 * The test and development mode of `orderly-server --no-auth`, which the
 * server allows on loopback addresses only.
 *
 * Returns: %TRUE with @identity set
 */
gboolean
ord_server_auth_trust_headers (SoupServerMessage  *msg,
                               OrdServerIdentity  *identity,
                               gpointer            user_data,
                               GError            **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *role = soup_message_headers_get_one (headers, "X-Orderly-Role");
  const char *subject = soup_message_headers_get_one (headers, "X-Orderly-Subject");
  OrdRole parsed = ORD_ROLE_OWNER;

  if (role != NULL && !ord_role_from_string (role, &parsed))
    {
      g_set_error (error, ORD_SERVER_AUTH_ERROR, ORD_SERVER_AUTH_ERROR_INVALID,
                   _("X-Orderly-Role: “%s” is not owner or customer"), role);
      return FALSE;
    }
  if (subject != NULL && (subject[0] == '\0' || strlen (subject) > 256 ||
                          !g_utf8_validate (subject, -1, NULL)))
    {
      g_set_error_literal (error, ORD_SERVER_AUTH_ERROR, ORD_SERVER_AUTH_ERROR_INVALID,
                           _("X-Orderly-Subject must be 1 to 256 bytes of UTF-8"));
      return FALSE;
    }
  if (parsed == ORD_ROLE_CUSTOMER && subject == NULL)
    {
      g_set_error_literal (error, ORD_SERVER_AUTH_ERROR, ORD_SERVER_AUTH_ERROR_MISSING,
                           _("A customer needs X-Orderly-Subject"));
      return FALSE;
    }

  identity->role = parsed;
  identity->subject = g_strdup (subject ? subject : "local");

  return TRUE;
}
