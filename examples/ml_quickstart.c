/* ml_quickstart.c - the tour of synadb_ml.h: a training set stored as a tensor and read back
 * in shuffled batches, a model saved in the registry (same database), promoted and loaded
 * with its checksum verified, and training runs tracked with params and metrics (in their
 * own file, path + ".runs"), then queried with an MLflow filter.
 *
 *   cc -std=c99 -O2 -I.. ml_quickstart.c -o ml_quickstart -lpthread -lm && ./ml_quickstart [path]
 */
#define SYNADB_IMPLEMENTATION
#include "../synadb.h"
#include "../synadb_ml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 1000
#define COLS 16

static int fail(synadb_result r, const char *what, const char *msg) {
    fprintf(stderr, "%s failed: %s (%s)\n", what, synadb_result_str(r), msg ? msg : "");
    return 1;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "ml_quickstart.db";
    synadb_db *db = NULL;
    synadb_result r;
    float *x = (float *)malloc(sizeof(float) * ROWS * COLS), batch[64 * COLS];
    size_t shape[2] = {ROWS, COLS}, i, batches = 0, rows = 0;
    synadb_tensor t;
    synadb_tensor_stream *s = NULL;
    synadb_stream_options so;
    synadb_registry *reg = NULL;
    uint32_t version = 0;
    char sha[65];
    void *model = NULL;
    size_t model_len = 0;
    const char *mk[] = {"framework", "accuracy"}, *mv[] = {"tiny-mlp", "0.93"};
    unsigned char weights[4096];

    if (!x) return 1;
    remove(path);
    if ((r = synadb_open(path, NULL, &db)) != SYNADB_OK) return fail(r, "open", path);

    /* 1. a 1000 x 16 float32 training set: one record per row, train/00000000 ... */
    for (i = 0; i < ROWS * COLS; i++) x[i] = (float)(i % 97) / 97.0f;
    if ((r = synadb_tensor_put(db, "train/", x, shape, 2, SYNADB_DTYPE_FLOAT32)) != SYNADB_OK) return fail(r, "tensor_put", synadb_errmsg(db));
    /* ... read back whole, converted to float64 */
    if ((r = synadb_tensor_get(db, "train/*", SYNADB_DTYPE_FLOAT64, &t)) != SYNADB_OK) return fail(r, "tensor_get", synadb_errmsg(db));
    printf("tensor: %zu x %zu %s, x[999][15] = %.4f\n", t.shape[0], t.shape[1], synadb_dtype_name(t.dtype), ((double *)t.data)[ROWS * COLS - 1]);
    synadb_tensor_free(db, &t);
    /* ... and in shuffled batches of 64 rows (shard 0 of 1), never holding the whole set */
    memset(&so, 0, sizeof so);
    so.shuffle = 1; so.seed = 42;
    if ((r = synadb_tensor_stream_open(db, "train/*", SYNADB_DTYPE_FLOAT32, 64, &so, &s)) != SYNADB_OK) return fail(r, "stream_open", synadb_errmsg(db));
    for (;;) {
        if ((r = synadb_tensor_stream_next(s, batch, sizeof batch, &t)) != SYNADB_OK) return fail(r, "stream_next", synadb_errmsg(db));
        if (!t.shape[0]) break;
        batches++; rows += t.shape[0];
    }
    synadb_tensor_stream_close(s);
    printf("stream: %zu batches, %zu rows\n", batches, rows);

    /* 2. a model in the registry (same database): version 1, checksummed, promoted */
    for (i = 0; i < sizeof weights; i++) weights[i] = (unsigned char)(i * 31);
    if ((r = synadb_registry_attach(db, NULL, &reg)) != SYNADB_OK) return fail(r, "registry_attach", synadb_errmsg(db));
    if ((r = synadb_registry_save(reg, "tiny-mlp", weights, sizeof weights, mk, mv, 2, &version, sha)) != SYNADB_OK)
        return fail(r, "registry_save", synadb_registry_errmsg(reg));
    printf("model: tiny-mlp v%u, sha256 %.16s...\n", version, sha);
    if ((r = synadb_registry_set_stage(reg, "tiny-mlp", version, SYNADB_STAGE_PRODUCTION)) != SYNADB_OK) return fail(r, "set_stage", synadb_registry_errmsg(reg));
    if ((r = synadb_registry_load(reg, "tiny-mlp", 0, &model, &model_len, NULL)) != SYNADB_OK) return fail(r, "registry_load", synadb_registry_errmsg(reg));
    printf("loaded latest: %zu bytes, %s\n", model_len, memcmp(model, weights, sizeof weights) == 0 ? "identical" : "DIFFERENT");
    synadb_registry_free(model);
    synadb_registry_close(reg);

    if ((r = synadb_close(db)) != SYNADB_OK) return fail(r, "close", NULL);

    /* 3. experiment tracking: three runs with a learning rate each, a loss curve, a final
       accuracy; then the best run and an MLflow-syntax query */
    {
        char runs_path[1024], ids[3][37], best[37];
        static const char *lrs[3] = {"0.1", "0.01", "0.001"};
        synadb_exp *tr = NULL;
        synadb_exp_kv tag = {"team", "vision"};
        synadb_exp_idlist hits;
        int k, step;
        snprintf(runs_path, sizeof runs_path, "%s.runs", path);
        remove(runs_path);
        if ((r = synadb_exp_open(runs_path, NULL, &tr)) != SYNADB_OK) return fail(r, "exp_open", runs_path);
        for (k = 0; k < 3; k++) {
            if ((r = synadb_exp_start_run(tr, "mnist", &tag, 1, ids[k])) != SYNADB_OK) return fail(r, "start_run", synadb_exp_errmsg(tr));
            synadb_exp_log_param(tr, ids[k], "lr", lrs[k]);
            for (step = 0; step < 100; step++)   /* buffered: durable at flush, end_run or close */
                synadb_exp_log_metric(tr, ids[k], "loss", 1.0 / (1.0 + step * (k + 1)), step);
            synadb_exp_log_metric(tr, ids[k], "accuracy", 0.90 + 0.03 * k, 100);
            if ((r = synadb_exp_end_run(tr, ids[k], SYNADB_EXP_COMPLETED)) != SYNADB_OK) return fail(r, "end_run", synadb_exp_errmsg(tr));
        }
        if ((r = synadb_exp_log_metric(tr, ids[0], "loss", 0.5, 101)) != SYNADB_ERR_RUN_ENDED) return fail(r, "log after end", "expected RUN_ENDED");
        if ((r = synadb_exp_best_run(tr, "mnist", "accuracy", 0, best)) != SYNADB_OK) return fail(r, "best_run", synadb_exp_errmsg(tr));
        printf("runs: 3, best by accuracy: %s\n", strcmp(best, ids[2]) == 0 ? "the third (lr 0.001)" : best);
        r = synadb_exp_query(tr, "metrics.accuracy > 0.91 and tags.team = 'vision' and attributes.status = 'FINISHED'",
                             "metrics.accuracy DESC", 10, &hits);
        if (r != SYNADB_OK) return fail(r, "query", synadb_exp_errmsg(tr));
        printf("query: %zu runs with accuracy > 0.91\n", hits.count);
        synadb_exp_idlist_free(&hits);
        r = synadb_exp_query(tr, "metrics.accuracy >> 0.9", NULL, 0, &hits);
        printf("bad filter: %s\n", r == SYNADB_ERR_SYNTAX ? synadb_exp_errmsg(tr) : "accepted?");
        if ((r = synadb_exp_close(tr)) != SYNADB_OK) return fail(r, "exp_close", NULL);
    }
    free(x);
    return 0;
}
