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
/* ======================================================================== >>ml.tensor.api end */

/* ======================================================================== >>ml.registry.api */
/* ======================================================================== >>ml.registry.api end */

/* ======================================================================== >>ml.exp.api */
/* ======================================================================== >>ml.exp.api end */

/* ======================================================================== >>ml.rl.api */
/* ======================================================================== >>ml.rl.api end */

/* ======================================================================== >>ml.io.api */
/* ======================================================================== >>ml.io.api end */

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

/* ---- CRC32C: three interleaved streams, combined (CRC algebra: appending n bytes to a
   message shifts its CRC register by x^(8n) modulo the polynomial) ---- */
static const uint32_t synadb__tx2n[31] = {   /* x^(2^k) mod P, reflected; the sequence has period 31 */
    0x40000000u, 0x20000000u, 0x08000000u, 0x00800000u, 0x00008000u, 0x82f63b78u, 0x6ea2d55cu, 0x18b8ea18u,
    0x510ac59au, 0xb82be955u, 0xb8fdb1e7u, 0x88e56f72u, 0x74c360a4u, 0xe4172b16u, 0x0d65762au, 0x35d73a62u,
    0x28461564u, 0xbf455269u, 0xe2ea32dcu, 0xfe7740e6u, 0xf946610bu, 0x3c204f8fu, 0x538586e3u, 0x59726915u,
    0x734d5309u, 0xbc1ac763u, 0x7d0722ccu, 0xd289cabeu, 0xe94ca9bcu, 0x05b74f3fu, 0xa51e1f42u};
/* a * b mod P (reflected: bit 31 is x^0) */
SYNADB_PRIVATE uint32_t synadb__tmulmod(uint32_t a, uint32_t b) {
    uint32_t m = (uint32_t)1 << 31, p = 0;
    for (;;) {
        if (a & m) { p ^= b; if (!(a & (m - 1))) break; }
        m >>= 1;
        b = (b & 1) ? (b >> 1) ^ 0x82f63b78u : b >> 1;
        if (!m) break;
    }
    return p;
}
/* x^(8n) mod P */
SYNADB_PRIVATE uint32_t synadb__tx8n(uint64_t n) {
    uint32_t p = (uint32_t)1 << 31;
    unsigned k = 3;
    for (; n; n >>= 1, k++) if (n & 1) p = synadb__tmulmod(synadb__tx2n[k % 31], p);
    return p;
}
/* CRC32C of A||B from crc(A), crc(B) and |B| (as zlib's crc32_combine). */
SYNADB_PRIVATE uint32_t synadb__tcrc_combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b) {
    return synadb__tmulmod(synadb__tx8n(len_b), crc_a) ^ crc_b;
}
#if defined(SYNADB__X86) && (defined(__x86_64__) || defined(_M_X64))
#  define SYNADB__TCRC3 1
#  if defined(__GNUC__) || defined(__clang__)
#    include <wmmintrin.h>
#    define SYNADB__TARGET_CLMUL __attribute__((target("sse4.2,pclmul")))
#  else
#    include <wmmintrin.h>
#    define SYNADB__TARGET_CLMUL
#  endif
/* c * x^(8n) mod P with k = x^(8n - 33) mod P: the carry-less product of two reflected
   32-bit polynomials read as 64 message bits is the product times x; the CRC instruction
   multiplies by x^32 and reduces. */
SYNADB__TARGET_CLMUL SYNADB_PRIVATE uint32_t synadb__tshift_clmul(uint32_t c, uint32_t k) {
    __m128i v = _mm_clmulepi64_si128(_mm_cvtsi32_si128((int)c), _mm_cvtsi32_si128((int)k), 0);
    return (uint32_t)_mm_crc32_u64(0, (uint64_t)_mm_cvtsi128_si64(v));
}
/* Blocks of three streams of L = 2^lg bytes: the first stream's register is shifted by
   x^(16L), the second's by x^(8L) (bit-serially: tx2n[lg + 4], tx2n[lg + 3]; with PCLMUL:
   the constants x^(16L-33), x^(8L-33)). caps: 1 CRC instruction, 2 PCLMUL. */
SYNADB__TARGET_SSE42 SYNADB_PRIVATE uint64_t synadb__tcrc_blocks(uint64_t c, const uint8_t **pp, size_t *pn, unsigned lg, int caps, uint32_t k16, uint32_t k8) {
    const uint8_t *p = *pp;
    size_t n = *pn, L = (size_t)1 << lg;
    while (n >= 3 * L) {
        uint64_t c1 = 0, c2 = 0;
        size_t i;
        for (i = 0; i < L; i += 8) {
            uint64_t a, b, d;
            memcpy(&a, p + i, 8); memcpy(&b, p + L + i, 8); memcpy(&d, p + 2 * L + i, 8);
            c = _mm_crc32_u64(c, a); c1 = _mm_crc32_u64(c1, b); c2 = _mm_crc32_u64(c2, d);
        }
        if (caps & 2) c = synadb__tshift_clmul((uint32_t)c, k16) ^ synadb__tshift_clmul((uint32_t)c1, k8) ^ (uint32_t)c2;
        else c = synadb__tmulmod(synadb__tx2n[lg + 4], (uint32_t)c) ^ synadb__tmulmod(synadb__tx2n[lg + 3], (uint32_t)c1) ^ (uint32_t)c2;
        p += 3 * L; n -= 3 * L;
    }
    *pp = p; *pn = n;
    return c;
}
SYNADB_PRIVATE uint32_t synadb__tcrc_hw3(int caps, uint32_t crc, const uint8_t *p, size_t n) {
    uint64_t c = (uint32_t)~crc;
    c = synadb__tcrc_blocks(c, &p, &n, 13, caps, 0x1dc403ccu, 0x54a86326u);   /* 8 KiB streams */
    c = synadb__tcrc_blocks(c, &p, &n, 9, caps, 0x170076fau, 0xdd7e3b0cu);    /* 512-byte streams */
    if (caps & 2) c = synadb__tcrc_blocks(c, &p, &n, 6, caps, 0x0d3b6092u, 0x9e4addf8u);   /* 64-byte streams */
    return synadb__crc32c_hw(~(uint32_t)c, p, n);
}
SYNADB_PRIVATE int synadb__tcpu_pclmul(void) {
#  if defined(_MSC_VER)
    int r[4]; __cpuid(r, 1); return (r[2] >> 1) & 1;
#  else
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (int)((c >> 1) & 1u);
#  endif
}
#endif
/* synadb_crc32c(crc, p, n), faster on longer inputs where the CPU has the instructions.
   caps from synadb__tcaps (asked once per call of the public functions: CPUID is slow in
   virtual machines). */
SYNADB_PRIVATE uint32_t synadb__tcrc(int caps, uint32_t crc, const void *p, size_t n) {
#ifdef SYNADB__TCRC3
    if ((caps & 1) && n >= ((caps & 2) ? 3 * 64 : 3 * 512)) return synadb__tcrc_hw3(caps, crc, (const uint8_t *)p, n);
#endif
    return n ? synadb__crc(caps & 1, crc, p, n) : crc;
}
SYNADB_PRIVATE int synadb__tcaps(int hw) {
#ifdef SYNADB__TCRC3
    return hw ? 1 | (synadb__tcpu_pclmul() ? 2 : 0) : 0;
#else
    return hw ? 1 : 0;
#endif
}
SYNADB_PRIVATE int synadb__thw(void) {
#if defined(SYNADB__X86) || defined(SYNADB__ARM_CRC)
    return synadb__hw_crc_detect();
#else
    return 0;
#endif
}

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
    int caps;                 /* synadb__tcaps */
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
    if (!verified && synadb__crc_mask(synadb__tcrc(c->caps, db->crc_seed, f.r.p + 4, (size_t)f.r.total - 4)) != synadb__rd32(f.r.p)) {
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
    c.db = db; c.dt = dtype; c.caps = synadb__tcaps(db->hw);
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
    int hw = synadb__tcaps(synadb__thw());
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
        crc = synadb__tcrc(hw, crc, src, n);
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
    int hw = synadb__tcaps(db->hw), nt = m->dtype == dt && m->total_bytes >= ((uint64_t)16 << 20);
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
        if (!r && !verified) hcrc = synadb__tcrc(hw, db->crc_seed, f.r.p + 4, (size_t)(f.r.val - f.r.p) - 4);
        for (off = 0; !r && off < want; off += step) {   /* one pass: the CRC brings the slice into the cache, the copy reads it there */
            size_t n = want - off < step ? want - off : step;
            vcrc = synadb__tcrc(hw, vcrc, src + off, n);
            if (cdst && nt) synadb__tcopy_nt(cdst + off, src + off, n);
            else if (cdst) {
                r = synadb_dtype_convert(cdst + (off / es) * ds, dt, src + off, m->dtype, n / es, &bad);
                if (r) synadb__err(db, r, "tensor '%.200s': element %llu does not fit %s (out of range, NaN or infinite)", name,
                                   (unsigned long long)(done / es + bad), synadb_dtype_name(dt));
            }
            done += n;
        }
        if (!r && !verified && synadb__crc_mask(synadb__tcrc_combine(hcrc, vcrc, want)) != synadb__rd32(f.r.p))
            r = synadb__err(db, SYNADB_ERR_CHECKSUM, "record at offset %llu (chunk %llu of tensor '%.200s') does not match its checksum",
                            (unsigned long long)f.r.off, (unsigned long long)i, name);
        crc = synadb__tcrc_combine(crc, vcrc, want);
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
    s->c.db = db; s->c.dt = dtype; s->c.caps = synadb__tcaps(db->hw);
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
/* ======================================================================== >>ml.tensor end */

/* ======================================================================== >>ml.registry */
/* ======================================================================== >>ml.registry end */

/* ======================================================================== >>ml.exp */
/* ======================================================================== >>ml.exp end */

/* ======================================================================== >>ml.rl */
/* ======================================================================== >>ml.rl end */

/* ======================================================================== >>ml.io */
/* ======================================================================== >>ml.io end */

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
/* ======================================================================== >>ml.gpu end */

#endif /* SYNADB_ML_IMPLEMENTATION_INCLUDED */
#endif /* SYNADB_IMPLEMENTATION */
