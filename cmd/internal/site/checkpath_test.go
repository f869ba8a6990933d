package site

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dateline/cmd/internal/publish"
)

// pngOf returns a small PNG of one colour.
func pngOf(t *testing.T, c color.RGBA) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for y := range 30 {
		for x := range 40 {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// published reports whether a build wrote the photo whose source bytes
// are data, under the base name base.
func published(out *memOutput, base, data string) bool {
	name := publish.WithHash("assets/"+photoDir(".png")+"/"+base, publish.Hash([]byte(data)))
	_, ok := out.files[name]
	return ok
}

// TestRefusedAfterEarlierBuild checks that a photo folder turned into a
// symlink leading outside content/ after a build is refused by the next
// build and by a rebuild of the report: neither trusts the folder checks
// of the build before it.
func TestRefusedAfterEarlierBuild(t *testing.T) {
	inside, outside := pngOf(t, color.RGBA{200, 0, 0, 255}), pngOf(t, color.RGBA{0, 0, 200, 255})
	for _, rebuild := range []bool{false, true} {
		dir := t.TempDir()
		writeFiles(t, dir, map[string]string{
			"content/site.toml":      "base_url = \"https://x.example/\"\n",
			"content/a/zh.md":        editionFile("zh", "甲", "2025-01-01", "![p](photos/p.png \"图 (摄影：A)\")"),
			"content/a/photos/p.png": inside,
			"outside/p.png":          outside,
		})
		b := NewBuilder(Options{FS: os.DirFS(dir), Now: clock, NoDerivatives: true})
		first := newMem()
		if _, err := b.Build(context.Background(), first); err != nil {
			t.Fatal(err)
		}
		if !published(first, "p.png", inside) {
			t.Fatalf("the first build did not publish the photo")
		}
		photos := filepath.Join(dir, "content", "a", "photos")
		if err := os.RemoveAll(photos); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join("..", "..", "outside"), photos); err != nil {
			t.Skipf("cannot make symlinks here: %v", err)
		}
		second := newMem()
		var err error
		if rebuild {
			_, _, err = b.Rebuild(context.Background(), []string{"content/a/photos"}, second)
		} else {
			_, err = b.Build(context.Background(), second)
		}
		if err == nil || !strings.Contains(err.Error(), "symlink leads outside content/") {
			t.Errorf("rebuild=%v: error %v, want the link reported", rebuild, err)
		}
		if published(second, "p.png", outside) {
			t.Errorf("rebuild=%v: the photo outside content/ was published", rebuild)
		}
	}
}

// TestRefusedBesideCheckedSibling checks that, in one build, a photo read
// through a symlinked folder is refused although a photo in a sibling
// folder was checked first.
func TestRefusedBesideCheckedSibling(t *testing.T) {
	inside, outside := pngOf(t, color.RGBA{200, 0, 0, 255}), pngOf(t, color.RGBA{0, 0, 200, 255})
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"content/site.toml":      "base_url = \"https://x.example/\"\n",
		"content/a/zh.md":        editionFile("zh", "甲", "2025-01-01", "![p](photos/p.png \"图 (摄影：A)\")\n\n![q](linked/q.png \"图 (摄影：A)\")"),
		"content/a/photos/p.png": inside,
		"outside/q.png":          outside,
	})
	if err := os.Symlink(filepath.Join("..", "..", "outside"), filepath.Join(dir, "content", "a", "linked")); err != nil {
		t.Skipf("cannot make symlinks here: %v", err)
	}
	out := newMem()
	_, err := NewBuilder(Options{FS: os.DirFS(dir), Now: clock, NoDerivatives: true}).Build(context.Background(), out)
	if err == nil || !strings.Contains(err.Error(), "symlink leads outside content/") {
		t.Errorf("error %v, want the link reported", err)
	}
	if !published(out, "p.png", inside) {
		t.Errorf("the photo inside content/ was not published")
	}
	if published(out, "q.png", outside) {
		t.Errorf("the photo outside content/ was published")
	}
}
