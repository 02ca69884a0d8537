/* vector_search.c - semantic search with synadb_vec.h: a VectorStore keeps embeddings in
 * the synadb.h log (durable, crash-safe) and answers nearest-neighbour queries, exactly
 * below its index threshold and with an HNSW index above it.
 *
 *   cc -std=c99 -O2 -I.. vector_search.c -o vector_search -lpthread -lm && ./vector_search [path]
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_vec.h"

#include <stdio.h>
#include <stdlib.h>
#include <math.h>

#define DIMS 64
#define DOCS 20000

/* A stand-in for an embedding model: documents about one of 8 topics lie near that topic's
   direction. */
static void embed(unsigned topic, unsigned seed, float *out) {
    unsigned i, s = seed * 2654435761u + 1;
    for (i = 0; i < DIMS; i++) {
        s = s * 1103515245u + 12345u;
        out[i] = (i % 8 == topic ? 3.0f : 0.0f) + ((float)((s >> 16) & 0x7fff) / 32768.0f - 0.5f);
    }
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "vectors.db";
    synadb_vstore *vs = NULL;
    synadb_vstore_config cfg = synadb_vstore_config_default(DIMS, SYNADB_METRIC_COSINE);
    synadb_vec_hit hits[5];
    float v[DIMS], q[DIMS];
    char key[32];
    size_t n, i;
    synadb_result r;

    remove(path);
    cfg.index_threshold = 10000;   /* exact search below, HNSW above (the default) */
    r = synadb_vstore_open(path, &cfg, &vs);
    if (r) { fprintf(stderr, "open: %s\n", synadb_result_str(r)); return 1; }

    for (i = 0; i < DOCS; i++) {
        snprintf(key, sizeof key, "doc-%05zu-topic-%zu", i, i % 8);
        embed((unsigned)(i % 8), (unsigned)i, v);
        if ((r = synadb_vstore_insert(vs, key, SYNADB_NTS, v)) != SYNADB_OK) {
            fprintf(stderr, "insert: %s\n", synadb_vstore_errmsg(vs));
            return 1;
        }
    }
    printf("%zu vectors, index built automatically: %s\n", synadb_vstore_len(vs), synadb_vstore_has_index(vs) ? "yes" : "no");

    embed(3, 999999, q);               /* a query about topic 3 */
    synadb_vstore_search(vs, q, 5, hits, &n);
    printf("nearest to a topic-3 query:\n");
    for (i = 0; i < n; i++) printf("  %.*s  cosine distance %.4f\n", (int)hits[i].key_len, hits[i].key, hits[i].score);

    /* replace and delete work like in a key-value store */
    synadb_vstore_delete(vs, hits[0].key, hits[0].key_len);
    printf("after deleting the best hit: %zu vectors\n", synadb_vstore_len(vs));

    /* bad input gets a clear error */
    for (i = 0; i < DIMS; i++) v[i] = 0;
    r = synadb_vstore_insert(vs, "zero", SYNADB_NTS, v);
    printf("inserting a zero vector under cosine: %s\n", synadb_result_str(r));

    synadb_vstore_close(vs);         /* saves the index beside the log */

    /* reopening loads the saved index (it matches the log) */
    r = synadb_vstore_open(path, &cfg, &vs);
    if (r) { fprintf(stderr, "reopen: %s\n", synadb_result_str(r)); return 1; }
    synadb_vstore_search(vs, q, 1, hits, &n);
    printf("after reopen: %zu vectors, best hit %.*s\n", synadb_vstore_len(vs), (int)hits[0].key_len, hits[0].key);
    synadb_vstore_close(vs);
    return 0;
}
