#define SYNADB_IMPLEMENTATION
#include "synadb.h"
#include "synadb_ml.h"
/* syna.c - command-line tool for SynaDB files: inspect, edit, verify and dump.
 *
 *   cc -std=c99 -O2 -Wall -Wextra -I. tools/syna.c -o build/syna -lpthread -lm
 *   syna [--json] [--read-only] [--salvage] DBFILE COMMAND [ARGS]   (syna --help)
 *
 * Exit status: 0 success, 1 error (missing key or file, lock, I/O...), 2 damage found
 * (verify, dump), 64 usage error. export / import use synadb_ml.h (>>ml.io).
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_FAIL = 1, EXIT_DAMAGED = 2, EXIT_USAGE = 64 };

static const char usage_text[] =
    "usage: syna [--json] [--read-only] [--salvage] DBFILE COMMAND [ARGS]\n"
    "\n"
    "Inspect and edit a SynaDB database file.\n"
    "\n"
    "commands:\n"
    "  info                      sizes, format version, keys, records, versions,\n"
    "                            index memory, torn tail, top key prefixes\n"
    "  keys [GLOB]               live keys matching GLOB (* ? [a-z] [!a-z] \\c), sorted\n"
    "  get KEY                   latest value of KEY with its type\n"
    "  put KEY TYPE [VALUE]      store a value (creates DBFILE if missing); TYPE is\n"
    "                            float|f, int|i, text|t, bytes|b (VALUE in hex,\n"
    "                            optional 0x), vector|v (comma-separated floats)\n"
    "                            or null (no VALUE)\n"
    "  history KEY               every float value of KEY (int values if KEY holds\n"
    "                            an int), oldest first, then a count line\n"
    "  del KEY                   delete KEY (fails if KEY is not live)\n"
    "  compact [--keep-history]  rewrite the file with the live data only\n"
    "  verify                    check every record of the file without opening it;\n"
    "                            report damaged regions and torn tails\n"
    "  dump                      list every record, damaged region and torn tail\n"
    "  export FORMAT [GLOB] [-o FILE]\n"
    "                            latest value of every key (matching GLOB) as json\n"
    "                            (an array of {key,type,value}), jsonl or csv\n"
    "                            (key,type,value); to stdout, or to FILE atomically\n"
    "  import FORMAT FILE [PREFIX]\n"
    "                            load such a file (- = stdin), keys prefixed with\n"
    "                            PREFIX; all or nothing: a syntax error names the\n"
    "                            line and writes nothing\n"
    "\n"
    "options:\n"
    "  --json        machine-readable output: one JSON object (info, get, put, del,\n"
    "                compact, verify, import, export -o) or a JSON array (keys,\n"
    "                history, dump)\n"
    "  --read-only   open without the write lock; never modify the file\n"
    "  --salvage     on open, skip damaged records instead of failing\n"
    "  -h, --help    show this help\n"
    "\n"
    "exit status: 0 success, 1 error (missing key or file, locked, I/O...),\n"
    "             2 damage found (verify, dump), 64 usage error\n";

typedef struct opts {
    int json, read_only, salvage;
    const char *path, *cmd;
    int argc;           /* arguments after COMMAND */
    char **argv;
} opts;

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static int usage_error(const char *fmt, ...) {
    va_list ap;
    fputs("syna: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nusage: syna [--json] [--read-only] [--salvage] DBFILE COMMAND [ARGS]\n"
          "run 'syna --help' for the list of commands\n", stderr);
    return EXIT_USAGE;
}

/* ------------------------------------------------------------------ text output */

/* Length of the valid UTF-8 sequence at s (n bytes available), or 0 if it is not one
   (overlongs, surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_len(const unsigned char *s, size_t n) {
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t need, i;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) need = 2;
    else if (c >= 0xE0 && c <= 0xEF) { need = 3; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 4; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
    else return 0;
    if (n < need || s[1] < lo || s[1] > hi) return 0;
    for (i = 2; i < need; i++) if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return need;
}

enum { ESC_PLAIN, ESC_QUOTED, ESC_JSON };

/* Writes n bytes of s. Valid UTF-8 passes through; control characters (C0, DEL, C1),
   invalid bytes and '\' are escaped: as \xNN (and \n \r \t) for humans, as JSON escapes
   with \u00NN for JSON (the body of a JSON string, without the quotes). ESC_QUOTED and
   ESC_JSON also escape '"'. */
static void put_escaped(FILE *f, const char *s, size_t n, int mode) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        size_t k = utf8_len(p + i, n - i);
        if (c == '\\' || (c == '"' && mode != ESC_PLAIN)) { fputc('\\', f); fputc(c, f); i++; continue; }
        if (c == '\n') { fputs("\\n", f); i++; continue; }
        if (c == '\r') { fputs("\\r", f); i++; continue; }
        if (c == '\t') { fputs("\\t", f); i++; continue; }
        if (mode == ESC_JSON) {
            if (c == '\b') fputs("\\b", f);
            else if (c == '\f') fputs("\\f", f);
            else if (c < 0x20 || c == 0x7F || k == 0) fprintf(f, "\\u%04x", (unsigned)c);
            else { fwrite(p + i, 1, k, f); i += k; continue; }
            i++;
            continue;
        }
        /* humans: also escape the C1 controls U+0080..U+009F (C2 80..C2 9F) */
        if (c < 0x20 || c == 0x7F || k == 0 || (k == 2 && c == 0xC2 && p[i + 1] < 0xA0)) {
            size_t m = k ? k : 1, j;
            for (j = 0; j < m; j++) fprintf(f, "\\x%02x", (unsigned)p[i + j]);
            i += m;
            continue;
        }
        fwrite(p + i, 1, k, f);
        i += k;
    }
}
static void put_json_str(FILE *f, const char *s, size_t n) {
    fputc('"', f);
    put_escaped(f, s, n, ESC_JSON);
    fputc('"', f);
}
static void put_json_cstr(FILE *f, const char *s) { put_json_str(f, s, strlen(s)); }

static void put_hex(FILE *f, const void *data, size_t n) {
    const unsigned char *p = (const unsigned char *)data;
    size_t i;
    for (i = 0; i < n; i++) fprintf(f, "%02x", (unsigned)p[i]);
}

/* Doubles: for JSON %.17g (NaN and infinities as the strings "NaN", "Infinity",
   "-Infinity"); for humans the shortest form that reads back as the same double. */
static void put_double(FILE *f, double d, int json) {
    char buf[40];
    int prec;
    if (isnan(d)) { fputs(json ? "\"NaN\"" : "NaN", f); return; }
    if (isinf(d)) { fputs(d > 0 ? (json ? "\"Infinity\"" : "Infinity") : (json ? "\"-Infinity\"" : "-Infinity"), f); return; }
    if (json) { fprintf(f, "%.17g", d); return; }
    for (prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) break;
    }
    if (!strpbrk(buf, ".en")) strcat(buf, ".0"); /* a float never looks like an int */
    fputs(buf, f);
}
/* Vector components (float32): %.9g for JSON (enough to read back the same float),
   the shortest such form for humans. */
static void put_float32(FILE *f, float x, int json) {
    char buf[40];
    int prec;
    if (isnan(x) || isinf(x)) { put_double(f, x, json); return; }
    if (json) { fprintf(f, "%.9g", (double)x); return; }
    for (prec = 1; prec <= 9; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, (double)x);
        if ((float)strtod(buf, NULL) == x) break;
    }
    fputs(buf, f);
}
static float vec_at(const void *data, size_t i) { /* data may be unaligned (dump) */
    float x;
    memcpy(&x, (const unsigned char *)data + i * 4, 4);
    return x;
}
static double f64_at(const void *data, size_t i) {
    double x;
    memcpy(&x, (const unsigned char *)data + i * 8, 8);
    return x;
}

static const char *type_name(int t) {
    switch (t) {
    case SYNADB_TYPE_NULL: return "null";
    case SYNADB_TYPE_FLOAT: return "float";
    case SYNADB_TYPE_INT: return "int";
    case SYNADB_TYPE_TEXT: return "text";
    case SYNADB_TYPE_BYTES: return "bytes";
    case SYNADB_TYPE_VECTOR: return "vector";
    default: return "unknown";
    }
}

#define MAX_SHOWN_BYTES ((size_t)64)
#define MAX_SHOWN_DIMS ((size_t)8)

/* The human form of a value: 23.5, 42, "text", [3 bytes] 010203, [768 dims] 0.1, ...
   With suffix, the type follows in parentheses (null stays "null"). */
static void put_value_human(FILE *f, const synadb_value *v, int suffix) {
    size_t i, n;
    switch (v->type) {
    case SYNADB_TYPE_NULL: fputs("null", f); return;
    case SYNADB_TYPE_FLOAT: put_double(f, v->f, 0); break;
    case SYNADB_TYPE_INT: fprintf(f, "%lld", (long long)v->i); break;
    case SYNADB_TYPE_TEXT:
        fputc('"', f);
        put_escaped(f, (const char *)v->data, v->len, ESC_QUOTED);
        fputc('"', f);
        break;
    case SYNADB_TYPE_BYTES:
        n = v->len < MAX_SHOWN_BYTES ? v->len : MAX_SHOWN_BYTES;
        fprintf(f, "[%zu byte%s]", v->len, v->len == 1 ? "" : "s");
        if (n) { fputc(' ', f); put_hex(f, v->data, n); }
        if (n < v->len) fputs("...", f);
        break;
    case SYNADB_TYPE_VECTOR:
        n = v->dims < MAX_SHOWN_DIMS ? v->dims : MAX_SHOWN_DIMS;
        fprintf(f, "[%u dim%s]", (unsigned)v->dims, v->dims == 1 ? "" : "s");
        for (i = 0; i < n; i++) { fputs(i ? ", " : " ", f); put_float32(f, vec_at(v->data, i), 0); }
        if (n < v->dims) fputs(", ...", f);
        break;
    default: fprintf(f, "(unknown type %d)", (int)v->type); return;
    }
    if (suffix) fprintf(f, " (%s)", type_name(v->type));
}

/* The JSON members of a value: "type":...,"value":... (bytes also "len", vectors "dims"). */
static void put_value_json(FILE *f, const synadb_value *v) {
    size_t i;
    fprintf(f, "\"type\":\"%s\"", type_name(v->type));
    switch (v->type) {
    case SYNADB_TYPE_NULL: fputs(",\"value\":null", f); break;
    case SYNADB_TYPE_FLOAT: fputs(",\"value\":", f); put_double(f, v->f, 1); break;
    case SYNADB_TYPE_INT: fprintf(f, ",\"value\":%lld", (long long)v->i); break;
    case SYNADB_TYPE_TEXT: fputs(",\"value\":", f); put_json_str(f, (const char *)v->data, v->len); break;
    case SYNADB_TYPE_BYTES:
        fprintf(f, ",\"len\":%zu,\"value\":\"", v->len);
        put_hex(f, v->data, v->len);
        fputc('"', f);
        break;
    case SYNADB_TYPE_VECTOR:
        fprintf(f, ",\"dims\":%u,\"value\":[", (unsigned)v->dims);
        for (i = 0; i < v->dims; i++) { if (i) fputc(',', f); put_float32(f, vec_at(v->data, i), 1); }
        fputc(']', f);
        break;
    default: fputs(",\"value\":null", f); break;
    }
}

/* ------------------------------------------------------------------ opening */

static void log_warning(void *user, int level, int item, const char *message) {
    (void)user; (void)item;
    if (level == SYNADB_LOG_WARN) fprintf(stderr, "syna: warning: %s\n", message);
}

/* Opens o->path read-only, or for writing when writable and not --read-only. Prints the
   reason on failure and returns NULL. */
static synadb_db *open_db(const opts *o, int writable) {
    synadb_config cfg = synadb_config_default();
    synadb_db *db = NULL;
    char err[1024];
    synadb_result r;
    cfg.read_only = !writable || o->read_only;
    cfg.salvage = o->salvage;
    cfg.logger = log_warning;
    r = synadb_open_ex(o->path, &cfg, &db, err, sizeof err);
    if (r == SYNADB_OK) return db;
    if (r == SYNADB_ERR_NOT_FOUND && cfg.read_only) {
        fprintf(stderr, "syna: database not found: %s\n", o->path);
    } else if (r == SYNADB_ERR_LOCKED) {
        fprintf(stderr, "syna: %s: database is locked: another process or handle has it open for writing (%s)\n", o->path, err);
    } else {
        fprintf(stderr, "syna: cannot open %s: %s (%s)\n", o->path, synadb_result_str(r), err);
        if (r == SYNADB_ERR_CORRUPT) { /* damaged records can be skipped, a damaged header cannot */
            synadb_scan_report rep;
            memset(&rep, 0, sizeof rep);
            if (synadb_scan_file(o->path, NULL, NULL, &rep) == SYNADB_ERR_CORRUPT && !rep.header_status && rep.bad_regions)
                fprintf(stderr, "syna: run 'syna %s verify' to see the damage, or add --salvage to skip it\n", o->path);
        }
    }
    return NULL;
}

/* Closes db; a failing close (final flush) is an error. */
static int close_db(const opts *o, synadb_db *db, int status) {
    synadb_result r = synadb_close(db);
    if (r != SYNADB_OK) {
        fprintf(stderr, "syna: %s: closing failed: %s\n", o->path, synadb_result_str(r));
        return status ? status : EXIT_FAIL;
    }
    return status;
}

/* Reports a failed operation on KEY (key may be NULL) and returns EXIT_FAIL. */
static int op_failed(const opts *o, synadb_db *db, const char *what, const char *key, synadb_result r) {
    if (r == SYNADB_ERR_KEY_NOT_FOUND && key) {
        fputs("syna: key not found: ", stderr);
        put_escaped(stderr, key, strlen(key), ESC_PLAIN);
        fprintf(stderr, " (in %s)\n", o->path);
        return EXIT_FAIL;
    }
    fprintf(stderr, "syna: %s: %s", o->path, what);
    if (key) { fputs(" ", stderr); put_escaped(stderr, key, strlen(key), ESC_PLAIN); }
    fprintf(stderr, " failed: %s (%s)\n", synadb_result_str(r), synadb_errmsg(db));
    return EXIT_FAIL;
}

/* ------------------------------------------------------------------ info */

typedef struct segment { const char *p; size_t n, count; } segment;

static int seg_cmp_name(const void *a, const void *b) {
    const segment *x = (const segment *)a, *y = (const segment *)b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, n);
    return c ? c : (x->n < y->n ? -1 : x->n > y->n);
}
static int seg_cmp_count(const void *a, const void *b) {
    const segment *x = (const segment *)a, *y = (const segment *)b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return seg_cmp_name(a, b);
}

/* The distinct first segments (up to the first '/') of the keys with their counts, most
   frequent first. Returns the number of distinct segments (0 with *out NULL if none). */
static size_t key_prefixes(const synadb_keylist *kl, segment **out) {
    segment *s;
    size_t i, n = 0;
    *out = NULL;
    if (!kl->count) return 0;
    s = (segment *)malloc(kl->count * sizeof *s);
    if (!s) return 0;
    for (i = 0; i < kl->count; i++) {
        const char *slash = (const char *)memchr(kl->keys[i], '/', kl->lens[i]);
        s[i].p = kl->keys[i];
        s[i].n = slash ? (size_t)(slash - kl->keys[i]) : kl->lens[i];
        s[i].count = 1;
    }
    qsort(s, kl->count, sizeof *s, seg_cmp_name);
    for (i = 0; i < kl->count; i++) {
        if (n && seg_cmp_name(&s[n - 1], &s[i]) == 0) s[n - 1].count++;
        else s[n++] = s[i];
    }
    qsort(s, n, sizeof *s, seg_cmp_count);
    *out = s;
    return n;
}

static int cmd_info(const opts *o) {
    synadb_db *db = open_db(o, 0);
    synadb_stats st;
    synadb_keylist kl;
    segment *seg = NULL;
    size_t nseg, i, shown;
    synadb_result r;
    FILE *f = stdout;
    if (!db) return EXIT_FAIL;
    r = synadb_stats_get(db, &st);
    if (r) return close_db(o, db, op_failed(o, db, "stats", NULL, r));
    r = synadb_keys(db, NULL, 0, &kl);
    if (r) return close_db(o, db, op_failed(o, db, "listing keys", NULL, r));
    nseg = key_prefixes(&kl, &seg);
    if (kl.count && !seg) {
        synadb_keylist_free(db, &kl);
        fprintf(stderr, "syna: out of memory\n");
        return close_db(o, db, EXIT_FAIL);
    }
    shown = nseg < 10 ? nseg : 10;
    if (o->json) {
        fputs("{\"path\":", f);
        put_json_cstr(f, o->path);
        fprintf(f, ",\"file_bytes\":%llu,\"allocated_bytes\":%llu,\"format_version\":%u,\"keys\":%llu,"
                   "\"records\":%llu,\"versions\":%llu,\"live_bytes\":%llu,\"index_bytes\":%llu,"
                   "\"torn_tail_bytes\":%llu,\"discarded_batch_records\":%llu,\"salvaged_bytes\":%llu,"
                   "\"next_seq\":%llu,\"read_only\":%s,\"mmap\":%s,\"key_prefixes\":[",
                (unsigned long long)st.file_bytes, (unsigned long long)st.allocated_bytes, (unsigned)st.format_version,
                (unsigned long long)st.keys, (unsigned long long)st.records, (unsigned long long)st.versions,
                (unsigned long long)st.live_bytes, (unsigned long long)st.index_bytes,
                (unsigned long long)st.torn_tail_bytes, (unsigned long long)st.discarded_batch_records,
                (unsigned long long)st.salvaged_bytes, (unsigned long long)st.next_seq,
                st.read_only ? "true" : "false", st.mmap ? "true" : "false");
        for (i = 0; i < shown; i++) {
            fputs(i ? ",{\"prefix\":" : "{\"prefix\":", f);
            put_json_str(f, seg[i].p, seg[i].n);
            fprintf(f, ",\"count\":%zu}", seg[i].count);
        }
        fprintf(f, "],\"distinct_prefixes\":%zu}\n", nseg);
    } else {
        fputs("path:            ", f);
        put_escaped(f, o->path, strlen(o->path), ESC_PLAIN);
        fprintf(f, "\nfile size:       %llu bytes\n", (unsigned long long)st.file_bytes);
        fprintf(f, "allocated size:  %llu bytes\n", (unsigned long long)st.allocated_bytes);
        fprintf(f, "format version:  %u\n", (unsigned)st.format_version);
        fprintf(f, "keys:            %llu\n", (unsigned long long)st.keys);
        fprintf(f, "records:         %llu\n", (unsigned long long)st.records);
        fprintf(f, "versions:        %llu\n", (unsigned long long)st.versions);
        fprintf(f, "live data:       %llu bytes\n", (unsigned long long)st.live_bytes);
        fprintf(f, "index memory:    %llu bytes\n", (unsigned long long)st.index_bytes);
        fprintf(f, "torn tail:       %llu bytes cut at open\n", (unsigned long long)st.torn_tail_bytes);
        if (st.discarded_batch_records)
            fprintf(f, "partial batch:   %llu records discarded at open\n", (unsigned long long)st.discarded_batch_records);
        if (st.salvaged_bytes)
            fprintf(f, "salvaged:        %llu damaged bytes skipped at open\n", (unsigned long long)st.salvaged_bytes);
        if (nseg > shown) fprintf(f, "key prefixes:    top %zu of %zu\n", shown, nseg);
        else fprintf(f, "key prefixes:    %zu\n", nseg);
        for (i = 0; i < shown; i++) {
            fprintf(f, "  %8zu  ", seg[i].count);
            put_escaped(f, seg[i].p, seg[i].n, ESC_PLAIN);
            fputc('\n', f);
        }
    }
    free(seg);
    synadb_keylist_free(db, &kl);
    return close_db(o, db, 0);
}

/* ------------------------------------------------------------------ keys / get */

static int cmd_keys(const opts *o) {
    const char *glob = o->argc > 0 ? o->argv[0] : NULL;
    synadb_db *db = open_db(o, 0);
    synadb_keylist kl;
    synadb_result r;
    size_t i;
    if (!db) return EXIT_FAIL;
    r = synadb_keys(db, glob, glob ? SYNADB_NTS : 0, &kl);
    if (r) return close_db(o, db, op_failed(o, db, "listing keys", NULL, r));
    if (o->json) fputc('[', stdout);
    for (i = 0; i < kl.count; i++) {
        if (o->json) {
            if (i) fputc(',', stdout);
            put_json_str(stdout, kl.keys[i], kl.lens[i]);
        } else {
            put_escaped(stdout, kl.keys[i], kl.lens[i], ESC_PLAIN);
            fputc('\n', stdout);
        }
    }
    if (o->json) fputs("]\n", stdout);
    synadb_keylist_free(db, &kl);
    return close_db(o, db, 0);
}

static int cmd_get(const opts *o) {
    const char *key = o->argv[0];
    synadb_db *db = open_db(o, 0);
    synadb_value v;
    synadb_result r;
    if (!db) return EXIT_FAIL;
    r = synadb_get(db, key, SYNADB_NTS, &v);
    if (r) return close_db(o, db, op_failed(o, db, "get", key, r));
    if (o->json) {
        fputs("{\"key\":", stdout);
        put_json_cstr(stdout, key);
        fputc(',', stdout);
        put_value_json(stdout, &v);
        fputs("}\n", stdout);
    } else {
        put_value_human(stdout, &v, 1);
        fputc('\n', stdout);
    }
    synadb_value_free(db, &v);
    return close_db(o, db, 0);
}

/* ------------------------------------------------------------------ put */

static int parse_double(const char *s, double *out) {
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    if (end == s || *end) return -1;
    if (errno == ERANGE && isinf(*out)) return -1;
    return 0;
}

static int hex_digit(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Parses the VALUE of put into *v; buffers it needs go to *mem (free it). Returns 0, or
   prints a usage error and returns EXIT_USAGE. */
static int parse_value(const char *type, const char *text, synadb_value *v, void **mem) {
    memset(v, 0, sizeof *v);
    *mem = NULL;
    if (!strcmp(type, "null")) {
        if (text) return usage_error("put: type null takes no VALUE (got '%s')", text);
        v->type = SYNADB_TYPE_NULL;
        return 0;
    }
    if (!text) return usage_error("put: type %s needs a VALUE", type);
    if (!strcmp(type, "float") || !strcmp(type, "f")) {
        v->type = SYNADB_TYPE_FLOAT;
        if (parse_double(text, &v->f)) return usage_error("put: '%s' is not a float", text);
    } else if (!strcmp(type, "int") || !strcmp(type, "i")) {
        char *end;
        long long x;
        errno = 0;
        x = strtoll(text, &end, 10);
        if (end == text || *end || errno == ERANGE) return usage_error("put: '%s' is not a 64-bit int", text);
        v->type = SYNADB_TYPE_INT;
        v->i = (int64_t)x;
    } else if (!strcmp(type, "text") || !strcmp(type, "t")) {
        v->type = SYNADB_TYPE_TEXT;
        v->data = text;
        v->len = strlen(text);
    } else if (!strcmp(type, "bytes") || !strcmp(type, "b")) {
        const char *h = text;
        size_t n, i;
        unsigned char *buf;
        if (h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) h += 2;
        n = strlen(h);
        if (n % 2) return usage_error("put: '%s' is not hex (odd number of digits)", text);
        buf = (unsigned char *)malloc(n / 2 + 1);
        if (!buf) { fprintf(stderr, "syna: out of memory\n"); return EXIT_FAIL; }
        for (i = 0; i < n / 2; i++) {
            int hi = hex_digit((unsigned char)h[2 * i]), lo = hex_digit((unsigned char)h[2 * i + 1]);
            if (hi < 0 || lo < 0) { free(buf); return usage_error("put: '%s' is not hex", text); }
            buf[i] = (unsigned char)(hi * 16 + lo);
        }
        v->type = SYNADB_TYPE_BYTES;
        v->data = buf;
        v->len = n / 2;
        *mem = buf;
    } else if (!strcmp(type, "vector") || !strcmp(type, "v")) {
        size_t dims = 1, i = 0;
        const char *p;
        float *vec;
        for (p = text; *p; p++) if (*p == ',') dims++;
        if (dims > SYNADB_MAX_VECTOR_DIMS) return usage_error("put: a vector has at most %u components", SYNADB_MAX_VECTOR_DIMS);
        vec = (float *)malloc(dims * sizeof *vec);
        if (!vec) { fprintf(stderr, "syna: out of memory\n"); return EXIT_FAIL; }
        for (p = text; i < dims; i++) {
            char tok[128];
            const char *comma = strchr(p, ','), *b = p, *e = comma ? comma : p + strlen(p);
            double d;
            while (b < e && (*b == ' ' || *b == '\t')) b++;
            while (e > b && (e[-1] == ' ' || e[-1] == '\t')) e--;
            if ((size_t)(e - b) >= sizeof tok || e == b || (memcpy(tok, b, (size_t)(e - b)), tok[e - b] = 0, parse_double(tok, &d)) ||
                (isfinite(d) && fabs(d) > FLT_MAX)) {
                free(vec);
                return usage_error("put: '%s' is not a comma-separated list of floats", text);
            }
            vec[i] = (float)d;
            p = comma ? comma + 1 : e;
        }
        v->type = SYNADB_TYPE_VECTOR;
        v->data = vec;
        v->dims = (uint32_t)dims;
        v->len = dims * sizeof *vec;
        *mem = vec;
    } else {
        return usage_error("put: unknown TYPE '%s' (float|f, int|i, text|t, bytes|b, vector|v, null)", type);
    }
    return 0;
}

static int cmd_put(const opts *o) {
    const char *key = o->argv[0];
    synadb_value v;
    void *mem;
    synadb_db *db;
    uint64_t off = 0;
    synadb_result r;
    int status = parse_value(o->argv[1], o->argc > 2 ? o->argv[2] : NULL, &v, &mem);
    static const unsigned char empty[1] = {0};
    if (status) return status;
    if (v.type == SYNADB_TYPE_BYTES && !v.data) v.data = empty;
    db = open_db(o, 1);
    if (!db) { free(mem); return EXIT_FAIL; }
    r = synadb_put(db, key, SYNADB_NTS, &v, &off);
    free(mem);
    if (r) return close_db(o, db, op_failed(o, db, "put", key, r));
    if (o->json) {
        fputs("{\"key\":", stdout);
        put_json_cstr(stdout, key);
        fprintf(stdout, ",\"type\":\"%s\",\"offset\":%llu}\n", type_name(v.type), (unsigned long long)off);
    } else {
        fprintf(stdout, "stored at offset %llu\n", (unsigned long long)off);
    }
    return close_db(o, db, 0);
}

/* ------------------------------------------------------------------ history / del */

static int cmd_history(const opts *o) {
    const char *key = o->argv[0];
    synadb_db *db = open_db(o, 0);
    synadb_type t;
    synadb_result r;
    double *fv = NULL;
    int64_t *iv = NULL;
    size_t n = 0, versions = 0, i;
    int ints;
    if (!db) return EXIT_FAIL;
    r = synadb_get_type(db, key, SYNADB_NTS, &t);
    if (r) return close_db(o, db, op_failed(o, db, "history", key, r));
    ints = t == SYNADB_TYPE_INT;
    r = ints ? synadb_history_ints(db, key, SYNADB_NTS, &iv, &n) : synadb_history_floats(db, key, SYNADB_NTS, &fv, &n);
    if (!r) r = synadb_history_len(db, key, SYNADB_NTS, &versions);
    if (r) {
        synadb_free(db, fv);
        synadb_free(db, iv);
        return close_db(o, db, op_failed(o, db, "history", key, r));
    }
    if (o->json) fputc('[', stdout);
    for (i = 0; i < n; i++) {
        if (o->json && i) fputc(',', stdout);
        if (ints) fprintf(stdout, "%lld", (long long)iv[i]);
        else put_double(stdout, fv[i], o->json);
        if (!o->json) fputc('\n', stdout);
    }
    if (o->json) fputs("]\n", stdout);
    else fprintf(stdout, "%zu %s value%s (%zu version%s)\n", n, ints ? "int" : "float", n == 1 ? "" : "s",
                 versions, versions == 1 ? "" : "s");
    synadb_free(db, fv);
    synadb_free(db, iv);
    return close_db(o, db, 0);
}

static int cmd_del(const opts *o) {
    const char *key = o->argv[0];
    synadb_db *db = open_db(o, 1);
    synadb_result r;
    if (!db) return EXIT_FAIL;
    r = synadb_delete(db, key, SYNADB_NTS);
    if (r) return close_db(o, db, op_failed(o, db, "delete", key, r));
    if (o->json) {
        fputs("{\"key\":", stdout);
        put_json_cstr(stdout, key);
        fputs(",\"deleted\":true}\n", stdout);
    } else {
        fputs("deleted ", stdout);
        put_escaped(stdout, key, strlen(key), ESC_PLAIN);
        fputc('\n', stdout);
    }
    return close_db(o, db, 0);
}

/* ------------------------------------------------------------------ compact */

static int cmd_compact(const opts *o, int keep_history) {
    synadb_db *db = open_db(o, 1);
    synadb_stats before, after;
    synadb_result r;
    long long saved;
    if (!db) return EXIT_FAIL;
    r = synadb_stats_get(db, &before);
    if (!r) r = synadb_compact(db, keep_history ? SYNADB_COMPACT_KEEP_HISTORY : 0);
    if (r) return close_db(o, db, op_failed(o, db, "compaction", NULL, r));
    r = synadb_stats_get(db, &after);
    if (r) return close_db(o, db, op_failed(o, db, "stats", NULL, r));
    saved = (long long)before.file_bytes - (long long)after.file_bytes;
    if (o->json) {
        fprintf(stdout, "{\"before_bytes\":%llu,\"after_bytes\":%llu,\"saved_bytes\":%lld,"
                        "\"before_records\":%llu,\"after_records\":%llu,\"keep_history\":%s}\n",
                (unsigned long long)before.file_bytes, (unsigned long long)after.file_bytes, saved,
                (unsigned long long)before.records, (unsigned long long)after.records, keep_history ? "true" : "false");
    } else {
        fprintf(stdout, "before: %llu bytes (%llu records)\n", (unsigned long long)before.file_bytes, (unsigned long long)before.records);
        fprintf(stdout, "after:  %llu bytes (%llu records)\n", (unsigned long long)after.file_bytes, (unsigned long long)after.records);
        fprintf(stdout, "saved:  %lld bytes (%.1f%%)\n", saved,
                before.file_bytes ? 100.0 * (double)saved / (double)before.file_bytes : 0.0);
    }
    return close_db(o, db, 0);
}

/* ------------------------------------------------------------------ verify / dump */

/* Why synadb_scan_file refused the file (report.header_status). */
static const char *header_problem(synadb_result s) {
    switch (s) {
    case SYNADB_ERR_NOT_A_DATABASE: return "not a SynaDB file";
    case SYNADB_ERR_VERSION: return "newer format version (or unknown format features)";
    case SYNADB_ERR_CORRUPT: case SYNADB_ERR_CHECKSUM: return "header checksum mismatch";
    default: return synadb_result_str(s);
    }
}

/* Handles a synadb_scan_file result that is not a scan: missing file, refused header,
   I/O. Returns the exit status, or -1 if the scan went through (OK or CORRUPT). */
static int scan_failed(const opts *o, synadb_result r, const synadb_scan_report *rep) {
    if (r == SYNADB_OK || (r == SYNADB_ERR_CORRUPT && rep->bad_regions && !rep->header_status)) return -1;
    if (r == SYNADB_ERR_NOT_FOUND) fprintf(stderr, "syna: database not found: %s\n", o->path);
    else if (rep->header_status) {
        fprintf(stderr, "syna: %s: %s", o->path, header_problem(rep->header_status));
        if (rep->header_status == SYNADB_ERR_VERSION) fprintf(stderr, " (file version %u, this build reads %d)", (unsigned)rep->format_version, SYNADB_FORMAT_VERSION);
        fputc('\n', stderr);
    } else fprintf(stderr, "syna: %s: scan failed: %s\n", o->path, synadb_result_str(r));
    return EXIT_FAIL;
}

static const char *region_name(int kind) { return kind == SYNADB_SCAN_DAMAGE ? "damaged" : "tail"; }

/* A damaged or tail region, copied out of the scan callback. */
typedef struct region {
    int kind;
    uint64_t offset, length, seq;
    int32_t status;
    char problem[160];
} region;
typedef struct verify_ctx { region *r; size_t n, cap; int oom; } verify_ctx;

static int verify_cb(void *user, const synadb_record_info *rec) {
    verify_ctx *c = (verify_ctx *)user;
    region *g;
    if (rec->kind == SYNADB_SCAN_RECORD) return 0;
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 16;
        region *nr = (region *)realloc(c->r, nc * sizeof *nr);
        if (!nr) { c->oom = 1; return 1; }
        c->r = nr;
        c->cap = nc;
    }
    g = &c->r[c->n++];
    g->kind = rec->kind;
    g->offset = rec->offset;
    g->length = rec->length;
    g->seq = rec->seq;
    g->status = rec->status;
    snprintf(g->problem, sizeof g->problem, "%s", rec->problem ? rec->problem : synadb_result_str(rec->status));
    return 0;
}

static void put_summary_json(FILE *f, const synadb_scan_report *rep) {
    fprintf(f, "\"file_bytes\":%llu,\"format_version\":%u,\"records\":%llu,\"damaged_regions\":%llu,"
               "\"damaged_bytes\":%llu,\"tail_bytes\":%llu,\"live_keys\":%llu",
            (unsigned long long)rep->file_bytes, (unsigned)rep->format_version, (unsigned long long)rep->records,
            (unsigned long long)rep->bad_regions, (unsigned long long)rep->bad_bytes,
            (unsigned long long)rep->tail_bytes, (unsigned long long)rep->live_keys);
}
static void put_summary_human(FILE *f, const synadb_scan_report *rep) {
    fprintf(f, "%llu record%s, %llu damaged region%s (%llu bytes), %llu tail bytes, %llu live key%s\n",
            (unsigned long long)rep->records, rep->records == 1 ? "" : "s",
            (unsigned long long)rep->bad_regions, rep->bad_regions == 1 ? "" : "s", (unsigned long long)rep->bad_bytes,
            (unsigned long long)rep->tail_bytes, (unsigned long long)rep->live_keys, rep->live_keys == 1 ? "" : "s");
}

static int cmd_verify(const opts *o) {
    verify_ctx c;
    synadb_scan_report rep;
    synadb_result r;
    size_t i;
    int status;
    const char *verdict;
    memset(&c, 0, sizeof c);
    memset(&rep, 0, sizeof rep);
    r = synadb_scan_file(o->path, verify_cb, &c, &rep);
    if (c.oom) { free(c.r); fprintf(stderr, "syna: out of memory\n"); return EXIT_FAIL; }
    status = scan_failed(o, r, &rep);
    if (status >= 0) { free(c.r); return status; }
    status = rep.bad_regions ? EXIT_DAMAGED : 0;
    verdict = rep.bad_regions ? "damaged" : rep.tail_bytes ? "tail" : "ok";
    if (o->json) {
        fputs("{\"path\":", stdout);
        put_json_cstr(stdout, o->path);
        fprintf(stdout, ",\"status\":\"%s\",", verdict);
        put_summary_json(stdout, &rep);
        if (rep.bad_regions) fprintf(stdout, ",\"first_bad_offset\":%llu", (unsigned long long)rep.first_bad_offset);
        else fputs(",\"first_bad_offset\":null", stdout);
        fputs(",\"regions\":[", stdout);
        for (i = 0; i < c.n; i++) {
            fprintf(stdout, "%s{\"kind\":\"%s\",\"offset\":%llu,\"length\":%llu,\"seq\":%llu,\"problem\":", i ? "," : "",
                    region_name(c.r[i].kind), (unsigned long long)c.r[i].offset, (unsigned long long)c.r[i].length,
                    (unsigned long long)c.r[i].seq);
            put_json_cstr(stdout, c.r[i].problem);
            fputc('}', stdout);
        }
        fputs("]}\n", stdout);
    } else {
        for (i = 0; i < c.n; i++)
            fprintf(stdout, "%-7s  offset %llu  length %llu  seq %llu: %s\n", region_name(c.r[i].kind),
                    (unsigned long long)c.r[i].offset, (unsigned long long)c.r[i].length,
                    (unsigned long long)c.r[i].seq, c.r[i].problem);
        if (rep.bad_regions)
            fprintf(stdout, "DAMAGED: opening fails unless --salvage is given, which skips the damaged bytes\n");
        else if (rep.tail_bytes)
            fprintf(stdout, "WARNING: %llu bytes at the end are a partial record or an incomplete batch; "
                            "opening the database for writing cuts them off\n", (unsigned long long)rep.tail_bytes);
        fprintf(stdout, "%s: ", rep.bad_regions ? "damaged" : rep.tail_bytes ? "ok with warnings" : "ok");
        put_summary_human(stdout, &rep);
    }
    free(c.r);
    return status;
}

typedef struct dump_ctx { int json, first; } dump_ctx;

/* On-disk record flags, bit i = flag_names[i] (synadb.h, FILE FORMAT: 0x01 delta, 0x02 LZ4,
   0x04 tombstone, 0x08 aligned, 0x10 block, 0x20 batch-continues). */
static const char *const flag_names[] = {"delta", "lz4", "tomb", "aligned", "block", "batch"};
enum { FLAG_BLOCK = 0x10 };

static void dump_record_human(FILE *f, const synadb_record_info *rec) {
    size_t i;
    int any = 0;
    fprintf(f, "offset=%llu len=%llu seq=%llu type=%s flags=", (unsigned long long)rec->offset,
            (unsigned long long)rec->length, (unsigned long long)rec->seq, type_name(rec->type));
    for (i = 0; i < 6; i++)
        if (rec->flags & (1u << i)) { fprintf(f, "%s%s", any ? "," : "", flag_names[i]); any = 1; }
    if (!any) fputc('-', f);
    fputs(" key=\"", f);
    put_escaped(f, rec->key, rec->key_len, ESC_QUOTED);
    fputs("\" ", f);
    if (rec->status != SYNADB_OK) fprintf(f, "ERROR: %s", rec->problem ? rec->problem : synadb_result_str(rec->status));
    else if (rec->tombstone) fputs("(deleted)", f);
    else if (rec->type == SYNADB_TYPE_FLOAT && (rec->flags & FLAG_BLOCK)) {
        fprintf(f, "value=[block of %llu] first ", (unsigned long long)rec->block_count);
        put_double(f, rec->block_count ? f64_at(rec->value.data, 0) : rec->value.f, 0);
        fputs(", last ", f);
        put_double(f, rec->block_count ? f64_at(rec->value.data, (size_t)rec->block_count - 1) : rec->value.f, 0);
    } else {
        fputs("value=", f);
        put_value_human(f, &rec->value, 0);
    }
    fputc('\n', f);
}

static void dump_record_json(FILE *f, const synadb_record_info *rec) {
    size_t i;
    int any = 0;
    fprintf(f, "{\"kind\":\"record\",\"offset\":%llu,\"length\":%llu,\"seq\":%llu,\"key\":",
            (unsigned long long)rec->offset, (unsigned long long)rec->length, (unsigned long long)rec->seq);
    put_json_str(f, rec->key, rec->key_len);
    fputs(",\"flags\":[", f);
    for (i = 0; i < 6; i++)
        if (rec->flags & (1u << i)) { fprintf(f, "%s\"%s\"", any ? "," : "", flag_names[i]); any = 1; }
    fprintf(f, "],\"tombstone\":%s,", rec->tombstone ? "true" : "false");
    if (rec->status != SYNADB_OK || rec->tombstone) {
        fprintf(f, "\"type\":\"%s\"", type_name(rec->type));
        if (rec->status != SYNADB_OK) {
            fputs(",\"status\":", f);
            put_json_cstr(f, synadb_result_str(rec->status));
            fputs(",\"problem\":", f);
            put_json_cstr(f, rec->problem ? rec->problem : "");
        }
    } else if (rec->type == SYNADB_TYPE_FLOAT && (rec->flags & FLAG_BLOCK)) {
        fputs("\"type\":\"float\",\"value\":", f);
        put_double(f, rec->value.f, 1);
        fprintf(f, ",\"count\":%llu,\"values\":[", (unsigned long long)rec->block_count);
        for (i = 0; i < rec->block_count; i++) { if (i) fputc(',', f); put_double(f, f64_at(rec->value.data, i), 1); }
        fputc(']', f);
    } else {
        put_value_json(f, &rec->value);
    }
    fputc('}', f);
}

static int dump_cb(void *user, const synadb_record_info *rec) {
    dump_ctx *c = (dump_ctx *)user;
    FILE *f = stdout;
    if (c->json) { fputs(c->first ? "[\n" : ",\n", f); c->first = 0; }
    if (rec->kind == SYNADB_SCAN_RECORD) {
        if (c->json) dump_record_json(f, rec); else dump_record_human(f, rec);
        return 0;
    }
    if (c->json) {
        fprintf(f, "{\"kind\":\"%s\",\"offset\":%llu,\"length\":%llu,\"seq\":%llu,\"status\":", region_name(rec->kind),
                (unsigned long long)rec->offset, (unsigned long long)rec->length, (unsigned long long)rec->seq);
        put_json_cstr(f, synadb_result_str(rec->status));
        fputs(",\"problem\":", f);
        put_json_cstr(f, rec->problem ? rec->problem : "");
        fputc('}', f);
    } else {
        fprintf(f, "%s offset=%llu len=%llu seq=%llu: %s\n", rec->kind == SYNADB_SCAN_DAMAGE ? "DAMAGED" : "TAIL",
                (unsigned long long)rec->offset, (unsigned long long)rec->length, (unsigned long long)rec->seq,
                rec->problem ? rec->problem : synadb_result_str(rec->status));
    }
    return 0;
}

static int cmd_dump(const opts *o) {
    dump_ctx c;
    synadb_scan_report rep;
    synadb_result r;
    int status;
    c.json = o->json;
    c.first = 1;
    memset(&rep, 0, sizeof rep);
    r = synadb_scan_file(o->path, dump_cb, &c, &rep);
    status = scan_failed(o, r, &rep);
    if (status >= 0) {
        if (o->json && !c.first) fputs("\n]\n", stdout); /* keep what was printed valid JSON */
        return status;
    }
    if (o->json) {
        fputs(c.first ? "[\n{\"kind\":\"summary\"," : ",\n{\"kind\":\"summary\",", stdout);
        put_summary_json(stdout, &rep);
        fputs("}\n]\n", stdout);
    } else {
        put_summary_human(stdout, &rep);
    }
    return rep.bad_regions ? EXIT_DAMAGED : 0;
}

/* ------------------------------------------------------------------ export / import */

static int parse_format(const char *s, synadb_io_format *f) {
    if (!strcmp(s, "json")) *f = SYNADB_IO_JSON;
    else if (!strcmp(s, "jsonl") || !strcmp(s, "ndjson") || !strcmp(s, "jsonlines")) *f = SYNADB_IO_JSONL;
    else if (!strcmp(s, "csv")) *f = SYNADB_IO_CSV;
    else return -1;
    return 0;
}
static const char *format_name(synadb_io_format f) { return f == SYNADB_IO_JSON ? "json" : f == SYNADB_IO_JSONL ? "jsonl" : "csv"; }
static int stdout_write(void *user, const void *data, size_t len) {
    (void)user;
    return fwrite(data, 1, len, stdout) != len;
}
static int cmd_export(const opts *o) {
    synadb_io_format fmt;
    const char *glob = NULL, *out = NULL;
    synadb_io_info info;
    synadb_db *db;
    synadb_result r;
    int i;
    if (parse_format(o->argv[0], &fmt)) return usage_error("export: unknown FORMAT '%s' (json, jsonl, csv)", o->argv[0]);
    for (i = 1; i < o->argc; i++) {
        if (!strcmp(o->argv[i], "-o") || !strcmp(o->argv[i], "--output")) {
            if (i + 1 >= o->argc) return usage_error("export: %s needs a FILE", o->argv[i]);
            if (out) return usage_error("export: more than one output FILE");
            out = o->argv[++i];
            if (!*out) return usage_error("export: FILE is empty");
        } else if (!glob) glob = o->argv[i];
        else return usage_error("export: unexpected argument '%s'", o->argv[i]);
    }
    db = open_db(o, 0);
    if (!db) return EXIT_FAIL;
    if (out) r = synadb_io_export_file(db, fmt, glob, out, &info);
    else r = synadb_io_export(db, fmt, glob, stdout_write, NULL, &info);
    if (r) return close_db(o, db, op_failed(o, db, "export", NULL, r));
    if (out && o->json) {
        fprintf(stdout, "{\"exported\":%llu,\"format\":\"%s\",\"output\":", (unsigned long long)info.records, format_name(fmt));
        put_json_cstr(stdout, out);
        fputs("}\n", stdout);
    } else if (out) {
        fprintf(stdout, "exported %llu records to ", (unsigned long long)info.records);
        put_escaped(stdout, out, strlen(out), ESC_PLAIN);
        fprintf(stdout, " (%s)\n", format_name(fmt));
    }
    return close_db(o, db, 0);
}
static int cmd_import(const opts *o) {
    synadb_io_format fmt;
    const char *file = o->argv[1], *prefix = o->argc > 2 ? o->argv[2] : NULL;
    synadb_io_info info;
    synadb_db *db;
    synadb_result r;
    if (parse_format(o->argv[0], &fmt)) return usage_error("import: unknown FORMAT '%s' (json, jsonl, csv)", o->argv[0]);
    if (!*file) return usage_error("import: FILE is empty");
    if (prefix && strlen(prefix) > SYNADB_MAX_KEY_LEN) return usage_error("import: PREFIX is longer than 65535 bytes");
    db = open_db(o, 1);
    if (!db) return EXIT_FAIL;
    if (!strcmp(file, "-")) {
        size_t n = 0, cap = 1 << 16, got;
        char *buf = (char *)malloc(cap);
        while (buf && (got = fread(buf + n, 1, cap - n, stdin)) > 0) {
            n += got;
            if (n == cap) { char *nb = (char *)realloc(buf, cap * 2); if (!nb) { free(buf); buf = NULL; break; } buf = nb; cap *= 2; }
        }
        if (!buf || ferror(stdin)) {
            free(buf);
            fprintf(stderr, "syna: reading stdin failed\n");
            return close_db(o, db, EXIT_FAIL);
        }
        r = synadb_io_import(db, fmt, buf, n, prefix, &info);
        free(buf);
    } else r = synadb_io_import_file(db, fmt, file, prefix, &info);
    if (r) return close_db(o, db, op_failed(o, db, "import", NULL, r));
    if (o->json) fprintf(stdout, "{\"imported\":%llu,\"format\":\"%s\"}\n", (unsigned long long)info.records, format_name(fmt));
    else fprintf(stdout, "imported %llu records (%s)\n", (unsigned long long)info.records, format_name(fmt));
    return close_db(o, db, 0);
}

/* ------------------------------------------------------------------ main */

/* Minimum and maximum number of arguments after each command. */
static const struct { const char *name; int min, max; } commands[] = {
    {"info", 0, 0}, {"keys", 0, 1}, {"get", 1, 1}, {"put", 2, 3}, {"history", 1, 1},
    {"del", 1, 1}, {"delete", 1, 1}, {"compact", 0, 1}, {"verify", 0, 0}, {"dump", 0, 0},
    {"export", 1, 4}, {"import", 2, 3},
};

int main(int argc, char **argv) {
    opts o;
    int i = 1, status;
    size_t c;
    memset(&o, 0, sizeof o);
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) { i++; break; }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { fputs(usage_text, stdout); return 0; }
        else if (!strcmp(a, "--json")) o.json = 1;
        else if (!strcmp(a, "--read-only")) o.read_only = 1;
        else if (!strcmp(a, "--salvage")) o.salvage = 1;
        else return usage_error("unknown option '%s'", a);
    }
    if (argc < 2) { fputs(usage_text, stderr); return EXIT_USAGE; }
    if (i >= argc) return usage_error("missing DBFILE");
    o.path = argv[i++];
    if (!*o.path) return usage_error("DBFILE is empty");
    if (i < argc && (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help") || !strcmp(argv[i], "help"))) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (i >= argc) return usage_error("missing COMMAND");
    o.cmd = argv[i++];
    o.argc = argc - i;
    o.argv = argv + i;
    for (c = 0; c < sizeof commands / sizeof commands[0]; c++) if (!strcmp(o.cmd, commands[c].name)) break;
    if (c == sizeof commands / sizeof commands[0]) return usage_error("unknown command '%s'", o.cmd);
    if (o.argc < commands[c].min) return usage_error("%s: missing arguments", o.cmd);
    if (o.argc > commands[c].max) return usage_error("%s: too many arguments", o.cmd);
    /* KEY arguments: 1..65535 bytes */
    if ((!strcmp(o.cmd, "get") || !strcmp(o.cmd, "put") || !strcmp(o.cmd, "history") || !strcmp(o.cmd, "del") ||
         !strcmp(o.cmd, "delete"))) {
        size_t n = strlen(o.argv[0]);
        if (!n) return usage_error("%s: KEY must not be empty", o.cmd);
        if (n > SYNADB_MAX_KEY_LEN) return usage_error("%s: KEY is longer than 65535 bytes", o.cmd);
    }

    if (!strcmp(o.cmd, "compact") && o.argc && strcmp(o.argv[0], "--keep-history"))
        return usage_error("compact: unknown option '%s'", o.argv[0]);

    if (!strcmp(o.cmd, "info")) status = cmd_info(&o);
    else if (!strcmp(o.cmd, "keys")) status = cmd_keys(&o);
    else if (!strcmp(o.cmd, "get")) status = cmd_get(&o);
    else if (!strcmp(o.cmd, "put")) status = cmd_put(&o);
    else if (!strcmp(o.cmd, "history")) status = cmd_history(&o);
    else if (!strcmp(o.cmd, "del") || !strcmp(o.cmd, "delete")) status = cmd_del(&o);
    else if (!strcmp(o.cmd, "compact")) status = cmd_compact(&o, o.argc > 0);
    else if (!strcmp(o.cmd, "verify")) status = cmd_verify(&o);
    else if (!strcmp(o.cmd, "export")) status = cmd_export(&o);
    else if (!strcmp(o.cmd, "import")) status = cmd_import(&o);
    else status = cmd_dump(&o);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "syna: writing the output failed: %s\n", strerror(errno));
        return status ? status : EXIT_FAIL;
    }
    return status;
}
