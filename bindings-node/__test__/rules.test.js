'use strict'
// RuleSet without storage: load, fromYaml, match, matchNdjson, rejected, and the Match shape.

const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { RuleSet } = require('..')
const { SHARED, tempDir, ruleYaml, throwsWithCode } = require('./helpers')

const ALICE = ruleYaml({
  id: '5f0b7f43-2d4a-4c1e-9a57-0a1c3e6f4b11',
  title: 'Login by alice',
  field: 'user.name',
  value: 'alice',
  level: 'high',
})

const MATCH_KEYS = ['event_id', 'event_index', 'event_time', 'fields', 'level', 'rule_id', 'severity', 'tags', 'title']

describe('RuleSet.fromYaml', () => {
  it('matches an array of events, with the full Match shape', () => {
    const rules = RuleSet.fromYaml(ALICE)
    assert.deepEqual(rules.rejected, [])
    const report = rules.match([
      { 'event.id': 'e1', '@timestamp': '2026-01-15T10:00:00Z', 'user.name': 'bob' },
      { 'event.id': 'e2', '@timestamp': '2026-01-15T10:00:01Z', user: { name: 'alice' }, 'source.ip': '203.0.113.9' },
      'not an event',
    ])
    assert.equal(report.events, 2)
    assert.deepEqual(report.rejected.map((r) => r.line), [3])
    assert.equal(report.matches.length, 1)
    const [m] = report.matches
    assert.deepEqual(Object.keys(m).sort(), MATCH_KEYS)
    assert.equal(m.rule_id, '5f0b7f43-2d4a-4c1e-9a57-0a1c3e6f4b11')
    assert.equal(m.title, 'Login by alice')
    assert.equal(m.level, 'high')
    assert.equal(m.severity, 'critical')
    assert.deepEqual(m.tags, ['attack.credential-access'])
    assert.equal(m.event_id, 'e2')
    assert.equal(m.event_time, '2026-01-15T10:00:01Z')
    assert.equal(m.event_index, 2, 'the array index + 1')
    assert.deepEqual(m.fields, [{ field: 'user.name', value: 'alice' }])
  })

  it('maps Sigma levels to severities', () => {
    const severities = {}
    for (const [level, severity] of [
      ['critical', 'critical'],
      ['high', 'critical'],
      ['medium', 'warning'],
      ['low', 'info'],
      ['informational', 'info'],
    ]) {
      const rules = RuleSet.fromYaml(ruleYaml({ id: `rule-${level}`, title: level, field: 'user.name', value: 'alice', level }))
      const [m] = rules.match([{ 'user.name': 'alice' }]).matches
      severities[level] = m && m.severity
      assert.equal(m && m.level, level)
    }
    assert.deepEqual(severities, { critical: 'critical', high: 'critical', medium: 'warning', low: 'info', informational: 'info' })
  })

  it('lists a rule it cannot compile in rejected, naming its source', () => {
    const broken = ['title: Broken', 'logsource:', '  product: x', 'detection:', '  selection:', '    a: 1', '  condition: selection and missing', ''].join('\n')
    const rules = RuleSet.fromYaml(broken)
    assert.equal(rules.rejected.length, 1)
    const [rejected] = rules.rejected
    assert.deepEqual(Object.keys(rejected).sort(), ['file', 'reason'])
    assert.equal(rejected.file, '<rules_yaml[0]>')
    assert.match(rejected.reason, /missing/)
    assert.deepEqual(rules.match([{ a: 1 }]).matches, [])
  })
})

describe('RuleSet.matchNdjson', () => {
  const lines = [
    JSON.stringify({ 'event.id': 'n1', '@timestamp': '2026-01-15T10:00:00Z', 'user.name': 'alice' }),
    '{"user.name": "alice"',
    JSON.stringify({ 'event.id': 'n3', '@timestamp': '2026-01-15T10:00:02Z', 'user.name': 'bob' }),
    JSON.stringify({ 'event.id': 'n4', '@timestamp': '2026-01-15T10:00:03Z', 'user.name': 'alice' }),
  ].join('\n')

  it('matches NDJSON bytes from a Buffer, with 1-based lines, keeping the lines after a bad one', () => {
    const report = RuleSet.fromYaml(ALICE).matchNdjson(Buffer.from(lines))
    assert.deepEqual(Object.keys(report).sort(), ['events', 'matches', 'rejected'])
    assert.equal(report.events, 3)
    assert.deepEqual(report.rejected.map((r) => r.line), [2])
    assert.match(report.rejected[0].reason, /malformed JSON/)
    assert.deepEqual(report.matches.map((m) => [m.event_id, m.event_index]), [
      ['n1', 1],
      ['n4', 4],
    ])
  })

  it('reads a string the same way', () => {
    const fromBuffer = RuleSet.fromYaml(ALICE).matchNdjson(Buffer.from(lines))
    const fromString = RuleSet.fromYaml(ALICE).matchNdjson(lines)
    assert.deepEqual(fromString, fromBuffer)
  })

  it('matches a SigmaHQ rule on its own regression sample (Windows-event JSON)', () => {
    const name = 'image_load_win_werfaultsecure_dbgcore_dbghelp_load'
    const rule = path.join(SHARED, 'sigma', 'rules-threat-hunting', 'windows', 'image_load', `${name}.yml`)
    const sample = path.join(
      SHARED, 'sigma', 'regression_data', 'rules-threat-hunting', 'windows', 'image_load', name,
      '8a2f4b1c-3d5e-4f7a-9b2c-1e4f6d8a9c2b.json',
    )
    for (const pipelines of [[], ['windows']]) {
      const rules = RuleSet.load([rule], pipelines)
      assert.deepEqual(rules.rejected, [], `pipelines ${pipelines}`)
      const report = rules.matchNdjson(fs.readFileSync(sample))
      assert.deepEqual(report.rejected, [])
      assert.ok(report.events >= 1)
      assert.ok(
        report.matches.some((m) => m.rule_id === '8a2f4b1c-3d5e-4f7a-9b2c-1e4f6d8a9c2b'),
        `pipelines ${pipelines}: ${JSON.stringify(report.matches)}`,
      )
    }
  })
})

describe('RuleSet.load', () => {
  it('loads a directory, skipping and listing the rules it cannot support', () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, 'alice.yml'), ALICE)
    fs.writeFileSync(path.join(dir, 'broken.yml'), 'title: [unclosed\n')
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a rule')
    const rules = RuleSet.load([dir])
    assert.deepEqual(rules.rejected.map((r) => path.basename(r.file)), ['broken.yml'])
    assert.ok(rules.rejected[0].reason.length > 0)
    assert.equal(rules.match([{ 'user.name': 'alice' }]).matches.length, 1)
  })

  it('throws NOT_FOUND for an unknown pipeline, INVALID_RULE for a malformed pipeline file', () => {
    throwsWithCode(() => RuleSet.load([], ['no-such-pipeline']), 'NOT_FOUND', /no-such-pipeline/)
    const file = path.join(tempDir(), 'broken-pipeline.yml')
    fs.writeFileSync(file, 'name: broken\ntransformations: [unclosed\n')
    throwsWithCode(() => RuleSet.load([], [file]), 'INVALID_RULE', /broken-pipeline\.yml/)
  })

  it('cannot be constructed with new', () => {
    assert.throws(() => new RuleSet())
  })
})
