// Package browser holds Candor's end-to-end browser tests: the real server, started as
// `candor serve --demo` starts it, driven by headless Chromium through chromedp.
//
// Invariants every page is held to: no console error or warning, no Content Security
// Policy violation, no failed or error-status request, and no request to any host but
// the server's own loopback address.
//
// Chromium is found at CANDOR_CHROMIUM, /usr/bin/chromium or on PATH. Without it the
// tests skip, unless CI or CANDOR_REQUIRE_BROWSER=1 is set: then they fail. Set
// CANDOR_SCREENSHOTS to a directory to keep full-page screenshots (light, dark and
// mobile) of every admin page the flow visits.
package browser
