/* quickstart.c - the tour of synadb.h: typed puts, reads, a key's history as a tensor,
 * delete, key listing, compaction and close.
 *
 *   cc -std=c99 -O2 -I.. quickstart.c -o quickstart -lpthread && ./quickstart [path]
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"

#include <stdio.h>
#include <stdlib.h>

static int check(synadb_result r, synadb_db *db, const char *what) {
    if (r == SYNADB_OK) return 0;
    fprintf(stderr, "%s failed: %s (%s)\n", what, synadb_result_str(r), db ? synadb_errmsg(db) : "");
    return 1;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "quickstart.db";
    char err[512];
    synadb_db *db = NULL;
    synadb_config cfg = synadb_config_default();
    double t = 0, *hist = NULL;
    int64_t count = 0;
    char *name = NULL;
    size_t n = 0, i;
    synadb_keylist keys;
    synadb_stats st;
    const unsigned char raw[] = {0x01, 0x02, 0x03};

    remove(path);
    cfg.enable_delta = 1; /* float updates are stored as compact deltas */
    if (synadb_open_ex(path, &cfg, &db, err, sizeof err) != SYNADB_OK) {
        fprintf(stderr, "open %s: %s\n", path, err);
        return 1;
    }

    /* Write different types. Keys are byte strings; SYNADB_NTS means "use strlen". */
    if (check(synadb_put_float(db, "temperature", SYNADB_NTS, 23.5), db, "put_float") ||
        check(synadb_put_int(db, "count", SYNADB_NTS, 42), db, "put_int") ||
        check(synadb_put_text(db, "name", SYNADB_NTS, "sensor-1", SYNADB_NTS), db, "put_text") ||
        check(synadb_put_bytes(db, "raw_data", SYNADB_NTS, raw, sizeof raw), db, "put_bytes"))
        return 1;

    /* Read values back. */
    if (check(synadb_get_float(db, "temperature", SYNADB_NTS, &t), db, "get_float")) return 1;
    printf("temperature: %.1f\n", t);
    if (check(synadb_get_int(db, "count", SYNADB_NTS, &count), db, "get_int")) return 1;
    printf("count: %lld\n", (long long)count);
    if (check(synadb_get_text(db, "name", SYNADB_NTS, &name, &n), db, "get_text")) return 1;
    printf("name: %s\n", name);
    synadb_free(db, name);

    /* Append more values to build a history, then read it back as one array. */
    synadb_put_float(db, "temperature", SYNADB_NTS, 24.1);
    synadb_put_float(db, "temperature", SYNADB_NTS, 24.8);
    if (check(synadb_history_floats(db, "temperature", SYNADB_NTS, &hist, &n), db, "history")) return 1;
    printf("temperature history (%zu values):", n);
    for (i = 0; i < n; i++) printf(" %.1f", hist[i]);
    printf("\n");
    synadb_free(db, hist);

    /* Delete a key: it reads as not found. */
    if (check(synadb_delete(db, "count", SYNADB_NTS), db, "delete")) return 1;
    printf("count after delete: %s\n", synadb_result_str(synadb_get_int(db, "count", SYNADB_NTS, &count)));

    /* List keys (sorted; a glob pattern may filter them). */
    if (check(synadb_keys(db, NULL, 0, &keys), db, "keys")) return 1;
    printf("keys:");
    for (i = 0; i < keys.count; i++) printf(" %s", keys.keys[i]);
    printf("\n");
    synadb_keylist_free(db, &keys);

    /* Compact: rewrite the live data into a new file, atomically. */
    synadb_stats_get(db, &st);
    printf("before compact: %llu bytes, %llu records\n", (unsigned long long)st.file_bytes, (unsigned long long)st.records);
    if (check(synadb_compact(db, 0), db, "compact")) return 1;
    synadb_stats_get(db, &st);
    printf("after compact:  %llu bytes, %llu records\n", (unsigned long long)st.file_bytes, (unsigned long long)st.records);

    if (check(synadb_close(db), NULL, "close")) return 1;

    /* Reopen: everything is still there. */
    if (synadb_open_ex(path, NULL, &db, err, sizeof err) != SYNADB_OK) { fprintf(stderr, "reopen: %s\n", err); return 1; }
    synadb_get_float(db, "temperature", SYNADB_NTS, &t);
    printf("after reopen, temperature: %.1f\n", t);
    synadb_close(db);
    return 0;
}
