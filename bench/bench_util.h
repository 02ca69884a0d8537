/* bench_util.h - the clocks and the median shared by the benchmarks (C99 and C++). */
#ifndef SYNADB_BENCH_UTIL_H
#define SYNADB_BENCH_UTIL_H
#include <time.h>

#if defined(__GNUC__) || defined(__clang__)
#define BENCH_UNUSED __attribute__((unused))
#else
#define BENCH_UNUSED
#endif

/* Seconds on a clock: CLOCK_MONOTONIC (wall), CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID. */
BENCH_UNUSED static double bench_clock(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
BENCH_UNUSED static double bench_now(void) { return bench_clock(CLOCK_MONOTONIC); }

/* The median of v[0..n) (the mean of the middle two for even n; v is left as it is; n <= 64). */
BENCH_UNUSED static double bench_median(const double *v, int n) {
    double t[64];
    int i, j;
    if (n <= 0) return 0;
    if (n > 64) n = 64;
    for (i = 0; i < n; i++) {   /* insertion sort into t */
        for (j = i; j > 0 && t[j - 1] > v[i]; j--) t[j] = t[j - 1];
        t[j] = v[i];
    }
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}
#endif
