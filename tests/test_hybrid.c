/* test_hybrid.c - HybridVectorStore (hot GWI + cold Cascade):
 *  - recall of the merged search against a brute-force oracle, before and after promotion;
 *  - promotion moves (counts exact: hot 0, cold n, len n), re-ingested keys are found once,
 *    as their hot copy; deletes from both layers;
 *  - reopen keeps counts; a move cut short (keys in both layers) is counted once;
 *  - layer mismatch, bad arguments; concurrent ingest + search + promote (TSan run). */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_vec.h"
#include "testing.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define D 24
#define N 3000
static float *data;

static void gen(void) {   /* 30 clusters */
    size_t i, d;
    float cen[30][D];
    data = (float *)malloc((size_t)N * D * sizeof *data);
    for (i = 0; i < 30; i++) for (d = 0; d < D; d++) cen[i][d] = test_frand() * 4.0f;
    for (i = 0; i < N; i++) for (d = 0; d < D; d++) data[i * D + d] = cen[i % 30][d] + test_frand() * 0.6f;
}
static char KB[N][16];
static const char *KP[N];
static void keys(void) { size_t i; for (i = 0; i < N; i++) { snprintf(KB[i], sizeof KB[i], "k%zu", i); KP[i] = KB[i]; } }

static synadb_hybrid *open_store(const char *hot, const char *cold, int fresh) {
    synadb_gwi_config gc = synadb_gwi_config_default(D, SYNADB_METRIC_EUCLIDEAN);
    synadb_cascade_config cc = synadb_cascade_config_preset(D, SYNADB_METRIC_EUCLIDEAN, SYNADB_CASCADE_SMALL);
    synadb_hybrid *h = NULL;
    char eb[256];
    gc.branching_factor = 8; gc.num_levels = 2; gc.nprobe = 64;   /* every leaf: exact hot searches */
    CHECK_OK(synadb_hybrid_open(hot, cold, fresh ? &gc : NULL, fresh ? &cc : NULL, &h, eb, sizeof eb));
    return h;
}
/* recall@10 of merged searches for 100 queries; `alive` marks the keys that may be returned */
static double recall(synadb_hybrid *h, const unsigned char *alive, const float *vecs) {
    size_t q, hits = 0, total = 0;
    for (q = 0; q < 100; q++) {
        const float *qv = data + (q * 29 % N) * D;
        synadb_hybrid_hit out[10];
        size_t n = 0, i, j, t;
        float best[10];
        int bid[10];
        for (t = 0; t < 10; t++) { best[t] = INFINITY; bid[t] = -1; }
        for (i = 0; i < N; i++) if (alive[i]) {
            float s = 0;
            for (j = 0; j < D; j++) { float x = qv[j] - vecs[i * D + j]; s += x * x; }
            if (s < best[9]) { for (t = 9; t > 0 && best[t - 1] > s; t--) { best[t] = best[t - 1]; bid[t] = bid[t - 1]; } best[t] = s; bid[t] = (int)i; }
        }
        CHECK_OK(synadb_hybrid_search(h, qv, 10, out, &n));
        for (i = 0; i < n; i++) {
            for (j = 0; j < i; j++) CHECK(!(out[j].key_len == out[i].key_len && memcmp(out[j].key, out[i].key, out[i].key_len) == 0));
            for (t = 0; t < 10; t++) if (bid[t] >= 0 && strlen(KB[bid[t]]) == out[i].key_len && memcmp(KB[bid[t]], out[i].key, out[i].key_len) == 0) { hits++; break; }
            if (i) CHECK(out[i - 1].score <= out[i].score);
        }
        for (t = 0; t < 10; t++) total += bid[t] >= 0;
    }
    return total ? (double)hits / (double)total : 1.0;
}

static void test_lifecycle(void) {
    char hp[256], cp[256];
    synadb_hybrid *h;
    unsigned char *alive = (unsigned char *)malloc(N);
    float *cur = (float *)malloc((size_t)N * D * sizeof *cur);
    size_t moved = 0, i;
    double r;
    test_path(hp, sizeof hp, "h.gwi"); test_path(cp, sizeof cp, "h.casc");
    h = open_store(hp, cp, 1);
    CHECK_OK(synadb_hybrid_initialize_hot(h, data, N));
    CHECK_OK(synadb_hybrid_ingest_batch(h, KP, NULL, data, N / 2));
    for (i = N / 2; i < N; i++) CHECK_OK(synadb_hybrid_ingest(h, KP[i], SYNADB_NTS, data + i * D));
    memset(alive, 1, N);
    memcpy(cur, data, (size_t)N * D * sizeof *cur);
    CHECK_EQ(synadb_hybrid_hot_count(h), N); CHECK_EQ(synadb_hybrid_cold_count(h), 0); CHECK_EQ(synadb_hybrid_len(h), N);
    r = recall(h, alive, cur);
    CHECK(r >= 0.99);
    /* promote: a move */
    CHECK_OK(synadb_hybrid_promote_to_cold(h, &moved));
    CHECK_EQ(moved, N);
    CHECK_EQ(synadb_hybrid_hot_count(h), 0); CHECK_EQ(synadb_hybrid_cold_count(h), N); CHECK_EQ(synadb_hybrid_len(h), N);
    r = recall(h, alive, cur);
    printf("recall after promotion %.4f\n", r);
    CHECK(r >= 0.95);
    /* re-ingest 200 keys with new vectors: hot copies win, counted once */
    for (i = 0; i < 200; i++) {
        size_t k = i * 7, d;
        for (d = 0; d < D; d++) cur[k * D + d] = data[((k + 1500) % N) * D + d] + 0.01f;
        CHECK_OK(synadb_hybrid_ingest(h, KP[k], SYNADB_NTS, cur + k * D));
    }
    CHECK_EQ(synadb_hybrid_hot_count(h), 200); CHECK_EQ(synadb_hybrid_cold_count(h), N); CHECK_EQ(synadb_hybrid_len(h), N);
    {   /* the new vector of key 7 finds key 7, hot, at distance 0; its old vector does not find it */
        synadb_hybrid_hit out[10];
        size_t n = 0, j;
        CHECK_OK(synadb_hybrid_search(h, cur + 7 * D, 10, out, &n));
        CHECK(n == 10 && out[0].key_len == 2 && memcmp(out[0].key, "k7", 2) == 0 && out[0].layer == SYNADB_LAYER_HOT && out[0].score < 1e-3f);
        CHECK_OK(synadb_hybrid_search(h, data + 7 * D, 10, out, &n));
        for (j = 0; j < n; j++) CHECK(!(out[j].key_len == 2 && memcmp(out[j].key, "k7", 2) == 0));
        CHECK_OK(synadb_hybrid_search_cold(h, data + 7 * D, 1, out, &n));   /* the raw cold layer still has the old copy */
        CHECK(n == 1 && out[0].key_len == 2 && memcmp(out[0].key, "k7", 2) == 0 && out[0].layer == SYNADB_LAYER_COLD);
    }
    r = recall(h, alive, cur);
    CHECK(r >= 0.95);
    /* deletes: a key in both layers, a cold-only key, an unknown key */
    CHECK_OK(synadb_hybrid_delete(h, "k7", SYNADB_NTS)); alive[7] = 0;
    CHECK_OK(synadb_hybrid_delete(h, "k1", SYNADB_NTS)); alive[1] = 0;
    CHECK_EQ(synadb_hybrid_delete(h, "nope", SYNADB_NTS), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_hybrid_len(h), N - 2); CHECK_EQ(synadb_hybrid_hot_count(h), 199);
    CHECK_OK(synadb_hybrid_close(h));
    /* reopen: counts, and the overlap, survive */
    h = open_store(hp, cp, 0);
    CHECK_EQ(synadb_hybrid_hot_count(h), 199); CHECK_EQ(synadb_hybrid_cold_count(h), N - 2); CHECK_EQ(synadb_hybrid_len(h), N - 2);
    r = recall(h, alive, cur);
    CHECK(r >= 0.95);
    CHECK_OK(synadb_hybrid_promote_to_cold(h, &moved));
    CHECK_EQ(moved, 199);
    CHECK_EQ(synadb_hybrid_hot_count(h), 0); CHECK_EQ(synadb_hybrid_len(h), N - 2);
    r = recall(h, alive, cur);
    CHECK(r >= 0.95);
    /* a move cut short: keys copied into the cold layer and saved, still hot */
    CHECK_OK(synadb_hybrid_ingest(h, "k7", SYNADB_NTS, cur + 7 * D)); alive[7] = 1;
    CHECK_OK(synadb_hybrid_ingest(h, "new", SYNADB_NTS, cur + 9 * D));
    CHECK_OK(synadb_cascade_insert(synadb_hybrid_cold(h), "k7", SYNADB_NTS, cur + 7 * D));
    CHECK_OK(synadb_cascade_insert(synadb_hybrid_cold(h), "new", SYNADB_NTS, cur + 9 * D));
    CHECK_OK(synadb_hybrid_close(h));
    h = open_store(hp, cp, 0);
    CHECK_EQ(synadb_hybrid_hot_count(h), 2); CHECK_EQ(synadb_hybrid_cold_count(h), N);
    CHECK_EQ(synadb_hybrid_len(h), N);   /* k0..k2999 minus k1, plus "new" */
    CHECK_OK(synadb_hybrid_promote_to_cold(h, NULL));
    CHECK_EQ(synadb_hybrid_len(h), N); CHECK_EQ(synadb_hybrid_hot_count(h), 0);
    CHECK_OK(synadb_hybrid_close(h));
    remove(hp); remove(cp);
    free(alive); free(cur);
}

static void test_bad(void) {
    char hp[256], cp[256], eb[256];
    synadb_gwi_config gc = synadb_gwi_config_default(D, SYNADB_METRIC_EUCLIDEAN);
    synadb_cascade_config cc = synadb_cascade_config_preset(D + 1, SYNADB_METRIC_EUCLIDEAN, SYNADB_CASCADE_SMALL);
    synadb_hybrid *h = NULL;
    synadb_hybrid_hit out[4];
    size_t n = 7;
    float nan_v[D];
    test_path(hp, sizeof hp, "b.gwi"); test_path(cp, sizeof cp, "b.casc");
    CHECK_EQ(synadb_hybrid_open(hp, cp, &gc, &cc, &h, eb, sizeof eb), SYNADB_ERR_INDEX_MISMATCH);
    CHECK(h == NULL && strstr(eb, "dims") != NULL);
    remove(hp); remove(cp);
    cc.dims = D; cc.metric = SYNADB_METRIC_COSINE;
    CHECK_EQ(synadb_hybrid_open(hp, cp, &gc, &cc, &h, eb, sizeof eb), SYNADB_ERR_INDEX_MISMATCH);
    remove(hp); remove(cp);
    CHECK_EQ(synadb_hybrid_open(NULL, cp, &gc, &cc, &h, eb, sizeof eb), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_hybrid_open(hp, cp, &gc, &cc, NULL, eb, sizeof eb), SYNADB_ERR_INVALID_ARG);
    cc.metric = SYNADB_METRIC_EUCLIDEAN;
    CHECK_OK(synadb_hybrid_open(hp, NULL, &gc, &cc, &h, eb, sizeof eb));   /* in-memory cold layer */
    /* before the hot layer is initialised */
    CHECK_EQ(synadb_hybrid_ingest(h, "a", SYNADB_NTS, data), SYNADB_ERR_NOT_INITIALIZED);
    CHECK_OK(synadb_hybrid_search(h, data, 4, out, &n));
    CHECK_EQ(n, 0);
    CHECK_OK(synadb_hybrid_initialize_hot(h, data, 500));
    CHECK_EQ(synadb_hybrid_initialize_hot(h, data, 500), SYNADB_ERR_EXISTS);
    memcpy(nan_v, data, sizeof nan_v); nan_v[3] = NAN;
    CHECK_EQ(synadb_hybrid_ingest(h, "a", SYNADB_NTS, nan_v), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_hybrid_ingest(h, "", SYNADB_NTS, data), SYNADB_ERR_EMPTY_KEY);
    CHECK_EQ(synadb_hybrid_ingest(h, NULL, 0, data), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_hybrid_ingest(NULL, "a", SYNADB_NTS, data), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_hybrid_ingest_batch(h, NULL, NULL, data, 3), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_hybrid_ingest(h, "a", SYNADB_NTS, data));
    CHECK(synadb_hybrid_search(h, nan_v, 4, out, &n) != SYNADB_OK);
    CHECK_EQ(synadb_hybrid_search(h, NULL, 4, out, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_hybrid_search(h, data, 4, NULL, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_hybrid_search(h, data, 0, NULL, &n));
    CHECK_EQ(n, 0);
    CHECK_OK(synadb_hybrid_promote_to_cold(h, &n));   /* in-memory cold: moved, nothing saved */
    CHECK_EQ(n, 1);
    CHECK_EQ(synadb_hybrid_len(h), 1);
    CHECK_EQ(synadb_hybrid_save_cold(h), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_hybrid_len(NULL), 0);
    CHECK_EQ(synadb_hybrid_close(NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_hybrid_close(h));
    remove(hp);
}

#if !defined(SYNADB_NO_THREADS) && !defined(_WIN32)
#include <pthread.h>
static synadb_hybrid *TH;
static void *ingester(void *arg) {
    size_t t = (size_t)arg, i;
    for (i = t; i < N; i += 2) if (synadb_hybrid_ingest(TH, KP[i], SYNADB_NTS, data + i * D)) break;
    return NULL;
}
static void *searcher(void *arg) {
    size_t i, n;
    synadb_hybrid_hit out[10];
    (void)arg;
    for (i = 0; i < 300; i++) if (synadb_hybrid_search(TH, data + (i * 13 % N) * D, 10, out, &n)) break;
    return NULL;
}
static void *promoter(void *arg) {
    size_t i;
    (void)arg;
    for (i = 0; i < 3; i++) if (synadb_hybrid_promote_to_cold(TH, NULL)) break;
    return NULL;
}
static void test_threads(void) {
    char hp[256], cp[256];
    pthread_t th[5];
    size_t i;
    test_path(hp, sizeof hp, "t.gwi"); test_path(cp, sizeof cp, "t.casc");
    TH = open_store(hp, cp, 1);
    CHECK_OK(synadb_hybrid_initialize_hot(TH, data, N));
    pthread_create(&th[0], NULL, ingester, (void *)0);
    pthread_create(&th[1], NULL, ingester, (void *)1);
    pthread_create(&th[2], NULL, searcher, NULL);
    pthread_create(&th[3], NULL, searcher, NULL);
    pthread_create(&th[4], NULL, promoter, NULL);
    for (i = 0; i < 5; i++) pthread_join(th[i], NULL);
    CHECK_EQ(synadb_hybrid_len(TH), N);
    CHECK_OK(synadb_hybrid_promote_to_cold(TH, NULL));
    CHECK_EQ(synadb_hybrid_len(TH), N); CHECK_EQ(synadb_hybrid_cold_count(TH), N); CHECK_EQ(synadb_hybrid_hot_count(TH), 0);
    CHECK_OK(synadb_hybrid_close(TH));
    remove(hp); remove(cp);
}
#endif

int main(void) {
    gen();
    keys();
    RUN(test_lifecycle);
    RUN(test_bad);
#if !defined(SYNADB_NO_THREADS) && !defined(_WIN32)
    RUN(test_threads);
#endif
    free(data);
    return test_report();
}
