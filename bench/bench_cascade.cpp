/* bench_cascade.cpp - SynaDB's Cascade index presets against SynaDB's own HNSW (the index
 * the presets must beat on build time, and fast_search on speed) on Fashion-MNIST.
 *
 *   c++ -std=c++17 -O3 -march=native bench/bench_cascade.cpp -o build/bench_cascade -lz -lpthread -lm
 *   build/bench_cascade [-r reps] [-n base] [-q queries] [-p presets] [-H] [-o key=val,...] [-s]
 *     -p  comma list of presets to run (small,large,high_recall,fast_search,default; default all but default)
 *     -H  skip the HNSW peer (tuning only: no ratios)
 *     -o  override config fields of every preset run: bits, tables, split, depth, m, efc,
 *         probes, ef, entries (tuning)
 *     -s  also sweep ef for each preset (tuning)
 *     -c  time searches and builds in thread CPU time instead of wall clock (tuning on a busy machine)
 *
 * DATA and RECALL as bench_vec.cpp (bench/fmnist.h): 60,000 x 784 base, 10,000 queries,
 *   euclidean, recall@10 with the ann-benchmarks distance tolerance.
 * ENGINES (this process, one thread for builds and searches)
 *   synadb_hnsw     synadb_hnsw_create M=16, ef_construction=200 (part 1's setting),
 *                   synadb_hnsw_add_batch(threads = 1); searches for ef in 10..200.
 *   synadb_cascade  synadb_cascade_config_preset(784, euclidean, preset), threads = 1, in
 *                   memory; build = synadb_cascade_insert_batch of all base vectors (keys
 *                   "0".."59999"); searches with the preset's num_probes and ef_search.
 * MEASUREMENT  builds: one run each. Searches: all queries one at a time, R = 3 repetitions,
 *   median QPS. HNSW's QPS at a recall r is read off its ef curve, linear in recall between
 *   adjacent points (no extrapolation: below its lowest point its QPS there is used, which
 *   favours HNSW).
 * TARGETS  recall: small, large >= 0.95, high_recall >= 0.99, fast_search >= 0.90; every
 *   preset builds faster than HNSW; fast_search QPS above HNSW's at fast_search's recall.
 * OUTPUT   the table, `ratio <metric> synadb_cascade/synadb_hnsw <value>` and `target ... PASS|FAIL`. */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_vec.h"
#define BENCH_NAME "bench_cascade"
#include "fmnist.h"

static const char *PNAME[5] = {"default", "small", "large", "high_recall", "fast_search"};
static const double PGOAL[5] = {0.0, 0.95, 0.95, 0.99, 0.90};
static std::vector<std::string> KEYS;
static std::vector<const char *> KPTR;

static void apply_overrides(synadb_cascade_config *c, const char *o) {
    if (!o) return;
    std::string s(o);
    size_t p = 0;
    while (p < s.size()) {
        size_t e = s.find(',', p);
        if (e == std::string::npos) e = s.size();
        std::string kv = s.substr(p, e - p);
        size_t eq = kv.find('=');
        if (eq != std::string::npos) {
            std::string k = kv.substr(0, eq);
            uint32_t v = (uint32_t)strtoul(kv.c_str() + eq + 1, NULL, 10);
            if (k == "bits") c->num_bits = v; else if (k == "tables") c->num_tables = v;
            else if (k == "split") c->split_threshold = v; else if (k == "depth") c->max_bucket_depth = v;
            else if (k == "m") { c->m = v; c->m_max = 2 * v; } else if (k == "efc") c->ef_construction = v;
            else if (k == "probes") c->num_probes = v; else if (k == "ef") c->ef_search = v;
            else if (k == "entries") c->max_entries = v;
            else die("unknown override", k.c_str());
        }
        p = e + 1;
    }
}

typedef synadb_result (*search_fn)(void *ix, const float *q, size_t ef, size_t probes, synadb_vec_hit *out, size_t *n);
static synadb_result s_hnsw(void *ix, const float *q, size_t ef, size_t, synadb_vec_hit *out, size_t *n) {
    return synadb_hnsw_search((synadb_hnsw *)ix, q, K, ef, out, n);
}
static synadb_result s_casc(void *ix, const float *q, size_t ef, size_t probes, synadb_vec_hit *out, size_t *n) {
    return synadb_cascade_search((synadb_cascade *)ix, q, K, probes, ef, out, n);
}
/* one pass over the queries: QPS; ids filled */
static int CPUTIME = 0;   /* -c: thread CPU time instead of wall clock (tuning on a busy machine) */
static double clk(void) {
    if (!CPUTIME) return bench_now();
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
static double pass(search_fn f, void *ix, size_t ef, size_t probes, int keyed, std::vector<int64_t> &ids) {
    static std::vector<synadb_vec_hit> all;   /* hits kept as returned; keys parsed after the clock stops */
    static std::vector<size_t> got;
    all.resize(NQ * K); got.resize(NQ);
    double t0 = clk();
    for (size_t q = 0; q < NQ; q++)
        if (f(ix, &query_f[q * DIMS], ef, probes, &all[q * K], &got[q]) != SYNADB_OK) got[q] = 0;
    double t = clk() - t0;
    for (size_t q = 0; q < NQ; q++)
        for (size_t j = 0; j < K; j++) {
            const synadb_vec_hit &h = all[q * K + j];
            ids[q * K + j] = j < got[q] ? (keyed ? (int64_t)strtoll(std::string(h.key, h.key_len).c_str(), NULL, 10) : (int64_t)h.id) : -1;
        }
    return (double)NQ / t;
}
static void measure(search_fn f, void *ix, size_t ef, size_t probes, int keyed, double *recall, double *qps) {
    std::vector<int64_t> ids(NQ * K);
    double rep[MAX_REPS] = {0};
    pass(f, ix, ef, probes, keyed, ids);   /* warm-up, not timed: first touches of the search context and pages */
    for (int r = 0; r < REPS; r++) rep[r] = pass(f, ix, ef, probes, keyed, ids);
    *qps = bench_median(rep, REPS);
    *recall = recall_of(ids, NQ, NULL);
}

int main(int argc, char **argv) {
    const char *presets = "small,large,high_recall,fast_search", *over = NULL;
    int no_hnsw = 0, sweep = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-r") && i + 1 < argc) REPS = std::max(1, std::min(MAX_REPS, atoi(argv[++i])));
        else if (!strcmp(argv[i], "-n") && i + 1 < argc) NB = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "-q") && i + 1 < argc) NQ = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "-p") && i + 1 < argc) presets = argv[++i];
        else if (!strcmp(argv[i], "-o") && i + 1 < argc) over = argv[++i];
        else if (!strcmp(argv[i], "-H")) no_hnsw = 1;
        else if (!strcmp(argv[i], "-s")) sweep = 1;
        else if (!strcmp(argv[i], "-c")) CPUTIME = 1;
        else { fprintf(stderr, "usage: bench_cascade [-r reps] [-n base] [-q queries] [-p presets] [-H] [-o k=v,..] [-s]\n"); return 2; }
    }
    load_data();
    printf("machine: %u CPUs, load %s; kernels %s; %d repetitions, median\n", std::thread::hardware_concurrency(),
           loadavg().c_str(), synadb_vec_kernels_best().name, REPS);
    KEYS.resize(NB); KPTR.resize(NB);
    for (size_t i = 0; i < NB; i++) { KEYS[i] = std::to_string(i); KPTR[i] = KEYS[i].c_str(); }

    /* ---- HNSW peer ---- */
    static const size_t HEF[] = {10, 12, 14, 16, 20, 24, 32, 40, 60, 80, 120, 160, 240};
    const size_t NH = sizeof HEF / sizeof *HEF;
    double hrec[NH], hqps[NH], hbuild = 0;
    synadb_hnsw *hk = NULL;   /* kept for the interleaved comparison */
    if (!no_hnsw) {
        synadb_hnsw_config hc = synadb_hnsw_config_default(DIMS, SYNADB_METRIC_EUCLIDEAN);
        hc.M = 16; hc.ef_construction = 200; hc.capacity = NB;
        synadb_hnsw *h = NULL;
        if (synadb_hnsw_create(&hc, &h)) die("hnsw create", NULL);
        double t0 = clk();
        if (synadb_hnsw_add_batch(h, NULL, base_f.data(), NB, 1)) die("hnsw build", synadb_hnsw_errmsg(h));
        hbuild = clk() - t0;
        printf("synadb_hnsw M=16 efc=200: build %.2f s (1 thread)\n", hbuild);
        for (size_t j = 0; j < NH; j++) {
            measure(s_hnsw, h, HEF[j], 0, 0, &hrec[j], &hqps[j]);
            printf("  hnsw ef=%-4zu recall@10 %.4f  %8.0f QPS\n", HEF[j], hrec[j], hqps[j]);
            fflush(stdout);
        }
        hk = h;
    }

    /* ---- Cascade presets ---- */
    int fails = 0;
    printf("\n%-12s %9s %9s %7s %7s %8s %10s %9s  %s\n", "preset", "build s", "recall@10", "probes", "ef", "QPS", "HNSW QPS@r", "buckets", "params");
    std::string ps(presets);
    std::vector<std::string> lines;
    for (int p = 0; p < 5; p++) {
        if (("," + ps + ",").find("," + std::string(PNAME[p]) + ",") == std::string::npos) continue;
        synadb_cascade_config cc = synadb_cascade_config_preset(DIMS, SYNADB_METRIC_EUCLIDEAN, (synadb_cascade_preset)p);
        apply_overrides(&cc, over);
        cc.threads = 1;
        synadb_cascade *c = NULL;
        char eb[256];
        if (synadb_cascade_open(NULL, &cc, &c, eb, sizeof eb)) die("cascade open", eb);
        double t0 = clk();
        if (synadb_cascade_insert_batch(c, KPTR.data(), NULL, base_f.data(), NB)) die("cascade build", synadb_cascade_errmsg(c));
        double build = clk() - t0;
        synadb_cascade_stats st;
        synadb_cascade_stats_get(c, &st);
        double rec, qps;
        measure(s_casc, c, 0, 0, 1, &rec, &qps);
        double hq = 0;
        if (!no_hnsw) {   /* HNSW's QPS at recall rec, linear in recall between neighbours on its curve */
            hq = hqps[0];
            for (size_t j = 0; j + 1 < NH; j++)
                if (hrec[j] <= rec && rec <= hrec[j + 1]) {
                    double t = hrec[j + 1] > hrec[j] ? (rec - hrec[j]) / (hrec[j + 1] - hrec[j]) : 0;
                    hq = hqps[j] + t * (hqps[j + 1] - hqps[j]);
                }
            if (rec > hrec[NH - 1]) hq = hqps[NH - 1];
        }
        printf("%-12s %9.2f %9.4f %7u %7u %8.0f %10.0f %9llu  bits=%u tables=%u split=%u depth=%u m=%u efc=%u entries=%u\n", PNAME[p], build, rec,
               cc.num_probes, cc.ef_search, qps, hq, (unsigned long long)st.buckets, cc.num_bits, cc.num_tables, cc.split_threshold,
               cc.max_bucket_depth, cc.m, cc.ef_construction, cc.max_entries);
        fflush(stdout);
        if (sweep) {
            static const size_t SEF[] = {10, 16, 24, 32, 48, 64, 100, 160, 240, 320};
            for (size_t j = 0; j < sizeof SEF / sizeof *SEF; j++) {
                double r2, q2;
                measure(s_casc, c, SEF[j], 0, 1, &r2, &q2);
                printf("    ef=%-4zu recall %.4f %8.0f QPS\n", SEF[j], r2, q2);
            }
        }
        char buf[512];
        if (PGOAL[p] > 0) {
            snprintf(buf, sizeof buf, "target recall_%s >= %.2f: %.4f %s", PNAME[p], PGOAL[p], rec, rec >= PGOAL[p] ? "PASS" : "FAIL");
            lines.push_back(buf);
            fails += rec < PGOAL[p];
        }
        if (!no_hnsw) {
            snprintf(buf, sizeof buf, "ratio build_%s synadb_cascade/synadb_hnsw %.3f", PNAME[p], build / hbuild);
            lines.push_back(buf);
            snprintf(buf, sizeof buf, "target build_%s < hnsw: %.2f s vs %.2f s %s", PNAME[p], build, hbuild, build < hbuild ? "PASS" : "FAIL");
            lines.push_back(buf);
            fails += build >= hbuild;
            if (p == SYNADB_CASCADE_FAST_SEARCH) {
                /* the target is decided on interleaved passes: Cascade, HNSW at the two ef values
                   whose recalls bracket Cascade's, repeated; medians; HNSW interpolated in recall.
                   Drift on a shared machine then hits both sides alike. */
                size_t lo = 0, hi = 0;
                for (size_t j = 0; j + 1 < NH; j++) if (hrec[j] <= rec && rec <= hrec[j + 1]) { lo = j; hi = j + 1; break; }
                if (rec > hrec[NH - 1]) lo = hi = NH - 1;
                std::vector<int64_t> ids(NQ * K);
                double cq[MAX_REPS], lq[MAX_REPS], uq[MAX_REPS];
                int rounds = std::max(REPS, 5);
                if (rounds > MAX_REPS) rounds = MAX_REPS;
                for (int r = 0; r < rounds; r++) {
                    cq[r] = pass(s_casc, c, 0, 0, 1, ids);
                    lq[r] = pass(s_hnsw, hk, HEF[lo], 0, 0, ids);
                    uq[r] = pass(s_hnsw, hk, HEF[hi], 0, 0, ids);
                }
                double cm = bench_median(cq, rounds), lm = bench_median(lq, rounds), um = bench_median(uq, rounds);
                double t = hrec[hi] > hrec[lo] ? (rec - hrec[lo]) / (hrec[hi] - hrec[lo]) : 0;
                qps = cm; hq = lm + t * (um - lm);
                printf("interleaved, %d rounds: cascade %.0f QPS; hnsw ef=%zu %.0f, ef=%zu %.0f -> %.0f at recall %.4f\n", rounds, cm,
                       HEF[lo], lm, HEF[hi], um, hq, rec);
                snprintf(buf, sizeof buf, "ratio qps_at_recall_%.4f synadb_cascade/synadb_hnsw %.3f", rec, qps / hq);
                lines.push_back(buf);
                snprintf(buf, sizeof buf, "target fast_search QPS > hnsw at equal recall: %.0f vs %.0f %s", qps, hq, qps > hq ? "PASS" : "FAIL");
                lines.push_back(buf);
                fails += qps <= hq;
            }
        }
        synadb_cascade_close(c);
    }
    if (hk) synadb_hnsw_free(hk);
    printf("\n");
    for (auto &l : lines) printf("%s\n", l.c_str());
    return fails ? 1 : 0;
}
