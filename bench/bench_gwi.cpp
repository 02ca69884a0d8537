/* bench_gwi.cpp - SynaDB's Gravity Well Index (synadb_gwi_*) against FAISS IndexIVFFlat
 * on Fashion-MNIST, one program; plus the original SynaDB's GWI build claim.
 *
 * Build and run (bench/run.sh does this):
 *   c++ -std=c++17 -O3 -march=native -fopenmp bench/bench_gwi.cpp -o build/bench_gwi \
 *       -lfaiss -llapack -lblas -lz -lpthread -lm
 *   build/bench_gwi [-r reps] [-n base] [-q queries] [DIR]
 *   (DIR default /tmp/synadb-bench-gwi: the GWI files DIR/gwi-*.gwi are created there and
 *   removed; -n/-q use the first rows only, for a quick run.)
 *
 * DATA  as bench_vec.cpp: /usr/share/datasets/fashion-mnist (Debian dataset-fashion-mnist),
 *   60,000 x 784 base, 10,000 queries, pixels as float32 0..255, euclidean. Ground truth:
 *   exact top-10 from int32 squared distances of the u8 pixels (ties: lower row), computed
 *   here. Recall@10 as ann-benchmarks: a returned id counts if its exact distance is <= the
 *   10th true distance + 1e-3; duplicates and unknown ids count nothing.
 *
 * ENGINES (all in this process, one thread)
 *   synadb_gwi  euclidean, branching B and levels L with B^L leaves: gwi256 = B=16, L=2
 *               (the default branching factor), gwi1024 = B=32, L=2; other settings default
 *               (10 Lloyd iterations, at most 256 training samples per centroid); threads = 1.
 *               Build = synadb_gwi_new + synadb_gwi_initialize(all base vectors) +
 *               synadb_gwi_insert_batch(all base vectors, keys "0".."59999") + flush; the file
 *               is on DIR. Search: synadb_gwi_search(g, q, 10, nprobe).
 *   faiss_ivf   FAISS (Debian libfaiss-dev) IndexIVFFlat(IndexFlatL2 quantizer, 784, nlist,
 *               METRIC_L2) with nlist 256 and 1024; train(all base vectors) with FAISS's
 *               default clustering parameters, then add(all base vectors);
 *               omp_set_num_threads(1). Search: nprobe set, one query per search() call.
 *
 * MEASUREMENT (wall clock, CLOCK_MONOTONIC)  Builds: one run each. Searches: all queries one
 *   at a time for nprobe in 1, 4, 16, 64 (the table's grid, every engine) and, for GWI only,
 *   also 2, 3, 6, 8, 12, 24, 32, 48 (extra points of its curve), R = 3 times interleaved;
 *   median QPS. Recall levels: for every FAISS nprobe whose recall r is >= 0.95, GWI's QPS at
 *   r is read off GWI's QPS-recall curve at the same leaf count (linear in recall between two
 *   points adjacent in recall order with r0 < r <= r1; any point at or above r qualifies, the
 *   best wins; never extrapolated: if no GWI point reaches r, the target FAILs) and divided by
 *   FAISS's best QPS at r; the ratio line also gives the reading from measured points alone.
 *   If GWI's best recall is below FAISS's best, its curve is extended with nprobe 96, 128,
 *   192, 256, ... (R repetitions, median, after the interleaved ones) until it reaches it or
 *   probes every leaf.
 *   Original claim: GWI (B=16, L=3 = the default config, euclidean, threads = 1) build of
 *   50,000 x 768 clustered random vectors (100 centres uniform in [-1,1), each vector a centre
 *   plus uniform noise in [-0.25,0.25)), initialise on all 50,000 + insert_batch; goal < 3.0 s.
 *
 * OUTPUT  the table, then `ratio <metric> synadb/<peer> <value>` and `target ... PASS|FAIL`.
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_vec.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexIVFFlat.h>
#include <omp.h>
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
#include <unistd.h>
#include <sys/stat.h>

#define DIMS 784
#define K 10
#define MAX_REPS 15
#define BENCH_NAME "bench_gwi"
#include "fmnist.h"
#define NNP 4
static const int NPROBES[NNP] = {1, 4, 16, 64};     /* the grid: the table, both engines */
/* GWI's curve: the grid plus intermediate points, so that reading GWI's QPS at FAISS's recall
   interpolates between close neighbours (measured in the same interleaved repetitions) */
#define NGP 12
static const int GWI_NPROBES[NGP] = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64};
#define MAXPTS 32

static const char *ROOT = "/tmp/synadb-bench-gwi";

static float frnd(void) { return (float)((double)(rnd() >> 11) / 9007199254740992.0) * 2.0f - 1.0f; } /* [-1,1) */

/* ------------------------------------------------------------------ engines */
enum { E_GWI256, E_IVF256, E_GWI1024, E_IVF1024, NENG };
static const char *ENAME[NENG] = {"gwi256", "faiss_ivf256", "gwi1024", "faiss_ivf1024"};
struct engine_res {
    double build = 0;
    int npts = 0;
    int np[MAXPTS] = {0};
    double recall[MAXPTS] = {0}, qps[MAXPTS] = {0};
    std::string notes;
};
static engine_res ER[NENG];
static synadb_gwi *GWI[NENG];
static faiss::IndexFlatL2 *QUANT[NENG];
static faiss::IndexIVFFlat *IVF[NENG];
static double claim_build = 0;
static size_t claim_len = 0;

static std::string gwi_path(const char *name) { return std::string(ROOT) + "/gwi-" + name + ".gwi"; }

static synadb_gwi *gwi_build(const char *name, const float *v, size_t n, uint32_t dims, uint32_t B, uint32_t L, double *secs) {
    std::string p = gwi_path(name);
    unlink(p.c_str());
    synadb_gwi_config c = synadb_gwi_config_default(dims, SYNADB_METRIC_EUCLIDEAN);
    if (B) c.branching_factor = B;
    if (L) c.num_levels = L;
    c.threads = 1;
    c.initial_capacity = n;
    /* keys outside the timed part */
    std::vector<std::string> ks(n);
    std::vector<const char *> kp(n);
    std::vector<size_t> kl(n);
    for (size_t i = 0; i < n; i++) { ks[i] = std::to_string(i); kp[i] = ks[i].c_str(); kl[i] = ks[i].size(); }
    sync();
    synadb_gwi *g = NULL;
    char err[256] = "";
    double t0 = bench_now();
    if (synadb_gwi_new(p.c_str(), &c, &g, err, sizeof err) != SYNADB_OK || !g) die("synadb_gwi_new failed", err);
    if (synadb_gwi_initialize(g, v, n) != SYNADB_OK) die("synadb_gwi_initialize failed", synadb_gwi_errmsg(g));
    double t1 = bench_now();
    if (synadb_gwi_insert_batch(g, kp.data(), kl.data(), v, n) != SYNADB_OK) die("synadb_gwi_insert_batch failed", synadb_gwi_errmsg(g));
    if (synadb_gwi_flush(g) != SYNADB_OK) die("synadb_gwi_flush failed", synadb_gwi_errmsg(g));
    *secs = bench_now() - t0;
    printf("  %s: B=%u L=%u, %u leaves, %zu vectors: initialise %.2f s + insert/flush %.2f s = %.2f s\n", name,
           B ? B : 16, L ? L : 3, synadb_gwi_num_leaves(g), synadb_gwi_len(g), t1 - t0, *secs - (t1 - t0), *secs);
    fflush(stdout);
    if (synadb_gwi_len(g) != n) die("GWI holds the wrong number of vectors", name);
    return g;
}
static void gwi_search(synadb_gwi *g, const float *q, int nprobe, int64_t *out) {
    synadb_vec_hit hits[K];
    size_t n = 0;
    if (synadb_gwi_search(g, q, K, (size_t)nprobe, hits, &n) != SYNADB_OK) n = 0;
    for (size_t i = 0; i < n && i < K; i++) {
        int64_t id = 0;
        for (size_t c = 0; c < hits[i].key_len; c++) id = id * 10 + (hits[i].key[c] - '0');
        out[i] = id;
    }
}
static void ivf_search(faiss::IndexIVFFlat *x, const float *q, int nprobe, int64_t *out) {
    float D[K];
    faiss::Index::idx_t I[K];
    x->nprobe = (size_t)nprobe;
    x->search(1, q, K, D, I);
    for (int t = 0; t < K; t++) out[t] = I[t];
}
static double sweep(int e, int nprobe, std::vector<int64_t> &ids) {
    std::fill(ids.begin(), ids.end(), (int64_t)-1);
    double t0 = bench_now();
    if (GWI[e]) for (size_t q = 0; q < NQ; q++) gwi_search(GWI[e], &query_f[q * DIMS], nprobe, &ids[q * K]);
    else for (size_t q = 0; q < NQ; q++) ivf_search(IVF[e], &query_f[q * DIMS], nprobe, &ids[q * K]);
    return (double)NQ / (bench_now() - t0);
}
static uint32_t leaves_of(int e) { return GWI[e] ? synadb_gwi_num_leaves(GWI[e]) : (uint32_t)IVF[e]->nlist; }
/* one point (R repetitions, median) */
static void measure_point(int e, int nprobe, std::vector<int64_t> &ids) {
    double rep[MAX_REPS];
    for (int r = 0; r < REPS; r++) rep[r] = sweep(e, nprobe, ids);
    int j = ER[e].npts++;
    ER[e].np[j] = nprobe; ER[e].qps[j] = bench_median(rep, REPS); ER[e].recall[j] = recall_of(ids, NQ, NULL);
}

static void run_ann(void) {
    std::vector<int64_t> ids(NQ * K);
    omp_set_num_threads(1);
    for (std::string r = ROOT, p; ; ) {   /* mkdir -p */
        size_t sl = r.find('/', p.size() + 1);
        p = r.substr(0, sl);
        if (!p.empty()) mkdir(p.c_str(), 0755);
        if (sl == std::string::npos) break;
    }
    synadb_vec_kernels kern = synadb_vec_kernels_best();
    printf("synadb kernels: %s (run-time selection); FAISS and GWI on 1 thread\n[builds]\n", kern.name);
    fflush(stdout);
    const int nl[2] = {256, 1024};
    const uint32_t gb[2] = {16, 32};
    for (int s = 0; s < 2; s++) {
        int eg = s == 0 ? E_GWI256 : E_GWI1024, ef = s == 0 ? E_IVF256 : E_IVF1024;
        GWI[eg] = gwi_build(ENAME[eg], base_f.data(), NB, DIMS, gb[s], 2, &ER[eg].build);
        double t0 = bench_now();
        QUANT[ef] = new faiss::IndexFlatL2(DIMS);
        IVF[ef] = new faiss::IndexIVFFlat(QUANT[ef], DIMS, (size_t)nl[s], faiss::METRIC_L2);
        IVF[ef]->train((faiss::Index::idx_t)NB, base_f.data());
        double t1 = bench_now();
        IVF[ef]->add((faiss::Index::idx_t)NB, base_f.data());
        ER[ef].build = bench_now() - t0;
        printf("  %s: nlist %d, %lld vectors: train %.2f s + add %.2f s = %.2f s\n", ENAME[ef], nl[s],
               (long long)IVF[ef]->ntotal, t1 - t0, ER[ef].build - (t1 - t0), ER[ef].build);
        fflush(stdout);
    }
    printf("[searches: %zu queries one at a time, nprobe 1/4/16/64 (GWI also 2/3/6/8/12/24/32/48), %d repetitions interleaved]\n", NQ, REPS);
    fflush(stdout);
    static double rep[NENG][NGP][MAX_REPS];
    for (int r = 0; r < REPS; r++) {
        for (int e = 0; e < NENG; e++) {
            const int *nps = GWI[e] ? GWI_NPROBES : NPROBES, nn = GWI[e] ? NGP : NNP;
            for (int j = 0; j < nn; j++) {
                rep[e][j][r] = sweep(e, nps[j], ids);
                if (r == REPS - 1) ER[e].recall[j] = recall_of(ids, NQ, NULL);
            }
        }
        printf("  rep %d done (load average %s)\n", r + 1, loadavg().c_str());
        fflush(stdout);
    }
    for (int e = 0; e < NENG; e++) {
        const int *nps = GWI[e] ? GWI_NPROBES : NPROBES, nn = GWI[e] ? NGP : NNP;
        ER[e].npts = nn;
        for (int j = 0; j < nn; j++) { ER[e].np[j] = nps[j]; ER[e].qps[j] = bench_median(rep[e][j], REPS); }
    }
    /* extend GWI's curve when FAISS reaches a recall GWI does not on the grid */
    for (int s = 0; s < 2; s++) {
        int eg = s == 0 ? E_GWI256 : E_GWI1024, ef = s == 0 ? E_IVF256 : E_IVF1024;
        double want = 0, have = 0;
        for (int j = 0; j < NNP; j++) want = std::max(want, ER[ef].recall[j]);
        for (int j = 0; j < ER[eg].npts; j++) have = std::max(have, ER[eg].recall[j]);
        const int xs[] = {96, 128, 192, 256, 384, 512, 768, 1024};
        for (int x : xs) {
            if (have >= want || ER[eg].npts >= MAXPTS) break;
            if ((uint32_t)x > leaves_of(eg)) break;
            measure_point(eg, x, ids);
            have = std::max(have, ER[eg].recall[ER[eg].npts - 1]);
            printf("  extra point %s nprobe=%d: recall %.4f, %.0f QPS\n", ENAME[eg], x, ER[eg].recall[ER[eg].npts - 1], ER[eg].qps[ER[eg].npts - 1]);
            fflush(stdout);
        }
    }
    for (int e = 0; e < NENG; e++) {
        if (GWI[e]) { synadb_gwi_close(GWI[e]); unlink(gwi_path(ENAME[e]).c_str()); }
        delete IVF[e]; delete QUANT[e];
    }
}

static void run_claim(void) {
    const size_t n = 50000, nc = 100;
    const uint32_t d = 768;
    std::vector<float> cen(nc * d), v(n * d);
    for (auto &x : cen) x = frnd();
    for (size_t i = 0; i < n; i++) {
        size_t c = rnd() % nc;
        for (uint32_t j = 0; j < d; j++) v[i * d + j] = cen[c * d + j] + 0.25f * frnd();
    }
    printf("[original claim: GWI build, 50,000 x 768 clustered random, default B=16 L=3, 1 thread]\n");
    synadb_gwi *g = gwi_build("claim", v.data(), n, d, 0, 0, &claim_build);
    claim_len = synadb_gwi_len(g);
    synadb_gwi_close(g);
    unlink(gwi_path("claim").c_str());
}

/* ------------------------------------------------------------------ report */
/* the point measured at nprobe np (-1 if none) */
static int point_of(const engine_res &e, int np) {
    for (int j = 0; j < e.npts; j++) if (e.np[j] == np) return j;
    return -1;
}
/* QPS at recall r read off the curve: the best of (a) every measured point with recall >= r
   and (b) linear interpolation in recall between two points adjacent in recall order with
   r0 < r <= r1. Never extrapolates: -1 when no point reaches r. *how (may be NULL) says where
   the value came from; *measured (may be NULL) = (a) alone, the conservative reading. */
static double qps_at_recall(const engine_res &e, double r, std::string *how = NULL, double *measured = NULL) {
    double best = -1, meas = -1;
    char buf[96] = "";
    for (int j = 0; j < e.npts; j++)
        if (e.recall[j] >= r && e.qps[j] > meas) {
            meas = e.qps[j];
            snprintf(buf, sizeof buf, "measured at nprobe %d", e.np[j]);
        }
    best = meas;
    for (int a = 0; a < e.npts; a++)     /* adjacent points in recall order */
        for (int b = 0; b < e.npts; b++) {
            double r0 = e.recall[a], r1 = e.recall[b];
            if (!(r1 > r0) || !(r0 < r && r <= r1)) continue;
            bool adjacent = true;
            for (int c = 0; c < e.npts; c++) if (e.recall[c] > r0 && e.recall[c] < r1) adjacent = false;
            double v = e.qps[a] + (e.qps[b] - e.qps[a]) * (r - r0) / (r1 - r0);
            if (adjacent && v > best) {
                best = v;
                snprintf(buf, sizeof buf, "interpolated between nprobe %d (%.4f) and %d (%.4f)", e.np[a], r0, e.np[b], r1);
            }
        }
    if (how) *how = buf;
    if (measured) *measured = meas;
    return best;
}
static bool recall_level(const engine_res &e, int j) {
    if (e.recall[j] < 0.95) return false;
    for (int i = 0; i < j; i++) if (e.recall[i] == e.recall[j]) return false;
    return true;
}
static bool target(const char *label, double v, const char *op, double goal, const char *why = NULL) {
    bool ok = !why && (op[0] == '<' ? v <= goal : v >= goal);
    printf("target %-48s %9.3f (goal %s %g) %s%s%s\n", label, v, op, goal, ok ? "PASS" : "FAIL", why ? ": " : "", why ? why : "");
    return ok;
}
/* synadb/FAISS QPS at FAISS's recall r; 0 and *why set when GWI's curve does not reach r */
static double ratio_at(const engine_res &G, const engine_res &F, double r, std::string *how, double *conservative, const char **why) {
    double m = 0, g = qps_at_recall(G, r, how, &m), f = qps_at_recall(F, r);
    *why = NULL; *conservative = 0;
    if (g < 0) { *why = "GWI does not reach this recall (no extrapolation)"; *how = "not reached"; return 0; }
    if (!(f > 0)) { *why = "no FAISS QPS"; return 0; }
    *conservative = m > 0 ? m / f : 0;
    return g / f;
}

static void report(void) {
    printf("\n=== Fashion-MNIST %zu x 784, %zu queries, euclidean, k = 10, 1 thread (median of %d) ===\n", NB, NQ, REPS);
    printf("%-34s", "");
    for (int e = 0; e < NENG; e++) printf(" %14s", ENAME[e]);
    printf("\n%-34s", "leaves / nlist");
    const char *cfg[NENG] = {"256 (B16 L2)", "256", "1024 (B32 L2)", "1024"};
    for (int e = 0; e < NENG; e++) printf(" %14s", cfg[e]);
    printf("\n%-34s", "build, s");
    for (int e = 0; e < NENG; e++) printf(" %14.2f", ER[e].build);
    printf("\n");
    for (int j = 0; j < NNP; j++) {
        printf("nprobe=%-3d recall@10%15s", NPROBES[j], "");
        for (int e = 0; e < NENG; e++) printf(" %14.4f", ER[e].recall[point_of(ER[e], NPROBES[j])]);
        printf("\nnprobe=%-3d QPS%21s", NPROBES[j], "");
        for (int e = 0; e < NENG; e++) printf(" %14.0f", ER[e].qps[point_of(ER[e], NPROBES[j])]);
        printf("\n");
    }
    for (int e = 0; e < NENG; e++)
        for (int j = 0; j < ER[e].npts; j++)
            if (std::find(NPROBES, NPROBES + NNP, ER[e].np[j]) == NPROBES + NNP)
                printf("extra point: %s nprobe=%d recall@10 %.4f, %.0f QPS\n", ENAME[e], ER[e].np[j], ER[e].recall[j], ER[e].qps[j]);
    printf("original claim: GWI build 50,000 x 768 clustered random (B=16 L=3, 1 thread): %.2f s (%zu vectors)\n",
           claim_build, claim_len);
    printf("notes: build = GWI new + initialise (all base vectors) + insert_batch + flush, file on %s;\n"
           "       FAISS = IndexIVFFlat train (all base vectors, default clustering) + add. QPS at\n"
           "       recall r: GWI's curve (grid + extra points) interpolated linearly in recall between\n"
           "       adjacent points at FAISS's recall r, never extrapolated (not reached = FAIL);\n"
           "       \"measured\" = the best measured GWI point at or above r alone.\n\n", ROOT);

    struct level { int s; double recall, v; int np; const char *why; };
    std::vector<level> levels;   /* QPS ratios at FAISS's recall levels: printed, then judged */
    for (int s = 0; s < 2; s++) {
        int eg = s == 0 ? E_GWI256 : E_GWI1024, ef = s == 0 ? E_IVF256 : E_IVF1024;
        const engine_res &G = ER[eg], &F = ER[ef];
        printf("ratio build_time_%s synadb/%s %.3f (time; lower is better)\n", s ? "1024" : "256", ENAME[ef], G.build / F.build);
        for (int j = 0; j < NNP; j++) {
            int gj = point_of(G, NPROBES[j]), fj = point_of(F, NPROBES[j]);
            printf("ratio qps_nprobe%d_%s synadb/%s %.3f\n", NPROBES[j], s ? "1024" : "256", ENAME[ef], F.qps[fj] > 0 ? G.qps[gj] / F.qps[fj] : 0);
        }
        for (int j = 0; j < F.npts; j++)
            if (recall_level(F, j)) {
                std::string how;
                double cons;
                const char *why;
                double v = ratio_at(G, F, F.recall[j], &how, &cons, &why);
                printf("ratio qps_at_recall_%.4f synadb/%s %.3f (%s; measured %.3f)\n", F.recall[j], ENAME[ef], v, how.c_str(), cons);
                levels.push_back({s, F.recall[j], v, F.np[j], why});
            }
    }
    printf("ratio build_50k_768 synadb/original_claim %.3f (time vs the claimed 3.0 s)\n\n", claim_build / 3.0);
    for (int s = 0; s < 2; s++) {
        int eg = s == 0 ? E_GWI256 : E_GWI1024, ef = s == 0 ? E_IVF256 : E_IVF1024;
        char l[128];
        snprintf(l, sizeof l, "build_time synadb/%s (time)", ENAME[ef]);
        target(l, ER[eg].build / ER[ef].build, "<=", 1.0);
        for (const level &lv : levels)
            if (lv.s == s) {
                snprintf(l, sizeof l, "qps_at_recall_%.4f synadb/%s (nprobe=%d)", lv.recall, ENAME[ef], lv.np);
                target(l, lv.v, ">=", 1.5, lv.why);
            }
    }
    target("gwi build 50,000 x 768 clustered, s", claim_build, "<", 3.0);
}

int main(int argc, char **argv) {
    double t0 = bench_now();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-r") && i + 1 < argc) REPS = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-n") && i + 1 < argc) NB = (size_t)strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-q") && i + 1 < argc) NQ = (size_t)strtoull(argv[++i], NULL, 10);
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: %s [-r reps] [-n base] [-q queries] [DIR]\n", argv[0]);
            return 2;
        } else ROOT = argv[i];
    }
    if (REPS < 1) REPS = 1;
    if (REPS > MAX_REPS) REPS = MAX_REPS;
    if (NB < 1024 * 39 || NQ < 1) die("-n must be >= 39,936 (FAISS trains 1024 lists) and -q >= 1", NULL);
    printf("bench_gwi: %d repetitions, files in %s; %ld CPUs, load average %s at start\n", REPS, ROOT,
           sysconf(_SC_NPROCESSORS_ONLN), loadavg().c_str());
    load_data();
    run_ann();
    run_claim();
    report();
    printf("total time %.0f s; load average %s at the end (other busy processes skew every number)\n",
           bench_now() - t0, loadavg().c_str());
    return 0;
}
