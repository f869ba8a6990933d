package publish

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestStaged stages an output in a kept folder holding an earlier build's
// files: Staged returns a folder that holds exactly the files written so
// far (the stale page, which a program reading the staged output would
// find, is gone before it runs), and a file added there directly is
// published by Commit.
func TestStaged(t *testing.T) {
	root := t.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")
	for _, name := range []string{"en/old/index.html", "en/new/index.html"} {
		p := filepath.Join(kept, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("earlier "+name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := CreateReusing(out, kept)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("en/new/index.html", []byte("new")); err != nil {
		t.Fatal(err)
	}
	staged, err := d.Staged()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := files(t, staged), []string{"en/new/index.html"}; !slices.Equal(got, want) {
		t.Fatalf("Staged() holds %q; want %q", got, want)
	}
	if err := os.WriteFile(filepath.Join(staged, "en", "index.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, want := files(t, out), []string{"en/index.json", "en/new/index.html"}; !slices.Equal(got, want) {
		t.Fatalf("the committed output holds %q; want %q", got, want)
	}
}

// files lists the files under dir, slash-separated and sorted.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		names = append(names, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	return names
}
