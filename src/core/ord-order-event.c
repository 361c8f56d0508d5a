/* ord-order-event.c: one entry of an order's timeline
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-order-event"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "ord-order-event.h"

struct _OrdOrderEvent
{
  GObject parent_instance;

  gint64        id;
  char         *order_id;
  gint64        at;
  char         *actor;
  OrdEventKind  kind;
  int           from_status;
  int           to_status;
  char         *reason;
  char         *details;
};

G_DEFINE_FINAL_TYPE (OrdOrderEvent, ord_order_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ORDER_ID,
  PROP_AT,
  PROP_ACTOR,
  PROP_KIND,
  PROP_FROM_STATUS,
  PROP_TO_STATUS,
  PROP_REASON,
  PROP_DETAILS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const kind_names[] = {
  "created", "edited", "status", "cancelled", "reopened", "imported",
  "sync-held", "sync-rejected", "sync-merged", "held-approved", "held-declined",
};

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == ORD_EVENT_HELD_DECLINED + 1);

static void
ord_order_event_finalize (GObject *object)
{
  OrdOrderEvent *self = (OrdOrderEvent *) object;

  g_clear_pointer (&self->order_id, g_free);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->details, g_free);

  G_OBJECT_CLASS (ord_order_event_parent_class)->finalize (object);
}

static void
ord_order_event_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OrdOrderEvent *self = ORD_ORDER_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_ORDER_ID:
      g_value_set_string (value, self->order_id);
      break;
    case PROP_AT:
      g_value_set_int64 (value, self->at);
      break;
    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_FROM_STATUS:
      g_value_set_int (value, self->from_status);
      break;
    case PROP_TO_STATUS:
      g_value_set_int (value, self->to_status);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_DETAILS:
      g_value_set_string (value, self->details);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_order_event_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  OrdOrderEvent *self = ORD_ORDER_EVENT (object);

  /* Construct-only: each is set exactly once. */
  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;
    case PROP_ORDER_ID:
      self->order_id = g_value_dup_string (value);
      break;
    case PROP_AT:
      self->at = g_value_get_int64 (value);
      break;
    case PROP_ACTOR:
      self->actor = g_value_dup_string (value);
      break;
    case PROP_KIND:
      self->kind = g_value_get_int (value);
      break;
    case PROP_FROM_STATUS:
      self->from_status = g_value_get_int (value);
      break;
    case PROP_TO_STATUS:
      self->to_status = g_value_get_int (value);
      break;
    case PROP_REASON:
      self->reason = g_value_dup_string (value);
      break;
    case PROP_DETAILS:
      self->details = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_order_event_class_init (OrdOrderEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ord_order_event_finalize;
  object_class->get_property = ord_order_event_get_property;
  object_class->set_property = ord_order_event_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_ORDER_ID] = g_param_spec_string ("order-id", NULL, NULL, NULL, flags);
  properties[PROP_AT] =
    g_param_spec_int64 ("at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_ACTOR] = g_param_spec_string ("actor", NULL, NULL, NULL, flags);
  /* An int, not an enum type: OrdEventKind has no GType. */
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, ORD_EVENT_CREATED, ORD_EVENT_HELD_DECLINED,
                      ORD_EVENT_CREATED, flags);
  properties[PROP_FROM_STATUS] =
    g_param_spec_int ("from-status", NULL, NULL, -1, ORD_N_STATUSES - 1, -1, flags);
  properties[PROP_TO_STATUS] =
    g_param_spec_int ("to-status", NULL, NULL, -1, ORD_N_STATUSES - 1, -1, flags);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  properties[PROP_DETAILS] = g_param_spec_string ("details", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ord_order_event_init (OrdOrderEvent *self)
{
  self->from_status = -1;
  self->to_status = -1;
}

/**
 * ord_order_event_new:
 * @id: the event's row id (0 before it is stored)
 * @order_id: the order's id
 * @at: when, µs since the epoch
 * @actor: (nullable): who (a name or account), %NULL for this device
 * @kind: what happened
 * @from_status: the status before, or -1 when not a status change
 * @to_status: the status after, or -1 when not a status change
 * @reason: (nullable): why (cancel, reopen, held, rejected)
 * @details: (nullable): JSON; for an edit {"field": {"from": …, "to": …}}
 *
 * Returns: (transfer full): the event
 */
OrdOrderEvent *
ord_order_event_new (gint64        id,
                     const char   *order_id,
                     gint64        at,
                     const char   *actor,
                     OrdEventKind  kind,
                     int           from_status,
                     int           to_status,
                     const char   *reason,
                     const char   *details)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  g_return_val_if_fail (from_status >= -1 && from_status < ORD_N_STATUSES, NULL);
  g_return_val_if_fail (to_status >= -1 && to_status < ORD_N_STATUSES, NULL);

  return g_object_new (ORD_TYPE_ORDER_EVENT,
                       "id", id,
                       "order-id", order_id,
                       "at", at,
                       "actor", actor,
                       "kind", (int) kind,
                       "from-status", from_status,
                       "to-status", to_status,
                       "reason", reason,
                       "details", details,
                       NULL);
}

gint64
ord_order_event_get_id (OrdOrderEvent *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_EVENT (self), 0);
  return self->id;
}

const char *
ord_order_event_get_order_id (OrdOrderEvent *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_EVENT (self), NULL);
  return self->order_id;
}

gint64
ord_order_event_get_at (OrdOrderEvent *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_EVENT (self), 0);
  return self->at;
}

const char *
ord_order_event_get_actor (OrdOrderEvent *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_EVENT (self), NULL);
  return self->actor;
}

OrdEventKind
ord_order_event_get_kind (OrdOrderEvent *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_EVENT (self), ORD_EVENT_CREATED);
  return self->kind;
}

int
ord_order_event_get_from_status (OrdOrderEvent *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_EVENT (self), -1);
  return self->from_status;
}

int
ord_order_event_get_to_status (OrdOrderEvent *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_EVENT (self), -1);
  return self->to_status;
}

const char *
ord_order_event_get_reason (OrdOrderEvent *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_EVENT (self), NULL);
  return self->reason;
}

const char *
ord_order_event_get_details (OrdOrderEvent *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_EVENT (self), NULL);
  return self->details;
}

/* The words for a field name of an edit's details; both the
 * database spelling (due_at) and the property spelling (due-at). */
static const struct
{
  const char *field;
  const char *words;
} field_words[] = {
  /* Translators: order fields listed after "Edited: " */
  { "notes", N_("notes") },
  { "due_at", N_("due date") },
  { "items", N_("items") },
  { "lines", N_("items") },
  { "discount", N_("discount") },
  { "tax_rate", N_("tax rate") },
  { "currency", N_("currency") },
  { "customer_id", N_("customer") },
  { "customer_name", N_("customer") },
  { "customer", N_("customer") },
  { "number", N_("number") },
  { "external_ref", N_("reference") },
  { "status", N_("status") },
};

static char *
field_to_words (const char *field)
{
  g_autofree char *key = g_strdelimit (g_strdup (field), "-", '_');

  for (guint i = 0; i < G_N_ELEMENTS (field_words); i++)
    if (strcmp (key, field_words[i].field) == 0)
      return g_strdup (_(field_words[i].words));

  /* An unknown field: "shipping_address" reads as "shipping address". */
  return g_strdelimit (g_steal_pointer (&key), "_", ' ');
}

/* "notes, due date" from {"notes": …, "due_at": …}; NULL when @details is
 * not a JSON object or names no field. */
static char *
describe_edited_fields (const char *details)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GList) members = NULL;
  JsonNode *root;

  if (details == NULL || details[0] == '\0')
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, details, -1, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  words = g_ptr_array_new_with_free_func (g_free);
  members = json_object_get_members (json_node_get_object (root));
  for (const GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *w = field_to_words (l->data);
      gboolean seen = FALSE;

      for (guint i = 0; i < words->len && !seen; i++)
        seen = strcmp (g_ptr_array_index (words, i), w) == 0;
      if (!seen)
        g_ptr_array_add (words, g_steal_pointer (&w));
    }

  if (words->len == 0)
    return NULL;

  g_ptr_array_add (words, NULL);
  /* Translators: the separator between field names after "Edited: " */
  return g_strjoinv (_(", "), (char **) words->pdata);
}

static gboolean
is_status (int value)
{
  return value >= 0 && value < ORD_N_STATUSES;
}

/* A one-step move forward, said the way people say it. */
static const char *
describe_step_to (OrdStatus to)
{
  switch (to)
    {
    case ORD_STATUS_CONFIRMED:
      /* Translators: a timeline entry: the order moved to this status */
      return _("Confirmed");
    case ORD_STATUS_PREPARING:
      /* Translators: a timeline entry: the order moved to this status */
      return _("Preparation started");
    case ORD_STATUS_SHIPPED:
      /* Translators: a timeline entry: the order moved to this status */
      return _("Shipped");
    case ORD_STATUS_DELIVERED:
      /* Translators: a timeline entry: the order moved to this status */
      return _("Delivered");
    case ORD_STATUS_PENDING:
    case ORD_STATUS_CANCELLED:
    default:
      return NULL;
    }
}

#define HAS_TEXT(s) ((s) != NULL && (s)[0] != '\0')

/**
 * ord_order_event_describe:
 * @self: an event
 *
 * The event as one translated sentence for the timeline: "Created",
 * "Edited: notes, due date", "Confirmed", "Moved from Pending to Shipped",
 * "Cancelled: customer moved", "Reopened to Pending: wrong address",
 * "Held for the owner's approval: …", "Rejected by the server: …",
 * "Merged with changes from another device", "Change approved by the shop",
 * "Change declined by the shop: out of stock".
 *
 * Returns: (transfer full): the sentence
 */
char *
ord_order_event_describe (OrdOrderEvent *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_EVENT (self), NULL);

  switch (self->kind)
    {
    case ORD_EVENT_CREATED:
      /* Translators: a timeline entry */
      return g_strdup (_("Created"));

    case ORD_EVENT_EDITED:
      {
        g_autofree char *fields = describe_edited_fields (self->details);

        if (fields == NULL)
          /* Translators: a timeline entry */
          return g_strdup (_("Edited"));
        /* Translators: a timeline entry; %s lists the changed fields:
         * "notes, due date" */
        return g_strdup_printf (_("Edited: %s"), fields);
      }

    case ORD_EVENT_STATUS:
      if (!is_status (self->from_status) || !is_status (self->to_status))
        /* Translators: a timeline entry */
        return g_strdup (_("Status changed"));

      if (self->to_status == ORD_STATUS_CANCELLED && !HAS_TEXT (self->reason))
        return g_strdup (_("Cancelled"));
      if (self->to_status == ORD_STATUS_CANCELLED)
        return g_strdup_printf (_("Cancelled: %s"), self->reason);

      if (self->to_status == self->from_status + 1)
        return g_strdup (describe_step_to (self->to_status));

      /* Translators: a timeline entry: "Moved from Pending to Shipped" */
      return g_strdup_printf (_("Moved from %s to %s"),
                              ord_status_get_label (self->from_status),
                              ord_status_get_label (self->to_status));

    case ORD_EVENT_CANCELLED:
      if (!HAS_TEXT (self->reason))
        /* Translators: a timeline entry */
        return g_strdup (_("Cancelled"));
      /* Translators: a timeline entry; %s is the reason given */
      return g_strdup_printf (_("Cancelled: %s"), self->reason);

    case ORD_EVENT_REOPENED:
      if (!is_status (self->to_status) && !HAS_TEXT (self->reason))
        /* Translators: a timeline entry */
        return g_strdup (_("Reopened"));
      if (!is_status (self->to_status))
        /* Translators: a timeline entry; %s is the reason given */
        return g_strdup_printf (_("Reopened: %s"), self->reason);

      if (!HAS_TEXT (self->reason))
        /* Translators: a timeline entry; %s is a status: "Reopened to Pending" */
        return g_strdup_printf (_("Reopened to %s"), ord_status_get_label (self->to_status));

      /* Translators: a timeline entry; the first %s is a status, the second
       * the reason given: "Reopened to Pending: wrong address" */
      return g_strdup_printf (_("Reopened to %s: %s"),
                              ord_status_get_label (self->to_status), self->reason);

    case ORD_EVENT_IMPORTED:
      /* Translators: a timeline entry */
      return g_strdup (_("Imported"));

    case ORD_EVENT_SYNC_HELD:
      /* Translators: a timeline entry: the server keeps a change until the
       * shop owner accepts it; %s is the server's reason */
      if (!HAS_TEXT (self->reason))
        return g_strdup (_("Held for the owner’s approval"));
      return g_strdup_printf (_("Held for the owner’s approval: %s"), self->reason);

    case ORD_EVENT_SYNC_REJECTED:
      /* Translators: a timeline entry; %s is the server's reason */
      if (!HAS_TEXT (self->reason))
        return g_strdup (_("Rejected by the server"));
      return g_strdup_printf (_("Rejected by the server: %s"), self->reason);

    case ORD_EVENT_SYNC_MERGED:
      /* Translators: a timeline entry */
      return g_strdup (_("Merged with changes from another device"));

    case ORD_EVENT_HELD_APPROVED:
      /* Translators: a timeline entry: the shop accepted a change the
       * customer asked for after the order was confirmed */
      return g_strdup (_("Change approved by the shop"));

    case ORD_EVENT_HELD_DECLINED:
      if (!HAS_TEXT (self->reason))
        /* Translators: a timeline entry */
        return g_strdup (_("Change declined by the shop"));
      /* Translators: a timeline entry; %s is the reason the shop gave */
      return g_strdup_printf (_("Change declined by the shop: %s"), self->reason);

    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * ord_event_kind_to_string:
 * @kind: an event kind
 *
 * Returns: the kind's name in the database and on the wire: "created",
 *   "edited", "status", "cancelled", "reopened", "imported", "sync-held",
 *   "sync-rejected", "sync-merged", "held-approved", "held-declined"
 */
const char *
ord_event_kind_to_string (OrdEventKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);

  return kind_names[kind];
}

/**
 * ord_event_kind_from_string:
 * @text: (nullable): a name as ord_event_kind_to_string() writes it
 * @kind: (out) (optional): the kind
 *
 * Returns: %TRUE if @text names a kind
 */
gboolean
ord_event_kind_from_string (const char   *text,
                            OrdEventKind *kind)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (text, kind_names[i]) == 0)
      {
        if (kind != NULL)
          *kind = (OrdEventKind) i;
        return TRUE;
      }

  return FALSE;
}
