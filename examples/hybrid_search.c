/* hybrid_search.c - dense + keyword search fused by reciprocal rank fusion, the way RAG
 * systems combine embeddings with BM25-style term matching.
 *
 *   cc -std=c99 -O2 -I. examples/hybrid_search.c -o hybrid_search -lpthread -lm
 *   ./hybrid_search [DIR]        (DIR default: the current directory)
 *
 * Each "document" has an embedding (here: a toy 64-d vector made from its words) in a
 * Cascade index and a sparse term vector (term id -> weight) in a SparseVectorStore; a
 * query searches both and synadb_rrf_fuse2 merges the two rankings. Both indexes are files:
 * run it twice and the second run opens what the first one saved. */
#define SYNADB_IMPLEMENTATION
#include "synadb.h"
#include "synadb_vec.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIMS 64
static const char *DOCS[] = {
    "fast approximate nearest neighbour search with graphs",
    "inverted index with maxscore pruning for keyword search",
    "reciprocal rank fusion combines dense and sparse retrieval",
    "log structured storage with crash recovery and checksums",
    "product quantization compresses vectors for large collections",
    "bm25 weights terms by frequency and inverse document frequency",
};
#define NDOCS (sizeof DOCS / sizeof *DOCS)

static uint32_t term_id(const char *w, size_t n) { return (uint32_t)(synadb_crc32c(0, w, n) % 30522u); }
/* words -> sparse terms (weight 1 + log of the count) and a toy dense embedding (hashed words) */
static size_t featurize(const char *text, uint32_t *terms, float *weights, float *emb) {
    size_t nt = 0, i;
    const char *p = text;
    memset(emb, 0, DIMS * sizeof *emb);
    while (*p) {
        const char *w = p;
        uint32_t t;
        while (*p && *p != ' ') p++;
        t = term_id(w, (size_t)(p - w));
        emb[t % DIMS] += 1.0f; emb[(t / DIMS) % DIMS] += 0.5f;
        for (i = 0; i < nt && terms[i] != t; i++) {}
        if (i == nt) { terms[nt] = t; weights[nt++] = 1.0f; } else weights[i] += 1.0f;
        while (*p == ' ') p++;
    }
    for (i = 0; i < nt; i++) weights[i] = 1.0f + logf(weights[i]);
    return nt;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    char dpath[1024], spath[1024], eb[256];
    synadb_cascade_config cc = synadb_cascade_config_preset(DIMS, SYNADB_METRIC_COSINE, SYNADB_CASCADE_SMALL);
    synadb_cascade *dense = NULL;
    synadb_svs *sparse = NULL;
    synadb_result r;
    uint32_t terms[64];
    float weights[64], emb[DIMS];
    size_t i, nd = 0, ns = 0, nf = 0, nt;
    synadb_vec_hit dh[5], sh[5];
    synadb_fused_hit fh[5];
    const char *query = "keyword search with sparse bm25 and dense vectors";

    snprintf(dpath, sizeof dpath, "%s/docs.casc", dir);
    snprintf(spath, sizeof spath, "%s/docs.svs", dir);
    r = synadb_cascade_open(dpath, &cc, &dense, eb, sizeof eb);            /* creates or opens */
    if (r) { fprintf(stderr, "cascade: %s\n", eb); return 1; }
    r = synadb_svs_open(spath, NULL, &sparse);
    if (r) { fprintf(stderr, "sparse store: %s\n", synadb_result_str(r)); return 1; }
    if (synadb_cascade_len(dense) == 0) {
        for (i = 0; i < NDOCS; i++) {
            char key[16];
            snprintf(key, sizeof key, "doc%zu", i);
            nt = featurize(DOCS[i], terms, weights, emb);
            if ((r = synadb_cascade_insert(dense, key, SYNADB_NTS, emb)) != SYNADB_OK ||
                (r = synadb_svs_index(sparse, key, SYNADB_NTS, terms, weights, nt, NULL)) != SYNADB_OK) {
                fprintf(stderr, "index %s: %s\n", key, synadb_result_str(r));
                return 1;
            }
        }
        printf("indexed %zu documents\n", (size_t)NDOCS);
    } else {
        printf("opened %zu documents\n", synadb_cascade_len(dense));
    }

    nt = featurize(query, terms, weights, emb);
    if (synadb_cascade_search(dense, emb, 5, 0, 0, dh, &nd) ||
        synadb_svs_search(sparse, terms, weights, nt, 5, sh, &ns) ||
        synadb_rrf_fuse2(dh, nd, sh, ns, 0 /* k = 60 */, 5, fh, &nf)) {
        fprintf(stderr, "search failed\n");
        return 1;
    }
    printf("query: %s\n", query);
    for (i = 0; i < nf; i++) {
        int d = atoi(fh[i].key + 3);
        printf("%zu. %.*s  rrf %.5f  (dense rank %u, keyword rank %u)  %s\n", i + 1, (int)fh[i].key_len, fh[i].key,
               fh[i].score, fh[i].ranks[0], fh[i].ranks[1], DOCS[d]);
    }
    if (synadb_cascade_close(dense) || synadb_svs_close(sparse)) { fprintf(stderr, "close failed\n"); return 1; }
    return 0;
}
