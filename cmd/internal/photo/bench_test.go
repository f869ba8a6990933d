package photo

import (
	"context"
	"os"
	"strings"
	"testing"

	"dateline/cmd/internal/cache"
)

// BenchmarkDerive measures one photo: cold (nothing cached: decode, resize
// and encode every width, JPEG, then AVIF and WebP unless the case name
// says jpeg-only) and cached (a later build: read and check the cache
// entries). It reports milliseconds per photo and the kilobytes each
// format's copies come to. The cold-cache cost of the sample site's photos
// with modern formats (README, "Photos"):
//
//	go test -run '^$' -bench 'Derive/sample' -benchtime 3x ./cmd/internal/photo
func BenchmarkDerive(b *testing.B) {
	for _, bc := range []struct {
		name     string
		w, h, o  int
		file     string // a sample photo instead of a made one
		widths   []int
		jpegOnly bool
	}{
		{name: "1600x1067-o1", w: 1600, h: 1067, o: 1, widths: []int{480, 960, 1280}},
		{name: "1200x800-o6", w: 1200, h: 800, o: 6},   // shot sideways: 480 and an upright original
		{name: "4000x3000-o1", w: 4000, h: 3000, o: 1}, // a 12-megapixel camera: 480, 960 and 1600
		{name: "sample-1200x800", file: samplePhoto},   // 480, 960 and the 1200 original
		{name: "sample-1200x800-jpeg-only", file: samplePhoto, jpegOnly: true},
		{name: "sample-hero-1600x900", file: sampleHero}, // 480, 960 and the 1600 original
		{name: "sample-hero-1600x900-jpeg-only", file: sampleHero, jpegOnly: true},
	} {
		var src []byte
		if bc.file != "" {
			var err error
			if src, err = os.ReadFile(bc.file); err != nil {
				b.Logf("no sample photo: %v", err)
				continue
			}
		} else {
			src = orientedJPEG(b, bc.w, bc.h, bc.o)
		}
		b.Run(bc.name+"/cold", func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			var r *Result
			cpu := cpuTime()
			for b.Loop() {
				var err error
				if r, err = (&Cache{Widths: bc.widths, NoModern: bc.jpegOnly}).Derive(context.Background(), src); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/photo")
			b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/photo")
			size := 0
			for _, v := range r.Variants {
				size += len(v.Data)
			}
			b.ReportMetric(float64(size)/1000, "jpeg-kB")
			for _, s := range r.Sources {
				size := 0
				for _, v := range s.Variants {
					size += len(v.Data)
				}
				b.ReportMetric(float64(size)/1000, strings.TrimPrefix(s.MediaType, "image/")+"-kB")
			}
		})
		b.Run(bc.name+"/cached", func(b *testing.B) {
			dir := b.TempDir()
			if _, err := (&Cache{Store: cache.Open(dir), Widths: bc.widths, NoModern: bc.jpegOnly}).Derive(context.Background(), src); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				c := &Cache{Store: cache.Open(dir), Widths: bc.widths, NoModern: bc.jpegOnly}
				if _, err := c.Derive(context.Background(), src); err != nil {
					b.Fatal(err)
				}
				if e, _ := c.Stats(); e != 0 {
					b.Fatalf("a cached Derive encoded %d files", e)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/photo")
		})
	}
}

// samplePhoto is a photo of the sample site (1200×800, and smoother than
// a camera's, so it encodes faster and smaller).
const samplePhoto = "../../../content/dongguan-night-market/photos/stall-lights.jpg"

// sampleHero is the sample site's widest photo, 1600×900.
const sampleHero = "../../../content/yuhang-digital-governance/photos/hero.jpg"
