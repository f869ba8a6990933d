package photo

import (
	"context"
	"fmt"
	"os"
	"testing"

	"dateline/cmd/internal/cache"
)

// BenchmarkDerive measures one photo: cold (nothing cached: decode, resize
// and encode every width) and cached (a later build: read and check the
// cache entries). It reports milliseconds per photo.
func BenchmarkDerive(b *testing.B) {
	for _, bc := range []struct {
		w, h, o int
		widths  []int
	}{
		{1600, 1067, 1, []int{480, 960, 1280}},
		{1200, 800, 1, nil},  // the size of the sample site's photos: 480 and 960
		{1200, 800, 0, nil},  // one of them
		{1200, 800, 6, nil},  // the same, shot sideways: 480 and an upright original
		{4000, 3000, 1, nil}, // straight from a 12-megapixel camera: 480, 960 and 1600
	} {
		src := orientedJPEG(b, bc.w, bc.h, bc.o)
		name := fmt.Sprintf("%dx%d-o%d", bc.w, bc.h, bc.o)
		if bc.o == 0 { // the sample site's photo, when it is there
			var err error
			if src, err = os.ReadFile(samplePhoto); err != nil {
				b.Logf("no sample photo: %v", err)
				continue
			}
			name = "sample-" + name
		}
		b.Run(name+"/cold", func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := (&Cache{Widths: bc.widths}).Derive(context.Background(), src); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/photo")
		})
		b.Run(name+"/cached", func(b *testing.B) {
			dir := b.TempDir()
			if _, err := (&Cache{Store: cache.Open(dir), Widths: bc.widths}).Derive(context.Background(), src); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				c := &Cache{Store: cache.Open(dir), Widths: bc.widths}
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
