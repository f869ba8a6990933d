package site

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/cmd/internal/cache"
	"dateline/cmd/internal/photo"
	"dateline/cmd/internal/publish"
)

// countFS is the site folder, counting how often each file is opened (a
// stat is not an open).
type countFS struct {
	fs.FS
	mu    sync.Mutex
	opens map[string]int
}

func newCountFS(dir string) *countFS { return &countFS{FS: os.DirFS(dir), opens: map[string]int{}} }

func (c *countFS) Open(name string) (fs.File, error) {
	c.mu.Lock()
	c.opens[name]++
	c.mu.Unlock()
	return c.FS.Open(name)
}

func (c *countFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(c.FS, name) }

// reads returns and resets the opens of the report's photos and files.
func (c *countFS) reads() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	got := map[string]int{}
	for name, n := range c.opens {
		if strings.HasPrefix(name, "content/a/") && !strings.HasSuffix(name, ".md") {
			got[strings.TrimPrefix(name, "content/a/")] = n
		}
	}
	c.opens = map[string]int{}
	return got
}

// testPNG is a w×h PNG, stored without compression so that every image of
// that size has the same number of bytes; shade tells images apart.
func testPNG(t testing.TB, w, h int, shade uint8) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i) ^ shade
	}
	img.Set(0, 0, color.NRGBA{shade, shade, shade, 255})
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// indexSite writes a site whose report uses a photo with a derivative
// (big.png), one without (small.png) and a file that is no photo.
func indexSite(t *testing.T) string {
	dir := t.TempDir()
	body := "![Big](photos/big.png \"Big (Photo: A)\")\n\n![Small](photos/small.png \"Small (Photo: A)\")\n\nSee [the notes](notes.txt).\n"
	writeFiles(t, dir, map[string]string{
		"content/site.toml":          "base_url = \"https://x.example/\"\n",
		"content/a/zh.md":            editionFile("zh", "甲", "2025-01-01", body),
		"content/a/en.md":            editionFile("en", "A", "2025-01-01", body),
		"content/a/notes.txt":        "notes\n",
		"content/a/photos/big.png":   string(testPNG(t, 520, 30, 1)),
		"content/a/photos/small.png": string(testPNG(t, 24, 16, 2)),
	})
	return dir
}

// aheadClock makes the index trust every file written so far, however
// recently: without it, the files a test has just written are too new.
func aheadClock(t *testing.T) {
	indexClock = func() time.Time { return time.Now().Add(time.Hour) }
	t.Cleanup(func() { indexClock = time.Now })
}

// buildMem builds the site into memory.
func buildMem(t *testing.T, fsys fs.FS, photos string, noDerivatives bool) (map[string][]byte, error) {
	t.Helper()
	out := newMem()
	_, err := NewBuilder(Options{FS: fsys, Now: clock, Cache: photos, NoDerivatives: noDerivatives}).Build(context.Background(), out)
	return out.files, err
}

// rewrite replaces the bytes of a file in place, with as many bytes, and
// puts its modification time back: only its change time tells.
func rewrite(t *testing.T, p string, data []byte) {
	t.Helper()
	before, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := statOf(before)
	if int64(len(data)) != before.Size() {
		t.Fatalf("rewrite %s: %d bytes for %d", p, len(data), before.Size())
	}
	// The change time has the file system's clock's granularity: write
	// until it has moved on (at once but in the rarest of cases).
	for range 1000 {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, before.ModTime(), before.ModTime()); err != nil {
			t.Fatal(err)
		}
		after, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := statOf(after)
		if st.Mtime != old.Mtime || st.Size != old.Size || st.Ino != old.Ino {
			t.Fatalf("rewrite %s: stat %+v, was %+v", p, st, old)
		}
		if st.Ctime != old.Ctime {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("rewrite %s: the change time never moved", p)
}

func TestPhotoIndex(t *testing.T) {
	if !statSupported {
		t.Skip("no stat for the photo index on this system")
	}
	const big, small, notes = "photos/big.png", "photos/small.png", "notes.txt"
	all := func(n int) map[string]int { return map[string]int{big: n, small: n, notes: n} }
	for _, noDerivatives := range []bool{false, true} {
		for _, tc := range []struct {
			name   string
			racy   bool // the real clock: the files are too new to trust
			change func(t *testing.T, dir, photos string)
			// Opens of each file in the second build: 1 is write's (the
			// output is in memory, nothing is carried over), 2 adds load's.
			want map[string]int
		}{
			{name: "unchanged", want: all(1)},
			{name: "racy", racy: true, want: all(2)},
			{name: "same size and mtime, new bytes", want: map[string]int{big: 2, small: 1, notes: 1},
				change: func(t *testing.T, dir, _ string) {
					rewrite(t, filepath.Join(dir, "content/a", big), testPNG(t, 520, 30, 9))
				}},
			{name: "touched", want: map[string]int{big: 1, small: 2, notes: 1},
				change: func(t *testing.T, dir, _ string) {
					later := time.Now().Add(-time.Minute)
					if err := os.Chtimes(filepath.Join(dir, "content/a", small), later, later); err != nil {
						t.Fatal(err)
					}
				}},
			{name: "replaced by rename", want: map[string]int{big: 1, small: 1, notes: 2},
				change: func(t *testing.T, dir, _ string) {
					p := filepath.Join(dir, "content/a", notes)
					writeFiles(t, dir, map[string]string{"content/a/notes.new": "NOTES\n"})
					if err := os.Rename(filepath.Join(dir, "content/a/notes.new"), p); err != nil {
						t.Fatal(err)
					}
				}},
			{name: "index cut short", want: all(2),
				change: func(t *testing.T, _, photos string) {
					p := filepath.Join(photos, indexName)
					data, err := os.ReadFile(p)
					if err != nil {
						t.Fatal(err)
					}
					os.WriteFile(p, data[:len(data)/2], 0o644)
				}},
			{name: "index damaged", want: all(2),
				change: func(t *testing.T, _, photos string) {
					p := filepath.Join(photos, indexName)
					data, err := os.ReadFile(p)
					if err != nil {
						t.Fatal(err)
					}
					data[len(data)/2] ^= 1
					os.WriteFile(p, data, 0o644)
				}},
			{name: "index of another key", want: all(2),
				change: func(t *testing.T, _, photos string) {
					p := filepath.Join(photos, indexName)
					data, err := os.ReadFile(p)
					if err != nil {
						t.Fatal(err)
					}
					// A whole entry, its bytes as written, of another key.
					cache.Open(photos).Put(indexName, cache.KeyOf("another index"), data)
				}},
		} {
			t.Run(tc.name+"/noDerivatives="+strconv.FormatBool(noDerivatives), func(t *testing.T) {
				if !tc.racy {
					aheadClock(t)
				}
				dir := indexSite(t)
				photos := filepath.Join(t.TempDir(), "photos")
				fsys := newCountFS(dir)
				first, err := buildMem(t, fsys, photos, noDerivatives)
				if err != nil {
					t.Fatal(err)
				}
				if got := fsys.reads(); !maps.Equal(got, all(2)) {
					t.Fatalf("first build opened %v, want each file twice (read, then written)", got)
				}
				if _, err := os.Stat(filepath.Join(photos, indexName)); err != nil {
					t.Fatalf("no index after the first build: %v", err)
				}
				if tc.change != nil {
					tc.change(t, dir, photos)
				}
				second, err := buildMem(t, fsys, photos, noDerivatives)
				if err != nil {
					t.Fatal(err)
				}
				if got := fsys.reads(); !maps.Equal(got, tc.want) {
					t.Errorf("second build opened %v, want %v", got, tc.want)
				}
				// The same output as a build without any index.
				clean, err := buildMem(t, os.DirFS(dir), "", noDerivatives)
				if err != nil {
					t.Fatal(err)
				}
				compare(t, "second build", second, clean)
				if tc.change == nil {
					compare(t, "first build", first, clean)
				}
				// The index the second build left is trusted by a third.
				third, err := buildMem(t, fsys, photos, noDerivatives)
				if err != nil {
					t.Fatal(err)
				}
				if want := all(1); tc.racy {
					if got := fsys.reads(); !maps.Equal(got, all(2)) {
						t.Errorf("third build opened %v, want %v (still racy)", got, all(2))
					}
				} else if got := fsys.reads(); !maps.Equal(got, want) {
					t.Errorf("third build opened %v, want %v", got, want)
				}
				compare(t, "third build", third, clean)
			})
		}
	}
}

// TestPhotoIndexKeptOutput: with the build cache and the kept output, a
// build of an unchanged site opens none of the photos.
func TestPhotoIndexKeptOutput(t *testing.T) {
	if !statSupported {
		t.Skip("no stat for the photo index on this system")
	}
	aheadClock(t)
	dir := indexSite(t)
	root := t.TempDir()
	out, kept, cache := filepath.Join(root, "public"), filepath.Join(root, "kept"), filepath.Join(root, "cache")
	fsys := newCountFS(dir)
	build := func() {
		t.Helper()
		d, err := publish.CreateReusing(out, kept)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := NewBuilder(Options{FS: fsys, Now: clock, Cache: cache}).Build(context.Background(), d); err != nil {
			d.Abort()
			t.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	build()
	fsys.reads()
	build()
	// The photos are carried over unread; the build cache carries over
	// no file that is not a photo (keepFile), so notes.txt is written
	// again, and read for that only.
	if got, want := fsys.reads(), map[string]int{"notes.txt": 1}; !maps.Equal(got, want) {
		t.Errorf("unchanged site: opened %v, want %v", got, want)
	}
	// Without the build cache, the files are written again: each is read
	// once, for writing, and checked against the index.
	os.Remove(filepath.Join(cache, manifestName))
	build()
	if got, want := fsys.reads(), map[string]int{"photos/big.png": 1, "photos/small.png": 1, "notes.txt": 1}; !maps.Equal(got, want) {
		t.Errorf("without the build cache: opened %v, want %v", got, want)
	}
	clean, err := buildMem(t, os.DirFS(dir), "", false)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	for name, data := range tree(t, out) {
		got[filepath.ToSlash(name)] = []byte(data)
	}
	delete(got, ".gitkeep")
	compare(t, "kept output", got, clean)
}

// TestPhotoIndexWrongBytes: when a file's bytes are not those its entry
// promised (the index says otherwise than the file), the build fails
// rather than publish them under the recorded name, and clears the index;
// the next build is right.
func TestPhotoIndexWrongBytes(t *testing.T) {
	if !statSupported {
		t.Skip("no stat for the photo index on this system")
	}
	for _, victim := range []string{"content/a/photos/big.png", "content/a/notes.txt"} {
		t.Run(victim, func(t *testing.T) {
			aheadClock(t)
			dir := indexSite(t)
			photos := filepath.Join(t.TempDir(), "photos")
			if _, err := buildMem(t, os.DirFS(dir), photos, false); err != nil {
				t.Fatal(err)
			}
			// Rewrite the index with another hash for the victim.
			p := filepath.Join(photos, indexName)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			key, err := indexKey(&photo.Cache{})
			if err != nil {
				t.Fatal(err)
			}
			body, err := cache.Decode(data, key)
			if err != nil {
				t.Fatal(err)
			}
			written, entries := decodeIndex(body)
			if entries[victim] == nil {
				t.Fatalf("no entry for %s in %v", victim, slices.Collect(maps.Keys(entries)))
			}
			var files []*file
			for src, e := range entries {
				f := &file{src: src, stat: e.Stat, hash: e.Hash, size: e.Size, width: e.Width, height: e.Height, out: e.Out, variants: e.Variants}
				if e.ImgErr != "" {
					f.imgErr = errors.New(e.ImgErr)
				}
				if src == victim {
					f.hash = strings.Repeat("0", len(f.hash))
				}
				files = append(files, f)
			}
			if err := cache.Open(photos).Put(indexName, key, encodeIndex(written, files)); err != nil {
				t.Fatal(err)
			}

			_, err = buildMem(t, os.DirFS(dir), photos, false)
			if err == nil || !strings.Contains(err.Error(), victim+" changed while the site was being built") {
				t.Fatalf("build with a wrong index: error %v", err)
			}
			if _, err := os.Stat(p); !os.IsNotExist(err) {
				t.Errorf("the index is still there after a mismatch (%v)", err)
			}
			got, err := buildMem(t, os.DirFS(dir), photos, false)
			if err != nil {
				t.Fatal(err)
			}
			clean, err := buildMem(t, os.DirFS(dir), "", false)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, "after the mismatch", got, clean)
		})
	}
}

// TestPhotoIndexRebuild: the preview's rebuilds and single-report builds
// see a photo rewritten with the same size and modification time.
func TestPhotoIndexRebuild(t *testing.T) {
	if !statSupported {
		t.Skip("no stat for the photo index on this system")
	}
	aheadClock(t)
	for _, preview := range []bool{false, true} {
		t.Run("preview="+strconv.FormatBool(preview), func(t *testing.T) {
			dir := indexSite(t)
			photos := filepath.Join(t.TempDir(), "photos")
			opts := Options{FS: os.DirFS(dir), Now: clock, Cache: photos, Preview: preview}
			if _, err := NewBuilder(opts).Build(context.Background(), newMem()); err != nil {
				t.Fatal(err)
			}
			b := NewBuilder(opts) // takes the photos from the index
			live := newMem()
			if _, err := b.Build(context.Background(), live); err != nil {
				t.Fatal(err)
			}
			const big = "content/a/photos/big.png"
			rewrite(t, filepath.Join(dir, big), testPNG(t, 520, 30, 7))
			res, full, err := b.Rebuild(context.Background(), []string{big}, live)
			if err != nil || full {
				t.Fatalf("rebuild: full %v, error %v", full, err)
			}
			for _, r := range res.Removed {
				delete(live.files, r)
			}
			cleanOpts := opts
			cleanOpts.Cache = ""
			clean := newMem()
			if _, err := NewBuilder(cleanOpts).Build(context.Background(), clean); err != nil {
				t.Fatal(err)
			}
			compare(t, "rebuild", live.files, clean.files)

			single := newMem()
			if _, err := b.Single(nil).Report(context.Background(), "a", single); err != nil {
				t.Fatal(err)
			}
			for name, data := range single.files {
				if want, ok := clean.files[name]; !ok || !bytes.Equal(data, want) {
					t.Errorf("single-report build: %s differs from the clean build's", name)
				}
			}
		})
	}
}

func TestDecodeIndexRejects(t *testing.T) {
	f := &file{src: "content/a/p.png", stat: statKey{Size: 5, Mtime: 6, Ctime: 7, Ino: 8, Dev: 9}, hash: "abc", size: 4,
		width: 3, height: 2, out: "assets/photos/p.abc.png", variants: []variant{{1, 1, "assets/photos/p-1.def.png", ""}, {1, 1, "assets/photos/p-1.fed.avif", "image/avif"}},
		imgErr: nil}
	good := encodeIndex(42, []*file{f})
	written, m := decodeIndex(good)
	if written != 42 || len(m) != 1 {
		t.Fatalf("decode: %d, %v", written, m)
	}
	e := m[f.src]
	if e.Stat != f.stat || e.Hash != f.hash || e.Out != f.out || !slices.Equal(e.Variants, f.variants) || e.Width != 3 || e.Height != 2 || e.Size != 4 {
		t.Errorf("decode: %+v", e)
	}
	// Damage is the cache's to find (package cache); a body of another
	// layout must still give nothing rather than a wrong entry.
	for name, data := range map[string][]byte{
		"empty": nil,
		"short": good[:len(good)-1],
		"other": []byte("not gob"),
	} {
		if _, m := decodeIndex(data); m != nil {
			t.Errorf("%s: decoded %v", name, m)
		}
	}
}

// BenchmarkPhotoIndex measures what a build spends on each photo before
// writing it (load: read, hash, check, derive), with and without an index
// that knows the photos.
func BenchmarkPhotoIndex(b *testing.B) {
	if !statSupported {
		b.Skip("no stat for the photo index on this system")
	}
	dir := b.TempDir()
	const n = 500
	var srcs []string
	for i := range n {
		src := "content/r" + strconv.Itoa(i) + "/photos/p.png"
		p := filepath.Join(dir, filepath.FromSlash(src))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, testPNG(b, 40, 30, uint8(i%7)), 0o644); err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	fsys := os.DirFS(dir)
	indexClock = func() time.Time { return time.Now().Add(time.Hour) }
	b.Cleanup(func() { indexClock = time.Now })
	for _, indexed := range []bool{false, true} {
		b.Run("index="+strconv.FormatBool(indexed), func(b *testing.B) {
			photos := &photo.Cache{Store: cache.Open(b.TempDir())}
			load := func() *files {
				s := newFiles(fsys, photos, publish.NewMinifier())
				if indexed {
					s.openIndex(photos.Store)
				}
				for _, src := range srcs {
					if f := s.get(context.Background(), src); f.err != nil || f.imgErr != nil {
						b.Fatal(src, f.err, f.imgErr)
					}
				}
				return s
			}
			load().saveIndex()
			b.ResetTimer()
			for b.Loop() {
				load()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/photo")
		})
	}
}
