package publish

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"testing"
)

// setFaultHook sets FaultHook for one test.
func setFaultHook(t *testing.T, hook func(op, path string) error) {
	t.Helper()
	FaultHook = hook
	t.Cleanup(func() { FaultHook = nil })
}

func mustStat(t *testing.T, p string) os.FileInfo {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi
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

	setFaultHook(t, func(op, _ string) error {
		if op == "walk" {
			return errors.New("walk failed")
		}
		return nil
	})
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
	FaultHook = nil
	d, err = CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
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
