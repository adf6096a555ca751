// End to end in a real browser (Debian's headless Chromium driven by playwright-core): the seed's vote page and
// results page over MQTT-over-WebSocket, seen at the same time by mosquitto_sub over TCP and by the recorder's files;
// and the dashboard showing a hostile payload as text.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const broker = require('./broker-env');
const chromium = require('./chromium');

let browser;
let context;

before(async () => {
  browser = await chromium.launch();
  context = browser.context;
});

after(async () => {
  await browser?.close();
});

async function openConnected(url) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(url);
  try {
    await page.waitForSelector('#status[data-state="connected"]');
  } catch (error) {
    throw new Error(`${url} did not connect: ${await page.textContent('#status')} ${problems.join('; ')}`, { cause: error });
  }
  return page;
}

test('a vote clicked in the vote page is counted by the results page, seen by mosquitto_sub and recorded', async () => {
  const topic = 'test/phone';
  const sub = broker.mosquitto('mosquitto_sub', ['-i', 'mosq-vote-watch', '-t', topic, '-q', '1', '-C', '1', '-v']);
  try {
    await broker.waitForSubscription('mosq-vote-watch', topic);
    const results = await openConnected(`${broker.httpBase}/samples/results.html`);
    // The results page subscribes right after connecting: wait until the broker has the subscription.
    await broker.waitForSubscription((id) => id !== 'mosq-vote-watch', topic);
    const vote = await openConnected(`${broker.httpBase}/samples/vote.html`);

    await vote.click('button[data-option="IFT1215"]');

    await results.waitForFunction(() => document.getElementById('IFT1215').textContent === '1');
    assert.equal(await results.textContent('#MAT1400'), '0');
    assert.equal(await sub.exited(), 0);
    assert.equal(sub.output().trim(), `${topic} IFT1215`);
    await broker.waitFor('the recorder files hold the vote', () => {
      const recorded = broker.readExports();
      return recorded.includes(topic) && recorded.includes('IFT1215');
    });
    await vote.close();
    await results.close();
  } finally {
    sub.stop();
  }
});

test('the dashboard shows <img src=x onerror=alert(1)> as text: no dialog, no img element', async () => {
  const hostile = '<img src=x onerror=alert(1)>';
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
  await page.goto(`${broker.httpBase}/dashboard/`);
  await page.waitForSelector('#status[data-state="connected"]');
  await broker.waitForSubscription((id) => id.startsWith('dashboard-'), '#');

  await broker.publishOverHttp({ topic: 'xss/probe', payload: hostile });

  // Live, over MQTT: the payload cell holds the characters themselves.
  await page.waitForFunction((text) => [...document.querySelectorAll('#messages td.payload')].some((td) => td.textContent === text), hostile);
  // After a reload the same message comes from /api/messages (the recorded history, once committed): also text.
  await broker.waitFor('the recorder committed the probe', () => broker.readExports().includes(hostile));
  await page.reload();
  await page.waitForFunction((text) => [...document.querySelectorAll('#messages td.payload')].some((td) => td.textContent === text), hostile);
  await page.waitForTimeout(300); // an injected onerror would fire as soon as the image failed to load

  assert.equal(await page.locator('img').count(), 0);
  assert.deepEqual(dialogs, []);
  await page.close();
});
