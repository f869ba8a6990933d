package photo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"slices"
	"testing"

	"dateline/cmd/internal/cache"

	"github.com/gen2brain/avif"
	"github.com/gen2brain/webp"
)

// decodeModern decodes a WebP or AVIF file with its library's decoder.
func decodeModern(t *testing.T, mediaType string, data []byte) image.Image {
	t.Helper()
	var img image.Image
	var err error
	switch mediaType {
	case "image/avif":
		img, err = avif.Decode(bytes.NewReader(data))
	case "image/webp":
		img, err = webp.Decode(bytes.NewReader(data))
	default:
		t.Fatalf("unexpected media type %q", mediaType)
	}
	if err != nil {
		t.Fatalf("%s does not decode: %v", mediaType, err)
	}
	return img
}

// sourceSizes lists "type WxH" for every copy in rs.
func sourceSizes(rs []Source) []string {
	var out []string
	for _, s := range rs {
		for _, v := range s.Variants {
			out = append(out, fmt.Sprintf("%s %dx%d%s", s.MediaType, v.Width, v.Height, v.Ext))
		}
	}
	return out
}

// TestDeriveModernSources: a JPEG gets AVIF then WebP copies at every
// derivative width and at full size, which decode (with the libraries'
// own decoders) to pictures of that size, the right way up; PNG, APNG
// and GIF get none; an original wider than
// ModernMaxWidth gets no full-size modern copy.
func TestDeriveModernSources(t *testing.T) {
	apng := encodePNG(t, pattern(40, 20))
	apng = slices.Concat(apng[:33], chunk("acTL", []byte{0, 0, 0, 1, 0, 0, 0, 0}), apng[33:])
	tests := []struct {
		name   string
		src    []byte
		widths []int
		want   []string
	}{
		{"jpeg", orientedJPEG(t, 240, 120, 6), []int{60, 100, 500}, []string{
			"image/avif 60x120.avif", "image/avif 100x200.avif", "image/avif 120x240.avif",
			"image/webp 60x120.webp", "image/webp 100x200.webp", "image/webp 120x240.webp"}},
		{"png", encodePNG(t, pattern(80, 40)), []int{40}, nil},
		{"gif", metadataGIF(t), []int{8}, nil},
		{"apng", apng, []int{20}, nil},
		{"wider than ModernMaxWidth", encodeJPEG(t, pattern(ModernMaxWidth+2, 4)), []int{64}, []string{
			"image/avif 64x1.avif", "image/webp 64x1.webp"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := (&Cache{Widths: tc.widths}).Derive(context.Background(), tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := sourceSizes(r.Sources); !slices.Equal(got, tc.want) {
				t.Fatalf("sources %q; want %q", got, tc.want)
			}
			for _, s := range r.Sources {
				for _, v := range s.Variants {
					img := decodeModern(t, s.MediaType, v.Data)
					if b := img.Bounds(); b.Dx() != v.Width || b.Dy() != v.Height {
						t.Errorf("%s %dx%d decodes to %v", s.MediaType, v.Width, v.Height, b)
					}
				}
			}
			if tc.name == "jpeg" {
				// Orientation 6: the red top-left block of the stored
				// pixels is now top-right.
				img := decodeModern(t, "image/avif", r.Sources[0].Variants[2].Data)
				if c := img.At(110, 10); !near(c, color.RGBA{220, 20, 20, 255}, 40) {
					t.Errorf("top right of the upright AVIF is %v; want red", c)
				}
			}
		})
	}
}

// TestModernDeterministicAndCached: two cold encodes give the same bytes;
// a second Cache on the same folder encodes nothing; a new AVIF quality
// encodes the AVIF copies again and nothing else.
func TestModernDeterministicAndCached(t *testing.T) {
	ctx := context.Background()
	src := encodeJPEG(t, pattern(200, 150))
	widths := []int{100}
	a, err := (&Cache{Widths: widths}).Derive(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	first := &Cache{Store: cache.Open(dir), Widths: widths}
	b, err := first.Derive(ctx, bytes.Clone(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Sources) != 2 || len(b.Sources) != 2 {
		t.Fatalf("%d and %d sources; want 2", len(a.Sources), len(b.Sources))
	}
	for i := range a.Sources {
		for j := range a.Sources[i].Variants {
			if !bytes.Equal(a.Sources[i].Variants[j].Data, b.Sources[i].Variants[j].Data) {
				t.Errorf("%s %dw differs between two cold encodes", a.Sources[i].MediaType, a.Sources[i].Variants[j].Width)
			}
		}
	}
	if e, r := first.Stats(); e != 5 || r != 0 { // 100w JPEG; 100w and full AVIF and WebP
		t.Errorf("cold: Stats() = %d, %d; want 5, 0", e, r)
	}
	second := &Cache{Store: cache.Open(dir), Widths: widths}
	c, err := second.Derive(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if e, r := second.Stats(); e != 0 || r != 5 {
		t.Errorf("cached: Stats() = %d, %d; want 0, 5", e, r)
	}
	if !bytes.Equal(c.Sources[0].Variants[0].Data, b.Sources[0].Variants[0].Data) {
		t.Error("the cached AVIF differs from the encoded one")
	}
	third := &Cache{Store: cache.Open(dir), Widths: widths, AVIFQuality: 30}
	d, err := third.Derive(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if e, r := third.Stats(); e != 2 || r != 3 {
		t.Errorf("AVIF quality 30: Stats() = %d, %d; want 2, 3", e, r)
	}
	if bytes.Equal(d.Sources[0].Variants[1].Data, b.Sources[0].Variants[1].Data) {
		t.Error("AVIF at quality 30 is the same file as at 50")
	}
}
