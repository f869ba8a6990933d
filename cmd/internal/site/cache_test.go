package site

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"image"
	"image/jpeg"
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
	"dateline/cmd/internal/problem"
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

// skipShortDeriving skips, with -short, a test whose builds derive every
// photo's JPEG, WebP and AVIF copies again and again: under the race
// detector (.ci/run's race run is -short) the encoders took 95–200 s per
// test. The plain run keeps them.
func skipShortDeriving(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("derives photos in several builds: minutes under the race detector")
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
	res, err := NewBuilder(Options{FS: s.fsys, Now: s.now, Cache: cache}).Build(context.Background(), d)
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
	skipShortDeriving(t)
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
		// linked names an edition ("en/SLUG") whose change rebuilds, besides
		// its own report, every report whose onward links name it.
		linked string
	}{
		{"one report's text", func() {
			s.edit("content/"+corpus.Slug(2)+"/zh.md", "。", "。新的一句。")
		}, n - 1, ""},
		{"nothing", func() {}, n, ""},
		{"a photo one report uses", func() {
			// Report 3's first photo takes the bytes of report 4's, which
			// differ: a valid photo with a new content hash.
			mine, theirs := firstPhoto(t, s.fsys, corpus.Slug(3)), firstPhoto(t, s.fsys, corpus.Slug(4))
			if bytes.Equal(s.fsys[mine].Data, s.fsys[theirs].Data) {
				t.Fatalf("%s and %s are the same photo", mine, theirs)
			}
			s.fsys[mine] = &fstest.MapFile{Data: s.fsys[theirs].Data, Mode: 0o644}
		}, n - 1, ""},
		{"a published page edited by hand", func() {
			p := filepath.Join(s.out, "en", corpus.Slug(5), "index.html")
			time.Sleep(5 * time.Millisecond)
			if err := os.WriteFile(p, []byte("<p>defaced</p>"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, n - 1, ""},
		{"a report made a draft", func() {
			s.edit("content/"+corpus.Slug(1)+"/en.md", "\n---\n", "\ndraft: true\n---\n")
		}, n - 1, "en/" + corpus.Slug(1)},
		{"site.toml", func() {
			s.fsys["content/site.toml"] = &fstest.MapFile{Data: append(slices.Clone(s.fsys["content/site.toml"].Data), "\n# a comment\n"...), Mode: 0o644}
		}, 0, ""},
		{"the clock, past no embargo", func() { s.now = s.now.Add(time.Hour) }, n, ""},
	}
	for _, step := range steps {
		want := step.kept
		if step.linked != "" {
			want -= s.onwardLinkers(step.linked)
		}
		step.change()
		res := s.build()
		if res.Kept != want {
			t.Errorf("after changing %s: kept %d reports; want %d", step.name, res.Kept, want)
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
	// The reports whose onward links now name the new edition are built
	// again; the others are kept.
	if res, linkers := s.build(), s.onwardLinkers("zh/"+corpus.Slug(2)); res.Kept != 2-linkers {
		t.Errorf("after the embargo: kept %d; want %d", res.Kept, 2-linkers)
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

// TestBuildCacheFailedBuild: a build that fails after it began writing the
// manifest (here: warnings under Strict, found once the pages are written)
// leaves the manifest of the last good build as it was, and nothing half
// written in the cache folder.
func TestBuildCacheFailedBuild(t *testing.T) {
	s := newCacheSite(t, 2)
	s.build()
	manifestFile := filepath.Join(s.cache, manifestName)
	before, err := os.ReadFile(manifestFile)
	if err != nil {
		t.Fatal(err)
	}
	// A half-width comma between Chinese words: a warning. The English
	// edition changes too, so that neither page of report 1 is the one in
	// the output (an unchanged page would be linked from it).
	name, enName := "content/"+corpus.Slug(1)+"/zh.md", "content/"+corpus.Slug(1)+"/en.md"
	orig, enOrig := s.fsys[name].Data, s.fsys[enName].Data
	s.fsys[name] = &fstest.MapFile{Data: append(bytes.Clone(orig), "\n\n这是一句话,没有全角逗号。\n"...)}
	s.fsys[enName] = &fstest.MapFile{Data: append(bytes.Clone(enOrig), "\n\nOne more sentence.\n"...)}
	d, err := publish.CreateReusing(s.out, s.kept)
	if err != nil {
		t.Fatal(err)
	}
	res, err := NewBuilder(Options{FS: s.fsys, Now: s.now, Cache: s.cache, Strict: true}).Build(context.Background(), d)
	d.Abort()
	s.fsys[name], s.fsys[enName] = &fstest.MapFile{Data: orig}, &fstest.MapFile{Data: enOrig}
	if err == nil || len(res.Problems) == 0 {
		t.Fatalf("a strict build of a site with warnings: %v (%v); want it to fail", err, res.Problems)
	}
	if after, err := os.ReadFile(manifestFile); err != nil || !bytes.Equal(after, before) {
		t.Errorf("the failed build changed the manifest (%v)", err)
	}
	entries, err := os.ReadDir(s.cache)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			t.Errorf("the failed build left %s in the cache folder", e.Name())
		}
	}
	// The manifest still serves: report 1, whose pages the failed build
	// did not touch in the output, is kept. (Report 2's pages were linked
	// into the failed build's staging folder, which moved their change
	// time on: they are rebuilt. So would an unchanged page of a report
	// the build converted, linked from the output by writeChanged.)
	if res := s.build(); res.Kept < 1 {
		t.Errorf("kept %d after the failed build; want the manifest to serve", res.Kept)
	}
	s.same("after a failed build")
}

// TestReadManifest: the manifest is a stream of values (a head, one per
// report, the files); a stream cut short, with a count that does not match
// its reports, or a report without its entry, is no manifest at all.
func TestReadManifest(t *testing.T) {
	entry := &cacheEntry{Key: [32]byte{1}, Pages: []publish.Stamp{{Size: 3, Ino: 7}}}
	stream := func(head manifest, reports []manifestReport, files bool) []byte {
		var buf bytes.Buffer
		enc := gob.NewEncoder(&buf)
		must := func(err error) {
			if err != nil {
				t.Fatal(err)
			}
		}
		must(enc.Encode(head))
		for _, r := range reports {
			must(enc.Encode(r))
		}
		if files {
			must(enc.Encode(manifestFiles{Files: map[string]publish.Stamp{"assets/x.css": {Size: 1}}, Feeds: map[string]feedEntry{"a/zh": {Body: "<p>x"}}}))
		}
		return buf.Bytes()
	}
	two := []manifestReport{{"a", entry}, {"b", entry}}
	whole := stream(manifest{Written: 42, Reports: 2}, two, true)
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"whole", whole, true},
		{"no reports", stream(manifest{Reports: 0}, nil, true), true},
		{"cut in the last value", whole[:len(whole)-5], false},
		{"no files", stream(manifest{Reports: 2}, two, false), false},
		{"fewer reports than counted", stream(manifest{Reports: 3}, two, true), false},
		{"more reports than counted", stream(manifest{Reports: 1}, two, true), false},
		{"a negative count", stream(manifest{Reports: -1}, nil, true), false},
		{"a count beyond the data", stream(manifest{Reports: 1 << 40}, nil, true), false},
		{"a report without its entry", stream(manifest{Reports: 1}, []manifestReport{{Slug: "a"}}, true), false},
		{"empty", nil, false},
	}
	for _, tt := range tests {
		reports, files, feeds, written := readManifest(tt.data)
		switch {
		case !tt.ok && (reports != nil || files != nil || feeds != nil || written != 0):
			t.Errorf("%s: read %d reports, %d files, %d feeds; want nothing", tt.name, len(reports), len(files), len(feeds))
		case tt.ok && (reports == nil || files == nil || feeds == nil):
			t.Errorf("%s: not read", tt.name)
		}
	}
	reports, files, feeds, written := readManifest(whole)
	if written != 42 || len(reports) != 2 || reports["b"].Key != entry.Key || reports["a"].Pages[0] != entry.Pages[0] ||
		files["assets/x.css"].Size != 1 || feeds["a/zh"].Body != "<p>x" {
		t.Errorf("read %v, %v, %v, %d; want what was written", reports, files, feeds, written)
	}
}

// cacheTestSite writes a site whose report uses a JPEG and a PNG large
// enough to have derivatives.
func cacheTestSite(t *testing.T) string {
	dir := t.TempDir()
	body := "![Street](photos/street.jpg \"Street (Photo: A)\")\n\n![Big](photos/big.png \"Big (Photo: A)\")\n"
	writeFiles(t, dir, map[string]string{
		"content/site.toml":           "base_url = \"https://x.example/\"\n",
		"content/a/zh.md":             editionFile("zh", "甲", "2025-01-01", body),
		"content/a/en.md":             editionFile("en", "A", "2025-01-01", body),
		"content/a/photos/street.jpg": string(testJPEG(t, 1000, 600, 3)),
		"content/a/photos/big.png":    string(testPNG(t, 520, 30, 1)),
	})
	return dir
}

// testJPEG is a w×h JPEG; shade tells images apart.
func testJPEG(t testing.TB, w, h int, shade uint8) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i/4%251) ^ shade
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// derivativeEntries lists the photo derivatives' entries in a cache folder.
func derivativeEntries(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join(dir, "photos"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestDamagedDerivative: a photo derivative damaged in the cache (bytes
// flipped, cut short, replaced by another valid image) is found when it is
// used, encoded again, and the build publishes the right bytes: it neither
// fails blaming the source photo nor publishes the damaged file. The photo
// index says the sources are unchanged, and the output is a fresh one, so
// each derivative is taken from the cache to be written.
func TestDamagedDerivative(t *testing.T) {
	skipShortDeriving(t)
	ctx := context.Background()
	for _, dmg := range []struct {
		name   string
		damage func(t *testing.T, entry []byte) []byte
	}{
		{"bytes flipped", func(t *testing.T, e []byte) []byte {
			e = bytes.Clone(e)
			for i := len(e) / 2; i < len(e)/2+16; i++ {
				e[i] ^= 0xA5
			}
			return e
		}},
		{"cut short", func(t *testing.T, e []byte) []byte { return e[:len(e)-100] }},
		{"another JPEG", func(t *testing.T, e []byte) []byte { return testJPEG(t, 480, 288, 9) }},
	} {
		t.Run(dmg.name, func(t *testing.T) {
			aheadClock(t)
			dir := cacheTestSite(t)
			cacheDir := filepath.Join(t.TempDir(), "cache")
			opts := Options{FS: os.DirFS(dir), Now: clock, Cache: cacheDir}
			clean := newMem()
			cleanRes, err := NewBuilder(Options{FS: os.DirFS(dir), Now: clock}).Build(ctx, clean)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := NewBuilder(opts).Build(ctx, newMem()); err != nil {
				t.Fatal(err)
			}
			entries := derivativeEntries(t, cacheDir)
			if len(entries) < 3 {
				t.Fatalf("%d derivatives in the cache; want at least 3", len(entries))
			}
			for _, p := range entries {
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, dmg.damage(t, data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for i := range 2 {
				out := newMem()
				res, err := NewBuilder(opts).Build(ctx, out)
				if err != nil {
					t.Fatalf("build %d after the damage: %v", i+1, err)
				}
				compare(t, fmt.Sprintf("build %d after the damage", i+1), out.files, clean.files)
				if !slices.Equal(res.Problems, cleanRes.Problems) {
					t.Errorf("build %d after the damage: problems %q; want %q", i+1, res.Problems, cleanRes.Problems)
				}
				if want := len(entries) * (1 - i); res.CacheRepaired != want {
					t.Errorf("build %d after the damage: %d entries repaired; want %d", i+1, res.CacheRepaired, want)
				}
			}
		})
	}
}

// TestUnusableCache: a cache folder that is a file, lies under a file, or
// holds a file where its photos/ folder goes gives one warning naming the
// folder and why, and a build whose output is that of a build without a
// cache, to memory as to a publish.Dir.
func TestUnusableCache(t *testing.T) {
	skipShortDeriving(t)
	ctx := context.Background()
	dir := cacheTestSite(t)
	clean := newMem()
	cleanRes, err := NewBuilder(Options{FS: os.DirFS(dir), Now: clock}).Build(ctx, clean)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	file := filepath.Join(root, "file")
	writeFiles(t, root, map[string]string{"file": "x", "late/photos": "x"})
	for _, tc := range []struct{ path, why string }{
		{file, "is a file, not a folder"},
		{filepath.Join(file, "cache"), file + ": not a directory"},
		{filepath.Join(root, "late"), "photos: not a directory"},
	} {
		want := append(slices.Clone(cleanRes.Problems), problem.Warnf(tc.path, 0, "cache not used: %s; the site was built without it", tc.why))
		problem.Sort(want)
		for _, toDisk := range []bool{false, true} {
			out := newMem()
			var res *Result
			var err error
			if toDisk {
				pub := filepath.Join(t.TempDir(), "public")
				d, derr := publish.Create(pub)
				if derr != nil {
					t.Fatal(derr)
				}
				res, err = NewBuilder(Options{FS: os.DirFS(dir), Now: clock, Cache: tc.path}).Build(ctx, d)
				if err == nil {
					err = d.Commit()
				}
				for name, data := range tree(t, pub) {
					out.files[filepath.ToSlash(name)] = []byte(data)
				}
			} else {
				res, err = NewBuilder(Options{FS: os.DirFS(dir), Now: clock, Cache: tc.path}).Build(ctx, out)
			}
			if err != nil {
				t.Fatalf("cache %s: %v", tc.path, err)
			}
			if !slices.Equal(res.Problems, want) {
				t.Errorf("cache %s: problems\n\t%q\nwant\n\t%q", tc.path, res.Problems, want)
			}
			compare(t, "cache "+tc.path, out.files, clean.files)
		}
	}
}

// onwardLinkers counts the other report pages of the published output
// whose onward links name the edition "LANG/SLUG".
func (s *cacheSite) onwardLinkers(edition string) int {
	s.t.Helper()
	lang, _, _ := strings.Cut(edition, "/")
	n := 0
	for name, page := range tree(s.t, s.out) {
		if !strings.HasPrefix(name, lang+"/") || strings.Count(name, "/") != 2 || name == edition+"/index.html" || !strings.HasSuffix(name, "/index.html") {
			continue
		}
		_, onward, _ := strings.Cut(page, `aria-labelledby="onward-title"`)
		onward, _, _ = strings.Cut(onward, "</aside>")
		if strings.Contains(onward, `href="/`+edition+`/"`) {
			n++
		}
	}
	return n
}

// TestBuildCacheReadsNoUnchangedSource builds a site on disk three times:
// the second build, of the unchanged site, must open none of its Markdown
// files, and both it and the third, after one file's bytes changed, must
// print the warnings a clean build prints, word for word, and write what a
// clean build writes.
func TestBuildCacheReadsNoUnchangedSource(t *testing.T) {
	aheadClock(t)
	const n = 4
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Generate(n, 7)); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{
		// The site's time zone, and a date at another offset: both must
		// come back from the manifest as content gave them.
		"content/site.toml": "base_url = \"https://x.example/\"\ntimezone = \"Asia/Shanghai\"\n",
		// An unknown field (ParseEdition), half-width punctuation (a check
		// of the text), and a stop numbered out of turn.
		"content/warned/zh.md": "---\ntitle: 警告\ntitel: 错\ndate: 2025-05-01T10:00:00+02:00\n---\n\n他说,好的。\n\n## 第二站：北京\n\n正文。\n",
		"content/warned/en.md": editionFile("en", "Warned", "2025-05-01", "Text.\n\n## First stop: Beijing\n\nMore text."),
	})
	out, kept, cacheDir := filepath.Join(dir, "public"), filepath.Join(dir, "kept"), filepath.Join(dir, ".cache")
	build := func(fsys fs.FS, out, kept, cacheDir string) *Result {
		t.Helper()
		d, err := publish.CreateReusing(out, kept)
		if err != nil {
			t.Fatal(err)
		}
		res, err := NewBuilder(Options{FS: fsys, Now: benchNow, Cache: cacheDir}).Build(context.Background(), d)
		if err != nil {
			d.Abort()
			t.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		return res
	}
	warnings := func(res *Result) string {
		var b strings.Builder
		for _, p := range res.Problems {
			fmt.Fprintln(&b, p)
		}
		return b.String()
	}
	clean := func() (map[string]string, string) {
		t.Helper()
		o := filepath.Join(t.TempDir(), "public")
		res := build(os.DirFS(dir), o, "", "")
		return tree(t, o), warnings(res)
	}
	mdOpens := func(c *countFS) []string {
		var got []string
		for name := range c.opens {
			if strings.HasSuffix(name, ".md") {
				got = append(got, name)
			}
		}
		slices.Sort(got)
		return got
	}

	wantTree, wantWarnings := clean()
	for _, w := range []string{"titel", "half-width", "第二站"} {
		if !strings.Contains(wantWarnings, w) {
			t.Fatalf("a clean build warns of no %q:\n%s", w, wantWarnings)
		}
	}
	if res := build(os.DirFS(dir), out, kept, cacheDir); warnings(res) != wantWarnings {
		t.Fatalf("first build warns\n%s\nwant\n%s", warnings(res), wantWarnings)
	}

	fsys := newCountFS(dir)
	res := build(fsys, out, kept, cacheDir)
	if res.Kept != n+1 {
		t.Errorf("unchanged site: kept %d reports; want %d", res.Kept, n+1)
	}
	if got := mdOpens(fsys); len(got) > 0 {
		t.Errorf("unchanged site: the build opened %q", got)
	}
	if got := warnings(res); got != wantWarnings {
		t.Errorf("unchanged site: warnings\n%s\nwant, as a clean build's,\n%s", got, wantWarnings)
	}
	if got := tree(t, out); !maps.Equal(got, wantTree) {
		t.Errorf("unchanged site: output differs from a clean build's")
	}

	// Same size, same modification time: only the change time tells.
	name := filepath.Join(dir, "content", "warned", "zh.md")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	rewrite(t, name, bytes.Replace(data, []byte("他说,好的。"), []byte("她说,好的。"), 1))
	wantTree, wantWarnings = clean()
	fsys = newCountFS(dir)
	res = build(fsys, out, kept, cacheDir)
	// The report is built again, from both its files; no other is read.
	if got, want := mdOpens(fsys), []string{"content/warned/en.md", "content/warned/zh.md"}; !slices.Equal(got, want) {
		t.Errorf("after an edit: the build opened %q; want %q", got, want)
	}
	if res.Kept != n {
		t.Errorf("after an edit: kept %d reports; want %d", res.Kept, n)
	}
	if got := warnings(res); got != wantWarnings {
		t.Errorf("after an edit: warnings\n%s\nwant\n%s", got, wantWarnings)
	}
	if got := tree(t, out); !maps.Equal(got, wantTree) {
		t.Errorf("after an edit: output differs from a clean build's")
	}
}

// TestBuildCacheHeroChanges changes the bytes of a report's hero photo,
// which only its front matter names: the report's pages show the photo
// under a new hashed name, so the report cannot be kept.
func TestBuildCacheHeroChanges(t *testing.T) {
	s := newCacheSite(t, 2)
	name := "content/" + corpus.Slug(1) + "/zh.md"
	hero := "content/" + corpus.Slug(1) + "/photos/hero-only.png"
	a, b := firstPhoto(t, s.fsys, corpus.Slug(1)), firstPhoto(t, s.fsys, corpus.Slug(2))
	if bytes.Equal(s.fsys[a].Data, s.fsys[b].Data) {
		t.Fatalf("%s and %s are the same photo", a, b)
	}
	s.fsys[hero] = &fstest.MapFile{Data: s.fsys[a].Data, Mode: 0o644}
	s.edit(name, "\n---\n", "\nhero: {src: photos/hero-only.png, alt: A}\n---\n")
	s.build()
	s.same("with a hero")
	s.fsys[hero] = &fstest.MapFile{Data: s.fsys[b].Data, Mode: 0o644}
	if res := s.build(); res.Kept != 1 {
		t.Errorf("after the hero photo changed: kept %d reports; want 1, the other one", res.Kept)
	}
	s.same("after the hero photo changed")
}
