// Live dashboard: messages arrive over MQTT-over-WebSocket (subscribed to the topic filter), clients and rates come
// from polling /api/clients and /api/stats. Every value from the network is written with textContent, never as
// markup: a payload like <img src=x onerror=alert(1)> shows as those characters.
'use strict';
(function () {
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
  const clientsBody = document.querySelector('#clients tbody');

  let currentFilter = params.get('filter') || '#';
  let paused = false;
  let missedWhilePaused = 0;
  filterInput.value = currentFilter;

  function setStatus(state) {
    statusElement.textContent = state;
    statusElement.dataset.state = state;
  }

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }

  function timeText(date) {
    return date.toLocaleTimeString(undefined, { hour12: false }) + '.' + String(date.getMilliseconds()).padStart(3, '0');
  }

  function addMessageRow(topic, payloadText, qos, retain, receivedAt, prepend) {
    const row = document.createElement('tr');
    row.className = 'message';
    row.append(cell(timeText(receivedAt), 'time'), cell(topic, 'topic'), cell(String(qos), 'qos'),
      cell(retain ? 'yes' : '', 'retain'), cell(payloadText, 'payload'));
    if (prepend) messagesBody.prepend(row); else messagesBody.append(row);
    while (messagesBody.rows.length > MaxRows) messagesBody.lastElementChild.remove();
  }

  // Bytes that are not valid UTF-8 are shown as hex, so binary payloads stay readable and unambiguous.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  function payloadText(bytes) {
    try {
      return decoder.decode(bytes);
    } catch {
      return '0x' + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
    }
  }

  async function loadRecent(filter) {
    try {
      const response = await fetch('/api/messages?limit=50&topic=' + encodeURIComponent(filter));
      if (!response.ok) return;
      const messages = await response.json(); // newest first
      for (const m of messages) {
        const text = m.encoding === 'base64'
          ? '0x' + Array.from(atob(m.payload), c => c.charCodeAt(0).toString(16).padStart(2, '0')).join('')
          : m.payload;
        addMessageRow(m.topic, text, m.qos, m.retain, new Date(m.receivedAt), false);
      }
    } catch {
      // The API may be placed on another listener: live messages still work.
    }
  }

  const client = mqtt.connect(brokerUrl, { clientId: 'dashboard-' + Math.random().toString(16).slice(2, 10) });
  setStatus('connecting');
  client.on('connect', () => {
    setStatus('connected');
    client.subscribe(currentFilter);
  });
  client.on('reconnect', () => setStatus('reconnecting'));
  client.on('offline', () => setStatus('offline'));
  client.on('error', (error) => setStatus('error: ' + error.message));
  client.on('message', (topic, payload, packet) => {
    if (paused) {
      missedWhilePaused++;
      pausedNote.textContent = missedWhilePaused + ' message(s) not shown while paused';
      return;
    }
    addMessageRow(topic, payloadText(payload), packet.qos, packet.retain, new Date(), true);
  });

  document.getElementById('filter-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const next = filterInput.value.trim() || '#';
    if (next === currentFilter) return;
    client.unsubscribe(currentFilter);
    currentFilter = next;
    messagesBody.replaceChildren();
    client.subscribe(currentFilter, (error) => { if (error) setStatus('subscribe failed: ' + error.message); });
    loadRecent(currentFilter);
  });

  pauseButton.addEventListener('click', () => {
    paused = !paused;
    pauseButton.setAttribute('aria-pressed', String(paused));
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) { missedWhilePaused = 0; pausedNote.textContent = ''; }
  });

  document.getElementById('clear').addEventListener('click', () => messagesBody.replaceChildren());

  let previous = null;
  function setStat(id, value) { document.getElementById(id).textContent = value; }
  function rate(now, before, seconds) { return seconds > 0 ? ((now - before) / seconds) : 0; }

  async function pollStats() {
    try {
      const response = await fetch('/api/stats');
      if (!response.ok) return;
      const stats = await response.json();
      const at = performance.now();
      setStat('stat-connections', String(stats.connections.current));
      setStat('stat-retained', String(stats.retained));
      setStat('stat-recorded', String(stats.recorder.recorded));
      setStat('stat-queue', String(stats.recorder.queueDepth));
      setStat('stat-dropped', String(stats.recorder.dropped));
      if (previous) {
        const seconds = (at - previous.at) / 1000;
        setStat('stat-in-rate', rate(stats.messages.received, previous.stats.messages.received, seconds).toFixed(1));
        setStat('stat-out-rate', rate(stats.messages.sent, previous.stats.messages.sent, seconds).toFixed(1));
        setStat('stat-bytes-in-rate', (rate(stats.bytes.received, previous.stats.bytes.received, seconds) / 1000).toFixed(1));
        setStat('stat-bytes-out-rate', (rate(stats.bytes.sent, previous.stats.bytes.sent, seconds) / 1000).toFixed(1));
      }
      previous = { stats: stats, at: at };
    } catch {
      // Transient: the next poll tries again.
    }
  }

  async function pollClients() {
    try {
      const response = await fetch('/api/clients');
      if (!response.ok) return;
      const clients = await response.json();
      const rows = clients.map(c => {
        const row = document.createElement('tr');
        row.append(cell(c.clientId), cell(c.address), cell(c.protocolVersion), cell(c.transport),
          cell(new Date(c.connectedAt).toLocaleString()),
          cell(c.subscriptions.map(s => s.topicFilter + ' (QoS ' + s.qos + ')').join(', ')));
        return row;
      });
      clientsBody.replaceChildren(...rows);
    } catch {
      // Transient: the next poll tries again.
    }
  }

  loadRecent(currentFilter);
  pollStats();
  pollClients();
  setInterval(pollStats, PollMilliseconds);
  setInterval(pollClients, PollMilliseconds);
})();
