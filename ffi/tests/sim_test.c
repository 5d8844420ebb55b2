/*
 * The simulator through the C door: the config reaches the core (seed, date, orders), and the
 * day comes back as one JSON batch that an engine ingests as it is, every event inside the
 * simulated day. (That the same config gives the same events is the simulator's own test in
 * core/tests/sim.rs; a default day is 29 MB of JSON, too big to run twice under valgrind.)
 */
#include "check.h"

static char *simulate(const char *config) {
  char *events = NULL;
  CHECK_OK(finmark_simulate_day(config, &events));
  CHECK(events != NULL);
  CHECK(events[0] == '[');
  return events;
}

int main(void) {
  char *day = simulate("{\"seed\":7,\"date\":\"2026-03-01\",\"orders\":50}");
  /* Flat event objects, each with its time. */
  size_t events = count_of(day, "\"@timestamp\":");
  CHECK(events > 50);

  /* The seed reaches the simulator. */
  char *other = simulate("{\"seed\":8,\"date\":\"2026-03-01\",\"orders\":50}");
  CHECK(strcmp(day, other) != 0);
  finmark_string_free(other);

  /* An engine takes the day as one batch: every event valid, none a duplicate. */
  finmark_engine *engine = NULL;
  CHECK_OK(finmark_engine_open("memory://", NULL, &engine));
  char *report = NULL;
  CHECK_OK(finmark_engine_ingest(engine, day, strlen(day), &report));
  CHECK(json_int(report, "accepted") == (long long)events);
  CHECK(json_int(report, "duplicates") == 0);
  CHECK_CONTAINS(report, "\"rejected\":[]");
  finmark_string_free(report);
  finmark_string_free(day);

  /* Every event happened on the simulated day. */
  char *page = NULL;
  CHECK_OK(finmark_engine_events(engine, "{\"until\":\"2026-03-01T00:00:00Z\"}", &page));
  CHECK_EQ_STR(page, "{\"events\":[],\"next_cursor\":null}");
  finmark_string_free(page);
  CHECK_OK(finmark_engine_events(engine, "{\"since\":\"2026-03-02T00:00:00Z\"}", &page));
  CHECK_EQ_STR(page, "{\"events\":[],\"next_cursor\":null}");
  finmark_string_free(page);

  /* As many distinct orders as asked for. */
  char *orders = NULL;
  CHECK_OK(finmark_engine_count_by(engine, "order.id", "{\"limit\":10000}", &orders));
  CHECK(count_of(orders, "\"value\":") == 50);
  finmark_string_free(orders);

  CHECK_OK(finmark_engine_close(engine));
  puts("sim_test: ok");
  return 0;
}
