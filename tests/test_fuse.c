/* test_fuse.c - reciprocal rank fusion (synadb_rrf_fuse, synadb_rrf_fuse2).
 *  - a worked example with hand-computed scores (1/61 + 1/62 ...), weights, k_const;
 *  - ties: by best rank in any list, then by first appearance;
 *  - duplicates inside one list, keys equal bytewise (other pointers, embedded NULs,
 *    prefixes), id-only lists, keyed and id-only hits never matching each other;
 *  - a brute-force O(n^2) oracle on random lists (overlapping keys, weights, k_const,
 *    k beyond the union); long lists (64 x 10,000) against a direct computation;
 *  - bad arguments.
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_vec.h"
#include "testing.h"
#include <math.h>

static synadb_vec_hit H(const char *key, uint64_t id) {
    synadb_vec_hit h;
    h.id = id; h.score = 0; h.key = key; h.key_len = key ? strlen(key) : 0;
    return h;
}
static int fused_is(const synadb_fused_hit *f, const char *key, double score, uint32_t r0, uint32_t r1) {
    return f->key && strlen(key) == f->key_len && memcmp(f->key, key, f->key_len) == 0 && fabs(f->score - score) < 1e-15 &&
           f->ranks[0] == r0 && f->ranks[1] == r1 && f->ranks[2] == 0 && f->ranks[3] == 0;
}

/* ------------------------------------------------------------------ the oracle */
typedef struct { const char *key; size_t key_len; uint64_t id; double score; size_t best, first; uint32_t ranks[4]; } oitem;
static int hit_same(const synadb_vec_hit *a, const synadb_vec_hit *b) {
    if ((a->key == NULL) != (b->key == NULL)) return 0;
    if (!a->key) return a->id == b->id;
    return a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0;
}
static int item_same(const oitem *it, const synadb_vec_hit *x) {
    synadb_vec_hit h;
    h.key = it->key; h.key_len = it->key_len; h.id = it->id; h.score = 0;
    return hit_same(&h, x);
}
static int oitem_before(const oitem *x, const oitem *y) {
    if (x->score != y->score) return x->score > y->score;
    if (x->best != y->best) return x->best < y->best;
    return x->first < y->first;
}
/* Everything by the definition, quadratically; returns the number of items (all of them, sorted). */
static size_t oracle(const synadb_vec_hit *const *lists, const size_t *lens, size_t nl, const double *w, double kc, oitem *it) {
    size_t n = 0, i, j, jj, m;
    if (kc == 0) kc = 60;
    for (i = 0; i < nl; i++)
        for (j = 0; j < lens[i]; j++) {
            const synadb_vec_hit *x = &lists[i][j];
            int dup = 0;
            for (jj = 0; jj < j && !dup; jj++) dup = hit_same(&lists[i][jj], x);
            if (dup) continue;
            for (m = 0; m < n && !item_same(&it[m], x); m++) {}
            if (m == n) {
                memset(&it[n], 0, sizeof it[n]);
                it[n].key = x->key; it[n].key_len = x->key ? x->key_len : 0; it[n].id = x->id;
                it[n].best = j + 1; it[n].first = n;
                n++;
            }
            it[m].score += (w ? w[i] : 1.0) / (kc + (double)(j + 1));
            if (j + 1 < it[m].best) it[m].best = j + 1;
            if (i < 4) it[m].ranks[i] = (uint32_t)(j + 1);
        }
    for (i = 1; i < n; i++) {   /* insertion sort */
        oitem t = it[i];
        for (j = i; j > 0 && oitem_before(&t, &it[j - 1]); j--) it[j] = it[j - 1];
        it[j] = t;
    }
    return n;
}
/* 1 if out[0..nout) is the oracle's answer for k */
static int matches(const synadb_fused_hit *out, size_t nout, const oitem *it, size_t nit, size_t k) {
    size_t i, want = k < nit ? k : nit;
    if (nout != want) { fprintf(stderr, "  count %zu, oracle %zu\n", nout, want); return 0; }
    for (i = 0; i < nout; i++) {
        if (out[i].key != it[i].key || out[i].key_len != it[i].key_len || out[i].id != it[i].id ||
            out[i].score != it[i].score || memcmp(out[i].ranks, it[i].ranks, sizeof out[i].ranks) != 0) {
            fprintf(stderr, "  result %zu differs: got id %llu score %.17g, oracle id %llu score %.17g\n", i,
                    (unsigned long long)out[i].id, out[i].score, (unsigned long long)it[i].id, it[i].score);
            return 0;
        }
    }
    return 1;
}

/* ------------------------------------------------------------------ tests */
static void test_worked_example(void) {
    /* dense [a b c], sparse [b d a], k = 60:
       a = 1/61 + 1/63 = 124/3843   b = 1/62 + 1/61 = 123/3782   c = 1/63   d = 1/62
       b > a (1/62 > 1/63) > d > c */
    synadb_vec_hit dense[3], sparse[3];
    synadb_fused_hit f[8];
    size_t n = 99;
    dense[0] = H("a", 1); dense[1] = H("b", 2); dense[2] = H("c", 3);
    sparse[0] = H("b", 20); sparse[1] = H("d", 40); sparse[2] = H("a", 10);
    CHECK_OK(synadb_rrf_fuse2(dense, 3, sparse, 3, 0, 10, f, &n));
    CHECK_EQ(n, 4);
    CHECK(fused_is(&f[0], "b", 123.0 / 3782.0, 2, 1));
    CHECK(fused_is(&f[1], "a", 124.0 / 3843.0, 1, 3));
    CHECK(fused_is(&f[2], "d", 1.0 / 62.0, 0, 2));
    CHECK(fused_is(&f[3], "c", 1.0 / 63.0, 3, 0));
    CHECK(fabs(f[0].score - 0.032522474881015336) < 1e-15);   /* 123/3782 written out */
    /* key and id come from the first list the item appears in */
    CHECK(f[0].key == dense[1].key && f[0].id == 2);
    CHECK(f[2].key == sparse[1].key && f[2].id == 40);
    /* k_const 60 given explicitly is the same */
    {
        synadb_fused_hit g[8];
        size_t m = 0, i;
        CHECK_OK(synadb_rrf_fuse2(dense, 3, sparse, 3, 60, 10, g, &m));
        CHECK_EQ(m, 4);
        for (i = 0; i < m && i < 4; i++) CHECK(g[i].key == f[i].key && g[i].score == f[i].score);
    }
    /* k = 2 keeps the best two */
    CHECK_OK(synadb_rrf_fuse2(dense, 3, sparse, 3, 0, 2, f, &n));
    CHECK_EQ(n, 2);
    CHECK(fused_is(&f[0], "b", 123.0 / 3782.0, 2, 1) && fused_is(&f[1], "a", 124.0 / 3843.0, 1, 3));
    /* k_const 1: a = 1/2 + 1/4 = 0.75, b = 1/3 + 1/2, c = 1/4, d = 1/3: b > a > d > c */
    CHECK_OK(synadb_rrf_fuse2(dense, 3, sparse, 3, 1, 10, f, &n));
    CHECK_EQ(n, 4);
    CHECK(fused_is(&f[0], "b", 1.0 / 3 + 1.0 / 2, 2, 1));
    CHECK(fused_is(&f[1], "a", 0.75, 1, 3));
    CHECK(fused_is(&f[2], "d", 1.0 / 3, 0, 2));
    CHECK(fused_is(&f[3], "c", 0.25, 3, 0));
    /* one list alone: its order, scores 1/(60+r) */
    CHECK_OK(synadb_rrf_fuse2(dense, 3, NULL, 0, 0, 10, f, &n));
    CHECK_EQ(n, 3);
    CHECK(fused_is(&f[0], "a", 1.0 / 61, 1, 0) && fused_is(&f[1], "b", 1.0 / 62, 2, 0) && fused_is(&f[2], "c", 1.0 / 63, 3, 0));
    CHECK_OK(synadb_rrf_fuse2(NULL, 0, NULL, 0, 0, 10, f, &n));
    CHECK_EQ(n, 0);
}

static void test_weights(void) {
    synadb_vec_hit l0[3], l1[3];
    const synadb_vec_hit *ls[2];
    size_t lens[2] = {3, 3}, n = 0;
    double w[2] = {2.0, 0.5}, w0[2] = {1.0, 0.0};
    synadb_fused_hit f[8];
    l0[0] = H("a", 0); l0[1] = H("b", 0); l0[2] = H("c", 0);
    l1[0] = H("c", 0); l1[1] = H("d", 0); l1[2] = H("a", 0);
    ls[0] = l0; ls[1] = l1;
    /* a = 2/61 + 0.5/63, b = 2/62, c = 2/63 + 0.5/61, d = 0.5/62 */
    CHECK_OK(synadb_rrf_fuse(ls, lens, 2, w, 0, 8, f, &n));
    CHECK_EQ(n, 4);
    CHECK(fused_is(&f[0], "a", 2.0 / 61 + 0.5 / 63, 1, 3));
    CHECK(fused_is(&f[1], "c", 2.0 / 63 + 0.5 / 61, 3, 1));
    CHECK(fused_is(&f[2], "b", 2.0 / 62, 2, 0));
    CHECK(fused_is(&f[3], "d", 0.5 / 62, 0, 2));
    /* weight 0: the list's items are still in the union (score 0, ranks recorded) */
    CHECK_OK(synadb_rrf_fuse(ls, lens, 2, w0, 0, 8, f, &n));
    CHECK_EQ(n, 4);
    CHECK(fused_is(&f[0], "a", 1.0 / 61, 1, 3));
    CHECK(fused_is(&f[1], "b", 1.0 / 62, 2, 0));
    CHECK(fused_is(&f[2], "c", 1.0 / 63, 3, 1));
    CHECK(fused_is(&f[3], "d", 0.0, 0, 2));
    /* NULL weights = all 1 = fuse2 */
    {
        synadb_fused_hit g[8];
        size_t m = 0, i;
        CHECK_OK(synadb_rrf_fuse(ls, lens, 2, NULL, 10, 8, f, &n));
        CHECK_OK(synadb_rrf_fuse2(l0, 3, l1, 3, 10, 8, g, &m));
        CHECK_EQ(n, m);
        for (i = 0; i < n && i < m; i++) CHECK(f[i].key == g[i].key && f[i].score == g[i].score);
        CHECK(fused_is(&f[0], "a", 1.0 / 11 + 1.0 / 13, 1, 3) || fused_is(&f[0], "c", 1.0 / 11 + 1.0 / 13, 3, 1));
    }
}

static void test_ties(void) {
    synadb_vec_hit l0[3], l1[3];
    synadb_fused_hit f[8];
    size_t n = 0;
    /* symmetric: a and b both 1/61 + 1/62, best rank 1 each: first appearance (a) wins */
    l0[0] = H("a", 0); l0[1] = H("b", 0);
    l1[0] = H("b", 0); l1[1] = H("a", 0);
    CHECK_OK(synadb_rrf_fuse2(l0, 2, l1, 2, 0, 8, f, &n));
    CHECK_EQ(n, 2);
    CHECK(f[0].score == f[1].score);
    CHECK(fused_is(&f[0], "a", 1.0 / 61 + 1.0 / 62, 1, 2) && fused_is(&f[1], "b", 1.0 / 61 + 1.0 / 62, 2, 1));
    CHECK_OK(synadb_rrf_fuse2(l1, 2, l0, 2, 0, 8, f, &n));   /* the other way round: b first */
    CHECK(n == 2 && fused_is(&f[0], "b", 1.0 / 61 + 1.0 / 62, 1, 2));
    /* disjoint singletons: equal scores and ranks, first appearance */
    CHECK_OK(synadb_rrf_fuse2(l0 + 1, 1, l1 + 1, 1, 0, 8, f, &n));
    CHECK(n == 2 && fused_is(&f[0], "b", 1.0 / 61, 1, 0) && fused_is(&f[1], "a", 1.0 / 61, 0, 1));
    /* best rank before first appearance. k = 1: L0 = [p x q], L1 = [y z q]:
       p = 1/2, y = 1/2, q = 1/4 + 1/4 = 1/2 (exact), x = z = 1/3.
       q appears before y, but y's best rank (1) beats q's (3): p y q x z */
    l0[0] = H("p", 0); l0[1] = H("x", 0); l0[2] = H("q", 0);
    l1[0] = H("y", 0); l1[1] = H("z", 0); l1[2] = H("q", 0);
    CHECK_OK(synadb_rrf_fuse2(l0, 3, l1, 3, 1, 8, f, &n));
    CHECK_EQ(n, 5);
    CHECK(fused_is(&f[0], "p", 0.5, 1, 0));
    CHECK(fused_is(&f[1], "y", 0.5, 0, 1));
    CHECK(fused_is(&f[2], "q", 0.5, 3, 3));
    CHECK(fused_is(&f[3], "x", 1.0 / 3, 2, 0));
    CHECK(fused_is(&f[4], "z", 1.0 / 3, 0, 2));
}

static void test_duplicates_and_matching(void) {
    /* keys equal bytewise in other buffers, embedded NULs, prefixes, the empty key */
    static const char k1[] = "ab\0c", k2[] = "ab\0c", k3[] = "ab\0d", k4[] = "ab";
    synadb_vec_hit l0[5], l1[4];
    synadb_fused_hit f[10];
    size_t n = 0;
    memset(l0, 0, sizeof l0); memset(l1, 0, sizeof l1);
    l0[0].key = k1; l0[0].key_len = 4; l0[0].id = 7;
    l0[1].key = k3; l0[1].key_len = 4; l0[1].id = 7;
    l0[2].key = k2; l0[2].key_len = 4; l0[2].id = 9;   /* a duplicate of l0[0] inside list 0: ignored */
    l0[3].key = k4; l0[3].key_len = 2; l0[3].id = 7;   /* a prefix: another item */
    l0[4].key = k4; l0[4].key_len = 0; l0[4].id = 7;   /* the empty key: another item again */
    l1[0].key = k4; l1[0].key_len = 0; l1[0].id = 1;   /* the empty key again (same item as l0[4]) */
    l1[1].key = NULL; l1[1].id = 7;                    /* no key: never the same as a keyed hit */
    l1[2].key = k2; l1[2].key_len = 4; l1[2].id = 8;   /* same as l0[0] */
    l1[3].key = NULL; l1[3].id = 7;                    /* duplicate of l1[1] inside list 1 */
    CHECK_OK(synadb_rrf_fuse2(l0, 5, l1, 4, 0, 10, f, &n));
    CHECK_EQ(n, 5);
    /* "ab\0c" = 1/61 + 1/63; "" = 1/65 + 1/61; "ab\0d" = 1/62; none/7 = 1/62 (rank 2 in list 1, best 2,
       first appearance after "ab\0d"); "ab" = 1/64 */
    CHECK(f[0].key == k1 && f[0].key_len == 4 && f[0].id == 7 && f[0].ranks[0] == 1 && f[0].ranks[1] == 3 &&
          f[0].score == 1.0 / 61 + 1.0 / 63);
    CHECK(f[1].key == k4 && f[1].key_len == 0 && f[1].id == 7 && f[1].ranks[0] == 5 && f[1].ranks[1] == 1 &&
          f[1].score == 1.0 / 65 + 1.0 / 61);
    CHECK(f[2].key == k3 && f[2].ranks[0] == 2 && f[2].ranks[1] == 0 && f[2].score == 1.0 / 62);
    CHECK(f[3].key == NULL && f[3].key_len == 0 && f[3].id == 7 && f[3].ranks[0] == 0 && f[3].ranks[1] == 2 &&
          f[3].score == 1.0 / 62);
    CHECK(f[4].key == k4 && f[4].key_len == 2 && f[4].ranks[0] == 4 && f[4].score == 1.0 / 64);
    /* a list made only of duplicates */
    {
        synadb_vec_hit d[4];
        d[0] = H("x", 1); d[1] = H("x", 2); d[2] = H("x", 3); d[3] = H("x", 4);
        CHECK_OK(synadb_rrf_fuse2(d, 4, d, 4, 0, 10, f, &n));
        CHECK(n == 1 && f[0].id == 1 && f[0].score == 2.0 / 61 && f[0].ranks[0] == 1 && f[0].ranks[1] == 1);
    }
}

static void test_id_only(void) {
    synadb_vec_hit l0[4], l1[4], l2[2];
    const synadb_vec_hit *ls[3];
    size_t lens[3] = {4, 4, 2}, n = 0;
    synadb_fused_hit f[10];
    uint64_t ids0[4] = {5, 1, (uint64_t)1 << 40, 3}, ids1[4] = {3, 5, 2, (uint64_t)1 << 40}, ids2[2] = {2, 9};
    size_t i;
    for (i = 0; i < 4; i++) { l0[i] = H(NULL, ids0[i]); l1[i] = H(NULL, ids1[i]); }
    for (i = 0; i < 2; i++) l2[i] = H(NULL, ids2[i]);
    ls[0] = l0; ls[1] = l1; ls[2] = l2;
    CHECK_OK(synadb_rrf_fuse(ls, lens, 3, NULL, 0, 10, f, &n));
    CHECK_EQ(n, 6);
    /* 5 = 1/61 + 1/62; 3 = 1/64 + 1/61; 2 = 1/63 + 1/61; 2^40 = 1/63 + 1/64; 1 = 1/62; 9 = 1/62 */
    CHECK(f[0].id == 5 && f[0].key == NULL && f[0].score == 1.0 / 61 + 1.0 / 62);
    CHECK(f[1].id == 2 && f[1].score == 1.0 / 63 + 1.0 / 61 && f[1].ranks[0] == 0 && f[1].ranks[1] == 3 && f[1].ranks[2] == 1);
    CHECK(f[2].id == 3 && f[2].score == 1.0 / 64 + 1.0 / 61);
    CHECK(f[3].id == ((uint64_t)1 << 40) && f[3].score == 1.0 / 63 + 1.0 / 64);
    CHECK(f[4].id == 1 && f[4].score == 1.0 / 62 && f[4].ranks[0] == 2);
    CHECK(f[5].id == 9 && f[5].score == 1.0 / 62 && f[5].ranks[2] == 2);
}

/* random lists drawn from a pool of keys (each hit gets its own copy of the key) */
static void test_random_oracle(void) {
    int round, bad = 0;
    char pool[200][16];
    size_t p;
    test_seed(77);
    for (p = 0; p < 200; p++) snprintf(pool[p], sizeof pool[p], "key-%zu", p);   /* key-1 is a prefix of key-12 ... */
    for (round = 0; round < 400 && !bad; round++) {
        size_t nl = 1 + (size_t)(test_rand() % 8), poolsz = 2 + (size_t)(test_rand() % 199), i, j, total = 0, nit, nout = 0, k;
        int mode = (int)(test_rand() % 3);          /* 0 keyed, 1 id-only, 2 mixed */
        const synadb_vec_hit *ls[8];
        synadb_vec_hit *own[8];
        size_t lens[8];
        double w[8], kcs[6] = {0, 60, 1, 0.5, 1e-3, 1000}, kc = kcs[test_rand() % 6];
        int use_w = (int)(test_rand() % 2);
        char **copies;
        oitem *it;
        synadb_fused_hit *out;
        for (i = 0; i < nl; i++) {
            lens[i] = test_rand() % 5 == 0 ? 0 : (size_t)(test_rand() % 120);
            w[i] = test_rand() % 4 == 0 ? 0.0 : test_unit() * 3;
            total += lens[i];
        }
        copies = (char **)calloc(total + 1, sizeof *copies);
        it = (oitem *)calloc(total + 1, sizeof *it);
        out = (synadb_fused_hit *)calloc(total + 1, sizeof *out);
        if (!copies || !it || !out) { CHECK(0); free(copies); free(it); free(out); return; }
        total = 0;
        for (i = 0; i < nl; i++) {
            own[i] = lens[i] ? (synadb_vec_hit *)calloc(lens[i], sizeof *own[i]) : NULL;
            ls[i] = own[i];
            for (j = 0; j < lens[i]; j++) {
                size_t q = (size_t)(test_rand() % poolsz);
                int keyed = mode == 0 || (mode == 2 && test_rand() % 2);
                own[i][j].id = q;                   /* ids collide with keyed items' ids: different items */
                own[i][j].score = (float)j;
                if (keyed) {
                    copies[total] = (char *)malloc(16);
                    if (copies[total]) memcpy(copies[total], pool[q], 16);
                    own[i][j].key = copies[total++];
                    own[i][j].key_len = strlen(pool[q]);
                }
            }
        }
        if (nl > 1 && lens[nl - 1] == 0 && test_rand() % 2) ls[nl - 1] = NULL;   /* a NULL list of length 0 */
        nit = oracle(ls, lens, nl, use_w ? w : NULL, kc, it);
        k = test_rand() % 4 == 0 ? nit + 5 : (size_t)(test_rand() % (nit + 2));
        if (synadb_rrf_fuse(ls, lens, nl, use_w ? w : NULL, kc, k, out, &nout) != SYNADB_OK || !matches(out, nout, it, nit, k)) {
            fprintf(stderr, "  round %d: %zu lists, pool %zu, mode %d, k_const %g, k %zu\n", round, nl, poolsz, mode, kc, k);
            bad = 1;
        }
        if (nl == 2 && !use_w) {   /* fuse2 gives the same */
            synadb_fused_hit *o2 = (synadb_fused_hit *)calloc(total + nit + 1, sizeof *o2);
            size_t n2 = 0;
            if (o2 && (synadb_rrf_fuse2(ls[0], lens[0], ls[1], lens[1], kc, k, o2, &n2) != SYNADB_OK || !matches(o2, n2, it, nit, k))) bad = 1;
            free(o2);
        }
        for (i = 0; i < total; i++) free(copies[i]);
        for (i = 0; i < nl; i++) free(own[i]);
        free(copies); free(it); free(out);
    }
    CHECK(!bad);
}

/* 64 lists x 10,000 ids: each list a permutation of the same 10,000 keys (plus 2,000 of its own);
   a quadratic matcher would take minutes here */
static void test_long_lists(void) {
    enum { NL = 64, N = 10000, EXTRA = 2000, LEN = N + EXTRA };
    synadb_vec_hit *l[NL];
    const synadb_vec_hit *ls[NL];
    size_t lens[NL], i, j, n = 0, nk = N + (size_t)NL * EXTRA;
    double *want = (double *)calloc(nk, sizeof *want), w[NL];
    synadb_fused_hit *out = (synadb_fused_hit *)calloc(nk, sizeof *out);
    uint32_t *perm = (uint32_t *)malloc(LEN * sizeof *perm);
    int ok = 1;
    test_seed(99);
    if (!want || !out || !perm) { CHECK(0); free(want); free(out); free(perm); return; }
    for (i = 0; i < NL; i++) {
        l[i] = (synadb_vec_hit *)calloc(LEN, sizeof *l[i]);
        ls[i] = l[i];
        lens[i] = LEN;
        w[i] = 0.5 + (double)(i % 3);
        if (!l[i]) { CHECK(0); return; }
        for (j = 0; j < LEN; j++) perm[j] = j < N ? (uint32_t)j : (uint32_t)(N + i * EXTRA + (j - N));
        for (j = LEN - 1; j > 0; j--) { size_t r = (size_t)(test_rand() % (j + 1)); uint32_t t = perm[j]; perm[j] = perm[r]; perm[r] = t; }
        for (j = 0; j < LEN; j++) {
            l[i][j].key = NULL; l[i][j].id = (uint64_t)perm[j] * 0x100000001ull;   /* ids spread over 64 bits */
            want[perm[j]] += w[i] / (60.0 + (double)(j + 1));
        }
    }
    CHECK_OK(synadb_rrf_fuse(ls, lens, NL, w, 0, nk, out, &n));
    CHECK_EQ(n, nk);
    for (i = 0; i < n && ok; i++) {
        uint64_t key = out[i].id / 0x100000001ull;
        if (key >= nk || out[i].id % 0x100000001ull || fabs(out[i].score - want[key]) > 1e-12) ok = 0;
        if (i && out[i].score > out[i - 1].score) ok = 0;
    }
    CHECK(ok);
    /* the top 10 alone */
    CHECK_OK(synadb_rrf_fuse(ls, lens, NL, w, 0, 10, out + 100, &n));
    CHECK_EQ(n, 10);
    for (i = 0; i < 10; i++) CHECK(out[100 + i].id == out[i].id);
    /* two lists of 10,000 keyed hits, fully overlapping */
    {
        char (*kb)[16] = (char (*)[16])malloc((size_t)N * 16);
        if (kb) {
            for (j = 0; j < N; j++) {
                snprintf(kb[j], 16, "doc%zu", (size_t)(N - 1 - j));
                l[0][j].key = kb[j]; l[0][j].key_len = strlen(kb[j]);
                l[1][N - 1 - j] = l[0][j];   /* reversed */
            }
            CHECK_OK(synadb_rrf_fuse2(l[0], N, l[1], N, 0, 5, out, &n));
            CHECK_EQ(n, 5);
            /* every item scores 1/(60+r) + 1/(60+N+1-r): largest at the ends, r = 1 and r = N, tie -> first appearance */
            CHECK(out[0].key == l[0][0].key && out[1].key == l[0][N - 1].key);
            CHECK(out[0].score == out[1].score && out[0].score == 1.0 / 61 + 1.0 / (60 + N));
        }
        free(kb);
    }
    for (i = 0; i < NL; i++) free(l[i]);
    free(want); free(out); free(perm);
}

static void test_bad_args(void) {
    synadb_vec_hit l0[2];
    const synadb_vec_hit *ls[65];
    const synadb_vec_hit *lnull[2];
    size_t lens[65], n = 77, i;
    synadb_fused_hit f[4];
    double w[2] = {1, 1};
    l0[0] = H("a", 1); l0[1] = H("b", 2);
    for (i = 0; i < 65; i++) { ls[i] = l0; lens[i] = 2; }
    CHECK_EQ(synadb_rrf_fuse(ls, lens, 0, NULL, 0, 4, f, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(n, 0);
    CHECK_EQ(synadb_rrf_fuse(ls, lens, 65, NULL, 0, 4, f, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_rrf_fuse(ls, lens, 64, NULL, 0, 4, f, &n));   /* 64 is the limit */
    CHECK(n == 2 && fabs(f[0].score - 64.0 / 61) < 1e-12 && f[0].ranks[3] == 1);
    CHECK_EQ(synadb_rrf_fuse(NULL, lens, 2, NULL, 0, 4, f, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rrf_fuse(ls, NULL, 2, NULL, 0, 4, f, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rrf_fuse(ls, lens, 2, NULL, 0, 4, NULL, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rrf_fuse(ls, lens, 2, NULL, 0, 4, f, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rrf_fuse2(l0, 2, l0, 2, 0, 4, f, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rrf_fuse2(l0, 2, l0, 2, 0, 4, NULL, &n), SYNADB_ERR_INVALID_ARG);
    n = 5;
    CHECK_OK(synadb_rrf_fuse(ls, lens, 2, NULL, 0, 0, NULL, &n));   /* k 0: out may be NULL */
    CHECK_EQ(n, 0);
    lnull[0] = l0; lnull[1] = NULL;
    CHECK_EQ(synadb_rrf_fuse(lnull, lens, 2, NULL, 0, 4, f, &n), SYNADB_ERR_INVALID_ARG);   /* NULL list, length 2 */
    CHECK_EQ(synadb_rrf_fuse2(NULL, 1, l0, 2, 0, 4, f, &n), SYNADB_ERR_INVALID_ARG);
    lens[1] = 0;
    CHECK_OK(synadb_rrf_fuse(lnull, lens, 2, NULL, 0, 4, f, &n));   /* NULL list, length 0: fine */
    CHECK_EQ(n, 2);
    lens[1] = 2;
    /* k_const: negative, NaN, infinite */
    CHECK_EQ(synadb_rrf_fuse(ls, lens, 2, NULL, -1, 4, f, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rrf_fuse(ls, lens, 2, NULL, (double)NAN, 4, f, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rrf_fuse(ls, lens, 2, NULL, (double)INFINITY, 4, f, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_rrf_fuse2(l0, 2, l0, 2, -(double)INFINITY, 4, f, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_rrf_fuse(ls, lens, 2, NULL, 1e-300, 4, f, &n));   /* tiny but > 0 */
    /* weights: negative, NaN, infinite; 0 is fine */
    w[1] = -0.5; CHECK_EQ(synadb_rrf_fuse(ls, lens, 2, w, 0, 4, f, &n), SYNADB_ERR_INVALID_ARG);
    w[1] = (double)NAN; CHECK_EQ(synadb_rrf_fuse(ls, lens, 2, w, 0, 4, f, &n), SYNADB_ERR_INVALID_ARG);
    w[1] = (double)INFINITY; CHECK_EQ(synadb_rrf_fuse(ls, lens, 2, w, 0, 4, f, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(n, 0);
    w[0] = 0; w[1] = 0; CHECK_OK(synadb_rrf_fuse(ls, lens, 2, w, 0, 4, f, &n));
    CHECK(n == 2 && f[0].score == 0 && f[0].key == l0[0].key && f[1].key == l0[1].key);   /* all 0: by best rank */
    /* k beyond the union */
    CHECK_OK(synadb_rrf_fuse2(l0, 2, l0, 1, 0, 1000, f, &n));
    CHECK_EQ(n, 2);
    /* lengths whose sum overflows */
    lens[0] = (size_t)-1; lens[1] = 2;
    CHECK(synadb_rrf_fuse(ls, lens, 2, NULL, 0, 4, f, &n) != SYNADB_OK);
}

int main(void) {
    RUN(test_worked_example);
    RUN(test_weights);
    RUN(test_ties);
    RUN(test_duplicates_and_matching);
    RUN(test_id_only);
    RUN(test_random_oracle);
    RUN(test_long_lists);
    RUN(test_bad_args);
    return test_report();
}
