/* fuzz_ml.c - libFuzzer target for the text and record parsers behind synadb_ml.h: the JSON
 * reader, MLflow filter and order_by strings, JSON/JSONL/CSV imports, tensor row records
 * and chunked-tensor metadata made of arbitrary bytes. Nothing may crash, leak or touch
 * memory it does not own; every failure must come back as an error code.
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined tests/fuzz_ml.c -o fuzz_ml -lpthread -lm
 *   ./fuzz_ml -max_total_time=30
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_ml.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static synadb_db *g_db;   /* one database per process, emptied as it grows */
static char g_path[96];
static unsigned g_calls;

static void cleanup(void) {
    if (g_db) synadb_close(g_db);
    g_db = NULL;
    remove(g_path);
}
static synadb_db *db_get(void) {
    synadb_config c = synadb_config_default();
    if (g_db && ++g_calls % 2000 == 0) { synadb_close(g_db); g_db = NULL; remove(g_path); }
    if (g_db) return g_db;
    if (!g_path[0]) {
        snprintf(g_path, sizeof g_path, "%s/synadb-fuzzml-%d.db", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (int)getpid());
        atexit(cleanup);
    }
    remove(g_path);
    c.sync_on_write = 0;
    if (synadb_open(g_path, &c, &g_db) != SYNADB_OK) g_db = NULL;
    return g_db;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = (char *)malloc(size + 1), msg[256];
    size_t pos = 0;
    synadb__jdoc d;
    synadb_db *db;
    synadb_tensor t;
    int f;
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = 0;
    /* the JSON reader */
    if (synadb__jparse(s, size, &d) == 0) synadb__jdoc_free(&d);
    /* filters and orderings (as C strings: up to the first NUL) */
    (void)synadb_exp_filter_check(s, NULL, &pos, msg, sizeof msg);
    (void)synadb_exp_filter_check("metrics.a > 1", s, &pos, msg, sizeof msg);
    db = db_get();
    if (db) {
        /* imports: all or nothing, whatever the text */
        for (f = 0; f < 3; f++) (void)synadb_io_import(db, (synadb_io_format)f, data, size, "f/", NULL);
        /* tensors made of arbitrary row records and metadata */
        if (synadb_put_bytes(db, "t/00000000", SYNADB_NTS, data, size) == SYNADB_OK &&
            synadb_put_bytes(db, "t/00000001", SYNADB_NTS, data, size) == SYNADB_OK) {
            static const synadb_dtype dts[] = {SYNADB_DTYPE_FLOAT32, SYNADB_DTYPE_FLOAT64, SYNADB_DTYPE_INT32, SYNADB_DTYPE_UINT8, SYNADB_DTYPE_FLOAT16};
            size_t i;
            for (i = 0; i < sizeof dts / sizeof *dts; i++)
                if (synadb_tensor_get(db, "t/*", dts[i], &t) == SYNADB_OK) synadb_tensor_free(db, &t);
        }
        if (synadb_put_text(db, "c/meta", SYNADB_NTS, s, size) == SYNADB_OK &&
            synadb_tensor_get_chunked(db, "c", SYNADB_DTYPE_FLOAT32, &t) == SYNADB_OK)
            synadb_tensor_free(db, &t);
    }
    free(s);
    return 0;
}
