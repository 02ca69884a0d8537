/* fuzz_open.c - libFuzzer target: arbitrary bytes as a database file. Open (strict and
 * salvage, read-only and writable), read every key and its history, and scan the file:
 * nothing may crash, leak or touch memory it does not own.
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined tests/fuzz_open.c -o fuzz_open -lpthread -lm
 *   ./fuzz_open -max_total_time=60 tests/fuzz_corpus
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include <stdio.h>
#include <unistd.h>

static int walk(void *user, const char *key, size_t klen, synadb_type t) {
    synadb_db *db = (synadb_db *)user;
    synadb_value v;
    double *h = NULL;
    size_t n = 0;
    (void)t;
    if (synadb_get(db, key, klen, &v) == SYNADB_OK) synadb_value_free(db, &v);
    if (synadb_history_floats(db, key, klen, &h, &n) == SYNADB_OK) synadb_free(db, h);
    return 0;
}
static int keys_out[64];
static int scan_cb(void *user, const synadb_record_info *r) { (void)user; keys_out[r->kind & 63]++; return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[64];
    FILE *f;
    int mode;
    snprintf(path, sizeof path, "%s/synadb-fuzz-%d.db", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (int)getpid());
    for (mode = 0; mode < 3; mode++) {
        synadb_config c = synadb_config_default();
        synadb_db *db = NULL;
        f = fopen(path, "wb");
        if (!f) return 0;
        if (size) fwrite(data, 1, size, f);
        fclose(f);
        c.read_only = mode == 0;
        c.salvage = mode == 2;
        c.enable_delta = 1;
        if (synadb_open(path, &c, &db) == SYNADB_OK) {
            synadb_foreach_key(db, NULL, 0, walk, db);
            if (mode == 2) { synadb_put_int(db, "fuzz", 4, 1); synadb_compact(db, SYNADB_COMPACT_KEEP_HISTORY); }
            synadb_close(db);
        }
    }
    synadb_scan_file(path, scan_cb, NULL, NULL);
    remove(path);
    return 0;
}
