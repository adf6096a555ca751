// The cross-origin attacks of issue 10, replayed in headless Chromium (Debian's, driven by playwright-core) from a
// page on another origin (http://attacker.example:PORT, a tiny server started here, mapped to 127.0.0.1 with
// --host-resolver-rules): an auto-submitted text/plain form POST and a no-cors fetch POST to /api/publish, a CORS
// fetch with JSON (needs a preflight), a WebSocket to /mqtt with MQTT.js; plus DNS rebinding: the broker's port
// reached as http://evil.example:PORT. Run by tests/EmbeddedBroker.Web.Tests/Security/CrossSiteBrowserTests.cs, which
// starts the broker in one configuration and checks afterwards that nothing was published. It sets:
//   EB_WS_PORT   the broker's WebSocket/HTTP port (127.0.0.1)
//   EB_MODE      anonymous | origins (Web:WebSocketAllowedOrigins set) | auth (password file, anonymous off)
// Not named *.test.js at the top of tests/node, so the plain runner (NodeTests.cs) leaves it alone.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ChromiumPath = '/usr/bin/chromium';
const MqttJs = path.join(__dirname, '..', '..', '..', 'samples', 'web', 'vendor', 'mqtt.min.js');
const wsPort = Number(process.env.EB_WS_PORT);
const mode = process.env.EB_MODE;
let server;
let attackPort;
let context;
let profileDir;

function attackPage() {
  const target = `http://127.0.0.1:${wsPort}`;
  return `<!doctype html><meta charset="utf-8"><title>attacker</title>
<script src="/mqtt.min.js"></script>
<iframe name="sink"></iframe>
<form id="form" method="POST" action="${target}/api/publish" enctype="text/plain" target="sink">
  <input name='{"topic":"attack/form","retain":true,"payload":"x","pad":"' value='"}'>
</form>
<script>
window.results = {};
async function attack() {
  document.getElementById('form').submit();
  try {
    await fetch('${target}/api/publish', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'attack/fetch', payload: 'x', retain: true }) });
    results.noCors = 'opaque response';
  } catch (e) { results.noCors = 'rejected: ' + e.message; }
  try {
    const r = await fetch('${target}/api/publish', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'attack/cors', payload: 'x', retain: true }) });
    results.cors = 'status ' + r.status;
  } catch (e) { results.cors = 'rejected: ' + e.message; }
  try {
    const r = await fetch('${target}/api/messages');
    results.read = 'status ' + r.status + ' ' + (await r.text()).slice(0, 80);
  } catch (e) { results.read = 'rejected: ' + e.message; }
  results.ws = await new Promise((resolve) => {
    const received = [];
    const client = mqtt.connect('ws://127.0.0.1:${wsPort}/mqtt', { clientId: 'attacker', reconnectPeriod: 0, connectTimeout: 5000 });
    const finish = (outcome) => { client.end(true); resolve({ outcome, received }); };
    client.on('message', (topic) => received.push(topic));
    client.on('connect', () => {
      client.subscribe('#', () => client.publish('attack/ws', 'x', { retain: true, qos: 1 }, () => setTimeout(() => finish('connected'), 1000)));
    });
    client.on('error', (e) => finish('error: ' + e.message));
    client.on('close', () => setTimeout(() => finish('closed'), 200));
  });
  results.done = true;
}
attack();
</script>`;
}

before(async () => {
  assert.ok(wsPort && mode, 'run through dotnet test (CrossSiteBrowserTests.cs), which starts the broker');
  assert.ok(fs.existsSync(ChromiumPath), `${ChromiumPath} is missing: install the Debian package chromium`);
  const bundle = fs.readFileSync(MqttJs);
  server = http.createServer((request, response) => {
    if (request.url === '/mqtt.min.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    } else {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(attackPage());
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  attackPort = server.address().port;
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eb-chromium-xsite-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: ChromiumPath,
    headless: true,
    timeout: 60000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // attacker.example serves the attack page; evil.example is a rebound name pointing at the broker.
      '--host-resolver-rules=MAP attacker.example 127.0.0.1, MAP evil.example 127.0.0.1'],
  });
  context.setDefaultTimeout(20000);
});

after(async () => {
  await context?.close();
  server?.close();
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
});

test(`a page of another origin cannot publish through the form, no-cors or CORS fetch (${mode})`, async () => {
  const page = await context.newPage();
  const publishAnswers = [];
  page.on('response', (response) => {
    if (response.url().endsWith('/api/publish')) publishAnswers.push(`${response.request().method()} ${response.status()}`);
  });
  await page.goto(`http://attacker.example:${attackPort}/attack.html`);
  await page.waitForFunction(() => window.results && window.results.done, null, { timeout: 30000 });
  const results = await page.evaluate(() => window.results);
  console.log(mode, JSON.stringify(results), publishAnswers.join(', '));

  // The broker's own answers, as the network saw them: the form and the no-cors fetch arrive as text/plain (415);
  // the JSON fetch needs a preflight, which gets no CORS headers, so the browser never sends the POST.
  assert.ok(publishAnswers.filter((a) => a.startsWith('POST')).every((a) => a === 'POST 415'), publishAnswers.join(', '));
  assert.equal(publishAnswers.filter((a) => a === 'POST 415').length, 2, `form and no-cors fetch: ${publishAnswers.join(', ')}`);
  assert.match(results.cors, /^rejected/);
  assert.match(results.read, /^rejected/, 'no CORS headers: a page of another origin cannot read the API');

  if (mode === 'anonymous') {
    // The documented default: any page may use MQTT over WebSocket, as with Mosquitto (the start-up warning says so).
    assert.equal(results.ws.outcome, 'connected');
  } else if (mode === 'origins') {
    assert.notEqual(results.ws.outcome, 'connected', 'the foreign Origin is refused at the handshake');
    assert.deepEqual(results.ws.received, []);
  } else {
    assert.match(results.ws.outcome, /Not authorized|error|closed/, 'no credentials: CONNACK not authorized');
    assert.deepEqual(results.ws.received, [], 'nothing delivered without credentials');
  }
  await page.close();
});

test(`DNS rebinding: the broker reached under a foreign name answers 400 (${mode})`, async () => {
  const page = await context.newPage();
  const response = await page.goto(`http://evil.example:${wsPort}/api/messages`);
  assert.equal(response.status(), 400);
  const socketRefused = await page.evaluate((port) => new Promise((resolve) => {
    const socket = new WebSocket(`ws://evil.example:${port}/mqtt`, 'mqtt');
    socket.onopen = () => resolve(false);
    socket.onerror = () => resolve(true);
  }), wsPort);
  assert.equal(socketRefused, true, 'the WebSocket handshake under the foreign name is refused too');
  await page.close();
});
