// A recorder that cannot write (its files are /dev/full, a full disk: NodeTests gives this file such a broker) shows
// its error on the dashboard, at the top, with the failed attempts and what is waiting or dropped.
'use strict';
const { test, before, after } = require('node:test');
const broker = require('./broker-env');
const chromium = require('./chromium');

let browser;

before(async () => { browser = await chromium.launch(); });
after(async () => { await browser?.close(); });

test('a failing recorder shows its error on the dashboard', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${broker.httpBase}/dashboard/`);
  await page.waitForSelector('#status[data-state="connected"]');

  await broker.publishOverHttp({ topic: 'sensors/t', payload: '21.5' });

  const alert = page.locator('#recorder-alert');
  await alert.waitFor({ state: 'visible', timeout: 20000 });
  await page.locator('#recorder-alert', { hasText: 'Recorder cannot write' }).waitFor();
  await page.locator('#recorder-alert', { hasText: 'No space left on device' }).waitFor();
  await page.waitForFunction(() => document.getElementById('stat-write-errors').closest('.card').classList.contains('bad'));
  await chromium.screenshot(page, 'dashboard-recorder-failure');
  await page.close();
});
