// The customer display (customer.html): listens on the till's
// BroadcastChannel and draws its newest message. Says hello when it opens,
// so the till (bridge.js) sends what it shows now. Text only through
// textContent: the till's product names are data, never markup.
(() => {
  'use strict';
  const CHANNEL = 'salespider-customer-display';
  const $ = (id) => document.getElementById(id);

  function show(d) {
    const root = $('display');
    root.dataset.state = d.state;
    document.documentElement.lang = d.lang || 'en';
    $('store').textContent = d.store || '';
    $('welcome').textContent = d.state === 'idle' ? d.labels.welcome : d.state === 'complete' ? d.labels.thanks : '';
    const body = $('lines').tBodies[0];
    body.replaceChildren(...d.lines.map((l) => {
      const tr = document.createElement('tr');
      for (const [k, v] of [['name', l.name], ['qty', l.qty], ['total', l.total]]) {
        const td = document.createElement('td');
        td.className = k;
        td.textContent = v;
        tr.appendChild(td);
      }
      return tr;
    }));
    // The newest line in view on a long cart.
    if (body.lastElementChild) body.lastElementChild.scrollIntoView({ block: 'nearest' });
    for (const k of ['total', 'paid', 'due', 'change']) {
      $(`label-${k}`).textContent = d.labels[k];
      $(k).textContent = d[k] || '';
      $(`row-${k}`).hidden = !d[k];
    }
  }

  if (typeof BroadcastChannel !== 'function') return;
  const bus = new BroadcastChannel(CHANNEL);
  bus.onmessage = (e) => { if (e.data && e.data.kind === 'show' && e.data.display) show(e.data.display); };
  bus.postMessage({ kind: 'hello' });
  // For tests and the curious: the last message drawn.
  window.customerDisplay = { state: () => $('display').dataset.state };
})();
