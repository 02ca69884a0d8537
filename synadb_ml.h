/* synadb_ml.h - v0.1.0 - machine-learning data on SynaDB: tensors, a model registry,
   experiment tracking, a reinforcement-learning experience collector, import/export,
   optional CUDA. MIT license, see synadb.h.                                  >>ml

   QUICK START
   -----------
   In exactly one C or C++ file (keep synadb.h next to this header):

       #define SYNADB_IMPLEMENTATION
       #include "synadb.h"
       #include "synadb_ml.h"

       size_t shape[2] = {10000, 784};
       synadb_tensor_put(db, "train/", x, shape, 2, SYNADB_DTYPE_FLOAT32);   (one record a row)
       synadb_tensor t;
       synadb_tensor_get(db, "train/[0-9]*", SYNADB_DTYPE_FLOAT32, &t);  ... synadb_tensor_free(db, &t);

       synadb_exp *tr;  char run[37];
       synadb_exp_open("runs.db", NULL, &tr);
       synadb_exp_start_run(tr, "mnist", NULL, 0, run);
       synadb_exp_log_metric(tr, run, "loss", 0.25, 1);
       synadb_exp_query(tr, "metrics.loss < 0.3", "metrics.loss ASC", 10, &ids);

   examples/ml_quickstart.c is a complete program.

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
     SYNADB_NO_SHA_NI  leave out the x86 SHA-extensions path of SHA-256 (the portable one
                     is always there; the choice is made at run time by CPUID).
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
/* TensorEngine: tensors of any rank in C order, stored in a synadb_db.

   LAYOUT
     synadb_tensor_put(db, "train/", x, {10000, 784}, 2, FLOAT32) writes one record per row of
     the first axis under "train/00000000", "train/00000001", ... (8 digits, so keys sort in
     row order; at most SYNADB_TENSOR_MAX_ROWS rows). A rank-1 tensor stores each element as a
     plain FLOAT (float dtypes) or INT (integer dtypes) value, readable with synadb_get_float /
     synadb_get_int. Rows of rank >= 2 tensors are BYTES values that describe themselves:
         0  4  magic        89 'S' 'T' 'R'
         4  1  version      1
         5  1  dtype        synadb_dtype
         6  1  row rank     0..31
         7  1  zero
         8  4  header crc   CRC32C of bytes 0..7 and of the dims
        12  4  zero
        16  8r dims         u64 each
        then the elements (little-endian, C order); the value length must equal the header
        plus the elements exactly. Anything else in a BYTES value is "raw": elements of the
        dtype asked for (its length must be a multiple of the element size).
     Re-putting under the same prefix overwrites rows 0..n-1 and deletes older rows >= n.
     A put of up to 64 MiB of records is one atomic batch; a larger one is written in
     batches of about 64 MiB (after a crash a prefix of rows may be present; use the chunked
     form for all-or-nothing). NaN payloads of rank-1 float tensors are not kept (they are
     stored as doubles); everything else round-trips bit for bit.

   READING  synadb_tensor_get(db, pattern, dtype, &t): every live key matching the glob
     (the core's: '*', '?', [a-z], [!a-z], '\' escapes) in key order, stacked into one
     buffer of shape [keys, row shape...], converted to dtype. Per key: FLOAT/INT values are
     scalars (row shape []), VECTOR values float32 rows [dims], BYTES as above. Rows whose
     shapes differ: SYNADB_ERR_SHAPE naming the key. TEXT and NULL values: SYNADB_ERR_TYPE_MISMATCH
     naming the key (never skipped). No key matches: SYNADB_ERR_KEY_NOT_FOUND.
     Each record's CRC is checked as it is copied (unless the handle has
     skip_read_checksums). The keys are listed first, then read one by one: rows put or
     deleted meanwhile by another thread may or may not be seen, but every row read is whole.
     Conversions: between float types round to nearest even (float16/bfloat16 overflow to
     infinity, NaN stays NaN); to integer types truncate toward zero and a value out of the
     target's range, NaN or infinite gives SYNADB_ERR_DTYPE naming the key (nothing is
     wrapped); integers to float types round to nearest even.

   CHUNKED  synadb_tensor_put_chunked(db, name, ...) writes the data as BYTES chunks of
     chunk_rows rows (0 = about 64 MiB) under "name/chunk/<generation>/<index>" and then the
     metadata "name/meta" (JSON text: shape, dtype, total_bytes, chunk_rows, chunk_size,
     chunk_count, generation, crc32c of the data). The metadata is written last and names its
     generation, so a put cut short leaves the previous tensor readable (or nothing); after
     the metadata, chunks of other generations are deleted. A read checks every chunk's
     length, its record CRC and the CRC32C of the data, in the same pass as the copy: a
     mismatch is SYNADB_ERR_CHECKSUM (the output is freed, or zeroed for the _into form), a
     missing chunk SYNADB_ERR_CORRUPT. Chunks are written straight from the caller's data
     and read straight into the output: a 1 GiB tensor is never held twice.

   ZERO-COPY  synadb_tensor_view_row / synadb_tensor_view_chunk point into the mapped log
     (no conversion, no copy) and stay valid until the next write, compaction or close of
     the handle. SYNADB_ERR_UNSUPPORTED when the database is not mapped or the value was
     LZ4-compressed (open without enable_compression to keep tensors viewable).

   STREAMS  synadb_tensor_stream_open(db, pattern, dtype, batch_rows, &opt, &s) iterates the
     rows of the keys matching pattern in batches, reading one batch at a time (it holds the
     key list, never the tensor). shuffle: a permutation from seed + epoch (same seed, same
     order). Sharding: rank r of world_size W gets positions r, r+W, r+2W, ... of the
     (shuffled) order: the shards are disjoint and together hold every row once. A stream is
     used by one thread at a time. Streams read row records (put_tensor's layout, scalars,
     vectors, raw bytes), not chunked tensors (read those whole, or chunk by chunk with
     synadb_tensor_view_chunk).

   Every function here sets the database's error text (synadb_errmsg(db)) on failure. */
#define SYNADB_TENSOR_MAX_RANK 32
#define SYNADB_TENSOR_MAX_ROWS 100000000u

/* A tensor: data (C order) of count elements of dtype, shape[0..rank). */
typedef struct synadb_tensor {
    void *data;
    size_t nbytes, count;
    synadb_dtype dtype;
    uint32_t rank;
    size_t shape[SYNADB_TENSOR_MAX_RANK];
} synadb_tensor;
/* A read-only view into the mapped log. */
typedef struct synadb_tensor_view {
    const void *data;
    size_t nbytes, count;
    synadb_dtype dtype;
    uint32_t rank;
    size_t shape[SYNADB_TENSOR_MAX_RANK];
} synadb_tensor_view;
/* Metadata of a chunked tensor. */
typedef struct synadb_tensor_meta {
    synadb_dtype dtype;
    uint32_t rank;
    size_t shape[SYNADB_TENSOR_MAX_RANK];
    uint64_t total_bytes, chunk_rows, chunk_bytes, chunk_count, generation;
    uint32_t crc32c;
} synadb_tensor_meta;

/* Conversion of n elements between dtypes (the rules above). 0, or SYNADB_ERR_DTYPE with
   *bad_index (may be NULL) = the first element that cannot be converted (the elements
   before it are converted). dst and src must not overlap unless equal dtypes and dst == src. */
SYNADB_ML_API synadb_result synadb_dtype_convert(void *dst, synadb_dtype dst_type, const void *src, synadb_dtype src_type, size_t n, size_t *bad_index);
SYNADB_ML_API uint16_t synadb_f32_to_f16(float x);      /* round to nearest even */
SYNADB_ML_API float synadb_f16_to_f32(uint16_t h);
SYNADB_ML_API uint16_t synadb_f32_to_bf16(float x);
SYNADB_ML_API float synadb_bf16_to_f32(uint16_t h);
SYNADB_ML_API uint16_t synadb_f64_to_f16(double x);     /* directly, no double rounding */
SYNADB_ML_API uint16_t synadb_f64_to_bf16(double x);

SYNADB_ML_API synadb_result synadb_tensor_put(synadb_db *db, const char *prefix, const void *data, const size_t *shape, size_t rank, synadb_dtype dtype);
/* Allocates out->data (SYNADB_MALLOC; large buffers ask Linux for transparent huge pages):
   release it with synadb_tensor_free. */
SYNADB_ML_API synadb_result synadb_tensor_get(synadb_db *db, const char *pattern, synadb_dtype dtype, synadb_tensor *out);
/* Into the caller's buffer of cap bytes; BUFFER_TOO_SMALL (out->nbytes = bytes needed, shape set) if it does not fit. */
SYNADB_ML_API synadb_result synadb_tensor_get_into(synadb_db *db, const char *pattern, synadb_dtype dtype, void *buf, size_t cap, synadb_tensor *out);
SYNADB_ML_API void synadb_tensor_free(synadb_db *db, synadb_tensor *t);
/* Keys matching pattern, sorted (synadb_keylist_free). */
SYNADB_ML_API synadb_result synadb_tensor_keys(synadb_db *db, const char *pattern, synadb_keylist *out);
/* Deletes every key matching pattern in one atomic batch; *out_count (may be NULL) = keys deleted. */
SYNADB_ML_API synadb_result synadb_tensor_delete(synadb_db *db, const char *pattern, size_t *out_count);
/* A row written by synadb_tensor_put (rank >= 2), or a VECTOR value, without copying. */
SYNADB_ML_API synadb_result synadb_tensor_view_row(synadb_db *db, const char *key, synadb_tensor_view *out);

SYNADB_ML_API synadb_result synadb_tensor_put_chunked(synadb_db *db, const char *name, const void *data, const size_t *shape, size_t rank, synadb_dtype dtype, size_t chunk_rows);
SYNADB_ML_API synadb_result synadb_tensor_get_chunked(synadb_db *db, const char *name, synadb_dtype dtype, synadb_tensor *out);
SYNADB_ML_API synadb_result synadb_tensor_get_chunked_into(synadb_db *db, const char *name, synadb_dtype dtype, void *buf, size_t cap, synadb_tensor *out);
SYNADB_ML_API synadb_result synadb_tensor_chunked_meta(synadb_db *db, const char *name, synadb_tensor_meta *out);
/* Chunk i (rows i*chunk_rows ...) in the stored dtype, without copying (the data CRC is not checked; the record's CRC is). */
SYNADB_ML_API synadb_result synadb_tensor_view_chunk(synadb_db *db, const char *name, size_t chunk, synadb_tensor_view *out);
/* Deletes the metadata and every chunk (KEY_NOT_FOUND if there is no such tensor). */
SYNADB_ML_API synadb_result synadb_tensor_delete_chunked(synadb_db *db, const char *name);

typedef struct synadb_stream_options {
    int32_t shuffle;          /* 0: key order */
    uint64_t seed;            /* shuffle seed; the order uses seed + epoch */
    uint64_t epoch;
    uint32_t rank, world_size;/* shard; world_size 0 or 1 = everything */
    int32_t drop_last;        /* leave out a last partial batch */
} synadb_stream_options;
typedef struct synadb_tensor_stream synadb_tensor_stream;
SYNADB_ML_API synadb_result synadb_tensor_stream_open(synadb_db *db, const char *pattern, synadb_dtype dtype, size_t batch_rows,
                                                      const synadb_stream_options *opt, synadb_tensor_stream **out);
/* Bytes of a full batch (the buffer size next_batch needs). */
SYNADB_ML_API size_t synadb_tensor_stream_batch_bytes(const synadb_tensor_stream *s);
/* Rows of this shard per epoch. */
SYNADB_ML_API size_t synadb_tensor_stream_rows(const synadb_tensor_stream *s);
/* The next batch into buf: out->shape = [rows, row shape...], out->data = buf; rows 0 (and
   out->count 0) at the end of the epoch. */
SYNADB_ML_API synadb_result synadb_tensor_stream_next(synadb_tensor_stream *s, void *buf, size_t cap, synadb_tensor *out);
/* Starts epoch `epoch` (a new permutation when shuffling); also re-reads nothing else. */
SYNADB_ML_API synadb_result synadb_tensor_stream_reset(synadb_tensor_stream *s, uint64_t epoch);
/* Resuming mid-epoch: the position (rows of this shard already returned in this epoch),
   and seek to one (after a reset to the same epoch, the same rows follow). */
SYNADB_ML_API size_t synadb_tensor_stream_tell(const synadb_tensor_stream *s);
SYNADB_ML_API synadb_result synadb_tensor_stream_seek(synadb_tensor_stream *s, size_t pos);
/* The row index (position in key order) of the j-th row of the current epoch's shard. */
SYNADB_ML_API size_t synadb_tensor_stream_row_index(const synadb_tensor_stream *s, size_t j);
SYNADB_ML_API const char *synadb_tensor_stream_errmsg(const synadb_tensor_stream *s);
SYNADB_ML_API void synadb_tensor_stream_close(synadb_tensor_stream *s);

#ifndef SYNADB_NO_COMPAT_ABI
/* The original's declared-but-missing tensor exports, on a database opened with
   syna_open. dtype: 0 float32, 1 float64, 2 int32, 3 int64 (4 float16, 5 bfloat16, 6 uint8).
   Lengths are in BYTES. tensor_put stores data as a 1-D tensor (len / element size
   elements, one value per key, key_prefix + 8 digits) and returns the element count;
   tensor_put_shaped stores rows of the given shape. tensor_get returns 1 and *out_data
   (NULL when empty) of *out_len bytes, free it with syna_free_tensor_data; tensor_get_shape
   also gives the shape (up to 32 dims). Errors: -1 not open, -2 NULL argument,
   -5 nothing matches, -6 text/null value, -70 shape, -71 dtype, -10 checksum, ... */
#define SYNADB__ML_TENSOR_ABI_FUNCS(X) \
    X(int32_t, tensor_get, (const char *path, const char *pattern, int32_t dtype, void **out_data, size_t *out_len), (path, pattern, dtype, out_data, out_len), return) \
    X(int32_t, tensor_get_shape, (const char *path, const char *pattern, int32_t dtype, void **out_data, size_t *out_len, uint64_t *out_shape, uint32_t *out_rank), (path, pattern, dtype, out_data, out_len, out_shape, out_rank), return) \
    X(int64_t, tensor_put, (const char *path, const char *key_prefix, const void *data, size_t len, int32_t dtype), (path, key_prefix, data, len, dtype), return) \
    X(int64_t, tensor_put_shaped, (const char *path, const char *key_prefix, const void *data, size_t len, int32_t dtype, const uint64_t *shape, uint32_t rank), (path, key_prefix, data, len, dtype, shape, rank), return) \
    X(int32_t, tensor_put_chunked, (const char *path, const char *name, const void *data, size_t len, int32_t dtype, const uint64_t *shape, uint32_t rank, uint64_t chunk_rows), (path, name, data, len, dtype, shape, rank, chunk_rows), return) \
    X(int32_t, tensor_get_chunked, (const char *path, const char *name, int32_t dtype, void **out_data, size_t *out_len, uint64_t *out_shape, uint32_t *out_rank), (path, name, dtype, out_data, out_len, out_shape, out_rank), return) \
    X(int64_t, tensor_delete, (const char *path, const char *pattern), (path, pattern), return) \
    X(void, free_tensor_data, (void *data, size_t len, int32_t dtype), (data, len, dtype), )
#define SYNADB__X(ret, name, params, args, RET) SYNADB_ML_API ret syna_##name params; SYNADB_ML_API ret SYNA_##name params;
SYNADB__ML_TENSOR_ABI_FUNCS(SYNADB__X)
#undef SYNADB__X
#endif

/* ======================================================================== >>ml.registry.api */
/* ModelRegistry: versioned model blobs with SHA-256 checksums, stages and aliases, in a
   synadb.h database (its own, or one you already have open).

   Versions are numbered 1, 2, ... per model name and never reused (not even after a
   delete). A model's bytes are stored in chunks (records of chunk_size bytes) hashed as
   they are written; the version becomes visible only when its metadata record is written,
   after every chunk, together with the model's head record (one atomic batch): after a
   crash a version is complete or absent. Loads recompute the SHA-256 and fail with
   SYNADB_ERR_CHECKSUM on any difference (the destination is zeroed then: never wrong
   bytes). Names are exact byte strings (1..4096 bytes of UTF-8): "a", "a/" and "a/v1"
   are three unrelated models.

   Key layout (<n> = the name with every byte outside [A-Za-z0-9_.-] written as %XX, so
   it holds no '/' and no glob character; <v> = the version in decimal):
     model/<n>/head          BYTES  u32 highest version ever assigned, u32 latest live version (LE)
     model/<n>/v/<v>/meta    TEXT   ModelVersion JSON (the ABI's shape + chunk_size, chunk_count)
     model/<n>/v/<v>/c/<i>   BYTES  chunk i of the model's bytes
     model/<n>/aliases       TEXT   {"alias": version, ...}
   Latest = one read of head; a version = one read of its meta; nothing but
   synadb_registry_list_models walks keys. Stage changes (with their archiving), alias moves
   and deletes are each one atomic batch. A registry handle may be used from many threads
   at once; commit or abort its writers before closing it. */
typedef struct synadb_registry synadb_registry;
typedef enum synadb_stage {
    SYNADB_STAGE_DEVELOPMENT = 0, SYNADB_STAGE_STAGING = 1, SYNADB_STAGE_PRODUCTION = 2, SYNADB_STAGE_ARCHIVED = 3
} synadb_stage;
SYNADB_ML_API const char *synadb_stage_name(int stage);   /* "Development", ...; NULL if unknown */
SYNADB_ML_API int synadb_stage_parse(const char *name);   /* stage (case-insensitive), or -1 */

typedef struct synadb_registry_config {
    uint32_t struct_size;        /* 0 or sizeof(synadb_registry_config) */
    uint32_t chunk_size;         /* bytes per chunk record; 0 = 4 MiB; 4 KiB .. 1 GiB */
    int32_t archive_on_promote;  /* set_stage(PRODUCTION) moves the other Production versions to Archived */
    int32_t no_sync;             /* do not flush to the device when a version is committed
                                    (it still survives a process crash; see synadb.h DURABILITY) */
    const synadb_config *db_config; /* synadb_registry_open: the database's config (NULL = defaults) */
} synadb_registry_config;

/* One version's record. metadata: n_meta key/value pairs (NUL-terminated copies). Owned by
   the struct: release with synadb_registry_version_free. */
typedef struct synadb_model_version {
    char *name;
    uint32_t version;
    int32_t stage;               /* synadb_stage */
    uint64_t created_at;         /* Unix seconds */
    uint64_t size_bytes;
    char checksum[65];           /* SHA-256, 64 lower-case hex digits */
    uint32_t chunk_size, chunk_count;
    size_t n_meta;
    char **meta_keys, **meta_values;
} synadb_model_version;
SYNADB_ML_API void synadb_registry_version_free(synadb_model_version *v);
SYNADB_ML_API void synadb_registry_versions_free(synadb_model_version *v, size_t count);

/* Opens (creating) the database at path, owned by the registry. */
SYNADB_ML_API synadb_result synadb_registry_open(const char *path, const synadb_registry_config *cfg, synadb_registry **out);
/* A registry over an open database, which stays yours (close it after the registry). */
SYNADB_ML_API synadb_result synadb_registry_attach(synadb_db *db, const synadb_registry_config *cfg, synadb_registry **out);
SYNADB_ML_API synadb_result synadb_registry_close(synadb_registry *reg);
SYNADB_ML_API const char *synadb_registry_errmsg(synadb_registry *reg);
SYNADB_ML_API synadb_db *synadb_registry_db(synadb_registry *reg);
/* Frees memory returned by synadb_registry_load (SYNADB_FREE). */
SYNADB_ML_API void synadb_registry_free(void *p);

/* Saves a new version: *out_version (may be NULL) = 1 + the highest version the name ever
   had; checksum_hex (may be NULL) receives the 64-digit SHA-256. meta_keys/meta_values:
   n_meta NUL-terminated strings each (NULL if n_meta is 0). data may be NULL iff len is 0. */
SYNADB_ML_API synadb_result synadb_registry_save(synadb_registry *reg, const char *name, const void *data, size_t len,
                                                 const char *const *meta_keys, const char *const *meta_values, size_t n_meta,
                                                 uint32_t *out_version, char checksum_hex[65]);
/* Streaming save: begin reserves the version number, write appends bytes (chunks are
   written and hashed as they fill), commit makes the version visible, abort drops it
   (its chunks are deleted). Exactly one of commit / abort frees the writer. A writer is
   used by one thread at a time; several writers may run at once. */
typedef struct synadb_model_writer synadb_model_writer;
SYNADB_ML_API synadb_result synadb_registry_save_begin(synadb_registry *reg, const char *name,
                                                       const char *const *meta_keys, const char *const *meta_values, size_t n_meta,
                                                       synadb_model_writer **out);
SYNADB_ML_API synadb_result synadb_registry_save_write(synadb_model_writer *w, const void *data, size_t len);
SYNADB_ML_API synadb_result synadb_registry_save_commit(synadb_model_writer *w, uint32_t *out_version, char checksum_hex[65]);
SYNADB_ML_API void synadb_registry_save_abort(synadb_model_writer *w);

/* Loads a version (0 = latest), verifying its SHA-256. info (may be NULL) receives the
   version's record (free it with synadb_registry_version_free).
   _load: *out allocated (synadb_registry_free; non-NULL even for 0 bytes).
   _load_into: into buf; *out_len = the model's size; BUFFER_TOO_SMALL if cap is smaller.
   _load_cb: fn receives the bytes chunk by chunk, in order, and returns 0 to go on (any
   other value stops the load, which returns that value). The bytes are verified only at
   the end: on SYNADB_ERR_CHECKSUM discard what fn received. */
SYNADB_ML_API synadb_result synadb_registry_load(synadb_registry *reg, const char *name, uint32_t version,
                                                 void **out, size_t *out_len, synadb_model_version *info);
SYNADB_ML_API synadb_result synadb_registry_load_into(synadb_registry *reg, const char *name, uint32_t version,
                                                      void *buf, size_t cap, size_t *out_len, synadb_model_version *info);
typedef int (*synadb_model_chunk_fn)(void *user, const void *data, size_t len);
SYNADB_ML_API synadb_result synadb_registry_load_cb(synadb_registry *reg, const char *name, uint32_t version,
                                                    synadb_model_chunk_fn fn, void *user, synadb_model_version *info);
/* Files: _load_to_file writes the version to path through a temporary file that is
   renamed over path only after the SHA-256 verified (and, unless no_sync, was flushed):
   path never holds unverified bytes. _save_file streams a file's bytes into a new version. */
SYNADB_ML_API synadb_result synadb_registry_load_to_file(synadb_registry *reg, const char *name, uint32_t version,
                                                         const char *path, synadb_model_version *info);
SYNADB_ML_API synadb_result synadb_registry_save_file(synadb_registry *reg, const char *name, const char *path,
                                                      const char *const *meta_keys, const char *const *meta_values, size_t n_meta,
                                                      uint32_t *out_version, char checksum_hex[65]);

/* The record of a version (0 = latest), without the bytes. */
SYNADB_ML_API synadb_result synadb_registry_get_version(synadb_registry *reg, const char *name, uint32_t version, synadb_model_version *out);
/* Latest live version (KEY_NOT_FOUND if the model has none). */
SYNADB_ML_API synadb_result synadb_registry_latest(synadb_registry *reg, const char *name, uint32_t *out_version);
/* Every live version, ascending (an unknown name: OK with count 0). */
SYNADB_ML_API synadb_result synadb_registry_list_versions(synadb_registry *reg, const char *name, synadb_model_version **out, size_t *out_count);
/* Names of all models, sorted bytewise (scans the keys: meant for tools, not hot paths).
   Free with synadb_registry_names_free. */
SYNADB_ML_API synadb_result synadb_registry_list_models(synadb_registry *reg, char ***out, size_t *out_count);
SYNADB_ML_API void synadb_registry_names_free(char **names, size_t count);

/* Stage changes. set_stage archives the other Production versions when the registry's
   archive_on_promote is set; transition says so explicitly. The changed records are
   written as one atomic batch. */
SYNADB_ML_API synadb_result synadb_registry_set_stage(synadb_registry *reg, const char *name, uint32_t version, int stage);
SYNADB_ML_API synadb_result synadb_registry_transition(synadb_registry *reg, const char *name, uint32_t version, int stage, int archive_existing);
/* The highest version in Production (KEY_NOT_FOUND if none). */
SYNADB_ML_API synadb_result synadb_registry_get_production(synadb_registry *reg, const char *name, synadb_model_version *out);

/* Deletes one version (its number is not reused; aliases to it are removed; the latest
   moves to the previous live version), or a whole model (every key under its name,
   including the chunks of interrupted saves and the aliases; the version counter stays,
   so a later save of the name continues the numbering). */
SYNADB_ML_API synadb_result synadb_registry_delete_version(synadb_registry *reg, const char *name, uint32_t version);
SYNADB_ML_API synadb_result synadb_registry_delete_model(synadb_registry *reg, const char *name);
/* Removes chunks left by saves that were interrupted (crash, kill) before their commit.
   *out_removed (may be NULL) = chunks deleted. */
SYNADB_ML_API synadb_result synadb_registry_cleanup(synadb_registry *reg, const char *name, size_t *out_removed);

/* Aliases: alias ([A-Za-z0-9_-], 1..255 bytes; "latest" and v<digits> are reserved) ->
   a live version. Setting moves it (one atomic write). */
SYNADB_ML_API synadb_result synadb_registry_set_alias(synadb_registry *reg, const char *name, const char *alias, uint32_t version);
SYNADB_ML_API synadb_result synadb_registry_get_alias(synadb_registry *reg, const char *name, const char *alias, uint32_t *out_version);
SYNADB_ML_API synadb_result synadb_registry_delete_alias(synadb_registry *reg, const char *name, const char *alias);
/* A version reference: "latest", "<n>" or "v<n>", "production", or an alias
   ("@alias" or "alias"). */
SYNADB_ML_API synadb_result synadb_registry_resolve(synadb_registry *reg, const char *name, const char *ref, uint32_t *out_version);
/* synadb_registry_load of the version ref resolves to (e.g. "@champion"). */
SYNADB_ML_API synadb_result synadb_registry_load_ref(synadb_registry *reg, const char *name, const char *ref,
                                                     void **out, size_t *out_len, synadb_model_version *info);

/* The original's exports (path-keyed). Returns: 1 (model_list: the number of versions),
   or a negative code: -1 registry not open, -2 NULL argument or bad path, -5 model or
   version not found, -6 a metadata value that is not a string, -7 empty name, -8 name too
   long, -10 checksum mismatch (was 0), -74 metadata JSON that does not parse (was
   silently {}), -2 a stage outside 0..3 (was Development). metadata_json: a JSON object of
   strings, or NULL. The meta JSON of model_load / model_get_production and the elements
   of model_list are ModelVersion objects:
     {"name":str,"version":n,"created_at":unix_secs,"checksum":"<64 hex>","size_bytes":n,
      "metadata":{str:str},"stage":"Development"|"Staging"|"Production"|"Archived"}
   Frees: data SYNA_free_bytes, checksum and meta SYNA_free_text, list SYNA_free_json.
   model_load's *out_data is non-NULL even for 0 bytes. model_set_alias with version 0
   removes the alias. model_registry_open on a path already open keeps the open one.
   model_errmsg copies the registry's last error text (e.g. where metadata_json stops
   parsing) into buf (cap bytes, NUL-terminated): 1, or -1 if not open. */
#ifndef SYNADB_NO_COMPAT_ABI
#define SYNADB__ML_REGISTRY_ABI_FUNCS(X) \
    X(int32_t, model_registry_open, (const char *path), (path), return) \
    X(int32_t, model_registry_close, (const char *path), (path), return) \
    X(int64_t, model_save, (const char *path, const char *name, const uint8_t *data, size_t data_len, const char *metadata_json, uint32_t *out_version, char **out_checksum, size_t *out_checksum_len), (path, name, data, data_len, metadata_json, out_version, out_checksum, out_checksum_len), return) \
    X(int32_t, model_load, (const char *path, const char *name, uint32_t version, uint8_t **out_data, size_t *out_data_len, char **out_meta_json, size_t *out_meta_len), (path, name, version, out_data, out_data_len, out_meta_json, out_meta_len), return) \
    X(int32_t, model_list, (const char *path, const char *name, char **out_json, size_t *out_len), (path, name, out_json, out_len), return) \
    X(int32_t, model_set_stage, (const char *path, const char *name, uint32_t version, int32_t stage), (path, name, version, stage), return) \
    X(int32_t, model_delete, (const char *path, const char *name, uint32_t version), (path, name, version), return) \
    X(int32_t, model_delete_model, (const char *path, const char *name), (path, name), return) \
    X(int32_t, model_set_alias, (const char *path, const char *name, const char *alias, uint32_t version), (path, name, alias, version), return) \
    X(int32_t, model_get_alias, (const char *path, const char *name, const char *alias, uint32_t *out_version), (path, name, alias, out_version), return) \
    X(int32_t, model_get_production, (const char *path, const char *name, char **out_meta_json, size_t *out_meta_len), (path, name, out_meta_json, out_meta_len), return) \
    X(int32_t, model_errmsg, (const char *path, char *buf, size_t cap), (path, buf, cap), return)
#define SYNADB__X(ret, name, params, args, RET) SYNADB_ML_API ret syna_##name params; SYNADB_ML_API ret SYNA_##name params;
SYNADB__ML_REGISTRY_ABI_FUNCS(SYNADB__X)
#undef SYNADB__X
#endif

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

/* ======================================================================== >>ml.rl.api */
/* ExperienceCollector: reinforcement-learning transitions in sessions, stored in a synadb.h
   database under the prefix "rl/" (the experiment tracker uses "exp/"; the original used
   "exp/" for both). Key layout:
     rl/machine                  Text   this database's machine id (generated once, reused)
     rl/s/{session}              Text   {"id","machine","start_us","metadata":{...}}
     rl/t/{session}/{index:012}  Bytes  one transition (binary, little-endian, see >>ml.rl)
     rl/h/{sha256 hex}           Text   "{session}/{index:012}": the content-hash index
   Transitions of a session are numbered 0, 1, 2, ... in logging order; reads go straight to
   those keys (no scan of unrelated keys). Each log is one atomic synadb_write_batch (the
   transition, its hash entry and, for a new session, the session record), so after a crash
   a transition is either complete or absent; durability is the database's (sync_on_write
   for synadb_rl_open). The content hash is SHA-256 over a canonical encoding of session,
   machine, timestamp, reward, flags, action, state, next_state and metadata (NaNs
   canonicalised): import and merge skip transitions whose hash is already present.
   A session id is 1..1024 bytes of UTF-8 without NUL; metadata is a JSON object (stored
   in a canonical form: members in their order, numbers in their shortest exact form).
   One collector per database at a time (a second one attached to the same handle works
   but both serialise only through the database). Handles are thread-safe. */
typedef struct synadb_rl synadb_rl;
enum { SYNADB_RL_ACTION_INT = 0, SYNADB_RL_ACTION_VECTOR = 1 };
enum { SYNADB_RL_TERMINATED = 1, SYNADB_RL_TRUNCATED = 2 };  /* Gymnasium's two kinds of end, kept apart */
typedef struct synadb_rl_transition {
    const float *state; uint32_t state_len;           /* may be empty */
    const float *next_state; uint32_t next_state_len; /* may be empty */
    int32_t action_kind;                              /* SYNADB_RL_ACTION_INT or _VECTOR */
    int64_t action_int;                               /* ACTION_INT */
    const float *action; uint32_t action_len;         /* ACTION_VECTOR (may be empty) */
    double reward;                                    /* any double, NaN and infinities included */
    uint32_t flags;                                   /* SYNADB_RL_TERMINATED | SYNADB_RL_TRUNCATED */
    const char *metadata_json;                        /* a JSON object or NULL, or: */
    const char *const *meta_keys;                     /*   meta_count string key/values */
    const char *const *meta_values;                   /*   (not both) */
    size_t meta_count;
    uint64_t timestamp_us;                            /* 0 = now (Unix microseconds) */
    /* filled in by reads (synadb_rl_foreach), ignored by synadb_rl_log; valid during the
       callback. On reads metadata_json is the stored canonical JSON ("" if none). */
    const char *session, *machine_id;
    uint64_t index;
    uint8_t hash[32];
} synadb_rl_transition;
typedef int (*synadb_rl_fn)(void *user, const synadb_rl_transition *t);   /* non-zero stops */

/* Opens (creates) the database at path (sync_on_write) and owns it; or attaches to an open
   handle (not owned: close it after the collector). machine_id NULL = the one stored in the
   database, else a new random one ("machine_" + 16 hex) that is stored and reused on every
   later open. A given machine_id is used by this handle (and stored if none is). */
SYNADB_ML_API synadb_result synadb_rl_open(const char *path, const char *machine_id, synadb_rl **out);
SYNADB_ML_API synadb_result synadb_rl_attach(synadb_db *db, const char *machine_id, synadb_rl **out);
/* synadb_rl_open with a configuration of the database (NULL = defaults + sync_on_write).
   Without sync_on_write a log survives a crash of the process (the record is in the page
   cache) but not of the machine until synadb_sync(synadb_rl_db(c)). */
SYNADB_ML_API synadb_result synadb_rl_open_ex(const char *path, const char *machine_id, const synadb_config *cfg, synadb_rl **out);
SYNADB_ML_API synadb_result synadb_rl_close(synadb_rl *c);
SYNADB_ML_API const char *synadb_rl_errmsg(const synadb_rl *c);
SYNADB_ML_API const char *synadb_rl_machine_id(const synadb_rl *c);
SYNADB_ML_API synadb_db *synadb_rl_db(synadb_rl *c);
/* Starts a session: session_id NULL = automatic ("session_{unix s}_{8 hex}"); metadata as a
   JSON object or meta_count key/values (strings). The id is copied to out_id (cap bytes,
   may be NULL). SYNADB_ERR_EXISTS if the session exists. Logging to a session that was never
   started starts it (without metadata). */
SYNADB_ML_API synadb_result synadb_rl_start_session(synadb_rl *c, const char *session_id, const char *metadata_json,
                                                    const char *const *meta_keys, const char *const *meta_values, size_t meta_count,
                                                    char *out_id, size_t cap);
/* Session record JSON ({"id","machine","start_us","metadata"}); free with synadb_rl_free. */
SYNADB_ML_API synadb_result synadb_rl_session_info(synadb_rl *c, const char *session, char **out_json);
/* Appends a transition; *out_index (may be NULL) receives its index in the session. */
SYNADB_ML_API synadb_result synadb_rl_log(synadb_rl *c, const char *session, const synadb_rl_transition *t, uint64_t *out_index);
/* Appends count transitions in one atomic batch (one flush with sync_on_write): all are
   checked first, and on any bad one nothing is written. *out_first_index (may be NULL)
   receives the index of the first. */
SYNADB_ML_API synadb_result synadb_rl_log_batch(synadb_rl *c, const char *session, const synadb_rl_transition *ts, size_t count,
                                                uint64_t *out_first_index);
/* Transitions in a session (session NULL: all sessions). */
SYNADB_ML_API synadb_result synadb_rl_count(synadb_rl *c, const char *session, uint64_t *out);
/* The rewards of a session in logging order, one contiguous array (NULL if empty); free with
   synadb_rl_free. KEY_NOT_FOUND for an unknown session. */
SYNADB_ML_API synadb_result synadb_rl_rewards(synadb_rl *c, const char *session, double **out, size_t *out_count);
SYNADB_ML_API void synadb_rl_free(void *p);
/* Calls fn for each transition of session (NULL: every session, sessions in byte order) in
   logging order, until fn returns non-zero. No lock is held during fn (it may log). */
SYNADB_ML_API synadb_result synadb_rl_foreach(synadb_rl *c, const char *session, synadb_rl_fn fn, void *user);
/* The same for count transitions from position start (within the session, or of the whole
   walk when session is NULL); reads go straight to those transitions. */
SYNADB_ML_API synadb_result synadb_rl_foreach_range(synadb_rl *c, const char *session, uint64_t start, uint64_t count, synadb_rl_fn fn,
                                                    void *user);
/* Session ids, sorted bytewise; free with synadb_rl_sessions_free. */
SYNADB_ML_API synadb_result synadb_rl_sessions(synadb_rl *c, synadb_keylist *out);
SYNADB_ML_API void synadb_rl_sessions_free(synadb_keylist *list);
/* JSON Lines export of one session or all (NULL): per session a line
   {"kind":"session","session","machine","start_us","metadata"}, then one line per transition
   {"kind":"transition","session","index","machine","timestamp_us","state":[..],"action":int|[..],
    "reward","next_state":[..],"terminated","truncated","metadata":{..}|null,"hash":"hex"}.
   Floats as in >>ml.io ("NaN", "Infinity", "-Infinity" for the non-finite ones). The file
   is written to a temporary name, flushed, and renamed: all or nothing. */
SYNADB_ML_API synadb_result synadb_rl_export_jsonl(synadb_rl *c, const char *session, const char *path, uint64_t *out_count);
/* The same lines to a callback (returns non-zero to stop with SYNADB_ERR_IO). */
SYNADB_ML_API synadb_result synadb_rl_export_jsonl_to(synadb_rl *c, const char *session,
                                                      int (*write)(void *user, const void *data, size_t len), void *user, uint64_t *out_count);
/* Imports such a file: every line is checked first (SYNADB_ERR_SYNTAX naming the line and
   byte; nothing written), then all new transitions go in one atomic batch, appended to their
   sessions with their machine id and timestamp kept. deduplicate: skip transitions whose
   content hash is in the database or earlier in the file. A "hash" member, if present, must
   match the content. *out_imported (may be NULL): transitions written. */
SYNADB_ML_API synadb_result synadb_rl_import_jsonl(synadb_rl *c, const char *path, int deduplicate, uint64_t *out_imported,
                                                   uint64_t *out_error_line);
SYNADB_ML_API synadb_result synadb_rl_import_jsonl_mem(synadb_rl *c, const char *text, size_t len, int deduplicate, uint64_t *out_imported,
                                                       uint64_t *out_error_line);
/* Copies the sessions and transitions of other database files (opened read-only) into the
   collector's database, skipping transitions whose content hash is already there (so every
   machine's transitions and rewards are kept once, and a merge can be repeated). Writes go
   in atomic batches of up to 4096 transitions; a merge cut short by a crash can simply be run
   again. *out_merged: transitions added. synadb_rl_merge opens dest (creating it). */
SYNADB_ML_API synadb_result synadb_rl_merge_into(synadb_rl *dest, const char *const *sources, size_t count, uint64_t *out_merged);
SYNADB_ML_API synadb_result synadb_rl_merge(const char *const *sources, size_t count, const char *dest, uint64_t *out_merged,
                                            char *errbuf, size_t errbuf_len);

/* C ABI (path-keyed, as the original's exports): 1 or a count on success, negative codes.
     exp_collector_open(path, machine_id|NULL): 1 (already open: 1, the open one is kept). If
       path is open through SYNA_open the collector uses that handle (SYNA_close then waits for
       the collector to close).
     exp_collector_close: 1; -1 if not open.
     exp_collector_machine_id / start_session: 1 and a text (free with syna_free_text).
     exp_collector_log_transition(..., action NULL: integer action_int, else action_len floats;
       flags 1 terminated | 2 truncated; metadata_json NULL or an object): 1.
     exp_collector_count: transitions (session NULL: all). get_rewards: the count, *out the
       rewards (free with syna_free_tensor; NULL when 0). list_sessions: the count, JSON array
       of ids. transitions_json(path, session|NULL, start, limit (0 = all), out): the count,
       a JSON array of the export's transition objects from position start (free both with
       syna_free_json).
     exp_collector_export_jsonl / import_jsonl (dedup flag) / merge(sources, count, dest):
       transitions written. */
#ifndef SYNADB_NO_COMPAT_ABI
#define SYNADB__ML_RL_ABI_FUNCS(X) \
    X(int32_t, exp_collector_open, (const char *path, const char *machine_id), (path, machine_id), return) \
    X(int32_t, exp_collector_close, (const char *path), (path), return) \
    X(int32_t, exp_collector_machine_id, (const char *path, char **out_id, size_t *out_len), (path, out_id, out_len), return) \
    X(int32_t, exp_collector_start_session, (const char *path, const char *session_id, const char *metadata_json, char **out_id, size_t *out_len), (path, session_id, metadata_json, out_id, out_len), return) \
    X(int32_t, exp_collector_log_transition, (const char *path, const char *session, const float *state, size_t state_len, int64_t action_int, const float *action, size_t action_len, double reward, const float *next_state, size_t next_state_len, int32_t flags, const char *metadata_json), (path, session, state, state_len, action_int, action, action_len, reward, next_state, next_state_len, flags, metadata_json), return) \
    X(int64_t, exp_collector_count, (const char *path, const char *session), (path, session), return) \
    X(int64_t, exp_collector_get_rewards, (const char *path, const char *session, double **out, size_t *out_len), (path, session, out, out_len), return) \
    X(int32_t, exp_collector_list_sessions, (const char *path, char **out_json), (path, out_json), return) \
    X(int64_t, exp_collector_transitions_json, (const char *path, const char *session, uint64_t start, uint64_t limit, char **out_json), (path, session, start, limit, out_json), return) \
    X(int64_t, exp_collector_export_jsonl, (const char *path, const char *session, const char *out_file), (path, session, out_file), return) \
    X(int64_t, exp_collector_import_jsonl, (const char *path, const char *in_file, int32_t deduplicate), (path, in_file, deduplicate), return) \
    X(int64_t, exp_collector_merge, (const char *const *sources, size_t count, const char *dest), (sources, count, dest), return)
#define SYNADB__X(ret, name, params, args, RET) SYNADB_ML_API ret syna_##name params; SYNADB_ML_API ret SYNA_##name params;
SYNADB__ML_RL_ABI_FUNCS(SYNADB__X)
#undef SYNADB__X
#endif

/* ======================================================================== >>ml.io.api */
/* Import and export of a whole database (or the keys matching a glob) as JSON, JSON Lines
   or CSV. What is exported: the latest value of every live key (a snapshot per key, taken
   key by key in sorted order; history is not exported). Every value type round-trips:
     record (JSON / JSONL): {"key":K,"type":T,"value":V}, T and V:
       "null"   null
       "float"  a number that reads back to the same double (-0 written -0.0), or one of the strings
                "NaN", "Infinity", "-Infinity" (JSON has no spelling for them; the type says
                float). NaN payloads are not kept.
       "int"    an integer (exact over the whole int64 range)
       "text"   a string (JSON escapes; any UTF-8, NUL included as \u0000)
       "bytes"  a string: base64 (RFC 4648, standard alphabet, padded)
       "vector" an array of 1..65535 float32 components (shortest exact form; the
                non-finite ones as strings, as for floats)
     a key that is not valid UTF-8 is written as "key_base64":B64 instead of "key".
     JSON: one array of records; JSONL: one record per line.
     CSV (RFC 4180, CRLF line ends, quoted when a field has a comma, quote, CR, LF or
     control byte; every row, the last one too, ends with a line break, so that a cut file
     is detected): header "key,type,value" (with a 4th column "key_encoding" = "base64" or
     empty when some key is not UTF-8); null is an empty value, float/int as in JSON (NaN,
     Infinity, -Infinity unquoted), text raw, bytes base64, vector components joined by ';'.
   Exports stream (records are written one at a time to the callback or file; nothing holds
   the whole text). A file export goes to a temporary file in the same directory, is flushed
   and renamed over the target: after a crash the target is the old file or the complete new
   one. Imports read the whole input, check every record first (malformed input is
   SYNADB_ERR_SYNTAX, the message says "line L, column C (byte B)", and nothing is written),
   then write all records with prefix + key as one atomic synadb_write_batch (a later record
   for the same key wins). Errors are reported through synadb_errmsg(db). */
typedef enum synadb_io_format { SYNADB_IO_JSON = 0, SYNADB_IO_JSONL = 1, SYNADB_IO_CSV = 2 } synadb_io_format;
typedef int (*synadb_io_write_fn)(void *user, const void *data, size_t len);  /* 0 ok; non-zero stops (SYNADB_ERR_IO) */
typedef struct synadb_io_info {
    uint64_t records;   /* records exported / imported */
    uint64_t line;      /* on SYNADB_ERR_SYNTAX: 1-based line of the error */
    uint64_t column;    /*   1-based column (bytes) */
    uint64_t byte;      /*   0-based byte offset in the input */
} synadb_io_info;
SYNADB_ML_API synadb_result synadb_io_export(synadb_db *db, synadb_io_format fmt, const char *pattern, synadb_io_write_fn write,
                                             void *user, synadb_io_info *info);
SYNADB_ML_API synadb_result synadb_io_export_file(synadb_db *db, synadb_io_format fmt, const char *pattern, const char *path,
                                                  synadb_io_info *info);
SYNADB_ML_API synadb_result synadb_io_import(synadb_db *db, synadb_io_format fmt, const void *text, size_t len, const char *prefix,
                                             synadb_io_info *info);
SYNADB_ML_API synadb_result synadb_io_import_file(synadb_db *db, synadb_io_format fmt, const char *path, const char *prefix,
                                                  synadb_io_info *info);
/* Base64 (RFC 4648, standard alphabet, '=' padding). encode writes 4*ceil(n/3) characters
   and a NUL into dst. decode is strict (no whitespace, padding only at the end, unused bits
   zero): 0 and *out_len, or -1 with *err_pos at the first bad character. dst needs
   3*(len/4) bytes. */
SYNADB_ML_API size_t synadb_io_base64_len(size_t n);
SYNADB_ML_API void synadb_io_base64_encode(const void *src, size_t n, char *dst);
SYNADB_ML_API int synadb_io_base64_decode(const char *src, size_t len, void *dst, size_t *out_len, size_t *err_pos);

/* C ABI: path is a database open through SYNA_open. export_*(path, pattern (NULL = all),
   out_file) and import_*(path, in_file, prefix (NULL = none)) return the number of records,
   or a negative code (-74 syntax: nothing imported). */
#ifndef SYNADB_NO_COMPAT_ABI
#define SYNADB__ML_IO_ABI_FUNCS(X) \
    X(int64_t, export_json, (const char *path, const char *pattern, const char *out_file), (path, pattern, out_file), return) \
    X(int64_t, export_jsonl, (const char *path, const char *pattern, const char *out_file), (path, pattern, out_file), return) \
    X(int64_t, export_csv, (const char *path, const char *pattern, const char *out_file), (path, pattern, out_file), return) \
    X(int64_t, import_json, (const char *path, const char *in_file, const char *prefix), (path, in_file, prefix), return) \
    X(int64_t, import_jsonl, (const char *path, const char *in_file, const char *prefix), (path, in_file, prefix), return) \
    X(int64_t, import_csv, (const char *path, const char *in_file, const char *prefix), (path, in_file, prefix), return)
#define SYNADB__X(ret, name, params, args, RET) SYNADB_ML_API ret syna_##name params; SYNADB_ML_API ret SYNA_##name params;
SYNADB__ML_IO_ABI_FUNCS(SYNADB__X)
#undef SYNADB__X
#endif

/* ======================================================================== >>ml.gpu.api */
/* CUDA. Compiled in with SYNA_GPU_CUDA (link -lcudart; no CUDA header is needed: the few
   runtime functions used are declared here). Without it every call returns
   SYNADB_ERR_GPU_UNAVAILABLE and the database's error text is "GPU not compiled in";
   synadb_gpu_device_count gives 0 devices and that code.
   Loading goes through pinned host staging buffers and asynchronous copies on a stream of
   its own: synadb_tensor_prefetch_gpu returns once the copies are queued (synadb_gpu_tensor_wait
   waits for them), synadb_tensor_get_gpu waits before returning. Chunked tensors are staged
   one chunk at a time (two pinned buffers), so a 1 GiB tensor is never held twice in host
   memory. */
typedef struct synadb_gpu_info {
    int32_t device;
    char name[256];
    uint64_t total_memory, free_memory;
    int32_t major, minor, multiprocessors;
} synadb_gpu_info;
typedef struct synadb_gpu_tensor {
    void *device_ptr;          /* device memory holding count elements of dtype, C order */
    size_t nbytes, count;
    synadb_dtype dtype;
    uint32_t rank;
    size_t shape[SYNADB_TENSOR_MAX_RANK];
    int32_t device;
    void *stream_, *staging_[2], *events_[2];   /* private */
} synadb_gpu_tensor;
SYNADB_ML_API int synadb_gpu_compiled(void);                  /* 1 with SYNA_GPU_CUDA */
SYNADB_ML_API const char *synadb_gpu_status(void);            /* "CUDA" or "GPU not compiled in" */
SYNADB_ML_API synadb_result synadb_gpu_device_count(int *out);
SYNADB_ML_API synadb_result synadb_gpu_device_info(int device, synadb_gpu_info *out);
SYNADB_ML_API synadb_result synadb_tensor_prefetch_gpu(synadb_db *db, const char *pattern, synadb_dtype dtype, int device, synadb_gpu_tensor *out);
SYNADB_ML_API synadb_result synadb_tensor_get_gpu(synadb_db *db, const char *pattern, synadb_dtype dtype, int device, synadb_gpu_tensor *out);
SYNADB_ML_API synadb_result synadb_tensor_get_chunked_gpu(synadb_db *db, const char *name, synadb_dtype dtype, int device, synadb_gpu_tensor *out);
SYNADB_ML_API synadb_result synadb_gpu_tensor_wait(synadb_gpu_tensor *t);
/* Copies the device data back into host memory (cap bytes). */
SYNADB_ML_API synadb_result synadb_gpu_tensor_download(synadb_gpu_tensor *t, void *host, size_t cap);
SYNADB_ML_API void synadb_gpu_tensor_free(synadb_gpu_tensor *t);

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
/* One round; the eight working variables rotate through the macro's arguments instead of
   being moved, and the schedule lives in a 16-word ring (w[i & 15]). */
#define SYNADB__SHA_RND(a, b, c, d, e, f, g, h, i, wv) do { \
        uint32_t t1_ = (h) + (SYNADB__ROR32(e, 6) ^ SYNADB__ROR32(e, 11) ^ SYNADB__ROR32(e, 25)) + ((g) ^ ((e) & ((f) ^ (g)))) + synadb__sha_k[i] + (wv); \
        (d) += t1_; \
        (h) = t1_ + (SYNADB__ROR32(a, 2) ^ SYNADB__ROR32(a, 13) ^ SYNADB__ROR32(a, 22)) + (((a) & (b)) | ((c) & ((a) | (b)))); \
    } while (0)
#define SYNADB__SHA_W(i) (w[(i) & 15] += (SYNADB__ROR32(w[((i) - 2) & 15], 17) ^ SYNADB__ROR32(w[((i) - 2) & 15], 19) ^ (w[((i) - 2) & 15] >> 10)) \
    + w[((i) - 7) & 15] + (SYNADB__ROR32(w[((i) - 15) & 15], 7) ^ SYNADB__ROR32(w[((i) - 15) & 15], 18) ^ (w[((i) - 15) & 15] >> 3)))
/* The compression function over nblocks 64-byte blocks. */
SYNADB_PRIVATE void synadb__sha256_blocks_portable(uint32_t h[8], const uint8_t *p, size_t nblocks) {
    uint32_t w[16], a, b, c, d, e, f, g, hh;
    int i;
    while (nblocks--) {
        for (i = 0; i < 16; i++)
            w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
        a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4]; f = h[5]; g = h[6]; hh = h[7];
        for (i = 0; i < 16; i += 8) {
            SYNADB__SHA_RND(a, b, c, d, e, f, g, hh, i, w[i]);         SYNADB__SHA_RND(hh, a, b, c, d, e, f, g, i + 1, w[i + 1]);
            SYNADB__SHA_RND(g, hh, a, b, c, d, e, f, i + 2, w[i + 2]); SYNADB__SHA_RND(f, g, hh, a, b, c, d, e, i + 3, w[i + 3]);
            SYNADB__SHA_RND(e, f, g, hh, a, b, c, d, i + 4, w[i + 4]); SYNADB__SHA_RND(d, e, f, g, hh, a, b, c, i + 5, w[i + 5]);
            SYNADB__SHA_RND(c, d, e, f, g, hh, a, b, i + 6, w[i + 6]); SYNADB__SHA_RND(b, c, d, e, f, g, hh, a, i + 7, w[i + 7]);
        }
        for (; i < 64; i += 8) {
            SYNADB__SHA_RND(a, b, c, d, e, f, g, hh, i, SYNADB__SHA_W(i));         SYNADB__SHA_RND(hh, a, b, c, d, e, f, g, i + 1, SYNADB__SHA_W(i + 1));
            SYNADB__SHA_RND(g, hh, a, b, c, d, e, f, i + 2, SYNADB__SHA_W(i + 2)); SYNADB__SHA_RND(f, g, hh, a, b, c, d, e, i + 3, SYNADB__SHA_W(i + 3));
            SYNADB__SHA_RND(e, f, g, hh, a, b, c, d, i + 4, SYNADB__SHA_W(i + 4)); SYNADB__SHA_RND(d, e, f, g, hh, a, b, c, i + 5, SYNADB__SHA_W(i + 5));
            SYNADB__SHA_RND(c, d, e, f, g, hh, a, b, i + 6, SYNADB__SHA_W(i + 6)); SYNADB__SHA_RND(b, c, d, e, f, g, hh, a, i + 7, SYNADB__SHA_W(i + 7));
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
        p += 64;
    }
}
#undef SYNADB__SHA_RND
#undef SYNADB__SHA_W
/* The compression function has two implementations: portable C, and the x86 SHA
   extensions (SHA-NI), chosen at run time by CPUID (leaf 7 EBX bit 29, with SSE4.1) when
   the compiler can build it. SYNADB_NO_SHA_NI leaves the SHA-NI path out. Both give the
   same digests (tests/test_ml_registry.c checks them against each other and OpenSSL). */
#if (defined(__x86_64__) || defined(_M_X64) || defined(__i386__) || defined(_M_IX86)) && !defined(SYNADB_NO_SHA_NI) && \
    ((defined(__clang__) && __clang_major__ >= 4) || (!defined(__clang__) && defined(__GNUC__) && __GNUC__ >= 5) || defined(_MSC_VER))
#  define SYNADB__SHA_NI 1
#  include <immintrin.h>
#  if defined(_MSC_VER)
#    include <intrin.h>
#    define SYNADB__TARGET_SHA
#  else
#    include <cpuid.h>
#    define SYNADB__TARGET_SHA __attribute__((target("sha,sse4.1")))
#  endif
/* Four rounds: the schedule words plus the constants in m, applied as two double rounds. */
#  define SYNADB__SHA_ROUNDS4(wv, ki) do { \
        __m128i m_ = _mm_add_epi32((wv), _mm_loadu_si128((const __m128i *)(const void *)(synadb__sha_k + (ki)))); \
        st1 = _mm_sha256rnds2_epu32(st1, st0, m_); \
        st0 = _mm_sha256rnds2_epu32(st0, st1, _mm_shuffle_epi32(m_, 0x0E)); \
    } while (0)
#  define SYNADB__SHA_GROUP(a, b, c, d, ki) do { \
        (a) = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32((a), (b)), _mm_alignr_epi8((d), (c), 4)), (d)); \
        SYNADB__SHA_ROUNDS4((a), (ki)); \
    } while (0)
SYNADB__TARGET_SHA SYNADB_PRIVATE void synadb__sha256_blocks_shani(uint32_t h[8], const uint8_t *p, size_t nblocks) {
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i st0, st1, t;
    /* h[0..3] = A B C D and h[4..7] = E F G H into the instructions' ABEF / CDGH lanes */
    t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)h), 0xB1);        /* C D A B */
    st1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)(h + 4)), 0x1B); /* E F G H */
    st0 = _mm_alignr_epi8(t, st1, 8);                                                       /* A B E F */
    st1 = _mm_blend_epi16(st1, t, 0xF0);                                                    /* C D G H */
    while (nblocks--) {
        __m128i abef = st0, cdgh = st1, m0, m1, m2, m3;
        m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), bswap);
        m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), bswap);
        m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 32)), bswap);
        m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 48)), bswap);
        SYNADB__SHA_ROUNDS4(m0, 0); SYNADB__SHA_ROUNDS4(m1, 4); SYNADB__SHA_ROUNDS4(m2, 8); SYNADB__SHA_ROUNDS4(m3, 12);
        /* words 4g..4g+3 replace words 4(g-4).. in a: W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16] */
        SYNADB__SHA_GROUP(m0, m1, m2, m3, 16); SYNADB__SHA_GROUP(m1, m2, m3, m0, 20); SYNADB__SHA_GROUP(m2, m3, m0, m1, 24); SYNADB__SHA_GROUP(m3, m0, m1, m2, 28);
        SYNADB__SHA_GROUP(m0, m1, m2, m3, 32); SYNADB__SHA_GROUP(m1, m2, m3, m0, 36); SYNADB__SHA_GROUP(m2, m3, m0, m1, 40); SYNADB__SHA_GROUP(m3, m0, m1, m2, 44);
        SYNADB__SHA_GROUP(m0, m1, m2, m3, 48); SYNADB__SHA_GROUP(m1, m2, m3, m0, 52); SYNADB__SHA_GROUP(m2, m3, m0, m1, 56); SYNADB__SHA_GROUP(m3, m0, m1, m2, 60);
        st0 = _mm_add_epi32(st0, abef);
        st1 = _mm_add_epi32(st1, cdgh);
        p += 64;
    }
    t = _mm_shuffle_epi32(st0, 0x1B);                 /* F E B A */
    st1 = _mm_shuffle_epi32(st1, 0xB1);               /* D C H G */
    st0 = _mm_blend_epi16(t, st1, 0xF0);              /* D C B A */
    st1 = _mm_alignr_epi8(st1, t, 8);                 /* H G F E */
    _mm_storeu_si128((__m128i *)(void *)h, st0);
    _mm_storeu_si128((__m128i *)(void *)(h + 4), st1);
}
#  undef SYNADB__SHA_ROUNDS4
#  undef SYNADB__SHA_GROUP
SYNADB_PRIVATE int synadb__cpu_shani(void) {
#  if defined(_MSC_VER)
    int r[4];
    __cpuid(r, 0);
    if (r[0] < 7) return 0;
    __cpuid(r, 1);
    if (!((r[2] >> 19) & 1)) return 0;         /* SSE4.1 (implies SSSE3) */
    __cpuidex(r, 7, 0);
    return (r[1] >> 29) & 1;                   /* SHA */
#  else
    unsigned a, b, c, d;
    if (__get_cpuid_max(0, NULL) < 7) return 0;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !((c >> 19) & 1u)) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (int)((b >> 29) & 1u);
#  endif
}
#endif
typedef void (*synadb__sha256_fn)(uint32_t h[8], const uint8_t *p, size_t nblocks);
/* The implementation for this CPU (a pure function of the CPU: caching it is harmless). */
SYNADB_PRIVATE synadb__sha256_fn synadb__sha256_pick(const char **name) {
#if defined(SYNADB__SHA_NI)
#  if !defined(SYNADB_NO_THREADS) && (defined(__GNUC__) || defined(__clang__))
    static int cached = -1;
    int hw = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (hw < 0) { hw = synadb__cpu_shani(); __atomic_store_n(&cached, hw, __ATOMIC_RELAXED); }
#  else
    int hw = synadb__cpu_shani();
#  endif
    if (hw) { *name = "sha-ni"; return synadb__sha256_blocks_shani; }
#endif
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
/* update / final with a given compression function (the tests run both). */
SYNADB_PRIVATE void synadb__sha256_update_fn(synadb_sha256_ctx *s, const void *data, size_t len, synadb__sha256_fn fn) {
    const uint8_t *p = (const uint8_t *)data;
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
SYNADB_PRIVATE void synadb__sha256_final_fn(synadb_sha256_ctx *s, uint8_t digest[32], synadb__sha256_fn fn) {
    uint64_t bits = s->len * 8;
    uint8_t pad[72];
    size_t padn = (s->n < 56 ? 56 : 120) - s->n, i;
    memset(pad, 0, sizeof pad);
    pad[0] = 0x80;
    for (i = 0; i < 8; i++) pad[padn + i] = (uint8_t)(bits >> (56 - 8 * i));
    synadb__sha256_update_fn(s, pad, padn + 8, fn);
    for (i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(s->h[i] >> 24); digest[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(s->h[i] >> 8); digest[4 * i + 3] = (uint8_t)s->h[i];
    }
}
SYNADB_ML_API void synadb_sha256_update(synadb_sha256_ctx *s, const void *data, size_t len) {
    const char *name;
    if (!len) return;
    synadb__sha256_update_fn(s, data, len, synadb__sha256_pick(&name));
}
SYNADB_ML_API void synadb_sha256_final(synadb_sha256_ctx *s, uint8_t digest[32]) {
    const char *name;
    synadb__sha256_final_fn(s, digest, synadb__sha256_pick(&name));
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
/* ---- element conversions ---- */
/* x >= 0 finite, rounded to nearest even in a binary format with p significant bits whose
   smallest normal exponent is emin (below it the quantum stays 2^(emin-p+1)). Exact. */
SYNADB_PRIVATE double synadb__round_fmt(double x, int p, int emin) {
    int e, E;
    double s, fl, fr;
    if (x == 0) return 0;
    (void)frexp(x, &e);
    E = e - 1;
    if (E < emin) E = emin;
    s = ldexp(x, p - 1 - E);          /* < 2^p, its fraction exact */
    fl = floor(s);
    fr = s - fl;
    if (fr > 0.5 || (fr == 0.5 && fmod(fl, 2.0) != 0)) fl += 1;
    return ldexp(fl, E - p + 1);
}
SYNADB_ML_API uint16_t synadb_f64_to_f16(double x) {
    uint16_t sign = (uint16_t)(signbit(x) ? 0x8000u : 0);
    double a = fabs(x), r;
    int e;
    if (x != x) return (uint16_t)(sign | 0x7e00u);
    if (a >= 65520.0) return (uint16_t)(sign | 0x7c00u);   /* rounds to 65536 or is infinite */
    r = synadb__round_fmt(a, 11, -14);
    if (r >= 65536.0) return (uint16_t)(sign | 0x7c00u);
    if (r < 6.103515625e-05) return (uint16_t)(sign | (uint16_t)ldexp(r, 24));   /* subnormal (1024 gives the smallest normal) */
    (void)frexp(r, &e);              /* r = m 2^e, m in [0.5, 1) */
    return (uint16_t)(sign | (uint16_t)((e - 1 + 15) << 10) | (uint16_t)(ldexp(r, 11 - e) - 1024.0));
}
SYNADB_ML_API uint16_t synadb_f64_to_bf16(double x) {
    uint16_t sign = (uint16_t)(signbit(x) ? 0x8000u : 0);
    double a = fabs(x), r;
    float f;
    uint32_t u;
    if (x != x) return (uint16_t)(sign | 0x7fc0u);
    r = a > 3.5e38 ? a : synadb__round_fmt(a, 8, -126);
    if (r >= 3.4028236692093846e38) return (uint16_t)(sign | 0x7f80u);   /* >= 2^128 */
    f = (float)r;                     /* exact: 8 significant bits */
    memcpy(&u, &f, 4);
    return (uint16_t)(sign | (uint16_t)(u >> 16));
}
SYNADB_ML_API uint16_t synadb_f32_to_bf16(float x) {
    uint32_t u;
    memcpy(&u, &x, 4);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x40u);   /* NaN stays (quiet) NaN */
    return (uint16_t)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}
SYNADB_ML_API float synadb_bf16_to_f32(uint16_t h) {
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}
SYNADB_ML_API uint16_t synadb_f32_to_f16(float x) { return synadb_f64_to_f16((double)x); }
SYNADB_PRIVATE double synadb__f16_to_f64(uint16_t h) {
    unsigned ex = (h >> 10) & 31u, m = h & 1023u;
    double v;
    if (ex == 31) v = m ? (double)NAN : (double)INFINITY;
    else if (ex == 0) v = ldexp((double)m, -24);
    else v = ldexp((double)(m | 1024u), (int)ex - 25);
    return (h & 0x8000u) ? -v : v;
}
SYNADB_ML_API float synadb_f16_to_f32(uint16_t h) { return (float)synadb__f16_to_f64(h); }
/* An int64 as the double nearest-even to it with at most p significant bits (exact). */
SYNADB_PRIVATE double synadb__i64_round(int64_t v, int p) {
    uint64_t a = v < 0 ? 0 - (uint64_t)v : (uint64_t)v, q, rem, half;
    int bits = 0, sh;
    double r;
    for (q = a; q; q >>= 1) bits++;
    if (bits <= p) r = (double)a;
    else {
        sh = bits - p;
        q = a >> sh;
        rem = a & ((((uint64_t)1) << sh) - 1);
        half = (uint64_t)1 << (sh - 1);
        if (rem > half || (rem == half && (q & 1))) q++;
        r = ldexp((double)q, sh);
    }
    return v < 0 ? -r : r;
}
SYNADB_PRIVATE int synadb__dt_is_int(synadb_dtype t) { return t == SYNADB_DTYPE_INT32 || t == SYNADB_DTYPE_INT64 || t == SYNADB_DTYPE_UINT8; }
#define SYNADB__CVT_BLOCK 256
/* Loads n (<= block) elements as doubles (float types) or int64s (integer types). */
SYNADB_PRIVATE void synadb__cvt_load(const uint8_t *s, synadb_dtype t, size_t n, double *d, int64_t *iv) {
    size_t i;
    switch (t) {
    case SYNADB_DTYPE_FLOAT32: for (i = 0; i < n; i++) { float f; memcpy(&f, s + 4 * i, 4); d[i] = f; } break;
    case SYNADB_DTYPE_FLOAT64: memcpy(d, s, n * 8); break;
    case SYNADB_DTYPE_FLOAT16: for (i = 0; i < n; i++) { uint16_t h; memcpy(&h, s + 2 * i, 2); d[i] = synadb__f16_to_f64(h); } break;
    case SYNADB_DTYPE_BFLOAT16: for (i = 0; i < n; i++) { uint16_t h; memcpy(&h, s + 2 * i, 2); d[i] = synadb_bf16_to_f32(h); } break;
    case SYNADB_DTYPE_INT32: for (i = 0; i < n; i++) { int32_t x; memcpy(&x, s + 4 * i, 4); iv[i] = x; } break;
    case SYNADB_DTYPE_INT64: memcpy(iv, s, n * 8); break;
    case SYNADB_DTYPE_UINT8: for (i = 0; i < n; i++) iv[i] = s[i]; break;
    }
}
/* Stores doubles into t; returns the count stored (< n at the first unconvertible one). */
SYNADB_PRIVATE size_t synadb__cvt_store_d(uint8_t *o, synadb_dtype t, const double *d, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) {
        double x = d[i];
        switch (t) {
        case SYNADB_DTYPE_FLOAT32: { float f = (float)x; memcpy(o + 4 * i, &f, 4); break; }
        case SYNADB_DTYPE_FLOAT64: memcpy(o + 8 * i, &x, 8); break;
        case SYNADB_DTYPE_FLOAT16: { uint16_t h = synadb_f64_to_f16(x); memcpy(o + 2 * i, &h, 2); break; }
        case SYNADB_DTYPE_BFLOAT16: { uint16_t h = synadb_f64_to_bf16(x); memcpy(o + 2 * i, &h, 2); break; }
        case SYNADB_DTYPE_INT32: { int32_t v; if (!(x > -2147483649.0 && x < 2147483648.0)) return i; v = (int32_t)x; memcpy(o + 4 * i, &v, 4); break; }
        case SYNADB_DTYPE_INT64: { int64_t v; if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) return i; v = (int64_t)x; memcpy(o + 8 * i, &v, 8); break; }
        case SYNADB_DTYPE_UINT8: if (!(x > -1.0 && x < 256.0)) return i; o[i] = (uint8_t)x; break;
        }
    }
    return n;
}
SYNADB_PRIVATE size_t synadb__cvt_store_i(uint8_t *o, synadb_dtype t, const int64_t *iv, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) {
        int64_t x = iv[i];
        switch (t) {
        case SYNADB_DTYPE_FLOAT32: { float f = (float)synadb__i64_round(x, 24); memcpy(o + 4 * i, &f, 4); break; }
        case SYNADB_DTYPE_FLOAT64: { double f = synadb__i64_round(x, 53); memcpy(o + 8 * i, &f, 8); break; }
        case SYNADB_DTYPE_FLOAT16: { uint16_t h = synadb_f64_to_f16(synadb__i64_round(x, 11)); memcpy(o + 2 * i, &h, 2); break; }
        case SYNADB_DTYPE_BFLOAT16: { uint16_t h = synadb_f64_to_bf16(synadb__i64_round(x, 8)); memcpy(o + 2 * i, &h, 2); break; }
        case SYNADB_DTYPE_INT32: { int32_t v; if (x < INT32_MIN || x > INT32_MAX) return i; v = (int32_t)x; memcpy(o + 4 * i, &v, 4); break; }
        case SYNADB_DTYPE_INT64: memcpy(o + 8 * i, &x, 8); break;
        case SYNADB_DTYPE_UINT8: if (x < 0 || x > 255) return i; o[i] = (uint8_t)x; break;
        }
    }
    return n;
}
SYNADB_ML_API synadb_result synadb_dtype_convert(void *dst, synadb_dtype dt, const void *src, synadb_dtype st, size_t n, size_t *bad_index) {
    double d[SYNADB__CVT_BLOCK];
    int64_t iv[SYNADB__CVT_BLOCK];
    size_t ds = synadb_dtype_size(dt), ss = synadb_dtype_size(st), i, m, k;
    const uint8_t *s = (const uint8_t *)src;
    uint8_t *o = (uint8_t *)dst;
    if (bad_index) *bad_index = 0;
    if (!ds || !ss) return SYNADB_ERR_DTYPE;
    if (!n) return SYNADB_OK;
    if (!dst || !src) return SYNADB_ERR_INVALID_ARG;
    if (dt == st) { if (dst != src) memcpy(dst, src, n * ds); return SYNADB_OK; }
    if (dt == SYNADB_DTYPE_FLOAT32 && st == SYNADB_DTYPE_BFLOAT16) {
        for (i = 0; i < n; i++) { uint16_t h; float f; memcpy(&h, s + 2 * i, 2); f = synadb_bf16_to_f32(h); memcpy(o + 4 * i, &f, 4); }
        return SYNADB_OK;
    }
    if (dt == SYNADB_DTYPE_BFLOAT16 && st == SYNADB_DTYPE_FLOAT32) {
        for (i = 0; i < n; i++) { uint16_t h; float f; memcpy(&f, s + 4 * i, 4); h = synadb_f32_to_bf16(f); memcpy(o + 2 * i, &h, 2); }
        return SYNADB_OK;
    }
    for (i = 0; i < n; i += m) {
        m = n - i < SYNADB__CVT_BLOCK ? n - i : SYNADB__CVT_BLOCK;
        synadb__cvt_load(s + i * ss, st, m, d, iv);
        k = synadb__dt_is_int(st) ? synadb__cvt_store_i(o + i * ds, dt, iv, m) : synadb__cvt_store_d(o + i * ds, dt, d, m);
        if (k < m) { if (bad_index) *bad_index = i + k; return SYNADB_ERR_DTYPE; }
    }
    return SYNADB_OK;
}

#if defined(__GNUC__) || defined(__clang__)
#define SYNADB__TPREFETCH(p) __builtin_prefetch(p)
#else
#define SYNADB__TPREFETCH(p) ((void)(p))
#endif

/* A large output buffer: on Linux, ask for transparent huge pages (as numpy does), which
   saves a page fault per 4 KiB when the buffer is first written. Only a hint. */
SYNADB_PRIVATE void *synadb__tbig_alloc(size_t n) {
    void *p = SYNADB_MALLOC(n ? n : 1);
#if defined(__linux__) && defined(MADV_HUGEPAGE) && !defined(SYNADB_NO_MMAP)
    if (p && n >= ((size_t)8 << 20)) {
        uintptr_t a = ((uintptr_t)p + ((uintptr_t)2 << 20) - 1) & ~(((uintptr_t)2 << 20) - 1), e = ((uintptr_t)p + n) & ~(((uintptr_t)2 << 20) - 1);
        if (e > a) (void)madvise((void *)a, (size_t)(e - a), MADV_HUGEPAGE);
    }
#endif
    return p;
}

/* memcpy for large outputs: on x86-64, stores that bypass the cache (no read of the
   destination lines first; the output is too big to stay cached anyway). */
SYNADB_PRIVATE void synadb__tcopy_nt(void *dst, const void *src, size_t n) {
#if defined(SYNADB__X86) && (defined(__x86_64__) || defined(_M_X64))
    uint8_t *d = (uint8_t *)dst;
    const uint8_t *s = (const uint8_t *)src;
    size_t head = (size_t)((16 - ((uintptr_t)d & 15)) & 15);
    if (n < 256) { memcpy(d, s, n); return; }
    memcpy(d, s, head);
    d += head; s += head; n -= head;
    while (n >= 64) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)s), b = _mm_loadu_si128((const __m128i *)(const void *)(s + 16));
        __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(s + 32)), e = _mm_loadu_si128((const __m128i *)(const void *)(s + 48));
        _mm_stream_si128((__m128i *)(void *)d, a); _mm_stream_si128((__m128i *)(void *)(d + 16), b);
        _mm_stream_si128((__m128i *)(void *)(d + 32), c); _mm_stream_si128((__m128i *)(void *)(d + 48), e);
        d += 64; s += 64; n -= 64;
    }
    memcpy(d, s, n);
#else
    memcpy(dst, src, n);
#endif
}
SYNADB_PRIVATE void synadb__tcopy_fence(void) {
#if defined(SYNADB__X86) && (defined(__x86_64__) || defined(_M_X64))
    _mm_sfence();
#endif
}

/* ---- key lists: the live keys matching a glob, sorted bytewise, in one allocation ---- */
/* slot[i]: the index slot where key i was found (a hint for the reads that follow). */
typedef struct synadb__tkl { size_t count; char **keys; size_t *lens; uint64_t *slot; char *arena; } synadb__tkl;
SYNADB_PRIVATE void synadb__tkl_free(synadb__tkl *l) { SYNADB_FREE(l->keys); SYNADB_FREE(l->lens); SYNADB_FREE(l->slot); SYNADB_FREE(l->arena); memset(l, 0, sizeof *l); }
typedef struct synadb__tks { uint64_t k8; const char *key; size_t len; uint64_t slot; } synadb__tks;
SYNADB_PRIVATE int synadb__tks_cmp(const void *a, const void *b) {
    const synadb__tks *x = (const synadb__tks *)a, *y = (const synadb__tks *)b;
    size_t m;
    int c;
    if (x->k8 != y->k8) return x->k8 < y->k8 ? -1 : 1;
    m = x->len < y->len ? x->len : y->len;
    c = memcmp(x->key, y->key, m);
    return c ? c : (x->len < y->len ? -1 : x->len > y->len);
}
SYNADB_PRIVATE synadb_result synadb__tkeys(synadb_db *db, const char *pat, synadb__tkl *out) {
    size_t plen = strlen(pat), lit = 0, n = 0, ncap = 0, used = 0, acap = 0, i, lcp;
    size_t *offs = NULL, *lens = NULL;
    uint64_t *slots = NULL;
    char *arena = NULL;
    synadb__tks *tk = NULL;
    synadb_result r = SYNADB_OK;
    uint64_t s;
    memset(out, 0, sizeof *out);
    while (lit < plen && pat[lit] != '*' && pat[lit] != '?' && pat[lit] != '[' && pat[lit] != '\\') lit++;
    synadb__rw_rdlock(&db->rw);
    for (s = 0; s < db->ix.cap && !r; s++) {
        uint8_t buf[512], *heap = NULL, type = 0;
        size_t klen = 0;
        const uint8_t *k;
        uint64_t off = db->ix.slots[s].off;
        if (!off) continue;
        if (db->map && s + 8 < db->ix.cap && db->ix.slots[s + 8].off) SYNADB__TPREFETCH(db->map + db->ix.slots[s + 8].off);
        k = synadb__peek_key(db, off, buf, sizeof buf, &heap, &klen, &type);
        if (!k) { r = synadb__err(db, SYNADB_ERR_IO, "reading a key failed"); SYNADB__FREE(&db->a, heap); break; }
        if (klen >= lit && !memcmp(k, pat, lit) && synadb_glob_match(pat, plen, (const char *)k, klen)) {
            if (n == ncap) {
                size_t nc = ncap ? 2 * ncap : 256;
                size_t *no = (size_t *)SYNADB_REALLOC(offs, nc * sizeof *no), *nl;
                uint64_t *ns;
                if (no) offs = no;
                nl = no ? (size_t *)SYNADB_REALLOC(lens, nc * sizeof *nl) : NULL;
                if (nl) lens = nl;
                ns = nl ? (uint64_t *)SYNADB_REALLOC(slots, nc * sizeof *ns) : NULL;
                if (ns) slots = ns;
                if (!no || !nl || !ns) { r = synadb__nomem(db); SYNADB__FREE(&db->a, heap); break; }
                ncap = nc;
            }
            if (used + klen + 1 > acap) {
                size_t ac = acap ? 2 * acap : 8192;
                char *na;
                while (ac < used + klen + 1) ac *= 2;
                na = (char *)SYNADB_REALLOC(arena, ac);
                if (!na) { r = synadb__nomem(db); SYNADB__FREE(&db->a, heap); break; }
                arena = na; acap = ac;
            }
            memcpy(arena + used, k, klen);
            arena[used + klen] = 0;
            offs[n] = used; lens[n] = klen; slots[n] = s; n++;
            used += klen + 1;
        }
        SYNADB__FREE(&db->a, heap);
    }
    synadb__rw_rdunlock(&db->rw);
    if (!r && n) {
        out->keys = (char **)SYNADB_MALLOC(n * sizeof *out->keys);
        tk = (synadb__tks *)SYNADB_MALLOC(n * sizeof *tk);
        if (!out->keys || !tk) r = synadb__nomem(db);
    }
    if (!r && n) {
        /* sort on the 8 bytes after the common prefix (big-endian), then the whole key */
        lcp = lens[0];
        for (i = 1; i < n; i++) {
            size_t j = 0, m = lcp < lens[i] ? lcp : lens[i];
            while (j < m && arena[offs[0] + j] == arena[offs[i] + j]) j++;
            lcp = j;
        }
        for (i = 0; i < n; i++) {
            const uint8_t *k = (const uint8_t *)arena + offs[i];
            uint64_t v = 0;
            size_t j;
            for (j = 0; j < 8; j++) v = (v << 8) | (lcp + j < lens[i] ? k[lcp + j] : 0);
            tk[i].k8 = v; tk[i].key = arena + offs[i]; tk[i].len = lens[i]; tk[i].slot = slots[i];
        }
        qsort(tk, n, sizeof *tk, synadb__tks_cmp);
        for (i = 0; i < n; i++) { out->keys[i] = (char *)(uintptr_t)tk[i].key; lens[i] = tk[i].len; slots[i] = tk[i].slot; }
    }
    SYNADB_FREE(tk);
    SYNADB_FREE(offs);
    if (r) { SYNADB_FREE(lens); SYNADB_FREE(slots); SYNADB_FREE(arena); SYNADB_FREE(out->keys); memset(out, 0, sizeof *out); return r; }
    out->count = n; out->lens = lens; out->slot = slots; out->arena = arena;
    return SYNADB_OK;
}

/* The latest record of key, located under the read lock (held until synadb__release). In a
   mapped database its CRC is left to the caller (*verified = 0): the chunk reader checks it
   while copying; otherwise the core's load checks it (*verified = 1). */
SYNADB_PRIVATE synadb_result synadb__tlookup(synadb_db *db, const char *key, size_t *klen, synadb__found *f, int *verified, uint64_t hint) {
    synadb_result r;
    uint64_t hash, off;
    *verified = 1;
    f->heap = NULL;
    r = synadb__check_key(db, key, klen);
    if (r) return r;
    synadb__rw_rdlock(&db->rw);
    if (!db->map) { synadb__rw_rdunlock(&db->rw); return synadb__lookup(db, key, klen, f); }
    /* the slot where the key was listed, if it still holds the key (a slot holds a live key's
       latest record: deletes empty their slot), else a search */
    if (hint < db->ix.cap && db->ix.slots[hint].off && synadb__key_at_eq(db, db->ix.slots[hint].off, (const uint8_t *)key, *klen) == 1)
        f->slot = (int64_t)hint;
    else {
        hash = synadb__hash(key, *klen, db->hash_seed);
        f->slot = synadb__find(db, &db->ix, (const uint8_t *)key, *klen, hash, NULL);
    }
    if (f->slot < 0) { synadb__rw_rdunlock(&db->rw); return synadb__err(db, SYNADB_ERR_KEY_NOT_FOUND, "key not found"); }
    off = db->ix.slots[f->slot].off;
    if (off < SYNADB__FILE_HDR || off >= db->rend || synadb__rec_head(db->map + off, off, db->rend - off, &f->r)) {
        synadb__rw_rdunlock(&db->rw);
        return synadb__err(db, SYNADB_ERR_CORRUPT, "record at offset %llu has a damaged header", (unsigned long long)off);
    }
    synadb__rec_bind(&f->r, db->map + off);
    *verified = db->cfg.skip_read_checksums;
    return SYNADB_OK;
}

/* ---- shapes and keys ---- */
#define SYNADB__TROW_MAGIC0 0x89
#define SYNADB__TROW_HDR 16
#define SYNADB__TGROUP_BYTES ((size_t)64 << 20)
#define SYNADB__TCHUNK_BYTES ((size_t)64 << 20)
/* Checks dtype, rank and shape; *count = elements, *row = elements per row (rank >= 1). */
SYNADB_PRIVATE synadb_result synadb__tshape(synadb_db *db, const size_t *shape, size_t rank, synadb_dtype dtype, size_t *count, size_t *row) {
    size_t i, n = 1, es = synadb_dtype_size(dtype);
    if (!es) return synadb__err(db, SYNADB_ERR_DTYPE, "unknown dtype %d", (int)dtype);
    if (rank == 0) return synadb__err(db, SYNADB_ERR_SHAPE, "rank 0: a stored tensor needs at least one axis (its rows)");
    if (rank > SYNADB_TENSOR_MAX_RANK) return synadb__err(db, SYNADB_ERR_SHAPE, "rank %llu is above %d", (unsigned long long)rank, SYNADB_TENSOR_MAX_RANK);
    if (!shape) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "shape is NULL");
    *row = 1;
    for (i = 0; i < rank; i++) {
        if (shape[i] && (n > (SIZE_MAX / es) / shape[i] || (i && *row > (SIZE_MAX / es) / shape[i])))
            return synadb__err(db, SYNADB_ERR_SHAPE, "the shape's element count overflows");
        n *= shape[i];
        if (i) *row *= shape[i];
    }
    *count = n;
    return SYNADB_OK;
}
/* A copy of s with the glob's special characters escaped, then suffix. */
SYNADB_PRIVATE char *synadb__tglob(synadb_db *db, const char *s, size_t n, const char *suffix) {
    size_t i, k = 0, sl = strlen(suffix);
    char *g = (char *)SYNADB_MALLOC(2 * n + sl + 1);
    if (!g) { synadb__nomem(db); return NULL; }
    for (i = 0; i < n; i++) {
        if (s[i] == '*' || s[i] == '?' || s[i] == '[' || s[i] == ']' || s[i] == '\\') g[k++] = '\\';
        g[k++] = s[i];
    }
    memcpy(g + k, suffix, sl + 1);
    return g;
}
SYNADB_PRIVATE size_t synadb__tkey(char *out, const char *prefix, size_t plen, size_t i) {
    memcpy(out, prefix, plen);
    return plen + (size_t)sprintf(out + plen, "%08lu", (unsigned long)i);
}
/* Row header: 16 bytes + 8 per dim of the row. */
SYNADB_PRIVATE uint32_t synadb__trow_crc(const uint8_t *h, uint32_t rrank) {
    return synadb_crc32c(synadb_crc32c(0, h, 8), h + SYNADB__TROW_HDR, (size_t)rrank * 8);
}
SYNADB_PRIVATE size_t synadb__trow_head(uint8_t *h, synadb_dtype dt, const size_t *dims, uint32_t rrank) {
    uint32_t i;
    memset(h, 0, SYNADB__TROW_HDR);
    h[0] = SYNADB__TROW_MAGIC0; h[1] = 'S'; h[2] = 'T'; h[3] = 'R'; h[4] = 1;
    h[5] = (uint8_t)dt; h[6] = (uint8_t)rrank;
    for (i = 0; i < rrank; i++) synadb__wr64(h + SYNADB__TROW_HDR + 8 * i, (uint64_t)dims[i]);
    synadb__wr32(h + 8, synadb__trow_crc(h, rrank));
    return SYNADB__TROW_HDR + 8 * (size_t)rrank;
}

/* A parsed row. */
typedef struct synadb__trow {
    int kind;                 /* 1 float scalar, 2 int scalar, 3 elements at p */
    double f;
    int64_t i;
    const uint8_t *p;
    size_t n;                 /* elements */
    synadb_dtype st;
    uint32_t rank;            /* of the row */
    uint64_t dims[SYNADB_TENSOR_MAX_RANK];
} synadb__trow;
/* Is v (len bytes) a row written by synadb_tensor_put? Fills row (kind 3) if so. */
SYNADB_PRIVATE int synadb__trow_parse(const uint8_t *v, size_t len, synadb__trow *row) {
    uint32_t rr, i;
    size_t n = 1, es, hl;
    if (len < SYNADB__TROW_HDR || v[0] != SYNADB__TROW_MAGIC0 || v[1] != 'S' || v[2] != 'T' || v[3] != 'R' || v[4] != 1 || v[7]) return 0;
    rr = v[6];
    es = synadb_dtype_size((synadb_dtype)v[5]);
    if (!es || rr >= SYNADB_TENSOR_MAX_RANK || synadb__rd32(v + 12)) return 0;
    hl = SYNADB__TROW_HDR + 8 * (size_t)rr;
    if (len < hl || synadb__rd32(v + 8) != synadb__trow_crc(v, rr)) return 0;
    for (i = 0; i < rr; i++) {
        uint64_t d = synadb__rd64(v + SYNADB__TROW_HDR + 8 * i);
        if (d && n > (len / es) / d) return 0;
        n *= (size_t)d;
        row->dims[i] = d;
    }
    if (len - hl != n * es) return 0;
    row->kind = 3; row->p = v + hl; row->n = n; row->st = (synadb_dtype)v[5]; row->rank = rr;
    return 1;
}
/* Reading context: the row shape seen first, a scratch buffer for compressed values. */
typedef struct synadb__tread {
    synadb_db *db;
    synadb_dtype dt;
    int have;
    uint32_t rank;
    uint64_t dims[SYNADB_TENSOR_MAX_RANK];
    size_t row_elems;
    uint8_t *scratch;
    size_t scap;
    int caps;                 /* synadb__hw_crc_detect() */
    int nt;                   /* copy rows of the same dtype with synadb__tcopy_nt */
} synadb__tread;
SYNADB_PRIVATE void synadb__tread_free(synadb__tread *c) { SYNADB_FREE(c->scratch); c->scratch = NULL; c->scap = 0; }
#define SYNADB__KFMT "%.*s"
#define SYNADB__KARG(k, n) (int)((n) > 200 ? 200 : (n)), (k)
/* Reads the row of key into dst (row_elems elements of c->dt), or only learns its shape
   when dst is NULL. */
SYNADB_PRIVATE synadb_result synadb__tread_row(synadb__tread *c, const char *key, size_t klen, uint64_t hint, uint8_t *dst) {
    synadb_db *db = c->db;
    synadb__found f;
    synadb__trow row;
    synadb_result r;
    size_t es = synadb_dtype_size(c->dt), bad = 0, kl = klen;
    uint32_t i;
    int verified = 1;
    r = synadb__tlookup(db, key, &kl, &f, &verified, hint);
    if (r) {
        if (r == SYNADB_ERR_KEY_NOT_FOUND) synadb__err(db, r, "key '" SYNADB__KFMT "' was deleted during the read", SYNADB__KARG(key, klen));
        return r;
    }
    if (!verified && synadb__crc_mask(synadb__crc(c->caps, db->crc_seed, f.r.p + 4, (size_t)f.r.total - 4)) != synadb__rd32(f.r.p)) {
        synadb__release(db, &f);
        return synadb__err(db, SYNADB_ERR_CHECKSUM, "record at offset %llu (key '" SYNADB__KFMT "') does not match its checksum", (unsigned long long)f.r.off, SYNADB__KARG(key, klen));
    }
    memset(&row, 0, sizeof row);
    switch (f.r.type) {
    case SYNADB_TYPE_FLOAT: case SYNADB_TYPE_INT: {
        uint64_t u = 0;
        r = synadb__found_scalar(db, &f, &u);
        if (r) break;
        if (f.r.type == SYNADB_TYPE_FLOAT) { row.kind = 1; row.f = synadb__u2d(u); row.st = SYNADB_DTYPE_FLOAT64; }
        else { row.kind = 2; row.i = (int64_t)u; row.st = SYNADB_DTYPE_INT64; }
        row.n = 1;
        break;
    }
    case SYNADB_TYPE_VECTOR:
        row.kind = 3; row.p = f.r.val; row.n = f.r.vlen / 4; row.st = SYNADB_DTYPE_FLOAT32; row.rank = 1; row.dims[0] = row.n;
        break;
    case SYNADB_TYPE_BYTES: {
        const uint8_t *v = f.r.val;
        size_t len = f.r.vlen;
        if (f.r.flags & SYNADB__F_LZ4) {
            len = synadb__rd32(f.r.val);
            if (len > c->scap) {
                uint8_t *nb = (uint8_t *)SYNADB_REALLOC(c->scratch, len);
                if (!nb) { r = synadb__nomem(db); break; }
                c->scratch = nb; c->scap = len;
            }
            r = synadb__blob_copy(db, &f.r, c->scratch, len);
            if (r) break;
            v = c->scratch;
        }
        if (!synadb__trow_parse(v, len, &row)) {   /* raw bytes: elements of the dtype asked for */
            if (len % es) { r = synadb__err(db, SYNADB_ERR_SHAPE, "key '" SYNADB__KFMT "': %llu raw bytes are not a whole number of %s elements",
                                            SYNADB__KARG(key, klen), (unsigned long long)len, synadb_dtype_name(c->dt)); break; }
            row.kind = 3; row.p = v; row.n = len / es; row.st = c->dt; row.rank = 1; row.dims[0] = row.n;
        }
        break;
    }
    case SYNADB_TYPE_TEXT:
        r = synadb__err(db, SYNADB_ERR_TYPE_MISMATCH, "key '" SYNADB__KFMT "' holds text, not a number, vector or tensor row", SYNADB__KARG(key, klen));
        break;
    default:
        r = synadb__err(db, SYNADB_ERR_TYPE_MISMATCH, "key '" SYNADB__KFMT "' holds null, not a number, vector or tensor row", SYNADB__KARG(key, klen));
        break;
    }
    if (!r && !c->have) {
        c->have = 1; c->rank = row.rank; c->row_elems = row.n;
        for (i = 0; i < row.rank; i++) c->dims[i] = row.dims[i];
    } else if (!r) {
        int same = row.rank == c->rank;
        for (i = 0; same && i < row.rank; i++) same = row.dims[i] == c->dims[i];
        if (!same) {
            char a[160], b[160];
            size_t al = 0, bl = 0;
            a[0] = b[0] = 0;
            for (i = 0; i < c->rank && al < sizeof a - 24; i++) al += (size_t)sprintf(a + al, i ? ", %llu" : "%llu", (unsigned long long)c->dims[i]);
            for (i = 0; i < row.rank && bl < sizeof b - 24; i++) bl += (size_t)sprintf(b + bl, i ? ", %llu" : "%llu", (unsigned long long)row.dims[i]);
            r = synadb__err(db, SYNADB_ERR_SHAPE, "key '" SYNADB__KFMT "' has row shape [%s], the rows before it [%s]", SYNADB__KARG(key, klen), b, a);
        }
    }
    if (!r && dst) {
        if (row.kind == 1) r = synadb_dtype_convert(dst, c->dt, &row.f, SYNADB_DTYPE_FLOAT64, 1, &bad);
        else if (row.kind == 2) r = synadb_dtype_convert(dst, c->dt, &row.i, SYNADB_DTYPE_INT64, 1, &bad);
        else if (c->nt && row.st == c->dt) synadb__tcopy_nt(dst, row.p, row.n * es);
        else r = synadb_dtype_convert(dst, c->dt, row.p, row.st, row.n, &bad);
        if (r) synadb__err(db, r, "key '" SYNADB__KFMT "': element %llu does not fit %s (out of range, NaN or infinite)",
                           SYNADB__KARG(key, klen), (unsigned long long)bad, synadb_dtype_name(c->dt));
    }
    synadb__release(db, &f);
    return r;
}
/* Output shape from the context and the row count. */
SYNADB_PRIVATE void synadb__tset_shape(const synadb__tread *c, size_t rows, synadb_dtype dt, size_t *shape, uint32_t *rank, size_t *count, size_t *nbytes) {
    uint32_t i;
    shape[0] = rows;
    for (i = 0; i < c->rank; i++) shape[1 + i] = (size_t)c->dims[i];
    *rank = c->rank + 1;
    *count = rows * c->row_elems;
    *nbytes = *count * synadb_dtype_size(dt);
}

/* ---- put ---- */
SYNADB_ML_API synadb_result synadb_tensor_put(synadb_db *db, const char *prefix, const void *data, const size_t *shape, size_t rank, synadb_dtype dtype) {
    size_t count = 0, row = 0, rows, es, plen, rbytes, hl = 0, i, g, ng, nstale = 0, k;
    int scalar, isint;
    uint8_t head[SYNADB__TROW_HDR + 8 * SYNADB_TENSOR_MAX_RANK];
    synadb_keylist stale;
    synadb_batch_op *ops = NULL;
    char *keys = NULL, *glob = NULL;
    uint8_t *buf = NULL;
    synadb_result r;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!prefix) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "prefix is NULL");
    r = synadb__tshape(db, shape, rank, dtype, &count, &row);
    if (r) return r;
    if (!data && count) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "data is NULL");
    rows = shape[0];
    if (rows > SYNADB_TENSOR_MAX_ROWS) return synadb__err(db, SYNADB_ERR_SHAPE, "%llu rows: the keys have 8 digits (at most %u rows; use synadb_tensor_put_chunked)", (unsigned long long)rows, SYNADB_TENSOR_MAX_ROWS);
    plen = strlen(prefix);
    if (plen + 8 > SYNADB_MAX_KEY_LEN) return synadb__err(db, SYNADB_ERR_KEY_TOO_LONG, "prefix of %llu bytes: keys would be longer than 65535", (unsigned long long)plen);
    es = synadb_dtype_size(dtype);
    scalar = rank == 1;
    isint = synadb__dt_is_int(dtype);
    if (!scalar) hl = synadb__trow_head(head, dtype, shape + 1, (uint32_t)(rank - 1));
    rbytes = row * es;
    if (!scalar && hl + rbytes > SYNADB_MAX_VALUE_LEN) return synadb__err(db, SYNADB_ERR_TOO_LARGE, "a row of %llu bytes is above the value limit", (unsigned long long)rbytes);
    /* rows left over from an earlier, longer tensor under this prefix */
    memset(&stale, 0, sizeof stale);
    glob = synadb__tglob(db, prefix, plen, "[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]");
    if (!glob) return SYNADB_ERR_NO_MEMORY;
    r = synadb_keys(db, glob, SYNADB_NTS, &stale);
    SYNADB_FREE(glob);
    if (r) return r;
    for (i = 0; i < stale.count; i++) {
        char *kk = stale.keys[i];
        if (strtoul(kk + plen, NULL, 10) >= rows) { stale.keys[nstale] = kk; stale.lens[nstale++] = stale.lens[i]; }
        else synadb_free(db, kk);
    }
    stale.count = nstale;
    /* groups of rows of about SYNADB__TGROUP_BYTES, one atomic batch each */
    ng = scalar ? SYNADB__TGROUP_BYTES / 64 : SYNADB__TGROUP_BYTES / (hl + rbytes + 64);
    if (ng < 1) ng = 1;
    if (ng > rows) ng = rows;
    ops = (synadb_batch_op *)SYNADB_MALLOC((ng + nstale + 1) * sizeof *ops);
    keys = (char *)SYNADB_MALLOC((ng + 1) * (plen + 12));
    if (!scalar && ng) buf = (uint8_t *)SYNADB_MALLOC(ng * (hl + rbytes));
    if (!ops || !keys || (!scalar && ng && !buf)) { r = synadb__nomem(db); goto done; }
    for (g = 0; g < rows || (g == 0 && nstale); g += ng) {
        size_t n = rows - g < ng ? rows - g : ng, nops = 0;
        for (i = 0; i < n; i++) {
            synadb_batch_op *op = &ops[nops++];
            const uint8_t *src = (const uint8_t *)data + (g + i) * rbytes;
            char *key = keys + i * (plen + 12);
            memset(op, 0, sizeof *op);
            op->key = key;
            op->key_len = synadb__tkey(key, prefix, plen, g + i);
            op->op = SYNADB_OP_PUT;
            if (scalar) {
                double d;
                int64_t v;
                if (isint) { synadb_dtype_convert(&v, SYNADB_DTYPE_INT64, src, dtype, 1, NULL); op->value.type = SYNADB_TYPE_INT; op->value.i = v; }
                else { synadb_dtype_convert(&d, SYNADB_DTYPE_FLOAT64, src, dtype, 1, NULL); op->value.type = SYNADB_TYPE_FLOAT; op->value.f = d; }
            } else {
                uint8_t *v = buf + i * (hl + rbytes);
                memcpy(v, head, hl);
                if (rbytes) memcpy(v + hl, src, rbytes);
                op->value.type = SYNADB_TYPE_BYTES;
                op->value.data = v;
                op->value.len = hl + rbytes;
            }
        }
        if (g + n >= rows) for (k = 0; k < nstale; k++) {   /* stale rows go with the last group */
            synadb_batch_op *op = &ops[nops++];
            memset(op, 0, sizeof *op);
            op->key = stale.keys[k]; op->key_len = stale.lens[k]; op->op = SYNADB_OP_DELETE;
        }
        r = synadb_write_batch(db, ops, nops, NULL);
        if (r || !ng) break;
    }
done:
    SYNADB_FREE(ops); SYNADB_FREE(keys); SYNADB_FREE(buf);
    synadb_keylist_free(db, &stale);
    return r;
}

/* ---- get ---- */
SYNADB_PRIVATE synadb_result synadb__tget(synadb_db *db, const char *pattern, synadb_dtype dtype, void *buf, size_t cap, int alloc, synadb_tensor *out) {
    synadb__tkl kl;
    synadb__tread c;
    synadb_result r;
    size_t i, es = synadb_dtype_size(dtype), rb;
    uint8_t *o = NULL;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!out) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "out is NULL");
    memset(out, 0, sizeof *out);
    if (!pattern) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "pattern is NULL");
    if (!es) return synadb__err(db, SYNADB_ERR_DTYPE, "unknown dtype %d", (int)dtype);
    if (!alloc && !buf && cap) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "buf is NULL");
    r = synadb__tkeys(db, pattern, &kl);
    if (r) return r;
    if (!kl.count) { synadb__tkl_free(&kl); return synadb__err(db, SYNADB_ERR_KEY_NOT_FOUND, "no key matches '%.200s'", pattern); }
    memset(&c, 0, sizeof c);
    c.db = db; c.dt = dtype; c.caps = db->hw;
    r = synadb__tread_row(&c, kl.keys[0], kl.lens[0], kl.slot[0], NULL);
    if (!r && c.row_elems && kl.count > (SIZE_MAX / es) / c.row_elems) r = synadb__err(db, SYNADB_ERR_TOO_LARGE, "the tensor does not fit in memory");
    if (!r) {
        synadb__tset_shape(&c, kl.count, dtype, out->shape, &out->rank, &out->count, &out->nbytes);
        out->dtype = dtype;
        if (alloc) {
            o = (uint8_t *)synadb__tbig_alloc(out->nbytes);
            if (!o) r = synadb__nomem(db);
        } else if (out->nbytes > cap) {
            r = synadb__err(db, SYNADB_ERR_BUFFER_TOO_SMALL, "the tensor needs %llu bytes, the buffer has %llu", (unsigned long long)out->nbytes, (unsigned long long)cap);
        } else o = (uint8_t *)buf;
    }
    rb = c.row_elems * es;
    c.nt = out->nbytes >= ((size_t)16 << 20);
    for (i = 0; !r && i < kl.count; i++) r = synadb__tread_row(&c, kl.keys[i], kl.lens[i], kl.slot[i], o + i * rb);
    if (c.nt) synadb__tcopy_fence();
    synadb__tread_free(&c);
    synadb__tkl_free(&kl);
    if (r) {
        if (alloc) SYNADB_FREE(o);
        if (r != SYNADB_ERR_BUFFER_TOO_SMALL) { size_t keep = out->nbytes; memset(out, 0, sizeof *out); (void)keep; }
        return r;
    }
    out->data = alloc ? o : buf;
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_tensor_get(synadb_db *db, const char *pattern, synadb_dtype dtype, synadb_tensor *out) {
    return synadb__tget(db, pattern, dtype, NULL, 0, 1, out);
}
SYNADB_ML_API synadb_result synadb_tensor_get_into(synadb_db *db, const char *pattern, synadb_dtype dtype, void *buf, size_t cap, synadb_tensor *out) {
    return synadb__tget(db, pattern, dtype, buf, cap, 0, out);
}
SYNADB_ML_API void synadb_tensor_free(synadb_db *db, synadb_tensor *t) {
    (void)db;
    if (!t) return;
    SYNADB_FREE(t->data);
    memset(t, 0, sizeof *t);
}
SYNADB_ML_API synadb_result synadb_tensor_keys(synadb_db *db, const char *pattern, synadb_keylist *out) {
    if (db && (!pattern || !out)) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "pattern or out is NULL");
    return synadb_keys(db, pattern, SYNADB_NTS, out);
}
SYNADB_ML_API synadb_result synadb_tensor_delete(synadb_db *db, const char *pattern, size_t *out_count) {
    synadb_keylist kl;
    synadb_batch_op *ops;
    synadb_result r;
    size_t i;
    if (out_count) *out_count = 0;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!pattern) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "pattern is NULL");
    r = synadb_keys(db, pattern, SYNADB_NTS, &kl);
    if (r) return r;
    ops = (synadb_batch_op *)SYNADB_MALLOC((kl.count ? kl.count : 1) * sizeof *ops);
    if (!ops) { synadb_keylist_free(db, &kl); return synadb__nomem(db); }
    for (i = 0; i < kl.count; i++) { memset(&ops[i], 0, sizeof ops[i]); ops[i].key = kl.keys[i]; ops[i].key_len = kl.lens[i]; ops[i].op = SYNADB_OP_DELETE; }
    r = synadb_write_batch(db, ops, kl.count, NULL);
    if (!r && out_count) *out_count = kl.count;
    SYNADB_FREE(ops);
    synadb_keylist_free(db, &kl);
    return r;
}
SYNADB_ML_API synadb_result synadb_tensor_view_row(synadb_db *db, const char *key, synadb_tensor_view *out) {
    const void *p = NULL;
    size_t len = 0;
    synadb_type t;
    synadb__trow row;
    synadb_result r;
    uint32_t i;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!key || !out) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "key or out is NULL");
    memset(out, 0, sizeof *out);
    r = synadb_get_type(db, key, SYNADB_NTS, &t);
    if (r) return r;
    if (t != SYNADB_TYPE_BYTES && t != SYNADB_TYPE_VECTOR)
        return synadb__err(db, SYNADB_ERR_TYPE_MISMATCH, "key '%.200s' is not a tensor row (only rows of rank >= 2 tensors and vectors have views)", key);
    r = synadb_get_view(db, key, SYNADB_NTS, &p, &len);
    if (r) return r;
    if (t == SYNADB_TYPE_VECTOR) { row.p = (const uint8_t *)p; row.n = len / 4; row.st = SYNADB_DTYPE_FLOAT32; row.rank = 1; row.dims[0] = row.n; }
    else if (!synadb__trow_parse((const uint8_t *)p, len, &row))
        return synadb__err(db, SYNADB_ERR_TYPE_MISMATCH, "key '%.200s' holds bytes that are not a tensor row", key);
    out->data = row.p; out->count = row.n; out->dtype = row.st; out->rank = row.rank;
    out->nbytes = row.n * synadb_dtype_size(row.st);
    for (i = 0; i < row.rank; i++) out->shape[i] = (size_t)row.dims[i];
    return SYNADB_OK;
}

/* ---- chunked ---- */
SYNADB_PRIVATE char *synadb__tname_key(synadb_db *db, const char *name, const char *suffix) {
    size_t n = strlen(name), s = strlen(suffix);
    char *k;
    if (n + s > SYNADB_MAX_KEY_LEN) { synadb__err(db, SYNADB_ERR_KEY_TOO_LONG, "tensor name of %llu bytes is too long", (unsigned long long)n); return NULL; }
    k = (char *)SYNADB_MALLOC(n + s + 1);
    if (!k) { synadb__nomem(db); return NULL; }
    memcpy(k, name, n);
    memcpy(k + n, suffix, s + 1);
    return k;
}
SYNADB_PRIVATE char *synadb__tchunk_key(synadb_db *db, const char *name, uint64_t gen, size_t i) {
    char suf[64];
    sprintf(suf, "/chunk/%llu/%08lu", (unsigned long long)gen, (unsigned long)i);
    return synadb__tname_key(db, name, suf);
}
/* Reads and checks name/meta. */
SYNADB_PRIVATE synadb_result synadb__tmeta_read(synadb_db *db, const char *name, synadb_tensor_meta *m) {
    char *key, *text = NULL;
    size_t len = 0, i, n = 1, es, rowb;
    synadb__jdoc d;
    const synadb__jv *v, *sh;
    synadb_result r;
    memset(m, 0, sizeof *m);
    key = synadb__tname_key(db, name, "/meta");
    if (!key) return synadb_errcode(db);
    r = synadb_get_text(db, key, SYNADB_NTS, &text, &len);
    SYNADB_FREE(key);
    if (r == SYNADB_ERR_KEY_NOT_FOUND) return synadb__err(db, r, "no chunked tensor '%.200s' (no %.200s/meta)", name, name);
    if (r == SYNADB_ERR_TYPE_MISMATCH) return synadb__err(db, SYNADB_ERR_CORRUPT, "%.200s/meta is not the text of a chunked tensor's metadata", name);
    if (r) return r;
    memset(&d, 0, sizeof d);
    if (synadb__jparse(text, len, &d)) { synadb_free(db, text); return synadb__err(db, SYNADB_ERR_CORRUPT, "%.200s/meta: %s", name, d.err); }
    synadb_free(db, text);
    r = SYNADB_ERR_CORRUPT;
#define SYNADB__TM_U64(field, jname) do { v = synadb__jget(d.root, jname); if (!v || v->type != SYNADB__JNUM || !v->is_int || v->i < 0) goto bad; m->field = (uint64_t)v->i; } while (0)
    v = synadb__jget(d.root, "dtype");
    if (!v || v->type != SYNADB__JSTR || synadb_dtype_parse(v->s, &m->dtype)) goto bad;
    sh = synadb__jget(d.root, "shape");
    if (!sh || sh->type != SYNADB__JARR || !sh->nkid || sh->nkid > SYNADB_TENSOR_MAX_RANK) goto bad;
    m->rank = (uint32_t)sh->nkid;
    es = synadb_dtype_size(m->dtype);
    for (i = 0; i < sh->nkid; i++) {
        const synadb__jv *x = &sh->kid[i];
        if (x->type != SYNADB__JNUM || !x->is_int || x->i < 0 || (uint64_t)x->i > SIZE_MAX) goto bad;
        m->shape[i] = (size_t)x->i;
        if (m->shape[i] && n > (SIZE_MAX / es) / m->shape[i]) goto bad;
        n *= m->shape[i];
    }
    SYNADB__TM_U64(total_bytes, "total_bytes");
    SYNADB__TM_U64(chunk_rows, "chunk_rows");
    SYNADB__TM_U64(chunk_bytes, "chunk_size");
    SYNADB__TM_U64(chunk_count, "chunk_count");
    SYNADB__TM_U64(generation, "generation");
    v = synadb__jget(d.root, "crc32c");
    if (!v || v->type != SYNADB__JNUM || !v->is_int || v->i < 0 || v->i > 0xffffffffll) goto bad;
    m->crc32c = (uint32_t)v->i;
#undef SYNADB__TM_U64
    for (i = 1, rowb = es; i < m->rank; i++) { if (m->shape[i] && rowb > SIZE_MAX / m->shape[i]) goto bad; rowb *= m->shape[i]; }
    if (m->total_bytes != (uint64_t)n * es || !m->chunk_rows || (m->shape[0] && m->chunk_count != (m->shape[0] + m->chunk_rows - 1) / m->chunk_rows)
        || (!m->shape[0] && m->chunk_count) || (rowb && m->chunk_rows > SYNADB_MAX_VALUE_LEN / rowb) || m->chunk_bytes != m->chunk_rows * rowb) goto bad;
    synadb__jdoc_free(&d);
    return SYNADB_OK;
bad:
    synadb__jdoc_free(&d);
    return synadb__err(db, r, "%.200s/meta is not valid chunked-tensor metadata", name);
}
SYNADB_ML_API synadb_result synadb_tensor_chunked_meta(synadb_db *db, const char *name, synadb_tensor_meta *out) {
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!name || !*name || !out) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "name or out is NULL (or the name is empty)");
    return synadb__tmeta_read(db, name, out);
}
/* Deletes name/chunk/<g>/<i> unless g == keep_gen and i < keep_count (all if keep_gen is 0). */
SYNADB_PRIVATE synadb_result synadb__tchunks_drop(synadb_db *db, const char *name, uint64_t keep_gen, size_t keep_count, size_t *dropped) {
    char *glob = synadb__tglob(db, name, strlen(name), "/chunk/[0-9]*");
    char keep[40];
    size_t nl = strlen(name), i, n = 0, kl;
    synadb_keylist l;
    synadb_batch_op *ops;
    synadb_result r;
    if (dropped) *dropped = 0;
    if (!glob) return SYNADB_ERR_NO_MEMORY;
    r = synadb_keys(db, glob, SYNADB_NTS, &l);
    SYNADB_FREE(glob);
    if (r) return r;
    ops = (synadb_batch_op *)SYNADB_MALLOC((l.count ? l.count : 1) * sizeof *ops);
    if (!ops) { synadb_keylist_free(db, &l); return synadb__nomem(db); }
    kl = keep_gen ? (size_t)sprintf(keep, "%llu/", (unsigned long long)keep_gen) : 0;
    for (i = 0; i < l.count; i++) {
        const char *rest = l.keys[i] + nl + 7, *q = rest;   /* after "name/chunk/" */
        size_t rl = l.lens[i] - nl - 7;
        while ((size_t)(q - rest) < rl && *q >= '0' && *q <= '9') q++;
        if (q == rest || (size_t)(q - rest) >= rl || *q != '/' || rl - (size_t)(q - rest) != 9) continue;   /* not <gen>/<8 digits> */
        if (kl && rl > kl && !memcmp(rest, keep, kl) && strtoul(rest + kl, NULL, 10) < keep_count) continue;
        memset(&ops[n], 0, sizeof ops[n]);
        ops[n].key = l.keys[i]; ops[n].key_len = l.lens[i]; ops[n].op = SYNADB_OP_DELETE;
        n++;
    }
    r = synadb_write_batch(db, ops, n, NULL);
    if (!r && dropped) *dropped = n;
    SYNADB_FREE(ops);
    synadb_keylist_free(db, &l);
    return r;
}
SYNADB_ML_API synadb_result synadb_tensor_put_chunked(synadb_db *db, const char *name, const void *data, const size_t *shape, size_t rank, synadb_dtype dtype, size_t chunk_rows) {
    size_t count = 0, row = 0, rows, es, rb, cb, nchunks, i;
    uint64_t gen = 1;
    uint32_t crc = 0;
    int hw = synadb__hw_crc_detect();
    synadb_tensor_meta old;
    synadb_result r;
    synadb__json j;
    char *key;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!name || !*name) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "name is NULL or empty");
    r = synadb__tshape(db, shape, rank, dtype, &count, &row);
    if (r) return r;
    if (!data && count) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "data is NULL");
    es = synadb_dtype_size(dtype);
    rows = shape[0];
    rb = row * es;
    if (!chunk_rows) {   /* about SYNADB__TCHUNK_BYTES, at most the whole tensor */
        chunk_rows = rb ? (SYNADB__TCHUNK_BYTES / rb ? SYNADB__TCHUNK_BYTES / rb : 1) : rows;
        if (chunk_rows > rows) chunk_rows = rows;
        if (!chunk_rows) chunk_rows = 1;
    }
    if (rb && chunk_rows > SYNADB_MAX_VALUE_LEN / rb) return synadb__err(db, SYNADB_ERR_TOO_LARGE, "chunks of %llu rows of %llu bytes are above the value limit", (unsigned long long)chunk_rows, (unsigned long long)rb);
    cb = chunk_rows * rb;
    nchunks = rows ? (rows - 1) / chunk_rows + 1 : 0;
    r = synadb__tmeta_read(db, name, &old);
    if (!r) gen = old.generation + 1;
    else if (r != SYNADB_ERR_KEY_NOT_FOUND && r != SYNADB_ERR_CORRUPT) return r;
    for (i = 0; i < nchunks; i++) {   /* chunks first: until the metadata names them, they are invisible */
        size_t n = i + 1 < nchunks ? cb : (rows - i * chunk_rows) * rb;
        const uint8_t *src = (const uint8_t *)data + i * cb;
        key = synadb__tchunk_key(db, name, gen, i);
        if (!key) return synadb_errcode(db);
        crc = synadb__crc(hw, crc, src, n);
        r = synadb_put_bytes(db, key, SYNADB_NTS, n ? src : (const void *)"", n);
        SYNADB_FREE(key);
        if (r) return r;
    }
    memset(&j, 0, sizeof j);
    synadb__jlit(&j, "{\"format\":\"synadb-chunked-tensor-1\",\"shape\":[");
    for (i = 0; i < rank; i++) { if (i) synadb__jlit(&j, ","); synadb__juint(&j, shape[i]); }
    synadb__jlit(&j, "],\"dtype\":");
    synadb__jstr(&j, synadb_dtype_name(dtype), strlen(synadb_dtype_name(dtype)));
    synadb__jlit(&j, ",\"total_bytes\":"); synadb__juint(&j, (uint64_t)count * es);
    synadb__jlit(&j, ",\"chunk_count\":"); synadb__juint(&j, nchunks);
    synadb__jlit(&j, ",\"chunk_size\":"); synadb__juint(&j, cb);
    synadb__jlit(&j, ",\"chunk_rows\":"); synadb__juint(&j, chunk_rows);
    synadb__jlit(&j, ",\"generation\":"); synadb__juint(&j, gen);
    synadb__jlit(&j, ",\"crc32c\":"); synadb__juint(&j, crc);
    synadb__jlit(&j, "}");
    if (j.oom) { SYNADB_FREE(j.p); return synadb__nomem(db); }
    key = synadb__tname_key(db, name, "/meta");
    if (!key) { SYNADB_FREE(j.p); return synadb_errcode(db); }
    r = synadb_put_text(db, key, SYNADB_NTS, j.p, j.n);
    SYNADB_FREE(key);
    SYNADB_FREE(j.p);
    if (r) return r;
    return synadb__tchunks_drop(db, name, gen, nchunks, NULL);   /* older generations, and chunks of puts cut short */
}
/* Reads a chunked tensor into o (already sized), converting; checks lengths and the CRC. */
/* Per chunk: dst_of (if given) gives the chunk's destination, sink (if given) is told when
   it is filled (offset and bytes in the output). */
typedef struct synadb__tsink {
    uint8_t *(*dst_of)(void *user, size_t chunk, size_t nbytes);
    synadb_result (*filled)(void *user, size_t chunk, size_t off, size_t nbytes);
    void *user;
} synadb__tsink;
SYNADB_PRIVATE synadb_result synadb__tchunked_read(synadb_db *db, const char *name, const synadb_tensor_meta *m, synadb_dtype dt, uint8_t *o,
                                                   const synadb__tsink *sink) {
    size_t es = synadb_dtype_size(m->dtype), ds = synadb_dtype_size(dt), i, step, off, done = 0, bad = 0;
    uint32_t crc = 0;
    int hw = db->hw, nt = m->dtype == dt && m->total_bytes >= ((uint64_t)16 << 20);
    uint8_t *scratch = NULL;
    size_t scap = 0;
    synadb_result r = SYNADB_OK;
    step = ((size_t)256 << 10) / es * es;
    for (i = 0; i < m->chunk_count && !r; i++) {
        size_t want = i + 1 < m->chunk_count ? (size_t)m->chunk_bytes : (size_t)(m->total_bytes - (uint64_t)i * m->chunk_bytes);
        char *key = synadb__tchunk_key(db, name, m->generation, i);
        synadb__found f;
        size_t kl = SYNADB_NTS;
        const uint8_t *src;
        uint8_t *cdst = o ? o + (done / es) * ds : NULL;
        int verified = 1;
        uint32_t hcrc = 0, vcrc = 0;
        if (!key) { r = synadb_errcode(db); break; }
        r = synadb__tlookup(db, key, &kl, &f, &verified, UINT64_MAX);
        if (r == SYNADB_ERR_KEY_NOT_FOUND) r = synadb__err(db, SYNADB_ERR_CORRUPT, "chunk %llu of tensor '%.200s' is missing (%.200s)", (unsigned long long)i, name, key);
        SYNADB_FREE(key);
        if (r) break;
        src = f.r.val;
        if (f.r.type != SYNADB_TYPE_BYTES) r = synadb__err(db, SYNADB_ERR_CORRUPT, "chunk %llu of tensor '%.200s' is not a bytes value", (unsigned long long)i, name);
        else if (((f.r.flags & SYNADB__F_LZ4) ? synadb__rd32(f.r.val) : f.r.vlen) != want)
            r = synadb__err(db, SYNADB_ERR_CHECKSUM, "chunk %llu of tensor '%.200s' has the wrong length", (unsigned long long)i, name);
        else if (f.r.flags & SYNADB__F_LZ4) {
            if (!verified && !synadb__rec_crc_ok(db->hw, db->crc_seed, &f.r))
                r = synadb__err(db, SYNADB_ERR_CHECKSUM, "record at offset %llu does not match its checksum", (unsigned long long)f.r.off);
            verified = 1;
            if (!r && want > scap) {
                uint8_t *nb = (uint8_t *)SYNADB_REALLOC(scratch, want);
                if (!nb) r = synadb__nomem(db);
                else { scratch = nb; scap = want; }
            }
            if (!r) r = synadb__blob_copy(db, &f.r, scratch, want);
            src = scratch;
        }
        if (!r && sink && sink->dst_of) { cdst = sink->dst_of(sink->user, i, want / es * ds); if (!cdst) r = synadb__nomem(db); }
        if (!r && !verified) hcrc = synadb__crc(hw, db->crc_seed, f.r.p + 4, (size_t)(f.r.val - f.r.p) - 4);
        for (off = 0; !r && off < want; off += step) {   /* one pass: the CRC brings the slice into the cache, the copy reads it there */
            size_t n = want - off < step ? want - off : step;
            vcrc = synadb__crc(hw, vcrc, src + off, n);
            if (cdst && nt) synadb__tcopy_nt(cdst + off, src + off, n);
            else if (cdst) {
                r = synadb_dtype_convert(cdst + (off / es) * ds, dt, src + off, m->dtype, n / es, &bad);
                if (r) synadb__err(db, r, "tensor '%.200s': element %llu does not fit %s (out of range, NaN or infinite)", name,
                                   (unsigned long long)(done / es + bad), synadb_dtype_name(dt));
            }
            done += n;
        }
        if (!r && !verified && synadb__crc_mask(synadb__crc_combine(hcrc, vcrc, want)) != synadb__rd32(f.r.p))
            r = synadb__err(db, SYNADB_ERR_CHECKSUM, "record at offset %llu (chunk %llu of tensor '%.200s') does not match its checksum",
                            (unsigned long long)f.r.off, (unsigned long long)i, name);
        crc = synadb__crc_combine(crc, vcrc, want);
        synadb__release(db, &f);
        if (!r && sink && sink->filled) r = sink->filled(sink->user, i, (done - want) / es * ds, want / es * ds);
    }
    SYNADB_FREE(scratch);
    if (nt) synadb__tcopy_fence();
    if (!r && crc != m->crc32c) r = synadb__err(db, SYNADB_ERR_CHECKSUM, "tensor '%.200s': the data does not match the checksum of its metadata", name);
    return r;
}
SYNADB_PRIVATE synadb_result synadb__tget_chunked(synadb_db *db, const char *name, synadb_dtype dtype, void *buf, size_t cap, int alloc, synadb_tensor *out) {
    synadb_tensor_meta m;
    synadb_result r;
    size_t ds = synadb_dtype_size(dtype), count, i;
    uint8_t *o;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!out) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "out is NULL");
    memset(out, 0, sizeof *out);
    if (!name || !*name) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "name is NULL or empty");
    if (!ds) return synadb__err(db, SYNADB_ERR_DTYPE, "unknown dtype %d", (int)dtype);
    if (!alloc && !buf && cap) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "buf is NULL");
    r = synadb__tmeta_read(db, name, &m);
    if (r) return r;
    count = (size_t)(m.total_bytes / synadb_dtype_size(m.dtype));
    if (count > SIZE_MAX / ds) return synadb__err(db, SYNADB_ERR_TOO_LARGE, "the tensor does not fit in memory");
    out->dtype = dtype; out->rank = m.rank; out->count = count; out->nbytes = count * ds;
    for (i = 0; i < m.rank; i++) out->shape[i] = m.shape[i];
    if (alloc) {
        o = (uint8_t *)synadb__tbig_alloc(out->nbytes);
        if (!o) { memset(out, 0, sizeof *out); return synadb__nomem(db); }
    } else if (out->nbytes > cap) {
        return synadb__err(db, SYNADB_ERR_BUFFER_TOO_SMALL, "the tensor needs %llu bytes, the buffer has %llu", (unsigned long long)out->nbytes, (unsigned long long)cap);
    } else o = (uint8_t *)buf;
    r = synadb__tchunked_read(db, name, &m, dtype, o, NULL);
    if (r) {
        if (alloc) SYNADB_FREE(o);
        else if (out->nbytes) memset(o, 0, out->nbytes);   /* never leave wrong data behind */
        memset(out, 0, sizeof *out);
        return r;
    }
    out->data = o;
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_tensor_get_chunked(synadb_db *db, const char *name, synadb_dtype dtype, synadb_tensor *out) {
    return synadb__tget_chunked(db, name, dtype, NULL, 0, 1, out);
}
SYNADB_ML_API synadb_result synadb_tensor_get_chunked_into(synadb_db *db, const char *name, synadb_dtype dtype, void *buf, size_t cap, synadb_tensor *out) {
    return synadb__tget_chunked(db, name, dtype, buf, cap, 0, out);
}
SYNADB_ML_API synadb_result synadb_tensor_view_chunk(synadb_db *db, const char *name, size_t chunk, synadb_tensor_view *out) {
    synadb_tensor_meta m;
    synadb_result r;
    const void *p = NULL;
    size_t len = 0, want, es;
    uint32_t i;
    char *key;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!name || !*name || !out) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "name or out is NULL (or the name is empty)");
    memset(out, 0, sizeof *out);
    r = synadb__tmeta_read(db, name, &m);
    if (r) return r;
    if (chunk >= m.chunk_count) return synadb__err(db, SYNADB_ERR_KEY_NOT_FOUND, "tensor '%.200s' has %llu chunks, not %llu", name, (unsigned long long)m.chunk_count, (unsigned long long)chunk + 1);
    key = synadb__tchunk_key(db, name, m.generation, chunk);
    if (!key) return synadb_errcode(db);
    r = synadb_get_view(db, key, SYNADB_NTS, &p, &len);
    SYNADB_FREE(key);
    if (r == SYNADB_ERR_KEY_NOT_FOUND) return synadb__err(db, SYNADB_ERR_CORRUPT, "chunk %llu of tensor '%.200s' is missing", (unsigned long long)chunk, name);
    if (r) return r;
    want = chunk + 1 < m.chunk_count ? (size_t)m.chunk_bytes : (size_t)(m.total_bytes - (uint64_t)chunk * m.chunk_bytes);
    if (len != want) return synadb__err(db, SYNADB_ERR_CHECKSUM, "chunk %llu of tensor '%.200s' has the wrong length", (unsigned long long)chunk, name);
    es = synadb_dtype_size(m.dtype);
    out->data = p; out->nbytes = len; out->count = len / es; out->dtype = m.dtype; out->rank = m.rank;
    for (i = 1; i < m.rank; i++) out->shape[i] = m.shape[i];
    out->shape[0] = (size_t)(chunk + 1 < m.chunk_count ? m.chunk_rows : m.shape[0] - chunk * m.chunk_rows);
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_tensor_delete_chunked(synadb_db *db, const char *name) {
    synadb_tensor_meta m;
    synadb_result r;
    char *key;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!name || !*name) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "name is NULL or empty");
    r = synadb__tmeta_read(db, name, &m);
    if (r && r != SYNADB_ERR_CORRUPT) return r;
    key = synadb__tname_key(db, name, "/meta");
    if (!key) return synadb_errcode(db);
    r = synadb_delete(db, key, SYNADB_NTS);   /* the metadata first: the tensor is gone at once */
    SYNADB_FREE(key);
    if (r) return r;
    return synadb__tchunks_drop(db, name, 0, 0, NULL);
}

/* ---- streams ---- */
struct synadb_tensor_stream {
    synadb_db *db;
    synadb__tkl keys;
    size_t *order;            /* this shard's rows of the current epoch, as key indices */
    size_t n, pos, batch;
    synadb_dtype dt;
    synadb__tread c;
    synadb_stream_options o;
    char err[512];
};
SYNADB_PRIVATE synadb_result synadb__tstream_fail(synadb_tensor_stream *s, synadb_result r) {
    const char *m = synadb_errmsg(s->db);
    size_t n = strlen(m);
    if (n >= sizeof s->err) n = sizeof s->err - 1;
    memcpy(s->err, m, n);
    s->err[n] = 0;
    return r;
}
SYNADB_PRIVATE synadb_result synadb__tstream_order(synadb_tensor_stream *s) {
    size_t N = s->keys.count, W = s->o.world_size > 1 ? s->o.world_size : 1, R = s->o.rank, i, j, *perm;
    if (!s->order) {
        s->order = (size_t *)SYNADB_MALLOC((N ? N : 1) * sizeof *s->order);
        if (!s->order) return synadb__tstream_fail(s, synadb__nomem(s->db));
    }
    perm = s->order;   /* the full permutation is built in place, then this shard's part moved to the front */
    for (i = 0; i < N; i++) perm[i] = i;
    if (s->o.shuffle && N > 1) {
        uint64_t st = s->o.seed + s->o.epoch * 0x9E3779B97F4A7C15ull;
        for (i = N - 1; i > 0; i--) {
            uint64_t z;
            size_t t;
            st += 0x9E3779B97F4A7C15ull;
            z = synadb__mix64(st);
            j = (size_t)(z % (uint64_t)(i + 1));
            t = perm[i]; perm[i] = perm[j]; perm[j] = t;
        }
    }
    for (i = R, j = 0; i < N; i += W) perm[j++] = perm[i];
    s->n = j;
    s->pos = 0;
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_tensor_stream_open(synadb_db *db, const char *pattern, synadb_dtype dtype, size_t batch_rows,
                                                      const synadb_stream_options *opt, synadb_tensor_stream **out) {
    synadb_tensor_stream *s;
    synadb_result r;
    if (out) *out = NULL;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!pattern || !out) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "pattern or out is NULL");
    if (!synadb_dtype_size(dtype)) return synadb__err(db, SYNADB_ERR_DTYPE, "unknown dtype %d", (int)dtype);
    if (!batch_rows) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "batch_rows is 0");
    if (opt && opt->world_size > 1 && opt->rank >= opt->world_size) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "rank %u is not below world_size %u", opt->rank, opt->world_size);
    if (opt && opt->world_size <= 1 && opt->rank) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "rank %u without a world_size above 1", opt->rank);
    s = (synadb_tensor_stream *)SYNADB_MALLOC(sizeof *s);
    if (!s) return synadb__nomem(db);
    memset(s, 0, sizeof *s);
    s->db = db; s->dt = dtype; s->batch = batch_rows;
    if (opt) s->o = *opt;
    s->c.db = db; s->c.dt = dtype; s->c.caps = db->hw;
    r = synadb__tkeys(db, pattern, &s->keys);
    if (!r && !s->keys.count) r = synadb__err(db, SYNADB_ERR_KEY_NOT_FOUND, "no key matches '%.200s'", pattern);
    if (!r) r = synadb__tread_row(&s->c, s->keys.keys[0], s->keys.lens[0], s->keys.slot[0], NULL);   /* the row shape */
    if (!r && s->c.row_elems && batch_rows > (SIZE_MAX / synadb_dtype_size(dtype)) / s->c.row_elems) r = synadb__err(db, SYNADB_ERR_TOO_LARGE, "batch_rows is too large");
    if (!r) r = synadb__tstream_order(s);
    if (r) { synadb_tensor_stream_close(s); return r; }
    *out = s;
    return SYNADB_OK;
}
SYNADB_ML_API size_t synadb_tensor_stream_batch_bytes(const synadb_tensor_stream *s) { return s ? s->batch * s->c.row_elems * synadb_dtype_size(s->dt) : 0; }
SYNADB_ML_API size_t synadb_tensor_stream_rows(const synadb_tensor_stream *s) { return s ? s->n : 0; }
SYNADB_ML_API size_t synadb_tensor_stream_row_index(const synadb_tensor_stream *s, size_t j) { return s && j < s->n ? s->order[j] : (size_t)-1; }
SYNADB_ML_API const char *synadb_tensor_stream_errmsg(const synadb_tensor_stream *s) { return s ? s->err : "stream is NULL"; }
SYNADB_ML_API size_t synadb_tensor_stream_tell(const synadb_tensor_stream *s) { return s ? s->pos : 0; }
SYNADB_ML_API synadb_result synadb_tensor_stream_seek(synadb_tensor_stream *s, size_t pos) {
    if (!s) return SYNADB_ERR_INVALID_ARG;
    if (pos > s->n) { snprintf(s->err, sizeof s->err, "position %llu is past the %llu rows of the shard", (unsigned long long)pos, (unsigned long long)s->n); return SYNADB_ERR_INVALID_ARG; }
    s->pos = pos;
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_tensor_stream_reset(synadb_tensor_stream *s, uint64_t epoch) {
    if (!s) return SYNADB_ERR_INVALID_ARG;
    s->o.epoch = epoch;
    return synadb__tstream_order(s);
}
SYNADB_ML_API synadb_result synadb_tensor_stream_next(synadb_tensor_stream *s, void *buf, size_t cap, synadb_tensor *out) {
    size_t rows, i, rb;
    synadb_result r = SYNADB_OK;
    if (!s) return SYNADB_ERR_INVALID_ARG;
    if (!out) { snprintf(s->err, sizeof s->err, "out is NULL"); return SYNADB_ERR_INVALID_ARG; }
    memset(out, 0, sizeof *out);
    rows = s->n - s->pos < s->batch ? s->n - s->pos : s->batch;
    if (s->o.drop_last && rows < s->batch) rows = 0;
    synadb__tset_shape(&s->c, rows, s->dt, out->shape, &out->rank, &out->count, &out->nbytes);
    out->dtype = s->dt;
    if (!rows) return SYNADB_OK;
    if (!buf || out->nbytes > cap) {
        snprintf(s->err, sizeof s->err, "the batch needs %llu bytes, the buffer has %llu", (unsigned long long)out->nbytes, (unsigned long long)(buf ? cap : 0));
        return buf ? SYNADB_ERR_BUFFER_TOO_SMALL : SYNADB_ERR_INVALID_ARG;
    }
    rb = s->c.row_elems * synadb_dtype_size(s->dt);
    for (i = 0; i < rows && !r; i++) {
        size_t k = s->order[s->pos + i];
        r = synadb__tread_row(&s->c, s->keys.keys[k], s->keys.lens[k], s->keys.slot[k], (uint8_t *)buf + i * rb);
    }
    if (r) { out->count = out->nbytes = 0; out->shape[0] = 0; return synadb__tstream_fail(s, r); }
    s->pos += rows;
    out->data = buf;
    return SYNADB_OK;
}
SYNADB_ML_API void synadb_tensor_stream_close(synadb_tensor_stream *s) {
    if (!s) return;
    synadb__tkl_free(&s->keys);
    SYNADB_FREE(s->order);
    synadb__tread_free(&s->c);
    SYNADB_FREE(s);
}

/* ---- ABI ---- */
#ifndef SYNADB_NO_COMPAT_ABI
SYNADB_PRIVATE int32_t synadb__tabi_shape(const uint64_t *shape, uint32_t rank, size_t len, int32_t dtype, size_t *sh) {
    uint32_t i;
    size_t n = 1, es = synadb_dtype_size((synadb_dtype)dtype);
    if (!es) return SYNADB_ERR_DTYPE;
    if (!shape || !rank || rank > SYNADB_TENSOR_MAX_RANK) return SYNADB_ERR_SHAPE;
    for (i = 0; i < rank; i++) {
        if (shape[i] > SIZE_MAX) return SYNADB_ERR_SHAPE;
        sh[i] = (size_t)shape[i];
        if (sh[i] && n > (SIZE_MAX / es) / sh[i]) return SYNADB_ERR_SHAPE;
        n *= sh[i];
    }
    return n * es == len ? 1 : SYNADB_ERR_SHAPE;
}
SYNADB_PRIVATE int32_t synadb__tabi_out(synadb_tensor *t, void **out_data, size_t *out_len, uint64_t *out_shape, uint32_t *out_rank) {
    uint32_t i;
    if (!t->nbytes) { SYNADB_FREE(t->data); t->data = NULL; }
    *out_data = t->data; *out_len = t->nbytes;
    if (out_rank) *out_rank = t->rank;
    if (out_shape) for (i = 0; i < t->rank; i++) out_shape[i] = t->shape[i];
    return 1;
}
SYNADB_ML_API int32_t syna_tensor_get_shape(const char *path, const char *pattern, int32_t dtype, void **out_data, size_t *out_len, uint64_t *out_shape, uint32_t *out_rank) {
    int32_t rc = 1;
    synadb__reg *e;
    synadb_tensor t;
    synadb_result r;
    if (!out_data || !out_len) return SYNA_ERR_INVALID_PATH;
    *out_data = NULL; *out_len = 0;
    if (out_rank) *out_rank = 0;
    e = synadb__acquire(path, &rc);
    if (!e) return rc;
    if (!pattern) { synadb__drop(e); return SYNA_ERR_INVALID_PATH; }
    r = synadb_tensor_get(e->db, pattern, (synadb_dtype)dtype, &t);
    synadb__drop(e);
    if (r) return synadb__abi_rc(r);
    return synadb__tabi_out(&t, out_data, out_len, out_shape, out_rank);
}
SYNADB_ML_API int32_t syna_tensor_get(const char *path, const char *pattern, int32_t dtype, void **out_data, size_t *out_len) {
    return syna_tensor_get_shape(path, pattern, dtype, out_data, out_len, NULL, NULL);
}
SYNADB_ML_API int64_t syna_tensor_put_shaped(const char *path, const char *key_prefix, const void *data, size_t len, int32_t dtype, const uint64_t *shape, uint32_t rank) {
    int32_t rc = 1;
    synadb__reg *e;
    size_t sh[SYNADB_TENSOR_MAX_RANK], i, n = 1;
    synadb_result r;
    if (!key_prefix || (!data && len)) return SYNA_ERR_INVALID_PATH;
    e = synadb__acquire(path, &rc);
    if (!e) return rc;
    rc = synadb__tabi_shape(shape, rank, len, dtype, sh);
    if (rc != 1) { synadb__err(e->db, rc, "the shape does not match %llu bytes of dtype %d", (unsigned long long)len, (int)dtype); synadb__drop(e); return rc; }
    r = synadb_tensor_put(e->db, key_prefix, data, sh, rank, (synadb_dtype)dtype);
    synadb__drop(e);
    if (r) return r;
    for (i = 0; i < rank; i++) n *= sh[i];
    return (int64_t)n;
}
SYNADB_ML_API int64_t syna_tensor_put(const char *path, const char *key_prefix, const void *data, size_t len, int32_t dtype) {
    size_t es = synadb_dtype_size((synadb_dtype)dtype);
    uint64_t shape;
    if (!es) return SYNADB_ERR_DTYPE;
    if (len % es) return SYNADB_ERR_SHAPE;
    shape = len / es;
    return syna_tensor_put_shaped(path, key_prefix, data, len, dtype, &shape, 1);
}
SYNADB_ML_API int32_t syna_tensor_put_chunked(const char *path, const char *name, const void *data, size_t len, int32_t dtype, const uint64_t *shape, uint32_t rank, uint64_t chunk_rows) {
    int32_t rc = 1;
    synadb__reg *e;
    size_t sh[SYNADB_TENSOR_MAX_RANK];
    synadb_result r;
    if (!name || (!data && len)) return SYNA_ERR_INVALID_PATH;
    e = synadb__acquire(path, &rc);
    if (!e) return rc;
    rc = synadb__tabi_shape(shape, rank, len, dtype, sh);
    if (rc != 1 || chunk_rows > SIZE_MAX) { synadb__drop(e); return rc != 1 ? rc : SYNADB_ERR_SHAPE; }
    r = synadb_tensor_put_chunked(e->db, name, data, sh, rank, (synadb_dtype)dtype, (size_t)chunk_rows);
    synadb__drop(e);
    return synadb__abi_rc(r);
}
SYNADB_ML_API int32_t syna_tensor_get_chunked(const char *path, const char *name, int32_t dtype, void **out_data, size_t *out_len, uint64_t *out_shape, uint32_t *out_rank) {
    int32_t rc = 1;
    synadb__reg *e;
    synadb_tensor t;
    synadb_result r;
    if (!out_data || !out_len) return SYNA_ERR_INVALID_PATH;
    *out_data = NULL; *out_len = 0;
    if (out_rank) *out_rank = 0;
    e = synadb__acquire(path, &rc);
    if (!e) return rc;
    if (!name) { synadb__drop(e); return SYNA_ERR_INVALID_PATH; }
    r = synadb_tensor_get_chunked(e->db, name, (synadb_dtype)dtype, &t);
    synadb__drop(e);
    if (r) return synadb__abi_rc(r);
    return synadb__tabi_out(&t, out_data, out_len, out_shape, out_rank);
}
SYNADB_ML_API int64_t syna_tensor_delete(const char *path, const char *pattern) {
    int32_t rc = 1;
    synadb__reg *e;
    size_t n = 0;
    synadb_result r;
    e = synadb__acquire(path, &rc);
    if (!e) return rc;
    if (!pattern) { synadb__drop(e); return SYNA_ERR_INVALID_PATH; }
    r = synadb_tensor_delete(e->db, pattern, &n);
    synadb__drop(e);
    return r ? (int64_t)r : (int64_t)n;
}
SYNADB_ML_API void syna_free_tensor_data(void *data, size_t len, int32_t dtype) { (void)len; (void)dtype; SYNADB_FREE(data); }
#define SYNADB__X(ret, name, params, args, RET) SYNADB_ML_API ret SYNA_##name params { RET syna_##name args; }
SYNADB__ML_TENSOR_ABI_FUNCS(SYNADB__X)
#undef SYNADB__X
#endif /* SYNADB_NO_COMPAT_ABI */

/* ======================================================================== >>ml.registry */
/* See >>ml.registry.api for the key layout and the guarantees. Locking: reg->mu serialises
   the read-modify-write of a model's records (head, meta, aliases); chunk writes and all
   reads go straight to the database, which has its own locks. */
#define SYNADB__RG_MAX_NAME 4096u
#define SYNADB__RG_DEFAULT_CHUNK (4u << 20)
typedef struct synadb__rgactive { uint64_t hash; uint32_t version; struct synadb__rgactive *next; } synadb__rgactive;
struct synadb_registry {
    synadb_db *db;
    int owns, archive_on_promote, no_sync;
    uint32_t chunk_size;
    synadb__mutex mu;             /* model records */
    synadb__rgactive *active;     /* versions being written (cleanup leaves their chunks), under mu */
    synadb__mutex emu;            /* errmsg */
    char errmsg[512];
};
struct synadb_model_writer {
    synadb_registry *reg;
    char *name;
    char *key;                    /* "model/<n>/" + room for a suffix */
    size_t base, kcap;
    uint32_t version, chunks;
    uint64_t size, hash;
    synadb_sha256_ctx sha;
    uint8_t *buf;                 /* partial chunk (allocated when needed) */
    size_t bn;
    char *meta;                   /* the metadata object as JSON */
    size_t meta_len;
    synadb_result failed;
};

SYNADB_PRIVATE synadb_result synadb__rgerr(synadb_registry *reg, synadb_result r, const char *fmt, ...) SYNADB__PRINTF(3, 4);
SYNADB_PRIVATE synadb_result synadb__rgerr(synadb_registry *reg, synadb_result r, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    if (!reg) return r;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    synadb__mutex_lock(&reg->emu);
    snprintf(reg->errmsg, sizeof reg->errmsg, "%s", msg);
    synadb__mutex_unlock(&reg->emu);
    return r;
}
/* A database failure, with the database's message. */
SYNADB_PRIVATE synadb_result synadb__rgdb(synadb_registry *reg, synadb_result r, const char *what) {
    return synadb__rgerr(reg, r, "%s: %s", what, synadb_errmsg(reg->db));
}

static const char *const synadb__stage_names[] = {"Development", "Staging", "Production", "Archived"};
SYNADB_ML_API const char *synadb_stage_name(int stage) {
    return stage >= 0 && stage < 4 ? synadb__stage_names[stage] : NULL;
}
SYNADB_ML_API int synadb_stage_parse(const char *name) {
    int i;
    size_t k, n;
    if (!name) return -1;
    n = strlen(name);
    for (i = 0; i < 4; i++) {
        if (strlen(synadb__stage_names[i]) != n) continue;
        for (k = 0; k < n; k++) {
            char a = name[k], b = synadb__stage_names[i][k];
            if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z') b = (char)(b - 'A' + 'a');
            if (a != b) break;
        }
        if (k == n) return i;
    }
    return -1;
}

/* ---- names and keys ---- */
SYNADB_PRIVATE synadb_result synadb__rg_check_name(synadb_registry *reg, const char *name) {
    size_t n;
    if (!name) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "model name is NULL");
    n = strlen(name);
    if (!n) return synadb__rgerr(reg, SYNADB_ERR_EMPTY_KEY, "model name is empty");
    if (n > SYNADB__RG_MAX_NAME) return synadb__rgerr(reg, SYNADB_ERR_KEY_TOO_LONG, "model name of %llu bytes (at most %u)", (unsigned long long)n, SYNADB__RG_MAX_NAME);
    if (!synadb__utf8_valid((const uint8_t *)name, n)) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "model name is not valid UTF-8");
    return SYNADB_OK;
}
/* "model/<escaped name>/" followed by room for suffixes: *key allocated, *base its length. */
SYNADB_PRIVATE synadb_result synadb__rg_key_init(synadb_registry *reg, const char *name, char **key, size_t *base, size_t *cap) {
    static const char hx[] = "0123456789ABCDEF";
    size_t n, i, k;
    char *p;
    synadb_result r = synadb__rg_check_name(reg, name);
    if (r) return r;
    n = strlen(name);
    *cap = 6 + 3 * n + 1 + 64;
    p = (char *)SYNADB_MALLOC(*cap);
    if (!p) return synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory");
    memcpy(p, "model/", 6);
    for (i = 0, k = 6; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-') p[k++] = (char)c;
        else { p[k++] = '%'; p[k++] = hx[c >> 4]; p[k++] = hx[c & 15]; }
    }
    p[k++] = '/';
    p[k] = 0;
    *key = p; *base = k;
    return SYNADB_OK;
}
/* The escaped name back (NULL if it is not one of ours). */
SYNADB_PRIVATE char *synadb__rg_unescape(const char *s, size_t n) {
    char *o = (char *)SYNADB_MALLOC(n + 1);
    size_t i, k = 0;
    if (!o) return NULL;
    for (i = 0; i < n; i++) {
        if (s[i] != '%') { o[k++] = s[i]; continue; }
        if (i + 2 >= n) { SYNADB_FREE(o); return NULL; }
        {
            int v = 0, j;
            for (j = 1; j <= 2; j++) {
                char c = s[i + (size_t)j];
                v <<= 4;
                if (c >= '0' && c <= '9') v |= c - '0';
                else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
                else { SYNADB_FREE(o); return NULL; }
            }
            o[k++] = (char)v;
            i += 2;
        }
    }
    o[k] = 0;
    return o;
}
/* key[base..] = suffix; returns the key's length. */
SYNADB_PRIVATE size_t synadb__rg_sfx(char *key, size_t base, size_t cap, const char *fmt, ...) SYNADB__PRINTF(4, 5);
SYNADB_PRIVATE size_t synadb__rg_sfx(char *key, size_t base, size_t cap, const char *fmt, ...) {
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(key + base, cap - base, fmt, ap);
    va_end(ap);
    return base + (n > 0 ? (size_t)n : 0);
}
SYNADB_PRIVATE uint64_t synadb__rg_hash(const char *name) {   /* FNV-1a of the name, for the active list */
    uint64_t h = 1469598103934665603ull;
    while (*name) { h ^= (unsigned char)*name++; h *= 1099511628211ull; }
    return h;
}

/* ---- head: (highest version assigned, latest live version) ---- */
SYNADB_PRIVATE synadb_result synadb__rg_head(synadb_registry *reg, char *key, size_t base, size_t cap, uint32_t *counter, uint32_t *latest) {
    uint8_t b[8];
    size_t got = 0, kl = synadb__rg_sfx(key, base, cap, "head");
    synadb_result r = synadb_get_bytes_into(reg->db, key, kl, b, sizeof b, &got);
    *counter = *latest = 0;
    if (r == SYNADB_ERR_KEY_NOT_FOUND) return SYNADB_OK;
    if (r) return synadb__rgdb(reg, r, "reading the model's head record");
    if (got != 8) return synadb__rgerr(reg, SYNADB_ERR_CORRUPT, "model head record of %llu bytes", (unsigned long long)got);
    *counter = synadb__rd32(b);
    *latest = synadb__rd32(b + 4);
    if (*latest > *counter) return synadb__rgerr(reg, SYNADB_ERR_CORRUPT, "model head record: latest %u above counter %u", *latest, *counter);
    return SYNADB_OK;
}
SYNADB_PRIVATE void synadb__rg_head_enc(uint8_t b[8], uint32_t counter, uint32_t latest) {
    synadb__wr32(b, counter);
    synadb__wr32(b + 4, latest);
}

/* ---- version records ---- */
SYNADB_ML_API void synadb_registry_version_free(synadb_model_version *v) {
    if (!v) return;
    SYNADB_FREE(v->name);
    SYNADB_FREE(v->meta_keys);   /* one block: keys, values and the strings */
    memset(v, 0, sizeof *v);
}
SYNADB_ML_API void synadb_registry_versions_free(synadb_model_version *v, size_t count) {
    size_t i;
    if (!v) return;
    for (i = 0; i < count; i++) synadb_registry_version_free(&v[i]);
    SYNADB_FREE(v);
}
/* Index of the pairs to keep: the last of each repeated key. */
SYNADB_PRIVATE int synadb__rg_dup_later(const char *const *keys, size_t n, size_t i) {
    size_t j;
    for (j = i + 1; j < n; j++) if (!strcmp(keys[i], keys[j])) return 1;
    return 0;
}
/* The metadata object {"k":"v",...} (a repeated key: the last value). */
SYNADB_PRIVATE synadb_result synadb__rg_meta_json(synadb_registry *reg, const char *const *keys, const char *const *vals, size_t n, synadb__json *j) {
    size_t i;
    if (n && (!keys || !vals)) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "metadata keys or values are NULL");
    for (i = 0; i < n; i++) {
        if (!keys[i] || !vals[i]) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "metadata entry %llu is NULL", (unsigned long long)i);
        if (!synadb__utf8_valid((const uint8_t *)keys[i], strlen(keys[i])) || !synadb__utf8_valid((const uint8_t *)vals[i], strlen(vals[i])))
            return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "metadata entry %llu is not valid UTF-8", (unsigned long long)i);
    }
    synadb__jlit(j, "{");
    for (i = 0; i < n; i++) {
        if (synadb__rg_dup_later(keys, n, i)) continue;
        if (j->n > 1) synadb__jlit(j, ",");
        synadb__jstr(j, keys[i], strlen(keys[i]));
        synadb__jlit(j, ":");
        synadb__jstr(j, vals[i], strlen(vals[i]));
    }
    synadb__jlit(j, "}");
    if (j->oom) return synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory");
    return SYNADB_OK;
}
/* ModelVersion JSON (the ABI's shape; full adds the storage fields of the meta record). */
SYNADB_PRIVATE void synadb__rg_version_json(synadb__json *j, const char *name, uint32_t version, uint64_t created_at, const char *checksum,
                                            uint64_t size, const char *meta_obj, size_t meta_len, int stage, int full, uint32_t chunk_size, uint32_t chunk_count) {
    synadb__jlit(j, "{\"name\":");
    synadb__jstr(j, name, strlen(name));
    synadb__jlit(j, ",\"version\":");
    synadb__juint(j, version);
    synadb__jlit(j, ",\"created_at\":");
    synadb__juint(j, created_at);
    synadb__jlit(j, ",\"checksum\":");
    synadb__jstr(j, checksum, strlen(checksum));
    synadb__jlit(j, ",\"size_bytes\":");
    synadb__juint(j, size);
    synadb__jlit(j, ",\"metadata\":");
    synadb__jput(j, meta_obj, meta_len);
    synadb__jlit(j, ",\"stage\":");
    synadb__jstr(j, synadb__stage_names[stage], strlen(synadb__stage_names[stage]));
    if (full) {
        synadb__jlit(j, ",\"chunk_size\":");
        synadb__juint(j, chunk_size);
        synadb__jlit(j, ",\"chunk_count\":");
        synadb__juint(j, chunk_count);
    }
    synadb__jlit(j, "}");
}
SYNADB_PRIVATE void synadb__rg_info_json(synadb__json *j, const synadb_model_version *v, int full) {
    synadb__json m;
    size_t i;
    memset(&m, 0, sizeof m);
    synadb__jlit(&m, "{");
    for (i = 0; i < v->n_meta; i++) {
        if (i) synadb__jlit(&m, ",");
        synadb__jstr(&m, v->meta_keys[i], strlen(v->meta_keys[i]));
        synadb__jlit(&m, ":");
        synadb__jstr(&m, v->meta_values[i], strlen(v->meta_values[i]));
    }
    synadb__jlit(&m, "}");
    if (m.oom) j->oom = 1;
    else synadb__rg_version_json(j, v->name, v->version, v->created_at, v->checksum, v->size_bytes, m.p, m.n, v->stage, full, v->chunk_size, v->chunk_count);
    SYNADB_FREE(m.p);
}
SYNADB_PRIVATE int synadb__rg_juint(const synadb__jv *o, const char *k, uint64_t *out) {
    const synadb__jv *v = synadb__jget(o, k);
    if (!v || v->type != SYNADB__JNUM || !v->is_int || v->i < 0) return -1;
    *out = (uint64_t)v->i;
    return 0;
}
/* Parses a meta record into out (allocated parts owned by out). */
SYNADB_PRIVATE synadb_result synadb__rg_parse_meta(synadb_registry *reg, const char *text, size_t len, synadb_model_version *out) {
    synadb__jdoc d;
    const synadb__jv *name, *ck, *st, *md;
    uint64_t ver, cat, size, cs, cc;
    size_t i, n = 0, bytes = 0;
    char *blk, *sp;
    memset(out, 0, sizeof *out);
    if (synadb__jparse(text, len, &d)) return synadb__rgerr(reg, SYNADB_ERR_CORRUPT, "model record does not parse: %s", d.err);
    name = synadb__jget(d.root, "name"); ck = synadb__jget(d.root, "checksum"); st = synadb__jget(d.root, "stage"); md = synadb__jget(d.root, "metadata");
    if (!name || name->type != SYNADB__JSTR || !ck || ck->type != SYNADB__JSTR || ck->n != 64 || !st || st->type != SYNADB__JSTR
        || synadb_stage_parse(st->s) < 0 || !md || md->type != SYNADB__JOBJ
        || synadb__rg_juint(d.root, "version", &ver) || synadb__rg_juint(d.root, "created_at", &cat) || synadb__rg_juint(d.root, "size_bytes", &size)
        || synadb__rg_juint(d.root, "chunk_size", &cs) || synadb__rg_juint(d.root, "chunk_count", &cc)
        || ver == 0 || ver > UINT32_MAX || cs == 0 || cs > UINT32_MAX || cc > UINT32_MAX || cc != (size + cs - 1) / cs) {
        synadb__jdoc_free(&d);
        return synadb__rgerr(reg, SYNADB_ERR_CORRUPT, "model record has missing or inconsistent fields");
    }
    for (i = 0; i < md->nkid; i++) {
        if (md->kid[i].type != SYNADB__JSTR) { synadb__jdoc_free(&d); return synadb__rgerr(reg, SYNADB_ERR_CORRUPT, "model record: metadata value is not a string"); }
        bytes += md->kid[i].klen + 1 + md->kid[i].n + 1;
        n++;
    }
    out->name = (char *)SYNADB_MALLOC(name->n + 1);
    blk = n ? (char *)SYNADB_MALLOC(2 * n * sizeof(char *) + bytes) : NULL;
    if (!out->name || (n && !blk)) {
        SYNADB_FREE(out->name); SYNADB_FREE(blk); out->name = NULL;
        synadb__jdoc_free(&d);
        return synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory");
    }
    memcpy(out->name, name->s, name->n + 1);
    if (n) {
        out->meta_keys = (char **)(void *)blk;
        out->meta_values = out->meta_keys + n;
        sp = blk + 2 * n * sizeof(char *);
        for (i = 0; i < n; i++) {
            const synadb__jv *kv = &md->kid[i];
            out->meta_keys[i] = sp; memcpy(sp, kv->key, kv->klen); sp[kv->klen] = 0; sp += kv->klen + 1;
            out->meta_values[i] = sp; memcpy(sp, kv->s, kv->n); sp[kv->n] = 0; sp += kv->n + 1;
        }
    }
    out->n_meta = n;
    out->version = (uint32_t)ver;
    out->created_at = cat;
    out->size_bytes = size;
    out->stage = synadb_stage_parse(st->s);
    out->chunk_size = (uint32_t)cs;
    out->chunk_count = (uint32_t)cc;
    memcpy(out->checksum, ck->s, 64);
    out->checksum[64] = 0;
    synadb__jdoc_free(&d);
    return SYNADB_OK;
}
/* Reads version v's record (KEY_NOT_FOUND if absent). key/base/cap from rg_key_init. */
SYNADB_PRIVATE synadb_result synadb__rg_read_meta(synadb_registry *reg, const char *name, char *key, size_t base, size_t cap, uint32_t v, synadb_model_version *out) {
    char *text = NULL;
    size_t tl = 0, kl = synadb__rg_sfx(key, base, cap, "v/%u/meta", v);
    synadb_result r = synadb_get_text(reg->db, key, kl, &text, &tl);
    if (r == SYNADB_ERR_KEY_NOT_FOUND) return synadb__rgerr(reg, r, "model \"%.200s\" has no version %u", name, v);
    if (r) return synadb__rgdb(reg, r, "reading a model version");
    r = synadb__rg_parse_meta(reg, text, tl, out);
    synadb_free(reg->db, text);
    if (!r && (out->version != v || strcmp(out->name, name))) {
        synadb_registry_version_free(out);
        r = synadb__rgerr(reg, SYNADB_ERR_CORRUPT, "model record of version %u names another version", v);
    }
    return r;
}
/* Version 0 -> the latest live one. */
SYNADB_PRIVATE synadb_result synadb__rg_resolve0(synadb_registry *reg, const char *name, char *key, size_t base, size_t cap, uint32_t *v) {
    uint32_t counter, latest;
    synadb_result r;
    if (*v) return SYNADB_OK;
    r = synadb__rg_head(reg, key, base, cap, &counter, &latest);
    if (r) return r;
    if (!latest) return synadb__rgerr(reg, SYNADB_ERR_KEY_NOT_FOUND, "model \"%.200s\" has no versions", name);
    *v = latest;
    return SYNADB_OK;
}
/* Writes a version's record (as part of a batch: the caller passes op storage). */
SYNADB_PRIVATE synadb_result synadb__rg_meta_text(const synadb_model_version *v, synadb__json *j) {
    memset(j, 0, sizeof *j);
    synadb__rg_info_json(j, v, 1);
    return j->oom ? SYNADB_ERR_NO_MEMORY : SYNADB_OK;
}

/* ---- open / close ---- */
SYNADB_PRIVATE synadb_result synadb__rg_new(synadb_db *db, int owns, const synadb_registry_config *cfg, synadb_registry **out) {
    synadb_registry *reg;
    uint32_t cs = cfg && cfg->chunk_size ? cfg->chunk_size : SYNADB__RG_DEFAULT_CHUNK;
    if (cs < 4096 || cs > (1u << 30)) return SYNADB_ERR_INVALID_ARG;
    reg = (synadb_registry *)SYNADB_MALLOC(sizeof *reg);
    if (!reg) return SYNADB_ERR_NO_MEMORY;
    memset(reg, 0, sizeof *reg);
    reg->db = db;
    reg->owns = owns;
    reg->chunk_size = cs;
    reg->archive_on_promote = cfg ? cfg->archive_on_promote != 0 : 0;
    reg->no_sync = cfg ? cfg->no_sync != 0 : 0;
    synadb__mutex_init(&reg->mu);
    synadb__mutex_init(&reg->emu);
    *out = reg;
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_registry_attach(synadb_db *db, const synadb_registry_config *cfg, synadb_registry **out) {
    if (!out) return SYNADB_ERR_INVALID_ARG;
    *out = NULL;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    return synadb__rg_new(db, 0, cfg, out);
}
SYNADB_ML_API synadb_result synadb_registry_open(const char *path, const synadb_registry_config *cfg, synadb_registry **out) {
    synadb_db *db = NULL;
    synadb_result r;
    if (!out) return SYNADB_ERR_INVALID_ARG;
    *out = NULL;
    if (!path || !*path) return SYNADB_ERR_INVALID_ARG;
    if (cfg && cfg->chunk_size && (cfg->chunk_size < 4096 || cfg->chunk_size > (1u << 30))) return SYNADB_ERR_INVALID_ARG;
    r = synadb_open(path, cfg ? cfg->db_config : NULL, &db);
    if (r) return r;
    r = synadb__rg_new(db, 1, cfg, out);
    if (r) synadb_close(db);
    return r;
}
SYNADB_ML_API synadb_result synadb_registry_close(synadb_registry *reg) {
    synadb_result r = SYNADB_OK;
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (reg->owns) r = synadb_close(reg->db);
    while (reg->active) { synadb__rgactive *a = reg->active; reg->active = a->next; SYNADB_FREE(a); }
    synadb__mutex_destroy(&reg->mu);
    synadb__mutex_destroy(&reg->emu);
    SYNADB_FREE(reg);
    return r;
}
SYNADB_ML_API const char *synadb_registry_errmsg(synadb_registry *reg) { return reg ? reg->errmsg : "registry is NULL"; }
SYNADB_ML_API synadb_db *synadb_registry_db(synadb_registry *reg) { return reg ? reg->db : NULL; }
SYNADB_ML_API void synadb_registry_free(void *p) { if (p) SYNADB_FREE(p); }
SYNADB_PRIVATE synadb_result synadb__rg_sync(synadb_registry *reg) {
    synadb_result r;
    if (reg->no_sync) return SYNADB_OK;
    r = synadb_sync(reg->db);
    return r ? synadb__rgdb(reg, r, "flushing the model") : SYNADB_OK;
}

/* ---- save ---- */
SYNADB_PRIVATE void synadb__rg_active_drop(synadb_registry *reg, uint64_t hash, uint32_t version) {
    synadb__rgactive **pp;
    synadb__mutex_lock(&reg->mu);
    for (pp = &reg->active; *pp; pp = &(*pp)->next)
        if ((*pp)->hash == hash && (*pp)->version == version) { synadb__rgactive *a = *pp; *pp = a->next; SYNADB_FREE(a); break; }
    synadb__mutex_unlock(&reg->mu);
}
SYNADB_PRIVATE void synadb__rg_writer_free(synadb_model_writer *w) {
    SYNADB_FREE(w->name); SYNADB_FREE(w->key); SYNADB_FREE(w->buf); SYNADB_FREE(w->meta);
    SYNADB_FREE(w);
}
SYNADB_ML_API synadb_result synadb_registry_save_begin(synadb_registry *reg, const char *name,
                                                       const char *const *meta_keys, const char *const *meta_values, size_t n_meta,
                                                       synadb_model_writer **out) {
    synadb_model_writer *w;
    synadb__json mj;
    synadb__rgactive *act;
    uint32_t counter, latest;
    uint8_t hb[8];
    size_t kl;
    synadb_result r;
    if (!out) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "out is NULL");
    *out = NULL;
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    w = (synadb_model_writer *)SYNADB_MALLOC(sizeof *w);
    if (!w) return synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory");
    memset(w, 0, sizeof *w);
    w->reg = reg;
    r = synadb__rg_key_init(reg, name, &w->key, &w->base, &w->kcap);
    if (r) { synadb__rg_writer_free(w); return r; }
    memset(&mj, 0, sizeof mj);
    r = synadb__rg_meta_json(reg, meta_keys, meta_values, n_meta, &mj);
    if (r) { SYNADB_FREE(mj.p); synadb__rg_writer_free(w); return r; }
    w->meta = mj.p; w->meta_len = mj.n;
    w->name = (char *)SYNADB_MALLOC(strlen(name) + 1);
    act = (synadb__rgactive *)SYNADB_MALLOC(sizeof *act);
    if (!w->name || !act) { SYNADB_FREE(act); synadb__rg_writer_free(w); return synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory"); }
    memcpy(w->name, name, strlen(name) + 1);
    w->hash = synadb__rg_hash(name);
    synadb_sha256_init(&w->sha);
    /* reserve the version number: the head's counter moves before any chunk is written,
       so the number is never handed out twice, even after a crash */
    synadb__mutex_lock(&reg->mu);
    r = synadb__rg_head(reg, w->key, w->base, w->kcap, &counter, &latest);
    if (!r && counter == UINT32_MAX) r = synadb__rgerr(reg, SYNADB_ERR_TOO_LARGE, "model \"%.200s\" has used every version number", name);
    if (!r) {
        synadb__rg_head_enc(hb, counter + 1, latest);
        kl = synadb__rg_sfx(w->key, w->base, w->kcap, "head");
        r = synadb_put_bytes(reg->db, w->key, kl, hb, 8);
        if (r) r = synadb__rgdb(reg, r, "reserving a model version");
    }
    if (!r) {
        w->version = counter + 1;
        act->hash = w->hash; act->version = w->version; act->next = reg->active; reg->active = act; act = NULL;
    }
    synadb__mutex_unlock(&reg->mu);
    SYNADB_FREE(act);
    if (r) { synadb__rg_writer_free(w); return r; }
    *out = w;
    return SYNADB_OK;
}
SYNADB_PRIVATE synadb_result synadb__rg_put_chunk(synadb_model_writer *w, const uint8_t *p, size_t n) {
    synadb_registry *reg = w->reg;
    size_t kl;
    synadb_result r;
    if (w->chunks == UINT32_MAX) return synadb__rgerr(reg, SYNADB_ERR_TOO_LARGE, "model has too many chunks");
    synadb_sha256_update(&w->sha, p, n);
    kl = synadb__rg_sfx(w->key, w->base, w->kcap, "v/%u/c/%u", w->version, w->chunks);
    r = synadb_put_bytes(reg->db, w->key, kl, p, n);
    if (r) return synadb__rgdb(reg, r, "writing a model chunk");
    w->chunks++;
    w->size += n;
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_registry_save_write(synadb_model_writer *w, const void *data, size_t len) {
    const uint8_t *p = (const uint8_t *)data;
    size_t cs;
    synadb_result r = SYNADB_OK;
    if (!w) return SYNADB_ERR_INVALID_ARG;
    if (w->failed) return w->failed;
    if (!len) return SYNADB_OK;
    if (!data) return synadb__rgerr(w->reg, SYNADB_ERR_INVALID_ARG, "data is NULL");
    cs = w->reg->chunk_size;
    while (len && !r) {
        if (!w->bn && len >= cs) {   /* whole chunks straight from the caller's memory */
            r = synadb__rg_put_chunk(w, p, cs);
            p += cs; len -= cs;
            continue;
        }
        if (!w->buf) {
            w->buf = (uint8_t *)SYNADB_MALLOC(cs);
            if (!w->buf) { r = synadb__rgerr(w->reg, SYNADB_ERR_NO_MEMORY, "out of memory"); break; }
        }
        {
            size_t take = cs - w->bn < len ? cs - w->bn : len;
            memcpy(w->buf + w->bn, p, take);
            w->bn += take; p += take; len -= take;
            if (w->bn == cs) { r = synadb__rg_put_chunk(w, w->buf, cs); w->bn = 0; }
        }
    }
    if (r) w->failed = r;
    return r;
}
/* Deletes chunks 0..n-1 of version v (one batch). */
SYNADB_PRIVATE synadb_result synadb__rg_del_chunks(synadb_registry *reg, char *key, size_t base, size_t cap, uint32_t v, uint32_t n) {
    uint32_t i;
    synadb_result r = SYNADB_OK;
    for (i = 0; i < n && !r; i++) {
        size_t kl = synadb__rg_sfx(key, base, cap, "v/%u/c/%u", v, i);
        r = synadb_delete(reg->db, key, kl);
        if (r == SYNADB_ERR_KEY_NOT_FOUND) r = SYNADB_OK;
    }
    return r;
}
SYNADB_ML_API void synadb_registry_save_abort(synadb_model_writer *w) {
    if (!w) return;
    (void)synadb__rg_del_chunks(w->reg, w->key, w->base, w->kcap, w->version, w->chunks);
    synadb__rg_active_drop(w->reg, w->hash, w->version);
    synadb__rg_writer_free(w);
}
SYNADB_ML_API synadb_result synadb_registry_save_commit(synadb_model_writer *w, uint32_t *out_version, char checksum_hex[65]) {
    synadb_registry *reg;
    synadb_result r;
    uint8_t dig[32], hb[8];
    char hex[65];
    synadb__json j;
    synadb_batch_op ops[2];
    uint32_t counter, latest;
    char *hkey = NULL;
    size_t mkl;
    if (!w) return SYNADB_ERR_INVALID_ARG;
    reg = w->reg;
    r = w->failed;
    if (!r && w->bn) { r = synadb__rg_put_chunk(w, w->buf, w->bn); w->bn = 0; }
    if (r) { synadb_registry_save_abort(w); return r; }
    synadb_sha256_final(&w->sha, dig);
    synadb_sha256_hex(dig, hex);
    memset(&j, 0, sizeof j);
    synadb__rg_version_json(&j, w->name, w->version, synadb__now_us() / 1000000u, hex, w->size, w->meta, w->meta_len,
                            SYNADB_STAGE_DEVELOPMENT, 1, reg->chunk_size, w->chunks);
    hkey = (char *)SYNADB_MALLOC(w->kcap);
    if (j.oom || !hkey) { SYNADB_FREE(j.p); SYNADB_FREE(hkey); synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory"); synadb_registry_save_abort(w); return SYNADB_ERR_NO_MEMORY; }
    memcpy(hkey, w->key, w->base);
    mkl = synadb__rg_sfx(w->key, w->base, w->kcap, "v/%u/meta", w->version);
    memset(ops, 0, sizeof ops);
    ops[0].key = w->key; ops[0].key_len = mkl; ops[0].op = SYNADB_OP_PUT;
    ops[0].value.type = SYNADB_TYPE_TEXT; ops[0].value.data = j.p; ops[0].value.len = j.n;
    ops[1].key = hkey; ops[1].key_len = synadb__rg_sfx(hkey, w->base, w->kcap, "head"); ops[1].op = SYNADB_OP_PUT;
    ops[1].value.type = SYNADB_TYPE_BYTES; ops[1].value.data = hb; ops[1].value.len = 8;
    /* the version's record and the head together (one atomic batch), after every chunk */
    synadb__mutex_lock(&reg->mu);
    r = synadb__rg_head(reg, hkey, w->base, w->kcap, &counter, &latest);
    if (!r) {
        if (counter < w->version) counter = w->version;
        if (latest < w->version) latest = w->version;
        synadb__rg_head_enc(hb, counter, latest);
        ops[1].key_len = synadb__rg_sfx(hkey, w->base, w->kcap, "head");
        r = synadb_write_batch(reg->db, ops, 2, NULL);
        if (r) r = synadb__rgdb(reg, r, "committing a model version");
    }
    synadb__mutex_unlock(&reg->mu);
    SYNADB_FREE(j.p);
    SYNADB_FREE(hkey);
    if (r) { synadb_registry_save_abort(w); return r; }
    r = synadb__rg_sync(reg);   /* committed: a failed flush is reported, the version stays */
    if (out_version) *out_version = w->version;
    if (checksum_hex) memcpy(checksum_hex, hex, 65);
    synadb__rg_active_drop(reg, w->hash, w->version);
    synadb__rg_writer_free(w);
    return r;
}
SYNADB_ML_API synadb_result synadb_registry_save(synadb_registry *reg, const char *name, const void *data, size_t len,
                                                 const char *const *meta_keys, const char *const *meta_values, size_t n_meta,
                                                 uint32_t *out_version, char checksum_hex[65]) {
    synadb_model_writer *w = NULL;
    synadb_result r;
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (!data && len) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "data is NULL");
    r = synadb_registry_save_begin(reg, name, meta_keys, meta_values, n_meta, &w);
    if (r) return r;
    r = synadb_registry_save_write(w, data, len);
    if (r) { synadb_registry_save_abort(w); return r; }
    return synadb_registry_save_commit(w, out_version, checksum_hex);
}

/* ---- load ---- */
/* Reads the version's chunks in order: into dst (when not NULL) or through fn with buf. */
SYNADB_PRIVATE synadb_result synadb__rg_read(synadb_registry *reg, const char *name, uint32_t version, uint8_t *dst, uint64_t cap,
                                             synadb_model_chunk_fn fn, void *user, uint64_t *out_size, synadb_model_version *info) {
    char *key = NULL;
    size_t base = 0, kcap = 0;
    synadb_model_version v;
    synadb_sha256_ctx sha;
    uint8_t dig[32], *tmp = NULL;
    char hex[65];
    uint64_t off = 0;
    uint32_t i;
    synadb_result r;
    if (info) memset(info, 0, sizeof *info);
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    r = synadb__rg_key_init(reg, name, &key, &base, &kcap);
    if (r) return r;
    r = synadb__rg_resolve0(reg, name, key, base, kcap, &version);
    if (!r) r = synadb__rg_read_meta(reg, name, key, base, kcap, version, &v);
    if (r) { SYNADB_FREE(key); return r; }
    if (out_size) *out_size = v.size_bytes;
    if (dst && v.size_bytes > cap) {
        r = synadb__rgerr(reg, SYNADB_ERR_BUFFER_TOO_SMALL, "model of %llu bytes, buffer of %llu", (unsigned long long)v.size_bytes, (unsigned long long)cap);
        goto done;
    }
    if (!dst && v.chunk_count) {
        tmp = (uint8_t *)SYNADB_MALLOC(v.chunk_size);
        if (!tmp) { r = synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory"); goto done; }
    }
    synadb_sha256_init(&sha);
    for (i = 0; i < v.chunk_count && !r; i++) {
        uint64_t want = v.size_bytes - off < v.chunk_size ? v.size_bytes - off : v.chunk_size;
        uint8_t *p = dst ? dst + off : tmp;
        size_t got = 0, kl = synadb__rg_sfx(key, base, kcap, "v/%u/c/%u", version, i);
        r = synadb_get_bytes_into(reg->db, key, kl, p, (size_t)want, &got);
        if (r == SYNADB_ERR_CHECKSUM) r = synadb__rgdb(reg, r, "reading a model chunk");
        else if (r == SYNADB_ERR_KEY_NOT_FOUND || r == SYNADB_ERR_BUFFER_TOO_SMALL || (!r && got != want)) {
            int gone = synadb_exists(reg->db, key, synadb__rg_sfx(key, base, kcap, "v/%u/meta", version)) == 0;
            r = gone ? synadb__rgerr(reg, SYNADB_ERR_KEY_NOT_FOUND, "model \"%.200s\" version %u was deleted while it was read", name, version)
                     : synadb__rgerr(reg, SYNADB_ERR_CORRUPT, "chunk %u of model \"%.200s\" version %u is missing or has the wrong size", i, name, version);
        } else if (r) r = synadb__rgdb(reg, r, "reading a model chunk");
        if (r) break;
        synadb_sha256_update(&sha, p, (size_t)want);
        if (fn) {
            int fr = fn(user, p, (size_t)want);
            if (fr) { r = fr; synadb__rgerr(reg, r, "the chunk callback stopped the load (%d)", fr); }
        }
        off += want;
    }
    if (!r) {
        synadb_sha256_final(&sha, dig);
        synadb_sha256_hex(dig, hex);
        if (memcmp(hex, v.checksum, 64))
            r = synadb__rgerr(reg, SYNADB_ERR_CHECKSUM, "model \"%.200s\" version %u: SHA-256 %.16s... differs from the recorded %.16s...", name, version, hex, v.checksum);
    }
    if (r && dst && v.size_bytes) memset(dst, 0, (size_t)v.size_bytes);   /* never unverified bytes */
done:
    SYNADB_FREE(tmp);
    SYNADB_FREE(key);
    if (!r && info) *info = v;
    else synadb_registry_version_free(&v);
    return r;
}
SYNADB_ML_API synadb_result synadb_registry_load_into(synadb_registry *reg, const char *name, uint32_t version,
                                                      void *buf, size_t cap, size_t *out_len, synadb_model_version *info) {
    uint64_t size = 0;
    synadb_result r;
    uint8_t one;
    if (info) memset(info, 0, sizeof *info);
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (!out_len || (!buf && cap)) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "buf or out_len is NULL");
    r = synadb__rg_read(reg, name, version, buf ? (uint8_t *)buf : &one, cap, NULL, NULL, &size, info);
    *out_len = (size_t)size;
    return r;
}
SYNADB_ML_API synadb_result synadb_registry_load_cb(synadb_registry *reg, const char *name, uint32_t version,
                                                    synadb_model_chunk_fn fn, void *user, synadb_model_version *info) {
    if (info) memset(info, 0, sizeof *info);
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (!fn) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "fn is NULL");
    return synadb__rg_read(reg, name, version, NULL, 0, fn, user, NULL, info);
}
SYNADB_ML_API synadb_result synadb_registry_load(synadb_registry *reg, const char *name, uint32_t version,
                                                 void **out, size_t *out_len, synadb_model_version *info) {
    synadb_model_version v;
    uint8_t *p;
    size_t got = 0;
    synadb_result r;
    if (info) memset(info, 0, sizeof *info);
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (!out || !out_len) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "out or out_len is NULL");
    *out = NULL; *out_len = 0;
    r = synadb_registry_get_version(reg, name, version, &v);
    if (r) return r;
    if ((uint64_t)(size_t)v.size_bytes != v.size_bytes || v.size_bytes == SIZE_MAX) { synadb_registry_version_free(&v); return synadb__rgerr(reg, SYNADB_ERR_TOO_LARGE, "model does not fit in memory"); }
    p = (uint8_t *)SYNADB_MALLOC((size_t)v.size_bytes + 1);
    if (!p) { synadb_registry_version_free(&v); return synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory (%llu bytes)", (unsigned long long)v.size_bytes); }
    /* the version is fixed now (a save in between must not change what "latest" means) */
    r = synadb_registry_load_into(reg, name, v.version, p, (size_t)v.size_bytes, &got, info);
    synadb_registry_version_free(&v);
    if (r) { SYNADB_FREE(p); return r; }
    *out = p; *out_len = got;
    return SYNADB_OK;
}

/* ---- files ---- */
typedef struct { synadb__fd fd; uint64_t off; int err; } synadb__rgfile;
SYNADB_PRIVATE int synadb__rg_file_cb(void *user, const void *data, size_t len) {
    synadb__rgfile *f = (synadb__rgfile *)user;
    f->err = synadb__pwrite(f->fd, data, len, f->off);
    if (f->err) return SYNADB_ERR_IO;
    f->off += len;
    return 0;
}
SYNADB_PRIVATE synadb_result synadb__rg_oserr(synadb_registry *reg, int e, const char *what, const char *path) {
    char b[128];
    return synadb__rgerr(reg, e == ENOENT ? SYNADB_ERR_NOT_FOUND : e == ENOSPC ? SYNADB_ERR_DISK_FULL : SYNADB_ERR_IO,
                         "%s %.300s: %s", what, path, synadb__strerror(e, b, sizeof b));
}
SYNADB_ML_API synadb_result synadb_registry_load_to_file(synadb_registry *reg, const char *name, uint32_t version,
                                                         const char *path, synadb_model_version *info) {
    synadb__rgfile f;
    char *tmp;
    size_t n;
    int e;
    synadb_result r;
    if (info) memset(info, 0, sizeof *info);
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (!path || !*path) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "path is NULL or empty");
    n = strlen(path);
    tmp = (char *)SYNADB_MALLOC(n + 16);
    if (!tmp) return synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory");
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".syna-partial", 14);
    memset(&f, 0, sizeof f);
    e = synadb__fopen(tmp, 2, &f.fd);
    if (e) { r = synadb__rg_oserr(reg, e, "creating", tmp); SYNADB_FREE(tmp); return r; }
    e = synadb__ftruncate(f.fd, 0);
    r = e ? synadb__rg_oserr(reg, e, "truncating", tmp) : synadb_registry_load_cb(reg, name, version, synadb__rg_file_cb, &f, info);
    if (r == SYNADB_ERR_IO && f.err) r = synadb__rg_oserr(reg, f.err, "writing", tmp);
    if (!r && !reg->no_sync && (e = synadb__fsync(f.fd)) != 0) r = synadb__rg_oserr(reg, e, "flushing", tmp);
    synadb__fclose(f.fd);
    if (!r && (e = synadb__rename(tmp, path)) != 0) r = synadb__rg_oserr(reg, e, "renaming to", path);
    if (!r && !reg->no_sync) (void)synadb__sync_dir(path);
    if (r) {
        (void)synadb__unlink(tmp);
        if (info) synadb_registry_version_free(info);
    }
    SYNADB_FREE(tmp);
    return r;
}
SYNADB_ML_API synadb_result synadb_registry_save_file(synadb_registry *reg, const char *name, const char *path,
                                                      const char *const *meta_keys, const char *const *meta_values, size_t n_meta,
                                                      uint32_t *out_version, char checksum_hex[65]) {
    synadb_model_writer *w = NULL;
    synadb__fd fd;
    uint64_t size = 0, off = 0;
    uint8_t *buf;
    int e;
    synadb_result r;
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (!path || !*path) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "path is NULL or empty");
    e = synadb__fopen(path, 0, &fd);
    if (e) return synadb__rg_oserr(reg, e, "opening", path);
    e = synadb__fsize(fd, &size);
    if (e) { synadb__fclose(fd); return synadb__rg_oserr(reg, e, "reading the size of", path); }
    buf = (uint8_t *)SYNADB_MALLOC(reg->chunk_size);
    if (!buf) { synadb__fclose(fd); return synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory"); }
    r = synadb_registry_save_begin(reg, name, meta_keys, meta_values, n_meta, &w);
    while (!r && off < size) {
        size_t k = size - off < reg->chunk_size ? (size_t)(size - off) : reg->chunk_size;
        e = synadb__pread(fd, buf, k, off);
        if (e) r = synadb__rg_oserr(reg, e, "reading", path);
        else r = synadb_registry_save_write(w, buf, k);
        off += k;
    }
    synadb__fclose(fd);
    SYNADB_FREE(buf);
    if (w) {
        if (r) synadb_registry_save_abort(w);
        else r = synadb_registry_save_commit(w, out_version, checksum_hex);
    }
    return r;
}

/* ---- versions ---- */
SYNADB_ML_API synadb_result synadb_registry_get_version(synadb_registry *reg, const char *name, uint32_t version, synadb_model_version *out) {
    char *key = NULL;
    size_t base = 0, cap = 0;
    synadb_result r;
    if (out) memset(out, 0, sizeof *out);
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (!out) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "out is NULL");
    r = synadb__rg_key_init(reg, name, &key, &base, &cap);
    if (!r) r = synadb__rg_resolve0(reg, name, key, base, cap, &version);
    if (!r) r = synadb__rg_read_meta(reg, name, key, base, cap, version, out);
    SYNADB_FREE(key);
    return r;
}
SYNADB_ML_API synadb_result synadb_registry_latest(synadb_registry *reg, const char *name, uint32_t *out_version) {
    char *key = NULL;
    size_t base = 0, cap = 0;
    uint32_t v = 0;
    synadb_result r;
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (!out_version) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "out_version is NULL");
    *out_version = 0;
    r = synadb__rg_key_init(reg, name, &key, &base, &cap);
    if (!r) r = synadb__rg_resolve0(reg, name, key, base, cap, &v);
    SYNADB_FREE(key);
    if (!r) *out_version = v;
    return r;
}
SYNADB_ML_API synadb_result synadb_registry_list_versions(synadb_registry *reg, const char *name, synadb_model_version **out, size_t *out_count) {
    char *key = NULL;
    size_t base = 0, cap = 0, n = 0, ncap = 0;
    uint32_t counter = 0, latest = 0, v;
    synadb_model_version *arr = NULL;
    synadb_result r;
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (!out || !out_count) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "out or out_count is NULL");
    *out = NULL; *out_count = 0;
    r = synadb__rg_key_init(reg, name, &key, &base, &cap);
    if (!r) r = synadb__rg_head(reg, key, base, cap, &counter, &latest);
    for (v = 1; !r && v <= latest; v++) {
        synadb_model_version mv;
        r = synadb__rg_read_meta(reg, name, key, base, cap, v, &mv);
        if (r == SYNADB_ERR_KEY_NOT_FOUND) { r = SYNADB_OK; continue; }
        if (r) break;
        if (n == ncap) {
            size_t nc = ncap ? ncap * 2 : 8;
            synadb_model_version *na = (synadb_model_version *)SYNADB_REALLOC(arr, nc * sizeof *arr);
            if (!na) { synadb_registry_version_free(&mv); r = synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory"); break; }
            arr = na; ncap = nc;
        }
        arr[n++] = mv;
    }
    SYNADB_FREE(key);
    if (r) { synadb_registry_versions_free(arr, n); return r; }
    *out = arr; *out_count = n;
    return SYNADB_OK;
}
SYNADB_ML_API void synadb_registry_names_free(char **names, size_t count) {
    size_t i;
    if (!names) return;
    for (i = 0; i < count; i++) SYNADB_FREE(names[i]);
    SYNADB_FREE(names);
}
SYNADB_ML_API synadb_result synadb_registry_list_models(synadb_registry *reg, char ***out, size_t *out_count) {
    synadb_keylist kl;
    size_t i, n = 0;
    char **names;
    synadb_result r;
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (!out || !out_count) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "out or out_count is NULL");
    *out = NULL; *out_count = 0;
    r = synadb_keys(reg->db, "model/*/head", SYNADB_NTS, &kl);
    if (r) return synadb__rgdb(reg, r, "listing models");
    names = (char **)SYNADB_MALLOC((kl.count ? kl.count : 1) * sizeof *names);
    if (!names) { synadb_keylist_free(reg->db, &kl); return synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory"); }
    for (i = 0; i < kl.count && !r; i++) {
        const char *k = kl.keys[i] + 6;
        size_t en = kl.lens[i] - 6 - 5;
        uint8_t hb[8];
        size_t got = 0;
        char *nm;
        if (kl.lens[i] < 12 || memchr(k, '/', en)) continue;   /* not model/<n>/head */
        if (synadb_get_bytes_into(reg->db, kl.keys[i], kl.lens[i], hb, 8, &got) || got != 8 || synadb__rd32(hb + 4) == 0) continue;
        nm = synadb__rg_unescape(k, en);
        if (!nm) continue;   /* not one of ours (or out of memory: left out) */
        names[n++] = nm;
    }
    synadb_keylist_free(reg->db, &kl);
    if (r) { synadb_registry_names_free(names, n); return r; }
    {   /* bytewise order of the names themselves (insertion sort: listing is for tools) */
        size_t a, b;
        for (a = 1; a < n; a++) {
            char *t = names[a];
            for (b = a; b > 0 && strcmp(names[b - 1], t) > 0; b--) names[b] = names[b - 1];
            names[b] = t;
        }
    }
    *out = names; *out_count = n;
    return SYNADB_OK;
}

/* ---- stages ---- */
SYNADB_ML_API synadb_result synadb_registry_transition(synadb_registry *reg, const char *name, uint32_t version, int stage, int archive_existing) {
    char *key = NULL;
    size_t base = 0, cap = 0, nops = 0, i;
    uint32_t counter = 0, latest = 0, v;
    synadb_batch_op *ops = NULL;
    synadb__json *texts = NULL;
    char **keys = NULL;
    synadb_result r;
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (stage < 0 || stage > 3) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "stage %d is not 0..3 (Development, Staging, Production, Archived)", stage);
    if (!version) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "version 0: name a version");
    r = synadb__rg_key_init(reg, name, &key, &base, &cap);
    if (r) return r;
    synadb__mutex_lock(&reg->mu);
    r = synadb__rg_head(reg, key, base, cap, &counter, &latest);
    if (!r && version > latest) r = synadb__rgerr(reg, SYNADB_ERR_KEY_NOT_FOUND, "model \"%.200s\" has no version %u", name, version);
    if (!r) {
        size_t most = archive_existing && stage == SYNADB_STAGE_PRODUCTION ? (size_t)latest + 1 : 1;
        ops = (synadb_batch_op *)SYNADB_MALLOC(most * sizeof *ops);
        texts = (synadb__json *)SYNADB_MALLOC(most * sizeof *texts);
        keys = (char **)SYNADB_MALLOC(most * sizeof *keys);
        if (!ops || !texts || !keys) r = synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory");
    }
    /* the target first (it must exist), then the other Production versions */
    for (i = 0; !r; i++) {
        synadb_model_version mv;
        if (i == 0) v = version;
        else if (archive_existing && stage == SYNADB_STAGE_PRODUCTION && i <= latest) v = (uint32_t)i;
        else break;
        if (i && v == version) continue;
        r = synadb__rg_read_meta(reg, name, key, base, cap, v, &mv);
        if (r == SYNADB_ERR_KEY_NOT_FOUND && i) { r = SYNADB_OK; continue; }
        if (r) break;
        if (i && mv.stage != SYNADB_STAGE_PRODUCTION) { synadb_registry_version_free(&mv); continue; }
        mv.stage = i ? SYNADB_STAGE_ARCHIVED : stage;
        r = synadb__rg_meta_text(&mv, &texts[nops]);
        keys[nops] = (char *)SYNADB_MALLOC(cap);
        if (r || !keys[nops]) {
            SYNADB_FREE(texts[nops].p); SYNADB_FREE(keys[nops]); synadb_registry_version_free(&mv);
            r = synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory");
            break;
        }
        memcpy(keys[nops], key, base);
        memset(&ops[nops], 0, sizeof ops[nops]);
        ops[nops].key = keys[nops];
        ops[nops].key_len = synadb__rg_sfx(keys[nops], base, cap, "v/%u/meta", v);
        ops[nops].op = SYNADB_OP_PUT;
        ops[nops].value.type = SYNADB_TYPE_TEXT;
        ops[nops].value.data = texts[nops].p;
        ops[nops].value.len = texts[nops].n;
        nops++;
        synadb_registry_version_free(&mv);
    }
    if (!r && nops) { r = synadb_write_batch(reg->db, ops, nops, NULL); if (r) r = synadb__rgdb(reg, r, "changing a model stage"); }
    synadb__mutex_unlock(&reg->mu);
    for (i = 0; i < nops; i++) { SYNADB_FREE(texts[i].p); SYNADB_FREE(keys[i]); }
    SYNADB_FREE(ops); SYNADB_FREE(texts); SYNADB_FREE(keys); SYNADB_FREE(key);
    if (!r) r = synadb__rg_sync(reg);
    return r;
}
SYNADB_ML_API synadb_result synadb_registry_set_stage(synadb_registry *reg, const char *name, uint32_t version, int stage) {
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    return synadb_registry_transition(reg, name, version, stage, reg->archive_on_promote);
}
SYNADB_ML_API synadb_result synadb_registry_get_production(synadb_registry *reg, const char *name, synadb_model_version *out) {
    char *key = NULL;
    size_t base = 0, cap = 0;
    uint32_t counter = 0, latest = 0, v;
    synadb_result r;
    if (out) memset(out, 0, sizeof *out);
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (!out) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "out is NULL");
    r = synadb__rg_key_init(reg, name, &key, &base, &cap);
    if (!r) r = synadb__rg_head(reg, key, base, cap, &counter, &latest);
    for (v = latest; !r && v >= 1; v--) {
        r = synadb__rg_read_meta(reg, name, key, base, cap, v, out);
        if (r == SYNADB_ERR_KEY_NOT_FOUND) { r = SYNADB_OK; continue; }
        if (r) break;
        if (out->stage == SYNADB_STAGE_PRODUCTION) { SYNADB_FREE(key); return SYNADB_OK; }
        synadb_registry_version_free(out);
    }
    SYNADB_FREE(key);
    if (!r) r = synadb__rgerr(reg, SYNADB_ERR_KEY_NOT_FOUND, "model \"%.200s\" has no version in Production", name);
    return r;
}

/* ---- aliases ---- */
SYNADB_PRIVATE synadb_result synadb__rg_check_alias(synadb_registry *reg, const char *alias) {
    size_t n, i;
    if (!alias) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "alias is NULL");
    n = strlen(alias);
    if (!n || n > 255) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "alias of %llu bytes (1..255)", (unsigned long long)n);
    for (i = 0; i < n; i++) {
        char c = alias[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "alias \"%.200s\": only letters, digits, '_' and '-'", alias);
    }
    if (!strcmp(alias, "latest") || !strcmp(alias, "production")) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "alias \"%s\" is reserved", alias);
    if ((alias[0] == 'v' || alias[0] == 'V') && n > 1 && strspn(alias + 1, "0123456789") == n - 1)
        return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "alias \"%.200s\" is reserved (v<digits> names a version)", alias);
    if (strspn(alias, "0123456789") == n) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "alias \"%.200s\" is reserved (digits name a version)", alias);
    return SYNADB_OK;
}
/* The aliases record parsed (d->root NULL if none). */
SYNADB_PRIVATE synadb_result synadb__rg_aliases(synadb_registry *reg, char *key, size_t base, size_t cap, synadb__jdoc *d) {
    char *text = NULL;
    size_t tl = 0, kl = synadb__rg_sfx(key, base, cap, "aliases");
    synadb_result r = synadb_get_text(reg->db, key, kl, &text, &tl);
    memset(d, 0, sizeof *d);
    if (r == SYNADB_ERR_KEY_NOT_FOUND) return SYNADB_OK;
    if (r) return synadb__rgdb(reg, r, "reading the model's aliases");
    if (synadb__jparse(text, tl, d) || d->root->type != SYNADB__JOBJ) {
        synadb_free(reg->db, text);
        synadb__jdoc_free(d);
        return synadb__rgerr(reg, SYNADB_ERR_CORRUPT, "the model's aliases record does not parse");
    }
    synadb_free(reg->db, text);
    return SYNADB_OK;
}
/* The aliases JSON without `skip_alias` and without aliases to version `skip_version`
   (0: none), plus (alias, version) when alias is not NULL. */
SYNADB_PRIVATE void synadb__rg_aliases_json(synadb__json *j, const synadb__jdoc *d, const char *skip_alias, uint32_t skip_version,
                                            const char *alias, uint32_t version, size_t *kept) {
    size_t i;
    *kept = 0;
    synadb__jlit(j, "{");
    for (i = 0; d->root && i < d->root->nkid; i++) {
        const synadb__jv *kv = &d->root->kid[i];
        if (skip_alias && kv->klen == strlen(skip_alias) && !memcmp(kv->key, skip_alias, kv->klen)) continue;
        if (skip_version && kv->type == SYNADB__JNUM && kv->is_int && kv->i == (int64_t)skip_version) continue;
        if (*kept) synadb__jlit(j, ",");
        synadb__jstr(j, kv->key, kv->klen);
        synadb__jlit(j, ":");
        synadb__jint(j, kv->i);
        ++*kept;
    }
    if (alias) {
        if (*kept) synadb__jlit(j, ",");
        synadb__jstr(j, alias, strlen(alias));
        synadb__jlit(j, ":");
        synadb__juint(j, version);
        ++*kept;
    }
    synadb__jlit(j, "}");
}
SYNADB_PRIVATE synadb_result synadb__rg_alias_update(synadb_registry *reg, const char *name, const char *alias, uint32_t version, int remove) {
    char *key = NULL;
    size_t base = 0, cap = 0, kept = 0, kl;
    synadb__jdoc d;
    synadb__json j;
    synadb_result r;
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    r = synadb__rg_check_alias(reg, alias);
    if (r) return r;
    r = synadb__rg_key_init(reg, name, &key, &base, &cap);
    if (r) return r;
    memset(&j, 0, sizeof j);
    synadb__mutex_lock(&reg->mu);
    if (!remove) {
        if (!version) r = synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "version 0: name a version");
        else if (synadb_exists(reg->db, key, synadb__rg_sfx(key, base, cap, "v/%u/meta", version)) != 1)
            r = synadb__rgerr(reg, SYNADB_ERR_KEY_NOT_FOUND, "model \"%.200s\" has no version %u", name, version);
    }
    if (!r) r = synadb__rg_aliases(reg, key, base, cap, &d);
    if (!r) {
        if (remove && !synadb__jget(d.root, alias)) r = synadb__rgerr(reg, SYNADB_ERR_KEY_NOT_FOUND, "model \"%.200s\" has no alias \"%s\"", name, alias);
        else {
            synadb__rg_aliases_json(&j, &d, alias, 0, remove ? NULL : alias, version, &kept);
            kl = synadb__rg_sfx(key, base, cap, "aliases");
            if (j.oom) r = synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory");
            else if (kept) r = synadb_put_text(reg->db, key, kl, j.p, j.n);
            else r = synadb_delete(reg->db, key, kl);
            if (r < 0 && r != SYNADB_ERR_NO_MEMORY) r = synadb__rgdb(reg, r, "writing the model's aliases");
        }
        synadb__jdoc_free(&d);
    }
    synadb__mutex_unlock(&reg->mu);
    SYNADB_FREE(j.p);
    SYNADB_FREE(key);
    if (!r) r = synadb__rg_sync(reg);
    return r;
}
SYNADB_ML_API synadb_result synadb_registry_set_alias(synadb_registry *reg, const char *name, const char *alias, uint32_t version) {
    return synadb__rg_alias_update(reg, name, alias, version, 0);
}
SYNADB_ML_API synadb_result synadb_registry_delete_alias(synadb_registry *reg, const char *name, const char *alias) {
    return synadb__rg_alias_update(reg, name, alias, 0, 1);
}
SYNADB_ML_API synadb_result synadb_registry_get_alias(synadb_registry *reg, const char *name, const char *alias, uint32_t *out_version) {
    char *key = NULL;
    size_t base = 0, cap = 0;
    synadb__jdoc d;
    const synadb__jv *v;
    synadb_result r;
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (!out_version) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "out_version is NULL");
    *out_version = 0;
    if (!alias) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "alias is NULL");
    r = synadb__rg_key_init(reg, name, &key, &base, &cap);
    if (!r) r = synadb__rg_aliases(reg, key, base, cap, &d);
    SYNADB_FREE(key);
    if (r) return r;
    v = synadb__jget(d.root, alias);
    if (v && v->type == SYNADB__JNUM && v->is_int && v->i > 0 && v->i <= (int64_t)UINT32_MAX) *out_version = (uint32_t)v->i;
    else r = synadb__rgerr(reg, SYNADB_ERR_KEY_NOT_FOUND, "model \"%.200s\" has no alias \"%.200s\"", name, alias);
    synadb__jdoc_free(&d);
    return r;
}
SYNADB_ML_API synadb_result synadb_registry_resolve(synadb_registry *reg, const char *name, const char *ref, uint32_t *out_version) {
    const char *p;
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (!ref || !out_version) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "ref or out_version is NULL");
    *out_version = 0;
    if (!strcmp(ref, "latest")) return synadb_registry_latest(reg, name, out_version);
    if (!strcmp(ref, "production")) {
        synadb_model_version v;
        synadb_result r = synadb_registry_get_production(reg, name, &v);
        if (!r) { *out_version = v.version; synadb_registry_version_free(&v); }
        return r;
    }
    p = (ref[0] == 'v' || ref[0] == 'V') ? ref + 1 : ref;
    if (*p && strspn(p, "0123456789") == strlen(p)) {
        synadb_model_version v;
        uint64_t n = 0;
        synadb_result r;
        for (; *p; p++) { n = n * 10 + (uint64_t)(*p - '0'); if (n > UINT32_MAX) break; }
        if (*p || n == 0) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "version \"%.40s\" is not 1..4294967295", ref);
        r = synadb_registry_get_version(reg, name, (uint32_t)n, &v);
        if (!r) { *out_version = v.version; synadb_registry_version_free(&v); }
        return r;
    }
    return synadb_registry_get_alias(reg, name, ref[0] == '@' ? ref + 1 : ref, out_version);
}

SYNADB_ML_API synadb_result synadb_registry_load_ref(synadb_registry *reg, const char *name, const char *ref,
                                                     void **out, size_t *out_len, synadb_model_version *info) {
    uint32_t v = 0;
    synadb_result r;
    if (info) memset(info, 0, sizeof *info);
    if (out) *out = NULL;
    if (out_len) *out_len = 0;
    r = synadb_registry_resolve(reg, name, ref, &v);
    return r ? r : synadb_registry_load(reg, name, v, out, out_len, info);
}

/* ---- delete ---- */
SYNADB_ML_API synadb_result synadb_registry_delete_version(synadb_registry *reg, const char *name, uint32_t version) {
    char *key = NULL, *k2 = NULL;
    size_t base = 0, cap = 0, nops = 0, kept = 0, i;
    uint32_t counter = 0, latest = 0, u, newlatest;
    synadb_model_version mv;
    synadb_batch_op *ops = NULL;
    char *kb = NULL;
    uint8_t hb[8];
    synadb__jdoc d;
    synadb__json aj;
    synadb_result r;
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    if (!version) return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "version 0: name a version");
    r = synadb__rg_key_init(reg, name, &key, &base, &cap);
    if (r) return r;
    memset(&aj, 0, sizeof aj);
    memset(&d, 0, sizeof d);
    synadb__mutex_lock(&reg->mu);
    r = synadb__rg_head(reg, key, base, cap, &counter, &latest);
    if (!r) r = synadb__rg_read_meta(reg, name, key, base, cap, version, &mv);
    if (r) goto out;
    /* one batch: the record, the chunks, the head, the aliases */
    ops = (synadb_batch_op *)SYNADB_MALLOC(((size_t)mv.chunk_count + 3) * sizeof *ops);
    kb = (char *)SYNADB_MALLOC(((size_t)mv.chunk_count + 3) * cap);
    if (!ops || !kb) { synadb_registry_version_free(&mv); r = synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
    memset(ops, 0, ((size_t)mv.chunk_count + 3) * sizeof *ops);
    for (i = 0; i < (size_t)mv.chunk_count + 1; i++) {
        k2 = kb + i * cap;
        memcpy(k2, key, base);
        ops[nops].key = k2;
        ops[nops].key_len = i == 0 ? synadb__rg_sfx(k2, base, cap, "v/%u/meta", version) : synadb__rg_sfx(k2, base, cap, "v/%u/c/%u", version, (uint32_t)(i - 1));
        ops[nops].op = SYNADB_OP_DELETE;
        nops++;
    }
    synadb_registry_version_free(&mv);
    newlatest = latest;
    if (version == latest)
        for (newlatest = 0, u = version - 1; u >= 1; u--)
            if (synadb_exists(reg->db, key, synadb__rg_sfx(key, base, cap, "v/%u/meta", u)) == 1) { newlatest = u; break; }
    k2 = kb + nops * cap;
    memcpy(k2, key, base);
    synadb__rg_head_enc(hb, counter, newlatest);
    ops[nops].key = k2; ops[nops].key_len = synadb__rg_sfx(k2, base, cap, "head"); ops[nops].op = SYNADB_OP_PUT;
    ops[nops].value.type = SYNADB_TYPE_BYTES; ops[nops].value.data = hb; ops[nops].value.len = 8;
    nops++;
    r = synadb__rg_aliases(reg, key, base, cap, &d);
    if (r) goto out;
    if (d.root) {
        synadb__rg_aliases_json(&aj, &d, NULL, version, NULL, 0, &kept);
        if (aj.oom) { r = synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory"); goto out; }
        if (kept != d.root->nkid) {
            k2 = kb + nops * cap;
            memcpy(k2, key, base);
            ops[nops].key = k2; ops[nops].key_len = synadb__rg_sfx(k2, base, cap, "aliases");
            if (kept) { ops[nops].op = SYNADB_OP_PUT; ops[nops].value.type = SYNADB_TYPE_TEXT; ops[nops].value.data = aj.p; ops[nops].value.len = aj.n; }
            else ops[nops].op = SYNADB_OP_DELETE;
            nops++;
        }
    }
    r = synadb_write_batch(reg->db, ops, nops, NULL);
    if (r) r = synadb__rgdb(reg, r, "deleting a model version");
out:
    synadb__mutex_unlock(&reg->mu);
    synadb__jdoc_free(&d);
    SYNADB_FREE(aj.p); SYNADB_FREE(ops); SYNADB_FREE(kb); SYNADB_FREE(key);
    if (!r) r = synadb__rg_sync(reg);
    return r;
}
SYNADB_ML_API synadb_result synadb_registry_delete_model(synadb_registry *reg, const char *name) {
    char *key = NULL, *glob = NULL;
    size_t base = 0, cap = 0, i, nops = 0;
    uint32_t counter = 0, latest = 0;
    synadb_keylist kl;
    synadb_batch_op *ops = NULL;
    uint8_t hb[8];
    synadb_result r;
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    r = synadb__rg_key_init(reg, name, &key, &base, &cap);
    if (r) return r;
    glob = (char *)SYNADB_MALLOC(cap);
    if (!glob) { SYNADB_FREE(key); return synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory"); }
    memcpy(glob, key, base);
    synadb__rg_sfx(glob, base, cap, "v/*");   /* the escaped name holds no glob character */
    memset(&kl, 0, sizeof kl);
    synadb__mutex_lock(&reg->mu);
    r = synadb__rg_head(reg, key, base, cap, &counter, &latest);
    if (!r) { r = synadb_keys(reg->db, glob, SYNADB_NTS, &kl); if (r) r = synadb__rgdb(reg, r, "listing the model's keys"); }
    if (!r && !latest && !kl.count) r = synadb__rgerr(reg, SYNADB_ERR_KEY_NOT_FOUND, "no model \"%.200s\"", name);
    if (!r) {
        ops = (synadb_batch_op *)SYNADB_MALLOC((kl.count + 2) * sizeof *ops);
        if (!ops) r = synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory");
    }
    if (!r) {
        char *ak = (char *)SYNADB_MALLOC(cap);
        synadb__rgactive *a;
        memset(ops, 0, (kl.count + 2) * sizeof *ops);
        for (i = 0; i < kl.count; i++) {
            /* chunks of a save still being written in this process stay (it commits later) */
            uint32_t v = (uint32_t)strtoul(kl.keys[i] + base + 2, NULL, 10);
            int busy = 0;
            for (a = reg->active; a; a = a->next) if (a->hash == synadb__rg_hash(name) && a->version == v) busy = 1;
            if (busy) continue;
            ops[nops].key = kl.keys[i]; ops[nops].key_len = kl.lens[i]; ops[nops].op = SYNADB_OP_DELETE; nops++;
        }
        if (!ak) r = synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory");
        else {
            memcpy(ak, key, base);
            synadb__rg_head_enc(hb, counter, 0);
            ops[nops].key = key; ops[nops].key_len = synadb__rg_sfx(key, base, cap, "head"); ops[nops].op = SYNADB_OP_PUT;
            ops[nops].value.type = SYNADB_TYPE_BYTES; ops[nops].value.data = hb; ops[nops].value.len = 8;
            nops++;
            if (synadb_exists(reg->db, ak, synadb__rg_sfx(ak, base, cap, "aliases")) == 1) {
                ops[nops].key = ak; ops[nops].key_len = base + 7; ops[nops].op = SYNADB_OP_DELETE; nops++;
            }
            r = synadb_write_batch(reg->db, ops, nops, NULL);
            if (r) r = synadb__rgdb(reg, r, "deleting a model");
            SYNADB_FREE(ak);
        }
    }
    synadb__mutex_unlock(&reg->mu);
    synadb_keylist_free(reg->db, &kl);
    SYNADB_FREE(ops); SYNADB_FREE(glob); SYNADB_FREE(key);
    if (!r) r = synadb__rg_sync(reg);
    return r;
}
SYNADB_ML_API synadb_result synadb_registry_cleanup(synadb_registry *reg, const char *name, size_t *out_removed) {
    char *key = NULL;
    size_t base = 0, cap = 0, removed = 0;
    uint32_t counter = 0, latest = 0, v, c;
    uint64_t h;
    synadb_result r;
    if (out_removed) *out_removed = 0;
    if (!reg) return SYNADB_ERR_INVALID_ARG;
    r = synadb__rg_key_init(reg, name, &key, &base, &cap);
    if (r) return r;
    h = synadb__rg_hash(name);
    synadb__mutex_lock(&reg->mu);
    r = synadb__rg_head(reg, key, base, cap, &counter, &latest);
    for (v = 1; !r && v <= counter; v++) {
        synadb__rgactive *a;
        int busy = 0;
        for (a = reg->active; a; a = a->next) if (a->hash == h && a->version == v) busy = 1;
        if (busy || synadb_exists(reg->db, key, synadb__rg_sfx(key, base, cap, "v/%u/meta", v)) == 1) continue;
        for (c = 0; !r; c++) {
            size_t kl = synadb__rg_sfx(key, base, cap, "v/%u/c/%u", v, c);
            if (synadb_exists(reg->db, key, kl) != 1) break;
            r = synadb_delete(reg->db, key, kl);
            if (r) r = synadb__rgdb(reg, r, "deleting a leftover chunk");
            else removed++;
        }
    }
    synadb__mutex_unlock(&reg->mu);
    SYNADB_FREE(key);
    if (out_removed) *out_removed = removed;
    if (!r && removed) r = synadb__rg_sync(reg);
    return r;
}

/* ---- the original's exports ---- */
#ifndef SYNADB_NO_COMPAT_ABI
SYNADB_PRIVATE void synadb__rg_close_obj(void *obj) { (void)synadb_registry_close((synadb_registry *)obj); }
SYNADB_PRIVATE int32_t synadb__rg_abi(synadb_result r) { return r == SYNADB_OK ? 1 : (int32_t)r; }
/* Takes the registry open at path: e and reg, or returns the code. */
#define SYNADB__RG_ACQUIRE(path) \
    int32_t rc_ = 1; \
    synadb__mlreg *e_ = synadb__ml_acquire((path), SYNADB__MLK_REGISTRY, &rc_); \
    synadb_registry *reg; \
    if (!e_) return rc_; \
    reg = (synadb_registry *)e_->obj
SYNADB_ML_API int32_t syna_model_registry_open(const char *path) {
    synadb_registry_config cfg;
    synadb_registry *reg = NULL;
    synadb_result r;
    int32_t rc;
    int used = 0;
    if (!path || !*path) return SYNA_ERR_INVALID_PATH;
    {   /* already open here: keep it (its database is locked by that handle) */
        synadb__mlreg *e = synadb__ml_acquire(path, SYNADB__MLK_REGISTRY, &rc);
        if (e) { synadb__ml_release(e); return 1; }
    }
    memset(&cfg, 0, sizeof cfg);
    r = synadb_registry_open(path, &cfg, &reg);
    if (r) return (int32_t)r;
    rc = synadb__ml_register(path, SYNADB__MLK_REGISTRY, reg, synadb__rg_close_obj, &used);
    if (!used) synadb_registry_close(reg);
    return rc;
}
SYNADB_ML_API int32_t syna_model_registry_close(const char *path) {
    return synadb__ml_unregister(path, SYNADB__MLK_REGISTRY);
}
/* metadata_json (a JSON object of strings, or NULL) as key/value arrays into d. */
SYNADB_PRIVATE synadb_result synadb__rg_meta_from_json(synadb_registry *reg, const char *json, synadb__jdoc *d, const char ***keys, const char ***vals, size_t *n) {
    size_t i;
    *keys = *vals = NULL; *n = 0;
    memset(d, 0, sizeof *d);
    if (!json) return SYNADB_OK;
    {
        int pr = synadb__jparse(json, strlen(json), d);
        if (pr == -2) return synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "metadata_json: %s", d->err);
        if (pr) return synadb__rgerr(reg, SYNADB_ERR_SYNTAX, "metadata_json: %s", d->err);
    }
    if (d->root->type != SYNADB__JOBJ) { synadb__jdoc_free(d); return synadb__rgerr(reg, SYNADB_ERR_SYNTAX, "metadata_json: expected an object at byte 0"); }
    for (i = 0; i < d->root->nkid; i++)
        if (d->root->kid[i].type != SYNADB__JSTR) {
            synadb_result r = synadb__rgerr(reg, SYNADB_ERR_TYPE_MISMATCH, "metadata_json: the value of \"%.100s\" is not a string", d->root->kid[i].key);
            synadb__jdoc_free(d);
            return r;
        }
    *n = d->root->nkid;
    if (!*n) return SYNADB_OK;
    *keys = (const char **)SYNADB_MALLOC(2 * *n * sizeof **keys);
    if (!*keys) { synadb__jdoc_free(d); *n = 0; return synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory"); }
    *vals = *keys + *n;
    for (i = 0; i < *n; i++) {
        const synadb__jv *kv = &d->root->kid[i];
        if (memchr(kv->key, 0, kv->klen) || memchr(kv->s, 0, kv->n)) {
            SYNADB_FREE(*keys); *keys = *vals = NULL; *n = 0; synadb__jdoc_free(d);
            return synadb__rgerr(reg, SYNADB_ERR_INVALID_ARG, "metadata_json: a key or value holds a NUL character");
        }
        (*keys)[i] = kv->key;   /* member names are NUL-terminated in the arena as well */
        (*vals)[i] = kv->s;
    }
    return SYNADB_OK;
}
SYNADB_ML_API int64_t syna_model_save(const char *path, const char *name, const uint8_t *data, size_t data_len, const char *metadata_json,
                                      uint32_t *out_version, char **out_checksum, size_t *out_checksum_len) {
    synadb__jdoc d;
    const char **keys = NULL, **vals = NULL;
    size_t n = 0;
    uint32_t ver = 0;
    char hex[65];
    synadb_result r;
    SYNADB__RG_ACQUIRE(path);
    if (!name || (!data && data_len) || !out_version || !out_checksum || !out_checksum_len) {
        synadb__ml_release(e_);
        return SYNA_ERR_INVALID_PATH;
    }
    *out_checksum = NULL; *out_checksum_len = 0; *out_version = 0;
    r = synadb__rg_meta_from_json(reg, metadata_json, &d, &keys, &vals, &n);
    if (!r) r = synadb_registry_save(reg, name, data, data_len, keys, vals, n, &ver, hex);
    SYNADB_FREE((void *)keys);
    synadb__jdoc_free(&d);
    if (!r) {
        char *c = (char *)SYNADB_MALLOC(65);
        if (!c) r = synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory");
        else { memcpy(c, hex, 65); *out_checksum = c; *out_checksum_len = 64; *out_version = ver; }
    }
    synadb__ml_release(e_);
    return synadb__rg_abi(r);
}
/* A version's ModelVersion JSON, SYNADB_MALLOC'd (NUL-terminated). */
SYNADB_PRIVATE synadb_result synadb__rg_abi_json(synadb_registry *reg, const synadb_model_version *v, char **out, size_t *out_len) {
    synadb__json j;
    memset(&j, 0, sizeof j);
    synadb__rg_info_json(&j, v, 0);
    if (j.oom) { SYNADB_FREE(j.p); return synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory"); }
    *out = j.p; *out_len = j.n;
    return SYNADB_OK;
}
SYNADB_ML_API int32_t syna_model_load(const char *path, const char *name, uint32_t version, uint8_t **out_data, size_t *out_data_len,
                                      char **out_meta_json, size_t *out_meta_len) {
    synadb_model_version v;
    void *p = NULL;
    size_t len = 0;
    synadb_result r;
    SYNADB__RG_ACQUIRE(path);
    if (!name || !out_data || !out_data_len || !out_meta_json != !out_meta_len) { synadb__ml_release(e_); return SYNA_ERR_INVALID_PATH; }
    *out_data = NULL; *out_data_len = 0;
    if (out_meta_json) { *out_meta_json = NULL; *out_meta_len = 0; }
    r = synadb_registry_load(reg, name, version, &p, &len, &v);
    if (!r && out_meta_json) {
        r = synadb__rg_abi_json(reg, &v, out_meta_json, out_meta_len);
        if (r) { SYNADB_FREE(p); p = NULL; }
    }
    if (!r) { *out_data = (uint8_t *)p; *out_data_len = len; synadb_registry_version_free(&v); }
    synadb__ml_release(e_);
    return synadb__rg_abi(r);
}
SYNADB_ML_API int32_t syna_model_list(const char *path, const char *name, char **out_json, size_t *out_len) {
    synadb_model_version *vs = NULL;
    size_t n = 0, i;
    synadb__json j;
    synadb_result r;
    SYNADB__RG_ACQUIRE(path);
    if (!name || !out_json || !out_len) { synadb__ml_release(e_); return SYNA_ERR_INVALID_PATH; }
    *out_json = NULL; *out_len = 0;
    r = synadb_registry_list_versions(reg, name, &vs, &n);
    if (!r && n > INT32_MAX) r = synadb__rgerr(reg, SYNADB_ERR_TOO_LARGE, "too many versions for an int32 count");
    if (!r) {
        memset(&j, 0, sizeof j);
        synadb__jlit(&j, "[");
        for (i = 0; i < n; i++) { if (i) synadb__jlit(&j, ","); synadb__rg_info_json(&j, &vs[i], 0); }
        synadb__jlit(&j, "]");
        if (j.oom) { SYNADB_FREE(j.p); r = synadb__rgerr(reg, SYNADB_ERR_NO_MEMORY, "out of memory"); }
        else { *out_json = j.p; *out_len = j.n; }
    }
    synadb_registry_versions_free(vs, n);
    synadb__ml_release(e_);
    return r ? (int32_t)r : (int32_t)n;
}
SYNADB_ML_API int32_t syna_model_set_stage(const char *path, const char *name, uint32_t version, int32_t stage) {
    synadb_result r;
    SYNADB__RG_ACQUIRE(path);
    r = name ? synadb_registry_set_stage(reg, name, version, (int)stage) : SYNADB_ERR_INVALID_ARG;
    synadb__ml_release(e_);
    return synadb__rg_abi(r);
}
SYNADB_ML_API int32_t syna_model_delete(const char *path, const char *name, uint32_t version) {
    synadb_result r;
    SYNADB__RG_ACQUIRE(path);
    r = name ? synadb_registry_delete_version(reg, name, version) : SYNADB_ERR_INVALID_ARG;
    synadb__ml_release(e_);
    return synadb__rg_abi(r);
}
SYNADB_ML_API int32_t syna_model_delete_model(const char *path, const char *name) {
    synadb_result r;
    SYNADB__RG_ACQUIRE(path);
    r = name ? synadb_registry_delete_model(reg, name) : SYNADB_ERR_INVALID_ARG;
    synadb__ml_release(e_);
    return synadb__rg_abi(r);
}
SYNADB_ML_API int32_t syna_model_set_alias(const char *path, const char *name, const char *alias, uint32_t version) {
    synadb_result r;
    SYNADB__RG_ACQUIRE(path);
    if (!name || !alias) r = SYNADB_ERR_INVALID_ARG;
    else r = version ? synadb_registry_set_alias(reg, name, alias, version) : synadb_registry_delete_alias(reg, name, alias);
    synadb__ml_release(e_);
    return synadb__rg_abi(r);
}
SYNADB_ML_API int32_t syna_model_get_alias(const char *path, const char *name, const char *alias, uint32_t *out_version) {
    synadb_result r;
    SYNADB__RG_ACQUIRE(path);
    r = name && alias && out_version ? synadb_registry_get_alias(reg, name, alias, out_version) : SYNADB_ERR_INVALID_ARG;
    synadb__ml_release(e_);
    return synadb__rg_abi(r);
}
SYNADB_ML_API int32_t syna_model_get_production(const char *path, const char *name, char **out_meta_json, size_t *out_meta_len) {
    synadb_model_version v;
    synadb_result r;
    SYNADB__RG_ACQUIRE(path);
    if (!name || !out_meta_json || !out_meta_len) { synadb__ml_release(e_); return SYNA_ERR_INVALID_PATH; }
    *out_meta_json = NULL; *out_meta_len = 0;
    r = synadb_registry_get_production(reg, name, &v);
    if (!r) { r = synadb__rg_abi_json(reg, &v, out_meta_json, out_meta_len); synadb_registry_version_free(&v); }
    synadb__ml_release(e_);
    return synadb__rg_abi(r);
}
SYNADB_ML_API int32_t syna_model_errmsg(const char *path, char *buf, size_t cap) {
    SYNADB__RG_ACQUIRE(path);
    if (!buf || !cap) { synadb__ml_release(e_); return SYNA_ERR_INVALID_PATH; }
    synadb__mutex_lock(&reg->emu);
    snprintf(buf, cap, "%s", reg->errmsg);
    synadb__mutex_unlock(&reg->emu);
    synadb__ml_release(e_);
    return 1;
}
#undef SYNADB__RG_ACQUIRE
#define SYNADB__X(ret, name, params, args, RET) SYNADB_ML_API ret SYNA_##name params { RET syna_##name args; }
SYNADB__ML_REGISTRY_ABI_FUNCS(SYNADB__X)
#undef SYNADB__X
#endif /* SYNADB_NO_COMPAT_ABI */

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
    synadb__arena a;
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
    out->experiment = synadb__arena_dup(&a, t->names.s[r->exp], t->names.len[r->exp]);
    ps = (synadb_exp_kv *)synadb__arena_alloc(&a, (r->np + 1) * sizeof *ps);
    ts = (synadb_exp_kv *)synadb__arena_alloc(&a, (r->nt + 1) * sizeof *ts);
    ms = (synadb_exp_metric_info *)synadb__arena_alloc(&a, (r->nm + 1) * sizeof *ms);
    as = (synadb_exp_artifact_info *)synadb__arena_alloc(&a, (r->na + 1) * sizeof *as);
    if (!out->experiment || !ps || !ts || !ms || !as) goto oom;
    for (i = 0; i < r->np; i++) {
        ps[i].key = synadb__arena_dup(&a, t->names.s[r->params[i].key], t->names.len[r->params[i].key]);
        ps[i].value = synadb__arena_dup(&a, t->vals.s[r->params[i].vid], t->vals.len[r->params[i].vid]);
        if (!ps[i].key || !ps[i].value) goto oom;
    }
    for (i = 0; i < r->nt; i++) {
        ts[i].key = synadb__arena_dup(&a, t->names.s[r->tags[i].key], t->names.len[r->tags[i].key]);
        ts[i].value = synadb__arena_dup(&a, t->vals.s[r->tags[i].vid], t->vals.len[r->tags[i].vid]);
        if (!ts[i].key || !ts[i].value) goto oom;
    }
    for (i = 0; i < r->nm; i++) {
        const synadb__et_met *m = &r->mets[i];
        ms[i].key = synadb__arena_dup(&a, t->names.s[m->name], t->names.len[m->name]);
        if (!ms[i].key) goto oom;
        ms[i].value = m->lval; ms[i].step = m->lstep; ms[i].timestamp_us = m->lts; ms[i].count = m->count;
        ms[i].min = m->nvalid ? m->min : nan;
        ms[i].max = m->nvalid ? m->max : nan;
        ms[i].mean = m->nvalid ? m->sum / (double)m->nvalid : nan;
    }
    for (i = 0; i < r->na; i++) {
        as[i].name = synadb__arena_dup(&a, t->names.s[r->arts[i].name], t->names.len[r->arts[i].name]);
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
    synadb__arena_free_blocks(a.blk);
    memset(out, 0, sizeof *out);
    return synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
}
SYNADB_ML_API void synadb_exp_run_free(synadb_exp_run *r) {
    if (!r) return;
    synadb__arena_free_blocks((char *)r->mem_);
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
    synadb__arena a;
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
    o = (char *)synadb__arena_alloc(&f->a, (size_t)(s - f->p) + 1);
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
            c.vals = (const char **)synadb__arena_alloc(&f->a, cap * sizeof *c.vals);
            c.vlens = (size_t *)synadb__arena_alloc(&f->a, cap * sizeof *c.vlens);
            if (!c.vals || !c.vlens) return synadb__et_fail(f, f->p, "out of memory");
            for (;;) {
                synadb__et_ws(f);
                if (f->p >= f->end || (*f->p != '\'' && *f->p != '"')) return synadb__et_fail(f, f->p, "expected a quoted string");
                if (c.nvals == cap) {
                    const char **nv = (const char **)synadb__arena_alloc(&f->a, cap * 2 * sizeof *nv);
                    size_t *nl = (size_t *)synadb__arena_alloc(&f->a, cap * 2 * sizeof *nl);
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
            c.vals = (const char **)synadb__arena_alloc(&f->a, sizeof *c.vals);
            c.vlens = (size_t *)synadb__arena_alloc(&f->a, sizeof *c.vlens);
            if (!c.vals || !c.vlens) return synadb__et_fail(f, f->p, "out of memory");
            if (synadb__et_quoted(f, &c.vals[0], &c.vlens[0])) return -1;
            c.nvals = 1;
        }
        if (c.kind == SYNADB__ET_F_ATTR && c.attr == SYNADB__ET_A_STATUS && c.nvals) {
            size_t i;
            c.vstat = (int *)synadb__arena_alloc(&f->a, c.nvals * sizeof *c.vstat);
            if (!c.vstat) return synadb__et_fail(f, f->p, "out of memory");
            for (i = 0; i < c.nvals; i++) c.vstat[i] = synadb__et_status_of(c.vals[i], c.vlens[i]);
        }
        if (f->ncl == f->ccl) {
            size_t nc = f->ccl ? f->ccl * 2 : 8;
            synadb__et_cl *ncl = (synadb__et_cl *)synadb__arena_alloc(&f->a, nc * sizeof *ncl);
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
            synadb__et_ord *no = (synadb__et_ord *)synadb__arena_alloc(&f->a, nc * sizeof *no);
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
    synadb__arena_free_blocks(f.a.blk);
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
        synadb__arena_free_blocks(f.a.blk);
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
        c->vids = (uint32_t *)synadb__arena_alloc(&f.a, (c->nvals + 1) * sizeof *c->vids);
        if (!c->vids) { oom = 1; break; }
        for (k = 0; k < c->nvals; k++) c->vids[k] = synadb__et_lookup(&t->vals, c->vals[k], c->vlens[k]);
        if (c->op == SYNADB__ET_O_LIKE || c->op == SYNADB__ET_O_ILIKE) {
            c->memo = (uint8_t *)synadb__arena_alloc(&f.a, t->vals.n + 1);
            if (!c->memo) { oom = 1; break; }
            memset(c->memo, 0, t->vals.n + 1);
        }
    }
    for (i = 0; i < f.nord && !oom; i++) {
        f.ord[i].nid = f.ord[i].kind == SYNADB__ET_F_ATTR ? 0 : synadb__et_lookup(&t->names, f.ord[i].name, f.ord[i].nlen);
        if (f.ord[i].kind != SYNADB__ET_F_ATTR) f.ord[i].col = synadb__et_col_get(t, f.ord[i].kind, f.ord[i].nid, &oom);
    }
    if (oom) {
        synadb__arena_free_blocks(f.a.blk);
        return synadb__et_err(t, SYNADB_ERR_NO_MEMORY, "out of memory");
    }
    sel = (synadb__et_sel *)SYNADB_MALLOC((t->nruns + 1) * sizeof *sel);
    *out = (synadb__et_run **)SYNADB_MALLOC((t->nruns + 1) * sizeof **out);
    if (!sel || !*out) {
        SYNADB_FREE(sel); SYNADB_FREE(*out); *out = NULL;
        synadb__arena_free_blocks(f.a.blk);
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
    synadb__arena_free_blocks(f.a.blk);
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
/* The JSON outputs: out_json is required, both are cleared first. */
#define SYNADB__ET_ABI_JSON_OUT() do { \
    if (!out_json) SYNADB__ET_ABI_END(synadb__et_abi_rc(synadb__et_err(t, SYNADB_ERR_INVALID_ARG, "out_json is NULL"))); \
    *out_json = NULL; \
    if (out_len) *out_len = 0; \
} while (0)

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
                char *k = (char *)synadb__arena_alloc(&d.a, d.root->kid[i].klen + 1);
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
    SYNADB__ET_ABI_JSON_OUT();
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
    SYNADB__ET_ABI_JSON_OUT();
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
    SYNADB__ET_ABI_JSON_OUT();
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
    SYNADB__ET_ABI_JSON_OUT();
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
    SYNADB__ET_ABI_JSON_OUT();
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
    SYNADB__ET_ABI_JSON_OUT();
    r = synadb__et_exps_json(t, out_json, out_len, &cnt);
    SYNADB__ET_ABI_END(r ? (int32_t)r : (int32_t)cnt);
}
#undef SYNADB__ET_ABI_BEGIN
#undef SYNADB__ET_ABI_END
#define SYNADB__X(ret, name, params, args, RET) SYNADB_ML_API ret SYNA_##name params { RET syna_##name args; }
SYNADB__ML_EXP_ABI_FUNCS(SYNADB__X)
#undef SYNADB__X
#endif /* SYNADB_NO_COMPAT_ABI */

/* ======================================================================== >>ml.rl */
/* ---- helpers shared with >>ml.io below: number spelling, base64, output files, input files ---- */
/* A double in JSON: exact (synadb__jdbl); NaN and the infinities as the strings "NaN",
   "Infinity", "-Infinity". quote = 0 spells them without quotes (CSV). */
SYNADB_PRIVATE void synadb__xf64(synadb__json *j, double v, int quote) {
    if (v != v) synadb__jlit(j, quote ? "\"NaN\"" : "NaN");
    else if (v - v != 0) synadb__jlit(j, v > 0 ? (quote ? "\"Infinity\"" : "Infinity") : (quote ? "\"-Infinity\"" : "-Infinity"));
    else if (v == 0 && signbit(v)) synadb__jlit(j, "-0.0");   /* "-0" reads as the integer 0 in some parsers */
    else synadb__jdbl(j, v);
}
/* A float32: the shortest of 6..9 significant digits that reads back to the same float. */
SYNADB_PRIVATE void synadb__xf32(synadb__json *j, float f, int quote) {
    char b[48];
    int d;
    double v = (double)f;
    if (v != v || v - v != 0 || v == 0) { synadb__xf64(j, v, quote); return; }
    for (d = 6; d <= 9; d++) {
        static const char *const fmts[4] = {"%.6g", "%.7g", "%.8g", "%.9g"};
        double back;
        synadb__jfmt(b, sizeof b, fmts[d - 6], v);
        if (synadb__jparse_num(b, strlen(b), &back) == 0 && (float)back == f) break;
    }
    synadb__jlit(j, b);
}
/* Parses a float written by the functions above: a JSON number or NaN / Infinity / -Infinity.
   0, or -1. */
SYNADB_PRIVATE int synadb__xparse_f64(const char *s, size_t n, double *out) {
    if (n == 3 && !memcmp(s, "NaN", 3)) { *out = (double)NAN; return 0; }
    if (n == 8 && !memcmp(s, "Infinity", 8)) { *out = (double)INFINITY; return 0; }
    if (n == 9 && !memcmp(s, "-Infinity", 9)) { *out = -(double)INFINITY; return 0; }
    return synadb__jparse_num(s, n, out);
}
/* A double that must become a float32 without overflow (the non-finite ones pass; values
   that round to FLT_MAX pass: 2^128 - 2^103 is the first that rounds to infinity). */
SYNADB_PRIVATE int synadb__xto_f32(double v, float *out) {
    if (v == v && v - v == 0 && (v >= 3.4028235677973366e38 || v <= -3.4028235677973366e38)) return -1;
    *out = (float)v;
    return 0;
}
/* A JSON value (a number, or one of the strings "NaN", "Infinity", "-Infinity") as a double. */
SYNADB_PRIVATE int synadb__xjv_f64(const synadb__jv *v, double *out) {
    if (v->type == SYNADB__JNUM) { *out = v->num; return 0; }
    if (v->type == SYNADB__JSTR && ((v->n == 3 && !memcmp(v->s, "NaN", 3)) || (v->n == 8 && !memcmp(v->s, "Infinity", 8)) ||
                                    (v->n == 9 && !memcmp(v->s, "-Infinity", 9))))
        return synadb__xparse_f64(v->s, v->n, out);
    return -1;
}

static const char synadb__b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
SYNADB_ML_API size_t synadb_io_base64_len(size_t n) { return (n + 2) / 3 * 4; }
SYNADB_ML_API void synadb_io_base64_encode(const void *src, size_t n, char *dst) {
    const uint8_t *s = (const uint8_t *)src;
    size_t i, o = 0;
    for (i = 0; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
        dst[o++] = synadb__b64[v >> 18]; dst[o++] = synadb__b64[(v >> 12) & 63];
        dst[o++] = synadb__b64[(v >> 6) & 63]; dst[o++] = synadb__b64[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)s[i] << 16;
        dst[o++] = synadb__b64[v >> 18]; dst[o++] = synadb__b64[(v >> 12) & 63]; dst[o++] = '='; dst[o++] = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8;
        dst[o++] = synadb__b64[v >> 18]; dst[o++] = synadb__b64[(v >> 12) & 63]; dst[o++] = synadb__b64[(v >> 6) & 63]; dst[o++] = '=';
    }
    dst[o] = 0;
}
SYNADB_PRIVATE int synadb__b64val(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}
SYNADB_ML_API int synadb_io_base64_decode(const char *src, size_t len, void *dst, size_t *out_len, size_t *err_pos) {
    uint8_t *d = (uint8_t *)dst;
    size_t i, o = 0, pad = 0;
    if (err_pos) *err_pos = 0;
    if (out_len) *out_len = 0;
    for (i = 0; i < len; i++)   /* the first character outside the alphabet, then the shape */
        if (src[i] != '=' && synadb__b64val(src[i]) < 0) { if (err_pos) *err_pos = i; return -1; }
    if (len % 4) { if (err_pos) *err_pos = len; return -1; }
    if (len && src[len - 1] == '=') pad = (len >= 2 && src[len - 2] == '=') ? 2 : 1;
    for (i = 0; i < len; i += 4) {
        int v[4], k, last = i + 4 == len;
        uint32_t w;
        for (k = 0; k < 4; k++) {
            if (last && k >= 4 - (int)pad) { v[k] = 0; continue; }
            v[k] = synadb__b64val(src[i + (size_t)k]);
            if (v[k] < 0) { if (err_pos) *err_pos = i + (size_t)k; return -1; }
        }
        w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        if (last && pad == 2 && (w & 0xFFFF)) { if (err_pos) *err_pos = i + 1; return -1; }  /* unused bits set */
        if (last && pad == 1 && (w & 0xFF)) { if (err_pos) *err_pos = i + 2; return -1; }
        d[o++] = (uint8_t)(w >> 16);
        if (!last || pad < 2) d[o++] = (uint8_t)(w >> 8);
        if (!last || pad < 1) d[o++] = (uint8_t)w;
    }
    if (out_len) *out_len = o;
    return 0;
}

/* An output file written through a temporary name: open, write any number of times,
   commit (flush, rename over the target, flush the directory) or abort (remove). */
typedef struct synadb__ofile { synadb__fd fd; uint64_t off; int err; char tmp[4200]; char path[4096]; } synadb__ofile;
SYNADB_PRIVATE int synadb__ofile_open(synadb__ofile *o, const char *path) {
    size_t n = strlen(path);
    int e, tries;
    o->fd = SYNADB__BADFD; o->off = 0; o->err = 0;
    if (!n || n >= sizeof o->path) return ENAMETOOLONG;
    memcpy(o->path, path, n + 1);
    for (tries = 0; tries < 8; tries++) {
        snprintf(o->tmp, sizeof o->tmp, "%s.tmp-%08x", path, (unsigned)synadb__random64(o));
        e = synadb__fopen(o->tmp, 3, &o->fd);
        if (e != EEXIST) return e;
    }
    return EEXIST;
}
SYNADB_PRIVATE int synadb__ofile_write(void *user, const void *data, size_t len) {
    synadb__ofile *o = (synadb__ofile *)user;
    if (o->err) return 1;
    o->err = synadb__pwrite(o->fd, data, len, o->off);
    o->off += len;
    return o->err != 0;
}
SYNADB_PRIVATE int synadb__ofile_commit(synadb__ofile *o) {
    int e = o->err ? o->err : synadb__fsync(o->fd);
    synadb__fclose(o->fd);
    o->fd = SYNADB__BADFD;
    if (!e) e = synadb__rename(o->tmp, o->path);
    if (!e) e = synadb__sync_dir(o->path);
    if (e) synadb__unlink(o->tmp);
    return e;
}
SYNADB_PRIVATE void synadb__ofile_abort(synadb__ofile *o) {
    if (o->fd != SYNADB__BADFD) synadb__fclose(o->fd);
    o->fd = SYNADB__BADFD;
    synadb__unlink(o->tmp);
}
/* A whole file in memory (SYNADB_MALLOC'd, NUL-terminated). 0 or an errno. */
SYNADB_PRIVATE int synadb__slurp(const char *path, char **out, size_t *out_len) {
    synadb__fd fd;
    uint64_t size = 0;
    char *b;
    int e = synadb__fopen(path, 0, &fd);
    *out = NULL; *out_len = 0;
    if (e) return e;
    e = synadb__fsize(fd, &size);
    if (!e && (uint64_t)(size_t)size != size) e = EFBIG;
    if (!e && size + 1 == 0) e = EFBIG;
    if (e) { synadb__fclose(fd); return e; }
    b = (char *)SYNADB_MALLOC((size_t)size + 1);
    if (!b) { synadb__fclose(fd); return ENOMEM; }
    if (size) e = synadb__pread(fd, b, (size_t)size, 0);
    synadb__fclose(fd);
    if (e) { SYNADB_FREE(b); return e; }
    b[size] = 0;
    *out = b; *out_len = (size_t)size;
    return 0;
}
/* 1-based line and column of byte off in text. */
SYNADB_PRIVATE void synadb__xlinecol(const char *text, size_t off, uint64_t *line, uint64_t *col) {
    size_t i, ls = 0;
    uint64_t l = 1;
    for (i = 0; i < off; i++) if (text[i] == '\n') { l++; ls = i + 1; }
    *line = l; *col = (uint64_t)(off - ls) + 1;
}
/* The reader's message without its " at byte N" tail. */
SYNADB_PRIVATE const char *synadb__xjerr(synadb__jdoc *d, char *buf, size_t cap) {
    const char *at = strstr(d->err, " at byte ");
    size_t n = at ? (size_t)(at - d->err) : strlen(d->err);
    if (n >= cap) n = cap - 1;
    memcpy(buf, d->err, n); buf[n] = 0;
    return buf;
}
/* ---- the collector ----
   Transition record (Bytes, little-endian):
     0 u8 version 1 | 1 u8 flags (1 terminated, 2 truncated) | 2 u8 action kind | 3 u8 0
     4 u32 state_len | 8 u32 next_len | 12 u32 action_len | 16 u32 machine_len | 20 u32 meta_len
     24 u64 timestamp_us | 32 f64 reward | 40 i64 action_int
     48 state f32s, next_state f32s, action f32s, machine id bytes, canonical metadata JSON */
#define SYNADB__RL_HDR 48u
#define SYNADB__RL_MAX_SID 1024u
#define SYNADB__RL_BATCH 4096u
typedef struct synadb__rlsess { char *sid; uint64_t n; int known; } synadb__rlsess;
struct synadb_rl {
    synadb_db *db;
    int owns;
    void *corereg;                 /* the SYNA_open registry entry this collector holds, if any */
    char machine[256];
    synadb__mutex mu;              /* index assignment and the session cache */
    synadb__mutex emu;
    char errmsg[512];
    synadb__rlsess *sess;          /* open addressing on the session id */
    size_t nsess, capsess;
};
SYNADB_PRIVATE synadb_result synadb__rlerr(synadb_rl *c, synadb_result r, const char *fmt, ...) SYNADB__PRINTF(3, 4);
SYNADB_PRIVATE synadb_result synadb__rlerr(synadb_rl *c, synadb_result r, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    if (!c) return r;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    synadb__mutex_lock(&c->emu);
    memcpy(c->errmsg, msg, sizeof msg);
    synadb__mutex_unlock(&c->emu);
    return r;
}
/* A failure of the database: its code and message. */
SYNADB_PRIVATE synadb_result synadb__rldberr(synadb_rl *c, synadb_result r, const char *what) {
    return synadb__rlerr(c, r, "%s: %s", what, synadb_errmsg(c->db));
}
SYNADB_ML_API const char *synadb_rl_errmsg(const synadb_rl *c) { return c ? c->errmsg : "no collector"; }
SYNADB_ML_API const char *synadb_rl_machine_id(const synadb_rl *c) { return c ? c->machine : NULL; }
SYNADB_ML_API synadb_db *synadb_rl_db(synadb_rl *c) { return c ? c->db : NULL; }
SYNADB_ML_API void synadb_rl_free(void *p) { if (p) SYNADB_FREE(p); }

SYNADB_PRIVATE int synadb__rl_sid_ok(const char *sid) {
    size_t n;
    if (!sid) return 0;
    n = strlen(sid);
    return n >= 1 && n <= SYNADB__RL_MAX_SID && synadb__utf8_valid((const uint8_t *)sid, n);
}
SYNADB_PRIVATE uint64_t synadb__rl_shash(const char *s) {
    uint64_t h = 1469598103934665603ull;
    while (*s) { h ^= (uint8_t)*s++; h *= 1099511628211ull; }
    return synadb__mix64(h);
}
/* The cache entry of sid (created, with n unknown = UINT64_MAX); NULL if out of memory. mu held. */
SYNADB_PRIVATE synadb__rlsess *synadb__rl_slot(synadb_rl *c, const char *sid) {
    size_t i, mask;
    if ((c->nsess + 1) * 2 > c->capsess) {
        size_t nc = c->capsess ? c->capsess * 2 : 64, j;
        synadb__rlsess *ns = (synadb__rlsess *)SYNADB_MALLOC(nc * sizeof *ns);
        if (!ns) return NULL;
        memset(ns, 0, nc * sizeof *ns);
        for (j = 0; j < c->capsess; j++) if (c->sess[j].sid) {
            size_t k = (size_t)synadb__rl_shash(c->sess[j].sid) & (nc - 1);
            while (ns[k].sid) k = (k + 1) & (nc - 1);
            ns[k] = c->sess[j];
        }
        SYNADB_FREE(c->sess);
        c->sess = ns; c->capsess = nc;
    }
    mask = c->capsess - 1;
    for (i = (size_t)synadb__rl_shash(sid) & mask; c->sess[i].sid; i = (i + 1) & mask)
        if (!strcmp(c->sess[i].sid, sid)) return &c->sess[i];
    c->sess[i].sid = (char *)SYNADB_MALLOC(strlen(sid) + 1);
    if (!c->sess[i].sid) return NULL;
    strcpy(c->sess[i].sid, sid);
    c->sess[i].n = UINT64_MAX; c->sess[i].known = 0;
    c->nsess++;
    return &c->sess[i];
}
SYNADB_PRIVATE void synadb__rl_cache_clear(synadb_rl *c) {
    size_t i;
    for (i = 0; i < c->capsess; i++) SYNADB_FREE(c->sess[i].sid);
    SYNADB_FREE(c->sess);
    c->sess = NULL; c->nsess = c->capsess = 0;
}
/* Key buffers. */
SYNADB_PRIVATE size_t synadb__rl_tkey(char *buf, const char *sid, uint64_t idx) {
    return (size_t)sprintf(buf, "rl/t/%s/%012llu", sid, (unsigned long long)idx);
}
SYNADB_PRIVATE size_t synadb__rl_skey(char *buf, const char *sid) { return (size_t)sprintf(buf, "rl/s/%s", sid); }
/* Transitions in sid, from the cache or found by a galloping search over rl/t/{sid}/{i}
   (keys 0..n-1 exist: transitions are only appended). mu held. */
SYNADB_PRIVATE synadb_result synadb__rl_n(synadb_rl *c, const char *sid, uint64_t *out, synadb__rlsess **out_slot) {
    char key[SYNADB__RL_MAX_SID + 64];
    synadb__rlsess *s = synadb__rl_slot(c, sid);
    uint64_t lo, hi;
    int e;
    if (!s) return synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
    if (out_slot) *out_slot = s;
    if (s->n == UINT64_MAX) {
        e = synadb_exists(c->db, key, synadb__rl_tkey(key, sid, 0));
        if (e < 0) return synadb__rldberr(c, (synadb_result)e, "reading the session");
        if (!e) s->n = 0;
        else {
            lo = 0; hi = 1;   /* lo exists; find a hi that does not */
            for (;;) {
                e = synadb_exists(c->db, key, synadb__rl_tkey(key, sid, hi));
                if (e < 0) return synadb__rldberr(c, (synadb_result)e, "reading the session");
                if (!e) break;
                lo = hi; hi *= 2;
            }
            while (hi - lo > 1) {
                uint64_t mid = lo + (hi - lo) / 2;
                e = synadb_exists(c->db, key, synadb__rl_tkey(key, sid, mid));
                if (e < 0) return synadb__rldberr(c, (synadb_result)e, "reading the session");
                if (e) lo = mid; else hi = mid;
            }
            s->n = hi;
        }
    }
    if (!s->known) {
        e = synadb_exists(c->db, key, synadb__rl_skey(key, sid));
        if (e < 0) return synadb__rldberr(c, (synadb_result)e, "reading the session");
        s->known = e;
    }
    *out = s->n;
    return SYNADB_OK;
}

/* A transition in memory (decoded or about to be encoded): everything owned elsewhere. */
typedef struct synadb__rltr {
    const char *sid, *machine, *meta;   /* meta: canonical JSON or "" */
    size_t meta_len;
    const float *state, *next, *action;
    uint32_t state_len, next_len, action_len;
    int32_t kind;
    int64_t action_int;
    double reward;
    uint32_t flags;
    uint64_t ts;
} synadb__rltr;

/* Canonical JSON of a parsed value: members in document order, strings escaped by
   synadb__jstr, integers exact, other numbers by synadb__jdbl (-0 written "-0.0" so that it
   stays a float when read back). Writing a canonical text again gives the same text. */
SYNADB_PRIVATE void synadb__rl_canon(synadb__json *j, const synadb__jv *v) {
    size_t i;
    switch (v->type) {
    case SYNADB__JNULL: synadb__jlit(j, "null"); break;
    case SYNADB__JTRUE: synadb__jlit(j, "true"); break;
    case SYNADB__JFALSE: synadb__jlit(j, "false"); break;
    case SYNADB__JSTR: synadb__jstr(j, v->s, v->n); break;
    case SYNADB__JNUM:
        if (v->is_int) synadb__jint(j, v->i);
        else if (v->num == 0 && signbit(v->num)) synadb__jlit(j, "-0.0");
        else synadb__jdbl(j, v->num);
        break;
    case SYNADB__JARR:
        synadb__jlit(j, "[");
        for (i = 0; i < v->nkid; i++) { if (i) synadb__jlit(j, ","); synadb__rl_canon(j, &v->kid[i]); }
        synadb__jlit(j, "]");
        break;
    default:
        synadb__jlit(j, "{");
        for (i = 0; i < v->nkid; i++) {
            if (i) synadb__jlit(j, ",");
            synadb__jstr(j, v->kid[i].key, v->kid[i].klen);
            synadb__jlit(j, ":");
            synadb__rl_canon(j, &v->kid[i]);
        }
        synadb__jlit(j, "}");
        break;
    }
}
/* Metadata (a JSON object text, or key/value strings) in canonical form into j (empty when
   there is none). 0, or a message in why. */
SYNADB_PRIVATE int synadb__rl_meta(synadb__json *j, const char *json, const char *const *keys, const char *const *vals, size_t n,
                                   char *why, size_t cap) {
    size_t i;
    if (json && n) { snprintf(why, cap, "metadata given both as JSON and as key/values"); return -1; }
    if (n) {
        if (!keys || !vals) { snprintf(why, cap, "metadata keys or values are NULL"); return -1; }
        synadb__jlit(j, "{");
        for (i = 0; i < n; i++) {
            if (!keys[i] || !vals[i]) { snprintf(why, cap, "metadata key or value %llu is NULL", (unsigned long long)i); return -1; }
            if (!synadb__utf8_valid((const uint8_t *)keys[i], strlen(keys[i])) || !synadb__utf8_valid((const uint8_t *)vals[i], strlen(vals[i]))) {
                snprintf(why, cap, "metadata key or value %llu is not UTF-8", (unsigned long long)i); return -1;
            }
            if (i) synadb__jlit(j, ",");
            synadb__jstr(j, keys[i], strlen(keys[i]));
            synadb__jlit(j, ":");
            synadb__jstr(j, vals[i], strlen(vals[i]));
        }
        synadb__jlit(j, "}");
    } else if (json) {
        synadb__jdoc d;
        int r = synadb__jparse(json, strlen(json), &d);
        if (r == -2) { snprintf(why, cap, "out of memory"); return -1; }
        if (r) { snprintf(why, cap, "metadata is not JSON: %s", d.err); return -1; }
        if (d.root->type != SYNADB__JOBJ) { synadb__jdoc_free(&d); snprintf(why, cap, "metadata is not a JSON object"); return -1; }
        synadb__rl_canon(j, d.root);
        synadb__jdoc_free(&d);
    }
    if (j->oom) { snprintf(why, cap, "out of memory"); return -1; }
    return 0;
}

SYNADB_PRIVATE void synadb__sha_u32(synadb_sha256_ctx *s, uint32_t v) { uint8_t b[4]; synadb__wr32(b, v); synadb_sha256_update(s, b, 4); }
SYNADB_PRIVATE void synadb__sha_u64(synadb_sha256_ctx *s, uint64_t v) { uint8_t b[8]; synadb__wr64(b, v); synadb_sha256_update(s, b, 8); }
SYNADB_PRIVATE void synadb__sha_str(synadb_sha256_ctx *s, const char *p, size_t n) { synadb__sha_u64(s, n); synadb_sha256_update(s, p, n); }
SYNADB_PRIVATE void synadb__sha_f32s(synadb_sha256_ctx *s, const float *f, uint32_t n) {
    uint32_t i, u;
    synadb__sha_u32(s, n);
    for (i = 0; i < n; i++) {
        if (f[i] != f[i]) u = 0x7fc00000u; else memcpy(&u, &f[i], 4);
        synadb__sha_u32(s, u);
    }
}
/* The content hash: SHA-256 of a canonical encoding (NaNs canonicalised). */
SYNADB_PRIVATE void synadb__rl_hash(const synadb__rltr *t, uint8_t out[32]) {
    synadb_sha256_ctx s;
    synadb_sha256_init(&s);
    synadb_sha256_update(&s, "synadb.rl.v1", 13);
    synadb__sha_str(&s, t->sid, strlen(t->sid));
    synadb__sha_str(&s, t->machine, strlen(t->machine));
    synadb__sha_u64(&s, t->ts);
    synadb__sha_u64(&s, t->reward != t->reward ? 0x7ff8000000000000ull : synadb__d2u(t->reward));
    synadb__sha_u32(&s, t->flags);
    synadb__sha_u32(&s, (uint32_t)t->kind);
    if (t->kind == SYNADB_RL_ACTION_INT) synadb__sha_u64(&s, (uint64_t)t->action_int);
    else synadb__sha_f32s(&s, t->action, t->action_len);
    synadb__sha_f32s(&s, t->state, t->state_len);
    synadb__sha_f32s(&s, t->next, t->next_len);
    synadb__sha_str(&s, t->meta, t->meta_len);
    synadb_sha256_final(&s, out);
}
SYNADB_PRIVATE size_t synadb__rl_enc_size(const synadb__rltr *t) {
    return SYNADB__RL_HDR + 4 * ((size_t)t->state_len + t->next_len + t->action_len) + strlen(t->machine) + t->meta_len;
}
SYNADB_PRIVATE void synadb__rl_encode(const synadb__rltr *t, uint8_t *p) {
    size_t ml = strlen(t->machine), o = SYNADB__RL_HDR;
    p[0] = 1; p[1] = (uint8_t)t->flags; p[2] = (uint8_t)t->kind; p[3] = 0;
    synadb__wr32(p + 4, t->state_len); synadb__wr32(p + 8, t->next_len); synadb__wr32(p + 12, t->action_len);
    synadb__wr32(p + 16, (uint32_t)ml); synadb__wr32(p + 20, (uint32_t)t->meta_len);
    synadb__wr64(p + 24, t->ts); synadb__wr64(p + 32, synadb__d2u(t->reward)); synadb__wr64(p + 40, (uint64_t)t->action_int);
    synadb__copy_le32(p + o, t->state, t->state_len); o += 4 * (size_t)t->state_len;
    synadb__copy_le32(p + o, t->next, t->next_len); o += 4 * (size_t)t->next_len;
    synadb__copy_le32(p + o, t->action, t->action_len); o += 4 * (size_t)t->action_len;
    if (ml) memcpy(p + o, t->machine, ml);
    o += ml;
    if (t->meta_len) memcpy(p + o, t->meta, t->meta_len);
}
/* Decodes a record; floats and strings go to scratch (grown as needed, 4-aligned). -1 if
   the record is damaged, -2 out of memory. */
typedef struct synadb__rlscratch { uint8_t *rec; size_t reccap; float *f; size_t fcap; char *s; size_t scap; } synadb__rlscratch;
SYNADB_PRIVATE int synadb__rl_decode(const uint8_t *p, size_t n, synadb__rlscratch *sc, synadb__rltr *t) {
    uint64_t nf, ml, mt;
    if (n < SYNADB__RL_HDR || p[0] != 1 || p[2] > 1 || (p[1] & ~3u)) return -1;
    t->flags = p[1]; t->kind = p[2];
    t->state_len = synadb__rd32(p + 4); t->next_len = synadb__rd32(p + 8); t->action_len = synadb__rd32(p + 12);
    ml = synadb__rd32(p + 16); mt = synadb__rd32(p + 20);
    t->ts = synadb__rd64(p + 24); t->reward = synadb__u2d(synadb__rd64(p + 32)); t->action_int = (int64_t)synadb__rd64(p + 40);
    nf = (uint64_t)t->state_len + t->next_len + t->action_len;
    if (t->kind == SYNADB_RL_ACTION_INT && t->action_len) return -1;
    if ((uint64_t)SYNADB__RL_HDR + 4 * nf + ml + mt != (uint64_t)n) return -1;
    if (nf > sc->fcap) {
        float *f = (float *)SYNADB_REALLOC(sc->f, (size_t)nf * sizeof *f);
        if (!f) return -2;
        sc->f = f; sc->fcap = (size_t)nf;
    }
    if (ml + mt + 2 > sc->scap) {
        char *s = (char *)SYNADB_REALLOC(sc->s, (size_t)(ml + mt + 2));
        if (!s) return -2;
        sc->s = s; sc->scap = (size_t)(ml + mt + 2);
    }
    synadb__copy_le32(sc->f, p + SYNADB__RL_HDR, (size_t)nf);
    t->state = sc->f; t->next = sc->f + t->state_len; t->action = sc->f + t->state_len + t->next_len;
    memcpy(sc->s, p + SYNADB__RL_HDR + 4 * nf, (size_t)ml); sc->s[ml] = 0;
    memcpy(sc->s + ml + 1, p + SYNADB__RL_HDR + 4 * nf + ml, (size_t)mt); sc->s[ml + 1 + mt] = 0;
    if (memchr(sc->s, 0, (size_t)ml)) return -1;
    t->machine = sc->s; t->meta = sc->s + ml + 1; t->meta_len = (size_t)mt;
    return 0;
}
SYNADB_PRIVATE void synadb__rl_scratch_free(synadb__rlscratch *sc) { SYNADB_FREE(sc->rec); SYNADB_FREE(sc->f); SYNADB_FREE(sc->s); }
/* The record of transition idx of sid into sc->rec (*len bytes). */
SYNADB_PRIVATE synadb_result synadb__rl_fetch(synadb_rl *c, const char *sid, uint64_t idx, synadb__rlscratch *sc, size_t *out_len) {
    char key[SYNADB__RL_MAX_SID + 64];
    size_t kl = synadb__rl_tkey(key, sid, idx), len = 0;
    synadb_result r;
    for (;;) {
        r = synadb_get_bytes_into(c->db, key, kl, sc->rec, sc->reccap, &len);
        if (r != SYNADB_ERR_BUFFER_TOO_SMALL) break;
        {
            uint8_t *nb = (uint8_t *)SYNADB_REALLOC(sc->rec, len);
            if (!nb) return synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
            sc->rec = nb; sc->reccap = len;
        }
    }
    if (r == SYNADB_ERR_KEY_NOT_FOUND) return synadb__rlerr(c, r, "transition %llu of session %s not found", (unsigned long long)idx, sid);
    if (r) return synadb__rldberr(c, r, "reading a transition");
    *out_len = len;
    return SYNADB_OK;
}
/* Only the reward of a fetched record (its header checked). -1 if damaged. */
SYNADB_PRIVATE int synadb__rl_reward_of(const uint8_t *p, size_t n, double *out) {
    uint64_t nf;
    if (n < SYNADB__RL_HDR || p[0] != 1 || p[2] > 1 || (p[1] & ~3u)) return -1;
    nf = (uint64_t)synadb__rd32(p + 4) + synadb__rd32(p + 8) + synadb__rd32(p + 12);
    if ((uint64_t)SYNADB__RL_HDR + 4 * nf + synadb__rd32(p + 16) + synadb__rd32(p + 20) != (uint64_t)n) return -1;
    *out = synadb__u2d(synadb__rd64(p + 32));
    return 0;
}
/* Reads transition idx of sid into sc/t. KEY_NOT_FOUND if absent, SERIALIZATION if damaged. */
SYNADB_PRIVATE synadb_result synadb__rl_read(synadb_rl *c, const char *sid, uint64_t idx, synadb__rlscratch *sc, synadb__rltr *t) {
    size_t len = 0;
    synadb_result r = synadb__rl_fetch(c, sid, idx, sc, &len);
    int d;
    if (r) return r;
    d = synadb__rl_decode(sc->rec, len, sc, t);
    if (d == -2) return synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
    if (d) return synadb__rlerr(c, SYNADB_ERR_SERIALIZATION, "transition %llu of session %s is damaged", (unsigned long long)idx, sid);
    t->sid = sid;
    return SYNADB_OK;
}

/* ---- open / close ---- */
SYNADB_PRIVATE synadb_result synadb__rl_new(synadb_db *db, int owns, const char *machine_id, synadb_rl **out) {
    synadb_rl *c;
    char *stored = NULL;
    size_t sl = 0;
    synadb_result r;
    if (machine_id && (!*machine_id || strlen(machine_id) >= sizeof c->machine || !synadb__utf8_valid((const uint8_t *)machine_id, strlen(machine_id))))
        return SYNADB_ERR_INVALID_ARG;
    c = (synadb_rl *)SYNADB_MALLOC(sizeof *c);
    if (!c) return SYNADB_ERR_NO_MEMORY;
    memset(c, 0, sizeof *c);
    c->db = db; c->owns = owns;
    synadb__mutex_init(&c->mu);
    synadb__mutex_init(&c->emu);
    r = synadb_get_text(db, "rl/machine", SYNADB_NTS, &stored, &sl);
    if (r == SYNADB_OK && (!sl || sl >= sizeof c->machine)) { synadb_free(db, stored); stored = NULL; r = SYNADB_ERR_SERIALIZATION; }
    if (r == SYNADB_OK) {
        memcpy(c->machine, stored, sl + 1);
        synadb_free(db, stored);
        if (machine_id) snprintf(c->machine, sizeof c->machine, "%s", machine_id);
    } else if (r == SYNADB_ERR_KEY_NOT_FOUND) {
        if (machine_id) snprintf(c->machine, sizeof c->machine, "%s", machine_id);
        else snprintf(c->machine, sizeof c->machine, "machine_%016llx", (unsigned long long)synadb__random64(c));
        r = synadb_put_text(db, "rl/machine", SYNADB_NTS, c->machine, SYNADB_NTS);
        if (r == SYNADB_ERR_READ_ONLY) r = SYNADB_OK;   /* a read-only source of a merge */
    }
    if (r) {
        synadb__mutex_destroy(&c->mu); synadb__mutex_destroy(&c->emu);
        SYNADB_FREE(c);
        return r;
    }
    snprintf(c->errmsg, sizeof c->errmsg, "no error");
    *out = c;
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_rl_attach(synadb_db *db, const char *machine_id, synadb_rl **out) {
    if (out) *out = NULL;
    if (!db || !out) return SYNADB_ERR_INVALID_ARG;
    return synadb__rl_new(db, 0, machine_id, out);
}
SYNADB_ML_API synadb_result synadb_rl_open_ex(const char *path, const char *machine_id, const synadb_config *config, synadb_rl **out) {
    synadb_config cfg = synadb_config_default();
    synadb_db *db = NULL;
    synadb_result r;
    if (out) *out = NULL;
    if (!path || !*path || !out) return SYNADB_ERR_INVALID_ARG;
    if (config) cfg = *config; else cfg.sync_on_write = 1;
    r = synadb_open(path, &cfg, &db);
    if (r) return r;
    r = synadb__rl_new(db, 1, machine_id, out);
    if (r) synadb_close(db);
    return r;
}
SYNADB_ML_API synadb_result synadb_rl_open(const char *path, const char *machine_id, synadb_rl **out) {
    return synadb_rl_open_ex(path, machine_id, NULL, out);
}
#ifndef SYNADB_NO_COMPAT_ABI
SYNADB_PRIVATE void synadb__rl_drop_core(void *e) { if (e) synadb__drop((synadb__reg *)e); }
#else
SYNADB_PRIVATE void synadb__rl_drop_core(void *e) { (void)e; }
#endif
SYNADB_ML_API synadb_result synadb_rl_close(synadb_rl *c) {
    synadb_result r = SYNADB_OK;
    if (!c) return SYNADB_ERR_INVALID_ARG;
    if (c->owns) r = synadb_close(c->db);
    synadb__rl_drop_core(c->corereg);
    synadb__rl_cache_clear(c);
    synadb__mutex_destroy(&c->mu);
    synadb__mutex_destroy(&c->emu);
    SYNADB_FREE(c);
    return r;
}

/* ---- sessions ---- */
SYNADB_PRIVATE synadb_result synadb__rl_session_json(synadb_rl *c, synadb__json *j, const char *sid, const char *machine, uint64_t start_us,
                                                     const char *meta, size_t meta_len) {
    synadb__jlit(j, "{\"id\":"); synadb__jstr(j, sid, strlen(sid));
    synadb__jlit(j, ",\"machine\":"); synadb__jstr(j, machine, strlen(machine));
    synadb__jlit(j, ",\"start_us\":"); synadb__juint(j, start_us);
    synadb__jlit(j, ",\"metadata\":");
    if (meta_len) synadb__jput(j, meta, meta_len); else synadb__jlit(j, "{}");
    synadb__jlit(j, "}");
    return j->oom ? synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory") : SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_rl_start_session(synadb_rl *c, const char *session_id, const char *metadata_json,
                                                    const char *const *meta_keys, const char *const *meta_values, size_t meta_count,
                                                    char *out_id, size_t cap) {
    char sid[SYNADB__RL_MAX_SID + 1], key[SYNADB__RL_MAX_SID + 16], why[200];
    synadb__json meta, rec;
    synadb__rlsess *s;
    uint64_t n = 0;
    synadb_result r;
    if (!c) return SYNADB_ERR_INVALID_ARG;
    if (session_id && !synadb__rl_sid_ok(session_id))
        return synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "session id must be 1..%u bytes of UTF-8", SYNADB__RL_MAX_SID);
    if (session_id) snprintf(sid, sizeof sid, "%s", session_id);
    else snprintf(sid, sizeof sid, "session_%llu_%08x", (unsigned long long)(synadb__now_us() / 1000000u), (unsigned)synadb__random64(c));
    if (out_id && cap && strlen(sid) >= cap) return synadb__rlerr(c, SYNADB_ERR_BUFFER_TOO_SMALL, "the session id needs %llu bytes", (unsigned long long)strlen(sid) + 1);
    memset(&meta, 0, sizeof meta); memset(&rec, 0, sizeof rec);
    if (synadb__rl_meta(&meta, metadata_json, meta_keys, meta_values, meta_count, why, sizeof why)) {
        SYNADB_FREE(meta.p);
        return synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "%s", why);
    }
    synadb__mutex_lock(&c->mu);
    r = synadb__rl_n(c, sid, &n, &s);
    if (!r && s->known) r = synadb__rlerr(c, SYNADB_ERR_EXISTS, "session %s exists", sid);
    if (!r) r = synadb__rl_session_json(c, &rec, sid, c->machine, synadb__now_us(), meta.p, meta.n);
    if (!r) {
        r = synadb_put_text(c->db, key, synadb__rl_skey(key, sid), rec.p, rec.n);
        if (r) synadb__rldberr(c, r, "writing the session");
        else s->known = 1;
    }
    synadb__mutex_unlock(&c->mu);
    SYNADB_FREE(meta.p); SYNADB_FREE(rec.p);
    if (!r && out_id && cap) snprintf(out_id, cap, "%s", sid);
    return r;
}
SYNADB_ML_API synadb_result synadb_rl_session_info(synadb_rl *c, const char *session, char **out_json) {
    char key[SYNADB__RL_MAX_SID + 16], *t = NULL;
    size_t n = 0;
    synadb_result r;
    if (out_json) *out_json = NULL;
    if (!c || !out_json) return SYNADB_ERR_INVALID_ARG;
    if (!synadb__rl_sid_ok(session)) return synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "bad session id");
    r = synadb_get_text(c->db, key, synadb__rl_skey(key, session), &t, &n);
    if (r == SYNADB_ERR_KEY_NOT_FOUND) return synadb__rlerr(c, r, "no session %s", session);
    if (r) return synadb__rldberr(c, r, "reading the session");
    *out_json = (char *)SYNADB_MALLOC(n + 1);
    if (*out_json) memcpy(*out_json, t, n + 1);
    synadb_free(c->db, t);
    return *out_json ? SYNADB_OK : synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
}
SYNADB_ML_API void synadb_rl_sessions_free(synadb_keylist *list) {
    size_t i;
    if (!list) return;
    for (i = 0; i < list->count; i++) SYNADB_FREE(list->keys[i]);
    SYNADB_FREE(list->keys); SYNADB_FREE(list->lens);
    memset(list, 0, sizeof *list);
}
SYNADB_ML_API synadb_result synadb_rl_sessions(synadb_rl *c, synadb_keylist *out) {
    synadb_keylist kl;
    size_t i;
    synadb_result r;
    if (out) memset(out, 0, sizeof *out);
    if (!c || !out) return SYNADB_ERR_INVALID_ARG;
    r = synadb_keys(c->db, "rl/s/*", SYNADB_NTS, &kl);
    if (r) return synadb__rldberr(c, r, "listing sessions");
    if (kl.count) {
        out->keys = (char **)SYNADB_MALLOC(kl.count * sizeof *out->keys);
        out->lens = (size_t *)SYNADB_MALLOC(kl.count * sizeof *out->lens);
        if (!out->keys || !out->lens) { SYNADB_FREE(out->keys); SYNADB_FREE(out->lens); out->keys = NULL; out->lens = NULL; r = SYNADB_ERR_NO_MEMORY; }
    }
    for (i = 0; !r && i < kl.count; i++) {
        size_t n = kl.lens[i] - 5;
        out->keys[i] = (char *)SYNADB_MALLOC(n + 1);
        if (!out->keys[i]) { r = SYNADB_ERR_NO_MEMORY; break; }
        memcpy(out->keys[i], kl.keys[i] + 5, n + 1);
        out->lens[i] = n;
        out->count++;
    }
    synadb_keylist_free(c->db, &kl);
    if (r) { synadb_rl_sessions_free(out); return synadb__rlerr(c, r, "out of memory"); }
    return SYNADB_OK;
}

/* ---- logging ---- */
/* Checks a caller's transition and fills o (metadata canonicalised into meta). */
SYNADB_PRIVATE synadb_result synadb__rl_check(synadb_rl *c, const synadb_rl_transition *t, synadb__json *meta, synadb__rltr *o) {
    char why[200];
    if (!t) return synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "transition is NULL");
    if ((t->state_len && !t->state) || (t->next_state_len && !t->next_state))
        return synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "state or next_state is NULL with a length");
    if (t->action_kind != SYNADB_RL_ACTION_INT && t->action_kind != SYNADB_RL_ACTION_VECTOR)
        return synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "unknown action kind %d", (int)t->action_kind);
    if (t->action_kind == SYNADB_RL_ACTION_VECTOR && t->action_len && !t->action)
        return synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "action is NULL with a length");
    if (t->flags & ~(uint32_t)3) return synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "unknown flags 0x%x", (unsigned)t->flags);
    if ((uint64_t)t->state_len + t->next_state_len + (t->action_kind ? t->action_len : 0) > (1u << 26))
        return synadb__rlerr(c, SYNADB_ERR_TOO_LARGE, "transition of more than 2^26 floats");
    if (synadb__rl_meta(meta, t->metadata_json, t->meta_keys, t->meta_values, t->meta_count, why, sizeof why))
        return synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "%s", why);
    memset(o, 0, sizeof *o);
    o->machine = c->machine;
    o->meta = meta->p ? meta->p : ""; o->meta_len = meta->n;
    o->state = t->state; o->state_len = t->state ? t->state_len : 0;
    o->next = t->next_state; o->next_len = t->next_state ? t->next_state_len : 0;
    o->kind = t->action_kind;
    o->action_int = t->action_kind == SYNADB_RL_ACTION_INT ? t->action_int : 0;
    o->action = t->action_kind == SYNADB_RL_ACTION_VECTOR ? t->action : NULL;
    o->action_len = t->action_kind == SYNADB_RL_ACTION_VECTOR && t->action ? t->action_len : 0;
    o->reward = t->reward; o->flags = t->flags; o->ts = t->timestamp_us;
    return SYNADB_OK;
}
SYNADB_PRIVATE size_t synadb__rl_hkey(char *buf, const uint8_t h[32]) {
    memcpy(buf, "rl/h/", 5);
    synadb_sha256_hex(h, buf + 5);
    return 69;
}
SYNADB_ML_API synadb_result synadb_rl_log(synadb_rl *c, const char *session, const synadb_rl_transition *t, uint64_t *out_index) {
    synadb__json meta, srec;
    synadb__rltr o;
    synadb__rlsess *s;
    synadb_batch_op ops[3];
    char tkey[SYNADB__RL_MAX_SID + 64], skey[SYNADB__RL_MAX_SID + 16], hkey[72];
    uint8_t h[32], *rec = NULL;
    uint64_t n = 0;
    size_t nops = 0, tries, reclen;
    synadb_result r;
    int auto_ts;
    if (!c) return SYNADB_ERR_INVALID_ARG;
    if (!synadb__rl_sid_ok(session)) return synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "session id must be 1..%u bytes of UTF-8", SYNADB__RL_MAX_SID);
    memset(&meta, 0, sizeof meta); memset(&srec, 0, sizeof srec); memset(&o, 0, sizeof o);
    r = synadb__rl_check(c, t, &meta, &o);
    if (r) { SYNADB_FREE(meta.p); return r; }
    o.sid = session;
    auto_ts = o.ts == 0;
    if (auto_ts) o.ts = synadb__now_us();
    reclen = synadb__rl_enc_size(&o);
    rec = (uint8_t *)SYNADB_MALLOC(reclen);
    if (!rec) { SYNADB_FREE(meta.p); return synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory"); }
    synadb__mutex_lock(&c->mu);
    r = synadb__rl_n(c, session, &n, &s);
    /* another collector on the same handle may have appended: step over its records */
    while (!r) {
        int e = synadb_exists(c->db, tkey, synadb__rl_tkey(tkey, session, n));
        if (e < 0) { r = synadb__rldberr(c, (synadb_result)e, "reading the session"); break; }
        if (!e) break;
        s->n = ++n;
    }
    /* an automatic timestamp moves on by 1 us if the same content was logged in the same
       microsecond, so that logged transitions never share a content hash */
    for (tries = 0; !r; tries++) {
        int e;
        synadb__rl_hash(&o, h);
        if (!auto_ts || tries >= 1000) break;
        e = synadb_exists(c->db, hkey, synadb__rl_hkey(hkey, h));
        if (e < 0) { r = synadb__rldberr(c, (synadb_result)e, "reading the hash index"); break; }
        if (!e) break;
        o.ts++;
    }
    if (!r && !s->known) {
        r = synadb__rl_session_json(c, &srec, session, c->machine, o.ts, NULL, 0);
        memset(&ops[nops], 0, sizeof ops[nops]);
        ops[nops].key = skey; ops[nops].key_len = synadb__rl_skey(skey, session); ops[nops].op = SYNADB_OP_PUT;
        ops[nops].value.type = SYNADB_TYPE_TEXT; ops[nops].value.data = srec.p; ops[nops].value.len = srec.n;
        nops++;
    }
    if (!r) {
        size_t tl = synadb__rl_tkey(tkey, session, n);
        synadb__rl_encode(&o, rec);
        memset(&ops[nops], 0, 2 * sizeof ops[0]);
        ops[nops].key = tkey; ops[nops].key_len = tl; ops[nops].op = SYNADB_OP_PUT;
        ops[nops].value.type = SYNADB_TYPE_BYTES; ops[nops].value.data = rec; ops[nops].value.len = reclen;
        nops++;
        ops[nops].key = hkey; ops[nops].key_len = synadb__rl_hkey(hkey, h); ops[nops].op = SYNADB_OP_PUT;
        ops[nops].value.type = SYNADB_TYPE_TEXT; ops[nops].value.data = tkey + 5; ops[nops].value.len = tl - 5;
        nops++;
        r = synadb_write_batch(c->db, ops, nops, NULL);
        if (r) synadb__rldberr(c, r, "logging the transition");
        else { s->n = n + 1; s->known = 1; if (out_index) *out_index = n; }
    }
    synadb__mutex_unlock(&c->mu);
    SYNADB_FREE(rec); SYNADB_FREE(meta.p); SYNADB_FREE(srec.p);
    return r;
}
/* n of a session that must exist (a record or transitions). */
SYNADB_PRIVATE synadb_result synadb__rl_n_existing(synadb_rl *c, const char *session, uint64_t *n) {
    synadb__rlsess *s;
    synadb_result r;
    if (!synadb__rl_sid_ok(session)) return synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "bad session id");
    synadb__mutex_lock(&c->mu);
    r = synadb__rl_n(c, session, n, &s);
    if (!r && !*n && !s->known) r = synadb__rlerr(c, SYNADB_ERR_KEY_NOT_FOUND, "no session %s", session);
    synadb__mutex_unlock(&c->mu);
    return r;
}
SYNADB_ML_API synadb_result synadb_rl_count(synadb_rl *c, const char *session, uint64_t *out) {
    synadb_keylist l;
    uint64_t n, total = 0;
    size_t i;
    synadb_result r;
    if (out) *out = 0;
    if (!c || !out) return SYNADB_ERR_INVALID_ARG;
    if (session) { r = synadb__rl_n_existing(c, session, out); return r; }
    r = synadb_rl_sessions(c, &l);
    for (i = 0; !r && i < l.count; i++) {
        r = synadb__rl_n_existing(c, l.keys[i], &n);
        if (r == SYNADB_ERR_KEY_NOT_FOUND) { r = SYNADB_OK; n = 0; }
        total += n;
    }
    synadb_rl_sessions_free(&l);
    if (!r) *out = total;
    return r;
}
SYNADB_ML_API synadb_result synadb_rl_rewards(synadb_rl *c, const char *session, double **out, size_t *out_count) {
    synadb__rlscratch sc;
    uint64_t n = 0, i;
    double *v = NULL;
    synadb_result r;
    if (out) *out = NULL;
    if (out_count) *out_count = 0;
    if (!c || !out || !out_count) return SYNADB_ERR_INVALID_ARG;
    r = synadb__rl_n_existing(c, session, &n);
    if (r || !n) return r;
    if (n > (uint64_t)(SIZE_MAX / sizeof *v)) return synadb__rlerr(c, SYNADB_ERR_TOO_LARGE, "too many transitions");
    v = (double *)SYNADB_MALLOC((size_t)n * sizeof *v);
    if (!v) return synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
    memset(&sc, 0, sizeof sc);
    for (i = 0; i < n && !r; i++) {
        size_t len = 0;
        r = synadb__rl_fetch(c, session, i, &sc, &len);
        if (!r && synadb__rl_reward_of(sc.rec, len, &v[i]))
            r = synadb__rlerr(c, SYNADB_ERR_SERIALIZATION, "transition %llu of session %s is damaged", (unsigned long long)i, session);
    }
    synadb__rl_scratch_free(&sc);
    if (r) { SYNADB_FREE(v); return r; }
    *out = v; *out_count = (size_t)n;
    return SYNADB_OK;
}
SYNADB_PRIVATE void synadb__rl_view(const synadb__rltr *t, uint64_t idx, synadb_rl_transition *v) {
    memset(v, 0, sizeof *v);
    v->state = t->state; v->state_len = t->state_len; v->next_state = t->next; v->next_state_len = t->next_len;
    v->action_kind = t->kind; v->action_int = t->action_int; v->action = t->action; v->action_len = t->action_len;
    v->reward = t->reward; v->flags = t->flags; v->metadata_json = t->meta; v->timestamp_us = t->ts;
    v->session = t->sid; v->machine_id = t->machine; v->index = idx;
    synadb__rl_hash(t, v->hash);
}
/* Calls fn(user, t, idx) for the transitions of one session, or of all (session NULL). */
typedef int (*synadb__rl_each_fn)(void *user, const synadb__rltr *t, uint64_t idx);
SYNADB_PRIVATE synadb_result synadb__rl_each(synadb_rl *c, const char *session, uint64_t start, uint64_t limit, synadb__rl_each_fn fn,
                                             void *user, int (*on_session)(void *user, const char *sid)) {
    synadb_keylist l;
    synadb__rlscratch sc;
    synadb__rltr t;
    size_t si;
    uint64_t skip = start, done = 0;
    synadb_result r;
    int stop = 0;
    memset(&l, 0, sizeof l);
    if (session) {
        uint64_t n;
        r = synadb__rl_n_existing(c, session, &n);
        if (r) return r;
    } else {
        r = synadb_rl_sessions(c, &l);
        if (r) return r;
    }
    memset(&sc, 0, sizeof sc);
    for (si = 0; !r && !stop && done < limit && si < (session ? 1 : l.count); si++) {
        const char *sid = session ? session : l.keys[si];
        uint64_t n = 0, i;
        r = synadb__rl_n_existing(c, sid, &n);
        if (r == SYNADB_ERR_KEY_NOT_FOUND && !session) { r = SYNADB_OK; continue; }
        if (r) break;
        if (skip && skip >= n) { skip -= n; continue; }   /* the range starts after this session */
        if (on_session && on_session(user, sid)) { stop = 1; break; }
        for (i = skip, skip = 0; !r && i < n && done < limit; i++, done++) {
            r = synadb__rl_read(c, sid, i, &sc, &t);
            if (!r && fn(user, &t, i)) { stop = 1; break; }
        }
    }
    synadb__rl_scratch_free(&sc);
    synadb_rl_sessions_free(&l);
    return r;
}
typedef struct synadb__rl_fe { synadb_rl_fn fn; void *user; } synadb__rl_fe;
SYNADB_PRIVATE int synadb__rl_fe_cb(void *user, const synadb__rltr *t, uint64_t idx) {
    synadb__rl_fe *f = (synadb__rl_fe *)user;
    synadb_rl_transition v;
    synadb__rl_view(t, idx, &v);
    return f->fn(f->user, &v);
}
SYNADB_ML_API synadb_result synadb_rl_foreach_range(synadb_rl *c, const char *session, uint64_t start, uint64_t count, synadb_rl_fn fn,
                                                    void *user) {
    synadb__rl_fe f;
    if (!c || !fn) return SYNADB_ERR_INVALID_ARG;
    f.fn = fn; f.user = user;
    return synadb__rl_each(c, session, start, count, synadb__rl_fe_cb, &f, NULL);
}
SYNADB_ML_API synadb_result synadb_rl_foreach(synadb_rl *c, const char *session, synadb_rl_fn fn, void *user) {
    return synadb_rl_foreach_range(c, session, 0, UINT64_MAX, fn, user);
}

/* ---- JSON Lines ---- */
SYNADB_PRIVATE void synadb__rl_jf32s(synadb__json *j, const float *f, uint32_t n) {
    uint32_t i;
    synadb__jlit(j, "[");
    for (i = 0; i < n; i++) { if (i) synadb__jlit(j, ","); synadb__xf32(j, f[i], 1); }
    synadb__jlit(j, "]");
}
SYNADB_PRIVATE void synadb__rl_tjson(synadb__json *j, const synadb__rltr *t, uint64_t idx) {
    uint8_t h[32];
    char hex[65];
    synadb__jlit(j, "{\"kind\":\"transition\",\"session\":"); synadb__jstr(j, t->sid, strlen(t->sid));
    synadb__jlit(j, ",\"index\":"); synadb__juint(j, idx);
    synadb__jlit(j, ",\"machine\":"); synadb__jstr(j, t->machine, strlen(t->machine));
    synadb__jlit(j, ",\"timestamp_us\":"); synadb__juint(j, t->ts);
    synadb__jlit(j, ",\"state\":"); synadb__rl_jf32s(j, t->state, t->state_len);
    synadb__jlit(j, ",\"action\":");
    if (t->kind == SYNADB_RL_ACTION_INT) synadb__jint(j, t->action_int); else synadb__rl_jf32s(j, t->action, t->action_len);
    synadb__jlit(j, ",\"reward\":"); synadb__xf64(j, t->reward, 1);
    synadb__jlit(j, ",\"next_state\":"); synadb__rl_jf32s(j, t->next, t->next_len);
    synadb__jlit(j, (t->flags & SYNADB_RL_TERMINATED) ? ",\"terminated\":true" : ",\"terminated\":false");
    synadb__jlit(j, (t->flags & SYNADB_RL_TRUNCATED) ? ",\"truncated\":true" : ",\"truncated\":false");
    synadb__jlit(j, ",\"metadata\":");
    if (t->meta_len) synadb__jput(j, t->meta, t->meta_len); else synadb__jlit(j, "null");
    synadb__rl_hash(t, h);
    synadb_sha256_hex(h, hex);
    synadb__jlit(j, ",\"hash\":\""); synadb__jlit(j, hex); synadb__jlit(j, "\"}");
}
typedef struct synadb__rl_ex {
    synadb_rl *c;
    int (*write)(void *user, const void *data, size_t len);
    void *user;
    synadb__json j;
    uint64_t count;
    synadb_result err;
    int array;                      /* a JSON array (transitions_json) instead of lines */
} synadb__rl_ex;
SYNADB_PRIVATE int synadb__rl_ex_emit(synadb__rl_ex *x) {
    if (x->j.oom) { x->err = synadb__rlerr(x->c, SYNADB_ERR_NO_MEMORY, "out of memory"); return 1; }
    if (!x->array) synadb__jlit(&x->j, "\n");
    if (x->write && x->write(x->user, x->j.p, x->j.n)) { x->err = synadb__rlerr(x->c, SYNADB_ERR_IO, "writing the export failed"); return 1; }
    if (x->write) x->j.n = 0;
    return 0;
}
SYNADB_PRIVATE int synadb__rl_ex_session(void *user, const char *sid) {
    synadb__rl_ex *x = (synadb__rl_ex *)user;
    char key[SYNADB__RL_MAX_SID + 16], *rec = NULL;
    size_t n = 0;
    synadb_result r;
    if (x->array) return 0;
    r = synadb_get_text(x->c->db, key, synadb__rl_skey(key, sid), &rec, &n);
    if (r == SYNADB_ERR_KEY_NOT_FOUND) return 0;
    if (r) { x->err = synadb__rldberr(x->c, r, "reading a session"); return 1; }
    /* {"kind":"session","session":sid, + the stored record's members after "id" */
    {
        synadb__jdoc d;
        const synadb__jv *m, *st, *md;
        if (synadb__jparse(rec, n, &d) || d.root->type != SYNADB__JOBJ) {
            synadb__jdoc_free(&d); synadb_free(x->c->db, rec);
            x->err = synadb__rlerr(x->c, SYNADB_ERR_SERIALIZATION, "session record of %s is damaged", sid);
            return 1;
        }
        m = synadb__jget(d.root, "machine"); st = synadb__jget(d.root, "start_us"); md = synadb__jget(d.root, "metadata");
        synadb__jlit(&x->j, "{\"kind\":\"session\",\"session\":"); synadb__jstr(&x->j, sid, strlen(sid));
        synadb__jlit(&x->j, ",\"machine\":");
        if (m && m->type == SYNADB__JSTR) synadb__jstr(&x->j, m->s, m->n); else synadb__jlit(&x->j, "\"\"");
        synadb__jlit(&x->j, ",\"start_us\":");
        if (st && st->type == SYNADB__JNUM && st->is_int) synadb__jint(&x->j, st->i); else synadb__jlit(&x->j, "0");
        synadb__jlit(&x->j, ",\"metadata\":");
        if (md && md->type == SYNADB__JOBJ) synadb__rl_canon(&x->j, md); else synadb__jlit(&x->j, "{}");
        synadb__jlit(&x->j, "}");
        synadb__jdoc_free(&d);
    }
    synadb_free(x->c->db, rec);
    return synadb__rl_ex_emit(x);
}
SYNADB_PRIVATE int synadb__rl_ex_tr(void *user, const synadb__rltr *t, uint64_t idx) {
    synadb__rl_ex *x = (synadb__rl_ex *)user;
    if (x->array) synadb__jlit(&x->j, x->count ? "," : "[");
    synadb__rl_tjson(&x->j, t, idx);
    x->count++;
    return synadb__rl_ex_emit(x);
}
SYNADB_ML_API synadb_result synadb_rl_export_jsonl_to(synadb_rl *c, const char *session,
                                                      int (*write)(void *user, const void *data, size_t len), void *user, uint64_t *out_count) {
    synadb__rl_ex x;
    synadb_result r;
    if (out_count) *out_count = 0;
    if (!c || !write) return SYNADB_ERR_INVALID_ARG;
    memset(&x, 0, sizeof x);
    x.c = c; x.write = write; x.user = user;
    r = synadb__rl_each(c, session, 0, UINT64_MAX, synadb__rl_ex_tr, &x, synadb__rl_ex_session);
    if (!r) r = x.err;
    SYNADB_FREE(x.j.p);
    if (!r && out_count) *out_count = x.count;
    return r;
}
SYNADB_ML_API synadb_result synadb_rl_export_jsonl(synadb_rl *c, const char *session, const char *path, uint64_t *out_count) {
    synadb__ofile *o;
    synadb_result r;
    char eb[128];
    int e;
    if (out_count) *out_count = 0;
    if (!c || !path || !*path) return c ? synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "no output path") : SYNADB_ERR_INVALID_ARG;
    o = (synadb__ofile *)SYNADB_MALLOC(sizeof *o);
    if (!o) return synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
    e = synadb__ofile_open(o, path);
    if (e) { SYNADB_FREE(o); return synadb__rlerr(c, synadb__oserr_code(e), "cannot create %s: %s", path, synadb__strerror(e, eb, sizeof eb)); }
    r = synadb_rl_export_jsonl_to(c, session, synadb__ofile_write, o, out_count);
    if (r) synadb__ofile_abort(o);
    else if ((e = synadb__ofile_commit(o)) != 0) r = synadb__rlerr(c, synadb__oserr_code(e), "writing %s: %s", path, synadb__strerror(e, eb, sizeof eb));
    SYNADB_FREE(o);
    if (r && out_count) *out_count = 0;
    return r;
}

/* ---- import and merge: planned writes ---- */
/* A set of 32-byte digests (open addressing on the first 8 bytes). */
typedef struct synadb__hset { uint8_t (*h)[32]; uint8_t *used; size_t n, cap; } synadb__hset;
/* 1 if h was already in the set, 0 if added, -1 out of memory. */
SYNADB_PRIVATE int synadb__hset_add(synadb__hset *s, const uint8_t h[32]) {
    size_t i, mask;
    if ((s->n + 1) * 2 > s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 1024, j;
        uint8_t (*nh)[32] = (uint8_t (*)[32])SYNADB_MALLOC(nc * 32);
        uint8_t *nu = (uint8_t *)SYNADB_MALLOC(nc);
        if (!nh || !nu) { SYNADB_FREE(nh); SYNADB_FREE(nu); return -1; }
        memset(nu, 0, nc);
        for (j = 0; j < s->cap; j++) if (s->used[j]) {
            size_t k = (size_t)synadb__rd64(s->h[j]) & (nc - 1);
            while (nu[k]) k = (k + 1) & (nc - 1);
            memcpy(nh[k], s->h[j], 32); nu[k] = 1;
        }
        SYNADB_FREE(s->h); SYNADB_FREE(s->used);
        s->h = nh; s->used = nu; s->cap = nc;
    }
    mask = s->cap - 1;
    for (i = (size_t)synadb__rd64(h) & mask; s->used[i]; i = (i + 1) & mask)
        if (!memcmp(s->h[i], h, 32)) return 1;
    memcpy(s->h[i], h, 32); s->used[i] = 1; s->n++;
    return 0;
}
SYNADB_PRIVATE void synadb__hset_free(synadb__hset *s) { SYNADB_FREE(s->h); SYNADB_FREE(s->used); memset(s, 0, sizeof *s); }

/* Writes that are planned, then applied as one batch: ops with their bytes in an arena. */
typedef struct synadb__rlplan { synadb_batch_op *ops; size_t n, cap; synadb__arena a; uint64_t transitions; } synadb__rlplan;
SYNADB_PRIVATE int synadb__plan_put(synadb__rlplan *p, const char *key, size_t klen, int type, const void *data, size_t len) {
    synadb_batch_op *op;
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 256;
        synadb_batch_op *no = (synadb_batch_op *)SYNADB_REALLOC(p->ops, nc * sizeof *no);
        if (!no) return -1;
        p->ops = no; p->cap = nc;
    }
    op = &p->ops[p->n];
    memset(op, 0, sizeof *op);
    op->key = (const char *)synadb__arena_dup(&p->a, key, klen);
    op->value.data = synadb__arena_dup(&p->a, data, len);
    if (!op->key || !op->value.data) return -1;
    op->key_len = klen; op->op = SYNADB_OP_PUT;
    op->value.type = type; op->value.len = len;
    p->n++;
    return 0;
}
SYNADB_PRIVATE void synadb__plan_reset(synadb__rlplan *p) { p->n = 0; p->transitions = 0; synadb__arena_free(&p->a); }
SYNADB_PRIVATE void synadb__plan_free(synadb__rlplan *p) { synadb__plan_reset(p); SYNADB_FREE(p->ops); memset(p, 0, sizeof *p); }
/* Plans a session record for sid unless the database (or the plan) has one. mu held. */
SYNADB_PRIVATE synadb_result synadb__rl_plan_session(synadb_rl *c, synadb__rlplan *p, const char *sid, const char *machine, uint64_t start_us,
                                                     const char *meta, size_t meta_len) {
    char key[SYNADB__RL_MAX_SID + 16];
    synadb__rlsess *s;
    synadb__json j;
    uint64_t n;
    synadb_result r = synadb__rl_n(c, sid, &n, &s);
    if (r || s->known) return r;
    memset(&j, 0, sizeof j);
    r = synadb__rl_session_json(c, &j, sid, machine, start_us, meta, meta_len);
    if (!r && synadb__plan_put(p, key, synadb__rl_skey(key, sid), SYNADB_TYPE_TEXT, j.p, j.n)) r = synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
    SYNADB_FREE(j.p);
    if (!r) s->known = 1;
    return r;
}
/* Plans transition t (hash h) at the end of its session, unless dedup finds it. mu held.
   *added = 1 if planned. */
SYNADB_PRIVATE synadb_result synadb__rl_plan_tr(synadb_rl *c, synadb__rlplan *p, synadb__hset *seen, int dedup, const synadb__rltr *t,
                                                const uint8_t h[32], int *added) {
    char tkey[SYNADB__RL_MAX_SID + 64], hkey[72];
    synadb__rlsess *s;
    uint64_t n;
    size_t tl, len;
    uint8_t *rec;
    synadb_result r;
    int e;
    *added = 0;
    if (dedup) {
        e = synadb__hset_add(seen, h);
        if (e < 0) return synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
        if (e) return SYNADB_OK;
        e = synadb_exists(c->db, hkey, synadb__rl_hkey(hkey, h));
        if (e < 0) return synadb__rldberr(c, (synadb_result)e, "reading the hash index");
        if (e) return SYNADB_OK;
    }
    r = synadb__rl_plan_session(c, p, t->sid, t->machine, t->ts, NULL, 0);
    if (!r) r = synadb__rl_n(c, t->sid, &n, &s);
    if (r) return r;
    len = synadb__rl_enc_size(t);
    rec = (uint8_t *)SYNADB_MALLOC(len);
    if (!rec) return synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
    synadb__rl_encode(t, rec);
    tl = synadb__rl_tkey(tkey, t->sid, n);
    if (synadb__plan_put(p, tkey, tl, SYNADB_TYPE_BYTES, rec, len) ||
        synadb__plan_put(p, hkey, synadb__rl_hkey(hkey, h), SYNADB_TYPE_TEXT, tkey + 5, tl - 5)) r = synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
    SYNADB_FREE(rec);
    if (r) return r;
    s->n = n + 1;
    p->transitions++;
    *added = 1;
    return SYNADB_OK;
}
/* Applies the plan (one atomic batch). On failure the session cache is dropped (it counted
   the planned transitions). mu held. */
SYNADB_PRIVATE synadb_result synadb__rl_plan_apply(synadb_rl *c, synadb__rlplan *p) {
    synadb_result r = SYNADB_OK;
    if (p->n) {
        r = synadb_write_batch(c->db, p->ops, p->n, NULL);
        if (r) { synadb__rldberr(c, r, "writing the batch"); synadb__rl_cache_clear(c); }
    }
    return r;
}

SYNADB_ML_API synadb_result synadb_rl_log_batch(synadb_rl *c, const char *session, const synadb_rl_transition *ts, size_t count,
                                                uint64_t *out_first_index) {
    char tkey[SYNADB__RL_MAX_SID + 64], hkey[72];
    synadb__rlplan p;
    synadb__hset seen;
    synadb__rlsess *s;
    uint64_t n = 0, now;
    size_t i;
    synadb_result r;
    if (!c) return SYNADB_ERR_INVALID_ARG;
    if (!synadb__rl_sid_ok(session)) return synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "session id must be 1..%u bytes of UTF-8", SYNADB__RL_MAX_SID);
    if (count && !ts) return synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "transitions are NULL");
    if (!count) return SYNADB_OK;
    memset(&p, 0, sizeof p); memset(&seen, 0, sizeof seen);
    now = synadb__now_us();
    synadb__mutex_lock(&c->mu);
    r = synadb__rl_n(c, session, &n, &s);
    while (!r) {   /* as in synadb_rl_log */
        int e = synadb_exists(c->db, tkey, synadb__rl_tkey(tkey, session, n));
        if (e < 0) { r = synadb__rldberr(c, (synadb_result)e, "reading the session"); break; }
        if (!e) break;
        s->n = ++n;
    }
    if (!r && out_first_index) *out_first_index = n;
    if (!r) r = synadb__rl_plan_session(c, &p, session, c->machine, ts[0].timestamp_us ? ts[0].timestamp_us : now, NULL, 0);
    for (i = 0; i < count && !r; i++) {
        synadb__json meta;
        synadb__rltr o;
        uint8_t h[32];
        int added, auto_ts, tries;
        memset(&meta, 0, sizeof meta);
        r = synadb__rl_check(c, &ts[i], &meta, &o);
        if (r) { synadb__rlerr(c, r, "transition %llu: %s", (unsigned long long)i, c->errmsg); SYNADB_FREE(meta.p); break; }
        o.sid = session;
        auto_ts = o.ts == 0;
        if (auto_ts) o.ts = now;
        for (tries = 0;; tries++) {   /* automatic timestamps stay distinct, as in synadb_rl_log */
            int e;
            synadb__rl_hash(&o, h);
            if (!auto_ts || tries >= 1000) break;
            e = synadb__hset_add(&seen, h);
            if (e < 0) { r = synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory"); break; }
            if (!e) e = synadb_exists(c->db, hkey, synadb__rl_hkey(hkey, h));
            if (e < 0) { r = synadb__rldberr(c, (synadb_result)e, "reading the hash index"); break; }
            if (!e) break;
            o.ts++;
        }
        if (!r) r = synadb__rl_plan_tr(c, &p, &seen, 0, &o, h, &added);
        SYNADB_FREE(meta.p);
    }
    if (!r) r = synadb__rl_plan_apply(c, &p);
    else synadb__rl_cache_clear(c);
    synadb__mutex_unlock(&c->mu);
    synadb__plan_free(&p);
    synadb__hset_free(&seen);
    return r;
}

/* A float array member of a JSON line into the arena. */
SYNADB_PRIVATE int synadb__rl_jfloats(const synadb__jv *v, synadb__arena *a, const float **out, uint32_t *n, const char **why) {
    float *f;
    size_t i;
    if (!v || v->type != SYNADB__JARR) { *why = "expected an array of numbers"; return -1; }
    if (v->nkid > (1u << 26)) { *why = "array too long"; return -1; }
    f = (float *)synadb__arena_alloc(a, v->nkid * sizeof *f + 1);
    if (!f) { *why = "out of memory"; return -2; }
    for (i = 0; i < v->nkid; i++) {
        double d;
        if (synadb__xjv_f64(&v->kid[i], &d) || synadb__xto_f32(d, &f[i])) { *why = "an array element is not a float32 number"; return -1; }
    }
    *out = f; *n = (uint32_t)v->nkid;
    return 0;
}
/* Parsed line of a collector JSONL file. */
typedef struct synadb__rlline { int is_session; synadb__rltr t; uint8_t h[32]; uint64_t line; } synadb__rlline;
SYNADB_PRIVATE int synadb__rl_jstrdup(const synadb__jv *v, synadb__arena *a, const char **out, int sid, const char **why) {
    if (!v || v->type != SYNADB__JSTR || memchr(v->s, 0, v->n) || (sid && (!v->n || v->n > SYNADB__RL_MAX_SID)) || (!sid && (!v->n || v->n > 255))) {
        *why = sid ? "\"session\" must be a string of 1..1024 bytes" : "\"machine\" must be a string of 1..255 bytes";
        return -1;
    }
    *out = (const char *)synadb__arena_dup(a, v->s, v->n);
    if (!*out) { *why = "out of memory"; return -2; }
    return 0;
}
SYNADB_PRIVATE int synadb__rl_parse_line(const synadb__jv *o, synadb__arena *a, synadb__rlline *L, const char **why) {
    const synadb__jv *k = synadb__jget(o, "kind"), *v;
    synadb__json mj;
    int r;
    memset(&L->t, 0, sizeof L->t);
    if (o->type != SYNADB__JOBJ) { *why = "a line must be a JSON object"; return -1; }
    if (k && (k->type != SYNADB__JSTR || (strcmp(k->s, "session") && strcmp(k->s, "transition")))) { *why = "\"kind\" must be \"session\" or \"transition\""; return -1; }
    L->is_session = k && !strcmp(k->s, "session");
    if ((r = synadb__rl_jstrdup(synadb__jget(o, "session"), a, &L->t.sid, 1, why)) != 0) return r;
    if (!synadb__utf8_valid((const uint8_t *)L->t.sid, strlen(L->t.sid))) { *why = "bad session id"; return -1; }
    if ((r = synadb__rl_jstrdup(synadb__jget(o, "machine"), a, &L->t.machine, 0, why)) != 0) return r;
    v = synadb__jget(o, L->is_session ? "start_us" : "timestamp_us");
    if (!v || v->type != SYNADB__JNUM || !v->is_int || v->i < 0) { *why = L->is_session ? "\"start_us\" must be an integer >= 0" : "\"timestamp_us\" must be an integer >= 0"; return -1; }
    L->t.ts = (uint64_t)v->i;
    v = synadb__jget(o, "metadata");
    memset(&mj, 0, sizeof mj);
    if (v && v->type == SYNADB__JOBJ) synadb__rl_canon(&mj, v);
    else if (v && v->type != SYNADB__JNULL) { *why = "\"metadata\" must be an object or null"; return -1; }
    if (mj.oom) { SYNADB_FREE(mj.p); *why = "out of memory"; return -2; }
    L->t.meta = mj.n ? (const char *)synadb__arena_dup(a, mj.p, mj.n) : "";
    L->t.meta_len = mj.n;
    SYNADB_FREE(mj.p);
    if (!L->t.meta) { *why = "out of memory"; return -2; }
    if (L->is_session) return 0;
    if ((r = synadb__rl_jfloats(synadb__jget(o, "state"), a, &L->t.state, &L->t.state_len, why)) != 0) { if (r == -1) *why = "\"state\": expected an array of float32 numbers"; return r; }
    if ((r = synadb__rl_jfloats(synadb__jget(o, "next_state"), a, &L->t.next, &L->t.next_len, why)) != 0) { if (r == -1) *why = "\"next_state\": expected an array of float32 numbers"; return r; }
    v = synadb__jget(o, "action");
    if (v && v->type == SYNADB__JNUM && v->is_int) { L->t.kind = SYNADB_RL_ACTION_INT; L->t.action_int = v->i; }
    else if (v && v->type == SYNADB__JARR) {
        L->t.kind = SYNADB_RL_ACTION_VECTOR;
        if ((r = synadb__rl_jfloats(v, a, &L->t.action, &L->t.action_len, why)) != 0) { if (r == -1) *why = "\"action\": expected an array of float32 numbers"; return r; }
    } else { *why = "\"action\" must be an int64 integer or an array of numbers"; return -1; }
    v = synadb__jget(o, "reward");
    if (!v || synadb__xjv_f64(v, &L->t.reward)) { *why = "\"reward\" must be a number, \"NaN\", \"Infinity\" or \"-Infinity\""; return -1; }
    v = synadb__jget(o, "terminated");
    if (v && v->type != SYNADB__JTRUE && v->type != SYNADB__JFALSE) { *why = "\"terminated\" must be true or false"; return -1; }
    if (v && v->type == SYNADB__JTRUE) L->t.flags |= SYNADB_RL_TERMINATED;
    v = synadb__jget(o, "truncated");
    if (v && v->type != SYNADB__JTRUE && v->type != SYNADB__JFALSE) { *why = "\"truncated\" must be true or false"; return -1; }
    if (v && v->type == SYNADB__JTRUE) L->t.flags |= SYNADB_RL_TRUNCATED;
    synadb__rl_hash(&L->t, L->h);
    v = synadb__jget(o, "hash");
    if (v) {
        char hex[65];
        synadb_sha256_hex(L->h, hex);
        if (v->type != SYNADB__JSTR || v->n != 64 || memcmp(v->s, hex, 64)) { *why = "\"hash\" does not match the transition's content"; return -1; }
    }
    return 0;
}
SYNADB_ML_API synadb_result synadb_rl_import_jsonl_mem(synadb_rl *c, const char *text, size_t len, int deduplicate, uint64_t *out_imported,
                                                       uint64_t *out_error_line) {
    synadb__arena a;
    synadb__rlline *lines = NULL;
    size_t nl = 0, capl = 0, off = 0, i;
    uint64_t lineno = 0;
    synadb__rlplan p;
    synadb__hset seen;
    synadb_result r = SYNADB_OK;
    if (out_imported) *out_imported = 0;
    if (out_error_line) *out_error_line = 0;
    if (!c || (!text && len)) return SYNADB_ERR_INVALID_ARG;
    memset(&a, 0, sizeof a); memset(&p, 0, sizeof p); memset(&seen, 0, sizeof seen);
    /* 1. every line is parsed and checked */
    while (off < len && !r) {
        size_t end = off, e2;
        synadb__jdoc d;
        const char *why = NULL;
        int pr;
        while (end < len && text[end] != '\n') end++;
        lineno++;
        e2 = end;
        if (e2 > off && text[e2 - 1] == '\r') e2--;
        {   /* blank lines are allowed */
            size_t q = off;
            while (q < e2 && (text[q] == ' ' || text[q] == '\t')) q++;
            if (q == e2) { off = end + 1; continue; }
        }
        if (nl == capl) {
            size_t nc = capl ? capl * 2 : 256;
            synadb__rlline *nn = (synadb__rlline *)SYNADB_REALLOC(lines, nc * sizeof *nn);
            if (!nn) { r = synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory"); break; }
            lines = nn; capl = nc;
        }
        pr = synadb__jparse_range(text, off, e2, &d);
        if (pr == -1) {
            char msg[100];
            size_t at = (size_t)(d.p - text);
            r = synadb__rlerr(c, SYNADB_ERR_SYNTAX, "line %llu, column %llu (byte %llu): %s", (unsigned long long)lineno,
                              (unsigned long long)(at - off + 1), (unsigned long long)at, synadb__xjerr(&d, msg, sizeof msg));
        } else if (pr) r = synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
        else {
            pr = synadb__rl_parse_line(d.root, &a, &lines[nl], &why);
            if (pr == -2) r = synadb__rlerr(c, SYNADB_ERR_NO_MEMORY, "out of memory");
            else if (pr) r = synadb__rlerr(c, SYNADB_ERR_SYNTAX, "line %llu, column 1 (byte %llu): %s", (unsigned long long)lineno, (unsigned long long)off, why);
            else lines[nl++].line = lineno;
        }
        synadb__jdoc_free(&d);
        if (r == SYNADB_ERR_SYNTAX && out_error_line) *out_error_line = lineno;
        off = end + 1;
    }
    /* 2. planned under the lock, written as one batch */
    if (!r) {
        synadb__mutex_lock(&c->mu);
        for (i = 0; i < nl && !r; i++) {
            synadb__rltr *t = &lines[i].t;
            int added;
            if (lines[i].is_session) r = synadb__rl_plan_session(c, &p, t->sid, t->machine, t->ts, t->meta, t->meta_len);
            else r = synadb__rl_plan_tr(c, &p, &seen, deduplicate, t, lines[i].h, &added);
        }
        if (!r) r = synadb__rl_plan_apply(c, &p);
        else synadb__rl_cache_clear(c);
        synadb__mutex_unlock(&c->mu);
        if (!r && out_imported) *out_imported = p.transitions;
    }
    synadb__plan_free(&p);
    synadb__hset_free(&seen);
    synadb__arena_free(&a);
    SYNADB_FREE(lines);
    return r;
}
SYNADB_ML_API synadb_result synadb_rl_import_jsonl(synadb_rl *c, const char *path, int deduplicate, uint64_t *out_imported,
                                                   uint64_t *out_error_line) {
    char *text = NULL, eb[128];
    size_t len = 0;
    synadb_result r;
    int e;
    if (out_imported) *out_imported = 0;
    if (out_error_line) *out_error_line = 0;
    if (!c) return SYNADB_ERR_INVALID_ARG;
    if (!path || !*path) return synadb__rlerr(c, SYNADB_ERR_INVALID_ARG, "no input path");
    e = synadb__slurp(path, &text, &len);
    if (e) return synadb__rlerr(c, synadb__oserr_code(e), "cannot read %s: %s", path, synadb__strerror(e, eb, sizeof eb));
    r = synadb_rl_import_jsonl_mem(c, text, len, deduplicate, out_imported, out_error_line);
    SYNADB_FREE(text);
    return r;
}

/* ---- merge ---- */
SYNADB_PRIVATE synadb_result synadb__rl_merge_one(synadb_rl *dest, const char *src_path, synadb__hset *seen, uint64_t *added_total) {
    synadb_config cfg = synadb_config_default();
    synadb_db *sdb = NULL;
    synadb_rl *src = NULL;
    synadb_keylist l;
    synadb__rlscratch sc;
    synadb__rlplan p;
    synadb__rltr t;
    size_t si;
    char eb[256];
    synadb_result r;
    cfg.read_only = 1; cfg.no_create = 1;
    r = synadb_open_ex(src_path, &cfg, &sdb, eb, sizeof eb);
    if (r) return synadb__rlerr(dest, r, "cannot open %s: %s", src_path, eb);
    r = synadb__rl_new(sdb, 1, NULL, &src);
    if (r) { synadb_close(sdb); return synadb__rlerr(dest, r, "cannot read %s", src_path); }
    memset(&sc, 0, sizeof sc); memset(&p, 0, sizeof p);
    r = synadb_rl_sessions(src, &l);
    if (r) { synadb__rlerr(dest, r, "%s: %s", src_path, src->errmsg); synadb_rl_close(src); return r; }
    synadb__mutex_lock(&dest->mu);
    for (si = 0; !r && si < l.count; si++) {
        const char *sid = l.keys[si];
        char key[SYNADB__RL_MAX_SID + 16], *rec = NULL;
        size_t rn = 0;
        uint64_t n = 0, i;
        synadb_result r2;
        if (!synadb__rl_sid_ok(sid)) continue;
        /* the session record, copied as it is if dest has none */
        r2 = synadb_get_text(sdb, key, synadb__rl_skey(key, sid), &rec, &rn);
        if (!r2) {
            synadb__rlsess *s;
            uint64_t dn;
            r = synadb__rl_n(dest, sid, &dn, &s);
            if (!r && !s->known) {
                if (synadb__plan_put(&p, key, synadb__rl_skey(key, sid), SYNADB_TYPE_TEXT, rec, rn)) r = synadb__rlerr(dest, SYNADB_ERR_NO_MEMORY, "out of memory");
                else s->known = 1;
            }
            synadb_free(sdb, rec);
        }
        if (!r) {
            synadb__mutex_lock(&src->mu);
            r = synadb__rl_n(src, sid, &n, NULL);
            synadb__mutex_unlock(&src->mu);
            if (r) r = synadb__rlerr(dest, r, "%s: %s", src_path, src->errmsg);
        }
        for (i = 0; !r && i < n; i++) {
            uint8_t h[32];
            int added;
            r = synadb__rl_read(src, sid, i, &sc, &t);
            if (r) { r = synadb__rlerr(dest, r, "%s: %s", src_path, src->errmsg); break; }
            synadb__rl_hash(&t, h);
            r = synadb__rl_plan_tr(dest, &p, seen, 1, &t, h, &added);
            if (!r && p.transitions >= SYNADB__RL_BATCH) {
                uint64_t k = p.transitions;
                r = synadb__rl_plan_apply(dest, &p);
                if (!r) *added_total += k;
                synadb__plan_reset(&p);
            }
        }
    }
    if (!r) {
        uint64_t k = p.transitions;
        r = synadb__rl_plan_apply(dest, &p);
        if (!r) *added_total += k;
    } else synadb__rl_cache_clear(dest);
    synadb__mutex_unlock(&dest->mu);
    synadb__plan_free(&p);
    synadb__rl_scratch_free(&sc);
    synadb_rl_sessions_free(&l);
    synadb_rl_close(src);
    return r;
}
SYNADB_ML_API synadb_result synadb_rl_merge_into(synadb_rl *dest, const char *const *sources, size_t count, uint64_t *out_merged) {
    synadb__hset seen;
    uint64_t added = 0;
    size_t i;
    synadb_result r = SYNADB_OK;
    if (out_merged) *out_merged = 0;
    if (!dest) return SYNADB_ERR_INVALID_ARG;
    if (count && !sources) return synadb__rlerr(dest, SYNADB_ERR_INVALID_ARG, "sources is NULL");
    for (i = 0; i < count; i++)
        if (!sources[i] || !*sources[i]) return synadb__rlerr(dest, SYNADB_ERR_INVALID_ARG, "source %llu is NULL or empty", (unsigned long long)i);
    memset(&seen, 0, sizeof seen);
    for (i = 0; i < count && !r; i++) r = synadb__rl_merge_one(dest, sources[i], &seen, &added);
    synadb__hset_free(&seen);
    if (out_merged) *out_merged = added;
    return r;
}
SYNADB_ML_API synadb_result synadb_rl_merge(const char *const *sources, size_t count, const char *dest, uint64_t *out_merged,
                                            char *errbuf, size_t errbuf_len) {
    synadb_rl *c = NULL;
    synadb_result r, r2;
    if (out_merged) *out_merged = 0;
    if (errbuf && errbuf_len) errbuf[0] = 0;
    if (!dest || !*dest) return SYNADB_ERR_INVALID_ARG;
    r = synadb_rl_open(dest, NULL, &c);
    if (r) { if (errbuf && errbuf_len) snprintf(errbuf, errbuf_len, "cannot open %s: %s", dest, synadb_result_str(r)); return r; }
    r = synadb_rl_merge_into(c, sources, count, out_merged);
    if (r && errbuf && errbuf_len) snprintf(errbuf, errbuf_len, "%s", c->errmsg);
    r2 = synadb_rl_close(c);
    return r ? r : r2;
}

/* ---- C ABI ---- */
#ifndef SYNADB_NO_COMPAT_ABI
SYNADB_PRIVATE void synadb__rl_close_obj(void *o) { synadb_rl_close((synadb_rl *)o); }
SYNADB_PRIVATE int32_t synadb__rl_abi_rc(synadb_result r) { return r ? (int32_t)r : 1; }
#define SYNADB__RL_ACQUIRE(path, e, c) \
    int32_t rc_ = 0; \
    synadb__mlreg *e = synadb__ml_acquire(path, SYNADB__MLK_COLLECTOR, &rc_); \
    synadb_rl *c; \
    if (!e) return rc_; \
    c = (synadb_rl *)e->obj
SYNADB_ML_API int32_t syna_exp_collector_open(const char *path, const char *machine_id) {
    int32_t rc = 0;
    synadb__mlreg *e = synadb__ml_acquire(path, SYNADB__MLK_COLLECTOR, &rc);
    synadb__reg *core;
    synadb_rl *c = NULL;
    synadb_result r;
    int used = 0;
    if (e) { synadb__ml_release(e); return 1; }
    if (rc == SYNA_ERR_INVALID_PATH) return rc;
    core = synadb__acquire(path, &rc);
    if (core) {   /* open through SYNA_open: use that handle, holding a reference to it */
        r = synadb__rl_new(core->db, 0, machine_id, &c);
        if (r) { synadb__drop(core); return (int32_t)r; }
        c->corereg = core;
    } else {
        r = synadb_rl_open(path, machine_id, &c);
        if (r == SYNADB_ERR_LOCKED && (e = synadb__ml_acquire(path, SYNADB__MLK_COLLECTOR, &rc)) != NULL) { synadb__ml_release(e); return 1; }
        if (r) return (int32_t)r;
    }
    rc = synadb__ml_register(path, SYNADB__MLK_COLLECTOR, c, synadb__rl_close_obj, &used);
    if (!used) synadb_rl_close(c);
    return rc;
}
SYNADB_ML_API int32_t syna_exp_collector_close(const char *path) { return synadb__ml_unregister(path, SYNADB__MLK_COLLECTOR); }
SYNADB_PRIVATE int32_t synadb__rl_abi_text(const char *s, char **out, size_t *out_len) {
    size_t n = strlen(s);
    *out = (char *)SYNADB_MALLOC(n + 1);
    if (!*out) return SYNADB_ERR_NO_MEMORY;
    memcpy(*out, s, n + 1);
    *out_len = n;
    return 1;
}
SYNADB_ML_API int32_t syna_exp_collector_machine_id(const char *path, char **out_id, size_t *out_len) {
    int32_t rc;
    if (!out_id || !out_len) return SYNA_ERR_INVALID_PATH;
    *out_id = NULL; *out_len = 0;
    {
        SYNADB__RL_ACQUIRE(path, e, c);
        rc = synadb__rl_abi_text(c->machine, out_id, out_len);
        synadb__ml_release(e);
    }
    return rc;
}
SYNADB_ML_API int32_t syna_exp_collector_start_session(const char *path, const char *session_id, const char *metadata_json, char **out_id, size_t *out_len) {
    char sid[SYNADB__RL_MAX_SID + 1];
    synadb_result r;
    int32_t rc;
    if (!out_id || !out_len) return SYNA_ERR_INVALID_PATH;
    *out_id = NULL; *out_len = 0;
    {
        SYNADB__RL_ACQUIRE(path, e, c);
        r = synadb_rl_start_session(c, session_id, metadata_json, NULL, NULL, 0, sid, sizeof sid);
        synadb__ml_release(e);
    }
    if (r) return (int32_t)r;
    rc = synadb__rl_abi_text(sid, out_id, out_len);
    return rc;
}
SYNADB_ML_API int32_t syna_exp_collector_log_transition(const char *path, const char *session, const float *state, size_t state_len, int64_t action_int,
                                                        const float *action, size_t action_len, double reward, const float *next_state,
                                                        size_t next_state_len, int32_t flags, const char *metadata_json) {
    synadb_rl_transition t;
    synadb_result r;
    if (!session || (state_len && !state) || (next_state_len && !next_state) || state_len > 0xFFFFFFFFu || next_state_len > 0xFFFFFFFFu ||
        action_len > 0xFFFFFFFFu || (!action && action_len) || flags < 0)
        return SYNA_ERR_INVALID_PATH;
    memset(&t, 0, sizeof t);
    t.state = state; t.state_len = (uint32_t)state_len; t.next_state = next_state; t.next_state_len = (uint32_t)next_state_len;
    if (action) { t.action_kind = SYNADB_RL_ACTION_VECTOR; t.action = action; t.action_len = (uint32_t)action_len; }
    else { t.action_kind = SYNADB_RL_ACTION_INT; t.action_int = action_int; }
    t.reward = reward; t.flags = (uint32_t)flags; t.metadata_json = metadata_json;
    {
        SYNADB__RL_ACQUIRE(path, e, c);
        r = synadb_rl_log(c, session, &t, NULL);
        synadb__ml_release(e);
    }
    return synadb__rl_abi_rc(r);
}
SYNADB_ML_API int64_t syna_exp_collector_count(const char *path, const char *session) {
    uint64_t n = 0;
    synadb_result r;
    {
        SYNADB__RL_ACQUIRE(path, e, c);
        r = synadb_rl_count(c, session, &n);
        synadb__ml_release(e);
    }
    return r ? (int64_t)r : (int64_t)n;
}
SYNADB_ML_API int64_t syna_exp_collector_get_rewards(const char *path, const char *session, double **out, size_t *out_len) {
    synadb_result r;
    if (!session || !out || !out_len) return SYNA_ERR_INVALID_PATH;
    *out = NULL; *out_len = 0;
    {
        SYNADB__RL_ACQUIRE(path, e, c);
        r = synadb_rl_rewards(c, session, out, out_len);
        synadb__ml_release(e);
    }
    return r ? (int64_t)r : (int64_t)*out_len;
}
SYNADB_ML_API int32_t syna_exp_collector_list_sessions(const char *path, char **out_json) {
    synadb_keylist l;
    synadb__json j;
    size_t i;
    synadb_result r;
    if (!out_json) return SYNA_ERR_INVALID_PATH;
    *out_json = NULL;
    {
        SYNADB__RL_ACQUIRE(path, e, c);
        r = synadb_rl_sessions(c, &l);
        synadb__ml_release(e);
    }
    if (r) return (int32_t)r;
    memset(&j, 0, sizeof j);
    synadb__jlit(&j, "[");
    for (i = 0; i < l.count; i++) { if (i) synadb__jlit(&j, ","); synadb__jstr(&j, l.keys[i], l.lens[i]); }
    synadb__jlit(&j, "]");
    synadb_rl_sessions_free(&l);
    if (j.oom) { SYNADB_FREE(j.p); return SYNADB_ERR_NO_MEMORY; }
    *out_json = j.p;
    return (int32_t)(i > 0x7fffffff ? 0x7fffffff : i);
}
SYNADB_ML_API int64_t syna_exp_collector_transitions_json(const char *path, const char *session, uint64_t start, uint64_t limit, char **out_json) {
    synadb__rl_ex x;
    synadb_result r;
    if (!out_json) return SYNA_ERR_INVALID_PATH;
    *out_json = NULL;
    memset(&x, 0, sizeof x);
    x.array = 1;
    {
        SYNADB__RL_ACQUIRE(path, e, c);
        x.c = c;
        r = synadb__rl_each(c, session, start, limit ? limit : UINT64_MAX, synadb__rl_ex_tr, &x, NULL);
        if (!r) r = x.err;
        synadb__ml_release(e);
    }
    if (!r) synadb__jlit(&x.j, x.count ? "]" : "[]");
    if (!r && x.j.oom) r = SYNADB_ERR_NO_MEMORY;
    if (r) { SYNADB_FREE(x.j.p); return (int64_t)r; }
    *out_json = x.j.p;
    return (int64_t)x.count;
}
SYNADB_ML_API int64_t syna_exp_collector_export_jsonl(const char *path, const char *session, const char *out_file) {
    uint64_t n = 0;
    synadb_result r;
    if (!out_file) return SYNA_ERR_INVALID_PATH;
    {
        SYNADB__RL_ACQUIRE(path, e, c);
        r = synadb_rl_export_jsonl(c, session, out_file, &n);
        synadb__ml_release(e);
    }
    return r ? (int64_t)r : (int64_t)n;
}
SYNADB_ML_API int64_t syna_exp_collector_import_jsonl(const char *path, const char *in_file, int32_t deduplicate) {
    uint64_t n = 0;
    synadb_result r;
    if (!in_file) return SYNA_ERR_INVALID_PATH;
    {
        SYNADB__RL_ACQUIRE(path, e, c);
        r = synadb_rl_import_jsonl(c, in_file, deduplicate != 0, &n, NULL);
        synadb__ml_release(e);
    }
    return r ? (int64_t)r : (int64_t)n;
}
SYNADB_ML_API int64_t syna_exp_collector_merge(const char *const *sources, size_t count, const char *dest) {
    int32_t rc = 0;
    uint64_t n = 0;
    synadb_result r;
    synadb__mlreg *e;
    size_t i;
    if (!dest || !*dest || (count && !sources)) return SYNA_ERR_INVALID_PATH;
    for (i = 0; i < count; i++) if (!sources[i]) return SYNA_ERR_INVALID_PATH;
    e = synadb__ml_acquire(dest, SYNADB__MLK_COLLECTOR, &rc);
    if (e) {
        r = synadb_rl_merge_into((synadb_rl *)e->obj, sources, count, &n);
        synadb__ml_release(e);
    } else {
        synadb__reg *core = synadb__acquire(dest, &rc);
        if (core) {
            synadb_rl *c = NULL;
            r = synadb__rl_new(core->db, 0, NULL, &c);
            if (!r) { r = synadb_rl_merge_into(c, sources, count, &n); synadb_rl_close(c); }
            synadb__drop(core);
        } else r = synadb_rl_merge(sources, count, dest, &n, NULL, 0);
    }
    return r ? (int64_t)r : (int64_t)n;
}
#define SYNADB__X(ret, name, params, args, RET) SYNADB_ML_API ret SYNA_##name params { RET syna_##name args; }
SYNADB__ML_RL_ABI_FUNCS(SYNADB__X)
#undef SYNADB__X
#undef SYNADB__RL_ACQUIRE
#endif /* SYNADB_NO_COMPAT_ABI */

/* ======================================================================== >>ml.io */
static const char *const synadb__io_types[] = {"null", "float", "int", "text", "bytes", "vector"};
SYNADB_PRIVATE int synadb__io_type(const char *s, size_t n) {
    int i;
    for (i = 0; i < 6; i++) if (strlen(synadb__io_types[i]) == n && !memcmp(s, synadb__io_types[i], n)) return i;
    return -1;
}
/* A strict decimal int64 (JSON's integer grammar). 0, or -1. */
SYNADB_PRIVATE int synadb__io_parse_i64(const char *s, size_t n, int64_t *out) {
    size_t i = 0;
    uint64_t u = 0, lim;
    int neg = 0;
    if (i < n && s[i] == '-') { neg = 1; i++; }
    if (i >= n || s[i] < '0' || s[i] > '9' || (s[i] == '0' && i + 1 < n)) return -1;
    lim = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        if (u > (lim - (uint64_t)(s[i] - '0')) / 10) return -1;
        u = u * 10 + (uint64_t)(s[i] - '0');
    }
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return 0;
}

/* ---- export ---- */
SYNADB_PRIVATE void synadb__io_csv_field(synadb__json *j, const char *s, size_t n) {
    size_t i, run = 0;
    int q = 0;
    for (i = 0; i < n && !q; i++) q = s[i] == ',' || s[i] == '"' || (unsigned char)s[i] < 0x20 || s[i] == 0x7f;
    if (!q) { synadb__jput(j, s, n); return; }
    synadb__jput(j, "\"", 1);
    for (i = 0; i < n; i++) if (s[i] == '"') { synadb__jput(j, s + run, i + 1 - run); synadb__jput(j, "\"", 1); run = i + 1; }
    synadb__jput(j, s + run, n - run);
    synadb__jput(j, "\"", 1);
}
SYNADB_PRIVATE void synadb__io_b64(synadb__json *j, const void *p, size_t n, int quote) {
    size_t m = synadb_io_base64_len(n);
    char *b = (char *)SYNADB_MALLOC(m + 1);
    if (!b) { j->oom = 1; return; }
    synadb_io_base64_encode(p, n, b);
    if (quote) synadb__jput(j, "\"", 1);
    synadb__jput(j, b, m);
    if (quote) synadb__jput(j, "\"", 1);
    SYNADB_FREE(b);
}
/* One record. csv: 0 JSON object, else CSV row with csv - 1 = 1 if a key_encoding column. */
SYNADB_PRIVATE void synadb__io_record(synadb__json *j, const char *key, size_t klen, const synadb_value *v, int csv) {
    int utf8 = synadb__utf8_valid((const uint8_t *)key, klen);
    uint32_t i;
    const float *f = (const float *)v->data;
    if (!csv) {
        if (utf8) { synadb__jlit(j, "{\"key\":"); synadb__jstr(j, key, klen); }
        else { synadb__jlit(j, "{\"key_base64\":"); synadb__io_b64(j, key, klen, 1); }
        synadb__jlit(j, ",\"type\":\""); synadb__jlit(j, synadb__io_types[v->type]); synadb__jlit(j, "\",\"value\":");
        switch (v->type) {
        case SYNADB_TYPE_NULL: synadb__jlit(j, "null"); break;
        case SYNADB_TYPE_FLOAT: synadb__xf64(j, v->f, 1); break;
        case SYNADB_TYPE_INT: synadb__jint(j, v->i); break;
        case SYNADB_TYPE_TEXT: synadb__jstr(j, (const char *)v->data, v->len); break;
        case SYNADB_TYPE_BYTES: synadb__io_b64(j, v->data, v->len, 1); break;
        default:
            synadb__jlit(j, "[");
            for (i = 0; i < v->dims; i++) { if (i) synadb__jlit(j, ","); synadb__xf32(j, f[i], 1); }
            synadb__jlit(j, "]");
        }
        synadb__jlit(j, "}");
        return;
    }
    if (utf8) synadb__io_csv_field(j, key, klen); else synadb__io_b64(j, key, klen, 0);
    synadb__jlit(j, ","); synadb__jlit(j, synadb__io_types[v->type]); synadb__jlit(j, ",");
    switch (v->type) {
    case SYNADB_TYPE_NULL: break;
    case SYNADB_TYPE_FLOAT: synadb__xf64(j, v->f, 0); break;
    case SYNADB_TYPE_INT: synadb__jint(j, v->i); break;
    case SYNADB_TYPE_TEXT: synadb__io_csv_field(j, (const char *)v->data, v->len); break;
    case SYNADB_TYPE_BYTES: synadb__io_b64(j, v->data, v->len, 0); break;
    default:
        for (i = 0; i < v->dims; i++) { if (i) synadb__jlit(j, ";"); synadb__xf32(j, f[i], 0); }
    }
    if (csv == 2) synadb__jlit(j, utf8 ? "," : ",base64");
    synadb__jlit(j, "\r\n");
}
SYNADB_ML_API synadb_result synadb_io_export(synadb_db *db, synadb_io_format fmt, const char *pattern, synadb_io_write_fn write,
                                             void *user, synadb_io_info *info) {
    synadb_keylist kl;
    synadb__json j;
    size_t i;
    uint64_t count = 0;
    int csv = 0;
    synadb_result r;
    if (info) memset(info, 0, sizeof *info);
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!write) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "no output callback");
    if (fmt != SYNADB_IO_JSON && fmt != SYNADB_IO_JSONL && fmt != SYNADB_IO_CSV) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "unknown format %d", (int)fmt);
    r = synadb_keys(db, pattern, SYNADB_NTS, &kl);
    if (r) return r;
    memset(&j, 0, sizeof j);
    if (fmt == SYNADB_IO_CSV) {
        csv = 1;
        for (i = 0; i < kl.count && csv == 1; i++) if (!synadb__utf8_valid((const uint8_t *)kl.keys[i], kl.lens[i])) csv = 2;
        synadb__jlit(&j, csv == 2 ? "key,type,value,key_encoding\r\n" : "key,type,value\r\n");
    } else if (fmt == SYNADB_IO_JSON) synadb__jlit(&j, "[");
    for (i = 0; i < kl.count && !r; i++) {
        synadb_value v;
        r = synadb_get(db, kl.keys[i], kl.lens[i], &v);
        if (r == SYNADB_ERR_KEY_NOT_FOUND) { r = SYNADB_OK; continue; }   /* deleted since the listing */
        if (r) break;
        if (fmt == SYNADB_IO_JSON) synadb__jlit(&j, count ? ",\n" : "\n");
        synadb__io_record(&j, kl.keys[i], kl.lens[i], &v, csv);
        if (fmt == SYNADB_IO_JSONL) synadb__jlit(&j, "\n");
        synadb_value_free(db, &v);
        count++;
        if (j.oom) r = synadb__err(db, SYNADB_ERR_NO_MEMORY, "out of memory");
        else if (j.n >= 65536) {
            if (write(user, j.p, j.n)) r = synadb__err(db, SYNADB_ERR_IO, "writing the export failed");
            j.n = 0;
        }
    }
    if (!r && fmt == SYNADB_IO_JSON) synadb__jlit(&j, count ? "\n]\n" : "]\n");
    if (!r && j.oom) r = synadb__err(db, SYNADB_ERR_NO_MEMORY, "out of memory");
    if (!r && j.n && write(user, j.p, j.n)) r = synadb__err(db, SYNADB_ERR_IO, "writing the export failed");
    SYNADB_FREE(j.p);
    synadb_keylist_free(db, &kl);
    if (!r && info) info->records = count;
    return r;
}
SYNADB_ML_API synadb_result synadb_io_export_file(synadb_db *db, synadb_io_format fmt, const char *pattern, const char *path,
                                                  synadb_io_info *info) {
    synadb__ofile *o;
    synadb_result r;
    char eb[128];
    int e;
    if (info) memset(info, 0, sizeof *info);
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!path || !*path) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "no output path");
    o = (synadb__ofile *)SYNADB_MALLOC(sizeof *o);
    if (!o) return synadb__err(db, SYNADB_ERR_NO_MEMORY, "out of memory");
    e = synadb__ofile_open(o, path);
    if (e) { SYNADB_FREE(o); return synadb__err(db, synadb__oserr_code(e), "cannot create %s: %s", path, synadb__strerror(e, eb, sizeof eb)); }
    r = synadb_io_export(db, fmt, pattern, synadb__ofile_write, o, info);
    if (r && o->err) r = synadb__err(db, synadb__oserr_code(o->err), "writing %s: %s", path, synadb__strerror(o->err, eb, sizeof eb));
    if (r) synadb__ofile_abort(o);
    else if ((e = synadb__ofile_commit(o)) != 0) r = synadb__err(db, synadb__oserr_code(e), "writing %s: %s", path, synadb__strerror(e, eb, sizeof eb));
    SYNADB_FREE(o);
    if (r && info) info->records = 0;
    return r;
}

/* ---- import ---- */
typedef struct synadb__io_in {
    synadb_db *db;
    const char *text;
    size_t len;
    const char *prefix;
    size_t plen;
    synadb__arena a;
    synadb_batch_op *ops;
    size_t n, cap;
    synadb_io_info *info;
} synadb__io_in;
/* A syntax error at byte off (the message names line, column and byte). */
SYNADB_PRIVATE synadb_result synadb__io_syntax(synadb__io_in *in, size_t off, const char *why) {
    uint64_t line, col;
    synadb__xlinecol(in->text, off, &line, &col);
    if (in->info) { in->info->line = line; in->info->column = col; in->info->byte = off; }
    return synadb__err(in->db, SYNADB_ERR_SYNTAX, "line %llu, column %llu (byte %llu): %s", (unsigned long long)line,
                       (unsigned long long)col, (unsigned long long)off, why);
}
/* Appends an op for prefix + key with a value (data copied into the arena). */
SYNADB_PRIVATE const char *synadb__io_add(synadb__io_in *in, const char *key, size_t klen, const synadb_value *v) {
    synadb_batch_op *op;
    char *k;
    if (!klen) return "empty key";
    if (in->plen + klen > SYNADB_MAX_KEY_LEN) return "prefix + key longer than 65535 bytes";
    if (in->n == in->cap) {
        size_t nc = in->cap ? in->cap * 2 : 256;
        synadb_batch_op *no = (synadb_batch_op *)SYNADB_REALLOC(in->ops, nc * sizeof *no);
        if (!no) return "out of memory";
        in->ops = no; in->cap = nc;
    }
    k = (char *)synadb__arena_alloc(&in->a, in->plen + klen + 1);
    if (!k) return "out of memory";
    if (in->plen) memcpy(k, in->prefix, in->plen);
    memcpy(k + in->plen, key, klen);
    k[in->plen + klen] = 0;
    op = &in->ops[in->n++];
    memset(op, 0, sizeof *op);
    op->key = k; op->key_len = in->plen + klen; op->op = SYNADB_OP_PUT; op->value = *v;
    return NULL;
}
/* A base64 field into the arena. */
SYNADB_PRIVATE const char *synadb__io_unb64(synadb__io_in *in, const char *s, size_t n, void **out, size_t *out_len) {
    void *d = synadb__arena_alloc(&in->a, n / 4 * 3 + 1);
    size_t bad;
    if (!d) return "out of memory";
    if (synadb_io_base64_decode(s, n, d, out_len, &bad)) return "bad base64";
    *out = d;
    return NULL;
}
/* One JSON record (an object) into an op; NULL, or why not. */
SYNADB_PRIVATE const char *synadb__io_jrec(synadb__io_in *in, const synadb__jv *o) {
    const synadb__jv *k = synadb__jget(o, "key"), *kb = synadb__jget(o, "key_base64"), *t = synadb__jget(o, "type"), *v = synadb__jget(o, "value");
    synadb_value val;
    const char *key, *why;
    size_t klen, i;
    int type;
    void *kbuf = NULL;
    if (o->type != SYNADB__JOBJ) return "a record must be a JSON object";
    if (!k == !kb) return "a record needs \"key\" or \"key_base64\" (one of them)";
    if (k) { if (k->type != SYNADB__JSTR) return "\"key\" must be a string"; key = k->s; klen = k->n; }
    else {
        if (kb->type != SYNADB__JSTR) return "\"key_base64\" must be a string";
        if ((why = synadb__io_unb64(in, kb->s, kb->n, &kbuf, &klen)) != NULL) return "\"key_base64\" is not valid base64";
        key = (const char *)kbuf;
    }
    if (!t || t->type != SYNADB__JSTR || (type = synadb__io_type(t->s, t->n)) < 0)
        return "\"type\" must be one of \"null\", \"float\", \"int\", \"text\", \"bytes\", \"vector\"";
    if (!v) return "a record needs \"value\"";
    memset(&val, 0, sizeof val);
    val.type = type;
    switch (type) {
    case SYNADB_TYPE_NULL: if (v->type != SYNADB__JNULL) return "a null record's value must be null"; break;
    case SYNADB_TYPE_FLOAT:
        if (synadb__xjv_f64(v, &val.f)) return "a float record's value must be a number, \"NaN\", \"Infinity\" or \"-Infinity\"";
        break;
    case SYNADB_TYPE_INT:
        if (v->type != SYNADB__JNUM || !v->is_int) return "an int record's value must be an integer in the int64 range";
        val.i = v->i;
        break;
    case SYNADB_TYPE_TEXT:
        if (v->type != SYNADB__JSTR) return "a text record's value must be a string";
        val.data = synadb__arena_dup(&in->a, v->s, v->n); val.len = v->n;
        if (!val.data) return "out of memory";
        break;
    case SYNADB_TYPE_BYTES: {
        void *d;
        if (v->type != SYNADB__JSTR) return "a bytes record's value must be a base64 string";
        if (synadb__io_unb64(in, v->s, v->n, &d, &val.len)) return "a bytes record's value is not valid base64";
        val.data = d;
        break;
    }
    default: {
        float *f;
        if (v->type != SYNADB__JARR) return "a vector record's value must be an array of numbers";
        if (v->nkid < 1 || v->nkid > SYNADB_MAX_VECTOR_DIMS) return "a vector has 1..65535 components";
        f = (float *)synadb__arena_alloc(&in->a, v->nkid * sizeof *f);
        if (!f) return "out of memory";
        for (i = 0; i < v->nkid; i++) {
            double d;
            if (synadb__xjv_f64(&v->kid[i], &d) || synadb__xto_f32(d, &f[i])) return "a vector component is not a float32 number";
        }
        val.data = f; val.dims = (uint32_t)v->nkid; val.len = v->nkid * 4;
    }
    }
    return synadb__io_add(in, key, klen, &val);
}
SYNADB_PRIVATE synadb_result synadb__io_json(synadb__io_in *in, int lines) {
    size_t off = 0;
    synadb__jdoc d;
    synadb_result r = SYNADB_OK;
    char msg[100];
    const char *why;
    if (lines) {
        while (off < in->len && !r) {
            size_t end = off, e2, q;
            int pr;
            while (end < in->len && in->text[end] != '\n') end++;
            e2 = end;
            if (e2 > off && in->text[e2 - 1] == '\r') e2--;
            for (q = off; q < e2 && (in->text[q] == ' ' || in->text[q] == '\t'); q++) {}
            if (q < e2) {
                pr = synadb__jparse_range(in->text, off, e2, &d);
                if (pr == -1) r = synadb__io_syntax(in, (size_t)(d.p - in->text), synadb__xjerr(&d, msg, sizeof msg));
                else if (pr) r = synadb__err(in->db, SYNADB_ERR_NO_MEMORY, "out of memory");
                else if ((why = synadb__io_jrec(in, d.root)) != NULL) r = synadb__io_syntax(in, q, why);
                synadb__jdoc_free(&d);
            }
            off = end + 1;
        }
        return r;
    }
    /* a JSON array, one element at a time (each element's tree is freed after use) */
    memset(&d, 0, sizeof d);
    d.start = d.p = in->text; d.end = in->text + in->len;
    synadb__jws(&d);
    if (d.p >= d.end || *d.p != '[') return synadb__io_syntax(in, (size_t)(d.p - in->text), "expected '[' (a JSON array of records)");
    d.p++;
    synadb__jws(&d);
    if (d.p < d.end && *d.p == ']') d.p++;
    else for (;;) {
        synadb__jv *v;
        size_t at;
        int pr;
        synadb__jws(&d);
        at = (size_t)(d.p - in->text);
        v = (synadb__jv *)synadb__arena_alloc(&d.a, sizeof *v);
        if (!v) { synadb__jdoc_free(&d); return synadb__err(in->db, SYNADB_ERR_NO_MEMORY, "out of memory"); }
        d.depth = 0;
        pr = synadb__jvalue(&d, v);
        if (pr == -1) r = synadb__io_syntax(in, (size_t)(d.p - in->text), synadb__xjerr(&d, msg, sizeof msg));
        else if (pr) r = synadb__err(in->db, SYNADB_ERR_NO_MEMORY, "out of memory");
        else if ((why = synadb__io_jrec(in, v)) != NULL) r = synadb__io_syntax(in, at, why);
        synadb__jdoc_free(&d);
        if (r) return r;
        synadb__jws(&d);
        if (d.p < d.end && *d.p == ',') { d.p++; continue; }
        if (d.p < d.end && *d.p == ']') { d.p++; break; }
        return synadb__io_syntax(in, (size_t)(d.p - in->text), d.p < d.end ? "expected ',' or ']'" : "unexpected end of input (missing ']')");
    }
    synadb__jws(&d);
    if (d.p != d.end) return synadb__io_syntax(in, (size_t)(d.p - in->text), "unexpected text after the array");
    return SYNADB_OK;
}
/* CSV: the next record's fields at *pos (RFC 4180; quoted fields unescaped into the arena).
   0 and the fields, 1 at the end of input, -1 syntax error (*why, *errpos), -2 no memory. */
typedef struct synadb__csvf { const char *s; size_t n; size_t off; } synadb__csvf;
SYNADB_PRIVATE int synadb__csv_row(synadb__io_in *in, size_t *pos, synadb__csvf *f, size_t maxf, size_t *nf, const char **why, size_t *errpos) {
    const char *t = in->text;
    size_t p = *pos, len = in->len;
    *nf = 0;
    while (p < len && (t[p] == '\n' || (t[p] == '\r' && p + 1 < len && t[p + 1] == '\n'))) p += t[p] == '\r' ? 2 : 1;  /* empty lines */
    if (p >= len) { *pos = p; return 1; }
    for (;;) {
        synadb__csvf fld;
        fld.off = p;
        if (p < len && t[p] == '"') {
            size_t q = p + 1, n = 0;
            char *o;
            for (;;) {
                if (q >= len) { *why = "unterminated quoted field"; *errpos = p; return -1; }
                if (t[q] == '"') { if (q + 1 < len && t[q + 1] == '"') { q += 2; n++; continue; } break; }
                q++; n++;
            }
            o = (char *)synadb__arena_alloc(&in->a, n + 1);
            if (!o) return -2;
            fld.s = o; fld.n = n;
            for (q = p + 1; n; n--) { *o++ = t[q]; q += t[q] == '"' ? 2 : 1; }
            *o = 0;
            p = q + 1;
            if (p < len && t[p] != ',' && t[p] != '\n' && !(t[p] == '\r' && p + 1 < len && t[p + 1] == '\n')) {
                *why = "text after a closing quote"; *errpos = p; return -1;
            }
        } else {
            size_t q = p;
            while (q < len && t[q] != ',' && t[q] != '\n' && t[q] != '\r') {
                if (t[q] == '"') { *why = "a quote inside an unquoted field"; *errpos = q; return -1; }
                q++;
            }
            if (q < len && t[q] == '\r' && !(q + 1 < len && t[q + 1] == '\n')) { *why = "a CR that does not end a line (quote the field)"; *errpos = q; return -1; }
            fld.s = t + p; fld.n = q - p;
            p = q;
        }
        if (*nf >= maxf) { *why = "too many fields"; *errpos = fld.off; return -1; }
        f[(*nf)++] = fld;
        if (p < len && t[p] == ',') { p++; continue; }
        if (p >= len) { *why = "the last row does not end with a line break (a cut file?)"; *errpos = p; return -1; }
        p += t[p] == '\r' ? 2 : 1;
        *pos = p;
        return 0;
    }
}
SYNADB_PRIVATE synadb_result synadb__io_csv(synadb__io_in *in) {
    synadb__csvf f[5];
    size_t pos = 0, nf, errpos = 0, cols;
    const char *why = NULL;
    int rc;
    rc = synadb__csv_row(in, &pos, f, 5, &nf, &why, &errpos);
    if (rc == -2) return synadb__err(in->db, SYNADB_ERR_NO_MEMORY, "out of memory");
    if (rc == -1) return synadb__io_syntax(in, errpos, why);
    if (rc == 1 || (nf != 3 && nf != 4) || f[0].n != 3 || memcmp(f[0].s, "key", 3) || f[1].n != 4 || memcmp(f[1].s, "type", 4) ||
        f[2].n != 5 || memcmp(f[2].s, "value", 5) || (nf == 4 && (f[3].n != 12 || memcmp(f[3].s, "key_encoding", 12))))
        return synadb__io_syntax(in, 0, "the header must be key,type,value or key,type,value,key_encoding");
    cols = nf;
    for (;;) {
        synadb_value val;
        const char *key;
        size_t klen;
        int type;
        void *kbuf;
        rc = synadb__csv_row(in, &pos, f, 5, &nf, &why, &errpos);
        if (rc == 1) break;
        if (rc == -2) return synadb__err(in->db, SYNADB_ERR_NO_MEMORY, "out of memory");
        if (rc == -1) return synadb__io_syntax(in, errpos, why);
        if (nf != cols) return synadb__io_syntax(in, f[0].off, cols == 3 ? "a row must have 3 fields" : "a row must have 4 fields");
        key = f[0].s; klen = f[0].n;
        if (cols == 4 && f[3].n) {
            if (f[3].n != 6 || memcmp(f[3].s, "base64", 6)) return synadb__io_syntax(in, f[3].off, "key_encoding must be empty or base64");
            if (synadb__io_unb64(in, f[0].s, f[0].n, &kbuf, &klen)) return synadb__io_syntax(in, f[0].off, "the key is not valid base64");
            key = (const char *)kbuf;
        }
        if ((type = synadb__io_type(f[1].s, f[1].n)) < 0) return synadb__io_syntax(in, f[1].off, "type must be null, float, int, text, bytes or vector");
        memset(&val, 0, sizeof val);
        val.type = type;
        switch (type) {
        case SYNADB_TYPE_NULL: if (f[2].n) return synadb__io_syntax(in, f[2].off, "a null row's value must be empty"); break;
        case SYNADB_TYPE_FLOAT:
            if (synadb__xparse_f64(f[2].s, f[2].n, &val.f)) return synadb__io_syntax(in, f[2].off, "not a float (a number, NaN, Infinity or -Infinity)");
            break;
        case SYNADB_TYPE_INT:
            if (synadb__io_parse_i64(f[2].s, f[2].n, &val.i)) return synadb__io_syntax(in, f[2].off, "not an integer in the int64 range");
            break;
        case SYNADB_TYPE_TEXT:
            if (!synadb__utf8_valid((const uint8_t *)f[2].s, f[2].n)) return synadb__io_syntax(in, f[2].off, "text is not valid UTF-8");
            val.data = f[2].s; val.len = f[2].n;
            break;
        case SYNADB_TYPE_BYTES: {
            void *d;
            if (synadb__io_unb64(in, f[2].s, f[2].n, &d, &val.len)) return synadb__io_syntax(in, f[2].off, "bytes are not valid base64");
            val.data = d;
            break;
        }
        default: {
            size_t i, dims = 1, s0 = 0, k = 0;
            float *fl;
            for (i = 0; i < f[2].n; i++) if (f[2].s[i] == ';') dims++;
            if (!f[2].n || dims > SYNADB_MAX_VECTOR_DIMS) return synadb__io_syntax(in, f[2].off, "a vector has 1..65535 components");
            fl = (float *)synadb__arena_alloc(&in->a, dims * sizeof *fl);
            if (!fl) return synadb__err(in->db, SYNADB_ERR_NO_MEMORY, "out of memory");
            for (i = 0; i <= f[2].n; i++) {
                if (i < f[2].n && f[2].s[i] != ';') continue;
                {
                    double d;
                    if (synadb__xparse_f64(f[2].s + s0, i - s0, &d) || synadb__xto_f32(d, &fl[k]))
                        return synadb__io_syntax(in, f[2].off, "a vector component is not a float32 number");
                }
                k++; s0 = i + 1;
            }
            val.data = fl; val.dims = (uint32_t)dims; val.len = dims * 4;
        }
        }
        if ((why = synadb__io_add(in, key, klen, &val)) != NULL) return synadb__io_syntax(in, f[0].off, why);
    }
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_io_import(synadb_db *db, synadb_io_format fmt, const void *text, size_t len, const char *prefix,
                                             synadb_io_info *info) {
    synadb__io_in in;
    synadb_result r;
    size_t failed = 0;
    if (info) memset(info, 0, sizeof *info);
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!text && len) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "text is NULL");
    if (fmt != SYNADB_IO_JSON && fmt != SYNADB_IO_JSONL && fmt != SYNADB_IO_CSV) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "unknown format %d", (int)fmt);
    memset(&in, 0, sizeof in);
    in.db = db; in.text = text ? (const char *)text : ""; in.len = len; in.info = info;
    in.prefix = prefix ? prefix : ""; in.plen = strlen(in.prefix);
    if (in.plen > SYNADB_MAX_KEY_LEN) return synadb__err(db, SYNADB_ERR_KEY_TOO_LONG, "prefix longer than 65535 bytes");
    r = fmt == SYNADB_IO_CSV ? synadb__io_csv(&in) : synadb__io_json(&in, fmt == SYNADB_IO_JSONL);
    if (!r && in.n) {
        r = synadb_write_batch(db, in.ops, in.n, &failed);
        if (r) {
            char msg[300];
            const char *m = synadb_errmsg(db);
            size_t mn = strlen(m) < sizeof msg ? strlen(m) : sizeof msg - 1;
            memcpy(msg, m, mn); msg[mn] = 0;
            synadb__err(db, r, "record %llu: %s (nothing imported)", (unsigned long long)failed + 1, msg);
        }
    }
    if (!r && info) info->records = in.n;
    synadb__arena_free(&in.a);
    SYNADB_FREE(in.ops);
    return r;
}
SYNADB_ML_API synadb_result synadb_io_import_file(synadb_db *db, synadb_io_format fmt, const char *path, const char *prefix,
                                                  synadb_io_info *info) {
    char *text = NULL, eb[128];
    size_t len = 0;
    synadb_result r;
    int e;
    if (info) memset(info, 0, sizeof *info);
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!path || !*path) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "no input path");
    e = synadb__slurp(path, &text, &len);
    if (e) return synadb__err(db, synadb__oserr_code(e), "cannot read %s: %s", path, synadb__strerror(e, eb, sizeof eb));
    r = synadb_io_import(db, fmt, text, len, prefix, info);
    SYNADB_FREE(text);
    return r;
}

#ifndef SYNADB_NO_COMPAT_ABI
SYNADB_PRIVATE int64_t synadb__io_abi(const char *path, synadb_io_format fmt, int imp, const char *a, const char *b) {
    int32_t rc = 0;
    synadb_io_info info;
    synadb_result r;
    synadb__reg *e;
    if (!a) return SYNA_ERR_INVALID_PATH;
    e = synadb__acquire(path, &rc);
    if (!e) return rc;
    r = imp ? synadb_io_import_file(e->db, fmt, a, b, &info) : synadb_io_export_file(e->db, fmt, b, a, &info);
    synadb__drop(e);
    return r ? (int64_t)r : (int64_t)info.records;
}
SYNADB_ML_API int64_t syna_export_json(const char *path, const char *pattern, const char *out_file) { return synadb__io_abi(path, SYNADB_IO_JSON, 0, out_file, pattern); }
SYNADB_ML_API int64_t syna_export_jsonl(const char *path, const char *pattern, const char *out_file) { return synadb__io_abi(path, SYNADB_IO_JSONL, 0, out_file, pattern); }
SYNADB_ML_API int64_t syna_export_csv(const char *path, const char *pattern, const char *out_file) { return synadb__io_abi(path, SYNADB_IO_CSV, 0, out_file, pattern); }
SYNADB_ML_API int64_t syna_import_json(const char *path, const char *in_file, const char *prefix) { return synadb__io_abi(path, SYNADB_IO_JSON, 1, in_file, prefix); }
SYNADB_ML_API int64_t syna_import_jsonl(const char *path, const char *in_file, const char *prefix) { return synadb__io_abi(path, SYNADB_IO_JSONL, 1, in_file, prefix); }
SYNADB_ML_API int64_t syna_import_csv(const char *path, const char *in_file, const char *prefix) { return synadb__io_abi(path, SYNADB_IO_CSV, 1, in_file, prefix); }
#define SYNADB__X(ret, name, params, args, RET) SYNADB_ML_API ret SYNA_##name params { RET syna_##name args; }
SYNADB__ML_IO_ABI_FUNCS(SYNADB__X)
#undef SYNADB__X
#endif /* SYNADB_NO_COMPAT_ABI */

/* ======================================================================== >>ml.gpu */
#if defined(SYNA_GPU_CUDA)
/* The CUDA runtime functions used, declared by hand (same ABI as cuda_runtime_api.h). */
#ifdef __cplusplus
extern "C" {
#endif
extern int cudaGetDeviceCount(int *count);
extern int cudaSetDevice(int device);
extern int cudaMalloc(void **p, size_t size);
extern int cudaFree(void *p);
extern int cudaMallocHost(void **p, size_t size);
extern int cudaFreeHost(void *p);
extern int cudaMemcpyAsync(void *dst, const void *src, size_t n, int kind, void *stream);
extern int cudaMemcpy(void *dst, const void *src, size_t n, int kind);
extern int cudaStreamCreate(void **stream);
extern int cudaStreamSynchronize(void *stream);
extern int cudaStreamDestroy(void *stream);
extern int cudaEventCreate(void **ev);
extern int cudaEventRecord(void *ev, void *stream);
extern int cudaEventSynchronize(void *ev);
extern int cudaEventDestroy(void *ev);
extern int cudaMemGetInfo(size_t *free_bytes, size_t *total_bytes);
extern int cudaDeviceGetAttribute(int *value, int attr, int device);
extern int cudaGetDeviceProperties(void *prop, int device);
extern const char *cudaGetErrorString(int err);
#ifdef __cplusplus
}
#endif
enum { SYNADB__CUDA_H2D = 1, SYNADB__CUDA_D2H = 2, SYNADB__CUDA_ATTR_MAJOR = 75, SYNADB__CUDA_ATTR_MINOR = 76, SYNADB__CUDA_ATTR_SMS = 16, SYNADB__CUDA_ERR_OOM = 2 };
SYNADB_PRIVATE synadb_result synadb__cuerr(synadb_db *db, int e, const char *what) {
    synadb_result code = e == SYNADB__CUDA_ERR_OOM ? SYNADB_ERR_GPU_OUT_OF_MEMORY : SYNADB_ERR_GPU_UNAVAILABLE;
    if (db) synadb__err(db, code, "%s: CUDA error %d (%s)", what, e, cudaGetErrorString(e));
    return code;
}
SYNADB_ML_API int synadb_gpu_compiled(void) { return 1; }
SYNADB_ML_API const char *synadb_gpu_status(void) { return "CUDA"; }
SYNADB_ML_API synadb_result synadb_gpu_device_count(int *out) {
    int n = 0, e;
    if (!out) return SYNADB_ERR_INVALID_ARG;
    *out = 0;
    e = cudaGetDeviceCount(&n);
    if (e) return SYNADB_ERR_GPU_UNAVAILABLE;   /* no driver or no device */
    *out = n;
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_gpu_device_info(int device, synadb_gpu_info *out) {
    int n = 0, v = 0;
    size_t fr = 0, tot = 0;
    union { char name[256]; double align_; char all[8192]; } prop;   /* cudaDeviceProp starts with char name[256] */
    if (!out) return SYNADB_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    if (cudaGetDeviceCount(&n) || device < 0 || device >= n) return SYNADB_ERR_GPU_UNAVAILABLE;
    if (cudaSetDevice(device)) return SYNADB_ERR_GPU_UNAVAILABLE;
    out->device = device;
    memset(&prop, 0, sizeof prop);
    if (!cudaGetDeviceProperties(&prop, device)) { memcpy(out->name, prop.name, 255); out->name[255] = 0; }
    if (!cudaDeviceGetAttribute(&v, SYNADB__CUDA_ATTR_MAJOR, device)) out->major = v;
    if (!cudaDeviceGetAttribute(&v, SYNADB__CUDA_ATTR_MINOR, device)) out->minor = v;
    if (!cudaDeviceGetAttribute(&v, SYNADB__CUDA_ATTR_SMS, device)) out->multiprocessors = v;
    if (!cudaMemGetInfo(&fr, &tot)) { out->free_memory = fr; out->total_memory = tot; }
    return SYNADB_OK;
}
SYNADB_ML_API void synadb_gpu_tensor_free(synadb_gpu_tensor *t) {
    int i;
    if (!t) return;
    if (t->stream_) cudaStreamSynchronize(t->stream_);
    for (i = 0; i < 2; i++) {
        if (t->staging_[i]) cudaFreeHost(t->staging_[i]);
        if (t->events_[i]) cudaEventDestroy(t->events_[i]);
    }
    if (t->stream_) cudaStreamDestroy(t->stream_);
    if (t->device_ptr) cudaFree(t->device_ptr);
    memset(t, 0, sizeof *t);
}
SYNADB_ML_API synadb_result synadb_gpu_tensor_wait(synadb_gpu_tensor *t) {
    int i;
    if (!t) return SYNADB_ERR_INVALID_ARG;
    if (t->stream_ && cudaStreamSynchronize(t->stream_)) return SYNADB_ERR_GPU_UNAVAILABLE;
    for (i = 0; i < 2; i++) if (t->staging_[i]) { cudaFreeHost(t->staging_[i]); t->staging_[i] = NULL; }
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_gpu_tensor_download(synadb_gpu_tensor *t, void *host, size_t cap) {
    if (!t || (!host && t->nbytes)) return SYNADB_ERR_INVALID_ARG;
    if (cap < t->nbytes) return SYNADB_ERR_BUFFER_TOO_SMALL;
    if (synadb_gpu_tensor_wait(t)) return SYNADB_ERR_GPU_UNAVAILABLE;
    if (t->nbytes && (cudaSetDevice(t->device) || cudaMemcpy(host, t->device_ptr, t->nbytes, SYNADB__CUDA_D2H))) return SYNADB_ERR_GPU_UNAVAILABLE;
    return SYNADB_OK;
}
/* Device, stream and device memory for nbytes. */
SYNADB_PRIVATE synadb_result synadb__gpu_begin(synadb_db *db, int device, size_t nbytes, synadb_gpu_tensor *t) {
    int e;
    if ((e = cudaSetDevice(device)) != 0) return synadb__cuerr(db, e, "cudaSetDevice");
    t->device = device;
    if ((e = cudaStreamCreate(&t->stream_)) != 0) return synadb__cuerr(db, e, "cudaStreamCreate");
    if ((e = cudaMalloc(&t->device_ptr, nbytes ? nbytes : 1)) != 0) { t->device_ptr = NULL; return synadb__cuerr(db, e, "cudaMalloc"); }
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_tensor_prefetch_gpu(synadb_db *db, const char *pattern, synadb_dtype dtype, int device, synadb_gpu_tensor *out) {
    synadb_tensor probe, t;
    synadb_result r;
    int e;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!out) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "out is NULL");
    memset(out, 0, sizeof *out);
    r = synadb_tensor_get_into(db, pattern, dtype, NULL, 0, &probe);   /* the size */
    if (r && r != SYNADB_ERR_BUFFER_TOO_SMALL) return r;
    r = synadb__gpu_begin(db, device, probe.nbytes, out);
    if (!r && (e = cudaMallocHost(&out->staging_[0], probe.nbytes ? probe.nbytes : 1)) != 0) { out->staging_[0] = NULL; r = synadb__cuerr(db, e, "cudaMallocHost"); }
    if (!r) r = synadb_tensor_get_into(db, pattern, dtype, out->staging_[0], probe.nbytes, &t);
    if (!r && t.nbytes && (e = cudaMemcpyAsync(out->device_ptr, out->staging_[0], t.nbytes, SYNADB__CUDA_H2D, out->stream_)) != 0) r = synadb__cuerr(db, e, "cudaMemcpyAsync");
    if (r) { synadb_gpu_tensor_free(out); return r; }
    out->nbytes = t.nbytes; out->count = t.count; out->dtype = t.dtype; out->rank = t.rank;
    memcpy(out->shape, t.shape, sizeof t.shape);
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_tensor_get_gpu(synadb_db *db, const char *pattern, synadb_dtype dtype, int device, synadb_gpu_tensor *out) {
    synadb_result r = synadb_tensor_prefetch_gpu(db, pattern, dtype, device, out);
    if (!r && synadb_gpu_tensor_wait(out)) { synadb_gpu_tensor_free(out); return synadb__err(db, SYNADB_ERR_GPU_UNAVAILABLE, "waiting for the copy to the GPU failed"); }
    return r;
}
/* Chunked: two pinned buffers of one converted chunk, alternating; each is reused once the
   copy queued from it has finished. */
typedef struct synadb__gpu_chunks { synadb_db *db; synadb_gpu_tensor *t; size_t cap; synadb_result err; } synadb__gpu_chunks;
SYNADB_PRIVATE uint8_t *synadb__gpu_dst(void *user, size_t chunk, size_t nbytes) {
    synadb__gpu_chunks *g = (synadb__gpu_chunks *)user;
    int k = (int)(chunk & 1);
    if (nbytes > g->cap) return NULL;
    if (chunk >= 2 && cudaEventSynchronize(g->t->events_[k])) return NULL;
    return (uint8_t *)g->t->staging_[k];
}
SYNADB_PRIVATE synadb_result synadb__gpu_filled(void *user, size_t chunk, size_t off, size_t nbytes) {
    synadb__gpu_chunks *g = (synadb__gpu_chunks *)user;
    int k = (int)(chunk & 1), e;
    if (!nbytes) return SYNADB_OK;
    if ((e = cudaMemcpyAsync((uint8_t *)g->t->device_ptr + off, g->t->staging_[k], nbytes, SYNADB__CUDA_H2D, g->t->stream_)) != 0) return synadb__cuerr(g->db, e, "cudaMemcpyAsync");
    if ((e = cudaEventRecord(g->t->events_[k], g->t->stream_)) != 0) return synadb__cuerr(g->db, e, "cudaEventRecord");
    return SYNADB_OK;
}
SYNADB_ML_API synadb_result synadb_tensor_get_chunked_gpu(synadb_db *db, const char *name, synadb_dtype dtype, int device, synadb_gpu_tensor *out) {
    synadb_tensor_meta m;
    synadb_result r;
    synadb__gpu_chunks g;
    synadb__tsink sink;
    size_t ds = synadb_dtype_size(dtype), cap, i;
    int e;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!out || !name) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "name or out is NULL");
    memset(out, 0, sizeof *out);
    if (!ds) return synadb__err(db, SYNADB_ERR_DTYPE, "unknown dtype %d", (int)dtype);
    r = synadb__tmeta_read(db, name, &m);
    if (r) return r;
    out->count = (size_t)(m.total_bytes / synadb_dtype_size(m.dtype));
    out->nbytes = out->count * ds; out->dtype = dtype; out->rank = m.rank;
    for (i = 0; i < m.rank; i++) out->shape[i] = m.shape[i];
    cap = (size_t)(m.chunk_bytes / synadb_dtype_size(m.dtype)) * ds;
    r = synadb__gpu_begin(db, device, out->nbytes, out);
    for (i = 0; !r && i < 2; i++) {
        if ((e = cudaMallocHost(&out->staging_[i], cap ? cap : 1)) != 0) { out->staging_[i] = NULL; r = synadb__cuerr(db, e, "cudaMallocHost"); }
        else if ((e = cudaEventCreate(&out->events_[i])) != 0) { out->events_[i] = NULL; r = synadb__cuerr(db, e, "cudaEventCreate"); }
    }
    g.db = db; g.t = out; g.cap = cap; g.err = SYNADB_OK;
    sink.dst_of = synadb__gpu_dst; sink.filled = synadb__gpu_filled; sink.user = &g;
    if (!r) r = synadb__tchunked_read(db, name, &m, dtype, NULL, &sink);
    if (!r && synadb_gpu_tensor_wait(out)) r = synadb__err(db, SYNADB_ERR_GPU_UNAVAILABLE, "waiting for the copies to the GPU failed");
    if (r) synadb_gpu_tensor_free(out);
    return r;
}
#else /* no SYNA_GPU_CUDA */
#define SYNADB__NO_GPU "GPU not compiled in (build with -DSYNA_GPU_CUDA and link -lcudart)"
SYNADB_ML_API int synadb_gpu_compiled(void) { return 0; }
SYNADB_ML_API const char *synadb_gpu_status(void) { return "GPU not compiled in"; }
SYNADB_ML_API synadb_result synadb_gpu_device_count(int *out) { if (out) *out = 0; return SYNADB_ERR_GPU_UNAVAILABLE; }
SYNADB_ML_API synadb_result synadb_gpu_device_info(int device, synadb_gpu_info *out) { (void)device; if (out) memset(out, 0, sizeof *out); return SYNADB_ERR_GPU_UNAVAILABLE; }
SYNADB_PRIVATE synadb_result synadb__nogpu(synadb_db *db, synadb_gpu_tensor *out) {
    if (out) memset(out, 0, sizeof *out);
    return db ? synadb__err(db, SYNADB_ERR_GPU_UNAVAILABLE, SYNADB__NO_GPU) : SYNADB_ERR_GPU_UNAVAILABLE;
}
SYNADB_ML_API synadb_result synadb_tensor_prefetch_gpu(synadb_db *db, const char *pattern, synadb_dtype dtype, int device, synadb_gpu_tensor *out) { (void)pattern; (void)dtype; (void)device; return synadb__nogpu(db, out); }
SYNADB_ML_API synadb_result synadb_tensor_get_gpu(synadb_db *db, const char *pattern, synadb_dtype dtype, int device, synadb_gpu_tensor *out) { (void)pattern; (void)dtype; (void)device; return synadb__nogpu(db, out); }
SYNADB_ML_API synadb_result synadb_tensor_get_chunked_gpu(synadb_db *db, const char *name, synadb_dtype dtype, int device, synadb_gpu_tensor *out) { (void)name; (void)dtype; (void)device; return synadb__nogpu(db, out); }
SYNADB_ML_API synadb_result synadb_gpu_tensor_wait(synadb_gpu_tensor *t) { (void)t; return SYNADB_ERR_GPU_UNAVAILABLE; }
SYNADB_ML_API synadb_result synadb_gpu_tensor_download(synadb_gpu_tensor *t, void *host, size_t cap) { (void)t; (void)host; (void)cap; return SYNADB_ERR_GPU_UNAVAILABLE; }
SYNADB_ML_API void synadb_gpu_tensor_free(synadb_gpu_tensor *t) { if (t) memset(t, 0, sizeof *t); }
#endif

#endif /* SYNADB_ML_IMPLEMENTATION_INCLUDED */
#endif /* SYNADB_IMPLEMENTATION */
