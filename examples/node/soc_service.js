// A small SOC service on node:http alone: POST /events ingests JSON or NDJSON (matched against
// Sigma rules as it is stored), GET /events and GET /detections query what was stored.
//
//   FINMARK_DB=sqlite://soc.db FINMARK_RULES=rules/ PORT=8080 node soc_service.js
//   curl --data-binary @events.ndjson http://127.0.0.1:8080/events
//   curl 'http://127.0.0.1:8080/events?user.name=alice&limit=10'
//   curl 'http://127.0.0.1:8080/detections?since=2026-01-15T00:00:00Z&severity=critical'
//
// Query parameters: since, until (RFC 3339), limit, cursor (a page's next_cursor); every other
// parameter is a field equality, its value read as JSON when it parses (500, true) and as a
// string otherwise (alice). Errors are JSON {error: {code, message}}: 400 for bad input, 500
// for the rest.
import http from 'node:http'
import { pathToFileURL } from 'node:url'
import { Engine } from 'finmark'

const MAX_BODY = 64 * 1024 * 1024
const QUERY_KEYS = new Set(['since', 'until', 'limit', 'cursor'])
const BAD_INPUT = new Set(['INVALID_EVENT', 'INVALID_QUERY', 'INVALID_RULE'])

/** The finmark query a URL's search parameters stand for. */
function queryOf(params) {
  const query = { where: {} }
  for (const [key, value] of params) {
    if (key === 'limit') query.limit = Number(value)
    else if (QUERY_KEYS.has(key)) query[key] = value
    else query.where[key] = fieldValue(value)
  }
  return query
}

function fieldValue(text) {
  try {
    const value = JSON.parse(text)
    return value === null || typeof value !== 'object' ? value : text
  } catch {
    return text
  }
}

async function readBody(req) {
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > MAX_BODY) throw Object.assign(new Error(`body larger than ${MAX_BODY} bytes`), { status: 413 })
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

/** An HTTP server answering from `engine`. */
export function createService(engine) {
  const routes = {
    'POST /events': async (req) => engine.ingestJson(await readBody(req)),
    'GET /events': async (_req, url) => engine.events(queryOf(url.searchParams)),
    'GET /detections': async (_req, url) => engine.detections(queryOf(url.searchParams)),
  }
  return http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost')
    const route = routes[`${req.method} ${url.pathname}`]
    if (!route) {
      send(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${url.pathname}` } })
      return
    }
    try {
      send(res, 200, await route(req, url))
    } catch (err) {
      const status = err.status ?? (BAD_INPUT.has(err.code) ? 400 : 500)
      send(res, status, { error: { code: err.code ?? 'INTERNAL', message: err.message } })
    }
  })
}

/** Opens the engine and serves until SIGINT or SIGTERM. */
async function main() {
  const rules = process.env.FINMARK_RULES ? process.env.FINMARK_RULES.split(',') : []
  const engine = await Engine.open(process.env.FINMARK_DB ?? 'sqlite://soc.db', { rules })
  const server = createService(engine)
  server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${server.address().port}`)
  })
  const stop = () => server.close(() => engine.close().then(() => process.exit(0)))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main()
}
