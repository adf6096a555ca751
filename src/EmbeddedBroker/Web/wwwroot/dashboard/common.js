// Helpers the dashboard's scripts share (window.EB). Every value from the network is written with textContent, never
// as markup: a payload like <img src=x onerror=alert(1)> shows as those characters.
'use strict';
window.EB = window.EB || {};
(function (EB) {
  EB.cell = function (text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    return td;
  };

  EB.timeText = function (date) {
    return date.toLocaleTimeString(undefined, { hour12: false }) + '.' + String(date.getMilliseconds()).padStart(3, '0');
  };

  EB.dateTimeText = function (date) {
    return date.toLocaleDateString() + ' ' + EB.timeText(date);
  };

  EB.agoText = function (date) {
    const seconds = Math.max(0, (Date.now() - date.getTime()) / 1000);
    if (seconds < 60) return seconds.toFixed(1) + ' s ago';
    if (seconds < 3600) return Math.round(seconds / 60) + ' min ago';
    return Math.round(seconds / 3600) + ' h ago';
  };

  // Bytes that are not valid UTF-8 are shown as hex, so binary payloads stay readable and unambiguous.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  EB.hex = function (bytes) {
    return '0x' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  };

  EB.payloadText = function (bytes) {
    try {
      return decoder.decode(bytes);
    } catch {
      return EB.hex(bytes);
    }
  };

  // A payload as the API gives it: text, or base64 of bytes that are not text.
  EB.apiPayloadText = function (message) {
    if (message.encoding !== 'base64') return message.payload;
    return EB.hex(Uint8Array.from(atob(message.payload), (c) => c.charCodeAt(0)));
  };

  EB.fetchJson = async function (url) {
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
    return { body: await response.json(), headers: response.headers };
  };

  // A number from a payload: the whole payload ("21.5"), or a field of a JSON payload ("value", "data.temp", "list.0").
  EB.numberFrom = function (text, field) {
    let value;
    if (!field) {
      value = text.trim() === '' ? NaN : Number(text);
    } else {
      try {
        value = field.split('.').reduce((node, key) => (node == null ? undefined : node[key]), JSON.parse(text));
      } catch {
        return null;
      }
      value = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    }
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };

  // Runs fn at most once per `ms`, the last call winning: for renders fed by a flood of messages.
  EB.throttle = function (fn, ms) {
    let timer = null;
    return function () {
      if (timer) return;
      timer = setTimeout(() => { timer = null; fn(); }, ms);
    };
  };
})(window.EB);
