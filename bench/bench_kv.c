/* bench_kv.c - SynaDB against LMDB, LevelDB, RocksDB and SQLite, single thread, one run.
 *
 * Build and run (bench/run.sh does this; `make bench` calls bench/run.sh):
 *   cc -std=c99 -O2 bench/bench_kv.c -o build/bench_kv \
 *      -llmdb -lleveldb -lrocksdb -lsqlite3 -lpthread -lm
 *   build/bench_kv [-n keys] [-r reps] [-e synadb,lmdb,...] [DIR]
 *   (DIR default /tmp/synadb-bench; -e runs a subset of the engines, default all; only the
 *   engines' own subdirectories of DIR are created and wiped)
 *
 * WORKLOAD (identical for every engine; all random streams come from fixed seeds)
 *   Keys      16 bytes, "key%013llu" (fixed length), ids 0..N-1, N = 1,000,000.
 *   Values    64 bytes: 8-byte little-endian key id, then 56 random bytes (unique per put,
 *             incompressible). The id prefix lets every read be checked.
 *   put       N new keys inserted in a shuffled order (Fisher-Yates permutation of the ids;
 *             sequential inserts would flatter the B-trees and LSM trees), no sync.
 *   get       N gets of uniformly random loaded keys. Every result is checked (found, 64
 *             bytes, id prefix matches) and every 64th is compared byte for byte with what
 *             was written; a mismatch marks the engine INVALID.
 *   YCSB      A: 50% read / 50% update, B: 95/5, C: 100% read; N operations each over the
 *             loaded keys. Key choice is UNIFORM (YCSB's default is zipfian; uniform is the
 *             harder case for caches). An update rewrites the whole 64-byte value.
 *   put_fsync 1,000 puts of new keys, each durable before the call returns, into the
 *             loaded database (closed and reopened with durable settings, untimed).
 *   history   SynaDB: 1,000,000 float values of one key, written once with one
 *             synadb_put_floats_batch call ("history_batch") and once with 1,000,000
 *             synadb_put_float calls ("history_puts"); synadb_history_floats is timed.
 *             The peers have no per-key history: their analogue is a range scan of 1M keys
 *             "series/%08d" holding one double each (LMDB cursor, LevelDB/RocksDB iterator,
 *             SQLite SELECT ... ORDER BY k), materialised into a freshly malloc'd array as
 *             synadb_history_floats does. Throughput is GB/s of output doubles (8 MB / t).
 *
 * ENGINE SETTINGS (closest equivalents; everything else is the library default)
 *   SynaDB   put/get: default config (records land in a shared mapping of the file: a
 *            process crash loses nothing, no fsync). put_fsync: sync_on_write = 1.
 *            Reads use synadb_get_bytes_into (copies into the caller's buffer).
 *   LMDB     put: one write transaction per put, MDB_NOSYNC | MDB_WRITEMAP, map size 4 GiB.
 *            get: one read transaction per get (mdb_txn_renew / mdb_txn_reset of one handle)
 *            and the value copied out. put_fsync: MDB_WRITEMAP only (sync on every commit).
 *   LevelDB  default options (4 MB write buffer, snappy), one Put per key with sync=false;
 *            put_fsync: sync=true. leveldb_get returns a malloc'd copy (the C API has
 *            nothing else), freed with leveldb_free.
 *   RocksDB  default options, one Put per key, sync=false; put_fsync: sync=true.
 *            Gets use rocksdb_get_pinned (no malloc) and copy the value out.
 *   SQLite   table kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID, journal_mode=WAL,
 *            synchronous=OFF, prepared INSERT OR REPLACE / SELECT, one statement per
 *            operation in autocommit. put_fsync: synchronous=FULL. Default page cache.
 *
 * MEASUREMENT
 *   Every timed phase runs R = 3 times and the median is reported (a fresh database for
 *   every put repetition; sync(2) before each put and put_fsync repetition so that one
 *   engine's writeback does not land in another one's timing). CLOCK_MONOTONIC. Opening,
 *   closing and reopening are not timed. A checksum of the values read is printed so the
 *   reads cannot be optimised away. The build is plain -O2 (no -march=native) so that the
 *   numbers reflect a portable build.
 *   Disk size: the sum of the allocated blocks (du) of the engine's directory after the
 *   put phase and a close; for SynaDB also the file size after close. (LMDB with
 *   MDB_WRITEMAP extends its file to the map size, sparse: its apparent size is not its
 *   footprint, so du is used for everyone.) SynaDB's index memory is stats.index_bytes;
 *   its RSS growth during the first put repetition is read from /proc/self/statm (it
 *   includes the pages of the shared file mapping the puts touched; "anon" excludes them).
 *   Float series: 1,000,000 points of a slow random walk x += N(0, 0.05) rounded to 2
 *   decimals, starting at 20.0, key "temperature", stored four ways; bytes per point =
 *   (file size after close - 64-byte header) / 1,000,000.
 *
 * OUTPUT: progress lines, then tables, then one line per comparison
 *   ratio <metric> synadb/<peer> <synadb throughput / peer throughput>
 * and the targets of the issue as "target ... PASS|FAIL" lines.
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <math.h>
#include <time.h>
#include <errno.h>
#include <ftw.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <lmdb.h>
#include <leveldb/c.h>
#include <rocksdb/c.h>
#include <sqlite3.h>
#include "bench_util.h"

#define KEY_LEN 16
#define VAL_LEN 64
#define FSYNC_PUTS 1000
#define SERIES_N 1000000
#define MAX_REPS 15
#define ORIGINAL_PUTS 139000.0 /* the original SynaDB, from the issue */
#define ORIGINAL_GETS 135000.0

static size_t N = 1000000;   /* keys (and operations per read/YCSB phase) */
static int REPS = 3;
static const char *ROOT = "/tmp/synadb-bench";

/* ------------------------------------------------------------------ utilities */
static uint64_t rng_state;
static uint64_t rnd(void) { /* splitmix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static uint64_t rnd_below(uint64_t n) { return (uint64_t)(((unsigned __int128)rnd() * n) >> 64); }
static double rnd_normal(void) { /* Box-Muller */
    double u1 = ((double)(rnd() >> 11) + 1.0) * (1.0 / 9007199254740993.0);
    double u2 = (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}
static void die(const char *fmt, const char *a, const char *b) {
    fprintf(stderr, "bench_kv: ");
    fprintf(stderr, fmt, a ? a : "", b ? b : "");
    fprintf(stderr, "\n");
    exit(1);
}
static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory%s%s", NULL, NULL);
    return p;
}
static void make_key(char *dst, uint64_t id) {
    char tmp[32];
    snprintf(tmp, sizeof tmp, "key%013llu", (unsigned long long)id);
    memcpy(dst, tmp, KEY_LEN);
}
static void put_le64(unsigned char *p, uint64_t v) { int i; for (i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static uint64_t get_le64(const unsigned char *p) { uint64_t v = 0; int i; for (i = 7; i >= 0; i--) v = (v << 8) | p[i]; return v; }

/* directory handling */
static int rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}
static void wipe(const char *dir) {
    struct stat st;
    if (stat(dir, &st) == 0) nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}
static void mkdirs(const char *dir) {
    char tmp[4096];
    size_t i, n = strlen(dir);
    if (n >= sizeof tmp) die("path too long: %s%s", dir, NULL);
    memcpy(tmp, dir, n + 1);
    for (i = 1; i <= n; i++)
        if (tmp[i] == '/' || tmp[i] == 0) {
            char c = tmp[i];
            tmp[i] = 0;
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST) die("mkdir %s: %s", tmp, strerror(errno));
            tmp[i] = c;
        }
}
static uint64_t du_blocks, du_apparent;
static int du_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)path; (void)ftw;
    if (flag == FTW_F) { du_blocks += (uint64_t)sb->st_blocks * 512; du_apparent += (uint64_t)sb->st_size; }
    return 0;
}
static uint64_t dir_du(const char *dir, uint64_t *apparent) {
    du_blocks = du_apparent = 0;
    nftw(dir, du_cb, 16, FTW_PHYS);
    if (apparent) *apparent = du_apparent;
    return du_blocks;
}
static uint64_t file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}
static void statm(uint64_t *resident, uint64_t *shared) {
    unsigned long long size = 0, res = 0, shr = 0;
    long page = sysconf(_SC_PAGESIZE);
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) { if (fscanf(f, "%llu %llu %llu", &size, &res, &shr) != 3) res = shr = 0; fclose(f); }
    *resident = (uint64_t)res * (uint64_t)page;
    *shared = (uint64_t)shr * (uint64_t)page;
}

/* ------------------------------------------------------------------ engines */
typedef struct engine {
    const char *name;
    /* durable = 0: the fast settings; 1: every write flushed to the device */
    int (*open)(const char *dir, int durable);
    void (*close)(void);
    int (*put)(const char *k, const void *v, size_t vlen);
    /* 0 found (value copied into buf, *len set), 1 not found, negative on error */
    int (*get)(const char *k, void *buf, size_t cap, size_t *len);
    /* series of one double per key, keys given in ascending order (untimed bulk load) */
    int (*series_load)(const char *keys, size_t klen, const double *v, size_t n);
    /* range scan from "series/": the doubles, in key order, into a malloc'd array */
    int (*series_scan)(double **out, size_t *n);
} engine;

static char errbuf[1024];

/* ---- SynaDB ---- */
static synadb_db *sy;
static int sy_open(const char *dir, int durable) {
    char path[4200];
    synadb_config cfg = synadb_config_default();
    cfg.sync_on_write = durable;
    snprintf(path, sizeof path, "%s/synadb.db", dir);
    if (synadb_open_ex(path, &cfg, &sy, errbuf, sizeof errbuf) != SYNADB_OK) { fprintf(stderr, "synadb open: %s\n", errbuf); return -1; }
    return 0;
}
static void sy_close(void) { synadb_close(sy); sy = NULL; }
static int sy_put(const char *k, const void *v, size_t vlen) {
    return synadb_put_bytes(sy, k, KEY_LEN, v, vlen) == SYNADB_OK ? 0 : -1;
}
static int sy_get(const char *k, void *buf, size_t cap, size_t *len) {
    synadb_result r = synadb_get_bytes_into(sy, k, KEY_LEN, buf, cap, len);
    return r == SYNADB_OK ? 0 : r == SYNADB_ERR_KEY_NOT_FOUND ? 1 : -1;
}

/* ---- LMDB ---- */
static MDB_env *lm_env;
static MDB_dbi lm_dbi;
static MDB_txn *lm_rtxn;
static int lm_open(const char *dir, int durable) {
    MDB_txn *t;
    int rc = mdb_env_create(&lm_env);
    if (!rc) rc = mdb_env_set_mapsize(lm_env, (size_t)4 << 30);
    if (!rc) rc = mdb_env_open(lm_env, dir, durable ? MDB_WRITEMAP : (MDB_NOSYNC | MDB_WRITEMAP), 0644);
    if (!rc) rc = mdb_txn_begin(lm_env, NULL, 0, &t);
    if (!rc) { rc = mdb_dbi_open(t, NULL, 0, &lm_dbi); if (!rc) rc = mdb_txn_commit(t); else mdb_txn_abort(t); }
    if (!rc) rc = mdb_txn_begin(lm_env, NULL, MDB_RDONLY, &lm_rtxn);
    if (!rc) mdb_txn_reset(lm_rtxn);
    if (rc) { fprintf(stderr, "lmdb open: %s\n", mdb_strerror(rc)); return -1; }
    return 0;
}
static void lm_close(void) {
    if (lm_rtxn) mdb_txn_abort(lm_rtxn);
    lm_rtxn = NULL;
    mdb_env_close(lm_env);
    lm_env = NULL;
}
static int lm_put(const char *k, const void *v, size_t vlen) {
    MDB_txn *t;
    MDB_val key, val;
    int rc = mdb_txn_begin(lm_env, NULL, 0, &t);
    if (rc) return -1;
    key.mv_data = (void *)k; key.mv_size = KEY_LEN;
    val.mv_data = (void *)v; val.mv_size = vlen;
    rc = mdb_put(t, lm_dbi, &key, &val, 0);
    if (rc) { mdb_txn_abort(t); return -1; }
    return mdb_txn_commit(t) ? -1 : 0;
}
static int lm_get(const char *k, void *buf, size_t cap, size_t *len) {
    MDB_val key, val;
    int rc, ret;
    if (mdb_txn_renew(lm_rtxn)) return -1;
    key.mv_data = (void *)k; key.mv_size = KEY_LEN;
    rc = mdb_get(lm_rtxn, lm_dbi, &key, &val);
    if (rc == MDB_NOTFOUND) ret = 1;
    else if (rc || val.mv_size > cap) ret = -1;
    else { memcpy(buf, val.mv_data, val.mv_size); *len = val.mv_size; ret = 0; }
    mdb_txn_reset(lm_rtxn);
    return ret;
}
static int lm_series_load(const char *keys, size_t klen, const double *v, size_t n) {
    MDB_txn *t;
    MDB_val key, val;
    size_t i;
    int rc = mdb_txn_begin(lm_env, NULL, 0, &t);
    for (i = 0; i < n && !rc; i++) {
        key.mv_data = (void *)(keys + i * klen); key.mv_size = klen;
        val.mv_data = (void *)(v + i); val.mv_size = 8;
        rc = mdb_put(t, lm_dbi, &key, &val, MDB_APPEND);
    }
    if (rc) { mdb_txn_abort(t); return -1; }
    return mdb_txn_commit(t) ? -1 : 0;
}
static int lm_series_scan(double **out, size_t *n) {
    MDB_txn *t;
    MDB_cursor *c;
    MDB_val key, val;
    size_t cap = SERIES_N, cnt = 0;
    double *a = (double *)xmalloc(cap * sizeof *a);
    int rc = mdb_txn_begin(lm_env, NULL, MDB_RDONLY, &t);
    if (rc) return -1;
    mdb_cursor_open(t, lm_dbi, &c);
    key.mv_data = (void *)"series/"; key.mv_size = 7;
    for (rc = mdb_cursor_get(c, &key, &val, MDB_SET_RANGE); rc == 0; rc = mdb_cursor_get(c, &key, &val, MDB_NEXT)) {
        if (key.mv_size < 7 || memcmp(key.mv_data, "series/", 7) != 0) break;
        if (cnt == cap) { cap *= 2; a = (double *)realloc(a, cap * sizeof *a); if (!a) return -1; }
        memcpy(&a[cnt++], val.mv_data, 8);
    }
    mdb_cursor_close(c);
    mdb_txn_abort(t);
    *out = a; *n = cnt;
    return 0;
}

/* ---- LevelDB ---- */
static leveldb_t *ld;
static leveldb_options_t *ld_opt;
static leveldb_writeoptions_t *ld_wo;
static leveldb_readoptions_t *ld_ro;
static int ld_open(const char *dir, int durable) {
    char *err = NULL;
    ld_opt = leveldb_options_create();
    leveldb_options_set_create_if_missing(ld_opt, 1);
    ld_wo = leveldb_writeoptions_create();
    leveldb_writeoptions_set_sync(ld_wo, (unsigned char)durable);
    ld_ro = leveldb_readoptions_create();
    ld = leveldb_open(ld_opt, dir, &err);
    if (err) { fprintf(stderr, "leveldb open: %s\n", err); leveldb_free(err); return -1; }
    return 0;
}
static void ld_close(void) {
    leveldb_close(ld);
    leveldb_options_destroy(ld_opt);
    leveldb_writeoptions_destroy(ld_wo);
    leveldb_readoptions_destroy(ld_ro);
    ld = NULL;
}
static int ld_put(const char *k, const void *v, size_t vlen) {
    char *err = NULL;
    leveldb_put(ld, ld_wo, k, KEY_LEN, (const char *)v, vlen, &err);
    if (err) { leveldb_free(err); return -1; }
    return 0;
}
static int ld_get(const char *k, void *buf, size_t cap, size_t *len) {
    char *err = NULL;
    size_t vl = 0;
    char *v = leveldb_get(ld, ld_ro, k, KEY_LEN, &vl, &err);
    if (err) { leveldb_free(err); return -1; }
    if (!v) return 1;
    if (vl > cap) { leveldb_free(v); return -1; }
    memcpy(buf, v, vl);
    *len = vl;
    leveldb_free(v);
    return 0;
}
static int ld_series_load(const char *keys, size_t klen, const double *v, size_t n) {
    size_t i;
    char *err = NULL;
    leveldb_writebatch_t *b = leveldb_writebatch_create();
    for (i = 0; i < n && !err; i++) {
        leveldb_writebatch_put(b, keys + i * klen, klen, (const char *)(v + i), 8);
        if ((i + 1) % 10000 == 0 || i + 1 == n) { leveldb_write(ld, ld_wo, b, &err); leveldb_writebatch_clear(b); }
    }
    leveldb_writebatch_destroy(b);
    if (err) { leveldb_free(err); return -1; }
    return 0;
}
static int ld_series_scan(double **out, size_t *n) {
    size_t cap = SERIES_N, cnt = 0, kl, vl;
    double *a = (double *)xmalloc(cap * sizeof *a);
    leveldb_iterator_t *it = leveldb_create_iterator(ld, ld_ro);
    for (leveldb_iter_seek(it, "series/", 7); leveldb_iter_valid(it); leveldb_iter_next(it)) {
        const char *k = leveldb_iter_key(it, &kl), *v = leveldb_iter_value(it, &vl);
        if (kl < 7 || memcmp(k, "series/", 7) != 0) break;
        if (cnt == cap) { cap *= 2; a = (double *)realloc(a, cap * sizeof *a); if (!a) return -1; }
        memcpy(&a[cnt++], v, 8);
    }
    leveldb_iter_destroy(it);
    *out = a; *n = cnt;
    return 0;
}

/* ---- RocksDB ---- */
static rocksdb_t *rd;
static rocksdb_options_t *rd_opt;
static rocksdb_writeoptions_t *rd_wo;
static rocksdb_readoptions_t *rd_ro;
static int rd_open(const char *dir, int durable) {
    char *err = NULL;
    rd_opt = rocksdb_options_create();
    rocksdb_options_set_create_if_missing(rd_opt, 1);
    rd_wo = rocksdb_writeoptions_create();
    rocksdb_writeoptions_set_sync(rd_wo, (unsigned char)durable);
    rd_ro = rocksdb_readoptions_create();
    rd = rocksdb_open(rd_opt, dir, &err);
    if (err) { fprintf(stderr, "rocksdb open: %s\n", err); rocksdb_free(err); return -1; }
    return 0;
}
static void rd_close(void) {
    rocksdb_close(rd);
    rocksdb_options_destroy(rd_opt);
    rocksdb_writeoptions_destroy(rd_wo);
    rocksdb_readoptions_destroy(rd_ro);
    rd = NULL;
}
static int rd_put(const char *k, const void *v, size_t vlen) {
    char *err = NULL;
    rocksdb_put(rd, rd_wo, k, KEY_LEN, (const char *)v, vlen, &err);
    if (err) { rocksdb_free(err); return -1; }
    return 0;
}
static int rd_get(const char *k, void *buf, size_t cap, size_t *len) {
    char *err = NULL;
    size_t vl = 0;
    const char *v;
    rocksdb_pinnableslice_t *ps = rocksdb_get_pinned(rd, rd_ro, k, KEY_LEN, &err);
    if (err) { rocksdb_free(err); return -1; }
    if (!ps) return 1;
    v = rocksdb_pinnableslice_value(ps, &vl);
    if (!v || vl > cap) { rocksdb_pinnableslice_destroy(ps); return v ? -1 : 1; }
    memcpy(buf, v, vl);
    *len = vl;
    rocksdb_pinnableslice_destroy(ps);
    return 0;
}
static int rd_series_load(const char *keys, size_t klen, const double *v, size_t n) {
    size_t i;
    char *err = NULL;
    rocksdb_writebatch_t *b = rocksdb_writebatch_create();
    for (i = 0; i < n && !err; i++) {
        rocksdb_writebatch_put(b, keys + i * klen, klen, (const char *)(v + i), 8);
        if ((i + 1) % 10000 == 0 || i + 1 == n) { rocksdb_write(rd, rd_wo, b, &err); rocksdb_writebatch_clear(b); }
    }
    rocksdb_writebatch_destroy(b);
    if (err) { rocksdb_free(err); return -1; }
    return 0;
}
static int rd_series_scan(double **out, size_t *n) {
    size_t cap = SERIES_N, cnt = 0, kl, vl;
    double *a = (double *)xmalloc(cap * sizeof *a);
    rocksdb_iterator_t *it = rocksdb_create_iterator(rd, rd_ro);
    for (rocksdb_iter_seek(it, "series/", 7); rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
        const char *k = rocksdb_iter_key(it, &kl), *v = rocksdb_iter_value(it, &vl);
        if (kl < 7 || memcmp(k, "series/", 7) != 0) break;
        if (cnt == cap) { cap *= 2; a = (double *)realloc(a, cap * sizeof *a); if (!a) return -1; }
        memcpy(&a[cnt++], v, 8);
    }
    rocksdb_iter_destroy(it);
    *out = a; *n = cnt;
    return 0;
}

/* ---- SQLite ---- */
static sqlite3 *sq;
static sqlite3_stmt *sq_ins, *sq_sel;
static int sq_exec(const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(sq, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "sqlite: %s: %s\n", sql, err ? err : "?");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}
static int sq_open(const char *dir, int durable) {
    char path[4200];
    snprintf(path, sizeof path, "%s/sqlite.db", dir);
    if (sqlite3_open(path, &sq) != SQLITE_OK) { fprintf(stderr, "sqlite open: %s\n", sqlite3_errmsg(sq)); return -1; }
    if (sq_exec("PRAGMA journal_mode=WAL") || sq_exec(durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF") ||
        sq_exec("CREATE TABLE IF NOT EXISTS kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID") ||
        sq_exec("CREATE TABLE IF NOT EXISTS series(k BLOB PRIMARY KEY, v REAL) WITHOUT ROWID"))
        return -1;
    if (sqlite3_prepare_v2(sq, "INSERT OR REPLACE INTO kv(k, v) VALUES(?, ?)", -1, &sq_ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(sq, "SELECT v FROM kv WHERE k = ?", -1, &sq_sel, NULL) != SQLITE_OK) {
        fprintf(stderr, "sqlite prepare: %s\n", sqlite3_errmsg(sq));
        return -1;
    }
    return 0;
}
static void sq_close(void) {
    sqlite3_finalize(sq_ins);
    sqlite3_finalize(sq_sel);
    sqlite3_close(sq);
    sq = NULL;
}
static int sq_put(const char *k, const void *v, size_t vlen) {
    int rc;
    sqlite3_bind_blob(sq_ins, 1, k, KEY_LEN, SQLITE_STATIC);
    sqlite3_bind_blob(sq_ins, 2, v, (int)vlen, SQLITE_STATIC);
    rc = sqlite3_step(sq_ins);
    sqlite3_reset(sq_ins);
    return rc == SQLITE_DONE ? 0 : -1;
}
static int sq_get(const char *k, void *buf, size_t cap, size_t *len) {
    int rc, ret;
    sqlite3_bind_blob(sq_sel, 1, k, KEY_LEN, SQLITE_STATIC);
    rc = sqlite3_step(sq_sel);
    if (rc == SQLITE_ROW) {
        const void *v = sqlite3_column_blob(sq_sel, 0);
        size_t vl = (size_t)sqlite3_column_bytes(sq_sel, 0);
        if (vl > cap) ret = -1;
        else { memcpy(buf, v, vl); *len = vl; ret = 0; }
    } else ret = rc == SQLITE_DONE ? 1 : -1;
    sqlite3_reset(sq_sel);
    return ret;
}
static int sq_series_load(const char *keys, size_t klen, const double *v, size_t n) {
    sqlite3_stmt *st;
    size_t i;
    int rc = SQLITE_DONE;
    if (sq_exec("BEGIN")) return -1;
    if (sqlite3_prepare_v2(sq, "INSERT INTO series(k, v) VALUES(?, ?)", -1, &st, NULL) != SQLITE_OK) return -1;
    for (i = 0; i < n && rc == SQLITE_DONE; i++) {
        sqlite3_bind_blob(st, 1, keys + i * klen, (int)klen, SQLITE_STATIC);
        sqlite3_bind_double(st, 2, v[i]);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return -1;
    return sq_exec("COMMIT");
}
static int sq_series_scan(double **out, size_t *n) {
    sqlite3_stmt *st;
    size_t cap = SERIES_N, cnt = 0;
    double *a = (double *)xmalloc(cap * sizeof *a);
    if (sqlite3_prepare_v2(sq, "SELECT v FROM series WHERE k >= CAST('series/' AS BLOB) ORDER BY k", -1, &st, NULL) != SQLITE_OK) return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (cnt == cap) { cap *= 2; a = (double *)realloc(a, cap * sizeof *a); if (!a) return -1; }
        a[cnt++] = sqlite3_column_double(st, 0);
    }
    sqlite3_finalize(st);
    *out = a; *n = cnt;
    return 0;
}

static engine engines[] = {
    {"synadb", sy_open, sy_close, sy_put, sy_get, NULL, NULL},
    {"lmdb", lm_open, lm_close, lm_put, lm_get, lm_series_load, lm_series_scan},
    {"leveldb", ld_open, ld_close, ld_put, ld_get, ld_series_load, ld_series_scan},
    {"rocksdb", rd_open, rd_close, rd_put, rd_get, rd_series_load, rd_series_scan},
    {"sqlite", sq_open, sq_close, sq_put, sq_get, sq_series_load, sq_series_scan},
};
#define NENG ((int)(sizeof engines / sizeof engines[0]))
static int enabled[NENG];

/* ------------------------------------------------------------------ workload */
enum { PH_PUT, PH_GET, PH_YA, PH_YB, PH_YC, PH_FSYNC, PH_HIST_BATCH, PH_HIST_PUTS, NPH };
static const char *ph_metric[NPH] = {"put", "get", "ycsb_a", "ycsb_b", "ycsb_c", "put_fsync", "history_batch", "history_puts"};
static const char *ph_label[NPH] = {"put (new keys, shuffled)", "random get (uniform)", "YCSB-A 50r/50u", "YCSB-B 95r/5u",
                                    "YCSB-C 100r", "put + fsync each (1000)", "history, batch-written", "history, 1M puts"};

typedef struct stream {      /* a pre-materialised operation stream, read sequentially */
    char *keys;              /* n x KEY_LEN */
    uint32_t *ids;           /* key id; bit 31 set = update */
    size_t n;
} stream;
static stream s_put, s_get, s_ycsb[3], s_fsync[MAX_REPS];
static unsigned char *vals;  /* N x VAL_LEN: value of put number i (id prefix) */
static uint32_t *put_pos;    /* put_pos[id] = i such that the put stream wrote id at i */
static double *series;       /* the float series (random walk) */
static char *series_keys;    /* "series/%08d" */
#define SERIES_KLEN 15

static void stream_alloc(stream *s, size_t n) {
    s->keys = (char *)xmalloc(n * KEY_LEN);
    s->ids = (uint32_t *)xmalloc(n * sizeof *s->ids);
    s->n = n;
}
static void stream_set(stream *s, size_t i, uint32_t id, int update) {
    make_key(s->keys + i * KEY_LEN, id);
    s->ids[i] = id | (update ? 0x80000000u : 0);
}

static void build_workload(void) {
    size_t i;
    uint32_t *perm;
    int r, m;
    static const int update_pct[3] = {50, 5, 0};
    rng_state = 0x5EED5EED12345678ull;
    perm = (uint32_t *)xmalloc(N * sizeof *perm);
    for (i = 0; i < N; i++) perm[i] = (uint32_t)i;
    for (i = N - 1; i > 0; i--) { size_t j = (size_t)rnd_below(i + 1); uint32_t t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
    stream_alloc(&s_put, N);
    put_pos = (uint32_t *)xmalloc(N * sizeof *put_pos);
    vals = (unsigned char *)xmalloc(N * VAL_LEN);
    for (i = 0; i < N; i++) {
        size_t b;
        stream_set(&s_put, i, perm[i], 0);
        put_pos[perm[i]] = (uint32_t)i;
        for (b = 0; b < VAL_LEN; b += 8) put_le64(vals + i * VAL_LEN + b, rnd());
        put_le64(vals + i * VAL_LEN, perm[i]);
    }
    free(perm);
    stream_alloc(&s_get, N);
    for (i = 0; i < N; i++) stream_set(&s_get, i, (uint32_t)rnd_below(N), 0);
    for (m = 0; m < 3; m++) {
        stream_alloc(&s_ycsb[m], N);
        for (i = 0; i < N; i++) {
            uint32_t id = (uint32_t)rnd_below(N);
            stream_set(&s_ycsb[m], i, id, (int)rnd_below(100) < update_pct[m]);
        }
    }
    for (r = 0; r < REPS; r++) {  /* new keys N + r*1000 + j */
        stream_alloc(&s_fsync[r], FSYNC_PUTS);
        for (i = 0; i < FSYNC_PUTS; i++) stream_set(&s_fsync[r], i, (uint32_t)(N + (size_t)r * FSYNC_PUTS + i), 0);
    }
    series = (double *)xmalloc(SERIES_N * sizeof *series);
    series_keys = (char *)xmalloc((size_t)SERIES_N * SERIES_KLEN + 1);
    {
        double x = 20.0;
        char tmp[32];
        for (i = 0; i < SERIES_N; i++) {
            series[i] = x;
            x = round((x + rnd_normal() * 0.05) * 100.0) / 100.0;
            snprintf(tmp, sizeof tmp, "series/%08d", (int)i);
            memcpy(series_keys + i * SERIES_KLEN, tmp, SERIES_KLEN);
        }
    }
}

/* ------------------------------------------------------------------ phases */
static uint64_t checksum;
static uint64_t bad_reads[NENG];
static char bad_what[NENG][256];

static void note_bad(int e, const char *what, uint32_t id) {
    if (!bad_reads[e]++) snprintf(bad_what[e], sizeof bad_what[e], "%s (key id %u)", what, (unsigned)id);
}

static double phase_put(const engine *e, const stream *s) {
    size_t i;
    double t0 = bench_now();
    for (i = 0; i < s->n; i++)
        if (e->put(s->keys + i * KEY_LEN, vals + i * VAL_LEN, VAL_LEN))
            die("%s: put failed%s", e->name, NULL);
    return (double)s->n / (bench_now() - t0);
}
/* put stream with fresh values carrying the key id (for the put_fsync phase) */
static double phase_put_ids(const engine *e, const stream *s) {
    size_t i;
    unsigned char v[VAL_LEN];
    double t0 = bench_now();
    for (i = 0; i < s->n; i++) {
        memcpy(v, vals + (i * 7919 % N) * VAL_LEN, VAL_LEN);
        put_le64(v, s->ids[i] & 0x7fffffffu);
        if (e->put(s->keys + i * KEY_LEN, v, VAL_LEN)) die("%s: put failed%s", e->name, NULL);
    }
    return (double)s->n / (bench_now() - t0);
}
/* gets and updates; full = compare every 64th read byte for byte with the put phase */
static double phase_ops(const engine *e, int ei, const stream *s, int full) {
    size_t i, len;
    unsigned char buf[VAL_LEN * 2], v[VAL_LEN];
    uint64_t sum = 0;
    double t0 = bench_now(), t;
    for (i = 0; i < s->n; i++) {
        uint32_t id = s->ids[i] & 0x7fffffffu;
        const char *k = s->keys + i * KEY_LEN;
        if (s->ids[i] & 0x80000000u) {
            memcpy(v, vals + (i * 7919 % N) * VAL_LEN, VAL_LEN);
            put_le64(v, id);
            if (e->put(k, v, VAL_LEN)) die("%s: update failed%s", e->name, NULL);
            continue;
        }
        len = 0;
        switch (e->get(k, buf, sizeof buf, &len)) {
        case 0: break;
        case 1: note_bad(ei, "key not found", id); continue;
        default: note_bad(ei, "get failed", id); continue;
        }
        if (len != VAL_LEN) { note_bad(ei, "wrong value length", id); continue; }
        if (get_le64(buf) != id) { note_bad(ei, "value of another key", id); continue; }
        if (full && (i & 63) == 0 && memcmp(buf, vals + (size_t)put_pos[id] * VAL_LEN, VAL_LEN) != 0)
            note_bad(ei, "value differs from what was written", id);
        sum += get_le64(buf + 8) + len;
    }
    t = bench_now() - t0;
    checksum += sum;
    return (double)s->n / t;
}

/* ------------------------------------------------------------------ results */
static double res[NENG][NPH];        /* ops/s (history: GB/s) */
static uint64_t disk_du[NENG], disk_app[NENG], synadb_file_after_put;
static double sy_index_per_key, sy_rss_per_key, sy_anon_per_key;
typedef struct series_res { const char *label; double write_rate, gbps, bpp; uint64_t bytes; double maxerr; } series_res;
static series_res sres[4];

static void progress(const char *eng, const char *phase, const double *v, int n, double med, const char *unit) {
    int i;
    printf("  %-8s %-26s", eng, phase);
    int gb = !strcmp(unit, "GB/s");
    for (i = 0; i < n; i++) printf(gb ? " %10.3f" : " %10.0f", v[i]);
    printf(gb ? "  -> median %.3f %s\n" : "  -> median %.0f %s\n", med, unit);
    fflush(stdout);
}

static void run_engine(int ei) {
    const engine *e = &engines[ei];
    char dir[4096], sdir[4200];
    double v[MAX_REPS];
    int r, m;
    double t_start = bench_now();
    snprintf(dir, sizeof dir, "%s/%s", ROOT, e->name);
    printf("[%s]\n", e->name);
    fflush(stdout);
    /* (1) put: fresh database each repetition; the last one stays loaded */
    for (r = 0; r < REPS; r++) {
        uint64_t res0 = 0, shr0 = 0, res1 = 0, shr1 = 0;
        wipe(dir);
        mkdirs(dir);
        sync();
        if (ei == 0 && r == 0) statm(&res0, &shr0);
        if (e->open(dir, 0)) die("%s: open failed%s", e->name, NULL);
        v[r] = phase_put(e, &s_put);
        if (ei == 0 && r == 0) {
            synadb_stats st;
            statm(&res1, &shr1);
            synadb_stats_get(sy, &st);
            if (st.keys != N) die("synadb: stats.keys wrong after the put phase%s%s", NULL, NULL);
            sy_index_per_key = (double)st.index_bytes / (double)st.keys;
            sy_rss_per_key = ((double)res1 - (double)res0) / (double)N;
            sy_anon_per_key = (((double)res1 - (double)shr1) - ((double)res0 - (double)shr0)) / (double)N;
        }
        e->close();
    }
    res[ei][PH_PUT] = bench_median(v, REPS);
    progress(e->name, "put", v, REPS, res[ei][PH_PUT], "ops/s");
    disk_du[ei] = dir_du(dir, &disk_app[ei]);
    if (ei == 0) synadb_file_after_put = file_size(strcat(strcpy(sdir, dir), "/synadb.db"));
    if (e->open(dir, 0)) die("%s: reopen failed%s", e->name, NULL);
    /* (2) random gets */
    for (r = 0; r < REPS; r++) v[r] = phase_ops(e, ei, &s_get, 1);
    res[ei][PH_GET] = bench_median(v, REPS);
    progress(e->name, "get", v, REPS, res[ei][PH_GET], "ops/s");
    /* (3) YCSB A, B, C */
    for (m = 0; m < 3; m++) {
        for (r = 0; r < REPS; r++) v[r] = phase_ops(e, ei, &s_ycsb[m], 0);
        res[ei][PH_YA + m] = bench_median(v, REPS);
        progress(e->name, ph_metric[PH_YA + m], v, REPS, res[ei][PH_YA + m], "ops/s");
    }
    e->close();
    /* (4) durable puts into the loaded database */
    if (e->open(dir, 1)) die("%s: durable reopen failed%s", e->name, NULL);
    for (r = 0; r < REPS; r++) { sync(); v[r] = phase_put_ids(e, &s_fsync[r]); }
    res[ei][PH_FSYNC] = bench_median(v, REPS);
    progress(e->name, "put_fsync", v, REPS, res[ei][PH_FSYNC], "ops/s");
    {   /* the durable puts must be readable */
        unsigned char buf[VAL_LEN * 2];
        size_t len = 0;
        for (r = 0; r < REPS; r++)
            if (e->get(s_fsync[r].keys, buf, sizeof buf, &len) != 0 || len != VAL_LEN || get_le64(buf) != (s_fsync[r].ids[0] & 0x7fffffffu))
                note_bad(ei, "durable put not readable", s_fsync[r].ids[0]);
    }
    e->close();
    wipe(dir);
    /* (5) history analogue for the peers: range scan of 1M keys holding one double each */
    if (e->series_load) {
        double *out = NULL;
        size_t n = 0, i;
        snprintf(sdir, sizeof sdir, "%s/%s-series", ROOT, e->name);
        wipe(sdir);
        mkdirs(sdir);
        if (e->open(sdir, 0)) die("%s: open failed%s", e->name, NULL);
        if (e->series_load(series_keys, SERIES_KLEN, series, SERIES_N)) die("%s: series load failed%s", e->name, NULL);
        e->close();   /* reopen so that the scan reads the persisted structure */
        if (e->open(sdir, 0)) die("%s: open failed%s", e->name, NULL);
        for (r = 0; r < REPS; r++) {
            double t0 = bench_now(), t;
            if (e->series_scan(&out, &n)) die("%s: range scan failed%s", e->name, NULL);
            t = bench_now() - t0;
            if (n != SERIES_N) note_bad(ei, "range scan returned the wrong count", (uint32_t)n);
            else for (i = 0; i < n; i++) if (out[i] != series[i]) { note_bad(ei, "range scan value differs", (uint32_t)i); break; }
            checksum += (uint64_t)(out && n ? out[n / 2] * 100 : 0);
            free(out);
            v[r] = (double)SERIES_N * 8 / t / 1e9;
        }
        res[ei][PH_HIST_BATCH] = res[ei][PH_HIST_PUTS] = bench_median(v, REPS);
        progress(e->name, "range scan 1M keys", v, REPS, res[ei][PH_HIST_BATCH], "GB/s");
        e->close();
        wipe(sdir);
    }
    printf("  %-8s done in %.0f s\n", e->name, bench_now() - t_start);
}

/* The float series stored four ways in SynaDB: history timing, write rate, bytes per point. */
static void run_synadb_series(void) {
    int variant, r;
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/synadb-series", ROOT);
    printf("[synadb float series, %d points, key \"temperature\"]\n", SERIES_N);
    for (variant = 0; variant < 4; variant++) {
        static const char *labels[4] = {"1M put_float, no delta", "1M put_float, delta", "put_floats_batch, no delta", "put_floats_batch, delta"};
        int batch = variant >= 2, delta = variant & 1;
        synadb_config cfg = synadb_config_default();
        synadb_db *db;
        double v[MAX_REPS], t0, t;
        size_t i;
        series_res *sr = &sres[variant];
        sr->label = labels[variant];
        wipe(dir);
        mkdirs(dir);
        snprintf(path, sizeof path, "%s/series.db", dir);
        cfg.enable_delta = delta;
        if (synadb_open_ex(path, &cfg, &db, errbuf, sizeof errbuf) != SYNADB_OK) die("synadb open: %s%s", errbuf, NULL);
        sync();
        t0 = bench_now();
        if (batch) {
            if (synadb_put_floats_batch(db, "temperature", SYNADB_NTS, series, SERIES_N) != SYNADB_OK) die("put_floats_batch: %s%s", synadb_errmsg(db), NULL);
        } else {
            for (i = 0; i < SERIES_N; i++)
                if (synadb_put_float(db, "temperature", 11, series[i]) != SYNADB_OK) die("put_float: %s%s", synadb_errmsg(db), NULL);
        }
        sr->write_rate = SERIES_N / (bench_now() - t0);
        for (r = 0; r < REPS; r++) {
            double *out = NULL;
            size_t n = 0;
            t0 = bench_now();
            if (synadb_history_floats(db, "temperature", 11, &out, &n) != SYNADB_OK) die("history_floats: %s%s", synadb_errmsg(db), NULL);
            t = bench_now() - t0;
            v[r] = (double)n * 8 / t / 1e9;
            if (n != SERIES_N) note_bad(0, "history returned the wrong count", (uint32_t)n);
            sr->maxerr = 0;
            for (i = 0; i < n && i < SERIES_N; i++) { double d = fabs(out[i] - series[i]); if (d > sr->maxerr) sr->maxerr = d; }
            if (sr->maxerr > 0.005) note_bad(0, "history value differs", 0);
            checksum += (uint64_t)(n ? out[n / 2] * 100 : 0);
            synadb_free(db, out);
        }
        sr->gbps = bench_median(v, REPS);
        progress("synadb", labels[variant], v, REPS, sr->gbps, "GB/s");
        if (synadb_close(db) != SYNADB_OK) die("synadb close failed%s%s", NULL, NULL);
        sr->bytes = file_size(path);
        sr->bpp = ((double)sr->bytes - 64.0) / SERIES_N;
        if (variant == 0) res[0][PH_HIST_PUTS] = sr->gbps;
        if (variant == 2) res[0][PH_HIST_BATCH] = sr->gbps;
    }
    wipe(dir);
}

static void print_report(void) {
    int e, p;
    printf("\n=== SynaDB vs peers: %zu keys, %d-byte keys, %d-byte values, single thread, median of %d ===\n", N, KEY_LEN, VAL_LEN, REPS);
    printf("%-30s", "phase (ops/s; history GB/s)");
    for (e = 0; e < NENG; e++) if (enabled[e]) printf(" %12s", engines[e].name);
    printf("\n");
    for (p = 0; p < NPH; p++) {
        printf("%-30s", ph_label[p]);
        for (e = 0; e < NENG; e++) {
            if (!enabled[e]) continue;
            if (p >= PH_HIST_BATCH) printf(" %12.3f", res[e][p]);
            else printf(" %12.0f", res[e][p]);
        }
        printf("\n");
    }
    printf("%-30s", "disk after put, MB (du)");
    for (e = 0; e < NENG; e++) if (enabled[e]) printf(" %12.1f", disk_du[e] / 1e6);
    printf("\n%-30s", "disk after put, bytes/key");
    for (e = 0; e < NENG; e++) if (enabled[e]) printf(" %12.1f", (double)disk_du[e] / (double)N);
    printf("\n%-30s", "status");
    for (e = 0; e < NENG; e++) if (enabled[e]) printf(" %12s", bad_reads[e] ? "INVALID" : "ok");
    printf("\n");
    printf("notes: history rows are GB/s of output doubles (8 MB / time). SynaDB: synadb_history_floats\n"
           "       of one key holding 1M float versions; peers have no per-key history, their number\n"
           "       is a range scan of 1M keys \"series/%%08d\" holding one double each (the same value\n"
           "       in both history rows). YCSB key choice is uniform. put_fsync: SynaDB sync_on_write=1,\n"
           "       LMDB MDB_WRITEMAP without MDB_NOSYNC, LevelDB/RocksDB sync=true, SQLite WAL +\n"
           "       synchronous=FULL. Plain -O2 build.\n");
    for (e = 0; e < NENG; e++)
        if (bad_reads[e]) printf("INVALID %s: %llu bad reads, first: %s\n", engines[e].name, (unsigned long long)bad_reads[e], bad_what[e]);

    if (!enabled[0]) { printf("checksum %llu\n", (unsigned long long)checksum); return; }
    printf("\n=== SynaDB storage and memory ===\n");
    printf("file size after put phase + close:  %llu bytes = %.1f bytes/key (du %.1f MB)\n",
           (unsigned long long)synadb_file_after_put, (double)synadb_file_after_put / (double)N, disk_du[0] / 1e6);
    printf("record size: 16-byte header + 16-byte key + 64-byte value = 96 bytes/key\n");
    printf("index memory (stats.index_bytes):    %.1f bytes/key\n", sy_index_per_key);
    printf("RSS growth during put phase:         %.1f bytes/key (anonymous only: %.1f bytes/key;\n"
           "                                     the rest is touched pages of the shared file mapping)\n",
           sy_rss_per_key, sy_anon_per_key);
    printf("\n=== 1,000,000-point float series (random walk, 2 decimals), key \"temperature\" ===\n");
    printf("%-28s %12s %12s %14s %12s\n", "stored as", "bytes/point", "file bytes", "write pts/s", "history GB/s");
    for (p = 0; p < 4; p++)
        printf("%-28s %12.3f %12llu %14.0f %12.3f\n", sres[p].label, sres[p].bpp, (unsigned long long)sres[p].bytes, sres[p].write_rate, sres[p].gbps);
    printf("(raw doubles: 8 bytes/point)\n");

    printf("\n");
    for (e = 1; e < NENG; e++)
        for (p = 0; p < NPH && enabled[e]; p++)
            printf("ratio %s synadb/%s %.3f\n", ph_metric[p], engines[e].name, res[e][p] > 0 ? res[0][p] / res[e][p] : 0.0);
    printf("ratio put synadb/original %.3f\n", res[0][PH_PUT] / ORIGINAL_PUTS);
    printf("ratio get synadb/original %.3f\n", res[0][PH_GET] / ORIGINAL_GETS);
    printf("\n");
#define TARGET(label, val, goal) printf("target %-36s %8.3f (goal >= %g) %s\n", label, val, goal, (val) >= (goal) ? "PASS" : "FAIL")
    if (enabled[1]) {
        TARGET("put synadb/lmdb", res[0][PH_PUT] / res[1][PH_PUT], 2.0);
        TARGET("get synadb/lmdb", res[0][PH_GET] / res[1][PH_GET], 3.0);
        TARGET("put_fsync synadb/lmdb", res[0][PH_FSYNC] / res[1][PH_FSYNC], 1.0);
    }
    TARGET("history_batch GB/s", res[0][PH_HIST_BATCH], 1.0);
    TARGET("history_puts GB/s", res[0][PH_HIST_PUTS], 1.0);
    TARGET("put synadb/original", res[0][PH_PUT] / ORIGINAL_PUTS, 1.0);
    TARGET("get synadb/original", res[0][PH_GET] / ORIGINAL_GETS, 1.0);
    for (e = 0; e < NENG; e++) if (bad_reads[e]) printf("target %-36s FAIL (%s)\n", "all reads verified", engines[e].name);
    printf("checksum %llu\n", (unsigned long long)checksum);
}

int main(int argc, char **argv) {
    int i, e;
    const char *engine_list = NULL;
    double t0 = bench_now();
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc) N = (size_t)strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-r") && i + 1 < argc) REPS = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-e") && i + 1 < argc) engine_list = argv[++i];
        else if (argv[i][0] == '-') { fprintf(stderr, "usage: %s [-n keys] [-r reps] [-e engine,engine...] [DIR]\n", argv[0]); return 2; }
        else ROOT = argv[i];
    }
    for (e = 0; e < NENG; e++) {  /* -e: a comma-separated subset (default: all) */
        const char *q = engine_list;
        size_t n = strlen(engines[e].name);
        enabled[e] = !q;
        while (q && *q) {
            size_t m = strcspn(q, ",");
            if (m == n && !strncmp(q, engines[e].name, n)) enabled[e] = 1;
            q += m + (q[m] == ',');
        }
    }
    if (strlen(ROOT) > 3000) { fprintf(stderr, "directory name too long\n"); return 2; }
    if (N < 1000 || N > 0x7fffffffu - 100000 || REPS < 1 || REPS > MAX_REPS) { fprintf(stderr, "bad -n or -r\n"); return 2; }
    printf("bench_kv: %zu keys, %d repetitions, databases under %s\n", N, REPS, ROOT);
    printf("peers: %s, LevelDB %d.%d, RocksDB (C API), SQLite %s; SynaDB %s\n", mdb_version(NULL, NULL, NULL),
           leveldb_major_version(), leveldb_minor_version(), sqlite3_libversion(), synadb_version());
    mkdirs(ROOT);   /* only the engines' own subdirectories are ever wiped */
    build_workload();
    for (e = 0; e < NENG; e++) if (enabled[e]) run_engine(e);
    if (enabled[0]) run_synadb_series();
    print_report();
    printf("total time %.0f s\n", bench_now() - t0);
    for (e = 0; e < NENG; e++) if (bad_reads[e]) return 1;  /* a broken engine; slow is not an error */
    return 0;
}
