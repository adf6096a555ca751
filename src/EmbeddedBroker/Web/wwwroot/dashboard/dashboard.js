// The dashboard's wiring. Live messages arrive over MQTT over WebSocket: MQTT 5, subscribed at QoS 2 with Retain As
// Published, so each message shows the QoS and retain flag it was published with (not the delivered ones), and
// Retain Handling 2, so retained messages are not sent again at subscribe time as if they were new: the topic tree
// gets them from /api/retained. Health, clients and receipts are polled from the API.
'use strict';
(function (EB) {
  const MaxRows = 200;
  const PollMilliseconds = 2000;
  const params = new URLSearchParams(window.location.search);
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  // ?broker=ws://host:9001/mqtt when the dashboard is served on another listener than MQTT over WebSocket.
  const brokerUrl = params.get('broker') || (scheme + '://' + window.location.host + '/mqtt');

  const statusElement = document.getElementById('status');
  const filterInput = document.getElementById('filter');
  const pauseButton = document.getElementById('pause');
  const pausedNote = document.getElementById('paused-note');
  const messagesBody = document.querySelector('#messages tbody');
  const chart = new EB.Chart(document.getElementById('chart'));
  const chartField = document.getElementById('chart-field');
  let selectedTopic = params.get('topic');
  let currentFilter = params.get('filter') || '#';
  let paused = false;
  let missedWhilePaused = 0;
  filterInput.value = currentFilter;
  chartField.value = params.get('field') || '';

  const tree = new EB.TopicTree(document.getElementById('topic-tree'), (topic, node) => select(topic, node));

  function setStatus(state) {
    statusElement.textContent = state;
    statusElement.dataset.state = state;
  }

  function addMessageRow(topic, text, qos, retain, receivedAt, prepend) {
    const row = document.createElement('tr');
    row.className = 'message';
    row.append(EB.cell(EB.timeText(receivedAt), 'time'), EB.cell(topic, 'topic'), EB.cell(String(qos), 'qos'),
      EB.cell(retain ? 'retained' : '', 'retain'), EB.cell(text, 'payload'));
    if (prepend) messagesBody.prepend(row); else messagesBody.append(row);
    while (messagesBody.rows.length > MaxRows) messagesBody.lastElementChild.remove();
  }

  function matches(filter, topic) {
    if (filter === '#') return !topic.startsWith('$');
    const f = filter.split('/');
    const t = topic.split('/');
    for (let i = 0; i < f.length; i++) {
      if (f[i] === '#') return true;
      if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
    }
    return f.length === t.length;
  }

  function plot(text, time) {
    const value = EB.numberFrom(text, chartField.value.trim());
    if (value !== null) {
      chart.add(time, value);
      document.getElementById('chart-last').textContent = 'last ' + value;
    }
  }

  async function select(topic, node) {
    selectedTopic = topic;
    document.getElementById('detail-topic').textContent = topic;
    document.getElementById('detail-value').textContent = node ? node.value : '';
    document.getElementById('detail-flags').textContent = node && node.retained ? '(retained)' : '';
    EB.publish.useTopic(topic);
    chart.clear();
    document.getElementById('chart-last').textContent = '';
    try {
      const { body: recent } = await EB.fetchJson('/api/messages?limit=300&topic=' + encodeURIComponent(topic));
      for (const m of recent.reverse()) plot(EB.apiPayloadText(m), new Date(m.receivedAt).getTime());
    } catch {
      // Live values still come.
    }
    EB.history.showTopic(topic);
  }

  async function loadRetained() {
    try {
      const { body: retained } = await EB.fetchJson('/api/retained');
      for (const m of retained) tree.update(m.topic, EB.apiPayloadText(m), true, false);
      if (selectedTopic) tree.select(selectedTopic);
    } catch {
      // The API may be placed on another listener: live messages still work.
    }
  }

  async function loadRecent(filter) {
    try {
      const { body: messages } = await EB.fetchJson('/api/messages?limit=50&topic=' + encodeURIComponent(filter));
      for (const m of messages) addMessageRow(m.topic, EB.apiPayloadText(m), m.qos, m.retain, new Date(m.receivedAt), false);
    } catch {
      // As above.
    }
  }

  const client = mqtt.connect(brokerUrl, {
    clientId: 'dashboard-' + Math.random().toString(16).slice(2, 10),
    protocolVersion: 5,
  });
  const subscription = { qos: 2, rap: true, rh: 2 };
  setStatus('connecting');
  client.on('connect', () => {
    setStatus('connected');
    client.subscribe('#', subscription);
  });
  client.on('reconnect', () => setStatus('reconnecting'));
  client.on('offline', () => setStatus('offline'));
  client.on('error', (error) => setStatus('error: ' + error.message));
  client.on('message', (topic, payload, packet) => {
    const text = EB.payloadText(payload);
    const now = new Date();
    tree.update(topic, text, packet.retain, true);
    if (topic === selectedTopic) {
      document.getElementById('detail-value').textContent = text;
      document.getElementById('detail-flags').textContent = packet.retain ? '(retained)' : '';
      plot(text, now.getTime());
    }
    if (!matches(currentFilter, topic)) return;
    if (paused) {
      missedWhilePaused++;
      pausedNote.textContent = missedWhilePaused + ' message(s) not shown while paused';
      return;
    }
    addMessageRow(topic, text, packet.qos, packet.retain, now, true);
  });

  document.getElementById('filter-form').addEventListener('submit', (event) => {
    event.preventDefault();
    currentFilter = filterInput.value.trim() || '#';
    messagesBody.replaceChildren();
    loadRecent(currentFilter);
  });
  pauseButton.addEventListener('click', () => {
    paused = !paused;
    pauseButton.setAttribute('aria-pressed', String(paused));
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) { missedWhilePaused = 0; pausedNote.textContent = ''; }
  });
  document.getElementById('clear').addEventListener('click', () => messagesBody.replaceChildren());
  document.getElementById('tree-search').addEventListener('input', (event) => tree.setFilter(event.target.value));
  chartField.addEventListener('change', () => { if (selectedTopic) select(selectedTopic, tree.byTopic.get(selectedTopic)); });

  async function pollStats() {
    try {
      const { body: stats } = await EB.fetchJson('/api/stats');
      EB.health.update(stats);
    } catch {
      // Transient: the next poll tries again.
    }
  }

  function pollAll() {
    pollStats();
    EB.clients.poll();
    EB.clients.pollDeliveries();
  }

  loadRetained();
  loadRecent(currentFilter);
  EB.history.start();
  pollAll();
  setInterval(pollAll, PollMilliseconds);
})(window.EB);
