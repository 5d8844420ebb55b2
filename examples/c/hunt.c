/*
 * hunt.c: match an events file against Sigma rules, without storage, and print the matches.
 *
 *   hunt RULES EVENTS [PIPELINE]
 *
 * RULES is a rule file or a directory of rules; EVENTS is NDJSON, a JSON array, or Windows
 * events as `evtx_dump -o json` writes them; PIPELINE is a builtin pipeline name (`windows`,
 * ...) or a pipeline file. Prints one JSON line: {"matches": [...], "events": n, "rejected":
 * [...]}, each match with the event's line as `event_index`. Rules that could not be loaded
 * are listed on stderr.
 */
#include <finmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file in a buffer to free, its size in *size; NULL (with errno) on failure. */
static char *read_file(const char *path, size_t *size) {
  FILE *file = fopen(path, "rb");
  if (file == NULL) return NULL;
  size_t capacity = 1 << 16, used = 0, n;
  char *data = malloc(capacity);
  while (data != NULL && (n = fread(data + used, 1, capacity - used, file)) > 0) {
    used += n;
    if (used == capacity) {
      char *bigger = realloc(data, capacity *= 2);
      if (bigger == NULL) free(data);
      data = bigger;
    }
  }
  if (data != NULL && ferror(file)) {
    free(data);
    data = NULL;
  }
  fclose(file);
  *size = used;
  return data;
}

/* `text` as a JSON string literal, to free. */
static char *json_string(const char *text) {
  char *out = malloc(strlen(text) * 6 + 3), *p = out;
  if (out == NULL) return NULL;
  *p++ = '"';
  for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
    if (*c == '"' || *c == '\\') {
      *p++ = '\\';
      *p++ = (char)*c;
    } else if (*c < 0x20) {
      p += sprintf(p, "\\u%04x", *c);
    } else {
      *p++ = (char)*c;
    }
  }
  strcpy(p, "\"");
  return out;
}

/* Prints finmark's message for a failed call and gives the exit status. */
static int failed(const char *what) {
  fprintf(stderr, "hunt: %s: %s\n", what, finmark_last_error_message());
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: %s RULES EVENTS [PIPELINE]\n", argv[0]);
    return 2;
  }
  size_t size = 0;
  char *events = read_file(argv[2], &size);
  if (events == NULL) {
    perror(argv[2]);
    return 1;
  }

  /* ["RULES"] and, with a pipeline, {"pipelines": ["PIPELINE"]}. */
  char *rules = json_string(argv[1]);
  char *pipeline = argc == 4 ? json_string(argv[3]) : NULL;
  char paths[8192], options[8192];
  snprintf(paths, sizeof paths, "[%s]", rules);
  snprintf(options, sizeof options, "{\"pipelines\": [%s]}", pipeline ? pipeline : "");
  free(rules);
  free(pipeline);

  int status = 0;
  finmark_ruleset *ruleset = NULL;
  char *rejected = NULL, *report = NULL;
  if (finmark_ruleset_load(paths, options, &ruleset) != FINMARK_OK) {
    status = failed("loading rules");
  } else if (finmark_ruleset_rejected(ruleset, &rejected) != FINMARK_OK) {
    status = failed("listing rejected rules");
  } else if (finmark_ruleset_match_json(ruleset, events, size, &report) != FINMARK_OK) {
    status = failed("matching");
  } else {
    if (strcmp(rejected, "[]") != 0) fprintf(stderr, "hunt: rules skipped: %s\n", rejected);
    printf("%s\n", report);
  }
  finmark_string_free(report);
  finmark_string_free(rejected);
  finmark_ruleset_free(ruleset);
  free(events);
  return status;
}
