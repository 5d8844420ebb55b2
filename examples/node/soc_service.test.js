// Runs soc_service.js as a process on an ephemeral port with a SQLite file and a rule, posts
// events over HTTP and reads them back.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('./soc_service.js', import.meta.url))
const RULE_ID = '7a9c1e3b-5d2f-4b8a-9c6e-0f1a2b3c4d5e'
const RULE = `title: Failed login by alice
id: ${RULE_ID}
logsource:
  category: authentication
detection:
  selection:
    user.name: alice
    event.outcome: failure
  condition: selection
level: high
`

describe('soc_service.js', () => {
  let dir
  let service
  let base

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmark-soc-'))
    fs.mkdirSync(path.join(dir, 'rules'))
    fs.writeFileSync(path.join(dir, 'rules', 'alice.yml'), RULE)
    service = spawn(process.execPath, [script], {
      cwd: dir,
      env: { ...process.env, PORT: '0', FINMARK_DB: `sqlite://${path.join(dir, 'soc.db')}`, FINMARK_RULES: path.join(dir, 'rules') },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const exited = once(service, 'exit').then(([code]) => {
      throw new Error(`soc_service.js exited with ${code} before listening`)
    })
    const [line] = await Promise.race([once(readline.createInterface({ input: service.stdout }), 'line'), exited])
    base = line.match(/listening on (http:\/\/\S+)/)[1]
  })

  after(async () => {
    if (service && service.exitCode === null) {
      service.kill('SIGTERM')
      const [code] = await once(service, 'exit')
      assert.equal(code, 0, 'stops cleanly on SIGTERM')
    }
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const get = async (pathAndQuery) => {
    const res = await fetch(base + pathAndQuery)
    return { status: res.status, body: await res.json() }
  }

  it('ingests NDJSON over POST /events and reports the bad line', async () => {
    const ndjson = [
      { '@timestamp': '2026-01-15T09:00:00Z', 'event.id': 'l1', 'user.name': 'alice', 'event.outcome': 'failure', 'source.ip': '203.0.113.9' },
      'not json',
      { '@timestamp': '2026-01-15T09:00:05Z', 'event.id': 'l3', 'user.name': 'alice', 'event.outcome': 'success', 'source.ip': '203.0.113.9' },
      { '@timestamp': '2026-01-15T09:01:00Z', 'event.id': 'l4', 'user.name': 'bob', 'event.outcome': 'failure', 'http.response.status_code': 500 },
    ].map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n')
    const res = await fetch(`${base}/events`, { method: 'POST', body: ndjson })
    assert.equal(res.status, 200)
    const report = await res.json()
    assert.equal(report.accepted, 3)
    assert.deepEqual(report.rejected.map((r) => r.line), [2])
  })

  it('answers GET /events with field filters and pages', async () => {
    const alice = await get('/events?user.name=alice')
    assert.equal(alice.status, 200)
    assert.deepEqual(alice.body.events.map((e) => e.id), ['l3', 'l1'])
    const errors = await get('/events?http.response.status_code=500')
    assert.deepEqual(errors.body.events.map((e) => e.id), ['l4'])

    const first = await get('/events?limit=2')
    assert.deepEqual(first.body.events.map((e) => e.id), ['l4', 'l3'])
    const second = await get(`/events?limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`)
    assert.deepEqual(second.body.events.map((e) => e.id), ['l1'])
    assert.equal(second.body.next_cursor, null)

    const since = await get('/events?since=2026-01-15T09:00:01Z')
    assert.deepEqual(since.body.events.map((e) => e.id), ['l4', 'l3'])
  })

  it('answers GET /detections with what the rule matched', async () => {
    const { status, body } = await get('/detections?since=2026-01-15T00:00:00Z')
    assert.equal(status, 200)
    assert.deepEqual(body.map((m) => [m.rule_id, m.event_id, m.severity]), [[RULE_ID, 'l1', 'critical']])
  })

  it('answers bad queries with 400 and the error code, unknown routes with 404', async () => {
    const bad = await get('/events?since=yesterday')
    assert.equal(bad.status, 400)
    assert.equal(bad.body.error.code, 'INVALID_QUERY')
    assert.match(bad.body.error.message, /since/)
    assert.equal((await get('/events?limit=50000')).body.error.code, 'INVALID_QUERY')
    assert.equal((await get('/events?limit=ten')).status, 400)
    assert.equal((await get('/nowhere')).status, 404)
  })
})
