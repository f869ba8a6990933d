package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"dateline/cmd/internal/cache"

	"golang.org/x/image/draw"
)

type size struct{ w, h int }

func decode(t *testing.T, data []byte) (image.Image, string) {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("derived file does not decode: %v", err)
	}
	return img, format
}

func TestDeriveSizes(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		src      []byte
		widths   []int
		want     size   // upright size
		variants []size // narrowest first
		reencode bool   // Original is re-encoded, not the source stripped
		format   string
	}{
		{"landscape 1200×800", orientedJPEG(t, 1200, 800, 0), nil,
			size{1200, 800}, []size{{480, 320}, {960, 640}}, false, "jpeg"},
		{"portrait 400×600", orientedJPEG(t, 400, 600, 0), []int{240, 480},
			size{400, 600}, []size{{240, 360}}, false, "jpeg"},
		{"wider than every width", orientedJPEG(t, 700, 350, 1), []int{100, 200, 300},
			size{700, 350}, []size{{100, 50}, {200, 100}, {300, 150}}, false, "jpeg"},
		{"exactly as wide as a width", orientedJPEG(t, 320, 180, 0), []int{160, 320},
			size{320, 180}, []size{{160, 90}}, false, "jpeg"},
		{"narrower than every width", orientedJPEG(t, 400, 300, 0), nil,
			size{400, 300}, nil, false, "jpeg"},
		{"oriented 6, narrower than every width", orientedJPEG(t, 600, 400, 6), nil,
			size{400, 600}, nil, true, "jpeg"},
		{"oriented 6, stored 600×400", orientedJPEG(t, 600, 400, 6), []int{240, 480},
			size{400, 600}, []size{{240, 360}}, true, "jpeg"},
		{"oriented 8, stored 500×300", orientedJPEG(t, 500, 300, 8), []int{150},
			size{300, 500}, []size{{150, 250}}, true, "jpeg"},
		{"oriented 3 keeps its size", orientedJPEG(t, 500, 300, 3), []int{250},
			size{500, 300}, []size{{250, 150}}, true, "jpeg"},
		{"height rounded up", orientedJPEG(t, 301, 200, 0), []int{150},
			size{301, 200}, []size{{150, 100}}, false, "jpeg"}, // 150×200/301 = 99.7
		{"height rounded down", orientedJPEG(t, 301, 199, 0), []int{100},
			size{301, 199}, []size{{100, 66}}, false, "jpeg"}, // 100×199/301 = 66.1
		{"a thin strip keeps a height of 1", orientedJPEG(t, 2000, 2, 0), []int{100},
			size{2000, 2}, []size{{100, 1}}, false, "jpeg"},
		{"widths unsorted, repeated, not positive", orientedJPEG(t, 600, 400, 0), []int{480, -1, 0, 150, 480},
			size{600, 400}, []size{{150, 100}, {480, 320}}, false, "jpeg"},
		{"png", encodePNG(t, pattern(300, 150)), []int{120, 240},
			size{300, 150}, []size{{120, 60}, {240, 120}}, false, "png"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &Cache{Widths: tc.widths, NoModern: true}
			r, err := c.Derive(ctx, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if r.Width != tc.want.w || r.Height != tc.want.h {
				t.Errorf("Derive: %d×%d; want %d×%d", r.Width, r.Height, tc.want.w, tc.want.h)
			}
			if r.Format != tc.format {
				t.Errorf("Format = %q; want %q", r.Format, tc.format)
			}
			stripped, err := Strip(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if same := bytes.Equal(r.Original, stripped); same == tc.reencode {
				t.Errorf("Original is the stripped source: %v; want %v", same, !tc.reencode)
			}
			if img, format := decode(t, r.Original); format != tc.format || img.Bounds().Dx() != r.Width || img.Bounds().Dy() != r.Height {
				t.Errorf("Original is a %s of %v; want %s of %d×%d", format, img.Bounds().Size(), tc.format, r.Width, r.Height)
			}
			var got []size
			for _, v := range r.Variants {
				got = append(got, size{v.Width, v.Height})
				img, format := decode(t, v.Data)
				if img.Bounds().Dx() != v.Width || img.Bounds().Dy() != v.Height || format != tc.format {
					t.Errorf("variant %d×%d decodes as a %s of %v", v.Width, v.Height, format, img.Bounds().Size())
				}
				if v.Ext != r.Ext {
					t.Errorf("variant Ext = %q; want %q", v.Ext, r.Ext)
				}
			}
			if !equalSizes(got, tc.variants) {
				t.Errorf("variants %v; want %v", got, tc.variants)
			}
			if encoded, reused := c.Stats(); encoded != len(tc.variants)+btoi(tc.reencode) || reused != 0 {
				t.Errorf("Stats() = %d, %d; want %d, 0", encoded, reused, len(tc.variants)+btoi(tc.reencode))
			}
		})
	}
}

func equalSizes(a, b []size) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

var (
	red  = color.RGBA{220, 20, 20, 255}
	blue = color.RGBA{20, 20, 220, 255}
)

// TestDeriveUpright checks that every orientation is shown the right way up:
// the pattern's red block is at the stored top-left and its blue block at the
// stored top-right.
func TestDeriveUpright(t *testing.T) {
	type corner struct{ fx, fy float64 } // a point as a fraction of the width and height
	var (
		topLeft     = corner{0.1, 0.1}
		topRight    = corner{0.9, 0.1}
		bottomLeft  = corner{0.1, 0.9}
		bottomRight = corner{0.9, 0.9}
	)
	tests := []struct {
		o         int
		red, blue corner
	}{
		{1, topLeft, topRight},
		{2, topRight, topLeft},
		{3, bottomRight, bottomLeft},
		{4, bottomLeft, bottomRight},
		{5, topLeft, bottomLeft},
		{6, topRight, bottomRight},
		{7, bottomRight, topRight},
		{8, bottomLeft, topLeft},
	}
	for _, tc := range tests {
		// 100 pixels is a plain resize; 40 averages 2×2 or 3×3 blocks first.
		r, err := (&Cache{Widths: []int{40, 100}, NoModern: true}).Derive(context.Background(), orientedJPEG(t, 300, 180, tc.o))
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Variants) != 2 {
			t.Fatalf("orientation %d: %d variants; want 2", tc.o, len(r.Variants))
		}
		for _, data := range [][]byte{r.Original, r.Variants[0].Data, r.Variants[1].Data} {
			img, _ := decode(t, data)
			b := img.Bounds()
			at := func(c corner) color.Color {
				return img.At(int(c.fx*float64(b.Dx())), int(c.fy*float64(b.Dy())))
			}
			if !near(at(tc.red), red, 40) || !near(at(tc.blue), blue, 40) {
				t.Errorf("orientation %d, %v: red corner %v, blue corner %v; want red at %v, blue at %v",
					tc.o, b.Size(), at(tc.red), at(tc.blue), tc.red, tc.blue)
			}
		}
	}
}

func TestDerivePNGKeepsTransparency(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 800, 400))
	for y := 0; y < 400; y++ {
		for x := 0; x < 800; x++ {
			if x < 400 {
				img.SetNRGBA(x, y, color.NRGBA{0, 128, 0, 255})
			} // the right half stays transparent
		}
	}
	r, err := (&Cache{}).Derive(context.Background(), encodePNG(t, img))
	if err != nil {
		t.Fatal(err)
	}
	if r.Ext != ".png" || r.MediaType != "image/png" || len(r.Variants) != 1 {
		t.Fatalf("Derive(PNG) = %s %s with %d variants; want .png image/png with 1", r.Ext, r.MediaType, len(r.Variants))
	}
	v, _ := decode(t, r.Variants[0].Data)
	if _, _, _, a := v.At(470, 100).RGBA(); a != 0 {
		t.Errorf("the transparent half has alpha %d in the variant; want 0", a>>8)
	}
	if !near(v.At(10, 100), color.NRGBA{0, 128, 0, 255}, 2) {
		t.Errorf("the opaque half is %v in the variant; want green", v.At(10, 100))
	}
}

func TestDeriveGIFServedAsIs(t *testing.T) {
	var buf bytes.Buffer
	pal := image.NewPaletted(image.Rect(0, 0, 2000, 10), color.Palette{color.Black, color.White})
	if err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{pal, pal}, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	c := &Cache{Store: cache.Open(t.TempDir())}
	r, err := c.Derive(context.Background(), buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.Original, buf.Bytes()) || len(r.Variants) != 0 || r.Width != 2000 || r.Height != 10 || r.Ext != ".gif" {
		t.Errorf("Derive(GIF) = %d×%d %s with %d variants, original unchanged %v; want 2000×10 .gif, 0 variants, unchanged",
			r.Width, r.Height, r.Ext, len(r.Variants), bytes.Equal(r.Original, buf.Bytes()))
	}
	if e, u := c.Stats(); e != 0 || u != 0 {
		t.Errorf("Stats() = %d, %d; want 0, 0", e, u)
	}
}

func TestDeriveErrors(t *testing.T) {
	jpg := orientedJPEG(t, 600, 400, 0)
	tests := []struct {
		name string
		src  []byte
		want string // in the error; "" for ErrUnsupported
	}{
		{"empty", nil, ""},
		{"text", []byte("hello, world"), ""},
		{"webp", []byte("RIFF\x10\x00\x00\x00WEBPVP8 "), ""},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), ""},
		{"jpeg cut after its header", jpg[:len(jpg)/3], "decoding the image"},
		{"jpeg header cut short", jpg[:20], "reading the image header"},
		{"png of 60000×60000", hugePNG(60000, 60000), "60000x60000 pixels, over the limit of 50 million pixels"},
		{"png of 0×10", hugePNG(0, 10), "image"},
	}
	for _, tc := range tests {
		_, err := (&Cache{}).Derive(context.Background(), tc.src)
		switch {
		case err == nil:
			t.Errorf("%s: Derive succeeded; want an error", tc.name)
		case tc.want == "" && !errors.Is(err, ErrUnsupported):
			t.Errorf("%s: Derive: %v; want ErrUnsupported", tc.name, err)
		case tc.want != "" && !strings.Contains(err.Error(), tc.want):
			t.Errorf("%s: Derive: %v; want an error containing %q", tc.name, err, tc.want)
		case err.Error() != strings.ToLower(err.Error()[:1])+err.Error()[1:] || strings.HasSuffix(err.Error(), "."):
			t.Errorf("%s: error %q: want lower-case, no trailing period", tc.name, err)
		}
	}
}

// hugePNG is the start of a PNG whose header claims w×h pixels, with a
// little image data after it: what an attacker or a broken tool might send.
func hugePNG(w, h int) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		start := len(b)
		b = append(b, typ...)
		b = append(b, data...)
		b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b
}

func TestDeriveRefusesHugeImageWithoutAllocating(t *testing.T) {
	for _, src := range [][]byte{hugePNG(60000, 60000), jpegHeader(60000, 60000)} {
		c := &Cache{Store: cache.Open(t.TempDir())}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, err := c.Derive(context.Background(), src)
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), "over the limit") {
			t.Errorf("Derive(60000×60000 header): %v; want an error about the limit", err)
		}
		// Decoding would need 14 GB; reading the header needs a few KB.
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("Derive(60000×60000 header) allocated %d bytes; want under 1 MB", n)
		}
		if elapsed > time.Second {
			t.Errorf("Derive(60000×60000 header) took %v; want well under a second", elapsed)
		}
		if e, u := c.Stats(); e != 0 || u != 0 {
			t.Errorf("Stats() = %d, %d; want 0, 0", e, u)
		}
	}
	// MaxPixels lowers the limit.
	if _, err := (&Cache{MaxPixels: 1000}).Derive(context.Background(), orientedJPEG(t, 40, 30, 0)); err == nil {
		t.Error("Derive(40×30) with MaxPixels 1000 succeeded; want an error")
	}
}

// jpegHeader is a baseline JPEG that stops right after a frame header
// claiming w×h pixels.
func jpegHeader(w, h int) []byte {
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 1, 1, 0x11, 0}
	dqt := append([]byte{0}, bytes.Repeat([]byte{1}, 64)...)
	return file(soi, segment(0xE0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")), segment(0xDB, dqt), segment(0xC0, sof))
}

func TestDeriveIsDeterministic(t *testing.T) {
	widths := []int{200, 300}
	for _, src := range [][]byte{orientedJPEG(t, 500, 300, 0), orientedJPEG(t, 300, 500, 6), encodePNG(t, pattern(500, 300))} {
		r1, err := (&Cache{Widths: widths}).Derive(context.Background(), src)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := (&Cache{Store: cache.Open(t.TempDir()), Widths: widths}).Derive(context.Background(), bytes.Clone(src))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r1.Original, r2.Original) {
			t.Error("two Derive calls gave different originals")
		}
		if len(r1.Variants) == 0 || len(r1.Variants) != len(r2.Variants) {
			t.Fatalf("%d and %d variants", len(r1.Variants), len(r2.Variants))
		}
		for i := range r1.Variants {
			if !bytes.Equal(r1.Variants[i].Data, r2.Variants[i].Data) {
				t.Errorf("two Derive calls gave different bytes for the %d-pixel variant", r1.Variants[i].Width)
			}
		}
	}
}

// cacheFiles lists the entries in a cache folder (no temporary files).
func cacheFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
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

func TestCacheReuse(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	photos := [][]byte{orientedJPEG(t, 425, 250, 0), orientedJPEG(t, 425, 250, 6), encodePNG(t, pattern(250, 150))}
	widths := []int{120, 240, 400}
	// The variants of each (the rotated one is 250 pixels wide once upright),
	// and the upright original of the rotated one.
	const want, png = 3 + (2 + 1) + 2, 2

	first := &Cache{Store: cache.Open(dir), Widths: widths, NoModern: true}
	var results []*Result
	for _, p := range photos {
		r, err := first.Derive(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, r)
	}
	if e, u := first.Stats(); e != want || u != 0 {
		t.Errorf("first build: Stats() = %d, %d; want %d, 0", e, u, want)
	}
	if files := cacheFiles(t, dir); len(files) != want {
		t.Errorf("cache holds %d files; want %d: %q", len(files), want, files)
	}

	second := &Cache{Store: cache.Open(dir), Widths: widths, NoModern: true}
	for i, p := range photos {
		r, err := second.Derive(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.Original, results[i].Original) {
			t.Errorf("photo %d: the cached original differs from the encoded one", i)
		}
		for j := range r.Variants {
			if !bytes.Equal(r.Variants[j].Data, results[i].Variants[j].Data) {
				t.Errorf("photo %d: the cached %d-pixel variant differs from the encoded one", i, r.Variants[j].Width)
			}
		}
	}
	if e, u := second.Stats(); e != 0 || u != want {
		t.Errorf("second build: Stats() = %d, %d; want 0, %d", e, u, want)
	}

	// Another quality is another key; PNG entries do not depend on it.
	third := &Cache{Store: cache.Open(dir), Widths: widths, Quality: 60, NoModern: true}
	for _, p := range photos {
		if _, err := third.Derive(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if e, u := third.Stats(); e != want-png || u != png {
		t.Errorf("build at quality 60: Stats() = %d, %d; want %d, %d", e, u, want-png, png)
	}
}

func TestCorruptEntryIsRebuilt(t *testing.T) {
	ctx := context.Background()
	widths := []int{120, 240}
	src := orientedJPEG(t, 425, 250, 6) // upright 250×425: variants 120 and 240, and an upright original
	other := orientedJPEG(t, 425, 250, 0)
	otherDir := t.TempDir()
	otherRes, err := (&Cache{Store: cache.Open(otherDir), Widths: widths, NoModern: true}).Derive(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	otherEntry, err := os.ReadFile(cacheFiles(t, otherDir)[0])
	if err != nil {
		t.Fatal(err)
	}
	damages := []struct {
		name   string
		damage func(data []byte) []byte
	}{
		{"empty", func([]byte) []byte { return nil }},
		{"cut short", func(d []byte) []byte { return d[:len(d)/2] }},
		{"cut before its last byte", func(d []byte) []byte { return d[:len(d)-1] }},
		{"garbage", func(d []byte) []byte { return bytes.Repeat([]byte{0xFF}, len(d)) }},
		{"another size", func([]byte) []byte { return otherRes.Variants[0].Data }}, // 120×71, not 120×204
		{"a PNG", func([]byte) []byte { return encodePNG(t, pattern(120, 204)) }},
		// The same size, a few bytes flipped in the middle: the image
		// header and end marker intact.
		{"bytes flipped", func(d []byte) []byte {
			d = bytes.Clone(d)
			for i := len(d) / 2; i < len(d)/2+8; i++ {
				d[i] ^= 0x55
			}
			return d
		}},
		// Another valid JPEG of the size the entry should hold, whole.
		{"another JPEG", func([]byte) []byte { return orientedJPEG(t, 120, 204, 1) }},
		// Another entry of the cache, whole (its own key and sum).
		{"another entry", func([]byte) []byte { return otherEntry }},
	}
	dir := t.TempDir()
	want, err := (&Cache{Store: cache.Open(dir), Widths: widths, NoModern: true}).Derive(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	files := cacheFiles(t, dir)
	if len(files) != 3 {
		t.Fatalf("cache holds %d files; want 3", len(files))
	}
	for _, dmg := range damages {
		t.Run(dmg.name, func(t *testing.T) {
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(f, dmg.damage(data), 0o644); err != nil {
					t.Fatal(err)
				}
				c := &Cache{Store: cache.Open(dir), Widths: widths, NoModern: true}
				got, err := c.Derive(ctx, src)
				if err != nil {
					t.Fatal(err)
				}
				if e, u := c.Stats(); e != 1 || u != 2 || c.Repaired() != 1 {
					t.Errorf("%s: Stats() = %d, %d, Repaired() = %d; want 1, 2, 1", filepath.Base(f), e, u, c.Repaired())
				}
				if !bytes.Equal(got.Original, want.Original) || !bytes.Equal(got.Variants[0].Data, want.Variants[0].Data) ||
					!bytes.Equal(got.Variants[1].Data, want.Variants[1].Data) {
					t.Errorf("%s: the rebuilt result differs from the first", filepath.Base(f))
				}
				if data2, _ := os.ReadFile(f); !bytes.Equal(data2, data) {
					t.Errorf("%s: the damaged entry was not rewritten", filepath.Base(f))
				}
			}
		})
	}
}

func TestConcurrentDerive(t *testing.T) {
	ctx := context.Background()
	src := orientedJPEG(t, 550, 350, 6) // the 240 variant and the upright original
	other := encodePNG(t, pattern(300, 150))
	c := &Cache{Store: cache.Open(t.TempDir()), Widths: []int{240}, NoModern: true}
	const n = 8
	results := make([]*Result, 2*n)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			p := src
			if i%2 == 1 {
				p = other
			}
			r, err := c.Derive(ctx, p)
			if err != nil {
				t.Error(err)
				return
			}
			results[i] = r
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for i, r := range results[2:] {
		want := results[i%2]
		if !bytes.Equal(r.Original, want.Original) || len(r.Variants) != len(want.Variants) ||
			!bytes.Equal(r.Variants[0].Data, want.Variants[0].Data) {
			t.Errorf("Derive %d gave another result than the first for the same photo", i+2)
		}
	}
	// Each file was encoded once, by whichever call came first; a call that
	// came after the first had finished found the files in the cache.
	if e, _ := c.Stats(); e != 3 {
		t.Errorf("Stats() = %d encoded; want 3", e)
	}

	// Two Caches on one folder, as two builds at once: both succeed and the
	// folder holds whole files only.
	dir := t.TempDir()
	var wg2 sync.WaitGroup
	for range 4 {
		wg2.Go(func() {
			if _, err := (&Cache{Store: cache.Open(dir), Widths: []int{240}, NoModern: true}).Derive(ctx, src); err != nil {
				t.Error(err)
			}
		})
	}
	wg2.Wait()
	if files := cacheFiles(t, dir); len(files) != 2 {
		t.Errorf("after concurrent builds the cache holds %q; want 2 entries and no temporary files", files)
	}
	c2 := &Cache{Store: cache.Open(dir), Widths: []int{240}, NoModern: true}
	if _, err := c2.Derive(ctx, src); err != nil {
		t.Fatal(err)
	}
	if e, u := c2.Stats(); e != 0 || u != 2 {
		t.Errorf("after concurrent builds: Stats() = %d, %d; want 0, 2", e, u)
	}
}

func TestDeriveCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := &Cache{Store: cache.Open(t.TempDir())}
	if _, err := c.Derive(ctx, orientedJPEG(t, 1000, 600, 0)); !errors.Is(err, context.Canceled) {
		t.Errorf("Derive with a canceled context: %v; want context.Canceled", err)
	}
	if e, u := c.Stats(); e != 0 || u != 0 {
		t.Errorf("Stats() = %d, %d; want 0, 0", e, u)
	}
}

// TestCacheDirUnwritable: a cache that cannot be written fails no photo;
// the derivatives are made all the same, and the cache says why it kept
// none.
func TestCacheDirUnwritable(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	src := orientedJPEG(t, 1000, 600, 0)
	want, err := (&Cache{}).Derive(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{blocker, filepath.Join(blocker, "photos")} {
		store := cache.Open(p)
		got, err := (&Cache{Store: store}).Derive(ctx, src)
		if err != nil {
			t.Fatalf("Derive with the cache at %s: %v", p, err)
		}
		if !bytes.Equal(got.Original, want.Original) || len(got.Variants) != len(want.Variants) {
			t.Errorf("Derive with the cache at %s gave another result", p)
		}
		if store.Err() == nil {
			t.Errorf("cache at %s: no error", p)
		}
	}
}

func TestSrcset(t *testing.T) {
	tests := []struct {
		urls   []string
		widths []int
		want   string
	}{
		{nil, nil, ""},
		{[]string{"a.480.jpg"}, []int{480}, "a.480.jpg 480w"},
		{[]string{"/p/a.1.jpg", "/p/a.2.jpg", "/p/a.3.jpg"}, []int{480, 960, 1200},
			"/p/a.1.jpg 480w, /p/a.2.jpg 960w, /p/a.3.jpg 1200w"},
		{[]string{"a.jpg", "b.jpg"}, []int{480}, "a.jpg 480w"},
		{[]string{"a.jpg"}, []int{480, 960}, "a.jpg 480w"},
		{[]string{"a b,c.jpg"}, []int{480}, "a%20b%2Cc.jpg 480w"},
		{[]string{"a.jpg", "", "c.jpg"}, []int{0, 960, 1600}, "c.jpg 1600w"},
	}
	for _, tc := range tests {
		if got := Srcset(tc.urls, tc.widths); got != tc.want {
			t.Errorf("Srcset(%q, %v) = %q; want %q", tc.urls, tc.widths, got, tc.want)
		}
	}
}

// TestShrinkThenResizeMatchesResize checks that averaging blocks before a
// large reduction gives what a plain Catmull-Rom resize would (PNG, so no
// encoder error hides a difference).
func TestShrinkThenResizeMatchesResize(t *testing.T) {
	src := pattern(600, 400)
	r, err := (&Cache{Widths: []int{75}}).Derive(context.Background(), encodePNG(t, src)) // k = 4
	if err != nil {
		t.Fatal(err)
	}
	got, _ := decode(t, r.Variants[0].Data)
	want := image.NewRGBA(image.Rect(0, 0, 75, 50))
	draw.CatmullRom.Scale(want, want.Bounds(), src, src.Bounds(), draw.Src, nil)
	var sum, worst int
	for y := 0; y < 50; y++ {
		for x := 0; x < 75; x++ {
			g, w := got.At(x, y).(color.RGBA), want.RGBAAt(x, y)
			for _, d := range []int{abs(int(g.R) - int(w.R)), abs(int(g.G) - int(w.G)), abs(int(g.B) - int(w.B))} {
				sum += d
				worst = max(worst, d)
			}
		}
	}
	if mean := float64(sum) / (75 * 50 * 3); mean > 0.5 || worst > 8 {
		t.Errorf("shrink then resize differs from a resize by %.2f on average, %d at worst; want at most 0.5 and 8", mean, worst)
	} else {
		t.Logf("mean difference %.3f, worst %d", mean, worst)
	}
}
