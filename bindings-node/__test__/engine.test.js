'use strict'
// Engine scenarios that run unchanged on every storage backend: open, ingest objects and
// bytes, bad records in a batch, queries with where/since/until/limit/cursor, countBy,
// retention, close.

const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { Engine } = require('..')
const { backends, runId, tempDir, rejectsWithCode } = require('./helpers')

const REPORT_KEYS = ['accepted', 'alerts', 'correlations', 'duplicates', 'matches', 'rejected']

for (const backend of backends()) {
  describe(`Engine on ${backend.name}`, { skip: backend.skip }, () => {
    let engine
    before(async () => {
      engine = await Engine.open(backend.url())
    })
    after(async () => {
      await engine.close()
    })

    it('ingests objects, idempotently by event id', async () => {
      const run = runId()
      const events = [
        { '@timestamp': '2026-01-15T10:00:00Z', 'test.run': run, user: { name: 'alice' } },
        { '@timestamp': new Date('2026-01-15T11:00:00Z'), 'test.run': run, 'user.name': 'bob' },
        { 'event.id': `${run}-3`, '@timestamp': '2026-01-15T12:00:00Z', 'test.run': run, tags: ['a', 'b'] },
      ]
      const report = await engine.ingest(events)
      assert.deepEqual(Object.keys(report).sort(), REPORT_KEYS)
      assert.deepEqual(report, { accepted: 3, duplicates: 0, rejected: [], matches: [], correlations: [], alerts: [] })

      const again = await engine.ingest(events)
      assert.equal(again.accepted, 0)
      assert.equal(again.duplicates, 3)

      const page = await engine.events({ where: { 'test.run': run } })
      assert.deepEqual(
        page.events.map((e) => e.time),
        ['2026-01-15T12:00:00Z', '2026-01-15T11:00:00Z', '2026-01-15T10:00:00Z'],
      )
      const [third, second, first] = page.events
      assert.equal(third.id, `${run}-3`)
      assert.deepEqual(third.fields.tags, ['a', 'b'])
      assert.equal(first.fields['user.name'], 'alice', 'nested objects become dotted names')
      assert.equal(second.fields['@timestamp'], '2026-01-15T11:00:00.000Z', 'a Date is read as its ISO string')
      assert.equal(page.next_cursor, null)
    })

    it('keeps the valid objects of a batch with a bad element', async () => {
      const run = runId()
      const report = await engine.ingest([{ 'test.run': run, n: 1 }, 42, { 'test.run': run, n: 3 }])
      assert.equal(report.accepted, 2)
      assert.equal(report.rejected.length, 1)
      assert.equal(report.rejected[0].line, 2)
      assert.match(report.rejected[0].reason, /expected a JSON object, found a number/)
      const page = await engine.events({ where: { 'test.run': run } })
      assert.deepEqual(page.events.map((e) => e.fields.n).sort(), [1, 3])
    })

    it('ingests NDJSON from a Buffer and a string, reporting bad lines', async () => {
      const run = runId()
      const ndjson = [
        JSON.stringify({ 'test.run': run, 'user.name': 'carol', '@timestamp': '2026-01-15T08:00:00Z' }),
        '{"user.name": "broken",',
        JSON.stringify({ 'test.run': run, 'user.name': 'dave', '@timestamp': '2026-01-15T09:00:00Z' }),
        '',
      ].join('\n')
      const report = await engine.ingestJson(Buffer.from(ndjson))
      assert.equal(report.accepted, 2)
      assert.equal(report.rejected.length, 1)
      assert.equal(report.rejected[0].line, 2)
      assert.match(report.rejected[0].reason, /malformed JSON/)

      const fromString = await engine.ingestJson(JSON.stringify([{ 'test.run': run, 'user.name': 'erin' }]))
      assert.deepEqual(fromString, { accepted: 1, duplicates: 0, rejected: [], matches: [], correlations: [], alerts: [] })

      const counts = await engine.countBy('user.name', { where: { 'test.run': run } })
      assert.deepEqual(
        counts.sort((a, b) => String(a.value).localeCompare(String(b.value))),
        [
          { value: 'carol', count: 1 },
          { value: 'dave', count: 1 },
          { value: 'erin', count: 1 },
        ],
      )
    })

    it('queries by time range, typed field equality and limit', async () => {
      const run = runId()
      await engine.ingest(
        [8, 9, 10, 11, 12].map((hour) => ({
          '@timestamp': `2026-01-15T${String(hour).padStart(2, '0')}:00:00Z`,
          'test.run': run,
          'http.response.status_code': hour % 2 === 0 ? 500 : '500',
        })),
      )
      const where = { 'test.run': run }
      const times = async (query) => (await engine.events({ where, ...query })).events.map((e) => e.time.slice(11, 13))

      assert.deepEqual(await times({}), ['12', '11', '10', '09', '08'])
      assert.deepEqual(await times({ since: '2026-01-15T10:00:00Z' }), ['12', '11', '10'])
      assert.deepEqual(await times({ since: new Date('2026-01-15T10:00:00Z'), until: new Date('2026-01-15T12:00:00Z') }), ['11', '10'])
      assert.deepEqual(await times({ until: '2026-01-15T09:00:00Z' }), ['08'])
      assert.deepEqual(await times({ limit: 2 }), ['12', '11'])
      const numeric = await engine.events({ where: { ...where, 'http.response.status_code': 500 } })
      assert.deepEqual(numeric.events.map((e) => e.time.slice(11, 13)), ['12', '10', '08'])
    })

    it('pages through events with a cursor', async () => {
      const run = runId()
      const events = Array.from({ length: 7 }, (_, i) => ({
        'event.id': `${run}-${i}`,
        '@timestamp': `2026-01-15T10:00:0${i}Z`,
        'test.run': run,
      }))
      await engine.ingest(events)
      const ids = []
      let cursor = null
      let pages = 0
      do {
        const page = await engine.events({ where: { 'test.run': run }, limit: 3, cursor })
        assert.ok(page.events.length <= 3)
        ids.push(...page.events.map((e) => e.id))
        cursor = page.next_cursor
        pages += 1
        assert.ok(pages <= 3, 'pagination does not end')
      } while (cursor !== null)
      assert.equal(pages, 3)
      assert.deepEqual(ids, events.map((e) => e['event.id']).reverse())
      const nulls = await engine.events({ where: null, since: null, until: null, limit: null, cursor: null })
      assert.ok(nulls.events.some((e) => e.id === `${run}-6`), 'null keys mean absent')
    })

    it('counts by field, most frequent first', async () => {
      const run = runId()
      await engine.ingest(
        ['alice', 'bob', 'alice', 'carol', 'alice', 'bob', undefined].map((name, i) => ({
          'test.run': run,
          n: i,
          'user.name': name,
        })),
      )
      const counts = await engine.countBy('user.name', { where: { 'test.run': run } })
      assert.deepEqual(counts, [
        { value: 'alice', count: 3 },
        { value: 'bob', count: 2 },
        { value: 'carol', count: 1 },
      ])
      assert.deepEqual(await engine.countBy('user.name', { where: { 'test.run': run }, limit: 1 }), [
        { value: 'alice', count: 3 },
      ])
    })

    it('purges events older than a cutoff', async () => {
      const run = runId()
      await engine.ingest([
        { 'test.run': run, '@timestamp': '2020-01-01T00:00:00Z' },
        { 'test.run': run, '@timestamp': '2020-06-01T00:00:00Z' },
        { 'test.run': run, '@timestamp': '2026-01-15T00:00:00Z' },
      ])
      const deleted = await engine.purgeBefore(new Date('2021-01-01T00:00:00Z'))
      assert.equal(deleted, 2)
      assert.equal(await engine.purgeBefore('2021-01-01T00:00:00Z'), 0)
      const page = await engine.events({ where: { 'test.run': run } })
      assert.deepEqual(page.events.map((e) => e.time), ['2026-01-15T00:00:00Z'])
    })

    it('reads times in every form the core reads', async () => {
      const run = runId()
      await engine.ingest([
        { 'test.run': run, '@timestamp': '2019-01-01T00:00:00Z' },
        { 'test.run': run, '@timestamp': '2019-01-15T08:00:00Z' },
        { 'test.run': run, '@timestamp': '2019-02-01T00:00:00Z' },
      ])
      const times = async (query) =>
        (await engine.events({ where: { 'test.run': run }, ...query })).events.map((e) => e.time)
      assert.deepEqual(await times({ since: '2019-01-15 08:00:00' }), ['2019-02-01T00:00:00Z', '2019-01-15T08:00:00Z'])
      assert.deepEqual(await times({ since: '2019-01-02', until: '2019-01-31T00:00:00' }), ['2019-01-15T08:00:00Z'])
      assert.equal(await engine.purgeBefore('2019-01-02'), 1)
      assert.equal(await engine.purgeBefore('2019-01-15 00:00:00'), 0)
      assert.equal(await engine.purgeBefore('2019-01-15T09:00:00+01:00'), 0)
      assert.equal(await engine.purgeBefore('2019-01-15 08:00:00.001'), 1)
      await rejectsWithCode(engine.purgeBefore('15/01/2026'), 'INVALID_QUERY', /2026-01-15 08:00:00/)
      await rejectsWithCode(engine.events({ until: '2026-01-15 25:00:00' }), 'INVALID_QUERY', /until/)
    })

    it('rejects malformed queries with INVALID_QUERY', async () => {
      await rejectsWithCode(engine.events({ limit: 20000 }), 'INVALID_QUERY', /limit/)
      await rejectsWithCode(engine.events({ limit: 2.5 }), 'INVALID_QUERY', /2\.5/)
      await rejectsWithCode(engine.events({ limit: NaN }), 'INVALID_QUERY')
      await rejectsWithCode(engine.events({ since: new Date('garbage') }), 'INVALID_QUERY', /since: invalid Date/)
      await rejectsWithCode(engine.events({ cursor: 'not-a-cursor' }), 'INVALID_QUERY', /cursor/)
      await rejectsWithCode(engine.events({ since: 'yesterday' }), 'INVALID_QUERY', /since.*yesterday/)
      await rejectsWithCode(engine.countBy('user.name', { until: 'soon' }), 'INVALID_QUERY', /until/)
      await rejectsWithCode(engine.purgeBefore('last year'), 'INVALID_QUERY', /last year/)
    })

    it('throws for arguments of the wrong JavaScript type', () => {
      assert.throws(() => engine.ingest('not an array'))
      assert.throws(() => engine.ingest([{ big: 1n }]), TypeError)
    })
  })
}

describe('Engine.open', () => {
  it('rejects a malformed storage URL with INVALID_QUERY', async () => {
    for (const url of ['ftp://example.com/db', 'nope', 'sqlite://', 'postgres:db']) {
      await rejectsWithCode(Engine.open(url), 'INVALID_QUERY', /storage URL/)
    }
  })

  it('keeps events in a real SQLite file across engines', async () => {
    const file = path.join(tempDir(), 'events.db')
    const first = await Engine.open(`sqlite://${file}`)
    await first.ingest([{ 'event.id': 'kept', 'user.name': 'alice', '@timestamp': '2026-01-15T10:00:00Z' }])
    await first.close()
    assert.ok(fs.statSync(file).size > 0, 'the database file exists')

    const second = await Engine.open(`sqlite://${file}`)
    const page = await second.events()
    assert.deepEqual(page.events, [
      {
        id: 'kept',
        time: '2026-01-15T10:00:00Z',
        fields: { 'event.id': 'kept', 'user.name': 'alice', '@timestamp': '2026-01-15T10:00:00Z' },
      },
    ])
    await second.close()
  })

  it('cannot be constructed with new', () => {
    assert.throws(() => new Engine())
  })
})

describe('a closed engine', () => {
  it('rejects every storage call with STORAGE', async () => {
    const engine = await Engine.open('memory://')
    await engine.close()
    await rejectsWithCode(engine.ingest([{ a: 1 }]), 'STORAGE')
    await rejectsWithCode(engine.ingestJson('{"a": 1}'), 'STORAGE')
    await rejectsWithCode(engine.events(), 'STORAGE')
    await rejectsWithCode(engine.countBy('a'), 'STORAGE')
    await rejectsWithCode(engine.detections(), 'STORAGE')
    await rejectsWithCode(engine.purgeBefore(new Date()), 'STORAGE')
  })

  it('rejects on a closed SQLite file too', async () => {
    const engine = await Engine.open(`sqlite://${path.join(tempDir(), 'closed.db')}`)
    await engine.close()
    await rejectsWithCode(engine.events(), 'STORAGE')
  })
})
