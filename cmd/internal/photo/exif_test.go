package photo

import (
	"encoding/binary"
	"flag"
	"image"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the fuzz seed files in testdata")

var (
	le = binary.LittleEndian
	be = binary.BigEndian
)

// soi, eoi and a minimal start of image data, around the segments a case adds.
var (
	soi = []byte{0xFF, 0xD8}
	sos = segment(0xDA, []byte{1, 1, 0, 0x3F, 0, 0})
	eoi = []byte{0xFF, 0xD9}
)

func file(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

var orientationCases = []struct {
	name string
	data []byte
	want int
}{
	{"empty", nil, 1},
	{"not a jpeg", []byte("\x89PNG\r\n\x1a\n"), 1},
	{"no exif", file(soi, segment(0xE0, []byte("JFIF\x00\x01\x01")), sos, eoi), 1},
	{"little-endian 6", file(soi, exifSegment(tiff(le, orientationEntry(6))), sos, eoi), 6},
	{"big-endian 3", file(soi, exifSegment(tiff(be, orientationEntry(3))), sos, eoi), 3},
	{"big-endian 8", file(soi, exifSegment(tiff(be, orientationEntry(8))), sos, eoi), 8},
	{"1", file(soi, exifSegment(tiff(le, orientationEntry(1))), sos, eoi), 1},
	{"2", file(soi, exifSegment(tiff(le, orientationEntry(2))), sos, eoi), 2},
	{"4", file(soi, exifSegment(tiff(be, orientationEntry(4))), sos, eoi), 4},
	{"5", file(soi, exifSegment(tiff(le, orientationEntry(5))), sos, eoi), 5},
	{"7", file(soi, exifSegment(tiff(be, orientationEntry(7))), sos, eoi), 7},
	{"after JFIF", file(soi, segment(0xE0, []byte("JFIF\x00")), exifSegment(tiff(le, orientationEntry(6))), sos), 6},
	{"after XMP in APP1", file(soi, segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x/>")), exifSegment(tiff(be, orientationEntry(5))), sos), 5},
	{"fill bytes before the marker", file(soi, []byte{0xFF, 0xFF}, exifSegment(tiff(le, orientationEntry(7))), sos), 7},
	{"tag after others", file(soi, exifSegment(tiff(le,
		[4]uint32{0x010F, 2, 4, 0}, [4]uint32{0x0110, 2, 4, 0}, orientationEntry(8))), sos), 8},
	{"no orientation tag", file(soi, exifSegment(tiff(le, [4]uint32{0x010F, 2, 4, 0})), sos), 1},
	{"value 0", file(soi, exifSegment(tiff(le, orientationEntry(0))), sos), 1},
	{"value 9", file(soi, exifSegment(tiff(be, orientationEntry(9))), sos), 1},
	{"value 0x0600 read in the wrong order", file(soi, exifSegment(tiff(be, [4]uint32{0x0112, 3, 1, 0x0600})), sos), 1},
	{"type LONG", file(soi, exifSegment(tiff(le, [4]uint32{0x0112, 4, 1, 6})), sos), 1},
	{"count 2", file(soi, exifSegment(tiff(le, [4]uint32{0x0112, 3, 2, 6})), sos), 1},
	{"exif after image data", file(soi, sos, exifSegment(tiff(le, orientationEntry(6))), eoi), 1},
	{"exif after EOI", file(soi, eoi, exifSegment(tiff(le, orientationEntry(6)))), 1},
	{"bad byte order", file(soi, exifSegment(append([]byte("XX"), tiff(le, orientationEntry(6))[2:]...)), sos), 1},
	{"bad magic", file(soi, exifSegment(append([]byte("II\x2b\x00"), tiff(le, orientationEntry(6))[4:]...)), sos), 1},
	{"IFD offset past the end", file(soi, exifSegment([]byte("II\x2a\x00\xff\x00\x00\x00")), sos), 1},
	{"IFD offset inside the header", file(soi, exifSegment([]byte("II\x2a\x00\x02\x00\x00\x00")), sos), 1},
	{"IFD offset 2^32-1", file(soi, exifSegment([]byte("MM\x00\x2a\xff\xff\xff\xff")), sos), 1},
	{"entry count past the end", file(soi, exifSegment([]byte("II\x2a\x00\x08\x00\x00\x00\xff\xff")), sos), 1},
	{"segment cut short", file(soi, exifSegment(tiff(le, orientationEntry(6))))[:20], 1},
	{"entry cut short", func() []byte {
		t := tiff(le, orientationEntry(6))
		return file(soi, exifSegment(t[:len(t)-8]), sos)
	}(), 1},
	{"length cut short", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00}, 1},
	{"length below 2", file(soi, []byte{0xFF, 0xE1, 0x00, 0x01}, exifSegment(tiff(le, orientationEntry(6)))), 1},
	{"garbage between segments", file(soi, []byte{0x00}, exifSegment(tiff(le, orientationEntry(6)))), 1},
	{"exif header without tiff", file(soi, segment(0xE1, []byte("Exif\x00\x00")), sos), 1},
	{"first exif segment decides", file(soi, exifSegment(tiff(le)), exifSegment(tiff(le, orientationEntry(6))), sos), 1},
	{"restart markers skipped", file(soi, []byte{0xFF, 0xD0, 0xFF, 0x01}, exifSegment(tiff(be, orientationEntry(3))), sos), 3},
}

func TestOrientation(t *testing.T) {
	for _, tc := range orientationCases {
		if got := Orientation(tc.data); got != tc.want {
			t.Errorf("%s: Orientation(% x) = %d; want %d", tc.name, tc.data, got, tc.want)
		}
	}
}

func TestOrientationOfEncodedJPEG(t *testing.T) {
	for o := 0; o <= 8; o++ {
		want := max(o, 1)
		if got := Orientation(orientedJPEG(t, 64, 48, o)); got != want {
			t.Errorf("Orientation(JPEG with orientation %d) = %d; want %d", o, got, want)
		}
	}
}

func TestOrientationDoesNotAllocate(t *testing.T) {
	data := orientationCases[3].data
	if n := testing.AllocsPerRun(100, func() { Orientation(data) }); n != 0 {
		t.Errorf("Orientation allocates %v times per call; want 0", n)
	}
}

// TestSeedFiles keeps testdata/orientation in step with orientationCases;
// run with -update to rewrite it.
func TestSeedFiles(t *testing.T) {
	dir := filepath.Join("testdata", "orientation")
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, tc := range orientationCases[:12] {
			if err := os.WriteFile(filepath.Join(dir, seedName(i)), tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, "oriented-6.jpg"), orientedJPEG(t, 16, 8, 6), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, tc := range orientationCases[:12] {
		data, err := os.ReadFile(filepath.Join(dir, seedName(i)))
		if err != nil {
			t.Fatal(err)
		}
		if got := Orientation(data); got != tc.want {
			t.Errorf("Orientation(%s) = %d; want %d", seedName(i), got, tc.want)
		}
	}
}

func seedName(i int) string { return "case" + string(rune('a'+i)) + ".jpg" }

func FuzzOrientation(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "orientation", "*"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seed files in testdata/orientation (%v)", err)
	}
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tc := range orientationCases {
		f.Add(tc.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o := Orientation(data)
		if o < 1 || o > 8 {
			t.Fatalf("Orientation(% x) = %d; want 1 to 8", data, o)
		}
		// A JPEG whose image data begins before any Exif segment is upright.
		if indexSOS(data) >= 0 && o != 1 {
			t.Fatalf("Orientation(% x) = %d; want 1: the image data begins before any Exif segment", data, o)
		}
		// Once an orientation is found, what follows cannot change it.
		if o != 1 {
			if o2 := Orientation(append(data[:len(data):len(data)], 0xFF, 0xE1, 0, 0)); o2 != o {
				t.Fatalf("Orientation changed from %d to %d when bytes were appended", o, o2)
			}
		}
	})
}

// indexSOS is where Orientation's marker walk meets the start of the image
// data, or -1 when it stops earlier or never does; a second, simpler walk
// than Orientation's, for the fuzz target to compare against.
func indexSOS(b []byte) int {
	if len(b) < 2 || b[0] != 0xFF || b[1] != 0xD8 {
		return -1
	}
	for i := 2; i+1 < len(b); {
		switch m := b[i+1]; {
		case b[i] != 0xFF:
			return -1
		case m == 0xFF:
			i++
		case m == 0x01 || m == 0xD8 || m >= 0xD0 && m <= 0xD7:
			i += 2
		case m == 0xDA:
			return i
		case m == 0xD9:
			return -1
		default:
			if i+4 > len(b) {
				return -1
			}
			n := int(b[i+2])<<8 | int(b[i+3])
			if n < 2 || i+2+n > len(b) {
				return -1
			}
			if m == 0xE1 && n >= 8 && string(b[i+4:i+10]) == "Exif\x00\x00" {
				return -1 // the answer was decided here
			}
			i += 2 + n
		}
	}
	return -1
}

func TestUpright(t *testing.T) {
	// A 3×2 image whose six pixels are all different; pixel k is stored at
	// (k%3, k/3):
	//	0 1 2
	//	3 4 5
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range src.Pix {
		src.Pix[i] = byte(i)
	}
	// How each Exif orientation shows it, row by row: where the stored
	// image's 0th row and 0th column go, by the Exif definitions.
	tests := []struct {
		orientation int
		shown       [][]int
	}{
		{1, [][]int{{0, 1, 2}, {3, 4, 5}}},   // as stored
		{2, [][]int{{2, 1, 0}, {5, 4, 3}}},   // mirrored left-right
		{3, [][]int{{5, 4, 3}, {2, 1, 0}}},   // turned 180°
		{4, [][]int{{3, 4, 5}, {0, 1, 2}}},   // mirrored top-bottom
		{5, [][]int{{0, 3}, {1, 4}, {2, 5}}}, // transposed
		{6, [][]int{{3, 0}, {4, 1}, {5, 2}}}, // turned 90° clockwise
		{7, [][]int{{5, 2}, {4, 1}, {3, 0}}}, // transverse
		{8, [][]int{{2, 5}, {1, 4}, {0, 3}}}, // turned 90° counter-clockwise
	}
	for _, tt := range tests {
		got := upright(src, tt.orientation)
		wh, ww := len(tt.shown), len(tt.shown[0])
		if b := got.Bounds(); b.Dx() != ww || b.Dy() != wh {
			t.Errorf("upright(3×2, %d) is %v; want %d×%d", tt.orientation, b, ww, wh)
			continue
		}
		if w, h := uprightSize(3, 2, tt.orientation); w != ww || h != wh {
			t.Errorf("uprightSize(3, 2, %d) = %d×%d; want %d×%d", tt.orientation, w, h, ww, wh)
		}
		for y, row := range tt.shown {
			for x, k := range row {
				if g, w := got.At(x, y), src.At(k%3, k/3); g != w {
					t.Errorf("orientation %d: pixel at (%d,%d) = %v; want stored pixel %d = %v", tt.orientation, x, y, g, k, w)
				}
			}
		}
	}
}

func TestShrink(t *testing.T) {
	// A 5×3 image shrunk by 2: blocks of 2×2, 1×2 on the right, 2×1 at the
	// bottom and 1×1 in the corner.
	src := image.NewRGBA(image.Rect(0, 0, 5, 3))
	for y := 0; y < 3; y++ {
		for x := 0; x < 5; x++ {
			v := byte(10*y + x)
			copy(src.Pix[y*src.Stride+4*x:], []byte{v, 2 * v, 255 - v, 255})
		}
	}
	got := shrink(src, 2)
	if got.Bounds() != image.Rect(0, 0, 3, 2) {
		t.Fatalf("shrink(5×3, 2) is %v; want 3×2", got.Bounds())
	}
	mean := func(vs ...byte) byte {
		sum := 0
		for _, v := range vs {
			sum += int(v)
		}
		return byte((sum + len(vs)/2) / len(vs))
	}
	want := [][]byte{
		{mean(0, 1, 10, 11), mean(2, 3, 12, 13), mean(4, 14)},
		{mean(20, 21), mean(22, 23), 24},
	}
	for y, row := range want {
		for x, v := range row {
			p := got.Pix[y*got.Stride+4*x:]
			if p[0] != v || p[3] != 255 {
				t.Errorf("shrink: pixel (%d,%d) = %v; want red %d, alpha 255", x, y, p[:4], v)
			}
		}
	}
	if shrink(src, 1) != src {
		t.Error("shrink(src, 1) is a copy; want src itself")
	}
}
