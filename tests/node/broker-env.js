// Where the broker under test is: set by tests/EmbeddedBroker.Web.Tests (NodeTests.cs), which starts the real host
// in-process on free 127.0.0.1 ports and runs `node --test` with these variables.
'use strict';
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function required(name) {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run these tests through dotnet test (tests/EmbeddedBroker.Web.Tests), which starts the broker`);
  return value;
}

const wsPort = Number(required('EB_WS_PORT'));
const tcpPort = Number(required('EB_TCP_PORT'));
const exportsDir = required('EB_EXPORTS');
const httpBase = `http://127.0.0.1:${wsPort}`;
const wsUrl = `ws://127.0.0.1:${wsPort}/mqtt`;

async function waitFor(what, check, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function clients() {
  const response = await fetch(`${httpBase}/api/clients`);
  assert.equal(response.status, 200);
  return response.json();
}

/** Waits until the broker shows a client (id matching `clientId`, a string or a predicate) subscribed to `filter`. */
function waitForSubscription(clientId, filter) {
  const matches = typeof clientId === 'function' ? clientId : (id) => id === clientId;
  return waitFor(`${clientId} subscribes to ${filter}`, async () =>
    (await clients()).some((c) => matches(c.clientId) && c.subscriptions.some((s) => s.topicFilter === filter)));
}

async function publishOverHttp(body) {
  const response = await fetch(`${httpBase}/api/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, await response.text());
}

/** A Debian mosquitto client (mosquitto_sub / mosquitto_pub) on the TCP port; killed by `stop()` or on exit. */
function mosquitto(tool, args) {
  const executable = `/usr/bin/${tool}`;
  assert.ok(fs.existsSync(executable), `${executable} is missing: install the Debian package mosquitto-clients (scripts/test.sh does)`);
  const child = spawn(executable, ['-h', '127.0.0.1', '-p', String(tcpPort), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  process.once('exit', () => child.kill('SIGKILL'));
  return {
    output: () => stdout,
    exited: (timeoutMs = 10000) => {
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${tool} did not exit; stdout: ${stdout} stderr: ${stderr}`)), timeoutMs);
      });
      return Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
    },
    stop: () => child.kill('SIGKILL'),
  };
}

/** Every export file the recorder wrote (CSV and JSON), concatenated. */
function readExports() {
  let text = '';
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full); else text += fs.readFileSync(full, 'utf8') + '\n';
    }
  };
  walk(exportsDir);
  return text;
}

module.exports = { wsPort, tcpPort, exportsDir, httpBase, wsUrl, waitFor, clients, waitForSubscription, publishOverHttp, mosquitto, readExports };
