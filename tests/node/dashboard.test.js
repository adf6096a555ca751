// The dashboard in headless Chromium against the real broker (recording to CSV, JSON and SQLite): the topic tree with
// retained values, a live chart of a numeric topic and of a JSON field, the history paged through 10,000 rows, the
// publish form reaching mosquitto_sub with QoS and retain shown as published, and the page at phone width.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const broker = require('./broker-env');
const chromium = require('./chromium');

let browser;

before(async () => { browser = await chromium.launch(); });
after(async () => { await browser?.close(); });

async function openDashboard(query = '') {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${broker.httpBase}/dashboard/${query}`);
  await page.waitForSelector('#status[data-state="connected"]');
  await broker.waitForSubscription((id) => id.startsWith('dashboard-'), '#');
  page.problems = problems;
  return page;
}

async function publishRetained(topic, payload) {
  const pub = broker.mosquitto('mosquitto_pub', ['-t', topic, '-m', payload, '-r', '-q', '1']);
  assert.equal(await pub.exited(), 0);
}

async function recorded() {
  const response = await fetch(`${broker.httpBase}/api/stats`);
  return (await response.json()).recorder.recorded;
}

test('the topic tree shows retained values with their flag, and no $SYS topic', async () => {
  await publishRetained('home/door', 'open');
  await publishRetained('home/kitchen/temperature', '21.5');
  const page = await openDashboard();

  const door = page.locator('#topic-tree .node[data-topic="home/door"]');
  await door.locator('.last', { hasText: 'open' }).waitFor();
  assert.equal(await door.locator('.badge').isVisible(), true, 'retained badge');
  await page.locator('#topic-tree .node[data-topic="home/kitchen/temperature"] .last', { hasText: '21.5' }).waitFor({ state: 'attached' });
  assert.equal(await page.locator('#topic-tree .node[data-topic^="$"]').count(), 0);

  // Retained messages are not repeated as new live messages (Retain Handling 2 on the dashboard's subscription).
  await page.waitForTimeout(500);
  assert.equal(await page.locator('#messages td.topic', { hasText: 'home/door' }).count() <= 1, true);
  await page.close();
});

test('a chart updates on live numeric messages, for a whole payload and for a JSON field', async () => {
  const page = await openDashboard();
  await broker.publishOverHttp({ topic: 'sensors/livingroom/temp', payload: '20' });
  const node = page.locator('#topic-tree .node[data-topic="sensors/livingroom/temp"]');
  await node.waitFor({ state: 'attached' });
  await page.evaluate(() => document.querySelector('#topic-tree .node[data-topic="sensors/livingroom/temp"]').click());
  await page.waitForFunction(() => document.getElementById('detail-topic').textContent === 'sensors/livingroom/temp');

  for (const value of [21, 22.5, 19, 25]) {
    await broker.publishOverHttp({ topic: 'sensors/livingroom/temp', payload: String(value) });
  }
  // The four live ones at least (the first is there too once the recorder has committed it: the chart loads the history).
  await page.waitForFunction(() => Number(document.getElementById('chart').dataset.points) >= 4);
  await page.locator('#chart-last', { hasText: 'last 25' }).waitFor();
  assert.equal(await page.locator('#chart polyline').count(), 1);
  await chromium.screenshot(page, 'dashboard-topics-chart', '#topics-section');

  // A JSON payload: pick its field in the page.
  await broker.publishOverHttp({ topic: 'sensors/json', payload: { t: 1.5, unit: 'C' } });
  await page.locator('#topic-tree .node[data-topic="sensors/json"]').waitFor({ state: 'attached' });
  await page.evaluate(() => document.querySelector('#topic-tree .node[data-topic="sensors/json"]').click());
  await page.fill('#chart-field', 't');
  await page.dispatchEvent('#chart-field', 'change');
  // The field change reloads the topic's history; a message that lands while it loads may be drawn before the reload
  // replaces the chart, so publish again until the live value shows (at most 5 tries).
  for (let attempt = 1; ; attempt++) {
    await broker.publishOverHttp({ topic: 'sensors/json', payload: { t: 3.25, unit: 'C' } });
    try {
      await page.locator('#chart-last', { hasText: 'last 3.25' }).waitFor({ timeout: 3000 });
      break;
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
  await page.close();
});

test('the history pages through 10,000 recorded rows newest first, then back', async () => {
  const before = await recorded();
  const lines = Array.from({ length: 10000 }, (_, i) => String(i)).join('\n') + '\n';
  const pub = spawn('/usr/bin/mosquitto_pub', ['-h', '127.0.0.1', '-p', String(broker.tcpPort), '-t', 'bulk/n', '-q', '1', '-l'], { stdio: ['pipe', 'ignore', 'inherit'] });
  pub.stdin.end(lines);
  await new Promise((resolve) => pub.on('exit', resolve));
  await broker.waitFor('10,000 rows are recorded', async () => (await recorded()) >= before + 10000, 60000);

  const page = await openDashboard();
  await page.fill('#history-topic', 'bulk/#');
  await page.selectOption('#history-limit', '1000');
  await page.click('#history-form button[type="submit"]');
  const seen = [];
  for (let pageNumber = 1; pageNumber <= 10; pageNumber++) {
    await page.waitForFunction((n) => document.getElementById('history-page').dataset.page === String(n)
      && document.querySelectorAll('#history tbody tr').length === 1000
      && document.querySelector('#history tbody td.payload').textContent === String(10999 - n * 1000), pageNumber);
    const rows = await page.$$eval('#history tbody td.payload', (cells) => cells.map((c) => c.textContent));
    assert.equal(rows.length, 1000, `page ${pageNumber} has 1000 rows`);
    seen.push(...rows);
    if (pageNumber === 2) await chromium.screenshot(page, 'dashboard-history', '#history-section');
    if (pageNumber < 10) await page.click('#history-older');
  }
  assert.deepEqual(seen, Array.from({ length: 10000 }, (_, i) => String(9999 - i)));
  assert.equal(await page.isDisabled('#history-older'), true, 'the tenth page is the oldest');
  await page.click('#history-newer');
  await page.waitForFunction(() => document.getElementById('history-page').dataset.page === '9');
  assert.equal(await page.textContent('#history tbody tr:first-child td.payload'), '1999');
  await page.close();
});

test('a message published from the form reaches mosquitto_sub, shown with the QoS and retain it was published with', async () => {
  const sub = broker.mosquitto('mosquitto_sub', ['-i', 'form-watch', '-t', 'form/test', '-q', '2', '-C', '1', '-v']);
  try {
    await broker.waitForSubscription('form-watch', 'form/test');
    const page = await openDashboard();
    await page.fill('#publish-topic', 'form/test');
    await page.fill('#publish-payload', 'hello from the form');
    await page.selectOption('#publish-qos', '1');
    await page.check('#publish-retain');
    await page.click('#publish-form button[type="submit"]');

    assert.equal(await sub.exited(), 0);
    assert.equal(sub.output().trim(), 'form/test hello from the form');
    await page.locator('#publish-result', { hasText: 'published 19 bytes to form/test (QoS 1, retained)' }).waitFor();
    const row = page.locator('#messages tr.message', { has: page.locator('td.topic', { hasText: 'form/test' }) }).first();
    await row.waitFor();
    assert.equal(await row.locator('td.qos').textContent(), '1', 'published QoS, not the QoS 2 of the subscription');
    assert.equal(await row.locator('td.retain').textContent(), 'retained', 'retain as published');
    assert.deepEqual(page.problems, []);
    await page.close();
  } finally {
    sub.stop();
  }
});

test('clients and their subscriptions are drawn as a graph, and health shows the recorder', async () => {
  const sub = broker.mosquitto('mosquitto_sub', ['-i', 'graph-watch', '-t', 'graph/#', '-t', 'home/+', '-q', '1']);
  try {
    await broker.waitForSubscription('graph-watch', 'home/+');
    const page = await openDashboard();
    await page.waitForFunction(() => Number(document.getElementById('client-graph').dataset.edges) >= 3);
    await page.locator('#client-graph text', { hasText: 'graph-watch' }).waitFor({ state: 'attached' });
    await page.locator('#recorder-format', { hasText: 'csv,json,sqlite' }).waitFor();
    await page.locator('#stat-last-flush', { hasText: 'ago' }).waitFor();
    assert.equal(await page.locator('#recorder-alert').isVisible(), false);
    await chromium.screenshot(page, 'dashboard');
    await chromium.screenshot(page, 'dashboard-clients', '#clients-section');
    await page.close();
  } finally {
    sub.stop();
  }
});

test('at phone width nothing overflows sideways', async () => {
  const page = await openDashboard('?topic=home/door');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await chromium.screenshot(page, 'dashboard-phone');
  await page.close();
});
