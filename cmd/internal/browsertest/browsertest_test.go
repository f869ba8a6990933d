package browsertest

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// recorder is a testing.TB that notes how Chromium ended it (a real
// test's Fatalf and Skipf do not return; these do).
type recorder struct {
	testing.TB
	failed, skipped bool
	msg             string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) { r.failed, r.msg = true, format }

func (r *recorder) Skipf(format string, args ...any) { r.skipped, r.msg = true, format }

// TestChromium: $CHROME wins over PATH; without a browser the test skips,
// and fails instead under CI=true; a binary without the machine lock
// (no Busy or Timed in its TestMain) fails.
func TestChromium(t *testing.T) {
	withChromium, empty := t.TempDir(), t.TempDir()
	onPath := filepath.Join(withChromium, "chromium")
	own := filepath.Join(empty, "my-chrome")
	for _, p := range []string{onPath, own} {
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, chrome, path, ci string
		want                   string
		failed, skipped        bool
		unlocked               bool
	}{
		{name: "CHROME wins", chrome: own, path: withChromium, want: own},
		{name: "on PATH", path: withChromium, want: onPath},
		{name: "on PATH, CI", path: withChromium, ci: "true", want: onPath},
		{name: "none", path: empty, skipped: true},
		{name: "none, CI", path: empty, ci: "true", failed: true},
		{name: "CHROME wrong", chrome: filepath.Join(empty, "nope"), path: withChromium, skipped: true},
		{name: "CHROME wrong, CI", chrome: filepath.Join(empty, "nope"), path: withChromium, ci: "true", failed: true},
		{name: "no machine lock", path: withChromium, unlocked: true, want: onPath, failed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CHROME", tt.chrome)
			t.Setenv("PATH", tt.path)
			t.Setenv("CI", tt.ci)
			if tt.unlocked {
				held.Store(false)
				defer held.Store(true)
			}
			r := &recorder{TB: t}
			got := Chromium(r)
			if r.failed != tt.failed || r.skipped != tt.skipped {
				t.Errorf("Chromium: failed %v, skipped %v (%q); want failed %v, skipped %v", r.failed, r.skipped, r.msg, tt.failed, tt.skipped)
			}
			if got != tt.want {
				t.Errorf("Chromium = %q; want %q", got, tt.want)
			}
		})
	}
}

// TestLock: a browser test's shared lock keeps a timed run waiting, and
// the timed run starts once the test has ended.
func TestLock(t *testing.T) {
	name := filepath.Join(t.TempDir(), "lock") // not the one other packages' tests hold
	unlock := lockFile(name, false)
	if unlock == nil {
		t.Skip("no flock here")
	}
	got := make(chan struct{})
	go func() {
		release := lockFile(name, true)
		close(got)
		release()
	}()
	select {
	case <-got:
		t.Fatal("the exclusive lock was granted while a shared one was held")
	case <-time.After(300 * time.Millisecond):
	}
	unlock()
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("the exclusive lock was not granted once the shared one was released")
	}
}
