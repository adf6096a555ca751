// Debian's headless Chromium driven by playwright-core (which downloads no browser): one persistent context per test
// file, with a fresh profile deleted afterwards. Screenshots go to $EB_SCREENSHOTS when it is set (docs/images).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ChromiumPath = '/usr/bin/chromium';

async function launch() {
  assert.ok(fs.existsSync(ChromiumPath), `${ChromiumPath} is missing: install the Debian package chromium (scripts/test.sh does)`);
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eb-chromium-'));
  // launchPersistentContext passes --user-data-dir=<profileDir>.
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: ChromiumPath,
    headless: true,
    timeout: 60000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(15000);
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot of `page` (or of the element `selector`) as `name`.png in $EB_SCREENSHOTS, when that folder is given. */
async function screenshot(page, name, selector) {
  const folder = process.env.EB_SCREENSHOTS;
  if (!folder) return;
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, name + '.png');
  if (selector) await page.locator(selector).screenshot({ path: file });
  else await page.screenshot({ path: file });
}

module.exports = { launch, screenshot };
