/* test_compat.c - the path-keyed ABI of the original SynaDB (syna_* and SYNA_*): return
 * conventions, ownership, and the bugs of the original that we do not reproduce. */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "testing.h"
#include <unistd.h>

static char P[512];

static void test_open_close(void) {
    CHECK_EQ(syna_open(NULL), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(syna_open(""), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(syna_open("/nonexistent-synadb-dir/x.db"), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(syna_open(test_path(P, sizeof P, "compat.db")), SYNA_SUCCESS);
    CHECK_EQ(syna_open(P), SYNA_SUCCESS);               /* already open: no-op */
    CHECK_EQ(syna_open_with_config(P, 0), SYNA_SUCCESS);
    CHECK(syna_handle(P) != NULL);
    CHECK_EQ(syna_close(P), SYNA_SUCCESS);
    CHECK_EQ(syna_close(P), SYNA_ERR_DB_NOT_FOUND);
    CHECK(syna_handle(P) == NULL);
    CHECK_EQ(syna_put_float(P, "k", 1.0), SYNA_ERR_DB_NOT_FOUND);
    remove(P);
}

static void test_put_get(void) {
    double d = 0, *h;
    int64_t i = 0, off1, off2;
    size_t n = 99;
    char *t;
    uint8_t *b;
    float vec[3] = {1, 2, 3}, *v = NULL;
    uint16_t dims = 0;
    CHECK_EQ(syna_open_with_config(test_path(P, sizeof P, "compat2.db"), 0), SYNA_SUCCESS);
    off1 = syna_put_float(P, "temperature", 23.5);
    CHECK(off1 > 0);                                     /* never 0: 0 was ambiguous with an error */
    off2 = syna_put_float(P, "temperature", 24.1);
    CHECK(off2 > off1);
    CHECK(syna_put_int(P, "count", 42) > 0);
    CHECK(syna_put_text(P, "name", "sensor-1") > 0);
    CHECK(syna_put_bytes(P, "raw", (const uint8_t *)"\x01\x02\x03", 3) > 0);
    CHECK(syna_put_bytes(P, "empty", NULL, 0) > 0);
    CHECK(syna_put_vector(P, "vec", vec, 3) > 0);      /* small dimensions are fine */
    /* errors keep their own codes instead of collapsing to 0 */
    CHECK_EQ(syna_put_float(P, "", 1.0), SYNA_ERR_EMPTY_KEY);
    CHECK_EQ(syna_put_float(P, NULL, 1.0), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(syna_put_text(P, "t", NULL), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(syna_put_text(P, "t", "\xff"), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(syna_put_bytes(P, "b", NULL, 3), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(syna_put_vector(P, "v", vec, 0), SYNA_ERR_INVALID_PATH);
    {
        char big[70000];
        memset(big, 'x', sizeof big - 1);
        big[sizeof big - 1] = 0;
        CHECK_EQ(syna_put_int(P, big, 1), SYNA_ERR_KEY_TOO_LONG);
    }
    CHECK_EQ(syna_get_float(P, "temperature", &d), SYNA_SUCCESS); CHECK(d == 24.1);
    CHECK_EQ(syna_get_int(P, "count", &i), SYNA_SUCCESS); CHECK(i == 42);
    CHECK_EQ(syna_get_float(P, "count", &d), SYNA_ERR_TYPE_MISMATCH);
    CHECK_EQ(syna_get_float(P, "missing", &d), SYNA_ERR_KEY_NOT_FOUND);
    CHECK_EQ(syna_get_float(P, "temperature", NULL), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(syna_get_float("/not/open.db", "temperature", &d), SYNA_ERR_DB_NOT_FOUND);
    t = syna_get_text(P, "name", &n);
    CHECK(t && n == 8 && strcmp(t, "sensor-1") == 0);
    syna_free_text(t, n);
    t = syna_get_text(P, "count", &n);                    /* wrong type */
    CHECK(t == NULL && n == 0);
    b = syna_get_bytes(P, "raw", &n);
    CHECK(b && n == 3 && b[2] == 3);
    syna_free_bytes(b, n);
    b = syna_get_bytes(P, "empty", &n);                   /* the original returned NULL here */
    CHECK(b != NULL && n == 0);
    syna_free_bytes(b, n);
    CHECK_EQ(syna_get_vector(P, "vec", &v, &dims), SYNA_SUCCESS);
    CHECK(dims == 3 && v && v[2] == 3.0f);
    syna_free_vector(v, dims);
    CHECK_EQ(syna_get_vector(P, "count", &v, &dims), SYNA_ERR_TYPE_MISMATCH);
    CHECK(v == NULL && dims == 0);
    /* history */
    h = syna_get_history_tensor(P, "temperature", &n);
    CHECK(h && n == 2 && h[0] == 23.5 && h[1] == 24.1);
    syna_free_tensor(h, n);
    h = syna_get_history_tensor(P, "count", &n);          /* no floats: NULL, 0 (never dangling) */
    CHECK(h == NULL && n == 0);
    h = syna_get_history_tensor(P, "missing", &n);
    CHECK(h == NULL && n == 0);
    {
        double vals[5] = {1, 2, 3, 4, 5};
        CHECK_EQ(syna_put_floats_batch(P, "series", vals, 5), 5);
        CHECK_EQ(syna_put_floats_batch(P, "series", vals, 0), 0);
        CHECK_EQ(syna_put_floats_batch(P, "series", NULL, 2), SYNA_ERR_INVALID_PATH);
        h = syna_get_history_tensor(P, "series", &n);
        CHECK(h && n == 5 && h[4] == 5);
        syna_free_tensor(h, n);
    }
    /* exists, delete, keys */
    CHECK_EQ(syna_exists(P, "count"), 1);
    CHECK_EQ(syna_delete(P, "count"), SYNA_SUCCESS);
    CHECK_EQ(syna_exists(P, "count"), 0);
    CHECK_EQ(syna_delete(P, "count"), SYNA_SUCCESS);     /* deleting an absent key is not an error */
    CHECK_EQ(syna_get_int(P, "count", &i), SYNA_ERR_KEY_NOT_FOUND);
    {
        char **keys = syna_keys(P, &n);
        CHECK(keys && n == 6);
        if (keys && n == 6) CHECK(strcmp(keys[0], "empty") == 0 && strcmp(keys[5], "vec") == 0);
        syna_free_keys(keys, n);
    }
    CHECK_EQ(syna_compact(P), SYNA_SUCCESS);
    CHECK_EQ(syna_get_float(P, "temperature", &d), SYNA_SUCCESS); CHECK(d == 24.1);
    h = syna_get_history_tensor(P, "temperature", &n);
    CHECK(h && n == 1);
    syna_free_tensor(h, n);
    CHECK_EQ(syna_close(P), SYNA_SUCCESS);
    /* reopen through the ABI */
    CHECK_EQ(syna_open(P), SYNA_SUCCESS);
    CHECK_EQ(syna_get_float(P, "temperature", &d), SYNA_SUCCESS); CHECK(d == 24.1);
    /* relative and absolute spellings of one path address one database */
    {
        char cwd[400], rel[600];
        if (getcwd(cwd, sizeof cwd) && chdir("/tmp") == 0) {
            snprintf(rel, sizeof rel, "./%s", strrchr(P, '/') + 1);
            CHECK_EQ(syna_get_float(rel, "temperature", &d), SYNA_SUCCESS);
            if (chdir(cwd)) {}
        }
    }
    CHECK_EQ(syna_close(P), SYNA_SUCCESS);
    /* free functions accept NULL */
    syna_free_tensor(NULL, 0); syna_free_keys(NULL, 0); syna_free_text(NULL, 0); syna_free_bytes(NULL, 0); syna_free_vector(NULL, 0);
    remove(P);
}

static void test_uppercase_names(void) {
    double d = 0;
    CHECK_EQ(SYNA_open(test_path(P, sizeof P, "upper.db")), SYNA_SUCCESS);
    CHECK(SYNA_put_float(P, "x", 2.5) > 0);
    CHECK_EQ(SYNA_get_float(P, "x", &d), SYNA_SUCCESS);
    CHECK(d == 2.5);
    CHECK_EQ(SYNA_exists(P, "x"), 1);
    CHECK_EQ(SYNA_close(P), SYNA_SUCCESS);
    remove(P);
}

/* A second process-level writer is refused with LOCKED, through the ABI too. */
static void test_lock_through_abi(void) {
    synadb_db *db = NULL;
    CHECK_EQ(syna_open(test_path(P, sizeof P, "lockabi.db")), SYNA_SUCCESS);
    CHECK_EQ(synadb_open(P, NULL, &db), SYNADB_ERR_LOCKED);
    CHECK_EQ(syna_close(P), SYNA_SUCCESS);
    remove(P);
}

int main(void) {
    RUN(test_open_close);
    RUN(test_put_get);
    RUN(test_uppercase_names);
    RUN(test_lock_through_abi);
    return test_report();
}
