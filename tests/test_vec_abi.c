/* test_vec_abi.c - the path-keyed vector exports (SYNA_vector_store_*, SYNA_mmap_vector_store_*,
 * SYNA_hnsw_*, SYNA_cascade_*), as a program loading the shared library would call them:
 *  - every JSON string returned parses (a strict validator below), its result count is
 *    the return value, keys with quotes, backslashes and control characters survive;
 *  - results agree with the native API (the exact nearest vector comes first);
 *  - return codes: 1 on success, counts where counts are due, -1 for paths not open,
 *    -2 for NULL arguments, -60 for wrong dimensions, -61 for NaN, -22 for a second create;
 *  - close/reopen keeps the data; a saved HNSW loads with the same answers, a reopened
 *    Cascade index too; Cascade returns counts (the original returned 1) and refuses a batch
 *    with a NULL key whole (the original skipped it);
 *  - search results' keys stay valid while the store grows (checked under ASan), for the
 *    three native handles;
 *  - two threads insert and search the same path while a third opens and closes another,
 *    two threads insert into and search one HNSW path, two more one Cascade path (flushing
 *    now and then) (run under ThreadSanitizer:
 *    argument "threads" runs that part only).
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_vec.h"
#include "testing.h"

#include <math.h>
#include <pthread.h>

/* ---- a strict JSON validator (RFC 8259 subset: no duplicate-key checks) ---- */
static const char *jv_ws(const char *p) { while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++; return p; }
static const char *jv_value(const char *p, int depth);
static const char *jv_string(const char *p) {
    if (*p++ != '"') return NULL;
    while (*p != '"') {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20) return NULL;
        if (c == '\\') {
            p++;
            if (*p == 'u') {
                int i;
                for (i = 1; i <= 4; i++) if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i]) return NULL;
                p += 5;
                continue;
            }
            if (!*p || !strchr("\"\\/bfnrt", *p)) return NULL;
        }
        p++;
    }
    return p + 1;
}
static const char *jv_number(const char *p) {
    const char *s = p;
    if (*p == '-') p++;
    if (*p == '0') p++;
    else if (*p >= '1' && *p <= '9') while (*p >= '0' && *p <= '9') p++;
    else return NULL;
    if (*p == '.') { p++; if (!(*p >= '0' && *p <= '9')) return NULL; while (*p >= '0' && *p <= '9') p++; }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return NULL;
        while (*p >= '0' && *p <= '9') p++;
    }
    return p > s ? p : NULL;
}
static const char *jv_value(const char *p, int depth) {
    if (depth > 64) return NULL;
    p = jv_ws(p);
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        int obj = *p == '{';
        p = jv_ws(p + 1);
        if (*p == close) return p + 1;
        for (;;) {
            if (obj) {
                p = jv_string(jv_ws(p));
                if (!p) return NULL;
                p = jv_ws(p);
                if (*p++ != ':') return NULL;
            }
            p = jv_value(p, depth + 1);
            if (!p) return NULL;
            p = jv_ws(p);
            if (*p == ',') { p++; continue; }
            if (*p == close) return p + 1;
            return NULL;
        }
    }
    if (*p == '"') return jv_string(p);
    if (!strncmp(p, "true", 4)) return p + 4;
    if (!strncmp(p, "false", 5)) return p + 5;
    if (!strncmp(p, "null", 4)) return p + 4;
    return jv_number(p);
}
static int json_valid(const char *s) {
    const char *e;
    if (!s) return 0;
    e = jv_value(s, 0);
    return e && *jv_ws(e) == 0;
}
/* Number of top-level array elements (valid JSON assumed). */
static int json_count(const char *s) {
    int depth = 0, n = 0, instr = 0, any = 0;
    for (; *s; s++) {
        if (instr) { if (*s == '\\') s++; else if (*s == '"') instr = 0; continue; }
        if (*s == '"') { instr = 1; if (depth == 1) any = 1; continue; }
        if (*s == '[' || *s == '{') { depth++; if (depth == 2) any = 1; continue; }
        if (*s == ']' || *s == '}') { depth--; continue; }
        if (depth == 1 && *s == ',') n++;
        else if (depth == 1 && *s != ' ') any = 1;
    }
    return any ? n + 1 : 0;
}

static void vgen(float *v, int dims, unsigned long long seed) {
    int d;
    test_seed(seed * 7919 + 17);
    for (d = 0; d < dims; d++) v[d] = (float)((double)(test_rand() >> 11) / 9007199254740992.0 - 0.5);
}

/* The validator itself: rejects what it must. */
static void test_validator(void) {
    CHECK(json_valid("[{\"a\":1.5e-3,\"b\":[true,null,\"x\\u00e9\"]}]"));
    CHECK(json_valid("[]") && json_count("[]") == 0 && json_count("[{\"k\":\"a,b\"},{}]") == 2);
    CHECK(!json_valid("[1,]"));
    CHECK(!json_valid("{\"a\":1,}"));
    CHECK(!json_valid("[\"tab\there\"]"));
    CHECK(!json_valid("[\"ctl\x01\"]"));
    CHECK(!json_valid("[nan]"));
    CHECK(!json_valid("[01]"));
    CHECK(!json_valid("[1] x"));
    CHECK(!json_valid("[\"\\q\"]"));
}

/* ---- VectorStore ---- */
static void test_vector_store(void) {
    char path[512], key[64], *json = NULL;
    float v[64], q[64], g[64];
    const char *keys[100];
    char kb[100][16];
    float *batch = (float *)malloc(100 * 64 * sizeof(float));
    int i;
    test_path(path, sizeof path, "vabi.db");
    CHECK_EQ(SYNA_vector_store_new(path, 0, 0), SYNADB_ERR_DIMENSION);
    CHECK_EQ(SYNA_vector_store_new(path, 64, 7), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_vector_store_new(NULL, 64, 0), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_vector_store_insert(path, "a", v, 64), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_vector_store_new_with_config(path, 64, 1, 0), 1);
    CHECK_EQ(SYNA_vector_store_new(path, 64, 1), 1);                 /* already open: fine */
    CHECK_EQ(SYNA_vector_store_new(path, 32, 1), SYNADB_ERR_DIMENSION);
    for (i = 0; i < 50; i++) {
        snprintf(key, sizeof key, "doc-%d", i);
        vgen(v, 64, (unsigned long long)i);
        CHECK_EQ(SYNA_vector_store_insert(path, key, v, 64), 1);
    }
    CHECK_EQ(SYNA_vector_store_insert(path, "x", v, 63), SYNADB_ERR_DIMENSION);
    CHECK_EQ(SYNA_vector_store_insert(path, NULL, v, 64), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_vector_store_insert(path, "x", NULL, 64), SYNA_ERR_INVALID_PATH);
    v[3] = NAN;
    CHECK_EQ(SYNA_vector_store_insert(path, "x", v, 64), SYNADB_ERR_BAD_VECTOR);
    vgen(g, 64, 7);   /* a valid vector: only the key is wrong (g was read uninitialised) */
    CHECK_EQ(SYNA_vector_store_insert(path, "", g, 64), SYNADB_ERR_EMPTY_KEY);
    CHECK_EQ(SYNA_vector_store_len(path), 50);

    /* batch: 40 re-inserted keys + 60 new ones -> 60 */
    for (i = 0; i < 100; i++) {
        snprintf(kb[i], sizeof kb[i], "doc-%d", i + 10);
        keys[i] = kb[i];
        vgen(batch + (size_t)i * 64, 64, (unsigned long long)(i + 10));
    }
    CHECK_EQ(SYNA_vector_store_insert_batch(path, keys, batch, 64, 100), 60);
    CHECK_EQ(SYNA_vector_store_insert_batch_fast(path, keys, batch, 64, 0), 0);
    CHECK_EQ(SYNA_vector_store_insert_batch(path, keys, batch, 60, 100), SYNADB_ERR_DIMENSION);
    CHECK_EQ(SYNA_vector_store_len(path), 110);

    /* search: the query is doc-77's vector; it must come first with score ~0 */
    vgen(q, 64, 77);
    CHECK_EQ(SYNA_vector_store_search(path, q, 64, 5, &json), 5);
    CHECK(json_valid(json));
    CHECK_EQ(json_count(json), 5);
    CHECK(json && !strncmp(json, "[{\"key\":\"doc-77\",\"score\":", 25));
    CHECK(json && strstr(json, "\"vector\":["));
    SYNA_free_json(json);
    json = (char *)1;
    CHECK_EQ(SYNA_vector_store_search(path, q, 64, 0, &json), 0);
    CHECK(json && !strcmp(json, "[]"));
    SYNA_free_json(json);
    json = (char *)1;
    CHECK_EQ(SYNA_vector_store_search(path, q, 32, 5, &json), SYNADB_ERR_DIMENSION);
    CHECK(json == NULL);
    CHECK_EQ(SYNA_vector_store_search(path, NULL, 64, 5, &json), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_vector_store_search(path, q, 64, 5, NULL), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_vector_store_search("/nonexistent/x", q, 64, 5, &json), SYNA_ERR_DB_NOT_FOUND);

    /* get / delete */
    CHECK_EQ(SYNA_vector_store_get(path, "doc-77", g, 64), 1);
    CHECK(memcmp(g, q, sizeof q) == 0);
    CHECK_EQ(SYNA_vector_store_get(path, "doc-77", g, 32), SYNADB_ERR_DIMENSION);
    CHECK_EQ(SYNA_vector_store_delete(path, "doc-77"), 1);
    CHECK_EQ(SYNA_vector_store_delete(path, "doc-77"), SYNA_ERR_KEY_NOT_FOUND);
    CHECK_EQ(SYNA_vector_store_get(path, "doc-77", g, 64), SYNA_ERR_KEY_NOT_FOUND);
    CHECK_EQ(SYNA_vector_store_len(path), 109);
    CHECK_EQ(SYNA_vector_store_search(path, q, 64, 200, &json), 109);
    CHECK(json_valid(json) && json_count(json) == 109 && !strstr(json, "\"doc-77\""));
    SYNA_free_json(json);
    CHECK_EQ(SYNA_vector_store_search(path, q, 64, (size_t)-1, &json), 109);   /* a huge k: all of them, no overflow */
    CHECK(json_valid(json) && json_count(json) == 109);
    SYNA_free_json(json);

    /* index */
    CHECK_EQ(SYNA_vector_store_has_index(path), 0);
    CHECK_EQ(SYNA_vector_store_build_index(path), 1);
    CHECK_EQ(SYNA_vector_store_has_index(path), 1);
    vgen(q, 64, 42);
    CHECK_EQ(SYNA_vector_store_search(path, q, 64, 3, &json), 3);
    CHECK(json && !strncmp(json, "[{\"key\":\"doc-42\"", 16));
    SYNA_free_json(json);
    CHECK_EQ(SYNA_vector_store_flush(path), 1);
    CHECK_EQ(SYNA_vector_store_close(path), 1);
    CHECK_EQ(SYNA_vector_store_close(path), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_vector_store_len(path), SYNA_ERR_DB_NOT_FOUND);

    /* reopen */
    CHECK_EQ(SYNA_vector_store_new(path, 64, 1), 1);
    CHECK_EQ(SYNA_vector_store_len(path), 109);
    CHECK_EQ(SYNA_vector_store_search(path, q, 64, 1, &json), 1);
    CHECK(json && !strncmp(json, "[{\"key\":\"doc-42\"", 16));
    SYNA_free_json(json);
    CHECK_EQ(SYNA_vector_store_close(path), 1);
    free(batch);
    {
        char p2[600];
        remove(path);
        snprintf(p2, sizeof p2, "%s.hnsw", path);
        remove(p2);
    }
}

/* Keys that need escaping come back as valid JSON that decodes to the key. */
static void test_json_escaping(void) {
    char path[512], *json = NULL;
    static const char *nasty[] = { "quo\"te", "back\\slash", "tab\tnew\nline", "\x01\x1f ctl", "caf\xc3\xa9", "bad\xff utf8" };
    float v[8];
    int i;
    test_path(path, sizeof path, "vabi-esc.db");
    CHECK_EQ(SYNA_vector_store_new(path, 8, 1), 1);
    for (i = 0; i < 6; i++) {
        vgen(v, 8, (unsigned long long)(1000 + i));
        CHECK_EQ(SYNA_vector_store_insert(path, nasty[i], v, 8), 1);
    }
    vgen(v, 8, 1000);
    CHECK_EQ(SYNA_vector_store_search(path, v, 8, 6, &json), 6);
    CHECK(json_valid(json));
    CHECK(json && strstr(json, "\"quo\\\"te\""));
    CHECK(json && strstr(json, "\"back\\\\slash\""));
    CHECK(json && strstr(json, "\"tab\\tnew\\nline\""));
    CHECK(json && strstr(json, "\"\\u0001\\u001f ctl\""));
    CHECK(json && strstr(json, "\"caf\xc3\xa9\""));
    CHECK(json && strstr(json, "\"bad\\u00ff utf8\""));
    SYNA_free_json(json);
    SYNA_free_json(NULL);
    CHECK_EQ(SYNA_vector_store_close(path), 1);
    remove(path);
}

/* ---- MmapVectorStore ---- */
static void test_mmap_store(void) {
    char path[512], key[32], *json = NULL;
    char kb[300][16];
    const char *keys[300];
    float *vs = (float *)malloc(300 * 16 * sizeof(float)), q[16];
    size_t len = 0;
    int i;
    test_path(path, sizeof path, "vabi.mmvs");
    CHECK_EQ(SYNA_mmap_vector_store_new(path, 0, 1, 0), SYNADB_ERR_DIMENSION);
    CHECK_EQ(SYNA_mmap_vector_store_new(path, 16, 9, 0), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_mmap_vector_store_len(path), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_mmap_vector_store_new(path, 16, 1, 10), 1);
    for (i = 0; i < 300; i++) {
        snprintf(kb[i], sizeof kb[i], "m%d", i);
        keys[i] = kb[i];
        vgen(vs + (size_t)i * 16, 16, (unsigned long long)(5000 + i));
    }
    CHECK_EQ(SYNA_mmap_vector_store_insert_batch(path, keys, vs, 16, 200), 200);   /* grows past 10 */
    for (i = 200; i < 300; i++) CHECK_EQ(SYNA_mmap_vector_store_insert(path, keys[i], vs + (size_t)i * 16, 16), 1);
    CHECK_EQ(SYNA_mmap_vector_store_insert(path, "z", vs, 15), SYNADB_ERR_DIMENSION);
    CHECK_EQ(SYNA_mmap_vector_store_insert(path, NULL, vs, 16), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_mmap_vector_store_len(path), 300);
    snprintf(key, sizeof key, "m%d", 123);
    CHECK_EQ(SYNA_mmap_vector_store_search(path, vs + 123 * 16, 16, 4, &json, &len), 4);
    CHECK(json_valid(json));
    CHECK_EQ(json_count(json), 4);
    CHECK(json && len == strlen(json));
    CHECK(json && !strncmp(json, "[{\"key\":\"m123\",\"score\":", 23));
    SYNA_free_json(json);
    CHECK_EQ(SYNA_mmap_vector_store_search(path, vs, 17, 4, &json, &len), SYNADB_ERR_DIMENSION);
    CHECK(json == NULL && len == 0);
    CHECK_EQ(SYNA_mmap_vector_store_build_index(path), 1);
    memcpy(q, vs + 250 * 16, sizeof q);
    CHECK_EQ(SYNA_mmap_vector_store_search(path, q, 16, 1, &json, NULL), 1);
    CHECK(json && !strncmp(json, "[{\"key\":\"m250\"", 14));
    SYNA_free_json(json);
    CHECK_EQ(SYNA_mmap_vector_store_flush(path), 1);
    CHECK_EQ(SYNA_mmap_vector_store_close(path), 1);
    CHECK_EQ(SYNA_mmap_vector_store_close(path), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_mmap_vector_store_new(path, 32, 1, 0), SYNADB_ERR_DIMENSION);     /* other dims than the file */
    CHECK_EQ(SYNA_mmap_vector_store_new(path, 16, 1, 0), 1);
    CHECK_EQ(SYNA_mmap_vector_store_len(path), 300);
    CHECK_EQ(SYNA_mmap_vector_store_search(path, vs + 7 * 16, 16, 1, &json, &len), 1);
    SYNA_free_json(json);
    CHECK(SYNA_mmap_vector_store_search(path, vs + 7 * 16, 16, (size_t)-1, &json, &len) > 1);
    CHECK(json && !strncmp(json, "[{\"key\":\"m7\"", 12));
    SYNA_free_json(json);
    CHECK_EQ(SYNA_mmap_vector_store_close(path), 1);
    free(vs);
    remove(path);
}

/* ---- HNSW ---- */
static void test_hnsw_abi(void) {
    char path[512], key[32], *json = NULL, *json2 = NULL;
    float v[24];
    FILE *f;
    int i;
    test_path(path, sizeof path, "vabi.hnsw");
    CHECK_EQ(SYNA_hnsw_create(path, 0, 1, 16, 200), SYNADB_ERR_DIMENSION);
    CHECK_EQ(SYNA_hnsw_create(path, 24, 1, 1, 200), SYNA_ERR_INVALID_PATH);      /* M = 1 */
    CHECK_EQ(SYNA_hnsw_create(path, 24, 1, 16, 200), 1);
    CHECK_EQ(SYNA_hnsw_create(path, 24, 1, 16, 200), SYNADB_ERR_EXISTS);
    for (i = 0; i < 500; i++) {
        snprintf(key, sizeof key, "h%d", i);
        vgen(v, 24, (unsigned long long)(9000 + i));
        CHECK_EQ(SYNA_hnsw_insert(path, key, v, 24), 1);
    }
    CHECK_EQ(SYNA_hnsw_insert(path, "bad", v, 23), SYNADB_ERR_DIMENSION);
    vgen(v, 24, 9321);
    CHECK_EQ(SYNA_hnsw_search(path, v, 24, 10, 64, &json), 10);
    CHECK(json_valid(json));
    CHECK_EQ(json_count(json), 10);
    CHECK(json && !strncmp(json, "[{\"key\":\"h321\",\"distance\":", 26));
    CHECK_EQ(SYNA_hnsw_stats(path, &json2), 1);
    CHECK(json_valid(json2));
    CHECK(json2 && strstr(json2, "\"num_nodes\":500,"));
    CHECK(json2 && strstr(json2, "\"avg_edges_per_node\":"));
    SYNA_free_json(json2);
    CHECK_EQ(SYNA_hnsw_save(path), 1);
    CHECK_EQ(SYNA_hnsw_close(path), 1);
    CHECK_EQ(SYNA_hnsw_search(path, v, 24, 10, 64, &json2), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_hnsw_load(path), 1);
    CHECK_EQ(SYNA_hnsw_load(path), SYNADB_ERR_EXISTS);
    CHECK_EQ(SYNA_hnsw_search(path, v, 24, 10, 64, &json2), 10);
    CHECK(json && json2 && !strcmp(json, json2));                 /* same answers after reload */
    SYNA_free_json(json2);
    json2 = NULL;
    CHECK(SYNA_hnsw_search(path, v, 24, (size_t)-1, (size_t)-1, &json2) > 10);   /* huge k and ef: clamped */
    CHECK(json_valid(json2));
    SYNA_free_json(json);
    SYNA_free_json(json2);
    CHECK_EQ(SYNA_hnsw_close(path), 1);

    /* a foreign file is refused, a missing one too */
    f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) { for (i = 0; i < 5000; i++) fputc(i * 31, f); fclose(f); }
    CHECK_EQ(SYNA_hnsw_load(path), SYNADB_ERR_NOT_A_DATABASE);
    remove(path);
    CHECK(SYNA_hnsw_load(path) < 0);
    CHECK_EQ(SYNA_hnsw_close(path), SYNA_ERR_DB_NOT_FOUND);
}

/* ---- Cascade ---- */
static void test_cascade_abi(void) {
    char path[512], kb[300][16], *json = NULL, *json2 = NULL;
    const char *keys[300];
    float *vs = (float *)malloc(300 * 24 * sizeof(float)), v[24], zero[24];
    unsigned char *before;
    size_t n0, n1;
    FILE *f;
    int i;
    test_path(path, sizeof path, "vabi.casc");
    memset(zero, 0, sizeof zero);
    for (i = 0; i < 300; i++) {
        snprintf(kb[i], sizeof kb[i], "c%d", i);
        keys[i] = kb[i];
        vgen(vs + (size_t)i * 24, 24, (unsigned long long)(7000 + i));
    }
    /* nothing open yet */
    CHECK_EQ(SYNA_cascade_insert(path, "a", vs, 24), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_cascade_insert_batch(path, keys, vs, 24, 2), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_cascade_search(path, vs, 24, 3, &json), SYNA_ERR_DB_NOT_FOUND);
    CHECK(json == NULL);
    CHECK_EQ(SYNA_cascade_search_params(path, vs, 24, 3, 4, 50, &json), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_cascade_flush(path), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_cascade_close(path), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_cascade_len(path), SYNA_ERR_DB_NOT_FOUND);
    /* new */
    CHECK_EQ(SYNA_cascade_new(NULL, 24), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_cascade_new("", 24), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_cascade_new(path, 0), SYNADB_ERR_DIMENSION);      /* no file, no dims */
    CHECK_EQ(SYNA_cascade_new(path, 9000), SYNADB_ERR_DIMENSION);
    CHECK(test_slurp(path, &n0) == NULL);
    CHECK_EQ(SYNA_cascade_new(path, 24), 1);
    before = test_slurp(path, &n0);   /* the file exists at once */
    CHECK(before != NULL && n0 >= 8 && !memcmp(before, "SYNACASC", 8));
    free(before);
    CHECK_EQ(SYNA_cascade_new(path, 24), 1);                        /* idempotent */
    CHECK_EQ(SYNA_cascade_new(path, 0), 1);
    CHECK_EQ(SYNA_cascade_new(path, 23), SYNADB_ERR_INDEX_MISMATCH);
    CHECK_EQ(SYNA_cascade_len(path), 0);
    CHECK_EQ(SYNA_cascade_search(path, vs, 24, 5, &json), 0);      /* empty: no results, valid JSON */
    CHECK(json && !strcmp(json, "[]"));
    SYNA_free_json(json);
    json = NULL;
    /* inserts */
    CHECK_EQ(SYNA_cascade_insert_batch(path, keys, vs, 24, 0), 0);
    CHECK_EQ(SYNA_cascade_insert_batch(path, keys, vs, 24, 200), 200);
    for (i = 200; i < 300; i++) CHECK_EQ(SYNA_cascade_insert(path, keys[i], vs + (size_t)i * 24, 24), 1);
    CHECK_EQ(SYNA_cascade_len(path), 300);
    CHECK_EQ(SYNA_cascade_insert(path, "c5", vs + 6 * 24, 24), 1);   /* a replacement */
    CHECK_EQ(SYNA_cascade_insert(path, "c5", vs + 5 * 24, 24), 1);
    CHECK_EQ(SYNA_cascade_len(path), 300);
    CHECK_EQ(SYNA_cascade_insert(path, "bad", vs, 23), SYNADB_ERR_DIMENSION);
    CHECK_EQ(SYNA_cascade_insert(path, NULL, vs, 24), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_cascade_insert(path, "bad", NULL, 24), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_cascade_insert(NULL, "bad", vs, 24), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_cascade_insert(path, "", vs, 24), SYNA_ERR_EMPTY_KEY);
    CHECK_EQ(SYNA_cascade_insert(path, "zero", zero, 24), SYNADB_ERR_BAD_VECTOR);   /* cosine */
    memcpy(v, vs, sizeof v);
    v[3] = (float)NAN;
    CHECK_EQ(SYNA_cascade_insert(path, "nan", v, 24), SYNADB_ERR_BAD_VECTOR);
    {   /* batches: a NULL key, an empty key or a NaN refuse the whole batch */
        const char *withnull[3] = {"n1", NULL, "n3"};
        const char *withempty[3] = {"n1", "", "n3"};
        const char *dup[3] = {"d1", "d2", "d1"};
        float three[3 * 24];
        memcpy(three, vs, sizeof three);
        CHECK_EQ(SYNA_cascade_insert_batch(path, withnull, three, 24, 3), SYNA_ERR_INVALID_PATH);
        CHECK_EQ(SYNA_cascade_insert_batch(path, withempty, three, 24, 3), SYNA_ERR_EMPTY_KEY);
        CHECK_EQ(SYNA_cascade_insert_batch(path, NULL, three, 24, 3), SYNA_ERR_INVALID_PATH);
        CHECK_EQ(SYNA_cascade_insert_batch(path, dup, NULL, 24, 3), SYNA_ERR_INVALID_PATH);
        CHECK_EQ(SYNA_cascade_insert_batch(path, dup, three, 23, 3), SYNADB_ERR_DIMENSION);
        three[2 * 24 + 1] = (float)NAN;
        CHECK_EQ(SYNA_cascade_insert_batch(path, dup, three, 24, 3), SYNADB_ERR_BAD_VECTOR);
        CHECK_EQ(SYNA_cascade_len(path), 300);
        memcpy(three, vs + 10 * 24, sizeof three);
        CHECK_EQ(SYNA_cascade_insert_batch(path, dup, three, 24, 3), 3);   /* d1 twice: the last wins */
        CHECK_EQ(SYNA_cascade_len(path), 302);
        CHECK_EQ(SYNA_cascade_search(path, vs + 12 * 24, 24, 3, &json), 3);
        CHECK(json && strstr(json, "\"d1\"") && strstr(json, "\"c12\""));
        SYNA_free_json(json);
    }
    /* search */
    CHECK_EQ(SYNA_cascade_search(path, vs + 123 * 24, 24, 10, &json), 10);
    CHECK(json_valid(json));
    CHECK_EQ(json_count(json), 10);
    CHECK(json && !strncmp(json, "[{\"key\":\"c123\",\"score\":", 23));
    CHECK_EQ(SYNA_cascade_search_params(path, vs + 123 * 24, 24, 10, 0, 0, &json2), 10);   /* 0, 0: the index's own */
    CHECK(json && json2 && !strcmp(json, json2));
    SYNA_free_json(json2);
    CHECK_EQ(SYNA_cascade_search_params(path, vs + 123 * 24, 24, 10, 256, 5000, &json2), 10);
    CHECK(json_valid(json2) && json2 && !strncmp(json2, "[{\"key\":\"c123\",", 15));
    SYNA_free_json(json2);
    CHECK_EQ(SYNA_cascade_search_params(path, vs + 123 * 24, 24, 10, (size_t)-1, (size_t)-1, &json2), 10);   /* capped */
    SYNA_free_json(json2);
    CHECK_EQ(SYNA_cascade_search(path, vs, 24, (size_t)-1, &json2), 302);   /* k beyond the keys: all of them */
    CHECK(json_valid(json2));
    CHECK_EQ(json_count(json2), 302);
    SYNA_free_json(json2);
    CHECK_EQ(SYNA_cascade_search(path, vs, 24, 0, &json2), 0);
    CHECK(json2 && !strcmp(json2, "[]"));
    SYNA_free_json(json2);
    json2 = NULL;
    CHECK_EQ(SYNA_cascade_search(path, vs, 23, 3, &json2), SYNADB_ERR_DIMENSION);
    CHECK(json2 == NULL);
    CHECK_EQ(SYNA_cascade_search(path, v, 24, 3, &json2), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(SYNA_cascade_search(path, zero, 24, 3, &json2), SYNADB_ERR_BAD_VECTOR);
    CHECK_EQ(SYNA_cascade_search(path, NULL, 24, 3, &json2), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_cascade_search(path, vs, 24, 3, NULL), SYNA_ERR_INVALID_PATH);
    CHECK_EQ(SYNA_cascade_search_params(path, vs, 24, 3, 1, 1, NULL), SYNA_ERR_INVALID_PATH);
    CHECK(json2 == NULL);
    {   /* keys that need escaping */
        CHECK_EQ(SYNA_cascade_insert(path, "q\"b\\c\x01", vs + 40 * 24, 24), 1);
        CHECK_EQ(SYNA_cascade_search(path, vs + 40 * 24, 24, 2, &json2), 2);
        CHECK(json_valid(json2));
        CHECK(json2 && strstr(json2, "\"q\\\"b\\\\c\\u0001\""));
        SYNA_free_json(json2);
    }
    SYNA_free_json(json);
    /* flush, then the same answers after close and reopen */
    CHECK_EQ(SYNA_cascade_flush(path), 1);
    CHECK_EQ(SYNA_cascade_len(path), 303);
    CHECK_EQ(SYNA_cascade_search(path, vs + 77 * 24, 24, 10, &json), 10);
    CHECK_EQ(SYNA_cascade_close(path), 1);
    CHECK_EQ(SYNA_cascade_close(path), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_cascade_len(path), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_cascade_new(path, 16), SYNADB_ERR_INDEX_MISMATCH);   /* the file holds 24 */
    CHECK_EQ(SYNA_cascade_len(path), SYNA_ERR_DB_NOT_FOUND);
    CHECK_EQ(SYNA_cascade_new(path, 0), 1);                            /* dims 0: the file's */
    CHECK_EQ(SYNA_cascade_len(path), 303);
    CHECK_EQ(SYNA_cascade_search(path, vs + 77 * 24, 24, 10, &json2), 10);
    CHECK(json && json2 && !strcmp(json, json2));
    SYNA_free_json(json);
    SYNA_free_json(json2);
    CHECK_EQ(SYNA_cascade_insert(path, "after", vs + 99 * 24, 24), 1);
    CHECK_EQ(SYNA_cascade_close(path), 1);                             /* saves */
    CHECK_EQ(SYNA_cascade_new(path, 24), 1);
    CHECK_EQ(SYNA_cascade_len(path), 304);
    CHECK_EQ(SYNA_cascade_close(path), 1);
    /* another kind of file is refused and left alone */
    f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) { for (i = 0; i < 5000; i++) fputc(i * 31, f); fclose(f); }
    before = test_slurp(path, &n0);
    CHECK_EQ(SYNA_cascade_new(path, 24), SYNADB_ERR_NOT_A_DATABASE);
    CHECK_EQ(SYNA_cascade_new(path, 0), SYNADB_ERR_NOT_A_DATABASE);
    {
        unsigned char *after = test_slurp(path, &n1);
        CHECK(before && after && n0 == n1 && !memcmp(before, after, n0));
        free(after);
    }
    free(before);
    remove(path);
    {   /* a file made with the native API (euclidean) opens with its own metric */
        synadb_cascade_config cfg = synadb_cascade_config_preset(24, SYNADB_METRIC_EUCLIDEAN, SYNADB_CASCADE_SMALL);
        synadb_cascade *c = NULL;
        char err[256];
        CHECK_OK(synadb_cascade_open(path, &cfg, &c, err, sizeof err));
        if (c) {
            CHECK_OK(synadb_cascade_insert(c, "z", SYNADB_NTS, zero));   /* fine under euclidean */
            CHECK_OK(synadb_cascade_close(c));
        }
        CHECK_EQ(SYNA_cascade_new(path, 24), 1);
        CHECK_EQ(SYNA_cascade_insert(path, "zero2", zero, 24), 1);
        CHECK_EQ(SYNA_cascade_len(path), 2);
        CHECK_EQ(SYNA_cascade_close(path), 1);
    }
    remove(path);
    free(vs);
}

/* Keys of search results are stable: they survive 20,000 later inserts (arena, table and
   mapping growth). ASan reports a use after free if they moved. */
static void test_stable_hit_keys(void) {
    char path[512], key[32];
    float v[8];
    synadb_vec_hit hv[3], hm[3], hh[3];
    size_t nv = 0, nm = 0, nh = 0, i;
    synadb_vstore *vs = NULL;
    synadb_mmvs *ms = NULL;
    synadb_hnsw *hx = NULL;
    synadb_vstore_config vc = synadb_vstore_config_default(8, SYNADB_METRIC_EUCLIDEAN);
    synadb_mmvs_config mc = synadb_mmvs_config_default(8, SYNADB_METRIC_EUCLIDEAN);
    synadb_hnsw_config hc = synadb_hnsw_config_default(8, SYNADB_METRIC_EUCLIDEAN);
    vc.db.sync_on_write = 0;
    mc.initial_capacity = 16;
    test_path(path, sizeof path, "stable.db");
    CHECK_OK(synadb_vstore_open(path, &vc, &vs));
    test_path(path, sizeof path, "stable.mmvs");
    CHECK_OK(synadb_mmvs_open(path, &mc, &ms));
    CHECK_OK(synadb_hnsw_create(&hc, &hx));
    if (!vs || !ms || !hx) return;
    for (i = 0; i < 10; i++) {
        snprintf(key, sizeof key, "first-%d", (int)i);
        vgen(v, 8, 300000 + i);
        CHECK_OK(synadb_vstore_insert(vs, key, SYNADB_NTS, v));
        CHECK_OK(synadb_mmvs_insert(ms, key, SYNADB_NTS, v));
        CHECK_OK(synadb_hnsw_add_key(hx, key, SYNADB_NTS, v));
    }
    vgen(v, 8, 300004);
    CHECK_OK(synadb_vstore_search(vs, v, 3, hv, &nv));
    CHECK_OK(synadb_mmvs_search(ms, v, 3, hm, &nm));
    CHECK_OK(synadb_hnsw_search(hx, v, 3, 0, hh, &nh));
    CHECK(nv == 3 && nm == 3 && nh == 3);
    for (i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "later-%d", (int)i);
        vgen(v, 8, 400000 + i);
        CHECK_OK(synadb_vstore_insert(vs, key, SYNADB_NTS, v));
        CHECK_OK(synadb_mmvs_insert(ms, key, SYNADB_NTS, v));
        CHECK_OK(synadb_hnsw_add_key(hx, key, SYNADB_NTS, v));
    }
    CHECK(synadb_vstore_has_index(vs));   /* the threshold was crossed: the table was rebuilt too */
    CHECK(nv && hv[0].key_len == 7 && !strcmp(hv[0].key, "first-4"));
    CHECK(nm && hm[0].key_len == 7 && !strcmp(hm[0].key, "first-4"));
    CHECK(nh && hh[0].key_len == 7 && !strcmp(hh[0].key, "first-4"));
    for (i = 1; i < 3; i++) CHECK(!strncmp(hv[i].key, "first-", 6) && !strncmp(hm[i].key, "first-", 6) && !strncmp(hh[i].key, "first-", 6));
    CHECK_OK(synadb_vstore_close(vs));
    CHECK_OK(synadb_mmvs_close(ms));
    synadb_hnsw_free(hx);
    test_path(path, sizeof path, "stable.db");
    {
        char p2[600];
        snprintf(p2, sizeof p2, "%s.hnsw", path);
        remove(p2);
    }
    test_path(path, sizeof path, "stable.mmvs");
}

/* ---- threads ---- */
static char g_tpath[512], g_tpath2[512], g_tpath3[512], g_tpath4[512];
static void *t_cascade(void *arg) {
    int id = (int)(size_t)arg, i;
    char key[32];
    float v[16];
    for (i = 0; i < 300; i++) {
        snprintf(key, sizeof key, "c%d-%d", id, i);
        vgen(v, 16, (unsigned long long)(id * 100000 + i + 11));
        if (SYNA_cascade_insert(g_tpath4, key, v, 16) != 1) return (void *)1;
        if (i % 10 == 0) {
            char *json = NULL;
            int32_t n = SYNA_cascade_search(g_tpath4, v, 16, 3, &json);
            if (n < 1 || !json_valid(json) || !strstr(json, key)) { SYNA_free_json(json); return (void *)2; }
            SYNA_free_json(json);
        }
        if (i % 100 == 99 && SYNA_cascade_flush(g_tpath4) != 1) return (void *)3;
    }
    return NULL;
}
static void *t_hnsw(void *arg) {
    int id = (int)(size_t)arg, i;
    char key[32];
    float v[16];
    for (i = 0; i < 500; i++) {
        snprintf(key, sizeof key, "h%d-%d", id, i);
        vgen(v, 16, (unsigned long long)(id * 100000 + i + 7));
        if (SYNA_hnsw_insert(g_tpath3, key, v, 16) != 1) return (void *)1;
        if (i % 10 == 0) {
            char *json = NULL;
            int32_t n = SYNA_hnsw_search(g_tpath3, v, 16, 3, 50, &json);
            if (n < 1 || !json_valid(json) || !strstr(json, key)) { SYNA_free_json(json); return (void *)2; }
            SYNA_free_json(json);
        }
    }
    return NULL;
}
static void *t_writer(void *arg) {
    int id = (int)(size_t)arg, i;
    char key[32];
    float v[16];
    for (i = 0; i < 400; i++) {
        snprintf(key, sizeof key, "t%d-%d", id, i);
        vgen(v, 16, (unsigned long long)(id * 100000 + i));
        if (SYNA_vector_store_insert(g_tpath, key, v, 16) != 1) return (void *)1;
        if (i % 20 == 0) {
            char *json = NULL;
            int32_t n = SYNA_vector_store_search(g_tpath, v, 16, 3, &json);
            if (n < 1 || !json_valid(json) || !strstr(json, key)) { SYNA_free_json(json); return (void *)2; }
            SYNA_free_json(json);
        }
    }
    return NULL;
}
static void *t_opener(void *arg) {
    int i;
    float v[16];
    (void)arg;
    memset(v, 0, sizeof v);
    v[0] = 1;
    for (i = 0; i < 30; i++) {
        if (SYNA_mmap_vector_store_new(g_tpath2, 16, 1, 0) != 1) return (void *)1;
        if (SYNA_mmap_vector_store_insert(g_tpath2, "k", v, 16) != 1) return (void *)2;
        if (SYNA_mmap_vector_store_close(g_tpath2) != 1) return (void *)3;
    }
    return NULL;
}
static void test_threads(void) {
    pthread_t a, b, c, d, e, f, g;
    void *ra = NULL, *rb = NULL, *rc = NULL, *rd = NULL, *re = NULL, *rf = NULL, *rg = NULL;
    char *json = NULL;
    test_path(g_tpath, sizeof g_tpath, "vabi-thr.db");
    test_path(g_tpath2, sizeof g_tpath2, "vabi-thr.mmvs");
    test_path(g_tpath3, sizeof g_tpath3, "vabi-thr.hnsw");
    CHECK_EQ(SYNA_vector_store_new_with_config(g_tpath, 16, 1, 0), 1);
    CHECK_EQ(SYNA_hnsw_create(g_tpath3, 16, 1, 0, 0), 1);
    test_path(g_tpath4, sizeof g_tpath4, "vabi-thr.casc");
    CHECK_EQ(SYNA_cascade_new(g_tpath4, 16), 1);
    pthread_create(&a, NULL, t_writer, (void *)1);
    pthread_create(&b, NULL, t_writer, (void *)2);
    pthread_create(&c, NULL, t_opener, NULL);
    pthread_create(&d, NULL, t_hnsw, (void *)1);
    pthread_create(&e, NULL, t_hnsw, (void *)2);
    pthread_create(&f, NULL, t_cascade, (void *)1);
    pthread_create(&g, NULL, t_cascade, (void *)2);
    pthread_join(a, &ra);
    pthread_join(b, &rb);
    pthread_join(c, &rc);
    pthread_join(d, &rd);
    pthread_join(e, &re);
    pthread_join(f, &rf);
    pthread_join(g, &rg);
    CHECK(ra == NULL && rb == NULL && rc == NULL && rd == NULL && re == NULL && rf == NULL && rg == NULL);
    CHECK_EQ(SYNA_cascade_len(g_tpath4), 600);
    CHECK_EQ(SYNA_cascade_close(g_tpath4), 1);
    CHECK_EQ(SYNA_cascade_new(g_tpath4, 16), 1);
    CHECK_EQ(SYNA_cascade_len(g_tpath4), 600);
    CHECK_EQ(SYNA_cascade_close(g_tpath4), 1);
    remove(g_tpath4);
    CHECK_EQ(SYNA_hnsw_stats(g_tpath3, &json), 1);
    CHECK(json && strstr(json, "\"num_nodes\":1000,"));
    SYNA_free_json(json);
    CHECK_EQ(SYNA_hnsw_close(g_tpath3), 1);
    CHECK_EQ(SYNA_vector_store_len(g_tpath), 800);
    CHECK_EQ(SYNA_vector_store_close(g_tpath), 1);
    remove(g_tpath);
    remove(g_tpath2);
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "threads")) {
        RUN(test_threads);
        return test_report();
    }
    RUN(test_validator);
    RUN(test_vector_store);
    RUN(test_json_escaping);
    RUN(test_mmap_store);
    RUN(test_hnsw_abi);
    RUN(test_cascade_abi);
    RUN(test_stable_hit_keys);
    RUN(test_threads);
    return test_report();
}
