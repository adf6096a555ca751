// The MQTT.js bundle the broker serves to browsers is exactly dist/mqtt.min.js of the npm package pinned in
// package.json: the vendored copy (samples/web/vendor) cannot drift from, or be edited away from, its source.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const crypto = require('node:crypto');
const path = require('node:path');
const broker = require('./broker-env');

const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');
// Read by path: the package's "exports" map does not expose dist/ or package.json to require().
const packageDir = path.join(__dirname, 'node_modules', 'mqtt');
const fromNpm = sha256(fs.readFileSync(path.join(packageDir, 'dist', 'mqtt.min.js')));

for (const path of ['/samples/vendor/mqtt.min.js', '/dashboard/vendor/mqtt.min.js']) {
  test(`${path} is the npm package's dist/mqtt.min.js, byte for byte`, async () => {
    const response = await fetch(broker.httpBase + path);
    assert.equal(response.status, 200);

    const served = sha256(Buffer.from(await response.arrayBuffer()));

    assert.equal(served, fromNpm);
  });
}

test('the vendored version matches the version package.json pins', () => {
  const pinned = require('./package.json').dependencies.mqtt;
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'samples', 'web', 'vendor', 'README.md'), 'utf8');
  assert.equal(JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version, pinned);
  assert.match(readme, new RegExp(`mqtt ${pinned.replaceAll('.', '\\.')}`));
});
