package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"testing"
)

// convert copies the pattern into an image of another kind.
func convert(src image.Image, dst interface {
	image.Image
	Set(x, y int, c color.Color)
}) image.Image {
	b := src.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			dst.Set(x, y, src.At(x, y))
		}
	}
	return dst
}

// typedImages are small sources of every kind the decoders return.
func typedImages(t testing.TB) map[string][]byte {
	p := pattern(60, 40)
	r := p.Bounds()
	pal := color.Palette{color.Black, color.White, red, blue, color.RGBA{0, 128, 0, 255}}
	gray := encodeJPEG(t, convert(p, image.NewGray(r)))
	return map[string][]byte{
		"jpeg ycbcr":         encodeJPEG(t, p),
		"jpeg gray":          gray,
		"jpeg gray rotated":  withSegments(gray, exifSegment(tiff(binary.LittleEndian, orientationEntry(6)))),
		"png rgba":           encodePNG(t, p),
		"png nrgba":          encodePNG(t, convert(p, image.NewNRGBA(r))),
		"png gray":           encodePNG(t, convert(p, image.NewGray(r))),
		"png gray16":         encodePNG(t, convert(p, image.NewGray16(r))),
		"png rgba64":         encodePNG(t, convert(p, image.NewRGBA64(r))),
		"png nrgba64":        encodePNG(t, convert(p, image.NewNRGBA64(r))),
		"png paletted":       encodePNG(t, convert(p, image.NewPaletted(r, pal))),
		"png of a sub-image": encodePNG(t, p.SubImage(image.Rect(5, 5, 55, 35))),
		"jpeg with exif 8":   withSegments(encodeJPEG(t, p), exifSegment(tiff(binary.BigEndian, orientationEntry(8)))),
		"jpeg quality 1": func() []byte {
			var b bytes.Buffer
			if err := jpeg.Encode(&b, p, &jpeg.Options{Quality: 1}); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}(),
		"gif": func() []byte { var b bytes.Buffer; gif.Encode(&b, p, nil); return b.Bytes() }(),
	}
}

func TestDeriveImageTypes(t *testing.T) {
	for name, src := range typedImages(t) {
		c := &Cache{Widths: []int{20, 30}}
		r, err := c.Derive(context.Background(), src)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if r.Format == "gif" {
			if len(r.Variants) != 0 {
				t.Errorf("%s: %d variants; want none", name, len(r.Variants))
			}
			continue
		}
		if len(r.Variants) != 2 {
			t.Errorf("%s: %d variants; want 2", name, len(r.Variants))
			continue
		}
		for _, v := range r.Variants {
			img, format, err := image.Decode(bytes.NewReader(v.Data))
			if err != nil || format != r.Format || img.Bounds() != image.Rect(0, 0, v.Width, v.Height) {
				t.Errorf("%s: the %d×%d variant decodes as %s %v (%v)", name, v.Width, v.Height, format, img.Bounds(), err)
			}
			if v.Height != scaledHeight(v.Width, r.Width, r.Height) {
				t.Errorf("%s: variant %d×%d of %d×%d", name, v.Width, v.Height, r.Width, r.Height)
			}
		}
	}
}

// FuzzDerive feeds Derive damaged images of every kind: it must return a
// result or an error, never panic, and what it returns must decode.
func FuzzDerive(f *testing.F) {
	for _, src := range typedImages(f) {
		f.Add(src)
	}
	f.Add(hugePNG(100, 100))
	f.Fuzz(func(t *testing.T, src []byte) {
		c := &Cache{Widths: []int{8, 16}, MaxPixels: 256 * 256}
		r, err := c.Derive(context.Background(), src)
		if err != nil {
			return
		}
		if r.Width < 1 || r.Height < 1 || r.Width*r.Height > 256*256 {
			t.Fatalf("Derive gave %d×%d", r.Width, r.Height)
		}
		for _, v := range append([]Variant{{Width: r.Width, Height: r.Height, Data: r.Original}}, r.Variants...) {
			if r.Format == "gif" {
				break
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(v.Data))
			if err != nil || format != r.Format || cfg.Width != v.Width || cfg.Height != v.Height {
				t.Fatalf("a %d×%d file of the result reads as %s %d×%d (%v)", v.Width, v.Height, format, cfg.Width, cfg.Height, err)
			}
		}
	})
}
