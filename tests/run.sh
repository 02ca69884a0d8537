#!/bin/sh
# tests/run.sh - builds and runs every test of SynaDB for C (called by `make test`).
#
# Each suite prints "N passed, M failed" as its last line; this script adds them up and
# prints the total as its own last line. A suite that fails to build, crashes or whose
# sanitizer reports an error counts as failed. Optional toolchains (clang's libFuzzer,
# mingw-w64, emscripten, liblz4) are used when present; their absence is reported.
#
# Environment: CC (default cc), FUZZ_SECONDS (default 60), MODEL_OPS (default 200000).
set -u
cd "$(dirname "$0")/.." || exit 1
CC=${CC:-cc}
CXX=${CXX:-c++}
B=build/tests
mkdir -p "$B"
W="-std=c99 -Wall -Wextra -Werror -g"
L="-lpthread -lm"
ASAN="-O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1}
SHM=/tmp
[ -w /dev/shm ] && SHM=/dev/shm
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
MODEL_OPS=${MODEL_OPS:-200000}
have() { command -v "$1" >/dev/null 2>&1; }

PASS=0
FAIL=0
SUMMARY=""
note() { SUMMARY="$SUMMARY
$1"; }

# run NAME CMD...: runs a test binary, adds its "N passed, M failed" line
run() {
    name=$1; shift
    log="$B/$name.log"
    start=$(date +%s)
    "$@" >"$log" 2>&1
    status=$?
    secs=$(( $(date +%s) - start ))
    last=$(tail -n 1 "$log")
    p=$(printf '%s\n' "$last" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
    f=$(printf '%s\n' "$last" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
    if [ -z "$p" ]; then
        FAIL=$((FAIL + 1))
        note "FAIL  $name: no result line (exit $status), see $log"
        tail -n 15 "$log" | sed 's/^/      /'
        return
    fi
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    PASS=$((PASS + p)); FAIL=$((FAIL + f))
    if [ "$f" -eq 0 ]; then note "ok    $name: $p passed (${secs}s)"
    else note "FAIL  $name: $p passed, $f failed (${secs}s), see $log"; grep -E "FAIL|failed|ERROR|WARNING" "$log" | head -n 20 | sed 's/^/      /'; fi
}
# check NAME CMD...: a single pass/fail step (a build, a compile check)
check() {
    name=$1; shift
    log="$B/$name.log"
    if "$@" >"$log" 2>&1; then PASS=$((PASS + 1)); note "ok    $name"; return 0
    else FAIL=$((FAIL + 1)); note "FAIL  $name, see $log"; head -n 20 "$log" | sed 's/^/      /'; return 1; fi
}
# build NAME CMD...: like check, but the caller skips running on failure
build() { check "build-$1" sh -c "shift; \"\$@\"" sh "$@"; }

echo "building and running the tests (logs in $B/)"
TSAN_CC=$CC
have clang && TSAN_CC=clang

# ---- the header compiles alone, as C99 and C++, every option ----
printf '#include "../../synadb.h"\nint main(void) { return synadb_version_number() > 0 ? 0 : 1; }\n' > "$B/decl.c"
printf '#define SYNADB_IMPLEMENTATION\n#include "../../synadb.h"\nint main(void) { return 0; }\n' > "$B/impl.c"
for cc in gcc clang; do
    have $cc || continue
    check "compile-$cc-decl-only" $cc $W -fsyntax-only "$B/decl.c"
    check "compile-$cc-O0" $cc $W -O0 -c "$B/impl.c" -o "$B/impl-$cc.o"
    check "compile-$cc-O3" $cc $W -O3 -c "$B/impl.c" -o "$B/impl-$cc.o"
    check "compile-$cc-pedantic" $cc $W -pedantic -Wshadow -O2 -c "$B/impl.c" -o "$B/impl-$cc.o"
    check "compile-$cc-static" $cc $W -O2 -DSYNADB_STATIC -c "$B/impl.c" -o "$B/impl-$cc.o"
    check "compile-$cc-no-threads" $cc $W -O2 -DSYNA_NO_THREADS -c "$B/impl.c" -o "$B/impl-$cc.o"
    check "compile-$cc-no-mmap" $cc $W -O2 -DSYNADB_NO_MMAP -DSYNADB_NO_HW_CRC -c "$B/impl.c" -o "$B/impl-$cc.o"
    check "compile-$cc-no-compat" $cc $W -O2 -DSYNADB_NO_COMPAT_ABI -c "$B/impl.c" -o "$B/impl-$cc.o"
done
printf '#include "../../synadb.h"\n#include "../../synadb_vec.h"\nint main(void) { return 0; }\n' > "$B/vdecl.c"
printf '#define SYNADB_IMPLEMENTATION\n#include "../../synadb.h"\n#include "../../synadb_vec.h"\nint main(void) { return 0; }\n' > "$B/vimpl.c"
for cc in gcc clang; do
    have $cc || continue
    check "compile-vec-$cc-decl-only" $cc $W -fsyntax-only "$B/vdecl.c"
    check "compile-vec-$cc-O3" $cc $W -O3 -c "$B/vimpl.c" -o "$B/vimpl-$cc.o"
    check "compile-vec-$cc-options" $cc $W -O2 -DSYNA_NO_SIMD -DSYNA_NO_THREADS -DSYNADB_NO_MMAP -c "$B/vimpl.c" -o "$B/vimpl-$cc.o"
done
for cxx in g++ clang++; do
    have $cxx || continue
    check "compile-vec-$cxx" $cxx -x c++ -std=c++11 -Wall -Wextra -Werror -O2 -c "$B/vimpl.c" -o "$B/vimpl-cxx.o"
done
# synadb_vec.h on its own: it pulls in synadb.h (implementation included), in C and C++;
# without synadb.h beside it the compile stops on the missing include
printf '#define SYNADB_IMPLEMENTATION\n#include "../../synadb_vec.h"\nint main(void) { return synadb_version() ? 0 : 1; }\n' > "$B/valone.c"
printf '#include "../../synadb_vec.h"\n' > "$B/valone-decl.c"
check "compile-vec-alone-c99" $CC $W -O2 "$B/valone.c" -o "$B/valone" $L
check "compile-vec-alone-decl-only" $CC $W -fsyntax-only "$B/valone-decl.c"
have $CXX && check "compile-vec-alone-cxx" $CXX -x c++ -std=c++11 -Wall -Wextra -Werror -O2 -c "$B/valone.c" -o "$B/valone-cxx.o"
mkdir -p "$B/vlonely" && cp synadb_vec.h "$B/vlonely/" && printf '#include "synadb_vec.h"\n' > "$B/vlonely/t.c"
check "compile-vec-needs-synadb-h" sh -c "! $CC $W -fsyntax-only $B/vlonely/t.c 2>$B/vorder.err && grep -q 'synadb.h' $B/vorder.err"
for cxx in g++ clang++; do
    have $cxx || continue
    check "compile-$cxx" $cxx -x c++ -std=c++11 -Wall -Wextra -Werror -O2 -c "$B/impl.c" -o "$B/impl-cxx.o"
done
if have x86_64-w64-mingw32-gcc; then
    check "compile-windows-mingw" x86_64-w64-mingw32-gcc $W -O2 -c "$B/impl.c" -o "$B/impl-win.o"
    check "compile-vec-windows-mingw" x86_64-w64-mingw32-gcc $W -O2 -c "$B/vimpl.c" -o "$B/vimpl-win.o"
else note "skip  compile-windows-mingw (x86_64-w64-mingw32-gcc not installed)"; fi
cat > "$B/alloc.c" <<'EOF'
#define _GNU_SOURCE
#include <stdlib.h>
static int n;
static void *my_malloc(size_t s) { n++; return malloc(s); }
#define SYNADB_MALLOC(s) my_malloc(s)
#define SYNADB_REALLOC(p, s) realloc(p, s)
#define SYNADB_FREE(p) free(p)
#define SYNADB_IMPLEMENTATION
#include "../../synadb.h"
int main(void) { return n < 0; }
EOF
check "compile-allocator-macros" $CC $W -O2 "$B/alloc.c" -o "$B/alloc" $L
printf '#define SYNADB_MALLOC(s) malloc(s)\n#define SYNADB_IMPLEMENTATION\n#include "../../synadb.h"\n' > "$B/alloc_bad.c"
check "compile-allocator-all-or-none" sh -c "! $CC $W -c $B/alloc_bad.c -o $B/alloc_bad.o"
printf '#include <stdio.h>\n#define SYNADB_IMPLEMENTATION\n#include "../../synadb.h"\n' > "$B/strict.c"
check "compile-strict-c99-clear-error" sh -c "! $CC $W -c $B/strict.c -o $B/strict.o 2>$B/strict.err && grep -q 'POSIX declarations are hidden' $B/strict.err"

# ---- unit tests of the native API: mmap and pread/pwrite, optimised and sanitised ----
build core-O2 $CC $W -O2 tests/test_core.c -o "$B/core" $L && run core "$B/core"
build core-nommap $CC $W -O2 -DTEST_NO_MMAP=1 tests/test_core.c -o "$B/core-nommap" $L && run core-nommap "$B/core-nommap"
build core-asan $CC $W $ASAN tests/test_core.c -o "$B/core-asan" $L && run core-asan "$B/core-asan"
build core-nommap-asan $CC $W $ASAN -DTEST_NO_MMAP=1 tests/test_core.c -o "$B/core-nommap-asan" $L && run core-nommap-asan "$B/core-nommap-asan"
if have clang; then
    build core-clang-asan clang $W $ASAN tests/test_core.c -o "$B/core-clang-asan" $L && run core-clang-asan "$B/core-clang-asan"
fi
build core-no-threads $CC $W -O2 -DSYNA_NO_THREADS tests/test_core.c -o "$B/core-nothreads" -lm && run core-no-threads "$B/core-nothreads"

# ---- vector search (synadb_vec.h) ----
build vec $CC $W -O2 tests/test_vec.c -o "$B/vec" $L && run vec "$B/vec"
build vec-asan $CC $W $ASAN tests/test_vec.c -o "$B/vec-asan" $L && run vec-asan "$B/vec-asan"
build vec-scalar $CC $W -O2 -DSYNA_NO_SIMD tests/test_vec.c -o "$B/vec-scalar" $L && run vec-scalar "$B/vec-scalar"
build vec-tsan $TSAN_CC $W -O1 -fsanitize=thread tests/test_vec.c -o "$B/vec-tsan" $L && run vec-tsan "$B/vec-tsan"
build vec-no-threads $CC $W -O2 -DSYNA_NO_THREADS tests/test_vec.c -o "$B/vec-nothreads" -lm && run vec-no-threads "$B/vec-nothreads"
build mmvs-asan $CC $W $ASAN tests/test_mmvs.c -o "$B/mmvs-asan" $L && run mmvs-asan env TMPDIR=$SHM "$B/mmvs-asan"
build mmvs-nommap-asan $CC $W $ASAN -DSYNADB_NO_MMAP tests/test_mmvs.c -o "$B/mmvs-nommap-asan" $L && run mmvs-nommap-asan env TMPDIR=$SHM "$B/mmvs-nommap-asan"
build mmvs-tsan $TSAN_CC $W -O1 -fsanitize=thread tests/test_mmvs.c -o "$B/mmvs-tsan" $L && run mmvs-tsan "$B/mmvs-tsan" threads
build sparse $CC $W -O2 tests/test_sparse.c -o "$B/sparse" $L && run sparse "$B/sparse"
build sparse-asan $CC $W $ASAN tests/test_sparse.c -o "$B/sparse-asan" $L && run sparse-asan "$B/sparse-asan"
build sparse-tsan $TSAN_CC $W -O1 -fsanitize=thread tests/test_sparse.c -o "$B/sparse-tsan" $L && run sparse-tsan "$B/sparse-tsan"
build sparse-no-threads-nommap $CC $W -O2 -DSYNA_NO_THREADS -DSYNADB_NO_MMAP tests/test_sparse.c -o "$B/sparse-nothreads" -lm && run sparse-no-threads-nommap "$B/sparse-nothreads"
build gwi $CC $W -O2 tests/test_gwi.c -o "$B/gwi" $L && run gwi env TMPDIR=$SHM "$B/gwi"
build gwi-asan $CC $W $ASAN tests/test_gwi.c -o "$B/gwi-asan" $L && run gwi-asan env TMPDIR=$SHM "$B/gwi-asan"
build gwi-nommap-asan $CC $W $ASAN -DSYNADB_NO_MMAP tests/test_gwi.c -o "$B/gwi-nommap-asan" $L && run gwi-nommap-asan env TMPDIR=$SHM "$B/gwi-nommap-asan"
build gwi-no-threads $CC $W -O2 -DSYNA_NO_THREADS tests/test_gwi.c -o "$B/gwi-nothreads" -lm && run gwi-no-threads env TMPDIR=$SHM "$B/gwi-nothreads"
build gwi-tsan $TSAN_CC $W -O1 -fsanitize=thread tests/test_gwi.c -o "$B/gwi-tsan" $L && run gwi-tsan "$B/gwi-tsan" threads
build cascade $CC $W -O2 tests/test_cascade.c -o "$B/cascade" $L && run cascade env TMPDIR=$SHM "$B/cascade"
build cascade-asan $CC $W $ASAN tests/test_cascade.c -o "$B/cascade-asan" $L && run cascade-asan env TMPDIR=$SHM "$B/cascade-asan"
build cascade-nommap-asan $CC $W $ASAN -DSYNADB_NO_MMAP tests/test_cascade.c -o "$B/cascade-nommap-asan" $L && run cascade-nommap-asan env TMPDIR=$SHM "$B/cascade-nommap-asan"
build cascade-scalar $CC $W -O2 -DSYNA_NO_SIMD tests/test_cascade.c -o "$B/cascade-scalar" $L && run cascade-scalar env TMPDIR=$SHM "$B/cascade-scalar"
build cascade-no-threads $CC $W -O2 -DSYNA_NO_THREADS tests/test_cascade.c -o "$B/cascade-nothreads" -lm && run cascade-no-threads env TMPDIR=$SHM "$B/cascade-nothreads"
build cascade-tsan $TSAN_CC $W -O1 -fsanitize=thread tests/test_cascade.c -o "$B/cascade-tsan" $L && run cascade-tsan "$B/cascade-tsan" threads
build hybrid $CC $W -O2 tests/test_hybrid.c -o "$B/hybrid" $L && run hybrid env TMPDIR=$SHM "$B/hybrid"
build hybrid-asan $CC $W $ASAN tests/test_hybrid.c -o "$B/hybrid-asan" $L && run hybrid-asan env TMPDIR=$SHM "$B/hybrid-asan"
build hybrid-no-threads $CC $W -O2 -DSYNA_NO_THREADS tests/test_hybrid.c -o "$B/hybrid-nothreads" -lm && run hybrid-no-threads env TMPDIR=$SHM "$B/hybrid-nothreads"
build hybrid-tsan $TSAN_CC $W -O1 -fsanitize=thread tests/test_hybrid.c -o "$B/hybrid-tsan" $L && run hybrid-tsan "$B/hybrid-tsan"
build fuse $CC $W -O2 tests/test_fuse.c -o "$B/fuse" $L && run fuse "$B/fuse"
build fuse-asan $CC $W $ASAN tests/test_fuse.c -o "$B/fuse-asan" $L && run fuse-asan "$B/fuse-asan"
have clang && build fuse-clang-asan clang $W $ASAN tests/test_fuse.c -o "$B/fuse-clang-asan" $L && run fuse-clang-asan "$B/fuse-clang-asan"
build fuse-no-threads $CC $W -O2 -DSYNA_NO_THREADS tests/test_fuse.c -o "$B/fuse-nothreads" -lm && run fuse-no-threads "$B/fuse-nothreads"
build vec-abi-asan $CC $W $ASAN tests/test_vec_abi.c -o "$B/vec-abi-asan" $L && run vec-abi-asan "$B/vec-abi-asan"
build vec-abi-tsan $TSAN_CC $W -O1 -fsanitize=thread tests/test_vec_abi.c -o "$B/vec-abi-tsan" $L && run vec-abi-tsan "$B/vec-abi-tsan" threads

# ---- the path-keyed ABI, C++ ----
build compat-asan $CC $W $ASAN tests/test_compat.c -o "$B/compat-asan" $L && run compat-asan "$B/compat-asan"
build cpp $CXX -std=c++11 -Wall -Wextra -Werror -g $ASAN tests/test_cpp.cpp -o "$B/cpp" $L && run cpp "$B/cpp"

# ---- synadb_ml.h (each part adds its suites inside its own block) ----
# >>ml.tensor tests
build ml-tensor $CC $W -O2 tests/test_ml_tensor.c -o "$B/ml-tensor" $L && run ml-tensor env TMPDIR=$SHM "$B/ml-tensor"
build ml-tensor-asan $CC $W $ASAN tests/test_ml_tensor.c -o "$B/ml-tensor-asan" $L && run ml-tensor-asan env TMPDIR=$SHM "$B/ml-tensor-asan"
build ml-tensor-nommap-asan $CC $W $ASAN -DTEST_NO_MMAP=1 tests/test_ml_tensor.c -o "$B/ml-tensor-nommap-asan" $L && run ml-tensor-nommap-asan env TMPDIR=$SHM "$B/ml-tensor-nommap-asan"
build ml-tensor-no-threads $CC $W -O2 -DSYNA_NO_THREADS tests/test_ml_tensor.c -o "$B/ml-tensor-nothreads" -lm && run ml-tensor-no-threads env TMPDIR=$SHM "$B/ml-tensor-nothreads"
build ml-tensor-tsan $TSAN_CC $W -O1 -fsanitize=thread tests/test_ml_tensor.c -o "$B/ml-tensor-tsan" $L && run ml-tensor-tsan env TMPDIR=$SHM "$B/ml-tensor-tsan" threads
have $CXX && check compile-ml-tensor-cxx $CXX -x c++ -std=c++11 -Wall -Wextra -Werror -O1 -c tests/test_ml_tensor.c -o "$B/ml-tensor-cxx.o"
check compile-ml-gpu-decls-c99 $CC $W -Wshadow -DSYNA_GPU_CUDA -fsyntax-only tests/test_ml_tensor.c
# the CUDA build (SYNA_GPU_CUDA) compiled and linked by nvcc when present; without a device it
# runs the CPU tests and the GPU calls report GPU_UNAVAILABLE, with one the device data is checked
NVCC=${NVCC:-nvcc}
if have "$NVCC"; then
    build ml-tensor-cuda "$NVCC" -DSYNA_GPU_CUDA -Xcompiler -Wall,-Wextra,-Werror -O1 tests/test_ml_tensor.c -o "$B/ml-tensor-cuda" -lcudart -lpthread -lm && run ml-tensor-cuda env TMPDIR=$SHM "$B/ml-tensor-cuda"
else note "skip  ml-tensor-cuda (nvcc not installed)"; fi
if have emcc && have node; then
    build wasm-ml-tensor emcc -O0 -sNODERAWFS=1 -sSINGLE_FILE=1 -sWASM_ASYNC_COMPILATION=0 -sALLOW_MEMORY_GROWTH=1 tests/test_ml_tensor.c -o "$B/ml-tensor.js" && run wasm-ml-tensor node "$B/ml-tensor.js"
else note "skip  wasm-ml-tensor (emcc or node not installed)"; fi
# >>ml.tensor tests end
# >>ml.registry tests
# SHA-256 (both compression functions, against OpenSSL) and the ModelRegistry; needs libssl-dev
if [ -f /usr/include/openssl/sha.h ]; then
    build ml-registry $CC $W -O2 tests/test_ml_registry.c -o "$B/ml-registry" $L -lcrypto && run ml-registry env TMPDIR=$SHM "$B/ml-registry"
    build ml-registry-asan $CC $W $ASAN tests/test_ml_registry.c -o "$B/ml-registry-asan" $L -lcrypto && run ml-registry-asan env TMPDIR=$SHM "$B/ml-registry-asan"
    build ml-registry-portable-nommap $CC $W -O2 -DSYNADB_NO_SHA_NI -DSYNADB_NO_MMAP tests/test_ml_registry.c -o "$B/ml-registry-portable" $L -lcrypto && run ml-registry-portable-nommap env TMPDIR=$SHM "$B/ml-registry-portable" quick
    build ml-registry-tsan $TSAN_CC $W -O1 -fsanitize=thread tests/test_ml_registry.c -o "$B/ml-registry-tsan" $L -lcrypto && run ml-registry-tsan env TMPDIR=$SHM "$B/ml-registry-tsan" threads
    have $CXX && build ml-registry-cxx $CXX -x c++ -std=c++11 -Wall -Wextra -Werror -Wshadow -O1 tests/test_ml_registry.c -o "$B/ml-registry-cxx" $L -lcrypto && run ml-registry-cxx env TMPDIR=$SHM "$B/ml-registry-cxx" quick
else note "FAIL  ml-registry: libssl-dev not installed (its SHA-256 is the oracle; .ci/run installs it)"; FAIL=$((FAIL + 1)); fi
# >>ml.registry tests end
# >>ml.exp tests
printf '#define SYNADB_IMPLEMENTATION\n#include "../../synadb.h"\n#include "../../synadb_vec.h"\n#include "../../synadb_ml.h"\nint main(void) { return 0; }\n' > "$B/ml_exp_all.c"
for cc in gcc clang; do
    have $cc && check "compile-ml-exp-$cc" $cc $W -Wshadow -pedantic -O2 -c "$B/ml_exp_all.c" -o "$B/ml_exp_all-$cc.o"
done
have g++ && check "compile-ml-exp-c++" g++ -x c++ -Wall -Wextra -Werror -Wshadow -O2 -c "$B/ml_exp_all.c" -o "$B/ml_exp_all-cxx.o"
build ml-exp $CC $W -O2 tests/test_ml_exp.c -o "$B/ml-exp" $L && run ml-exp env TMPDIR=$SHM "$B/ml-exp"
build ml-exp-asan $CC $W $ASAN tests/test_ml_exp.c -o "$B/ml-exp-asan" $L && run ml-exp-asan env TMPDIR=$SHM "$B/ml-exp-asan"
build ml-exp-nommap-asan $CC $W $ASAN -DSYNADB_NO_MMAP tests/test_ml_exp.c -o "$B/ml-exp-nommap-asan" $L && run ml-exp-nommap-asan env TMPDIR=$SHM "$B/ml-exp-nommap-asan"
build ml-exp-tsan $TSAN_CC $W -O1 -fsanitize=thread tests/test_ml_exp.c -o "$B/ml-exp-tsan" $L && run ml-exp-tsan env TMPDIR=$SHM "$B/ml-exp-tsan" threads
if have x86_64-w64-mingw32-gcc; then
    check "compile-ml-exp-windows-mingw" x86_64-w64-mingw32-gcc $W -Wshadow -O2 -c "$B/ml_exp_all.c" -o "$B/ml_exp_all-win.o"
else note "skip  compile-ml-exp-windows-mingw (x86_64-w64-mingw32-gcc not installed)"; fi
if have emcc && have node; then
    build wasm-ml-exp emcc $W -O0 -sNODERAWFS=1 -sSINGLE_FILE=1 -sWASM_ASYNC_COMPILATION=0 -sALLOW_MEMORY_GROWTH=1 tests/test_ml_exp.c -o "$B/ml-exp.js" && run wasm-ml-exp env TMPDIR=$SHM node "$B/ml-exp.js"
else note "skip  wasm-ml-exp (emcc or node not installed)"; fi
# >>ml.exp tests end
# >>ml.rl-io tests
# ExperienceCollector + import/export (tests/test_ml_rlio.c): the three headers together in C99
# (gcc, clang, -Wshadow -pedantic, option sets) and C++, the suite optimised, under
# ASan+UBSan and without threads, its thread part under TSan, and the exports of a library build.
printf '#define SYNADB_IMPLEMENTATION\n#include "../../synadb.h"\n#include "../../synadb_vec.h"\n#include "../../synadb_ml.h"\nint main(void) { return 0; }\n' > "$B/rlio_all.c"
for cc in gcc clang; do
    have $cc || continue
    check "compile-ml-rlio-$cc" $cc $W -O2 -Wshadow -pedantic -c "$B/rlio_all.c" -o "$B/rlio_all-$cc.o"
    check "compile-ml-rlio-$cc-options" $cc $W -O1 -DSYNADB_NO_COMPAT_ABI -DSYNA_NO_THREADS -DSYNADB_NO_MMAP -c "$B/rlio_all.c" -o "$B/rlio_all-$cc.o"
done
have g++ && check "compile-ml-rlio-g++" g++ -x c++ -Wall -Wextra -Werror -O2 -c "$B/rlio_all.c" -o "$B/rlio_all-cxx.o"
have x86_64-w64-mingw32-gcc && check "compile-ml-rlio-windows-mingw" x86_64-w64-mingw32-gcc $W -O2 -c "$B/rlio_all.c" -o "$B/rlio_all-win.o"
build ml-rlio $CC $W -O2 tests/test_ml_rlio.c -o "$B/ml-rlio" $L && run ml-rlio env TMPDIR=$SHM "$B/ml-rlio"
build ml-rlio-asan $CC $W $ASAN tests/test_ml_rlio.c -o "$B/ml-rlio-asan" $L && run ml-rlio-asan env TMPDIR=$SHM "$B/ml-rlio-asan"
build ml-rlio-no-threads $CC $W -O1 -DSYNA_NO_THREADS tests/test_ml_rlio.c -o "$B/ml-rlio-nothreads" -lm && run ml-rlio-no-threads env TMPDIR=$SHM "$B/ml-rlio-nothreads"
build ml-rlio-tsan $TSAN_CC $W -O1 -fsanitize=thread tests/test_ml_rlio.c -o "$B/ml-rlio-tsan" $L && run ml-rlio-tsan env TMPDIR=$SHM "$B/ml-rlio-tsan" threads
if have emcc && have node; then
    build wasm-ml-rlio emcc -O0 -sNODERAWFS=1 -sSINGLE_FILE=1 -sWASM_ASYNC_COMPILATION=0 -sALLOW_MEMORY_GROWTH=1 tests/test_ml_rlio.c -o "$B/ml-rlio.js" && run wasm-ml-rlio node "$B/ml-rlio.js"
fi
printf '#define SYNADB_IMPLEMENTATION\n#define SYNADB_DLL\n#include "../../synadb.h"\n#include "../../synadb_vec.h"\n#include "../../synadb_ml.h"\n' > "$B/rlio_lib.c"
if $CC $W -O1 -fPIC -fvisibility=hidden -shared "$B/rlio_lib.c" -o "$B/librlio.so" $L >"$B/rlio_lib.log" 2>&1; then
    check "lib-exports-ml-rlio" sh -c "for f in export_json export_jsonl export_csv import_json import_jsonl import_csv exp_collector_open exp_collector_close exp_collector_machine_id exp_collector_start_session exp_collector_log_transition exp_collector_count exp_collector_get_rewards exp_collector_list_sessions exp_collector_transitions_json exp_collector_export_jsonl exp_collector_import_jsonl exp_collector_merge; do nm -D $B/librlio.so | grep -q \" T SYNA_\$f\$\" && nm -D $B/librlio.so | grep -q \" T syna_\$f\$\" || exit 1; done; for f in synadb_rl_open synadb_rl_log synadb_rl_merge synadb_io_export synadb_io_import synadb_io_base64_decode; do nm -D $B/librlio.so | grep -q \" T \$f\$\" || exit 1; done; ! nm -D $B/librlio.so | grep -q ' T synadb__'"
else FAIL=$((FAIL + 1)); note "FAIL  build-ml-rlio-lib, see $B/rlio_lib.log"; fi
# >>ml.rl-io tests end

# ---- model-based random testing ----
build model $CC $W -O2 tests/test_model.c -o "$B/model" $L && run model env TMPDIR=$SHM "$B/model" "$MODEL_OPS"
build model-asan $CC $W $ASAN tests/test_model.c -o "$B/model-asan" $L && run model-asan env TMPDIR=$SHM "$B/model-asan" 20000

# ---- crash, damage and kill tests ----
build crash $CC $W -O2 tests/test_crash.c -o "$B/crash" $L && run crash env SYNADB_CRASH_DIR=$SHM "$B/crash"
build crash-asan $CC $W $ASAN tests/test_crash.c -o "$B/crash-asan" $L && run crash-asan env SYNADB_CRASH_DIR=$SHM ASAN_OPTIONS=detect_leaks=0 "$B/crash-asan"

# ---- threads under ThreadSanitizer ----
build threads-tsan $TSAN_CC $W -O1 -fsanitize=thread tests/test_threads.c -o "$B/threads-tsan" $L && run threads-tsan "$B/threads-tsan"

# ---- LZ4 interoperability with Debian's liblz4 ----
if [ -f /usr/include/lz4.h ]; then
    build lz4 $CC $W $ASAN tests/test_lz4.c -o "$B/lz4" -llz4 $L && run lz4 "$B/lz4"
else note "FAIL  lz4 interop: liblz4-dev not installed (.ci/run installs it)"; FAIL=$((FAIL + 1)); fi

# ---- the library, the original README's C example, Python ctypes ----
if make -s lib >"$B/lib.log" 2>&1; then
    PASS=$((PASS + 1)); note "ok    make lib"
    check "lib-exports-uppercase" sh -c "nm -D build/libsynadb.so | grep -q ' T SYNA_get_history_tensor' && nm -D build/libsynadb.so | grep -q ' T syna_open' && ! nm -D build/libsynadb.so | grep -q ' T synadb__'"
    check "lib-exports-vector-abi" sh -c "for f in SYNA_vector_store_search SYNA_mmap_vector_store_len SYNA_hnsw_stats SYNA_free_json syna_vector_store_new synadb_hnsw_search synadb_vec_topk svs_new svs_close svs_index svs_search svs_free_key svs_len svs_delete svs_stats svs_exists svs_save svs_open synadb_svs_search SYNA_gwi_new SYNA_gwi_open SYNA_gwi_initialize SYNA_gwi_insert SYNA_gwi_insert_batch SYNA_gwi_search SYNA_gwi_search_nprobe SYNA_gwi_flush SYNA_gwi_close SYNA_gwi_len synadb_gwi_search SYNA_cascade_new SYNA_cascade_insert SYNA_cascade_insert_batch SYNA_cascade_search SYNA_cascade_search_params SYNA_cascade_flush SYNA_cascade_close SYNA_cascade_len syna_cascade_new syna_cascade_search_params synadb_cascade_open synadb_cascade_search; do nm -D build/libsynadb.so | grep -q \" T \$f\$\" || exit 1; done"
    build readme-example $CC -O2 -Wall -I. tests/seed/readme_example.c -o "$B/readme_example" -Lbuild -lsynadb -Wl,-rpath,"$(pwd)/build"
    if [ -x "$B/readme_example" ]; then
        d=$(mktemp -d)
        check "readme-example-runs" sh -c "cd $d && $(pwd)/$B/readme_example > out.txt && grep -q 'Temperature: 24.100000' out.txt && grep -q 'History (2 values): 23.500000 24.100000' out.txt"
        rm -rf "$d"
    fi
    build readme-example-static $CC -O2 -Wall -I. tests/seed/readme_example.c -o "$B/readme_example_static" build/libsynadb.a $L
    if [ -x /usr/bin/python3 ]; then
        run python-ctypes /usr/bin/python3 tests/test_ctypes.py build/libsynadb.so
        if /usr/bin/python3 -c "import numpy" >/dev/null 2>&1; then
            run python-ctypes-ml /usr/bin/python3 tests/test_ctypes_ml.py build/libsynadb.so
        else note "FAIL  python-ctypes-ml: python3-numpy not installed (.ci/run installs it)"; FAIL=$((FAIL + 1)); fi
    else note "skip  python-ctypes (/usr/bin/python3 missing)"; fi
else
    FAIL=$((FAIL + 1)); note "FAIL  make lib, see $B/lib.log"
fi

# ---- the CLI ----
build syna-asan $CC $W $ASAN -I. tools/syna.c -o "$B/syna-asan" $L && run cli sh tests/test_cli.sh "$B/syna-asan"
build syna-cxx $CXX -x c++ -Wall -Wextra -Werror -I. -c tools/syna.c -o "$B/syna-cxx.o"

# ---- the example ----
build quickstart $CC $W -O2 $ASAN examples/quickstart.c -o "$B/quickstart" $L && check quickstart-runs sh -c "cd $SHM && $(pwd)/$B/quickstart $SHM/synadb-qs-$$.db | grep -q 'after reopen, temperature: 24.8'; r=\$?; rm -f $SHM/synadb-qs-$$.db; exit \$r"

build vector-example $CC $W -O1 $ASAN examples/vector_search.c -o "$B/vector_search" $L && check vector-example-runs sh -c "cd $SHM && $(pwd)/$B/vector_search $SHM/synadb-vx-$$.db > $SHM/synadb-vx-$$.out && grep -q 'after reopen: 19999 vectors' $SHM/synadb-vx-$$.out && grep -q 'zero vector under cosine: vector has a NaN' $SHM/synadb-vx-$$.out; r=\$?; rm -f $SHM/synadb-vx-$$.*; exit \$r"
build hybrid-example $CC $W -O1 $ASAN -I. examples/hybrid_search.c -o "$B/hybrid_search" $L && check hybrid-example-runs sh -c "d=$SHM/synadb-hx-$$; mkdir -p \$d && $(pwd)/$B/hybrid_search \$d > \$d.1 && $(pwd)/$B/hybrid_search \$d > \$d.2 && grep -q 'indexed 6 documents' \$d.1 && grep -q 'opened 6 documents' \$d.2 && grep -q '^1. doc1 .*keyword rank 1' \$d.2; r=\$?; rm -rf \$d \$d.1 \$d.2; exit \$r"
build ml-example $CC $W -O1 $ASAN -I. examples/ml_quickstart.c -o "$B/ml_quickstart" $L && check ml-example-runs sh -c "$(pwd)/$B/ml_quickstart $SHM/synadb-mlx-$$.db > $SHM/synadb-mlx-$$.out && grep -q 'loaded latest: 4096 bytes, identical' $SHM/synadb-mlx-$$.out && grep -q 'query: 2 runs' $SHM/synadb-mlx-$$.out && grep -q 'bad filter: filter: expected' $SHM/synadb-mlx-$$.out; r=\$?; rm -f $SHM/synadb-mlx-$$.*; exit \$r"

# ---- WebAssembly (emscripten + node) ----
if have emcc && have node; then
    EMF="-O0 -sNODERAWFS=1 -sSINGLE_FILE=1 -sWASM_ASYNC_COMPILATION=0 -sALLOW_MEMORY_GROWTH=1"
    build wasm-core emcc -DTEST_NO_MMAP=1 $EMF tests/test_core.c -o "$B/core.js" && run wasm-core node "$B/core.js"
    build wasm-vec emcc $EMF tests/test_vec.c -o "$B/vec.js" && run wasm-vec node "$B/vec.js"
    build wasm-mmvs emcc $EMF tests/test_mmvs.c -o "$B/mmvs.js" && run wasm-mmvs node "$B/mmvs.js"
    build wasm-sparse emcc $EMF tests/test_sparse.c -o "$B/sparse.js" && run wasm-sparse node "$B/sparse.js"
    build wasm-gwi emcc $EMF tests/test_gwi.c -o "$B/gwi.js" && run wasm-gwi node "$B/gwi.js"
    # compiled at -O2 (the recall tests are slow at -O0), linked at -O0 (no JS optimizer needed)
    build wasm-cascade sh -c "emcc -O2 -c tests/test_cascade.c -o $B/cascade.o && emcc $EMF $B/cascade.o -o $B/cascade.js" && run wasm-cascade node "$B/cascade.js"
    build wasm-hybrid emcc $EMF tests/test_hybrid.c -o "$B/hybrid.js" && run wasm-hybrid node "$B/hybrid.js"
else note "skip  wasm (emcc or node not installed)"; fi

# ---- fuzzing the open path (bounded) ----
if have clang && printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' > "$B/fz.c" && clang -fsanitize=fuzzer "$B/fz.c" -o "$B/fz" >/dev/null 2>&1; then
    build fuzz-open clang -g -O1 -fsanitize=fuzzer,address,undefined tests/fuzz_open.c -o "$B/fuzz_open" $L
    if [ -x "$B/fuzz_open" ]; then
        mkdir -p "$B/fuzz_corpus"
        check "fuzz-open-${FUZZ_SECONDS}s" "$B/fuzz_open" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 "$B/fuzz_corpus" tests/fuzz_corpus
    fi
    # the ML parsers: JSON reader, MLflow filters, JSON/JSONL/CSV imports, tensor records (half the time)
    build fuzz-ml clang -g -O1 -fsanitize=fuzzer,address,undefined tests/fuzz_ml.c -o "$B/fuzz_ml" $L
    if [ -x "$B/fuzz_ml" ]; then
        mkdir -p "$B/fuzz_corpus_ml"
        check "fuzz-ml-$((FUZZ_SECONDS / 2))s" "$B/fuzz_ml" -max_total_time="$((FUZZ_SECONDS / 2))" -timeout=10 -rss_limit_mb=2048 "$B/fuzz_corpus_ml" tests/fuzz_corpus_ml
    fi
else note "skip  fuzz (clang with libFuzzer not available)"; fi

printf '%s\n' "$SUMMARY"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
