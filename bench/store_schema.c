/* ISC licence: see COPYING.  Benchmark: candidate layouts for the event
 * table, inserting the bench_gen workload in batched transactions (WAL,
 * synchronous=NORMAL) the way the store's writer does, to choose how the
 * arrival order and the per-session uniqueness of event ids are kept. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xmalloc.h"
#include "store/db.h"
#include "wire/api_event.h"
#include "bench_gen.h"

struct layout {
	const char	*name;
	const char	*schema;
	/* ?1 sess, ?2 id, ?3 type, ?4 us, ?5 raw, ?6 id hash or seq */
	const char	*insert;
	const char	*insert2;	/* a second statement, or NULL */
};

static const struct layout layouts[] = {
	{ "no index (floor)",
	  "CREATE TABLE e (seq INTEGER PRIMARY KEY, sess INTEGER, id TEXT,"
	  " type TEXT, us INTEGER, raw TEXT)",
	  "INSERT INTO e (sess, id, type, us, raw) VALUES (?1,?2,?3,?4,?5)",
	  NULL },
	{ "unique (sess, id text)",
	  "CREATE TABLE e (seq INTEGER PRIMARY KEY, sess INTEGER, id TEXT,"
	  " type TEXT, us INTEGER, raw TEXT);"
	  "CREATE UNIQUE INDEX e_id ON e (sess, id)",
	  "INSERT OR IGNORE INTO e (sess, id, type, us, raw) "
	  "VALUES (?1,?2,?3,?4,?5)", NULL },
	{ "unique (sess, id text) + (sess, seq)",
	  "CREATE TABLE e (seq INTEGER PRIMARY KEY, sess INTEGER, id TEXT,"
	  " type TEXT, us INTEGER, raw TEXT);"
	  "CREATE UNIQUE INDEX e_id ON e (sess, id);"
	  "CREATE INDEX e_seq ON e (sess, seq)",
	  "INSERT OR IGNORE INTO e (sess, id, type, us, raw) "
	  "VALUES (?1,?2,?3,?4,?5)", NULL },
	{ "unique (sess, id hash) + (sess, seq)",
	  "CREATE TABLE e (seq INTEGER PRIMARY KEY, sess INTEGER, id TEXT,"
	  " idh INTEGER, type TEXT, us INTEGER, raw TEXT);"
	  "CREATE UNIQUE INDEX e_id ON e (sess, idh);"
	  "CREATE INDEX e_seq ON e (sess, seq)",
	  "INSERT OR IGNORE INTO e (sess, id, idh, type, us, raw) "
	  "VALUES (?1,?2,?6,?3,?4,?5)", NULL },
	{ "unique (sess, id text) + (sess, seq), raw apart",
	  "CREATE TABLE e (seq INTEGER PRIMARY KEY, sess INTEGER, id TEXT,"
	  " type TEXT, us INTEGER);"
	  "CREATE TABLE r (seq INTEGER PRIMARY KEY, raw TEXT);"
	  "CREATE UNIQUE INDEX e_id ON e (sess, id);"
	  "CREATE INDEX e_seq ON e (sess, seq)",
	  "INSERT OR IGNORE INTO e (sess, id, type, us) VALUES (?1,?2,?3,?4)",
	  "INSERT INTO r (seq, raw) VALUES (last_insert_rowid(), ?5)" },
	{ "ids(hash pk, seq) + (sess, seq)",
	  "CREATE TABLE e (seq INTEGER PRIMARY KEY, sess INTEGER, id TEXT,"
	  " type TEXT, us INTEGER, raw TEXT);"
	  "CREATE TABLE ids (h INTEGER PRIMARY KEY, seq INTEGER);"
	  "CREATE INDEX e_seq ON e (sess, seq)",
	  "INSERT INTO e (sess, id, type, us, raw) VALUES (?1,?2,?3,?4,?5)",
	  "INSERT INTO ids (h, seq) VALUES (?6, last_insert_rowid())" },
	{ "WITHOUT ROWID pk (sess, id) + (sess, seq)",
	  "CREATE TABLE e (sess INTEGER, id TEXT, seq INTEGER, type TEXT,"
	  " us INTEGER, raw TEXT, PRIMARY KEY (sess, id)) WITHOUT ROWID;"
	  "CREATE INDEX e_seq ON e (sess, seq)",
	  "INSERT OR IGNORE INTO e (sess, id, seq, type, us, raw) "
	  "VALUES (?1,?2,?6,?3,?4,?5)", NULL },
};

struct sample {
	struct api_event	*ev;
	int64_t			 idh;
};

/* FNV-1a of the id: a stand-in for any 64-bit hash. */
static int64_t
hash_id(const char *s)
{
	uint64_t	h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (int64_t)(h >> 1);
}

#define ROUNDS	3

/* Order doubles for qsort. */
static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Insert every sample in batches; returns events per second. */
static double
run(const struct layout *l, struct sample *s, size_t n, size_t batch,
    int sessions, const char *pragmas, const char *dir)
{
	struct db	*db;
	sqlite3_stmt	*st, *st2 = NULL;
	char		*path, *cause = NULL, *wal;
	const char	*mig[1];
	int64_t		 t0, dt;

	xasprintf(&path, "%s/schema.db", dir);
	xasprintf(&wal, "%s-wal", path);
	unlink(path);
	unlink(wal);
	mig[0] = l->schema;
	if ((db = db_open(path, mig, 1, 0, &cause)) == NULL)
		fatalx("%s", cause);
	if (pragmas != NULL && db_exec(db, pragmas, &cause) != 0)
		fatalx("%s", cause);
	st = db_prepare(db, l->insert, &cause);
	if (st == NULL || (l->insert2 != NULL &&
	    (st2 = db_prepare(db, l->insert2, &cause)) == NULL))
		fatalx("%s", cause);
	t0 = clock_mono_us();
	for (size_t i = 0; i < n; i++) {
		struct api_event	*ev = s[i].ev;

		if (i % batch == 0 && db_begin(db, &cause) != 0)
			fatalx("%s", cause);
		sqlite3_bind_int64(st, 1, (int64_t)(i % (size_t)sessions));
		db_bind_text(st, 2, ev->id);
		db_bind_text(st, 3, ev->type_name);
		sqlite3_bind_int64(st, 4, ev->processed_us);
		db_bind_textn(st, 5, ev->raw, ev->rawlen);
		sqlite3_bind_int64(st, 6, strstr(l->name, "WITHOUT") ?
		    (int64_t)i : s[i].idh);
		if (db_step_done(db, st, &cause) != 0)
			fatalx("%s", cause);
		if (st2 != NULL) {
			if (strstr(l->insert2, "?5"))
				db_bind_textn(st2, 1, ev->raw, ev->rawlen);
			else
				sqlite3_bind_int64(st2, 1, s[i].idh);
			if (db_step_done(db, st2, &cause) != 0)
				fatalx("%s", cause);
		}
		if ((i + 1) % batch == 0 || i + 1 == n)
			if (db_commit(db, &cause) != 0)
				fatalx("%s", cause);
	}
	dt = clock_mono_us() - t0;
	sqlite3_finalize(st);
	sqlite3_finalize(st2);
	db_close(db);
	unlink(path);
	unlink(wal);
	free(path);
	free(wal);
	return (double)n / ((double)dt / 1e6);
}

int
main(int argc, char **argv)
{
	struct bench_gen	 g;
	struct buf		 b;
	struct sample		*s;
	size_t			 n = 200000;
	char			 tmpl[] = "/tmp/ph-bench.XXXXXX", *cause = NULL;
	static const size_t	 batches[] = { 2000 };
	static const int	 nsess[] = { 1, 1000 };
	static const char	*pragmas[] = { NULL,
	    "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 10000" };
	const char		*only = argc > 2 ? argv[2] : NULL;

	if (argc > 1)
		n = strtoul(argv[1], NULL, 10);
	if (mkdtemp(tmpl) == NULL)
		fatal("mkdtemp");
	bench_gen_init(&g, 7);
	buf_init(&b, BUF_UNBOUNDED);
	s = xcalloc(n, sizeof *s);
	for (size_t i = 0; i < n; i++) {
		bench_gen_next(&g, &b);
		/* Event ids as the API makes them: random, not sorted. */
		if ((s[i].ev = api_event_parse(b.data, b.len, &cause)) == NULL)
			fatalx("%s", cause);
		for (char *p = s[i].ev->id + 9; *p != '\0'; p++)
			*p = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl"
			    "mnopqrstuvwxyz"[(size_t)random() % 62];
		s[i].idh = hash_id(s[i].ev->id);
	}
	buf_clear(&b);
	printf("%zu events\n", n);
	/* Rounds alternate the layouts (A B C A B C ...): report medians. */
	for (size_t pi = 0; pi < AD_NITEMS(pragmas); pi++)
	for (size_t si = 0; si < AD_NITEMS(nsess); si++)
	for (size_t bi = 0; bi < AD_NITEMS(batches); bi++) {
		double	r[AD_NITEMS(layouts)][ROUNDS];

		for (int k = 0; k < ROUNDS; k++)
			for (size_t li = 0; li < AD_NITEMS(layouts); li++)
				if (only == NULL ||
				    strstr(layouts[li].name, only) != NULL)
					r[li][k] = run(&layouts[li], s, n,
					    batches[bi], nsess[si],
					    pragmas[pi], tmpl);
		for (size_t li = 0; li < AD_NITEMS(layouts); li++) {
			if (only != NULL &&
			    strstr(layouts[li].name, only) == NULL)
				continue;
			qsort(r[li], ROUNDS, sizeof r[li][0], cmp_double);
			printf("%-44s %s sessions %4d batch %5zu: %7.0f "
			    "events/s (median of %d)\n", layouts[li].name,
			    pragmas[pi] ? "64M+ckpt" : "defaults",
			    nsess[si], batches[bi], r[li][ROUNDS / 2], ROUNDS);
		}
		fflush(stdout);
	}
	for (size_t i = 0; i < n; i++)
		api_event_free(s[i].ev);
	free(s);
	rmdir(tmpl);
	return 0;
}
