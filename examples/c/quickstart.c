/*
 * quickstart.c: open a SQLite engine, ingest two events, query them, free what finmark gave.
 * Build: gcc quickstart.c -I ffi/include -L target/debug -lfinmark -o quickstart
 */
#include <finmark.h>
#include <stdio.h>
#include <string.h>

/* Stops at the first failure, with finmark's message. */
#define TRY(call)                                                           \
  if ((call) != FINMARK_OK) {                                               \
    fprintf(stderr, "%s: %s\n", #call, finmark_last_error_message());       \
    return 1;                                                               \
  }

int main(void) {
  const char *events = "{\"user.name\": \"alice\", \"source.ip\": \"203.0.113.9\"}\n"
                       "{\"user.name\": \"bob\", \"source.ip\": \"198.51.100.7\"}\n";
  finmark_engine *engine;
  char *report, *page;
  TRY(finmark_engine_open("sqlite://finmark.db", NULL, &engine));
  TRY(finmark_engine_ingest(engine, events, strlen(events), &report));
  TRY(finmark_engine_events(engine, "{\"where\": {\"user.name\": \"alice\"}}", &page));
  printf("%s\n%s\n", report, page);
  finmark_string_free(report);
  finmark_string_free(page);
  TRY(finmark_engine_close(engine));
  return 0;
}
