/* bench_ml_exp.c - experiment tracking of synadb_ml.h: metric logging throughput and run
 * queries, one run (under ~2 minutes on the project machine).
 *
 * Build and run:
 *   cc -std=c99 -O2 -I. bench/bench_ml_exp.c -o build/bench_ml_exp -lpthread -lm
 *   build/bench_ml_exp [-n points] [-r reps] [-R runs] [DIR]
 *   (DIR default /tmp/synadb-bench; only DIR/ml-exp-* files are created and wiped)
 *
 * WORKLOAD
 *   single    N = 2,000,000 points through synadb_exp_log_metric into one run, 10 metric
 *             keys in turn ("m0".."m9"), step = point index / 10, values from a fixed
 *             random stream. The timing includes the final synadb_exp_flush (points written
 *             and the log flushed to the device), so every point is durable when the clock
 *             stops. Median of 5 runs, each on a fresh file.
 *   batched   N points through synadb_exp_log_metrics, 1,000 points per call (the 10 keys
 *             interleaved), then flush, in the timing. Median of 5.
 *   series    N points through synadb_exp_log_series (one key, 10,000 per call) + flush.
 *   abi       200,000 points through the path-keyed SYNA_exp_log_metric (which resolves
 *             the path on every call, as the original's ABI did) + SYNA_exp_flush.
 *   query     10,000 runs x 20 params x 20 metrics (3 points each) x 5 tags, 4 experiments,
 *             a quarter of the runs ended; the filter
 *               metrics.m3 > 0.2 and params.p7 = 'v2' and tags.t1 != 'x0'
 *             ordered by metrics.m5 DESC, limit 100: median of 21 queries, native API
 *             (run ids) and through SYNA_exp_query (the same, as JSON Run objects). The
 *             first query after the open builds the per-key columns it reads (printed too).
 *             Checked against a brute-force evaluation of the same filter.
 *
 * PEERS. The original SynaDB claims "< 100 us per metric" (10,000/s): printed as ratios.
 * MLflow numbers quoted in anchors/ml.md are for a server and are not re-measured here.
 *
 * OUTPUT. A table, "ratio <what> synadb/<peer> <x>" lines and "target ... PASS|FAIL" lines:
 *   single >= 200,000 points/s, batched >= 1,000,000 points/s, query < 20 ms.
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_ml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench_util.h"

static const char *ROOT = "/tmp/synadb-bench";
static size_t N = 2000000;
static int REPS = 5;
static int RUNS = 10000;
#define ORIGINAL_PER_S 10000.0   /* "< 100 us per metric" */

static unsigned long long rng = 0x9E3779B97F4A7C15ull;
static unsigned long long rnd(void) {
    unsigned long long z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double unit(void) { return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0); }
static void die(const char *what, synadb_exp *t, int rc) {
    fprintf(stderr, "%s failed: %d %s\n", what, rc, t ? synadb_exp_errmsg(t) : "");
    exit(1);
}
static void wipe(const char *p) { remove(p); }
static unsigned long long file_size(const char *p) {
    FILE *f = fopen(p, "rb");
    long n;
    if (!f) return 0;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fclose(f);
    return n > 0 ? (unsigned long long)n : 0;
}

static const char *KEYS[10] = {"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"};
static double *VALS;

/* mode 0 single, 1 batched, 2 series. Returns points/s; *bytes = file size. */
static double log_rate(int mode, unsigned long long *bytes) {
    char path[600], run[37];
    synadb_exp *t;
    synadb_exp_config c = synadb_exp_config_default();
    size_t i, j;
    double t0, dt;
    int rc;
    snprintf(path, sizeof path, "%s/ml-exp-log.db", ROOT);
    wipe(path);
    if ((rc = synadb_exp_open(path, &c, &t))) die("open", NULL, rc);
    if ((rc = synadb_exp_start_run(t, "bench", NULL, 0, run))) die("start_run", t, rc);
    t0 = bench_now();
    if (mode == 0) {
        for (i = 0; i < N; i++)
            if ((rc = synadb_exp_log_metric(t, run, KEYS[i % 10], VALS[i], (int64_t)(i / 10)))) die("log_metric", t, rc);
    } else if (mode == 1) {
        synadb_exp_point pts[1000];
        for (i = 0; i < N; i += 1000) {
            size_t n = N - i < 1000 ? N - i : 1000;
            for (j = 0; j < n; j++) {
                pts[j].key = KEYS[(i + j) % 10]; pts[j].value = VALS[i + j];
                pts[j].step = (int64_t)((i + j) / 10); pts[j].timestamp_us = 0;
            }
            if ((rc = synadb_exp_log_metrics(t, run, pts, n))) die("log_metrics", t, rc);
        }
    } else {
        int64_t steps[10000];
        for (i = 0; i < N; i += 10000) {
            size_t n = N - i < 10000 ? N - i : 10000;
            for (j = 0; j < n; j++) steps[j] = (int64_t)(i + j);
            if ((rc = synadb_exp_log_series(t, run, "loss", steps, VALS + i, n))) die("log_series", t, rc);
        }
    }
    if ((rc = synadb_exp_flush(t))) die("flush", t, rc);
    dt = bench_now() - t0;
    {   /* check: every point is there */
        int64_t *st; double *v; size_t n;
        if ((rc = synadb_exp_get_metric(t, run, mode == 2 ? "loss" : "m3", &st, &v, NULL, &n))) die("get_metric", t, rc);
        if (n != (mode == 2 ? N : N / 10)) { fprintf(stderr, "INVALID: %u points read back\n", (unsigned)n); exit(1); }
        for (i = 0; i < n; i++) if (v[i] != VALS[mode == 2 ? i : i * 10 + 3]) { fprintf(stderr, "INVALID value at %u\n", (unsigned)i); exit(1); }
        synadb_exp_free(st); synadb_exp_free(v);
    }
    if ((rc = synadb_exp_close(t))) die("close", NULL, rc);
    *bytes = file_size(path);
    wipe(path);
    return (double)N / dt;
}
static double abi_rate(void) {
    char path[600], *run = NULL;
    size_t n = 200000, i, len;
    double t0, dt;
    snprintf(path, sizeof path, "%s/ml-exp-abi.db", ROOT);
    wipe(path);
    if (SYNA_exp_tracker_open(path) != 1) die("SYNA_exp_tracker_open", NULL, 0);
    if (SYNA_exp_start_run(path, "bench", NULL, &run, &len) != 1) die("SYNA_exp_start_run", NULL, 0);
    t0 = bench_now();
    for (i = 0; i < n; i++) if (SYNA_exp_log_metric(path, run, KEYS[i % 10], VALS[i], (int64_t)(i / 10)) != 1) die("SYNA_exp_log_metric", NULL, 0);
    if (SYNA_exp_flush(path) != 1) die("SYNA_exp_flush", NULL, 0);
    dt = bench_now() - t0;
    SYNA_free_text(run, len);
    SYNA_exp_tracker_close(path);
    wipe(path);
    return (double)n / dt;
}

static const char *FILTER = "metrics.m3 > 0.2 and params.p7 = 'v2' and tags.t1 != 'x0'";
static const char *ORDER = "metrics.m5 DESC";

int main(int argc, char **argv) {
    int i, r;
    double single[8], batched[8], series[8], rs, rb, rser, rabi;
    unsigned long long b_single = 0, b_batch = 0, b_series = 0;
    double build_s, open_s, q_native[32], q_abi[32], qn, qa;
    size_t matches = 0, expect = 0;
    char path[600];
    synadb_exp *t;
    synadb_exp_config c = synadb_exp_config_default();
    int rc;
    double t_all = bench_now();
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc) N = (size_t)strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "-r") && i + 1 < argc) REPS = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-R") && i + 1 < argc) RUNS = atoi(argv[++i]);
        else if (argv[i][0] == '-') { fprintf(stderr, "usage: %s [-n points] [-r reps] [-R runs] [DIR]\n", argv[0]); return 2; }
        else ROOT = argv[i];
    }
    if (REPS < 1) REPS = 1;
    if (REPS > 8) REPS = 8;
    {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "mkdir -p '%s'", ROOT);
        if (system(cmd)) { fprintf(stderr, "cannot create %s\n", ROOT); return 1; }
    }
    VALS = (double *)malloc(N * sizeof *VALS);
    if (!VALS) return 1;
    for (i = 0; i < (int)N; i++) VALS[i] = (double)(int)(unit() * 10000) / 1000.0;

    printf("[logging: %u points per run, one run, 10 keys, median of %d]\n", (unsigned)N, REPS);
    for (r = 0; r < REPS; r++) {
        single[r] = log_rate(0, &b_single);
        batched[r] = log_rate(1, &b_batch);
        series[r] = log_rate(2, &b_series);
        printf("  rep %d: single %.0f/s, batched %.0f/s, series %.0f/s\n", r, single[r], batched[r], series[r]);
        fflush(stdout);
    }
    rs = bench_median(single, REPS); rb = bench_median(batched, REPS); rser = bench_median(series, REPS);
    rabi = abi_rate();

    /* ---- the query workload ---- */
    snprintf(path, sizeof path, "%s/ml-exp-query.db", ROOT);
    wipe(path);
    c.no_sync = 1;
    if ((rc = synadb_exp_open(path, &c, &t))) die("open", NULL, rc);
    {
        double t0 = bench_now();
        char pk[20][8], pv[20][8], tk[5][8], tv[5][8], mk[20][8];
        synadb_exp_kv params[20], tags[5];
        synadb_exp_point pts[60];
        int k;
        for (k = 0; k < 20; k++) { sprintf(pk[k], "p%d", k); sprintf(mk[k], "m%d", k); }
        for (k = 0; k < 5; k++) sprintf(tk[k], "t%d", k);
        for (r = 0; r < RUNS; r++) {
            char run[37];
            double m3 = 0, m5 = 0;
            int p7 = 0, t1 = 0;
            for (k = 0; k < 5; k++) { int v = (int)(rnd() % 4); if (k == 1) t1 = v; sprintf(tv[k], "x%d", v); tags[k].key = tk[k]; tags[k].value = tv[k]; }
            if ((rc = synadb_exp_start_run(t, r % 4 == 0 ? "alpha" : r % 4 == 1 ? "beta" : r % 4 == 2 ? "gamma" : "delta", tags, 5, run))) die("start_run", t, rc);
            for (k = 0; k < 20; k++) { int v = (int)(rnd() % 5); if (k == 7) p7 = v; sprintf(pv[k], "v%d", v); params[k].key = pk[k]; params[k].value = pv[k]; }
            if ((rc = synadb_exp_log_params(t, run, params, 20))) die("log_params", t, rc);
            for (k = 0; k < 60; k++) {
                pts[k].key = mk[k % 20]; pts[k].value = unit(); pts[k].step = k / 20; pts[k].timestamp_us = 0;
                if (k / 20 == 2 && k % 20 == 3) m3 = pts[k].value;
                if (k / 20 == 2 && k % 20 == 5) m5 = pts[k].value;
            }
            if ((rc = synadb_exp_log_metrics(t, run, pts, 60))) die("log_metrics", t, rc);
            if (r % 4 == 3 && (rc = synadb_exp_end_run(t, run, SYNADB_EXP_COMPLETED))) die("end_run", t, rc);
            if (m3 > 0.2 && p7 == 2 && t1 != 0) expect++;
            (void)m5;
        }
        if ((rc = synadb_exp_close(t))) die("close", NULL, rc);
        build_s = bench_now() - t0;
        t0 = bench_now();
        if ((rc = synadb_exp_open(path, &c, &t))) die("reopen", NULL, rc);
        open_s = bench_now() - t0;
    }
    for (r = 0; r < 21; r++) {
        synadb_exp_idlist l;
        double t0 = bench_now();
        if ((rc = synadb_exp_query(t, FILTER, ORDER, 100, &l))) die("query", t, rc);
        q_native[r] = bench_now() - t0;
        if (r == 0) {   /* check the order and the count */
            double prev = 2.0, v;
            size_t k;
            synadb_exp_idlist all;
            if ((rc = synadb_exp_query(t, FILTER, NULL, 0, &all))) die("query", t, rc);
            matches = all.count;
            synadb_exp_idlist_free(&all);
            if (matches != expect) { fprintf(stderr, "INVALID: %u matches, brute force %u\n", (unsigned)matches, (unsigned)expect); return 1; }
            for (k = 0; k < l.count; k++) {
                if (synadb_exp_get_latest(t, l.ids[k].s, "m5", &v, NULL) || v > prev) { fprintf(stderr, "INVALID order\n"); return 1; }
                prev = v;
            }
            if (l.count != (matches < 100 ? matches : 100)) { fprintf(stderr, "INVALID limit\n"); return 1; }
        }
        synadb_exp_idlist_free(&l);
    }
    if ((rc = synadb_exp_close(t))) die("close", NULL, rc);
    if (SYNA_exp_tracker_open(path) != 1) die("SYNA_exp_tracker_open", NULL, 0);
    for (r = 0; r < 21; r++) {
        char *js = NULL;
        size_t len = 0;
        double t0 = bench_now();
        int32_t n = SYNA_exp_query(path, FILTER, ORDER, 100, &js, &len);
        q_abi[r] = bench_now() - t0;
        if (n != (int32_t)(matches < 100 ? matches : 100)) die("SYNA_exp_query", NULL, n);
        SYNA_free_json(js);
    }
    SYNA_exp_tracker_close(path);
    {
        unsigned long long qbytes = file_size(path);
        double qfirst = q_native[0];
        qn = bench_median(q_native, 21) * 1e3; qa = bench_median(q_abi, 21) * 1e3;
        printf("\n=== experiment tracking (synadb_ml.h), %s ===\n", ROOT);
        printf("%-58s %14s %14s\n", "phase", "rate", "bytes/point");
        printf("%-58s %12.0f/s %14.2f\n", "log_metric, single point (+ final flush)", rs, (double)b_single / (double)N);
        printf("%-58s %12.0f/s %14.2f\n", "log_metrics, 1,000 points per call (+ flush)", rb, (double)b_batch / (double)N);
        printf("%-58s %12.0f/s %14.2f\n", "log_series, 10,000 points per call (+ flush)", rser, (double)b_series / (double)N);
        printf("%-58s %12.0f/s %14s\n", "SYNA_exp_log_metric (path-keyed ABI, + flush)", rabi, "-");
        printf("%-58s %11.3f ms\n", "query, native (run ids), median of 21", qn);
        printf("%-58s %11.3f ms\n", "  the first of them (builds the query columns it needs)", qfirst * 1e3);
        printf("%-58s %11.3f ms\n", "query, SYNA_exp_query (JSON Run objects), median of 21", qa);
        printf("query store: %d runs x 20 params x 20 metrics (3 points) x 5 tags; %u match the filter;\n"
               "  built in %.2f s (no_sync), %.1f MB; reopened (index loaded) in %.3f s\n",
               RUNS, (unsigned)matches, build_s, (double)qbytes / 1e6, open_s);
        printf("  filter: %s\n  order_by: %s, limit 100\n", FILTER, ORDER);
        wipe(path);
    }
    printf("\n");
    printf("ratio log_metric synadb/original %.3f\n", rs / ORIGINAL_PER_S);
    printf("ratio log_metrics synadb/original %.3f\n", rb / ORIGINAL_PER_S);
    printf("ratio abi_log_metric synadb/original %.3f\n", rabi / ORIGINAL_PER_S);
    printf("\n");
    printf("target %-36s %12.0f (goal >= 200000) %s\n", "log_metric points/s", rs, rs >= 200000 ? "PASS" : "FAIL");
    printf("target %-36s %12.0f (goal >= 1000000) %s\n", "log_metrics points/s", rb, rb >= 1000000 ? "PASS" : "FAIL");
    printf("target %-36s %12.3f (goal < 20 ms) %s\n", "query 10k runs ms", qn, qn < 20 ? "PASS" : "FAIL");
    printf("done in %.0f s\n", bench_now() - t_all);
    free(VALS);
    return 0;
}
