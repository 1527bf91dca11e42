//! The crew's page as an installable web app that works without a signal: the manifest, the
//! service worker (`/crew-sw.js`, scope `/driver`) and the page script (`/assets/crew.js`).
//!
//! The service worker answers `/driver` pages from the network and keeps each answer; when
//! the network fails it answers from what it kept (the itinerary, bookings and the map,
//! which is drawn inline). The page script records taps as entries in the device's
//! `localStorage` queue and sends the queue to `POST /api/driver/records` whenever it can
//! (on load, when the signal returns, every 15 s, on the send button). Each entry carries
//! an id made on the device, so sending twice stores once. Signing out clears the caches,
//! the queue and the worker (`Clear-Site-Data`); the script asks first when entries are
//! still unsent.

use axum::http::header;
use axum::response::IntoResponse;

/// The version of what the worker keeps: a new version drops the old caches.
const CACHE: &str = "junkai-crew-v1";

/// `/crew-sw.js`
pub const WORKER: &str = r#"var CACHE = '__CACHE__';
var ASSETS = ['/assets/style.css', '/assets/page.js', '/assets/crew.js', '/assets/crew-icon.svg'];
self.addEventListener('install', function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(ASSETS); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener('activate', function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});
function keep(request, response) {
  if (response.ok && !response.redirected && response.type === 'basic') {
    var copy = response.clone();
    caches.open(CACHE).then(function (c) { c.put(request, copy); });
  }
  return response;
}
function kept(request) {
  return caches.open(CACHE).then(function (c) {
    return c.match(request).then(function (r) { return r || c.match('/driver'); });
  }).then(function (r) { return r || Response.error(); });
}
// The page tells the worker when the device has no signal: then kept answers come at once
// instead of after the network's time-out. A weak signal gets WAIT_MS before kept answers.
var offline = false, WAIT_MS = 6000;
self.addEventListener('message', function (e) { if (e.data && 'offline' in e.data) { offline = !!e.data.offline; } });
function network(request) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(reject, WAIT_MS);
    fetch(request).then(function (r) { clearTimeout(timer); resolve(r); }, function (x) { clearTimeout(timer); reject(x); });
  });
}
self.addEventListener('fetch', function (e) {
  var url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== self.location.origin) { return; }
  if (url.pathname === '/driver' || ASSETS.indexOf(url.pathname) >= 0) {
    var fresh = function () { return network(e.request).then(function (r) { return keep(e.request, r); }); };
    e.respondWith(offline
      ? kept(e.request).then(function (r) { return r.type === 'error' ? fetch(e.request) : r; })
      : fresh().catch(function () { return kept(e.request); }));
  }
});
"#;

/// `/assets/crew.js`: recording, the queue and its sync (see the module's documentation).
pub const SCRIPT: &str = r#"(function () {
  var QUEUE = 'junkai-crew-queue', SENT = 'junkai-crew-sent', REFUSED = 'junkai-crew-refused';
  function load(k) { try { return JSON.parse(localStorage.getItem(k) || '[]'); } catch (e) { return []; } }
  function save(k, v) { localStorage.setItem(k, JSON.stringify(v)); }
  document.querySelectorAll('form[action="/logout"]').forEach(function (f) {
    f.addEventListener('submit', function (e) {
      var n = load(QUEUE).length;
      if (n && !window.confirm((f.dataset.unsent || '').replace('{n}', n))) { e.preventDefault(); }
    });
  });
  var app = document.getElementById('crew');
  if (!app) { return; }
  var date = app.dataset.date, unit = app.dataset.unit, status = document.getElementById('sync-status');
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/crew-sw.js', { scope: '/driver' }).catch(function () {});
  }
  // The coming days are fetched for the phone at most every 30 minutes (each is an audited read).
  var keptAt = +(localStorage.getItem('junkai-crew-kept-at') || 0);
  if (window.caches && navigator.onLine && Date.now() - keptAt > 18e5) {
    localStorage.setItem('junkai-crew-kept-at', String(Date.now()));
    var days = (app.dataset.keep || '').split(' ').filter(Boolean);
    caches.open('__CACHE__').then(function (c) {
      days.forEach(function (u) { fetch(u, { credentials: 'same-origin' }).then(function (r) { if (r.ok && !r.redirected) { c.put(u, r); } }); });
    });
  }
  function two(n) { return (n < 10 ? '0' : '') + n; }
  var now = new Date(), today = now.getFullYear() + '-' + two(now.getMonth() + 1) + '-' + two(now.getDate());
  var notToday = document.getElementById('not-today');
  if (notToday && date !== today) { notToday.hidden = false; }
  // Kept days before today leave the phone (they hold residents' names).
  if (window.caches) {
    caches.open('__CACHE__').then(function (c) {
      c.keys().then(function (keys) {
        keys.forEach(function (k) { var m = /[?&]date=(\d{4}-\d{2}-\d{2})/.exec(k.url); if (m && m[1] < today) { c.delete(k); } });
      });
    });
  }
  function hhmm(d) { return two(d.getHours()) + ':' + two(d.getMinutes()); }
  function stamp(d) {
    var off = -d.getTimezoneOffset(), sign = off >= 0 ? '+' : '-', a = Math.abs(off), ms = d.getMilliseconds();
    return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + 'T' + hhmm(d) + ':' + two(d.getSeconds()) +
      '.' + (ms < 100 ? '0' : '') + two(ms) + sign + two(Math.floor(a / 60)) + ':' + two(a % 60);
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 12);
  }
  function show(message) {
    var n = load(QUEUE).length;
    // Without a signal the plain count also says why nothing is sent (a tap while a failing
    // send is still under way must not hide it).
    var waiting = app.dataset.pending.replace('{n}', n) + (navigator.onLine ? '' : ' ' + app.dataset.offline);
    status.textContent = message || (n ? waiting : app.dataset.allSent);
    status.dataset.unsent = n;
    var refusedList = document.getElementById('refused-entries'), kept = load(REFUSED);
    if (refusedList) {
      refusedList.hidden = !kept.length;
      refusedList.textContent = kept.length ? app.dataset.refused.replace('{n}', kept.length) + ' ' +
        kept.map(function (e) { return e.date + ' #' + e.stop_order + ' ' + e.value + ': ' + e.refusal; }).join(' / ') : '';
    }
  }
  // Shows an entry unless the slot already shows a later one (the server's, or another tap).
  function display(e) {
    var sel = '[data-order="' + e.stop_order + '"]';
    var slot = app.querySelector('[data-slot="' + e.field + '/' + e.stop_order + '/' + e.request_id + '"]');
    if (slot) {
      if (slot.dataset.at && new Date(slot.dataset.at) > new Date(e.recorded_at)) { return; }
      slot.dataset.at = e.recorded_at;
    }
    if (e.field === 'outcome') {
      app.querySelectorAll('[data-request="' + e.request_id + '"][data-outcome]' + sel).forEach(function (b) {
        b.setAttribute('aria-pressed', b.dataset.outcome === e.value ? 'true' : 'false');
      });
      var note = app.querySelector('[data-note-for="' + e.request_id + '"]' + sel);
      if (note && e.note) { note.value = e.note; }
    } else {
      var input = app.querySelector('input[data-field="' + e.field + '"]' + sel);
      if (input) { input.value = e.value; }
    }
  }
  function add(field, order, request, value, note, stop) {
    var e = { client_id: newId(), date: date, unit_id: unit, stop_order: +order, stop_id: stop || null, field: field, request_id: request || '',
              value: String(value), note: note || '', recorded_at: stamp(new Date()) };
    var q = load(QUEUE); q.push(e); save(QUEUE, q);
    display(e); show(); sync();
  }
  var busy = false;
  function sync() {
    var q = load(QUEUE);
    if (busy || !q.length) { show(); return; }
    busy = true;
    var batch = q.slice(0, 200);
    fetch('/api/driver/records', { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': app.dataset.csrf }, body: JSON.stringify({ entries: batch }) })
      .then(function (r) { if (!r.ok) { throw r.status; } return r.json(); })
      .then(function (answer) {
        var got = {}, refused = [];
        answer.results.forEach(function (x) { got[x.client_id] = x; if (x.status === 'refused') { refused.push(x.message); } });
        save(QUEUE, load(QUEUE).filter(function (e) { return !got[e.client_id]; }));
        var cutoff = stamp(new Date(Date.now() - 14 * 864e5)).slice(0, 10);
        var gone = batch.filter(function (e) { return got[e.client_id]; });
        var sent = gone.filter(function (e) { return got[e.client_id].status !== 'refused'; })
          .map(function (e) { var copy = Object.assign({}, e); copy.note = ''; return copy; });
        save(SENT, load(SENT).filter(function (e) { return e.date >= cutoff; }).concat(sent));
        // Refused entries stay on the phone, listed, so that nothing recorded is lost unseen.
        save(REFUSED, load(REFUSED).concat(gone.filter(function (e) { return got[e.client_id].status === 'refused'; })
          .map(function (e) { e.refusal = got[e.client_id].message; return e; })));
        busy = false;
        if (refused.length) { show(app.dataset.refused.replace('{n}', refused.length) + ' ' + refused[0]); return; }
        if (load(QUEUE).length) { sync(); } else { show(); }
      }, function (why) {
        busy = false;
        show(app.dataset.pending.replace('{n}', load(QUEUE).length) + ' ' + (why === 401 || why === 403 ? app.dataset.signIn : app.dataset.offline));
      });
  }
  load(SENT).concat(load(QUEUE)).filter(function (e) { return e.date === date && e.unit_id === unit; })
    .sort(function (a, b) { return new Date(a.recorded_at) - new Date(b.recorded_at); }).forEach(display);
  app.addEventListener('click', function (ev) {
    var b = ev.target.closest('button');
    if (!b) { return; }
    var order = b.dataset.order;
    if (b.dataset.now) {
      add(b.dataset.now, order, '', hhmm(new Date()), '', b.dataset.stop);
    } else if (b.dataset.outcome) {
      var note = app.querySelector('[data-note-for="' + b.dataset.request + '"][data-order="' + order + '"]');
      add('outcome', order, b.dataset.request, b.dataset.outcome, note ? note.value : '', b.dataset.stop);
    } else if (b.dataset.save) {
      var input = app.querySelector('input[data-field="' + b.dataset.save + '"][data-order="' + order + '"]');
      if (input && input.value !== '') { add(b.dataset.save, order, '', input.value, '', b.dataset.stop); }
    } else if (b.id === 'sync-now') {
      sync();
    }
  });
  app.addEventListener('change', function (ev) {
    var i = ev.target;
    if (i.type === 'time' && i.value) { add(i.dataset.field, i.dataset.order, '', i.value, '', i.dataset.stop); }
  });
  function tellWorker() {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ offline: !navigator.onLine });
    }
  }
  tellWorker();
  window.addEventListener('online', function () { tellWorker(); sync(); });
  window.addEventListener('offline', function () {
    tellWorker();
    show();
  });
  setInterval(sync, 15000);
  sync();
})();
"#;

/// The app icon: the route's numbered marker.
const ICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" rx="18" fill="#1f5f3f"/><circle cx="48" cy="44" r="24" fill="#fff"/><text x="48" y="53" font-size="26" text-anchor="middle" fill="#1f5f3f" font-family="sans-serif" font-weight="bold">巡</text></svg>"##;

fn javascript(body: String) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], body)
}

/// `/crew-sw.js`
pub async fn worker() -> impl IntoResponse {
    javascript(WORKER.replace("__CACHE__", CACHE))
}

/// `/assets/crew.js`
pub async fn script() -> impl IntoResponse {
    javascript(SCRIPT.replace("__CACHE__", CACHE))
}

/// `/assets/crew-icon.svg`
pub async fn icon() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], ICON)
}

/// `/crew.webmanifest`: installable from the crew's page, opening on it.
pub async fn manifest() -> impl IntoResponse {
    let body = serde_json::json!({
        "name": "巡回 運行表",
        "short_name": "運行表",
        "lang": "ja",
        "start_url": "/driver",
        "scope": "/driver",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f5f3f",
        "icons": [{ "src": "/assets/crew-icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any" }]
    });
    ([(header::CONTENT_TYPE, "application/manifest+json; charset=utf-8")], body.to_string())
}
