/* bench_lz4.c - SynaDB's LZ4 block codec (inside synadb.h) against liblz4, in one run.
 *
 * Build and run (from the repository root):
 *   cc -std=c99 -O2 bench/bench_lz4.c -llz4 -lpthread -lm -o /tmp/bench_lz4 && /tmp/bench_lz4
 *
 * For each input (text-like log lines, a rounded-double series as raw f64 bytes, random
 * bytes; about 4 MiB each) it prints compression ratio, compress MB/s and decompress MB/s
 * for both codecs (median of 5 repetitions), then the lines
 *   ratio lz4_compress_speed synadb/liblz4 <value>
 *   ratio lz4_decompress_speed synadb/liblz4 <value>
 *   ratio lz4_ratio synadb/liblz4 <value>
 * where lz4_ratio compares compression ratios (raw/compressed; > 1 means SynaDB
 * compresses better). The speed lines compare each decoder on its own codec's block; a
 * second line per input shows our decoder on liblz4's block (the same bytes for both).
 *
 * Timing: thread CPU time (steadier than wall time on a shared machine), each
 * repetition alternating the two codecs in 10 slices of >= 10 ms. MB = 10^6 raw bytes.
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"  /* the codec under test is its internal LZ4 (synadb__lz4_*) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <lz4.h>
#include "bench_util.h"

#define INPUT_SIZE ((size_t)4 << 20)
#define REPS 5

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t gen_logs(uint8_t *buf, size_t cap) {
    static const char *levels[] = {"INFO", "WARN", "DEBUG", "ERROR"};
    static const char *comps[] = {"http.server", "db.pool", "auth", "scheduler", "cache"};
    static const char *msgs[] = {"request completed", "connection acquired",
                                 "token refreshed for user", "job finished",
                                 "cache miss for key", "slow query detected",
                                 "retrying operation after timeout"};
    size_t len = 0;
    uint64_t ts = 1700000000000ull;
    while (len < cap) {
        char line[256];
        int k;
        unsigned lv, cp, ms, id, us, lat, frac;
        int status;
        /* draw in a fixed order (argument evaluation order is unspecified) */
        ts += rnd() % 50;
        lv = (unsigned)(rnd() % 4); cp = (unsigned)(rnd() % 5); ms = (unsigned)(rnd() % 7);
        id = (unsigned)(rnd() % 1000000); us = (unsigned)(rnd() % 500);
        lat = (unsigned)(rnd() % 300); frac = (unsigned)(rnd() % 100);
        status = (rnd() % 10) ? 200 : 500;
        k = snprintf(line, sizeof line,
                     "%llu %s [%s] %s id=%u user=u%03u latency_ms=%u.%02u status=%d\n",
                     (unsigned long long)ts, levels[lv], comps[cp], msgs[ms], id, us, lat,
                     frac, status);
        if (k <= 0) break;
        if ((size_t)k > cap - len) k = (int)(cap - len);
        memcpy(buf + len, line, (size_t)k);
        len += (size_t)k;
    }
    return len;
}

static size_t gen_doubles(uint8_t *buf, size_t cap) {
    size_t i, count = cap / 8;
    double v = 20.0;
    for (i = 0; i < count; i++) {
        double x;
        v += ((double)(rnd() % 2001) - 1000.0) / 10000.0; /* random walk */
        x = (double)(long long)(v * 100.0 + (v < 0 ? -0.5 : 0.5)) / 100.0; /* 2 decimals */
        memcpy(buf + i * 8, &x, 8);
    }
    return count * 8;
}

static size_t gen_random(uint8_t *buf, size_t cap) {
    size_t i;
    for (i = 0; i + 8 <= cap; i += 8) {
        uint64_t r = rnd();
        memcpy(buf + i, &r, 8);
    }
    return i;
}

struct job {
    int codec; /* 0 synadb, 1 liblz4 */
    int decompress;
    const uint8_t *in;
    size_t in_len;
    uint8_t *out;
    size_t out_cap;
    size_t raw_len;
    void *table;
    size_t result;
};

static void run_once(struct job *j) {
    if (!j->decompress) {
        if (j->codec == 0)
            j->result = synadb__lz4_compress(j->in, j->in_len, j->out, j->out_cap, j->table);
        else
            j->result = (size_t)LZ4_compress_default((const char *)j->in, (char *)j->out,
                                                     (int)j->in_len, (int)j->out_cap);
    } else {
        if (j->codec == 0)
            j->result = synadb__lz4_decompress(j->in, j->in_len, j->out, j->raw_len) == 0
                            ? j->raw_len : 0;
        else {
            int r = LZ4_decompress_safe((const char *)j->in, (char *)j->out, (int)j->in_len,
                                        (int)j->raw_len);
            j->result = r < 0 ? 0 : (size_t)r;
        }
    }
}

/* One repetition: runs the two jobs alternately in 10 slices of >= 10 ms each (so that
 * both see the same machine load) and stores each one's MB/s of raw data. */
static void measure_pair(struct job *a, struct job *b, double *mbs_a, double *mbs_b) {
    double ta = 0, tb = 0;
    long na = 0, nb = 0;
    int slice;
    for (slice = 0; slice < 10; slice++) {
        struct job *j = a;
        int which;
        for (which = 0; which < 2; which++, j = b) {
            double t0 = bench_clock(CLOCK_THREAD_CPUTIME_ID), t;
            long it = 0;
            do {
                run_once(j);
                it++;
                t = bench_clock(CLOCK_THREAD_CPUTIME_ID) - t0;
            } while (t < 0.01);
            if (which == 0) { ta += t; na += it; } else { tb += t; nb += it; }
        }
    }
    *mbs_a = (double)a->raw_len * (double)na / ta / 1e6;
    *mbs_b = (double)b->raw_len * (double)nb / tb / 1e6;
}

static int bench_input(const char *name, const uint8_t *data, size_t len) {
    size_t bound = synadb__lz4_bound(len);
    uint8_t *comp_s = (uint8_t *)malloc(bound), *comp_l = (uint8_t *)malloc(bound);
    uint8_t *back = (uint8_t *)malloc(len + 1);
    void *table = malloc(SYNADB__LZ4_TABLE_BYTES);
    double cs[REPS], cl[REPS], ds[REPS], dl[REPS], dx[REPS], dl2[REPS];
    double ratio_s, ratio_l, mcs, mcl, mds, mdl, mdx, mdl2;
    size_t size_s = 0, size_l = 0;
    int r, ok = 1;

    if (!comp_s || !comp_l || !back || !table) return 0;
    if ((size_t)LZ4_compressBound((int)len) > bound) {
        fprintf(stderr, "bound mismatch\n");
        return 0;
    }
    for (r = 0; r < REPS; r++) {
        struct job a, b;
        memset(&a, 0, sizeof a);
        a.in = data; a.in_len = len; a.raw_len = len; a.out_cap = bound; a.table = table;
        b = a;
        /* compress */
        a.codec = 0; a.out = comp_s;
        b.codec = 1; b.out = comp_l;
        measure_pair(&a, &b, &cs[r], &cl[r]);
        size_s = a.result;
        size_l = b.result;
        /* decompress, each codec its own block */
        a.decompress = b.decompress = 1;
        a.out = b.out = back; a.out_cap = b.out_cap = len;
        a.in = comp_s; a.in_len = size_s;
        b.in = comp_l; b.in_len = size_l;
        measure_pair(&a, &b, &ds[r], &dl[r]);
        if (a.result != len || b.result != len) ok = 0;
        /* our decoder on liblz4's block: the same input for both decoders */
        a.in = comp_l; a.in_len = size_l;
        measure_pair(&a, &b, &dx[r], &dl2[r]);
        if (a.result != len || memcmp(back, data, len)) ok = 0;
    }
    /* check the round trip of our own block once more */
    if (synadb__lz4_decompress(comp_s, size_s, back, len) != 0 || memcmp(back, data, len)) ok = 0;
    if (!ok || size_s == 0 || size_l == 0) {
        fprintf(stderr, "%s: round trip FAILED\n", name);
        return 0;
    }
    ratio_s = (double)len / (double)size_s;
    ratio_l = (double)len / (double)size_l;
    mcs = bench_median(cs, REPS); mcl = bench_median(cl, REPS);
    mds = bench_median(ds, REPS); mdl = bench_median(dl, REPS); mdx = bench_median(dx, REPS); mdl2 = bench_median(dl2, REPS);
    printf("%-8s %9zu bytes | synadb: ratio %6.3f  comp %8.1f MB/s  decomp %8.1f MB/s | "
           "liblz4: ratio %6.3f  comp %8.1f MB/s  decomp %8.1f MB/s\n",
           name, len, ratio_s, mcs, mds, ratio_l, mcl, mdl);
    printf("%-8s (synadb decoding liblz4's block: %.1f MB/s, %.3f of liblz4)\n", name, mdx,
           mdx / mdl2);
    printf("ratio lz4_compress_speed synadb/liblz4 %.3f\n", mcs / mcl);
    printf("ratio lz4_decompress_speed synadb/liblz4 %.3f\n", mds / mdl);
    printf("ratio lz4_ratio synadb/liblz4 %.4f\n", ratio_s / ratio_l);
    fflush(stdout);
    free(comp_s); free(comp_l); free(back); free(table);
    return 1;
}

int main(void) {
    uint8_t *buf = (uint8_t *)malloc(INPUT_SIZE);
    int ok = 1;
    size_t len;
    if (!buf) return 1;
    printf("liblz4 %s; median of %d repetitions; MB = 1e6 bytes of raw data\n",
           LZ4_versionString(), REPS);
    len = gen_logs(buf, INPUT_SIZE);
    ok &= bench_input("logs", buf, len);
    len = gen_doubles(buf, INPUT_SIZE);
    ok &= bench_input("doubles", buf, len);
    len = gen_random(buf, INPUT_SIZE);
    ok &= bench_input("random", buf, len);
    free(buf);
    return ok ? 0 : 1;
}
