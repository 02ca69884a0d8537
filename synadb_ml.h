/* synadb_ml.h - v0.1.0 - machine-learning data on SynaDB: tensors, a model registry,
   experiment tracking, a reinforcement-learning experience collector, import/export,
   optional CUDA. MIT license, see synadb.h.                                  >>ml

   QUICK START
   -----------
   In exactly one C or C++ file (keep synadb.h next to this header):

       #define SYNADB_IMPLEMENTATION
       #include "synadb.h"
       #include "synadb_ml.h"

   CONTENTS
   --------
     >>ml.api        declarations shared by the parts: error codes, dtypes, SHA-256
       >>ml.tensor.api     TensorEngine
       >>ml.registry.api   ModelRegistry
       >>ml.exp.api        experiment tracking
       >>ml.rl.api         ExperienceCollector (reinforcement learning)
       >>ml.io.api         import / export (JSON, JSONL, CSV)
       >>ml.gpu.api        CUDA (SYNA_GPU_CUDA)
     >>ml.impl       implementation
       >>ml.sha256     SHA-256 (FIPS 180-4)
       >>ml.abireg     the path -> object registry of the ML exports
       >>ml.tensor, >>ml.registry, >>ml.exp, >>ml.rl, >>ml.io, >>ml.gpu

   CONFIGURATION
   -------------
     SYNA_GPU_CUDA   compile the CUDA calls (link with -lcudart); without it the GPU calls
                     return SYNADB_ERR_GPU_UNAVAILABLE ("GPU not compiled in").
     Everything else (allocator, threads, assert, mmap) comes from synadb.h.
*/
#ifndef SYNADB_ML_H
#define SYNADB_ML_H

#ifndef SYNADB_H
#include "synadb.h"
#endif
#ifndef SYNADB_H
#error "synadb_ml.h is built on synadb.h: keep synadb.h next to synadb_ml.h"
#endif

#ifndef SYNADB_ML_API
#define SYNADB_ML_API SYNADB_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== >>ml.api */
enum {
    SYNADB_ERR_SHAPE          = -70,  /* data size does not match the shape, or shapes disagree */
    SYNADB_ERR_DTYPE          = -71,  /* unknown dtype, or a value that cannot be converted */
    SYNADB_ERR_RUN_ENDED      = -72,  /* logging to a run that has ended */
    SYNADB_ERR_PARAM_CONFLICT = -73,  /* a parameter already logged with another value */
    SYNADB_ERR_SYNTAX         = -74   /* a filter, JSON or CSV text that does not parse (the message says where) */
};

/* Element types of tensors. The first four are the original's (same numbers in the ABI). */
typedef enum synadb_dtype {
    SYNADB_DTYPE_FLOAT32 = 0,
    SYNADB_DTYPE_FLOAT64 = 1,
    SYNADB_DTYPE_INT32 = 2,
    SYNADB_DTYPE_INT64 = 3,
    SYNADB_DTYPE_FLOAT16 = 4,
    SYNADB_DTYPE_BFLOAT16 = 5,
    SYNADB_DTYPE_UINT8 = 6
} synadb_dtype;
SYNADB_ML_API size_t synadb_dtype_size(synadb_dtype t);         /* bytes per element; 0 if unknown */
SYNADB_ML_API const char *synadb_dtype_name(synadb_dtype t);    /* "float32", ...; NULL if unknown */
SYNADB_ML_API int synadb_dtype_parse(const char *name, synadb_dtype *out); /* 0, or -1 if unknown */

/* SHA-256 (FIPS 180-4). Incremental: init, update any number of times, final. */
typedef struct synadb_sha256_ctx { uint32_t h[8]; uint64_t len; uint8_t buf[64]; size_t n; } synadb_sha256_ctx;
SYNADB_ML_API void synadb_sha256_init(synadb_sha256_ctx *s);
SYNADB_ML_API void synadb_sha256_update(synadb_sha256_ctx *s, const void *data, size_t len);
SYNADB_ML_API void synadb_sha256_final(synadb_sha256_ctx *s, uint8_t digest[32]);
SYNADB_ML_API void synadb_sha256(const void *data, size_t len, uint8_t digest[32]);
SYNADB_ML_API void synadb_sha256_hex(const uint8_t digest[32], char hex[65]);  /* 64 lower-case hex + NUL */
SYNADB_ML_API const char *synadb_sha256_impl(void);   /* "sha-ni" or "portable" */

/* ======================================================================== >>ml.tensor.api */
/* ======================================================================== >>ml.tensor.api end */

/* ======================================================================== >>ml.registry.api */
/* ======================================================================== >>ml.registry.api end */

/* ======================================================================== >>ml.exp.api */
/* Experiment tracking (MLflow-shaped): experiments, runs, params, tags, metrics, artifacts,
   and queries in MLflow's filter syntax.

     synadb_exp *t;
     char run[37];
     synadb_exp_open("runs.db", NULL, &t);
     synadb_exp_start_run(t, "mnist", NULL, 0, run);
     synadb_exp_log_param(t, run, "lr", "0.001");
     synadb_exp_log_metric(t, run, "loss", 0.25, 1);
     synadb_exp_end_run(t, run, SYNADB_EXP_COMPLETED);
     synadb_exp_query(t, "metrics.loss < 0.3 and params.lr = '0.001'", "metrics.loss ASC", 10, &ids);
     synadb_exp_close(t);

   Rules. A run id is a UUIDv4 (36 characters). A param keeps its first value: the same value
   again is accepted, another one is SYNADB_ERR_PARAM_CONFLICT. Tags are last-write-wins (also
   on ended runs). Metrics are append-only points (step, timestamp in Unix microseconds,
   double value; NaN and infinities are kept); a run's summary value of a metric is the point
   with the largest step, ties going to the largest timestamp, then to the later call.
   Logging params, metrics or artifacts to an ended run is SYNADB_ERR_RUN_ENDED. Unknown run:
   SYNADB_ERR_KEY_NOT_FOUND. Names (param, tag, metric keys, artifact names): 1..250 bytes of
   [A-Za-z0-9_-./ :] or UTF-8 (bytes >= 0x80), not starting with '/', no ".." component;
   param values <= 6000 bytes, tag values <= 5000, experiment names 1..500 bytes without
   control characters (MLflow's limits). Artifacts are stored once per SHA-256 of their bytes.

   Durability. start_run, end_run, params, tags and artifacts are written to the log at once
   and (unless cfg.no_sync) flushed to the device before the call returns. Metric points are
   buffered per series and written as one record per block_points points; flush() (also
   end_run and close) writes every buffered point and flushes the device: what a flush
   acknowledged survives kill -9 and power loss; points logged after the last flush may be
   lost by a crash (a buffer that filled was written to the log and survives kill -9).

   Threads: a handle may be used from many threads at once. */
typedef struct synadb_exp synadb_exp;
enum { SYNADB_EXP_RUNNING = 0, SYNADB_EXP_COMPLETED = 1, SYNADB_EXP_FAILED = 2, SYNADB_EXP_KILLED = 3 };
/* Pass as the step to use the current Unix time in microseconds (the original's None). */
#define SYNADB_EXP_STEP_NOW INT64_MIN

typedef struct synadb_exp_config {
    uint32_t struct_size;        /* 0 or sizeof(synadb_exp_config) */
    int32_t no_sync;             /* 1: no device flush except flush() and close() */
    uint32_t block_points;       /* points per series buffered before a write; 0 = 4096 */
    uint64_t max_pending_points; /* all buffers are written when they hold more; 0 = 1<<20 */
} synadb_exp_config;

typedef struct synadb_exp_kv { const char *key; const char *value; } synadb_exp_kv;
/* One point of synadb_exp_log_metrics. timestamp_us 0 = now; step SYNADB_EXP_STEP_NOW = now. */
typedef struct synadb_exp_point { const char *key; double value; int64_t step; int64_t timestamp_us; } synadb_exp_point;
typedef struct synadb_exp_metric_info {
    const char *key;
    double value;                /* the latest value (largest step) */
    int64_t step, timestamp_us;  /* of that point */
    uint64_t count;              /* points logged */
    double min, max, mean;       /* over the points that are not NaN (NaN if none) */
} synadb_exp_metric_info;
typedef struct synadb_exp_artifact_info { const char *name; char sha256[65]; uint64_t size; } synadb_exp_artifact_info;
/* A snapshot of a run (synadb_exp_get_run); release with synadb_exp_run_free. Params, tags,
   metrics and artifacts are sorted by key. */
typedef struct synadb_exp_run {
    char id[37];
    const char *experiment;
    int32_t status;              /* SYNADB_EXP_* */
    int64_t started_us, ended_us;/* Unix microseconds; ended_us 0 while running */
    size_t nparams, ntags, nmetrics, nartifacts;
    const synadb_exp_kv *params, *tags;
    const synadb_exp_metric_info *metrics;
    const synadb_exp_artifact_info *artifacts;
    void *mem_;
} synadb_exp_run;
typedef struct synadb_exp_run_id { char s[37]; } synadb_exp_run_id;
typedef struct synadb_exp_idlist { size_t count; synadb_exp_run_id *ids; } synadb_exp_idlist;
typedef struct synadb_exp_stats {
    uint64_t runs, experiments, series, points, pending_points;
    uint64_t blobs, blob_bytes;  /* distinct artifact contents stored, and their bytes (counted by
                                    walking the keys under "exp/blob/": not for hot paths) */
} synadb_exp_stats;

SYNADB_ML_API synadb_exp_config synadb_exp_config_default(void);
/* Opens or creates the tracker at path (a synadb.h database file; its keys are under "exp/").
   Loads the run index with one prefix scan. */
SYNADB_ML_API synadb_result synadb_exp_open(const char *path, const synadb_exp_config *cfg, synadb_exp **out);
/* Writes every buffered point, flushes, closes and frees (also when the flush fails). */
SYNADB_ML_API synadb_result synadb_exp_close(synadb_exp *t);
SYNADB_ML_API const char *synadb_exp_errmsg(synadb_exp *t);
SYNADB_ML_API synadb_db *synadb_exp_db(synadb_exp *t);
/* Writes every buffered point and flushes the log to the device. */
SYNADB_ML_API synadb_result synadb_exp_flush(synadb_exp *t);

/* Runs. out_id receives the new run's id (36 characters + NUL). */
SYNADB_ML_API synadb_result synadb_exp_start_run(synadb_exp *t, const char *experiment, const synadb_exp_kv *tags, size_t ntags, char out_id[37]);
/* status COMPLETED, FAILED or KILLED (RUNNING is refused); RUN_ENDED if already ended. */
SYNADB_ML_API synadb_result synadb_exp_end_run(synadb_exp *t, const char *run_id, int32_t status);
SYNADB_ML_API synadb_result synadb_exp_log_param(synadb_exp *t, const char *run_id, const char *key, const char *value);
/* All or nothing: every param is checked first (duplicate keys within the call must agree). */
SYNADB_ML_API synadb_result synadb_exp_log_params(synadb_exp *t, const char *run_id, const synadb_exp_kv *params, size_t n);
SYNADB_ML_API synadb_result synadb_exp_set_tag(synadb_exp *t, const char *run_id, const char *key, const char *value);
SYNADB_ML_API synadb_result synadb_exp_log_metric(synadb_exp *t, const char *run_id, const char *key, double value, int64_t step);
SYNADB_ML_API synadb_result synadb_exp_log_metric_ts(synadb_exp *t, const char *run_id, const char *key, double value, int64_t step, int64_t timestamp_us);
/* Many points (any keys) in one call; all are checked before any is logged. */
SYNADB_ML_API synadb_result synadb_exp_log_metrics(synadb_exp *t, const char *run_id, const synadb_exp_point *pts, size_t n);
/* n points of one metric; steps NULL = count_so_far, count_so_far + 1, ... */
SYNADB_ML_API synadb_result synadb_exp_log_series(synadb_exp *t, const char *run_id, const char *key, const int64_t *steps, const double *values, size_t n);
SYNADB_ML_API synadb_result synadb_exp_log_artifact(synadb_exp *t, const char *run_id, const char *name, const void *data, size_t len);

/* Reads. Memory returned through void ** / char ** / int64_t ** / double ** is released with
   synadb_exp_free. */
SYNADB_ML_API synadb_result synadb_exp_get_run(synadb_exp *t, const char *run_id, synadb_exp_run *out);
SYNADB_ML_API void synadb_exp_run_free(synadb_exp_run *r);
SYNADB_ML_API synadb_result synadb_exp_get_param(synadb_exp *t, const char *run_id, const char *key, char **out, size_t *out_len);
/* The series sorted by step (equal steps in logging order): n steps, values and (if
   timestamps_us is not NULL) timestamps. KEY_NOT_FOUND if the run has no such metric. */
SYNADB_ML_API synadb_result synadb_exp_get_metric(synadb_exp *t, const char *run_id, const char *key, int64_t **steps, double **values, int64_t **timestamps_us, size_t *n);
SYNADB_ML_API synadb_result synadb_exp_get_latest(synadb_exp *t, const char *run_id, const char *key, double *value, int64_t *step);
/* The artifact's bytes, checked against their SHA-256 (SYNADB_ERR_CHECKSUM if damaged). */
SYNADB_ML_API synadb_result synadb_exp_get_artifact(synadb_exp *t, const char *run_id, const char *name, void **out, size_t *out_len);
/* Runs of an experiment (NULL = all) by start time ascending. */
SYNADB_ML_API synadb_result synadb_exp_list_runs(synadb_exp *t, const char *experiment, synadb_exp_idlist *out);
/* Runs matching an MLflow filter string (NULL or "" = all), ordered by order_by (NULL or ""
   = "attributes.start_time DESC"; ties: start time DESC, then run id ASC), at most limit
   (0 = no limit). Grammar:
     filter  := clause ( AND clause )*
     clause  := ident op value
     ident   := [ (metrics|params|tags|attributes) '.' ] name   (also metric, param, tag, attribute, attr, run)
     name    := bare [A-Za-z0-9_.:/-]+ | `quoted` | "quoted"
     op      := = | != | < | <= | > | >= | LIKE | ILIKE | IN | NOT IN
     value   := number | 'string' | "string" | ( 'a', 'b', ... )     (a quote inside: doubled)
   Metrics and the attributes start_time / end_time (Unix ms) take numbers and = != < <= > >=;
   params, tags and the attributes status, run_id, experiment_name take strings and = != LIKE
   ILIKE IN NOT IN (LIKE: % any run, _ one byte; ILIKE: ASCII case-insensitive). status
   accepts RUNNING, FINISHED (= COMPLETED), FAILED, KILLED in any case. A run lacking a metric,
   param or tag never matches a clause on it. No OR and no parentheses (as in MLflow).
   order_by := ident [ASC|DESC] ( ',' ident [ASC|DESC] )*; runs lacking the key come last.
   A bad filter is SYNADB_ERR_SYNTAX; the message names the byte offset and what was expected. */
SYNADB_ML_API synadb_result synadb_exp_query(synadb_exp *t, const char *filter, const char *order_by, size_t limit, synadb_exp_idlist *out);
SYNADB_ML_API void synadb_exp_idlist_free(synadb_exp_idlist *l);
/* Checks a filter (and an order_by, may be NULL) without a tracker: SYNADB_OK or
   SYNADB_ERR_SYNTAX with *err_pos (may be NULL) = byte offset and the message in msg. */
SYNADB_ML_API synadb_result synadb_exp_filter_check(const char *filter, const char *order_by, size_t *err_pos, char *msg, size_t msg_cap);
/* The run (not NaN) with the smallest (minimize) or largest latest value of metric, among
   the runs of experiment (NULL = all). KEY_NOT_FOUND if no run has the metric. */
SYNADB_ML_API synadb_result synadb_exp_best_run(synadb_exp *t, const char *experiment, const char *metric, int minimize, char out_id[37]);
/* JSON: one run (the Run object of the original plus metrics, tags and artifacts) and a
   comparison {"runs":[ids],"params":{key:{id:value}},"metrics":{key:{id:{"latest","min","max","mean"}}}}.
   Release with synadb_exp_free. */
SYNADB_ML_API synadb_result synadb_exp_run_json(synadb_exp *t, const char *run_id, char **out_json, size_t *out_len);
SYNADB_ML_API synadb_result synadb_exp_compare_runs(synadb_exp *t, const char *const *run_ids, size_t n, char **out_json, size_t *out_len);
/* [{"name":..,"runs":n,"running":n}] of every experiment that has runs, sorted by name. */
SYNADB_ML_API synadb_result synadb_exp_experiments_json(synadb_exp *t, char **out_json, size_t *out_len);
SYNADB_ML_API synadb_result synadb_exp_get_stats(synadb_exp *t, synadb_exp_stats *out);
SYNADB_ML_API void synadb_exp_free(void *p);

/* The original's exports (path-keyed; SYNA_* in the library). Returns 1 on success, or the
   count where stated; -1 tracker not open, -2 NULL/invalid argument, -5 unknown run (or
   metric, param, artifact), -72 run ended, -73 param conflict, -74 bad JSON or filter
   syntax, other negative synadb.h codes. The message of the last failure on a tracker:
   exp_errmsg(path, buf, cap) (returns its length). Differences from the original, on
   purpose: ended-run and conflict errors are -72/-73 (were 0); end_run with status 0
   (Running) or an unknown status is -2 (the original accepted 0 and kept the run open);
   tags_json that does not parse is -74 (was silently no tags); tags_json may also be an
   object {"key":"value"}. exp_log_metric: step < 0 = now in Unix microseconds; the point is
   buffered (see Durability above): exp_flush, exp_end_run or exp_tracker_close make it
   durable. Counts instead of 1: exp_log_metrics (points logged), exp_get_params (params),
   exp_list_artifacts, exp_list_runs, exp_list_experiments, exp_query (entries in the JSON
   array); exp_errmsg returns the message's length (it copies at most cap - 1 bytes and a
   NUL). JSON shapes: a Run object is {"id","experiment_name","started_at","ended_at",
   "status","started_us","ended_us","params":{k:v},"tags":[k],"tag_values":{k:v},
   "metrics":{k:latest},"artifacts":[{"name","sha256","size"}]} and exp_get_run adds
   "metric_info":{k:{"step","timestamp_us","count","min","max","mean"}}; NaN and
   infinities are null. Outputs: run ids and params with SYNA_free_text, JSON with SYNA_free_json,
   artifact bytes and metric steps (int64_t, as bytes: len * 8) with SYNA_free_bytes,
   metric values with SYNA_free_tensor. */
#ifndef SYNADB_NO_COMPAT_ABI
#define SYNADB__ML_EXP_ABI_FUNCS(X) \
    X(int32_t, exp_tracker_open, (const char *path), (path), return) \
    X(int32_t, exp_tracker_close, (const char *path), (path), return) \
    X(int32_t, exp_flush, (const char *path), (path), return) \
    X(int32_t, exp_start_run, (const char *path, const char *experiment, const char *tags_json, char **out_run_id, size_t *out_run_id_len), (path, experiment, tags_json, out_run_id, out_run_id_len), return) \
    X(int32_t, exp_log_param, (const char *path, const char *run_id, const char *key, const char *value), (path, run_id, key, value), return) \
    X(int32_t, exp_log_metric, (const char *path, const char *run_id, const char *key, double value, int64_t step), (path, run_id, key, value, step), return) \
    X(int32_t, exp_log_metrics, (const char *path, const char *run_id, const char *const *keys, const double *values, const int64_t *steps, size_t count), (path, run_id, keys, values, steps, count), return) \
    X(int32_t, exp_log_artifact, (const char *path, const char *run_id, const char *name, const uint8_t *data, size_t data_len), (path, run_id, name, data, data_len), return) \
    X(int32_t, exp_set_tag, (const char *path, const char *run_id, const char *key, const char *value), (path, run_id, key, value), return) \
    X(int32_t, exp_end_run, (const char *path, const char *run_id, int32_t status), (path, run_id, status), return) \
    X(int32_t, exp_get_run, (const char *path, const char *run_id, char **out_json, size_t *out_len), (path, run_id, out_json, out_len), return) \
    X(int32_t, exp_get_param, (const char *path, const char *run_id, const char *key, char **out_value, size_t *out_len), (path, run_id, key, out_value, out_len), return) \
    X(int32_t, exp_get_params, (const char *path, const char *run_id, char **out_json, size_t *out_len), (path, run_id, out_json, out_len), return) \
    X(int32_t, exp_get_metric, (const char *path, const char *run_id, const char *key, int64_t **out_steps, double **out_values, size_t *out_len), (path, run_id, key, out_steps, out_values, out_len), return) \
    X(int32_t, exp_get_metric_json, (const char *path, const char *run_id, const char *key, char **out_json, size_t *out_len), (path, run_id, key, out_json, out_len), return) \
    X(int32_t, exp_get_artifact, (const char *path, const char *run_id, const char *name, uint8_t **out_data, size_t *out_len), (path, run_id, name, out_data, out_len), return) \
    X(int32_t, exp_list_artifacts, (const char *path, const char *run_id, char **out_json, size_t *out_len), (path, run_id, out_json, out_len), return) \
    X(int32_t, exp_list_runs, (const char *path, const char *experiment, char **out_json, size_t *out_len), (path, experiment, out_json, out_len), return) \
    X(int32_t, exp_query, (const char *path, const char *filter, const char *order_by, int64_t max_results, char **out_json, size_t *out_len), (path, filter, order_by, max_results, out_json, out_len), return) \
    X(int32_t, exp_compare_runs, (const char *path, const char *const *run_ids, size_t count, char **out_json, size_t *out_len), (path, run_ids, count, out_json, out_len), return) \
    X(int32_t, exp_get_best_run, (const char *path, const char *experiment, const char *metric, int32_t minimize, char **out_run_id, size_t *out_len), (path, experiment, metric, minimize, out_run_id, out_len), return) \
    X(int32_t, exp_list_experiments, (const char *path, char **out_json, size_t *out_len), (path, out_json, out_len), return) \
    X(int32_t, exp_errmsg, (const char *path, char *buf, size_t cap), (path, buf, cap), return)
#define SYNADB__X(ret, name, params, args, RET) SYNADB_ML_API ret syna_##name params; SYNADB_ML_API ret SYNA_##name params;
SYNADB__ML_EXP_ABI_FUNCS(SYNADB__X)
#undef SYNADB__X
#endif /* SYNADB_NO_COMPAT_ABI */
/* ======================================================================== >>ml.exp.api end */

/* ======================================================================== >>ml.rl.api */
/* ======================================================================== >>ml.rl.api end */

/* ======================================================================== >>ml.io.api */
/* ======================================================================== >>ml.io.api end */

/* ======================================================================== >>ml.gpu.api */
/* ======================================================================== >>ml.gpu.api end */

#ifdef __cplusplus
}
#endif
#endif /* SYNADB_ML_H */

/* ======================================================================== >>ml.impl */
#if defined(SYNADB_IMPLEMENTATION) || defined(__INTELLISENSE__)
#ifndef SYNADB_ML_IMPLEMENTATION_INCLUDED
#define SYNADB_ML_IMPLEMENTATION_INCLUDED
#ifndef SYNADB_IMPLEMENTATION_INCLUDED
#error "synadb_ml.h: the implementation needs synadb.h's implementation in the same file: #define SYNADB_IMPLEMENTATION before including synadb.h"
#endif

/* ---- dtypes ---- */
SYNADB_ML_API size_t synadb_dtype_size(synadb_dtype t) {
    switch (t) {
    case SYNADB_DTYPE_FLOAT32: case SYNADB_DTYPE_INT32: return 4;
    case SYNADB_DTYPE_FLOAT64: case SYNADB_DTYPE_INT64: return 8;
    case SYNADB_DTYPE_FLOAT16: case SYNADB_DTYPE_BFLOAT16: return 2;
    case SYNADB_DTYPE_UINT8: return 1;
    }
    return 0;
}
static const char *const synadb__dtype_names[] = {"float32", "float64", "int32", "int64", "float16", "bfloat16", "uint8"};
SYNADB_ML_API const char *synadb_dtype_name(synadb_dtype t) {
    return (unsigned)t < sizeof synadb__dtype_names / sizeof *synadb__dtype_names ? synadb__dtype_names[t] : NULL;
}
SYNADB_ML_API int synadb_dtype_parse(const char *name, synadb_dtype *out) {
    size_t i;
    if (!name || !out) return -1;
    for (i = 0; i < sizeof synadb__dtype_names / sizeof *synadb__dtype_names; i++)
        if (!strcmp(name, synadb__dtype_names[i])) { *out = (synadb_dtype)i; return 0; }
    return -1;
}

/* ======================================================================== >>ml.sha256 */
static const uint32_t synadb__sha_k[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u};
#define SYNADB__ROR32(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
/* The compression function over nblocks 64-byte blocks. */
SYNADB_PRIVATE void synadb__sha256_blocks_portable(uint32_t h[8], const uint8_t *p, size_t nblocks) {
    uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2;
    int i;
    while (nblocks--) {
        for (i = 0; i < 16; i++)
            w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
        for (i = 16; i < 64; i++) {
            uint32_t s0 = SYNADB__ROR32(w[i - 15], 7) ^ SYNADB__ROR32(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = SYNADB__ROR32(w[i - 2], 17) ^ SYNADB__ROR32(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4]; f = h[5]; g = h[6]; hh = h[7];
        for (i = 0; i < 64; i++) {
            t1 = hh + (SYNADB__ROR32(e, 6) ^ SYNADB__ROR32(e, 11) ^ SYNADB__ROR32(e, 25)) + ((e & f) ^ (~e & g)) + synadb__sha_k[i] + w[i];
            t2 = (SYNADB__ROR32(a, 2) ^ SYNADB__ROR32(a, 13) ^ SYNADB__ROR32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
        p += 64;
    }
}
typedef void (*synadb__sha256_fn)(uint32_t h[8], const uint8_t *p, size_t nblocks);
SYNADB_PRIVATE synadb__sha256_fn synadb__sha256_pick(const char **name) {
    *name = "portable";
    return synadb__sha256_blocks_portable;
}
SYNADB_ML_API const char *synadb_sha256_impl(void) {
    const char *n;
    (void)synadb__sha256_pick(&n);
    return n;
}
SYNADB_ML_API void synadb_sha256_init(synadb_sha256_ctx *s) {
    static const uint32_t iv[8] = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au, 0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
    s->n = 0;
}
SYNADB_ML_API void synadb_sha256_update(synadb_sha256_ctx *s, const void *data, size_t len) {
    const uint8_t *p = (const uint8_t *)data;
    const char *name;
    synadb__sha256_fn fn = synadb__sha256_pick(&name);
    if (!len) return;
    s->len += len;
    if (s->n) {
        size_t take = 64 - s->n < len ? 64 - s->n : len;
        memcpy(s->buf + s->n, p, take);
        s->n += take; p += take; len -= take;
        if (s->n < 64) return;
        fn(s->h, s->buf, 1);
        s->n = 0;
    }
    if (len >= 64) { fn(s->h, p, len / 64); p += len & ~(size_t)63; len &= 63; }
    if (len) { memcpy(s->buf, p, len); s->n = len; }
}
SYNADB_ML_API void synadb_sha256_final(synadb_sha256_ctx *s, uint8_t digest[32]) {
    uint64_t bits = s->len * 8;
    uint8_t pad[72];
    size_t padn = (s->n < 56 ? 56 : 120) - s->n, i;
    memset(pad, 0, sizeof pad);
    pad[0] = 0x80;
    for (i = 0; i < 8; i++) pad[padn + i] = (uint8_t)(bits >> (56 - 8 * i));
    synadb_sha256_update(s, pad, padn + 8);
    for (i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(s->h[i] >> 24); digest[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(s->h[i] >> 8); digest[4 * i + 3] = (uint8_t)s->h[i];
    }
}
SYNADB_ML_API void synadb_sha256(const void *data, size_t len, uint8_t digest[32]) {
    synadb_sha256_ctx s;
    synadb_sha256_init(&s);
    synadb_sha256_update(&s, data, len);
    synadb_sha256_final(&s, digest);
}
SYNADB_ML_API void synadb_sha256_hex(const uint8_t digest[32], char hex[65]) {
    static const char hx[] = "0123456789abcdef";
    int i;
    for (i = 0; i < 32; i++) { hex[2 * i] = hx[digest[i] >> 4]; hex[2 * i + 1] = hx[digest[i] & 15]; }
    hex[64] = 0;
}

/* ======================================================================== >>ml.abireg */
#ifndef SYNADB_NO_COMPAT_ABI
/* The ML exports address their objects by path, as the original did: path (canonical) ->
   (kind, object). An entry is referenced while a call uses it; close waits for the last
   reference (the object is closed by whoever drops it last). */
enum { SYNADB__MLK_REGISTRY = 1, SYNADB__MLK_TRACKER = 2, SYNADB__MLK_COLLECTOR = 3 };
typedef void (*synadb__ml_close_fn)(void *obj);
typedef struct synadb__mlreg {
    char *path;
    int kind, refs, closing;
    void *obj;
    synadb__ml_close_fn close;
    struct synadb__mlreg *next;
} synadb__mlreg;
static synadb__mlreg *synadb__mlregistry = NULL;
/* Takes a reference to the object of this kind open at path; NULL (*rc = -1 not open,
   -2 bad path) if none. */
SYNADB__UNUSED SYNADB_PRIVATE synadb__mlreg *synadb__ml_acquire(const char *path, int kind, int32_t *rc) {
    char abs[4096];
    synadb__mlreg *e;
    if (!path || !*path) { *rc = SYNA_ERR_INVALID_PATH; return NULL; }
    if (synadb__abspath(path, abs, sizeof abs)) { *rc = SYNA_ERR_DB_NOT_FOUND; return NULL; }
    synadb__reg_lock();
    for (e = synadb__mlregistry; e; e = e->next)
        if (e->kind == kind && !e->closing && !strcmp(e->path, abs)) { e->refs++; break; }
    synadb__reg_unlock();
    if (!e) *rc = SYNA_ERR_DB_NOT_FOUND;
    return e;
}
SYNADB__UNUSED SYNADB_PRIVATE void synadb__ml_release(synadb__mlreg *e) {
    int last;
    synadb__reg_lock();
    last = --e->refs == 0 && e->closing;
    synadb__reg_unlock();
    if (last) { e->close(e->obj); SYNADB_FREE(e->path); SYNADB_FREE(e); }
}
/* Registers obj at path. If something of this kind is already open there: 1 and *obj_used
   = 0 (the caller closes its obj; the original replaced the entry, we keep the open one so
   that calls in flight are not cut). Returns 1, or a negative code. */
SYNADB__UNUSED SYNADB_PRIVATE int32_t synadb__ml_register(const char *path, int kind, void *obj, synadb__ml_close_fn close, int *obj_used) {
    char abs[4096];
    synadb__mlreg *e;
    size_t n;
    *obj_used = 0;
    if (!path || !*path || synadb__abspath(path, abs, sizeof abs)) return SYNA_ERR_INVALID_PATH;
    synadb__reg_lock();
    for (e = synadb__mlregistry; e; e = e->next)
        if (e->kind == kind && !e->closing && !strcmp(e->path, abs)) break;
    if (!e) {
        n = strlen(abs);
        e = (synadb__mlreg *)SYNADB_MALLOC(sizeof *e);
        if (e) e->path = (char *)SYNADB_MALLOC(n + 1);
        if (!e || !e->path) { SYNADB_FREE(e); synadb__reg_unlock(); return SYNADB_ERR_NO_MEMORY; }
        memcpy(e->path, abs, n + 1);
        e->kind = kind; e->refs = 0; e->closing = 0; e->obj = obj; e->close = close;
        e->next = synadb__mlregistry;
        synadb__mlregistry = e;
        *obj_used = 1;
    }
    synadb__reg_unlock();
    return 1;
}
/* Unregisters and closes (now, or when the last call in flight returns). 1, or -1 if not open. */
SYNADB__UNUSED SYNADB_PRIVATE int32_t synadb__ml_unregister(const char *path, int kind) {
    int32_t rc = 1;
    synadb__mlreg *e = synadb__ml_acquire(path, kind, &rc), **pp;
    if (!e) return rc;
    synadb__reg_lock();
    for (pp = &synadb__mlregistry; *pp; pp = &(*pp)->next)
        if (*pp == e) { *pp = e->next; break; }
    e->closing = 1;
    synadb__reg_unlock();
    synadb__ml_release(e);
    return 1;
}
#endif /* SYNADB_NO_COMPAT_ABI */

/* ======================================================================== >>ml.tensor */
/* ======================================================================== >>ml.tensor end */

/* ======================================================================== >>ml.registry */
/* ======================================================================== >>ml.registry end */

/* ======================================================================== >>ml.exp */
/* Key layout (all under "exp/", one database file per tracker; <id> is the 36-character run id):
     exp/run/<id>                     TEXT  {"id","experiment_name","started_us","ended_us","status"}
     exp/run/<id>/p/<key>             TEXT  param value (written once)
     exp/run/<id>/t/<key>             TEXT  tag value (rewritten)
     exp/run/<id>/s/<metric>/<n>      BYTES block n (8 hex digits) of the series: u8 version 1,
                                            u32 count, then per point zigzag varints of the step
                                            and timestamp deltas and the f64 value
     exp/run/<id>/l/<metric>          BYTES the series summary as of its last block: u8 version 1,
                                            u32 blocks, u64 count, u64 non-NaN count, i64 latest
                                            step, i64 its timestamp, f64 its value, f64 min, max, sum
     exp/run/<id>/a/<name>            TEXT  "<sha256 hex> <size>"
     exp/run/<id>/d/run               BYTES digest of an ended run: its params, tags, summaries and
                                            artifacts (written with the final meta record and with
                                            each later tag; open reads it instead of those keys)
     exp/blob/<sha256 hex>            BYTES artifact contents, stored once
   A block and its summary are written in one atomic batch. In memory: a hash table of runs by
   id, per run sorted arrays (by interned name id) of params, tags (value ids into a dictionary
   of values), metric summaries (latest value, count, min, max, sum, pending points) and
   artifacts, loaded at open by one walk over the keys under "exp/run/" (summaries are read;
   blocks are not). Queries read columns (one per key a query names: the latest values of a
   metric, or the value ids of a param or tag, for every run), built on first use and kept up
   to date by the writes. */
#define SYNADB__ET_NAME_MAX 250
#define SYNADB__ET_PARAM_MAX 6000
#define SYNADB__ET_TAG_MAX 5000
#define SYNADB__ET_EXP_MAX 500
#define SYNADB__ET_NONE 0xFFFFFFFFu
#define SYNADB__ET_SUM_LEN 69
typedef struct synadb__et_pt { int64_t step, ts; double v; } synadb__et_pt;
typedef struct synadb__et_met {
    uint32_t name, nblocks;
    uint64_t count, nvalid;
    int64_t lstep, lts;
    double lval, min, max, sum;
    synadb__et_pt *pend;
    size_t npend, cpend;
    int listed;
} synadb__et_met;
typedef struct synadb__et_kv { uint32_t key, vid; } synadb__et_kv;   /* vid: the value in synadb_exp.vals */
typedef struct synadb__et_art { uint32_t name; char hex[65]; uint64_t size; } synadb__et_art;
typedef struct synadb__et_run {
    char id[37];
    uint32_t exp, idx;              /* experiment name id; position in synadb_exp.runs */
    int32_t status;
    int has_meta, has_digest;
    int64_t started_us, ended_us;
    synadb__et_kv *params, *tags;
    size_t np, cp, nt, ct;
    synadb__et_met *mets;
    size_t nm, cm;
    synadb__et_art *arts;
    size_t na, ca;
} synadb__et_run;
typedef struct synadb__et_dict {
    char **s; size_t *len; uint64_t *h;
    size_t n, cap;
    uint32_t *tab; size_t tcap;     /* id + 1, 0 = empty */
} synadb__et_dict;
typedef struct synadb__et_dirty { synadb__et_run *r; uint32_t name; } synadb__et_dirty;
/* A column of the query index: per run (by idx) the latest value of a metric (v, has) or the
   value id of a param or tag (vid, SYNADB__ET_NONE if absent). Built when a query first names
   the key, then kept up to date by the writes. */
typedef struct synadb__et_col { double *v; uint8_t *has; uint32_t *vid; } synadb__et_col;
struct synadb_exp {
    synadb_db *db;
    synadb_exp_config cfg;
    synadb__rwlock rw;
    synadb__mutex emu;
    char errmsg[512];
    synadb__et_dict names;            /* metric/param/tag/artifact keys and experiment names */
    synadb__et_dict vals;             /* param and tag values */
    synadb__et_col **cols[3];         /* [0 metric, 1 param, 2 tag][name id], NULL until used */
    size_t ncols[3], colcap;        /* entries of cols[k]; rows of every column */
    synadb__mutex colmu;            /* creating columns (queries hold only the read lock) */
    synadb__et_run **runs;
    size_t nruns, cruns;
    uint32_t *rtab; size_t rcap;    /* run index + 1 by hash of the id */
    synadb__et_dirty *dirty;
    size_t ndirty, cdirty;
    uint64_t pending;
};

SYNADB_PRIVATE synadb_result synadb__et_err(synadb_exp *t, synadb_result r, const char *fmt, ...) SYNADB__PRINTF(3, 4);
SYNADB_PRIVATE synadb_result synadb__et_err(synadb_exp *t, synadb_result r, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    if (!t) return r;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    synadb__mutex_lock(&t->emu);
    memcpy(t->errmsg, msg, sizeof msg);
    synadb__mutex_unlock(&t->emu);
    return r;
}
SYNADB_PRIVATE synadb_result synadb__et_dberr(synadb_exp *t, synadb_result r, const char *what) {
    return synadb__et_err(t, r, "%s: %s", what, synadb_errmsg(t->db));
}
SYNADB_ML_API const char *synadb_exp_errmsg(synadb_exp *t) { return t ? t->errmsg : "no tracker"; }
SYNADB_ML_API synadb_db *synadb_exp_db(synadb_exp *t) { return t ? t->db : NULL; }
SYNADB_ML_API void synadb_exp_free(void *p) { if (p) SYNADB_FREE(p); }
SYNADB_ML_API synadb_exp_config synadb_exp_config_default(void) {
    synadb_exp_config c;
    memset(&c, 0, sizeof c);
    c.struct_size = sizeof c;
    c.block_points = 4096;
    c.max_pending_points = (uint64_t)1 << 20;
    return c;
}

/* ---- a small arena (filters, run snapshots) ---- */
typedef struct synadb__et_arena { char *blk; size_t used, cap; } synadb__et_arena;
SYNADB_PRIVATE void *synadb__et_alloc(synadb__et_arena *a, size_t n) {
    n = (n + 7) & ~(size_t)7;
    if (!a->blk || a->used + n > a->cap) {
        size_t cap = n + 16 > 4096 ? n + 16 : 4096;
        char *b = (char *)SYNADB_MALLOC(cap);
        if (!b) return NULL;
        memcpy(b, &a->blk, sizeof a->blk);
        a->blk = b; a->used = 16; a->cap = cap;
    }
    a->used += n;
    return a->blk + a->used - n;
}
SYNADB_PRIVATE char *synadb__et_strdup(synadb__et_arena *a, const char *s, size_t n) {
    char *p = (char *)synadb__et_alloc(a, n + 1);
    if (p) { if (n) memcpy(p, s, n); p[n] = 0; }
    return p;
}
SYNADB_PRIVATE void synadb__et_arena_free(char *blk) {
    while (blk) {
        char *next;
        memcpy(&next, blk, sizeof next);
        SYNADB_FREE(blk);
        blk = next;
    }
}

/* ---- names ---- */
SYNADB_PRIVATE uint32_t synadb__et_dict_find(const synadb__et_dict *d, const char *s, size_t n, uint64_t h) {
    size_t i;
    if (!d->tcap) return SYNADB__ET_NONE;
    for (i = (size_t)h & (d->tcap - 1);; i = (i + 1) & (d->tcap - 1)) {
        uint32_t v = d->tab[i];
        if (!v) return SYNADB__ET_NONE;
        v--;
        if (d->h[v] == h && d->len[v] == n && !memcmp(d->s[v], s, n)) return v;
    }
}
SYNADB_PRIVATE uint32_t synadb__et_lookup(const synadb__et_dict *d, const char *s, size_t n) {
    return synadb__et_dict_find(d, s, n, synadb__hash(s, n, 0x45585054ull));
}
/* The id of s, added if new; SYNADB__ET_NONE when out of memory. */
SYNADB_PRIVATE uint32_t synadb__et_intern(synadb__et_dict *d, const char *s, size_t n) {
    uint64_t h = synadb__hash(s, n, 0x45585054ull);
    uint32_t id = synadb__et_dict_find(d, s, n, h);
    size_t i;
    if (id != SYNADB__ET_NONE) return id;
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 64;
        char **ns = (char **)SYNADB_REALLOC(d->s, nc * sizeof *ns);
        size_t *nl;
        uint64_t *nh;
        if (!ns) return SYNADB__ET_NONE;
        d->s = ns;
        nl = (size_t *)SYNADB_REALLOC(d->len, nc * sizeof *nl);
        if (!nl) return SYNADB__ET_NONE;
        d->len = nl;
        nh = (uint64_t *)SYNADB_REALLOC(d->h, nc * sizeof *nh);
        if (!nh) return SYNADB__ET_NONE;
        d->h = nh;
        d->cap = nc;
    }
    if ((d->n + 1) * 2 > d->tcap) {
        size_t nc = d->tcap ? d->tcap * 2 : 128, k;
        uint32_t *nt = (uint32_t *)SYNADB_MALLOC(nc * sizeof *nt);
        if (!nt) return SYNADB__ET_NONE;
        memset(nt, 0, nc * sizeof *nt);
        for (k = 0; k < d->n; k++) {
            for (i = (size_t)d->h[k] & (nc - 1); nt[i]; i = (i + 1) & (nc - 1)) {}
            nt[i] = (uint32_t)k + 1;
        }
        SYNADB_FREE(d->tab);
        d->tab = nt; d->tcap = nc;
    }
    d->s[d->n] = (char *)SYNADB_MALLOC(n + 1);
    if (!d->s[d->n]) return SYNADB__ET_NONE;
    memcpy(d->s[d->n], s, n);
    d->s[d->n][n] = 0;
    d->len[d->n] = n;
    d->h[d->n] = h;
    for (i = (size_t)h & (d->tcap - 1); d->tab[i]; i = (i + 1) & (d->tcap - 1)) {}
    d->tab[i] = (uint32_t)d->n + 1;
    return (uint32_t)d->n++;
}
/* 0 ok, or an error code with the message in t. */
SYNADB_PRIVATE synadb_result synadb__et_check_name(synadb_exp *t, const char *s, const char *what, size_t *out_n) {
    size_t n, i;
    if (!s) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "%s is NULL", what);
    for (n = 0; n <= SYNADB__ET_NAME_MAX && s[n]; n++) {}
    if (!n) return synadb__et_err(t, SYNADB_ERR_EMPTY_KEY, "%s is empty", what);
    if (n > SYNADB__ET_NAME_MAX) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "%s is longer than %d bytes", what, SYNADB__ET_NAME_MAX);
    if (s[0] == '/') return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "%s starts with '/'", what);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80 ||
              c == '_' || c == '-' || c == '.' || c == '/' || c == ' ' || c == ':'))
            return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "%s has a character outside [A-Za-z0-9_-./ :] at byte %u", what, (unsigned)i);
        if (c == '.' && i + 1 < n && s[i + 1] == '.' && (i == 0 || s[i - 1] == '/') && (i + 2 == n || s[i + 2] == '/'))
            return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "%s has a '..' path component", what);
    }
    *out_n = n;
    return SYNADB_OK;
}
SYNADB_PRIVATE synadb_result synadb__et_check_value(synadb_exp *t, const char *s, size_t max, const char *what, size_t *out_n) {
    size_t n;
    if (!s) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "%s is NULL", what);
    for (n = 0; n <= max && s[n]; n++) {}
    if (n > max) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "%s is longer than %u bytes", what, (unsigned)max);
    if (!synadb__utf8_valid((const uint8_t *)s, n)) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "%s is not valid UTF-8", what);
    *out_n = n;
    return SYNADB_OK;
}

/* Every column gets rows for cap runs; -1 out of memory (the columns keep their old size). */
SYNADB_PRIVATE int synadb__et_col_grow(synadb_exp *t, size_t cap) {
    int k;
    size_t i;
    for (k = 0; k < 3; k++)
        for (i = 0; i < t->ncols[k]; i++) {
            synadb__et_col *c = t->cols[k][i];
            if (!c) continue;
            if (k == 0) {
                double *nv = (double *)SYNADB_REALLOC(c->v, cap * sizeof *nv);
                uint8_t *nh;
                if (!nv) return -1;
                c->v = nv;
                nh = (uint8_t *)SYNADB_REALLOC(c->has, cap);
                if (!nh) return -1;
                c->has = nh;
            } else {
                uint32_t *nv = (uint32_t *)SYNADB_REALLOC(c->vid, cap * sizeof *nv);
                if (!nv) return -1;
                c->vid = nv;
            }
        }
    t->colcap = cap;
    return 0;
}
/* The row of a new run: absent everywhere. */
SYNADB_PRIVATE void synadb__et_col_newrow(synadb_exp *t, uint32_t idx) {
    int k;
    size_t i;
    for (k = 0; k < 3; k++)
        for (i = 0; i < t->ncols[k]; i++) {
            synadb__et_col *c = t->cols[k][i];
            if (!c) continue;
            if (k == 0) { c->has[idx] = 0; c->v[idx] = 0; } else c->vid[idx] = SYNADB__ET_NONE;
        }
}
SYNADB_PRIVATE void synadb__et_col_free(synadb__et_col *c) {
    if (!c) return;
    SYNADB_FREE(c->v); SYNADB_FREE(c->has); SYNADB_FREE(c->vid); SYNADB_FREE(c);
}
/* ---- runs ---- */
SYNADB_PRIVATE synadb__et_run *synadb__et_find_run(const synadb_exp *t, const char *id) {
    size_t i, n;
    uint64_t h;
    if (!t->rcap) return NULL;
    for (n = 0; n < 37 && id[n]; n++) {}
    if (n != 36) return NULL;
    h = synadb__hash(id, 36, 0x52554e53ull);
    for (i = (size_t)h & (t->rcap - 1);; i = (i + 1) & (t->rcap - 1)) {
        uint32_t v = t->rtab[i];
        if (!v) return NULL;
        if (!memcmp(t->runs[v - 1]->id, id, 36)) return t->runs[v - 1];
    }
}
SYNADB_PRIVATE synadb__et_run *synadb__et_add_run(synadb_exp *t, const char *id) {
    synadb__et_run *r;
    size_t i;
    if (t->nruns == t->cruns) {
        size_t nc = t->cruns ? t->cruns * 2 : 64;
        synadb__et_run **nr = (synadb__et_run **)SYNADB_REALLOC(t->runs, nc * sizeof *nr);
        if (!nr) return NULL;
        t->runs = nr; t->cruns = nc;
    }
    if (t->nruns >= t->colcap && synadb__et_col_grow(t, t->cruns)) return NULL;
    if ((t->nruns + 1) * 2 > t->rcap) {
        size_t nc = t->rcap ? t->rcap * 2 : 128, k;
        uint32_t *nt = (uint32_t *)SYNADB_MALLOC(nc * sizeof *nt);
        if (!nt) return NULL;
        memset(nt, 0, nc * sizeof *nt);
        for (k = 0; k < t->nruns; k++) {
            for (i = (size_t)synadb__hash(t->runs[k]->id, 36, 0x52554e53ull) & (nc - 1); nt[i]; i = (i + 1) & (nc - 1)) {}
            nt[i] = (uint32_t)k + 1;
        }
        SYNADB_FREE(t->rtab);
        t->rtab = nt; t->rcap = nc;
    }
    r = (synadb__et_run *)SYNADB_MALLOC(sizeof *r);
    if (!r) return NULL;
    memset(r, 0, sizeof *r);
    memcpy(r->id, id, 36);
    r->id[36] = 0;
    r->exp = SYNADB__ET_NONE;
    r->idx = (uint32_t)t->nruns;
    synadb__et_col_newrow(t, r->idx);
    t->runs[t->nruns] = r;
    for (i = (size_t)synadb__hash(id, 36, 0x52554e53ull) & (t->rcap - 1); t->rtab[i]; i = (i + 1) & (t->rcap - 1)) {}
    t->rtab[i] = (uint32_t)t->nruns + 1;
    t->nruns++;
    return r;
}
SYNADB_PRIVATE void synadb__et_run_free(synadb__et_run *r) {
    size_t i;
    for (i = 0; i < r->nm; i++) SYNADB_FREE(r->mets[i].pend);
    SYNADB_FREE(r->params); SYNADB_FREE(r->tags); SYNADB_FREE(r->mets); SYNADB_FREE(r->arts);
    SYNADB_FREE(r);
}
/* Position of key in a sorted kv array (found: *hit = 1). */
SYNADB_PRIVATE size_t synadb__et_kv_pos(const synadb__et_kv *a, size_t n, uint32_t key, int *hit) {
    size_t lo = 0, hi = n;
    while (lo < hi) { size_t mid = (lo + hi) / 2; if (a[mid].key < key) lo = mid + 1; else hi = mid; }
    *hit = lo < n && a[lo].key == key;
    return lo;
}
SYNADB_PRIVATE const synadb__et_kv *synadb__et_kv_get(const synadb__et_kv *a, size_t n, uint32_t key) {
    int hit;
    size_t i = synadb__et_kv_pos(a, n, key, &hit);
    return hit ? &a[i] : NULL;
}
/* Sets key = val (interned in vals) in a sorted kv array; -1 out of memory. */
SYNADB_PRIVATE int synadb__et_kv_set(synadb__et_dict *vals, synadb__et_kv **a, size_t *n, size_t *cap, uint32_t key, const char *val, size_t vlen) {
    int hit;
    size_t i = synadb__et_kv_pos(*a, *n, key, &hit);
    uint32_t v = synadb__et_intern(vals, val, vlen);
    if (v == SYNADB__ET_NONE) return -1;
    if (hit) { (*a)[i].vid = v; return 0; }
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        synadb__et_kv *na = (synadb__et_kv *)SYNADB_REALLOC(*a, nc * sizeof *na);
        if (!na) return -1;
        *a = na; *cap = nc;
    }
    memmove(*a + i + 1, *a + i, (*n - i) * sizeof **a);
    (*a)[i].key = key; (*a)[i].vid = v;
    (*n)++;
    return 0;
}
SYNADB_PRIVATE synadb__et_met *synadb__et_met_get(const synadb__et_run *r, uint32_t name) {
    size_t lo = 0, hi = r->nm;
    while (lo < hi) { size_t mid = (lo + hi) / 2; if (r->mets[mid].name < name) lo = mid + 1; else hi = mid; }
    return lo < r->nm && r->mets[lo].name == name ? &r->mets[lo] : NULL;
}
SYNADB_PRIVATE synadb__et_met *synadb__et_met_add(synadb__et_run *r, uint32_t name) {
    size_t lo = 0, hi = r->nm;
    while (lo < hi) { size_t mid = (lo + hi) / 2; if (r->mets[mid].name < name) lo = mid + 1; else hi = mid; }
    if (lo < r->nm && r->mets[lo].name == name) return &r->mets[lo];
    if (r->nm == r->cm) {
        size_t nc = r->cm ? r->cm * 2 : 4;
        synadb__et_met *nm = (synadb__et_met *)SYNADB_REALLOC(r->mets, nc * sizeof *nm);
        if (!nm) return NULL;
        r->mets = nm; r->cm = nc;
    }
    memmove(r->mets + lo + 1, r->mets + lo, (r->nm - lo) * sizeof *r->mets);
    memset(&r->mets[lo], 0, sizeof r->mets[lo]);
    r->mets[lo].name = name;
    r->nm++;
    return &r->mets[lo];
}
SYNADB_PRIVATE synadb__et_art *synadb__et_art_get(const synadb__et_run *r, uint32_t name) {
    size_t i;
    for (i = 0; i < r->na; i++) if (r->arts[i].name == name) return &r->arts[i];
    return NULL;
}
SYNADB_PRIVATE int synadb__et_art_set(synadb__et_run *r, uint32_t name, const char *hex, uint64_t size) {
    synadb__et_art *a = synadb__et_art_get(r, name);
    if (!a) {
        if (r->na == r->ca) {
            size_t nc = r->ca ? r->ca * 2 : 4;
            synadb__et_art *na = (synadb__et_art *)SYNADB_REALLOC(r->arts, nc * sizeof *na);
            if (!na) return -1;
            r->arts = na; r->ca = nc;
        }
        a = &r->arts[r->na++];
        a->name = name;
    }
    memcpy(a->hex, hex, 64);
    a->hex[64] = 0;
    a->size = size;
    return 0;
}
/* Adds one point to a series summary (latest: largest step, then largest timestamp, then the
   later point). */
SYNADB_PRIVATE void synadb__et_met_note(synadb__et_met *m, int64_t step, int64_t ts, double v) {
    if (!m->count || step > m->lstep || (step == m->lstep && ts >= m->lts)) { m->lstep = step; m->lts = ts; m->lval = v; }
    if (v == v) {
        if (!m->nvalid || v < m->min) m->min = v;
        if (!m->nvalid || v > m->max) m->max = v;
        m->sum += v;
        m->nvalid++;
    }
    m->count++;
}

/* ---- query columns (caller holds the write lock, or the read lock and colmu) ---- */
SYNADB_PRIVATE void synadb__et_col_note_met(synadb_exp *t, const synadb__et_run *r, const synadb__et_met *m) {
    synadb__et_col *c;
    if (m->name >= t->ncols[0] || !(c = t->cols[0][m->name])) return;
    c->has[r->idx] = m->count != 0;
    c->v[r->idx] = m->lval;
}
SYNADB_PRIVATE void synadb__et_col_note(synadb_exp *t, int kind, uint32_t name, const synadb__et_run *r) {
    synadb__et_col *c;
    const synadb__et_kv *kv;
    if (name >= t->ncols[kind] || !(c = t->cols[kind][name])) return;
    kv = kind == 1 ? synadb__et_kv_get(r->params, r->np, name) : synadb__et_kv_get(r->tags, r->nt, name);
    c->vid[r->idx] = kv ? kv->vid : SYNADB__ET_NONE;
}
/* The column of (kind, name), built now if needed. Caller holds the read lock; NULL with
   *oom = 1 when out of memory. */
SYNADB_PRIVATE const synadb__et_col *synadb__et_col_get(synadb_exp *t, int kind, uint32_t name, int *oom) {
    synadb__et_col *c = NULL;
    size_t i;
    if (name == SYNADB__ET_NONE) return NULL;
    synadb__mutex_lock(&t->colmu);
    if (name >= t->ncols[kind]) {
        size_t nc = t->names.n + 16;
        synadb__et_col **nt = (synadb__et_col **)SYNADB_REALLOC(t->cols[kind], nc * sizeof *nt);
        if (!nt) goto oom;
        memset(nt + t->ncols[kind], 0, (nc - t->ncols[kind]) * sizeof *nt);
        t->cols[kind] = nt; t->ncols[kind] = nc;
    }
    c = t->cols[kind][name];
    if (!c) {
        size_t cap = t->colcap > t->nruns ? t->colcap : t->nruns + 1;
        c = (synadb__et_col *)SYNADB_MALLOC(sizeof *c);
        if (!c) goto oom;
        memset(c, 0, sizeof *c);
        if (kind == 0) {
            c->v = (double *)SYNADB_MALLOC(cap * sizeof *c->v);
            c->has = (uint8_t *)SYNADB_MALLOC(cap);
            if (!c->v || !c->has) goto oom;
            for (i = 0; i < t->nruns; i++) {
                const synadb__et_met *m = synadb__et_met_get(t->runs[i], name);
                c->has[i] = m && m->count;
                c->v[i] = m ? m->lval : 0;
            }
        } else {
            c->vid = (uint32_t *)SYNADB_MALLOC(cap * sizeof *c->vid);
            if (!c->vid) goto oom;
            for (i = 0; i < t->nruns; i++) {
                const synadb__et_run *r = t->runs[i];
                const synadb__et_kv *kv = kind == 1 ? synadb__et_kv_get(r->params, r->np, name) : synadb__et_kv_get(r->tags, r->nt, name);
                c->vid[i] = kv ? kv->vid : SYNADB__ET_NONE;
            }
        }
        if (cap > t->colcap && synadb__et_col_grow(t, cap)) goto oom;
        t->cols[kind][name] = c;
    }
    synadb__mutex_unlock(&t->colmu);
    return c;
oom:
    if (c && (name >= t->ncols[kind] || t->cols[kind][name] != c)) synadb__et_col_free(c);
    synadb__mutex_unlock(&t->colmu);
    *oom = 1;
    return NULL;
}

/* ---- keys and records ---- */
SYNADB_PRIVATE size_t synadb__et_key(char *buf, const char *id, char kind, const char *name, size_t nlen) {
    size_t n = 8;
    memcpy(buf, "exp/run/", 8);
    memcpy(buf + n, id, 36); n += 36;
    if (kind) { buf[n++] = '/'; buf[n++] = kind; buf[n++] = '/'; memcpy(buf + n, name, nlen); n += nlen; }
    buf[n] = 0;
    return n;
}
static const char *const synadb__et_status_names[4] = {"Running", "Completed", "Failed", "Killed"};
static const char *const synadb__et_status_mlflow[4] = {"RUNNING", "FINISHED", "FAILED", "KILLED"};
SYNADB_PRIVATE int synadb__et_meta_json(synadb_exp *t, const synadb__et_run *r, synadb__json *j) {
    synadb__jlit(j, "{\"id\":");
    synadb__jstr(j, r->id, 36);
    synadb__jlit(j, ",\"experiment_name\":");
    synadb__jstr(j, t->names.s[r->exp], t->names.len[r->exp]);
    synadb__jlit(j, ",\"started_us\":");
    synadb__jint(j, r->started_us);
    synadb__jlit(j, ",\"ended_us\":");
    if (r->ended_us) synadb__jint(j, r->ended_us); else synadb__jlit(j, "null");
    synadb__jlit(j, ",\"status\":");
    synadb__jstr(j, synadb__et_status_names[r->status & 3], strlen(synadb__et_status_names[r->status & 3]));
    synadb__jlit(j, "}");
    return j->oom ? -1 : 0;
}
SYNADB_PRIVATE void synadb__et_sum_encode(const synadb__et_met *m, uint8_t *p) {
    p[0] = 1;
    synadb__wr32(p + 1, m->nblocks);
    synadb__wr64(p + 5, m->count);
    synadb__wr64(p + 13, m->nvalid);
    synadb__wr64(p + 21, (uint64_t)m->lstep);
    synadb__wr64(p + 29, (uint64_t)m->lts);
    synadb__wr64(p + 37, synadb__d2u(m->lval));
    synadb__wr64(p + 45, synadb__d2u(m->min));
    synadb__wr64(p + 53, synadb__d2u(m->max));
    synadb__wr64(p + 61, synadb__d2u(m->sum));
}
SYNADB_PRIVATE int synadb__et_sum_decode(synadb__et_met *m, const uint8_t *p, size_t n) {
    if (n != SYNADB__ET_SUM_LEN || p[0] != 1) return -1;
    m->nblocks = synadb__rd32(p + 1);
    m->count = synadb__rd64(p + 5);
    m->nvalid = synadb__rd64(p + 13);
    m->lstep = (int64_t)synadb__rd64(p + 21);
    m->lts = (int64_t)synadb__rd64(p + 29);
    m->lval = synadb__u2d(synadb__rd64(p + 37));
    m->min = synadb__u2d(synadb__rd64(p + 45));
    m->max = synadb__u2d(synadb__rd64(p + 53));
    m->sum = synadb__u2d(synadb__rd64(p + 61));
    return 0;
}
/* Block encoding of n points into out (room for 5 + 28 n bytes); returns its length. */
SYNADB_PRIVATE size_t synadb__et_block_encode(const synadb__et_pt *pts, size_t n, uint8_t *out) {
    size_t i, len = 5;
    int64_t ps = 0, pt = 0;
    out[0] = 1;
    synadb__wr32(out + 1, (uint32_t)n);
    for (i = 0; i < n; i++) {
        len += synadb__put_varint(out + len, synadb__zigzag((int64_t)((uint64_t)pts[i].step - (uint64_t)ps)));
        len += synadb__put_varint(out + len, synadb__zigzag((int64_t)((uint64_t)pts[i].ts - (uint64_t)pt)));
        synadb__wr64(out + len, synadb__d2u(pts[i].v));
        len += 8;
        ps = pts[i].step; pt = pts[i].ts;
    }
    return len;
}
/* Appends the block's points to *out (growing it); -1 if it does not decode, -2 no memory. */
SYNADB_PRIVATE int synadb__et_block_decode(const uint8_t *p, size_t len, synadb__et_pt **out, size_t *n, size_t *cap) {
    const uint8_t *q = p + 5, *end = p + len;
    uint32_t cnt, i;
    int64_t ps = 0, pt = 0;
    if (len < 5 || p[0] != 1) return -1;
    cnt = synadb__rd32(p + 1);
    if (cnt > len) return -1;
    if (*n + cnt > *cap) {
        size_t nc = *cap * 2 > *n + cnt ? *cap * 2 : *n + cnt;
        synadb__et_pt *np = (synadb__et_pt *)SYNADB_REALLOC(*out, nc * sizeof *np);
        if (!np) return -2;
        *out = np; *cap = nc;
    }
    for (i = 0; i < cnt; i++) {
        uint64_t a, b;
        if (synadb__get_varint(&q, end, &a) || synadb__get_varint(&q, end, &b) || end - q < 8) return -1;
        ps = (int64_t)((uint64_t)ps + (uint64_t)synadb__unzigzag(a));
        pt = (int64_t)((uint64_t)pt + (uint64_t)synadb__unzigzag(b));
        (*out)[*n + i].step = ps; (*out)[*n + i].ts = pt;
        (*out)[*n + i].v = synadb__u2d(synadb__rd64(q));
        q += 8;
    }
    if (q != end) return -1;
    *n += cnt;
    return 0;
}

/* The digest of an ended run (exp/run/<id>/d/run): its params, tags, metric summaries and
   artifacts in one record, written with the final meta record and rewritten with each later
   tag, so that open reads one record per ended run instead of one per key. Layout: u8 1;
   u32 n, n x (u16 key length, key, u32 value length, value) for params, then for tags;
   u32 n, n x (u16, key, the 69-byte summary); u32 n, n x (u16, name, 64 hex, u64 size). */
SYNADB_PRIVATE synadb_result synadb__et_digest_build(synadb_exp *t, const synadb__et_run *r, uint8_t **out, size_t *len) {
    size_t n = 17, i, o = 0;
    uint8_t *p;
    for (i = 0; i < r->np; i++) n += 6 + t->names.len[r->params[i].key] + t->vals.len[r->params[i].vid];
    for (i = 0; i < r->nt; i++) n += 6 + t->names.len[r->tags[i].key] + t->vals.len[r->tags[i].vid];
    for (i = 0; i < r->nm; i++) n += 2 + t->names.len[r->mets[i].name] + SYNADB__ET_SUM_LEN;
    for (i = 0; i < r->na; i++) n += 2 + t->names.len[r->arts[i].name] + 72;
    p = (uint8_t *)SYNADB_MALLOC(n);
    if (!p) return synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
    p[o++] = 1;
#define SYNADB__ET_PUT(src, len_) do { memcpy(p + o, (src), (len_)); o += (len_); } while (0)
#define SYNADB__ET_NAME(id_) do { synadb__wr16(p + o, (uint16_t)t->names.len[id_]); o += 2; SYNADB__ET_PUT(t->names.s[id_], t->names.len[id_]); } while (0)
    synadb__wr32(p + o, (uint32_t)r->np); o += 4;
    for (i = 0; i < r->np; i++) {
        SYNADB__ET_NAME(r->params[i].key);
        synadb__wr32(p + o, (uint32_t)t->vals.len[r->params[i].vid]); o += 4;
        SYNADB__ET_PUT(t->vals.s[r->params[i].vid], t->vals.len[r->params[i].vid]);
    }
    synadb__wr32(p + o, (uint32_t)r->nt); o += 4;
    for (i = 0; i < r->nt; i++) {
        SYNADB__ET_NAME(r->tags[i].key);
        synadb__wr32(p + o, (uint32_t)t->vals.len[r->tags[i].vid]); o += 4;
        SYNADB__ET_PUT(t->vals.s[r->tags[i].vid], t->vals.len[r->tags[i].vid]);
    }
    synadb__wr32(p + o, (uint32_t)r->nm); o += 4;
    for (i = 0; i < r->nm; i++) { SYNADB__ET_NAME(r->mets[i].name); synadb__et_sum_encode(&r->mets[i], p + o); o += SYNADB__ET_SUM_LEN; }
    synadb__wr32(p + o, (uint32_t)r->na); o += 4;
    for (i = 0; i < r->na; i++) { SYNADB__ET_NAME(r->arts[i].name); SYNADB__ET_PUT(r->arts[i].hex, 64); synadb__wr64(p + o, r->arts[i].size); o += 8; }
#undef SYNADB__ET_NAME
#undef SYNADB__ET_PUT
    *out = p; *len = o;
    return SYNADB_OK;
}
/* A put of r's digest; *buf (to free) holds the value, kb (64 bytes) the key. */
SYNADB_PRIVATE synadb_result synadb__et_digest_op(synadb_exp *t, const synadb__et_run *r, synadb_batch_op *op, uint8_t **buf, char *kb) {
    size_t len = 0;
    synadb_result rc = synadb__et_digest_build(t, r, buf, &len);
    if (rc) return rc;
    memset(op, 0, sizeof *op);
    op->key = kb; op->key_len = synadb__et_key(kb, r->id, 'd', "run", 3); op->op = SYNADB_OP_PUT;
    op->value.type = SYNADB_TYPE_BYTES; op->value.data = *buf; op->value.len = len;
    return SYNADB_OK;
}
/* 0, -1 damaged, -2 out of memory. */
SYNADB_PRIVATE int synadb__et_digest_load(synadb_exp *t, synadb__et_run *r, const uint8_t *p, size_t n) {
    const uint8_t *q = p + 1, *end = p + n;
    uint32_t cnt, i;
    int part;
    if (n < 17 || p[0] != 1) return -1;
    for (part = 0; part < 4; part++) {
        if (end - q < 4) return -1;
        cnt = synadb__rd32(q); q += 4;
        for (i = 0; i < cnt; i++) {
            size_t kl, vl;
            uint32_t id;
            if (end - q < 2) return -1;
            kl = synadb__rd16(q); q += 2;
            if ((size_t)(end - q) < kl || !kl) return -1;
            id = synadb__et_intern(&t->names, (const char *)q, kl);
            if (id == SYNADB__ET_NONE) return -2;
            q += kl;
            if (part < 2) {
                if (end - q < 4) return -1;
                vl = synadb__rd32(q); q += 4;
                if ((size_t)(end - q) < vl) return -1;
                if (synadb__et_kv_set(&t->vals, part ? &r->tags : &r->params, part ? &r->nt : &r->np, part ? &r->ct : &r->cp, id, (const char *)q, vl)) return -2;
                q += vl;
            } else if (part == 2) {
                synadb__et_met *m;
                if (end - q < SYNADB__ET_SUM_LEN) return -1;
                m = synadb__et_met_add(r, id);
                if (!m) return -2;
                if (synadb__et_sum_decode(m, q, SYNADB__ET_SUM_LEN)) return -1;
                q += SYNADB__ET_SUM_LEN;
            } else {
                char hex[65];
                if (end - q < 72) return -1;
                memcpy(hex, q, 64); hex[64] = 0;
                if (synadb__et_art_set(r, id, hex, synadb__rd64(q + 64))) return -2;
                q += 72;
            }
        }
    }
    return q == end ? 0 : -1;
}
/* After a full write: the series leave the dirty list and give back their buffers. */
SYNADB_PRIVATE void synadb__et_unlist(synadb_exp *t) {
    size_t i;
    for (i = 0; i < t->ndirty; i++) {
        synadb__et_met *m = synadb__et_met_get(t->dirty[i].r, t->dirty[i].name);
        if (!m) continue;
        m->listed = 0;
        if (!m->npend) { SYNADB_FREE(m->pend); m->pend = NULL; m->cpend = 0; }
    }
    t->ndirty = 0;
}
/* ---- writing buffered points ----
   The pending points of the listed series (all of them when only is NULL) go to the log:
   per series, blocks of at most 65536 points plus the summary, all in one atomic batch. On
   failure nothing is written and the points stay pending. Caller holds the write lock. */
SYNADB_PRIVATE synadb_result synadb__et_spill(synadb_exp *t, synadb__et_run *only_run, synadb__et_met *only) {
    const size_t MAXB = 65536;
    size_t nser = 0, nops = 0, i, k, o = 0, total = 0;
    synadb__et_run **sr = NULL;
    synadb__et_met **sm = NULL;
    synadb_batch_op *ops = NULL;
    uint8_t *buf = NULL;
    char *keys = NULL;
    synadb_result r = SYNADB_OK;
    size_t failed = 0;
    if (only) nser = 1;
    else for (i = 0; i < t->ndirty; i++) {
        synadb__et_met *m = synadb__et_met_get(t->dirty[i].r, t->dirty[i].name);
        if (m && m->npend) nser++;
    }
    if (!nser) { if (!only) synadb__et_unlist(t); return SYNADB_OK; }
    sr = (synadb__et_run **)SYNADB_MALLOC(nser * sizeof *sr);
    sm = (synadb__et_met **)SYNADB_MALLOC(nser * sizeof *sm);
    if (!sr || !sm) { r = SYNADB_ERR_NO_MEMORY; goto done; }
    if (only) { sr[0] = only_run; sm[0] = only; }
    else for (i = 0, k = 0; i < t->ndirty; i++) {
        synadb__et_met *m = synadb__et_met_get(t->dirty[i].r, t->dirty[i].name);
        if (m && m->npend) { sr[k] = t->dirty[i].r; sm[k] = m; k++; }
    }
    for (i = 0; i < nser; i++) {
        nops += 1 + (sm[i]->npend + MAXB - 1) / MAXB;
        total += 5 * ((sm[i]->npend + MAXB - 1) / MAXB) + 28 * sm[i]->npend + SYNADB__ET_SUM_LEN;
    }
    ops = (synadb_batch_op *)SYNADB_MALLOC(nops * sizeof *ops);
    buf = (uint8_t *)SYNADB_MALLOC(total);
    keys = (char *)SYNADB_MALLOC(nops * 320);
    if (!ops || !buf || !keys) { r = SYNADB_ERR_NO_MEMORY; goto done; }
    memset(ops, 0, nops * sizeof *ops);
    for (i = 0, k = 0; i < nser; i++) {
        synadb__et_met *m = sm[i];
        const char *nm = t->names.s[m->name];
        size_t nl = t->names.len[m->name], done_pts = 0;
        uint32_t b = m->nblocks;
        while (done_pts < m->npend) {
            size_t cnt = m->npend - done_pts < MAXB ? m->npend - done_pts : MAXB;
            char *kb = keys + k * 320;
            size_t kl = synadb__et_key(kb, sr[i]->id, 's', nm, nl);
            kl += (size_t)snprintf(kb + kl, 12, "/%08x", (unsigned)b++);
            ops[k].key = kb; ops[k].key_len = kl; ops[k].op = SYNADB_OP_PUT;
            ops[k].value.type = SYNADB_TYPE_BYTES;
            ops[k].value.data = buf + o;
            ops[k].value.len = synadb__et_block_encode(m->pend + done_pts, cnt, buf + o);
            o += ops[k].value.len;
            done_pts += cnt;
            k++;
        }
        {
            synadb__et_met tmp = *m;
            char *kb = keys + k * 320;
            tmp.nblocks = b;
            ops[k].key = kb; ops[k].key_len = synadb__et_key(kb, sr[i]->id, 'l', nm, nl); ops[k].op = SYNADB_OP_PUT;
            ops[k].value.type = SYNADB_TYPE_BYTES;
            synadb__et_sum_encode(&tmp, buf + o);
            ops[k].value.data = buf + o;
            ops[k].value.len = SYNADB__ET_SUM_LEN;
            o += SYNADB__ET_SUM_LEN;
            k++;
        }
    }
    r = synadb_write_batch(t->db, ops, nops, &failed);
    if (r) { r = synadb__et_dberr(t, r, "writing metric points"); goto done; }
    for (i = 0; i < nser; i++) {
        synadb__et_met *m = sm[i];
        m->nblocks += (uint32_t)((m->npend + MAXB - 1) / MAXB);
        t->pending -= m->npend;
        m->npend = 0;
    }
    if (!only) synadb__et_unlist(t);
done:
    if (r == SYNADB_ERR_NO_MEMORY) synadb__et_err(t, r, "out of memory writing metric points");
    SYNADB_FREE(sr); SYNADB_FREE(sm); SYNADB_FREE(ops); SYNADB_FREE(buf); SYNADB_FREE(keys);
    return r;
}
SYNADB_PRIVATE synadb_result synadb__et_sync(synadb_exp *t) {
    synadb_result r;
    if (t->cfg.no_sync) return SYNADB_OK;
    r = synadb_sync(t->db);
    return r ? synadb__et_dberr(t, r, "flushing to the device") : SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_exp_flush(synadb_exp *t) {
    synadb_result r;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    synadb__rw_wrlock(&t->rw);
    r = synadb__et_spill(t, NULL, NULL);
    synadb__rw_wrunlock(&t->rw);
    if (!r) { r = synadb_sync(t->db); if (r) synadb__et_dberr(t, r, "flushing to the device"); }
    return r;
}

/* ---- open / close ---- */
SYNADB_PRIVATE void synadb__et_free_all(synadb_exp *t) {
    size_t i;
    for (i = 0; i < t->nruns; i++) synadb__et_run_free(t->runs[i]);
    for (i = 0; i < t->names.n; i++) SYNADB_FREE(t->names.s[i]);
    SYNADB_FREE(t->names.s); SYNADB_FREE(t->names.len); SYNADB_FREE(t->names.h); SYNADB_FREE(t->names.tab);
    for (i = 0; i < t->vals.n; i++) SYNADB_FREE(t->vals.s[i]);
    SYNADB_FREE(t->vals.s); SYNADB_FREE(t->vals.len); SYNADB_FREE(t->vals.h); SYNADB_FREE(t->vals.tab);
    {
        int k;
        for (k = 0; k < 3; k++) { for (i = 0; i < t->ncols[k]; i++) synadb__et_col_free(t->cols[k][i]); SYNADB_FREE(t->cols[k]); }
    }
    synadb__mutex_destroy(&t->colmu);
    SYNADB_FREE(t->runs); SYNADB_FREE(t->rtab); SYNADB_FREE(t->dirty);
    synadb__rw_destroy(&t->rw);
    synadb__mutex_destroy(&t->emu);
    SYNADB_FREE(t);
}
SYNADB_PRIVATE int synadb__et_status_of(const char *s, size_t n) {
    int i;
    size_t k;
    for (i = 0; i < 4; i++) {
        const char *a = synadb__et_status_names[i], *b = synadb__et_status_mlflow[i];
        int ea = strlen(a) == n, eb = strlen(b) == n;
        for (k = 0; k < n && (ea || eb); k++) {
            char c = s[k];
            if (c >= 'a' && c <= 'z') c = (char)(c - 32);
            if (ea && ((a[k] >= 'a' && a[k] <= 'z') ? a[k] - 32 : a[k]) != c) ea = 0;
            if (eb && b[k] != c) eb = 0;
        }
        if (ea || eb) return i;
    }
    if (n == 9) {
        char u[10];
        for (k = 0; k < 9; k++) u[k] = (char)((s[k] >= 'a' && s[k] <= 'z') ? s[k] - 32 : s[k]);
        u[9] = 0;
        if (!strcmp(u, "COMPLETED")) return 1;
    }
    return -1;
}
/* Loads one key of the listing (sorted, so a run's meta comes before its other keys). */
/* pass 0 reads the meta and digest records, pass 1 the others (skipped for runs whose digest
   was read). */
SYNADB_PRIVATE synadb_result synadb__et_load_key(synadb_exp *t, const char *key, size_t klen, int pass) {
    synadb__et_run *r;
    synadb_result rc = SYNADB_OK;
    void *val = NULL;
    size_t vlen = 0;
    char kind, sbuf[6400];
    int heap = 0;
    const char *name;
    size_t nlen;
    uint32_t id;
    if (klen < 44) return SYNADB_OK;
    if (klen > 44 && (klen < 48 || key[44] != '/' || key[46] != '/')) return SYNADB_OK;
    kind = klen == 44 ? 0 : key[45];
    if (kind == 's') return SYNADB_OK;
    if (kind && kind != 'p' && kind != 't' && kind != 'l' && kind != 'a' && kind != 'd') return SYNADB_OK;
    if ((pass == 0) != (kind == 0 || kind == 'd')) return SYNADB_OK;
    {
        char id36[37];
        memcpy(id36, key + 8, 36); id36[36] = 0;
        r = synadb__et_find_run(t, id36);
        if (!r) r = synadb__et_add_run(t, id36);
    }
    if (!r) return SYNADB_ERR_NO_MEMORY;
    if (pass == 1 && r->has_digest) return SYNADB_OK;
    rc = synadb_get_bytes_into(t->db, key, klen, sbuf, sizeof sbuf - 1, &vlen);
    if (rc == SYNADB_ERR_TYPE_MISMATCH) return SYNADB_OK;
    if (!rc) { sbuf[vlen] = 0; val = sbuf; }
    else if (rc == SYNADB_ERR_BUFFER_TOO_SMALL) {
        synadb_value sv;
        rc = synadb_get(t->db, key, klen, &sv);
        if (rc) return synadb__et_dberr(t, rc, "reading the run index");
        if (sv.type != SYNADB_TYPE_TEXT && sv.type != SYNADB_TYPE_BYTES) { synadb_value_free(t->db, &sv); return SYNADB_OK; }
        val = (void *)sv.data; vlen = sv.len;   /* from the default allocator (SYNADB_MALLOC) */
        heap = 1;
    } else return synadb__et_dberr(t, rc, "reading the run index");
    name = key + 47; nlen = klen - 47;
    if (!kind) {
        synadb__jdoc d;
        const synadb__jv *e, *s, *su, *eu;
        if (synadb__jparse((const char *)val, vlen, &d)) { rc = SYNADB_ERR_CORRUPT; goto bad; }
        e = synadb__jget(d.root, "experiment_name"); s = synadb__jget(d.root, "status");
        su = synadb__jget(d.root, "started_us"); eu = synadb__jget(d.root, "ended_us");
        if (!e || e->type != SYNADB__JSTR || !s || s->type != SYNADB__JSTR || !su || su->type != SYNADB__JNUM) { synadb__jdoc_free(&d); rc = SYNADB_ERR_CORRUPT; goto bad; }
        r->exp = synadb__et_intern(&t->names, e->s, e->n);
        r->status = synadb__et_status_of(s->s, s->n);
        if (r->status < 0) r->status = SYNADB_EXP_COMPLETED;
        r->started_us = su->i;
        r->ended_us = eu && eu->type == SYNADB__JNUM ? eu->i : 0;
        r->has_meta = 1;
        synadb__jdoc_free(&d);
        if (r->exp == SYNADB__ET_NONE) rc = SYNADB_ERR_NO_MEMORY;
    } else {
        id = synadb__et_intern(&t->names, name, nlen);
        if (id == SYNADB__ET_NONE) rc = SYNADB_ERR_NO_MEMORY;
        else if (kind == 'p') { if (synadb__et_kv_set(&t->vals, &r->params, &r->np, &r->cp, id, (const char *)val, vlen)) rc = SYNADB_ERR_NO_MEMORY; }
        else if (kind == 't') { if (synadb__et_kv_set(&t->vals, &r->tags, &r->nt, &r->ct, id, (const char *)val, vlen)) rc = SYNADB_ERR_NO_MEMORY; }
        else if (kind == 'd') {
            int e = synadb__et_digest_load(t, r, (const uint8_t *)val, vlen);
            if (e == -2) rc = SYNADB_ERR_NO_MEMORY;
            else if (e) { rc = SYNADB_ERR_CORRUPT; goto bad; }
            else r->has_digest = 1;
        }
        else if (kind == 'l') {
            synadb__et_met *m = synadb__et_met_add(r, id);
            if (!m) rc = SYNADB_ERR_NO_MEMORY;
            else if (synadb__et_sum_decode(m, (const uint8_t *)val, vlen)) { rc = SYNADB_ERR_CORRUPT; goto bad; }
        } else {
            const char *v = (const char *)val;
            if (vlen < 66 || v[64] != ' ') { rc = SYNADB_ERR_CORRUPT; goto bad; }
            if (synadb__et_art_set(r, id, v, (uint64_t)strtoull(v + 65, NULL, 10))) rc = SYNADB_ERR_NO_MEMORY;
        }
    }
    if (heap) SYNADB_FREE(val);
    if (rc == SYNADB_ERR_NO_MEMORY) synadb__et_err(t, rc, "out of memory loading the run index");
    return rc;
bad:
    if (heap) SYNADB_FREE(val);
    return synadb__et_err(t, rc, "damaged tracker record '%.*s'", (int)klen, key);
}
/* The keys of the index (all but the series blocks), collected in one buffer: the walk
   holds the database's read lock, so the records are read after it. */
typedef struct synadb__et_keys { char *buf; size_t *off; size_t n, len, cap, ocap; int oom; } synadb__et_keys;
SYNADB_PRIVATE int synadb__et_collect(void *user, const char *key, size_t klen, synadb_type type) {
    synadb__et_keys *c = (synadb__et_keys *)user;
    (void)type;
    if (klen > 46 && key[45] == 's' && key[44] == '/' && key[46] == '/') return 0;
    if (c->len + klen > c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 65536;
        char *nb;
        while (nc < c->len + klen) nc *= 2;
        nb = (char *)SYNADB_REALLOC(c->buf, nc);
        if (!nb) { c->oom = 1; return 1; }
        c->buf = nb; c->cap = nc;
    }
    if (c->n + 2 > c->ocap) {
        size_t nc = c->ocap ? c->ocap * 2 : 4096;
        size_t *no = (size_t *)SYNADB_REALLOC(c->off, nc * sizeof *no);
        if (!no) { c->oom = 1; return 1; }
        c->off = no; c->ocap = nc;
    }
    memcpy(c->buf + c->len, key, klen);
    c->off[c->n] = c->len;
    c->len += klen;
    c->off[++c->n] = c->len;
    return 0;
}
SYNADB_ML_API synadb_result synadb_exp_open(const char *path, const synadb_exp_config *cfg, synadb_exp **out) {
    synadb_exp *t;
    synadb_config dc = synadb_config_default();
    synadb__et_keys kc;
    synadb_result r;
    size_t i, k;
    char err[256];
    if (!out) return SYNADB_ERR_INVALID_ARG;
    *out = NULL;
    if (!path || !*path) return SYNADB_ERR_INVALID_ARG;
    t = (synadb_exp *)SYNADB_MALLOC(sizeof *t);
    if (!t) return SYNADB_ERR_NO_MEMORY;
    memset(t, 0, sizeof *t);
    t->cfg = synadb_exp_config_default();
    if (cfg) {
        t->cfg.no_sync = cfg->no_sync;
        if (cfg->block_points) t->cfg.block_points = cfg->block_points;
        if (cfg->max_pending_points) t->cfg.max_pending_points = cfg->max_pending_points;
    }
    synadb__rw_init(&t->rw);
    synadb__mutex_init(&t->emu);
    synadb__mutex_init(&t->colmu);
    dc.sync_on_write = 0;
    r = synadb_open_ex(path, &dc, &t->db, err, sizeof err);
    if (r) { synadb__et_free_all(t); return r; }
    memset(&kc, 0, sizeof kc);
    r = synadb_foreach_key(t->db, "exp/run/*", SYNADB_NTS, synadb__et_collect, &kc);
    if (!r && kc.oom) r = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory loading the run index");
    for (i = 0; i < kc.n && !r; i++) r = synadb__et_load_key(t, kc.buf + kc.off[i], kc.off[i + 1] - kc.off[i], 0);
    for (i = 0; !r && i < t->nruns; i++)   /* a digest counts only for a run whose meta says it ended */
        if (t->runs[i]->has_digest && (!t->runs[i]->has_meta || t->runs[i]->status == SYNADB_EXP_RUNNING)) r = synadb__et_err(t, SYNADB_ERR_CORRUPT, "run %s has a digest but has not ended", t->runs[i]->id);
    for (i = 0; i < kc.n && !r; i++) r = synadb__et_load_key(t, kc.buf + kc.off[i], kc.off[i + 1] - kc.off[i], 1);
    SYNADB_FREE(kc.buf); SYNADB_FREE(kc.off);
    /* runs without a meta record (cannot be written that way) are dropped */
    for (i = 0, k = 0; !r && i < t->nruns; i++) {
        if (t->runs[i]->has_meta) { t->runs[i]->idx = (uint32_t)k; t->runs[k++] = t->runs[i]; }
        else synadb__et_run_free(t->runs[i]);
    }
    if (!r && k != t->nruns) {
        t->nruns = k;
        memset(t->rtab, 0, t->rcap * sizeof *t->rtab);
        for (i = 0; i < k; i++) {
            size_t j;
            for (j = (size_t)synadb__hash(t->runs[i]->id, 36, 0x52554e53ull) & (t->rcap - 1); t->rtab[j]; j = (j + 1) & (t->rcap - 1)) {}
            t->rtab[j] = (uint32_t)i + 1;
        }
    }
    if (r) { synadb_close(t->db); synadb__et_free_all(t); return r; }
    *out = t;
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_exp_close(synadb_exp *t) {
    synadb_result r, r2;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    synadb__rw_wrlock(&t->rw);
    r = synadb__et_spill(t, NULL, NULL);
    synadb__rw_wrunlock(&t->rw);
    r2 = synadb_close(t->db);
    synadb__et_free_all(t);
    return r ? r : r2;
}

/* ---- writes ---- */
SYNADB_PRIVATE void synadb__et_uuid(synadb_exp *t, char out[37]) {
    static const char hx[] = "0123456789abcdef";
    uint8_t b[16];
    uint64_t a = synadb__random64(t), c = synadb__random64(out);
    int i, o = 0;
    for (i = 0; i < 8; i++) { b[i] = (uint8_t)(a >> (8 * i)); b[8 + i] = (uint8_t)(c >> (8 * i)); }
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);   /* version 4 */
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);   /* variant 10 */
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
        out[o++] = hx[b[i] >> 4];
        out[o++] = hx[b[i] & 15];
    }
    out[36] = 0;
}
/* The run (write lock held) or an error: NULL id, unknown run, and (live != 0) ended run. */
SYNADB_PRIVATE synadb__et_run *synadb__et_run_for(synadb_exp *t, const char *run_id, int live, synadb_result *rc) {
    synadb__et_run *r;
    if (!run_id) { *rc = synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "run_id is NULL"); return NULL; }
    r = synadb__et_find_run(t, run_id);
    if (!r) { *rc = synadb__et_err(t, SYNADB_ERR_KEY_NOT_FOUND, "no run '%.40s'", run_id); return NULL; }
    if (live && r->status != SYNADB_EXP_RUNNING) {
        *rc = synadb__et_err(t, SYNADB_ERR_RUN_ENDED, "run %s has ended (%s)", r->id, synadb__et_status_names[r->status & 3]);
        return NULL;
    }
    *rc = SYNADB_OK;
    return r;
}
SYNADB_PRIVATE synadb_result synadb__et_put_meta(synadb_exp *t, const synadb__et_run *r, synadb_batch_op *op, synadb__json *j, char *kb) {
    memset(j, 0, sizeof *j);
    if (synadb__et_meta_json(t, r, j)) { SYNADB_FREE(j->p); j->p = NULL; return synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory"); }
    memset(op, 0, sizeof *op);
    op->key = kb; op->key_len = synadb__et_key(kb, r->id, 0, NULL, 0); op->op = SYNADB_OP_PUT;
    op->value.type = SYNADB_TYPE_TEXT; op->value.data = j->p; op->value.len = j->n;
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_exp_start_run(synadb_exp *t, const char *experiment, const synadb_exp_kv *tags, size_t ntags, char out_id[37]) {
    size_t en = 0, i, *kl = NULL, *vl = NULL;
    synadb_result rc = SYNADB_OK;
    synadb__et_run *r;
    synadb_batch_op *ops = NULL;
    char *kbuf = NULL;
    synadb__json j;
    char id[37];
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!out_id) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out_id is NULL");
    out_id[0] = 0;
    if (!experiment) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "experiment is NULL");
    for (en = 0; en <= SYNADB__ET_EXP_MAX && experiment[en]; en++)
        if ((unsigned char)experiment[en] < 0x20) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "experiment name has a control character");
    if (!en) return synadb__et_err(t, SYNADB_ERR_EMPTY_KEY, "experiment name is empty");
    if (en > SYNADB__ET_EXP_MAX) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "experiment name is longer than %d bytes", SYNADB__ET_EXP_MAX);
    if (!synadb__utf8_valid((const uint8_t *)experiment, en)) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "experiment name is not valid UTF-8");
    if (ntags && !tags) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "tags is NULL");
    kl = (size_t *)SYNADB_MALLOC((ntags + 1) * sizeof *kl);
    vl = (size_t *)SYNADB_MALLOC((ntags + 1) * sizeof *vl);
    ops = (synadb_batch_op *)SYNADB_MALLOC((ntags + 1) * sizeof *ops);
    kbuf = (char *)SYNADB_MALLOC((ntags + 1) * 320);
    if (!kl || !vl || !ops || !kbuf) { rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
    for (i = 0; i < ntags && !rc; i++) {
        rc = synadb__et_check_name(t, tags[i].key, "tag key", &kl[i]);
        if (!rc) rc = synadb__et_check_value(t, tags[i].value ? tags[i].value : "", SYNADB__ET_TAG_MAX, "tag value", &vl[i]);
    }
    if (rc) goto out;
    memset(&j, 0, sizeof j);
    synadb__rw_wrlock(&t->rw);
    do synadb__et_uuid(t, id); while (synadb__et_find_run(t, id));
    r = synadb__et_add_run(t, id);
    if (!r) { synadb__rw_wrunlock(&t->rw); rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
    r->exp = synadb__et_intern(&t->names, experiment, en);
    r->status = SYNADB_EXP_RUNNING;
    r->started_us = (int64_t)synadb__now_us();
    r->has_meta = 1;
    rc = r->exp == SYNADB__ET_NONE ? synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory") : synadb__et_put_meta(t, r, &ops[0], &j, kbuf);
    for (i = 0; i < ntags && !rc; i++) {
        uint32_t k = synadb__et_intern(&t->names, tags[i].key, kl[i]);
        if (k == SYNADB__ET_NONE || synadb__et_kv_set(&t->vals, &r->tags, &r->nt, &r->ct, k, tags[i].value ? tags[i].value : "", vl[i])) rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
        else synadb__et_col_note(t, 2, k, r);
        memset(&ops[i + 1], 0, sizeof ops[i + 1]);
        ops[i + 1].key = kbuf + (i + 1) * 320;
        ops[i + 1].key_len = synadb__et_key(kbuf + (i + 1) * 320, id, 't', tags[i].key, kl[i]);
        ops[i + 1].value.type = SYNADB_TYPE_TEXT;
        ops[i + 1].value.data = tags[i].value ? tags[i].value : "";
        ops[i + 1].value.len = vl[i];
    }
    if (!rc) {
        rc = synadb_write_batch(t->db, ops, ntags + 1, NULL);
        if (rc) synadb__et_dberr(t, rc, "writing the run");
    }
    SYNADB_FREE(j.p);
    if (rc) {   /* forget the run: it is the last one added */
        size_t s;
        for (s = (size_t)synadb__hash(id, 36, 0x52554e53ull) & (t->rcap - 1); t->rtab[s] != t->nruns; s = (s + 1) & (t->rcap - 1)) {}
        t->rtab[s] = 0;
        t->nruns--;
        synadb__et_run_free(r);
        /* re-insert the entries displaced after the hole */
        for (s = (s + 1) & (t->rcap - 1); t->rtab[s]; s = (s + 1) & (t->rcap - 1)) {
            uint32_t v = t->rtab[s];
            size_t q;
            t->rtab[s] = 0;
            for (q = (size_t)synadb__hash(t->runs[v - 1]->id, 36, 0x52554e53ull) & (t->rcap - 1); t->rtab[q]; q = (q + 1) & (t->rcap - 1)) {}
            t->rtab[q] = v;
        }
    }
    synadb__rw_wrunlock(&t->rw);
    if (!rc) rc = synadb__et_sync(t);
    if (!rc) memcpy(out_id, id, 37);
out:
    SYNADB_FREE(kl); SYNADB_FREE(vl); SYNADB_FREE(ops); SYNADB_FREE(kbuf);
    return rc;
}
SYNADB_ML_API synadb_result synadb_exp_end_run(synadb_exp *t, const char *run_id, int32_t status) {
    synadb_result rc;
    synadb__et_run *r;
    synadb_batch_op op[2];
    synadb__json j;
    uint8_t *dg = NULL;
    char kb[64], kd[64];
    int64_t old_end;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (status < SYNADB_EXP_COMPLETED || status > SYNADB_EXP_KILLED)
        return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "status %d: a run ends as 1 Completed, 2 Failed or 3 Killed", (int)status);
    synadb__rw_wrlock(&t->rw);
    r = synadb__et_run_for(t, run_id, 1, &rc);
    if (r) {
        /* the run's buffered points first, so that an ended run is complete on disk */
        size_t i;
        for (i = 0; i < r->nm && !rc; i++) if (r->mets[i].npend) rc = synadb__et_spill(t, r, &r->mets[i]);
    }
    if (r && !rc) {
        old_end = r->ended_us;
        r->status = status;
        r->ended_us = (int64_t)synadb__now_us();
        rc = synadb__et_put_meta(t, r, &op[0], &j, kb);
        if (!rc) rc = synadb__et_digest_op(t, r, &op[1], &dg, kd);
        if (!rc) {
            rc = synadb_write_batch(t->db, op, 2, NULL);
            if (rc) synadb__et_dberr(t, rc, "writing the run");
        }
        SYNADB_FREE(j.p);
        SYNADB_FREE(dg);
        if (rc) { r->status = SYNADB_EXP_RUNNING; r->ended_us = old_end; }
    }
    synadb__rw_wrunlock(&t->rw);
    if (!rc) rc = synadb__et_sync(t);
    return rc;
}
SYNADB_ML_API synadb_result synadb_exp_log_params(synadb_exp *t, const char *run_id, const synadb_exp_kv *params, size_t n) {
    synadb_result rc = SYNADB_OK;
    synadb__et_run *r;
    size_t i, k, *kl = NULL, *vl = NULL, nops = 0;
    synadb_batch_op *ops = NULL;
    char *kbuf = NULL;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (n && !params) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "params is NULL");
    kl = (size_t *)SYNADB_MALLOC((n + 1) * sizeof *kl);
    vl = (size_t *)SYNADB_MALLOC((n + 1) * sizeof *vl);
    ops = (synadb_batch_op *)SYNADB_MALLOC((n + 1) * sizeof *ops);
    kbuf = (char *)SYNADB_MALLOC((n + 1) * 320);
    if (!kl || !vl || !ops || !kbuf) { rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
    for (i = 0; i < n && !rc; i++) {
        rc = synadb__et_check_name(t, params[i].key, "param key", &kl[i]);
        if (!rc) rc = synadb__et_check_value(t, params[i].value, SYNADB__ET_PARAM_MAX, "param value", &vl[i]);
        for (k = 0; k < i && !rc; k++)
            if (kl[k] == kl[i] && !memcmp(params[k].key, params[i].key, kl[i]) && (vl[k] != vl[i] || memcmp(params[k].value, params[i].value, vl[i])))
                rc = synadb__et_err(t, SYNADB_ERR_PARAM_CONFLICT, "param '%s' is given twice with different values", params[i].key);
    }
    if (rc) goto out;
    synadb__rw_wrlock(&t->rw);
    r = synadb__et_run_for(t, run_id, 1, &rc);
    for (i = 0; r && i < n && !rc; i++) {
        uint32_t id = synadb__et_lookup(&t->names, params[i].key, kl[i]);
        const synadb__et_kv *kv = id == SYNADB__ET_NONE ? NULL : synadb__et_kv_get(r->params, r->np, id);
        int dup = 0;
        if (kv) {
            if (t->vals.len[kv->vid] != vl[i] || memcmp(t->vals.s[kv->vid], params[i].value, vl[i]))
                rc = synadb__et_err(t, SYNADB_ERR_PARAM_CONFLICT, "param '%s' of run %s is already '%.100s'", params[i].key, r->id, t->vals.s[kv->vid]);
            continue;
        }
        for (k = 0; k < i; k++) if (kl[k] == kl[i] && !memcmp(params[k].key, params[i].key, kl[i])) dup = 1;
        if (dup) continue;
        memset(&ops[nops], 0, sizeof ops[nops]);
        ops[nops].key = kbuf + nops * 320;
        ops[nops].key_len = synadb__et_key(kbuf + nops * 320, r->id, 'p', params[i].key, kl[i]);
        ops[nops].value.type = SYNADB_TYPE_TEXT;
        ops[nops].value.data = params[i].value;
        ops[nops].value.len = vl[i];
        nops++;
    }
    if (r && !rc && nops) {
        rc = synadb_write_batch(t->db, ops, nops, NULL);
        if (rc) synadb__et_dberr(t, rc, "writing params");
        for (i = 0; i < nops && !rc; i++) {
            const char *key = ops[i].key + 47;
            size_t klen = ops[i].key_len - 47;
            uint32_t id = synadb__et_intern(&t->names, key, klen);
            if (id == SYNADB__ET_NONE || synadb__et_kv_set(&t->vals, &r->params, &r->np, &r->cp, id, (const char *)ops[i].value.data, ops[i].value.len))
                rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory (the params are written; reopen to see them)");
            else synadb__et_col_note(t, 1, id, r);
        }
    }
    synadb__rw_wrunlock(&t->rw);
    if (!rc && nops) rc = synadb__et_sync(t);
out:
    SYNADB_FREE(kl); SYNADB_FREE(vl); SYNADB_FREE(ops); SYNADB_FREE(kbuf);
    return rc;
}
SYNADB_ML_API synadb_result synadb_exp_log_param(synadb_exp *t, const char *run_id, const char *key, const char *value) {
    synadb_exp_kv kv;
    kv.key = key; kv.value = value;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!key) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "param key is NULL");
    return synadb_exp_log_params(t, run_id, &kv, 1);
}
SYNADB_ML_API synadb_result synadb_exp_set_tag(synadb_exp *t, const char *run_id, const char *key, const char *value) {
    synadb_result rc;
    synadb__et_run *r;
    size_t kl, vl;
    char kb[320];
    uint32_t id;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    rc = synadb__et_check_name(t, key, "tag key", &kl);
    if (!rc) rc = synadb__et_check_value(t, value, SYNADB__ET_TAG_MAX, "tag value", &vl);
    if (rc) return rc;
    synadb__rw_wrlock(&t->rw);
    r = synadb__et_run_for(t, run_id, 0, &rc);
    if (r && r->status == SYNADB_EXP_RUNNING) {
        size_t n = synadb__et_key(kb, r->id, 't', key, kl);
        rc = synadb_put_text(t->db, kb, n, value, vl);
        if (rc) synadb__et_dberr(t, rc, "writing a tag");
        else {
            id = synadb__et_intern(&t->names, key, kl);
            if (id == SYNADB__ET_NONE || synadb__et_kv_set(&t->vals, &r->tags, &r->nt, &r->ct, id, value, vl)) rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
            else synadb__et_col_note(t, 2, id, r);
        }
    } else if (r) {   /* an ended run: the tag and the run's new digest in one batch */
        synadb_batch_op ops[2];
        uint8_t *dg = NULL;
        char kd[64];
        const synadb__et_kv *old;
        uint32_t old_vid = SYNADB__ET_NONE;
        id = synadb__et_intern(&t->names, key, kl);
        old = id == SYNADB__ET_NONE ? NULL : synadb__et_kv_get(r->tags, r->nt, id);
        if (old) old_vid = old->vid;
        if (id == SYNADB__ET_NONE || synadb__et_kv_set(&t->vals, &r->tags, &r->nt, &r->ct, id, value, vl)) rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
        else {
            memset(ops, 0, sizeof ops);
            ops[0].key = kb; ops[0].key_len = synadb__et_key(kb, r->id, 't', key, kl); ops[0].op = SYNADB_OP_PUT;
            ops[0].value.type = SYNADB_TYPE_TEXT; ops[0].value.data = value; ops[0].value.len = vl;
            rc = synadb__et_digest_op(t, r, &ops[1], &dg, kd);
            if (!rc) { rc = synadb_write_batch(t->db, ops, 2, NULL); if (rc) synadb__et_dberr(t, rc, "writing a tag"); }
            SYNADB_FREE(dg);
            if (rc) {   /* as before */
                int hit;
                size_t pos = synadb__et_kv_pos(r->tags, r->nt, id, &hit);
                if (old_vid != SYNADB__ET_NONE) r->tags[pos].vid = old_vid;
                else { memmove(r->tags + pos, r->tags + pos + 1, (r->nt - pos - 1) * sizeof *r->tags); r->nt--; }
            } else synadb__et_col_note(t, 2, id, r);
        }
    }
    synadb__rw_wrunlock(&t->rw);
    if (!rc) rc = synadb__et_sync(t);
    return rc;
}

/* Metric points. Caller holds the write lock; the name is checked. */
SYNADB_PRIVATE synadb__et_met *synadb__et_met_for(synadb_exp *t, synadb__et_run *r, const char *key, size_t kl) {
    uint32_t id = synadb__et_intern(&t->names, key, kl);
    synadb__et_met *m;
    if (id == SYNADB__ET_NONE) return NULL;
    m = synadb__et_met_add(r, id);
    if (m && !m->listed) {
        if (t->ndirty == t->cdirty) {
            size_t nc = t->cdirty ? t->cdirty * 2 : 64;
            synadb__et_dirty *nd = (synadb__et_dirty *)SYNADB_REALLOC(t->dirty, nc * sizeof *nd);
            if (!nd) return NULL;
            t->dirty = nd; t->cdirty = nc;
        }
        t->dirty[t->ndirty].r = r; t->dirty[t->ndirty].name = id;
        t->ndirty++;
        m->listed = 1;
    }
    return m;
}
SYNADB_PRIVATE int synadb__et_pend_room(synadb__et_met *m, size_t add) {
    if (m->npend + add > m->cpend) {
        size_t nc = m->cpend ? m->cpend * 2 : 16;
        synadb__et_pt *np;
        while (nc < m->npend + add) nc *= 2;
        np = (synadb__et_pt *)SYNADB_REALLOC(m->pend, nc * sizeof *np);
        if (!np) return -1;
        m->pend = np; m->cpend = nc;
    }
    return 0;
}
SYNADB_ML_API synadb_result synadb_exp_log_metric_ts(synadb_exp *t, const char *run_id, const char *key, double value, int64_t step, int64_t timestamp_us) {
    synadb_result rc;
    synadb__et_run *r;
    synadb__et_met *m;
    size_t kl;
    int64_t now;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    rc = synadb__et_check_name(t, key, "metric key", &kl);
    if (rc) return rc;
    now = timestamp_us ? timestamp_us : (int64_t)synadb__now_us();
    if (step == SYNADB_EXP_STEP_NOW) step = timestamp_us ? timestamp_us : now;
    synadb__rw_wrlock(&t->rw);
    r = synadb__et_run_for(t, run_id, 1, &rc);
    m = r ? synadb__et_met_for(t, r, key, kl) : NULL;
    if (r && !m) rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
    if (m && m->npend >= t->cfg.block_points) rc = synadb__et_spill(t, r, m);
    if (m && !rc) {
        if (synadb__et_pend_room(m, 1)) rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
        else {
            synadb__et_pt *p = &m->pend[m->npend++];
            p->step = step; p->ts = now; p->v = value;
            synadb__et_met_note(m, step, now, value);
            synadb__et_col_note_met(t, r, m);
            if (++t->pending > t->cfg.max_pending_points) rc = synadb__et_spill(t, NULL, NULL);
        }
    }
    synadb__rw_wrunlock(&t->rw);
    return rc;
}
SYNADB_ML_API synadb_result synadb_exp_log_metric(synadb_exp *t, const char *run_id, const char *key, double value, int64_t step) {
    return synadb_exp_log_metric_ts(t, run_id, key, value, step, 0);
}
/* Shared by log_metrics / log_series: n points, key of point i from keys[i] (or key). */
SYNADB_PRIVATE synadb_result synadb__et_log_many(synadb_exp *t, const char *run_id, const synadb_exp_point *pts, const char *key,
                                               const int64_t *steps, const double *values, size_t n) {
    synadb_result rc = SYNADB_OK;
    synadb__et_run *r;
    size_t i, kl = 0;
    int64_t now;
    synadb__et_met *m = NULL;
    const char *prev_key = NULL;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!n) return SYNADB_OK;
    if (key) { rc = synadb__et_check_name(t, key, "metric key", &kl); if (rc) return rc; }
    else for (i = 0; i < n && !rc; i++) {
        size_t k2;
        if (i && pts[i].key == pts[i - 1].key) continue;
        rc = synadb__et_check_name(t, pts[i].key, "metric key", &k2);
    }
    if (rc) return rc;
    now = (int64_t)synadb__now_us();
    synadb__rw_wrlock(&t->rw);
    r = synadb__et_run_for(t, run_id, 1, &rc);
    for (i = 0; r && i < n && !rc; i++) {
        const char *k = key ? key : pts[i].key;
        int64_t ts = key ? now : (pts[i].timestamp_us ? pts[i].timestamp_us : now);
        int64_t step = key ? (steps ? steps[i] : -1) : pts[i].step;
        double v = key ? values[i] : pts[i].value;
        if (!m || (k != prev_key && strcmp(k, prev_key))) {
            size_t k2 = key ? kl : strlen(k);
            m = synadb__et_met_for(t, r, k, k2);
            if (!m) { rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory"); break; }
            prev_key = k;
        }
        if (key && !steps) step = (int64_t)m->count;
        else if (step == SYNADB_EXP_STEP_NOW) step = ts;
        if (synadb__et_pend_room(m, 1)) { rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory"); break; }
        m->pend[m->npend].step = step; m->pend[m->npend].ts = ts; m->pend[m->npend].v = v;
        m->npend++;
        synadb__et_met_note(m, step, ts, v);
        synadb__et_col_note_met(t, r, m);
        t->pending++;
    }
    if (r && !rc) {
        /* full buffers go to the log (the points are accepted; a failure here leaves them buffered) */
        for (i = 0; i < r->nm && !rc; i++)
            if (r->mets[i].npend >= t->cfg.block_points) rc = synadb__et_spill(t, r, &r->mets[i]);
        if (!rc && t->pending > t->cfg.max_pending_points) rc = synadb__et_spill(t, NULL, NULL);
    }
    synadb__rw_wrunlock(&t->rw);
    return rc;
}
SYNADB_ML_API synadb_result synadb_exp_log_metrics(synadb_exp *t, const char *run_id, const synadb_exp_point *pts, size_t n) {
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (n && !pts) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "points is NULL");
    return synadb__et_log_many(t, run_id, pts, NULL, NULL, NULL, n);
}
SYNADB_ML_API synadb_result synadb_exp_log_series(synadb_exp *t, const char *run_id, const char *key, const int64_t *steps, const double *values, size_t n) {
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!key) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "metric key is NULL");
    if (n && !values) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "values is NULL");
    return synadb__et_log_many(t, run_id, NULL, key, steps, values, n);
}
SYNADB_ML_API synadb_result synadb_exp_log_artifact(synadb_exp *t, const char *run_id, const char *name, const void *data, size_t len) {
    synadb_result rc;
    synadb__et_run *r;
    size_t nl, nops = 0;
    uint8_t dg[32];
    char hex[65], ref[96], kb[320], bk[80];
    synadb_batch_op ops[2];
    uint32_t id;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    rc = synadb__et_check_name(t, name, "artifact name", &nl);
    if (rc) return rc;
    if (!data && len) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "data is NULL");
    if ((uint64_t)len > SYNADB_MAX_VALUE_LEN) return synadb__et_err(t, SYNADB_ERR_TOO_LARGE, "artifact larger than %u bytes", (unsigned)SYNADB_MAX_VALUE_LEN);
    synadb_sha256(data ? data : "", len, dg);
    synadb_sha256_hex(dg, hex);
    memset(ops, 0, sizeof ops);
    synadb__rw_wrlock(&t->rw);
    r = synadb__et_run_for(t, run_id, 1, &rc);
    if (r) {
        size_t bn = (size_t)snprintf(bk, sizeof bk, "exp/blob/%s", hex);
        int have = synadb_exists(t->db, bk, bn);
        if (have < 0) rc = synadb__et_dberr(t, (synadb_result)have, "looking up an artifact");
        else if (!have) {
            ops[nops].key = bk; ops[nops].key_len = bn; ops[nops].op = SYNADB_OP_PUT;
            ops[nops].value.type = SYNADB_TYPE_BYTES; ops[nops].value.data = data; ops[nops].value.len = len;
            nops++;
        }
    }
    if (r && !rc) {
        ops[nops].key = kb; ops[nops].key_len = synadb__et_key(kb, r->id, 'a', name, nl); ops[nops].op = SYNADB_OP_PUT;
        ops[nops].value.type = SYNADB_TYPE_TEXT; ops[nops].value.data = ref;
        ops[nops].value.len = (size_t)snprintf(ref, sizeof ref, "%s %llu", hex, (unsigned long long)len);
        nops++;
        rc = synadb_write_batch(t->db, ops, nops, NULL);
        if (rc) synadb__et_dberr(t, rc, "writing an artifact");
        else {
            id = synadb__et_intern(&t->names, name, nl);
            if (id == SYNADB__ET_NONE || synadb__et_art_set(r, id, hex, len)) rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
        }
    }
    synadb__rw_wrunlock(&t->rw);
    if (!rc) rc = synadb__et_sync(t);
    return rc;
}

/* ---- reads ---- */
SYNADB_PRIVATE int synadb__et_kvcmp(const void *a, const void *b) {
    return strcmp(((const synadb_exp_kv *)a)->key, ((const synadb_exp_kv *)b)->key);
}
SYNADB_PRIVATE int synadb__et_micmp(const void *a, const void *b) {
    return strcmp(((const synadb_exp_metric_info *)a)->key, ((const synadb_exp_metric_info *)b)->key);
}
SYNADB_PRIVATE int synadb__et_aicmp(const void *a, const void *b) {
    return strcmp(((const synadb_exp_artifact_info *)a)->name, ((const synadb_exp_artifact_info *)b)->name);
}
/* Snapshot of r (read lock held). */
SYNADB_PRIVATE synadb_result synadb__et_snap(synadb_exp *t, const synadb__et_run *r, synadb_exp_run *out) {
    synadb__et_arena a;
    synadb_exp_kv *ps, *ts;
    synadb_exp_metric_info *ms;
    synadb_exp_artifact_info *as;
    size_t i;
    const double nan = synadb__u2d(0x7ff8000000000000ull);
    memset(&a, 0, sizeof a);
    memset(out, 0, sizeof *out);
    memcpy(out->id, r->id, 37);
    out->status = r->status;
    out->started_us = r->started_us;
    out->ended_us = r->ended_us;
    out->experiment = synadb__et_strdup(&a, t->names.s[r->exp], t->names.len[r->exp]);
    ps = (synadb_exp_kv *)synadb__et_alloc(&a, (r->np + 1) * sizeof *ps);
    ts = (synadb_exp_kv *)synadb__et_alloc(&a, (r->nt + 1) * sizeof *ts);
    ms = (synadb_exp_metric_info *)synadb__et_alloc(&a, (r->nm + 1) * sizeof *ms);
    as = (synadb_exp_artifact_info *)synadb__et_alloc(&a, (r->na + 1) * sizeof *as);
    if (!out->experiment || !ps || !ts || !ms || !as) goto oom;
    for (i = 0; i < r->np; i++) {
        ps[i].key = synadb__et_strdup(&a, t->names.s[r->params[i].key], t->names.len[r->params[i].key]);
        ps[i].value = synadb__et_strdup(&a, t->vals.s[r->params[i].vid], t->vals.len[r->params[i].vid]);
        if (!ps[i].key || !ps[i].value) goto oom;
    }
    for (i = 0; i < r->nt; i++) {
        ts[i].key = synadb__et_strdup(&a, t->names.s[r->tags[i].key], t->names.len[r->tags[i].key]);
        ts[i].value = synadb__et_strdup(&a, t->vals.s[r->tags[i].vid], t->vals.len[r->tags[i].vid]);
        if (!ts[i].key || !ts[i].value) goto oom;
    }
    for (i = 0; i < r->nm; i++) {
        const synadb__et_met *m = &r->mets[i];
        ms[i].key = synadb__et_strdup(&a, t->names.s[m->name], t->names.len[m->name]);
        if (!ms[i].key) goto oom;
        ms[i].value = m->lval; ms[i].step = m->lstep; ms[i].timestamp_us = m->lts; ms[i].count = m->count;
        ms[i].min = m->nvalid ? m->min : nan;
        ms[i].max = m->nvalid ? m->max : nan;
        ms[i].mean = m->nvalid ? m->sum / (double)m->nvalid : nan;
    }
    for (i = 0; i < r->na; i++) {
        as[i].name = synadb__et_strdup(&a, t->names.s[r->arts[i].name], t->names.len[r->arts[i].name]);
        if (!as[i].name) goto oom;
        memcpy(as[i].sha256, r->arts[i].hex, 65);
        as[i].size = r->arts[i].size;
    }
    qsort(ps, r->np, sizeof *ps, synadb__et_kvcmp);
    qsort(ts, r->nt, sizeof *ts, synadb__et_kvcmp);
    qsort(ms, r->nm, sizeof *ms, synadb__et_micmp);
    qsort(as, r->na, sizeof *as, synadb__et_aicmp);
    out->params = ps; out->nparams = r->np;
    out->tags = ts; out->ntags = r->nt;
    out->metrics = ms; out->nmetrics = r->nm;
    out->artifacts = as; out->nartifacts = r->na;
    out->mem_ = a.blk;
    return SYNADB_OK;
oom:
    synadb__et_arena_free(a.blk);
    memset(out, 0, sizeof *out);
    return synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
}
SYNADB_ML_API void synadb_exp_run_free(synadb_exp_run *r) {
    if (!r) return;
    synadb__et_arena_free((char *)r->mem_);
    memset(r, 0, sizeof *r);
}
SYNADB_PRIVATE const synadb__et_run *synadb__et_run_read(synadb_exp *t, const char *run_id, synadb_result *rc) {
    return synadb__et_run_for(t, run_id, 0, rc);
}
SYNADB_ML_API synadb_result synadb_exp_get_run(synadb_exp *t, const char *run_id, synadb_exp_run *out) {
    synadb_result rc;
    const synadb__et_run *r;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!out) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out is NULL");
    memset(out, 0, sizeof *out);
    synadb__rw_rdlock(&t->rw);
    r = synadb__et_run_read(t, run_id, &rc);
    if (r) rc = synadb__et_snap(t, r, out);
    synadb__rw_rdunlock(&t->rw);
    return rc;
}
SYNADB_ML_API synadb_result synadb_exp_get_param(synadb_exp *t, const char *run_id, const char *key, char **out, size_t *out_len) {
    synadb_result rc;
    const synadb__et_run *r;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!out) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out is NULL");
    *out = NULL;
    if (out_len) *out_len = 0;
    if (!key) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "param key is NULL");
    synadb__rw_rdlock(&t->rw);
    r = synadb__et_run_read(t, run_id, &rc);
    if (r) {
        uint32_t id = synadb__et_lookup(&t->names, key, strlen(key));
        const synadb__et_kv *kv = id == SYNADB__ET_NONE ? NULL : synadb__et_kv_get(r->params, r->np, id);
        if (!kv) rc = synadb__et_err(t, SYNADB_ERR_KEY_NOT_FOUND, "run %s has no param '%.250s'", r->id, key);
        else {
            size_t vl = t->vals.len[kv->vid];
            *out = (char *)SYNADB_MALLOC(vl + 1);
            if (!*out) rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
            else { memcpy(*out, t->vals.s[kv->vid], vl + 1); if (out_len) *out_len = vl; }
        }
    }
    synadb__rw_rdunlock(&t->rw);
    return rc;
}
SYNADB_ML_API synadb_result synadb_exp_get_latest(synadb_exp *t, const char *run_id, const char *key, double *value, int64_t *step) {
    synadb_result rc;
    const synadb__et_run *r;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!key) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "metric key is NULL");
    synadb__rw_rdlock(&t->rw);
    r = synadb__et_run_read(t, run_id, &rc);
    if (r) {
        uint32_t id = synadb__et_lookup(&t->names, key, strlen(key));
        const synadb__et_met *m = id == SYNADB__ET_NONE ? NULL : synadb__et_met_get(r, id);
        if (!m || !m->count) rc = synadb__et_err(t, SYNADB_ERR_KEY_NOT_FOUND, "run %s has no metric '%.250s'", r->id, key);
        else { if (value) *value = m->lval; if (step) *step = m->lstep; }
    }
    synadb__rw_rdunlock(&t->rw);
    return rc;
}
typedef struct synadb__et_spt { int64_t step, ts; double v; size_t seq; } synadb__et_spt;
SYNADB_PRIVATE int synadb__et_sptcmp(const void *a, const void *b) {
    const synadb__et_spt *x = (const synadb__et_spt *)a, *y = (const synadb__et_spt *)b;
    if (x->step != y->step) return x->step < y->step ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}
/* Every point of the series in logging order (read lock held); *pts allocated. */
SYNADB_PRIVATE synadb_result synadb__et_series(synadb_exp *t, const synadb__et_run *r, const synadb__et_met *m, synadb__et_pt **pts, size_t *n) {
    size_t cap = (size_t)m->count + 1, b;
    char kb[320];
    synadb_result rc = SYNADB_OK;
    const char *nm = t->names.s[m->name];
    size_t nl = t->names.len[m->name];
    *n = 0;
    *pts = (synadb__et_pt *)SYNADB_MALLOC(cap * sizeof **pts);
    if (!*pts) return synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
    for (b = 0; b < m->nblocks && !rc; b++) {
        void *blk = NULL;
        size_t bl = 0, kl = synadb__et_key(kb, r->id, 's', nm, nl);
        int e;
        kl += (size_t)snprintf(kb + kl, 12, "/%08x", (unsigned)b);
        rc = synadb_get_bytes(t->db, kb, kl, &blk, &bl);
        if (rc) { synadb__et_dberr(t, rc, "reading a metric block"); break; }
        e = synadb__et_block_decode((const uint8_t *)blk, bl, pts, n, &cap);
        SYNADB_FREE(blk);
        if (e == -2) rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
        else if (e) rc = synadb__et_err(t, SYNADB_ERR_CORRUPT, "metric block '%s' does not decode", kb);
    }
    if (!rc && m->npend) {
        if (*n + m->npend > cap) {
            synadb__et_pt *np = (synadb__et_pt *)SYNADB_REALLOC(*pts, (*n + m->npend) * sizeof *np);
            if (!np) rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
            else *pts = np;
        }
        if (!rc) { memcpy(*pts + *n, m->pend, m->npend * sizeof *m->pend); *n += m->npend; }
    }
    if (rc) { SYNADB_FREE(*pts); *pts = NULL; *n = 0; }
    return rc;
}
SYNADB_ML_API synadb_result synadb_exp_get_metric(synadb_exp *t, const char *run_id, const char *key, int64_t **steps, double **values, int64_t **timestamps_us, size_t *n) {
    synadb_result rc;
    const synadb__et_run *r;
    synadb__et_pt *pts = NULL;
    size_t cnt = 0, i;
    int sorted = 1;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (steps) *steps = NULL;
    if (values) *values = NULL;
    if (timestamps_us) *timestamps_us = NULL;
    if (n) *n = 0;
    if (!steps || !values || !n) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "steps, values or n is NULL");
    if (!key) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "metric key is NULL");
    synadb__rw_rdlock(&t->rw);
    r = synadb__et_run_read(t, run_id, &rc);
    if (r) {
        uint32_t id = synadb__et_lookup(&t->names, key, strlen(key));
        const synadb__et_met *m = id == SYNADB__ET_NONE ? NULL : synadb__et_met_get(r, id);
        if (!m || !m->count) rc = synadb__et_err(t, SYNADB_ERR_KEY_NOT_FOUND, "run %s has no metric '%.250s'", r->id, key);
        else rc = synadb__et_series(t, r, m, &pts, &cnt);
    }
    synadb__rw_rdunlock(&t->rw);
    if (rc) return rc;
    for (i = 1; i < cnt; i++) if (pts[i].step < pts[i - 1].step) { sorted = 0; break; }
    if (!sorted) {
        synadb__et_spt *s = (synadb__et_spt *)SYNADB_MALLOC(cnt * sizeof *s);
        if (!s) { SYNADB_FREE(pts); return synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory"); }
        for (i = 0; i < cnt; i++) { s[i].step = pts[i].step; s[i].ts = pts[i].ts; s[i].v = pts[i].v; s[i].seq = i; }
        qsort(s, cnt, sizeof *s, synadb__et_sptcmp);
        for (i = 0; i < cnt; i++) { pts[i].step = s[i].step; pts[i].ts = s[i].ts; pts[i].v = s[i].v; }
        SYNADB_FREE(s);
    }
    *steps = (int64_t *)SYNADB_MALLOC(cnt * 8 + 8);
    *values = (double *)SYNADB_MALLOC(cnt * 8 + 8);
    if (timestamps_us) *timestamps_us = (int64_t *)SYNADB_MALLOC(cnt * 8 + 8);
    if (!*steps || !*values || (timestamps_us && !*timestamps_us)) {
        SYNADB_FREE(*steps); SYNADB_FREE(*values); *steps = NULL; *values = NULL;
        if (timestamps_us) { SYNADB_FREE(*timestamps_us); *timestamps_us = NULL; }
        SYNADB_FREE(pts);
        return synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
    }
    for (i = 0; i < cnt; i++) {
        (*steps)[i] = pts[i].step; (*values)[i] = pts[i].v;
        if (timestamps_us) (*timestamps_us)[i] = pts[i].ts;
    }
    *n = cnt;
    SYNADB_FREE(pts);
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_exp_get_artifact(synadb_exp *t, const char *run_id, const char *name, void **out, size_t *out_len) {
    synadb_result rc;
    const synadb__et_run *r;
    char hex[65], bk[80];
    int found = 0;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!out || !out_len) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out is NULL");
    *out = NULL; *out_len = 0;
    if (!name) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "artifact name is NULL");
    synadb__rw_rdlock(&t->rw);
    r = synadb__et_run_read(t, run_id, &rc);
    if (r) {
        uint32_t id = synadb__et_lookup(&t->names, name, strlen(name));
        const synadb__et_art *a = id == SYNADB__ET_NONE ? NULL : synadb__et_art_get(r, id);
        if (!a) rc = synadb__et_err(t, SYNADB_ERR_KEY_NOT_FOUND, "run %s has no artifact '%.250s'", r->id, name);
        else { memcpy(hex, a->hex, 65); found = 1; }
    }
    synadb__rw_rdunlock(&t->rw);
    if (!found) return rc;
    {
        size_t bn = (size_t)snprintf(bk, sizeof bk, "exp/blob/%s", hex);
        uint8_t dg[32];
        char h2[65];
        rc = synadb_get_bytes(t->db, bk, bn, out, out_len);
        if (rc) return synadb__et_dberr(t, rc, "reading an artifact");
        if (!*out) { *out = SYNADB_MALLOC(1); if (!*out) return synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory"); }
        synadb_sha256(*out, *out_len, dg);
        synadb_sha256_hex(dg, h2);
        if (memcmp(h2, hex, 64)) {
            SYNADB_FREE(*out); *out = NULL; *out_len = 0;
            return synadb__et_err(t, SYNADB_ERR_CHECKSUM, "artifact '%.250s': the stored bytes do not match their SHA-256", name);
        }
    }
    return SYNADB_OK;
}
SYNADB_ML_API void synadb_exp_idlist_free(synadb_exp_idlist *l) {
    if (!l) return;
    SYNADB_FREE(l->ids);
    l->ids = NULL; l->count = 0;
}
SYNADB_PRIVATE int synadb__et_startcmp(const void *a, const void *b) {
    const synadb__et_run *x = *(synadb__et_run *const *)a, *y = *(synadb__et_run *const *)b;
    if (x->started_us != y->started_us) return x->started_us < y->started_us ? -1 : 1;
    return memcmp(x->id, y->id, 36);
}
SYNADB_PRIVATE synadb_result synadb__et_ids(synadb_exp *t, synadb__et_run **rs, size_t n, synadb_exp_idlist *out) {
    size_t i;
    out->ids = (synadb_exp_run_id *)SYNADB_MALLOC((n + 1) * sizeof *out->ids);
    if (!out->ids) return synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
    for (i = 0; i < n; i++) memcpy(out->ids[i].s, rs[i]->id, 37);
    out->count = n;
    return SYNADB_OK;
}
/* Runs of experiment (NULL = all) sorted by start (read lock held); *out allocated. */
SYNADB_PRIVATE synadb_result synadb__et_runs_of(synadb_exp *t, const char *experiment, synadb__et_run ***out, size_t *n) {
    uint32_t e = SYNADB__ET_NONE;
    size_t i;
    *n = 0;
    *out = (synadb__et_run **)SYNADB_MALLOC((t->nruns + 1) * sizeof **out);
    if (!*out) return synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
    if (experiment) { e = synadb__et_lookup(&t->names, experiment, strlen(experiment)); if (e == SYNADB__ET_NONE) return SYNADB_OK; }
    for (i = 0; i < t->nruns; i++) if (!experiment || t->runs[i]->exp == e) (*out)[(*n)++] = t->runs[i];
    qsort(*out, *n, sizeof **out, synadb__et_startcmp);
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_exp_list_runs(synadb_exp *t, const char *experiment, synadb_exp_idlist *out) {
    synadb__et_run **rs = NULL;
    size_t n;
    synadb_result rc;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!out) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out is NULL");
    out->count = 0; out->ids = NULL;
    synadb__rw_rdlock(&t->rw);
    rc = synadb__et_runs_of(t, experiment, &rs, &n);
    if (!rc) rc = synadb__et_ids(t, rs, n, out);
    synadb__rw_rdunlock(&t->rw);
    SYNADB_FREE(rs);
    return rc;
}
SYNADB_ML_API synadb_result synadb_exp_best_run(synadb_exp *t, const char *experiment, const char *metric, int minimize, char out_id[37]) {
    synadb__et_run **rs = NULL;
    size_t n, i;
    synadb_result rc;
    const synadb__et_run *best = NULL;
    double bv = 0;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!metric || !out_id) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "metric or out_id is NULL");
    out_id[0] = 0;
    synadb__rw_rdlock(&t->rw);
    rc = synadb__et_runs_of(t, experiment, &rs, &n);
    if (!rc) {
        uint32_t id = synadb__et_lookup(&t->names, metric, strlen(metric));
        for (i = 0; id != SYNADB__ET_NONE && i < n; i++) {
            const synadb__et_met *m = synadb__et_met_get(rs[i], id);
            if (!m || !m->count || m->lval != m->lval) continue;
            if (!best || (minimize ? m->lval < bv : m->lval > bv)) { best = rs[i]; bv = m->lval; }
        }
        if (best) memcpy(out_id, best->id, 37);
        else rc = synadb__et_err(t, SYNADB_ERR_KEY_NOT_FOUND, "no run has a value of metric '%.250s'", metric);
    }
    synadb__rw_rdunlock(&t->rw);
    SYNADB_FREE(rs);
    return rc;
}

/* ---- filters (MLflow search syntax) ---- */
enum { SYNADB__ET_F_METRIC, SYNADB__ET_F_PARAM, SYNADB__ET_F_TAG, SYNADB__ET_F_ATTR };
enum { SYNADB__ET_A_STATUS, SYNADB__ET_A_RUN_ID, SYNADB__ET_A_EXPERIMENT, SYNADB__ET_A_START, SYNADB__ET_A_END };
enum { SYNADB__ET_O_EQ, SYNADB__ET_O_NE, SYNADB__ET_O_LT, SYNADB__ET_O_LE, SYNADB__ET_O_GT, SYNADB__ET_O_GE,
       SYNADB__ET_O_LIKE, SYNADB__ET_O_ILIKE, SYNADB__ET_O_IN, SYNADB__ET_O_NOTIN };
typedef struct synadb__et_cl {
    int kind, attr, op, numeric;
    const char *name; size_t nlen;
    uint32_t nid;
    double num;
    const char **vals; size_t *vlens; int *vstat; size_t nvals;
    const synadb__et_col *col;        /* (at query time) the column of a metric, param or tag */
    uint32_t *vids;                 /* value ids of vals (SYNADB__ET_NONE: no run has it) */
    uint8_t *memo;                  /* LIKE/ILIKE per value id: 0 not yet, 1 no, 2 yes */
} synadb__et_cl;
typedef struct synadb__et_ord { int kind, attr, desc, numeric; const char *name; size_t nlen; uint32_t nid; const synadb__et_col *col; } synadb__et_ord;
typedef struct synadb__et_filter {
    synadb__et_arena a;
    synadb__et_cl *cl; size_t ncl, ccl;
    synadb__et_ord *ord; size_t nord, cord;
    const char *src, *p, *end;
    const char *what;           /* "filter" or "order_by" */
    char err[256];
    size_t errpos;
} synadb__et_filter;
SYNADB_PRIVATE int synadb__et_fail(synadb__et_filter *f, const char *at, const char *msg) {
    size_t pos = (size_t)(at - f->src), rest = (size_t)(f->end - at);
    f->errpos = pos;
    if (rest) snprintf(f->err, sizeof f->err, "%s: %s at byte %u (near '%.16s')", f->what, msg, (unsigned)pos, at);
    else snprintf(f->err, sizeof f->err, "%s: %s at byte %u (the end)", f->what, msg, (unsigned)pos);
    return -1;
}
SYNADB_PRIVATE void synadb__et_ws(synadb__et_filter *f) {
    while (f->p < f->end && (*f->p == ' ' || *f->p == '\t' || *f->p == '\n' || *f->p == '\r')) f->p++;
}
SYNADB_PRIVATE int synadb__et_wordc(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || (unsigned char)c >= 0x80;
}
SYNADB_PRIVATE int synadb__et_namec(char c) { return synadb__et_wordc(c) || c == '.' || c == '-' || c == '/' || c == ':'; }
SYNADB_PRIVATE int synadb__et_ieq(const char *s, size_t n, const char *w) {
    size_t i;
    if (strlen(w) != n) return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 32);
        if (c != w[i]) return 0;
    }
    return 1;
}
/* The keyword w (upper case) at p, followed by a non-word character: consumed, 1. */
SYNADB_PRIVATE int synadb__et_kw(synadb__et_filter *f, const char *w) {
    size_t n = strlen(w);
    if ((size_t)(f->end - f->p) < n || !synadb__et_ieq(f->p, n, w)) return 0;
    if (f->p + n < f->end && synadb__et_wordc(f->p[n])) return 0;
    f->p += n;
    return 1;
}
/* A quoted string (quote q, doubled inside) at f->p into the arena. */
SYNADB_PRIVATE int synadb__et_quoted(synadb__et_filter *f, const char **out, size_t *n) {
    char q = *f->p;
    const char *start = f->p, *s;
    char *o;
    size_t k = 0;
    f->p++;
    for (s = f->p;; s++) {
        if (s >= f->end) return synadb__et_fail(f, start, q == '`' ? "unterminated `quoted` name" : "unterminated quoted string");
        if (*s == q) { if (s + 1 < f->end && s[1] == q) { s++; continue; } break; }
    }
    o = (char *)synadb__et_alloc(&f->a, (size_t)(s - f->p) + 1);
    if (!o) return synadb__et_fail(f, start, "out of memory");
    for (; f->p < s; f->p++) { o[k++] = *f->p; if (*f->p == q) f->p++; }
    o[k] = 0;
    f->p = s + 1;
    *out = o; *n = k;
    return 0;
}
/* ident: kind, attr, name. */
SYNADB_PRIVATE int synadb__et_ident(synadb__et_filter *f, int *kind, int *attr, const char **name, size_t *nlen) {
    const char *start, *w;
    size_t wl;
    synadb__et_ws(f);
    start = f->p;
    if (f->p >= f->end) return synadb__et_fail(f, f->p, "expected an identifier (metrics.<name>, params.<name>, tags.<name> or attributes.<name>)");
    if (*f->p == '`' || *f->p == '"') {   /* a quoted attribute name */
        if (synadb__et_quoted(f, &w, &wl)) return -1;
        *kind = SYNADB__ET_F_ATTR;
    } else {
        while (f->p < f->end && synadb__et_wordc(*f->p)) f->p++;
        w = start; wl = (size_t)(f->p - start);
        if (!wl) return synadb__et_fail(f, start, "expected an identifier (metrics.<name>, params.<name>, tags.<name> or attributes.<name>)");
        if (f->p < f->end && *f->p == '.') {
            if (synadb__et_ieq(w, wl, "METRICS") || synadb__et_ieq(w, wl, "METRIC")) *kind = SYNADB__ET_F_METRIC;
            else if (synadb__et_ieq(w, wl, "PARAMS") || synadb__et_ieq(w, wl, "PARAM")) *kind = SYNADB__ET_F_PARAM;
            else if (synadb__et_ieq(w, wl, "TAGS") || synadb__et_ieq(w, wl, "TAG")) *kind = SYNADB__ET_F_TAG;
            else if (synadb__et_ieq(w, wl, "ATTRIBUTES") || synadb__et_ieq(w, wl, "ATTRIBUTE") || synadb__et_ieq(w, wl, "ATTR") || synadb__et_ieq(w, wl, "RUN")) *kind = SYNADB__ET_F_ATTR;
            else return synadb__et_fail(f, start, "unknown identifier type (expected metrics., params., tags. or attributes.)");
            f->p++;
            if (f->p < f->end && (*f->p == '`' || *f->p == '"')) { if (synadb__et_quoted(f, &w, &wl)) return -1; }
            else {
                w = f->p;
                while (f->p < f->end && synadb__et_namec(*f->p)) f->p++;
                wl = (size_t)(f->p - w);
            }
            if (!wl) return synadb__et_fail(f, w, "expected a name after the '.'");
        } else *kind = SYNADB__ET_F_ATTR;
    }
    *name = w; *nlen = wl;
    if (*kind == SYNADB__ET_F_ATTR) {
        if (synadb__et_ieq(w, wl, "STATUS")) *attr = SYNADB__ET_A_STATUS;
        else if (synadb__et_ieq(w, wl, "RUN_ID") || synadb__et_ieq(w, wl, "ID")) *attr = SYNADB__ET_A_RUN_ID;
        else if (synadb__et_ieq(w, wl, "EXPERIMENT_NAME") || synadb__et_ieq(w, wl, "EXPERIMENT")) *attr = SYNADB__ET_A_EXPERIMENT;
        else if (synadb__et_ieq(w, wl, "START_TIME") || synadb__et_ieq(w, wl, "CREATED")) *attr = SYNADB__ET_A_START;
        else if (synadb__et_ieq(w, wl, "END_TIME")) *attr = SYNADB__ET_A_END;
        else return synadb__et_fail(f, start, "unknown attribute (expected status, run_id, experiment_name, start_time or end_time; or a metrics./params./tags. prefix)");
    } else *attr = -1;
    return 0;
}
SYNADB_PRIVATE int synadb__et_number(synadb__et_filter *f, double *out) {
    const char *s = f->p, *q = f->p;
    char buf[64];
    size_t n;
    if (q < f->end && (*q == '-' || *q == '+')) q++;
    if (q >= f->end || *q < '0' || *q > '9') return -1;
    while (q < f->end && *q >= '0' && *q <= '9') q++;
    if (q < f->end && *q == '.') { q++; while (q < f->end && *q >= '0' && *q <= '9') q++; }
    if (q < f->end && (*q == 'e' || *q == 'E')) {
        const char *e = q + 1;
        if (e < f->end && (*e == '-' || *e == '+')) e++;
        if (e < f->end && *e >= '0' && *e <= '9') { while (e < f->end && *e >= '0' && *e <= '9') e++; q = e; }
    }
    if (q < f->end && synadb__et_namec(*q)) return -1;
    if (*s == '+') s++;
    n = (size_t)(q - s);
    if (n >= sizeof buf) return -1;
    memcpy(buf, s, n); buf[n] = 0;
    if (n && buf[n - 1] == '.') buf[--n] = 0;   /* "1." */
    if (synadb__jparse_num(buf, n, out)) return -1;
    f->p = q;
    return 0;
}
SYNADB_PRIVATE int synadb__et_parse_filter(synadb__et_filter *f) {
    synadb__et_ws(f);
    if (f->p >= f->end) return 0;
    for (;;) {
        synadb__et_cl c;
        const char *opat;
        memset(&c, 0, sizeof c);
        if (synadb__et_ident(f, &c.kind, &c.attr, &c.name, &c.nlen)) return -1;
        c.numeric = c.kind == SYNADB__ET_F_METRIC || (c.kind == SYNADB__ET_F_ATTR && (c.attr == SYNADB__ET_A_START || c.attr == SYNADB__ET_A_END));
        synadb__et_ws(f);
        opat = f->p;
        if (f->p + 1 < f->end && f->p[0] == '!' && f->p[1] == '=') { c.op = SYNADB__ET_O_NE; f->p += 2; }
        else if (f->p + 1 < f->end && f->p[0] == '<' && f->p[1] == '=') { c.op = SYNADB__ET_O_LE; f->p += 2; }
        else if (f->p + 1 < f->end && f->p[0] == '>' && f->p[1] == '=') { c.op = SYNADB__ET_O_GE; f->p += 2; }
        else if (f->p < f->end && f->p[0] == '=') { c.op = SYNADB__ET_O_EQ; f->p++; }
        else if (f->p < f->end && f->p[0] == '<') { c.op = SYNADB__ET_O_LT; f->p++; }
        else if (f->p < f->end && f->p[0] == '>') { c.op = SYNADB__ET_O_GT; f->p++; }
        else if (synadb__et_kw(f, "LIKE")) c.op = SYNADB__ET_O_LIKE;
        else if (synadb__et_kw(f, "ILIKE")) c.op = SYNADB__ET_O_ILIKE;
        else if (synadb__et_kw(f, "IN")) c.op = SYNADB__ET_O_IN;
        else if (synadb__et_kw(f, "NOT")) {
            synadb__et_ws(f);
            if (!synadb__et_kw(f, "IN")) return synadb__et_fail(f, f->p, "expected IN after NOT");
            c.op = SYNADB__ET_O_NOTIN;
        } else return synadb__et_fail(f, opat, "expected a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN)");
        if (c.numeric && c.op >= SYNADB__ET_O_LIKE)
            return synadb__et_fail(f, opat, "LIKE, ILIKE and IN compare strings; metrics, start_time and end_time take =, !=, <, <=, >, >=");
        if (!c.numeric && c.op >= SYNADB__ET_O_LT && c.op <= SYNADB__ET_O_GE)
            return synadb__et_fail(f, opat, "params, tags, status, run_id and experiment_name take =, !=, LIKE, ILIKE, IN, NOT IN");
        synadb__et_ws(f);
        if (c.numeric) {
            if (f->p < f->end && (*f->p == '\'' || *f->p == '"')) return synadb__et_fail(f, f->p, "expected a number (metrics and times compare with numbers, not strings)");
            if (synadb__et_number(f, &c.num)) return synadb__et_fail(f, f->p, "expected a number");
        } else if (c.op == SYNADB__ET_O_IN || c.op == SYNADB__ET_O_NOTIN) {
            size_t cap = 4;
            if (f->p >= f->end || *f->p != '(') return synadb__et_fail(f, f->p, "expected '(' and a list of quoted strings");
            f->p++;
            c.vals = (const char **)synadb__et_alloc(&f->a, cap * sizeof *c.vals);
            c.vlens = (size_t *)synadb__et_alloc(&f->a, cap * sizeof *c.vlens);
            if (!c.vals || !c.vlens) return synadb__et_fail(f, f->p, "out of memory");
            for (;;) {
                synadb__et_ws(f);
                if (f->p >= f->end || (*f->p != '\'' && *f->p != '"')) return synadb__et_fail(f, f->p, "expected a quoted string");
                if (c.nvals == cap) {
                    const char **nv = (const char **)synadb__et_alloc(&f->a, cap * 2 * sizeof *nv);
                    size_t *nl = (size_t *)synadb__et_alloc(&f->a, cap * 2 * sizeof *nl);
                    if (!nv || !nl) return synadb__et_fail(f, f->p, "out of memory");
                    memcpy(nv, c.vals, cap * sizeof *nv); memcpy(nl, c.vlens, cap * sizeof *nl);
                    c.vals = nv; c.vlens = nl; cap *= 2;
                }
                if (synadb__et_quoted(f, &c.vals[c.nvals], &c.vlens[c.nvals])) return -1;
                c.nvals++;
                synadb__et_ws(f);
                if (f->p < f->end && *f->p == ',') { f->p++; continue; }
                if (f->p < f->end && *f->p == ')') { f->p++; break; }
                return synadb__et_fail(f, f->p, "expected ',' or ')'");
            }
        } else {
            if (f->p >= f->end || (*f->p != '\'' && *f->p != '"'))
                return synadb__et_fail(f, f->p, "expected a quoted string (params, tags and string attributes compare with 'quoted' values)");
            c.vals = (const char **)synadb__et_alloc(&f->a, sizeof *c.vals);
            c.vlens = (size_t *)synadb__et_alloc(&f->a, sizeof *c.vlens);
            if (!c.vals || !c.vlens) return synadb__et_fail(f, f->p, "out of memory");
            if (synadb__et_quoted(f, &c.vals[0], &c.vlens[0])) return -1;
            c.nvals = 1;
        }
        if (c.kind == SYNADB__ET_F_ATTR && c.attr == SYNADB__ET_A_STATUS && c.nvals) {
            size_t i;
            c.vstat = (int *)synadb__et_alloc(&f->a, c.nvals * sizeof *c.vstat);
            if (!c.vstat) return synadb__et_fail(f, f->p, "out of memory");
            for (i = 0; i < c.nvals; i++) c.vstat[i] = synadb__et_status_of(c.vals[i], c.vlens[i]);
        }
        if (f->ncl == f->ccl) {
            size_t nc = f->ccl ? f->ccl * 2 : 8;
            synadb__et_cl *ncl = (synadb__et_cl *)synadb__et_alloc(&f->a, nc * sizeof *ncl);
            if (!ncl) return synadb__et_fail(f, f->p, "out of memory");
            if (f->ncl) memcpy(ncl, f->cl, f->ncl * sizeof *ncl);
            f->cl = ncl; f->ccl = nc;
        }
        f->cl[f->ncl++] = c;
        synadb__et_ws(f);
        if (f->p >= f->end) return 0;
        opat = f->p;
        if (synadb__et_kw(f, "AND")) continue;
        if (synadb__et_kw(f, "OR")) return synadb__et_fail(f, opat, "OR is not supported (a filter is an AND of comparisons, as in MLflow)");
        return synadb__et_fail(f, opat, "expected AND or the end of the filter");
    }
}
SYNADB_PRIVATE int synadb__et_parse_order(synadb__et_filter *f) {
    synadb__et_ws(f);
    if (f->p >= f->end) return 0;
    for (;;) {
        synadb__et_ord o;
        memset(&o, 0, sizeof o);
        if (synadb__et_ident(f, &o.kind, &o.attr, &o.name, &o.nlen)) return -1;
        o.numeric = o.kind == SYNADB__ET_F_METRIC || (o.kind == SYNADB__ET_F_ATTR && (o.attr == SYNADB__ET_A_START || o.attr == SYNADB__ET_A_END));
        synadb__et_ws(f);
        if (synadb__et_kw(f, "DESC")) o.desc = 1;
        else (void)synadb__et_kw(f, "ASC");
        if (f->nord == f->cord) {
            size_t nc = f->cord ? f->cord * 2 : 4;
            synadb__et_ord *no = (synadb__et_ord *)synadb__et_alloc(&f->a, nc * sizeof *no);
            if (!no) return synadb__et_fail(f, f->p, "out of memory");
            if (f->nord) memcpy(no, f->ord, f->nord * sizeof *no);
            f->ord = no; f->cord = nc;
        }
        f->ord[f->nord++] = o;
        synadb__et_ws(f);
        if (f->p >= f->end) return 0;
        if (*f->p == ',') { f->p++; continue; }
        return synadb__et_fail(f, f->p, "expected ASC, DESC, ',' or the end of order_by");
    }
}
SYNADB_PRIVATE int synadb__et_compile(synadb__et_filter *f, const char *filter, const char *order_by) {
    memset(f, 0, sizeof *f);
    f->what = "filter";
    f->src = f->p = filter ? filter : "";
    f->end = f->src + strlen(f->src);
    if (synadb__et_parse_filter(f)) return -1;
    f->what = "order_by";
    f->src = f->p = order_by ? order_by : "";
    f->end = f->src + strlen(f->src);
    return synadb__et_parse_order(f);
}
SYNADB_ML_API synadb_result synadb_exp_filter_check(const char *filter, const char *order_by, size_t *err_pos, char *msg, size_t msg_cap) {
    synadb__et_filter f;
    int e = synadb__et_compile(&f, filter, order_by);
    if (err_pos) *err_pos = e ? f.errpos : 0;
    if (msg && msg_cap) snprintf(msg, msg_cap, "%s", e ? f.err : "");
    synadb__et_arena_free(f.a.blk);
    return e ? (synadb_result)SYNADB_ERR_SYNTAX : (synadb_result)SYNADB_OK;
}
/* SQL LIKE: % any run, _ one byte; ci: ASCII case-insensitive. */
SYNADB_PRIVATE int synadb__et_like(const char *p, size_t pn, const char *s, size_t sn, int ci) {
    size_t i = 0, j = 0, star_p = (size_t)-1, star_s = 0;
    while (j < sn) {
        if (i < pn && p[i] == '%') { star_p = i++; star_s = j; continue; }
        if (i < pn) {
            char a = p[i], b = s[j];
            if (ci) { if (a >= 'A' && a <= 'Z') a = (char)(a + 32); if (b >= 'A' && b <= 'Z') b = (char)(b + 32); }
            if (a == '_' || a == b) { i++; j++; continue; }
        }
        if (star_p == (size_t)-1) return 0;
        i = star_p + 1; j = ++star_s;
    }
    while (i < pn && p[i] == '%') i++;
    return i == pn;
}
SYNADB_PRIVATE int synadb__et_strop(const synadb__et_cl *c, const char *s, size_t n) {
    size_t i;
    switch (c->op) {
    case SYNADB__ET_O_EQ: return n == c->vlens[0] && !memcmp(s, c->vals[0], n);
    case SYNADB__ET_O_NE: return !(n == c->vlens[0] && !memcmp(s, c->vals[0], n));
    case SYNADB__ET_O_LIKE: return synadb__et_like(c->vals[0], c->vlens[0], s, n, 0);
    case SYNADB__ET_O_ILIKE: return synadb__et_like(c->vals[0], c->vlens[0], s, n, 1);
    case SYNADB__ET_O_IN: case SYNADB__ET_O_NOTIN:
        for (i = 0; i < c->nvals; i++) if (n == c->vlens[i] && !memcmp(s, c->vals[i], n)) return c->op == SYNADB__ET_O_IN;
        return c->op == SYNADB__ET_O_NOTIN;
    }
    return 0;
}
SYNADB_PRIVATE int synadb__et_numop(int op, double v, double x) {
    switch (op) {
    case SYNADB__ET_O_EQ: return v == x;
    case SYNADB__ET_O_NE: return v != x;
    case SYNADB__ET_O_LT: return v < x;
    case SYNADB__ET_O_LE: return v <= x;
    case SYNADB__ET_O_GT: return v > x;
    case SYNADB__ET_O_GE: return v >= x;
    }
    return 0;
}
/* Does run i match? Metrics, params and tags are read from the columns. */
SYNADB_PRIVATE int synadb__et_match(const synadb_exp *t, const synadb__et_filter *f, size_t ri) {
    size_t i, k;
    for (i = 0; i < f->ncl; i++) {
        const synadb__et_cl *c = &f->cl[i];
        int ok = 0;
        switch (c->kind) {
        case SYNADB__ET_F_METRIC:
            ok = c->col && c->col->has[ri] && synadb__et_numop(c->op, c->col->v[ri], c->num);
            break;
        case SYNADB__ET_F_PARAM: case SYNADB__ET_F_TAG: {
            uint32_t v = c->col ? c->col->vid[ri] : SYNADB__ET_NONE;
            if (v == SYNADB__ET_NONE) break;
            switch (c->op) {
            case SYNADB__ET_O_EQ: ok = v == c->vids[0]; break;
            case SYNADB__ET_O_NE: ok = v != c->vids[0]; break;
            case SYNADB__ET_O_IN: case SYNADB__ET_O_NOTIN:
                for (k = 0; k < c->nvals && c->vids[k] != v; k++) {}
                ok = (k < c->nvals) == (c->op == SYNADB__ET_O_IN);
                break;
            default:
                if (!c->memo[v]) c->memo[v] = (uint8_t)(1 + synadb__et_strop(c, t->vals.s[v], t->vals.len[v]));
                ok = c->memo[v] == 2;
            }
            break;
        }
        default: {
            const synadb__et_run *r = t->runs[ri];
            switch (c->attr) {
            case SYNADB__ET_A_STATUS:
                if (c->op == SYNADB__ET_O_LIKE || c->op == SYNADB__ET_O_ILIKE) {
                    const char *nm = synadb__et_status_mlflow[r->status & 3];
                    ok = synadb__et_strop(c, nm, strlen(nm));
                } else {
                    int in = 0;
                    for (k = 0; k < c->nvals; k++) if (c->vstat[k] == r->status) in = 1;
                    ok = (c->op == SYNADB__ET_O_EQ || c->op == SYNADB__ET_O_IN) ? in : !in;
                }
                break;
            case SYNADB__ET_A_RUN_ID: ok = synadb__et_strop(c, r->id, 36); break;
            case SYNADB__ET_A_EXPERIMENT: ok = synadb__et_strop(c, t->names.s[r->exp], t->names.len[r->exp]); break;
            case SYNADB__ET_A_START: ok = synadb__et_numop(c->op, (double)(r->started_us / 1000), c->num); break;
            default: ok = r->ended_us && synadb__et_numop(c->op, (double)(r->ended_us / 1000), c->num); break;
            }
        }
        }
        if (!ok) return 0;
    }
    return 1;
}
/* One sort key of a run: missing, or a number, or a string. */
typedef struct synadb__et_skey { int miss; double num; const char *s; size_t n; } synadb__et_skey;
SYNADB_PRIVATE synadb__et_skey synadb__et_key_of(const synadb_exp *t, const synadb__et_ord *o, const synadb__et_run *r) {
    synadb__et_skey k;
    memset(&k, 0, sizeof k);
    switch (o->kind) {
    case SYNADB__ET_F_METRIC:
        if (!o->col || !o->col->has[r->idx] || o->col->v[r->idx] != o->col->v[r->idx]) k.miss = 1;
        else k.num = o->col->v[r->idx];
        break;
    case SYNADB__ET_F_PARAM: case SYNADB__ET_F_TAG: {
        uint32_t v = o->col ? o->col->vid[r->idx] : SYNADB__ET_NONE;
        if (v == SYNADB__ET_NONE) k.miss = 1; else { k.s = t->vals.s[v]; k.n = t->vals.len[v]; }
        break;
    }
    default:
        switch (o->attr) {
        case SYNADB__ET_A_STATUS: k.s = synadb__et_status_mlflow[r->status & 3]; k.n = strlen(k.s); break;
        case SYNADB__ET_A_RUN_ID: k.s = r->id; k.n = 36; break;
        case SYNADB__ET_A_EXPERIMENT: k.s = t->names.s[r->exp]; k.n = t->names.len[r->exp]; break;
        case SYNADB__ET_A_START: k.num = (double)r->started_us; break;
        default: if (r->ended_us) k.num = (double)r->ended_us; else k.miss = 1; break;
        }
    }
    return k;
}
SYNADB_PRIVATE int synadb__et_keycmp(const synadb__et_ord *o, const synadb__et_skey *a, const synadb__et_skey *b) {
    int c;
    if (a->miss || b->miss) return a->miss - b->miss;   /* missing last, whatever the direction */
    if (o->numeric) c = a->num < b->num ? -1 : a->num > b->num;
    else {
        size_t n = a->n < b->n ? a->n : b->n;
        c = memcmp(a->s, b->s, n);
        if (!c) c = a->n < b->n ? -1 : a->n > b->n;
    }
    return o->desc ? -c : c;
}
typedef struct synadb__et_sel { const synadb__et_run *r; const synadb_exp *t; const synadb__et_filter *f; synadb__et_skey k0; } synadb__et_sel;
SYNADB_PRIVATE int synadb__et_selcmp(const void *pa, const void *pb) {
    const synadb__et_sel *a = (const synadb__et_sel *)pa, *b = (const synadb__et_sel *)pb;
    size_t i;
    int c;
    if (a->f->nord) {
        c = synadb__et_keycmp(&a->f->ord[0], &a->k0, &b->k0);
        if (c) return c;
        for (i = 1; i < a->f->nord; i++) {
            synadb__et_skey x = synadb__et_key_of(a->t, &a->f->ord[i], a->r), y = synadb__et_key_of(a->t, &a->f->ord[i], b->r);
            c = synadb__et_keycmp(&a->f->ord[i], &x, &y);
            if (c) return c;
        }
    }
    if (a->r->started_us != b->r->started_us) return a->r->started_us > b->r->started_us ? -1 : 1;
    return memcmp(a->r->id, b->r->id, 36);
}
SYNADB_PRIVATE void synadb__et_sift(synadb__et_sel *h, size_t n, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, w = i;
        if (l < n && synadb__et_selcmp(&h[l], &h[w]) > 0) w = l;
        if (r < n && synadb__et_selcmp(&h[r], &h[w]) > 0) w = r;
        if (w == i) return;
        { synadb__et_sel x = h[i]; h[i] = h[w]; h[w] = x; }
        i = w;
    }
}
/* Matching runs in order (read lock held); *out allocated. */
SYNADB_PRIVATE synadb_result synadb__et_query(synadb_exp *t, const char *filter, const char *order_by, size_t limit, synadb__et_run ***out, size_t *n) {
    synadb__et_filter f;
    synadb__et_sel *sel = NULL;
    size_t i, m = 0;
    int never = 0, oom = 0;
    *out = NULL; *n = 0;
    if (synadb__et_compile(&f, filter, order_by)) {
        synadb__et_err(t, SYNADB_ERR_SYNTAX, "%s", f.err);
        synadb__et_arena_free(f.a.blk);
        return SYNADB_ERR_SYNTAX;
    }
    for (i = 0; i < f.ncl && !oom; i++) {
        synadb__et_cl *c = &f.cl[i];
        size_t k;
        if (c->kind == SYNADB__ET_F_ATTR) continue;
        c->nid = synadb__et_lookup(&t->names, c->name, c->nlen);
        if (c->nid == SYNADB__ET_NONE) { never = 1; continue; }   /* no run has that key */
        c->col = synadb__et_col_get(t, c->kind, c->nid, &oom);
        if (c->kind == SYNADB__ET_F_METRIC || oom) continue;
        c->vids = (uint32_t *)synadb__et_alloc(&f.a, (c->nvals + 1) * sizeof *c->vids);
        if (!c->vids) { oom = 1; break; }
        for (k = 0; k < c->nvals; k++) c->vids[k] = synadb__et_lookup(&t->vals, c->vals[k], c->vlens[k]);
        if (c->op == SYNADB__ET_O_LIKE || c->op == SYNADB__ET_O_ILIKE) {
            c->memo = (uint8_t *)synadb__et_alloc(&f.a, t->vals.n + 1);
            if (!c->memo) { oom = 1; break; }
            memset(c->memo, 0, t->vals.n + 1);
        }
    }
    for (i = 0; i < f.nord && !oom; i++) {
        f.ord[i].nid = f.ord[i].kind == SYNADB__ET_F_ATTR ? 0 : synadb__et_lookup(&t->names, f.ord[i].name, f.ord[i].nlen);
        if (f.ord[i].kind != SYNADB__ET_F_ATTR) f.ord[i].col = synadb__et_col_get(t, f.ord[i].kind, f.ord[i].nid, &oom);
    }
    if (oom) {
        synadb__et_arena_free(f.a.blk);
        return synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
    }
    sel = (synadb__et_sel *)SYNADB_MALLOC((t->nruns + 1) * sizeof *sel);
    *out = (synadb__et_run **)SYNADB_MALLOC((t->nruns + 1) * sizeof **out);
    if (!sel || !*out) {
        SYNADB_FREE(sel); SYNADB_FREE(*out); *out = NULL;
        synadb__et_arena_free(f.a.blk);
        return synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
    }
    for (i = 0; !never && i < t->nruns; i++) {
        const synadb__et_run *r;
        if (!synadb__et_match(t, &f, i)) continue;
        r = t->runs[i];
        sel[m].r = r; sel[m].t = t; sel[m].f = &f;
        if (f.nord) sel[m].k0 = synadb__et_key_of(t, &f.ord[0], r);
        m++;
    }
    if (limit && limit < m / 2) {   /* top-k: a heap of the best `limit` (the worst on top), then sort it */
        size_t h;
        for (h = limit / 2; h-- > 0;) synadb__et_sift(sel, limit, h);
        for (i = limit; i < m; i++)
            if (synadb__et_selcmp(&sel[i], &sel[0]) < 0) { sel[0] = sel[i]; synadb__et_sift(sel, limit, 0); }
        m = limit;
    }
    qsort(sel, m, sizeof *sel, synadb__et_selcmp);
    if (limit && m > limit) m = limit;
    for (i = 0; i < m; i++) (*out)[i] = (synadb__et_run *)sel[i].r;
    *n = m;
    SYNADB_FREE(sel);
    synadb__et_arena_free(f.a.blk);
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_exp_query(synadb_exp *t, const char *filter, const char *order_by, size_t limit, synadb_exp_idlist *out) {
    synadb__et_run **rs = NULL;
    size_t n;
    synadb_result rc;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!out) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out is NULL");
    out->count = 0; out->ids = NULL;
    synadb__rw_rdlock(&t->rw);
    rc = synadb__et_query(t, filter, order_by, limit, &rs, &n);
    if (!rc) rc = synadb__et_ids(t, rs, n, out);
    synadb__rw_rdunlock(&t->rw);
    SYNADB_FREE(rs);
    return rc;
}

/* ---- JSON ---- */
/* The Run object of the original ({"id","experiment_name","started_at","ended_at","status",
   "params","tags"}: times in Unix seconds, tags as a list of keys) plus "started_us",
   "ended_us", "tag_values" {key: value}, "metrics" {key: latest value} (NaN/inf: null),
   "metric_info" {key: {"step","timestamp_us","count","min","max","mean"}} and "artifacts"
   [{"name","sha256","size"}]. detail 0 (lists and queries) leaves out "metric_info". */
SYNADB_PRIVATE synadb_result synadb__et_run_json(synadb_exp *t, const synadb__et_run *r, synadb__json *j, int detail) {
    synadb_exp_run s;
    size_t i;
    synadb_result rc = synadb__et_snap(t, r, &s);
    if (rc) return rc;
    synadb__jlit(j, "{\"id\":"); synadb__jstr(j, s.id, 36);
    synadb__jlit(j, ",\"experiment_name\":"); synadb__jstr(j, s.experiment, strlen(s.experiment));
    synadb__jlit(j, ",\"started_at\":"); synadb__jint(j, s.started_us / 1000000);
    synadb__jlit(j, ",\"ended_at\":"); if (s.ended_us) synadb__jint(j, s.ended_us / 1000000); else synadb__jlit(j, "null");
    synadb__jlit(j, ",\"status\":"); synadb__jstr(j, synadb__et_status_names[s.status & 3], strlen(synadb__et_status_names[s.status & 3]));
    synadb__jlit(j, ",\"started_us\":"); synadb__jint(j, s.started_us);
    synadb__jlit(j, ",\"ended_us\":"); if (s.ended_us) synadb__jint(j, s.ended_us); else synadb__jlit(j, "null");
    synadb__jlit(j, ",\"params\":{");
    for (i = 0; i < s.nparams; i++) {
        if (i) synadb__jlit(j, ",");
        synadb__jstr(j, s.params[i].key, strlen(s.params[i].key)); synadb__jlit(j, ":");
        synadb__jstr(j, s.params[i].value, strlen(s.params[i].value));
    }
    synadb__jlit(j, "},\"tags\":[");
    for (i = 0; i < s.ntags; i++) { if (i) synadb__jlit(j, ","); synadb__jstr(j, s.tags[i].key, strlen(s.tags[i].key)); }
    synadb__jlit(j, "],\"tag_values\":{");
    for (i = 0; i < s.ntags; i++) {
        if (i) synadb__jlit(j, ",");
        synadb__jstr(j, s.tags[i].key, strlen(s.tags[i].key)); synadb__jlit(j, ":");
        synadb__jstr(j, s.tags[i].value, strlen(s.tags[i].value));
    }
    synadb__jlit(j, "},\"metrics\":{");
    for (i = 0; i < s.nmetrics; i++) {
        if (i) synadb__jlit(j, ",");
        synadb__jstr(j, s.metrics[i].key, strlen(s.metrics[i].key)); synadb__jlit(j, ":"); synadb__jdbl(j, s.metrics[i].value);
    }
    if (detail) synadb__jlit(j, "},\"metric_info\":{");
    for (i = 0; detail && i < s.nmetrics; i++) {
        if (i) synadb__jlit(j, ",");
        synadb__jstr(j, s.metrics[i].key, strlen(s.metrics[i].key));
        synadb__jlit(j, ":{\"step\":"); synadb__jint(j, s.metrics[i].step);
        synadb__jlit(j, ",\"timestamp_us\":"); synadb__jint(j, s.metrics[i].timestamp_us);
        synadb__jlit(j, ",\"count\":"); synadb__juint(j, s.metrics[i].count);
        synadb__jlit(j, ",\"min\":"); synadb__jdbl(j, s.metrics[i].min);
        synadb__jlit(j, ",\"max\":"); synadb__jdbl(j, s.metrics[i].max);
        synadb__jlit(j, ",\"mean\":"); synadb__jdbl(j, s.metrics[i].mean);
        synadb__jlit(j, "}");
    }
    synadb__jlit(j, "},\"artifacts\":[");
    for (i = 0; i < s.nartifacts; i++) {
        if (i) synadb__jlit(j, ",");
        synadb__jlit(j, "{\"name\":"); synadb__jstr(j, s.artifacts[i].name, strlen(s.artifacts[i].name));
        synadb__jlit(j, ",\"sha256\":"); synadb__jstr(j, s.artifacts[i].sha256, 64);
        synadb__jlit(j, ",\"size\":"); synadb__juint(j, s.artifacts[i].size);
        synadb__jlit(j, "}");
    }
    synadb__jlit(j, "]}");
    synadb_exp_run_free(&s);
    return j->oom ? synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory") : SYNADB_OK;
}
SYNADB_PRIVATE synadb_result synadb__et_json_out(synadb_exp *t, synadb__json *j, synadb_result rc, char **out_json, size_t *out_len) {
    if (!rc && j->oom) rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
    if (rc) { SYNADB_FREE(j->p); return rc; }
    *out_json = j->p;
    if (out_len) *out_len = j->n;
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_exp_run_json(synadb_exp *t, const char *run_id, char **out_json, size_t *out_len) {
    synadb_result rc;
    const synadb__et_run *r;
    synadb__json j;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!out_json) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out_json is NULL");
    *out_json = NULL;
    if (out_len) *out_len = 0;
    memset(&j, 0, sizeof j);
    synadb__rw_rdlock(&t->rw);
    r = synadb__et_run_read(t, run_id, &rc);
    if (r) rc = synadb__et_run_json(t, r, &j, 1);
    synadb__rw_rdunlock(&t->rw);
    return synadb__et_json_out(t, &j, rc, out_json, out_len);
}
/* A JSON array of the runs (read lock held). */
SYNADB__UNUSED SYNADB_PRIVATE synadb_result synadb__et_runs_json(synadb_exp *t, synadb__et_run **rs, size_t n, synadb__json *j) {
    size_t i;
    synadb_result rc = SYNADB_OK;
    synadb__jlit(j, "[");
    for (i = 0; i < n && !rc; i++) { if (i) synadb__jlit(j, ","); rc = synadb__et_run_json(t, rs[i], j, 0); }
    synadb__jlit(j, "]");
    return rc;
}
SYNADB_ML_API synadb_result synadb_exp_compare_runs(synadb_exp *t, const char *const *run_ids, size_t n, char **out_json, size_t *out_len) {
    synadb_result rc = SYNADB_OK;
    synadb__json j;
    const synadb__et_run **rs = NULL;
    uint32_t *keys = NULL;
    size_t i, k, q, nk;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!out_json || (n && !run_ids)) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "run_ids or out_json is NULL");
    *out_json = NULL;
    if (out_len) *out_len = 0;
    memset(&j, 0, sizeof j);
    synadb__rw_rdlock(&t->rw);
    rs = (const synadb__et_run **)SYNADB_MALLOC((n + 1) * sizeof *rs);
    if (!rs) rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
    for (i = 0; i < n && !rc; i++) if (!(rs[i] = synadb__et_run_read(t, run_ids[i], &rc))) break;
    for (q = 0; q < 2 && !rc; q++) {   /* q 0: params, 1: metrics; keys = union in name order */
        nk = 0;
        for (i = 0; i < n; i++) nk += q ? rs[i]->nm : rs[i]->np;
        SYNADB_FREE(keys);
        keys = (uint32_t *)SYNADB_MALLOC((nk + 1) * sizeof *keys);
        if (!keys) { rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory"); break; }
        nk = 0;
        for (i = 0; i < n; i++) {
            size_t cnt = q ? rs[i]->nm : rs[i]->np, a, b;
            for (a = 0; a < cnt; a++) {
                uint32_t key = q ? rs[i]->mets[a].name : rs[i]->params[a].key;
                for (b = 0; b < nk && keys[b] != key; b++) {}
                if (b == nk) keys[nk++] = key;
            }
        }
        if (!q) {
            synadb__jlit(&j, "{\"runs\":[");
            for (i = 0; i < n; i++) { if (i) synadb__jlit(&j, ","); synadb__jstr(&j, rs[i]->id, 36); }
            synadb__jlit(&j, "],\"params\":{");
        } else synadb__jlit(&j, "},\"metrics\":{");
        for (k = 0; k < nk; k++) {
            int first = 1;
            if (k) synadb__jlit(&j, ",");
            synadb__jstr(&j, t->names.s[keys[k]], t->names.len[keys[k]]);
            synadb__jlit(&j, ":{");
            for (i = 0; i < n; i++) {
                if (!q) {
                    const synadb__et_kv *kv = synadb__et_kv_get(rs[i]->params, rs[i]->np, keys[k]);
                    if (!kv) continue;
                    if (!first) synadb__jlit(&j, ",");
                    first = 0;
                    synadb__jstr(&j, rs[i]->id, 36); synadb__jlit(&j, ":"); synadb__jstr(&j, t->vals.s[kv->vid], t->vals.len[kv->vid]);
                } else {
                    const synadb__et_met *m = synadb__et_met_get(rs[i], keys[k]);
                    if (!m || !m->count) continue;
                    if (!first) synadb__jlit(&j, ",");
                    first = 0;
                    synadb__jstr(&j, rs[i]->id, 36);
                    synadb__jlit(&j, ":{\"latest\":"); synadb__jdbl(&j, m->lval);
                    synadb__jlit(&j, ",\"min\":"); if (m->nvalid) synadb__jdbl(&j, m->min); else synadb__jlit(&j, "null");
                    synadb__jlit(&j, ",\"max\":"); if (m->nvalid) synadb__jdbl(&j, m->max); else synadb__jlit(&j, "null");
                    synadb__jlit(&j, ",\"mean\":"); if (m->nvalid) synadb__jdbl(&j, m->sum / (double)m->nvalid); else synadb__jlit(&j, "null");
                    synadb__jlit(&j, "}");
                }
            }
            synadb__jlit(&j, "}");
        }
    }
    if (!rc) synadb__jlit(&j, "}}");
    synadb__rw_rdunlock(&t->rw);
    SYNADB_FREE(rs); SYNADB_FREE(keys);
    return synadb__et_json_out(t, &j, rc, out_json, out_len);
}
typedef struct synadb__et_namecount { const char *s; size_t n; uint64_t runs, running; } synadb__et_namecount;
SYNADB_PRIVATE int synadb__et_namecmp(const void *a, const void *b) {
    const synadb__et_namecount *x = (const synadb__et_namecount *)a, *y = (const synadb__et_namecount *)b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->s, y->s, n);
    return c ? c : (x->n < y->n ? -1 : x->n > y->n);
}
SYNADB_PRIVATE synadb_result synadb__et_exps_json(synadb_exp *t, char **out_json, size_t *out_len, size_t *count) {
    synadb__json j;
    synadb__et_namecount *e = NULL;
    uint32_t *slot = NULL;
    size_t ne = 0, i;
    synadb_result rc = SYNADB_OK;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!out_json) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out_json is NULL");
    *out_json = NULL;
    if (out_len) *out_len = 0;
    memset(&j, 0, sizeof j);
    synadb__rw_rdlock(&t->rw);
    e = (synadb__et_namecount *)SYNADB_MALLOC((t->nruns + 1) * sizeof *e);
    slot = (uint32_t *)SYNADB_MALLOC((t->names.n + 1) * sizeof *slot);
    if (!e || !slot) rc = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
    else {
        for (i = 0; i < t->names.n; i++) slot[i] = SYNADB__ET_NONE;
        for (i = 0; i < t->nruns; i++) {
            uint32_t x = t->runs[i]->exp;
            if (slot[x] == SYNADB__ET_NONE) { slot[x] = (uint32_t)ne; e[ne].s = t->names.s[x]; e[ne].n = t->names.len[x]; e[ne].runs = 0; e[ne].running = 0; ne++; }
            e[slot[x]].runs++;
            if (t->runs[i]->status == SYNADB_EXP_RUNNING) e[slot[x]].running++;
        }
        qsort(e, ne, sizeof *e, synadb__et_namecmp);
        synadb__jlit(&j, "[");
        for (i = 0; i < ne; i++) {
            if (i) synadb__jlit(&j, ",");
            synadb__jlit(&j, "{\"name\":"); synadb__jstr(&j, e[i].s, e[i].n);
            synadb__jlit(&j, ",\"runs\":"); synadb__juint(&j, e[i].runs);
            synadb__jlit(&j, ",\"running\":"); synadb__juint(&j, e[i].running);
            synadb__jlit(&j, "}");
        }
        synadb__jlit(&j, "]");
    }
    synadb__rw_rdunlock(&t->rw);
    SYNADB_FREE(e); SYNADB_FREE(slot);
    *count = rc ? 0 : ne;
    return synadb__et_json_out(t, &j, rc, out_json, out_len);
}
SYNADB_ML_API synadb_result synadb_exp_experiments_json(synadb_exp *t, char **out_json, size_t *out_len) {
    size_t n;
    return synadb__et_exps_json(t, out_json, out_len, &n);
}
SYNADB_ML_API synadb_result synadb_exp_get_stats(synadb_exp *t, synadb_exp_stats *out) {
    synadb_keylist kl;
    synadb_result rc;
    size_t i, k;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (!out) return synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out is NULL");
    memset(out, 0, sizeof *out);
    synadb__rw_rdlock(&t->rw);
    out->runs = t->nruns;
    out->pending_points = t->pending;
    for (i = 0; i < t->nruns; i++) {
        const synadb__et_run *r = t->runs[i];
        out->series += r->nm;
        for (k = 0; k < r->nm; k++) out->points += r->mets[k].count;
    }
    {   /* experiments: distinct exp ids */
        uint8_t *seen = (uint8_t *)SYNADB_MALLOC(t->names.n + 1);
        if (seen) {
            memset(seen, 0, t->names.n + 1);
            for (i = 0; i < t->nruns; i++) if (!seen[t->runs[i]->exp]) { seen[t->runs[i]->exp] = 1; out->experiments++; }
            SYNADB_FREE(seen);
        }
    }
    synadb__rw_rdunlock(&t->rw);
    rc = synadb_keys(t->db, "exp/blob/*", SYNADB_NTS, &kl);
    if (rc) return synadb__et_dberr(t, rc, "listing artifacts");
    for (i = 0; i < kl.count; i++) {
        size_t len = 0;
        char one;
        synadb_result r2 = synadb_get_bytes_into(t->db, kl.keys[i], kl.lens[i], &one, 0, &len);
        if (r2 && r2 != SYNADB_ERR_BUFFER_TOO_SMALL) continue;
        out->blobs++;
        out->blob_bytes += len;
    }
    synadb_keylist_free(t->db, &kl);
    return SYNADB_OK;
}

/* ---- the path-keyed ABI ---- */
#ifndef SYNADB_NO_COMPAT_ABI
SYNADB_PRIVATE void synadb__et_abi_close(void *obj) { (void)synadb_exp_close((synadb_exp *)obj); }
SYNADB_PRIVATE int32_t synadb__et_abi_rc(synadb_result r) { return r == SYNADB_OK ? 1 : (int32_t)r; }
/* Declares t for the tracker open at path (returns -1 / -2 otherwise) ... SYNADB__ET_ABI_END. */
#define SYNADB__ET_ABI_BEGIN(path) \
    int32_t rc_ = 1; \
    synadb__mlreg *e_ = synadb__ml_acquire((path), SYNADB__MLK_TRACKER, &rc_); \
    synadb_exp *t; \
    if (!e_) return rc_; \
    t = (synadb_exp *)e_->obj;
#define SYNADB__ET_ABI_END(result) do { synadb__ml_release(e_); return (result); } while (0)

SYNADB_ML_API int32_t syna_exp_tracker_open(const char *path) {
    synadb_exp *t = NULL;
    int used = 0;
    int32_t rc;
    synadb__mlreg *e;
    if (!path || !*path) return SYNA_ERR_INVALID_PATH;
    e = synadb__ml_acquire(path, SYNADB__MLK_TRACKER, &rc);
    if (e) { synadb__ml_release(e); return 1; }
    rc = (int32_t)synadb_exp_open(path, NULL, &t);
    if (rc) return rc;
    rc = synadb__ml_register(path, SYNADB__MLK_TRACKER, t, synadb__et_abi_close, &used);
    if (!used) synadb_exp_close(t);
    return rc;
}
/* Flushes first, so that a failure is reported (and the tracker stays open, nothing lost). */
SYNADB_ML_API int32_t syna_exp_tracker_close(const char *path) {
    synadb_result r;
    {
        SYNADB__ET_ABI_BEGIN(path)
        r = synadb_exp_flush(t);
        synadb__ml_release(e_);
    }
    if (r) return (int32_t)r;
    return synadb__ml_unregister(path, SYNADB__MLK_TRACKER);
}
SYNADB_ML_API int32_t syna_exp_flush(const char *path) {
    SYNADB__ET_ABI_BEGIN(path)
    SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb_exp_flush(t)));
}
SYNADB_ML_API int32_t syna_exp_errmsg(const char *path, char *buf, size_t cap) {
    size_t n;
    SYNADB__ET_ABI_BEGIN(path)
    synadb__mutex_lock(&t->emu);
    n = strlen(t->errmsg);
    if (buf && cap) snprintf(buf, cap, "%s", t->errmsg);
    synadb__mutex_unlock(&t->emu);
    SYNADB__ET_ABI_END((int32_t)n);
}
/* tags_json: NULL, a JSON array of strings (tags with empty values, as the original) or an
   object of string values. */
SYNADB_ML_API int32_t syna_exp_start_run(const char *path, const char *experiment, const char *tags_json, char **out_run_id, size_t *out_run_id_len) {
    synadb__jdoc d;
    synadb_exp_kv *kv = NULL;
    size_t nt = 0, i;
    synadb_result r = SYNADB_OK;
    char id[37];
    SYNADB__ET_ABI_BEGIN(path)
    if (!out_run_id || !out_run_id_len) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out_run_id or out_run_id_len is NULL")));
    *out_run_id = NULL; *out_run_id_len = 0;
    memset(&d, 0, sizeof d);
    if (tags_json) {
        int pe = synadb__jparse(tags_json, strlen(tags_json), &d);
        if (pe) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, pe == -2 ? (synadb_result)SYNADB_ERR_NO_MEMORY : (synadb_result)SYNADB_ERR_SYNTAX, "tags_json: %s", d.err)));
        if (d.root->type != SYNADB__JARR && d.root->type != SYNADB__JOBJ)
            r = synadb__et_err(t, SYNADB_ERR_SYNTAX, "tags_json: expected an array of strings or an object of strings at byte 0");
        nt = d.root->nkid;
        if (!r) kv = (synadb_exp_kv *)SYNADB_MALLOC((nt + 1) * sizeof *kv);
        if (!r && !kv) r = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
        for (i = 0; !r && i < nt; i++) {
            const synadb__jv *v = &d.root->kid[i];
            if (v->type != SYNADB__JSTR) { r = synadb__et_err(t, SYNADB_ERR_SYNTAX, "tags_json: element %u is not a string", (unsigned)i); break; }
            if (d.root->type == SYNADB__JARR) { kv[i].key = v->s; kv[i].value = ""; }
            else { kv[i].key = v->key; kv[i].value = v->s; }
        }
        if (!r && d.root->type == SYNADB__JOBJ)   /* member names are not NUL-terminated: copy */
            for (i = 0; !r && i < nt; i++) {
                char *k = (char *)synadb__jalloc(&d, d.root->kid[i].klen + 1);
                if (!k) { r = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory"); break; }
                memcpy(k, d.root->kid[i].key, d.root->kid[i].klen); k[d.root->kid[i].klen] = 0;
                kv[i].key = k;
            }
    }
    if (!r) r = synadb_exp_start_run(t, experiment, kv, nt, id);
    SYNADB_FREE(kv);
    synadb__jdoc_free(&d);
    if (!r) {
        *out_run_id = (char *)SYNADB_MALLOC(37);
        if (!*out_run_id) r = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory (the run was started: %s)", id);
        else { memcpy(*out_run_id, id, 37); *out_run_id_len = 36; }
    }
    SYNADB__ET_ABI_END(synadb__et_abi_rc(r));
}
SYNADB_ML_API int32_t syna_exp_log_param(const char *path, const char *run_id, const char *key, const char *value) {
    SYNADB__ET_ABI_BEGIN(path)
    SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb_exp_log_param(t, run_id, key, value)));
}
SYNADB_ML_API int32_t syna_exp_set_tag(const char *path, const char *run_id, const char *key, const char *value) {
    SYNADB__ET_ABI_BEGIN(path)
    SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb_exp_set_tag(t, run_id, key, value)));
}
SYNADB_ML_API int32_t syna_exp_log_metric(const char *path, const char *run_id, const char *key, double value, int64_t step) {
    SYNADB__ET_ABI_BEGIN(path)
    SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb_exp_log_metric_ts(t, run_id, key, value, step < 0 ? SYNADB_EXP_STEP_NOW : step, 0)));
}
/* count points: keys[i], values[i], steps[i] (steps NULL or steps[i] < 0: now in us). Returns count. */
SYNADB_ML_API int32_t syna_exp_log_metrics(const char *path, const char *run_id, const char *const *keys, const double *values, const int64_t *steps, size_t count) {
    synadb_exp_point *pts;
    synadb_result r;
    size_t i;
    SYNADB__ET_ABI_BEGIN(path)
    if (count && (!keys || !values)) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "keys or values is NULL")));
    if (count > 0x7fffffff) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "count above 2^31-1")));
    pts = (synadb_exp_point *)SYNADB_MALLOC((count + 1) * sizeof *pts);
    if (!pts) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory")));
    for (i = 0; i < count; i++) {
        pts[i].key = keys[i]; pts[i].value = values[i];
        pts[i].step = steps && steps[i] >= 0 ? steps[i] : SYNADB_EXP_STEP_NOW;
        pts[i].timestamp_us = 0;
    }
    r = synadb_exp_log_metrics(t, run_id, pts, count);
    SYNADB_FREE(pts);
    SYNADB__ET_ABI_END(r ? (int32_t)r : (int32_t)count);
}
SYNADB_ML_API int32_t syna_exp_log_artifact(const char *path, const char *run_id, const char *name, const uint8_t *data, size_t data_len) {
    SYNADB__ET_ABI_BEGIN(path)
    SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb_exp_log_artifact(t, run_id, name, data, data_len)));
}
SYNADB_ML_API int32_t syna_exp_end_run(const char *path, const char *run_id, int32_t status) {
    SYNADB__ET_ABI_BEGIN(path)
    SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb_exp_end_run(t, run_id, status)));
}
SYNADB_ML_API int32_t syna_exp_get_run(const char *path, const char *run_id, char **out_json, size_t *out_len) {
    SYNADB__ET_ABI_BEGIN(path)
    SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb_exp_run_json(t, run_id, out_json, out_len)));
}
SYNADB_ML_API int32_t syna_exp_get_param(const char *path, const char *run_id, const char *key, char **out_value, size_t *out_len) {
    size_t n = 0;
    synadb_result r;
    SYNADB__ET_ABI_BEGIN(path)
    if (!out_value || !out_len) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out_value or out_len is NULL")));
    r = synadb_exp_get_param(t, run_id, key, out_value, &n);
    *out_len = n;
    SYNADB__ET_ABI_END(synadb__et_abi_rc(r));
}
/* {"key":value,...} sorted by key; returns the number of params. */
SYNADB_ML_API int32_t syna_exp_get_params(const char *path, const char *run_id, char **out_json, size_t *out_len) {
    synadb_exp_run s;
    synadb_result r;
    synadb__json j;
    size_t i;
    SYNADB__ET_ABI_BEGIN(path)
    if (!out_json) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out_json is NULL")));
    *out_json = NULL;
    if (out_len) *out_len = 0;
    r = synadb_exp_get_run(t, run_id, &s);
    if (r) SYNADB__ET_ABI_END(synadb__et_abi_rc(r));
    memset(&j, 0, sizeof j);
    synadb__jlit(&j, "{");
    for (i = 0; i < s.nparams; i++) {
        if (i) synadb__jlit(&j, ",");
        synadb__jstr(&j, s.params[i].key, strlen(s.params[i].key)); synadb__jlit(&j, ":");
        synadb__jstr(&j, s.params[i].value, strlen(s.params[i].value));
    }
    synadb__jlit(&j, "}");
    i = s.nparams;
    synadb_exp_run_free(&s);
    r = synadb__et_json_out(t, &j, SYNADB_OK, out_json, out_len);
    SYNADB__ET_ABI_END(r ? (int32_t)r : (int32_t)i);
}
SYNADB_ML_API int32_t syna_exp_get_metric(const char *path, const char *run_id, const char *key, int64_t **out_steps, double **out_values, size_t *out_len) {
    SYNADB__ET_ABI_BEGIN(path)
    SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb_exp_get_metric(t, run_id, key, out_steps, out_values, NULL, out_len)));
}
/* {"key":..,"steps":[..],"timestamps_us":[..],"values":[..]} (NaN/inf values: null). */
SYNADB_ML_API int32_t syna_exp_get_metric_json(const char *path, const char *run_id, const char *key, char **out_json, size_t *out_len) {
    int64_t *st = NULL, *ts = NULL;
    double *v = NULL;
    size_t n = 0, i;
    synadb_result r;
    synadb__json j;
    SYNADB__ET_ABI_BEGIN(path)
    if (!out_json) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out_json is NULL")));
    *out_json = NULL;
    if (out_len) *out_len = 0;
    r = synadb_exp_get_metric(t, run_id, key, &st, &v, &ts, &n);
    if (r) SYNADB__ET_ABI_END(synadb__et_abi_rc(r));
    memset(&j, 0, sizeof j);
    synadb__jlit(&j, "{\"key\":"); synadb__jstr(&j, key, strlen(key));
    synadb__jlit(&j, ",\"steps\":[");
    for (i = 0; i < n; i++) { if (i) synadb__jlit(&j, ","); synadb__jint(&j, st[i]); }
    synadb__jlit(&j, "],\"timestamps_us\":[");
    for (i = 0; i < n; i++) { if (i) synadb__jlit(&j, ","); synadb__jint(&j, ts[i]); }
    synadb__jlit(&j, "],\"values\":[");
    for (i = 0; i < n; i++) { if (i) synadb__jlit(&j, ","); synadb__jdbl(&j, v[i]); }
    synadb__jlit(&j, "]}");
    SYNADB_FREE(st); SYNADB_FREE(ts); SYNADB_FREE(v);
    SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_json_out(t, &j, SYNADB_OK, out_json, out_len)));
}
SYNADB_ML_API int32_t syna_exp_get_artifact(const char *path, const char *run_id, const char *name, uint8_t **out_data, size_t *out_len) {
    void *p = NULL;
    synadb_result r;
    SYNADB__ET_ABI_BEGIN(path)
    if (!out_data || !out_len) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out_data or out_len is NULL")));
    r = synadb_exp_get_artifact(t, run_id, name, &p, out_len);
    *out_data = (uint8_t *)p;
    SYNADB__ET_ABI_END(synadb__et_abi_rc(r));
}
/* [{"name","sha256","size"}] sorted by name; returns the count. */
SYNADB_ML_API int32_t syna_exp_list_artifacts(const char *path, const char *run_id, char **out_json, size_t *out_len) {
    synadb_exp_run s;
    synadb_result r;
    synadb__json j;
    size_t i;
    SYNADB__ET_ABI_BEGIN(path)
    if (!out_json) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out_json is NULL")));
    *out_json = NULL;
    if (out_len) *out_len = 0;
    r = synadb_exp_get_run(t, run_id, &s);
    if (r) SYNADB__ET_ABI_END(synadb__et_abi_rc(r));
    memset(&j, 0, sizeof j);
    synadb__jlit(&j, "[");
    for (i = 0; i < s.nartifacts; i++) {
        if (i) synadb__jlit(&j, ",");
        synadb__jlit(&j, "{\"name\":"); synadb__jstr(&j, s.artifacts[i].name, strlen(s.artifacts[i].name));
        synadb__jlit(&j, ",\"sha256\":"); synadb__jstr(&j, s.artifacts[i].sha256, 64);
        synadb__jlit(&j, ",\"size\":"); synadb__juint(&j, s.artifacts[i].size);
        synadb__jlit(&j, "}");
    }
    synadb__jlit(&j, "]");
    i = s.nartifacts;
    synadb_exp_run_free(&s);
    r = synadb__et_json_out(t, &j, SYNADB_OK, out_json, out_len);
    SYNADB__ET_ABI_END(r ? (int32_t)r : (int32_t)i);
}
/* JSON array of Run objects; returns the count. */
SYNADB_ML_API int32_t syna_exp_list_runs(const char *path, const char *experiment, char **out_json, size_t *out_len) {
    synadb__et_run **rs = NULL;
    size_t n = 0;
    synadb_result r;
    synadb__json j;
    SYNADB__ET_ABI_BEGIN(path)
    if (!out_json) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out_json is NULL")));
    *out_json = NULL;
    if (out_len) *out_len = 0;
    memset(&j, 0, sizeof j);
    synadb__rw_rdlock(&t->rw);
    r = synadb__et_runs_of(t, experiment, &rs, &n);
    if (!r) r = synadb__et_runs_json(t, rs, n, &j);
    synadb__rw_rdunlock(&t->rw);
    SYNADB_FREE(rs);
    r = synadb__et_json_out(t, &j, r, out_json, out_len);
    SYNADB__ET_ABI_END(r ? (int32_t)r : (int32_t)n);
}
/* max_results <= 0: no limit. Returns the count. */
SYNADB_ML_API int32_t syna_exp_query(const char *path, const char *filter, const char *order_by, int64_t max_results, char **out_json, size_t *out_len) {
    synadb__et_run **rs = NULL;
    size_t n = 0;
    synadb_result r;
    synadb__json j;
    SYNADB__ET_ABI_BEGIN(path)
    if (!out_json) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out_json is NULL")));
    *out_json = NULL;
    if (out_len) *out_len = 0;
    memset(&j, 0, sizeof j);
    synadb__rw_rdlock(&t->rw);
    r = synadb__et_query(t, filter, order_by, max_results > 0 ? (size_t)max_results : 0, &rs, &n);
    if (!r) r = synadb__et_runs_json(t, rs, n, &j);
    synadb__rw_rdunlock(&t->rw);
    SYNADB_FREE(rs);
    r = synadb__et_json_out(t, &j, r, out_json, out_len);
    SYNADB__ET_ABI_END(r ? (int32_t)r : (int32_t)n);
}
SYNADB_ML_API int32_t syna_exp_compare_runs(const char *path, const char *const *run_ids, size_t count, char **out_json, size_t *out_len) {
    SYNADB__ET_ABI_BEGIN(path)
    SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb_exp_compare_runs(t, run_ids, count, out_json, out_len)));
}
SYNADB_ML_API int32_t syna_exp_get_best_run(const char *path, const char *experiment, const char *metric, int32_t minimize, char **out_run_id, size_t *out_len) {
    char id[37];
    synadb_result r;
    SYNADB__ET_ABI_BEGIN(path)
    if (!out_run_id || !out_len) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out_run_id or out_len is NULL")));
    *out_run_id = NULL; *out_len = 0;
    r = synadb_exp_best_run(t, experiment, metric, minimize, id);
    if (!r) {
        *out_run_id = (char *)SYNADB_MALLOC(37);
        if (!*out_run_id) r = synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
        else { memcpy(*out_run_id, id, 37); *out_len = 36; }
    }
    SYNADB__ET_ABI_END(synadb__et_abi_rc(r));
}
/* [{"name","runs","running"}] sorted by name; returns the count. */
SYNADB_ML_API int32_t syna_exp_list_experiments(const char *path, char **out_json, size_t *out_len) {
    synadb_result r;
    size_t cnt = 0;
    SYNADB__ET_ABI_BEGIN(path)
    if (!out_json) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out_json is NULL")));
    r = synadb__et_exps_json(t, out_json, out_len, &cnt);
    SYNADB__ET_ABI_END(r ? (int32_t)r : (int32_t)cnt);
}
#undef SYNADB__ET_ABI_BEGIN
#undef SYNADB__ET_ABI_END
#define SYNADB__X(ret, name, params, args, RET) SYNADB_ML_API ret SYNA_##name params { RET syna_##name args; }
SYNADB__ML_EXP_ABI_FUNCS(SYNADB__X)
#undef SYNADB__X
#endif /* SYNADB_NO_COMPAT_ABI */
/* ======================================================================== >>ml.exp end */

/* ======================================================================== >>ml.rl */
/* ======================================================================== >>ml.rl end */

/* ======================================================================== >>ml.io */
/* ======================================================================== >>ml.io end */

/* ======================================================================== >>ml.gpu */
/* ======================================================================== >>ml.gpu end */

#endif /* SYNADB_ML_IMPLEMENTATION_INCLUDED */
#endif /* SYNADB_IMPLEMENTATION */
