package site

import (
	"bytes"
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"dateline/cmd/internal/corpus"
	"dateline/cmd/internal/publish"
)

// cacheSite is a site on which the build cache is exercised: builds go to
// a publish.Dir, as from the command line.
type cacheSite struct {
	t     *testing.T
	fsys  fstest.MapFS
	out   string // the output folder
	kept  string // the kept previous output
	cache string // Options.Cache
	now   time.Time
}

func newCacheSite(t *testing.T, n int) *cacheSite {
	root := t.TempDir()
	return &cacheSite{
		t: t, fsys: benchMapFS(corpus.Generate(n, 7)),
		out: filepath.Join(root, "public"), kept: filepath.Join(root, "kept"), cache: filepath.Join(root, "cache"),
		now: benchNow,
	}
}

// build builds the site with the cache and returns the Result.
func (s *cacheSite) build() *Result {
	s.t.Helper()
	return s.buildTo(s.out, s.kept, s.cache)
}

func (s *cacheSite) buildTo(out, kept, cache string) *Result {
	s.t.Helper()
	d, err := publish.CreateReusing(out, kept)
	if err != nil {
		s.t.Fatal(err)
	}
	res, err := NewBuilder(Options{FS: s.fsys, Now: s.now, Cache: cache, PhotoCache: filepath.Join(filepath.Dir(s.out), "photos")}).Build(context.Background(), d)
	if err != nil {
		d.Abort()
		s.t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		s.t.Fatal(err)
	}
	return res
}

// clean builds the site from scratch, without cache or kept output, and
// returns the output.
func (s *cacheSite) clean() map[string]string {
	s.t.Helper()
	dir := s.t.TempDir()
	s.buildTo(filepath.Join(dir, "public"), "", "")
	return tree(s.t, filepath.Join(dir, "public"))
}

func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// same fails the test unless the output equals a clean build's.
func (s *cacheSite) same(what string) {
	s.t.Helper()
	got, want := tree(s.t, s.out), s.clean()
	if maps.Equal(got, want) {
		return
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if got[name] != want[name] {
			s.t.Errorf("%s: %s differs from a clean build's", what, name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			s.t.Errorf("%s: %s is not in a clean build", what, name)
		}
	}
}

func (s *cacheSite) edit(name, old, new string) {
	s.t.Helper()
	f := s.fsys[name]
	if f == nil || !bytes.Contains(f.Data, []byte(old)) {
		s.t.Fatalf("%s has no %q", name, old)
	}
	s.fsys[name] = &fstest.MapFile{Data: bytes.Replace(f.Data, []byte(old), []byte(new), 1), Mode: 0o644}
}

func TestBuildCacheKeepsUnchangedReports(t *testing.T) {
	const n = 6
	s := newCacheSite(t, n)
	if res := s.build(); res.Kept != 0 {
		t.Fatalf("first build kept %d reports; want 0", res.Kept)
	}
	res := s.build()
	if res.Kept != n {
		t.Fatalf("second build kept %d reports; want %d", res.Kept, n)
	}
	if res.Pages < 2*n {
		t.Errorf("second build counts %d pages; want the kept ones counted (%d+)", res.Pages, 2*n)
	}
	s.same("unchanged site")

	steps := []struct {
		name   string
		change func()
		kept   int
	}{
		{"one report's text", func() {
			s.edit("content/"+corpus.Slug(2)+"/zh.md", "。", "。新的一句。")
		}, n - 1},
		{"nothing", func() {}, n},
		{"a photo one report uses", func() {
			// Report 3's first photo takes the bytes of report 4's, which
			// differ: a valid photo with a new content hash.
			mine, theirs := firstPhoto(t, s.fsys, corpus.Slug(3)), firstPhoto(t, s.fsys, corpus.Slug(4))
			if bytes.Equal(s.fsys[mine].Data, s.fsys[theirs].Data) {
				t.Fatalf("%s and %s are the same photo", mine, theirs)
			}
			s.fsys[mine] = &fstest.MapFile{Data: s.fsys[theirs].Data, Mode: 0o644}
		}, n - 1},
		{"a published page edited by hand", func() {
			p := filepath.Join(s.out, "en", corpus.Slug(5), "index.html")
			time.Sleep(5 * time.Millisecond)
			if err := os.WriteFile(p, []byte("<p>defaced</p>"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, n - 1},
		{"a report made a draft", func() {
			s.edit("content/"+corpus.Slug(1)+"/en.md", "\n---\n", "\ndraft: true\n---\n")
		}, n - 1},
		{"site.toml", func() {
			s.fsys["content/site.toml"] = &fstest.MapFile{Data: append(slices.Clone(s.fsys["content/site.toml"].Data), "\n# a comment\n"...), Mode: 0o644}
		}, 0},
		{"the clock, past no embargo", func() { s.now = s.now.Add(time.Hour) }, n},
	}
	for _, step := range steps {
		step.change()
		res := s.build()
		if res.Kept != step.kept {
			t.Errorf("after changing %s: kept %d reports; want %d", step.name, res.Kept, step.kept)
		}
		s.same("after changing " + step.name)
	}
}

// firstPhoto returns the path of a photo in a report's folder.
func firstPhoto(t *testing.T, fsys fstest.MapFS, slug string) string {
	t.Helper()
	for _, name := range slices.Sorted(maps.Keys(fsys)) {
		if strings.HasPrefix(name, "content/"+slug+"/") && strings.HasSuffix(name, ".png") {
			return name
		}
	}
	t.Fatalf("%s has no photo", slug)
	return ""
}

func TestBuildCacheEmbargoEnds(t *testing.T) {
	s := newCacheSite(t, 3)
	name := "content/" + corpus.Slug(2) + "/zh.md"
	lines := strings.Split(string(s.fsys[name].Data), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "date:") {
			lines[i] = "date: 2026-03-01T08:00:00+08:00"
			break
		}
	}
	s.fsys[name] = &fstest.MapFile{Data: []byte(strings.Join(lines, "\n")), Mode: 0o644}
	s.build()
	if res := s.build(); res.Kept != 3 {
		t.Fatalf("kept %d; want 3", res.Kept)
	}
	if _, err := os.Stat(filepath.Join(s.out, "zh", corpus.Slug(2))); err == nil {
		t.Fatal("the embargoed edition is published")
	}
	s.now = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	if res := s.build(); res.Kept != 2 {
		t.Errorf("after the embargo: kept %d; want 2", res.Kept)
	}
	s.same("after the embargo")
}

func TestBuildCacheIgnoresABadManifest(t *testing.T) {
	s := newCacheSite(t, 2)
	s.build()
	if err := os.WriteFile(filepath.Join(s.cache, manifestName), []byte("not a manifest"), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := s.build(); res.Kept != 0 {
		t.Errorf("kept %d with a broken manifest; want 0", res.Kept)
	}
	s.same("after a broken manifest")
	if res := s.build(); res.Kept != 2 {
		t.Errorf("kept %d after the manifest was rewritten; want 2", res.Kept)
	}
}
