/* bench/fmnist.h - shared by the Fashion-MNIST benchmarks (bench_vec.cpp, bench_gwi.cpp):
   timing and statistics helpers, the dataset loader (Debian dataset-fashion-mnist), the
   exact int32 ground truth and the ann-benchmarks recall rule. Include it once, from a C++
   bench, after defining BENCH_NAME (for messages); DIMS, K and MAX_REPS may be set first. */
#ifndef BENCH_FMNIST_H
#define BENCH_FMNIST_H
#include <zlib.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>
#include <time.h>
#include "bench_util.h"

#ifndef BENCH_NAME
#error "define BENCH_NAME before including fmnist.h"
#endif
#ifndef DIMS
#define DIMS 784
#endif
#ifndef K
#define K 10
#endif
#ifndef MAX_REPS
#define MAX_REPS 15
#endif

static const char *DATA_DIR = "/usr/share/datasets/fashion-mnist";
static int REPS = 3;
static size_t NB = 60000, NQ = 10000;   /* base and query rows used */

/* ------------------------------------------------------------------ utilities */
static uint64_t rng_state = 12345;
static __attribute__((unused)) uint64_t rnd(void) { /* splitmix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static void die(const char *what, const char *detail) {
    fprintf(stderr, BENCH_NAME ": %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}
static std::string loadavg(void) { /* "0.12 0.30 0.25" */
    char buf[128] = "?";
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) { if (!fgets(buf, sizeof buf, f)) strcpy(buf, "?"); fclose(f); }
    std::string s(buf);
    size_t n = 0, sp = 0;
    while (n < s.size() && sp < 3) if (s[n++] == ' ') sp++;
    return s.substr(0, n ? n - 1 : 0);
}
/* ------------------------------------------------------------------ data */
static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static std::vector<uint8_t> read_idx(const char *name, size_t *rows, size_t *cols) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", DATA_DIR, name);
    gzFile f = gzopen(path, "rb");
    if (!f) die("cannot open (apt-get install dataset-fashion-mnist)", path);
    unsigned char h[16];
    if (gzread(f, h, 16) != 16 || be32(h) != 0x00000803u) die("not an IDX3 u8 file", path);
    size_t n = be32(h + 4), r = be32(h + 8), c = be32(h + 12);
    std::vector<uint8_t> v(n * r * c);
    size_t got = 0;
    while (got < v.size()) {
        unsigned chunk = (unsigned)std::min<size_t>(v.size() - got, 1u << 30);
        int g = gzread(f, v.data() + got, chunk);
        if (g <= 0) die("short IDX file", path);
        got += (size_t)g;
    }
    gzclose(f);
    *rows = n;
    *cols = r * c;
    return v;
}

static std::vector<float> base_f, query_f;       /* NB x DIMS, NQ x DIMS */
static std::vector<int16_t> base_i, query_i;     /* the same pixels as int16 (exact distances) */
static std::vector<int32_t> gt_id, gt_d2;        /* NQ x K, best first */

static inline int32_t d2_exact(const int16_t *a, const int16_t *b) {
    int32_t s = 0;
    for (int i = 0; i < DIMS; i++) { int16_t d = (int16_t)(a[i] - b[i]); s += (int32_t)d * d; }
    return s;
}

/* exact top-10 of queries [q0, q1), blocked: 8 queries x 256 base rows at a time */
static void gt_range(size_t q0, size_t q1) {
    const size_t QB = 8, BB = 256;
    for (size_t qb = q0; qb < q1; qb += QB) {
        size_t qe = std::min(qb + QB, q1);
        int32_t bd[QB][K], bi[QB][K];
        for (size_t j = 0; j < QB; j++) for (int t = 0; t < K; t++) { bd[j][t] = INT32_MAX; bi[j][t] = -1; }
        for (size_t b0 = 0; b0 < NB; b0 += BB) {
            size_t be = std::min(b0 + BB, NB);
            for (size_t q = qb; q < qe; q++) {
                const int16_t *qv = &query_i[q * DIMS];
                int32_t *d = bd[q - qb], *id = bi[q - qb];
                for (size_t b = b0; b < be; b++) {
                    int32_t dd = d2_exact(qv, &base_i[b * DIMS]);
                    if (dd >= d[K - 1]) continue;   /* rows come in increasing order: ties keep the lower row */
                    int t = K - 1;
                    while (t > 0 && d[t - 1] > dd) { d[t] = d[t - 1]; id[t] = id[t - 1]; t--; }
                    d[t] = dd; id[t] = (int32_t)b;
                }
            }
        }
        for (size_t q = qb; q < qe; q++)
            for (int t = 0; t < K; t++) { gt_d2[q * K + t] = bd[q - qb][t]; gt_id[q * K + t] = bi[q - qb][t]; }
    }
}

static void load_data(void) {
    size_t nb, nq, cb, cq;
    double t0 = bench_now();
    std::vector<uint8_t> b = read_idx("train-images-idx3-ubyte.gz", &nb, &cb);
    std::vector<uint8_t> q = read_idx("t10k-images-idx3-ubyte.gz", &nq, &cq);
    if (cb != DIMS || cq != DIMS) die("unexpected dimension count", NULL);
    if (NB > nb) NB = nb;
    if (NQ > nq) NQ = nq;
    base_f.resize(NB * DIMS); base_i.resize(NB * DIMS);
    query_f.resize(NQ * DIMS); query_i.resize(NQ * DIMS);
    for (size_t i = 0; i < NB * DIMS; i++) { base_f[i] = (float)b[i]; base_i[i] = b[i]; }
    for (size_t i = 0; i < NQ * DIMS; i++) { query_f[i] = (float)q[i]; query_i[i] = q[i]; }
    gt_id.assign(NQ * K, -1); gt_d2.assign(NQ * K, INT32_MAX);
    double t1 = bench_now();
    /* ground truth on 2 threads (it is not timed against anything) */
    size_t half = (NQ / 2 + 7) / 8 * 8;
    if (half > NQ) half = NQ;
    std::thread th(gt_range, half, NQ);
    gt_range(0, half);
    th.join();
    printf("data: %zu base x %zu queries x %d dims (loaded in %.1f s); exact int32 ground truth in %.1f s\n",
           NB, NQ, DIMS, t1 - t0, bench_now() - t1);
    fflush(stdout);
}

/* recall@10 of results ids (NQ x K, -1 = none) for queries [0, nq); bad = queries with a
   result outside the tolerance (for exact engines: disagreements with the ground truth) */
static double recall_of(const std::vector<int64_t> &ids, size_t nq, size_t *bad) {
    double total = 0;
    size_t nbad = 0;
    for (size_t q = 0; q < nq; q++) {
        double thr = std::sqrt((double)gt_d2[q * K + K - 1]) + 1e-3;
        int hits = 0, returned = 0;
        for (int t = 0; t < K; t++) {
            int64_t id = ids[q * K + t];
            if (id < 0 || (size_t)id >= NB) continue;
            returned++;
            bool dup = false;
            for (int u = 0; u < t; u++) if (ids[q * K + u] == id) dup = true;
            if (dup) continue;
            if (std::sqrt((double)d2_exact(&query_i[q * DIMS], &base_i[(size_t)id * DIMS])) <= thr) hits++;
        }
        if (hits != K || returned != K) nbad++;
        total += hits / (double)K;
    }
    if (bad) *bad = nbad;
    return nq ? total / (double)nq : 0;
}

/* ------------------------------------------------------------------ engines */

#endif /* BENCH_FMNIST_H */
