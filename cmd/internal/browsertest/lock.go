package browsertest

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// Timed pages and other browsers do not mix: a Lighthouse run on a
// 2-core machine scores a page 80 instead of 99 while another package's
// browser test draws pages beside it. Every browser test, in whatever
// test binary, holds a shared lock on one file while it runs (Chromium
// takes it), and a timed run holds it alone (Alone).

// lockPath is the file the browser tests of every package lock.
func lockPath() string { return filepath.Join(os.TempDir(), "dateline-browser-tests.lock") }

// alone is set in a test binary that takes the lock alone; its own
// browser tests then take no shared lock (they would wait for themselves).
var alone atomic.Bool

// share holds the lock shared until t ends.
func share(t testing.TB) {
	if alone.Load() {
		return
	}
	if unlock := lockFile(lockPath(), false); unlock != nil {
		t.Cleanup(unlock)
	}
}

// Timing marks the calling test binary as one that times pages: its
// browser tests take no shared lock, and each timed run takes the lock
// alone (Alone). Call it before Chromium.
func Timing() { alone.Store(true) }

// Alone waits until no browser test of another package is running, and
// keeps them from starting until the returned function is called: for a
// timed run, such as one Lighthouse run, in a binary that called Timing.
func Alone() (release func()) {
	if unlock := lockFile(lockPath(), true); unlock != nil {
		return unlock
	}
	return func() {}
}
