'use strict'
// Alerts on a real SQLite file: the builtin SOC rules raise a critical correlation alert for
// a burst of failed logins; alerts are read and worked by actors whose roles are checked;
// silences mute.

const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { Engine } = require('..')
const { tempDir, rejectsWithCode } = require('./helpers')

/** The builtin "Multiple Failed Logins From One Source" correlation. */
const BURST = '6f1f3a52-8c2d-4e8b-b1a7-9d3e5c7a2b10'
const ANA = { id: 'ana', roles: ['analyst'] }
const VIC = { id: 'vic', roles: ['viewer'] }

/**
 * `n` failed logins from `ip`, ten seconds apart from `start` seconds after 08:00 (event time
 * only moves forward: a hit older than one already seen is too late).
 */
function failures(ip, start = 0, n = 12) {
  return Array.from({ length: n }, (_, i) => ({
    'event.id': `f-${ip}-${start + i}`,
    '@timestamp': new Date(Date.UTC(2026, 2, 1, 8, 0, start + 10 * i)).toISOString(),
    'event.category': 'authentication',
    'event.outcome': 'failure',
    'source.ip': ip,
    'user.name': 'alice',
  }))
}

function soc(options = {}) {
  return Engine.open(`sqlite://${path.join(tempDir(), 'soc.db')}`, { rules: ['builtin:soc'], ...options })
}

const burstAlerts = (report) => report.alerts.filter((a) => a.rule_id === BURST)

describe('alerts', () => {
  it('a failed-login burst raises one critical correlation alert', async () => {
    const engine = await soc()
    const report = await engine.ingest(failures('198.51.100.7'))
    assert.ok(report.correlations.some((c) => c.rule_id === BURST && c.correlation === true))
    const [alert, ...rest] = burstAlerts(report)
    assert.deepEqual(rest, [])
    assert.deepEqual([alert.severity, alert.source, alert.status], ['critical', 'correlation', 'open'])
    assert.equal(alert.group['source.ip'], '198.51.100.7')

    const page = await engine.alerts(ANA, { rule_id: BURST })
    assert.deepEqual(page.alerts.map((a) => a.id), [alert.id])
    assert.equal(page.next_cursor, null)
    assert.deepEqual((await engine.alerts(ANA, { severity: 'info' })).alerts, [])
    assert.equal((await engine.alert(VIC, alert.id)).fingerprint, alert.fingerprint)
    const counts = await engine.alertCounts(VIC, { rule_id: BURST })
    assert.deepEqual([counts.total, counts.by_severity.critical, counts.by_status.open], [1, 1, 1])
    await engine.close()
  })

  it('is acknowledged and resolved by analysts, not by viewers', async () => {
    const engine = await soc()
    const [{ id }] = burstAlerts(await engine.ingest(failures('198.51.100.7')))
    await rejectsWithCode(engine.acknowledgeAlert(VIC, id), 'PERMISSION_DENIED', /alert\.acknowledge/)
    const acked = await engine.acknowledgeAlert(ANA, id)
    assert.equal(acked.status, 'acknowledged')
    assert.equal(acked.updated.actor, 'ana')
    assert.equal((await engine.resolveAlert(ANA, id)).status, 'resolved')
    await rejectsWithCode(engine.resolveAlert(ANA, id), 'CONFLICT')
    await rejectsWithCode(engine.alert(ANA, 'no-such-alert'), 'NOT_FOUND')
    await engine.close()
  })

  it('a silence mutes matching alerts until expired', async () => {
    const engine = await soc()
    const silence = await engine.addSilence(ANA, {
      matchers: ['source.ip=203.0.113.9'],
      reason: 'pen test',
      starts_at: '2026-03-01T00:00:00Z',
      duration_secs: 86400,
    })
    assert.equal(silence.author, 'ana')
    const muted = burstAlerts(await engine.ingest(failures('203.0.113.9')))
    assert.deepEqual(muted.map((a) => [a.status, a.muted_by]), [['silenced', { kind: 'silence', id: silence.id }]])
    const other = burstAlerts(await engine.ingest(failures('198.51.100.7', 3600)))
    assert.deepEqual(other.map((a) => a.status), ['open'])

    assert.deepEqual((await engine.silences(VIC, false)).map((s) => s.id), [silence.id])
    await rejectsWithCode(engine.expireSilence(VIC, silence.id), 'PERMISSION_DENIED', /silence\.expire/)
    await engine.expireSilence(ANA, silence.id)
    assert.deepEqual(await engine.silences(ANA), [])
    await engine.close()
  })

  it('refuses bad arguments naming the field, and applies engine configurations', async () => {
    const engine = await soc({ alertConfig: { suppression_window_secs: 1 }, correlationConfig: { max_evidence: 2 } })
    await rejectsWithCode(engine.alerts(ANA, { status: 'closed' }), 'INVALID_QUERY', /status/)
    await rejectsWithCode(engine.alerts({ id: 'eve', roles: ['root'] }), 'INVALID_QUERY', /root/)
    await rejectsWithCode(engine.addSilence(ANA, { matchers: ['rule_id=x'], reason: '', duration_secs: 60 }), 'INVALID_QUERY', /reason/)
    const first = burstAlerts(await engine.ingest(failures('198.51.100.7')))
    const later = burstAlerts(await engine.ingest(failures('198.51.100.7', 3600)))
    assert.deepEqual([...first, ...later].map((a) => a.generation), [1, 2])
    const fired = (await engine.ingest(failures('198.51.100.8', 7200))).correlations
    assert.ok(fired.length > 0 && fired.every((c) => c.event_ids.length <= 2))
    await engine.close()
    await rejectsWithCode(Engine.open('memory://', { alertConfig: { suppression_windo: 5 } }), 'INVALID_QUERY', /suppression_windo/)
  })
})
