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
SYNADB__TARGET_SHA SYNADB_PRIVATE void synadb__sha256_blocks_shani(uint32_t h[8], const uint8_t *p, size_t nblocks) {
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i st0, st1, t, w[4];
    int g;
    /* h[0..3] = A B C D and h[4..7] = E F G H into the instructions' ABEF / CDGH lanes */
    t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)h), 0xB1);        /* C D A B */
    st1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)(h + 4)), 0x1B); /* E F G H */
    st0 = _mm_alignr_epi8(t, st1, 8);                                                       /* A B E F */
    st1 = _mm_blend_epi16(st1, t, 0xF0);                                                    /* C D G H */
    while (nblocks--) {
        __m128i abef = st0, cdgh = st1;
        for (g = 0; g < 4; g++) {
            w[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * g)), bswap);
            SYNADB__SHA_ROUNDS4(w[g], 4 * g);
        }
        for (g = 4; g < 16; g++) {   /* w[g&3] holds words 4(g-4).. and becomes words 4g.. */
            __m128i x = _mm_sha256msg1_epu32(w[g & 3], w[(g - 3) & 3]);
            x = _mm_add_epi32(x, _mm_alignr_epi8(w[(g - 1) & 3], w[(g - 2) & 3], 4));
            w[g & 3] = _mm_sha256msg2_epu32(x, w[(g - 1) & 3]);
            SYNADB__SHA_ROUNDS4(w[g & 3], 4 * g);
        }
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
