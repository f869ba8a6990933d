// Package browsertest is the shared setup of Dateline's browser tests
// (through chromedp): the theme's journey navigator and pages, the
// preview's reloads, the live-reload script and the reader tests of
// cmd/dateline. It finds the browser (Chromium), starts it (Browser), serves
// pages on loopback (Serve, ServeDir) and builds sites with the real
// dateline binary (Dateline, Sample, Build).
package browsertest

import (
	"os"
	"os/exec"
	"testing"
)

// Chromium returns the path of the Chromium to test with: $CHROME when it
// is set, else the first of chromium, chromium-browser and google-chrome
// on PATH. The test binary must hold the machine lock (its TestMain calls
// Busy or Timed; see lock.go), or t fails. Without Chromium it skips t,
// saying how to get one; under CI=true it
// fails t instead, since .ci/run installs Chromium and a browser test that
// skips on CI tests nothing.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CHROME"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			missing(t, "$CHROME ("+p+") is not an executable")
			return ""
		}
		return found(t, p)
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return found(t, p)
		}
	}
	missing(t, "no Chromium: none of chromium, chromium-browser, google-chrome is on PATH and $CHROME is not set")
	return ""
}

func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s; CI=true: a browser test must run (.ci/run installs Debian's chromium)", why)
		return
	}
	t.Skipf("%s: skipping the browser test (apt-get install chromium, or set CHROME, to run it)", why)
}

// found fails t when its binary does not hold the machine lock, and
// returns p.
func found(t testing.TB, p string) string {
	if !held.Load() {
		t.Fatalf("a browser test's binary must hold the machine lock: its TestMain calls browsertest.Busy (or Timed)")
	}
	return p
}
