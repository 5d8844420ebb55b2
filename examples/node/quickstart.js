// finmark from Node in five lines: open a SQLite file, ingest events, query them.
import { Engine } from 'finmark'

const engine = await Engine.open('sqlite://quickstart.db')
await engine.ingest([{ 'user.name': 'alice', 'source.ip': '203.0.113.9', 'event.outcome': 'failure' }])
const page = await engine.events({ where: { 'user.name': 'alice' }, limit: 10 })
console.log(page.events)
await engine.close()
