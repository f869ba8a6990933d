package main

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestSampleEmbed checks the Datawrapper chart of the sample river report
// in both editions: a click-to-load figure with its title, caption and
// credit, and a fallback image that is the report's own PNG chart,
// published with its size; no iframe and nothing from another host.
func TestSampleEmbed(t *testing.T) {
	out := buildSample(t)
	tests := []struct{ page, title, caption, credit string }{
		{"zh/qingxi-river-dikes/index.html", "新堤三个标段的长度与进度", "单位：公里", "图片来源：河阳县新堤项目部"},
		{"en/qingxi-river-dikes/index.html", "The new dike’s three sections: length and progress", "In kilometers", "Source: Heyang new dike project office"},
	}
	for _, tt := range tests {
		data, ok := out[tt.page]
		if !ok {
			t.Fatalf("%s not written", tt.page)
		}
		doc := parseHTML(t, data)
		figs := find(doc, func(n *html.Node) bool {
			return n.Data == "figure" && strings.Contains(" "+attr(n, "class")+" ", " embed-datawrapper ")
		})
		if len(figs) != 1 {
			t.Fatalf("%s: %d Datawrapper embeds; want 1", tt.page, len(figs))
		}
		f := figs[0]
		if got := attr(f, "data-embed-src"); !strings.HasPrefix(got, "https://datawrapper.dwcdn.net/") {
			t.Errorf("%s: data-embed-src %q", tt.page, got)
		}
		if got := attr(f, "data-embed-title"); got != tt.title {
			t.Errorf("%s: data-embed-title %q; want %q", tt.page, got, tt.title)
		}
		caption := text(find(f, tag("figcaption"))[0])
		for _, want := range []string{tt.title, tt.caption, tt.credit} {
			if !strings.Contains(caption, want) {
				t.Errorf("%s: figcaption %q lacks %q", tt.page, caption, want)
			}
		}
		if len(find(f, tag("iframe"))) != 0 {
			t.Errorf("%s: the embed has an iframe before the reader asks", tt.page)
		}
		imgs := find(f, tag("img"))
		if len(imgs) != 1 {
			t.Fatalf("%s: %d fallback images; want 1", tt.page, len(imgs))
		}
		src := attr(imgs[0], "src")
		if !strings.HasPrefix(src, "/assets/photos/new-dike-sections.") || !strings.HasSuffix(src, ".png") {
			t.Fatalf("%s: fallback image %q; want the report's chart", tt.page, src)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(out[strings.TrimPrefix(src, "/")]))
		if err != nil {
			t.Fatalf("%s: fallback image %s: %v", tt.page, src, err)
		}
		if attr(imgs[0], "width") != "1200" || attr(imgs[0], "height") != "560" || cfg.Width != 1200 || cfg.Height != 560 {
			t.Errorf("%s: fallback image %dx%d, attributes %sx%s; want 1200x560", tt.page, cfg.Width, cfg.Height, attr(imgs[0], "width"), attr(imgs[0], "height"))
		}
		if attr(imgs[0], "alt") == "" {
			t.Errorf("%s: fallback image has no alt text", tt.page)
		}
		for _, n := range find(doc, func(n *html.Node) bool { return attr(n, "src") != "" }) {
			if s := attr(n, "src"); strings.Contains(s, "://") {
				t.Errorf("%s: <%s src=%q> loads from another host", tt.page, n.Data, s)
			}
		}
	}
}
