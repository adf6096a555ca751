// Where the sample pages find the broker's MQTT-over-WebSocket endpoint.
// Served by EmbeddedBroker (http://host:9001/samples/...): the same host and port, path /mqtt.
// Opened from disk (file://): ws://localhost:9001/mqtt. Either way ?broker=ws://other:9001/mqtt overrides it,
// and ?topic=... changes the topic (default test/phone, as in the course material).
'use strict';
window.sampleSettings = (function () {
  const params = new URLSearchParams(window.location.search);
  let broker = params.get('broker');
  if (!broker) {
    if (window.location.protocol === 'http:' || window.location.protocol === 'https:') {
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      broker = scheme + '://' + window.location.host + '/mqtt';
    } else {
      broker = 'ws://localhost:9001/mqtt';
    }
  }
  return { broker: broker, topic: params.get('topic') || 'test/phone' };
})();

// Shows the connection state in the element #status, as text only.
window.showStatus = function (client) {
  const status = document.getElementById('status');
  const set = (state) => { status.textContent = state; status.dataset.state = state; };
  set('connecting');
  client.on('connect', () => set('connected'));
  client.on('reconnect', () => set('reconnecting'));
  client.on('offline', () => set('offline'));
  client.on('error', (error) => set('error: ' + error.message));
};
