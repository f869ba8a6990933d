package browsertest

import (
	"flag"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// Timed pages and other work do not mix. `go test ./...` runs two test
// binaries at once on a 2-core machine, and a Lighthouse run beside
// another package's site builds (encoding AVIF and WebP) or browser
// measured a benchmark index half its quiet one and scored a page 94
// instead of 99. So the test binaries share one lock file: a binary whose
// tests load the machine (site builds, browsers) holds it shared for its
// whole run (Busy), and a binary that times pages holds it alone for its
// whole run (Timed). Both take it in TestMain, before m.Run, so the wait
// for the other binaries is not counted against the test timeout.
// Chromium fails a test whose binary holds neither.

// lockPath is the file the test binaries of every package lock.
func lockPath() string { return filepath.Join(os.TempDir(), "dateline-browser-tests.lock") }

// held is set once the binary runs its tests under Busy or Timed.
var held atomic.Bool

// Busy runs the tests of a binary that loads the machine (site builds
// that encode photos, browsers) holding the lock shared, so that no timed
// run (Timed) measures pages beside it, and returns m.Run's exit code:
//
//	func TestMain(m *testing.M) { os.Exit(browsertest.Busy(m)) }
func Busy(m *testing.M) int {
	if unlock := lockFile(lockPath(), false); unlock != nil {
		defer unlock()
	}
	held.Store(true)
	return m.Run()
}

// Timed runs the tests of a binary that times pages holding the lock
// alone: it waits until no browser test and no Busy binary of another
// package runs, and keeps them from starting until its tests end. With
// -short (where the timed tests skip) it takes no lock.
func Timed(m *testing.M) int {
	flag.Parse()
	if !testing.Short() {
		if unlock := lockFile(lockPath(), true); unlock != nil {
			defer unlock()
		}
	}
	held.Store(true)
	return m.Run()
}
