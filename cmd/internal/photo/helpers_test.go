package photo

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// tiff builds the body of an Exif segment: a TIFF header in byte order bo
// and an IFD0 holding the given entries (tag, type, count, value).
func tiff(bo binary.AppendByteOrder, entries ...[4]uint32) []byte {
	var b []byte
	if bo == binary.AppendByteOrder(binary.LittleEndian) {
		b = append(b, "II"...)
	} else {
		b = append(b, "MM"...)
	}
	b = bo.AppendUint16(b, 42)
	b = bo.AppendUint32(b, 8)
	b = bo.AppendUint16(b, uint16(len(entries)))
	for _, e := range entries {
		b = bo.AppendUint16(b, uint16(e[0]))
		b = bo.AppendUint16(b, uint16(e[1]))
		b = bo.AppendUint32(b, e[2])
		if e[1] == 3 { // a SHORT sits at the start of the value field
			b = bo.AppendUint16(b, uint16(e[3]))
			b = append(b, 0, 0)
		} else {
			b = bo.AppendUint32(b, e[3])
		}
	}
	return bo.AppendUint32(b, 0) // no next IFD
}

// orientationEntry is the IFD entry for orientation o.
func orientationEntry(o int) [4]uint32 { return [4]uint32{0x0112, 3, 1, uint32(o)} }

// segment builds a JPEG marker segment.
func segment(marker byte, payload []byte) []byte {
	b := []byte{0xFF, marker}
	b = binary.BigEndian.AppendUint16(b, uint16(len(payload)+2))
	return append(b, payload...)
}

// exifSegment is an APP1 Exif segment holding the TIFF body t.
func exifSegment(t []byte) []byte { return segment(0xE1, append([]byte("Exif\x00\x00"), t...)) }

// withSegments inserts segments into a JPEG file right after its SOI marker.
func withSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// pattern is a w×h test picture that looks enough like a photo for the
// encoders (smooth gradients with grain), with a solid red block in the
// top-left corner and a solid blue block in the top-right corner, so that
// a test can tell which way up it is.
func pattern(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	seed := uint32(1)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			seed = seed*1664525 + 1013904223
			grain := uint8(seed >> 28)
			c := color.RGBA{uint8(x * 200 / w), uint8(y * 200 / h), uint8((x + y) * 100 / (w + h)), 255}
			c.R += grain
			c.G += grain
			switch {
			case x < w/4 && y < h/4:
				c = color.RGBA{220, 20, 20, 255}
			case x >= w-w/4 && y < h/4:
				c = color.RGBA{20, 20, 220, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// orientedJPEG is a JPEG whose stored pixels are pattern(w, h) and whose Exif
// says orientation o (no Exif segment when o is 0).
func orientedJPEG(t testing.TB, w, h, o int) []byte {
	t.Helper()
	jpg := encodeJPEG(t, pattern(w, h))
	if o == 0 {
		return jpg
	}
	return withSegments(jpg, exifSegment(tiff(binary.BigEndian, orientationEntry(o))))
}

// near reports whether two colours are within tol of each other per channel.
func near(a, b color.Color, tol int) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) bool { return abs(int(x>>8)-int(y>>8)) <= tol }
	return d(ar, br) && d(ag, bg) && d(ab, bb)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
