// The till for assistive technology: the canvas is opaque to a screen
// reader, so the interactive widgets of the frame on screen (the automation
// bridge's widgets(), Dear ImGui's own item hooks) are mirrored as visually
// hidden DOM elements in div#a11y, in the till's order (the focus order):
// buttons, checkboxes (aria-checked), text fields, combo boxes
// (aria-expanded), each with the widget's label as its name and
// aria-disabled when it cannot be used. Activating one (a screen reader's
// click, or Enter / Space with the keyboard focus on it) presses the widget
// where it is drawn (mouse events on the canvas at its centre); focusing a
// text field activates it, so what is typed goes into it. A ring drawn over
// the canvas shows where the mirrored focus is (WCAG "focus visible").
// Refreshed 4 times a second, and only while the page is visible.
//
//  [X] roles, names, states (disabled, checked, expanded), focus order
//  [X] activation by click, Enter and Space; text fields by focus
//  [ ] text that is not a widget (totals, messages) beyond the live regions
//      bridge.js fills; sliders and tables as such
(() => {
  'use strict';
  const REFRESH_MS = 250;
  const ROLES = { button: 'button', checkbox: 'checkbox', input: 'textbox', openable: 'combobox' };
  const nodes = new Map();  // widget id -> {el, w}
  let root = null;
  let ring = null;

  function canvas() { return document.getElementById('canvas'); }

  // The widget's centre in page coordinates (rects are relative to the canvas).
  function centre(w) {
    const c = canvas().getBoundingClientRect();
    return { x: c.left + w.rect.x + w.rect.w / 2, y: c.top + w.rect.y + w.rect.h / 2 };
  }

  // A press and release where the widget is drawn, as a mouse would: the
  // platform layer reads these like any other mouse event.
  function press(w) {
    const { x, y } = centre(w);
    const base = { bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, button: 0 };
    const target = canvas();
    target.dispatchEvent(new MouseEvent('mousemove', { ...base, buttons: 0 }));
    target.dispatchEvent(new MouseEvent('mousedown', { ...base, buttons: 1 }));
    target.dispatchEvent(new MouseEvent('mouseup', { ...base, buttons: 0 }));
  }

  function showRing(w) {
    if (!w) { ring.hidden = true; return; }
    const c = canvas().getBoundingClientRect();
    ring.hidden = false;
    ring.style.left = `${c.left + w.rect.x - 3}px`;
    ring.style.top = `${c.top + w.rect.y - 3}px`;
    ring.style.width = `${w.rect.w + 6}px`;
    ring.style.height = `${w.rect.h + 6}px`;
  }

  function element(w) {
    let n = nodes.get(w.id);
    if (n && n.role !== w.role) { n.el.remove(); nodes.delete(w.id); n = null; }
    if (!n) {
      const el = document.createElement(w.role === 'input' ? 'input' : 'button');
      if (w.role === 'input') {
        el.type = 'text';
        el.autocomplete = 'off';
        el.spellcheck = false;
      } else {
        el.type = 'button';
      }
      if (w.role === 'checkbox' || w.role === 'openable') el.setAttribute('role', ROLES[w.role]);
      el.dataset.widget = w.id;
      n = { el, role: w.role, w };
      el.addEventListener('click', (e) => {
        e.preventDefault();
        if (n.w.enabled) press(n.w);
      });
      el.addEventListener('focus', () => {
        showRing(n.w);
        if (n.role === 'input' && n.w.enabled) {
          // The till may take the focus to its text input (#ime): it then
          // carries this field's name.
          const ime = document.getElementById('ime');
          if (ime) ime.setAttribute('aria-label', n.w.label);
          press(n.w);
        }
      });
      el.addEventListener('blur', () => showRing(null));
      nodes.set(w.id, n);
    }
    n.w = w;
    return n;
  }

  function update(n) {
    const { el, w } = n;
    if (el.getAttribute('aria-label') !== w.label) el.setAttribute('aria-label', w.label);
    const disabled = w.enabled ? 'false' : 'true';
    if (el.getAttribute('aria-disabled') !== disabled) el.setAttribute('aria-disabled', disabled);
    if (w.role === 'checkbox') el.setAttribute('aria-checked', w.checked ? 'true' : 'false');
    if (w.role === 'openable') el.setAttribute('aria-expanded', w.open ? 'true' : 'false');
  }

  function refresh() {
    if (document.hidden || !window.salespider) return;
    let list;
    try {
      list = window.salespider.widgets().filter((w) => w.visible && ROLES[w.role] && w.label);
    } catch {
      return;  // the runtime is not up yet, or stopped
    }
    const seen = new Set();
    let before = root.firstChild;
    for (const w of list) {
      if (seen.has(w.id)) continue;
      seen.add(w.id);
      const n = element(w);
      update(n);
      if (n.el !== before) {
        // Moving the focused element would blur it: move the others instead.
        if (n.el === document.activeElement && before) root.insertBefore(before, n.el.nextSibling);
        else root.insertBefore(n.el, before);
      }
      before = n.el.nextSibling;
      if (n.el === document.activeElement) showRing(w);
    }
    for (const [id, n] of nodes) {
      if (!seen.has(id)) {
        n.el.remove();
        nodes.delete(id);
      }
    }
  }

  function start() {
    root = document.createElement('div');
    root.id = 'a11y';
    root.className = 'visually-hidden';
    root.setAttribute('role', 'group');
    root.setAttribute('aria-label', canvas().getAttribute('aria-label') || 'SaleSpider');
    ring = document.createElement('div');
    ring.id = 'a11y-focus';
    ring.hidden = true;
    document.body.append(root, ring);
    // Before the till's own key listeners (registered when the runtime
    // starts, later than this): Enter and Space on a mirrored element press
    // it, Tab moves between them, and the till does not also act on them.
    window.addEventListener('keydown', (e) => {
      if (!root.contains(e.target)) return;
      const n = nodes.get(e.target.dataset.widget);
      if ((e.key === 'Enter' || e.key === ' ') && n && n.role !== 'input') {
        e.preventDefault();
        e.stopImmediatePropagation();
        if (n.w.enabled) press(n.w);
      } else if (e.key === 'Tab') {
        e.stopImmediatePropagation();
      }
    }, true);
    setInterval(refresh, REFRESH_MS);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
