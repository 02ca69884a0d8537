// test_cpp.cpp - the header compiled as C++ (implementation included), used from C++.
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "testing.h"
#include <string>
#include <vector>

static char P[512];

static void test_cpp_roundtrip() {
    synadb_db *db = nullptr;
    synadb_config cfg = synadb_config_default();
    cfg.enable_delta = 1;
    cfg.enable_compression = 1;
    CHECK_OK(synadb_open(test_path(P, sizeof P, "cpp.db"), &cfg, &db));
    if (!db) return;
    std::string text(1000, 'x');
    CHECK_OK(synadb_put_text(db, "t", SYNADB_NTS, text.data(), text.size()));
    std::vector<double> v;
    for (int i = 0; i < 1000; i++) v.push_back(i * 0.25);
    CHECK_OK(synadb_put_floats_batch(db, "s", SYNADB_NTS, v.data(), v.size()));
    double *h = nullptr;
    size_t n = 0;
    CHECK_OK(synadb_history_floats(db, "s", SYNADB_NTS, &h, &n));
    CHECK(n == 1000 && h[999] == 999 * 0.25);
    synadb_free(db, h);
    char *out = nullptr;
    CHECK_OK(synadb_get_text(db, "t", SYNADB_NTS, &out, &n));
    CHECK(std::string(out, n) == text);
    synadb_free(db, out);
    CHECK_OK(synadb_close(db));
    CHECK_EQ(syna_open(P), 1);
    CHECK(syna_put_int(P, "i", 5) > 0);
    CHECK_EQ(syna_close(P), 1);
    remove(P);
}

int main() {
    RUN(test_cpp_roundtrip);
    return test_report();
}
