/* test_lz4.c - tests of the LZ4 block codec inside synadb.h (synadb__lz4_*),
 * including interoperability with liblz4 (used by this test only, never by the codec).
 *
 * Build and run (from the repository root):
 *   cc -std=c99 -O2 -Wall -Wextra -Werror -fsanitize=address,undefined tests/test_lz4.c -llz4 -lpthread -lm -o /tmp/t && /tmp/t
 *
 * Every buffer handed to the decoder is a heap copy of exactly the input size, and every
 * output buffer is exactly out_len (or cap) bytes, so that AddressSanitizer reports any
 * read or write outside them.
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"  /* the codec under test is its internal LZ4 (synadb__lz4_*) */
#include <lz4.h>
#include <lz4hc.h>
#include "testing.h"

/* ------------------------------------------------------------------ helpers */

static uint32_t g_table[SYNADB__LZ4_TABLE_BYTES / 4];

static uint8_t *xmalloc(size_t n) {
    uint8_t *p = (uint8_t *)malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

static uint8_t *dup_bytes(const uint8_t *p, size_t n) {
    uint8_t *q = xmalloc(n);
    if (n) memcpy(q, p, n);
    return q;
}

/* Our decoder on a heap copy of exactly n bytes into a heap buffer of exactly out_len. */
static int decode_exact(const uint8_t *src, size_t n, size_t out_len, uint8_t **out) {
    uint8_t *s = dup_bytes(src, n);
    uint8_t *d = xmalloc(out_len);
    int r = synadb__lz4_decompress(s, n, d, out_len);
    free(s);
    if (out) *out = d;
    else free(d);
    return r;
}

/* Walks a block and checks what every encoder must respect: offsets 1..65535 within the
 * output, the last 5 bytes literals, no match starting in the last 12 bytes, and exactly
 * raw_len bytes. Also records the longest literal run and match seen. */
static size_t g_max_lit, g_max_match;
static int block_is_conforming(const uint8_t *c, size_t n, size_t raw_len) {
    size_t ip = 0, op = 0;
    for (;;) {
        size_t lit, ml, off;
        unsigned b;
        if (ip >= n) return 0;
        b = c[ip++];
        lit = b >> 4;
        ml = b & 15;
        if (lit == 15) {
            unsigned e;
            do {
                if (ip >= n) return 0;
                e = c[ip++];
                lit += e;
            } while (e == 255);
        }
        if (lit > n - ip) return 0;
        ip += lit;
        op += lit;
        if (lit > g_max_lit) g_max_lit = lit;
        if (ip == n) return op == raw_len;
        if (n - ip < 2) return 0;
        off = (size_t)c[ip] | ((size_t)c[ip + 1] << 8);
        ip += 2;
        if (off == 0 || off > op) return 0;
        if (ml == 15) {
            unsigned e;
            do {
                if (ip >= n) return 0;
                e = c[ip++];
                ml += e;
            } while (e == 255);
        }
        ml += 4;
        if (ml > g_max_match) g_max_match = ml;
        if (op + 12 > raw_len) return 0;       /* match starts within the last 12 bytes */
        if (op + ml + 5 > raw_len) return 0;   /* match reaches into the last 5 bytes */
        op += ml;
    }
}

/* Compresses with ours (table filled with garbage first), checks the size against the
 * bound, the block structure, decodes with ours and with liblz4. Returns 1 if all good. */
static int roundtrip(const uint8_t *data, size_t n) {
    size_t bound = synadb__lz4_bound(n), size;
    uint8_t *comp = xmalloc(bound), *back = NULL;
    int ok = 1;
    memset(g_table, 0xA5, sizeof g_table);
    size = synadb__lz4_compress(data, n, comp, bound, g_table);
    if (size == 0 || size > bound) ok = 0;
    if (ok && n >= 1 && n < 0x7E000000 && (size_t)LZ4_compressBound((int)n) > bound) ok = 0;
    if (ok && !block_is_conforming(comp, size, n)) ok = 0;
    if (ok) {
        if (decode_exact(comp, size, n, &back) != 0 || (n && memcmp(back, data, n))) ok = 0;
        free(back);
    }
    if (ok) {
        uint8_t *c2 = dup_bytes(comp, size);
        uint8_t *d2 = xmalloc(n);
        int r = LZ4_decompress_safe((const char *)c2, (char *)d2, (int)size, (int)n);
        if (r != (int)n || (n && memcmp(d2, data, n))) ok = 0;
        free(c2);
        free(d2);
    }
    if (!ok) fprintf(stderr, "  round trip failed for n=%zu (size %zu)\n", n, size);
    free(comp);
    return ok;
}

/* ------------------------------------------------------------------ data */

static void fill_random(uint8_t *p, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) p[i] = (uint8_t)test_rand();
}

/* Repetitive: a few short random phrases chained at random. */
static void fill_repetitive(uint8_t *p, size_t n) {
    static const char *words[] = {"abc", "hello ", "world", "0123456789", "xx", "\n", "zzzzzz"};
    size_t i = 0;
    while (i < n) {
        const char *w = words[test_rand() % 7];
        size_t k = strlen(w);
        if (k > n - i) k = n - i;
        memcpy(p + i, w, k);
        i += k;
    }
}

/* Text-like log lines. */
static void fill_text(uint8_t *p, size_t n) {
    static const char *levels[] = {"INFO", "WARN", "DEBUG", "ERROR"};
    static const char *msgs[] = {"request completed", "connection acquired", "job finished",
                                 "cache miss for key", "slow query detected"};
    size_t i = 0;
    unsigned long long ts = 1700000000000ull;
    while (i < n) {
        char line[200];
        int k;
        unsigned lv, ms, id, lat;
        ts += test_rand() % 50;
        lv = (unsigned)(test_rand() % 4);
        ms = (unsigned)(test_rand() % 5);
        id = (unsigned)(test_rand() % 100000);
        lat = (unsigned)(test_rand() % 1000);
        k = snprintf(line, sizeof line, "%llu %s %s id=%u latency=%u\n", ts, levels[lv],
                     msgs[ms], id, lat);
        if ((size_t)k > n - i) k = (int)(n - i);
        memcpy(p + i, line, (size_t)k);
        i += (size_t)k;
    }
}

/* Binary structured: fixed-size records with a counter, small ints and a float. */
static void fill_binary(uint8_t *p, size_t n) {
    size_t i = 0;
    uint32_t seq = 1000;
    while (i < n) {
        uint8_t rec[24];
        uint32_t small = (uint32_t)(test_rand() % 16);
        double v = (double)(test_rand() % 1000) / 100.0;
        size_t k = sizeof rec;
        memset(rec, 0, sizeof rec);
        memcpy(rec, &seq, 4);
        memcpy(rec + 4, &small, 4);
        memcpy(rec + 8, &v, 8);
        rec[16] = 0x7F;
        seq++;
        if (k > n - i) k = n - i;
        memcpy(p + i, rec, k);
        i += k;
    }
}

typedef void (*filler)(uint8_t *, size_t);
static const filler g_fillers[] = {fill_text, fill_binary, fill_repetitive, fill_random};
static const char *g_filler_names[] = {"text", "binary", "repetitive", "random"};

/* ------------------------------------------------------------------ tests */

static void test_empty(void) {
    uint8_t out[4] = {0xEE, 0xEE, 0xEE, 0xEE}, one[1] = {0};
    uint8_t zero_tok[1] = {0};
    CHECK_EQ(synadb__lz4_compress(one, 0, out, sizeof out, g_table), 1);
    CHECK_EQ(out[0], 0);
    CHECK_EQ(out[1], 0xEE);
    CHECK_EQ(synadb__lz4_compress(one, 0, out, 0, g_table), 0); /* no room for the token */
    CHECK_EQ(decode_exact(zero_tok, 1, 0, NULL), 0);
    CHECK_EQ(decode_exact(zero_tok, 1, 1, NULL), -1);
    CHECK_EQ(decode_exact(zero_tok, 0, 0, NULL), -1); /* no token at all */
    CHECK_EQ(LZ4_decompress_safe((const char *)out, (char *)one, 1, 0), 0);
    CHECK(roundtrip(one, 0));
    /* empty buffers may be NULL */
    CHECK_EQ(synadb__lz4_compress(NULL, 0, out, sizeof out, g_table), 1);
    CHECK_EQ(synadb__lz4_compress(NULL, 0, NULL, 0, g_table), 0);
    CHECK_EQ(synadb__lz4_decompress(zero_tok, 1, NULL, 0), 0);
    CHECK_EQ(synadb__lz4_decompress(NULL, 0, NULL, 0), -1);
    CHECK_EQ(synadb__lz4_bound(0), 16);
}

static void test_all_small_lengths(void) {
    uint8_t buf[301];
    size_t n;
    int kind;
    test_seed(11);
    for (kind = 0; kind < 4; kind++) {
        for (n = 0; n <= 300; n++) {
            g_fillers[kind](buf, n);
            if (!roundtrip(buf, n)) {
                CHECK(0);
                fprintf(stderr, "  kind %s\n", g_filler_names[kind]);
            }
        }
    }
    /* repetitive data of these sizes must actually compress */
    fill_repetitive(buf, 300);
    {
        uint8_t comp[400];
        size_t s = synadb__lz4_compress(buf, 300, comp, sizeof comp, g_table);
        CHECK(s > 0 && s < 200);
    }
}

static void test_text_1mib(void) {
    size_t n = (size_t)1 << 20, s;
    uint8_t *data = xmalloc(n), *comp = xmalloc(synadb__lz4_bound(n));
    test_seed(12);
    fill_text(data, n);
    CHECK(roundtrip(data, n));
    s = synadb__lz4_compress(data, n, comp, synadb__lz4_bound(n), g_table);
    CHECK(s > 0 && s < n / 2);
    {   /* ratio within 3% of liblz4 on the same input */
        int l = LZ4_compress_default((const char *)data, (char *)comp, (int)n,
                                     (int)synadb__lz4_bound(n));
        CHECK(l > 0);
        CHECK((double)s <= (double)l * 1.03);
    }
    free(data);
    free(comp);
}

/* Runs of one byte and short periods: matches overlapping their source (offsets 1..8). */
static void test_runs_and_overlaps(void) {
    static const size_t lens[] = {13, 14, 16, 17, 20, 31, 32, 33, 64, 100, 255, 256,
                                  270, 271, 1000, 4096, 65536, 70000, 300000};
    size_t li, period;
    for (li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        size_t n = lens[li], i;
        uint8_t *data = xmalloc(n);
        memset(data, 'a', n);
        CHECK(roundtrip(data, n));
        for (period = 1; period <= 20; period++) {
            for (i = 0; i < n; i++) data[i] = (uint8_t)(i < period ? 'A' + i * 7 : data[i - period]);
            if (!roundtrip(data, n)) {
                CHECK(0);
                fprintf(stderr, "  period %zu len %zu\n", period, n);
            }
        }
        /* a random prefix then a run: literal then one overlapping match */
        test_seed(13 + li);
        for (period = 1; period <= 8; period++) {
            fill_random(data, n);
            if (n > 40) memset(data + 20, data[20 - period], n - 40);
            for (i = 20; i < n - 20 && n > 40; i++) data[i] = data[i - period];
            CHECK(roundtrip(data, n));
        }
        free(data);
    }
    /* a run of zeros compresses to about n/255 */
    {
        size_t n = 1000000, s;
        uint8_t *data = xmalloc(n), *comp = xmalloc(synadb__lz4_bound(n));
        memset(data, 0, n);
        s = synadb__lz4_compress(data, n, comp, synadb__lz4_bound(n), g_table);
        CHECK(s > 0 && s < n / 255 + 32);
        free(data);
        free(comp);
    }
}

static void test_incompressible(void) {
    static const size_t lens[] = {13, 100, 1000, 65535, 65536, 100000, (size_t)1 << 20};
    size_t li;
    test_seed(14);
    for (li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        size_t n = lens[li], s;
        uint8_t *data = xmalloc(n), *comp = xmalloc(synadb__lz4_bound(n) + 16);
        fill_random(data, n);
        CHECK(roundtrip(data, n));
        s = synadb__lz4_compress(data, n, comp, synadb__lz4_bound(n), g_table);
        CHECK(s > n && s <= synadb__lz4_bound(n));
        /* random data cannot fit in n bytes: 0 and nothing written past cap */
        memset(comp, 0xCD, synadb__lz4_bound(n) + 16);
        CHECK_EQ(synadb__lz4_compress(data, n, comp, n, g_table), 0);
        {
            size_t i, bad = 0;
            for (i = n; i < synadb__lz4_bound(n) + 16; i++) bad += comp[i] != 0xCD;
            CHECK_EQ(bad, 0);
        }
        free(data);
        free(comp);
    }
}

/* Long literal runs and long matches, found by the compressor and hand-encoded. */
static void test_long_literals_and_matches(void) {
    static const size_t lit_lens[] = {14, 15, 16, 269, 270, 271, 300, 524, 525, 1000, 70000};
    static const size_t match_lens[] = {18, 19, 20, 273, 274, 275, 300, 529, 530, 5000, 100000};
    size_t i, j;
    test_seed(15);
    for (i = 0; i < sizeof lit_lens / sizeof lit_lens[0]; i++) {
        for (j = 0; j < sizeof match_lens / sizeof match_lens[0]; j++) {
            /* random lit bytes, then a repeat of the first min(lit,..) bytes as one match of
             * length ml (periodic if ml > lit), then 16 random tail bytes */
            size_t lit = lit_lens[i], ml = match_lens[j], n = lit + ml + 16, k;
            uint8_t *data = xmalloc(n);
            fill_random(data, n);
            for (k = lit; k < lit + ml; k++) data[k] = data[k - lit];
            g_max_lit = g_max_match = 0;
            CHECK(roundtrip(data, n));
            if (lit <= 65535) {
                CHECK(g_max_lit >= lit - 3);
                CHECK(g_max_match >= ml);
            }
            free(data);
        }
    }
    /* hand-encoded: every literal length 0..600 followed by every match length 4..600 */
    {
        uint8_t block[2000], *expect = xmalloc(1400), *out = NULL;
        size_t lit, ml;
        for (lit = 1; lit <= 600; lit += (lit < 40 ? 1 : 37)) {
            for (ml = 4; ml <= 600; ml += (ml < 40 ? 1 : 41)) {
                size_t bp = 0, ep = 0, k, rem, off = lit < 3 ? lit : 3;
                block[bp++] = (uint8_t)(((lit >= 15 ? 15 : lit) << 4) | (ml - 4 >= 15 ? 15 : ml - 4));
                if (lit >= 15) {
                    for (rem = lit - 15; rem >= 255; rem -= 255) block[bp++] = 255;
                    block[bp++] = (uint8_t)rem;
                }
                for (k = 0; k < lit; k++) block[bp++] = expect[ep++] = (uint8_t)(k * 31 + 7);
                block[bp++] = (uint8_t)off;
                block[bp++] = 0;
                if (ml - 4 >= 15) {
                    for (rem = ml - 4 - 15; rem >= 255; rem -= 255) block[bp++] = 255;
                    block[bp++] = (uint8_t)rem;
                }
                for (k = 0; k < ml; k++, ep++) expect[ep] = expect[ep - off];
                block[bp++] = 0xC0; /* 12 final literals, as encoders must leave */
                for (k = 0; k < 12; k++) block[bp++] = expect[ep++] = (uint8_t)('a' + k);
                CHECK(block_is_conforming(block, bp, ep));
                if (decode_exact(block, bp, ep, &out) != 0 || memcmp(out, expect, ep)) {
                    CHECK(0);
                    fprintf(stderr, "  hand block lit %zu ml %zu\n", lit, ml);
                }
                free(out);
                {
                    uint8_t *d2 = xmalloc(ep);
                    CHECK_EQ(LZ4_decompress_safe((const char *)block, (char *)d2, (int)bp, (int)ep),
                             (int)ep);
                    free(d2);
                }
            }
        }
        free(expect);
    }
}

/* Repeats at distance 65535 (the largest offset) and 65536 (one too far). */
static void test_offset_limits(void) {
    size_t dist;
    test_seed(24);
    for (dist = 65534; dist <= 65537; dist++) {
        size_t n = dist * 2 + 100, i, s;
        uint8_t *data = xmalloc(n), *comp = xmalloc(synadb__lz4_bound(n));
        fill_random(data, dist);
        for (i = dist; i < n; i++) data[i] = data[i - dist];
        g_max_match = 0;
        CHECK(roundtrip(data, n)); /* which also checks every offset is 1..65535 */
        s = synadb__lz4_compress(data, n, comp, synadb__lz4_bound(n), g_table);
        if (dist <= 65535) {
            CHECK(s < n * 6 / 10); /* the second copy is one long match */
            CHECK(g_max_match >= dist);
        } else {
            CHECK(s > n);          /* nothing within reach */
        }
        free(data);
        free(comp);
    }
}

/* liblz4's output decodes with ours; ours decodes with liblz4 (in roundtrip()). */
static void test_interop(void) {
    static const size_t sizes[] = {1, 5, 12, 13, 14, 19, 20, 31, 64, 100, 127, 500, 1000,
                                   4095, 4096, 4097, 10000, 65535, 65536, 65537, 65547,
                                   65548, 100000, 262144, 1000003, (size_t)3 << 20};
    size_t si;
    int kind;
    test_seed(16);
    for (kind = 0; kind < 4; kind++) {
        for (si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            size_t n = sizes[si];
            int cap = LZ4_compressBound((int)n), lvl;
            uint8_t *data = xmalloc(n), *comp = xmalloc((size_t)cap), *out = NULL;
            g_fillers[kind](data, n);
            if (!roundtrip(data, n)) {
                CHECK(0);
                fprintf(stderr, "  kind %s n %zu\n", g_filler_names[kind], n);
            }
            for (lvl = 0; lvl < 4; lvl++) {
                int s;
                if (lvl == 0) s = LZ4_compress_default((const char *)data, (char *)comp, (int)n, cap);
                else if (lvl == 1) s = LZ4_compress_fast((const char *)data, (char *)comp, (int)n, cap, 8);
                else if (lvl == 2) s = LZ4_compress_HC((const char *)data, (char *)comp, (int)n, cap, 9);
                else s = LZ4_compress_HC((const char *)data, (char *)comp, (int)n, cap, 12);
                CHECK(s > 0);
                if (s <= 0) continue;
                if (decode_exact(comp, (size_t)s, n, &out) != 0 || memcmp(out, data, n)) {
                    CHECK(0);
                    fprintf(stderr, "  liblz4 block (mode %d) kind %s n %zu not decoded\n", lvl,
                            g_filler_names[kind], n);
                }
                free(out);
                /* wrong out_len is an error */
                CHECK_EQ(decode_exact(comp, (size_t)s, n + 1, NULL), -1);
                CHECK_EQ(decode_exact(comp, (size_t)s, n - 1, NULL), -1);
            }
            free(data);
            free(comp);
        }
    }
    /* every size 0..2000 of text against liblz4's default compressor */
    {
        uint8_t data[2000], comp[2100], *out = NULL;
        size_t n;
        test_seed(17);
        fill_text(data, sizeof data);
        for (n = 0; n <= 2000; n++) {
            int s = LZ4_compress_default((const char *)data, (char *)comp, (int)n, (int)sizeof comp);
            CHECK(s > 0);
            if (decode_exact(comp, (size_t)s, n, &out) != 0 || (n && memcmp(out, data, n))) CHECK(0);
            free(out);
            if (!roundtrip(data, n)) CHECK(0);
        }
    }
}

/* Compressed size compared with liblz4 over many inputs (documents the ratio). */
static void test_ratio_vs_liblz4(void) {
    static const size_t sizes[] = {100, 300, 1000, 4000, 16384, 60000, 200000, 1 << 20};
    size_t si;
    int kind;
    for (kind = 0; kind < 3; kind++) {
        size_t total_s = 0, total_l = 0;
        for (si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            size_t n = sizes[si];
            uint8_t *data = xmalloc(n), *comp = xmalloc(synadb__lz4_bound(n));
            test_seed(18 + si);
            g_fillers[kind](data, n);
            total_s += synadb__lz4_compress(data, n, comp, synadb__lz4_bound(n), g_table);
            total_l += (size_t)LZ4_compress_default((const char *)data, (char *)comp, (int)n,
                                                    (int)synadb__lz4_bound(n));
            free(data);
            free(comp);
        }
        CHECK((double)total_s <= (double)total_l * 1.03);
        printf("  ratio check %-10s synadb %zu bytes, liblz4 %zu bytes (%.4f)\n",
               g_filler_names[kind], total_s, total_l, (double)total_s / (double)total_l);
    }
}

/* The table's previous contents must not matter: same output for any garbage. */
static void test_table_contents_ignored(void) {
    size_t n = 200000, s1, s2, s3;
    uint8_t *data = xmalloc(n), *c1 = xmalloc(synadb__lz4_bound(n)), *c2 = xmalloc(synadb__lz4_bound(n));
    test_seed(19);
    fill_text(data, n);
    memset(g_table, 0, sizeof g_table);
    s1 = synadb__lz4_compress(data, n, c1, synadb__lz4_bound(n), g_table);
    memset(g_table, 0xFF, sizeof g_table);
    s2 = synadb__lz4_compress(data, n, c2, synadb__lz4_bound(n), g_table);
    CHECK(s1 > 0);
    CHECK_EQ(s1, s2);
    CHECK(memcmp(c1, c2, s1) == 0);
    fill_random((uint8_t *)g_table, sizeof g_table);
    s3 = synadb__lz4_compress(data, 3000, c2, synadb__lz4_bound(n), g_table);
    memset(g_table, 0x11, sizeof g_table);
    CHECK_EQ(synadb__lz4_compress(data, 3000, c1, synadb__lz4_bound(n), g_table), s3);
    CHECK(memcmp(c1, c2, s3) == 0);
    free(data);
    free(c1);
    free(c2);
}

/* Every cap below the compressed size returns 0 and writes nothing past cap; the exact
 * size succeeds with the same bytes. */
static void test_cap_too_small(void) {
    static const size_t sizes[] = {0, 5, 13, 50, 300, 3000, 70000};
    size_t si;
    int kind;
    test_seed(20);
    for (kind = 0; kind < 4; kind++) {
        for (si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            size_t n = sizes[si], full, cap, bound = synadb__lz4_bound(n);
            uint8_t *data = xmalloc(n), *ref = xmalloc(bound);
            g_fillers[kind](data, n);
            full = synadb__lz4_compress(data, n, ref, bound, g_table);
            CHECK(full > 0);
            for (cap = 0; cap <= full; cap += (full > 2000 && cap + 300 < full ? 97 : 1)) {
                uint8_t *dst = xmalloc(cap + 64);
                size_t r, i, bad = 0;
                memset(dst, 0xCD, cap + 64);
                r = synadb__lz4_compress(data, n, dst, cap, g_table);
                for (i = cap; i < cap + 64; i++) bad += dst[i] != 0xCD;
                CHECK_EQ(bad, 0);
                if (cap < full) CHECK_EQ(r, 0);
                else {
                    CHECK_EQ(r, full);
                    CHECK(memcmp(dst, ref, full) == 0);
                }
                free(dst);
                /* and into a buffer of exactly cap bytes (ASan watches the edge) */
                dst = xmalloc(cap);
                r = synadb__lz4_compress(data, n, dst, cap, g_table);
                CHECK(cap < full ? r == 0 : r == full);
                free(dst);
            }
            free(data);
            free(ref);
        }
    }
}

/* ---- malformed input ---- */

static void test_handcrafted_errors(void) {
    /* "a" then match offset 1 length 4 then 5 literals: 10 bytes */
    static const uint8_t good[] = {0x10, 'a', 1, 0, 0x50, 'b', 'c', 'd', 'e', 'f'};
    static const uint8_t off0[] = {0x10, 'a', 0, 0, 0x50, 'b', 'c', 'd', 'e', 'f'};
    static const uint8_t off2[] = {0x10, 'a', 2, 0, 0x50, 'b', 'c', 'd', 'e', 'f'};
    static const uint8_t offbig[] = {0x10, 'a', 0xFF, 0xFF, 0x50, 'b', 'c', 'd', 'e', 'f'};
    static const uint8_t lit_over_in[] = {0x50, 'a', 'b'};
    static const uint8_t lit_ext_trunc[] = {0xF0};
    static const uint8_t lit_ext_trunc2[] = {0xF0, 255, 255};
    static const uint8_t match_ext_trunc[] = {0x1F, 'a', 1, 0};
    static const uint8_t match_ext_trunc2[] = {0x1F, 'a', 1, 0, 255};
    static const uint8_t offset_trunc[] = {0x10, 'a', 1};
    uint8_t *out = NULL;
    CHECK_EQ(decode_exact(good, sizeof good, 10, &out), 0);
    CHECK(memcmp(out, "aaaaabcdef", 10) == 0);
    free(out);
    CHECK_EQ(decode_exact(good, sizeof good, 9, NULL), -1);
    CHECK_EQ(decode_exact(good, sizeof good, 11, NULL), -1);
    CHECK_EQ(decode_exact(good, sizeof good, 0, NULL), -1);
    CHECK_EQ(decode_exact(off0, sizeof off0, 10, NULL), -1);
    CHECK_EQ(decode_exact(off2, sizeof off2, 10, NULL), -1);
    CHECK_EQ(decode_exact(offbig, sizeof offbig, 10, NULL), -1);
    CHECK_EQ(decode_exact(lit_over_in, sizeof lit_over_in, 5, NULL), -1);
    CHECK_EQ(decode_exact(lit_over_in, sizeof lit_over_in, 2, NULL), -1);
    CHECK_EQ(decode_exact(lit_ext_trunc, sizeof lit_ext_trunc, 15, NULL), -1);
    CHECK_EQ(decode_exact(lit_ext_trunc2, sizeof lit_ext_trunc2, 600, NULL), -1);
    CHECK_EQ(decode_exact(match_ext_trunc, sizeof match_ext_trunc, 30, NULL), -1);
    CHECK_EQ(decode_exact(match_ext_trunc2, sizeof match_ext_trunc2, 300, NULL), -1);
    CHECK_EQ(decode_exact(offset_trunc, sizeof offset_trunc, 10, NULL), -1);
    {   /* match length overflowing out_len (short, long and huge extension) */
        uint8_t b[600];
        size_t k, bp = 0;
        static const uint8_t m_short[] = {0x1F, 'a', 1, 0, 10, 0x00};
        CHECK_EQ(decode_exact(m_short, sizeof m_short, 1 + 29, NULL), 0);
        CHECK_EQ(decode_exact(m_short, sizeof m_short, 1 + 28, NULL), -1);
        b[bp++] = 0x1F;
        b[bp++] = 'a';
        b[bp++] = 1;
        b[bp++] = 0;
        for (k = 0; k < 500; k++) b[bp++] = 255;
        b[bp++] = 0;
        b[bp++] = 0x00;
        CHECK_EQ(decode_exact(b, bp, 1 + 19 + 500 * 255, NULL), 0);
        CHECK_EQ(decode_exact(b, bp, 1 + 19 + 500 * 255 - 1, NULL), -1);
        CHECK_EQ(decode_exact(b, bp, 1000, NULL), -1);
        /* literal length overflowing out_len */
        bp = 0;
        b[bp++] = 0xF0;
        for (k = 0; k < 300; k++) b[bp++] = 255;
        b[bp++] = 3;
        CHECK_EQ(decode_exact(b, bp, 100, NULL), -1);
        CHECK_EQ(decode_exact(b, bp, 15 + 300 * 255 + 3, NULL), -1); /* literals missing */
    }
    {   /* offsets at and past the limit in the middle of a long block (this exercises
         * the decoder's fast path): 32 literals + match(offset 1, length 4); then `lit`
         * literals + match(offset under test, length 8); then 40 final literals */
        static const size_t lits[] = {0, 5, 10, 14, 15};
        size_t li;
        int oi;
        for (li = 0; li < sizeof lits / sizeof lits[0]; li++) {
            size_t lit = lits[li];
            size_t offs[5];
            offs[0] = 0;
            offs[1] = 36 + lit; /* the very first output byte: valid */
            offs[2] = 37 + lit; /* one before it */
            offs[3] = 1000;
            offs[4] = 65535;
            for (oi = 0; oi < 5; oi++) {
                uint8_t b[200];
                size_t bp = 0, k, out_len = 36 + lit + 8 + 40;
                int expect = (offs[oi] >= 1 && offs[oi] <= 36 + lit) ? 0 : -1;
                b[bp++] = 0xF0;
                b[bp++] = 32 - 15;
                for (k = 0; k < 32; k++) b[bp++] = (uint8_t)k;
                b[bp++] = 1;
                b[bp++] = 0;
                b[bp++] = (uint8_t)(((lit >= 15 ? 15 : lit) << 4) | 4);
                if (lit >= 15) b[bp++] = (uint8_t)(lit - 15);
                for (k = 0; k < lit; k++) b[bp++] = (uint8_t)(100 + k);
                b[bp++] = (uint8_t)offs[oi];
                b[bp++] = (uint8_t)(offs[oi] >> 8);
                b[bp++] = 0xF0;
                b[bp++] = 40 - 15;
                for (k = 0; k < 40; k++) b[bp++] = (uint8_t)(200 + k);
                CHECK_EQ(decode_exact(b, bp, out_len, NULL), expect);
                /* liblz4 agrees, except that its fast path lets offset 0 through */
                if (offs[oi] != 0)
                    CHECK_EQ(LZ4_decompress_safe((const char *)b, (char *)g_table, (int)bp,
                                                 (int)out_len) == (int)out_len ? 0 : -1,
                             expect);
            }
        }
    }
    {   /* literal run of 15 exactly: 0xF0 0x00 + 15 bytes */
        uint8_t b[17];
        uint8_t *o = NULL;
        b[0] = 0xF0;
        b[1] = 0;
        memset(b + 2, 'q', 15);
        CHECK_EQ(decode_exact(b, 17, 15, &o), 0);
        free(o);
        CHECK_EQ(decode_exact(b, 16, 15, NULL), -1);
        CHECK_EQ(decode_exact(b, 17, 16, NULL), -1);
    }
    {   /* trailing bytes after a complete block */
        uint8_t b[sizeof good + 4];
        size_t extra;
        memcpy(b, good, sizeof good);
        for (extra = 1; extra <= 4; extra++) {
            b[sizeof good + extra - 1] = (uint8_t)(extra == 1 ? 0 : 1);
            CHECK_EQ(decode_exact(b, sizeof good + extra, 10, NULL), -1);
        }
    }
}

/* Valid blocks of several kinds and sizes, from our compressor and liblz4. */
static size_t make_blocks(uint8_t ***blocks, size_t **sizes, uint8_t ***raws, size_t **raw_lens) {
    static const size_t lens[] = {13, 40, 100, 300, 1000, 5000, 70000};
    size_t count = 0, li;
    int kind, who;
    *blocks = (uint8_t **)malloc(64 * sizeof **blocks);
    *sizes = (size_t *)malloc(64 * sizeof **sizes);
    *raws = (uint8_t **)malloc(64 * sizeof **raws);
    *raw_lens = (size_t *)malloc(64 * sizeof **raw_lens);
    test_seed(21);
    for (kind = 0; kind < 4; kind++) {
        for (li = 0; li < sizeof lens / sizeof lens[0]; li++) {
            for (who = 0; who < 2; who++) {
                size_t n = lens[li], bound = synadb__lz4_bound(n);
                uint8_t *data = xmalloc(n), *comp = xmalloc(bound);
                size_t s;
                if (kind == 3 && who == 1) {
                    free(data);
                    free(comp);
                    continue;
                }
                g_fillers[kind](data, n);
                if (who == 0) s = synadb__lz4_compress(data, n, comp, bound, g_table);
                else s = (size_t)LZ4_compress_HC((const char *)data, (char *)comp, (int)n, (int)bound, 9);
                (*blocks)[count] = comp;
                (*sizes)[count] = s;
                (*raws)[count] = data;
                (*raw_lens)[count] = n;
                count++;
            }
        }
    }
    return count;
}

static void free_blocks(size_t count, uint8_t **blocks, size_t *sizes, uint8_t **raws, size_t *raw_lens) {
    size_t i;
    for (i = 0; i < count; i++) {
        free(blocks[i]);
        free(raws[i]);
    }
    free(blocks);
    free(sizes);
    free(raws);
    free(raw_lens);
}

static void test_truncations(void) {
    uint8_t **blocks, **raws;
    size_t *sizes, *raw_lens, count, b, cut;
    count = make_blocks(&blocks, &sizes, &raws, &raw_lens);
    CHECK(count > 40);
    for (b = 0; b < count; b++) {
        size_t step = sizes[b] > 3000 ? 7 : 1;
        uint8_t *out = NULL;
        CHECK_EQ(decode_exact(blocks[b], sizes[b], raw_lens[b], &out), 0);
        CHECK(memcmp(out, raws[b], raw_lens[b]) == 0);
        free(out);
        for (cut = 0; cut < sizes[b]; cut += step) {
            if (decode_exact(blocks[b], cut, raw_lens[b], NULL) != -1) {
                CHECK(0);
                fprintf(stderr, "  block %zu cut at %zu of %zu decoded\n", b, cut, sizes[b]);
            }
        }
        /* the end region at every byte even for big blocks */
        for (cut = sizes[b] > 64 ? sizes[b] - 64 : 0; cut < sizes[b]; cut++)
            CHECK_EQ(decode_exact(blocks[b], cut, raw_lens[b], NULL), -1);
    }
    free_blocks(count, blocks, sizes, raws, raw_lens);
}

static void test_byte_flips(void) {
    uint8_t **blocks, **raws;
    size_t *sizes, *raw_lens, count, b;
    long trials = 0, rejected = 0;
    count = make_blocks(&blocks, &sizes, &raws, &raw_lens);
    test_seed(22);
    for (b = 0; b < count; b++) {
        int t;
        int per = sizes[b] > 10000 ? 150 : 400;
        for (t = 0; t < per; t++) {
            uint8_t *c = dup_bytes(blocks[b], sizes[b]);
            int flips = 1 + (int)(test_rand() % 3), f, r;
            for (f = 0; f < flips; f++) {
                size_t pos = (size_t)(test_rand() % sizes[b]);
                if (test_rand() % 2) c[pos] ^= (uint8_t)(1u << (test_rand() % 8));
                else c[pos] = (uint8_t)test_rand();
            }
            r = decode_exact(c, sizes[b], raw_lens[b], NULL);
            CHECK(r == 0 || r == -1);
            trials++;
            rejected += r == -1;
            /* different out_len for the same garbage */
            r = decode_exact(c, sizes[b], (size_t)(test_rand() % (raw_lens[b] * 2 + 1)), NULL);
            CHECK(r == 0 || r == -1);
            free(c);
        }
    }
    CHECK(rejected > trials / 4); /* most corruptions are detected */
    printf("  byte flips: %ld trials, %ld rejected\n", trials, rejected);
    free_blocks(count, blocks, sizes, raws, raw_lens);
}

/* Pure garbage, and garbage that looks like tokens with big lengths. */
static void test_random_garbage(void) {
    int t;
    test_seed(23);
    for (t = 0; t < 20000; t++) {
        size_t n = (size_t)(test_rand() % 64), out_len = (size_t)(test_rand() % 300), i;
        uint8_t *c = xmalloc(n);
        int r;
        for (i = 0; i < n; i++) {
            uint64_t x = test_rand();
            /* bias towards interesting bytes */
            c[i] = (uint8_t)((x & 3) == 0 ? 255 : (x & 3) == 1 ? (x >> 8) % 16 : (x >> 8));
        }
        r = decode_exact(c, n, out_len, NULL);
        CHECK(r == 0 || r == -1);
        free(c);
    }
}

int main(void) {
    (void)test_path; /* from testing.h, unused here */
    RUN(test_empty);
    RUN(test_all_small_lengths);
    RUN(test_text_1mib);
    RUN(test_runs_and_overlaps);
    RUN(test_incompressible);
    RUN(test_long_literals_and_matches);
    RUN(test_offset_limits);
    RUN(test_interop);
    RUN(test_ratio_vs_liblz4);
    RUN(test_table_contents_ignored);
    RUN(test_cap_too_small);
    RUN(test_handcrafted_errors);
    RUN(test_truncations);
    RUN(test_byte_flips);
    RUN(test_random_garbage);
    return test_report();
}
