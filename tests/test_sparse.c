/* test_sparse.c - tests of the SparseVectorStore in synadb_vec.h: MaxScore search against
 * an exhaustive oracle on Zipf corpora (deletes, re-indexing, duplicates), persistence,
 * truncated and damaged files, a killed writer, bad input, concurrent search and index,
 * and the svs_* ABI. */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_vec.h"
#include "testing.h"
#include <math.h>
#if !defined(_WIN32) && !defined(__EMSCRIPTEN__) && !defined(SYNA_NO_THREADS)
#define TEST_THREADS 1
#include <pthread.h>
#endif
#if !defined(_WIN32) && !defined(__EMSCRIPTEN__)
#define TEST_FORK 1
#include <sys/types.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>
#endif

static char P[512], P2[512];

/* ---- a model of the store: the oracle ---- */
#define MAXNNZ 128
typedef struct mdoc { int live; int nnz; uint32_t t[MAXNNZ]; float w[MAXNNZ]; } mdoc;
static double *zcdf;
static int zvocab;
static void zipf_init(int v, double s) {
    int i;
    double sum = 0;
    free(zcdf);
    zcdf = (double *)malloc((size_t)v * sizeof *zcdf);
    for (i = 0; i < v; i++) { sum += 1.0 / pow(i + 1.0, s); zcdf[i] = sum; }
    for (i = 0; i < v; i++) zcdf[i] /= sum;
    zvocab = v;
}
static uint32_t zipf(void) {
    double u = test_unit();
    int lo = 0, hi = zvocab - 1;
    while (lo < hi) { int mid = (lo + hi) / 2; if (zcdf[mid] < u) lo = mid + 1; else hi = mid; }
    return (uint32_t)lo;
}
/* a random raw vector (duplicates and weights <= 0 included) and its normalised model */
static int raw_vec(uint32_t *t, float *w, int maxn) {
    int n = 1 + (int)(test_rand() % (unsigned)maxn), i;
    for (i = 0; i < n; i++) {
        t[i] = zipf();
        w[i] = (float)(test_unit() * 3.0);
        if (test_rand() % 16 == 0) w[i] = -w[i];
        if (test_rand() % 32 == 0) w[i] = 0;
    }
    return n;
}
static void model_set(mdoc *d, const uint32_t *t, const float *w, int n) {
    int i, j;
    d->live = 1; d->nnz = 0;
    for (i = 0; i < n; i++) {
        int later = 0;
        for (j = i + 1; j < n; j++) if (t[j] == t[i]) later = 1;
        if (later || !(w[i] > 0)) continue;
        d->t[d->nnz] = t[i]; d->w[d->nnz] = w[i]; d->nnz++;
    }
}
static double model_dot(const mdoc *d, const uint32_t *qt, const float *qw, int qn) {
    mdoc q;
    double s = 0;
    int i, j;
    model_set(&q, qt, qw, qn);
    for (i = 0; i < q.nnz; i++) for (j = 0; j < d->nnz; j++) if (d->t[j] == q.t[i]) s += (double)q.w[i] * d->w[j];
    return s;
}
static int dcmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? 1 : x > y ? -1 : 0; }
static int tol_eq(double a, double b) { return fabs(a - b) <= 1e-5 * (fabs(b) > 1 ? fabs(b) : 1); }

/* checks one query against the model; returns 0 if it agrees */
static int check_query(synadb_svs *s, mdoc *m, int n, const uint32_t *qt, const float *qw, int qn, size_t k) {
    double *ref = (double *)malloc((size_t)n * sizeof *ref);
    synadb_vec_hit *h = (synadb_vec_hit *)malloc((k + 1) * sizeof *h), *h2 = (synadb_vec_hit *)malloc((k + 1) * sizeof *h2);
    size_t nh = 0, nh2 = 0, nr = 0, i;
    int bad = 0, j;
    mdoc q;
    float *qd = (float *)calloc((size_t)zvocab, sizeof *qd);
    model_set(&q, qt, qw, qn);
    for (j = 0; j < q.nnz; j++) qd[q.t[j]] = q.w[j];
    for (i = 0; i < (size_t)n; i++) if (m[i].live) {
        double d = 0;
        for (j = 0; j < m[i].nnz; j++) d += (double)qd[m[i].t[j]] * m[i].w[j];
        if (d > 0) ref[nr++] = d;
    }
    free(qd);
    qsort(ref, nr, sizeof *ref, dcmp);
    if (synadb_svs_search(s, qt, qw, (size_t)qn, k, h, &nh) != SYNADB_OK) bad = 1;
    if (synadb_svs_search_exhaustive(s, qt, qw, (size_t)qn, k, h2, &nh2) != SYNADB_OK) bad = 1;
    if (!bad && (nh != (nr < k ? nr : k) || nh2 != nh)) bad = 2;
    for (i = 0; !bad && i < nh; i++) {
        int idx = atoi(h[i].key + 1);
        if (!tol_eq(h[i].score, ref[i])) bad = 3;
        else if (idx < 0 || idx >= n || !m[idx].live || !tol_eq(model_dot(&m[idx], qt, qw, qn), h[i].score)) bad = 4;
        else if (i && h[i].score > h[i - 1].score) bad = 5;
        else if (h[i].id != h2[i].id && h[i].score != h2[i].score) bad = 6;   /* same order modulo exact ties */
    }
    if (bad) fprintf(stderr, "query mismatch (%d): k %u, %u hits, %u expected\n", bad, (unsigned)k, (unsigned)nh, (unsigned)nr);
    free(ref); free(h); free(h2);
    return bad;
}
static void index_doc(synadb_svs *s, mdoc *m, int i) {
    uint32_t t[MAXNNZ]; float w[MAXNNZ];
    char key[32];
    int n = raw_vec(t, w, 60);
    snprintf(key, sizeof key, "d%d", i);
    CHECK_OK(synadb_svs_index(s, key, SYNADB_NTS, t, w, (size_t)n, NULL));
    model_set(&m[i], t, w, n);
}
static void run_queries(synadb_svs *s, mdoc *m, int n, int nq) {
    static const size_t ks[] = {1, 3, 10, 50};
    int q, fails = 0;
    for (q = 0; q < nq; q++) {
        uint32_t t[32]; float w[32];
        int qn = 1 + (int)(test_rand() % 20), i;
        for (i = 0; i < qn; i++) { t[i] = test_rand() % 4 ? zipf() : (uint32_t)(test_rand() % (unsigned)zvocab); w[i] = (float)(0.05 + test_unit()); }
        if (check_query(s, m, n, t, w, qn, ks[q % 4])) fails++;
    }
    CHECK_EQ(fails, 0);
}

static void test_exact_vs_exhaustive(void) {
    int seed;
    for (seed = 1; seed <= 3; seed++) {
        const int n = 2500;
        mdoc *m = (mdoc *)calloc((size_t)n, sizeof *m);
        synadb_svs *s = NULL;
        int i;
        test_seed((unsigned long long)seed * 7919);
        zipf_init(1500 + 500 * seed, 1.0 + 0.1 * seed);
        test_path(P, sizeof P, "svs-exact");
        CHECK_OK(synadb_svs_open(seed == 2 ? NULL : P, NULL, &s));
        for (i = 0; i < n; i++) index_doc(s, m, i);
        run_queries(s, m, n, 300);
        for (i = 0; i < 400; i++) {   /* deletes and re-indexing */
            int d = (int)(test_rand() % (unsigned)n);
            char key[32];
            snprintf(key, sizeof key, "d%d", d);
            if (test_rand() % 2) { CHECK_EQ(synadb_svs_delete(s, key, SYNADB_NTS), m[d].live ? SYNADB_OK : SYNADB_ERR_KEY_NOT_FOUND); m[d].live = 0; }
            else index_doc(s, m, d);
        }
        run_queries(s, m, n, 300);
        {
            size_t live = 0;
            for (i = 0; i < n; i++) live += (size_t)m[i].live;
            CHECK_EQ(synadb_svs_len(s), live);
        }
        if (seed != 2) {   /* reopen: the same answers */
            CHECK_OK(synadb_svs_close(s));
            CHECK_OK(synadb_svs_open(P, NULL, &s));
            run_queries(s, m, n, 150);
            CHECK_OK(synadb_svs_save(s, NULL));   /* compaction in place */
            run_queries(s, m, n, 100);
            CHECK_OK(synadb_svs_close(s));
            CHECK_OK(synadb_svs_open(P, NULL, &s));
            run_queries(s, m, n, 100);
        }
        CHECK_OK(synadb_svs_close(s));
        remove(P);
        free(m);
    }
}

/* ---- the search's block summaries (64 postings) and doc windows (4096 ids) ---- */
/* The search's hits are the exhaustive search's: the same ids in the same order, the same
   scores (the tests below use weights whose sums are exact in any order). */
static int same_as_exhaustive(synadb_svs *s, const uint32_t *qt, const float *qw, size_t qn, size_t k) {
    synadb_vec_hit *h = (synadb_vec_hit *)malloc((k + 1) * sizeof *h), *h2 = (synadb_vec_hit *)malloc((k + 1) * sizeof *h2);
    size_t nh = 1, nh2 = 2, i;
    int bad = 0;
    if (synadb_svs_search(s, qt, qw, qn, k, h, &nh) != SYNADB_OK || synadb_svs_search_exhaustive(s, qt, qw, qn, k, h2, &nh2) != SYNADB_OK) bad = 1;
    else if (nh != nh2) bad = 2;
    for (i = 0; !bad && i < nh; i++) if (h[i].id != h2[i].id || h[i].score != h2[i].score) bad = 3;
    if (bad) fprintf(stderr, "not the exhaustive answer (%d): k %u, hit %u\n", bad, (unsigned)k, (unsigned)i);
    free(h); free(h2);
    return bad;
}
static void blk_index(synadb_svs *s, unsigned d, int n, const uint32_t *t, const float *w) {
    char key[32];
    snprintf(key, sizeof key, "b%u", d);
    CHECK_OK(synadb_svs_index(s, key, SYNADB_NTS, t, w, (size_t)n, NULL));
}
static void blk_delete(synadb_svs *s, unsigned d) {
    char key[32];
    snprintf(key, sizeof key, "b%u", d);
    if (synadb_svs_contains(s, key, SYNADB_NTS)) CHECK_OK(synadb_svs_delete(s, key, SYNADB_NTS));
}
/* one list of L postings (term 1, on every sp-th doc) with spikes at block edges, a larger
   one at its middle and the largest on its last posting, over lists on every doc (term 2)
   and every third (term 3); lengths around the block size and the window size, spacings
   that do and do not align blocks with windows; then the spikes deleted (dead postings keep
   their blocks' maxima up), the store compacted (blocks rebuilt), and documents re-indexed
   after it */
static void test_block_edges(void) {
    static const unsigned lens[] = {1, 2, 63, 64, 65, 127, 128, 129, 192, 2047, 2048, 2049, 4097, 8193};
    static const uint32_t q1[] = {1, 2, 3}, q2[] = {1}, q3[] = {2, 3, 1};
    static const float w1[] = {1, 1, 0.5f}, w2[] = {2}, w3[] = {0.25f, 4, 1};
    static const size_t ks[] = {1, 5, 10, 64, 65};
    size_t li;
    int fails = 0;
    for (li = 0; li < sizeof lens / sizeof *lens; li++) {
        const unsigned L = lens[li], sp = 1 + (unsigned)li % 4, N = sp * L + 100;
        synadb_svs *s = NULL;
        unsigned d, round;
        test_path(P, sizeof P, "svs-blocks");
        remove(P);
        CHECK_OK(synadb_svs_open(P, NULL, &s));
        for (d = 0; d < N; d++) {
            uint32_t t[3]; float w[3];
            int n = 0;
            if (d % sp == 0 && d / sp < L) {
                unsigned i = d / sp;   /* position in term 1's list */
                t[n] = 1;
                w[n++] = i == L - 1 ? 16.0f : i == L / 2 ? 8.0f : (i == 63 || i == 64 || i == 127) ? 4.0f : (float)(i % 7 + 1) / 8.0f;
            }
            t[n] = 2; w[n++] = (float)(d % 5 + 1) / 8.0f;
            if (d % 3 == 0) { t[n] = 3; w[n++] = 1.0f; }
            blk_index(s, d, n, t, w);
        }
        for (round = 0; round < 4; round++) {
            size_t ki;
            for (ki = 0; ki < sizeof ks / sizeof *ks; ki++) {
                fails += same_as_exhaustive(s, q1, w1, 3, ks[ki]) != 0;
                fails += same_as_exhaustive(s, q2, w2, 1, ks[ki]) != 0;
                fails += same_as_exhaustive(s, q3, w3, 3, ks[ki]) != 0;
            }
            if (round == 0) {   /* delete the spikes and the docs at block edges */
                static const unsigned at[] = {63, 64, 127, 0, 1, 128};
                size_t a;
                for (a = 0; a < sizeof at / sizeof *at; a++) if (at[a] < L) blk_delete(s, sp * at[a]);
                blk_delete(s, sp * (L - 1));
                blk_delete(s, sp * (L / 2));
            } else if (round == 1) {
                CHECK_OK(synadb_svs_save(s, NULL));   /* purges the dead postings */
            } else if (round == 2) {   /* re-index (new ids after the purge) */
                for (d = 0; d < N; d += 7) {
                    uint32_t t[2] = {1, 3}; float w[2] = {3.0f, (float)(d % 4 + 1) / 4.0f};
                    blk_index(s, d, 2, t, w);
                }
            }
        }
        CHECK_OK(synadb_svs_close(s));
        remove(P);
    }
    CHECK_EQ(fails, 0);
}
/* many exact ties (weights are small binary fractions) over several windows, random
   deletes inside blocks, re-indexing, a long gap in the doc ids, compaction: the hits at
   the k-th score are the exhaustive search's (lowest doc ids) */
static void test_ties_and_windows(void) {
    const unsigned N = 15000;
    synadb_svs *s = NULL;
    unsigned d, round;
    int fails = 0, q;
    test_seed(4242);
    test_path(P, sizeof P, "svs-ties");
    remove(P);
    CHECK_OK(synadb_svs_open(P, NULL, &s));
    for (d = 0; d < N; d++) {
        uint32_t t[6]; float w[6];
        int n = 1 + (int)(test_rand() % 5), i;
        for (i = 0; i < n; i++) { t[i] = (uint32_t)(test_rand() % 24); w[i] = (float)(1 + test_rand() % 8) / 4.0f; }
        if (d % 997 == 0) { t[0] = 99; w[0] = 8; }   /* a rare, heavy term */
        blk_index(s, d, n, t, w);
    }
    for (round = 0; round < 5; round++) {
        for (q = 0; q < 60; q++) {
            static const size_t ks[] = {1, 7, 10, 100};
            uint32_t t[8]; float w[8];
            int n = 1 + (int)(test_rand() % 8), i;
            for (i = 0; i < n; i++) { t[i] = q % 5 == 0 && i == 0 ? 99 : (uint32_t)(test_rand() % 26); w[i] = (float)(1 << (test_rand() % 3)) / 2.0f; }
            fails += same_as_exhaustive(s, t, w, (size_t)n, ks[q % 4]) != 0;
        }
        if (round == 0) {   /* deletes scattered inside blocks */
            for (d = 0; d < N; d++) if (test_rand() % 3 == 0) blk_delete(s, d);
        } else if (round == 1) {   /* re-index some (deleted or not) */
            for (d = 0; d < N; d += 5) {
                uint32_t t[2] = {(uint32_t)(d % 24), 99}; float w[2] = {2, (float)(d % 3 + 1)};
                blk_index(s, d, d % 2 ? 2 : 1, t, w);
            }
        } else if (round == 2) {   /* a gap of more than two windows in the doc ids */
            char key[32];
            for (d = 0; d < N; d++) {
                if (d >= 2000) blk_delete(s, d);
            }
            for (d = 0; d < 9000; d++) {   /* ids to burn, deleted again */
                uint32_t t = 5; float w = 1;
                snprintf(key, sizeof key, "g%u", d % 10);
                CHECK_OK(synadb_svs_index(s, key, SYNADB_NTS, &t, &w, 1, NULL));
            }
            for (d = 0; d < 10; d++) { snprintf(key, sizeof key, "g%u", d); CHECK_OK(synadb_svs_delete(s, key, SYNADB_NTS)); }
            for (d = 2000; d < 2600; d++) {
                uint32_t t[2] = {(uint32_t)(d % 24), 3}; float w[2] = {1.5f, 0.25f};
                blk_index(s, d, 2, t, w);
            }
        } else if (round == 3) {
            CHECK_OK(synadb_svs_save(s, NULL));
        }
    }
    CHECK_OK(synadb_svs_close(s));
    remove(P);
    CHECK_EQ(fails, 0);
}
/* random Zipf corpus over many windows against the model */
static void test_exact_many_windows(void) {
    const int n = 14000;
    mdoc *m = (mdoc *)calloc((size_t)n, sizeof *m);
    synadb_svs *s = NULL;
    int i;
    test_seed(777);
    zipf_init(3000, 1.0);
    CHECK_OK(synadb_svs_open(NULL, NULL, &s));
    for (i = 0; i < n; i++) index_doc(s, m, i);
    run_queries(s, m, n, 120);
    for (i = 0; i < n; i++) {   /* a long run deleted (ids skipped by whole windows), then some re-indexed */
        char key[32];
        if (i < 3000 || i >= 12000) continue;
        snprintf(key, sizeof key, "d%d", i);
        CHECK_OK(synadb_svs_delete(s, key, SYNADB_NTS));
        m[i].live = 0;
    }
    run_queries(s, m, n, 80);
    for (i = 5000; i < 5300; i++) index_doc(s, m, i);
    run_queries(s, m, n, 80);
    synadb_svs_close(s);
    free(m);
}

/* heavy deletes: the purge of dead postings keeps results exact */
static void test_purge(void) {
    const int n = 3000;
    mdoc *m = (mdoc *)calloc((size_t)n, sizeof *m);
    synadb_svs *s = NULL;
    int round, i;
    test_seed(99);
    zipf_init(800, 1.1);
    CHECK_OK(synadb_svs_open(NULL, NULL, &s));
    for (round = 0; round < 4; round++) {
        for (i = 0; i < n; i++) index_doc(s, m, i);
        for (i = 0; i < n; i++) if (test_rand() % 10) { char key[32]; snprintf(key, sizeof key, "d%d", i); CHECK_OK(synadb_svs_delete(s, key, SYNADB_NTS)); m[i].live = 0; }
    }
    run_queries(s, m, n, 200);
    synadb_svs_close(s);
    free(m);
}

static void test_stats_and_basics(void) {
    synadb_svs *s = NULL;
    synadb_svs_stats st;
    uint32_t t1[] = {5, 7, 5, 9}, t2[] = {7, 11};
    float w1[] = {1.0f, 2.0f, 3.0f, -1.0f}, w2[] = {0.5f, 4.0f};
    synadb_vec_hit h[4];
    size_t n;
    uint64_t id = 99;
    CHECK_OK(synadb_svs_open(NULL, NULL, &s));
    CHECK_OK(synadb_svs_index(s, "a", SYNADB_NTS, t1, w1, 4, &id));
    CHECK_EQ(id, 0);
    CHECK_OK(synadb_svs_index(s, "b", SYNADB_NTS, t2, w2, 2, &id));
    CHECK_EQ(id, 1);
    CHECK_OK(synadb_svs_stats_get(s, &st));
    CHECK_EQ(st.documents, 2);
    CHECK_EQ(st.terms, 3);            /* 5, 7, 11 (9 had a negative weight) */
    CHECK_EQ(st.postings, 4);
    CHECK(fabs(st.mean_nnz - 2.0) < 1e-9);
    {   /* a: {5:3, 7:2}, b: {7:0.5, 11:4}; query {5:1, 7:1} -> a 5, b 0.5 */
        uint32_t q[] = {5, 7}; float qw[] = {1, 1};
        CHECK_OK(synadb_svs_search(s, q, qw, 2, 4, h, &n));
        CHECK_EQ(n, 2);
        CHECK(n == 2 && strcmp(h[0].key, "a") == 0 && fabs(h[0].score - 5.0f) < 1e-6 && strcmp(h[1].key, "b") == 0);
    }
    CHECK_OK(synadb_svs_index(s, "a", SYNADB_NTS, t2, w2, 2, &id));   /* replace: new id */
    CHECK_EQ(id, 2);
    CHECK_EQ(synadb_svs_len(s), 2);
    CHECK_OK(synadb_svs_stats_get(s, &st));
    CHECK_EQ(st.terms, 2);
    CHECK_EQ(st.postings, 4);
    {   /* ties: equal scores by ascending doc id */
        uint32_t q[] = {11}; float qw[] = {1};
        CHECK_OK(synadb_svs_search(s, q, qw, 1, 4, h, &n));
        CHECK(n == 2 && h[0].id == 1 && h[1].id == 2 && h[0].score == h[1].score);
    }
    CHECK(synadb_svs_contains(s, "a", 1));
    CHECK(!synadb_svs_contains(s, "zz", 2));
    CHECK_OK(synadb_svs_delete(s, "a", SYNADB_NTS));
    CHECK(!synadb_svs_contains(s, "a", 1));
    CHECK_EQ(synadb_svs_delete(s, "a", SYNADB_NTS), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_OK(synadb_svs_index(s, "empty", SYNADB_NTS, t1, w1, 0, NULL));   /* no terms: stored, never found */
    CHECK(synadb_svs_contains(s, "empty", SYNADB_NTS));
    CHECK_EQ(synadb_svs_len(s), 2);
    synadb_svs_close(s);
}

static void test_bad_input(void) {
    synadb_svs *s = NULL;
    uint32_t t[] = {1, 2};
    float w[] = {1, 2}, wn[] = {1, NAN}, wi[] = {INFINITY, 1}, wm[] = {-INFINITY, 1};
    synadb_vec_hit h[2];
    size_t n = 7;
    char big[70000];
    CHECK_OK(synadb_svs_open(NULL, NULL, &s));
    CHECK_EQ(synadb_svs_index(s, NULL, 0, t, w, 2, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_svs_index(s, "k", SYNADB_NTS, NULL, w, 2, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_svs_index(s, "k", SYNADB_NTS, t, NULL, 2, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_svs_index(s, "", SYNADB_NTS, t, w, 2, NULL), SYNADB_ERR_EMPTY_KEY);
    memset(big, 'x', sizeof big);
    CHECK_EQ(synadb_svs_index(s, big, sizeof big, t, w, 2, NULL), SYNADB_ERR_KEY_TOO_LONG);
    CHECK_EQ(synadb_svs_index(s, "k", SYNADB_NTS, t, wn, 2, NULL), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_svs_index(s, "k", SYNADB_NTS, t, wi, 2, NULL), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_svs_index(s, "k", SYNADB_NTS, t, wm, 2, NULL), SYNADB_ERR_BAD_VECTOR);
    CHECK(strstr(synadb_svs_errmsg(s), "NaN") != NULL);
    CHECK_EQ(synadb_svs_len(s), 0);
    CHECK_OK(synadb_svs_index(s, "k", SYNADB_NTS, t, w, 2, NULL));
    CHECK_EQ(synadb_svs_search(s, t, wn, 2, 2, h, &n), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_svs_search(s, NULL, w, 2, 2, h, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_svs_search(s, t, w, 2, 2, NULL, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_svs_search(s, t, w, 2, 2, h, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_svs_search(s, t, w, 0, 2, h, &n));    /* empty query: no hits */
    CHECK_EQ(n, 0);
    CHECK_OK(synadb_svs_search(s, t, w, 2, 0, h, &n));
    CHECK_EQ(n, 0);
    CHECK_EQ(synadb_svs_delete(s, NULL, 0), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_svs_delete(s, "", 0), SYNADB_ERR_EMPTY_KEY);
    CHECK_EQ(synadb_svs_delete(s, "nope", SYNADB_NTS), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_svs_save(s, NULL), SYNADB_ERR_INVALID_ARG);   /* in memory: needs a path */
    synadb_svs_close(s);
    CHECK_EQ(synadb_svs_open("", NULL, &s), SYNADB_ERR_INVALID_ARG);
    CHECK(s == NULL);
    CHECK_EQ(synadb_svs_close(NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_svs_open(NULL, NULL, NULL), SYNADB_ERR_INVALID_ARG);
    {
        synadb_svs_config c = synadb_svs_config_default();
        c.no_create = 1;
        test_path(P, sizeof P, "svs-missing");
        CHECK_EQ(synadb_svs_open(P, &c, &s), SYNADB_ERR_NOT_FOUND);
    }
}

/* builds a file with a known history; lens[i] = documents after record i, ends[i] = file size */
#define HIST 60
static void build_history(const char *path, size_t *lens, uint64_t *ends) {
    synadb_svs *s = NULL;
    synadb_svs_stats st;
    int i;
    test_seed(4242);
    zipf_init(300, 1.0);
    remove(path);
    CHECK_OK(synadb_svs_open(path, NULL, &s));
    for (i = 0; i < HIST; i++) {
        uint32_t t[MAXNNZ]; float w[MAXNNZ];
        char key[32];
        int n = raw_vec(t, w, 20);
        snprintf(key, sizeof key, "k%d", i % 40);
        if (i % 7 == 6) (void)synadb_svs_delete(s, key, SYNADB_NTS);   /* the key may be absent */
        else CHECK_OK(synadb_svs_index(s, key, SYNADB_NTS, t, w, (size_t)n, NULL));
        CHECK_OK(synadb_svs_stats_get(s, &st));
        lens[i] = (size_t)st.documents;
        ends[i] = st.file_bytes;
    }
    CHECK_OK(synadb_svs_close(s));
}

static void test_truncated(void) {
    size_t lens[HIST], fn, ok = 0;
    uint64_t ends[HIST], cut;
    unsigned char *f;
    test_path(P, sizeof P, "svs-trunc");
    test_path(P2, sizeof P2, "svs-trunc2");
    build_history(P, lens, ends);
    f = test_slurp(P, &fn);
    CHECK(f != NULL && fn == ends[HIST - 1]);
    for (cut = 0; f && cut <= fn; cut += (cut < 64 ? 1 : 1 + cut % 37)) {
        synadb_svs *s = NULL;
        size_t want = 0;
        int i;
        synadb_result r;
        for (i = 0; i < HIST; i++) if (ends[i] <= cut) want = lens[i];
        remove(P2);
        test_spit(P2, f, (size_t)cut);
        r = synadb_svs_open(P2, NULL, &s);
        if (r != SYNADB_OK) { fprintf(stderr, "cut %llu: %d\n", (unsigned long long)cut, (int)r); CHECK_OK(r); continue; }
        if (synadb_svs_len(s) == want) ok++;
        else fprintf(stderr, "cut %llu: %u docs, expected %u\n", (unsigned long long)cut, (unsigned)synadb_svs_len(s), (unsigned)want);
        {   /* the cut file takes new records */
            uint32_t t[] = {1}; float w[] = {1};
            CHECK_OK(synadb_svs_index(s, "after", SYNADB_NTS, t, w, 1, NULL));
        }
        synadb_svs_close(s);
        CHECK_OK(synadb_svs_open(P2, NULL, &s));
        CHECK(synadb_svs_contains(s, "after", SYNADB_NTS));
        synadb_svs_close(s);
    }
    CHECK(ok > 100);
    free(f);
    remove(P); remove(P2);
}

static void test_damaged(void) {
    size_t lens[HIST], fn, i;
    uint64_t ends[HIST];
    unsigned char *f;
    synadb_svs *s = NULL;
    test_path(P, sizeof P, "svs-dmg");
    test_path(P2, sizeof P2, "svs-dmg2");
    build_history(P, lens, ends);
    f = test_slurp(P, &fn);
    for (i = 0; f && i < ends[HIST - 2]; i += 1 + i % 13) {   /* every flip before the last record: an error */
        synadb_result r;
        f[i] ^= 0x10;
        remove(P2);
        test_spit(P2, f, fn);
        f[i] ^= 0x10;
        r = synadb_svs_open(P2, NULL, &s);
        if (i < 16) CHECK(r == SYNADB_ERR_NOT_A_DATABASE || r == SYNADB_ERR_CORRUPT || r == SYNADB_ERR_VERSION);
        else CHECK_EQ(r, SYNADB_ERR_CORRUPT);
        if (r == SYNADB_OK) synadb_svs_close(s);
    }
    {   /* a flip in the last record: an error, or that record dropped as torn */
        synadb_result r;
        f[fn - 3] ^= 1;
        remove(P2);
        test_spit(P2, f, fn);
        f[fn - 3] ^= 1;
        r = synadb_svs_open(P2, NULL, &s);
        CHECK(r == SYNADB_ERR_CORRUPT || r == SYNADB_OK);
        if (r == SYNADB_OK) { CHECK_EQ(synadb_svs_len(s), lens[HIST - 2]); synadb_svs_close(s); }
    }
    {   /* a zero-filled tail (grown, never written) is cut */
        unsigned char *g = (unsigned char *)calloc(fn + 4096, 1);
        memcpy(g, f, fn);
        remove(P2);
        test_spit(P2, g, fn + 4096);
        CHECK_OK(synadb_svs_open(P2, NULL, &s));
        CHECK_EQ(synadb_svs_len(s), lens[HIST - 1]);
        synadb_svs_close(s);
        free(g);
    }
    {   /* foreign files */
        const char *txt = "hello, this is not a sparse store at all, just text";
        remove(P2);
        test_spit(P2, (const unsigned char *)txt, strlen(txt));
        CHECK_EQ(synadb_svs_open(P2, NULL, &s), SYNADB_ERR_NOT_A_DATABASE);
        remove(P2);
        test_spit(P2, (const unsigned char *)"SYNADB", 6);
        CHECK_EQ(synadb_svs_open(P2, NULL, &s), SYNADB_ERR_NOT_A_DATABASE);
        remove(P2);
        test_spit(P2, (const unsigned char *)"xyz", 3);
        CHECK_EQ(synadb_svs_open(P2, NULL, &s), SYNADB_ERR_NOT_A_DATABASE);
        {   /* the header of a newer version */
            unsigned char h[24];
            memcpy(h, f, 24);
            synadb__wr32(h + 8, 2);
            synadb__wr32(h + 16, synadb_crc32c(0, h, 16));
            remove(P2);
            test_spit(P2, h, 24);
            CHECK_EQ(synadb_svs_open(P2, NULL, &s), SYNADB_ERR_VERSION);
        }
    }
    {   /* two writers on one file are refused */
        synadb_svs *s2 = NULL;
        CHECK_OK(synadb_svs_open(P, NULL, &s));
#if !defined(__EMSCRIPTEN__)
        CHECK_EQ(synadb_svs_open(P, NULL, &s2), SYNADB_ERR_LOCKED);
#endif
        if (s2) synadb_svs_close(s2);
        synadb_svs_close(s);
    }
    free(f);
    remove(P); remove(P2);
}

static void test_persistence(void) {
    const int n = 800;
    mdoc *m = (mdoc *)calloc((size_t)n, sizeof *m);
    synadb_svs *s = NULL, *c = NULL;
    synadb_svs_stats a, b;
    int i;
    synadb_svs_config cfg = synadb_svs_config_default();
    test_seed(5);
    zipf_init(500, 1.0);
    test_path(P, sizeof P, "svs-persist");
    test_path(P2, sizeof P2, "svs-persist-copy");
    cfg.sync_on_write = 1;
    CHECK_OK(synadb_svs_open(P, &cfg, &s));
    for (i = 0; i < n; i++) index_doc(s, m, i);
    for (i = 0; i < n; i += 3) index_doc(s, m, i);               /* duplicates replace */
    for (i = 1; i < n; i += 5) { char key[32]; snprintf(key, sizeof key, "d%d", i); CHECK_OK(synadb_svs_delete(s, key, SYNADB_NTS)); m[i].live = 0; }
    CHECK_OK(synadb_svs_stats_get(s, &a));
    CHECK_OK(synadb_svs_save(s, P2));                              /* a compact copy */
    CHECK_OK(synadb_svs_close(s));
    CHECK_OK(synadb_svs_open(P, NULL, &s));
    CHECK_OK(synadb_svs_stats_get(s, &b));
    CHECK(a.documents == b.documents && a.terms == b.terms && a.postings == b.postings && a.next_doc_id == b.next_doc_id);
    run_queries(s, m, n, 100);
    CHECK_OK(synadb_svs_open(P2, NULL, &c));
    CHECK_OK(synadb_svs_stats_get(c, &b));
    CHECK(a.documents == b.documents && a.terms == b.terms && a.postings == b.postings);
    CHECK(b.file_bytes < a.file_bytes);
    run_queries(c, m, n, 100);
    index_doc(c, m, 0);                                            /* the copy is a live store */
    synadb_svs_close(c);
    CHECK_OK(synadb_svs_open(P2, NULL, &c));
    run_queries(c, m, n, 50);
    synadb_svs_close(c);
    synadb_svs_close(s);
    remove(P); remove(P2);
    free(m);
}

#if defined(TEST_FORK)
static void test_kill_during_index(void) {
    int fds[2], status, trial;
    for (trial = 0; trial < 3; trial++) {
        pid_t pid;
        unsigned acked = 0, v;
        synadb_svs *s = NULL;
        unsigned i;
        int missing = 0;
        test_path(P, sizeof P, "svs-kill");
        CHECK_EQ(pipe(fds), 0);
        pid = fork();
        if (pid == 0) {
            synadb_svs *w = NULL;
            close(fds[0]);
            if (synadb_svs_open(P, NULL, &w)) _exit(2);
            for (i = 0;; i++) {
                uint32_t t[8]; float wt[8];
                char key[32];
                int j;
                for (j = 0; j < 8; j++) { t[j] = (i * 31u + (unsigned)j * 7u) % 1000u; wt[j] = 1.0f + (float)j; }
                snprintf(key, sizeof key, "k%u", i);
                if (synadb_svs_index(w, key, SYNADB_NTS, t, wt, 8, NULL)) _exit(3);
                if (i % 3 == 2) { snprintf(key, sizeof key, "k%u", i - 1); if (synadb_svs_delete(w, key, SYNADB_NTS)) _exit(4); }
                if (write(fds[1], &i, sizeof i) != (ssize_t)sizeof i) _exit(5);
            }
        }
        close(fds[1]);
        while (acked < 2000u + 1500u * (unsigned)trial && read(fds[0], &v, sizeof v) == (ssize_t)sizeof v) acked = v + 1;
        kill(pid, SIGKILL);
        while (read(fds[0], &v, sizeof v) == (ssize_t)sizeof v) acked = v + 1;
        close(fds[0]);
        waitpid(pid, &status, 0);
        CHECK(acked >= 2000);
        CHECK_OK(synadb_svs_open(P, NULL, &s));
        for (i = 0; i < acked; i++) {
            char key[32];
            int want = !(i % 3 == 1 && i + 1 < acked);   /* deleted once its successor was acknowledged */
            snprintf(key, sizeof key, "k%u", i);
            if (i % 3 == 1 && i + 1 == acked) continue;        /* the delete may or may not have landed */
            if (synadb_svs_contains(s, key, SYNADB_NTS) != want) missing++;
        }
        CHECK_EQ(missing, 0);
        {   /* the last acknowledged document is searchable */
            uint32_t t[8]; float wt[8];
            synadb_vec_hit h[1];
            size_t n;
            int j;
            for (j = 0; j < 8; j++) { t[j] = ((acked - 1) * 31u + (unsigned)j * 7u) % 1000u; wt[j] = 1; }
            CHECK_OK(synadb_svs_search(s, t, wt, 8, 1, h, &n));
            CHECK_EQ(n, 1);
        }
        synadb_svs_close(s);
        remove(P);
    }
}
#endif

#if defined(TEST_THREADS)
typedef struct thr { synadb_svs *s; int stop; int errors; } thr;
static void *searcher(void *arg) {
    thr *t = (thr *)arg;
    unsigned long long r = 12345;
    while (!__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE)) {
        uint32_t q[5]; float w[5] = {1, 1, 1, 1, 1};
        synadb_vec_hit h[10];
        size_t n, i;
        for (i = 0; i < 5; i++) { r = r * 6364136223846793005ULL + 1442695040888963407ULL; q[i] = (uint32_t)(r >> 33) % 200u; }
        if (synadb_svs_search(t->s, q, w, 5, 10, h, &n)) t->errors++;
        for (i = 0; i < n; i++) if (!h[i].key || h[i].key[0] != 'k' || !(h[i].score > 0)) t->errors++;
        (void)synadb_svs_len(t->s);
        (void)synadb_svs_contains(t->s, "k1", 2);
    }
    return NULL;
}
static void test_concurrent(void) {
    thr t;
    pthread_t th;
    synadb_svs_stats st;
    int i;
    test_path(P, sizeof P, "svs-threads");
    memset(&t, 0, sizeof t);
    CHECK_OK(synadb_svs_open(P, NULL, &t.s));
    pthread_create(&th, NULL, searcher, &t);
    for (i = 0; i < 3000; i++) {
        uint32_t q[6]; float w[6];
        char key[32];
        int j;
        for (j = 0; j < 6; j++) { q[j] = (uint32_t)((i * 13 + j * 37) % 200); w[j] = 0.5f + (float)j; }
        snprintf(key, sizeof key, "k%d", i % 1000);
        CHECK_OK(synadb_svs_index(t.s, key, SYNADB_NTS, q, w, 6, NULL));
        if (i % 10 == 9) { snprintf(key, sizeof key, "k%d", (i * 7) % 1000); (void)synadb_svs_delete(t.s, key, SYNADB_NTS); }
        if (i % 1000 == 999) CHECK_OK(synadb_svs_stats_get(t.s, &st));
    }
    __atomic_store_n(&t.stop, 1, __ATOMIC_RELEASE);
    pthread_join(th, NULL);
    CHECK_EQ(t.errors, 0);
    synadb_svs_close(t.s);
    remove(P);
}
#endif

static void test_abi(void) {
    uint32_t t[] = {1, 2, 3};
    float w[] = {1, 2, 3};
    char *keys[4];
    float scores[4];
    uint32_t n = 9, nd, nt, np;
    float avg;
    uint32_t i;
    test_path(P, sizeof P, "svs-abi");
    CHECK_EQ(svs_new(NULL), SVS_ERR_NULL_PTR);
    CHECK_EQ(svs_new("s1"), SVS_SUCCESS);
    CHECK_EQ(svs_new("s1"), SVS_ERR_ALREADY_EXISTS);
    CHECK_EQ(svs_exists("s1"), 1);
    CHECK_EQ(svs_exists("s2"), 0);
    CHECK_EQ(svs_index("s1", "a", t, w, 3), 0);
    CHECK_EQ(svs_index("s1", "b", t, w, 2), 1);
    CHECK_EQ(svs_index("s1", "a", t, w, 1), 2);                   /* re-index: new id */
    CHECK_EQ(svs_index("s1", "a", NULL, w, 0), SVS_ERR_NULL_PTR);  /* any NULL */
    CHECK_EQ(svs_index("s1", "", t, w, 1), SYNADB_ERR_EMPTY_KEY);
    CHECK_EQ(svs_index("nope", "a", t, w, 1), SVS_ERR_NOT_FOUND);
    {
        float bad[] = {1, NAN, 1};
        CHECK_EQ(svs_index("s1", "c", t, bad, 3), SYNADB_ERR_BAD_VECTOR);
    }
    CHECK_EQ(svs_len("s1"), 2);
    CHECK_EQ(svs_search("s1", t, w, 3, 4, keys, scores, &n), SVS_SUCCESS);
    CHECK_EQ(n, 2);
    CHECK(n == 2 && strcmp(keys[0], "b") == 0 && fabs(scores[0] - 5.0f) < 1e-6 && strcmp(keys[1], "a") == 0);
    for (i = 0; i < n; i++) svs_free_key(keys[i]);
    CHECK_EQ(svs_search("nope", t, w, 3, 4, keys, scores, &n), SVS_ERR_NOT_FOUND);
    CHECK_EQ(svs_search("s1", t, w, 3, 4, NULL, scores, &n), SVS_ERR_NULL_PTR);
    CHECK_EQ(svs_stats("s1", &nd, &nt, &np, &avg), SVS_SUCCESS);
    CHECK(nd == 2 && nt == 2 && np == 3 && fabs(avg - 1.5f) < 1e-6);
    CHECK_EQ(svs_stats("s1", NULL, &nt, &np, &avg), SVS_ERR_NULL_PTR);
    CHECK_EQ(svs_delete("s1", "zz"), SVS_ERR_NOT_FOUND);
    CHECK_EQ(svs_delete("s1", "b"), SVS_SUCCESS);
    CHECK_EQ(svs_len("s1"), 1);
    remove(P);
    CHECK_EQ(svs_save("s1", P), SVS_SUCCESS);
    CHECK_EQ(svs_save("nope", P), SVS_ERR_NOT_FOUND);
    CHECK_EQ(svs_open("s1", P), SVS_ERR_ALREADY_EXISTS);
    CHECK_EQ(svs_open("s2", P), SVS_SUCCESS);
    CHECK_EQ(svs_len("s2"), 1);
    CHECK_EQ(svs_index("s2", "d", t, w, 3), 3);                   /* doc ids continue */
    CHECK_EQ(svs_close("s2"), SVS_SUCCESS);
    CHECK_EQ(svs_close("s2"), SVS_ERR_NOT_FOUND);
    CHECK_EQ(svs_open("s2", P), SVS_SUCCESS);                     /* durable without svs_save */
    CHECK_EQ(svs_len("s2"), 2);
    CHECK_EQ(svs_close("s2"), SVS_SUCCESS);
    CHECK_EQ(svs_close("s1"), SVS_SUCCESS);
    CHECK_EQ(svs_len("s1"), SVS_ERR_NOT_FOUND);
    {
        char miss[512];
        test_path(miss, sizeof miss, "svs-abi-missing");
        CHECK_EQ(svs_open("s3", miss), SYNADB_ERR_NOT_FOUND);
        CHECK_EQ(svs_exists("s3"), 0);
    }
    remove(P);
}

int main(void) {
    RUN(test_stats_and_basics);
    RUN(test_bad_input);
    RUN(test_exact_vs_exhaustive);
    RUN(test_purge);
    RUN(test_block_edges);
    RUN(test_ties_and_windows);
    RUN(test_exact_many_windows);
    RUN(test_persistence);
    RUN(test_truncated);
    RUN(test_damaged);
#if defined(TEST_FORK)
    RUN(test_kill_during_index);
#endif
#if defined(TEST_THREADS)
    RUN(test_concurrent);
#endif
    RUN(test_abi);
    free(zcdf);
    return test_report();
}
