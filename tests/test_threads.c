/* test_threads.c - readers alongside a writer on one handle (run under ThreadSanitizer by
 * tests/run.sh): readers always see a consistent value, never a torn one; writers with
 * sync_on_write share flushes (group commit); compaction runs while readers read; the
 * path-keyed ABI is used from several threads. */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "testing.h"
#include <pthread.h>

#define NKEYS 500
static synadb_db *g_db;
static volatile int g_stop;
static int g_bad;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static char P[512];

static void bad(const char *what) {
    pthread_mutex_lock(&g_mu);
    if (g_bad++ < 5) fprintf(stderr, "thread check failed: %s\n", what);
    pthread_mutex_unlock(&g_mu);
}
static int stopped(void) { return __atomic_load_n(&g_stop, __ATOMIC_ACQUIRE); }

/* Every value written to key k is a text "k:<k>:<counter>" padded with the key's digit. */
static void make_value(int k, unsigned n, char *buf, size_t *len) {
    int m = snprintf(buf, 64, "k:%d:%u:", k, n);
    size_t total = 40 + (size_t)((k + n) % 200), i;
    for (i = (size_t)m; i < total; i++) buf[i] = (char)('0' + k % 10);
    *len = total;
}

static void *reader(void *arg) {
    unsigned long long seed = (unsigned long long)(uintptr_t)arg;
    long reads = 0;
    while (!stopped()) {
        char key[32], buf[512];
        int k;
        size_t n = 0;
        synadb_result r;
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        k = (int)((seed >> 33) % NKEYS);
        snprintf(key, sizeof key, "key%d", k);
        r = synadb_get_bytes_into(g_db, key, SYNADB_NTS, buf, sizeof buf, &n);
        if (r == SYNADB_OK) {
            int kk = -1;
            unsigned cnt = 0;
            size_t i, len = 0;
            char expect[512];
            buf[n < sizeof buf ? n : sizeof buf - 1] = 0;
            if (sscanf(buf, "k:%d:%u:", &kk, &cnt) != 2 || kk != k) { bad("foreign or torn value"); continue; }
            make_value(k, cnt, expect, &len);
            if (len != n || memcmp(expect, buf, n)) bad("value does not match its counter");
            for (i = 0; i < 1; i++) {}
        } else if (r != SYNADB_ERR_KEY_NOT_FOUND) {
            bad(synadb_result_str(r));
        }
        if ((reads++ & 255) == 0) {
            double *h = NULL;
            size_t hn = 0;
            if (synadb_history_floats(g_db, "series", SYNADB_NTS, &h, &hn) == SYNADB_OK) {
                size_t i;
                for (i = 0; i < hn; i++) if (h[i] != (double)i) { bad("series history out of order"); break; }
                synadb_free(g_db, h);
            }
            {
                synadb_keylist kl;
                if (synadb_keys(g_db, "key1*", SYNADB_NTS, &kl) == SYNADB_OK) synadb_keylist_free(g_db, &kl);
                else bad("keys");
            }
        }
    }
    return NULL;
}

static void *writer(void *arg) {
    unsigned n;
    double next = 0;
    (void)arg;
    for (n = 0; n < 40000; n++) {
        char key[32], buf[512];
        size_t len = 0;
        int k = (int)(n * 7919u % NKEYS);
        snprintf(key, sizeof key, "key%d", k);
        make_value(k, n, buf, &len);
        if (n % 9 == 8) { if (synadb_delete(g_db, key, SYNADB_NTS) != SYNADB_OK && synadb_exists(g_db, key, SYNADB_NTS)) bad("delete"); }
        else if (synadb_put_bytes(g_db, key, SYNADB_NTS, buf, len) != SYNADB_OK) bad("put");
        if (n % 50 == 0) { if (synadb_put_float(g_db, "series", SYNADB_NTS, next) == SYNADB_OK) next += 1; }
        if (n % 5000 == 4999) {
            /* a compaction without history keeps one value per key: restart the series first */
            synadb_delete(g_db, "series", SYNADB_NTS);
            next = 0;
            if (synadb_compact(g_db, (n / 5000) % 2 ? SYNADB_COMPACT_KEEP_HISTORY : 0) != SYNADB_OK) bad("compact");
        }
    }
    __atomic_store_n(&g_stop, 1, __ATOMIC_RELEASE);
    return NULL;
}

static void test_readers_and_writer(void) {
    pthread_t r[3], w;
    int i;
    synadb_config c = synadb_config_default();
    c.enable_compression = 1;
    c.compression_threshold = 64;
    g_stop = 0; g_bad = 0;
    CHECK_OK(synadb_open(test_path(P, sizeof P, "threads.db"), &c, &g_db));
    if (!g_db) return;
    for (i = 0; i < 3; i++) pthread_create(&r[i], NULL, reader, (void *)(uintptr_t)(i + 1));
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    for (i = 0; i < 3; i++) pthread_join(r[i], NULL);
    CHECK_EQ(g_bad, 0);
    CHECK_OK(synadb_close(g_db));
    remove(P);
}

/* Several writers with sync_on_write: all writes land, flushes are shared. */
static void *sync_writer(void *arg) {
    int t = (int)(uintptr_t)arg, n;
    for (n = 0; n < 150; n++) {
        char key[32];
        snprintf(key, sizeof key, "w%d/%d", t, n);
        if (synadb_put_int(g_db, key, SYNADB_NTS, n) != SYNADB_OK) bad("sync put");
    }
    return NULL;
}
static void test_group_commit(void) {
    pthread_t th[6];
    int i;
    synadb_stats st;
    synadb_config c = synadb_config_default();
    c.sync_on_write = 1;
    g_bad = 0;
    CHECK_OK(synadb_open(test_path(P, sizeof P, "group.db"), &c, &g_db));
    if (!g_db) return;
    for (i = 0; i < 6; i++) pthread_create(&th[i], NULL, sync_writer, (void *)(uintptr_t)i);
    for (i = 0; i < 6; i++) pthread_join(th[i], NULL);
    CHECK_EQ(g_bad, 0);
    CHECK_OK(synadb_stats_get(g_db, &st));
    CHECK_EQ(st.keys, 900);
    CHECK_EQ(st.synced_writes, 900);
    CHECK(st.syncs <= 900);
    fprintf(stderr, "group commit: 900 durable writes from 6 threads took %llu flushes\n", (unsigned long long)st.syncs);
    CHECK_OK(synadb_close(g_db));
    remove(P);
}

/* The path-keyed ABI from several threads at once, with open/close racing. */
static void *abi_thread(void *arg) {
    int t = (int)(uintptr_t)arg, n;
    for (n = 0; n < 2000; n++) {
        char key[32];
        double d;
        snprintf(key, sizeof key, "t%d", t);
        if (syna_put_float(P, key, n) <= 0 && !stopped()) bad("abi put");
        if (syna_get_float(P, key, &d) == 1 && d > n) bad("abi get");
    }
    return NULL;
}
static void test_abi_threads(void) {
    pthread_t th[4];
    int i;
    g_bad = 0; g_stop = 0;
    CHECK_EQ(syna_open_with_config(test_path(P, sizeof P, "abithreads.db"), 0), 1);
    for (i = 0; i < 4; i++) pthread_create(&th[i], NULL, abi_thread, (void *)(uintptr_t)i);
    for (i = 0; i < 4; i++) pthread_join(th[i], NULL);
    CHECK_EQ(g_bad, 0);
    CHECK_EQ(syna_close(P), 1);
    remove(P);
}

int main(void) {
    RUN(test_readers_and_writer);
    RUN(test_group_commit);
    RUN(test_abi_threads);
    return test_report();
}
