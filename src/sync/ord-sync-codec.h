/* ord-sync-codec.h: the /v1 sync wire format, shared by client and server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ord-store-sync.h"

G_BEGIN_DECLS

#define ORD_SYNC_ERROR (ord_sync_error_quark ())

typedef enum
{
  ORD_SYNC_ERROR_MALFORMED,    /* not JSON at all */
  ORD_SYNC_ERROR_INVALID,      /* JSON, but not what the protocol says */
  ORD_SYNC_ERROR_TOO_LARGE,
  ORD_SYNC_ERROR_GAP,          /* the server expects an earlier mutation */
  ORD_SYNC_ERROR_HTTP,         /* the server said no; message has its words */
  ORD_SYNC_ERROR_UNAUTHORIZED,
} OrdSyncError;

GQuark        ord_sync_error_quark        (void);

/* Limits of the protocol. */
#define ORD_SYNC_MAX_MUTATIONS   500
#define ORD_SYNC_MAX_BODY        (8 * 1024 * 1024)      /* a push request */
#define ORD_SYNC_MAX_RESPONSE    (256 * 1024 * 1024)    /* a pull page */
#define ORD_SYNC_MAX_PAGE        5000

/* A push request: {client_id, mutations: [{mutation_id, name, args}]}. */
typedef struct
{
  JsonNode        *root;       /* owns the mutations' args */
  const char      *client_id;
  OrdSyncMutation *mutations;
  guint            n_mutations;
  char            *text;       /* the strings point into it */
} OrdSyncPushRequest;

/* A push response: {results: [{mutation_id, status, code?, message?,
 * number?, record?}]}. */
typedef struct
{
  JsonNode        *root;       /* owns the records' data */
  OrdSyncAck      *acks;
  OrdSyncRecord   *records;    /* acks[i].record points into it */
  guint            n_acks;
  char            *text;       /* the strings point into it */
} OrdSyncPushResponse;

/* A pull response: {changes: [{entity, id, version, op, data}], cursor,
 * has_more}. An order's data comes as the order, built, in its record's
 * `prepared` (its `data` is NULL); a customer's or product's in `data`. */
typedef struct
{
  JsonNode        *root;       /* owns the records' data */
  OrdSyncRecord   *changes;
  guint            n_changes;
  gint64           cursor;
  gboolean         has_more;
  char            *text;       /* the strings point into it */
} OrdSyncPullResponse;

void                 ord_sync_push_request_free   (OrdSyncPushRequest  *request);
void                 ord_sync_push_response_free  (OrdSyncPushResponse *response);
void                 ord_sync_pull_response_free  (OrdSyncPullResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdSyncPushRequest, ord_sync_push_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdSyncPushResponse, ord_sync_push_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdSyncPullResponse, ord_sync_pull_response_free)

/* Each parser refuses, with an error that names the path of the first
 * wrong value ("mutations[3].args.items[0].quantity: expected an
 * integer"), or the line and column of malformed JSON: malformed or
 * truncated JSON (ORD_SYNC_ERROR_MALFORMED), wrong types, unknown, missing
 * or repeated fields (ORD_SYNC_ERROR_INVALID), and bodies over the limit
 * (ORD_SYNC_ERROR_TOO_LARGE). The JSON reader is strict RFC 8259: no
 * comments, trailing commas, leading zeros, lone surrogates or "\u0000". */
OrdSyncPushRequest  *ord_sync_push_request_parse  (const char  *data,
                                                   gsize        length,
                                                   GError     **error);
OrdSyncPushResponse *ord_sync_push_response_parse (const char  *data,
                                                   gsize        length,
                                                   GError     **error);
OrdSyncPullResponse *ord_sync_pull_response_parse (const char  *data,
                                                   gsize        length,
                                                   GError     **error);

/* Builders. @mutations: OrdOutboxRow; @results, @changes: JsonNode. */
char                *ord_sync_push_request_build  (const char  *client_id,
                                                   GPtrArray   *mutations,
                                                   gsize       *length);
char                *ord_sync_push_response_build (GPtrArray   *results,
                                                   gsize       *length);
char                *ord_sync_pull_response_build (GPtrArray   *changes,
                                                   gint64       cursor,
                                                   gboolean     has_more,
                                                   gsize       *length);
/* The same body from @changes, the change objects already written as
 * JSON text separated by commas (ord_store_sync_pull_text()). */
char                *ord_sync_pull_response_build_text (const char *changes,
                                                        gsize       changes_length,
                                                        gint64      cursor,
                                                        gboolean    has_more,
                                                        gsize      *length);
/* {"error": code, "message": message, extra int members…}. */
char                *ord_sync_error_build         (const char  *code,
                                                   const char  *message,
                                                   const char  *extra_name,
                                                   gint64       extra_value);

G_END_DECLS
