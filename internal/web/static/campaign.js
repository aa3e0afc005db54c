// Live progress of a campaign: polls the progress API every 2 seconds and updates the
// bar and the figures in place; when the campaign changes state (finished, paused or
// resumed elsewhere) it reloads, so the buttons match. Without JavaScript the page has a
// Refresh link. Same origin only; no inline script (the CSP forbids it).
(function () {
  "use strict";
  var root = document.querySelector("[data-progress-url]");
  if (!root || !window.fetch) return;
  var url = root.getAttribute("data-progress-url");
  var status = root.getAttribute("data-status");
  var bar = root.querySelector("progress");
  var live = { sending: true, paused: true };
  function show(name, value) {
    var els = root.querySelectorAll('[data-count="' + name + '"]');
    for (var i = 0; i < els.length; i++) els[i].textContent = String(value);
  }
  function tick() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (!r.ok) throw new Error("status " + r.status);
        return r.json();
      })
      .then(function (p) {
        if (p.status !== status) {
          window.location.reload();
          return;
        }
        if (bar) {
          bar.max = Math.max(p.recipients, 1);
          bar.value = p.done;
          bar.textContent = p.percent + "%";
        }
        ["done", "percent", "sent", "queued", "failed", "bounced", "unsubscribed", "dead", "cancelled"].forEach(function (k) {
          show(k, p[k]);
        });
        if (live[p.status]) window.setTimeout(tick, 2000);
      })
      .catch(function () {
        window.setTimeout(tick, 10000); // signed out or offline: try again, slowly
      });
  }
  if (live[status]) window.setTimeout(tick, 2000);
})();
