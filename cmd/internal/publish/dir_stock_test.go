package publish

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// setTakeStockHook sets takeStockHook for one test.
func setTakeStockHook(t *testing.T, hook func(kept string) error) {
	t.Helper()
	takeStockHook = hook
	t.Cleanup(func() { takeStockHook = nil })
}

// A slow stock-taking of the kept folder holds up the first writes, not
// CreateReusing: the walk must not see (and count as stale) what the build
// writes. Small writes are held in memory meanwhile; a write beyond what
// is held waits.
func TestDirReuseSlowStockTaking(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")
	build(t, out, kept, map[string]string{"index.html": "one", "zh/a/index.html": "a1", "old/index.html": "old"})
	build(t, out, kept, map[string]string{"index.html": "two", "zh/a/index.html": "a2"})

	started, release := make(chan struct{}), make(chan struct{})
	setTakeStockHook(t, func(k string) error {
		close(started)
		<-release
		return nil
	})
	d, err := CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	// CreateReusing has returned while the stock-taking is still held.
	<-started

	// A small write is held, not put into the folder being walked.
	small := []byte("new")
	if err := d.WriteFile("new/index.html", small); err != nil {
		t.Fatal(err)
	}
	copy(small, "XXX") // WriteFile is done with its data
	if _, err := os.Lstat(filepath.Join(kept, "new")); err == nil {
		t.Error("a write reached the kept folder before its stock was taken")
	}
	// One beyond what may be held waits for the stock.
	big := make([]byte, maxHeld)
	wrote := make(chan error, 1)
	go func() { wrote <- d.WriteFile("big.bin", big) }()
	select {
	case err := <-wrote:
		t.Fatalf("WriteFile(big.bin) returned (%v) before the kept folder's stock was taken", err)
	case <-time.After(50 * time.Millisecond): // a chance to misbehave, not a measure
	}
	if _, err := os.Lstat(filepath.Join(kept, "big.bin")); err == nil {
		t.Error("a write reached the kept folder before its stock was taken")
	}
	close(release)
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	if !d.reuse || d.tmp != kept {
		t.Fatalf("the Dir stages in %s (reuse %v); want the kept folder %s", d.tmp, d.reuse, kept)
	}
	fi := mustStat(t, filepath.Join(kept, "new", "index.html"))
	if _, ok := d.Stamp("new/index.html"); ok != (stampOf(fi) != Stamp{}) {
		t.Error("no stamp for a held write")
	}
	for name, data := range map[string]string{"index.html": "three", "zh/a/index.html": "a2"} {
		if err := d.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"index.html": "three", "zh/a/index.html": "a2", "new/index.html": "new", "big.bin": string(big)}
	if got := readTree(t, out); !maps.Equal(got, want) {
		t.Errorf("output = %v; want %v", got, want)
	}
}

func mustStat(t *testing.T, p string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}

// A held write that cannot be put fails the build: the next write and
// Commit report it, and the output stays as it was.
func TestDirReuseHeldWriteFails(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")
	build(t, out, kept, map[string]string{"index.html": "one"})
	release := make(chan struct{})
	setTakeStockHook(t, func(string) error { <-release; return nil })
	d, err := CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 300) + ".css" // too long a name for any file system here
	if err := d.WriteFile(long, []byte("held")); err != nil {
		t.Fatalf("held write: %v", err)
	}
	close(release)
	d.wait() // or the next write is held too
	if err := d.WriteFile("index.html", []byte("two")); err == nil || !strings.Contains(err.Error(), long) {
		t.Errorf("the write after a failed held one: %v; want its error", err)
	}
	if err := d.Commit(); err == nil {
		t.Error("Commit after a failed held write succeeded")
	}
	if got := readTree(t, out); len(got) != 1 || got["index.html"] != "one" {
		t.Errorf("output = %v; want the previous one", got)
	}
	// The kept folder was let go.
	takeStockHook = nil
	build(t, out, kept, map[string]string{"index.html": "three"})
	if got := readTree(t, out); len(got) != 1 || got["index.html"] != "three" {
		t.Errorf("output = %v; want build three's", got)
	}
}

// When taking stock of the kept folder fails, the build stages in a fresh
// folder and its output is complete; the kept folder is let go, so the
// next build reuses it.
func TestDirReuseFailedStockTaking(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")
	build(t, out, kept, map[string]string{"index.html": "one", "gone/index.html": "gone"})
	d, err := CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("index.html", []byte("two"))
	d.WriteFile("zh/a/index.html", []byte("a"))
	d.WriteFile("zh/b/index.html", []byte("b"))
	stA, stamped := d.Stamp("zh/a/index.html")
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	keptBefore := readTree(t, kept)

	setTakeStockHook(t, func(string) error { return errors.New("walk failed") })
	d, err = CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Keep("zh/a/index.html", stA); got != stamped {
		t.Errorf("Keep(a) = %v; want %v", got, stamped)
	}
	if !stamped {
		d.WriteFile("zh/a/index.html", []byte("a"))
	}
	for name, data := range map[string]string{"index.html": "three", "zh/b/index.html": "b", "en/c/index.html": "c"} {
		if err := d.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if d.reuse || d.tmp == kept || d.lock != nil {
		t.Errorf("after a failed stock-taking the Dir stages in %s (reuse %v, locked %v); want a fresh folder", d.tmp, d.reuse, d.lock != nil)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"index.html": "three", "zh/a/index.html": "a", "zh/b/index.html": "b", "en/c/index.html": "c"}
	if got := readTree(t, out); !maps.Equal(got, want) {
		t.Errorf("output = %v; want %v", got, want)
	}
	if got := readTree(t, kept); !maps.Equal(got, keptBefore) {
		t.Errorf("kept = %v; want it untouched: %v", got, keptBefore)
	}
	if s := siblings(t, out); len(s) != 2 { // public and kept
		t.Errorf("beside the output: %v", s)
	}

	// The kept folder was unlocked: the next build stages there again.
	takeStockHook = nil
	d, err = CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	d.wait()
	if !d.reuse {
		t.Skip("this system cannot lock folders")
	}
	d.WriteFile("index.html", []byte("four"))
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, out); len(got) != 1 || got["index.html"] != "four" {
		t.Errorf("output = %v; want build four's", got)
	}
}

// A kept folder that cannot be read through fails the walk itself.
func TestDirReuseUnreadableKeptFolder(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")
	build(t, out, kept, map[string]string{"index.html": "one", "zh/a/index.html": "a"})
	build(t, out, kept, map[string]string{"index.html": "two", "zh/a/index.html": "a"})
	locked := filepath.Join(kept, "zh")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	if _, err := os.ReadDir(locked); err == nil {
		t.Skip("a folder without permissions can still be read here (root)")
	}
	d, err := CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"index.html": "three", "zh/a/index.html": "a", "zh/b/index.html": "b"}
	for name, data := range files {
		if err := d.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if d.reuse {
		t.Error("the Dir stages in a kept folder it could not read")
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, out); !maps.Equal(got, files) {
		t.Errorf("output = %v; want %v", got, files)
	}
}

// When not even a fresh folder can be made after a failed stock-taking,
// the Dir reports it on use and leaves the output alone.
func TestDirReuseNoFolderAtAll(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	out, kept := filepath.Join(site, "public"), filepath.Join(root, "kept")
	build(t, out, kept, map[string]string{"index.html": "one"})
	st := Stamp{Ino: 1}
	setTakeStockHook(t, func(string) error {
		if err := os.RemoveAll(site); err != nil {
			t.Error(err)
		}
		return errors.New("walk failed")
	})
	d, err := CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("assets/held.css", []byte("held, perhaps")) // before the stock is taken, or not
	d.wait()
	if err := d.WriteFile("index.html", []byte("two")); err == nil {
		t.Error("WriteFile without a staging folder succeeded")
	}
	if d.Keep("index.html", st) {
		t.Error("Keep without a staging folder succeeded")
	}
	if _, ok := d.Stamp("index.html"); ok {
		t.Error("a stamp without a staging folder")
	}
	if err := d.Commit(); err == nil {
		t.Error("Commit without a staging folder succeeded")
	}
	d.Abort()
	if _, err := os.Lstat(out); err == nil {
		t.Error("an output appeared")
	}
	// The kept folder was let go.
	lock, err := lockDir(kept)
	switch {
	case errors.Is(err, errors.ErrUnsupported):
	case err != nil:
		t.Errorf("the kept folder is still locked: %v", err)
	default:
		lock.Close()
	}
}
