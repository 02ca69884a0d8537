"""test_ctypes_ml.py - the synadb_ml.h exports through ctypes and numpy, as another language
uses them: tensors, the model registry, the experiment tracker, the RL collector and
import/export, on build/libsynadb.so with the upper-case SYNA_* names.
Run with /usr/bin/python3 tests/test_ctypes_ml.py build/libsynadb.so; last line "N passed, M failed"."""
import ctypes, json, os, sys, tempfile
from ctypes import (c_char_p, c_double, c_int64, c_int32, c_uint32, c_uint64, c_size_t, c_float, c_void_p,
                    POINTER, byref)
import numpy as np

lib = ctypes.CDLL(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/libsynadb.so"))
P = c_char_p
sig = {
    "SYNA_open": ([P], c_int32), "SYNA_close": ([P], c_int32),
    "SYNA_put_float": ([P, P, c_double], c_int64),
    "SYNA_free_json": ([c_void_p], None), "SYNA_free_text": ([c_void_p, c_size_t], None),
    "SYNA_free_bytes": ([c_void_p, c_size_t], None), "SYNA_free_tensor": ([c_void_p, c_size_t], None),
    "SYNA_tensor_put": ([P, P, c_void_p, c_size_t, c_int32], c_int64),
    "SYNA_tensor_put_shaped": ([P, P, c_void_p, c_size_t, c_int32, POINTER(c_uint64), c_uint32], c_int64),
    "SYNA_tensor_get": ([P, P, c_int32, POINTER(c_void_p), POINTER(c_size_t)], c_int32),
    "SYNA_tensor_get_shape": ([P, P, c_int32, POINTER(c_void_p), POINTER(c_size_t), POINTER(c_uint64), POINTER(c_uint32)], c_int32),
    "SYNA_tensor_put_chunked": ([P, P, c_void_p, c_size_t, c_int32, POINTER(c_uint64), c_uint32, c_uint64], c_int32),
    "SYNA_tensor_get_chunked": ([P, P, c_int32, POINTER(c_void_p), POINTER(c_size_t), POINTER(c_uint64), POINTER(c_uint32)], c_int32),
    "SYNA_tensor_delete": ([P, P], c_int64),
    "SYNA_free_tensor_data": ([c_void_p, c_size_t, c_int32], None),
    "SYNA_model_registry_open": ([P], c_int32), "SYNA_model_registry_close": ([P], c_int32),
    "SYNA_model_save": ([P, P, c_void_p, c_size_t, P, POINTER(c_uint32), POINTER(c_void_p), POINTER(c_size_t)], c_int64),
    "SYNA_model_load": ([P, P, c_uint32, POINTER(c_void_p), POINTER(c_size_t), POINTER(c_void_p), POINTER(c_size_t)], c_int32),
    "SYNA_model_list": ([P, P, POINTER(c_void_p), POINTER(c_size_t)], c_int32),
    "SYNA_model_set_stage": ([P, P, c_uint32, c_int32], c_int32),
    "SYNA_model_set_alias": ([P, P, P, c_uint32], c_int32),
    "SYNA_model_get_alias": ([P, P, P, POINTER(c_uint32)], c_int32),
    "SYNA_exp_collector_open": ([P, P], c_int32), "SYNA_exp_collector_close": ([P], c_int32),
    "SYNA_exp_collector_log_transition": ([P, P, POINTER(c_float), c_size_t, c_int64, POINTER(c_float), c_size_t, c_double,
                                           POINTER(c_float), c_size_t, c_int32, P], c_int32),
    "SYNA_exp_collector_get_rewards": ([P, P, POINTER(c_void_p), POINTER(c_size_t)], c_int64),
    "SYNA_exp_collector_count": ([P, P], c_int64),
    "SYNA_export_jsonl": ([P, P, P], c_int64), "SYNA_import_jsonl": ([P, P, P], c_int64),
    "SYNA_exp_tracker_open": ([P], c_int32), "SYNA_exp_tracker_close": ([P], c_int32),
    "SYNA_exp_start_run": ([P, P, P, POINTER(c_void_p), POINTER(c_size_t)], c_int32),
    "SYNA_exp_log_param": ([P, P, P, P], c_int32),
    "SYNA_exp_log_metric": ([P, P, P, c_double, c_int64], c_int32),
    "SYNA_exp_log_artifact": ([P, P, P, c_void_p, c_size_t], c_int32),
    "SYNA_exp_end_run": ([P, P, c_int32], c_int32),
    "SYNA_exp_get_run": ([P, P, POINTER(c_void_p), POINTER(c_size_t)], c_int32),
    "SYNA_exp_get_metric": ([P, P, P, POINTER(c_void_p), POINTER(c_void_p), POINTER(c_size_t)], c_int32),
    "SYNA_exp_query": ([P, P, P, c_int64, POINTER(c_void_p), POINTER(c_size_t)], c_int32),
    "SYNA_exp_errmsg": ([P, ctypes.c_char_p, c_size_t], c_int32),
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

def take_json(ptr):
    text = ctypes.string_at(ptr.value).decode()
    lib.SYNA_free_json(ptr)
    return json.loads(text)

d = tempfile.mkdtemp()
F32, F64, I32, I64 = 0, 1, 2, 3

# ---- tensors: numpy in, numpy out ----
p = os.path.join(d, "t.db").encode()
check(lib.SYNA_open(p) == 1, "open")
x = np.random.default_rng(7).standard_normal((50, 3, 4)).astype(np.float32)
shape = (c_uint64 * 3)(*x.shape)
check(lib.SYNA_tensor_put_shaped(p, b"train/", x.ctypes.data, x.nbytes, F32, shape, 3) == x.size, "put_shaped count")
out, n, oshape, rank = c_void_p(), c_size_t(), (c_uint64 * 32)(), c_uint32()
check(lib.SYNA_tensor_get_shape(p, b"train/*", F32, byref(out), byref(n), oshape, byref(rank)) == 1, "get_shape")
y = np.frombuffer((ctypes.c_char * n.value).from_address(out.value), np.float32).reshape(tuple(oshape[:rank.value])).copy()
lib.SYNA_free_tensor_data(out, n, F32)
check(y.shape == x.shape and np.array_equal(x, y), "rank-3 round trip %r" % (y.shape,))
check(lib.SYNA_tensor_get(p, b"train/*", F64, byref(out), byref(n)) == 1 and n.value == x.size * 8, "float64 conversion size")
z = np.frombuffer((ctypes.c_char * n.value).from_address(out.value), np.float64).copy()
lib.SYNA_free_tensor_data(out, n, F64)
check(np.array_equal(z, x.astype(np.float64).ravel()), "float32 -> float64 exact")
ints = np.arange(-5, 5, dtype=np.int64)
check(lib.SYNA_tensor_put(p, b"ints/", ints.ctypes.data, ints.nbytes, I64) == 10, "tensor_put int64")
check(lib.SYNA_tensor_get(p, b"ints/*", I32, byref(out), byref(n)) == 1 and n.value == 40, "int64 -> int32")
check(list(np.frombuffer((ctypes.c_char * n.value).from_address(out.value), np.int32)) == list(range(-5, 5)), "int values")
lib.SYNA_free_tensor_data(out, n, I32)
for i in range(4):
    lib.SYNA_put_float(p, b"sensor/%04d" % i, 20.0 + i)   # values written one by one load as a tensor
check(lib.SYNA_tensor_get(p, b"sensor/*", F32, byref(out), byref(n)) == 1 and n.value == 16, "core floats as a tensor")
check(list(np.frombuffer((ctypes.c_char * n.value).from_address(out.value), np.float32)) == [20.0, 21.0, 22.0, 23.0], "core float values")
lib.SYNA_free_tensor_data(out, n, F32)
big = np.random.default_rng(8).integers(0, 255, (1000, 64)).astype(np.uint8)
bshape = (c_uint64 * 2)(*big.shape)
check(lib.SYNA_tensor_put_chunked(p, b"big", big.ctypes.data, big.nbytes, 6, bshape, 2, 100) == 1, "put_chunked uint8")
check(lib.SYNA_tensor_get_chunked(p, b"big", 6, byref(out), byref(n), oshape, byref(rank)) == 1 and rank.value == 2, "get_chunked")
check(np.array_equal(np.frombuffer((ctypes.c_char * n.value).from_address(out.value), np.uint8).reshape(1000, 64), big), "chunked round trip")
lib.SYNA_free_tensor_data(out, n, 6)
check(lib.SYNA_tensor_put(p, b"bad/", x.ctypes.data, 7, F32) == -70, "length not a whole number of elements: -70")
check(lib.SYNA_tensor_get(p, b"nothing/*", F32, byref(out), byref(n)) == -5, "nothing matches: -5")
check(lib.SYNA_tensor_get(p, b"train/*", 99, byref(out), byref(n)) == -71, "unknown dtype: -71")
check(lib.SYNA_tensor_delete(p, b"ints/*") == 10, "tensor_delete count")
check(lib.SYNA_tensor_get(b"/nonexistent/x.db", b"*", F32, byref(out), byref(n)) == -1, "not open: -1")

# ---- export / import of the same database (JSONL: every type, NaN and infinities) ----
lib.SYNA_put_float(p, b"special/nan", float("nan"))
lib.SYNA_put_float(p, b"special/inf", float("-inf"))
ef = os.path.join(d, "dump.jsonl").encode()
check(lib.SYNA_export_jsonl(p, b"special/*", ef) == 2, "export_jsonl count")
lines = [json.loads(l) for l in open(ef.decode(), encoding="utf-8")]
check({l["key"] for l in lines} == {"special/nan", "special/inf"}, "export keys %r" % lines)
check(lib.SYNA_import_jsonl(p, ef, b"copy/") == 2, "import_jsonl with a prefix")
check(lib.SYNA_close(p) == 1, "close")

# ---- model registry ----
rp = os.path.join(d, "models.db").encode()
check(lib.SYNA_model_registry_open(rp) == 1, "registry open")
blob = bytes(range(256)) * 40
ver, cks, ckl = c_uint32(), c_void_p(), c_size_t()
check(lib.SYNA_model_save(rp, b"net", blob, len(blob), b'{"framework":"torch"}', byref(ver), byref(cks), byref(ckl)) == 1 and ver.value == 1, "model_save v1")
import hashlib
check(ctypes.string_at(cks.value, ckl.value).decode() == hashlib.sha256(blob).hexdigest(), "checksum is SHA-256")
lib.SYNA_free_text(cks, ckl)
check(lib.SYNA_model_save(rp, b"net", blob[:100], 100, None, byref(ver), byref(cks), byref(ckl)) == 1 and ver.value == 2, "model_save v2")
lib.SYNA_free_text(cks, ckl)
check(lib.SYNA_model_save(rp, b"net/v1", b"x", 1, None, byref(ver), byref(cks), byref(ckl)) == 1 and ver.value == 1, "a model named net/v1 is its own model")
lib.SYNA_free_text(cks, ckl)
check(lib.SYNA_model_save(rp, b"net", b"x", 1, b"{bad json", byref(ver), byref(cks), byref(ckl)) == -74, "bad metadata JSON: -74")
data, dl, meta, ml = c_void_p(), c_size_t(), c_void_p(), c_size_t()
check(lib.SYNA_model_load(rp, b"net", 1, byref(data), byref(dl), byref(meta), byref(ml)) == 1 and ctypes.string_at(data.value, dl.value) == blob, "model_load v1")
m = json.loads(ctypes.string_at(meta.value, ml.value).decode())
check(m["version"] == 1 and m["stage"] == "Development" and m["metadata"] == {"framework": "torch"} and m["size_bytes"] == len(blob), "ModelVersion JSON %r" % m)
lib.SYNA_free_bytes(data, dl); lib.SYNA_free_text(meta, ml)
js, jl = c_void_p(), c_size_t()
check(lib.SYNA_model_list(rp, b"net", byref(js), byref(jl)) == 2, "model_list count (net/v1 not among them)")
check([v["version"] for v in take_json(js)] == [1, 2], "model_list JSON")
check(lib.SYNA_model_set_stage(rp, b"net", 2, 2) == 1, "set_stage Production")
check(lib.SYNA_model_set_alias(rp, b"net", b"champion", 1) == 1, "set_alias")
av = c_uint32()
check(lib.SYNA_model_get_alias(rp, b"net", b"champion", byref(av)) == 1 and av.value == 1, "get_alias")
check(lib.SYNA_model_load(rp, b"net", 9, byref(data), byref(dl), byref(meta), byref(ml)) == -5, "unknown version: -5")
check(lib.SYNA_model_registry_close(rp) == 1, "registry close")

# ---- RL experience collector ----
cp = os.path.join(d, "rl.db").encode()
check(lib.SYNA_exp_collector_open(cp, b"machine-a") == 1, "collector open")
st = (c_float * 4)(0.1, 0.2, 0.3, 0.4)
for i in range(5):
    check(lib.SYNA_exp_collector_log_transition(cp, b"ep1", st, 4, i % 2, None, 0, float(i) * 0.5, st, 4, 0, None) == 1, "log %d" % i)
check(lib.SYNA_exp_collector_count(cp, b"ep1") == 5, "count")
rw, rn = c_void_p(), c_size_t()
check(lib.SYNA_exp_collector_get_rewards(cp, b"ep1", byref(rw), byref(rn)) == 5, "get_rewards")
check(list(np.frombuffer((ctypes.c_char * (rn.value * 8)).from_address(rw.value), np.float64)) == [0.0, 0.5, 1.0, 1.5, 2.0], "rewards in order")
lib.SYNA_free_tensor(rw, rn)
check(lib.SYNA_exp_collector_close(cp) == 1, "collector close")

# ---- experiment tracker ----
ep = os.path.join(d, "runs.db").encode()
check(lib.SYNA_exp_tracker_open(ep) == 1, "tracker open")
ids = []
for k in range(3):
    rid, rl = c_void_p(), c_size_t()
    check(lib.SYNA_exp_start_run(ep, b"mnist", b'["vision"]', byref(rid), byref(rl)) == 1 and rl.value == 36, "start_run")
    ids.append(ctypes.string_at(rid.value, rl.value))
    lib.SYNA_free_text(rid, rl)
    check(lib.SYNA_exp_log_param(ep, ids[k], b"lr", b"0.%d" % (k + 1)) == 1, "log_param")
    for step in range(10):
        lib.SYNA_exp_log_metric(ep, ids[k], b"loss", 1.0 / (step + 1 + k), step)
    lib.SYNA_exp_log_metric(ep, ids[k], b"accuracy", 0.8 + 0.05 * k, 10)
check(lib.SYNA_exp_log_param(ep, ids[0], b"lr", b"0.5") == -73, "param conflict: -73")
check(lib.SYNA_exp_log_artifact(ep, ids[0], b"weights.bin", b"abc", 3) == 1, "log_artifact")
check(lib.SYNA_exp_end_run(ep, ids[0], 0) == -2, "end_run(Running) refused: -2")
check(lib.SYNA_exp_end_run(ep, ids[0], 1) == 1, "end_run Completed")
check(lib.SYNA_exp_log_metric(ep, ids[0], b"loss", 0.1, 11) == -72, "log to an ended run: -72")
check(lib.SYNA_exp_log_metric(ep, b"00000000-0000-4000-8000-000000000000", b"loss", 0.1, 1) == -5, "unknown run: -5")
js, jl = c_void_p(), c_size_t()
check(lib.SYNA_exp_get_run(ep, ids[0], byref(js), byref(jl)) == 1, "get_run")
run = take_json(js)
check(run["status"] == "Completed" and run["params"] == {"lr": "0.1"} and run["experiment_name"] == "mnist", "Run JSON %r" % run)
st_, va_, n_ = c_void_p(), c_void_p(), c_size_t()
check(lib.SYNA_exp_get_metric(ep, ids[1], b"loss", byref(st_), byref(va_), byref(n_)) == 1 and n_.value == 10, "get_metric")
steps = np.frombuffer((ctypes.c_char * (8 * n_.value)).from_address(st_.value), np.int64).copy()
vals = np.frombuffer((ctypes.c_char * (8 * n_.value)).from_address(va_.value), np.float64).copy()
check(list(steps) == list(range(10)) and abs(vals[0] - 0.5) < 1e-12, "metric series as arrays")
lib.SYNA_free_bytes(st_, c_size_t(8 * n_.value)); lib.SYNA_free_tensor(va_, n_)
check(lib.SYNA_exp_query(ep, b"metrics.accuracy > 0.82 and params.lr != '0.1'", b"metrics.accuracy DESC", 10, byref(js), byref(jl)) == 2, "query count")
q = take_json(js)
check([r["id"].encode() for r in q] == [ids[2], ids[1]], "query order")
check(lib.SYNA_exp_query(ep, b"metrics.accuracy >", None, 10, byref(js), byref(jl)) == -74, "bad filter: -74")
buf = ctypes.create_string_buffer(256)
check(lib.SYNA_exp_errmsg(ep, buf, 256) > 0 and b"byte" in buf.value, "errmsg names the position: %r" % buf.value)
check(lib.SYNA_exp_tracker_close(ep) == 1, "tracker close")
check(lib.SYNA_exp_tracker_open(ep) == 1 and lib.SYNA_exp_query(ep, b"attributes.status = 'FINISHED'", None, 0, byref(js), byref(jl)) == 1, "reopen, query status")
lib.SYNA_free_json(js)
check(lib.SYNA_exp_tracker_close(ep) == 1, "tracker close 2")

for root, dirs, files in os.walk(d, topdown=False):
    for f in files: os.remove(os.path.join(root, f))
    for x_ in dirs: os.rmdir(os.path.join(root, x_))
os.rmdir(d)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
