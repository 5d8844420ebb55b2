'use strict'
// simulateDay: a seeded, deterministic day of a fintech's traffic.

const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const { simulateDay, Engine } = require('..')
const { throwsWithCode } = require('./helpers')

const categoryCount = (events, category) => events.filter((e) => [].concat(e['event.category']).includes(category)).length

describe('simulateDay', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = simulateDay({ seed: 7, orders: 200 })
    const b = simulateDay({ seed: 7, orders: 200 })
    const c = simulateDay({ seed: 8, orders: 200 })
    assert.ok(a.length > 200, `${a.length} events`)
    assert.deepEqual(a, b)
    assert.notDeepEqual(a, c)
  })

  it('simulates the given day, sorted by time, with every kind of event', () => {
    const events = simulateDay({ seed: 1, date: '2026-03-01', orders: 100 })
    const times = events.map((e) => Date.parse(e['@timestamp']))
    assert.ok(times.every((t) => t >= Date.parse('2026-03-01T00:00:00Z') && t < Date.parse('2026-03-02T00:00:00Z')))
    assert.deepEqual(times, [...times].sort((x, y) => x - y))
    assert.ok(events.every((e) => typeof e['event.id'] === 'string'))
    for (const category of ['authentication', 'web', 'network', 'host', 'order']) {
      assert.ok(categoryCount(events, category) > 0, `no ${category} events`)
    }
  })

  it('defaults to seed 42 on 2026-01-15 with 3000 orders', () => {
    const events = simulateDay()
    assert.deepEqual(events, simulateDay({ seed: 42, date: '2026-01-15', orders: 3000 }))
    assert.ok(events.every((e) => e['@timestamp'].startsWith('2026-01-15')))
  })

  it('takes a Date as its UTC day', () => {
    assert.deepEqual(
      simulateDay({ seed: 3, date: new Date('2026-02-10T23:30:00Z'), orders: 20 }),
      simulateDay({ seed: 3, date: '2026-02-10', orders: 20 }),
    )
  })

  it('scales orders with the orders setting', () => {
    const few = categoryCount(simulateDay({ seed: 5, orders: 50 }), 'order')
    const many = categoryCount(simulateDay({ seed: 5, orders: 500 }), 'order')
    assert.ok(few >= 50 && many >= 500 && many > few, `${few} vs ${many}`)
  })

  it('gives events the engine stores one for one', async () => {
    const events = simulateDay({ seed: 11, orders: 100 })
    const engine = await Engine.open('memory://')
    const report = await engine.ingest(events)
    assert.deepEqual([report.accepted, report.duplicates, report.rejected], [events.length, 0, []])
    await engine.close()
  })

  it('refuses a malformed config with INVALID_QUERY', () => {
    throwsWithCode(() => simulateDay({ seed: -1 }), 'INVALID_QUERY', /seed|u64/)
    throwsWithCode(() => simulateDay({ date: '15/01/2026' }), 'INVALID_QUERY')
    throwsWithCode(() => simulateDay({ date: new Date('garbage') }), 'INVALID_QUERY', /date/)
  })
})
