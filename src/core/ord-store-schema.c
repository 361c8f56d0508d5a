/* ord-store-schema.c: the numbered migrations of the local database
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ord-store-private.h"

/* Never edit a migration that has shipped: add a new one. Each runs in one
 * transaction together with the PRAGMA user_version that records it. */
const OrdMigration ord_store_migrations[] = {
  {
    "orders, customers, products, timeline, outbox",
    "CREATE TABLE settings ("
    "  key   TEXT PRIMARY KEY,"
    "  value TEXT"
    ") WITHOUT ROWID;"

    "CREATE TABLE customers ("
    "  id           TEXT PRIMARY KEY,"
    "  name         TEXT NOT NULL,"
    "  email        TEXT,"
    "  phone        TEXT,"
    "  notes        TEXT,"
    "  external_ref TEXT UNIQUE,"
    "  owner_sub    TEXT,"
    "  version      INTEGER NOT NULL DEFAULT 0,"
    "  updated_at   INTEGER NOT NULL,"
    "  deleted      INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX customers_by_name ON customers (name COLLATE NOCASE);"

    "CREATE TABLE products ("
    "  id         TEXT PRIMARY KEY,"
    "  sku        TEXT NOT NULL UNIQUE,"
    "  name       TEXT NOT NULL,"
    "  unit_price INTEGER NOT NULL CHECK (unit_price >= 0),"
    "  currency   TEXT NOT NULL,"
    "  active     INTEGER NOT NULL DEFAULT 1,"
    "  version    INTEGER NOT NULL DEFAULT 0,"
    "  updated_at INTEGER NOT NULL,"
    "  deleted    INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX products_by_name ON products (name COLLATE NOCASE);"

    /* seq is the local rowid: the tie-breaker of every keyset sort and the
     * rowid of the search index. */
    "CREATE TABLE orders ("
    "  seq                INTEGER PRIMARY KEY,"
    "  id                 TEXT NOT NULL UNIQUE,"
    "  number             TEXT NOT NULL,"
    "  provisional_number TEXT,"
    "  customer_id        TEXT NOT NULL REFERENCES customers (id),"
    "  customer_name      TEXT NOT NULL,"
    "  status             INTEGER NOT NULL CHECK (status BETWEEN 0 AND 5),"
    "  created_at         INTEGER NOT NULL,"
    "  updated_at         INTEGER NOT NULL,"
    "  due_at             INTEGER NOT NULL DEFAULT 0,"
    "  notes              TEXT NOT NULL DEFAULT '',"
    "  currency           TEXT NOT NULL,"
    "  tax_rate           INTEGER NOT NULL DEFAULT 0,"
    "  subtotal           INTEGER NOT NULL,"
    "  discount           INTEGER NOT NULL DEFAULT 0,"
    "  tax                INTEGER NOT NULL DEFAULT 0,"
    "  total              INTEGER NOT NULL,"
    "  item_count         INTEGER NOT NULL,"
    "  version            INTEGER NOT NULL DEFAULT 0,"
    "  deleted            INTEGER NOT NULL DEFAULT 0,"
    "  external_ref       TEXT UNIQUE"
    ");"
    "CREATE INDEX orders_by_customer ON orders (customer_id, created_at);"
    "CREATE INDEX orders_by_number ON orders (number);"
    "CREATE INDEX orders_by_provisional ON orders (provisional_number)"
    "  WHERE provisional_number IS NOT NULL;"

    "CREATE TABLE order_items ("
    "  id         TEXT NOT NULL UNIQUE,"
    "  order_id   TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
    "  position   INTEGER NOT NULL,"
    "  product_id TEXT REFERENCES products (id),"
    "  sku        TEXT,"
    "  name       TEXT NOT NULL,"
    "  unit_price INTEGER NOT NULL,"
    "  quantity   INTEGER NOT NULL CHECK (quantity > 0),"
    "  discount   INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX order_items_by_order ON order_items (order_id, position);"

    "CREATE TABLE order_events ("
    "  id          INTEGER PRIMARY KEY,"
    "  order_id    TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
    "  at          INTEGER NOT NULL,"
    "  actor       TEXT,"
    "  kind        TEXT NOT NULL,"
    "  from_status INTEGER,"
    "  to_status   INTEGER,"
    "  reason      TEXT,"
    "  details     TEXT"
    ");"
    "CREATE INDEX order_events_by_order ON order_events (order_id, id);"

    /* AUTOINCREMENT: a mutation id is never reused, even after the rows
     * the server acknowledged are dropped. */
    "CREATE TABLE outbox ("
    "  mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  name        TEXT NOT NULL,"
    "  entity_id   TEXT,"
    "  args        TEXT NOT NULL,"
    "  created_at  INTEGER NOT NULL"
    ");"

    "CREATE TABLE sync_state ("
    "  key   TEXT PRIMARY KEY,"
    "  value TEXT"
    ") WITHOUT ROWID;"
  },
  {
    "search index, keyset sort indexes and status counters",
    /* One index per sort key, with and without a status prefix, partial on
     * live rows so that the queries' "deleted = 0" picks them. */
    "CREATE INDEX orders_sort_created ON orders (created_at, seq) WHERE deleted = 0;"
    "CREATE INDEX orders_sort_due ON orders (due_at, seq) WHERE deleted = 0;"
    "CREATE INDEX orders_sort_total ON orders (total, seq) WHERE deleted = 0;"
    "CREATE INDEX orders_sort_number ON orders (number, seq) WHERE deleted = 0;"
    "CREATE INDEX orders_sort_customer ON orders (customer_name COLLATE NOCASE, seq)"
    "  WHERE deleted = 0;"
    "CREATE INDEX orders_status_created ON orders (status, created_at, seq) WHERE deleted = 0;"
    "CREATE INDEX orders_status_due ON orders (status, due_at, seq) WHERE deleted = 0;"
    "CREATE INDEX orders_status_total ON orders (status, total, seq) WHERE deleted = 0;"
    "CREATE INDEX orders_status_number ON orders (status, number, seq) WHERE deleted = 0;"
    "CREATE INDEX orders_status_customer ON orders"
    "  (status, customer_name COLLATE NOCASE, seq) WHERE deleted = 0;"

    "CREATE VIRTUAL TABLE orders_fts USING fts5 ("
    "  number, customer, notes, items,"
    "  tokenize = 'unicode61 remove_diacritics 2'"
    ");"
    "INSERT INTO orders_fts (rowid, number, customer, notes, items)"
    "  SELECT o.seq,"
    "         o.number || coalesce (' ' || o.provisional_number, ''),"
    "         o.customer_name, o.notes,"
    "         (SELECT group_concat (coalesce (i.sku, '') || ' ' || i.name, ' ')"
    "            FROM order_items i WHERE i.order_id = o.id)"
    "  FROM orders o WHERE o.deleted = 0;"

    "CREATE TABLE status_counts ("
    "  status INTEGER PRIMARY KEY,"
    "  n      INTEGER NOT NULL"
    ");"
    "INSERT INTO status_counts (status, n)"
    "  WITH s (value) AS (VALUES (0), (1), (2), (3), (4), (5))"
    "  SELECT s.value,"
    "         (SELECT count(*) FROM orders o WHERE o.status = s.value AND o.deleted = 0)"
    "  FROM s;"
    "CREATE TRIGGER orders_count_insert AFTER INSERT ON orders WHEN NEW.deleted = 0 BEGIN"
    "  UPDATE status_counts SET n = n + 1 WHERE status = NEW.status;"
    "END;"
    "CREATE TRIGGER orders_count_delete AFTER DELETE ON orders WHEN OLD.deleted = 0 BEGIN"
    "  UPDATE status_counts SET n = n - 1 WHERE status = OLD.status;"
    "END;"
    "CREATE TRIGGER orders_count_update AFTER UPDATE OF status, deleted ON orders"
    "  WHEN OLD.status IS NOT NEW.status OR OLD.deleted IS NOT NEW.deleted BEGIN"
    "  UPDATE status_counts SET n = n - 1 WHERE status = OLD.status AND OLD.deleted = 0;"
    "  UPDATE status_counts SET n = n + 1 WHERE status = NEW.status AND NEW.deleted = 0;"
    "END;"
  },
  {
    "sync: change feed, applied mutations per client, order ownership",
    /* Who owns an order (the token `sub` of its customer): the server's
     * rule that customers see and change only their own orders. */
    "ALTER TABLE orders ADD COLUMN owner_sub TEXT;"
    "CREATE INDEX orders_by_owner ON orders (owner_sub) WHERE owner_sub IS NOT NULL;"

    /* Server: the change feed. seq is assigned inside the writing
     * transaction, and SQLite has one writer, so a reader never sees a
     * later seq committed before an earlier one: a cursor skips nothing. */
    "CREATE TABLE changes ("
    "  seq     INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  entity  TEXT NOT NULL,"
    "  id      TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  op      TEXT NOT NULL CHECK (op IN ('put', 'delete'))"
    ");"
    "CREATE INDEX changes_by_entity ON changes (entity, id);"

    /* Server: the last mutation applied per client, written in the same
     * transaction as the mutation, and each result for replays. */
    "CREATE TABLE sync_clients ("
    "  client_id        TEXT PRIMARY KEY,"
    "  last_mutation_id INTEGER NOT NULL DEFAULT 0,"
    "  subject          TEXT,"
    "  last_seen        INTEGER NOT NULL DEFAULT 0"
    ") WITHOUT ROWID;"
    "CREATE TABLE client_mutations ("
    "  client_id   TEXT NOT NULL,"
    "  mutation_id INTEGER NOT NULL,"
    "  result      TEXT NOT NULL,"
    "  PRIMARY KEY (client_id, mutation_id)"
    ") WITHOUT ROWID;"

    /* Server: the order version at which each field (or line, as
     * "item:<id>") last changed, to tell a field both sides changed. */
    "CREATE TABLE order_field_versions ("
    "  order_id TEXT NOT NULL,"
    "  field    TEXT NOT NULL,"
    "  version  INTEGER NOT NULL,"
    "  PRIMARY KEY (order_id, field)"
    ") WITHOUT ROWID;"

    /* Server: customers' amendments to confirmed orders, waiting for the
     * owner. */
    "CREATE TABLE held_mutations ("
    "  id          INTEGER PRIMARY KEY,"
    "  order_id    TEXT NOT NULL,"
    "  client_id   TEXT NOT NULL,"
    "  mutation_id INTEGER NOT NULL,"
    "  subject     TEXT,"
    "  args        TEXT NOT NULL,"
    "  created_at  INTEGER NOT NULL"
    ");"
  },
  {
    "analytics: the cancellation-risk model",
    /* The model as plain numbers: one row per model (the analytics keep the
     * latest), its coefficients with the feature means and scales they
     * apply to, and the calibration table of its hold-out. */
    "CREATE TABLE risk_models ("
    "  id          INTEGER PRIMARY KEY,"
    "  trained_at  INTEGER NOT NULL,"
    "  n_history   INTEGER NOT NULL,"
    "  n_cancelled INTEGER NOT NULL,"
    "  n_train     INTEGER NOT NULL,"
    "  n_test      INTEGER NOT NULL,"
    "  auc         REAL,"
    "  brier       REAL,"
    "  intercept   REAL NOT NULL"
    ");"
    "CREATE TABLE risk_model_features ("
    "  model_id INTEGER NOT NULL REFERENCES risk_models (id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  name     TEXT NOT NULL,"
    "  coef     REAL NOT NULL,"
    "  mean     REAL NOT NULL,"
    "  scale    REAL NOT NULL,"
    "  PRIMARY KEY (model_id, position)"
    ") WITHOUT ROWID;"
    "CREATE TABLE risk_model_calibration ("
    "  model_id       INTEGER NOT NULL REFERENCES risk_models (id) ON DELETE CASCADE,"
    "  bin            INTEGER NOT NULL,"
    "  n              INTEGER NOT NULL,"
    "  min_predicted  REAL NOT NULL,"
    "  max_predicted  REAL NOT NULL,"
    "  mean_predicted REAL NOT NULL,"
    "  observed_rate  REAL NOT NULL,"
    "  PRIMARY KEY (model_id, bin)"
    ") WITHOUT ROWID;"
  },
  {
    "sync: orders that need attention",
    /* The timeline entry (order_events.id) of a change the server held or
     * rejected and the user has not dealt with yet; 0 = none. Few orders
     * ever have one: the partial index holds only those. */
    "ALTER TABLE orders ADD COLUMN attention INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX orders_attention ON orders (attention) WHERE attention > 0;"
    /* Editing the order again on this device supersedes the held or
     * rejected change, whichever code path writes the edit. */
    "CREATE TRIGGER orders_attention_edited AFTER INSERT ON outbox"
    "  WHEN NEW.name = 'edit_order' BEGIN"
    "  UPDATE orders SET attention = 0 WHERE id = NEW.entity_id AND attention > 0;"
    "END;"
  },
  {
    "order lines keyed by their order; outbox size; dashboard indexes",
    /* The lines are only ever read by their order: the table itself is the
     * (order_id, position) index, and no second index on the line id. */
    "CREATE TABLE order_items_new ("
    "  order_id   TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
    "  position   INTEGER NOT NULL,"
    "  id         TEXT NOT NULL,"
    "  product_id TEXT REFERENCES products (id),"
    "  sku        TEXT,"
    "  name       TEXT NOT NULL,"
    "  unit_price INTEGER NOT NULL,"
    "  quantity   INTEGER NOT NULL CHECK (quantity > 0),"
    "  discount   INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (order_id, position)"
    ") WITHOUT ROWID;"
    "INSERT INTO order_items_new"
    "  (order_id, position, id, product_id, sku, name, unit_price, quantity, discount)"
    "  SELECT order_id, position, id, product_id, sku, name, unit_price, quantity, discount"
    "  FROM order_items;"
    "DROP TABLE order_items;"
    "ALTER TABLE order_items_new RENAME TO order_items;"

    /* create_order rows whose arguments a bulk write left to be written
     * out later (ord_store_outbox_pin). */
    "CREATE INDEX outbox_unwritten ON outbox (entity_id) WHERE args = '';"

    /* How many changes wait to be pushed, kept as the outbox changes:
     * the sync indicator asks often, and counting a million rows takes a
     * second. */
    "CREATE TABLE outbox_size (n INTEGER NOT NULL);"
    "INSERT INTO outbox_size (n) SELECT count(*) FROM outbox;"
    "CREATE TRIGGER outbox_size_insert AFTER INSERT ON outbox BEGIN"
    "  UPDATE outbox_size SET n = n + 1;"
    "END;"
    "CREATE TRIGGER outbox_size_delete AFTER DELETE ON outbox BEGIN"
    "  UPDATE outbox_size SET n = n - 1;"
    "END;"

    /* The dashboard: sorting by the number of lines, and the orders of one
     * status changed since a moment (delivered today). */
    "CREATE INDEX orders_sort_items ON orders (item_count, seq) WHERE deleted = 0;"
    "CREATE INDEX orders_status_items ON orders (status, item_count, seq) WHERE deleted = 0;"
    "CREATE INDEX orders_status_updated ON orders (status, updated_at, seq) WHERE deleted = 0;"
  },
  {
    "sync: held amendments in the change feed, the owner's decisions",
    /* Server: the amendments waiting for the owner, found by their order. */
    "CREATE INDEX held_mutations_by_order ON held_mutations (order_id);"
    /* Server: each decided amendment, under the id it had while it waited
     * (its tombstone in the change feed says what was decided). */
    "CREATE TABLE held_decisions ("
    "  id         INTEGER PRIMARY KEY,"
    "  order_id   TEXT NOT NULL,"
    "  decision   TEXT NOT NULL CHECK (decision IN ('approved', 'declined')),"
    "  reason     TEXT,"
    "  decided_by TEXT,"
    "  decided_at INTEGER NOT NULL"
    ");"
    /* Server: amendments held before this version reach the owners too. */
    "INSERT INTO changes (entity, id, version, op)"
    "  SELECT 'held', CAST (id AS TEXT), 1, 'put' FROM held_mutations ORDER BY id;"

    /* Client: the held amendments the feed brought. noted = 0 until the
     * order's timeline has its entry (the order may come in a later page);
     * decision: what this device decided, not yet confirmed by the server. */
    "CREATE TABLE held_amendments ("
    "  id            TEXT PRIMARY KEY,"
    "  order_id      TEXT NOT NULL,"
    "  customer_name TEXT,"
    "  subject       TEXT,"
    "  args          TEXT NOT NULL,"
    "  created_at    INTEGER NOT NULL,"
    "  version       INTEGER NOT NULL DEFAULT 0,"
    "  noted         INTEGER NOT NULL DEFAULT 0,"
    "  decision      TEXT CHECK (decision IN ('approved', 'declined')),"
    "  reason        TEXT"
    ") WITHOUT ROWID;"
    "CREATE INDEX held_amendments_by_order ON held_amendments (order_id);"
    "CREATE INDEX held_amendments_unnoted ON held_amendments (noted) WHERE noted = 0;"
  },
  {
    "search: the creation times of each chunk of 1,024 orders",
    /* Orders come mostly in creation order, so the newest matches of a
     * search are in the last chunks of seq: a search sorted by creation
     * reads the matches of the chunks that can hold its page and no others
     * (a few hundred rows, not thousands read at random from a cold file).
     * Bounds of the live orders, not exact: a deletion or a later time
     * leaves them wider, so that every writer keeps them right through the
     * triggers alone. Filled from the creation-time index, the smallest
     * that has both columns (a third of the table's reads). */
    "CREATE TABLE order_chunks ("
    "  chunk       INTEGER PRIMARY KEY,"   /* seq >> 10 */
    "  min_created INTEGER NOT NULL,"
    "  max_created INTEGER NOT NULL"
    ");"
    "INSERT INTO order_chunks (chunk, min_created, max_created)"
    "  SELECT seq >> 10, min (created_at), max (created_at)"
    "  FROM orders INDEXED BY orders_sort_created WHERE deleted = 0 GROUP BY seq >> 10;"
    "CREATE TRIGGER orders_chunk_insert AFTER INSERT ON orders WHEN NEW.deleted = 0 BEGIN"
    "  INSERT INTO order_chunks (chunk, min_created, max_created)"
    "    VALUES (NEW.seq >> 10, NEW.created_at, NEW.created_at)"
    "    ON CONFLICT (chunk) DO UPDATE SET"
    "      min_created = min (min_created, excluded.min_created),"
    "      max_created = max (max_created, excluded.max_created);"
    "END;"
    "CREATE TRIGGER orders_chunk_update AFTER UPDATE OF seq, created_at, deleted ON orders"
    "  WHEN NEW.deleted = 0 AND (NEW.seq IS NOT OLD.seq OR NEW.created_at IS NOT OLD.created_at"
    "                            OR OLD.deleted <> 0) BEGIN"
    "  INSERT INTO order_chunks (chunk, min_created, max_created)"
    "    VALUES (NEW.seq >> 10, NEW.created_at, NEW.created_at)"
    "    ON CONFLICT (chunk) DO UPDATE SET"
    "      min_created = min (min_created, excluded.min_created),"
    "      max_created = max (max_created, excluded.max_created);"
    "END;"
  },
};

const guint ord_store_n_migrations = G_N_ELEMENTS (ord_store_migrations);
