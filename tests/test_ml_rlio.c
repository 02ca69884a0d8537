/* test_ml_rlio.c - synadb_ml.h: import/export (>>ml.io) and the ExperienceCollector (>>ml.rl).
 *  io:
 *   - base64 against RFC 4648's vectors, random round trips, the strict decoder's refusals;
 *   - JSON, JSONL and CSV round trips of every value type with unusual content (4-byte
 *     emoji, combining marks, U+2028, NUL inside text and bytes, quotes, commas, CR/LF,
 *     NaN, infinities, -0.0, denormals, int64 extremes, empty text/bytes, 65535-dim
 *     vectors, keys with odd characters and keys that are not UTF-8), compared bit for bit
 *     with the source database (an in-memory model), with and without an import prefix;
 *   - an independent parser (python3's json and csv modules, when present) reads the three
 *     exports and agrees with the model;
 *   - exports stream (the callback never gets the whole text), honour a glob, skip deleted
 *     keys, stop on a failing callback; the file export replaces the target atomically;
 *   - malformed inputs (truncated at every length, bad base64, wrong types, bad CSV quoting,
 *     bad headers...) give SYNADB_ERR_SYNTAX with the right line/byte and write nothing;
 *   - the SYNA_export_* / SYNA_import_* exports.
 *  rl:
 *   - transitions, rewards tensor (bitwise, in order), iteration order and content, counts,
 *     sessions (ids, automatic ids, metadata, duplicates, ids that are prefixes of others),
 *     machine id generated once and reused on reopen, counts found again after reopen;
 *   - bad input (nothing written); JSONL export/import with de-duplication (a second import
 *     adds nothing), malformed JSONL (line numbers, nothing applied), hash check;
 *   - merge of 3 files with overlapping transitions (no duplicates, every machine's
 *     transitions and rewards kept, a second merge adds nothing);
 *   - the SYNA_exp_collector_* exports, a collector on a path opened by SYNA_open;
 *   - two threads logging into one session (argument "threads": that part only, for TSan);
 *   - kill -9 during a stream of logs: every acknowledged transition is there.
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_ml.h"
#include "testing.h"

#include <math.h>
#include <float.h>
#include <stdint.h>
#if !defined(SYNA_NO_THREADS) && !defined(SYNADB_NO_THREADS)
#include <pthread.h>
#endif
#if TEST_HAVE_PROCESSES
#include <sys/wait.h>
#include <signal.h>
#endif

/* ======================================================================== helpers */
static synadb_db *open_db(const char *path) {
    synadb_db *db = NULL;
    remove(path);
    if (synadb_open(path, NULL, &db)) return NULL;
    return db;
}
static uint64_t nkeys(synadb_db *db) {
    synadb_stats st;
    if (synadb_stats_get(db, &st)) return (uint64_t)-1;
    return st.keys;
}
/* Two values identical bit for bit (NaN == NaN of any payload). */
static int same_value(const synadb_value *a, const synadb_value *b) {
    if (a->type != b->type) return 0;
    switch (a->type) {
    case SYNADB_TYPE_NULL: return 1;
    case SYNADB_TYPE_FLOAT:
        if (a->f != a->f) return b->f != b->f;
        return memcmp(&a->f, &b->f, 8) == 0;
    case SYNADB_TYPE_INT: return a->i == b->i;
    case SYNADB_TYPE_TEXT: case SYNADB_TYPE_BYTES:
        return a->len == b->len && (!a->len || memcmp(a->data, b->data, a->len) == 0);
    default: {
        uint32_t i;
        const float *x = (const float *)a->data, *y = (const float *)b->data;
        if (a->dims != b->dims) return 0;
        for (i = 0; i < a->dims; i++) {
            if (x[i] != x[i]) { if (y[i] == y[i]) return 0; }
            else if (memcmp(&x[i], &y[i], 4)) return 0;
        }
        return 1;
    }
    }
}
/* Every live key of a (under pattern) is in b under prefix + key with the same value; and
   b has no other keys under prefix. Returns the number of keys compared, -1 on a mismatch. */
static long compare_dbs(synadb_db *a, synadb_db *b, const char *prefix) {
    synadb_keylist ka, kb;
    size_t i, pl = strlen(prefix);
    long n = 0;
    char *k = (char *)malloc(70000);
    if (synadb_keys(a, NULL, 0, &ka)) { free(k); return -1; }
    if (synadb_keys(b, NULL, 0, &kb)) { synadb_keylist_free(a, &ka); free(k); return -1; }
    for (i = 0; i < ka.count; i++) {
        synadb_value va, vb;
        memcpy(k, prefix, pl);
        memcpy(k + pl, ka.keys[i], ka.lens[i]);
        if (synadb_get(a, ka.keys[i], ka.lens[i], &va)) { n = -1; break; }
        if (synadb_get(b, k, pl + ka.lens[i], &vb)) { fprintf(stderr, "missing key #%zu (%.*s)\n", i, (int)ka.lens[i], ka.keys[i]); synadb_value_free(a, &va); n = -1; break; }
        if (!same_value(&va, &vb)) { fprintf(stderr, "value differs for key #%zu (%.*s)\n", i, (int)ka.lens[i], ka.keys[i]); n = -1; }
        synadb_value_free(a, &va); synadb_value_free(b, &vb);
        if (n < 0) break;
        n++;
    }
    if (n >= 0) {
        size_t under = 0;
        for (i = 0; i < kb.count; i++) if (kb.lens[i] >= pl && !memcmp(kb.keys[i], prefix, pl)) under++;
        if (under != ka.count) { fprintf(stderr, "b has %zu keys under the prefix, a has %zu\n", under, ka.count); n = -1; }
    }
    synadb_keylist_free(a, &ka); synadb_keylist_free(b, &kb);
    free(k);
    return n;
}

/* The tricky data set. */
static const char *const texts[] = {
    "", "plain", "emoji \xF0\x9F\x98\x80 four bytes \xF0\x9F\x8E\x89", "e\xCC\x81 combining acute, a\xCC\x8A ring",
    "line sep \xE2\x80\xA8 para sep \xE2\x80\xA9 end", "quote \" inside \"\" twice", "comma, and, more,", "new\nline\r\nand CR\r only",
    "tab\there", "back\\slash \\n not a newline", "ctrl \x01\x02\x1f\x7f", "NaN", "Infinity", "-Infinity", "null", "  spaces around  ",
    "\"starts and ends with quotes\"", "key,type,value", "caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 \xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A",
    "=?base64?=", "[1,2]", "{\"a\":1}", ";;;", ("\xEF\xBB\xBF" "BOM first"),
};
static const char *const odd_keys[] = {
    "key with space", "k,comma", "k\"quote", "k\nnewline", "k\r\ncrlf", "\xD0\xBA\xD0\xBB\xD1\x8E\xD1\x87", "\xF0\x9F\x98\x80",
    "a*b?[c]\\d", "/leading/slash", "trailing/", "key=base64", "\t", ",", "\"", "NaN",
};
static void fill_db(synadb_db *db) {
    char key[64];
    size_t i;
    unsigned char allbytes[256], nulbytes[9] = {0, 1, 0, 0, 'a', 0, 0xff, 0, 0};
    static const double floats[] = {0.0, -0.0, 1.5, 0.1, 1.0 / 3.0, 3.141592653589793, 5e-324, 2.2250738585072014e-308,
                                    DBL_MAX, -DBL_MAX, 1e300, -1e-300, 123456789012345678.0, 9007199254740993.0, 1.0, -7.0};
    static const int64_t ints[] = {0, 1, -1, INT64_MAX, INT64_MIN, INT64_MIN + 1, 9007199254740993LL, -9007199254740993LL, 1000000};
    float v1[7] = {0.0f, -0.0f, 1.5f, 0.1f, FLT_MAX, -FLT_MIN, 1e-45f};
    float *big;
    for (i = 0; i < 256; i++) allbytes[i] = (unsigned char)i;
    for (i = 0; i < sizeof floats / sizeof *floats; i++) { sprintf(key, "f/%02u", (unsigned)i); synadb_put_float(db, key, SYNADB_NTS, floats[i]); }
    synadb_put_float(db, "f/nan", SYNADB_NTS, (double)NAN);
    synadb_put_float(db, "f/inf", SYNADB_NTS, (double)INFINITY);
    synadb_put_float(db, "f/-inf", SYNADB_NTS, -(double)INFINITY);
    for (i = 0; i < sizeof ints / sizeof *ints; i++) { sprintf(key, "i/%02u", (unsigned)i); synadb_put_int(db, key, SYNADB_NTS, ints[i]); }
    for (i = 0; i < sizeof texts / sizeof *texts; i++) { sprintf(key, "t/%02u", (unsigned)i); synadb_put_text(db, key, SYNADB_NTS, texts[i], strlen(texts[i])); }
    synadb_put_text(db, "t/nul", SYNADB_NTS, "a\0b\0", 4);
    synadb_put_bytes(db, "b/empty", SYNADB_NTS, "", 0);
    synadb_put_bytes(db, "b/all", SYNADB_NTS, allbytes, 256);
    synadb_put_bytes(db, "b/nul", SYNADB_NTS, nulbytes, sizeof nulbytes);
    for (i = 1; i <= 5; i++) { sprintf(key, "b/len%u", (unsigned)i); synadb_put_bytes(db, key, SYNADB_NTS, "abcde", i); }
    synadb_put_null(db, "n/null", SYNADB_NTS);
    synadb_put_vector(db, "v/one", SYNADB_NTS, v1, 1);
    synadb_put_vector(db, "v/odd", SYNADB_NTS, v1, 7);
    {
        float sp[4];
        sp[0] = NAN; sp[1] = INFINITY; sp[2] = -INFINITY; sp[3] = -0.0f;
        synadb_put_vector(db, "v/special", SYNADB_NTS, sp, 4);
    }
    big = (float *)malloc(65535 * sizeof *big);
    for (i = 0; i < 65535; i++) big[i] = test_frand() * (float)(i + 1);
    synadb_put_vector(db, "v/max", SYNADB_NTS, big, 65535);
    free(big);
    for (i = 0; i < sizeof odd_keys / sizeof *odd_keys; i++) synadb_put_int(db, odd_keys[i], SYNADB_NTS, (int64_t)i);
    synadb_put_text(db, "nul\0inside", 10, "key with a NUL", SYNADB_NTS);
    /* overwritten and deleted keys: the latest value only, the deleted one not at all */
    synadb_put_int(db, "x/over", SYNADB_NTS, 1);
    synadb_put_text(db, "x/over", SYNADB_NTS, "second", SYNADB_NTS);
    synadb_put_int(db, "x/gone", SYNADB_NTS, 1);
    synadb_delete(db, "x/gone", SYNADB_NTS);
}

static void mk_tr(synadb_rl_transition *t, float *st, float *nx, int i);

/* ======================================================================== base64 */
static void test_base64(void) {
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    static const char *const bad[] = {"Zg=", "Zg", "Z===", "====", "Zm9v=", "Zh==", "Zm9=", "Zm 9v", "Zm9\n", "Zm=v", "Z=g=", "Zm9v\0", "-_8=", "Zm9vYg=A"};
    static const size_t badpos[] = {3, 2, 1, 0, 5, 1, 2, 2, 3, 2, 1, 4, 0, 6};
    char enc[64], dec[64];
    unsigned char buf[300], back[300];
    char big[420];
    size_t i, n, pos;
    for (i = 0; i < 7; i++) {
        synadb_io_base64_encode(in[i], strlen(in[i]), enc);
        CHECK(!strcmp(enc, out[i]));
        CHECK_EQ(synadb_io_base64_len(strlen(in[i])), strlen(out[i]));
        CHECK_EQ(synadb_io_base64_decode(out[i], strlen(out[i]), dec, &n, &pos), 0);
        CHECK_EQ(n, strlen(in[i]));
        CHECK(!memcmp(dec, in[i], n));
    }
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        size_t len = i == 11 ? 5 : strlen(bad[i]);
        int r = synadb_io_base64_decode(bad[i], len, dec, &n, &pos);
        CHECK_EQ(r, -1);
        if (r == -1 && pos != badpos[i]) fprintf(stderr, "base64 '%s': pos %zu, expected %zu\n", bad[i], pos, badpos[i]);
        CHECK_EQ(pos, badpos[i]);
    }
    for (i = 0; i < 300; i++) {
        size_t j;
        for (j = 0; j < i; j++) buf[j] = (unsigned char)test_rand();
        synadb_io_base64_encode(buf, i, big);
        CHECK_EQ(strlen(big), synadb_io_base64_len(i));
        CHECK_EQ(synadb_io_base64_decode(big, strlen(big), back, &n, NULL), 0);
        CHECK_EQ(n, i);
        CHECK(!i || !memcmp(buf, back, i));
    }
}

/* ======================================================================== io round trips */
typedef struct membuf { char *p; size_t n, cap; size_t calls, max_chunk; int fail_after; } membuf;
static int mem_write(void *user, const void *data, size_t len) {
    membuf *m = (membuf *)user;
    if (m->fail_after >= 0 && (int)m->calls >= m->fail_after) return 1;
    m->calls++;
    if (len > m->max_chunk) m->max_chunk = len;
    if (m->n + len + 1 > m->cap) {
        while (m->n + len + 1 > m->cap) m->cap = m->cap ? m->cap * 2 : 4096;
        m->p = (char *)realloc(m->p, m->cap);
    }
    memcpy(m->p + m->n, data, len);
    m->n += len;
    m->p[m->n] = 0;
    return 0;
}
static const char *fmt_name(synadb_io_format f) { return f == SYNADB_IO_JSON ? "json" : f == SYNADB_IO_JSONL ? "jsonl" : "csv"; }

static void test_io_roundtrip(void) {
    char pa[256], pb[256], pc[256], out[300];
    synadb_db *a, *b, *c;
    synadb_io_info info;
    int f;
    a = open_db(test_path(pa, sizeof pa, "io-a.db"));
    CHECK(a != NULL);
    if (!a) return;
    fill_db(a);
    for (f = 0; f < 3; f++) {
        synadb_io_format fmt = (synadb_io_format)f;
        long n;
        uint64_t live = nkeys(a);
        snprintf(out, sizeof out, "%s-out.%s", pa, fmt_name(fmt));
        CHECK_OK(synadb_io_export_file(a, fmt, NULL, out, &info));
        CHECK_EQ(info.records, live);
        /* into an empty database: identical */
        b = open_db(test_path(pb, sizeof pb, "io-b.db"));
        CHECK_OK(synadb_io_import_file(b, fmt, out, NULL, &info));
        CHECK_EQ(info.records, live);
        CHECK_EQ(nkeys(b), live);
        n = compare_dbs(a, b, "");
        if (n != (long)live) fprintf(stderr, "format %s: compare gave %ld of %llu\n", fmt_name(fmt), n, (unsigned long long)live);
        CHECK_EQ(n, (long)live);
        /* with a prefix, beside the existing keys */
        CHECK_OK(synadb_io_import_file(b, fmt, out, "imported/", &info));
        if (info.line) fprintf(stderr, "%s: %s\n", fmt_name(fmt), synadb_errmsg(b));
        CHECK_EQ(nkeys(b), 2 * live);
        CHECK_EQ(compare_dbs(a, b, "imported/"), (long)live);
        synadb_close(b);
        /* exporting the import gives the same text (the export is deterministic) */
        c = open_db(test_path(pc, sizeof pc, "io-c.db"));
        CHECK_OK(synadb_io_import_file(c, fmt, out, NULL, NULL));
        {
            membuf m1, m2;
            memset(&m1, 0, sizeof m1); memset(&m2, 0, sizeof m2);
            m1.fail_after = m2.fail_after = -1;
            CHECK_OK(synadb_io_export(a, fmt, NULL, mem_write, &m1, NULL));
            CHECK_OK(synadb_io_export(c, fmt, NULL, mem_write, &m2, NULL));
            CHECK(m1.n == m2.n && m1.n && !memcmp(m1.p, m2.p, m1.n));
            free(m1.p); free(m2.p);
        }
        synadb_close(c);
        remove(out); remove(pb); remove(pc);
    }
    synadb_close(a);
    remove(pa);
}

/* The exports read by python3's own json and csv modules: each record becomes a line
   "key-hex type value" (text/bytes as hex, floats as float.hex or nan/inf, vectors as
   float32 hex); the three formats must give the same lines, and the same as the model. */
static const char *py_script =
    "import json, csv, sys, base64, struct, math\n"
    "csv.field_size_limit(1 << 30)\n"
    "def fl(x):\n"
    "    if x in ('NaN', 'Infinity', '-Infinity'):\n"
    "        return {'NaN': float('nan'), 'Infinity': float('inf'), '-Infinity': float('-inf')}[x]\n"
    "    return float(x)\n"
    "def f32(x):\n"
    "    v = fl(x)\n"
    "    return 'nan' if math.isnan(v) else struct.pack('<f', v).hex()\n"
    "def f64(x):\n"
    "    v = fl(x)\n"
    "    return 'nan' if math.isnan(v) else struct.pack('<d', v).hex()\n"
    "def line(key, t, v):\n"
    "    if t == 'null': s = '-'\n"
    "    elif t == 'float': s = f64(v)\n"
    "    elif t == 'int': s = str(int(v))\n"
    "    elif t == 'text': s = v.encode('utf-8').hex()\n"
    "    elif t == 'bytes': s = base64.b64decode(v, validate=True).hex()\n"
    "    else: s = ','.join(f32(x) for x in v)\n"
    "    return key.hex() + ' ' + t + ' ' + s\n"
    "def jkey(r): return r['key'].encode('utf-8') if 'key' in r else base64.b64decode(r['key_base64'])\n"
    "base = sys.argv[1]\n"
    "out = []\n"
    "out.append(sorted(line(jkey(r), r['type'], r['value']) for r in json.load(open(base + '.json', encoding='utf-8'))))\n"
    "out.append(sorted(line(jkey(json.loads(l)), json.loads(l)['type'], json.loads(l)['value']) for l in open(base + '.jsonl', encoding='utf-8', newline='\\n').read().split('\\n') if l))\n"
    "rows = list(csv.reader(open(base + '.csv', encoding='utf-8', newline='')))\n"
    "hdr = rows[0]\n"
    "res = []\n"
    "for r in rows[1:]:\n"
    "    k = base64.b64decode(r[0]) if len(hdr) == 4 and r[3] == 'base64' else r[0].encode('utf-8')\n"
    "    v = r[2]\n"
    "    if r[1] == 'vector': v = v.split(';')\n"
    "    res.append(line(k, r[1], v))\n"
    "out.append(sorted(res))\n"
    "for a, b in zip(out[0], out[2]):\n"
    "    if a != b: sys.stderr.write('json: ' + a[:200] + '\\ncsv:  ' + b[:200] + '\\n')\n"
    "assert out[0] == out[1], 'json != jsonl'\n"
    "assert out[0] == out[2], 'json != csv'\n"
    "sys.stdout.write('\\n'.join(out[0]) + '\\n')\n";
static void model_line(FILE *f, const char *key, size_t klen, const synadb_value *v) {
    size_t i;
    for (i = 0; i < klen; i++) fprintf(f, "%02x", (unsigned char)key[i]);
    fprintf(f, " %s ", v->type == 0 ? "null" : v->type == 1 ? "float" : v->type == 2 ? "int" : v->type == 3 ? "text" : v->type == 4 ? "bytes" : "vector");
    if (v->type == SYNADB_TYPE_NULL) fprintf(f, "-");
    else if (v->type == SYNADB_TYPE_FLOAT) {
        if (v->f != v->f) fprintf(f, "nan");
        else { unsigned char b[8]; memcpy(b, &v->f, 8); for (i = 0; i < 8; i++) fprintf(f, "%02x", b[i]); }
    } else if (v->type == SYNADB_TYPE_INT) fprintf(f, "%lld", (long long)v->i);
    else if (v->type == SYNADB_TYPE_TEXT || v->type == SYNADB_TYPE_BYTES) for (i = 0; i < v->len; i++) fprintf(f, "%02x", ((const unsigned char *)v->data)[i]);
    else {
        const float *x = (const float *)v->data;
        for (i = 0; i < v->dims; i++) {
            if (i) fprintf(f, ",");
            if (x[i] != x[i]) fprintf(f, "nan");
            else { unsigned char b[4]; size_t j; memcpy(b, &x[i], 4); for (j = 0; j < 4; j++) fprintf(f, "%02x", b[j]); }
        }
    }
    fprintf(f, "\n");
}
static void test_io_python_oracle(void) {
    char pa[200], base[220], cmd[4000], script[220], model[220], got[220];
    synadb_db *a;
    synadb_keylist kl;
    FILE *f;
    size_t i;
    if (system("python3 -c 'import json, csv, base64, struct' >/dev/null 2>&1") != 0) {
        fprintf(stderr, "note: python3 not available, oracle test skipped\n");
        return;
    }
    a = open_db(test_path(pa, sizeof pa, "io-py.db"));
    CHECK(a != NULL);
    if (!a) return;
    fill_db(a);
    snprintf(base, sizeof base, "%s-exp", pa);
    snprintf(script, sizeof script, "%s.py", pa);
    snprintf(model, sizeof model, "%s.model", pa);
    snprintf(got, sizeof got, "%s.got", pa);
    snprintf(cmd, sizeof cmd, "%s.json", base); CHECK_OK(synadb_io_export_file(a, SYNADB_IO_JSON, NULL, cmd, NULL));
    snprintf(cmd, sizeof cmd, "%s.jsonl", base); CHECK_OK(synadb_io_export_file(a, SYNADB_IO_JSONL, NULL, cmd, NULL));
    snprintf(cmd, sizeof cmd, "%s.csv", base); CHECK_OK(synadb_io_export_file(a, SYNADB_IO_CSV, NULL, cmd, NULL));
    f = fopen(script, "w"); fputs(py_script, f); fclose(f);
    f = fopen(model, "w");
    CHECK_OK(synadb_keys(a, NULL, 0, &kl));
    for (i = 0; i < kl.count; i++) {
        synadb_value v;
        if (synadb_get(a, kl.keys[i], kl.lens[i], &v)) continue;
        model_line(f, kl.keys[i], kl.lens[i], &v);
        synadb_value_free(a, &v);
    }
    synadb_keylist_free(a, &kl);
    fclose(f);
    snprintf(cmd, sizeof cmd, "python3 %s %s > %s && LC_ALL=C sort %s > %s.s && LC_ALL=C sort %s > %s.s && cmp %s.s %s.s", script, base, got,
             model, model, got, got, model, got);
    CHECK_EQ(system(cmd), 0);
    synadb_close(a);
    snprintf(cmd, sizeof cmd, "rm -f %s %s.json %s.jsonl %s.csv %s %s %s %s.s %s.s", pa, base, base, base, script, model, got, model, got);
    CHECK_EQ(system(cmd), 0);
}

static void test_io_pattern_stream(void) {
    char pa[256], out[300];
    synadb_db *a;
    membuf m;
    synadb_io_info info;
    int i;
    a = open_db(test_path(pa, sizeof pa, "io-stream.db"));
    CHECK(a != NULL);
    if (!a) return;
    for (i = 0; i < 20000; i++) {
        char k[32];
        sprintf(k, "%s/%06d", i % 2 ? "odd" : "even", i);
        synadb_put_text(a, k, SYNADB_NTS, "some text to make the export larger than its buffer", SYNADB_NTS);
    }
    /* a glob */
    memset(&m, 0, sizeof m); m.fail_after = -1;
    CHECK_OK(synadb_io_export(a, SYNADB_IO_JSONL, "odd/*", mem_write, &m, &info));
    CHECK_EQ(info.records, 10000);
    CHECK(m.p && strstr(m.p, "\"odd/000001\"") && !strstr(m.p, "even/"));
    /* streaming: many writes, none anywhere near the whole text */
    CHECK(m.calls > 10);
    CHECK(m.max_chunk < 200000);
    CHECK(m.n > 5 * m.max_chunk);
    free(m.p);
    /* a failing callback stops the export with IO */
    memset(&m, 0, sizeof m); m.fail_after = 2;
    CHECK_EQ(synadb_io_export(a, SYNADB_IO_CSV, NULL, mem_write, &m, &info), SYNADB_ERR_IO);
    CHECK_EQ(info.records, 0);
    free(m.p);
    /* no match: an empty array / just the header / nothing */
    memset(&m, 0, sizeof m); m.fail_after = -1;
    CHECK_OK(synadb_io_export(a, SYNADB_IO_JSON, "none/*", mem_write, &m, &info));
    CHECK(m.p && !strcmp(m.p, "[]\n"));
    free(m.p);
    memset(&m, 0, sizeof m); m.fail_after = -1;
    CHECK_OK(synadb_io_export(a, SYNADB_IO_CSV, "none/*", mem_write, &m, &info));
    CHECK(m.p && !strcmp(m.p, "key,type,value\r\n"));
    free(m.p);
    memset(&m, 0, sizeof m); m.fail_after = -1;
    CHECK_OK(synadb_io_export(a, SYNADB_IO_JSONL, "none/*", mem_write, &m, &info));
    CHECK(m.n == 0);
    free(m.p);
    /* the file export replaces an existing file; a failed one leaves it and no temporary */
    snprintf(out, sizeof out, "%s.json", pa);
    test_spit(out, (const unsigned char *)"old", 3);
    CHECK_OK(synadb_io_export_file(a, SYNADB_IO_JSON, "even/00000*", out, &info));
    CHECK_EQ(info.records, 5);
    {
        size_t n;
        unsigned char *t = test_slurp(out, &n);
        CHECK(t && n > 10 && t[0] == '[');
        free(t);
    }
    CHECK_EQ(synadb_io_export_file(a, SYNADB_IO_JSON, NULL, "/nonexistent-dir/x.json", &info), SYNADB_ERR_NOT_FOUND);
    CHECK(strstr(synadb_errmsg(a), "/nonexistent-dir/x.json") != NULL);
    CHECK(system("ls /tmp/*.tmp-* 2>/dev/null | grep -q synadb-test-") != 0);
    /* bad arguments */
    CHECK_EQ(synadb_io_export(NULL, SYNADB_IO_JSON, NULL, mem_write, &m, &info), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_io_export(a, SYNADB_IO_JSON, NULL, NULL, &m, &info), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_io_export(a, (synadb_io_format)7, NULL, mem_write, &m, &info), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_io_export_file(a, SYNADB_IO_JSON, NULL, NULL, &info), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_io_import(a, (synadb_io_format)7, "[]", 2, NULL, &info), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_io_import(a, SYNADB_IO_JSON, NULL, 5, NULL, &info), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_io_import_file(a, SYNADB_IO_JSON, "/nonexistent-dir/x.json", NULL, &info), SYNADB_ERR_NOT_FOUND);
    synadb_close(a);
    remove(pa); remove(out);
}

/* Imports text that must fail with SYNTAX at line/byte and change nothing. */
static void bad_import(synadb_db *db, synadb_io_format fmt, const char *text, size_t len, uint64_t line, uint64_t byte, const char *msg_part) {
    synadb_io_info info;
    uint64_t before = nkeys(db);
    synadb_result r = synadb_io_import(db, fmt, text, len, "p/", &info);
    CHECK_EQ(r, SYNADB_ERR_SYNTAX);
    CHECK_EQ(nkeys(db), before);
    if (line) CHECK_EQ(info.line, line);
    if (byte != (uint64_t)-1) CHECK_EQ(info.byte, byte);
    if (msg_part) CHECK(strstr(synadb_errmsg(db), msg_part) != NULL);
    if (r != SYNADB_ERR_SYNTAX || (line && info.line != line) || (byte != (uint64_t)-1 && info.byte != byte) ||
        (msg_part && !strstr(synadb_errmsg(db), msg_part)))
        fprintf(stderr, "  input [%.*s]: %d, line %llu byte %llu: %s\n", (int)(len > 80 ? 80 : len), text, r,
                (unsigned long long)info.line, (unsigned long long)info.byte, synadb_errmsg(db));
}
#define BAD(fmt, s, line, byte, part) bad_import(db, fmt, s, strlen(s), line, byte, part)
static void test_io_malformed(void) {
    char pa[256];
    synadb_db *db, *src;
    membuf m;
    size_t cut;
    int f;
    const uint64_t any = (uint64_t)-1;
    db = open_db(test_path(pa, sizeof pa, "io-bad.db"));
    CHECK(db != NULL);
    if (!db) return;
    synadb_put_int(db, "existing", SYNADB_NTS, 1);
    /* JSON */
    BAD(SYNADB_IO_JSON, "", 1, 0, "expected '['");
    BAD(SYNADB_IO_JSON, "{\"key\":\"a\",\"type\":\"int\",\"value\":1}", 1, 0, "array");
    BAD(SYNADB_IO_JSON, "[\n{\"key\":\"a\",\"type\":\"int\",\"value\":1},\n{\"key\":\"b\",\"type\":\"int\",\"value\":1.5}\n]", 3, 38, "integer");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"int\",\"value\":1},]", 1, 36, "invalid value");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"int\",\"value\":1}] x", 1, 37, "after the array");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"int\",\"value\":1}", 1, 35, "missing ']'");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\n\"type\":\"int\" \"value\":1}]", 2, 26, "expected ','");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"int\",\"value\":9223372036854775808}]", 1, 1, "int64");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"int\",\"value\":\"5\"}]", 1, 1, "integer");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"float\",\"value\":\"nan\"}]", 1, 1, "float");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"float\",\"value\":null}]", 1, 1, "float");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"text\",\"value\":5}]", 1, 1, "string");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"bytes\",\"value\":\"Zg=\"}]", 1, 1, "base64");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"bytes\",\"value\":\"Zh==\"}]", 1, 1, "base64");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"vector\",\"value\":[]}]", 1, 1, "1..65535");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"vector\",\"value\":[1,\"x\"]}]", 1, 1, "float32");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"vector\",\"value\":[1e39]}]", 1, 1, "float32");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"null\",\"value\":0}]", 1, 1, "null");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"blob\",\"value\":0}]", 1, 1, "\"type\"");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"int\"}]", 1, 1, "\"value\"");
    BAD(SYNADB_IO_JSON, "[{\"type\":\"int\",\"value\":1}]", 1, 1, "\"key\"");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"key_base64\":\"YQ==\",\"type\":\"int\",\"value\":1}]", 1, 1, "one of them");
    BAD(SYNADB_IO_JSON, "[{\"key_base64\":\"Y\",\"type\":\"int\",\"value\":1}]", 1, 1, "base64");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"\",\"type\":\"int\",\"value\":1}]", 1, 1, "empty key");
    BAD(SYNADB_IO_JSON, "[{\"key\":5,\"type\":\"int\",\"value\":1}]", 1, 1, "string");
    BAD(SYNADB_IO_JSON, "[[1]]", 1, 1, "object");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"text\",\"value\":\"\xff\"}]", 1, any, "UTF-8");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"text\",\"value\":\"\\ud800\"}]", 1, any, "surrogate");
    BAD(SYNADB_IO_JSON, "[{\"key\":\"a\",\"type\":\"text\",\"value\":\"x\ny\"}]", 1, any, "control character");
    /* a prefix that makes a key too long: refused before anything is written */
    {
        char *big = (char *)malloc(70000), *doc = (char *)malloc(70100);
        synadb_io_info info;
        memset(big, 'k', 65530); big[65530] = 0;
        sprintf(doc, "[{\"key\":\"ok\",\"type\":\"int\",\"value\":1},{\"key\":\"%s\",\"type\":\"int\",\"value\":1}]", big);
        CHECK_EQ(synadb_io_import(db, SYNADB_IO_JSON, doc, strlen(doc), "prefix/", &info), SYNADB_ERR_SYNTAX);
        CHECK(strstr(synadb_errmsg(db), "65535") != NULL);
        CHECK_EQ(info.byte, 37);
        CHECK_EQ(nkeys(db), 1);
        CHECK_OK(synadb_io_import(db, SYNADB_IO_JSON, "[]", 2, big, &info));   /* a 65530-byte prefix: fine */
        memset(big, 'k', 65536); big[65536] = 0;
        CHECK_EQ(synadb_io_import(db, SYNADB_IO_JSON, "[]", 2, big, &info), SYNADB_ERR_KEY_TOO_LONG);
        free(big); free(doc);
    }
    /* JSONL */
    BAD(SYNADB_IO_JSONL, "{\"key\":\"a\",\"type\":\"int\",\"value\":1}\n\n{\"key\":\"b\",\"type\":\"int\",\"value\":2}\n{\"key\":\"c\",\"type\":\"int\",\"value\":}\n",
        4, 103, "invalid value");
    BAD(SYNADB_IO_JSONL, "{\"key\":\"a\",\"type\":\"int\",\"value\":1} {}\n", 1, 35, "after the value");
    BAD(SYNADB_IO_JSONL, "{\"key\":\"a\",\"type\":\"int\",\"value\":1}\r\n{\"key\":\"a\",\"type\":\"int\",\"value\":1.0}\r\n", 2, 36, "integer");
    BAD(SYNADB_IO_JSONL, "{\"key\":\"a\",\"type\":\"int\",\"value\"\n:1}\n", 1, 31, "expected ':'");
    BAD(SYNADB_IO_JSONL, "[1]\n", 1, 0, "object");
    /* CSV */
    BAD(SYNADB_IO_CSV, "", 1, 0, "header");
    BAD(SYNADB_IO_CSV, "key,type\r\n", 1, 0, "header");
    BAD(SYNADB_IO_CSV, "key,type,value,extra\r\n", 1, 0, "header");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,int,1\r\nb,int\r\n", 3, 25, "3 fields");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,int,1,2\r\n", 2, 16, "3 fields");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,text,\"unterminated\r\n", 2, 23, "unterminated");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,text,\"closed\"x\r\n", 2, 31, "closing quote");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,text,in\"side\r\n", 2, 25, "quote inside");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,text,cr\ronly\r\n", 2, 25, "CR");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,int,12a\r\n", 2, 22, "int64");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,int,9223372036854775808\r\n", 2, 22, "int64");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,int,01\r\n", 2, 22, "int64");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,int,\r\n", 2, 22, "int64");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,float,nan\r\n", 2, 24, "float");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,float,1.5.2\r\n", 2, 24, "float");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,null,x\r\n", 2, 23, "empty");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,bytes,Zm9v=\r\n", 2, 24, "base64");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,vector,\r\n", 2, 25, "1..65535");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,vector,1;;2\r\n", 2, 25, "float32");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,vector,1;1e39\r\n", 2, 25, "float32");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,blob,1\r\n", 2, 18, "type");
    BAD(SYNADB_IO_CSV, "key,type,value\r\n,int,1\r\n", 2, 16, "empty key");
    BAD(SYNADB_IO_CSV, "key,type,value\r\na,text,\xff\r\n", 2, 23, "UTF-8");
    BAD(SYNADB_IO_CSV, "key,type,value,key_encoding\r\nYQ==,int,1,hex\r\n", 2, 40, "key_encoding");
    BAD(SYNADB_IO_CSV, "key,type,value,key_encoding\r\nYQ=,int,1,base64\r\n", 2, 29, "base64");
    /* every truncation of a valid export fails cleanly (or, at a record boundary of a
       line format, imports a prefix of the records) and applies nothing when it fails */
    src = open_db(test_path(pa, sizeof pa, "io-bad-src.db"));
    synadb_put_text(src, "a", SYNADB_NTS, "x,\"y\"\nz", SYNADB_NTS);
    synadb_put_float(src, "b", SYNADB_NTS, (double)NAN);
    synadb_put_bytes(src, "c", SYNADB_NTS, "\0\1\2\3", 4);
    {
        float v[3] = {1, 2, 3};
        synadb_put_vector(src, "d", SYNADB_NTS, v, 3);
    }
    for (f = 0; f < 3; f++) {
        int ok = 1;
        memset(&m, 0, sizeof m); m.fail_after = -1;
        CHECK_OK(synadb_io_export(src, (synadb_io_format)f, NULL, mem_write, &m, NULL));
        for (cut = 0; cut < m.n; cut++) {
            uint64_t before = nkeys(db);
            synadb_io_info info;
            synadb_result r = synadb_io_import(db, (synadb_io_format)f, m.p, cut, "t/", &info);
            if (r == SYNADB_OK) {
                /* only where what is left is complete: the JSON array with just its final
                   newline cut, JSONL cut at the end of a line, CSV after a line break */
                size_t q = cut;
                if (f == SYNADB_IO_JSON) { while (q < m.n && (m.p[q] == '\n' || m.p[q] == ' ')) q++; if (q != m.n) ok = 0; }
                else if (f == SYNADB_IO_JSONL) { if (cut && m.p[cut - 1] != '\n' && m.p[cut] != '\n') ok = 0; }
                else if (cut && m.p[cut - 1] != '\n') ok = 0;
            } else if (r != SYNADB_ERR_SYNTAX || nkeys(db) != before || info.byte > cut) ok = 0;
            if (!ok) { fprintf(stderr, "format %d cut %zu: %d %s\n", f, cut, r, synadb_errmsg(db)); break; }
        }
        CHECK(ok);
        free(m.p);
    }
    synadb_close(src);
    remove(pa);
    synadb_close(db);
    test_path(pa, sizeof pa, "io-bad.db");
    remove(pa);
}

/* Random damage to valid exports: every import either succeeds whole or fails with SYNTAX
   and writes nothing (checked under ASan for memory errors); the same for collector JSONL. */
static void test_io_mutations(void) {
    char pa[256], pb[256];
    synadb_db *src, *db;
    membuf m;
    int f, it;
    src = open_db(test_path(pa, sizeof pa, "io-mut-src.db"));
    db = open_db(test_path(pb, sizeof pb, "io-mut.db"));
    CHECK(src && db);
    if (!src || !db) return;
    synadb_put_text(src, "t", SYNADB_NTS, "a,\"b\"\nc \xF0\x9F\x98\x80", SYNADB_NTS);
    synadb_put_float(src, "f", SYNADB_NTS, -0.0);
    synadb_put_float(src, "g", SYNADB_NTS, (double)INFINITY);
    synadb_put_int(src, "i", SYNADB_NTS, INT64_MIN);
    synadb_put_bytes(src, "b", SYNADB_NTS, "\0\1\2\3\4", 5);
    synadb_put_null(src, "n", SYNADB_NTS);
    {
        float v[3] = {1.25f, -2, 1e-40f};
        synadb_put_vector(src, "v", SYNADB_NTS, v, 3);
    }
    synadb_put_int(src, "\xff\xfe", SYNADB_NTS, 1);
    test_seed(77);
    for (f = 0; f < 3; f++) {
        int ok = 1, applied = 0;
        memset(&m, 0, sizeof m); m.fail_after = -1;
        CHECK_OK(synadb_io_export(src, (synadb_io_format)f, NULL, mem_write, &m, NULL));
        for (it = 0; it < 3000 && ok; it++) {
            char *t = (char *)malloc(m.n + 8);
            size_t n = m.n, k, edits = 1 + test_rand() % 3;
            static const char pool[] = "\"\\,;:[]{}\r\n 0123456789eE+-.=aZ/\x80\xff\x00";
            uint64_t before = nkeys(db);
            synadb_io_info info;
            synadb_result r;
            memcpy(t, m.p, n);
            for (k = 0; k < edits; k++) {
                size_t at = (size_t)(test_rand() % n);
                int op = (int)(test_rand() % 3);
                char c = pool[test_rand() % (sizeof pool - 1)];
                if (op == 0) t[at] = c;
                else if (op == 1 && n > 1) { memmove(t + at, t + at + 1, n - at - 1); n--; }
                else { memmove(t + at + 1, t + at, n - at); t[at] = c; n++; }
            }
            r = synadb_io_import(db, (synadb_io_format)f, t, n, "m/", &info);
            if (r == SYNADB_OK) applied++;
            else if (r != SYNADB_ERR_SYNTAX || nkeys(db) != before || info.byte > n || !info.line) ok = 0;
            if (!ok) fprintf(stderr, "format %d mutation %d: %d %s\n", f, it, r, synadb_errmsg(db));
            free(t);
        }
        CHECK(ok);
        CHECK(applied < 3000);
        free(m.p);
    }
    synadb_close(src); synadb_close(db);
    remove(pa); remove(pb);
    /* collector JSONL */
    {
        synadb_rl *c, *d;
        synadb_rl_transition t;
        float st[4], nx[4];
        int i, ok = 1;
        uint64_t n0, n1, imp;
        memset(&m, 0, sizeof m); m.fail_after = -1;
        CHECK_OK(synadb_rl_open(pa, "m", &c));
        CHECK_OK(synadb_rl_open(pb, "m2", &d));
        if (!c || !d) return;
        for (i = 0; i < 5; i++) { mk_tr(&t, st, nx, i); if (i == 2) t.metadata_json = "{\"a\":[1,\"x\"]}"; CHECK_OK(synadb_rl_log(c, "s", &t, NULL)); }
        CHECK_OK(synadb_rl_export_jsonl_to(c, NULL, mem_write, &m, &n0));
        for (it = 0; it < 1500 && ok; it++) {
            char *tx = (char *)malloc(m.n + 8);
            size_t n = m.n, at = (size_t)(test_rand() % n);
            uint64_t line = 0;
            synadb_result r;
            memcpy(tx, m.p, n);
            tx[at] = "\"\\,:[]{}\n 019e-.xtf"[test_rand() % 19];
            CHECK_OK(synadb_rl_count(d, NULL, &n0));
            r = synadb_rl_import_jsonl_mem(d, tx, n, it % 2, &imp, &line);
            CHECK_OK(synadb_rl_count(d, NULL, &n1));
            if (r == SYNADB_OK) { if (n1 != n0 + imp) ok = 0; }
            else if (r != SYNADB_ERR_SYNTAX || n1 != n0 || !line) ok = 0;
            if (!ok) fprintf(stderr, "jsonl mutation %d: %d %s\n", it, r, synadb_rl_errmsg(d));
            free(tx);
        }
        CHECK(ok);
        free(m.p);
        synadb_rl_close(c); synadb_rl_close(d);
        remove(pa); remove(pb);
    }
}

static void test_io_abi(void) {
    char pa[256], pb[256], out[300];
    int64_t n;
    test_path(pa, sizeof pa, "io-abi-a.db");
    test_path(pb, sizeof pb, "io-abi-b.db");
    snprintf(out, sizeof out, "%s.jsonl", pa);
    CHECK_EQ(SYNA_open(pa), 1);
    CHECK_EQ(SYNA_open(pb), 1);
    syna_put_int(pa, "a/1", 1);
    syna_put_text(pa, "a/2", "two, \"2\"\n");
    syna_put_float(pa, "b/1", -0.0);
    CHECK_EQ(SYNA_export_json(pa, NULL, out), 3);
    CHECK_EQ(SYNA_import_json(pb, out, "x/"), 3);
    CHECK_EQ(SYNA_export_jsonl(pa, "a/*", out), 2);
    CHECK_EQ(SYNA_import_jsonl(pb, out, "y/"), 2);
    CHECK_EQ(SYNA_export_csv(pa, NULL, out), 3);
    CHECK_EQ(SYNA_import_csv(pb, out, NULL), 3);
    {
        size_t len = 0;
        char *t = syna_get_text(pb, "x/a/2", &len);
        CHECK(t && !strcmp(t, "two, \"2\"\n"));
        syna_free_text(t, len);
        t = syna_get_text(pb, "a/2", &len);
        CHECK(t && !strcmp(t, "two, \"2\"\n"));
        syna_free_text(t, len);
    }
    {
        double d = 1;
        CHECK_EQ(syna_get_float(pb, "b/1", &d), 1);
        CHECK(d == 0 && signbit(d));
    }
    /* errors: not open, NULL file, malformed */
    CHECK_EQ(SYNA_export_json("/tmp/not-open-anywhere.db", NULL, out), -1);
    CHECK_EQ(SYNA_import_json("/tmp/not-open-anywhere.db", out, NULL), -1);
    CHECK_EQ(SYNA_export_json(pa, NULL, NULL), -2);
    CHECK_EQ(SYNA_import_csv(pa, NULL, NULL), -2);
    CHECK_EQ(SYNA_export_csv(NULL, NULL, out), -2);
    test_spit(out, (const unsigned char *)"key,type,value\r\nk,int,x\r\n", 25);
    n = SYNA_import_csv(pb, out, NULL);
    CHECK_EQ(n, SYNADB_ERR_SYNTAX);
    CHECK(strstr(synadb_errmsg(syna_handle(pb)), "line 2") != NULL);
    CHECK_EQ(SYNA_import_jsonl(pb, "/nonexistent/x", NULL), SYNADB_ERR_NOT_FOUND);
    CHECK_EQ(SYNA_close(pa), 1);
    CHECK_EQ(SYNA_close(pb), 1);
    remove(pa); remove(pb); remove(out);
}

/* ======================================================================== collector */
static void mk_tr(synadb_rl_transition *t, float *st, float *nx, int i) {
    int k;
    memset(t, 0, sizeof *t);
    for (k = 0; k < 4; k++) { st[k] = (float)(i * 10 + k) * 0.5f; nx[k] = st[k] + 0.25f; }
    t->state = st; t->state_len = 4; t->next_state = nx; t->next_state_len = 4;
    t->action_kind = SYNADB_RL_ACTION_INT; t->action_int = i % 3;
    t->reward = (double)i * 0.1 - 1.0;
    t->flags = i % 10 == 9 ? SYNADB_RL_TERMINATED : 0;
}
typedef struct seen_tr { uint64_t n; int order_ok; double rsum; char machines[4][64]; uint64_t per_machine[4]; } seen_tr;
static int count_cb(void *user, const synadb_rl_transition *t) {
    seen_tr *s = (seen_tr *)user;
    int m;
    if (t->index != s->n) s->order_ok = 0;
    s->n++;
    if (t->reward == t->reward) s->rsum += t->reward;
    for (m = 0; m < 4; m++) {
        if (!s->machines[m][0]) snprintf(s->machines[m], sizeof s->machines[m], "%s", t->machine_id);
        if (!strcmp(s->machines[m], t->machine_id)) { s->per_machine[m]++; break; }
    }
    return 0;
}
static int any_cb(void *user, const synadb_rl_transition *t) { (void)t; ++*(uint64_t *)user; return 0; }

static void test_rl_basic(void) {
    char pa[256], sid[64], mid[256];
    synadb_rl *c;
    synadb_rl_transition t;
    float st[4], nx[4];
    double *rw = NULL;
    size_t nr = 0;
    uint64_t idx, n;
    int i;
    test_path(pa, sizeof pa, "rl-basic.db");
    CHECK_OK(synadb_rl_open(pa, NULL, &c));
    if (!c) return;
    CHECK(!strncmp(synadb_rl_machine_id(c), "machine_", 8) && strlen(synadb_rl_machine_id(c)) == 24);
    snprintf(mid, sizeof mid, "%s", synadb_rl_machine_id(c));
    CHECK_OK(synadb_rl_start_session(c, "ep1", "{\"env\": \"CartPole-v1\", \"seed\": 42, \"lr\": 1.0, \"z\": -0.0}", NULL, NULL, 0, sid, sizeof sid));
    CHECK(!strcmp(sid, "ep1"));
    CHECK_EQ(synadb_rl_start_session(c, "ep1", NULL, NULL, NULL, 0, NULL, 0), SYNADB_ERR_EXISTS);
    {
        char *info = NULL;
        CHECK_OK(synadb_rl_session_info(c, "ep1", &info));
        CHECK(info && strstr(info, "\"metadata\":{\"env\":\"CartPole-v1\",\"seed\":42,\"lr\":1,\"z\":-0.0}") && strstr(info, mid));
        synadb_rl_free(info);
    }
    for (i = 0; i < 100; i++) {
        mk_tr(&t, st, nx, i);
        if (i == 5) t.reward = (double)NAN;
        if (i == 6) t.reward = -0.0;
        if (i == 7) t.reward = -(double)INFINITY;
        if (i == 8) { t.action_kind = SYNADB_RL_ACTION_VECTOR; t.action = st; t.action_len = 2; }
        if (i == 9) t.metadata_json = "{\"info\":{\"lives\":3},\"s\":\"\xF0\x9F\x98\x80\"}";
        CHECK_OK(synadb_rl_log(c, "ep1", &t, &idx));
        CHECK_EQ(idx, (uint64_t)i);
    }
    CHECK_OK(synadb_rl_count(c, "ep1", &n));
    CHECK_EQ(n, 100);
    CHECK_OK(synadb_rl_rewards(c, "ep1", &rw, &nr));
    CHECK_EQ(nr, 100);
    for (i = 0; rw && i < 100; i++) {
        double want = (double)i * 0.1 - 1.0;
        if (i == 5) { CHECK(rw[i] != rw[i]); continue; }
        if (i == 6) want = -0.0;
        if (i == 7) want = -(double)INFINITY;
        CHECK(memcmp(&rw[i], &want, 8) == 0);
    }
    synadb_rl_free(rw);
    /* iteration: order and content */
    {
        seen_tr s;
        memset(&s, 0, sizeof s); s.order_ok = 1;
        CHECK_OK(synadb_rl_foreach(c, "ep1", count_cb, &s));
        CHECK_EQ(s.n, 100);
        CHECK(s.order_ok);
        CHECK(!strcmp(s.machines[0], mid));
    }
    synadb_rl_close(c);
    /* reopen: same machine id, counts found again, logging continues at 100 */
    CHECK_OK(synadb_rl_open(pa, NULL, &c));
    CHECK(!strcmp(synadb_rl_machine_id(c), mid));
    CHECK_OK(synadb_rl_count(c, "ep1", &n));
    CHECK_EQ(n, 100);
    mk_tr(&t, st, nx, 100);
    CHECK_OK(synadb_rl_log(c, "ep1", &t, &idx));
    CHECK_EQ(idx, 100);
    synadb_rl_close(c);
    /* a given machine id is used by the handle; the stored one stays */
    CHECK_OK(synadb_rl_open(pa, "other-box", &c));
    CHECK(!strcmp(synadb_rl_machine_id(c), "other-box"));
    synadb_rl_close(c);
    CHECK_OK(synadb_rl_open(pa, NULL, &c));
    CHECK(!strcmp(synadb_rl_machine_id(c), mid));
    synadb_rl_close(c);
    remove(pa);
    /* a fresh database with a given id stores it */
    CHECK_OK(synadb_rl_open(pa, "box-7", &c));
    synadb_rl_close(c);
    CHECK_OK(synadb_rl_open(pa, NULL, &c));
    CHECK(!strcmp(synadb_rl_machine_id(c), "box-7"));
    synadb_rl_close(c);
    remove(pa);
}

typedef struct tr_check { int i, ok; } tr_check;
static int content_cb(void *user, const synadb_rl_transition *t) {
    tr_check *k = (tr_check *)user;
    float st[4], nx[4];
    synadb_rl_transition want;
    mk_tr(&want, st, nx, k->i);
    if (t->index != (uint64_t)k->i || t->state_len != 4 || t->next_state_len != 4 || memcmp(t->state, st, 16) || memcmp(t->next_state, nx, 16) ||
        t->action_kind != SYNADB_RL_ACTION_INT || t->action_int != want.action_int || t->reward != want.reward || t->flags != want.flags ||
        !t->timestamp_us || strcmp(t->session, "s") || strcmp(t->metadata_json, k->i == 3 ? "{\"k\":\"v\",\"n\":\"2\"}" : ""))
        k->ok = 0;
    k->i++;
    return 0;
}
static void test_rl_sessions_and_bad_input(void) {
    char pa[256], sid[64];
    synadb_db *db;
    synadb_rl *c;
    synadb_rl_transition t;
    float st[4], nx[4];
    synadb_keylist l;
    uint64_t n, before;
    int i;
    static const char *const mk[] = {"k", "n"}, *const mv[] = {"v", "2"};
    db = open_db(test_path(pa, sizeof pa, "rl-sess.db"));
    CHECK_OK(synadb_rl_attach(db, "m1", &c));
    if (!c) return;
    CHECK(synadb_rl_db(c) == db);
    /* automatic ids */
    CHECK_OK(synadb_rl_start_session(c, NULL, NULL, mk, mv, 2, sid, sizeof sid));
    CHECK(!strncmp(sid, "session_", 8) && strlen(sid) == 8 + 10 + 1 + 8);
    CHECK_EQ(synadb_rl_start_session(c, NULL, NULL, NULL, NULL, 0, sid, 5), SYNADB_ERR_BUFFER_TOO_SMALL);
    /* sessions whose ids are prefixes of others, or contain / and glob characters */
    for (i = 0; i < 10; i++) {
        mk_tr(&t, st, nx, i);
        if (i == 3) { t.meta_keys = mk; t.meta_values = mv; t.meta_count = 2; }
        CHECK_OK(synadb_rl_log(c, "s", &t, NULL));
        mk_tr(&t, st, nx, 100 + i);
        CHECK_OK(synadb_rl_log(c, "s/000000000001", &t, NULL));
        if (i < 3) CHECK_OK(synadb_rl_log(c, "s*[?]", &t, NULL));
    }
    {
        tr_check k;
        k.i = 0; k.ok = 1;
        CHECK_OK(synadb_rl_foreach(c, "s", content_cb, &k));
        CHECK(k.ok);
        CHECK_EQ(k.i, 10);
    }
    CHECK_OK(synadb_rl_count(c, "s", &n)); CHECK_EQ(n, 10);
    CHECK_OK(synadb_rl_count(c, "s/000000000001", &n)); CHECK_EQ(n, 10);
    CHECK_OK(synadb_rl_count(c, "s*[?]", &n)); CHECK_EQ(n, 3);
    CHECK_OK(synadb_rl_count(c, NULL, &n)); CHECK_EQ(n, 23);
    CHECK_OK(synadb_rl_sessions(c, &l));
    CHECK_EQ(l.count, 4);
    if (l.count == 4) {
        CHECK(!strcmp(l.keys[0], "s") && !strcmp(l.keys[1], "s*[?]") && !strcmp(l.keys[2], "s/000000000001") && !strncmp(l.keys[3], "session_", 8));
    }
    synadb_rl_sessions_free(&l);
    {
        uint64_t all = 0;
        CHECK_OK(synadb_rl_foreach(c, NULL, any_cb, &all));
        CHECK_EQ(all, 23);
    }
    {   /* ranges: within a session, and across the sessions of the whole walk */
        seen_tr sr;
        uint64_t cnt = 0;
        memset(&sr, 0, sizeof sr); sr.order_ok = 1; sr.n = 4;
        CHECK_OK(synadb_rl_foreach_range(c, "s", 4, 3, count_cb, &sr));
        CHECK_EQ(sr.n, 7);
        CHECK(sr.order_ok);
        CHECK_OK(synadb_rl_foreach_range(c, NULL, 8, 100, any_cb, &cnt));
        CHECK_EQ(cnt, 15);
        cnt = 0;
        CHECK_OK(synadb_rl_foreach_range(c, NULL, 9, 2, any_cb, &cnt));   /* s[9], then s*[?][0] */
        CHECK_EQ(cnt, 2);
        cnt = 0;
        CHECK_OK(synadb_rl_foreach_range(c, "s", 10, 5, any_cb, &cnt));
        CHECK_EQ(cnt, 0);
        CHECK_OK(synadb_rl_foreach_range(c, NULL, 23, 5, any_cb, &cnt));
        CHECK_EQ(cnt, 0);
    }
    /* the started session is empty but known */
    CHECK_OK(synadb_rl_count(c, sid, &n)); CHECK_EQ(n, 0);
    {
        double *rw = (double *)1;
        size_t nr = 9;
        CHECK_OK(synadb_rl_rewards(c, sid, &rw, &nr));
        CHECK(rw == NULL && nr == 0);
        CHECK_EQ(synadb_rl_rewards(c, "never", &rw, &nr), SYNADB_ERR_KEY_NOT_FOUND);
        CHECK(strstr(synadb_rl_errmsg(c), "never") != NULL);
    }
    CHECK_EQ(synadb_rl_count(c, "never", &n), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_rl_foreach(c, "never", any_cb, &n), SYNADB_ERR_KEY_NOT_FOUND);
    /* bad input: nothing written */
    before = nkeys(db);
    mk_tr(&t, st, nx, 0);
    CHECK_EQ(synadb_rl_log(NULL, "s", &t, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rl_log(c, NULL, &t, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rl_log(c, "", &t, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rl_log(c, "bad\xff", &t, NULL), SYNADB_ERR_INVALID_ARG);
    {
        char *longid = (char *)malloc(1100);
        memset(longid, 'a', 1025); longid[1025] = 0;
        CHECK_EQ(synadb_rl_log(c, longid, &t, NULL), SYNADB_ERR_INVALID_ARG);
        longid[1024] = 0;
        CHECK_OK(synadb_rl_log(c, longid, &t, NULL));   /* 1024 is the limit */
        before += 3;
        free(longid);
    }
    CHECK_EQ(synadb_rl_log(c, "s", NULL, NULL), SYNADB_ERR_INVALID_ARG);
    t.state = NULL; CHECK_EQ(synadb_rl_log(c, "s", &t, NULL), SYNADB_ERR_INVALID_ARG); t.state = st;
    t.next_state = NULL; CHECK_EQ(synadb_rl_log(c, "s", &t, NULL), SYNADB_ERR_INVALID_ARG); t.next_state = nx;
    t.action_kind = 7; CHECK_EQ(synadb_rl_log(c, "s", &t, NULL), SYNADB_ERR_INVALID_ARG);
    t.action_kind = SYNADB_RL_ACTION_VECTOR; t.action = NULL; t.action_len = 2; CHECK_EQ(synadb_rl_log(c, "s", &t, NULL), SYNADB_ERR_INVALID_ARG);
    t.action_kind = SYNADB_RL_ACTION_INT;
    t.flags = 4; CHECK_EQ(synadb_rl_log(c, "s", &t, NULL), SYNADB_ERR_INVALID_ARG); t.flags = 0;
    t.metadata_json = "[1,2]"; CHECK_EQ(synadb_rl_log(c, "s", &t, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK(strstr(synadb_rl_errmsg(c), "object") != NULL);
    t.metadata_json = "{\"a\":"; CHECK_EQ(synadb_rl_log(c, "s", &t, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK(strstr(synadb_rl_errmsg(c), "byte 5") != NULL);
    t.meta_keys = mk; t.meta_values = mv; t.meta_count = 1; t.metadata_json = "{}";
    CHECK_EQ(synadb_rl_log(c, "s", &t, NULL), SYNADB_ERR_INVALID_ARG);
    t.metadata_json = NULL; t.meta_values = NULL;
    CHECK_EQ(synadb_rl_log(c, "s", &t, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rl_start_session(c, "", NULL, NULL, NULL, 0, NULL, 0), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rl_start_session(c, "x", "not json", NULL, NULL, 0, NULL, 0), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(nkeys(db), before);
    CHECK_OK(synadb_rl_count(c, "s", &n)); CHECK_EQ(n, 10);
    {
        synadb_rl *c2 = (synadb_rl *)1;
        CHECK_EQ(synadb_rl_open(NULL, NULL, &c2), SYNADB_ERR_INVALID_ARG);
        CHECK(c2 == NULL);
        CHECK_EQ(synadb_rl_attach(db, "", &c2), SYNADB_ERR_INVALID_ARG);
        CHECK(c2 == NULL);
        CHECK_EQ(synadb_rl_attach(NULL, NULL, &c2), SYNADB_ERR_INVALID_ARG);
        CHECK_EQ(synadb_rl_close(NULL), SYNADB_ERR_INVALID_ARG);
    }
    synadb_rl_close(c);
    synadb_close(db);
    remove(pa);
}

/* Damaged records (written behind the collector's back) are reported, never misread. */
static void test_rl_damaged(void) {
    char pa[256];
    synadb_db *db;
    synadb_rl *c;
    synadb_rl_transition t;
    float st[4], nx[4];
    membuf m;
    double *rw = NULL;
    size_t nr = 0;
    uint64_t n;
    int i;
    db = open_db(test_path(pa, sizeof pa, "rl-dmg.db"));
    CHECK_OK(synadb_rl_attach(db, "m", &c));
    if (!c) return;
    for (i = 0; i < 4; i++) { mk_tr(&t, st, nx, i); CHECK_OK(synadb_rl_log(c, "s", &t, NULL)); }
    CHECK_OK(synadb_put_bytes(db, "rl/t/s/000000000002", SYNADB_NTS, "\x01garbage-garbage-garbage-garbage-garbage-garbage!", 50));
    CHECK_EQ(synadb_rl_rewards(c, "s", &rw, &nr), SYNADB_ERR_SERIALIZATION);
    CHECK(rw == NULL && nr == 0);
    CHECK(strstr(synadb_rl_errmsg(c), "transition 2 of session s is damaged") != NULL);
    CHECK_EQ(synadb_rl_foreach(c, "s", any_cb, &n), SYNADB_ERR_SERIALIZATION);
    memset(&m, 0, sizeof m); m.fail_after = -1;
    CHECK_EQ(synadb_rl_export_jsonl_to(c, NULL, mem_write, &m, &n), SYNADB_ERR_SERIALIZATION);
    free(m.p);
    CHECK_OK(synadb_put_text(db, "rl/t/s/000000000002", SYNADB_NTS, "short", SYNADB_NTS));
    CHECK_EQ(synadb_rl_rewards(c, "s", &rw, &nr), SYNADB_ERR_SERIALIZATION);
    CHECK_OK(synadb_put_int(db, "rl/t/s/000000000002", SYNADB_NTS, 5));
    CHECK_EQ(synadb_rl_rewards(c, "s", &rw, &nr), SYNADB_ERR_TYPE_MISMATCH);
    CHECK_OK(synadb_put_text(db, "rl/s/s", SYNADB_NTS, "not json", SYNADB_NTS));
    memset(&m, 0, sizeof m); m.fail_after = -1;
    CHECK_EQ(synadb_rl_export_jsonl_to(c, "s", mem_write, &m, &n), SYNADB_ERR_SERIALIZATION);
    free(m.p);
    /* logging still appends after the damaged one */
    CHECK_OK(synadb_rl_log(c, "s", &t, &n));
    CHECK_EQ(n, 4);
    synadb_rl_close(c);
    synadb_close(db);
    remove(pa);
}

/* Counts after reopen for many sizes (the galloping search over the transition keys). */
static void test_rl_reopen_counts(void) {
    static const int sizes[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 100, 1000};
    char pa[256], sid[32];
    synadb_rl *c;
    synadb_rl_transition t;
    float st[4], nx[4];
    size_t s;
    int i;
    test_path(pa, sizeof pa, "rl-counts.db");
    CHECK_OK(synadb_rl_open(pa, "m", &c));
    if (!c) return;
    for (s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        sprintf(sid, "s%d", sizes[s]);
        if (!sizes[s]) CHECK_OK(synadb_rl_start_session(c, sid, NULL, NULL, NULL, 0, NULL, 0));
        for (i = 0; i < sizes[s]; i++) { mk_tr(&t, st, nx, i); CHECK_OK(synadb_rl_log(c, sid, &t, NULL)); }
    }
    synadb_rl_close(c);
    CHECK_OK(synadb_rl_open(pa, NULL, &c));
    for (s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        uint64_t n = 99999;
        double *rw;
        size_t nr;
        sprintf(sid, "s%d", sizes[s]);
        CHECK_OK(synadb_rl_count(c, sid, &n));
        CHECK_EQ(n, (uint64_t)sizes[s]);
        CHECK_OK(synadb_rl_rewards(c, sid, &rw, &nr));
        CHECK_EQ(nr, (size_t)sizes[s]);
        for (i = 0; i < (int)nr; i++) CHECK(rw[i] == (double)i * 0.1 - 1.0);
        synadb_rl_free(rw);
    }
    synadb_rl_close(c);
    remove(pa);
}

/* The same content logged repeatedly (automatic timestamps) stays distinct. */
static void test_rl_identical(void) {
    char pa[256], pb[256], out[300];
    synadb_rl *c, *d;
    synadb_rl_transition t;
    float st[4], nx[4];
    uint64_t n, imp;
    int i;
    test_path(pa, sizeof pa, "rl-same.db");
    test_path(pb, sizeof pb, "rl-same2.db");
    snprintf(out, sizeof out, "%s.jsonl", pa);
    CHECK_OK(synadb_rl_open(pa, "m", &c));
    if (!c) return;
    mk_tr(&t, st, nx, 1);
    for (i = 0; i < 50; i++) CHECK_OK(synadb_rl_log(c, "s", &t, NULL));
    CHECK_OK(synadb_rl_export_jsonl(c, NULL, out, &n));
    CHECK_EQ(n, 50);
    CHECK_OK(synadb_rl_open(pb, "m2", &d));
    CHECK_OK(synadb_rl_import_jsonl(d, out, 1, &imp, NULL));
    CHECK_EQ(imp, 50);
    CHECK_OK(synadb_rl_count(d, "s", &n));
    CHECK_EQ(n, 50);
    synadb_rl_close(c); synadb_rl_close(d);
    remove(pa); remove(pb); remove(out);
}

/* log_batch: one atomic batch, all checked first, identical contents kept apart. */
static void test_rl_batch(void) {
    char pa[256], pb[256], out[300];
    synadb_rl *c, *d;
    synadb_rl_transition *t = (synadb_rl_transition *)calloc(1000, sizeof *t);
    float st[4], nx[4];
    synadb_config cfg = synadb_config_default();
    uint64_t first = 99, n, imp;
    double *rw;
    size_t nr;
    int i;
    test_path(pa, sizeof pa, "rl-batch.db");
    test_path(pb, sizeof pb, "rl-batch2.db");
    snprintf(out, sizeof out, "%s.jsonl", pa);
    CHECK_OK(synadb_rl_open_ex(pa, "m", &cfg, &c));   /* no sync_on_write */
    if (!c) { free(t); return; }
    mk_tr(&t[0], st, nx, 7);
    for (i = 0; i < 1000; i++) { t[i] = t[0]; t[i].reward = i; }
    CHECK_OK(synadb_rl_log_batch(c, "b", t, 1000, &first));
    CHECK_EQ(first, 0);
    CHECK_OK(synadb_rl_log_batch(c, "b", t, 3, &first));
    CHECK_EQ(first, 1000);
    CHECK_OK(synadb_rl_log_batch(c, "b", t, 0, &first));
    CHECK_OK(synadb_rl_rewards(c, "b", &rw, &nr));
    CHECK_EQ(nr, 1003);
    for (i = 0; i < 1003; i++) if (rw[i] != (double)(i < 1000 ? i : i - 1000)) break;
    CHECK_EQ(i, 1003);
    synadb_rl_free(rw);
    /* identical transitions (same reward too) in one batch stay distinct */
    for (i = 0; i < 10; i++) t[i].reward = 5;
    CHECK_OK(synadb_rl_log_batch(c, "same", t, 10, NULL));
    CHECK_OK(synadb_rl_export_jsonl(c, "same", out, &n));
    CHECK_EQ(n, 10);
    CHECK_OK(synadb_rl_open(pb, NULL, &d));
    CHECK_OK(synadb_rl_import_jsonl(d, out, 1, &imp, NULL));
    CHECK_EQ(imp, 10);
    synadb_rl_close(d);
    /* a bad one anywhere: nothing written, and the next batch starts where it should */
    t[5].flags = 99;
    CHECK_EQ(synadb_rl_log_batch(c, "b", t, 10, &first), SYNADB_ERR_INVALID_ARG);
    CHECK(strstr(synadb_rl_errmsg(c), "transition 5") != NULL);
    CHECK_EQ(synadb_rl_log_batch(c, "new", t, 10, &first), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rl_count(c, "new", &n), SYNADB_ERR_KEY_NOT_FOUND);
    t[5].flags = 0;
    CHECK_OK(synadb_rl_count(c, "b", &n));
    CHECK_EQ(n, 1003);
    CHECK_OK(synadb_rl_log_batch(c, "b", t, 2, &first));
    CHECK_EQ(first, 1003);
    CHECK_EQ(synadb_rl_log_batch(c, "b", NULL, 2, &first), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rl_log_batch(c, "", t, 2, &first), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rl_log_batch(NULL, "b", t, 2, &first), SYNADB_ERR_INVALID_ARG);
    synadb_rl_close(c);
    CHECK_OK(synadb_rl_open(pa, NULL, &c));
    CHECK_OK(synadb_rl_count(c, "b", &n));
    CHECK_EQ(n, 1005);
    synadb_rl_close(c);
    free(t);
    remove(pa); remove(pb); remove(out);
}

typedef struct hashlist { uint8_t (*h)[32]; size_t n, cap; } hashlist;
static int hash_cb(void *user, const synadb_rl_transition *t) {
    hashlist *l = (hashlist *)user;
    if (l->n == l->cap) { l->cap = l->cap ? l->cap * 2 : 64; l->h = (uint8_t (*)[32])realloc(l->h, l->cap * 32); }
    memcpy(l->h[l->n++], t->hash, 32);
    return 0;
}
static int cmp32(const void *a, const void *b) { return memcmp(a, b, 32); }
static void hashes(synadb_rl *c, hashlist *l) {
    memset(l, 0, sizeof *l);
    synadb_rl_foreach(c, NULL, hash_cb, l);
    if (l->n) qsort(l->h, l->n, 32, cmp32);
}
static int same_hashes(synadb_rl *a, synadb_rl *b) {
    hashlist x, y;
    int same;
    hashes(a, &x); hashes(b, &y);
    same = x.n == y.n && (!x.n || !memcmp(x.h, y.h, x.n * 32));
    free(x.h); free(y.h);
    return same;
}
static void test_rl_jsonl(void) {
    char pa[256], pb[256], out[300], out2[300];
    synadb_rl *c, *d;
    synadb_rl_transition t;
    float st[4], nx[4], act[3] = {0.5f, -0.0f, NAN};
    uint64_t n, imp, line;
    size_t len, len2;
    unsigned char *txt, *txt2;
    int i;
    test_path(pa, sizeof pa, "rl-jsonl-a.db");
    test_path(pb, sizeof pb, "rl-jsonl-b.db");
    snprintf(out, sizeof out, "%s.jsonl", pa);
    snprintf(out2, sizeof out2, "%s.2.jsonl", pa);
    CHECK_OK(synadb_rl_open(pa, "machine-a", &c));
    if (!c) return;
    CHECK_OK(synadb_rl_start_session(c, "ep", "{\"env\":\"Pong\",\"note\":\"line\\nbreak \\u2028 \xF0\x9F\x98\x80\"}", NULL, NULL, 0, NULL, 0));
    for (i = 0; i < 30; i++) {
        mk_tr(&t, st, nx, i);
        if (i % 4 == 1) { t.action_kind = SYNADB_RL_ACTION_VECTOR; t.action = act; t.action_len = 3; }
        if (i == 2) t.reward = (double)INFINITY;
        if (i == 3) t.reward = (double)NAN;
        if (i == 4) { t.state_len = 0; t.next_state_len = 0; }
        if (i == 5) t.flags = SYNADB_RL_TRUNCATED;
        if (i == 6) t.flags = SYNADB_RL_TERMINATED | SYNADB_RL_TRUNCATED;
        if (i == 7) t.metadata_json = "{\"x\":[1,2.5,-0.0,1e300,\"\\\"q\\\"\"],\"y\":null,\"t\":true}";
        if (i == 8) t.action_int = INT64_MIN;
        CHECK_OK(synadb_rl_log(c, i < 20 ? "ep" : "other/ep", &t, NULL));
    }
    CHECK_OK(synadb_rl_export_jsonl(c, NULL, out, &n));
    CHECK_EQ(n, 30);
    CHECK_OK(synadb_rl_export_jsonl(c, "ep", out2, &n));
    CHECK_EQ(n, 20);
    txt = test_slurp(out, &len);
    CHECK(txt && strstr((char *)txt, "\"reward\":\"Infinity\"") && strstr((char *)txt, "\"reward\":\"NaN\"") && strstr((char *)txt, "\"truncated\":true"));
    CHECK(txt && strstr((char *)txt, "{\"kind\":\"session\",\"session\":\"ep\",\"machine\":\"machine-a\""));
    free(txt);
    /* into another database: the same transitions (by content hash), metadata and sessions */
    CHECK_OK(synadb_rl_open(pb, "machine-b", &d));
    CHECK_OK(synadb_rl_import_jsonl(d, out, 1, &imp, &line));
    CHECK_EQ(imp, 30);
    CHECK(same_hashes(c, d));
    {
        char *info = NULL;
        CHECK_OK(synadb_rl_session_info(d, "ep", &info));
        CHECK(info && strstr(info, "\"machine\":\"machine-a\"") && strstr(info, "Pong"));
        synadb_rl_free(info);
    }
    /* importing again adds nothing; without dedup everything again */
    CHECK_OK(synadb_rl_import_jsonl(d, out, 1, &imp, NULL));
    CHECK_EQ(imp, 0);
    CHECK_OK(synadb_rl_import_jsonl(d, out2, 1, &imp, NULL));
    CHECK_EQ(imp, 0);
    CHECK_OK(synadb_rl_import_jsonl(c, out, 1, &imp, NULL));
    CHECK_EQ(imp, 0);
    CHECK_OK(synadb_rl_count(d, NULL, &n));
    CHECK_EQ(n, 30);
    /* its export is the same text (rows, indexes, hashes, metadata) */
    CHECK_OK(synadb_rl_export_jsonl(d, NULL, out2, &n));
    txt = test_slurp(out, &len); txt2 = test_slurp(out2, &len2);
    CHECK(txt && txt2 && len == len2 && !memcmp(txt, txt2, len));
    free(txt); free(txt2);
    CHECK_OK(synadb_rl_import_jsonl(d, out, 0, &imp, NULL));
    CHECK_EQ(imp, 30);
    CHECK_OK(synadb_rl_count(d, NULL, &n));
    CHECK_EQ(n, 60);
    /* malformed lines: the line is named, nothing is imported */
    {
        static const char *const bad[] = {
            "{\"kind\":\"transition\",\"session\":\"z\",\"machine\":\"m\",\"timestamp_us\":1,\"state\":[],\"action\":1,\"reward\":0,\"next_state\":[]}\n{\"kind\":",
            "{\"kind\":\"transition\",\"session\":\"z\",\"machine\":\"m\",\"timestamp_us\":1,\"state\":[],\"action\":1,\"reward\":0,\"next_state\":[]}\n\n{\"kind\":\"transition\",\"session\":\"z\",\"machine\":\"m\",\"timestamp_us\":1,\"state\":[\"a\"],\"action\":1,\"reward\":0,\"next_state\":[]}",
            "\n{\"kind\":\"transition\",\"session\":\"z\",\"machine\":\"m\",\"timestamp_us\":-1,\"state\":[],\"action\":1,\"reward\":0,\"next_state\":[]}",
            "{\"kind\":\"transition\",\"session\":\"\",\"machine\":\"m\",\"timestamp_us\":1,\"state\":[],\"action\":1,\"reward\":0,\"next_state\":[]}",
            "{\"kind\":\"transition\",\"session\":\"z\",\"machine\":\"m\",\"timestamp_us\":1,\"state\":[],\"action\":1.5,\"reward\":0,\"next_state\":[]}",
            "{\"kind\":\"transition\",\"session\":\"z\",\"machine\":\"m\",\"timestamp_us\":1,\"state\":[],\"action\":1,\"reward\":\"nan\",\"next_state\":[]}",
            "{\"kind\":\"transition\",\"session\":\"z\",\"machine\":\"m\",\"timestamp_us\":1,\"state\":[],\"action\":1,\"reward\":0,\"next_state\":[],\"terminated\":1}",
            "{\"kind\":\"transition\",\"session\":\"z\",\"machine\":\"m\",\"timestamp_us\":1,\"state\":[],\"action\":1,\"reward\":0,\"next_state\":[],\"metadata\":[1]}",
            "{\"kind\":\"transition\",\"session\":\"z\",\"machine\":\"m\",\"timestamp_us\":1,\"state\":[],\"action\":1,\"reward\":0,\"next_state\":[],\"hash\":\"00\"}",
            "{\"kind\":\"episode\"}",
            "[]",
        };
        static const uint64_t lines[] = {2, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1};
        size_t b;
        CHECK_OK(synadb_rl_count(d, NULL, &n));
        for (b = 0; b < sizeof bad / sizeof *bad; b++) {
            uint64_t m2;
            synadb_result r = synadb_rl_import_jsonl_mem(d, bad[b], strlen(bad[b]), 1, &imp, &line);
            CHECK_EQ(r, SYNADB_ERR_SYNTAX);
            CHECK_EQ(line, lines[b]);
            CHECK_OK(synadb_rl_count(d, NULL, &m2));
            CHECK_EQ(m2, n);
            if (r != SYNADB_ERR_SYNTAX || line != lines[b]) fprintf(stderr, "bad jsonl %zu: %d line %llu: %s\n", b, r, (unsigned long long)line, synadb_rl_errmsg(d));
        }
        CHECK(strstr(synadb_rl_errmsg(d), "line 1") != NULL);
        /* a changed value with the old hash is refused */
        txt = test_slurp(out, &len);
        if (txt) {
            char *p = strstr((char *)txt, "\"reward\":-1,");
            CHECK(p != NULL);
            if (p) {
                p[10] = '2';
                CHECK_EQ(synadb_rl_import_jsonl_mem(d, (const char *)txt, len, 1, &imp, &line), SYNADB_ERR_SYNTAX);
                CHECK(strstr(synadb_rl_errmsg(d), "hash") != NULL);
            }
        }
        free(txt);
        CHECK_EQ(synadb_rl_import_jsonl(d, "/nonexistent/x.jsonl", 1, &imp, NULL), SYNADB_ERR_NOT_FOUND);
        CHECK_EQ(synadb_rl_export_jsonl(d, NULL, "/nonexistent/x.jsonl", &imp), SYNADB_ERR_NOT_FOUND);
        CHECK_EQ(synadb_rl_export_jsonl(d, "no-such-session", out2, &imp), SYNADB_ERR_KEY_NOT_FOUND);
    }
    /* an empty file imports nothing */
    CHECK_OK(synadb_rl_import_jsonl_mem(d, "", 0, 1, &imp, NULL));
    CHECK_EQ(imp, 0);
    synadb_rl_close(c); synadb_rl_close(d);
    remove(pa); remove(pb); remove(out); remove(out2);
}

/* Three machines, overlapping data, merged into one. */
static void log_n(synadb_rl *c, const char *sid, int from, int to, double rbase) {
    synadb_rl_transition t;
    float st[4], nx[4];
    int i;
    for (i = from; i < to; i++) {
        mk_tr(&t, st, nx, i);
        t.reward = rbase + i;
        CHECK_OK(synadb_rl_log(c, sid, &t, NULL));
    }
}
static void test_rl_merge(void) {
    char p[3][256], pd[256], x[300];
    synadb_rl *c[3], *d;
    uint64_t n, merged, imp;
    const char *src[3];
    int k;
    for (k = 0; k < 3; k++) {
        char name[32], mid[16];
        sprintf(name, "rl-merge-%d.db", k);
        sprintf(mid, "machine-%c", 'A' + k);
        test_path(p[k], sizeof p[k], name);
        CHECK_OK(synadb_rl_open(p[k], mid, &c[k]));
        if (!c[k]) return;
        src[k] = p[k];
    }
    test_path(pd, sizeof pd, "rl-merge-dest.db");
    snprintf(x, sizeof x, "%s.jsonl", pd);
    log_n(c[0], "shared", 0, 10, 1000);   /* A: 10 in "shared", 5 in "a-only" */
    log_n(c[0], "a-only", 0, 5, 2000);
    log_n(c[1], "shared", 0, 7, 3000);    /* B: 7 of its own in "shared" + A's 10 imported */
    CHECK_OK(synadb_rl_export_jsonl(c[0], "shared", x, &n));
    CHECK_OK(synadb_rl_import_jsonl(c[1], x, 1, &imp, NULL));
    CHECK_EQ(imp, 10);
    CHECK_OK(synadb_rl_export_jsonl(c[1], NULL, x, &n));   /* C: all of B (17) + 4 of its own */
    CHECK_OK(synadb_rl_import_jsonl(c[2], x, 1, &imp, NULL));
    CHECK_EQ(imp, 17);
    log_n(c[2], "c-only", 0, 4, 4000);
    for (k = 0; k < 3; k++) synadb_rl_close(c[k]);
    /* 10 + 5 (A) + 7 (B) + 4 (C) distinct transitions */
    CHECK_OK(synadb_rl_merge(src, 3, pd, &merged, NULL, 0));
    CHECK_EQ(merged, 26);
    CHECK_OK(synadb_rl_open(pd, "dest", &d));
    CHECK_OK(synadb_rl_count(d, NULL, &n));
    CHECK_EQ(n, 26);
    CHECK_OK(synadb_rl_count(d, "shared", &n));
    CHECK_EQ(n, 17);
    {
        seen_tr s;
        int m;
        uint64_t a = 0, b = 0, cc = 0;
        memset(&s, 0, sizeof s); s.order_ok = 1;
        CHECK_OK(synadb_rl_foreach(d, NULL, count_cb, &s));
        for (m = 0; m < 4; m++) {
            if (!strcmp(s.machines[m], "machine-A")) a = s.per_machine[m];
            if (!strcmp(s.machines[m], "machine-B")) b = s.per_machine[m];
            if (!strcmp(s.machines[m], "machine-C")) cc = s.per_machine[m];
        }
        CHECK_EQ(a, 15); CHECK_EQ(b, 7); CHECK_EQ(cc, 4);
    }
    /* rewards: every machine's are there (the original's merge lost them) */
    {
        double *rw, sum = 0, want = 0;
        size_t nr, i;
        CHECK_OK(synadb_rl_rewards(d, "shared", &rw, &nr));
        CHECK_EQ(nr, 17);
        for (i = 0; i < nr; i++) sum += rw[i];
        for (i = 0; i < 10; i++) want += 1000 + (double)i;
        for (i = 0; i < 7; i++) want += 3000 + (double)i;
        CHECK(sum == want);
        synadb_rl_free(rw);
        CHECK_OK(synadb_rl_rewards(d, "c-only", &rw, &nr));
        CHECK(nr == 4 && rw[0] == 4000 && rw[3] == 4003);
        synadb_rl_free(rw);
        CHECK_OK(synadb_rl_rewards(d, "a-only", &rw, &nr));
        CHECK(nr == 5 && rw[4] == 2004);
        synadb_rl_free(rw);
    }
    /* again: nothing new; the sources were not written */
    CHECK_OK(synadb_rl_merge_into(d, src, 3, &merged));
    CHECK_EQ(merged, 0);
    CHECK_OK(synadb_rl_merge_into(d, src, 0, &merged));
    CHECK_EQ(synadb_rl_merge_into(d, NULL, 2, &merged), SYNADB_ERR_INVALID_ARG);
    {
        const char *bad[2];
        bad[0] = p[0]; bad[1] = "/nonexistent/none.db";
        CHECK_EQ(synadb_rl_merge_into(d, bad, 2, &merged), SYNADB_ERR_NOT_FOUND);
        CHECK(strstr(synadb_rl_errmsg(d), "/nonexistent/none.db") != NULL);
        CHECK_EQ(merged, 0);
    }
    CHECK_OK(synadb_rl_count(d, NULL, &n));
    CHECK_EQ(n, 26);
    synadb_rl_close(d);
    CHECK_OK(synadb_rl_open(p[0], NULL, &c[0]));
    CHECK_OK(synadb_rl_count(c[0], NULL, &n));
    CHECK_EQ(n, 15);
    synadb_rl_close(c[0]);
    for (k = 0; k < 3; k++) remove(p[k]);
    remove(pd); remove(x);
}

static void test_rl_abi(void) {
    char pa[256], pb[256], pc[256], out[300];
    char *id = NULL, *json = NULL;
    size_t idlen = 0, nr = 0;
    double *rw = NULL;
    float st[3] = {1, 2, 3}, act[2] = {0.5f, -1};
    int i;
    test_path(pa, sizeof pa, "rl-abi-a.db");
    test_path(pb, sizeof pb, "rl-abi-b.db");
    test_path(pc, sizeof pc, "rl-abi-c.db");
    snprintf(out, sizeof out, "%s.jsonl", pa);
    CHECK_EQ(SYNA_exp_collector_open(pa, "abi-m"), 1);
    CHECK_EQ(SYNA_exp_collector_open(pa, NULL), 1);   /* already open: kept */
    CHECK_EQ(SYNA_exp_collector_machine_id(pa, &id, &idlen), 1);
    CHECK(id && !strcmp(id, "abi-m") && idlen == 5);
    syna_free_text(id, idlen);
    CHECK_EQ(SYNA_exp_collector_start_session(pa, NULL, "{\"a\":1}", &id, &idlen), 1);
    CHECK(id && !strncmp(id, "session_", 8) && idlen == strlen(id));
    for (i = 0; i < 12; i++)
        CHECK_EQ(SYNA_exp_collector_log_transition(pa, id, st, 3, i, i % 2 ? act : NULL, i % 2 ? 2 : 0, i * 1.5, st, 3, i == 11 ? 1 : 0,
                                                   i == 0 ? "{\"k\":\"v\"}" : NULL), 1);
    CHECK_EQ(SYNA_exp_collector_count(pa, id), 12);
    CHECK_EQ(SYNA_exp_collector_count(pa, NULL), 12);
    CHECK_EQ(SYNA_exp_collector_get_rewards(pa, id, &rw, &nr), 12);
    CHECK(rw && nr == 12 && rw[11] == 16.5);
    syna_free_tensor(rw, nr);
    CHECK_EQ(SYNA_exp_collector_list_sessions(pa, &json), 1);
    CHECK(json && json[0] == '[' && strstr(json, id));
    syna_free_json(json);
    CHECK_EQ(SYNA_exp_collector_transitions_json(pa, id, 0, 0, &json), 12);
    CHECK(json && json[0] == '[' && strstr(json, "\"action\":[0.5,-1]") && strstr(json, "\"terminated\":true") && strstr(json, "{\"k\":\"v\"}"));
    syna_free_json(json);
    CHECK_EQ(SYNA_exp_collector_transitions_json(pa, id, 10, 5, &json), 2);
    CHECK(json && strstr(json, "\"index\":10,") && strstr(json, "\"index\":11,") && !strstr(json, "\"index\":9,"));
    syna_free_json(json);
    CHECK_EQ(SYNA_exp_collector_transitions_json(pa, NULL, 3, 1, &json), 1);
    CHECK(json && strstr(json, "\"index\":3,") && !strstr(json, "\"index\":4,"));
    syna_free_json(json);
    CHECK_EQ(SYNA_exp_collector_transitions_json(pa, id, 12, 0, &json), 0);
    CHECK(json && !strcmp(json, "[]"));
    syna_free_json(json);
    CHECK_EQ(SYNA_exp_collector_export_jsonl(pa, NULL, out), 12);
    /* b: a collector on a database opened through SYNA_open shares its handle */
    CHECK_EQ(SYNA_open(pb), 1);
    CHECK_EQ(SYNA_exp_collector_open(pb, "abi-b"), 1);
    CHECK_EQ(SYNA_exp_collector_import_jsonl(pb, out, 1), 12);
    CHECK_EQ(SYNA_exp_collector_import_jsonl(pb, out, 1), 0);
    CHECK_EQ(syna_exists(pb, "rl/machine"), 1);
    CHECK_EQ(SYNA_close(pb), 1);   /* the collector keeps the handle alive */
    CHECK_EQ(SYNA_exp_collector_count(pb, NULL), 12);
    CHECK_EQ(SYNA_exp_collector_close(pb), 1);
    CHECK_EQ(SYNA_exp_collector_count(pb, NULL), -1);
    /* merge into a path that is not open; into the open collector */
    {
        const char *srcs[2];
        srcs[0] = pa; srcs[1] = pb;
        CHECK_EQ(SYNA_exp_collector_merge(srcs, 2, pc), 12);
        CHECK_EQ(SYNA_exp_collector_merge(srcs, 2, pc), 0);
        CHECK_EQ(SYNA_exp_collector_merge(srcs + 1, 1, pa), 0);
        CHECK_EQ(SYNA_exp_collector_merge(NULL, 1, pc), -2);
        CHECK_EQ(SYNA_exp_collector_merge(srcs, 2, NULL), -2);
    }
    /* errors */
    CHECK_EQ(SYNA_exp_collector_count("/tmp/not-open-anywhere.db", NULL), -1);
    CHECK_EQ(SYNA_exp_collector_log_transition("/tmp/not-open-anywhere.db", "s", st, 3, 0, NULL, 0, 0, st, 3, 0, NULL), -1);
    CHECK_EQ(SYNA_exp_collector_log_transition(pa, NULL, st, 3, 0, NULL, 0, 0, st, 3, 0, NULL), -2);
    CHECK_EQ(SYNA_exp_collector_log_transition(pa, "s", NULL, 3, 0, NULL, 0, 0, st, 3, 0, NULL), -2);
    CHECK_EQ(SYNA_exp_collector_log_transition(pa, "s", st, 3, 0, NULL, 2, 0, st, 3, 0, NULL), -2);
    CHECK_EQ(SYNA_exp_collector_log_transition(pa, "s", st, 3, 0, NULL, 0, 0, st, 3, 8, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(SYNA_exp_collector_log_transition(pa, "s", st, 3, 0, NULL, 0, 0, st, 3, 0, "{bad"), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(SYNA_exp_collector_get_rewards(pa, "missing", &rw, &nr), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(SYNA_exp_collector_get_rewards(pa, NULL, &rw, &nr), -2);
    {
        char *id2 = (char *)1;
        size_t id2len = 5;
        CHECK_EQ(SYNA_exp_collector_start_session(pa, id, NULL, &id2, &id2len), SYNADB_ERR_EXISTS);
        CHECK(id2 == NULL && id2len == 0);
        CHECK_EQ(SYNA_exp_collector_start_session(pa, id, NULL, NULL, &id2len), -2);
    }
    CHECK_EQ(SYNA_exp_collector_open(NULL, NULL), -2);
    CHECK_EQ(SYNA_exp_collector_open("", NULL), -2);
    CHECK_EQ(SYNA_exp_collector_open("/nonexistent-dir/x.db", NULL), SYNADB_ERR_NOT_FOUND);
    CHECK_EQ(SYNA_exp_collector_close("/tmp/not-open-anywhere.db"), -1);
    test_spit(out, (const unsigned char *)"{oops\n", 6);
    CHECK_EQ(SYNA_exp_collector_import_jsonl(pa, out, 1), SYNADB_ERR_SYNTAX);
    CHECK_EQ(SYNA_exp_collector_count(pa, NULL), 12);
    syna_free_text(id, idlen);
    CHECK_EQ(SYNA_exp_collector_close(pa), 1);
    CHECK_EQ(SYNA_exp_collector_close(pa), -1);
    remove(pa); remove(pb); remove(pc); remove(out);
}

/* ======================================================================== threads */
#if !defined(SYNA_NO_THREADS) && !defined(SYNADB_NO_THREADS)
typedef struct thr_arg { synadb_rl *c; int id; int ok; } thr_arg;
static void *log_thread(void *p) {
    thr_arg *a = (thr_arg *)p;
    synadb_rl_transition t;
    float st[4], nx[4];
    int i;
    for (i = 0; i < 300; i++) {
        mk_tr(&t, st, nx, i);
        t.action_int = a->id;
        if (synadb_rl_log(a->c, i % 3 ? "shared" : (a->id ? "t1" : "t0"), &t, NULL)) a->ok = 0;
        if (i % 50 == 49) {
            double *rw; size_t nr;
            if (synadb_rl_rewards(a->c, "shared", &rw, &nr)) a->ok = 0;
            synadb_rl_free(rw);
        }
    }
    return NULL;
}
static void test_rl_threads(void) {
    char pa[256];
    synadb_rl *c;
    pthread_t th[2];
    thr_arg a[2];
    uint64_t n;
    int k;
    test_path(pa, sizeof pa, "rl-threads.db");
    CHECK_OK(synadb_rl_open(pa, "m", &c));
    if (!c) return;
    for (k = 0; k < 2; k++) { a[k].c = c; a[k].id = k; a[k].ok = 1; pthread_create(&th[k], NULL, log_thread, &a[k]); }
    for (k = 0; k < 2; k++) { pthread_join(th[k], NULL); CHECK(a[k].ok); }
    CHECK_OK(synadb_rl_count(c, "shared", &n));
    CHECK_EQ(n, 400);
    CHECK_OK(synadb_rl_count(c, NULL, &n));
    CHECK_EQ(n, 600);
    synadb_rl_close(c);
    CHECK_OK(synadb_rl_open(pa, NULL, &c));
    CHECK_OK(synadb_rl_count(c, "shared", &n));
    CHECK_EQ(n, 400);
    synadb_rl_close(c);
    remove(pa);
}
#endif

/* ======================================================================== crash */
static void test_rl_crash(void) {
#if TEST_HAVE_PROCESSES
    char pa[256];
    int fds[2], round;
    test_path(pa, sizeof pa, "rl-crash.db");
    for (round = 0; round < 3; round++) {
        pid_t pid;
        uint32_t acked = 0, v;
        synadb_rl *c;
        uint64_t n;
        double *rw;
        size_t nr, i;
        remove(pa);
        if (pipe(fds)) { CHECK(0); return; }
        pid = fork();
        if (pid == 0) {
            synadb_rl_transition t;
            float st[4], nx[4];
            uint32_t k;
            close(fds[0]);
            if (synadb_rl_open(pa, "crash", &c)) _exit(2);
            for (k = 0;; k++) {
                mk_tr(&t, st, nx, (int)k);
                t.reward = (double)k;
                if (synadb_rl_log(c, "s", &t, NULL)) _exit(3);
                if (write(fds[1], &k, 4) != 4) _exit(4);   /* acknowledged */
            }
        }
        close(fds[1]);
        while (acked < 200u + 150u * (uint32_t)round && read(fds[0], &v, 4) == 4) acked = v + 1;
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        while (read(fds[0], &v, 4) == 4) acked = v + 1;
        close(fds[0]);
        CHECK_OK(synadb_rl_open(pa, NULL, &c));
        if (!c) return;
        CHECK(!strcmp(synadb_rl_machine_id(c), "crash"));
        CHECK_OK(synadb_rl_count(c, "s", &n));
        CHECK(n >= acked && n <= acked + 1);
        CHECK_OK(synadb_rl_rewards(c, "s", &rw, &nr));
        for (i = 0; i < nr; i++) if (rw[i] != (double)i) break;
        CHECK_EQ(i, nr);
        synadb_rl_free(rw);
        synadb_rl_close(c);
    }
    remove(pa);
#endif
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "threads")) {
#if !defined(SYNA_NO_THREADS) && !defined(SYNADB_NO_THREADS)
        RUN(test_rl_threads);
#endif
        return test_report();
    }
    RUN(test_base64);
    RUN(test_io_roundtrip);
    RUN(test_io_python_oracle);
    RUN(test_io_pattern_stream);
    RUN(test_io_malformed);
    RUN(test_io_mutations);
    RUN(test_io_abi);
    RUN(test_rl_basic);
    RUN(test_rl_sessions_and_bad_input);
    RUN(test_rl_reopen_counts);
    RUN(test_rl_damaged);
    RUN(test_rl_identical);
    RUN(test_rl_batch);
    RUN(test_rl_jsonl);
    RUN(test_rl_merge);
    RUN(test_rl_abi);
#if !defined(SYNA_NO_THREADS) && !defined(SYNADB_NO_THREADS)
    RUN(test_rl_threads);
#endif
    RUN(test_rl_crash);
    return test_report();
}
