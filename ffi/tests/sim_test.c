/*
 * The simulator through the C door: a seeded day of events, the same for the same seed,
 * that an engine ingests as it is; all inside the simulated day, with the number of orders
 * asked for.
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
  const char config[] = "{\"seed\":7,\"date\":\"2026-03-01\",\"orders\":50}";
  char *day = simulate(config);
  CHECK(strlen(day) > 2); /* not an empty array */

  /* Seeded: the same config gives the same events, another seed others. */
  char *again = simulate(config);
  CHECK(strcmp(day, again) == 0);
  finmark_string_free(again);
  char *other = simulate("{\"seed\":8,\"date\":\"2026-03-01\",\"orders\":50}");
  CHECK(strcmp(day, other) != 0);
  finmark_string_free(other);

  /* An engine takes the day as one batch: every event valid, none a duplicate. */
  finmark_engine *engine = NULL;
  CHECK_OK(finmark_engine_open("memory://", NULL, &engine));
  char *report = NULL;
  CHECK_OK(finmark_engine_ingest(engine, day, strlen(day), &report));
  long long accepted = json_int(report, "accepted");
  CHECK(accepted > 50);
  CHECK(json_int(report, "duplicates") == 0);
  CHECK_CONTAINS(report, "\"rejected\":[]");
  finmark_string_free(report);

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

  /* NULL is the default day: 2026-01-15, seed 42. */
  char *defaults = simulate(NULL);
  char *explicit_defaults = simulate("{\"seed\":42,\"date\":\"2026-01-15\",\"orders\":3000}");
  CHECK(strcmp(defaults, explicit_defaults) == 0);
  CHECK_CONTAINS(defaults, "2026-01-15T");
  finmark_string_free(defaults);
  finmark_string_free(explicit_defaults);

  finmark_string_free(day);
  CHECK_OK(finmark_engine_close(engine));
  puts("sim_test: ok");
  return 0;
}
