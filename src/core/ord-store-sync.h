/* ord-store-sync.h: what sync needs from the store, client and server side
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ord-store.h"

G_BEGIN_DECLS

/* How the server judged one mutation (DESIGN §5). */
typedef enum
{
  ORD_SYNC_APPLIED,
  ORD_SYNC_MERGED,
  ORD_SYNC_HELD,
  ORD_SYNC_REJECTED,
} OrdSyncOutcome;

#define ORD_SYNC_N_OUTCOMES 4

const char   *ord_sync_outcome_to_string   (OrdSyncOutcome  outcome);
gboolean      ord_sync_outcome_from_string (const char     *text,
                                            OrdSyncOutcome *outcome);

/* ------------------------------------------------------------------ */
/* The conflict function                                               */

typedef enum
{
  ORD_SYNC_INTENT_SET_STATUS,   /* from → to */
  ORD_SYNC_INTENT_CANCEL,       /* from → cancelled */
  ORD_SYNC_INTENT_EDIT,         /* fields and lines, on base_version */
} OrdSyncIntentKind;

typedef struct
{
  OrdSyncIntentKind kind;
  OrdStatus         from;          /* set_status, cancel */
  OrdStatus         to;            /* set_status (cancel: ignored) */
  gint64            base_version;  /* edit */
} OrdSyncIntent;

/* The server's order as it is now. */
typedef struct
{
  gboolean     exists;
  OrdStatus    status;
  gint64       version;
  const char  *owner_sub;          /* NULL: no customer account owns it */
} OrdSyncCurrent;

typedef struct
{
  OrdSyncOutcome  outcome;
  const char     *code;            /* rejected: "order_locked", "forbidden",
                                      "invalid", "conflict", "not_found" */
  char           *message;         /* why, for a person; NULL when applied */
  OrdTransition   transition;      /* status intents: what to do */
  gboolean        no_op;           /* applied, nothing to change */
} OrdSyncDecision;

void          ord_sync_decision_clear      (OrdSyncDecision *decision);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OrdSyncDecision, ord_sync_decision_clear)

/* The one function that decides a conflict (DESIGN §5); pure: no store,
 * no clock. @role and @subject come from the verified token only. */
void          ord_sync_decide              (OrdRole               role,
                                            const char           *subject,
                                            const OrdSyncCurrent *current,
                                            const OrdSyncIntent  *intent,
                                            OrdSyncDecision      *decision);

/* ------------------------------------------------------------------ */
/* Records on the wire                                                 */

/* One change of the feed, or the server's record in a push result.
 * Pointers are borrowed from whoever parsed them. */
typedef struct
{
  const char *entity;              /* "order", "customer", "product", "held" */
  const char *id;
  gint64      version;
  gboolean    deleted;             /* op: delete (tombstone) */
  JsonObject *data;                /* NULL for a delete */
  GObject    *prepared;            /* owned by the parser too: an order built
                                      from @data ahead of time, or NULL */
} OrdSyncRecord;

/* One result of a push, as the client reads it. */
typedef struct
{
  gint64               mutation_id;
  OrdSyncOutcome       outcome;
  const char          *code;
  const char          *message;
  const OrdSyncRecord *record;     /* nullable */
} OrdSyncAck;

/* One mutation of a push, as the server reads it. */
typedef struct
{
  gint64      mutation_id;
  const char *name;
  JsonObject *args;
} OrdSyncMutation;

/* ------------------------------------------------------------------ */
/* Client side                                                         */

typedef struct
{
  gint64  mutation_id;
  char   *name;
  char   *entity_id;
  char   *args;                    /* JSON text */
} OrdOutboxRow;

void          ord_outbox_row_free          (OrdOutboxRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdOutboxRow, ord_outbox_row_free)

/* The oldest @limit rows with mutation_id > @after, oldest first. */
GPtrArray    *ord_store_sync_read_outbox   (OrdStore     *self,
                                            gint64        after,
                                            guint         limit,
                                            GError      **error);
/* Renumbers the outbox so that it starts at @first (after the server lost
 * what it had acknowledged, e.g. restored from a backup). */
gboolean      ord_store_sync_renumber_outbox (OrdStore   *self,
                                              gint64      first,
                                              GError    **error);

/* Values of sync_state: "client_id", "cursor", "last_success". */
char         *ord_store_sync_get_state     (OrdStore     *self,
                                            const char   *key);
gboolean      ord_store_sync_set_state     (OrdStore     *self,
                                            const char   *key,
                                            const char   *value,
                                            GError      **error);
/* This device's id for the server, made on first use. */
char         *ord_store_sync_ensure_client_id (OrdStore  *self,
                                               GError   **error);
gint64        ord_store_sync_get_cursor    (OrdStore     *self);
/* While a pull of many pages runs: the write-ahead log is copied back into
 * the database once, when it ends, rather than after every page. */
void          ord_store_sync_set_bulk      (OrdStore     *self,
                                            gboolean      bulk);

/* In one transaction: writes the server's records of held and rejected
 * results with a timeline entry saying why (the user's change stays in the
 * entry), drops the acknowledged outbox rows and re-applies the rest. */
gboolean      ord_store_sync_apply_acks    (OrdStore          *self,
                                            const OrdSyncAck  *acks,
                                            guint              n_acks,
                                            GError           **error);
/* Builds the order of each order record (records[i].prepared), so that
 * the next page's objects are made on another thread while a page is
 * applied. */
void          ord_store_sync_prepare_records (OrdSyncRecord *records,
                                              guint          n_records);
/* In one transaction: writes a page of the change feed (no outbox rows),
 * stores @cursor, then re-applies the outbox rows not yet acknowledged
 * on top of the records they touch (rebase). */
gboolean      ord_store_sync_apply_page    (OrdStore            *self,
                                            const OrdSyncRecord *records,
                                            guint                n_records,
                                            gint64               cursor,
                                            GError             **error);

/* ------------------------------------------------------------------ */
/* Held amendments (DESIGN §5): a customer's change of a confirmed order,
 * waiting for the shop                                                 */

typedef enum
{
  ORD_HELD_CHANGE_FIELD,         /* a field of the order */
  ORD_HELD_CHANGE_LINE_ADDED,
  ORD_HELD_CHANGE_LINE_REMOVED,
  ORD_HELD_CHANGE_LINE_CHANGED,
} OrdHeldChangeKind;

/* One thing the customer wants changed, against the order as this device
 * has it now. */
typedef struct
{
  OrdHeldChangeKind  kind;
  char              *field;      /* FIELD: "notes", "due_at", "discount", "tax_rate",
                                    "currency", "customer_id"; lines: NULL */
  char              *before;     /* for people; NULL: nothing (a new line) */
  char              *after;      /* for people; NULL: nothing (a removed line) */
} OrdHeldChange;

typedef struct
{
  char       *id;                /* the server's id */
  char       *order_id;
  char       *customer_name;     /* nullable */
  char       *subject;           /* nullable: the customer's account */
  gint64      created_at;        /* µs since the epoch, the server's clock */
  char       *decision;          /* NULL while it waits; "approved" or "declined"
                                    when decided on this device and not yet
                                    confirmed by the server */
  char       *reason;            /* nullable */
  GPtrArray  *changes;           /* OrdHeldChange */
} OrdHeldAmendment;

void          ord_held_amendment_free      (OrdHeldAmendment *held);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdHeldAmendment, ord_held_amendment_free)

/* The held amendments of @order_id that the change feed brought, oldest
 * first (element-type OrdHeldAmendment). */
GPtrArray    *ord_store_list_held          (OrdStore     *self,
                                            const char   *order_id,
                                            GError      **error);
/* The owner approves or declines held amendment @held_id: in one
 * transaction, writes the resolve_held mutation to the outbox, applies an
 * approved change to the order here, and takes the order out of "Needs
 * attention". The server has the last word (an order shipped meanwhile
 * declines it). Fails with ORD_STATUS_ERROR_FORBIDDEN for a customer,
 * ORD_STATUS_ERROR_LOCKED when the order no longer takes changes,
 * ORD_STORE_ERROR_NOT_FOUND or ORD_STORE_ERROR_CONFLICT (already decided). */
gboolean      ord_store_resolve_held       (OrdStore     *self,
                                            const char   *held_id,
                                            gboolean      approve,
                                            const char   *reason,
                                            GError      **error);

/* ------------------------------------------------------------------ */
/* Server side                                                         */

typedef struct
{
  guint counts[ORD_SYNC_N_OUTCOMES];
  guint replayed;
} OrdSyncPushStats;

#define ORD_STORE_SYNC_ERROR (ord_store_sync_error_quark ())

typedef enum
{
  ORD_STORE_SYNC_ERROR_GAP,        /* a mutation id skips ahead */
} OrdStoreSyncError;

GQuark        ord_store_sync_error_quark   (void);

/* Applies @mutations of @client_id in one transaction, each at most once:
 * ids already applied return their stored result; a gap fails with
 * ORD_STORE_SYNC_ERROR_GAP and *@expected set, storing nothing. Results
 * (JsonNode objects, one per mutation) go to @results. */
gboolean      ord_store_sync_push          (OrdStore               *self,
                                            const char             *client_id,
                                            OrdRole                 role,
                                            const char             *subject,
                                            const OrdSyncMutation  *mutations,
                                            guint                   n_mutations,
                                            GPtrArray              *results,
                                            gint64                 *expected,
                                            OrdSyncPushStats       *stats,
                                            GError                **error);
/* The change feed after @since, at most @limit changes that @role and
 * @subject may see: JsonNode objects {entity, id, version, op, data}. */
gboolean      ord_store_sync_pull          (OrdStore     *self,
                                            gint64        since,
                                            guint         limit,
                                            OrdRole       role,
                                            const char   *subject,
                                            GPtrArray    *changes,
                                            gint64       *cursor,
                                            gboolean     *has_more,
                                            GError      **error);
gboolean      ord_store_sync_pull_text     (OrdStore     *self,
                                            gint64        since,
                                            guint         limit,
                                            OrdRole       role,
                                            const char   *subject,
                                            GString      *out,
                                            guint        *n_changes,
                                            gint64       *cursor,
                                            gboolean     *has_more,
                                            GError      **error);
/* The newest seq of the change feed. */
gint64        ord_store_sync_latest_seq    (OrdStore     *self);

G_END_DECLS
