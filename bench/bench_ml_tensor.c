/* bench_ml_tensor.c - loading tensors with synadb_ml.h against numpy reading the same bytes.
 *
 * Build and run:
 *   cc -std=c99 -O2 bench/bench_ml_tensor.c -o build/bench_ml_tensor -lpthread -lm
 *   build/bench_ml_tensor [-r reps] [-m MiB of the big tensor] [DIR]
 *   (DIR default /tmp/synadb-bench; the files ml_tensor.db, ml_np_small.bin and
 *   ml_np_big.bin in it are created and removed; about 3 GiB of memory for the default
 *   1024 MiB tensor: the source while putting, the file in the page cache, the output)
 *
 * WORKLOAD
 *   small   a 10,000 x 784 float32 tensor (31.4 MB, MNIST-shaped) put with synadb_tensor_put
 *           under "train/": 10,000 row records train/00000000 ...
 *   big     a 1 GiB float32 tensor [M/4 Ki rows x 1024] put with synadb_tensor_put_chunked
 *           (default chunks: 64 MiB), CRC32C of the data in its metadata.
 *   Values are random floats (incompressible), the database has the default configuration.
 *
 * TIMED (every phase R = 5 times, median; CLOCK_MONOTONIC; the database file is in the page
 * cache: it was just written, and each phase runs once untimed first)
 *   get_tensor            synadb_tensor_get("train/" "*", float32): keys matched, each row looked
 *                         up, its record CRC checked, copied into a freshly allocated buffer.
 *   get_tensor_into       the same into a buffer reused across repetitions.
 *   get_tensor_chunked    synadb_tensor_get_chunked("big"): record CRCs, the data CRC32C, the
 *                         copy into a freshly allocated buffer; and _into a reused buffer.
 *   np_fromfile           /usr/bin/python3 (a subprocess, started once; its start is not
 *                         timed): np.fromfile of a file holding the same number of bytes,
 *                         in the page cache (read once before), a fresh array each time; and
 *                         np_readinto: f.readinto of a preallocated array. This is the
 *                         physical reference: one copy out of the page cache.
 *   stream                synadb_tensor_stream over "train/" "*" in batches of 256 rows, in key
 *                         order and shuffled: batches per second (and rows per second).
 *   put                   synadb_tensor_put / put_chunked (GB/s), once.
 *   The results are checked against the source data (a mismatch prints INVALID).
 *
 *   -c measures the CPU time of the process (CLOCK_PROCESS_CPUTIME_ID; numpy: time.process_time)
 *   instead of wall-clock time, for a machine shared with other work.
 *
 * OUTPUT: a table, then "ratio <what> <value>" lines and "target ... PASS|FAIL" lines
 * (target of issue 5: get_tensor of both tensors at >= 2 GB/s from the page cache).
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_ml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bench_util.h"

#define MAX_REPS 21
static int REPS = 5;
static size_t BIG_MIB = 1024;

/* -c: CPU time of this process instead of wall-clock time (on a shared machine) */
static int USE_CPU = 0;
static double now(void) { return bench_clock(USE_CPU ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC); }
static void die(const char *what, synadb_db *db) {
    fprintf(stderr, "bench_ml_tensor: %s%s%s\n", what, db ? ": " : "", db ? synadb_errmsg(db) : "");
    exit(1);
}
static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory", NULL);
    return p;
}
static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd32(void) {
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)(z ^ (z >> 31));
}
static void fill(float *x, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) x[i] = (float)(rnd32() >> 8) * (1.0f / 16777216.0f) - 0.5f;
}
static void write_file(const char *path, const void *p, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f)) die("cannot write the numpy file", NULL);
}

typedef struct { const char *name; double gbps, extra; const char *unit; int valid; } row_t;
static row_t rows[32];
static int nrows;
static void add_row(const char *name, double gbps, double extra, const char *unit, int valid) {
    rows[nrows].name = name; rows[nrows].gbps = gbps; rows[nrows].extra = extra; rows[nrows].unit = unit; rows[nrows].valid = valid;
    nrows++;
}

/* numpy: fromfile and readinto of two files, R times each, in one python process. */
static int run_numpy(const char *small, size_t small_bytes, const char *big, size_t big_bytes, double res[4]) {
    char cmd[4096];
    FILE *p;
    int got = 0;
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c '\n"
             "import numpy as np, time, statistics\n"
             "clock=time.process_time if %d else time.perf_counter\n"
             "R=%d\n"
             "for path,n in ((\"%s\",%llu),(\"%s\",%llu)):\n"
             "    np.fromfile(path, dtype=np.float32)\n"
             "    t=[]\n"
             "    for i in range(R):\n"
             "        s=clock(); a=np.fromfile(path, dtype=np.float32); t.append(clock()-s); del a\n"
             "    print(n/statistics.bench_median(t)/1e9)\n"
             "    a=np.empty(n//4, dtype=np.float32); t=[]\n"
             "    for i in range(R):\n"
             "        s=clock()\n"
             "        with open(path, \"rb\", buffering=0) as f: f.readinto(a)\n"
             "        t.append(clock()-s)\n"
             "    print(n/statistics.bench_median(t)/1e9)\n"
             "    del a\n"
             "'", USE_CPU, REPS, small, (unsigned long long)small_bytes, big, (unsigned long long)big_bytes);
    p = popen(cmd, "r");
    if (!p) return -1;
    while (got < 4 && fscanf(p, "%lf", &res[got]) == 1) got++;
    pclose(p);
    return got == 4 ? 0 : -1;
}

int main(int argc, char **argv) {
    const char *dir = "/tmp/synadb-bench";
    char dbpath[1024], npsmall[1024], npbig[1024];
    synadb_db *db = NULL;
    size_t sshape[2] = {10000, 784}, bshape[2], sn = 10000 * 784, bn, sbytes = sn * 4, bbytes, i;
    float *small, *big, *buf;
    double t[MAX_REPS] = {0}, t0, put_small, put_big, np[4] = {0, 0, 0, 0};
    double g_small, g_small_into, g_big, g_big_into;
    int r, a, valid_small = 1, valid_big = 1, np_ok;
    synadb_tensor tt;

    for (a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "-r") && a + 1 < argc) { REPS = atoi(argv[++a]); if (REPS < 1) REPS = 1; if (REPS > MAX_REPS) REPS = MAX_REPS; }
        else if (!strcmp(argv[a], "-c")) USE_CPU = 1;
        else if (!strcmp(argv[a], "-m") && a + 1 < argc) { BIG_MIB = (size_t)atol(argv[++a]); if (BIG_MIB < 4) BIG_MIB = 4; }
        else if (argv[a][0] == '-') { fprintf(stderr, "usage: %s [-r reps] [-m MiB] [-c] [DIR]\n", argv[0]); return 2; }
        else dir = argv[a];
    }
    {
        char mk[1200];
        snprintf(mk, sizeof mk, "mkdir -p '%s'", dir);
        if (system(mk)) die("cannot create the directory", NULL);
    }
    snprintf(dbpath, sizeof dbpath, "%s/ml_tensor.db", dir);
    snprintf(npsmall, sizeof npsmall, "%s/ml_np_small.bin", dir);
    snprintf(npbig, sizeof npbig, "%s/ml_np_big.bin", dir);
    remove(dbpath);
    bshape[1] = 1024;
    bshape[0] = BIG_MIB * 256;   /* rows of 4 KiB */
    bn = bshape[0] * bshape[1];
    bbytes = bn * 4;
    printf("bench_ml_tensor: %d repetitions, small 10000x784 float32 (%.1f MB), big %zux1024 float32 (%.0f MiB), dir %s\n",
           REPS, sbytes / 1e6, bshape[0], bbytes / 1048576.0, dir);

    if (synadb_open(dbpath, NULL, &db)) die("open", NULL);
    small = (float *)xmalloc(sbytes);
    fill(small, sn);
    t0 = now();
    if (synadb_tensor_put(db, "train/", small, sshape, 2, SYNADB_DTYPE_FLOAT32)) die("put", db);
    put_small = sbytes / (now() - t0) / 1e9;
    write_file(npsmall, small, sbytes);

    /* get_tensor (allocating) and into a reused buffer */
    for (r = -1; r < REPS; r++) {
        t0 = now();
        if (synadb_tensor_get(db, "train/*", SYNADB_DTYPE_FLOAT32, &tt)) die("get", db);
        if (r >= 0) t[r] = now() - t0;
        if (r < 0 && (tt.nbytes != sbytes || memcmp(tt.data, small, sbytes))) valid_small = 0;
        synadb_tensor_free(db, &tt);
    }
    g_small = sbytes / bench_median(t, REPS) / 1e9;
    buf = (float *)xmalloc(sbytes);
    for (r = -1; r < REPS; r++) {
        t0 = now();
        if (synadb_tensor_get_into(db, "train/*", SYNADB_DTYPE_FLOAT32, buf, sbytes, &tt)) die("get_into", db);
        if (r >= 0) t[r] = now() - t0;
    }
    if (memcmp(buf, small, sbytes)) valid_small = 0;
    g_small_into = sbytes / bench_median(t, REPS) / 1e9;
    free(buf);

    /* streams: batches of 256 rows */
    {
        synadb_stream_options o;
        int sh;
        for (sh = 0; sh < 2; sh++) {
            synadb_tensor_stream *s;
            size_t cap, nb = 0, seen = 0;
            memset(&o, 0, sizeof o);
            o.shuffle = sh; o.seed = 1;
            if (synadb_tensor_stream_open(db, "train/*", SYNADB_DTYPE_FLOAT32, 256, &o, &s)) die("stream", db);
            cap = synadb_tensor_stream_batch_bytes(s);
            buf = (float *)xmalloc(cap);
            for (r = -1; r < REPS; r++) {
                synadb_tensor b;
                synadb_tensor_stream_reset(s, (uint64_t)(r + 1));
                nb = 0; seen = 0;
                t0 = now();
                for (;;) {
                    if (synadb_tensor_stream_next(s, buf, cap, &b)) die("stream_next", db);
                    if (!b.shape[0]) break;
                    nb++; seen += b.shape[0];
                }
                if (r >= 0) t[r] = now() - t0;
            }
            if (seen != 10000) valid_small = 0;
            add_row(sh ? "stream 256 rows, shuffled" : "stream 256 rows, key order", nb / bench_median(t, REPS), seen / bench_median(t, REPS), "batches/s", seen == 10000);
            free(buf);
            synadb_tensor_stream_close(s);
        }
    }

    /* the big chunked tensor */
    big = (float *)xmalloc(bbytes);
    fill(big, bn);
    t0 = now();
    if (synadb_tensor_put_chunked(db, "big", big, bshape, 2, SYNADB_DTYPE_FLOAT32, 0)) die("put_chunked", db);
    put_big = bbytes / (now() - t0) / 1e9;
    write_file(npbig, big, bbytes);
    for (r = -1; r < REPS; r++) {
        t0 = now();
        if (synadb_tensor_get_chunked(db, "big", SYNADB_DTYPE_FLOAT32, &tt)) die("get_chunked", db);
        if (r >= 0) t[r] = now() - t0;
        if (r < 0 && (tt.nbytes != bbytes || memcmp(tt.data, big, bbytes))) valid_big = 0;
        synadb_tensor_free(db, &tt);
    }
    g_big = bbytes / bench_median(t, REPS) / 1e9;
    free(big);   /* the output buffer takes its place */
    buf = (float *)xmalloc(bbytes);
    for (r = -1; r < REPS; r++) {
        t0 = now();
        if (synadb_tensor_get_chunked_into(db, "big", SYNADB_DTYPE_FLOAT32, buf, bbytes, &tt)) die("get_chunked_into", db);
        if (r >= 0) t[r] = now() - t0;
    }
    g_big_into = bbytes / bench_median(t, REPS) / 1e9;
    {   /* check against a regeneration of the source */
        uint64_t keep = rng;
        float *chk = (float *)xmalloc(1 << 20);
        size_t off;
        rng = 0x9E3779B97F4A7C15ull;
        fill(chk, sn < (1u << 18) ? sn : (1u << 18));   /* skip the small tensor's values */
        if (sn > (1u << 18)) { size_t left = sn - (1u << 18); while (left) { size_t k = left < (1u << 18) ? left : (1u << 18); fill(chk, k); left -= k; } }
        for (off = 0; off < bn; off += 1u << 18) {
            size_t k = bn - off < (1u << 18) ? bn - off : (1u << 18);
            fill(chk, k);
            if (memcmp(chk, buf + off, k * 4)) { valid_big = 0; break; }
        }
        free(chk);
        rng = keep;
    }
    free(buf);

    np_ok = run_numpy(npsmall, sbytes, npbig, bbytes, np) == 0;

    add_row("put_tensor 10000x784", put_small, 0, "", 1);
    add_row("put_tensor_chunked big", put_big, 0, "", 1);
    add_row("get_tensor 10000x784", g_small, 0, "", valid_small);
    add_row("get_tensor_into 10000x784", g_small_into, 0, "", valid_small);
    add_row("np_fromfile 10000x784", np[0], 0, "", np_ok);
    add_row("np_readinto 10000x784", np[1], 0, "", np_ok);
    add_row("get_tensor_chunked big", g_big, 0, "", valid_big);
    add_row("get_tensor_chunked_into big", g_big_into, 0, "", valid_big);
    add_row("np_fromfile big", np[2], 0, "", np_ok);
    add_row("np_readinto big", np[3], 0, "", np_ok);

    printf("\n=== tensors from the page cache, single thread, median of %d (%s) ===\n", REPS, USE_CPU ? "CPU time of the process" : "wall-clock time");
    printf("%-32s %12s %14s\n", "phase", "GB/s", "batches/s");
    for (i = 0; i < (size_t)nrows; i++) {
        if (rows[i].unit[0]) printf("%-32s %12s %14.0f  (%.0f rows/s)%s\n", rows[i].name, "", rows[i].gbps, rows[i].extra, rows[i].valid ? "" : "  INVALID");
        else printf("%-32s %12.3f %14s%s\n", rows[i].name, rows[i].gbps, "", rows[i].valid ? "" : "  INVALID");
    }
    printf("\n");
    if (np_ok) {
        printf("ratio get_tensor/np_fromfile 10000x784 %.3f\n", g_small / np[0]);
        printf("ratio get_tensor_into/np_readinto 10000x784 %.3f\n", g_small_into / np[1]);
        printf("ratio get_tensor_chunked/np_fromfile big %.3f\n", g_big / np[2]);
        printf("ratio get_tensor_chunked_into/np_readinto big %.3f\n", g_big_into / np[3]);
    } else printf("ratio get_tensor/np_fromfile unavailable (/usr/bin/python3 with numpy not found)\n");
    printf("ratio get_tensor/original_claim 10000x784 %.3f\n", g_small / 1.0);   /* the original claims "1+ GB/s" */
#define TARGET(label, val, goal) printf("target %-40s %8.3f (goal >= %g) %s\n", label, val, goal, (val) >= (goal) ? "PASS" : "FAIL")
    TARGET("get_tensor 10000x784 GB/s", g_small, 2.0);
    TARGET("get_tensor_chunked big GB/s", g_big, 2.0);
    if (!valid_small || !valid_big) printf("target %-40s FAIL\n", "data read back verified");
    synadb_close(db);
    remove(dbpath); remove(npsmall); remove(npbig);
    return 0;
}
