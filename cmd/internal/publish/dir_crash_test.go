package publish

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// editInPlace rewrites the file p with data of the same size and sets its
// modification time back, as a hand edit that hides itself would: only
// the change time tells. It waits until the clock has moved on from the
// file's last change, so that the change time can differ.
func editInPlace(t *testing.T, p string, data []byte) {
	t.Helper()
	before := mustStat(t, p)
	if int64(len(data)) != before.Size() {
		t.Fatalf("edit of %s changes its size", p)
	}
	for i := 0; ; i++ {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, before.ModTime(), before.ModTime()); err != nil {
			t.Fatal(err)
		}
		after := mustStat(t, p)
		if !os.SameFile(before, after) || after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
			t.Fatal("the edit changed more than the bytes")
		}
		if stampOf(after) != stampOf(before) || i == 100 {
			return
		}
		time.Sleep(5 * time.Millisecond) // a coarse clock: the change time has not moved yet
	}
}

// A published file edited in place, with its size kept and its
// modification time set back, is not carried into the next build: the
// stamp holds its change time.
func TestDirKeepRefusesFileEditedInPlace(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")
	d, err := CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"zh/a/index.html": "page a", "assets/site.1234.css": "body{}"}
	for name, data := range files {
		if err := d.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	stamps := map[string]Stamp{}
	for name := range files {
		st, ok := d.Stamp(name)
		if !ok {
			t.Skip("no file stamps on this system")
		}
		stamps[name] = st
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	edited := map[string]string{"zh/a/index.html": "PAGE A", "assets/site.1234.css": "BODY{}"}
	for name, data := range edited {
		editInPlace(t, filepath.Join(out, filepath.FromSlash(name)), []byte(data))
	}

	d, err = CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if d.Keep(name, stamps[name]) {
			t.Errorf("Keep(%s) of a file edited in place = true", name)
			continue
		}
		if err := d.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, out); !maps.Equal(got, files) {
		t.Errorf("output = %v; want %v", got, files)
	}
}

// Keep gives the file a second name, which moves its change time on: the
// stamp Keep records is the file's after, so that the build after can
// keep it again, and again.
func TestDirKeepStampAfterLink(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")
	d, err := CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("zh/a/index.html", []byte("page a"))
	st, ok := d.Stamp("zh/a/index.html")
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Skip("no file stamps on this system")
	}
	for i := range 4 {
		time.Sleep(5 * time.Millisecond) // a link made a tick later has another change time
		d, err := CreateReusing(out, kept)
		if err != nil {
			t.Fatal(err)
		}
		if !d.Keep("zh/a/index.html", st) {
			t.Fatalf("build %d: Keep with the stamp the build before recorded = false", i+2)
		}
		st, _ = d.Stamp("zh/a/index.html")
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		if now := stampOf(mustStat(t, filepath.Join(out, "zh", "a", "index.html"))); now != st {
			t.Fatalf("build %d: recorded stamp %+v; the published file has %+v", i+2, st, now)
		}
	}
}

// emptyFolders lists the folders under dir that hold nothing.
func emptyFolders(t *testing.T, dir string) []string {
	t.Helper()
	var empty []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.IsDir() {
			return err
		}
		if entries, err := os.ReadDir(p); err == nil && len(entries) == 0 {
			rel, _ := filepath.Rel(dir, p)
			empty = append(empty, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return empty
}

// A build killed while it removed a pulled report's files leaves the
// report's folders empty in the kept folder: the next build that stages
// there does not publish them (nor any other empty folder it found),
// though it keeps those it writes into.
func TestDirReuseRemovesEmptyFolders(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")
	files := map[string]string{"index.html": "home", "zh/a/index.html": "a", "zh/b/index.html": "b", "en/a/index.html": "a"}
	build(t, out, kept, files)
	build(t, out, kept, files)
	// The kill: a's pages are gone, their folders not.
	for _, name := range []string{"zh/a/index.html", "en/a/index.html"} {
		if err := os.Remove(filepath.Join(kept, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	for _, dir := range []string{"zh/c/photos", "old/x/y", "en/d"} {
		if err := os.MkdirAll(filepath.Join(kept, filepath.FromSlash(dir)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	next := map[string]string{"index.html": "home", "zh/b/index.html": "b", "en/d/index.html": "d"}
	build(t, out, kept, next)
	if got := readTree(t, out); !maps.Equal(got, next) {
		t.Errorf("output = %v; want %v", got, next)
	}
	if empty := emptyFolders(t, out); len(empty) > 0 {
		t.Errorf("empty folders in the output: %v", empty)
	}
}

// CleanLeftovers removes the staging folders and rename probes a killed
// build leaves, and nothing else.
func TestCleanLeftovers(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, ".cache", "output")
	made := map[string]bool{ // path under root: removed
		".public.tmp-123/zh/a/index.html":     true,
		".public.tmp-456.old/index.html":      true,
		".public.tmp-789/":                    true,
		".probe-42/":                          true,
		"public/.probe-43/":                   true,
		".cache/output/.probe-44/":            true,
		"public/index.html":                   false,
		"public/.public.tmp-1/x":              false,
		"public.tmp-1/x":                      false,
		".other.tmp-1/x":                      false,
		".public.tmp-":                        false, // no random part: not one of ours
		".public.tmp-mine":                    false,
		".public.tmp-12.bak":                  false,
		".probe-mine/":                        false,
		"content/.probe-1/x":                  false,
		".cache/output/zh/a/index.html":       false,
		".cache/output/.public.tmp-2/x":       false,
		"notes.probe-1":                       false,
		".cache/dateline/photos/.tmp-photo.x": false,
	}
	for p := range made {
		full := filepath.Join(root, filepath.FromSlash(p))
		if p[len(p)-1] == '/' {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removed := CleanLeftovers(out, kept)
	for p, gone := range made {
		full := filepath.Join(root, filepath.FromSlash(p))
		_, err := os.Lstat(full)
		if gone && err == nil {
			t.Errorf("%s survived", p)
		}
		if !gone && err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
	if len(removed) != 6 {
		t.Errorf("removed %v; want 6 names", removed)
	}
}

// LockCache runs clean only for the first process (here: open file) to
// hold the cache, and not while another holds it.
func TestLockCache(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	var cleans []string
	unlock1 := LockCache(dir, func() { cleans = append(cleans, "first") })
	if len(cleans) == 0 {
		t.Skip("this system cannot lock files")
	}
	unlock2 := LockCache(dir, func() { cleans = append(cleans, "second") })
	unlock1()
	unlock3 := LockCache(dir, func() { cleans = append(cleans, "third") }) // the second still holds it
	unlock2()
	unlock3()
	unlock4 := LockCache(dir, func() { cleans = append(cleans, "fourth") })
	unlock4()
	if want := []string{"first", "fourth"}; !slices.Equal(cleans, want) {
		t.Errorf("clean ran for %v; want %v", cleans, want)
	}
}
