/* testing.h - the minimal test harness shared by every test program in tests/.
 *
 *   static void test_something(void) { CHECK(1 + 1 == 2); CHECK_EQ(x, 3); }
 *   int main(void) { RUN(test_something); return test_report(); }
 *
 * A test case passes when none of its checks fail. test_report() prints
 * "N passed, N failed" (test cases) as the last line and returns the exit status.
 */
#ifndef SYNADB_TESTING_H
#define SYNADB_TESTING_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define TESTING_UNUSED __attribute__((unused))
#else
#define TESTING_UNUSED
#endif

static int testing_cases_passed, testing_cases_failed, testing_case_failures;
static long long testing_checks;

#define CHECK(cond) do { testing_checks++; if (!(cond)) { testing_case_failures++; \
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)

#define CHECK_EQ(a, b) do { long long testing_a_ = (long long)(a), testing_b_ = (long long)(b); \
    testing_checks++; if (testing_a_ != testing_b_) { testing_case_failures++; \
    fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (%lld vs %lld)\n", __FILE__, __LINE__, \
            #a, #b, testing_a_, testing_b_); } } while (0)

/* For synadb_result values: prints the code's text on failure. */
#define CHECK_OK(expr) CHECK_EQ((expr), 0)

#define RUN(fn) do { testing_case_failures = 0; fn(); \
    if (testing_case_failures) { testing_cases_failed++; fprintf(stderr, "FAIL %s\n", #fn); } \
    else { testing_cases_passed++; } } while (0)

TESTING_UNUSED static int test_report(void) {
    printf("%d passed, %d failed\n", testing_cases_passed, testing_cases_failed);
    fflush(stdout);
    return testing_cases_failed ? 1 : 0;
}

/* A whole file in memory (NULL if it cannot be opened; *n = bytes read), and back. */
TESTING_UNUSED static unsigned char *test_slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    unsigned char *b;
    long sz;
    *n = 0;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = (unsigned char *)malloc((size_t)(sz > 0 ? sz : 0) + 1);
    if (b) *n = fread(b, 1, (size_t)(sz > 0 ? sz : 0), f);
    fclose(f);
    return b;
}
TESTING_UNUSED static void test_spit(const char *path, const unsigned char *b, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) return;
    if (n) fwrite(b, 1, n, f);
    fclose(f);
}

/* A fresh scratch path under $TMPDIR (or /tmp) unique to this process. */
#if defined(_WIN32)
#include <process.h>
#define testing_getpid _getpid
#else
#include <unistd.h>
#define testing_getpid getpid
#endif
TESTING_UNUSED static const char *test_path(char *buf, size_t cap, const char *name) {
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    snprintf(buf, cap, "%s/synadb-test-%d-%s", dir, (int)testing_getpid(), name);
    remove(buf);
    return buf;
}

/* Deterministic PRNG for tests (splitmix64). */
static unsigned long long testing_rng_state = 0x1234567ull;
TESTING_UNUSED static unsigned long long test_rand(void) {
    unsigned long long z = (testing_rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
/* Uniform in [0, 1) and in [-1, 1), from test_rand(). */
TESTING_UNUSED static double test_unit(void) { return (double)(test_rand() >> 11) * (1.0 / 9007199254740992.0); }
TESTING_UNUSED static float test_frand(void) { return (float)(test_unit() * 2.0 - 1.0); }

/* Child processes (fork, kill -9) are available: not on Windows or emscripten. */
#if !defined(_WIN32) && !defined(__EMSCRIPTEN__)
#define TEST_HAVE_PROCESSES 1
#else
#define TEST_HAVE_PROCESSES 0
#endif
TESTING_UNUSED static void test_seed(unsigned long long s) { testing_rng_state = s; }

#endif
