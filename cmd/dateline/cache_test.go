package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDamagedPhotoCache damages every photo derivative in the cache (a few
// bytes flipped, the size kept) and builds into a fresh output folder,
// which takes each derivative from the cache: the build exits 0, notes
// the repair naming the cache, and publishes what a build with an empty
// cache publishes. The old code either failed, blaming the source photo
// ("changed while the site was being built"), or published the damaged
// bytes under their hash, build after build.
func TestDamagedPhotoCache(t *testing.T) {
	files := testSite(t)
	files["content/alpha/photos/hero.png"] = pngPhoto(t, 1000, 600, 9)
	dir := t.TempDir()
	writeSite(t, dir, files)
	if code, _, stderr := dateline(t, "build", "-s", dir); code != 0 {
		t.Fatalf("first build: exit %d: %s", code, stderr)
	}
	cache := filepath.Join(dir, ".cache", "dateline")
	n := 0
	err := filepath.WalkDir(filepath.Join(cache, "photos"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for i := len(data) / 2; i < len(data)/2+8; i++ {
			data[i] ^= 0x5A
		}
		n++
		return os.WriteFile(p, data, 0o644)
	})
	if err != nil || n == 0 {
		t.Fatalf("damaging %d derivatives: %v", n, err)
	}

	fresh := filepath.Join(t.TempDir(), "public")
	code, _, stderr := dateline(t, "build", "-s", dir, "-o", fresh)
	if code != 0 {
		t.Fatalf("build after the damage: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, cache+": note: ") || strings.Contains(stderr, "changed while") {
		t.Errorf("stderr does not note the repair naming %s:\n%s", cache, stderr)
	}
	t.Setenv("DATELINE_CACHE", t.TempDir())
	clean := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := dateline(t, "build", "-s", dir, "-o", clean); code != 0 {
		t.Fatalf("clean build: exit %d: %s", code, stderr)
	}
	sameTree(t, "after the damage", readTree(t, fresh), readTree(t, clean))
}
