/* synadb.h - v0.1.0 - an embedded, append-only, log-structured key-value store
   with typed values, per-key history, crash recovery and a C ABI.
   MIT license, see the end of this file.                       >>kv

   QUICK START
   -----------
   In exactly one C or C++ file:

       #define SYNADB_IMPLEMENTATION
       #include "synadb.h"

   Everywhere else just #include "synadb.h".

       synadb_db *db;
       if (synadb_open("my.db", NULL, &db) != SYNADB_OK) { ... }
       synadb_put_float(db, "temperature", SYNADB_NTS, 23.5);
       double t;
       synadb_get_float(db, "temperature", SYNADB_NTS, &t);
       synadb_close(db);

   CONTENTS (search for the >>tag to jump)
   --------
     >>kv.config     configuration macros
     >>kv.api        public declarations: results, config, values, the native API
     >>kv.abi        the path-keyed ABI of the original SynaDB (syna_* and SYNA_*)
     >>kv.impl       implementation (only with SYNADB_IMPLEMENTATION)
       >>kv.platform   files, mmap, locks, fsync (POSIX, Windows, no-mmap fallback)
       >>kv.crc        CRC32C (SSE4.2 / ARMv8 CRC, slicing-by-8 fallback)
       >>kv.lz4        LZ4 block compressor and safe decompressor
       >>kv.codec      float and int encodings (scaled-decimal delta, varints)
       >>kv.index      the in-memory hash index
       >>kv.log        the log file: header, records, append, recovery
       >>kv.db         the native API
       >>kv.compact    compaction
       >>kv.json       JSON writer and reader (ABI outputs, ML records)
       >>kv.abiimpl    the path-keyed ABI

   CONFIGURATION MACROS (define before including the implementation)    >>kv.config
   --------------------
     SYNADB_IMPLEMENTATION   compile the implementation into this translation unit.
     SYNADB_STATIC           make every public function static (private copy per TU).
     SYNADB_API              override the linkage of public functions (default extern).
     SYNADB_DLL              export (when building) / import the public functions on Windows,
                             default visibility elsewhere.
     SYNADB_MALLOC(sz), SYNADB_REALLOC(p,sz), SYNADB_FREE(p)
                             compile-time default allocator; define all three or none.
                             A per-database allocator can also be set at run time
                             (synadb_config.allocator).
     SYNADB_ASSERT(x)        assertion used by the implementation (default: assert()).
     SYNA_NO_THREADS         (or SYNADB_NO_THREADS) no locks at all; one thread per process.
     SYNADB_NO_MMAP          never map files; use pread/pwrite only (default on emscripten).
     SYNADB_NO_HW_CRC        do not use the SSE4.2 / ARMv8 CRC32C instructions.
     SYNADB_NO_COMPAT_ABI    leave out the path-keyed syna_* / SYNA_* functions.

   FILE FORMAT (format version 1; all integers little-endian, fixed width)
   -----------
   A database is one file. It starts with a 64-byte header:

       0   8  magic            89 53 59 4E 41 0D 0A 1A   ("\x89SYNA\r\n\x1a")
       8   4  format_version   1 (files with a newer version are refused)
      12   4  header_size      64
      16   4  incompat_flags   0 (unknown bits make the file unreadable by this build)
      20   4  compat_flags     0
      24   8  seq_base         sequence number of the first record
      32   8  created_us       creation time, Unix microseconds
      40   8  file_id          random 64-bit identifier of this file generation
      48  12  reserved         zero
      60   4  header_crc       CRC32C of bytes 0..59

   followed by records, back to back, no padding between them:

       0   4  crc              masked CRC32C of bytes 4 .. end of record
       4   4  seq              low 32 bits of the record's sequence number; each record
                               is exactly one more than the previous one
       8   2  key_len          1 .. 65535
      10   1  type             0 null, 1 float, 2 int, 3 text, 4 bytes, 5 vector
      11   1  flags            0x01 delta, 0x02 LZ4, 0x04 tombstone, 0x08 aligned,
                               0x10 block, 0x20 batch-continues
      12   4  val_len          stored value length in bytes
      16   k  key              the key bytes
           p  padding          0..7 zero bytes when flag 0x08 is set, so that the value
                               starts at a file offset that is a multiple of 8
           v  value            see below

   Values: float = f64; int = i64; text = UTF-8 bytes; bytes = raw; vector = dims x f32;
   null and tombstones have no value bytes. LZ4 (text and bytes only): u32 raw length
   then an LZ4 block. Delta (float and int, enable_delta): u8 low byte of the previous
   version's sequence number, then for floats a u8 decimal scale d and a zigzag varint of
   round(v*10^d) - round(prev*10^d); for ints a zigzag varint of v - prev. Block (float,
   written by put_floats_batch): u32 count, u8 codec (0 raw f64s, 1 scaled decimals),
   u8 decimal scale, 2 zero bytes, f64 last value, then the values (codec 1: zigzag
   varint of the first scaled value, then zigzag varints of successive differences).
   A record with flag 0x20 belongs to a batch that continues with the next record; a
   batch is applied on recovery only when its last record (flag clear) is intact.

   DURABILITY (what a returned SYNADB_OK means)
   ----------
     1. Default: the record has been copied into a shared mapping of the file (or written
        with pwrite when mmap is off). It is in the operating system's page cache: if the
        process crashes or is killed, nothing acknowledged is lost. A kernel crash or a
        power cut may lose recent writes (the file stays consistent: recovery keeps a
        prefix of the records).
     2. sync_on_write: the record and everything before it has also been flushed to the
        device (msync/fdatasync, F_FULLFSYNC on macOS, FlushFileBuffers on Windows)
        before the call returns. Concurrent writers share flushes (group commit).
     3. Batches (synadb_write_batch, synadb_put_floats_batch): many records under one
        lock and at most one flush. A batch is atomic: after a crash either all of its
        records are there or none.
     Compaction writes a new file, flushes it, renames it over the old one and flushes
     the directory; a crash at any moment leaves either the old or the new database.
     After a failed flush the handle refuses further writes (SYNADB_ERR_POISONED): the
     kernel may have dropped the data, so the only safe continuation is to reopen.

   THREADS
   -------
     A synadb_db handle may be used from many threads at once: any number of readers run
     alongside one writer (writes are serialised). The text of synadb_errmsg() belongs to
     the handle and describes the most recent failure on it from any thread. A file can be
     opened for writing by one handle at a time, across processes (flock/LockFileEx); a
     second open for writing fails with SYNADB_ERR_LOCKED. Read-only handles take no lock.
*/
#ifndef SYNADB_H
#define SYNADB_H

/* The implementation needs POSIX and Linux declarations even under -std=c99: request them
   before the first system header of this translation unit. (Include synadb.h with
   SYNADB_IMPLEMENTATION before other headers, or build with -D_GNU_SOURCE.) */
#if defined(SYNADB_IMPLEMENTATION) && !defined(_WIN32)
#  ifndef _GNU_SOURCE
#    define _GNU_SOURCE 1
#  endif
#  ifndef _FILE_OFFSET_BITS
#    define _FILE_OFFSET_BITS 64
#  endif
#endif

#include <stddef.h>
#include <stdint.h>

#define SYNADB_VERSION_MAJOR 0
#define SYNADB_VERSION_MINOR 1
#define SYNADB_VERSION_PATCH 0
#define SYNADB_VERSION_NUMBER (SYNADB_VERSION_MAJOR * 1000000 + SYNADB_VERSION_MINOR * 1000 + SYNADB_VERSION_PATCH)
#define SYNADB_VERSION_STRING "0.1.0"
#define SYNADB_FORMAT_VERSION 1

#ifndef SYNADB_API
#  if defined(SYNADB_STATIC) && (defined(__GNUC__) || defined(__clang__))
#    define SYNADB_API static __attribute__((unused))
#  elif defined(SYNADB_STATIC)
#    define SYNADB_API static
#  elif defined(SYNADB_DLL) && defined(_WIN32)
#    if defined(SYNADB_IMPLEMENTATION)
#      define SYNADB_API __declspec(dllexport)
#    else
#      define SYNADB_API __declspec(dllimport)
#    endif
#  elif defined(SYNADB_DLL) && defined(__GNUC__)
#    define SYNADB_API __attribute__((visibility("default")))
#  else
#    define SYNADB_API extern
#  endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== >>kv.api */

/* Results. 0 is success, failures are negative and stable across versions.
   -1..-8 and -100 keep the numbers of the original SynaDB. */
typedef int synadb_result;
enum {
    SYNADB_OK                   = 0,
    SYNADB_ERR_NOT_OPEN         = -1,   /* handle or path not open */
    SYNADB_ERR_INVALID_ARG      = -2,   /* NULL pointer, bad path, bad UTF-8, bad size... */
    SYNADB_ERR_IO               = -3,   /* the operating system refused (errno in the message) */
    SYNADB_ERR_SERIALIZATION    = -4,   /* a stored value does not decode */
    SYNADB_ERR_KEY_NOT_FOUND    = -5,   /* key absent or deleted */
    SYNADB_ERR_TYPE_MISMATCH    = -6,   /* the value has another type */
    SYNADB_ERR_EMPTY_KEY        = -7,   /* key of length 0 */
    SYNADB_ERR_KEY_TOO_LONG     = -8,   /* key longer than 65535 bytes */
    SYNADB_ERR_CORRUPT          = -9,   /* damaged record or header before the tail */
    SYNADB_ERR_CHECKSUM         = -10,  /* a record read back does not match its CRC */
    SYNADB_ERR_LOCKED           = -11,  /* another handle or process writes this file */
    SYNADB_ERR_READ_ONLY        = -12,  /* write on a read-only handle */
    SYNADB_ERR_NO_MEMORY        = -13,  /* allocation failed */
    SYNADB_ERR_NOT_A_DATABASE   = -14,  /* the file is not a SynaDB file (bad magic) */
    SYNADB_ERR_VERSION          = -15,  /* the file has a newer format version */
    SYNADB_ERR_TOO_LARGE        = -16,  /* value or file beyond the format's limits */
    SYNADB_ERR_DISK_FULL        = -17,  /* no space left (ENOSPC / EFBIG / quota) */
    SYNADB_ERR_POISONED         = -18,  /* an earlier flush failed; reopen the database */
    SYNADB_ERR_UNSUPPORTED      = -19,  /* feature not compiled in or not available */
    SYNADB_ERR_BUFFER_TOO_SMALL = -20,  /* caller's buffer too small; needed size returned */
    SYNADB_ERR_NOT_FOUND        = -21,  /* file does not exist (no_create) */
    SYNADB_ERR_EXISTS           = -22,  /* already exists */
    /* -60..-69 are used by synadb_vec.h, -70..-99 by synadb_ml.h */
    SYNADB_ERR_GPU_UNAVAILABLE  = -50,
    SYNADB_ERR_GPU_OUT_OF_MEMORY = -51,
    SYNADB_ERR_INTERNAL         = -100  /* a bug: please report */
};

/* Value types (the numbers are stored on disk). */
typedef enum synadb_type {
    SYNADB_TYPE_NULL   = 0,
    SYNADB_TYPE_FLOAT  = 1,   /* double */
    SYNADB_TYPE_INT    = 2,   /* int64_t */
    SYNADB_TYPE_TEXT   = 3,   /* UTF-8 */
    SYNADB_TYPE_BYTES  = 4,   /* arbitrary bytes */
    SYNADB_TYPE_VECTOR = 5    /* float32 components, 1..65535 */
} synadb_type;

/* Flags of a record on disk (synadb_record_info.flags). */
enum {
    SYNADB_RECORD_DELTA = 0x01, SYNADB_RECORD_LZ4 = 0x02, SYNADB_RECORD_TOMBSTONE = 0x04,
    SYNADB_RECORD_ALIGNED = 0x08, SYNADB_RECORD_BLOCK = 0x10, SYNADB_RECORD_BATCH = 0x20
};

/* Pass as a length to mean "NUL-terminated, use strlen". */
#define SYNADB_NTS ((size_t)-1)
#define SYNADB_MAX_KEY_LEN 65535u
#define SYNADB_MAX_VALUE_LEN 0xFFFFFF00u
#define SYNADB_MAX_VECTOR_DIMS 65535u

/* A typed value. Only the fields of its type are read or written.
   In results of synadb_get, data points to memory owned by the caller (free it with
   synadb_value_free); for TEXT it is followed by a NUL byte that len does not count. */
typedef struct synadb_value {
    int32_t type;          /* synadb_type */
    uint32_t dims;         /* VECTOR: number of float components */
    double f;              /* FLOAT */
    int64_t i;             /* INT */
    const void *data;      /* TEXT, BYTES, VECTOR (const float *) */
    size_t len;            /* TEXT, BYTES: length in bytes (VECTOR: dims * 4) */
} synadb_value;

/* Allocator used for everything a handle allocates, including results returned to the
   caller. All three functions or none; user is passed back. */
typedef struct synadb_allocator {
    void *(*alloc_fn)(size_t size, void *user);
    void *(*realloc_fn)(void *ptr, size_t new_size, void *user);
    void (*free_fn)(void *ptr, void *user);
    void *user;
} synadb_allocator;

/* Log levels and message ids passed to a synadb_log_fn. */
enum { SYNADB_LOG_ERROR = 1, SYNADB_LOG_WARN = 2, SYNADB_LOG_INFO = 3 };
#define SYNADB__LOG_ITEMS(X) \
    X(TORN_TAIL, "a torn or partial record at the end of the log was cut off") \
    X(SALVAGE_SKIP, "salvage: skipped damaged bytes to the next valid record") \
    X(STALE_TEMP, "removed a leftover temporary file of an interrupted compaction") \
    X(SYNC_FAILED, "flushing to the device failed; the handle refuses further writes") \
    X(CORRUPT, "damaged record before the end of the log") \
    X(PARTIAL_BATCH, "an incomplete batch at the end of the log was discarded") \
    X(REOPEN_READONLY_TAIL, "read-only open ignores bytes after the last valid record")
enum {
    SYNADB_LOG_NONE = 0,
#define SYNADB__X(id, text) SYNADB_LOG_##id,
    SYNADB__LOG_ITEMS(SYNADB__X)
#undef SYNADB__X
    SYNADB_LOG_COUNT
};
typedef void (*synadb_log_fn)(void *user, int level, int item, const char *message);

/* Open configuration. Zero-initialise it ({0}) and set what you need; a NULL config
   means all defaults. */
typedef struct synadb_config {
    uint32_t struct_size;          /* 0 or sizeof(synadb_config) */
    int32_t read_only;             /* open for reading only; takes no lock, never writes */
    int32_t no_create;             /* fail with SYNADB_ERR_NOT_FOUND if the file is missing */
    int32_t sync_on_write;         /* flush to the device before each write returns */
    int32_t enable_compression;    /* LZ4 for text/bytes values >= compression_threshold */
    int32_t enable_delta;          /* store float/int updates as deltas of the previous value */
    int32_t salvage;               /* on open, skip damaged records instead of failing */
    int32_t no_mmap;               /* use pread/pwrite instead of a shared mapping */
    int32_t skip_read_checksums;   /* do not verify a record's CRC each time it is read */
    uint32_t compression_threshold;/* bytes; 0 = 128 */
    uint64_t grow_step;            /* file preallocation step in bytes; 0 = automatic */
    synadb_allocator allocator;    /* all NULL = default (SYNADB_MALLOC or malloc) */
    synadb_log_fn logger;          /* NULL = silent */
    void *logger_user;
} synadb_config;

typedef struct synadb_db synadb_db;

/* Statistics (synadb_stats). */
typedef struct synadb_stats {
    uint64_t keys;                 /* live keys */
    uint64_t records;              /* records in the log (all versions, tombstones) */
    uint64_t versions;             /* versions held by the index (live keys' histories) */
    uint64_t file_bytes;           /* logical end of the log */
    uint64_t allocated_bytes;      /* size of the file including preallocated space */
    uint64_t live_bytes;           /* bytes of the latest record of every live key */
    uint64_t index_bytes;          /* memory held by the in-memory index */
    uint64_t torn_tail_bytes;      /* bytes cut off the end of the log at open */
    uint64_t torn_tail_records;    /* 1 if a partial record was cut off at open */
    uint64_t discarded_batch_records; /* records of an incomplete batch dropped at open */
    uint64_t salvaged_bytes;       /* bytes skipped by salvage at open */
    uint64_t syncs;                /* device flushes performed */
    uint64_t synced_writes;        /* writes acknowledged by those flushes */
    uint64_t next_seq;             /* sequence number of the next record */
    uint32_t format_version;
    uint32_t read_only, mmap, hw_crc;
} synadb_stats;

/* A list of keys (synadb_keys). Each key is a NUL-terminated copy; lens[i] is its length
   (keys may contain NUL bytes). Free with synadb_keylist_free. */
typedef struct synadb_keylist {
    size_t count;
    char **keys;
    size_t *lens;
} synadb_keylist;

/* One operation of a batch (synadb_write_batch). */
enum { SYNADB_OP_PUT = 0, SYNADB_OP_DELETE = 1 };
typedef struct synadb_batch_op {
    const char *key;
    size_t key_len;                /* or SYNADB_NTS */
    int32_t op;                    /* SYNADB_OP_PUT or SYNADB_OP_DELETE */
    synadb_value value;            /* for SYNADB_OP_PUT */
} synadb_batch_op;

/* Compaction flags. */
enum { SYNADB_COMPACT_KEEP_HISTORY = 1 };

/* ---- library ---- */
SYNADB_API const char *synadb_version(void);          /* "0.1.0" */
SYNADB_API int synadb_version_number(void);           /* SYNADB_VERSION_NUMBER */
SYNADB_API const char *synadb_result_str(synadb_result r); /* static text of a code */
SYNADB_API synadb_config synadb_config_default(void);

/* ---- open / close ----
   synadb_open: opens or creates the database at path. On failure *out is NULL and the
   code says why (NOT_A_DATABASE, VERSION, CORRUPT, LOCKED, IO, NOT_FOUND, NO_MEMORY...);
   synadb_open_ex also copies the detailed message into errbuf. A file that fails to
   open is never modified. */
SYNADB_API synadb_result synadb_open(const char *path, const synadb_config *cfg, synadb_db **out);
SYNADB_API synadb_result synadb_open_ex(const char *path, const synadb_config *cfg, synadb_db **out,
                                        char *errbuf, size_t errbuf_len);
/* Flushes, truncates preallocated space, releases the lock and frees the handle. The
   handle is freed even when the final flush fails (that failure is returned). */
SYNADB_API synadb_result synadb_close(synadb_db *db);
SYNADB_API const char *synadb_errmsg(const synadb_db *db);     /* last failure on db */
SYNADB_API synadb_result synadb_errcode(const synadb_db *db);  /* its code */

/* ---- writes ----
   key/key_len: 1..65535 bytes (key_len may be SYNADB_NTS). Errors: EMPTY_KEY, KEY_TOO_LONG,
   INVALID_ARG, READ_ONLY, TOO_LARGE, DISK_FULL, IO, POISONED, NO_MEMORY. out_offset (may be
   NULL) receives the file offset of the record, which is never 0. */
SYNADB_API synadb_result synadb_put(synadb_db *db, const char *key, size_t key_len, const synadb_value *v, uint64_t *out_offset);
SYNADB_API synadb_result synadb_put_null(synadb_db *db, const char *key, size_t key_len);
SYNADB_API synadb_result synadb_put_float(synadb_db *db, const char *key, size_t key_len, double v);
SYNADB_API synadb_result synadb_put_int(synadb_db *db, const char *key, size_t key_len, int64_t v);
SYNADB_API synadb_result synadb_put_text(synadb_db *db, const char *key, size_t key_len, const char *text, size_t text_len);
SYNADB_API synadb_result synadb_put_bytes(synadb_db *db, const char *key, size_t key_len, const void *data, size_t len);
SYNADB_API synadb_result synadb_put_vector(synadb_db *db, const char *key, size_t key_len, const float *data, uint32_t dims);
/* Appends count floats to the key's history (one lock, one flush, atomic). */
SYNADB_API synadb_result synadb_put_floats_batch(synadb_db *db, const char *key, size_t key_len, const double *values, size_t count);
/* Applies the operations in order under one lock and one flush; atomic on crash.
   Validation happens first: on an invalid operation nothing is written and
   *out_failed_index (may be NULL) receives its index. */
SYNADB_API synadb_result synadb_write_batch(synadb_db *db, const synadb_batch_op *ops, size_t count, size_t *out_failed_index);
/* Appends a tombstone; the key reads as not found. KEY_NOT_FOUND if it was not live
   (nothing is written then). */
SYNADB_API synadb_result synadb_delete(synadb_db *db, const char *key, size_t key_len);

/* ---- reads ---- */
SYNADB_API synadb_result synadb_get_float(synadb_db *db, const char *key, size_t key_len, double *out);
SYNADB_API synadb_result synadb_get_int(synadb_db *db, const char *key, size_t key_len, int64_t *out);
/* Latest value with its type. TEXT/BYTES/VECTOR data is allocated with the handle's
   allocator: release with synadb_value_free. */
SYNADB_API synadb_result synadb_get(synadb_db *db, const char *key, size_t key_len, synadb_value *out);
SYNADB_API void synadb_value_free(synadb_db *db, synadb_value *v);
/* Type of the latest value (KEY_NOT_FOUND if absent). */
SYNADB_API synadb_result synadb_get_type(synadb_db *db, const char *key, size_t key_len, synadb_type *out);
/* Copies a TEXT or BYTES value (or a VECTOR's raw f32 bytes) into buf. *out_len receives
   the value's length; BUFFER_TOO_SMALL if cap is smaller (nothing copied). No allocation. */
SYNADB_API synadb_result synadb_get_bytes_into(synadb_db *db, const char *key, size_t key_len, void *buf, size_t cap, size_t *out_len);
/* Allocating getters: *out is NUL-terminated for text; free with synadb_free. */
SYNADB_API synadb_result synadb_get_text(synadb_db *db, const char *key, size_t key_len, char **out, size_t *out_len);
SYNADB_API synadb_result synadb_get_bytes(synadb_db *db, const char *key, size_t key_len, void **out, size_t *out_len);
SYNADB_API synadb_result synadb_get_vector(synadb_db *db, const char *key, size_t key_len, float **out, uint32_t *out_dims);
SYNADB_API void synadb_free(synadb_db *db, void *p);
/* Zero-copy read: *ptr points at the latest TEXT/BYTES/VECTOR value of key inside the
   mapped log (its CRC checked unless skip_read_checksums), *len is its length in bytes.
   The view stays valid until the next write, compaction or close on this handle (from any
   thread: a write may move the mapping). UNSUPPORTED when the value is LZ4-compressed, the
   handle has no mapping (no_mmap, SYNADB_NO_MMAP, emscripten), or for a VECTOR on a
   big-endian machine; TYPE_MISMATCH for FLOAT/INT/NULL values. A BYTES value of 64 bytes or
   more starts at a file offset that is a multiple of 8 (the mapping is page-aligned). */
SYNADB_API synadb_result synadb_get_view(synadb_db *db, const char *key, size_t key_len, const void **ptr, size_t *len);
/* 1 if the key is live, 0 if not; negative on error. */
SYNADB_API int synadb_exists(synadb_db *db, const char *key, size_t key_len);

/* ---- history ----
   All FLOAT (resp. INT) values of the key since it was last created, oldest first, as one
   contiguous array allocated with the handle's allocator (free with synadb_free). Values
   of other types in the history are skipped. A live key without such values gives
   *out = NULL, *out_count = 0 and SYNADB_OK; an absent key gives KEY_NOT_FOUND. */
SYNADB_API synadb_result synadb_history_floats(synadb_db *db, const char *key, size_t key_len, double **out, size_t *out_count);
SYNADB_API synadb_result synadb_history_ints(synadb_db *db, const char *key, size_t key_len, int64_t **out, size_t *out_count);
/* Number of versions (records) in the key's history. */
SYNADB_API synadb_result synadb_history_len(synadb_db *db, const char *key, size_t key_len, size_t *out_versions);

/* ---- keys ----
   Live keys matching a glob pattern (NULL = all): '*' any run, '?' one byte, [abc], [a-z],
   [!a-z] or [^a-z], '\' escapes the next byte. Sorted bytewise. */
SYNADB_API synadb_result synadb_keys(synadb_db *db, const char *glob, size_t glob_len, synadb_keylist *out);
SYNADB_API void synadb_keylist_free(synadb_db *db, synadb_keylist *list);
/* Calls fn for each live key matching glob (unordered) until fn returns non-zero. The
   handle is read-locked during the walk: fn must not write to db. */
typedef int (*synadb_key_fn)(void *user, const char *key, size_t key_len, synadb_type type);
SYNADB_API synadb_result synadb_foreach_key(synadb_db *db, const char *glob, size_t glob_len, synadb_key_fn fn, void *user);
/* 1 if text (of len bytes) matches the glob pattern, else 0. */
SYNADB_API int synadb_glob_match(const char *pattern, size_t pattern_len, const char *text, size_t len);

/* ---- maintenance ---- */
/* Rewrites the live data into a new file and atomically replaces the old one. Without
   SYNADB_COMPACT_KEEP_HISTORY each key keeps only its latest value. */
SYNADB_API synadb_result synadb_compact(synadb_db *db, uint32_t flags);
/* Flushes everything written so far to the device. */
SYNADB_API synadb_result synadb_sync(synadb_db *db);
SYNADB_API synadb_result synadb_stats_get(synadb_db *db, synadb_stats *out);

/* ---- inspection (verify / dump) ----
   Scans a database file read-only, without building an index, reporting every record
   and every damaged region. Works on files that synadb_open refuses. */
enum { SYNADB_SCAN_RECORD = 0, SYNADB_SCAN_DAMAGE = 1, SYNADB_SCAN_TAIL = 2 };
typedef struct synadb_record_info {
    int32_t kind;          /* SYNADB_SCAN_RECORD; SYNADB_SCAN_DAMAGE: damaged bytes with valid
                              records after them (open fails unless salvage); SYNADB_SCAN_TAIL:
                              a partial record or incomplete batch at the end (cut off on open) */
    uint64_t offset;       /* file offset of the record (or of the region) */
    uint64_t length;       /* bytes */
    uint64_t seq;          /* sequence number */
    int32_t status;        /* SYNADB_OK, or what is wrong (CHECKSUM, CORRUPT, ...) */
    uint32_t flags;        /* on-disk flags */
    int32_t type;          /* synadb_type */
    int32_t tombstone;
    const char *key;       /* not NUL-terminated; valid during the callback */
    size_t key_len;
    synadb_value value;    /* decoded value when status is OK and the value is standalone
                              (FLOAT/INT deltas and blocks are resolved); data valid during the
                              callback */
    uint64_t block_count;  /* values in a float block (1 otherwise) */
    const char *problem;   /* description when status != OK */
} synadb_record_info;
typedef int (*synadb_record_fn)(void *user, const synadb_record_info *rec);
typedef struct synadb_scan_report {
    uint64_t file_bytes, records, bad_regions, bad_bytes, tail_bytes, live_keys;
    uint64_t first_bad_offset;  /* UINT64_MAX if none */
    uint32_t format_version;
    int32_t header_status;      /* SYNADB_OK or why the header is refused */
} synadb_scan_report;
SYNADB_API synadb_result synadb_scan_file(const char *path, synadb_record_fn fn, void *user, synadb_scan_report *report);

/* ---- building blocks shared with synadb_vec.h / synadb_ml.h and tools ---- */
SYNADB_API uint32_t synadb_crc32c(uint32_t crc, const void *data, size_t len);

/* ======================================================================== >>kv.abi
   The path-keyed ABI of the original SynaDB. Every database is addressed by its path,
   which is canonicalised (realpath). Returns: 1 success, negative codes as above; put
   functions return the record's offset (> 0). Differences from the original, on purpose:
   failures return their specific negative code instead of collapsing to 0; offsets are
   never 0; an empty history returns NULL with *out_len = 0 (never a dangling pointer);
   an empty BYTES value returns a non-NULL pointer with *out_len = 0; deleting an absent
   key returns 1 without writing a tombstone; syna_keys returns keys sorted.
   The library build (build/libsynadb.so) also exports the upper-case SYNA_* names. */
#ifndef SYNADB_NO_COMPAT_ABI
#define SYNA_SUCCESS 1
#define SYNA_ERR_GENERIC 0
#define SYNA_ERR_DB_NOT_FOUND (-1)
#define SYNA_ERR_INVALID_PATH (-2)
#define SYNA_ERR_IO (-3)
#define SYNA_ERR_SERIALIZATION (-4)
#define SYNA_ERR_KEY_NOT_FOUND (-5)
#define SYNA_ERR_TYPE_MISMATCH (-6)
#define SYNA_ERR_EMPTY_KEY (-7)
#define SYNA_ERR_KEY_TOO_LONG (-8)
#define SYNA_ERR_INTERNAL_PANIC (-100)

#define SYNADB__ABI_FUNCS(X) \
    X(int32_t, open, (const char *path), (path), return) \
    X(int32_t, open_with_config, (const char *path, int32_t sync_on_write), (path, sync_on_write), return) \
    X(int32_t, close, (const char *path), (path), return) \
    X(int64_t, put_float, (const char *path, const char *key, double value), (path, key, value), return) \
    X(int64_t, put_int, (const char *path, const char *key, int64_t value), (path, key, value), return) \
    X(int64_t, put_text, (const char *path, const char *key, const char *value), (path, key, value), return) \
    X(int64_t, put_bytes, (const char *path, const char *key, const uint8_t *data, size_t len), (path, key, data, len), return) \
    X(int64_t, put_floats_batch, (const char *path, const char *key, const double *values, size_t count), (path, key, values, count), return) \
    X(int32_t, get_float, (const char *path, const char *key, double *out), (path, key, out), return) \
    X(int32_t, get_int, (const char *path, const char *key, int64_t *out), (path, key, out), return) \
    X(double *, get_history_tensor, (const char *path, const char *key, size_t *out_len), (path, key, out_len), return) \
    X(void, free_tensor, (double *ptr, size_t len), (ptr, len), ) \
    X(int32_t, delete, (const char *path, const char *key), (path, key), return) \
    X(int32_t, exists, (const char *path, const char *key), (path, key), return) \
    X(int32_t, compact, (const char *path), (path), return) \
    X(char **, keys, (const char *path, size_t *out_len), (path, out_len), return) \
    X(void, free_keys, (char **keys, size_t len), (keys, len), ) \
    X(char *, get_text, (const char *path, const char *key, size_t *out_len), (path, key, out_len), return) \
    X(void, free_text, (char *ptr, size_t len), (ptr, len), ) \
    X(uint8_t *, get_bytes, (const char *path, const char *key, size_t *out_len), (path, key, out_len), return) \
    X(void, free_bytes, (uint8_t *ptr, size_t len), (ptr, len), ) \
    X(int64_t, put_vector, (const char *path, const char *key, const float *data, uint16_t dimensions), (path, key, data, dimensions), return) \
    X(int32_t, get_vector, (const char *path, const char *key, float **out_data, uint16_t *out_dimensions), (path, key, out_data, out_dimensions), return) \
    X(void, free_vector, (float *data, uint16_t dimensions), (data, dimensions), ) \
    X(void, free_json, (char *json), (json), )

#define SYNADB__X(ret, name, params, args, RET) SYNADB_API ret syna_##name params; SYNADB_API ret SYNA_##name params;
SYNADB__ABI_FUNCS(SYNADB__X)
#undef SYNADB__X

/* The handle behind an open path (NULL if not open), for mixing the two APIs. The
   handle stays owned by the registry: do not close it. */
SYNADB_API synadb_db *syna_handle(const char *path);
#endif /* SYNADB_NO_COMPAT_ABI */

#ifdef __cplusplus
}
#endif
#endif /* SYNADB_H */

/* ======================================================================== >>kv.impl */
#if defined(SYNADB_IMPLEMENTATION) || defined(__INTELLISENSE__)
#ifndef SYNADB_IMPLEMENTATION_INCLUDED
#define SYNADB_IMPLEMENTATION_INCLUDED

#if defined(SYNA_NO_THREADS) && !defined(SYNADB_NO_THREADS)
#  define SYNADB_NO_THREADS
#endif
#if defined(__EMSCRIPTEN__)
#  ifndef SYNADB_NO_MMAP
#    define SYNADB_NO_MMAP
#  endif
#  if !defined(__EMSCRIPTEN_PTHREADS__) && !defined(SYNADB_NO_THREADS)
#    define SYNADB_NO_THREADS
#  endif
#endif

#if defined(SYNADB_MALLOC) || defined(SYNADB_REALLOC) || defined(SYNADB_FREE)
#  if !defined(SYNADB_MALLOC) || !defined(SYNADB_REALLOC) || !defined(SYNADB_FREE)
#    error "synadb.h: define all of SYNADB_MALLOC, SYNADB_REALLOC and SYNADB_FREE, or none"
#  endif
#else
#  include <stdlib.h>
#  define SYNADB_MALLOC(sz) malloc(sz)
#  define SYNADB_REALLOC(p, sz) realloc((p), (sz))
#  define SYNADB_FREE(p) free(p)
#endif
#ifndef SYNADB_ASSERT
#  include <assert.h>
#  define SYNADB_ASSERT(x) assert(x)
#endif

#include <string.h>
#include <stdio.h>
#include <stdarg.h>
#include <errno.h>
#include <math.h>
#include <time.h>
#include <limits.h>
#include <locale.h>

#if defined(__GLIBC__) && !defined(_WIN32) && !defined(__USE_XOPEN2K8)
#  error "synadb.h: POSIX declarations are hidden (strict -std=c99 with system headers included before the implementation). Include synadb.h with SYNADB_IMPLEMENTATION first in its file, or define _GNU_SOURCE."
#endif
#if defined(_WIN32)
#  ifndef WIN32_LEAN_AND_MEAN
#    define WIN32_LEAN_AND_MEAN
#  endif
#  include <windows.h>
#  include <io.h>
#else
#  include <sys/types.h>
#  include <sys/stat.h>
#  include <fcntl.h>
#  include <unistd.h>
#  include <sys/file.h>
#  ifndef SYNADB_NO_MMAP
#    include <sys/mman.h>
#  endif
#  ifndef SYNADB_NO_THREADS
#    include <pthread.h>
#  endif
#endif

#if (defined(__x86_64__) || defined(_M_X64) || defined(__i386__)) && !defined(SYNADB_NO_HW_CRC)
#  define SYNADB__X86 1
#  if defined(_MSC_VER)
#    include <intrin.h>
#    include <nmmintrin.h>
#    include <wmmintrin.h>
#  else
#    include <cpuid.h>
#    include <nmmintrin.h>
#    include <wmmintrin.h>
#  endif
#endif
#if defined(__aarch64__) && defined(__ARM_FEATURE_CRC32) && !defined(SYNADB_NO_HW_CRC)
#  define SYNADB__ARM_CRC 1
#  include <arm_acle.h>
#endif

#define SYNADB_PRIVATE static
#if defined(__GNUC__) || defined(__clang__)
#  define SYNADB__LIKELY(x) __builtin_expect(!!(x), 1)
#  define SYNADB__UNLIKELY(x) __builtin_expect(!!(x), 0)
#  define SYNADB__UNUSED __attribute__((unused))
#else
#  define SYNADB__LIKELY(x) (x)
#  define SYNADB__UNLIKELY(x) (x)
#  define SYNADB__UNUSED
#endif

/* ------------------------------------------------------------------------ little endian */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#  define SYNADB__BIG_ENDIAN 1
#endif
SYNADB_PRIVATE uint16_t synadb__rd16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
SYNADB_PRIVATE uint32_t synadb__rd32(const uint8_t *p) {
#ifndef SYNADB__BIG_ENDIAN
    uint32_t v; memcpy(&v, p, 4); return v;
#else
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
#endif
}
SYNADB_PRIVATE uint64_t synadb__rd64(const uint8_t *p) {
#ifndef SYNADB__BIG_ENDIAN
    uint64_t v; memcpy(&v, p, 8); return v;
#else
    return (uint64_t)synadb__rd32(p) | ((uint64_t)synadb__rd32(p + 4) << 32);
#endif
}
SYNADB_PRIVATE void synadb__wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
SYNADB_PRIVATE void synadb__wr32(uint8_t *p, uint32_t v) {
#ifndef SYNADB__BIG_ENDIAN
    memcpy(p, &v, 4);
#else
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
#endif
}
SYNADB_PRIVATE void synadb__wr64(uint8_t *p, uint64_t v) { synadb__wr32(p, (uint32_t)v); synadb__wr32(p + 4, (uint32_t)(v >> 32)); }
SYNADB_PRIVATE double synadb__u2d(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
SYNADB_PRIVATE uint64_t synadb__d2u(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
/* n little-endian 32-bit words from src to dst (either side may be unaligned). */
SYNADB_PRIVATE void synadb__copy_le32(void *dst, const void *src, size_t n) {
#ifndef SYNADB__BIG_ENDIAN
    if (n) memcpy(dst, src, n * 4);
#else
    size_t i; uint8_t *d = (uint8_t *)dst; const uint8_t *s = (const uint8_t *)src;
    for (i = 0; i < n; i++) { d[4*i] = s[4*i+3]; d[4*i+1] = s[4*i+2]; d[4*i+2] = s[4*i+1]; d[4*i+3] = s[4*i]; }
#endif
}
SYNADB_PRIVATE void synadb__copy_le64(void *dst, const void *src, size_t n) {
#ifndef SYNADB__BIG_ENDIAN
    if (n) memcpy(dst, src, n * 8);
#else
    size_t i, j; uint8_t *d = (uint8_t *)dst; const uint8_t *s = (const uint8_t *)src;
    for (i = 0; i < n; i++) for (j = 0; j < 8; j++) d[8*i+j] = s[8*i+7-j];
#endif
}

/* ------------------------------------------------------------------------ allocator */
SYNADB_PRIVATE void *synadb__default_alloc(size_t n, void *u) { (void)u; return SYNADB_MALLOC(n); }
SYNADB_PRIVATE void *synadb__default_realloc(void *p, size_t n, void *u) { (void)u; return SYNADB_REALLOC(p, n); }
SYNADB_PRIVATE void synadb__default_free(void *p, void *u) { (void)u; SYNADB_FREE(p); }
SYNADB_PRIVATE synadb_allocator synadb__allocator_or_default(const synadb_allocator *a) {
    synadb_allocator r;
    if (a && a->alloc_fn && a->realloc_fn && a->free_fn) return *a;
    r.alloc_fn = synadb__default_alloc; r.realloc_fn = synadb__default_realloc;
    r.free_fn = synadb__default_free; r.user = NULL;
    return r;
}
#define SYNADB__ALLOC(a, n) ((a)->alloc_fn((n), (a)->user))
#define SYNADB__REALLOC(a, p, n) ((a)->realloc_fn((p), (n), (a)->user))
#define SYNADB__FREE(a, p) do { if (p) (a)->free_fn((void *)(p), (a)->user); } while (0)

/* ======================================================================== >>kv.platform */
/* Threads: a mutex, a reader-writer lock and a condition variable. */
#if defined(SYNADB_NO_THREADS)
typedef struct { char unused; } synadb__mutex;
typedef struct { char unused; } synadb__rwlock;
typedef struct { char unused; } synadb__cond;
#define synadb__mutex_init(m) ((void)(m))
#define synadb__mutex_destroy(m) ((void)(m))
#define synadb__mutex_lock(m) ((void)(m))
#define synadb__mutex_unlock(m) ((void)(m))
#define synadb__rw_init(l) ((void)(l))
#define synadb__rw_destroy(l) ((void)(l))
#define synadb__rw_rdlock(l) ((void)(l))
#define synadb__rw_wrlock(l) ((void)(l))
#define synadb__rw_rdunlock(l) ((void)(l))
#define synadb__rw_wrunlock(l) ((void)(l))
#define synadb__cond_init(c) ((void)(c))
#define synadb__cond_destroy(c) ((void)(c))
#define synadb__cond_wait(c, m) ((void)(c), (void)(m))
#define synadb__cond_broadcast(c) ((void)(c))
#elif defined(_WIN32)
typedef SRWLOCK synadb__mutex;
typedef SRWLOCK synadb__rwlock;
typedef CONDITION_VARIABLE synadb__cond;
#define synadb__mutex_init(m) InitializeSRWLock(m)
#define synadb__mutex_destroy(m) ((void)(m))
#define synadb__mutex_lock(m) AcquireSRWLockExclusive(m)
#define synadb__mutex_unlock(m) ReleaseSRWLockExclusive(m)
#define synadb__rw_init(l) InitializeSRWLock(l)
#define synadb__rw_destroy(l) ((void)(l))
#define synadb__rw_rdlock(l) AcquireSRWLockShared(l)
#define synadb__rw_wrlock(l) AcquireSRWLockExclusive(l)
#define synadb__rw_rdunlock(l) ReleaseSRWLockShared(l)
#define synadb__rw_wrunlock(l) ReleaseSRWLockExclusive(l)
#define synadb__cond_init(c) InitializeConditionVariable(c)
#define synadb__cond_destroy(c) ((void)(c))
#define synadb__cond_wait(c, m) SleepConditionVariableSRW((c), (m), INFINITE, 0)
#define synadb__cond_broadcast(c) WakeAllConditionVariable(c)
#else
typedef pthread_mutex_t synadb__mutex;
typedef pthread_rwlock_t synadb__rwlock;
typedef pthread_cond_t synadb__cond;
#define synadb__mutex_init(m) pthread_mutex_init((m), NULL)
#define synadb__mutex_destroy(m) pthread_mutex_destroy(m)
#define synadb__mutex_lock(m) pthread_mutex_lock(m)
#define synadb__mutex_unlock(m) pthread_mutex_unlock(m)
#define synadb__rw_init(l) pthread_rwlock_init((l), NULL)
#define synadb__rw_destroy(l) pthread_rwlock_destroy(l)
#define synadb__rw_rdlock(l) pthread_rwlock_rdlock(l)
#define synadb__rw_wrlock(l) pthread_rwlock_wrlock(l)
#define synadb__rw_rdunlock(l) pthread_rwlock_unlock(l)
#define synadb__rw_wrunlock(l) pthread_rwlock_unlock(l)
#define synadb__cond_init(c) pthread_cond_init((c), NULL)
#define synadb__cond_destroy(c) pthread_cond_destroy(c)
#define synadb__cond_wait(c, m) pthread_cond_wait((c), (m))
#define synadb__cond_broadcast(c) pthread_cond_broadcast(c)
#endif

/* Files. Every function returns 0 or an OS error number (errno, or a Windows error
   mapped to the nearest errno) and never retries silently after a failed flush. */
#if defined(_WIN32)
typedef HANDLE synadb__fd;
#define SYNADB__BADFD INVALID_HANDLE_VALUE
#else
typedef int synadb__fd;
#define SYNADB__BADFD (-1)
#endif

SYNADB_PRIVATE const char *synadb__strerror(int e, char *buf, size_t cap) {
#if defined(_WIN32)
    if (strerror_s(buf, cap, e) != 0) snprintf(buf, cap, "error %d", e);
#else
    const char *s = strerror(e);
    snprintf(buf, cap, "%s", s ? s : "unknown error");
#endif
    return buf;
}

#if defined(_WIN32)
SYNADB_PRIVATE int synadb__win_errno(DWORD e) {
    switch (e) {
    case ERROR_FILE_NOT_FOUND: case ERROR_PATH_NOT_FOUND: return ENOENT;
    case ERROR_ACCESS_DENIED: case ERROR_SHARING_VIOLATION: return EACCES;
    case ERROR_LOCK_VIOLATION: return EWOULDBLOCK;
    case ERROR_DISK_FULL: case ERROR_HANDLE_DISK_FULL: return ENOSPC;
    case ERROR_NOT_ENOUGH_MEMORY: case ERROR_OUTOFMEMORY: return ENOMEM;
    case ERROR_FILE_EXISTS: case ERROR_ALREADY_EXISTS: return EEXIST;
    default: return EIO;
    }
}
SYNADB_PRIVATE wchar_t *synadb__widen(const char *s) {
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    wchar_t *w;
    if (n <= 0) return NULL;
    w = (wchar_t *)SYNADB_MALLOC((size_t)n * sizeof(wchar_t));
    if (w) MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
    return w;
}
#endif

/* Opens path. mode: 0 read-only, 1 read-write, 2 read-write create, 3 create exclusive. */
SYNADB_PRIVATE int synadb__fopen(const char *path, int mode, synadb__fd *out) {
#if defined(_WIN32)
    DWORD access = mode ? (GENERIC_READ | GENERIC_WRITE) : GENERIC_READ;
    DWORD disp = mode == 3 ? CREATE_NEW : mode == 2 ? OPEN_ALWAYS : OPEN_EXISTING;
    wchar_t *w = synadb__widen(path);
    HANDLE h;
    if (!w) return ENOMEM;
    h = CreateFileW(w, access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, disp,
                    FILE_ATTRIBUTE_NORMAL, NULL);
    SYNADB_FREE(w);
    if (h == INVALID_HANDLE_VALUE) return synadb__win_errno(GetLastError());
    *out = h;
    return 0;
#else
    int flags = mode == 0 ? O_RDONLY : O_RDWR;
    int fd;
    if (mode == 2) flags |= O_CREAT;
    if (mode == 3) flags |= O_CREAT | O_EXCL;
#ifdef O_CLOEXEC
    flags |= O_CLOEXEC;
#endif
    do { fd = open(path, flags, 0644); } while (fd < 0 && errno == EINTR);
    if (fd < 0) return errno;
    /* Never keep a database on descriptors 0-2: a stray write to stdout/stderr would
       land in the log (a lesson of SQLite). */
    if (fd < 3) {
        int nfd = fcntl(fd, F_DUPFD, 3);
        int e = errno;
        close(fd);
        if (nfd < 0) return e;
        fd = nfd;
    }
#ifndef O_CLOEXEC
    fcntl(fd, F_SETFD, FD_CLOEXEC);
#endif
    {
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) { close(fd); return EISDIR; }
    }
    *out = fd;
    return 0;
#endif
}

SYNADB_PRIVATE void synadb__fclose(synadb__fd fd) {
#if defined(_WIN32)
    if (fd != INVALID_HANDLE_VALUE) CloseHandle(fd);
#else
    if (fd >= 0) close(fd);
#endif
}

SYNADB_PRIVATE int synadb__fsize(synadb__fd fd, uint64_t *out) {
#if defined(_WIN32)
    LARGE_INTEGER li;
    if (!GetFileSizeEx(fd, &li)) return synadb__win_errno(GetLastError());
    *out = (uint64_t)li.QuadPart;
#else
    struct stat st;
    if (fstat(fd, &st) != 0) return errno;
    *out = (uint64_t)st.st_size;
#endif
    return 0;
}

/* Reads exactly n bytes at off; EIO-like ENODATA if the file is shorter. */
SYNADB_PRIVATE int synadb__pread(synadb__fd fd, void *buf, size_t n, uint64_t off) {
    uint8_t *p = (uint8_t *)buf;
    while (n) {
#if defined(_WIN32)
        OVERLAPPED ov; DWORD got = 0; DWORD chunk = n > 0x40000000u ? 0x40000000u : (DWORD)n;
        memset(&ov, 0, sizeof ov);
        ov.Offset = (DWORD)off; ov.OffsetHigh = (DWORD)(off >> 32);
        if (!ReadFile(fd, p, chunk, &got, &ov)) {
            DWORD e = GetLastError();
            if (e == ERROR_HANDLE_EOF) return EIO;
            return synadb__win_errno(e);
        }
        if (got == 0) return EIO;
#else
        size_t chunk = n > 0x40000000u ? 0x40000000u : n;
        ssize_t got = pread(fd, p, chunk, (off_t)off);
        if (got < 0) { if (errno == EINTR) continue; return errno; }
        if (got == 0) return EIO;
#endif
        p += got; n -= (size_t)got; off += (uint64_t)got;
    }
    return 0;
}

SYNADB_PRIVATE int synadb__pwrite(synadb__fd fd, const void *buf, size_t n, uint64_t off) {
    const uint8_t *p = (const uint8_t *)buf;
    while (n) {
#if defined(_WIN32)
        OVERLAPPED ov; DWORD put = 0; DWORD chunk = n > 0x40000000u ? 0x40000000u : (DWORD)n;
        memset(&ov, 0, sizeof ov);
        ov.Offset = (DWORD)off; ov.OffsetHigh = (DWORD)(off >> 32);
        if (!WriteFile(fd, p, chunk, &put, &ov)) return synadb__win_errno(GetLastError());
        if (put == 0) return EIO;
#else
        size_t chunk = n > 0x40000000u ? 0x40000000u : n;
        ssize_t put = pwrite(fd, p, chunk, (off_t)off);
        if (put < 0) { if (errno == EINTR) continue; return errno; }
        if (put == 0) return EIO;
#endif
        p += put; n -= (size_t)put; off += (uint64_t)put;
    }
    return 0;
}

SYNADB_PRIVATE int synadb__ftruncate(synadb__fd fd, uint64_t size) {
#if defined(_WIN32)
    FILE_END_OF_FILE_INFO info;
    info.EndOfFile.QuadPart = (LONGLONG)size;
    if (!SetFileInformationByHandle(fd, FileEndOfFileInfo, &info, sizeof info)) return synadb__win_errno(GetLastError());
    return 0;
#else
    int r;
    do { r = ftruncate(fd, (off_t)size); } while (r != 0 && errno == EINTR);
    return r == 0 ? 0 : errno;
#endif
}

/* Grows the file to new_size with real blocks where the OS can reserve them, so that a
   full disk is reported here and not as a fault when the mapping is written. */
SYNADB__UNUSED SYNADB_PRIVATE int synadb__fallocate(synadb__fd fd, uint64_t old_size, uint64_t new_size) {
    if (new_size <= old_size) return 0;
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
    {
        int r = posix_fallocate(fd, (off_t)old_size, (off_t)(new_size - old_size));
        if (r == 0) return 0;
        if (r != EOPNOTSUPP && r != ENOSYS && r != EINVAL) return r;
    }
#endif
    return synadb__ftruncate(fd, new_size);
}

SYNADB_PRIVATE int synadb__fsync(synadb__fd fd) {
#if defined(_WIN32)
    return FlushFileBuffers(fd) ? 0 : synadb__win_errno(GetLastError());
#elif defined(__APPLE__)
    if (fcntl(fd, F_FULLFSYNC) == 0) return 0;
    return fsync(fd) == 0 ? 0 : errno;
#elif defined(__linux__)
    return fdatasync(fd) == 0 ? 0 : errno;
#else
    return fsync(fd) == 0 ? 0 : errno;
#endif
}

/* Flushes the directory holding path so that a create or rename in it is durable. */
SYNADB_PRIVATE int synadb__sync_dir(const char *path) {
#if defined(_WIN32)
    (void)path; /* NTFS journals directory entries; MoveFileEx uses MOVEFILE_WRITE_THROUGH */
    return 0;
#else
    char dir[4096];
    const char *slash = strrchr(path, '/');
    int fd, r = 0;
    size_t n;
    if (!slash) { dir[0] = '.'; dir[1] = 0; }
    else {
        n = (size_t)(slash - path);
        if (n == 0) n = 1;
        if (n >= sizeof dir) return ENAMETOOLONG;
        memcpy(dir, path, n); dir[n] = 0;
    }
    fd = open(dir, O_RDONLY);
    if (fd < 0) return errno;
    if (fsync(fd) != 0 && errno != EINVAL && errno != EBADF) r = errno;
    close(fd);
    return r;
#endif
}

SYNADB_PRIVATE int synadb__rename(const char *from, const char *to) {
#if defined(_WIN32)
    wchar_t *a = synadb__widen(from), *b = synadb__widen(to);
    int r = 0;
    if (!a || !b) r = ENOMEM;
    else if (!MoveFileExW(a, b, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) r = synadb__win_errno(GetLastError());
    SYNADB_FREE(a); SYNADB_FREE(b);
    return r;
#else
    return rename(from, to) == 0 ? 0 : errno;
#endif
}

SYNADB_PRIVATE int synadb__unlink(const char *path) {
#if defined(_WIN32)
    wchar_t *w = synadb__widen(path);
    int r = 0;
    if (!w) return ENOMEM;
    if (!DeleteFileW(w)) r = synadb__win_errno(GetLastError());
    SYNADB_FREE(w);
    return r;
#else
    return unlink(path) == 0 ? 0 : errno;
#endif
}

/* 1 if path exists. */
SYNADB_PRIVATE int synadb__path_exists(const char *path) {
#if defined(_WIN32)
    wchar_t *w = synadb__widen(path);
    DWORD a;
    if (!w) return 0;
    a = GetFileAttributesW(w);
    SYNADB_FREE(w);
    return a != INVALID_FILE_ATTRIBUTES;
#else
    struct stat st;
    return stat(path, &st) == 0;
#endif
}

/* Exclusive, non-blocking lock of the whole file (flock: per open file description, so a
   second handle in the same process conflicts too). 0, EWOULDBLOCK, or an error. */
SYNADB_PRIVATE int synadb__flock(synadb__fd fd) {
#if defined(_WIN32)
    OVERLAPPED ov;
    memset(&ov, 0, sizeof ov);
    if (!LockFileEx(fd, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, MAXDWORD, MAXDWORD, &ov)) {
        DWORD e = GetLastError();
        return (e == ERROR_LOCK_VIOLATION || e == ERROR_IO_PENDING) ? EWOULDBLOCK : synadb__win_errno(e);
    }
    return 0;
#elif defined(__EMSCRIPTEN__)
    (void)fd;
    return 0;
#else
    int r;
    do { r = flock(fd, LOCK_EX | LOCK_NB); } while (r != 0 && errno == EINTR);
    if (r == 0) return 0;
    return (errno == EWOULDBLOCK || errno == EAGAIN) ? EWOULDBLOCK : errno;
#endif
}

/* Memory maps. */
#if !defined(SYNADB_NO_MMAP)
#if defined(_WIN32)
SYNADB_PRIVATE int synadb__mmap(synadb__fd fd, uint64_t size, int writable, void **out) {
    HANDLE m = CreateFileMappingW(fd, NULL, writable ? PAGE_READWRITE : PAGE_READONLY,
                                  (DWORD)(size >> 32), (DWORD)size, NULL);
    void *p;
    if (!m) return synadb__win_errno(GetLastError());
    p = MapViewOfFile(m, writable ? (FILE_MAP_READ | FILE_MAP_WRITE) : FILE_MAP_READ, 0, 0, (SIZE_T)size);
    CloseHandle(m);
    if (!p) return synadb__win_errno(GetLastError());
    *out = p;
    return 0;
}
SYNADB_PRIVATE void synadb__munmap(void *p, uint64_t size) { (void)size; if (p) UnmapViewOfFile(p); }
SYNADB__UNUSED SYNADB_PRIVATE int synadb__msync(void *p, uint64_t size) { return FlushViewOfFile(p, (SIZE_T)size) ? 0 : synadb__win_errno(GetLastError()); }
#else
SYNADB_PRIVATE int synadb__mmap(synadb__fd fd, uint64_t size, int writable, void **out) {
    void *p;
    if ((uint64_t)(size_t)size != size) return EFBIG;
    p = mmap(NULL, (size_t)size, writable ? (PROT_READ | PROT_WRITE) : PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return errno;
    *out = p;
    return 0;
}
SYNADB_PRIVATE void synadb__munmap(void *p, uint64_t size) { if (p) munmap(p, (size_t)size); }
SYNADB__UNUSED SYNADB_PRIVATE int synadb__msync(void *p, uint64_t size) { return msync(p, (size_t)size, MS_SYNC) == 0 ? 0 : errno; }
#endif
/* Replaces a writable mapping of old_size bytes with one of new_size bytes. */
SYNADB_PRIVATE int synadb__remap(synadb__fd fd, void **p, uint64_t old_size, uint64_t new_size) {
#if defined(__linux__) && defined(MREMAP_MAYMOVE)
    void *q;
    (void)fd;
    if ((uint64_t)(size_t)new_size != new_size) return EFBIG;
    q = mremap(*p, (size_t)old_size, (size_t)new_size, MREMAP_MAYMOVE);
    if (q == MAP_FAILED) return errno;
    *p = q;
    return 0;
#else
    void *q = NULL;
    int r = synadb__mmap(fd, new_size, 1, &q);
    if (r) return r;
    synadb__munmap(*p, old_size);
    *p = q;
    return 0;
#endif
}
/* Asks the OS to fault in a freshly allocated region now rather than one page per append. */
SYNADB_PRIVATE void synadb__prefault(void *p, uint64_t size) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
    madvise(p, (size_t)size, MADV_POPULATE_WRITE);
#else
    (void)p; (void)size;
#endif
}
#endif /* !SYNADB_NO_MMAP */

SYNADB_PRIVATE uint64_t synadb__now_us(void) {
#if defined(_WIN32)
    FILETIME ft; uint64_t t;
    GetSystemTimeAsFileTime(&ft);
    t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    return t / 10 - 11644473600000000ull;
#else
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
#endif
}

SYNADB_PRIVATE uint64_t synadb__mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A random 64-bit number for file ids and hash seeds (not for cryptography). */
SYNADB_PRIVATE uint64_t synadb__random64(const void *salt) {
    uint64_t r = synadb__now_us() ^ ((uint64_t)(uintptr_t)salt * 0x9E3779B97F4A7C15ull);
#if !defined(_WIN32)
    {
        int fd = open("/dev/urandom", O_RDONLY);
        uint64_t v = 0;
        if (fd >= 0) { if (read(fd, &v, sizeof v) == (ssize_t)sizeof v) r ^= v; close(fd); }
        r ^= (uint64_t)getpid() << 32;
    }
#else
    r ^= (uint64_t)GetCurrentProcessId() << 32;
    { LARGE_INTEGER c; QueryPerformanceCounter(&c); r ^= (uint64_t)c.QuadPart; }
#endif
    { static const int local = 0; r ^= (uint64_t)(uintptr_t)&local; }
    return synadb__mix64(r);
}

/* An absolute form of path (the directory is resolved; the file need not exist). */
SYNADB_PRIVATE int synadb__abspath(const char *path, char *out, size_t cap) {
#if defined(_WIN32)
    DWORD n = GetFullPathNameA(path, (DWORD)cap, out, NULL);
    if (n == 0) return synadb__win_errno(GetLastError());
    if (n >= cap) return ENAMETOOLONG;
    return 0;
#else
    char dir[4096], res[4096];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n;
    if (!*base) return EINVAL;
    if (realpath(path, res)) { /* existing file: fully resolved */
        if (strlen(res) >= cap) return ENAMETOOLONG;
        strcpy(out, res);
        return 0;
    }
    if (!slash) { dir[0] = '.'; dir[1] = 0; }
    else {
        n = (size_t)(slash - path);
        if (n == 0) n = 1;
        if (n >= sizeof dir) return ENAMETOOLONG;
        memcpy(dir, path, n); dir[n] = 0;
    }
    if (!realpath(dir, res)) return errno;
    n = strlen(res);
    if (n + 1 + strlen(base) + 1 > cap) return ENAMETOOLONG;
    memcpy(out, res, n);
    if (!n || res[n - 1] != '/') out[n++] = '/';
    memcpy(out + n, base, strlen(base) + 1);
    return 0;
#endif
}

/* ======================================================================== >>kv.crc */
/* CRC32C (Castagnoli, reflected polynomial 0x82F63B78). Table for slicing-by-8. */
static const uint32_t synadb__crc_tab[8][256] = {
  {
    0x00000000u, 0xf26b8303u, 0xe13b70f7u, 0x1350f3f4u, 0xc79a971fu, 0x35f1141cu, 0x26a1e7e8u, 0xd4ca64ebu,
    0x8ad958cfu, 0x78b2dbccu, 0x6be22838u, 0x9989ab3bu, 0x4d43cfd0u, 0xbf284cd3u, 0xac78bf27u, 0x5e133c24u,
    0x105ec76fu, 0xe235446cu, 0xf165b798u, 0x030e349bu, 0xd7c45070u, 0x25afd373u, 0x36ff2087u, 0xc494a384u,
    0x9a879fa0u, 0x68ec1ca3u, 0x7bbcef57u, 0x89d76c54u, 0x5d1d08bfu, 0xaf768bbcu, 0xbc267848u, 0x4e4dfb4bu,
    0x20bd8edeu, 0xd2d60dddu, 0xc186fe29u, 0x33ed7d2au, 0xe72719c1u, 0x154c9ac2u, 0x061c6936u, 0xf477ea35u,
    0xaa64d611u, 0x580f5512u, 0x4b5fa6e6u, 0xb93425e5u, 0x6dfe410eu, 0x9f95c20du, 0x8cc531f9u, 0x7eaeb2fau,
    0x30e349b1u, 0xc288cab2u, 0xd1d83946u, 0x23b3ba45u, 0xf779deaeu, 0x05125dadu, 0x1642ae59u, 0xe4292d5au,
    0xba3a117eu, 0x4851927du, 0x5b016189u, 0xa96ae28au, 0x7da08661u, 0x8fcb0562u, 0x9c9bf696u, 0x6ef07595u,
    0x417b1dbcu, 0xb3109ebfu, 0xa0406d4bu, 0x522bee48u, 0x86e18aa3u, 0x748a09a0u, 0x67dafa54u, 0x95b17957u,
    0xcba24573u, 0x39c9c670u, 0x2a993584u, 0xd8f2b687u, 0x0c38d26cu, 0xfe53516fu, 0xed03a29bu, 0x1f682198u,
    0x5125dad3u, 0xa34e59d0u, 0xb01eaa24u, 0x42752927u, 0x96bf4dccu, 0x64d4cecfu, 0x77843d3bu, 0x85efbe38u,
    0xdbfc821cu, 0x2997011fu, 0x3ac7f2ebu, 0xc8ac71e8u, 0x1c661503u, 0xee0d9600u, 0xfd5d65f4u, 0x0f36e6f7u,
    0x61c69362u, 0x93ad1061u, 0x80fde395u, 0x72966096u, 0xa65c047du, 0x5437877eu, 0x4767748au, 0xb50cf789u,
    0xeb1fcbadu, 0x197448aeu, 0x0a24bb5au, 0xf84f3859u, 0x2c855cb2u, 0xdeeedfb1u, 0xcdbe2c45u, 0x3fd5af46u,
    0x7198540du, 0x83f3d70eu, 0x90a324fau, 0x62c8a7f9u, 0xb602c312u, 0x44694011u, 0x5739b3e5u, 0xa55230e6u,
    0xfb410cc2u, 0x092a8fc1u, 0x1a7a7c35u, 0xe811ff36u, 0x3cdb9bddu, 0xceb018deu, 0xdde0eb2au, 0x2f8b6829u,
    0x82f63b78u, 0x709db87bu, 0x63cd4b8fu, 0x91a6c88cu, 0x456cac67u, 0xb7072f64u, 0xa457dc90u, 0x563c5f93u,
    0x082f63b7u, 0xfa44e0b4u, 0xe9141340u, 0x1b7f9043u, 0xcfb5f4a8u, 0x3dde77abu, 0x2e8e845fu, 0xdce5075cu,
    0x92a8fc17u, 0x60c37f14u, 0x73938ce0u, 0x81f80fe3u, 0x55326b08u, 0xa759e80bu, 0xb4091bffu, 0x466298fcu,
    0x1871a4d8u, 0xea1a27dbu, 0xf94ad42fu, 0x0b21572cu, 0xdfeb33c7u, 0x2d80b0c4u, 0x3ed04330u, 0xccbbc033u,
    0xa24bb5a6u, 0x502036a5u, 0x4370c551u, 0xb11b4652u, 0x65d122b9u, 0x97baa1bau, 0x84ea524eu, 0x7681d14du,
    0x2892ed69u, 0xdaf96e6au, 0xc9a99d9eu, 0x3bc21e9du, 0xef087a76u, 0x1d63f975u, 0x0e330a81u, 0xfc588982u,
    0xb21572c9u, 0x407ef1cau, 0x532e023eu, 0xa145813du, 0x758fe5d6u, 0x87e466d5u, 0x94b49521u, 0x66df1622u,
    0x38cc2a06u, 0xcaa7a905u, 0xd9f75af1u, 0x2b9cd9f2u, 0xff56bd19u, 0x0d3d3e1au, 0x1e6dcdeeu, 0xec064eedu,
    0xc38d26c4u, 0x31e6a5c7u, 0x22b65633u, 0xd0ddd530u, 0x0417b1dbu, 0xf67c32d8u, 0xe52cc12cu, 0x1747422fu,
    0x49547e0bu, 0xbb3ffd08u, 0xa86f0efcu, 0x5a048dffu, 0x8ecee914u, 0x7ca56a17u, 0x6ff599e3u, 0x9d9e1ae0u,
    0xd3d3e1abu, 0x21b862a8u, 0x32e8915cu, 0xc083125fu, 0x144976b4u, 0xe622f5b7u, 0xf5720643u, 0x07198540u,
    0x590ab964u, 0xab613a67u, 0xb831c993u, 0x4a5a4a90u, 0x9e902e7bu, 0x6cfbad78u, 0x7fab5e8cu, 0x8dc0dd8fu,
    0xe330a81au, 0x115b2b19u, 0x020bd8edu, 0xf0605beeu, 0x24aa3f05u, 0xd6c1bc06u, 0xc5914ff2u, 0x37faccf1u,
    0x69e9f0d5u, 0x9b8273d6u, 0x88d28022u, 0x7ab90321u, 0xae7367cau, 0x5c18e4c9u, 0x4f48173du, 0xbd23943eu,
    0xf36e6f75u, 0x0105ec76u, 0x12551f82u, 0xe03e9c81u, 0x34f4f86au, 0xc69f7b69u, 0xd5cf889du, 0x27a40b9eu,
    0x79b737bau, 0x8bdcb4b9u, 0x988c474du, 0x6ae7c44eu, 0xbe2da0a5u, 0x4c4623a6u, 0x5f16d052u, 0xad7d5351u,
  },
  {
    0x00000000u, 0x13a29877u, 0x274530eeu, 0x34e7a899u, 0x4e8a61dcu, 0x5d28f9abu, 0x69cf5132u, 0x7a6dc945u,
    0x9d14c3b8u, 0x8eb65bcfu, 0xba51f356u, 0xa9f36b21u, 0xd39ea264u, 0xc03c3a13u, 0xf4db928au, 0xe7790afdu,
    0x3fc5f181u, 0x2c6769f6u, 0x1880c16fu, 0x0b225918u, 0x714f905du, 0x62ed082au, 0x560aa0b3u, 0x45a838c4u,
    0xa2d13239u, 0xb173aa4eu, 0x859402d7u, 0x96369aa0u, 0xec5b53e5u, 0xfff9cb92u, 0xcb1e630bu, 0xd8bcfb7cu,
    0x7f8be302u, 0x6c297b75u, 0x58ced3ecu, 0x4b6c4b9bu, 0x310182deu, 0x22a31aa9u, 0x1644b230u, 0x05e62a47u,
    0xe29f20bau, 0xf13db8cdu, 0xc5da1054u, 0xd6788823u, 0xac154166u, 0xbfb7d911u, 0x8b507188u, 0x98f2e9ffu,
    0x404e1283u, 0x53ec8af4u, 0x670b226du, 0x74a9ba1au, 0x0ec4735fu, 0x1d66eb28u, 0x298143b1u, 0x3a23dbc6u,
    0xdd5ad13bu, 0xcef8494cu, 0xfa1fe1d5u, 0xe9bd79a2u, 0x93d0b0e7u, 0x80722890u, 0xb4958009u, 0xa737187eu,
    0xff17c604u, 0xecb55e73u, 0xd852f6eau, 0xcbf06e9du, 0xb19da7d8u, 0xa23f3fafu, 0x96d89736u, 0x857a0f41u,
    0x620305bcu, 0x71a19dcbu, 0x45463552u, 0x56e4ad25u, 0x2c896460u, 0x3f2bfc17u, 0x0bcc548eu, 0x186eccf9u,
    0xc0d23785u, 0xd370aff2u, 0xe797076bu, 0xf4359f1cu, 0x8e585659u, 0x9dface2eu, 0xa91d66b7u, 0xbabffec0u,
    0x5dc6f43du, 0x4e646c4au, 0x7a83c4d3u, 0x69215ca4u, 0x134c95e1u, 0x00ee0d96u, 0x3409a50fu, 0x27ab3d78u,
    0x809c2506u, 0x933ebd71u, 0xa7d915e8u, 0xb47b8d9fu, 0xce1644dau, 0xddb4dcadu, 0xe9537434u, 0xfaf1ec43u,
    0x1d88e6beu, 0x0e2a7ec9u, 0x3acdd650u, 0x296f4e27u, 0x53028762u, 0x40a01f15u, 0x7447b78cu, 0x67e52ffbu,
    0xbf59d487u, 0xacfb4cf0u, 0x981ce469u, 0x8bbe7c1eu, 0xf1d3b55bu, 0xe2712d2cu, 0xd69685b5u, 0xc5341dc2u,
    0x224d173fu, 0x31ef8f48u, 0x050827d1u, 0x16aabfa6u, 0x6cc776e3u, 0x7f65ee94u, 0x4b82460du, 0x5820de7au,
    0xfbc3faf9u, 0xe861628eu, 0xdc86ca17u, 0xcf245260u, 0xb5499b25u, 0xa6eb0352u, 0x920cabcbu, 0x81ae33bcu,
    0x66d73941u, 0x7575a136u, 0x419209afu, 0x523091d8u, 0x285d589du, 0x3bffc0eau, 0x0f186873u, 0x1cbaf004u,
    0xc4060b78u, 0xd7a4930fu, 0xe3433b96u, 0xf0e1a3e1u, 0x8a8c6aa4u, 0x992ef2d3u, 0xadc95a4au, 0xbe6bc23du,
    0x5912c8c0u, 0x4ab050b7u, 0x7e57f82eu, 0x6df56059u, 0x1798a91cu, 0x043a316bu, 0x30dd99f2u, 0x237f0185u,
    0x844819fbu, 0x97ea818cu, 0xa30d2915u, 0xb0afb162u, 0xcac27827u, 0xd960e050u, 0xed8748c9u, 0xfe25d0beu,
    0x195cda43u, 0x0afe4234u, 0x3e19eaadu, 0x2dbb72dau, 0x57d6bb9fu, 0x447423e8u, 0x70938b71u, 0x63311306u,
    0xbb8de87au, 0xa82f700du, 0x9cc8d894u, 0x8f6a40e3u, 0xf50789a6u, 0xe6a511d1u, 0xd242b948u, 0xc1e0213fu,
    0x26992bc2u, 0x353bb3b5u, 0x01dc1b2cu, 0x127e835bu, 0x68134a1eu, 0x7bb1d269u, 0x4f567af0u, 0x5cf4e287u,
    0x04d43cfdu, 0x1776a48au, 0x23910c13u, 0x30339464u, 0x4a5e5d21u, 0x59fcc556u, 0x6d1b6dcfu, 0x7eb9f5b8u,
    0x99c0ff45u, 0x8a626732u, 0xbe85cfabu, 0xad2757dcu, 0xd74a9e99u, 0xc4e806eeu, 0xf00fae77u, 0xe3ad3600u,
    0x3b11cd7cu, 0x28b3550bu, 0x1c54fd92u, 0x0ff665e5u, 0x759baca0u, 0x663934d7u, 0x52de9c4eu, 0x417c0439u,
    0xa6050ec4u, 0xb5a796b3u, 0x81403e2au, 0x92e2a65du, 0xe88f6f18u, 0xfb2df76fu, 0xcfca5ff6u, 0xdc68c781u,
    0x7b5fdfffu, 0x68fd4788u, 0x5c1aef11u, 0x4fb87766u, 0x35d5be23u, 0x26772654u, 0x12908ecdu, 0x013216bau,
    0xe64b1c47u, 0xf5e98430u, 0xc10e2ca9u, 0xd2acb4deu, 0xa8c17d9bu, 0xbb63e5ecu, 0x8f844d75u, 0x9c26d502u,
    0x449a2e7eu, 0x5738b609u, 0x63df1e90u, 0x707d86e7u, 0x0a104fa2u, 0x19b2d7d5u, 0x2d557f4cu, 0x3ef7e73bu,
    0xd98eedc6u, 0xca2c75b1u, 0xfecbdd28u, 0xed69455fu, 0x97048c1au, 0x84a6146du, 0xb041bcf4u, 0xa3e32483u,
  },
  {
    0x00000000u, 0xa541927eu, 0x4f6f520du, 0xea2ec073u, 0x9edea41au, 0x3b9f3664u, 0xd1b1f617u, 0x74f06469u,
    0x38513ec5u, 0x9d10acbbu, 0x773e6cc8u, 0xd27ffeb6u, 0xa68f9adfu, 0x03ce08a1u, 0xe9e0c8d2u, 0x4ca15aacu,
    0x70a27d8au, 0xd5e3eff4u, 0x3fcd2f87u, 0x9a8cbdf9u, 0xee7cd990u, 0x4b3d4beeu, 0xa1138b9du, 0x045219e3u,
    0x48f3434fu, 0xedb2d131u, 0x079c1142u, 0xa2dd833cu, 0xd62de755u, 0x736c752bu, 0x9942b558u, 0x3c032726u,
    0xe144fb14u, 0x4405696au, 0xae2ba919u, 0x0b6a3b67u, 0x7f9a5f0eu, 0xdadbcd70u, 0x30f50d03u, 0x95b49f7du,
    0xd915c5d1u, 0x7c5457afu, 0x967a97dcu, 0x333b05a2u, 0x47cb61cbu, 0xe28af3b5u, 0x08a433c6u, 0xade5a1b8u,
    0x91e6869eu, 0x34a714e0u, 0xde89d493u, 0x7bc846edu, 0x0f382284u, 0xaa79b0fau, 0x40577089u, 0xe516e2f7u,
    0xa9b7b85bu, 0x0cf62a25u, 0xe6d8ea56u, 0x43997828u, 0x37691c41u, 0x92288e3fu, 0x78064e4cu, 0xdd47dc32u,
    0xc76580d9u, 0x622412a7u, 0x880ad2d4u, 0x2d4b40aau, 0x59bb24c3u, 0xfcfab6bdu, 0x16d476ceu, 0xb395e4b0u,
    0xff34be1cu, 0x5a752c62u, 0xb05bec11u, 0x151a7e6fu, 0x61ea1a06u, 0xc4ab8878u, 0x2e85480bu, 0x8bc4da75u,
    0xb7c7fd53u, 0x12866f2du, 0xf8a8af5eu, 0x5de93d20u, 0x29195949u, 0x8c58cb37u, 0x66760b44u, 0xc337993au,
    0x8f96c396u, 0x2ad751e8u, 0xc0f9919bu, 0x65b803e5u, 0x1148678cu, 0xb409f5f2u, 0x5e273581u, 0xfb66a7ffu,
    0x26217bcdu, 0x8360e9b3u, 0x694e29c0u, 0xcc0fbbbeu, 0xb8ffdfd7u, 0x1dbe4da9u, 0xf7908ddau, 0x52d11fa4u,
    0x1e704508u, 0xbb31d776u, 0x511f1705u, 0xf45e857bu, 0x80aee112u, 0x25ef736cu, 0xcfc1b31fu, 0x6a802161u,
    0x56830647u, 0xf3c29439u, 0x19ec544au, 0xbcadc634u, 0xc85da25du, 0x6d1c3023u, 0x8732f050u, 0x2273622eu,
    0x6ed23882u, 0xcb93aafcu, 0x21bd6a8fu, 0x84fcf8f1u, 0xf00c9c98u, 0x554d0ee6u, 0xbf63ce95u, 0x1a225cebu,
    0x8b277743u, 0x2e66e53du, 0xc448254eu, 0x6109b730u, 0x15f9d359u, 0xb0b84127u, 0x5a968154u, 0xffd7132au,
    0xb3764986u, 0x1637dbf8u, 0xfc191b8bu, 0x595889f5u, 0x2da8ed9cu, 0x88e97fe2u, 0x62c7bf91u, 0xc7862defu,
    0xfb850ac9u, 0x5ec498b7u, 0xb4ea58c4u, 0x11abcabau, 0x655baed3u, 0xc01a3cadu, 0x2a34fcdeu, 0x8f756ea0u,
    0xc3d4340cu, 0x6695a672u, 0x8cbb6601u, 0x29faf47fu, 0x5d0a9016u, 0xf84b0268u, 0x1265c21bu, 0xb7245065u,
    0x6a638c57u, 0xcf221e29u, 0x250cde5au, 0x804d4c24u, 0xf4bd284du, 0x51fcba33u, 0xbbd27a40u, 0x1e93e83eu,
    0x5232b292u, 0xf77320ecu, 0x1d5de09fu, 0xb81c72e1u, 0xccec1688u, 0x69ad84f6u, 0x83834485u, 0x26c2d6fbu,
    0x1ac1f1ddu, 0xbf8063a3u, 0x55aea3d0u, 0xf0ef31aeu, 0x841f55c7u, 0x215ec7b9u, 0xcb7007cau, 0x6e3195b4u,
    0x2290cf18u, 0x87d15d66u, 0x6dff9d15u, 0xc8be0f6bu, 0xbc4e6b02u, 0x190ff97cu, 0xf321390fu, 0x5660ab71u,
    0x4c42f79au, 0xe90365e4u, 0x032da597u, 0xa66c37e9u, 0xd29c5380u, 0x77ddc1feu, 0x9df3018du, 0x38b293f3u,
    0x7413c95fu, 0xd1525b21u, 0x3b7c9b52u, 0x9e3d092cu, 0xeacd6d45u, 0x4f8cff3bu, 0xa5a23f48u, 0x00e3ad36u,
    0x3ce08a10u, 0x99a1186eu, 0x738fd81du, 0xd6ce4a63u, 0xa23e2e0au, 0x077fbc74u, 0xed517c07u, 0x4810ee79u,
    0x04b1b4d5u, 0xa1f026abu, 0x4bdee6d8u, 0xee9f74a6u, 0x9a6f10cfu, 0x3f2e82b1u, 0xd50042c2u, 0x7041d0bcu,
    0xad060c8eu, 0x08479ef0u, 0xe2695e83u, 0x4728ccfdu, 0x33d8a894u, 0x96993aeau, 0x7cb7fa99u, 0xd9f668e7u,
    0x9557324bu, 0x3016a035u, 0xda386046u, 0x7f79f238u, 0x0b899651u, 0xaec8042fu, 0x44e6c45cu, 0xe1a75622u,
    0xdda47104u, 0x78e5e37au, 0x92cb2309u, 0x378ab177u, 0x437ad51eu, 0xe63b4760u, 0x0c158713u, 0xa954156du,
    0xe5f54fc1u, 0x40b4ddbfu, 0xaa9a1dccu, 0x0fdb8fb2u, 0x7b2bebdbu, 0xde6a79a5u, 0x3444b9d6u, 0x91052ba8u,
  },
  {
    0x00000000u, 0xdd45aab8u, 0xbf672381u, 0x62228939u, 0x7b2231f3u, 0xa6679b4bu, 0xc4451272u, 0x1900b8cau,
    0xf64463e6u, 0x2b01c95eu, 0x49234067u, 0x9466eadfu, 0x8d665215u, 0x5023f8adu, 0x32017194u, 0xef44db2cu,
    0xe964b13du, 0x34211b85u, 0x560392bcu, 0x8b463804u, 0x924680ceu, 0x4f032a76u, 0x2d21a34fu, 0xf06409f7u,
    0x1f20d2dbu, 0xc2657863u, 0xa047f15au, 0x7d025be2u, 0x6402e328u, 0xb9474990u, 0xdb65c0a9u, 0x06206a11u,
    0xd725148bu, 0x0a60be33u, 0x6842370au, 0xb5079db2u, 0xac072578u, 0x71428fc0u, 0x136006f9u, 0xce25ac41u,
    0x2161776du, 0xfc24ddd5u, 0x9e0654ecu, 0x4343fe54u, 0x5a43469eu, 0x8706ec26u, 0xe524651fu, 0x3861cfa7u,
    0x3e41a5b6u, 0xe3040f0eu, 0x81268637u, 0x5c632c8fu, 0x45639445u, 0x98263efdu, 0xfa04b7c4u, 0x27411d7cu,
    0xc805c650u, 0x15406ce8u, 0x7762e5d1u, 0xaa274f69u, 0xb327f7a3u, 0x6e625d1bu, 0x0c40d422u, 0xd1057e9au,
    0xaba65fe7u, 0x76e3f55fu, 0x14c17c66u, 0xc984d6deu, 0xd0846e14u, 0x0dc1c4acu, 0x6fe34d95u, 0xb2a6e72du,
    0x5de23c01u, 0x80a796b9u, 0xe2851f80u, 0x3fc0b538u, 0x26c00df2u, 0xfb85a74au, 0x99a72e73u, 0x44e284cbu,
    0x42c2eedau, 0x9f874462u, 0xfda5cd5bu, 0x20e067e3u, 0x39e0df29u, 0xe4a57591u, 0x8687fca8u, 0x5bc25610u,
    0xb4868d3cu, 0x69c32784u, 0x0be1aebdu, 0xd6a40405u, 0xcfa4bccfu, 0x12e11677u, 0x70c39f4eu, 0xad8635f6u,
    0x7c834b6cu, 0xa1c6e1d4u, 0xc3e468edu, 0x1ea1c255u, 0x07a17a9fu, 0xdae4d027u, 0xb8c6591eu, 0x6583f3a6u,
    0x8ac7288au, 0x57828232u, 0x35a00b0bu, 0xe8e5a1b3u, 0xf1e51979u, 0x2ca0b3c1u, 0x4e823af8u, 0x93c79040u,
    0x95e7fa51u, 0x48a250e9u, 0x2a80d9d0u, 0xf7c57368u, 0xeec5cba2u, 0x3380611au, 0x51a2e823u, 0x8ce7429bu,
    0x63a399b7u, 0xbee6330fu, 0xdcc4ba36u, 0x0181108eu, 0x1881a844u, 0xc5c402fcu, 0xa7e68bc5u, 0x7aa3217du,
    0x52a0c93fu, 0x8fe56387u, 0xedc7eabeu, 0x30824006u, 0x2982f8ccu, 0xf4c75274u, 0x96e5db4du, 0x4ba071f5u,
    0xa4e4aad9u, 0x79a10061u, 0x1b838958u, 0xc6c623e0u, 0xdfc69b2au, 0x02833192u, 0x60a1b8abu, 0xbde41213u,
    0xbbc47802u, 0x6681d2bau, 0x04a35b83u, 0xd9e6f13bu, 0xc0e649f1u, 0x1da3e349u, 0x7f816a70u, 0xa2c4c0c8u,
    0x4d801be4u, 0x90c5b15cu, 0xf2e73865u, 0x2fa292ddu, 0x36a22a17u, 0xebe780afu, 0x89c50996u, 0x5480a32eu,
    0x8585ddb4u, 0x58c0770cu, 0x3ae2fe35u, 0xe7a7548du, 0xfea7ec47u, 0x23e246ffu, 0x41c0cfc6u, 0x9c85657eu,
    0x73c1be52u, 0xae8414eau, 0xcca69dd3u, 0x11e3376bu, 0x08e38fa1u, 0xd5a62519u, 0xb784ac20u, 0x6ac10698u,
    0x6ce16c89u, 0xb1a4c631u, 0xd3864f08u, 0x0ec3e5b0u, 0x17c35d7au, 0xca86f7c2u, 0xa8a47efbu, 0x75e1d443u,
    0x9aa50f6fu, 0x47e0a5d7u, 0x25c22ceeu, 0xf8878656u, 0xe1873e9cu, 0x3cc29424u, 0x5ee01d1du, 0x83a5b7a5u,
    0xf90696d8u, 0x24433c60u, 0x4661b559u, 0x9b241fe1u, 0x8224a72bu, 0x5f610d93u, 0x3d4384aau, 0xe0062e12u,
    0x0f42f53eu, 0xd2075f86u, 0xb025d6bfu, 0x6d607c07u, 0x7460c4cdu, 0xa9256e75u, 0xcb07e74cu, 0x16424df4u,
    0x106227e5u, 0xcd278d5du, 0xaf050464u, 0x7240aedcu, 0x6b401616u, 0xb605bcaeu, 0xd4273597u, 0x09629f2fu,
    0xe6264403u, 0x3b63eebbu, 0x59416782u, 0x8404cd3au, 0x9d0475f0u, 0x4041df48u, 0x22635671u, 0xff26fcc9u,
    0x2e238253u, 0xf36628ebu, 0x9144a1d2u, 0x4c010b6au, 0x5501b3a0u, 0x88441918u, 0xea669021u, 0x37233a99u,
    0xd867e1b5u, 0x05224b0du, 0x6700c234u, 0xba45688cu, 0xa345d046u, 0x7e007afeu, 0x1c22f3c7u, 0xc167597fu,
    0xc747336eu, 0x1a0299d6u, 0x782010efu, 0xa565ba57u, 0xbc65029du, 0x6120a825u, 0x0302211cu, 0xde478ba4u,
    0x31035088u, 0xec46fa30u, 0x8e647309u, 0x5321d9b1u, 0x4a21617bu, 0x9764cbc3u, 0xf54642fau, 0x2803e842u,
  },
  {
    0x00000000u, 0x38116facu, 0x7022df58u, 0x4833b0f4u, 0xe045beb0u, 0xd854d11cu, 0x906761e8u, 0xa8760e44u,
    0xc5670b91u, 0xfd76643du, 0xb545d4c9u, 0x8d54bb65u, 0x2522b521u, 0x1d33da8du, 0x55006a79u, 0x6d1105d5u,
    0x8f2261d3u, 0xb7330e7fu, 0xff00be8bu, 0xc711d127u, 0x6f67df63u, 0x5776b0cfu, 0x1f45003bu, 0x27546f97u,
    0x4a456a42u, 0x725405eeu, 0x3a67b51au, 0x0276dab6u, 0xaa00d4f2u, 0x9211bb5eu, 0xda220baau, 0xe2336406u,
    0x1ba8b557u, 0x23b9dafbu, 0x6b8a6a0fu, 0x539b05a3u, 0xfbed0be7u, 0xc3fc644bu, 0x8bcfd4bfu, 0xb3debb13u,
    0xdecfbec6u, 0xe6ded16au, 0xaeed619eu, 0x96fc0e32u, 0x3e8a0076u, 0x069b6fdau, 0x4ea8df2eu, 0x76b9b082u,
    0x948ad484u, 0xac9bbb28u, 0xe4a80bdcu, 0xdcb96470u, 0x74cf6a34u, 0x4cde0598u, 0x04edb56cu, 0x3cfcdac0u,
    0x51eddf15u, 0x69fcb0b9u, 0x21cf004du, 0x19de6fe1u, 0xb1a861a5u, 0x89b90e09u, 0xc18abefdu, 0xf99bd151u,
    0x37516aaeu, 0x0f400502u, 0x4773b5f6u, 0x7f62da5au, 0xd714d41eu, 0xef05bbb2u, 0xa7360b46u, 0x9f2764eau,
    0xf236613fu, 0xca270e93u, 0x8214be67u, 0xba05d1cbu, 0x1273df8fu, 0x2a62b023u, 0x625100d7u, 0x5a406f7bu,
    0xb8730b7du, 0x806264d1u, 0xc851d425u, 0xf040bb89u, 0x5836b5cdu, 0x6027da61u, 0x28146a95u, 0x10050539u,
    0x7d1400ecu, 0x45056f40u, 0x0d36dfb4u, 0x3527b018u, 0x9d51be5cu, 0xa540d1f0u, 0xed736104u, 0xd5620ea8u,
    0x2cf9dff9u, 0x14e8b055u, 0x5cdb00a1u, 0x64ca6f0du, 0xccbc6149u, 0xf4ad0ee5u, 0xbc9ebe11u, 0x848fd1bdu,
    0xe99ed468u, 0xd18fbbc4u, 0x99bc0b30u, 0xa1ad649cu, 0x09db6ad8u, 0x31ca0574u, 0x79f9b580u, 0x41e8da2cu,
    0xa3dbbe2au, 0x9bcad186u, 0xd3f96172u, 0xebe80edeu, 0x439e009au, 0x7b8f6f36u, 0x33bcdfc2u, 0x0badb06eu,
    0x66bcb5bbu, 0x5eadda17u, 0x169e6ae3u, 0x2e8f054fu, 0x86f90b0bu, 0xbee864a7u, 0xf6dbd453u, 0xcecabbffu,
    0x6ea2d55cu, 0x56b3baf0u, 0x1e800a04u, 0x269165a8u, 0x8ee76becu, 0xb6f60440u, 0xfec5b4b4u, 0xc6d4db18u,
    0xabc5decdu, 0x93d4b161u, 0xdbe70195u, 0xe3f66e39u, 0x4b80607du, 0x73910fd1u, 0x3ba2bf25u, 0x03b3d089u,
    0xe180b48fu, 0xd991db23u, 0x91a26bd7u, 0xa9b3047bu, 0x01c50a3fu, 0x39d46593u, 0x71e7d567u, 0x49f6bacbu,
    0x24e7bf1eu, 0x1cf6d0b2u, 0x54c56046u, 0x6cd40feau, 0xc4a201aeu, 0xfcb36e02u, 0xb480def6u, 0x8c91b15au,
    0x750a600bu, 0x4d1b0fa7u, 0x0528bf53u, 0x3d39d0ffu, 0x954fdebbu, 0xad5eb117u, 0xe56d01e3u, 0xdd7c6e4fu,
    0xb06d6b9au, 0x887c0436u, 0xc04fb4c2u, 0xf85edb6eu, 0x5028d52au, 0x6839ba86u, 0x200a0a72u, 0x181b65deu,
    0xfa2801d8u, 0xc2396e74u, 0x8a0ade80u, 0xb21bb12cu, 0x1a6dbf68u, 0x227cd0c4u, 0x6a4f6030u, 0x525e0f9cu,
    0x3f4f0a49u, 0x075e65e5u, 0x4f6dd511u, 0x777cbabdu, 0xdf0ab4f9u, 0xe71bdb55u, 0xaf286ba1u, 0x9739040du,
    0x59f3bff2u, 0x61e2d05eu, 0x29d160aau, 0x11c00f06u, 0xb9b60142u, 0x81a76eeeu, 0xc994de1au, 0xf185b1b6u,
    0x9c94b463u, 0xa485dbcfu, 0xecb66b3bu, 0xd4a70497u, 0x7cd10ad3u, 0x44c0657fu, 0x0cf3d58bu, 0x34e2ba27u,
    0xd6d1de21u, 0xeec0b18du, 0xa6f30179u, 0x9ee26ed5u, 0x36946091u, 0x0e850f3du, 0x46b6bfc9u, 0x7ea7d065u,
    0x13b6d5b0u, 0x2ba7ba1cu, 0x63940ae8u, 0x5b856544u, 0xf3f36b00u, 0xcbe204acu, 0x83d1b458u, 0xbbc0dbf4u,
    0x425b0aa5u, 0x7a4a6509u, 0x3279d5fdu, 0x0a68ba51u, 0xa21eb415u, 0x9a0fdbb9u, 0xd23c6b4du, 0xea2d04e1u,
    0x873c0134u, 0xbf2d6e98u, 0xf71ede6cu, 0xcf0fb1c0u, 0x6779bf84u, 0x5f68d028u, 0x175b60dcu, 0x2f4a0f70u,
    0xcd796b76u, 0xf56804dau, 0xbd5bb42eu, 0x854adb82u, 0x2d3cd5c6u, 0x152dba6au, 0x5d1e0a9eu, 0x650f6532u,
    0x081e60e7u, 0x300f0f4bu, 0x783cbfbfu, 0x402dd013u, 0xe85bde57u, 0xd04ab1fbu, 0x9879010fu, 0xa0686ea3u,
  },
  {
    0x00000000u, 0xef306b19u, 0xdb8ca0c3u, 0x34bccbdau, 0xb2f53777u, 0x5dc55c6eu, 0x697997b4u, 0x8649fcadu,
    0x6006181fu, 0x8f367306u, 0xbb8ab8dcu, 0x54bad3c5u, 0xd2f32f68u, 0x3dc34471u, 0x097f8fabu, 0xe64fe4b2u,
    0xc00c303eu, 0x2f3c5b27u, 0x1b8090fdu, 0xf4b0fbe4u, 0x72f90749u, 0x9dc96c50u, 0xa975a78au, 0x4645cc93u,
    0xa00a2821u, 0x4f3a4338u, 0x7b8688e2u, 0x94b6e3fbu, 0x12ff1f56u, 0xfdcf744fu, 0xc973bf95u, 0x2643d48cu,
    0x85f4168du, 0x6ac47d94u, 0x5e78b64eu, 0xb148dd57u, 0x370121fau, 0xd8314ae3u, 0xec8d8139u, 0x03bdea20u,
    0xe5f20e92u, 0x0ac2658bu, 0x3e7eae51u, 0xd14ec548u, 0x570739e5u, 0xb83752fcu, 0x8c8b9926u, 0x63bbf23fu,
    0x45f826b3u, 0xaac84daau, 0x9e748670u, 0x7144ed69u, 0xf70d11c4u, 0x183d7addu, 0x2c81b107u, 0xc3b1da1eu,
    0x25fe3eacu, 0xcace55b5u, 0xfe729e6fu, 0x1142f576u, 0x970b09dbu, 0x783b62c2u, 0x4c87a918u, 0xa3b7c201u,
    0x0e045bebu, 0xe13430f2u, 0xd588fb28u, 0x3ab89031u, 0xbcf16c9cu, 0x53c10785u, 0x677dcc5fu, 0x884da746u,
    0x6e0243f4u, 0x813228edu, 0xb58ee337u, 0x5abe882eu, 0xdcf77483u, 0x33c71f9au, 0x077bd440u, 0xe84bbf59u,
    0xce086bd5u, 0x213800ccu, 0x1584cb16u, 0xfab4a00fu, 0x7cfd5ca2u, 0x93cd37bbu, 0xa771fc61u, 0x48419778u,
    0xae0e73cau, 0x413e18d3u, 0x7582d309u, 0x9ab2b810u, 0x1cfb44bdu, 0xf3cb2fa4u, 0xc777e47eu, 0x28478f67u,
    0x8bf04d66u, 0x64c0267fu, 0x507ceda5u, 0xbf4c86bcu, 0x39057a11u, 0xd6351108u, 0xe289dad2u, 0x0db9b1cbu,
    0xebf65579u, 0x04c63e60u, 0x307af5bau, 0xdf4a9ea3u, 0x5903620eu, 0xb6330917u, 0x828fc2cdu, 0x6dbfa9d4u,
    0x4bfc7d58u, 0xa4cc1641u, 0x9070dd9bu, 0x7f40b682u, 0xf9094a2fu, 0x16392136u, 0x2285eaecu, 0xcdb581f5u,
    0x2bfa6547u, 0xc4ca0e5eu, 0xf076c584u, 0x1f46ae9du, 0x990f5230u, 0x763f3929u, 0x4283f2f3u, 0xadb399eau,
    0x1c08b7d6u, 0xf338dccfu, 0xc7841715u, 0x28b47c0cu, 0xaefd80a1u, 0x41cdebb8u, 0x75712062u, 0x9a414b7bu,
    0x7c0eafc9u, 0x933ec4d0u, 0xa7820f0au, 0x48b26413u, 0xcefb98beu, 0x21cbf3a7u, 0x1577387du, 0xfa475364u,
    0xdc0487e8u, 0x3334ecf1u, 0x0788272bu, 0xe8b84c32u, 0x6ef1b09fu, 0x81c1db86u, 0xb57d105cu, 0x5a4d7b45u,
    0xbc029ff7u, 0x5332f4eeu, 0x678e3f34u, 0x88be542du, 0x0ef7a880u, 0xe1c7c399u, 0xd57b0843u, 0x3a4b635au,
    0x99fca15bu, 0x76ccca42u, 0x42700198u, 0xad406a81u, 0x2b09962cu, 0xc439fd35u, 0xf08536efu, 0x1fb55df6u,
    0xf9fab944u, 0x16cad25du, 0x22761987u, 0xcd46729eu, 0x4b0f8e33u, 0xa43fe52au, 0x90832ef0u, 0x7fb345e9u,
    0x59f09165u, 0xb6c0fa7cu, 0x827c31a6u, 0x6d4c5abfu, 0xeb05a612u, 0x0435cd0bu, 0x308906d1u, 0xdfb96dc8u,
    0x39f6897au, 0xd6c6e263u, 0xe27a29b9u, 0x0d4a42a0u, 0x8b03be0du, 0x6433d514u, 0x508f1eceu, 0xbfbf75d7u,
    0x120cec3du, 0xfd3c8724u, 0xc9804cfeu, 0x26b027e7u, 0xa0f9db4au, 0x4fc9b053u, 0x7b757b89u, 0x94451090u,
    0x720af422u, 0x9d3a9f3bu, 0xa98654e1u, 0x46b63ff8u, 0xc0ffc355u, 0x2fcfa84cu, 0x1b736396u, 0xf443088fu,
    0xd200dc03u, 0x3d30b71au, 0x098c7cc0u, 0xe6bc17d9u, 0x60f5eb74u, 0x8fc5806du, 0xbb794bb7u, 0x544920aeu,
    0xb206c41cu, 0x5d36af05u, 0x698a64dfu, 0x86ba0fc6u, 0x00f3f36bu, 0xefc39872u, 0xdb7f53a8u, 0x344f38b1u,
    0x97f8fab0u, 0x78c891a9u, 0x4c745a73u, 0xa344316au, 0x250dcdc7u, 0xca3da6deu, 0xfe816d04u, 0x11b1061du,
    0xf7fee2afu, 0x18ce89b6u, 0x2c72426cu, 0xc3422975u, 0x450bd5d8u, 0xaa3bbec1u, 0x9e87751bu, 0x71b71e02u,
    0x57f4ca8eu, 0xb8c4a197u, 0x8c786a4du, 0x63480154u, 0xe501fdf9u, 0x0a3196e0u, 0x3e8d5d3au, 0xd1bd3623u,
    0x37f2d291u, 0xd8c2b988u, 0xec7e7252u, 0x034e194bu, 0x8507e5e6u, 0x6a378effu, 0x5e8b4525u, 0xb1bb2e3cu,
  },
  {
    0x00000000u, 0x68032cc8u, 0xd0065990u, 0xb8057558u, 0xa5e0c5d1u, 0xcde3e919u, 0x75e69c41u, 0x1de5b089u,
    0x4e2dfd53u, 0x262ed19bu, 0x9e2ba4c3u, 0xf628880bu, 0xebcd3882u, 0x83ce144au, 0x3bcb6112u, 0x53c84ddau,
    0x9c5bfaa6u, 0xf458d66eu, 0x4c5da336u, 0x245e8ffeu, 0x39bb3f77u, 0x51b813bfu, 0xe9bd66e7u, 0x81be4a2fu,
    0xd27607f5u, 0xba752b3du, 0x02705e65u, 0x6a7372adu, 0x7796c224u, 0x1f95eeecu, 0xa7909bb4u, 0xcf93b77cu,
    0x3d5b83bdu, 0x5558af75u, 0xed5dda2du, 0x855ef6e5u, 0x98bb466cu, 0xf0b86aa4u, 0x48bd1ffcu, 0x20be3334u,
    0x73767eeeu, 0x1b755226u, 0xa370277eu, 0xcb730bb6u, 0xd696bb3fu, 0xbe9597f7u, 0x0690e2afu, 0x6e93ce67u,
    0xa100791bu, 0xc90355d3u, 0x7106208bu, 0x19050c43u, 0x04e0bccau, 0x6ce39002u, 0xd4e6e55au, 0xbce5c992u,
    0xef2d8448u, 0x872ea880u, 0x3f2bddd8u, 0x5728f110u, 0x4acd4199u, 0x22ce6d51u, 0x9acb1809u, 0xf2c834c1u,
    0x7ab7077au, 0x12b42bb2u, 0xaab15eeau, 0xc2b27222u, 0xdf57c2abu, 0xb754ee63u, 0x0f519b3bu, 0x6752b7f3u,
    0x349afa29u, 0x5c99d6e1u, 0xe49ca3b9u, 0x8c9f8f71u, 0x917a3ff8u, 0xf9791330u, 0x417c6668u, 0x297f4aa0u,
    0xe6ecfddcu, 0x8eefd114u, 0x36eaa44cu, 0x5ee98884u, 0x430c380du, 0x2b0f14c5u, 0x930a619du, 0xfb094d55u,
    0xa8c1008fu, 0xc0c22c47u, 0x78c7591fu, 0x10c475d7u, 0x0d21c55eu, 0x6522e996u, 0xdd279cceu, 0xb524b006u,
    0x47ec84c7u, 0x2fefa80fu, 0x97eadd57u, 0xffe9f19fu, 0xe20c4116u, 0x8a0f6ddeu, 0x320a1886u, 0x5a09344eu,
    0x09c17994u, 0x61c2555cu, 0xd9c72004u, 0xb1c40cccu, 0xac21bc45u, 0xc422908du, 0x7c27e5d5u, 0x1424c91du,
    0xdbb77e61u, 0xb3b452a9u, 0x0bb127f1u, 0x63b20b39u, 0x7e57bbb0u, 0x16549778u, 0xae51e220u, 0xc652cee8u,
    0x959a8332u, 0xfd99affau, 0x459cdaa2u, 0x2d9ff66au, 0x307a46e3u, 0x58796a2bu, 0xe07c1f73u, 0x887f33bbu,
    0xf56e0ef4u, 0x9d6d223cu, 0x25685764u, 0x4d6b7bacu, 0x508ecb25u, 0x388de7edu, 0x808892b5u, 0xe88bbe7du,
    0xbb43f3a7u, 0xd340df6fu, 0x6b45aa37u, 0x034686ffu, 0x1ea33676u, 0x76a01abeu, 0xcea56fe6u, 0xa6a6432eu,
    0x6935f452u, 0x0136d89au, 0xb933adc2u, 0xd130810au, 0xccd53183u, 0xa4d61d4bu, 0x1cd36813u, 0x74d044dbu,
    0x27180901u, 0x4f1b25c9u, 0xf71e5091u, 0x9f1d7c59u, 0x82f8ccd0u, 0xeafbe018u, 0x52fe9540u, 0x3afdb988u,
    0xc8358d49u, 0xa036a181u, 0x1833d4d9u, 0x7030f811u, 0x6dd54898u, 0x05d66450u, 0xbdd31108u, 0xd5d03dc0u,
    0x8618701au, 0xee1b5cd2u, 0x561e298au, 0x3e1d0542u, 0x23f8b5cbu, 0x4bfb9903u, 0xf3feec5bu, 0x9bfdc093u,
    0x546e77efu, 0x3c6d5b27u, 0x84682e7fu, 0xec6b02b7u, 0xf18eb23eu, 0x998d9ef6u, 0x2188ebaeu, 0x498bc766u,
    0x1a438abcu, 0x7240a674u, 0xca45d32cu, 0xa246ffe4u, 0xbfa34f6du, 0xd7a063a5u, 0x6fa516fdu, 0x07a63a35u,
    0x8fd9098eu, 0xe7da2546u, 0x5fdf501eu, 0x37dc7cd6u, 0x2a39cc5fu, 0x423ae097u, 0xfa3f95cfu, 0x923cb907u,
    0xc1f4f4ddu, 0xa9f7d815u, 0x11f2ad4du, 0x79f18185u, 0x6414310cu, 0x0c171dc4u, 0xb412689cu, 0xdc114454u,
    0x1382f328u, 0x7b81dfe0u, 0xc384aab8u, 0xab878670u, 0xb66236f9u, 0xde611a31u, 0x66646f69u, 0x0e6743a1u,
    0x5daf0e7bu, 0x35ac22b3u, 0x8da957ebu, 0xe5aa7b23u, 0xf84fcbaau, 0x904ce762u, 0x2849923au, 0x404abef2u,
    0xb2828a33u, 0xda81a6fbu, 0x6284d3a3u, 0x0a87ff6bu, 0x17624fe2u, 0x7f61632au, 0xc7641672u, 0xaf673abau,
    0xfcaf7760u, 0x94ac5ba8u, 0x2ca92ef0u, 0x44aa0238u, 0x594fb2b1u, 0x314c9e79u, 0x8949eb21u, 0xe14ac7e9u,
    0x2ed97095u, 0x46da5c5du, 0xfedf2905u, 0x96dc05cdu, 0x8b39b544u, 0xe33a998cu, 0x5b3fecd4u, 0x333cc01cu,
    0x60f48dc6u, 0x08f7a10eu, 0xb0f2d456u, 0xd8f1f89eu, 0xc5144817u, 0xad1764dfu, 0x15121187u, 0x7d113d4fu,
  },
  {
    0x00000000u, 0x493c7d27u, 0x9278fa4eu, 0xdb448769u, 0x211d826du, 0x6821ff4au, 0xb3657823u, 0xfa590504u,
    0x423b04dau, 0x0b0779fdu, 0xd043fe94u, 0x997f83b3u, 0x632686b7u, 0x2a1afb90u, 0xf15e7cf9u, 0xb86201deu,
    0x847609b4u, 0xcd4a7493u, 0x160ef3fau, 0x5f328eddu, 0xa56b8bd9u, 0xec57f6feu, 0x37137197u, 0x7e2f0cb0u,
    0xc64d0d6eu, 0x8f717049u, 0x5435f720u, 0x1d098a07u, 0xe7508f03u, 0xae6cf224u, 0x7528754du, 0x3c14086au,
    0x0d006599u, 0x443c18beu, 0x9f789fd7u, 0xd644e2f0u, 0x2c1de7f4u, 0x65219ad3u, 0xbe651dbau, 0xf759609du,
    0x4f3b6143u, 0x06071c64u, 0xdd439b0du, 0x947fe62au, 0x6e26e32eu, 0x271a9e09u, 0xfc5e1960u, 0xb5626447u,
    0x89766c2du, 0xc04a110au, 0x1b0e9663u, 0x5232eb44u, 0xa86bee40u, 0xe1579367u, 0x3a13140eu, 0x732f6929u,
    0xcb4d68f7u, 0x827115d0u, 0x593592b9u, 0x1009ef9eu, 0xea50ea9au, 0xa36c97bdu, 0x782810d4u, 0x31146df3u,
    0x1a00cb32u, 0x533cb615u, 0x8878317cu, 0xc1444c5bu, 0x3b1d495fu, 0x72213478u, 0xa965b311u, 0xe059ce36u,
    0x583bcfe8u, 0x1107b2cfu, 0xca4335a6u, 0x837f4881u, 0x79264d85u, 0x301a30a2u, 0xeb5eb7cbu, 0xa262caecu,
    0x9e76c286u, 0xd74abfa1u, 0x0c0e38c8u, 0x453245efu, 0xbf6b40ebu, 0xf6573dccu, 0x2d13baa5u, 0x642fc782u,
    0xdc4dc65cu, 0x9571bb7bu, 0x4e353c12u, 0x07094135u, 0xfd504431u, 0xb46c3916u, 0x6f28be7fu, 0x2614c358u,
    0x1700aeabu, 0x5e3cd38cu, 0x857854e5u, 0xcc4429c2u, 0x361d2cc6u, 0x7f2151e1u, 0xa465d688u, 0xed59abafu,
    0x553baa71u, 0x1c07d756u, 0xc743503fu, 0x8e7f2d18u, 0x7426281cu, 0x3d1a553bu, 0xe65ed252u, 0xaf62af75u,
    0x9376a71fu, 0xda4ada38u, 0x010e5d51u, 0x48322076u, 0xb26b2572u, 0xfb575855u, 0x2013df3cu, 0x692fa21bu,
    0xd14da3c5u, 0x9871dee2u, 0x4335598bu, 0x0a0924acu, 0xf05021a8u, 0xb96c5c8fu, 0x6228dbe6u, 0x2b14a6c1u,
    0x34019664u, 0x7d3deb43u, 0xa6796c2au, 0xef45110du, 0x151c1409u, 0x5c20692eu, 0x8764ee47u, 0xce589360u,
    0x763a92beu, 0x3f06ef99u, 0xe44268f0u, 0xad7e15d7u, 0x572710d3u, 0x1e1b6df4u, 0xc55fea9du, 0x8c6397bau,
    0xb0779fd0u, 0xf94be2f7u, 0x220f659eu, 0x6b3318b9u, 0x916a1dbdu, 0xd856609au, 0x0312e7f3u, 0x4a2e9ad4u,
    0xf24c9b0au, 0xbb70e62du, 0x60346144u, 0x29081c63u, 0xd3511967u, 0x9a6d6440u, 0x4129e329u, 0x08159e0eu,
    0x3901f3fdu, 0x703d8edau, 0xab7909b3u, 0xe2457494u, 0x181c7190u, 0x51200cb7u, 0x8a648bdeu, 0xc358f6f9u,
    0x7b3af727u, 0x32068a00u, 0xe9420d69u, 0xa07e704eu, 0x5a27754au, 0x131b086du, 0xc85f8f04u, 0x8163f223u,
    0xbd77fa49u, 0xf44b876eu, 0x2f0f0007u, 0x66337d20u, 0x9c6a7824u, 0xd5560503u, 0x0e12826au, 0x472eff4du,
    0xff4cfe93u, 0xb67083b4u, 0x6d3404ddu, 0x240879fau, 0xde517cfeu, 0x976d01d9u, 0x4c2986b0u, 0x0515fb97u,
    0x2e015d56u, 0x673d2071u, 0xbc79a718u, 0xf545da3fu, 0x0f1cdf3bu, 0x4620a21cu, 0x9d642575u, 0xd4585852u,
    0x6c3a598cu, 0x250624abu, 0xfe42a3c2u, 0xb77edee5u, 0x4d27dbe1u, 0x041ba6c6u, 0xdf5f21afu, 0x96635c88u,
    0xaa7754e2u, 0xe34b29c5u, 0x380faeacu, 0x7133d38bu, 0x8b6ad68fu, 0xc256aba8u, 0x19122cc1u, 0x502e51e6u,
    0xe84c5038u, 0xa1702d1fu, 0x7a34aa76u, 0x3308d751u, 0xc951d255u, 0x806daf72u, 0x5b29281bu, 0x1215553cu,
    0x230138cfu, 0x6a3d45e8u, 0xb179c281u, 0xf845bfa6u, 0x021cbaa2u, 0x4b20c785u, 0x906440ecu, 0xd9583dcbu,
    0x613a3c15u, 0x28064132u, 0xf342c65bu, 0xba7ebb7cu, 0x4027be78u, 0x091bc35fu, 0xd25f4436u, 0x9b633911u,
    0xa777317bu, 0xee4b4c5cu, 0x350fcb35u, 0x7c33b612u, 0x866ab316u, 0xcf56ce31u, 0x14124958u, 0x5d2e347fu,
    0xe54c35a1u, 0xac704886u, 0x7734cfefu, 0x3e08b2c8u, 0xc451b7ccu, 0x8d6dcaebu, 0x56294d82u, 0x1f1530a5u,
  },
};

SYNADB_PRIVATE uint32_t synadb__crc32c_sw(uint32_t crc, const uint8_t *p, size_t n) {
    crc = ~crc;
    while (n && ((uintptr_t)p & 7u)) { crc = synadb__crc_tab[0][(crc ^ *p++) & 0xffu] ^ (crc >> 8); n--; }
    while (n >= 8) {
        uint32_t a = synadb__rd32(p) ^ crc, b = synadb__rd32(p + 4);
        crc = synadb__crc_tab[7][a & 0xffu] ^ synadb__crc_tab[6][(a >> 8) & 0xffu] ^
              synadb__crc_tab[5][(a >> 16) & 0xffu] ^ synadb__crc_tab[4][a >> 24] ^
              synadb__crc_tab[3][b & 0xffu] ^ synadb__crc_tab[2][(b >> 8) & 0xffu] ^
              synadb__crc_tab[1][(b >> 16) & 0xffu] ^ synadb__crc_tab[0][b >> 24];
        p += 8; n -= 8;
    }
    while (n--) crc = synadb__crc_tab[0][(crc ^ *p++) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

#if defined(SYNADB__X86)
#  if defined(__GNUC__) || defined(__clang__)
#    define SYNADB__TARGET_SSE42 __attribute__((target("sse4.2")))
#  else
#    define SYNADB__TARGET_SSE42
#  endif
SYNADB__TARGET_SSE42 SYNADB_PRIVATE uint32_t synadb__crc32c_hw(uint32_t crc, const uint8_t *p, size_t n) {
#  if defined(__x86_64__) || defined(_M_X64)
    uint64_t c = (uint32_t)~crc;
    /* x86 loads unaligned words at full speed: no byte-wise alignment prologue */
    while (n >= 32) {
        uint64_t a, b, d, e;
        memcpy(&a, p, 8); memcpy(&b, p + 8, 8); memcpy(&d, p + 16, 8); memcpy(&e, p + 24, 8);
        c = _mm_crc32_u64(c, a); c = _mm_crc32_u64(c, b); c = _mm_crc32_u64(c, d); c = _mm_crc32_u64(c, e);
        p += 32; n -= 32;
    }
    while (n >= 8) { uint64_t v; memcpy(&v, p, 8); c = _mm_crc32_u64(c, v); p += 8; n -= 8; }
    if (n >= 4) { uint32_t v; memcpy(&v, p, 4); c = _mm_crc32_u32((uint32_t)c, v); p += 4; n -= 4; }
    if (n >= 2) { uint16_t v; memcpy(&v, p, 2); c = _mm_crc32_u16((uint32_t)c, v); p += 2; n -= 2; }
    if (n) c = _mm_crc32_u8((uint32_t)c, *p);
    return ~(uint32_t)c;
#  else
    uint32_t c = ~crc;
    while (n >= 4) { uint32_t v; memcpy(&v, p, 4); c = _mm_crc32_u32(c, v); p += 4; n -= 4; }
    while (n--) c = _mm_crc32_u8(c, *p++);
    return ~c;
#  endif
}
SYNADB_PRIVATE int synadb__cpu_sse42(void) {
#  if defined(_MSC_VER)
    int r[4]; __cpuid(r, 1); return (r[2] >> 20) & 1;
#  else
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (int)((c >> 20) & 1u);
#  endif
}
#elif defined(SYNADB__ARM_CRC)
SYNADB_PRIVATE uint32_t synadb__crc32c_hw(uint32_t crc, const uint8_t *p, size_t n) {
    uint32_t c = ~crc;
    while (n >= 8) { uint64_t v; memcpy(&v, p, 8); c = __crc32cd(c, v); p += 8; n -= 8; }
    while (n--) c = __crc32cb(c, *p++);
    return ~c;
}
#endif

/* ---- CRC32C: three interleaved streams, combined (CRC algebra: appending n bytes to a
   message shifts its CRC register by x^(8n) modulo the polynomial) ---- */
static const uint32_t synadb__crc_x2n[31] = {   /* x^(2^k) mod P, reflected; the sequence has period 31 */
    0x40000000u, 0x20000000u, 0x08000000u, 0x00800000u, 0x00008000u, 0x82f63b78u, 0x6ea2d55cu, 0x18b8ea18u,
    0x510ac59au, 0xb82be955u, 0xb8fdb1e7u, 0x88e56f72u, 0x74c360a4u, 0xe4172b16u, 0x0d65762au, 0x35d73a62u,
    0x28461564u, 0xbf455269u, 0xe2ea32dcu, 0xfe7740e6u, 0xf946610bu, 0x3c204f8fu, 0x538586e3u, 0x59726915u,
    0x734d5309u, 0xbc1ac763u, 0x7d0722ccu, 0xd289cabeu, 0xe94ca9bcu, 0x05b74f3fu, 0xa51e1f42u};
/* a * b mod P (reflected: bit 31 is x^0) */
SYNADB_PRIVATE uint32_t synadb__crc_mulmod(uint32_t a, uint32_t b) {
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
SYNADB_PRIVATE uint32_t synadb__crc_x8n(uint64_t n) {
    uint32_t p = (uint32_t)1 << 31;
    unsigned k = 3;
    for (; n; n >>= 1, k++) if (n & 1) p = synadb__crc_mulmod(synadb__crc_x2n[k % 31], p);
    return p;
}
/* CRC32C of A||B from crc(A), crc(B) and |B| (as zlib's crc32_combine). */
SYNADB__UNUSED SYNADB_PRIVATE uint32_t synadb__crc_combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b) {
    return synadb__crc_mulmod(synadb__crc_x8n(len_b), crc_a) ^ crc_b;
}
#if defined(SYNADB__X86) && (defined(__x86_64__) || defined(_M_X64))
#  define SYNADB__CRC3 1
#  if defined(__GNUC__) || defined(__clang__)
#    define SYNADB__TARGET_CLMUL __attribute__((target("sse4.2,pclmul")))
#  else
#    define SYNADB__TARGET_CLMUL
#  endif
/* c * x^(8n) mod P with k = x^(8n - 33) mod P: the carry-less product of two reflected
   32-bit polynomials read as 64 message bits is the product times x; the CRC instruction
   multiplies by x^32 and reduces. */
SYNADB__TARGET_CLMUL SYNADB_PRIVATE uint32_t synadb__crc_shift_clmul(uint32_t c, uint32_t k) {
    __m128i v = _mm_clmulepi64_si128(_mm_cvtsi32_si128((int)c), _mm_cvtsi32_si128((int)k), 0);
    return (uint32_t)_mm_crc32_u64(0, (uint64_t)_mm_cvtsi128_si64(v));
}
/* Blocks of three streams of L = 2^lg bytes: the first stream's register is shifted by
   x^(16L), the second's by x^(8L) (bit-serially: tx2n[lg + 4], tx2n[lg + 3]; with PCLMUL:
   the constants x^(16L-33), x^(8L-33)). caps: 1 CRC instruction, 2 PCLMUL. */
SYNADB__TARGET_SSE42 SYNADB_PRIVATE uint64_t synadb__crc_blocks(uint64_t c, const uint8_t **pp, size_t *pn, unsigned lg, int caps, uint32_t k16, uint32_t k8) {
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
        if (caps & 2) c = synadb__crc_shift_clmul((uint32_t)c, k16) ^ synadb__crc_shift_clmul((uint32_t)c1, k8) ^ (uint32_t)c2;
        else c = synadb__crc_mulmod(synadb__crc_x2n[lg + 4], (uint32_t)c) ^ synadb__crc_mulmod(synadb__crc_x2n[lg + 3], (uint32_t)c1) ^ (uint32_t)c2;
        p += 3 * L; n -= 3 * L;
    }
    *pp = p; *pn = n;
    return c;
}
SYNADB_PRIVATE uint32_t synadb__crc_hw3(int caps, uint32_t crc, const uint8_t *p, size_t n) {
    uint64_t c = (uint32_t)~crc;
    c = synadb__crc_blocks(c, &p, &n, 13, caps, 0x1dc403ccu, 0x54a86326u);   /* 8 KiB streams */
    c = synadb__crc_blocks(c, &p, &n, 9, caps, 0x170076fau, 0xdd7e3b0cu);    /* 512-byte streams */
    if (caps & 2) c = synadb__crc_blocks(c, &p, &n, 6, caps, 0x0d3b6092u, 0x9e4addf8u);   /* 64-byte streams */
    return synadb__crc32c_hw(~(uint32_t)c, p, n);
}
SYNADB_PRIVATE int synadb__cpu_pclmul(void) {
#  if defined(_MSC_VER)
    int r[4]; __cpuid(r, 1); return (r[2] >> 1) & 1;
#  else
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (int)((c >> 1) & 1u);
#  endif
}
#endif
/* What this build can use on this CPU: bit 0 a CRC32C instruction, bit 1 (x86-64) also
   PCLMULQDQ. 0 = the table code. Asked once per handle (CPUID is slow in virtual machines). */
SYNADB_PRIVATE int synadb__hw_crc_detect(void) {
#if defined(SYNADB__X86)
    if (!synadb__cpu_sse42()) return 0;
#  ifdef SYNADB__CRC3
    return 1 | (synadb__cpu_pclmul() ? 2 : 0);
#  else
    return 1;
#  endif
#elif defined(SYNADB__ARM_CRC)
    return 1;
#else
    return 0;
#endif
}
/* CRC32C with what hw says; long inputs in three interleaved streams where the CPU has the
   instruction (its latency, not its throughput, bounds one stream). */
SYNADB_PRIVATE uint32_t synadb__crc(int hw, uint32_t crc, const void *data, size_t n) {
#if defined(SYNADB__CRC3)
    if ((hw & 1) && n >= ((hw & 2) ? 3 * 64 : 3 * 512)) return synadb__crc_hw3(hw, crc, (const uint8_t *)data, n);
#endif
#if defined(SYNADB__X86) || defined(SYNADB__ARM_CRC)
    if (hw) return synadb__crc32c_hw(crc, (const uint8_t *)data, n);
#else
    (void)hw;
#endif
    return synadb__crc32c_sw(crc, (const uint8_t *)data, n);
}
/* Stored CRCs are masked, so that a CRC computed over data that itself contains CRCs
   (a database stored inside a value) does not degenerate. */
SYNADB_PRIVATE uint32_t synadb__crc_mask(uint32_t c) { return ((c >> 13) | (c << 19)) + 0x5bd1e995u; }

SYNADB_API uint32_t synadb_crc32c(uint32_t crc, const void *data, size_t len) {
    if (!data || !len) return crc;
#if defined(SYNADB__X86) || defined(SYNADB__ARM_CRC)
    {   /* detection is a pure function of the CPU; computing it again is harmless */
#  if !defined(SYNADB_NO_THREADS) && (defined(__GNUC__) || defined(__clang__))
        static int cached = -1;
        int hw = __atomic_load_n(&cached, __ATOMIC_RELAXED);
        if (hw < 0) { hw = synadb__hw_crc_detect(); __atomic_store_n(&cached, hw, __ATOMIC_RELAXED); }
#  else
        int hw = synadb__hw_crc_detect();
#  endif
        return synadb__crc(hw, crc, data, len);
    }
#else
    return synadb__crc32c_sw(crc, (const uint8_t *)data, len);
#endif
}

/* ======================================================================== >>kv.codec */
#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 synadb__u128;
SYNADB_PRIVATE uint64_t synadb__mum(uint64_t a, uint64_t b) {
    synadb__u128 r = (synadb__u128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}
#else
SYNADB_PRIVATE uint64_t synadb__mum(uint64_t a, uint64_t b) {
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    uint64_t lo = (mid << 32) | (uint32_t)ll;
    uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    return lo ^ hi;
}
#endif
/* Keyed 64-bit hash for the index (seeded per handle, so crafted keys cannot collide
   on purpose across processes). */
SYNADB_PRIVATE uint64_t synadb__hash(const void *key, size_t n, uint64_t seed) {
    const uint8_t *p = (const uint8_t *)key;
    const uint64_t k1 = 0xa0761d6478bd642full, k2 = 0xe7037ed1a0b428dbull, k3 = 0x8ebc6af09c88c6e3ull;
    uint64_t h = seed ^ synadb__mum((uint64_t)n ^ k1, k2), a, b;
    size_t len = n;
    while (len > 16) {
        h = synadb__mum(synadb__rd64(p) ^ k1 ^ h, synadb__rd64(p + 8) ^ k2);
        p += 16; len -= 16;
    }
    if (len >= 8) { a = synadb__rd64(p); b = synadb__rd64(p + len - 8); }
    else if (len >= 4) { a = synadb__rd32(p); b = synadb__rd32(p + len - 4); }
    else if (len > 0) { a = ((uint64_t)p[0] << 16) | ((uint64_t)p[len >> 1] << 8) | p[len - 1]; b = 0; }
    else { a = b = 0; }
    return synadb__mum(h ^ a ^ k3, b ^ k2 ^ (uint64_t)n);
}

SYNADB_PRIVATE uint64_t synadb__zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
SYNADB_PRIVATE int64_t synadb__unzigzag(uint64_t u) { return (int64_t)(u >> 1) ^ -(int64_t)(u & 1); }
SYNADB_PRIVATE size_t synadb__put_varint(uint8_t *p, uint64_t v) {
    size_t n = 0;
    while (v >= 0x80) { p[n++] = (uint8_t)(v | 0x80); v >>= 7; }
    p[n++] = (uint8_t)v;
    return n;
}
/* Reads a varint from [*pp, end); 0 on success, -1 if truncated or longer than 10 bytes. */
SYNADB_PRIVATE int synadb__get_varint(const uint8_t **pp, const uint8_t *end, uint64_t *out) {
    const uint8_t *p = *pp;
    uint64_t v = 0;
    unsigned shift = 0;
    if (p < end && *p < 0x80) { *out = *p; *pp = p + 1; return 0; }
    while (p < end && shift < 64) {
        uint8_t b = *p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (b < 0x80) { *out = v; *pp = p; return 0; }
        shift += 7;
    }
    return -1;
}

/* Scaled-decimal encoding of doubles: v is stored as the integer round(v * 10^d) when
   that integer divided by 10^d gives back exactly the bits of v. */
static const double synadb__p10[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
                                       1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
#define SYNADB__MAX_SCALED 9007199254740992.0 /* 2^53 */
SYNADB_PRIVATE double synadb__descale(int64_t s, int d) { return (double)s / synadb__p10[d]; }
/* 1 if v is exactly representable at scale d; the scaled integer goes to *s. */
SYNADB_PRIVATE int synadb__scale_at(double v, int d, int64_t *s) {
    double x = v * synadb__p10[d];
    int64_t i;
    if (!(x < SYNADB__MAX_SCALED && x > -SYNADB__MAX_SCALED)) return 0;
    i = (int64_t)(x + (x >= 0 ? 0.5 : -0.5));
    if (synadb__d2u(synadb__descale(i, d)) != synadb__d2u(v)) return 0;
    *s = i;
    return 1;
}
/* Smallest decimal scale (0..15) at which v round-trips, or -1. */
SYNADB_PRIVATE int synadb__decimals(double v, int from) {
    int d;
    int64_t s;
    for (d = from; d < 16; d++) if (synadb__scale_at(v, d, &s)) return d;
    return -1;
}

/* Float block codecs (put_floats_batch). Header: u32 count, u8 codec, u8 scale, u16 0,
   f64 last value; then the payload. */
#define SYNADB__BLOCK_HDR 16
#define SYNADB__BLOCK_MAX 8192
enum { SYNADB__CODEC_RAW = 0, SYNADB__CODEC_DECIMAL = 1 };
/* Encodes v[0..n) into out (capacity >= 16 + 10 * n); returns the value length. */
SYNADB_PRIVATE size_t synadb__block_encode(const double *v, size_t n, int try_decimal, uint8_t *out) {
    size_t i, len = SYNADB__BLOCK_HDR;
    int d = 0;
    synadb__wr32(out, (uint32_t)n);
    out[6] = out[7] = 0;
    synadb__wr64(out + 8, synadb__d2u(v[n - 1]));
    if (try_decimal) {
        int64_t prev = 0, s;
        for (i = 0; i < n && d >= 0; i++) {
            if (!synadb__scale_at(v[i], d, &s)) d = synadb__decimals(v[i], d + 1);
        }
        if (d >= 0) {
            for (i = 0; i < n; i++) {
                if (!synadb__scale_at(v[i], d, &s)) { d = -1; break; }
                len += synadb__put_varint(out + len, synadb__zigzag(i ? (int64_t)((uint64_t)s - (uint64_t)prev) : s));
                prev = s;
                if (len >= SYNADB__BLOCK_HDR + 8 * n) { d = -1; break; }
            }
            if (d >= 0) { out[4] = SYNADB__CODEC_DECIMAL; out[5] = (uint8_t)d; return len; }
        }
    }
    out[4] = SYNADB__CODEC_RAW; out[5] = 0;
    synadb__copy_le64(out + SYNADB__BLOCK_HDR, v, n);
    return SYNADB__BLOCK_HDR + 8 * n;
}
/* Checks a block value and returns its count (0 if malformed). */
SYNADB_PRIVATE size_t synadb__block_count(const uint8_t *val, size_t len) {
    size_t n;
    if (len < SYNADB__BLOCK_HDR) return 0;
    n = synadb__rd32(val);
    if (n == 0 || n > SYNADB__BLOCK_MAX || val[6] || val[7]) return 0;
    if (val[4] == SYNADB__CODEC_RAW) return len == SYNADB__BLOCK_HDR + 8 * n ? n : 0;
    if (val[4] == SYNADB__CODEC_DECIMAL) return (val[5] < 16 && len > SYNADB__BLOCK_HDR) ? n : 0;
    return 0;
}
/* Decodes a block into out[0..count); -1 if malformed. */
SYNADB_PRIVATE int synadb__block_decode(const uint8_t *val, size_t len, double *out) {
    size_t n = synadb__block_count(val, len), i;
    if (!n) return -1;
    if (val[4] == SYNADB__CODEC_RAW) { synadb__copy_le64(out, val + SYNADB__BLOCK_HDR, n); }
    else {
        const uint8_t *p = val + SYNADB__BLOCK_HDR, *end = val + len;
        int d = val[5];
        uint64_t s = 0, u;
        for (i = 0; i < n; i++) {
            if (p < end && *p < 0x80) u = *p++;
            else if (synadb__get_varint(&p, end, &u)) return -1;
            s += (uint64_t)synadb__unzigzag(u);
            out[i] = synadb__descale((int64_t)s, d);
        }
        if (p != end) return -1;
    }
    if (synadb__d2u(out[n - 1]) != synadb__rd64(val + 8)) return -1;
    return 0;
}

/* UTF-8 validation (no overlongs, no surrogates, at most U+10FFFF). */
SYNADB_PRIVATE int synadb__utf8_valid(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c;
        size_t need;
        uint8_t lo = 0x80, hi = 0xBF;
        if (i + 8 <= n && !(synadb__rd64(s + i) & 0x8080808080808080ull)) { i += 8; continue; }
        c = s[i];
        if (c < 0x80) { i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) need = 1;
        else if (c == 0xE0) { need = 2; lo = 0xA0; }
        else if (c == 0xED) { need = 2; hi = 0x9F; }
        else if (c >= 0xE1 && c <= 0xEF) need = 2;
        else if (c == 0xF0) { need = 3; lo = 0x90; }
        else if (c >= 0xF1 && c <= 0xF3) need = 3;
        else if (c == 0xF4) { need = 3; hi = 0x8F; }
        else return 0;
        if (n - i <= need) return 0;
        if (s[i + 1] < lo || s[i + 1] > hi) return 0;
        if (need >= 2 && (s[i + 2] & 0xC0) != 0x80) return 0;
        if (need >= 3 && (s[i + 3] & 0xC0) != 0x80) return 0;
        i += need + 1;
    }
    return 1;
}

/* Glob matching on bytes. */
/* Matches one [...] class at pat[p] against c. Returns the index after ']' and sets
   *matched, or returns (size_t)-1 if the class is not closed (then '[' is literal). */
SYNADB_PRIVATE size_t synadb__glob_class(const uint8_t *pat, size_t plen, size_t p, uint8_t c, int *matched) {
    int neg = 0, m = 0;
    size_t i = p + 1;
    if (i < plen && (pat[i] == '!' || pat[i] == '^')) { neg = 1; i++; }
    if (i < plen && pat[i] == ']') { if (c == ']') m = 1; i++; } /* leading ']' is literal */
    while (i < plen && pat[i] != ']') {
        uint8_t lo = pat[i], hi;
        if (lo == '\\' && i + 1 < plen) lo = pat[++i];
        hi = lo;
        if (i + 2 < plen && pat[i + 1] == '-' && pat[i + 2] != ']') {
            hi = pat[i + 2];
            i += 2;
            if (hi == '\\' && i + 1 < plen) hi = pat[++i];
        }
        if (c >= lo && c <= hi) m = 1;
        i++;
    }
    if (i >= plen) return (size_t)-1;
    *matched = m ^ neg;
    return i + 1;
}

SYNADB_API int synadb_glob_match(const char *pattern, size_t pattern_len, const char *text, size_t len) {
    const uint8_t *pat = (const uint8_t *)pattern, *s = (const uint8_t *)text;
    size_t p = 0, t = 0, star_p = (size_t)-1, star_t = 0, np;
    int m;
    if (!pattern) return 1;
    if (pattern_len == SYNADB_NTS) pattern_len = strlen(pattern);
    if (!text && len) return 0;
    while (t < len) {
        if (p < pattern_len) {
            uint8_t c = pat[p];
            if (c == '*') { while (p < pattern_len && pat[p] == '*') p++; star_p = p; star_t = t; continue; }
            if (c == '?') { p++; t++; continue; }
            if (c == '[') {
                m = 0;
                np = synadb__glob_class(pat, pattern_len, p, s[t], &m);
                if (np != (size_t)-1) {
                    if (m) { p = np; t++; continue; }
                    goto backtrack;
                }
            } else if (c == '\\' && p + 1 < pattern_len) {
                if (pat[p + 1] == s[t]) { p += 2; t++; continue; }
                goto backtrack;
            }
            if (c == s[t]) { p++; t++; continue; }
        }
    backtrack:
        if (star_p == (size_t)-1) return 0;
        p = star_p;
        t = ++star_t;
    }
    while (p < pattern_len && pat[p] == '*') p++;
    return p == pattern_len;
}

/* ======================================================================== >>kv.lz4 */
/* LZ4 block format (lz4 block specification: sequences of token, literals, 2-byte offset,
   match length; MINMATCH 4, last 5 bytes literals, last match at least 12 bytes before the end). */
/* ---- LZ4 block format: greedy single-pass compressor and safe decompressor ----
 *
 * Block format (as specified by the LZ4 block format description): a block is a
 * sequence of "sequences". Each starts with a token byte: high nibble = literal length,
 * low nibble = match length - 4. A nibble of 15 means more length bytes follow, each
 * added to the length; a byte of 255 means another byte follows. Then come the literal
 * bytes, then a 2-byte little-endian offset (1..65535) and the match length extension
 * bytes. The last sequence has literals only and ends the block. An encoder keeps the
 * last 5 bytes as literals and starts no match within the last 12 bytes.
 *
 *   synadb__lz4_bound(n)       worst-case compressed size of n bytes (n <= 2^31).
 *   synadb__lz4_compress(...)  returns the compressed size, or 0 if it would not fit
 *                              in cap (or n > 2^31). `table` is scratch of
 *                              SYNADB__LZ4_TABLE_BYTES bytes, aligned for uint32_t
 *                              (any malloc'ed or uint32_t array is), contents ignored.
 *   synadb__lz4_decompress(...) decodes a complete block that must produce exactly
 *                              out_len bytes; 0 on success, -1 on malformed input.
 *                              Never reads outside src[0..n) nor writes outside
 *                              dst[0..out_len). src and dst must not overlap.
 */

#define SYNADB__LZ4_TABLE_BYTES 16384
#define SYNADB__LZ4_MINMATCH 4
#define SYNADB__LZ4_LASTLITERALS 5
#define SYNADB__LZ4_MFLIMIT 12
#define SYNADB__LZ4_MAX_OFFSET 65535u
#define SYNADB__LZ4_MAX_INPUT ((size_t)0x80000000u)
/* Inputs shorter than this use a 16-bit position table (all positions fit). */
#define SYNADB__LZ4_NARROW_LIMIT 65536u
#define SYNADB__LZ4_WIDE_LOG 12   /* 4096 x uint32_t = 16 KiB */
#define SYNADB__LZ4_NARROW_LOG 13 /* 8192 x uint16_t = 16 KiB */
/* After 2^SKIP_SHIFT consecutive misses the search step grows by one byte. */
#define SYNADB__LZ4_SKIP_SHIFT 6

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SYNADB__LZ4_CTZ_LE 1
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SYNADB__LZ4_CLZ_BE 1
#endif

#if defined(__GNUC__)
#define SYNADB__LZ4_LIKELY(x) __builtin_expect(!!(x), 1)
#define SYNADB__LZ4_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define SYNADB__LZ4_LIKELY(x) (x)
#define SYNADB__LZ4_UNLIKELY(x) (x)
#endif

static uint32_t synadb__lz4_rd32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint64_t synadb__lz4_rd64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static size_t synadb__lz4_bound(size_t n) {
    return n + n / 255 + 16;
}

/* Multiplicative hashes of the bytes at p, `log` bits wide: of 4 bytes for the small
 * (16-bit) table, of 5 bytes for the large one (better matches on big inputs; the 4
 * bytes are compared anyway). Reading 8 bytes is safe: hashed positions are <= n - 11. */
static uint32_t synadb__lz4_hash4(const uint8_t *p, unsigned log) {
    return (uint32_t)(synadb__lz4_rd32(p) * 2654435761u) >> (32 - log);
}

static uint32_t synadb__lz4_hash5(const uint8_t *p, unsigned log) {
#if defined(SYNADB__LZ4_CTZ_LE)
    uint64_t v = synadb__lz4_rd64(p) << 24; /* the first 5 bytes, in the top 40 bits */
#else
    uint64_t v = ((uint64_t)p[0] << 24) | ((uint64_t)p[1] << 32) | ((uint64_t)p[2] << 40) |
                 ((uint64_t)p[3] << 48) | ((uint64_t)p[4] << 56);
#endif
    return (uint32_t)((v * 0x9E3779B97F4A7C15ull) >> (64 - log));
}

static uint32_t synadb__lz4_hash(const uint8_t *p, int narrow, unsigned log) {
    return narrow ? synadb__lz4_hash4(p, log) : synadb__lz4_hash5(p, log);
}

/* Number of bytes, from position a on, equal to the bytes from position b on (b < a),
 * not counting past position limit (a <= limit). */
static size_t synadb__lz4_count(const uint8_t *s, size_t a, size_t b, size_t limit) {
    size_t start = a;
    while (limit - a >= 8) {
        uint64_t d = synadb__lz4_rd64(s + a) ^ synadb__lz4_rd64(s + b);
        if (d) {
#if defined(SYNADB__LZ4_CTZ_LE)
            return a - start + ((size_t)__builtin_ctzll(d) >> 3);
#elif defined(SYNADB__LZ4_CLZ_BE)
            return a - start + ((size_t)__builtin_clzll(d) >> 3);
#else
            while (s[a] == s[b]) { a++; b++; }
            return a - start;
#endif
        }
        a += 8;
        b += 8;
    }
    while (a < limit && s[a] == s[b]) { a++; b++; }
    return a - start;
}

/* Writes the extension bytes of a length whose nibble was 15 (rem = length - 15). */
static size_t synadb__lz4_put_ext(uint8_t *dst, size_t op, size_t rem) {
    size_t k = rem / 255;
    if (k) {
        memset(dst + op, 255, k);
        op += k;
    }
    dst[op++] = (uint8_t)(rem - k * 255);
    return op;
}

/* Output size of a literal run's token, extension bytes and literals. */
static size_t synadb__lz4_lit_cost(size_t lit) {
    return 1 + lit + (lit >= 15 ? (lit - 15) / 255 + 1 : 0);
}

/* The final literal-only sequence src[anchor..n) at dst[op]; 0 if it does not fit. */
static size_t synadb__lz4_last(const uint8_t *src, size_t n, size_t anchor, uint8_t *dst,
                               size_t op, size_t cap) {
    size_t lit = n - anchor;
    if (synadb__lz4_lit_cost(lit) > cap - op) return 0;
    if (lit >= 15) {
        dst[op++] = 0xF0;
        op = synadb__lz4_put_ext(dst, op, lit - 15);
    } else {
        dst[op++] = (uint8_t)(lit << 4);
    }
    if (lit) memcpy(dst + op, src + anchor, lit);
    return op + lit;
}

/* The main loop. `narrow` selects the 16-bit table (n < NARROW_LIMIT); `log` its size.
 * Returns the compressed size or 0. */
static size_t synadb__lz4_compress_run(const uint8_t *src, size_t n, uint8_t *dst, size_t cap,
                                       void *table, int narrow, unsigned log) {
    uint16_t *t16 = (uint16_t *)table;
    uint32_t *t32 = (uint32_t *)table;
    const size_t mflimit = n - SYNADB__LZ4_MFLIMIT;      /* last position a match may start */
    const size_t matchlimit = n - SYNADB__LZ4_LASTLITERALS; /* matches end at or before */
    size_t anchor = 0, op = 0, ip, cand;
    uint32_t h;

    memset(table, 0, ((size_t)1 << log) * (narrow ? 2u : 4u));
    /* position 0 is in every slot already */
    ip = 1;

    for (;;) {
        size_t lit, tok, ml;
        /* ---- search for a 4-byte match, stepping faster over incompressible data ---- */
        {
            size_t next = ip;
            unsigned misses = 1u << SYNADB__LZ4_SKIP_SHIFT;
            h = synadb__lz4_hash(src + next, narrow, log);
            for (;;) {
                ip = next;
                next = ip + (misses++ >> SYNADB__LZ4_SKIP_SHIFT);
                if (SYNADB__LZ4_UNLIKELY(next > mflimit))
                    return synadb__lz4_last(src, n, anchor, dst, op, cap);
                if (narrow) {
                    cand = t16[h];
                    t16[h] = (uint16_t)ip;
                } else {
                    cand = t32[h];
                    t32[h] = (uint32_t)ip;
                }
                h = synadb__lz4_hash(src + next, narrow, log);
                if (ip - cand <= SYNADB__LZ4_MAX_OFFSET &&
                    synadb__lz4_rd32(src + cand) == synadb__lz4_rd32(src + ip))
                    break;
            }
        }
        /* extend backwards over the pending literals */
        while (ip > anchor && cand > 0 && src[ip - 1] == src[cand - 1]) {
            ip--;
            cand--;
        }

        /* ---- literals ---- */
        lit = ip - anchor;
        if (SYNADB__LZ4_UNLIKELY(synadb__lz4_lit_cost(lit) + 2 > cap - op)) return 0;
        tok = op++;
        if (lit >= 15) {
            dst[tok] = 0xF0;
            op = synadb__lz4_put_ext(dst, op, lit - 15);
        } else {
            dst[tok] = (uint8_t)(lit << 4);
        }
        if (SYNADB__LZ4_LIKELY(cap - op >= lit + 8)) {
            /* 8 bytes at a time: reads end before ip + 8 <= n - 4, writes stay below cap */
            size_t k = 0;
            do {
                memcpy(dst + op + k, src + anchor + k, 8);
                k += 8;
            } while (k < lit);
        } else {
            memcpy(dst + op, src + anchor, lit);
        }
        op += lit;

        /* ---- one or more matches (a match can follow a match with no literals) ---- */
        for (;;) {
            size_t off = ip - cand;
            dst[op] = (uint8_t)off;
            dst[op + 1] = (uint8_t)(off >> 8);
            op += 2;
            ml = synadb__lz4_count(src, ip + SYNADB__LZ4_MINMATCH, cand + SYNADB__LZ4_MINMATCH,
                                   matchlimit);
            ip += ml + SYNADB__LZ4_MINMATCH;
            if (ml >= 15) {
                if (SYNADB__LZ4_UNLIKELY((ml - 15) / 255 + 1 > cap - op)) return 0;
                dst[tok] = (uint8_t)(dst[tok] | 15);
                op = synadb__lz4_put_ext(dst, op, ml - 15);
            } else {
                dst[tok] = (uint8_t)(dst[tok] | ml);
            }
            anchor = ip;
            if (ip > mflimit) return synadb__lz4_last(src, n, anchor, dst, op, cap);

            /* index a position inside the match, then try the next position directly */
            if (narrow) {
                t16[synadb__lz4_hash(src + ip - 2, narrow, log)] = (uint16_t)(ip - 2);
                h = synadb__lz4_hash(src + ip, narrow, log);
                cand = t16[h];
                t16[h] = (uint16_t)ip;
            } else {
                t32[synadb__lz4_hash(src + ip - 2, narrow, log)] = (uint32_t)(ip - 2);
                h = synadb__lz4_hash(src + ip, narrow, log);
                cand = t32[h];
                t32[h] = (uint32_t)ip;
            }
            if (ip - cand <= SYNADB__LZ4_MAX_OFFSET &&
                synadb__lz4_rd32(src + cand) == synadb__lz4_rd32(src + ip)) {
                if (SYNADB__LZ4_UNLIKELY(3 > cap - op)) return 0;
                tok = op++;
                dst[tok] = 0;
                continue;
            }
            ip++;
            break;
        }
    }
}

static size_t synadb__lz4_compress(const uint8_t *src, size_t n, uint8_t *dst, size_t cap,
                                   void *table) {
    if (n > SYNADB__LZ4_MAX_INPUT) return 0;
    if (n < SYNADB__LZ4_MFLIMIT + 1) return synadb__lz4_last(src, n, 0, dst, 0, cap);
    if (n < SYNADB__LZ4_NARROW_LIMIT) {
        /* a smaller table for small inputs: less to clear, same match quality */
        unsigned log = 8;
        while (log < SYNADB__LZ4_NARROW_LOG && ((size_t)1 << log) < 2 * n) log++;
        return synadb__lz4_compress_run(src, n, dst, cap, table, 1, log);
    }
    return synadb__lz4_compress_run(src, n, dst, cap, table, 0, SYNADB__LZ4_WIDE_LOG);
}

/* Reads the extension bytes of a length whose nibble was 15; -1 if truncated or if the
 * length exceeds max. */
static int synadb__lz4_get_ext(const uint8_t *src, size_t n, size_t *ip, size_t *len,
                               size_t max) {
    size_t i = *ip, l = *len;
    unsigned b;
    do {
        if (SYNADB__LZ4_UNLIKELY(i >= n)) return -1;
        b = src[i++];
        l += b;
        if (SYNADB__LZ4_UNLIKELY(l > max)) return -1;
    } while (b == 255);
    *ip = i;
    *len = l;
    return 0;
}

static size_t synadb__lz4_rd16le(const uint8_t *p) {
#if defined(SYNADB__LZ4_CTZ_LE)
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
#else
    return (size_t)p[0] | ((size_t)p[1] << 8);
#endif
}

static int synadb__lz4_decompress(const uint8_t *src, size_t n, uint8_t *dst, size_t out_len) {
    size_t ip = 0, op = 0, lit, ml, off, ms, k;
    unsigned token;
    for (;;) {
        /* ---- fast path: far from the end of both buffers, short literal run ---- */
        if (SYNADB__LZ4_LIKELY(n - ip >= 19 && out_len - op >= 32)) {
            token = src[ip];
            lit = token >> 4;
            if (SYNADB__LZ4_LIKELY(lit != 15)) {
                /* copy 16 literal bytes (at most 14 are real); the offset follows for sure */
                memcpy(dst + op, src + ip + 1, 16);
                ip += 1 + lit;
                op += lit;
                off = synadb__lz4_rd16le(src + ip);
                ip += 2;
                if (SYNADB__LZ4_UNLIKELY(off - 1 >= op)) return -1; /* 0 wraps around */
                ms = op - off;
                ml = token & 15;
                if (SYNADB__LZ4_LIKELY(ml != 15 && off >= 8)) {
                    /* at most 18 bytes, room for 18: chunks never read unwritten output */
                    memcpy(dst + op, dst + ms, 8);
                    memcpy(dst + op + 8, dst + ms + 8, 8);
                    memcpy(dst + op + 16, dst + ms + 16, 2);
                    op += ml + SYNADB__LZ4_MINMATCH;
                    continue;
                }
                goto match;
            }
        }

        /* ---- general path ---- */
        if (SYNADB__LZ4_UNLIKELY(ip >= n)) return -1;
        token = src[ip++];
        lit = token >> 4;
        if (lit == 15 && synadb__lz4_get_ext(src, n, &ip, &lit, out_len)) return -1;
        if (SYNADB__LZ4_UNLIKELY(lit > n - ip || lit > out_len - op)) return -1;
        if (n - ip - lit >= 16 && out_len - op - lit >= 16) {
            k = 0;
            do {
                memcpy(dst + op + k, src + ip + k, 16);
                k += 16;
            } while (k < lit);
        } else if (lit) { /* (dst may be NULL when out_len is 0) */
            memcpy(dst + op, src + ip, lit);
        }
        ip += lit;
        op += lit;
        if (ip == n) return op == out_len ? 0 : -1; /* the last sequence */
        if (SYNADB__LZ4_UNLIKELY(n - ip < 2)) return -1;
        off = synadb__lz4_rd16le(src + ip);
        ip += 2;
        if (SYNADB__LZ4_UNLIKELY(off - 1 >= op)) return -1; /* 0 wraps around */
        ms = op - off;
        ml = token & 15;

    match:
        if (ml == 15 && synadb__lz4_get_ext(src, n, &ip, &ml, out_len)) return -1;
        ml += SYNADB__LZ4_MINMATCH;
        if (SYNADB__LZ4_UNLIKELY(ml > out_len - op)) return -1;
        if (out_len - op - ml >= 16) {
            /* room to overshoot by up to 15 bytes (later output overwrites it) */
            if (off >= 16) {
                k = 0;
                do {
                    memcpy(dst + op + k, dst + ms + k, 16);
                    k += 16;
                } while (k < ml);
            } else if (off >= 8) {
                k = 0;
                do {
                    memcpy(dst + op + k, dst + ms + k, 8);
                    k += 8;
                } while (k < ml);
            } else {
                /* 8 bytes one at a time, then 8 at a time from a distance that is a
                 * multiple of off and >= 8 (the output repeats with period off) */
                static const unsigned char dist[8] = {0, 8, 8, 9, 8, 10, 12, 14};
                size_t d = dist[off];
                for (k = 0; k < 8; k++) dst[op + k] = dst[ms + k];
                while (k < ml) {
                    memcpy(dst + op + k, dst + op + k - d, 8);
                    k += 8;
                }
            }
        } else if (off >= ml) {
            memcpy(dst + op, dst + ms, ml);
        } else {
            for (k = 0; k < ml; k++) dst[op + k] = dst[ms + k];
        }
        op += ml;
    }
}


/* ======================================================================== >>kv.index */
#define SYNADB__FILE_HDR 64
#define SYNADB__REC_HDR 16
enum {
    SYNADB__F_DELTA = 0x01, SYNADB__F_LZ4 = 0x02, SYNADB__F_TOMB = 0x04,
    SYNADB__F_ALIGNED = 0x08, SYNADB__F_BLOCK = 0x10, SYNADB__F_BATCH = 0x20, SYNADB__F_KNOWN = 0x3f
};
static const uint8_t synadb__magic[8] = {0x89, 'S', 'Y', 'N', 'A', '\r', '\n', 0x1a};

/* A slot of the open-addressing table: the offset of the key's latest record (0 = empty
   slot; offset 0 is the file header), 32 bits of its hash, and the index of its history
   block in the pool (0 = the key has a single version). Keys are not stored in memory:
   they are compared against the log. */
typedef struct synadb__slot { uint64_t off; uint32_t hash; uint32_t h; } synadb__slot;

/* History blocks live in a pool of 64K-word chunks, in size classes of 4..64 words. Word 0
   is a header, word 1 caches the decoded latest FLOAT/INT value (for delta records), then
   the offsets of the older versions, oldest first. Histories longer than a class-4 block
   move to a separate array (LARGE) grown by 1/8. */
#define SYNADB__POOL_BITS 16
#define SYNADB__POOL_CHUNK (1u << SYNADB__POOL_BITS)
#define SYNADB__NCLASS 5
#define SYNADB__H_N(w) ((uint32_t)(w))
#define SYNADB__H_CLASS(w) ((unsigned)(((w) >> 32) & 0xf))
#define SYNADB__H_LARGE ((uint64_t)1 << 36)
#define SYNADB__H_CACHE ((uint64_t)1 << 37)
#define SYNADB__H_TYPE(w) ((uint8_t)((w) >> 40))
#define SYNADB__H_SEQ(w) ((uint8_t)((w) >> 48))
typedef struct synadb__pool {
    uint64_t **chunks;
    uint32_t nchunks, cap_chunks;
    uint32_t bump;                 /* next free word in the last chunk */
    uint32_t free_head[SYNADB__NCLASS];
    uint64_t large_bytes;
} synadb__pool;

typedef struct synadb__index {
    synadb__slot *slots;
    uint64_t cap, count;           /* cap is a power of two */
    synadb__pool pool;
    uint64_t versions;             /* versions held (latest + older) */
} synadb__index;

struct synadb_db {
    synadb_allocator a;
    synadb_config cfg;
    char *path;                    /* absolute */
    synadb__fd fd;
    int writable, hw, poisoned;
    uint8_t *map;                  /* shared mapping (NULL without mmap) */
    uint64_t map_size, alloc;      /* mapped bytes; bytes allocated on disk */
    uint64_t end;                  /* logical end: next record goes here (writer, under wmu) */
    uint64_t rend;                 /* end of the records readers may see (under rw) */
    uint64_t seq_base, seq_next, file_id;
    uint32_t format_version;       /* of the file's header */
    uint32_t crc_seed;
    uint64_t hash_seed;
    synadb__index ix;
    uint64_t records;
    /* group commit (smu/scv) */
    uint64_t commit_end, synced_end, syncs, synced_writes, pending_writes;
    int syncing, sync_err;
    /* stats from open */
    uint64_t torn_bytes, torn_records, discarded_batch, salvaged_bytes;
    /* writer scratch (under wmu) */
    uint8_t *scratch; size_t scratch_cap;   /* encoded values */
    uint8_t *wbuf; size_t wbuf_cap;         /* records assembled for pwrite (no mmap) */
    void *lz4_table;
    synadb__mutex wmu, smu, emu;
    synadb__rwlock rw;
    synadb__cond scv;
    synadb_result errcode;
    char errmsg[512];
};

/* ---- errors ---- */
SYNADB_API const char *synadb_result_str(synadb_result r) {
    switch (r) {
    case SYNADB_OK: return "success";
    case SYNADB_ERR_NOT_OPEN: return "database not open";
    case SYNADB_ERR_INVALID_ARG: return "invalid argument";
    case SYNADB_ERR_IO: return "I/O error";
    case SYNADB_ERR_SERIALIZATION: return "stored value does not decode";
    case SYNADB_ERR_KEY_NOT_FOUND: return "key not found";
    case SYNADB_ERR_TYPE_MISMATCH: return "type mismatch";
    case SYNADB_ERR_EMPTY_KEY: return "empty key";
    case SYNADB_ERR_KEY_TOO_LONG: return "key longer than 65535 bytes";
    case SYNADB_ERR_CORRUPT: return "database file is corrupt";
    case SYNADB_ERR_CHECKSUM: return "checksum mismatch";
    case SYNADB_ERR_LOCKED: return "database is locked by another writer";
    case SYNADB_ERR_READ_ONLY: return "database is open read-only";
    case SYNADB_ERR_NO_MEMORY: return "out of memory";
    case SYNADB_ERR_NOT_A_DATABASE: return "not a SynaDB file";
    case SYNADB_ERR_VERSION: return "file format version not supported";
    case SYNADB_ERR_TOO_LARGE: return "value or file too large";
    case SYNADB_ERR_DISK_FULL: return "no space left on device";
    case SYNADB_ERR_POISONED: return "an earlier write or flush failed; reopen the database";
    case SYNADB_ERR_UNSUPPORTED: return "not supported by this build";
    case SYNADB_ERR_BUFFER_TOO_SMALL: return "buffer too small";
    case SYNADB_ERR_NOT_FOUND: return "file not found";
    case SYNADB_ERR_EXISTS: return "already exists";
    case -60: return "vector has the wrong number of dimensions";
    case -61: return "vector has a NaN or infinite component, or is zero under cosine";
    case -62: return "saved index does not match (dimensions, metric or data)";
    case -63: return "capacity exhausted";
    case -64: return "index not initialised";
    case -70: return "data size does not match the shape";
    case -71: return "unknown dtype or value not convertible";
    case -72: return "the run has ended";
    case -73: return "parameter already logged with another value";
    case -74: return "syntax error";
    case SYNADB_ERR_GPU_UNAVAILABLE: return "GPU not available";
    case SYNADB_ERR_GPU_OUT_OF_MEMORY: return "GPU out of memory";
    case SYNADB_ERR_INTERNAL: return "internal error";
    default: return "unknown error";
    }
}

#if defined(__GNUC__) || defined(__clang__)
#  define SYNADB__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define SYNADB__PRINTF(f, a)
#endif
SYNADB__PRINTF(3, 0) SYNADB_PRIVATE synadb_result synadb__verr(synadb_db *db, synadb_result code, const char *fmt, va_list ap) {
    char msg[sizeof db->errmsg];
    if (!db) return code;
    vsnprintf(msg, sizeof msg, fmt, ap);
    synadb__mutex_lock(&db->emu);
    db->errcode = code;
    memcpy(db->errmsg, msg, sizeof msg);
    synadb__mutex_unlock(&db->emu);
    return code;
}
SYNADB__PRINTF(3, 4) SYNADB_PRIVATE synadb_result synadb__err(synadb_db *db, synadb_result code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    code = synadb__verr(db, code, fmt, ap);
    va_end(ap);
    return code;
}
SYNADB_PRIVATE synadb_result synadb__oserr_code(int e) {
    switch (e) {
    case 0: return SYNADB_OK;
    case ENOSPC: case EFBIG:
#ifdef EDQUOT
    case EDQUOT:
#endif
        return SYNADB_ERR_DISK_FULL;
    case ENOMEM: return SYNADB_ERR_NO_MEMORY;
    case ENOENT: return SYNADB_ERR_NOT_FOUND;
    case EWOULDBLOCK: return SYNADB_ERR_LOCKED;
    case EEXIST: return SYNADB_ERR_EXISTS;
    case EROFS: return SYNADB_ERR_READ_ONLY;
    default: return SYNADB_ERR_IO;
    }
}
SYNADB_PRIVATE synadb_result synadb__oserr(synadb_db *db, int e, const char *what) {
    char buf[128];
    return synadb__err(db, synadb__oserr_code(e), "%s %s: %s (errno %d)", what, db && db->path ? db->path : "",
                       synadb__strerror(e, buf, sizeof buf), e);
}
SYNADB__PRINTF(4, 5) SYNADB_PRIVATE void synadb__log(synadb_db *db, int level, int item, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    if (!db->cfg.logger) return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    db->cfg.logger(db->cfg.logger_user, level, item, msg);
}
SYNADB_PRIVATE synadb_result synadb__nomem(synadb_db *db) { return synadb__err(db, SYNADB_ERR_NO_MEMORY, "out of memory"); }

/* ---- history pool ---- */
SYNADB_PRIVATE uint64_t *synadb__hp(const synadb__index *ix, uint32_t h) {
    return ix->pool.chunks[h >> SYNADB__POOL_BITS] + (h & (SYNADB__POOL_CHUNK - 1));
}
SYNADB_PRIVATE void synadb__pool_push(synadb__pool *p, uint32_t h, unsigned cls, uint64_t *w) {
    w[0] = p->free_head[cls];
    p->free_head[cls] = h;
}
/* Returns a block of class cls (4 << cls words), or 0 when out of memory. */
SYNADB_PRIVATE uint32_t synadb__pool_alloc(synadb_db *db, synadb__pool *p, unsigned cls) {
    uint32_t words = 4u << cls, h;
    if (p->free_head[cls]) {
        h = p->free_head[cls];
        p->free_head[cls] = (uint32_t)p->chunks[h >> SYNADB__POOL_BITS][h & (SYNADB__POOL_CHUNK - 1)];
        return h;
    }
    for (;;) {
        if (p->nchunks) {
            uint32_t b = (p->bump + words - 1) & ~(words - 1);
            if (b + words <= SYNADB__POOL_CHUNK) {
                /* give the alignment gap to the smaller classes */
                while (p->bump < b) {
                    unsigned c = 0;
                    while (c + 1 < cls && !(p->bump & ((8u << c) - 1)) && p->bump + (8u << c) <= b) c++;
                    h = ((p->nchunks - 1) << SYNADB__POOL_BITS) | p->bump;
                    synadb__pool_push(p, h, c, p->chunks[p->nchunks - 1] + p->bump);
                    p->bump += 4u << c;
                }
                h = ((p->nchunks - 1) << SYNADB__POOL_BITS) | b;
                p->bump = b + words;
                return h;
            }
        }
        if (p->nchunks >= (1u << (32 - SYNADB__POOL_BITS)) - 1) return 0;
        if (p->nchunks == p->cap_chunks) {
            uint32_t nc = p->cap_chunks ? p->cap_chunks * 2 : 8;
            uint64_t **nch = (uint64_t **)SYNADB__REALLOC(&db->a, p->chunks, nc * sizeof *nch);
            if (!nch) return 0;
            p->chunks = nch; p->cap_chunks = nc;
        }
        p->chunks[p->nchunks] = (uint64_t *)SYNADB__ALLOC(&db->a, SYNADB__POOL_CHUNK * sizeof(uint64_t));
        if (!p->chunks[p->nchunks]) return 0;
        p->nchunks++;
        p->bump = p->nchunks == 1 ? 4 : 0; /* word 0 of chunk 0 is the null block */
    }
}
SYNADB_PRIVATE void synadb__hist_free(synadb_db *db, synadb__index *ix, uint32_t h) {
    uint64_t *w = synadb__hp(ix, h);
    if (w[0] & SYNADB__H_LARGE) {
        ix->pool.large_bytes -= w[3] * 8;
        SYNADB__FREE(&db->a, (uint64_t *)(uintptr_t)w[2]);
    }
    synadb__pool_push(&ix->pool, h, SYNADB__H_CLASS(w[0]), w);
}
/* Older-version offsets of a history block and their count. */
SYNADB_PRIVATE const uint64_t *synadb__hist_offs(const synadb__index *ix, uint32_t h, uint32_t *n) {
    const uint64_t *w = synadb__hp(ix, h);
    *n = SYNADB__H_N(w[0]);
    return (w[0] & SYNADB__H_LARGE) ? (const uint64_t *)(uintptr_t)w[2] : w + 2;
}
/* Makes room for one more older version in slot s's history. The block may move: the
   caller holds the index exclusively (or is the single-threaded recovery). */
SYNADB_PRIVATE synadb_result synadb__hist_reserve(synadb_db *db, synadb__index *ix, synadb__slot *s) {
    uint64_t *w, hdr;
    uint32_t n, nh;
    unsigned cls;
    if (!s->h) {
        nh = synadb__pool_alloc(db, &ix->pool, 0);
        if (!nh) return synadb__nomem(db);
        w = synadb__hp(ix, nh);
        w[0] = 0; w[1] = 0;
        s->h = nh;
        return SYNADB_OK;
    }
    w = synadb__hp(ix, s->h);
    hdr = w[0];
    n = SYNADB__H_N(hdr);
    cls = SYNADB__H_CLASS(hdr);
    if (hdr & SYNADB__H_LARGE) {
        uint64_t cap = w[3];
        if (n < cap) return SYNADB_OK;
        {
            uint64_t ncap = cap + cap / 8 + 64;
            uint64_t *arr = (uint64_t *)SYNADB__REALLOC(&db->a, (void *)(uintptr_t)w[2], ncap * 8);
            if (!arr) return synadb__nomem(db);
            w[2] = (uint64_t)(uintptr_t)arr; w[3] = ncap;
            ix->pool.large_bytes += (ncap - cap) * 8;
        }
        return SYNADB_OK;
    }
    if (n + 2 < (4u << cls)) return SYNADB_OK;
    if (cls + 1 < SYNADB__NCLASS) {
        nh = synadb__pool_alloc(db, &ix->pool, cls + 1);
        if (!nh) return synadb__nomem(db);
        w = synadb__hp(ix, s->h); /* the pool may have grown */
        {
            uint64_t *nw = synadb__hp(ix, nh);
            memcpy(nw, w, (size_t)(n + 2) * 8);
            nw[0] = (hdr & ~((uint64_t)0xf << 32)) | ((uint64_t)(cls + 1) << 32);
        }
        synadb__pool_push(&ix->pool, s->h, cls, w);
        s->h = nh;
        return SYNADB_OK;
    }
    {   /* move to a separate array; keep the block with header, cache, pointer, capacity */
        uint64_t ncap = (uint64_t)n * 2 + 64;
        uint64_t *arr = (uint64_t *)SYNADB__ALLOC(&db->a, ncap * 8);
        if (!arr) return synadb__nomem(db);
        memcpy(arr, w + 2, (size_t)n * 8);
        nh = synadb__pool_alloc(db, &ix->pool, 0);
        if (!nh) { SYNADB__FREE(&db->a, arr); return synadb__nomem(db); }
        w = synadb__hp(ix, s->h);
        {
            uint64_t *nw = synadb__hp(ix, nh);
            nw[0] = (hdr & ~((uint64_t)0xf << 32)) | SYNADB__H_LARGE;
            nw[1] = w[1];
            nw[2] = (uint64_t)(uintptr_t)arr;
            nw[3] = ncap;
        }
        ix->pool.large_bytes += ncap * 8;
        synadb__pool_push(&ix->pool, s->h, cls, w);
        s->h = nh;
        return SYNADB_OK;
    }
}

SYNADB_PRIVATE void synadb__index_free(synadb_db *db, synadb__index *ix) {
    uint64_t i;
    uint32_t c;
    if (ix->slots) {
        for (i = 0; i < ix->cap; i++)
            if (ix->slots[i].off && ix->slots[i].h) {
                uint64_t *w = synadb__hp(ix, ix->slots[i].h);
                if (w[0] & SYNADB__H_LARGE) SYNADB__FREE(&db->a, (uint64_t *)(uintptr_t)w[2]);
            }
        SYNADB__FREE(&db->a, ix->slots);
    }
    for (c = 0; c < ix->pool.nchunks; c++) SYNADB__FREE(&db->a, ix->pool.chunks[c]);
    SYNADB__FREE(&db->a, ix->pool.chunks);
    memset(ix, 0, sizeof *ix);
}
SYNADB_PRIVATE uint64_t synadb__index_bytes(const synadb__index *ix) {
    return ix->cap * sizeof(synadb__slot) + (uint64_t)ix->pool.nchunks * SYNADB__POOL_CHUNK * 8 +
           (uint64_t)ix->pool.cap_chunks * sizeof(uint64_t *) + ix->pool.large_bytes;
}

/* Rehashes into a table of ncap slots. The new table is built while readers keep using
   the old one; the swap happens under the write lock (unless locked is set). */
SYNADB_PRIVATE synadb_result synadb__index_resize(synadb_db *db, synadb__index *ix, uint64_t ncap, int locked) {
    synadb__slot *ns, *old;
    uint64_t i, mask = ncap - 1;
    if (ncap > ((uint64_t)1 << 32) || ncap > (uint64_t)(SIZE_MAX / sizeof *ns))
        return synadb__err(db, SYNADB_ERR_TOO_LARGE, "index would exceed 2^32 slots");
    ns = (synadb__slot *)SYNADB__ALLOC(&db->a, (size_t)(ncap * sizeof *ns));
    if (!ns) return synadb__nomem(db);
    memset(ns, 0, (size_t)(ncap * sizeof *ns));
    for (i = 0; i < ix->cap; i++) {
        uint64_t j;
        if (!ix->slots[i].off) continue;
        j = ix->slots[i].hash & mask;
        while (ns[j].off) j = (j + 1) & mask;
        ns[j] = ix->slots[i];
    }
    old = ix->slots;
    if (!locked) synadb__rw_wrlock(&db->rw);
    ix->slots = ns;
    ix->cap = ncap;
    if (!locked) synadb__rw_wrunlock(&db->rw);
    SYNADB__FREE(&db->a, old);
    return SYNADB_OK;
}
/* Ensures room for extra more keys at a load factor of at most 3/4. */
SYNADB_PRIVATE synadb_result synadb__index_reserve(synadb_db *db, synadb__index *ix, uint64_t extra, int locked) {
    uint64_t need = ix->count + extra, ncap = ix->cap ? ix->cap : 64;
    while (need > ncap / 4 * 3) ncap *= 2;
    if (ncap == ix->cap) return SYNADB_OK;
    return synadb__index_resize(db, ix, ncap, locked);
}

/* ======================================================================== >>kv.log */
/* A parsed record. */
typedef struct synadb__rec {
    uint64_t off, total;
    uint32_t seq32, vlen;
    uint16_t klen;
    uint8_t type, flags, pad;
    const uint8_t *p, *key, *val;
} synadb__rec;

/* Checks a record header at file offset off, with avail bytes available from off.
   Returns 0 when the header is well-formed and the record fits. */
SYNADB_PRIVATE int synadb__rec_head(const uint8_t *p, uint64_t off, uint64_t avail, synadb__rec *r) {
    uint8_t f;
    if (avail < SYNADB__REC_HDR) return -1;
    r->off = off;
    r->seq32 = synadb__rd32(p + 4);
    r->klen = synadb__rd16(p + 8);
    r->type = p[10];
    r->flags = f = p[11];
    r->vlen = synadb__rd32(p + 12);
    if (!r->klen || r->type > SYNADB_TYPE_VECTOR || (f & ~SYNADB__F_KNOWN)) return -1;
    switch (r->type) {
    case SYNADB_TYPE_NULL:
        if (r->vlen || (f & ~(SYNADB__F_TOMB | SYNADB__F_BATCH))) return -1;
        break;
    case SYNADB_TYPE_FLOAT:
        if (f & (SYNADB__F_TOMB | SYNADB__F_LZ4)) return -1;
        if (f & SYNADB__F_BLOCK) { if ((f & SYNADB__F_DELTA) || r->vlen <= SYNADB__BLOCK_HDR) return -1; }
        else if (f & SYNADB__F_DELTA) { if (r->vlen < 3 || r->vlen > 12) return -1; }
        else if (r->vlen != 8) return -1;
        break;
    case SYNADB_TYPE_INT:
        if (f & (SYNADB__F_TOMB | SYNADB__F_LZ4 | SYNADB__F_BLOCK)) return -1;
        if (f & SYNADB__F_DELTA) { if (r->vlen < 2 || r->vlen > 11) return -1; }
        else if (r->vlen != 8) return -1;
        break;
    case SYNADB_TYPE_TEXT: case SYNADB_TYPE_BYTES:
        if (f & (SYNADB__F_TOMB | SYNADB__F_DELTA | SYNADB__F_BLOCK)) return -1;
        if ((f & SYNADB__F_LZ4) && r->vlen < 5) return -1;
        break;
    default: /* vector */
        if (f & (SYNADB__F_TOMB | SYNADB__F_DELTA | SYNADB__F_BLOCK | SYNADB__F_LZ4)) return -1;
        if (!r->vlen || (r->vlen & 3) || r->vlen / 4 > SYNADB_MAX_VECTOR_DIMS) return -1;
        break;
    }
    r->pad = (f & SYNADB__F_ALIGNED) ? (uint8_t)((0 - (off + SYNADB__REC_HDR + r->klen)) & 7u) : 0;
    r->total = (uint64_t)SYNADB__REC_HDR + r->klen + r->pad + r->vlen;
    if (r->total > avail) return -1;
    return 0;
}
/* Sets the key/value pointers once the whole record is at p. */
SYNADB_PRIVATE void synadb__rec_bind(synadb__rec *r, const uint8_t *p) {
    r->p = p;
    r->key = p + SYNADB__REC_HDR;
    r->val = r->key + r->klen + r->pad;
}
SYNADB_PRIVATE int synadb__rec_crc_ok(int hw, uint32_t seed, const synadb__rec *r) {
    uint32_t c = synadb__crc(hw, seed, r->p + 4, (size_t)r->total - 4);
    return synadb__crc_mask(c) == synadb__rd32(r->p);
}

/* Sequential access to the file: through the mapping, or a window read with pread. */
typedef struct synadb__rd {
    const uint8_t *map;
    uint64_t size;                 /* readable bytes */
    synadb__fd fd;
    const synadb_allocator *a;
    uint8_t *buf;
    size_t cap;
    uint64_t wstart;
    size_t wlen;
    int err;
} synadb__rd;
/* Pointer to bytes [off, off+n), valid until the next call; NULL if out of range or on a
   read error (err set). */
SYNADB_PRIVATE const uint8_t *synadb__rd_at(synadb__rd *r, uint64_t off, uint64_t n) {
    uint64_t want;
    int e;
    if (off > r->size || n > r->size - off) return NULL;
    if (r->map) return r->map + off;
    if (off >= r->wstart && off + n <= r->wstart + r->wlen) return r->buf + (off - r->wstart);
    want = n < ((uint64_t)1 << 20) ? ((uint64_t)1 << 20) : n;
    if (want > r->size - off) want = r->size - off;
    if ((uint64_t)(size_t)want != want) { r->err = EFBIG; return NULL; }
    if (want > r->cap) {
        uint8_t *nb = (uint8_t *)SYNADB__REALLOC(r->a, r->buf, (size_t)want);
        if (!nb) { r->err = ENOMEM; return NULL; }
        r->buf = nb; r->cap = (size_t)want;
    }
    e = synadb__pread(r->fd, r->buf, (size_t)want, off);
    if (e) { r->err = e; r->wlen = 0; return NULL; }
    r->wstart = off; r->wlen = (size_t)want;
    return r->buf;
}
SYNADB_PRIVATE void synadb__rd_free(synadb__rd *r) { SYNADB__FREE(r->a, r->buf); r->buf = NULL; r->cap = 0; r->wlen = 0; }
SYNADB_PRIVATE void synadb__rd_init(synadb__rd *r, synadb_db *db, uint64_t size) {
    memset(r, 0, sizeof *r);
    r->map = db->map;
    r->size = size;
    r->fd = db->fd;
    r->a = &db->a;
}

/* Loads the record at off for a random read: through the map, or with pread into buf
   (cap bytes) or a heap buffer returned in *heap (free it). Verifies the CRC unless the
   handle skips read checksums. */
SYNADB_PRIVATE synadb_result synadb__load(synadb_db *db, uint64_t off, synadb__rec *r, uint8_t *buf, size_t cap, uint8_t **heap) {
    const uint8_t *p;
    *heap = NULL;
    if (off < SYNADB__FILE_HDR || off >= db->rend)
        return synadb__err(db, SYNADB_ERR_INTERNAL, "index points outside the log (offset %llu)", (unsigned long long)off);
    if (db->map) {
        p = db->map + off;
        if (synadb__rec_head(p, off, db->rend - off, r))
            return synadb__err(db, SYNADB_ERR_CORRUPT, "record at offset %llu has a damaged header", (unsigned long long)off);
    } else {
        size_t n = cap;
        int e;
        if (n > db->rend - off) n = (size_t)(db->rend - off);
        e = synadb__pread(db->fd, buf, n, off);
        if (e) return synadb__oserr(db, e, "read");
        if (synadb__rec_head(buf, off, db->rend - off, r))
            return synadb__err(db, SYNADB_ERR_CORRUPT, "record at offset %llu has a damaged header", (unsigned long long)off);
        p = buf;
        if (r->total > n) {
            if ((uint64_t)(size_t)r->total != r->total) return synadb__err(db, SYNADB_ERR_TOO_LARGE, "record too large");
            *heap = (uint8_t *)SYNADB__ALLOC(&db->a, (size_t)r->total);
            if (!*heap) return synadb__nomem(db);
            e = synadb__pread(db->fd, *heap, (size_t)r->total, off);
            if (e) { SYNADB__FREE(&db->a, *heap); *heap = NULL; return synadb__oserr(db, e, "read"); }
            p = *heap;
        }
    }
    synadb__rec_bind(r, p);
    if (!db->cfg.skip_read_checksums && !synadb__rec_crc_ok(db->hw, db->crc_seed, r)) {
        if (*heap) { SYNADB__FREE(&db->a, *heap); *heap = NULL; }
        return synadb__err(db, SYNADB_ERR_CHECKSUM, "record at offset %llu does not match its checksum", (unsigned long long)off);
    }
    return SYNADB_OK;
}

/* Compares the key of the record at off with key. 1 equal, 0 different, <0 error. */
SYNADB_PRIVATE int synadb__key_at_eq(synadb_db *db, uint64_t off, const uint8_t *key, size_t klen) {
    if (db->map) {
        const uint8_t *p = db->map + off;
        return synadb__rd16(p + 8) == klen && memcmp(p + SYNADB__REC_HDR, key, klen) == 0;
    } else {
        uint8_t stack[512], *b = stack;
        int eq, e;
        if (off + SYNADB__REC_HDR + klen > db->rend) return 0;
        if (SYNADB__REC_HDR + klen > sizeof stack) {
            b = (uint8_t *)SYNADB__ALLOC(&db->a, SYNADB__REC_HDR + klen);
            if (!b) return -1;
        }
        e = synadb__pread(db->fd, b, SYNADB__REC_HDR + klen, off);
        eq = !e && synadb__rd16(b + 8) == klen && memcmp(b + SYNADB__REC_HDR, key, klen) == 0;
        if (b != stack) SYNADB__FREE(&db->a, b);
        return e ? -1 : eq;
    }
}

/* Finds key in ix. Returns the slot index, or -1 if absent (then *ins is the empty slot
   where it would go). */
SYNADB_PRIVATE int64_t synadb__find(synadb_db *db, const synadb__index *ix, const uint8_t *key, size_t klen, uint64_t hash, uint64_t *ins) {
    uint64_t mask, i;
    uint32_t h32 = (uint32_t)hash;
    if (!ix->cap) { if (ins) *ins = 0; return -1; }
    mask = ix->cap - 1;
    i = h32 & mask;
    for (;;) {
        const synadb__slot *s = &ix->slots[i];
        if (!s->off) { if (ins) *ins = i; return -1; }
        if (s->hash == h32 && synadb__key_at_eq(db, s->off, key, klen) == 1) return (int64_t)i;
        i = (i + 1) & mask;
    }
}
/* Removes slot i (backward-shift deletion keeps probe sequences intact). */
SYNADB_PRIVATE void synadb__slot_remove(synadb__index *ix, uint64_t i) {
    uint64_t mask = ix->cap - 1, j = i;
    for (;;) {
        uint64_t home;
        j = (j + 1) & mask;
        if (!ix->slots[j].off) break;
        home = ix->slots[j].hash & mask;
        /* move j back to i if its home is not in (i, j] */
        if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
            ix->slots[i] = ix->slots[j];
            i = j;
        }
    }
    ix->slots[i].off = 0;
    ix->slots[i].h = 0;
    ix->count--;
}

/* What a new record means for the index. */
typedef struct synadb__commit {
    const uint8_t *key;
    size_t klen;
    uint64_t hash, off;
    uint8_t type, tomb, seq_lo, has_scalar;
    uint64_t scalar;               /* decoded FLOAT/INT value of the record (latest of a block) */
} synadb__commit;

/* Makes c the latest version of the key in slot s (the previous latest joins the history). */
SYNADB_PRIVATE synadb_result synadb__slot_push(synadb_db *db, synadb__index *ix, synadb__slot *s, const synadb__commit *c) {
    uint64_t *w, *offs;
    uint32_t n;
    synadb_result r = synadb__hist_reserve(db, ix, s);
    if (r) return r;
    w = synadb__hp(ix, s->h);
    n = SYNADB__H_N(w[0]);
    offs = (w[0] & SYNADB__H_LARGE) ? (uint64_t *)(uintptr_t)w[2] : w + 2;
    offs[n] = s->off;
    w[0] = (w[0] & (((uint64_t)0xf << 32) | SYNADB__H_LARGE)) | (uint64_t)(n + 1) |
           ((uint64_t)c->type << 40) | ((uint64_t)c->seq_lo << 48) | (c->has_scalar ? SYNADB__H_CACHE : 0);
    w[1] = c->scalar;
    s->off = c->off;
    ix->versions++;
    return SYNADB_OK;
}
/* Puts a key known to be absent into an empty slot (the table has room). */
SYNADB_PRIVATE synadb__slot *synadb__slot_insert(synadb__index *ix, uint64_t hash, uint64_t off) {
    uint64_t mask = ix->cap - 1, i = (uint32_t)hash & mask;
    while (ix->slots[i].off) i = (i + 1) & mask;
    ix->slots[i].off = off;
    ix->slots[i].hash = (uint32_t)hash;
    ix->slots[i].h = 0;
    ix->count++;
    ix->versions++;
    return &ix->slots[i];
}

/* Applies one record to the index. The caller holds the index exclusively. Fails only
   when memory runs out. */
SYNADB_PRIVATE synadb_result synadb__apply(synadb_db *db, synadb__index *ix, const synadb__commit *c) {
    uint64_t ins = 0;
    int64_t i = synadb__find(db, ix, c->key, c->klen, c->hash, &ins);
    synadb__slot *s;
    synadb_result r;
    if (c->tomb) {
        if (i >= 0) {
            s = &ix->slots[i];
            ix->versions -= 1 + (s->h ? SYNADB__H_N(synadb__hp(ix, s->h)[0]) : 0);
            if (s->h) synadb__hist_free(db, ix, s->h);
            synadb__slot_remove(ix, (uint64_t)i);
        }
        return SYNADB_OK;
    }
    if (i < 0) {
        if (ix->count + 1 > ix->cap / 4 * 3) {
            r = synadb__index_reserve(db, ix, 1, 1);
            if (r) return r;
            synadb__find(db, ix, c->key, c->klen, c->hash, &ins);
        }
        s = &ix->slots[ins];
        s->off = c->off;
        s->hash = (uint32_t)c->hash;
        s->h = 0;
        ix->count++;
        ix->versions++;
        return SYNADB_OK;
    }
    return synadb__slot_push(db, ix, &ix->slots[i], c);
}

/* Decodes the FLOAT/INT scalar of a standalone (non-delta) record. */
SYNADB_PRIVATE int synadb__rec_scalar(const synadb__rec *r, uint64_t *out) {
    if (r->type == SYNADB_TYPE_FLOAT && (r->flags & SYNADB__F_BLOCK)) {
        if (!synadb__block_count(r->val, r->vlen)) return -1;
        *out = synadb__rd64(r->val + 8);
        return 0;
    }
    if ((r->type == SYNADB_TYPE_FLOAT || r->type == SYNADB_TYPE_INT) && !(r->flags & SYNADB__F_DELTA)) {
        *out = synadb__rd64(r->val);
        return 0;
    }
    return -1;
}
/* Resolves a delta record against the previous version (type, seq low byte, value). */
SYNADB_PRIVATE int synadb__delta_resolve(const synadb__rec *r, uint8_t ptype, uint8_t pseq, uint64_t prev, uint64_t *out) {
    const uint8_t *p = r->val, *end = r->val + r->vlen;
    uint64_t u;
    if (ptype != r->type || p[0] != pseq) return -1;
    p++;
    if (r->type == SYNADB_TYPE_FLOAT) {
        int d = *p++;
        int64_t ps;
        if (d > 15 || !synadb__scale_at(synadb__u2d(prev), d, &ps)) return -1;
        if (synadb__get_varint(&p, end, &u) || p != end) return -1;
        *out = synadb__d2u(synadb__descale((int64_t)((uint64_t)ps + (uint64_t)synadb__unzigzag(u)), d));
        return 0;
    }
    if (synadb__get_varint(&p, end, &u) || p != end) return -1;
    *out = prev + (uint64_t)synadb__unzigzag(u);
    return 0;
}

/* ---- the value of the previous version, for delta encoding ---- */
typedef struct synadb__prev { int ok; uint8_t type, seq_lo; uint64_t scalar; } synadb__prev;
SYNADB_PRIVATE void synadb__prev_of(synadb_db *db, const synadb__slot *s, synadb__prev *p) {
    p->ok = 0;
    if (s->h) {
        const uint64_t *w = synadb__hp(&db->ix, s->h);
        if (w[0] & SYNADB__H_CACHE) {
            p->ok = 1; p->type = SYNADB__H_TYPE(w[0]); p->seq_lo = SYNADB__H_SEQ(w[0]); p->scalar = w[1];
        }
    } else {
        synadb__rec r;
        uint8_t buf[256], *heap = NULL;
        uint64_t v = 0;
        memset(&r, 0, sizeof r);
        if (synadb__load(db, s->off, &r, buf, sizeof buf, &heap) == SYNADB_OK && synadb__rec_scalar(&r, &v) == 0) {
            p->ok = 1; p->type = r.type; p->seq_lo = (uint8_t)r.seq32; p->scalar = v;
        }
        SYNADB__FREE(&db->a, heap);
    }
}

/* ---- encoding a value into a record ---- */
typedef struct synadb__enc {
    uint8_t type, flags;
    const uint8_t *a, *b;          /* value = a[0..alen) then b[0..blen) */
    size_t alen, blen;
    uint8_t small[24];
    int has_scalar;
    uint64_t scalar;
} synadb__enc;

SYNADB_PRIVATE synadb_result synadb__scratch(synadb_db *db, size_t n) {
    uint8_t *p;
    if (n <= db->scratch_cap) return SYNADB_OK;
    if (n < 4096) n = 4096;
    p = (uint8_t *)SYNADB__REALLOC(&db->a, db->scratch, n);
    if (!p) return synadb__nomem(db);
    db->scratch = p;
    db->scratch_cap = n;
    return SYNADB_OK;
}

SYNADB_PRIVATE synadb_result synadb__check_key(synadb_db *db, const char *key, size_t *klen) {
    if (!key) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "key is NULL");
    if (*klen == SYNADB_NTS) *klen = strlen(key);
    if (*klen == 0) return synadb__err(db, SYNADB_ERR_EMPTY_KEY, "empty key");
    if (*klen > SYNADB_MAX_KEY_LEN) return synadb__err(db, SYNADB_ERR_KEY_TOO_LONG, "key of %llu bytes (at most 65535)", (unsigned long long)*klen);
    return SYNADB_OK;
}

/* Validates v (no side effects). */
SYNADB_PRIVATE synadb_result synadb__check_value(synadb_db *db, const synadb_value *v) {
    if (!v) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "value is NULL");
    switch (v->type) {
    case SYNADB_TYPE_NULL: case SYNADB_TYPE_FLOAT: case SYNADB_TYPE_INT: return SYNADB_OK;
    case SYNADB_TYPE_TEXT: case SYNADB_TYPE_BYTES:
        if (v->len && !v->data) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "value data is NULL with length %llu", (unsigned long long)v->len);
        if (v->len > SYNADB_MAX_VALUE_LEN) return synadb__err(db, SYNADB_ERR_TOO_LARGE, "value of %llu bytes (at most %u)", (unsigned long long)v->len, SYNADB_MAX_VALUE_LEN);
        if (v->type == SYNADB_TYPE_TEXT && !synadb__utf8_valid((const uint8_t *)v->data, v->len))
            return synadb__err(db, SYNADB_ERR_INVALID_ARG, "text value is not valid UTF-8");
        return SYNADB_OK;
    case SYNADB_TYPE_VECTOR:
        if (!v->data) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "vector data is NULL");
        if (v->dims == 0 || v->dims > SYNADB_MAX_VECTOR_DIMS)
            return synadb__err(db, SYNADB_ERR_INVALID_ARG, "vector of %u dimensions (1..65535)", (unsigned)v->dims);
        return SYNADB_OK;
    default:
        return synadb__err(db, SYNADB_ERR_INVALID_ARG, "unknown value type %d", (int)v->type);
    }
}

/* Encodes a validated value. prev (may be NULL) enables delta encoding against the
   previous version. Uses db->scratch (writer only). */
SYNADB_PRIVATE synadb_result synadb__encode(synadb_db *db, const synadb_value *v, const synadb__prev *prev, synadb__enc *e) {
    memset(e, 0, sizeof *e);
    e->type = (uint8_t)v->type;
    switch (v->type) {
    case SYNADB_TYPE_NULL: return SYNADB_OK;
    case SYNADB_TYPE_FLOAT: case SYNADB_TYPE_INT: {
        uint64_t bits = v->type == SYNADB_TYPE_FLOAT ? synadb__d2u(v->f) : (uint64_t)v->i;
        e->has_scalar = 1;
        e->scalar = bits;
        e->a = e->small;
        if (db->cfg.enable_delta && prev && prev->ok && prev->type == v->type) {
            size_t n = 0;
            e->small[n++] = prev->seq_lo;
            if (v->type == SYNADB_TYPE_FLOAT) {
                int64_t s, ps;
                int d = synadb__decimals(v->f, 0);
                if (d >= 0 && synadb__scale_at(synadb__u2d(prev->scalar), d, &ps) && synadb__scale_at(v->f, d, &s)) {
                    e->small[n++] = (uint8_t)d;
                    n += synadb__put_varint(e->small + n, synadb__zigzag((int64_t)((uint64_t)s - (uint64_t)ps)));
                } else n = 99;
            } else {
                n += synadb__put_varint(e->small + n, synadb__zigzag((int64_t)(bits - prev->scalar)));
            }
            if (n < 8) { e->flags = SYNADB__F_DELTA; e->alen = n; return SYNADB_OK; }
        }
        synadb__wr64(e->small, bits);
        e->alen = 8;
        return SYNADB_OK;
    }
    case SYNADB_TYPE_TEXT: case SYNADB_TYPE_BYTES: {
        uint32_t thr = db->cfg.compression_threshold ? db->cfg.compression_threshold : 128;
        if (db->cfg.enable_compression && v->len >= thr && v->len >= 16) {
            size_t bound = synadb__lz4_bound(v->len), clen;
            synadb_result r = synadb__scratch(db, bound);
            if (r) return r;
            if (!db->lz4_table) {
                db->lz4_table = SYNADB__ALLOC(&db->a, SYNADB__LZ4_TABLE_BYTES);
                if (!db->lz4_table) return synadb__nomem(db);
            }
            clen = synadb__lz4_compress((const uint8_t *)v->data, v->len, db->scratch, v->len - 5, db->lz4_table);
            if (clen && clen + 4 < v->len) {
                synadb__wr32(e->small, (uint32_t)v->len);
                e->a = e->small; e->alen = 4;
                e->b = db->scratch; e->blen = clen;
                e->flags = SYNADB__F_LZ4;
                return SYNADB_OK;
            }
        }
        e->a = (const uint8_t *)v->data;
        e->alen = v->len;
        if (v->type == SYNADB_TYPE_BYTES && v->len >= 64) e->flags = SYNADB__F_ALIGNED;
        return SYNADB_OK;
    }
    default: { /* vector */
        size_t n = (size_t)v->dims * 4;
        e->flags = SYNADB__F_ALIGNED;
#ifdef SYNADB__BIG_ENDIAN
        {
            synadb_result r = synadb__scratch(db, n);
            if (r) return r;
            synadb__copy_le32(db->scratch, v->data, v->dims);
            e->a = db->scratch;
        }
#else
        e->a = (const uint8_t *)v->data;
#endif
        e->alen = n;
        return SYNADB_OK;
    }
    }
}

/* ---- appending ---- */
/* Makes [end, end+need) writable in the mapping (grows the file and the map). */
SYNADB__UNUSED SYNADB_PRIVATE synadb_result synadb__reserve_space(synadb_db *db, uint64_t need) {
#ifndef SYNADB_NO_MMAP
    uint64_t step, nalloc, old = db->alloc;
    int e;
    if (!db->map || db->end + need <= db->alloc) return SYNADB_OK;
    step = db->cfg.grow_step;
    if (!step) { step = db->alloc / 4; if (step < ((uint64_t)1 << 16)) step = (uint64_t)1 << 16; if (step > ((uint64_t)1 << 28)) step = (uint64_t)1 << 28; }
    nalloc = db->alloc + step;
    if (nalloc < db->end + need) nalloc = db->end + need;
    nalloc = (nalloc + 0xffffu) & ~(uint64_t)0xffffu;
    e = synadb__fallocate(db->fd, db->alloc, nalloc);
    if (e) return synadb__oserr(db, e, "grow");
    synadb__rw_wrlock(&db->rw);
    {
        void *m = db->map;
        e = synadb__remap(db->fd, &m, db->map_size, nalloc);
        if (!e) { db->map = (uint8_t *)m; db->map_size = nalloc; db->alloc = nalloc; }
    }
    synadb__rw_wrunlock(&db->rw);
    if (e) return synadb__oserr(db, e, "map");
    synadb__prefault(db->map + old, nalloc - old);
#else
    (void)db; (void)need;
#endif
    return SYNADB_OK;
}

/* Appends one record at db->end. Caller holds wmu. */
SYNADB_PRIVATE synadb_result synadb__append(synadb_db *db, const uint8_t *key, size_t klen, const synadb__enc *v, uint8_t extra_flags, uint64_t *out_off) {
    uint64_t off = db->end;
    uint8_t flags = (uint8_t)(v->flags | extra_flags);
    uint64_t vlen = (uint64_t)v->alen + v->blen;
    uint32_t pad = (flags & SYNADB__F_ALIGNED) ? (uint32_t)((0 - (off + SYNADB__REC_HDR + klen)) & 7u) : 0;
    uint64_t total = SYNADB__REC_HDR + klen + pad + vlen;
    uint8_t hdr[SYNADB__REC_HDR];
    if (vlen > SYNADB_MAX_VALUE_LEN) return synadb__err(db, SYNADB_ERR_TOO_LARGE, "encoded value of %llu bytes", (unsigned long long)vlen);
    if (off + total < off || off + total > ((uint64_t)1 << 62)) return synadb__err(db, SYNADB_ERR_TOO_LARGE, "file would exceed the format's size limit");
    synadb__wr32(hdr + 4, (uint32_t)db->seq_next);
    synadb__wr16(hdr + 8, (uint16_t)klen);
    hdr[10] = v->type;
    hdr[11] = flags;
    synadb__wr32(hdr + 12, (uint32_t)vlen);
#ifndef SYNADB_NO_MMAP
    if (db->map) {
        uint8_t *d;
        synadb_result r = synadb__reserve_space(db, total);
        if (r) return r;
        d = db->map + off;
        memcpy(d, hdr, SYNADB__REC_HDR);
        memcpy(d + SYNADB__REC_HDR, key, klen);
        if (pad) memset(d + SYNADB__REC_HDR + klen, 0, pad);
        if (v->alen) memcpy(d + SYNADB__REC_HDR + klen + pad, v->a, v->alen);
        if (v->blen) memcpy(d + SYNADB__REC_HDR + klen + pad + v->alen, v->b, v->blen);
        synadb__wr32(d, synadb__crc_mask(synadb__crc(db->hw, db->crc_seed, d + 4, (size_t)total - 4)));
    } else
#endif
    {
        static const uint8_t zeros[8] = {0};
        uint32_t c = synadb__crc(db->hw, db->crc_seed, hdr + 4, SYNADB__REC_HDR - 4);
        int e = 0;
        c = synadb__crc(db->hw, c, key, klen);
        c = synadb__crc(db->hw, c, zeros, pad);
        c = synadb__crc(db->hw, c, v->a, v->alen);
        c = synadb__crc(db->hw, c, v->b, v->blen);
        synadb__wr32(hdr, synadb__crc_mask(c));
        if (total <= 65536) {
            uint8_t *d;
            if (db->wbuf_cap < total) {
                d = (uint8_t *)SYNADB__REALLOC(&db->a, db->wbuf, 65536);
                if (!d) return synadb__nomem(db);
                db->wbuf = d;
                db->wbuf_cap = 65536;
            }
            d = db->wbuf;
            memcpy(d, hdr, SYNADB__REC_HDR);
            memcpy(d + SYNADB__REC_HDR, key, klen);
            memset(d + SYNADB__REC_HDR + klen, 0, pad);
            if (v->alen) memcpy(d + SYNADB__REC_HDR + klen + pad, v->a, v->alen);
            if (v->blen) memcpy(d + SYNADB__REC_HDR + klen + pad + v->alen, v->b, v->blen);
            e = synadb__pwrite(db->fd, d, (size_t)total, off);
        } else {
            e = synadb__pwrite(db->fd, hdr, SYNADB__REC_HDR, off);
            if (!e) e = synadb__pwrite(db->fd, key, klen, off + SYNADB__REC_HDR);
            if (!e && pad) e = synadb__pwrite(db->fd, zeros, pad, off + SYNADB__REC_HDR + klen);
            if (!e && v->alen) e = synadb__pwrite(db->fd, v->a, v->alen, off + SYNADB__REC_HDR + klen + pad);
            if (!e && v->blen) e = synadb__pwrite(db->fd, v->b, v->blen, off + SYNADB__REC_HDR + klen + pad + v->alen);
        }
        if (e) {
            synadb__ftruncate(db->fd, off); /* drop a partial record */
            return synadb__oserr(db, e, "write");
        }
    }
    db->end = off + total;
    db->seq_next++;
    db->records++;
    *out_off = off;
    return SYNADB_OK;
}
/* Undoes appends back to off (after a failure in the middle of a batch). */
SYNADB_PRIVATE void synadb__unappend(synadb_db *db, uint64_t off, uint64_t seq, uint64_t records) {
    if (db->end <= off) return;
#ifndef SYNADB_NO_MMAP
    if (db->map) memset(db->map + off, 0, (size_t)(db->end - off));
    else
#endif
    synadb__ftruncate(db->fd, off);
    db->end = off;
    db->seq_next = seq;
    db->records = records;
}

/* ---- flushing (group commit) ---- */
SYNADB_PRIVATE int synadb__flush_file(synadb_db *db, uint64_t from, uint64_t upto) {
#if !defined(SYNADB_NO_MMAP) && !defined(__linux__)
    if (db->map && upto > from) {
        int e;
        uint64_t start = from & ~(uint64_t)0xffff;
        synadb__rw_rdlock(&db->rw);
        e = synadb__msync(db->map + start, upto - start);
        synadb__rw_rdunlock(&db->rw);
        if (e) return e;
    }
#else
    (void)from; (void)upto;
#endif
    return synadb__fsync(db->fd);
}
/* Publishes the appended end for group commit. Caller holds wmu. */
SYNADB_PRIVATE void synadb__publish(synadb_db *db, uint64_t writes) {
    synadb__mutex_lock(&db->smu);
    db->commit_end = db->end;
    db->pending_writes += writes;
    synadb__mutex_unlock(&db->smu);
}
/* Waits until everything up to target is on the device, flushing if no one else is.
   Called without wmu, so that other writers can append while a flush runs. */
SYNADB_PRIVATE synadb_result synadb__sync_upto(synadb_db *db, uint64_t target) {
    synadb_result r = SYNADB_OK;
    synadb__mutex_lock(&db->smu);
    while (db->synced_end < target && !db->sync_err) {
        if (!db->syncing) {
            uint64_t from = db->synced_end, upto = db->commit_end, writes = db->pending_writes;
            int e;
            db->syncing = 1;
            db->pending_writes = 0;
            synadb__mutex_unlock(&db->smu);
            e = synadb__flush_file(db, from, upto);
            synadb__mutex_lock(&db->smu);
            db->syncing = 0;
            if (e) db->sync_err = e;
            else { db->synced_end = upto; db->syncs++; db->synced_writes += writes; }
            synadb__cond_broadcast(&db->scv);
        } else {
            synadb__cond_wait(&db->scv, &db->smu);
        }
    }
    if (db->sync_err) {
        int e = db->sync_err;
        synadb__mutex_unlock(&db->smu);
        db->poisoned = 1;
        synadb__log(db, SYNADB_LOG_ERROR, SYNADB_LOG_SYNC_FAILED, "flush of %s failed (errno %d)", db->path, e);
        r = synadb__oserr(db, e, "flush");
        if (r != SYNADB_ERR_DISK_FULL) r = synadb__err(db, SYNADB_ERR_IO, "flush of %s failed (errno %d); the handle refuses further writes, reopen the database", db->path, e);
        return r;
    }
    synadb__mutex_unlock(&db->smu);
    return SYNADB_OK;
}

/* ---- file header ---- */
SYNADB_PRIVATE void synadb__header_build(uint8_t *h, uint64_t seq_base, uint64_t file_id) {
    memset(h, 0, SYNADB__FILE_HDR);
    memcpy(h, synadb__magic, 8);
    synadb__wr32(h + 8, SYNADB_FORMAT_VERSION);
    synadb__wr32(h + 12, SYNADB__FILE_HDR);
    synadb__wr64(h + 24, seq_base);
    synadb__wr64(h + 32, synadb__now_us());
    synadb__wr64(h + 40, file_id);
    synadb__wr32(h + 60, synadb_crc32c(0, h, 60));
}
/* Checks a 64-byte header. */
SYNADB_PRIVATE synadb_result synadb__header_check(synadb_db *db, const uint8_t *h, uint64_t *seq_base, uint64_t *file_id) {
    uint32_t ver;
    if (memcmp(h, synadb__magic, 8) != 0) return synadb__err(db, SYNADB_ERR_NOT_A_DATABASE, "%s is not a SynaDB file (bad magic)", db ? db->path : "");
    ver = synadb__rd32(h + 8);
    if (synadb__rd32(h + 60) != synadb_crc32c(0, h, 60))
        return synadb__err(db, SYNADB_ERR_CORRUPT, "%s: file header checksum mismatch", db ? db->path : "");
    if (ver > SYNADB_FORMAT_VERSION || ver == 0)
        return synadb__err(db, SYNADB_ERR_VERSION, "%s has format version %u; this build reads version %d", db ? db->path : "", ver, SYNADB_FORMAT_VERSION);
    if (synadb__rd32(h + 12) != SYNADB__FILE_HDR || synadb__rd32(h + 16) != 0)
        return synadb__err(db, SYNADB_ERR_VERSION, "%s uses features this build does not know", db ? db->path : "");
    *seq_base = synadb__rd64(h + 24);
    *file_id = synadb__rd64(h + 40);
    if (db) db->format_version = ver;
    return SYNADB_OK;
}
SYNADB_PRIVATE uint32_t synadb__seed_of(uint64_t file_id) { return (uint32_t)(file_id ^ (file_id >> 32)); }

/* ---- recovery ---- */
/* Offset of the first non-zero byte in [from, size), or size. */
SYNADB_PRIVATE uint64_t synadb__next_nonzero(synadb__rd *rd, uint64_t from) {
    while (from < rd->size) {
        uint64_t n = rd->size - from, i;
        const uint8_t *p;
        if (n > 65536) n = 65536;
        p = synadb__rd_at(rd, from, n);
        if (!p) return rd->size;
        for (i = 0; i < n; i++) if (p[i]) return from + i;
        from += n;
    }
    return rd->size;
}
/* Finds the next valid record at or after from whose sequence number is ahead of seq.
   Returns its offset or UINT64_MAX; *last_nz receives the end of the non-zero bytes seen. */
SYNADB_PRIVATE uint64_t synadb__find_next_valid(synadb__rd *rd, int hw, uint32_t seed, uint64_t from, uint64_t seq, uint64_t *rseq) {
    uint64_t q = from;
    while (q + SYNADB__REC_HDR <= rd->size) {
        const uint8_t *p;
        synadb__rec r;
        uint64_t nz;
        p = synadb__rd_at(rd, q, SYNADB__REC_HDR);
        if (!p) return UINT64_MAX;
        if (!p[8] && !p[9]) { /* key_len 0: skip zero runs fast */
            nz = synadb__next_nonzero(rd, q + 8);
            if (nz >= rd->size) return UINT64_MAX;
            q = nz > q + 9 ? nz - 9 : q + 1;
            continue;
        }
        if (synadb__rec_head(p, q, rd->size - q, &r) == 0 &&
            (uint32_t)(r.seq32 - (uint32_t)seq) < 0x80000000u) {
            p = synadb__rd_at(rd, q, r.total);
            if (p) {
                synadb__rec_bind(&r, p);
                if (synadb__rec_crc_ok(hw, seed, &r)) {
                    *rseq = seq + (uint32_t)(r.seq32 - (uint32_t)seq);
                    return q;
                }
            }
        }
        q++;
    }
    return UINT64_MAX;
}

/* Builds the commit for record r (resolving deltas against the current index). */
SYNADB_PRIVATE synadb_result synadb__commit_of(synadb_db *db, const synadb__rec *r, synadb__commit *c) {
    c->key = r->key;
    c->klen = r->klen;
    c->hash = synadb__hash(r->key, r->klen, db->hash_seed);
    c->off = r->off;
    c->type = r->type;
    c->tomb = (r->flags & SYNADB__F_TOMB) ? 1 : 0;
    c->seq_lo = (uint8_t)r->seq32;
    c->has_scalar = 0;
    c->scalar = 0;
    if (r->type == SYNADB_TYPE_FLOAT || r->type == SYNADB_TYPE_INT) {
        if (r->flags & SYNADB__F_DELTA) {
            int64_t i = synadb__find(db, &db->ix, r->key, r->klen, c->hash, NULL);
            synadb__prev pv;
            pv.ok = 0;
            if (i >= 0) synadb__prev_of(db, &db->ix.slots[i], &pv);
            if (!pv.ok || synadb__delta_resolve(r, pv.type, pv.seq_lo, pv.scalar, &c->scalar))
                return synadb__err(db, SYNADB_ERR_CORRUPT, "delta record at offset %llu has no matching previous version", (unsigned long long)r->off);
        } else if (synadb__rec_scalar(r, &c->scalar)) {
            return synadb__err(db, SYNADB_ERR_CORRUPT, "float block at offset %llu is malformed", (unsigned long long)r->off);
        }
        c->has_scalar = 1;
    }
    return SYNADB_OK;
}

/* Scans the log from the header to the end of the file, rebuilding the index. Sets
   db->end and db->seq_next. */
SYNADB_PRIVATE synadb_result synadb__recover(synadb_db *db, uint64_t size, int *has_garbage) {
    synadb__rd rd;
    uint64_t pos = SYNADB__FILE_HDR, seq = db->seq_base;
    uint64_t batch_start = 0, batch_seq = 0, batch_n = 0;
    synadb_result res = SYNADB_OK;
    synadb__rd_init(&rd, db, size);
    *has_garbage = 0;
    db->end = db->rend = size; /* random reads of earlier records (delta resolution) during the scan */
    for (;;) {
        const uint8_t *p;
        synadb__rec r;
        int ok = 0;
        if (pos + SYNADB__REC_HDR <= size && (p = synadb__rd_at(&rd, pos, SYNADB__REC_HDR)) != NULL &&
            synadb__rec_head(p, pos, size - pos, &r) == 0 && r.seq32 == (uint32_t)seq &&
            (p = synadb__rd_at(&rd, pos, r.total)) != NULL) {
            synadb__rec_bind(&r, p);
            ok = synadb__rec_crc_ok(db->hw, db->crc_seed, &r);
        }
        if (rd.err) { res = synadb__oserr(db, rd.err, "read"); goto done; }
        if (ok) {
            if (r.flags & SYNADB__F_BATCH) {
                if (!batch_start) { batch_start = pos; batch_seq = seq; batch_n = 0; }
                batch_n++;
            } else {
                uint64_t q = batch_start ? batch_start : pos;
                /* apply the batch it closes (if any), then this record */
                while (q <= pos) {
                    synadb__commit c;
                    synadb__rec br;
                    const uint8_t *bp = synadb__rd_at(&rd, q, SYNADB__REC_HDR);
                    if (!bp || synadb__rec_head(bp, q, size - q, &br) || !(bp = synadb__rd_at(&rd, q, br.total))) {
                        res = synadb__err(db, SYNADB_ERR_INTERNAL, "re-reading a batch at offset %llu failed", (unsigned long long)q);
                        goto done;
                    }
                    synadb__rec_bind(&br, bp);
                    res = synadb__commit_of(db, &br, &c);
                    if (res == SYNADB_ERR_CORRUPT && db->cfg.salvage) {
                        /* its predecessor was lost to damage: the value cannot be known */
                        synadb__log(db, SYNADB_LOG_WARN, SYNADB_LOG_SALVAGE_SKIP, "%s: salvage dropped the record at offset %llu: %s",
                                    db->path, (unsigned long long)q, db->errmsg);
                        db->salvaged_bytes += br.total;
                        res = SYNADB_OK;
                    } else if (!res) {
                        res = synadb__apply(db, &db->ix, &c);
                    }
                    if (res) goto done;
                    q += br.total;
                }
                batch_start = 0;
            }
            db->records++;
            pos += r.total;
            seq++;
            continue;
        }
        /* pos does not start a valid record: end of log, torn tail, or damage */
        if (pos >= size || synadb__next_nonzero(&rd, pos) >= size) break; /* clean end / preallocated zeros */
        {
            uint64_t nseq = 0;
            uint64_t next = synadb__find_next_valid(&rd, db->hw, db->crc_seed, pos + 1, seq, &nseq);
            if (next == UINT64_MAX) {
                uint64_t last = pos, q = pos;
                while ((q = synadb__next_nonzero(&rd, q)) < size) last = ++q;
                db->torn_bytes = last - pos;
                db->torn_records = 1;
                *has_garbage = 1;
                if (db->writable)
                    synadb__log(db, SYNADB_LOG_WARN, SYNADB_LOG_TORN_TAIL,
                                "%s: cut off %llu bytes of a partial record at offset %llu", db->path,
                                (unsigned long long)(last - pos), (unsigned long long)pos);
                else
                    synadb__log(db, SYNADB_LOG_WARN, SYNADB_LOG_REOPEN_READONLY_TAIL,
                                "%s: ignoring %llu bytes of a partial record at offset %llu (read-only: the file is not changed)",
                                db->path, (unsigned long long)(last - pos), (unsigned long long)pos);
                break;
            }
            if (!db->cfg.salvage) {
                synadb__log(db, SYNADB_LOG_ERROR, SYNADB_LOG_CORRUPT, "%s: damaged record at offset %llu, valid records follow at %llu",
                            db->path, (unsigned long long)pos, (unsigned long long)next);
                res = synadb__err(db, SYNADB_ERR_CORRUPT,
                                  "%s: damaged record at offset %llu (sequence %llu) with valid records after it at offset %llu; "
                                  "open with salvage to skip the damage", db->path, (unsigned long long)pos,
                                  (unsigned long long)seq, (unsigned long long)next);
                goto done;
            }
            synadb__log(db, SYNADB_LOG_WARN, SYNADB_LOG_SALVAGE_SKIP, "%s: salvage skipped %llu bytes at offset %llu",
                        db->path, (unsigned long long)(next - pos), (unsigned long long)pos);
            db->salvaged_bytes += next - pos;
            if (batch_start) { db->discarded_batch += batch_n; db->records -= batch_n; batch_start = 0; }
            *has_garbage = 1;
            pos = next;
            seq = nseq;
        }
    }
    if (batch_start) {
        synadb__log(db, SYNADB_LOG_WARN, SYNADB_LOG_PARTIAL_BATCH, "%s: discarded an incomplete batch of %llu records at offset %llu",
                    db->path, (unsigned long long)batch_n, (unsigned long long)batch_start);
        db->discarded_batch += batch_n;
        db->records -= batch_n;
        *has_garbage = 1;
        pos = batch_start;
        seq = batch_seq;
    }
    db->end = db->rend = pos;
    db->seq_next = seq;
done:
    synadb__rd_free(&rd);
    return res;
}

/* ======================================================================== >>kv.db */
SYNADB_API const char *synadb_version(void) { return SYNADB_VERSION_STRING; }
SYNADB_API int synadb_version_number(void) { return SYNADB_VERSION_NUMBER; }
SYNADB_API synadb_config synadb_config_default(void) {
    synadb_config c;
    memset(&c, 0, sizeof c);
    c.struct_size = (uint32_t)sizeof c;
    c.compression_threshold = 128;
    return c;
}

SYNADB_PRIVATE void synadb__db_free(synadb_db *db) {
    synadb_allocator a = db->a;
#ifndef SYNADB_NO_MMAP
    if (db->map) synadb__munmap(db->map, db->map_size);
#endif
    if (db->fd != SYNADB__BADFD) synadb__fclose(db->fd);
    synadb__index_free(db, &db->ix);
    SYNADB__FREE(&a, db->scratch);
    SYNADB__FREE(&a, db->wbuf);
    SYNADB__FREE(&a, db->lz4_table);
    SYNADB__FREE(&a, db->path);
    synadb__mutex_destroy(&db->wmu);
    synadb__mutex_destroy(&db->smu);
    synadb__mutex_destroy(&db->emu);
    synadb__rw_destroy(&db->rw);
    synadb__cond_destroy(&db->scv);
    SYNADB__FREE(&a, db);
}

SYNADB_PRIVATE char *synadb__strcat_alloc(const synadb_allocator *a, const char *x, const char *y) {
    size_t nx = strlen(x), ny = strlen(y);
    char *s = (char *)SYNADB__ALLOC(a, nx + ny + 1);
    if (s) { memcpy(s, x, nx); memcpy(s + nx, y, ny + 1); }
    return s;
}

/* Maps the file for reading (read-only handles) or writing. Falls back to pread when the
   file system cannot map. */
SYNADB_PRIVATE void synadb__map_file(synadb_db *db, uint64_t size) {
#ifndef SYNADB_NO_MMAP
    void *m = NULL;
    if (db->cfg.no_mmap || size == 0) return;
    if (synadb__mmap(db->fd, size, db->writable, &m) == 0) { db->map = (uint8_t *)m; db->map_size = size; }
#else
    (void)db; (void)size;
#endif
}

SYNADB_PRIVATE synadb_result synadb__open_file(synadb_db *db) {
    int mode = !db->writable ? 0 : db->cfg.no_create ? 1 : 2, e, garbage = 0, fresh = 0;
    uint8_t h[SYNADB__FILE_HDR];
    uint64_t size = 0, n;
    synadb_result r;
    e = synadb__fopen(db->path, mode, &db->fd);
    if (e == ENOENT) return synadb__err(db, SYNADB_ERR_NOT_FOUND, "database %s does not exist", db->path);
    if (e) return synadb__oserr(db, e, "open");
    if (db->writable) {
        char *tmp;
        e = synadb__flock(db->fd);
        if (e == EWOULDBLOCK) return synadb__err(db, SYNADB_ERR_LOCKED, "%s is open for writing by another handle or process", db->path);
        if (e) return synadb__oserr(db, e, "lock");
        tmp = synadb__strcat_alloc(&db->a, db->path, ".compact");
        if (!tmp) return synadb__nomem(db);
        if (synadb__path_exists(tmp) && synadb__unlink(tmp) == 0)
            synadb__log(db, SYNADB_LOG_INFO, SYNADB_LOG_STALE_TEMP, "removed %s left by an interrupted compaction", tmp);
        SYNADB__FREE(&db->a, tmp);
    }
    e = synadb__fsize(db->fd, &size);
    if (e) return synadb__oserr(db, e, "stat");
    n = size < SYNADB__FILE_HDR ? size : SYNADB__FILE_HDR;
    memset(h, 0, sizeof h);
    if (n) { e = synadb__pread(db->fd, h, (size_t)n, 0); if (e) return synadb__oserr(db, e, "read"); }
    /* A file that was being created when the process died: empty, a prefix of our magic,
       or only zeros. It holds no records; it is (re)initialised. */
    if (size < SYNADB__FILE_HDR) {
        size_t k = (size_t)(n < 8 ? n : 8), i;
        int zero = 1;
        for (i = 0; i < n; i++) if (h[i]) zero = 0;
        if (!zero && memcmp(h, synadb__magic, k) != 0)
            return synadb__err(db, SYNADB_ERR_NOT_A_DATABASE, "%s is not a SynaDB file (%llu bytes, bad magic)", db->path, (unsigned long long)size);
        fresh = 1;
    } else {
        static const uint8_t zeros[SYNADB__FILE_HDR] = {0};
        if (memcmp(h, zeros, sizeof zeros) == 0) {
            synadb__rd rd;
            uint64_t nz;
            synadb__rd_init(&rd, db, size);
            rd.map = NULL;
            nz = synadb__next_nonzero(&rd, SYNADB__FILE_HDR);
            synadb__rd_free(&rd);
            if (rd.err) return synadb__oserr(db, rd.err, "read");
            if (nz >= size) fresh = 1;
        }
    }
    if (fresh) {
        if (!db->writable) { /* read-only view of an empty database */
            db->end = db->rend = SYNADB__FILE_HDR;
            return SYNADB_OK;
        }
        db->file_id = synadb__random64(db);
        db->seq_base = 0;
        synadb__header_build(h, db->seq_base, db->file_id);
        if ((e = synadb__ftruncate(db->fd, 0)) != 0 || (e = synadb__pwrite(db->fd, h, sizeof h, 0)) != 0 ||
            (e = synadb__fsync(db->fd)) != 0 || (e = synadb__sync_dir(db->path)) != 0)
            return synadb__oserr(db, e, "create");
        size = SYNADB__FILE_HDR;
    } else {
        r = synadb__header_check(db, h, &db->seq_base, &db->file_id);
        if (r) return r;
    }
    db->crc_seed = synadb__seed_of(db->file_id);
    synadb__map_file(db, size);
    r = synadb__recover(db, size, &garbage);
    if (r) return r;
    db->alloc = size;
    if (db->writable && (garbage || (!db->map && size > db->end))) {
        e = synadb__ftruncate(db->fd, db->end);
        if (!e) e = synadb__fsync(db->fd);
        if (e) return synadb__oserr(db, e, "truncate");
        db->alloc = db->end;
    }
    db->commit_end = db->synced_end = db->end;
    return SYNADB_OK;
}

SYNADB_API synadb_result synadb_open_ex(const char *path, const synadb_config *cfg, synadb_db **out, char *errbuf, size_t errbuf_len) {
    synadb_allocator a;
    synadb_db *db;
    synadb_result r;
    char abs[4096];
    int e;
    if (errbuf && errbuf_len) errbuf[0] = 0;
    if (!out) { if (errbuf && errbuf_len) snprintf(errbuf, errbuf_len, "out is NULL"); return SYNADB_ERR_INVALID_ARG; }
    *out = NULL;
    if (!path || !*path) { if (errbuf && errbuf_len) snprintf(errbuf, errbuf_len, "path is NULL or empty"); return SYNADB_ERR_INVALID_ARG; }
    if (cfg && cfg->struct_size > sizeof(synadb_config)) {
        if (errbuf && errbuf_len) snprintf(errbuf, errbuf_len, "synadb_config from a newer version (struct_size %u)", cfg->struct_size);
        return SYNADB_ERR_INVALID_ARG;
    }
    a = synadb__allocator_or_default(cfg ? &cfg->allocator : NULL);
    db = (synadb_db *)SYNADB__ALLOC(&a, sizeof *db);
    if (!db) { if (errbuf && errbuf_len) snprintf(errbuf, errbuf_len, "out of memory"); return SYNADB_ERR_NO_MEMORY; }
    memset(db, 0, sizeof *db);
    db->a = a;
    db->fd = SYNADB__BADFD;
    db->cfg = synadb_config_default();
    if (cfg) memcpy(&db->cfg, cfg, cfg->struct_size ? cfg->struct_size : sizeof *cfg);
    db->cfg.struct_size = (uint32_t)sizeof db->cfg;
    db->cfg.allocator = a;
    synadb__mutex_init(&db->wmu);
    synadb__mutex_init(&db->smu);
    synadb__mutex_init(&db->emu);
    synadb__rw_init(&db->rw);
    synadb__cond_init(&db->scv);
    db->hw = synadb__hw_crc_detect();
    db->writable = !db->cfg.read_only;
    db->hash_seed = synadb__random64(db);
    e = synadb__abspath(path, abs, sizeof abs);
    if (e) {
        r = e == ENOENT ? synadb__err(db, SYNADB_ERR_NOT_FOUND, "directory of %s does not exist", path)
                        : synadb__err(db, SYNADB_ERR_INVALID_ARG, "bad path %s (errno %d)", path, e);
    } else {
        db->path = synadb__strcat_alloc(&a, abs, "");
        r = db->path ? synadb__open_file(db) : synadb__nomem(db);
    }
    if (r) {
        if (errbuf && errbuf_len) snprintf(errbuf, errbuf_len, "%s", db->errmsg);
        synadb__db_free(db);
        return r;
    }
    *out = db;
    return SYNADB_OK;
}
SYNADB_API synadb_result synadb_open(const char *path, const synadb_config *cfg, synadb_db **out) {
    return synadb_open_ex(path, cfg, out, NULL, 0);
}

SYNADB_API synadb_result synadb_close(synadb_db *db) {
    synadb_result r = SYNADB_OK;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (db->writable && !db->poisoned && db->fd != SYNADB__BADFD) {
        int e = 0;
#ifndef SYNADB_NO_MMAP
        if (db->map) { synadb__munmap(db->map, db->map_size); db->map = NULL; }
#endif
        if (db->alloc != db->end) e = synadb__ftruncate(db->fd, db->end);
        if (!e) e = synadb__fsync(db->fd);
        if (e) r = synadb__oserr(db, e, "close");
    }
    synadb__db_free(db);
    return r;
}
SYNADB_API const char *synadb_errmsg(const synadb_db *db) {
    if (!db) return "no database handle";
    return db->errcode ? db->errmsg : "no error";
}
SYNADB_API synadb_result synadb_errcode(const synadb_db *db) { return db ? db->errcode : SYNADB_ERR_INVALID_ARG; }

/* ---- writes ---- */
SYNADB_PRIVATE synadb_result synadb__writable(synadb_db *db) {
    if (!db->writable) return synadb__err(db, SYNADB_ERR_READ_ONLY, "%s is open read-only", db->path);
    if (db->poisoned) return synadb__err(db, SYNADB_ERR_POISONED, "an earlier write or flush of %s failed; reopen the database", db->path);
    return SYNADB_OK;
}

/* Finishes a write: publishes it for group commit, drops wmu and, with sync_on_write,
   waits for the flush. */
SYNADB_PRIVATE synadb_result synadb__finish_write(synadb_db *db, uint64_t writes) {
    uint64_t target = db->end;
    int sync = db->cfg.sync_on_write;
    if (sync) synadb__publish(db, writes);
    synadb__mutex_unlock(&db->wmu);
    return sync ? synadb__sync_upto(db, target) : SYNADB_OK;
}

/* Applies a commit under the index write lock, at a position found beforehand. */
SYNADB_PRIVATE synadb_result synadb__commit_locked(synadb_db *db, const synadb__commit *c) {
    synadb_result r;
    synadb__rw_wrlock(&db->rw);
    db->rend = db->end; /* before applying: key comparisons read the new records */
    r = synadb__apply(db, &db->ix, c);
    synadb__rw_wrunlock(&db->rw);
    if (r) db->poisoned = 1; /* the record is in the log but not in the index: reopen */
    return r;
}

SYNADB_PRIVATE synadb_result synadb__put_one(synadb_db *db, const uint8_t *key, size_t klen, const synadb_value *v, uint64_t *out_off) {
    uint64_t hash = synadb__hash(key, klen, db->hash_seed), off = 0;
    int64_t i;
    synadb__prev pv;
    synadb__enc enc;
    synadb__commit c;
    synadb_result r;
    synadb__mutex_lock(&db->wmu);
    r = synadb__writable(db);
    if (r) goto fail;
    /* reserve index room first so that applying the record cannot fail */
    r = synadb__index_reserve(db, &db->ix, 1, 0);
    if (r) goto fail;
    i = synadb__find(db, &db->ix, key, klen, hash, NULL);
    pv.ok = 0;
    if (i >= 0) {
        if (db->cfg.enable_delta && (v->type == SYNADB_TYPE_FLOAT || v->type == SYNADB_TYPE_INT))
            synadb__prev_of(db, &db->ix.slots[i], &pv);
        synadb__rw_wrlock(&db->rw);
        r = synadb__hist_reserve(db, &db->ix, &db->ix.slots[i]);
        synadb__rw_wrunlock(&db->rw);
        if (r) goto fail;
    }
    r = synadb__encode(db, v, &pv, &enc);
    if (r) goto fail;
    r = synadb__append(db, key, klen, &enc, 0, &off);
    if (r) goto fail;
    c.key = key; c.klen = klen; c.hash = hash; c.off = off; c.type = enc.type; c.tomb = 0;
    c.seq_lo = (uint8_t)(db->seq_next - 1); c.has_scalar = (uint8_t)enc.has_scalar; c.scalar = enc.scalar;
    r = synadb__commit_locked(db, &c);
    if (r) goto fail;
    if (out_off) *out_off = off;
    return synadb__finish_write(db, 1);
fail:
    synadb__mutex_unlock(&db->wmu);
    return r;
}

SYNADB_API synadb_result synadb_put(synadb_db *db, const char *key, size_t key_len, const synadb_value *v, uint64_t *out_offset) {
    synadb_result r;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    r = synadb__check_key(db, key, &key_len);
    if (!r) r = synadb__check_value(db, v);
    if (r) return r;
    return synadb__put_one(db, (const uint8_t *)key, key_len, v, out_offset);
}
SYNADB_API synadb_result synadb_put_null(synadb_db *db, const char *key, size_t key_len) {
    synadb_value v;
    memset(&v, 0, sizeof v);
    v.type = SYNADB_TYPE_NULL;
    return synadb_put(db, key, key_len, &v, NULL);
}
SYNADB_API synadb_result synadb_put_float(synadb_db *db, const char *key, size_t key_len, double x) {
    synadb_value v;
    memset(&v, 0, sizeof v);
    v.type = SYNADB_TYPE_FLOAT; v.f = x;
    return synadb_put(db, key, key_len, &v, NULL);
}
SYNADB_API synadb_result synadb_put_int(synadb_db *db, const char *key, size_t key_len, int64_t x) {
    synadb_value v;
    memset(&v, 0, sizeof v);
    v.type = SYNADB_TYPE_INT; v.i = x;
    return synadb_put(db, key, key_len, &v, NULL);
}
SYNADB_API synadb_result synadb_put_text(synadb_db *db, const char *key, size_t key_len, const char *text, size_t text_len) {
    synadb_value v;
    memset(&v, 0, sizeof v);
    if (!text && text_len) return db ? synadb__err(db, SYNADB_ERR_INVALID_ARG, "text is NULL") : SYNADB_ERR_INVALID_ARG;
    if (text && text_len == SYNADB_NTS) text_len = strlen(text);
    if (!text) text_len = 0;
    v.type = SYNADB_TYPE_TEXT; v.data = text; v.len = text_len;
    return synadb_put(db, key, key_len, &v, NULL);
}
SYNADB_API synadb_result synadb_put_bytes(synadb_db *db, const char *key, size_t key_len, const void *data, size_t len) {
    synadb_value v;
    memset(&v, 0, sizeof v);
    v.type = SYNADB_TYPE_BYTES; v.data = data; v.len = len;
    return synadb_put(db, key, key_len, &v, NULL);
}
SYNADB_API synadb_result synadb_put_vector(synadb_db *db, const char *key, size_t key_len, const float *data, uint32_t dims) {
    synadb_value v;
    memset(&v, 0, sizeof v);
    v.type = SYNADB_TYPE_VECTOR; v.data = data; v.dims = dims; v.len = (size_t)dims * 4;
    return synadb_put(db, key, key_len, &v, NULL);
}

SYNADB_API synadb_result synadb_delete(synadb_db *db, const char *key, size_t key_len) {
    uint64_t hash, off = 0;
    int64_t i;
    synadb__enc enc;
    synadb__commit c;
    synadb_result r;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    r = synadb__check_key(db, key, &key_len);
    if (r) return r;
    hash = synadb__hash(key, key_len, db->hash_seed);
    synadb__mutex_lock(&db->wmu);
    r = synadb__writable(db);
    if (r) goto fail;
    i = synadb__find(db, &db->ix, (const uint8_t *)key, key_len, hash, NULL);
    if (i < 0) { r = synadb__err(db, SYNADB_ERR_KEY_NOT_FOUND, "key not found"); goto fail; }
    memset(&enc, 0, sizeof enc);
    enc.type = SYNADB_TYPE_NULL;
    enc.flags = SYNADB__F_TOMB;
    r = synadb__append(db, (const uint8_t *)key, key_len, &enc, 0, &off);
    if (r) goto fail;
    memset(&c, 0, sizeof c);
    c.key = (const uint8_t *)key; c.klen = key_len; c.hash = hash; c.off = off; c.tomb = 1;
    r = synadb__commit_locked(db, &c);
    if (r) goto fail;
    return synadb__finish_write(db, 1);
fail:
    synadb__mutex_unlock(&db->wmu);
    return r;
}

/* Appends ops as one atomic batch (all records but the last carry the batch flag). */
SYNADB_API synadb_result synadb_write_batch(synadb_db *db, const synadb_batch_op *ops, size_t count, size_t *out_failed_index) {
    synadb__commit *cs = NULL;
    uint64_t start_off, start_seq, start_records, *seen = NULL, seen_mask = 0;
    size_t i;
    synadb_result r = SYNADB_OK;
    if (out_failed_index) *out_failed_index = 0;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!count) return SYNADB_OK;
    if (!ops) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "ops is NULL");
    for (i = 0; i < count; i++) { /* validate everything before writing anything */
        size_t kl = ops[i].key_len;
        r = synadb__check_key(db, ops[i].key, &kl);
        if (!r && ops[i].op == SYNADB_OP_PUT) r = synadb__check_value(db, &ops[i].value);
        else if (!r && ops[i].op != SYNADB_OP_DELETE) r = synadb__err(db, SYNADB_ERR_INVALID_ARG, "unknown batch operation %d", (int)ops[i].op);
        if (r) { if (out_failed_index) *out_failed_index = i; return r; }
    }
    cs = (synadb__commit *)SYNADB__ALLOC(&db->a, count * sizeof *cs);
    {   /* keys already written in this batch: their deltas would refer to records the index
           does not know yet, so those puts are stored absolute */
        uint64_t sc = 16;
        while (sc < count * 2) sc *= 2;
        seen = (uint64_t *)SYNADB__ALLOC(&db->a, sc * sizeof *seen);
        if (seen) { memset(seen, 0, sc * sizeof *seen); seen_mask = sc - 1; }
    }
    if (!cs || !seen) { SYNADB__FREE(&db->a, cs); SYNADB__FREE(&db->a, seen); return synadb__nomem(db); }
    synadb__mutex_lock(&db->wmu);
    r = synadb__writable(db);
    if (!r) r = synadb__index_reserve(db, &db->ix, count, 0);
    start_off = db->end; start_seq = db->seq_next; start_records = db->records;
    for (i = 0; i < count && !r; i++) {
        const synadb_batch_op *op = &ops[i];
        size_t kl = op->key_len == SYNADB_NTS ? strlen(op->key) : op->key_len;
        const uint8_t *key = (const uint8_t *)op->key;
        uint64_t hash = synadb__hash(key, kl, db->hash_seed), off = 0, j;
        synadb__enc enc;
        synadb__prev pv;
        int repeated = 0;
        pv.ok = 0;
        for (j = hash & seen_mask; seen[j]; j = (j + 1) & seen_mask) if (seen[j] == (hash | 1)) { repeated = 1; break; }
        if (!repeated) seen[j] = hash | 1;
        if (op->op == SYNADB_OP_DELETE) {
            memset(&enc, 0, sizeof enc);
            enc.type = SYNADB_TYPE_NULL;
            enc.flags = SYNADB__F_TOMB;
        } else {
            if (!repeated && db->cfg.enable_delta && (op->value.type == SYNADB_TYPE_FLOAT || op->value.type == SYNADB_TYPE_INT)) {
                int64_t s = synadb__find(db, &db->ix, key, kl, hash, NULL);
                if (s >= 0) synadb__prev_of(db, &db->ix.slots[s], &pv);
            }
            r = synadb__encode(db, &op->value, &pv, &enc);
            if (r) break;
        }
        r = synadb__append(db, key, kl, &enc, i + 1 < count ? SYNADB__F_BATCH : 0, &off);
        if (r) break;
        cs[i].key = key; cs[i].klen = kl; cs[i].hash = hash; cs[i].off = off; cs[i].type = enc.type;
        cs[i].tomb = op->op == SYNADB_OP_DELETE; cs[i].seq_lo = (uint8_t)(db->seq_next - 1);
        cs[i].has_scalar = (uint8_t)enc.has_scalar; cs[i].scalar = enc.scalar;
    }
    if (r) {
        synadb__unappend(db, start_off, start_seq, start_records);
        if (out_failed_index) *out_failed_index = i;
        synadb__mutex_unlock(&db->wmu);
    } else {
        synadb__rw_wrlock(&db->rw);
        db->rend = db->end; /* before applying: key comparisons read the new records */
        for (i = 0; i < count && !r; i++) r = synadb__apply(db, &db->ix, &cs[i]);
        synadb__rw_wrunlock(&db->rw);
        if (r) { db->poisoned = 1; synadb__mutex_unlock(&db->wmu); }
        else r = synadb__finish_write(db, count);
    }
    SYNADB__FREE(&db->a, cs);
    SYNADB__FREE(&db->a, seen);
    return r;
}

SYNADB_API synadb_result synadb_put_floats_batch(synadb_db *db, const char *key, size_t key_len, const double *values, size_t count) {
    uint64_t hash, start_off, start_seq, start_records;
    size_t done = 0, nblocks, b;
    synadb__commit *cs = NULL;
    synadb_result r;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    r = synadb__check_key(db, key, &key_len);
    if (r) return r;
    if (!count) return SYNADB_OK;
    if (!values) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "values is NULL");
    hash = synadb__hash(key, key_len, db->hash_seed);
    nblocks = (count + SYNADB__BLOCK_MAX - 1) / SYNADB__BLOCK_MAX;
    cs = (synadb__commit *)SYNADB__ALLOC(&db->a, nblocks * sizeof *cs);
    if (!cs) return synadb__nomem(db);
    synadb__mutex_lock(&db->wmu);
    r = synadb__writable(db);
    if (!r) r = synadb__index_reserve(db, &db->ix, 1, 0);
    if (!r) r = synadb__scratch(db, SYNADB__BLOCK_HDR + 10 * SYNADB__BLOCK_MAX);
    start_off = db->end; start_seq = db->seq_next; start_records = db->records;
    for (b = 0; b < nblocks && !r; b++) {
        size_t n = count - done < SYNADB__BLOCK_MAX ? count - done : SYNADB__BLOCK_MAX;
        synadb__enc enc;
        uint64_t off = 0;
        memset(&enc, 0, sizeof enc);
        enc.type = SYNADB_TYPE_FLOAT;
        enc.flags = SYNADB__F_BLOCK;
        enc.a = db->scratch;
        enc.alen = synadb__block_encode(values + done, n, db->cfg.enable_delta, db->scratch);
        if (db->scratch[4] == SYNADB__CODEC_RAW) enc.flags |= SYNADB__F_ALIGNED;
        r = synadb__append(db, (const uint8_t *)key, key_len, &enc, b + 1 < nblocks ? SYNADB__F_BATCH : 0, &off);
        if (r) break;
        cs[b].key = (const uint8_t *)key; cs[b].klen = key_len; cs[b].hash = hash; cs[b].off = off;
        cs[b].type = SYNADB_TYPE_FLOAT; cs[b].tomb = 0; cs[b].seq_lo = (uint8_t)(db->seq_next - 1);
        cs[b].has_scalar = 1; cs[b].scalar = synadb__d2u(values[done + n - 1]);
        done += n;
    }
    if (r) {
        synadb__unappend(db, start_off, start_seq, start_records);
        synadb__mutex_unlock(&db->wmu);
    } else {
        synadb__rw_wrlock(&db->rw);
        db->rend = db->end; /* before applying: key comparisons read the new records */
        for (b = 0; b < nblocks && !r; b++) r = synadb__apply(db, &db->ix, &cs[b]);
        synadb__rw_wrunlock(&db->rw);
        if (r) { db->poisoned = 1; synadb__mutex_unlock(&db->wmu); }
        else r = synadb__finish_write(db, 1);
    }
    SYNADB__FREE(&db->a, cs);
    return r;
}

SYNADB_API synadb_result synadb_sync(synadb_db *db) {
    uint64_t target;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!db->writable) return SYNADB_OK;
    synadb__mutex_lock(&db->wmu);
    if (db->poisoned) { synadb__mutex_unlock(&db->wmu); return synadb__writable(db); }
    synadb__publish(db, 0);
    target = db->end;
    synadb__mutex_unlock(&db->wmu);
    return synadb__sync_upto(db, target);
}

/* ---- reads ---- */
/* A located latest record. Holds the read lock from synadb__lookup until synadb__release. */
typedef struct synadb__found {
    synadb__rec r;
    int64_t slot;
    uint8_t *heap;
    uint8_t buf[512];
} synadb__found;

SYNADB_PRIVATE synadb_result synadb__lookup(synadb_db *db, const char *key, size_t *klen, synadb__found *f) {
    synadb_result r;
    uint64_t hash;
    f->heap = NULL;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    r = synadb__check_key(db, key, klen);
    if (r) return r;
    hash = synadb__hash(key, *klen, db->hash_seed);
    synadb__rw_rdlock(&db->rw);
    f->slot = synadb__find(db, &db->ix, (const uint8_t *)key, *klen, hash, NULL);
    if (f->slot < 0) { synadb__rw_rdunlock(&db->rw); return synadb__err(db, SYNADB_ERR_KEY_NOT_FOUND, "key not found"); }
    r = synadb__load(db, db->ix.slots[f->slot].off, &f->r, f->buf, sizeof f->buf, &f->heap);
    if (r) { synadb__rw_rdunlock(&db->rw); return r; }
    return SYNADB_OK;
}
SYNADB_PRIVATE void synadb__release(synadb_db *db, synadb__found *f) {
    synadb__rw_rdunlock(&db->rw);
    SYNADB__FREE(&db->a, f->heap);
}
/* FLOAT/INT value of the located latest record. */
SYNADB_PRIVATE synadb_result synadb__found_scalar(synadb_db *db, synadb__found *f, uint64_t *out) {
    if (f->r.flags & SYNADB__F_DELTA) {
        const synadb__slot *s = &db->ix.slots[f->slot];
        const uint64_t *w = s->h ? synadb__hp(&db->ix, s->h) : NULL;
        if (!w || !(w[0] & SYNADB__H_CACHE))
            return synadb__err(db, SYNADB_ERR_INTERNAL, "delta record without a cached previous value");
        *out = w[1];
        return SYNADB_OK;
    }
    if (synadb__rec_scalar(&f->r, out)) return synadb__err(db, SYNADB_ERR_SERIALIZATION, "malformed value at offset %llu", (unsigned long long)f->r.off);
    return SYNADB_OK;
}
SYNADB_PRIVATE synadb_result synadb__get_scalar(synadb_db *db, const char *key, size_t klen, int type, uint64_t *out) {
    synadb__found f;
    synadb_result r = synadb__lookup(db, key, &klen, &f);
    if (r) return r;
    if (f.r.type != type) r = synadb__err(db, SYNADB_ERR_TYPE_MISMATCH, "value is of type %d, not %d", (int)f.r.type, type);
    else r = synadb__found_scalar(db, &f, out);
    synadb__release(db, &f);
    return r;
}
SYNADB_API synadb_result synadb_get_float(synadb_db *db, const char *key, size_t key_len, double *out) {
    uint64_t u = 0;
    synadb_result r;
    if (db && !out) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "out is NULL");
    r = synadb__get_scalar(db, key, key_len, SYNADB_TYPE_FLOAT, &u);
    if (!r) *out = synadb__u2d(u);
    return r;
}
SYNADB_API synadb_result synadb_get_int(synadb_db *db, const char *key, size_t key_len, int64_t *out) {
    uint64_t u = 0;
    synadb_result r;
    if (db && !out) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "out is NULL");
    r = synadb__get_scalar(db, key, key_len, SYNADB_TYPE_INT, &u);
    if (!r) *out = (int64_t)u;
    return r;
}
SYNADB_API synadb_result synadb_get_type(synadb_db *db, const char *key, size_t key_len, synadb_type *out) {
    synadb__found f;
    synadb_result r;
    if (db && !out) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "out is NULL");
    r = synadb__lookup(db, key, &key_len, &f);
    if (r) return r;
    *out = (synadb_type)f.r.type;
    synadb__release(db, &f);
    return SYNADB_OK;
}
SYNADB_API int synadb_exists(synadb_db *db, const char *key, size_t key_len) {
    synadb_result r;
    uint64_t hash;
    int64_t i;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    r = synadb__check_key(db, key, &key_len);
    if (r) return r;
    hash = synadb__hash(key, key_len, db->hash_seed);
    synadb__rw_rdlock(&db->rw);
    i = synadb__find(db, &db->ix, (const uint8_t *)key, key_len, hash, NULL);
    synadb__rw_rdunlock(&db->rw);
    return i >= 0;
}

/* Length of a TEXT/BYTES/VECTOR value and a copy of it into dst (cap bytes). */
SYNADB_PRIVATE synadb_result synadb__blob_len(synadb_db *db, const synadb__rec *r, size_t *len) {
    if (r->type != SYNADB_TYPE_TEXT && r->type != SYNADB_TYPE_BYTES && r->type != SYNADB_TYPE_VECTOR)
        return synadb__err(db, SYNADB_ERR_TYPE_MISMATCH, "value is of type %d, not text, bytes or vector", (int)r->type);
    *len = (r->flags & SYNADB__F_LZ4) ? synadb__rd32(r->val) : r->vlen;
    return SYNADB_OK;
}
SYNADB_PRIVATE synadb_result synadb__blob_copy(synadb_db *db, const synadb__rec *r, void *dst, size_t len) {
    if (r->flags & SYNADB__F_LZ4) {
        if (synadb__lz4_decompress(r->val + 4, r->vlen - 4, (uint8_t *)dst, len))
            return synadb__err(db, SYNADB_ERR_SERIALIZATION, "compressed value at offset %llu does not decompress", (unsigned long long)r->off);
    } else if (r->type == SYNADB_TYPE_VECTOR) {
        synadb__copy_le32(dst, r->val, len / 4);
    } else if (len) {
        memcpy(dst, r->val, len);
    }
    return SYNADB_OK;
}
SYNADB_API synadb_result synadb_get_bytes_into(synadb_db *db, const char *key, size_t key_len, void *buf, size_t cap, size_t *out_len) {
    synadb__found f;
    synadb_result r;
    size_t len = 0;
    if (db && (!out_len || (!buf && cap))) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "buf or out_len is NULL");
    r = synadb__lookup(db, key, &key_len, &f);
    if (r) return r;
    r = synadb__blob_len(db, &f.r, &len);
    if (!r) {
        *out_len = len;
        if (len > cap) r = synadb__err(db, SYNADB_ERR_BUFFER_TOO_SMALL, "value of %llu bytes, buffer of %llu", (unsigned long long)len, (unsigned long long)cap);
        else r = synadb__blob_copy(db, &f.r, buf, len);
    }
    synadb__release(db, &f);
    return r;
}
/* Allocating copy of a blob, NUL-terminated. want = required type or -1 for any blob. */
SYNADB_PRIVATE synadb_result synadb__get_blob(synadb_db *db, const char *key, size_t klen, int want, void **out, size_t *out_len, int *type) {
    synadb__found f;
    synadb_result r;
    size_t len = 0;
    uint8_t *p = NULL;
    r = synadb__lookup(db, key, &klen, &f);
    if (r) return r;
    if (want >= 0 && f.r.type != want) r = synadb__err(db, SYNADB_ERR_TYPE_MISMATCH, "value is of type %d, not %d", (int)f.r.type, want);
    if (!r) r = synadb__blob_len(db, &f.r, &len);
    if (!r) {
        p = (uint8_t *)SYNADB__ALLOC(&db->a, len + 1);
        if (!p) r = synadb__nomem(db);
        else { r = synadb__blob_copy(db, &f.r, p, len); p[len] = 0; }
        if (r) { SYNADB__FREE(&db->a, p); p = NULL; }
    }
    if (type) *type = f.r.type;
    synadb__release(db, &f);
    if (!r) { *out = p; *out_len = len; }
    return r;
}
SYNADB_API synadb_result synadb_get_text(synadb_db *db, const char *key, size_t key_len, char **out, size_t *out_len) {
    size_t len = 0;
    void *p = NULL;
    synadb_result r;
    if (db && (!out || !out_len)) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "out is NULL");
    r = synadb__get_blob(db, key, key_len, SYNADB_TYPE_TEXT, &p, &len, NULL);
    if (!r) { *out = (char *)p; *out_len = len; }
    return r;
}
SYNADB_API synadb_result synadb_get_bytes(synadb_db *db, const char *key, size_t key_len, void **out, size_t *out_len) {
    if (db && (!out || !out_len)) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "out is NULL");
    return synadb__get_blob(db, key, key_len, SYNADB_TYPE_BYTES, out, out_len, NULL);
}
SYNADB_API synadb_result synadb_get_vector(synadb_db *db, const char *key, size_t key_len, float **out, uint32_t *out_dims) {
    size_t len = 0;
    void *p = NULL;
    synadb_result r;
    if (db && (!out || !out_dims)) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "out is NULL");
    r = synadb__get_blob(db, key, key_len, SYNADB_TYPE_VECTOR, &p, &len, NULL);
    if (!r) { *out = (float *)p; *out_dims = (uint32_t)(len / 4); }
    return r;
}
SYNADB_API synadb_result synadb_get_view(synadb_db *db, const char *key, size_t key_len, const void **ptr, size_t *len) {
    synadb__found f;
    synadb_result r;
    if (db && (!ptr || !len)) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "ptr or len is NULL");
    r = synadb__lookup(db, key, &key_len, &f);
    if (r) return r;
    if (f.r.type != SYNADB_TYPE_TEXT && f.r.type != SYNADB_TYPE_BYTES && f.r.type != SYNADB_TYPE_VECTOR)
        r = synadb__err(db, SYNADB_ERR_TYPE_MISMATCH, "value is of type %d, not text, bytes or vector", (int)f.r.type);
    else if (!db->map || f.heap)
        r = synadb__err(db, SYNADB_ERR_UNSUPPORTED, "no zero-copy view: the database is not mapped");
    else if (f.r.flags & SYNADB__F_LZ4)
        r = synadb__err(db, SYNADB_ERR_UNSUPPORTED, "no zero-copy view: the value is LZ4-compressed");
#ifdef SYNADB__BIG_ENDIAN
    else if (f.r.type == SYNADB_TYPE_VECTOR)
        r = synadb__err(db, SYNADB_ERR_UNSUPPORTED, "no zero-copy view of a vector on a big-endian machine");
#endif
    else { *ptr = f.r.val; *len = f.r.vlen; }
    synadb__release(db, &f);
    return r;
}
SYNADB_API void synadb_free(synadb_db *db, void *p) {
    if (!p) return;
    if (db) SYNADB__FREE(&db->a, p);
    else SYNADB_FREE(p);
}
SYNADB_API synadb_result synadb_get(synadb_db *db, const char *key, size_t key_len, synadb_value *out) {
    synadb__found f;
    synadb_result r;
    if (db && !out) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "out is NULL");
    r = synadb__lookup(db, key, &key_len, &f);
    if (r) return r;
    memset(out, 0, sizeof *out);
    out->type = f.r.type;
    if (f.r.type == SYNADB_TYPE_FLOAT || f.r.type == SYNADB_TYPE_INT) {
        uint64_t u = 0;
        r = synadb__found_scalar(db, &f, &u);
        if (f.r.type == SYNADB_TYPE_FLOAT) out->f = synadb__u2d(u); else out->i = (int64_t)u;
    } else if (f.r.type != SYNADB_TYPE_NULL) {
        size_t len = 0;
        uint8_t *p = NULL;
        r = synadb__blob_len(db, &f.r, &len);
        if (!r) {
            p = (uint8_t *)SYNADB__ALLOC(&db->a, len + 1);
            if (!p) r = synadb__nomem(db);
            else { r = synadb__blob_copy(db, &f.r, p, len); p[len] = 0; }
        }
        if (r) SYNADB__FREE(&db->a, p);
        else { out->data = p; out->len = len; if (f.r.type == SYNADB_TYPE_VECTOR) out->dims = (uint32_t)(len / 4); }
    }
    synadb__release(db, &f);
    if (r) memset(out, 0, sizeof *out);
    return r;
}
SYNADB_API void synadb_value_free(synadb_db *db, synadb_value *v) {
    if (!v) return;
    if (v->data && (v->type == SYNADB_TYPE_TEXT || v->type == SYNADB_TYPE_BYTES || v->type == SYNADB_TYPE_VECTOR))
        synadb_free(db, (void *)v->data);
    v->data = NULL;
    v->len = 0;
}

/* ---- history ---- */
/* Walks the versions of the key at slot si in order, calling fn with each record and its
   decoded scalar (resolving deltas). Caller holds the read lock. */
typedef synadb_result (*synadb__ver_fn)(synadb_db *db, void *user, const synadb__rec *r, uint64_t scalar);
SYNADB_PRIVATE synadb_result synadb__walk_versions(synadb_db *db, int64_t si, synadb__ver_fn fn, void *user) {
    const synadb__slot *s = &db->ix.slots[si];
    const uint64_t *offs = NULL;
    uint32_t n = 0, k;
    uint8_t ptype = 0xff, pseq = 0;
    uint64_t prev = 0;
    synadb_result r = SYNADB_OK;
    if (s->h) offs = synadb__hist_offs(&db->ix, s->h, &n);
    for (k = 0; k <= n && !r; k++) {
        synadb__rec rec;
        uint8_t buf[256], *heap = NULL;
        uint64_t v = 0;
        r = synadb__load(db, k < n ? offs[k] : s->off, &rec, buf, sizeof buf, &heap);
        if (r) break;
        if (rec.type == SYNADB_TYPE_FLOAT || rec.type == SYNADB_TYPE_INT) {
            int bad = (rec.flags & SYNADB__F_DELTA) ? synadb__delta_resolve(&rec, ptype, pseq, prev, &v) : synadb__rec_scalar(&rec, &v);
            if (bad) r = synadb__err(db, SYNADB_ERR_SERIALIZATION, "value at offset %llu does not decode", (unsigned long long)rec.off);
            prev = v;
        }
        ptype = rec.type;
        pseq = (uint8_t)rec.seq32;
        if (!r) r = fn(db, user, &rec, v);
        SYNADB__FREE(&db->a, heap);
    }
    return r;
}
typedef struct synadb__hist_acc { int type; uint8_t *out; size_t n, cap; } synadb__hist_acc;
SYNADB_PRIVATE synadb_result synadb__hist_collect(synadb_db *db, void *user, const synadb__rec *r, uint64_t scalar) {
    synadb__hist_acc *acc = (synadb__hist_acc *)user;
    size_t add = 1;
    if (r->type != acc->type) return SYNADB_OK;
    if (r->flags & SYNADB__F_BLOCK) add = synadb__block_count(r->val, r->vlen);
    if (acc->n + add > acc->cap) {
        size_t nc = acc->cap * 2 > acc->n + add ? acc->cap * 2 : acc->n + add;
        uint8_t *p = (uint8_t *)SYNADB__REALLOC(&db->a, acc->out, nc * 8);
        if (!p) return synadb__nomem(db);
        acc->out = p; acc->cap = nc;
    }
    if (r->flags & SYNADB__F_BLOCK) {
        if (synadb__block_decode(r->val, r->vlen, (double *)(void *)(acc->out + acc->n * 8)))
            return synadb__err(db, SYNADB_ERR_SERIALIZATION, "float block at offset %llu does not decode", (unsigned long long)r->off);
    } else {
        memcpy(acc->out + acc->n * 8, &scalar, 8);
    }
    acc->n += add;
    return SYNADB_OK;
}
/* History through the mapping: plain FLOAT/INT records (the common case) are checked and
   decoded inline; deltas, blocks and other types take the general path. */
SYNADB_PRIVATE synadb_result synadb__history_mapped(synadb_db *db, int64_t si, synadb__hist_acc *acc) {
    const synadb__slot *s = &db->ix.slots[si];
    const uint64_t *offs = NULL;
    uint32_t n = 0, k;
    uint8_t ptype = 0xff, pseq = 0;
    uint64_t prev = 0;
    int verify = !db->cfg.skip_read_checksums;
    synadb_result r = SYNADB_OK;
    if (s->h) offs = synadb__hist_offs(&db->ix, s->h, &n);
    for (k = 0; k <= n && !r; k++) {
        uint64_t off = k < n ? offs[k] : s->off, v = 0;
        const uint8_t *p = db->map + off;
        synadb__rec rec;
        size_t klen;
        if (off < SYNADB__FILE_HDR || off + SYNADB__REC_HDR > db->rend)
            return synadb__err(db, SYNADB_ERR_INTERNAL, "index points outside the log (offset %llu)", (unsigned long long)off);
        klen = synadb__rd16(p + 8);
        if (p[10] == (uint8_t)acc->type && p[11] == 0 && synadb__rd32(p + 12) == 8 && klen &&
            off + SYNADB__REC_HDR + klen + 8 <= db->rend) {
            if (verify && synadb__crc_mask(synadb__crc(db->hw, db->crc_seed, p + 4, SYNADB__REC_HDR - 4 + klen + 8)) != synadb__rd32(p))
                return synadb__err(db, SYNADB_ERR_CHECKSUM, "record at offset %llu does not match its checksum", (unsigned long long)off);
            if (acc->n == acc->cap) {
                size_t nc = acc->cap * 2 + 16;
                uint8_t *np = (uint8_t *)SYNADB__REALLOC(&db->a, acc->out, nc * 8);
                if (!np) return synadb__nomem(db);
                acc->out = np; acc->cap = nc;
            }
            memcpy(acc->out + acc->n * 8, p + SYNADB__REC_HDR + klen, 8);
            acc->n++;
            prev = synadb__rd64(p + SYNADB__REC_HDR + klen);
            ptype = p[10];
            pseq = p[4];
            continue;
        }
        if (synadb__rec_head(p, off, db->rend - off, &rec))
            return synadb__err(db, SYNADB_ERR_CORRUPT, "record at offset %llu has a damaged header", (unsigned long long)off);
        synadb__rec_bind(&rec, p);
        if (verify && !synadb__rec_crc_ok(db->hw, db->crc_seed, &rec))
            return synadb__err(db, SYNADB_ERR_CHECKSUM, "record at offset %llu does not match its checksum", (unsigned long long)off);
        if (rec.type == SYNADB_TYPE_FLOAT || rec.type == SYNADB_TYPE_INT) {
            int bad = (rec.flags & SYNADB__F_DELTA) ? synadb__delta_resolve(&rec, ptype, pseq, prev, &v) : synadb__rec_scalar(&rec, &v);
            if (bad) return synadb__err(db, SYNADB_ERR_SERIALIZATION, "value at offset %llu does not decode", (unsigned long long)off);
            prev = v;
        }
        ptype = rec.type;
        pseq = (uint8_t)rec.seq32;
        r = synadb__hist_collect(db, acc, &rec, v);
    }
    return r;
}
SYNADB_PRIVATE synadb_result synadb__history(synadb_db *db, const char *key, size_t klen, int type, void **out, size_t *count) {
    synadb__hist_acc acc;
    synadb_result r;
    uint64_t hash;
    int64_t si;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!out || !count) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "out is NULL");
    *out = NULL; *count = 0;
    r = synadb__check_key(db, key, &klen);
    if (r) return r;
    hash = synadb__hash(key, klen, db->hash_seed);
    synadb__rw_rdlock(&db->rw);
    si = synadb__find(db, &db->ix, (const uint8_t *)key, klen, hash, NULL);
    if (si < 0) { synadb__rw_rdunlock(&db->rw); return synadb__err(db, SYNADB_ERR_KEY_NOT_FOUND, "key not found"); }
    memset(&acc, 0, sizeof acc);
    acc.type = type;
    acc.cap = 1 + (db->ix.slots[si].h ? SYNADB__H_N(synadb__hp(&db->ix, db->ix.slots[si].h)[0]) : 0);
    acc.out = (uint8_t *)SYNADB__ALLOC(&db->a, acc.cap * 8);
    if (!acc.out) r = synadb__nomem(db);
    else if (db->map) r = synadb__history_mapped(db, si, &acc);
    else r = synadb__walk_versions(db, si, synadb__hist_collect, &acc);
    synadb__rw_rdunlock(&db->rw);
    if (r || !acc.n) { SYNADB__FREE(&db->a, acc.out); return r; }
    *out = acc.out;
    *count = acc.n;
    return SYNADB_OK;
}
SYNADB_API synadb_result synadb_history_floats(synadb_db *db, const char *key, size_t key_len, double **out, size_t *out_count) {
    void *p = NULL;
    synadb_result r = synadb__history(db, key, key_len, SYNADB_TYPE_FLOAT, &p, out_count);
    if (out) *out = (double *)p;
    return r;
}
SYNADB_API synadb_result synadb_history_ints(synadb_db *db, const char *key, size_t key_len, int64_t **out, size_t *out_count) {
    void *p = NULL;
    synadb_result r = synadb__history(db, key, key_len, SYNADB_TYPE_INT, &p, out_count);
    if (out) *out = (int64_t *)p;
    return r;
}
SYNADB_API synadb_result synadb_history_len(synadb_db *db, const char *key, size_t key_len, size_t *out_versions) {
    synadb_result r;
    uint64_t hash;
    int64_t si;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!out_versions) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "out is NULL");
    r = synadb__check_key(db, key, &key_len);
    if (r) return r;
    hash = synadb__hash(key, key_len, db->hash_seed);
    synadb__rw_rdlock(&db->rw);
    si = synadb__find(db, &db->ix, (const uint8_t *)key, key_len, hash, NULL);
    if (si >= 0) *out_versions = 1 + (db->ix.slots[si].h ? SYNADB__H_N(synadb__hp(&db->ix, db->ix.slots[si].h)[0]) : 0);
    synadb__rw_rdunlock(&db->rw);
    return si >= 0 ? SYNADB_OK : synadb__err(db, SYNADB_ERR_KEY_NOT_FOUND, "key not found");
}

/* ---- keys ---- */
/* Reads the header and key of the record at off (caller holds the read lock). */
SYNADB_PRIVATE const uint8_t *synadb__peek_key(synadb_db *db, uint64_t off, uint8_t *buf, size_t cap, uint8_t **heap, size_t *klen, uint8_t *type) {
    const uint8_t *p;
    *heap = NULL;
    if (db->map) p = db->map + off;
    else {
        size_t n = cap < db->rend - off ? cap : (size_t)(db->rend - off);
        if (synadb__pread(db->fd, buf, n, off)) return NULL;
        p = buf;
        if ((size_t)SYNADB__REC_HDR + synadb__rd16(buf + 8) > n) {
            size_t need = SYNADB__REC_HDR + synadb__rd16(buf + 8);
            *heap = (uint8_t *)SYNADB__ALLOC(&db->a, need);
            if (!*heap || synadb__pread(db->fd, *heap, need, off)) return NULL;
            p = *heap;
        }
    }
    *klen = synadb__rd16(p + 8);
    *type = p[10];
    return p + SYNADB__REC_HDR;
}
SYNADB_API synadb_result synadb_foreach_key(synadb_db *db, const char *glob, size_t glob_len, synadb_key_fn fn, void *user) {
    uint64_t i;
    synadb_result r = SYNADB_OK;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!fn) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "callback is NULL");
    if (glob && glob_len == SYNADB_NTS) glob_len = strlen(glob);
    synadb__rw_rdlock(&db->rw);
    for (i = 0; i < db->ix.cap; i++) {
        uint8_t buf[512], *heap = NULL, type = 0;
        size_t klen = 0;
        const uint8_t *k;
        int stop = 0;
        if (!db->ix.slots[i].off) continue;
        k = synadb__peek_key(db, db->ix.slots[i].off, buf, sizeof buf, &heap, &klen, &type);
        if (!k) { SYNADB__FREE(&db->a, heap); r = synadb__err(db, SYNADB_ERR_IO, "reading a key failed"); break; }
        if (!glob || synadb_glob_match(glob, glob_len, (const char *)k, klen))
            stop = fn(user, (const char *)k, klen, (synadb_type)type);
        SYNADB__FREE(&db->a, heap);
        if (stop) break;
    }
    synadb__rw_rdunlock(&db->rw);
    return r;
}
typedef struct synadb__keys_acc { synadb_db *db; synadb_keylist *l; size_t cap; int oom; } synadb__keys_acc;
SYNADB_PRIVATE int synadb__keys_add(void *user, const char *key, size_t klen, synadb_type type) {
    synadb__keys_acc *acc = (synadb__keys_acc *)user;
    synadb_keylist *l = acc->l;
    char *k;
    (void)type;
    if (l->count == acc->cap) {
        size_t nc = acc->cap ? acc->cap * 2 : 64;
        char **nk = (char **)SYNADB__REALLOC(&acc->db->a, l->keys, nc * sizeof *nk);
        size_t *nl;
        if (!nk) { acc->oom = 1; return 1; }
        l->keys = nk;
        nl = (size_t *)SYNADB__REALLOC(&acc->db->a, l->lens, nc * sizeof *nl);
        if (!nl) { acc->oom = 1; return 1; }
        l->lens = nl;
        acc->cap = nc;
    }
    k = (char *)SYNADB__ALLOC(&acc->db->a, klen + 1);
    if (!k) { acc->oom = 1; return 1; }
    memcpy(k, key, klen);
    k[klen] = 0;
    l->keys[l->count] = k;
    l->lens[l->count] = klen;
    l->count++;
    return 0;
}
/* Sorts keys bytewise (heapsort on the two parallel arrays: no allocation, no recursion). */
SYNADB_PRIVATE int synadb__keycmp(const synadb_keylist *l, size_t a, size_t b) {
    size_t n = l->lens[a] < l->lens[b] ? l->lens[a] : l->lens[b];
    int c = memcmp(l->keys[a], l->keys[b], n);
    return c ? c : (l->lens[a] < l->lens[b] ? -1 : l->lens[a] > l->lens[b]);
}
SYNADB_PRIVATE void synadb__keyswap(synadb_keylist *l, size_t a, size_t b) {
    char *k = l->keys[a]; size_t n = l->lens[a];
    l->keys[a] = l->keys[b]; l->lens[a] = l->lens[b];
    l->keys[b] = k; l->lens[b] = n;
}
SYNADB_PRIVATE void synadb__keys_sort(synadb_keylist *l) {
    size_t n = l->count, i, end;
    if (n < 2) return;
    for (i = n / 2; i-- > 0;) {
        size_t r = i;
        for (;;) { size_t c = 2 * r + 1; if (c >= n) break; if (c + 1 < n && synadb__keycmp(l, c, c + 1) < 0) c++; if (synadb__keycmp(l, r, c) >= 0) break; synadb__keyswap(l, r, c); r = c; }
    }
    for (end = n - 1; end > 0; end--) {
        size_t r = 0;
        synadb__keyswap(l, 0, end);
        for (;;) { size_t c = 2 * r + 1; if (c >= end) break; if (c + 1 < end && synadb__keycmp(l, c, c + 1) < 0) c++; if (synadb__keycmp(l, r, c) >= 0) break; synadb__keyswap(l, r, c); r = c; }
    }
}
SYNADB_API void synadb_keylist_free(synadb_db *db, synadb_keylist *list) {
    size_t i;
    if (!list) return;
    for (i = 0; i < list->count; i++) synadb_free(db, list->keys[i]);
    synadb_free(db, list->keys);
    synadb_free(db, list->lens);
    memset(list, 0, sizeof *list);
}
SYNADB_API synadb_result synadb_keys(synadb_db *db, const char *glob, size_t glob_len, synadb_keylist *out) {
    synadb__keys_acc acc;
    synadb_result r;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!out) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "out is NULL");
    memset(out, 0, sizeof *out);
    memset(&acc, 0, sizeof acc);
    acc.db = db;
    acc.l = out;
    r = synadb_foreach_key(db, glob, glob_len, synadb__keys_add, &acc);
    if (!r && acc.oom) r = synadb__nomem(db);
    if (r) { synadb_keylist_free(db, out); return r; }
    synadb__keys_sort(out);
    return SYNADB_OK;
}

SYNADB_API synadb_result synadb_stats_get(synadb_db *db, synadb_stats *out) {
    uint64_t i, live = 0;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    if (!out) return synadb__err(db, SYNADB_ERR_INVALID_ARG, "out is NULL");
    memset(out, 0, sizeof *out);
    synadb__mutex_lock(&db->wmu);
    synadb__rw_rdlock(&db->rw);
    for (i = 0; i < db->ix.cap; i++) {
        uint64_t off = db->ix.slots[i].off;
        synadb__rec r;
        uint8_t h[SYNADB__REC_HDR];
        const uint8_t *p = h;
        if (!off) continue;
        if (db->map) p = db->map + off;
        else if (synadb__pread(db->fd, h, sizeof h, off)) continue;
        if (synadb__rec_head(p, off, db->end - off, &r) == 0) live += r.total;
    }
    out->keys = db->ix.count;
    out->versions = db->ix.versions;
    out->index_bytes = synadb__index_bytes(&db->ix);
    synadb__rw_rdunlock(&db->rw);
    out->records = db->records;
    out->file_bytes = db->end;
    out->allocated_bytes = db->alloc > db->end ? db->alloc : db->end;
    out->live_bytes = live;
    out->torn_tail_bytes = db->torn_bytes;
    out->torn_tail_records = db->torn_records;
    out->discarded_batch_records = db->discarded_batch;
    out->salvaged_bytes = db->salvaged_bytes;
    out->next_seq = db->seq_next;
    out->format_version = db->format_version ? db->format_version : SYNADB_FORMAT_VERSION;
    out->read_only = !db->writable;
    out->mmap = db->map != NULL;
    out->hw_crc = (uint32_t)(db->hw & 1);
    synadb__mutex_unlock(&db->wmu);
    synadb__mutex_lock(&db->smu);
    out->syncs = db->syncs;
    out->synced_writes = db->synced_writes;
    synadb__mutex_unlock(&db->smu);
    return SYNADB_OK;
}

/* ======================================================================== >>kv.compact */
#ifdef SYNADB_TEST_HOOKS
/* Test-only: called at each step of compaction (tests kill the process there). */
void (*synadb_test_hook)(const char *point) = NULL;
#  define SYNADB__HOOK(name) do { if (synadb_test_hook) synadb_test_hook(name); } while (0)
#else
#  define SYNADB__HOOK(name) ((void)0)
#endif

/* Buffered writer for a new file. */
typedef struct synadb__wbuf { synadb__fd fd; const synadb_allocator *a; uint8_t *buf; size_t cap, len; uint64_t off; int err; } synadb__wbuf;
SYNADB_PRIVATE int synadb__wbuf_flush(synadb__wbuf *w) {
    if (!w->err && w->len) {
        w->err = synadb__pwrite(w->fd, w->buf, w->len, w->off);
        w->off += w->len;
        w->len = 0;
    }
    return w->err;
}
/* Space for n bytes at the current position; NULL on error. */
SYNADB_PRIVATE uint8_t *synadb__wbuf_room(synadb__wbuf *w, size_t n) {
    if (w->err) return NULL;
    if (w->len + n > w->cap) {
        if (synadb__wbuf_flush(w)) return NULL;
        if (n > w->cap) {
            uint8_t *nb = (uint8_t *)SYNADB__REALLOC(w->a, w->buf, n);
            if (!nb) { w->err = ENOMEM; return NULL; }
            w->buf = nb; w->cap = n;
        }
    }
    return w->buf + w->len;
}

typedef struct synadb__compactor {
    synadb__wbuf w;
    synadb__index nix;
    synadb__slot *cur;             /* new slot of the key being copied */
    uint64_t seq, records;
    uint32_t seed;
    uint8_t prev_seq_lo;           /* sequence low byte of the previous copied version */
    int keep_history;
} synadb__compactor;

/* Writes one record into the new file and into the new index. The value is a[0..alen);
   for delta records its first byte is replaced by the new predecessor's sequence. */
SYNADB_PRIVATE synadb_result synadb__cwrite(synadb_db *db, synadb__compactor *cp, const uint8_t *key, size_t klen,
                                            uint8_t type, uint8_t flags, const uint8_t *a, size_t alen, const synadb__commit *info) {
    uint64_t off = cp->w.off + cp->w.len;
    uint32_t pad = (flags & SYNADB__F_ALIGNED) ? (uint32_t)((0 - (off + SYNADB__REC_HDR + klen)) & 7u) : 0;
    size_t total = SYNADB__REC_HDR + klen + pad + alen;
    uint8_t *d = synadb__wbuf_room(&cp->w, total);
    synadb__commit c = *info;
    if (!d) return synadb__oserr(db, cp->w.err, "write compacted file");
    synadb__wr32(d + 4, (uint32_t)cp->seq);
    synadb__wr16(d + 8, (uint16_t)klen);
    d[10] = type;
    d[11] = flags;
    synadb__wr32(d + 12, (uint32_t)alen);
    memcpy(d + SYNADB__REC_HDR, key, klen);
    if (pad) memset(d + SYNADB__REC_HDR + klen, 0, pad);
    if (alen) memcpy(d + SYNADB__REC_HDR + klen + pad, a, alen);
    if (flags & SYNADB__F_DELTA) d[SYNADB__REC_HDR + klen + pad] = cp->prev_seq_lo;
    synadb__wr32(d, synadb__crc_mask(synadb__crc(db->hw, cp->seed, d + 4, total - 4)));
    cp->w.len += total;
    c.off = off;
    c.seq_lo = (uint8_t)cp->seq;
    cp->prev_seq_lo = (uint8_t)cp->seq;
    cp->seq++;
    cp->records++;
    /* every key of the old index is new to the new one; its later versions go to the
       slot just created, so no key comparison against the new file is needed */
    if (!cp->cur) { cp->cur = synadb__slot_insert(&cp->nix, c.hash, off); return SYNADB_OK; }
    return synadb__slot_push(db, &cp->nix, cp->cur, &c);
}
/* Copies one version (history mode) or the latest value (materialised). */
SYNADB_PRIVATE synadb_result synadb__compact_ver(synadb_db *db, void *user, const synadb__rec *r, uint64_t scalar) {
    synadb__compactor *cp = (synadb__compactor *)user;
    synadb__commit c;
    memset(&c, 0, sizeof c);
    c.hash = synadb__hash(r->key, r->klen, db->hash_seed);
    c.type = r->type;
    c.has_scalar = r->type == SYNADB_TYPE_FLOAT || r->type == SYNADB_TYPE_INT;
    c.scalar = scalar;
    return synadb__cwrite(db, cp, r->key, r->klen, r->type, (uint8_t)(r->flags & ~SYNADB__F_BATCH), r->val, r->vlen, &c);
}
/* Copies the latest value of the key in slot s; deltas and float blocks are written as
   plain values (the history they depended on is dropped). */
SYNADB_PRIVATE synadb_result synadb__compact_latest(synadb_db *db, synadb__compactor *cp, const synadb__slot *s) {
    synadb__rec r;
    uint8_t buf[256], *heap = NULL, v[8];
    uint64_t scalar = 0;
    synadb__commit c;
    synadb_result res = synadb__load(db, s->off, &r, buf, sizeof buf, &heap);
    if (res) return res;
    memset(&c, 0, sizeof c);
    c.hash = synadb__hash(r.key, r.klen, db->hash_seed);
    c.type = r.type;
    if (r.type == SYNADB_TYPE_FLOAT || r.type == SYNADB_TYPE_INT) {
        if (r.flags & SYNADB__F_DELTA) {
            const uint64_t *w = s->h ? synadb__hp(&db->ix, s->h) : NULL;
            if (!w || !(w[0] & SYNADB__H_CACHE)) res = synadb__err(db, SYNADB_ERR_INTERNAL, "delta record without a cached value");
            else scalar = w[1];
        } else if (synadb__rec_scalar(&r, &scalar)) {
            res = synadb__err(db, SYNADB_ERR_SERIALIZATION, "value at offset %llu does not decode", (unsigned long long)r.off);
        }
        c.has_scalar = 1;
        c.scalar = scalar;
    }
    if (!res) {
        if (r.flags & (SYNADB__F_DELTA | SYNADB__F_BLOCK)) {
            synadb__wr64(v, scalar);
            res = synadb__cwrite(db, cp, r.key, r.klen, r.type, 0, v, 8, &c);
        } else {
            res = synadb__cwrite(db, cp, r.key, r.klen, r.type, (uint8_t)(r.flags & ~SYNADB__F_BATCH), r.val, r.vlen, &c);
        }
    }
    SYNADB__FREE(&db->a, heap);
    return res;
}

SYNADB_API synadb_result synadb_compact(synadb_db *db, uint32_t flags) {
    synadb__compactor cp;
    synadb__fd nfd = SYNADB__BADFD;
    char *tmp = NULL;
    uint8_t h[SYNADB__FILE_HDR];
    uint64_t i, file_id, new_end;
    int e, renamed = 0;
    synadb_result r;
    if (!db) return SYNADB_ERR_INVALID_ARG;
    memset(&cp, 0, sizeof cp);
    synadb__mutex_lock(&db->wmu);
    r = synadb__writable(db);
    if (r) goto out;
    tmp = synadb__strcat_alloc(&db->a, db->path, ".compact");
    if (!tmp) { r = synadb__nomem(db); goto out; }
    if (synadb__path_exists(tmp)) synadb__unlink(tmp);
    e = synadb__fopen(tmp, 3, &nfd);
    if (!e) e = synadb__flock(nfd);
    if (e) { r = synadb__oserr(db, e, "create compaction file for"); goto out; }
    SYNADB__HOOK("compact:created");
    file_id = synadb__random64(&cp);
    cp.seed = synadb__seed_of(file_id);
    cp.seq = db->seq_next;
    cp.keep_history = (flags & SYNADB_COMPACT_KEEP_HISTORY) != 0;
    cp.w.fd = nfd;
    cp.w.a = &db->a;
    cp.w.off = SYNADB__FILE_HDR;
    cp.w.cap = (size_t)1 << 20;
    cp.w.buf = (uint8_t *)SYNADB__ALLOC(&db->a, cp.w.cap);
    if (!cp.w.buf) { r = synadb__nomem(db); goto out; }
    synadb__header_build(h, cp.seq, file_id);
    e = synadb__pwrite(nfd, h, sizeof h, 0);
    if (e) { r = synadb__oserr(db, e, "write compacted file"); goto out; }
    r = synadb__index_reserve(db, &cp.nix, db->ix.count, 1);
    if (r) goto out;
    for (i = 0; i < db->ix.cap && !r; i++) {
        const synadb__slot *s = &db->ix.slots[i];
        if (!s->off) continue;
        cp.cur = NULL;
        if (cp.keep_history) r = synadb__walk_versions(db, (int64_t)i, synadb__compact_ver, &cp);
        else r = synadb__compact_latest(db, &cp, s);
    }
    if (r) goto out;
    SYNADB__HOOK("compact:written");
    e = synadb__wbuf_flush(&cp.w);
    if (!e) e = synadb__fsync(nfd);
    if (e) { r = synadb__oserr(db, e, "write compacted file"); goto out; }
    new_end = cp.w.off;
    SYNADB__HOOK("compact:synced");
#if defined(_WIN32)
    /* Windows cannot rename over a file that is open and mapped: let go of it first. */
    synadb__rw_wrlock(&db->rw);
    if (db->map) { synadb__munmap(db->map, db->map_size); db->map = NULL; }
    synadb__fclose(db->fd);
    db->fd = SYNADB__BADFD;
    synadb__rw_wrunlock(&db->rw);
#endif
    e = synadb__rename(tmp, db->path);
    if (e) {
#if defined(_WIN32)
        db->poisoned = 1;
#endif
        r = synadb__oserr(db, e, "rename compacted file over");
        goto out;
    }
    renamed = 1;
    SYNADB__HOOK("compact:renamed");
    e = synadb__sync_dir(db->path);
    SYNADB__HOOK("compact:dir_synced");
    /* switch the handle to the new file */
    synadb__rw_wrlock(&db->rw);
#ifndef SYNADB_NO_MMAP
    if (db->map) { synadb__munmap(db->map, db->map_size); db->map = NULL; db->map_size = 0; }
#endif
    if (db->fd != SYNADB__BADFD) synadb__fclose(db->fd);
    db->fd = nfd;
    nfd = SYNADB__BADFD;
    synadb__index_free(db, &db->ix);
    db->ix = cp.nix;
    memset(&cp.nix, 0, sizeof cp.nix);
    db->end = db->rend = db->alloc = new_end;
    db->seq_base = db->seq_next;
    db->seq_next = cp.seq;
    db->records = cp.records;
    db->file_id = file_id;
    db->crc_seed = cp.seed;
    synadb__map_file(db, new_end);
    synadb__rw_wrunlock(&db->rw);
    synadb__mutex_lock(&db->smu);
    db->commit_end = db->synced_end = db->end;
    synadb__mutex_unlock(&db->smu);
    if (e) r = synadb__err(db, SYNADB_ERR_IO, "compaction of %s is done but flushing its directory failed (errno %d)", db->path, e);
out:
    if (nfd != SYNADB__BADFD) synadb__fclose(nfd);
    if (r && !renamed && tmp) synadb__unlink(tmp);
    SYNADB__FREE(&db->a, cp.w.buf);
    synadb__index_free(db, &cp.nix);
    SYNADB__FREE(&db->a, tmp);
    synadb__mutex_unlock(&db->wmu);
    return r;
}

/* ======================================================================== >>kv.scan */
/* Per-key state for resolving deltas while scanning a file without an index. */
typedef struct synadb__scan_key { uint64_t h, scalar; uint8_t type, seq_lo, used; } synadb__scan_key;
typedef struct synadb__scan_map { synadb__scan_key *t; uint64_t cap, n; const synadb_allocator *a; } synadb__scan_map;
SYNADB_PRIVATE synadb__scan_key *synadb__scan_slot(synadb__scan_map *m, uint64_t h) {
    uint64_t i;
    if ((m->n + 1) * 4 > m->cap * 3) {
        uint64_t nc = m->cap ? m->cap * 2 : 1024, k;
        synadb__scan_key *nt = (synadb__scan_key *)SYNADB__ALLOC(m->a, (size_t)(nc * sizeof *nt));
        if (!nt) return NULL;
        memset(nt, 0, (size_t)(nc * sizeof *nt));
        for (k = 0; k < m->cap; k++) if (m->t[k].used) {
            uint64_t j = m->t[k].h & (nc - 1);
            while (nt[j].used) j = (j + 1) & (nc - 1);
            nt[j] = m->t[k];
        }
        SYNADB__FREE(m->a, m->t);
        m->t = nt;
        m->cap = nc;
    }
    for (i = h & (m->cap - 1); m->t[i].used; i = (i + 1) & (m->cap - 1)) if (m->t[i].h == h) return &m->t[i];
    m->t[i].used = 1;
    m->t[i].h = h;
    m->t[i].type = 0xff;
    m->n++;
    return &m->t[i];
}

/* Effect of a record of an open batch on the per-key state, applied when the batch closes. */
typedef struct synadb__scan_pend { uint64_t h, scalar; uint8_t type, seq_lo, tomb; } synadb__scan_pend;

SYNADB_API synadb_result synadb_scan_file(const char *path, synadb_record_fn fn, void *user, synadb_scan_report *report) {
    synadb_scan_report rep;
    synadb_allocator a = synadb__allocator_or_default(NULL);
    synadb__fd fd = SYNADB__BADFD;
    synadb__rd rd;
    synadb__scan_map km;
    synadb_record_info info;
    synadb__scan_pend *pend = NULL;
    size_t npend = 0, cpend = 0;
    uint8_t h[SYNADB__FILE_HDR];
    uint64_t size = 0, pos = SYNADB__FILE_HDR, seq = 0, file_id = 0, batch_start = 0, batch_seq = 0;
    int hw = synadb__hw_crc_detect(), e, stop = 0;
    uint32_t seed;
    double *blk = NULL;
    synadb_result r = SYNADB_OK;
    memset(&rep, 0, sizeof rep);
    memset(&km, 0, sizeof km);
    memset(&rd, 0, sizeof rd);
    km.a = &a;
    rep.first_bad_offset = UINT64_MAX;
    if (!path) return SYNADB_ERR_INVALID_ARG;
    e = synadb__fopen(path, 0, &fd);
    if (e) return synadb__oserr_code(e);
    e = synadb__fsize(fd, &size);
    if (e) { synadb__fclose(fd); return synadb__oserr_code(e); }
    rep.file_bytes = size;
    rd.fd = fd; rd.size = size; rd.a = &a;
    memset(h, 0, sizeof h);
    if (size && (e = synadb__pread(fd, h, (size_t)(size < SYNADB__FILE_HDR ? size : SYNADB__FILE_HDR), 0)) != 0) {
        synadb__fclose(fd);
        return synadb__oserr_code(e);
    }
    {   /* empty, a prefix of the magic, or all zeros: a database being created (as open) */
        size_t k = (size_t)(size < 8 ? size : 8), i;
        int zero = 1;
        for (i = 0; i < SYNADB__FILE_HDR; i++) if (h[i]) zero = 0;
        if ((size < SYNADB__FILE_HDR && (zero || memcmp(h, synadb__magic, k) == 0)) ||
            (zero && synadb__next_nonzero(&rd, SYNADB__FILE_HDR) >= size)) {
            synadb__rd_free(&rd);
            synadb__fclose(fd);
            rep.format_version = SYNADB_FORMAT_VERSION;
            if (report) *report = rep;
            return SYNADB_OK;
        }
    }
    if (size < SYNADB__FILE_HDR) rep.header_status = SYNADB_ERR_NOT_A_DATABASE;
    else {
        rep.header_status = synadb__header_check(NULL, h, &seq, &file_id);
        rep.format_version = synadb__rd32(h + 8);
    }
    if (rep.header_status) { synadb__rd_free(&rd); synadb__fclose(fd); if (report) *report = rep; return rep.header_status; }
    seed = synadb__seed_of(file_id);
    blk = (double *)SYNADB__ALLOC(&a, SYNADB__BLOCK_MAX * sizeof *blk);
    if (!blk) { synadb__rd_free(&rd); synadb__fclose(fd); return SYNADB_ERR_NO_MEMORY; }
    while (!stop && pos < size) {
        const uint8_t *p;
        synadb__rec rec;
        int hok = 0, ok = 0;
        memset(&rec, 0, sizeof rec);
        p = synadb__rd_at(&rd, pos, SYNADB__REC_HDR);
        if (p && synadb__rec_head(p, pos, size - pos, &rec) == 0 && (p = synadb__rd_at(&rd, pos, rec.total)) != NULL) {
            hok = 1;
            synadb__rec_bind(&rec, p);
            ok = synadb__rec_crc_ok(hw, seed, &rec) && rec.seq32 == (uint32_t)seq;
        }
        if (rd.err) { r = synadb__oserr_code(rd.err); break; }
        memset(&info, 0, sizeof info);
        if (ok) {
            uint64_t kh = synadb__hash(rec.key, rec.klen, 0x5eed), v = 0;
            synadb__scan_key *k = synadb__scan_slot(&km, kh);
            uint8_t ptype = 0xff, pseq = 0;
            uint64_t pscalar = 0;
            size_t j;
            if (!k) { r = SYNADB_ERR_NO_MEMORY; break; }
            ptype = k->type; pseq = k->seq_lo; pscalar = k->scalar;
            for (j = npend; j-- > 0;) /* an earlier record of the same open batch */
                if (pend[j].h == kh) { ptype = pend[j].tomb ? 0xff : pend[j].type; pseq = pend[j].seq_lo; pscalar = pend[j].scalar; break; }
            info.kind = SYNADB_SCAN_RECORD;
            info.offset = pos; info.length = rec.total; info.seq = seq; info.flags = rec.flags; info.type = rec.type;
            info.tombstone = (rec.flags & SYNADB__F_TOMB) != 0;
            info.key = (const char *)rec.key; info.key_len = rec.klen;
            info.value.type = rec.type;
            info.block_count = 1;
            if (rec.type == SYNADB_TYPE_FLOAT || rec.type == SYNADB_TYPE_INT) {
                int bad = (rec.flags & SYNADB__F_DELTA) ? synadb__delta_resolve(&rec, ptype, pseq, pscalar, &v) : synadb__rec_scalar(&rec, &v);
                if (!bad && (rec.flags & SYNADB__F_BLOCK)) {
                    info.block_count = synadb__block_count(rec.val, rec.vlen);
                    bad = synadb__block_decode(rec.val, rec.vlen, blk);
                    info.value.data = blk;
                    info.value.len = (size_t)info.block_count * 8;
                }
                if (bad) { info.status = SYNADB_ERR_SERIALIZATION; info.problem = (rec.flags & SYNADB__F_DELTA) ? "delta without a matching previous version" : "malformed value"; }
                if (rec.type == SYNADB_TYPE_FLOAT) info.value.f = synadb__u2d(v); else info.value.i = (int64_t)v;
            } else if (rec.type != SYNADB_TYPE_NULL) {
                if (rec.flags & SYNADB__F_LZ4) {
                    size_t rawlen = synadb__rd32(rec.val);
                    uint8_t *dec = (uint8_t *)SYNADB__ALLOC(&a, rawlen + 1);
                    if (!dec) { r = SYNADB_ERR_NO_MEMORY; break; }
                    if (synadb__lz4_decompress(rec.val + 4, rec.vlen - 4, dec, rawlen)) { info.status = SYNADB_ERR_SERIALIZATION; info.problem = "LZ4 payload does not decompress"; }
                    info.value.data = dec; info.value.len = rawlen;
                } else { info.value.data = rec.val; info.value.len = rec.vlen; }
                if (rec.type == SYNADB_TYPE_VECTOR) info.value.dims = (uint32_t)(info.value.len / 4);
            }
            /* the record's effect joins the open batch, or applies with the batch it closes */
            if (npend == cpend) {
                size_t nc = cpend ? cpend * 2 : 64;
                synadb__scan_pend *np = (synadb__scan_pend *)SYNADB__REALLOC(&a, pend, nc * sizeof *np);
                if (!np) { r = SYNADB_ERR_NO_MEMORY; if (rec.flags & SYNADB__F_LZ4) SYNADB__FREE(&a, (void *)info.value.data); break; }
                pend = np; cpend = nc;
            }
            pend[npend].h = kh; pend[npend].scalar = v; pend[npend].type = rec.type;
            pend[npend].seq_lo = (uint8_t)rec.seq32; pend[npend].tomb = info.tombstone != 0;
            npend++;
            if (rec.flags & SYNADB__F_BATCH) { if (!batch_start) { batch_start = pos; batch_seq = seq; } }
            else {
                for (j = 0; j < npend && !r; j++) {
                    synadb__scan_key *pk = synadb__scan_slot(&km, pend[j].h);
                    if (!pk) { r = SYNADB_ERR_NO_MEMORY; break; }
                    if (pend[j].tomb) pk->type = 0xff;
                    else { pk->type = pend[j].type; pk->seq_lo = pend[j].seq_lo; pk->scalar = pend[j].scalar; }
                }
                rep.records += npend;
                npend = 0;
                batch_start = 0;
            }
            if (fn && !r) stop = fn(user, &info);
            if (rec.flags & SYNADB__F_LZ4) SYNADB__FREE(&a, (void *)info.value.data);
            if (r) break;
            pos += rec.total;
            seq++;
            continue;
        }
        if (synadb__next_nonzero(&rd, pos) >= size) break; /* zeros to the end */
        {
            uint64_t nseq = 0, next = synadb__find_next_valid(&rd, hw, seed, pos + 1, seq, &nseq), last = pos, q = pos;
            if (rd.err) { r = synadb__oserr_code(rd.err); break; }
            if (next == UINT64_MAX) {
                while ((q = synadb__next_nonzero(&rd, q)) < size) last = ++q;
                if (batch_start) { /* the batch it interrupts is discarded too: report it first */
                    memset(&info, 0, sizeof info);
                    info.kind = SYNADB_SCAN_TAIL;
                    info.offset = batch_start; info.length = pos - batch_start; info.seq = batch_seq;
                    info.status = SYNADB_ERR_CORRUPT;
                    info.problem = "incomplete batch at the end; discarded on open";
                    rep.tail_bytes += info.length;
                    if (fn) stop = fn(user, &info);
                    batch_start = 0; npend = 0;
                }
            }
            memset(&info, 0, sizeof info);
            info.offset = pos;
            info.seq = seq;
            info.status = hok ? SYNADB_ERR_CHECKSUM : SYNADB_ERR_CORRUPT;
            if (next == UINT64_MAX) {
                info.kind = SYNADB_SCAN_TAIL;
                info.length = last - pos;
                info.problem = hok ? "partial record at the end (checksum mismatch); cut off on open" : "partial record at the end; cut off on open";
                rep.tail_bytes += info.length;
            } else {
                info.kind = SYNADB_SCAN_DAMAGE;
                info.length = next - pos;
                info.problem = batch_start ? "damaged record inside a batch (the batch is dropped by salvage)"
                             : hok ? (rec.seq32 != (uint32_t)seq ? "record out of sequence" : "checksum mismatch") : "damaged record header";
                rep.bad_regions++;
                rep.bad_bytes += info.length;
                if (rep.first_bad_offset == UINT64_MAX) rep.first_bad_offset = pos;
            }
            if (fn && !stop) stop = fn(user, &info);
            if (next == UINT64_MAX) break;
            pos = next;
            seq = nseq;
            batch_start = 0;
            npend = 0;
        }
    }
    if (!r && batch_start && !stop) {
        memset(&info, 0, sizeof info);
        info.kind = SYNADB_SCAN_TAIL;
        info.offset = batch_start;
        info.length = pos - batch_start;
        info.seq = batch_seq;
        info.status = SYNADB_ERR_CORRUPT;
        info.problem = "incomplete batch at the end; discarded on open";
        rep.tail_bytes += info.length;
        if (fn) fn(user, &info);
    }
    {
        uint64_t k;
        for (k = 0; k < km.cap; k++) if (km.t[k].used && km.t[k].type != 0xff) rep.live_keys++;
    }
    SYNADB__FREE(&a, km.t);
    SYNADB__FREE(&a, pend);
    SYNADB__FREE(&a, blk);
    synadb__rd_free(&rd);
    synadb__fclose(fd);
    if (report) *report = rep;
    if (r) return r;
    return rep.bad_regions ? SYNADB_ERR_CORRUPT : SYNADB_OK;
}

/* ======================================================================== >>kv.json */
/* JSON text for the ABI's outputs and the ML header's records: a growing buffer
   (SYNADB_MALLOC'd, so syna_free_json frees it) and a small reader. */
/* An arena: many allocations freed at once. Blocks (at least `block` bytes, 0 = 8 KiB) are
   chained through their first pointer; allocations are 8-byte aligned. Zero-initialise. */
typedef struct synadb__arena { char *blk; size_t used, cap, block; } synadb__arena;
SYNADB__UNUSED SYNADB_PRIVATE void *synadb__arena_alloc(synadb__arena *a, size_t n) {
    n = (n + 7) & ~(size_t)7;
    if (!a->blk || a->used + n > a->cap) {
        size_t min = a->block ? a->block : 8192, cap = n + 16 > min ? n + 16 : min;
        char *b = (char *)SYNADB_MALLOC(cap);
        if (!b) return NULL;
        memcpy(b, &a->blk, sizeof a->blk);
        a->blk = b; a->used = 16; a->cap = cap;
    }
    a->used += n;
    return a->blk + a->used - n;
}
/* A NUL-terminated copy of n bytes. */
SYNADB__UNUSED SYNADB_PRIVATE char *synadb__arena_dup(synadb__arena *a, const void *p, size_t n) {
    char *q = (char *)synadb__arena_alloc(a, n + 1);
    if (q) { if (n) memcpy(q, p, n); q[n] = 0; }
    return q;
}
/* Frees a chain of blocks (an arena's blk, possibly kept after the arena itself). */
SYNADB__UNUSED SYNADB_PRIVATE void synadb__arena_free_blocks(char *blk) {
    while (blk) {
        char *next;
        memcpy(&next, blk, sizeof next);
        SYNADB_FREE(blk);
        blk = next;
    }
}
SYNADB__UNUSED SYNADB_PRIVATE void synadb__arena_free(synadb__arena *a) {
    synadb__arena_free_blocks(a->blk);
    a->blk = NULL;
    a->used = a->cap = 0;
}

/* The reader: a whole document into a tree held in one arena. Strict RFC 8259: UTF-8
   input, no trailing commas, no comments, nesting to 256 levels. Errors name the byte
   offset ("expected ':' at byte 14"). */
enum { SYNADB__JNULL, SYNADB__JFALSE, SYNADB__JTRUE, SYNADB__JNUM, SYNADB__JSTR, SYNADB__JARR, SYNADB__JOBJ };
typedef struct synadb__jv {
    int type;                     /* SYNADB__J* */
    int is_int;                   /* JNUM written as an integer that fits int64: i is exact */
    int64_t i;
    double num;                   /* JNUM (also for integers) */
    const char *s;                /* JSTR: unescaped, NUL-terminated (s[n] == 0) */
    size_t n;
    const char *key;              /* member name when the parent is an object, else NULL */
    size_t klen;
    struct synadb__jv *kid;       /* JARR / JOBJ: nkid children, in document order */
    size_t nkid;
    struct synadb__jv *next;      /* (while parsing) */
} synadb__jv;
typedef struct synadb__jdoc {
    synadb__jv *root;
    synadb__arena a;              /* every node and string */
    char err[96];                 /* the syntax error */
    const char *p, *end, *start;  /* (while parsing) */
    int depth;
} synadb__jdoc;
SYNADB__UNUSED SYNADB_PRIVATE void synadb__jdoc_free(synadb__jdoc *d) {
    if (!d) return;
    synadb__arena_free(&d->a);
    d->root = NULL;
}
SYNADB__UNUSED SYNADB_PRIVATE int synadb__jfail(synadb__jdoc *d, const char *what) {
    snprintf(d->err, sizeof d->err, "%s at byte %llu", what, (unsigned long long)(d->p - d->start));
    return -1;
}
SYNADB__UNUSED SYNADB_PRIVATE void synadb__jws(synadb__jdoc *d) {
    while (d->p < d->end && (*d->p == ' ' || *d->p == '\t' || *d->p == '\n' || *d->p == '\r')) d->p++;
}
/* Parses a number in JSON's grammar, locale-independently. 0, or -1 if s[0..n) is not one. */
SYNADB__UNUSED SYNADB_PRIVATE int synadb__jparse_num(const char *s, size_t n, double *out) {
    char buf[352], *e;
    size_t i = 0, k;
    const char *dp = ".";
    if (i < n && s[i] == '-') i++;
    if (i >= n) return -1;
    if (s[i] == '0') i++;
    else if (s[i] >= '1' && s[i] <= '9') while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    else return -1;
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || s[i] < '0' || s[i] > '9') return -1;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= n || s[i] < '0' || s[i] > '9') return -1;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    }
    if (i != n || n >= sizeof buf - 8) return -1;
#if !defined(SYNADB_NO_LOCALE)
    { struct lconv *lc = localeconv(); if (lc && lc->decimal_point && *lc->decimal_point) dp = lc->decimal_point; }
#endif
    for (i = 0, k = 0; i < n; i++) {   /* strtod reads the locale's decimal point */
        if (s[i] == '.') { size_t m = strlen(dp); if (m > 4) m = 4; memcpy(buf + k, dp, m); k += m; }
        else buf[k++] = s[i];
    }
    buf[k] = 0;
    *out = strtod(buf, &e);
    return *e == 0 ? 0 : -1;
}
SYNADB_PRIVATE int synadb__jvalue(synadb__jdoc *d, synadb__jv *v);
SYNADB__UNUSED SYNADB_PRIVATE int synadb__jhex4(const char *p, uint32_t *out) {
    int i;
    *out = 0;
    for (i = 0; i < 4; i++) {
        char c = p[i];
        *out <<= 4;
        if (c >= '0' && c <= '9') *out |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f') *out |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') *out |= (uint32_t)(c - 'A' + 10);
        else return -1;
    }
    return 0;
}
/* A string at d->p (on its opening quote): unescaped into the arena. */
SYNADB__UNUSED SYNADB_PRIVATE int synadb__jstring(synadb__jdoc *d, const char **out, size_t *out_n) {
    const char *p = d->p + 1, *q;
    size_t cap = 0, n = 0;
    char *o;
    for (q = p; q < d->end && *q != '"'; q++) { if (*q == '\\') q++; cap++; }
    if (q >= d->end) return synadb__jfail(d, "unterminated string");
    if (!synadb__utf8_valid((const uint8_t *)p, (size_t)(q - p))) return synadb__jfail(d, "string is not valid UTF-8");
    o = (char *)synadb__arena_alloc(&d->a, (size_t)(q - p) + 1);   /* unescaping never lengthens */
    if (!o) return -2;
    while (p < q) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20) { d->p = p; return synadb__jfail(d, "control character in string"); }
        if (c != '\\') { o[n++] = (char)c; p++; continue; }
        p++;
        switch (*p) {
        case '"': o[n++] = '"'; p++; break;
        case '\\': o[n++] = '\\'; p++; break;
        case '/': o[n++] = '/'; p++; break;
        case 'b': o[n++] = '\b'; p++; break;
        case 'f': o[n++] = '\f'; p++; break;
        case 'n': o[n++] = '\n'; p++; break;
        case 'r': o[n++] = '\r'; p++; break;
        case 't': o[n++] = '\t'; p++; break;
        case 'u': {
            uint32_t u, lo;
            if (q - p < 5 || synadb__jhex4(p + 1, &u)) { d->p = p - 1; return synadb__jfail(d, "bad \\u escape"); }
            p += 5;
            if (u >= 0xD800 && u <= 0xDBFF) {
                if (q - p < 6 || p[0] != '\\' || p[1] != 'u' || synadb__jhex4(p + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                    d->p = p; return synadb__jfail(d, "unpaired surrogate in \\u escape");
                }
                p += 6;
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            } else if (u >= 0xDC00 && u <= 0xDFFF) { d->p = p - 6; return synadb__jfail(d, "unpaired surrogate in \\u escape"); }
            if (u < 0x80) o[n++] = (char)u;
            else if (u < 0x800) { o[n++] = (char)(0xC0 | (u >> 6)); o[n++] = (char)(0x80 | (u & 0x3F)); }
            else if (u < 0x10000) { o[n++] = (char)(0xE0 | (u >> 12)); o[n++] = (char)(0x80 | ((u >> 6) & 0x3F)); o[n++] = (char)(0x80 | (u & 0x3F)); }
            else { o[n++] = (char)(0xF0 | (u >> 18)); o[n++] = (char)(0x80 | ((u >> 12) & 0x3F)); o[n++] = (char)(0x80 | ((u >> 6) & 0x3F)); o[n++] = (char)(0x80 | (u & 0x3F)); }
            break;
        }
        default: d->p = p - 1; return synadb__jfail(d, "bad escape in string");
        }
    }
    (void)cap;
    o[n] = 0;
    *out = o; *out_n = n;
    d->p = q + 1;
    return 0;
}
SYNADB__UNUSED SYNADB_PRIVATE int synadb__jcontainer(synadb__jdoc *d, synadb__jv *v, int obj) {
    synadb__jv *head = NULL, **tail = &head, *c;
    size_t n = 0, i;
    int r;
    char close = obj ? '}' : ']';
    if (++d->depth > 256) return synadb__jfail(d, "nested too deeply");
    d->p++;
    synadb__jws(d);
    if (d->p < d->end && *d->p == close) d->p++;
    else for (;;) {
        const char *key = NULL;
        size_t klen = 0;
        synadb__jws(d);
        if (obj) {
            if (d->p >= d->end || *d->p != '"') return synadb__jfail(d, "expected a member name in quotes");
            if ((r = synadb__jstring(d, &key, &klen)) != 0) return r;
            synadb__jws(d);
            if (d->p >= d->end || *d->p != ':') return synadb__jfail(d, "expected ':'");
            d->p++;
        }
        c = (synadb__jv *)synadb__arena_alloc(&d->a, sizeof *c);
        if (!c) return -2;
        if ((r = synadb__jvalue(d, c)) != 0) return r;
        c->key = key; c->klen = klen;
        *tail = c; tail = &c->next; n++;
        synadb__jws(d);
        if (d->p < d->end && *d->p == ',') { d->p++; continue; }
        if (d->p < d->end && *d->p == close) { d->p++; break; }
        return synadb__jfail(d, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
    d->depth--;
    v->type = obj ? SYNADB__JOBJ : SYNADB__JARR;
    v->nkid = n;
    v->kid = n ? (synadb__jv *)synadb__arena_alloc(&d->a, n * sizeof *v->kid) : NULL;
    if (n && !v->kid) return -2;
    for (i = 0, c = head; c; c = c->next, i++) { v->kid[i] = *c; v->kid[i].next = NULL; }
    return 0;
}
SYNADB__UNUSED SYNADB_PRIVATE int synadb__jvalue(synadb__jdoc *d, synadb__jv *v) {
    memset(v, 0, sizeof *v);
    synadb__jws(d);
    if (d->p >= d->end) return synadb__jfail(d, "unexpected end of input");
    switch (*d->p) {
    case '{': return synadb__jcontainer(d, v, 1);
    case '[': return synadb__jcontainer(d, v, 0);
    case '"': v->type = SYNADB__JSTR; return synadb__jstring(d, &v->s, &v->n);
    case 't': if (d->end - d->p >= 4 && !memcmp(d->p, "true", 4)) { v->type = SYNADB__JTRUE; v->num = 1; d->p += 4; return 0; } break;
    case 'f': if (d->end - d->p >= 5 && !memcmp(d->p, "false", 5)) { v->type = SYNADB__JFALSE; d->p += 5; return 0; } break;
    case 'n': if (d->end - d->p >= 4 && !memcmp(d->p, "null", 4)) { v->type = SYNADB__JNULL; d->p += 4; return 0; } break;
    default: {
        const char *s = d->p;
        int integral = 1;
        while (d->p < d->end && (strchr("+-0123456789.eE", *d->p) != NULL)) { if (strchr(".eE", *d->p)) integral = 0; d->p++; }
        if (d->p == s || synadb__jparse_num(s, (size_t)(d->p - s), &v->num)) { d->p = s; return synadb__jfail(d, "invalid value"); }
        v->type = SYNADB__JNUM;
        if (integral) {   /* exact when it fits int64 */
            const char *t = s + (*s == '-');
            uint64_t u = 0, lim = *s == '-' ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
            int ok = 1;
            for (; t < d->p; t++) {
                if (u > (lim - (uint64_t)(*t - '0')) / 10) { ok = 0; break; }
                u = u * 10 + (uint64_t)(*t - '0');
            }
            if (ok) { v->is_int = 1; v->i = *s == '-' ? (int64_t)(0 - u) : (int64_t)u; }
        }
        return 0;
    }
    }
    return synadb__jfail(d, "invalid value");
}
/* One value from text[off..end) (nothing else but blanks after it): 0 ok (d->root), -1 syntax
   error (d->err, its byte offset counted from text; d->p stays where it stopped), -2 out of
   memory. Free with synadb__jdoc_free (nothing to free after a failure). */
SYNADB__UNUSED SYNADB_PRIVATE int synadb__jparse_range(const char *text, size_t off, size_t end, synadb__jdoc *d) {
    int r;
    memset(d, 0, sizeof *d);
    if (!text) return synadb__jfail(d, "no input");
    d->start = text; d->p = text + off; d->end = text + end;
    d->root = (synadb__jv *)synadb__arena_alloc(&d->a, sizeof *d->root);
    if (!d->root) return -2;
    r = synadb__jvalue(d, d->root);
    if (!r) { synadb__jws(d); if (d->p != d->end) r = synadb__jfail(d, "unexpected text after the value"); }
    if (r) { synadb__jdoc_free(d); if (r == -2) snprintf(d->err, sizeof d->err, "out of memory"); }
    return r;
}
SYNADB__UNUSED SYNADB_PRIVATE int synadb__jparse(const char *text, size_t len, synadb__jdoc *d) {
    return synadb__jparse_range(text, 0, len, d);
}
/* The member named key of an object (the last one if repeated), or NULL. */
SYNADB__UNUSED SYNADB_PRIVATE const synadb__jv *synadb__jget(const synadb__jv *obj, const char *key) {
    size_t i, n = strlen(key);
    const synadb__jv *hit = NULL;
    if (!obj || obj->type != SYNADB__JOBJ) return NULL;
    for (i = 0; i < obj->nkid; i++)
        if (obj->kid[i].klen == n && !memcmp(obj->kid[i].key, key, n)) hit = &obj->kid[i];
    return hit;
}

/* The writer. */
typedef struct synadb__json { char *p; size_t n, cap; int oom; } synadb__json;
SYNADB__UNUSED SYNADB_PRIVATE void synadb__jput(synadb__json *j, const char *s, size_t n) {
    if (j->oom) return;
    if (j->n + n + 1 > j->cap) {
        size_t nc = j->cap ? j->cap * 2 : 256;
        char *np;
        while (nc < j->n + n + 1) nc *= 2;
        np = (char *)SYNADB_REALLOC(j->p, nc);
        if (!np) { j->oom = 1; return; }
        j->p = np; j->cap = nc;
    }
    memcpy(j->p + j->n, s, n);
    j->n += n;
    j->p[j->n] = 0;
}
SYNADB__UNUSED SYNADB_PRIVATE void synadb__jlit(synadb__json *j, const char *s) { synadb__jput(j, s, strlen(s)); }
/* A JSON string: escapes quotes, backslashes and control characters; bytes that are not
   valid UTF-8 become \u00XX. */
SYNADB__UNUSED SYNADB_PRIVATE void synadb__jstr(synadb__json *j, const char *s, size_t n) {
    int utf8 = synadb__utf8_valid((const uint8_t *)s, n);
    size_t i, run = 0;
    char esc[8];
    synadb__jput(j, "\"", 1);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\' || c < 0x20 || (c >= 0x80 && !utf8)) {
            synadb__jput(j, s + run, i - run);
            run = i + 1;
            if (c == '"' || c == '\\') { esc[0] = '\\'; esc[1] = (char)c; synadb__jput(j, esc, 2); }
            else if (c == '\n') synadb__jput(j, "\\n", 2);
            else if (c == '\t') synadb__jput(j, "\\t", 2);
            else if (c == '\r') synadb__jput(j, "\\r", 2);
            else { snprintf(esc, sizeof esc, "\\u%04x", c); synadb__jput(j, esc, 6); }
        }
    }
    synadb__jput(j, s + run, n - run);
    synadb__jput(j, "\"", 1);
}
/* A number in the C locale's form whatever the process locale ('.' as the point). */
SYNADB__UNUSED SYNADB_PRIVATE void synadb__jfmt(char *b, size_t cap, const char *fmt, double v) {
    char *p;
    snprintf(b, cap, fmt, v);
    for (p = b; *p; p++) if (*p == ',') *p = '.';   /* a locale with a decimal comma */
}
/* A float32 score (9 significant digits); NaN and infinities become null. */
SYNADB__UNUSED SYNADB_PRIVATE void synadb__jnum(synadb__json *j, double v) {
    char b[40];
    if (v != v || v - v != 0) { synadb__jlit(j, "null"); return; }
    synadb__jfmt(b, sizeof b, "%.9g", v);
    synadb__jlit(j, b);
}
/* A double that reads back exactly (the shortest of 15..17 digits that round-trips);
   NaN and infinities become null (JSON has no spelling for them). */
SYNADB__UNUSED SYNADB_PRIVATE void synadb__jdbl(synadb__json *j, double v) {
    char b[40];
    int d;
    if (v != v || v - v != 0) { synadb__jlit(j, "null"); return; }
    for (d = 15; d <= 17; d++) {
        static const char *const fmts[3] = {"%.15g", "%.16g", "%.17g"};
        double back;
        synadb__jfmt(b, sizeof b, fmts[d - 15], v);
        if (synadb__jparse_num(b, strlen(b), &back) == 0 && back == v) break;
    }
    synadb__jlit(j, b);
}
SYNADB__UNUSED SYNADB_PRIVATE void synadb__jint(synadb__json *j, int64_t v) {
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)v);
    synadb__jlit(j, b);
}
SYNADB__UNUSED SYNADB_PRIVATE void synadb__juint(synadb__json *j, uint64_t v) {
    char b[24];
    snprintf(b, sizeof b, "%llu", (unsigned long long)v);
    synadb__jlit(j, b);
}

/* ======================================================================== >>kv.abiimpl */
#ifndef SYNADB_NO_COMPAT_ABI
typedef struct synadb__reg { char *path; synadb_db *db; int refs, closing; struct synadb__reg *next; } synadb__reg;
static synadb__reg *synadb__registry = NULL;
#if defined(SYNADB_NO_THREADS)
#  define synadb__reg_lock() ((void)0)
#  define synadb__reg_unlock() ((void)0)
#elif defined(_WIN32)
static SRWLOCK synadb__reg_mu = SRWLOCK_INIT;
#  define synadb__reg_lock() AcquireSRWLockExclusive(&synadb__reg_mu)
#  define synadb__reg_unlock() ReleaseSRWLockExclusive(&synadb__reg_mu)
#else
static pthread_mutex_t synadb__reg_mu = PTHREAD_MUTEX_INITIALIZER;
#  define synadb__reg_lock() pthread_mutex_lock(&synadb__reg_mu)
#  define synadb__reg_unlock() pthread_mutex_unlock(&synadb__reg_mu)
#endif

SYNADB_PRIVATE int32_t synadb__abi_rc(synadb_result r) { return r == SYNADB_OK ? 1 : (int32_t)r; }
SYNADB_PRIVATE synadb__reg *synadb__reg_find(const char *abs) {
    synadb__reg *e;
    for (e = synadb__registry; e; e = e->next) if (strcmp(e->path, abs) == 0) return e;
    return NULL;
}
/* Takes a reference to the open database at path; NULL with *rc set if not open. */
SYNADB_PRIVATE synadb__reg *synadb__acquire(const char *path, int32_t *rc) {
    char abs[4096];
    synadb__reg *e;
    if (!path || !*path) { *rc = SYNA_ERR_INVALID_PATH; return NULL; }
    if (synadb__abspath(path, abs, sizeof abs)) { *rc = SYNA_ERR_DB_NOT_FOUND; return NULL; } /* cannot be open */
    synadb__reg_lock();
    e = synadb__reg_find(abs);
    if (e) e->refs++;
    synadb__reg_unlock();
    if (!e) *rc = SYNA_ERR_DB_NOT_FOUND;
    return e;
}
SYNADB_PRIVATE void synadb__drop(synadb__reg *e) {
    int last;
    synadb__reg_lock();
    last = --e->refs == 0 && e->closing;
    synadb__reg_unlock();
    if (last) { synadb_close(e->db); SYNADB_FREE(e->path); SYNADB_FREE(e); }
}
#define SYNADB__ABI_KEY(key, ret) do { if (!(key)) return (ret); } while (0)

SYNADB_API int32_t syna_open_with_config(const char *path, int32_t sync_on_write) {
    char abs[4096];
    synadb__reg *e;
    synadb_config cfg = synadb_config_default();
    synadb_db *db = NULL;
    synadb_result r;
    if (!path || !*path || synadb__abspath(path, abs, sizeof abs)) return SYNA_ERR_INVALID_PATH;
    synadb__reg_lock();
    if (synadb__reg_find(abs)) { synadb__reg_unlock(); return SYNA_SUCCESS; }
    cfg.sync_on_write = sync_on_write != 0;
    r = synadb_open(abs, &cfg, &db);
    if (!r) {
        e = (synadb__reg *)SYNADB_MALLOC(sizeof *e);
        if (e) e->path = (char *)SYNADB_MALLOC(strlen(abs) + 1);
        if (!e || !e->path) {
            if (e) SYNADB_FREE(e);
            synadb_close(db);
            r = SYNADB_ERR_NO_MEMORY;
        } else {
            strcpy(e->path, abs);
            e->db = db; e->refs = 0; e->closing = 0;
            e->next = synadb__registry;
            synadb__registry = e;
        }
    }
    synadb__reg_unlock();
    return synadb__abi_rc(r);
}
SYNADB_API int32_t syna_open(const char *path) { return syna_open_with_config(path, 1); }
SYNADB_API int32_t syna_close(const char *path) {
    char abs[4096];
    synadb__reg *e, **pp;
    int now = 0;
    if (!path || !*path || synadb__abspath(path, abs, sizeof abs)) return SYNA_ERR_INVALID_PATH;
    synadb__reg_lock();
    for (pp = &synadb__registry; *pp && strcmp((*pp)->path, abs) != 0; pp = &(*pp)->next) {}
    e = *pp;
    if (e) { *pp = e->next; e->closing = 1; now = e->refs == 0; }
    synadb__reg_unlock();
    if (!e) return SYNA_ERR_DB_NOT_FOUND;
    if (now) {
        synadb_result r = synadb_close(e->db);
        SYNADB_FREE(e->path);
        SYNADB_FREE(e);
        return synadb__abi_rc(r);
    }
    return SYNA_SUCCESS;
}
SYNADB_API synadb_db *syna_handle(const char *path) {
    int32_t rc;
    synadb__reg *e = synadb__acquire(path, &rc);
    synadb_db *db;
    if (!e) return NULL;
    db = e->db;
    synadb__drop(e);
    return db;
}
SYNADB_PRIVATE int64_t synadb__abi_put(const char *path, const char *key, const synadb_value *v) {
    int32_t rc = 0;
    uint64_t off = 0;
    synadb_result r;
    synadb__reg *e;
    if (!key) return SYNA_ERR_INVALID_PATH;
    e = synadb__acquire(path, &rc);
    if (!e) return rc;
    r = synadb_put(e->db, key, SYNADB_NTS, v, &off);
    synadb__drop(e);
    return r ? (int64_t)r : (int64_t)off;
}
SYNADB_API int64_t syna_put_float(const char *path, const char *key, double value) {
    synadb_value v; memset(&v, 0, sizeof v); v.type = SYNADB_TYPE_FLOAT; v.f = value;
    return synadb__abi_put(path, key, &v);
}
SYNADB_API int64_t syna_put_int(const char *path, const char *key, int64_t value) {
    synadb_value v; memset(&v, 0, sizeof v); v.type = SYNADB_TYPE_INT; v.i = value;
    return synadb__abi_put(path, key, &v);
}
SYNADB_API int64_t syna_put_text(const char *path, const char *key, const char *value) {
    synadb_value v;
    if (!value) return SYNA_ERR_INVALID_PATH;
    memset(&v, 0, sizeof v); v.type = SYNADB_TYPE_TEXT; v.data = value; v.len = strlen(value);
    if (!synadb__utf8_valid((const uint8_t *)value, v.len)) return SYNA_ERR_INVALID_PATH;
    return synadb__abi_put(path, key, &v);
}
SYNADB_API int64_t syna_put_bytes(const char *path, const char *key, const uint8_t *data, size_t len) {
    synadb_value v;
    if (!data && len) return SYNA_ERR_INVALID_PATH;
    memset(&v, 0, sizeof v); v.type = SYNADB_TYPE_BYTES; v.data = data; v.len = len;
    return synadb__abi_put(path, key, &v);
}
SYNADB_API int64_t syna_put_vector(const char *path, const char *key, const float *data, uint16_t dimensions) {
    synadb_value v;
    if (!data || !dimensions) return SYNA_ERR_INVALID_PATH;
    memset(&v, 0, sizeof v); v.type = SYNADB_TYPE_VECTOR; v.data = data; v.dims = dimensions; v.len = (size_t)dimensions * 4;
    return synadb__abi_put(path, key, &v);
}
SYNADB_API int64_t syna_put_floats_batch(const char *path, const char *key, const double *values, size_t count) {
    int32_t rc = 0;
    synadb_result r;
    synadb__reg *e;
    if (!key || (!values && count)) return SYNA_ERR_INVALID_PATH;
    e = synadb__acquire(path, &rc);
    if (!e) return rc;
    r = synadb_put_floats_batch(e->db, key, SYNADB_NTS, values, count);
    synadb__drop(e);
    return r ? (int64_t)r : (int64_t)count;
}
SYNADB_API int32_t syna_get_float(const char *path, const char *key, double *out) {
    int32_t rc = 0;
    synadb_result r;
    synadb__reg *e;
    if (!key || !out) return SYNA_ERR_INVALID_PATH;
    e = synadb__acquire(path, &rc);
    if (!e) return rc;
    r = synadb_get_float(e->db, key, SYNADB_NTS, out);
    synadb__drop(e);
    return synadb__abi_rc(r);
}
SYNADB_API int32_t syna_get_int(const char *path, const char *key, int64_t *out) {
    int32_t rc = 0;
    synadb_result r;
    synadb__reg *e;
    if (!key || !out) return SYNA_ERR_INVALID_PATH;
    e = synadb__acquire(path, &rc);
    if (!e) return rc;
    r = synadb_get_int(e->db, key, SYNADB_NTS, out);
    synadb__drop(e);
    return synadb__abi_rc(r);
}
SYNADB_API double *syna_get_history_tensor(const char *path, const char *key, size_t *out_len) {
    int32_t rc = 0;
    double *p = NULL;
    size_t n = 0;
    synadb__reg *e;
    if (!key || !out_len) return NULL;
    *out_len = 0;
    e = synadb__acquire(path, &rc);
    if (!e) return NULL;
    if (synadb_history_floats(e->db, key, SYNADB_NTS, &p, &n) == SYNADB_OK) *out_len = n;
    synadb__drop(e);
    return p;
}
SYNADB_API void syna_free_tensor(double *ptr, size_t len) { (void)len; if (ptr) SYNADB_FREE(ptr); }
SYNADB_API int32_t syna_delete(const char *path, const char *key) {
    int32_t rc = 0;
    synadb_result r;
    synadb__reg *e;
    if (!key) return SYNA_ERR_INVALID_PATH;
    e = synadb__acquire(path, &rc);
    if (!e) return rc;
    r = synadb_delete(e->db, key, SYNADB_NTS);
    synadb__drop(e);
    return r == SYNADB_ERR_KEY_NOT_FOUND ? SYNA_SUCCESS : synadb__abi_rc(r);
}
SYNADB_API int32_t syna_exists(const char *path, const char *key) {
    int32_t rc = 0;
    int r;
    synadb__reg *e;
    if (!key) return SYNA_ERR_INVALID_PATH;
    e = synadb__acquire(path, &rc);
    if (!e) return rc;
    r = synadb_exists(e->db, key, SYNADB_NTS);
    synadb__drop(e);
    return r;
}
SYNADB_API int32_t syna_compact(const char *path) {
    int32_t rc = 0;
    synadb_result r;
    synadb__reg *e = synadb__acquire(path, &rc);
    if (!e) return rc;
    r = synadb_compact(e->db, 0);
    synadb__drop(e);
    return synadb__abi_rc(r);
}
SYNADB_API char **syna_keys(const char *path, size_t *out_len) {
    int32_t rc = 0;
    synadb_keylist l;
    char **keys = NULL;
    synadb__reg *e;
    if (!out_len) return NULL;
    *out_len = 0;
    e = synadb__acquire(path, &rc);
    if (!e) return NULL;
    if (synadb_keys(e->db, NULL, 0, &l) == SYNADB_OK) {
        if (l.count) { keys = l.keys; *out_len = l.count; l.keys = NULL; l.count = 0; }
        synadb_keylist_free(e->db, &l);
    }
    synadb__drop(e);
    return keys;
}
SYNADB_API void syna_free_keys(char **keys, size_t len) {
    size_t i;
    if (!keys) return;
    for (i = 0; i < len; i++) SYNADB_FREE(keys[i]);
    SYNADB_FREE(keys);
}
SYNADB_API char *syna_get_text(const char *path, const char *key, size_t *out_len) {
    int32_t rc = 0;
    char *p = NULL;
    size_t n = 0;
    synadb__reg *e;
    if (!key || !out_len) return NULL;
    *out_len = 0;
    e = synadb__acquire(path, &rc);
    if (!e) return NULL;
    if (synadb_get_text(e->db, key, SYNADB_NTS, &p, &n) == SYNADB_OK) *out_len = n;
    synadb__drop(e);
    return p;
}
SYNADB_API void syna_free_text(char *ptr, size_t len) { (void)len; if (ptr) SYNADB_FREE(ptr); }
SYNADB_API void syna_free_json(char *json) { if (json) SYNADB_FREE(json); }   /* JSON from the vector and ML exports */
SYNADB_API uint8_t *syna_get_bytes(const char *path, const char *key, size_t *out_len) {
    int32_t rc = 0;
    void *p = NULL;
    size_t n = 0;
    synadb__reg *e;
    if (!key || !out_len) return NULL;
    *out_len = 0;
    e = synadb__acquire(path, &rc);
    if (!e) return NULL;
    if (synadb_get_bytes(e->db, key, SYNADB_NTS, &p, &n) == SYNADB_OK) *out_len = n;
    synadb__drop(e);
    return (uint8_t *)p;
}
SYNADB_API void syna_free_bytes(uint8_t *ptr, size_t len) { (void)len; if (ptr) SYNADB_FREE(ptr); }
SYNADB_API int32_t syna_get_vector(const char *path, const char *key, float **out_data, uint16_t *out_dimensions) {
    int32_t rc = 0;
    float *p = NULL;
    uint32_t dims = 0;
    synadb_result r;
    synadb__reg *e;
    if (out_data) *out_data = NULL;
    if (out_dimensions) *out_dimensions = 0;
    if (!key || !out_data || !out_dimensions) return SYNA_ERR_INVALID_PATH;
    e = synadb__acquire(path, &rc);
    if (!e) return rc;
    r = synadb_get_vector(e->db, key, SYNADB_NTS, &p, &dims);
    synadb__drop(e);
    if (!r) { *out_data = p; *out_dimensions = (uint16_t)dims; }
    return synadb__abi_rc(r);
}
SYNADB_API void syna_free_vector(float *data, uint16_t dimensions) { (void)dimensions; if (data) SYNADB_FREE(data); }

/* The upper-case names of the original's shared library. */
#define SYNADB__X(ret, name, params, args, RET) SYNADB_API ret SYNA_##name params { RET syna_##name args; }
SYNADB__ABI_FUNCS(SYNADB__X)
#undef SYNADB__X
#endif /* SYNADB_NO_COMPAT_ABI */

#endif /* SYNADB_IMPLEMENTATION_INCLUDED */
#endif /* SYNADB_IMPLEMENTATION */

/*
MIT License

Copyright (c) 2026 the SynaDB for C authors

Permission is hereby granted, free of charge, to any person obtaining a copy of this
software and associated documentation files (the "Software"), to deal in the Software
without restriction, including without limitation the rights to use, copy, modify, merge,
publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons
to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE
FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
DEALINGS IN THE SOFTWARE.
*/
