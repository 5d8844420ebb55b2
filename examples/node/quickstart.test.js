// Runs quickstart.js as a user would, in a fresh directory, twice.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('./quickstart.js', import.meta.url))

describe('quickstart.js', () => {
  it('stores an event in quickstart.db and prints it, the same on a second run', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'finmark-quickstart-'))
    try {
      const first = execFileSync(process.execPath, [script], { cwd, encoding: 'utf8' })
      assert.match(first, /'user\.name': 'alice'/)
      assert.match(first, /'source\.ip': '203\.0\.113\.9'/)
      assert.ok(fs.statSync(path.join(cwd, 'quickstart.db')).size > 0)
      const second = execFileSync(process.execPath, [script], { cwd, encoding: 'utf8' })
      assert.equal(second, first, 'the same event is stored once')
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true })
    }
  })
})
