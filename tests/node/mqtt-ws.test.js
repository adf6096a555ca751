// MQTT.js (npm "mqtt", the library the browser pages use) over ws://127.0.0.1:<port>: QoS 0/1/2 round trips for
// every protocol version it speaks, and interop with mosquitto_pub/mosquitto_sub on the TCP port.
'use strict';
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const mqtt = require('mqtt');
const broker = require('./broker-env');

const opened = [];
after(async () => { await Promise.all(opened.map((client) => client.endAsync(true))); });

async function connect(clientId, options = {}) {
  const client = await mqtt.connectAsync(broker.wsUrl, { clientId, reconnectPeriod: 0, connectTimeout: 10000, ...options });
  opened.push(client);
  return client;
}

function nextMessage(client, topic) {
  return new Promise((resolve) => {
    const onMessage = (receivedTopic, payload, packet) => {
      if (receivedTopic !== topic) return;
      client.removeListener('message', onMessage);
      resolve({ payload: payload.toString(), qos: packet.qos, retain: packet.retain });
    };
    client.on('message', onMessage);
  });
}

const versions = [
  { name: 'MQTT 3.1', options: { protocolId: 'MQIsdp', protocolVersion: 3 } },
  { name: 'MQTT 3.1.1', options: { protocolVersion: 4 } },
  { name: 'MQTT 5.0', options: { protocolVersion: 5 } },
];

for (const version of versions) {
  for (const qos of [0, 1, 2]) {
    test(`${version.name} QoS ${qos} round trip over WebSocket`, async () => {
      const tag = `${version.options.protocolVersion}-${qos}`;
      const topic = `roundtrip/${tag}`;
      const subscriber = await connect(`sub-${tag}`, version.options);
      const granted = await subscriber.subscribeAsync(topic, { qos });
      assert.equal(granted[0].qos, qos);
      const publisher = await connect(`pub-${tag}`, version.options);

      const received = nextMessage(subscriber, topic);
      await publisher.publishAsync(topic, `payload ${tag}`, { qos });

      assert.deepEqual(await received, { payload: `payload ${tag}`, qos, retain: false });
    });
  }
}

test('retained message published over WebSocket is delivered to a later WebSocket subscriber (MQTT-3.3.1-6)', async () => {
  const publisher = await connect('retain-pub');
  await publisher.publishAsync('retained/ws', 'kept', { qos: 1, retain: true });
  const late = await connect('retain-late');

  const received = nextMessage(late, 'retained/ws');
  await late.subscribeAsync('retained/ws', { qos: 1 });

  assert.deepEqual(await received, { payload: 'kept', qos: 1, retain: true });
});

test('message published by MQTT.js over WebSocket reaches mosquitto_sub over TCP', async () => {
  const sub = broker.mosquitto('mosquitto_sub', ['-i', 'mosq-interop-sub', '-t', 'interop/from-ws', '-q', '1', '-C', '1', '-v']);
  try {
    await broker.waitForSubscription('mosq-interop-sub', 'interop/from-ws');
    const publisher = await connect('interop-ws-pub');

    await publisher.publishAsync('interop/from-ws', 'hello tcp', { qos: 1 });

    assert.equal(await sub.exited(), 0);
    assert.equal(sub.output().trim(), 'interop/from-ws hello tcp');
  } finally {
    sub.stop();
  }
});

test('message published by mosquitto_pub over TCP reaches MQTT.js over WebSocket at QoS 2', async () => {
  const subscriber = await connect('interop-ws-sub');
  await subscriber.subscribeAsync('interop/from-tcp', { qos: 2 });
  const received = nextMessage(subscriber, 'interop/from-tcp');

  const pub = broker.mosquitto('mosquitto_pub', ['-i', 'mosq-interop-pub', '-t', 'interop/from-tcp', '-m', 'hello ws', '-q', '2']);

  assert.equal(await pub.exited(), 0);
  assert.deepEqual(await received, { payload: 'hello ws', qos: 2, retain: false });
});

test('/api/clients shows MQTT.js clients with transport "ws"', async () => {
  await connect('transport-check');

  const entry = (await broker.clients()).find((c) => c.clientId === 'transport-check');

  assert.equal(entry.transport, 'ws');
  assert.equal(entry.protocolVersion, '3.1.1');
});
