/* ISC licence: see COPYING.  The event cache's schema, as migrations. */

#include "config.h"

#include <stddef.h>

#include "store/store_int.h"

/*
 * Migration i takes the file from version i to i+1 (db.h); append new
 * ones, never edit a released one.
 *
 * Events are split in two tables.  events holds the small routing
 * columns, keyed by seq, an integer in arrival order, so that inserting
 * appends to the table's B-tree; event_raw holds the JSON as received
 * under the same seq.  A unique index on (sess, event_id) keeps an event
 * once per session, and (sess, seq) serves a session's events in log
 * order.  Measured (bench/README.md): with the raw JSON in its own table
 * the unique index costs about a fifth of the insert rate, against over
 * half with the JSON in the events rows.
 *
 * There is no column for an API key anywhere, by design.
 */
const char *const store_migrations[] = {
	/* 1: the first schema. */
	"CREATE TABLE sessions ("
	"  key            INTEGER PRIMARY KEY,"
	"  id             TEXT NOT NULL UNIQUE,"
	"  title          TEXT,"
	"  status         TEXT,"
	"  agent_id       TEXT,"
	"  agent_name     TEXT,"
	"  agent_version  INTEGER,"
	"  model          TEXT,"
	"  environment_id TEXT,"
	"  created_at     TEXT,"
	"  updated_at     TEXT,"
	"  last_event_us  INTEGER,"
	"  nevents        INTEGER NOT NULL DEFAULT 0,"
	"  raw            TEXT"
	");"
	"CREATE TABLE agents ("
	"  id             TEXT PRIMARY KEY,"
	"  version        INTEGER,"
	"  name           TEXT,"
	"  model          TEXT,"
	"  updated_at     TEXT,"
	"  raw            TEXT NOT NULL"
	");"
	"CREATE TABLE events ("
	"  seq            INTEGER PRIMARY KEY,"
	"  sess           INTEGER NOT NULL REFERENCES sessions (key),"
	"  event_id       TEXT NOT NULL,"
	"  type           TEXT NOT NULL,"
	"  processed_us   INTEGER"
	");"
	"CREATE UNIQUE INDEX events_by_id ON events (sess, event_id);"
	"CREATE INDEX events_by_session ON events (sess, seq);"
	"CREATE TABLE event_raw ("
	"  seq            INTEGER PRIMARY KEY"
	"                 REFERENCES events (seq) ON DELETE CASCADE,"
	"  raw            TEXT NOT NULL"
	");"
	"CREATE TABLE sync ("
	"  sess           INTEGER PRIMARY KEY REFERENCES sessions (key),"
	"  last_us        INTEGER,"
	"  last_processed_at TEXT,"
	"  seen_ids       TEXT,"
	"  full_history   INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE audit ("
	"  seq            INTEGER PRIMARY KEY,"
	"  time_us        INTEGER NOT NULL,"
	"  user           TEXT,"
	"  session_id     TEXT,"
	"  action         TEXT NOT NULL,"
	"  event_ids      TEXT,"
	"  detail         TEXT"
	");"
	"CREATE INDEX audit_by_session ON audit (session_id, seq);"
	"CREATE TABLE decode_errors ("
	"  seq            INTEGER PRIMARY KEY,"
	"  time_us        INTEGER NOT NULL,"
	"  session_id     TEXT,"
	"  cause          TEXT NOT NULL,"
	"  head           BLOB"
	");",
};
const size_t	store_nmigrations = AD_NITEMS(store_migrations);
