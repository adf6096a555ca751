// Connected clients with their subscriptions (/api/clients), the seed's network graph as SVG (clients on the left,
// the topic filters they subscribe to on the right, one line per subscription), and the delivery receipts
// (/api/deliveries: the seed's consumptions).
'use strict';
(function (EB) {
  const svgNs = 'http://www.w3.org/2000/svg';
  const RowHeight = 26;
  const graph = document.getElementById('client-graph');

  function element(name, attributes, text) {
    const node = document.createElementNS(svgNs, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function shorten(text, max) { return text.length > max ? text.slice(0, max - 1) + '…' : text; }

  function drawGraph(clients) {
    const filters = [...new Set(clients.flatMap((c) => c.subscriptions.map((s) => s.topicFilter)))].sort();
    const rows = Math.max(clients.length, filters.length, 1);
    const width = Math.max(320, graph.clientWidth || 600);
    const height = rows * RowHeight + 16;
    graph.setAttribute('viewBox', `0 0 ${width} ${height}`);
    graph.setAttribute('height', String(height));
    graph.replaceChildren();
    const left = 12;
    const right = width - 12;
    const labelChars = Math.max(8, Math.floor(width / 2 / 8) - 4);
    const clientY = (i) => 14 + i * RowHeight + (rows - clients.length) * RowHeight / 2;
    const filterY = (i) => 14 + i * RowHeight + (rows - filters.length) * RowHeight / 2;
    clients.forEach((client, i) => {
      for (const subscription of client.subscriptions) {
        const j = filters.indexOf(subscription.topicFilter);
        graph.append(element('line', { x1: left + 6, y1: clientY(i), x2: right - 6, y2: filterY(j) }));
      }
    });
    clients.forEach((client, i) => {
      graph.append(element('circle', { class: 'client', cx: left + 6, cy: clientY(i), r: 5 }));
      graph.append(element('text', { x: left + 16, y: clientY(i) + 4 }, shorten(client.clientId, labelChars)));
    });
    filters.forEach((filter, j) => {
      graph.append(element('rect', { class: 'filter', x: right - 11, y: filterY(j) - 5, width: 10, height: 10 }));
      graph.append(element('text', { x: right - 16, y: filterY(j) + 4, 'text-anchor': 'end' }, shorten(filter, labelChars)));
    });
    graph.dataset.edges = String(clients.reduce((n, c) => n + c.subscriptions.length, 0));
  }

  function drawTable(clients) {
    const rows = clients.map((c) => {
      const row = document.createElement('tr');
      row.append(EB.cell(c.clientId), EB.cell(c.address), EB.cell(c.protocolVersion), EB.cell(c.transport),
        EB.cell(new Date(c.connectedAt).toLocaleString()),
        EB.cell(c.subscriptions.map((s) => s.topicFilter + ' (QoS ' + s.qos + ')').join(', ')));
      return row;
    });
    document.querySelector('#clients tbody').replaceChildren(...rows);
  }

  EB.clients = {
    async poll() {
      try {
        const { body: clients } = await EB.fetchJson('/api/clients');
        drawTable(clients);
        drawGraph(clients);
      } catch {
        // Transient: the next poll tries again.
      }
    },

    async pollDeliveries() {
      try {
        const { body: deliveries, headers } = await EB.fetchJson('/api/deliveries?limit=50');
        const recorded = headers.get('X-Deliveries-Recorded') === 'true';
        document.getElementById('deliveries-note').textContent = recorded
          ? 'each QoS 1/2 message a subscriber acknowledged, newest first'
          : 'not recorded: set Recorder:RecordDeliveries=true';
        document.querySelector('#deliveries tbody').replaceChildren(...deliveries.map((d) => {
          const row = document.createElement('tr');
          row.append(EB.cell(EB.dateTimeText(new Date(d.acknowledgedAt)), 'time'), EB.cell(d.clientId), EB.cell(d.topic, 'topic'),
            EB.cell(String(d.qos)), EB.cell(d.publisherClientId || ''));
          return row;
        }));
      } catch {
        // Transient.
      }
    },
  };
})(window.EB);
