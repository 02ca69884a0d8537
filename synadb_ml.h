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
/* ======================================================================== >>ml.registry.api end */

/* ======================================================================== >>ml.exp.api */
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
/* ======================================================================== >>ml.tensor end */

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
/* ======================================================================== >>ml.registry end */

/* ======================================================================== >>ml.exp */
/* ======================================================================== >>ml.exp end */

/* ======================================================================== >>ml.rl */
/* ======================================================================== >>ml.rl end */

/* ======================================================================== >>ml.io */
/* ======================================================================== >>ml.io end */

/* ======================================================================== >>ml.gpu */
/* ======================================================================== >>ml.gpu end */

#endif /* SYNADB_ML_IMPLEMENTATION_INCLUDED */
#endif /* SYNADB_IMPLEMENTATION */
