/* test_ml_tensor.c - the TensorEngine and GPU parts of synadb_ml.h, and synadb_get_view:
 *  - float16/bfloat16 conversions against an oracle that searches the table of every
 *    16-bit value for the nearest one (ties to the even pattern, long double arithmetic);
 *    every dtype pair of synadb_dtype_convert against a scalar oracle, range errors at the
 *    first bad element;
 *  - property: random ranks, shapes and dtypes put and get back bit for bit, and get with
 *    every other dtype equals the oracle's conversion;
 *  - layout: "train/" gives train/00000000...; rank-1 tensors are plain FLOAT/INT values;
 *    values written one by one with the core API load as scalars; re-putting fewer rows
 *    leaves none of the old ones; keys/delete with globs;
 *  - errors: text/null values, rows of different shapes (the message names the key), raw
 *    bytes not a whole number of elements, NULLs, rank 0, rank 33, overflowing shapes,
 *    unknown dtypes, too many rows, buffers too small, nothing matching;
 *  - chunked: round trips over chunk sizes, metadata, re-put with fewer chunks deletes the
 *    old ones, a changed byte gives SYNADB_ERR_CHECKSUM (file flipped and reopened; bytes
 *    changed under the record CRC with read checksums off), kill -9 during chunked puts
 *    (fork): after reopen the tensor is one complete version or absent, never a mix;
 *  - streams: batches equal the rows, a seed gives the same order, shards are disjoint and
 *    cover every row, drop_last, epochs, small buffers;
 *  - zero-copy views (synadb_get_view, rows, chunks), UNSUPPORTED with LZ4 or without mmap;
 *  - the ABI (SYNA_tensor_get/put/free_tensor_data and the extra exports) on syna_open;
 *  - GPU calls: without SYNA_GPU_CUDA "GPU not compiled in"; with it (a machine without a
 *    device) either the data on the device equals the CPU result or GPU_UNAVAILABLE;
 *  - threads: readers of one tensor while a writer grows the file (argument "threads" runs
 *    only that, for ThreadSanitizer).
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_ml.h"
#include "testing.h"

#include <math.h>
#include <float.h>
#if TEST_HAVE_PROCESSES
#include <signal.h>
#include <sys/wait.h>
#include <pthread.h>
#include <fcntl.h>
#endif

#ifndef TEST_NO_MMAP
#define TEST_NO_MMAP 0
#endif

static char g_path[512];
static synadb_db *open_db(const char *name, int fresh) {
    synadb_config c = synadb_config_default();
    synadb_db *db = NULL;
    test_path(g_path, sizeof g_path, name);
    (void)fresh;
    c.no_mmap = TEST_NO_MMAP;
    if (synadb_open(g_path, &c, &db)) return NULL;
    return db;
}
/* does this handle map the file (no on emscripten or with no_mmap)? */
static int mapped(synadb_db *db) {
    synadb_stats st;
    memset(&st, 0, sizeof st);
    return db && synadb_stats_get(db, &st) == SYNADB_OK && st.mmap;
}
static synadb_db *reopen_cfg(const char *path, const synadb_config *cfg) {
    synadb_db *db = NULL;
    synadb_config c = cfg ? *cfg : synadb_config_default();
    if (!cfg) c.no_mmap = TEST_NO_MMAP;
    if (synadb_open(path, &c, &db)) return NULL;
    return db;
}

/* ---- the float16 / bfloat16 oracle ---- */
static long double dec16(uint16_t h, int bf) {   /* the value of a 16-bit pattern */
    int sign = h >> 15;
    long double v;
    if (bf) {
        int e = (h >> 7) & 0xff, m = h & 0x7f;
        if (e == 0) v = ldexpl((long double)m, -133);
        else v = ldexpl((long double)(m + 128), e - 134);
    } else {
        int e = (h >> 10) & 31, m = h & 1023;
        if (e == 0) v = ldexpl((long double)m, -24);
        else v = ldexpl((long double)(m + 1024), e - 25);
    }
    return sign ? -v : v;
}
static long double tab16[2][0x8000];
static int ntab16[2];
static void build_tab16(void) {
    int bf;
    for (bf = 0; bf < 2; bf++) {
        unsigned h, lim = bf ? 0x7f80u : 0x7c00u;   /* finite non-negative patterns, ascending */
        ntab16[bf] = 0;
        for (h = 0; h < lim; h++) tab16[bf][ntab16[bf]++] = dec16((uint16_t)h, bf);
    }
}
/* Oracle: nearest pattern, ties to even, overflow past max + half ulp to infinity. */
static uint16_t ref16(long double x, int bf) {
    uint16_t sign = signbit(x) ? 0x8000u : 0;
    long double a = fabsl(x), maxv, halfulp;
    int lo = 0, hi, n = ntab16[bf];
    if (x != x) return 0;
    maxv = tab16[bf][n - 1];
    halfulp = (maxv - tab16[bf][n - 2]) / 2;
    if (a >= maxv + halfulp) return (uint16_t)(sign | (bf ? 0x7f80u : 0x7c00u));
    hi = n - 1;
    while (lo < hi) { int mid = (lo + hi) / 2; if (tab16[bf][mid] < a) lo = mid + 1; else hi = mid; }
    /* tab[lo] >= a, tab[lo-1] < a */
    if (lo > 0) {
        long double d1 = a - tab16[bf][lo - 1], d2 = tab16[bf][lo] - a;
        if (d1 < d2 || (d1 == d2 && ((lo - 1) & 1) == 0)) lo--;
    }
    return (uint16_t)(sign | lo);
}
static double rand_double_wide(void) {
    /* magnitudes across the float16 and bfloat16 ranges, plus exact halfway points */
    int kind = (int)(test_rand() % 6);
    double s = (test_rand() & 1) ? -1.0 : 1.0;
    if (kind == 0) return s * ldexp(test_unit() + 1.0, (int)(test_rand() % 60) - 30);
    if (kind == 1) return s * ldexp(test_unit() + 1.0, (int)(test_rand() % 280) - 140);
    if (kind == 2) { /* halfway between two float16 values */
        int i = (int)(test_rand() % (unsigned)(ntab16[0] - 1));
        return s * (double)((tab16[0][i] + tab16[0][i + 1]) / 2);
    }
    if (kind == 3) { int i = (int)(test_rand() % (unsigned)(ntab16[1] - 1)); return s * (double)((tab16[1][i] + tab16[1][i + 1]) / 2); }
    if (kind == 4) return s * (65504.0 + test_unit() * 40.0);
    return s * test_unit() * 1e-7;
}

static void test_half_conversions(void) {
    int i, bad = 0;
    build_tab16();
    CHECK_EQ(synadb_f32_to_f16(1.0f), 0x3c00);
    CHECK_EQ(synadb_f32_to_f16(-2.0f), 0xc000);
    CHECK_EQ(synadb_f32_to_f16(65504.0f), 0x7bff);
    CHECK_EQ(synadb_f32_to_f16(65519.99f), 0x7bff);
    CHECK_EQ(synadb_f32_to_f16(65520.0f), 0x7c00);
    CHECK_EQ(synadb_f64_to_f16(1.0 + ldexp(1, -11)), 0x3c00);          /* tie, to even */
    CHECK_EQ(synadb_f64_to_f16(1.0 + 3 * ldexp(1, -11)), 0x3c02);
    CHECK_EQ(synadb_f64_to_f16(ldexp(1, -24)), 0x0001);
    CHECK_EQ(synadb_f64_to_f16(ldexp(1, -25)), 0x0000);                 /* tie with 0 */
    CHECK_EQ(synadb_f64_to_f16(ldexp(1.5, -25)), 0x0001);
    CHECK_EQ(synadb_f64_to_f16(-0.0), 0x8000);
    CHECK_EQ(synadb_f64_to_f16(INFINITY), 0x7c00);
    CHECK((synadb_f64_to_f16(NAN) & 0x7c00) == 0x7c00 && (synadb_f64_to_f16(NAN) & 0x3ff));
    CHECK_EQ(synadb_f32_to_bf16(1.0f), 0x3f80);
    CHECK_EQ(synadb_f64_to_bf16(1.0 + ldexp(1, -8)), 0x3f80);
    CHECK_EQ(synadb_f64_to_bf16(1.0 + 3 * ldexp(1, -8)), 0x3f82);
    CHECK_EQ(synadb_f64_to_bf16(1e39), 0x7f80);
    CHECK((synadb_f32_to_bf16(NAN) & 0x7f80) == 0x7f80 && (synadb_f32_to_bf16(NAN) & 0x7f));
    CHECK(isnan(synadb_f16_to_f32(0x7e00)) && isnan(synadb_bf16_to_f32(0x7fc0)));
    /* every pattern decodes to the oracle's value and encodes back to itself */
    for (i = 0; i < 0x10000; i++) {
        uint16_t h = (uint16_t)i;
        int fin16 = (h & 0x7c00) != 0x7c00, finb = (h & 0x7f80) != 0x7f80;
        if (fin16 && ((long double)synadb_f16_to_f32(h) != dec16(h, 0) || synadb_f32_to_f16(synadb_f16_to_f32(h)) != h)) bad++;
        if (finb && ((long double)synadb_bf16_to_f32(h) != dec16(h, 1) || synadb_f32_to_bf16(synadb_bf16_to_f32(h)) != h ||
                     synadb_f64_to_bf16(synadb_bf16_to_f32(h)) != h)) bad++;
    }
    CHECK_EQ(bad, 0);
    /* random doubles and floats against the table search */
    for (i = 0; i < 200000; i++) {
        double x = rand_double_wide();
        float f = (float)x;
        if (synadb_f64_to_f16(x) != ref16(x, 0)) { if (bad++ < 5) fprintf(stderr, "f64->f16 %.17g: %04x vs %04x\n", x, synadb_f64_to_f16(x), ref16(x, 0)); }
        if (synadb_f64_to_bf16(x) != ref16(x, 1)) { if (bad++ < 5) fprintf(stderr, "f64->bf16 %.17g: %04x vs %04x\n", x, synadb_f64_to_bf16(x), ref16(x, 1)); }
        if (synadb_f32_to_f16(f) != ref16(f, 0)) { if (bad++ < 5) fprintf(stderr, "f32->f16 %.9g\n", (double)f); }
        if (synadb_f32_to_bf16(f) != ref16(f, 1)) { if (bad++ < 5) fprintf(stderr, "f32->bf16 %.9g\n", (double)f); }
    }
    CHECK_EQ(bad, 0);
}

/* ---- the scalar conversion oracle ---- */
static const synadb_dtype all_dt[7] = {SYNADB_DTYPE_FLOAT32, SYNADB_DTYPE_FLOAT64, SYNADB_DTYPE_INT32, SYNADB_DTYPE_INT64,
                                       SYNADB_DTYPE_FLOAT16, SYNADB_DTYPE_BFLOAT16, SYNADB_DTYPE_UINT8};
/* element i of an array as an exact long double (every dtype fits) */
static long double elem_ld(const void *a, synadb_dtype t, size_t i) {
    const unsigned char *p = (const unsigned char *)a;
    switch (t) {
    case SYNADB_DTYPE_FLOAT32: { float f; memcpy(&f, p + 4 * i, 4); return f; }
    case SYNADB_DTYPE_FLOAT64: { double f; memcpy(&f, p + 8 * i, 8); return f; }
    case SYNADB_DTYPE_INT32: { int32_t v; memcpy(&v, p + 4 * i, 4); return v; }
    case SYNADB_DTYPE_INT64: { int64_t v; memcpy(&v, p + 8 * i, 8); return (long double)v; }
    case SYNADB_DTYPE_FLOAT16: { uint16_t h; memcpy(&h, p + 2 * i, 2); return (h & 0x7c00) == 0x7c00 ? ((h & 0x3ff) ? NAN : (h & 0x8000) ? -INFINITY : INFINITY) : dec16(h, 0); }
    case SYNADB_DTYPE_BFLOAT16: { uint16_t h; memcpy(&h, p + 2 * i, 2); return (h & 0x7f80) == 0x7f80 ? ((h & 0x7f) ? NAN : (h & 0x8000) ? -INFINITY : INFINITY) : dec16(h, 1); }
    default: return p[i];
    }
}
/* expected bytes of one element converted; 0 ok, -1 not convertible */
static int ref_convert(long double x, synadb_dtype t, unsigned char *out) {
    switch (t) {
    case SYNADB_DTYPE_FLOAT32: { float f = (float)x; memcpy(out, &f, 4); return 0; }
    case SYNADB_DTYPE_FLOAT64: { double f = (double)x; memcpy(out, &f, 8); return 0; }
    case SYNADB_DTYPE_FLOAT16: case SYNADB_DTYPE_BFLOAT16: {
        int bf = t == SYNADB_DTYPE_BFLOAT16;
        uint16_t h;
        if (x != x) { unsigned char b[2]; (void)b; memset(out, 0xff, 2); return 0; }   /* NaN: compared as "is NaN" */
        if (isinf(x)) h = (uint16_t)((x < 0 ? 0x8000u : 0) | (bf ? 0x7f80u : 0x7c00u));
        else h = ref16(x, bf);
        memcpy(out, &h, 2);
        return 0;
    }
    default: {
        long double tr;
        if (x != x || isinf(x)) return -1;
        tr = truncl(x);
        if (t == SYNADB_DTYPE_INT32) { int32_t v; if (tr < -2147483648.0L || tr > 2147483647.0L) return -1; v = (int32_t)tr; memcpy(out, &v, 4); }
        else if (t == SYNADB_DTYPE_INT64) { int64_t v; if (tr < -9223372036854775808.0L || tr > 9223372036854775807.0L) return -1; v = (int64_t)tr; memcpy(out, &v, 8); }
        else { if (tr < 0 || tr > 255) return -1; out[0] = (unsigned char)tr; }
        return 0;
    }
    }
}
static int elem_matches(const unsigned char *got, const unsigned char *want, synadb_dtype t) {
    size_t es = synadb_dtype_size(t);
    if (t == SYNADB_DTYPE_FLOAT16 || t == SYNADB_DTYPE_BFLOAT16) {
        uint16_t g, w;
        memcpy(&g, got, 2); memcpy(&w, want, 2);
        if (w == 0xffff) return t == SYNADB_DTYPE_FLOAT16 ? ((g & 0x7c00) == 0x7c00 && (g & 0x3ff)) : ((g & 0x7f80) == 0x7f80 && (g & 0x7f));
        return g == w;
    }
    if (t == SYNADB_DTYPE_FLOAT32) { float g, w; memcpy(&g, got, 4); memcpy(&w, want, 4); if (g != g && w != w) return 1; }
    if (t == SYNADB_DTYPE_FLOAT64) { double g, w; memcpy(&g, got, 8); memcpy(&w, want, 8); if (g != g && w != w) return 1; }
    return memcmp(got, want, es) == 0;
}
/* random elements of t (all finite for integer-friendly cases when tame) */
static void fill_random(void *a, synadb_dtype t, size_t n, int tame) {
    unsigned char *p = (unsigned char *)a;
    size_t i;
    for (i = 0; i < n; i++) {
        switch (t) {
        case SYNADB_DTYPE_FLOAT32: { float f = tame ? (float)(test_frand() * 200) : (float)rand_double_wide(); if (!tame && test_rand() % 50 == 0) f = (float)NAN; memcpy(p + 4 * i, &f, 4); break; }
        case SYNADB_DTYPE_FLOAT64: { double f = tame ? test_frand() * 200 : rand_double_wide() * (test_rand() % 4 == 0 ? 1e15 : 1); if (!tame && test_rand() % 50 == 0) f = INFINITY; memcpy(p + 8 * i, &f, 8); break; }
        case SYNADB_DTYPE_INT32: { int32_t v = tame ? (int32_t)(test_rand() % 201) - 100 : (int32_t)(uint32_t)test_rand(); memcpy(p + 4 * i, &v, 4); break; }
        case SYNADB_DTYPE_INT64: { int64_t v = tame ? (int64_t)(test_rand() % 201) - 100 : (int64_t)(test_rand() >> (test_rand() % 64)); if (!tame && (test_rand() & 1)) v = -v; memcpy(p + 8 * i, &v, 8); break; }
        case SYNADB_DTYPE_FLOAT16: { uint16_t h = tame ? synadb_f32_to_f16((float)(test_frand() * 200)) : (uint16_t)test_rand(); memcpy(p + 2 * i, &h, 2); break; }
        case SYNADB_DTYPE_BFLOAT16: { uint16_t h = tame ? synadb_f32_to_bf16((float)(test_frand() * 200)) : (uint16_t)test_rand(); memcpy(p + 2 * i, &h, 2); break; }
        default: p[i] = (unsigned char)test_rand(); break;
        }
    }
}

static void test_convert_oracle(void) {
    int a, b, round, bad = 0;
    unsigned char src[8 * 700], dst[8 * 700], want[8];
    for (round = 0; round < 20; round++)
        for (a = 0; a < 7; a++)
            for (b = 0; b < 7; b++) {
                size_t n = 1 + test_rand() % 600, i, badi = 0, expect_bad = (size_t)-1;
                synadb_dtype st = all_dt[a], dt = all_dt[b];
                synadb_result r;
                fill_random(src, st, n, round % 2);
                for (i = 0; i < n; i++) if (ref_convert(elem_ld(src, st, i), dt, want)) { expect_bad = i; break; }
                r = synadb_dtype_convert(dst, dt, src, st, n, &badi);
                if (expect_bad != (size_t)-1) {
                    if (r != SYNADB_ERR_DTYPE || badi != expect_bad) { if (bad++ < 5) fprintf(stderr, "%s->%s: expected a range error at %zu, got %d at %zu\n", synadb_dtype_name(st), synadb_dtype_name(dt), expect_bad, r, badi); }
                    n = expect_bad;   /* the elements before it are converted */
                } else if (r) { bad++; continue; }
                for (i = 0; i < n; i++) {
                    ref_convert(elem_ld(src, st, i), dt, want);
                    if (!elem_matches(dst + i * synadb_dtype_size(dt), want, dt)) {
                        if (bad++ < 5) fprintf(stderr, "%s->%s element %zu (%.20Lg) wrong\n", synadb_dtype_name(st), synadb_dtype_name(dt), i, elem_ld(src, st, i));
                        break;
                    }
                }
            }
    CHECK_EQ(bad, 0);
    CHECK_EQ(synadb_dtype_convert(dst, (synadb_dtype)9, src, SYNADB_DTYPE_FLOAT32, 1, NULL), SYNADB_ERR_DTYPE);
    CHECK_EQ(synadb_dtype_convert(dst, SYNADB_DTYPE_FLOAT32, src, (synadb_dtype)-1, 1, NULL), SYNADB_ERR_DTYPE);
    CHECK_EQ(synadb_dtype_convert(NULL, SYNADB_DTYPE_FLOAT32, src, SYNADB_DTYPE_INT32, 1, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_dtype_convert(NULL, SYNADB_DTYPE_FLOAT32, NULL, SYNADB_DTYPE_INT32, 0, NULL));
    {   /* int64 beyond 2^53 to float types: rounded once, from the exact integer */
        int64_t v = (int64_t)((1ull << 62) + (1ull << 38) + 1);   /* just above a float32 tie */
        float f;
        double d;
        CHECK_OK(synadb_dtype_convert(&f, SYNADB_DTYPE_FLOAT32, &v, SYNADB_DTYPE_INT64, 1, NULL));
        CHECK(f == ldexpf(1.0f, 62) + ldexpf(1.0f, 39));
        v = (int64_t)((1ull << 62) + (1ull << 9));                /* a float64 tie: to even */
        CHECK_OK(synadb_dtype_convert(&d, SYNADB_DTYPE_FLOAT64, &v, SYNADB_DTYPE_INT64, 1, NULL));
        CHECK(d == ldexp(1.0, 62));
    }
}

/* ---- put / get ---- */
static size_t prod(const size_t *s, size_t r) { size_t n = 1, i; for (i = 0; i < r; i++) n *= s[i]; return n; }

static void test_roundtrip_property(void) {
    synadb_db *db = open_db("prop.db", 1);
    int round, bad = 0;
    CHECK(db != NULL);
    if (!db) return;
    for (round = 0; round < 120; round++) {
        size_t shape[5], rank = 1 + test_rand() % 4, i, n, es, b;
        synadb_dtype dt = all_dt[test_rand() % 7];
        char prefix[32];
        unsigned char *data;
        synadb_tensor t;
        shape[0] = 1 + test_rand() % 40;
        for (i = 1; i < rank; i++) shape[i] = test_rand() % 5 == 0 ? 1 : 1 + test_rand() % 7;
        n = prod(shape, rank);
        es = synadb_dtype_size(dt);
        data = (unsigned char *)malloc(n * es + 1);
        fill_random(data, dt, n, 0);
        if (dt == SYNADB_DTYPE_FLOAT64 && rank == 1) for (i = 0; i < n; i++) { double x; memcpy(&x, data + 8 * i, 8); if (x != x) { x = 1; memcpy(data + 8 * i, &x, 8); } }
        snprintf(prefix, sizeof prefix, "p%d/", round);
        if (synadb_tensor_put(db, prefix, data, shape, rank, dt)) { bad++; free(data); continue; }
        snprintf(prefix, sizeof prefix, "p%d/*", round);
        if (synadb_tensor_get(db, prefix, dt, &t)) { bad++; fprintf(stderr, "get: %s\n", synadb_errmsg(db)); free(data); continue; }
        if (t.rank != rank || t.count != n || t.nbytes != n * es || t.dtype != dt) bad++;
        for (i = 0; i < rank && i < t.rank; i++) if (t.shape[i] != shape[i]) bad++;
        if (t.nbytes == n * es) {   /* bit for bit; NaN payloads of rank-1 floats pass through double */
            for (i = 0; i < n; i++) {
                unsigned char *g = (unsigned char *)t.data + i * es;
                long double gv = elem_ld(g, dt, 0), wv = elem_ld(data, dt, i);
                if (rank == 1 && gv != gv && wv != wv) continue;   /* rank 1 goes through FLOAT values: NaN stays NaN, its payload may not */
                if (memcmp(g, data + i * es, es)) { bad++; fprintf(stderr, "round %d (%s rank %zu) elem %zu differs\n", round, synadb_dtype_name(dt), rank, i); break; }
            }
        }
        synadb_tensor_free(db, &t);
        /* every other dtype: the oracle's conversion, or the first range error */
        for (b = 0; b < 7; b++) {
            synadb_dtype d2 = all_dt[b];
            unsigned char want[8];
            size_t expect_bad = (size_t)-1;
            synadb_result r;
            for (i = 0; i < n; i++) if (ref_convert(elem_ld(data, dt, i), d2, want)) { expect_bad = i; break; }
            r = synadb_tensor_get(db, prefix, d2, &t);
            if (expect_bad != (size_t)-1) { if (r != SYNADB_ERR_DTYPE || !strstr(synadb_errmsg(db), "does not fit")) bad++; continue; }
            if (r) { bad++; continue; }
            for (i = 0; i < n; i++) {
                ref_convert(elem_ld(data, dt, i), d2, want);
                if (!elem_matches((unsigned char *)t.data + i * synadb_dtype_size(d2), want, d2)) { bad++; break; }
            }
            synadb_tensor_free(db, &t);
        }
        free(data);
    }
    CHECK_EQ(bad, 0);
    synadb_close(db);
    remove(g_path);
}

static void test_layout_and_keys(void) {
    synadb_db *db = open_db("layout.db", 1);
    float x[3 * 4];
    int32_t v[5] = {1, -2, 3, -4, 5};
    size_t s2[2] = {3, 4}, s1[1] = {5}, i, cnt = 0;
    synadb_keylist kl;
    synadb_type ty;
    synadb_tensor t;
    int64_t iv = 0;
    CHECK(db != NULL);
    if (!db) return;
    for (i = 0; i < 12; i++) x[i] = (float)i * 0.5f;
    CHECK_OK(synadb_tensor_put(db, "train/", x, s2, 2, SYNADB_DTYPE_FLOAT32));
    CHECK_OK(synadb_tensor_keys(db, "train/*", &kl));
    CHECK_EQ(kl.count, 3);
    if (kl.count == 3) { CHECK(!strcmp(kl.keys[0], "train/00000000")); CHECK(!strcmp(kl.keys[2], "train/00000002")); }
    synadb_keylist_free(db, &kl);
    CHECK_OK(synadb_get_type(db, "train/00000001", SYNADB_NTS, &ty));
    CHECK_EQ(ty, SYNADB_TYPE_BYTES);
    /* a rank-1 tensor: plain INT values readable by the core API */
    CHECK_OK(synadb_tensor_put(db, "lab/", v, s1, 1, SYNADB_DTYPE_INT32));
    CHECK_OK(synadb_get_int(db, "lab/00000003", SYNADB_NTS, &iv));
    CHECK_EQ(iv, -4);
    CHECK_OK(synadb_tensor_get(db, "lab/*", SYNADB_DTYPE_INT32, &t));
    CHECK_EQ(t.rank, 1); CHECK_EQ(t.shape[0], 5);
    if (!t.data) { CHECK(0); } else CHECK(!memcmp(t.data, v, sizeof v));
    synadb_tensor_free(db, &t);
    /* glob classes and '?' */
    CHECK_OK(synadb_tensor_get(db, "train/0000000[02]", SYNADB_DTYPE_FLOAT64, &t));
    CHECK_EQ(t.shape[0], 2); CHECK_EQ(t.shape[1], 4);
    if (t.data) CHECK(((double *)t.data)[4] == 4.0);
    synadb_tensor_free(db, &t);
    CHECK_OK(synadb_tensor_get(db, "lab/0000000?", SYNADB_DTYPE_INT64, &t));
    CHECK_EQ(t.count, 5);
    synadb_tensor_free(db, &t);
    /* re-put with fewer rows: the old rows past the end are gone, in the same batch */
    CHECK_OK(synadb_tensor_put(db, "lab/", v, s1, 1, SYNADB_DTYPE_INT32));
    s1[0] = 2;
    CHECK_OK(synadb_tensor_put(db, "lab/", v + 3, s1, 1, SYNADB_DTYPE_INT32));
    CHECK_OK(synadb_tensor_get(db, "lab/*", SYNADB_DTYPE_INT32, &t));
    CHECK_EQ(t.count, 2);
    if (t.data) CHECK(((int32_t *)t.data)[1] == 5);
    synadb_tensor_free(db, &t);
    s1[0] = 0;   /* zero rows: deletes every row */
    CHECK_OK(synadb_tensor_put(db, "lab/", NULL, s1, 1, SYNADB_DTYPE_INT32));
    CHECK_EQ(synadb_tensor_get(db, "lab/*", SYNADB_DTYPE_INT32, &t), SYNADB_ERR_KEY_NOT_FOUND);
    /* prefixes with glob characters are escaped when looking for old rows */
    s1[0] = 3;
    CHECK_OK(synadb_tensor_put(db, "we[ird]*/", v, s1, 1, SYNADB_DTYPE_INT32));
    s1[0] = 1;
    CHECK_OK(synadb_tensor_put(db, "we[ird]*/", v, s1, 1, SYNADB_DTYPE_INT32));
    CHECK_OK(synadb_tensor_keys(db, "we\\[ird\\]\\*/*", &kl));
    CHECK_EQ(kl.count, 1);
    synadb_keylist_free(db, &kl);
    /* delete(pattern) */
    CHECK_OK(synadb_tensor_delete(db, "train/0000000[01]", &cnt));
    CHECK_EQ(cnt, 2);
    CHECK_OK(synadb_tensor_delete(db, "nothing/*", &cnt));
    CHECK_EQ(cnt, 0);
    CHECK_OK(synadb_tensor_get(db, "train/*", SYNADB_DTYPE_FLOAT32, &t));
    CHECK_EQ(t.shape[0], 1);
    if (t.data) CHECK(((float *)t.data)[0] == 4.0f);
    synadb_tensor_free(db, &t);
    synadb_close(db);
    remove(g_path);
}

static void test_core_values_and_errors(void) {
    synadb_db *db = open_db("core.db", 1);
    synadb_tensor t;
    char key[32];
    int i;
    float row[3] = {1, 2, 3};
    CHECK(db != NULL);
    if (!db) return;
    for (i = 0; i < 100; i++) { snprintf(key, sizeof key, "sensor/%04d", i); CHECK_OK(synadb_put_float(db, key, SYNADB_NTS, i * 0.1)); }
    CHECK_OK(synadb_tensor_get(db, "sensor/*", SYNADB_DTYPE_FLOAT64, &t));
    CHECK_EQ(t.rank, 1); CHECK_EQ(t.shape[0], 100);
    if (t.data) { CHECK(((double *)t.data)[37] == 37 * 0.1); CHECK(((double *)t.data)[99] == 99 * 0.1); }
    synadb_tensor_free(db, &t);
    CHECK_OK(synadb_tensor_get(db, "sensor/*", SYNADB_DTYPE_INT32, &t));   /* truncation toward zero */
    if (t.data) CHECK(((int32_t *)t.data)[99] == 9 && ((int32_t *)t.data)[5] == 0);
    synadb_tensor_free(db, &t);
    /* ints and floats mix (both are scalars) */
    CHECK_OK(synadb_put_int(db, "sensor/0100", SYNADB_NTS, 7));
    CHECK_OK(synadb_tensor_get(db, "sensor/*", SYNADB_DTYPE_FLOAT32, &t));
    CHECK_EQ(t.count, 101);
    if (t.data) CHECK(((float *)t.data)[100] == 7.0f);
    synadb_tensor_free(db, &t);
    /* NaN to an integer dtype: an error naming the key */
    CHECK_OK(synadb_put_float(db, "sensor/0050", SYNADB_NTS, NAN));
    CHECK_EQ(synadb_tensor_get(db, "sensor/*", SYNADB_DTYPE_INT64, &t), SYNADB_ERR_DTYPE);
    CHECK(strstr(synadb_errmsg(db), "sensor/0050") != NULL);
    CHECK(t.data == NULL);
    CHECK_OK(synadb_put_float(db, "sensor/0050", SYNADB_NTS, 300.0));
    CHECK_EQ(synadb_tensor_get(db, "sensor/*", SYNADB_DTYPE_UINT8, &t), SYNADB_ERR_DTYPE);
    /* text and null: clear errors, never skipped */
    CHECK_OK(synadb_put_text(db, "sensor/0042", SYNADB_NTS, "hello", SYNADB_NTS));
    CHECK_EQ(synadb_tensor_get(db, "sensor/*", SYNADB_DTYPE_FLOAT64, &t), SYNADB_ERR_TYPE_MISMATCH);
    CHECK(strstr(synadb_errmsg(db), "sensor/0042") != NULL && strstr(synadb_errmsg(db), "text") != NULL);
    CHECK_OK(synadb_put_null(db, "sensor/0042", SYNADB_NTS));
    CHECK_EQ(synadb_tensor_get(db, "sensor/*", SYNADB_DTYPE_FLOAT64, &t), SYNADB_ERR_TYPE_MISMATCH);
    CHECK(strstr(synadb_errmsg(db), "null") != NULL);
    /* a vector among scalars: shapes differ, the message names the key */
    CHECK_OK(synadb_put_vector(db, "sensor/0042", SYNADB_NTS, row, 3));
    CHECK_EQ(synadb_tensor_get(db, "sensor/*", SYNADB_DTYPE_FLOAT64, &t), SYNADB_ERR_SHAPE);
    CHECK(strstr(synadb_errmsg(db), "sensor/0042") != NULL);
    /* vectors are float32 rows */
    CHECK_OK(synadb_put_vector(db, "vec/a", SYNADB_NTS, row, 3));
    CHECK_OK(synadb_put_vector(db, "vec/b", SYNADB_NTS, row, 3));
    CHECK_OK(synadb_tensor_get(db, "vec/*", SYNADB_DTYPE_FLOAT64, &t));
    CHECK_EQ(t.rank, 2); CHECK_EQ(t.shape[0], 2); CHECK_EQ(t.shape[1], 3);
    if (t.data) CHECK(((double *)t.data)[5] == 3.0);
    synadb_tensor_free(db, &t);
    /* raw bytes: elements of the dtype asked for */
    {
        int32_t raw[4] = {10, 20, 30, 40};
        CHECK_OK(synadb_put_bytes(db, "raw/0", SYNADB_NTS, raw, sizeof raw));
        CHECK_OK(synadb_put_bytes(db, "raw/1", SYNADB_NTS, raw, sizeof raw));
        CHECK_OK(synadb_tensor_get(db, "raw/*", SYNADB_DTYPE_INT32, &t));
        CHECK_EQ(t.shape[0], 2); CHECK_EQ(t.shape[1], 4);
        if (t.data) CHECK(((int32_t *)t.data)[7] == 40);
        synadb_tensor_free(db, &t);
        CHECK_OK(synadb_tensor_get(db, "raw/*", SYNADB_DTYPE_INT64, &t));   /* 16 bytes: two int64s */
        CHECK_EQ(t.shape[1], 2);
        synadb_tensor_free(db, &t);
        CHECK_OK(synadb_put_bytes(db, "raw/1", SYNADB_NTS, raw, 6));
        CHECK_EQ(synadb_tensor_get(db, "raw/*", SYNADB_DTYPE_INT32, &t), SYNADB_ERR_SHAPE);
        CHECK(strstr(synadb_errmsg(db), "raw/1") != NULL);
        /* bytes that look like a row header but are not one (bad CRC) are raw */
        {
            unsigned char fake[24];
            memset(fake, 0, sizeof fake);
            fake[0] = 0x89; fake[1] = 'S'; fake[2] = 'T'; fake[3] = 'R'; fake[4] = 1;
            CHECK_OK(synadb_put_bytes(db, "fake/0", SYNADB_NTS, fake, sizeof fake));
            CHECK_OK(synadb_tensor_get(db, "fake/*", SYNADB_DTYPE_UINT8, &t));
            CHECK_EQ(t.rank, 2); CHECK_EQ(t.shape[1], 24);
            synadb_tensor_free(db, &t);
        }
    }
    /* rows of different shapes written by put */
    {
        float a[6] = {0};
        size_t s23[2] = {2, 3}, s32[2] = {1, 2};
        CHECK_OK(synadb_tensor_put(db, "m/a", a, s23, 2, SYNADB_DTYPE_FLOAT32));
        CHECK_OK(synadb_tensor_put(db, "m/b", a, s32, 2, SYNADB_DTYPE_FLOAT32));
        CHECK_EQ(synadb_tensor_get(db, "m/*", SYNADB_DTYPE_FLOAT32, &t), SYNADB_ERR_SHAPE);
        CHECK(strstr(synadb_errmsg(db), "m/b00000000") != NULL && strstr(synadb_errmsg(db), "[2]") && strstr(synadb_errmsg(db), "[3]"));
    }
    CHECK_EQ(synadb_tensor_get(db, "none/*", SYNADB_DTYPE_FLOAT32, &t), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK(strstr(synadb_errmsg(db), "none/*") != NULL);
    synadb_close(db);
    remove(g_path);
}

/* Random BYTES values, many with a row header's magic and random or damaged header fields:
   reading them never crashes (ASan), and a value is taken as a row only when its header is
   exactly right; otherwise it is raw bytes. */
static void test_header_fuzz(void) {
    synadb_db *db = open_db("fuzz.db", 1);
    int round, bad = 0;
    CHECK(db != NULL);
    if (!db) return;
    for (round = 0; round < 3000; round++) {
        unsigned char v[200];
        size_t len = test_rand() % sizeof v, i;
        synadb_tensor t;
        synadb_tensor_view tv;
        synadb_result r;
        for (i = 0; i < len; i++) v[i] = (unsigned char)test_rand();
        if (round % 2 && len >= 16) {   /* a real header, then one byte changed (or none) */
            size_t dims[3] = {1 + test_rand() % 3, 1 + test_rand() % 3, 1 + test_rand() % 2}, rr = test_rand() % 4, h, e = 1;
            synadb_dtype dt = all_dt[test_rand() % 7];
            unsigned char hdr[64];
            for (i = 0; i < rr; i++) e *= dims[i];
            h = synadb__trow_head(hdr, dt, dims, (uint32_t)rr);
            len = h + e * synadb_dtype_size(dt);
            memcpy(v, hdr, h);
            if (test_rand() % 3 == 0) v[test_rand() % len] ^= (unsigned char)(1 + test_rand() % 255);
        }
        CHECK_OK(synadb_put_bytes(db, "f/0", SYNADB_NTS, v, len));
        r = synadb_tensor_get(db, "f/0", SYNADB_DTYPE_UINT8, &t);
        if (r != SYNADB_OK && r != SYNADB_ERR_DTYPE) bad++;
        if (!r) {
            synadb__trow row;
            if (synadb__trow_parse(v, len, &row)) { if (t.count != row.n) bad++; }
            else if (t.count != len || (len && memcmp(t.data, v, len))) bad++;
            synadb_tensor_free(db, &t);
        }
        (void)synadb_tensor_view_row(db, "f/0", &tv);
    }
    CHECK_EQ(bad, 0);
    synadb_close(db);
    remove(g_path);
}

static void test_bad_input(void) {
    synadb_db *db = open_db("bad.db", 1);
    float x[8] = {0};
    size_t s[40], one = 1, big[3] = {SIZE_MAX / 1024, SIZE_MAX / 1024, 1 << 20};
    synadb_tensor t;
    synadb_tensor_stream *st = NULL;
    synadb_stream_options o;
    char *longp;
    CHECK(db != NULL);
    if (!db) return;
    s[0] = 2; s[1] = 4;
    CHECK_EQ(synadb_tensor_put(NULL, "a/", x, s, 2, SYNADB_DTYPE_FLOAT32), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_put(db, NULL, x, s, 2, SYNADB_DTYPE_FLOAT32), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_put(db, "a/", NULL, s, 2, SYNADB_DTYPE_FLOAT32), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_put(db, "a/", x, NULL, 2, SYNADB_DTYPE_FLOAT32), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_put(db, "a/", x, s, 0, SYNADB_DTYPE_FLOAT32), SYNADB_ERR_SHAPE);
    CHECK(strstr(synadb_errmsg(db), "rank 0") != NULL);
    CHECK_EQ(synadb_tensor_put(db, "a/", x, s, 33, SYNADB_DTYPE_FLOAT32), SYNADB_ERR_SHAPE);
    CHECK_EQ(synadb_tensor_put(db, "a/", x, big, 3, SYNADB_DTYPE_FLOAT32), SYNADB_ERR_SHAPE);
    CHECK(strstr(synadb_errmsg(db), "overflow") != NULL);
    {   /* zero rows, but rows whose size overflows */
        size_t z[3] = {0, SIZE_MAX / 1024, SIZE_MAX / 1024};
        CHECK_EQ(synadb_tensor_put(db, "a/", x, z, 3, SYNADB_DTYPE_FLOAT32), SYNADB_ERR_SHAPE);
        CHECK_EQ(synadb_tensor_put_chunked(db, "a", x, z, 3, SYNADB_DTYPE_FLOAT32, 0), SYNADB_ERR_SHAPE);
    }
    CHECK_EQ(synadb_tensor_put(db, "a/", x, s, 2, (synadb_dtype)7), SYNADB_ERR_DTYPE);
    CHECK_EQ(synadb_tensor_put(db, "a/", x, s, 2, (synadb_dtype)-3), SYNADB_ERR_DTYPE);
    s[0] = 200000000; s[1] = 0;   /* too many rows for 8-digit keys (no data needed: 0 elements) */
    CHECK_EQ(synadb_tensor_put(db, "a/", NULL, s, 2, SYNADB_DTYPE_FLOAT32), SYNADB_ERR_SHAPE);
    longp = (char *)malloc(70000);
    memset(longp, 'k', 69999); longp[69999] = 0;
    CHECK_EQ(synadb_tensor_put(db, longp, x, &one, 1, SYNADB_DTYPE_FLOAT32), SYNADB_ERR_KEY_TOO_LONG);
    CHECK_EQ(synadb_tensor_put_chunked(db, longp, x, &one, 1, SYNADB_DTYPE_FLOAT32, 0), SYNADB_ERR_KEY_TOO_LONG);
    free(longp);
    /* nothing was written by any of these */
    CHECK_EQ(synadb_tensor_get(db, "*", SYNADB_DTYPE_FLOAT32, &t), SYNADB_ERR_KEY_NOT_FOUND);
    s[0] = 2; s[1] = 4;
    CHECK_OK(synadb_tensor_put(db, "a/", x, s, 2, SYNADB_DTYPE_FLOAT32));
    CHECK_EQ(synadb_tensor_get(NULL, "a/*", SYNADB_DTYPE_FLOAT32, &t), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_get(db, NULL, SYNADB_DTYPE_FLOAT32, &t), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_get(db, "a/*", SYNADB_DTYPE_FLOAT32, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_get(db, "a/*", (synadb_dtype)42, &t), SYNADB_ERR_DTYPE);
    {   /* a buffer too small: the size needed and the shape are given, the buffer is untouched */
        float buf[4] = {9, 9, 9, 9};
        CHECK_EQ(synadb_tensor_get_into(db, "a/*", SYNADB_DTYPE_FLOAT32, buf, sizeof buf, &t), SYNADB_ERR_BUFFER_TOO_SMALL);
        CHECK_EQ(t.nbytes, 32); CHECK_EQ(t.shape[0], 2); CHECK_EQ(t.shape[1], 4);
        CHECK(buf[0] == 9);
        CHECK_EQ(synadb_tensor_get_into(db, "a/*", SYNADB_DTYPE_FLOAT32, NULL, 0, &t), SYNADB_ERR_BUFFER_TOO_SMALL);
        CHECK_EQ(t.nbytes, 32);
        CHECK_EQ(synadb_tensor_get_into(db, "a/*", SYNADB_DTYPE_FLOAT32, NULL, 64, &t), SYNADB_ERR_INVALID_ARG);
    }
    CHECK_EQ(synadb_tensor_keys(db, NULL, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_delete(db, NULL, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_view_row(db, NULL, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_get_chunked(db, "", SYNADB_DTYPE_FLOAT32, &t), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_get_chunked(db, "nope", SYNADB_DTYPE_FLOAT32, &t), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_tensor_put_chunked(db, "c", x, s, 2, SYNADB_DTYPE_FLOAT32, SIZE_MAX / 2), SYNADB_ERR_TOO_LARGE);
    CHECK_EQ(synadb_tensor_put_chunked(db, NULL, x, s, 2, SYNADB_DTYPE_FLOAT32, 1), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_put_chunked(db, "c", x, s, 0, SYNADB_DTYPE_FLOAT32, 1), SYNADB_ERR_SHAPE);
    CHECK_EQ(synadb_tensor_delete_chunked(db, "nope"), SYNADB_ERR_KEY_NOT_FOUND);
    /* metadata that is not ours */
    CHECK_OK(synadb_put_text(db, "junk/meta", SYNADB_NTS, "{\"shape\":[2],\"dtype\":\"float32\"}", SYNADB_NTS));
    CHECK_EQ(synadb_tensor_get_chunked(db, "junk", SYNADB_DTYPE_FLOAT32, &t), SYNADB_ERR_CORRUPT);
    CHECK_OK(synadb_put_text(db, "junk/meta", SYNADB_NTS, "{not json", SYNADB_NTS));
    CHECK_EQ(synadb_tensor_get_chunked(db, "junk", SYNADB_DTYPE_FLOAT32, &t), SYNADB_ERR_CORRUPT);
    CHECK_OK(synadb_put_float(db, "junk/meta", SYNADB_NTS, 1.0));
    CHECK_EQ(synadb_tensor_get_chunked(db, "junk", SYNADB_DTYPE_FLOAT32, &t), SYNADB_ERR_CORRUPT);
    /* streams */
    memset(&o, 0, sizeof o);
    CHECK_EQ(synadb_tensor_stream_open(db, "a/*", SYNADB_DTYPE_FLOAT32, 0, NULL, &st), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_stream_open(db, "a/*", (synadb_dtype)9, 2, NULL, &st), SYNADB_ERR_DTYPE);
    CHECK_EQ(synadb_tensor_stream_open(db, NULL, SYNADB_DTYPE_FLOAT32, 2, NULL, &st), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_stream_open(db, "zz/*", SYNADB_DTYPE_FLOAT32, 2, NULL, &st), SYNADB_ERR_KEY_NOT_FOUND);
    o.world_size = 2; o.rank = 2;
    CHECK_EQ(synadb_tensor_stream_open(db, "a/*", SYNADB_DTYPE_FLOAT32, 2, &o, &st), SYNADB_ERR_INVALID_ARG);
    o.world_size = 0; o.rank = 1;
    CHECK_EQ(synadb_tensor_stream_open(db, "a/*", SYNADB_DTYPE_FLOAT32, 2, &o, &st), SYNADB_ERR_INVALID_ARG);
    CHECK(st == NULL);
    CHECK_EQ(synadb_tensor_stream_next(NULL, x, sizeof x, &t), SYNADB_ERR_INVALID_ARG);
    synadb_tensor_stream_close(NULL);
    synadb_tensor_free(db, NULL);
    synadb_close(db);
    remove(g_path);
}

/* ---- chunked ---- */
static void test_chunked(void) {
    synadb_db *db = open_db("chunk.db", 1);
    size_t rows = 1000, cols = 37, n = rows * cols, i, cr;
    size_t shape[2] = {1000, 37};
    float *x = (float *)malloc(n * 4);
    synadb_tensor t;
    synadb_tensor_meta m;
    synadb_keylist kl;
    CHECK(db != NULL);
    if (!db || !x) return;
    for (i = 0; i < n; i++) x[i] = (float)test_frand();
    {
        size_t crs[] = {1, 7, 333, 999, 1000, 5000, 0};
        for (cr = 0; cr < sizeof crs / sizeof *crs; cr++) {
            CHECK_OK(synadb_tensor_put_chunked(db, "w", x, shape, 2, SYNADB_DTYPE_FLOAT32, crs[cr]));
            CHECK_OK(synadb_tensor_chunked_meta(db, "w", &m));
            CHECK_EQ(m.rank, 2); CHECK_EQ(m.shape[0], 1000); CHECK_EQ(m.shape[1], 37);
            CHECK_EQ(m.total_bytes, n * 4);
            CHECK_EQ(m.chunk_rows, crs[cr] ? crs[cr] : 1000);
            CHECK_EQ(m.chunk_count, (1000 + m.chunk_rows - 1) / m.chunk_rows);
            CHECK_EQ(m.crc32c, synadb_crc32c(0, x, n * 4));
            CHECK_OK(synadb_tensor_get_chunked(db, "w", SYNADB_DTYPE_FLOAT32, &t));
            CHECK_EQ(t.nbytes, n * 4); CHECK_EQ(t.rank, 2); CHECK_EQ(t.shape[1], 37);
            if (t.data) CHECK(!memcmp(t.data, x, n * 4));
            synadb_tensor_free(db, &t);
            /* re-putting with fewer chunks leaves exactly this generation's chunks */
            CHECK_OK(synadb_tensor_keys(db, "w/chunk/*", &kl));
            CHECK_EQ(kl.count, m.chunk_count);
            synadb_keylist_free(db, &kl);
        }
    }
    /* conversion while reading, into a caller's buffer */
    {
        double *d = (double *)malloc(n * 8);
        CHECK_OK(synadb_tensor_get_chunked_into(db, "w", SYNADB_DTYPE_FLOAT64, d, n * 8, &t));
        CHECK(t.data == d);
        for (i = 0; i < n; i++) if (d[i] != (double)x[i]) break;
        CHECK_EQ(i, n);
        CHECK_EQ(synadb_tensor_get_chunked_into(db, "w", SYNADB_DTYPE_FLOAT64, d, n * 8 - 1, &t), SYNADB_ERR_BUFFER_TOO_SMALL);
        CHECK_EQ(t.nbytes, n * 8);
        CHECK_EQ(synadb_tensor_get_chunked(db, "w", SYNADB_DTYPE_INT32, &t), SYNADB_OK);   /* |x| < 1 truncates to 0 */
        synadb_tensor_free(db, &t);
        free(d);
    }
    /* views of chunks (zero-copy where mapped) */
    {
        synadb_tensor_view v;
        synadb_result r;
        CHECK_OK(synadb_tensor_put_chunked(db, "w", x, shape, 2, SYNADB_DTYPE_FLOAT32, 300));
        r = synadb_tensor_view_chunk(db, "w", 3, &v);
        if (!mapped(db)) CHECK_EQ(r, SYNADB_ERR_UNSUPPORTED);
        else {
            CHECK_OK(r);
            CHECK_EQ(v.shape[0], 100); CHECK_EQ(v.shape[1], 37); CHECK_EQ(v.dtype, SYNADB_DTYPE_FLOAT32);
            CHECK(v.data && !memcmp(v.data, x + 900 * 37, 100 * 37 * 4));
            CHECK_EQ(((uintptr_t)v.data) % 8, 0);
        }
        CHECK_EQ(synadb_tensor_view_chunk(db, "w", 4, &v), SYNADB_ERR_KEY_NOT_FOUND);
    }
    /* an empty tensor */
    shape[0] = 0;
    CHECK_OK(synadb_tensor_put_chunked(db, "e", x, shape, 2, SYNADB_DTYPE_FLOAT32, 10));
    CHECK_OK(synadb_tensor_get_chunked(db, "e", SYNADB_DTYPE_FLOAT32, &t));
    CHECK_EQ(t.count, 0); CHECK_EQ(t.shape[0], 0); CHECK_EQ(t.shape[1], 37);
    synadb_tensor_free(db, &t);
    /* delete */
    CHECK_OK(synadb_tensor_delete_chunked(db, "w"));
    CHECK_EQ(synadb_tensor_get_chunked(db, "w", SYNADB_DTYPE_FLOAT32, &t), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_OK(synadb_tensor_keys(db, "w/*", &kl));
    CHECK_EQ(kl.count, 0);
    synadb_keylist_free(db, &kl);
    /* a half-written put (chunks of a newer generation, no metadata) is invisible, and the next put clears it */
    shape[0] = 1000;
    CHECK_OK(synadb_tensor_put_chunked(db, "h", x, shape, 2, SYNADB_DTYPE_FLOAT32, 100));
    CHECK_OK(synadb_put_bytes(db, "h/chunk/2/00000000", SYNADB_NTS, x + 5, 100 * 37 * 4));
    CHECK_OK(synadb_put_bytes(db, "h/chunk/2/00000017", SYNADB_NTS, x + 5, 100 * 37 * 4));
    CHECK_OK(synadb_tensor_get_chunked(db, "h", SYNADB_DTYPE_FLOAT32, &t));
    if (t.data) CHECK(!memcmp(t.data, x, n * 4));
    synadb_tensor_free(db, &t);
    CHECK_OK(synadb_tensor_put_chunked(db, "h", x, shape, 2, SYNADB_DTYPE_FLOAT32, 500));
    CHECK_OK(synadb_tensor_keys(db, "h/chunk/*", &kl));
    CHECK_EQ(kl.count, 2);
    synadb_keylist_free(db, &kl);
    /* a missing chunk */
    CHECK_OK(synadb_tensor_chunked_meta(db, "h", &m));
    {
        char k[64];
        snprintf(k, sizeof k, "h/chunk/%llu/00000001", (unsigned long long)m.generation);
        CHECK_OK(synadb_delete(db, k, SYNADB_NTS));
        CHECK_EQ(synadb_tensor_get_chunked(db, "h", SYNADB_DTYPE_FLOAT32, &t), SYNADB_ERR_CORRUPT);
        CHECK(strstr(synadb_errmsg(db), "missing") != NULL);
        /* a chunk of the wrong length */
        CHECK_OK(synadb_put_bytes(db, k, SYNADB_NTS, x, 12));
        CHECK_EQ(synadb_tensor_get_chunked(db, "h", SYNADB_DTYPE_FLOAT32, &t), SYNADB_ERR_CHECKSUM);
        /* right length, other bytes: the data checksum */
        CHECK_OK(synadb_put_bytes(db, k, SYNADB_NTS, x + 1, 500 * 37 * 4));
        CHECK_EQ(synadb_tensor_get_chunked(db, "h", SYNADB_DTYPE_FLOAT32, &t), SYNADB_ERR_CHECKSUM);
        CHECK(t.data == NULL);
        {
            float *buf = (float *)malloc(n * 4);
            for (i = 0; i < n; i++) buf[i] = 1;
            CHECK_EQ(synadb_tensor_get_chunked_into(db, "h", SYNADB_DTYPE_FLOAT32, buf, n * 4, &t), SYNADB_ERR_CHECKSUM);
            for (i = 0; i < n; i++) if (buf[i] != 0) break;
            CHECK_EQ(i, n);   /* zeroed, never half-right data */
            free(buf);
        }
    }
    free(x);
    synadb_close(db);
    remove(g_path);
}

/* A byte of a chunk flipped in the file: the reopened database refuses it (open fails, or the
   read reports CHECKSUM/CORRUPT), never returns wrong data. With read checksums off, the
   tensor's own CRC catches it. */
static void test_chunked_flip(void) {
    synadb_db *db = open_db("flip.db", 1);
    size_t shape[2] = {4096, 64}, n = 4096 * 64, i;
    float *x = (float *)malloc(n * 4);
    unsigned char *file;
    size_t fn = 0, at = 0;
    synadb_tensor t;
    synadb_config c;
    int round;
    char path[512];
    CHECK(db != NULL);
    if (!db || !x) return;
    snprintf(path, sizeof path, "%s", g_path);
    for (i = 0; i < n; i++) x[i] = (float)i;
    CHECK_OK(synadb_tensor_put_chunked(db, "f", x, shape, 2, SYNADB_DTYPE_FLOAT32, 1024));
    CHECK_OK(synadb_close(db));
    file = test_slurp(path, &fn);
    CHECK(file != NULL);
    if (!file) { free(x); return; }
    /* find the bytes of element 5000 (float 5000.0f) in the file */
    {
        float needle = 5000.0f;
        for (i = 0; i + 4 <= fn; i++) if (!memcmp(file + i, &needle, 4)) { at = i; break; }
    }
    CHECK(at > 0);
    for (round = 0; round < 3; round++) {
        synadb_result r;
        unsigned char *copy = (unsigned char *)malloc(fn);
        memcpy(copy, file, fn);
        copy[at + 1] ^= 0x40;
        test_spit(path, copy, fn);
        free(copy);
        c = synadb_config_default();
        c.no_mmap = TEST_NO_MMAP;
        c.skip_read_checksums = round == 1;
        c.salvage = round == 2;
        {
            synadb_result ro = synadb_open(path, &c, &db);
            if (ro) {   /* the open found the damage (the core checks every record when it opens) */
                CHECK(ro == SYNADB_ERR_CORRUPT || ro == SYNADB_ERR_CHECKSUM);
                CHECK(round != 2);   /* salvage opens */
                continue;
            }
        }
        r = synadb_tensor_get_chunked(db, "f", SYNADB_DTYPE_FLOAT32, &t);
        CHECK(r == SYNADB_ERR_CHECKSUM || r == SYNADB_ERR_CORRUPT);
        if (round == 1) CHECK_EQ(r, SYNADB_ERR_CHECKSUM);
        CHECK(t.data == NULL);
        synadb_close(db);
    }
    free(file);
    free(x);
    remove(path);
}

/* The interleaved CRC32C and the CRC combination used by the chunk reader, against the
   core's synadb_crc32c. */
static void test_fast_crc(void) {
    size_t n = 200000, i, bad = 0;
    unsigned char *b = (unsigned char *)malloc(n);
    int caps = synadb__hw_crc_detect();
    for (i = 0; i < n; i++) b[i] = (unsigned char)test_rand();
    for (i = 0; i < 600; i++) {
        size_t off = test_rand() % 64, len = i < 20 ? i : i < 300 ? test_rand() % 5000 : test_rand() % (n - 64), cut = len ? test_rand() % len : 0;
        uint32_t seed = (uint32_t)test_rand(), want = synadb_crc32c(seed, b + off, len);
        if (synadb__crc(caps, seed, b + off, len) != want || synadb__crc(caps & 1, seed, b + off, len) != want || synadb__crc(0, seed, b + off, len) != want) bad++;
        if (synadb__crc_combine(synadb_crc32c(seed, b + off, cut), synadb_crc32c(0, b + off + cut, len - cut), len - cut) != want) bad++;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(synadb_crc32c(0, "123456789", 9), 0xe3069283u);
    free(b);
}

/* Bytes changed under a valid record CRC (through the writable mapping): with read checksums
   off only the tensor's CRC can see it. */
static void test_chunked_crc_only(void) {
    synadb_db *db;
    synadb_config c = synadb_config_default();
    size_t shape[1] = {10000}, i;
    int32_t x[10000];
    synadb_tensor t;
    synadb_tensor_view v;
    c.skip_read_checksums = 1;
    test_path(g_path, sizeof g_path, "crconly.db");
    CHECK_OK(synadb_open(g_path, &c, &db));
    if (!db) return;
    if (!mapped(db)) { synadb_close(db); remove(g_path); return; }
    for (i = 0; i < 10000; i++) x[i] = (int32_t)i;
    CHECK_OK(synadb_tensor_put_chunked(db, "t", x, shape, 1, SYNADB_DTYPE_INT32, 2500));
    CHECK_OK(synadb_tensor_view_chunk(db, "t", 2, &v));
    if (v.data) {
        ((unsigned char *)(uintptr_t)v.data)[100] ^= 1;   /* the mapping is shared and writable */
        CHECK_EQ(synadb_tensor_get_chunked(db, "t", SYNADB_DTYPE_INT32, &t), SYNADB_ERR_CHECKSUM);
        CHECK(strstr(synadb_errmsg(db), "checksum") != NULL);
        ((unsigned char *)(uintptr_t)v.data)[100] ^= 1;
        CHECK_OK(synadb_tensor_get_chunked(db, "t", SYNADB_DTYPE_INT32, &t));
        synadb_tensor_free(db, &t);
    }
    synadb_close(db);
    /* read checksums on: the chunk's record CRC (checked while copying) sees it first */
    c.skip_read_checksums = 0;
    CHECK_OK(synadb_open(g_path, &c, &db));
    if (!db) return;
    CHECK_OK(synadb_tensor_view_chunk(db, "t", 1, &v));
    if (v.data) {
        ((unsigned char *)(uintptr_t)v.data)[7] ^= 0x10;
        CHECK_EQ(synadb_tensor_get_chunked(db, "t", SYNADB_DTYPE_INT32, &t), SYNADB_ERR_CHECKSUM);
        CHECK(strstr(synadb_errmsg(db), "record at offset") != NULL);
        CHECK_EQ(synadb_tensor_get_chunked(db, "t", SYNADB_DTYPE_FLOAT64, &t), SYNADB_ERR_CHECKSUM);
        ((unsigned char *)(uintptr_t)v.data)[7] ^= 0x10;
        CHECK_OK(synadb_tensor_get_chunked(db, "t", SYNADB_DTYPE_INT32, &t));
        if (t.data) CHECK(!memcmp(t.data, x, sizeof x));
        synadb_tensor_free(db, &t);
    }
    {   /* a row: its record CRC is checked by the row reader */
        size_t rs[2] = {4, 1000};
        synadb_tensor_view rv;
        CHECK_OK(synadb_tensor_put(db, "rows/", x, rs, 2, SYNADB_DTYPE_INT32));
        CHECK_OK(synadb_tensor_view_row(db, "rows/00000002", &rv));
        if (rv.data) {
            ((unsigned char *)(uintptr_t)rv.data)[999] ^= 4;
            CHECK_EQ(synadb_tensor_get(db, "rows/*", SYNADB_DTYPE_INT32, &t), SYNADB_ERR_CHECKSUM);
            CHECK(strstr(synadb_errmsg(db), "rows/00000002") != NULL);
            ((unsigned char *)(uintptr_t)rv.data)[999] ^= 4;
            CHECK_OK(synadb_tensor_get(db, "rows/*", SYNADB_DTYPE_INT32, &t));
            synadb_tensor_free(db, &t);
        }
    }
    synadb_close(db);
    remove(g_path);
}

#if TEST_HAVE_PROCESSES
/* kill -9 during chunked puts: version k is a tensor whose every element is k. */
static void crash_child(const char *path, int fd) {
    synadb_db *db = NULL;
    size_t shape[2] = {2000, 100}, n = 2000 * 100, i;
    int32_t *x = (int32_t *)malloc(n * 4);
    int32_t k;
    synadb_config c = synadb_config_default();
    c.no_mmap = TEST_NO_MMAP;
    if (!x || synadb_open(path, &c, &db)) _exit(3);
    for (k = 1;; k++) {
        size_t rows = 200 + (size_t)(k * 7919) % 1800;   /* different sizes, so chunk counts change */
        shape[0] = rows;
        for (i = 0; i < rows * 100; i++) x[i] = k;
        if (synadb_tensor_put_chunked(db, "ck", x, shape, 2, SYNADB_DTYPE_INT32, 50 + (size_t)k % 100)) _exit(4);
        if (write(fd, &k, sizeof k) != (ssize_t)sizeof k) _exit(5);
    }
}
static void test_chunked_kill9(void) {
    char path[512];
    int round, bad = 0, seen_versions = 0;
    for (round = 0; round < 10; round++) {
        int p[2], status, got = 0, target = 1 + (int)(test_rand() % 12);
        int32_t v, last = 0;
        pid_t pid;
        synadb_db *db = NULL;
        synadb_tensor t;
        synadb_result r;
        test_path(path, sizeof path, "kill.db");
        if (pipe(p)) { CHECK(0); return; }
        pid = fork();
        if (pid == 0) { close(p[0]); crash_child(path, p[1]); _exit(0); }
        close(p[1]);
        while (got < target && read(p[0], &v, sizeof v) == (ssize_t)sizeof v) { last = v; got++; }
        {   /* a little later, in the middle of the next put */
            struct timespec ts;
            ts.tv_sec = 0; ts.tv_nsec = (long)(test_rand() % 3000000);
            nanosleep(&ts, NULL);
        }
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        close(p[0]);
        db = reopen_cfg(path, NULL);
        if (!db) { bad++; continue; }
        r = synadb_tensor_get_chunked(db, "ck", SYNADB_DTYPE_INT32, &t);
        if (r) { bad++; fprintf(stderr, "kill round %d: %s\n", round, synadb_errmsg(db)); }
        else {
            int32_t *d = (int32_t *)t.data, k0 = t.count ? d[0] : -1;
            size_t i, want_rows = 200 + (size_t)(k0 * 7919) % 1800;
            for (i = 0; i < t.count; i++) if (d[i] != k0) break;
            if (i != t.count || t.shape[0] != want_rows || k0 < last) { bad++; fprintf(stderr, "kill round %d: a mix (k0 %d, last acked %d)\n", round, k0, last); }
            else seen_versions++;
            synadb_tensor_free(db, &t);
        }
        {   /* only the current generation's chunks, once the next put is done */
            synadb_keylist kl;
            synadb_tensor_meta m;
            size_t shape[2] = {10, 100};
            int32_t z[1000] = {0};
            CHECK_OK(synadb_tensor_put_chunked(db, "ck", z, shape, 2, SYNADB_DTYPE_INT32, 3));
            CHECK_OK(synadb_tensor_chunked_meta(db, "ck", &m));
            CHECK_OK(synadb_tensor_keys(db, "ck/chunk/*", &kl));
            CHECK_EQ(kl.count, 4);
            synadb_keylist_free(db, &kl);
        }
        synadb_close(db);
        remove(path);
    }
    CHECK_EQ(bad, 0);
    CHECK(seen_versions >= 8);
}

/* kill -9 during put_tensor of rows (each put one atomic batch, stale rows deleted in it):
   the rows after reopen are all of one version, with that version's row count. */
static size_t rows_of(int32_t k) { return 100 + (size_t)(k * 37) % 300; }
static void rows_child(const char *path, int fd) {
    synadb_db *db = NULL;
    size_t shape[2] = {0, 64}, i;
    int32_t *x = (int32_t *)malloc(400 * 64 * 4), k;
    synadb_config c = synadb_config_default();
    c.no_mmap = TEST_NO_MMAP;
    if (!x || synadb_open(path, &c, &db)) _exit(3);
    for (k = 1;; k++) {
        shape[0] = rows_of(k);
        for (i = 0; i < shape[0] * 64; i++) x[i] = k;
        if (synadb_tensor_put(db, "rt/", x, shape, 2, SYNADB_DTYPE_INT32)) _exit(4);
        if (write(fd, &k, sizeof k) != (ssize_t)sizeof k) _exit(5);
    }
}
static void test_rows_kill9(void) {
    char path[512];
    int round, bad = 0, seen = 0;
    for (round = 0; round < 10; round++) {
        int p[2], status, got = 0, target = 1 + (int)(test_rand() % 30);
        int32_t v, last = 0;
        pid_t pid;
        synadb_db *db;
        synadb_tensor t;
        test_path(path, sizeof path, "rkill.db");
        if (pipe(p)) { CHECK(0); return; }
        pid = fork();
        if (pid == 0) { close(p[0]); rows_child(path, p[1]); _exit(0); }
        close(p[1]);
        while (got < target && read(p[0], &v, sizeof v) == (ssize_t)sizeof v) { last = v; got++; }
        {
            struct timespec ts;
            ts.tv_sec = 0; ts.tv_nsec = (long)(test_rand() % 2000000);
            nanosleep(&ts, NULL);
        }
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        close(p[0]);
        db = reopen_cfg(path, NULL);
        if (!db) { bad++; continue; }
        if (synadb_tensor_get(db, "rt/*", SYNADB_DTYPE_INT32, &t)) bad++;
        else {
            int32_t *d = (int32_t *)t.data, k0 = d[0];
            size_t i;
            for (i = 0; i < t.count; i++) if (d[i] != k0) break;
            if (i != t.count || t.shape[0] != rows_of(k0) || k0 < last) { bad++; fprintf(stderr, "rows kill round %d: a mix (k0 %d, last acked %d)\n", round, k0, last); }
            else seen++;
            synadb_tensor_free(db, &t);
        }
        synadb_close(db);
        remove(path);
    }
    CHECK_EQ(bad, 0);
    CHECK(seen >= 8);
}
#endif

/* Outputs of 16 MiB or more (copied with non-temporal stores), also into a buffer that is
   not 16-byte aligned. */
static void test_large_outputs(void) {
    synadb_db *db = open_db("large.db", 1);
    size_t shape[2] = {2100, 2047}, n = 2100 * 2047, i;
    float *x = (float *)malloc(n * 4);
    unsigned char *buf = (unsigned char *)malloc(n * 4 + 16);
    synadb_tensor t;
    CHECK(db != NULL);
    if (!db || !x || !buf) return;
    for (i = 0; i < n; i++) x[i] = (float)i * 0.25f;
    CHECK_OK(synadb_tensor_put(db, "L/", x, shape, 2, SYNADB_DTYPE_FLOAT32));
    CHECK_OK(synadb_tensor_put_chunked(db, "LC", x, shape, 2, SYNADB_DTYPE_FLOAT32, 333));
    CHECK_OK(synadb_tensor_get(db, "L/*", SYNADB_DTYPE_FLOAT32, &t));
    CHECK(t.data && t.nbytes == n * 4 && !memcmp(t.data, x, n * 4));
    synadb_tensor_free(db, &t);
    CHECK_OK(synadb_tensor_get_into(db, "L/*", SYNADB_DTYPE_FLOAT32, buf + 4, n * 4, &t));
    CHECK(!memcmp(buf + 4, x, n * 4));
    CHECK_OK(synadb_tensor_get_chunked(db, "LC", SYNADB_DTYPE_FLOAT32, &t));
    CHECK(t.data && t.nbytes == n * 4 && !memcmp(t.data, x, n * 4));
    synadb_tensor_free(db, &t);
    CHECK_OK(synadb_tensor_get_chunked_into(db, "LC", SYNADB_DTYPE_FLOAT32, buf + 12, n * 4, &t));
    CHECK(!memcmp(buf + 12, x, n * 4));
    free(x); free(buf);
    synadb_close(db);
    remove(g_path);
}

/* ---- streams ---- */
static size_t stream_all(synadb_tensor_stream *s, float *rows_out, size_t cols, size_t *order_out) {
    size_t got = 0, cap = synadb_tensor_stream_batch_bytes(s);
    float *buf = (float *)malloc(cap);
    synadb_tensor b;
    for (;;) {
        size_t j;
        if (synadb_tensor_stream_next(s, buf, cap, &b)) { got = (size_t)-1; break; }
        if (!b.shape[0]) break;
        for (j = 0; j < b.shape[0]; j++) {
            if (order_out) order_out[got + j] = synadb_tensor_stream_row_index(s, got + j);
            if (rows_out) memcpy(rows_out + (got + j) * cols, buf + j * cols, cols * 4);
        }
        got += b.shape[0];
    }
    free(buf);
    return got;
}
static void test_stream(void) {
    synadb_db *db = open_db("stream.db", 1);
    size_t shape[3] = {103, 4, 5}, n = 103 * 20, i, j, W;
    float *x = (float *)malloc(n * 4), *y = (float *)malloc(n * 4);
    size_t o1[103], o2[103], o3[103];
    synadb_tensor_stream *s = NULL;
    synadb_stream_options opt;
    synadb_tensor b;
    CHECK(db != NULL);
    if (!db) return;
    for (i = 0; i < n; i++) x[i] = (float)i;
    CHECK_OK(synadb_tensor_put(db, "d/", x, shape, 3, SYNADB_DTYPE_FLOAT32));
    /* in key order: the batches are the tensor */
    CHECK_OK(synadb_tensor_stream_open(db, "d/*", SYNADB_DTYPE_FLOAT32, 10, NULL, &s));
    CHECK_EQ(synadb_tensor_stream_rows(s), 103);
    CHECK_EQ(synadb_tensor_stream_batch_bytes(s), 10 * 20 * 4);
    CHECK_EQ(stream_all(s, y, 20, NULL), 103);
    CHECK(!memcmp(x, y, n * 4));
    {   /* shape of a batch, and the end */
        float buf[200];
        CHECK_OK(synadb_tensor_stream_reset(s, 0));
        CHECK_OK(synadb_tensor_stream_next(s, buf, sizeof buf, &b));
        CHECK_EQ(b.rank, 3); CHECK_EQ(b.shape[0], 10); CHECK_EQ(b.shape[1], 4); CHECK_EQ(b.shape[2], 5);
        CHECK(b.data == buf);
        CHECK_EQ(synadb_tensor_stream_next(s, buf, sizeof buf - 4, &b), SYNADB_ERR_BUFFER_TOO_SMALL);
        CHECK(strstr(synadb_tensor_stream_errmsg(s), "bytes") != NULL);
        CHECK_EQ(synadb_tensor_stream_next(s, NULL, 0, &b), SYNADB_ERR_INVALID_ARG);
    }
    synadb_tensor_stream_close(s);
    /* shuffle: the same seed gives the same order, another seed another one; each row once */
    memset(&opt, 0, sizeof opt);
    opt.shuffle = 1; opt.seed = 42;
    CHECK_OK(synadb_tensor_stream_open(db, "d/*", SYNADB_DTYPE_FLOAT32, 7, &opt, &s));
    CHECK_EQ(stream_all(s, y, 20, o1), 103);
    for (i = 0; i < 103; i++) CHECK(!memcmp(y + i * 20, x + o1[i] * 20, 80));
    synadb_tensor_stream_close(s);
    CHECK_OK(synadb_tensor_stream_open(db, "d/*", SYNADB_DTYPE_FLOAT32, 16, &opt, &s));
    CHECK_EQ(stream_all(s, NULL, 20, o2), 103);
    CHECK(!memcmp(o1, o2, sizeof o1));
    CHECK_OK(synadb_tensor_stream_reset(s, 1));   /* another epoch: another order */
    CHECK_EQ(stream_all(s, NULL, 20, o3), 103);
    CHECK(memcmp(o1, o3, sizeof o1) != 0);
    CHECK_OK(synadb_tensor_stream_reset(s, 0));
    CHECK_EQ(stream_all(s, NULL, 20, o3), 103);
    CHECK(!memcmp(o1, o3, sizeof o1));
    {   /* resume mid-epoch in a new stream: the same rows follow */
        float buf[16 * 20];
        size_t pos;
        synadb_tensor_stream *s2 = NULL;
        CHECK_OK(synadb_tensor_stream_reset(s, 0));
        CHECK_OK(synadb_tensor_stream_next(s, buf, sizeof buf, &b));
        CHECK_OK(synadb_tensor_stream_next(s, buf, sizeof buf, &b));
        pos = synadb_tensor_stream_tell(s);
        CHECK_EQ(pos, 32);
        CHECK_OK(synadb_tensor_stream_open(db, "d/*", SYNADB_DTYPE_FLOAT32, 16, &opt, &s2));
        CHECK_OK(synadb_tensor_stream_seek(s2, pos));
        CHECK_OK(synadb_tensor_stream_next(s2, buf, sizeof buf, &b));
        CHECK_EQ(b.shape[0], 16);
        CHECK(!memcmp(buf, x + o1[32] * 20, 80) && !memcmp(buf + 15 * 20, x + o1[47] * 20, 80));
        CHECK_EQ(synadb_tensor_stream_seek(s2, 104), SYNADB_ERR_INVALID_ARG);
        CHECK_OK(synadb_tensor_stream_seek(s2, 103));
        CHECK_OK(synadb_tensor_stream_next(s2, buf, sizeof buf, &b));
        CHECK_EQ(b.shape[0], 0);
        synadb_tensor_stream_close(s2);
    }
    synadb_tensor_stream_close(s);
    opt.seed = 43;
    CHECK_OK(synadb_tensor_stream_open(db, "d/*", SYNADB_DTYPE_FLOAT32, 16, &opt, &s));
    CHECK_EQ(stream_all(s, NULL, 20, o2), 103);
    CHECK(memcmp(o1, o2, sizeof o1) != 0);
    {
        int seen[103] = {0}, dup = 0;
        for (i = 0; i < 103; i++) if (seen[o2[i]]++) dup++;
        CHECK_EQ(dup, 0);
    }
    synadb_tensor_stream_close(s);
    /* sharding: disjoint shards whose union is every row, for several world sizes */
    for (W = 1; W <= 5; W++) {
        int seen[103] = {0}, dup = 0, total = 0;
        for (j = 0; j < W; j++) {
            size_t got, k, ord[103];
            opt.world_size = (uint32_t)W; opt.rank = (uint32_t)j; opt.shuffle = (int)(W % 2); opt.seed = 7;
            CHECK_OK(synadb_tensor_stream_open(db, "d/*", SYNADB_DTYPE_FLOAT32, 4, &opt, &s));
            got = stream_all(s, y, 20, ord);
            CHECK_EQ(got, synadb_tensor_stream_rows(s));
            CHECK(got == 103 / W || got == 103 / W + 1);
            for (k = 0; k < got && k < 103; k++) {
                if (seen[ord[k]]++) dup++;
                if (memcmp(y + k * 20, x + ord[k] * 20, 80)) dup++;
            }
            total += (int)got;
            synadb_tensor_stream_close(s);
        }
        CHECK_EQ(dup, 0);
        CHECK_EQ(total, 103);
    }
    /* drop_last, and a conversion */
    memset(&opt, 0, sizeof opt);
    opt.drop_last = 1;
    CHECK_OK(synadb_tensor_stream_open(db, "d/*", SYNADB_DTYPE_FLOAT64, 10, &opt, &s));
    {
        double buf[200];
        size_t rows = 0;
        for (;;) { CHECK_OK(synadb_tensor_stream_next(s, buf, sizeof buf, &b)); if (!b.shape[0]) break; CHECK_EQ(b.shape[0], 10); rows += 10; }
        CHECK_EQ(rows, 100);
        CHECK(buf[199] == 1999.0);
    }
    synadb_tensor_stream_close(s);
    /* the index grows (slots move) and a row is deleted while a stream is open: the other
       rows still read right, the deleted one is an error naming it */
    CHECK_OK(synadb_tensor_stream_open(db, "d/*", SYNADB_DTYPE_FLOAT32, 103, NULL, &s));
    for (i = 0; i < 40000; i++) { char k[32]; snprintf(k, sizeof k, "filler/%zu", i); CHECK_OK(synadb_put_int(db, k, SYNADB_NTS, (int64_t)i)); }
    {
        float *buf = (float *)malloc(synadb_tensor_stream_batch_bytes(s));
        CHECK_OK(synadb_tensor_stream_next(s, buf, synadb_tensor_stream_batch_bytes(s), &b));
        CHECK_EQ(b.shape[0], 103);
        CHECK(!memcmp(buf, x, n * 4));
        CHECK_OK(synadb_tensor_stream_reset(s, 0));
        CHECK_OK(synadb_delete(db, "d/00000077", SYNADB_NTS));
        CHECK_EQ(synadb_tensor_stream_next(s, buf, synadb_tensor_stream_batch_bytes(s), &b), SYNADB_ERR_KEY_NOT_FOUND);
        CHECK(strstr(synadb_tensor_stream_errmsg(s), "d/00000077") != NULL);
        free(buf);
    }
    synadb_tensor_stream_close(s);
    CHECK_OK(synadb_put_bytes(db, "d/00000077", SYNADB_NTS, "", 0));   /* (replaced below by a full re-put) */
    CHECK_OK(synadb_tensor_put(db, "d/", x, shape, 3, SYNADB_DTYPE_FLOAT32));
    /* a row changed into text under a stream: an error with the key */
    CHECK_OK(synadb_tensor_stream_open(db, "d/*", SYNADB_DTYPE_FLOAT32, 200, NULL, &s));
    CHECK_OK(synadb_put_text(db, "d/00000050", SYNADB_NTS, "x", 1));
    {
        float *buf = (float *)malloc(synadb_tensor_stream_batch_bytes(s));
        CHECK_EQ(synadb_tensor_stream_next(s, buf, synadb_tensor_stream_batch_bytes(s), &b), SYNADB_ERR_TYPE_MISMATCH);
        CHECK(strstr(synadb_tensor_stream_errmsg(s), "d/00000050") != NULL);
        free(buf);
    }
    synadb_tensor_stream_close(s);
    free(x); free(y);
    synadb_close(db);
    remove(g_path);
}

/* ---- zero-copy views ---- */
static void test_views(void) {
    synadb_db *db = open_db("view.db", 1);
    const void *p = NULL;
    size_t len = 0, shape[3] = {3, 8, 2}, i;
    unsigned char big[300];
    float x[48], vec[4] = {1, 2, 3, 4};
    synadb_tensor_view v;
    synadb_result r;
    CHECK(db != NULL);
    if (!db) return;
    for (i = 0; i < sizeof big; i++) big[i] = (unsigned char)(i * 7);
    for (i = 0; i < 48; i++) x[i] = (float)i;
    CHECK_OK(synadb_put_bytes(db, "b", SYNADB_NTS, big, sizeof big));
    CHECK_OK(synadb_put_text(db, "t", SYNADB_NTS, "hello", SYNADB_NTS));
    CHECK_OK(synadb_put_vector(db, "v", SYNADB_NTS, vec, 4));
    CHECK_OK(synadb_put_float(db, "f", SYNADB_NTS, 1.5));
    CHECK_OK(synadb_tensor_put(db, "r/", x, shape, 3, SYNADB_DTYPE_FLOAT32));
    r = synadb_get_view(db, "b", SYNADB_NTS, &p, &len);
    if (!mapped(db)) {
        CHECK_EQ(r, SYNADB_ERR_UNSUPPORTED);
        CHECK(strstr(synadb_errmsg(db), "not mapped") != NULL);
        CHECK_EQ(synadb_tensor_view_row(db, "r/00000001", &v), SYNADB_ERR_UNSUPPORTED);
    } else {
        CHECK_OK(r);
        CHECK_EQ(len, sizeof big);
        CHECK(p && !memcmp(p, big, sizeof big));
        CHECK_EQ(((uintptr_t)p) % 8, 0);   /* BYTES of 64 bytes or more are 8-aligned */
        CHECK_OK(synadb_get_view(db, "t", SYNADB_NTS, &p, &len));
        CHECK(len == 5 && !memcmp(p, "hello", 5));
        CHECK_OK(synadb_get_view(db, "v", SYNADB_NTS, &p, &len));
        CHECK(len == 16 && !memcmp(p, vec, 16));
        CHECK_OK(synadb_tensor_view_row(db, "r/00000001", &v));
        CHECK_EQ(v.dtype, SYNADB_DTYPE_FLOAT32); CHECK_EQ(v.rank, 2); CHECK_EQ(v.shape[0], 8); CHECK_EQ(v.shape[1], 2);
        CHECK_EQ(v.count, 16); CHECK_EQ(v.nbytes, 64);
        CHECK(v.data && !memcmp(v.data, x + 16, 64));
        CHECK_EQ(((uintptr_t)v.data) % 8, 0);
        CHECK_OK(synadb_tensor_view_row(db, "v", &v));
        CHECK_EQ(v.rank, 1); CHECK_EQ(v.shape[0], 4);
        CHECK_EQ(synadb_tensor_view_row(db, "b", &v), SYNADB_ERR_TYPE_MISMATCH);   /* raw bytes: not a row */
    }
    CHECK_EQ(synadb_get_view(db, "f", SYNADB_NTS, &p, &len), SYNADB_ERR_TYPE_MISMATCH);
    CHECK_EQ(synadb_get_view(db, "nope", SYNADB_NTS, &p, &len), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_get_view(db, "b", SYNADB_NTS, NULL, &len), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_get_view(NULL, "b", SYNADB_NTS, &p, &len), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_tensor_view_row(db, "f", &v), SYNADB_ERR_TYPE_MISMATCH);
    synadb_close(db);
    remove(g_path);
}

/* With enable_compression, compressible rows and chunks are LZ4-compressed by the core:
   reads still give exact data, views say UNSUPPORTED. */
static void test_compressed(void) {
    synadb_db *db;
    synadb_config c = synadb_config_default();
    size_t shape[2] = {50, 256}, i;
    float *x = (float *)calloc(50 * 256, 4);
    synadb_tensor t;
    synadb_tensor_view v;
    c.no_mmap = TEST_NO_MMAP;
    c.enable_compression = 1;
    test_path(g_path, sizeof g_path, "lz4.db");
    CHECK_OK(synadb_open(g_path, &c, &db));
    if (!db || !x) return;
    for (i = 0; i < 50 * 256; i += 97) x[i] = (float)i;
    CHECK_OK(synadb_tensor_put(db, "z/", x, shape, 2, SYNADB_DTYPE_FLOAT32));
    CHECK_OK(synadb_tensor_get(db, "z/*", SYNADB_DTYPE_FLOAT32, &t));
    if (t.data) CHECK(!memcmp(t.data, x, 50 * 256 * 4));
    synadb_tensor_free(db, &t);
    CHECK_EQ(synadb_tensor_view_row(db, "z/00000003", &v), SYNADB_ERR_UNSUPPORTED);
    CHECK_OK(synadb_tensor_put_chunked(db, "zc", x, shape, 2, SYNADB_DTYPE_FLOAT32, 7));
    CHECK_OK(synadb_tensor_get_chunked(db, "zc", SYNADB_DTYPE_FLOAT32, &t));
    if (t.data) CHECK(!memcmp(t.data, x, 50 * 256 * 4));
    synadb_tensor_free(db, &t);
    CHECK_EQ(synadb_tensor_view_chunk(db, "zc", 0, &v), SYNADB_ERR_UNSUPPORTED);
    if (mapped(db)) CHECK(strstr(synadb_errmsg(db), "LZ4") != NULL);
    synadb_close(db);
    remove(g_path);
    /* enable_delta: rank-1 tensors re-put become delta records; they read back the same */
    c.enable_compression = 0;
    c.enable_delta = 1;
    CHECK_OK(synadb_open(g_path, &c, &db));
    if (db) {
        double d[100];
        size_t one[1] = {100};
        for (i = 0; i < 100; i++) d[i] = 20.0 + (double)i * 0.01;
        CHECK_OK(synadb_tensor_put(db, "s/", d, one, 1, SYNADB_DTYPE_FLOAT64));
        for (i = 0; i < 100; i++) d[i] += 0.5;
        CHECK_OK(synadb_tensor_put(db, "s/", d, one, 1, SYNADB_DTYPE_FLOAT64));
        CHECK_OK(synadb_tensor_get(db, "s/*", SYNADB_DTYPE_FLOAT64, &t));
        if (t.data) CHECK(!memcmp(t.data, d, sizeof d));
        synadb_tensor_free(db, &t);
        synadb_close(db);
    }
    free(x);
    remove(g_path);
}

/* ---- the ABI ---- */
static void test_abi(void) {
#ifndef SYNADB_NO_COMPAT_ABI
    char path[512];
    float x[12];
    void *out = NULL;
    size_t len = 7, i;
    uint64_t shp[32], sh2[2] = {3, 4};
    uint32_t rank = 0;
    synadb_db *h;
    synadb_type ty;
    test_path(path, sizeof path, "abi.db");
    for (i = 0; i < 12; i++) x[i] = (float)i + 0.25f;
    CHECK_EQ(SYNA_tensor_put(path, "x/", x, sizeof x, 0), SYNA_ERR_DB_NOT_FOUND);   /* not open */
    CHECK_EQ(SYNA_open(path), 1);
    CHECK_EQ(SYNA_tensor_put(path, "x/", x, sizeof x, 0), 12);
    h = syna_handle(path);
    CHECK(h != NULL);
    if (h) { CHECK_OK(synadb_get_type(h, "x/00000011", SYNADB_NTS, &ty)); CHECK_EQ(ty, SYNADB_TYPE_FLOAT); }
    CHECK_EQ(SYNA_tensor_get(path, "x/*", 0, &out, &len), 1);
    CHECK_EQ(len, sizeof x);
    CHECK(out && !memcmp(out, x, sizeof x));
    SYNA_free_tensor_data(out, len, 0);
    CHECK_EQ(SYNA_tensor_get(path, "x/*", 1, &out, &len), 1);   /* float64 */
    CHECK_EQ(len, 12 * 8);
    if (out) CHECK(((double *)out)[11] == 11.25);
    SYNA_free_tensor_data(out, len, 1);
    CHECK_EQ(SYNA_tensor_get_shape(path, "x/*", 3, &out, &len, shp, &rank), 1);
    SYNA_free_tensor_data(out, len, 3);
    CHECK_EQ(SYNA_tensor_put_shaped(path, "m/", x, sizeof x, 0, sh2, 2), 12);
    CHECK_EQ(SYNA_tensor_get_shape(path, "m/*", 0, &out, &len, shp, &rank), 1);
    CHECK_EQ(rank, 2); CHECK_EQ(shp[0], 3); CHECK_EQ(shp[1], 4);
    CHECK(out && !memcmp(out, x, sizeof x));
    SYNA_free_tensor_data(out, len, 0);
    CHECK_EQ(SYNA_tensor_put_chunked(path, "c", x, sizeof x, 0, sh2, 2, 2), 1);
    CHECK_EQ(SYNA_tensor_get_chunked(path, "c", 0, &out, &len, shp, &rank), 1);
    CHECK_EQ(rank, 2); CHECK_EQ(len, sizeof x);
    CHECK(out && !memcmp(out, x, sizeof x));
    SYNA_free_tensor_data(out, len, 0);
    /* errors */
    CHECK_EQ(SYNA_tensor_get(path, "nothing/*", 0, &out, &len), SYNA_ERR_KEY_NOT_FOUND);
    CHECK(out == NULL && len == 0);
    CHECK_EQ(SYNA_tensor_get(path, "x/*", 0, NULL, &len), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_tensor_get(NULL, "x/*", 0, &out, &len), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_tensor_get(path, NULL, 0, &out, &len), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_tensor_get(path, "x/*", 17, &out, &len), SYNADB_ERR_DTYPE);
    CHECK_EQ(SYNA_tensor_get(path, "x/*", 2, &out, &len), 1);   /* floats with fractions truncate to int32 */
    if (out) CHECK(((int32_t *)out)[3] == 3);
    SYNA_free_tensor_data(out, len, 2);
    CHECK_EQ(SYNA_tensor_put(path, "y/", x, 7, 0), SYNADB_ERR_SHAPE);
    CHECK_EQ(SYNA_tensor_put(path, "y/", x, 8, 99), SYNADB_ERR_DTYPE);
    CHECK_EQ(SYNA_tensor_put(path, NULL, x, 8, 0), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_tensor_put(path, "y/", NULL, 8, 0), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_tensor_put_shaped(path, "y/", x, sizeof x - 4, 0, sh2, 2), SYNADB_ERR_SHAPE);
    CHECK_EQ(SYNA_tensor_put_shaped(path, "y/", x, sizeof x, 0, sh2, 0), SYNADB_ERR_SHAPE);
    CHECK_EQ(SYNA_tensor_put_chunked(path, "y", x, sizeof x, 0, sh2, 2, 0), 1);
    CHECK_EQ(SYNA_tensor_put_chunked(path, "y", x, sizeof x - 4, 0, sh2, 2, 0), SYNADB_ERR_SHAPE);
    CHECK_EQ(SYNA_tensor_get_chunked(path, "none", 0, &out, &len, NULL, NULL), SYNA_ERR_KEY_NOT_FOUND);
    CHECK_EQ(SYNA_tensor_put(path, "e/", x, 0, 0), 0);   /* empty */
    CHECK_EQ(SYNA_tensor_delete(path, "x/0000000[0-4]"), 5);
    CHECK_EQ(SYNA_tensor_delete(path, "x/*"), 7);
    CHECK_EQ(SYNA_tensor_delete(path, NULL), SYNA_ERR_INVALID_PATH);
    SYNA_free_tensor_data(NULL, 0, 0);
    CHECK_EQ(SYNA_close(path), 1);
    CHECK_EQ(SYNA_tensor_get(path, "m/*", 0, &out, &len), SYNA_ERR_DB_NOT_FOUND);
    /* data survives a reopen */
    CHECK_EQ(SYNA_open(path), 1);
    CHECK_EQ(SYNA_tensor_get(path, "m/*", 0, &out, &len), 1);
    CHECK(out && len == sizeof x && !memcmp(out, x, sizeof x));
    SYNA_free_tensor_data(out, len, 0);
    CHECK_EQ(SYNA_close(path), 1);
    remove(path);
#endif
}

/* ---- GPU ---- */
static void test_gpu(void) {
    synadb_db *db = open_db("gpu.db", 1);
    synadb_gpu_tensor g;
    synadb_gpu_info info;
    int n = -1;
    size_t shape[2] = {64, 33}, i;
    float x[64 * 33], back[64 * 33];
    synadb_result r, r2;
    CHECK(db != NULL);
    if (!db) return;
    for (i = 0; i < 64 * 33; i++) x[i] = (float)i;
    CHECK_OK(synadb_tensor_put(db, "g/", x, shape, 2, SYNADB_DTYPE_FLOAT32));
    CHECK_OK(synadb_tensor_put_chunked(db, "gc", x, shape, 2, SYNADB_DTYPE_FLOAT32, 10));
    r = synadb_gpu_device_count(&n);
    if (!synadb_gpu_compiled()) {
        CHECK_EQ(r, SYNADB_ERR_GPU_UNAVAILABLE);
        CHECK_EQ(n, 0);
        CHECK(!strcmp(synadb_gpu_status(), "GPU not compiled in"));
        CHECK_EQ(synadb_gpu_device_info(0, &info), SYNADB_ERR_GPU_UNAVAILABLE);
        CHECK_EQ(synadb_tensor_get_gpu(db, "g/*", SYNADB_DTYPE_FLOAT32, 0, &g), SYNADB_ERR_GPU_UNAVAILABLE);
        CHECK(strstr(synadb_errmsg(db), "GPU not compiled in") != NULL);
        CHECK(g.device_ptr == NULL);
        CHECK_EQ(synadb_tensor_prefetch_gpu(db, "g/*", SYNADB_DTYPE_FLOAT32, 0, &g), SYNADB_ERR_GPU_UNAVAILABLE);
        CHECK_EQ(synadb_tensor_get_chunked_gpu(db, "gc", SYNADB_DTYPE_FLOAT32, 0, &g), SYNADB_ERR_GPU_UNAVAILABLE);
        CHECK_EQ(synadb_gpu_tensor_wait(&g), SYNADB_ERR_GPU_UNAVAILABLE);
        CHECK_EQ(synadb_gpu_tensor_download(&g, back, sizeof back), SYNADB_ERR_GPU_UNAVAILABLE);
        synadb_gpu_tensor_free(&g);
    } else {
        /* a machine without a device gives GPU_UNAVAILABLE; with one, the data equals the CPU's */
        CHECK(r == SYNADB_OK || r == SYNADB_ERR_GPU_UNAVAILABLE);
        CHECK(!strcmp(synadb_gpu_status(), "CUDA"));
        r = synadb_tensor_get_gpu(db, "g/*", SYNADB_DTYPE_FLOAT32, 0, &g);
        CHECK(r == SYNADB_OK || r == SYNADB_ERR_GPU_UNAVAILABLE || r == SYNADB_ERR_GPU_OUT_OF_MEMORY);
        if (r == SYNADB_OK) {
            CHECK_EQ(g.shape[0], 64); CHECK_EQ(g.shape[1], 33);
            memset(back, 0, sizeof back);
            CHECK_OK(synadb_gpu_tensor_download(&g, back, sizeof back));
            CHECK(!memcmp(back, x, sizeof x));
            CHECK_OK(synadb_gpu_device_info(0, &info));
        }
        synadb_gpu_tensor_free(&g);
        r2 = synadb_tensor_get_chunked_gpu(db, "gc", SYNADB_DTYPE_FLOAT32, 0, &g);
        CHECK(r2 == r || r2 == SYNADB_ERR_GPU_UNAVAILABLE);
        if (r2 == SYNADB_OK) {
            memset(back, 0, sizeof back);
            CHECK_OK(synadb_gpu_tensor_download(&g, back, sizeof back));
            CHECK(!memcmp(back, x, sizeof x));
        }
        synadb_gpu_tensor_free(&g);
    }
    CHECK_EQ(synadb_gpu_device_count(NULL), synadb_gpu_compiled() ? SYNADB_ERR_INVALID_ARG : SYNADB_ERR_GPU_UNAVAILABLE);
    synadb_close(db);
    remove(g_path);
}

/* ---- threads: readers of one tensor while a writer grows the file (remaps) ---- */
#if TEST_HAVE_PROCESSES && !defined(SYNA_NO_THREADS)
typedef struct { synadb_db *db; int bad, iters; } tctx;
static void *reader_thread(void *arg) {
    tctx *c = (tctx *)arg;
    int i;
    for (i = 0; i < c->iters; i++) {
        synadb_tensor t;
        synadb_tensor_view v;
        size_t k;
        if (synadb_tensor_get(c->db, "stable/*", SYNADB_DTYPE_FLOAT32, &t)) { c->bad++; continue; }
        for (k = 0; k < t.count; k++) if (((float *)t.data)[k] != (float)k) { c->bad++; break; }
        synadb_tensor_free(c->db, &t);
        if (synadb_tensor_get_chunked(c->db, "stablec", SYNADB_DTYPE_FLOAT64, &t)) { c->bad++; continue; }
        for (k = 0; k < t.count; k++) if (((double *)t.data)[k] != (double)k) { c->bad++; break; }
        synadb_tensor_free(c->db, &t);
        (void)v;
    }
    return NULL;
}
static void *writer_thread(void *arg) {
    tctx *c = (tctx *)arg;
    size_t shape[2] = {64, 256};
    static float junk[64 * 256];
    int i;
    char prefix[32];
    for (i = 0; i < c->iters; i++) {
        snprintf(prefix, sizeof prefix, "grow%d/", i % 20);
        if (synadb_tensor_put(c->db, prefix, junk, shape, 2, SYNADB_DTYPE_FLOAT32)) c->bad++;
    }
    return NULL;
}
static void test_threads(void) {
    synadb_db *db = open_db("threads.db", 1);
    size_t shape[2] = {100, 50}, i;
    float x[5000];
    pthread_t th[3];
    tctx c[3];
    CHECK(db != NULL);
    if (!db) return;
    for (i = 0; i < 5000; i++) x[i] = (float)i;
    CHECK_OK(synadb_tensor_put(db, "stable/", x, shape, 2, SYNADB_DTYPE_FLOAT32));
    CHECK_OK(synadb_tensor_put_chunked(db, "stablec", x, shape, 2, SYNADB_DTYPE_FLOAT32, 9));
    for (i = 0; i < 3; i++) { c[i].db = db; c[i].bad = 0; c[i].iters = i == 2 ? 60 : 40; }
    pthread_create(&th[0], NULL, reader_thread, &c[0]);
    pthread_create(&th[1], NULL, reader_thread, &c[1]);
    pthread_create(&th[2], NULL, writer_thread, &c[2]);
    for (i = 0; i < 3; i++) pthread_join(th[i], NULL);
    CHECK_EQ(c[0].bad + c[1].bad + c[2].bad, 0);
    synadb_close(db);
    remove(g_path);
}
#endif

int main(int argc, char **argv) {
    test_seed(20261121);
#if TEST_HAVE_PROCESSES && !defined(SYNA_NO_THREADS)
    if (argc > 1 && !strcmp(argv[1], "threads")) { RUN(test_threads); return test_report(); }
#else
    (void)argv;
#endif
    (void)argc;
    RUN(test_half_conversions);
    RUN(test_convert_oracle);
    RUN(test_roundtrip_property);
    RUN(test_layout_and_keys);
    RUN(test_core_values_and_errors);
    RUN(test_header_fuzz);
    RUN(test_bad_input);
    RUN(test_chunked);
    RUN(test_chunked_flip);
    RUN(test_fast_crc);
    RUN(test_chunked_crc_only);
#if TEST_HAVE_PROCESSES
    RUN(test_chunked_kill9);
    RUN(test_rows_kill9);
#endif
    RUN(test_large_outputs);
    RUN(test_stream);
    RUN(test_views);
    RUN(test_compressed);
    RUN(test_abi);
    RUN(test_gpu);
#if TEST_HAVE_PROCESSES && !defined(SYNA_NO_THREADS)
    RUN(test_threads);
#endif
    return test_report();
}
