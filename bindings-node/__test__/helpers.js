'use strict'
// Shared fixtures of the Node tests: storage backends, temporary directories, rules.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const assert = require('node:assert/strict')

/** The project's shared data sets and rule corpora (read-only), `../shared` of the repo. */
const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared')

/** A fresh temporary directory, removed when the process exits. */
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmark-node-'))
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * The storage backends every engine scenario runs on: memory, a real SQLite file, and the
 * PostgreSQL server the test command starts (FINMARK_TEST_POSTGRES), when it is set.
 */
function backends() {
  const list = [
    { name: 'memory', url: () => 'memory://' },
    { name: 'sqlite', url: () => `sqlite://${path.join(tempDir(), 'finmark.db')}` },
  ]
  const postgres = process.env.FINMARK_TEST_POSTGRES
  list.push({ name: 'postgres', url: () => postgres, skip: postgres ? false : 'FINMARK_TEST_POSTGRES is not set' })
  return list
}

/** A value unique to this run, to tell this run's events from others in a shared database. */
function runId() {
  return crypto.randomUUID()
}

/** A Sigma rule matching events whose `field` equals `value`. */
function ruleYaml({ id, title, field, value, level = 'high', tags = ['attack.credential-access'] }) {
  return [
    `title: ${title}`,
    `id: ${id}`,
    'status: test',
    'logsource:',
    '  category: authentication',
    'detection:',
    '  selection:',
    `    ${field}: ${value}`,
    '  condition: selection',
    `level: ${level}`,
    'tags:',
    ...tags.map((t) => `  - ${t}`),
    '',
  ].join('\n')
}

/** Asserts that `promise` rejects with an `Error` whose `code` is `code`. */
async function rejectsWithCode(promise, code, message) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof Error, `expected an Error, got ${err}`)
    assert.equal(err.code, code, `code of: ${err.message}`)
    if (message) assert.match(err.message, message)
    return true
  })
}

/** Asserts that `fn()` throws an `Error` whose `code` is `code`. */
function throwsWithCode(fn, code, message) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error, `expected an Error, got ${err}`)
    assert.equal(err.code, code, `code of: ${err.message}`)
    if (message) assert.match(err.message, message)
    return true
  })
}

module.exports = { SHARED, tempDir, backends, runId, ruleYaml, rejectsWithCode, throwsWithCode }
