// MQTT.js over wss:// in headless Chromium (Debian's, driven by playwright-core): the seed's vote and results pages
// served over HTTPS by a `protocol websockets` listener with a certificate (mosquitto.conf), voting over WSS while
// mosquitto_sub reads the same topic over MQTT TLS with --cafile. Run by
// tests/EmbeddedBroker.Integration.Tests/Listeners/WssBrowserTests.cs, which starts the broker and sets:
//   EB_WSS_PORT  the WSS/HTTPS listener      EB_TLS_PORT  the MQTT TLS listener      EB_CA_FILE  the test CA (PEM)
// Not named *.test.js at the top of tests/node, so the plain-WebSocket runner (NodeTests.cs) leaves it alone.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ChromiumPath = '/usr/bin/chromium';
const wssPort = Number(process.env.EB_WSS_PORT);
const tlsPort = Number(process.env.EB_TLS_PORT);
const caFile = process.env.EB_CA_FILE;
let context;
let profileDir;

before(async () => {
  assert.ok(wssPort && tlsPort && caFile, 'run through dotnet test (WssBrowserTests.cs), which starts the broker');
  assert.ok(fs.existsSync(ChromiumPath), `${ChromiumPath} is missing: install the Debian package chromium`);
  profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eb-chromium-wss-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: ChromiumPath,
    headless: true,
    timeout: 60000,
    // The test CA is not in the browser's store: accept the broker's certificate for this test only.
    ignoreHTTPSErrors: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(15000);
});

after(async () => {
  await context?.close();
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
});

function subscribeOverTls(topic) {
  const child = spawn('/usr/bin/mosquitto_sub', ['-h', '127.0.0.1', '-p', String(tlsPort), '--cafile', caFile,
    '-i', 'tls-vote-watch', '-t', topic, '-q', '1', '-C', '1', '-v'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  process.once('exit', () => child.kill('SIGKILL'));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { output: () => stdout, errors: () => stderr, exited, stop: () => child.kill('SIGKILL') };
}

async function openConnected(url) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => problems.push(message.text()));
  await page.goto(url);
  try {
    await page.waitForSelector('#status[data-state="connected"]');
  } catch (error) {
    throw new Error(`${url} did not connect: ${await page.textContent('#status')} ${problems.join('; ')}`, { cause: error });
  }
  return page;
}

test('a vote clicked on a page served over HTTPS goes over wss:// to the results page and to mosquitto_sub over TLS', async () => {
  const topic = 'test/wss';
  const sub = subscribeOverTls(topic);
  try {
    const base = `https://localhost:${wssPort}/samples`;
    const results = await openConnected(`${base}/results.html?topic=${encodeURIComponent(topic)}`);
    assert.equal(await results.evaluate(() => window.location.protocol), 'https:');
    // broker-url.js picks wss:// for a page loaded over https.
    const vote = await openConnected(`${base}/vote.html?topic=${encodeURIComponent(topic)}`);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the results page's SUBSCRIBE lands
    await vote.click('button[data-option="IFT1215"]');

    await results.waitForFunction(() => document.getElementById('IFT1215').textContent === '1');
    const code = await Promise.race([sub.exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 15000))]);
    assert.equal(code, 0, `mosquitto_sub over TLS: ${sub.output()} ${sub.errors()}`);
    assert.equal(sub.output().trim(), `${topic} IFT1215`);
    await vote.close();
    await results.close();
  } finally {
    sub.stop();
  }
});
