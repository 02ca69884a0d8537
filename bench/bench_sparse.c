/* bench_sparse.c - SparseVectorStore: exact top-k with MaxScore against exhaustive
 * term-at-a-time scoring of the same corpus and queries, in the same run.
 *
 *   bench_sparse [-n docs] [-v vocab] [-z nnz] [-q queries] [-t query_terms] [-k k]
 *
 * Corpus: n documents of z distinct terms drawn from a Zipf(1.0) distribution over the
 * vocabulary, weight = uniform(0.2, 1) x the term's idf (log(1 + n / expected df)), as
 * BM25-like weights are. Queries: t distinct Zipf terms, weight 1. The exhaustive peer is
 * a plain CSR inverted index scored term at a time into a float accumulator, then a
 * bounded heap over the touched documents. Results of both are checked to agree. */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_vec.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench_util.h"

static unsigned long long rng = 88172645463325252ULL;
static unsigned long long xr(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }
static double ur(void) { return (double)(xr() >> 11) * (1.0 / 9007199254740992.0); }
static double *cdf;
static int V;
static uint32_t zipf(void) {
    double u = ur();
    int lo = 0, hi = V - 1;
    while (lo < hi) { int mid = (lo + hi) / 2; if (cdf[mid] < u) lo = mid + 1; else hi = mid; }
    return (uint32_t)lo;
}

typedef struct hn { float s; uint32_t d; } hn;
/* worse: lower score, or equal and higher doc */
#define WORSE(x, y) ((x).s < (y).s || ((x).s == (y).s && (x).d > (y).d))
static void hpush(hn *h, size_t *n, size_t k, hn v) {
    size_t i;
    if (*n < k) { i = (*n)++; while (i && WORSE(v, h[(i - 1) / 2])) { h[i] = h[(i - 1) / 2]; i = (i - 1) / 2; } h[i] = v; return; }
    if (!WORSE(h[0], v)) return;
    i = 0;
    for (;;) { size_t c = 2 * i + 1; if (c >= k) break; if (c + 1 < k && WORSE(h[c + 1], h[c])) c++; if (!WORSE(h[c], v)) break; h[i] = h[c]; i = c; }
    h[i] = v;
}
static int hcmp(const void *a, const void *b) { const hn *x = (const hn *)a, *y = (const hn *)b; return WORSE(*y, *x) ? -1 : WORSE(*x, *y) ? 1 : 0; }

int main(int argc, char **argv) {
    size_t n = 1000000, z = 100, nq = 1000, qt = 10, k = 10, i, j, q;
    uint64_t *off;
    uint32_t *pdoc, *fill, *dt, *mark;
    float *pw, *dw, *acc, *idf;
    uint32_t *touched;
    synadb_svs *s = NULL;
    synadb_vec_hit *hits;
    hn *heap;
    uint32_t *qterms;
    float *qw;
    double t0, t_ex, t_ms, sum;
    size_t agree = 0, total_post = 0;
    V = 30522;
    for (i = 1; i + 1 < (size_t)argc; i += 2) {
        size_t v = (size_t)strtoull(argv[i + 1], NULL, 10);
        if (!strcmp(argv[i], "-n")) n = v; else if (!strcmp(argv[i], "-v")) V = (int)v; else if (!strcmp(argv[i], "-z")) z = v;
        else if (!strcmp(argv[i], "-q")) nq = v; else if (!strcmp(argv[i], "-t")) qt = v; else if (!strcmp(argv[i], "-k")) k = v;
    }
    cdf = (double *)malloc((size_t)V * sizeof *cdf);
    idf = (float *)malloc((size_t)V * sizeof *idf);
    for (sum = 0, i = 0; i < (size_t)V; i++) { sum += 1.0 / (i + 1.0); cdf[i] = sum; }
    for (i = 0; i < (size_t)V; i++) {
        double p = (1.0 / (i + 1.0)) / sum, df = (double)n * (1.0 - pow(1.0 - p, (double)z));
        cdf[i] /= sum;
        idf[i] = (float)log(1.0 + (double)n / (df + 1.0));
    }
    printf("bench_sparse: %zu docs, vocabulary %d, %zu nonzeros each, %zu queries of %zu terms, top-%zu\n", n, V, z, nq, qt, k);
    /* the corpus, indexed into SynaDB (in memory) and into a CSR peer */
    dt = (uint32_t *)malloc(n * z * sizeof *dt);
    dw = (float *)malloc(n * z * sizeof *dw);
    mark = (uint32_t *)calloc((size_t)V, sizeof *mark);
    off = (uint64_t *)calloc((size_t)V + 1, sizeof *off);
    for (i = 0; i < n; i++) for (j = 0; j < z; j++) {
        uint32_t t;
        do t = zipf(); while (mark[t] == i + 1);
        mark[t] = (uint32_t)(i + 1);
        dt[i * z + j] = t;
        dw[i * z + j] = (float)(0.2 + 0.8 * ur()) * idf[t];
        off[t + 1]++;
    }
    if (synadb_svs_open(NULL, NULL, &s)) { fprintf(stderr, "open failed\n"); return 1; }
    t0 = bench_now();
    for (i = 0; i < n; i++) {
        char key[24];
        snprintf(key, sizeof key, "doc%zu", i);
        if (synadb_svs_index(s, key, SYNADB_NTS, dt + i * z, dw + i * z, z, NULL)) { fprintf(stderr, "index: %s\n", synadb_svs_errmsg(s)); return 1; }
    }
    printf("index synadb %.2f s (%.0f docs/s)\n", bench_now() - t0, (double)n / (bench_now() - t0));
    for (i = 0; i < (size_t)V; i++) off[i + 1] += off[i];
    total_post = (size_t)off[V];
    pdoc = (uint32_t *)malloc(total_post * sizeof *pdoc);
    pw = (float *)malloc(total_post * sizeof *pw);
    fill = (uint32_t *)calloc((size_t)V, sizeof *fill);
    for (i = 0; i < n; i++) for (j = 0; j < z; j++) {
        uint32_t t = dt[i * z + j];
        pdoc[off[t] + fill[t]] = (uint32_t)i; pw[off[t] + fill[t]] = dw[i * z + j]; fill[t]++;
    }
    free(dt); free(dw);
    /* queries */
    qterms = (uint32_t *)malloc(nq * qt * sizeof *qterms);
    qw = (float *)malloc(nq * qt * sizeof *qw);
    memset(mark, 0, (size_t)V * sizeof *mark);
    for (q = 0; q < nq; q++) for (j = 0; j < qt; j++) {
        uint32_t t;
        do t = zipf(); while (mark[t] == q + 1);
        mark[t] = (uint32_t)(q + 1);
        qterms[q * qt + j] = t; qw[q * qt + j] = 1.0f;
    }
    hits = (synadb_vec_hit *)malloc(nq * k * sizeof *hits);
    heap = (hn *)malloc(nq * k * sizeof *heap);
    acc = (float *)calloc(n, sizeof *acc);
    touched = (uint32_t *)malloc(n * sizeof *touched);
    /* exhaustive term-at-a-time */
    t0 = bench_now();
    for (q = 0; q < nq; q++) {
        size_t nt = 0, nh = 0;
        hn *h = heap + q * k;
        for (j = 0; j < qt; j++) {
            uint32_t t = qterms[q * qt + j];
            float w = qw[q * qt + j];
            uint64_t p;
            for (p = off[t]; p < off[t + 1]; p++) {
                uint32_t d = pdoc[p];
                if (acc[d] == 0.0f) touched[nt++] = d;
                acc[d] += w * pw[p];
            }
        }
        for (i = 0; i < nt; i++) { hn v; v.s = acc[touched[i]]; v.d = touched[i]; hpush(h, &nh, k, v); acc[touched[i]] = 0.0f; }
        qsort(h, nh, sizeof *h, hcmp);
        for (i = nh; i < k; i++) { h[i].s = 0; h[i].d = UINT32_MAX; }
    }
    t_ex = bench_now() - t0;
    /* SynaDB */
    t0 = bench_now();
    for (q = 0; q < nq; q++) {
        size_t nh = 0;
        if (synadb_svs_search(s, qterms + q * qt, qw + q * qt, qt, k, hits + q * k, &nh)) { fprintf(stderr, "search: %s\n", synadb_svs_errmsg(s)); return 1; }
        for (i = nh; i < k; i++) { hits[q * k + i].id = UINT32_MAX; hits[q * k + i].score = 0; }
    }
    t_ms = bench_now() - t0;
    for (q = 0; q < nq; q++) {
        int ok = 1;
        for (i = 0; i < k; i++) {
            float a = hits[q * k + i].score, b = heap[q * k + i].s;
            if (fabsf(a - b) > 1e-4f * (b > 1 ? b : 1)) ok = 0;
            else if (hits[q * k + i].id != heap[q * k + i].d && a != b && fabsf(a - b) > 1e-6f * b) ok = 0;
        }
        agree += (size_t)ok;
    }
    printf("postings %zu (%.1f per doc)\n", total_post, (double)total_post / (double)n);
    printf("qps exhaustive %.1f\n", (double)nq / t_ex);
    printf("qps synadb %.1f\n", (double)nq / t_ms);
    printf("agree %zu/%zu queries (same top-%zu scores, same docs modulo float ties)\n", agree, nq, k);
    printf("ratio sparse_qps synadb/exhaustive %.2f\n", t_ex / t_ms);
    synadb_svs_close(s);
    return agree == nq ? 0 : 1;
}
