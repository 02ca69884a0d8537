/* test_crash.c - crash and damage tests.
 *  - truncate the log at every byte offset: open keeps exactly the records wholly inside
 *    the prefix (batches all or nothing), and appends after reopen survive another reopen;
 *  - tail garbage (zeros, random bytes, a torn copy of a record, a huge length);
 *  - bit flips everywhere: never a crash; a flip in a record is always detected;
 *  - kill -9 of a writer process: every acknowledged put is there after reopen;
 *  - kill at each step of compaction: the database is the old or the new one;
 *  - a full disk (RLIMIT_FSIZE): a clear error, nothing acknowledged lost.
 */
#define SYNADB_TEST_HOOKS
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "testing.h"

#include <signal.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

extern void (*synadb_test_hook)(const char *point);

static char dir[256];
static const char *tpath(char *buf, size_t cap, const char *name) {
    snprintf(buf, cap, "%s/synadb-crash-%d-%s", dir, (int)getpid(), name);
    return buf;
}

/* ---- a scripted workload with its model ---- */
#define NK 24
typedef struct { int live; int type; double f; int64_t i; size_t len; unsigned char blob[6000]; } mval;
typedef struct { mval k[NK]; } mstate;
typedef struct { uint64_t end; mstate st; } mstep;   /* state after each acknowledged op */

static void keyname(int k, char *buf) { snprintf(buf, 32, "key/%02d", k); }

static int check_state(synadb_db *db, const mstate *st) {
    int k, bad = 0;
    for (k = 0; k < NK; k++) {
        char name[32];
        synadb_value v;
        synadb_result r;
        keyname(k, name);
        r = synadb_get(db, name, SYNADB_NTS, &v);
        if (!st->k[k].live) { if (r != SYNADB_ERR_KEY_NOT_FOUND) bad++; if (!r) synadb_value_free(db, &v); continue; }
        if (r) { bad++; continue; }
        if (v.type != st->k[k].type) bad++;
        else if (v.type == SYNADB_TYPE_FLOAT && memcmp(&v.f, &st->k[k].f, 8)) bad++;
        else if (v.type == SYNADB_TYPE_INT && v.i != st->k[k].i) bad++;
        else if ((v.type == SYNADB_TYPE_TEXT || v.type == SYNADB_TYPE_BYTES) && (v.len != st->k[k].len || memcmp(v.data, st->k[k].blob, v.len))) bad++;
        synadb_value_free(db, &v);
    }
    return bad;
}

/* Builds a log of ~300 records mixing every kind of record; returns the steps. */
static mstep *build_log(const char *path, const synadb_config *cfg, int *nsteps) {
    synadb_db *db = NULL;
    mstep *steps = (mstep *)calloc(400, sizeof *steps);
    mstate st;
    int n = 0, op;
    synadb_stats s;
    memset(&st, 0, sizeof st);
    remove(path);
    if (synadb_open(path, cfg, &db)) { free(steps); return NULL; }
    synadb_stats_get(db, &s);
    steps[n].end = s.file_bytes; steps[n].st = st; n++;
    test_seed(99);
    for (op = 0; op < 300; op++) {
        int k = (int)(test_rand() % NK), w = (int)(test_rand() % 100);
        char name[32];
        synadb_result r = SYNADB_OK;
        keyname(k, name);
        if (w < 30) {
            double f = (double)((int64_t)(test_rand() % 10000) - 5000) / 100.0;
            r = synadb_put_float(db, name, SYNADB_NTS, f);
            st.k[k].live = 1; st.k[k].type = SYNADB_TYPE_FLOAT; st.k[k].f = f;
        } else if (w < 50) {
            int64_t i = (int64_t)(test_rand() % 1000);
            r = synadb_put_int(db, name, SYNADB_NTS, i);
            st.k[k].live = 1; st.k[k].type = SYNADB_TYPE_INT; st.k[k].i = i;
        } else if (w < 65) {
            size_t len = (test_rand() % 10 == 0) ? 4500 + (size_t)(test_rand() % 1000) : (size_t)(test_rand() % 200), i;
            for (i = 0; i < len; i++) st.k[k].blob[i] = (unsigned char)(test_rand() % 3 ? 'a' + i % 5 : test_rand());
            r = synadb_put_bytes(db, name, SYNADB_NTS, st.k[k].blob, len);
            st.k[k].live = 1; st.k[k].type = SYNADB_TYPE_BYTES; st.k[k].len = len;
        } else if (w < 75) {
            if (st.k[k].live) { r = synadb_delete(db, name, SYNADB_NTS); st.k[k].live = 0; }
        } else if (w < 85) {
            double vals[20000];
            size_t cnt = 1 + (size_t)(test_rand() % (test_rand() % 4 == 0 ? 20000 : 50)), i;
            for (i = 0; i < cnt; i++) vals[i] = (double)(int64_t)(test_rand() % 100000) / 100.0;
            r = synadb_put_floats_batch(db, name, SYNADB_NTS, vals, cnt);
            st.k[k].live = 1; st.k[k].type = SYNADB_TYPE_FLOAT; st.k[k].f = vals[cnt - 1];
        } else {
            synadb_batch_op ops[6];
            int m = 2 + (int)(test_rand() % 5), j;
            char names[6][32];
            double fs[6];
            memset(ops, 0, sizeof ops);
            for (j = 0; j < m; j++) {
                int kk = (int)(test_rand() % NK);
                keyname(kk, names[j]);
                ops[j].key = names[j]; ops[j].key_len = SYNADB_NTS;
                fs[j] = (double)j + 0.5;
                if (j == m - 1 && test_rand() % 2) { ops[j].op = SYNADB_OP_DELETE; }
                else { ops[j].value.type = SYNADB_TYPE_FLOAT; ops[j].value.f = fs[j]; }
            }
            r = synadb_write_batch(db, ops, (size_t)m, NULL);
            for (j = 0; j < m; j++) {
                int kk = atoi(names[j] + 4);
                if (ops[j].op == SYNADB_OP_DELETE) st.k[kk].live = 0;
                else { st.k[kk].live = 1; st.k[kk].type = SYNADB_TYPE_FLOAT; st.k[kk].f = fs[j]; }
            }
        }
        if (r) { fprintf(stderr, "build_log: %s\n", synadb_errmsg(db)); break; }
        synadb_stats_get(db, &s);
        if (s.file_bytes != steps[n - 1].end) { steps[n].end = s.file_bytes; steps[n].st = st; n++; }
    }
    synadb_close(db);
    *nsteps = n;
    return steps;
}

/* Record boundaries of a file, from the scanner. */
typedef struct { uint64_t off[2000], len[2000]; int n; } bounds;
static int bounds_cb(void *user, const synadb_record_info *r) {
    bounds *b = (bounds *)user;
    if (r->kind == SYNADB_SCAN_RECORD && b->n < 2000) { b->off[b->n] = r->offset; b->len[b->n] = r->length; b->n++; }
    return 0;
}

static void test_truncate_every_byte(void) {
    char path[512], cut[512];
    synadb_config cfg = synadb_config_default();
    int nsteps = 0, pass;
    for (pass = 0; pass < 2; pass++) {
        mstep *steps;
        unsigned char *orig;
        size_t size = 0, t, swept = 0;
        long bad_open = 0, bad_state = 0, bad_append = 0;
        int step, k;
        unsigned char *near;
        cfg.enable_delta = pass;
        cfg.enable_compression = pass;
        cfg.compression_threshold = 32;
        steps = build_log(tpath(path, sizeof path, "trunc.db"), &cfg, &nsteps);
        CHECK(steps != NULL && nsteps > 200);
        if (!steps) return;
        orig = test_slurp(path, &size);
        CHECK_EQ(size, steps[nsteps - 1].end);
        tpath(cut, sizeof cut, "cut.db");
        step = 0;
        {   /* every offset within 48 bytes of a record boundary, every 61st offset elsewhere
               (inside large records) */
            bounds *bd = (bounds *)calloc(1, sizeof *bd);
            synadb_scan_file(path, bounds_cb, bd, NULL);
            near = (unsigned char *)calloc(size + 1, 1);
            for (t = 0; t < 64 + 48 && t <= size; t++) near[t] = 1;
            for (k = 0; k < bd->n; k++) {
                uint64_t e = bd->off[k] + bd->len[k], j;
                for (j = e > 48 ? e - 48 : 0; j <= e + 48 && j <= size; j++) near[j] = 1;
            }
            free(bd);
        }
        for (t = 0; t <= size; t++) {
            synadb_db *db = NULL;
            synadb_config c2 = cfg;
            while (step + 1 < nsteps && steps[step + 1].end <= t) step++;
            if (!near[t] && t % 61) continue;
            swept++;
            test_spit(cut, orig, t);
            if (synadb_open(cut, &c2, &db) != SYNADB_OK) { bad_open++; continue; }
            if (check_state(db, &steps[step].st)) bad_state++;
            /* an append after the cut must survive another reopen */
            if (synadb_put_int(db, "after", SYNADB_NTS, (int64_t)t)) bad_append++;
            synadb_close(db);
            db = NULL;
            if (synadb_open(cut, &c2, &db) != SYNADB_OK) { bad_append++; continue; }
            {
                int64_t v = -1;
                if (synadb_get_int(db, "after", SYNADB_NTS, &v) || v != (int64_t)t) bad_append++;
                if (check_state(db, &steps[step].st)) bad_state++;
            }
            synadb_close(db);
        }
        CHECK_EQ(bad_open, 0);
        CHECK_EQ(bad_state, 0);
        CHECK_EQ(bad_append, 0);
        CHECK(swept > 15000);
        fprintf(stderr, "truncation pass %d: %zu offsets of %zu bytes, %d records\n", pass, swept, size, nsteps);
        free(near);
        free(orig);
        free(steps);
        remove(path);
        remove(cut);
    }
}

static int tail_logged;
static void tail_logger(void *u, int level, int item, const char *msg) {
    (void)u; (void)level; (void)msg;
    if (item == SYNADB_LOG_TORN_TAIL || item == SYNADB_LOG_PARTIAL_BATCH) tail_logged++;
}

static void test_tail_garbage(void) {
    char path[512], cut[512];
    synadb_config cfg = synadb_config_default();
    mstep *steps;
    int nsteps = 0, kind, bad = 0;
    unsigned char *orig, *buf;
    size_t size = 0;
    steps = build_log(tpath(path, sizeof path, "tail.db"), &cfg, &nsteps);
    if (!steps) { CHECK(0); return; }
    orig = test_slurp(path, &size);
    buf = (unsigned char *)malloc(size + 70000);
    tpath(cut, sizeof cut, "tailcut.db");
    cfg.logger = tail_logger;
    for (kind = 0; kind < 5; kind++) {
        size_t extra;
        for (extra = 1; extra <= 8192; extra = extra < 64 ? extra + 1 : extra * 2 + 7) {
            synadb_db *db = NULL;
            synadb_stats st;
            size_t i;
            memcpy(buf, orig, size);
            for (i = 0; i < extra; i++) {
                switch (kind) {
                case 0: buf[size + i] = 0; break;                               /* zeros */
                case 1: buf[size + i] = (unsigned char)(test_rand() | 1); break;/* garbage */
                case 2: buf[size + i] = orig[64 + i % (size - 64)]; break;      /* replayed old records */
                case 3: buf[size + i] = orig[size - 1 - (extra - 1 - i) % 40]; break;
                default: buf[size + i] = (unsigned char)(i < 16 ? "\x11\x22\x33\x44\x00\x00\x00\x00\x05\x00\x04\x00\xff\xff\xff\x7f"[i] : 'x');
                }
            }
            if (kind == 4) synadb__wr32(buf + size + 4, (uint32_t)(steps[0].end ? 0 : 0) + 0), (void)0;
            test_spit(cut, buf, size + extra);
            tail_logged = 0;
            if (synadb_open(cut, &cfg, &db) != SYNADB_OK) { bad++; fprintf(stderr, "tail kind %d extra %zu: open failed\n", kind, extra); continue; }
            if (check_state(db, &steps[nsteps - 1].st)) { bad++; fprintf(stderr, "tail kind %d extra %zu: state\n", kind, extra); }
            synadb_stats_get(db, &st);
            for (i = 0; i < extra && !buf[size + i]; i++) {}
            if (i == extra) { if (st.torn_tail_bytes) bad++; }
            else if (!(st.torn_tail_bytes > 0 && tail_logged)) { bad++; fprintf(stderr, "tail kind %d extra %zu: not reported\n", kind, extra); }
            if (synadb_put_int(db, "after", SYNADB_NTS, 1)) bad++;
            synadb_close(db);
            db = NULL;
            if (synadb_open(cut, &cfg, &db) != SYNADB_OK) { bad++; continue; }
            if (check_state(db, &steps[nsteps - 1].st)) bad++;
            synadb_close(db);
        }
    }
    CHECK_EQ(bad, 0);
    free(buf);
    free(orig);
    free(steps);
    remove(path);
    remove(cut);
}

static void test_bit_flips(void) {
    char path[512], cut[512];
    synadb_config cfg = synadb_config_default(), salv = synadb_config_default();
    mstep *steps;
    int nsteps = 0;
    long flips = 0, wrong = 0, salvage_failed = 0;
    unsigned char *orig;
    size_t size = 0, pos;
    bounds b;
    cfg.enable_delta = 1;
    steps = build_log(tpath(path, sizeof path, "flip.db"), &cfg, &nsteps);
    if (!steps) { CHECK(0); return; }
    orig = test_slurp(path, &size);
    memset(&b, 0, sizeof b);
    CHECK_OK(synadb_scan_file(path, bounds_cb, &b, NULL));
    CHECK(b.n > 200);
    tpath(cut, sizeof cut, "flipcut.db");
    salv.salvage = 1;
    salv.enable_delta = 1;
    /* every bit of the first 1 KiB, then random bits anywhere */
    for (pos = 0; pos < size * 8 && flips < 30000; pos++) {
        size_t bit = pos < 8192 ? pos : (size_t)(test_rand() % (size * 8));
        synadb_db *db = NULL;
        synadb_result r;
        int rec = -1, k;
        orig[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        test_spit(cut, orig, size);
        orig[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        flips++;
        for (k = 0; k < b.n; k++) if (bit / 8 >= b.off[k] && bit / 8 < b.off[k] + b.len[k]) rec = k;
        r = synadb_open(cut, &cfg, &db);
        if (bit / 8 < 64) {                                   /* the file header */
            if (r != SYNADB_ERR_CORRUPT && r != SYNADB_ERR_NOT_A_DATABASE && r != SYNADB_ERR_VERSION) wrong++;
        } else if (rec == b.n - 1) {                          /* the last record: a torn tail */
            int st = nsteps - 1;
            while (st > 0 && steps[st].end > b.off[rec]) st--;
            if (r != SYNADB_OK) wrong++;
            else if (check_state(db, &steps[st].st)) wrong++;
        } else {                                              /* damage before the tail */
            if (r != SYNADB_ERR_CORRUPT) { wrong++; fprintf(stderr, "flip at byte %zu (record %d): %d\n", bit / 8, rec, r); }
        }
        if (db) synadb_close(db);
        db = NULL;
        /* salvage always opens a damaged log (not a damaged header) */
        if (bit / 8 >= 64 && (flips % 7) == 0) {
            test_spit(cut, orig, size);
            orig[bit / 8] ^= (unsigned char)(1u << (bit % 8));
            test_spit(cut, orig, size);
            orig[bit / 8] ^= (unsigned char)(1u << (bit % 8));
            { char eb[300]; if (synadb_open_ex(cut, &salv, &db, eb, sizeof eb) != SYNADB_OK) { salvage_failed++; if (salvage_failed < 4) fprintf(stderr, "salvage: %s\n", eb); } }
            if (db) synadb_close(db);
        }
    }
    CHECK(flips >= 10000);
    CHECK_EQ(wrong, 0);
    CHECK_EQ(salvage_failed, 0);
    /* scan_file reports the damage and where */
    {
        synadb_scan_report rep;
        orig[b.off[10] + 20] ^= 4;
        test_spit(cut, orig, size);
        orig[b.off[10] + 20] ^= 4;
        CHECK_EQ(synadb_scan_file(cut, NULL, NULL, &rep), SYNADB_ERR_CORRUPT);
        CHECK_EQ(rep.bad_regions, 1);
        CHECK_EQ(rep.first_bad_offset, b.off[10]);
        CHECK_EQ(rep.records, (uint64_t)b.n - 1);
    }
    free(orig);
    free(steps);
    remove(path);
    remove(cut);
}

/* ---- kill -9 ---- */
static void writer_child(const char *path, int fd, int mode) {
    synadb_config c = synadb_config_default();
    synadb_db *db = NULL;
    uint64_t i;
    c.no_mmap = mode == 1;
    c.sync_on_write = mode == 2;
    c.enable_delta = 1;
    if (synadb_open(path, &c, &db)) _exit(3);
    for (i = 0;; i++) {
        char key[32];
        synadb_result r;
        snprintf(key, sizeof key, "k%llu", (unsigned long long)(i % 5000));
        if (mode == 3 && i % 10 == 0) {
            double v[50];
            int j;
            for (j = 0; j < 50; j++) v[j] = (double)i + j;
            r = synadb_put_floats_batch(db, "batch", SYNADB_NTS, v, 50);
        } else if (mode == 3 && i % 997 == 0) {
            r = synadb_compact(db, (i / 997) % 2 ? SYNADB_COMPACT_KEEP_HISTORY : 0);
        } else {
            r = synadb_put_int(db, key, SYNADB_NTS, (int64_t)i);
        }
        if (r) _exit(4);
        if (write(fd, &i, sizeof i) != (ssize_t)sizeof i) _exit(5);
    }
}

static void test_kill9(void) {
    char path[512];
    int round, bad = 0, rounds = 0;
    for (round = 0; round < 16; round++) {
        int p[2], mode = round % 4, status;
        pid_t pid;
        uint64_t last = 0, v;
        int got = 0, target = 2000 + (int)(test_rand() % 20000);
        synadb_db *db = NULL;
        tpath(path, sizeof path, "kill.db");
        remove(path);
        if (mode == 2) target /= 20;
        if (pipe(p)) { CHECK(0); return; }
        pid = fork();
        if (pid == 0) { close(p[0]); writer_child(path, p[1], mode); _exit(0); }
        close(p[1]);
        while (got < target && read(p[0], &v, sizeof v) == (ssize_t)sizeof v) { last = v; got++; }
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        close(p[0]);
        if (!got) { bad++; continue; }
        rounds++;
        if (synadb_open(path, NULL, &db)) { bad++; fprintf(stderr, "kill round %d: open failed\n", round); continue; }
        {   /* every acknowledged put: the latest value of each key is at least the last acked one */
            uint64_t i, from = last >= 5000 ? last - 4999 : 0;
            for (i = from; i <= last; i++) {
                char key[32];
                int64_t x = -1;
                if (mode == 3 && (i % 10 == 0 || i % 997 == 0)) continue;
                snprintf(key, sizeof key, "k%llu", (unsigned long long)(i % 5000));
                if (synadb_get_int(db, key, SYNADB_NTS, &x) || x < (int64_t)i) { bad++; break; }
            }
            if (mode == 3 && last >= 10) {
                double f = 0;
                uint64_t lb = last - last % 10;
                if (synadb_get_float(db, "batch", SYNADB_NTS, &f) || f < (double)lb + 49) bad++;
            }
        }
        synadb_close(db);
    }
    CHECK_EQ(bad, 0);
    CHECK(rounds >= 12);
    remove(path);
}

/* ---- kill at each step of compaction ---- */
static const char *kill_point;
static void kill_hook(const char *point) { if (strcmp(point, kill_point) == 0) _exit(0); }

static void test_compaction_kill_points(void) {
    static const char *points[] = {"compact:created", "compact:written", "compact:synced", "compact:renamed", "compact:dir_synced", "none"};
    char path[512], tmp[600];
    int pi, bad = 0;
    for (pi = 0; pi < 6; pi++) {
        int hist;
        for (hist = 0; hist < 2; hist++) {
            pid_t pid;
            int status, k;
            synadb_db *db = NULL;
            size_t n0 = 0;
            tpath(path, sizeof path, "ckill.db");
            remove(path);
            if (synadb_open(path, NULL, &db)) { bad++; continue; }
            for (k = 0; k < 3000; k++) {
                char key[32];
                snprintf(key, sizeof key, "k%d", k % 100);
                synadb_put_int(db, key, SYNADB_NTS, k);
                if (k % 7 == 0) synadb_delete(db, key, SYNADB_NTS);
            }
            synadb_close(db);
            pid = fork();
            if (pid == 0) {
                synadb_db *c = NULL;
                kill_point = points[pi];
                synadb_test_hook = kill_hook;
                if (synadb_open(path, NULL, &c)) _exit(3);
                synadb_compact(c, hist ? SYNADB_COMPACT_KEEP_HISTORY : 0);
                _exit(0); /* no close: a crash right after compaction */
            }
            waitpid(pid, &status, 0);
            db = NULL;
            if (synadb_open(path, NULL, &db)) { bad++; fprintf(stderr, "open after kill at %s failed\n", points[pi]); continue; }
            snprintf(tmp, sizeof tmp, "%s.compact", path);
            if (access(tmp, F_OK) == 0) bad++;      /* leftover removed on open */
            for (k = 2900; k < 3000; k++) {         /* same logical state, old or new */
                char key[32];
                int64_t x = -1;
                int deleted = 0, j;
                snprintf(key, sizeof key, "k%d", k % 100);
                for (j = k; j < 3000; j += 100) if (j % 7 == 0) deleted = 1;
                if (deleted) { if (synadb_exists(db, key, SYNADB_NTS)) bad++; continue; }
                if (synadb_get_int(db, key, SYNADB_NTS, &x) || x != k) bad++;
            }
            /* histories: either all old (long) or all compacted */
            synadb_history_len(db, "k1", SYNADB_NTS, &n0);
            if (!(n0 >= 1)) bad++;
            synadb_close(db);
        }
    }
    CHECK_EQ(bad, 0);
    remove(path);
}

/* ---- full disk ---- */
static void test_disk_full(void) {
    char path[512];
    int mode;
    for (mode = 0; mode < 2; mode++) {
        pid_t pid;
        int p[2], status;
        uint64_t last = 0, v;
        int got = 0, code = 0;
        synadb_db *db = NULL;
        tpath(path, sizeof path, "full.db");
        remove(path);
        if (pipe(p)) { CHECK(0); return; }
        pid = fork();
        if (pid == 0) {
            struct rlimit rl;
            synadb_config c = synadb_config_default();
            uint64_t i;
            unsigned char val[1000];
            close(p[0]);
            signal(SIGXFSZ, SIG_IGN);
            rl.rlim_cur = rl.rlim_max = 300000;
            setrlimit(RLIMIT_FSIZE, &rl);
            c.no_mmap = mode;
            memset(val, 'v', sizeof val);
            if (synadb_open(path, &c, &db)) _exit(3);
            for (i = 0;; i++) {
                char key[32];
                synadb_result r;
                snprintf(key, sizeof key, "k%llu", (unsigned long long)i);
                memcpy(val, &i, sizeof i);
                r = synadb_put_bytes(db, key, SYNADB_NTS, val, sizeof val);
                if (r) {
                    int64_t code2 = r;
                    uint64_t marker = UINT64_MAX;
                    /* reads still work after the failure */
                    if (synadb_exists(db, "k0", SYNADB_NTS) != 1) code2 = 1000;
                    if (write(p[1], &marker, sizeof marker) < 0 || write(p[1], &code2, sizeof code2) < 0) _exit(6);
                    synadb_close(db);
                    _exit(0);
                }
                if (write(p[1], &i, sizeof i) != (ssize_t)sizeof i) _exit(5);
            }
        }
        close(p[1]);
        while (read(p[0], &v, sizeof v) == (ssize_t)sizeof v) {
            if (v == UINT64_MAX) { int64_t c2 = 0; if (read(p[0], &c2, sizeof c2) == (ssize_t)sizeof c2) code = (int)c2; break; }
            last = v; got++;
        }
        close(p[0]);
        waitpid(pid, &status, 0);
        CHECK(got > 100);
        CHECK_EQ(code, SYNADB_ERR_DISK_FULL);
        if (synadb_open(path, NULL, &db) == SYNADB_OK) {
            uint64_t i;
            int missing = 0;
            for (i = 0; i <= last; i++) {
                char key[32];
                unsigned char buf[1000];
                size_t n = 0;
                uint64_t w = 0;
                snprintf(key, sizeof key, "k%llu", (unsigned long long)i);
                if (synadb_get_bytes_into(db, key, SYNADB_NTS, buf, sizeof buf, &n) || n != 1000) { missing++; continue; }
                memcpy(&w, buf, sizeof w);
                if (w != i) missing++;
            }
            CHECK_EQ(missing, 0);
            synadb_close(db);
        } else CHECK(0);
    }
    remove(path);
}

int main(void) {
    struct stat st;
    const char *env = getenv("SYNADB_CRASH_DIR");
    snprintf(dir, sizeof dir, "%s", env ? env : (stat("/dev/shm", &st) == 0 ? "/dev/shm" : "/tmp"));
    if (!getenv("SKIP_TRUNC")) RUN(test_truncate_every_byte);
    RUN(test_tail_garbage);
    RUN(test_bit_flips);
    RUN(test_kill9);
    RUN(test_compaction_kill_points);
    RUN(test_disk_full);
    return test_report();
}
