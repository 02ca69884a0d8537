/* synadb_vec.h - v0.1.0 - vector search for SynaDB: SIMD distance kernels, exact top-k,
   HNSW, VectorStore (vectors in the synadb.h log) and MmapVectorStore (bulk ingestion).
   MIT license, see synadb.h.                                                 >>vec

   QUICK START
   -----------
   In exactly one C or C++ file (synadb_vec.h includes synadb.h itself when needed, so
   including synadb.h first is optional; keep both headers in one directory):

       #define SYNADB_IMPLEMENTATION
       #include "synadb.h"
       #include "synadb_vec.h"

       synadb_vstore *vs;
       synadb_vstore_config vc = synadb_vstore_config_default(384, SYNADB_METRIC_COSINE);
       synadb_vstore_open("vectors.db", &vc, &vs);
       synadb_vstore_insert(vs, "doc1", SYNADB_NTS, embedding);
       synadb_vec_hit hits[10]; size_t n;
       synadb_vstore_search(vs, query, 10, hits, &n);     (hits[i].key, hits[i].score)
       synadb_vstore_close(vs);

   CONTENTS
   --------
     >>vec.api       declarations: metrics, kernels, exact search, HNSW, VectorStore,
                     MmapVectorStore
     >>vec.abi       the original SynaDB's path-keyed exports (SYNA_vector_store_*,
                     SYNA_mmap_vector_store_*, SYNA_hnsw_*, SYNA_gwi_*, SYNA_cascade_*,
                     SYNA_free_json)
     >>vec.impl      implementation
       >>vec.simd      kernels (scalar, AVX2+FMA, AVX-512, NEON) and run-time selection
       >>vec.exact     bounded-heap exact top-k
       >>vec.hnsw      the HNSW graph
       >>vec.hnswfile  the .hnsw file format
       >>vec.vstore    VectorStore
       >>vec.mmvs      MmapVectorStore
       >>vec.svs       SparseVectorStore (inverted index, MaxScore, its log file)
       >>vec.cascade   Cascade index (LSH, bucket trees, flat graph)
       >>vec.gwi       Gravity Well Index
       >>vec.fuse      reciprocal rank fusion (synadb_rrf_fuse)
       >>vec.hybrid    HybridVectorStore (hot GWI + cold Cascade)
       >>vec.abiimpl   the path-keyed ABI

   CONFIGURATION
   -------------
     SYNA_NO_SIMD (or SYNADB_NO_SIMD)  use the scalar kernels only.
     Everything else (allocator, threads, assert, mmap) comes from synadb.h.

   METRICS (lower score = closer, as in the original)
   -------
     SYNADB_METRIC_COSINE     1 - cos(a, b), in [0, 2]; zero vectors are refused
     SYNADB_METRIC_EUCLIDEAN  sqrt(sum (a_i - b_i)^2)
     SYNADB_METRIC_DOT        -(a . b)

   THREADS
   -------
     synadb_hnsw_add and synadb_hnsw_search may be called from any number of threads at
     once (per-node locks; searches run alongside inserts). VectorStore and MmapVectorStore
     handles serialise writes and allow concurrent searches.
*/
#ifndef SYNADB_VEC_H
#define SYNADB_VEC_H

/* Built on synadb.h (allocator, errors, logger, platform layer): it is included here when
   the including file has not already done so; keep the two headers side by side. */
#ifndef SYNADB_H
#include "synadb.h"
#endif

#ifndef SYNADB_VEC_API
#define SYNADB_VEC_API SYNADB_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== >>vec.api */
enum {
    SYNADB_ERR_DIMENSION     = -60,  /* vector of the wrong dimension count */
    SYNADB_ERR_BAD_VECTOR    = -61,  /* NaN or infinite component, or zero vector under cosine */
    SYNADB_ERR_INDEX_MISMATCH = -62, /* a saved index does not match (dims, metric, log) */
    SYNADB_ERR_FULL          = -63   /* capacity exhausted and growth impossible */
};
typedef enum synadb_metric {
    SYNADB_METRIC_COSINE = 0,
    SYNADB_METRIC_EUCLIDEAN = 1,
    SYNADB_METRIC_DOT = 2
} synadb_metric;
#define SYNADB_VEC_MAX_DIMS 8192u

/* ---- distance kernels ----
   A kernel set is chosen once from the CPU's features and stored in each index (no
   global function pointer is rewritten). dot and l2sq take n >= 1 floats. */
typedef struct synadb_vec_kernels {
    float (*dot)(const float *a, const float *b, size_t n);
    float (*l2sq)(const float *a, const float *b, size_t n);
    /* squared L2, but may stop early and return any value > bound once the partial sum
       exceeds bound (the result is exact whenever it is <= bound) */
    float (*l2sq_bounded)(const float *a, const float *b, size_t n, float bound);
    /* optional (NULL when the set has none): four bounded squared L2 distances from q */
    void (*l2sq_x4)(const float *q, const float *const *v, size_t n, float bound, float *out);
    const char *name;            /* "avx512", "avx2+fma", "neon" or "scalar" */
} synadb_vec_kernels;
SYNADB_VEC_API synadb_vec_kernels synadb_vec_kernels_best(void);
SYNADB_VEC_API synadb_vec_kernels synadb_vec_kernels_scalar(void);
/* All kernel sets this build and CPU can run (for tests); returns how many were written. */
SYNADB_VEC_API size_t synadb_vec_kernels_all(synadb_vec_kernels *out, size_t cap);
/* Distance under a metric (cosine computes the norms; 1.0 if one vector is zero). */
SYNADB_VEC_API float synadb_vec_distance(const synadb_vec_kernels *k, synadb_metric m, const float *a, const float *b, size_t n);
/* Checks a vector: SYNADB_OK, SYNADB_ERR_BAD_VECTOR (NaN, infinity, zero under cosine). */
SYNADB_VEC_API synadb_result synadb_vec_check(const float *v, size_t n, synadb_metric m);

/* A search result: id (label, entry or row), score (distance, lower is closer) and, for
   the stores and keyed indexes, the key: key_len bytes followed by a NUL, owned by the
   store. It stays valid whatever other threads do, until the store is closed (VectorStore,
   MmapVectorStore) or the index is compacted or freed (HNSW). */
typedef struct synadb_vec_hit {
    uint64_t id;
    float score;
    const char *key;
    size_t key_len;
} synadb_vec_hit;

/* ---- exact search ----
   Top-k rows of a row-major matrix (n rows of dims floats, rows `stride` floats apart;
   stride 0 = dims) closest to query, best first, with a bounded heap. *out_n = min(k, n). */
SYNADB_VEC_API synadb_result synadb_vec_topk(const synadb_vec_kernels *kern, synadb_metric m, const float *matrix,
                                             size_t n, size_t dims, size_t stride, const float *query, size_t k,
                                             synadb_vec_hit *out, size_t *out_n);
/* nq queries at once (cache-blocked); out has nq * k slots, out_n nq counts. */
SYNADB_VEC_API synadb_result synadb_vec_topk_batch(const synadb_vec_kernels *kern, synadb_metric m, const float *matrix,
                                                   size_t n, size_t dims, size_t stride, const float *queries, size_t nq,
                                                   size_t k, synadb_vec_hit *out, size_t *out_n);

/* ---- HNSW ---- */
typedef struct synadb_hnsw synadb_hnsw;
typedef struct synadb_hnsw_config {
    uint32_t struct_size;        /* 0 or sizeof */
    uint32_t dims;               /* 1..8192 (required) */
    int32_t metric;              /* synadb_metric */
    uint32_t M;                  /* links per node on upper layers; 2M on layer 0. 0 = 16 */
    uint32_t ef_construction;    /* 0 = 200 */
    uint32_t ef_search;          /* default per query; 0 = 100 */
    uint64_t capacity;           /* initial node capacity (grows); 0 = 1024 */
    uint64_t seed;               /* level generator seed; 0 = 100 */
    int32_t no_simd;             /* scalar kernels */
    float alpha;                 /* neighbour-selection slack, 1..2; 0 = 1.05 (see below) */
    synadb_allocator allocator;
} synadb_hnsw_config;
/* alpha: when a full link list is pruned to make room for a new link, a candidate is
   dropped if it is closer to an already kept neighbour than to the list's owner; with
   alpha > 1 only if it is alpha times closer (Vamana's rule), so a few more long links
   survive. A new node's own links always use the published heuristic (alpha there made
   searches for far outliers miss 4x as often in our tests). 1 = the published HNSW
   heuristic everywhere. With 1.05, Fashion-MNIST reached recall 0.9995 with ~9-16% more
   queries per second (two seeds); larger values were no better. Applies to euclidean and
   cosine (distances >= 0); ignored for dot. */
typedef struct synadb_hnsw_stats {
    uint64_t nodes, live, deleted, capacity, total_edges, memory_bytes;
    uint32_t max_level, dims, metric, M, ef_construction, ef_search;
    double avg_edges_per_node;
    uint64_t level_counts[16];   /* nodes whose top layer is l (the last counts the rest) */
    const char *kernels;
} synadb_hnsw_stats;
SYNADB_VEC_API synadb_hnsw_config synadb_hnsw_config_default(uint32_t dims, synadb_metric m);
SYNADB_VEC_API synadb_result synadb_hnsw_create(const synadb_hnsw_config *cfg, synadb_hnsw **out);
SYNADB_VEC_API void synadb_hnsw_free(synadb_hnsw *h);
/* Inserts (or, for an existing label, replaces) a vector. Thread-safe. */
SYNADB_VEC_API synadb_result synadb_hnsw_add(synadb_hnsw *h, uint64_t label, const float *vec);
/* Inserts n vectors with `threads` worker threads (0 = one per CPU). */
SYNADB_VEC_API synadb_result synadb_hnsw_add_batch(synadb_hnsw *h, const uint64_t *labels, const float *vecs, size_t n, int threads);
/* Inserts or replaces under a string key (label = a 64-bit hash of the key); the key is
   kept, saved with the index, and returned in search hits (.key, .key_len). */
SYNADB_VEC_API synadb_result synadb_hnsw_add_key(synadb_hnsw *h, const char *key, size_t key_len, const float *vec);
SYNADB_VEC_API uint64_t synadb_hnsw_key_label(const char *key, size_t key_len);
/* Marks a label deleted: it is never returned again. KEY_NOT_FOUND if absent. */
SYNADB_VEC_API synadb_result synadb_hnsw_delete(synadb_hnsw *h, uint64_t label);
/* k nearest, best first; ef 0 = the configured ef_search (at least k). Thread-safe, also
   alongside inserts. Returns fewer than k hits only when fewer live vectors exist. */
SYNADB_VEC_API synadb_result synadb_hnsw_search(synadb_hnsw *h, const float *query, size_t k, size_t ef,
                                                synadb_vec_hit *out, size_t *out_n);
/* Copies the vector stored for a label (normalised under cosine). */
SYNADB_VEC_API synadb_result synadb_hnsw_get(synadb_hnsw *h, uint64_t label, float *out);
SYNADB_VEC_API int synadb_hnsw_contains(synadb_hnsw *h, uint64_t label);
SYNADB_VEC_API size_t synadb_hnsw_len(synadb_hnsw *h);            /* live vectors */
/* Rebuilds the graph without deleted nodes (reclaims their memory). */
SYNADB_VEC_API synadb_result synadb_hnsw_compact(synadb_hnsw *h);
SYNADB_VEC_API synadb_result synadb_hnsw_stats_get(synadb_hnsw *h, synadb_hnsw_stats *out);
SYNADB_VEC_API void synadb_hnsw_set_ef(synadb_hnsw *h, size_t ef);
SYNADB_VEC_API const char *synadb_hnsw_errmsg(const synadb_hnsw *h);
/* Saves atomically (temporary file, fsync, rename, directory fsync). user_stamp (may be
   NULL) is 32 opaque bytes kept in the header, e.g. the position of a log it indexes. */
SYNADB_VEC_API synadb_result synadb_hnsw_save(synadb_hnsw *h, const char *path, const uint8_t *user_stamp);
/* Loads by mapping the file (no rebuild). expect (may be NULL) gives dims and metric the
   file must have: SYNADB_ERR_INDEX_MISMATCH otherwise. A damaged file: SYNADB_ERR_CORRUPT
   or SYNADB_ERR_CHECKSUM; another kind of file: SYNADB_ERR_NOT_A_DATABASE. */
SYNADB_VEC_API synadb_result synadb_hnsw_load(const char *path, const synadb_hnsw_config *expect, synadb_hnsw **out,
                                              uint8_t *user_stamp, char *errbuf, size_t errbuf_len);

/* ---- VectorStore: vectors as records of a synadb.h log ---- */
typedef struct synadb_vstore synadb_vstore;
typedef struct synadb_vstore_config {
    uint32_t struct_size;
    uint32_t dims;               /* 1..8192 */
    int32_t metric;
    uint64_t index_threshold;    /* build HNSW automatically at this many vectors; 0 = 10000;
                                    UINT64_MAX = never (brute force) */
    uint32_t M, ef_construction, ef_search;   /* 0 = 16, 200, 100 */
    const char *key_prefix;      /* prefix of the log keys; NULL = "vec/" */
    synadb_config db;            /* the log's options (sync_on_write, ...) */
} synadb_vstore_config;
SYNADB_VEC_API synadb_vstore_config synadb_vstore_config_default(uint32_t dims, synadb_metric m);
SYNADB_VEC_API synadb_result synadb_vstore_open(const char *path, const synadb_vstore_config *cfg, synadb_vstore **out);
SYNADB_VEC_API synadb_result synadb_vstore_close(synadb_vstore *vs);
/* Inserts or replaces. dims must match; NaN/inf/zero-cosine vectors are refused. */
SYNADB_VEC_API synadb_result synadb_vstore_insert(synadb_vstore *vs, const char *key, size_t key_len, const float *vec);
/* Inserts n vectors (row-major) atomically; *out_new (may be NULL) = keys that were new. */
SYNADB_VEC_API synadb_result synadb_vstore_insert_batch(synadb_vstore *vs, const char *const *keys, const size_t *key_lens,
                                                        const float *vecs, size_t n, size_t *out_new);
SYNADB_VEC_API synadb_result synadb_vstore_get(synadb_vstore *vs, const char *key, size_t key_len, float *out);
SYNADB_VEC_API synadb_result synadb_vstore_delete(synadb_vstore *vs, const char *key, size_t key_len);
/* k nearest, best first (see synadb_vec_hit for the keys). */
SYNADB_VEC_API synadb_result synadb_vstore_search(synadb_vstore *vs, const float *query, size_t k, synadb_vec_hit *out, size_t *out_n);
SYNADB_VEC_API synadb_result synadb_vstore_search_ef(synadb_vstore *vs, const float *query, size_t k, size_t ef, synadb_vec_hit *out, size_t *out_n);
SYNADB_VEC_API synadb_result synadb_vstore_build_index(synadb_vstore *vs);
SYNADB_VEC_API int synadb_vstore_has_index(synadb_vstore *vs);
/* Saves the index beside the log (if changed) and flushes the log. */
SYNADB_VEC_API synadb_result synadb_vstore_flush(synadb_vstore *vs);
SYNADB_VEC_API size_t synadb_vstore_len(synadb_vstore *vs);
SYNADB_VEC_API uint32_t synadb_vstore_dims(synadb_vstore *vs);
SYNADB_VEC_API synadb_db *synadb_vstore_db(synadb_vstore *vs);      /* the underlying log */
SYNADB_VEC_API const char *synadb_vstore_errmsg(const synadb_vstore *vs);

/* ---- MmapVectorStore: high-throughput ingestion into a mapped file ---- */
typedef struct synadb_mmvs synadb_mmvs;
enum { SYNADB_MMVS_REPLACE = 0, SYNADB_MMVS_REFUSE = 1 };
typedef struct synadb_mmvs_config {
    uint32_t struct_size;
    uint32_t dims;
    int32_t metric;
    int32_t on_duplicate;        /* SYNADB_MMVS_REPLACE (default) or SYNADB_MMVS_REFUSE */
    uint64_t initial_capacity;   /* vectors to pre-allocate room for; 0 = 100000 */
    uint32_t M, ef_construction, ef_search;
    int32_t read_only;
    synadb_allocator allocator;
} synadb_mmvs_config;
SYNADB_VEC_API synadb_mmvs_config synadb_mmvs_config_default(uint32_t dims, synadb_metric m);
SYNADB_VEC_API synadb_result synadb_mmvs_open(const char *path, const synadb_mmvs_config *cfg, synadb_mmvs **out);
/* As synadb_mmvs_open, with the reason of a failure copied into errbuf. dims 0 opens an
   existing store with its own dimension count. */
SYNADB_VEC_API synadb_result synadb_mmvs_open_ex(const char *path, const synadb_mmvs_config *cfg, synadb_mmvs **out,
                                                 char *errbuf, size_t errbuf_len);
/* Checkpoints and closes (the pre-allocated capacity stays in the file). */
SYNADB_VEC_API synadb_result synadb_mmvs_close(synadb_mmvs *s);
SYNADB_VEC_API synadb_result synadb_mmvs_insert(synadb_mmvs *s, const char *key, size_t key_len, const float *vec);
/* key_lens may be NULL (NUL-terminated keys). *out_inserted (may be NULL) = vectors stored. */
SYNADB_VEC_API synadb_result synadb_mmvs_insert_batch(synadb_mmvs *s, const char *const *keys, const size_t *key_lens,
                                                      const float *vecs, size_t n, size_t *out_inserted);
SYNADB_VEC_API synadb_result synadb_mmvs_get(synadb_mmvs *s, const char *key, size_t key_len, float *out);
/* Zero-copy: *out points into the mapping (16-byte aligned), valid until the next insert,
   checkpoint or close. */
SYNADB_VEC_API synadb_result synadb_mmvs_get_view(synadb_mmvs *s, const char *key, size_t key_len, const float **out);
SYNADB_VEC_API synadb_result synadb_mmvs_search(synadb_mmvs *s, const float *query, size_t k, synadb_vec_hit *out, size_t *out_n);
SYNADB_VEC_API synadb_result synadb_mmvs_build_index(synadb_mmvs *s);
/* Makes everything inserted so far durable: what a checkpoint covered survives any crash. */
SYNADB_VEC_API synadb_result synadb_mmvs_checkpoint(synadb_mmvs *s);
SYNADB_VEC_API size_t synadb_mmvs_len(synadb_mmvs *s);
SYNADB_VEC_API const char *synadb_mmvs_errmsg(const synadb_mmvs *s);

/* ---- SparseVectorStore: an inverted index for sparse vectors (BM25, TF-IDF, SPLADE) ----
   Documents are (key, {term id -> weight}) with weights > 0; a query is scored by dot
   product and search returns the exact top-k (highest score first, equal scores by
   ascending doc id), pruned with MaxScore so most documents sharing a term are never
   scored. With a path, every index and delete is appended to a checksummed log before it
   is acknowledged (it survives a crash of the process; sync_on_write also survives a
   power loss); postings are rebuilt in memory on open. path NULL: memory only. */
typedef struct synadb_svs synadb_svs;
typedef struct synadb_svs_config {
    uint32_t struct_size;        /* 0 or sizeof */
    int32_t sync_on_write;       /* fsync after every index/delete */
    int32_t no_create;           /* refuse a missing file (SYNADB_ERR_NOT_FOUND) */
    synadb_allocator allocator;
} synadb_svs_config;
typedef struct synadb_svs_stats {
    uint64_t documents;          /* live documents */
    uint64_t terms;              /* distinct terms with at least one live posting */
    uint64_t postings;           /* live postings (sum of the documents' nonzeros) */
    double mean_nnz;             /* postings / documents (0 if empty) */
    uint64_t next_doc_id;
    uint64_t file_bytes;         /* size of the log (0 in memory) */
} synadb_svs_stats;
SYNADB_VEC_API synadb_svs_config synadb_svs_config_default(void);
/* Opens or creates. Damage before the log's tail: SYNADB_ERR_CORRUPT; another kind of
   file: SYNADB_ERR_NOT_A_DATABASE; a torn tail (crash during a write) is cut. */
SYNADB_VEC_API synadb_result synadb_svs_open(const char *path, const synadb_svs_config *cfg, synadb_svs **out);
SYNADB_VEC_API synadb_result synadb_svs_open_ex(const char *path, const synadb_svs_config *cfg, synadb_svs **out,
                                                char *errbuf, size_t errbuf_len);
SYNADB_VEC_API synadb_result synadb_svs_close(synadb_svs *s);
/* Indexes (or re-indexes: the old document is replaced and a new doc id assigned) a
   document. Weights <= 0 are dropped; a term given twice keeps its last weight; NaN or
   infinite weights: SYNADB_ERR_BAD_VECTOR. *out_doc_id (may be NULL) = the doc id. */
SYNADB_VEC_API synadb_result synadb_svs_index(synadb_svs *s, const char *key, size_t key_len, const uint32_t *term_ids,
                                              const float *weights, size_t count, uint64_t *out_doc_id);
/* Exact top-k by dot product (score = dot product, higher is better; hits[i].id = doc id,
   .key valid until close). Terms with weights <= 0 are ignored, duplicates: last wins. */
SYNADB_VEC_API synadb_result synadb_svs_search(synadb_svs *s, const uint32_t *term_ids, const float *weights, size_t count,
                                               size_t k, synadb_vec_hit *out, size_t *out_n);
/* The same top-k by exhaustive term-at-a-time scoring (for tests and benchmarks). */
SYNADB_VEC_API synadb_result synadb_svs_search_exhaustive(synadb_svs *s, const uint32_t *term_ids, const float *weights,
                                                          size_t count, size_t k, synadb_vec_hit *out, size_t *out_n);
SYNADB_VEC_API synadb_result synadb_svs_delete(synadb_svs *s, const char *key, size_t key_len);   /* KEY_NOT_FOUND if absent */
SYNADB_VEC_API int synadb_svs_contains(synadb_svs *s, const char *key, size_t key_len);
SYNADB_VEC_API size_t synadb_svs_len(synadb_svs *s);
SYNADB_VEC_API synadb_result synadb_svs_stats_get(synadb_svs *s, synadb_svs_stats *out);
/* Writes the live documents to path atomically (temporary file, fsync, rename, directory
   fsync); path NULL or the store's own file: compacts the log in place. */
SYNADB_VEC_API synadb_result synadb_svs_save(synadb_svs *s, const char *path);
SYNADB_VEC_API const char *synadb_svs_errmsg(const synadb_svs *s);
/* ---- Cascade index ----
   Three stages: random-hyperplane LSH (num_tables tables of num_bits hyperplanes, through
   the mean of the first vectors inserted) with multi-probe; per hash value a bucket tree
   whose leaves split at their median along a data-derived direction when they pass
   split_threshold (up to max_bucket_depth); and a sparse neighbour graph (m links per node
   chosen by the HNSW selection heuristic, lists of 2m) refined by best-first search. The
   buckets give each search and each insert its starting points, so the graph needs no
   hierarchy. Inserting an existing key replaces it; deleted keys are never returned.
   Persistence: the file is written by synadb_cascade_save/flush and by close (atomic:
   temporary file, fsync, rename, directory fsync); inserts after the last save are lost in a
   crash. Searches run alongside each other and alongside inserts. */
typedef struct synadb_cascade synadb_cascade;
typedef enum synadb_cascade_preset {
    SYNADB_CASCADE_DEFAULT = 0,
    SYNADB_CASCADE_SMALL = 1,        /* recall@10 >= 0.95 on Fashion-MNIST (bench/bench_cascade) */
    SYNADB_CASCADE_LARGE = 2,        /* >= 0.95, for large collections (more tables, wider lists) */
    SYNADB_CASCADE_HIGH_RECALL = 3,  /* >= 0.99 */
    SYNADB_CASCADE_FAST_SEARCH = 4   /* >= 0.90 at the highest speed */
} synadb_cascade_preset;
typedef struct synadb_cascade_config {
    uint32_t struct_size;
    uint32_t dims;               /* 1..8192 (required) */
    int32_t metric;              /* synadb_metric */
    uint32_t num_bits;           /* hyperplanes per table, 1..16 */
    uint32_t num_tables;         /* 1..64 */
    uint32_t split_threshold;    /* a leaf bucket holding more splits in two, 8..2^20 */
    uint32_t max_bucket_depth;   /* 0..24 (0: buckets never split) */
    uint32_t m;                  /* graph links chosen per insert, 2..64 (lists hold 2m) */
    uint32_t m_max;              /* 0 or 2m (the list size; kept for the original's field) */
    uint32_t ef_construction;    /* beam width while inserting, >= m */
    uint32_t num_probes;         /* buckets probed per table by a search, 1..256 */
    uint32_t ef_search;          /* beam width of a search, >= 1 */
    uint32_t max_entries;        /* bucket members a search starts from, 1..4096 */
    uint64_t seed;               /* hyperplanes and graph levels; 0 = 7 */
    int32_t no_simd;
    int32_t threads;             /* insert_batch threads; 0 = one per CPU */
    synadb_allocator allocator;
} synadb_cascade_config;
SYNADB_VEC_API synadb_cascade_config synadb_cascade_config_preset(uint32_t dims, synadb_metric m, synadb_cascade_preset p);
/* path NULL: in memory (saves need synadb_cascade_save_as). An existing Cascade file is
   opened (cfg may then be NULL; if given, its dims and metric must match the file's, else
   SYNADB_ERR_INDEX_MISMATCH; the search parameters come from the file); another kind of file
   is refused untouched (SYNADB_ERR_NOT_A_DATABASE); a missing file is created (empty) from
   cfg. errbuf (may be NULL) gets the reason of a failure. */
SYNADB_VEC_API synadb_result synadb_cascade_open(const char *path, const synadb_cascade_config *cfg, synadb_cascade **out,
                                                 char *errbuf, size_t errbuf_len);
SYNADB_VEC_API synadb_result synadb_cascade_insert(synadb_cascade *c, const char *key, size_t key_len, const float *vec);
/* n vectors (row-major); key_lens may be NULL (NUL-terminated keys). All are validated
   first: on a bad one nothing is inserted. A key repeated in the batch: the last one wins. */
SYNADB_VEC_API synadb_result synadb_cascade_insert_batch(synadb_cascade *c, const char *const *keys, const size_t *key_lens,
                                                         const float *vecs, size_t n);
/* k nearest, best first. num_probes / ef 0 = the configured values. Result keys stay valid
   until the index is closed. */
SYNADB_VEC_API synadb_result synadb_cascade_search(synadb_cascade *c, const float *query, size_t k, size_t num_probes,
                                                   size_t ef, synadb_vec_hit *out, size_t *out_n);
SYNADB_VEC_API synadb_result synadb_cascade_get(synadb_cascade *c, const char *key, size_t key_len, float *out);
SYNADB_VEC_API synadb_result synadb_cascade_delete(synadb_cascade *c, const char *key, size_t key_len);
SYNADB_VEC_API int synadb_cascade_contains(synadb_cascade *c, const char *key, size_t key_len);
SYNADB_VEC_API size_t synadb_cascade_len(synadb_cascade *c);          /* live keys */
SYNADB_VEC_API uint32_t synadb_cascade_dims(synadb_cascade *c);
typedef struct synadb_cascade_stats {
    uint64_t vectors;            /* live keys */
    uint64_t nodes;              /* graph nodes, replaced and deleted ones included */
    uint64_t buckets;            /* leaf buckets over all tables */
    double avg_bucket_size;
    uint32_t max_bucket_depth;   /* deepest leaf */
    uint64_t edges;
    double avg_neighbors;
    synadb_cascade_config config;
} synadb_cascade_stats;
SYNADB_VEC_API synadb_result synadb_cascade_stats_get(synadb_cascade *c, synadb_cascade_stats *out);
/* Writes the index to its file (SYNADB_ERR_INVALID_ARG for an in-memory index). When deletes,
   replacements or threaded batches happened since the buckets were built, they are rebuilt
   as opening the file will (searches then answer exactly as after a reopen). */
SYNADB_VEC_API synadb_result synadb_cascade_save(synadb_cascade *c);
SYNADB_VEC_API synadb_result synadb_cascade_save_as(synadb_cascade *c, const char *path);
/* Saves if anything changed since the last save (file-backed indexes), then frees. If that
   save fails, its error is returned and the index stays open and intact (nothing is lost):
   close again once the cause is fixed (a full disk...), or save it elsewhere with
   synadb_cascade_save_as and then synadb_cascade_free it. */
SYNADB_VEC_API synadb_result synadb_cascade_close(synadb_cascade *c);
/* Frees without saving (changes since the last save are dropped). */
SYNADB_VEC_API void synadb_cascade_free(synadb_cascade *c);
SYNADB_VEC_API const char *synadb_cascade_errmsg(const synadb_cascade *c);

/* ---- Gravity Well Index (GWI): a hierarchical IVF in an append-only file ----
   A tree of attractors (centroids): 1 root, B children per node, L levels below the root,
   B^L leaves. synadb_gwi_initialize learns it from sample vectors (k-means per parent,
   k-means++ seeding, bounded Lloyd iterations; each sample goes to the nearest child of
   its parent, the same descent inserts take). Each vector is stored in the one leaf the
   descent reaches; a search scans the nprobe leaves a beam descent finds nearest (always
   including the leaf the greedy descent gives).
   Inserting an existing key replaces it. Every acknowledged insert is in the file (one
   write per insert or batch: it survives a crash of the process; flush/close also make it
   survive a power cut). Searches run alongside each other; writes are serialised. */
typedef struct synadb_gwi synadb_gwi;
enum { SYNADB_ERR_NOT_INITIALIZED = -64 };   /* GWI: insert/search before synadb_gwi_initialize */
typedef struct synadb_gwi_config {
    uint32_t struct_size;
    uint32_t dims;               /* 1..8192 (required) */
    int32_t metric;              /* synadb_metric; default cosine */
    uint32_t branching_factor;   /* children per attractor, 2..1024; 0 = 16 */
    uint32_t num_levels;         /* levels below the root, 1..8; 0 = 3 (B^L <= 2^24 leaves) */
    uint32_t kmeans_iterations;  /* Lloyd iterations per k-means, 1..100; 0 = 10 */
    uint32_t nprobe;             /* default leaves scanned by a search; 0 = 3 */
    uint32_t max_points_per_centroid; /* k-means trains on at most this many samples per child
                                    (the rest are only assigned); 0 = 256 */
    uint64_t initial_capacity;   /* vectors to reserve memory for; 0 = 10000 */
    uint64_t seed;               /* k-means seed; 0 = 42 */
    int32_t no_simd;
    int32_t threads;             /* insert_batch routing threads; 0 = one per CPU */
    synadb_allocator allocator;
} synadb_gwi_config;
SYNADB_VEC_API synadb_gwi_config synadb_gwi_config_default(uint32_t dims, synadb_metric m);
/* Creates the file, or opens it if it already is a GWI file with the same dims and metric
   (SYNADB_ERR_INDEX_MISMATCH otherwise); never truncates. Another kind of file is refused
   untouched (SYNADB_ERR_NOT_A_DATABASE). errbuf (may be NULL) gets the reason of a failure. */
SYNADB_VEC_API synadb_result synadb_gwi_new(const char *path, const synadb_gwi_config *cfg, synadb_gwi **out,
                                            char *errbuf, size_t errbuf_len);
/* Opens an existing GWI file (SYNADB_ERR_NOT_FOUND if absent); its configuration comes from
   the file. Damage before the last checkpoint: SYNADB_ERR_CORRUPT / SYNADB_ERR_CHECKSUM;
   intact entries after it are recovered, a torn tail is cut off. */
SYNADB_VEC_API synadb_result synadb_gwi_open(const char *path, synadb_gwi **out, char *errbuf, size_t errbuf_len);
/* Learns the attractors from n sample vectors (n >= 1; once per index: a second call gives
   SYNADB_ERR_EXISTS). Durable when it returns. */
SYNADB_VEC_API synadb_result synadb_gwi_initialize(synadb_gwi *g, const float *samples, size_t n);
SYNADB_VEC_API int synadb_gwi_is_initialized(synadb_gwi *g);
SYNADB_VEC_API synadb_result synadb_gwi_insert(synadb_gwi *g, const char *key, size_t key_len, const float *vec);
/* n vectors (row-major); key_lens may be NULL (NUL-terminated keys). All are validated
   first: on a bad one nothing is inserted. Later duplicates of a key replace earlier ones. */
SYNADB_VEC_API synadb_result synadb_gwi_insert_batch(synadb_gwi *g, const char *const *keys, const size_t *key_lens,
                                                     const float *vecs, size_t n);
/* k nearest among the nprobe nearest leaves, best first (nprobe 0 = the configured default;
   more than the leaf count scans every leaf, which is exact). */
SYNADB_VEC_API synadb_result synadb_gwi_search(synadb_gwi *g, const float *query, size_t k, size_t nprobe,
                                               synadb_vec_hit *out, size_t *out_n);
/* Copies the stored vector (normalised under cosine). */
SYNADB_VEC_API synadb_result synadb_gwi_get(synadb_gwi *g, const char *key, size_t key_len, float *out);
SYNADB_VEC_API synadb_result synadb_gwi_delete(synadb_gwi *g, const char *key, size_t key_len);
/* The leaf the descent assigns to a vector (for tests); UINT32_MAX on error. */
SYNADB_VEC_API uint32_t synadb_gwi_route(synadb_gwi *g, const float *vec);
/* The leaf a key is stored in; UINT32_MAX if absent. */
SYNADB_VEC_API uint32_t synadb_gwi_leaf_of(synadb_gwi *g, const char *key, size_t key_len);
SYNADB_VEC_API uint32_t synadb_gwi_num_leaves(synadb_gwi *g);
SYNADB_VEC_API uint32_t synadb_gwi_dims(synadb_gwi *g);
SYNADB_VEC_API size_t synadb_gwi_len(synadb_gwi *g);               /* live keys */
/* 1 if key is live in the index, 0 otherwise (also for a NULL index or a bad key). */
SYNADB_VEC_API int synadb_gwi_contains(synadb_gwi *g, const char *key, size_t key_len);
/* Calls fn for every live key with its stored vector (normalised under cosine), under the index's read lock (fn must not
   call back into g's writers). Stops early and returns fn's nonzero value (as synadb_result) if fn returns nonzero;
   SYNADB_OK otherwise. Order: unspecified but stable between writes.
   key (key_len bytes and a NUL) stays valid until the index is closed, as search hits' keys; vec (dims floats) only
   during the call. NULL g or fn: SYNADB_ERR_INVALID_ARG; an uninitialised index has no keys. Other threads' searches
   run alongside; their writes wait until foreach returns (so fn calling g's readers while another thread writes may
   deadlock on a read lock taken twice). */
SYNADB_VEC_API synadb_result synadb_gwi_foreach(synadb_gwi *g, int (*fn)(void *ctx, const char *key, size_t key_len, const float *vec), void *ctx);
/* Checkpoint: fsync, then a new meta slot (survives a power cut). */
SYNADB_VEC_API synadb_result synadb_gwi_flush(synadb_gwi *g);
SYNADB_VEC_API synadb_result synadb_gwi_close(synadb_gwi *g);
SYNADB_VEC_API const char *synadb_gwi_errmsg(const synadb_gwi *g);

/* ---- Reciprocal rank fusion (RRF): one ranking from several (dense + sparse in RAG) ----
   Stateless; results point at the keys of the input hits (valid as long as those are). */
typedef struct synadb_fused_hit {
    const char *key; size_t key_len;  /* from the first list the item appears in (NULL if the lists carry no keys) */
    uint64_t id;                      /* likewise */
    double score;                     /* sum over lists of weight / (k_const + rank), rank 1-based */
    uint32_t ranks[4];                /* 1-based rank in list i (i < 4), 0 = absent */
} synadb_fused_hit;
/* Fuses nlists (1..64) ranked lists (each best first). Items are the same when both have keys and the keys are equal
   bytewise, or when neither has a key and the ids are equal. weights may be NULL (all 1); k_const 0 means 60; must be
   finite and > 0 otherwise (and weights finite >= 0), else SYNADB_ERR_INVALID_ARG. Writes at most k results, best first; ties broken by best
   (lowest) rank in any list, then by first appearance. Duplicate items inside one list: only the first occurrence counts.
   Details: a hit "has a key" when .key != NULL (key_len 0 is then the empty key); a rank is the hit's 1-based position
   in its array (a skipped duplicate still takes up its position); a score is summed in list order; "first
   appearance" is the order of the lists, then the position in the list. Memory: O(sum of lens), from the default
   allocator; expected time O(sum of lens) to match plus the sort of the distinct items. */
SYNADB_VEC_API synadb_result synadb_rrf_fuse(const synadb_vec_hit *const *lists, const size_t *lens, size_t nlists,
                                             const double *weights, double k_const, size_t k,
                                             synadb_fused_hit *out, size_t *out_n);
/* Two lists (dense, sparse), weights 1. */
SYNADB_VEC_API synadb_result synadb_rrf_fuse2(const synadb_vec_hit *dense, size_t nd, const synadb_vec_hit *sparse, size_t ns,
                                              double k_const, size_t k, synadb_fused_hit *out, size_t *out_n);

/* ---- HybridVectorStore: a hot Gravity Well Index over a cold Cascade index ----
   New vectors go to the hot layer (a GWI file: every acknowledged ingest survives a crash of
   the process); promote_to_cold moves them all into the cold layer (a Cascade file), saves
   it, then deletes them from the hot layer, so each key lives in one layer once the move is
   done. A key in both layers (re-ingested after a promotion, or a move cut short by a crash)
   is counted once and searched as its hot copy (the newer one). Searches, ingests and
   promotions may run from several threads. */
typedef struct synadb_hybrid synadb_hybrid;
enum { SYNADB_LAYER_HOT = 1, SYNADB_LAYER_COLD = 2 };
typedef struct synadb_hybrid_hit {
    const char *key;             /* valid until the store is closed */
    size_t key_len;
    float score;                 /* distance, lower is closer */
    int32_t layer;               /* SYNADB_LAYER_HOT or SYNADB_LAYER_COLD */
} synadb_hybrid_hit;
/* Opens or creates both layers (see synadb_gwi_new and synadb_cascade_open: existing files
   are opened, never truncated; the configs may then be NULL). Both layers must have the same
   dims and metric (SYNADB_ERR_INDEX_MISMATCH). */
SYNADB_VEC_API synadb_result synadb_hybrid_open(const char *hot_path, const char *cold_path, const synadb_gwi_config *hot_cfg,
                                                const synadb_cascade_config *cold_cfg, synadb_hybrid **out,
                                                char *errbuf, size_t errbuf_len);
/* The hot layer's attractors (once; see synadb_gwi_initialize). */
SYNADB_VEC_API synadb_result synadb_hybrid_initialize_hot(synadb_hybrid *h, const float *samples, size_t n);
SYNADB_VEC_API synadb_result synadb_hybrid_ingest(synadb_hybrid *h, const char *key, size_t key_len, const float *vec);
SYNADB_VEC_API synadb_result synadb_hybrid_ingest_batch(synadb_hybrid *h, const char *const *keys, const size_t *key_lens,
                                                        const float *vecs, size_t n);
/* Both layers merged: one hit per key (its hot copy when it has one), best first. */
SYNADB_VEC_API synadb_result synadb_hybrid_search(synadb_hybrid *h, const float *query, size_t k, synadb_hybrid_hit *out, size_t *out_n);
/* One layer as it is (search_cold may return keys whose newer copy is hot). */
SYNADB_VEC_API synadb_result synadb_hybrid_search_hot(synadb_hybrid *h, const float *query, size_t k, synadb_hybrid_hit *out, size_t *out_n);
SYNADB_VEC_API synadb_result synadb_hybrid_search_cold(synadb_hybrid *h, const float *query, size_t k, synadb_hybrid_hit *out, size_t *out_n);
/* Deletes a key from both layers (SYNADB_ERR_KEY_NOT_FOUND if in neither); the cold layer's
   delete is durable at its next save. */
SYNADB_VEC_API synadb_result synadb_hybrid_delete(synadb_hybrid *h, const char *key, size_t key_len);
/* Moves every hot vector into the cold layer; *moved (may be NULL) gets the count. */
SYNADB_VEC_API synadb_result synadb_hybrid_promote_to_cold(synadb_hybrid *h, size_t *moved);
SYNADB_VEC_API size_t synadb_hybrid_hot_count(synadb_hybrid *h);
SYNADB_VEC_API size_t synadb_hybrid_cold_count(synadb_hybrid *h);
SYNADB_VEC_API size_t synadb_hybrid_len(synadb_hybrid *h);        /* distinct live keys */
SYNADB_VEC_API synadb_result synadb_hybrid_flush_hot(synadb_hybrid *h);
SYNADB_VEC_API synadb_result synadb_hybrid_save_cold(synadb_hybrid *h);
SYNADB_VEC_API synadb_gwi *synadb_hybrid_hot(synadb_hybrid *h);
SYNADB_VEC_API synadb_cascade *synadb_hybrid_cold(synadb_hybrid *h);
/* Saves the cold layer, closes the hot one (its writes are already in its file), frees. If
   the cold save fails, its error is returned and nothing is closed: close again later, or
   save synadb_hybrid_cold(h) elsewhere and synadb_hybrid_free(h). */
SYNADB_VEC_API synadb_result synadb_hybrid_close(synadb_hybrid *h);
/* Closes the hot layer and frees everything without saving the cold one. */
SYNADB_VEC_API void synadb_hybrid_free(synadb_hybrid *h);
SYNADB_VEC_API const char *synadb_hybrid_errmsg(const synadb_hybrid *h);

/* ======================================================================== >>vec.abi
   The original SynaDB's exports (path-keyed; 1 = success, negative codes as in synadb.h;
   counts where the original returned counts). JSON: VectorStore search
   [{"key":..,"score":..,"vector":[..]}], MmapVectorStore [{"key":..,"score":..}], HNSW
   search [{"key":..,"distance":..}] and stats {"num_nodes","max_level","total_edges",
   "avg_edges_per_node"}; free with syna_free_json. Lower-case names here;
   build/libsynadb.so also exports SYNA_*. Additions the original lacked:
   vector_store_get (copies the vector into out, dims floats; -5 if absent),
   vector_store_delete (1, or -5 if absent) and vector_store_len (live vectors).
   Cascade index (cascade_*; JSON [{"key":..,"score":..}], score = distance, lower is closer):
     cascade_new(path, dims): opens the Cascade file at path if it exists (dims 0 or the
       file's, else -62 SYNADB_ERR_INDEX_MISMATCH; the original ignored dims), otherwise
       creates it at once with synadb_cascade_config_preset(dims, cosine, DEFAULT) (dims
       1..8192, else -60; a missing file with dims 0: -60). A path already open: 1 (-62 if
       dims is neither 0 nor its dims). Another kind of file: -14, untouched.
     cascade_insert: 1 (replaces an existing key); -1 path not open, -2 NULL argument,
       -60 dims mismatch, -61 NaN/infinity (or a zero vector: cosine), -7 empty key.
     cascade_insert_batch: count (every row applied; a key repeated in the batch: the last
       wins); 0 for count 0; on any bad row (NULL or empty key, NaN...) nothing is inserted
       and its code is returned (the original skipped NULL keys and returned 1).
     cascade_search / cascade_search_params(.., k, num_probes, ef_search, ..): the number of
       results (the original returned 1); num_probes / ef_search 0 = the index's own.
     cascade_flush: 1 (saves atomically). cascade_close: saves if changed, then closes: 1;
       -1 if not open; if the save fails its code is returned and the index stays open.
     cascade_len: live keys. Durability: as of the last flush or close. */
#ifndef SYNADB_NO_COMPAT_ABI
#define SYNADB__VEC_ABI_FUNCS(X) \
    X(int32_t, vector_store_new, (const char *path, uint16_t dims, int32_t metric), (path, dims, metric), return) \
    X(int32_t, vector_store_new_with_config, (const char *path, uint16_t dims, int32_t metric, int32_t sync_on_write), (path, dims, metric, sync_on_write), return) \
    X(int32_t, vector_store_insert, (const char *path, const char *key, const float *data, uint16_t dims), (path, key, data, dims), return) \
    X(int32_t, vector_store_insert_batch, (const char *path, const char *const *keys, const float *data, uint16_t dims, size_t count), (path, keys, data, dims, count), return) \
    X(int32_t, vector_store_insert_batch_fast, (const char *path, const char *const *keys, const float *data, uint16_t dims, size_t count), (path, keys, data, dims, count), return) \
    X(int32_t, vector_store_search, (const char *path, const float *query, uint16_t dims, size_t k, char **out_json), (path, query, dims, k, out_json), return) \
    X(int32_t, vector_store_build_index, (const char *path), (path), return) \
    X(int32_t, vector_store_has_index, (const char *path), (path), return) \
    X(int32_t, vector_store_close, (const char *path), (path), return) \
    X(int32_t, vector_store_flush, (const char *path), (path), return) \
    X(int32_t, vector_store_get, (const char *path, const char *key, float *out, uint16_t dims), (path, key, out, dims), return) \
    X(int32_t, vector_store_delete, (const char *path, const char *key), (path, key), return) \
    X(int64_t, vector_store_len, (const char *path), (path), return) \
    X(int32_t, mmap_vector_store_new, (const char *path, uint16_t dims, int32_t metric, size_t initial_capacity), (path, dims, metric, initial_capacity), return) \
    X(int32_t, mmap_vector_store_insert, (const char *path, const char *key, const float *vector, uint16_t dims), (path, key, vector, dims), return) \
    X(int32_t, mmap_vector_store_insert_batch, (const char *path, const char *const *keys, const float *vectors, uint16_t dims, size_t count), (path, keys, vectors, dims, count), return) \
    X(int32_t, mmap_vector_store_search, (const char *path, const float *query, uint16_t dims, size_t k, char **out_json, size_t *out_len), (path, query, dims, k, out_json, out_len), return) \
    X(int32_t, mmap_vector_store_build_index, (const char *path), (path), return) \
    X(int32_t, mmap_vector_store_flush, (const char *path), (path), return) \
    X(int32_t, mmap_vector_store_close, (const char *path), (path), return) \
    X(int64_t, mmap_vector_store_len, (const char *path), (path), return) \
    X(int32_t, hnsw_create, (const char *path, uint16_t dims, int32_t metric, size_t m, size_t ef_construction), (path, dims, metric, m, ef_construction), return) \
    X(int32_t, hnsw_load, (const char *path), (path), return) \
    X(int32_t, hnsw_save, (const char *path), (path), return) \
    X(int32_t, hnsw_insert, (const char *path, const char *key, const float *vector, uint16_t dims), (path, key, vector, dims), return) \
    X(int32_t, hnsw_search, (const char *path, const float *query, uint16_t dims, size_t k, size_t ef_search, char **out_json), (path, query, dims, k, ef_search, out_json), return) \
    X(int32_t, hnsw_stats, (const char *path, char **out_json), (path, out_json), return) \
    X(int32_t, hnsw_close, (const char *path), (path), return) \
    X(int32_t, gwi_new, (const char *path, uint16_t dims, uint16_t branching_factor, uint8_t num_levels, size_t initial_capacity), (path, dims, branching_factor, num_levels, initial_capacity), return) \
    X(int32_t, gwi_open, (const char *path), (path), return) \
    X(int32_t, gwi_initialize, (const char *path, const float *vectors, size_t num_vectors, uint16_t dims), (path, vectors, num_vectors, dims), return) \
    X(int32_t, gwi_insert, (const char *path, const char *key, const float *vector, uint16_t dims), (path, key, vector, dims), return) \
    X(int32_t, gwi_insert_batch, (const char *path, const char *const *keys, const float *vectors, uint16_t dims, size_t count), (path, keys, vectors, dims, count), return) \
    X(int32_t, gwi_search, (const char *path, const float *query, uint16_t dims, size_t k, char **out_json), (path, query, dims, k, out_json), return) \
    X(int32_t, gwi_search_nprobe, (const char *path, const float *query, uint16_t dims, size_t k, size_t nprobe, char **out_json), (path, query, dims, k, nprobe, out_json), return) \
    X(int32_t, gwi_flush, (const char *path), (path), return) \
    X(int32_t, gwi_close, (const char *path), (path), return) \
    X(int64_t, gwi_len, (const char *path), (path), return) \
    X(int32_t, cascade_new, (const char *path, uint16_t dims), (path, dims), return) \
    X(int32_t, cascade_insert, (const char *path, const char *key, const float *vector, uint16_t dims), (path, key, vector, dims), return) \
    X(int32_t, cascade_insert_batch, (const char *path, const char *const *keys, const float *vectors, uint16_t dims, size_t count), (path, keys, vectors, dims, count), return) \
    X(int32_t, cascade_search, (const char *path, const float *query, uint16_t dims, size_t k, char **out_json), (path, query, dims, k, out_json), return) \
    X(int32_t, cascade_search_params, (const char *path, const float *query, uint16_t dims, size_t k, size_t num_probes, size_t ef_search, char **out_json), (path, query, dims, k, num_probes, ef_search, out_json), return) \
    X(int32_t, cascade_flush, (const char *path), (path), return) \
    X(int32_t, cascade_close, (const char *path), (path), return) \
    X(int64_t, cascade_len, (const char *path), (path), return)

#define SYNADB__X(ret, name, params, args, RET) SYNADB_VEC_API ret syna_##name params; SYNADB_VEC_API ret SYNA_##name params;
SYNADB__VEC_ABI_FUNCS(SYNADB__X)
#undef SYNADB__X

/* The original's sparse store exports, under their own names (no SYNA_ prefix). path is a
   name in a registry of its own (not a file): svs_new creates an in-memory store,
   svs_open(path, file) opens a store file (it must exist) whose every later index/delete
   is durable, svs_save writes the live documents to a file atomically, svs_close closes
   (an in-memory store is discarded). Returns: 1 (or a count / doc id) on success;
   SVS_ERR_NULL_PTR (-1) for a NULL or non-UTF-8 argument; SVS_ERR_NOT_FOUND (-3) for an
   unknown name or key; SVS_ERR_ALREADY_EXISTS (-4); other failures keep synadb.h's
   negative codes (e.g. -7 empty key, -61 NaN weight, -9 corrupt file, -14 not a store).
   svs_search fills caller-allocated out_keys/out_scores (k slots); each key is allocated
   with SYNADB_MALLOC and must be released with svs_free_key. */
#define SVS_SUCCESS 1
#define SVS_ERR_GENERIC 0
#define SVS_ERR_NULL_PTR (-1)
#define SVS_ERR_INVALID_UTF8 (-2)
#define SVS_ERR_NOT_FOUND (-3)
#define SVS_ERR_ALREADY_EXISTS (-4)
#define SVS_ERR_INTERNAL (-100)
SYNADB_VEC_API int svs_new(const char *path);
SYNADB_VEC_API int svs_close(const char *path);
SYNADB_VEC_API int64_t svs_index(const char *path, const char *key, const uint32_t *term_ids, const float *weights, uint32_t count);
SYNADB_VEC_API int svs_search(const char *path, const uint32_t *term_ids, const float *weights, uint32_t count, uint32_t k,
                              char **out_keys, float *out_scores, uint32_t *out_count);
SYNADB_VEC_API void svs_free_key(char *key);
SYNADB_VEC_API int64_t svs_len(const char *path);
SYNADB_VEC_API int svs_delete(const char *path, const char *key);
SYNADB_VEC_API int svs_stats(const char *path, uint32_t *num_docs, uint32_t *num_terms, uint32_t *num_postings, float *avg_doc_len);
SYNADB_VEC_API int svs_exists(const char *path);
SYNADB_VEC_API int svs_save(const char *path, const char *file_path);
SYNADB_VEC_API int svs_open(const char *path, const char *file_path);
#endif

#ifdef __cplusplus
}
#endif
#endif /* SYNADB_VEC_H */

/* ======================================================================== >>vec.impl */
#if defined(SYNADB_IMPLEMENTATION) || defined(__INTELLISENSE__)
#ifndef SYNADB_VEC_IMPLEMENTATION_INCLUDED
#define SYNADB_VEC_IMPLEMENTATION_INCLUDED
#ifndef SYNADB_IMPLEMENTATION_INCLUDED
#error "synadb_vec.h: the implementation needs synadb.h's implementation in the same file: #define SYNADB_IMPLEMENTATION before including synadb.h"
#endif

#include <float.h>
#if defined(SYNA_NO_SIMD) && !defined(SYNADB_NO_SIMD)
#  define SYNADB_NO_SIMD
#endif
#if !defined(SYNADB_NO_SIMD) && (defined(__x86_64__) || defined(_M_X64)) && (defined(__GNUC__) || defined(__clang__) || defined(_MSC_VER))
#  define SYNADB__VEC_X86 1
#  include <immintrin.h>
#  if !defined(_MSC_VER)
#    include <cpuid.h>
#  endif
#endif
#if !defined(SYNADB_NO_SIMD) && (defined(__aarch64__) || defined(_M_ARM64))
#  define SYNADB__VEC_NEON 1
#  include <arm_neon.h>
#endif

/* Atomics for the graph's shared arrays (links, flags, counters). */
#if defined(SYNADB_NO_THREADS)
#  define SYNADB__LD_ACQ(p) (*(p))
#  define SYNADB__LD_RLX(p) (*(p))
#  define SYNADB__ST_REL(p, v) (*(p) = (v))
#  define SYNADB__ST_RLX(p, v) (*(p) = (v))
#  define SYNADB__CAS(p, e, d) (*(p) == *(e) ? (*(p) = (d), 1) : (*(e) = *(p), 0))
#  define SYNADB__FETCH_ADD(p, v) ((*(p) += (v)) - (v))
#  define SYNADB__FETCH_ADD32(p, v) ((*(p) += (v)) - (v))
#elif defined(__GNUC__) || defined(__clang__)
#  define SYNADB__LD_ACQ(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#  define SYNADB__LD_RLX(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#  define SYNADB__ST_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#  define SYNADB__ST_RLX(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#  define SYNADB__CAS(p, e, d) __atomic_compare_exchange_n((p), (e), (d), 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)
#  define SYNADB__FETCH_ADD(p, v) __atomic_fetch_add((p), (v), __ATOMIC_ACQ_REL)
#  define SYNADB__FETCH_ADD32(p, v) __atomic_fetch_add((p), (v), __ATOMIC_ACQ_REL)
#else /* MSVC (untested): volatile accesses have acquire/release semantics on x86/x64 */
#  define SYNADB__LD_ACQ(p) (*(volatile const __typeof__(*(p)) *)(p))
#  define SYNADB__LD_RLX(p) SYNADB__LD_ACQ(p)
#  define SYNADB__ST_REL(p, v) (*(volatile __typeof__(*(p)) *)(p) = (v))
#  define SYNADB__ST_RLX(p, v) SYNADB__ST_REL(p, v)
#  define SYNADB__FETCH_ADD(p, v) ((size_t)_InterlockedExchangeAdd64((volatile __int64 *)(p), (__int64)(v)))
#  define SYNADB__FETCH_ADD32(p, v) ((uint32_t)_InterlockedExchangeAdd((volatile long *)(p), (long)(v)))
#endif

/* ======================================================================== >>vec.simd */
SYNADB_PRIVATE float synadb__vdot_scalar(const float *a, const float *b, size_t n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i, n4 = n & ~(size_t)3;
    for (i = 0; i < n4; i += 4) { s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1]; s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3]; }
    for (; i < n; i++) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}
SYNADB_PRIVATE float synadb__vl2_scalar(const float *a, const float *b, size_t n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, d;
    size_t i, n4 = n & ~(size_t)3;
    for (i = 0; i < n4; i += 4) {
        d = a[i] - b[i]; s0 += d * d; d = a[i + 1] - b[i + 1]; s1 += d * d;
        d = a[i + 2] - b[i + 2]; s2 += d * d; d = a[i + 3] - b[i + 3]; s3 += d * d;
    }
    for (; i < n; i++) { d = a[i] - b[i]; s0 += d * d; }
    return (s0 + s1) + (s2 + s3);
}

/* Bounded squared L2: checks the partial sum every SYNADB__L2_BLOCK components. */
#define SYNADB__L2_BLOCK 192
SYNADB_PRIVATE float synadb__vl2b_scalar(const float *a, const float *b, size_t n, float bound) {
    float s = 0;
    size_t i;
    for (i = 0; i + SYNADB__L2_BLOCK < n; i += SYNADB__L2_BLOCK) {
        s += synadb__vl2_scalar(a + i, b + i, SYNADB__L2_BLOCK);
        if (s > bound) return s;
    }
    return s + synadb__vl2_scalar(a + i, b + i, n - i);
}

#if defined(SYNADB__VEC_X86)
#  if defined(__GNUC__) || defined(__clang__)
#    define SYNADB__TGT_AVX2 __attribute__((target("avx2,fma")))
#    define SYNADB__TGT_AVX512 __attribute__((target("avx512f")))
#  else
#    define SYNADB__TGT_AVX2
#    define SYNADB__TGT_AVX512
#  endif
SYNADB__TGT_AVX2 SYNADB_PRIVATE float synadb__hsum256(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 1));
    return _mm_cvtss_f32(lo);
}
/* mask for the last n % 8 lanes */
SYNADB__TGT_AVX2 SYNADB_PRIVATE __m256i synadb__tailmask8(size_t r) {
    static const int32_t m[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return _mm256_loadu_si256((const __m256i *)(const void *)(m + 8 - r));
}
SYNADB__TGT_AVX2 SYNADB_PRIVATE float synadb__vdot_avx2(const float *a, const float *b, size_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
    }
    for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    if (i < n) {
        __m256i m = synadb__tailmask8(n - i);
        s1 = _mm256_fmadd_ps(_mm256_maskload_ps(a + i, m), _mm256_maskload_ps(b + i, m), s1);
    }
    return synadb__hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
}
SYNADB__TGT_AVX2 SYNADB_PRIVATE float synadb__vl2_avx2(const float *a, const float *b, size_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps(), d;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        d = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)); s0 = _mm256_fmadd_ps(d, d, s0);
        d = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8)); s1 = _mm256_fmadd_ps(d, d, s1);
        d = _mm256_sub_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16)); s2 = _mm256_fmadd_ps(d, d, s2);
        d = _mm256_sub_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24)); s3 = _mm256_fmadd_ps(d, d, s3);
    }
    for (; i + 8 <= n; i += 8) { d = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)); s0 = _mm256_fmadd_ps(d, d, s0); }
    if (i < n) {
        __m256i m = synadb__tailmask8(n - i);
        d = _mm256_sub_ps(_mm256_maskload_ps(a + i, m), _mm256_maskload_ps(b + i, m));
        s1 = _mm256_fmadd_ps(d, d, s1);
    }
    return synadb__hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
}
SYNADB__TGT_AVX512 SYNADB_PRIVATE float synadb__hsum512(__m512 v) {
    __m128 x;
    /* masked forms with an explicit source: the unmasked ones trip -Wuninitialized in g++ 12 */
    v = _mm512_add_ps(v, _mm512_mask_shuffle_f32x4(v, (__mmask16)0xFFFF, v, v, 0x4E)); /* swap 256-bit halves */
    v = _mm512_add_ps(v, _mm512_mask_shuffle_f32x4(v, (__mmask16)0xFFFF, v, v, 0xB1)); /* swap 128-bit quarters */
    x = _mm512_mask_extractf32x4_ps(_mm_setzero_ps(), (__mmask8)0xF, v, 0);
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_shuffle_ps(x, x, 1));
    return _mm_cvtss_f32(x);
}
SYNADB__TGT_AVX512 SYNADB_PRIVATE float synadb__vdot_avx512(const float *a, const float *b, size_t n) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
        s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
        s2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32), s2);
        s3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48), s3);
    }
    for (; i + 16 <= n; i += 16) s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
        s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), s1);
    }
    return synadb__hsum512(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}
SYNADB__TGT_AVX512 SYNADB_PRIVATE float synadb__vl2_avx512(const float *a, const float *b, size_t n) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps(), d;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        d = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i)); s0 = _mm512_fmadd_ps(d, d, s0);
        d = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16)); s1 = _mm512_fmadd_ps(d, d, s1);
        d = _mm512_sub_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32)); s2 = _mm512_fmadd_ps(d, d, s2);
        d = _mm512_sub_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48)); s3 = _mm512_fmadd_ps(d, d, s3);
    }
    for (; i + 16 <= n; i += 16) { d = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i)); s0 = _mm512_fmadd_ps(d, d, s0); }
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
        d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
        s1 = _mm512_fmadd_ps(d, d, s1);
    }
    return synadb__hsum512(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}
SYNADB__TGT_AVX2 SYNADB_PRIVATE float synadb__vl2b_avx2(const float *a, const float *b, size_t n, float bound) {
    float s = 0;
    size_t i;
    for (i = 0; i + SYNADB__L2_BLOCK < n; i += SYNADB__L2_BLOCK) {
        s += synadb__vl2_avx2(a + i, b + i, SYNADB__L2_BLOCK);
        if (s > bound) return s;
    }
    return s + synadb__vl2_avx2(a + i, b + i, n - i);
}
SYNADB__TGT_AVX512 SYNADB_PRIVATE float synadb__vl2b_avx512(const float *a, const float *b, size_t n, float bound) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps(), d;
    size_t i = 0;
    for (;;) {
        size_t end = n - i > SYNADB__L2_BLOCK ? i + SYNADB__L2_BLOCK : n;
        for (; i + 64 <= end; i += 64) {
            d = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i)); s0 = _mm512_fmadd_ps(d, d, s0);
            d = _mm512_sub_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16)); s1 = _mm512_fmadd_ps(d, d, s1);
            d = _mm512_sub_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32)); s2 = _mm512_fmadd_ps(d, d, s2);
            d = _mm512_sub_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48)); s3 = _mm512_fmadd_ps(d, d, s3);
        }
        if (end == n) break;
        {
            float part = synadb__hsum512(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
            if (part > bound) return part;
        }
    }
    for (; i + 16 <= n; i += 16) { d = _mm512_sub_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i)); s0 = _mm512_fmadd_ps(d, d, s0); }
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
        d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i));
        s1 = _mm512_fmadd_ps(d, d, s1);
    }
    return synadb__hsum512(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}
SYNADB__TGT_AVX2 SYNADB_PRIVATE void synadb__vl2x4_avx2(const float *q, const float *const *v, size_t n, float bound, float *out) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    const float *a = v[0], *b = v[1], *c = v[2], *e = v[3];
    size_t i = 0;
    for (;;) {
        size_t end = n - i > SYNADB__L2_BLOCK ? i + SYNADB__L2_BLOCK : n;
        for (; i + 8 <= end; i += 8) {
            __m256 x = _mm256_loadu_ps(q + i), d;
            d = _mm256_sub_ps(x, _mm256_loadu_ps(a + i)); s0 = _mm256_fmadd_ps(d, d, s0);
            d = _mm256_sub_ps(x, _mm256_loadu_ps(b + i)); s1 = _mm256_fmadd_ps(d, d, s1);
            d = _mm256_sub_ps(x, _mm256_loadu_ps(c + i)); s2 = _mm256_fmadd_ps(d, d, s2);
            d = _mm256_sub_ps(x, _mm256_loadu_ps(e + i)); s3 = _mm256_fmadd_ps(d, d, s3);
        }
        if (end == n) break;
        if (synadb__hsum256(s0) > bound && synadb__hsum256(s1) > bound && synadb__hsum256(s2) > bound && synadb__hsum256(s3) > bound) break;
    }
    out[0] = synadb__hsum256(s0); out[1] = synadb__hsum256(s1); out[2] = synadb__hsum256(s2); out[3] = synadb__hsum256(s3);
    if (i < n && !(out[0] > bound && out[1] > bound && out[2] > bound && out[3] > bound)) {
        out[0] += synadb__vl2_scalar(q + i, a + i, n - i); out[1] += synadb__vl2_scalar(q + i, b + i, n - i);
        out[2] += synadb__vl2_scalar(q + i, c + i, n - i); out[3] += synadb__vl2_scalar(q + i, e + i, n - i);
    }
}
/* Four squared L2 distances at once (four independent memory streams); may stop early once
   all four partial sums exceed bound (results above bound are then lower bounds). */
SYNADB__TGT_AVX512 SYNADB_PRIVATE void synadb__vl2x4_avx512(const float *q, const float *const *v, size_t n, float bound, float *out) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps(), s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
    const float *a = v[0], *b = v[1], *c = v[2], *e = v[3];
    size_t i = 0;
    for (;;) {
        size_t end = n - i > SYNADB__L2_BLOCK ? i + SYNADB__L2_BLOCK : n;
        for (; i + 16 <= end; i += 16) {
            __m512 x = _mm512_loadu_ps(q + i), d;
            d = _mm512_sub_ps(x, _mm512_loadu_ps(a + i)); s0 = _mm512_fmadd_ps(d, d, s0);
            d = _mm512_sub_ps(x, _mm512_loadu_ps(b + i)); s1 = _mm512_fmadd_ps(d, d, s1);
            d = _mm512_sub_ps(x, _mm512_loadu_ps(c + i)); s2 = _mm512_fmadd_ps(d, d, s2);
            d = _mm512_sub_ps(x, _mm512_loadu_ps(e + i)); s3 = _mm512_fmadd_ps(d, d, s3);
        }
        if (end == n) break;
        if (synadb__hsum512(s0) > bound && synadb__hsum512(s1) > bound && synadb__hsum512(s2) > bound && synadb__hsum512(s3) > bound) {
            out[0] = synadb__hsum512(s0); out[1] = synadb__hsum512(s1); out[2] = synadb__hsum512(s2); out[3] = synadb__hsum512(s3);
            return;
        }
    }
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
        __m512 x = _mm512_maskz_loadu_ps(m, q + i), d;
        d = _mm512_sub_ps(x, _mm512_maskz_loadu_ps(m, a + i)); s0 = _mm512_fmadd_ps(d, d, s0);
        d = _mm512_sub_ps(x, _mm512_maskz_loadu_ps(m, b + i)); s1 = _mm512_fmadd_ps(d, d, s1);
        d = _mm512_sub_ps(x, _mm512_maskz_loadu_ps(m, c + i)); s2 = _mm512_fmadd_ps(d, d, s2);
        d = _mm512_sub_ps(x, _mm512_maskz_loadu_ps(m, e + i)); s3 = _mm512_fmadd_ps(d, d, s3);
    }
    out[0] = synadb__hsum512(s0); out[1] = synadb__hsum512(s1); out[2] = synadb__hsum512(s2); out[3] = synadb__hsum512(s3);
}
/* CPU features: AVX2+FMA (with OS support for YMM state), AVX-512F (ZMM state). */
SYNADB_PRIVATE uint64_t synadb__xgetbv0(void) {
#  if defined(_MSC_VER)
    return _xgetbv(0);
#  else
    uint32_t lo, hi;
    __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
#  endif
}
SYNADB_PRIVATE void synadb__cpuidex(int leaf, int sub, uint32_t r[4]) {
#  if defined(_MSC_VER)
    int x[4]; __cpuidex(x, leaf, sub);
    r[0] = (uint32_t)x[0]; r[1] = (uint32_t)x[1]; r[2] = (uint32_t)x[2]; r[3] = (uint32_t)x[3];
#  else
    unsigned a = 0, b = 0, c = 0, d = 0;
    __cpuid_count((unsigned)leaf, (unsigned)sub, a, b, c, d);
    r[0] = a; r[1] = b; r[2] = c; r[3] = d;
#  endif
}
/* 0 none, 1 AVX2+FMA, 2 AVX-512F */
SYNADB_PRIVATE int synadb__x86_level(void) {
    uint32_t r1[4], r7[4], max[4];
    uint64_t xcr0;
    synadb__cpuidex(0, 0, max);
    if (max[0] < 7) return 0;
    synadb__cpuidex(1, 0, r1);
    if (!(r1[2] & (1u << 27)) || !(r1[2] & (1u << 12)) || !(r1[2] & (1u << 28))) return 0; /* OSXSAVE, FMA, AVX */
    xcr0 = synadb__xgetbv0();
    if ((xcr0 & 6) != 6) return 0;
    synadb__cpuidex(7, 0, r7);
    if (!(r7[1] & (1u << 5))) return 0;                      /* AVX2 */
    if ((r7[1] & (1u << 16)) && (xcr0 & 0xe6) == 0xe6) return 2; /* AVX-512F + opmask/ZMM state */
    return 1;
}
#endif /* SYNADB__VEC_X86 */

#if defined(SYNADB__VEC_NEON)
SYNADB_PRIVATE float synadb__vdot_neon(const float *a, const float *b, size_t n) {
    float32x4_t s0 = vdupq_n_f32(0), s1 = vdupq_n_f32(0), s2 = vdupq_n_f32(0), s3 = vdupq_n_f32(0);
    size_t i = 0;
    float s;
    for (; i + 16 <= n; i += 16) {
        s0 = vfmaq_f32(s0, vld1q_f32(a + i), vld1q_f32(b + i));
        s1 = vfmaq_f32(s1, vld1q_f32(a + i + 4), vld1q_f32(b + i + 4));
        s2 = vfmaq_f32(s2, vld1q_f32(a + i + 8), vld1q_f32(b + i + 8));
        s3 = vfmaq_f32(s3, vld1q_f32(a + i + 12), vld1q_f32(b + i + 12));
    }
    for (; i + 4 <= n; i += 4) s0 = vfmaq_f32(s0, vld1q_f32(a + i), vld1q_f32(b + i));
    s = vaddvq_f32(vaddq_f32(vaddq_f32(s0, s1), vaddq_f32(s2, s3)));
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}
SYNADB_PRIVATE float synadb__vl2_neon(const float *a, const float *b, size_t n) {
    float32x4_t s0 = vdupq_n_f32(0), s1 = vdupq_n_f32(0), s2 = vdupq_n_f32(0), s3 = vdupq_n_f32(0), d;
    size_t i = 0;
    float s, e;
    for (; i + 16 <= n; i += 16) {
        d = vsubq_f32(vld1q_f32(a + i), vld1q_f32(b + i)); s0 = vfmaq_f32(s0, d, d);
        d = vsubq_f32(vld1q_f32(a + i + 4), vld1q_f32(b + i + 4)); s1 = vfmaq_f32(s1, d, d);
        d = vsubq_f32(vld1q_f32(a + i + 8), vld1q_f32(b + i + 8)); s2 = vfmaq_f32(s2, d, d);
        d = vsubq_f32(vld1q_f32(a + i + 12), vld1q_f32(b + i + 12)); s3 = vfmaq_f32(s3, d, d);
    }
    for (; i + 4 <= n; i += 4) { d = vsubq_f32(vld1q_f32(a + i), vld1q_f32(b + i)); s0 = vfmaq_f32(s0, d, d); }
    s = vaddvq_f32(vaddq_f32(vaddq_f32(s0, s1), vaddq_f32(s2, s3)));
    for (; i < n; i++) { e = a[i] - b[i]; s += e * e; }
    return s;
}
SYNADB_PRIVATE float synadb__vl2b_neon(const float *a, const float *b, size_t n, float bound) {
    float s = 0;
    size_t i;
    for (i = 0; i + SYNADB__L2_BLOCK < n; i += SYNADB__L2_BLOCK) {
        s += synadb__vl2_neon(a + i, b + i, SYNADB__L2_BLOCK);
        if (s > bound) return s;
    }
    return s + synadb__vl2_neon(a + i, b + i, n - i);
}
#endif

SYNADB_VEC_API synadb_vec_kernels synadb_vec_kernels_scalar(void) {
    synadb_vec_kernels k;
    k.dot = synadb__vdot_scalar;
    k.l2sq = synadb__vl2_scalar;
    k.l2sq_bounded = synadb__vl2b_scalar;
    k.l2sq_x4 = NULL;
    k.name = "scalar";
    return k;
}
SYNADB_VEC_API size_t synadb_vec_kernels_all(synadb_vec_kernels *out, size_t cap) {
    size_t n = 0;
    if (n < cap) out[n++] = synadb_vec_kernels_scalar();
#if defined(SYNADB__VEC_X86)
    {
        int lvl = synadb__x86_level();
        if (lvl >= 1 && n < cap) { out[n].dot = synadb__vdot_avx2; out[n].l2sq = synadb__vl2_avx2; out[n].l2sq_bounded = synadb__vl2b_avx2; out[n].l2sq_x4 = synadb__vl2x4_avx2; out[n].name = "avx2+fma"; n++; }
        if (lvl >= 2 && n < cap) { out[n].dot = synadb__vdot_avx512; out[n].l2sq = synadb__vl2_avx512; out[n].l2sq_bounded = synadb__vl2b_avx512; out[n].l2sq_x4 = synadb__vl2x4_avx512; out[n].name = "avx512"; n++; }
    }
#elif defined(SYNADB__VEC_NEON)
    if (n < cap) { out[n].dot = synadb__vdot_neon; out[n].l2sq = synadb__vl2_neon; out[n].l2sq_bounded = synadb__vl2b_neon; out[n].l2sq_x4 = NULL; out[n].name = "neon"; n++; }
#endif
    return n;
}
SYNADB_VEC_API synadb_vec_kernels synadb_vec_kernels_best(void) {
    synadb_vec_kernels all[4];
    size_t n = synadb_vec_kernels_all(all, 4);
    return all[n - 1];
}

/* Internal distance under a metric, on vectors as stored in an index (cosine vectors are
   normalised): squared L2, 1 - dot, or -dot. Monotonic in the public distance. */
SYNADB_PRIVATE float synadb__vdist(const synadb_vec_kernels *k, int metric, const float *a, const float *b, size_t n) {
    if (metric == SYNADB_METRIC_EUCLIDEAN) return k->l2sq(a, b, n);
    if (metric == SYNADB_METRIC_COSINE) return 1.0f - k->dot(a, b, n);
    return -k->dot(a, b, n);
}
/* Internal distance to public score. */
SYNADB_PRIVATE float synadb__vscore(int metric, float d) {
    if (metric == SYNADB_METRIC_EUCLIDEAN) return d > 0 ? sqrtf(d) : 0.0f;
    return d;
}
SYNADB_VEC_API float synadb_vec_distance(const synadb_vec_kernels *k, synadb_metric m, const float *a, const float *b, size_t n) {
    synadb_vec_kernels def;
    if (!k) { def = synadb_vec_kernels_best(); k = &def; }
    if (m == SYNADB_METRIC_EUCLIDEAN) return sqrtf(k->l2sq(a, b, n));
    if (m == SYNADB_METRIC_DOT) return -k->dot(a, b, n);
    {
        float na = k->dot(a, a, n), nb = k->dot(b, b, n);
        if (na <= 0 || nb <= 0) return 1.0f;
        return 1.0f - k->dot(a, b, n) / sqrtf(na * nb);
    }
}
SYNADB_VEC_API synadb_result synadb_vec_check(const float *v, size_t n, synadb_metric m) {
    size_t i;
    int nonzero = 0;
    if (!v || !n) return SYNADB_ERR_INVALID_ARG;
    for (i = 0; i < n; i++) {
        float x = v[i];
        if (x != x || x - x != 0.0f) return SYNADB_ERR_BAD_VECTOR; /* NaN, or infinity */
        if (x != 0.0f) nonzero = 1;
    }
    if (m == SYNADB_METRIC_COSINE && !nonzero) return SYNADB_ERR_BAD_VECTOR;
    return SYNADB_OK;
}
/* Unit-length copy (cosine). */
SYNADB_PRIVATE void synadb__vnormalize(const synadb_vec_kernels *k, const float *in, float *out, size_t n) {
    float s = k->dot(in, in, n), inv;
    size_t i;
    inv = s > 0 ? 1.0f / sqrtf(s) : 0.0f;
    for (i = 0; i < n; i++) out[i] = in[i] * inv;
}

/* ---- stable key storage ----
   Keys live in blocks that never move, so a key pointer handed out in a search result stays
   valid while other threads insert; blocks are freed only with their owner. Each key is
   stored as [u16 length][bytes][NUL]; the owner serialises additions. */
typedef struct synadb__kstore { char **blk; size_t nblk, blk_cap, used, cap; } synadb__kstore;
#define SYNADB__KSTORE_BLOCK 65536u
SYNADB_PRIVATE int synadb__kstore_room(const synadb_allocator *a, synadb__kstore *ks) {
    if (ks->nblk == ks->blk_cap) {
        size_t nc = ks->blk_cap ? ks->blk_cap * 2 : 16;
        char **nb = (char **)SYNADB__REALLOC(a, ks->blk, nc * sizeof *nb);
        if (!nb) return -1;
        ks->blk = nb; ks->blk_cap = nc;
    }
    return 0;
}
/* Copies a key (at most 65535 bytes); NULL when out of memory. */
SYNADB_PRIVATE const char *synadb__kstore_add(const synadb_allocator *a, synadb__kstore *ks, const char *key, size_t klen) {
    size_t need = klen + 3;
    char *p;
    if (klen > 0xffff || synadb__kstore_room(a, ks)) return NULL;
    if (need > SYNADB__KSTORE_BLOCK / 4) {       /* a big key: a block of its own, before the current one */
        p = (char *)SYNADB__ALLOC(a, need);
        if (!p) return NULL;
        if (ks->nblk) { ks->blk[ks->nblk] = ks->blk[ks->nblk - 1]; ks->blk[ks->nblk - 1] = p; }
        else { ks->blk[0] = p; ks->used = ks->cap = need; }
        ks->nblk++;
    } else {
        if (!ks->nblk || ks->used + need > ks->cap) {
            p = (char *)SYNADB__ALLOC(a, SYNADB__KSTORE_BLOCK);
            if (!p) return NULL;
            ks->blk[ks->nblk++] = p;
            ks->used = 0; ks->cap = SYNADB__KSTORE_BLOCK;
        }
        p = ks->blk[ks->nblk - 1] + ks->used;
        ks->used += need;
    }
    p[0] = (char)(klen & 0xff);
    p[1] = (char)(klen >> 8);
    if (klen) memcpy(p + 2, key, klen);
    p[2 + klen] = 0;
    return p + 2;
}
SYNADB_PRIVATE size_t synadb__kstore_len(const char *k) {
    const unsigned char *p = (const unsigned char *)k - 2;
    return (size_t)p[0] | (size_t)p[1] << 8;
}
SYNADB_PRIVATE void synadb__kstore_free(const synadb_allocator *a, synadb__kstore *ks) {
    size_t i;
    for (i = 0; i < ks->nblk; i++) SYNADB__FREE(a, ks->blk[i]);
    SYNADB__FREE(a, ks->blk);
    memset(ks, 0, sizeof *ks);
}

/* ======================================================================== >>vec.exact */
/* A bounded max-heap of (distance, id): the k best seen so far, worst on top. */
typedef struct synadb__hn { float d; uint32_t id; } synadb__hn;
typedef struct synadb__topk { synadb_vec_hit *h; size_t n, k; } synadb__topk;
SYNADB_PRIVATE void synadb__topk_push(synadb__topk *t, float d, uint64_t id) {
    size_t i;
    if (t->n < t->k) {
        i = t->n++;
        while (i > 0) {
            size_t p = (i - 1) / 2;
            if (t->h[p].score >= d) break;
            t->h[i] = t->h[p];
            i = p;
        }
        t->h[i].score = d; t->h[i].id = id; t->h[i].key = NULL; t->h[i].key_len = 0;
        return;
    }
    if (d >= t->h[0].score) return;
    i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= t->n) break;
        if (c + 1 < t->n && t->h[c + 1].score > t->h[c].score) c++;
        if (t->h[c].score <= d) break;
        t->h[i] = t->h[c];
        i = c;
    }
    t->h[i].score = d; t->h[i].id = id; t->h[i].key = NULL; t->h[i].key_len = 0;
}
/* Sorts the heap ascending in place (heapsort on the max-heap). */
SYNADB_PRIVATE void synadb__topk_finish(synadb__topk *t, int metric) {
    size_t n = t->n, i;
    while (n > 1) {
        synadb_vec_hit top = t->h[0], last = t->h[--n];
        size_t j = 0;
        t->h[n] = top;
        for (;;) {
            size_t c = 2 * j + 1;
            if (c >= n) break;
            if (c + 1 < n && t->h[c + 1].score > t->h[c].score) c++;
            if (t->h[c].score <= last.score) break;
            t->h[j] = t->h[c];
            j = c;
        }
        t->h[j] = last;
    }
    for (i = 0; i < t->n; i++) t->h[i].score = synadb__vscore(metric, t->h[i].score);
}

SYNADB_PRIVATE float synadb__exact_dist(const synadb_vec_kernels *k, int m, const float *q, float qn, const float *x, size_t dims) {
    if (m == SYNADB_METRIC_EUCLIDEAN) return k->l2sq(q, x, dims);
    if (m == SYNADB_METRIC_DOT) return -k->dot(q, x, dims);
    {
        float xn = k->dot(x, x, dims);
        if (xn <= 0 || qn <= 0) return 1.0f;
        return 1.0f - k->dot(q, x, dims) / sqrtf(qn * xn);
    }
}
SYNADB_VEC_API synadb_result synadb_vec_topk(const synadb_vec_kernels *kern, synadb_metric m, const float *matrix,
                                             size_t n, size_t dims, size_t stride, const float *query, size_t k,
                                             synadb_vec_hit *out, size_t *out_n) {
    synadb_vec_kernels def;
    synadb__topk t;
    size_t i;
    float qn = 0;
    if (out_n) *out_n = 0;
    if ((!matrix && n) || !query || !out_n || (!out && k) || !dims || (unsigned)m > 2u) return SYNADB_ERR_INVALID_ARG;
    if (!kern) { def = synadb_vec_kernels_best(); kern = &def; }
    if (!stride) stride = dims;
    if (stride < dims) return SYNADB_ERR_INVALID_ARG;
    if (m == SYNADB_METRIC_COSINE) qn = kern->dot(query, query, dims);
    t.h = out; t.n = 0; t.k = k;
    if (!k) return SYNADB_OK;
    for (i = 0; i < n; i++) {
        const float *x = matrix + i * stride;
        synadb__topk_push(&t, synadb__exact_dist(kern, m, query, qn, x, dims), i);
    }
    synadb__topk_finish(&t, m);
    *out_n = t.n;
    return SYNADB_OK;
}
SYNADB_VEC_API synadb_result synadb_vec_topk_batch(const synadb_vec_kernels *kern, synadb_metric m, const float *matrix,
                                                   size_t n, size_t dims, size_t stride, const float *queries, size_t nq,
                                                   size_t k, synadb_vec_hit *out, size_t *out_n) {
    synadb_vec_kernels def;
    synadb__topk stack[64], *t;
    float qstack[64], *qn;
    size_t q, i, blk, rows;
    if ((!matrix && n) || (!queries && nq) || !out_n || (!out && k && nq) || !dims || (unsigned)m > 2u) return SYNADB_ERR_INVALID_ARG;
    if (!kern) { def = synadb_vec_kernels_best(); kern = &def; }
    if (!stride) stride = dims;
    if (stride < dims) return SYNADB_ERR_INVALID_ARG;
    t = nq <= 64 ? stack : (synadb__topk *)SYNADB_MALLOC(nq * sizeof *t);
    qn = nq <= 64 ? qstack : (float *)SYNADB_MALLOC(nq * sizeof *qn);
    if (!t || !qn) { if (t != stack) SYNADB_FREE(t); if (qn != qstack) SYNADB_FREE(qn); return SYNADB_ERR_NO_MEMORY; }
    for (q = 0; q < nq; q++) {
        t[q].h = out + q * k; t[q].n = 0; t[q].k = k;
        qn[q] = m == SYNADB_METRIC_COSINE ? kern->dot(queries + q * dims, queries + q * dims, dims) : 0;
    }
    /* blocks of rows that stay in cache while every query visits them */
    rows = (256 * 1024) / (dims * sizeof(float) + 1);
    if (rows < 1) rows = 1;
    if (k) for (blk = 0; blk < n; blk += rows) {
        size_t end = blk + rows < n ? blk + rows : n;
        for (q = 0; q < nq; q++)
            for (i = blk; i < end; i++)
                synadb__topk_push(&t[q], synadb__exact_dist(kern, m, queries + q * dims, qn[q], matrix + i * stride, dims), i);
    }
    for (q = 0; q < nq; q++) { synadb__topk_finish(&t[q], m); out_n[q] = t[q].n; }
    if (t != stack) SYNADB_FREE(t);
    if (qn != qstack) SYNADB_FREE(qn);
    return SYNADB_OK;
}

/* ======================================================================== >>vec.hnsw */
/* Threads for batch builds. */
#if defined(SYNADB_NO_THREADS)
typedef int synadb__thread;
#elif defined(_WIN32)
typedef HANDLE synadb__thread;
#else
typedef pthread_t synadb__thread;
#endif
typedef struct synadb__thread_arg { void *(*fn)(void *); void *arg; } synadb__thread_arg;
#if defined(_WIN32) && !defined(SYNADB_NO_THREADS)
SYNADB_PRIVATE DWORD WINAPI synadb__thread_tramp(LPVOID p) { synadb__thread_arg *a = (synadb__thread_arg *)p; a->fn(a->arg); return 0; }
#endif
/* Starts fn(arg); 0 on success (runs it inline without threads). */
SYNADB_PRIVATE int synadb__thread_start(synadb__thread *t, synadb__thread_arg *ta) {
#if defined(SYNADB_NO_THREADS)
    *t = 0; ta->fn(ta->arg); return 0;
#elif defined(_WIN32)
    *t = CreateThread(NULL, 0, synadb__thread_tramp, ta, 0, NULL);
    return *t ? 0 : -1;
#else
    return pthread_create(t, NULL, ta->fn, ta->arg);
#endif
}
SYNADB_PRIVATE void synadb__thread_join(synadb__thread t) {
#if defined(SYNADB_NO_THREADS)
    (void)t;
#elif defined(_WIN32)
    WaitForSingleObject(t, INFINITE); CloseHandle(t);
#else
    pthread_join(t, NULL);
#endif
}
SYNADB_PRIVATE int synadb__ncpu(void) {
#if defined(SYNADB_NO_THREADS)
    return 1;
#elif defined(_WIN32)
    SYSTEM_INFO si; GetSystemInfo(&si); return (int)si.dwNumberOfProcessors;
#else
    long n = sysconf(_SC_NPROCESSORS_ONLN); return n > 0 ? (int)n : 1;
#endif
}

/* Per-node spinlocks (one byte each). */
SYNADB_PRIVATE void synadb__spin_lock(uint8_t *p) {
#if defined(SYNADB_NO_THREADS)
    (void)p;
#elif defined(__GNUC__) || defined(__clang__)
    while (__atomic_test_and_set(p, __ATOMIC_ACQUIRE)) {
        while (__atomic_load_n(p, __ATOMIC_RELAXED)) {
#  if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#  endif
        }
    }
#else
    while (_InterlockedExchange8((volatile char *)p, 1)) { while (*(volatile char *)p) YieldProcessor(); }
#endif
}
SYNADB_PRIVATE void synadb__spin_unlock(uint8_t *p) {
#if defined(SYNADB_NO_THREADS)
    (void)p;
#elif defined(__GNUC__) || defined(__clang__)
    __atomic_clear(p, __ATOMIC_RELEASE);
#else
    _InterlockedExchange8((volatile char *)p, 0);
#endif
}
#if defined(__GNUC__) || defined(__clang__)
#  define SYNADB__PREFETCH(p) __builtin_prefetch((const void *)(p), 0, 3)
#elif defined(SYNADB__VEC_X86)
#  define SYNADB__PREFETCH(p) _mm_prefetch((const char *)(p), _MM_HINT_T0)
#else
#  define SYNADB__PREFETCH(p) ((void)0)
#endif

#define SYNADB__HNSW_MAX_LEVEL 15
#define SYNADB__HNSW_EMPTY UINT64_MAX

/* Scratch for one search or insert: visited tags, the two heaps, neighbour buffers. */
typedef struct synadb__hctx {
    uint16_t *tags;
    uint64_t tags_cap;
    uint16_t tag;
    synadb__hn *cand, *res, *sel;
    size_t cand_cap, res_cap, sel_cap;
    uint32_t *nb;
    float *qbuf;
    struct synadb__hctx *next;
} synadb__hctx;

struct synadb_hnsw {
    synadb_allocator a;
    synadb_vec_kernels k;
    uint32_t dims, M, M0, efc, efs;
    int metric;
    double ml;
    float alpha, alpha_mul;        /* selection slack; alpha_mul its square (1 for dot) */
    uint64_t seed;
    size_t stride, vec_bytes;
    uint8_t *slab, *slab_raw;      /* nodes: [vector][count][2M links], stride bytes each */
    uint64_t cap;
    uint32_t count;                /* nodes allocated (atomic) */
    uint64_t *labels;
    uint8_t *levels, *deleted, *locks;
    uint32_t **upper;              /* per node: level x (1 + M) words, or NULL */
    uint32_t *indeg;               /* per node: layer-0 links pointing to it (atomic; not saved) */
    const char **nkey;             /* per node (keyed indexes): its key in `keys`, or NULL */
    synadb__kstore keys;             /* key bytes (never move: search results point into them) */
    uint64_t entry;                /* (top level << 32) | node, or SYNADB__HNSW_EMPTY (atomic) */
    uint64_t *map_keys;            /* label -> node */
    uint32_t *map_vals;
    uint64_t map_cap, map_count;
    uint64_t live, ndeleted;
    synadb__mutex gmu;             /* entry point, label map, counters */
    synadb__rwlock grow;           /* shared: add/search; exclusive: growth, compaction */
    synadb__mutex pmu;             /* scratch pool */
    synadb__hctx *pool;
    uint8_t *fmap;                 /* the loaded file: a copy-on-write mapping or a heap buffer */
    uint64_t fmap_size;
    int fmap_heap;                 /* fmap was read into the heap (no mmap) */
    char errmsg[256];
};

SYNADB_PRIVATE synadb_result synadb__herr(synadb_hnsw *h, synadb_result r, const char *fmt, ...) SYNADB__PRINTF(3, 4);
SYNADB_PRIVATE synadb_result synadb__herr(synadb_hnsw *h, synadb_result r, const char *fmt, ...) {
    va_list ap;
    if (!h) return r;
    va_start(ap, fmt);
    vsnprintf(h->errmsg, sizeof h->errmsg, fmt, ap);
    va_end(ap);
    return r;
}
SYNADB_VEC_API const char *synadb_hnsw_errmsg(const synadb_hnsw *h) { return h ? h->errmsg : "no index"; }

#define SYNADB__HVEC(h, id) ((float *)(void *)((h)->slab + (size_t)(id) * (h)->stride))
#define SYNADB__HL0(h, id) ((uint32_t *)(void *)((h)->slab + (size_t)(id) * (h)->stride + (h)->vec_bytes))
SYNADB_PRIVATE uint32_t *synadb__hlinks(const synadb_hnsw *h, uint32_t id, int level) {
    return level == 0 ? SYNADB__HL0(h, id) : h->upper[id] + (size_t)(level - 1) * (h->M + 1);
}
SYNADB_PRIVATE float synadb__hd(const synadb_hnsw *h, const float *a, const float *b) {
    return synadb__vdist(&h->k, h->metric, a, b, h->dims);
}
/* Level of a label: a deterministic function of (seed, label), so builds are
   reproducible whatever the thread interleaving. */
SYNADB_PRIVATE int synadb__hlevel(const synadb_hnsw *h, uint64_t label) {
    uint64_t r = synadb__mix64(h->seed ^ (label * 0x9E3779B97F4A7C15ull) ^ 0x5851F42D4C957F2Dull);
    double u = ((double)(r >> 11) + 1.0) * (1.0 / 9007199254740992.0);
    int l = (int)(-log(u) * h->ml);
    return l > SYNADB__HNSW_MAX_LEVEL ? SYNADB__HNSW_MAX_LEVEL : l;
}

/* ---- heaps of (distance, node): candidates (min-heap) and results (max-heap) ---- */
SYNADB_PRIVATE void synadb__hmin_push(synadb__hn *h, size_t *n, float d, uint32_t id) {
    size_t i = (*n)++;
    while (i > 0) { size_t p = (i - 1) >> 1; if (h[p].d <= d) break; h[i] = h[p]; i = p; }
    h[i].d = d; h[i].id = id;
}
SYNADB_PRIVATE synadb__hn synadb__hmin_pop(synadb__hn *h, size_t *n) {
    synadb__hn top = h[0], last = h[--*n];
    size_t i = 0, m = *n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= m) break;
        if (c + 1 < m && h[c + 1].d < h[c].d) c++;
        if (h[c].d >= last.d) break;
        h[i] = h[c]; i = c;
    }
    if (m) h[i] = last;
    return top;
}
SYNADB_PRIVATE void synadb__hmax_push(synadb__hn *h, size_t *n, float d, uint32_t id) {
    size_t i = (*n)++;
    while (i > 0) { size_t p = (i - 1) >> 1; if (h[p].d >= d) break; h[i] = h[p]; i = p; }
    h[i].d = d; h[i].id = id;
}
SYNADB_PRIVATE void synadb__hmax_pop(synadb__hn *h, size_t *n) {
    synadb__hn last = h[--*n];
    size_t i = 0, m = *n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= m) break;
        if (c + 1 < m && h[c + 1].d > h[c].d) c++;
        if (h[c].d <= last.d) break;
        h[i] = h[c]; i = c;
    }
    if (m) h[i] = last;
}
/* Empties a max-heap into ascending order (in place). */
SYNADB_PRIVATE void synadb__hmax_sort(synadb__hn *h, size_t n) {
    while (n > 1) {
        synadb__hn top = h[0];
        synadb__hmax_pop(h, &n);
        h[n] = top;
    }
}

/* ---- scratch pool ---- */
SYNADB_PRIVATE void synadb__hctx_free(synadb_hnsw *h, synadb__hctx *c) {
    SYNADB__FREE(&h->a, c->tags); SYNADB__FREE(&h->a, c->cand); SYNADB__FREE(&h->a, c->res);
    SYNADB__FREE(&h->a, c->sel); SYNADB__FREE(&h->a, c->nb); SYNADB__FREE(&h->a, c->qbuf);
    SYNADB__FREE(&h->a, c);
}
/* Makes sure the heaps hold ef + 2M + 1 entries and the tags cover every node. */
SYNADB_PRIVATE int synadb__hctx_fit(synadb_hnsw *h, synadb__hctx *c, size_t ef) {
    size_t need = ef + 2 * (size_t)h->M0 + 2;
    if (c->tags_cap < h->cap) {
        uint16_t *t = (uint16_t *)SYNADB__REALLOC(&h->a, c->tags, (size_t)h->cap * sizeof *t);
        if (!t) return -1;
        memset(t, 0, (size_t)h->cap * sizeof *t);
        c->tags = t; c->tags_cap = h->cap; c->tag = 0;
    }
    /* each array on its own: the candidate heap also grows during a search (hcand_room) */
    if (c->cand_cap < need) {
        synadb__hn *a = (synadb__hn *)SYNADB__REALLOC(&h->a, c->cand, need * 2 * sizeof *a);
        if (!a) return -1;
        c->cand = a; c->cand_cap = need;
    }
    if (c->res_cap < need) {
        synadb__hn *b = (synadb__hn *)SYNADB__REALLOC(&h->a, c->res, need * sizeof *b);
        if (!b) return -1;
        c->res = b; c->res_cap = need;
    }
    if (c->sel_cap < need) {
        synadb__hn *s = (synadb__hn *)SYNADB__REALLOC(&h->a, c->sel, need * sizeof *s);
        if (!s) return -1;
        c->sel = s; c->sel_cap = need;
    }
    return 0;
}
SYNADB_PRIVATE synadb__hctx *synadb__hctx_get(synadb_hnsw *h, size_t ef) {
    synadb__hctx *c;
    synadb__mutex_lock(&h->pmu);
    c = h->pool;
    if (c) h->pool = c->next;
    synadb__mutex_unlock(&h->pmu);
    if (!c) {
        c = (synadb__hctx *)SYNADB__ALLOC(&h->a, sizeof *c);
        if (!c) return NULL;
        memset(c, 0, sizeof *c);
        c->nb = (uint32_t *)SYNADB__ALLOC(&h->a, (2 * (size_t)h->M0 + 2) * sizeof *c->nb);
        c->qbuf = (float *)SYNADB__ALLOC(&h->a, (size_t)h->dims * sizeof *c->qbuf);
        if (!c->nb || !c->qbuf) { synadb__hctx_free(h, c); return NULL; }
    }
    if (synadb__hctx_fit(h, c, ef)) { synadb__hctx_free(h, c); return NULL; }
    if (++c->tag == 0) { memset(c->tags, 0, (size_t)c->tags_cap * sizeof *c->tags); c->tag = 1; }
    return c;
}
SYNADB_PRIVATE void synadb__hctx_put(synadb_hnsw *h, synadb__hctx *c) {
    synadb__mutex_lock(&h->pmu);
    c->next = h->pool;
    h->pool = c;
    synadb__mutex_unlock(&h->pmu);
}
/* A fresh visit epoch for a context already taken. */
SYNADB_PRIVATE void synadb__hctx_epoch(synadb__hctx *c) {
    if (++c->tag == 0) { memset(c->tags, 0, (size_t)c->tags_cap * sizeof *c->tags); c->tag = 1; }
}

/* ---- the graph search ---- */
/* Greedy descent from ep through layers top..stop+1; returns the closest node found. */
SYNADB_PRIVATE uint32_t synadb__hgreedy(const synadb_hnsw *h, const float *q, uint32_t ep, float *epd, int top, int stop) {
    uint32_t cur = ep;
    float curd = *epd;
    int l;
    for (l = top; l > stop; l--) {
        int changed = 1;
        while (changed) {
            const uint32_t *links = synadb__hlinks(h, cur, l);
            uint32_t n = SYNADB__LD_ACQ(&links[0]), j;
            changed = 0;
            if (n > h->M) n = h->M;
            for (j = 0; j < n; j++) {
                uint32_t id = SYNADB__LD_ACQ(&links[1 + j]);
                float d = synadb__hd(h, q, SYNADB__HVEC(h, id));
                if (d < curd) { curd = d; cur = id; changed = 1; }
            }
        }
    }
    *epd = curd;
    return cur;
}
/* Prefetches the first lines of a vector (the hardware prefetcher streams the rest). */
SYNADB_PRIVATE void synadb__hprefetch_vec(const synadb_hnsw *h, uint32_t id) {
    const char *p = (const char *)SYNADB__HVEC(h, id);
    size_t i, n = h->vec_bytes < 1024 ? h->vec_bytes : 1024;
    for (i = 0; i < n; i += 64) SYNADB__PREFETCH(p + i);
}
/* Room for one more candidate (the candidate heap is not bounded by ef). 0 on failure. */
SYNADB_PRIVATE int synadb__hcand_room(const synadb_hnsw *h, synadb__hctx *c, size_t cn) {
    synadb__hn *p;
    size_t nc;
    if (cn < c->cand_cap * 2) return 1;
    nc = c->cand_cap * 2;
    p = (synadb__hn *)SYNADB__REALLOC(&((synadb_hnsw *)h)->a, c->cand, nc * 2 * sizeof *p);
    if (!p) return 0;
    c->cand = p;
    c->cand_cap = nc;
    return 1;
}
/* Best-first search on one layer with a dynamic list of ef, from one or more seeds (distance,
   node). Deleted nodes are walked but,
   if skip_deleted, never enter the results. Returns the result count (c->res, max-heap). */
SYNADB_PRIVATE size_t synadb__hsearch_layer(const synadb_hnsw *h, synadb__hctx *c, const float *q, const synadb__hn *seeds,
                                            size_t nseeds, size_t ef, int level, int skip_deleted) {
    synadb__hn *cand = c->cand, *res = c->res;
    size_t cn = 0, rn = 0, s;
    uint16_t *tags = c->tags, tag = c->tag;
    uint32_t *nb = c->nb, maxn = level == 0 ? h->M0 : h->M;
    for (s = 0; s < nseeds; s++) {   /* seeds: distinct, at most cand_cap */
        uint32_t ep = seeds[s].id;
        if (tags[ep] == tag) continue;
        tags[ep] = tag;
        synadb__hmin_push(cand, &cn, seeds[s].d, ep);
        if (!skip_deleted || !SYNADB__LD_RLX(&h->deleted[ep])) {
            synadb__hmax_push(res, &rn, seeds[s].d, ep);
            if (rn > ef) synadb__hmax_pop(res, &rn);
        }
    }
    while (cn) {
        synadb__hn cur = synadb__hmin_pop(cand, &cn);
        const uint32_t *links;
        uint32_t n, j, m = 0;
        if (rn >= ef && cur.d > res[0].d) break;
        links = synadb__hlinks(h, cur.id, level);
        n = SYNADB__LD_ACQ(&links[0]);
        if (n > maxn) n = maxn;
        for (j = 0; j < n; j++) {
            uint32_t id = SYNADB__LD_ACQ(&links[1 + j]);
            SYNADB__PREFETCH(&tags[id]);
            nb[j] = id;
        }
        for (j = 0; j < n; j++) {
            uint32_t id = nb[j];
            if (tags[id] != tag) { tags[id] = tag; nb[m++] = id; }
        }
        if (m) synadb__hprefetch_vec(h, nb[0]);
        j = 0;
        if (h->metric == SYNADB_METRIC_EUCLIDEAN && h->k.l2sq_x4) {
            /* four neighbours at a time: four independent memory streams */
            for (; j + 4 <= m; j += 4) {
                const float *vv[4];
                float dd[4];
                uint32_t t;
                vv[0] = SYNADB__HVEC(h, nb[j]); vv[1] = SYNADB__HVEC(h, nb[j + 1]);
                vv[2] = SYNADB__HVEC(h, nb[j + 2]); vv[3] = SYNADB__HVEC(h, nb[j + 3]);
                for (t = j + 4; t < j + 8 && t < m; t++) synadb__hprefetch_vec(h, nb[t]);
                h->k.l2sq_x4(q, vv, h->dims, rn >= ef ? res[0].d : FLT_MAX, dd);
                for (t = 0; t < 4; t++) {
                    uint32_t id = nb[j + t];
                    float d = dd[t];
                    if (rn < ef || d < res[0].d) {
                        if (!synadb__hcand_room(h, c, cn)) continue;
                        cand = c->cand;
                        synadb__hmin_push(cand, &cn, d, id);
                        if (!skip_deleted || !SYNADB__LD_RLX(&h->deleted[id])) {
                            synadb__hmax_push(res, &rn, d, id);
                            if (rn > ef) synadb__hmax_pop(res, &rn);
                        }
                    }
                }
            }
        }
        for (; j < m; j++) {
            uint32_t id = nb[j];
            float d;
            if (j + 1 < m) synadb__hprefetch_vec(h, nb[j + 1]);
            /* under L2 a neighbour that cannot enter the results is abandoned part way */
            if (h->metric == SYNADB_METRIC_EUCLIDEAN && rn >= ef) d = h->k.l2sq_bounded(q, SYNADB__HVEC(h, id), h->dims, res[0].d);
            else d = synadb__hd(h, q, SYNADB__HVEC(h, id));
            if (rn < ef || d < res[0].d) {
                if (!synadb__hcand_room(h, c, cn)) continue;
                cand = c->cand;
                synadb__hmin_push(cand, &cn, d, id);
                if (!skip_deleted || !SYNADB__LD_RLX(&h->deleted[id])) {
                    synadb__hmax_push(res, &rn, d, id);
                    if (rn > ef) synadb__hmax_pop(res, &rn);
                }
            }
        }
    }
    return rn;
}

/* The neighbour-selection heuristic: walking candidates nearest first, keep one only if it
   is closer to the base point than to every neighbour kept so far. cand is sorted
   ascending; returns how many were kept (in out). mul > 1 relaxes the rule (see alpha). With base, each candidate's distance to
   it is computed again with the kernel used for the comparisons: search distances come
   from other kernels (four at a time, bounded) whose rounding differs, and with exact
   duplicates in the data a rounding difference would prune every neighbour but one. */
SYNADB_PRIVATE size_t synadb__hselect(const synadb_hnsw *h, const float *base, const synadb__hn *cand, size_t n, size_t maxn, uint32_t *out, float mul) {
    size_t i, kept = 0;
    for (i = 0; i < n && kept < maxn; i++) {
        const float *v = SYNADB__HVEC(h, cand[i].id);
        float d = base ? synadb__hd(h, base, v) : cand[i].d;
        size_t j;
        int good = 1;
        for (j = 0; j < kept; j++)
            if (synadb__hd(h, v, SYNADB__HVEC(h, out[j])) * mul < d) { good = 0; break; }
        if (good) out[kept++] = cand[i].id;
    }
    return kept;
}

/* A node that no layer-0 list points to any more can only be found as an entry point:
   searches miss it (hnswlib has the same flaw; on Fashion-MNIST ~0.2% of the nodes end up
   so, and they cost recall at every ef). Rescue: link it from the nearest of its own
   neighbours that has room (layer-0 lists hold 2M links and are rarely full), else from a
   neighbour of theirs with room (inner-product graphs: hubs with full lists), else in a
   near neighbour's list it replaces the farthest link whose target other links reach. */
/* layer-0 link j of x read under x's lock, or x itself past the end */
SYNADB_PRIVATE uint32_t synadb__hlink_at(synadb_hnsw *h, uint32_t x, uint32_t j) {
    const uint32_t *own = SYNADB__HL0(h, x);
    uint32_t y;
    synadb__spin_lock(&h->locks[x]);
    y = j < own[0] ? own[1 + j] : x;
    synadb__spin_unlock(&h->locks[x]);
    return y;
}
/* links y -> x if y's list has room: 1 if x is linked (by us, or found linked meanwhile) */
SYNADB_PRIVATE int synadb__hrescue_room(synadb_hnsw *h, uint32_t x, uint32_t y) {
    uint32_t *links, m, k;
    int done = 0;
    if (y == x || SYNADB__LD_RLX(&h->deleted[y])) return 0;
    synadb__spin_lock(&h->locks[y]);
    links = SYNADB__HL0(h, y);
    m = links[0];
    for (k = 0; k < m && links[1 + k] != x; k++) {}
    if (SYNADB__LD_ACQ(&h->indeg[x]) || k < m) done = 1;   /* found meanwhile */
    else if (m < h->M0) {
        SYNADB__ST_REL(&links[1 + m], x);
        SYNADB__ST_REL(&links[0], m + 1);
        (void)SYNADB__FETCH_ADD32(&h->indeg[x], 1u);
        done = 1;
    }
    synadb__spin_unlock(&h->locks[y]);
    return done;
}
SYNADB_PRIVATE void synadb__hrescue(synadb_hnsw *h, uint32_t x) {
    uint32_t n, j, k;
    if (SYNADB__LD_RLX(&h->deleted[x])) return;
    synadb__spin_lock(&h->locks[x]);
    n = SYNADB__HL0(h, x)[0];
    synadb__spin_unlock(&h->locks[x]);
    for (j = 0; j < n; j++)
        if (synadb__hrescue_room(h, x, synadb__hlink_at(h, x, j))) return;
    for (j = 0; j < n && j < 4; j++) {   /* two hops away */
        uint32_t y = synadb__hlink_at(h, x, j);
        for (k = 0; k < h->M0; k++) {
            uint32_t z = synadb__hlink_at(h, y, k);
            if (z == y) break;
            if (synadb__hrescue_room(h, x, z)) return;
        }
    }
    for (j = 0; j < n && j < 4; j++) {
        uint32_t y = synadb__hlink_at(h, x, j), *links, m, worst = UINT32_MAX;
        float wd = -HUGE_VALF;
        if (y == x) continue;
        synadb__spin_lock(&h->locks[y]);
        if (SYNADB__LD_ACQ(&h->indeg[x])) { synadb__spin_unlock(&h->locks[y]); return; }
        links = SYNADB__HL0(h, y);
        m = links[0];
        for (k = 0; k < m && links[1 + k] != x; k++) {
            float d;
            if (SYNADB__LD_ACQ(&h->indeg[links[1 + k]]) < 2) continue;
            d = synadb__hd(h, SYNADB__HVEC(h, y), SYNADB__HVEC(h, links[1 + k]));
            if (d > wd || worst == UINT32_MAX) { wd = d; worst = k; }
        }
        if (k == m && worst != UINT32_MAX) {
            (void)SYNADB__FETCH_ADD32(&h->indeg[links[1 + worst]], (uint32_t)-1);
            SYNADB__ST_REL(&links[1 + worst], x);
            (void)SYNADB__FETCH_ADD32(&h->indeg[x], 1u);
            synadb__spin_unlock(&h->locks[y]);
            return;
        }
        synadb__spin_unlock(&h->locks[y]);
    }
}
/* Adds a link nb -> id on a layer, pruning nb's list with the heuristic when full. */
SYNADB_PRIVATE void synadb__hlink(synadb_hnsw *h, synadb__hctx *c, uint32_t nb, uint32_t id, int level) {
    uint32_t maxn = level == 0 ? h->M0 : h->M, n, j;
    uint32_t *links, orphans[2 * 64 + 2];
    size_t norph = 0;
    synadb__spin_lock(&h->locks[nb]);
    links = synadb__hlinks(h, nb, level);
    n = links[0];
    for (j = 0; j < n; j++) if (links[1 + j] == id) { synadb__spin_unlock(&h->locks[nb]); return; }
    if (n < maxn) {
        SYNADB__ST_REL(&links[1 + n], id);
        SYNADB__ST_REL(&links[0], n + 1);
        if (level == 0) (void)SYNADB__FETCH_ADD32(&h->indeg[id], 1u);
    } else {
        const float *base = SYNADB__HVEC(h, nb);
        synadb__hn *s = c->sel;
        uint32_t *keep = c->nb, kept, k;
        size_t m = 0, a, b;
        for (j = 0; j < n; j++) { s[m].id = links[1 + j]; s[m].d = synadb__hd(h, base, SYNADB__HVEC(h, s[m].id)); m++; }
        s[m].id = id; s[m].d = synadb__hd(h, base, SYNADB__HVEC(h, id)); m++;
        for (a = 1; a < m; a++) { /* insertion sort: m <= 2M + 1 */
            synadb__hn x = s[a];
            for (b = a; b > 0 && s[b - 1].d > x.d; b--) s[b] = s[b - 1];
            s[b] = x;
        }
        kept = (uint32_t)synadb__hselect(h, NULL, s, m, maxn, keep, h->alpha_mul);
        if (level == 0) { /* in-degrees: the dropped lose a link, id gains one if kept */
            for (a = 0; a < m; a++) {
                uint32_t x = s[a].id;
                for (k = 0; k < kept && keep[k] != x; k++) {}
                if (k < kept) { if (x == id) (void)SYNADB__FETCH_ADD32(&h->indeg[id], 1u); }
                else if (x != id) { if (SYNADB__FETCH_ADD32(&h->indeg[x], (uint32_t)-1) == 1u) orphans[norph++] = x; }
                else if (!SYNADB__LD_ACQ(&h->indeg[id])) orphans[norph++] = id;
            }
        }
        for (j = 0; j < kept; j++) SYNADB__ST_REL(&links[1 + j], keep[j]);
        SYNADB__ST_REL(&links[0], kept);
    }
    synadb__spin_unlock(&h->locks[nb]);
    for (j = 0; j < norph; j++) synadb__hrescue(h, orphans[j]);
}

/* Connects a freshly written node into the graph. seed_ids (may be NULL): more layer-0 starting
   points besides the one the descent reaches (the Cascade index's bucket candidates). */
SYNADB_PRIVATE synadb_result synadb__hconnect(synadb_hnsw *h, uint32_t id, int level, const uint32_t *seed_ids, size_t nseed) {
    synadb__hctx *c;
    const float *q = SYNADB__HVEC(h, id);
    uint64_t e = SYNADB__LD_ACQ(&h->entry);
    uint32_t ep, cur;
    int top, l;
    float curd;
    if (e == SYNADB__HNSW_EMPTY) {
        synadb__mutex_lock(&h->gmu);
        e = h->entry;
        if (e == SYNADB__HNSW_EMPTY) {
            SYNADB__ST_REL(&h->entry, ((uint64_t)(uint32_t)level << 32) | id);
            synadb__mutex_unlock(&h->gmu);
            return SYNADB_OK;
        }
        synadb__mutex_unlock(&h->gmu);
    }
    c = synadb__hctx_get(h, h->efc);
    if (!c) return synadb__herr(h, SYNADB_ERR_NO_MEMORY, "out of memory");
    top = (int)(e >> 32);
    ep = (uint32_t)e;
    curd = synadb__hd(h, q, SYNADB__HVEC(h, ep));
    cur = synadb__hgreedy(h, q, ep, &curd, top, level);
    for (l = level < top ? level : top; l >= 0; l--) {
        size_t rn, kept, j, ns = 1;
        synadb__hctx_epoch(c);
        c->sel[0].d = curd; c->sel[0].id = cur;
        if (l == 0) for (j = 0; j < nseed && ns < c->sel_cap && ns < c->cand_cap; j++) {
            uint32_t s = seed_ids[j];
            if (s == id || s == cur || s >= SYNADB__LD_ACQ(&h->count) || SYNADB__LD_ACQ(&h->deleted[s]) == 2) continue;
            c->sel[ns].d = synadb__hd(h, q, SYNADB__HVEC(h, s)); c->sel[ns].id = s; ns++;
        }
        rn = synadb__hsearch_layer(h, c, q, c->sel, ns, h->efc, l, 0);
        synadb__hmax_sort(c->res, rn);
        kept = synadb__hselect(h, q, c->res, rn, h->M, c->nb, 1.0f);
        {   /* c->nb is scratch for hlink: take a copy of the kept ids */
            uint32_t tmp[2 * 64 + 2];
            uint32_t *keep = kept <= sizeof tmp / sizeof *tmp ? tmp : (uint32_t *)SYNADB__ALLOC(&h->a, kept * sizeof *keep);
            if (!keep) { synadb__hctx_put(h, c); return synadb__herr(h, SYNADB_ERR_NO_MEMORY, "out of memory"); }
            memcpy(keep, c->nb, kept * sizeof *keep);
            /* the node's own list: appended to, not overwritten, since another thread may
               already have linked to it from here (it is reachable from the upper layers) */
            for (j = 0; j < kept; j++) synadb__hlink(h, c, id, keep[j], l);
            for (j = 0; j < kept; j++) synadb__hlink(h, c, keep[j], id, l);
            if (keep != tmp) SYNADB__FREE(&h->a, keep);
        }
        if (rn) { cur = c->res[0].id; curd = c->res[0].d; }
    }
    synadb__hctx_put(h, c);
    if (level > top) {
        synadb__mutex_lock(&h->gmu);
        if ((uint64_t)level > (h->entry >> 32)) SYNADB__ST_REL(&h->entry, ((uint64_t)(uint32_t)level << 32) | id);
        synadb__mutex_unlock(&h->gmu);
    }
    return SYNADB_OK;
}

/* ---- label map (under gmu) ---- */
SYNADB_PRIVATE uint64_t synadb__hmap_slot(const synadb_hnsw *h, uint64_t label) {
    uint64_t mask = h->map_cap - 1, i = synadb__mix64(label) & mask;
    while (h->map_vals[i] != UINT32_MAX && h->map_keys[i] != label) i = (i + 1) & mask;
    return i;
}
SYNADB_PRIVATE int synadb__hmap_find(const synadb_hnsw *h, uint64_t label, uint32_t *node) {
    uint64_t i;
    if (!h->map_cap) return 0;
    i = synadb__hmap_slot(h, label);
    if (h->map_vals[i] == UINT32_MAX) return 0;
    *node = h->map_vals[i];
    return 1;
}
SYNADB_PRIVATE int synadb__hmap_reserve(synadb_hnsw *h, uint64_t extra) {
    uint64_t ncap = h->map_cap ? h->map_cap : 64, i;
    uint64_t *nk;
    uint32_t *nv;
    while ((h->map_count + extra) * 2 > ncap) ncap *= 2;
    if (ncap == h->map_cap) return 0;
    nk = (uint64_t *)SYNADB__ALLOC(&h->a, (size_t)ncap * sizeof *nk);
    nv = (uint32_t *)SYNADB__ALLOC(&h->a, (size_t)ncap * sizeof *nv);
    if (!nk || !nv) { SYNADB__FREE(&h->a, nk); SYNADB__FREE(&h->a, nv); return -1; }
    memset(nv, 0xff, (size_t)ncap * sizeof *nv);
    for (i = 0; i < h->map_cap; i++) if (h->map_vals[i] != UINT32_MAX) {
        uint64_t j = synadb__mix64(h->map_keys[i]) & (ncap - 1);
        while (nv[j] != UINT32_MAX) j = (j + 1) & (ncap - 1);
        nk[j] = h->map_keys[i]; nv[j] = h->map_vals[i];
    }
    SYNADB__FREE(&h->a, h->map_keys); SYNADB__FREE(&h->a, h->map_vals);
    h->map_keys = nk; h->map_vals = nv; h->map_cap = ncap;
    return 0;
}
SYNADB_PRIVATE void synadb__hmap_remove(synadb_hnsw *h, uint64_t i) {
    uint64_t mask = h->map_cap - 1, j = i;
    for (;;) {
        uint64_t home;
        j = (j + 1) & mask;
        if (h->map_vals[j] == UINT32_MAX) break;
        home = synadb__mix64(h->map_keys[j]) & mask;
        if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
            h->map_keys[i] = h->map_keys[j]; h->map_vals[i] = h->map_vals[j]; i = j;
        }
    }
    h->map_vals[i] = UINT32_MAX;
    h->map_count--;
}

/* ---- storage ---- */
SYNADB_PRIVATE int synadb__hnsw_owned_upper(const synadb_hnsw *h, const uint32_t *p) {
    return !(h->fmap && (const uint8_t *)p >= h->fmap && (const uint8_t *)p < h->fmap + h->fmap_size);
}
/* Grows the per-node arrays to ncap nodes. Caller holds grow exclusively (or owns h). */
SYNADB_PRIVATE synadb_result synadb__hnsw_resize(synadb_hnsw *h, uint64_t ncap) {
    uint8_t *raw, *slab;
    uint64_t n = h->count;
    if (ncap <= h->cap) return SYNADB_OK;
    if (ncap > 0xFFFFFFF0u) return synadb__herr(h, SYNADB_ERR_FULL, "an index holds at most 2^32 - 16 nodes");
    raw = (uint8_t *)SYNADB__ALLOC(&h->a, (size_t)ncap * h->stride + 64);
    if (!raw) return synadb__herr(h, SYNADB_ERR_NO_MEMORY, "out of memory growing the index to %llu nodes", (unsigned long long)ncap);
    slab = raw + ((64 - ((uintptr_t)raw & 63)) & 63);
    if (n) memcpy(slab, h->slab, (size_t)n * h->stride);
#define SYNADB__HGROW(field, type) do { \
        type *p_ = (type *)SYNADB__ALLOC(&h->a, (size_t)ncap * sizeof(type)); \
        if (!p_) { SYNADB__FREE(&h->a, raw); return synadb__herr(h, SYNADB_ERR_NO_MEMORY, "out of memory"); } \
        if (n) memcpy(p_, h->field, (size_t)n * sizeof(type)); \
        memset(p_ + n, 0, (size_t)(ncap - n) * sizeof(type)); \
        if (!h->fmap || !((const uint8_t *)h->field >= h->fmap && (const uint8_t *)h->field < h->fmap + h->fmap_size)) \
            SYNADB__FREE(&h->a, h->field); \
        h->field = p_; } while (0)
    SYNADB__HGROW(labels, uint64_t);
    SYNADB__HGROW(levels, uint8_t);
    SYNADB__HGROW(deleted, uint8_t);
    memset(h->deleted + n, 2, (size_t)(ncap - n)); /* 2: not yet written (see synadb__hnsw_add) */
    SYNADB__HGROW(locks, uint8_t);
    SYNADB__HGROW(upper, uint32_t *);
    SYNADB__HGROW(indeg, uint32_t);
    if (h->nkey) SYNADB__HGROW(nkey, const char *);
#undef SYNADB__HGROW
    SYNADB__FREE(&h->a, h->slab_raw);
    h->slab_raw = raw;
    h->slab = slab;
    h->cap = ncap;
    return SYNADB_OK;
}

SYNADB_VEC_API synadb_hnsw_config synadb_hnsw_config_default(uint32_t dims, synadb_metric m) {
    synadb_hnsw_config c;
    memset(&c, 0, sizeof c);
    c.struct_size = (uint32_t)sizeof c;
    c.dims = dims; c.metric = m;
    c.M = 16; c.ef_construction = 200; c.ef_search = 100; c.alpha = 1.05f;
    return c;
}
SYNADB_PRIVATE synadb_result synadb__hnsw_check_cfg(const synadb_hnsw_config *cfg, char *msg, size_t cap) {
    if (!cfg) { snprintf(msg, cap, "config is NULL"); return SYNADB_ERR_INVALID_ARG; }
    if (cfg->struct_size > sizeof *cfg) { snprintf(msg, cap, "synadb_hnsw_config from a newer version"); return SYNADB_ERR_INVALID_ARG; }
    if (cfg->dims < 1 || cfg->dims > SYNADB_VEC_MAX_DIMS) { snprintf(msg, cap, "dims %u outside 1..8192", cfg->dims); return SYNADB_ERR_INVALID_ARG; }
    if ((unsigned)cfg->metric > 2u) { snprintf(msg, cap, "unknown metric %d", (int)cfg->metric); return SYNADB_ERR_INVALID_ARG; }
    if (cfg->M == 1 || cfg->M > 64) { snprintf(msg, cap, "M %u outside 2..64", cfg->M); return SYNADB_ERR_INVALID_ARG; }
    if (cfg->alpha != 0.0f && !(cfg->alpha >= 1.0f && cfg->alpha <= 2.0f)) { snprintf(msg, cap, "alpha %g outside 1..2", (double)cfg->alpha); return SYNADB_ERR_INVALID_ARG; }
    return SYNADB_OK;
}
SYNADB_PRIVATE synadb_hnsw *synadb__hnsw_new(const synadb_hnsw_config *cfg) {
    synadb_allocator a = synadb__allocator_or_default(&cfg->allocator);
    synadb_hnsw *h = (synadb_hnsw *)SYNADB__ALLOC(&a, sizeof *h);
    if (!h) return NULL;
    memset(h, 0, sizeof *h);
    h->a = a;
    h->dims = cfg->dims;
    h->metric = cfg->metric;
    h->M = cfg->M ? cfg->M : 16;
    h->M0 = 2 * h->M;
    h->efc = cfg->ef_construction ? cfg->ef_construction : 200;
    h->efs = cfg->ef_search ? cfg->ef_search : 100;
    h->ml = 1.0 / log((double)h->M);
    h->alpha = cfg->alpha != 0.0f ? cfg->alpha : 1.05f;
    h->alpha_mul = h->metric == SYNADB_METRIC_DOT ? 1.0f : h->alpha * h->alpha;
    h->seed = cfg->seed ? cfg->seed : 100;
    h->k = cfg->no_simd ? synadb_vec_kernels_scalar() : synadb_vec_kernels_best();
    h->vec_bytes = (size_t)h->dims * 4;
    h->stride = (h->vec_bytes + 4 + 4 * (size_t)h->M0 + 63) & ~(size_t)63;
    h->entry = SYNADB__HNSW_EMPTY;
    synadb__mutex_init(&h->gmu);
    synadb__mutex_init(&h->pmu);
    synadb__rw_init(&h->grow);
    return h;
}
SYNADB_VEC_API synadb_result synadb_hnsw_create(const synadb_hnsw_config *cfg, synadb_hnsw **out) {
    char msg[128];
    synadb_result r;
    synadb_hnsw *h;
    if (!out) return SYNADB_ERR_INVALID_ARG;
    *out = NULL;
    r = synadb__hnsw_check_cfg(cfg, msg, sizeof msg);
    if (r) return r;
    h = synadb__hnsw_new(cfg);
    if (!h) return SYNADB_ERR_NO_MEMORY;
    r = synadb__hnsw_resize(h, cfg->capacity ? cfg->capacity : 1024);
    if (!r && synadb__hmap_reserve(h, 16)) r = SYNADB_ERR_NO_MEMORY;
    if (r) { synadb_hnsw_free(h); return r; }
    *out = h;
    return SYNADB_OK;
}
SYNADB_VEC_API void synadb_hnsw_free(synadb_hnsw *h) {
    uint64_t i;
    synadb_allocator a;
    if (!h) return;
    a = h->a;
    for (i = 0; i < h->count; i++)
        if (h->upper && h->upper[i] && synadb__hnsw_owned_upper(h, h->upper[i])) SYNADB__FREE(&a, h->upper[i]);
#define SYNADB__HFREE(p) do { if (!h->fmap || !((const uint8_t *)(p) >= h->fmap && (const uint8_t *)(p) < h->fmap + h->fmap_size)) SYNADB__FREE(&a, p); } while (0)
    SYNADB__HFREE(h->labels); SYNADB__HFREE(h->levels); SYNADB__HFREE(h->deleted); SYNADB__HFREE(h->locks);
    SYNADB__HFREE(h->upper);
    SYNADB__HFREE(h->indeg);
    SYNADB__HFREE(h->nkey);
#undef SYNADB__HFREE
    synadb__kstore_free(&a, &h->keys);
    SYNADB__FREE(&a, h->slab_raw);
    SYNADB__FREE(&a, h->map_keys);
    SYNADB__FREE(&a, h->map_vals);
    while (h->pool) { synadb__hctx *c = h->pool; h->pool = c->next; synadb__hctx_free(h, c); }
    if (h->fmap && h->fmap_heap) SYNADB__FREE(&a, h->fmap);
#ifndef SYNADB_NO_MMAP
    else if (h->fmap) synadb__munmap(h->fmap, h->fmap_size);
#endif
    synadb__mutex_destroy(&h->gmu);
    synadb__mutex_destroy(&h->pmu);
    synadb__rw_destroy(&h->grow);
    SYNADB__FREE(&a, h);
}

/* Takes a node id (growing the arrays if needed). Called with grow held shared; may
   drop and retake it. */
SYNADB_PRIVATE synadb_result synadb__halloc(synadb_hnsw *h, uint32_t *out) {
    for (;;) {
        uint32_t c = SYNADB__LD_ACQ(&h->count);
        if ((uint64_t)c < h->cap) {
#if defined(SYNADB_NO_THREADS) || defined(__GNUC__) || defined(__clang__)
            if (SYNADB__CAS(&h->count, &c, c + 1)) { *out = c; return SYNADB_OK; }
#else
            if ((uint32_t)_InterlockedCompareExchange((volatile long *)&h->count, (long)(c + 1), (long)c) == c) { *out = c; return SYNADB_OK; }
#endif
            continue;
        }
        synadb__rw_rdunlock(&h->grow);
        synadb__rw_wrlock(&h->grow);
        {
            synadb_result r = (uint64_t)h->count >= h->cap ? synadb__hnsw_resize(h, h->cap + h->cap / 2 + 1024) : SYNADB_OK;
            synadb__rw_wrunlock(&h->grow);
            synadb__rw_rdlock(&h->grow);
            if (r) return r;
        }
    }
}

/* Records the key of a node (under gmu). */
SYNADB_PRIVATE int synadb__hnsw_setkey(synadb_hnsw *h, uint32_t id, const char *key, size_t klen) {
    if (!h->nkey) {
        h->nkey = (const char **)SYNADB__ALLOC(&h->a, (size_t)h->cap * sizeof *h->nkey);
        if (!h->nkey) return -1;
        memset((void *)h->nkey, 0, (size_t)h->cap * sizeof *h->nkey);
    }
    h->nkey[id] = synadb__kstore_add(&h->a, &h->keys, key, klen);
    return h->nkey[id] ? 0 : -1;
}
SYNADB_VEC_API uint64_t synadb_hnsw_key_label(const char *key, size_t key_len) {
    if (key && key_len == SYNADB_NTS) key_len = strlen(key);
    return key ? synadb__hash(key, key_len, 0x53594e4156454353ull) : 0;
}
SYNADB_PRIVATE synadb_result synadb__hnsw_add(synadb_hnsw *h, uint64_t label, const float *vec, const char *key, size_t klen);
SYNADB_VEC_API synadb_result synadb_hnsw_add(synadb_hnsw *h, uint64_t label, const float *vec) {
    return synadb__hnsw_add(h, label, vec, NULL, 0);
}
SYNADB_VEC_API synadb_result synadb_hnsw_add_key(synadb_hnsw *h, const char *key, size_t key_len, const float *vec) {
    if (!h) return SYNADB_ERR_INVALID_ARG;
    if (!key) return synadb__herr(h, SYNADB_ERR_INVALID_ARG, "key is NULL");
    if (key_len == SYNADB_NTS) key_len = strlen(key);
    if (!key_len) return synadb__herr(h, SYNADB_ERR_EMPTY_KEY, "empty key");
    if (key_len > SYNADB_MAX_KEY_LEN) return synadb__herr(h, SYNADB_ERR_KEY_TOO_LONG, "key longer than 65535 bytes");
    return synadb__hnsw_add(h, synadb_hnsw_key_label(key, key_len), vec, key, key_len);
}
SYNADB_PRIVATE synadb_result synadb__hnsw_add_ex(synadb_hnsw *h, uint64_t label, const float *vec, const char *key, size_t klen,
                                               const uint32_t *seed_ids, size_t nseed, uint32_t *out_id);
SYNADB_PRIVATE synadb_result synadb__hnsw_add(synadb_hnsw *h, uint64_t label, const float *vec, const char *key, size_t klen) {
    return synadb__hnsw_add_ex(h, label, vec, key, klen, NULL, 0, NULL);
}
/* Adds (or replaces) a node; out_id (may be NULL) gets its node id. */
SYNADB_PRIVATE synadb_result synadb__hnsw_add_ex(synadb_hnsw *h, uint64_t label, const float *vec, const char *key, size_t klen,
                                               const uint32_t *seed_ids, size_t nseed, uint32_t *out_id) {
    synadb_result r;
    uint32_t id = 0, old = 0;
    int level, had;
    float *dst;
    if (!h) return SYNADB_ERR_INVALID_ARG;
    if (!vec) return synadb__herr(h, SYNADB_ERR_INVALID_ARG, "vector is NULL");
    r = synadb_vec_check(vec, h->dims, (synadb_metric)h->metric);
    if (r) return synadb__herr(h, r, "vector has a NaN or infinite component%s", h->metric == SYNADB_METRIC_COSINE ? ", or is zero (cosine)" : "");
    synadb__rw_rdlock(&h->grow);
    r = synadb__halloc(h, &id);
    if (r) { synadb__rw_rdunlock(&h->grow); return r; }
    level = synadb__hlevel(h, label);
    dst = SYNADB__HVEC(h, id);
    if (h->metric == SYNADB_METRIC_COSINE) synadb__vnormalize(&h->k, vec, dst, h->dims);
    else memcpy(dst, vec, h->vec_bytes);
    SYNADB__ST_REL(&SYNADB__HL0(h, id)[0], 0u);
    h->labels[id] = label;
    h->levels[id] = (uint8_t)level;
    h->upper[id] = NULL;
    if (level > 0) {
        size_t words = (size_t)level * (h->M + 1);
        uint32_t *up = (uint32_t *)SYNADB__ALLOC(&h->a, words * sizeof *up);
        if (!up) {
            SYNADB__ST_RLX(&h->deleted[id], (uint8_t)1); /* the slot stays unused */
            synadb__rw_rdunlock(&h->grow);
            return synadb__herr(h, SYNADB_ERR_NO_MEMORY, "out of memory");
        }
        memset(up, 0, words * sizeof *up);
        h->upper[id] = up;
    }
    /* the label now names this node; an older node with the label is retired */
    synadb__mutex_lock(&h->gmu);
    if (synadb__hmap_reserve(h, 1)) {
        synadb__mutex_unlock(&h->gmu);
        SYNADB__ST_RLX(&h->deleted[id], (uint8_t)1);
        synadb__rw_rdunlock(&h->grow);
        return synadb__herr(h, SYNADB_ERR_NO_MEMORY, "out of memory");
    }
    {
        uint64_t s = synadb__hmap_slot(h, label);
        had = h->map_vals[s] != UINT32_MAX;
        if (had) old = h->map_vals[s]; else { h->map_keys[s] = label; h->map_count++; }
        h->map_vals[s] = id;
    }
    if (had) { SYNADB__ST_RLX(&h->deleted[old], (uint8_t)1); h->ndeleted++; }
    else h->live++;
    if (key && synadb__hnsw_setkey(h, id, key, klen)) {
        synadb__mutex_unlock(&h->gmu);
        synadb__rw_rdunlock(&h->grow);
        return synadb__herr(h, SYNADB_ERR_NO_MEMORY, "out of memory");
    }
    if (!key && h->nkey) h->nkey[id] = NULL;
    /* the node is complete: publish it (readers load the flag with acquire) */
    SYNADB__ST_REL(&h->deleted[id], (uint8_t)0);
    synadb__mutex_unlock(&h->gmu);
    if (out_id) *out_id = id;
    r = synadb__hconnect(h, id, level, seed_ids, nseed);
    synadb__rw_rdunlock(&h->grow);
    return r;
}

typedef struct synadb__hbatch {
    synadb_hnsw *h;
    const uint64_t *labels;
    const float *vecs;
    size_t n, next;                /* next: shared work counter (atomic) */
    synadb_result err;
} synadb__hbatch;
SYNADB_PRIVATE void *synadb__hbatch_worker(void *arg) {
    synadb__hbatch *b = (synadb__hbatch *)arg;
    for (;;) {
        size_t i = SYNADB__FETCH_ADD(&b->next, (size_t)1);
        synadb_result r;
        if (i >= b->n) break;
        r = synadb_hnsw_add(b->h, b->labels ? b->labels[i] : (uint64_t)i, b->vecs + i * b->h->dims);
        if (r) { SYNADB__ST_RLX(&b->err, r); break; }
    }
    return NULL;
}
SYNADB_VEC_API synadb_result synadb_hnsw_add_batch(synadb_hnsw *h, const uint64_t *labels, const float *vecs, size_t n, int threads) {
    synadb__hbatch b;
    synadb__thread th[64];
    synadb__thread_arg ta[64];
    int t, started = 0;
    size_t i;
    if (!h) return SYNADB_ERR_INVALID_ARG;
    if (!n) return SYNADB_OK;
    if (!vecs) return synadb__herr(h, SYNADB_ERR_INVALID_ARG, "vectors are NULL");
    for (i = 0; i < n; i++)
        if (synadb_vec_check(vecs + i * h->dims, h->dims, (synadb_metric)h->metric))
            return synadb__herr(h, SYNADB_ERR_BAD_VECTOR, "vector %llu has a NaN or infinite component, or is zero under cosine", (unsigned long long)i);
    synadb__rw_wrlock(&h->grow);
    {
        synadb_result r = synadb__hnsw_resize(h, (uint64_t)h->count + n);
        synadb__rw_wrunlock(&h->grow);
        if (r) return r;
    }
    synadb__mutex_lock(&h->gmu);
    t = synadb__hmap_reserve(h, n);
    synadb__mutex_unlock(&h->gmu);
    if (t) return synadb__herr(h, SYNADB_ERR_NO_MEMORY, "out of memory");
    if (threads <= 0) threads = synadb__ncpu();
    if (threads > 64) threads = 64;
    if ((size_t)threads > n) threads = (int)n;
    memset(&b, 0, sizeof b);
    b.h = h; b.labels = labels; b.vecs = vecs; b.n = n;
    /* the first vector alone, so that the workers start from an entry point */
    b.next = 1;
    b.err = synadb_hnsw_add(h, labels ? labels[0] : 0, vecs);
    if (b.err) return b.err;
    for (t = 1; t < threads; t++) {
        ta[t].fn = synadb__hbatch_worker; ta[t].arg = &b;
        if (synadb__thread_start(&th[t], &ta[t]) == 0) started = t;
        else break;
    }
    synadb__hbatch_worker(&b);
    for (t = 1; t <= started; t++) synadb__thread_join(th[t]);
    return b.err;
}

SYNADB_VEC_API void synadb_hnsw_set_ef(synadb_hnsw *h, size_t ef) { if (h && ef) h->efs = (uint32_t)ef; }
SYNADB_VEC_API size_t synadb_hnsw_len(synadb_hnsw *h) {
    size_t n;
    if (!h) return 0;
    synadb__mutex_lock(&h->gmu);
    n = (size_t)h->live;
    synadb__mutex_unlock(&h->gmu);
    return n;
}
SYNADB_VEC_API int synadb_hnsw_contains(synadb_hnsw *h, uint64_t label) {
    uint32_t node;
    int r;
    if (!h) return 0;
    synadb__mutex_lock(&h->gmu);
    r = synadb__hmap_find(h, label, &node);
    synadb__mutex_unlock(&h->gmu);
    return r;
}
SYNADB_VEC_API synadb_result synadb_hnsw_get(synadb_hnsw *h, uint64_t label, float *out) {
    uint32_t node;
    int r;
    if (!h || !out) return SYNADB_ERR_INVALID_ARG;
    synadb__rw_rdlock(&h->grow);
    synadb__mutex_lock(&h->gmu);
    r = synadb__hmap_find(h, label, &node);
    synadb__mutex_unlock(&h->gmu);
    if (r) memcpy(out, SYNADB__HVEC(h, node), h->vec_bytes);
    synadb__rw_rdunlock(&h->grow);
    return r ? SYNADB_OK : synadb__herr(h, SYNADB_ERR_KEY_NOT_FOUND, "label %llu not in the index", (unsigned long long)label);
}
SYNADB_VEC_API synadb_result synadb_hnsw_delete(synadb_hnsw *h, uint64_t label) {
    uint32_t node;
    uint64_t s;
    if (!h) return SYNADB_ERR_INVALID_ARG;
    synadb__mutex_lock(&h->gmu);
    if (!h->map_cap || h->map_vals[s = synadb__hmap_slot(h, label)] == UINT32_MAX) {
        synadb__mutex_unlock(&h->gmu);
        return synadb__herr(h, SYNADB_ERR_KEY_NOT_FOUND, "label %llu not in the index", (unsigned long long)label);
    }
    node = h->map_vals[s];
    synadb__hmap_remove(h, s);
    SYNADB__ST_RLX(&h->deleted[node], (uint8_t)1);
    h->live--;
    h->ndeleted++;
    synadb__mutex_unlock(&h->gmu);
    return SYNADB_OK;
}

/* Turns the results of a layer-0 search (c->res, a max-heap of rn) into at most k hits, best
   first, with labels, scores and keys; when deleted nodes crowd the query out and fewer than
   k live results came back, an exact scan of the live nodes answers instead. Caller holds
   grow shared. */
SYNADB_PRIVATE void synadb__hnsw_hits(synadb_hnsw *h, synadb__hctx *c, const float *q, size_t rn, size_t k,
                                      synadb_vec_hit *out, size_t *out_n) {
    size_t i, live;
    synadb__hmax_sort(c->res, rn);
    synadb__mutex_lock(&h->gmu);
    live = (size_t)h->live;
    synadb__mutex_unlock(&h->gmu);
    if (rn < k && rn < live) {
        /* too many deleted nodes around the query: an exact scan of the live ones */
        synadb__topk t;
        uint32_t n = SYNADB__LD_ACQ(&h->count), id;
        t.h = out; t.n = 0; t.k = k;
        for (id = 0; id < n; id++)
            if (!SYNADB__LD_ACQ(&h->deleted[id])) synadb__topk_push(&t, synadb__hd(h, q, SYNADB__HVEC(h, id)), h->labels[id]);
        synadb__topk_finish(&t, h->metric);
        *out_n = t.n;
    } else {
        if (rn > k) rn = k;
        for (i = 0; i < rn; i++) {
            out[i].id = h->labels[c->res[i].id];
            out[i].score = synadb__vscore(h->metric, c->res[i].d);
            out[i].key = NULL;
            out[i].key_len = 0;
        }
        *out_n = rn;
    }
    synadb__mutex_lock(&h->gmu);
    if (h->nkey) { /* keyed index: attach the keys (labels identify the nodes) */
        for (i = 0; i < *out_n; i++) {
            uint32_t node;
            if (synadb__hmap_find(h, out[i].id, &node) && h->nkey[node]) {
                out[i].key = h->nkey[node];
                out[i].key_len = synadb__kstore_len(h->nkey[node]);
            }
        }
    }
    synadb__mutex_unlock(&h->gmu);
}

SYNADB_VEC_API synadb_result synadb_hnsw_search(synadb_hnsw *h, const float *query, size_t k, size_t ef,
                                                synadb_vec_hit *out, size_t *out_n) {
    synadb__hctx *c;
    const float *q = query;
    uint64_t e;
    uint32_t ep;
    float epd;
    size_t rn;
    if (out_n) *out_n = 0;
    if (!h) return SYNADB_ERR_INVALID_ARG;
    if (!query || !out_n || (!out && k)) return synadb__herr(h, SYNADB_ERR_INVALID_ARG, "query, out or out_n is NULL");
    if (synadb_vec_check(query, h->dims, (synadb_metric)h->metric))
        return synadb__herr(h, SYNADB_ERR_BAD_VECTOR, "query has a NaN or infinite component%s", h->metric == SYNADB_METRIC_COSINE ? ", or is zero (cosine)" : "");
    if (!k) return SYNADB_OK;
    if (!ef) ef = h->efs;
    if (ef > (size_t)1 << 20) ef = (size_t)1 << 20;   /* a huge ef would overflow the beam's sizes */
    if (ef < k) ef = k;
    synadb__rw_rdlock(&h->grow);
    e = SYNADB__LD_ACQ(&h->entry);
    if (e == SYNADB__HNSW_EMPTY) { synadb__rw_rdunlock(&h->grow); return SYNADB_OK; }
    c = synadb__hctx_get(h, ef);
    if (!c) { synadb__rw_rdunlock(&h->grow); return synadb__herr(h, SYNADB_ERR_NO_MEMORY, "out of memory"); }
    if (h->metric == SYNADB_METRIC_COSINE) {
        synadb__vnormalize(&h->k, query, c->qbuf, h->dims);
        q = c->qbuf;
    }
    ep = (uint32_t)e;
    epd = synadb__hd(h, q, SYNADB__HVEC(h, ep));
    ep = synadb__hgreedy(h, q, ep, &epd, (int)(e >> 32), 0);
    c->sel[0].d = epd; c->sel[0].id = ep;
    rn = synadb__hsearch_layer(h, c, q, c->sel, 1, ef, 0, 1);
    synadb__hnsw_hits(h, c, q, rn, k, out, out_n);
    synadb__hctx_put(h, c);
    synadb__rw_rdunlock(&h->grow);
    return SYNADB_OK;
}

SYNADB_VEC_API synadb_result synadb_hnsw_stats_get(synadb_hnsw *h, synadb_hnsw_stats *out) {
    uint64_t i, n, edges = 0, mem;
    if (!h || !out) return SYNADB_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    synadb__rw_wrlock(&h->grow);
    n = h->count;
    mem = sizeof *h + (uint64_t)h->cap * (h->stride + 8 + 3 + sizeof(uint32_t *)) + h->map_cap * 12;
    for (i = 0; i < n; i++) {
        int l, lv = h->levels[i];
        if (h->deleted[i]) continue;
        edges += SYNADB__HL0(h, i)[0];
        for (l = 1; l <= lv; l++) edges += synadb__hlinks(h, (uint32_t)i, l)[0];
        out->level_counts[lv < 15 ? lv : 15]++;
    }
    for (i = 0; i < n; i++) if (h->upper[i]) mem += (uint64_t)h->levels[i] * (h->M + 1) * 4;
    {
        synadb__hctx *c;
        for (c = h->pool; c; c = c->next) mem += c->tags_cap * 2 + (c->cand_cap * 3 + c->sel_cap) * sizeof(synadb__hn);
    }
    out->nodes = n;
    out->live = h->live;
    out->deleted = h->ndeleted;
    out->capacity = h->cap;
    out->total_edges = edges;
    out->memory_bytes = mem;
    out->max_level = h->entry == SYNADB__HNSW_EMPTY ? 0 : (uint32_t)(h->entry >> 32);
    out->dims = h->dims; out->metric = (uint32_t)h->metric; out->M = h->M;
    out->ef_construction = h->efc; out->ef_search = h->efs;
    out->avg_edges_per_node = h->live ? (double)edges / (double)h->live : 0.0;
    out->kernels = h->k.name;
    synadb__rw_wrunlock(&h->grow);
    return SYNADB_OK;
}

/* Rebuilds the graph from the live nodes. */
SYNADB_VEC_API synadb_result synadb_hnsw_compact(synadb_hnsw *h) {
    synadb_hnsw_config cfg;
    synadb_hnsw *n2;
    synadb_result r;
    uint64_t i, cnt;
    if (!h) return SYNADB_ERR_INVALID_ARG;
    synadb__rw_wrlock(&h->grow);
    memset(&cfg, 0, sizeof cfg);
    cfg.dims = h->dims; cfg.metric = h->metric; cfg.M = h->M; cfg.ef_construction = h->efc;
    cfg.ef_search = h->efs; cfg.capacity = h->live ? h->live : 16; cfg.seed = h->seed; cfg.alpha = h->alpha; cfg.allocator = h->a;
    r = synadb_hnsw_create(&cfg, &n2);
    if (r) { synadb__rw_wrunlock(&h->grow); return synadb__herr(h, r, "out of memory compacting"); }
    n2->k = h->k;
    cnt = h->count;
    for (i = 0; i < cnt && !r; i++)
        if (!h->deleted[i]) /* cosine vectors are already unit length */
            r = synadb__hnsw_add(n2, h->labels[i], SYNADB__HVEC(h, i), h->nkey ? h->nkey[i] : NULL,
                                 h->nkey && h->nkey[i] ? synadb__kstore_len(h->nkey[i]) : 0);
    if (r) { synadb__rw_wrunlock(&h->grow); synadb_hnsw_free(n2); return synadb__herr(h, r, "compaction failed"); }
    {   /* swap the contents, keep the handle (and its locks) */
        synadb_hnsw tmp = *h;
        uint64_t j;
        for (j = 0; j < tmp.count; j++) if (tmp.upper[j] && synadb__hnsw_owned_upper(&tmp, tmp.upper[j])) SYNADB__FREE(&tmp.a, tmp.upper[j]);
#define SYNADB__HSW(f) do { if (!tmp.fmap || !((const uint8_t *)tmp.f >= tmp.fmap && (const uint8_t *)tmp.f < tmp.fmap + tmp.fmap_size)) SYNADB__FREE(&tmp.a, tmp.f); h->f = n2->f; n2->f = NULL; } while (0)
        SYNADB__HSW(labels); SYNADB__HSW(levels); SYNADB__HSW(deleted); SYNADB__HSW(locks); SYNADB__HSW(upper); SYNADB__HSW(indeg); SYNADB__HSW(nkey);
#undef SYNADB__HSW
        synadb__kstore_free(&tmp.a, &tmp.keys);
        h->keys = n2->keys; memset(&n2->keys, 0, sizeof n2->keys);
        SYNADB__FREE(&tmp.a, tmp.slab_raw);
        SYNADB__FREE(&tmp.a, tmp.map_keys);
        SYNADB__FREE(&tmp.a, tmp.map_vals);
        if (tmp.fmap && tmp.fmap_heap) SYNADB__FREE(&tmp.a, tmp.fmap);
#ifndef SYNADB_NO_MMAP
        else if (tmp.fmap) synadb__munmap(tmp.fmap, tmp.fmap_size);
#endif
        h->fmap = NULL; h->fmap_size = 0; h->fmap_heap = 0;
        h->slab_raw = n2->slab_raw; h->slab = n2->slab; n2->slab_raw = NULL;
        h->map_keys = n2->map_keys; h->map_vals = n2->map_vals; n2->map_keys = NULL; n2->map_vals = NULL;
        h->map_cap = n2->map_cap; h->map_count = n2->map_count;
        h->cap = n2->cap; h->count = n2->count; h->entry = n2->entry;
        h->live = n2->live; h->ndeleted = 0;
        while (h->pool) { synadb__hctx *c = h->pool; h->pool = c->next; synadb__hctx_free(h, c); }
        n2->count = 0;
        synadb_hnsw_free(n2);
    }
    synadb__rw_wrunlock(&h->grow);
    return SYNADB_OK;
}

/* ======================================================================== >>vec.hnswfile
   .hnsw file, version 1 (little-endian):
     0     4096-byte header: magic "SYNAHNSW", version, dims, metric, M, ef_construction,
           ef_search, node stride, node count, entry point, seed, live and deleted counts,
           a 32-byte user stamp, then seven sections (offset, length, CRC32C each), the
           selection alpha (float32 at 280), and the header's own CRC32C in its last 4 bytes;
     then, each 4096-aligned: the node slab (count x stride: vector, layer-0 link count and
     links), labels (u64), levels (u8), deleted flags (u8), upper-layer index (u64 word
     offset or UINT64_MAX per node), upper-layer words (u32), and for keyed indexes the
     node keys (u16 length + bytes per node; empty otherwise).
   Loading maps the file copy-on-write and uses the slab in place. */
#define SYNADB__HF_HDR 4096
#define SYNADB__HF_NSEC 7
static const uint8_t synadb__hf_magic[8] = {'S', 'Y', 'N', 'A', 'H', 'N', 'S', 'W'};

SYNADB_PRIVATE int synadb__mmap_private(synadb__fd fd, uint64_t size, void **out) {
#if defined(SYNADB_NO_MMAP)
    (void)fd; (void)size; (void)out;
    return ENOSYS;
#elif defined(_WIN32)
    HANDLE m = CreateFileMappingW(fd, NULL, PAGE_WRITECOPY, (DWORD)(size >> 32), (DWORD)size, NULL);
    void *p;
    if (!m) return synadb__win_errno(GetLastError());
    p = MapViewOfFile(m, FILE_MAP_COPY, 0, 0, (SIZE_T)size);
    CloseHandle(m);
    if (!p) return synadb__win_errno(GetLastError());
    *out = p;
    return 0;
#else
    void *p;
    if ((uint64_t)(size_t)size != size) return EFBIG;
    p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) return errno;
    *out = p;
    return 0;
#endif
}

/* Writes the index image (header and sections; offsets in it are relative to its start) at
   offset `at` (a multiple of 4096) of fd; *end gets the offset just past it. Returns 0 or an
   errno; ENOMEM for memory. Caller holds grow exclusively. */
SYNADB_PRIVATE int synadb__hnsw_write(synadb_hnsw *h, synadb__fd fd, uint64_t at, const uint8_t *user_stamp, uint64_t *end) {
    uint8_t *hdr = NULL;
    uint64_t n, i, off, secoff[SYNADB__HF_NSEC], seclen[SYNADB__HF_NSEC], upper_words = 0;
    uint32_t seccrc[SYNADB__HF_NSEC];
    uint64_t *uidx = NULL;
    int e = 0, s;
    n = h->count;
    hdr = (uint8_t *)SYNADB__ALLOC(&h->a, SYNADB__HF_HDR);
    uidx = (uint64_t *)SYNADB__ALLOC(&h->a, (size_t)(n ? n : 1) * 8);
    if (!hdr || !uidx) { e = ENOMEM; goto out; }
    for (i = 0; i < n; i++) {
        if (h->upper[i]) { uidx[i] = upper_words; upper_words += (uint64_t)h->levels[i] * (h->M + 1); }
        else uidx[i] = UINT64_MAX;
    }
    seclen[0] = n * h->stride; seclen[1] = n * 8; seclen[2] = n; seclen[3] = n; seclen[4] = n * 8; seclen[5] = upper_words * 4;
    seclen[6] = 0;
    if (h->nkey) for (i = 0; i < n; i++) seclen[6] += 2 + (h->nkey[i] ? synadb__kstore_len(h->nkey[i]) : 0);
    off = SYNADB__HF_HDR;
    for (s = 0; s < SYNADB__HF_NSEC; s++) { secoff[s] = off; off = (off + seclen[s] + 4095) & ~(uint64_t)4095; }
    seccrc[0] = synadb__crc(synadb__hw_crc_detect(), 0, h->slab, (size_t)seclen[0]);
    seccrc[1] = synadb__crc(synadb__hw_crc_detect(), 0, h->labels, (size_t)seclen[1]);
    seccrc[2] = synadb__crc(synadb__hw_crc_detect(), 0, h->levels, (size_t)seclen[2]);
    seccrc[3] = synadb__crc(synadb__hw_crc_detect(), 0, h->deleted, (size_t)seclen[3]);
    seccrc[4] = synadb__crc(synadb__hw_crc_detect(), 0, uidx, (size_t)seclen[4]);
    seccrc[5] = 0;
    for (i = 0; i < n; i++) if (h->upper[i]) seccrc[5] = synadb__crc(synadb__hw_crc_detect(), seccrc[5], h->upper[i], (size_t)h->levels[i] * (h->M + 1) * 4);
    seccrc[6] = 0;
    if (h->nkey) for (i = 0; i < n; i++) {
        uint8_t l2[2];
        size_t kl = h->nkey[i] ? synadb__kstore_len(h->nkey[i]) : 0;
        synadb__wr16(l2, (uint16_t)kl);
        seccrc[6] = synadb__crc(synadb__hw_crc_detect(), seccrc[6], l2, 2);
        if (kl) seccrc[6] = synadb__crc(synadb__hw_crc_detect(), seccrc[6], h->nkey[i], kl);
    }
    memset(hdr, 0, SYNADB__HF_HDR);
    memcpy(hdr, synadb__hf_magic, 8);
    synadb__wr32(hdr + 8, 1);
    synadb__wr32(hdr + 12, SYNADB__HF_HDR);
    synadb__wr32(hdr + 16, h->dims);
    synadb__wr32(hdr + 20, (uint32_t)h->metric);
    synadb__wr32(hdr + 24, h->M);
    synadb__wr32(hdr + 28, h->efc);
    synadb__wr32(hdr + 32, h->efs);
    synadb__wr32(hdr + 36, (uint32_t)h->stride);
    synadb__wr64(hdr + 40, n);
    synadb__wr64(hdr + 48, h->entry);
    synadb__wr64(hdr + 56, h->seed);
    synadb__wr64(hdr + 64, h->live);
    synadb__wr64(hdr + 72, h->ndeleted);
    if (user_stamp) memcpy(hdr + 80, user_stamp, 32);
    {   /* alpha: float32 bits at 280 (after the section table); 0 in a file = 1.0 */
        uint32_t ab;
        memcpy(&ab, &h->alpha, 4);
        synadb__wr32(hdr + 280, ab);
    }
    for (s = 0; s < SYNADB__HF_NSEC; s++) {
        synadb__wr64(hdr + 112 + 24 * s, secoff[s]);
        synadb__wr64(hdr + 120 + 24 * s, seclen[s]);
        synadb__wr32(hdr + 128 + 24 * s, seccrc[s]);
    }
    synadb__wr32(hdr + SYNADB__HF_HDR - 4, synadb_crc32c(0, hdr, SYNADB__HF_HDR - 4));
    for (s = 0; s < SYNADB__HF_NSEC; s++) secoff[s] += at;
    e = synadb__pwrite(fd, hdr, SYNADB__HF_HDR, at);
    if (!e && seclen[0]) e = synadb__pwrite(fd, h->slab, (size_t)seclen[0], secoff[0]);
    if (!e && seclen[1]) e = synadb__pwrite(fd, h->labels, (size_t)seclen[1], secoff[1]);
    if (!e && seclen[2]) e = synadb__pwrite(fd, h->levels, (size_t)seclen[2], secoff[2]);
    if (!e && seclen[3]) e = synadb__pwrite(fd, h->deleted, (size_t)seclen[3], secoff[3]);
    if (!e && seclen[4]) e = synadb__pwrite(fd, uidx, (size_t)seclen[4], secoff[4]);
    for (i = 0; i < n && !e; i++)
        if (h->upper[i]) e = synadb__pwrite(fd, h->upper[i], (size_t)h->levels[i] * (h->M + 1) * 4, secoff[5] + uidx[i] * 4);
    if (h->nkey) {
        uint64_t pos = secoff[6];
        for (i = 0; i < n && !e; i++) {
            uint8_t l2[2];
            size_t kl = h->nkey[i] ? synadb__kstore_len(h->nkey[i]) : 0;
            synadb__wr16(l2, (uint16_t)kl);
            e = synadb__pwrite(fd, l2, 2, pos);
            if (!e && kl) e = synadb__pwrite(fd, h->nkey[i], kl, pos + 2);
            pos += 2 + kl;
        }
    }
    *end = at + off;
out:
    SYNADB__FREE(&h->a, hdr);
    SYNADB__FREE(&h->a, uidx);
    return e;
}

SYNADB_VEC_API synadb_result synadb_hnsw_save(synadb_hnsw *h, const char *path, const uint8_t *user_stamp) {
    synadb__fd fd = SYNADB__BADFD;
    char *tmp = NULL;
    uint64_t end = 0;
    synadb_result r = SYNADB_OK;
    int e;
    if (!h || !path || !*path) return h ? synadb__herr(h, SYNADB_ERR_INVALID_ARG, "path is NULL or empty") : SYNADB_ERR_INVALID_ARG;
    tmp = synadb__strcat_alloc(&h->a, path, ".tmp");
    if (!tmp) return synadb__herr(h, SYNADB_ERR_NO_MEMORY, "out of memory");
    synadb__rw_wrlock(&h->grow);
    if (synadb__path_exists(tmp)) synadb__unlink(tmp);
    e = synadb__fopen(tmp, 3, &fd);
    if (e) { r = synadb__herr(h, synadb__oserr_code(e), "create %s: errno %d", tmp, e); goto out; }
    e = synadb__hnsw_write(h, fd, 0, user_stamp, &end);
    if (!e) e = synadb__ftruncate(fd, end);
    if (!e) e = synadb__fsync(fd);
    synadb__fclose(fd);
    if (!e) e = synadb__rename(tmp, path);
    if (!e) e = synadb__sync_dir(path);
    if (e) {
        synadb__unlink(tmp);
        r = e == ENOMEM ? synadb__herr(h, SYNADB_ERR_NO_MEMORY, "out of memory")
                        : synadb__herr(h, synadb__oserr_code(e), "saving %s failed (errno %d)", path, e);
    }
out:
    SYNADB__FREE(&h->a, tmp);
    synadb__rw_wrunlock(&h->grow);
    return r;
}

/* Loads the index image at offset `at` (a multiple of 4096) of an open file of fsize bytes.
   The whole file is mapped copy-on-write (or read); the slab is used in place. On failure
   msg (msg_cap bytes) says why. */
SYNADB_PRIVATE synadb_result synadb__hnsw_load_fd(synadb__fd fd, uint64_t fsize, uint64_t at, const char *path,
                                                  const synadb_hnsw_config *expect, synadb_hnsw **out,
                                                  uint8_t *user_stamp, char *msg, size_t msg_cap) {
    synadb_hnsw_config cfg;
    synadb_hnsw *h = NULL;
    uint8_t hdr[SYNADB__HF_HDR];
    uint64_t n, i, secoff[SYNADB__HF_NSEC], seclen[SYNADB__HF_NSEC], upper_words;
    uint32_t seccrc[SYNADB__HF_NSEC];
    uint8_t *base = NULL, *map = NULL;
    const uint64_t *uidx;
    const uint32_t *uw;
    synadb_result r = SYNADB_OK;
    int e, s, hw = synadb__hw_crc_detect();
    uint64_t fullsize = fsize;
    *out = NULL;
    msg[0] = 0;
#define SYNADB__HLFAIL(code, ...) do { r = (code); snprintf(msg, msg_cap, __VA_ARGS__); goto fail; } while (0)
    if (at > fsize || (at & 4095)) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: index image outside the file", path);
    fsize -= at;   /* from here on, sizes and offsets are relative to the image */
    if (fsize < SYNADB__HF_HDR) {
        uint8_t m8[8];
        size_t k = fsize < 8 ? (size_t)fsize : 8;
        if (k && synadb__pread(fd, m8, k, at) == 0 && memcmp(m8, synadb__hf_magic, k) == 0)
            SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s is a truncated index (%llu bytes)", path, (unsigned long long)fsize);
        SYNADB__HLFAIL(SYNADB_ERR_NOT_A_DATABASE, "%s is not a SynaDB HNSW index (%llu bytes)", path, (unsigned long long)fsize);
    }
    e = synadb__pread(fd, hdr, SYNADB__HF_HDR, at);
    if (e) SYNADB__HLFAIL(SYNADB_ERR_IO, "read %s: errno %d", path, e);
    if (memcmp(hdr, synadb__hf_magic, 8)) SYNADB__HLFAIL(SYNADB_ERR_NOT_A_DATABASE, "%s is not a SynaDB HNSW index (bad magic)", path);
    if (synadb__rd32(hdr + SYNADB__HF_HDR - 4) != synadb_crc32c(0, hdr, SYNADB__HF_HDR - 4)) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: index header checksum mismatch", path);
    if (synadb__rd32(hdr + 8) != 1) SYNADB__HLFAIL(SYNADB_ERR_VERSION, "%s: index format version %u not supported", path, synadb__rd32(hdr + 8));
    memset(&cfg, 0, sizeof cfg);
    cfg.dims = synadb__rd32(hdr + 16);
    cfg.metric = (int32_t)synadb__rd32(hdr + 20);
    cfg.M = synadb__rd32(hdr + 24);
    cfg.ef_construction = synadb__rd32(hdr + 28);
    cfg.ef_search = synadb__rd32(hdr + 32);
    cfg.seed = synadb__rd64(hdr + 56);
    {
        uint32_t ab = synadb__rd32(hdr + 280);
        memcpy(&cfg.alpha, &ab, 4);
        if (!ab) cfg.alpha = 1.0f;
    }
    if (synadb__hnsw_check_cfg(&cfg, msg, msg_cap) || !cfg.M || !cfg.ef_construction || !cfg.ef_search)
        SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: invalid index parameters", path);
    if (expect) {
        cfg.allocator = expect->allocator;
        cfg.no_simd = expect->no_simd;
        if ((expect->dims && expect->dims != cfg.dims) || expect->metric != cfg.metric)
            SYNADB__HLFAIL(SYNADB_ERR_INDEX_MISMATCH, "%s holds %u-dimensional vectors with metric %d, not %u with metric %d",
                           path, cfg.dims, (int)cfg.metric, expect->dims, (int)expect->metric);
    }
    h = synadb__hnsw_new(&cfg);
    if (!h) SYNADB__HLFAIL(SYNADB_ERR_NO_MEMORY, "out of memory");
    n = synadb__rd64(hdr + 40);
    if (synadb__rd32(hdr + 36) != h->stride || n > 0xFFFFFFF0u) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: inconsistent index layout", path);
    for (s = 0; s < SYNADB__HF_NSEC; s++) {
        secoff[s] = synadb__rd64(hdr + 112 + 24 * s);
        seclen[s] = synadb__rd64(hdr + 120 + 24 * s);
        seccrc[s] = synadb__rd32(hdr + 128 + 24 * s);
        if (secoff[s] < SYNADB__HF_HDR || secoff[s] > fsize || seclen[s] > fsize - secoff[s] || (secoff[s] & 4095))
            SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: index section %d lies outside the file (truncated?)", path, s);
    }
    if (seclen[0] != n * h->stride || seclen[1] != n * 8 || seclen[2] != n || seclen[3] != n || seclen[4] != n * 8 || (seclen[5] & 3))
        SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: index section sizes do not match %llu nodes", path, (unsigned long long)n);
    upper_words = seclen[5] / 4;
    e = synadb__mmap_private(fd, fullsize, (void **)&map);
    if (!e) { h->fmap = map; h->fmap_size = fullsize; }
    else { /* no mapping: read the file */
        map = (uint8_t *)SYNADB__ALLOC(&h->a, (size_t)fullsize);
        if (!map) SYNADB__HLFAIL(SYNADB_ERR_NO_MEMORY, "out of memory reading %s", path);
        h->fmap = map; h->fmap_size = fullsize; h->fmap_heap = 1;
        e = synadb__pread(fd, map, (size_t)fullsize, 0);
        if (e) SYNADB__HLFAIL(SYNADB_ERR_IO, "read %s: errno %d", path, e);
    }
    base = map + at;
    for (s = 0; s < SYNADB__HF_NSEC; s++)
        if (synadb__crc(hw, 0, base + secoff[s], (size_t)seclen[s]) != seccrc[s] && s != 5)
            SYNADB__HLFAIL(SYNADB_ERR_CHECKSUM, "%s: index section %d does not match its checksum", path, s);
    uidx = (const uint64_t *)(const void *)(base + secoff[4]);
    uw = (const uint32_t *)(const void *)(base + secoff[5]);
    {   /* upper words are checksummed node by node, in node order */
        uint32_t c = 0;
        for (i = 0; i < n; i++) if (uidx[i] != UINT64_MAX) {
            uint64_t words = (uint64_t)base[secoff[2] + i] * (cfg.M + 1);
            if (uidx[i] > upper_words || words > upper_words - uidx[i]) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: upper-layer links out of range", path);
            c = synadb__crc(hw, c, uw + uidx[i], (size_t)words * 4);
        }
        if (c != seccrc[5]) SYNADB__HLFAIL(SYNADB_ERR_CHECKSUM, "%s: index section 5 does not match its checksum", path);
    }
    h->slab = base + secoff[0];
    h->labels = (uint64_t *)(void *)(base + secoff[1]);
    h->levels = base + secoff[2];
    h->deleted = base + secoff[3];
    if (!n) h->labels = NULL, h->levels = h->deleted = NULL;   /* empty sections sit at the end of the mapping: a pointer
                                                                  there is not "inside" it and would be freed */
    h->count = (uint32_t)n;
    h->cap = n;
    h->locks = (uint8_t *)SYNADB__ALLOC(&h->a, (size_t)(n ? n : 1));
    h->upper = (uint32_t **)SYNADB__ALLOC(&h->a, (size_t)(n ? n : 1) * sizeof *h->upper);
    h->indeg = (uint32_t *)SYNADB__ALLOC(&h->a, (size_t)(n ? n : 1) * sizeof *h->indeg);
    if (!h->locks || !h->upper || !h->indeg) SYNADB__HLFAIL(SYNADB_ERR_NO_MEMORY, "out of memory");
    memset(h->locks, 0, (size_t)(n ? n : 1));
    memset(h->upper, 0, (size_t)(n ? n : 1) * sizeof *h->upper);
    memset(h->indeg, 0, (size_t)(n ? n : 1) * sizeof *h->indeg);
    h->entry = synadb__rd64(hdr + 48);
    h->live = synadb__rd64(hdr + 64);
    h->ndeleted = synadb__rd64(hdr + 72);
    if (h->entry != SYNADB__HNSW_EMPTY && ((uint32_t)h->entry >= n || (h->entry >> 32) > SYNADB__HNSW_MAX_LEVEL))
        SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: bad entry point", path);
    if (h->entry == SYNADB__HNSW_EMPTY && n) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: nodes without an entry point", path);
    for (i = 0; i < n; i++) {  /* structural check: a crafted file never leads us out of bounds */
        const uint32_t *l0 = SYNADB__HL0(h, i);
        uint32_t j, l;
        if (h->levels[i] > SYNADB__HNSW_MAX_LEVEL || (h->levels[i] > 0) != (uidx[i] != UINT64_MAX))
            SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: node %llu has a bad level", path, (unsigned long long)i);
        h->upper[i] = uidx[i] == UINT64_MAX ? NULL : (uint32_t *)(uintptr_t)(uw + uidx[i]);
        if (l0[0] > h->M0) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: node %llu has too many links", path, (unsigned long long)i);
        for (j = 0; j < l0[0]; j++) {
            if (l0[1 + j] >= n) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: link out of range", path);
            h->indeg[l0[1 + j]]++;
        }
        for (l = 1; l <= h->levels[i]; l++) {
            const uint32_t *ul = synadb__hlinks(h, (uint32_t)i, (int)l);
            if (ul[0] > h->M) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: node %llu has too many links", path, (unsigned long long)i);
            for (j = 0; j < ul[0]; j++) if (ul[1 + j] >= n || h->levels[ul[1 + j]] < l) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: link out of range", path);
        }
        if (h->deleted[i] > 1) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: bad deletion flag", path);
    }
    if (h->entry != SYNADB__HNSW_EMPTY && h->levels[(uint32_t)h->entry] < (h->entry >> 32))
        SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: bad entry point level", path);
    {   /* the label map, and the live count it implies */
        uint64_t live = 0;
        if (synadb__hmap_reserve(h, n + 16)) SYNADB__HLFAIL(SYNADB_ERR_NO_MEMORY, "out of memory");
        for (i = 0; i < n; i++) if (!h->deleted[i]) {
            uint64_t sl = synadb__hmap_slot(h, h->labels[i]);
            if (h->map_vals[sl] != UINT32_MAX) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: label %llu appears twice", path, (unsigned long long)h->labels[i]);
            h->map_keys[sl] = h->labels[i]; h->map_vals[sl] = (uint32_t)i; h->map_count++;
            live++;
        }
        if (live != h->live) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: live count mismatch", path);
    }
    if (seclen[6]) { /* node keys */
        const uint8_t *p = base + secoff[6], *end = p + seclen[6];
        h->nkey = (const char **)SYNADB__ALLOC(&h->a, (size_t)(n ? n : 1) * sizeof *h->nkey);
        if (!h->nkey) SYNADB__HLFAIL(SYNADB_ERR_NO_MEMORY, "out of memory");
        memset((void *)h->nkey, 0, (size_t)(n ? n : 1) * sizeof *h->nkey);
        for (i = 0; i < n; i++) {
            size_t kl;
            if (end - p < 2) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: key section truncated", path);
            kl = synadb__rd16(p);
            p += 2;
            if ((size_t)(end - p) < kl) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: key section truncated", path);
            if (kl && !(h->nkey[i] = synadb__kstore_add(&h->a, &h->keys, (const char *)p, kl))) SYNADB__HLFAIL(SYNADB_ERR_NO_MEMORY, "out of memory");
            p += kl;
        }
        if (p != end) SYNADB__HLFAIL(SYNADB_ERR_CORRUPT, "%s: key section has trailing bytes", path);
    }
    if (user_stamp) memcpy(user_stamp, hdr + 80, 32);
    *out = h;
    return SYNADB_OK;
fail:
#undef SYNADB__HLFAIL
    if (h) {
        if (!h->upper) h->count = 0;
        synadb_hnsw_free(h);
    }
    return r;
}

SYNADB_VEC_API synadb_result synadb_hnsw_load(const char *path, const synadb_hnsw_config *expect, synadb_hnsw **out,
                                              uint8_t *user_stamp, char *errbuf, size_t errbuf_len) {
    synadb__fd fd = SYNADB__BADFD;
    uint64_t fsize = 0;
    synadb_result r;
    char msg[256];
    int e;
    msg[0] = 0;
    if (errbuf && errbuf_len) errbuf[0] = 0;
    if (!out || !path) return SYNADB_ERR_INVALID_ARG;
    *out = NULL;
    e = synadb__fopen(path, 0, &fd);
    if (e) { r = synadb__oserr_code(e); snprintf(msg, sizeof msg, "open %s: errno %d", path, e); }
    else if ((e = synadb__fsize(fd, &fsize)) != 0) { r = SYNADB_ERR_IO; snprintf(msg, sizeof msg, "stat %s: errno %d", path, e); }
    else r = synadb__hnsw_load_fd(fd, fsize, 0, path, expect, out, user_stamp, msg, sizeof msg);
    if (fd != SYNADB__BADFD) synadb__fclose(fd);
    if (r && errbuf && errbuf_len) snprintf(errbuf, errbuf_len, "%s", msg);
    return r;
}

/* The error text of a handle other threads may read or write: formatted, then copied in
   under mu (cap bytes). */
SYNADB_PRIVATE void synadb__vseterr(synadb__mutex *mu, char *dst, size_t cap, const char *fmt, va_list ap) {
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    synadb__mutex_lock(mu);
    snprintf(dst, cap, "%s", msg);
    synadb__mutex_unlock(mu);
}
/* Defines name(obj, code, fmt, ...): sets obj's error text (obj has emu and errmsg) and
   returns code; a NULL obj only returns code. */
#define SYNADB__DEFINE_ERR(name, type) \
    SYNADB_PRIVATE synadb_result name(type *o_, synadb_result r_, const char *fmt, ...) SYNADB__PRINTF(3, 4); \
    SYNADB_PRIVATE synadb_result name(type *o_, synadb_result r_, const char *fmt, ...) { \
        va_list ap_; \
        if (!o_) return r_; \
        va_start(ap_, fmt); \
        synadb__vseterr(&o_->emu, o_->errmsg, sizeof o_->errmsg, fmt, ap_); \
        va_end(ap_); \
        return r_; \
    }

/* ======================================================================== >>vec.vstore
   Each vector is a VECTOR record of the synadb.h log under key_prefix + key, so the log's
   durability and recovery apply. In memory: key <-> label (64-bit hash of the key), and
   either a matrix for exact search (below the index threshold) or an HNSW graph, saved
   beside the log as <path>.hnsw with a stamp of the log position it covers; on open the
   graph is loaded when the stamp matches the log and rebuilt otherwise. */
typedef struct synadb__vkey { uint64_t label; const char *key; uint32_t klen; uint32_t row; } synadb__vkey;  /* key NULL: empty slot */
struct synadb_vstore {
    synadb_allocator a;
    synadb_db *db;
    synadb_vec_kernels k;
    uint32_t dims, M, efc, efs;
    int metric;
    uint64_t threshold;
    char *prefix;
    size_t plen;
    char *ixpath;
    /* label -> key table (open addressing, keyed by label) */
    synadb__vkey *tab;
    uint64_t tab_cap, tab_count;
    synadb__kstore keys;             /* key bytes (never move: search results point into them) */
    /* exact-search matrix (no index): rows of dims floats (unit length under cosine) */
    float *mat;
    uint64_t *row_label;           /* label of each row, or UINT64_MAX when free */
    uint64_t rows, rows_cap;
    synadb_hnsw *ix;
    int dirty;
    char *kbuf;                    /* prefix + key scratch */
    size_t kbuf_cap;
    synadb__rwlock rw;             /* searches shared, writes exclusive */
    synadb__mutex turn;            /* a waiting writer stops new readers (no writer starvation) */
    synadb__mutex emu;
    char errmsg[512];
};

SYNADB_PRIVATE void synadb__vs_rdlock(synadb_vstore *vs) {
    synadb__mutex_lock(&vs->turn);
    synadb__mutex_unlock(&vs->turn);
    synadb__rw_rdlock(&vs->rw);
}
SYNADB_PRIVATE void synadb__vs_wrlock(synadb_vstore *vs) {
    synadb__mutex_lock(&vs->turn);
    synadb__rw_wrlock(&vs->rw);
    synadb__mutex_unlock(&vs->turn);
}

SYNADB__DEFINE_ERR(synadb__vserr, synadb_vstore)
SYNADB_VEC_API const char *synadb_vstore_errmsg(const synadb_vstore *vs) { return vs ? vs->errmsg : "no store"; }
SYNADB_PRIVATE uint64_t synadb__vlabel(const char *key, size_t klen) { return synadb__hash(key, klen, 0x53594e4156454353ull); }

SYNADB_VEC_API synadb_vstore_config synadb_vstore_config_default(uint32_t dims, synadb_metric m) {
    synadb_vstore_config c;
    memset(&c, 0, sizeof c);
    c.struct_size = (uint32_t)sizeof c;
    c.dims = dims; c.metric = m;
    c.index_threshold = 10000;
    c.M = 16; c.ef_construction = 200; c.ef_search = 100;
    c.db = synadb_config_default();
    return c;
}

/* ---- key table ---- */
SYNADB_PRIVATE uint64_t synadb__vt_slot(const synadb_vstore *vs, uint64_t label) {
    uint64_t mask = vs->tab_cap - 1, i = synadb__mix64(label) & mask;
    while (vs->tab[i].key && vs->tab[i].label != label) i = (i + 1) & mask;
    return i;
}
SYNADB_PRIVATE synadb__vkey *synadb__vt_find(const synadb_vstore *vs, uint64_t label) {
    uint64_t i;
    if (!vs->tab_cap) return NULL;
    i = synadb__vt_slot(vs, label);
    return vs->tab[i].key ? &vs->tab[i] : NULL;
}
SYNADB_PRIVATE int synadb__vt_reserve(synadb_vstore *vs, uint64_t extra) {
    uint64_t ncap = vs->tab_cap ? vs->tab_cap : 64, i;
    synadb__vkey *nt;
    while ((vs->tab_count + extra) * 2 > ncap) ncap *= 2;
    if (ncap == vs->tab_cap) return 0;
    nt = (synadb__vkey *)SYNADB__ALLOC(&vs->a, (size_t)ncap * sizeof *nt);
    if (!nt) return -1;
    for (i = 0; i < ncap; i++) nt[i].key = NULL;
    for (i = 0; i < vs->tab_cap; i++) if (vs->tab[i].key) {
        uint64_t j = synadb__mix64(vs->tab[i].label) & (ncap - 1);
        while (nt[j].key) j = (j + 1) & (ncap - 1);
        nt[j] = vs->tab[i];
    }
    SYNADB__FREE(&vs->a, vs->tab);
    vs->tab = nt;
    vs->tab_cap = ncap;
    return 0;
}
SYNADB_PRIVATE void synadb__vt_remove(synadb_vstore *vs, synadb__vkey *e) {
    uint64_t mask = vs->tab_cap - 1, i = (uint64_t)(e - vs->tab), j = i;
    for (;;) {
        uint64_t home;
        j = (j + 1) & mask;
        if (!vs->tab[j].key) break;
        home = synadb__mix64(vs->tab[j].label) & mask;
        if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) { vs->tab[i] = vs->tab[j]; i = j; }
    }
    vs->tab[i].key = NULL;
    vs->tab_count--;
}
/* Adds a key (not present) to the table; returns its entry. */
SYNADB_PRIVATE synadb__vkey *synadb__vt_add(synadb_vstore *vs, const char *key, size_t klen, uint64_t label) {
    uint64_t i;
    const char *copy;
    if (synadb__vt_reserve(vs, 1)) return NULL;
    copy = synadb__kstore_add(&vs->a, &vs->keys, key, klen);
    if (!copy) return NULL;
    i = synadb__vt_slot(vs, label);
    vs->tab[i].label = label; vs->tab[i].key = copy; vs->tab[i].klen = (uint32_t)klen; vs->tab[i].row = UINT32_MAX;
    vs->tab_count++;
    return &vs->tab[i];
}

/* ---- the exact-search matrix ---- */
SYNADB_PRIVATE int synadb__vm_reserve(synadb_vstore *vs, uint64_t rows) {
    float *nm;
    uint64_t *nl, nc;
    if (rows <= vs->rows_cap) return 0;
    nc = vs->rows_cap ? vs->rows_cap * 2 : 256;
    while (nc < rows) nc *= 2;
    nm = (float *)SYNADB__REALLOC(&vs->a, vs->mat, (size_t)nc * vs->dims * sizeof *nm);
    if (!nm) return -1;
    vs->mat = nm;
    nl = (uint64_t *)SYNADB__REALLOC(&vs->a, vs->row_label, (size_t)nc * sizeof *nl);
    if (!nl) return -1;
    vs->row_label = nl;
    vs->rows_cap = nc;
    return 0;
}
/* Stores vec as the key's row (the row is reused on replacement). */
SYNADB_PRIVATE int synadb__vm_set(synadb_vstore *vs, synadb__vkey *e, const float *vec) {
    float *dst;
    if (e->row == UINT32_MAX) {
        if (vs->rows >= 0xFFFFFFF0u || synadb__vm_reserve(vs, vs->rows + 1)) return -1;
        e->row = (uint32_t)vs->rows++;
    }
    dst = vs->mat + (size_t)e->row * vs->dims;
    if (vs->metric == SYNADB_METRIC_COSINE) synadb__vnormalize(&vs->k, vec, dst, vs->dims);
    else memcpy(dst, vec, (size_t)vs->dims * 4);
    vs->row_label[e->row] = e->label;
    return 0;
}

SYNADB_PRIVATE synadb_result synadb__vs_fullkey(synadb_vstore *vs, const char *key, size_t *klen) {
    synadb_result r;
    if (!key) return synadb__vserr(vs, SYNADB_ERR_INVALID_ARG, "key is NULL");
    if (*klen == SYNADB_NTS) *klen = strlen(key);
    if (!*klen) return synadb__vserr(vs, SYNADB_ERR_EMPTY_KEY, "empty key");
    if (*klen + vs->plen > SYNADB_MAX_KEY_LEN) return synadb__vserr(vs, SYNADB_ERR_KEY_TOO_LONG, "key too long with the prefix");
    if (vs->kbuf_cap < vs->plen + *klen) {
        char *nb = (char *)SYNADB__REALLOC(&vs->a, vs->kbuf, vs->plen + *klen);
        if (!nb) return synadb__vserr(vs, SYNADB_ERR_NO_MEMORY, "out of memory");
        vs->kbuf = nb; vs->kbuf_cap = vs->plen + *klen;
    }
    memcpy(vs->kbuf, vs->prefix, vs->plen);
    memcpy(vs->kbuf + vs->plen, key, *klen);
    r = SYNADB_OK;
    return r;
}

/* Builds the graph from the matrix (all CPUs) and drops the matrix. Caller holds rw. */
SYNADB_PRIVATE synadb_result synadb__vs_build(synadb_vstore *vs) {
    synadb_hnsw_config hc = synadb_hnsw_config_default(vs->dims, (synadb_metric)vs->metric);
    synadb_hnsw *ix = NULL;
    uint64_t *labels, i, n = 0;
    float *vecs;
    synadb_result r;
    hc.M = vs->M; hc.ef_construction = vs->efc; hc.ef_search = vs->efs; hc.allocator = vs->a;
    hc.capacity = vs->tab_count + 16;
    r = synadb_hnsw_create(&hc, &ix);
    if (r) return synadb__vserr(vs, r, "cannot create the index");
    labels = (uint64_t *)SYNADB__ALLOC(&vs->a, (size_t)(vs->rows + 1) * 8);
    vecs = (float *)SYNADB__ALLOC(&vs->a, (size_t)(vs->rows + 1) * vs->dims * 4);
    if (!labels || !vecs) { SYNADB__FREE(&vs->a, labels); SYNADB__FREE(&vs->a, vecs); synadb_hnsw_free(ix); return synadb__vserr(vs, SYNADB_ERR_NO_MEMORY, "out of memory"); }
    for (i = 0; i < vs->rows; i++) if (vs->row_label[i] != UINT64_MAX) {
        labels[n] = vs->row_label[i];
        memcpy(vecs + n * vs->dims, vs->mat + i * vs->dims, (size_t)vs->dims * 4);
        n++;
    }
    r = synadb_hnsw_add_batch(ix, labels, vecs, (size_t)n, 0);
    SYNADB__FREE(&vs->a, labels);
    SYNADB__FREE(&vs->a, vecs);
    if (r) { synadb__vserr(vs, r, "building the index: %s", synadb_hnsw_errmsg(ix)); synadb_hnsw_free(ix); return r; }
    vs->ix = ix;
    vs->dirty = 1;
    for (i = 0; i < vs->tab_cap; i++) if (vs->tab[i].key) vs->tab[i].row = UINT32_MAX;
    SYNADB__FREE(&vs->a, vs->mat); vs->mat = NULL;
    SYNADB__FREE(&vs->a, vs->row_label); vs->row_label = NULL;
    vs->rows = vs->rows_cap = 0;
    return SYNADB_OK;
}
/* The log position an index covers: file id, end, live keys, dims, metric. */
SYNADB_PRIVATE void synadb__vs_stamp(synadb_vstore *vs, uint8_t *st) {
    memset(st, 0, 32);
    synadb__wr64(st, vs->db->file_id);
    synadb__wr64(st + 8, vs->db->end);
    synadb__wr64(st + 16, vs->tab_count);
    synadb__wr32(st + 24, vs->dims);
    synadb__wr32(st + 28, (uint32_t)vs->metric);
}
SYNADB_PRIVATE synadb_result synadb__vs_save(synadb_vstore *vs) {
    uint8_t st[32];
    synadb_result r;
    if (!vs->ix || !vs->dirty) return SYNADB_OK;
    r = synadb_sync(vs->db);   /* the index never claims more than the log holds */
    if (r) return synadb__vserr(vs, r, "%s", synadb_errmsg(vs->db));
    synadb__vs_stamp(vs, st);
    r = synadb_hnsw_save(vs->ix, vs->ixpath, st);
    if (r) return synadb__vserr(vs, r, "saving the index: %s", synadb_hnsw_errmsg(vs->ix));
    vs->dirty = 0;
    return SYNADB_OK;
}

typedef struct synadb__vs_load { synadb_vstore *vs; synadb_result r; } synadb__vs_load;

SYNADB_VEC_API synadb_result synadb_vstore_open(const char *path, const synadb_vstore_config *cfg, synadb_vstore **out) {
    synadb_vstore *vs;
    synadb_allocator a;
    synadb_keylist kl;
    synadb_result r;
    char *glob = NULL;
    size_t i;
    float *v = NULL;
    if (!out) return SYNADB_ERR_INVALID_ARG;
    *out = NULL;
    if (!path || !cfg) return SYNADB_ERR_INVALID_ARG;
    if (cfg->struct_size > sizeof *cfg) return SYNADB_ERR_INVALID_ARG;
    if (cfg->dims < 1 || cfg->dims > SYNADB_VEC_MAX_DIMS || (unsigned)cfg->metric > 2u) return SYNADB_ERR_INVALID_ARG;
    a = synadb__allocator_or_default(&cfg->db.allocator);
    vs = (synadb_vstore *)SYNADB__ALLOC(&a, sizeof *vs);
    if (!vs) return SYNADB_ERR_NO_MEMORY;
    memset(vs, 0, sizeof *vs);
    vs->a = a;
    vs->dims = cfg->dims;
    vs->metric = cfg->metric;
    vs->threshold = cfg->index_threshold ? cfg->index_threshold : 10000;
    vs->M = cfg->M ? cfg->M : 16;
    vs->efc = cfg->ef_construction ? cfg->ef_construction : 200;
    vs->efs = cfg->ef_search ? cfg->ef_search : 100;
    vs->k = synadb_vec_kernels_best();
    synadb__rw_init(&vs->rw);
    synadb__mutex_init(&vs->emu);
    vs->prefix = synadb__strcat_alloc(&a, cfg->key_prefix ? cfg->key_prefix : "vec/", "");
    vs->ixpath = synadb__strcat_alloc(&a, path, ".hnsw");
    if (!vs->prefix || !vs->ixpath) { r = SYNADB_ERR_NO_MEMORY; goto fail; }
    vs->plen = strlen(vs->prefix);
    {
        synadb_config dc = cfg->db;
        if (!dc.struct_size) dc = synadb_config_default(), dc.sync_on_write = cfg->db.sync_on_write;
        dc.allocator = a;
        r = synadb_open_ex(path, &dc, &vs->db, vs->errmsg, sizeof vs->errmsg);
        if (r) goto fail;
    }
    /* the vectors in the log */
    glob = (char *)SYNADB__ALLOC(&a, vs->plen * 2 + 2);
    v = (float *)SYNADB__ALLOC(&a, (size_t)vs->dims * 4);
    if (!glob || !v) { r = SYNADB_ERR_NO_MEMORY; goto fail; }
    {   /* escape glob characters of the prefix */
        size_t j = 0;
        for (i = 0; i < vs->plen; i++) {
            char ch = vs->prefix[i];
            if (ch == '*' || ch == '?' || ch == '[' || ch == ']' || ch == '\\') glob[j++] = '\\';
            glob[j++] = ch;
        }
        glob[j++] = '*';
        glob[j] = 0;
    }
    r = synadb_keys(vs->db, glob, SYNADB_NTS, &kl);
    if (r) { synadb__vserr(vs, r, "%s", synadb_errmsg(vs->db)); goto fail; }
    if (synadb__vt_reserve(vs, kl.count) || synadb__vm_reserve(vs, kl.count)) { synadb_keylist_free(vs->db, &kl); r = SYNADB_ERR_NO_MEMORY; goto fail; }
    for (i = 0; i < kl.count && !r; i++) {
        float *got = NULL;
        uint32_t dims = 0;
        synadb__vkey *e;
        const char *key = kl.keys[i] + vs->plen;
        size_t klen = kl.lens[i] - vs->plen;
        uint64_t label = synadb__vlabel(key, klen);
        if (!klen) continue;
        r = synadb_get_vector(vs->db, kl.keys[i], kl.lens[i], &got, &dims);
        if (r == SYNADB_ERR_TYPE_MISMATCH) { r = SYNADB_OK; continue; } /* not a vector: not ours */
        if (r) { synadb__vserr(vs, r, "%s", synadb_errmsg(vs->db)); break; }
        if (dims != vs->dims) {
            synadb_free(vs->db, got);
            r = synadb__vserr(vs, SYNADB_ERR_DIMENSION, "%s holds %u-dimensional vectors, not %u", path, dims, vs->dims);
            break;
        }
        if (synadb__vt_find(vs, label)) { synadb_free(vs->db, got); r = synadb__vserr(vs, SYNADB_ERR_EXISTS, "two keys share a 64-bit hash"); break; }
        e = synadb__vt_add(vs, key, klen, label);
        if (!e || synadb__vm_set(vs, e, got)) r = SYNADB_ERR_NO_MEMORY;
        synadb_free(vs->db, got);
    }
    synadb_keylist_free(vs->db, &kl);
    if (r) goto fail;
    /* the saved index, when it covers exactly this log */
    if (synadb__path_exists(vs->ixpath)) {
        synadb_hnsw_config hc = synadb_hnsw_config_default(vs->dims, (synadb_metric)vs->metric);
        uint8_t st[32], want[32];
        char err[256];
        synadb_hnsw *ix = NULL;
        hc.allocator = a;
        synadb__vs_stamp(vs, want);
        if (synadb_hnsw_load(vs->ixpath, &hc, &ix, st, err, sizeof err) == SYNADB_OK) {
            if (memcmp(st, want, 32) == 0 && synadb_hnsw_len(ix) == vs->tab_count) {
                vs->ix = ix;
                for (i = 0; i < vs->tab_cap; i++) if (vs->tab[i].key) vs->tab[i].row = UINT32_MAX;
                SYNADB__FREE(&a, vs->mat); vs->mat = NULL;
                SYNADB__FREE(&a, vs->row_label); vs->row_label = NULL;
                vs->rows = vs->rows_cap = 0;
            } else {
                synadb_hnsw_free(ix);
                synadb__log(vs->db, SYNADB_LOG_INFO, SYNADB_LOG_NONE, "%s does not match the log; rebuilding it", vs->ixpath);
            }
        } else {
            synadb__log(vs->db, SYNADB_LOG_WARN, SYNADB_LOG_NONE, "%s is unusable (%s); rebuilding it", vs->ixpath, err);
        }
    }
    if (!vs->ix && vs->tab_count >= vs->threshold && vs->threshold != UINT64_MAX) {
        r = synadb__vs_build(vs);
        if (r) goto fail;
    }
    SYNADB__FREE(&a, glob);
    SYNADB__FREE(&a, v);
    *out = vs;
    return SYNADB_OK;
fail:
    SYNADB__FREE(&a, glob);
    SYNADB__FREE(&a, v);
    {
        char msg[512];
        memcpy(msg, vs->errmsg, sizeof msg);
        vs->dirty = 0;
        synadb_vstore_close(vs);
        (void)msg;
    }
    return r;
}

SYNADB_VEC_API synadb_result synadb_vstore_close(synadb_vstore *vs) {
    synadb_result r = SYNADB_OK, r2;
    synadb_allocator a;
    if (!vs) return SYNADB_ERR_INVALID_ARG;
    a = vs->a;
    if (vs->db) {
        r = synadb__vs_save(vs);
        r2 = synadb_close(vs->db);
        if (!r) r = r2;
    }
    synadb_hnsw_free(vs->ix);
    SYNADB__FREE(&a, vs->tab);
    synadb__kstore_free(&a, &vs->keys);
    SYNADB__FREE(&a, vs->mat);
    SYNADB__FREE(&a, vs->row_label);
    SYNADB__FREE(&a, vs->prefix);
    SYNADB__FREE(&a, vs->ixpath);
    SYNADB__FREE(&a, vs->kbuf);
    synadb__rw_destroy(&vs->rw);
    synadb__mutex_destroy(&vs->emu);
    SYNADB__FREE(&a, vs);
    return r;
}

/* Applies one vector to memory (after the log has it). Caller holds rw exclusively. */
SYNADB_PRIVATE synadb_result synadb__vs_apply(synadb_vstore *vs, const char *key, size_t klen, const float *vec, int *is_new) {
    uint64_t label = synadb__vlabel(key, klen);
    synadb__vkey *e = synadb__vt_find(vs, label);
    synadb_result r;
    *is_new = e == NULL;
    if (e && (e->klen != klen || memcmp(e->key, key, klen)))
        return synadb__vserr(vs, SYNADB_ERR_EXISTS, "two keys share a 64-bit hash");
    if (!e) e = synadb__vt_add(vs, key, klen, label);
    if (!e) return synadb__vserr(vs, SYNADB_ERR_NO_MEMORY, "out of memory");
    if (vs->ix) {
        r = synadb_hnsw_add(vs->ix, label, vec);
        if (r) return synadb__vserr(vs, r, "%s", synadb_hnsw_errmsg(vs->ix));
    } else if (synadb__vm_set(vs, e, vec)) {
        return synadb__vserr(vs, SYNADB_ERR_NO_MEMORY, "out of memory");
    }
    vs->dirty = 1;
    return SYNADB_OK;
}
SYNADB_VEC_API synadb_result synadb_vstore_insert(synadb_vstore *vs, const char *key, size_t key_len, const float *vec) {
    synadb_result r;
    int is_new = 0;
    if (!vs) return SYNADB_ERR_INVALID_ARG;
    if (!vec) return synadb__vserr(vs, SYNADB_ERR_INVALID_ARG, "vector is NULL");
    r = synadb_vec_check(vec, vs->dims, (synadb_metric)vs->metric);
    if (r) return synadb__vserr(vs, r, "vector has a NaN or infinite component%s", vs->metric == SYNADB_METRIC_COSINE ? ", or is zero (cosine)" : "");
    synadb__vs_wrlock(vs);
    r = synadb__vs_fullkey(vs, key, &key_len);
    if (!r) {
        r = synadb_put_vector(vs->db, vs->kbuf, vs->plen + key_len, vec, vs->dims);
        if (r) synadb__vserr(vs, r, "%s", synadb_errmsg(vs->db));
    }
    if (!r) r = synadb__vs_apply(vs, key, key_len, vec, &is_new);
    if (!r && !vs->ix && vs->threshold != UINT64_MAX && vs->tab_count >= vs->threshold) r = synadb__vs_build(vs);
    synadb__rw_wrunlock(&vs->rw);
    return r;
}
SYNADB_VEC_API synadb_result synadb_vstore_insert_batch(synadb_vstore *vs, const char *const *keys, const size_t *key_lens,
                                                        const float *vecs, size_t n, size_t *out_new) {
    synadb_batch_op *ops = NULL;
    char *kb = NULL;
    size_t i, total = 0, fresh = 0, failed = 0;
    synadb_result r = SYNADB_OK;
    if (out_new) *out_new = 0;
    if (!vs) return SYNADB_ERR_INVALID_ARG;
    if (!n) return SYNADB_OK;
    if (!keys || !vecs) return synadb__vserr(vs, SYNADB_ERR_INVALID_ARG, "keys or vectors are NULL");
    for (i = 0; i < n; i++) {
        size_t kl = key_lens ? key_lens[i] : SYNADB_NTS;
        if (!keys[i]) return synadb__vserr(vs, SYNADB_ERR_INVALID_ARG, "key %llu is NULL", (unsigned long long)i);
        if (kl == SYNADB_NTS) kl = strlen(keys[i]);
        if (!kl) return synadb__vserr(vs, SYNADB_ERR_EMPTY_KEY, "key %llu is empty", (unsigned long long)i);
        if (kl + vs->plen > SYNADB_MAX_KEY_LEN) return synadb__vserr(vs, SYNADB_ERR_KEY_TOO_LONG, "key %llu too long", (unsigned long long)i);
        if (synadb_vec_check(vecs + i * vs->dims, vs->dims, (synadb_metric)vs->metric))
            return synadb__vserr(vs, SYNADB_ERR_BAD_VECTOR, "vector %llu has a NaN or infinite component, or is zero under cosine", (unsigned long long)i);
        total += vs->plen + kl;
    }
    ops = (synadb_batch_op *)SYNADB__ALLOC(&vs->a, n * sizeof *ops);
    kb = (char *)SYNADB__ALLOC(&vs->a, total ? total : 1);
    if (!ops || !kb) { SYNADB__FREE(&vs->a, ops); SYNADB__FREE(&vs->a, kb); return synadb__vserr(vs, SYNADB_ERR_NO_MEMORY, "out of memory"); }
    memset(ops, 0, n * sizeof *ops);
    total = 0;
    for (i = 0; i < n; i++) {
        size_t kl = key_lens && key_lens[i] != SYNADB_NTS ? key_lens[i] : strlen(keys[i]);
        memcpy(kb + total, vs->prefix, vs->plen);
        memcpy(kb + total + vs->plen, keys[i], kl);
        ops[i].key = kb + total; ops[i].key_len = vs->plen + kl; ops[i].op = SYNADB_OP_PUT;
        ops[i].value.type = SYNADB_TYPE_VECTOR; ops[i].value.data = vecs + i * vs->dims;
        ops[i].value.dims = vs->dims; ops[i].value.len = (size_t)vs->dims * 4;
        total += vs->plen + kl;
    }
    synadb__vs_wrlock(vs);
    r = synadb_write_batch(vs->db, ops, n, &failed);
    if (r) synadb__vserr(vs, r, "%s", synadb_errmsg(vs->db));
    for (i = 0; i < n && !r; i++) {
        int is_new = 0;
        r = synadb__vs_apply(vs, ops[i].key + vs->plen, ops[i].key_len - vs->plen, vecs + i * vs->dims, &is_new);
        fresh += (size_t)is_new;
    }
    if (!r && !vs->ix && vs->threshold != UINT64_MAX && vs->tab_count >= vs->threshold) r = synadb__vs_build(vs);
    synadb__rw_wrunlock(&vs->rw);
    SYNADB__FREE(&vs->a, ops);
    SYNADB__FREE(&vs->a, kb);
    if (out_new) *out_new = fresh;
    return r;
}
SYNADB_VEC_API synadb_result synadb_vstore_get(synadb_vstore *vs, const char *key, size_t key_len, float *out) {
    synadb_result r;
    size_t n = 0;
    if (!vs || !out) return vs ? synadb__vserr(vs, SYNADB_ERR_INVALID_ARG, "out is NULL") : SYNADB_ERR_INVALID_ARG;
    synadb__vs_wrlock(vs);
    r = synadb__vs_fullkey(vs, key, &key_len);
    if (!r) {
        r = synadb_get_bytes_into(vs->db, vs->kbuf, vs->plen + key_len, out, (size_t)vs->dims * 4, &n);
        if (r == SYNADB_ERR_BUFFER_TOO_SMALL || (!r && n != (size_t)vs->dims * 4)) r = synadb__vserr(vs, SYNADB_ERR_DIMENSION, "stored vector has another dimension");
        else if (r) synadb__vserr(vs, r, "%s", synadb_errmsg(vs->db));
    }
    synadb__rw_wrunlock(&vs->rw);
    return r;
}
SYNADB_VEC_API synadb_result synadb_vstore_delete(synadb_vstore *vs, const char *key, size_t key_len) {
    synadb_result r;
    synadb__vkey *e;
    if (!vs) return SYNADB_ERR_INVALID_ARG;
    synadb__vs_wrlock(vs);
    r = synadb__vs_fullkey(vs, key, &key_len);
    if (!r) {
        e = synadb__vt_find(vs, synadb__vlabel(key, key_len));
        if (!e) r = synadb__vserr(vs, SYNADB_ERR_KEY_NOT_FOUND, "key not found");
        else {
            r = synadb_delete(vs->db, vs->kbuf, vs->plen + key_len);
            if (r) synadb__vserr(vs, r, "%s", synadb_errmsg(vs->db));
            else {
                if (vs->ix) synadb_hnsw_delete(vs->ix, e->label);
                else if (e->row != UINT32_MAX) vs->row_label[e->row] = UINT64_MAX;
                synadb__vt_remove(vs, e);
                vs->dirty = 1;
            }
        }
    }
    synadb__rw_wrunlock(&vs->rw);
    return r;
}
SYNADB_VEC_API synadb_result synadb_vstore_search_ef(synadb_vstore *vs, const float *query, size_t k, size_t ef, synadb_vec_hit *out, size_t *out_n) {
    synadb_result r = SYNADB_OK;
    size_t i, n = 0;
    if (out_n) *out_n = 0;
    if (!vs) return SYNADB_ERR_INVALID_ARG;
    if (!query || !out_n || (!out && k)) return synadb__vserr(vs, SYNADB_ERR_INVALID_ARG, "query, out or out_n is NULL");
    r = synadb_vec_check(query, vs->dims, (synadb_metric)vs->metric);
    if (r) return synadb__vserr(vs, r, "query has a NaN or infinite component%s", vs->metric == SYNADB_METRIC_COSINE ? ", or is zero (cosine)" : "");
    synadb__vs_rdlock(vs);
    if (vs->ix) {
        r = synadb_hnsw_search(vs->ix, query, k, ef, out, &n);
        if (r) synadb__vserr(vs, r, "%s", synadb_hnsw_errmsg(vs->ix));
    } else if (k) {
        synadb__topk t;
        float qn[SYNADB_VEC_MAX_DIMS];
        const float *q = query;
        uint64_t row;
        if (vs->metric == SYNADB_METRIC_COSINE) { synadb__vnormalize(&vs->k, query, qn, vs->dims); q = qn; }
        t.h = out; t.n = 0; t.k = k;
        for (row = 0; row < vs->rows; row++)
            if (vs->row_label[row] != UINT64_MAX)
                synadb__topk_push(&t, synadb__vdist(&vs->k, vs->metric, q, vs->mat + row * vs->dims, vs->dims), vs->row_label[row]);
        synadb__topk_finish(&t, vs->metric);
        n = t.n;
    }
    for (i = 0; i < n; i++) {
        synadb__vkey *e = synadb__vt_find(vs, out[i].id);
        out[i].key = e ? e->key : NULL;
        out[i].key_len = e ? e->klen : 0;
    }
    synadb__rw_rdunlock(&vs->rw);
    *out_n = n;
    return r;
}
SYNADB_VEC_API synadb_result synadb_vstore_search(synadb_vstore *vs, const float *query, size_t k, synadb_vec_hit *out, size_t *out_n) {
    return synadb_vstore_search_ef(vs, query, k, 0, out, out_n);
}
SYNADB_VEC_API synadb_result synadb_vstore_build_index(synadb_vstore *vs) {
    synadb_result r = SYNADB_OK;
    if (!vs) return SYNADB_ERR_INVALID_ARG;
    synadb__vs_wrlock(vs);
    if (!vs->ix) r = synadb__vs_build(vs);
    if (!r) r = synadb__vs_save(vs);
    synadb__rw_wrunlock(&vs->rw);
    return r;
}
SYNADB_VEC_API int synadb_vstore_has_index(synadb_vstore *vs) { return vs && vs->ix != NULL; }
SYNADB_VEC_API synadb_result synadb_vstore_flush(synadb_vstore *vs) {
    synadb_result r;
    if (!vs) return SYNADB_ERR_INVALID_ARG;
    synadb__vs_wrlock(vs);
    r = synadb__vs_save(vs);
    if (!r) { r = synadb_sync(vs->db); if (r) synadb__vserr(vs, r, "%s", synadb_errmsg(vs->db)); }
    synadb__rw_wrunlock(&vs->rw);
    return r;
}
SYNADB_VEC_API size_t synadb_vstore_len(synadb_vstore *vs) {
    size_t n;
    if (!vs) return 0;
    synadb__vs_rdlock(vs);
    n = (size_t)vs->tab_count;
    synadb__rw_rdunlock(&vs->rw);
    return n;
}
SYNADB_VEC_API uint32_t synadb_vstore_dims(synadb_vstore *vs) { return vs ? vs->dims : 0; }
SYNADB_VEC_API synadb_db *synadb_vstore_db(synadb_vstore *vs) { return vs ? vs->db : NULL; }

/* ======================================================================== >>vec.mmvs */
/* ======================================================================== >>vec.mmvs
   MmapVectorStore: an append-only file of (key, vector) entries, mapped and written in
   place, with two checksummed meta slots that say how far the last checkpoint reached.

   File format version 1 (little-endian):
     0       header region, 4096 bytes: meta slot A at 0, meta slot B at 2048 (in different
             512-byte sectors, so that a torn sector can damage at most one), zeros elsewhere.
             A meta slot, 128 bytes:
               0   magic "SYNAMMVS"
               8   u32 format version (1)
               12  u32 header region bytes (4096)
               16  u32 dims            20  u32 metric
               24  u32 entry alignment (16)            28  u32 entry header bytes (16)
               32  u64 checkpoint sequence (the higher valid one wins)
               40  u64 entries covered                 48  u64 live keys covered
               56  u64 write offset covered (end of the last covered entry)
               64  u64 file id (random at creation; seeds the entry CRCs)
               72  u64 file size when written (information)
               80  reserved, zero
               124 u32 masked CRC32C of bytes 0..123
     4096    entries, back to back, each starting 16-byte aligned:
               0   u32 masked CRC32C, seeded with the file id, of bytes 4 .. end of entry
               4   u32 sequence: entry number + 1 (low 32 bits)
               8   u16 key length (1..65535)
               10  u16 flags (1: replaces an earlier entry of the same key)
               12  u32 dims
               16  key bytes, zeros to the next multiple of 16
                   dims x f32 (16-byte aligned: zero-copy views), zeros to a multiple of 16
             then zeros (pre-allocated room) to the end of the file.

   Durability. A checkpoint flushes the entries written since the previous one, then writes
   a meta slot (sequence + 1) over the OLDER of the two slots and flushes it. Open takes the
   valid slot with the highest sequence (a torn slot write leaves the other one), requires
   every entry up to its write offset to be intact (else SYNADB_ERR_CORRUPT: that is
   damage), and then also accepts the entries after it while they are intact and numbered
   in sequence: writes that reached the file after the last checkpoint (always the case
   after a process crash: the page cache survives) come back, a torn tail is dropped. A
   writer cuts the file at the end of what it recovered (truncate, re-extend, fsync) before
   appending, so that stale bytes can never be mistaken for entries later.

   An entry's CRC is stored last, after the whole batch was copied and validated: a batch
   that fails validation leaves no entry with a valid CRC behind, so nothing of it is ever
   recovered. Replacing a key appends a new entry; the in-memory map keeps the newest.

   In memory: key -> entry id (open addressing, 32-bit hash tags; keys are compared in the
   mapping), entry offsets and live flags, squared norms for cosine (computed by the first
   search that needs them), and, after synadb_mmvs_build_index, an HNSW graph labelled by
   entry id and kept up to date by later inserts (it is not saved: build it again after
   reopening). Without mmap (SYNADB_NO_MMAP, emscripten, or a failed mmap) the entries live
   in a heap copy and each insert is written through with pwrite. */
#define SYNADB__MM_HDR 4096u
#define SYNADB__MM_SLOT 128u
#define SYNADB__MM_SLOT_B 2048u
#define SYNADB__MM_VERSION 1u
#define SYNADB__MM_EHDR 16u
#define SYNADB__MM_GROW_MIN ((uint64_t)64 << 20)
#define SYNADB__MM_PREFAULT_MAX ((uint64_t)1 << 30)
#define SYNADB__MM_MAX_ENTRIES 0xFFFFFFF0u
#define SYNADB__MM_FREPLACES 1u
#define SYNADB__MM_PAD16(x) (((uint64_t)(x) + 15u) & ~(uint64_t)15u)
#define SYNADB__MM_NOBAD ((size_t)-1)
static const uint8_t synadb__mm_magic[8] = {'S', 'Y', 'N', 'A', 'M', 'M', 'V', 'S'};

/* A failed open reports through the caller's buffer (synadb_mmvs_open_ex): no global state. */
SYNADB__PRINTF(4, 5) SYNADB_PRIVATE synadb_result synadb__mm_eopen(char *buf, size_t cap, synadb_result r, const char *fmt, ...) {
    va_list ap;
    if (buf && cap) { va_start(ap, fmt); vsnprintf(buf, cap, fmt, ap); va_end(ap); }
    return r;
}

typedef struct synadb__mmslot { uint32_t tag; uint32_t id1; } synadb__mmslot; /* id1 = entry id + 1; 0 = empty */

struct synadb_mmvs {
    synadb_allocator a;
    synadb_vec_kernels k;
    synadb__fd fd;
    uint32_t dims, M, efc, efs;
    int metric, refuse, read_only, mapped, hw, poisoned, size_dirty;
    size_t vec_bytes;              /* dims * 4 */
    uint64_t vec_span;             /* dims * 4 rounded up to 16 */
    uint64_t est_entry;            /* entry size assumed for capacity planning (16-byte keys) */
    uint8_t *base;                 /* the mapping, or the heap copy (16-byte aligned) */
    uint8_t *heap_raw;             /* the heap copy's allocation */
    uint64_t msize;                /* bytes mapped, or allocated for the heap copy */
    uint64_t fsize;                /* file size (capacity) */
    uint64_t loaded;               /* heap copy: bytes read from the file */
    uint64_t pf_end;               /* mapping: pre-faulted up to here */
    uint64_t file_id;
    uint32_t crc_seed;
    uint64_t end, count, live;     /* write offset, entries, live keys */
    uint64_t ck_seq, ck_end, ck_count, ck_live;
    int ck_slot;                   /* 0 = A, 1 = B: where the newest meta slot is */
    uint64_t *offs;                /* entry id -> offset */
    uint8_t *alive;                /* entry id -> 1 if it is the key's newest entry */
    const char **ekey;             /* entry id -> its key, copied into `keys` (never moves: search
                                      results point there, and key compares stay off the mapping) */
    synadb__kstore keys;
    uint64_t ids_cap;
    synadb__mmslot *map;
    uint64_t map_cap;
    uint64_t hseed;
    float *norms;                  /* squared norms (cosine), valid below norm_n */
    uint64_t norm_n, norm_cap;
    synadb__mutex nmu;
    synadb_hnsw *ix;
    synadb__rwlock rw;             /* searches and gets shared; writes exclusive */
    synadb__mutex turn;            /* a waiting writer holds it: new readers queue behind it */
    synadb__mutex emu;
    char errmsg[512];
};

SYNADB__DEFINE_ERR(synadb__mmerr, synadb_mmvs)
SYNADB_VEC_API const char *synadb_mmvs_errmsg(const synadb_mmvs *s) {
    return s ? s->errmsg : "no store";
}

/* The handle's lock. A writer first takes `turn`, which new readers must pass, so that a
   stream of searches cannot starve it (glibc's rwlock prefers readers). */
SYNADB_PRIVATE void synadb__mm_rdlock(synadb_mmvs *s) {
    synadb__mutex_lock(&s->turn);
    synadb__mutex_unlock(&s->turn);
    synadb__rw_rdlock(&s->rw);
}
SYNADB_PRIVATE void synadb__mm_rdunlock(synadb_mmvs *s) { synadb__rw_rdunlock(&s->rw); }
SYNADB_PRIVATE void synadb__mm_wrlock(synadb_mmvs *s) {
    synadb__mutex_lock(&s->turn);
    synadb__rw_wrlock(&s->rw);
    synadb__mutex_unlock(&s->turn);
}
SYNADB_PRIVATE void synadb__mm_wrunlock(synadb_mmvs *s) { synadb__rw_wrunlock(&s->rw); }

/* ---- checksums ---- */
/* Continues four CRC32C states over four buffers of n bytes each, interleaved so that the
   latency of one crc32 instruction is hidden behind the three others. */
#if defined(SYNADB__X86) && (defined(__x86_64__) || defined(_M_X64))
SYNADB__TARGET_SSE42 SYNADB_PRIVATE void synadb__mm_crc4_hw(uint32_t crc[4], const uint8_t *const p[4], size_t n) {
    uint64_t c0 = (uint32_t)~crc[0], c1 = (uint32_t)~crc[1], c2 = (uint32_t)~crc[2], c3 = (uint32_t)~crc[3];
    const uint8_t *a = p[0], *b = p[1], *c = p[2], *d = p[3];
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint64_t x0, x1, x2, x3, y0, y1, y2, y3;
        memcpy(&x0, a + i, 8); memcpy(&x1, b + i, 8); memcpy(&x2, c + i, 8); memcpy(&x3, d + i, 8);
        memcpy(&y0, a + i + 8, 8); memcpy(&y1, b + i + 8, 8); memcpy(&y2, c + i + 8, 8); memcpy(&y3, d + i + 8, 8);
        c0 = _mm_crc32_u64(c0, x0); c1 = _mm_crc32_u64(c1, x1); c2 = _mm_crc32_u64(c2, x2); c3 = _mm_crc32_u64(c3, x3);
        c0 = _mm_crc32_u64(c0, y0); c1 = _mm_crc32_u64(c1, y1); c2 = _mm_crc32_u64(c2, y2); c3 = _mm_crc32_u64(c3, y3);
    }
    if (i + 8 <= n) {
        uint64_t x0, x1, x2, x3;
        memcpy(&x0, a + i, 8); memcpy(&x1, b + i, 8); memcpy(&x2, c + i, 8); memcpy(&x3, d + i, 8);
        c0 = _mm_crc32_u64(c0, x0); c1 = _mm_crc32_u64(c1, x1); c2 = _mm_crc32_u64(c2, x2); c3 = _mm_crc32_u64(c3, x3);
        i += 8;
    }
    for (; i < n; i++) {
        c0 = _mm_crc32_u8((uint32_t)c0, a[i]); c1 = _mm_crc32_u8((uint32_t)c1, b[i]);
        c2 = _mm_crc32_u8((uint32_t)c2, c[i]); c3 = _mm_crc32_u8((uint32_t)c3, d[i]);
    }
    crc[0] = ~(uint32_t)c0; crc[1] = ~(uint32_t)c1; crc[2] = ~(uint32_t)c2; crc[3] = ~(uint32_t)c3;
}
#  define SYNADB__MM_CRC4_HW 1
#elif defined(SYNADB__ARM_CRC)
SYNADB_PRIVATE void synadb__mm_crc4_hw(uint32_t crc[4], const uint8_t *const p[4], size_t n) {
    uint32_t c0 = ~crc[0], c1 = ~crc[1], c2 = ~crc[2], c3 = ~crc[3];
    const uint8_t *a = p[0], *b = p[1], *c = p[2], *d = p[3];
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x0, x1, x2, x3;
        memcpy(&x0, a + i, 8); memcpy(&x1, b + i, 8); memcpy(&x2, c + i, 8); memcpy(&x3, d + i, 8);
        c0 = __crc32cd(c0, x0); c1 = __crc32cd(c1, x1); c2 = __crc32cd(c2, x2); c3 = __crc32cd(c3, x3);
    }
    for (; i < n; i++) { c0 = __crc32cb(c0, a[i]); c1 = __crc32cb(c1, b[i]); c2 = __crc32cb(c2, c[i]); c3 = __crc32cb(c3, d[i]); }
    crc[0] = ~c0; crc[1] = ~c1; crc[2] = ~c2; crc[3] = ~c3;
}
#  define SYNADB__MM_CRC4_HW 1
#endif
SYNADB_PRIVATE void synadb__mm_crc4(int hw, uint32_t crc[4], const uint8_t *const p[4], size_t n) {
    int j;
#if defined(SYNADB__MM_CRC4_HW)
    if (hw) { synadb__mm_crc4_hw(crc, p, n); return; }
#endif
    for (j = 0; j < 4; j++) crc[j] = synadb__crc(hw, crc[j], p[j], n);
}
/* Masked CRCs of g (1..4) entries at e[j] with key lengths kl[j]: bytes 4 .. end of entry. */
SYNADB_PRIVATE void synadb__mm_crcs(const synadb_mmvs *s, uint8_t *const e[4], const uint32_t kl[4], int g, uint32_t out[4]) {
    uint32_t c[4];
    const uint8_t *p[4];
    int j;
    if (g == 4) {
        uint64_t kp = SYNADB__MM_PAD16(kl[0]);
        int same = 1;
        for (j = 1; j < 4; j++) if (SYNADB__MM_PAD16(kl[j]) != kp) same = 0;
        if (same) { /* header, key and vector are one run of equal length */
            for (j = 0; j < 4; j++) { c[j] = s->crc_seed; p[j] = e[j] + 4; }
            synadb__mm_crc4(s->hw, c, p, (size_t)(12 + kp + s->vec_span));
        } else {
            for (j = 0; j < 4; j++) {
                uint64_t kpj = SYNADB__MM_PAD16(kl[j]);
                c[j] = synadb__crc(s->hw, s->crc_seed, e[j] + 4, (size_t)(12 + kpj));
                p[j] = e[j] + 16 + kpj;
            }
            synadb__mm_crc4(s->hw, c, p, (size_t)s->vec_span);
        }
    } else {
        for (j = 0; j < g; j++) c[j] = synadb__crc(s->hw, s->crc_seed, e[j] + 4, (size_t)(12 + SYNADB__MM_PAD16(kl[j]) + s->vec_span));
    }
    for (j = 0; j < g; j++) out[j] = synadb__crc_mask(c[j]);
}

/* 1 if a stored vector (n little-endian floats) has a NaN or infinite component, or, under
   cosine, is zero (the same rule as synadb_vec_check, on bits). */
SYNADB_PRIVATE int synadb__mm_vbad(const uint8_t *v, size_t n, int cosine) {
    size_t i = 0;
    uint32_t bad = 0, nz = 0;
#if defined(SYNADB__VEC_X86)
    {
        const __m128i ex = _mm_set1_epi32(0x7f800000), ab = _mm_set1_epi32(0x7fffffff), zero = _mm_setzero_si128();
        __m128i b0 = zero, b1 = zero, z0 = zero, z1 = zero;
        for (; i + 8 <= n; i += 8) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(v + 4 * i));
            __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(v + 4 * i + 16));
            b0 = _mm_or_si128(b0, _mm_cmpeq_epi32(_mm_and_si128(x, ex), ex));
            b1 = _mm_or_si128(b1, _mm_cmpeq_epi32(_mm_and_si128(y, ex), ex));
            z0 = _mm_or_si128(z0, _mm_and_si128(x, ab));
            z1 = _mm_or_si128(z1, _mm_and_si128(y, ab));
        }
        bad = (uint32_t)_mm_movemask_epi8(_mm_or_si128(b0, b1));
        nz = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi32(_mm_or_si128(z0, z1), zero)) != 0xFFFFu;
    }
#endif
    for (; i < n; i++) {
        uint32_t u;
        memcpy(&u, v + 4 * i, 4);
        bad |= ((u & 0x7f800000u) + 0x00800000u) & 0x80000000u; /* exponent all ones */
        nz |= u & 0x7fffffffu;
    }
    return bad != 0 || (cosine && nz == 0);
}

/* ---- the key map ---- */
SYNADB_PRIVATE uint32_t synadb__mm_tag(const synadb_mmvs *s, const char *key, size_t klen) {
    return (uint32_t)synadb__hash(key, klen, s->hseed);
}
SYNADB_PRIVATE int synadb__mm_keyeq(const synadb_mmvs *s, uint64_t id, const char *key, size_t klen) {
    return synadb__kstore_len(s->ekey[id]) == klen && memcmp(s->ekey[id], key, klen) == 0;
}
/* The key's slot, or the empty slot where it would go. */
SYNADB_PRIVATE uint64_t synadb__mm_find(const synadb_mmvs *s, const char *key, size_t klen, uint32_t tag) {
    uint64_t mask = s->map_cap - 1, i = tag & mask;
    for (;;) {
        const synadb__mmslot *e = &s->map[i];
        if (!e->id1) return i;
        if (e->tag == tag && synadb__mm_keyeq(s, e->id1 - 1, key, klen)) return i;
        i = (i + 1) & mask;
    }
}
/* Room for `extra` more keys at a load of at most 1/2 (tags hold the hash's low bits, so a
   rehash never reads a key). */
SYNADB_PRIVATE int synadb__mm_map_reserve(synadb_mmvs *s, uint64_t extra) {
    uint64_t ncap = s->map_cap ? s->map_cap : 64, i;
    synadb__mmslot *nm;
    while ((s->live + extra) * 2 > ncap) ncap *= 2;
    if (ncap == s->map_cap) return 0;
    if (ncap > SIZE_MAX / sizeof *nm) return -1;
    nm = (synadb__mmslot *)SYNADB__ALLOC(&s->a, (size_t)ncap * sizeof *nm);
    if (!nm) return -1;
    memset(nm, 0, (size_t)ncap * sizeof *nm);
    for (i = 0; i < s->map_cap; i++) if (s->map[i].id1) {
        uint64_t j = s->map[i].tag & (ncap - 1);
        while (nm[j].id1) j = (j + 1) & (ncap - 1);
        nm[j] = s->map[i];
    }
    SYNADB__FREE(&s->a, s->map);
    s->map = nm;
    s->map_cap = ncap;
    return 0;
}
/* Entry-id arrays for n ids. */
SYNADB_PRIVATE int synadb__mm_ids_reserve(synadb_mmvs *s, uint64_t n) {
    uint64_t nc;
    uint64_t *no;
    uint8_t *na;
    if (n <= s->ids_cap) return 0;
    nc = s->ids_cap ? s->ids_cap + s->ids_cap / 2 : 1024;
    if (nc < n) nc = n;
    if (nc > SIZE_MAX / 8) return -1;
    no = (uint64_t *)SYNADB__REALLOC(&s->a, s->offs, (size_t)nc * sizeof *no);
    if (!no) return -1;
    s->offs = no;
    {
        const char **nk = (const char **)SYNADB__REALLOC(&s->a, (void *)s->ekey, (size_t)nc * sizeof *nk);
        if (!nk) return -1;
        s->ekey = nk;
    }
    na = (uint8_t *)SYNADB__REALLOC(&s->a, s->alive, (size_t)nc);
    if (!na) return -1;
    s->alive = na;
    s->ids_cap = nc;
    return 0;
}
/* idx: the key's position in a batch, or SYNADB__MM_NOBAD for a single key. */
SYNADB_PRIVATE synadb_result synadb__mm_key_err(synadb_mmvs *s, synadb_result r, size_t idx, const char *what) {
    if (idx == SYNADB__MM_NOBAD) return synadb__mmerr(s, r, "key %s", what);
    return synadb__mmerr(s, r, "key %llu %s", (unsigned long long)idx, what);
}
SYNADB_PRIVATE synadb_result synadb__mm_check_key(synadb_mmvs *s, const char *key, size_t *klen, size_t idx) {
    if (!key) return synadb__mm_key_err(s, SYNADB_ERR_INVALID_ARG, idx, "is NULL");
    if (*klen == SYNADB_NTS) *klen = strlen(key);
    if (!*klen) return synadb__mm_key_err(s, SYNADB_ERR_EMPTY_KEY, idx, "is empty");
    if (*klen > SYNADB_MAX_KEY_LEN) return synadb__mm_key_err(s, SYNADB_ERR_KEY_TOO_LONG, idx, "is longer than 65535 bytes");
    return SYNADB_OK;
}
/* Entry id of a live key, or -1. Caller holds rw. */
SYNADB_PRIVATE int64_t synadb__mm_lookup(const synadb_mmvs *s, const char *key, size_t klen) {
    uint64_t i;
    if (!s->map_cap) return -1;
    i = synadb__mm_find(s, key, klen, synadb__mm_tag(s, key, klen));
    return s->map[i].id1 ? (int64_t)(s->map[i].id1 - 1) : -1;
}
SYNADB_PRIVATE const float *synadb__mm_vec(const synadb_mmvs *s, uint64_t id) {
    const uint8_t *p = s->base + s->offs[id];
    return (const float *)(const void *)(p + SYNADB__MM_EHDR + SYNADB__MM_PAD16(synadb__rd16(p + 8)));
}

/* ---- file and mapping ---- */
SYNADB_PRIVATE void synadb__mm_unmap(synadb_mmvs *s) {
    if (!s->base) return;
#ifndef SYNADB_NO_MMAP
    if (s->mapped) synadb__munmap(s->base, s->msize);
#endif
    SYNADB__FREE(&s->a, s->heap_raw);
    s->heap_raw = NULL;
    s->base = NULL;
    s->msize = 0;
    s->loaded = 0;
    s->pf_end = 0;
    s->mapped = 0;
}
/* Maps the first `size` bytes of the file (writable unless read-only), or prepares the heap
   copy when mapping is not available. */
SYNADB_PRIVATE int synadb__mm_map(synadb_mmvs *s, uint64_t size) {
#ifndef SYNADB_NO_MMAP
    void *p = NULL;
    if (synadb__mmap(s->fd, size, !s->read_only, &p) == 0) {
        s->base = (uint8_t *)p;
        s->msize = size;
        s->mapped = 1;
        s->loaded = size;
        s->pf_end = 0;
        return 0;
    }
#endif
    if ((uint64_t)(size_t)size != size) return EFBIG;
    s->mapped = 0;
    s->msize = 0;
    s->loaded = 0;
    s->base = NULL;
    return 0;
}
/* Heap copy: makes base hold at least n bytes, 16-byte aligned whatever the allocator
   gives (contents beyond `loaded` undefined). */
SYNADB_PRIVATE int synadb__mm_heap_fit(synadb_mmvs *s, uint64_t n) {
    uint64_t nc;
    uint8_t *raw, *nb;
    if (n <= s->msize) return 0;
    nc = s->msize ? s->msize + s->msize / 2 : ((uint64_t)1 << 20);
    if (nc < n) nc = n;
    nc = (nc + 4095) & ~(uint64_t)4095;
    if (nc > SIZE_MAX - 16) return EFBIG;
    raw = (uint8_t *)SYNADB__ALLOC(&s->a, (size_t)nc + 16);
    if (!raw) return ENOMEM;
    nb = raw + ((16 - ((uintptr_t)raw & 15)) & 15);
    if (s->base) {   /* what was read from the file, and the entries appended since */
        uint64_t keep = s->loaded > s->end ? s->loaded : s->end;
        if (keep > s->msize) keep = s->msize;
        memcpy(nb, s->base, (size_t)keep);
    }
    SYNADB__FREE(&s->a, s->heap_raw);
    s->heap_raw = raw;
    s->base = nb;
    s->msize = nc;
    return 0;
}
/* Heap copy: makes bytes [0, upto) of the file present (reads ahead in large chunks). */
SYNADB_PRIVATE int synadb__mm_load(synadb_mmvs *s, uint64_t upto) {
    uint64_t want;
    int e;
    if (s->mapped || upto <= s->loaded) return 0;
    want = upto < s->loaded + ((uint64_t)4 << 20) ? s->loaded + ((uint64_t)4 << 20) : upto;
    if (want > s->fsize) want = s->fsize;
    if (upto > want) return EIO;
    e = synadb__mm_heap_fit(s, want);
    if (e) return e;
    e = synadb__pread(s->fd, s->base + s->loaded, (size_t)(want - s->loaded), s->loaded);
    if (e) return e;
    s->loaded = want;
    return 0;
}
SYNADB_PRIVATE void synadb__mm_prefault(synadb_mmvs *s, uint64_t upto) {
#ifndef SYNADB_NO_MMAP
    if (!s->mapped || s->read_only) return;
    if (upto > s->msize) upto = s->msize;
    if (upto > s->pf_end) {
        uint64_t from = s->pf_end & ~(uint64_t)4095;
        synadb__prefault(s->base + from, upto - from);
        s->pf_end = upto;
    }
#else
    (void)s; (void)upto;
#endif
}
/* Makes room for the file to hold `need` bytes: grows the file in large steps (at least a
   quarter, at least 64 MiB), the mapping with it, and pre-faults what will be written. */
SYNADB_PRIVATE synadb_result synadb__mm_reserve(synadb_mmvs *s, uint64_t need) {
    int e;
    if (need > s->fsize) {
        uint64_t step = s->fsize / 4 > SYNADB__MM_GROW_MIN ? s->fsize / 4 : SYNADB__MM_GROW_MIN;
        uint64_t ns = need > s->fsize + step ? need : s->fsize + step;
        char buf[128];
        ns = (ns + 65535) & ~(uint64_t)65535;
        if ((uint64_t)(size_t)ns != ns) return synadb__mmerr(s, SYNADB_ERR_FULL, "the store cannot grow beyond the address space");
        e = synadb__fallocate(s->fd, s->fsize, ns);
        if (e) return synadb__mmerr(s, synadb__oserr_code(e), "growing the file to %llu bytes: %s", (unsigned long long)ns, synadb__strerror(e, buf, sizeof buf));
        s->fsize = ns;
        s->size_dirty = 1;
#ifndef SYNADB_NO_MMAP
        if (s->mapped) {
            void *p = s->base;
            e = synadb__remap(s->fd, &p, s->msize, ns);
            if (e) return synadb__mmerr(s, synadb__oserr_code(e), "mapping %llu bytes: %s", (unsigned long long)ns, synadb__strerror(e, buf, sizeof buf));
            s->base = (uint8_t *)p;
            s->msize = ns;
            s->loaded = ns;
            if (s->pf_end > ns) s->pf_end = ns;
        }
#endif
    }
    if (s->mapped) {
        uint64_t ahead = need + SYNADB__MM_GROW_MIN;
        if (need > s->pf_end) synadb__mm_prefault(s, ahead);
    } else {
        e = synadb__mm_heap_fit(s, need);
        if (e) return synadb__mmerr(s, SYNADB_ERR_NO_MEMORY, "out of memory for the heap copy (%llu bytes)", (unsigned long long)need);
    }
    return SYNADB_OK;
}

/* ---- meta slots ---- */
SYNADB_PRIVATE void synadb__mm_slot_build(const synadb_mmvs *s, uint8_t *p, uint64_t seq) {
    memset(p, 0, SYNADB__MM_SLOT);
    memcpy(p, synadb__mm_magic, 8);
    synadb__wr32(p + 8, SYNADB__MM_VERSION);
    synadb__wr32(p + 12, SYNADB__MM_HDR);
    synadb__wr32(p + 16, s->dims);
    synadb__wr32(p + 20, (uint32_t)s->metric);
    synadb__wr32(p + 24, 16);
    synadb__wr32(p + 28, SYNADB__MM_EHDR);
    synadb__wr64(p + 32, seq);
    synadb__wr64(p + 40, s->count);
    synadb__wr64(p + 48, s->live);
    synadb__wr64(p + 56, s->end);
    synadb__wr64(p + 64, s->file_id);
    synadb__wr64(p + 72, s->fsize);
    synadb__wr32(p + 124, synadb__crc_mask(synadb_crc32c(0, p, 124)));
}
/* 0 no magic, 1 valid, 2 magic but damaged, 3 valid but of a newer version */
SYNADB_PRIVATE int synadb__mm_slot_state(const uint8_t *p) {
    if (memcmp(p, synadb__mm_magic, 8)) return 0;
    if (synadb__rd32(p + 124) != synadb__crc_mask(synadb_crc32c(0, p, 124))) return 2;
    if (synadb__rd32(p + 8) != SYNADB__MM_VERSION) return synadb__rd32(p + 8) > SYNADB__MM_VERSION ? 3 : 2;
    return 1;
}

/* Writes a meta slot with the next sequence over the older slot and flushes it, after the
   data it covers. Caller holds rw exclusively. */
SYNADB_PRIVATE synadb_result synadb__mm_checkpoint(synadb_mmvs *s) {
    uint8_t slot[SYNADB__MM_SLOT];
    uint64_t pos;
    char buf[128];
    int e = 0;
    if (s->read_only) return SYNADB_OK;
    if (s->poisoned) return synadb__mmerr(s, SYNADB_ERR_POISONED, "an earlier flush failed; reopen the store");
    if (s->end == s->ck_end && s->count == s->ck_count && !s->size_dirty) return SYNADB_OK;
    /* 1. the entries written since the last checkpoint (and the file size, if it grew) */
#ifndef SYNADB_NO_MMAP
    if (s->mapped && s->end > s->ck_end) {
        uint64_t from = s->ck_end & ~(uint64_t)65535;
        e = synadb__msync(s->base + from, s->end - from);
    }
#endif
#if !defined(__linux__)
    /* msync alone does not reach the disk everywhere (macOS: F_FULLFSYNC; Windows:
       FlushViewOfFile leaves metadata and the drive cache) */
    if (!e && s->mapped) s->size_dirty = 1;
#endif
    if (!e && (s->size_dirty || !s->mapped)) e = synadb__fsync(s->fd);
    if (e) {
        s->poisoned = 1;
        return synadb__mmerr(s, synadb__oserr_code(e), "flushing the entries failed: %s", synadb__strerror(e, buf, sizeof buf));
    }
    s->size_dirty = 0;
    /* 2. the meta slot, over the older one */
    synadb__mm_slot_build(s, slot, s->ck_seq + 1);
    pos = s->ck_slot == 0 ? SYNADB__MM_SLOT_B : 0;
    memcpy(s->base + pos, slot, SYNADB__MM_SLOT);
#ifndef SYNADB_NO_MMAP
    if (s->mapped) {
        e = synadb__msync(s->base, SYNADB__MM_HDR);
#  if !defined(__linux__)
        if (!e) e = synadb__fsync(s->fd);
#  endif
    } else
#endif
    {
        e = synadb__pwrite(s->fd, slot, SYNADB__MM_SLOT, pos);
        if (!e) e = synadb__fsync(s->fd);
    }
    if (e) {
        s->poisoned = 1;
        return synadb__mmerr(s, synadb__oserr_code(e), "writing the checkpoint failed: %s", synadb__strerror(e, buf, sizeof buf));
    }
    s->ck_seq++;
    s->ck_slot = !s->ck_slot;
    s->ck_end = s->end;
    s->ck_count = s->count;
    s->ck_live = s->live;
    return SYNADB_OK;
}

/* ---- opening ---- */
SYNADB_VEC_API synadb_mmvs_config synadb_mmvs_config_default(uint32_t dims, synadb_metric m) {
    synadb_mmvs_config c;
    memset(&c, 0, sizeof c);
    c.struct_size = (uint32_t)sizeof c;
    c.dims = dims;
    c.metric = m;
    c.on_duplicate = SYNADB_MMVS_REPLACE;
    c.initial_capacity = 100000;
    c.M = 16; c.ef_construction = 200; c.ef_search = 100;
    return c;
}

/* Reads the entries from the header on: every one up to the checkpoint must be intact;
   after it, intact entries numbered in sequence are taken until the first one that is not. */
SYNADB_PRIVATE synadb_result synadb__mm_scan(synadb_mmvs *s, const char *path) {
    uint64_t off = SYNADB__MM_HDR, limit = s->fsize, ck_count = 0, ck_live = 0;
    int at_ck = s->ck_end == SYNADB__MM_HDR, e;
    for (;;) {
        uint8_t *ep[4];
        uint32_t kl[4], crc[4];
        uint64_t o = off, esz[4];
        int g = 0, j, ok = 0;
        while (g < 4) {
            const uint8_t *p;
            uint32_t klen;
            if (o + SYNADB__MM_EHDR > limit) break;
            if (synadb__mm_load(s, o + SYNADB__MM_EHDR)) break;
            p = s->base + o;
            klen = synadb__rd16(p + 8);
            if (synadb__rd32(p + 4) != (uint32_t)(s->count + (uint64_t)g + 1) || !klen || synadb__rd32(p + 12) != s->dims) break;
            esz[g] = SYNADB__MM_EHDR + SYNADB__MM_PAD16(klen) + s->vec_span;
            if (o + esz[g] > limit || synadb__mm_load(s, o + esz[g])) break;
            kl[g] = klen;
            o += esz[g];
            g++;
        }
        if (!g) break;
        o = off;
        for (j = 0; j < g; j++) { ep[j] = s->base + o; o += esz[j]; }
        synadb__mm_crcs(s, ep, kl, g, crc);
        for (j = 0; j < g; j++) {
            uint64_t id = s->count, slot;
            const char *key = (const char *)ep[j] + SYNADB__MM_EHDR;
            uint32_t tag;
            if (synadb__rd32(ep[j]) != crc[j]) break;
            if (id >= SYNADB__MM_MAX_ENTRIES) break;
            if (off < s->ck_end && off + esz[j] > s->ck_end)
                return synadb__mmerr(s, SYNADB_ERR_CORRUPT, "%s: entry %llu crosses the checkpointed end %llu", path, (unsigned long long)id, (unsigned long long)s->ck_end);
            if (synadb__mm_ids_reserve(s, id + 1) || synadb__mm_map_reserve(s, 1) ||
                !(s->ekey[id] = synadb__kstore_add(&s->a, &s->keys, key, kl[j])))
                return synadb__mmerr(s, SYNADB_ERR_NO_MEMORY, "out of memory");
            s->offs[id] = off;
            s->alive[id] = 1;
            tag = synadb__mm_tag(s, key, kl[j]);
            slot = synadb__mm_find(s, key, kl[j], tag);
            if (s->map[slot].id1) s->alive[s->map[slot].id1 - 1] = 0;
            else { s->map[slot].tag = tag; s->live++; }
            s->map[slot].id1 = (uint32_t)(id + 1);
            s->count++;
            off += esz[j];
            ok++;
            if (off == s->ck_end) { at_ck = 1; ck_count = s->count; ck_live = s->live; }
        }
        if (ok < g) break;
    }
    s->end = off;
    if (off < s->ck_end || !at_ck) {
        e = off + SYNADB__MM_EHDR <= limit;
        return synadb__mmerr(s, SYNADB_ERR_CORRUPT, "%s: entry %llu at offset %llu is %s, before the checkpointed end %llu",
                             path, (unsigned long long)s->count, (unsigned long long)off, e ? "damaged" : "missing (file truncated)",
                             (unsigned long long)s->ck_end);
    }
    if (ck_count != s->ck_count || ck_live != s->ck_live)
        return synadb__mmerr(s, SYNADB_ERR_CORRUPT, "%s: the checkpoint counts %llu entries (%llu live), the file %llu (%llu)", path,
                             (unsigned long long)s->ck_count, (unsigned long long)s->ck_live, (unsigned long long)ck_count, (unsigned long long)ck_live);
    return SYNADB_OK;
}

SYNADB_VEC_API synadb_result synadb_mmvs_close(synadb_mmvs *s);

SYNADB_VEC_API synadb_result synadb_mmvs_open_ex(const char *path, const synadb_mmvs_config *cfg, synadb_mmvs **out, char *errbuf, size_t errbuf_len) {
    synadb_mmvs *s = NULL;
    synadb_allocator a;
    synadb_result r = SYNADB_OK;
    uint8_t hdr[SYNADB__MM_HDR];
    uint64_t fsize = 0, initial;
    char buf[128];
    int e, fresh = 0, existed = 1, i;
    if (errbuf && errbuf_len) errbuf[0] = 0;
    if (!out) return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_INVALID_ARG, "out is NULL");
    *out = NULL;
    if (!path || !*path || !cfg) return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_INVALID_ARG, "path or config is NULL or empty");
    if (cfg->struct_size > sizeof *cfg) return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_INVALID_ARG, "synadb_mmvs_config from a newer version");
    if (cfg->dims > SYNADB_VEC_MAX_DIMS) return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_INVALID_ARG, "dims %u outside 1..8192", cfg->dims);
    if ((unsigned)cfg->metric > 2u) return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_INVALID_ARG, "unknown metric %d", (int)cfg->metric);
    if (cfg->on_duplicate != SYNADB_MMVS_REPLACE && cfg->on_duplicate != SYNADB_MMVS_REFUSE)
        return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_INVALID_ARG, "on_duplicate must be SYNADB_MMVS_REPLACE or SYNADB_MMVS_REFUSE");
    if (cfg->M == 1 || cfg->M > 64) return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_INVALID_ARG, "M %u outside 2..64", cfg->M);
#if defined(SYNADB__BIG_ENDIAN)
    return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_UNSUPPORTED, "the MmapVectorStore needs a little-endian CPU (zero-copy float views)");
#endif
    a = synadb__allocator_or_default(&cfg->allocator);
    s = (synadb_mmvs *)SYNADB__ALLOC(&a, sizeof *s);
    if (!s) return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_NO_MEMORY, "out of memory");
    memset(s, 0, sizeof *s);
    s->a = a;
    s->fd = SYNADB__BADFD;
    synadb__rw_init(&s->rw);
    synadb__mutex_init(&s->turn);
    synadb__mutex_init(&s->emu);
    synadb__mutex_init(&s->nmu);
    s->k = synadb_vec_kernels_best();
    s->hw = synadb__hw_crc_detect();
    s->hseed = synadb__random64(s);
    s->dims = cfg->dims;
    s->metric = cfg->metric;
    s->refuse = cfg->on_duplicate == SYNADB_MMVS_REFUSE;
    s->read_only = cfg->read_only != 0;
    s->M = cfg->M ? cfg->M : 16;
    s->efc = cfg->ef_construction ? cfg->ef_construction : 200;
    s->efs = cfg->ef_search ? cfg->ef_search : 100;
    initial = cfg->initial_capacity ? cfg->initial_capacity : 100000;
#define SYNADB__MMFAIL(code, ...) do { r = synadb__mmerr(s, (code), __VA_ARGS__); goto fail; } while (0)
    if (!s->read_only) existed = synadb__path_exists(path);
    e = synadb__fopen(path, s->read_only ? 0 : 2, &s->fd);
    if (e) SYNADB__MMFAIL(synadb__oserr_code(e), "open %s: %s", path, synadb__strerror(e, buf, sizeof buf));
    if (!s->read_only) {
        e = synadb__flock(s->fd);
        if (e == EWOULDBLOCK) SYNADB__MMFAIL(SYNADB_ERR_LOCKED, "%s is open for writing by another handle or process", path);
        if (e) SYNADB__MMFAIL(synadb__oserr_code(e), "lock %s: %s", path, synadb__strerror(e, buf, sizeof buf));
    }
    e = synadb__fsize(s->fd, &fsize);
    if (e) SYNADB__MMFAIL(SYNADB_ERR_IO, "stat %s: %s", path, synadb__strerror(e, buf, sizeof buf));
    memset(hdr, 0, sizeof hdr);
    if (fsize) {
        e = synadb__pread(s->fd, hdr, (size_t)(fsize < SYNADB__MM_HDR ? fsize : SYNADB__MM_HDR), 0);
        if (e) SYNADB__MMFAIL(SYNADB_ERR_IO, "read %s: %s", path, synadb__strerror(e, buf, sizeof buf));
    }
    {   /* what is this file? */
        int zero = 1;
        for (i = 0; i < (int)SYNADB__MM_HDR && zero; i++) if (hdr[i]) zero = 0;
        if (fsize <= SYNADB__MM_HDR && zero) fresh = 1;   /* empty, or a creation that never finished */
        else if (fsize < SYNADB__MM_HDR) {
            size_t n = fsize < 8 ? (size_t)fsize : 8;
            if (memcmp(hdr, synadb__mm_magic, n) == 0) SYNADB__MMFAIL(SYNADB_ERR_CORRUPT, "%s: the header is truncated (%llu bytes)", path, (unsigned long long)fsize);
            SYNADB__MMFAIL(SYNADB_ERR_NOT_A_DATABASE, "%s is not a MmapVectorStore file", path);
        }
    }
    if (fresh) {
        if (s->read_only) SYNADB__MMFAIL(SYNADB_ERR_NOT_FOUND, "%s is empty: no store to open read-only", path);
        if (!s->dims) SYNADB__MMFAIL(SYNADB_ERR_INVALID_ARG, "dims must be given to create %s", path);
        s->file_id = synadb__random64(s);
        s->end = s->ck_end = SYNADB__MM_HDR;
        s->ck_seq = 1;
        s->ck_slot = 0;
        memset(hdr, 0, sizeof hdr);
        synadb__mm_slot_build(s, hdr, 1);
        e = synadb__pwrite(s->fd, hdr, SYNADB__MM_HDR, 0);
        if (e) SYNADB__MMFAIL(synadb__oserr_code(e), "write %s: %s", path, synadb__strerror(e, buf, sizeof buf));
        fsize = SYNADB__MM_HDR;
    } else {
        int st[2], best = -1;
        uint64_t seq[2] = {0, 0};
        st[0] = synadb__mm_slot_state(hdr);
        st[1] = synadb__mm_slot_state(hdr + SYNADB__MM_SLOT_B);
        for (i = 0; i < 2; i++) if (st[i] == 1) {
            seq[i] = synadb__rd64(hdr + (i ? SYNADB__MM_SLOT_B : 0) + 32);
            if (best < 0 || seq[i] > seq[best]) best = i;
        }
        /* a slot of a newer format, or (no valid slot) one that claims a newer version */
        if (st[0] == 3 || st[1] == 3 ||
            (best < 0 && ((st[0] && synadb__rd32(hdr + 8) > SYNADB__MM_VERSION) ||
                          (st[1] && synadb__rd32(hdr + SYNADB__MM_SLOT_B + 8) > SYNADB__MM_VERSION))))
            SYNADB__MMFAIL(SYNADB_ERR_VERSION, "%s: written by a newer version of the format", path);
        if (best < 0) {
            if (st[0] == 0 && st[1] == 0) SYNADB__MMFAIL(SYNADB_ERR_NOT_A_DATABASE, "%s is not a MmapVectorStore file", path);
            SYNADB__MMFAIL(SYNADB_ERR_CORRUPT, "%s: both meta slots are damaged", path);
        }
        {
            const uint8_t *p = hdr + (best ? SYNADB__MM_SLOT_B : 0);
            uint32_t fd_dims = synadb__rd32(p + 16), fmetric = synadb__rd32(p + 20);
            if (fd_dims < 1 || fd_dims > SYNADB_VEC_MAX_DIMS || fmetric > 2 || synadb__rd32(p + 12) != SYNADB__MM_HDR ||
                synadb__rd32(p + 24) != 16 || synadb__rd32(p + 28) != SYNADB__MM_EHDR)
                SYNADB__MMFAIL(SYNADB_ERR_CORRUPT, "%s: meta slot with impossible parameters", path);
            if (s->dims && fd_dims != s->dims)
                SYNADB__MMFAIL(SYNADB_ERR_DIMENSION, "%s holds %u-dimensional vectors, not %u", path, fd_dims, s->dims);
            if (fmetric != (uint32_t)s->metric)
                SYNADB__MMFAIL(SYNADB_ERR_INDEX_MISMATCH, "%s uses metric %u, not %d", path, fmetric, (int)s->metric);
            s->dims = fd_dims;
            s->ck_seq = synadb__rd64(p + 32);
            s->ck_count = synadb__rd64(p + 40);
            s->ck_live = synadb__rd64(p + 48);
            s->ck_end = synadb__rd64(p + 56);
            s->file_id = synadb__rd64(p + 64);
            s->ck_slot = best;
            if (s->ck_end < SYNADB__MM_HDR || (s->ck_end & 15) || s->ck_live > s->ck_count)
                SYNADB__MMFAIL(SYNADB_ERR_CORRUPT, "%s: meta slot with an impossible write offset", path);
            if (s->ck_end > fsize)
                SYNADB__MMFAIL(SYNADB_ERR_CORRUPT, "%s is shorter (%llu bytes) than its checkpoint (%llu bytes): truncated", path,
                               (unsigned long long)fsize, (unsigned long long)s->ck_end);
        }
    }
    s->vec_bytes = (size_t)s->dims * 4;
    s->vec_span = SYNADB__MM_PAD16(s->vec_bytes);
    s->est_entry = SYNADB__MM_EHDR + 16 + s->vec_span;
    s->crc_seed = (uint32_t)s->file_id ^ (uint32_t)(s->file_id >> 32);
    s->fsize = fsize;
    if (!fresh) {
        e = synadb__mm_map(s, fsize);
        if (e) SYNADB__MMFAIL(synadb__oserr_code(e), "map %s: %s", path, synadb__strerror(e, buf, sizeof buf));
        r = synadb__mm_scan(s, path);
        if (r) goto fail;
    } else {
        s->count = s->ck_count = 0;
        s->live = s->ck_live = 0;
    }
    if (!s->read_only) {
        /* cut whatever follows the recovered entries (a torn tail, stale bytes), restore
           the capacity, and make that durable before anything is appended */
        uint64_t cap = s->fsize;
        uint64_t want = SYNADB__MM_HDR + (initial > (UINT64_MAX >> 20) ? (UINT64_MAX >> 20) : initial) * s->est_entry;
        if (want > ((uint64_t)1 << 46)) want = (uint64_t)1 << 46;
        if (cap < want) cap = want;
        cap = (cap + 65535) & ~(uint64_t)65535;
        if ((uint64_t)(size_t)cap != cap) cap = s->end > SYNADB__MM_HDR ? (s->end + 65535) & ~(uint64_t)65535 : 65536;
        synadb__mm_unmap(s);
        if (s->fsize > s->end) {
            e = synadb__ftruncate(s->fd, s->end);
            if (e) SYNADB__MMFAIL(synadb__oserr_code(e), "truncate %s: %s", path, synadb__strerror(e, buf, sizeof buf));
            s->fsize = s->end;
        }
        e = synadb__fallocate(s->fd, s->fsize, cap);
        if (e) SYNADB__MMFAIL(synadb__oserr_code(e), "allocate %llu bytes for %s: %s", (unsigned long long)cap, path, synadb__strerror(e, buf, sizeof buf));
        s->fsize = cap;
        e = synadb__fsync(s->fd);
        if (!e && fresh) e = synadb__sync_dir(path);
        if (e) SYNADB__MMFAIL(synadb__oserr_code(e), "sync %s: %s", path, synadb__strerror(e, buf, sizeof buf));
        e = synadb__mm_map(s, cap);
        if (e) SYNADB__MMFAIL(synadb__oserr_code(e), "map %s: %s", path, synadb__strerror(e, buf, sizeof buf));
        if (!s->mapped) {
            e = synadb__mm_load(s, s->end);
            if (e) SYNADB__MMFAIL(synadb__oserr_code(e), "read %s: %s", path, synadb__strerror(e, buf, sizeof buf));
        }
        s->pf_end = s->end;   /* only the room beyond the entries: never dirty existing data */
        synadb__mm_prefault(s, s->end + SYNADB__MM_PREFAULT_MAX);
    } else if (!s->mapped) {
        e = synadb__mm_load(s, s->end);
        if (e) SYNADB__MMFAIL(synadb__oserr_code(e), "read %s: %s", path, synadb__strerror(e, buf, sizeof buf));
    }
    if (synadb__mm_map_reserve(s, 16) || synadb__mm_ids_reserve(s, 16)) SYNADB__MMFAIL(SYNADB_ERR_NO_MEMORY, "out of memory");
#undef SYNADB__MMFAIL
    *out = s;
    return SYNADB_OK;
fail:
    if (errbuf && errbuf_len) snprintf(errbuf, errbuf_len, "%s", s->errmsg);
    s->read_only = 1;   /* close must not write */
    synadb_mmvs_close(s);
    if (fresh && !existed) synadb__unlink(path);   /* a creation that failed leaves nothing */
    return r;
}

SYNADB_VEC_API synadb_result synadb_mmvs_open(const char *path, const synadb_mmvs_config *cfg, synadb_mmvs **out) {
    return synadb_mmvs_open_ex(path, cfg, out, NULL, 0);
}

SYNADB_VEC_API synadb_result synadb_mmvs_close(synadb_mmvs *s) {
    synadb_result r = SYNADB_OK;
    synadb_allocator a;
    if (!s) return SYNADB_ERR_INVALID_ARG;
    a = s->a;
    synadb__mm_wrlock(s);
    if (s->base) r = synadb__mm_checkpoint(s);
    synadb__mm_wrunlock(s);
    synadb_hnsw_free(s->ix);
    synadb__mm_unmap(s);
    if (s->fd != SYNADB__BADFD) synadb__fclose(s->fd);   /* releases the lock */
    SYNADB__FREE(&a, s->offs);
    SYNADB__FREE(&a, s->alive);
    SYNADB__FREE(&a, s->ekey);
    synadb__kstore_free(&a, &s->keys);
    SYNADB__FREE(&a, s->map);
    SYNADB__FREE(&a, s->norms);
    synadb__rw_destroy(&s->rw);
    synadb__mutex_destroy(&s->turn);
    synadb__mutex_destroy(&s->emu);
    synadb__mutex_destroy(&s->nmu);
    SYNADB__FREE(&a, s);
    return r;
}

/* ---- inserting ---- */
/* One worker's share of a batch: writes entries [from, to), checks their vectors and
   computes their CRCs (stored later, once the whole batch is known to be good). */
typedef struct synadb__mmjob {
    synadb_mmvs *s;
    const char *const *keys;
    const uint32_t *klens;
    const uint32_t *prev;          /* replaced entry id + 1, or 0 */
    const float *vecs;
    uint32_t *crcs;
    size_t from, to;
    size_t bad;                    /* first bad vector, or SYNADB__MM_NOBAD */
} synadb__mmjob;
SYNADB_PRIVATE void *synadb__mm_write_range(void *arg) {
    synadb__mmjob *j = (synadb__mmjob *)arg;
    synadb_mmvs *s = j->s;
    const uint64_t id0 = s->count;
    const size_t vb = s->vec_bytes, vpad = (size_t)s->vec_span - vb;
    const int cosine = s->metric == SYNADB_METRIC_COSINE;
    size_t i;
    for (i = j->from; i < j->to; i += 4) {
        uint8_t *ep[4];
        uint32_t kl[4];
        int g = j->to - i < 4 ? (int)(j->to - i) : 4, q;
        for (q = 0; q < g; q++) {
            size_t idx = i + (size_t)q;
            uint64_t id = id0 + idx;
            uint8_t *p = s->base + s->offs[id], *v;
            uint32_t klen = j->klens[idx];
            size_t kp = (size_t)SYNADB__MM_PAD16(klen);
            synadb__wr32(p, 0);   /* the CRC comes last */
            synadb__wr32(p + 4, (uint32_t)(id + 1));
            synadb__wr16(p + 8, (uint16_t)klen);
            synadb__wr16(p + 10, (uint16_t)(j->prev[idx] ? SYNADB__MM_FREPLACES : 0));
            synadb__wr32(p + 12, s->dims);
            memcpy(p + SYNADB__MM_EHDR, j->keys[idx], klen);
            memset(p + SYNADB__MM_EHDR + klen, 0, kp - klen);
            v = p + SYNADB__MM_EHDR + kp;
            memcpy(v, j->vecs + idx * s->dims, vb);
            if (vpad) memset(v + vb, 0, vpad);
            if (synadb__mm_vbad(v, s->dims, cosine)) { j->bad = idx; return NULL; }
            ep[q] = p;
            kl[q] = klen;
        }
        synadb__mm_crcs(s, ep, kl, g, j->crcs + i);
    }
    return NULL;
}

/* HNSW upkeep for new entries [id0, id0 + n): worker threads add the live ones. */
typedef struct synadb__mmix {
    synadb_mmvs *s;
    const uint64_t *ids;
    size_t n, next;                /* next: shared work counter (atomic) */
    synadb_result err;
} synadb__mmix;
SYNADB_PRIVATE void *synadb__mm_ix_worker(void *arg) {
    synadb__mmix *b = (synadb__mmix *)arg;
    for (;;) {
        size_t i = SYNADB__FETCH_ADD(&b->next, (size_t)1);
        synadb_result r;
        if (i >= b->n) break;
        r = synadb_hnsw_add(b->s->ix, b->ids[i], synadb__mm_vec(b->s, b->ids[i]));
        if (r) { SYNADB__ST_RLX(&b->err, r); break; }
    }
    return NULL;
}
/* Adds entries to the index (threads when there are many). Caller holds rw exclusively. */
SYNADB_PRIVATE synadb_result synadb__mm_ix_add(synadb_mmvs *s, const uint64_t *ids, size_t n) {
    synadb__mmix b;
    synadb__thread th[64];
    synadb__thread_arg ta[64];
    int t, threads = synadb__ncpu(), started = 0;
    if (!n) return SYNADB_OK;
    memset(&b, 0, sizeof b);
    b.s = s; b.ids = ids; b.n = n;
    /* the first alone, so that the workers start from an entry point */
    b.err = synadb_hnsw_add(s->ix, ids[0], synadb__mm_vec(s, ids[0]));
    b.next = 1;
    if (b.err) return b.err;
    if (threads > 64) threads = 64;
    if (n < 64) threads = 1;
    for (t = 1; t < threads; t++) {
        ta[t].fn = synadb__mm_ix_worker; ta[t].arg = &b;
        if (synadb__thread_start(&th[t], &ta[t]) == 0) started = t;
        else break;
    }
    synadb__mm_ix_worker(&b);
    for (t = 1; t <= started; t++) synadb__thread_join(th[t]);
    return b.err;
}

/* Inserts n entries. Everything is checked before anything becomes visible: on failure
   nothing is stored (no entry of the batch has a valid CRC in the file). Caller holds rw
   exclusively. */
SYNADB_PRIVATE synadb_result synadb__mm_insert(synadb_mmvs *s, const char *const *keys, const size_t *key_lens,
                                               const float *vecs, size_t n) {
    uint32_t st_kl[16], st_prev[16], st_crc[16];
    uint64_t st_slot[16];
    uint32_t *klens, *prev, *crcs;
    uint64_t *uslot, id0 = s->count, total = 0, off, fresh = 0;
    void *scratch = NULL;
    synadb_result r = SYNADB_OK;
    size_t i, done = 0, bad = SYNADB__MM_NOBAD;
    if (s->read_only) return synadb__mmerr(s, SYNADB_ERR_READ_ONLY, "the store is open read-only");
    if (s->poisoned) return synadb__mmerr(s, SYNADB_ERR_POISONED, "an earlier flush failed; reopen the store");
    if (n > SYNADB__MM_MAX_ENTRIES || s->count + n > SYNADB__MM_MAX_ENTRIES)
        return synadb__mmerr(s, SYNADB_ERR_FULL, "a store holds at most %u entries", SYNADB__MM_MAX_ENTRIES);
    if (n <= 16) { klens = st_kl; prev = st_prev; crcs = st_crc; uslot = st_slot; }
    else if (n > SIZE_MAX / (3 * sizeof(uint32_t) + sizeof(uint64_t))) return synadb__mmerr(s, SYNADB_ERR_NO_MEMORY, "batch too large");
    else {
        scratch = SYNADB__ALLOC(&s->a, n * (3 * sizeof(uint32_t) + sizeof(uint64_t)));
        if (!scratch) return synadb__mmerr(s, SYNADB_ERR_NO_MEMORY, "out of memory");
        uslot = (uint64_t *)scratch;
        klens = (uint32_t *)(void *)(uslot + n);
        prev = klens + n;
        crcs = prev + n;
    }
    /* 1. keys (no state changes) */
    for (i = 0; i < n; i++) {
        size_t kl = key_lens ? key_lens[i] : SYNADB_NTS;
        r = synadb__mm_check_key(s, keys[i], &kl, n == 1 ? SYNADB__MM_NOBAD : i);
        if (r) goto out;
        klens[i] = (uint32_t)kl;
        total += SYNADB__MM_EHDR + SYNADB__MM_PAD16(kl) + s->vec_span;
    }
    /* 2. room: file, mapping, id arrays, map (growth is not a visible change) */
    r = synadb__mm_reserve(s, s->end + total);
    if (r) goto out;
    if (synadb__mm_ids_reserve(s, id0 + n) || synadb__mm_map_reserve(s, n)) { r = synadb__mmerr(s, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
    for (i = 0; i < n; i++)   /* key copies (a failed batch leaves unused copies behind, nothing else) */
        if (!(s->ekey[id0 + i] = synadb__kstore_add(&s->a, &s->keys, keys[i], klens[i]))) { r = synadb__mmerr(s, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
    /* 3. the map, tentatively (undone in reverse order on failure) */
    off = s->end;
    for (i = 0; i < n; i++) {
        uint32_t tag = synadb__mm_tag(s, keys[i], klens[i]);
        uint64_t sl = synadb__mm_find(s, keys[i], klens[i], tag);
        uint32_t old = s->map[sl].id1;
        if (old && s->refuse) {
            uint32_t kshow = klens[i] > 40 ? 40 : klens[i];
            if (old - 1 >= id0)
                r = synadb__mmerr(s, SYNADB_ERR_EXISTS, "key %llu (\"%.*s\") repeats key %llu of the batch; nothing was inserted",
                                  (unsigned long long)i, (int)kshow, keys[i], (unsigned long long)(old - 1 - id0));
            else
                r = synadb__mmerr(s, SYNADB_ERR_EXISTS, "key %llu (\"%.*s\") already exists; nothing was inserted",
                                  (unsigned long long)i, (int)kshow, keys[i]);
            break;
        }
        uslot[i] = sl;
        prev[i] = old;
        if (!old) { s->map[sl].tag = tag; fresh++; }
        s->map[sl].id1 = (uint32_t)(id0 + i + 1);
        s->offs[id0 + i] = off;
        off += SYNADB__MM_EHDR + SYNADB__MM_PAD16(klens[i]) + s->vec_span;
        done = i + 1;
    }
    if (r) goto undo;
    /* 4. the entries: copied, checked, CRCs computed (worker threads for large batches:
          the copy is bound by memory bandwidth and page faults, which two cores share
          better than one) */
    {
        synadb__mmjob job[8];
        synadb__thread th[8];
        synadb__thread_arg ta[8];
        int t, nt = 1, started[8];
        size_t per;
#if !defined(SYNADB_NO_THREADS)
        if (n >= 1024 && total >= ((uint64_t)8 << 20)) {
            nt = synadb__ncpu();
            if (nt > 8) nt = 8;
            if ((size_t)nt > n / 512) nt = (int)(n / 512);
            if (nt < 1) nt = 1;
        }
#endif
        per = ((n + (size_t)nt - 1) / (size_t)nt + 3) & ~(size_t)3;
        for (t = 0; t < nt; t++) {
            memset(&job[t], 0, sizeof job[t]);
            job[t].s = s; job[t].keys = keys; job[t].klens = klens; job[t].prev = prev; job[t].vecs = vecs; job[t].crcs = crcs;
            job[t].bad = SYNADB__MM_NOBAD;
            job[t].from = (size_t)t * per < n ? (size_t)t * per : n;
            job[t].to = job[t].from + per < n ? job[t].from + per : n;
            started[t] = 0;
        }
        for (t = 1; t < nt; t++) {
            ta[t].fn = synadb__mm_write_range; ta[t].arg = &job[t];
            started[t] = synadb__thread_start(&th[t], &ta[t]) == 0;
        }
        synadb__mm_write_range(&job[0]);
        for (t = 1; t < nt; t++) {
            if (started[t]) synadb__thread_join(th[t]);
            else synadb__mm_write_range(&job[t]);   /* no thread: do its share here */
        }
        for (t = 0; t < nt; t++) if (job[t].bad < bad) bad = job[t].bad;
    }
    if (bad != SYNADB__MM_NOBAD) {
        r = synadb__mmerr(s, SYNADB_ERR_BAD_VECTOR, "vector %llu has a NaN or infinite component%s; nothing was inserted",
                          (unsigned long long)bad, s->metric == SYNADB_METRIC_COSINE ? ", or is zero (cosine)" : "");
        for (i = 0; i < n; i++) memset(s->base + s->offs[id0 + i], 0, SYNADB__MM_EHDR);
        goto undo;
    }
    /* 5. the CRCs, which make the entries valid */
    for (i = 0; i < n; i++) synadb__wr32(s->base + s->offs[id0 + i], crcs[i]);
    if (!s->mapped) {
        int e = synadb__pwrite(s->fd, s->base + s->end, (size_t)total, s->end);
        if (e) {
            char buf[128];
            r = synadb__mmerr(s, synadb__oserr_code(e), "writing %llu bytes failed: %s", (unsigned long long)total, synadb__strerror(e, buf, sizeof buf));
            for (i = 0; i < n; i++) memset(s->base + s->offs[id0 + i], 0, SYNADB__MM_EHDR);
            if (synadb__pwrite(s->fd, s->base + s->end, SYNADB__MM_EHDR, s->end)) s->poisoned = 1;
            goto undo;
        }
    }
    /* 6. commit */
    for (i = 0; i < n; i++) {
        s->alive[id0 + i] = 1;
        if (prev[i]) s->alive[prev[i] - 1] = 0;
    }
    s->count += n;
    s->live += fresh;
    s->end += total;
    if (s->pf_end < s->end) s->pf_end = s->end;
    if (s->ix) {
        uint64_t *ids = (uint64_t *)(void *)uslot;   /* reused: the slots are no longer needed */
        size_t m = 0;
        for (i = 0; i < n; i++) if (s->alive[id0 + i]) ids[m++] = id0 + i;
        r = synadb__mm_ix_add(s, ids, m);
        for (i = 0; i < n && !r; i++) if (prev[i] && prev[i] - 1 < id0) synadb_hnsw_delete(s->ix, prev[i] - 1);
        if (r) {
            synadb__mmerr(s, r, "the vectors were stored, but the index could not be updated (%s): it was dropped; call synadb_mmvs_build_index again",
                          synadb_hnsw_errmsg(s->ix));
            synadb_hnsw_free(s->ix);
            s->ix = NULL;
        }
    }
    goto out;
undo:
    while (done > 0) {
        done--;
        s->map[uslot[done]].id1 = prev[done];
    }
out:
    if (scratch) SYNADB__FREE(&s->a, scratch);
    return r;
}

SYNADB_VEC_API synadb_result synadb_mmvs_insert(synadb_mmvs *s, const char *key, size_t key_len, const float *vec) {
    synadb_result r;
    if (!s) return SYNADB_ERR_INVALID_ARG;
    if (!vec) return synadb__mmerr(s, SYNADB_ERR_INVALID_ARG, "vector is NULL");
    synadb__mm_wrlock(s);
    r = synadb__mm_insert(s, &key, &key_len, vec, 1);
    synadb__mm_wrunlock(s);
    return r;
}
SYNADB_VEC_API synadb_result synadb_mmvs_insert_batch(synadb_mmvs *s, const char *const *keys, const size_t *key_lens,
                                                      const float *vecs, size_t n, size_t *out_inserted) {
    synadb_result r;
    if (out_inserted) *out_inserted = 0;
    if (!s) return SYNADB_ERR_INVALID_ARG;
    if (!n) return SYNADB_OK;
    if (!keys || !vecs) return synadb__mmerr(s, SYNADB_ERR_INVALID_ARG, "keys or vectors are NULL");
    synadb__mm_wrlock(s);
    r = synadb__mm_insert(s, keys, key_lens, vecs, n);
    synadb__mm_wrunlock(s);
    if (!r && out_inserted) *out_inserted = n;
    return r;
}

/* ---- reading ---- */
SYNADB_VEC_API synadb_result synadb_mmvs_get_view(synadb_mmvs *s, const char *key, size_t key_len, const float **out) {
    synadb_result r;
    int64_t id;
    if (!s) return SYNADB_ERR_INVALID_ARG;
    if (!out) return synadb__mmerr(s, SYNADB_ERR_INVALID_ARG, "out is NULL");
    *out = NULL;
    r = synadb__mm_check_key(s, key, &key_len, SYNADB__MM_NOBAD);
    if (r) return r;
    synadb__mm_rdlock(s);
    id = synadb__mm_lookup(s, key, key_len);
    if (id >= 0) *out = synadb__mm_vec(s, (uint64_t)id);
    synadb__mm_rdunlock(s);
    return id >= 0 ? SYNADB_OK : synadb__mmerr(s, SYNADB_ERR_KEY_NOT_FOUND, "key not found");
}
SYNADB_VEC_API synadb_result synadb_mmvs_get(synadb_mmvs *s, const char *key, size_t key_len, float *out) {
    synadb_result r;
    int64_t id;
    if (!s) return SYNADB_ERR_INVALID_ARG;
    if (!out) return synadb__mmerr(s, SYNADB_ERR_INVALID_ARG, "out is NULL");
    r = synadb__mm_check_key(s, key, &key_len, SYNADB__MM_NOBAD);
    if (r) return r;
    synadb__mm_rdlock(s);
    id = synadb__mm_lookup(s, key, key_len);
    if (id >= 0) memcpy(out, synadb__mm_vec(s, (uint64_t)id), s->vec_bytes);
    synadb__mm_rdunlock(s);
    return id >= 0 ? SYNADB_OK : synadb__mmerr(s, SYNADB_ERR_KEY_NOT_FOUND, "key not found");
}
/* The store's dimension count (used by the path-keyed ABI). */
SYNADB__UNUSED SYNADB_PRIVATE uint32_t synadb__mmvs_dims(synadb_mmvs *s) { return s ? s->dims : 0; }
SYNADB_VEC_API size_t synadb_mmvs_len(synadb_mmvs *s) {
    size_t n;
    if (!s) return 0;
    synadb__mm_rdlock(s);
    n = (size_t)s->live;
    synadb__mm_rdunlock(s);
    return n;
}

/* Squared norms of every entry (cosine), computed once by the first search that needs
   them. Caller holds rw shared; nmu serialises the searches that get here together. */
SYNADB_PRIVATE int synadb__mm_norms(synadb_mmvs *s) {
    int rc = 0;
    synadb__mutex_lock(&s->nmu);
    if (s->norm_n < s->count) {
        if (s->norm_cap < s->count) {
            uint64_t nc = s->count + s->count / 4 + 64;
            float *nn = (float *)SYNADB__REALLOC(&s->a, s->norms, (size_t)nc * sizeof *nn);
            if (!nn) rc = -1;
            else { s->norms = nn; s->norm_cap = nc; }
        }
        if (!rc) {
            uint64_t id;
            for (id = s->norm_n; id < s->count; id++) {
                const float *x = synadb__mm_vec(s, id);
                s->norms[id] = s->k.dot(x, x, s->dims);
            }
            s->norm_n = s->count;
        }
    }
    synadb__mutex_unlock(&s->nmu);
    return rc;
}

SYNADB_VEC_API synadb_result synadb_mmvs_search(synadb_mmvs *s, const float *query, size_t k, synadb_vec_hit *out, size_t *out_n) {
    synadb_result r = SYNADB_OK;
    size_t i, n = 0;
    if (out_n) *out_n = 0;
    if (!s) return SYNADB_ERR_INVALID_ARG;
    if (!query || !out_n || (!out && k)) return synadb__mmerr(s, SYNADB_ERR_INVALID_ARG, "query, out or out_n is NULL");
    r = synadb_vec_check(query, s->dims, (synadb_metric)s->metric);
    if (r) return synadb__mmerr(s, r, "query has a NaN or infinite component%s", s->metric == SYNADB_METRIC_COSINE ? ", or is zero (cosine)" : "");
    if (!k) return SYNADB_OK;
    synadb__mm_rdlock(s);
    if (s->ix) {
        r = synadb_hnsw_search(s->ix, query, k, 0, out, &n);
        if (r) synadb__mmerr(s, r, "%s", synadb_hnsw_errmsg(s->ix));
    } else {
        synadb__topk t;
        const synadb_vec_kernels *kk = &s->k;
        const size_t dims = s->dims;
        uint64_t id, cnt = s->count;
        float qn = 0;
        t.h = out; t.n = 0; t.k = k;
        if (s->metric == SYNADB_METRIC_COSINE) {
            qn = kk->dot(query, query, dims);
            if (synadb__mm_norms(s)) r = synadb__mmerr(s, SYNADB_ERR_NO_MEMORY, "out of memory");
        }
        if (!r) for (id = 0; id < cnt; id++) {
            const float *x;
            float d;
            if (!s->alive[id]) continue;
            x = synadb__mm_vec(s, id);
            if (s->metric == SYNADB_METRIC_EUCLIDEAN) d = kk->l2sq(query, x, dims);
            else if (s->metric == SYNADB_METRIC_DOT) d = -kk->dot(query, x, dims);
            else {
                float xn = s->norms[id];
                d = (xn <= 0 || qn <= 0) ? 1.0f : 1.0f - kk->dot(query, x, dims) / sqrtf(qn * xn);
            }
            synadb__topk_push(&t, d, id);
        }
        synadb__topk_finish(&t, s->metric);
        n = t.n;
    }
    for (i = 0; i < n; i++) {
        if (out[i].id < s->count) {
            out[i].key = s->ekey[out[i].id];
            out[i].key_len = synadb__kstore_len(out[i].key);
        } else {
            out[i].key = NULL;
            out[i].key_len = 0;
        }
    }
    synadb__mm_rdunlock(s);
    *out_n = n;
    return r;
}

SYNADB_VEC_API synadb_result synadb_mmvs_build_index(synadb_mmvs *s) {
    synadb_hnsw_config hc;
    synadb_result r = SYNADB_OK;
    uint64_t *ids = NULL, id;
    size_t m = 0;
    if (!s) return SYNADB_ERR_INVALID_ARG;
    synadb__mm_wrlock(s);
    if (s->ix) goto out;
    hc = synadb_hnsw_config_default(s->dims, (synadb_metric)s->metric);
    hc.M = s->M; hc.ef_construction = s->efc; hc.ef_search = s->efs;
    hc.capacity = s->live + 16;
    hc.allocator = s->a;
    r = synadb_hnsw_create(&hc, &s->ix);
    if (r) { synadb__mmerr(s, r, "cannot create the index"); goto out; }
    ids = (uint64_t *)SYNADB__ALLOC(&s->a, (size_t)(s->live + 1) * sizeof *ids);
    if (!ids) { r = synadb__mmerr(s, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
    for (id = 0; id < s->count; id++) if (s->alive[id]) ids[m++] = id;
    r = synadb__mm_ix_add(s, ids, m);
    if (r) synadb__mmerr(s, r, "building the index: %s", synadb_hnsw_errmsg(s->ix));
out:
    if (r && s->ix) { synadb_hnsw_free(s->ix); s->ix = NULL; }
    SYNADB__FREE(&s->a, ids);
    synadb__mm_wrunlock(s);
    return r;
}

SYNADB_VEC_API synadb_result synadb_mmvs_checkpoint(synadb_mmvs *s) {
    synadb_result r;
    if (!s) return SYNADB_ERR_INVALID_ARG;
    synadb__mm_wrlock(s);
    r = synadb__mm_checkpoint(s);
    synadb__mm_wrunlock(s);
    return r;
}

/* ======================================================================== >>vec.svs
   SparseVectorStore. In memory: per term a posting list of (doc id u32, weight f32) in
   ascending doc order (doc ids are assigned in increasing order and never reused), with
   the term's largest weight; per doc its key (in a kstore), nonzero count and a live flag;
   a key -> doc id hash table. Deletes and replacements only clear the live flag; dead
   postings are purged when they outnumber the live ones.
   Every 64 postings of a list (a block) are summarised in a side array: first and last doc
   id and largest weight (dead postings count until the purge: an overestimate).
   Search: MaxScore in windows of 4096 doc ids, in doc order. Per window each query term's
   upper bound is the query weight x the largest block maximum among the list's blocks
   that overlap the window; terms sorted by bound, the longest prefix whose bounds sum to at
   most theta (the current k-th score) is "non-essential" there, and a window whose bounds
   all sum to at most theta is skipped. The essential lists are summed term at a time into
   a window accumulator (doubles, with a bitmap of the docs touched); the touched docs whose
   partial score plus the non-essential bounds beat theta are the candidates. The
   non-essential lists are then applied largest bound first: merged into the accumulator
   when the list has few postings in the window relative to the candidates, else looked up
   per candidate (block found over the side array, then a step from an interpolated
   position in the block); after each list the candidates whose score plus the bounds
   left cannot beat theta are dropped. The survivors go to the heap in doc order (equal
   scores: lower doc id first, as in exhaustive scoring). Scores are summed in double and the
   bounds inflated by 1e-6, so pruning never drops a document exhaustive scoring would keep.

   Log file, version 1 (little-endian):
     header (24 bytes): magic "SYNASVS1", u32 version 1, u32 0, u32 CRC32C of bytes 0..15,
     u32 0
     records: u32 body length, u32 CRC32C of those 4 bytes, u32 CRC32C of the body, body:
       u64 sequence (each record's is the previous one's + 1), u8 type (1 index, 2 delete),
       3 zero bytes, u64 doc id, u32 key length, u32 nonzero count, key bytes, then per
       nonzero u32 term id and f32 weight (terms strictly ascending, weights finite > 0).
   On open the records are replayed. A record cut short by the end of the file, a last
   record whose body does not match its checksum, or a zero-filled tail is a torn write and
   is cut off; anything else that does not verify is SYNADB_ERR_CORRUPT. */
#define SYNADB__SVS_HDR 24u
#define SYNADB__SVS_PFX 12u
#define SYNADB__SVS_BODY 32u
#define SYNADB__SVS_MAX_NNZ ((size_t)1 << 26)
#define SYNADB__SVS_NODOC UINT32_MAX
static const uint8_t synadb__svs_magic[8] = {'S', 'Y', 'N', 'A', 'S', 'V', 'S', '1'};

typedef struct synadb__svs_post { uint32_t doc; float w; } synadb__svs_post;
/* Block summary: for every SYNADB__SVS_BLK postings of a list, the first and last doc id and
   the largest weight (dead postings included until the purge, so it only ever overestimates). */
#define SYNADB__SVS_BLK 64u
typedef struct synadb__svs_blk { uint32_t first, last; float maxw; } synadb__svs_blk;
typedef struct synadb__svs_term { uint32_t id, n, cap; synadb__svs_post *p; synadb__svs_blk *b; } synadb__svs_term;
typedef struct synadb__svs_doc { const char *key; uint32_t nnz, live; } synadb__svs_doc;
typedef struct synadb__svs_pair { uint32_t t; float w; uint32_t i; } synadb__svs_pair;
struct synadb_svs {
    synadb_allocator a;
    synadb__rwlock lock;
    synadb__mutex emu;
    char errmsg[512];
    char *path;
    synadb__fd fd;
    uint64_t end, seq;
    int sync, poisoned;
    synadb__svs_term *terms;          /* term slots */
    uint32_t nterms, terms_cap;
    uint32_t *tmap;                   /* term id -> slot (open addressing), UINT32_MAX empty */
    uint32_t tmap_cap;
    synadb__svs_doc *docs;            /* by doc id */
    uint64_t ndocs, docs_cap, live, live_post, dead_post;
    uint32_t *kmap;                   /* key -> doc id, SYNADB__SVS_NODOC empty */
    uint64_t kmap_cap, kmap_n;
    synadb__kstore keys;
    synadb__svs_pair *scratch;        /* normalisation buffer (writers only) */
    size_t scratch_cap;
};

SYNADB__DEFINE_ERR(synadb__svserr, synadb_svs)
SYNADB_VEC_API const char *synadb_svs_errmsg(const synadb_svs *s) { return s ? s->errmsg : "no store"; }
SYNADB_VEC_API synadb_svs_config synadb_svs_config_default(void) {
    synadb_svs_config c;
    memset(&c, 0, sizeof c);
    c.struct_size = (uint32_t)sizeof c;
    return c;
}

SYNADB_PRIVATE uint32_t synadb__svs_thash(uint32_t t) { t ^= t >> 16; t *= 0x7feb352dU; t ^= t >> 15; t *= 0x846ca68bU; t ^= t >> 16; return t; }
/* The slot of term t, or UINT32_MAX. */
SYNADB_PRIVATE uint32_t synadb__svs_tfind(const synadb_svs *s, uint32_t t) {
    uint32_t i, m;
    if (!s->tmap_cap) return UINT32_MAX;
    m = s->tmap_cap - 1;
    for (i = synadb__svs_thash(t) & m;; i = (i + 1) & m) {
        uint32_t v = s->tmap[i];
        if (v == UINT32_MAX || s->terms[v].id == t) return v;
    }
}
/* Room for `more` new terms (slots and map). */
SYNADB_PRIVATE int synadb__svs_treserve(synadb_svs *s, uint32_t more) {
    uint64_t need = (uint64_t)s->nterms + more;
    if (need > 0x7ffffff0u) return -1;
    if (need > s->terms_cap) {
        uint32_t nc = s->terms_cap ? s->terms_cap : 256;
        synadb__svs_term *nt;
        while (nc < need) nc *= 2;
        nt = (synadb__svs_term *)SYNADB__REALLOC(&s->a, s->terms, (size_t)nc * sizeof *nt);
        if (!nt) return -1;
        s->terms = nt; s->terms_cap = nc;
    }
    if (need * 2 > s->tmap_cap) {
        uint32_t nc = s->tmap_cap ? s->tmap_cap : 512, i, j, m;
        uint32_t *nm;
        while ((uint64_t)nc < need * 2) nc *= 2;
        nm = (uint32_t *)SYNADB__ALLOC(&s->a, (size_t)nc * sizeof *nm);
        if (!nm) return -1;
        memset(nm, 0xff, (size_t)nc * sizeof *nm);
        m = nc - 1;
        for (i = 0; i < s->nterms; i++) {
            for (j = synadb__svs_thash(s->terms[i].id) & m; nm[j] != UINT32_MAX; j = (j + 1) & m) {}
            nm[j] = i;
        }
        SYNADB__FREE(&s->a, s->tmap);
        s->tmap = nm; s->tmap_cap = nc;
    }
    return 0;
}
/* Slot of term t, created if absent (room reserved beforehand). */
SYNADB_PRIVATE uint32_t synadb__svs_tget(synadb_svs *s, uint32_t t) {
    uint32_t i, m = s->tmap_cap - 1, v;
    for (i = synadb__svs_thash(t) & m;; i = (i + 1) & m) {
        v = s->tmap[i];
        if (v == UINT32_MAX) break;
        if (s->terms[v].id == t) return v;
    }
    v = s->nterms++;
    s->tmap[i] = v;
    memset(&s->terms[v], 0, sizeof s->terms[v]);
    s->terms[v].id = t;
    return v;
}

SYNADB_PRIVATE uint64_t synadb__svs_khash(const char *k, size_t n) { return synadb_hnsw_key_label(k, n); }
/* Position of key in kmap: holds its doc id, or SYNADB__SVS_NODOC where it would go. */
SYNADB_PRIVATE uint64_t synadb__svs_kslot(const synadb_svs *s, const char *key, size_t klen) {
    uint64_t m = s->kmap_cap - 1, i;
    for (i = synadb__svs_khash(key, klen) & m;; i = (i + 1) & m) {
        uint32_t d = s->kmap[i];
        const char *k2;
        if (d == SYNADB__SVS_NODOC) return i;
        k2 = s->docs[d].key;
        if (synadb__kstore_len(k2) == klen && memcmp(k2, key, klen) == 0) return i;
    }
}
SYNADB_PRIVATE uint32_t synadb__svs_kfind(const synadb_svs *s, const char *key, size_t klen) {
    if (!s->kmap_cap) return SYNADB__SVS_NODOC;
    return s->kmap[synadb__svs_kslot(s, key, klen)];
}
SYNADB_PRIVATE int synadb__svs_kreserve(synadb_svs *s, uint64_t more) {
    uint64_t need = s->kmap_n + more, nc, i, j, m;
    uint32_t *nm;
    if (need * 2 <= s->kmap_cap) return 0;
    nc = s->kmap_cap ? s->kmap_cap : 1024;
    while (nc < need * 2) nc *= 2;
    if ((uint64_t)(size_t)(nc * 4) != nc * 4) return -1;
    nm = (uint32_t *)SYNADB__ALLOC(&s->a, (size_t)nc * sizeof *nm);
    if (!nm) return -1;
    memset(nm, 0xff, (size_t)nc * sizeof *nm);
    m = nc - 1;
    for (i = 0; i < s->kmap_cap; i++) {
        uint32_t d = s->kmap[i];
        const char *k;
        if (d == SYNADB__SVS_NODOC) continue;
        k = s->docs[d].key;
        for (j = synadb__svs_khash(k, synadb__kstore_len(k)) & m; nm[j] != SYNADB__SVS_NODOC; j = (j + 1) & m) {}
        nm[j] = d;
    }
    SYNADB__FREE(&s->a, s->kmap);
    s->kmap = nm; s->kmap_cap = nc;
    return 0;
}
/* Removes the entry at slot i (backward-shift deletion keeps probe chains intact). */
SYNADB_PRIVATE void synadb__svs_kremove(synadb_svs *s, uint64_t i) {
    uint64_t m = s->kmap_cap - 1, j = i;
    for (;;) {
        uint64_t h;
        const char *k;
        j = (j + 1) & m;
        if (s->kmap[j] == SYNADB__SVS_NODOC) break;
        k = s->docs[s->kmap[j]].key;
        h = synadb__svs_khash(k, synadb__kstore_len(k)) & m;
        /* move j back to i if its home h is not cyclically in (i, j] */
        if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) { s->kmap[i] = s->kmap[j]; i = j; }
    }
    s->kmap[i] = SYNADB__SVS_NODOC;
    s->kmap_n--;
}

SYNADB_PRIVATE int synadb__svs_pair_cmp(const void *x, const void *y) {
    const synadb__svs_pair *a = (const synadb__svs_pair *)x, *b = (const synadb__svs_pair *)y;
    if (a->t != b->t) return a->t < b->t ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}
/* Checks and normalises (term, weight) pairs into *out (sorted by term, last duplicate
   wins, weights <= 0 dropped); *nout = count. */
SYNADB_PRIVATE synadb_result synadb__svs_norm(const synadb_allocator *a, synadb__svs_pair **buf, size_t *cap,
                                              const uint32_t *terms, const float *weights, size_t count, size_t *nout) {
    size_t i, n = 0;
    synadb__svs_pair *p;
    *nout = 0;
    if (count && (!terms || !weights)) return SYNADB_ERR_INVALID_ARG;
    if (count > SYNADB__SVS_MAX_NNZ) return SYNADB_ERR_TOO_LARGE;
    for (i = 0; i < count; i++) { float w = weights[i]; if (w != w || w - w != 0.0f) return SYNADB_ERR_BAD_VECTOR; }
    if (count > *cap) {
        p = (synadb__svs_pair *)SYNADB__REALLOC(a, *buf, count * sizeof *p);
        if (!p) return SYNADB_ERR_NO_MEMORY;
        *buf = p; *cap = count;
    }
    p = *buf;
    for (i = 0; i < count; i++) { p[i].t = terms[i]; p[i].w = weights[i]; p[i].i = (uint32_t)i; }
    if (count > 1) qsort(p, count, sizeof *p, synadb__svs_pair_cmp);
    for (i = 0; i < count; i++) {
        if (i + 1 < count && p[i + 1].t == p[i].t) continue;   /* a later duplicate wins */
        if (p[i].w > 0.0f) p[n++] = p[i];
    }
    *nout = n;
    return SYNADB_OK;
}

/* Reserves everything adding one document of nnz terms needs, so applying cannot fail. */
SYNADB_PRIVATE synadb_result synadb__svs_reserve(synadb_svs *s, const synadb__svs_pair *p, size_t nnz) {
    size_t i;
    uint32_t fresh = 0;
    if (s->ndocs >= 0xFFFFFFF0u) return SYNADB_ERR_FULL;
    if (s->ndocs == s->docs_cap) {
        uint64_t nc = s->docs_cap ? s->docs_cap * 2 : 1024;
        synadb__svs_doc *nd = (synadb__svs_doc *)SYNADB__REALLOC(&s->a, s->docs, (size_t)nc * sizeof *nd);
        if (!nd) return SYNADB_ERR_NO_MEMORY;
        s->docs = nd; s->docs_cap = nc;
    }
    if (synadb__svs_kreserve(s, 1)) return SYNADB_ERR_NO_MEMORY;
    for (i = 0; i < nnz; i++) if (synadb__svs_tfind(s, p[i].t) == UINT32_MAX) fresh++;
    if (fresh && synadb__svs_treserve(s, fresh)) return SYNADB_ERR_NO_MEMORY;
    for (i = 0; i < nnz; i++) {
        uint32_t v = synadb__svs_tget(s, p[i].t);
        synadb__svs_term *t = &s->terms[v];
        if (t->n == t->cap) {
            uint32_t nc = t->cap ? (t->cap < 1024 ? t->cap * 2 : t->cap + t->cap / 2) : 4;
            synadb__svs_post *np;
            synadb__svs_blk *nb;
            if (t->cap >= 0xF0000000u) return SYNADB_ERR_FULL;
            /* the block array first: if the postings fail to grow, a larger block array is harmless */
            nb = (synadb__svs_blk *)SYNADB__REALLOC(&s->a, t->b, (size_t)((nc + SYNADB__SVS_BLK - 1) / SYNADB__SVS_BLK) * sizeof *nb);
            if (!nb) return SYNADB_ERR_NO_MEMORY;
            t->b = nb;
            np = (synadb__svs_post *)SYNADB__REALLOC(&s->a, t->p, (size_t)nc * sizeof *np);
            if (!np) return SYNADB_ERR_NO_MEMORY;
            t->p = np; t->cap = nc;
        }
    }
    return SYNADB_OK;
}
SYNADB_PRIVATE void synadb__svs_kill(synadb_svs *s, uint32_t d) {
    s->docs[d].live = 0;
    s->live--;
    s->live_post -= s->docs[d].nnz;
    s->dead_post += s->docs[d].nnz;
}
/* Applies an index (room reserved, key stored). */
SYNADB_PRIVATE void synadb__svs_apply_index(synadb_svs *s, const char *skey, uint64_t doc, const synadb__svs_pair *p, size_t nnz) {
    size_t i;
    uint64_t ks = synadb__svs_kslot(s, skey, synadb__kstore_len(skey));
    uint32_t old = s->kmap[ks];
    if (old != SYNADB__SVS_NODOC) synadb__svs_kill(s, old);
    else s->kmap_n++;
    s->kmap[ks] = (uint32_t)doc;
    while (s->ndocs < doc) { s->docs[s->ndocs].key = NULL; s->docs[s->ndocs].nnz = 0; s->docs[s->ndocs].live = 0; s->ndocs++; }
    s->docs[doc].key = skey; s->docs[doc].nnz = (uint32_t)nnz; s->docs[doc].live = 1;
    s->ndocs = doc + 1;
    s->live++;
    s->live_post += nnz;
    for (i = 0; i < nnz; i++) {
        synadb__svs_term *t = &s->terms[synadb__svs_tfind(s, p[i].t)];
        synadb__svs_blk *b = &t->b[t->n / SYNADB__SVS_BLK];
        if (t->n % SYNADB__SVS_BLK == 0) { b->first = (uint32_t)doc; b->maxw = p[i].w; }
        else if (p[i].w > b->maxw) b->maxw = p[i].w;
        b->last = (uint32_t)doc;
        t->p[t->n].doc = (uint32_t)doc; t->p[t->n].w = p[i].w; t->n++;
    }
}
/* Drops dead postings and rebuilds the block summaries. */
SYNADB_PRIVATE void synadb__svs_purge(synadb_svs *s) {
    uint32_t i, j, n;
    for (i = 0; i < s->nterms; i++) {
        synadb__svs_term *t = &s->terms[i];
        for (j = n = 0; j < t->n; j++) if (s->docs[t->p[j].doc].live) {
            synadb__svs_blk *b = &t->b[n / SYNADB__SVS_BLK];
            if (n % SYNADB__SVS_BLK == 0) { b->first = t->p[j].doc; b->maxw = t->p[j].w; }
            else if (t->p[j].w > b->maxw) b->maxw = t->p[j].w;
            b->last = t->p[j].doc;
            t->p[n++] = t->p[j];
        }
        t->n = n;
    }
    s->dead_post = 0;
}
SYNADB_PRIVATE void synadb__svs_maybe_purge(synadb_svs *s) {
    if (s->dead_post > 65536 && s->dead_post > s->live_post) synadb__svs_purge(s);
}

/* ---- the log ---- */
SYNADB_PRIVATE void synadb__svs_header(uint8_t *h) {
    memset(h, 0, SYNADB__SVS_HDR);
    memcpy(h, synadb__svs_magic, 8);
    synadb__wr32(h + 8, 1);
    synadb__wr32(h + 16, synadb_crc32c(0, h, 16));
}
/* Encodes a record into buf (room: PFX + BODY + klen + 8 nnz). Returns its size. */
SYNADB_PRIVATE size_t synadb__svs_encode(uint8_t *buf, uint64_t seq, int type, uint64_t doc, const char *key, size_t klen,
                                         const synadb__svs_pair *p, size_t nnz) {
    uint8_t *b = buf + SYNADB__SVS_PFX;
    size_t blen = SYNADB__SVS_BODY + klen + 8 * nnz, i;
    synadb__wr64(b, seq);
    b[8] = (uint8_t)type; b[9] = b[10] = b[11] = 0;
    synadb__wr64(b + 12, doc);
    synadb__wr32(b + 20, (uint32_t)klen);
    synadb__wr32(b + 24, (uint32_t)nnz);
    synadb__wr32(b + 28, 0);
    memcpy(b + SYNADB__SVS_BODY, key, klen);
    for (i = 0; i < nnz; i++) {
        uint32_t wb;
        memcpy(&wb, &p[i].w, 4);
        synadb__wr32(b + SYNADB__SVS_BODY + klen + 8 * i, p[i].t);
        synadb__wr32(b + SYNADB__SVS_BODY + klen + 8 * i + 4, wb);
    }
    synadb__wr32(buf, (uint32_t)blen);
    synadb__wr32(buf + 4, synadb_crc32c(0, buf, 4));
    synadb__wr32(buf + 8, synadb_crc32c(0, b, blen));
    return SYNADB__SVS_PFX + blen;
}
/* Appends one record to the log (nothing in memory mode). */
SYNADB_PRIVATE synadb_result synadb__svs_append(synadb_svs *s, int type, uint64_t doc, const char *key, size_t klen,
                                                const synadb__svs_pair *p, size_t nnz) {
    size_t need = SYNADB__SVS_PFX + SYNADB__SVS_BODY + klen + 8 * nnz, len;
    uint8_t *buf;
    int e;
    if (s->fd == SYNADB__BADFD) return SYNADB_OK;
    if (s->poisoned) return synadb__svserr(s, SYNADB_ERR_POISONED, "an earlier write failed; reopen the store");
    buf = (uint8_t *)SYNADB__ALLOC(&s->a, need);
    if (!buf) return synadb__svserr(s, SYNADB_ERR_NO_MEMORY, "out of memory");
    len = synadb__svs_encode(buf, s->seq + 1, type, doc, key, klen, p, nnz);
    e = synadb__pwrite(s->fd, buf, len, s->end);
    if (!e && s->sync) e = synadb__fsync(s->fd);
    SYNADB__FREE(&s->a, buf);
    if (e) {
        /* take the partial record back; if even that fails the file's tail is unknown */
        if (synadb__ftruncate(s->fd, s->end)) s->poisoned = 1;
        return synadb__svserr(s, synadb__oserr_code(e), "writing %s failed (errno %d)", s->path, e);
    }
    s->end += len;
    s->seq++;
    return SYNADB_OK;
}

/* A buffered sequential reader over the log. */
typedef struct synadb__svs_rd { synadb__fd fd; uint64_t fsize, boff; uint8_t *buf; size_t blen, cap; const synadb_allocator *a; } synadb__svs_rd;
/* Makes [off, off+n) available; returns a pointer, or NULL (errno in *e, 0 = out of memory). */
SYNADB_PRIVATE const uint8_t *synadb__svs_rget(synadb__svs_rd *r, uint64_t off, size_t n, int *e) {
    size_t want;
    *e = 0;
    if (off >= r->boff && off + n <= r->boff + r->blen) return r->buf + (off - r->boff);
    want = n > ((size_t)1 << 22) ? n : ((size_t)1 << 22);
    if (want > r->fsize - off) want = (size_t)(r->fsize - off);
    if (want > r->cap) {
        uint8_t *nb = (uint8_t *)SYNADB__REALLOC(r->a, r->buf, want);
        if (!nb) return NULL;
        r->buf = nb; r->cap = want;
    }
    *e = synadb__pread(r->fd, r->buf, want, off);
    if (*e) { r->blen = 0; return NULL; }
    r->boff = off; r->blen = want;
    return r->buf;
}

/* Replays the log from SYNADB__SVS_HDR; *valid_end = end of the last good record. */
SYNADB_PRIVATE synadb_result synadb__svs_replay(synadb_svs *s, synadb__svs_rd *rd, uint64_t *valid_end) {
    uint64_t pos = SYNADB__SVS_HDR, prevseq = 0;
    int first = 1, e;
    while (pos < rd->fsize) {
        const uint8_t *px, *b;
        uint32_t blen, klen, nnz, type;
        uint64_t doc, seq, i;
        if (rd->fsize - pos < SYNADB__SVS_PFX) break;                       /* torn */
        px = synadb__svs_rget(rd, pos, SYNADB__SVS_PFX, &e);
        if (!px) return synadb__svserr(s, e ? SYNADB_ERR_IO : SYNADB_ERR_NO_MEMORY, "reading %s failed (errno %d)", s->path, e);
        blen = synadb__rd32(px);
        if (synadb__rd32(px + 4) != synadb_crc32c(0, px, 4)) {
            /* a zero-filled tail (file grown, data never written) is a torn write */
            uint64_t q;
            for (q = pos; q < rd->fsize;) {
                size_t c = (size_t)(rd->fsize - q < 65536 ? rd->fsize - q : 65536), j;
                const uint8_t *z = synadb__svs_rget(rd, q, c, &e);
                if (!z) return synadb__svserr(s, e ? SYNADB_ERR_IO : SYNADB_ERR_NO_MEMORY, "reading %s failed (errno %d)", s->path, e);
                for (j = 0; j < c; j++) if (z[j]) return synadb__svserr(s, SYNADB_ERR_CORRUPT, "%s: damaged record header at offset %llu", s->path, (unsigned long long)pos);
                q += c;
            }
            break;
        }
        if (blen < SYNADB__SVS_BODY) return synadb__svserr(s, SYNADB_ERR_CORRUPT, "%s: bad record length at offset %llu", s->path, (unsigned long long)pos);
        if (blen > rd->fsize - pos - SYNADB__SVS_PFX) break;                 /* torn */
        b = synadb__svs_rget(rd, pos + SYNADB__SVS_PFX, blen, &e);
        if (!b) return synadb__svserr(s, e ? SYNADB_ERR_IO : SYNADB_ERR_NO_MEMORY, "reading %s failed (errno %d)", s->path, e);
        {
            const uint8_t *px2 = synadb__svs_rget(rd, pos, SYNADB__SVS_PFX + blen, &e);
            if (!px2) return synadb__svserr(s, e ? SYNADB_ERR_IO : SYNADB_ERR_NO_MEMORY, "reading %s failed (errno %d)", s->path, e);
            b = px2 + SYNADB__SVS_PFX;
            if (synadb__rd32(px2 + 8) != synadb_crc32c(0, b, blen)) {
                if (pos + SYNADB__SVS_PFX + blen == rd->fsize) break;       /* torn last record */
                return synadb__svserr(s, SYNADB_ERR_CORRUPT, "%s: record at offset %llu does not match its checksum", s->path, (unsigned long long)pos);
            }
        }
        seq = synadb__rd64(b);
        type = b[8];
        doc = synadb__rd64(b + 12);
        klen = synadb__rd32(b + 20);
        nnz = synadb__rd32(b + 24);
        if (!first && seq != prevseq + 1) return synadb__svserr(s, SYNADB_ERR_CORRUPT, "%s: record sequence broken at offset %llu", s->path, (unsigned long long)pos);
        if ((type != 1 && type != 2) || b[9] || b[10] || b[11] || !klen || klen > 0xffff || nnz > SYNADB__SVS_MAX_NNZ ||
            (uint64_t)blen != SYNADB__SVS_BODY + (uint64_t)klen + 8 * (uint64_t)nnz || (type == 2 && nnz))
            return synadb__svserr(s, SYNADB_ERR_CORRUPT, "%s: malformed record at offset %llu", s->path, (unsigned long long)pos);
        if (type == 1) {
            synadb__svs_pair *p;
            const char *skey;
            synadb_result r;
            if (doc < s->ndocs || doc >= 0xFFFFFFF0u) return synadb__svserr(s, SYNADB_ERR_CORRUPT, "%s: doc id out of order at offset %llu", s->path, (unsigned long long)pos);
            if (nnz > s->scratch_cap) {
                p = (synadb__svs_pair *)SYNADB__REALLOC(&s->a, s->scratch, (size_t)nnz * sizeof *p);
                if (!p) return synadb__svserr(s, SYNADB_ERR_NO_MEMORY, "out of memory");
                s->scratch = p; s->scratch_cap = nnz;
            }
            p = s->scratch;
            for (i = 0; i < nnz; i++) {
                uint32_t wb = synadb__rd32(b + SYNADB__SVS_BODY + klen + 8 * i + 4);
                p[i].t = synadb__rd32(b + SYNADB__SVS_BODY + klen + 8 * i);
                memcpy(&p[i].w, &wb, 4);
                if (!(p[i].w > 0.0f) || p[i].w - p[i].w != 0.0f || (i && p[i].t <= p[i - 1].t))
                    return synadb__svserr(s, SYNADB_ERR_CORRUPT, "%s: malformed vector at offset %llu", s->path, (unsigned long long)pos);
            }
            /* grow the doc table to doc + 1 */
            while (s->docs_cap <= doc) {
                uint64_t nc = s->docs_cap ? s->docs_cap * 2 : 1024;
                synadb__svs_doc *nd = (synadb__svs_doc *)SYNADB__REALLOC(&s->a, s->docs, (size_t)nc * sizeof *nd);
                if (!nd) return synadb__svserr(s, SYNADB_ERR_NO_MEMORY, "out of memory");
                s->docs = nd; s->docs_cap = nc;
            }
            r = synadb__svs_reserve(s, p, nnz);
            if (r) return synadb__svserr(s, r, "replaying %s: out of memory", s->path);
            {   /* key storage: reuse the current doc's copy when re-indexed */
                uint32_t cur = synadb__svs_kfind(s, (const char *)b + SYNADB__SVS_BODY, klen);
                skey = cur != SYNADB__SVS_NODOC ? s->docs[cur].key : synadb__kstore_add(&s->a, &s->keys, (const char *)b + SYNADB__SVS_BODY, klen);
                if (!skey) return synadb__svserr(s, SYNADB_ERR_NO_MEMORY, "out of memory");
            }
            synadb__svs_apply_index(s, skey, doc, p, nnz);
        } else {
            uint64_t ks;
            if (!s->kmap_cap) return synadb__svserr(s, SYNADB_ERR_CORRUPT, "%s: delete of an unknown key at offset %llu", s->path, (unsigned long long)pos);
            ks = synadb__svs_kslot(s, (const char *)b + SYNADB__SVS_BODY, klen);
            if (s->kmap[ks] == SYNADB__SVS_NODOC || s->kmap[ks] != doc)
                return synadb__svserr(s, SYNADB_ERR_CORRUPT, "%s: delete of an unknown key at offset %llu", s->path, (unsigned long long)pos);
            synadb__svs_kill(s, (uint32_t)doc);
            synadb__svs_kremove(s, ks);
        }
        prevseq = seq;
        first = 0;
        s->seq = seq;
        pos += SYNADB__SVS_PFX + blen;
    }
    *valid_end = pos;
    return SYNADB_OK;
}

SYNADB_PRIVATE void synadb__svs_free(synadb_svs *s) {
    uint32_t i;
    synadb_allocator a = s->a;
    if (s->fd != SYNADB__BADFD) synadb__fclose(s->fd);
    for (i = 0; i < s->nterms; i++) { SYNADB__FREE(&a, s->terms[i].p); SYNADB__FREE(&a, s->terms[i].b); }
    SYNADB__FREE(&a, s->terms);
    SYNADB__FREE(&a, s->tmap);
    SYNADB__FREE(&a, s->docs);
    SYNADB__FREE(&a, s->kmap);
    SYNADB__FREE(&a, s->scratch);
    SYNADB__FREE(&a, s->path);
    synadb__kstore_free(&a, &s->keys);
    synadb__rw_destroy(&s->lock);
    synadb__mutex_destroy(&s->emu);
    SYNADB__FREE(&a, s);
}

/* Opens the log at s->path: creates it, or replays it. */
SYNADB_PRIVATE synadb_result synadb__svs_load(synadb_svs *s, int no_create) {
    uint64_t fsize = 0, valid_end = 0;
    uint8_t hdr[SYNADB__SVS_HDR];
    synadb__svs_rd rd;
    synadb_result r;
    int e, existed = synadb__path_exists(s->path);
    if (!existed && no_create) return synadb__svserr(s, SYNADB_ERR_NOT_FOUND, "%s does not exist", s->path);
    e = synadb__fopen(s->path, 2, &s->fd);
    if (e) { s->fd = SYNADB__BADFD; return synadb__svserr(s, synadb__oserr_code(e), "open %s: errno %d", s->path, e); }
    e = synadb__flock(s->fd);
    if (e) return synadb__svserr(s, synadb__oserr_code(e), "%s is open for writing elsewhere (errno %d)", s->path, e);
    e = synadb__fsize(s->fd, &fsize);
    if (e) return synadb__svserr(s, SYNADB_ERR_IO, "stat %s: errno %d", s->path, e);
    if (fsize < SYNADB__SVS_HDR) {
        /* empty, or a header torn while the file was created: start it (again) */
        uint8_t m[SYNADB__SVS_HDR];
        size_t j;
        if (fsize) {
            e = synadb__pread(s->fd, m, (size_t)fsize, 0);
            if (e) return synadb__svserr(s, SYNADB_ERR_IO, "read %s: errno %d", s->path, e);
            for (j = 0; j < fsize && j < 8; j++) if (m[j] != synadb__svs_magic[j]) break;
            if (j < (fsize < 8 ? fsize : 8)) return synadb__svserr(s, SYNADB_ERR_NOT_A_DATABASE, "%s is not a SynaDB sparse store", s->path);
        }
        synadb__svs_header(hdr);
        e = synadb__ftruncate(s->fd, 0);
        if (!e) e = synadb__pwrite(s->fd, hdr, SYNADB__SVS_HDR, 0);
        if (!e) e = synadb__fsync(s->fd);
        if (!e && !existed) e = synadb__sync_dir(s->path);
        if (e) return synadb__svserr(s, synadb__oserr_code(e), "creating %s failed (errno %d)", s->path, e);
        s->end = SYNADB__SVS_HDR;
        return SYNADB_OK;
    }
    e = synadb__pread(s->fd, hdr, SYNADB__SVS_HDR, 0);
    if (e) return synadb__svserr(s, SYNADB_ERR_IO, "read %s: errno %d", s->path, e);
    if (memcmp(hdr, synadb__svs_magic, 8)) return synadb__svserr(s, SYNADB_ERR_NOT_A_DATABASE, "%s is not a SynaDB sparse store (bad magic)", s->path);
    if (synadb__rd32(hdr + 16) != synadb_crc32c(0, hdr, 16)) return synadb__svserr(s, SYNADB_ERR_CORRUPT, "%s: header checksum mismatch", s->path);
    if (synadb__rd32(hdr + 8) != 1) return synadb__svserr(s, SYNADB_ERR_VERSION, "%s: format version %u not supported", s->path, synadb__rd32(hdr + 8));
    memset(&rd, 0, sizeof rd);
    rd.fd = s->fd; rd.fsize = fsize; rd.a = &s->a;
    r = synadb__svs_replay(s, &rd, &valid_end);
    SYNADB__FREE(&s->a, rd.buf);
    if (r) return r;
    if (valid_end < fsize) {   /* cut the torn tail */
        e = synadb__ftruncate(s->fd, valid_end);
        if (!e) e = synadb__fsync(s->fd);
        if (e) return synadb__svserr(s, synadb__oserr_code(e), "cutting the torn tail of %s failed (errno %d)", s->path, e);
    }
    s->end = valid_end;
    synadb__svs_maybe_purge(s);
    return SYNADB_OK;
}

SYNADB_VEC_API synadb_result synadb_svs_open_ex(const char *path, const synadb_svs_config *cfg, synadb_svs **out,
                                                char *errbuf, size_t errbuf_len) {
    synadb_svs_config c = synadb_svs_config_default();
    synadb_allocator a;
    synadb_svs *s;
    synadb_result r = SYNADB_OK;
    if (errbuf && errbuf_len) errbuf[0] = 0;
    if (!out) return SYNADB_ERR_INVALID_ARG;
    *out = NULL;
    if (cfg) {
        size_t n = cfg->struct_size && cfg->struct_size < sizeof c ? cfg->struct_size : sizeof c;
        memcpy(&c, cfg, n);
    }
    if (path && !*path) return SYNADB_ERR_INVALID_ARG;
    a = synadb__allocator_or_default(&c.allocator);
    s = (synadb_svs *)SYNADB__ALLOC(&a, sizeof *s);
    if (!s) return SYNADB_ERR_NO_MEMORY;
    memset(s, 0, sizeof *s);
    s->a = a;
    s->fd = SYNADB__BADFD;
    s->sync = c.sync_on_write != 0;
    synadb__rw_init(&s->lock);
    synadb__mutex_init(&s->emu);
    if (path) {
        s->path = (char *)SYNADB__ALLOC(&a, strlen(path) + 1);
        if (!s->path) r = SYNADB_ERR_NO_MEMORY;
        else { strcpy(s->path, path); r = synadb__svs_load(s, c.no_create != 0); }
    }
    if (r) {
        if (errbuf && errbuf_len) snprintf(errbuf, errbuf_len, "%s", s->errmsg);
        synadb__svs_free(s);
        return r;
    }
    *out = s;
    return SYNADB_OK;
}
SYNADB_VEC_API synadb_result synadb_svs_open(const char *path, const synadb_svs_config *cfg, synadb_svs **out) {
    return synadb_svs_open_ex(path, cfg, out, NULL, 0);
}
SYNADB_VEC_API synadb_result synadb_svs_close(synadb_svs *s) {
    if (!s) return SYNADB_ERR_INVALID_ARG;
    synadb__svs_free(s);
    return SYNADB_OK;
}

SYNADB_VEC_API synadb_result synadb_svs_index(synadb_svs *s, const char *key, size_t key_len, const uint32_t *term_ids,
                                              const float *weights, size_t count, uint64_t *out_doc_id) {
    synadb_result r;
    size_t nnz = 0;
    const char *skey;
    uint32_t cur;
    uint64_t doc;
    if (!s) return SYNADB_ERR_INVALID_ARG;
    if (!key) return synadb__svserr(s, SYNADB_ERR_INVALID_ARG, "key is NULL");
    if (key_len == SYNADB_NTS) key_len = strlen(key);
    if (!key_len) return synadb__svserr(s, SYNADB_ERR_EMPTY_KEY, "empty key");
    if (key_len > 0xffff) return synadb__svserr(s, SYNADB_ERR_KEY_TOO_LONG, "key of %llu bytes (at most 65535)", (unsigned long long)key_len);
    if (count && (!term_ids || !weights)) return synadb__svserr(s, SYNADB_ERR_INVALID_ARG, "term_ids or weights is NULL");
    synadb__rw_wrlock(&s->lock);
    r = synadb__svs_norm(&s->a, &s->scratch, &s->scratch_cap, term_ids, weights, count, &nnz);
    if (r) { synadb__svserr(s, r, r == SYNADB_ERR_BAD_VECTOR ? "a weight is NaN or infinite" : "bad vector"); goto out; }
    r = synadb__svs_reserve(s, s->scratch, nnz);
    if (r) { synadb__svserr(s, r, "cannot grow the index"); goto out; }
    cur = synadb__svs_kfind(s, key, key_len);
    skey = cur != SYNADB__SVS_NODOC ? s->docs[cur].key : synadb__kstore_add(&s->a, &s->keys, key, key_len);
    if (!skey) { r = synadb__svserr(s, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
    doc = s->ndocs;
    r = synadb__svs_append(s, 1, doc, key, key_len, s->scratch, nnz);
    if (r) goto out;
    synadb__svs_apply_index(s, skey, doc, s->scratch, nnz);
    synadb__svs_maybe_purge(s);
    if (out_doc_id) *out_doc_id = doc;
out:
    synadb__rw_wrunlock(&s->lock);
    return r;
}

SYNADB_VEC_API synadb_result synadb_svs_delete(synadb_svs *s, const char *key, size_t key_len) {
    synadb_result r = SYNADB_OK;
    uint64_t ks;
    uint32_t d;
    if (!s) return SYNADB_ERR_INVALID_ARG;
    if (!key) return synadb__svserr(s, SYNADB_ERR_INVALID_ARG, "key is NULL");
    if (key_len == SYNADB_NTS) key_len = strlen(key);
    if (!key_len) return synadb__svserr(s, SYNADB_ERR_EMPTY_KEY, "empty key");
    if (key_len > 0xffff) return synadb__svserr(s, SYNADB_ERR_KEY_TOO_LONG, "key too long");
    synadb__rw_wrlock(&s->lock);
    if (!s->kmap_cap || (d = s->kmap[ks = synadb__svs_kslot(s, key, key_len)]) == SYNADB__SVS_NODOC) {
        r = synadb__svserr(s, SYNADB_ERR_KEY_NOT_FOUND, "key not found");
        goto out;
    }
    r = synadb__svs_append(s, 2, d, key, key_len, NULL, 0);
    if (r) goto out;
    synadb__svs_kill(s, d);
    synadb__svs_kremove(s, ks);
    synadb__svs_maybe_purge(s);
out:
    synadb__rw_wrunlock(&s->lock);
    return r;
}

SYNADB_VEC_API int synadb_svs_contains(synadb_svs *s, const char *key, size_t key_len) {
    int found;
    if (!s || !key) return 0;
    if (key_len == SYNADB_NTS) key_len = strlen(key);
    if (!key_len || key_len > 0xffff) return 0;
    synadb__rw_rdlock(&s->lock);
    found = synadb__svs_kfind(s, key, key_len) != SYNADB__SVS_NODOC;
    synadb__rw_rdunlock(&s->lock);
    return found;
}
SYNADB_VEC_API size_t synadb_svs_len(synadb_svs *s) {
    size_t n;
    if (!s) return 0;
    synadb__rw_rdlock(&s->lock);
    n = (size_t)s->live;
    synadb__rw_rdunlock(&s->lock);
    return n;
}
SYNADB_VEC_API synadb_result synadb_svs_stats_get(synadb_svs *s, synadb_svs_stats *out) {
    uint32_t i, j;
    if (!s || !out) return SYNADB_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    synadb__rw_rdlock(&s->lock);
    out->documents = s->live;
    out->postings = s->live_post;
    out->mean_nnz = s->live ? (double)s->live_post / (double)s->live : 0.0;
    out->next_doc_id = s->ndocs;
    out->file_bytes = s->fd != SYNADB__BADFD ? s->end : 0;
    for (i = 0; i < s->nterms; i++) {
        const synadb__svs_term *t = &s->terms[i];
        if (!s->dead_post) { out->terms += t->n > 0; continue; }
        for (j = 0; j < t->n; j++) if (s->docs[t->p[j].doc].live) { out->terms++; break; }
    }
    synadb__rw_rdunlock(&s->lock);
    return SYNADB_OK;
}

/* ---- search ---- */
typedef struct synadb__svs_qt { const synadb__svs_post *p; const synadb__svs_blk *b; uint32_t n, pos, nb, bi, wb; double qw, bq, lub; } synadb__svs_qt;
/* docs per search window (a multiple of 64) */
#define SYNADB__SVS_WIN 4096u
/* a non-essential list is merged with a window's candidates when its postings there are at
   most this many times the candidates, else probed per candidate */
#define SYNADB__SVS_MERGE 16u
/* index of the lowest set bit of w != 0 */
SYNADB_PRIVATE unsigned synadb__svs_ctz(uint64_t w) {
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctzll(w);
#else
    static const unsigned char db[64] = {0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4, 62, 55, 59, 36, 53, 51,
                                         43, 22, 45, 39, 33, 30, 24, 18, 12, 5, 63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21,
                                         44, 32, 23, 11, 46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9, 13, 8, 7, 6};
    return db[((w & (0 - w)) * 0x03f79d71b4cb0a89ull) >> 58];
#endif
}
typedef struct synadb__svs_hn { double s; uint32_t d; } synadb__svs_hn;
/* x worse than y: lower score, or equal score and higher doc id */
#define SYNADB__SVS_WORSE(x, y) ((x).s < (y).s || ((x).s == (y).s && (x).d > (y).d))
SYNADB_PRIVATE void synadb__svs_hpush(synadb__svs_hn *h, size_t *n, size_t k, synadb__svs_hn v) {
    size_t i;
    if (*n < k) {
        i = (*n)++;
        while (i > 0 && SYNADB__SVS_WORSE(v, h[(i - 1) / 2])) { h[i] = h[(i - 1) / 2]; i = (i - 1) / 2; }
        h[i] = v;
        return;
    }
    if (!SYNADB__SVS_WORSE(h[0], v)) return;
    i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= k) break;
        if (c + 1 < k && SYNADB__SVS_WORSE(h[c + 1], h[c])) c++;
        if (!SYNADB__SVS_WORSE(h[c], v)) break;
        h[i] = h[c];
        i = c;
    }
    h[i] = v;
}
SYNADB_PRIVATE int synadb__svs_hn_cmp(const void *x, const void *y) {
    const synadb__svs_hn *a = (const synadb__svs_hn *)x, *b = (const synadb__svs_hn *)y;
    return SYNADB__SVS_WORSE(*b, *a) ? -1 : SYNADB__SVS_WORSE(*a, *b) ? 1 : 0;
}
/* First block >= bi whose last doc is >= d, or nb (galloping over the block array). */
SYNADB_PRIVATE uint32_t synadb__svs_bseek(const synadb__svs_blk *b, uint32_t nb, uint32_t bi, uint32_t d) {
    uint32_t lo = bi, hi, step = 1;
    if (bi >= nb || b[bi].last >= d) return bi;
    while (lo + step < nb && b[lo + step].last < d) { lo += step; step *= 2; }
    hi = lo + step < nb ? lo + step : nb;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (b[mid].last < d) lo = mid; else hi = mid;
    }
    return hi;
}
/* Where doc d (first <= d <= last of block bi) would be in block bi of t were the block's
   docs evenly spread. */
SYNADB_PRIVATE uint32_t synadb__svs_guess(const synadb__svs_qt *t, uint32_t bi, uint32_t d) {
    const synadb__svs_blk *b = &t->b[bi];
    uint32_t b0 = bi * SYNADB__SVS_BLK, cnt = t->n - b0 < SYNADB__SVS_BLK ? t->n - b0 : SYNADB__SVS_BLK;
    return b->last > b->first ? b0 + (uint32_t)((uint64_t)(d - b->first) * (cnt - 1) / (b->last - b->first)) : b0;
}
/* Position of doc d in list t, or UINT32_MAX; moves t's cursor (d ascending per list).
   t->bi must be the block that would hold d (synadb__svs_bseek, first <= d <= last). */
SYNADB_PRIVATE uint32_t synadb__svs_find(synadb__svs_qt *t, uint32_t d) {
    const synadb__svs_post *p = t->p;
    uint32_t lo = t->bi * SYNADB__SVS_BLK, g;
    if (lo < t->pos) lo = t->pos;
    /* first position in block bi, from pos on, with doc >= d (the block's last doc is >= d):
       start at the guess, then step */
    g = synadb__svs_guess(t, t->bi, d);
    if (g < lo) g = lo;
    if (p[g].doc < d) { do g++; while (p[g].doc < d); }
    else while (g > lo && p[g - 1].doc >= d) g--;
    t->pos = g;
    return p[g].doc == d ? g : UINT32_MAX;
}
SYNADB_PRIVATE synadb_result synadb__svs_query(synadb_svs *s, const uint32_t *term_ids, const float *weights, size_t count,
                                               size_t k, synadb_vec_hit *out, size_t *out_n, int exhaustive) {
    synadb__svs_pair *qp = NULL;
    size_t qcap = 0, nq = 0, m = 0, i, nh = 0;
    synadb__svs_qt *qt = NULL;
    synadb__svs_hn *heap = NULL;
    double *prefix = NULL, theta = -1.0;
    synadb_result r;
    if (out_n) *out_n = 0;
    if (!s) return SYNADB_ERR_INVALID_ARG;
    if (!out_n || (k && !out)) return synadb__svserr(s, SYNADB_ERR_INVALID_ARG, "out or out_n is NULL");
    if (count && (!term_ids || !weights)) return synadb__svserr(s, SYNADB_ERR_INVALID_ARG, "term_ids or weights is NULL");
    r = synadb__svs_norm(&s->a, &qp, &qcap, term_ids, weights, count, &nq);
    if (r) { SYNADB__FREE(&s->a, qp); return synadb__svserr(s, r, r == SYNADB_ERR_BAD_VECTOR ? "a query weight is NaN or infinite" : "bad query"); }
    if (!k || !nq) { SYNADB__FREE(&s->a, qp); return SYNADB_OK; }
    if (k > 0x10000000u) k = 0x10000000u;
    synadb__rw_rdlock(&s->lock);
    if (k > s->live) k = (size_t)s->live;
    qt = (synadb__svs_qt *)SYNADB__ALLOC(&s->a, nq * sizeof *qt);
    prefix = (double *)SYNADB__ALLOC(&s->a, (nq + 1) * sizeof *prefix);
    heap = (synadb__svs_hn *)SYNADB__ALLOC(&s->a, (k ? k : 1) * sizeof *heap);
    if (!qt || !prefix || !heap) { r = synadb__svserr(s, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
    if (!k) goto out;
    for (i = 0; i < nq; i++) {
        uint32_t v = synadb__svs_tfind(s, qp[i].t);
        if (v == UINT32_MAX || !s->terms[v].n) continue;
        qt[m].p = s->terms[v].p; qt[m].b = s->terms[v].b; qt[m].n = s->terms[v].n; qt[m].pos = 0;
        qt[m].nb = (qt[m].n + SYNADB__SVS_BLK - 1) / SYNADB__SVS_BLK; qt[m].bi = 0;
        qt[m].qw = qp[i].w;
        qt[m].bq = (double)qp[i].w * (1.0 + 1e-6);
        m++;
    }
    if (exhaustive) {
        /* term at a time into a dense accumulator */
        double *acc = (double *)SYNADB__ALLOC(&s->a, (size_t)(s->ndocs ? s->ndocs : 1) * sizeof *acc);
        uint64_t d;
        if (!acc) { r = synadb__svserr(s, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
        memset(acc, 0, (size_t)(s->ndocs ? s->ndocs : 1) * sizeof *acc);
        for (i = 0; i < m; i++) {
            uint32_t j;
            for (j = 0; j < qt[i].n; j++) acc[qt[i].p[j].doc] += qt[i].qw * qt[i].p[j].w;
        }
        for (d = 0; d < s->ndocs; d++) if (acc[d] > 0 && s->docs[d].live) {
            synadb__svs_hn v;
            v.s = acc[d]; v.d = (uint32_t)d;
            synadb__svs_hpush(heap, &nh, k, v);
        }
        SYNADB__FREE(&s->a, acc);
    } else {
        /* MaxScore over windows of SYNADB__SVS_WIN doc ids (see the section comment). */
        double *acc = (double *)SYNADB__ALLOC(&s->a, SYNADB__SVS_WIN * sizeof *acc);
        uint64_t *bits = (uint64_t *)SYNADB__ALLOC(&s->a, SYNADB__SVS_WIN / 64 * sizeof *bits);
        uint32_t *ord = (uint32_t *)SYNADB__ALLOC(&s->a, (m ? m : 1) * sizeof *ord);
        uint32_t *cand = (uint32_t *)SYNADB__ALLOC(&s->a, SYNADB__SVS_WIN * sizeof *cand);
        uint32_t lo = 0;
        if (!acc || !bits || !ord || !cand) {
            SYNADB__FREE(&s->a, acc); SYNADB__FREE(&s->a, bits); SYNADB__FREE(&s->a, ord); SYNADB__FREE(&s->a, cand);
            r = synadb__svserr(s, SYNADB_ERR_NO_MEMORY, "out of memory");
            goto out;
        }
        memset(acc, 0, SYNADB__SVS_WIN * sizeof *acc);
        memset(bits, 0, SYNADB__SVS_WIN / 64 * sizeof *bits);
        for (;;) {
            uint32_t mind = UINT32_MAX, hi, wi;
            size_t na = 0, ne = 0, nc, c, j;
            for (i = 0; i < m; i++) {   /* the first doc that can be >= lo */
                synadb__svs_qt *t = &qt[i];
                uint32_t f;
                t->bi = synadb__svs_bseek(t->b, t->nb, t->bi, lo);
                if (t->bi >= t->nb) continue;
                f = t->b[t->bi].first > lo ? t->b[t->bi].first : lo;
                if (f < mind) mind = f;
            }
            if (mind == UINT32_MAX) break;
            lo = mind;
            hi = lo < UINT32_MAX - SYNADB__SVS_WIN ? lo + SYNADB__SVS_WIN : UINT32_MAX;
            for (i = 0; i < m; i++) {
                synadb__svs_qt *t = &qt[i];
                uint32_t bi, nb;
                float mx;
                bi = t->bi; nb = t->nb;
                if (bi >= nb || t->b[bi].first >= hi) continue;
                mx = t->b[bi].maxw;
                for (bi++; bi < nb && t->b[bi].first < hi; bi++) if (t->b[bi].maxw > mx) mx = t->b[bi].maxw;
                t->lub = t->bq * (double)mx;
                t->wb = bi - t->bi;   /* blocks in the window */
                for (j = na++; j > 0 && qt[ord[j - 1]].lub > t->lub; j--) ord[j] = ord[j - 1];
                ord[j] = (uint32_t)i;
            }
            prefix[0] = 0;
            for (j = 0; j < na; j++) prefix[j + 1] = prefix[j] + qt[ord[j]].lub;
            if (prefix[na] > theta) {
                while (prefix[ne + 1] <= theta) ne++;
                for (j = ne; j < na; j++) {
                    synadb__svs_qt *t = &qt[ord[j]];
                    const synadb__svs_post *p = t->p;
                    uint32_t pos = t->pos, n = t->n;
                    double qw = t->qw;
                    if (pos < t->bi * SYNADB__SVS_BLK) pos = t->bi * SYNADB__SVS_BLK;
                    while (p[pos].doc < lo) pos++;   /* within block bi, whose last doc is >= lo */
                    for (; pos < n && p[pos].doc < hi; pos++) {
                        uint32_t x = p[pos].doc - lo;
                        acc[x] += qw * p[pos].w;
                        bits[x >> 6] |= (uint64_t)1 << (x & 63);
                    }
                    t->pos = pos;
                }
                /* the candidates that can still beat theta */
                nc = 0;
                for (wi = 0; wi < SYNADB__SVS_WIN / 64; wi++) {
                    uint64_t w = bits[wi];
                    while (w) {
                        uint32_t x = wi * 64 + synadb__svs_ctz(w);
                        w &= w - 1;
                        cand[nc] = x;
                        nc += acc[x] + prefix[ne] > theta;
                    }
                }
                /* the non-essential lists, largest bound first: a list with few postings in
                   the window against many candidates is merged (into every doc the essential
                   lists touched: a superset of the candidates), else probed per candidate */
                for (j = ne; j-- > 0 && nc;) {
                    synadb__svs_qt *t = &qt[ord[j]];
                    size_t nk = 0;
                    if ((size_t)t->wb * SYNADB__SVS_BLK <= SYNADB__SVS_MERGE * nc) {
                        const synadb__svs_post *p = t->p;
                        uint32_t pos = t->pos, n = t->n;
                        double qw = t->qw;
                        if (pos < t->bi * SYNADB__SVS_BLK) pos = t->bi * SYNADB__SVS_BLK;
                        while (p[pos].doc < lo) pos++;
                        for (; pos < n && p[pos].doc < hi; pos++) {
                            uint32_t x = p[pos].doc - lo;
                            if (bits[x >> 6] >> (x & 63) & 1) acc[x] += qw * p[pos].w;
                        }
                        t->pos = pos;
                    } else {
                        uint32_t pb = t->bi;
                        for (c = 0; c < nc; c++) {   /* prefetch where the candidates would be */
                            uint32_t d = lo + cand[c];
                            pb = synadb__svs_bseek(t->b, t->nb, pb, d);
                            if (pb >= t->nb) break;
                            if (t->b[pb].first <= d) SYNADB__PREFETCH(&t->p[synadb__svs_guess(t, pb, d)]);
                        }
                        for (c = 0; c < nc; c++) {
                            uint32_t x = cand[c], d = lo + x, at;
                            t->bi = synadb__svs_bseek(t->b, t->nb, t->bi, d);
                            if (t->bi >= t->nb) break;
                            if (t->b[t->bi].first > d) continue;
                            at = synadb__svs_find(t, d);
                            if (at != UINT32_MAX) acc[x] += t->qw * t->p[at].w;
                        }
                    }
                    for (c = 0; c < nc; c++) {
                        uint32_t x = cand[c];
                        cand[nk] = x;
                        nk += acc[x] + prefix[j] > theta;
                    }
                    nc = nk;
                }
                for (c = 0; c < nc; c++) {
                    uint32_t x = cand[c], d = lo + x;
                    double sc = acc[x];
                    if (sc <= theta || !s->docs[d].live) continue;
                    {
                        synadb__svs_hn v;
                        v.s = sc; v.d = d;
                        synadb__svs_hpush(heap, &nh, k, v);
                    }
                    if (nh == k) theta = heap[0].s;
                }
                /* clear the accumulator */
                for (wi = 0; wi < SYNADB__SVS_WIN / 64; wi++) {
                    uint64_t w = bits[wi];
                    bits[wi] = 0;
                    while (w) { acc[wi * 64 + synadb__svs_ctz(w)] = 0; w &= w - 1; }
                }
            }
            if (hi == UINT32_MAX) break;
            lo = hi;
        }
        SYNADB__FREE(&s->a, acc); SYNADB__FREE(&s->a, bits); SYNADB__FREE(&s->a, ord); SYNADB__FREE(&s->a, cand);
    }
    qsort(heap, nh, sizeof *heap, synadb__svs_hn_cmp);
    for (i = 0; i < nh; i++) {
        out[i].id = heap[i].d;
        out[i].score = (float)heap[i].s;
        out[i].key = s->docs[heap[i].d].key;
        out[i].key_len = synadb__kstore_len(out[i].key);
    }
    *out_n = nh;
out:
    synadb__rw_rdunlock(&s->lock);
    SYNADB__FREE(&s->a, qp);
    SYNADB__FREE(&s->a, qt);
    SYNADB__FREE(&s->a, prefix);
    SYNADB__FREE(&s->a, heap);
    return r;
}
SYNADB_VEC_API synadb_result synadb_svs_search(synadb_svs *s, const uint32_t *term_ids, const float *weights, size_t count,
                                               size_t k, synadb_vec_hit *out, size_t *out_n) {
    return synadb__svs_query(s, term_ids, weights, count, k, out, out_n, 0);
}
SYNADB_VEC_API synadb_result synadb_svs_search_exhaustive(synadb_svs *s, const uint32_t *term_ids, const float *weights,
                                                          size_t count, size_t k, synadb_vec_hit *out, size_t *out_n) {
    return synadb__svs_query(s, term_ids, weights, count, k, out, out_n, 1);
}

/* ---- save / compaction ---- */
SYNADB_PRIVATE int synadb__svs_u64_cmp(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}
SYNADB_VEC_API synadb_result synadb_svs_save(synadb_svs *s, const char *path) {
    synadb_result r = SYNADB_OK;
    uint64_t *off = NULL, d, seq = 0, pos = SYNADB__SVS_HDR;
    synadb__svs_pair *vals = NULL;
    uint32_t *order = NULL, *fill = NULL, i, j;
    uint8_t *buf = NULL, hdr[SYNADB__SVS_HDR];
    size_t bcap = 0, bn = 0;
    char *tmp = NULL;
    synadb__fd fd = SYNADB__BADFD;
    int e = 0, self;
    char a1[4096], a2[4096];
    if (!s) return SYNADB_ERR_INVALID_ARG;
    if (!path && !s->path) return synadb__svserr(s, SYNADB_ERR_INVALID_ARG, "an in-memory store needs a path to save to");
    if (path && !*path) return synadb__svserr(s, SYNADB_ERR_INVALID_ARG, "empty path");
    self = !path || (s->path && !synadb__abspath(path, a1, sizeof a1) && !synadb__abspath(s->path, a2, sizeof a2) && strcmp(a1, a2) == 0);
    if (!path) path = s->path;
    synadb__rw_wrlock(&s->lock);
    if (self) synadb__svs_purge(s);
    /* each live document's vector, gathered from the postings in ascending term order */
    off = (uint64_t *)SYNADB__ALLOC(&s->a, (size_t)(s->ndocs + 1) * sizeof *off);
    fill = (uint32_t *)SYNADB__ALLOC(&s->a, (size_t)(s->ndocs + 1) * sizeof *fill);
    vals = (synadb__svs_pair *)SYNADB__ALLOC(&s->a, (size_t)(s->live_post + 1) * sizeof *vals);
    order = (uint32_t *)SYNADB__ALLOC(&s->a, (size_t)(s->nterms + 1) * sizeof *order);
    tmp = synadb__strcat_alloc(&s->a, path, ".tmp");
    if (!off || !fill || !vals || !order || !tmp) { r = synadb__svserr(s, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
    off[0] = 0;
    for (d = 0; d < s->ndocs; d++) { off[d + 1] = off[d] + (s->docs[d].live ? s->docs[d].nnz : 0); fill[d] = 0; }
    for (i = 0; i < s->nterms; i++) order[i] = i;
    {   /* slots in ascending term id order */
        uint64_t *tmpk = (uint64_t *)SYNADB__ALLOC(&s->a, (size_t)(s->nterms + 1) * sizeof *tmpk);
        if (!tmpk) { r = synadb__svserr(s, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
        for (i = 0; i < s->nterms; i++) tmpk[i] = (uint64_t)s->terms[i].id << 32 | i;
        qsort(tmpk, s->nterms, sizeof *tmpk, synadb__svs_u64_cmp);
        for (i = 0; i < s->nterms; i++) order[i] = (uint32_t)tmpk[i];
        SYNADB__FREE(&s->a, tmpk);
    }
    for (i = 0; i < s->nterms; i++) {
        const synadb__svs_term *t = &s->terms[order[i]];
        for (j = 0; j < t->n; j++) {
            uint32_t dd = t->p[j].doc;
            if (!s->docs[dd].live) continue;
            vals[off[dd] + fill[dd]].t = t->id; vals[off[dd] + fill[dd]].w = t->p[j].w;
            fill[dd]++;
        }
    }
    if (synadb__path_exists(tmp)) synadb__unlink(tmp);
    e = synadb__fopen(tmp, 3, &fd);
    if (e) { r = synadb__svserr(s, synadb__oserr_code(e), "create %s: errno %d", tmp, e); goto out; }
    synadb__svs_header(hdr);
    e = synadb__pwrite(fd, hdr, SYNADB__SVS_HDR, 0);
    for (d = 0; d < s->ndocs && !e; d++) {
        size_t klen, need;
        if (!s->docs[d].live) continue;
        klen = synadb__kstore_len(s->docs[d].key);
        need = SYNADB__SVS_PFX + SYNADB__SVS_BODY + klen + 8 * (size_t)s->docs[d].nnz;
        if (bn + need > bcap) {
            if (bn) { e = synadb__pwrite(fd, buf, bn, pos); pos += bn; bn = 0; if (e) break; }
            if (need > bcap) {
                size_t nc = need > ((size_t)1 << 20) ? need : ((size_t)1 << 20);
                uint8_t *nb = (uint8_t *)SYNADB__REALLOC(&s->a, buf, nc);
                if (!nb) { r = synadb__svserr(s, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
                buf = nb; bcap = nc;
            }
        }
        bn += synadb__svs_encode(buf + bn, ++seq, 1, d, s->docs[d].key, klen, vals + off[d], s->docs[d].nnz);
    }
    if (!e && bn) { e = synadb__pwrite(fd, buf, bn, pos); pos += bn; }
    if (!e) e = synadb__fsync(fd);
    synadb__fclose(fd);
    fd = SYNADB__BADFD;
    if (!e) e = synadb__rename(tmp, path);
    if (!e) e = synadb__sync_dir(path);
    if (e) { synadb__unlink(tmp); r = synadb__svserr(s, synadb__oserr_code(e), "saving %s failed (errno %d)", path, e); goto out; }
    if (self) {   /* continue on the new file */
        synadb__fd nfd;
        e = synadb__fopen(path, 1, &nfd);
        if (!e) e = synadb__flock(nfd);
        if (e) { s->poisoned = 1; r = synadb__svserr(s, synadb__oserr_code(e), "reopening %s after compaction failed (errno %d)", path, e); goto out; }
        if (s->fd != SYNADB__BADFD) synadb__fclose(s->fd);
        s->fd = nfd;
        s->end = pos;
        s->seq = seq;
        s->poisoned = 0;
    }
out:
    if (fd != SYNADB__BADFD) synadb__fclose(fd);
    synadb__rw_wrunlock(&s->lock);
    SYNADB__FREE(&s->a, off);
    SYNADB__FREE(&s->a, fill);
    SYNADB__FREE(&s->a, vals);
    SYNADB__FREE(&s->a, order);
    SYNADB__FREE(&s->a, buf);
    SYNADB__FREE(&s->a, tmp);
    return r;
}

/* ======================================================================== >>vec.cascade
   Cascade index. The graph is a synadb_hnsw kept flat (every node on layer 0, keyed by the
   vector's key); the LSH tables and bucket trees hand it starting points for inserts and
   searches. Bucket trees hold node ids; ids of replaced or deleted nodes are skipped when
   read and dropped when a leaf splits. They are not saved: opening a file rebuilds them from
   the live nodes in node order (hashing is deterministic). Trees grown otherwise (deletes,
   replacements, threaded batches filing out of order) split differently, so a save rebuilds
   them the same way then: searches after a save answer as they will after a reopen.

   File format version 1 (little-endian):
     0     header, 4096 bytes: magic "SYNACASC", u32 version, u32 dims, u32 metric,
           u32 num_bits, u32 num_tables, u32 split_threshold, u32 max_bucket_depth, u32 m,
           u32 ef_construction, u32 num_probes, u32 ef_search, u32 max_entries (at 52),
           u64 seed (56), u32 centre set (64), u32 0, u64 planes offset (72), u64 planes
           length (80), u32 planes CRC32C (88), u32 0, u64 graph offset (96), u64 graph
           length (104), zeros, u32 CRC32C of bytes 0..4091 at 4092
     4096  planes: num_tables x num_bits x dims f32 (unit hyperplane normals), then the
           centre (dims f32); zeros to a multiple of 4096
     then  the graph: an .hnsw image (see >>vec.hnswfile) with the keys */
#define SYNADB__CC_HDR 4096u
#define SYNADB__CC_NONE 0xFFFFFFFFu
#define SYNADB__CC_MAX_ENTRIES 4096u
static const uint8_t synadb__cc_magic[8] = {'S', 'Y', 'N', 'A', 'C', 'A', 'S', 'C'};

typedef struct synadb__cnode {
    uint32_t *ids;               /* leaf: members */
    uint32_t n, cap;
    uint32_t child[2];           /* internal: children (NONE for a leaf) */
    uint32_t plane;              /* internal: split plane index */
    uint32_t retry;              /* leaf: no split is tried before it holds this many */
    uint32_t depth;
} synadb__cnode;

struct synadb_cascade {
    synadb_allocator a;
    synadb_hnsw *g;
    char *path;
    synadb_cascade_config cfg;   /* normalised; allocator = a */
    uint32_t dims, bits, tables;
    int metric;
    float *planes;               /* tables x bits x dims */
    float *centre;               /* dims */
    float *cproj;                /* tables x bits: centre . plane */
    int has_centre;
    uint32_t *roots;             /* tables x 2^bits */
    synadb__cnode *nodes;
    uint32_t nnodes, ncap;
    float *splits;               /* per split plane: dims normal + 1 offset */
    uint32_t nsplits, scap;
    synadb__rwlock rw;           /* buckets; shared for reads */
    synadb__mutex emu;
    int dirty;
    /* whether the buckets still are what opening the saved file rebuilds (nodes filed in node
       order, none deleted or replaced since they were last built): see synadb_cascade_save_as */
    uint64_t tree_ndeleted;      /* the graph's ndeleted when the buckets were last built */
    uint32_t next_file;          /* node ids below this were filed */
    int unordered;               /* a node was filed after a higher one */
    char errmsg[512];
};

SYNADB__DEFINE_ERR(synadb__ccerr, synadb_cascade)
SYNADB_VEC_API const char *synadb_cascade_errmsg(const synadb_cascade *c) { return c ? c->errmsg : "no index"; }

SYNADB_VEC_API synadb_cascade_config synadb_cascade_config_preset(uint32_t dims, synadb_metric m, synadb_cascade_preset p) {
    /* bits, tables, split, depth, m, efc, probes, ef, entries */
    static const uint32_t t[5][9] = {   /* measured on Fashion-MNIST by bench/bench_cascade.cpp */
        {6, 4, 400, 4, 16, 100, 2, 40, 16},      /* default: recall@10 0.993 */
        {5, 4, 200, 3, 12, 80, 2, 32, 16},       /* small: 0.988 */
        {8, 8, 1000, 5, 20, 100, 2, 64, 32},     /* large: 0.997 */
        {4, 8, 2000, 3, 16, 100, 4, 128, 64},    /* high_recall: 0.998 */
        {6, 1, 300, 5, 8, 128, 1, 16, 8}         /* fast_search: 0.941 (one table: the second added no recall) */
    };
    synadb_cascade_config c;
    unsigned i = (unsigned)p <= 4u ? (unsigned)p : 0u;
    memset(&c, 0, sizeof c);
    c.struct_size = (uint32_t)sizeof c;
    c.dims = dims; c.metric = m;
    c.num_bits = t[i][0]; c.num_tables = t[i][1]; c.split_threshold = t[i][2]; c.max_bucket_depth = t[i][3];
    c.m = t[i][4]; c.m_max = 2 * t[i][4]; c.ef_construction = t[i][5]; c.num_probes = t[i][6]; c.ef_search = t[i][7];
    c.max_entries = t[i][8];
    c.seed = 7;
    return c;
}
SYNADB_PRIVATE synadb_result synadb__cc_check_cfg(const synadb_cascade_config *c, char *msg, size_t cap) {
#define SYNADB__CCBAD(...) do { snprintf(msg, cap, __VA_ARGS__); return SYNADB_ERR_INVALID_ARG; } while (0)
    if (!c) SYNADB__CCBAD("config is NULL");
    if (c->struct_size > sizeof *c) SYNADB__CCBAD("synadb_cascade_config from a newer version");
    if (c->dims < 1 || c->dims > SYNADB_VEC_MAX_DIMS) SYNADB__CCBAD("dims %u outside 1..8192", c->dims);
    if ((unsigned)c->metric > 2u) SYNADB__CCBAD("unknown metric %d", (int)c->metric);
    if (c->num_bits < 1 || c->num_bits > 16) SYNADB__CCBAD("num_bits %u outside 1..16", c->num_bits);
    if (c->num_tables < 1 || c->num_tables > 64) SYNADB__CCBAD("num_tables %u outside 1..64", c->num_tables);
    if (c->split_threshold < 8 || c->split_threshold > (1u << 20)) SYNADB__CCBAD("split_threshold %u outside 8..2^20", c->split_threshold);
    if (c->max_bucket_depth > 24) SYNADB__CCBAD("max_bucket_depth %u above 24", c->max_bucket_depth);
    if (c->m < 2 || c->m > 64) SYNADB__CCBAD("m %u outside 2..64", c->m);
    if (c->m_max && c->m_max != 2 * c->m) SYNADB__CCBAD("m_max %u: must be 0 or 2m (%u)", c->m_max, 2 * c->m);
    if (c->ef_construction < c->m || c->ef_construction > 4096) SYNADB__CCBAD("ef_construction %u outside m..4096", c->ef_construction);
    if (c->num_probes < 1 || c->num_probes > 256) SYNADB__CCBAD("num_probes %u outside 1..256", c->num_probes);
    if (c->ef_search < 1 || c->ef_search > 1u << 20) SYNADB__CCBAD("ef_search %u outside 1..2^20", c->ef_search);
    if (c->max_entries < 1 || c->max_entries > SYNADB__CC_MAX_ENTRIES) SYNADB__CCBAD("max_entries %u outside 1..4096", c->max_entries);
#undef SYNADB__CCBAD
    return SYNADB_OK;
}

/* ---- hashing ---- */
/* Unit normals from N(0,1) draws (Box-Muller over splitmix64). */
SYNADB_PRIVATE void synadb__cc_make_planes(synadb_cascade *c) {
    uint64_t st = c->cfg.seed ^ 0x43415343414445ull, i, n = (uint64_t)c->tables * c->bits;
    uint32_t d;
    for (i = 0; i < n; i++) {
        float *p = c->planes + i * c->dims;
        double norm = 0;
        for (d = 0; d < c->dims; d += 2) {
            double u1 = ((double)(synadb__mix64(st += 0x9E3779B97F4A7C15ull) >> 11) + 1.0) * (1.0 / 9007199254740992.0);
            double u2 = (double)(synadb__mix64(st += 0x9E3779B97F4A7C15ull) >> 11) * (1.0 / 9007199254740992.0);
            double r = sqrt(-2.0 * log(u1));
            p[d] = (float)(r * cos(6.283185307179586 * u2));
            if (d + 1 < c->dims) p[d + 1] = (float)(r * sin(6.283185307179586 * u2));
        }
        for (d = 0; d < c->dims; d++) norm += (double)p[d] * p[d];
        norm = norm > 0 ? 1.0 / sqrt(norm) : 0;
        for (d = 0; d < c->dims; d++) p[d] = (float)(p[d] * norm);
    }
}
SYNADB_PRIVATE void synadb__cc_set_centre(synadb_cascade *c, const float *centre) {
    uint32_t i, n = c->tables * c->bits;
    memcpy(c->centre, centre, (size_t)c->dims * sizeof(float));
    for (i = 0; i < n; i++) c->cproj[i] = c->g->k.dot(c->planes + (size_t)i * c->dims, c->centre, c->dims);
    SYNADB__ST_REL(&c->has_centre, 1);   /* inserts read it unlocked, then the centre (set once) */
}
/* Projections (tables x bits, relative to the centre) and codes of a vector. */
SYNADB_PRIVATE void synadb__cc_hash(const synadb_cascade *c, const float *v, float *proj, uint32_t *codes) {
    uint32_t t, b;
    for (t = 0; t < c->tables; t++) {
        uint32_t code = 0;
        for (b = 0; b < c->bits; b++) {
            uint32_t i = t * c->bits + b;
            float p = c->g->k.dot(c->planes + (size_t)i * c->dims, v, c->dims) - c->cproj[i];
            if (proj) proj[i] = p;
            if (p > 0) code |= 1u << b;
        }
        codes[t] = code;
    }
}

/* ---- bucket trees (caller holds rw; vectors are read from the graph under its grow lock) ---- */
SYNADB_PRIVATE uint32_t synadb__cc_new_node(synadb_cascade *c, uint32_t depth) {
    synadb__cnode *n;
    if (c->nnodes == c->ncap) {
        uint32_t nc = c->ncap ? c->ncap * 2 : 256;
        synadb__cnode *p = (synadb__cnode *)SYNADB__REALLOC(&c->a, c->nodes, (size_t)nc * sizeof *p);
        if (!p) return SYNADB__CC_NONE;
        c->nodes = p; c->ncap = nc;
    }
    n = &c->nodes[c->nnodes];
    memset(n, 0, sizeof *n);
    n->child[0] = n->child[1] = SYNADB__CC_NONE;
    n->depth = depth;
    return c->nnodes++;
}
SYNADB_PRIVATE uint32_t synadb__cc_descend(const synadb_cascade *c, uint32_t node, const float *v) {
    while (c->nodes[node].child[0] != SYNADB__CC_NONE) {
        const float *s = c->splits + (size_t)c->nodes[node].plane * (c->dims + 1);
        node = c->nodes[node].child[c->g->k.dot(s, v, c->dims) > s[c->dims]];
    }
    return node;
}
SYNADB_PRIVATE int synadb__cc_push(synadb_cascade *c, uint32_t node, uint32_t id) {
    synadb__cnode *n = &c->nodes[node];
    if (n->n == n->cap) {
        uint32_t nc = n->cap ? n->cap * 2 : 16;
        uint32_t *p = (uint32_t *)SYNADB__REALLOC(&c->a, n->ids, (size_t)nc * sizeof *p);
        if (!p) return -1;
        n->ids = p; n->cap = nc;
    }
    n->ids[n->n++] = id;
    return 0;
}
SYNADB_PRIVATE int synadb__cc_fcmp(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}
/* Splits a leaf at the median of its members along (b - a), a the member farthest from the
   centroid and b the member farthest from a. Returns 0 (split or not splittable) or -1. */
SYNADB_PRIVATE int synadb__cc_split(synadb_cascade *c, uint32_t node) {
    synadb_hnsw *g = c->g;
    uint32_t dims = c->dims, n, i, live = 0, a = 0, b = 0, l, r;
    float *cen = NULL, *s, *proj = NULL, *sorted = NULL, med, best;
    int rc = -1;
    synadb__cnode *nd = &c->nodes[node];
    /* drop replaced and deleted members first */
    for (i = 0; i < nd->n; i++) if (!SYNADB__LD_ACQ(&g->deleted[nd->ids[i]])) nd->ids[live++] = nd->ids[i];
    nd->n = n = live;
    if (n <= c->cfg.split_threshold) return 0;
    if (c->nsplits == c->scap) {
        uint32_t nc = c->scap ? c->scap * 2 : 64;
        float *p = (float *)SYNADB__REALLOC(&c->a, c->splits, (size_t)nc * (dims + 1) * sizeof *p);
        if (!p) return -1;
        c->splits = p; c->scap = nc;
    }
    cen = (float *)SYNADB__ALLOC(&c->a, (size_t)dims * sizeof *cen);
    proj = (float *)SYNADB__ALLOC(&c->a, (size_t)n * 2 * sizeof *proj);
    if (!cen || !proj) goto out;
    sorted = proj + n;
    {
        double *sum = (double *)SYNADB__ALLOC(&c->a, (size_t)dims * sizeof *sum);
        if (!sum) goto out;
        memset(sum, 0, (size_t)dims * sizeof *sum);
        for (i = 0; i < n; i++) {
            const float *v = SYNADB__HVEC(g, nd->ids[i]);
            uint32_t d;
            for (d = 0; d < dims; d++) sum[d] += v[d];
        }
        for (i = 0; i < dims; i++) cen[i] = (float)(sum[i] / n);
        SYNADB__FREE(&c->a, sum);
    }
    best = -1;
    for (i = 0; i < n; i++) { float d = g->k.l2sq(cen, SYNADB__HVEC(g, nd->ids[i]), dims); if (d > best) { best = d; a = i; } }
    best = -1;
    for (i = 0; i < n; i++) { float d = g->k.l2sq(SYNADB__HVEC(g, nd->ids[a]), SYNADB__HVEC(g, nd->ids[i]), dims); if (d > best) { best = d; b = i; } }
    s = c->splits + (size_t)c->nsplits * (dims + 1);
    {
        const float *va = SYNADB__HVEC(g, nd->ids[a]), *vb = SYNADB__HVEC(g, nd->ids[b]);
        double norm = 0;
        for (i = 0; i < dims; i++) { s[i] = vb[i] - va[i]; norm += (double)s[i] * s[i]; }
        if (!(norm > 0)) { nd->retry = n * 2; rc = 0; goto out; }   /* all members equal */
        norm = 1.0 / sqrt(norm);
        for (i = 0; i < dims; i++) s[i] = (float)(s[i] * norm);
    }
    for (i = 0; i < n; i++) sorted[i] = proj[i] = g->k.dot(s, SYNADB__HVEC(g, nd->ids[i]), dims);
    qsort(sorted, n, sizeof *sorted, synadb__cc_fcmp);
    med = sorted[n / 2 - 1];   /* left: <= med, right: > med */
    if (!(sorted[n - 1] > med)) { nd->retry = n * 2; rc = 0; goto out; }
    s[dims] = med;
    l = synadb__cc_new_node(c, nd->depth + 1);
    r = l == SYNADB__CC_NONE ? SYNADB__CC_NONE : synadb__cc_new_node(c, c->nodes[node].depth + 1);   /* nodes may have moved */
    if (r == SYNADB__CC_NONE) goto out;
    nd = &c->nodes[node];   /* the array may have moved */
    for (i = 0; i < n; i++) if (synadb__cc_push(c, proj[i] > med ? r : l, nd->ids[i])) goto out;
    nd = &c->nodes[node];
    nd->child[0] = l; nd->child[1] = r;
    nd->plane = c->nsplits++;
    SYNADB__FREE(&c->a, nd->ids);
    nd->ids = NULL; nd->n = nd->cap = 0;
    rc = 0;
    /* a child still over the threshold splits again */
    if (c->nodes[l].n > c->cfg.split_threshold && c->nodes[l].depth < c->cfg.max_bucket_depth) rc = synadb__cc_split(c, l);
    if (!rc && c->nodes[r].n > c->cfg.split_threshold && c->nodes[r].depth < c->cfg.max_bucket_depth) rc = synadb__cc_split(c, r);
out:
    SYNADB__FREE(&c->a, cen);
    SYNADB__FREE(&c->a, proj);
    return rc;
}
/* Files node id (vector v, codes) in every table. Caller holds rw exclusively and g->grow shared. */
SYNADB_PRIVATE int synadb__cc_file(synadb_cascade *c, uint32_t id, const float *v, const uint32_t *codes) {
    uint32_t t;
    for (t = 0; t < c->tables; t++) {
        uint32_t *root = &c->roots[((size_t)t << c->bits) + codes[t]], leaf;
        synadb__cnode *n;
        if (*root == SYNADB__CC_NONE && (*root = synadb__cc_new_node(c, 0)) == SYNADB__CC_NONE) return -1;
        leaf = synadb__cc_descend(c, *root, v);
        if (synadb__cc_push(c, leaf, id)) return -1;
        n = &c->nodes[leaf];
        if (n->n > c->cfg.split_threshold && n->depth < c->cfg.max_bucket_depth && n->n >= n->retry)
            if (synadb__cc_split(c, leaf)) return -1;
    }
    return 0;
}

/* Starting points: the leaves of the probed buckets, best probes first (probe r of every
   table before probe r + 1), up to `quota` members from each leaf (spread over it), at most
   cap ids. Caller holds rw and the graph's grow lock shared. */
SYNADB_PRIVATE size_t synadb__cc_collect(const synadb_cascade *c, const float *v, const float *proj, const uint32_t *codes,
                                         uint32_t probes, uint32_t *ids, size_t cap) {
    uint32_t t, r, bits = c->bits, nleaves;
    uint8_t order[64][16];
    size_t n = 0, quota;
    uint32_t maxp = 1u + bits + bits * (bits - 1) / 2;
    if (probes > maxp) probes = maxp;
    nleaves = c->tables * probes;
    quota = cap / (nleaves < 4 * c->tables ? nleaves : 4 * c->tables);
    if (quota < 1) quota = 1;
    if (probes > 1) for (t = 0; t < c->tables; t++) {   /* bits ordered by |projection|, smallest first */
        const float *p = proj + t * bits;
        uint32_t i, j;
        for (i = 0; i < bits; i++) {
            uint8_t x = (uint8_t)i;
            for (j = i; j > 0 && fabsf(p[order[t][j - 1]]) > fabsf(p[x]); j--) order[t][j] = order[t][j - 1];
            order[t][j] = x;
        }
    }
    for (r = 0; r < probes && n < cap; r++) {
        for (t = 0; t < c->tables && n < cap; t++) {
            uint32_t code = codes[t], root, leaf, i, step, got;
            const synadb__cnode *nd;
            if (r >= 1 && r <= bits) code ^= 1u << order[t][r - 1];
            else if (r > bits) {   /* pairs (i, j), i < j, in order of j then i */
                uint32_t k = r - 1 - bits, j = 1;
                while (k >= j) { k -= j; j++; }
                code ^= (1u << order[t][k]) | (1u << order[t][j]);
            }
            root = c->roots[((size_t)t << bits) + code];
            if (root == SYNADB__CC_NONE) continue;
            leaf = synadb__cc_descend(c, root, v);
            nd = &c->nodes[leaf];
            if (!nd->n) continue;
            step = nd->n > quota ? (uint32_t)(nd->n / quota) : 1u;
            for (i = 0, got = 0; i < nd->n && got < quota && n < cap; i += step) {
                uint32_t id = nd->ids[i];
                if (SYNADB__LD_ACQ(&c->g->deleted[id])) continue;
                ids[n++] = id; got++;
            }
        }
    }
    return n;
}
SYNADB_PRIVATE int synadb__cc_ucmp(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}
SYNADB_PRIVATE size_t synadb__cc_unique(uint32_t *ids, size_t n) {
    size_t i, m = 0;
    if (n < 2) return n;
    qsort(ids, n, sizeof *ids, synadb__cc_ucmp);
    for (i = 0; i < n; i++) if (!m || ids[m - 1] != ids[i]) ids[m++] = ids[i];
    return m;
}

/* ---- life cycle ---- */
SYNADB_PRIVATE void synadb__cc_free_buckets(synadb_cascade *c) {
    uint32_t i;
    for (i = 0; i < c->nnodes; i++) SYNADB__FREE(&c->a, c->nodes[i].ids);
    SYNADB__FREE(&c->a, c->nodes);
    SYNADB__FREE(&c->a, c->splits);
    c->nodes = NULL; c->nnodes = c->ncap = 0;
    c->splits = NULL; c->nsplits = c->scap = 0;
    if (c->roots) memset(c->roots, 0xff, ((size_t)c->tables << c->bits) * sizeof *c->roots);
}
SYNADB_PRIVATE void synadb__cc_free(synadb_cascade *c) {
    synadb_allocator a;
    if (!c) return;
    a = c->a;
    synadb__cc_free_buckets(c);
    SYNADB__FREE(&a, c->roots);
    SYNADB__FREE(&a, c->planes);
    SYNADB__FREE(&a, c->centre);
    SYNADB__FREE(&a, c->cproj);
    SYNADB__FREE(&a, c->path);
    if (c->g) synadb_hnsw_free(c->g);
    synadb__rw_destroy(&c->rw);
    synadb__mutex_destroy(&c->emu);
    SYNADB__FREE(&a, c);
}
/* A handle for cfg (checked) with planes and an empty graph (unless graph_too is 0). */
SYNADB_PRIVATE synadb_cascade *synadb__cc_new(const synadb_cascade_config *cfg, int graph_too) {
    synadb_allocator a = synadb__allocator_or_default(&cfg->allocator);
    synadb_cascade *c = (synadb_cascade *)SYNADB__ALLOC(&a, sizeof *c);
    size_t np;
    if (!c) return NULL;
    memset(c, 0, sizeof *c);
    c->a = a;
    c->cfg = *cfg;
    c->cfg.struct_size = (uint32_t)sizeof c->cfg;
    c->cfg.allocator = a;
    c->cfg.m_max = 2 * cfg->m;
    if (!c->cfg.seed) c->cfg.seed = 7;
    c->dims = cfg->dims; c->bits = cfg->num_bits; c->tables = cfg->num_tables; c->metric = cfg->metric;
    synadb__rw_init(&c->rw);
    synadb__mutex_init(&c->emu);
    np = (size_t)c->tables * c->bits;
    c->planes = (float *)SYNADB__ALLOC(&a, np * c->dims * sizeof(float));
    c->centre = (float *)SYNADB__ALLOC(&a, (size_t)c->dims * sizeof(float));
    c->cproj = (float *)SYNADB__ALLOC(&a, np * sizeof(float));
    c->roots = (uint32_t *)SYNADB__ALLOC(&a, ((size_t)c->tables << c->bits) * sizeof *c->roots);
    if (!c->planes || !c->centre || !c->cproj || !c->roots) { synadb__cc_free(c); return NULL; }
    memset(c->centre, 0, (size_t)c->dims * sizeof(float));
    memset(c->cproj, 0, np * sizeof(float));
    memset(c->roots, 0xff, ((size_t)c->tables << c->bits) * sizeof *c->roots);
    if (graph_too) {
        synadb_hnsw_config hc = synadb_hnsw_config_default(c->dims, (synadb_metric)c->metric);
        hc.M = cfg->m; hc.ef_construction = cfg->ef_construction; hc.ef_search = cfg->ef_search;
        hc.seed = c->cfg.seed; hc.no_simd = cfg->no_simd; hc.allocator = a;
        if (synadb_hnsw_create(&hc, &c->g)) { synadb__cc_free(c); return NULL; }
        c->g->ml = 0.0;   /* flat: every node on layer 0 */
        synadb__cc_make_planes(c);
    }
    return c;
}

/* ---- the file ---- */
SYNADB_PRIVATE synadb_result synadb__cc_write(synadb_cascade *c, const char *path) {
    uint8_t *hdr = NULL;
    char *tmp = NULL;
    synadb__fd fd = SYNADB__BADFD;
    uint64_t plen = ((uint64_t)c->tables * c->bits + 1) * c->dims * 4, goff, gend = 0;
    uint32_t pcrc;
    synadb_result r = SYNADB_OK;
    int e, hw = synadb__hw_crc_detect();
    hdr = (uint8_t *)SYNADB__ALLOC(&c->a, SYNADB__CC_HDR);
    tmp = synadb__strcat_alloc(&c->a, path, ".tmp");
    if (!hdr || !tmp) { r = synadb__ccerr(c, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
    goff = (SYNADB__CC_HDR + plen + 4095) & ~(uint64_t)4095;
    pcrc = synadb__crc(hw, 0, c->planes, (size_t)(plen - (uint64_t)c->dims * 4));
    pcrc = synadb__crc(hw, pcrc, c->centre, (size_t)c->dims * 4);
    memset(hdr, 0, SYNADB__CC_HDR);
    memcpy(hdr, synadb__cc_magic, 8);
    synadb__wr32(hdr + 8, 1);
    synadb__wr32(hdr + 12, c->dims);
    synadb__wr32(hdr + 16, (uint32_t)c->metric);
    synadb__wr32(hdr + 20, c->bits);
    synadb__wr32(hdr + 24, c->tables);
    synadb__wr32(hdr + 28, c->cfg.split_threshold);
    synadb__wr32(hdr + 32, c->cfg.max_bucket_depth);
    synadb__wr32(hdr + 36, c->cfg.m);
    synadb__wr32(hdr + 40, c->cfg.ef_construction);
    synadb__wr32(hdr + 44, c->cfg.num_probes);
    synadb__wr32(hdr + 48, c->cfg.ef_search);
    synadb__wr32(hdr + 52, c->cfg.max_entries);
    synadb__wr64(hdr + 56, c->cfg.seed);
    synadb__wr32(hdr + 64, (uint32_t)c->has_centre);
    synadb__wr64(hdr + 72, SYNADB__CC_HDR);
    synadb__wr64(hdr + 80, plen);
    synadb__wr32(hdr + 88, pcrc);
    synadb__wr64(hdr + 96, goff);
    if (synadb__path_exists(tmp)) synadb__unlink(tmp);
    e = synadb__fopen(tmp, 3, &fd);
    if (e) { r = synadb__ccerr(c, synadb__oserr_code(e), "create %s: errno %d", tmp, e); goto out; }
    synadb__rw_wrlock(&c->g->grow);
    e = synadb__hnsw_write(c->g, fd, goff, NULL, &gend);
    synadb__rw_wrunlock(&c->g->grow);
    synadb__wr64(hdr + 104, gend - goff);
    synadb__wr32(hdr + SYNADB__CC_HDR - 4, synadb_crc32c(0, hdr, SYNADB__CC_HDR - 4));
    if (!e) e = synadb__pwrite(fd, hdr, SYNADB__CC_HDR, 0);
    if (!e) e = synadb__pwrite(fd, c->planes, (size_t)(plen - (uint64_t)c->dims * 4), SYNADB__CC_HDR);
    if (!e) e = synadb__pwrite(fd, c->centre, (size_t)c->dims * 4, SYNADB__CC_HDR + plen - (uint64_t)c->dims * 4);
    if (!e) e = synadb__ftruncate(fd, gend);
    if (!e) e = synadb__fsync(fd);
    synadb__fclose(fd);
    if (!e) e = synadb__rename(tmp, path);
    if (!e) e = synadb__sync_dir(path);
    if (e) {
        synadb__unlink(tmp);
        r = e == ENOMEM ? synadb__ccerr(c, SYNADB_ERR_NO_MEMORY, "out of memory")
                        : synadb__ccerr(c, synadb__oserr_code(e), "saving %s failed (errno %d)", path, e);
    }
out:
    SYNADB__FREE(&c->a, hdr);
    SYNADB__FREE(&c->a, tmp);
    return r;
}
/* Rebuilds the bucket trees from the live graph nodes, in node order. */
SYNADB_PRIVATE synadb_result synadb__cc_rebuild(synadb_cascade *c) {
    uint32_t *codes = (uint32_t *)SYNADB__ALLOC(&c->a, (size_t)c->tables * sizeof *codes), id, n = SYNADB__LD_ACQ(&c->g->count);
    synadb_result r = SYNADB_OK;
    if (!codes) return SYNADB_ERR_NO_MEMORY;
    synadb__mutex_lock(&c->g->gmu);
    c->tree_ndeleted = c->g->ndeleted;
    synadb__mutex_unlock(&c->g->gmu);
    c->next_file = n;
    c->unordered = 0;
    for (id = 0; id < n && !r; id++) {
        const float *v = SYNADB__HVEC(c->g, id);
        if (SYNADB__LD_ACQ(&c->g->deleted[id])) continue;
        synadb__cc_hash(c, v, NULL, codes);
        if (synadb__cc_file(c, id, v, codes)) r = SYNADB_ERR_NO_MEMORY;
    }
    SYNADB__FREE(&c->a, codes);
    return r;
}
SYNADB_PRIVATE synadb_result synadb__cc_load(const char *path, synadb__fd fd, const synadb_cascade_config *expect,
                                             synadb_cascade **out, char *eb, size_t ebn) {
    uint8_t hdr[SYNADB__CC_HDR];
    uint64_t fsize = 0, poff, plen, goff, glen;
    synadb_cascade_config cfg;
    synadb_cascade *c = NULL;
    synadb_hnsw_config hc;
    synadb_result r;
    char msg[256];
    int e, hw = synadb__hw_crc_detect();
    if ((e = synadb__fsize(fd, &fsize)) != 0) return synadb__mm_eopen(eb, ebn, SYNADB_ERR_IO, "stat %s: errno %d", path, e);
    if (fsize < SYNADB__CC_HDR) return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "%s: Cascade file truncated (%llu bytes)", path, (unsigned long long)fsize);
    if ((e = synadb__pread(fd, hdr, SYNADB__CC_HDR, 0)) != 0) return synadb__mm_eopen(eb, ebn, SYNADB_ERR_IO, "read %s: errno %d", path, e);
    if (synadb__rd32(hdr + SYNADB__CC_HDR - 4) != synadb_crc32c(0, hdr, SYNADB__CC_HDR - 4))
        return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "%s: Cascade header checksum mismatch", path);
    if (synadb__rd32(hdr + 8) != 1) return synadb__mm_eopen(eb, ebn, SYNADB_ERR_VERSION, "%s: Cascade format version %u not supported", path, synadb__rd32(hdr + 8));
    memset(&cfg, 0, sizeof cfg);
    cfg.struct_size = (uint32_t)sizeof cfg;
    cfg.dims = synadb__rd32(hdr + 12); cfg.metric = (int32_t)synadb__rd32(hdr + 16);
    cfg.num_bits = synadb__rd32(hdr + 20); cfg.num_tables = synadb__rd32(hdr + 24);
    cfg.split_threshold = synadb__rd32(hdr + 28); cfg.max_bucket_depth = synadb__rd32(hdr + 32);
    cfg.m = synadb__rd32(hdr + 36); cfg.ef_construction = synadb__rd32(hdr + 40);
    cfg.num_probes = synadb__rd32(hdr + 44); cfg.ef_search = synadb__rd32(hdr + 48);
    cfg.max_entries = synadb__rd32(hdr + 52); cfg.seed = synadb__rd64(hdr + 56);
    if (synadb__cc_check_cfg(&cfg, msg, sizeof msg) || !cfg.seed)
        return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "%s: invalid Cascade parameters (%s)", path, msg);
    if (expect) {
        if (expect->dims != cfg.dims || expect->metric != cfg.metric)
            return synadb__mm_eopen(eb, ebn, SYNADB_ERR_INDEX_MISMATCH, "%s holds %u-dimensional vectors with metric %d, not %u with metric %d",
                                    path, cfg.dims, (int)cfg.metric, expect->dims, (int)expect->metric);
        cfg.allocator = expect->allocator; cfg.no_simd = expect->no_simd; cfg.threads = expect->threads;
    }
    poff = synadb__rd64(hdr + 72); plen = synadb__rd64(hdr + 80); goff = synadb__rd64(hdr + 96); glen = synadb__rd64(hdr + 104);
    if (poff != SYNADB__CC_HDR || plen != ((uint64_t)cfg.num_tables * cfg.num_bits + 1) * cfg.dims * 4 ||
        goff != ((poff + plen + 4095) & ~(uint64_t)4095) || goff > fsize || glen != fsize - goff)
        return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "%s: Cascade file layout does not match its size (truncated?)", path);
    c = synadb__cc_new(&cfg, 0);
    if (!c) return synadb__mm_eopen(eb, ebn, SYNADB_ERR_NO_MEMORY, "out of memory");
    e = synadb__pread(fd, c->planes, (size_t)(plen - (uint64_t)cfg.dims * 4), poff);
    if (!e) e = synadb__pread(fd, c->centre, (size_t)cfg.dims * 4, poff + plen - (uint64_t)cfg.dims * 4);
    if (e) { synadb__cc_free(c); return synadb__mm_eopen(eb, ebn, SYNADB_ERR_IO, "read %s: errno %d", path, e); }
    {
        uint32_t pc = synadb__crc(hw, 0, c->planes, (size_t)(plen - (uint64_t)cfg.dims * 4));
        pc = synadb__crc(hw, pc, c->centre, (size_t)cfg.dims * 4);
        if (pc != synadb__rd32(hdr + 88)) { synadb__cc_free(c); return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CHECKSUM, "%s: hyperplanes do not match their checksum", path); }
    }
    hc = synadb_hnsw_config_default(cfg.dims, (synadb_metric)cfg.metric);
    hc.allocator = c->a; hc.no_simd = cfg.no_simd;
    r = synadb__hnsw_load_fd(fd, fsize, goff, path, &hc, &c->g, NULL, msg, sizeof msg);
    if (r) {   /* an image that is not a graph, or not of the header's dims and metric: a damaged file */
        synadb__cc_free(c);
        return synadb__mm_eopen(eb, ebn, r == SYNADB_ERR_NOT_A_DATABASE || r == SYNADB_ERR_INDEX_MISMATCH ? SYNADB_ERR_CORRUPT : r, "%s", msg);
    }
    if (c->g->M != cfg.m || (c->g->count && (c->g->entry >> 32) != 0)) { synadb__cc_free(c); return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "%s: graph does not match the Cascade parameters", path); }
    c->g->ml = 0.0;
    c->g->efc = cfg.ef_construction; c->g->efs = cfg.ef_search;
    {
        uint32_t i;
        for (i = 0; i < c->g->count; i++) if (c->g->levels[i]) { synadb__cc_free(c); return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "%s: graph is not flat", path); }
        if (c->g->count && !c->g->nkey) { synadb__cc_free(c); return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "%s: graph without keys", path); }
    }
    if (synadb__rd32(hdr + 64)) synadb__cc_set_centre(c, c->centre);
    else if (c->g->count) { synadb__cc_free(c); return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "%s: vectors without a hash centre", path); }
    if (synadb__cc_rebuild(c)) { synadb__cc_free(c); return synadb__mm_eopen(eb, ebn, SYNADB_ERR_NO_MEMORY, "out of memory"); }
    *out = c;
    return SYNADB_OK;
}

SYNADB_VEC_API synadb_result synadb_cascade_open(const char *path, const synadb_cascade_config *cfg, synadb_cascade **out,
                                                 char *errbuf, size_t errbuf_len) {
    char msg[256];
    synadb_cascade *c;
    synadb__fd fd;
    synadb_result r;
    int e;
    if (errbuf && errbuf_len) errbuf[0] = 0;
    if (!out) return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_INVALID_ARG, "out is NULL");
    *out = NULL;
    if (cfg && (r = synadb__cc_check_cfg(cfg, msg, sizeof msg)) != SYNADB_OK) return synadb__mm_eopen(errbuf, errbuf_len, r, "%s", msg);
    if (path && !*path) return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_INVALID_ARG, "empty path");
    if (path && synadb__path_exists(path)) {
        uint8_t m8[8];
        uint64_t fsize = 0;
        e = synadb__fopen(path, 0, &fd);
        if (e) return synadb__mm_eopen(errbuf, errbuf_len, synadb__oserr_code(e), "open %s: errno %d", path, e);
        if (synadb__fsize(fd, &fsize) || fsize < 8 || synadb__pread(fd, m8, 8, 0) || memcmp(m8, synadb__cc_magic, 8)) {
            synadb__fclose(fd);
            return synadb__mm_eopen(errbuf, errbuf_len, fsize == 0 ? SYNADB_ERR_NOT_A_DATABASE : SYNADB_ERR_NOT_A_DATABASE,
                                    "%s exists and is not a Cascade index (left untouched)", path);
        }
        r = synadb__cc_load(path, fd, cfg, &c, errbuf, errbuf_len);
        synadb__fclose(fd);
        if (r) return r;
    } else {
        if (!cfg) return synadb__mm_eopen(errbuf, errbuf_len, path ? SYNADB_ERR_NOT_FOUND : SYNADB_ERR_INVALID_ARG,
                                          path ? "%s does not exist and no configuration was given" : "%sno configuration", path ? path : "");
        c = synadb__cc_new(cfg, 1);
        if (!c) return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_NO_MEMORY, "out of memory");
        if (path && (r = synadb__cc_write(c, path)) != SYNADB_OK) {
            synadb__mm_eopen(errbuf, errbuf_len, r, "%s", c->errmsg);
            synadb__cc_free(c);
            return r;
        }
    }
    if (path) {
        size_t l = strlen(path);
        c->path = (char *)SYNADB__ALLOC(&c->a, l + 1);
        if (!c->path) { synadb__cc_free(c); return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_NO_MEMORY, "out of memory"); }
        memcpy(c->path, path, l + 1);
    }
    *out = c;
    return SYNADB_OK;
}
SYNADB_VEC_API synadb_result synadb_cascade_save_as(synadb_cascade *c, const char *path) {
    synadb_result r;
    if (!c) return SYNADB_ERR_INVALID_ARG;
    if (!path || !*path) return synadb__ccerr(c, SYNADB_ERR_INVALID_ARG, "no path (in-memory index)");
    synadb__rw_wrlock(&c->rw);
    r = synadb__cc_write(c, path);
    if (!r && c->path && strcmp(path, c->path) == 0) c->dirty = 0;
    if (!r) {
        /* Opening the file rebuilds the buckets from the live nodes in node order; when deletes,
           replacements or threaded batches made ours differ, they are rebuilt the same way now,
           so that searches answer as they will after a reopen. (A node a concurrent insert has
           added to the graph but not filed yet is filed twice, harmlessly.) */
        int stale;
        synadb__rw_wrlock(&c->g->grow);
        synadb__mutex_lock(&c->g->gmu);
        stale = c->unordered || c->g->ndeleted != c->tree_ndeleted;
        synadb__mutex_unlock(&c->g->gmu);
        if (stale) {
            synadb__cc_free_buckets(c);
            if (synadb__cc_rebuild(c)) r = synadb__ccerr(c, SYNADB_ERR_NO_MEMORY, "out of memory rebuilding the buckets");
        }
        synadb__rw_wrunlock(&c->g->grow);
    }
    synadb__rw_wrunlock(&c->rw);
    return r;
}
SYNADB_VEC_API synadb_result synadb_cascade_save(synadb_cascade *c) {
    if (!c) return SYNADB_ERR_INVALID_ARG;
    return synadb_cascade_save_as(c, c->path);
}
SYNADB_VEC_API synadb_result synadb_cascade_close(synadb_cascade *c) {
    synadb_result r;
    if (!c) return SYNADB_ERR_INVALID_ARG;
    if (c->path && c->dirty && (r = synadb_cascade_save(c)) != SYNADB_OK) return r;   /* kept open: nothing lost */
    synadb__cc_free(c);
    return SYNADB_OK;
}
SYNADB_VEC_API void synadb_cascade_free(synadb_cascade *c) { synadb__cc_free(c); }

/* ---- inserts ---- */
SYNADB_PRIVATE synadb_result synadb__cc_check_key(synadb_cascade *c, const char *key, size_t *klen) {
    if (!key) return synadb__ccerr(c, SYNADB_ERR_INVALID_ARG, "key is NULL");
    if (*klen == SYNADB_NTS) *klen = strlen(key);
    if (!*klen) return synadb__ccerr(c, SYNADB_ERR_EMPTY_KEY, "empty key");
    if (*klen > SYNADB_MAX_KEY_LEN) return synadb__ccerr(c, SYNADB_ERR_KEY_TOO_LONG, "key longer than 65535 bytes");
    return SYNADB_OK;
}
/* The first vectors fix the hash centre (their mean). */
SYNADB_PRIVATE synadb_result synadb__cc_centre_from(synadb_cascade *c, const float *vecs, size_t n) {
    double *sum;
    float *tmp;
    size_t i, m = n < 20000 ? n : 20000;
    uint32_t d;
    synadb__rw_wrlock(&c->rw);
    if (c->has_centre) { synadb__rw_wrunlock(&c->rw); return SYNADB_OK; }
    sum = (double *)SYNADB__ALLOC(&c->a, (size_t)c->dims * sizeof *sum);
    tmp = (float *)SYNADB__ALLOC(&c->a, (size_t)c->dims * sizeof *tmp);
    if (!sum || !tmp) {
        SYNADB__FREE(&c->a, sum); SYNADB__FREE(&c->a, tmp);
        synadb__rw_wrunlock(&c->rw);
        return synadb__ccerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
    }
    memset(sum, 0, (size_t)c->dims * sizeof *sum);
    for (i = 0; i < m; i++) {
        const float *v = vecs + i * c->dims;
        if (c->metric == SYNADB_METRIC_COSINE) { synadb__vnormalize(&c->g->k, v, tmp, c->dims); v = tmp; }
        for (d = 0; d < c->dims; d++) sum[d] += v[d];
    }
    for (d = 0; d < c->dims; d++) tmp[d] = (float)(sum[d] / (double)m);
    synadb__cc_set_centre(c, tmp);
    c->dirty = 1;
    SYNADB__FREE(&c->a, sum);
    SYNADB__FREE(&c->a, tmp);
    synadb__rw_wrunlock(&c->rw);
    return SYNADB_OK;
}
/* One checked vector: seeds from the buckets, the graph insert, then the buckets. buf:
   dims + tables x bits floats and tables + max_entries words of scratch. */
SYNADB_PRIVATE synadb_result synadb__cc_insert1(synadb_cascade *c, const char *key, size_t klen, const float *vec, float *buf, uint32_t *wbuf) {
    float *v = buf, *proj = buf + c->dims;
    uint32_t *codes = wbuf, *seeds = wbuf + c->tables, id = 0;
    size_t ns;
    synadb_result r;
    if (c->metric == SYNADB_METRIC_COSINE) synadb__vnormalize(&c->g->k, vec, v, c->dims);
    else memcpy(v, vec, (size_t)c->dims * sizeof *v);
    synadb__cc_hash(c, v, proj, codes);
    synadb__rw_rdlock(&c->rw);
    synadb__rw_rdlock(&c->g->grow);   /* collect reads the graph's deleted flags: they move when it grows */
    ns = synadb__cc_collect(c, v, proj, codes, 2, seeds, c->cfg.max_entries);
    synadb__rw_rdunlock(&c->g->grow);
    synadb__rw_rdunlock(&c->rw);
    ns = synadb__cc_unique(seeds, ns);
    r = synadb__hnsw_add_ex(c->g, synadb_hnsw_key_label(key, klen), v, key, klen, seeds, ns, &id);
    if (r) return synadb__ccerr(c, r, "%s", c->g->errmsg);
    synadb__rw_wrlock(&c->rw);
    synadb__rw_rdlock(&c->g->grow);
    if (synadb__cc_file(c, id, SYNADB__HVEC(c->g, id), codes)) r = synadb__ccerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
    if (id < c->next_file) c->unordered = 1;
    else c->next_file = id + 1;
    synadb__rw_rdunlock(&c->g->grow);
    c->dirty = 1;
    synadb__rw_wrunlock(&c->rw);
    return r;
}
SYNADB_PRIVATE size_t synadb__cc_fbuf(const synadb_cascade *c) { return (size_t)c->dims + (size_t)c->tables * c->bits; }
SYNADB_PRIVATE size_t synadb__cc_wbuf(const synadb_cascade *c) { return (size_t)c->tables + c->cfg.max_entries; }
SYNADB_VEC_API synadb_result synadb_cascade_insert(synadb_cascade *c, const char *key, size_t key_len, const float *vec) {
    synadb_result r;
    float *fb;
    uint32_t *wb;
    if (!c) return SYNADB_ERR_INVALID_ARG;
    if ((r = synadb__cc_check_key(c, key, &key_len)) != SYNADB_OK) return r;
    if (!vec) return synadb__ccerr(c, SYNADB_ERR_INVALID_ARG, "vector is NULL");
    if (synadb_vec_check(vec, c->dims, (synadb_metric)c->metric))
        return synadb__ccerr(c, SYNADB_ERR_BAD_VECTOR, "vector has a NaN or infinite component%s", c->metric == SYNADB_METRIC_COSINE ? ", or is zero (cosine)" : "");
    if (!SYNADB__LD_ACQ(&c->has_centre) && (r = synadb__cc_centre_from(c, vec, 1)) != SYNADB_OK) return r;
    fb = (float *)SYNADB__ALLOC(&c->a, synadb__cc_fbuf(c) * sizeof *fb);
    wb = (uint32_t *)SYNADB__ALLOC(&c->a, synadb__cc_wbuf(c) * sizeof *wb);
    if (!fb || !wb) r = synadb__ccerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
    else r = synadb__cc_insert1(c, key, key_len, vec, fb, wb);
    SYNADB__FREE(&c->a, fb);
    SYNADB__FREE(&c->a, wb);
    return r;
}
typedef struct synadb__ccbatch {
    synadb_cascade *c;
    const char *const *keys;
    const size_t *klens;         /* resolved lengths */
    const uint8_t *skip;         /* superseded by a later duplicate */
    const float *vecs;
    size_t n, next;              /* next: shared work counter (atomic) */
    synadb_result err;
} synadb__ccbatch;
SYNADB_PRIVATE void *synadb__ccbatch_worker(void *arg) {
    synadb__ccbatch *b = (synadb__ccbatch *)arg;
    synadb_cascade *c = b->c;
    float *fb = (float *)SYNADB__ALLOC(&c->a, synadb__cc_fbuf(c) * sizeof *fb);
    uint32_t *wb = (uint32_t *)SYNADB__ALLOC(&c->a, synadb__cc_wbuf(c) * sizeof *wb);
    if (!fb || !wb) SYNADB__ST_RLX(&b->err, (synadb_result)SYNADB_ERR_NO_MEMORY);
    else for (;;) {
        size_t i = SYNADB__FETCH_ADD(&b->next, (size_t)1);
        synadb_result r;
        if (i >= b->n || SYNADB__LD_RLX(&b->err)) break;
        if (b->skip && b->skip[i]) continue;
        r = synadb__cc_insert1(c, b->keys[i], b->klens[i], b->vecs + i * c->dims, fb, wb);
        if (r) { SYNADB__ST_RLX(&b->err, r); break; }
    }
    SYNADB__FREE(&c->a, fb);
    SYNADB__FREE(&c->a, wb);
    return NULL;
}
SYNADB_VEC_API synadb_result synadb_cascade_insert_batch(synadb_cascade *c, const char *const *keys, const size_t *key_lens,
                                                         const float *vecs, size_t n) {
    synadb__ccbatch b;
    synadb__thread th[64];
    synadb__thread_arg ta[64];
    size_t *kl = NULL, i;
    uint8_t *skip = NULL;
    int t, threads, started = 0;
    synadb_result r = SYNADB_OK;
    if (!c) return SYNADB_ERR_INVALID_ARG;
    if (!n) return SYNADB_OK;
    if (!keys || !vecs) return synadb__ccerr(c, SYNADB_ERR_INVALID_ARG, "keys or vectors are NULL");
    kl = (size_t *)SYNADB__ALLOC(&c->a, n * sizeof *kl);
    if (!kl) return synadb__ccerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
    for (i = 0; i < n && !r; i++) {
        kl[i] = key_lens ? key_lens[i] : SYNADB_NTS;
        if ((r = synadb__cc_check_key(c, keys[i], &kl[i])) != SYNADB_OK) synadb__ccerr(c, r, "key %llu: %s", (unsigned long long)i, r == SYNADB_ERR_INVALID_ARG ? "NULL" : r == SYNADB_ERR_EMPTY_KEY ? "empty" : "longer than 65535 bytes");
        else if (synadb_vec_check(vecs + i * c->dims, c->dims, (synadb_metric)c->metric))
            r = synadb__ccerr(c, SYNADB_ERR_BAD_VECTOR, "vector %llu has a NaN or infinite component, or is zero under cosine", (unsigned long long)i);
    }
    if (!r && n > 1) {   /* a key repeated in the batch: only its last occurrence is inserted */
        size_t cap = 16, j;
        uint64_t *tab;
        while (cap < 2 * n) cap *= 2;
        tab = (uint64_t *)SYNADB__ALLOC(&c->a, cap * sizeof *tab);
        skip = (uint8_t *)SYNADB__ALLOC(&c->a, n);
        if (!tab || !skip) r = synadb__ccerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
        else {
            memset(tab, 0xff, cap * sizeof *tab);
            memset(skip, 0, n);
            for (i = n; i-- > 0;) {
                j = (size_t)synadb__hash(keys[i], kl[i], 1) & (cap - 1);
                for (;;) {
                    uint64_t o = tab[j];
                    if (o == UINT64_MAX) { tab[j] = i; break; }
                    if (kl[o] == kl[i] && memcmp(keys[o], keys[i], kl[i]) == 0) { skip[i] = 1; break; }
                    j = (j + 1) & (cap - 1);
                }
            }
        }
        SYNADB__FREE(&c->a, tab);
    }
    if (!r && !SYNADB__LD_ACQ(&c->has_centre)) r = synadb__cc_centre_from(c, vecs, n);
    if (r) { SYNADB__FREE(&c->a, kl); SYNADB__FREE(&c->a, skip); return r; }
    threads = c->cfg.threads > 0 ? c->cfg.threads : synadb__ncpu();
    if (threads > 64) threads = 64;
    if ((size_t)threads > n) threads = (int)n;
    memset(&b, 0, sizeof b);
    b.c = c; b.keys = keys; b.klens = kl; b.skip = skip; b.vecs = vecs; b.n = n;
    if (threads > 1 && SYNADB__LD_ACQ(&c->g->entry) == SYNADB__HNSW_EMPTY) {   /* one alone, so that the workers start from an entry point */
        b.next = 1;
        if (!skip || !skip[0]) {
            r = synadb_cascade_insert(c, keys[0], kl[0], vecs);
            if (r) { SYNADB__FREE(&c->a, kl); SYNADB__FREE(&c->a, skip); return r; }
        }
    }
    for (t = 1; t < threads; t++) {
        ta[t].fn = synadb__ccbatch_worker; ta[t].arg = &b;
        if (synadb__thread_start(&th[t], &ta[t]) == 0) started = t;
        else break;
    }
    synadb__ccbatch_worker(&b);
    for (t = 1; t <= started; t++) synadb__thread_join(th[t]);
    SYNADB__FREE(&c->a, kl);
    SYNADB__FREE(&c->a, skip);
    return b.err;
}

/* ---- search and lookups ---- */
SYNADB_VEC_API synadb_result synadb_cascade_search(synadb_cascade *c, const float *query, size_t k, size_t num_probes,
                                                   size_t ef, synadb_vec_hit *out, size_t *out_n) {
    synadb_hnsw *g;
    synadb__hctx *x;
    float fstack[1024 + 256], *fb = fstack;
    uint32_t wstack[64 + 512], *wb = wstack, *codes, *seeds;
    size_t ns, i, rn, nseed;
    uint64_t e;
    const float *q;
    synadb_result r = SYNADB_OK;
    if (out_n) *out_n = 0;
    if (!c) return SYNADB_ERR_INVALID_ARG;
    if (!query || !out_n || (!out && k)) return synadb__ccerr(c, SYNADB_ERR_INVALID_ARG, "query, out or out_n is NULL");
    if (synadb_vec_check(query, c->dims, (synadb_metric)c->metric))
        return synadb__ccerr(c, SYNADB_ERR_BAD_VECTOR, "query has a NaN or infinite component%s", c->metric == SYNADB_METRIC_COSINE ? ", or is zero (cosine)" : "");
    if (!k) return SYNADB_OK;
    g = c->g;
    if (!num_probes) num_probes = c->cfg.num_probes;
    if (num_probes > 256) num_probes = 256;
    if (!ef) ef = c->cfg.ef_search;
    if (ef > (size_t)1 << 20) ef = (size_t)1 << 20;   /* the configuration's limit (a huge ef overflowed the beam's sizes) */
    if (ef < k) ef = k;
    if (synadb__cc_fbuf(c) > sizeof fstack / sizeof *fstack) fb = (float *)SYNADB__ALLOC(&c->a, synadb__cc_fbuf(c) * sizeof *fb);
    if (synadb__cc_wbuf(c) > sizeof wstack / sizeof *wstack) wb = (uint32_t *)SYNADB__ALLOC(&c->a, synadb__cc_wbuf(c) * sizeof *wb);
    if (!fb || !wb) { r = synadb__ccerr(c, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
    codes = wb; seeds = wb + c->tables;
    q = query;
    if (c->metric == SYNADB_METRIC_COSINE) { synadb__vnormalize(&g->k, query, fb, c->dims); q = fb; }
    synadb__rw_rdlock(&c->rw);
    if (!c->has_centre) { synadb__rw_rdunlock(&c->rw); goto out; }
    synadb__cc_hash(c, q, fb + c->dims, codes);
    synadb__rw_rdlock(&g->grow);   /* before collect: it reads the graph's deleted flags, which move when it grows */
    ns = synadb__cc_collect(c, q, fb + c->dims, codes, (uint32_t)num_probes, seeds, c->cfg.max_entries);
    synadb__rw_rdunlock(&c->rw);
    ns = synadb__cc_unique(seeds, ns);
    e = SYNADB__LD_ACQ(&g->entry);
    if (e == SYNADB__HNSW_EMPTY) { synadb__rw_rdunlock(&g->grow); goto out; }
    x = synadb__hctx_get(g, ef > ns ? ef : ns);
    if (!x) { synadb__rw_rdunlock(&g->grow); r = synadb__ccerr(c, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
    nseed = 0;
    for (i = 0; i < ns && nseed + 1 < x->sel_cap; i++) {
        if (seeds[i] == (uint32_t)e) continue;
        x->sel[nseed].id = seeds[i]; x->sel[nseed].d = synadb__hd(g, q, SYNADB__HVEC(g, seeds[i])); nseed++;
    }
    x->sel[nseed].id = (uint32_t)e; x->sel[nseed].d = synadb__hd(g, q, SYNADB__HVEC(g, (uint32_t)e)); nseed++;
    rn = synadb__hsearch_layer(g, x, q, x->sel, nseed, ef, 0, 1);
    {   /* a node replaced during the search is dropped: its key's new node may be among the
           results too (it was marked before the new node was published) */
        size_t m = 0;
        for (i = 0; i < rn; i++) {
            synadb__hn hn = x->res[i];
            if (!SYNADB__LD_ACQ(&g->deleted[hn.id])) synadb__hmax_push(x->res, &m, hn.d, hn.id);
        }
        rn = m;
    }
    synadb__hnsw_hits(g, x, q, rn, k, out, out_n);
    synadb__hctx_put(g, x);
    synadb__rw_rdunlock(&g->grow);
out:
    if (fb != fstack) SYNADB__FREE(&c->a, fb);
    if (wb != wstack) SYNADB__FREE(&c->a, wb);
    return r;
}
/* The live node of a key (checking the key bytes: labels are 64-bit hashes). */
SYNADB_PRIVATE int synadb__cc_find(synadb_cascade *c, const char *key, size_t klen, uint32_t *node) {
    synadb_hnsw *g = c->g;
    int ok;
    synadb__mutex_lock(&g->gmu);
    ok = synadb__hmap_find(g, synadb_hnsw_key_label(key, klen), node) && g->nkey && g->nkey[*node] &&
         synadb__kstore_len(g->nkey[*node]) == klen && memcmp(g->nkey[*node], key, klen) == 0;
    synadb__mutex_unlock(&g->gmu);
    return ok;
}
SYNADB_VEC_API synadb_result synadb_cascade_get(synadb_cascade *c, const char *key, size_t key_len, float *out) {
    synadb_result r;
    uint32_t node;
    if (!c) return SYNADB_ERR_INVALID_ARG;
    if ((r = synadb__cc_check_key(c, key, &key_len)) != SYNADB_OK) return r;
    if (!out) return synadb__ccerr(c, SYNADB_ERR_INVALID_ARG, "out is NULL");
    synadb__rw_rdlock(&c->g->grow);
    if (synadb__cc_find(c, key, key_len, &node)) memcpy(out, SYNADB__HVEC(c->g, node), (size_t)c->dims * sizeof *out);
    else r = synadb__ccerr(c, SYNADB_ERR_KEY_NOT_FOUND, "key not in the index");
    synadb__rw_rdunlock(&c->g->grow);
    return r;
}
SYNADB_VEC_API int synadb_cascade_contains(synadb_cascade *c, const char *key, size_t key_len) {
    uint32_t node;
    int r;
    if (!c || !key) return 0;
    if (key_len == SYNADB_NTS) key_len = strlen(key);
    if (!key_len) return 0;
    synadb__rw_rdlock(&c->g->grow);   /* the graph's key table moves when it grows */
    r = synadb__cc_find(c, key, key_len, &node);
    synadb__rw_rdunlock(&c->g->grow);
    return r;
}
SYNADB_VEC_API synadb_result synadb_cascade_delete(synadb_cascade *c, const char *key, size_t key_len) {
    synadb_result r;
    uint32_t node;
    int found;
    if (!c) return SYNADB_ERR_INVALID_ARG;
    if ((r = synadb__cc_check_key(c, key, &key_len)) != SYNADB_OK) return r;
    synadb__rw_rdlock(&c->g->grow);   /* the graph's key table moves when it grows */
    found = synadb__cc_find(c, key, key_len, &node);
    synadb__rw_rdunlock(&c->g->grow);
    if (!found) return synadb__ccerr(c, SYNADB_ERR_KEY_NOT_FOUND, "key not in the index");
    r = synadb_hnsw_delete(c->g, synadb_hnsw_key_label(key, key_len));
    if (r) return synadb__ccerr(c, r, "%s", c->g->errmsg);
    synadb__rw_wrlock(&c->rw);
    c->dirty = 1;
    synadb__rw_wrunlock(&c->rw);
    return SYNADB_OK;
}
SYNADB_VEC_API size_t synadb_cascade_len(synadb_cascade *c) { return c ? synadb_hnsw_len(c->g) : 0; }
SYNADB_VEC_API uint32_t synadb_cascade_dims(synadb_cascade *c) { return c ? c->dims : 0; }
SYNADB_VEC_API synadb_result synadb_cascade_stats_get(synadb_cascade *c, synadb_cascade_stats *out) {
    synadb_hnsw_stats hs;
    synadb_result r;
    uint32_t i;
    uint64_t members = 0;
    if (!c || !out) return SYNADB_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    r = synadb_hnsw_stats_get(c->g, &hs);
    if (r) return r;
    synadb__rw_rdlock(&c->rw);
    for (i = 0; i < c->nnodes; i++) if (c->nodes[i].child[0] == SYNADB__CC_NONE) {
        out->buckets++;
        members += c->nodes[i].n;
        if (c->nodes[i].depth > out->max_bucket_depth) out->max_bucket_depth = c->nodes[i].depth;
    }
    out->config = c->cfg;
    synadb__rw_rdunlock(&c->rw);
    memset(&out->config.allocator, 0, sizeof out->config.allocator);
    out->vectors = hs.live;
    out->nodes = hs.nodes;
    out->avg_bucket_size = out->buckets ? (double)members / (double)out->buckets : 0.0;
    out->edges = hs.total_edges;
    out->avg_neighbors = hs.avg_edges_per_node;
    return SYNADB_OK;
}

/* ======================================================================== >>vec.gwi
   Gravity Well Index. File format version 1 (little-endian):
     0      header region, 4096 bytes: meta slots A at 0 and B at 2048, 128 bytes each:
              0 magic "SYNAGWIX"   8 u32 version (1)   12 u32 dims   16 u32 metric
              20 u32 branching factor   24 u32 levels   28 u32 k-means iterations
              32 u32 default nprobe   36 u32 flags (1 = initialised)   40 u64 seed
              48 u64 file id (random; seeds the entry CRCs)   56 u64 checkpoint sequence
              64 u64 entries covered   72 u64 write offset covered
              80 u64 attractor table offset (4096)   88 u64 attractor count
              96 u32 masked CRC32C of the attractor table   100 u32 max points per centroid
              104 reserved, zero   124 u32 masked CRC32C of bytes 0..123
            The valid slot with the higher sequence wins; a checkpoint overwrites the older.
     4096   attractor table (initialised files only): level by level (1, B, B^2 .. B^L
            attractors), dims x f32 each; the children of attractor i of level l are
            i*B .. i*B+B-1 of level l+1. Zeros up to a multiple of 4096.
     then   entries, back to back:
              0 u32 masked CRC32C (seeded with the file id) of bytes 4 .. end of entry
              4 u32 sequence (entry number + 1, low 32 bits)   8 u16 key length (>= 1)
              10 u16 flags (1 = delete)   12 u32 leaf   16 key, zeros to a multiple of 4
              then dims x f32 (not for deletes; normalised under cosine)
   Entries up to the checkpoint's write offset must be intact (else SYNADB_ERR_CORRUPT);
   after it, entries are accepted while intact and numbered in sequence (a process crash
   loses nothing written), and a writer cuts the torn tail off.
   In memory each leaf keeps its vectors in one contiguous array (scans are sequential);
   replacing or deleting a key moves the leaf's last vector into its place. */
#define SYNADB__GW_HDR 4096u
#define SYNADB__GW_SLOT 128u
#define SYNADB__GW_SLOT_B 2048u
#define SYNADB__GW_VERSION 1u
#define SYNADB__GW_FINIT 1u
#define SYNADB__GW_FDEL 1u
#define SYNADB__GW_MAX_LEAVES ((uint64_t)1 << 24)
#define SYNADB__GW_NONE 0xFFFFFFFFu
static const uint8_t synadb__gw_magic[8] = {'S', 'Y', 'N', 'A', 'G', 'W', 'I', 'X'};

typedef struct synadb__gleaf { float *v; uint32_t *slot; uint32_t n, cap; } synadb__gleaf;
struct synadb_gwi {
    synadb_allocator a;
    synadb_vec_kernels k;
    synadb__fd fd;
    uint32_t dims, B, L, iters, nprobe, mppc, metric, threads;
    uint64_t seed, cap_hint;
    int init, hw, read_only;
    uint32_t nleaves;
    uint64_t natt, leaf_base;    /* attractors in all; index of the first leaf attractor */
    float *att;
    synadb__gleaf *leaves;
    const char **skey;           /* slot -> key (stable, in `keys`) */
    uint32_t *sklen, *sleaf, *spos;   /* sleaf NONE = deleted */
    uint64_t nslot, slot_cap, live;
    uint32_t *map;               /* slot + 1, open addressing; 0 = empty */
    uint64_t map_cap;
    synadb__kstore keys;
    uint64_t file_id;
    uint32_t crc_seed;
    uint64_t data_off, end, count, ck_seq;
    int ck_slot, dirty;
    synadb__rwlock rw;
    synadb__mutex emu;
    char errmsg[512];
};

SYNADB__DEFINE_ERR(synadb__gwerr, synadb_gwi)
SYNADB_VEC_API const char *synadb_gwi_errmsg(const synadb_gwi *g) { return g ? g->errmsg : "no index"; }

SYNADB_VEC_API synadb_gwi_config synadb_gwi_config_default(uint32_t dims, synadb_metric m) {
    synadb_gwi_config c;
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    c.dims = dims; c.metric = m;
    c.branching_factor = 16; c.num_levels = 3; c.kmeans_iterations = 10; c.nprobe = 3;
    c.max_points_per_centroid = 256; c.initial_capacity = 10000; c.seed = 42;
    return c;
}

/* ---- small helpers ---- */
SYNADB_PRIVATE uint64_t synadb__gw_rng(uint64_t *s) { /* splitmix64 */
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
SYNADB_PRIVATE double synadb__gw_unif(uint64_t *s) { return (double)(synadb__gw_rng(s) >> 11) * (1.0 / 9007199254740992.0); }
/* Validates and prepares a vector into dst (normalised under cosine). */
SYNADB_PRIVATE synadb_result synadb__gw_prep(const synadb_gwi *g, const float *v, float *dst) {
    synadb_result r = synadb_vec_check(v, g->dims, (synadb_metric)g->metric);
    if (r) return r;
    if (g->metric == SYNADB_METRIC_COSINE) {
        float n2 = g->k.dot(v, v, g->dims), inv;
        uint32_t i;
        if (!(n2 > 0) || n2 - n2 != 0) return SYNADB_ERR_BAD_VECTOR;
        inv = 1.0f / sqrtf(n2);
        for (i = 0; i < g->dims; i++) dst[i] = v[i] * inv;
    } else if (dst != v) memcpy(dst, v, (size_t)g->dims * sizeof *dst);
    return SYNADB_OK;
}
/* The descent: nearest child at each level (first of equals). Returns the leaf. */
SYNADB_PRIVATE uint32_t synadb__gw_route(const synadb_gwi *g, const float *x) {
    uint64_t node = 0, lvl_base = 0, width = 1;
    uint32_t l, j;
    for (l = 1; l <= g->L; l++) {
        uint64_t cbase, best = 0;
        float bd = FLT_MAX;
        lvl_base += width; width *= g->B;
        cbase = node * g->B;
        for (j = 0; j < g->B; j++) {
            float d = g->k.l2sq(x, g->att + (lvl_base + cbase + j) * g->dims, g->dims);
            if (d < bd) { bd = d; best = cbase + j; }
        }
        node = best;
    }
    return (uint32_t)node;
}

/* ---- k-means for the children of one parent ----
   x: m rows (pointers); c: K centroids out (initialised with the parent). asg: m outputs,
   the nearest final centroid of each row. Trains on at most mppc*K rows (a random subset). */
typedef struct synadb__gwkm { const synadb_gwi *g; const float **x; size_t m; uint32_t K; float *c; uint32_t *asg;
                              float *dist; double *sum; uint32_t *cnt; uint64_t rng; } synadb__gwkm;
SYNADB_PRIVATE size_t synadb__gw_assign(synadb__gwkm *km, size_t m, int *changed) {
    size_t i, ch = 0;
    uint32_t j, d = km->g->dims;
    for (i = 0; i < m; i++) {
        uint32_t best = 0;
        float bd = FLT_MAX;
        for (j = 0; j < km->K; j++) {
            float dd = km->g->k.l2sq(km->x[i], km->c + (size_t)j * d, d);
            if (dd < bd) { bd = dd; best = j; }
        }
        if (km->asg[i] != best) { ch++; km->asg[i] = best; }
        km->dist[i] = bd;
    }
    if (changed) *changed = ch != 0;
    return ch;
}
SYNADB_PRIVATE void synadb__gw_kmeans(synadb__gwkm *km) {
    const synadb_gwi *g = km->g;
    uint32_t d = g->dims, K = km->K, j, c;
    size_t m = km->m, mt = m, i, it;
    int changed;
    if (!m) return;   /* children stay copies of the parent */
    if ((uint64_t)g->mppc * K < m) {  /* train on a random subset: partial Fisher-Yates to the front */
        mt = (size_t)g->mppc * K;
        for (i = 0; i < mt; i++) {
            size_t r = i + (size_t)(synadb__gw_rng(&km->rng) % (m - i));
            const float *t = km->x[i]; km->x[i] = km->x[r]; km->x[r] = t;
        }
    }
    /* k-means++ seeding */
    memcpy(km->c, km->x[synadb__gw_rng(&km->rng) % mt], (size_t)d * sizeof(float));
    for (i = 0; i < mt; i++) km->dist[i] = g->k.l2sq(km->x[i], km->c, d);
    for (j = 1; j < K; j++) {
        double tot = 0, pick, acc = 0;
        size_t sel = 0;
        for (i = 0; i < mt; i++) tot += km->dist[i];
        if (tot <= 0) { memcpy(km->c + (size_t)j * d, km->c, (size_t)d * sizeof(float)); continue; }
        pick = synadb__gw_unif(&km->rng) * tot;
        for (i = 0; i < mt; i++) { acc += km->dist[i]; if (acc >= pick && km->dist[i] > 0) { sel = i; break; } sel = i; }
        memcpy(km->c + (size_t)j * d, km->x[sel], (size_t)d * sizeof(float));
        for (i = 0; i < mt; i++) {
            float dd = g->k.l2sq(km->x[i], km->c + (size_t)j * d, d);
            if (dd < km->dist[i]) km->dist[i] = dd;
        }
    }
    for (i = 0; i < m; i++) km->asg[i] = SYNADB__GW_NONE;
    for (it = 0;; it++) {
        synadb__gw_assign(km, mt, &changed);
        if (it >= g->iters || (it > 0 && !changed)) break;
        memset(km->sum, 0, (size_t)K * d * sizeof(double));
        memset(km->cnt, 0, (size_t)K * sizeof(uint32_t));
        for (i = 0; i < mt; i++) {
            double *s = km->sum + (size_t)km->asg[i] * d;
            km->cnt[km->asg[i]]++;
            for (c = 0; c < d; c++) s[c] += km->x[i][c];
        }
        for (j = 0; j < K; j++) {
            if (km->cnt[j]) {
                for (c = 0; c < d; c++) km->c[(size_t)j * d + c] = (float)(km->sum[(size_t)j * d + c] / km->cnt[j]);
            } else { /* empty: re-seed with the row farthest from its centroid */
                size_t fi = 0;
                for (i = 1; i < mt; i++) if (km->dist[i] > km->dist[fi]) fi = i;
                memcpy(km->c + (size_t)j * d, km->x[fi], (size_t)d * sizeof(float));
                km->dist[fi] = 0;
            }
        }
    }
    if (mt < m) synadb__gw_assign(km, m, NULL);   /* the untrained rows */
}

/* ---- meta slots ---- */
SYNADB_PRIVATE void synadb__gw_meta(const synadb_gwi *g, uint8_t *p, uint64_t seq, uint32_t attcrc) {
    memset(p, 0, SYNADB__GW_SLOT);
    memcpy(p, synadb__gw_magic, 8);
    synadb__wr32(p + 8, SYNADB__GW_VERSION); synadb__wr32(p + 12, g->dims); synadb__wr32(p + 16, g->metric);
    synadb__wr32(p + 20, g->B); synadb__wr32(p + 24, g->L); synadb__wr32(p + 28, g->iters);
    synadb__wr32(p + 32, g->nprobe); synadb__wr32(p + 36, g->init ? SYNADB__GW_FINIT : 0);
    synadb__wr64(p + 40, g->seed); synadb__wr64(p + 48, g->file_id); synadb__wr64(p + 56, seq);
    synadb__wr64(p + 64, g->count); synadb__wr64(p + 72, g->end);
    synadb__wr64(p + 80, g->init ? SYNADB__GW_HDR : 0); synadb__wr64(p + 88, g->init ? g->natt : 0);
    synadb__wr32(p + 96, attcrc); synadb__wr32(p + 100, g->mppc);
    synadb__wr32(p + 124, synadb__crc_mask(synadb_crc32c(0, p, 124)));
}
SYNADB_PRIVATE uint32_t synadb__gw_attcrc(const synadb_gwi *g) {
    return g->init ? synadb__crc_mask(synadb_crc32c(0, g->att, (size_t)(g->natt * g->dims * 4))) : 0;
}
/* Writes a new meta slot over the older one, after an fsync of everything before it. */
SYNADB_PRIVATE synadb_result synadb__gw_checkpoint(synadb_gwi *g) {
    uint8_t p[SYNADB__GW_SLOT];
    int slot = g->ck_slot ^ 1, e;
    if (g->read_only) return SYNADB_OK;
    if ((e = synadb__fsync(g->fd)) != 0) return synadb__gwerr(g, SYNADB_ERR_IO, "fsync: error %d", e);
    synadb__gw_meta(g, p, g->ck_seq + 1, synadb__gw_attcrc(g));
    if ((e = synadb__pwrite(g->fd, p, sizeof p, slot ? SYNADB__GW_SLOT_B : 0)) != 0 || (e = synadb__fsync(g->fd)) != 0)
        return synadb__gwerr(g, SYNADB_ERR_IO, "writing the meta slot: error %d", e);
    g->ck_seq++; g->ck_slot = slot; g->dirty = 0;
    return SYNADB_OK;
}

/* ---- memory: keys, slots, leaves ---- */
SYNADB_PRIVATE int64_t synadb__gw_find(const synadb_gwi *g, const char *key, size_t klen, uint64_t *ins) {
    uint64_t h = synadb_hnsw_key_label(key, klen), mask = g->map_cap - 1, i = h & mask;
    for (;; i = (i + 1) & mask) {
        uint32_t s = g->map[i];
        if (!s) { if (ins) *ins = i; return -1; }
        if (g->sklen[s - 1] == klen && memcmp(g->skey[s - 1], key, klen) == 0) return (int64_t)(s - 1);
    }
}
SYNADB_PRIVATE int synadb__gw_grow_map(synadb_gwi *g) {
    uint64_t nc = g->map_cap ? g->map_cap * 2 : 1024, i, s;
    uint32_t *nm = (uint32_t *)SYNADB__ALLOC(&g->a, (size_t)nc * sizeof *nm);
    if (!nm) return -1;
    memset(nm, 0, (size_t)nc * sizeof *nm);
    for (s = 0; s < g->nslot; s++) {
        i = synadb_hnsw_key_label(g->skey[s], g->sklen[s]) & (nc - 1);
        while (nm[i]) i = (i + 1) & (nc - 1);
        nm[i] = (uint32_t)(s + 1);
    }
    SYNADB__FREE(&g->a, g->map);
    g->map = nm; g->map_cap = nc;
    return 0;
}
SYNADB_PRIVATE int synadb__gw_grow_slots(synadb_gwi *g) {
    uint64_t nc = g->slot_cap ? g->slot_cap * 2 : 1024;
    void *p;
    if (nc > 0xFFFFFFF0u) return -1;
#define SYNADB__GW_RE(f, T) p = SYNADB__REALLOC(&g->a, (void *)g->f, (size_t)nc * sizeof(T)); if (!p) return -1; g->f = (T *)p;
    SYNADB__GW_RE(skey, const char *) SYNADB__GW_RE(sklen, uint32_t) SYNADB__GW_RE(sleaf, uint32_t) SYNADB__GW_RE(spos, uint32_t)
#undef SYNADB__GW_RE
    g->slot_cap = nc;
    return 0;
}
SYNADB_PRIVATE void synadb__gw_unlink(synadb_gwi *g, uint32_t s) {
    synadb__gleaf *lf = &g->leaves[g->sleaf[s]];
    uint32_t pos = g->spos[s], last = lf->n - 1;
    if (pos != last) {
        memcpy(lf->v + (size_t)pos * g->dims, lf->v + (size_t)last * g->dims, (size_t)g->dims * sizeof(float));
        lf->slot[pos] = lf->slot[last];
        g->spos[lf->slot[pos]] = pos;
    }
    lf->n--;
    g->sleaf[s] = SYNADB__GW_NONE;
    g->live--;
}
/* Applies an insert (vec != NULL) or a delete to memory. Keys must be valid. */
SYNADB_PRIVATE synadb_result synadb__gw_apply(synadb_gwi *g, const char *key, size_t klen, uint32_t leaf, const float *vec) {
    uint64_t ins = 0;
    int64_t s = g->map ? synadb__gw_find(g, key, klen, &ins) : -1;
    synadb__gleaf *lf;
    if (s >= 0 && g->sleaf[s] != SYNADB__GW_NONE) synadb__gw_unlink(g, (uint32_t)s);
    if (!vec) return SYNADB_OK;
    if (s < 0) {
        if ((g->nslot + 1) * 2 > g->map_cap) {
            if (synadb__gw_grow_map(g)) return SYNADB_ERR_NO_MEMORY;
            synadb__gw_find(g, key, klen, &ins);
        }
        if (g->nslot == g->slot_cap && synadb__gw_grow_slots(g)) return SYNADB_ERR_NO_MEMORY;
        s = (int64_t)g->nslot;
        g->skey[s] = synadb__kstore_add(&g->a, &g->keys, key, klen);
        if (!g->skey[s]) return SYNADB_ERR_NO_MEMORY;
        g->sklen[s] = (uint32_t)klen; g->sleaf[s] = SYNADB__GW_NONE;
        g->map[ins] = (uint32_t)(s + 1);
        g->nslot++;
    }
    lf = &g->leaves[leaf];
    if (lf->n == lf->cap) {
        uint32_t nc = lf->cap ? lf->cap * 2 : (uint32_t)(g->cap_hint / g->nleaves + 4);
        float *nv = (float *)SYNADB__REALLOC(&g->a, lf->v, (size_t)nc * g->dims * sizeof(float));
        uint32_t *ns;
        if (!nv) return SYNADB_ERR_NO_MEMORY;
        lf->v = nv;
        ns = (uint32_t *)SYNADB__REALLOC(&g->a, lf->slot, (size_t)nc * sizeof(uint32_t));
        if (!ns) return SYNADB_ERR_NO_MEMORY;
        lf->slot = ns; lf->cap = nc;
    }
    memcpy(lf->v + (size_t)lf->n * g->dims, vec, (size_t)g->dims * sizeof(float));
    lf->slot[lf->n] = (uint32_t)s;
    g->sleaf[s] = leaf; g->spos[s] = lf->n++;
    g->live++;
    return SYNADB_OK;
}

/* ---- entries ---- */
SYNADB_PRIVATE size_t synadb__gw_esize(const synadb_gwi *g, size_t klen, int del) {
    return 16 + ((klen + 3) & ~(size_t)3) + (del ? 0 : (size_t)g->dims * 4);
}
SYNADB_PRIVATE size_t synadb__gw_encode(const synadb_gwi *g, uint8_t *p, uint64_t seq, const char *key, size_t klen,
                                        uint32_t leaf, const float *vec) {
    size_t n = synadb__gw_esize(g, klen, vec == NULL), kp = (klen + 3) & ~(size_t)3, i;
    synadb__wr32(p + 4, (uint32_t)seq);
    p[8] = (uint8_t)klen; p[9] = (uint8_t)(klen >> 8);
    p[10] = vec ? 0 : SYNADB__GW_FDEL; p[11] = 0;
    synadb__wr32(p + 12, leaf);
    memcpy(p + 16, key, klen);
    memset(p + 16 + klen, 0, kp - klen);
    if (vec) for (i = 0; i < g->dims; i++) { uint32_t u; memcpy(&u, vec + i, 4); synadb__wr32(p + 16 + kp + 4 * i, u); }
    synadb__wr32(p, synadb__crc_mask(synadb__crc(g->hw, g->crc_seed, p + 4, n - 4)));
    return n;
}
SYNADB_PRIVATE synadb_result synadb__gw_append(synadb_gwi *g, const uint8_t *buf, size_t n, uint64_t entries) {
    int e = synadb__pwrite(g->fd, buf, n, g->end);
    if (e) return synadb__gwerr(g, e == ENOSPC ? SYNADB_ERR_DISK_FULL : SYNADB_ERR_IO, "write failed: error %d", e);
    g->end += n; g->count += entries; g->dirty = 1;
    return SYNADB_OK;
}
SYNADB_PRIVATE synadb_result synadb__gw_key(const char *key, size_t *klen) {
    if (!key) return SYNADB_ERR_INVALID_ARG;
    if (*klen == SYNADB_NTS) *klen = strlen(key);
    if (!*klen) return SYNADB_ERR_EMPTY_KEY;
    if (*klen > 0xffff) return SYNADB_ERR_KEY_TOO_LONG;
    return SYNADB_OK;
}

/* ---- open / create ---- */
SYNADB_PRIVATE void synadb__gw_free(synadb_gwi *g) {
    uint32_t i;
    synadb_allocator a = g->a;
    if (g->fd != SYNADB__BADFD) synadb__fclose(g->fd);
    if (g->leaves) for (i = 0; i < g->nleaves; i++) { SYNADB__FREE(&a, g->leaves[i].v); SYNADB__FREE(&a, g->leaves[i].slot); }
    SYNADB__FREE(&a, g->leaves); SYNADB__FREE(&a, g->att);
    SYNADB__FREE(&a, g->skey); SYNADB__FREE(&a, g->sklen); SYNADB__FREE(&a, g->sleaf); SYNADB__FREE(&a, g->spos);
    SYNADB__FREE(&a, g->map);
    synadb__kstore_free(&a, &g->keys);
    synadb__rw_destroy(&g->rw);
    synadb__mutex_destroy(&g->emu);
    SYNADB__FREE(&a, g);
}
/* Sets the shape (B, L) and allocates attractors and leaves. */
SYNADB_PRIVATE synadb_result synadb__gw_shape(synadb_gwi *g) {
    uint64_t w = 1, tot = 1;
    uint32_t l;
    for (l = 0; l < g->L; l++) { w *= g->B; if (w > SYNADB__GW_MAX_LEAVES) return SYNADB_ERR_INVALID_ARG; tot += w; }
    g->nleaves = (uint32_t)w; g->natt = tot; g->leaf_base = tot - w;
    if ((double)tot * g->dims * 4 > (double)((size_t)-1 / 2)) return SYNADB_ERR_TOO_LARGE;
    g->att = (float *)SYNADB__ALLOC(&g->a, (size_t)(tot * g->dims) * sizeof(float));
    g->leaves = (synadb__gleaf *)SYNADB__ALLOC(&g->a, (size_t)w * sizeof *g->leaves);
    if (!g->att || !g->leaves) return SYNADB_ERR_NO_MEMORY;
    memset(g->leaves, 0, (size_t)w * sizeof *g->leaves);
    return SYNADB_OK;
}
SYNADB_PRIVATE synadb_result synadb__gw_load(synadb_gwi *g, uint64_t fsize, char *eb, size_t ebn) {
    uint8_t hdr[SYNADB__GW_HDR], *p, *buf = NULL;
    const uint8_t *best = NULL;
    int s, magic = 0, e;
    uint64_t ck_count, ck_end, off, seq, attb;
    synadb_result r;
    if (fsize < SYNADB__GW_HDR) return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "GWI file truncated (%llu bytes, header needs 4096)", (unsigned long long)fsize);
    if ((e = synadb__pread(g->fd, hdr, sizeof hdr, 0)) != 0) return synadb__mm_eopen(eb, ebn, SYNADB_ERR_IO, "read: error %d", e);
    for (s = 0; s < 2; s++) {
        p = hdr + (s ? SYNADB__GW_SLOT_B : 0);
        if (memcmp(p, synadb__gw_magic, 8) != 0) continue;
        magic = 1;
        if (synadb__rd32(p + 124) != synadb__crc_mask(synadb_crc32c(0, p, 124))) continue;
        if (!best || synadb__rd64(p + 56) > synadb__rd64(best + 56)) { best = p; g->ck_slot = s; }
    }
    if (!best) return synadb__mm_eopen(eb, ebn, magic ? SYNADB_ERR_CHECKSUM : SYNADB_ERR_NOT_A_DATABASE,
                                       magic ? "GWI header damaged (both meta slots fail their checksum)" : "not a GWI file (bad magic)");
    if (synadb__rd32(best + 8) != SYNADB__GW_VERSION) return synadb__mm_eopen(eb, ebn, SYNADB_ERR_VERSION, "GWI format version %u not supported", synadb__rd32(best + 8));
    g->dims = synadb__rd32(best + 12); g->metric = synadb__rd32(best + 16); g->B = synadb__rd32(best + 20);
    g->L = synadb__rd32(best + 24); g->iters = synadb__rd32(best + 28); g->nprobe = synadb__rd32(best + 32);
    g->init = (synadb__rd32(best + 36) & SYNADB__GW_FINIT) != 0; g->seed = synadb__rd64(best + 40);
    g->file_id = synadb__rd64(best + 48); g->ck_seq = synadb__rd64(best + 56);
    ck_count = synadb__rd64(best + 64); ck_end = synadb__rd64(best + 72); g->mppc = synadb__rd32(best + 100);
    if (!g->dims || g->dims > SYNADB_VEC_MAX_DIMS || g->metric > 2 || g->B < 2 || g->B > 1024 || !g->L || g->L > 8 ||
        !g->iters || g->iters > 100 || !g->mppc)
        return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "GWI header has impossible values");
    if ((r = synadb__gw_shape(g)) != SYNADB_OK) return synadb__mm_eopen(eb, ebn, r == SYNADB_ERR_NO_MEMORY ? r : SYNADB_ERR_CORRUPT, "GWI shape B=%u L=%u refused", g->B, g->L);
    g->crc_seed = (uint32_t)(g->file_id ^ (g->file_id >> 32));
    if (!g->init) {
        g->data_off = g->end = SYNADB__GW_HDR;
        if (ck_count || ck_end != SYNADB__GW_HDR) return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "uninitialised GWI with entries");
        return SYNADB_OK;
    }
    attb = g->natt * g->dims * 4;
    g->data_off = SYNADB__GW_HDR + ((attb + 4095) & ~(uint64_t)4095);
    if (synadb__rd64(best + 80) != SYNADB__GW_HDR || synadb__rd64(best + 88) != g->natt)
        return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "GWI attractor table description damaged");
    if (fsize < g->data_off || ck_end < g->data_off || ck_end > fsize)
        return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "GWI file truncated (%llu bytes, checkpoint covers %llu)",
                                (unsigned long long)fsize, (unsigned long long)ck_end);
    if ((e = synadb__pread(g->fd, g->att, (size_t)attb, SYNADB__GW_HDR)) != 0) return synadb__mm_eopen(eb, ebn, SYNADB_ERR_IO, "read: error %d", e);
    if (synadb__crc_mask(synadb_crc32c(0, g->att, (size_t)attb)) != synadb__rd32(best + 96))
        return synadb__mm_eopen(eb, ebn, SYNADB_ERR_CHECKSUM, "GWI attractor table fails its checksum");
    {   /* convert the table from little-endian in place */
        uint64_t i;
        for (i = 0; i < g->natt * g->dims; i++) { uint32_t u = synadb__rd32((const uint8_t *)(g->att + i)); memcpy(g->att + i, &u, 4); }
    }
    /* entries */
    if (fsize - g->data_off > (uint64_t)((size_t)-1 / 2)) return synadb__mm_eopen(eb, ebn, SYNADB_ERR_TOO_LARGE, "GWI file too large for memory");
    buf = (uint8_t *)SYNADB__ALLOC(&g->a, (size_t)(fsize - g->data_off) + 1);
    if (!buf) return synadb__mm_eopen(eb, ebn, SYNADB_ERR_NO_MEMORY, "out of memory reading entries");
    if (fsize > g->data_off && (e = synadb__pread(g->fd, buf, (size_t)(fsize - g->data_off), g->data_off)) != 0) {
        SYNADB__FREE(&g->a, buf);
        return synadb__mm_eopen(eb, ebn, SYNADB_ERR_IO, "read: error %d", e);
    }
    {
        float *vec = (float *)SYNADB__ALLOC(&g->a, (size_t)g->dims * sizeof(float));
        r = vec ? SYNADB_OK : SYNADB_ERR_NO_MEMORY;
        off = g->data_off; seq = 0;
        while (!r) {
            uint64_t rem = fsize - off;
            size_t klen, n, i;
            int del, ok = 0;
            const uint8_t *q = buf + (off - g->data_off);
            uint32_t leaf = 0;
            if (rem >= 16) {
                klen = (size_t)q[8] | ((size_t)q[9] << 8); del = q[10] == SYNADB__GW_FDEL;
                leaf = synadb__rd32(q + 12);
                n = synadb__gw_esize(g, klen, del);
                ok = klen > 0 && q[10] <= 1 && q[11] == 0 && leaf < g->nleaves && n <= rem &&
                     synadb__rd32(q + 4) == (uint32_t)(seq + 1) &&
                     synadb__rd32(q) == synadb__crc_mask(synadb__crc(g->hw, g->crc_seed, q + 4, n - 4));
            } else { klen = 0; del = 0; n = 0; }
            if (!ok) {
                if (off < ck_end || seq < ck_count)
                    r = synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "GWI entry %llu at offset %llu damaged (before the checkpoint)",
                                         (unsigned long long)seq, (unsigned long long)off);
                break;
            }
            if (!del) for (i = 0; i < g->dims; i++) { uint32_t u = synadb__rd32(q + 16 + ((klen + 3) & ~(size_t)3) + 4 * i); memcpy(vec + i, &u, 4); }
            r = synadb__gw_apply(g, (const char *)q + 16, klen, leaf, del ? NULL : vec);
            off += n; seq++;
        }
        SYNADB__FREE(&g->a, vec);
    }
    SYNADB__FREE(&g->a, buf);
    if (r) return r == SYNADB_ERR_NO_MEMORY ? synadb__mm_eopen(eb, ebn, r, "out of memory") : r;
    g->end = off; g->count = seq;
    if (off < fsize && !g->read_only) {   /* cut the torn tail */
        if ((e = synadb__ftruncate(g->fd, off)) != 0 || (e = synadb__fsync(g->fd)) != 0)
            return synadb__mm_eopen(eb, ebn, SYNADB_ERR_IO, "cutting the torn tail: error %d", e);
    }
    return SYNADB_OK;
}
SYNADB_PRIVATE synadb_result synadb__gw_open(const char *path, const synadb_gwi_config *cfg, synadb_gwi **out, char *eb, size_t ebn) {
    synadb_allocator a = synadb__allocator_or_default(cfg ? &cfg->allocator : NULL);
    synadb_gwi *g;
    uint64_t fsize = 0;
    synadb_result r = SYNADB_OK;
    int e;
    if (eb && ebn) eb[0] = 0;
    if (!out || !path || !*path) return synadb__mm_eopen(eb, ebn, SYNADB_ERR_INVALID_ARG, "NULL argument");
    *out = NULL;
    if (cfg) {
        uint32_t B = cfg->branching_factor ? cfg->branching_factor : 16, L = cfg->num_levels ? cfg->num_levels : 3;
        if (!cfg->dims || cfg->dims > SYNADB_VEC_MAX_DIMS) return synadb__mm_eopen(eb, ebn, SYNADB_ERR_DIMENSION, "dims must be 1..8192");
        if ((unsigned)cfg->metric > 2u || B < 2 || B > 1024 || L > 8 || cfg->kmeans_iterations > 100)
            return synadb__mm_eopen(eb, ebn, SYNADB_ERR_INVALID_ARG, "bad GWI configuration (metric, branching factor 2..1024, levels 1..8, iterations <= 100)");
    }
    g = (synadb_gwi *)SYNADB__ALLOC(&a, sizeof *g);
    if (!g) return SYNADB_ERR_NO_MEMORY;
    memset(g, 0, sizeof *g);
    g->a = a; g->fd = SYNADB__BADFD;
    synadb__rw_init(&g->rw);
    synadb__mutex_init(&g->emu);
    g->k = cfg && cfg->no_simd ? synadb_vec_kernels_scalar() : synadb_vec_kernels_best();
    g->hw = synadb__hw_crc_detect();
    g->cap_hint = cfg && cfg->initial_capacity ? cfg->initial_capacity : 10000;
    g->threads = cfg && cfg->threads > 0 ? (uint32_t)cfg->threads : 0;
    e = synadb__fopen(path, cfg ? 2 : 1, &g->fd);
    if (e) {
        r = synadb__mm_eopen(eb, ebn, e == ENOENT ? SYNADB_ERR_NOT_FOUND : SYNADB_ERR_IO, "cannot open %s: error %d", path, e);
        goto fail;
    }
    if ((e = synadb__flock(g->fd)) != 0) {
        r = synadb__mm_eopen(eb, ebn, e == EWOULDBLOCK ? SYNADB_ERR_LOCKED : SYNADB_ERR_IO, "%s is in use by another writer", path);
        goto fail;
    }
    if ((e = synadb__fsize(g->fd, &fsize)) != 0) { r = synadb__mm_eopen(eb, ebn, SYNADB_ERR_IO, "stat: error %d", e); goto fail; }
    if (fsize == 0 && cfg) {   /* a new index */
        uint8_t hdr[SYNADB__GW_HDR];
        g->dims = cfg->dims; g->metric = (uint32_t)cfg->metric;
        g->B = cfg->branching_factor ? cfg->branching_factor : 16;
        g->L = cfg->num_levels ? cfg->num_levels : 3;
        g->iters = cfg->kmeans_iterations ? cfg->kmeans_iterations : 10;
        g->nprobe = cfg->nprobe ? cfg->nprobe : 3;
        g->mppc = cfg->max_points_per_centroid ? cfg->max_points_per_centroid : 256;
        g->seed = cfg->seed ? cfg->seed : 42;
        if ((r = synadb__gw_shape(g)) != SYNADB_OK) {
            r = synadb__mm_eopen(eb, ebn, r, "branching factor ^ levels must be at most 2^24 leaves");
            goto fail;
        }
        g->file_id = synadb__random64(g);
        g->crc_seed = (uint32_t)(g->file_id ^ (g->file_id >> 32));
        g->data_off = g->end = SYNADB__GW_HDR;
        memset(hdr, 0, sizeof hdr);
        synadb__gw_meta(g, hdr, 1, 0);
        g->ck_seq = 1; g->ck_slot = 0;
        if ((e = synadb__pwrite(g->fd, hdr, sizeof hdr, 0)) != 0 || (e = synadb__fsync(g->fd)) != 0) {
            r = synadb__mm_eopen(eb, ebn, SYNADB_ERR_IO, "writing the header: error %d", e);
            goto fail;
        }
        synadb__sync_dir(path);
    } else {
        if (fsize == 0) { r = synadb__mm_eopen(eb, ebn, SYNADB_ERR_CORRUPT, "empty GWI file"); goto fail; }
        if ((r = synadb__gw_load(g, fsize, eb, ebn)) != SYNADB_OK) goto fail;
        if (cfg && (cfg->dims != g->dims || (uint32_t)cfg->metric != g->metric)) {
            r = synadb__mm_eopen(eb, ebn, SYNADB_ERR_INDEX_MISMATCH, "existing GWI has dims %u metric %u", g->dims, g->metric);
            goto fail;
        }
    }
    snprintf(g->errmsg, sizeof g->errmsg, "ok");
    *out = g;
    return SYNADB_OK;
fail:
    synadb__gw_free(g);
    return r;
}
SYNADB_VEC_API synadb_result synadb_gwi_new(const char *path, const synadb_gwi_config *cfg, synadb_gwi **out, char *errbuf, size_t errbuf_len) {
    if (!cfg) return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_INVALID_ARG, "NULL configuration");
    return synadb__gw_open(path, cfg, out, errbuf, errbuf_len);
}
SYNADB_VEC_API synadb_result synadb_gwi_open(const char *path, synadb_gwi **out, char *errbuf, size_t errbuf_len) {
    return synadb__gw_open(path, NULL, out, errbuf, errbuf_len);
}
SYNADB_VEC_API synadb_result synadb_gwi_flush(synadb_gwi *g) {
    synadb_result r;
    if (!g) return SYNADB_ERR_INVALID_ARG;
    synadb__rw_wrlock(&g->rw);
    r = synadb__gw_checkpoint(g);
    synadb__rw_wrunlock(&g->rw);
    return r;
}
SYNADB_VEC_API synadb_result synadb_gwi_close(synadb_gwi *g) {
    synadb_result r = SYNADB_OK;
    if (!g) return SYNADB_ERR_INVALID_ARG;
    if (g->dirty) r = synadb__gw_checkpoint(g);
    synadb__gw_free(g);
    return r;
}

/* ---- initialise ---- */
SYNADB_VEC_API synadb_result synadb_gwi_initialize(synadb_gwi *g, const float *samples, size_t n) {
    synadb_result r = SYNADB_OK;
    float *xs = NULL;
    const float **rows = NULL;
    uint32_t *node = NULL, *order = NULL, *asg = NULL, l, d;
    uint64_t *cnt = NULL, lvl_base = 0, width = 1, attb;
    synadb__gwkm km;
    size_t i;
    uint8_t *tbl = NULL;
    int e;
    if (!g || !samples || !n) return SYNADB_ERR_INVALID_ARG;
    d = g->dims;
    synadb__rw_wrlock(&g->rw);
    memset(&km, 0, sizeof km);
    if (g->init) { r = synadb__gwerr(g, SYNADB_ERR_EXISTS, "already initialised"); goto done; }
    xs = (float *)SYNADB__ALLOC(&g->a, n * d * sizeof(float));
    rows = (const float **)SYNADB__ALLOC(&g->a, n * sizeof *rows);
    node = (uint32_t *)SYNADB__ALLOC(&g->a, n * sizeof *node);
    order = (uint32_t *)SYNADB__ALLOC(&g->a, n * sizeof *order);
    asg = (uint32_t *)SYNADB__ALLOC(&g->a, n * sizeof *asg);
    km.dist = (float *)SYNADB__ALLOC(&g->a, n * sizeof(float));
    km.sum = (double *)SYNADB__ALLOC(&g->a, (size_t)g->B * d * sizeof(double));
    km.cnt = (uint32_t *)SYNADB__ALLOC(&g->a, (size_t)g->B * sizeof(uint32_t));
    if (!xs || !rows || !node || !order || !asg || !km.dist || !km.sum || !km.cnt) { r = SYNADB_ERR_NO_MEMORY; goto done; }
    for (i = 0; i < n; i++) {
        if ((r = synadb__gw_prep(g, samples + i * d, xs + i * d)) != SYNADB_OK) {
            r = synadb__gwerr(g, r, "sample %llu is not a valid vector", (unsigned long long)i);
            goto done;
        }
        node[i] = 0;
    }
    /* root: the mean */
    {
        double *s = km.sum;
        memset(s, 0, (size_t)d * sizeof(double));
        for (i = 0; i < n; i++) { uint32_t c; for (c = 0; c < d; c++) s[c] += xs[i * d + c]; }
        for (l = 0; l < d; l++) g->att[l] = (float)(s[l] / (double)n);
    }
    km.g = g; km.K = g->B; km.rng = g->seed;
    for (l = 1; l <= g->L; l++) {
        uint64_t p, start = 0, child_base = lvl_base + width;
        cnt = (uint64_t *)SYNADB__ALLOC(&g->a, (size_t)(width + 1) * sizeof *cnt);
        if (!cnt) { r = SYNADB_ERR_NO_MEMORY; goto done; }
        memset(cnt, 0, (size_t)(width + 1) * sizeof *cnt);
        for (i = 0; i < n; i++) cnt[node[i] + 1]++;
        for (p = 0; p < width; p++) cnt[p + 1] += cnt[p];
        for (i = 0; i < n; i++) order[cnt[node[i]]++] = (uint32_t)i;   /* cnt[p] now = end of p */
        for (p = 0; p < width; p++) {
            uint64_t end = cnt[p], j;
            float *c = g->att + (child_base + p * g->B) * d;
            for (j = 0; j < g->B; j++) memcpy(c + j * d, g->att + (lvl_base + p) * d, (size_t)d * sizeof(float));
            km.m = (size_t)(end - start); km.x = rows; km.c = c; km.asg = asg;
            for (j = 0; j < km.m; j++) rows[j] = xs + (size_t)order[start + j] * d;
            synadb__gw_kmeans(&km);
            for (j = 0; j < km.m; j++) node[(size_t)(rows[j] - xs) / d] = (uint32_t)(p * g->B + asg[j]);
            start = end;
        }
        SYNADB__FREE(&g->a, cnt); cnt = NULL;
        lvl_base = child_base; width *= g->B;
    }
    /* write the table, then the meta slot that says it is there */
    attb = g->natt * d * 4;
    tbl = (uint8_t *)SYNADB__ALLOC(&g->a, (size_t)((attb + 4095) & ~(uint64_t)4095));
    if (!tbl) { r = SYNADB_ERR_NO_MEMORY; goto done; }
    memset(tbl, 0, (size_t)((attb + 4095) & ~(uint64_t)4095));
    for (i = 0; i < g->natt * d; i++) { uint32_t u; memcpy(&u, g->att + i, 4); synadb__wr32(tbl + 4 * i, u); }
    g->init = 1;
    g->data_off = g->end = SYNADB__GW_HDR + ((attb + 4095) & ~(uint64_t)4095);
    if ((e = synadb__pwrite(g->fd, tbl, (size_t)(g->end - SYNADB__GW_HDR), SYNADB__GW_HDR)) != 0) {
        g->init = 0; g->end = g->data_off = SYNADB__GW_HDR;
        r = synadb__gwerr(g, SYNADB_ERR_IO, "writing attractors: error %d", e);
        goto done;
    }
    if ((r = synadb__gw_checkpoint(g)) != SYNADB_OK) { g->init = 0; g->end = g->data_off = SYNADB__GW_HDR; }
done:
    SYNADB__FREE(&g->a, tbl); SYNADB__FREE(&g->a, cnt);
    SYNADB__FREE(&g->a, xs); SYNADB__FREE(&g->a, rows); SYNADB__FREE(&g->a, node); SYNADB__FREE(&g->a, order);
    SYNADB__FREE(&g->a, asg); SYNADB__FREE(&g->a, km.dist); SYNADB__FREE(&g->a, km.sum); SYNADB__FREE(&g->a, km.cnt);
    synadb__rw_wrunlock(&g->rw);
    return r;
}
SYNADB_VEC_API int synadb_gwi_is_initialized(synadb_gwi *g) { return g && g->init; }

/* ---- insert ---- */
typedef struct synadb__gwjob { synadb_gwi *g; const float *v; uint32_t *leaf; size_t from, to; } synadb__gwjob;
SYNADB_PRIVATE void *synadb__gw_route_job(void *p) {
    synadb__gwjob *j = (synadb__gwjob *)p;
    size_t i;
    for (i = j->from; i < j->to; i++) j->leaf[i] = synadb__gw_route(j->g, j->v + i * j->g->dims);
    return NULL;
}
SYNADB_VEC_API synadb_result synadb_gwi_insert_batch(synadb_gwi *g, const char *const *keys, const size_t *key_lens,
                                                     const float *vecs, size_t n) {
    synadb_result r = SYNADB_OK;
    float *v = NULL;
    uint32_t *leaf = NULL;
    uint8_t *buf = NULL;
    size_t i, tot = 0, off = 0, klen;
    int nt, t;
    if (!g || (!keys && n) || (!vecs && n)) return SYNADB_ERR_INVALID_ARG;
    if (!n) return SYNADB_OK;
    synadb__rw_wrlock(&g->rw);
    if (!g->init) { r = synadb__gwerr(g, SYNADB_ERR_NOT_INITIALIZED, "GWI not initialised: call synadb_gwi_initialize first"); goto done; }
    v = (float *)SYNADB__ALLOC(&g->a, n * g->dims * sizeof(float));
    leaf = (uint32_t *)SYNADB__ALLOC(&g->a, n * sizeof *leaf);
    if (!v || !leaf) { r = SYNADB_ERR_NO_MEMORY; goto done; }
    for (i = 0; i < n; i++) {
        klen = key_lens ? key_lens[i] : SYNADB_NTS;
        if ((r = synadb__gw_key(keys[i], &klen)) != SYNADB_OK) { r = synadb__gwerr(g, r, "bad key at row %llu", (unsigned long long)i); goto done; }
        if ((r = synadb__gw_prep(g, vecs + i * g->dims, v + i * g->dims)) != SYNADB_OK) {
            r = synadb__gwerr(g, r, "row %llu: NaN, infinite, or zero under cosine", (unsigned long long)i);
            goto done;
        }
        tot += synadb__gw_esize(g, klen, 0);
    }
    nt = g->threads ? (int)g->threads : synadb__ncpu();
    if (nt > 64) nt = 64;
    if ((size_t)nt > n / 256) nt = (int)(n / 256);
    if (nt < 2) { synadb__gwjob j; j.g = g; j.v = v; j.leaf = leaf; j.from = 0; j.to = n; synadb__gw_route_job(&j); }
    else {
        synadb__gwjob jobs[64];
        synadb__thread th[64];
        synadb__thread_arg ta[64];
        int started[64];
        for (t = 0; t < nt; t++) {
            jobs[t].g = g; jobs[t].v = v; jobs[t].leaf = leaf;
            jobs[t].from = n * (size_t)t / (size_t)nt; jobs[t].to = n * (size_t)(t + 1) / (size_t)nt;
            ta[t].fn = synadb__gw_route_job; ta[t].arg = &jobs[t];
            started[t] = synadb__thread_start(&th[t], &ta[t]) == 0;
            if (!started[t]) synadb__gw_route_job(&jobs[t]);
        }
        for (t = 0; t < nt; t++) if (started[t]) synadb__thread_join(th[t]);
    }
    buf = (uint8_t *)SYNADB__ALLOC(&g->a, tot);
    if (!buf) { r = SYNADB_ERR_NO_MEMORY; goto done; }
    for (i = 0; i < n; i++) {
        klen = key_lens ? key_lens[i] : strlen(keys[i]);
        off += synadb__gw_encode(g, buf + off, g->count + i + 1, keys[i], klen, leaf[i], v + i * g->dims);
    }
    if ((r = synadb__gw_append(g, buf, tot, n)) != SYNADB_OK) goto done;
    for (i = 0; i < n && !r; i++) {
        klen = key_lens ? key_lens[i] : strlen(keys[i]);
        r = synadb__gw_apply(g, keys[i], klen, leaf[i], v + i * g->dims);
    }
    if (r) r = synadb__gwerr(g, r, "out of memory (the batch is in the file; reopen to see it)");
done:
    SYNADB__FREE(&g->a, v); SYNADB__FREE(&g->a, leaf); SYNADB__FREE(&g->a, buf);
    synadb__rw_wrunlock(&g->rw);
    return r;
}
SYNADB_VEC_API synadb_result synadb_gwi_insert(synadb_gwi *g, const char *key, size_t key_len, const float *vec) {
    size_t kl = key_len;
    synadb_result r;
    if (!g || !vec) return SYNADB_ERR_INVALID_ARG;
    if ((r = synadb__gw_key(key, &kl)) != SYNADB_OK) return synadb__gwerr(g, r, "bad key");
    return synadb_gwi_insert_batch(g, &key, &kl, vec, 1);
}
SYNADB_VEC_API synadb_result synadb_gwi_delete(synadb_gwi *g, const char *key, size_t key_len) {
    size_t kl = key_len;
    synadb_result r;
    int64_t s;
    uint8_t stack[256], *buf;
    if (!g) return SYNADB_ERR_INVALID_ARG;
    if ((r = synadb__gw_key(key, &kl)) != SYNADB_OK) return synadb__gwerr(g, r, "bad key");
    synadb__rw_wrlock(&g->rw);
    s = g->map ? synadb__gw_find(g, key, kl, NULL) : -1;
    if (s < 0 || g->sleaf[s] == SYNADB__GW_NONE) { synadb__rw_wrunlock(&g->rw); return synadb__gwerr(g, SYNADB_ERR_KEY_NOT_FOUND, "key not found"); }
    buf = synadb__gw_esize(g, kl, 1) <= sizeof stack ? stack : (uint8_t *)SYNADB__ALLOC(&g->a, synadb__gw_esize(g, kl, 1));
    if (!buf) r = SYNADB_ERR_NO_MEMORY;
    else {
        size_t n = synadb__gw_encode(g, buf, g->count + 1, key, kl, g->sleaf[s], NULL);
        r = synadb__gw_append(g, buf, n, 1);
        if (!r) synadb__gw_unlink(g, (uint32_t)s);
        if (buf != stack) SYNADB__FREE(&g->a, buf);
    }
    synadb__rw_wrunlock(&g->rw);
    return r;
}

/* ---- search ---- */
typedef struct synadb__gwc { float d; uint32_t id; } synadb__gwc;
SYNADB_PRIVATE int synadb__gwc_cmp(const void *a, const void *b) {
    const synadb__gwc *x = (const synadb__gwc *)a, *y = (const synadb__gwc *)b;
    return x->d < y->d ? -1 : x->d > y->d ? 1 : (x->id < y->id ? -1 : x->id > y->id);
}
SYNADB_VEC_API synadb_result synadb_gwi_search(synadb_gwi *g, const float *query, size_t k, size_t nprobe,
                                               synadb_vec_hit *out, size_t *out_n) {
    synadb_result r = SYNADB_OK;
    float qs[256], *q = NULL;
    synadb__gwc *cur = NULL, *nxt = NULL;
    size_t ncur = 1, keep, i, sq;
    uint64_t lvl_base = 0, width = 1;
    uint32_t l, j, d;
    synadb__topk t;
    if (out_n) *out_n = 0;
    if (!g || !query || !out_n || (!out && k)) return SYNADB_ERR_INVALID_ARG;
    d = g->dims;
    synadb__rw_rdlock(&g->rw);
    if (!g->init) { r = synadb__gwerr(g, SYNADB_ERR_NOT_INITIALIZED, "GWI not initialised: call synadb_gwi_initialize first"); goto done; }
    if (!k) goto done;
    if (!nprobe) nprobe = g->nprobe;
    if (nprobe > g->nleaves) nprobe = g->nleaves;
    for (sq = 1; sq * sq < nprobe; sq++) {}
    keep = sq * g->B;
    if (keep < nprobe) keep = nprobe;
    if (keep < 4) keep = 4;
    q = d <= 256 ? qs : (float *)SYNADB__ALLOC(&g->a, (size_t)d * sizeof(float));
    cur = (synadb__gwc *)SYNADB__ALLOC(&g->a, (keep * g->B + 1) * sizeof *cur);
    nxt = (synadb__gwc *)SYNADB__ALLOC(&g->a, (keep * g->B + 1) * sizeof *nxt);
    if (!q || !cur || !nxt) { r = SYNADB_ERR_NO_MEMORY; goto done; }
    if ((r = synadb__gw_prep(g, query, q)) != SYNADB_OK) { r = synadb__gwerr(g, r, "query: NaN, infinite, or zero under cosine"); goto done; }
    cur[0].d = 0; cur[0].id = 0;
    /* beam descent: expand the kept nodes' children, keep the best `keep` (nprobe at the leaves) */
    for (l = 1; l <= g->L; l++) {
        size_t nn = 0, lim = l == g->L ? nprobe : keep;
        lvl_base += width; width *= g->B;
        for (i = 0; i < ncur; i++)
            for (j = 0; j < g->B; j++) {
                uint64_t c = (uint64_t)cur[i].id * g->B + j;
                nxt[nn].d = g->k.l2sq(q, g->att + (lvl_base + c) * d, d);
                nxt[nn].id = (uint32_t)c; nn++;
            }
        qsort(nxt, nn, sizeof *nxt, synadb__gwc_cmp);
        ncur = nn < lim ? nn : lim;
        { synadb__gwc *tmp = cur; cur = nxt; nxt = tmp; }
    }
    {   /* the leaf the greedy descent gives (where a vector equal to q was stored) is always probed */
        uint32_t own = synadb__gw_route(g, q);
        for (i = 0; i < ncur && cur[i].id != own; i++) {}
        if (i == ncur) cur[ncur - 1].id = own;
    }
    t.h = out; t.n = 0; t.k = k;
    for (i = 0; i < ncur; i++) {
        const synadb__gleaf *lf = &g->leaves[cur[i].id];
        const float *x = lf->v;
        uint32_t m;
        for (m = 0; m < lf->n; m++, x += d) {
            float dd;
            if (g->metric == SYNADB_METRIC_EUCLIDEAN)
                dd = t.n == t.k ? g->k.l2sq_bounded(q, x, d, t.h[0].score) : g->k.l2sq(q, x, d);
            else if (g->metric == SYNADB_METRIC_DOT) dd = -g->k.dot(q, x, d);
            else dd = 1.0f - g->k.dot(q, x, d);
            if (t.n < t.k || dd < t.h[0].score) synadb__topk_push(&t, dd, lf->slot[m]);
        }
    }
    synadb__topk_finish(&t, g->metric);
    for (i = 0; i < t.n; i++) { out[i].key = g->skey[out[i].id]; out[i].key_len = g->sklen[out[i].id]; }
    *out_n = t.n;
done:
    if (q != qs) SYNADB__FREE(&g->a, q);
    SYNADB__FREE(&g->a, cur); SYNADB__FREE(&g->a, nxt);
    synadb__rw_rdunlock(&g->rw);
    return r;
}

/* ---- small accessors ---- */
SYNADB_VEC_API synadb_result synadb_gwi_get(synadb_gwi *g, const char *key, size_t key_len, float *out) {
    size_t kl = key_len;
    synadb_result r;
    int64_t s;
    if (!g || !out) return SYNADB_ERR_INVALID_ARG;
    if ((r = synadb__gw_key(key, &kl)) != SYNADB_OK) return r;
    synadb__rw_rdlock(&g->rw);
    s = g->map ? synadb__gw_find(g, key, kl, NULL) : -1;
    if (s < 0 || g->sleaf[s] == SYNADB__GW_NONE) r = SYNADB_ERR_KEY_NOT_FOUND;
    else memcpy(out, g->leaves[g->sleaf[s]].v + (size_t)g->spos[s] * g->dims, (size_t)g->dims * sizeof(float));
    synadb__rw_rdunlock(&g->rw);
    return r;
}
SYNADB_VEC_API uint32_t synadb_gwi_route(synadb_gwi *g, const float *vec) {
    float qs[256], *q;
    uint32_t leaf = SYNADB__GW_NONE;
    if (!g || !vec) return leaf;
    q = g->dims <= 256 ? qs : (float *)SYNADB__ALLOC(&g->a, (size_t)g->dims * sizeof(float));
    if (!q) return leaf;
    synadb__rw_rdlock(&g->rw);
    if (g->init && synadb__gw_prep(g, vec, q) == SYNADB_OK) leaf = synadb__gw_route(g, q);
    synadb__rw_rdunlock(&g->rw);
    if (q != qs) SYNADB__FREE(&g->a, q);
    return leaf;
}
SYNADB_VEC_API uint32_t synadb_gwi_leaf_of(synadb_gwi *g, const char *key, size_t key_len) {
    size_t kl = key_len;
    int64_t s;
    uint32_t leaf = SYNADB__GW_NONE;
    if (!g || synadb__gw_key(key, &kl)) return leaf;
    synadb__rw_rdlock(&g->rw);
    s = g->map ? synadb__gw_find(g, key, kl, NULL) : -1;
    if (s >= 0) leaf = g->sleaf[s];
    synadb__rw_rdunlock(&g->rw);
    return leaf;
}
SYNADB_VEC_API uint32_t synadb_gwi_num_leaves(synadb_gwi *g) { return g ? g->nleaves : 0; }
SYNADB_VEC_API uint32_t synadb_gwi_dims(synadb_gwi *g) { return g ? g->dims : 0; }
SYNADB_VEC_API size_t synadb_gwi_len(synadb_gwi *g) {
    size_t n;
    if (!g) return 0;
    synadb__rw_rdlock(&g->rw);
    n = (size_t)g->live;
    synadb__rw_rdunlock(&g->rw);
    return n;
}
SYNADB_VEC_API int synadb_gwi_contains(synadb_gwi *g, const char *key, size_t key_len) {
    size_t kl = key_len;
    int64_t s;
    int found;
    if (!g || synadb__gw_key(key, &kl)) return 0;
    synadb__rw_rdlock(&g->rw);
    s = g->map ? synadb__gw_find(g, key, kl, NULL) : -1;
    found = s >= 0 && g->sleaf[s] != SYNADB__GW_NONE;
    synadb__rw_rdunlock(&g->rw);
    return found;
}
/* Leaf by leaf, each leaf's array in order (what a replace or delete reorders). */
SYNADB_VEC_API synadb_result synadb_gwi_foreach(synadb_gwi *g, int (*fn)(void *ctx, const char *key, size_t key_len, const float *vec), void *ctx) {
    uint32_t l, m;
    int rc = 0;
    if (!g || !fn) return SYNADB_ERR_INVALID_ARG;
    synadb__rw_rdlock(&g->rw);
    if (g->init)
        for (l = 0; l < g->nleaves && !rc; l++) {
            const synadb__gleaf *lf = &g->leaves[l];
            for (m = 0; m < lf->n && !rc; m++) {
                uint32_t s = lf->slot[m];
                rc = fn(ctx, g->skey[s], g->sklen[s], lf->v + (size_t)m * g->dims);
            }
        }
    synadb__rw_rdunlock(&g->rw);
    return (synadb_result)rc;
}

/* ======================================================================== >>vec.fuse
   Reciprocal rank fusion. One pass over the lists in order: each hit is looked up in an
   open-addressing table (item index + 1; keys hashed with synadb__hash, ids mixed) and
   either starts a new item (items are thus numbered by first appearance) or adds
   weight / (k_const + rank) to an existing one; `last` (the last list that counted the
   item) drops later duplicates inside one list. Then the items are sorted and the first k
   copied out. No state survives the call. */
typedef struct synadb__rrfi {
    const char *key; size_t key_len; uint64_t id, h;
    double score;
    size_t best, first;          /* best (lowest) rank in any list; order of first appearance */
    uint32_t last, ranks[4];
} synadb__rrfi;
SYNADB_PRIVATE uint64_t synadb__rrf_hash(const synadb_vec_hit *x) {
    uint64_t z;
    if (x->key) return synadb__hash(x->key, x->key_len, 0x5252465f4b455953ull);
    z = x->id + 0x9E3779B97F4A7C15ull;   /* splitmix64's finaliser; a different family from the keys' */
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
SYNADB_PRIVATE int synadb__rrf_same(const synadb__rrfi *it, uint64_t h, const synadb_vec_hit *x) {
    if (it->h != h || (it->key == NULL) != (x->key == NULL)) return 0;
    if (!x->key) return it->id == x->id;
    return it->key_len == x->key_len && (x->key_len == 0 || memcmp(it->key, x->key, x->key_len) == 0);
}
SYNADB_PRIVATE int synadb__rrf_cmp(const void *a, const void *b) {
    const synadb__rrfi *x = (const synadb__rrfi *)a, *y = (const synadb__rrfi *)b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    if (x->best != y->best) return x->best < y->best ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}
SYNADB_VEC_API synadb_result synadb_rrf_fuse(const synadb_vec_hit *const *lists, const size_t *lens, size_t nlists,
                                             const double *weights, double k_const, size_t k,
                                             synadb_fused_hit *out, size_t *out_n) {
    synadb_allocator a = synadb__allocator_or_default(NULL);
    synadb__rrfi *items;
    size_t *tab, cap, mask, total = 0, nit = 0, i, j;
    if (out_n) *out_n = 0;
    if (!out_n || !lists || !lens || nlists < 1 || nlists > 64 || (!out && k)) return SYNADB_ERR_INVALID_ARG;
    if (k_const == 0) k_const = 60;
    else if (!(k_const > 0) || k_const - k_const != 0) return SYNADB_ERR_INVALID_ARG;
    for (i = 0; i < nlists; i++) {
        if (!lists[i] && lens[i]) return SYNADB_ERR_INVALID_ARG;
        if (weights && (!(weights[i] >= 0) || weights[i] - weights[i] != 0)) return SYNADB_ERR_INVALID_ARG;
        if (lens[i] > ((size_t)-1 / 4) / sizeof(synadb__rrfi) - total) return SYNADB_ERR_TOO_LARGE;
        total += lens[i];
    }
    if (!k || !total) return SYNADB_OK;
    for (cap = 16; cap < total * 2; cap *= 2) {}
    mask = cap - 1;
    items = (synadb__rrfi *)SYNADB__ALLOC(&a, total * sizeof *items);
    tab = (size_t *)SYNADB__ALLOC(&a, cap * sizeof *tab);
    if (!items || !tab) { SYNADB__FREE(&a, items); SYNADB__FREE(&a, tab); return SYNADB_ERR_NO_MEMORY; }
    memset(tab, 0, cap * sizeof *tab);
    for (i = 0; i < nlists; i++) {
        double w = weights ? weights[i] : 1.0;
        for (j = 0; j < lens[i]; j++) {
            const synadb_vec_hit *x = &lists[i][j];
            uint64_t h = synadb__rrf_hash(x);
            size_t s = (size_t)h & mask;
            synadb__rrfi *it;
            while (tab[s] && !synadb__rrf_same(&items[tab[s] - 1], h, x)) s = (s + 1) & mask;
            if (!tab[s]) {
                it = &items[nit];
                memset(it, 0, sizeof *it);
                it->key = x->key; it->key_len = x->key ? x->key_len : 0; it->id = x->id; it->h = h;
                it->best = j + 1; it->first = nit; it->last = (uint32_t)i;
                tab[s] = ++nit;
            } else {
                it = &items[tab[s] - 1];
                if (it->last == (uint32_t)i) continue;   /* a later duplicate inside list i */
                it->last = (uint32_t)i;
                if (j + 1 < it->best) it->best = j + 1;
            }
            it->score += w / (k_const + (double)(j + 1));
            if (i < 4) it->ranks[i] = j + 1 > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)(j + 1);
        }
    }
    qsort(items, nit, sizeof *items, synadb__rrf_cmp);
    if (k > nit) k = nit;
    for (i = 0; i < k; i++) {
        out[i].key = items[i].key; out[i].key_len = items[i].key_len; out[i].id = items[i].id;
        out[i].score = items[i].score;
        memcpy(out[i].ranks, items[i].ranks, sizeof out[i].ranks);
    }
    *out_n = k;
    SYNADB__FREE(&a, items); SYNADB__FREE(&a, tab);
    return SYNADB_OK;
}
SYNADB_VEC_API synadb_result synadb_rrf_fuse2(const synadb_vec_hit *dense, size_t nd, const synadb_vec_hit *sparse, size_t ns,
                                              double k_const, size_t k, synadb_fused_hit *out, size_t *out_n) {
    const synadb_vec_hit *lists[2];
    size_t lens[2];
    lists[0] = dense; lists[1] = sparse; lens[0] = nd; lens[1] = ns;
    return synadb_rrf_fuse(lists, lens, 2, NULL, k_const, k, out, out_n);
}

/* ======================================================================== >>vec.hybrid
   HybridVectorStore. `overlap` counts keys present in both layers; it is computed on open
   and kept by ingest, delete and promote (all under wmu). A promotion inserts into the
   cold layer and saves it before deleting from the hot one, so a key is never in neither. */
struct synadb_hybrid {
    synadb_allocator a;
    synadb_gwi *hot;
    synadb_cascade *cold;
    uint64_t overlap;
    synadb__mutex wmu;           /* ingests, deletes, promotions */
    synadb__mutex emu;
    char errmsg[512];
};
SYNADB__DEFINE_ERR(synadb__hyerr, synadb_hybrid)
SYNADB_VEC_API const char *synadb_hybrid_errmsg(const synadb_hybrid *h) { return h ? h->errmsg : "no store"; }
SYNADB_PRIVATE int synadb__hy_count_overlap(void *ctx, const char *key, size_t klen, const float *vec) {
    synadb_hybrid *h = (synadb_hybrid *)ctx;
    (void)vec;
    if (synadb_cascade_contains(h->cold, key, klen)) h->overlap++;
    return 0;
}
SYNADB_VEC_API synadb_result synadb_hybrid_open(const char *hot_path, const char *cold_path, const synadb_gwi_config *hot_cfg,
                                                const synadb_cascade_config *cold_cfg, synadb_hybrid **out,
                                                char *errbuf, size_t errbuf_len) {
    synadb_allocator a;
    synadb_hybrid *h;
    synadb_result r;
    if (errbuf && errbuf_len) errbuf[0] = 0;
    if (!out) return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_INVALID_ARG, "out is NULL");
    *out = NULL;
    if (!hot_path || !*hot_path) return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_INVALID_ARG, "the hot layer needs a path");
    a = synadb__allocator_or_default(hot_cfg ? &hot_cfg->allocator : NULL);
    h = (synadb_hybrid *)SYNADB__ALLOC(&a, sizeof *h);
    if (!h) return synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_NO_MEMORY, "out of memory");
    memset(h, 0, sizeof *h);
    h->a = a;
    synadb__mutex_init(&h->wmu);
    synadb__mutex_init(&h->emu);
    r = hot_cfg ? synadb_gwi_new(hot_path, hot_cfg, &h->hot, errbuf, errbuf_len) : synadb_gwi_open(hot_path, &h->hot, errbuf, errbuf_len);
    if (!r) r = synadb_cascade_open(cold_path, cold_cfg, &h->cold, errbuf, errbuf_len);
    if (!r && (synadb_gwi_dims(h->hot) != synadb_cascade_dims(h->cold) || (int)h->hot->metric != h->cold->metric))
        r = synadb__mm_eopen(errbuf, errbuf_len, SYNADB_ERR_INDEX_MISMATCH, "hot layer: %u dims, metric %d; cold layer: %u dims, metric %d",
                             synadb_gwi_dims(h->hot), (int)h->hot->metric, synadb_cascade_dims(h->cold), h->cold->metric);
    if (!r) r = synadb_gwi_foreach(h->hot, synadb__hy_count_overlap, h);
    if (r) {
        if (h->hot) synadb_gwi_close(h->hot);
        if (h->cold) synadb_cascade_free(h->cold);
        synadb__mutex_destroy(&h->wmu);
        synadb__mutex_destroy(&h->emu);
        SYNADB__FREE(&a, h);
        return r;
    }
    *out = h;
    return SYNADB_OK;
}
SYNADB_VEC_API synadb_result synadb_hybrid_close(synadb_hybrid *h) {
    synadb_result r1, r2;
    synadb_allocator a;
    if (!h) return SYNADB_ERR_INVALID_ARG;
    a = h->a;
    /* the cold layer first: if its save fails, nothing is closed (see synadb_cascade_close) */
    if ((r2 = synadb_cascade_close(h->cold)) != SYNADB_OK) return r2;
    r1 = synadb_gwi_close(h->hot);
    synadb__mutex_destroy(&h->wmu);
    synadb__mutex_destroy(&h->emu);
    SYNADB__FREE(&a, h);
    return r1;
}
SYNADB_VEC_API void synadb_hybrid_free(synadb_hybrid *h) {
    synadb_allocator a;
    if (!h) return;
    a = h->a;
    synadb_cascade_free(h->cold);
    synadb_gwi_close(h->hot);
    synadb__mutex_destroy(&h->wmu);
    synadb__mutex_destroy(&h->emu);
    SYNADB__FREE(&a, h);
}
SYNADB_VEC_API synadb_gwi *synadb_hybrid_hot(synadb_hybrid *h) { return h ? h->hot : NULL; }
SYNADB_VEC_API synadb_cascade *synadb_hybrid_cold(synadb_hybrid *h) { return h ? h->cold : NULL; }
SYNADB_VEC_API synadb_result synadb_hybrid_initialize_hot(synadb_hybrid *h, const float *samples, size_t n) {
    synadb_result r;
    if (!h) return SYNADB_ERR_INVALID_ARG;
    r = synadb_gwi_initialize(h->hot, samples, n);
    return r ? synadb__hyerr(h, r, "hot layer: %s", synadb_gwi_errmsg(h->hot)) : SYNADB_OK;
}
SYNADB_VEC_API synadb_result synadb_hybrid_ingest(synadb_hybrid *h, const char *key, size_t key_len, const float *vec) {
    synadb_result r;
    int was_hot, in_cold;
    if (!h) return SYNADB_ERR_INVALID_ARG;
    if (key && key_len == SYNADB_NTS) key_len = strlen(key);
    synadb__mutex_lock(&h->wmu);
    was_hot = key && synadb_gwi_contains(h->hot, key, key_len);
    in_cold = key && synadb_cascade_contains(h->cold, key, key_len);
    r = synadb_gwi_insert(h->hot, key, key_len, vec);
    if (!r && !was_hot && in_cold) h->overlap++;
    synadb__mutex_unlock(&h->wmu);
    return r ? synadb__hyerr(h, r, "hot layer: %s", synadb_gwi_errmsg(h->hot)) : SYNADB_OK;
}
typedef struct synadb__hykey { const char *k; size_t l; } synadb__hykey;
SYNADB_PRIVATE int synadb__hykey_cmp(const void *x, const void *y) {
    const synadb__hykey *a = (const synadb__hykey *)x, *b = (const synadb__hykey *)y;
    int c = memcmp(a->k, b->k, a->l < b->l ? a->l : b->l);
    return c ? c : (a->l > b->l) - (a->l < b->l);
}
SYNADB_VEC_API synadb_result synadb_hybrid_ingest_batch(synadb_hybrid *h, const char *const *keys, const size_t *key_lens,
                                                        const float *vecs, size_t n) {
    synadb_result r;
    synadb__hykey *fresh = NULL;
    size_t i, nf = 0;
    if (!h) return SYNADB_ERR_INVALID_ARG;
    if (!n) return SYNADB_OK;
    if (!keys) return synadb__hyerr(h, SYNADB_ERR_INVALID_ARG, "keys are NULL");
    fresh = (synadb__hykey *)SYNADB__ALLOC(&h->a, n * sizeof *fresh);
    if (!fresh) return synadb__hyerr(h, SYNADB_ERR_NO_MEMORY, "out of memory");
    synadb__mutex_lock(&h->wmu);
    for (i = 0; i < n; i++) {   /* keys that will be in both layers after the batch */
        size_t kl = key_lens ? key_lens[i] : (keys[i] ? strlen(keys[i]) : 0);
        if (keys[i] && !synadb_gwi_contains(h->hot, keys[i], kl) && synadb_cascade_contains(h->cold, keys[i], kl)) {
            fresh[nf].k = keys[i]; fresh[nf].l = kl; nf++;
        }
    }
    r = synadb_gwi_insert_batch(h->hot, keys, key_lens, vecs, n);
    if (!r && nf) {   /* a key repeated in the batch counts once */
        qsort(fresh, nf, sizeof *fresh, synadb__hykey_cmp);
        for (i = 0; i < nf; i++) if (!i || synadb__hykey_cmp(&fresh[i - 1], &fresh[i])) h->overlap++;
    }
    synadb__mutex_unlock(&h->wmu);
    SYNADB__FREE(&h->a, fresh);
    return r ? synadb__hyerr(h, r, "hot layer: %s", synadb_gwi_errmsg(h->hot)) : SYNADB_OK;
}
SYNADB_VEC_API synadb_result synadb_hybrid_delete(synadb_hybrid *h, const char *key, size_t key_len) {
    synadb_result r1, r2;
    if (!h) return SYNADB_ERR_INVALID_ARG;
    if (!key) return synadb__hyerr(h, SYNADB_ERR_INVALID_ARG, "key is NULL");
    if (key_len == SYNADB_NTS) key_len = strlen(key);
    synadb__mutex_lock(&h->wmu);
    r1 = synadb_gwi_delete(h->hot, key, key_len);
    r2 = synadb_cascade_delete(h->cold, key, key_len);
    if (!r1 && !r2) h->overlap--;
    synadb__mutex_unlock(&h->wmu);
    if (r1 == SYNADB_ERR_KEY_NOT_FOUND && r2 == SYNADB_ERR_KEY_NOT_FOUND) return synadb__hyerr(h, r1, "key in neither layer");
    if (r1 && r1 != SYNADB_ERR_KEY_NOT_FOUND) return synadb__hyerr(h, r1, "hot layer: %s", synadb_gwi_errmsg(h->hot));
    if (r2 && r2 != SYNADB_ERR_KEY_NOT_FOUND) return synadb__hyerr(h, r2, "cold layer: %s", synadb_cascade_errmsg(h->cold));
    return SYNADB_OK;
}
SYNADB_VEC_API size_t synadb_hybrid_hot_count(synadb_hybrid *h) { return h ? synadb_gwi_len(h->hot) : 0; }
SYNADB_VEC_API size_t synadb_hybrid_cold_count(synadb_hybrid *h) { return h ? synadb_cascade_len(h->cold) : 0; }
SYNADB_VEC_API size_t synadb_hybrid_len(synadb_hybrid *h) {
    size_t n;
    if (!h) return 0;
    synadb__mutex_lock(&h->wmu);
    n = synadb_gwi_len(h->hot) + synadb_cascade_len(h->cold) - (size_t)h->overlap;
    synadb__mutex_unlock(&h->wmu);
    return n;
}
SYNADB_VEC_API synadb_result synadb_hybrid_flush_hot(synadb_hybrid *h) { return h ? synadb_gwi_flush(h->hot) : SYNADB_ERR_INVALID_ARG; }
SYNADB_VEC_API synadb_result synadb_hybrid_save_cold(synadb_hybrid *h) { return h ? synadb_cascade_save(h->cold) : SYNADB_ERR_INVALID_ARG; }

/* ---- promotion ---- */
typedef struct synadb__hymove {
    synadb_hybrid *h;
    char **keys;
    size_t *klens;
    float *vecs;
    size_t n, cap;
    int oom;
} synadb__hymove;
SYNADB_PRIVATE int synadb__hy_collect(void *ctx, const char *key, size_t klen, const float *vec) {
    synadb__hymove *m = (synadb__hymove *)ctx;
    synadb_hybrid *h = m->h;
    uint32_t d = synadb_gwi_dims(h->hot);
    if (m->n == m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 1024;
        char **k = (char **)SYNADB__REALLOC(&h->a, m->keys, nc * sizeof *k);
        size_t *l = k ? (size_t *)SYNADB__REALLOC(&h->a, m->klens, nc * sizeof *l) : NULL;
        float *v = l ? (float *)SYNADB__REALLOC(&h->a, m->vecs, nc * d * sizeof *v) : NULL;
        if (k) m->keys = k;
        if (l) m->klens = l;
        if (!v) { m->oom = 1; return 1; }
        m->vecs = v; m->cap = nc;
    }
    m->keys[m->n] = (char *)SYNADB__ALLOC(&h->a, klen ? klen : 1);
    if (!m->keys[m->n]) { m->oom = 1; return 1; }
    memcpy(m->keys[m->n], key, klen);
    m->klens[m->n] = klen;
    memcpy(m->vecs + m->n * d, vec, (size_t)d * sizeof(float));
    m->n++;
    return 0;
}
SYNADB_VEC_API synadb_result synadb_hybrid_promote_to_cold(synadb_hybrid *h, size_t *moved) {
    synadb__hymove m;
    synadb_result r;
    size_t i;
    if (moved) *moved = 0;
    if (!h) return SYNADB_ERR_INVALID_ARG;
    memset(&m, 0, sizeof m);
    m.h = h;
    synadb__mutex_lock(&h->wmu);
    r = synadb_gwi_foreach(h->hot, synadb__hy_collect, &m);
    if (m.oom) r = synadb__hyerr(h, SYNADB_ERR_NO_MEMORY, "out of memory collecting the hot layer");
    else if (r) r = synadb__hyerr(h, r, "hot layer: %s", synadb_gwi_errmsg(h->hot));
    /* 1: into the cold layer (replacing older cold copies), durable */
    if (!r && m.n && (r = synadb_cascade_insert_batch(h->cold, (const char *const *)m.keys, m.klens, m.vecs, m.n)) != SYNADB_OK)
        r = synadb__hyerr(h, r, "cold layer: %s", synadb_cascade_errmsg(h->cold));
    if (!r && m.n && h->cold->path && (r = synadb_cascade_save(h->cold)) != SYNADB_OK)
        r = synadb__hyerr(h, r, "cold layer: %s", synadb_cascade_errmsg(h->cold));
    /* 2: out of the hot layer */
    for (i = 0; !r && i < m.n; i++) {
        r = synadb_gwi_delete(h->hot, m.keys[i], m.klens[i]);
        if (r) r = synadb__hyerr(h, r, "hot layer: %s", synadb_gwi_errmsg(h->hot));
        else if (moved) (*moved)++;
    }
    if (!r && m.n) r = synadb_gwi_flush(h->hot);
    if (!r) h->overlap = 0;
    else {   /* recount: the move stopped part way */
        h->overlap = 0;
        (void)synadb_gwi_foreach(h->hot, synadb__hy_count_overlap, h);
    }
    synadb__mutex_unlock(&h->wmu);
    for (i = 0; i < m.n; i++) SYNADB__FREE(&h->a, m.keys[i]);
    SYNADB__FREE(&h->a, m.keys);
    SYNADB__FREE(&h->a, m.klens);
    SYNADB__FREE(&h->a, m.vecs);
    return r;
}

/* ---- searches ---- */
SYNADB_PRIVATE synadb_result synadb__hy_layer(synadb_hybrid *h, int layer, const float *q, size_t k, synadb_vec_hit *tmp, size_t *n) {
    synadb_result r;
    if (layer == SYNADB_LAYER_HOT) {
        r = synadb_gwi_is_initialized(h->hot) ? synadb_gwi_search(h->hot, q, k, 0, tmp, n) : (*n = 0, SYNADB_OK);
        return r ? synadb__hyerr(h, r, "hot layer: %s", synadb_gwi_errmsg(h->hot)) : SYNADB_OK;
    }
    r = synadb_cascade_search(h->cold, q, k, 0, 0, tmp, n);
    return r ? synadb__hyerr(h, r, "cold layer: %s", synadb_cascade_errmsg(h->cold)) : SYNADB_OK;
}
SYNADB_PRIVATE synadb_result synadb__hy_one(synadb_hybrid *h, int layer, const float *query, size_t k, synadb_hybrid_hit *out, size_t *out_n) {
    synadb_vec_hit *tmp;
    synadb_result r;
    size_t n = 0, i;
    if (out_n) *out_n = 0;
    if (!h) return SYNADB_ERR_INVALID_ARG;
    if (!query || !out_n || (!out && k)) return synadb__hyerr(h, SYNADB_ERR_INVALID_ARG, "query, out or out_n is NULL");
    if (!k) return SYNADB_OK;
    tmp = (synadb_vec_hit *)SYNADB__ALLOC(&h->a, k * sizeof *tmp);
    if (!tmp) return synadb__hyerr(h, SYNADB_ERR_NO_MEMORY, "out of memory");
    r = synadb__hy_layer(h, layer, query, k, tmp, &n);
    for (i = 0; !r && i < n; i++) { out[i].key = tmp[i].key; out[i].key_len = tmp[i].key_len; out[i].score = tmp[i].score; out[i].layer = layer; }
    if (!r) *out_n = n;
    SYNADB__FREE(&h->a, tmp);
    return r;
}
SYNADB_VEC_API synadb_result synadb_hybrid_search_hot(synadb_hybrid *h, const float *query, size_t k, synadb_hybrid_hit *out, size_t *out_n) {
    return synadb__hy_one(h, SYNADB_LAYER_HOT, query, k, out, out_n);
}
SYNADB_VEC_API synadb_result synadb_hybrid_search_cold(synadb_hybrid *h, const float *query, size_t k, synadb_hybrid_hit *out, size_t *out_n) {
    return synadb__hy_one(h, SYNADB_LAYER_COLD, query, k, out, out_n);
}
SYNADB_VEC_API synadb_result synadb_hybrid_search(synadb_hybrid *h, const float *query, size_t k, synadb_hybrid_hit *out, size_t *out_n) {
    synadb_vec_hit *hot = NULL, *cold = NULL;
    size_t nh = 0, nc = 0, kc, i, j, n = 0;
    synadb_result r;
    if (out_n) *out_n = 0;
    if (!h) return SYNADB_ERR_INVALID_ARG;
    if (!query || !out_n || (!out && k)) return synadb__hyerr(h, SYNADB_ERR_INVALID_ARG, "query, out or out_n is NULL");
    if (!k) return SYNADB_OK;
    hot = (synadb_vec_hit *)SYNADB__ALLOC(&h->a, k * sizeof *hot);
    if (!hot) return synadb__hyerr(h, SYNADB_ERR_NO_MEMORY, "out of memory");
    r = synadb__hy_layer(h, SYNADB_LAYER_HOT, query, k, hot, &nh);
    /* cold hits whose key is also hot are stale: ask for more until k fresh ones or the end */
    for (kc = 2 * k; !r; kc *= 2) {
        size_t fresh = 0;
        synadb_vec_hit *p = (synadb_vec_hit *)SYNADB__REALLOC(&h->a, cold, kc * sizeof *p);
        if (!p) { r = synadb__hyerr(h, SYNADB_ERR_NO_MEMORY, "out of memory"); break; }
        cold = p;
        r = synadb__hy_layer(h, SYNADB_LAYER_COLD, query, kc, cold, &nc);
        if (r) break;
        for (i = 0; i < nc; i++) {
            if (synadb_gwi_contains(h->hot, cold[i].key, cold[i].key_len)) cold[i].key = NULL;   /* dropped */
            else fresh++;
        }
        if (fresh >= k || nc < kc) break;
    }
    if (!r) {   /* merge two ascending lists (the hot hits are already one per key) */
        i = j = 0;
        while (n < k && (i < nh || j < nc)) {
            if (j < nc && !cold[j].key) { j++; continue; }
            if (j >= nc || (i < nh && hot[i].score <= cold[j].score)) {
                out[n].key = hot[i].key; out[n].key_len = hot[i].key_len; out[n].score = hot[i].score; out[n].layer = SYNADB_LAYER_HOT; i++;
            } else {
                out[n].key = cold[j].key; out[n].key_len = cold[j].key_len; out[n].score = cold[j].score; out[n].layer = SYNADB_LAYER_COLD; j++;
            }
            n++;
        }
        *out_n = n;
    }
    SYNADB__FREE(&h->a, hot);
    SYNADB__FREE(&h->a, cold);
    return r;
}

/* ======================================================================== >>vec.abiimpl */
#ifndef SYNADB_NO_COMPAT_ABI
/* JSON output: synadb__json and synadb__j* (synadb.h >>kv.json); syna_free_json is synadb.h's. */

/* The vector registries: path -> store, index or mmap store. */
enum { SYNADB__VK_VSTORE = 1, SYNADB__VK_HNSW = 2, SYNADB__VK_MMVS = 3, SYNADB__VK_SVS = 4, SYNADB__VK_GWI = 5, SYNADB__VK_CASCADE = 6 };
typedef struct synadb__vreg { char *path; int kind, refs, closing; void *obj; struct synadb__vreg *next; } synadb__vreg;
static synadb__vreg *synadb__vregistry = NULL;
SYNADB_PRIVATE void synadb__vobj_close(synadb__vreg *e) {
    if (e->kind == SYNADB__VK_VSTORE) synadb_vstore_close((synadb_vstore *)e->obj);
    else if (e->kind == SYNADB__VK_HNSW) synadb_hnsw_free((synadb_hnsw *)e->obj);
    else if (e->kind == SYNADB__VK_SVS) synadb_svs_close((synadb_svs *)e->obj);
    else if (e->kind == SYNADB__VK_GWI) synadb_gwi_close((synadb_gwi *)e->obj);
    else if (e->kind == SYNADB__VK_CASCADE) { if (synadb_cascade_close((synadb_cascade *)e->obj)) synadb_cascade_free((synadb_cascade *)e->obj); }
    else synadb_mmvs_close((synadb_mmvs *)e->obj);
    SYNADB_FREE(e->path);
    SYNADB_FREE(e);
}
SYNADB_PRIVATE synadb__vreg *synadb__vfind(const char *abs, int kind) {
    synadb__vreg *e;
    for (e = synadb__vregistry; e; e = e->next) if (e->kind == kind && strcmp(e->path, abs) == 0) return e;
    return NULL;
}
SYNADB_PRIVATE synadb__vreg *synadb__vacquire(const char *path, int kind, int32_t *rc) {
    char abs[4096];
    synadb__vreg *e;
    if (!path || !*path) { *rc = SYNA_ERR_INVALID_PATH; return NULL; }
    if (synadb__abspath(path, abs, sizeof abs)) { *rc = SYNA_ERR_DB_NOT_FOUND; return NULL; }
    synadb__reg_lock();
    e = synadb__vfind(abs, kind);
    if (e) e->refs++;
    synadb__reg_unlock();
    if (!e) *rc = SYNA_ERR_DB_NOT_FOUND;
    return e;
}
SYNADB_PRIVATE void synadb__vdrop(synadb__vreg *e) {
    int last;
    synadb__reg_lock();
    last = --e->refs == 0 && e->closing;
    synadb__reg_unlock();
    if (last) synadb__vobj_close(e);
}
/* Registers obj under path (kind); *existing is set if the path was already registered
   (obj is then not used). */
SYNADB_PRIVATE int32_t synadb__vregister(const char *abs, int kind, void *obj) {
    synadb__vreg *e = (synadb__vreg *)SYNADB_MALLOC(sizeof *e);
    if (!e) return SYNADB_ERR_NO_MEMORY;
    e->path = (char *)SYNADB_MALLOC(strlen(abs) + 1);
    if (!e->path) { SYNADB_FREE(e); return SYNADB_ERR_NO_MEMORY; }
    strcpy(e->path, abs);
    e->kind = kind; e->obj = obj; e->refs = 0; e->closing = 0;
    e->next = synadb__vregistry;
    synadb__vregistry = e;
    return SYNA_SUCCESS;
}
SYNADB_PRIVATE int32_t synadb__vclose(const char *path, int kind) {
    char abs[4096];
    synadb__vreg *e, **pp;
    int now = 0;
    if (!path || !*path) return SYNA_ERR_INVALID_PATH;
    if (synadb__abspath(path, abs, sizeof abs)) return SYNA_ERR_DB_NOT_FOUND;
    synadb__reg_lock();
    for (pp = &synadb__vregistry; *pp && !((*pp)->kind == kind && strcmp((*pp)->path, abs) == 0); pp = &(*pp)->next) {}
    e = *pp;
    if (e) { *pp = e->next; e->closing = 1; now = e->refs == 0; }
    synadb__reg_unlock();
    if (!e) return SYNA_ERR_DB_NOT_FOUND;
    if (now) synadb__vobj_close(e);
    return SYNA_SUCCESS;
}
SYNADB_PRIVATE int32_t synadb__vrc(synadb_result r) { return r == SYNADB_OK ? SYNA_SUCCESS : (int32_t)r; }
SYNADB_PRIVATE uint32_t synadb__mmvs_dims(synadb_mmvs *s);
SYNADB_PRIVATE uint32_t synadb__vobj_dims(const synadb__vreg *e) {
    if (e->kind == SYNADB__VK_VSTORE) return synadb_vstore_dims((synadb_vstore *)e->obj);
    if (e->kind == SYNADB__VK_HNSW) return ((synadb_hnsw *)e->obj)->dims;
    if (e->kind == SYNADB__VK_GWI) return synadb_gwi_dims((synadb_gwi *)e->obj);
    if (e->kind == SYNADB__VK_CASCADE) return synadb_cascade_dims((synadb_cascade *)e->obj);
    return synadb__mmvs_dims((synadb_mmvs *)e->obj);
}
SYNADB_PRIVATE size_t synadb__vobj_len(const synadb__vreg *e) {
    if (e->kind == SYNADB__VK_VSTORE) return synadb_vstore_len((synadb_vstore *)e->obj);
    if (e->kind == SYNADB__VK_HNSW) return synadb_hnsw_len((synadb_hnsw *)e->obj);
    if (e->kind == SYNADB__VK_GWI) return synadb_gwi_len((synadb_gwi *)e->obj);
    if (e->kind == SYNADB__VK_CASCADE) return synadb_cascade_len((synadb_cascade *)e->obj);
    return synadb_mmvs_len((synadb_mmvs *)e->obj);
}
/* Bodies of the exports that run one call on the object registered under path (of type T,
   named obj in expr): VCALL returns the call's result as an ABI code, VCOUNT a count. */
#define SYNADB__VCALL(path, kind, T, expr) do { \
    int32_t rc_ = 0; synadb_result r_; T *obj; \
    synadb__vreg *e_ = synadb__vacquire((path), (kind), &rc_); \
    if (!e_) return rc_; \
    obj = (T *)e_->obj; r_ = (expr); synadb__vdrop(e_); return synadb__vrc(r_); } while (0)
#define SYNADB__VCOUNT(path, kind, T, expr) do { \
    int32_t rc_ = 0; int64_t n_; T *obj; \
    synadb__vreg *e_ = synadb__vacquire((path), (kind), &rc_); \
    if (!e_) return rc_; \
    obj = (T *)e_->obj; n_ = (int64_t)(expr); synadb__vdrop(e_); return n_; } while (0)
/* Inserts one vector (keys == NULL: key) or a batch into the object registered under path.
   Returns 1, the count of new (VectorStore) or stored (MmapVectorStore) vectors of a batch,
   or a negative code. */
SYNADB_PRIVATE int32_t synadb__vinsert(const char *path, int kind, const char *key, const char *const *keys,
                                       const float *data, uint16_t dims, size_t count) {
    int32_t rc = 0;
    synadb_result r;
    size_t done = 0;
    synadb__vreg *e;
    if (keys ? (!data && count) : (!key || !data)) return SYNA_ERR_INVALID_PATH;
    e = synadb__vacquire(path, kind, &rc);
    if (!e) return rc;
    if (dims != synadb__vobj_dims(e)) r = SYNADB_ERR_DIMENSION;
    else if (kind == SYNADB__VK_VSTORE)
        r = keys ? synadb_vstore_insert_batch((synadb_vstore *)e->obj, keys, NULL, data, count, &done)
                 : synadb_vstore_insert((synadb_vstore *)e->obj, key, SYNADB_NTS, data);
    else if (kind == SYNADB__VK_MMVS)
        r = keys ? synadb_mmvs_insert_batch((synadb_mmvs *)e->obj, keys, NULL, data, count, &done)
                 : synadb_mmvs_insert((synadb_mmvs *)e->obj, key, SYNADB_NTS, data);
    else if (kind == SYNADB__VK_GWI) {
        r = keys ? synadb_gwi_insert_batch((synadb_gwi *)e->obj, keys, NULL, data, count)
                 : synadb_gwi_insert((synadb_gwi *)e->obj, key, SYNADB_NTS, data);
        done = count;
    }
    else if (kind == SYNADB__VK_CASCADE) {
        r = keys ? synadb_cascade_insert_batch((synadb_cascade *)e->obj, keys, NULL, data, count)
                 : synadb_cascade_insert((synadb_cascade *)e->obj, key, SYNADB_NTS, data);
        done = count;
    }
    else r = synadb_hnsw_add_key((synadb_hnsw *)e->obj, key, SYNADB_NTS, data);
    synadb__vdrop(e);
    if (r || !keys) return synadb__vrc(r);
    return (int32_t)(done > INT32_MAX ? INT32_MAX : done);
}
/* hits as a JSON array of {"key":..,"<score_name>":..}; vs != NULL adds each "vector". */
SYNADB_PRIVATE void synadb__vhits_json(synadb__json *j, const synadb_vec_hit *hits, size_t n, const char *score_name,
                                       synadb_vstore *vs, float *vbuf) {
    size_t i;
    char num[48];
    synadb__jlit(j, "[");
    for (i = 0; i < n && !j->oom; i++) {
        if (i) synadb__jlit(j, ",");
        synadb__jlit(j, "{\"key\":");
        if (hits[i].key) synadb__jstr(j, hits[i].key, hits[i].key_len);
        else { snprintf(num, sizeof num, "\"%llu\"", (unsigned long long)hits[i].id); synadb__jlit(j, num); }
        snprintf(num, sizeof num, ",\"%s\":", score_name);
        synadb__jlit(j, num);
        synadb__jnum(j, hits[i].score);
        if (vs) {
            uint32_t c, d = synadb_vstore_dims(vs);
            synadb__jlit(j, ",\"vector\":[");
            if (synadb_vstore_get(vs, hits[i].key, hits[i].key_len, vbuf) == SYNADB_OK)
                for (c = 0; c < d; c++) { if (c) synadb__jlit(j, ","); synadb__jnum(j, vbuf[c]); }
            synadb__jlit(j, "]");
        }
        synadb__jlit(j, "}");
    }
    synadb__jlit(j, "]");
}
/* The search exports: k nearest of query into *out_json; returns the count. ef: HNSW's
   ef_search, GWI's nprobe, Cascade's ef_search (probes: Cascade's num_probes). */
SYNADB_PRIVATE int32_t synadb__vsearch2(const char *path, int kind, const float *query, uint16_t dims, size_t k, size_t ef,
                                        size_t probes, char **out_json, size_t *out_len) {
    int32_t rc = 0;
    synadb_result r;
    synadb_vec_hit *hits;
    float *vbuf = NULL;
    size_t n = 0;
    synadb__vreg *e;
    synadb__json j;
    if (out_json) *out_json = NULL;
    if (out_len) *out_len = 0;
    if (!query || !out_json) return SYNA_ERR_INVALID_PATH;
    e = synadb__vacquire(path, kind, &rc);
    if (!e) return rc;
    memset(&j, 0, sizeof j);
    {   /* k from the caller may be anything (k * sizeof would overflow): never more hits than entries */
        size_t live = synadb__vobj_len(e);
        if (k > live) k = live;
    }
    hits = (synadb_vec_hit *)SYNADB_MALLOC((k ? k : 1) * sizeof *hits);
    if (kind == SYNADB__VK_VSTORE) vbuf = (float *)SYNADB_MALLOC((size_t)synadb__vobj_dims(e) * sizeof *vbuf);
    if (!hits || (kind == SYNADB__VK_VSTORE && !vbuf)) r = SYNADB_ERR_NO_MEMORY;
    else if (dims != synadb__vobj_dims(e)) r = SYNADB_ERR_DIMENSION;
    else if (kind == SYNADB__VK_VSTORE) r = synadb_vstore_search((synadb_vstore *)e->obj, query, k, hits, &n);
    else if (kind == SYNADB__VK_MMVS) r = synadb_mmvs_search((synadb_mmvs *)e->obj, query, k, hits, &n);
    else if (kind == SYNADB__VK_GWI) r = synadb_gwi_search((synadb_gwi *)e->obj, query, k, ef, hits, &n);
    else if (kind == SYNADB__VK_CASCADE) r = synadb_cascade_search((synadb_cascade *)e->obj, query, k, probes, ef, hits, &n);
    else r = synadb_hnsw_search((synadb_hnsw *)e->obj, query, k, ef, hits, &n);
    if (!r) {
        synadb__vhits_json(&j, hits, n, kind == SYNADB__VK_HNSW ? "distance" : "score",
                           kind == SYNADB__VK_VSTORE ? (synadb_vstore *)e->obj : NULL, vbuf);
        if (j.oom) r = SYNADB_ERR_NO_MEMORY;
    }
    SYNADB_FREE(vbuf);
    SYNADB_FREE(hits);
    synadb__vdrop(e);
    if (r) { SYNADB_FREE(j.p); return (int32_t)r; }
    *out_json = j.p;
    if (out_len) *out_len = j.n;
    return (int32_t)n;
}
SYNADB_PRIVATE int32_t synadb__vsearch(const char *path, int kind, const float *query, uint16_t dims, size_t k, size_t ef,
                                       char **out_json, size_t *out_len) {
    return synadb__vsearch2(path, kind, query, dims, k, ef, 0, out_json, out_len);
}

/* ---- VectorStore ---- */
SYNADB_VEC_API int32_t syna_vector_store_new_with_config(const char *path, uint16_t dims, int32_t metric, int32_t sync_on_write) {
    char abs[4096];
    synadb__vreg *e;
    synadb_vstore *vs = NULL;
    synadb_vstore_config c;
    synadb_result r;
    int32_t rc;
    if (!path || !*path || synadb__abspath(path, abs, sizeof abs)) return SYNA_ERR_INVALID_PATH;
    if (!dims || dims > SYNADB_VEC_MAX_DIMS) return SYNADB_ERR_DIMENSION;
    if ((unsigned)metric > 2u) return SYNADB_ERR_INVALID_ARG;
    synadb__reg_lock();
    e = synadb__vfind(abs, SYNADB__VK_VSTORE);
    if (e) {
        rc = synadb_vstore_dims((synadb_vstore *)e->obj) == dims ? SYNA_SUCCESS : SYNADB_ERR_DIMENSION;
        synadb__reg_unlock();
        return rc;
    }
    c = synadb_vstore_config_default(dims, (synadb_metric)metric);
    c.db.sync_on_write = sync_on_write != 0;
    r = synadb_vstore_open(abs, &c, &vs);
    rc = r ? (int32_t)r : synadb__vregister(abs, SYNADB__VK_VSTORE, vs);
    if (rc != SYNA_SUCCESS && vs) synadb_vstore_close(vs);
    synadb__reg_unlock();
    return rc;
}
SYNADB_VEC_API int32_t syna_vector_store_new(const char *path, uint16_t dims, int32_t metric) {
    return syna_vector_store_new_with_config(path, dims, metric, 1);
}
SYNADB_VEC_API int32_t syna_vector_store_insert(const char *path, const char *key, const float *data, uint16_t dims) {
    return synadb__vinsert(path, SYNADB__VK_VSTORE, key, NULL, data, dims, 1);
}
SYNADB_VEC_API int32_t syna_vector_store_insert_batch(const char *path, const char *const *keys, const float *data, uint16_t dims, size_t count) {
    if (!keys) return SYNA_ERR_INVALID_PATH;
    return synadb__vinsert(path, SYNADB__VK_VSTORE, NULL, keys, data, dims, count);
}
SYNADB_VEC_API int32_t syna_vector_store_insert_batch_fast(const char *path, const char *const *keys, const float *data, uint16_t dims, size_t count) {
    return syna_vector_store_insert_batch(path, keys, data, dims, count);
}
SYNADB_VEC_API int32_t syna_vector_store_search(const char *path, const float *query, uint16_t dims, size_t k, char **out_json) {
    return synadb__vsearch(path, SYNADB__VK_VSTORE, query, dims, k, 0, out_json, NULL);
}
SYNADB_VEC_API int32_t syna_vector_store_build_index(const char *path) { SYNADB__VCALL(path, SYNADB__VK_VSTORE, synadb_vstore, synadb_vstore_build_index(obj)); }
SYNADB_VEC_API int32_t syna_vector_store_has_index(const char *path) { SYNADB__VCOUNT(path, SYNADB__VK_VSTORE, synadb_vstore, synadb_vstore_has_index(obj)); }
SYNADB_VEC_API int32_t syna_vector_store_flush(const char *path) { SYNADB__VCALL(path, SYNADB__VK_VSTORE, synadb_vstore, synadb_vstore_flush(obj)); }
SYNADB_VEC_API int32_t syna_vector_store_close(const char *path) { return synadb__vclose(path, SYNADB__VK_VSTORE); }
SYNADB_VEC_API int32_t syna_vector_store_get(const char *path, const char *key, float *out, uint16_t dims) {
    int32_t rc = 0;
    synadb_result r;
    synadb__vreg *e;
    if (!key || !out) return SYNA_ERR_INVALID_PATH;
    e = synadb__vacquire(path, SYNADB__VK_VSTORE, &rc);
    if (!e) return rc;
    if (dims != synadb_vstore_dims((synadb_vstore *)e->obj)) r = SYNADB_ERR_DIMENSION;
    else r = synadb_vstore_get((synadb_vstore *)e->obj, key, SYNADB_NTS, out);
    synadb__vdrop(e);
    return synadb__vrc(r);
}
SYNADB_VEC_API int32_t syna_vector_store_delete(const char *path, const char *key) {
    int32_t rc = 0;
    synadb_result r;
    synadb__vreg *e;
    if (!key) return SYNA_ERR_INVALID_PATH;
    e = synadb__vacquire(path, SYNADB__VK_VSTORE, &rc);
    if (!e) return rc;
    r = synadb_vstore_delete((synadb_vstore *)e->obj, key, SYNADB_NTS);
    synadb__vdrop(e);
    return synadb__vrc(r);
}
SYNADB_VEC_API int64_t syna_vector_store_len(const char *path) { SYNADB__VCOUNT(path, SYNADB__VK_VSTORE, synadb_vstore, synadb_vstore_len(obj)); }

/* ---- HNSW (string keys) ---- */
SYNADB_VEC_API int32_t syna_hnsw_create(const char *path, uint16_t dims, int32_t metric, size_t m, size_t ef_construction) {
    char abs[4096];
    synadb_hnsw_config c;
    synadb_hnsw *h = NULL;
    synadb_result r;
    int32_t rc;
    if (!path || !*path || synadb__abspath(path, abs, sizeof abs)) return SYNA_ERR_INVALID_PATH;
    if (!dims || dims > SYNADB_VEC_MAX_DIMS) return SYNADB_ERR_DIMENSION;
    if ((unsigned)metric > 2u || m == 1 || m > 64 || ef_construction > 100000) return SYNADB_ERR_INVALID_ARG;
    c = synadb_hnsw_config_default(dims, (synadb_metric)metric);
    if (m) c.M = (uint32_t)m;
    if (ef_construction) c.ef_construction = (uint32_t)ef_construction;
    synadb__reg_lock();
    if (synadb__vfind(abs, SYNADB__VK_HNSW)) { synadb__reg_unlock(); return SYNADB_ERR_EXISTS; }
    r = synadb_hnsw_create(&c, &h);
    rc = r ? (int32_t)r : synadb__vregister(abs, SYNADB__VK_HNSW, h);
    if (rc != SYNA_SUCCESS) synadb_hnsw_free(h);
    synadb__reg_unlock();
    return rc;
}
SYNADB_VEC_API int32_t syna_hnsw_load(const char *path) {
    char abs[4096], err[256];
    synadb_hnsw *h = NULL;
    synadb_result r;
    int32_t rc;
    if (!path || !*path || synadb__abspath(path, abs, sizeof abs)) return SYNA_ERR_INVALID_PATH;
    synadb__reg_lock();
    if (synadb__vfind(abs, SYNADB__VK_HNSW)) { synadb__reg_unlock(); return SYNADB_ERR_EXISTS; }
    r = synadb_hnsw_load(abs, NULL, &h, NULL, err, sizeof err);
    rc = r ? (int32_t)r : synadb__vregister(abs, SYNADB__VK_HNSW, h);
    if (rc != SYNA_SUCCESS) synadb_hnsw_free(h);
    synadb__reg_unlock();
    return rc;
}
SYNADB_VEC_API int32_t syna_hnsw_save(const char *path) { SYNADB__VCALL(path, SYNADB__VK_HNSW, synadb_hnsw, synadb_hnsw_save(obj, e_->path, NULL)); }
SYNADB_VEC_API int32_t syna_hnsw_insert(const char *path, const char *key, const float *vector, uint16_t dims) {
    return synadb__vinsert(path, SYNADB__VK_HNSW, key, NULL, vector, dims, 1);
}
SYNADB_VEC_API int32_t syna_hnsw_search(const char *path, const float *query, uint16_t dims, size_t k, size_t ef_search, char **out_json) {
    return synadb__vsearch(path, SYNADB__VK_HNSW, query, dims, k, ef_search, out_json, NULL);
}
SYNADB_VEC_API int32_t syna_hnsw_stats(const char *path, char **out_json) {
    int32_t rc = 0;
    synadb_result r;
    synadb_hnsw_stats st;
    synadb__vreg *e;
    char buf[256];
    if (out_json) *out_json = NULL;
    if (!out_json) return SYNA_ERR_INVALID_PATH;
    e = synadb__vacquire(path, SYNADB__VK_HNSW, &rc);
    if (!e) return rc;
    r = synadb_hnsw_stats_get((synadb_hnsw *)e->obj, &st);
    synadb__vdrop(e);
    if (r) return (int32_t)r;
    snprintf(buf, sizeof buf, "{\"num_nodes\":%llu,\"max_level\":%u,\"total_edges\":%llu,\"avg_edges_per_node\":%.6g}",
             (unsigned long long)st.live, st.max_level, (unsigned long long)st.total_edges, st.avg_edges_per_node);
    *out_json = (char *)SYNADB_MALLOC(strlen(buf) + 1);
    if (!*out_json) return SYNADB_ERR_NO_MEMORY;
    strcpy(*out_json, buf);
    return SYNA_SUCCESS;
}
SYNADB_VEC_API int32_t syna_hnsw_close(const char *path) { return synadb__vclose(path, SYNADB__VK_HNSW); }

/* ---- MmapVectorStore ---- */
SYNADB_VEC_API int32_t syna_mmap_vector_store_new(const char *path, uint16_t dims, int32_t metric, size_t initial_capacity) {
    char abs[4096];
    synadb_mmvs *s = NULL;
    synadb_mmvs_config c;
    synadb__vreg *e;
    synadb_result r;
    int32_t rc;
    if (!path || !*path || synadb__abspath(path, abs, sizeof abs)) return SYNA_ERR_INVALID_PATH;
    if (!dims || dims > SYNADB_VEC_MAX_DIMS) return SYNADB_ERR_DIMENSION;
    if ((unsigned)metric > 2u) return SYNADB_ERR_INVALID_ARG;
    synadb__reg_lock();
    e = synadb__vfind(abs, SYNADB__VK_MMVS);
    if (e) { synadb__reg_unlock(); return SYNA_SUCCESS; }
    c = synadb_mmvs_config_default(dims, (synadb_metric)metric);
    if (initial_capacity) c.initial_capacity = initial_capacity;
    r = synadb_mmvs_open(abs, &c, &s);
    rc = r ? (int32_t)r : synadb__vregister(abs, SYNADB__VK_MMVS, s);
    if (rc != SYNA_SUCCESS && s) synadb_mmvs_close(s);
    synadb__reg_unlock();
    return rc;
}
SYNADB_VEC_API int32_t syna_mmap_vector_store_insert(const char *path, const char *key, const float *vector, uint16_t dims) {
    return synadb__vinsert(path, SYNADB__VK_MMVS, key, NULL, vector, dims, 1);
}
SYNADB_VEC_API int32_t syna_mmap_vector_store_insert_batch(const char *path, const char *const *keys, const float *vectors, uint16_t dims, size_t count) {
    if (!keys) return SYNA_ERR_INVALID_PATH;
    return synadb__vinsert(path, SYNADB__VK_MMVS, NULL, keys, vectors, dims, count);
}
SYNADB_VEC_API int32_t syna_mmap_vector_store_search(const char *path, const float *query, uint16_t dims, size_t k, char **out_json, size_t *out_len) {
    return synadb__vsearch(path, SYNADB__VK_MMVS, query, dims, k, 0, out_json, out_len);
}
SYNADB_VEC_API int32_t syna_mmap_vector_store_build_index(const char *path) { SYNADB__VCALL(path, SYNADB__VK_MMVS, synadb_mmvs, synadb_mmvs_build_index(obj)); }
SYNADB_VEC_API int32_t syna_mmap_vector_store_flush(const char *path) { SYNADB__VCALL(path, SYNADB__VK_MMVS, synadb_mmvs, synadb_mmvs_checkpoint(obj)); }
SYNADB_VEC_API int32_t syna_mmap_vector_store_close(const char *path) { return synadb__vclose(path, SYNADB__VK_MMVS); }
SYNADB_VEC_API int64_t syna_mmap_vector_store_len(const char *path) { SYNADB__VCOUNT(path, SYNADB__VK_MMVS, synadb_mmvs, synadb_mmvs_len(obj)); }

/* ---- SparseVectorStore (svs_*: names, not files, in the registry) ---- */
SYNADB_PRIVATE int svs__code(synadb_result r) {
    if (r == SYNADB_OK) return SVS_SUCCESS;
    if (r == SYNADB_ERR_KEY_NOT_FOUND) return SVS_ERR_NOT_FOUND;
    if (r == SYNADB_ERR_INVALID_ARG) return SVS_ERR_NULL_PTR;
    return (int)r;
}
SYNADB_PRIVATE synadb__vreg *svs__acquire(const char *name, int *rc) {
    synadb__vreg *e;
    if (!name || !synadb__utf8_valid((const uint8_t *)name, strlen(name))) { *rc = SVS_ERR_NULL_PTR; return NULL; }
    synadb__reg_lock();
    e = synadb__vfind(name, SYNADB__VK_SVS);
    if (e) e->refs++;
    synadb__reg_unlock();
    if (!e) *rc = SVS_ERR_NOT_FOUND;
    return e;
}
SYNADB_PRIVATE int svs__register(const char *name, const char *file) {
    synadb_svs *s = NULL;
    synadb_svs_config c = synadb_svs_config_default();
    synadb_result r;
    int rc;
    if (!name || !synadb__utf8_valid((const uint8_t *)name, strlen(name))) return SVS_ERR_NULL_PTR;
    c.no_create = 1;
    synadb__reg_lock();
    if (synadb__vfind(name, SYNADB__VK_SVS)) { synadb__reg_unlock(); return SVS_ERR_ALREADY_EXISTS; }
    r = synadb_svs_open(file, &c, &s);
    rc = r ? svs__code(r) : (int)synadb__vregister(name, SYNADB__VK_SVS, s);
    if (rc != SVS_SUCCESS && s) synadb_svs_close(s);
    synadb__reg_unlock();
    return rc;
}
SYNADB_VEC_API int svs_new(const char *path) { return svs__register(path, NULL); }
SYNADB_VEC_API int svs_open(const char *path, const char *file_path) {
    if (!path || !file_path || !synadb__utf8_valid((const uint8_t *)file_path, strlen(file_path))) return SVS_ERR_NULL_PTR;
    if (!*file_path) return (int)SYNADB_ERR_INVALID_ARG;
    return svs__register(path, file_path);
}
SYNADB_VEC_API int svs_close(const char *path) {
    synadb__vreg *e, **pp;
    int now = 0;
    if (!path) return SVS_ERR_NULL_PTR;
    synadb__reg_lock();
    for (pp = &synadb__vregistry; *pp && !((*pp)->kind == SYNADB__VK_SVS && strcmp((*pp)->path, path) == 0); pp = &(*pp)->next) {}
    e = *pp;
    if (e) { *pp = e->next; e->closing = 1; now = e->refs == 0; }
    synadb__reg_unlock();
    if (!e) return SVS_ERR_NOT_FOUND;
    if (now) synadb__vobj_close(e);
    return SVS_SUCCESS;
}
SYNADB_VEC_API int svs_exists(const char *path) {
    int found;
    if (!path) return SVS_ERR_NULL_PTR;
    synadb__reg_lock();
    found = synadb__vfind(path, SYNADB__VK_SVS) != NULL;
    synadb__reg_unlock();
    return found;
}
SYNADB_VEC_API int64_t svs_index(const char *path, const char *key, const uint32_t *term_ids, const float *weights, uint32_t count) {
    int rc = 0;
    uint64_t doc = 0;
    synadb_result r;
    synadb__vreg *e;
    if (!path || !key || !term_ids || !weights || !synadb__utf8_valid((const uint8_t *)key, strlen(key))) return SVS_ERR_NULL_PTR;
    e = svs__acquire(path, &rc);
    if (!e) return rc;
    r = synadb_svs_index((synadb_svs *)e->obj, key, SYNADB_NTS, term_ids, weights, count, &doc);
    synadb__vdrop(e);
    return r ? (int64_t)svs__code(r) : (int64_t)doc;
}
SYNADB_VEC_API int svs_search(const char *path, const uint32_t *term_ids, const float *weights, uint32_t count, uint32_t k,
                              char **out_keys, float *out_scores, uint32_t *out_count) {
    int rc = 0;
    synadb_result r;
    synadb_vec_hit *hits;
    size_t n = 0, i;
    synadb__vreg *e;
    if (out_count) *out_count = 0;
    if (!path || !term_ids || !weights || !out_count || (k && (!out_keys || !out_scores))) return SVS_ERR_NULL_PTR;
    e = svs__acquire(path, &rc);
    if (!e) return rc;
    hits = (synadb_vec_hit *)SYNADB_MALLOC((size_t)(k ? k : 1) * sizeof *hits);
    if (!hits) r = SYNADB_ERR_NO_MEMORY;
    else r = synadb_svs_search((synadb_svs *)e->obj, term_ids, weights, count, k, hits, &n);
    for (i = 0; !r && i < n; i++) {
        out_keys[i] = (char *)SYNADB_MALLOC(hits[i].key_len + 1);
        if (!out_keys[i]) { while (i--) { SYNADB_FREE(out_keys[i]); out_keys[i] = NULL; } r = SYNADB_ERR_NO_MEMORY; break; }
        memcpy(out_keys[i], hits[i].key, hits[i].key_len + 1);
        out_scores[i] = hits[i].score;
    }
    synadb__vdrop(e);
    SYNADB_FREE(hits);
    if (r) return svs__code(r);
    *out_count = (uint32_t)n;
    return SVS_SUCCESS;
}
SYNADB_VEC_API void svs_free_key(char *key) { if (key) SYNADB_FREE(key); }
SYNADB_VEC_API int64_t svs_len(const char *path) {
    int rc = 0;
    int64_t n;
    synadb__vreg *e = svs__acquire(path, &rc);
    if (!e) return rc;
    n = (int64_t)synadb_svs_len((synadb_svs *)e->obj);
    synadb__vdrop(e);
    return n;
}
SYNADB_VEC_API int svs_delete(const char *path, const char *key) {
    int rc = 0;
    synadb_result r;
    synadb__vreg *e;
    if (!path || !key) return SVS_ERR_NULL_PTR;
    e = svs__acquire(path, &rc);
    if (!e) return rc;
    r = synadb_svs_delete((synadb_svs *)e->obj, key, SYNADB_NTS);
    synadb__vdrop(e);
    return svs__code(r);
}
SYNADB_VEC_API int svs_stats(const char *path, uint32_t *num_docs, uint32_t *num_terms, uint32_t *num_postings, float *avg_doc_len) {
    int rc = 0;
    synadb_result r;
    synadb_svs_stats st;
    synadb__vreg *e;
    if (!path || !num_docs || !num_terms || !num_postings || !avg_doc_len) return SVS_ERR_NULL_PTR;
    e = svs__acquire(path, &rc);
    if (!e) return rc;
    r = synadb_svs_stats_get((synadb_svs *)e->obj, &st);
    synadb__vdrop(e);
    if (r) return svs__code(r);
    *num_docs = st.documents > UINT32_MAX ? UINT32_MAX : (uint32_t)st.documents;
    *num_terms = st.terms > UINT32_MAX ? UINT32_MAX : (uint32_t)st.terms;
    *num_postings = st.postings > UINT32_MAX ? UINT32_MAX : (uint32_t)st.postings;
    *avg_doc_len = (float)st.mean_nnz;
    return SVS_SUCCESS;
}
SYNADB_VEC_API int svs_save(const char *path, const char *file_path) {
    int rc = 0;
    synadb_result r;
    synadb__vreg *e;
    if (!path || !file_path) return SVS_ERR_NULL_PTR;
    if (!*file_path) return (int)SYNADB_ERR_INVALID_ARG;
    e = svs__acquire(path, &rc);
    if (!e) return rc;
    r = synadb_svs_save((synadb_svs *)e->obj, file_path);
    synadb__vdrop(e);
    return svs__code(r);
}
/* ---- Gravity Well Index ----
   gwi_new creates the file, or opens an existing GWI file of the same dims (never
   truncates; another kind of file is refused). Metric cosine as in the original; dims
   1..8192; branching_factor 0 = 16, num_levels 0 = 3, initial_capacity 0 = 10000.
   gwi_search uses nprobe 3; gwi_search_nprobe: nprobe 0 = 3, more than the leaves = all. */
SYNADB_PRIVATE int32_t synadb__gwi_reg(const char *path, const synadb_gwi_config *c) {
    char abs[4096], err[256];
    synadb_gwi *g = NULL;
    synadb__vreg *e;
    synadb_result r;
    int32_t rc;
    if (!path || !*path || synadb__abspath(path, abs, sizeof abs)) return SYNA_ERR_INVALID_PATH;
    synadb__reg_lock();
    e = synadb__vfind(abs, SYNADB__VK_GWI);
    if (e) {
        rc = !c || synadb_gwi_dims((synadb_gwi *)e->obj) == c->dims ? SYNA_SUCCESS : SYNADB_ERR_DIMENSION;
        synadb__reg_unlock();
        return rc;
    }
    r = c ? synadb_gwi_new(abs, c, &g, err, sizeof err) : synadb_gwi_open(abs, &g, err, sizeof err);
    rc = r ? (int32_t)r : synadb__vregister(abs, SYNADB__VK_GWI, g);
    if (rc != SYNA_SUCCESS && g) synadb_gwi_close(g);
    synadb__reg_unlock();
    return rc;
}
SYNADB_VEC_API int32_t syna_gwi_new(const char *path, uint16_t dims, uint16_t branching_factor, uint8_t num_levels, size_t initial_capacity) {
    synadb_gwi_config c;
    if (!dims || dims > SYNADB_VEC_MAX_DIMS) return SYNADB_ERR_DIMENSION;
    c = synadb_gwi_config_default(dims, SYNADB_METRIC_COSINE);
    if (branching_factor) c.branching_factor = branching_factor;
    if (num_levels) c.num_levels = num_levels;
    if (initial_capacity) c.initial_capacity = initial_capacity;
    return synadb__gwi_reg(path, &c);
}
SYNADB_VEC_API int32_t syna_gwi_open(const char *path) { return synadb__gwi_reg(path, NULL); }
SYNADB_VEC_API int32_t syna_gwi_initialize(const char *path, const float *vectors, size_t num_vectors, uint16_t dims) {
    int32_t rc = 0;
    synadb_result r;
    synadb__vreg *e;
    if (!vectors || !num_vectors) return SYNADB_ERR_INVALID_ARG;
    e = synadb__vacquire(path, SYNADB__VK_GWI, &rc);
    if (!e) return rc;
    if (dims != synadb_gwi_dims((synadb_gwi *)e->obj)) r = SYNADB_ERR_DIMENSION;
    else r = synadb_gwi_initialize((synadb_gwi *)e->obj, vectors, num_vectors);
    synadb__vdrop(e);
    return synadb__vrc(r);
}
SYNADB_VEC_API int32_t syna_gwi_insert(const char *path, const char *key, const float *vector, uint16_t dims) {
    return synadb__vinsert(path, SYNADB__VK_GWI, key, NULL, vector, dims, 1);
}
SYNADB_VEC_API int32_t syna_gwi_insert_batch(const char *path, const char *const *keys, const float *vectors, uint16_t dims, size_t count) {
    if (!keys) return SYNA_ERR_INVALID_PATH;
    return synadb__vinsert(path, SYNADB__VK_GWI, NULL, keys, vectors, dims, count);
}
SYNADB_VEC_API int32_t syna_gwi_search_nprobe(const char *path, const float *query, uint16_t dims, size_t k, size_t nprobe, char **out_json) {
    return synadb__vsearch(path, SYNADB__VK_GWI, query, dims, k, nprobe ? nprobe : 3, out_json, NULL);
}
SYNADB_VEC_API int32_t syna_gwi_search(const char *path, const float *query, uint16_t dims, size_t k, char **out_json) {
    return syna_gwi_search_nprobe(path, query, dims, k, 3, out_json);
}
SYNADB_VEC_API int32_t syna_gwi_flush(const char *path) { SYNADB__VCALL(path, SYNADB__VK_GWI, synadb_gwi, synadb_gwi_flush(obj)); }
SYNADB_VEC_API int32_t syna_gwi_close(const char *path) { return synadb__vclose(path, SYNADB__VK_GWI); }
SYNADB_VEC_API int64_t syna_gwi_len(const char *path) { SYNADB__VCOUNT(path, SYNADB__VK_GWI, synadb_gwi, synadb_gwi_len(obj)); }

/* ---- Cascade index (see >>vec.abi for the return values) ---- */
SYNADB_VEC_API int32_t syna_cascade_new(const char *path, uint16_t dims) {
    char abs[4096], err[256];
    synadb_cascade *c = NULL;
    synadb__vreg *e;
    synadb_result r;
    int32_t rc;
    if (!path || !*path || synadb__abspath(path, abs, sizeof abs)) return SYNA_ERR_INVALID_PATH;
    if (dims > SYNADB_VEC_MAX_DIMS) return SYNADB_ERR_DIMENSION;
    synadb__reg_lock();
    e = synadb__vfind(abs, SYNADB__VK_CASCADE);
    if (e) {
        rc = !dims || synadb_cascade_dims((synadb_cascade *)e->obj) == dims ? SYNA_SUCCESS : SYNADB_ERR_INDEX_MISMATCH;
        synadb__reg_unlock();
        return rc;
    }
    if (synadb__path_exists(abs) || !dims) {   /* an existing file: its own configuration */
        r = synadb_cascade_open(abs, NULL, &c, err, sizeof err);
        if (r == SYNADB_ERR_NOT_FOUND && !dims) r = SYNADB_ERR_DIMENSION;
        else if (!r && dims && synadb_cascade_dims(c) != dims) r = SYNADB_ERR_INDEX_MISMATCH;
    } else {
        synadb_cascade_config cfg = synadb_cascade_config_preset(dims, SYNADB_METRIC_COSINE, SYNADB_CASCADE_DEFAULT);
        r = synadb_cascade_open(abs, &cfg, &c, err, sizeof err);
    }
    rc = r ? (int32_t)r : synadb__vregister(abs, SYNADB__VK_CASCADE, c);
    if (rc != SYNA_SUCCESS && c) synadb_cascade_free(c);
    synadb__reg_unlock();
    return rc;
}
SYNADB_VEC_API int32_t syna_cascade_insert(const char *path, const char *key, const float *vector, uint16_t dims) {
    return synadb__vinsert(path, SYNADB__VK_CASCADE, key, NULL, vector, dims, 1);
}
SYNADB_VEC_API int32_t syna_cascade_insert_batch(const char *path, const char *const *keys, const float *vectors, uint16_t dims, size_t count) {
    if (!keys) return SYNA_ERR_INVALID_PATH;
    return synadb__vinsert(path, SYNADB__VK_CASCADE, NULL, keys, vectors, dims, count);
}
SYNADB_VEC_API int32_t syna_cascade_search_params(const char *path, const float *query, uint16_t dims, size_t k, size_t num_probes,
                                                  size_t ef_search, char **out_json) {
    return synadb__vsearch2(path, SYNADB__VK_CASCADE, query, dims, k, ef_search, num_probes, out_json, NULL);
}
SYNADB_VEC_API int32_t syna_cascade_search(const char *path, const float *query, uint16_t dims, size_t k, char **out_json) {
    return syna_cascade_search_params(path, query, dims, k, 0, 0, out_json);
}
SYNADB_VEC_API int32_t syna_cascade_flush(const char *path) { SYNADB__VCALL(path, SYNADB__VK_CASCADE, synadb_cascade, synadb_cascade_save(obj)); }
SYNADB_VEC_API int32_t syna_cascade_close(const char *path) {
    int32_t rc = 0;
    synadb_result r = SYNADB_OK;
    synadb_cascade *c;
    int dirty;
    synadb__vreg *e = synadb__vacquire(path, SYNADB__VK_CASCADE, &rc);
    if (!e) return rc;
    c = (synadb_cascade *)e->obj;
    synadb__rw_rdlock(&c->rw);
    dirty = c->dirty;
    synadb__rw_rdunlock(&c->rw);
    if (dirty) r = synadb_cascade_save(c);   /* here, so that a failure is reported and nothing is lost */
    synadb__vdrop(e);
    if (r) return (int32_t)r;
    return synadb__vclose(path, SYNADB__VK_CASCADE);
}
SYNADB_VEC_API int64_t syna_cascade_len(const char *path) { SYNADB__VCOUNT(path, SYNADB__VK_CASCADE, synadb_cascade, synadb_cascade_len(obj)); }

#define SYNADB__X(ret, name, params, args, RET) SYNADB_VEC_API ret SYNA_##name params { RET syna_##name args; }
SYNADB__VEC_ABI_FUNCS(SYNADB__X)
#undef SYNADB__X
#endif /* SYNADB_NO_COMPAT_ABI */

#endif /* SYNADB_VEC_IMPLEMENTATION_INCLUDED */
#endif /* SYNADB_IMPLEMENTATION */
