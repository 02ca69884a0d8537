/* test_core.c - unit tests of the native API of synadb.h: every call and its error paths.
 * Built in several configurations by tests/run.sh (default, no-mmap, sanitizers). */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "testing.h"

#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>
#if !defined(__EMSCRIPTEN__) && !defined(_WIN32)
#include <sys/wait.h>
#endif

#ifndef TEST_NO_MMAP
#define TEST_NO_MMAP 0
#endif

static char P[512];

static synadb_config cfg0(void) {
    synadb_config c = synadb_config_default();
    c.no_mmap = TEST_NO_MMAP;
    return c;
}
static synadb_db *open_db(const char *path, const synadb_config *c) {
    synadb_db *db = NULL;
    char err[512];
    synadb_config d = cfg0();
    synadb_result r = synadb_open_ex(path, c ? c : &d, &db, err, sizeof err);
    if (r) fprintf(stderr, "open %s: %s\n", path, err);
    return db;
}
static uint64_t file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static void test_version_and_strings(void) {
    CHECK(strcmp(synadb_version(), SYNADB_VERSION_STRING) == 0);
    CHECK_EQ(synadb_version_number(), SYNADB_VERSION_NUMBER);
    CHECK(strcmp(synadb_result_str(SYNADB_OK), "success") == 0);
    CHECK(strcmp(synadb_result_str(SYNADB_ERR_KEY_NOT_FOUND), "key not found") == 0);
    CHECK(strcmp(synadb_result_str(-12345), "unknown error") == 0);
    /* the original's numbers are kept */
    CHECK_EQ(SYNADB_ERR_NOT_OPEN, -1); CHECK_EQ(SYNADB_ERR_INVALID_ARG, -2); CHECK_EQ(SYNADB_ERR_IO, -3);
    CHECK_EQ(SYNADB_ERR_SERIALIZATION, -4); CHECK_EQ(SYNADB_ERR_KEY_NOT_FOUND, -5); CHECK_EQ(SYNADB_ERR_TYPE_MISMATCH, -6);
    CHECK_EQ(SYNADB_ERR_EMPTY_KEY, -7); CHECK_EQ(SYNADB_ERR_KEY_TOO_LONG, -8); CHECK_EQ(SYNADB_ERR_INTERNAL, -100);
    CHECK(strcmp(synadb_errmsg(NULL), "no database handle") == 0);
}

static void test_crc32c(void) {
    /* check value of CRC-32C for "123456789" */
    CHECK_EQ(synadb_crc32c(0, "123456789", 9), 0xE3069283u);
    CHECK_EQ(synadb_crc32c(0, "", 0), 0);
    {   /* hardware and portable paths agree at every length and alignment */
        unsigned char buf[1100];
        size_t i, n, al;
        int ok = 1;
        for (i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)test_rand();
        for (al = 0; al < 16; al++)
            for (n = 0; n + al <= sizeof buf; n += 1 + (n > 64 ? 37 : 0)) {
                uint32_t a = synadb__crc32c_sw(0, buf + al, n);
                uint32_t b = synadb__crc(synadb__hw_crc_detect(), 0, buf + al, n);
                if (a != b) ok = 0;
            }
        CHECK(ok);
        /* chaining: crc(a||b) == crc(crc(a), b) */
        CHECK_EQ(synadb_crc32c(synadb_crc32c(0, buf, 100), buf + 100, 900), synadb_crc32c(0, buf, 1000));
    }
    {   /* long inputs (the three-stream paths: 8 KiB, 512 and 64-byte blocks) against the table
           code, with every capability set, and combining crc(A), crc(B) into crc(A||B) */
        size_t cap = 200000, i, k;
        unsigned char *big = (unsigned char *)malloc(cap);
        int hw = synadb__hw_crc_detect(), ok = 1, caps;
        static const size_t lens[] = {191, 192, 193, 1535, 1536, 1537, 24575, 24576, 24577, 24576 + 1536 + 192 + 7, 99999, 200000};
        if (!big) { CHECK(0); return; }
        for (i = 0; i < cap; i++) big[i] = (unsigned char)test_rand();
        for (caps = 0; caps <= 3; caps++) {
            if ((caps & hw) != caps) continue;   /* only what this CPU has */
            for (k = 0; k < sizeof lens / sizeof *lens; k++)
                for (i = 0; i < 3; i++) {
                    size_t n = lens[k] - i;
                    if (synadb__crc(caps, 7u, big + i, n) != synadb__crc32c_sw(7u, big + i, n)) ok = 0;
                }
        }
        CHECK(ok);
        for (k = 0; k < 50; k++) {
            size_t a = (size_t)test_rand() % 100000, b = (size_t)test_rand() % 100000;
            uint32_t ca = synadb_crc32c(0, big, a), cb = synadb_crc32c(0, big + a, b);
            if (synadb__crc_combine(ca, cb, b) != synadb_crc32c(0, big, a + b)) ok = 0;
        }
        CHECK(ok);
        free(big);
    }
}

static void test_open_close_errors(void) {
    synadb_db *db = NULL;
    char err[256];
    synadb_config c = cfg0();
    CHECK_EQ(synadb_open(NULL, NULL, &db), SYNADB_ERR_INVALID_ARG);
    CHECK(db == NULL);
    CHECK_EQ(synadb_open("", NULL, &db), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_open(test_path(P, sizeof P, "x.db"), NULL, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_open("/nonexistent-dir-synadb/x.db", NULL, &db), SYNADB_ERR_NOT_FOUND);
    CHECK(db == NULL);
    /* no_create on a missing file */
    c.no_create = 1;
    CHECK_EQ(synadb_open_ex(test_path(P, sizeof P, "missing.db"), &c, &db, err, sizeof err), SYNADB_ERR_NOT_FOUND);
    CHECK(strstr(err, "does not exist") != NULL);
    CHECK(file_size(P) == 0 && access(P, F_OK) != 0); /* nothing created */
    /* read-only on a missing file */
    c = cfg0(); c.read_only = 1;
    CHECK_EQ(synadb_open(P, &c, &db), SYNADB_ERR_NOT_FOUND);
    /* a directory */
    CHECK(synadb_open("/tmp", NULL, &db) != SYNADB_OK);
    /* a config from the future is refused */
    c = cfg0(); c.struct_size = sizeof c + 8;
    CHECK_EQ(synadb_open(test_path(P, sizeof P, "future.db"), &c, &db), SYNADB_ERR_INVALID_ARG);
    /* NULL handle everywhere */
    CHECK_EQ(synadb_close(NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_put_float(NULL, "k", 1, 1.0), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_get_float(NULL, "k", 1, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_delete(NULL, "k", 1), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_compact(NULL, 0), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_sync(NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exists(NULL, "k", 1), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_errcode(NULL), SYNADB_ERR_INVALID_ARG);
}

static void test_foreign_and_newer_files(void) {
    synadb_db *db = NULL;
    char err[256];
    FILE *f;
    unsigned char h[64];
    uint64_t before;
    /* a text file is not ours and stays untouched */
    f = fopen(test_path(P, sizeof P, "foreign.txt"), "wb");
    fputs("hello, this is not a database at all. It is long enough to have a header. 0123456789", f);
    fclose(f);
    before = file_size(P);
    CHECK_EQ(synadb_open_ex(P, NULL, &db, err, sizeof err), SYNADB_ERR_NOT_A_DATABASE);
    CHECK(strstr(err, "not a SynaDB file") != NULL);
    CHECK_EQ(file_size(P), before);
    /* a short foreign file */
    f = fopen(P, "wb"); fputs("abc", f); fclose(f);
    CHECK_EQ(synadb_open(P, NULL, &db), SYNADB_ERR_NOT_A_DATABASE);
    CHECK_EQ(file_size(P), 3);
    /* a header with a newer version */
    synadb__header_build(h, 0, 42);
    synadb__wr32(h + 8, SYNADB_FORMAT_VERSION + 1);
    synadb__wr32(h + 60, synadb_crc32c(0, h, 60));
    f = fopen(P, "wb"); fwrite(h, 1, 64, f); fclose(f);
    CHECK_EQ(synadb_open_ex(P, NULL, &db, err, sizeof err), SYNADB_ERR_VERSION);
    CHECK(strstr(err, "format version") != NULL);
    CHECK_EQ(file_size(P), 64);
    /* unknown incompatible feature flags */
    synadb__header_build(h, 0, 42);
    synadb__wr32(h + 16, 1);
    synadb__wr32(h + 60, synadb_crc32c(0, h, 60));
    f = fopen(P, "wb"); fwrite(h, 1, 64, f); fclose(f);
    CHECK_EQ(synadb_open(P, NULL, &db), SYNADB_ERR_VERSION);
    /* a damaged header */
    synadb__header_build(h, 0, 42);
    h[30] ^= 1;
    f = fopen(P, "wb"); fwrite(h, 1, 64, f); fclose(f);
    CHECK_EQ(synadb_open(P, NULL, &db), SYNADB_ERR_CORRUPT);
    remove(P);
}

static void test_typed_put_get(void) {
    synadb_db *db = open_db(test_path(P, sizeof P, "typed.db"), NULL);
    double d = 0;
    int64_t i = 0;
    char *t = NULL;
    void *b = NULL;
    float *v = NULL, vec[5] = {1.5f, -2.25f, 0.0f, 3e38f, -1e-30f};
    uint32_t dims = 0;
    size_t n = 0;
    synadb_value val;
    synadb_type ty;
    uint64_t off = 0;
    const unsigned char bytes[] = {0, 1, 2, 255, 0, 7};
    CHECK(db != NULL);
    if (!db) return;
    CHECK_OK(synadb_put_float(db, "f", SYNADB_NTS, 3.25));
    CHECK_OK(synadb_put_int(db, "i", SYNADB_NTS, -9007199254740993LL));
    CHECK_OK(synadb_put_text(db, "t", SYNADB_NTS, "h\xc3\xa9llo", SYNADB_NTS));
    CHECK_OK(synadb_put_bytes(db, "b", SYNADB_NTS, bytes, sizeof bytes));
    CHECK_OK(synadb_put_vector(db, "v", SYNADB_NTS, vec, 5));
    CHECK_OK(synadb_put_null(db, "n", SYNADB_NTS));
    CHECK_OK(synadb_put_bytes(db, "empty", SYNADB_NTS, NULL, 0));
    CHECK_OK(synadb_put_text(db, "emptytext", SYNADB_NTS, "", 0));
    memset(&val, 0, sizeof val);
    val.type = SYNADB_TYPE_FLOAT; val.f = 1.0;
    CHECK_OK(synadb_put(db, "withoff", SYNADB_NTS, &val, &off));
    CHECK(off >= 64);

    CHECK_OK(synadb_get_float(db, "f", SYNADB_NTS, &d)); CHECK(d == 3.25);
    CHECK_OK(synadb_get_int(db, "i", SYNADB_NTS, &i)); CHECK(i == -9007199254740993LL);
    CHECK_OK(synadb_get_text(db, "t", SYNADB_NTS, &t, &n));
    CHECK(n == 6 && strcmp(t, "h\xc3\xa9llo") == 0);
    synadb_free(db, t);
    CHECK_OK(synadb_get_bytes(db, "b", SYNADB_NTS, &b, &n));
    CHECK(n == sizeof bytes && memcmp(b, bytes, n) == 0);
    synadb_free(db, b);
    CHECK_OK(synadb_get_bytes(db, "empty", SYNADB_NTS, &b, &n));
    CHECK(n == 0 && b != NULL);
    synadb_free(db, b);
    CHECK_OK(synadb_get_vector(db, "v", SYNADB_NTS, &v, &dims));
    CHECK(dims == 5 && memcmp(v, vec, sizeof vec) == 0);
    synadb_free(db, v);
    CHECK_OK(synadb_get_type(db, "n", SYNADB_NTS, &ty)); CHECK(ty == SYNADB_TYPE_NULL);
    CHECK_OK(synadb_get_type(db, "v", SYNADB_NTS, &ty)); CHECK(ty == SYNADB_TYPE_VECTOR);

    /* generic get */
    CHECK_OK(synadb_get(db, "t", SYNADB_NTS, &val));
    CHECK(val.type == SYNADB_TYPE_TEXT && val.len == 6 && memcmp(val.data, "h\xc3\xa9llo", 7) == 0);
    synadb_value_free(db, &val);
    CHECK(val.data == NULL);
    CHECK_OK(synadb_get(db, "v", SYNADB_NTS, &val));
    CHECK(val.type == SYNADB_TYPE_VECTOR && val.dims == 5 && ((const float *)val.data)[1] == -2.25f);
    synadb_value_free(db, &val);
    CHECK_OK(synadb_get(db, "i", SYNADB_NTS, &val)); CHECK(val.type == SYNADB_TYPE_INT && val.i == -9007199254740993LL);
    CHECK_OK(synadb_get(db, "n", SYNADB_NTS, &val)); CHECK(val.type == SYNADB_TYPE_NULL);

    /* into a caller buffer */
    {
        char buf[16];
        CHECK_OK(synadb_get_bytes_into(db, "b", SYNADB_NTS, buf, sizeof buf, &n));
        CHECK(n == sizeof bytes && memcmp(buf, bytes, n) == 0);
        CHECK_EQ(synadb_get_bytes_into(db, "b", SYNADB_NTS, buf, 3, &n), SYNADB_ERR_BUFFER_TOO_SMALL);
        CHECK_EQ(n, sizeof bytes);
        CHECK_EQ(synadb_get_bytes_into(db, "f", SYNADB_NTS, buf, sizeof buf, &n), SYNADB_ERR_TYPE_MISMATCH);
        CHECK_EQ(synadb_get_bytes_into(db, "b", SYNADB_NTS, NULL, 4, &n), SYNADB_ERR_INVALID_ARG);
    }

    /* special floats round-trip bit-exactly */
    {
        double specials[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 5e-324, 1.7976931348623157e308};
        size_t k;
        for (k = 0; k < sizeof specials / sizeof *specials; k++) {
            uint64_t a, b2;
            CHECK_OK(synadb_put_float(db, "special", SYNADB_NTS, specials[k]));
            CHECK_OK(synadb_get_float(db, "special", SYNADB_NTS, &d));
            memcpy(&a, &specials[k], 8); memcpy(&b2, &d, 8);
            CHECK(a == b2);
        }
    }
    /* overwrite changes the latest value */
    CHECK_OK(synadb_put_float(db, "f", SYNADB_NTS, 4.5));
    CHECK_OK(synadb_get_float(db, "f", SYNADB_NTS, &d)); CHECK(d == 4.5);
    /* type change on overwrite */
    CHECK_OK(synadb_put_text(db, "f", SYNADB_NTS, "now text", SYNADB_NTS));
    CHECK_EQ(synadb_get_float(db, "f", SYNADB_NTS, &d), SYNADB_ERR_TYPE_MISMATCH);
    CHECK(strstr(synadb_errmsg(db), "type") != NULL);
    CHECK_EQ(synadb_errcode(db), SYNADB_ERR_TYPE_MISMATCH);
    CHECK_OK(synadb_close(db));

    /* everything survives a reopen */
    db = open_db(P, NULL);
    CHECK(db != NULL);
    if (!db) return;
    CHECK_OK(synadb_get_int(db, "i", SYNADB_NTS, &i)); CHECK(i == -9007199254740993LL);
    CHECK_OK(synadb_get_vector(db, "v", SYNADB_NTS, &v, &dims));
    CHECK(dims == 5 && memcmp(v, vec, sizeof vec) == 0);
    synadb_free(db, v);
    CHECK_OK(synadb_get_text(db, "f", SYNADB_NTS, &t, &n));
    CHECK(strcmp(t, "now text") == 0);
    synadb_free(db, t);
    CHECK_OK(synadb_close(db));
    remove(P);
}

static void test_keys_bad_input(void) {
    synadb_db *db = open_db(test_path(P, sizeof P, "badin.db"), NULL);
    char *big;
    double d;
    float vec[2] = {1, 2};
    synadb_value v;
    CHECK(db != NULL);
    if (!db) return;
    CHECK_EQ(synadb_put_float(db, NULL, 0, 1.0), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_put_float(db, "", SYNADB_NTS, 1.0), SYNADB_ERR_EMPTY_KEY);
    CHECK_EQ(synadb_put_float(db, "abc", 0, 1.0), SYNADB_ERR_EMPTY_KEY);
    big = (char *)malloc(70000);
    memset(big, 'k', 70000);
    CHECK_EQ(synadb_put_float(db, big, 65536, 1.0), SYNADB_ERR_KEY_TOO_LONG);
    CHECK(strstr(synadb_errmsg(db), "65535") != NULL);
    /* exactly 65535 bytes is fine, and readable after reopen (the original could not) */
    CHECK_OK(synadb_put_float(db, big, 65535, 7.0));
    CHECK_OK(synadb_get_float(db, big, 65535, &d)); CHECK(d == 7.0);
    /* keys are byte strings: embedded NUL bytes are distinct keys */
    CHECK_OK(synadb_put_int(db, "a\0b", 3, 1));
    CHECK_OK(synadb_put_int(db, "a\0c", 3, 2));
    {
        int64_t x = 0;
        CHECK_OK(synadb_get_int(db, "a\0b", 3, &x)); CHECK(x == 1);
        CHECK_OK(synadb_get_int(db, "a\0c", 3, &x)); CHECK(x == 2);
        CHECK_EQ(synadb_get_int(db, "a", SYNADB_NTS, &x), SYNADB_ERR_KEY_NOT_FOUND);
    }
    /* invalid UTF-8 text */
    CHECK_EQ(synadb_put_text(db, "t", SYNADB_NTS, "\xff\xfe", 2), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_put_text(db, "t", SYNADB_NTS, "\xc0\x80", 2), SYNADB_ERR_INVALID_ARG);   /* overlong */
    CHECK_EQ(synadb_put_text(db, "t", SYNADB_NTS, "\xed\xa0\x80", 3), SYNADB_ERR_INVALID_ARG); /* surrogate */
    CHECK_EQ(synadb_put_text(db, "t", SYNADB_NTS, "\xf4\x90\x80\x80", 4), SYNADB_ERR_INVALID_ARG); /* > U+10FFFF */
    CHECK_EQ(synadb_put_text(db, "t", SYNADB_NTS, "ab\xe2\x82", 4), SYNADB_ERR_INVALID_ARG); /* truncated */
    CHECK_OK(synadb_put_text(db, "t", SYNADB_NTS, "\xf0\x9f\x98\x80 ok", SYNADB_NTS));
    CHECK_EQ(synadb_put_text(db, "t", SYNADB_NTS, NULL, 5), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_put_bytes(db, "b", SYNADB_NTS, NULL, 5), SYNADB_ERR_INVALID_ARG);
    /* vectors */
    CHECK_EQ(synadb_put_vector(db, "v", SYNADB_NTS, NULL, 2), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_put_vector(db, "v", SYNADB_NTS, vec, 0), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_put_vector(db, "v", SYNADB_NTS, vec, 65536), SYNADB_ERR_INVALID_ARG);
    /* unknown type */
    memset(&v, 0, sizeof v);
    v.type = 17;
    CHECK_EQ(synadb_put(db, "x", SYNADB_NTS, &v, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_put(db, "x", SYNADB_NTS, NULL, NULL), SYNADB_ERR_INVALID_ARG);
    /* a failed put wrote nothing */
    CHECK_EQ(synadb_exists(db, "x", SYNADB_NTS), 0);
    CHECK_EQ(synadb_exists(db, "v", SYNADB_NTS), 0);
    /* NULL out parameters */
    CHECK_EQ(synadb_get_float(db, "t", SYNADB_NTS, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_get_int(db, "t", SYNADB_NTS, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_get(db, "t", SYNADB_NTS, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_get_text(db, "t", SYNADB_NTS, NULL, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_history_floats(db, "t", SYNADB_NTS, NULL, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_keys(db, NULL, 0, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_stats_get(db, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_foreach_key(db, NULL, 0, NULL, NULL), SYNADB_ERR_INVALID_ARG);
    /* missing keys */
    CHECK_EQ(synadb_get_float(db, "nope", SYNADB_NTS, &d), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_delete(db, "nope", SYNADB_NTS), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_OK(synadb_close(db));
    db = open_db(P, NULL);
    CHECK(db != NULL);
    if (db) {
        CHECK_OK(synadb_get_float(db, big, 65535, &d)); CHECK(d == 7.0);
        synadb_close(db);
    }
    free(big);
    remove(P);
}

static void test_delete_and_history(void) {
    synadb_db *db = open_db(test_path(P, sizeof P, "hist.db"), NULL);
    double *h = NULL;
    int64_t *hi = NULL;
    size_t n = 0;
    CHECK(db != NULL);
    if (!db) return;
    CHECK_OK(synadb_put_float(db, "temp", SYNADB_NTS, 23.5));
    CHECK_OK(synadb_put_float(db, "temp", SYNADB_NTS, 24.1));
    CHECK_OK(synadb_put_text(db, "temp", SYNADB_NTS, "skip me", SYNADB_NTS));
    CHECK_OK(synadb_put_float(db, "temp", SYNADB_NTS, 24.8));
    CHECK_OK(synadb_history_floats(db, "temp", SYNADB_NTS, &h, &n));
    CHECK(n == 3 && h[0] == 23.5 && h[1] == 24.1 && h[2] == 24.8);
    synadb_free(db, h);
    CHECK_OK(synadb_history_len(db, "temp", SYNADB_NTS, &n)); CHECK_EQ(n, 4);
    /* no ints in this history: OK, empty */
    CHECK_OK(synadb_history_ints(db, "temp", SYNADB_NTS, &hi, &n));
    CHECK(n == 0 && hi == NULL);
    CHECK_EQ(synadb_history_floats(db, "absent", SYNADB_NTS, &h, &n), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK(h == NULL && n == 0);
    /* delete, then a later put starts a new history */
    CHECK_OK(synadb_delete(db, "temp", SYNADB_NTS));
    CHECK_EQ(synadb_exists(db, "temp", SYNADB_NTS), 0);
    CHECK_EQ(synadb_history_floats(db, "temp", SYNADB_NTS, &h, &n), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_delete(db, "temp", SYNADB_NTS), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_OK(synadb_put_float(db, "temp", SYNADB_NTS, 1.0));
    CHECK_OK(synadb_history_floats(db, "temp", SYNADB_NTS, &h, &n));
    CHECK(n == 1 && h[0] == 1.0);
    synadb_free(db, h);
    /* int history */
    {
        int k;
        for (k = 0; k < 100; k++) CHECK_OK(synadb_put_int(db, "ctr", SYNADB_NTS, k * 3));
        CHECK_OK(synadb_history_ints(db, "ctr", SYNADB_NTS, &hi, &n));
        CHECK_EQ(n, 100);
        if (n == 100) { CHECK(hi[0] == 0 && hi[99] == 297); }
        synadb_free(db, hi);
    }
    CHECK_OK(synadb_close(db));
    /* after reopen the same */
    db = open_db(P, NULL);
    CHECK(db != NULL);
    if (!db) return;
    CHECK_OK(synadb_history_floats(db, "temp", SYNADB_NTS, &h, &n));
    CHECK(n == 1 && h && h[0] == 1.0);
    synadb_free(db, h);
    CHECK_OK(synadb_history_len(db, "ctr", SYNADB_NTS, &n)); CHECK_EQ(n, 100);
    synadb_close(db);
    remove(P);
}

/* Long histories cross every history-block size class and the separate array. */
static void test_long_history(void) {
    synadb_db *db = open_db(test_path(P, sizeof P, "long.db"), NULL);
    int k, keys = 50, per = 300;
    int ok = 1;
    CHECK(db != NULL);
    if (!db) return;
    for (k = 0; k < per; k++) {
        int j;
        for (j = 0; j < keys; j++) {
            char key[32];
            snprintf(key, sizeof key, "series/%d", j);
            if (synadb_put_int(db, key, SYNADB_NTS, (int64_t)j * 1000 + k)) ok = 0;
        }
    }
    CHECK(ok);
    for (k = 0; k < 2; k++) {
        int j;
        for (j = 0; j < keys; j++) {
            char key[32];
            int64_t *h = NULL;
            size_t n = 0, i;
            snprintf(key, sizeof key, "series/%d", j);
            if (synadb_history_ints(db, key, SYNADB_NTS, &h, &n) || n != (size_t)per) ok = 0;
            for (i = 0; i < n; i++) if (h[i] != (int64_t)j * 1000 + (int64_t)i) ok = 0;
            synadb_free(db, h);
        }
        CHECK(ok);
        synadb_close(db);
        db = open_db(P, NULL);
        if (!db) { CHECK(0); return; }
    }
    {
        synadb_stats st;
        CHECK_OK(synadb_stats_get(db, &st));
        CHECK_EQ(st.keys, keys);
        CHECK_EQ(st.versions, keys * per);
        CHECK_EQ(st.records, keys * per);
    }
    synadb_close(db);
    remove(P);
}

static void test_floats_batch(void) {
    synadb_config c = cfg0();
    int delta;
    for (delta = 0; delta < 2; delta++) {
        synadb_db *db;
        double *vals = (double *)malloc(20000 * sizeof(double)), *h = NULL, d;
        size_t n = 0, i;
        int ok = 1;
        c.enable_delta = delta;
        db = open_db(test_path(P, sizeof P, "batch.db"), &c);
        CHECK(db != NULL);
        if (!db) { free(vals); return; }
        for (i = 0; i < 20000; i++) vals[i] = (double)(long)((20.0 + 0.37 * sin((double)i / 50.0)) * 100) / 100;
        vals[777] = 1.0 / 3.0; /* not a short decimal: forces the raw codec for one block */
        CHECK_OK(synadb_put_float(db, "s", SYNADB_NTS, -1.0));
        CHECK_OK(synadb_put_floats_batch(db, "s", SYNADB_NTS, vals, 20000));
        CHECK_OK(synadb_put_floats_batch(db, "s", SYNADB_NTS, vals, 0));
        CHECK_EQ(synadb_put_floats_batch(db, "s", SYNADB_NTS, NULL, 3), SYNADB_ERR_INVALID_ARG);
        CHECK_OK(synadb_put_float(db, "s", SYNADB_NTS, 99.5));
        CHECK_OK(synadb_get_float(db, "s", SYNADB_NTS, &d)); CHECK(d == 99.5);
        CHECK_OK(synadb_history_floats(db, "s", SYNADB_NTS, &h, &n));
        CHECK_EQ(n, 20002);
        if (n == 20002) {
            for (i = 0; i < 20000; i++) if (memcmp(&h[i + 1], &vals[i], 8)) ok = 0;
            CHECK(ok && h[0] == -1.0 && h[20001] == 99.5);
        }
        synadb_free(db, h);
        /* latest value of a key whose last write was a batch */
        CHECK_OK(synadb_put_floats_batch(db, "t", SYNADB_NTS, vals, 10));
        CHECK_OK(synadb_get_float(db, "t", SYNADB_NTS, &d)); CHECK(d == vals[9]);
        synadb_close(db);
        db = open_db(P, &c);
        CHECK(db != NULL);
        if (!db) { free(vals); return; }
        CHECK_OK(synadb_history_floats(db, "s", SYNADB_NTS, &h, &n));
        CHECK_EQ(n, 20002);
        ok = 1;
        if (n == 20002) for (i = 0; i < 20000; i++) if (memcmp(&h[i + 1], &vals[i], 8)) ok = 0;
        CHECK(ok);
        synadb_free(db, h);
        CHECK_OK(synadb_get_float(db, "t", SYNADB_NTS, &d)); CHECK(d == vals[9]);
        synadb_close(db);
        remove(P);
        free(vals);
    }
}

/* Delta encoding: exact values, smaller file. */
static void test_delta(void) {
    synadb_config c = cfg0();
    uint64_t sizes[2];
    int delta;
    double special[] = {1.5, 1.25, 1.125, -0.0, 0.0, 3.0, INFINITY, 2.5, NAN, 2.75, 1e300, 0.1, 0.2, 0.30000000000000004};
    for (delta = 0; delta < 2; delta++) {
        synadb_db *db;
        double x = 20.0, *h = NULL, d;
        int64_t *hi = NULL, iv;
        size_t n = 0, i;
        int ok = 1;
        c.enable_delta = delta;
        db = open_db(test_path(P, sizeof P, "delta.db"), &c);
        CHECK(db != NULL);
        if (!db) return;
        test_seed(7);
        for (i = 0; i < 5000; i++) {
            x += ((double)(test_rand() % 21) - 10.0) / 100.0;
            x = (double)(long long)(x * 100 + (x >= 0 ? 0.5 : -0.5)) / 100;
            if (synadb_put_float(db, "walk", SYNADB_NTS, x)) ok = 0;
            if (synadb_put_int(db, "ctr", SYNADB_NTS, (int64_t)i * 7 - 100)) ok = 0;
        }
        CHECK(ok);
        for (i = 0; i < sizeof special / sizeof *special; i++) CHECK_OK(synadb_put_float(db, "sp", SYNADB_NTS, special[i]));
        CHECK_OK(synadb_put_int(db, "big", SYNADB_NTS, INT64_MAX));
        CHECK_OK(synadb_put_int(db, "big", SYNADB_NTS, INT64_MIN));
        CHECK_OK(synadb_put_int(db, "big", SYNADB_NTS, 5));
        CHECK_OK(synadb_get_float(db, "walk", SYNADB_NTS, &d)); CHECK(d == x);
        CHECK_OK(synadb_get_int(db, "ctr", SYNADB_NTS, &iv)); CHECK(iv == 4999 * 7 - 100);
        synadb_close(db);
        db = open_db(P, &c);
        CHECK(db != NULL);
        if (!db) return;
        CHECK_OK(synadb_get_float(db, "walk", SYNADB_NTS, &d)); CHECK(d == x);
        CHECK_OK(synadb_get_int(db, "ctr", SYNADB_NTS, &iv)); CHECK(iv == 4999 * 7 - 100);
        CHECK_OK(synadb_history_ints(db, "ctr", SYNADB_NTS, &hi, &n));
        CHECK_EQ(n, 5000);
        for (i = 0; i < n; i++) if (hi[i] != (int64_t)i * 7 - 100) ok = 0;
        CHECK(ok);
        synadb_free(db, hi);
        CHECK_OK(synadb_history_floats(db, "sp", SYNADB_NTS, &h, &n));
        CHECK_EQ(n, sizeof special / sizeof *special);
        for (i = 0; i < n; i++) if (memcmp(&h[i], &special[i], 8)) ok = 0;
        CHECK(ok);
        synadb_free(db, h);
        CHECK_OK(synadb_history_ints(db, "big", SYNADB_NTS, &hi, &n));
        CHECK(n == 3 && hi[0] == INT64_MAX && hi[1] == INT64_MIN && hi[2] == 5);
        synadb_free(db, hi);
        /* compaction with history keeps delta chains valid; without, materialises */
        CHECK_OK(synadb_compact(db, SYNADB_COMPACT_KEEP_HISTORY));
        CHECK_OK(synadb_history_floats(db, "sp", SYNADB_NTS, &h, &n));
        CHECK_EQ(n, sizeof special / sizeof *special);
        for (i = 0; i < n; i++) if (memcmp(&h[i], &special[i], 8)) ok = 0;
        CHECK(ok);
        synadb_free(db, h);
        CHECK_OK(synadb_get_float(db, "walk", SYNADB_NTS, &d)); CHECK(d == x);
        synadb_close(db);
        sizes[delta] = file_size(P);
        db = open_db(P, &c);
        CHECK(db != NULL);
        if (!db) return;
        CHECK_OK(synadb_history_ints(db, "ctr", SYNADB_NTS, &hi, &n));
        CHECK_EQ(n, 5000);
        synadb_free(db, hi);
        CHECK_OK(synadb_compact(db, 0));
        CHECK_OK(synadb_get_float(db, "walk", SYNADB_NTS, &d)); CHECK(d == x);
        CHECK_OK(synadb_history_len(db, "walk", SYNADB_NTS, &n)); CHECK_EQ(n, 1);
        synadb_close(db);
        db = open_db(P, &c);
        CHECK(db != NULL);
        if (!db) return;
        CHECK_OK(synadb_get_float(db, "walk", SYNADB_NTS, &d)); CHECK(d == x);
        CHECK_OK(synadb_get_int(db, "big", SYNADB_NTS, &iv)); CHECK(iv == 5);
        synadb_close(db);
        remove(P);
    }
    /* delta really saves bytes (the original's did not) */
    CHECK(sizes[1] < sizes[0] * 0.9);
}

static void test_compression(void) {
    synadb_config c = cfg0();
    synadb_db *db;
    char *text = (char *)malloc(100001), *out = NULL;
    unsigned char *bin = (unsigned char *)malloc(5000);
    void *bout = NULL;
    size_t n = 0, i;
    uint64_t plain, packed;
    for (i = 0; i < 100000; i++) text[i] = "the quick brown fox jumps over the lazy dog. "[i % 45];
    text[100000] = 0;
    for (i = 0; i < 5000; i++) bin[i] = (unsigned char)test_rand();
    c.enable_compression = 0;
    db = open_db(test_path(P, sizeof P, "plain.db"), &c);
    CHECK(db != NULL);
    if (!db) return;
    CHECK_OK(synadb_put_text(db, "t", SYNADB_NTS, text, 100000));
    synadb_close(db);
    plain = file_size(P);
    remove(P);
    c.enable_compression = 1;
    db = open_db(test_path(P, sizeof P, "lz4.db"), &c);
    CHECK(db != NULL);
    if (!db) return;
    CHECK_OK(synadb_put_text(db, "t", SYNADB_NTS, text, 100000));
    CHECK_OK(synadb_put_bytes(db, "rand", SYNADB_NTS, bin, 5000)); /* incompressible: stored raw */
    CHECK_OK(synadb_put_text(db, "short", SYNADB_NTS, "tiny", SYNADB_NTS));
    CHECK_OK(synadb_get_text(db, "t", SYNADB_NTS, &out, &n));
    CHECK(n == 100000 && memcmp(out, text, n) == 0);
    synadb_free(db, out);
    synadb_close(db);
    packed = file_size(P);
    CHECK(packed < plain / 4 + 5000 + 200);
    db = open_db(P, &c);
    CHECK(db != NULL);
    if (!db) return;
    CHECK_OK(synadb_get_text(db, "t", SYNADB_NTS, &out, &n));
    CHECK(n == 100000 && memcmp(out, text, n) == 0);
    synadb_free(db, out);
    CHECK_OK(synadb_get_bytes(db, "rand", SYNADB_NTS, &bout, &n));
    CHECK(n == 5000 && memcmp(bout, bin, n) == 0);
    synadb_free(db, bout);
    {
        char small[10];
        CHECK_EQ(synadb_get_bytes_into(db, "t", SYNADB_NTS, small, sizeof small, &n), SYNADB_ERR_BUFFER_TOO_SMALL);
        CHECK_EQ(n, 100000);
    }
    CHECK_OK(synadb_compact(db, 0)); /* compressed records are copied as they are */
    CHECK_OK(synadb_get_text(db, "t", SYNADB_NTS, &out, &n));
    CHECK(n == 100000 && memcmp(out, text, n) == 0);
    synadb_free(db, out);
    synadb_close(db);
    remove(P);
    free(text);
    free(bin);
}

static int count_cb(void *user, const char *key, size_t klen, synadb_type t) {
    (void)key; (void)klen; (void)t;
    ++*(int *)user;
    return 0;
}
static int stop_cb(void *user, const char *key, size_t klen, synadb_type t) {
    (void)key; (void)klen; (void)t;
    return ++*(int *)user >= 3;
}

static void test_keys_and_glob(void) {
    synadb_db *db = open_db(test_path(P, sizeof P, "keys.db"), NULL);
    synadb_keylist kl;
    int cnt = 0;
    CHECK(db != NULL);
    if (!db) return;
    CHECK_OK(synadb_keys(db, NULL, 0, &kl)); CHECK_EQ(kl.count, 0); synadb_keylist_free(db, &kl);
    CHECK_OK(synadb_put_int(db, "train/0002", SYNADB_NTS, 2));
    CHECK_OK(synadb_put_int(db, "train/0001", SYNADB_NTS, 1));
    CHECK_OK(synadb_put_int(db, "train/0010", SYNADB_NTS, 10));
    CHECK_OK(synadb_put_int(db, "test/0001", SYNADB_NTS, 1));
    CHECK_OK(synadb_put_int(db, "trainx", SYNADB_NTS, 0));
    CHECK_OK(synadb_put_int(db, "gone", SYNADB_NTS, 0));
    CHECK_OK(synadb_delete(db, "gone", SYNADB_NTS));
    CHECK_OK(synadb_keys(db, NULL, 0, &kl));
    CHECK_EQ(kl.count, 5);
    if (kl.count == 5) {
        CHECK(strcmp(kl.keys[0], "test/0001") == 0 && strcmp(kl.keys[1], "train/0001") == 0 &&
              strcmp(kl.keys[3], "train/0010") == 0 && strcmp(kl.keys[4], "trainx") == 0);
        CHECK_EQ(kl.lens[0], 9);
    }
    synadb_keylist_free(db, &kl);
    CHECK_OK(synadb_keys(db, "train/*", SYNADB_NTS, &kl)); CHECK_EQ(kl.count, 3); synadb_keylist_free(db, &kl);
    CHECK_OK(synadb_keys(db, "train/000?", SYNADB_NTS, &kl)); CHECK_EQ(kl.count, 2); synadb_keylist_free(db, &kl);
    CHECK_OK(synadb_keys(db, "t*/0001", SYNADB_NTS, &kl)); CHECK_EQ(kl.count, 2); synadb_keylist_free(db, &kl);
    CHECK_OK(synadb_keys(db, "*[!0-9]", SYNADB_NTS, &kl)); CHECK_EQ(kl.count, 1); synadb_keylist_free(db, &kl);
    CHECK_OK(synadb_keys(db, "gone", SYNADB_NTS, &kl)); CHECK_EQ(kl.count, 0); synadb_keylist_free(db, &kl);
    CHECK_OK(synadb_foreach_key(db, "train*", SYNADB_NTS, count_cb, &cnt)); CHECK_EQ(cnt, 4);
    cnt = 0;
    CHECK_OK(synadb_foreach_key(db, NULL, 0, stop_cb, &cnt)); CHECK_EQ(cnt, 3);
    synadb_close(db);
    remove(P);
    /* the glob matcher itself */
    CHECK(synadb_glob_match("*", 1, "", 0));
    CHECK(synadb_glob_match("", 0, "", 0));
    CHECK(!synadb_glob_match("", 0, "a", 1));
    CHECK(synadb_glob_match("a*b*c", SYNADB_NTS, "aXXbYYc", 7));
    CHECK(!synadb_glob_match("a*b*c", SYNADB_NTS, "aXXbYY", 6));
    CHECK(synadb_glob_match("[abc]x", SYNADB_NTS, "bx", 2));
    CHECK(!synadb_glob_match("[abc]x", SYNADB_NTS, "dx", 2));
    CHECK(synadb_glob_match("[a-c][!x]", SYNADB_NTS, "cy", 2));
    CHECK(!synadb_glob_match("[a-c][^x]", SYNADB_NTS, "cx", 2));
    CHECK(synadb_glob_match("[]]", SYNADB_NTS, "]", 1));
    CHECK(synadb_glob_match("\\*", SYNADB_NTS, "*", 1));
    CHECK(!synadb_glob_match("\\*", SYNADB_NTS, "a", 1));
    CHECK(synadb_glob_match("[ab", SYNADB_NTS, "[ab", 3)); /* unclosed class is literal */
    CHECK(synadb_glob_match("**a", SYNADB_NTS, "bba", 3));
    CHECK(synadb_glob_match("a?c", SYNADB_NTS, "a\0c", 3));
    CHECK(synadb_glob_match(NULL, 0, "anything", 8));
    {   /* no exponential blow-up */
        char text[200], pat[100];
        memset(text, 'a', sizeof text);
        memset(pat, 0, sizeof pat);
        strcpy(pat, "a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
        CHECK(!synadb_glob_match(pat, SYNADB_NTS, text, sizeof text));
    }
}

static void test_read_only_and_lock(void) {
    synadb_db *w = open_db(test_path(P, sizeof P, "lock.db"), NULL), *w2 = NULL, *r = NULL;
    synadb_config c = cfg0();
    char err[256];
    double d;
    CHECK(w != NULL);
    if (!w) return;
    CHECK_OK(synadb_put_float(w, "x", SYNADB_NTS, 1.0));
#ifndef __EMSCRIPTEN__ /* no file locks there */
    /* a second writer in the same process is refused */
    CHECK_EQ(synadb_open_ex(P, NULL, &w2, err, sizeof err), SYNADB_ERR_LOCKED);
    CHECK(strstr(err, "open for writing") != NULL);
#else
    (void)w2; (void)err;
#endif
    /* readers may open alongside */
    c.read_only = 1;
    CHECK_OK(synadb_open(P, &c, &r));
    if (r) {
        CHECK_OK(synadb_get_float(r, "x", SYNADB_NTS, &d)); CHECK(d == 1.0);
        CHECK_EQ(synadb_put_float(r, "y", SYNADB_NTS, 2.0), SYNADB_ERR_READ_ONLY);
        CHECK_EQ(synadb_delete(r, "x", SYNADB_NTS), SYNADB_ERR_READ_ONLY);
        CHECK_EQ(synadb_compact(r, 0), SYNADB_ERR_READ_ONLY);
        CHECK_OK(synadb_sync(r));
        synadb_close(r);
    }
#if !defined(__EMSCRIPTEN__) && !defined(_WIN32)
    {   /* another process is refused too */
        pid_t pid = fork();
        if (pid == 0) {
            synadb_db *o = NULL;
            _exit(synadb_open(P, NULL, &o) == SYNADB_ERR_LOCKED ? 0 : 1);
        }
        if (pid > 0) {
            int status = 0;
            waitpid(pid, &status, 0);
            CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        }
    }
#endif
    synadb_close(w);
    /* the lock is released on close */
    w = open_db(P, NULL);
    CHECK(w != NULL);
    if (w) synadb_close(w);
    /* read-only open of an empty file works and does not write */
    {
        FILE *f = fopen(test_path(P, sizeof P, "empty.db"), "wb");
        fclose(f);
        CHECK_OK(synadb_open(P, &c, &r));
        if (r) { CHECK_EQ(synadb_exists(r, "x", SYNADB_NTS), 0); synadb_close(r); }
        CHECK_EQ(file_size(P), 0);
    }
    remove(P);
    remove(test_path(P, sizeof P, "lock.db"));
}

static void test_write_batch(void) {
    synadb_db *db = open_db(test_path(P, sizeof P, "wb.db"), NULL);
    synadb_batch_op ops[5];
    size_t failed = 99;
    double d;
    int64_t i;
    float vec[3] = {1, 2, 3};
    CHECK(db != NULL);
    if (!db) return;
    memset(ops, 0, sizeof ops);
    ops[0].key = "a"; ops[0].key_len = SYNADB_NTS; ops[0].value.type = SYNADB_TYPE_FLOAT; ops[0].value.f = 1.5;
    ops[1].key = "b"; ops[1].key_len = 1; ops[1].value.type = SYNADB_TYPE_INT; ops[1].value.i = 7;
    ops[2].key = "a"; ops[2].key_len = 1; ops[2].value.type = SYNADB_TYPE_FLOAT; ops[2].value.f = 2.5;
    ops[3].key = "v"; ops[3].key_len = 1; ops[3].value.type = SYNADB_TYPE_VECTOR; ops[3].value.data = vec; ops[3].value.dims = 3;
    ops[4].key = "b"; ops[4].key_len = 1; ops[4].op = SYNADB_OP_DELETE;
    CHECK_OK(synadb_write_batch(db, ops, 5, &failed));
    CHECK_OK(synadb_get_float(db, "a", SYNADB_NTS, &d)); CHECK(d == 2.5);
    CHECK_EQ(synadb_get_int(db, "b", SYNADB_NTS, &i), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_exists(db, "v", SYNADB_NTS), 1);
    {
        size_t n; double *h = NULL;
        CHECK_OK(synadb_history_floats(db, "a", SYNADB_NTS, &h, &n));
        CHECK(n == 2 && h[0] == 1.5 && h[1] == 2.5);
        synadb_free(db, h);
    }
    /* an invalid op: nothing is written, its index is reported */
    ops[0].value.f = 100;
    ops[3].value.dims = 0;
    CHECK_EQ(synadb_write_batch(db, ops, 5, &failed), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(failed, 3);
    CHECK_OK(synadb_get_float(db, "a", SYNADB_NTS, &d)); CHECK(d == 2.5);
    ops[3].value.dims = 3;
    ops[2].op = 9;
    CHECK_EQ(synadb_write_batch(db, ops, 5, &failed), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(failed, 2);
    ops[2].op = SYNADB_OP_PUT;
    ops[1].key_len = 0;
    CHECK_EQ(synadb_write_batch(db, ops, 5, &failed), SYNADB_ERR_EMPTY_KEY);
    CHECK_EQ(failed, 1);
    CHECK_OK(synadb_write_batch(db, ops, 0, &failed));
    CHECK_EQ(synadb_write_batch(db, NULL, 2, &failed), SYNADB_ERR_INVALID_ARG);
    synadb_close(db);
    db = open_db(P, NULL);
    CHECK(db != NULL);
    if (!db) return;
    CHECK_OK(synadb_get_float(db, "a", SYNADB_NTS, &d)); CHECK(d == 2.5);
    CHECK_EQ(synadb_exists(db, "b", SYNADB_NTS), 0);
    synadb_close(db);
    remove(P);
}

static void test_compact(void) {
    synadb_db *db = open_db(test_path(P, sizeof P, "compact.db"), NULL);
    synadb_stats st;
    int k;
    double d;
    uint64_t before;
    CHECK(db != NULL);
    if (!db) return;
    for (k = 0; k < 1000; k++) {
        char key[32];
        snprintf(key, sizeof key, "k%d", k % 100);
        CHECK_OK(synadb_put_float(db, key, SYNADB_NTS, k));
    }
    for (k = 0; k < 50; k++) {
        char key[32];
        snprintf(key, sizeof key, "k%d", k);
        CHECK_OK(synadb_delete(db, key, SYNADB_NTS));
    }
    CHECK_OK(synadb_stats_get(db, &st));
    CHECK_EQ(st.keys, 50);
    CHECK_EQ(st.records, 1050);
    before = st.file_bytes;
    CHECK_OK(synadb_compact(db, SYNADB_COMPACT_KEEP_HISTORY));
    CHECK_OK(synadb_stats_get(db, &st));
    CHECK_EQ(st.keys, 50);
    CHECK_EQ(st.records, 500);
    CHECK_EQ(st.versions, 500);
    CHECK(st.file_bytes < before);
    CHECK_OK(synadb_compact(db, 0));
    CHECK_OK(synadb_stats_get(db, &st));
    CHECK_EQ(st.records, 50);
    CHECK_EQ(st.live_bytes + 64, st.file_bytes);
    CHECK_OK(synadb_get_float(db, "k99", SYNADB_NTS, &d)); CHECK(d == 999);
    CHECK_EQ(synadb_exists(db, "k0", SYNADB_NTS), 0);
    /* writes continue after compaction, and survive reopen */
    CHECK_OK(synadb_put_float(db, "k0", SYNADB_NTS, -5));
    CHECK_OK(synadb_put_float(db, "k99", SYNADB_NTS, 1234));
    synadb_close(db);
    {
        char tmp[600];
        snprintf(tmp, sizeof tmp, "%s.compact", P);
        CHECK(access(tmp, F_OK) != 0);
    }
    db = open_db(P, NULL);
    CHECK(db != NULL);
    if (!db) return;
    CHECK_OK(synadb_get_float(db, "k0", SYNADB_NTS, &d)); CHECK(d == -5);
    CHECK_OK(synadb_get_float(db, "k99", SYNADB_NTS, &d)); CHECK(d == 1234);
    CHECK_OK(synadb_get_float(db, "k60", SYNADB_NTS, &d)); CHECK(d == 960);
    /* an empty database compacts too */
    synadb_close(db);
    remove(P);
    db = open_db(P, NULL);
    if (db) { CHECK_OK(synadb_compact(db, 0)); synadb_close(db); }
    remove(P);
}

static int log_items[SYNADB_LOG_COUNT];
static void logger(void *user, int level, int item, const char *msg) {
    (void)user; (void)level; (void)msg;
    if (item > 0 && item < SYNADB_LOG_COUNT) log_items[item]++;
}

static void test_stale_temp_and_logger(void) {
    synadb_db *db = open_db(test_path(P, sizeof P, "stale.db"), NULL);
    synadb_config c = cfg0();
    char tmp[600];
    FILE *f;
    if (!db) { CHECK(0); return; }
    CHECK_OK(synadb_put_int(db, "x", SYNADB_NTS, 1));
    synadb_close(db);
    snprintf(tmp, sizeof tmp, "%s.compact", P);
    f = fopen(tmp, "wb"); fputs("half-written", f); fclose(f);
    c.logger = logger;
    memset(log_items, 0, sizeof log_items);
    db = open_db(P, &c);
    CHECK(db != NULL);
    CHECK(access(tmp, F_OK) != 0);
    CHECK_EQ(log_items[SYNADB_LOG_STALE_TEMP], 1);
    if (db) synadb_close(db);
    remove(P);
}

static int allocs, frees;
static void *my_alloc(size_t n, void *u) { (void)u; allocs++; return malloc(n); }
static void *my_realloc(void *p, size_t n, void *u) { (void)u; if (!p) allocs++; return realloc(p, n); }
static void my_free(void *p, void *u) { (void)u; if (p) frees++; free(p); }

static void test_allocator(void) {
    synadb_config c = cfg0();
    synadb_db *db;
    char *t = NULL;
    size_t n;
    int k;
    c.allocator.alloc_fn = my_alloc;
    c.allocator.realloc_fn = my_realloc;
    c.allocator.free_fn = my_free;
    allocs = frees = 0;
    db = open_db(test_path(P, sizeof P, "alloc.db"), &c);
    CHECK(db != NULL);
    if (!db) return;
    for (k = 0; k < 2000; k++) {
        char key[32];
        snprintf(key, sizeof key, "k%d", k % 300);
        synadb_put_int(db, key, SYNADB_NTS, k);
    }
    synadb_put_text(db, "t", SYNADB_NTS, "hello", 5);
    CHECK_OK(synadb_get_text(db, "t", SYNADB_NTS, &t, &n));
    synadb_free(db, t);
    synadb_compact(db, SYNADB_COMPACT_KEEP_HISTORY);
    synadb_close(db);
    CHECK(allocs > 5);
    CHECK_EQ(allocs, frees);
    remove(P);
}

/* Failing allocations: every failure is a clean error, nothing leaks, data stays. */
static int fail_after = -1;
static void *fail_alloc(size_t n, void *u) { (void)u; if (fail_after == 0) return NULL; if (fail_after > 0) fail_after--; return malloc(n); }
static void *fail_realloc(void *p, size_t n, void *u) { (void)u; if (fail_after == 0) return NULL; if (fail_after > 0) fail_after--; return realloc(p, n); }

static void test_out_of_memory(void) {
    int k, opened = 0, failures = 0;
    for (k = 0; k < 400; k += 3) {
        synadb_config c = cfg0();
        synadb_db *db = NULL;
        int j, bad = 0;
        c.allocator.alloc_fn = fail_alloc;
        c.allocator.realloc_fn = fail_realloc;
        c.allocator.free_fn = my_free;
        fail_after = -1;
        test_path(P, sizeof P, "oom.db");
        fail_after = k;
        if (synadb_open(P, &c, &db) != SYNADB_OK) { failures++; continue; }
        opened++;
        for (j = 0; j < 200; j++) {
            char key[32];
            synadb_result r;
            snprintf(key, sizeof key, "k%d", j % 37);
            r = synadb_put_int(db, key, SYNADB_NTS, j);
            if (r != SYNADB_OK && r != SYNADB_ERR_NO_MEMORY && r != SYNADB_ERR_POISONED) bad = 1;
            if (r) failures++;
        }
        if (synadb_compact(db, SYNADB_COMPACT_KEEP_HISTORY) != SYNADB_OK) failures++;
        synadb_close(db);
        CHECK(!bad);
        /* whatever was acknowledged is readable with a working allocator */
        fail_after = -1;
        db = NULL;
        CHECK_OK(synadb_open(P, NULL, &db));
        if (db) synadb_close(db);
        remove(P);
    }
    CHECK(opened > 0 && failures > 0);
}

static void test_stats(void) {
    synadb_db *db = open_db(test_path(P, sizeof P, "stats.db"), NULL);
    synadb_stats st;
    int k;
    if (!db) { CHECK(0); return; }
    for (k = 0; k < 10000; k++) {
        char key[32];
        snprintf(key, sizeof key, "key%08d", k);
        synadb_put_int(db, key, SYNADB_NTS, k);
    }
    CHECK_OK(synadb_stats_get(db, &st));
    CHECK_EQ(st.keys, 10000);
    CHECK_EQ(st.records, 10000);
    CHECK(st.file_bytes == 64 + 10000ull * (16 + 11 + 8));
    CHECK(st.index_bytes > 0);
    /* the index budget: at most 64 bytes per key with single versions */
    CHECK(st.index_bytes <= 64ull * 10000);
    CHECK_EQ(st.format_version, SYNADB_FORMAT_VERSION);
    CHECK_EQ(st.read_only, 0);
    CHECK_EQ(st.mmap, TEST_NO_MMAP ? 0 : 1);
    synadb_close(db);
    remove(P);
}

static void test_sync_on_write(void) {
    synadb_config c = cfg0();
    synadb_db *db;
    synadb_stats st;
    int k;
    c.sync_on_write = 1;
    db = open_db(test_path(P, sizeof P, "sync.db"), &c);
    if (!db) { CHECK(0); return; }
    for (k = 0; k < 20; k++) CHECK_OK(synadb_put_int(db, "k", SYNADB_NTS, k));
    CHECK_OK(synadb_stats_get(db, &st));
    CHECK_EQ(st.syncs, 20);          /* one flush per acknowledged write */
    CHECK_EQ(st.synced_writes, 20);
    {
        double v[100];
        for (k = 0; k < 100; k++) v[k] = k;
        CHECK_OK(synadb_put_floats_batch(db, "f", SYNADB_NTS, v, 100));
    }
    CHECK_OK(synadb_stats_get(db, &st));
    CHECK_EQ(st.syncs, 21);          /* a batch costs one flush */
    synadb_close(db);
    c.sync_on_write = 0;
    db = open_db(P, &c);
    if (!db) { CHECK(0); return; }
    CHECK_OK(synadb_put_int(db, "k", SYNADB_NTS, 1));
    CHECK_OK(synadb_stats_get(db, &st));
    CHECK_EQ(st.syncs, 0);
    CHECK_OK(synadb_sync(db));
    CHECK_OK(synadb_stats_get(db, &st));
    CHECK_EQ(st.syncs, 1);
    synadb_close(db);
    remove(P);
}

/* Many independent handles in one process. */
static void test_many_handles(void) {
    synadb_db *dbs[20];
    char paths[20][512];
    int k;
    for (k = 0; k < 20; k++) {
        char name[32];
        snprintf(name, sizeof name, "multi%d.db", k);
        test_path(paths[k], sizeof paths[k], name);
        dbs[k] = open_db(paths[k], NULL);
        CHECK(dbs[k] != NULL);
    }
    for (k = 0; k < 20; k++) if (dbs[k]) CHECK_OK(synadb_put_int(dbs[k], "id", SYNADB_NTS, k));
    for (k = 0; k < 20; k++) {
        int64_t v = -1;
        if (!dbs[k]) continue;
        CHECK_OK(synadb_get_int(dbs[k], "id", SYNADB_NTS, &v));
        CHECK_EQ(v, k);
        synadb_close(dbs[k]);
        remove(paths[k]);
    }
}

/* The file layout matches the documented format byte for byte. */
static void test_format_bytes(void) {
    synadb_db *db = open_db(test_path(P, sizeof P, "fmt.db"), NULL);
    unsigned char buf[256];
    FILE *f;
    size_t n;
    uint32_t crc;
    uint64_t file_id;
    if (!db) { CHECK(0); return; }
    CHECK_OK(synadb_put_int(db, "ab", 2, 0x0102030405060708LL));
    synadb_close(db);
    f = fopen(P, "rb");
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    CHECK_EQ(n, 64 + 16 + 2 + 8);
    CHECK(memcmp(buf, "\x89SYNA\r\n\x1a", 8) == 0);
    CHECK_EQ(synadb__rd32(buf + 8), 1);
    CHECK_EQ(synadb__rd32(buf + 12), 64);
    CHECK_EQ(synadb__rd32(buf + 60), synadb_crc32c(0, buf, 60));
    file_id = synadb__rd64(buf + 40);
    CHECK_EQ(synadb__rd32(buf + 64 + 4), 0);      /* seq */
    CHECK_EQ(synadb__rd16(buf + 64 + 8), 2);      /* key_len */
    CHECK_EQ(buf[64 + 10], SYNADB_TYPE_INT);
    CHECK_EQ(buf[64 + 11], 0);
    CHECK_EQ(synadb__rd32(buf + 64 + 12), 8);
    CHECK(memcmp(buf + 80, "ab", 2) == 0);
    CHECK(synadb__rd64(buf + 82) == 0x0102030405060708ull);
    crc = synadb_crc32c((uint32_t)(file_id ^ (file_id >> 32)), buf + 68, 26 - 4);
    CHECK_EQ(synadb__rd32(buf + 64), synadb__crc_mask(crc));
    remove(P);
}


/* The JSON reader and writer (synadb.h >>kv.json, used by the ABI and synadb_ml.h). */
static void test_json(void) {
    synadb__jdoc d;
    synadb__json j;
    const synadb__jv *v;
    static const char *bad[] = {"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "01", "1.", ".5", "-", "\"\\x\"",
                                "\"\\ud800\"", "\"a\nb\"", "[1] 2", "{1:2}", "\"\xff\"", "nan", "1e", "+1"};
    const char *doc = " {\"a\": [1, -2.5e3, true, false, null], \"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\","
                      " \"big\": 9223372036854775807, \"neg\": -9223372036854775808, \"over\": 9223372036854775808,"
                      " \"a\": {}} ";
    size_t i;
    double x;
    char deep[600];
    CHECK_EQ(synadb__jparse(doc, strlen(doc), &d), 0);
    if (d.root) {
        CHECK_EQ(d.root->type, SYNADB__JOBJ);
        CHECK_EQ(d.root->nkid, 6);
        v = &d.root->kid[0];
        CHECK(v->type == SYNADB__JARR && v->nkid == 5 && v->kid[0].is_int && v->kid[0].i == 1);
        CHECK(v->kid[1].num == -2500.0 && !v->kid[1].is_int);
        CHECK(v->kid[2].type == SYNADB__JTRUE && v->kid[3].type == SYNADB__JFALSE && v->kid[4].type == SYNADB__JNULL);
        v = synadb__jget(d.root, "s");
        CHECK(v && v->type == SYNADB__JSTR && v->n == 15 && !memcmp(v->s, "q\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80", 15));
        v = synadb__jget(d.root, "big");
        CHECK(v && v->is_int && v->i == INT64_MAX);
        v = synadb__jget(d.root, "neg");
        CHECK(v && v->is_int && v->i == INT64_MIN);
        v = synadb__jget(d.root, "over");
        CHECK(v && !v->is_int && v->num == 9223372036854775808.0);
        v = synadb__jget(d.root, "a");   /* a repeated name: the last one */
        CHECK(v && v->type == SYNADB__JOBJ && v->nkid == 0);
        CHECK(synadb__jget(d.root, "missing") == NULL);
    }
    synadb__jdoc_free(&d);
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        int r = synadb__jparse(bad[i], strlen(bad[i]), &d);
        CHECK_EQ(r, -1);
        CHECK(strstr(d.err, "at byte") != NULL);
        if (r != -1) fprintf(stderr, "accepted: %s\n", bad[i]);
    }
    CHECK_EQ(synadb__jparse("{\"a\" 1}", 7, &d), -1);
    CHECK(strcmp(d.err, "expected ':' at byte 5") == 0);
    memset(deep, '[', sizeof deep);   /* nesting is bounded, not a stack overflow */
    CHECK_EQ(synadb__jparse(deep, sizeof deep, &d), -1);
    CHECK(strstr(d.err, "nested too deeply") != NULL);
    /* the writer: escapes, and doubles that read back exactly */
    memset(&j, 0, sizeof j);
    synadb__jstr(&j, "a\"b\\c\n\x01\xc3\xa9", 9);
    CHECK(j.p && strcmp(j.p, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"") == 0);
    CHECK_EQ(synadb__jparse(j.p, j.n, &d), 0);
    CHECK(d.root && d.root->n == 9 && !memcmp(d.root->s, "a\"b\\c\n\x01\xc3\xa9", 9));
    synadb__jdoc_free(&d);
    {
        double vals[] = {0.1, 1.0 / 3, 1e-300, 5e-324, 1.7976931348623157e308, -0.0, 123456789012345678.0, 2.5};
        for (i = 0; i < sizeof vals / sizeof *vals; i++) {
            j.n = 0;
            synadb__jdbl(&j, vals[i]);
            CHECK(synadb__jparse_num(j.p, j.n, &x) == 0 && x == vals[i]);
        }
        j.n = 0; synadb__jdbl(&j, 0.1); CHECK(strcmp(j.p, "0.10000000000000001") != 0 && strcmp(j.p, "0.1") == 0);
        j.n = 0; synadb__jdbl(&j, NAN); CHECK(strcmp(j.p, "null") == 0);
        j.n = 0; synadb__jint(&j, INT64_MIN); CHECK(strcmp(j.p, "-9223372036854775808") == 0);
    }
    SYNADB_FREE(j.p);
}

int main(void) {
    RUN(test_version_and_strings);
    RUN(test_crc32c);
    RUN(test_json);
    RUN(test_open_close_errors);
    RUN(test_foreign_and_newer_files);
    RUN(test_typed_put_get);
    RUN(test_keys_bad_input);
    RUN(test_delete_and_history);
    RUN(test_long_history);
    RUN(test_floats_batch);
    RUN(test_delta);
    RUN(test_compression);
    RUN(test_keys_and_glob);
    RUN(test_read_only_and_lock);
    RUN(test_write_batch);
    RUN(test_compact);
    RUN(test_stale_temp_and_logger);
    RUN(test_allocator);
    RUN(test_out_of_memory);
    RUN(test_stats);
    RUN(test_sync_on_write);
    RUN(test_many_handles);
    RUN(test_format_bytes);
    return test_report();
}
