// The publish form: POST /api/publish with a JSON body and its content type (same-origin JSON, what the API's
// cross-site protection lets through), so a message goes through the broker's one pipeline like a client's.
'use strict';
(function (EB) {
  const result = document.getElementById('publish-result');

  document.getElementById('publish-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      topic: document.getElementById('publish-topic').value,
      payload: document.getElementById('publish-payload').value,
      qos: Number(document.getElementById('publish-qos').value),
      retain: document.getElementById('publish-retain').checked,
    };
    result.className = '';
    result.textContent = 'publishing…';
    try {
      const response = await fetch('/api/publish', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = await response.json();
      if (!response.ok) {
        result.className = 'error';
        result.textContent = answer.error || ('HTTP ' + response.status);
        return;
      }
      result.textContent = 'published ' + answer.payloadBytes + ' bytes to ' + answer.topic + ' (QoS ' + answer.qos + (answer.retain ? ', retained' : '') + ')';
    } catch (error) {
      result.className = 'error';
      result.textContent = String(error.message);
    }
  });

  EB.publish = {
    /** Fills the form with a topic (from the topic tree). */
    useTopic(topic) { document.getElementById('publish-topic').value = topic; },
  };
})(window.EB);
