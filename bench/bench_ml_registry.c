/* bench_ml_registry.c - ModelRegistry save and load of a 1 GiB model, checksum included,
 * against SHA-256 alone (portable C and SHA-NI) and memcpy as the physical references.
 *
 *   cc -std=c99 -O2 -I. bench/bench_ml_registry.c -o build/bench_ml_registry -lpthread -lm
 *   ./build/bench_ml_registry [size_MiB (default 1024)] [reps (default 3)] [chunk_MiB (default 4)]
 *
 * The database lives in /dev/shm (tmpfs: the page cache, no device) when it is writable,
 * else /tmp; the line "dir" says which. Each save goes to a fresh database (durable
 * settings: the registry flushes at commit, on tmpfs that is cheap). Loads read the
 * version back into a caller buffer (synadb_registry_load_into) and verify its SHA-256.
 * Figures are medians of the repetitions, MB = 10^6 bytes.
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

/* CPU time of the process (user + system: the kernel's page work included). The machine
   is shared, so wall-clock rates swing with the load; CPU-time rates are the stable ones. */
typedef struct { double wall[16], cpu[16]; int n; } timing;
static void tstart(double *w, double *c) { *w = bench_now(); *c = bench_clock(CLOCK_PROCESS_CPUTIME_ID); }
static void tstop(timing *t, double w, double c) { t->wall[t->n] = bench_now() - w; t->cpu[t->n] = bench_clock(CLOCK_PROCESS_CPUTIME_ID) - c; t->n++; }
/* MB/s from the median wall and CPU times. */
static void rates(timing *t, size_t n, double *wall, double *cpu) {
    *wall = (double)n / bench_median(t->wall, t->n) / 1e6;
    *cpu = (double)n / bench_median(t->cpu, t->n) / 1e6;
}
static void sha_rate(synadb__sha256_fn fn, const uint8_t *p, size_t n, int reps, double *wall, double *cpu) {
    timing t;
    int r;
    t.n = 0;
    for (r = 0; r < reps; r++) {
        synadb_sha256_ctx c;
        uint8_t d[32];
        double w, cc;
        tstart(&w, &cc);
        synadb_sha256_init(&c);
        synadb__sha256_update_fn(&c, p, n, fn);
        synadb__sha256_final_fn(&c, d, fn);
        tstop(&t, w, cc);
        if (d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 0) printf(" ");   /* keep the result */
    }
    rates(&t, n, wall, cpu);
}

int main(int argc, char **argv) {
    size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 1024, n = mib << 20, i;
    int reps = argc > 2 ? atoi(argv[2]) : 3, r;
    uint32_t chunk_mib = argc > 3 ? (uint32_t)atoi(argv[3]) : 4;
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    char path[512];
    uint8_t *data, *back;
    uint64_t s = 0x243F6A8885A308D3ull;
    timing t_save, t_load, t_cpy;
    double w0, c0, portable[2], shani[2] = {0, 0}, best, save[2], load[2], cpy[2];
    const char *impl;
    synadb__sha256_fn fast;
    if (reps < 1 || reps > 15 || !mib || !chunk_mib) { fprintf(stderr, "usage: %s [size_MiB] [reps 1..15] [chunk_MiB]\n", argv[0]); return 2; }
    snprintf(path, sizeof path, "%s/bench-ml-registry-%d.db", dir, (int)getpid());
    data = (uint8_t *)malloc(n);
    back = (uint8_t *)malloc(n);
    if (!data || !back) { fprintf(stderr, "out of memory\n"); return 1; }
    for (i = 0; i + 8 <= n; i += 8) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; memcpy(data + i, &s, 8); }
    memset(back, 0, n);   /* touch the pages */
    printf("bench_ml_registry: model %zu MiB, chunks of %u MiB, %d repetitions (median), dir %s (%s)\n",
           mib, chunk_mib, reps, dir, strcmp(dir, "/dev/shm") ? "disk" : "tmpfs, page cache only");

    /* references: memcpy and SHA-256 alone */
    t_save.n = t_load.n = t_cpy.n = 0;
    for (r = 0; r < reps; r++) { tstart(&w0, &c0); memcpy(back, data, n); tstop(&t_cpy, w0, c0); }
    rates(&t_cpy, n, &cpy[0], &cpy[1]);
    {
        size_t pn = n < ((size_t)256 << 20) ? n : ((size_t)256 << 20);   /* portable is slow: 256 MiB is enough */
        sha_rate(synadb__sha256_blocks_portable, data, pn, reps, &portable[0], &portable[1]);
    }
    fast = synadb__sha256_pick(&impl);
    if (fast != synadb__sha256_blocks_portable) sha_rate(fast, data, n, reps, &shani[0], &shani[1]);
    best = shani[1] > 0 ? shani[1] : portable[1];

    for (r = 0; r < reps; r++) {
        synadb_registry *reg = NULL;
        synadb_registry_config cfg;
        uint32_t ver = 0;
        size_t len = 0;
        memset(&cfg, 0, sizeof cfg);
        cfg.chunk_size = chunk_mib << 20;
        remove(path);
        if (synadb_registry_open(path, &cfg, &reg)) { fprintf(stderr, "open failed\n"); return 1; }
        tstart(&w0, &c0);
        if (synadb_registry_save(reg, "model", data, n, NULL, NULL, 0, &ver, NULL)) { fprintf(stderr, "save: %s\n", synadb_registry_errmsg(reg)); return 1; }
        tstop(&t_save, w0, c0);
        memset(back, 0, 4096);
        tstart(&w0, &c0);
        if (synadb_registry_load_into(reg, "model", 0, back, n, &len, NULL)) { fprintf(stderr, "load: %s\n", synadb_registry_errmsg(reg)); return 1; }
        tstop(&t_load, w0, c0);
        if (len != n || memcmp(back, data, n)) { fprintf(stderr, "load returned other bytes\n"); return 1; }
        synadb_registry_close(reg);
    }
    remove(path);
    rates(&t_save, n, &save[0], &save[1]);
    rates(&t_load, n, &load[0], &load[1]);

    printf("\n| operation (%zu MiB)                     | MB/s wall | MB/s CPU time |\n", mib);
    printf("|-----------------------------------------|-----------|---------------|\n");
    printf("| memcpy (reference)                      | %9.0f | %13.0f |\n", cpy[0], cpy[1]);
    printf("| SHA-256 portable C                      | %9.0f | %13.0f |\n", portable[0], portable[1]);
    if (shani[1] > 0) printf("| SHA-256 %-31s | %9.0f | %13.0f |\n", impl, shani[0], shani[1]);
    printf("| registry save (chunks + SHA-256 + sync) | %9.0f | %13.0f |\n", save[0], save[1]);
    printf("| registry load_into (+ SHA-256 verify)   | %9.0f | %13.0f |\n", load[0], load[1]);
    printf("\n(ratios from CPU time)\n");
    printf("ratio save_vs_sha256_%s %.2f\n", shani[1] > 0 ? impl : "portable", save[1] / best);
    printf("ratio load_vs_sha256_%s %.2f\n", shani[1] > 0 ? impl : "portable", load[1] / best);
    if (shani[1] > 0) printf("ratio sha256_shani_vs_portable %.2f\n", shani[1] / portable[1]);
    printf("ratio save_seconds_per_gib_wall %.3f\n", (double)(1u << 30) / (save[0] * 1e6));
    printf("ratio load_seconds_per_gib_wall %.3f\n", (double)(1u << 30) / (load[0] * 1e6));
    free(data); free(back);
    return 0;
}
