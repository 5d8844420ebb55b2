'use strict'
// The engine with rules: matches in ingest reports, stored detections, reloading rules.

const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { Engine } = require('..')
const { backends, tempDir, runId, ruleYaml, rejectsWithCode, throwsWithCode } = require('./helpers')

const ALICE_ID = 'c3d1e7a2-8b4f-4f60-9d2e-5a6b7c8d9e01'
const BOB_ID = 'd4e2f8b3-9c5a-4a71-8e3f-6b7c8d9e0f12'
const ALICE = ruleYaml({ id: ALICE_ID, title: 'Login by alice', field: 'user.name', value: 'alice', level: 'high' })
const BOB = ruleYaml({ id: BOB_ID, title: 'Login by bob', field: 'user.name', value: 'bob', level: 'medium' })

for (const backend of backends()) {
  describe(`detections on ${backend.name}`, { skip: backend.skip }, () => {
    it('reports matches of ingested events once and stores them', async () => {
      const engine = await Engine.open(backend.url(), { rulesYaml: [ALICE] })
      const run = runId()
      const events = [
        { 'event.id': `${run}-a`, '@timestamp': '2026-01-15T10:00:00Z', 'test.run': run, 'user.name': 'alice' },
        { 'event.id': `${run}-b`, '@timestamp': '2026-01-15T10:00:01Z', 'test.run': run, 'user.name': 'bob' },
      ]
      const report = await engine.ingest(events)
      assert.equal(report.accepted, 2)
      assert.deepEqual(report.matches.map((m) => [m.rule_id, m.event_id, m.severity]), [[ALICE_ID, `${run}-a`, 'critical']])
      assert.deepEqual(report.matches[0].fields, [{ field: 'user.name', value: 'alice' }])
      assert.equal(report.matches[0].event_index, 1, 'the 1-based position in the array')

      const ndjson = ['not json', JSON.stringify({ ...events[0], 'event.id': `${run}-c` })].join('\n')
      const fromBytes = await engine.ingestJson(Buffer.from(ndjson))
      assert.deepEqual(fromBytes.rejected.map((r) => r.line), [1])
      assert.deepEqual(fromBytes.matches.map((m) => [m.event_id, m.event_index]), [[`${run}-c`, 2]], 'the 1-based line')

      const again = await engine.ingest(events)
      assert.deepEqual([again.duplicates, again.matches], [2, []], 're-sent events are not matched again')

      const stored = await engine.detections({ where: { event_id: `${run}-a` } })
      assert.deepEqual(stored.map((m) => [m.rule_id, m.title, m.event_id, m.event_time]), [
        [ALICE_ID, 'Login by alice', `${run}-a`, '2026-01-15T10:00:00Z'],
      ])
      const critical = await engine.detections({ where: { severity: 'critical', rule_id: ALICE_ID }, since: '2026-01-15T00:00:00Z' })
      assert.ok(critical.some((m) => m.event_id === `${run}-a`))
      await engine.close()
    })

    it('reloads rules from files; the old rules stay when a reload fails', async () => {
      const engine = await Engine.open(backend.url(), { rulesYaml: [ALICE] })
      const dir = tempDir()
      fs.writeFileSync(path.join(dir, 'bob.yml'), BOB)
      const run = runId()
      const batch = (n) => [
        { 'test.run': run, n, 'user.name': 'alice' },
        { 'test.run': run, n, 'user.name': 'bob' },
      ]
      const ruleIds = (report) => report.matches.map((m) => m.rule_id)

      assert.deepEqual(ruleIds(await engine.ingest(batch(1))), [ALICE_ID])
      throwsWithCode(() => engine.reloadRules([dir], ['no-such-pipeline']), 'NOT_FOUND', /no-such-pipeline/)
      assert.deepEqual(ruleIds(await engine.ingest(batch(2))), [ALICE_ID])
      engine.reloadRules([dir])
      assert.deepEqual(ruleIds(await engine.ingest(batch(3))), [BOB_ID])
      await engine.close()
    })

    it('reloads rules from an options object, as Engine.open takes them', async () => {
      const engine = await Engine.open(backend.url(), { rulesYaml: [ALICE] })
      const run = runId()
      const batch = (n) => [
        { 'test.run': run, n, 'user.name': 'alice' },
        { 'test.run': run, n, 'user.name': 'bob' },
      ]
      const ruleIds = (report) => report.matches.map((m) => m.rule_id).sort()
      const broken = 'title: Broken\ndetection:\n  condition: nothing\n'

      engine.reloadRules({ rulesYaml: [BOB, broken] })
      assert.deepEqual(ruleIds(await engine.ingest(batch(1))), [BOB_ID], 'a rejected rule is skipped')
      throwsWithCode(() => engine.reloadRules({ rulesYaml: [ALICE, broken], strictRules: true }), 'INVALID_RULE', /rules_yaml\[1\]/)
      throwsWithCode(() => engine.reloadRules({ rulesYaml: [ALICE] }, ['no-such-pipeline']), 'NOT_FOUND', /no-such-pipeline/)
      assert.deepEqual(ruleIds(await engine.ingest(batch(2))), [BOB_ID], 'failed reloads kept the rules')
      engine.reloadRules({ rulesYaml: [ALICE, BOB] })
      assert.deepEqual(ruleIds(await engine.ingest(batch(3))), [ALICE_ID, BOB_ID].sort())
      // The authentication pipeline restricts the rules to events of that category.
      engine.reloadRules({ rulesYaml: [ALICE, BOB], pipelines: ['authentication'] })
      assert.deepEqual(ruleIds(await engine.ingest(batch(4))), [])
      const logins = batch(5).map((e) => ({ ...e, 'event.category': 'authentication' }))
      assert.deepEqual(ruleIds(await engine.ingest(logins)), [ALICE_ID, BOB_ID].sort())
      await engine.close()
    })
  })
}

describe('Engine.open with rules', () => {
  it('loads rules from files and directories', async () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, 'alice.yml'), ALICE)
    const engine = await Engine.open('memory://', { rules: [dir] })
    const report = await engine.ingest([{ 'user.name': 'alice' }])
    assert.deepEqual(report.matches.map((m) => m.rule_id), [ALICE_ID])
    await engine.close()
  })

  it('skips a broken rule unless strictRules is set', async () => {
    const broken = 'title: Broken\ndetection:\n  condition: nothing\n'
    const lenient = await Engine.open('memory://', { rulesYaml: [broken, ALICE] })
    assert.equal((await lenient.ingest([{ 'user.name': 'alice' }])).matches.length, 1)
    await lenient.close()
    await rejectsWithCode(Engine.open('memory://', { rulesYaml: [broken, ALICE], strictRules: true }), 'INVALID_RULE', /rules_yaml\[0\]/)
  })

  it('rejects an unknown pipeline with NOT_FOUND', async () => {
    await rejectsWithCode(Engine.open('memory://', { pipelines: ['no-such-pipeline'] }), 'NOT_FOUND', /no-such-pipeline/)
  })
})
