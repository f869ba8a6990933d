package site

import (
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"dateline/cmd/internal/corpus"
)

var updateFavicon = flag.Bool("update-favicon", false, "draw themes/default/static/favicon.ico again")

// icoFile is the theme's favicon.ico, relative to this package.
var icoFile = filepath.Join("..", "..", "..", "themes", "default", "static", "favicon.ico")

// drawIcon draws the theme's icon (favicon.svg's light variant: three
// rules on a rounded tile) at size×size pixels, 4×4 samples a pixel.
func drawIcon(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	tile := color.NRGBA{0xa7, 0x32, 0x1c, 0xff}
	rule := color.NRGBA{0xf8, 0xf5, 0xef, 0xff}
	const n = 4
	inTile := func(x, y float64) bool { // 48×48 units, corner radius 9
		cx, cy := min(max(x, 9), 39), min(max(y, 9), 39)
		return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= 81
	}
	inRule := func(x, y float64) bool { // round-capped strokes 5 wide
		for _, r := range [][3]float64{{12, 36, 15}, {12, 36, 24}, {12, 26, 33}} {
			cx := min(max(x, r[0]), r[1])
			if (x-cx)*(x-cx)+(y-r[2])*(y-r[2]) <= 6.25 {
				return true
			}
		}
		return false
	}
	for py := range size {
		for px := range size {
			var a, rr, gg, bb float64
			for sy := range n {
				for sx := range n {
					x := (float64(px) + (float64(sx)+.5)/n) * 48 / float64(size)
					y := (float64(py) + (float64(sy)+.5)/n) * 48 / float64(size)
					if !inTile(x, y) {
						continue
					}
					c := tile
					if inRule(x, y) {
						c = rule
					}
					a++
					rr, gg, bb = rr+float64(c.R), gg+float64(c.G), bb+float64(c.B)
				}
			}
			if a > 0 {
				img.SetNRGBA(px, py, color.NRGBA{uint8(rr / a), uint8(gg / a), uint8(bb / a), uint8(a * 255 / (n * n))})
			}
		}
	}
	return img
}

// encodeICO writes PNG images into an ICO file: the 6-byte header, a
// 16-byte directory entry per image, then the PNG data.
func encodeICO(imgs []*image.NRGBA) []byte {
	var pngs [][]byte
	for _, img := range imgs {
		var buf bytes.Buffer
		png.Encode(&buf, img)
		pngs = append(pngs, buf.Bytes())
	}
	var out bytes.Buffer
	binary.Write(&out, binary.LittleEndian, [3]uint16{0, 1, uint16(len(imgs))})
	offset := 6 + 16*len(imgs)
	for i, img := range imgs {
		w := img.Bounds().Dx()
		out.Write([]byte{byte(w), byte(w), 0, 0})
		binary.Write(&out, binary.LittleEndian, [2]uint16{1, 32}) // planes, bits per pixel
		binary.Write(&out, binary.LittleEndian, [2]uint32{uint32(len(pngs[i])), uint32(offset)})
		offset += len(pngs[i])
	}
	for _, p := range pngs {
		out.Write(p)
	}
	return out.Bytes()
}

// TestFaviconICO reads the theme's favicon.ico as a browser would: an ICO
// directory of 16, 32 and 48 px images, each a PNG of the size its entry
// gives. -update-favicon draws it again.
func TestFaviconICO(t *testing.T) {
	if *updateFavicon {
		if err := os.WriteFile(icoFile, encodeICO([]*image.NRGBA{drawIcon(16), drawIcon(32), drawIcon(48)}), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(icoFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 6 {
		t.Fatalf("favicon.ico: %d bytes", len(data))
	}
	var head [3]uint16
	binary.Read(bytes.NewReader(data), binary.LittleEndian, &head)
	if head[0] != 0 || head[1] != 1 {
		t.Fatalf("favicon.ico: header %v, want reserved 0 and type 1 (icon)", head)
	}
	var sizes []int
	for i := range int(head[2]) {
		e := data[6+16*i : 6+16*(i+1)]
		w, h := int(e[0]), int(e[1])
		n := binary.LittleEndian.Uint32(e[8:])
		off := binary.LittleEndian.Uint32(e[12:])
		if int(off+n) > len(data) {
			t.Fatalf("image %d: %d bytes at %d, past the end (%d)", i, n, off, len(data))
		}
		img, err := png.Decode(bytes.NewReader(data[off : off+n]))
		if err != nil {
			t.Fatalf("image %d: %v", i, err)
		}
		if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
			t.Errorf("image %d: entry says %dx%d, PNG is %v", i, w, h, b.Size())
		}
		sizes = append(sizes, w)
	}
	if want := []int{16, 32, 48}; !equalInts(sizes, want) {
		t.Errorf("favicon.ico sizes %v, want %v", sizes, want)
	}
}

func equalInts(a, b []int) bool {
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

// TestFaviconEveryPage: every page kind, in both languages, links the
// theme's favicons, an ICO at /favicon.ico (where browsers ask for it) and
// a minified SVG under a content-hashed name with a dark-scheme variant;
// both are in the output.
func TestFaviconEveryPage(t *testing.T) {
	files := corpus.Generate(12, 1)
	files["content/site.toml"] = []byte("front_page_size = 5\n" + string(files["content/site.toml"]) + navTopics +
		"\n[authors.li-ming]\nzh = \"李明\"\nen = \"Li Ming\"\n")
	withSeries(files, 3)
	out := newMem()
	if _, err := NewBuilder(Options{FS: benchMapFS(files), Now: benchNow, NoDerivatives: true, Search: true}).Build(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	ico, ok := out.files["favicon.ico"]
	if !ok {
		t.Fatal("no favicon.ico at the site root")
	}
	if theme, _ := os.ReadFile(icoFile); !bytes.Equal(ico, theme) {
		t.Error("favicon.ico differs from the theme's")
	}
	kinds := map[string]bool{}
	for name, data := range out.files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		icons := map[string]string{} // type → href
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "link" && attr(n, "rel") == "icon" {
				icons[attr(n, "type")] = attr(n, "href")
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		if icons[""] != "/favicon.ico" {
			t.Errorf("%s: ICO icon %q, want /favicon.ico", name, icons[""])
		}
		svg := icons["image/svg+xml"]
		if !strings.HasPrefix(svg, "/assets/favicon.") || !strings.HasSuffix(svg, ".svg") {
			t.Errorf("%s: SVG icon %q, want /assets/favicon.HASH.svg", name, svg)
		} else if data, ok := out.files[svg[1:]]; !ok {
			t.Errorf("%s: SVG icon %s not in the output", name, svg)
		} else if !bytes.Contains(data, []byte("prefers-color-scheme:dark")) || bytes.Contains(data, []byte("\n")) {
			t.Errorf("%s: not minified, or no dark-scheme variant:\n%s", svg, data)
		}
		kinds[pageKind(name)] = true
	}
	for _, k := range []string{"root", "404", "front", "page N", "report", "topics", "topic", "author", "series", "search"} {
		if !kinds[k] {
			t.Errorf("no %s page in the output: the test covers too little", k)
		}
	}
}

// withSeries makes the first n reports of a generated corpus (both
// languages) parts 1 to n of a series, key "inquiry", declared in
// site.toml, so that the site has series pages and "Part N of n" lines.
func withSeries(files map[string][]byte, n int) {
	files["content/site.toml"] = append(files["content/site.toml"], "\n[series.inquiry]\nzh = \"调查\"\nen = \"Inquiry\"\n"...)
	for i := 1; i <= n; i++ {
		for _, lang := range []string{"zh", "en"} {
			name := fmt.Sprintf("content/report-%05d/%s.md", i, lang)
			src, ok := files[name]
			if !ok || !bytes.HasPrefix(src, []byte("---\n")) {
				panic("withSeries: no front matter in " + name)
			}
			files[name] = fmt.Appendf(nil, "---\nseries: inquiry\npart: %d\n%s", i, src[4:])
		}
	}
}

// pageKind names the kind of page an output file is, from its path.
func pageKind(name string) string {
	parts := strings.Split(name, "/")
	switch {
	case name == "index.html":
		return "root"
	case strings.HasSuffix(name, "404.html"):
		return "404"
	case len(parts) == 2:
		return "front"
	case parts[1] == "page":
		return "page N"
	case parts[1] == "topics" && len(parts) == 3:
		return "topics"
	case parts[1] == "topics":
		return "topic"
	case parts[1] == "authors":
		return "author"
	case parts[1] == "search":
		return "search"
	case parts[1] == "series":
		return "series"
	}
	return "report"
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
