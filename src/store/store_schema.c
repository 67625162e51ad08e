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
 * A tool result also keeps, in events, the id of the use it answers and
 * its is_error (1, 0 or NULL when absent; both NULL for other types and
 * for rows stored before migration 3): a reader that folds results reads
 * no body for them (bench/README.md, "Post-mortem").
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

	/*
	 * 2: the documented views of "pilothouse query" (pilothouse(1),
	 * doc/QUERY.md).  They are the stable interface; the tables
	 * behind them may change with a migration that redefines them.
	 * Times are µs since the epoch and RFC 3339 text.
	 */
	"CREATE VIEW q_sessions AS SELECT"
	"  id, title, status, agent_id, agent_name, agent_version, model,"
	"  environment_id, created_at, updated_at, nevents AS events,"
	"  last_event_us,"
	"  strftime('%Y-%m-%dT%H:%M:%fZ', last_event_us / 1e6, 'unixepoch')"
	"    AS last_event_at"
	" FROM sessions;"
	"CREATE VIEW q_events AS SELECT"
	"  s.id AS session_id, e.seq, e.event_id, e.type,"
	"  e.processed_us,"
	"  CASE WHEN e.processed_us IS NULL THEN NULL ELSE"
	"    strftime('%Y-%m-%dT%H:%M:%fZ', e.processed_us / 1e6, 'unixepoch')"
	"  END AS processed_at,"
	"  json_extract(r.raw, '$.session_thread_id') AS thread_id,"
	"  CASE WHEN e.type IN ('agent.tool_use', 'agent.custom_tool_use')"
	"    THEN json_extract(r.raw, '$.name')"
	"    WHEN e.type = 'agent.mcp_tool_use'"
	"    THEN json_extract(r.raw, '$.mcp_server_name') || '/' ||"
	"      json_extract(r.raw, '$.name') END AS tool,"
	"  coalesce(json_extract(r.raw, '$.tool_use_id'),"
	"    json_extract(r.raw, '$.mcp_tool_use_id'),"
	"    json_extract(r.raw, '$.custom_tool_use_id')) AS tool_use_id,"
	"  json_extract(r.raw, '$.is_error') AS is_error,"
	"  r.raw AS json"
	" FROM events e JOIN sessions s ON s.key = e.sess"
	" JOIN event_raw r ON r.seq = e.seq;"
	"CREATE VIEW q_tool_calls AS"
	" WITH uses AS (SELECT * FROM q_events WHERE type IN"
	"   ('agent.tool_use', 'agent.mcp_tool_use', 'agent.custom_tool_use')),"
	" results AS (SELECT * FROM q_events WHERE type IN"
	"   ('agent.tool_result', 'agent.mcp_tool_result',"
	"    'user.custom_tool_result', 'user.tool_result')),"
	" denials AS (SELECT session_id, tool_use_id FROM q_events"
	"   WHERE type = 'user.tool_confirmation'"
	"   AND json_extract(json, '$.result') = 'deny')"
	" SELECT u.session_id, u.event_id AS use_event_id, u.tool,"
	"  u.thread_id, json_extract(u.json, '$.evaluated_permission')"
	"    AS permission,"
	"  json_extract(u.json, '$.input') AS input,"
	"  u.processed_us AS started_us, u.processed_at AS started_at,"
	"  res.event_id AS result_event_id, res.processed_us AS ended_us,"
	"  (res.processed_us - u.processed_us) / 1000.0 AS duration_ms,"
	"  CASE WHEN res.event_id IS NOT NULL THEN"
	"      CASE WHEN res.is_error THEN 'error' ELSE 'ok' END"
	"    WHEN d.tool_use_id IS NOT NULL THEN 'denied'"
	"    WHEN json_extract(u.json, '$.evaluated_permission') = 'deny'"
	"    THEN 'denied'"
	"    ELSE 'pending' END AS outcome"
	" FROM uses u"
	" LEFT JOIN results res ON res.session_id = u.session_id"
	"   AND res.tool_use_id = u.event_id"
	" LEFT JOIN denials d ON d.session_id = u.session_id"
	"   AND d.tool_use_id = u.event_id;"
	"CREATE VIEW q_confirmations AS SELECT"
	"  c.session_id, c.event_id, c.tool_use_id,"
	"  json_extract(c.json, '$.result') AS result,"
	"  json_extract(c.json, '$.deny_message') AS deny_message,"
	"  c.processed_us, c.processed_at,"
	"  (SELECT u.tool FROM q_events u WHERE u.session_id = c.session_id"
	"    AND u.event_id = c.tool_use_id) AS tool"
	" FROM q_events c WHERE c.type = 'user.tool_confirmation';"
	"CREATE VIEW q_usage AS SELECT"
	"  session_id, event_id, processed_us, processed_at, thread_id,"
	"  json_extract(json, '$.model_request_start_id') AS start_event_id,"
	"  json_extract(json, '$.is_error') AS is_error,"
	"  json_extract(json, '$.model_usage.input_tokens') AS input_tokens,"
	"  json_extract(json, '$.model_usage.output_tokens') AS output_tokens,"
	"  json_extract(json, '$.model_usage.cache_read_input_tokens')"
	"    AS cache_read_tokens,"
	"  json_extract(json, '$.model_usage.cache_creation_input_tokens')"
	"    AS cache_creation_tokens"
	" FROM q_events WHERE type = 'span.model_request_end';",

	/*
	 * 3: a result's tool_use_id and is_error as columns (store_event.c).
	 * Adding columns rewrites no row; old rows keep NULL and readers
	 * fall back to the body (api_event_head).  The views still read the
	 * bodies, so their output stays as documented whatever the row's
	 * age.
	 */
	"ALTER TABLE events ADD COLUMN tool_use_id TEXT;"
	"ALTER TABLE events ADD COLUMN is_error INTEGER;",
};
const size_t	store_nmigrations = AD_NITEMS(store_migrations);
