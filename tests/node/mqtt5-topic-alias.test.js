// MQTT.js 5 (npm "mqtt") over ws://127.0.0.1:<port> and MQTT 5 topic aliases (MQTT 5.0 3.3.2.3.4) both ways:
// the broker sets up aliases towards a client that announced a Topic Alias Maximum, and resolves the aliases a
// client sets up towards it.
'use strict';
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const mqtt = require('mqtt');
const broker = require('./broker-env');

const opened = [];
after(async () => { await Promise.all(opened.map((client) => client.endAsync(true))); });

async function connect(clientId, options = {}) {
  const client = await mqtt.connectAsync(broker.wsUrl, { clientId, protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 10000, ...options });
  opened.push(client);
  return client;
}

/** Collects what arrives: the topic MQTT.js resolved, the topic as it was on the wire, the alias, the payload. */
function collect(client, count) {
  const received = [];
  const done = new Promise((resolve) => {
    client.on('message', (topic, payload, packet) => {
      received.push({ topic, wireTopic: packet.topic, alias: packet.properties?.topicAlias, payload: payload.toString() });
      if (received.length === count) resolve(received);
    });
  });
  return { received, done };
}

function withTimeout(promise, what, timeoutMs = 20000) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Long topics, so that an alias saves bytes; three of them for a client that accepts two aliases.
const topics = [1, 2, 3].map((i) => `alias/building-${i}/floor-${i}/room-${i}/sensor/temperature/celsius`);
const perTopic = 20;

test('the broker sends MQTT.js topic aliases up to its Topic Alias Maximum and every topic resolves (MQTT-3.3.2-8, -10, -11)', async () => {
  const subscriber = await connect('alias-sub', { properties: { topicAliasMaximum: 2 } });
  await subscriber.subscribeAsync('alias/#', { qos: 1 });
  const { done } = collect(subscriber, topics.length * perTopic);
  const publisher = await connect('alias-pub');

  for (let n = 0; n < perTopic; n++) {
    for (const topic of topics) await publisher.publishAsync(topic, `${topic} #${n}`, { qos: 1 });
  }
  const received = await withTimeout(done, `${topics.length * perTopic} messages`);

  // Every message has its own topic back, in order per topic (MQTT.js resolved the aliases itself).
  for (const topic of topics) {
    assert.deepEqual(received.filter((m) => m.topic === topic).map((m) => m.payload), [...Array(perTopic).keys()].map((n) => `${topic} #${n}`));
  }
  const aliases = new Set(received.filter((m) => m.alias !== undefined).map((m) => m.alias));
  assert.deepEqual([...aliases].sort(), [1, 2], 'aliases 1 and 2 only: never 0, never above the client\'s maximum 2');
  // Each aliased topic went on the wire in full once (setting the alias up), then as an empty topic with the alias.
  for (const topic of topics.filter((t) => received.some((m) => m.topic === t && m.alias !== undefined))) {
    const ofTopic = received.filter((m) => m.topic === topic);
    assert.equal(ofTopic.filter((m) => m.wireTopic === topic).length, 1, `${topic} in full once`);
    assert.equal(ofTopic.filter((m) => m.wireTopic === '').length, perTopic - 1, `${topic} by alias after that`);
  }
  const fullEveryTime = topics.filter((t) => received.filter((m) => m.topic === t).every((m) => m.wireTopic === t && m.alias === undefined));
  assert.equal(fullEveryTime.length, 1, 'the topic beyond the two aliases goes in full every time');
});

test('aliases are not carried to a new connection: the first message on it has the topic in full (MQTT-3.3.2-7)', async () => {
  const first = await connect('alias-again', { properties: { topicAliasMaximum: 5 } });
  await first.subscribeAsync('alias/#', { qos: 1 });
  const publisher = await connect('alias-again-pub');
  const before = collect(first, 2);
  await publisher.publishAsync(topics[0], 'one', { qos: 1 });
  await publisher.publishAsync(topics[0], 'two', { qos: 1 });
  assert.deepEqual((await withTimeout(before.done, 'two messages')).map((m) => m.wireTopic), [topics[0], '']);
  await first.endAsync();

  const second = await connect('alias-again', { properties: { topicAliasMaximum: 5 } });
  await second.subscribeAsync('alias/#', { qos: 1 });
  const later = collect(second, 1);
  await publisher.publishAsync(topics[0], 'three', { qos: 1 });
  const [message] = await withTimeout(later.done, 'the message on the new connection');
  assert.deepEqual({ wireTopic: message.wireTopic, alias: message.alias, payload: message.payload }, { wireTopic: topics[0], alias: 1, payload: 'three' });
});

test('MQTT.js publishing with its own topic aliases over WebSocket reaches a subscriber with the right topics (MQTT-3.3.2-12)', async () => {
  const subscriber = await connect('client-alias-sub');
  await subscriber.subscribeAsync('alias/#', { qos: 1 });
  const { done } = collect(subscriber, 4);
  const publisher = await connect('client-alias-pub');

  await publisher.publishAsync(topics[0], 'a1', { qos: 1, properties: { topicAlias: 1 } });
  await publisher.publishAsync(topics[1], 'b1', { qos: 1, properties: { topicAlias: 2 } });
  await publisher.publishAsync('', 'a2', { qos: 1, properties: { topicAlias: 1 } });
  await publisher.publishAsync('', 'b2', { qos: 1, properties: { topicAlias: 2 } });

  const received = await withTimeout(done, 'four messages');
  assert.deepEqual(received.map((m) => [m.topic, m.payload, m.alias]), [
    [topics[0], 'a1', undefined],
    [topics[1], 'b1', undefined],
    [topics[0], 'a2', undefined],
    [topics[1], 'b2', undefined],
  ], 'the broker resolves the aliases and does not forward them (MQTT-3.3.2-7: an alias belongs to one connection)');
});
