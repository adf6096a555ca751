// Broker and recorder health from /api/stats: rates, retained (without $SYS), drops on both sides, the recorder's
// formats and files, its queue, last flush and write errors. A recent write error shows as a banner at the top.
'use strict';
(function (EB) {
  const RecentErrorMs = 60000;
  let previous = null;

  function set(id, text) { document.getElementById(id).textContent = text; }
  function rate(now, before, seconds) { return seconds > 0 ? (now - before) / seconds : 0; }
  function mark(id, bad) { document.getElementById(id).closest('.card').classList.toggle('bad', bad); }

  EB.health = {
    update(stats) {
      const at = performance.now();
      const recorder = stats.recorder;
      const m = stats.messages;
      const brokerDrops = m.droppedQueueFull + m.droppedTooLarge + m.droppedMemory + m.refusedMemory;
      set('stat-connections', String(stats.connections.current));
      set('stat-retained', String(stats.retained));
      set('stat-broker-drops', String(brokerDrops));
      set('stat-recorded', String(recorder.recorded));
      set('stat-queue', String(recorder.queueDepth));
      set('stat-dropped', String(recorder.dropped));
      set('stat-write-errors', String(recorder.writeErrors));
      set('stat-last-flush', recorder.lastFlushAt ? EB.agoText(new Date(recorder.lastFlushAt)) : 'never');
      set('recorder-format', recorder.format || 'off');
      set('history-source', recorder.history);
      mark('stat-broker-drops', brokerDrops > 0);
      mark('stat-dropped', recorder.dropped > 0);
      mark('stat-write-errors', recorder.writeErrors > 0);
      const outputs = document.getElementById('recorder-outputs');
      outputs.replaceChildren(...recorder.outputs.map((name) => {
        const li = document.createElement('li');
        li.textContent = name;
        return li;
      }));
      if (previous) {
        const seconds = (at - previous.at) / 1000;
        set('stat-in-rate', rate(m.received, previous.stats.messages.received, seconds).toFixed(1));
        set('stat-out-rate', rate(m.sent, previous.stats.messages.sent, seconds).toFixed(1));
        set('stat-bytes-in-rate', (rate(stats.bytes.received, previous.stats.bytes.received, seconds) / 1000).toFixed(1));
        set('stat-bytes-out-rate', (rate(stats.bytes.sent, previous.stats.bytes.sent, seconds) / 1000).toFixed(1));
      }
      previous = { stats: stats, at: at };

      const alert = document.getElementById('recorder-alert');
      const recent = recorder.lastErrorAt && Date.now() - new Date(recorder.lastErrorAt).getTime() < RecentErrorMs;
      if (recent) {
        alert.textContent = 'Recorder cannot write (' + recorder.writeErrors + ' failed attempts, ' + recorder.dropped
          + ' messages dropped, ' + recorder.queueDepth + ' waiting): ' + recorder.lastError;
      }
      alert.hidden = !recent;
    },
  };
})(window.EB);
