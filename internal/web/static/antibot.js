/* Candor anti-bot (docs/antibot.md). For <form data-candor-antibot="FORM-ID">: fetch a
 * signed time token and proof-of-work challenge, find the nonce with crypto.subtle in
 * small batches, fill the hidden fields, submit. Without it the form still goes, for
 * review. Fetch/JSON senders: data-candor-submit="manual" and
 * candorAntibot.solve(formOrId) → Promise of {candor_time, candor_pow, candor_nonce}. */
(function () {
  'use strict';
  var me = document.currentScript;
  var base = me && me.src ? me.src : location.href;
  var loaded = Date.now();
  var cache = new WeakMap(); // form → {p: Promise, t: ms, ttl: ms}
  var busy = new WeakSet(); // forms waiting for a solution before they submit
  var passing = new WeakSet(); // forms being re-submitted by this script
  var embedded = new WeakMap(); // form → the values a Candor page rendered into it
  var detached = {}; // form id → a form not in the page, for solve("id")
  var names = ['candor_time', 'candor_pow', 'candor_nonce'];

  function field(form, name) {
    var el = form.querySelector('input[name="' + name + '"]');
    if (!el) {
      el = document.createElement('input');
      el.type = 'hidden';
      el.name = name;
      form.appendChild(el);
    }
    return el;
  }

  function fetchChallenge(form) {
    var url = new URL(form.getAttribute('data-candor-challenge') || '/antibot/challenge', base);
    url.searchParams.set('form', form.getAttribute('data-candor-antibot'));
    return fetch(url.href, { credentials: 'omit', cache: 'no-store' }).then(function (r) {
      if (!r.ok) throw new Error('candor antibot: challenge HTTP ' + r.status);
      return r.json();
    }).catch(function (err) { // offline or blocked: fall back to values the page carried
      var e = embedded.get(form);
      embedded.delete(form);
      if (!e) throw err;
      return { time: e[0], pow: e[1], min_wait_ms: 2000, expires_in_ms: 36e5, at: loaded };
    });
  }

  // The first d bits of the digest b are zero.
  function zeros(b, d) {
    var i = 0;
    for (; d >= 8; d -= 8) if (b[i++]) return false;
    return !d || b[i] >> (8 - d) === 0;
  }

  // Resolves with the smallest decimal n such that SHA-256(challenge ":" n) starts with
  // the challenge's difficulty in zero bits (byte 10 of the decoded challenge).
  function solve(ch) {
    var d = atob(ch.slice(0, 16).replace(/-/g, '+').replace(/_/g, '/')).charCodeAt(10);
    if (!(d >= 1 && d <= 32)) return Promise.reject(new Error('candor antibot: bad challenge'));
    var enc = new TextEncoder(), n = 0, batch = 256;
    return new Promise(function (resolve, reject) {
      (function round() {
        var start = n, jobs = [];
        for (var i = 0; i < batch; i++) jobs.push(crypto.subtle.digest('SHA-256', enc.encode(ch + ':' + (start + i))));
        n += batch;
        Promise.all(jobs).then(function (sums) {
          for (var i = 0; i < sums.length; i++) if (zeros(new Uint8Array(sums[i]), d)) return resolve(String(start + i));
          round(); // each digest resolves in its own task: input and rendering go on between
        }, reject);
      })();
    });
  }

  function start(form) {
    var s = { t: Date.now(), ttl: 36e5 };
    s.p = fetchChallenge(form).then(function (c) {
      var t0 = c.at || Date.now();
      s.ttl = c.expires_in_ms || s.ttl;
      return solve(c.pow).then(function (nonce) {
        var v = { candor_time: c.time, candor_pow: c.pow, candor_nonce: nonce };
        names.forEach(function (k) { field(form, k).value = v[k]; });
        var wait = t0 + (c.min_wait_ms || 0) + 100 - Date.now(); // not sooner than the time trap allows
        return new Promise(function (r) { setTimeout(r, wait > 0 ? wait : 0, v); });
      });
    });
    s.p.catch(function () { if (cache.get(form) === s) cache.delete(form); });
    cache.set(form, s);
    return s;
  }

  // Starts solving early (on the first interaction) so a submit rarely waits.
  function warm(form) {
    var s = cache.get(form);
    if (!s || Date.now() - s.t > s.ttl - 6e4) start(form);
  }

  // Values for one submission: the warmed ones, or fresh ones.
  function take(form) {
    warm(form);
    var s = cache.get(form);
    cache.delete(form);
    form.setAttribute('data-candor-state', 'solving');
    return s.p.then(function (v) {
      form.setAttribute('data-candor-state', 'ready');
      return v;
    }, function (err) {
      form.setAttribute('data-candor-state', 'failed');
      names.forEach(function (k) { field(form, k).value = ''; }); // no stale values: "needs review"
      throw err;
    });
  }

  function onSubmit(ev) {
    var form = ev.target;
    if (passing.has(form) || form.getAttribute('data-candor-submit') === 'manual') return;
    ev.preventDefault();
    if (busy.has(form)) return; // a second click while solving
    busy.add(form);
    var by = ev.submitter && ev.submitter.form === form ? ev.submitter : null;
    take(form).catch(function () {}).then(function () { // failed: send as it is (needs review)
      setTimeout(resubmit, 0); // a task of its own: requestSubmit() is ignored while the click's submit event is still being dispatched
    });
    function resubmit() {
      busy.delete(form);
      passing.add(form);
      try {
        if (form.requestSubmit) by ? form.requestSubmit(by) : form.requestSubmit();
        else form.submit();
      } finally {
        passing.delete(form);
      }
    }
  }

  function setup(form) {
    if (form.hasAttribute('data-candor-ready')) return;
    form.setAttribute('data-candor-ready', '');
    var e = names.slice(0, 2).map(function (k) { var el = form.querySelector('input[name="' + k + '"]'); return el && el.value; });
    if (e[0] && e[1]) embedded.set(form, e);
    ['focusin', 'pointerdown'].forEach(function (t) { form.addEventListener(t, function () { warm(form); }); });
    form.addEventListener('submit', onSubmit);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('form[data-candor-antibot]'), setup);
  }

  window.candorAntibot = {
    solve: function (form) {
      if (typeof form === 'string') {
        if (!detached[form]) {
          detached[form] = document.createElement('form');
          detached[form].setAttribute('data-candor-antibot', form);
        }
        form = detached[form];
      }
      return take(form);
    },
    scan: init // for forms added to the page later
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
