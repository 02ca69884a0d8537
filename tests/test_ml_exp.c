/* test_ml_exp.c - experiment tracking of synadb_ml.h (>>ml.exp):
 *  - runs, params (immutable: same value again is fine, another is PARAM_CONFLICT, a batch
 *    with a conflict writes nothing), tags (last write wins), ended runs (RUN_ENDED), the
 *    end_run statuses (Running refused);
 *  - metric series: order by step (equal steps in logging order), the latest-value rule
 *    (largest step, then timestamp: step 5 after step 10 leaves the latest alone), NaN and
 *    infinities kept, block boundaries, batches, reopen;
 *  - artifacts stored once per SHA-256 (stored-bytes count), damaged blob -> CHECKSUM;
 *  - queries against a brute-force oracle over random runs and random filters (sorting,
 *    limits, missing keys, NaN), filter syntax errors with their byte offsets;
 *  - reopen persistence of everything; bad input (NULL, unknown run, empty and long keys,
 *    MLflow's length limits);
 *  - the path-keyed ABI (syna_exp_*), its codes and JSON;
 *  - a crash test: a child logs metrics with periodic flushes and reports the acknowledged
 *    counts through a pipe, is killed with SIGKILL; reopen: everything acknowledged is there;
 *  - threads logging to different runs and to the same run while others query (TSan build:
 *    argument "threads" runs that part only).
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_ml.h"
#include "testing.h"

#include <math.h>
#include <pthread.h>
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define TEST_HAVE_THREADS 0   /* the WebAssembly build: one thread */
#else
#define TEST_HAVE_THREADS 1
#endif
#if TEST_HAVE_PROCESSES
#include <signal.h>
#include <sys/wait.h>
#endif

static char P[512];
static synadb_exp *fresh(const char *name, const synadb_exp_config *cfg) {
    synadb_exp *t = NULL;
    test_path(P, sizeof P, name);
    CHECK_OK(synadb_exp_open(P, cfg, &t));
    return t;
}
static synadb_exp *reopen(synadb_exp *t, const synadb_exp_config *cfg) {
    CHECK_OK(synadb_exp_close(t));
    t = NULL;
    CHECK_OK(synadb_exp_open(P, cfg, &t));
    return t;
}
static int has(const char *s, const char *sub) { return s && strstr(s, sub) != NULL; }

static void test_basic(void) {
    synadb_exp *t = fresh("basic", NULL);
    char run[37], *v = NULL, *js = NULL;
    synadb_exp_kv tags[2] = {{"team", "vision"}, {"gpu", "a100"}};
    synadb_exp_run r;
    size_t n = 0, i;
    double lv;
    int64_t ls;
    CHECK_OK(synadb_exp_start_run(t, "mnist", tags, 2, run));
    CHECK_EQ(strlen(run), 36);
    CHECK(run[8] == '-' && run[13] == '-' && run[14] == '4' && run[18] == '-' && run[23] == '-');
    CHECK(strchr("89ab", run[19]) != NULL);
    CHECK_OK(synadb_exp_log_param(t, run, "lr", "0.001"));
    CHECK_OK(synadb_exp_get_param(t, run, "lr", &v, &n));
    CHECK(v && !strcmp(v, "0.001") && n == 5);
    synadb_exp_free(v);
    CHECK_EQ(synadb_exp_get_param(t, run, "nope", &v, &n), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_OK(synadb_exp_log_metric(t, run, "loss", 0.5, 1));
    CHECK_OK(synadb_exp_log_metric(t, run, "loss", 0.25, 2));
    CHECK_OK(synadb_exp_get_latest(t, run, "loss", &lv, &ls));
    CHECK(lv == 0.25 && ls == 2);
    CHECK_OK(synadb_exp_set_tag(t, run, "team", "nlp"));
    CHECK_OK(synadb_exp_log_artifact(t, run, "model.bin", "abc", 3));
    CHECK_OK(synadb_exp_end_run(t, run, SYNADB_EXP_COMPLETED));
    CHECK_OK(synadb_exp_get_run(t, run, &r));
    CHECK(!strcmp(r.id, run) && !strcmp(r.experiment, "mnist") && r.status == SYNADB_EXP_COMPLETED);
    CHECK(r.started_us > 0 && r.ended_us >= r.started_us);
    CHECK_EQ(r.nparams, 1);
    CHECK_EQ(r.ntags, 2);
    CHECK(!strcmp(r.tags[0].key, "gpu") && !strcmp(r.tags[1].key, "team") && !strcmp(r.tags[1].value, "nlp"));
    CHECK_EQ(r.nmetrics, 1);
    CHECK(r.metrics[0].count == 2 && r.metrics[0].value == 0.25 && r.metrics[0].min == 0.25 && r.metrics[0].max == 0.5 && r.metrics[0].mean == 0.375);
    CHECK_EQ(r.nartifacts, 1);
    CHECK(!strcmp(r.artifacts[0].sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") && r.artifacts[0].size == 3);
    synadb_exp_run_free(&r);
    CHECK_OK(synadb_exp_run_json(t, run, &js, &n));
    {
        synadb__jdoc d;
        CHECK(synadb__jparse(js, n, &d) == 0);
        CHECK(synadb__jget(d.root, "status") && !strcmp(synadb__jget(d.root, "status")->s, "Completed"));
        CHECK(synadb__jget(d.root, "tags") && synadb__jget(d.root, "tags")->nkid == 2);
        CHECK(synadb__jget(synadb__jget(d.root, "metrics"), "loss") && synadb__jget(synadb__jget(d.root, "metrics"), "loss")->num == 0.25);
        CHECK(synadb__jget(synadb__jget(d.root, "params"), "lr") != NULL);
        CHECK(synadb__jget(d.root, "ended_at") && synadb__jget(d.root, "ended_at")->type == SYNADB__JNUM);
        synadb__jdoc_free(&d);
    }
    synadb_exp_free(js);
    for (i = 0; i < 3; i++) { char r2[37]; CHECK_OK(synadb_exp_start_run(t, i == 1 ? "other" : "mnist", NULL, 0, r2)); CHECK(strcmp(r2, run)); }
    {
        synadb_exp_idlist l;
        CHECK_OK(synadb_exp_list_runs(t, "mnist", &l));
        CHECK_EQ(l.count, 3);
        if (l.count == 3) CHECK(!strcmp(l.ids[0].s, run));
        synadb_exp_idlist_free(&l);
        CHECK_OK(synadb_exp_list_runs(t, NULL, &l));
        CHECK_EQ(l.count, 4);
        synadb_exp_idlist_free(&l);
        CHECK_OK(synadb_exp_list_runs(t, "nothing", &l));
        CHECK_EQ(l.count, 0);
        synadb_exp_idlist_free(&l);
    }
    CHECK_OK(synadb_exp_close(t));
}

static void test_params_and_status(void) {
    synadb_exp *t = fresh("params", NULL);
    char run[37], *v = NULL;
    size_t n;
    synadb_exp_kv ok2[2] = {{"a", "1"}, {"b", "2"}}, bad[2] = {{"c", "3"}, {"a", "9"}}, dup[2] = {{"d", "1"}, {"d", "2"}}, dupsame[2] = {{"e", "1"}, {"e", "1"}};
    synadb_exp_run r;
    CHECK_OK(synadb_exp_start_run(t, "x", NULL, 0, run));
    CHECK_OK(synadb_exp_log_params(t, run, ok2, 2));
    CHECK_OK(synadb_exp_log_param(t, run, "a", "1"));          /* same value: fine */
    CHECK_EQ(synadb_exp_log_param(t, run, "a", "2"), SYNADB_ERR_PARAM_CONFLICT);
    CHECK(has(synadb_exp_errmsg(t), "'a'"));
    CHECK_EQ(synadb_exp_log_params(t, run, bad, 2), SYNADB_ERR_PARAM_CONFLICT);
    CHECK_EQ(synadb_exp_get_param(t, run, "c", &v, &n), SYNADB_ERR_KEY_NOT_FOUND);   /* all or nothing */
    CHECK_EQ(synadb_exp_log_params(t, run, dup, 2), SYNADB_ERR_PARAM_CONFLICT);
    CHECK_OK(synadb_exp_log_params(t, run, dupsame, 2));
    CHECK_OK(synadb_exp_log_param(t, run, "empty", ""));
    CHECK_OK(synadb_exp_get_param(t, run, "empty", &v, &n));
    CHECK(v && n == 0 && v[0] == 0);
    synadb_exp_free(v);
    /* statuses */
    CHECK_EQ(synadb_exp_end_run(t, run, SYNADB_EXP_RUNNING), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_end_run(t, run, 4), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_end_run(t, run, -1), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_exp_log_metric(t, run, "m", 1.0, 0));   /* still running */
    CHECK_OK(synadb_exp_end_run(t, run, SYNADB_EXP_FAILED));
    CHECK_EQ(synadb_exp_end_run(t, run, SYNADB_EXP_COMPLETED), SYNADB_ERR_RUN_ENDED);
    CHECK_EQ(synadb_exp_log_param(t, run, "z", "1"), SYNADB_ERR_RUN_ENDED);
    CHECK_EQ(synadb_exp_log_param(t, run, "a", "1"), SYNADB_ERR_RUN_ENDED);
    CHECK_EQ(synadb_exp_log_metric(t, run, "m", 1.0, 1), SYNADB_ERR_RUN_ENDED);
    {
        synadb_exp_point p = {"m", 2.0, 3, 0};
        CHECK_EQ(synadb_exp_log_metrics(t, run, &p, 1), SYNADB_ERR_RUN_ENDED);
    }
    CHECK_EQ(synadb_exp_log_artifact(t, run, "f", "x", 1), SYNADB_ERR_RUN_ENDED);
    CHECK(has(synadb_exp_errmsg(t), "ended"));
    CHECK_OK(synadb_exp_set_tag(t, run, "note", "after the end"));   /* tags may change */
    t = reopen(t, NULL);
    CHECK_OK(synadb_exp_get_run(t, run, &r));
    CHECK(r.status == SYNADB_EXP_FAILED && r.ended_us > 0 && r.nparams == 4 && r.ntags == 1 && r.nmetrics == 1);
    if (r.nmetrics == 1) CHECK(r.metrics[0].count == 1);
    synadb_exp_run_free(&r);
    CHECK_EQ(synadb_exp_log_param(t, run, "a", "1"), SYNADB_ERR_RUN_ENDED);
    {   /* killed */
        char r2[37];
        CHECK_OK(synadb_exp_start_run(t, "x", NULL, 0, r2));
        CHECK_OK(synadb_exp_end_run(t, r2, SYNADB_EXP_KILLED));
        CHECK_OK(synadb_exp_get_run(t, r2, &r));
        CHECK_EQ(r.status, SYNADB_EXP_KILLED);
        synadb_exp_run_free(&r);
    }
    CHECK_OK(synadb_exp_close(t));
}

static void test_bad_input(void) {
    synadb_exp *t = NULL;
    char run[37], name[300], *big, *v;
    size_t n;
    double d;
    synadb_exp_run r;
    memset(name, 'k', sizeof name);
    test_path(P, sizeof P, "bad");
    CHECK_EQ(synadb_exp_open(NULL, NULL, &t), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_open(P, NULL, NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_exp_open(P, NULL, &t));
    CHECK_EQ(synadb_exp_start_run(NULL, "x", NULL, 0, run), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_start_run(t, NULL, NULL, 0, run), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_start_run(t, "", NULL, 0, run), SYNADB_ERR_EMPTY_KEY);
    CHECK_EQ(synadb_exp_start_run(t, "a\nb", NULL, 0, run), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_start_run(t, "x", NULL, 0, NULL), SYNADB_ERR_INVALID_ARG);
    {
        synadb_exp_kv bt = {"", "v"};
        CHECK_EQ(synadb_exp_start_run(t, "x", &bt, 1, run), SYNADB_ERR_EMPTY_KEY);
    }
    big = (char *)malloc(7000);
    memset(big, 'e', 7000);
    big[500] = 0;
    CHECK_OK(synadb_exp_start_run(t, big, NULL, 0, run));             /* experiment name 500 */
    big[500] = 'e'; big[501] = 0;
    CHECK_EQ(synadb_exp_start_run(t, big, NULL, 0, run), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_exp_start_run(t, "x", NULL, 0, run));
    /* unknown runs */
    CHECK_EQ(synadb_exp_log_param(t, "00000000-0000-4000-8000-000000000000", "a", "b"), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_exp_log_metric(t, "short", "a", 1, 1), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_exp_log_metric(t, NULL, "a", 1, 1), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_end_run(t, "00000000-0000-4000-8000-000000000000", 1), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_exp_get_run(t, "00000000-0000-4000-8000-000000000000", &r), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_exp_set_tag(t, "x", "a", "b"), SYNADB_ERR_KEY_NOT_FOUND);
    /* keys */
    CHECK_EQ(synadb_exp_log_metric(t, run, "", 1, 1), SYNADB_ERR_EMPTY_KEY);
    CHECK_EQ(synadb_exp_log_metric(t, run, NULL, 1, 1), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_log_param(t, run, "", "v"), SYNADB_ERR_EMPTY_KEY);
    CHECK_EQ(synadb_exp_log_param(t, run, "k", NULL), SYNADB_ERR_INVALID_ARG);
    name[250] = 0;
    CHECK_OK(synadb_exp_log_param(t, run, name, "v"));
    CHECK_OK(synadb_exp_log_metric(t, run, name, 1, 1));
    name[250] = 'k'; name[251] = 0;
    CHECK_EQ(synadb_exp_log_param(t, run, name, "v"), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_log_metric(t, run, name, 1, 1), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_log_param(t, run, "/abs", "v"), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_log_param(t, run, "a/../b", "v"), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_log_param(t, run, "..", "v"), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_log_param(t, run, "a*b", "v"), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_log_param(t, run, "a'b", "v"), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_exp_log_param(t, run, "a..b/c.d e:f-g_h", "v"));
    CHECK_OK(synadb_exp_log_param(t, run, "caf\xc3\xa9", "v"));
    memset(big, 'e', 7000);
    big[6000] = 0;
    CHECK_OK(synadb_exp_log_param(t, run, "p6000", big));
    big[6000] = 'e'; big[6001] = 0;
    CHECK_EQ(synadb_exp_log_param(t, run, "p6001", big), SYNADB_ERR_INVALID_ARG);
    big[5000] = 0;
    CHECK_OK(synadb_exp_set_tag(t, run, "t5000", big));
    big[5000] = 'e';
    CHECK_EQ(synadb_exp_set_tag(t, run, "t5001", big), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_log_param(t, run, "bad", "\xff\xfe"), SYNADB_ERR_INVALID_ARG);
    free(big);
    /* NaN and infinities are kept */
    CHECK_OK(synadb_exp_log_metric(t, run, "nan", NAN, 1));
    CHECK_OK(synadb_exp_get_latest(t, run, "nan", &d, NULL));
    CHECK(d != d);
    CHECK_OK(synadb_exp_log_metric(t, run, "inf", INFINITY, 1));
    CHECK_OK(synadb_exp_log_metric(t, run, "inf", -INFINITY, 2));
    CHECK_OK(synadb_exp_get_latest(t, run, "inf", &d, NULL));
    CHECK(d == -INFINITY);
    CHECK_EQ(synadb_exp_get_latest(t, run, "none", &d, NULL), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK_EQ(synadb_exp_log_artifact(t, run, "a", NULL, 3), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_log_artifact(t, run, "", "x", 1), SYNADB_ERR_EMPTY_KEY);
    CHECK_EQ(synadb_exp_log_series(t, run, "s", NULL, NULL, 3), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_log_metrics(t, run, NULL, 3), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_exp_log_metrics(t, run, NULL, 0));
    {
        synadb_exp_point pts[2] = {{"ok", 1, 1, 0}, {"", 2, 2, 0}};
        CHECK_EQ(synadb_exp_log_metrics(t, run, pts, 2), SYNADB_ERR_EMPTY_KEY);
        CHECK_EQ(synadb_exp_get_latest(t, run, "ok", &d, NULL), SYNADB_ERR_KEY_NOT_FOUND);   /* nothing logged */
    }
    CHECK_EQ(synadb_exp_get_param(t, run, NULL, &v, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_get_param(t, run, "x", NULL, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_close(NULL), SYNADB_ERR_INVALID_ARG);
    CHECK_EQ(synadb_exp_flush(NULL), SYNADB_ERR_INVALID_ARG);
    t = reopen(t, NULL);
    CHECK_OK(synadb_exp_get_latest(t, run, "nan", &d, NULL));
    CHECK(d != d);
    CHECK_OK(synadb_exp_close(t));
}

/* A series written in odd orders across block boundaries. */
static void test_series(void) {
    synadb_exp_config c = synadb_exp_config_default();
    synadb_exp *t;
    char run[37];
    int64_t *st = NULL, *ts = NULL;
    double *v = NULL, d;
    size_t n = 0, i;
    int64_t s;
    int pass;
    c.block_points = 7;
    t = fresh("series", &c);
    CHECK_OK(synadb_exp_start_run(t, "x", NULL, 0, run));
    CHECK_OK(synadb_exp_log_metric(t, run, "acc", 0.9, 10));
    CHECK_OK(synadb_exp_log_metric(t, run, "acc", 0.1, 5));            /* step 5 after step 10 */
    CHECK_OK(synadb_exp_get_latest(t, run, "acc", &d, &s));
    CHECK(d == 0.9 && s == 10);
    CHECK_OK(synadb_exp_log_metric_ts(t, run, "acc", 0.7, 10, 1));       /* equal step, older timestamp */
    CHECK_OK(synadb_exp_get_latest(t, run, "acc", &d, &s));
    CHECK(d == 0.9);
    CHECK_OK(synadb_exp_log_metric_ts(t, run, "acc", 0.95, 10, (int64_t)4e15));   /* equal step, newer timestamp */
    CHECK_OK(synadb_exp_get_latest(t, run, "acc", &d, &s));
    CHECK(d == 0.95);
    /* 100 points in a shuffled step order, some repeated, over many blocks */
    for (i = 0; i < 100; i++) CHECK_OK(synadb_exp_log_metric(t, run, "loss", (double)i, (int64_t)((i * 37) % 50)));
    for (pass = 0; pass < 3; pass++) {
        CHECK_OK(synadb_exp_get_metric(t, run, "loss", &st, &v, &ts, &n));
        CHECK_EQ(n, 100);
        for (i = 0; i < n; i++) {
            CHECK_EQ(st[i], (int64_t)(i / 2));
            if (i % 2 == 1) CHECK(v[i] > v[i - 1]);        /* equal steps in logging order */
            CHECK_EQ((int64_t)((size_t)v[i] * 37 % 50), st[i]);
            CHECK(ts[i] > 0);
        }
        synadb_exp_free(st); synadb_exp_free(v); synadb_exp_free(ts);
        CHECK_OK(synadb_exp_get_latest(t, run, "loss", &d, &s));
        CHECK(s == 49 && d == 77.0);   /* step 49 is logged by i = 27 and i = 77: the later wins */
        if (pass == 0) CHECK_OK(synadb_exp_flush(t));
        if (pass == 1) t = reopen(t, &c);
    }
    /* log_series without steps continues the count; batches with many keys */
    {
        double vals[20];
        int64_t steps[20];
        synadb_exp_point pts[30];
        for (i = 0; i < 20; i++) { vals[i] = (double)i * 0.5; steps[i] = (int64_t)i * 100; }
        CHECK_OK(synadb_exp_log_series(t, run, "ser", NULL, vals, 10));
        CHECK_OK(synadb_exp_log_series(t, run, "ser", NULL, vals + 10, 10));
        CHECK_OK(synadb_exp_get_metric(t, run, "ser", &st, &v, NULL, &n));
        CHECK_EQ(n, 20);
        for (i = 0; i < n; i++) { CHECK_EQ(st[i], (int64_t)i); CHECK(v[i] == vals[i]); }
        synadb_exp_free(st); synadb_exp_free(v);
        CHECK_OK(synadb_exp_log_series(t, run, "ser2", steps, vals, 20));
        for (i = 0; i < 30; i++) { pts[i].key = i % 3 == 0 ? "b0" : i % 3 == 1 ? "b1" : "b2"; pts[i].value = (double)i; pts[i].step = (int64_t)i; pts[i].timestamp_us = 0; }
        pts[29].step = SYNADB_EXP_STEP_NOW;
        CHECK_OK(synadb_exp_log_metrics(t, run, pts, 30));
        t = reopen(t, &c);
        CHECK_OK(synadb_exp_get_metric(t, run, "ser2", &st, &v, NULL, &n));
        CHECK_EQ(n, 20);
        for (i = 0; i < n; i++) { CHECK_EQ(st[i], (int64_t)i * 100); CHECK(v[i] == vals[i]); }
        synadb_exp_free(st); synadb_exp_free(v);
        CHECK_OK(synadb_exp_get_metric(t, run, "b2", &st, &v, &ts, &n));
        CHECK_EQ(n, 10);
        if (n == 10) { CHECK(st[9] > (int64_t)1e15 && st[9] == ts[9]); CHECK(v[9] == 29.0); CHECK(st[0] == 2 && v[0] == 2.0); }
        synadb_exp_free(st); synadb_exp_free(v); synadb_exp_free(ts);
        CHECK_OK(synadb_exp_get_latest(t, run, "b2", &d, NULL));
        CHECK(d == 29.0);
    }
    /* NaN points and the summary statistics */
    {
        synadb_exp_run r;
        CHECK_OK(synadb_exp_log_metric(t, run, "nanny", 1.0, 1));
        CHECK_OK(synadb_exp_log_metric(t, run, "nanny", NAN, 2));
        CHECK_OK(synadb_exp_log_metric(t, run, "nanny", 3.0, 0));
        CHECK_OK(synadb_exp_get_run(t, run, &r));
        for (i = 0; i < r.nmetrics; i++)
            if (!strcmp(r.metrics[i].key, "nanny"))
                CHECK(r.metrics[i].value != r.metrics[i].value && r.metrics[i].count == 3 && r.metrics[i].min == 1.0 && r.metrics[i].max == 3.0 && r.metrics[i].mean == 2.0);
        synadb_exp_run_free(&r);
        CHECK_OK(synadb_exp_get_metric(t, run, "nanny", &st, &v, NULL, &n));
        CHECK(n == 3 && v[0] == 3.0 && v[1] == 1.0 && v[2] != v[2]);
        synadb_exp_free(st); synadb_exp_free(v);
    }
    CHECK_EQ(synadb_exp_get_metric(t, run, "nope", &st, &v, NULL, &n), SYNADB_ERR_KEY_NOT_FOUND);
    CHECK(st == NULL && v == NULL && n == 0);
    CHECK_EQ(synadb_exp_get_metric(t, run, "loss", NULL, &v, NULL, &n), SYNADB_ERR_INVALID_ARG);
    CHECK_OK(synadb_exp_close(t));
}

static void test_artifacts(void) {
    synadb_exp *t = fresh("art", NULL);
    char r1[37], r2[37];
    unsigned char data[5000];
    void *out = NULL;
    size_t n = 0, i;
    synadb_exp_stats st;
    for (i = 0; i < sizeof data; i++) data[i] = (unsigned char)(i * 7 + 3);
    CHECK_OK(synadb_exp_start_run(t, "x", NULL, 0, r1));
    CHECK_OK(synadb_exp_start_run(t, "x", NULL, 0, r2));
    CHECK_OK(synadb_exp_log_artifact(t, r1, "model.bin", data, sizeof data));
    CHECK_OK(synadb_exp_log_artifact(t, r1, "copy.bin", data, sizeof data));
    CHECK_OK(synadb_exp_log_artifact(t, r2, "model.bin", data, sizeof data));
    CHECK_OK(synadb_exp_get_stats(t, &st));
    CHECK_EQ(st.blobs, 1);
    CHECK_EQ(st.blob_bytes, sizeof data);
    CHECK_OK(synadb_exp_log_artifact(t, r2, "other.bin", data, 100));
    CHECK_OK(synadb_exp_log_artifact(t, r2, "empty", NULL, 0));
    CHECK_OK(synadb_exp_get_stats(t, &st));
    CHECK_EQ(st.blobs, 3);
    CHECK_EQ(st.blob_bytes, sizeof data + 100);
    CHECK_EQ(st.runs, 2);
    CHECK_OK(synadb_exp_get_artifact(t, r2, "model.bin", &out, &n));
    CHECK(n == sizeof data && out && !memcmp(out, data, n));
    synadb_exp_free(out);
    CHECK_OK(synadb_exp_get_artifact(t, r2, "empty", &out, &n));
    CHECK(n == 0 && out != NULL);
    synadb_exp_free(out);
    CHECK_EQ(synadb_exp_get_artifact(t, r2, "nope", &out, &n), SYNADB_ERR_KEY_NOT_FOUND);
    /* overwrite a name: the run now points at the new bytes */
    CHECK_OK(synadb_exp_log_artifact(t, r2, "other.bin", data + 1, 100));
    CHECK_OK(synadb_exp_get_artifact(t, r2, "other.bin", &out, &n));
    CHECK(n == 100 && !memcmp(out, data + 1, 100));
    synadb_exp_free(out);
    t = reopen(t, NULL);
    CHECK_OK(synadb_exp_get_artifact(t, r1, "copy.bin", &out, &n));
    CHECK(n == sizeof data && !memcmp(out, data, n));
    synadb_exp_free(out);
    CHECK_OK(synadb_exp_get_stats(t, &st));
    CHECK_EQ(st.blobs, 4);
    {   /* damage the stored bytes: a checksum error, never wrong bytes */
        uint8_t dg[32];
        char hex[65], key[96];
        synadb_sha256(data, sizeof data, dg);
        synadb_sha256_hex(dg, hex);
        snprintf(key, sizeof key, "exp/blob/%s", hex);
        data[10] ^= 1;
        CHECK_OK(synadb_put_bytes(synadb_exp_db(t), key, SYNADB_NTS, data, sizeof data));
        CHECK_EQ(synadb_exp_get_artifact(t, r1, "model.bin", &out, &n), SYNADB_ERR_CHECKSUM);
        CHECK(out == NULL && n == 0);
    }
    CHECK_OK(synadb_exp_close(t));
}

/* ---- queries against an oracle ---- */
#define QR 240
#define QR2 300
typedef struct orun {
    char id[37];
    int status;
    int64_t start;
    int hasp[4], hast[3], hasm[4];
    int pv[4], tv[3];
    double mv[4];
} orun;
static orun ORUNS[QR2];
static const char *PV[] = {"0.001", "0.01", "adam", "sgd", "x'y"};
static const char *TV[] = {"vision", "nlp", "a%b", "Team_1"};
static int olike(const char *p, const char *s, int ci) { return synadb__et_like(p, strlen(p), s, strlen(s), ci); }
typedef struct oclause { int kind, idx, op; double num; int val; int nv; int vals[3]; } oclause;
static const char *OPS[] = {"=", "!=", "<", "<=", ">", ">=", "LIKE", "ILIKE", "IN", "NOT IN"};
static const char *PATS[] = {"%a%", "0.0_1", "%d", "T%", "x'%", "team%"};
static int oeval(const orun *r, const oclause *c) {
    if (c->kind == 0) {
        double v = r->mv[c->idx];
        if (!r->hasm[c->idx]) return 0;
        switch (c->op) { case 0: return v == c->num; case 1: return v != c->num; case 2: return v < c->num; case 3: return v <= c->num; case 4: return v > c->num; default: return v >= c->num; }
    }
    if (c->kind == 1 || c->kind == 2) {
        int have = c->kind == 1 ? r->hasp[c->idx] : r->hast[c->idx], k;
        const char *s = c->kind == 1 ? PV[r->pv[c->idx]] : TV[r->tv[c->idx]];
        if (!have) return 0;
        switch (c->op) {
        case 0: return !strcmp(s, c->kind == 1 ? PV[c->val] : TV[c->val]);
        case 1: return !!strcmp(s, c->kind == 1 ? PV[c->val] : TV[c->val]);
        case 6: return olike(PATS[c->val], s, 0);
        case 7: return olike(PATS[c->val], s, 1);
        default:
            for (k = 0; k < c->nv; k++) if (!strcmp(s, c->kind == 1 ? PV[c->vals[k]] : TV[c->vals[k]])) return c->op == 8;
            return c->op == 9;
        }
    }
    /* status */
    return c->op == 0 ? r->status == c->val : r->status != c->val;
}
/* the filter text of a clause (values quoted with doubled quotes) */
static void quote(char *o, const char *s) {
    *o++ = '\'';
    for (; *s; s++) { if (*s == '\'') *o++ = '\''; *o++ = *s; }
    *o++ = '\''; *o = 0;
}
static void clause_text(const oclause *c, char *buf) {
    char q[64];
    int k;
    static const char *stat[] = {"RUNNING", "FINISHED", "failed", "Killed"};
    if (c->kind == 0) {   /* m3 quoted with double quotes, m2 with backticks */
        if (c->idx == 3) sprintf(buf, "metrics.\"m%d\" %s %.17g", c->idx, OPS[c->op], c->num);
        else if (c->idx == 2) sprintf(buf, "metric.`m%d` %s %.17g", c->idx, OPS[c->op], c->num);
        else sprintf(buf, "metrics.m%d %s %.17g", c->idx, OPS[c->op], c->num);
        return;
    }
    if (c->kind == 3) { sprintf(buf, "attributes.status %s '%s'", c->op ? "!=" : "=", stat[c->val]); return; }
    sprintf(buf, "%s.%s%d %s ", c->kind == 1 ? "params" : "tags", c->kind == 1 ? "p" : "t", c->idx, OPS[c->op]);
    if (c->op == 6 || c->op == 7) { quote(q, PATS[c->val]); strcat(buf, q); }
    else if (c->op >= 8) {
        strcat(buf, "(");
        for (k = 0; k < c->nv; k++) { if (k) strcat(buf, ", "); quote(q, c->kind == 1 ? PV[c->vals[k]] : TV[c->vals[k]]); strcat(buf, q); }
        strcat(buf, ")");
    } else { quote(q, c->kind == 1 ? PV[c->val] : TV[c->val]); strcat(buf, q); }
}
static const orun *OSORT_M;
static int osort_idx, osort_desc;
static int ocmp(const void *a, const void *b) {
    const orun *x = *(const orun *const *)a, *y = *(const orun *const *)b;
    if (osort_idx >= 0) {
        int mx = !x->hasm[osort_idx] || x->mv[osort_idx] != x->mv[osort_idx];
        int my = !y->hasm[osort_idx] || y->mv[osort_idx] != y->mv[osort_idx];
        if (mx != my) return mx - my;
        if (!mx && x->mv[osort_idx] != y->mv[osort_idx]) {
            int c = x->mv[osort_idx] < y->mv[osort_idx] ? -1 : 1;
            return osort_desc ? -c : c;
        }
    }
    if (x->start != y->start) return x->start > y->start ? -1 : 1;
    return strcmp(x->id, y->id);
}
static void make_orun(synadb_exp *t, int i) {
    orun *r = &ORUNS[i];
    synadb_exp_kv tags[3];
    char tk[3][16];
    int nt = 0, k;
    synadb_exp_run snap;
    memset(r, 0, sizeof *r);
    for (k = 0; k < 3; k++) if (test_rand() % 4) { r->hast[k] = 1; r->tv[k] = (int)(test_rand() % 4); sprintf(tk[nt], "t%d", k); tags[nt].key = tk[nt]; tags[nt].value = TV[r->tv[k]]; nt++; }
    CHECK_OK(synadb_exp_start_run(t, i % 2 ? "a" : "b", tags, (size_t)nt, r->id));
    for (k = 0; k < 4; k++) if (test_rand() % 5) { char pk[16]; r->hasp[k] = 1; r->pv[k] = (int)(test_rand() % 5); sprintf(pk, "p%d", k); CHECK_OK(synadb_exp_log_param(t, r->id, pk, PV[r->pv[k]])); }
    for (k = 0; k < 4; k++) if (test_rand() % 5) {
        char mk[16];
        int np = 1 + (int)(test_rand() % 4), j;
        int64_t ls = 0;
        sprintf(mk, "m%d", k);
        r->hasm[k] = 1;
        for (j = 0; j < np; j++) {
            double v = (double)(test_rand() % 20) / 4.0;
            int64_t step = (int64_t)(test_rand() % 5);
            if (test_rand() % 30 == 0) v = NAN;
            CHECK_OK(synadb_exp_log_metric_ts(t, r->id, mk, v, step, 1000 + j));
            /* the oracle's own latest rule: largest step; equal step: the later point (timestamps increase) */
            if (j == 0 || step >= ls) { ls = step; r->mv[k] = v; }
        }
    }
    r->status = (int)(test_rand() % 4);
    if (r->status) CHECK_OK(synadb_exp_end_run(t, r->id, r->status));
    CHECK_OK(synadb_exp_get_run(t, r->id, &snap));
    r->start = snap.started_us;
    synadb_exp_run_free(&snap);
}
/* nq random filters over the first nr runs, compared with the oracle. */
static void oracle_round(synadb_exp *t, int nr, int nq) {
    int i, k, q, nonempty = 0, total = 0;
    for (q = 0; q < nq; q++) {
        oclause cl[3];
        int ncl = 1 + (int)(test_rand() % 3), m = 0, j;
        char filter[600] = "", part[200], order[64] = "";
        const orun *exp_list[QR2];
        synadb_exp_idlist got;
        size_t limit = test_rand() % 3 == 0 ? (size_t)(1 + test_rand() % 20) : 0;
        for (k = 0; k < ncl; k++) {
            oclause *x = &cl[k];
            memset(x, 0, sizeof *x);
            x->kind = (int)(test_rand() % 4);
            if (x->kind == 0) { x->idx = (int)(test_rand() % 4); x->op = (int)(test_rand() % 6); x->num = (double)(test_rand() % 20) / 4.0; }
            else if (x->kind == 3) { x->op = (int)(test_rand() % 2); x->val = (int)(test_rand() % 4); }
            else {
                static const int sops[] = {0, 1, 6, 7, 8, 9};
                x->idx = (int)(test_rand() % (x->kind == 1 ? 4 : 3));
                x->op = sops[test_rand() % 6];
                if (x->op == 6 || x->op == 7) x->val = (int)(test_rand() % 6);
                else if (x->op >= 8) { x->nv = 1 + (int)(test_rand() % 3); for (j = 0; j < x->nv; j++) x->vals[j] = (int)(test_rand() % (x->kind == 1 ? 5 : 4)); }
                else x->val = (int)(test_rand() % (x->kind == 1 ? 5 : 4));
            }
            clause_text(x, part);
            if (k) strcat(filter, test_rand() % 2 ? " AND " : " and ");
            strcat(filter, part);
        }
        osort_idx = test_rand() % 3 ? (int)(test_rand() % 4) : -1;
        osort_desc = (int)(test_rand() % 2);
        if (osort_idx >= 0) sprintf(order, "metrics.m%d %s", osort_idx, osort_desc ? "DESC" : (test_rand() % 2 ? "ASC" : ""));
        for (i = 0; i < nr; i++) {
            int ok = 1;
            for (k = 0; k < ncl && ok; k++) ok = oeval(&ORUNS[i], &cl[k]);
            if (ok) exp_list[m++] = &ORUNS[i];
        }
        qsort(exp_list, (size_t)m, sizeof *exp_list, ocmp);
        if (limit && (size_t)m > limit) m = (int)limit;
        nonempty += m > 0;
        total += m;
        CHECK_OK(synadb_exp_query(t, filter, order, limit, &got));
        CHECK_EQ(got.count, m);
        if ((int)got.count == m) {
            int bad = 0;
            for (i = 0; i < m; i++) if (strcmp(got.ids[i].s, exp_list[i]->id)) bad = 1;
            if (bad) fprintf(stderr, "query order differs: [%s] order [%s]\n", filter, order);
            CHECK(!bad);
        } else fprintf(stderr, "query count differs: [%s] got %u want %d\n", filter, (unsigned)got.count, m);
        synadb_exp_idlist_free(&got);
    }
    printf("query oracle: %d random filters over %d runs, %d with results, %d runs returned\n", nq, nr, nonempty, total);
    CHECK(nonempty > nq / 3);
}
/* Changes under the query columns: new latest values, tags rewritten, params added, runs added. */
static void oracle_mutate(synadb_exp *t, int nr) {
    int i, k;
    for (i = 0; i < 60; i++) {
        orun *r = &ORUNS[test_rand() % (unsigned)nr];
        char key[16];
        k = (int)(test_rand() % 3);
        sprintf(key, "t%d", k);
        r->hast[k] = 1; r->tv[k] = (int)(test_rand() % 4);
        CHECK_OK(synadb_exp_set_tag(t, r->id, key, TV[r->tv[k]]));
        if (r->status) continue;
        k = (int)(test_rand() % 4);
        sprintf(key, "m%d", k);
        r->hasm[k] = 1; r->mv[k] = (double)(test_rand() % 20) / 4.0;
        CHECK_OK(synadb_exp_log_metric_ts(t, r->id, key, r->mv[k], 1000, 1));   /* a new largest step */
        k = (int)(test_rand() % 4);
        sprintf(key, "p%d", k);
        if (!r->hasp[k]) { r->hasp[k] = 1; r->pv[k] = (int)(test_rand() % 5); CHECK_OK(synadb_exp_log_param(t, r->id, key, PV[r->pv[k]])); }
    }
}
static void test_query_oracle(void) {
    synadb_exp_config c = synadb_exp_config_default();
    synadb_exp *t;
    int i, k;
    c.no_sync = 1;
    (void)OSORT_M;
    t = fresh("query", &c);
    test_seed(42);
    for (i = 0; i < QR; i++) make_orun(t, i);
    oracle_round(t, QR, 400);
    oracle_mutate(t, QR);                   /* the columns built by the queries follow the writes */
    for (i = QR; i < QR2; i++) make_orun(t, i);
    oracle_round(t, QR2, 300);
    t = reopen(t, &c);
    oracle_round(t, QR2, 100);
    {   /* best run against the oracle */
        char best[37];
        for (k = 0; k < 4; k++) {
            int mi, bi = -1, bj = -1;
            char mk[16];
            sprintf(mk, "m%d", k);
            for (mi = 0; mi < QR2; mi++) {
                const orun *r = &ORUNS[mi];
                if (!r->hasm[k] || r->mv[k] != r->mv[k]) continue;
                if (bi < 0 || r->mv[k] < ORUNS[bi].mv[k]) bi = mi;
                if (bj < 0 || r->mv[k] > ORUNS[bj].mv[k]) bj = mi;
            }
            CHECK_OK(synadb_exp_best_run(t, NULL, mk, 1, best));
            if (bi >= 0) CHECK(ORUNS[bi].mv[k] == ORUNS[0].mv[k] || 1);
            {
                double dv;
                CHECK_OK(synadb_exp_get_latest(t, best, mk, &dv, NULL));
                CHECK(bi >= 0 && dv == ORUNS[bi].mv[k]);
                CHECK_OK(synadb_exp_best_run(t, NULL, mk, 0, best));
                CHECK_OK(synadb_exp_get_latest(t, best, mk, &dv, NULL));
                CHECK(bj >= 0 && dv == ORUNS[bj].mv[k]);
            }
        }
        CHECK_EQ(synadb_exp_best_run(t, NULL, "zzz", 1, best), SYNADB_ERR_KEY_NOT_FOUND);
        CHECK_EQ(synadb_exp_best_run(t, "no-such-exp", "m0", 1, best), SYNADB_ERR_KEY_NOT_FOUND);
        CHECK_OK(synadb_exp_best_run(t, "a", "m0", 1, best));
    }
    {   /* the same after a reopen; and the default order (start DESC, id ASC) */
        synadb_exp_idlist a, b;
        CHECK_OK(synadb_exp_query(t, "metrics.m1 >= 1 and params.p0 != 'sgd'", "metrics.m1 DESC, params.p2 ASC", 50, &a));
        t = reopen(t, &c);
        CHECK_OK(synadb_exp_query(t, "metrics.m1 >= 1 and params.p0 != 'sgd'", "metrics.m1 DESC, params.p2 ASC", 50, &b));
        CHECK_EQ(a.count, b.count);
        for (i = 0; i < (int)a.count && a.count == b.count; i++) CHECK(!strcmp(a.ids[i].s, b.ids[i].s));
        synadb_exp_idlist_free(&a); synadb_exp_idlist_free(&b);
        CHECK_OK(synadb_exp_query(t, NULL, NULL, 0, &a));
        CHECK_EQ(a.count, QR2);
        for (i = 1; i < (int)a.count; i++) {
            const orun *x = NULL, *y = NULL;
            for (k = 0; k < QR2; k++) { if (!strcmp(ORUNS[k].id, a.ids[i - 1].s)) x = &ORUNS[k]; if (!strcmp(ORUNS[k].id, a.ids[i].s)) y = &ORUNS[k]; }
            CHECK(x && y && (x->start > y->start || (x->start == y->start && strcmp(x->id, y->id) < 0)));
        }
        synadb_exp_idlist_free(&a);
        {
            char *js = NULL;
            size_t jn = 0;
            CHECK_OK(synadb_exp_experiments_json(t, &js, &jn));
            CHECK(js && !strncmp(js, "[{\"name\":\"a\",\"runs\":150,\"running\":", 34) && has(js, "{\"name\":\"b\",\"runs\":150,"));
            synadb_exp_free(js);
        }
        CHECK_OK(synadb_exp_query(t, "attributes.experiment_name = 'a' and run_id LIKE '%'", "", 0, &a));
        CHECK_EQ(a.count, QR2 / 2);
        synadb_exp_idlist_free(&a);
        CHECK_OK(synadb_exp_query(t, "metrics.unknown > 0", NULL, 0, &a));
        CHECK_EQ(a.count, 0);
        synadb_exp_idlist_free(&a);
        CHECK_OK(synadb_exp_query(t, "attributes.start_time > 0 and end_time >= 0", NULL, 0, &a));
        k = 0;
        for (i = 0; i < QR2; i++) if (ORUNS[i].status) k++;
        CHECK_EQ(a.count, k);
        synadb_exp_idlist_free(&a);
        CHECK_OK(synadb_exp_query(t, "status IN ('FINISHED', 'KILLED')", NULL, 3, &a));
        CHECK_EQ(a.count, 3);
        synadb_exp_idlist_free(&a);
        CHECK_EQ(synadb_exp_query(t, "metrics.m0 >", NULL, 0, &a), SYNADB_ERR_SYNTAX);
        CHECK(has(synadb_exp_errmsg(t), "at byte 12"));
        CHECK(a.count == 0 && a.ids == NULL);
    }
    CHECK_OK(synadb_exp_close(t));
}

static void test_filter_syntax(void) {
    static const struct { const char *f, *o; long pos; const char *what; } bad[] = {
        {"metrics.acc >", NULL, 13, "expected a number"},
        {"metrics.acc 0.9", NULL, 12, "comparison operator"},
        {"params.lr = 0.001", NULL, 12, "quoted string"},
        {"metrics.acc > 0.9 or params.x = 'a'", NULL, 18, "OR is not supported"},
        {"foo = 'x'", NULL, 0, "unknown attribute"},
        {"metricz.a > 1", NULL, 0, "unknown identifier type"},
        {"params.a = 'x", NULL, 11, "unterminated"},
        {"metrics.a > 1 and", NULL, 17, "expected an identifier"},
        {"tags.t < 'a'", NULL, 7, "params, tags"},
        {"metrics.a LIKE 'x'", NULL, 10, "LIKE, ILIKE and IN"},
        {"metrics.a > '1'", NULL, 12, "expected a number"},
        {"metrics.a > 1 metrics.b < 2", NULL, 14, "expected AND"},
        {"params.a IN 'x'", NULL, 12, "expected '('"},
        {"params.a IN ('x' 'y')", NULL, 17, "expected ',' or ')'"},
        {"params.a NOT 'x'", NULL, 13, "expected IN after NOT"},
        {"metrics. > 1", NULL, 8, "expected a name"},
        {"metrics.a > 1x", NULL, 12, "expected a number"},
        {"", "metrics.a UP", 10, "expected ASC"},
        {"", "bogus", 0, "unknown attribute"},
        {"metrics.`a > 1", NULL, 8, "unterminated"},
        {"(metrics.a > 1)", NULL, 0, "expected an identifier"},
    };
    static const char *good[] = {
        "", "   ", "metrics.accuracy > 0.9 and params.lr = '0.001' and tags.team = 'x' and attributes.status = 'FINISHED'",
        "metrics.`f1 score` >= 0.5", "metrics.\"f1 score\" <= -1e-3", "params.\"batch size\" = \"2\"", "tags.team LIKE 'vis%'",
        "tags.team ILIKE '%VIS%'", "attributes.run_id IN ('a', 'b')", "run_id NOT IN ('x')", "status != 'KILLED'",
        "METRICS.a = 1 AND PARAMS.b != 'x'", "metric.a=1 and param.b='it''s'", "metrics.train/loss.v2 < 3", "start_time > 0",
        "attributes.end_time <= 1700000000000", "experiment_name = 'e'", "metrics.a > +1.5E3", "metrics.a = 2.", "tags.mlflow.runName = 'x'",
    };
    size_t i, pos;
    char msg[256];
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        int ok;
        pos = 999;
        CHECK_EQ(synadb_exp_filter_check(bad[i].f, bad[i].o, &pos, msg, sizeof msg), SYNADB_ERR_SYNTAX);
        ok = (long)pos == bad[i].pos && has(msg, bad[i].what);
        if (!ok) fprintf(stderr, "filter [%s] order [%s]: pos %u msg %s\n", bad[i].f, bad[i].o ? bad[i].o : "", (unsigned)pos, msg);
        CHECK(ok);
        {
            char want[32];
            sprintf(want, "at byte %ld", bad[i].pos);
            CHECK(has(msg, want));
        }
    }
    for (i = 0; i < sizeof good / sizeof *good; i++) {
        synadb_result r = synadb_exp_filter_check(good[i], "metrics.a DESC, params.b, tags.c ASC, attributes.start_time", &pos, msg, sizeof msg);
        if (r) fprintf(stderr, "filter [%s]: %s\n", good[i], msg);
        CHECK_OK(r);
    }
    CHECK_OK(synadb_exp_filter_check(NULL, NULL, NULL, NULL, 0));
    /* the meaning of quoting, LIKE and ILIKE on real runs */
    {
        synadb_exp *t = fresh("syntax", NULL);
        char a[37], b[37];
        synadb_exp_idlist l;
        synadb_exp_kv ta = {"team", "Vision"};
        CHECK_OK(synadb_exp_start_run(t, "e", &ta, 1, a));
        CHECK_OK(synadb_exp_start_run(t, "e", NULL, 0, b));
        CHECK_OK(synadb_exp_log_metric(t, a, "f1 score", 0.75, 0));
        CHECK_OK(synadb_exp_log_param(t, b, "batch size", "it's"));
        CHECK_OK(synadb_exp_query(t, "metrics.`f1 score` > 0.5", NULL, 0, &l));
        CHECK(l.count == 1 && !strcmp(l.ids[0].s, a));
        synadb_exp_idlist_free(&l);
        CHECK_OK(synadb_exp_query(t, "params.\"batch size\" = 'it''s'", NULL, 0, &l));
        CHECK(l.count == 1 && !strcmp(l.ids[0].s, b));
        synadb_exp_idlist_free(&l);
        CHECK_OK(synadb_exp_query(t, "tags.team LIKE 'vis%'", NULL, 0, &l));
        CHECK_EQ(l.count, 0);
        synadb_exp_idlist_free(&l);
        CHECK_OK(synadb_exp_query(t, "tags.team ILIKE 'vis%'", NULL, 0, &l));
        CHECK_EQ(l.count, 1);
        synadb_exp_idlist_free(&l);
        CHECK_OK(synadb_exp_query(t, "tags.team != 'None'", NULL, 0, &l));   /* "has the tag" */
        CHECK_EQ(l.count, 1);
        synadb_exp_idlist_free(&l);
        CHECK_OK(synadb_exp_query(t, "status = 'running'", NULL, 0, &l));
        CHECK_EQ(l.count, 2);
        synadb_exp_idlist_free(&l);
        CHECK_EQ(synadb_exp_query(t, "tags.team = 'x' or status = 'running'", NULL, 0, &l), SYNADB_ERR_SYNTAX);
        CHECK(has(synadb_exp_errmsg(t), "at byte 16") && has(synadb_exp_errmsg(t), "OR"));
        CHECK_OK(synadb_exp_close(t));
    }
}

static void test_reopen_everything(void) {
    synadb_exp_config c = synadb_exp_config_default();
    synadb_exp *t;
    char ids[20][37];
    char *before[20], *after[20];
    size_t n, i, k;
    c.block_points = 16;
    t = fresh("reopen", &c);
    test_seed(7);
    for (i = 0; i < 20; i++) {
        synadb_exp_kv tg[2] = {{"k", "v"}, {"idx", "x"}};
        char pk[16], pv[16];
        CHECK_OK(synadb_exp_start_run(t, i % 3 ? "exp\"quoted\"" : "plain", tg, i % 2 ? 2 : 0, ids[i]));
        for (k = 0; k < 5; k++) { sprintf(pk, "p%u", (unsigned)k); sprintf(pv, "%u", (unsigned)(i * k)); CHECK_OK(synadb_exp_log_param(t, ids[i], pk, pv)); }
        for (k = 0; k < 50 + i * 3; k++) CHECK_OK(synadb_exp_log_metric(t, ids[i], k % 2 ? "loss" : "acc", test_unit(), (int64_t)(test_rand() % 100)));
        if (i % 4 == 0) CHECK_OK(synadb_exp_log_artifact(t, ids[i], "weights", ids[i], 36));
        if (i % 2) CHECK_OK(synadb_exp_end_run(t, ids[i], 1 + (int32_t)(i % 3)));
        if (i == 10) CHECK_OK(synadb_exp_flush(t));
    }
    for (i = 0; i < 20; i++) CHECK_OK(synadb_exp_run_json(t, ids[i], &before[i], &n));
    t = reopen(t, &c);
    for (i = 0; i < 20; i++) {
        int64_t *s1; double *v1;
        CHECK_OK(synadb_exp_run_json(t, ids[i], &after[i], &n));
        CHECK(before[i] && after[i] && !strcmp(before[i], after[i]));
        synadb_exp_free(before[i]); synadb_exp_free(after[i]);
        CHECK_OK(synadb_exp_get_metric(t, ids[i], "loss", &s1, &v1, NULL, &n));
        CHECK_EQ(n, (50 + i * 3) / 2);
        synadb_exp_free(s1); synadb_exp_free(v1);
    }
    {   /* an ended run loads from its digest record; a running one from its own records */
        char key[128], *j1 = NULL, *j2 = NULL;
        synadb_exp_run r;
        CHECK_OK(synadb_exp_set_tag(t, ids[1], "late", "tag"));            /* rewrites the digest */
        CHECK_OK(synadb_exp_run_json(t, ids[1], &j1, &n));
        snprintf(key, sizeof key, "exp/run/%s/p/p2", ids[1]);
        CHECK_OK(synadb_delete(synadb_exp_db(t), key, SYNADB_NTS));
        snprintf(key, sizeof key, "exp/run/%s/l/loss", ids[1]);
        CHECK_OK(synadb_delete(synadb_exp_db(t), key, SYNADB_NTS));
        snprintf(key, sizeof key, "exp/run/%s/p/p2", ids[2]);
        CHECK_OK(synadb_delete(synadb_exp_db(t), key, SYNADB_NTS));
        t = reopen(t, &c);
        CHECK_OK(synadb_exp_run_json(t, ids[1], &j2, &n));
        CHECK(j1 && j2 && !strcmp(j1, j2) && has(j2, "\"late\""));
        synadb_exp_free(j1); synadb_exp_free(j2);
        CHECK_OK(synadb_exp_get_run(t, ids[2], &r));
        CHECK_EQ(r.nparams, 4);
        synadb_exp_run_free(&r);
        {   /* a damaged digest is reported at open, not silently ignored */
            snprintf(key, sizeof key, "exp/run/%s/d/run", ids[5]);
            CHECK_OK(synadb_put_bytes(synadb_exp_db(t), key, SYNADB_NTS, "\x01\x05", 2));
            CHECK_OK(synadb_exp_close(t));
            t = NULL;
            CHECK_EQ(synadb_exp_open(P, &c, &t), SYNADB_ERR_CORRUPT);
            CHECK(t == NULL);
            {   /* repair it through the core API: the run's own records are then used */
                synadb_db *db = NULL;
                CHECK_OK(synadb_open(P, NULL, &db));
                CHECK_OK(synadb_delete(db, key, SYNADB_NTS));
                CHECK_OK(synadb_close(db));
            }
            CHECK_OK(synadb_exp_open(P, &c, &t));
            CHECK_OK(synadb_exp_get_run(t, ids[5], &r));
            CHECK(r.nparams == 5 && r.status != SYNADB_EXP_RUNNING);
            synadb_exp_run_free(&r);
        }
    }
    {   /* compacting the database (latest values only) keeps everything the tracker needs */
        char *j1 = NULL, *j2 = NULL;
        int64_t *s1; double *v1;
        CHECK_OK(synadb_exp_run_json(t, ids[3], &j1, &n));
        CHECK_OK(synadb_compact(synadb_exp_db(t), 0));
        CHECK_OK(synadb_exp_get_metric(t, ids[3], "acc", &s1, &v1, NULL, &n));
        CHECK_EQ(n, (50 + 3 * 3 + 1) / 2);
        synadb_exp_free(s1); synadb_exp_free(v1);
        t = reopen(t, &c);
        CHECK_OK(synadb_exp_run_json(t, ids[3], &j2, &n));
        CHECK(j1 && j2 && !strcmp(j1, j2));
        synadb_exp_free(j1); synadb_exp_free(j2);
    }
    {   /* a running run keeps accepting points after the reopen */
        synadb_exp_stats st;
        CHECK_OK(synadb_exp_log_metric(t, ids[0], "loss", 1.0, 1000));
        CHECK_OK(synadb_exp_get_stats(t, &st));
        CHECK_EQ(st.runs, 20);
        CHECK_EQ(st.experiments, 2);
        CHECK_EQ(st.series, 40);
        CHECK_EQ(st.pending_points, 1);
    }
    CHECK_OK(synadb_exp_close(t));
}


/* Buffers: a full block is written at the next point; too many pending points overall
   write everything; a block that was written survives kill -9 without a flush. */
static void test_buffers(void) {
    synadb_exp_config c = synadb_exp_config_default();
    synadb_exp *t;
    synadb_exp_stats st;
    char run[37], *js = NULL;
    size_t n, i;
    int64_t *s;
    double *v;
    c.block_points = 100;
    c.max_pending_points = 250;
    t = fresh("buffers", &c);
    CHECK_OK(synadb_exp_start_run(t, "b", NULL, 0, run));
    for (i = 0; i < 100; i++) CHECK_OK(synadb_exp_log_metric(t, run, "a", (double)i, (int64_t)i));
    CHECK_OK(synadb_exp_get_stats(t, &st));
    CHECK_EQ(st.pending_points, 100);
    CHECK_OK(synadb_exp_log_metric(t, run, "a", 100.0, 100));     /* the full block goes to the log */
    CHECK_OK(synadb_exp_get_stats(t, &st));
    CHECK_EQ(st.pending_points, 1);
    for (i = 0; i < 99; i++) CHECK_OK(synadb_exp_log_metric(t, run, "b", (double)i, (int64_t)i));
    for (i = 0; i < 99; i++) CHECK_OK(synadb_exp_log_metric(t, run, "c", (double)i, (int64_t)i));
    for (i = 0; i < 51; i++) CHECK_OK(synadb_exp_log_metric(t, run, "d", (double)i, (int64_t)i));
    CHECK_OK(synadb_exp_get_stats(t, &st));
    CHECK_EQ(st.pending_points, 250);
    CHECK_OK(synadb_exp_log_metric(t, run, "d", 51.0, 51));     /* above max_pending_points: everything written */
    CHECK_OK(synadb_exp_get_stats(t, &st));
    CHECK_EQ(st.pending_points, 0);
    CHECK_EQ(st.points, 101 + 99 + 99 + 52);
    CHECK_EQ(st.series, 4);
    {   /* one batch far above the block size is split into blocks of at most 65,536 points */
        double *big = (double *)malloc(200000 * sizeof *big);
        for (i = 0; i < 200000; i++) big[i] = (double)i;
        CHECK_OK(synadb_exp_log_series(t, run, "big", NULL, big, 200000));
        CHECK_OK(synadb_exp_flush(t));
        t = reopen(t, &c);
        CHECK_OK(synadb_exp_get_metric(t, run, "big", &s, &v, NULL, &n));
        CHECK_EQ(n, 200000);
        for (i = 0; i < n; i++) if (s[i] != (int64_t)i || v[i] != big[i]) break;
        CHECK_EQ(i, n);
        synadb_exp_free(s); synadb_exp_free(v); free(big);
    }
    {   /* native compare */
        char r2[37];
        const char *ids[2];
        synadb__jdoc d;
        CHECK_OK(synadb_exp_start_run(t, "b", NULL, 0, r2));
        CHECK_OK(synadb_exp_log_param(t, r2, "lr", "0.5"));
        CHECK_OK(synadb_exp_log_metric(t, r2, "a", 7.0, 1));
        ids[0] = run; ids[1] = r2;
        CHECK_OK(synadb_exp_compare_runs(t, ids, 2, &js, &n));
        CHECK(synadb__jparse(js, n, &d) == 0);
        if (d.root) {
            const synadb__jv *m = synadb__jget(synadb__jget(d.root, "metrics"), "a");
            CHECK(m && m->nkid == 2);
            CHECK(synadb__jget(synadb__jget(m, r2), "latest") && synadb__jget(synadb__jget(m, r2), "latest")->num == 7.0);
            CHECK(synadb__jget(synadb__jget(m, run), "max") && synadb__jget(synadb__jget(m, run), "max")->num == 100.0);
            CHECK(synadb__jget(synadb__jget(synadb__jget(d.root, "params"), "lr"), r2) != NULL);
            CHECK(synadb__jget(d.root, "runs") && synadb__jget(d.root, "runs")->nkid == 2);
            synadb__jdoc_free(&d);
        }
        synadb_exp_free(js);
        CHECK_OK(synadb_exp_compare_runs(t, NULL, 0, &js, &n));
        CHECK(js && !strcmp(js, "{\"runs\":[],\"params\":{},\"metrics\":{}}"));
        synadb_exp_free(js);
        ids[1] = "no-such-run";
        CHECK_EQ(synadb_exp_compare_runs(t, ids, 2, &js, &n), SYNADB_ERR_KEY_NOT_FOUND);
    }
    CHECK_OK(synadb_exp_close(t));
#if TEST_HAVE_PROCESSES
    {
        int p[2], status;
        pid_t pid;
        char ok = 0;
        test_path(P, sizeof P, "buffers-kill");
        if (pipe(p)) { CHECK(0); return; }
        pid = fork();
        if (pid == 0) {
            close(p[0]);
            c.max_pending_points = 0;
            if (synadb_exp_open(P, &c, &t) || synadb_exp_start_run(t, "k", NULL, 0, run)) _exit(3);
            for (i = 0; i < 10000; i++) if (synadb_exp_log_metric(t, run, "a", (double)i, (int64_t)i)) _exit(4);
            if (write(p[1], run, 37) != 37) _exit(5);
            for (;;) pause();
        }
        close(p[1]);
        CHECK(read(p[0], run, 37) == 37);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        close(p[0]);
        CHECK_OK(synadb_exp_open(P, &c, &t));
        CHECK_OK(synadb_exp_get_metric(t, run, "a", &s, &v, NULL, &n));
        CHECK_EQ(n, 9900);   /* the last 100 were still buffered */
        ok = n == 9900 && s[9899] == 9899;
        CHECK(ok);
        synadb_exp_free(s); synadb_exp_free(v);
        CHECK_OK(synadb_exp_close(t));
    }
#endif
}

/* ---- ABI ---- */
static void test_abi(void) {
    char path[512], *id = NULL, *id2 = NULL, *js = NULL, *pv = NULL, buf[256];
    size_t n = 0, idn = 0;
    int64_t *st = NULL;
    double *v = NULL;
    uint8_t *data = NULL;
    int32_t rc;
    test_path(path, sizeof path, "abi");
    CHECK_EQ(SYNA_exp_start_run(path, "e", NULL, &id, &idn), -1);
    CHECK_EQ(SYNA_exp_tracker_open(NULL), -2);
    CHECK_EQ(SYNA_exp_tracker_open(""), -2);
    CHECK_EQ(SYNA_exp_tracker_open(path), 1);
    CHECK_EQ(SYNA_exp_tracker_open(path), 1);       /* already open: fine */
    CHECK_EQ(SYNA_exp_start_run(path, "e", "[\"baseline\", \"gpu\"]", &id, &idn), 1);
    CHECK(id && idn == 36 && strlen(id) == 36);
    CHECK_EQ(SYNA_exp_start_run(path, "e", "{\"team\": \"vision\"}", &id2, &n), 1);
    CHECK_EQ(SYNA_exp_start_run(path, "e", "[\"a\", ", &js, &n), -74);
    CHECK(js == NULL);
    CHECK(SYNA_exp_errmsg(path, buf, sizeof buf) > 0 && has(buf, "tags_json") && has(buf, "at byte"));
    CHECK_EQ(SYNA_exp_start_run(path, "e", "[1]", &js, &n), -74);
    CHECK_EQ(SYNA_exp_start_run(path, "e", "3", &js, &n), -74);
    CHECK_EQ(SYNA_exp_start_run(path, NULL, NULL, &js, &n), -2);
    CHECK_EQ(SYNA_exp_start_run(path, "e", NULL, NULL, &n), -2);
    CHECK_EQ(SYNA_exp_log_param(path, id, "lr", "0.1"), 1);
    CHECK_EQ(SYNA_exp_log_param(path, id, "lr", "0.1"), 1);
    CHECK_EQ(SYNA_exp_log_param(path, id, "lr", "0.2"), -73);
    CHECK_EQ(SYNA_exp_log_param(path, "00000000-0000-4000-8000-000000000000", "lr", "0.2"), -5);
    CHECK_EQ(SYNA_exp_log_param(path, id, "lr", NULL), -2);
    CHECK_EQ(SYNA_exp_log_param(path, id, "", "x"), SYNADB_ERR_EMPTY_KEY);
    CHECK_EQ(SYNA_exp_log_metric(path, id, "loss", 0.5, 1), 1);
    CHECK_EQ(SYNA_exp_log_metric(path, id, "loss", 0.25, 2), 1);
    CHECK_EQ(SYNA_exp_log_metric(path, id, "t", 1.0, -1), 1);     /* step = now in microseconds */
    {
        const char *keys[3] = {"b", "b", "c"};
        double vals[3] = {1, 2, 3};
        int64_t steps[3] = {0, 1, -1};
        CHECK_EQ(SYNA_exp_log_metrics(path, id, keys, vals, steps, 3), 3);
        CHECK_EQ(SYNA_exp_log_metrics(path, id, NULL, vals, steps, 3), -2);
        CHECK_EQ(SYNA_exp_log_metrics(path, id, keys, vals, NULL, 0), 0);
    }
    CHECK_EQ(SYNA_exp_log_artifact(path, id, "blob", (const uint8_t *)"hello", 5), 1);
    CHECK_EQ(SYNA_exp_log_artifact(path, id, "none", NULL, 0), 1);
    CHECK_EQ(SYNA_exp_log_artifact(path, id, "bad", NULL, 3), -2);
    CHECK_EQ(SYNA_exp_set_tag(path, id, "note", "hi"), 1);
    CHECK_EQ(SYNA_exp_end_run(path, id, 0), -2);                     /* Running refused */
    CHECK_EQ(SYNA_exp_end_run(path, id, 9), -2);
    CHECK_EQ(SYNA_exp_log_metric(path, id, "loss", 0.2, 3), 1);      /* still running */
    CHECK_EQ(SYNA_exp_end_run(path, id, 1), 1);
    CHECK_EQ(SYNA_exp_end_run(path, id, 2), -72);
    CHECK_EQ(SYNA_exp_log_metric(path, id, "loss", 0.1, 4), -72);
    CHECK_EQ(SYNA_exp_log_param(path, id, "x", "y"), -72);
    CHECK_EQ(SYNA_exp_log_artifact(path, id, "z", (const uint8_t *)"x", 1), -72);
    CHECK_EQ(SYNA_exp_end_run(path, "nope", 1), -5);
    CHECK_EQ(SYNA_exp_get_metric(path, id, "loss", &st, &v, &n), 1);
    CHECK(n == 3 && st[0] == 1 && v[0] == 0.5 && st[2] == 3 && v[2] == 0.2);
    SYNA_free_bytes((uint8_t *)st, n * 8);
    SYNA_free_tensor(v, n);
    CHECK_EQ(SYNA_exp_get_metric(path, id, "t", &st, &v, &n), 1);
    CHECK(n == 1 && st[0] > (int64_t)1500000000000000ll);
    SYNA_free_bytes((uint8_t *)st, n * 8);
    SYNA_free_tensor(v, n);
    CHECK_EQ(SYNA_exp_get_metric(path, id, "zzz", &st, &v, &n), -5);
    CHECK_EQ(SYNA_exp_get_metric_json(path, id, "loss", &js, &n), 1);
    CHECK(has(js, "\"steps\":[1,2,3]") && has(js, "\"values\":[0.5,0.25,0.2]"));
    SYNA_free_json(js);
    CHECK_EQ(SYNA_exp_get_param(path, id, "lr", &pv, &n), 1);
    CHECK(pv && n == 3 && !strcmp(pv, "0.1"));
    SYNA_free_text(pv, n);
    CHECK_EQ(SYNA_exp_get_param(path, id, "nope", &pv, &n), -5);
    CHECK_EQ(SYNA_exp_get_params(path, id, &js, &n), 1);
    CHECK(js && !strcmp(js, "{\"lr\":\"0.1\"}") && n == strlen(js));
    SYNA_free_json(js);
    CHECK_EQ(SYNA_exp_get_artifact(path, id, "blob", &data, &n), 1);
    CHECK(n == 5 && !memcmp(data, "hello", 5));
    SYNA_free_bytes(data, n);
    CHECK_EQ(SYNA_exp_get_artifact(path, id, "none", &data, &n), 1);
    CHECK(n == 0 && data != NULL);
    SYNA_free_bytes(data, n);
    CHECK_EQ(SYNA_exp_list_artifacts(path, id, &js, &n), 2);
    CHECK(has(js, "\"name\":\"blob\"") && has(js, "\"size\":5"));
    SYNA_free_json(js);
    CHECK_EQ(SYNA_exp_get_run(path, id, &js, &n), 1);
    {
        synadb__jdoc d;
        CHECK(synadb__jparse(js, n, &d) == 0);
        CHECK(synadb__jget(d.root, "status") && !strcmp(synadb__jget(d.root, "status")->s, "Completed"));
        CHECK(synadb__jget(d.root, "tags") && synadb__jget(d.root, "tags")->nkid == 3);
        CHECK(synadb__jget(d.root, "id") && !strcmp(synadb__jget(d.root, "id")->s, id));
        CHECK(synadb__jget(d.root, "started_at") && synadb__jget(d.root, "started_at")->is_int);
        CHECK(synadb__jget(synadb__jget(d.root, "metrics"), "loss") && synadb__jget(synadb__jget(d.root, "metrics"), "loss")->num == 0.2);
        synadb__jdoc_free(&d);
    }
    SYNA_free_json(js);
    CHECK_EQ(SYNA_exp_get_run(path, "nope", &js, &n), -5);
    CHECK_EQ(SYNA_exp_list_runs(path, "e", &js, &n), 2);
    SYNA_free_json(js);
    CHECK_EQ(SYNA_exp_list_experiments(path, &js, &n), 1);
    CHECK(js && !strcmp(js, "[{\"name\":\"e\",\"runs\":2,\"running\":1}]") && n == strlen(js));
    SYNA_free_json(js);
    CHECK_EQ(SYNA_exp_list_runs(path, "none", &js, &n), 0);
    CHECK(js && !strcmp(js, "[]"));
    SYNA_free_json(js);
    CHECK_EQ(SYNA_exp_query(path, "tags.team = 'vision'", NULL, 0, &js, &n), 1);
    CHECK(has(js, id2));
    SYNA_free_json(js);
    CHECK_EQ(SYNA_exp_query(path, "metrics.loss < 1", "metrics.loss DESC", 10, &js, &n), 1);
    SYNA_free_json(js);
    CHECK_EQ(SYNA_exp_query(path, "metrics.loss <", NULL, 10, &js, &n), -74);
    CHECK(js == NULL);
    CHECK(SYNA_exp_errmsg(path, buf, sizeof buf) > 0 && has(buf, "at byte 14"));
    {
        const char *two[2];
        two[0] = id; two[1] = id2;
        CHECK_EQ(SYNA_exp_compare_runs(path, two, 2, &js, &n), 1);
        CHECK(has(js, "\"runs\":[") && has(js, "\"lr\":{") && has(js, "\"latest\":0.2"));
        SYNA_free_json(js);
        two[1] = "nope";
        CHECK_EQ(SYNA_exp_compare_runs(path, two, 2, &js, &n), -5);
    }
    CHECK_EQ(SYNA_exp_get_best_run(path, NULL, "loss", 1, &pv, &n), 1);
    CHECK(pv && !strcmp(pv, id));
    SYNA_free_text(pv, n);
    CHECK_EQ(SYNA_exp_get_best_run(path, NULL, "nothing", 1, &pv, &n), -5);
    CHECK_EQ(SYNA_exp_log_metric(path, id2, "pending", 1.0, 1), 1);
    CHECK_EQ(SYNA_exp_flush(path), 1);
    CHECK_EQ(SYNA_exp_log_metric(path, id2, "pending", 2.0, 2), 1);
    CHECK_EQ(SYNA_exp_tracker_close(path), 1);
    CHECK_EQ(SYNA_exp_tracker_close(path), -1);
    CHECK_EQ(SYNA_exp_log_metric(path, id2, "pending", 2.0, 3), -1);
    CHECK_EQ(SYNA_exp_tracker_open(path), 1);
    CHECK_EQ(SYNA_exp_get_metric(path, id2, "pending", &st, &v, &n), 1);
    CHECK(n == 2 && v[1] == 2.0);
    SYNA_free_bytes((uint8_t *)st, n * 8);
    SYNA_free_tensor(v, n);
    rc = SYNA_exp_get_run(path, id, &js, &n);
    CHECK_EQ(rc, 1);
    SYNA_free_json(js);
    CHECK_EQ(SYNA_exp_tracker_close(path), 1);
    SYNA_free_text(id, idn);
    SYNA_free_text(id2, 36);
}

/* ---- crash: kill -9 while logging ---- */
static void test_crash(void) {
#if TEST_HAVE_PROCESSES
    int rounds;
    for (rounds = 0; rounds < 3; rounds++) {
        int p[2], status;
        pid_t pid;
        char run[37];
        long acked = -1, got = 0;
        ssize_t k;
        test_path(P, sizeof P, "crash");
        if (pipe(p)) { CHECK(0); return; }
        pid = fork();
        if (pid == 0) {
            synadb_exp_config c = synadb_exp_config_default();
            synadb_exp *t;
            long i;
            close(p[0]);
            c.block_points = 64 << rounds;
            if (synadb_exp_open(P, &c, &t) || synadb_exp_start_run(t, "crash", NULL, 0, run)) _exit(3);
            if (write(p[1], run, 37) != 37) _exit(4);
            for (i = 0;; i++) {
                if (synadb_exp_log_metric(t, run, "loss", (double)i * 0.5, i)) _exit(5);
                if (i % 3 == 0 && synadb_exp_log_metric(t, run, "acc", (double)i, i)) _exit(5);
                if (i % 997 == 996) {
                    if (synadb_exp_flush(t)) _exit(6);
                    {
                        long ack = i + 1;
                        if (write(p[1], &ack, sizeof ack) != (ssize_t)sizeof ack) _exit(7);
                    }
                }
            }
        }
        close(p[1]);
        if (read(p[0], run, 37) != 37) { CHECK(0); close(p[0]); waitpid(pid, &status, 0); continue; }
        while (got < 5 + rounds * 5 && (k = read(p[0], &acked, sizeof acked)) == (ssize_t)sizeof acked) got++;
        kill(pid, SIGKILL);
        while (read(p[0], &acked, sizeof acked) == (ssize_t)sizeof acked) {}   /* the last acknowledged count */
        waitpid(pid, &status, 0);
        close(p[0]);
        CHECK(WIFSIGNALED(status));
        CHECK(acked > 0);
        {
            synadb_exp *t = NULL;
            int64_t *st = NULL;
            double *v = NULL;
            size_t n = 0, i;
            synadb_exp_run r;
            CHECK_OK(synadb_exp_open(P, NULL, &t));
            if (!t) continue;
            CHECK_OK(synadb_exp_get_run(t, run, &r));
            CHECK_EQ(r.status, SYNADB_EXP_RUNNING);
            synadb_exp_run_free(&r);
            CHECK_OK(synadb_exp_get_metric(t, run, "loss", &st, &v, NULL, &n));
            CHECK((long)n >= acked);
            for (i = 0; i < n; i++) if (st[i] != (int64_t)i || v[i] != (double)i * 0.5) break;
            CHECK_EQ(i, n);   /* a prefix, in order, nothing damaged */
            synadb_exp_free(st); synadb_exp_free(v);
            CHECK_OK(synadb_exp_get_metric(t, run, "acc", &st, &v, NULL, &n));
            CHECK((long)n >= (acked + 2) / 3);
            synadb_exp_free(st); synadb_exp_free(v);
            /* the reopened tracker takes more points and ends the run */
            CHECK_OK(synadb_exp_log_metric(t, run, "loss", -1.0, 1 << 30));
            CHECK_OK(synadb_exp_end_run(t, run, SYNADB_EXP_KILLED));
            CHECK_OK(synadb_exp_close(t));
            CHECK_OK(synadb_exp_open(P, NULL, &t));
            {
                double d = 0;
                int64_t s = 0;
                CHECK_OK(synadb_exp_get_latest(t, run, "loss", &d, &s));
                CHECK(d == -1.0 && s == 1 << 30);
            }
            CHECK_OK(synadb_exp_close(t));
        }
    }
#endif
}

/* ---- threads ---- */
#define TH_N 4
#define TH_PTS 20000
typedef struct thr { synadb_exp *t; char run[37], shared[37]; int idx; int errors; } thr;
static void *th_log(void *arg) {
    thr *a = (thr *)arg;
    int i;
    char key[16];
    sprintf(key, "m%d", a->idx);
    for (i = 0; i < TH_PTS; i++) {
        if (synadb_exp_log_metric(a->t, a->run, "loss", (double)i, i)) a->errors++;
        if (i % 4 == 0 && synadb_exp_log_metric(a->t, a->shared, key, (double)i, i)) a->errors++;
        if (i % 4 == 1 && synadb_exp_log_metric(a->t, a->shared, "common", (double)i, i)) a->errors++;
        if (i % 5000 == 0) {
            char pk[16];
            sprintf(pk, "p%d", i);
            if (synadb_exp_log_param(a->t, a->run, pk, "v")) a->errors++;
            if (synadb_exp_flush(a->t)) a->errors++;
        }
        if (i % 2000 == 0) {
            synadb_exp_point pts[8];
            int k;
            for (k = 0; k < 8; k++) { pts[k].key = "batch"; pts[k].value = k; pts[k].step = i + k; pts[k].timestamp_us = 0; }
            if (synadb_exp_log_metrics(a->t, a->run, pts, 8)) a->errors++;
        }
    }
    return NULL;
}
static void *th_read(void *arg) {
    thr *a = (thr *)arg;
    int i;
    for (i = 0; i < 200; i++) {
        synadb_exp_idlist l;
        synadb_exp_run r;
        int64_t *st; double *v; size_t n;
        char *js;
        if (synadb_exp_query(a->t, "metrics.loss >= 0", "metrics.loss DESC", 3, &l)) a->errors++;
        else synadb_exp_idlist_free(&l);
        if (synadb_exp_get_run(a->t, a->shared, &r)) a->errors++;
        else synadb_exp_run_free(&r);
        if (!synadb_exp_get_metric(a->t, a->shared, "common", &st, &v, NULL, &n)) { synadb_exp_free(st); synadb_exp_free(v); }
        if (synadb_exp_run_json(a->t, a->shared, &js, &n)) a->errors++;
        else synadb_exp_free(js);
    }
    return NULL;
}
static void test_threads(void) {
    synadb_exp_config c = synadb_exp_config_default();
    synadb_exp *t;
    pthread_t th[TH_N + 1];
    thr a[TH_N + 1];
    char shared[37];
    int i;
    size_t n;
    int64_t *st; double *v;
    c.block_points = 512;
    c.no_sync = 1;
    t = fresh("threads", &c);
    CHECK_OK(synadb_exp_start_run(t, "shared", NULL, 0, shared));
    for (i = 0; i <= TH_N; i++) {
        a[i].t = t; a[i].idx = i; a[i].errors = 0;
        memcpy(a[i].shared, shared, 37);
        CHECK_OK(synadb_exp_start_run(t, "th", NULL, 0, a[i].run));
    }
    for (i = 0; i < TH_N; i++) pthread_create(&th[i], NULL, th_log, &a[i]);
    pthread_create(&th[TH_N], NULL, th_read, &a[TH_N]);
    for (i = 0; i <= TH_N; i++) pthread_join(th[i], NULL);
    for (i = 0; i <= TH_N; i++) CHECK_EQ(a[i].errors, 0);
    t = reopen(t, &c);
    for (i = 0; i < TH_N; i++) {
        char key[16];
        size_t k;
        int ok = 1;
        CHECK_OK(synadb_exp_get_metric(t, a[i].run, "loss", &st, &v, NULL, &n));
        CHECK_EQ(n, TH_PTS);
        for (k = 0; k < n; k++) if (st[k] != (int64_t)k || v[k] != (double)k) ok = 0;
        CHECK(ok);
        synadb_exp_free(st); synadb_exp_free(v);
        sprintf(key, "m%d", i);
        CHECK_OK(synadb_exp_get_metric(t, shared, key, &st, &v, NULL, &n));
        CHECK_EQ(n, TH_PTS / 4);
        synadb_exp_free(st); synadb_exp_free(v);
        CHECK_OK(synadb_exp_get_metric(t, a[i].run, "batch", &st, &v, NULL, &n));
        CHECK_EQ(n, 8 * (TH_PTS / 2000));
        synadb_exp_free(st); synadb_exp_free(v);
    }
    CHECK_OK(synadb_exp_get_metric(t, shared, "common", &st, &v, NULL, &n));
    CHECK_EQ(n, TH_N * TH_PTS / 4);
    for (i = 1; i < (int)n; i++) CHECK(st[i] >= st[i - 1]);
    synadb_exp_free(st); synadb_exp_free(v);
    CHECK_OK(synadb_exp_close(t));
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "threads")) { RUN(test_threads); return test_report(); }
    RUN(test_basic);
    RUN(test_params_and_status);
    RUN(test_bad_input);
    RUN(test_series);
    RUN(test_artifacts);
    RUN(test_query_oracle);
    RUN(test_filter_syntax);
    RUN(test_reopen_everything);
    RUN(test_buffers);
    RUN(test_abi);
    RUN(test_crash);
    if (TEST_HAVE_THREADS) RUN(test_threads);
    return test_report();
}
