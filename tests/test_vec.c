/* test_vec.c - tests of synadb_vec.h: kernels against the scalar reference, exact top-k
 * against a naive oracle, HNSW recall against exact search for every metric, deletes,
 * upserts, compaction, persistence and damaged files, concurrent search and insert,
 * VectorStore on the log, and the path-keyed ABI. */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_vec.h"
#include "testing.h"
#include <math.h>
#if !defined(_WIN32) && !defined(__EMSCRIPTEN__) && !defined(SYNA_NO_THREADS)
#define TEST_THREADS 1
#include <pthread.h>
#endif

static char P[512];

static float gauss(void) {
    double u = test_unit() + 1e-12, v = test_unit();
    return (float)(sqrt(-2 * log(u)) * cos(6.283185307179586 * v));
}
/* n points around 50 gaussian centres; the centres are drawn once per seed so that data
   and queries made with the same seed come from the same distribution */
static float *clustered_seed(size_t n, size_t d, float spread, unsigned long long seed) {
    float *c = (float *)malloc(50 * d * sizeof *c), *x = (float *)malloc(n * d * sizeof *x);
    size_t i, j;
    unsigned long long keep = testing_rng_state;
    test_seed(seed);
    for (i = 0; i < 50 * d; i++) c[i] = gauss() * 3;
    test_seed(keep);
    for (i = 0; i < n; i++) {
        size_t k = (size_t)(test_rand() % 50);
        for (j = 0; j < d; j++) x[i * d + j] = c[k * d + j] + gauss() * spread;
    }
    free(c);
    return x;
}
static float *clustered(size_t n, size_t d, float spread) { return clustered_seed(n, d, spread, 777 + d); }
static double naive_dist(int m, const float *a, const float *b, size_t n) {
    double s = 0, na = 0, nb = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        if (m == SYNADB_METRIC_EUCLIDEAN) s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
        else { s += (double)a[i] * b[i]; na += (double)a[i] * a[i]; nb += (double)b[i] * b[i]; }
    }
    if (m == SYNADB_METRIC_EUCLIDEAN) return sqrt(s);
    if (m == SYNADB_METRIC_DOT) return -s;
    return (na <= 0 || nb <= 0) ? 1.0 : 1.0 - s / sqrt(na * nb);
}

static void test_kernels_against_scalar(void) {
    synadb_vec_kernels all[4], sc = synadb_vec_kernels_scalar();
    size_t nk = synadb_vec_kernels_all(all, 4), k, n, i;
    float *a = (float *)malloc(1100 * sizeof *a), *b = (float *)malloc(1100 * sizeof *b);
    long bad = 0, tried = 0;
    CHECK(nk >= 1);
    CHECK(strcmp(synadb_vec_kernels_best().name, all[nk - 1].name) == 0);
    fprintf(stderr, "kernels:");
    for (k = 0; k < nk; k++) fprintf(stderr, " %s", all[k].name);
    fprintf(stderr, "\n");
    for (k = 0; k < nk; k++) {
        for (n = 1; n <= 1100; n++) {
            double ref_d = 0, ref_l = 0;
            float d, l, lb;
            for (i = 0; i < n; i++) { a[i] = test_frand() * 10; b[i] = test_frand() * 10; }
            for (i = 0; i < n; i++) { ref_d += (double)a[i] * b[i]; ref_l += ((double)a[i] - b[i]) * ((double)a[i] - b[i]); }
            d = all[k].dot(a, b, n);
            l = all[k].l2sq(a, b, n);
            lb = all[k].l2sq_bounded(a, b, n, 1e30f);
            tried++;
            /* float accumulation error grows with n: relative to the sum of magnitudes */
            if (fabs(d - ref_d) > 1e-4 * (1 + 100.0 * n) || fabs(l - ref_l) > 1e-5 * (1 + ref_l)) bad++;
            if (fabs(lb - l) > 1e-5 * (1 + l)) bad++;
            if (fabs(d - sc.dot(a, b, n)) > 1e-4 * (1 + 100.0 * n)) bad++;
            /* a bound below the true value: any result above the bound is fine */
            lb = all[k].l2sq_bounded(a, b, n, (float)(ref_l * 0.5));
            if (!(lb > ref_l * 0.5)) bad++;
            if (all[k].l2sq_x4) { /* four at once equal four single ones */
                const float *vv[4];
                float out4[4];
                int t;
                vv[0] = b; vv[1] = a; vv[2] = b; vv[3] = a;
                all[k].l2sq_x4(a, vv, n, 1e30f, out4);
                for (t = 0; t < 4; t++) if (fabs(out4[t] - (t % 2 ? 0.0 : ref_l)) > 1e-5 * (1 + ref_l)) bad++;
                all[k].l2sq_x4(a, vv, n, -1.0f, out4); /* all four above the bound: may stop early */
                for (t = 0; t < 4; t++) if (!(out4[t] > -1.0f) && !(t % 2)) bad++;
            }
        }
    }
    CHECK_EQ(bad, 0);
    CHECK(tried == (long)nk * 1100);
    free(a); free(b);
}

static void test_distances_and_checks(void) {
    float a[3] = {1, 0, 0}, b[3] = {0, 1, 0}, c[3] = {2, 0, 0}, z[3] = {0, 0, 0}, nan3[3] = {1, NAN, 0}, inf3[3] = {INFINITY, 0, 0};
    CHECK(fabsf(synadb_vec_distance(NULL, SYNADB_METRIC_COSINE, a, b, 3) - 1.0f) < 1e-6f);
    CHECK(fabsf(synadb_vec_distance(NULL, SYNADB_METRIC_COSINE, a, c, 3)) < 1e-6f);
    CHECK(fabsf(synadb_vec_distance(NULL, SYNADB_METRIC_EUCLIDEAN, a, c, 3) - 1.0f) < 1e-6f);
    CHECK(fabsf(synadb_vec_distance(NULL, SYNADB_METRIC_DOT, a, c, 3) + 2.0f) < 1e-6f);
    CHECK(synadb_vec_distance(NULL, SYNADB_METRIC_COSINE, a, z, 3) == 1.0f);
    CHECK_OK(synadb_vec_check(a, 3, SYNADB_METRIC_COSINE));
    CHECK_EQ(synadb_vec_check(z, 3, SYNADB_METRIC_COSINE), SYNADB_ERR_BAD_VECTOR);
    CHECK_OK(synadb_vec_check(z, 3, SYNADB_METRIC_EUCLIDEAN));
    CHECK_EQ(synadb_vec_check(nan3, 3, SYNADB_METRIC_EUCLIDEAN), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_vec_check(inf3, 3, SYNADB_METRIC_DOT), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_vec_check(NULL, 3, SYNADB_METRIC_DOT), SYNADB_ERR_INVALID_ARG);
}

static void test_exact_topk(void) {
    size_t n = 777, d = 37, nq = 20, k = 15, m, q, i, j;
    float *x = clustered(n, d, 1.0f), *qs = clustered(nq, d, 1.0f);
    synadb_vec_hit *hits = (synadb_vec_hit *)malloc(nq * k * sizeof *hits), one[15];
    size_t *cnt = (size_t *)malloc(nq * sizeof *cnt), c1;
    double *ref = (double *)malloc(n * sizeof *ref);
    long bad = 0;
    for (m = 0; m < 3; m++) {
        CHECK_OK(synadb_vec_topk_batch(NULL, (synadb_metric)m, x, n, d, 0, qs, nq, k, hits, cnt));
        for (q = 0; q < nq; q++) {
            /* the oracle: every distance computed in double, sorted */
            double kth;
            for (i = 0; i < n; i++) ref[i] = naive_dist((int)m, qs + q * d, x + i * d, d);
            for (i = 0; i < k; i++) for (j = i + 1; j < n; j++) if (ref[j] < ref[i]) { double t = ref[i]; ref[i] = ref[j]; ref[j] = t; }
            kth = ref[k - 1];
            if (cnt[q] != k) bad++;
            for (i = 0; i < k; i++) {
                double dd = naive_dist((int)m, qs + q * d, x + hits[q * k + i].id * d, d);
                if (fabs(dd - ref[i]) > 1e-3 * (1 + fabs(ref[i]))) bad++;        /* same distances, in order */
                if (fabs(hits[q * k + i].score - dd) > 1e-3 * (1 + fabs(dd))) bad++;
                if (dd > kth + 1e-3 * (1 + fabs(kth))) bad++;
            }
            CHECK_OK(synadb_vec_topk(NULL, (synadb_metric)m, x, n, d, 0, qs + q * d, k, one, &c1));
            for (i = 0; i < k; i++) if (one[i].id != hits[q * k + i].id && fabs(one[i].score - hits[q * k + i].score) > 1e-5) bad++;
        }
    }
    CHECK_EQ(bad, 0);
    /* k larger than n, stride, errors */
    {
        synadb_vec_hit h[10];
        size_t c = 99;
        float mat[3 * 4] = {1, 1, 1, 99, 2, 2, 2, 99, 3, 3, 3, 99}, qq[3] = {2.1f, 2.1f, 2.1f};
        CHECK_OK(synadb_vec_topk(NULL, SYNADB_METRIC_EUCLIDEAN, mat, 3, 3, 4, qq, 10, h, &c));
        CHECK(c == 3 && h[0].id == 1 && h[1].id == 2 && h[2].id == 0);
        CHECK_EQ(synadb_vec_topk(NULL, SYNADB_METRIC_EUCLIDEAN, mat, 3, 3, 2, qq, 10, h, &c), SYNADB_ERR_INVALID_ARG);
        CHECK_EQ(synadb_vec_topk(NULL, SYNADB_METRIC_EUCLIDEAN, mat, 3, 3, 0, NULL, 10, h, &c), SYNADB_ERR_INVALID_ARG);
        CHECK_EQ(synadb_vec_topk(NULL, (synadb_metric)7, mat, 3, 3, 0, qq, 10, h, &c), SYNADB_ERR_INVALID_ARG);
        CHECK_OK(synadb_vec_topk(NULL, SYNADB_METRIC_EUCLIDEAN, mat, 0, 3, 0, qq, 10, h, &c));
        CHECK_EQ(c, 0);
    }
    free(x); free(qs); free(hits); free(cnt); free(ref);
}

/* recall@10 of an index against exact search over the same data */
static double recall_of(synadb_hnsw *h, int m, const float *x, size_t n, const float *qs, size_t nq, size_t d, size_t ef) {
    synadb_vec_hit *gt = (synadb_vec_hit *)malloc(nq * 10 * sizeof *gt), got[10];
    size_t *gn = (size_t *)malloc(nq * sizeof *gn), q, a, b, c;
    double hits = 0;
    synadb_vec_topk_batch(NULL, (synadb_metric)m, x, n, d, 0, qs, nq, 10, gt, gn);
    for (q = 0; q < nq; q++) {
        synadb_hnsw_search(h, qs + q * d, 10, ef, got, &c);
        for (a = 0; a < c; a++) for (b = 0; b < gn[q]; b++) if (got[a].id == gt[q * 10 + b].id) { hits++; break; }
    }
    free(gt); free(gn);
    return hits / (double)(nq * 10);
}

/* White-box graph check: every layer-0 link is in range and not a self link, the kept
   in-degree counters equal a recount, and no live node but the entry point is an orphan
   (unreachable by any layer-0 link). Returns the number of orphans. */
static size_t graph_orphans(synadb_hnsw *h) {
    size_t n = h->count, i, orph = 0, bad = 0, wrong = 0;
    uint32_t *deg = (uint32_t *)calloc(n ? n : 1, sizeof *deg), entry = (uint32_t)(h->entry & 0xffffffffu);
    for (i = 0; i < n; i++) {
        const uint32_t *l0 = SYNADB__HL0(h, i);
        uint32_t j;
        for (j = 0; j < l0[0]; j++) {
            if (l0[1 + j] >= n || l0[1 + j] == i) { bad++; continue; }
            deg[l0[1 + j]]++;
        }
    }
    for (i = 0; i < n; i++) {
        if (deg[i] != h->indeg[i]) wrong++;
        if (!h->deleted[i] && !deg[i] && i != entry && n > 1) orph++;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(wrong, 0);
    free(deg);
    return orph;
}

static void test_hnsw_recall(void) {
    size_t n = 10000, d = 128, nq = 200;
    int m;
    for (m = 0; m < 3; m++) {
        /* overlapping clusters (spread as large as the spacing of the centres) */
        float *x = clustered(n, d, 3.0f), *qs = clustered(nq, d, 3.0f);
        synadb_hnsw *h = NULL;
        synadb_hnsw_config cfg = synadb_hnsw_config_default((uint32_t)d, (synadb_metric)m);
        synadb_hnsw_stats st;
        double r;
        size_t i;
        CHECK_OK(synadb_hnsw_create(&cfg, &h));
        if (!h) return;
        for (i = 0; i < n; i++) CHECK_OK(synadb_hnsw_add(h, i, x + i * d));
        r = recall_of(h, m, x, n, qs, nq, d, 0);
        fprintf(stderr, "hnsw clustered 10000x128 metric %d: recall@10 %.4f (default ef); ef=10: %.4f\n", m, r, recall_of(h, m, x, n, qs, nq, d, 10));
        CHECK(r >= 0.95);
        CHECK_OK(synadb_hnsw_stats_get(h, &st));
        CHECK_EQ(st.live, n);
        CHECK(st.avg_edges_per_node > 4 && st.avg_edges_per_node <= 32);
        CHECK_EQ(synadb_hnsw_len(h), n);
        CHECK_EQ(graph_orphans(h), 0);
        synadb_hnsw_free(h);
        free(x); free(qs);
    }
    {   /* uniform random data (no structure; the hard case) */
        size_t rn = 5000, rd = 32, i;
        float *x = (float *)malloc(rn * rd * sizeof *x), *qs = (float *)malloc(nq * rd * sizeof *qs);
        synadb_hnsw *h = NULL;
        synadb_hnsw_config cfg = synadb_hnsw_config_default((uint32_t)rd, SYNADB_METRIC_EUCLIDEAN);
        double r;
        for (i = 0; i < rn * rd; i++) x[i] = test_frand();
        for (i = 0; i < nq * rd; i++) qs[i] = test_frand();
        CHECK_OK(synadb_hnsw_create(&cfg, &h));
        CHECK_OK(synadb_hnsw_add_batch(h, NULL, x, rn, 2));
        r = recall_of(h, SYNADB_METRIC_EUCLIDEAN, x, rn, qs, nq, rd, 0);
        fprintf(stderr, "hnsw uniform 5000x32: recall@10 %.4f (default ef)\n", r);
        CHECK(r >= 0.95);
        CHECK_EQ(graph_orphans(h), 0);
        synadb_hnsw_free(h);
        free(x); free(qs);
    }
}

static void test_hnsw_small_and_bad_input(void) {
    synadb_hnsw *h = NULL;
    synadb_hnsw_config cfg = synadb_hnsw_config_default(3, SYNADB_METRIC_COSINE);
    float v[3] = {1, 2, 3}, z[3] = {0, 0, 0}, nanv[3] = {1, NAN, 2};
    synadb_vec_hit out[5];
    size_t n = 9;
    CHECK_EQ(synadb_hnsw_create(NULL, &h), SYNADB_ERR_INVALID_ARG);
    cfg.dims = 0; CHECK_EQ(synadb_hnsw_create(&cfg, &h), SYNADB_ERR_INVALID_ARG);
    cfg.dims = 8193; CHECK_EQ(synadb_hnsw_create(&cfg, &h), SYNADB_ERR_INVALID_ARG);
    cfg.dims = 3; cfg.metric = 5; CHECK_EQ(synadb_hnsw_create(&cfg, &h), SYNADB_ERR_INVALID_ARG);
    cfg.metric = SYNADB_METRIC_COSINE; cfg.M = 1; CHECK_EQ(synadb_hnsw_create(&cfg, &h), SYNADB_ERR_INVALID_ARG);
    cfg.M = 16;
    cfg.alpha = 0.5f; CHECK_EQ(synadb_hnsw_create(&cfg, &h), SYNADB_ERR_INVALID_ARG);
    cfg.alpha = 2.5f; CHECK_EQ(synadb_hnsw_create(&cfg, &h), SYNADB_ERR_INVALID_ARG);
    cfg.alpha = NAN; CHECK_EQ(synadb_hnsw_create(&cfg, &h), SYNADB_ERR_INVALID_ARG);
    CHECK(h == NULL);
    cfg.alpha = 0;   /* the default */
    CHECK_OK(synadb_hnsw_create(&cfg, &h));
    if (!h) return;
    /* empty index */
    CHECK_OK(synadb_hnsw_search(h, v, 5, 0, out, &n));
    CHECK_EQ(n, 0);
    CHECK_EQ(synadb_hnsw_add(h, 1, z), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_hnsw_add(h, 1, nanv), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_hnsw_add(h, 1, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK(strstr(synadb_hnsw_errmsg(h), "NULL") != NULL);
    CHECK_EQ(synadb_hnsw_len(h), 0);
    /* one vector, then fewer than k */
    CHECK_OK(synadb_hnsw_add(h, 42, v));
    CHECK_OK(synadb_hnsw_search(h, v, 5, 0, out, &n));
    CHECK(n == 1 && out[0].id == 42 && fabsf(out[0].score) < 1e-6f);
    CHECK_EQ(synadb_hnsw_search(h, z, 5, 0, out, &n), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_hnsw_search(h, nanv, 5, 0, out, &n), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_hnsw_search(h, NULL, 5, 0, out, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_hnsw_search(h, v, 5, (size_t)-1, out, &n));   /* a huge ef is clamped, not overflowed */
    CHECK_EQ(n, 1);
    CHECK_EQ(synadb_hnsw_delete(h, 7), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_OK(synadb_hnsw_delete(h, 42));
    CHECK_OK(synadb_hnsw_search(h, v, 5, 0, out, &n));
    CHECK_EQ(n, 0);
    synadb_hnsw_free(h);
    synadb_hnsw_free(NULL);
    {   /* a NaN or infinite query under L2 is refused too (not only under cosine) */
        synadb_hnsw_config c2 = synadb_hnsw_config_default(3, SYNADB_METRIC_EUCLIDEAN);
        float inf3[3] = {INFINITY, 0, 0};
        h = NULL;
        CHECK_OK(synadb_hnsw_create(&c2, &h));
        if (!h) return;
        CHECK_OK(synadb_hnsw_add(h, 1, v));
        CHECK_EQ(synadb_hnsw_search(h, nanv, 5, 0, out, &n), SYNADB_ERR_BAD_VECTOR);
        CHECK(strstr(synadb_hnsw_errmsg(h), "NaN") != NULL);
        CHECK_EQ(synadb_hnsw_search(h, inf3, 5, 0, out, &n), SYNADB_ERR_BAD_VECTOR);
        CHECK_OK(synadb_hnsw_search(h, z, 5, 0, out, &n));   /* the zero vector is a valid L2 query */
        CHECK_EQ(n, 1);
        synadb_hnsw_free(h);
    }
}

static void test_hnsw_delete_upsert_compact(void) {
    size_t n = 3000, d = 16, i, q, c;
    float *x = clustered(n, d, 1.0f);
    synadb_hnsw *h = NULL;
    synadb_hnsw_config cfg = synadb_hnsw_config_default((uint32_t)d, SYNADB_METRIC_EUCLIDEAN);
    synadb_vec_hit out[10];
    float back[16];
    long leaked = 0;
    cfg.capacity = 100; /* forces growth */
    CHECK_OK(synadb_hnsw_create(&cfg, &h));
    if (!h) return;
    for (i = 0; i < n; i++) CHECK_OK(synadb_hnsw_add(h, i, x + i * d));
    for (i = 0; i < n; i += 3) CHECK_OK(synadb_hnsw_delete(h, i));
    CHECK_EQ(synadb_hnsw_len(h), n - 1000);
    for (q = 0; q < 300; q++) {  /* deleted labels never come back */
        CHECK_OK(synadb_hnsw_search(h, x + q * d, 10, 50, out, &c));
        CHECK_EQ(c, 10);
        for (i = 0; i < c; i++) if (out[i].id % 3 == 0) leaked++;
    }
    CHECK_EQ(leaked, 0);
    CHECK_EQ(graph_orphans(h), 0);
    CHECK(!synadb_hnsw_contains(h, 3));
    CHECK(synadb_hnsw_contains(h, 4));
    /* upsert moves a label to a new vector */
    CHECK_OK(synadb_hnsw_add(h, 4, x + 100 * d));
    CHECK_OK(synadb_hnsw_get(h, 4, back));
    CHECK(memcmp(back, x + 100 * d, d * sizeof(float)) == 0);
    CHECK_OK(synadb_hnsw_search(h, x + 100 * d, 2, 50, out, &c));
    CHECK(c == 2 && ((out[0].id == 4 && out[1].id == 100) || (out[0].id == 100 && out[1].id == 4)));
    CHECK_EQ(synadb_hnsw_len(h), n - 1000);
    CHECK_EQ(synadb_hnsw_get(h, 3, back), SYNADB_ERR_KEY_NOT_FOUND);
    /* compaction drops the dead nodes and keeps every live one */
    {
        synadb_hnsw_stats s1, s2;
        synadb_hnsw_stats_get(h, &s1);
        CHECK_OK(synadb_hnsw_compact(h));
        synadb_hnsw_stats_get(h, &s2);
        CHECK(s1.nodes > s2.nodes);
        CHECK_EQ(s2.nodes, n - 1000);
        CHECK_EQ(s2.deleted, 0);
        CHECK_EQ(synadb_hnsw_len(h), n - 1000);
        CHECK_EQ(graph_orphans(h), 0);
        CHECK_OK(synadb_hnsw_search(h, x + 5 * d, 1, 50, out, &c));
        CHECK(c == 1 && out[0].id == 5);
    }
    synadb_hnsw_free(h);
    free(x);
}

/* Search contexts are pooled and reused with other ef values; the candidate heap also
   grows inside a search. Regression: a context whose candidate heap had grown was later
   used with a larger ef and its result heap was not resized (heap overflow, found by a
   Fashion-MNIST run at ef 160 then 400). White-box: grow the heap as a search would, then
   search with ever larger ef (ASan checks every access), and compare with exact search. */
static void test_hnsw_context_reuse(void) {
    size_t n = 3000, d = 16, i, got;
    float *x = clustered(n, d, 1.0f);
    synadb_hnsw *h = NULL;
    synadb_hnsw_config cfg = synadb_hnsw_config_default((uint32_t)d, SYNADB_METRIC_EUCLIDEAN);
    synadb_vec_hit *out = (synadb_vec_hit *)malloc(n * sizeof *out), *ex = (synadb_vec_hit *)malloc(n * sizeof *ex);
    synadb_vec_kernels k = synadb_vec_kernels_best();
    static const size_t efs[] = { 10, 40, 400, 1500, 3000, 20 };
    CHECK_OK(synadb_hnsw_create(&cfg, &h));
    if (!h || !out || !ex) return;
    CHECK_OK(synadb_hnsw_add_batch(h, NULL, x, n, 1));
    {
        synadb__hctx *c = synadb__hctx_get(h, 10);
        CHECK(c != NULL);
        if (c) {
            size_t cn;
            for (cn = 0; cn < 5000; cn++) if (!synadb__hcand_room(h, c, cn)) break;
            CHECK(c->cand_cap * 2 > 5000);
            synadb__hctx_put(h, c);
        }
    }
    for (i = 0; i < sizeof efs / sizeof *efs; i++) {
        size_t k_ = efs[i] < 100 ? 10 : efs[i], ne = 0, j, hit = 0;
        const float *q = x + (i * 7 % n) * d;
        CHECK_OK(synadb_hnsw_search(h, q, k_, efs[i], out, &got));
        CHECK_OK(synadb_vec_topk(&k, SYNADB_METRIC_EUCLIDEAN, x, n, d, d, q, k_, ex, &ne));
        CHECK_EQ(got, k_);
        for (j = 0; j < got && j < ne; j++) if (out[j].score <= ex[ne - 1].score * 1.0001f + 1e-6f) hit++;
        CHECK(hit >= got * 9 / 10);
    }
    synadb_hnsw_free(h);
    free(x); free(out); free(ex);
}

static void test_hnsw_persistence(void) {
    size_t n = 2000, d = 24, i, c1, c2, q, same = 0;
    float *x = clustered(n, d, 1.0f);
    synadb_hnsw *h = NULL, *g = NULL;
    synadb_hnsw_config cfg = synadb_hnsw_config_default((uint32_t)d, SYNADB_METRIC_COSINE), want;
    synadb_vec_hit a[10], b[10];
    uint8_t stamp[32], back[32];
    char err[256], tmp[600];
    FILE *f;
    unsigned char *buf;
    long sz;
    CHECK_OK(synadb_hnsw_create(&cfg, &h));
    if (!h) return;
    CHECK_OK(synadb_hnsw_add_batch(h, NULL, x, n, 2));
    CHECK_OK(synadb_hnsw_delete(h, 7));
    CHECK_OK(synadb_hnsw_add_key(h, "named", SYNADB_NTS, x));
    memset(stamp, 0xab, sizeof stamp);
    CHECK_OK(synadb_hnsw_save(h, test_path(P, sizeof P, "idx.hnsw"), stamp));
    snprintf(tmp, sizeof tmp, "%s.tmp", P);
    CHECK(!synadb__path_exists(tmp));
    CHECK_OK(synadb_hnsw_load(P, &cfg, &g, back, err, sizeof err));
    if (!g) { synadb_hnsw_free(h); free(x); return; }
    CHECK(memcmp(stamp, back, 32) == 0);
    CHECK(h->alpha == 1.05f && g->alpha == 1.05f);   /* the selection rule travels with the file */
    CHECK_EQ(synadb_hnsw_len(g), synadb_hnsw_len(h));
    for (q = 0; q < 100; q++) {
        CHECK_OK(synadb_hnsw_search(h, x + q * d, 10, 40, a, &c1));
        CHECK_OK(synadb_hnsw_search(g, x + q * d, 10, 40, b, &c2));
        for (i = 0; i < c1 && i < c2; i++) same += a[i].id == b[i].id;
    }
    CHECK_EQ(same, 1000);
    CHECK(!synadb_hnsw_contains(g, 7));
    CHECK_OK(synadb_hnsw_search(g, x, 2, 40, b, &c2));
    CHECK(c2 >= 1 && ((b[0].key && b[0].key_len == 5 && memcmp(b[0].key, "named", 5) == 0) ||
                      (c2 > 1 && b[1].key && memcmp(b[1].key, "named", 5) == 0)));
    /* the loaded index keeps working: inserts, deletes, a second save */
    for (i = 0; i < 200; i++) CHECK_OK(synadb_hnsw_add(g, 100000 + i, x + i * d));
    CHECK_EQ(synadb_hnsw_len(g), synadb_hnsw_len(h) + 200);
    CHECK_OK(synadb_hnsw_save(g, P, NULL));
    synadb_hnsw_free(g);
    g = NULL;
    CHECK_OK(synadb_hnsw_load(P, NULL, &g, NULL, err, sizeof err));
    if (g) { CHECK_EQ(synadb_hnsw_len(g), synadb_hnsw_len(h) + 200); synadb_hnsw_free(g); g = NULL; }
    /* mismatches and damage are refused with clear codes */
    want = cfg; want.dims = 25;
    CHECK_EQ(synadb_hnsw_load(P, &want, &g, NULL, err, sizeof err), SYNADB_ERR_INDEX_MISMATCH);
    CHECK(strstr(err, "24-dimensional") != NULL);
    want = cfg; want.metric = SYNADB_METRIC_DOT;
    CHECK_EQ(synadb_hnsw_load(P, &want, &g, NULL, err, sizeof err), SYNADB_ERR_INDEX_MISMATCH);
    f = fopen(P, "rb"); fseek(f, 0, SEEK_END); sz = ftell(f); fseek(f, 0, SEEK_SET);
    buf = (unsigned char *)malloc((size_t)sz);
    if (fread(buf, 1, (size_t)sz, f) != (size_t)sz) CHECK(0);
    fclose(f);
    {
        long k, wrong = 0;
        for (k = 0; k < 60; k++) {
            long at = k < 10 ? k * 400 : 4096 + (long)(test_rand() % (unsigned long long)(sz - 4096));
            synadb_result r;
            buf[at] ^= 0x10;
            f = fopen(P, "wb"); fwrite(buf, 1, (size_t)sz, f); fclose(f);
            buf[at] ^= 0x10;
            r = synadb_hnsw_load(P, NULL, &g, NULL, err, sizeof err);
            if (g) { synadb_hnsw_free(g); g = NULL; }
            /* a flip in the padding between sections changes nothing the index uses */
            if (r != SYNADB_ERR_CHECKSUM && r != SYNADB_ERR_CORRUPT && r != SYNADB_ERR_NOT_A_DATABASE && r != SYNADB_OK) wrong++;
            if (r == SYNADB_OK && at < 4096) wrong++;
        }
        CHECK_EQ(wrong, 0);
        for (k = 1; k < sz - 4096; k += sz / 37) {    /* truncations (the last page may be padding) */
            f = fopen(P, "wb"); fwrite(buf, 1, (size_t)k, f); fclose(f);
            CHECK(synadb_hnsw_load(P, NULL, &g, NULL, err, sizeof err) != SYNADB_OK);
            if (g) { synadb_hnsw_free(g); g = NULL; }
        }
    }
    f = fopen(P, "wb"); fputs("definitely not an index, but long enough to have a header.......", f); fclose(f);
    CHECK_EQ(synadb_hnsw_load(P, NULL, &g, NULL, err, sizeof err), SYNADB_ERR_NOT_A_DATABASE);
    f = fopen(P, "wb"); fwrite(buf, 1, 100, f); fclose(f);
    CHECK_EQ(synadb_hnsw_load(P, NULL, &g, NULL, err, sizeof err), SYNADB_ERR_CORRUPT); /* ours, truncated */
    CHECK_EQ(synadb_hnsw_load("/nonexistent/x.hnsw", NULL, &g, NULL, err, sizeof err), SYNADB_ERR_NOT_FOUND);
    free(buf);
    remove(P);
    synadb_hnsw_free(h);
    free(x);
}

#ifdef TEST_THREADS
/* searches running while two threads insert (run under ThreadSanitizer) */
typedef struct { synadb_hnsw *h; const float *x; size_t d, n; int bad; } tctx;
static int g_stop;
static void *searcher(void *arg) {
    tctx *t = (tctx *)arg;
    size_t q = 0, c;
    synadb_vec_hit out[10];
    while (!__atomic_load_n(&g_stop, __ATOMIC_ACQUIRE)) {
        if (synadb_hnsw_search(t->h, t->x + (q++ % t->n) * t->d, 10, 30, out, &c) != SYNADB_OK) t->bad++;
    }
    return NULL;
}
static void test_hnsw_concurrent(void) {
    size_t n = 6000, d = 32;
    float *x = clustered(n, d, 1.0f), *qs = clustered(100, d, 1.0f);
    synadb_hnsw *h = NULL;
    synadb_hnsw_config cfg = synadb_hnsw_config_default((uint32_t)d, SYNADB_METRIC_EUCLIDEAN);
    tctx t;
    pthread_t th;
    double r;
    cfg.capacity = 64; /* growth happens while searches run */
    CHECK_OK(synadb_hnsw_create(&cfg, &h));
    if (!h) return;
    CHECK_OK(synadb_hnsw_add(h, 0, x));
    t.h = h; t.x = x; t.d = d; t.n = 1; t.bad = 0;
    g_stop = 0;
    pthread_create(&th, NULL, searcher, &t);
    CHECK_OK(synadb_hnsw_add_batch(h, NULL, x, n, 2));
    __atomic_store_n(&g_stop, 1, __ATOMIC_RELEASE);
    pthread_join(th, NULL);
    CHECK_EQ(t.bad, 0);
    CHECK_EQ(synadb_hnsw_len(h), n);
    r = recall_of(h, SYNADB_METRIC_EUCLIDEAN, x, n, qs, 100, d, 0);
    fprintf(stderr, "hnsw built by 2 threads alongside searches: recall@10 %.4f\n", r);
    CHECK(r >= 0.95);
    CHECK_EQ(graph_orphans(h), 0);
    synadb_hnsw_free(h);
    free(x); free(qs);
}
#endif

static void test_vstore(void) {
    size_t d = 16, n = 800, i, c;
    float *x = clustered(n, d, 1.0f), back[16], z[16];
    synadb_vstore *vs = NULL;
    synadb_vstore_config cfg = synadb_vstore_config_default((uint32_t)d, SYNADB_METRIC_COSINE);
    synadb_vec_hit out[10];
    char key[32];
    const char *keys[3] = {"b1", "b2", "b3"};
    size_t fresh = 0;
    cfg.index_threshold = 500;
    CHECK_OK(synadb_vstore_open(test_path(P, sizeof P, "vs.db"), &cfg, &vs));
    if (!vs) return;
    for (i = 0; i < 400; i++) { snprintf(key, sizeof key, "doc%zu", i); CHECK_OK(synadb_vstore_insert(vs, key, SYNADB_NTS, x + i * d)); }
    CHECK(!synadb_vstore_has_index(vs));
    /* brute force below the threshold: exact */
    CHECK_OK(synadb_vstore_search(vs, x + 7 * d, 3, out, &c));
    CHECK(c == 3 && out[0].key_len == 4 && memcmp(out[0].key, "doc7", 4) == 0 && out[0].score < 1e-5f);
    CHECK_OK(synadb_vstore_get(vs, "doc7", SYNADB_NTS, back));
    CHECK(memcmp(back, x + 7 * d, d * sizeof(float)) == 0);
    /* replacement */
    CHECK_OK(synadb_vstore_insert(vs, "doc7", SYNADB_NTS, x + 8 * d));
    CHECK_EQ(synadb_vstore_len(vs), 400);
    CHECK_OK(synadb_vstore_get(vs, "doc7", SYNADB_NTS, back));
    CHECK(memcmp(back, x + 8 * d, d * sizeof(float)) == 0);
    /* bad input */
    memset(z, 0, sizeof z);
    CHECK_EQ(synadb_vstore_insert(vs, "zero", SYNADB_NTS, z), SYNADB_ERR_BAD_VECTOR);
    z[3] = NAN;
    CHECK_EQ(synadb_vstore_insert(vs, "nan", SYNADB_NTS, z), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_vstore_insert(vs, "", SYNADB_NTS, x), SYNADB_ERR_EMPTY_KEY);
    CHECK_EQ(synadb_vstore_insert(vs, NULL, 0, x), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_vstore_get(vs, "nope", SYNADB_NTS, back), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_vstore_delete(vs, "nope", SYNADB_NTS), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_vstore_search(vs, z, 3, out, &c), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(synadb_vstore_len(vs), 400);
    /* a batch crosses the threshold: the index is built */
    CHECK_OK(synadb_vstore_insert_batch(vs, keys, NULL, x + 400 * d, 3, &fresh));
    CHECK_EQ(fresh, 3);
    for (i = 403; i < n; i++) { snprintf(key, sizeof key, "doc%zu", i); CHECK_OK(synadb_vstore_insert(vs, key, SYNADB_NTS, x + i * d)); }
    CHECK(synadb_vstore_has_index(vs));
    CHECK_EQ(synadb_vstore_len(vs), n);
    CHECK_OK(synadb_vstore_delete(vs, "doc9", SYNADB_NTS));
    CHECK_OK(synadb_vstore_search(vs, x + 9 * d, 10, out, &c));
    for (i = 0; i < c; i++) CHECK(!(out[i].key_len == 4 && memcmp(out[i].key, "doc9", 4) == 0));
    CHECK_OK(synadb_vstore_search(vs, x + 500 * d, 1, out, &c));
    CHECK(c == 1 && out[0].key_len == 6 && memcmp(out[0].key, "doc500", 6) == 0);
    CHECK_OK(synadb_vstore_close(vs));
    /* reopen: the saved index matches the log and is loaded */
    vs = NULL;
    CHECK_OK(synadb_vstore_open(P, &cfg, &vs));
    if (!vs) return;
    CHECK(synadb_vstore_has_index(vs));
    CHECK_EQ(synadb_vstore_len(vs), n - 1);
    CHECK_OK(synadb_vstore_search(vs, x + 500 * d, 1, out, &c));
    CHECK(c == 1 && out[0].key_len == 6 && memcmp(out[0].key, "doc500", 6) == 0);
    CHECK_EQ(synadb_vstore_get(vs, "doc9", SYNADB_NTS, back), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_OK(synadb_vstore_close(vs));
    /* the log changes behind the index's back: the mismatch is detected and it is rebuilt */
    {
        synadb_db *db = NULL;
        CHECK_OK(synadb_open(P, NULL, &db));
        if (db) {
            CHECK_OK(synadb_put_vector(db, "vec/sneaky", SYNADB_NTS, x + 600 * d, (uint32_t)d));
            CHECK_OK(synadb_delete(db, "vec/doc500", SYNADB_NTS));
            synadb_close(db);
        }
    }
    vs = NULL;
    CHECK_OK(synadb_vstore_open(P, &cfg, &vs));
    if (!vs) return;
    CHECK_EQ(synadb_vstore_len(vs), n - 1);
    CHECK_OK(synadb_vstore_search(vs, x + 600 * d, 2, out, &c));
    CHECK(c == 2);
    {
        int found = 0;
        for (i = 0; i < c; i++) if (out[i].key_len == 6 && memcmp(out[i].key, "sneaky", 6) == 0) found = 1;
        CHECK(found);
    }
    CHECK_OK(synadb_vstore_search(vs, x + 500 * d, 5, out, &c));
    for (i = 0; i < c; i++) CHECK(!(out[i].key_len == 6 && memcmp(out[i].key, "doc500", 6) == 0));
    CHECK_OK(synadb_vstore_close(vs));
    /* wrong dimension for an existing store */
    cfg.dims = 17;
    vs = NULL;
    CHECK_EQ(synadb_vstore_open(P, &cfg, &vs), SYNADB_ERR_DIMENSION);
    CHECK(vs == NULL);
    remove(P);
    {   char ix[600]; snprintf(ix, sizeof ix, "%s.hnsw", P); remove(ix); }
    free(x);
}

static void test_vstore_dims_range(void) {
    uint32_t dims[] = {1, 2, 3, 8192};
    size_t t;
    for (t = 0; t < 4; t++) {
        uint32_t d = dims[t];
        synadb_vstore *vs = NULL;
        synadb_vstore_config cfg = synadb_vstore_config_default(d, SYNADB_METRIC_EUCLIDEAN);
        float *v = (float *)malloc(d * sizeof *v), *back = (float *)malloc(d * sizeof *back);
        synadb_vec_hit out[2];
        size_t c = 0, i;
        for (i = 0; i < d; i++) v[i] = (float)i + 0.5f;
        CHECK_OK(synadb_vstore_open(test_path(P, sizeof P, "dims.db"), &cfg, &vs));
        if (vs) {
            CHECK_OK(synadb_vstore_insert(vs, "a", 1, v));
            v[0] += 10;
            CHECK_OK(synadb_vstore_insert(vs, "b", 1, v));
            CHECK_OK(synadb_vstore_search(vs, v, 2, out, &c));
            CHECK(c == 2 && out[0].key[0] == 'b' && fabsf(out[1].score - 10.0f) < 1e-3f);
            CHECK_OK(synadb_vstore_get(vs, "a", 1, back));
            CHECK(back[d - 1] == (float)(d - 1) + 0.5f);
            synadb_vstore_close(vs);
        }
        remove(P);
        free(v); free(back);
    }
    {
        synadb_vstore *vs = NULL;
        synadb_vstore_config cfg = synadb_vstore_config_default(0, SYNADB_METRIC_EUCLIDEAN);
        CHECK_EQ(synadb_vstore_open(test_path(P, sizeof P, "d0.db"), &cfg, &vs), SYNADB_ERR_INVALID_ARG);
        cfg.dims = 8193;
        CHECK_EQ(synadb_vstore_open(P, &cfg, &vs), SYNADB_ERR_INVALID_ARG);
    }
}

int main(void) {
    RUN(test_kernels_against_scalar);
    RUN(test_distances_and_checks);
    RUN(test_exact_topk);
    RUN(test_hnsw_small_and_bad_input);
    RUN(test_hnsw_recall);
    RUN(test_hnsw_delete_upsert_compact);
    RUN(test_hnsw_context_reuse);
    RUN(test_hnsw_persistence);
#ifdef TEST_THREADS
    RUN(test_hnsw_concurrent);
#endif
    RUN(test_vstore);
    RUN(test_vstore_dims_range);
    return test_report();
}
