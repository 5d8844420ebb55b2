/*
 * Mistakes a C caller can make, and what finmark answers: NULL arguments, strings that are not
 * UTF-8, malformed JSON arguments, NULL handles to free; and the status names and the
 * lifecycle of the last error message.
 */
#include "check.h"

/* Bytes 0xC3 0x28: an invalid two-byte UTF-8 sequence. */
static const char NOT_UTF8[] = "memory://\xC3\x28";

static void status_names(void) {
  CHECK_EQ_STR(finmark_status_name(FINMARK_OK), "OK");
  CHECK_EQ_STR(finmark_status_name(FINMARK_INVALID_EVENT), "INVALID_EVENT");
  CHECK_EQ_STR(finmark_status_name(FINMARK_INVALID_RULE), "INVALID_RULE");
  CHECK_EQ_STR(finmark_status_name(FINMARK_INVALID_QUERY), "INVALID_QUERY");
  CHECK_EQ_STR(finmark_status_name(FINMARK_NOT_FOUND), "NOT_FOUND");
  CHECK_EQ_STR(finmark_status_name(FINMARK_PERMISSION_DENIED), "PERMISSION_DENIED");
  CHECK_EQ_STR(finmark_status_name(FINMARK_CONFLICT), "CONFLICT");
  CHECK_EQ_STR(finmark_status_name(FINMARK_RATE_LIMITED), "RATE_LIMITED");
  CHECK_EQ_STR(finmark_status_name(FINMARK_STORAGE), "STORAGE");
  CHECK_EQ_STR(finmark_status_name(FINMARK_INTEGRITY), "INTEGRITY");
  CHECK_EQ_STR(finmark_status_name(FINMARK_INTERNAL), "INTERNAL");
  CHECK_EQ_STR(finmark_status_name(FINMARK_NULL_ARGUMENT), "NULL_ARGUMENT");
  CHECK_EQ_STR(finmark_status_name(FINMARK_INVALID_UTF8), "INVALID_UTF8");
  CHECK_EQ_STR(finmark_status_name(11), "UNKNOWN");
  CHECK_EQ_STR(finmark_status_name(-1), "UNKNOWN");
  /* The codes are stable: they are part of the ABI. */
  CHECK(FINMARK_OK == 0 && FINMARK_INVALID_EVENT == 1 && FINMARK_INTERNAL == 10);
  CHECK(FINMARK_NULL_ARGUMENT == 100 && FINMARK_INVALID_UTF8 == 101);
}

/* The last failure's message names the argument. */
#define CHECK_NULL(call, argument)                                 \
  do {                                                             \
    CHECK_STATUS(call, FINMARK_NULL_ARGUMENT);                     \
    CHECK_EQ_STR(finmark_last_error_message(), "argument '" argument "' is NULL"); \
  } while (0)

static void null_arguments(finmark_engine *engine, finmark_ruleset *ruleset) {
  char *out = NULL;
  uint64_t count = 0;
  finmark_engine *no_engine = NULL;
  finmark_ruleset *no_ruleset = NULL;
  const char batch[] = "{\"a\":1}";

  CHECK_NULL(finmark_engine_open(NULL, NULL, &no_engine), "url");
  CHECK_NULL(finmark_engine_open("memory://", NULL, NULL), "engine_out");
  CHECK_NULL(finmark_engine_ingest(NULL, batch, strlen(batch), &out), "engine");
  CHECK_NULL(finmark_engine_ingest(engine, NULL, 0, &out), "json");
  CHECK_NULL(finmark_engine_ingest(engine, batch, strlen(batch), NULL), "report_out");
  CHECK_NULL(finmark_engine_events(NULL, "{}", &out), "engine");
  CHECK_NULL(finmark_engine_events(engine, "{}", NULL), "page_out");
  CHECK_NULL(finmark_engine_count_by(NULL, "a", "{}", &out), "engine");
  CHECK_NULL(finmark_engine_count_by(engine, NULL, "{}", &out), "field");
  CHECK_NULL(finmark_engine_count_by(engine, "a", "{}", NULL), "counts_out");
  CHECK_NULL(finmark_engine_detections(NULL, "{}", &out), "engine");
  CHECK_NULL(finmark_engine_detections(engine, "{}", NULL), "detections_out");
  CHECK_NULL(finmark_engine_purge_before(NULL, "2026-01-01T00:00:00Z", &count), "engine");
  CHECK_NULL(finmark_engine_purge_before(engine, NULL, &count), "cutoff");
  CHECK_NULL(finmark_engine_purge_before(engine, "2026-01-01T00:00:00Z", NULL), "count_out");
  CHECK_NULL(finmark_engine_reload_rules(NULL, "{}"), "engine");
  CHECK_NULL(finmark_ruleset_load(NULL, NULL, &no_ruleset), "paths_json");
  CHECK_NULL(finmark_ruleset_load("[]", NULL, NULL), "ruleset_out");
  CHECK_NULL(finmark_ruleset_match_json(NULL, batch, strlen(batch), &out), "ruleset");
  CHECK_NULL(finmark_ruleset_match_json(ruleset, NULL, 0, &out), "json");
  CHECK_NULL(finmark_ruleset_match_json(ruleset, batch, strlen(batch), NULL), "report_out");
  CHECK_NULL(finmark_ruleset_rejected(NULL, &out), "ruleset");
  CHECK_NULL(finmark_ruleset_rejected(ruleset, NULL), "rejected_out");
  size_t rules = 7;
  CHECK_NULL(finmark_ruleset_len(NULL, &rules), "ruleset");
  CHECK_NULL(finmark_ruleset_len(ruleset, NULL), "count_out");
  CHECK(rules == 0);
  CHECK_NULL(finmark_simulate_day(NULL, NULL), "events_out");
  CHECK(out == NULL && no_engine == NULL && no_ruleset == NULL && count == 0);

  /* Freeing NULL is a no-op, as free(NULL) is. */
  finmark_string_free(NULL);
  finmark_ruleset_free(NULL);
  CHECK_OK(finmark_engine_close(NULL));

  /* A NULL-argument failure did nothing: nothing was ingested. */
  CHECK_OK(finmark_engine_events(engine, NULL, &out));
  CHECK_EQ_STR(out, "{\"events\":[],\"next_cursor\":null}");
  finmark_string_free(out);
}

#define CHECK_NOT_UTF8(call, argument)                                                  \
  do {                                                                                  \
    CHECK_STATUS(call, FINMARK_INVALID_UTF8);                                           \
    CHECK_CONTAINS(finmark_last_error_message(), "argument '" argument "' is not valid UTF-8"); \
  } while (0)

static void invalid_utf8(finmark_engine *engine) {
  char *out = NULL;
  uint64_t count = 0;
  finmark_engine *no_engine = NULL;
  finmark_ruleset *no_ruleset = NULL;

  CHECK_NOT_UTF8(finmark_engine_open(NOT_UTF8, NULL, &no_engine), "url");
  CHECK_CONTAINS(finmark_last_error_message(), "index 9"); /* where the bad byte is */
  CHECK_NOT_UTF8(finmark_engine_open("memory://", "{\"rules_yaml\":[\"\xFF\"]}", &no_engine),
                 "options_json");
  CHECK_NOT_UTF8(finmark_engine_events(engine, "{\"where\":{\"a\":\"\xC3\x28\"}}", &out),
                 "query_json");
  CHECK_NOT_UTF8(finmark_engine_count_by(engine, "user.\xC3\x28", NULL, &out), "field");
  CHECK_NOT_UTF8(finmark_engine_count_by(engine, "user.name", "{\"\xFE\":1}", &out), "query_json");
  CHECK_NOT_UTF8(finmark_engine_detections(engine, "\xC0", &out), "query_json");
  CHECK_NOT_UTF8(finmark_engine_purge_before(engine, "2026\xC3\x28", &count), "cutoff");
  CHECK_NOT_UTF8(finmark_engine_reload_rules(engine, "\xC3\x28"), "options_json");
  CHECK_NOT_UTF8(finmark_ruleset_load("[\"\xC3\x28\"]", NULL, &no_ruleset), "paths_json");
  CHECK_NOT_UTF8(finmark_ruleset_load("[]", "\xC3\x28", &no_ruleset), "options_json");
  CHECK_NOT_UTF8(finmark_simulate_day("\xC3\x28", &out), "config_json");
  CHECK(out == NULL && no_engine == NULL && no_ruleset == NULL && count == 0);

  /* Event bytes are not a C string argument: a record with a bad byte is rejected with its
   * line, the others are stored. The buffer has no terminating NUL either. */
  const char batch[] = "{\"event.id\":\"u1\",\"user.name\":\"ann\"}\n"
                       "{\"event.id\":\"u2\",\"user.name\":\"b\xC3\x28\"}\n"
                       "{\"event.id\":\"u3\",\"user.name\":\"caf\xC3\xA9\"}";
  char *report = NULL;
  CHECK_OK(finmark_engine_ingest(engine, batch, sizeof batch - 1, &report));
  CHECK(json_int(report, "accepted") == 2);
  CHECK_CONTAINS(report, "\"rejected\":[{\"line\":2,");
  finmark_string_free(report);
  CHECK_OK(finmark_engine_events(engine, "{\"where\":{\"user.name\":\"caf\xC3\xA9\"}}", &out));
  CHECK_CONTAINS(out, "\"id\":\"u3\"");
  finmark_string_free(out);
}

static void malformed_json_arguments(finmark_engine *engine) {
  finmark_engine *no_engine = NULL;
  finmark_ruleset *no_ruleset = NULL;
  char *out = NULL;

  /* Unknown option keys are refused, so that a typo does not silently load no rules. */
  CHECK_STATUS(finmark_engine_open("memory://", "{\"rulez\":[]}", &no_engine),
               FINMARK_INVALID_QUERY);
  CHECK_CONTAINS(finmark_last_error_message(), "options_json");
  CHECK_CONTAINS(finmark_last_error_message(), "rulez");
  CHECK_STATUS(finmark_engine_open("memory://", "not json", &no_engine), FINMARK_INVALID_QUERY);
  CHECK_STATUS(finmark_engine_reload_rules(engine, "{\"rules\":\"one/path\"}"),
               FINMARK_INVALID_QUERY);
  CHECK_CONTAINS(finmark_last_error_message(), "options_json");
  CHECK_STATUS(finmark_ruleset_load("{\"not\":\"an array\"}", NULL, &no_ruleset),
               FINMARK_INVALID_QUERY);
  CHECK_CONTAINS(finmark_last_error_message(), "paths_json");
  CHECK_STATUS(finmark_simulate_day("{\"orders\":-1}", &out), FINMARK_INVALID_QUERY);
  CHECK_CONTAINS(finmark_last_error_message(), "config_json");
  CHECK_STATUS(finmark_simulate_day("{\"date\":\"15/01/2026\"}", &out), FINMARK_INVALID_QUERY);
  CHECK(out == NULL && no_engine == NULL && no_ruleset == NULL);
}

static void last_error_lifecycle(finmark_engine *engine) {
  char *out = NULL;
  CHECK_STATUS(finmark_engine_events(engine, "{\"limit\":\"x\"}", &out), FINMARK_INVALID_QUERY);
  const char *message = finmark_last_error_message();
  CHECK(strlen(message) > 0);
  /* Reading it again, or a status name, does not change it. */
  CHECK_EQ_STR(finmark_status_name(FINMARK_OK), "OK");
  CHECK(strcmp(finmark_last_error_message(), message) == 0);
  /* A successful call clears it. */
  CHECK_OK(finmark_engine_events(engine, NULL, &out));
  CHECK_EQ_STR(finmark_last_error_message(), "");
  finmark_string_free(out);
}

int main(void) {
  status_names();
  CHECK_EQ_STR(finmark_last_error_message(), ""); /* nothing failed yet */

  finmark_engine *engine = NULL;
  CHECK_OK(finmark_engine_open("memory://", NULL, &engine));
  finmark_ruleset *ruleset = NULL;
  CHECK_OK(finmark_ruleset_load("[]", NULL, &ruleset));

  null_arguments(engine, ruleset);
  invalid_utf8(engine);
  malformed_json_arguments(engine);
  last_error_lifecycle(engine);

  finmark_ruleset_free(ruleset);
  CHECK_OK(finmark_engine_close(engine));
  puts("arguments_test: ok");
  return 0;
}
