/* Candor visitor statistics (docs/collect.md). One tag on every page:
 *   <script defer src="https://candor.example/tracker.js" data-site="example.com"></script>
 * Sends a page view (and history-API navigations) to POST /collect with sendBeacon.
 * No cookies, no storage, no fingerprinting: only path, referrer, screen width,
 * language and UTM parameters. Options on the tag: data-respect-dnt (send nothing
 * when the browser asks not to be tracked), data-keep-query="a,b" (query parameters
 * kept in the path), data-outbound-links, data-file-downloads[="pdf,zip"]; and
 * data-candor-event="name" on any element counts its clicks. Custom events:
 *   candor('event', 'download', {…})  (queue them before load with
 *   window.candor=window.candor||function(){(candor.q=candor.q||[]).push(arguments)}) */
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || !me.src) return;
  var w = window, nav = navigator, loc = location, doc = document;
  var attr = function (n) { return me.getAttribute(n); };
  var has = function (n) { return me.hasAttribute(n); };
  var site = attr('data-site') || loc.hostname;
  var url = new URL('/collect', me.src).href;
  var keep = (attr('data-keep-query') || '').split(',').map(function (s) { return s.trim(); }).filter(Boolean);
  var exts = (attr('data-file-downloads') || 'pdf,zip,gz,tgz,dmg,exe,msi,pkg,deb,rpm,apk,appimage,iso,7z,csv,xlsx,docx,mp3,mp4').split(',');
  var off = has('data-respect-dnt') && (nav.globalPrivacyControl === true || nav.doNotTrack === '1' || w.doNotTrack === '1');
  var last = null;

  function send(kind, event, props) {
    if (off) return;
    var q = new URLSearchParams(loc.search), kept = new URLSearchParams();
    keep.forEach(function (k) { if (q.has(k)) kept.set(k, q.get(k)); });
    var ks = kept.toString();
    var body = {
      site: site, kind: kind, path: loc.pathname + (ks ? '?' + ks : ''),
      referrer: doc.referrer, width: screen.width, lang: nav.language
    };
    ['source', 'medium', 'campaign'].forEach(function (k) {
      var v = q.get('utm_' + k);
      if (v) body['utm_' + k] = v;
    });
    if (event) body.event = String(event);
    if (props && typeof props === 'object') {
      var p = {}, n = 0;
      for (var k in props) if (Object.prototype.hasOwnProperty.call(props, k) && n++ < 10) p[k] = String(props[k]);
      body.props = p;
    }
    var data = JSON.stringify(body);
    // A string goes as text/plain: no CORS preflight, and the beacon survives unload.
    if (nav.sendBeacon && nav.sendBeacon(url, data)) return;
    if (w.fetch) fetch(url, { method: 'POST', body: data, keepalive: true, mode: 'no-cors', credentials: 'omit', headers: { 'Content-Type': 'text/plain' } }).catch(function () {});
  }

  function pageview() {
    var here = loc.pathname + loc.search;
    if (here === last) return; // replaceState on the same page, hash changes
    last = here;
    send('pageview');
  }

  function candor(cmd, name, props) {
    if (cmd === 'event' && name) send('event', name, props);
    else if (cmd === 'pageview') { last = null; pageview(); }
  }

  // History-API navigation of single-page sites.
  ['pushState', 'replaceState'].forEach(function (m) {
    var orig = history[m];
    if (!orig) return;
    history[m] = function () {
      var r = orig.apply(this, arguments);
      pageview();
      return r;
    };
  });
  w.addEventListener('popstate', pageview);

  // Clicks: data-candor-event, outbound links and file downloads (opt-in).
  doc.addEventListener('click', function (e) {
    var el = e.target && e.target.closest ? e.target.closest('[data-candor-event],a[href]') : null;
    if (!el) return;
    var ev = el.getAttribute('data-candor-event');
    if (ev) { send('event', ev); return; }
    var a;
    try { a = new URL(el.href, loc.href); } catch (_) { return; }
    if (a.protocol !== 'http:' && a.protocol !== 'https:') return;
    var ext = (a.pathname.split('.').pop() || '').toLowerCase();
    if (has('data-file-downloads') && a.pathname.indexOf('.') >= 0 && exts.indexOf(ext) >= 0) send('event', 'download: ' + a.pathname);
    else if (has('data-outbound-links') && a.host !== loc.host) send('event', 'outbound: ' + a.hostname);
  }, true);

  var queued = (w.candor && w.candor.q) || [];
  w.candor = candor;
  function start() {
    pageview();
    queued.forEach(function (args) { candor.apply(null, args); });
  }
  if (doc.visibilityState === 'prerender') {
    doc.addEventListener('visibilitychange', function once() {
      doc.removeEventListener('visibilitychange', once);
      start();
    });
  } else start();
})();
