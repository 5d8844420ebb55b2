/*
 * Alerts through the C door, on a real SQLite file: the builtin SOC rules raise a critical
 * correlation alert for a burst of failed logins; a viewer may read it but not acknowledge
 * it; an analyst acknowledges and resolves it; a silence mutes the next burst until expired.
 */
#include "check.h"

#define BURST "6f1f3a52-8c2d-4e8b-b1a7-9d3e5c7a2b10"
static const char ANA[] = "{\"id\":\"ana\",\"roles\":[\"analyst\"]}";
static const char VIC[] = "{\"id\":\"vic\",\"roles\":[\"viewer\"]}";

/* Ingests twelve failed logins from `ip`, ten seconds apart from `hour`:00 (event time only
 * moves forward: a hit older than one already seen is too late); returns the report. */
static char *ingest_burst(finmark_engine *engine, const char *ip, int hour) {
  char batch[8192];
  size_t len = 0;
  for (int i = 0; i < 12; i++) {
    len += (size_t)snprintf(batch + len, sizeof batch - len,
                            "{\"event.id\":\"f-%s-%d-%d\",\"@timestamp\":\"2026-03-01T%02d:%02d:%02dZ\","
                            "\"event.category\":\"authentication\",\"event.outcome\":\"failure\","
                            "\"source.ip\":\"%s\",\"user.name\":\"alice\"}\n",
                            ip, hour, i, hour, i * 10 / 60, i * 10 % 60, ip);
  }
  char *report = NULL;
  CHECK_OK(finmark_engine_ingest(engine, batch, len, &report));
  return report;
}

/* The id of the one burst alert in `report` (to free). */
static char *burst_alert_id(const char *report) {
  const char *alerts = strstr(report, "\"alerts\":[");
  CHECK(alerts != NULL);
  const char *alert = strstr(alerts, "\"rule_id\":\"" BURST "\"");
  CHECK(alert != NULL);
  /* The alert's id is its first key: find the last `{"id":"` before its rule_id. */
  const char *start = NULL;
  for (const char *at = strstr(alerts, "{\"id\":\""); at != NULL && at < alert;
       at = strstr(at + 1, "{\"id\":\""))
    start = at;
  CHECK(start != NULL);
  return json_string(start, "id");
}

static void check_burst_and_lifecycle(finmark_engine *engine) {
  char *report = ingest_burst(engine, "198.51.100.7", 8);
  CHECK_CONTAINS(report, "\"correlations\":[{\"rule_id\":\"" BURST "\"");
  CHECK_CONTAINS(report, "\"severity\":\"critical\",\"source\":\"correlation\",\"status\":\"open\"");
  char *id = burst_alert_id(report);
  finmark_string_free(report);

  char *page = NULL;
  CHECK_OK(finmark_engine_alerts(engine, ANA, "{\"rule_id\":\"" BURST "\"}", &page));
  CHECK_CONTAINS(page, id);
  CHECK_CONTAINS(page, "\"next_cursor\":null");
  CHECK(count_of(page, "\"fingerprint\":") == 1);
  finmark_string_free(page);
  CHECK_OK(finmark_engine_alerts(engine, VIC, NULL, &page));
  finmark_string_free(page);

  char *counts = NULL;
  CHECK_OK(finmark_engine_alert_counts(engine, VIC, "{\"severity\":\"critical\"}", &counts));
  CHECK(json_int(counts, "total") == 1);
  finmark_string_free(counts);

  char *alert = NULL;
  CHECK_STATUS(finmark_engine_acknowledge_alert(engine, VIC, id, &alert), FINMARK_PERMISSION_DENIED);
  CHECK(alert == NULL);
  CHECK_CONTAINS(finmark_last_error_message(), "alert.acknowledge");
  CHECK_OK(finmark_engine_acknowledge_alert(engine, ANA, id, &alert));
  CHECK_CONTAINS(alert, "\"status\":\"acknowledged\"");
  CHECK_CONTAINS(alert, "\"updated\":{\"actor\":\"ana\",\"action\":\"acknowledge\"");
  finmark_string_free(alert);
  CHECK_OK(finmark_engine_resolve_alert(engine, ANA, id, &alert));
  CHECK_CONTAINS(alert, "\"status\":\"resolved\"");
  finmark_string_free(alert);
  CHECK_STATUS(finmark_engine_resolve_alert(engine, ANA, id, &alert), FINMARK_CONFLICT);
  CHECK_OK(finmark_engine_alert(engine, VIC, id, &alert));
  CHECK_CONTAINS(alert, "\"status\":\"resolved\"");
  finmark_string_free(alert);
  CHECK_STATUS(finmark_engine_alert(engine, VIC, "no-such-alert", &alert), FINMARK_NOT_FOUND);
  free(id);
}

static void check_silences(finmark_engine *engine) {
  char *silence = NULL;
  CHECK_OK(finmark_engine_add_silence(
      engine, ANA,
      "{\"matchers\":[\"source.ip=203.0.113.9\"],\"reason\":\"pen test\","
      "\"starts_at\":\"2026-03-01T00:00:00Z\",\"duration_secs\":86400}",
      &silence));
  CHECK_CONTAINS(silence, "\"author\":\"ana\"");
  char *silence_id = json_string(silence, "id");
  finmark_string_free(silence);

  char *report = ingest_burst(engine, "203.0.113.9", 9);
  CHECK_CONTAINS(report, "\"status\":\"silenced\"");
  CHECK_CONTAINS(report, "\"muted_by\":{\"kind\":\"silence\"");
  CHECK_CONTAINS(report, silence_id);
  finmark_string_free(report);

  char *list = NULL;
  CHECK_OK(finmark_engine_silences(engine, VIC, false, &list));
  CHECK_CONTAINS(list, silence_id);
  finmark_string_free(list);
  CHECK_STATUS(finmark_engine_expire_silence(engine, VIC, silence_id, &silence),
               FINMARK_PERMISSION_DENIED);
  CHECK_CONTAINS(finmark_last_error_message(), "silence.expire");
  CHECK_OK(finmark_engine_expire_silence(engine, ANA, silence_id, &silence));
  finmark_string_free(silence);
  CHECK_OK(finmark_engine_silences(engine, ANA, true, &list));
  CHECK_EQ_STR(list, "[]");
  finmark_string_free(list);
  free(silence_id);
}

static void check_bad_arguments(finmark_engine *engine) {
  char *out = NULL;
  CHECK_STATUS(finmark_engine_alerts(engine, NULL, NULL, &out), FINMARK_NULL_ARGUMENT);
  CHECK_STATUS(finmark_engine_alerts(engine, "{\"id\":\"eve\",\"roles\":[\"root\"]}", NULL, &out),
               FINMARK_INVALID_QUERY);
  CHECK_CONTAINS(finmark_last_error_message(), "actor_json");
  CHECK_STATUS(finmark_engine_alerts(engine, ANA, "{\"status\":\"closed\"}", &out),
               FINMARK_INVALID_QUERY);
  CHECK_CONTAINS(finmark_last_error_message(), "status");
  CHECK_STATUS(finmark_engine_add_silence(engine, ANA, "{\"matchers\":[\"rule_id=x\"],\"reason\":\"\","
                                                       "\"duration_secs\":60}", &out),
               FINMARK_INVALID_QUERY);
  CHECK_CONTAINS(finmark_last_error_message(), "reason");
  CHECK(out == NULL);
}

int main(void) {
  char *dir = make_temp_dir();
  char url[512];
  snprintf(url, sizeof url, "sqlite://%s/soc.db", dir);
  finmark_engine *engine = NULL;
  CHECK_OK(finmark_engine_open(url, "{\"rules\":[\"builtin:soc\"]}", &engine));
  check_burst_and_lifecycle(engine);
  check_silences(engine);
  check_bad_arguments(engine);
  CHECK_OK(finmark_engine_close(engine));
  remove_temp_dir(dir);
  puts("alerts_test: ok");
  return 0;
}
