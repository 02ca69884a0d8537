/* test_gwi.c - Gravity Well Index (synadb_gwi_*).
 *  - recall@10 against synadb_vec_topk on clustered data for the three metrics, rising
 *    with nprobe and exact when every leaf is probed; routing consistency;
 *  - persistence: reopen after inserts, duplicates (replace) and deletes; a never
 *    initialised file reopens as not initialised; new never truncates;
 *  - crashes: kill -9 of a writer (every acknowledged insert survives), truncation at
 *    many offsets and bit flips (clear errors or recovered prefixes);
 *  - foreach (each live key once, with its vector, after replaces and deletes; stable
 *    order; early stop; copying into another index) and contains;
 *  - bad input; concurrent search and insert (argument "threads": that part only).
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_vec.h"
#include "testing.h"
#include <math.h>
#if TEST_HAVE_PROCESSES
#include <signal.h>
#include <sys/wait.h>
#endif

/* n vectors around nc random centres */
static float *clustered(size_t n, uint32_t d, uint32_t nc, float spread) {
    float *c = (float *)malloc((size_t)nc * d * sizeof(float)), *v = (float *)malloc(n * d * sizeof(float));
    size_t i, j;
    for (i = 0; i < (size_t)nc * d; i++) c[i] = test_frand();
    for (i = 0; i < n; i++) {
        size_t k = test_rand() % nc;
        for (j = 0; j < d; j++) v[i * d + j] = c[k * d + j] + spread * test_frand();
    }
    free(c);
    return v;
}
static void keyname(char *b, size_t i) { snprintf(b, 32, "k%zu", i); }

static synadb_gwi *make(const char *path, uint32_t d, int metric, uint32_t B, uint32_t L) {
    synadb_gwi_config c = synadb_gwi_config_default(d, (synadb_metric)metric);
    synadb_gwi *g = NULL;
    char err[256];
    c.branching_factor = B; c.num_levels = L;
    if (synadb_gwi_new(path, &c, &g, err, sizeof err)) { fprintf(stderr, "new: %s\n", err); return NULL; }
    return g;
}
static void insert_all(synadb_gwi *g, const float *v, size_t n, uint32_t d) {
    char **keys = (char **)calloc(n ? n : 1, sizeof *keys);
    size_t i;
    if (!keys) { CHECK(0); return; }
    for (i = 0; i < n; i++) { keys[i] = (char *)malloc(32); if (keys[i]) keyname(keys[i], i); }
    CHECK_OK(synadb_gwi_insert_batch(g, (const char *const *)keys, NULL, v, n));
    for (i = 0; i < n; i++) free(keys[i]);
    free(keys);
    (void)d;
}
static double recall(synadb_gwi *g, const float *v, size_t n, uint32_t d, int metric, const float *qs, size_t nq, size_t nprobe) {
    synadb_vec_hit ex[10], got[10];
    size_t q, a, b, ne, ng, hit = 0, tot = 0;
    for (q = 0; q < nq; q++) {
        synadb_vec_topk(NULL, (synadb_metric)metric, v, n, d, 0, qs + q * d, 10, ex, &ne);
        if (synadb_gwi_search(g, qs + q * d, 10, nprobe, got, &ng)) return -1;
        for (a = 0; a < ne; a++) {
            char kb[32];
            keyname(kb, (size_t)ex[a].id);
            for (b = 0; b < ng; b++) if (strcmp(got[b].key, kb) == 0) { hit++; break; }
        }
        tot += ne;
    }
    return tot ? (double)hit / (double)tot : 0;
}

static void test_recall(void) {
    int metric;
    for (metric = 0; metric < 3; metric++) {
        char p[256];
        uint32_t d = 24;
        size_t n = 4000, nq = 100, i;
        float *v, *qs;
        double r1, r4, r16, rall;
        synadb_gwi *g;
        test_seed(10 + (unsigned)metric);
        v = clustered(n, d, 40, 0.3f);
        qs = clustered(nq, d, 40, 0.3f);
        test_seed(10 + (unsigned)metric);
        v = (free(v), clustered(n, d, 40, 0.3f));
        for (i = 0; i < nq; i++) memcpy(qs + i * d, v + (i * 37 % n) * d, d * sizeof(float)), qs[i * d] += 0.05f;
        g = make(test_path(p, sizeof p, "recall.gwi"), d, metric, 8, 2);
        CHECK(g != NULL);
        if (!g) return;
        CHECK_OK(synadb_gwi_initialize(g, v, 2000));
        insert_all(g, v, n, d);
        CHECK_EQ(synadb_gwi_len(g), n);
        r1 = recall(g, v, n, d, metric, qs, nq, 1);
        r4 = recall(g, v, n, d, metric, qs, nq, 4);
        r16 = recall(g, v, n, d, metric, qs, nq, 16);
        rall = recall(g, v, n, d, metric, qs, nq, 64);
        fprintf(stderr, "metric %d recall@10 nprobe 1 %.3f, 4 %.3f, 16 %.3f, all %.3f\n", metric, r1, r4, r16, rall);
        CHECK(r4 >= r1 - 1e-9 && r16 >= r4 - 1e-9 && rall >= r16 - 1e-9);
        CHECK(rall >= 0.999);
        if (metric != 2) CHECK(r16 >= 0.9);
        /* routing consistency: each vector is in the leaf the descent gives */
        for (i = 0; i < n; i += 7) {
            char kb[32];
            keyname(kb, i);
            CHECK_EQ(synadb_gwi_leaf_of(g, kb, SYNADB_NTS), synadb_gwi_route(g, v + i * d));
        }
        CHECK_OK(synadb_gwi_close(g));
        remove(p);
        free(v); free(qs);
    }
}

/* initialise routes samples hierarchically: a sample's own leaf, found by the descent,
   must hold the sample when it is inserted (no leaf empty of its training points). */
static void test_routing_samples(void) {
    char p[256];
    uint32_t d = 16;
    size_t n = 3000, i;
    float *v;
    synadb_gwi *g;
    test_seed(77);
    v = clustered(n, d, 30, 0.5f);
    g = make(test_path(p, sizeof p, "route.gwi"), d, SYNADB_METRIC_EUCLIDEAN, 4, 3);
    CHECK(g != NULL);
    if (!g) return;
    CHECK_EQ(synadb_gwi_num_leaves(g), 64);
    CHECK_OK(synadb_gwi_initialize(g, v, n));
    for (i = 0; i < n; i++) {
        uint32_t leaf = synadb_gwi_route(g, v + i * d);
        CHECK(leaf < 64);
    }
    insert_all(g, v, n, d);
    {   /* every vector is its own nearest neighbour with nprobe 1 */
        synadb_vec_hit h[1];
        size_t nh, ok = 0;
        for (i = 0; i < n; i += 3) {
            char kb[32];
            keyname(kb, i);
            if (synadb_gwi_search(g, v + i * d, 1, 1, h, &nh) == 0 && nh == 1 && strcmp(h[0].key, kb) == 0) ok++;
        }
        CHECK_EQ(ok, (n + 2) / 3);
    }
    synadb_gwi_close(g);
    remove(p);
    free(v);
}

static void test_persistence(void) {
    char p[256], err[256];
    uint32_t d = 8;
    size_t n = 500, i, nh;
    float *v, out[8];
    synadb_gwi *g;
    synadb_vec_hit h[5];
    test_seed(5);
    v = clustered(n, d, 10, 0.2f);
    test_path(p, sizeof p, "persist.gwi");
    g = make(p, d, SYNADB_METRIC_EUCLIDEAN, 4, 2);
    CHECK(g != NULL);
    if (!g) return;
    CHECK(!synadb_gwi_is_initialized(g));
    CHECK_OK(synadb_gwi_close(g));
    /* never initialised stays so after reopen */
    CHECK_OK(synadb_gwi_open(p, &g, err, sizeof err));
    CHECK(!synadb_gwi_is_initialized(g));
    CHECK_EQ(synadb_gwi_insert(g, "a", 1, v), SYNADB_ERR_NOT_INITIALIZED);
    CHECK_EQ(synadb_gwi_search(g, v, 3, 0, h, &nh), SYNADB_ERR_NOT_INITIALIZED);
    CHECK_OK(synadb_gwi_initialize(g, v, n));
    CHECK_EQ(synadb_gwi_initialize(g, v, n), SYNADB_ERR_EXISTS);
    insert_all(g, v, n, d);
    /* duplicates replace */
    CHECK_OK(synadb_gwi_insert(g, "k3", SYNADB_NTS, v + 100 * d));
    CHECK_OK(synadb_gwi_insert(g, "k3", SYNADB_NTS, v + 101 * d));
    CHECK_EQ(synadb_gwi_len(g), n);
    CHECK_OK(synadb_gwi_delete(g, "k4", SYNADB_NTS));
    CHECK_EQ(synadb_gwi_delete(g, "k4", SYNADB_NTS), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_gwi_len(g), n - 1);
    CHECK_OK(synadb_gwi_search(g, v + 101 * d, 5, 16, h, &nh));
    {
        size_t c3 = 0;
        for (i = 0; i < nh; i++) { c3 += strcmp(h[i].key, "k3") == 0; CHECK(strcmp(h[i].key, "k4") != 0); }
        CHECK(c3 == 1);
    }
    CHECK_OK(synadb_gwi_close(g));
    /* new on an existing file opens it (no truncation); other dims refused */
    {
        synadb_gwi_config c = synadb_gwi_config_default(9, SYNADB_METRIC_EUCLIDEAN);
        CHECK_EQ(synadb_gwi_new(p, &c, &g, err, sizeof err), SYNADB_ERR_INDEX_MISMATCH);
    }
    g = make(p, d, SYNADB_METRIC_EUCLIDEAN, 4, 2);
    CHECK(g != NULL);
    if (!g) return;
    CHECK(synadb_gwi_is_initialized(g));
    CHECK_EQ(synadb_gwi_len(g), n - 1);
    CHECK_OK(synadb_gwi_get(g, "k3", SYNADB_NTS, out));
    CHECK(memcmp(out, v + 101 * d, sizeof out) == 0);
    CHECK_OK(synadb_gwi_get(g, "k7", SYNADB_NTS, out));
    CHECK(memcmp(out, v + 7 * d, sizeof out) == 0);
    CHECK_EQ(synadb_gwi_get(g, "k4", SYNADB_NTS, out), SYNADB_ERR_KEY_NOT_FOUND);
#ifndef __EMSCRIPTEN__   /* no file locks there */
    /* a second writer is refused */
    {
        synadb_gwi *g2 = NULL;
        CHECK_EQ(synadb_gwi_open(p, &g2, err, sizeof err), SYNADB_ERR_LOCKED);
    }
#endif
    CHECK_OK(synadb_gwi_close(g));
    /* reopen without a checkpoint: entries after the last flush come back */
    CHECK_OK(synadb_gwi_open(p, &g, err, sizeof err));
    CHECK_OK(synadb_gwi_insert(g, "late", SYNADB_NTS, v));
    {   /* simulate a crash: free without checkpoint by closing the fd path: reopen reads tail */
        g->dirty = 0;
        CHECK_OK(synadb_gwi_close(g));
    }
    CHECK_OK(synadb_gwi_open(p, &g, err, sizeof err));
    CHECK_EQ(synadb_gwi_len(g), n);
    CHECK_OK(synadb_gwi_get(g, "late", SYNADB_NTS, out));
    CHECK_OK(synadb_gwi_close(g));
    /* a foreign file is refused untouched */
    {
        char q[256];
        size_t fn;
        unsigned char *b;
        test_spit(test_path(q, sizeof q, "foreign"), (const unsigned char *)"hello world, not a gwi file at all, padding padding padding", 59);
        CHECK_EQ(synadb_gwi_open(q, &g, err, sizeof err), SYNADB_ERR_CORRUPT);  /* shorter than a header */
        b = (unsigned char *)calloc(8192, 1);
        memcpy(b, "FOREIGN!", 8);
        test_spit(q, b, 8192);
        CHECK_EQ(synadb_gwi_open(q, &g, err, sizeof err), SYNADB_ERR_NOT_A_DATABASE);
        CHECK_EQ(synadb_gwi_new(q, &(synadb_gwi_config){0}, &g, err, sizeof err), SYNADB_ERR_DIMENSION);
        free(b);
        b = test_slurp(q, &fn);
        CHECK_EQ(fn, 8192);
        CHECK(b && memcmp(b, "FOREIGN!", 8) == 0);
        free(b);
        remove(q);
    }
    remove(p);
    free(v);
}

static void test_damage(void) {
    char p[256], q[256], err[256];
    uint32_t d = 4;
    size_t n = 60, fn, cut, ck_end;
    float *v;
    unsigned char *b;
    synadb_gwi *g;
    test_seed(9);
    v = clustered(n, d, 4, 0.2f);
    test_path(p, sizeof p, "damage.gwi");
    test_path(q, sizeof q, "damage2.gwi");
    g = make(p, d, SYNADB_METRIC_EUCLIDEAN, 2, 2);
    if (!g) { CHECK(0); return; }
    CHECK_OK(synadb_gwi_initialize(g, v, n));
    insert_all(g, v, 30, d);
    CHECK_OK(synadb_gwi_flush(g));
    ck_end = (size_t)g->end;
    {   /* 30 more after the checkpoint, one at a time */
        size_t i;
        for (i = 30; i < n; i++) { char kb[32]; keyname(kb, i); CHECK_OK(synadb_gwi_insert(g, kb, SYNADB_NTS, v + i * d)); }
    }
    g->dirty = 0;   /* no checkpoint at close: the tail is only in the entries */
    synadb_gwi_close(g);
    b = test_slurp(p, &fn);
    if (!b) { CHECK(0); return; }
    for (cut = 0; cut < fn; cut += (cut < 4200 ? 97 : 13)) {
        synadb_result r;
        test_spit(q, b, cut);
        r = synadb_gwi_open(q, &g, err, sizeof err);
        if (cut < ck_end) CHECK(r == SYNADB_ERR_CORRUPT || r == SYNADB_ERR_CHECKSUM || r == SYNADB_ERR_NOT_A_DATABASE);
        else {
            CHECK_OK(r);
            if (!r) {
                size_t len = synadb_gwi_len(g);
                CHECK(len >= 30 && len <= n);
                synadb_gwi_close(g);
            }
        }
    }
    {   /* bit flips anywhere: an error or a recovered prefix, never a crash */
        size_t i;
        for (i = 0; i < 300; i++) {
            size_t at = (size_t)(test_rand() % fn);
            synadb_result r;
            b[at] ^= (unsigned char)(1u << (test_rand() % 8));
            test_spit(q, b, fn);
            b[at] ^= 0;   /* keep the flip applied only in the copy below */
            r = synadb_gwi_open(q, &g, err, sizeof err);
            if (!r) { CHECK(synadb_gwi_len(g) <= n); synadb_gwi_close(g); }
            else CHECK(r == SYNADB_ERR_CORRUPT || r == SYNADB_ERR_CHECKSUM || r == SYNADB_ERR_NOT_A_DATABASE);
            free(b);
            b = test_slurp(p, &fn);
            if (!b) break;
        }
    }
    free(b);
    remove(p); remove(q);
    free(v);
}

#if TEST_HAVE_PROCESSES
static void test_kill9(void) {
    char p[256], err[256], ack[256];
    uint32_t d = 16;
    size_t n = 400;
    float *v;
    synadb_gwi *g;
    pid_t pid;
    int fds[2];
    long acked = -1;
    test_seed(21);
    v = clustered(n, d, 8, 0.3f);
    test_path(p, sizeof p, "kill.gwi");
    test_path(ack, sizeof ack, "kill.ack");
    g = make(p, d, SYNADB_METRIC_COSINE, 4, 2);
    if (!g) { CHECK(0); return; }
    CHECK_OK(synadb_gwi_initialize(g, v, n));
    CHECK_OK(synadb_gwi_close(g));
    if (pipe(fds)) { CHECK(0); return; }
    pid = fork();
    if (pid == 0) {
        long i;
        close(fds[0]);
        if (synadb_gwi_open(p, &g, err, sizeof err)) _exit(2);
        for (i = 0; ; i++) {
            char kb[32];
            keyname(kb, (size_t)i);
            if (synadb_gwi_insert(g, kb, SYNADB_NTS, v + (size_t)(i % (long)n) * d)) _exit(3);
            if (write(fds[1], &i, sizeof i) != (ssize_t)sizeof i) _exit(4);
        }
    }
    close(fds[1]);
    {
        long x;
        while (read(fds[0], &x, sizeof x) == (ssize_t)sizeof x) { acked = x; if (x >= 3000) break; }
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    { long x; while (read(fds[0], &x, sizeof x) == (ssize_t)sizeof x) acked = x; }
    close(fds[0]);
    CHECK(acked >= 3000);
    CHECK_OK(synadb_gwi_open(p, &g, err, sizeof err));
    {
        long i;
        float out[16];
        size_t missing = 0;
        for (i = 0; i <= acked; i++) { char kb[32]; keyname(kb, (size_t)i); if (synadb_gwi_get(g, kb, SYNADB_NTS, out)) missing++; }
        CHECK_EQ(missing, 0);
        CHECK((long)synadb_gwi_len(g) >= acked + 1);
    }
    synadb_gwi_close(g);
    remove(p); remove(ack);
    free(v);
}
#endif

/* ---- synadb_gwi_foreach / synadb_gwi_contains ---- */
typedef struct {
    uint32_t d;
    size_t n, calls, stop_after;
    int stop_rc, bad;
    const float *want;           /* n rows: the vector each key k<i> should have */
    const unsigned char *live;   /* n flags */
    unsigned *seen;
    const char **order;          /* key pointers in call order (may be NULL) */
    synadb_gwi *copy_to;         /* insert every visited vector there (may be NULL) */
} fe_t;
static int fe_fn(void *ctx, const char *key, size_t key_len, const float *vec) {
    fe_t *f = (fe_t *)ctx;
    size_t i = 0, c;
    if (f->order && f->calls < f->n) f->order[f->calls] = key;
    f->calls++;
    if (!key || key_len < 2 || key[0] != 'k' || key[key_len] != 0) { f->bad++; return 0; }
    for (c = 1; c < key_len; c++) i = i * 10 + (size_t)(key[c] - '0');
    if (i >= f->n || !f->live[i]) { f->bad++; return 0; }
    f->seen[i]++;
    for (c = 0; c < f->d; c++) if (fabsf(vec[c] - f->want[i * f->d + c]) > 1e-6f) { f->bad++; break; }
    if (f->copy_to && synadb_gwi_insert(f->copy_to, key, key_len, vec) != SYNADB_OK) f->bad++;
    if (f->stop_after && f->calls == f->stop_after) return f->stop_rc;
    return 0;
}
static void fe_check(synadb_gwi *g, fe_t *f) {
    size_t i, nlive = 0;
    f->calls = 0; f->bad = 0;
    memset(f->seen, 0, f->n * sizeof *f->seen);
    CHECK_OK(synadb_gwi_foreach(g, fe_fn, f));
    CHECK_EQ(f->bad, 0);
    for (i = 0; i < f->n; i++) {
        nlive += f->live[i];
        if (f->seen[i] != (unsigned)f->live[i]) { CHECK_EQ(f->seen[i], f->live[i]); break; }
    }
    CHECK_EQ(f->calls, nlive);
    CHECK_EQ(synadb_gwi_len(g), nlive);
}
static void test_foreach(void) {
    int metric;
    for (metric = 0; metric < 2; metric++) {   /* cosine (stored normalised), euclidean */
        char p[256], q[256], err[256], kb[32];
        uint32_t d = 8, c;
        size_t n = 400, i;
        float *v, *want;
        unsigned char *live;
        unsigned *seen;
        const char **o1, **o2;
        synadb_gwi *g, *g2;
        fe_t f;
        test_seed(31 + (unsigned)metric);
        v = clustered(n * 2, d, 12, 0.3f);
        want = (float *)malloc(n * d * sizeof *want);
        live = (unsigned char *)calloc(n, 1);
        seen = (unsigned *)calloc(n, sizeof *seen);
        o1 = (const char **)calloc(n, sizeof *o1);
        o2 = (const char **)calloc(n, sizeof *o2);
        g = make(test_path(p, sizeof p, "foreach.gwi"), d, metric, 4, 2);
        if (!g || !v || !want || !live || !seen || !o1 || !o2) { CHECK(0); return; }
        memset(&f, 0, sizeof f);
        f.d = d; f.n = n; f.want = want; f.live = live; f.seen = seen;
        /* not initialised: no keys, nothing visited */
        CHECK_OK(synadb_gwi_foreach(g, fe_fn, &f));
        CHECK_EQ(f.calls, 0);
        CHECK(!synadb_gwi_contains(g, "k1", SYNADB_NTS));
        CHECK_OK(synadb_gwi_initialize(g, v, n));
        CHECK_OK(synadb_gwi_foreach(g, fe_fn, &f));
        CHECK_EQ(f.calls, 0);
#define SET_WANT(i, src) do { \
            float n2_ = 0; memcpy(want + (i) * d, (src), d * sizeof(float)); \
            if (metric == SYNADB_METRIC_COSINE) { for (c = 0; c < d; c++) n2_ += want[(i) * d + c] * want[(i) * d + c]; \
                for (c = 0; c < d; c++) want[(i) * d + c] /= sqrtf(n2_); } \
            live[i] = 1; } while (0)
        insert_all(g, v, n, d);
        for (i = 0; i < n; i++) SET_WANT(i, v + i * d);
        fe_check(g, &f);
        /* replacements (single and inside a batch, the later duplicate winning) and deletes */
        for (i = 0; i < n; i += 7) {
            keyname(kb, i);
            CHECK_OK(synadb_gwi_insert(g, kb, SYNADB_NTS, v + (n + i) * d));
            SET_WANT(i, v + (n + i) * d);
        }
        {
            const char *ks[3] = {"k5", "k6", "k5"};
            CHECK_OK(synadb_gwi_insert_batch(g, ks, NULL, v + (n + 100) * d, 3));
            SET_WANT(5, v + (n + 102) * d);
            SET_WANT(6, v + (n + 101) * d);
        }
        for (i = 3; i < n; i += 5) {
            keyname(kb, i);
            CHECK_OK(synadb_gwi_delete(g, kb, SYNADB_NTS));
            live[i] = 0;
        }
        keyname(kb, 13);   /* deleted, then back */
        CHECK_OK(synadb_gwi_insert(g, kb, SYNADB_NTS, v + 2 * d));
        SET_WANT(13, v + 2 * d);
        fe_check(g, &f);
        /* contains agrees */
        {
            int agree = 1;
            for (i = 0; i < n; i++) { keyname(kb, i); agree &= synadb_gwi_contains(g, kb, strlen(kb)) == live[i]; }
            CHECK(agree);
        }
        CHECK(synadb_gwi_contains(g, "k0", SYNADB_NTS));
        CHECK(!synadb_gwi_contains(g, "k3", SYNADB_NTS));
        CHECK(!synadb_gwi_contains(g, "nope", SYNADB_NTS));
        CHECK(!synadb_gwi_contains(g, "k0", 1));   /* "k" */
        CHECK(!synadb_gwi_contains(g, "", 0));
        CHECK(!synadb_gwi_contains(g, NULL, 2));
        CHECK(!synadb_gwi_contains(NULL, "k0", SYNADB_NTS));
        /* stable order between writes */
        f.order = o1; fe_check(g, &f);
        f.order = o2; fe_check(g, &f);
        CHECK(memcmp(o1, o2, n * sizeof *o1) == 0);
        f.order = NULL;
        /* early stop: fn's value comes back, no further calls */
        f.calls = 0; f.stop_after = 5; f.stop_rc = 7;
        CHECK_EQ(synadb_gwi_foreach(g, fe_fn, &f), 7);
        CHECK_EQ(f.calls, 5);
        f.calls = 0; f.stop_after = 1; f.stop_rc = SYNADB_ERR_IO;
        CHECK_EQ(synadb_gwi_foreach(g, fe_fn, &f), SYNADB_ERR_IO);
        CHECK_EQ(f.calls, 1);
        f.stop_after = 0;
        /* NULL arguments */
        CHECK_EQ(synadb_gwi_foreach(NULL, fe_fn, &f), SYNADB_ERR_INVALID_ARG);
        CHECK_EQ(synadb_gwi_foreach(g, NULL, &f), SYNADB_ERR_INVALID_ARG);
        /* the hot -> cold move: copy every vector into another index from inside fn */
        g2 = make(test_path(q, sizeof q, "foreach-copy.gwi"), d, metric, 2, 3);
        CHECK(g2 != NULL);
        if (g2) {
            CHECK_OK(synadb_gwi_initialize(g2, v, n));
            f.copy_to = g2;
            fe_check(g, &f);
            f.copy_to = NULL;
            fe_check(g2, &f);
            CHECK_OK(synadb_gwi_close(g2));
        }
        /* after a reopen (entries replayed from the file) the same keys and vectors */
        CHECK_OK(synadb_gwi_close(g));
        CHECK_OK(synadb_gwi_open(p, &g, err, sizeof err));
        if (g) { fe_check(g, &f); CHECK_OK(synadb_gwi_close(g)); }
#undef SET_WANT
        remove(p); remove(q);
        free(v); free(want); free(live); free(seen); free(o1); free(o2);
    }
}

static void test_bad_input(void) {
    char p[256], err[256];
    uint32_t d = 4;
    float v[4] = {1, 2, 3, 4}, zero[4] = {0, 0, 0, 0}, nanv[4] = {1, 0, 0, 0}, smp[40];
    synadb_gwi *g = NULL;
    synadb_vec_hit h[4];
    size_t nh, i;
    synadb_gwi_config c = synadb_gwi_config_default(d, SYNADB_METRIC_COSINE);
    nanv[2] = (float)NAN;
    for (i = 0; i < 40; i++) smp[i] = (float)(i % 7) + 1.0f;
    test_path(p, sizeof p, "bad.gwi");
    CHECK_EQ(synadb_gwi_new(NULL, &c, &g, err, sizeof err), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_gwi_new(p, NULL, &g, err, sizeof err), SYNADB_ERR_INVALID_ARG);
    c.dims = 0; CHECK_EQ(synadb_gwi_new(p, &c, &g, err, sizeof err), SYNADB_ERR_DIMENSION);
    c.dims = 9000; CHECK_EQ(synadb_gwi_new(p, &c, &g, err, sizeof err), SYNADB_ERR_DIMENSION);
    c.dims = d; c.branching_factor = 1; CHECK_EQ(synadb_gwi_new(p, &c, &g, err, sizeof err), SYNADB_ERR_INVALID_ARG);
    c.branching_factor = 1024; c.num_levels = 4; CHECK(synadb_gwi_new(p, &c, &g, err, sizeof err) != SYNADB_OK);
    c.branching_factor = 0; c.num_levels = 0;
    remove(p);
    CHECK_EQ(synadb_gwi_open(p, &g, err, sizeof err), SYNADB_ERR_NOT_FOUND);
    CHECK_OK(synadb_gwi_new(p, &c, &g, err, sizeof err));
    CHECK_EQ(synadb_gwi_search(g, v, 3, 1, h, &nh), SYNADB_ERR_NOT_INITIALIZED);
    CHECK_EQ(synadb_gwi_insert(g, "a", 1, v), SYNADB_ERR_NOT_INITIALIZED);
    CHECK_EQ(synadb_gwi_initialize(g, NULL, 3), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_gwi_initialize(g, zero, 1), SYNADB_ERR_BAD_VECTOR);
    CHECK(!synadb_gwi_is_initialized(g));
    CHECK_OK(synadb_gwi_initialize(g, smp, 10));   /* fewer samples than leaves is fine */
    CHECK_EQ(synadb_gwi_insert(g, "z", 1, zero), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_gwi_insert(g, "n", 1, nanv), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_gwi_insert(g, "", 0, v), SYNADB_ERR_EMPTY_KEY);
    CHECK_EQ(synadb_gwi_insert(g, NULL, 1, v), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_gwi_insert(g, "a", 1, NULL), SYNADB_ERR_INVALID_ARG);
    {   /* a batch with one bad row inserts nothing */
        const char *ks[2] = {"ok", "bad"};
        float two[8] = {1, 2, 3, 4, 0, 0, 0, 0};
        CHECK_EQ(synadb_gwi_insert_batch(g, ks, NULL, two, 2), SYNADB_ERR_BAD_VECTOR);
        CHECK_EQ(synadb_gwi_len(g), 0);
    }
    CHECK_OK(synadb_gwi_insert(g, "a", 1, v));
    CHECK_EQ(synadb_gwi_search(g, zero, 3, 1, h, &nh), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_gwi_search(g, NULL, 3, 1, h, &nh), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_gwi_search(g, v, 0, 1, h, &nh));
    CHECK_EQ(nh, 0);
    CHECK_OK(synadb_gwi_search(g, v, 3, 0, h, &nh));        /* nprobe 0 = default */
    CHECK_OK(synadb_gwi_search(g, v, 3, 1000000, h, &nh));  /* more than the leaves = all */
    CHECK_EQ(nh, 1);
    CHECK(strcmp(h[0].key, "a") == 0 && h[0].score < 1e-5f);
    CHECK_EQ(synadb_gwi_delete(g, "nope", SYNADB_NTS), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_OK(synadb_gwi_close(g));
    remove(p);
}

static void test_abi(void) {
    char p[256], *json = NULL;
    float v[64 * 8];
    const char *keys[3] = {"x", "y", "z"};
    size_t i;
    for (i = 0; i < 64 * 8; i++) v[i] = (float)((i * 7) % 13) - 6.0f + 0.01f * (float)i;
    test_path(p, sizeof p, "abi.gwi");
    CHECK_EQ(SYNA_gwi_insert(p, "a", v, 8), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_gwi_new(p, 0, 4, 2, 0), SYNADB_ERR_DIMENSION);
    CHECK_EQ(SYNA_gwi_new(p, 8, 4, 2, 100), 1);
    CHECK_EQ(SYNA_gwi_insert(p, "a", v, 8), SYNADB_ERR_NOT_INITIALIZED);
    CHECK_EQ(SYNA_gwi_initialize(p, v, 64, 8), 1);
    CHECK_EQ(SYNA_gwi_insert(p, "a", v, 8), 1);
    CHECK_EQ(SYNA_gwi_insert(p, "a", v, 7), SYNADB_ERR_DIMENSION);
    CHECK_EQ(SYNA_gwi_insert_batch(p, keys, v + 8, 8, 3), 3);
    CHECK_EQ(SYNA_gwi_insert(p, "a", v + 8, 8), 1);
    CHECK_EQ(SYNA_gwi_len(p), 4);
    CHECK_EQ(SYNA_gwi_search(p, v + 8, 8, 2, &json), 2);
    CHECK(json && strstr(json, "\"key\":") && strstr(json, "\"score\":"));
    SYNA_free_json(json);
    CHECK_EQ(SYNA_gwi_search_nprobe(p, v + 8, 8, 10, 100, &json), 4);
    SYNA_free_json(json);
    CHECK_EQ(SYNA_gwi_flush(p), 1);
    CHECK_EQ(SYNA_gwi_close(p), 1);
    CHECK_EQ(SYNA_gwi_close(p), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_gwi_new(p, 8, 4, 2, 0), 1);   /* reopens, no truncation */
    CHECK_EQ(SYNA_gwi_len(p), 4);
    CHECK_EQ(SYNA_gwi_close(p), 1);
    CHECK_EQ(SYNA_gwi_open(p), 1);
    CHECK_EQ(SYNA_gwi_len(p), 4);
    CHECK_EQ(SYNA_gwi_close(p), 1);
    remove(p);
    CHECK_EQ(SYNA_gwi_open(p), SYNADB_ERR_NOT_FOUND);
}

#if !defined(_WIN32) && !defined(__EMSCRIPTEN__) && !defined(SYNA_NO_THREADS)
#include <pthread.h>
typedef struct { synadb_gwi *g; const float *v; uint32_t d; int stop; } sh_t;
static int count_fn(void *ctx, const char *key, size_t key_len, const float *vec) {
    (*(size_t *)ctx) += key[key_len] == 0 && vec[0] == vec[0];
    return 0;
}
static void *searcher(void *p) {
    sh_t *s = (sh_t *)p;
    synadb_vec_hit h[10];
    size_t nh, i = 0, seen;
    while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
        if (synadb_gwi_search(s->g, s->v + (i++ % 500) * s->d, 10, 4, h, &nh)) break;
        if (nh) (void)h[0].key[0];
        if (i % 64 == 0) {   /* foreach alongside the writer: it sees some state between two writes */
            seen = 0;
            if (synadb_gwi_foreach(s->g, count_fn, &seen) != SYNADB_OK || seen < 500) break;
        }
    }
    return NULL;
}
static void test_threads(void) {
    char p[256];
    uint32_t d = 16;
    size_t n = 3000, i;
    float *v;
    synadb_gwi *g;
    pthread_t th;
    sh_t s;
    test_seed(3);
    v = clustered(n, d, 20, 0.3f);
    g = make(test_path(p, sizeof p, "threads.gwi"), d, SYNADB_METRIC_EUCLIDEAN, 4, 2);
    if (!g) { CHECK(0); return; }
    CHECK_OK(synadb_gwi_initialize(g, v, 500));
    insert_all(g, v, 500, d);
    s.g = g; s.v = v; s.d = d; s.stop = 0;
    pthread_create(&th, NULL, searcher, &s);
    for (i = 500; i < n; i++) { char kb[32]; keyname(kb, i); CHECK_OK(synadb_gwi_insert(g, kb, SYNADB_NTS, v + i * d)); }
    {   /* and a threaded batch */
        synadb_gwi_config dummy = synadb_gwi_config_default(d, SYNADB_METRIC_EUCLIDEAN);
        (void)dummy;
        g->threads = 2;
        insert_all(g, v, n, d);
    }
    __atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
    pthread_join(th, NULL);
    CHECK_EQ(synadb_gwi_len(g), n);
    synadb_gwi_close(g);
    remove(p);
    free(v);
}
#endif

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "threads") == 0) {
#if !defined(_WIN32) && !defined(__EMSCRIPTEN__) && !defined(SYNA_NO_THREADS)
        RUN(test_threads);
#endif
        return test_report();
    }
    RUN(test_recall);
    RUN(test_routing_samples);
    RUN(test_persistence);
    RUN(test_damage);
#if TEST_HAVE_PROCESSES
    RUN(test_kill9);
#endif
    RUN(test_foreach);
    RUN(test_bad_input);
    RUN(test_abi);
#if !defined(_WIN32) && !defined(__EMSCRIPTEN__) && !defined(SYNA_NO_THREADS)
    RUN(test_threads);
#endif
    return test_report();
}
