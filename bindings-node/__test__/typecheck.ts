// Compiled by `tsc` (bindings-node/test.sh), never run: the generated index.d.ts must be valid
// TypeScript and describe the API the way the tests use it.
import { Engine, RuleSet, simulateDay } from '..'
import type { Actor, Alert, AlertCounts, AlertPage, EventPage, FieldValue, IngestReport, Match, MatchReport, RuleError, Silence } from '..'

async function usage(): Promise<void> {
  const engine: Engine = await Engine.open('sqlite://finmark.db', {
    rules: ['rules/'],
    rulesYaml: ['title: x'],
    pipelines: ['windows'],
    strictRules: false,
  })
  const report: IngestReport = await engine.ingest([{ 'user.name': 'alice', when: new Date() }])
  const fromBytes: IngestReport = await engine.ingestJson(Buffer.from('{}'))
  const fromText: IngestReport = await engine.ingestJson('{}')
  const lines: number[] = [...report.rejected, ...fromBytes.rejected, ...fromText.rejected].map((r) => r.line)

  const page: EventPage = await engine.events({
    since: new Date(),
    until: '2026-01-16T00:00:00Z',
    where: { 'user.name': 'alice', 'http.response.status_code': 500, ok: true, tags: ['a', 1] },
    limit: 10,
  })
  const next: string | null = page.next_cursor
  if (next !== null) await engine.events({ cursor: next })
  const value: FieldValue | undefined = page.events[0]?.fields['user.name']
  const time: string | undefined = page.events[0]?.time

  const counts = await engine.countBy('user.name', { limit: 5 })
  const top: [FieldValue, number][] = counts.map((c) => [c.value, c.count])
  const detections: Match[] = await engine.detections({ where: { severity: 'critical' } })
  const severity: 'info' | 'warning' | 'critical' | undefined = detections[0]?.severity
  const purged: number = await engine.purgeBefore(new Date())
  const ana: Actor = { id: 'ana', roles: ['analyst'] }
  const alerts: AlertPage = await engine.alerts(ana, { status: 'open', limit: 10 })
  const first: Alert | undefined = alerts.alerts[0]
  const acked: Alert = await engine.acknowledgeAlert(ana, first?.id ?? '')
  const tally: AlertCounts = await engine.alertCounts(ana)
  const silence: Silence = await engine.addSilence(ana, { matchers: ['rule_id=x'], reason: 'r', duration_secs: 60 })
  const silences: Silence[] = await engine.silences(ana, false)
  void [acked.status, tally.total, silence.id, silences]
  engine.reloadRules(['rules/'], ['windows'])
  engine.reloadRules({ rulesYaml: ['title: x'], strictRules: true })
  await engine.close()

  const rules: RuleSet = RuleSet.load(['rules/'], ['windows'])
  const rejected: RuleError[] = RuleSet.fromYaml('title: x').rejected
  const matched: MatchReport = rules.match([{ 'user.name': 'alice' }])
  const fromNdjson: MatchReport = rules.matchNdjson(Buffer.from('{}\n'))
  const where: [string, number][] = [...matched.matches, ...fromNdjson.matches].map((m) => [m.rule_id, m.event_index])

  const day: Record<string, FieldValue>[] = simulateDay({ seed: 1, date: new Date(), orders: 10 })
  void [lines, value, time, top, severity, purged, rejected, where, day]
}

void usage
