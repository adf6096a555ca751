// The history of a topic filter over a time range, newest first, page by page: GET /api/messages with the cursor the
// previous page gave (X-Next-Cursor); "Newer" goes back through the cursors already used. QoS and retain are as
// published. A payload longer than the preview links to its whole payload.
'use strict';
(function (EB) {
  const body = document.querySelector('#history tbody');
  const newer = document.getElementById('history-newer');
  const older = document.getElementById('history-older');
  const pageLabel = document.getElementById('history-page');
  const countLabel = document.getElementById('history-count');
  const exportLink = document.getElementById('history-export');
  let cursors = [null]; // cursors[i] is the cursor of page i + 1 (null: the newest page)
  let next = null;
  let query = null;

  function isoFrom(input) {
    return input.value ? new Date(input.value).toISOString() : null;
  }

  function read() {
    const params = new URLSearchParams();
    const topic = document.getElementById('history-topic').value.trim() || '#';
    params.set('topic', topic);
    const from = isoFrom(document.getElementById('history-from'));
    const to = isoFrom(document.getElementById('history-to'));
    if (from) params.set('from', from);
    if (to) params.set('to', to);
    params.set('limit', document.getElementById('history-limit').value);
    return params;
  }

  function row(m) {
    const tr = document.createElement('tr');
    const payload = EB.cell(EB.apiPayloadText(m), 'payload');
    if (m.truncated) {
      const more = document.createElement('a');
      more.className = 'more';
      more.href = '/api/messages/' + m.id + '/payload';
      more.textContent = '… ' + m.payloadBytes + ' bytes';
      payload.append(more);
    }
    tr.append(EB.cell(EB.dateTimeText(new Date(m.receivedAt)), 'time'), EB.cell(m.topic, 'topic'), EB.cell(String(m.qos), 'qos'),
      EB.cell(m.retain ? 'retained' : '', 'retain'), EB.cell(m.clientId || '', 'client'), payload);
    return tr;
  }

  async function show(page) {
    const params = new URLSearchParams(query);
    if (cursors[page - 1]) params.set('cursor', cursors[page - 1]);
    try {
      const { body: messages, headers } = await EB.fetchJson('/api/messages?' + params);
      body.replaceChildren(...messages.map(row));
      next = headers.get('X-Next-Cursor');
      cursors.length = page;
      if (next) cursors.push(next);
      pageLabel.textContent = 'page ' + page;
      pageLabel.dataset.page = String(page);
      countLabel.textContent = messages.length + ' messages' + (next ? '' : ' (the oldest)');
      newer.disabled = page === 1;
      older.disabled = !next;
    } catch (error) {
      countLabel.textContent = String(error.message);
    }
  }

  function start() {
    query = read().toString();
    cursors = [null];
    const exportParams = read();
    exportParams.delete('limit');
    exportParams.set('format', 'csv');
    exportLink.href = '/api/messages/export?' + exportParams;
    return show(1);
  }

  document.getElementById('history-form').addEventListener('submit', (event) => {
    event.preventDefault();
    start();
  });
  older.addEventListener('click', () => show(cursors.length));
  newer.addEventListener('click', () => show(Math.max(1, Number(pageLabel.dataset.page) - 1)));

  EB.history = {
    start: start,
    /** Shows the history of one topic (from the topic tree). */
    showTopic(topic) {
      document.getElementById('history-topic').value = topic;
      return start();
    },
  };
})(window.EB);
