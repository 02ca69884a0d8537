/* test_ml_registry.c - SHA-256 and the ModelRegistry of synadb_ml.h:
 *  - SHA-256: the FIPS 180-4 vectors ("", "abc", the 448-bit two-block message, a million
 *    'a') and OpenSSL's SHA256 on random inputs of random lengths fed to the incremental
 *    API in random pieces, for both compression functions (portable and SHA-NI when the
 *    CPU has it);
 *  - the registry against an in-memory model of what was saved: versions 1, 2, ... never
 *    reused, loads verified, exact names ("a", "a/", "a/v1", glob and percent characters),
 *    stages with and without archiving, aliases, deletes, reopen, the streaming writer and
 *    chunk edges, load into a buffer and through a callback;
 *  - a byte flipped in a stored chunk gives SYNADB_ERR_CHECKSUM (the core's CRC, and with
 *    skip_read_checksums our SHA-256), never the wrong bytes;
 *  - crash: a child saving models is killed (-9) at random moments; after each kill the
 *    latest version is the previous one or the complete new one and every load verifies;
 *    a save left without its commit leaves chunks that cleanup removes;
 *  - bad input (NULL, empty and huge names, unknown versions, bad stages and aliases);
 *  - the SYNA_model_* exports: codes, JSON shapes (read back with synadb.h's JSON reader),
 *    the fixed bugs (-74 for bad metadata JSON with its position, -10 for a checksum
 *    mismatch, counts from model_list);
 *  - threads saving and loading at once (argument "threads": that part only, for TSan).
 * Link with -lcrypto (OpenSSL, tests only).
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_ml.h"
#include "testing.h"

#include <openssl/sha.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static char g_path[512];

/* ---------------------------------------------------------------- SHA-256 */
typedef struct { const char *name; synadb__sha256_fn fn; } sha_impl;
static sha_impl g_impls[2];
static int g_nimpl;
static void sha_impls(void) {
    const char *n;
    g_nimpl = 0;
    g_impls[g_nimpl].name = "portable"; g_impls[g_nimpl].fn = synadb__sha256_blocks_portable; g_nimpl++;
    {
        synadb__sha256_fn f = synadb__sha256_pick(&n);
        if (f != synadb__sha256_blocks_portable) { g_impls[g_nimpl].name = n; g_impls[g_nimpl].fn = f; g_nimpl++; }
    }
}
static void sha_with(synadb__sha256_fn fn, const void *p, size_t n, uint8_t d[32]) {
    synadb_sha256_ctx c;
    synadb_sha256_init(&c);
    synadb__sha256_update_fn(&c, p, n, fn);
    synadb__sha256_final_fn(&c, d, fn);
}
static void test_sha_vectors(void) {
    static const struct { const char *msg; const char *hex; } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"}};
    static const char *million = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    uint8_t d[32];
    char hex[65];
    char *a = (char *)malloc(1000000);
    int i, k;
    size_t j;
    sha_impls();
    CHECK(g_nimpl >= 1);
    memset(a, 'a', 1000000);
    for (k = 0; k < g_nimpl; k++) {
        for (i = 0; i < 4; i++) {
            sha_with(g_impls[k].fn, v[i].msg, strlen(v[i].msg), d);
            synadb_sha256_hex(d, hex);
            CHECK(!strcmp(hex, v[i].hex));
        }
        sha_with(g_impls[k].fn, a, 1000000, d);
        synadb_sha256_hex(d, hex);
        CHECK(!strcmp(hex, million));
        {   /* a million 'a' fed one byte, then 1000 bytes, at a time */
            synadb_sha256_ctx c;
            synadb_sha256_init(&c);
            for (j = 0; j < 1000; j++) synadb__sha256_update_fn(&c, a, 1, g_impls[k].fn);
            for (j = 0; j < 999; j++) synadb__sha256_update_fn(&c, a, 1000, g_impls[k].fn);
            synadb__sha256_final_fn(&c, d, g_impls[k].fn);
            synadb_sha256_hex(d, hex);
            CHECK(!strcmp(hex, million));
        }
    }
    /* the public API uses the CPU's best implementation */
    synadb_sha256("abc", 3, d);
    synadb_sha256_hex(d, hex);
    CHECK(!strcmp(hex, v[1].hex));
    CHECK(!strcmp(synadb_sha256_impl(), "portable") || !strcmp(synadb_sha256_impl(), "sha-ni"));
    printf("sha256 implementations tested: %d (%s%s%s)\n", g_nimpl, g_impls[0].name, g_nimpl > 1 ? ", " : "", g_nimpl > 1 ? g_impls[1].name : "");
    free(a);
}
static void test_sha_openssl(void) {
    size_t cap = 1 << 20, iter;
    uint8_t *buf = (uint8_t *)malloc(cap), want[32], got[32];
    int k;
    size_t i;
    test_seed(42);
    for (i = 0; i < cap; i++) buf[i] = (uint8_t)test_rand();
    for (iter = 0; iter < 600; iter++) {
        size_t n = iter < 300 ? iter : (iter < 560 ? (size_t)(test_rand() % 20000) : (size_t)(test_rand() % cap));
        size_t off = (size_t)(test_rand() % (cap - n + 1));
        SHA256(buf + off, n, want);
        for (k = 0; k < g_nimpl; k++) {
            synadb_sha256_ctx c;
            size_t pos = 0;
            synadb_sha256_init(&c);
            while (pos < n) {   /* random split points: 0..130 bytes, sometimes big pieces */
                size_t piece = (size_t)(test_rand() % 8 == 0 ? test_rand() % (n - pos + 1) : test_rand() % 131);
                if (piece > n - pos) piece = n - pos;
                synadb__sha256_update_fn(&c, buf + off + pos, piece, g_impls[k].fn);
                pos += piece;
            }
            synadb__sha256_final_fn(&c, got, g_impls[k].fn);
            CHECK(!memcmp(got, want, 32));
        }
        synadb_sha256(buf + off, n, got);
        CHECK(!memcmp(got, want, 32));
    }
    free(buf);
}

/* ---------------------------------------------------------------- helpers */
static uint8_t *model_bytes(size_t n, unsigned seed) {
    uint8_t *p = (uint8_t *)malloc(n ? n : 1);
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    size_t i;
    for (i = 0; i + 8 <= n; i += 8) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; memcpy(p + i, &s, 8); }
    for (; i < n; i++) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; p[i] = (uint8_t)(s >> 24); }
    return p;
}
static synadb_registry *open_reg(const char *path, uint32_t chunk, int archive) {
    synadb_registry_config cfg;
    synadb_registry *reg = NULL;
    memset(&cfg, 0, sizeof cfg);
    cfg.chunk_size = chunk;
    cfg.archive_on_promote = archive;
    cfg.no_sync = 1;
    CHECK_OK(synadb_registry_open(path, &cfg, &reg));
    return reg;
}
static void hex_of(const void *p, size_t n, char hex[65]) {
    uint8_t d[32];
    synadb_sha256(p, n, d);
    synadb_sha256_hex(d, hex);
}
static const char *meta_get(const synadb_model_version *v, const char *k) {
    size_t i;
    for (i = 0; i < v->n_meta; i++) if (!strcmp(v->meta_keys[i], k)) return v->meta_values[i];
    return NULL;
}

/* ---------------------------------------------------------------- registry */
static void test_basic(void) {
    synadb_registry *reg;
    const char *keys[] = {"framework", "accuracy", "framework"};
    const char *vals[] = {"torch", "0.93", "onnx"};
    uint8_t *m1 = model_bytes(10000, 1), *m2 = model_bytes(20000, 2);
    uint32_t ver = 0, latest = 0;
    char ck[65], want[65];
    void *out = NULL;
    size_t len = 0;
    synadb_model_version info, *vs = NULL;
    size_t nv = 0;
    test_path(g_path, sizeof g_path, "reg-basic.db");
    reg = open_reg(g_path, 4096, 0);
    CHECK_OK(synadb_registry_save(reg, "resnet", m1, 10000, keys, vals, 3, &ver, ck));
    CHECK_EQ(ver, 1);
    hex_of(m1, 10000, want);
    CHECK(!strcmp(ck, want));
    CHECK_OK(synadb_registry_save(reg, "resnet", m2, 20000, NULL, NULL, 0, &ver, NULL));
    CHECK_EQ(ver, 2);
    CHECK_OK(synadb_registry_latest(reg, "resnet", &latest));
    CHECK_EQ(latest, 2);
    CHECK_OK(synadb_registry_load(reg, "resnet", 0, &out, &len, &info));
    CHECK_EQ(len, 20000);
    CHECK(out && !memcmp(out, m2, 20000));
    CHECK_EQ(info.version, 2);
    CHECK_EQ(info.n_meta, 0);
    CHECK_EQ(info.chunk_count, 5);
    CHECK_EQ(info.stage, SYNADB_STAGE_DEVELOPMENT);
    synadb_registry_version_free(&info);
    synadb_registry_free(out);
    CHECK_OK(synadb_registry_load(reg, "resnet", 1, &out, &len, &info));
    CHECK_EQ(len, 10000);
    CHECK(!memcmp(out, m1, 10000));
    CHECK(!strcmp(info.checksum, want));
    CHECK_EQ(info.size_bytes, 10000);
    CHECK(!strcmp(info.name, "resnet"));
    CHECK_EQ(info.n_meta, 2);   /* the repeated key keeps its last value */
    CHECK(meta_get(&info, "framework") && !strcmp(meta_get(&info, "framework"), "onnx"));
    CHECK(meta_get(&info, "accuracy") && !strcmp(meta_get(&info, "accuracy"), "0.93"));
    CHECK(info.created_at > 1600000000u);
    synadb_registry_version_free(&info);
    synadb_registry_free(out);
    CHECK_OK(synadb_registry_get_version(reg, "resnet", 1, &info));
    CHECK_EQ(info.size_bytes, 10000);
    synadb_registry_version_free(&info);
    CHECK_OK(synadb_registry_list_versions(reg, "resnet", &vs, &nv));
    CHECK_EQ(nv, 2);
    if (nv == 2) { CHECK_EQ(vs[0].version, 1); CHECK_EQ(vs[1].version, 2); }
    synadb_registry_versions_free(vs, nv);
    CHECK_OK(synadb_registry_list_versions(reg, "nothing", &vs, &nv));
    CHECK_EQ(nv, 0);
    CHECK(vs == NULL);
    /* empty model */
    CHECK_OK(synadb_registry_save(reg, "empty", NULL, 0, NULL, NULL, 0, &ver, ck));
    CHECK_EQ(ver, 1);
    CHECK(!strcmp(ck, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    CHECK_OK(synadb_registry_load(reg, "empty", 0, &out, &len, NULL));
    CHECK(out != NULL);
    CHECK_EQ(len, 0);
    synadb_registry_free(out);
    /* reopen: everything is there */
    CHECK_OK(synadb_registry_close(reg));
    reg = open_reg(g_path, 8192, 0);   /* another chunk size: old versions keep theirs */
    CHECK_OK(synadb_registry_load(reg, "resnet", 1, &out, &len, NULL));
    CHECK(len == 10000 && !memcmp(out, m1, 10000));
    synadb_registry_free(out);
    CHECK_OK(synadb_registry_save(reg, "resnet", m1, 10000, NULL, NULL, 0, &ver, NULL));
    CHECK_EQ(ver, 3);
    CHECK_OK(synadb_registry_get_version(reg, "resnet", 3, &info));
    CHECK_EQ(info.chunk_count, 2);
    synadb_registry_version_free(&info);
    {
        char **names = NULL;
        size_t nn = 0;
        CHECK_OK(synadb_registry_list_models(reg, &names, &nn));
        CHECK_EQ(nn, 2);
        if (nn == 2) { CHECK(!strcmp(names[0], "empty")); CHECK(!strcmp(names[1], "resnet")); }
        synadb_registry_names_free(names, nn);
    }
    CHECK_OK(synadb_registry_close(reg));
    free(m1); free(m2);
    remove(g_path);
}

struct acc { uint8_t *p; size_t n, calls; };
static int cb_collect(void *u, const void *d, size_t n) { struct acc *x = (struct acc *)u; memcpy(x->p + x->n, d, n); x->n += n; x->calls++; return 0; }
static int cb_stop(void *u, const void *d, size_t n) { (void)d; (void)n; ((struct acc *)u)->calls++; return 7; }

/* Chunk edges and the streaming writer, against the one-shot save. */
static void test_chunks_and_stream(void) {
    synadb_registry *reg;
    size_t sizes[] = {1, 4095, 4096, 4097, 8192, 12289, 100000};
    size_t i, len;
    uint32_t ver;
    char ck[65], ck2[65];
    test_path(g_path, sizeof g_path, "reg-chunks.db");
    reg = open_reg(g_path, 4096, 0);
    for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        uint8_t *m = model_bytes(sizes[i], (unsigned)i + 10), *back = (uint8_t *)malloc(sizes[i] + 10);
        synadb_model_writer *w = NULL;
        size_t pos = 0;
        synadb_model_version info;
        CHECK_OK(synadb_registry_save(reg, "m", m, sizes[i], NULL, NULL, 0, &ver, ck));
        CHECK_EQ(ver, 2 * i + 1);
        /* the same bytes in random pieces */
        CHECK_OK(synadb_registry_save_begin(reg, "m", NULL, NULL, 0, &w));
        while (pos < sizes[i]) {
            size_t piece = (size_t)(test_rand() % 6000);
            if (piece > sizes[i] - pos) piece = sizes[i] - pos;
            CHECK_OK(synadb_registry_save_write(w, m + pos, piece));
            pos += piece;
        }
        CHECK_OK(synadb_registry_save_commit(w, &ver, ck2));
        CHECK_EQ(ver, 2 * i + 2);
        CHECK(!strcmp(ck, ck2));
        CHECK_OK(synadb_registry_load_into(reg, "m", ver, back, sizes[i] + 10, &len, &info));
        CHECK_EQ(len, sizes[i]);
        CHECK(!memcmp(back, m, sizes[i]));
        CHECK_EQ(info.chunk_count, (sizes[i] + 4095) / 4096);
        synadb_registry_version_free(&info);
        /* too small a buffer: the size comes back, nothing is copied */
        CHECK_EQ(synadb_registry_load_into(reg, "m", ver, back, sizes[i] - 1, &len, NULL), SYNADB_ERR_BUFFER_TOO_SMALL);
        CHECK_EQ(len, sizes[i]);
        CHECK_EQ(synadb_registry_load_into(reg, "m", ver, NULL, 0, &len, NULL), SYNADB_ERR_BUFFER_TOO_SMALL);
        CHECK_EQ(len, sizes[i]);
        free(m); free(back);
    }
    {   /* abort: the version never appears, its chunks are gone, its number is not reused */
        synadb_model_writer *w = NULL;
        uint8_t *m = model_bytes(50000, 99);
        uint32_t latest = 0;
        synadb_keylist kl;
        CHECK_OK(synadb_registry_save_begin(reg, "m", NULL, NULL, 0, &w));
        CHECK_OK(synadb_registry_save_write(w, m, 50000));
        synadb_registry_save_abort(w);
        CHECK_OK(synadb_registry_latest(reg, "m", &latest));
        CHECK_EQ(latest, 14);
        CHECK_OK(synadb_keys(synadb_registry_db(reg), "model/m/v/15/*", SYNADB_NTS, &kl));
        CHECK_EQ(kl.count, 0);
        synadb_keylist_free(synadb_registry_db(reg), &kl);
        CHECK_OK(synadb_registry_save(reg, "m", m, 100, NULL, NULL, 0, &ver, NULL));
        CHECK_EQ(ver, 16);
        free(m);
    }
    {   /* the chunk callback: bytes in order; a non-zero return stops the load with it */
        struct acc a;
        synadb_model_version info;
        uint8_t *m = model_bytes(100000, 16);
        a.p = (uint8_t *)malloc(100000); a.n = 0; a.calls = 0;
        CHECK_OK(synadb_registry_save(reg, "cb", m, 100000, NULL, NULL, 0, &ver, NULL));
        CHECK_OK(synadb_registry_load_cb(reg, "cb", 0, cb_collect, &a, &info));
        CHECK_EQ(a.n, 100000);
        CHECK_EQ(a.calls, 25);
        CHECK(!memcmp(a.p, m, 100000));
        CHECK_EQ(info.version, 1);
        synadb_registry_version_free(&info);
        a.calls = 0;
        CHECK_EQ(synadb_registry_load_cb(reg, "cb", 1, cb_stop, &a, NULL), 7);
        CHECK_EQ(a.calls, 1);
        CHECK_EQ(synadb_registry_load_cb(reg, "cb", 1, NULL, &a, NULL), SYNADB_ERR_INVALID_ARG);
        free(a.p); free(m);
    }
    {   /* files: save_file streams a file in, load_to_file writes one out (through a temporary) */
        char fin[600], fout[600], fpart[620];
        uint8_t *m = model_bytes(70001, 17), *back;
        size_t n = 0;
        synadb_model_version info;
        snprintf(fin, sizeof fin, "%s.in", g_path);
        snprintf(fout, sizeof fout, "%s.out", g_path);
        snprintf(fpart, sizeof fpart, "%s.syna-partial", fout);
        test_spit(fin, m, 70001);
        CHECK_OK(synadb_registry_save_file(reg, "file", fin, NULL, NULL, 0, &ver, ck));
        CHECK_EQ(ver, 1);
        hex_of(m, 70001, ck2);
        CHECK(!strcmp(ck, ck2));
        test_spit(fout, (const unsigned char *)"old", 3);
        CHECK_OK(synadb_registry_load_to_file(reg, "file", 0, fout, &info));
        CHECK_EQ(info.size_bytes, 70001);
        synadb_registry_version_free(&info);
        back = test_slurp(fout, &n);
        CHECK(back && n == 70001 && !memcmp(back, m, n));
        free(back);
        CHECK(test_slurp(fpart, &n) == NULL);
        CHECK_EQ(synadb_registry_save_file(reg, "file", "/nonexistent/dir/none.bin", NULL, NULL, 0, &ver, NULL), SYNADB_ERR_NOT_FOUND);
        CHECK_EQ(synadb_registry_load_to_file(reg, "file", 0, "/nonexistent/dir/out.bin", NULL), SYNADB_ERR_NOT_FOUND);
        CHECK_EQ(synadb_registry_load_to_file(reg, "file", 5, fout, NULL), SYNADB_ERR_KEY_NOT_FOUND);
        CHECK(test_slurp(fpart, &n) == NULL);
        CHECK_EQ(synadb_registry_load_to_file(reg, "file", 0, NULL, NULL), SYNADB_ERR_INVALID_ARG);
        CHECK_EQ(synadb_registry_save_file(reg, "file", "", NULL, NULL, 0, &ver, NULL), SYNADB_ERR_INVALID_ARG);
        {   /* an empty file */
            test_spit(fin, m, 0);
            CHECK_OK(synadb_registry_save_file(reg, "file", fin, NULL, NULL, 0, &ver, NULL));
            CHECK_EQ(ver, 2);
            CHECK_OK(synadb_registry_load_to_file(reg, "file", 2, fout, NULL));
            back = test_slurp(fout, &n);
            CHECK(back && n == 0);
            free(back);
        }
        remove(fin); remove(fout);
        free(m);
    }
    CHECK_OK(synadb_registry_close(reg));
    remove(g_path);
}

/* Names are exact: no model is a prefix-match of another. */
static void test_exact_names(void) {
    static const char *names[] = {"a", "a/v1", "a/", "a/v1/meta", "a%2Fv1", "a*", "a?", "a[1]", "a\\b", "a b", "\xc3\xa9t\xc3\xa9", "v", "a/v/1/meta"};
    enum { N = sizeof names / sizeof *names };
    synadb_registry *reg;
    uint32_t ver;
    size_t i, k, nv, nn;
    test_path(g_path, sizeof g_path, "reg-names.db");
    reg = open_reg(g_path, 4096, 0);
    for (k = 0; k < 2; k++)
        for (i = 0; i < N; i++) {
            uint8_t *m = model_bytes(5000 + i, (unsigned)(i * 10 + k));
            CHECK_OK(synadb_registry_save(reg, names[i], m, 5000 + i, NULL, NULL, 0, &ver, NULL));
            CHECK_EQ(ver, k + 1);
            free(m);
        }
    for (i = 0; i < N; i++) {
        synadb_model_version *vs = NULL;
        void *out = NULL;
        size_t len = 0;
        uint8_t *m = model_bytes(5000 + i, (unsigned)(i * 10 + 1));
        CHECK_OK(synadb_registry_list_versions(reg, names[i], &vs, &nv));
        CHECK_EQ(nv, 2);
        if (nv == 2) CHECK(!strcmp(vs[1].name, names[i]));
        synadb_registry_versions_free(vs, nv);
        CHECK_OK(synadb_registry_load(reg, names[i], 0, &out, &len, NULL));
        CHECK(len == 5000 + i && !memcmp(out, m, len));
        synadb_registry_free(out);
        free(m);
    }
    /* deleting "a" leaves "a/v1" and "a/" alone */
    CHECK_OK(synadb_registry_delete_model(reg, "a"));
    CHECK_EQ(synadb_registry_load(reg, "a", 0, NULL, NULL, NULL), SYNADB_ERR_INVALID_ARG);
    {
        uint32_t latest = 0;
        synadb_model_version v;
        CHECK_EQ(synadb_registry_latest(reg, "a", &latest), SYNADB_ERR_KEY_NOT_FOUND);
        CHECK_OK(synadb_registry_latest(reg, "a/v1", &latest));
        CHECK_EQ(latest, 2);
        CHECK_OK(synadb_registry_get_version(reg, "a/", 2, &v));
        CHECK(!strcmp(v.name, "a/"));
        synadb_registry_version_free(&v);
    }
    {
        char **ns = NULL;
        CHECK_OK(synadb_registry_list_models(reg, &ns, &nn));
        CHECK_EQ(nn, N - 1);
        for (i = 0; i < nn; i++) CHECK(strcmp(ns[i], "a") != 0);
        for (i = 1; i < nn; i++) CHECK(strcmp(ns[i - 1], ns[i]) < 0);
        synadb_registry_names_free(ns, nn);
    }
    /* a deleted model keeps counting */
    CHECK_OK(synadb_registry_save(reg, "a", "x", 1, NULL, NULL, 0, &ver, NULL));
    CHECK_EQ(ver, 3);
    CHECK_OK(synadb_registry_close(reg));
    remove(g_path);
}

static int stage_of(synadb_registry *reg, const char *name, uint32_t v) {
    synadb_model_version info;
    int s;
    if (synadb_registry_get_version(reg, name, v, &info)) return -1;
    s = info.stage;
    synadb_registry_version_free(&info);
    return s;
}
static void test_stages(void) {
    synadb_registry *reg;
    synadb_model_version info;
    uint32_t ver, i;
    test_path(g_path, sizeof g_path, "reg-stages.db");
    reg = open_reg(g_path, 4096, 0);
    for (i = 1; i <= 4; i++) CHECK_OK(synadb_registry_save(reg, "m", "abc", 3, NULL, NULL, 0, &ver, NULL));
    CHECK_EQ(synadb_registry_get_production(reg, "m", &info), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_OK(synadb_registry_set_stage(reg, "m", 1, SYNADB_STAGE_PRODUCTION));
    CHECK_OK(synadb_registry_set_stage(reg, "m", 2, SYNADB_STAGE_STAGING));
    CHECK_EQ(stage_of(reg, "m", 1), SYNADB_STAGE_PRODUCTION);
    CHECK_EQ(stage_of(reg, "m", 2), SYNADB_STAGE_STAGING);
    /* without archiving, two versions can be in Production; the highest is "the" production */
    CHECK_OK(synadb_registry_set_stage(reg, "m", 3, SYNADB_STAGE_PRODUCTION));
    CHECK_EQ(stage_of(reg, "m", 1), SYNADB_STAGE_PRODUCTION);
    CHECK_OK(synadb_registry_get_production(reg, "m", &info));
    CHECK_EQ(info.version, 3);
    synadb_registry_version_free(&info);
    /* with archiving: every other Production version becomes Archived, others untouched */
    CHECK_OK(synadb_registry_transition(reg, "m", 4, SYNADB_STAGE_PRODUCTION, 1));
    CHECK_EQ(stage_of(reg, "m", 1), SYNADB_STAGE_ARCHIVED);
    CHECK_EQ(stage_of(reg, "m", 2), SYNADB_STAGE_STAGING);
    CHECK_EQ(stage_of(reg, "m", 3), SYNADB_STAGE_ARCHIVED);
    CHECK_EQ(stage_of(reg, "m", 4), SYNADB_STAGE_PRODUCTION);
    /* bad stages, unknown versions */
    CHECK_EQ(synadb_registry_set_stage(reg, "m", 1, 4), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_set_stage(reg, "m", 1, -1), SYNADB_ERR_INVALID_ARG);
    CHECK(strstr(synadb_registry_errmsg(reg), "stage") != NULL);
    CHECK_EQ(synadb_registry_set_stage(reg, "m", 9, 1), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_registry_set_stage(reg, "m", 0, 1), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_set_stage(reg, "zz", 1, 1), SYNADB_ERR_KEY_NOT_FOUND);
    /* stage changes keep the bytes loadable */
    {
        void *out = NULL;
        size_t len = 0;
        CHECK_OK(synadb_registry_load(reg, "m", 1, &out, &len, NULL));
        CHECK(len == 3 && !memcmp(out, "abc", 3));
        synadb_registry_free(out);
    }
    CHECK_OK(synadb_registry_close(reg));
    /* archive_on_promote from the config; persists over reopen */
    reg = open_reg(g_path, 4096, 1);
    CHECK_EQ(stage_of(reg, "m", 4), SYNADB_STAGE_PRODUCTION);
    CHECK_OK(synadb_registry_set_stage(reg, "m", 2, SYNADB_STAGE_PRODUCTION));
    CHECK_EQ(stage_of(reg, "m", 4), SYNADB_STAGE_ARCHIVED);
    CHECK_EQ(stage_of(reg, "m", 2), SYNADB_STAGE_PRODUCTION);
    CHECK_OK(synadb_registry_get_production(reg, "m", &info));
    CHECK_EQ(info.version, 2);
    synadb_registry_version_free(&info);
    CHECK(!strcmp(synadb_stage_name(2), "Production"));
    CHECK(synadb_stage_name(4) == NULL);
    CHECK_EQ(synadb_stage_parse("staging"), 1);
    CHECK_EQ(synadb_stage_parse("ARCHIVED"), 3);
    CHECK_EQ(synadb_stage_parse("None"), -1);
    CHECK_OK(synadb_registry_close(reg));
    remove(g_path);
}

static void test_aliases_and_delete(void) {
    synadb_registry *reg;
    uint32_t ver, v;
    void *out;
    size_t len;
    int i;
    test_path(g_path, sizeof g_path, "reg-alias.db");
    reg = open_reg(g_path, 4096, 0);
    for (i = 1; i <= 4; i++) {
        char b[32];
        snprintf(b, sizeof b, "model-%d", i);
        CHECK_OK(synadb_registry_save(reg, "m", b, strlen(b), NULL, NULL, 0, &ver, NULL));
    }
    CHECK_OK(synadb_registry_set_alias(reg, "m", "champion", 1));
    CHECK_OK(synadb_registry_set_alias(reg, "m", "challenger", 2));
    CHECK_OK(synadb_registry_get_alias(reg, "m", "champion", &v));
    CHECK_EQ(v, 1);
    CHECK_OK(synadb_registry_set_alias(reg, "m", "champion", 3));   /* moved */
    CHECK_OK(synadb_registry_get_alias(reg, "m", "champion", &v));
    CHECK_EQ(v, 3);
    CHECK_OK(synadb_registry_resolve(reg, "m", "@champion", &v));
    CHECK_EQ(v, 3);
    CHECK_OK(synadb_registry_resolve(reg, "m", "champion", &v));
    CHECK_OK(synadb_registry_load(reg, "m", v, &out, &len, NULL));
    CHECK(len == 7 && !memcmp(out, "model-3", 7));
    synadb_registry_free(out);
    {
        synadb_model_version info;
        CHECK_OK(synadb_registry_load_ref(reg, "m", "@champion", &out, &len, &info));
        CHECK(len == 7 && !memcmp(out, "model-3", 7));
        CHECK_EQ(info.version, 3);
        synadb_registry_version_free(&info);
        synadb_registry_free(out);
        CHECK_EQ(synadb_registry_load_ref(reg, "m", "@nobody", &out, &len, &info), SYNADB_ERR_KEY_NOT_FOUND);
        CHECK(out == NULL);
        CHECK_EQ(synadb_registry_load_ref(reg, "m", NULL, &out, &len, NULL), SYNADB_ERR_INVALID_ARG);
    }
    CHECK_OK(synadb_registry_resolve(reg, "m", "latest", &v));
    CHECK_EQ(v, 4);
    CHECK_OK(synadb_registry_resolve(reg, "m", "v2", &v));
    CHECK_EQ(v, 2);
    CHECK_OK(synadb_registry_resolve(reg, "m", "1", &v));
    CHECK_EQ(v, 1);
    CHECK_EQ(synadb_registry_resolve(reg, "m", "v9", &v), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_registry_resolve(reg, "m", "production", &v), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_registry_resolve(reg, "m", "nobody", &v), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_registry_resolve(reg, "m", "v99999999999", &v), SYNADB_ERR_INVALID_ARG);
    /* bad aliases */
    CHECK_EQ(synadb_registry_set_alias(reg, "m", "latest", 1), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_set_alias(reg, "m", "v3", 1), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_set_alias(reg, "m", "12", 1), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_set_alias(reg, "m", "", 1), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_set_alias(reg, "m", "a b", 1), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_set_alias(reg, "m", NULL, 1), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_set_alias(reg, "m", "x", 9), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_registry_set_alias(reg, "m", "x", 0), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_delete_alias(reg, "m", "x"), SYNADB_ERR_KEY_NOT_FOUND);
    {
        char big[300];
        memset(big, 'q', 299); big[299] = 0;
        CHECK_EQ(synadb_registry_set_alias(reg, "m", big, 1), SYNADB_ERR_INVALID_ARG);
        big[255] = 0;
        CHECK_OK(synadb_registry_set_alias(reg, "m", big, 1));
        CHECK_OK(synadb_registry_delete_alias(reg, "m", big));
    }
    /* deleting the aliased version removes its alias; others stay */
    CHECK_OK(synadb_registry_delete_version(reg, "m", 3));
    CHECK_EQ(synadb_registry_get_alias(reg, "m", "champion", &v), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_OK(synadb_registry_get_alias(reg, "m", "challenger", &v));
    CHECK_EQ(v, 2);
    CHECK_EQ(synadb_registry_load(reg, "m", 3, &out, &len, NULL), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_registry_delete_version(reg, "m", 3), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_exists(synadb_registry_db(reg), "model/m/v/3/c/0", SYNADB_NTS), 0);
    /* deleting the latest moves latest back; numbers are not reused */
    CHECK_OK(synadb_registry_delete_version(reg, "m", 4));
    CHECK_OK(synadb_registry_latest(reg, "m", &v));
    CHECK_EQ(v, 2);
    CHECK_OK(synadb_registry_save(reg, "m", "model-5", 7, NULL, NULL, 0, &ver, NULL));
    CHECK_EQ(ver, 5);
    {
        synadb_model_version *vs = NULL;
        size_t n = 0;
        CHECK_OK(synadb_registry_list_versions(reg, "m", &vs, &n));
        CHECK_EQ(n, 3);
        if (n == 3) { CHECK_EQ(vs[0].version, 1); CHECK_EQ(vs[1].version, 2); CHECK_EQ(vs[2].version, 5); }
        synadb_registry_versions_free(vs, n);
    }
    CHECK_OK(synadb_registry_delete_version(reg, "m", 1));
    CHECK_OK(synadb_registry_delete_version(reg, "m", 2));
    CHECK_EQ(synadb_registry_get_alias(reg, "m", "challenger", &v), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_OK(synadb_registry_delete_version(reg, "m", 5));
    CHECK_EQ(synadb_registry_latest(reg, "m", &v), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_registry_load(reg, "m", 0, &out, &len, NULL), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_OK(synadb_registry_save(reg, "m", "model-6", 7, NULL, NULL, 0, &ver, NULL));
    CHECK_EQ(ver, 6);
    /* the whole model: versions, chunks and aliases go; reopen agrees */
    CHECK_OK(synadb_registry_set_alias(reg, "m", "champion", 6));
    CHECK_OK(synadb_registry_delete_model(reg, "m"));
    CHECK_EQ(synadb_registry_delete_model(reg, "m"), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_registry_delete_model(reg, "never"), SYNADB_ERR_KEY_NOT_FOUND);
    {
        synadb_keylist kl;
        CHECK_OK(synadb_keys(synadb_registry_db(reg), "model/m/*", SYNADB_NTS, &kl));
        CHECK_EQ(kl.count, 1);   /* the head keeps the counter */
        if (kl.count == 1) CHECK(!strcmp(kl.keys[0], "model/m/head"));
        synadb_keylist_free(synadb_registry_db(reg), &kl);
    }
    CHECK_OK(synadb_registry_close(reg));
    reg = open_reg(g_path, 4096, 0);
    CHECK_EQ(synadb_registry_latest(reg, "m", &v), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_OK(synadb_registry_save(reg, "m", "model-7", 7, NULL, NULL, 0, &ver, NULL));
    CHECK_EQ(ver, 7);
    CHECK_OK(synadb_registry_close(reg));
    remove(g_path);
}

/* Offset of needle in the file (or -1). */
static long find_in_file(const char *path, const uint8_t *needle, size_t n) {
    size_t len = 0, i;
    unsigned char *b = test_slurp(path, &len);
    long at = -1;
    for (i = 0; b && i + n <= len; i++) if (b[i] == needle[0] && !memcmp(b + i, needle, n)) { at = (long)i; break; }
    free(b);
    return at;
}
static void flip_byte(const char *path, long off) {
    FILE *f = fopen(path, "r+b");
    int c;
    if (!f) return;
    fseek(f, off, SEEK_SET);
    c = fgetc(f);
    fseek(f, off, SEEK_SET);
    fputc(c ^ 0x40, f);
    fclose(f);
}
static void test_corruption(void) {
    int pass;
    for (pass = 0; pass < 2; pass++) {   /* 0: the core's record CRC catches it; 1: CRC off, our SHA-256 */
        synadb_registry_config cfg;
        synadb_config dbc;
        synadb_registry *reg = NULL;
        uint8_t *m = model_bytes(40000, 77), *back = (uint8_t *)malloc(40000);
        uint32_t ver;
        size_t len = 0;
        void *out = (void *)1;
        long at;
        struct acc a;
        test_path(g_path, sizeof g_path, "reg-corrupt.db");
        memset(&cfg, 0, sizeof cfg);
        memset(&dbc, 0, sizeof dbc);
        dbc.skip_read_checksums = pass;
        cfg.db_config = &dbc;
        cfg.chunk_size = 4096;
        cfg.no_sync = 1;
        CHECK_OK(synadb_registry_open(g_path, &cfg, &reg));
        CHECK_OK(synadb_registry_save(reg, "m", m, 40000, NULL, NULL, 0, &ver, NULL));
        CHECK_OK(synadb_registry_save(reg, "other", "ok", 2, NULL, NULL, 0, &ver, NULL));
        CHECK_OK(synadb_sync(synadb_registry_db(reg)));
        at = find_in_file(g_path, m + 20000, 64);   /* inside chunk 4 */
        CHECK(at > 0);
        flip_byte(g_path, at + 10);
        CHECK_EQ(synadb_registry_load(reg, "m", 1, &out, &len, NULL), SYNADB_ERR_CHECKSUM);
        CHECK(out == NULL);
        CHECK_EQ(len, 0);
        memset(back, 0x55, 40000);
        CHECK_EQ(synadb_registry_load_into(reg, "m", 1, back, 40000, &len, NULL), SYNADB_ERR_CHECKSUM);
        {   /* the buffer holds no unverified bytes */
            size_t i, nz = 0;
            for (i = 0; i < 40000; i++) nz += back[i] != 0;
            CHECK_EQ(nz, 0);
        }
        a.p = back; a.n = 0; a.calls = 0;
        CHECK_EQ(synadb_registry_load_cb(reg, "m", 1, cb_collect, &a, NULL), SYNADB_ERR_CHECKSUM);
        {   /* load_to_file: the target keeps its old bytes, no partial file stays */
            char fout[600], fpart[620];
            unsigned char *old;
            size_t on = 0;
            snprintf(fout, sizeof fout, "%s.out", g_path);
            snprintf(fpart, sizeof fpart, "%s.syna-partial", fout);
            test_spit(fout, (const unsigned char *)"old", 3);
            CHECK_EQ(synadb_registry_load_to_file(reg, "m", 1, fout, NULL), SYNADB_ERR_CHECKSUM);
            old = test_slurp(fout, &on);
            CHECK(old && on == 3 && !memcmp(old, "old", 3));
            free(old);
            CHECK(test_slurp(fpart, &on) == NULL);
            remove(fout);
        }
        if (pass) CHECK(strstr(synadb_registry_errmsg(reg), "SHA-256") != NULL);
        /* metadata still reads; the other model is fine */
        {
            synadb_model_version v;
            CHECK_OK(synadb_registry_get_version(reg, "m", 1, &v));
            synadb_registry_version_free(&v);
            CHECK_OK(synadb_registry_load(reg, "other", 0, &out, &len, NULL));
            CHECK(len == 2 && !memcmp(out, "ok", 2));
            synadb_registry_free(out);
        }
        flip_byte(g_path, at + 10);   /* repaired: loads again */
        CHECK_OK(synadb_registry_load(reg, "m", 1, &out, &len, NULL));
        CHECK(len == 40000 && !memcmp(out, m, 40000));
        synadb_registry_free(out);
        CHECK_OK(synadb_registry_close(reg));
        free(m); free(back);
        remove(g_path);
    }
}

/* ---------------------------------------------------------------- random ops against a model */
#define OM_NAMES 3
#define OM_MAXV 400
#define OM_ALIASES 3
typedef struct { int exists, stage; unsigned seed; size_t size; } om_ver;
typedef struct { uint32_t counter; om_ver v[OM_MAXV + 1]; uint32_t alias[OM_ALIASES]; } om_model;
static const char *om_names[OM_NAMES] = {"a", "a/", "a/v1"};
static const char *om_alias_names[OM_ALIASES] = {"champion", "challenger", "x-1"};
static void om_check(synadb_registry *reg, om_model *om) {
    int k;
    for (k = 0; k < OM_NAMES; k++) {
        om_model *m = &om[k];
        uint32_t v, latest = 0, got = 0, prod = 0;
        synadb_model_version *vs = NULL, info;
        size_t n = 0, live = 0, j = 0;
        int a;
        for (v = 1; v <= m->counter; v++) if (m->v[v].exists) { latest = v; live++; if (m->v[v].stage == SYNADB_STAGE_PRODUCTION) prod = v; }
        if (latest) { CHECK_OK(synadb_registry_latest(reg, om_names[k], &got)); CHECK_EQ(got, latest); }
        else CHECK_EQ(synadb_registry_latest(reg, om_names[k], &got), SYNADB_ERR_KEY_NOT_FOUND);
        CHECK_OK(synadb_registry_list_versions(reg, om_names[k], &vs, &n));
        CHECK_EQ(n, live);
        for (v = 1; v <= m->counter && j < n; v++) {
            if (!m->v[v].exists) continue;
            CHECK_EQ(vs[j].version, v);
            CHECK_EQ(vs[j].stage, m->v[v].stage);
            CHECK_EQ(vs[j].size_bytes, m->v[v].size);
            j++;
        }
        synadb_registry_versions_free(vs, n);
        if (prod) { CHECK_OK(synadb_registry_get_production(reg, om_names[k], &info)); CHECK_EQ(info.version, prod); synadb_registry_version_free(&info); }
        else CHECK_EQ(synadb_registry_get_production(reg, om_names[k], &info), SYNADB_ERR_KEY_NOT_FOUND);
        for (a = 0; a < OM_ALIASES; a++) {
            if (m->alias[a]) { CHECK_OK(synadb_registry_get_alias(reg, om_names[k], om_alias_names[a], &got)); CHECK_EQ(got, m->alias[a]); }
            else CHECK_EQ(synadb_registry_get_alias(reg, om_names[k], om_alias_names[a], &got), SYNADB_ERR_KEY_NOT_FOUND);
        }
    }
}
static void test_model_random(void) {
    static om_model om[OM_NAMES];
    synadb_registry *reg;
    int op, fails_before = testing_case_failures;
    memset(om, 0, sizeof om);
    test_path(g_path, sizeof g_path, "reg-model.db");
    test_seed(7);
    reg = open_reg(g_path, 4096, 0);
    for (op = 0; op < 3000 && testing_case_failures == fails_before; op++) {
        int k = (int)(test_rand() % OM_NAMES), what = (int)(test_rand() % 100), a = (int)(test_rand() % OM_ALIASES);
        om_model *m = &om[k];
        const char *nm = om_names[k];
        uint32_t v = m->counter ? (uint32_t)(test_rand() % (m->counter + 2)) : 0, i;
        synadb_result r;
        if (what < 30 && m->counter < OM_MAXV) {   /* save */
            size_t size = (size_t)(test_rand() % 3 ? test_rand() % 9000 : test_rand() % 40);
            unsigned seed = (unsigned)op;
            uint8_t *b = model_bytes(size, seed);
            uint32_t ver = 0;
            CHECK_OK(synadb_registry_save(reg, nm, b, size, NULL, NULL, 0, &ver, NULL));
            m->counter++;
            CHECK_EQ(ver, m->counter);
            m->v[m->counter].exists = 1; m->v[m->counter].stage = 0; m->v[m->counter].seed = seed; m->v[m->counter].size = size;
            free(b);
        } else if (what < 45) {   /* load and compare */
            void *out = NULL;
            size_t len = 0;
            uint32_t want = v;
            if (!v) for (i = 1; i <= m->counter; i++) if (m->v[i].exists) want = i;
            r = synadb_registry_load(reg, nm, v, &out, &len, NULL);
            if (want && want <= m->counter && m->v[want].exists) {
                uint8_t *b = model_bytes(m->v[want].size, m->v[want].seed);
                CHECK_OK(r);
                CHECK(len == m->v[want].size && !memcmp(out, b, len));
                free(b);
            } else CHECK_EQ(r, SYNADB_ERR_KEY_NOT_FOUND);
            synadb_registry_free(out);
        } else if (what < 55) {   /* delete a version */
            r = synadb_registry_delete_version(reg, nm, v);
            if (!v) CHECK_EQ(r, SYNADB_ERR_INVALID_ARG);
            else if (v <= m->counter && m->v[v].exists) {
                CHECK_OK(r);
                m->v[v].exists = 0;
                for (i = 0; i < OM_ALIASES; i++) if (m->alias[i] == v) m->alias[i] = 0;
            } else CHECK_EQ(r, SYNADB_ERR_KEY_NOT_FOUND);
        } else if (what < 75) {   /* stage, with or without archiving */
            int st = (int)(test_rand() % 4), arch = (int)(test_rand() % 2);
            r = synadb_registry_transition(reg, nm, v, st, arch);
            if (!v) CHECK_EQ(r, SYNADB_ERR_INVALID_ARG);
            else if (v <= m->counter && m->v[v].exists) {
                CHECK_OK(r);
                if (arch && st == SYNADB_STAGE_PRODUCTION)
                    for (i = 1; i <= m->counter; i++) if (m->v[i].exists && m->v[i].stage == SYNADB_STAGE_PRODUCTION) m->v[i].stage = SYNADB_STAGE_ARCHIVED;
                m->v[v].stage = st;
            } else CHECK_EQ(r, SYNADB_ERR_KEY_NOT_FOUND);
        } else if (what < 88) {   /* set an alias */
            r = synadb_registry_set_alias(reg, nm, om_alias_names[a], v);
            if (!v) CHECK_EQ(r, SYNADB_ERR_INVALID_ARG);
            else if (v <= m->counter && m->v[v].exists) { CHECK_OK(r); m->alias[a] = v; }
            else CHECK_EQ(r, SYNADB_ERR_KEY_NOT_FOUND);
        } else if (what < 94) {   /* delete an alias */
            r = synadb_registry_delete_alias(reg, nm, om_alias_names[a]);
            if (m->alias[a]) { CHECK_OK(r); m->alias[a] = 0; }
            else CHECK_EQ(r, SYNADB_ERR_KEY_NOT_FOUND);
        } else if (what < 96) {   /* delete the model */
            int any = 0;
            for (i = 1; i <= m->counter; i++) any |= m->v[i].exists;
            r = synadb_registry_delete_model(reg, nm);
            if (any) {
                CHECK_OK(r);
                for (i = 1; i <= m->counter; i++) m->v[i].exists = 0;
                memset(m->alias, 0, sizeof m->alias);
            } else CHECK_EQ(r, SYNADB_ERR_KEY_NOT_FOUND);
        } else if (what < 98) {   /* reopen */
            CHECK_OK(synadb_registry_close(reg));
            reg = open_reg(g_path, (uint32_t)(4096u << (test_rand() % 3)), 0);
        } else om_check(reg, om);
    }
    om_check(reg, om);
    if (testing_case_failures != fails_before) fprintf(stderr, "model test stopped at op %d\n", op);
    printf("random ops: %d against the model; version counters %u %u %u\n", op, om[0].counter, om[1].counter, om[2].counter);
    CHECK_OK(synadb_registry_close(reg));
    remove(g_path);
}

/* ---------------------------------------------------------------- crash */
#define CRASH_SIZE (24u << 20)
static void crash_child(const char *path, unsigned first) {
    synadb_registry *reg = NULL;
    synadb_registry_config cfg;
    unsigned v;
    memset(&cfg, 0, sizeof cfg);
    cfg.chunk_size = 1u << 20;
    cfg.no_sync = 1;
    if (synadb_registry_open(path, &cfg, &reg)) _exit(3);
    for (v = first; v < first + 1000; v++) {   /* killed long before the end */
        uint8_t *m = model_bytes(CRASH_SIZE, v);
        synadb_model_writer *w = NULL;
        size_t pos = 0;
        if (synadb_registry_save_begin(reg, "big", NULL, NULL, 0, &w)) _exit(4);
        while (pos < CRASH_SIZE) {   /* uneven pieces */
            size_t piece = 300000 + (pos / 7) % 500000;
            if (piece > CRASH_SIZE - pos) piece = CRASH_SIZE - pos;
            if (synadb_registry_save_write(w, m + pos, piece)) _exit(5);
            pos += piece;
        }
        if (synadb_registry_save_commit(w, NULL, NULL)) _exit(6);
        free(m);
    }
    _exit(0);
}
static void test_crash_kill(void) {
    synadb_registry *reg;
    int iter, status;
    uint32_t prev = 0, counter_seen = 0;
    unsigned seed_of[64];   /* version -> content seed */
    memset(seed_of, 0, sizeof seed_of);
    test_path(g_path, sizeof g_path, "reg-crash.db");
    test_seed((unsigned long long)time(NULL));
    for (iter = 0; iter < 16; iter++) {
        pid_t pid;
        uint32_t latest = 0;
        unsigned first = (unsigned)(iter * 1000 + 1);
        pid = fork();
        if (pid == 0) crash_child(g_path, first);
        usleep((useconds_t)(5000 + test_rand() % 400000));
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        CHECK(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0));
        reg = open_reg(g_path, 1u << 20, 0);
        if (!reg) return;
        {
            synadb_result r = synadb_registry_latest(reg, "big", &latest);
            CHECK(r == SYNADB_OK || (r == SYNADB_ERR_KEY_NOT_FOUND && prev == 0));
        }
        CHECK(latest >= prev);
        {   /* every version present loads and verifies, with the bytes its save had */
            synadb_model_version *vs = NULL;
            size_t n = 0, i;
            CHECK_OK(synadb_registry_list_versions(reg, "big", &vs, &n));
            for (i = 0; i < n; i++) {
                void *out = NULL;
                size_t len = 0;
                CHECK_OK(synadb_registry_load(reg, "big", vs[i].version, &out, &len, NULL));
                CHECK_EQ(len, CRASH_SIZE);
                if (vs[i].version > prev) {   /* a new version: complete, content of one of the child's saves */
                    unsigned s;
                    int match = 0;
                    for (s = first; s < first + 200 && !match; s++) {
                        uint8_t *m = model_bytes(64, s);
                        match = out && !memcmp(out, m, 64);
                        free(m);
                    }
                    CHECK(match);
                }
                synadb_registry_free(out);
            }
            synadb_registry_versions_free(vs, n);
        }
        {
            uint8_t hb[8];
            size_t got = 0;
            synadb_result r = synadb_get_bytes_into(synadb_registry_db(reg), "model/big/head", SYNADB_NTS, hb, 8, &got);
            /* no head yet only if the child was killed before its first save_begin */
            CHECK(r == SYNADB_OK || (r == SYNADB_ERR_KEY_NOT_FOUND && counter_seen == 0));
            if (r == SYNADB_OK) {
                CHECK(synadb__rd32(hb) >= counter_seen);
                counter_seen = synadb__rd32(hb);
            }
        }
        prev = latest;
        CHECK_OK(synadb_registry_close(reg));
    }
    /* leftover chunks of the interrupted saves: harmless, and cleanup removes them */
    reg = open_reg(g_path, 1u << 20, 0);
    if (reg) {
        size_t removed = 0, again = 1;
        synadb_model_version *vs = NULL;
        size_t n = 0;
        CHECK_OK(synadb_registry_cleanup(reg, "big", &removed));
        CHECK_OK(synadb_registry_cleanup(reg, "big", &again));
        CHECK_EQ(again, 0);
        CHECK_OK(synadb_registry_list_versions(reg, "big", &vs, &n));
        CHECK_EQ(n, prev ? n : 0);
        synadb_registry_versions_free(vs, n);
        printf("crash: %d kills, latest version %u, version counter %u, %llu leftover chunks removed\n", iter, prev, counter_seen, (unsigned long long)removed);
        CHECK_OK(synadb_registry_close(reg));
    }
    remove(g_path);
}
/* A save whose process ends before commit: the version does not exist. */
static void test_uncommitted_save(void) {
    synadb_registry *reg;
    pid_t pid;
    int status;
    uint32_t latest = 0, ver = 0;
    size_t removed = 0;
    test_path(g_path, sizeof g_path, "reg-uncommitted.db");
    reg = open_reg(g_path, 4096, 0);
    CHECK_OK(synadb_registry_save(reg, "m", "first", 5, NULL, NULL, 0, &ver, NULL));
    CHECK_OK(synadb_registry_close(reg));
    pid = fork();
    if (pid == 0) {
        synadb_registry *r2 = NULL;
        synadb_model_writer *w = NULL;
        uint8_t *m = model_bytes(20000, 5);
        synadb_registry_config cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.chunk_size = 4096;
        if (synadb_registry_open(g_path, &cfg, &r2) || synadb_registry_save_begin(r2, "m", NULL, NULL, 0, &w) ||
            synadb_registry_save_write(w, m, 20000)) _exit(2);
        _exit(0);   /* no commit, no close */
    }
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    reg = open_reg(g_path, 4096, 0);
    CHECK_OK(synadb_registry_latest(reg, "m", &latest));
    CHECK_EQ(latest, 1);
    {
        synadb_model_version v;
        CHECK_EQ(synadb_registry_get_version(reg, "m", 2, &v), SYNADB_ERR_KEY_NOT_FOUND);
    }
    CHECK_OK(synadb_registry_save(reg, "m", "third", 5, NULL, NULL, 0, &ver, NULL));
    CHECK_EQ(ver, 3);   /* 2 was handed out to the save that never finished */
    CHECK_OK(synadb_registry_cleanup(reg, "m", &removed));
    CHECK_EQ(removed, 4);   /* 4 full chunks were written; the partial fifth was still in memory */
    CHECK_EQ(synadb_exists(synadb_registry_db(reg), "model/m/v/2/c/0", SYNADB_NTS), 0);
    CHECK_OK(synadb_registry_close(reg));
    remove(g_path);
}

/* ---------------------------------------------------------------- large, streamed */
#if defined(__linux__)
/* ASan keeps freed blocks in quarantine: resident memory says nothing under it. */
#if defined(__SANITIZE_ADDRESS__)
#  define TEST_ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define TEST_ASAN 1
#  endif
#endif
#ifndef TEST_ASAN
#  define TEST_ASAN 0
#endif
/* Peak and current resident memory of this process, in KiB (/proc/self/status). */
static long status_kib(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t n = strlen(field);
    if (!f) return -1;
    while (fgets(line, sizeof line, f)) if (!strncmp(line, field, n)) { v = atol(line + n); break; }
    fclose(f);
    return v;
}
typedef struct { uint64_t s, pos; int bad; } stream_check;
static void stream_fill(uint64_t *s, uint8_t *p, size_t n) {   /* n a multiple of 8 */
    size_t i;
    for (i = 0; i < n; i += 8) { *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17; memcpy(p + i, s, 8); }
}
static int stream_cb(void *u, const void *d, size_t n) {
    stream_check *c = (stream_check *)u;
    uint8_t want[65536];
    size_t off = 0;
    while (off < n) {
        size_t k = n - off < sizeof want ? n - off : sizeof want;
        stream_fill(&c->s, want, k);
        if (memcmp(want, (const uint8_t *)d + off, k)) c->bad = 1;
        off += k;
    }
    c->pos += n;
    return 0;
}
/* A model larger than what the process may hold: written in 1 MiB pieces produced on the
   fly, read back through the chunk callback; the resident memory grows by much less than
   the model's size (the database is opened without mmap so its file pages are not ours).
   SYNADB_TEST_LARGE_MB sets the size (default 160; the benchmark does 1 GiB). */
static void large_child(size_t mb) {
    synadb_registry *reg = NULL;
    synadb_registry_config cfg;
    synadb_config dbc;
    synadb_model_writer *w = NULL;
    uint8_t *piece = (uint8_t *)malloc(1 << 20);
    uint64_t s = 0x5eed;
    stream_check c;
    size_t i;
    long rss0, hwm;
    uint32_t ver = 0;
    synadb_model_version info;
    int fails = 0;
    memset(&cfg, 0, sizeof cfg);
    memset(&dbc, 0, sizeof dbc);
    dbc.no_mmap = 1;
    cfg.db_config = &dbc;
    cfg.no_sync = 1;
    if (synadb_registry_open(g_path, &cfg, &reg)) _exit(10);
    rss0 = status_kib("VmRSS:");
    if (synadb_registry_save_begin(reg, "large", NULL, NULL, 0, &w)) _exit(11);
    for (i = 0; i < mb; i++) {
        stream_fill(&s, piece, 1 << 20);
        if (synadb_registry_save_write(w, piece, (i % 3 == 2) ? (1 << 20) - 8 : (1 << 20))) _exit(12);
        if (i % 3 == 2 && synadb_registry_save_write(w, piece + (1 << 20) - 8, 8)) _exit(12);
    }
    if (synadb_registry_save_commit(w, &ver, NULL)) _exit(13);
    c.s = 0x5eed; c.pos = 0; c.bad = 0;
    if (synadb_registry_load_cb(reg, "large", 0, stream_cb, &c, &info)) _exit(14);
    fails += c.bad || c.pos != (uint64_t)mb << 20 || info.size_bytes != (uint64_t)mb << 20;
    synadb_registry_version_free(&info);
    hwm = status_kib("VmHWM:");
    printf("large: %zu MiB streamed; resident memory grew by at most %ld KiB\n", mb, hwm - rss0);
    fflush(stdout);
    if (!TEST_ASAN) fails += hwm - rss0 > 40 * 1024;   /* a 4 MiB chunk buffer and a 1 MiB piece, not the model */
    synadb_registry_close(reg);
    free(piece);
    _exit(fails ? 20 + fails : 0);
}
static void test_large_streamed(void) {
    const char *e = getenv("SYNADB_TEST_LARGE_MB");
    size_t mb = e && atol(e) > 0 ? (size_t)atol(e) : 160;
    pid_t pid;
    int status = 0;
    test_path(g_path, sizeof g_path, "reg-large.db");
    fflush(stdout);
    pid = fork();
    if (pid == 0) large_child(mb);
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 0);
    remove(g_path);
}
#endif

/* ---------------------------------------------------------------- bad input */
static void test_bad_input(void) {
    synadb_registry *reg, *r2 = NULL;
    synadb_registry_config cfg;
    synadb_model_writer *w = NULL;
    synadb_model_version v;
    char *huge = (char *)malloc(SYNADB__RG_MAX_NAME + 2);
    const char *k1[] = {"k"}, *vnull[] = {NULL}, *bad8[] = {"\xff"};
    uint32_t ver = 0;
    void *out = NULL;
    size_t len = 0, n = 0;
    uint8_t buf[8];
    test_path(g_path, sizeof g_path, "reg-bad.db");
    reg = open_reg(g_path, 4096, 0);
    /* NULL handle and arguments */
    CHECK_EQ(synadb_registry_save(NULL, "m", "x", 1, NULL, NULL, 0, &ver, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_load(NULL, "m", 0, &out, &len, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_close(NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_open(NULL, NULL, &r2), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_open("", NULL, &r2), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_open(g_path, NULL, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_attach(NULL, NULL, &r2), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_open(g_path, NULL, &r2), SYNADB_ERR_LOCKED);   /* one writer per file */
    CHECK(r2 == NULL);
    memset(&cfg, 0, sizeof cfg);
    cfg.chunk_size = 100;
    CHECK_EQ(synadb_registry_open("/tmp/never-created-reg.db", &cfg, &r2), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_save(reg, NULL, "x", 1, NULL, NULL, 0, &ver, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_save(reg, "", "x", 1, NULL, NULL, 0, &ver, NULL), SYNADB_ERR_EMPTY_KEY);
    memset(huge, 'n', SYNADB__RG_MAX_NAME + 1); huge[SYNADB__RG_MAX_NAME + 1] = 0;
    CHECK_EQ(synadb_registry_save(reg, huge, "x", 1, NULL, NULL, 0, &ver, NULL), SYNADB_ERR_KEY_TOO_LONG);
    CHECK(strstr(synadb_registry_errmsg(reg), "4096") != NULL);
    huge[SYNADB__RG_MAX_NAME] = 0;   /* the longest name works, even all escaped */
    memset(huge, '/', SYNADB__RG_MAX_NAME);
    CHECK_OK(synadb_registry_save(reg, huge, "x", 1, NULL, NULL, 0, &ver, NULL));
    CHECK_OK(synadb_registry_load(reg, huge, 1, &out, &len, NULL));
    CHECK(len == 1 && !memcmp(out, "x", 1));
    synadb_registry_free(out);
    CHECK_EQ(synadb_registry_save(reg, "\xc3", "x", 1, NULL, NULL, 0, &ver, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_save(reg, "m", NULL, 5, NULL, NULL, 0, &ver, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_save(reg, "m", "x", 1, k1, NULL, 1, &ver, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_save(reg, "m", "x", 1, k1, vnull, 1, &ver, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_save(reg, "m", "x", 1, k1, bad8, 1, &ver, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_latest(reg, "m", &ver), SYNADB_ERR_KEY_NOT_FOUND);   /* nothing was reserved */
    CHECK_EQ(synadb_registry_save_begin(reg, "m", NULL, NULL, 0, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_save_write(NULL, "x", 1), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_save_commit(NULL, NULL, NULL), SYNADB_ERR_INVALID_ARG);
    synadb_registry_save_abort(NULL);
    CHECK_OK(synadb_registry_save_begin(reg, "m", NULL, NULL, 0, &w));
    CHECK_EQ(synadb_registry_save_write(w, NULL, 3), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_registry_save_write(w, NULL, 0));
    synadb_registry_save_abort(w);
    /* unknown models and versions */
    CHECK_EQ(synadb_registry_load(reg, "nope", 0, &out, &len, NULL), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_OK(synadb_registry_save(reg, "m", "x", 1, NULL, NULL, 0, &ver, NULL));
    CHECK_EQ(ver, 2);
    CHECK_EQ(synadb_registry_load(reg, "m", 7, &out, &len, NULL), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK(strstr(synadb_registry_errmsg(reg), "no version 7") != NULL);
    CHECK_EQ(synadb_registry_load(reg, "m", 1, &out, &len, NULL), SYNADB_ERR_KEY_NOT_FOUND);   /* aborted */
    CHECK_EQ(synadb_registry_get_version(reg, "m", 3, &v), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_registry_get_version(reg, "m", 2, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_delete_version(reg, "m", 0), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_delete_version(reg, "m", 1), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_registry_load_into(reg, "m", 2, NULL, 4, &len, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_load_into(reg, "m", 2, buf, 8, NULL, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_list_versions(reg, "m", NULL, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_list_models(reg, NULL, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_latest(reg, "m", NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_cleanup(NULL, "m", NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_registry_cleanup(reg, "", NULL), SYNADB_ERR_EMPTY_KEY);
    CHECK(synadb_registry_db(NULL) == NULL);
    CHECK(synadb_registry_errmsg(NULL) != NULL);
    /* a damaged meta record reads as CORRUPT, not as a model */
    CHECK_OK(synadb_put_text(synadb_registry_db(reg), "model/m/v/2/meta", SYNADB_NTS, "{\"name\":\"m\"}", SYNADB_NTS));
    CHECK_EQ(synadb_registry_load(reg, "m", 2, &out, &len, NULL), SYNADB_ERR_CORRUPT);
    CHECK_OK(synadb_registry_close(reg));
    {   /* a read-only database: loads work, writes say READ_ONLY */
        synadb_config ro;
        memset(&ro, 0, sizeof ro);
        ro.read_only = 1;
        memset(&cfg, 0, sizeof cfg);
        cfg.db_config = &ro;
        CHECK_OK(synadb_registry_open(g_path, &cfg, &r2));
        CHECK_OK(synadb_registry_load(r2, huge, 1, &out, &len, NULL));
        synadb_registry_free(out);
        CHECK_EQ(synadb_registry_save(r2, "m", "x", 1, NULL, NULL, 0, &ver, NULL), SYNADB_ERR_READ_ONLY);
        CHECK_EQ(synadb_registry_set_stage(r2, huge, 1, 2), SYNADB_ERR_READ_ONLY);
        CHECK_EQ(synadb_registry_set_alias(r2, huge, "best", 1), SYNADB_ERR_READ_ONLY);
        CHECK_EQ(synadb_registry_delete_version(r2, huge, 1), SYNADB_ERR_READ_ONLY);
        CHECK_OK(synadb_registry_get_version(r2, huge, 1, &v));
        CHECK_EQ(v.stage, SYNADB_STAGE_DEVELOPMENT);
        synadb_registry_version_free(&v);
        CHECK_OK(synadb_registry_close(r2));
    }
    /* attach: the database stays the caller's */
    {
        synadb_db *db = NULL;
        CHECK_OK(synadb_open(g_path, NULL, &db));
        CHECK_OK(synadb_registry_attach(db, NULL, &r2));
        CHECK_OK(synadb_registry_save(r2, "att", "abc", 3, NULL, NULL, 0, &ver, NULL));
        CHECK_OK(synadb_registry_close(r2));
        CHECK_EQ(synadb_exists(db, "model/att/head", SYNADB_NTS), 1);
        CHECK_OK(synadb_close(db));
    }
    free(huge);
    remove(g_path);
}

/* ---------------------------------------------------------------- ABI */
static void test_abi(void) {
    uint8_t *m = model_bytes(30000, 3), *data = NULL;
    uint32_t ver = 0;
    char *ck = NULL, *meta = NULL, *json = NULL, msg[256];
    size_t cklen = 0, dlen = 0, mlen = 0, jlen = 0;
    synadb__jdoc d;
    const synadb__jv *o;
    test_path(g_path, sizeof g_path, "reg-abi.db");
    CHECK_EQ(SYNA_model_save(g_path, "m", m, 30000, NULL, &ver, &ck, &cklen), -1);   /* not open */
    CHECK_EQ(SYNA_model_registry_open(NULL), -2);
    CHECK_EQ(SYNA_model_registry_open(""), -2);
    CHECK_EQ(SYNA_model_registry_open(g_path), 1);
    CHECK_EQ(SYNA_model_registry_open(g_path), 1);   /* already open: keeps the open one */
    CHECK_EQ(SYNA_model_save(g_path, "m", m, 30000, "{\"framework\":\"torch\",\"note\":\"a \\\"q\\\"\\n\"}", &ver, &ck, &cklen), 1);
    CHECK_EQ(ver, 1);
    CHECK_EQ(cklen, 64);
    {
        char want[65];
        hex_of(m, 30000, want);
        CHECK(ck && !strcmp(ck, want));
    }
    SYNA_free_text(ck, cklen);
    CHECK_EQ(SYNA_model_save(g_path, "m", m, 100, NULL, &ver, &ck, &cklen), 1);
    CHECK_EQ(ver, 2);
    SYNA_free_text(ck, cklen);
    /* the original's bugs, fixed: bad metadata JSON is an error with its position */
    CHECK_EQ(SYNA_model_save(g_path, "m", m, 10, "{\"a\" \"b\"}", &ver, &ck, &cklen), -74);
    CHECK_EQ(SYNA_model_errmsg(g_path, msg, sizeof msg), 1);
    CHECK(strstr(msg, "at byte 5") != NULL);
    CHECK_EQ(SYNA_model_save(g_path, "m", m, 10, "{\"a\":1}", &ver, &ck, &cklen), -6);
    CHECK_EQ(SYNA_model_save(g_path, "m", m, 10, "[1]", &ver, &ck, &cklen), -74);
    CHECK_EQ(SYNA_model_save(g_path, "m", m, 10, "", &ver, &ck, &cklen), -74);
    CHECK_EQ(SYNA_model_save(g_path, "m", m, 10, NULL, NULL, &ck, &cklen), -2);
    CHECK_EQ(SYNA_model_save(g_path, "m", NULL, 10, NULL, &ver, &ck, &cklen), -2);
    CHECK_EQ(SYNA_model_save(g_path, NULL, m, 10, NULL, &ver, &ck, &cklen), -2);
    CHECK_EQ(SYNA_model_save(g_path, "", m, 10, NULL, &ver, &ck, &cklen), -7);
    /* load: data and the ModelVersion JSON */
    CHECK_EQ(SYNA_model_load(g_path, "m", 1, &data, &dlen, &meta, &mlen), 1);
    CHECK(dlen == 30000 && data && !memcmp(data, m, 30000));
    CHECK_EQ(mlen, meta ? strlen(meta) : 0);
    CHECK_EQ(synadb__jparse(meta, mlen, &d), 0);
    o = d.root;
    CHECK(o && o->type == SYNADB__JOBJ && o->nkid == 7);
    if (o && o->nkid == 7) {
        static const char *order[] = {"name", "version", "created_at", "checksum", "size_bytes", "metadata", "stage"};
        int i;
        for (i = 0; i < 7; i++) CHECK(!strcmp(o->kid[i].key, order[i]));
        CHECK(!strcmp(synadb__jget(o, "name")->s, "m"));
        CHECK_EQ(synadb__jget(o, "version")->i, 1);
        CHECK_EQ(synadb__jget(o, "size_bytes")->i, 30000);
        CHECK(synadb__jget(o, "created_at")->is_int && synadb__jget(o, "created_at")->i > 1600000000);
        CHECK_EQ(synadb__jget(o, "checksum")->n, 64);
        CHECK(!strcmp(synadb__jget(o, "stage")->s, "Development"));
        CHECK(!strcmp(synadb__jget(synadb__jget(o, "metadata"), "framework")->s, "torch"));
        CHECK(!strcmp(synadb__jget(synadb__jget(o, "metadata"), "note")->s, "a \"q\"\n"));
    }
    synadb__jdoc_free(&d);
    SYNA_free_bytes(data, dlen);
    SYNA_free_text(meta, mlen);
    CHECK_EQ(SYNA_model_load(g_path, "m", 0, &data, &dlen, NULL, NULL), 1);   /* latest, no meta */
    CHECK_EQ(dlen, 100);
    SYNA_free_bytes(data, dlen);
    CHECK_EQ(SYNA_model_load(g_path, "m", 9, &data, &dlen, &meta, &mlen), -5);
    CHECK(data == NULL && meta == NULL);
    CHECK_EQ(SYNA_model_load(g_path, "zz", 0, &data, &dlen, &meta, &mlen), -5);
    CHECK_EQ(SYNA_model_load(g_path, "m", 1, NULL, &dlen, &meta, &mlen), -2);
    CHECK_EQ(SYNA_model_load(g_path, "m", 1, &data, &dlen, &meta, NULL), -2);
    CHECK_EQ(SYNA_model_load("/nonexistent/dir/x.db", "m", 1, &data, &dlen, &meta, &mlen), -1);
    /* list: the count, and a JSON array of ModelVersion */
    CHECK_EQ(SYNA_model_list(g_path, "m", &json, &jlen), 2);
    CHECK_EQ(synadb__jparse(json, jlen, &d), 0);
    CHECK(d.root && d.root->type == SYNADB__JARR && d.root->nkid == 2);
    if (d.root && d.root->nkid == 2) {
        CHECK_EQ(synadb__jget(&d.root->kid[0], "version")->i, 1);
        CHECK_EQ(synadb__jget(&d.root->kid[1], "version")->i, 2);
        CHECK_EQ(synadb__jget(&d.root->kid[1], "metadata")->nkid, 0);
    }
    synadb__jdoc_free(&d);
    SYNA_free_json(json);
    CHECK_EQ(SYNA_model_list(g_path, "none", &json, &jlen), 0);
    CHECK(json && !strcmp(json, "[]"));
    SYNA_free_json(json);
    CHECK_EQ(SYNA_model_list(g_path, "", &json, &jlen), -7);
    CHECK_EQ(SYNA_model_list(g_path, "m", NULL, &jlen), -2);
    /* stages (bad values are errors, not Development) */
    CHECK_EQ(SYNA_model_set_stage(g_path, "m", 1, 2), 1);
    CHECK_EQ(SYNA_model_set_stage(g_path, "m", 1, 7), -2);
    CHECK_EQ(SYNA_model_set_stage(g_path, "m", 5, 1), -5);
    CHECK_EQ(SYNA_model_get_production(g_path, "m", &meta, &mlen), 1);
    CHECK_EQ(synadb__jparse(meta, mlen, &d), 0);
    CHECK(!strcmp(synadb__jget(d.root, "stage")->s, "Production"));
    CHECK_EQ(synadb__jget(d.root, "version")->i, 1);
    synadb__jdoc_free(&d);
    SYNA_free_text(meta, mlen);
    CHECK_EQ(SYNA_model_set_stage(g_path, "m", 1, 3), 1);
    CHECK_EQ(SYNA_model_get_production(g_path, "m", &meta, &mlen), -5);
    /* aliases */
    CHECK_EQ(SYNA_model_set_alias(g_path, "m", "champion", 2), 1);
    CHECK_EQ(SYNA_model_get_alias(g_path, "m", "champion", &ver), 1);
    CHECK_EQ(ver, 2);
    CHECK_EQ(SYNA_model_set_alias(g_path, "m", "champion", 0), 1);
    CHECK_EQ(SYNA_model_get_alias(g_path, "m", "champion", &ver), -5);
    CHECK_EQ(SYNA_model_set_alias(g_path, "m", "latest", 1), -2);
    /* checksum mismatch: -10 (the original returned 0) */
    {
        long at;
        at = find_in_file(g_path, m + 5000, 64);
        CHECK(at > 0);
        flip_byte(g_path, at);
        CHECK_EQ(SYNA_model_load(g_path, "m", 1, &data, &dlen, &meta, &mlen), -10);
        CHECK(data == NULL && meta == NULL);
        flip_byte(g_path, at);
    }
    /* delete */
    CHECK_EQ(SYNA_model_delete(g_path, "m", 2), 1);
    CHECK_EQ(SYNA_model_delete(g_path, "m", 2), -5);
    CHECK_EQ(SYNA_model_list(g_path, "m", &json, &jlen), 1);
    SYNA_free_json(json);
    CHECK_EQ(SYNA_model_delete_model(g_path, "m"), 1);
    CHECK_EQ(SYNA_model_list(g_path, "m", &json, &jlen), 0);
    SYNA_free_json(json);
    /* empty model: non-NULL data of length 0 */
    CHECK_EQ(SYNA_model_save(g_path, "e", NULL, 0, "{}", &ver, &ck, &cklen), 1);
    SYNA_free_text(ck, cklen);
    CHECK_EQ(SYNA_model_load(g_path, "e", 0, &data, &dlen, NULL, NULL), 1);
    CHECK(data != NULL && dlen == 0);
    SYNA_free_bytes(data, dlen);
    /* close; the data persists */
    CHECK_EQ(SYNA_model_registry_close(g_path), 1);
    CHECK_EQ(SYNA_model_registry_close(g_path), -1);
    CHECK_EQ(SYNA_model_list(g_path, "e", &json, &jlen), -1);
    CHECK_EQ(SYNA_model_errmsg(g_path, msg, sizeof msg), -1);
    CHECK_EQ(syna_model_registry_open(g_path), 1);
    CHECK_EQ(syna_model_list(g_path, "e", &json, &jlen), 1);
    syna_free_json(json);
    CHECK_EQ(SYNA_model_errmsg(g_path, NULL, 0), -2);
    CHECK_EQ(SYNA_model_registry_close(g_path), 1);
    free(m);
    remove(g_path);
}

/* ---------------------------------------------------------------- threads */
typedef struct { synadb_registry *reg; int id; int errors; uint32_t versions[20]; } tharg;
static void *th_main(void *p) {
    tharg *a = (tharg *)p;
    int i;
    char name[16];
    for (i = 0; i < 20; i++) {
        uint8_t *m = model_bytes(9000 + (size_t)i, (unsigned)(a->id * 100 + i));
        void *out = NULL;
        size_t len = 0;
        snprintf(name, sizeof name, "%s", i % 2 ? "shared" : (a->id % 2 ? "odd" : "even"));
        if (synadb_registry_save(a->reg, name, m, 9000 + (size_t)i, NULL, NULL, 0, &a->versions[i], NULL)) a->errors++;
        if (synadb_registry_load(a->reg, name, a->versions[i], &out, &len, NULL) || len != 9000 + (size_t)i || memcmp(out, m, len)) a->errors++;
        synadb_registry_free(out);
        if (i % 5 == 4 && synadb_registry_set_alias(a->reg, name, "best", a->versions[i])) a->errors++;
        if (i % 7 == 6 && synadb_registry_set_stage(a->reg, name, a->versions[i], SYNADB_STAGE_PRODUCTION)) a->errors++;
        free(m);
    }
    return NULL;
}
typedef struct { const char *path; int id, errors; } abiarg;
static void *th_abi(void *p) {
    abiarg *a = (abiarg *)p;
    int i;
    for (i = 0; i < 30; i++) {
        uint8_t *data = NULL, buf[64];
        char *ck = NULL, *meta = NULL;
        size_t cklen = 0, dlen = 0, mlen = 0;
        uint32_t ver = 0;
        int32_t rc;
        memset(buf, a->id * 30 + i, sizeof buf);
        if (a->id == 2) {   /* opens and closes a second registry path meanwhile */
            char other[600];
            snprintf(other, sizeof other, "%s.other", a->path);
            if (SYNA_model_registry_open(other) != 1) a->errors++;
            if (SYNA_model_save(other, "x", buf, sizeof buf, NULL, &ver, &ck, &cklen) != 1) a->errors++;
            SYNA_free_text(ck, cklen);
            if (SYNA_model_registry_close(other) != 1) a->errors++;
            continue;
        }
        if (SYNA_model_save(a->path, "abi", buf, sizeof buf, "{\"t\":\"1\"}", &ver, &ck, &cklen) != 1) { a->errors++; continue; }
        SYNA_free_text(ck, cklen);
        rc = SYNA_model_load(a->path, "abi", ver, &data, &dlen, &meta, &mlen);
        if (rc != 1 || dlen != sizeof buf || memcmp(data, buf, dlen)) a->errors++;
        SYNA_free_bytes(data, dlen);
        SYNA_free_text(meta, mlen);
    }
    return NULL;
}
static void test_threads(void) {
    synadb_registry *reg;
    pthread_t th[4];
    tharg args[4];
    int i, j, k;
    size_t n = 0;
    synadb_model_version *vs = NULL;
    test_path(g_path, sizeof g_path, "reg-threads.db");
    reg = open_reg(g_path, 4096, 1);
    for (i = 0; i < 4; i++) { memset(&args[i], 0, sizeof args[i]); args[i].reg = reg; args[i].id = i; pthread_create(&th[i], NULL, th_main, &args[i]); }
    for (i = 0; i < 4; i++) pthread_join(th[i], NULL);
    for (i = 0; i < 4; i++) CHECK_EQ(args[i].errors, 0);
    /* the 40 saves of "shared" got 40 distinct versions 1..40 */
    {
        int seen[41];
        memset(seen, 0, sizeof seen);
        for (i = 0; i < 4; i++) for (j = 1; j < 20; j += 2) if (args[i].versions[j] >= 1 && args[i].versions[j] <= 40) seen[args[i].versions[j]]++;
        for (k = 1; k <= 40; k++) CHECK_EQ(seen[k], 1);
    }
    CHECK_OK(synadb_registry_list_versions(reg, "shared", &vs, &n));
    CHECK_EQ(n, 40);
    {
        int prod = 0;
        for (i = 0; i < (int)n; i++) prod += vs[i].stage == SYNADB_STAGE_PRODUCTION;
        CHECK(prod <= 1);   /* archive_on_promote: one Production at a time */
    }
    synadb_registry_versions_free(vs, n);
    CHECK_OK(synadb_registry_close(reg));
    remove(g_path);
    {   /* the exports from three threads: two on one path, one opening and closing another */
        abiarg aa[3];
        char other[600];
        CHECK_EQ(SYNA_model_registry_open(g_path), 1);
        for (i = 0; i < 3; i++) { aa[i].path = g_path; aa[i].id = i; aa[i].errors = 0; pthread_create(&th[i], NULL, th_abi, &aa[i]); }
        for (i = 0; i < 3; i++) pthread_join(th[i], NULL);
        for (i = 0; i < 3; i++) CHECK_EQ(aa[i].errors, 0);
        {
            char *json = NULL;
            size_t jl = 0;
            CHECK_EQ(SYNA_model_list(g_path, "abi", &json, &jl), 60);
            SYNA_free_json(json);
        }
        CHECK_EQ(SYNA_model_registry_close(g_path), 1);
        snprintf(other, sizeof other, "%s.other", g_path);
        remove(other);
        remove(g_path);
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "threads")) {
        RUN(test_threads);
        return test_report();
    }
    RUN(test_sha_vectors);
    RUN(test_sha_openssl);
    RUN(test_basic);
    RUN(test_chunks_and_stream);
    RUN(test_exact_names);
    RUN(test_stages);
    RUN(test_aliases_and_delete);
    RUN(test_model_random);
    RUN(test_corruption);
    RUN(test_uncommitted_save);
    RUN(test_bad_input);
    RUN(test_abi);
    RUN(test_threads);
    if (argc > 1 && !strcmp(argv[1], "quick")) return test_report();
#if defined(__linux__)
    RUN(test_large_streamed);
#endif
    RUN(test_crash_kill);
    return test_report();
}
