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
	"os"
	"path/filepath"
	"testing"
)

// Secrets that the metadata of the crafted files holds; none may survive.
var secrets = []string{
	"GPS-LAT-39N54", "SERIAL-XK42-9931", "photoshop:City", "xmpMM:History",
	"8BIM", "IPTC-BYLINE-SOURCE", "Ducky", "COMMENT-SOURCE-NAME", "TRAILER-AFTER-EOI",
	"THUMBNAIL-PIXELS", "PNG-TEXT-SECRET", "PNG-ITXT-SECRET", "PNG-EXIF-SECRET",
	"GIF-COMMENT-SECRET", "XMP DataXMP",
}

var (
	iccSegment   = segment(0xE2, []byte("ICC_PROFILE\x00\x01\x01fake profile bytes"))
	adobeSegment = segment(0xEE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01"))
)

// metadataJPEG is a JPEG of pattern(w, h) carrying every kind of metadata
// Strip drops, and an ICC profile and an Adobe segment it keeps.
func metadataJPEG(t testing.TB, w, h int) []byte {
	gps := tiff(binary.BigEndian, [4]uint32{0x8825, 4, 1, 26}) // GPS IFD pointer
	gps = append(gps, "GPS-LAT-39N54 SERIAL-XK42-9931"...)
	jfif := append([]byte("JFIF\x00\x01\x02\x00\x00\x48\x00\x48\x01\x01"), "THUMBNAIL-PIXELS"[:3]...)
	src := withSegments(encodeJPEG(t, pattern(w, h)),
		segment(0xE0, jfif),
		exifSegment(gps),
		segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta photoshop:City=\"Kyiv\" xmpMM:History=\"crop\"/>")),
		iccSegment,
		segment(0xED, []byte("Photoshop 3.0\x008BIM\x04\x04IPTC-BYLINE-SOURCE")),
		segment(0xEC, []byte("Ducky\x00\x01")),
		segment(0xFE, []byte("COMMENT-SOURCE-NAME")),
		adobeSegment,
	)
	return append(src, "TRAILER-AFTER-EOI"...)
}

// markers lists the segment markers of a JPEG before its first SOS.
func markers(b []byte) []byte {
	var ms []byte
	for i := 2; i+4 <= len(b) && b[i] == 0xFF; {
		m := b[i+1]
		ms = append(ms, m)
		if m == 0xDA {
			break
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	return ms
}

func chunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(append(b, typ...), data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// metadataPNG is a PNG of pattern(w, h) with text, time and Exif chunks
// after IHDR, and gAMA and pHYs chunks Strip keeps.
func metadataPNG(t testing.TB, w, h int) []byte {
	p := encodePNG(t, pattern(w, h))
	ihdrEnd := 8 + 12 + 13
	var extra []byte
	extra = append(extra, chunk("gAMA", []byte{0, 0, 0xB1, 0x8F})...)
	extra = append(extra, chunk("tEXt", []byte("Comment\x00PNG-TEXT-SECRET"))...)
	extra = append(extra, chunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00PNG-ITXT-SECRET"))...)
	extra = append(extra, chunk("eXIf", []byte("MM\x00\x2aPNG-EXIF-SECRET"))...)
	extra = append(extra, chunk("tIME", []byte{0x07, 0xEA, 11, 28, 15, 0, 0})...)
	extra = append(extra, chunk("pHYs", []byte{0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1})...)
	out := append(append(append([]byte{}, p[:ihdrEnd]...), extra...), p[ihdrEnd:]...)
	return append(out, "TRAILER-AFTER-EOI"...)
}

// metadataGIF is a two-frame looping GIF with a comment and an XMP
// application extension.
func metadataGIF(t testing.TB) []byte {
	pal := image.NewPaletted(image.Rect(0, 0, 16, 8), color.Palette{color.Black, color.White})
	pal.Pix[3] = 1
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{pal, pal}, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	at := 13 // after the header and screen descriptor
	if b[10]&0x80 != 0 {
		at += 3 << (b[10]&7 + 1) // and the global colour table
	}
	comment := append([]byte{0x21, 0xFE, 18}, "GIF-COMMENT-SECRET"...)
	comment = append(comment, 0)
	xmp := append([]byte{0x21, 0xFF, 11}, "XMP DataXMP"...)
	xmp = append(xmp, 4, 'a', 'b', 'c', 'd', 0)
	return append(append(append(append([]byte{}, b[:at]...), comment...), xmp...), b[at:]...)
}

// sameDecoding reports how the two files' decodings differ, "" when they
// decode to the same pixels (or both fail).
func sameDecoding(a, b []byte) string {
	ia, _, erra := image.Decode(bytes.NewReader(a))
	ib, _, errb := image.Decode(bytes.NewReader(b))
	switch {
	case (erra == nil) != (errb == nil):
		return "one decodes and the other does not: " + errString(erra) + " / " + errString(errb)
	case erra != nil:
		return ""
	case ia.Bounds() != ib.Bounds():
		return "different bounds"
	}
	r := ia.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if ia.At(x, y) != ib.At(x, y) {
				return "different pixels"
			}
		}
	}
	return ""
}

func errString(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

func TestStrip(t *testing.T) {
	tests := []struct {
		name string
		src  []byte
		keep [][]byte // byte strings that must survive
	}{
		{"jpeg", metadataJPEG(t, 64, 48), [][]byte{iccSegment, adobeSegment, []byte("JFIF\x00\x01\x02\x00\x00\x48\x00\x48\x00\x00")}},
		{"png", metadataPNG(t, 40, 30), [][]byte{chunk("gAMA", []byte{0, 0, 0xB1, 0x8F}), []byte("pHYs"), []byte("IEND")}},
		{"gif", metadataGIF(t), [][]byte{[]byte("NETSCAPE2.0")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Contains(tc.src, []byte(secrets[0])) && tc.name == "jpeg" {
				t.Fatal("the crafted file holds no secret")
			}
			out, err := Strip(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range secrets {
				if bytes.Contains(out, []byte(s)) {
					t.Errorf("%q survives", s)
				}
			}
			for _, k := range tc.keep {
				if !bytes.Contains(out, k) {
					t.Errorf("%q is gone", k)
				}
			}
			if d := sameDecoding(tc.src, out); d != "" {
				t.Error(d)
			}
			if _, _, err := image.Decode(bytes.NewReader(out)); err != nil {
				t.Errorf("stripped file does not decode: %v", err)
			}
		})
	}
}

func TestStripJPEGMarkers(t *testing.T) {
	out, err := Strip(metadataJPEG(t, 32, 32))
	if err != nil {
		t.Fatal(err)
	}
	// SOI is not listed; APP0, APP2, APP14 stay, then the encoder's DQT,
	// SOF0, DHT and SOS.
	want := []byte{0xE0, 0xE2, 0xEE, 0xDB, 0xC0, 0xC4, 0xDA}
	if got := markers(out); !bytes.Equal(got, want) {
		t.Errorf("markers % X; want % X", got, want)
	}
	if !bytes.HasSuffix(out, []byte{0xFF, 0xD9}) {
		t.Error("no EOI at the end")
	}
}

func TestStripWithoutMetadataIsIdentity(t *testing.T) {
	for _, src := range [][]byte{encodeJPEG(t, pattern(30, 20)), encodePNG(t, pattern(30, 20))} {
		out, err := Strip(src)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, src) {
			t.Errorf("a file without metadata changed (%d bytes to %d)", len(src), len(out))
		}
	}
}

func TestStripErrors(t *testing.T) {
	jpg := metadataJPEG(t, 32, 32)
	eoi := bytes.LastIndex(jpg, []byte{0xFF, 0xD9})
	p := metadataPNG(t, 20, 20)
	g := metadataGIF(t)
	tests := []struct {
		name string
		src  []byte
	}{
		{"jpeg SOI only", jpg[:2]},
		{"jpeg cut in a segment", jpg[:30]},
		{"jpeg cut in the image data", jpg[:eoi-10]},
		{"jpeg without EOI", jpg[:eoi]},
		{"jpeg reserved marker", []byte{0xFF, 0xD8, 0xFF, 0x02, 0, 2, 0xFF, 0xD9}},
		{"jpeg segment length 1", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 1, 0xFF, 0xD9}},
		{"jpeg garbage between segments", []byte{0xFF, 0xD8, 0x00, 0xFF, 0xD9}},
		{"png signature only", p[:8]},
		{"png cut in a chunk", p[:40]},
		{"png without IEND", p[:bytes.Index(p, []byte("IEND"))-4]},
		{"gif header only", g[:10]},
		{"gif cut in a block", g[:len(g)/2]},
		{"gif without trailer", g[:len(g)-1]},
	}
	for _, tc := range tests {
		out, err := Strip(tc.src)
		if err == nil {
			t.Errorf("%s: Strip succeeded with %d bytes; want an error", tc.name, len(out))
		} else if errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: %v; want an error about the file", tc.name, err)
		}
	}
	if _, err := Strip([]byte("RIFF\x10\x00\x00\x00WEBPVP8 ")); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Strip(webp): %v; want ErrUnsupported", err)
	}
}

func TestDeriveServesNoMetadata(t *testing.T) {
	ctx := context.Background()
	jpg := metadataJPEG(t, 300, 200)
	oriented := withSegments(metadataJPEG(t, 300, 200), exifSegment(tiff(binary.BigEndian, orientationEntry(6))))
	for name, src := range map[string][]byte{
		"jpeg": jpg, "jpeg oriented 6": oriented, "png": metadataPNG(t, 300, 200), "gif": metadataGIF(t),
	} {
		r, err := (&Cache{Widths: []int{100}}).Derive(ctx, src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files := [][]byte{r.Original}
		for _, v := range r.Variants {
			files = append(files, v.Data)
		}
		for _, f := range files {
			for _, s := range secrets {
				if bytes.Contains(f, []byte(s)) {
					t.Errorf("%s: %q is served", name, s)
				}
			}
		}
		if name == "jpeg" || name == "png" {
			if d := sameDecoding(src, r.Original); d != "" {
				t.Errorf("%s: original: %s", name, d)
			}
		}
	}
}

func FuzzStrip(f *testing.F) {
	f.Add(metadataJPEG(f, 16, 16))
	f.Add(metadataPNG(f, 8, 8))
	f.Add(metadataGIF(f))
	f.Add(encodeJPEG(f, pattern(8, 8)))
	paths, _ := filepath.Glob("testdata/orientation/*.jpg")
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := Strip(src)
		if err != nil {
			return
		}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(src)); err == nil && cfg.Width*cfg.Height > 1<<20 {
			return // too large to decode quickly
		}
		if d := sameDecoding(src, out); d != "" {
			t.Fatal(d)
		}
		again, err := Strip(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("stripping twice changes the file (%v)", err)
		}
	})
}

// jumbfSegments cuts a JUMBF superbox whose description box has type
// (16 bytes) and label into APP11 segments of box instance en, each
// holding at most chunk bytes of the box after the repeated LBox/TBox.
func jumbfSegments(en uint16, typ, label string, content []byte, chunk int) [][]byte {
	d := append([]byte("jumd"), typ...)
	d = append(d, 0x03) // toggles: requestable, label present
	d = append(d, label...)
	d = append(d, 0)
	jumdBox := append(binary.BigEndian.AppendUint32(nil, uint32(len(d)+4)), d...)
	body := append(jumdBox, content...)
	header := binary.BigEndian.AppendUint32(nil, uint32(len(body)+8))
	header = append(header, "jumb"...)
	var segs [][]byte
	for z := uint32(1); len(body) > 0; z++ {
		n := min(chunk, len(body))
		p := append([]byte("JP"), byte(en>>8), byte(en))
		p = binary.BigEndian.AppendUint32(p, z)
		p = append(p, header...)
		p = append(p, body[:n]...)
		body = body[n:]
		segs = append(segs, segment(0xEB, p))
	}
	return segs
}

// TestStripKeepsC2PA: a JPEG's C2PA manifest store (APP11 JUMBF, over two
// segments) survives Strip byte for byte, in order, while its Exif with a
// GPS position, its XMP and an APP11 JUMBF box that is not C2PA go.
func TestStripKeepsC2PA(t *testing.T) {
	c2paType := "c2pa\x00\x11\x00\x10\x80\x00\x00\xAA\x00\x38\x9B\x71"
	manifest := []byte("C2PA-CLAIM-SIGNATURE c2pa.actions created by the newsroom")
	c2pa := jumbfSegments(1, c2paType, "c2pa", manifest, 40)
	if len(c2pa) < 2 {
		t.Fatal("the manifest should span two segments")
	}
	other := jumbfSegments(2, "json\x00\x11\x00\x10\x80\x00\x00\xAA\x00\x38\x9B\x71", "OTHER-JUMBF-SECRET", []byte("x"), 100)
	gps := tiff(binary.BigEndian, [4]uint32{0x8825, 4, 1, 26})
	gps = append(gps, "GPS-LAT-39N54 SERIAL-XK42-9931"...)
	segs := [][]byte{exifSegment(gps)}
	segs = append(segs, c2pa[0], other[0])
	segs = append(segs, c2pa[1:]...)
	segs = append(segs, segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmpMM:History=\"crop\"/>")))
	src := withSegments(encodeJPEG(t, pattern(32, 24)), segs...)

	out, err := Strip(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"GPS-LAT-39N54", "SERIAL-XK42-9931", "xmpMM:History", "OTHER-JUMBF-SECRET", "Exif"} {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("%q survives", s)
		}
	}
	want := bytes.Join(c2pa, nil)
	if !bytes.Contains(out, want) {
		t.Errorf("the C2PA segments did not survive together and in order")
	}
	if got := markers(out); !bytes.Equal(got[:len(c2pa)], bytes.Repeat([]byte{0xEB}, len(c2pa))) {
		t.Errorf("markers % X; want %d APP11 first", got, len(c2pa))
	}
	if d := sameDecoding(src, out); d != "" {
		t.Error(d)
	}
}

// TestStripKeepsPNGCaBX: a PNG's caBX chunk (C2PA) survives, its eXIf
// and text do not.
func TestStripKeepsPNGCaBX(t *testing.T) {
	src := metadataPNG(t, 20, 10)
	cabx := chunk("caBX", []byte("jumb-C2PA-MANIFEST"))
	i := bytes.Index(src, []byte("IDAT")) - 4
	src = append(append(append([]byte{}, src[:i]...), cabx...), src[i:]...)
	out, err := Strip(src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, cabx) {
		t.Error("caBX is gone")
	}
	for _, s := range []string{"PNG-TEXT-SECRET", "PNG-EXIF-SECRET"} {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("%q survives", s)
		}
	}
}
