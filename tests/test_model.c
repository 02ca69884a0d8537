/* test_model.c - long random sequences of operations (puts of every type, batches, deletes,
 * compactions, close/reopen) checked after every step against an in-memory model.
 *
 *   test_model [operations-per-configuration]   (default 60000)
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "testing.h"

#define NKEYS 300

typedef struct ver { int type; double f; int64_t i; unsigned char *blob; size_t len; } ver;
typedef struct mkey { char name[64]; size_t nlen; ver *v; size_t n, cap; int live; } mkey;
static mkey model[NKEYS];

static void mk_clear(mkey *k) {
    size_t i;
    for (i = 0; i < k->n; i++) free(k->v[i].blob);
    k->n = 0;
    k->live = 0;
}
static void mk_push(mkey *k, const ver *v) {
    if (k->n == k->cap) { k->cap = k->cap ? k->cap * 2 : 8; k->v = (ver *)realloc(k->v, k->cap * sizeof *k->v); }
    k->v[k->n] = *v;
    if (v->len) { k->v[k->n].blob = (unsigned char *)malloc(v->len); memcpy(k->v[k->n].blob, v->blob, v->len); }
    else k->v[k->n].blob = NULL;
    k->n++;
    k->live = 1;
}
static void mk_keep_latest(mkey *k) {
    size_t i;
    if (k->n <= 1) return;
    for (i = 0; i + 1 < k->n; i++) free(k->v[i].blob);
    k->v[0] = k->v[k->n - 1];
    k->n = 1;
}

/* Random value of a random type. Floats are often short decimals (delta-friendly). */
static void rand_value(ver *v, unsigned char *buf) {
    int t = (int)(test_rand() % 100);
    memset(v, 0, sizeof *v);
    if (t < 35) { v->type = SYNADB_TYPE_FLOAT; v->f = (test_rand() % 3 == 0) ? (double)(int64_t)test_rand() / 7.0 : (double)((int64_t)(test_rand() % 200001) - 100000) / 100.0; }
    else if (t < 60) { v->type = SYNADB_TYPE_INT; v->i = (test_rand() % 4 == 0) ? (int64_t)test_rand() : (int64_t)(test_rand() % 1000) - 500; }
    else if (t < 75) {
        size_t i, n = (size_t)(test_rand() % 300);
        v->type = SYNADB_TYPE_TEXT;
        for (i = 0; i < n; i++) buf[i] = (unsigned char)("abcabcabc xyz\n"[test_rand() % 14]);
        v->blob = buf; v->len = n;
    } else if (t < 88) {
        size_t i, n = (size_t)(test_rand() % 2000);
        int rep = test_rand() % 2;
        v->type = SYNADB_TYPE_BYTES;
        for (i = 0; i < n; i++) buf[i] = rep ? (unsigned char)(i % 7) : (unsigned char)test_rand();
        v->blob = buf; v->len = n;
    } else if (t < 96) {
        size_t i, d = 1 + (size_t)(test_rand() % 64);
        float *f = (float *)(void *)buf;
        v->type = SYNADB_TYPE_VECTOR;
        for (i = 0; i < d; i++) f[i] = (float)((double)(test_rand() % 10000) / 77.0);
        v->blob = buf; v->len = d * 4;
    } else {
        v->type = SYNADB_TYPE_NULL;
    }
}
static void to_value(const ver *v, synadb_value *out) {
    memset(out, 0, sizeof *out);
    out->type = v->type; out->f = v->f; out->i = v->i; out->data = v->blob; out->len = v->len;
    if (v->type == SYNADB_TYPE_VECTOR) out->dims = (uint32_t)(v->len / 4);
}

static int mismatches;
static void verify_key(synadb_db *db, mkey *k) {
    synadb_value got;
    synadb_result r = synadb_get(db, k->name, k->nlen, &got);
    const ver *v;
    if (!k->live) {
        if (r != SYNADB_ERR_KEY_NOT_FOUND) { mismatches++; fprintf(stderr, "key %s should be absent (%d)\n", k->name, r); }
        if (!r) synadb_value_free(db, &got);
        return;
    }
    if (r) { mismatches++; fprintf(stderr, "key %s: get failed %d %s\n", k->name, r, synadb_errmsg(db)); return; }
    v = &k->v[k->n - 1];
    if (got.type != v->type) { mismatches++; fprintf(stderr, "key %s: type %d vs %d\n", k->name, got.type, v->type); }
    else if (v->type == SYNADB_TYPE_FLOAT && memcmp(&got.f, &v->f, 8)) { mismatches++; fprintf(stderr, "key %s: float %.17g vs %.17g\n", k->name, got.f, v->f); }
    else if (v->type == SYNADB_TYPE_INT && got.i != v->i) { mismatches++; fprintf(stderr, "key %s: int\n", k->name); }
    else if ((v->type == SYNADB_TYPE_TEXT || v->type == SYNADB_TYPE_BYTES || v->type == SYNADB_TYPE_VECTOR) &&
             (got.len != v->len || (v->len && memcmp(got.data, v->blob, v->len)))) { mismatches++; fprintf(stderr, "key %s: blob\n", k->name); }
    synadb_value_free(db, &got);
}
static void verify_history(synadb_db *db, mkey *k) {
    double *h = NULL;
    int64_t *hi = NULL;
    size_t n = 0, i, j;
    synadb_result r;
    if (!k->live) return;
    r = synadb_history_floats(db, k->name, k->nlen, &h, &n);
    if (r) { mismatches++; fprintf(stderr, "history %s failed %d\n", k->name, r); return; }
    for (i = 0, j = 0; i < k->n; i++) if (k->v[i].type == SYNADB_TYPE_FLOAT) {
        if (j >= n || memcmp(&h[j], &k->v[i].f, 8)) { mismatches++; fprintf(stderr, "history %s differs at %zu\n", k->name, j); break; }
        j++;
    }
    if (j != n) { mismatches++; fprintf(stderr, "history %s: %zu values, model %zu\n", k->name, n, j); }
    synadb_free(db, h);
    r = synadb_history_ints(db, k->name, k->nlen, &hi, &n);
    if (r) { mismatches++; return; }
    for (i = 0, j = 0; i < k->n; i++) if (k->v[i].type == SYNADB_TYPE_INT) {
        if (j >= n || hi[j] != k->v[i].i) { mismatches++; fprintf(stderr, "int history %s differs\n", k->name); break; }
        j++;
    }
    if (j != n) mismatches++;
    synadb_free(db, hi);
}
static void verify_all(synadb_db *db, int with_history) {
    int k;
    size_t live = 0;
    synadb_keylist kl;
    for (k = 0; k < NKEYS; k++) {
        verify_key(db, &model[k]);
        if (with_history) verify_history(db, &model[k]);
        live += model[k].live;
    }
    if (synadb_keys(db, NULL, 0, &kl) == SYNADB_OK) {
        if (kl.count != live) { mismatches++; fprintf(stderr, "keys: %zu vs %zu\n", kl.count, live); }
        synadb_keylist_free(db, &kl);
    } else mismatches++;
}

static void run_config(long ops, int delta, int compress, int no_mmap, unsigned long long seed) {
    char path[512];
    synadb_config c = synadb_config_default();
    synadb_db *db = NULL;
    unsigned char *buf = (unsigned char *)malloc(1 << 16);
    long op;
    int k;
    c.enable_delta = delta;
    c.enable_compression = compress;
    c.compression_threshold = 64;
    c.no_mmap = no_mmap;
    test_seed(seed);
    test_path(path, sizeof path, "model.db");
    for (k = 0; k < NKEYS; k++) {
        mk_clear(&model[k]);
        if (k % 10 == 9) model[k].nlen = (size_t)snprintf(model[k].name, sizeof model[k].name, "long/key/with/a/path/%05d/end", k);
        else model[k].nlen = (size_t)snprintf(model[k].name, sizeof model[k].name, "k%03d", k);
    }
    mismatches = 0;
    CHECK_OK(synadb_open(path, &c, &db));
    if (!db) { free(buf); return; }
    for (op = 0; op < ops && db; op++) {
        int what = (int)(test_rand() % 1000);
        mkey *key = &model[test_rand() % NKEYS];
        if (what < 700) {
            ver v;
            synadb_value sv;
            rand_value(&v, buf);
            to_value(&v, &sv);
            if (synadb_put(db, key->name, key->nlen, &sv, NULL) != SYNADB_OK) { mismatches++; fprintf(stderr, "put failed: %s\n", synadb_errmsg(db)); }
            else mk_push(key, &v);
        } else if (what < 800) {
            synadb_result r = synadb_delete(db, key->name, key->nlen);
            if (key->live ? r != SYNADB_OK : r != SYNADB_ERR_KEY_NOT_FOUND) { mismatches++; fprintf(stderr, "delete %s: %d\n", key->name, r); }
            mk_clear(key);
        } else if (what < 850) {
            /* a general batch of 1..20 ops, sometimes on repeated keys */
            synadb_batch_op ops_[20];
            ver vs[20];
            unsigned char *bufs = (unsigned char *)malloc(20 * 4096);
            size_t n = 1 + (size_t)(test_rand() % 20), i;
            mkey *ks[20];
            memset(ops_, 0, sizeof ops_);
            for (i = 0; i < n; i++) {
                ks[i] = test_rand() % 3 ? key : &model[test_rand() % NKEYS];
                ops_[i].key = ks[i]->name;
                ops_[i].key_len = ks[i]->nlen;
                if (test_rand() % 8 == 0) { ops_[i].op = SYNADB_OP_DELETE; vs[i].type = -1; }
                else {
                    rand_value(&vs[i], bufs + i * 4096);
                    if (vs[i].len > 4096) vs[i].len = 4096 - (vs[i].type == SYNADB_TYPE_VECTOR ? 4096 % 4 : 0);
                    to_value(&vs[i], &ops_[i].value);
                }
            }
            if (synadb_write_batch(db, ops_, n, NULL) != SYNADB_OK) { mismatches++; fprintf(stderr, "batch failed: %s\n", synadb_errmsg(db)); }
            else for (i = 0; i < n; i++) { if (vs[i].type < 0) mk_clear(ks[i]); else mk_push(ks[i], &vs[i]); }
            free(bufs);
        } else if (what < 870) {
            double vals[300];
            size_t n = 1 + (size_t)(test_rand() % 300), i;
            for (i = 0; i < n; i++) vals[i] = test_rand() % 5 ? (double)((int64_t)(test_rand() % 20001) - 10000) / 100.0 : (double)(int64_t)test_rand() / 3.0;
            if (synadb_put_floats_batch(db, key->name, key->nlen, vals, n) != SYNADB_OK) mismatches++;
            else for (i = 0; i < n; i++) { ver v; memset(&v, 0, sizeof v); v.type = SYNADB_TYPE_FLOAT; v.f = vals[i]; mk_push(key, &v); }
        } else if (what < 880) {
            int hist = (int)(test_rand() % 2);
            if (synadb_compact(db, hist ? SYNADB_COMPACT_KEEP_HISTORY : 0) != SYNADB_OK) { mismatches++; fprintf(stderr, "compact: %s\n", synadb_errmsg(db)); }
            else if (!hist) for (k = 0; k < NKEYS; k++) mk_keep_latest(&model[k]);
        } else if (what < 895) {
            CHECK_OK(synadb_close(db));
            db = NULL;
            CHECK_OK(synadb_open(path, &c, &db));
        } else if (what < 995) {
            verify_key(db, key);
            verify_history(db, key);
        } else {
            verify_all(db, 0);
        }
    }
    if (db) {
        verify_all(db, 1);
        synadb_close(db);
        db = NULL;
        CHECK_OK(synadb_open(path, &c, &db));
        if (db) { verify_all(db, 1); synadb_close(db); }
    }
    CHECK_EQ(mismatches, 0);
    if (mismatches) fprintf(stderr, "config delta=%d lz4=%d no_mmap=%d seed=%llu: %d mismatches\n", delta, compress, no_mmap, seed, mismatches);
    for (k = 0; k < NKEYS; k++) { mk_clear(&model[k]); free(model[k].v); model[k].v = NULL; model[k].cap = 0; }
    remove(path);
    free(buf);
}

static long g_ops = 60000;
static void test_plain(void) { run_config(g_ops, 0, 0, 0, 1); }
static void test_delta(void) { run_config(g_ops, 1, 0, 0, 2); }
static void test_lz4(void) { run_config(g_ops, 0, 1, 0, 3); }
static void test_all_on(void) { run_config(g_ops, 1, 1, 0, 4); }
static void test_no_mmap(void) { run_config(g_ops / 2, 1, 1, 1, 5); }

int main(int argc, char **argv) {
    if (argc > 1) g_ops = atol(argv[1]);
    RUN(test_plain);
    RUN(test_delta);
    RUN(test_lz4);
    RUN(test_all_on);
    RUN(test_no_mmap);
    return test_report();
}
