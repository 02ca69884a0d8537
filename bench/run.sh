#!/bin/sh
# bench/run.sh - build and run the benchmarks (`make bench` calls this).
#
#   sh bench/run.sh [NAME...]      run the named benchmarks (default: all of BENCHES)
#
# Environment:
#   CC              compiler (default cc)
#   CXX             C++ compiler for .cpp benchmarks (default c++)
#   BENCH_DIR       where the databases go (default /tmp/synadb-bench; only the
#                   benchmark's own subdirectories/files are wiped)
#   BENCH_KV_ARGS   extra arguments for bench_kv, e.g. "-n 100000 -r 1" for a quick run
#   BENCH_VEC_ARGS  extra arguments for bench_vec, e.g. "-r 1" or "-e synadb,hnswlib -S"
#   BENCH_SPARSE_ARGS  extra arguments for bench_sparse, e.g. "-n 100000 -q 200"
#   BENCH_GWI_ARGS  extra arguments for bench_gwi, e.g. "-r 1 -q 2000"
#   BENCH_CASCADE_ARGS  extra arguments for bench_cascade, e.g. "-r 1 -q 2000" or "-c" (CPU time)
#   BENCH_ML_TENSOR_ARGS  extra arguments for bench_ml_tensor, e.g. "-r 3 -m 256" or "-c" (CPU time)
#   BENCH_ML_EXP_ARGS  extra arguments for bench_ml_exp, e.g. "-r 3 -R 10000"
#   BENCH_ML_REGISTRY_ARGS  arguments for bench_ml_registry: [MiB] [reps] [chunk MiB] (default 1024 3 ...)
#
# The peers (LMDB, LevelDB, RocksDB, SQLite, LZ4, hnswlib, FAISS) and the Fashion-MNIST
# dataset are installed with apt-get when missing.
# bench_kv and bench_lz4 are built with plain -O2 (no -march=native) so that the numbers
# reflect a portable build. bench_vec is built with -O3 -march=native: hnswlib chooses its
# SIMD kernels from compile-time macros, and would otherwise be held to SSE (SynaDB picks
# its kernels at run time either way). bench_gwi likewise. FAISS trains its IVF k-means
# with BLAS: libopenblas0-openmp replaces the reference BLAS (which makes FAISS's IVF
# training about 40x slower) and follows omp_set_num_threads(1).
set -eu

cd "$(dirname "$0")/.."
CC=${CC:-cc}
CXX=${CXX:-c++}
B=build
BENCH_DIR=${BENCH_DIR:-/tmp/synadb-bench}
BENCH_KV_ARGS=${BENCH_KV_ARGS:-}
BENCH_VEC_ARGS=${BENCH_VEC_ARGS:-}
BENCH_GWI_ARGS=${BENCH_GWI_ARGS:-}
BENCH_CFLAGS="-std=c99 -O2 -Wall -Wextra"
BENCH_CXXFLAGS="-std=c++17 -O2 -Wall -Wextra"

# The benchmarks, one a line:  name | source | link flags | arguments [| compile flags]
# A .cpp source is built with $CXX, anything else with $CC; the compile flags default to
# $BENCH_CXXFLAGS / $BENCH_CFLAGS. To add one, append a line (and its Debian packages to
# PEER_PKGS if it needs peers).
BENCHES="bench_kv|bench/bench_kv.c|-llmdb -lleveldb -lrocksdb -lsqlite3 -lpthread -lm|$BENCH_KV_ARGS $BENCH_DIR
bench_lz4|bench/bench_lz4.c|-llz4 -lpthread -lm|
bench_vec|bench/bench_vec.cpp|-lfaiss -llapack -lblas -lz -lpthread -lm|$BENCH_VEC_ARGS $BENCH_DIR|-std=c++17 -O3 -march=native -fopenmp -Wall -Wextra
bench_sparse|bench/bench_sparse.c|-lpthread -lm|${BENCH_SPARSE_ARGS:-}
bench_gwi|bench/bench_gwi.cpp|-lfaiss -llapack -lblas -lz -lpthread -lm|$BENCH_GWI_ARGS $BENCH_DIR/gwi|-std=c++17 -O3 -march=native -fopenmp -Wall -Wextra
bench_cascade|bench/bench_cascade.cpp|-lz -lpthread -lm|${BENCH_CASCADE_ARGS:-}|-std=c++17 -O3 -march=native -Wall -Wextra
bench_ml_registry|bench/bench_ml_registry.c|-lpthread -lm|${BENCH_ML_REGISTRY_ARGS:-}
bench_ml_tensor|bench/bench_ml_tensor.c|-lpthread -lm|${BENCH_ML_TENSOR_ARGS:-} $BENCH_DIR/ml-tensor
bench_ml_exp|bench/bench_ml_exp.c|-lpthread -lm|${BENCH_ML_EXP_ARGS:-} $BENCH_DIR/ml-exp"

PEER_PKGS="liblmdb-dev libleveldb-dev librocksdb-dev libsqlite3-dev liblz4-dev
           libhnswlib-dev libfaiss-dev libopenblas0-openmp dataset-fashion-mnist zlib1g-dev
           python3-numpy"

install_peers() {
    if ! command -v dpkg >/dev/null 2>&1; then
        echo "run.sh: no dpkg; assuming the peer libraries are installed: $PEER_PKGS" >&2
        return 0
    fi
    missing=""
    for p in $PEER_PKGS; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "run.sh: installing$missing" >&2
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update
    # shellcheck disable=SC2086  # word splitting of the package list is intended
    $SUDO apt-get install -y $missing
}

selected() {  # selected NAME: true if NAME was asked for (or nothing was)
    [ -z "$WANT" ] && return 0
    for w in $WANT; do [ "$w" = "$1" ] && return 0; done
    return 1
}

WANT="$*"
install_peers
mkdir -p "$B"

failed=""
ran=0
# The list is read from a here-document: the benchmarks get </dev/null as stdin.
while IFS='|' read -r name src libs args flags; do
    [ -n "$name" ] || continue
    selected "$name" || continue
    ran=$((ran + 1))
    case "$src" in
        *.cpp) cc=$CXX; flags=${flags:-$BENCH_CXXFLAGS} ;;
        *) cc=$CC; flags=${flags:-$BENCH_CFLAGS} ;;
    esac
    echo "=== $name: building $src ($cc $flags)" >&2
    # shellcheck disable=SC2086
    if ! $cc $flags "$src" -o "$B/$name" $libs; then
        failed="$failed $name(build)"
        continue
    fi
    echo "=== $name: running $B/$name $args" >&2
    # shellcheck disable=SC2086
    if ! "$B/$name" $args </dev/null; then
        failed="$failed $name"
    fi
done <<EOF
$BENCHES
EOF

if [ "$ran" -eq 0 ]; then
    echo "run.sh: no benchmark matches: $WANT" >&2
    exit 2
fi
if [ -n "$failed" ]; then
    echo "run.sh: FAILED:$failed" >&2
    exit 1
fi
