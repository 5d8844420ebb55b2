/*
 * One engine, several threads: concurrent ingests and queries all land, and each thread has
 * its own last error message.
 */
#include "check.h"

#include <pthread.h>
#include <sched.h>

enum { THREADS = 4, BATCHES = 5, PER_BATCH = 10 };

static finmark_engine *engine;

static void *worker(void *arg) {
  int thread = (int)(intptr_t)arg;
  char batch[PER_BATCH * 128];
  for (int b = 0; b < BATCHES; b++) {
    char *p = batch;
    for (int i = 0; i < PER_BATCH; i++)
      p += sprintf(p, "{\"event.id\":\"t%d-%d\",\"thread\":%d,\"n\":%d}\n", thread,
                   b * PER_BATCH + i, thread, i);
    char *report = NULL;
    CHECK_OK(finmark_engine_ingest(engine, batch, (size_t)(p - batch), &report));
    CHECK(json_int(report, "accepted") == PER_BATCH);
    finmark_string_free(report);
  }

  /* A failure here sets this thread's message only. */
  char query[64];
  snprintf(query, sizeof query, "{\"limit\":\"thread-%d\"}", thread);
  char *page = NULL;
  CHECK_STATUS(finmark_engine_events(engine, query, &page), FINMARK_INVALID_QUERY);
  char mine[32];
  snprintf(mine, sizeof mine, "\"thread-%d\"", thread);
  for (int i = 0; i < 100; i++) {
    CHECK_CONTAINS(finmark_last_error_message(), mine);
    sched_yield();
  }

  snprintf(query, sizeof query, "{\"where\":{\"thread\":%d},\"limit\":1000}", thread);
  CHECK_OK(finmark_engine_events(engine, query, &page));
  CHECK(count_of(page, "\"id\":\"") == BATCHES * PER_BATCH);
  finmark_string_free(page);
  return NULL;
}

int main(void) {
  CHECK_OK(finmark_engine_open("memory://", NULL, &engine));
  pthread_t threads[THREADS];
  for (int t = 0; t < THREADS; t++)
    CHECK(pthread_create(&threads[t], NULL, worker, (void *)(intptr_t)t) == 0);
  for (int t = 0; t < THREADS; t++) CHECK(pthread_join(threads[t], NULL) == 0);

  /* The main thread's last call succeeded: the workers' failures are not its own. */
  CHECK_EQ_STR(finmark_last_error_message(), "");
  char *counts = NULL;
  CHECK_OK(finmark_engine_count_by(engine, "thread", NULL, &counts));
  CHECK_EQ_STR(counts,
               "[{\"value\":0,\"count\":50},{\"value\":1,\"count\":50},"
               "{\"value\":2,\"count\":50},{\"value\":3,\"count\":50}]");
  finmark_string_free(counts);
  CHECK_OK(finmark_engine_close(engine));
  puts("threads_test: ok");
  return 0;
}
