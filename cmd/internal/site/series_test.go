package site

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// seriesSite is a site with a series "dikes": parts 1 and 2 in both
// languages, a draft part 3 in Chinese and an embargoed part 3 in English;
// reports on the topics flood and city besides.
func seriesSite(extraTOML string) map[string]string {
	fm := func(title, date, extra string) string {
		return "---\ntitle: " + title + "\ndate: " + date + "\n" + extra + "---\n\nBody of " + title + ".\n"
	}
	return map[string]string{
		"content/site.toml": `base_url = "https://x.example/"
` + extraTOML + `
[topics.flood]
zh = "防汛"
en = "Flood control"
[topics.city]
zh = "城市"
en = "City"
[series.dikes]
zh = "大堤调查"
en = "The dikes"
summary = { zh = "两次走访大堤。", en = "Two walks along the dikes." }
`,
		"content/d1/zh.md": fm("大堤一", "2025-03-01", "tags: [flood]\nseries: dikes\npart: 1\n"),
		"content/d1/en.md": fm("Dikes one", "2025-03-01", "tags: [flood]\nseries: dikes\npart: 1\n"),
		"content/d2/zh.md": fm("大堤二", "2025-04-01", "tags: [flood]\nseries: dikes\npart: 2\n"),
		"content/d2/en.md": fm("Dikes two", "2025-04-01", "tags: [flood]\nseries: dikes\npart: 2\n"),
		"content/d3/zh.md": fm("DRAFTSERIES", "2025-04-02", "draft: true\nseries: dikes\npart: 3\n"),
		"content/d4/en.md": fm("EMBARGOSERIES", "2030-01-01", "series: dikes\npart: 3\n"),
		"content/f1/zh.md": fm("防汛一", "2025-05-01", "tags: [flood]\n"),
		"content/f1/en.md": fm("Flood one", "2025-05-01", "tags: [flood]\n"),
		"content/c1/zh.md": fm("城市一", "2025-06-01", "tags: [city]\n"),
		"content/c1/en.md": fm("City one", "2025-06-01", "tags: [city]\n"),
		"content/c0/zh.md": fm("城市零", "2025-01-01", "tags: [city]\n"),
	}
}

func buildSeriesSite(t *testing.T, files map[string]string) (*memOutput, *Result) {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, files)
	out := newMem()
	res, err := NewBuilder(Options{FS: os.DirFS(dir), Now: clock}).Build(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	return out, res
}

// byClass returns the elements under n whose class list holds class.
func byClass(n *html.Node, class string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && slices.Contains(strings.Fields(attrOf(n, "class")), class) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf is the text under n, without <wbr> and with spaces collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// hrefs returns the href of every link under n, in document order.
func hrefs(n *html.Node) []string {
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			out = append(out, attrOf(n, "href"))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func parseDoc(t *testing.T, out *memOutput, name string) *html.Node {
	t.Helper()
	data, ok := out.files[name]
	if !ok {
		t.Fatalf("%s not written", name)
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

// one returns the only element of class under doc, failing otherwise.
func one(t *testing.T, name string, doc *html.Node, class string) *html.Node {
	t.Helper()
	ns := byClass(doc, class)
	if len(ns) != 1 {
		t.Fatalf("%s: %d elements of class %s; want 1", name, len(ns), class)
	}
	return ns[0]
}

// TestSeriesPartPages checks each part's "Part N of M" line, its links to
// the previous and next part and its isPartOf: a draft or embargoed part
// neither counts nor shows.
func TestSeriesPartPages(t *testing.T) {
	out, res := buildSeriesSite(t, seriesSite(""))
	for _, p := range res.Problems {
		if strings.Contains(p.Error(), "series") {
			t.Errorf("problem: %v", p)
		}
	}
	tests := []struct {
		page, line string
		prev, next string // hrefs, "" for none
	}{
		{"zh/d1/index.html", "大堤调查 第1篇（共2篇）", "", "/zh/d2/"},
		{"zh/d2/index.html", "大堤调查 第2篇（共2篇）", "/zh/d1/", ""},
		{"en/d1/index.html", "The dikes Part 1 of 2", "", "/en/d2/"},
		{"en/d2/index.html", "The dikes Part 2 of 2", "/en/d1/", ""},
	}
	for _, tt := range tests {
		doc := parseDoc(t, out, tt.page)
		line := one(t, tt.page, doc, "series-line")
		lang := tt.page[:2]
		if got := textOf(line); got != tt.line {
			t.Errorf("%s: series line %q; want %q", tt.page, got, tt.line)
		}
		if got := hrefs(line); !slices.Equal(got, []string{"/" + lang + "/series/dikes/"}) {
			t.Errorf("%s: series line links %q; want the series page", tt.page, got)
		}
		nav := one(t, tt.page, doc, "series-nav")
		if attrOf(nav, "aria-label") == "" {
			t.Errorf("%s: the series navigation has no accessible name", tt.page)
		}
		for _, c := range []struct{ class, want string }{{"series-prev", tt.prev}, {"series-next", tt.next}} {
			ns := byClass(nav, c.class)
			switch {
			case c.want == "" && len(ns) != 0:
				t.Errorf("%s: %s links %s; want none", tt.page, c.class, attrOf(ns[0], "href"))
			case c.want != "" && (len(ns) != 1 || attrOf(ns[0], "href") != c.want):
				t.Errorf("%s: %s = %d links; want one to %s", tt.page, c.class, len(ns), c.want)
			case c.want != "" && !strings.Contains(textOf(ns[0]), map[string]string{"zh": "篇", "en": "part"}[lang]):
				t.Errorf("%s: %s reads %q; want it to say which part", tt.page, c.class, textOf(ns[0]))
			}
		}
		// isPartOf in the NewsArticle.
		var ld struct {
			IsPartOf struct{ Type, Name, URL string } `json:"isPartOf"`
		}
		var raw string
		for _, s := range findAll(doc, "script") {
			if attrOf(s, "type") == "application/ld+json" {
				raw = s.FirstChild.Data
			}
		}
		if err := json.Unmarshal([]byte(raw), &ld); err != nil {
			t.Fatalf("%s: JSON-LD: %v", tt.page, err)
		}
		title, _, _ := strings.Cut(tt.line, map[string]string{"zh": " 第", "en": " Part"}[lang])
		want := struct{ Type, Name, URL string }{"", title, "https://x.example/" + lang + "/series/dikes/"}
		if ld.IsPartOf.Name != want.Name || ld.IsPartOf.URL != want.URL || !strings.Contains(raw, `"isPartOf":{"@type":"CreativeWorkSeries"`) {
			t.Errorf("%s: isPartOf %+v in %s; want CreativeWorkSeries %+v", tt.page, ld.IsPartOf, raw, want)
		}
	}
	// A report outside any series has no series line and no isPartOf.
	if doc := parseDoc(t, out, "zh/f1/index.html"); len(byClass(doc, "series-line")) != 0 || bytes.Contains(out.files["zh/f1/index.html"], []byte("isPartOf\":{\"@type\":\"CreativeWorkSeries")) {
		t.Error("zh/f1: a report outside the series shows a series")
	}
	for name, data := range out.files {
		if bytes.Contains(data, []byte("DRAFTSERIES")) || bytes.Contains(data, []byte("EMBARGOSERIES")) {
			t.Errorf("%s shows an unpublished part", name)
		}
	}
}

func findAll(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// TestSeriesPage checks /<lang>/series/KEY/: the parts in order, the
// metadata of a listing page, the pair of languages, the front page's
// series label on a part's teaser and the sitemap's entries.
func TestSeriesPage(t *testing.T) {
	out, _ := buildSeriesSite(t, seriesSite(""))
	for _, lang := range []string{"zh", "en"} {
		name := lang + "/series/dikes/index.html"
		p := parsePage(t, name, out.files[name])
		doc := parseDoc(t, out, name)
		var parts []string
		for _, e := range byClass(doc, "series-entry") {
			parts = append(parts, hrefs(e)...)
		}
		if want := []string{"/" + lang + "/d1/", "/" + lang + "/d2/"}; !slices.Equal(parts, want) {
			t.Errorf("%s lists %q; want %q", name, parts, want)
		}
		if !slices.Contains(p.ldTypes, "CollectionPage") || p.og["og:type"] == nil || p.og["og:url"][0] != p.canonical {
			t.Errorf("%s: JSON-LD %q, OpenGraph %v; want a CollectionPage with og tags", name, p.ldTypes, p.og)
		}
		if p.hreflang["zh-CN"] != "https://x.example/zh/series/dikes/" || p.hreflang["en"] != "https://x.example/en/series/dikes/" || p.hreflang["x-default"] != "https://x.example/zh/series/dikes/" {
			t.Errorf("%s: hreflang %v; want the pair and x-default", name, p.hreflang)
		}
		summary := map[string]string{"zh": "两次走访大堤。", "en": "Two walks along the dikes."}[lang]
		if !bytes.Contains(out.files[name], []byte(summary)) {
			t.Errorf("%s lacks the series summary %q", name, summary)
		}
		// The front page: the parts' teasers carry the series label.
		front := parseDoc(t, out, lang+"/index.html")
		labels := byClass(front, "teaser-series")
		if len(labels) != 2 {
			t.Fatalf("%s/: %d teasers with a series label; want 2", lang, len(labels))
		}
		for _, l := range labels {
			if hs := hrefs(l); !slices.Equal(hs, []string{"/" + lang + "/series/dikes/"}) {
				t.Errorf("%s/: series label links %q", lang, hs)
			}
		}
	}
	sm, _ := readSitemap(t, out.files, "https://x.example/")
	for _, lang := range []string{"zh", "en"} {
		loc := "https://x.example/" + lang + "/series/dikes/"
		i := slices.IndexFunc(sm.URLs, func(u sitemapEntry) bool { return u.Loc == loc })
		if i < 0 {
			t.Fatalf("the sitemap lacks %s", loc)
		}
		got := map[string]string{}
		for _, l := range sm.URLs[i].Links {
			got[l.Hreflang] = l.Href
		}
		want := map[string]string{"zh-CN": "https://x.example/zh/series/dikes/", "en": "https://x.example/en/series/dikes/", "x-default": "https://x.example/zh/series/dikes/"}
		if !maps.Equal(got, want) {
			t.Errorf("sitemap entry %s: alternates %v; want %v", loc, got, want)
		}
	}
}

// TestSeriesPageChain: a series longer than front_page_size is paged like
// a topic, with rel=prev/next and hreflang to the same page number.
func TestSeriesPageChain(t *testing.T) {
	out, _ := buildSeriesSite(t, seriesSite("front_page_size = 1\n"))
	p1 := parsePage(t, "zh/series/dikes/index.html", out.files["zh/series/dikes/index.html"])
	p2 := parsePage(t, "zh/series/dikes/page/2/index.html", out.files["zh/series/dikes/page/2/index.html"])
	if p1.next != "https://x.example/zh/series/dikes/page/2/" || p2.prev != "https://x.example/zh/series/dikes/" {
		t.Errorf("page 1 next %q, page 2 prev %q; want a chain", p1.next, p2.prev)
	}
	if p2.hreflang["en"] != "https://x.example/en/series/dikes/page/2/" {
		t.Errorf("page 2 hreflang %v; want en page 2", p2.hreflang)
	}
	if _, ok := out.files["zh/series/dikes/page/3/index.html"]; ok {
		t.Error("a third page for two published parts")
	}
}

// TestOnwardLinks checks the links at the end of each report: the next
// part, then the first topic's reports, then the newest; never the report
// itself or an unpublished one.
func TestOnwardLinks(t *testing.T) {
	out, _ := buildSeriesSite(t, seriesSite(""))
	tests := []struct {
		page string
		want []string
	}{
		{"zh/d1/index.html", []string{"/zh/d2/", "/zh/f1/", "/zh/c1/"}}, // next part, flood, newest
		{"zh/d2/index.html", []string{"/zh/f1/", "/zh/d1/", "/zh/c1/"}}, // last part: flood, newest
		{"zh/c1/index.html", []string{"/zh/c0/", "/zh/f1/", "/zh/d2/"}}, // city, then newest
		{"zh/c0/index.html", []string{"/zh/c1/", "/zh/f1/", "/zh/d2/"}},
		{"en/d2/index.html", []string{"/en/f1/", "/en/d1/", "/en/c1/"}}, // the embargoed part 3 is no next part
		{"en/c1/index.html", []string{"/en/f1/", "/en/d2/", "/en/d1/"}}, // no other city report in English
	}
	for _, tt := range tests {
		doc := parseDoc(t, out, tt.page)
		aside := one(t, tt.page, doc, "onward")
		if id := attrOf(aside, "aria-labelledby"); id == "" || len(findAll(aside, "h2")) != 1 {
			t.Errorf("%s: the onward links have no heading naming them", tt.page)
		}
		if got := hrefs(aside); !slices.Equal(got, tt.want) {
			t.Errorf("%s: onward %q; want %q", tt.page, got, tt.want)
		}
	}
	// The next part is labelled as such.
	if got := textOf(one(t, "zh/d1", parseDoc(t, out, "zh/d1/index.html"), "onward")); !strings.Contains(got, "下一篇 大堤二") {
		t.Errorf("zh/d1 onward reads %q; want the next part labelled", got)
	}
}

// TestSeriesPartOrderAndFirstTopic: parts are ordered by part number,
// not date (part 1 here is dated after part 2); a report's onward links
// follow its first topic, not another; a series with parts in one
// language only has a page in that language alone, pairing with none.
func TestSeriesPartOrderAndFirstTopic(t *testing.T) {
	files := seriesSite("")
	for _, lang := range []string{"zh", "en"} {
		name := "content/d1/" + lang + ".md"
		files[name] = strings.Replace(files[name], "date: 2025-03-01", "date: 2025-04-15", 1)
	}
	files["content/f1/zh.md"] = strings.Replace(files["content/f1/zh.md"], "tags: [flood]", "tags: [city, flood]", 1)
	files["content/site.toml"] += "[series.solo]\nzh = \"独篇\"\nen = \"Solo\"\n"
	files["content/s1/zh.md"] = "---\ntitle: 独篇一\ndate: 2024-12-01\nseries: solo\npart: 1\n---\n\nText.\n"
	out, _ := buildSeriesSite(t, files)

	for _, lang := range []string{"zh", "en"} {
		name := lang + "/series/dikes/index.html"
		var parts []string
		for _, e := range byClass(parseDoc(t, out, name), "series-entry") {
			parts = append(parts, hrefs(e)...)
		}
		if want := []string{"/" + lang + "/d1/", "/" + lang + "/d2/"}; !slices.Equal(parts, want) {
			t.Errorf("%s lists %q; want part 1 first though it is newer: %q", name, parts, want)
		}
		for page, want := range map[string][2]int{"d1": {0, 1}, "d2": {1, 0}} {
			nav := one(t, page, parseDoc(t, out, lang+"/"+page+"/index.html"), "series-nav")
			if got := [2]int{len(byClass(nav, "series-prev")), len(byClass(nav, "series-next"))}; got != want {
				t.Errorf("%s/%s: %d previous and %d next part links; want %d and %d", lang, page, got[0], got[1], want[0], want[1])
			}
		}
	}

	// zh/f1's first topic is city: its reports, then the newest.
	if got, want := hrefs(one(t, "zh/f1", parseDoc(t, out, "zh/f1/index.html"), "onward")), []string{"/zh/c1/", "/zh/c0/", "/zh/d1/"}; !slices.Equal(got, want) {
		t.Errorf("zh/f1 onward %q; want %q (its first topic, city, then the newest)", got, want)
	}

	if _, ok := out.files["en/series/solo/index.html"]; ok {
		t.Error("en/series/solo/ written for a series with no English part")
	}
	p := parsePage(t, "zh/series/solo/index.html", out.files["zh/series/solo/index.html"])
	if _, ok := p.hreflang["en"]; ok {
		t.Errorf("zh/series/solo/: hreflang %v names an English page that does not exist", p.hreflang)
	}
	if bytes.Contains(out.files["zh/series/solo/index.html"], []byte(`href="/en/series/solo/"`)) {
		t.Error("zh/series/solo/: the language switcher links a missing English page")
	}
}
