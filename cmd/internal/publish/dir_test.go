package publish

import (
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// build publishes files into out through a Dir staging in kept.
func build(t *testing.T, out, kept string, files map[string]string) {
	t.Helper()
	if err := stage(t, out, kept, files).Commit(); err != nil {
		t.Fatal(err)
	}
}

// stage writes files into a Dir staging in kept, not yet committed.
func stage(t *testing.T, out, kept string, files map[string]string) *Dir {
	t.Helper()
	d, err := CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := d.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func TestDirReusingKeptOutput(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, ".cache", "previous")
	builds := []map[string]string{
		{"index.html": "one", "zh/a/index.html": "a1", "zh/b/index.html": "b", "assets/x.1.css": "x"},
		{"index.html": "two", "zh/a/index.html": "a2", "zh/c/index.html": "c", "assets/x.2.css": "xx"},
		{"index.html": "three", "zh/a/index.html": "a2", "en/c/index.html": "c"},
		{"index.html": "three", "zh/a/index.html": "a2", "en/c/index.html": "c"},
		{"index.html": "four"},
	}
	for i, files := range builds {
		build(t, out, kept, files)
		if got := readTree(t, out); !maps.Equal(got, files) {
			t.Errorf("build %d: output = %v; want %v", i+1, got, files)
		}
		if i > 0 {
			// The kept folder holds the output before this one.
			if got := readTree(t, kept); !maps.Equal(got, builds[i-1]) {
				t.Errorf("build %d: kept = %v; want the previous output %v", i+1, got, builds[i-1])
			}
		}
		if s := siblings(t, out); len(s) != 2 { // public and .cache
			t.Errorf("build %d: beside the output: %v", i+1, s)
		}
	}
	// Folders emptied by the last build are gone too.
	for _, dir := range []string{"zh", "en", "assets"} {
		if _, err := os.Stat(filepath.Join(out, dir)); err == nil {
			t.Errorf("empty folder %s survived", dir)
		}
	}
}

func TestDirReuseLeavesUnchangedFilesAlone(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")
	files := map[string]string{"index.html": "same", "zh/a/index.html": "same too"}
	build(t, out, kept, files)
	build(t, out, kept, files)
	// The third build stages in the first build's tree: same bytes, so
	// nothing is written and the files keep their times.
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for name := range files {
		if err := os.Chtimes(filepath.Join(kept, filepath.FromSlash(name)), old, old); err != nil {
			t.Fatal(err)
		}
	}
	files["zh/a/index.html"] = "changed!"
	build(t, out, kept, files)
	for name, wantOld := range map[string]bool{"index.html": true, "zh/a/index.html": false} {
		fi, err := os.Stat(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.ModTime().Equal(old); got != wantOld {
			t.Errorf("%s: kept its old time = %v; want %v", name, got, wantOld)
		}
	}
	if got := readTree(t, out); !maps.Equal(got, files) {
		t.Errorf("output = %v; want %v", got, files)
	}
}

func TestDirReuseCleansAKeptTree(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")
	outside := filepath.Join(root, "outside.txt")
	os.WriteFile(outside, []byte("not ours"), 0o644)
	linked := filepath.Join(root, "linked.html")
	os.WriteFile(linked, []byte("other name"), 0o644)

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(kept, "zh", "a", "index.html"), 0o755)) // a folder where a file goes
	must(os.WriteFile(filepath.Join(kept, "en"), []byte("a file where a folder goes"), 0o644))
	must(os.Symlink(outside, filepath.Join(kept, "index.html"))) // a link where a file goes
	must(os.Link(linked, filepath.Join(kept, "page.html")))      // a second name of a file
	twin := filepath.Join(root, "twin.html")
	os.WriteFile(twin, []byte("same bytes"), 0o644)
	must(os.Link(twin, filepath.Join(kept, "same.html")))             // a second name holding the bytes to write
	must(os.Symlink(root, filepath.Join(kept, "escape")))             // a link to a folder
	must(os.WriteFile(filepath.Join(kept, "stale.html"), nil, 0o644)) // not written: goes

	files := map[string]string{
		"index.html": "home", "zh/a/index.html": "a", "en/b/index.html": "b",
		"page.html": "new page", "escape/x.html": "inside", "same.html": "same bytes",
	}
	build(t, out, kept, files)
	if got := readTree(t, out); !maps.Equal(got, files) {
		t.Errorf("output = %v; want %v", got, files)
	}
	for file, want := range map[string]string{outside: "not ours", linked: "other name", twin: "same bytes"} {
		if data, _ := os.ReadFile(file); string(data) != want {
			t.Errorf("%s = %q; written through a link (want %q)", file, data, want)
		}
	}
	// A file that holds the bytes already is left as it is, other names
	// and all: nothing is written, so nothing goes through them.
	a, errA := os.Stat(twin)
	b, errB := os.Stat(filepath.Join(out, "same.html"))
	if errA != nil || errB != nil || !os.SameFile(a, b) {
		t.Errorf("same.html was written again although it held the bytes (%v, %v)", errA, errB)
	}
	if _, err := os.Stat(filepath.Join(root, "x.html")); err == nil {
		t.Error("a write followed a kept link out of the folder")
	}
}

func TestDirReuseWhileKeptIsBusy(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")
	first, err := CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	if !first.reuse {
		t.Skip("this system cannot lock folders")
	}
	second, err := CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	if second.tmp == kept {
		t.Fatal("two builds stage in the same kept folder")
	}
	first.WriteFile("index.html", []byte("first"))
	second.WriteFile("index.html", []byte("second"))
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := second.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, out); got["index.html"] != "second" || len(got) != 1 {
		t.Errorf("output = %v; want the second build's", got)
	}
}

func TestDirReuseAbortKeepsOutput(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")
	build(t, out, kept, map[string]string{"index.html": "one"})
	build(t, out, kept, map[string]string{"index.html": "two"})
	d, err := CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("index.html", []byte("three"))
	d.WriteFile("extra.html", []byte("three"))
	d.Abort()
	if got := readTree(t, out); len(got) != 1 || got["index.html"] != "two" {
		t.Errorf("output after abort = %v; want build two's", got)
	}
	// The next build is not confused by what the aborted one left.
	build(t, out, kept, map[string]string{"index.html": "four"})
	if got := readTree(t, out); len(got) != 1 || got["index.html"] != "four" {
		t.Errorf("output = %v; want build four's", got)
	}
}

// TestDirLinksUnchangedPages: into a fresh kept folder, a page with the
// live page's bytes is linked to it, not copied. A build that is aborted
// after linking leaves the output as it was (SPEC §7: on any error
// nothing in the output folder changes); one that commits publishes its
// pages, and the old output, now kept, shares the unchanged one.
func TestDirLinksUnchangedPages(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")
	old := map[string]string{"zh/a/index.html": "same", "zh/b/index.html": "old b"}
	build(t, out, kept, old)
	next := map[string]string{"zh/a/index.html": "same", "zh/b/index.html": "new b", "zh/c/index.html": "new c"}
	for _, commit := range []bool{false, true} {
		if err := os.RemoveAll(kept); err != nil {
			t.Fatal(err)
		}
		live, err := os.Stat(filepath.Join(out, "zh/a/index.html"))
		if err != nil {
			t.Fatal(err)
		}
		d := stage(t, out, kept, next)
		staged, _ := d.Staged()
		for name, linked := range map[string]bool{"zh/a/index.html": true, "zh/b/index.html": false} {
			li, errL := os.Stat(filepath.Join(out, name))
			fi, err := os.Stat(filepath.Join(staged, name))
			if err != nil || errL != nil || os.SameFile(li, fi) != linked {
				t.Errorf("staged %s: linked to the live page %v, want %v (%v, %v)", name, !linked, linked, err, errL)
			}
		}
		if !commit {
			d.Abort()
			if got := readTree(t, out); !maps.Equal(got, old) {
				t.Errorf("output after an aborted build = %v; want %v", got, old)
			}
			if fi, err := os.Stat(filepath.Join(out, "zh/a/index.html")); err != nil || !fi.ModTime().Equal(live.ModTime()) {
				t.Errorf("the linked live page's modification time moved (%v)", err)
			}
			continue
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		if got := readTree(t, out); !maps.Equal(got, next) {
			t.Errorf("output = %v; want %v", got, next)
		}
		a, errA := os.Stat(filepath.Join(out, "zh/a/index.html"))
		k, errK := os.Stat(filepath.Join(kept, "zh/a/index.html"))
		if errA != nil || errK != nil || !os.SameFile(a, k) {
			t.Errorf("the unchanged page is not shared by the output and the kept folder (%v, %v)", errA, errK)
		}
	}
}

func TestDirReuseRefusesKeptInsideOutput(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	for _, kept := range []string{out, filepath.Join(out, "kept"), root} {
		d, err := CreateReusing(out, kept)
		if err != nil {
			t.Fatal(err)
		}
		if d.reuse {
			t.Errorf("CreateReusing(%s, %s) stages in the kept folder", out, kept)
		}
		d.Abort()
	}
}

func TestDirKeep(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")

	d, err := CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("zh/a/index.html", []byte("page a"))
	d.WriteFile("zh/b/index.html", []byte("page b"))
	stA, okA := d.Stamp("zh/a/index.html")
	stB, _ := d.Stamp("zh/b/index.html")
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if !okA {
		t.Skip("no file stamps on this system")
	}
	if _, ok := d.Stamp("never/written.html"); ok {
		t.Error("a stamp for a file never written")
	}

	// Someone edits b in the published folder: its stamp no longer matches.
	time.Sleep(10 * time.Millisecond)
	if err := os.WriteFile(filepath.Join(out, "zh", "b", "index.html"), []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err = CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Keep("zh/a/index.html", stA) {
		t.Error("Keep(a) with its stamp = false")
	}
	if d.Keep("zh/b/index.html", stB) {
		t.Error("Keep(b) after b was edited = true")
	}
	if d.Keep("zh/c/index.html", stA) || d.Keep("../x", stA) {
		t.Error("Keep of a file the output does not have = true")
	}
	d.WriteFile("zh/b/index.html", []byte("page b"))
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"zh/a/index.html": "page a", "zh/b/index.html": "page b"}
	if got := readTree(t, out); !maps.Equal(got, want) {
		t.Errorf("output = %v; want %v", got, want)
	}

	// The kept file and the published one are one file now; a build that
	// changes a must not write through to the published copy.
	d, err = CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	d.WriteFile("zh/a/index.html", []byte("page A")) // same size
	d.WriteFile("zh/b/index.html", []byte("page b"))
	if got := readTree(t, out)["zh/a/index.html"]; got != "page a" {
		t.Fatalf("before the commit, the published a = %q: written through a shared file", got)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, out)["zh/a/index.html"]; got != "page A" {
		t.Errorf("published a = %q; want page A", got)
	}
	if got := readTree(t, kept)["zh/a/index.html"]; got != "page a" {
		t.Errorf("kept a = %q; want the previous output's page a", got)
	}
}

// TestWriteChangedLinksLive: a file new to the staging folder becomes a
// second name of the live output's file when that holds the same bytes,
// and is written on its own otherwise; writing other bytes later never
// writes through to the live file.
func TestWriteChangedLinksLive(t *testing.T) {
	const none = "\x00none" // no live file
	for _, c := range []struct {
		name, live, data string
		linked           bool
	}{
		{"same bytes", "<p>page</p>", "<p>page</p>", true},
		{"other bytes, same size", "<p>page</p>", "<p>PAGE</p>", false},
		{"other size", "<p>page</p>", "<p>a longer page</p>", false},
		{"no live file", none, "<p>page</p>", false},
		{"empty, no live file", none, "", false},
		{"empty, live file empty too", "", "", false}, // nothing to share
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			live, p := filepath.Join(dir, "live"), filepath.Join(dir, "new")
			if c.live != none {
				if err := os.WriteFile(live, []byte(c.live), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			st, err := writeChanged(p, live, []byte(c.data))
			if err != nil {
				t.Fatal(err)
			}
			pi, err := os.Lstat(p)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(p); string(got) != c.data {
				t.Errorf("the file holds %q; want %q", got, c.data)
			}
			if st != stampOf(pi) {
				t.Errorf("stamp %+v; the file's is %+v", st, stampOf(pi))
			}
			li, err := os.Lstat(live)
			if linked := err == nil && os.SameFile(li, pi); linked != c.linked {
				t.Errorf("linked to the live file: %v; want %v", linked, c.linked)
			}
			if _, err := writeChanged(p, live, []byte("<p>changed</p>")); err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(live); c.live != none && string(got) != c.live {
				t.Errorf("the live file holds %q after the new one changed; want %q", got, c.live)
			}
		})
	}
}

func TestWriteChangedSizes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	for _, data := range []string{"a longer first version", "short", "", "same size!", "same size?", "grown to a longer text than before"} {
		if _, err := writeChanged(p, "", []byte(data)); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(p); string(got) != data {
			t.Errorf("after writing %q the file holds %q", data, got)
		}
	}
}
