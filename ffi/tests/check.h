/*
 * check.h: the few helpers finmark's C tests share. Include it first (it sets the POSIX level).
 *
 * A failed check prints where, what, and finmark's last error message, then exits 1, so
 * that test.sh stops loudly. The JSON helpers only look into the compact JSON that finmark
 * writes (no spaces, keys in a fixed order); they are no JSON parser.
 */
#ifndef FINMARK_TESTS_CHECK_H
#define FINMARK_TESTS_CHECK_H

#define _XOPEN_SOURCE 700

#include "finmark.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FAIL(...)                                                                    \
  do {                                                                               \
    fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                \
    fprintf(stderr, __VA_ARGS__);                                                    \
    fprintf(stderr, "\n  finmark's last error: %s\n", finmark_last_error_message()); \
    exit(1);                                                                         \
  } while (0)

/* A condition that must hold. */
#define CHECK(cond)                            \
  do {                                         \
    if (!(cond)) FAIL("check failed: %s", #cond); \
  } while (0)

/* A call that must return `expected`. */
#define CHECK_STATUS(call, expected)                                                       \
  do {                                                                                     \
    finmark_status got_ = (call);                                                          \
    if (got_ != (expected))                                                                \
      FAIL("%s returned %s, expected %s", #call, finmark_status_name(got_),                \
           finmark_status_name(expected));                                                 \
  } while (0)

/* A call that must succeed. */
#define CHECK_OK(call) CHECK_STATUS(call, FINMARK_OK)

/* `text` (not NULL) must contain `needle`. */
#define CHECK_CONTAINS(text, needle)                                         \
  do {                                                                       \
    const char *text_ = (text);                                              \
    if (text_ == NULL || strstr(text_, (needle)) == NULL)                    \
      FAIL("expected %s to contain %s, it is: %s", #text, (needle),          \
           text_ ? text_ : "(NULL)");                                        \
  } while (0)

/* `text` (not NULL) must not contain `needle`. */
#define CHECK_LACKS(text, needle)                                            \
  do {                                                                       \
    const char *text_ = (text);                                              \
    if (text_ == NULL || strstr(text_, (needle)) != NULL)                    \
      FAIL("expected %s not to contain %s, it is: %s", #text, (needle),      \
           text_ ? text_ : "(NULL)");                                        \
  } while (0)

/* `text` (not NULL) must equal `expected`. */
#define CHECK_EQ_STR(text, expected)                                                \
  do {                                                                              \
    const char *text_ = (text);                                                     \
    if (text_ == NULL || strcmp(text_, (expected)) != 0)                            \
      FAIL("expected %s to be %s, it is: %s", #text, (expected), text_ ? text_ : "(NULL)"); \
  } while (0)

/* How many times `needle` occurs in `text`. */
static inline size_t count_of(const char *text, const char *needle) {
  size_t n = 0;
  for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + strlen(needle), needle)) n++;
  return n;
}

/* The integer after the first `"key":` in compact JSON; exits when there is none. */
static inline long long json_int(const char *json, const char *key) {
  char pattern[128];
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  const char *at = strstr(json, pattern);
  if (at == NULL) FAIL("no \"%s\" in %s", key, json);
  return strtoll(at + strlen(pattern), NULL, 10);
}

/* A copy (to free) of the string after the first `"key":"` in compact JSON, or NULL when the
 * key is absent or not a string (`null`). Strings with escapes are not expected here. */
static inline char *json_string(const char *json, const char *key) {
  char pattern[128];
  snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
  const char *at = strstr(json, pattern);
  if (at == NULL) return NULL;
  at += strlen(pattern);
  const char *end = strchr(at, '"');
  if (end == NULL) FAIL("unterminated \"%s\" in %s", key, json);
  char *copy = malloc((size_t)(end - at) + 1);
  CHECK(copy != NULL);
  memcpy(copy, at, (size_t)(end - at));
  copy[end - at] = '\0';
  return copy;
}

/* A new empty directory under $TMPDIR (or /tmp); the caller frees the name. */
static inline char *make_temp_dir(void) {
  const char *base = getenv("TMPDIR");
  char *dir = malloc(4096);
  CHECK(dir != NULL);
  snprintf(dir, 4096, "%s/finmark-c-test-XXXXXX", base && *base ? base : "/tmp");
  CHECK(mkdtemp(dir) != NULL);
  return dir;
}

static inline int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

/* Removes a directory and everything in it, and frees its name. */
static inline void remove_temp_dir(char *dir) {
  CHECK(nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0);
  free(dir);
}

/* Writes `text` to `dir/name`; returns the path (to free). */
static inline char *write_file(const char *dir, const char *name, const char *text) {
  char *path = malloc(4096);
  CHECK(path != NULL);
  snprintf(path, 4096, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  CHECK(fputs(text, f) >= 0);
  CHECK(fclose(f) == 0);
  return path;
}

#endif /* FINMARK_TESTS_CHECK_H */
