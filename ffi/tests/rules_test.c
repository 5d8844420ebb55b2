/*
 * Sigma rules through the C door: a ruleset loaded from files and from YAML text matches JSON
 * batches; rejected rules are listed (or fail the load when strict); an engine with rules
 * reports and stores detections, and reloads its rules atomically.
 */
#include "check.h"

#define ALICE_RULE_ID "5f0a6c1e-0c1a-4d4e-9a53-6d1f2b7c8e01"

static const char ALICE_RULE[] =
    "title: Alice signs in\n"
    "id: " ALICE_RULE_ID "\n"
    "status: test\n"
    "logsource:\n"
    "  category: authentication\n"
    "detection:\n"
    "  selection:\n"
    "    user.name: alice\n"
    "  condition: selection\n"
    "level: high\n"
    "tags:\n"
    "  - attack.t1078\n";

/* Its condition names a search the rule does not have. */
static const char BROKEN_RULE[] =
    "title: Broken\n"
    "id: 0d4b6f3e-5b0e-4b8f-8f55-0c6f1e6f2a10\n"
    "logsource:\n"
    "  category: authentication\n"
    "detection:\n"
    "  selection:\n"
    "    user.name: bob\n"
    "  condition: selection and no_such_search\n";

/* alice on lines 1 and 4, bob on line 2, a malformed line 3. */
static const char EVENTS[] =
    "{\"@timestamp\":\"2026-01-15T10:00:00Z\",\"event.id\":\"a1\",\"user.name\":\"alice\"}\n"
    "{\"@timestamp\":\"2026-01-15T10:01:00Z\",\"event.id\":\"b1\",\"user.name\":\"bob\"}\n"
    "{\"user.name\": \n"
    "{\"@timestamp\":\"2026-01-15T10:02:00Z\",\"event.id\":\"a2\",\"user\":{\"name\":\"alice\"}}\n";

/* Options JSON with the two rules as YAML texts (newlines escaped). */
static char *yaml_options(int strict) {
  static const char *rules[] = {ALICE_RULE, BROKEN_RULE};
  size_t size = 256 + 2 * (sizeof ALICE_RULE + sizeof BROKEN_RULE);
  char *json = malloc(size);
  CHECK(json != NULL);
  char *p = json;
  p += sprintf(p, "{\"strict_rules\":%s,\"rules_yaml\":[", strict ? "true" : "false");
  for (size_t r = 0; r < 2; r++) {
    *p++ = '"';
    for (const char *c = rules[r]; *c; c++) {
      if (*c == '\n') {
        *p++ = '\\';
        *p++ = 'n';
      } else {
        *p++ = *c;
      }
    }
    *p++ = '"';
    if (r == 0) *p++ = ',';
  }
  strcpy(p, "]}");
  return json;
}

/* The match report of the two alice events, and the rejected bad line. */
static void check_alice_matches(const char *report) {
  CHECK(count_of(report, "\"rule_id\":\"" ALICE_RULE_ID "\"") == 2);
  CHECK_CONTAINS(report, "\"title\":\"Alice signs in\"");
  CHECK_CONTAINS(report, "\"level\":\"high\"");
  CHECK_CONTAINS(report, "\"severity\":\"critical\""); /* high maps to critical */
  CHECK_CONTAINS(report, "\"tags\":[\"attack.t1078\"]");
  CHECK_CONTAINS(report, "\"event_id\":\"a1\"");
  CHECK_CONTAINS(report, "\"event_id\":\"a2\"");
  CHECK_LACKS(report, "\"event_id\":\"b1\"");
  CHECK_CONTAINS(report, "\"fields\":[{\"field\":\"user.name\",\"value\":\"alice\"}]");
}

static void ruleset_from_files(const char *dir) {
  char *good = write_file(dir, "alice.yml", ALICE_RULE);
  char *broken = write_file(dir, "broken.yml", BROKEN_RULE);

  /* A directory: both files are read, the broken rule is skipped and listed. */
  char paths[4200];
  snprintf(paths, sizeof paths, "[\"%s\"]", dir);
  finmark_ruleset *ruleset = NULL;
  CHECK_OK(finmark_ruleset_load(paths, NULL, &ruleset));
  CHECK(ruleset != NULL);
  size_t rules = 0;
  CHECK_OK(finmark_ruleset_len(ruleset, &rules));
  CHECK(rules == 1);

  char *report = NULL;
  CHECK_OK(finmark_ruleset_match_json(ruleset, EVENTS, strlen(EVENTS), &report));
  check_alice_matches(report);
  /* In JSON input, event_index is the event's line. */
  CHECK_CONTAINS(report, "\"event_index\":1,");
  CHECK_CONTAINS(report, "\"event_index\":4,");
  CHECK(json_int(report, "events") == 3);
  CHECK_CONTAINS(report, "\"rejected\":[{\"line\":3,");
  finmark_string_free(report);

  char *rejected = NULL;
  CHECK_OK(finmark_ruleset_rejected(ruleset, &rejected));
  CHECK(count_of(rejected, "\"file\":") == 1);
  CHECK_CONTAINS(rejected, broken);
  CHECK_CONTAINS(rejected, "no_such_search");
  finmark_string_free(rejected);
  finmark_ruleset_free(ruleset);

  /* The good file alone, as options' "rules": nothing rejected. */
  char options[4200];
  snprintf(options, sizeof options, "{\"rules\":[\"%s\"]}", good);
  CHECK_OK(finmark_ruleset_load("[]", options, &ruleset));
  CHECK_OK(finmark_ruleset_rejected(ruleset, &rejected));
  CHECK_EQ_STR(rejected, "[]");
  finmark_string_free(rejected);
  /* An array batch: event_index is the element's index + 1. */
  const char array[] = "[{\"user.name\":\"bob\"},{\"user.name\":\"alice\"}]";
  CHECK_OK(finmark_ruleset_match_json(ruleset, array, strlen(array), &report));
  CHECK(count_of(report, "\"rule_id\":") == 1);
  CHECK_CONTAINS(report, "\"event_index\":2,");
  finmark_string_free(report);
  finmark_ruleset_free(ruleset);

  /* Strict: the broken rule fails the load, naming its file and what is wrong. */
  snprintf(options, sizeof options, "{\"strict_rules\":true}");
  ruleset = (finmark_ruleset *)&ruleset; /* not NULL, to see it reset */
  CHECK_STATUS(finmark_ruleset_load(paths, options, &ruleset), FINMARK_INVALID_RULE);
  CHECK(ruleset == NULL);
  CHECK_CONTAINS(finmark_last_error_message(), broken);
  CHECK_CONTAINS(finmark_last_error_message(), "no_such_search");

  /* A rule path that does not exist is a rejected rule, named. */
  CHECK_OK(finmark_ruleset_load("[\"/no/such/rules.yml\"]", NULL, &ruleset));
  CHECK_OK(finmark_ruleset_rejected(ruleset, &rejected));
  CHECK_CONTAINS(rejected, "/no/such/rules.yml");
  finmark_string_free(rejected);
  finmark_ruleset_free(ruleset);

  /* A pipeline that does not exist fails the load; so does one that is no pipeline. */
  CHECK_STATUS(finmark_ruleset_load("[]", "{\"pipelines\":[\"no-such-pipeline\"]}", &ruleset),
               FINMARK_NOT_FOUND);
  CHECK_CONTAINS(finmark_last_error_message(), "no-such-pipeline");
  CHECK(ruleset == NULL);
  snprintf(options, sizeof options, "{\"pipelines\":[\"%s\"]}", good); /* a rule, not a pipeline */
  CHECK_STATUS(finmark_ruleset_load("[]", options, &ruleset), FINMARK_INVALID_RULE);
  CHECK_CONTAINS(finmark_last_error_message(), good);
  CHECK(ruleset == NULL);

  /* A shipped pipeline loads by name. */
  CHECK_OK(finmark_ruleset_load(paths, "{\"pipelines\":[\"authentication\"]}", &ruleset));
  finmark_ruleset_free(ruleset);

  free(good);
  free(broken);
}

static void ruleset_from_yaml(void) {
  char *options = yaml_options(0);
  finmark_ruleset *ruleset = NULL;
  CHECK_OK(finmark_ruleset_load("[]", options, &ruleset));
  size_t rules = 0;
  CHECK_OK(finmark_ruleset_len(ruleset, &rules));
  CHECK(rules == 1);
  char *report = NULL;
  CHECK_OK(finmark_ruleset_match_json(ruleset, EVENTS, strlen(EVENTS), &report));
  check_alice_matches(report);
  finmark_string_free(report);
  char *rejected = NULL;
  CHECK_OK(finmark_ruleset_rejected(ruleset, &rejected));
  CHECK(count_of(rejected, "\"file\":") == 1);
  CHECK_CONTAINS(rejected, "rules_yaml[1]"); /* YAML texts are named by their index */
  finmark_string_free(rejected);
  finmark_ruleset_free(ruleset);
  free(options);
}

static void engine_with_rules(void) {
  char *options = yaml_options(0);
  finmark_engine *engine = NULL;
  CHECK_OK(finmark_engine_open("memory://", options, &engine));

  /* Ingest reports the matches of the events stored now... */
  char *report = NULL;
  CHECK_OK(finmark_engine_ingest(engine, EVENTS, strlen(EVENTS), &report));
  CHECK(json_int(report, "accepted") == 3);
  /* The report's detections come before its correlations and alerts. */
  const char *correlations = strstr(report, "\"correlations\":");
  CHECK(correlations != NULL);
  char *matches = strndup(report, (size_t)(correlations - report));
  CHECK(matches != NULL);
  check_alice_matches(matches);
  free(matches);
  /* ...and the two matches of one rule and user raise one alert of count 2. */
  CHECK(count_of(correlations, "\"source\":\"rule\"") == 1);
  CHECK_CONTAINS(correlations, "\"count\":2");
  finmark_string_free(report);
  /* ...not again for events sent twice. */
  CHECK_OK(finmark_engine_ingest(engine, EVENTS, strlen(EVENTS), &report));
  CHECK(json_int(report, "duplicates") == 3);
  CHECK_CONTAINS(report, "\"matches\":[]");
  finmark_string_free(report);

  /* Detections are stored, newest first, and filter by their fields. */
  char *detections = NULL;
  CHECK_OK(finmark_engine_detections(engine, NULL, &detections));
  CHECK(count_of(detections, "\"rule_id\":\"" ALICE_RULE_ID "\"") == 2);
  CHECK(strstr(detections, "\"event_id\":\"a2\"") < strstr(detections, "\"event_id\":\"a1\""));
  finmark_string_free(detections);
  CHECK_OK(finmark_engine_detections(engine, "{\"where\":{\"severity\":\"critical\"}}", &detections));
  CHECK(count_of(detections, "\"rule_id\":") == 2);
  finmark_string_free(detections);
  CHECK_OK(finmark_engine_detections(engine, "{\"where\":{\"rule_id\":\"other\"}}", &detections));
  CHECK_EQ_STR(detections, "[]");
  finmark_string_free(detections);
  CHECK_OK(finmark_engine_detections(engine, "{\"since\":\"2026-01-15T10:01:00Z\"}", &detections));
  CHECK(count_of(detections, "\"rule_id\":") == 1);
  finmark_string_free(detections);

  /* A strict engine refuses the broken rule. */
  char *strict = yaml_options(1);
  finmark_engine *refused = NULL;
  CHECK_STATUS(finmark_engine_open("memory://", strict, &refused), FINMARK_INVALID_RULE);
  CHECK(refused == NULL);
  CHECK_CONTAINS(finmark_last_error_message(), "rules_yaml[1]");

  /* A failed reload keeps the rules... */
  CHECK_STATUS(finmark_engine_reload_rules(engine, strict), FINMARK_INVALID_RULE);
  const char alice[] = "{\"event.id\":\"a3\",\"user.name\":\"alice\"}";
  CHECK_OK(finmark_engine_ingest(engine, alice, strlen(alice), &report));
  CHECK(count_of(report, "\"level\":\"high\"") == 1); /* one detection (alerts have no level) */
  CHECK_CONTAINS(report, "\"rule_id\":\"" ALICE_RULE_ID "\"");
  finmark_string_free(report);
  /* ...a successful one replaces them (here: by none). */
  CHECK_OK(finmark_engine_reload_rules(engine, NULL));
  const char alice_again[] = "{\"event.id\":\"a4\",\"user.name\":\"alice\"}";
  CHECK_OK(finmark_engine_ingest(engine, alice_again, strlen(alice_again), &report));
  CHECK(json_int(report, "accepted") == 1);
  CHECK_CONTAINS(report, "\"matches\":[]");
  finmark_string_free(report);
  CHECK_OK(finmark_engine_reload_rules(engine, options));
  CHECK_OK(finmark_engine_ingest(engine, alice_again, strlen(alice_again), &report));
  CHECK(json_int(report, "duplicates") == 1); /* stored already: no match reported */
  finmark_string_free(report);

  free(strict);
  free(options);
  CHECK_OK(finmark_engine_close(engine));
}

int main(void) {
  char *dir = make_temp_dir();
  ruleset_from_files(dir);
  ruleset_from_yaml();
  engine_with_rules();
  remove_temp_dir(dir);
  puts("rules_test: ok");
  return 0;
}
