/*
 * The engine through the C door, on memory:// and on a real SQLite file: open, ingest a batch
 * with a bad line, query with where / since / until / limit / cursor, count by field,
 * detections, purge, close, reopen; bad URLs and bad queries.
 */
#include "check.h"

/* Five events and a malformed line 3. e3 nests `user.name` and has the status as a string. */
static const char BATCH[] =
    "{\"@timestamp\":\"2026-01-15T10:00:00Z\",\"event.id\":\"e1\",\"user.name\":\"alice\","
    "\"source.ip\":\"10.0.0.1\",\"http.response.status_code\":200}\n"
    "{\"@timestamp\":\"2026-01-15T10:01:00Z\",\"event.id\":\"e2\",\"user.name\":\"bob\","
    "\"source.ip\":\"10.0.0.2\",\"http.response.status_code\":500}\n"
    "{oops\n"
    "{\"@timestamp\":\"2026-01-15T10:02:00Z\",\"event.id\":\"e3\",\"user\":{\"name\":\"alice\"},"
    "\"source.ip\":\"10.0.0.1\",\"http.response.status_code\":\"500\"}\n"
    "{\"@timestamp\":\"2026-01-15T10:03:00Z\",\"event.id\":\"e4\",\"user.name\":\"alice\","
    "\"source.ip\":\"10.0.0.3\"}\n"
    "{\"@timestamp\":\"2026-01-15T10:04:00Z\",\"event.id\":\"e5\",\"user.name\":\"bob\","
    "\"source.ip\":\"10.0.0.1\",\"http.response.status_code\":500}\n";

/* Runs `query_json` and checks that the page holds exactly the events `ids` (a space-separated
 * list, newest first). Returns the page's next_cursor (to free), or NULL on the last page. */
static char *check_page(finmark_engine *engine, const char *query_json, const char *ids) {
  char *page = NULL;
  CHECK_OK(finmark_engine_events(engine, query_json, &page));
  CHECK(page != NULL);
  char expected[256];
  char *copy = strdup(ids);
  CHECK(copy != NULL);
  const char *previous = page;
  size_t n = 0;
  for (char *id = strtok(copy, " "); id != NULL; id = strtok(NULL, " "), n++) {
    snprintf(expected, sizeof expected, "\"id\":\"%s\"", id);
    const char *at = strstr(previous, expected);
    if (at == NULL) FAIL("query %s: expected events %s in this order, got %s", query_json, ids, page);
    previous = at;
  }
  free(copy);
  if (count_of(page, "\"id\":\"") != n)
    FAIL("query %s: expected only events %s, got %s", query_json, ids, page);
  char *cursor = json_string(page, "next_cursor");
  if (cursor == NULL) CHECK_CONTAINS(page, "\"next_cursor\":null");
  finmark_string_free(page);
  return cursor;
}

static void check_ingest(finmark_engine *engine, long long accepted, long long duplicates) {
  char *report = NULL;
  CHECK_OK(finmark_engine_ingest(engine, BATCH, strlen(BATCH), &report));
  CHECK(json_int(report, "accepted") == accepted);
  CHECK(json_int(report, "duplicates") == duplicates);
  /* The bad line is reported with its line number and a reason; the others went through. */
  CHECK_CONTAINS(report, "\"rejected\":[{\"line\":3,\"reason\":\"");
  CHECK(count_of(report, "\"line\":") == 1);
  CHECK_CONTAINS(report, "\"matches\":[]");
  finmark_string_free(report);
}

static void check_queries(finmark_engine *engine) {
  char *cursor;

  /* Everything, newest first; a NULL query is the first page of all events. */
  CHECK(check_page(engine, NULL, "e5 e4 e3 e2 e1") == NULL);
  CHECK(check_page(engine, "{}", "e5 e4 e3 e2 e1") == NULL);

  /* Field equality; the nested user.name of e3 was flattened. */
  CHECK(check_page(engine, "{\"where\":{\"user.name\":\"alice\"}}", "e4 e3 e1") == NULL);
  CHECK(check_page(engine, "{\"where\":{\"user.name\":\"alice\",\"source.ip\":\"10.0.0.1\"}}",
                   "e3 e1") == NULL);
  CHECK(check_page(engine, "{\"where\":{\"user.name\":\"carol\"}}", "") == NULL);

  /* Typed values: the integer 500 is not the string "500". */
  CHECK(check_page(engine, "{\"where\":{\"http.response.status_code\":500}}", "e5 e2") == NULL);
  CHECK(check_page(engine, "{\"where\":{\"http.response.status_code\":\"500\"}}", "e3") == NULL);

  /* Time range: since inclusive, until exclusive. */
  CHECK(check_page(engine,
                   "{\"since\":\"2026-01-15T10:01:00Z\",\"until\":\"2026-01-15T10:03:00Z\"}",
                   "e3 e2") == NULL);

  /* Pages of two, following next_cursor to the end. */
  cursor = check_page(engine, "{\"limit\":2}", "e5 e4");
  CHECK(cursor != NULL);
  char query[512];
  snprintf(query, sizeof query, "{\"limit\":2,\"cursor\":\"%s\"}", cursor);
  free(cursor);
  cursor = check_page(engine, query, "e3 e2");
  CHECK(cursor != NULL);
  snprintf(query, sizeof query, "{\"limit\":2,\"cursor\":\"%s\"}", cursor);
  free(cursor);
  CHECK(check_page(engine, query, "e1") == NULL);

  /* The event's own fields come back typed, with its time. */
  char *page = NULL;
  CHECK_OK(finmark_engine_events(engine, "{\"limit\":1}", &page));
  CHECK_CONTAINS(page, "\"time\":\"2026-01-15T10:04:00Z\"");
  CHECK_CONTAINS(page, "\"http.response.status_code\":500");
  CHECK_CONTAINS(page, "\"user.name\":\"bob\"");
  finmark_string_free(page);

  /* Counts by field: most frequent first, ties by value. */
  char *counts = NULL;
  CHECK_OK(finmark_engine_count_by(engine, "user.name", NULL, &counts));
  CHECK_EQ_STR(counts, "[{\"value\":\"alice\",\"count\":3},{\"value\":\"bob\",\"count\":2}]");
  finmark_string_free(counts);
  CHECK_OK(finmark_engine_count_by(engine, "source.ip", "{\"where\":{\"user.name\":\"bob\"}}",
                                   &counts));
  CHECK_EQ_STR(counts,
               "[{\"value\":\"10.0.0.1\",\"count\":1},{\"value\":\"10.0.0.2\",\"count\":1}]");
  finmark_string_free(counts);
  CHECK_OK(finmark_engine_count_by(engine, "no.such.field", "{}", &counts));
  CHECK_EQ_STR(counts, "[]");
  finmark_string_free(counts);

  /* No rules, no detections. */
  char *detections = NULL;
  CHECK_OK(finmark_engine_detections(engine, NULL, &detections));
  CHECK_EQ_STR(detections, "[]");
  finmark_string_free(detections);
}

static void check_bad_queries(finmark_engine *engine) {
  char sentinel[] = "not NULL";
  char *out = sentinel;
  CHECK_STATUS(finmark_engine_events(engine, "{\"limit\":\"x\"}", &out), FINMARK_INVALID_QUERY);
  CHECK(out == NULL); /* out-parameters are NULL after a failure */
  CHECK_CONTAINS(finmark_last_error_message(), "query_json");
  CHECK_STATUS(finmark_engine_events(engine, "{\"where\":", &out), FINMARK_INVALID_QUERY);
  CHECK_CONTAINS(finmark_last_error_message(), "query_json");
  CHECK_STATUS(finmark_engine_events(engine, "{\"limit\":1000000}", &out), FINMARK_INVALID_QUERY);
  CHECK_CONTAINS(finmark_last_error_message(), "limit");
  CHECK_STATUS(finmark_engine_events(engine, "{\"cursor\":\"nocolon\"}", &out),
               FINMARK_INVALID_QUERY);
  CHECK_CONTAINS(finmark_last_error_message(), "cursor");
  CHECK_STATUS(finmark_engine_events(engine, "{\"since\":\"yesterday\"}", &out),
               FINMARK_INVALID_QUERY);
  CHECK_STATUS(finmark_engine_count_by(engine, "user.name", "[1]", &out), FINMARK_INVALID_QUERY);
  CHECK_STATUS(finmark_engine_detections(engine, "null", &out), FINMARK_INVALID_QUERY);
  uint64_t purged = 99;
  CHECK_STATUS(finmark_engine_purge_before(engine, "last week", &purged), FINMARK_INVALID_QUERY);
  CHECK(purged == 0);
  CHECK_CONTAINS(finmark_last_error_message(), "last week");
  CHECK_STATUS(finmark_engine_purge_before(engine, "15/01/2026", &purged), FINMARK_INVALID_QUERY);
  CHECK_CONTAINS(finmark_last_error_message(), "cutoff");
  CHECK_CONTAINS(finmark_last_error_message(), "2026-01-15 08:00:00");
  CHECK_STATUS(finmark_engine_events(engine, "{\"until\":\"2026-01-15 25:00:00\"}", &out),
               FINMARK_INVALID_QUERY);
  CHECK_CONTAINS(finmark_last_error_message(), "until");
  /* A failure leaves the engine usable, and a success clears the message. */
  free(check_page(engine, "{\"limit\":1}", "e5"));
  CHECK_EQ_STR(finmark_last_error_message(), "");
}

/* The whole scenario on one storage. Leaves e3, e4, e5 stored. */
static void scenario(const char *url) {
  finmark_engine *engine = NULL;
  CHECK_OK(finmark_engine_open(url, NULL, &engine));
  CHECK(engine != NULL);

  check_ingest(engine, 5, 0);
  check_queries(engine);
  check_bad_queries(engine);

  /* Ingest is idempotent by event id. */
  check_ingest(engine, 0, 5);
  CHECK(check_page(engine, NULL, "e5 e4 e3 e2 e1") == NULL);

  /* Times in every form the core reads. */
  CHECK(check_page(engine, "{\"since\":\"2026-01-15 10:03:00\"}", "e5 e4") == NULL);
  CHECK(check_page(engine, "{\"since\":\"2026-01-15\",\"until\":\"2026-01-15T10:01:00\"}",
                   "e1") == NULL);

  /* Retention. */
  uint64_t purged = 0;
  CHECK_OK(finmark_engine_purge_before(engine, "2026-01-15", &purged));
  CHECK(purged == 0);
  CHECK_OK(finmark_engine_purge_before(engine, "2026-01-15 00:00:00", &purged));
  CHECK(purged == 0);
  CHECK_OK(finmark_engine_purge_before(engine, "2026-01-15T11:01:00+01:00", &purged));
  CHECK(purged == 1);
  CHECK_OK(finmark_engine_purge_before(engine, "2026-01-15 10:02:00", &purged));
  CHECK(purged == 1);
  CHECK(check_page(engine, NULL, "e5 e4 e3") == NULL);

  CHECK_OK(finmark_engine_close(engine));
}

static void bad_urls(const char *dir) {
  const char *invalid[] = {"ftp://example.org/x", "", "nonsense", "sqlite://", "postgres:x"};
  for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
    finmark_engine *engine = (finmark_engine *)&engine; /* not NULL, to see it reset */
    CHECK_STATUS(finmark_engine_open(invalid[i], NULL, &engine), FINMARK_INVALID_QUERY);
    CHECK(engine == NULL);
    CHECK_CONTAINS(finmark_last_error_message(), "storage URL");
    CHECK_CONTAINS(finmark_last_error_message(), invalid[i]);
  }
  /* A well-formed URL whose storage cannot be opened is a storage error. */
  char url[4200];
  snprintf(url, sizeof url, "sqlite://%s/no/such/directory/finmark.db", dir);
  finmark_engine *engine = NULL;
  CHECK_STATUS(finmark_engine_open(url, NULL, &engine), FINMARK_STORAGE);
  CHECK(engine == NULL);
  CHECK(strlen(finmark_last_error_message()) > 0);
}

int main(void) {
  char *dir = make_temp_dir();
  char url[4200];
  snprintf(url, sizeof url, "sqlite://%s/finmark.db", dir);

  scenario("memory://");
  scenario(url);

  /* A closed SQLite engine kept everything: reopened, it has the events, and re-sending the
   * batch stores only the two purged events again. */
  finmark_engine *engine = NULL;
  CHECK_OK(finmark_engine_open(url, NULL, &engine));
  CHECK(check_page(engine, NULL, "e5 e4 e3") == NULL);
  check_ingest(engine, 2, 3);
  CHECK(check_page(engine, NULL, "e5 e4 e3 e2 e1") == NULL);
  CHECK_OK(finmark_engine_close(engine));

  /* Closing NULL is a no-op, as free(NULL) is. */
  CHECK_OK(finmark_engine_close(NULL));

  bad_urls(dir);

  remove_temp_dir(dir);
  puts("engine_test: ok");
  return 0;
}
