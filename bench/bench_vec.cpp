/* bench_vec.cpp - SynaDB's vector search against hnswlib and FAISS on Fashion-MNIST, one
 * program, plus MmapVectorStore ingestion and VectorStore insert throughput.
 *
 * Build and run (bench/run.sh does this; `make bench` calls bench/run.sh):
 *   c++ -std=c++17 -O3 -march=native -fopenmp bench/bench_vec.cpp -o build/bench_vec \
 *       -lfaiss -llapack -lblas -lz -lpthread -lm
 *   build/bench_vec [-r reps] [-e synadb,hnswlib,faiss] [-n base] [-q queries] [-S] [DIR]
 *   (DIR default /tmp/synadb-bench-vec, on disk by default: tmpfs would flatter the stores;
 *   only DIR/vec-* files are created and removed. -n/-q use the first rows only, for a
 *   quick run; -S skips the store benchmarks.)
 *   Compile-time switches (for a synadb_vec.h that lacks parts): -DBENCH_PEERS_ONLY (no
 *   SynaDB call at all), -DBENCH_NO_STORES (no VectorStore / MmapVectorStore calls),
 *   -DBENCH_NO_MMVS (no MmapVectorStore calls).
 *
 * DATA  Debian package dataset-fashion-mnist: /usr/share/datasets/fashion-mnist/
 *   train-images-idx3-ubyte.gz (60,000 x 784 base) and t10k-images-idx3-ubyte.gz (10,000
 *   queries), IDX format read with zlib. Pixels become float32 0..255 without
 *   normalisation (as ann-benchmarks' fashion-mnist-784-euclidean). Metric: euclidean.
 *
 * GROUND TRUTH  computed here, exactly: squared distances of the u8 pixels in int32 (no
 *   rounding at all), top-10 per query with ties broken by the lower row. Recall@10 follows
 *   ann-benchmarks: for every returned id the exact distance to the query is recomputed,
 *   and the id counts if sqrt(d2) <= (10th true distance) + 1e-3 (absolute; a tie with the
 *   10th neighbour is a hit). Duplicate or out-of-range ids count nothing. Recall =
 *   hits / 10 averaged over the queries.
 *
 * ENGINES (all in this process, all compiled with -O3 -march=native)
 *   SynaDB   synadb_hnsw, euclidean, M=16, ef_construction=200, seed 100, capacity 60,000.
 *            1-thread build: synadb_hnsw_add in a loop; 2-thread build:
 *            synadb_hnsw_add_batch(..., threads = 2). Search synadb_hnsw_search(h, q, 10,
 *            ef). Exact: synadb_vec_topk with synadb_vec_kernels_best(). Kernels are picked
 *            at run time.
 *   hnswlib  0.6.2 (Debian libhnswlib-dev, header-only): L2Space(784),
 *            HierarchicalNSW<float>(space, 60000, M=16, ef_construction=200, seed 100).
 *            1 thread: addPoint loop. 2 threads: the first point alone, then two std::threads
 *            taking points from a shared atomic counter (as hnswlib's Python binding does).
 *            Search: setEf(ef), searchKnn(q, 10). hnswlib picks its SIMD kernel from
 *            compile-time macros, hence -march=native for the whole benchmark (it then
 *            uses its AVX-512 kernel when the CPU has it; printed below).
 *   FAISS    1.7.3 (Debian libfaiss-dev, the packaged generic build): IndexFlatL2 for exact
 *            search; IndexHNSWFlat(784, 16) with hnsw.efConstruction = 200, built by one
 *            add() of all vectors with omp_set_num_threads(1) and (2); search with
 *            hnsw.efSearch = ef, one query per search() call, on 1 OpenMP thread.
 *
 * MEASUREMENT (wall clock, CLOCK_MONOTONIC)
 *   Builds: one run each. The searches use the 1-thread-built indexes, which are all in
 *   memory at once; the sweep (every engine, every ef, all queries one at a time on one
 *   thread) runs R = 3 times, interleaved across engines, and the median QPS is
 *   reported. Recall is computed outside the timed loop (searches are deterministic; the
 *   last repetition's is reported). The 2-thread-built index is also checked: its recall
 *   at ef = 40. Graph edges/node: all layers (SynaDB stats.total_edges / nodes; hnswlib
 *   and FAISS counted from their link lists).
 *   Recall levels: for every peer ef whose recall r is >= 0.95, SynaDB's QPS at r is read
 *   off SynaDB's QPS-recall curve (linear in recall between adjacent points; a point at or
 *   above r also qualifies, the best wins) and divided by the peer's best QPS at r. If a
 *   peer's r is above SynaDB's best recall on the ef grid, SynaDB's curve is extended with
 *   ef = 240, 320, 480, 640 (R repetitions each, median) until it reaches r; those extra
 *   points are printed.
 *   Exact single-query search: the first 200 queries, R times, median.
 *   Memory per vector: each engine's own accounting (SynaDB stats.memory_bytes; hnswlib
 *   from its 0.6.2 layout: level-0 block, upper-layer link lists, per-element pointer,
 *   level and mutex, the 65,536 update mutexes, the label hash map (buckets + 32-byte
 *   nodes) and one visited list; FAISS: vectors + neighbours + offsets + levels), divided
 *   by 60,000; and the anonymous RSS growth during the 1-thread build (/proc/self/statm).
 *
 * STORES (768-d vectors uniform in [-1, 1), fixed seed; keys "doc_%d")
 *   MmapVectorStore  a fresh file DIR/vec-mmvs.mmap, cosine, initial_capacity 100,000;
 *            100,000 vectors with one synadb_mmvs_insert_batch call, and (fresh file) in
 *            10 calls of 10,000; timed: the insert calls only (the checkpoint + close that
 *            makes them durable is timed and printed separately). R runs, median.
 *   VectorStore  DIR/vec-vstore.db, cosine, 768-d, index_threshold = UINT64_MAX (no
 *            automatic HNSW: this measures the log write path). synadb_vstore_insert loop:
 *            100,000 inserts with sync_on_write = 0, 2,000 with sync_on_write = 1; and
 *            synadb_vstore_insert_batch of 100,000 in batches of 1,000 (sync_on_write = 0).
 *            Also 20,000 single inserts with the default index_threshold (10,000: the
 *            store builds and maintains its HNSW index along the way), for information.
 *
 * SANITY: an engine whose recall@10 at ef = 160 is below 0.9, or an exact search that
 *   disagrees with the ground truth, or a store that does not give back what it was given,
 *   is marked INVALID and the program exits 1 at the end.
 *
 * OUTPUT: progress lines, then the table, then
 *   ratio <metric> synadb/<peer> <value>
 * (QPS ratios: higher is better; build-time and memory ratios: lower is better) and the
 * targets as "target ... PASS|FAIL" lines.
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_vec.h"

#include <hnswlib/hnswlib.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <omp.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#define BENCH_NAME "bench_vec"
#include "fmnist.h"

#define NEF 5
static const int EFS[NEF] = {10, 20, 40, 80, 160};
#define NXEF 4
static const int XEFS[NXEF] = {240, 320, 480, 640};   /* SynaDB only, when needed (see below) */
#define EXACT_QUERIES 200
#define ORIGINAL_MMVS 490000.0 /* the original SynaDB's claimed MmapVectorStore ingestion, vectors/s */

static const char *ROOT = "/tmp/synadb-bench-vec";
static int SKIP_STORES = 0;

/* ------------------------------------------------------------------ utilities */
static uint64_t anon_rss(void) { /* resident - shared, bytes */
    unsigned long long size = 0, res = 0, shr = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) { if (fscanf(f, "%llu %llu %llu", &size, &res, &shr) != 3) res = shr = 0; fclose(f); }
    return (uint64_t)(res - shr) * (uint64_t)sysconf(_SC_PAGESIZE);
}
static std::string fmt_num(double v, int decimals) { /* 12345.6 -> "12,346" */
    char buf[64];
    snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s(buf), head = s, tail;
    size_t dot = s.find('.');
    if (dot != std::string::npos) { head = s.substr(0, dot); tail = s.substr(dot); }
    std::string out;
    size_t start = (head[0] == '-') ? 1 : 0;
    for (size_t i = start; i < head.size(); i++) {
        if (i > start && (head.size() - i) % 3 == 0) out += ',';
        out += head[i];
    }
    return (start ? "-" : "") + out + tail;
}

enum { E_SYNADB, E_HNSWLIB, E_FAISS, NENG };
static const char *ENAME[NENG] = {"synadb", "hnswlib", "faiss_hnsw"};
struct engine_res {
    bool enabled = true, invalid = false;
    std::string why;
    double build1 = 0, build2 = 0, mem = 0, rss = 0, recall2t = 0, edges = 0;
    int npts = 0;                      /* points of the QPS-recall curve: the ef grid, then extras */
    int ef[NEF + NXEF] = {0};
    double recall[NEF + NXEF] = {0}, qps[NEF + NXEF] = {0}, qps_rep[NEF + NXEF][MAX_REPS] = {{0}};
    std::string notes;
};
static engine_res ER[NENG];
static double exact_qps[2], exact_rep[2][MAX_REPS];   /* 0 synadb topk, 1 faiss flat */
static size_t exact_bad[2];
static bool exact_done[2];
static double batch_qps; static size_t batch_bad, batch_n; static bool batch_done;

static void mark_invalid(int e, const std::string &why) {
    if (!ER[e].invalid) ER[e].why = why;
    ER[e].invalid = true;
}

/* Runs all NQ queries at one ef, one at a time; returns QPS, fills ids. */
template <class F> static double sweep_one(F &&search, int ef, std::vector<int64_t> &ids) {
    std::fill(ids.begin(), ids.end(), (int64_t)-1);
    double t0 = bench_now();
    for (size_t q = 0; q < NQ; q++) search(&query_f[q * DIMS], ef, &ids[q * K]);
    return (double)NQ / (bench_now() - t0);
}

/* ---- hnswlib ---- */
typedef hnswlib::HierarchicalNSW<float> hnsw_t;
static hnswlib::L2Space *hl_space;
static hnsw_t *hl_new(void) { return new hnsw_t(hl_space, NB, 16, 200, 100); }
static void hl_build_1t(hnsw_t *h) {
    for (size_t i = 0; i < NB; i++) h->addPoint(&base_f[i * DIMS], (hnswlib::labeltype)i);
}
static void hl_build_nt(hnsw_t *h, int threads) {
    h->addPoint(&base_f[0], 0);   /* the first point alone, as the Python binding does */
    std::atomic<size_t> next(1);
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; t++)
        ts.emplace_back([&] {
            for (;;) {
                size_t i = next.fetch_add(1);
                if (i >= NB) break;
                h->addPoint(&base_f[i * DIMS], (hnswlib::labeltype)i);
            }
        });
    for (auto &t : ts) t.join();
}
static double hl_memory(hnsw_t *h) { /* bytes, from hnswlib 0.6.2's layout */
    double m = (double)h->max_elements_ * (double)h->size_data_per_element_;
    for (size_t i = 0; i < h->cur_element_count; i++)
        if (h->element_levels_[i] > 0) m += (double)h->size_links_per_element_ * h->element_levels_[i];
    m += (double)h->max_elements_ * (sizeof(char *) + sizeof(int) + sizeof(std::mutex));
    m += (double)hnsw_t::max_update_element_locks * sizeof(std::mutex);
    m += (double)h->label_lookup_.bucket_count() * sizeof(void *) + (double)h->label_lookup_.size() * 32;
    m += (double)h->max_elements_ * sizeof(hnswlib::vl_type);   /* one visited list */
    return m;
}
static double hl_edges(hnsw_t *h) { /* graph edges per node, all layers */
    double e = 0;
    for (size_t i = 0; i < h->cur_element_count; i++) {
        e += h->getListCount(h->get_linklist0((hnswlib::tableint)i));
        for (int l = 1; l <= h->element_levels_[i]; l++) e += h->getListCount(h->get_linklist((hnswlib::tableint)i, l));
    }
    return h->cur_element_count ? e / (double)h->cur_element_count : 0;
}
static void hl_search(hnsw_t *h, const float *q, int64_t *out) {
    auto r = h->searchKnn(q, K);
    while (!r.empty()) {
        if ((int)r.size() <= K) out[r.size() - 1] = (int64_t)r.top().second;
        r.pop();
    }
}

/* ---- FAISS ---- */
static double faiss_memory(faiss::IndexHNSWFlat *x) {
    faiss::IndexFlatCodes *st = dynamic_cast<faiss::IndexFlatCodes *>(x->storage);
    double m = st ? (double)st->codes.size() : (double)x->ntotal * DIMS * 4;
    m += (double)x->hnsw.neighbors.size() * sizeof(faiss::HNSW::storage_idx_t);
    m += (double)x->hnsw.offsets.size() * sizeof(size_t) + (double)x->hnsw.levels.size() * sizeof(int);
    return m;
}

static double faiss_edges(faiss::IndexHNSWFlat *x) {
    double e = 0;
    for (auto v : x->hnsw.neighbors) e += v >= 0;
    return x->ntotal ? e / (double)x->ntotal : 0;
}

/* ---- SynaDB ---- */
#ifndef BENCH_PEERS_ONLY
static synadb_hnsw *sy_new(void) {
    synadb_hnsw_config c = synadb_hnsw_config_default(DIMS, SYNADB_METRIC_EUCLIDEAN);
    c.M = 16;
    c.ef_construction = 200;
    c.capacity = NB;
    c.seed = 100;
    synadb_hnsw *h = NULL;
    if (synadb_hnsw_create(&c, &h) != SYNADB_OK || !h) die("synadb_hnsw_create failed", NULL);
    return h;
}
static void sy_build_1t(synadb_hnsw *h) {
    for (size_t i = 0; i < NB; i++)
        if (synadb_hnsw_add(h, (uint64_t)i, &base_f[i * DIMS]) != SYNADB_OK) die("synadb_hnsw_add failed", synadb_hnsw_errmsg(h));
}
static std::vector<uint64_t> sy_labels;
static void sy_build_nt(synadb_hnsw *h, int threads) {
    if (synadb_hnsw_add_batch(h, sy_labels.data(), base_f.data(), NB, threads) != SYNADB_OK)
        die("synadb_hnsw_add_batch failed", synadb_hnsw_errmsg(h));
}
static void sy_search(synadb_hnsw *h, const float *q, int ef, int64_t *out) {
    synadb_vec_hit hits[K];
    size_t n = 0;
    if (synadb_hnsw_search(h, q, K, (size_t)ef, hits, &n) != SYNADB_OK) n = 0;
    for (size_t i = 0; i < n && i < K; i++) out[i] = (int64_t)hits[i].id;
}
#endif

/* ------------------------------------------------------------------ the ANN benchmark */
static void run_ann(void) {
    std::vector<int64_t> ids(NQ * K);
    omp_set_num_threads(1);
    hl_space = new hnswlib::L2Space(DIMS);
    const char *hl_kernel = "?";
    {
        hnswlib::DISTFUNC<float> f = hl_space->get_dist_func();
        if (f == hnswlib::L2SqrSIMD16ExtAVX512) hl_kernel = "AVX-512";
        else if (f == hnswlib::L2SqrSIMD16ExtAVX) hl_kernel = "AVX";
        else if (f == hnswlib::L2SqrSIMD16ExtSSE) hl_kernel = "SSE";
        else hl_kernel = "other";
    }
    ER[E_HNSWLIB].notes = std::string("kernel ") + hl_kernel;
#ifndef BENCH_PEERS_ONLY
    synadb_vec_kernels kern = synadb_vec_kernels_best();
    ER[E_SYNADB].notes = std::string("kernels ") + kern.name;
    sy_labels.resize(NB);
    for (size_t i = 0; i < NB; i++) sy_labels[i] = i;
#else
    ER[E_SYNADB].enabled = false;
#endif
    printf("hnswlib distance kernel: %s (compile-time macros, -march=native)\n", hl_kernel);
#ifndef BENCH_PEERS_ONLY
    printf("synadb kernels: %s (run-time selection)\n", kern.name);
#endif
    fflush(stdout);

    /* ---- exact single-query search: SynaDB topk vs FAISS IndexFlatL2, 1 thread ---- */
    size_t nex = std::min<size_t>(EXACT_QUERIES, NQ);
    {
        faiss::IndexFlatL2 flat(DIMS);
        flat.add((faiss::Index::idx_t)NB, base_f.data());
        for (int r = 0; r < REPS; r++) {
            for (int x = 0; x < 2; x++) {
                if (x == 0 && !ER[E_SYNADB].enabled) continue;
                std::fill(ids.begin(), ids.end(), (int64_t)-1);
                double t0 = bench_now();
                if (x == 1) {
                    float D[K];
                    faiss::Index::idx_t I[K];
                    for (size_t q = 0; q < nex; q++) {
                        flat.search(1, &query_f[q * DIMS], K, D, I);
                        for (int t = 0; t < K; t++) ids[q * K + t] = I[t];
                    }
                } else {
#ifndef BENCH_PEERS_ONLY
                    synadb_vec_hit hits[K];
                    for (size_t q = 0; q < nex; q++) {
                        size_t n = 0;
                        if (synadb_vec_topk(&kern, SYNADB_METRIC_EUCLIDEAN, base_f.data(), NB, DIMS, 0, &query_f[q * DIMS], K, hits, &n) != SYNADB_OK) n = 0;
                        for (size_t t = 0; t < n && t < K; t++) ids[q * K + t] = (int64_t)hits[t].id;
                    }
#else
                    continue;
#endif
                }
                exact_rep[x][r] = (double)nex / (bench_now() - t0);
                exact_done[x] = true;
                size_t bad = 0;
                recall_of(ids, nex, &bad);
                exact_bad[x] = std::max(exact_bad[x], bad);
            }
        }
        for (int x = 0; x < 2; x++) if (exact_done[x]) exact_qps[x] = bench_median(exact_rep[x], REPS);
        printf("exact search, single query, 1 thread, %zu queries, median of %d: faiss_flat %.1f QPS (%zu disagree)", nex, REPS, exact_qps[1], exact_bad[1]);
        if (exact_done[0]) printf(", synadb %.1f QPS (%zu disagree)", exact_qps[0], exact_bad[0]);
        printf("\n");
        if (exact_bad[1]) printf("INVALID faiss_flat: %zu of %zu exact searches disagree with the ground truth\n", exact_bad[1], nex);
        if (exact_bad[0]) mark_invalid(E_SYNADB, "synadb_vec_topk disagrees with the ground truth");
#ifndef BENCH_PEERS_ONLY
        /* batch API: cross-check on up to 500 queries (and its speed, for information) */
        if (ER[E_SYNADB].enabled) {
            size_t nb = std::min<size_t>(500, NQ);
            std::vector<synadb_vec_hit> hits(nb * K);
            std::vector<size_t> cnt(nb);
            double t0 = bench_now();
            synadb_result rc = synadb_vec_topk_batch(&kern, SYNADB_METRIC_EUCLIDEAN, base_f.data(), NB, DIMS, 0, query_f.data(), nb, K, hits.data(), cnt.data());
            double t = bench_now() - t0;
            std::fill(ids.begin(), ids.end(), (int64_t)-1);
            if (rc == SYNADB_OK)
                for (size_t q = 0; q < nb; q++)
                    for (size_t j = 0; j < cnt[q] && j < K; j++) ids[q * K + j] = (int64_t)hits[q * K + j].id;
            recall_of(ids, nb, &batch_bad);
            batch_qps = nb / t; batch_n = nb; batch_done = true;
            printf("synadb_vec_topk_batch, %zu queries at once, 1 thread: %.1f QPS (%zu disagree)\n", nb, batch_qps, batch_bad);
            if (batch_bad) mark_invalid(E_SYNADB, "synadb_vec_topk_batch disagrees with the ground truth");
        }
#endif
        fflush(stdout);
    }

    /* ---- 1-thread builds; the indexes stay in memory for the search sweep ---- */
    hnsw_t *hl = NULL;
    faiss::IndexHNSWFlat *fx = NULL;
#ifndef BENCH_PEERS_ONLY
    synadb_hnsw *sy = NULL;
    if (ER[E_SYNADB].enabled) {
        uint64_t r0 = anon_rss();
        double t0 = bench_now();
        sy = sy_new();
        sy_build_1t(sy);
        ER[E_SYNADB].build1 = bench_now() - t0;
        ER[E_SYNADB].rss = ((double)anon_rss() - (double)r0) / (double)NB;
        synadb_hnsw_stats st;
        memset(&st, 0, sizeof st);
        if (synadb_hnsw_stats_get(sy, &st) == SYNADB_OK) {
            ER[E_SYNADB].mem = (double)st.memory_bytes / (double)NB;
            ER[E_SYNADB].edges = st.nodes ? (double)st.total_edges / (double)st.nodes : 0;
            if (st.live != NB) mark_invalid(E_SYNADB, "stats.live != vectors added");
            printf("  synadb stats: nodes %llu, max_level %u, avg edges/node %.1f, kernels %s\n",
                   (unsigned long long)st.nodes, st.max_level, st.avg_edges_per_node, st.kernels ? st.kernels : "?");
        }
        printf("  synadb     build 1 thread  %7.2f s\n", ER[E_SYNADB].build1);
        fflush(stdout);
    }
#endif
    if (ER[E_HNSWLIB].enabled) {
        uint64_t r0 = anon_rss();
        double t0 = bench_now();
        hl = hl_new();
        hl_build_1t(hl);
        ER[E_HNSWLIB].build1 = bench_now() - t0;
        ER[E_HNSWLIB].rss = ((double)anon_rss() - (double)r0) / (double)NB;
        ER[E_HNSWLIB].mem = hl_memory(hl) / (double)NB;
        ER[E_HNSWLIB].edges = hl_edges(hl);
        printf("  hnswlib    build 1 thread  %7.2f s\n", ER[E_HNSWLIB].build1);
        fflush(stdout);
    }
    if (ER[E_FAISS].enabled) {
        uint64_t r0 = anon_rss();
        omp_set_num_threads(1);
        double t0 = bench_now();
        fx = new faiss::IndexHNSWFlat(DIMS, 16);
        fx->hnsw.efConstruction = 200;
        fx->add((faiss::Index::idx_t)NB, base_f.data());
        ER[E_FAISS].build1 = bench_now() - t0;
        ER[E_FAISS].rss = ((double)anon_rss() - (double)r0) / (double)NB;
        ER[E_FAISS].mem = faiss_memory(fx) / (double)NB;
        ER[E_FAISS].edges = faiss_edges(fx);
        printf("  faiss_hnsw build 1 thread  %7.2f s\n", ER[E_FAISS].build1);
        fflush(stdout);
    }

    /* ---- the search sweep: R repetitions, interleaved across engines ---- */
    auto search_at = [&](int e, int ef) -> double {   /* all queries at one ef: QPS, ids filled */
        if (e == E_HNSWLIB) {
            hl->setEf((size_t)ef);
            return sweep_one([&](const float *q, int, int64_t *out) { hl_search(hl, q, out); }, ef, ids);
        } else if (e == E_FAISS) {
            omp_set_num_threads(1);
            fx->hnsw.efSearch = ef;
            return sweep_one([&](const float *q, int, int64_t *out) {
                float D[K];
                faiss::Index::idx_t I[K];
                fx->search(1, q, K, D, I);
                for (int t = 0; t < K; t++) out[t] = I[t];
            }, ef, ids);
        }
#ifndef BENCH_PEERS_ONLY
        else if (e == E_SYNADB)
            return sweep_one([&](const float *q, int efv, int64_t *out) { sy_search(sy, q, efv, out); }, ef, ids);
#endif
        return 0;
    };
    for (int r = 0; r < REPS; r++) {
        for (int e = 0; e < NENG; e++) {
            if (!ER[e].enabled) continue;
            printf("  rep %d %-10s recall/QPS:", r + 1, ENAME[e]);
            for (int j = 0; j < NEF; j++) {
                ER[e].qps_rep[j][r] = search_at(e, EFS[j]);
                ER[e].recall[j] = recall_of(ids, NQ, NULL);
                printf(" ef%d %.4f/%.0f", EFS[j], ER[e].recall[j], ER[e].qps_rep[j][r]);
                fflush(stdout);
            }
            printf("\n");
        }
    }
    for (int e = 0; e < NENG; e++) {
        if (!ER[e].enabled) continue;
        ER[e].npts = NEF;
        for (int j = 0; j < NEF; j++) { ER[e].ef[j] = EFS[j]; ER[e].qps[j] = bench_median(ER[e].qps_rep[j], REPS); }
        if (ER[e].recall[NEF - 1] < 0.9) {
            char buf[96];
            snprintf(buf, sizeof buf, "recall@10 at ef=160 is %.4f (< 0.9)", ER[e].recall[NEF - 1]);
            mark_invalid(e, buf);
        }
    }
    /* ---- if a peer reaches a recall level (>= 0.95) above SynaDB's best, SynaDB's curve is
       extended with larger ef (R repetitions each, median) until it gets there, so that its
       QPS at that level is measured rather than missing ---- */
    if (ER[E_SYNADB].enabled) {
        double need = 0;
        for (int e = 1; e < NENG; e++)
            if (ER[e].enabled)
                for (int j = 0; j < NEF; j++) if (ER[e].recall[j] >= 0.95) need = std::max(need, ER[e].recall[j]);
        engine_res &S = ER[E_SYNADB];
        for (int x = 0; x < NXEF && S.recall[S.npts - 1] < need; x++) {
            int j = S.npts++;
            S.ef[j] = XEFS[x];
            printf("  synadb     extra point (a peer reaches recall %.4f):", need);
            for (int r = 0; r < REPS; r++) {
                S.qps_rep[j][r] = search_at(E_SYNADB, XEFS[x]);
                S.recall[j] = recall_of(ids, NQ, NULL);
                printf(" ef%d %.4f/%.0f", XEFS[x], S.recall[j], S.qps_rep[j][r]);
                fflush(stdout);
            }
            printf("\n");
            S.qps[j] = bench_median(S.qps_rep[j], REPS);
        }
    }
    delete hl;
    delete fx;
#ifndef BENCH_PEERS_ONLY
    if (sy) synadb_hnsw_free(sy);
#endif

    /* ---- 2-thread builds, and the recall of what they built (ef = 40) ---- */
    const int J40 = 2;
    for (int e = 0; e < NENG; e++) {
        if (!ER[e].enabled) continue;
        double t0 = bench_now();
        if (e == E_HNSWLIB) {
            hnsw_t *h = hl_new();
            hl_build_nt(h, 2);
            ER[e].build2 = bench_now() - t0;
            h->setEf(EFS[J40]);
            sweep_one([&](const float *q, int, int64_t *out) { hl_search(h, q, out); }, EFS[J40], ids);
            delete h;
        } else if (e == E_FAISS) {
            omp_set_num_threads(2);
            faiss::IndexHNSWFlat *x = new faiss::IndexHNSWFlat(DIMS, 16);
            x->hnsw.efConstruction = 200;
            x->add((faiss::Index::idx_t)NB, base_f.data());
            ER[e].build2 = bench_now() - t0;
            omp_set_num_threads(1);
            x->hnsw.efSearch = EFS[J40];
            sweep_one([&](const float *q, int, int64_t *out) {
                float D[K];
                faiss::Index::idx_t I[K];
                x->search(1, q, K, D, I);
                for (int t = 0; t < K; t++) out[t] = I[t];
            }, EFS[J40], ids);
            delete x;
        }
#ifndef BENCH_PEERS_ONLY
        else if (e == E_SYNADB) {
            synadb_hnsw *h = sy_new();
            sy_build_nt(h, 2);
            ER[e].build2 = bench_now() - t0;
            if (synadb_hnsw_len(h) != NB) mark_invalid(e, "2-thread build: synadb_hnsw_len != vectors added");
            sweep_one([&](const float *q, int efv, int64_t *out) { sy_search(h, q, efv, out); }, EFS[J40], ids);
            synadb_hnsw_free(h);
        }
#endif
        ER[e].recall2t = recall_of(ids, NQ, NULL);
        printf("  %-10s build 2 threads %7.2f s (recall@10 ef=40 of that index %.4f)\n", ENAME[e], ER[e].build2, ER[e].recall2t);
        fflush(stdout);
        if (ER[e].recall2t < 0.9 * ER[e].recall[J40]) mark_invalid(e, "the 2-thread-built index has a much lower recall");
    }
    delete hl_space;
}

/* ------------------------------------------------------------------ stores */
struct store_res {
    bool done = false, mmvs_done = false, invalid = false;
    std::string why;
    double mmvs_one = 0, mmvs_10k = 0, mmvs_ckpt = 0;
    double vs_nosync = 0, vs_sync = 0, vs_batch = 0, vs_default = 0;
};
static store_res SR;
#define ST_DIMS 768
#define ST_N 100000
#define ST_SYNC_N 2000
#define ST_DEFAULT_N 20000

#if !defined(BENCH_PEERS_ONLY) && !defined(BENCH_NO_STORES)
static void store_bad(const std::string &why) {
    if (!SR.invalid) SR.why = why;
    SR.invalid = true;
}
static void rm_prefix(const char *prefix) { /* removes ROOT/<prefix>* */
    std::string cmd = std::string("rm -rf '") + ROOT + "/" + prefix + "'*";
    if (system(cmd.c_str()) != 0) { /* nothing to remove is fine */ }
}
static void run_stores(void) {
    std::vector<float> vecs((size_t)ST_N * ST_DIMS);
    rng_state = 42;
    for (auto &v : vecs) v = (float)((double)(rnd() >> 11) * (2.0 / 9007199254740992.0) - 1.0);
    std::vector<std::string> keys(ST_N);
    std::vector<const char *> kp(ST_N);
    std::vector<size_t> kl(ST_N);
    for (size_t i = 0; i < ST_N; i++) {
        char b[32];
        snprintf(b, sizeof b, "doc_%zu", i);
        keys[i] = b;
    }
    for (size_t i = 0; i < ST_N; i++) { kp[i] = keys[i].c_str(); kl[i] = keys[i].size(); }
    mkdir(ROOT, 0755);
    std::string mpath = std::string(ROOT) + "/vec-mmvs.mmap";
    std::vector<float> got(ST_DIMS);
    auto check_some = [&](auto getter, const char *what) {
        for (size_t i = 0; i < ST_N; i += 9973) {
            if (getter(i, got.data()) != SYNADB_OK) { store_bad(std::string(what) + ": a key is missing"); return; }
            /* cosine stores may normalise: compare directions */
            double dot = 0, na = 0, nb = 0;
            for (int d = 0; d < ST_DIMS; d++) { dot += (double)got[d] * vecs[i * ST_DIMS + d]; na += (double)got[d] * got[d]; nb += (double)vecs[i * ST_DIMS + d] * vecs[i * ST_DIMS + d]; }
            if (!(dot / std::sqrt(na * nb) > 0.9999)) { store_bad(std::string(what) + ": a vector came back different"); return; }
        }
    };

#ifndef BENCH_NO_MMVS
    /* ---- MmapVectorStore ---- */
    double one[MAX_REPS], ten[MAX_REPS], ck[MAX_REPS];
    for (int r = 0; r < REPS; r++) {
        for (int mode = 0; mode < 2; mode++) {
            rm_prefix("vec-mmvs");
            synadb_mmvs_config c = synadb_mmvs_config_default(ST_DIMS, SYNADB_METRIC_COSINE);
            c.initial_capacity = ST_N;
            synadb_mmvs *s = NULL;
            if (synadb_mmvs_open(mpath.c_str(), &c, &s) != SYNADB_OK || !s) die("synadb_mmvs_open failed", mpath.c_str());
            sync();
            size_t total = 0, ins = 0;
            double t0 = bench_now();
            if (mode == 0) {
                if (synadb_mmvs_insert_batch(s, kp.data(), NULL, vecs.data(), ST_N, &ins) != SYNADB_OK) die("synadb_mmvs_insert_batch failed", synadb_mmvs_errmsg(s));
                total = ins;
            } else {
                for (size_t b = 0; b < ST_N; b += 10000) {
                    if (synadb_mmvs_insert_batch(s, kp.data() + b, NULL, vecs.data() + b * ST_DIMS, 10000, &ins) != SYNADB_OK) die("synadb_mmvs_insert_batch failed", synadb_mmvs_errmsg(s));
                    total += ins;
                }
            }
            double t = bench_now() - t0;
            (mode == 0 ? one : ten)[r] = ST_N / t;
            if (total != ST_N || synadb_mmvs_len(s) != ST_N) store_bad("MmapVectorStore: wrong count after the batch");
            check_some([&](size_t i, float *out) { return synadb_mmvs_get(s, kp[i], kl[i], out); }, "MmapVectorStore");
            t0 = bench_now();
            if (synadb_mmvs_close(s) != SYNADB_OK) die("synadb_mmvs_close failed", NULL);
            double tc = bench_now() - t0;
            if (mode == 0) ck[r] = tc;
            printf("  rep %d mmvs insert_batch %s: %.0f vectors/s (then checkpoint + close %.3f s)\n", r + 1,
                   mode == 0 ? "1 x 100,000" : "10 x 10,000", ST_N / t, tc);
            fflush(stdout);
        }
    }
    /* reopen: the checkpoint made them durable */
    {
        synadb_mmvs_config c = synadb_mmvs_config_default(ST_DIMS, SYNADB_METRIC_COSINE);
        synadb_mmvs *s = NULL;
        if (synadb_mmvs_open(mpath.c_str(), &c, &s) != SYNADB_OK || !s) store_bad("MmapVectorStore: reopen failed");
        else {
            if (synadb_mmvs_len(s) != ST_N) store_bad("MmapVectorStore: wrong count after reopen");
            check_some([&](size_t i, float *out) { return synadb_mmvs_get(s, kp[i], kl[i], out); }, "MmapVectorStore after reopen");
            synadb_mmvs_close(s);
        }
    }
    rm_prefix("vec-mmvs");
    SR.mmvs_one = bench_median(one, REPS);
    SR.mmvs_10k = bench_median(ten, REPS);
    SR.mmvs_ckpt = bench_median(ck, REPS);

    SR.mmvs_done = true;
#endif

    /* ---- VectorStore ---- */
    std::string vpath = std::string(ROOT) + "/vec-vstore.db";
    auto vopen = [&](int sync_on_write, uint64_t threshold) {
        rm_prefix("vec-vstore");
        synadb_vstore_config c = synadb_vstore_config_default(ST_DIMS, SYNADB_METRIC_COSINE);
        c.index_threshold = threshold;
        c.db.sync_on_write = sync_on_write;
        synadb_vstore *vs = NULL;
        if (synadb_vstore_open(vpath.c_str(), &c, &vs) != SYNADB_OK || !vs) die("synadb_vstore_open failed", vpath.c_str());
        sync();
        return vs;
    };
    double a[MAX_REPS], b[MAX_REPS], c3[MAX_REPS];
    for (int r = 0; r < REPS; r++) {
        synadb_vstore *vs = vopen(0, UINT64_MAX);
        double t0 = bench_now();
        for (size_t i = 0; i < ST_N; i++)
            if (synadb_vstore_insert(vs, kp[i], kl[i], &vecs[i * ST_DIMS]) != SYNADB_OK) die("synadb_vstore_insert failed", synadb_vstore_errmsg(vs));
        a[r] = ST_N / (bench_now() - t0);
        if (synadb_vstore_len(vs) != ST_N) store_bad("VectorStore: wrong count");
        check_some([&](size_t i, float *out) { return synadb_vstore_get(vs, kp[i], kl[i], out); }, "VectorStore");
        synadb_vstore_close(vs);

        vs = vopen(1, UINT64_MAX);
        t0 = bench_now();
        for (size_t i = 0; i < ST_SYNC_N; i++)
            if (synadb_vstore_insert(vs, kp[i], kl[i], &vecs[i * ST_DIMS]) != SYNADB_OK) die("synadb_vstore_insert failed", synadb_vstore_errmsg(vs));
        b[r] = ST_SYNC_N / (bench_now() - t0);
        if (synadb_vstore_len(vs) != ST_SYNC_N) store_bad("VectorStore (sync): wrong count");
        synadb_vstore_close(vs);

        vs = vopen(0, UINT64_MAX);
        t0 = bench_now();
        for (size_t i = 0; i < ST_N; i += 1000)
            if (synadb_vstore_insert_batch(vs, kp.data() + i, kl.data() + i, &vecs[i * ST_DIMS], 1000, NULL) != SYNADB_OK) die("synadb_vstore_insert_batch failed", synadb_vstore_errmsg(vs));
        c3[r] = ST_N / (bench_now() - t0);
        if (synadb_vstore_len(vs) != ST_N) store_bad("VectorStore (batch): wrong count");
        check_some([&](size_t i, float *out) { return synadb_vstore_get(vs, kp[i], kl[i], out); }, "VectorStore batch");
        synadb_vstore_close(vs);
        printf("  rep %d vstore: insert %.0f/s, insert sync_on_write %.0f/s, insert_batch(1000) %.0f/s\n", r + 1, a[r], b[r], c3[r]);
        fflush(stdout);
    }
    SR.vs_nosync = bench_median(a, REPS);
    SR.vs_sync = bench_median(b, REPS);
    SR.vs_batch = bench_median(c3, REPS);
    {   /* default threshold: the HNSW index is built at 10,000 and maintained after (once) */
        synadb_vstore *vs = vopen(0, 0);
        double t0 = bench_now();
        for (size_t i = 0; i < ST_DEFAULT_N; i++)
            if (synadb_vstore_insert(vs, kp[i], kl[i], &vecs[i * ST_DIMS]) != SYNADB_OK) die("synadb_vstore_insert failed", synadb_vstore_errmsg(vs));
        SR.vs_default = ST_DEFAULT_N / (bench_now() - t0);
        printf("  vstore default index_threshold: %.0f inserts/s (index %s)\n", SR.vs_default, synadb_vstore_has_index(vs) ? "built" : "not built");
        synadb_vstore_close(vs);
    }
    rm_prefix("vec-vstore");
    SR.done = true;
}
#endif

/* ------------------------------------------------------------------ report */
/* our QPS at recall r on our QPS-recall curve (linear in recall between adjacent ef
   points; any point at or above r also qualifies); 0 if we never reach r */
static double qps_at_recall(const engine_res &e, double r) {
    double best = 0;
    for (int j = 0; j < e.npts; j++) if (e.recall[j] >= r) best = std::max(best, e.qps[j]);
    for (int j = 0; j + 1 < e.npts; j++) {
        double r0 = e.recall[j], r1 = e.recall[j + 1];
        if (r0 < r && r <= r1 && r1 > r0) best = std::max(best, e.qps[j] + (e.qps[j + 1] - e.qps[j]) * (r - r0) / (r1 - r0));
    }
    return best;
}
/* the recall levels compared: every peer ef whose recall is >= 0.95, once per distinct
   recall (a peer's QPS at a level is also read off its own curve: its best QPS there) */
static bool recall_level(const engine_res &e, int j) {
    if (e.recall[j] < 0.95) return false;
    for (int i = 0; i < j; i++) if (e.recall[i] == e.recall[j]) return false;
    return true;
}
static void target(const char *label, double v, const char *op, double goal) {
    bool ok = op[0] == '<' ? v <= goal : v >= goal;
    if (goal >= 1000) printf("target %-40s %10.0f (goal %s %.0f) %s\n", label, v, op, goal, ok ? "PASS" : "FAIL");
    else printf("target %-40s %10.3f (goal %s %g) %s\n", label, v, op, goal, ok ? "PASS" : "FAIL");
}

static int report(void) {
    int bad = 0;
    printf("\n=== Fashion-MNIST 60,000 x 784, 10,000 queries, euclidean, k = 10; M=16, ef_construction=200 ===\n");
    if (NB != 60000 || NQ != 10000) printf("(reduced run: %zu base vectors, %zu queries)\n", NB, NQ);
    printf("%-44s", "");
    for (int e = 0; e < NENG; e++) if (ER[e].enabled) printf(" %12s", ENAME[e]);
    printf("\n");
    auto row = [&](const char *label, auto get, int dec) {
        printf("%-44s", label);
        for (int e = 0; e < NENG; e++) if (ER[e].enabled) printf(" %12s", fmt_num(get(ER[e]), dec).c_str());
        printf("\n");
    };
    row("build, 1 thread, s", [](const engine_res &e) { return e.build1; }, 2);
    row("build, 2 threads, s", [](const engine_res &e) { return e.build2; }, 2);
    row("2-thread speedup (1t / 2t)", [](const engine_res &e) { return e.build2 > 0 ? e.build1 / e.build2 : 0.0; }, 2);
    row("memory, bytes/vector (own accounting)", [](const engine_res &e) { return e.mem; }, 0);
    row("RSS growth in 1-thread build, bytes/vector", [](const engine_res &e) { return e.rss; }, 0);
    row("graph edges/node, all layers", [](const engine_res &e) { return e.edges; }, 2);
    row("recall@10 ef=40, 2-thread-built index", [](const engine_res &e) { return e.recall2t; }, 4);
    for (int j = 0; j < NEF; j++) {
        char l1[64], l2[64];
        snprintf(l1, sizeof l1, "ef=%d recall@10", EFS[j]);
        snprintf(l2, sizeof l2, "ef=%d QPS, 1 thread (median of %d)", EFS[j], REPS);
        printf("%-44s", l1);
        for (int e = 0; e < NENG; e++) if (ER[e].enabled) printf(" %12.4f", ER[e].recall[j]);
        printf("\n%-44s", l2);
        for (int e = 0; e < NENG; e++) if (ER[e].enabled) printf(" %12s", fmt_num(ER[e].qps[j], 0).c_str());
        printf("\n");
    }
    for (int e = 0; e < NENG; e++)
        for (int j = NEF; ER[e].enabled && j < ER[e].npts; j++)
            printf("extra point: %s ef=%d recall@10 %.4f, %s QPS (median of %d)\n", ENAME[e], ER[e].ef[j],
                   ER[e].recall[j], fmt_num(ER[e].qps[j], 0).c_str(), REPS);
    printf("%-44s", "status");
    for (int e = 0; e < NENG; e++) if (ER[e].enabled) printf(" %12s", ER[e].invalid ? "INVALID" : "ok");
    printf("\n\nexact search, single query, 1 thread (first %d queries, median of %d):\n", EXACT_QUERIES, REPS);
    if (exact_done[0]) printf("  synadb_vec_topk      %10.1f QPS  (%zu disagree with the ground truth)\n", exact_qps[0], exact_bad[0]);
    printf("  faiss IndexFlatL2    %10.1f QPS  (%zu disagree)\n", exact_qps[1], exact_bad[1]);
    if (batch_done) printf("  synadb_vec_topk_batch %9.1f QPS  (%zu queries in one call; %zu disagree)\n", batch_qps, batch_n, batch_bad);
    printf("notes: one binary, -O3 -march=native for every engine (hnswlib: %s; synadb: %s, chosen at\n"
           "       run time; FAISS: the Debian generic build, its kernels are whatever that build has).\n"
           "       Recall: ann-benchmarks' rule (exact distance of each returned id <= 10th true\n"
           "       distance + 1e-3). Memory: SynaDB stats.memory_bytes; hnswlib 0.6.2 layout incl.\n"
           "       mutexes, label map and one visited list; FAISS vectors + neighbours + offsets +\n"
           "       levels. Searches use the 1-thread-built indexes. qps_at_recall_<r>: SynaDB's QPS at\n"
           "       the peer's recall r, read off SynaDB's curve (linear in recall between adjacent\n"
           "       points; extra points with larger ef are measured when a peer's recall is above\n"
           "       SynaDB's best on the grid), over the peer's best QPS at r.\n",
           ER[E_HNSWLIB].notes.c_str(), ER[E_SYNADB].notes.c_str());
    for (int e = 0; e < NENG; e++)
        if (ER[e].enabled && ER[e].invalid) { printf("INVALID %s: %s\n", ENAME[e], ER[e].why.c_str()); bad = 1; }
    if (exact_bad[1]) { printf("INVALID faiss_flat: exact search disagrees with the ground truth\n"); bad = 1; }

    if (SR.done) {
        printf("\n=== stores: 768-d float vectors, keys \"doc_%%d\", files in %s (median of %d) ===\n", ROOT, REPS);
        printf("%-62s %14s\n", "", "vectors/s");
        if (SR.mmvs_done) {
            printf("%-62s %14s\n", "MmapVectorStore insert_batch, 1 call of 100,000", fmt_num(SR.mmvs_one, 0).c_str());
            printf("%-62s %14s\n", "MmapVectorStore insert_batch, 10 calls of 10,000", fmt_num(SR.mmvs_10k, 0).c_str());
            printf("%-62s %14.3f\n", "  then checkpoint + close (s)", SR.mmvs_ckpt);
        }
        printf("%-62s %14s\n", "VectorStore insert, sync_on_write=0 (100,000)", fmt_num(SR.vs_nosync, 0).c_str());
        printf("%-62s %14s\n", "VectorStore insert, sync_on_write=1 (2,000)", fmt_num(SR.vs_sync, 0).c_str());
        printf("%-62s %14s\n", "VectorStore insert_batch, 100 x 1,000, sync_on_write=0", fmt_num(SR.vs_batch, 0).c_str());
        printf("%-62s %14s\n", "VectorStore insert, default index_threshold (20,000, once)", fmt_num(SR.vs_default, 0).c_str());
        printf("notes: timed are the insert calls; VectorStore rows use index_threshold = UINT64_MAX (no HNSW)\n"
               "       except the last; cosine metric; files on %s.\n", ROOT);
        if (SR.invalid) { printf("INVALID stores: %s\n", SR.why.c_str()); bad = 1; }
    }

    /* ---- ratios ---- */
    const engine_res &S = ER[E_SYNADB];
    printf("\n");
    if (S.enabled) {
        for (int e = 1; e < NENG; e++) {
            if (!ER[e].enabled) continue;
            printf("ratio build_1t synadb/%s %.3f (time; lower is better)\n", ENAME[e], ER[e].build1 > 0 ? S.build1 / ER[e].build1 : 0);
            printf("ratio build_2t synadb/%s %.3f (time; lower is better)\n", ENAME[e], ER[e].build2 > 0 ? S.build2 / ER[e].build2 : 0);
            printf("ratio memory_per_vector synadb/%s %.3f (lower is better)\n", ENAME[e], ER[e].mem > 0 ? S.mem / ER[e].mem : 0);
            for (int j = 0; j < NEF; j++)
                printf("ratio qps_ef%d synadb/%s %.3f\n", EFS[j], ENAME[e], ER[e].qps[j] > 0 ? S.qps[j] / ER[e].qps[j] : 0);
            for (int j = 0; j < NEF; j++)
                if (recall_level(ER[e], j))
                    printf("ratio qps_at_recall_%.4f synadb/%s %.3f\n", ER[e].recall[j], ENAME[e],
                           qps_at_recall(S, ER[e].recall[j]) / qps_at_recall(ER[e], ER[e].recall[j]));
        }
        if (exact_done[0]) printf("ratio exact_qps synadb/faiss_flat %.3f\n", exact_qps[1] > 0 ? exact_qps[0] / exact_qps[1] : 0);
    }
    if (SR.mmvs_done) printf("ratio mmvs_ingest synadb/original %.3f (original: 490K vectors/s claimed)\n", SR.mmvs_one / ORIGINAL_MMVS);

    /* ---- targets ---- */
    printf("\n");
    if (S.enabled) {
        const engine_res &H = ER[E_HNSWLIB];
        if (H.enabled) target("build_1t synadb/hnswlib (time)", H.build1 > 0 ? S.build1 / H.build1 : 99, "<=", 0.9);
        target("build_2t/build_1t synadb (time)", S.build1 > 0 ? S.build2 / S.build1 : 99, "<=", 0.6);
        if (H.enabled)
            for (int j = 0; j < NEF; j++)
                if (recall_level(H, j)) {
                    char l[96];
                    snprintf(l, sizeof l, "qps_at_recall_%.4f synadb/hnswlib (ef=%d)", H.recall[j], EFS[j]);
                    target(l, qps_at_recall(S, H.recall[j]) / qps_at_recall(H, H.recall[j]), ">=", 1.2);
                }
        if (exact_done[0]) target("exact_qps synadb/faiss_flat", exact_qps[1] > 0 ? exact_qps[0] / exact_qps[1] : 0, ">=", 1.0);
    }
    if (SR.mmvs_done) target("mmvs_ingest vectors/s (1 x 100,000)", SR.mmvs_one, ">=", 1000000);
    for (int e = 0; e < NENG; e++)
        if (ER[e].enabled && ER[e].invalid) printf("target %-40s FAIL (%s INVALID)\n", "all results valid", ENAME[e]);
    if (SR.done && SR.invalid) printf("target %-40s FAIL (stores INVALID)\n", "all results valid");
    return bad;
}

int main(int argc, char **argv) {
    const char *engine_list = NULL;
    double t0 = bench_now();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-r") && i + 1 < argc) REPS = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-e") && i + 1 < argc) engine_list = argv[++i];
        else if (!strcmp(argv[i], "-n") && i + 1 < argc) NB = (size_t)strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-q") && i + 1 < argc) NQ = (size_t)strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-S")) SKIP_STORES = 1;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: %s [-r reps] [-e synadb,hnswlib,faiss] [-n base] [-q queries] [-S] [DIR]\n", argv[0]);
            return 2;
        } else ROOT = argv[i];
    }
    if (REPS < 1) REPS = 1;
    if (REPS > MAX_REPS) REPS = MAX_REPS;
    if (NB < K || NQ < 1) die("-n must be >= 10 and -q >= 1", NULL);
    if (engine_list)
        for (int e = 0; e < NENG; e++) {
            std::string l = std::string(",") + engine_list + ",";
            std::string n = std::string(",") + ENAME[e] + ",";
            std::string alt = e == E_FAISS ? ",faiss," : n;
            ER[e].enabled = l.find(n) != std::string::npos || l.find(alt) != std::string::npos;
        }
    printf("bench_vec: %d repetitions, stores in %s; %ld CPUs, load average %s at start\n", REPS, ROOT,
           sysconf(_SC_NPROCESSORS_ONLN), loadavg().c_str());
    load_data();
    run_ann();
#if !defined(BENCH_PEERS_ONLY) && !defined(BENCH_NO_STORES)
    if (!SKIP_STORES && (!engine_list || ER[E_SYNADB].enabled)) {
        printf("[stores]\n");
        run_stores();
    }
#endif
    int bad = report();
    printf("total time %.0f s; load average %s at the end (other busy processes skew every number)\n",
           bench_now() - t0, loadavg().c_str());
    return bad;
}
