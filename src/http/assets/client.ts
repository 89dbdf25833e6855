/**
 * The dashboard's only script, served as /assets/app.js (the content security policy allows no
 * inline script). It listens to /events and, when an audit entry concerns what the page shows
 * (`<body data-live>`: `week`, `interview:<id>`, `companies`, `accounts`), fetches the page again
 * and swaps its `<main>`, so the view follows the daemon without a full reload. The fetched HTML
 * was escaped by the server like any page; nothing from the event itself is ever inserted. On
 * each (re)connection it refreshes once, since entries written before the stream opened are not
 * replayed.
 *
 * Plain ES2017 in a string: it runs in the browser as written, with no build step.
 */
export const APP_JS = `'use strict';
(function () {
  var body = document.body;
  // Next to this script (assets/app.js), whatever path the dashboard lives under.
  var script = document.currentScript;
  var events = script ? new URL('../events', script.src).href : '/events';
  var live = body.getAttribute('data-live');
  var dot = document.querySelector('.live-dot');
  if (!live || typeof EventSource === 'undefined' || typeof fetch === 'undefined') return;

  function concerns(entry) {
    if (live === 'week') return Boolean(entry.interviewId);
    if (live.indexOf('interview:') === 0) return entry.interviewId === live.slice('interview:'.length);
    if (live === 'companies') return entry.type === 'outcome' || entry.type === 'escalation';
    if (live === 'accounts') return Boolean(entry.accountId) || entry.type === 'account';
    return false;
  }

  var timer = null;
  var busy = false;
  var again = false;

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.text();
      })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, 'text/html').getElementById('main');
        var current = document.getElementById('main');
        if (next && current) {
          current.replaceWith(document.adoptNode(next));
          body.setAttribute('data-refreshed', String(Date.now()));
        }
      })
      .catch(function () {
        // Signed out (a restart) or the daemon stopped: a full load shows the page that says so.
        window.location.reload();
      })
      .then(function () {
        busy = false;
        if (again) { again = false; schedule(); }
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  }

  var source = new EventSource(events);
  source.addEventListener('audit', function (event) {
    var entry;
    try { entry = JSON.parse(event.data); } catch (error) { return; }
    if (entry && concerns(entry)) schedule();
  });
  // Whatever happened between the page's rendering and this (re)connection was not seen: look once.
  source.addEventListener('open', function () {
    if (dot) dot.classList.add('on');
    schedule();
  });
  source.addEventListener('error', function () { if (dot) dot.classList.remove('on'); });
})();
`;
