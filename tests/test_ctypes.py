"""test_ctypes.py - the original SynaDB Python package's way of loading the library: ctypes
on build/libsynadb.so with the upper-case SYNA_* names and its argument types.
Run with /usr/bin/python3 tests/test_ctypes.py build/libsynadb.so; last line "N passed, M failed"."""
import ctypes, json, os, sys, tempfile
from ctypes import c_char_p, c_double, c_int64, c_int32, c_size_t, c_uint16, c_float, POINTER, byref

lib = ctypes.CDLL(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/libsynadb.so"))
sig = {
    "SYNA_open": ([c_char_p], c_int32), "SYNA_open_with_config": ([c_char_p, c_int32], c_int32),
    "SYNA_close": ([c_char_p], c_int32),
    "SYNA_put_float": ([c_char_p, c_char_p, c_double], c_int64), "SYNA_put_int": ([c_char_p, c_char_p, c_int64], c_int64),
    "SYNA_put_text": ([c_char_p, c_char_p, c_char_p], c_int64),
    "SYNA_put_bytes": ([c_char_p, c_char_p, POINTER(ctypes.c_uint8), c_size_t], c_int64),
    "SYNA_put_floats_batch": ([c_char_p, c_char_p, POINTER(c_double), c_size_t], c_int64),
    "SYNA_get_float": ([c_char_p, c_char_p, POINTER(c_double)], c_int32),
    "SYNA_get_int": ([c_char_p, c_char_p, POINTER(c_int64)], c_int32),
    "SYNA_get_history_tensor": ([c_char_p, c_char_p, POINTER(c_size_t)], POINTER(c_double)),
    "SYNA_free_tensor": ([POINTER(c_double), c_size_t], None),
    "SYNA_delete": ([c_char_p, c_char_p], c_int32), "SYNA_exists": ([c_char_p, c_char_p], c_int32),
    "SYNA_compact": ([c_char_p], c_int32),
    "SYNA_keys": ([c_char_p, POINTER(c_size_t)], POINTER(c_char_p)), "SYNA_free_keys": ([POINTER(c_char_p), c_size_t], None),
    "SYNA_get_text": ([c_char_p, c_char_p, POINTER(c_size_t)], ctypes.c_void_p),
    "SYNA_free_text": ([ctypes.c_void_p, c_size_t], None),
    "SYNA_get_bytes": ([c_char_p, c_char_p, POINTER(c_size_t)], POINTER(ctypes.c_uint8)),
    "SYNA_free_bytes": ([POINTER(ctypes.c_uint8), c_size_t], None),
    "SYNA_put_vector": ([c_char_p, c_char_p, POINTER(c_float), c_uint16], c_int64),
    "SYNA_get_vector": ([c_char_p, c_char_p, POINTER(POINTER(c_float)), POINTER(c_uint16)], c_int32),
    "SYNA_free_vector": ([POINTER(c_float), c_uint16], None),
    # the vector exports, as the original vector.py / mmap_vector.py declare them
    "SYNA_vector_store_new_with_config": ([c_char_p, c_uint16, c_int32, c_int32], c_int32),
    "SYNA_vector_store_insert": ([c_char_p, c_char_p, POINTER(c_float), c_uint16], c_int32),
    "SYNA_vector_store_insert_batch": ([c_char_p, POINTER(c_char_p), POINTER(c_float), c_uint16, c_size_t], c_int32),
    "SYNA_vector_store_search": ([c_char_p, POINTER(c_float), c_uint16, c_size_t, POINTER(ctypes.c_void_p)], c_int32),
    "SYNA_vector_store_build_index": ([c_char_p], c_int32), "SYNA_vector_store_has_index": ([c_char_p], c_int32),
    "SYNA_vector_store_flush": ([c_char_p], c_int32), "SYNA_vector_store_close": ([c_char_p], c_int32),
    "SYNA_free_json": ([ctypes.c_void_p], None),
    "SYNA_mmap_vector_store_new": ([c_char_p, c_uint16, c_int32, c_size_t], c_int32),
    "SYNA_mmap_vector_store_insert_batch": ([c_char_p, POINTER(c_char_p), POINTER(c_float), c_uint16, c_size_t], c_int32),
    "SYNA_mmap_vector_store_search": ([c_char_p, POINTER(c_float), c_uint16, c_size_t, POINTER(ctypes.c_void_p), POINTER(c_size_t)], c_int32),
    "SYNA_mmap_vector_store_len": ([c_char_p], c_int64), "SYNA_mmap_vector_store_close": ([c_char_p], c_int32),
    # gwi.py, cascade.py and sparse_vector_store.py of the original
    "SYNA_gwi_new": ([c_char_p, c_uint16, c_uint16, ctypes.c_uint8, c_size_t], c_int32),
    "SYNA_gwi_open": ([c_char_p], c_int32),
    "SYNA_gwi_initialize": ([c_char_p, POINTER(c_float), c_size_t, c_uint16], c_int32),
    "SYNA_gwi_insert": ([c_char_p, c_char_p, POINTER(c_float), c_uint16], c_int32),
    "SYNA_gwi_insert_batch": ([c_char_p, POINTER(c_char_p), POINTER(c_float), c_uint16, c_size_t], c_int32),
    "SYNA_gwi_search_nprobe": ([c_char_p, POINTER(c_float), c_uint16, c_size_t, c_size_t, POINTER(ctypes.c_void_p)], c_int32),
    "SYNA_gwi_flush": ([c_char_p], c_int32), "SYNA_gwi_close": ([c_char_p], c_int32), "SYNA_gwi_len": ([c_char_p], c_int64),
    "SYNA_cascade_new": ([c_char_p, c_uint16], c_int32),
    "SYNA_cascade_insert": ([c_char_p, c_char_p, POINTER(c_float), c_uint16], c_int32),
    "SYNA_cascade_insert_batch": ([c_char_p, POINTER(c_char_p), POINTER(c_float), c_uint16, c_size_t], c_int32),
    "SYNA_cascade_search_params": ([c_char_p, POINTER(c_float), c_uint16, c_size_t, c_size_t, c_size_t, POINTER(ctypes.c_void_p)], c_int32),
    "SYNA_cascade_flush": ([c_char_p], c_int32), "SYNA_cascade_close": ([c_char_p], c_int32), "SYNA_cascade_len": ([c_char_p], c_int64),
    "svs_new": ([c_char_p], c_int32), "svs_close": ([c_char_p], c_int32),
    "svs_index": ([c_char_p, c_char_p, POINTER(ctypes.c_uint32), POINTER(c_float), ctypes.c_uint32], c_int64),
    "svs_search": ([c_char_p, POINTER(ctypes.c_uint32), POINTER(c_float), ctypes.c_uint32, ctypes.c_uint32,
                    POINTER(ctypes.c_void_p), POINTER(c_float), POINTER(ctypes.c_uint32)], c_int32),
    "svs_free_key": ([ctypes.c_void_p], None), "svs_len": ([c_char_p], c_int64), "svs_delete": ([c_char_p, c_char_p], c_int32),
}
for name, (args, res) in sig.items():
    f = getattr(lib, name)
    f.argtypes, f.restype = args, res

passed = failed = 0
def check(cond, what):
    global passed, failed
    if cond: passed += 1
    else:
        failed += 1
        print("FAIL:", what, file=sys.stderr)

d = tempfile.mkdtemp()
p = os.path.join(d, "py.db").encode()
check(lib.SYNA_open_with_config(p, 0) == 1, "open")
check(lib.SYNA_put_float(p, b"temperature", 23.5) > 0, "put_float offset > 0")
lib.SYNA_put_float(p, b"temperature", 24.1)
check(lib.SYNA_put_int(p, b"count", 42) > 0, "put_int")
check(lib.SYNA_put_text(p, b"name", "sensor-\u00e9".encode()) > 0, "put_text")
raw = (ctypes.c_uint8 * 3)(1, 2, 3)
check(lib.SYNA_put_bytes(p, b"raw", raw, 3) > 0, "put_bytes")
arr = (c_double * 4)(1.0, 2.0, 3.0, 4.5)
check(lib.SYNA_put_floats_batch(p, b"series", arr, 4) == 4, "put_floats_batch")
v = c_double()
check(lib.SYNA_get_float(p, b"temperature", byref(v)) == 1 and v.value == 24.1, "get_float")
check(lib.SYNA_get_float(p, b"count", byref(v)) == -6, "type mismatch -6")
check(lib.SYNA_get_float(p, b"nope", byref(v)) == -5, "not found -5")
iv = c_int64()
check(lib.SYNA_get_int(p, b"count", byref(iv)) == 1 and iv.value == 42, "get_int")
n = c_size_t()
ptr = lib.SYNA_get_history_tensor(p, b"temperature", byref(n))
check(bool(ptr) and n.value == 2 and [ptr[i] for i in range(2)] == [23.5, 24.1], "history")
lib.SYNA_free_tensor(ptr, n)
ptr = lib.SYNA_get_history_tensor(p, b"series", byref(n))
check(bool(ptr) and [ptr[i] for i in range(n.value)] == [1.0, 2.0, 3.0, 4.5], "batch history")
lib.SYNA_free_tensor(ptr, n)
t = lib.SYNA_get_text(p, b"name", byref(n))
check(bool(t) and ctypes.string_at(t, n.value).decode() == "sensor-\u00e9", "get_text utf-8")
lib.SYNA_free_text(t, n)
b = lib.SYNA_get_bytes(p, b"raw", byref(n))
check(bool(b) and n.value == 3 and b[2] == 3, "get_bytes")
lib.SYNA_free_bytes(b, n)
vec = (c_float * 3)(0.5, 1.5, 2.5)
check(lib.SYNA_put_vector(p, b"vec", vec, 3) > 0, "put_vector")
out = POINTER(c_float)(); dims = c_uint16()
check(lib.SYNA_get_vector(p, b"vec", byref(out), byref(dims)) == 1 and dims.value == 3 and out[1] == 1.5, "get_vector")
lib.SYNA_free_vector(out, dims)
check(lib.SYNA_exists(p, b"count") == 1, "exists")
check(lib.SYNA_delete(p, b"count") == 1 and lib.SYNA_exists(p, b"count") == 0, "delete")
keys = lib.SYNA_keys(p, byref(n))
names = sorted(keys[i].decode() for i in range(n.value))
check(names == ["name", "raw", "series", "temperature", "vec"], "keys %r" % names)
lib.SYNA_free_keys(keys, n)
check(lib.SYNA_compact(p) == 1, "compact")
check(lib.SYNA_close(p) == 1, "close")
check(lib.SYNA_open(p) == 1 and lib.SYNA_get_float(p, b"temperature", byref(v)) == 1 and v.value == 24.1, "reopen")
check(lib.SYNA_close(p) == 1, "close 2")
check(lib.SYNA_close(p) == -1, "close of a closed db: -1")
check(lib.SYNA_put_float(b"/nonexistent/x.db", b"k", 1.0) == -1, "not open: -1")
os.remove(p.decode())

# ---- vector stores through the same library ----
def vec(i, dims):
    return (c_float * dims)(*[((i * 7919 + j * 104729) % 1000) / 1000.0 - 0.5 for j in range(dims)])
def take_json(ptr):
    text = ctypes.string_at(ptr.value).decode()
    lib.SYNA_free_json(ptr)
    return json.loads(text)
vp = os.path.join(d, "vec.db").encode()
check(lib.SYNA_vector_store_new_with_config(vp, 64, 1, 0) == 1, "vector_store_new")
for i in range(30):
    check(lib.SYNA_vector_store_insert(vp, b"doc-%d" % i, vec(i, 64), 64) == 1, "vector insert %d" % i)
keys = (c_char_p * 20)(*[b"doc-%d" % (i + 20) for i in range(20)])
flat = (c_float * (20 * 64))(*[x for i in range(20) for x in vec(i + 20, 64)])
check(lib.SYNA_vector_store_insert_batch(vp, keys, flat, 64, 20) == 10, "insert_batch counts new keys")
out = ctypes.c_void_p()
check(lib.SYNA_vector_store_search(vp, vec(33, 64), 64, 3, byref(out)) == 3, "vector search")
hits = take_json(out)
check(len(hits) == 3 and hits[0]["key"] == "doc-33" and hits[0]["score"] < 1e-4 and len(hits[0]["vector"]) == 64, "search JSON %r" % hits[:1])
check(lib.SYNA_vector_store_insert(vp, b"x", vec(1, 64), 32) == -60, "wrong dims: -60")
check(lib.SYNA_vector_store_build_index(vp) == 1 and lib.SYNA_vector_store_has_index(vp) == 1, "build_index")
check(lib.SYNA_vector_store_flush(vp) == 1 and lib.SYNA_vector_store_close(vp) == 1, "flush, close")
mp = os.path.join(d, "vec.mmvs").encode()
check(lib.SYNA_mmap_vector_store_new(mp, 64, 1, 16) == 1, "mmap_vector_store_new")
check(lib.SYNA_mmap_vector_store_insert_batch(mp, keys, flat, 64, 20) == 20, "mmap insert_batch")
ln = c_size_t()
check(lib.SYNA_mmap_vector_store_search(mp, vec(25, 64), 64, 2, byref(out), byref(ln)) == 2, "mmap search")
text = ctypes.string_at(out.value).decode()
check(len(text) == ln.value, "out_len is the JSON length")
hits = take_json(out)
check(hits[0]["key"] == "doc-25" and set(hits[0]) == {"key", "score"}, "mmap JSON %r" % hits[:1])
check(lib.SYNA_mmap_vector_store_len(mp) == 20 and lib.SYNA_mmap_vector_store_close(mp) == 1, "mmap len, close")

# ---- Gravity Well Index ----
gp = os.path.join(d, "g.gwi").encode()
check(lib.SYNA_gwi_new(gp, 64, 4, 2, 0) == 1, "gwi_new")
check(lib.SYNA_gwi_insert(gp, b"early", vec(1, 64), 64) == -64, "gwi insert before initialize: -64")
check(lib.SYNA_gwi_initialize(gp, flat, 20, 64) == 1, "gwi_initialize")
check(lib.SYNA_gwi_insert_batch(gp, keys, flat, 64, 20) == 20, "gwi insert_batch count")
check(lib.SYNA_gwi_insert(gp, b"extra", vec(99, 64), 64) == 1 and lib.SYNA_gwi_len(gp) == 21, "gwi insert, len")
check(lib.SYNA_gwi_search_nprobe(gp, vec(27, 64), 64, 3, 16, byref(out)) == 3, "gwi search count")
hits = take_json(out)
check(hits[0]["key"] == "doc-27" and set(hits[0]) == {"key", "score"}, "gwi JSON %r" % hits[:1])
check(lib.SYNA_gwi_insert(gp, b"x", vec(1, 64), 32) == -60, "gwi wrong dims: -60")
check(lib.SYNA_gwi_flush(gp) == 1 and lib.SYNA_gwi_close(gp) == 1, "gwi flush, close")
check(lib.SYNA_gwi_open(gp) == 1 and lib.SYNA_gwi_len(gp) == 21 and lib.SYNA_gwi_close(gp) == 1, "gwi reopen")

# ---- Cascade index ----
cp = os.path.join(d, "c.casc").encode()
check(lib.SYNA_cascade_new(cp, 64) == 1, "cascade_new")
check(lib.SYNA_cascade_insert_batch(cp, keys, flat, 64, 20) == 20, "cascade insert_batch count")
check(lib.SYNA_cascade_insert(cp, b"extra", vec(99, 64), 64) == 1 and lib.SYNA_cascade_len(cp) == 21, "cascade insert, len")
check(lib.SYNA_cascade_search_params(cp, vec(31, 64), 64, 4, 0, 0, byref(out)) == 4, "cascade search count")
hits = take_json(out)
check(hits[0]["key"] == "doc-31" and hits[0]["score"] < 1e-4 and set(hits[0]) == {"key", "score"}, "cascade JSON %r" % hits[:1])
check(lib.SYNA_cascade_insert(cp, b"", vec(1, 64), 64) == -7, "cascade empty key: -7")
check(lib.SYNA_cascade_flush(cp) == 1 and lib.SYNA_cascade_close(cp) == 1, "cascade flush, close")
check(lib.SYNA_cascade_new(cp, 0) == 1 and lib.SYNA_cascade_len(cp) == 21 and lib.SYNA_cascade_close(cp) == 1, "cascade reopen")
check(lib.SYNA_cascade_len(cp) == -1, "cascade len when closed: -1")

# ---- sparse store (names are registry ids; keys come back malloc'ed, freed with svs_free_key) ----
sp = b"sparse-test"
check(lib.svs_new(sp) == 1, "svs_new")
docs = {b"apple": {1: 2.0, 7: 1.0}, b"pear": {1: 0.5, 9: 3.0}, b"plum": {7: 4.0}}
for k, tw in docs.items():
    terms = (ctypes.c_uint32 * len(tw))(*tw.keys()); ws = (c_float * len(tw))(*tw.values())
    check(lib.svs_index(sp, k, terms, ws, len(tw)) >= 0, "svs_index %r" % k)
check(lib.svs_len(sp) == 3, "svs_len")
qt = (ctypes.c_uint32 * 2)(1, 7); qw = (c_float * 2)(1.0, 1.0)
okeys = (ctypes.c_void_p * 3)(); oscores = (c_float * 3)(); ocount = ctypes.c_uint32()
check(lib.svs_search(sp, qt, qw, 2, 3, okeys, oscores, byref(ocount)) == 1 and ocount.value == 3, "svs_search")
got = []
for i in range(ocount.value):
    got.append((ctypes.string_at(okeys[i]).decode(), oscores[i]))
    lib.svs_free_key(okeys[i])
check([g[0] for g in got] == ["plum", "apple", "pear"] and abs(got[0][1] - 4.0) < 1e-6 and abs(got[1][1] - 3.0) < 1e-6, "svs results %r" % got)
check(lib.svs_delete(sp, b"plum") == 1 and lib.svs_len(sp) == 2, "svs_delete")
check(lib.svs_close(sp) == 1, "svs_close")

for f in os.listdir(d): os.remove(os.path.join(d, f))
os.rmdir(d)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
