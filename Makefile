# SynaDB for C
#   make demo    build and run examples/quickstart.c
#   make test    build and run every test (last line: "N passed, N failed")
#   make lib     build/libsynadb.so and build/libsynadb.a
#   make bench   run the benchmarks against the peers (installs them if missing)
CC      ?= cc
CXX     ?= c++
CFLAGS  ?= -O2 -g
WARN    := -std=c99 -Wall -Wextra -Werror
LIBS    := -lpthread -lm
B       := build

all: lib $(B)/syna $(B)/quickstart $(B)/vector_search $(B)/hybrid_search $(B)/ml_quickstart

$(B):
	@mkdir -p $(B) $(B)/tests

# ---- library ----
HEADERS := synadb.h synadb_vec.h synadb_ml.h
$(B)/synadb_lib.c: Makefile | $(B)
	@printf '#define SYNADB_IMPLEMENTATION\n#define SYNADB_DLL\n#include "../synadb.h"\n#include "../synadb_vec.h"\n#include "../synadb_ml.h"\n' > $@
$(B)/libsynadb.so: $(HEADERS) $(B)/synadb_lib.c
	$(CC) $(WARN) $(CFLAGS) -fPIC -fvisibility=hidden -shared -I. $(B)/synadb_lib.c -o $@ $(LIBS)
$(B)/libsynadb.a: $(HEADERS) $(B)/synadb_lib.c
	$(CC) $(WARN) $(CFLAGS) -c -I. $(B)/synadb_lib.c -o $(B)/synadb_lib.o
	ar rcs $@ $(B)/synadb_lib.o
lib: $(B)/libsynadb.so $(B)/libsynadb.a

# ---- tools and examples ----
$(B)/syna: tools/syna.c $(HEADERS) | $(B)
	$(CC) $(WARN) $(CFLAGS) -I. tools/syna.c -o $@ $(LIBS)
$(B)/quickstart: examples/quickstart.c synadb.h | $(B)
	$(CC) $(WARN) $(CFLAGS) -I. examples/quickstart.c -o $@ $(LIBS)

$(B)/vector_search: examples/vector_search.c $(HEADERS) | $(B)
	$(CC) $(WARN) $(CFLAGS) -I. examples/vector_search.c -o $@ $(LIBS)

$(B)/hybrid_search: examples/hybrid_search.c $(HEADERS) | $(B)
	$(CC) $(WARN) $(CFLAGS) -I. examples/hybrid_search.c -o $@ $(LIBS)

$(B)/ml_quickstart: examples/ml_quickstart.c $(HEADERS) | $(B)
	$(CC) $(WARN) $(CFLAGS) -I. examples/ml_quickstart.c -o $@ $(LIBS)

demo: $(B)/quickstart
	cd $(B) && ./quickstart quickstart.db

# ---- tests ----
test: | $(B)
	@sh tests/run.sh

bench: all
	@sh bench/run.sh

clean:
	rm -rf $(B)

.PHONY: all lib demo test bench clean
