package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"dateline/cmd/internal/publish"
)

// setFault sets publish.FaultHook in a child dateline (TestMain) from
// DATELINE_TEST_FAULT:
//
//	kill:N   the process kills itself (SIGKILL) before its Nth change on disk
//	fail:N   the Nth change fails (an I/O error)
//	log:PATH each change is appended to the file PATH, one line each
func setFault(spec string) {
	mode, arg, ok := strings.Cut(spec, ":")
	if !ok {
		return
	}
	var n atomic.Int64
	switch mode {
	case "kill", "fail":
		at, err := strconv.ParseInt(arg, 10, 64)
		if err != nil {
			panic("DATELINE_TEST_FAULT: " + spec)
		}
		publish.FaultHook = func(op, path string) error {
			if n.Add(1) != at {
				return nil
			}
			if mode == "fail" {
				return fmt.Errorf("%s %s: injected I/O error", op, path)
			}
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				p.Kill() // SIGKILL
			}
			select {} // the signal is on its way
		}
	case "log":
		f, err := os.OpenFile(arg, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			panic(err)
		}
		var mu sync.Mutex
		publish.FaultHook = func(op, path string) error {
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(f, "%d %s %s\n", n.Add(1), op, path)
			return nil
		}
	}
}

// crashSite returns the test site after an edit that exercises every kind
// of change a build makes to its output: a page rewritten (alpha's en), a
// page kept (alpha's zh), a photo replaced (a new hashed name, the old one
// removed), a report pulled (beta: its folders go) and one added (gamma).
func crashSite(t *testing.T) map[string][]byte {
	files := testSite(t)
	files["content/alpha/en.md"] = append(files["content/alpha/en.md"], "\nA paragraph added after the first build.\n"...)
	files["content/alpha/photos/hall.png"] = pngPhoto(t, 48, 32, 9)
	delete(files, "content/beta/zh.md")
	files["content/gamma/zh.md"] = []byte("---\ntitle: 新的报道\ndate: 2025-07-01\n---\n\n新的一篇。\n")
	return files
}

// crashSetup makes a site in a fresh folder, built twice (so that a kept
// output, the build cache and the photo cache exist, and the next build
// carries unchanged files over), then edited; it returns the site folder
// and the output's state.
func crashSetup(t *testing.T) (string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	writeSite(t, dir, testSite(t))
	for range 2 {
		if code, _, stderr := dateline(t, "build", "-s", dir); code != 0 {
			t.Fatalf("build: exit %d: %s", code, stderr)
		}
	}
	if err := os.RemoveAll(filepath.Join(dir, "content", "beta")); err != nil {
		t.Fatal(err)
	}
	writeSite(t, dir, crashSite(t))
	return dir, treeState(t, filepath.Join(dir, "public"))
}

// TestCrashConsistency stops a build of an edited site at its Nth change on
// disk, for N over the build's changes: killed there (SIGKILL), or that
// change failing. Each time the output folder must be exactly the old
// build or exactly the new one (folders, files, bytes), and the next build
// must equal a clean build, with no leftover file or folder anywhere in the
// site. By default it stops at a dozen points spread over the build;
// DATELINE_CRASH_SWEEP=1 stops at every one (minutes).
func TestCrashConsistency(t *testing.T) {
	// The changes a build makes, and the new output, from an undisturbed run.
	dir, _ := crashSetup(t)
	logFile := filepath.Join(t.TempDir(), "changes.log")
	if code, _, stderr := runChild(t, dir, []string{"DATELINE_TEST_FAULT=log:" + logFile}, "build"); code != 0 {
		t.Fatalf("the build: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	changes := strings.Split(strings.TrimSpace(string(data)), "\n")
	newState := treeState(t, filepath.Join(dir, "public"))
	t.Logf("a build makes %d changes on disk", len(changes))
	if len(changes) < 20 {
		t.Fatalf("only %d changes logged:\n%s", len(changes), data)
	}
	clean := filepath.Join(t.TempDir(), "public")
	t.Setenv("DATELINE_CACHE", t.TempDir())
	if code, _, stderr := dateline(t, "build", "-s", dir, "-o", clean); code != 0 {
		t.Fatalf("clean build: exit %d: %s", code, stderr)
	}
	os.Unsetenv("DATELINE_CACHE")
	sameState(t, "the build of the edited site, against a clean build", newState, treeState(t, clean))

	var points []int
	if os.Getenv("DATELINE_CRASH_SWEEP") == "1" {
		for n := 1; n <= len(changes); n++ {
			points = append(points, n)
		}
	} else {
		steps := 12
		if testing.Short() {
			steps = 4
		}
		for i := range steps {
			points = append(points, 1+i*(len(changes)-1)/(steps-1))
		}
		points = slices.Compact(points)
	}
	for _, mode := range []string{"kill", "fail"} {
		for i, n := range points {
			if mode == "fail" && i%2 == 1 && os.Getenv("DATELINE_CRASH_SWEEP") != "1" {
				continue // failing is the gentler case: half the points
			}
			t.Run(fmt.Sprintf("%s-%d-%s", mode, n, strings.Fields(changes[n-1])[1]), func(t *testing.T) {
				crashAt(t, mode, n, newState)
			})
		}
	}
}

// crashAt stops a build at its nth change (see TestCrashConsistency).
func crashAt(t *testing.T, mode string, n int, newState map[string]string) {
	dir, oldState := crashSetup(t)
	out := filepath.Join(dir, "public")
	code, _, stderr := runChild(t, dir, []string{fmt.Sprintf("DATELINE_TEST_FAULT=%s:%d", mode, n)}, "build")
	got := treeState(t, out)
	isOld, isNew := maps.Equal(got, oldState), maps.Equal(got, newState)
	switch {
	case mode == "kill" && code != -1 && code != 0:
		t.Errorf("killed build: exit %d: %s", code, stderr)
	case mode == "fail" && code == 0 && !isNew:
		t.Errorf("a build with a failed change exited 0, output not the new one: %s", stderr)
	}
	if !isOld && !isNew {
		sameState(t, "output after the stop, against the old output", got, oldState)
		t.Fatalf("the output is neither the old one nor the new one (stderr: %s)", stderr)
	}

	if code, _, stderr := dateline(t, "build", "-s", dir); code != 0 {
		t.Fatalf("the next build: exit %d: %s", code, stderr)
	}
	sameState(t, "the next build, against a clean build", treeState(t, out), newState)
	if found := leftoverNames(t, dir); len(found) > 0 {
		t.Errorf("left over after the next build: %v", found)
	}
	if empty := emptyFolders(t, out); len(empty) > 0 {
		t.Errorf("empty folders in the output: %v", empty)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{".cache", "content", "public"}; !slices.Equal(names, want) {
		t.Errorf("the site folder holds %v; want %v", names, want)
	}
}
