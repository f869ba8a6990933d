package theme

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// render executes p with s and parses the result.
func render(t *testing.T, s *Set, p *Page) *html.Node {
	t.Helper()
	var buf bytes.Buffer
	if err := s.Execute(&buf, p); err != nil {
		t.Fatalf("Execute(%s): %v", p.Kind, err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatalf("parsing the %s page: %v", p.Kind, err)
	}
	return doc
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	return slices.Contains(strings.Fields(v), class)
}

// find returns the elements under n for which match is true, in document order.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && match(d) {
			out = append(out, d)
		}
	}
	return out
}

func tag(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

func class(c string) func(*html.Node) bool {
	return func(n *html.Node) bool { return hasClass(n, c) }
}

func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.TrimSpace(b.String())
}

// links returns rel=alternate hreflang → href of the page's <head>.
func hreflangs(doc *html.Node) map[string]string {
	m := map[string]string{}
	for _, l := range find(doc, tag("link")) {
		rel, _ := attr(l, "rel")
		hl, ok := attr(l, "hreflang")
		if rel == "alternate" && ok {
			href, _ := attr(l, "href")
			m[hl] = href
		}
	}
	return m
}

// switcher returns the language switcher's links.
func switcher(doc *html.Node) []*html.Node {
	var out []*html.Node
	for _, nav := range find(doc, class("lang-switch")) {
		out = append(out, find(nav, tag("a"))...)
	}
	return out
}

func TestReportPage(t *testing.T) {
	s := loadDefault(t)
	tests := []struct {
		name     string
		lang     string
		editions []string
	}{
		{"zh with en", "zh", []string{"zh", "en"}},
		{"en with zh", "en", []string{"zh", "en"}},
		{"en only", "en", []string{"en"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := reportPage(t, s, tt.lang, tt.editions...)
			doc := render(t, s, p)

			htmlEl := find(doc, tag("html"))[0]
			if got, _ := attr(htmlEl, "lang"); got != p.Lang.Tag {
				t.Errorf("<html lang> = %q; want %q", got, p.Lang.Tag)
			}
			var canon []string
			for _, l := range find(doc, tag("link")) {
				if rel, _ := attr(l, "rel"); rel == "canonical" {
					href, _ := attr(l, "href")
					canon = append(canon, href)
				}
			}
			if len(canon) != 1 || canon[0] != p.Canonical {
				t.Errorf("canonical links = %q; want [%q]", canon, p.Canonical)
			}

			// One hreflang per edition, plus x-default.
			hl := hreflangs(doc)
			want := map[string]string{"x-default": p.XDefault}
			for _, a := range p.Alternates {
				want[a.Lang.Tag] = a.Href
			}
			if len(hl) != len(want) {
				t.Errorf("hreflang links = %v; want %v", hl, want)
			}
			for k, v := range want {
				if hl[k] != v {
					t.Errorf("hreflang %q = %q; want %q", k, hl[k], v)
				}
			}

			// The switcher links to existing editions only, each with
			// hreflang and lang; the current one is marked.
			sw := switcher(doc)
			if len(tt.editions) == 1 {
				if len(sw) != 0 {
					t.Errorf("switcher with one edition has %d links; want none", len(sw))
				}
			} else if len(sw) != len(tt.editions) {
				t.Errorf("switcher has %d links; want %d", len(sw), len(tt.editions))
			}
			for _, a := range sw {
				href, _ := attr(a, "href")
				hreflang, ok1 := attr(a, "hreflang")
				lang, ok2 := attr(a, "lang")
				if !ok1 || !ok2 || hreflang != lang {
					t.Errorf("switcher link %q: hreflang %q, lang %q; want both, equal", href, hreflang, lang)
				}
				i := slices.IndexFunc(p.Alternates, func(alt Alternate) bool { return alt.URL == href })
				if i < 0 {
					t.Errorf("switcher links to %q, which is no edition", href)
					continue
				}
				cur, _ := attr(a, "aria-current")
				if p.Alternates[i].Current != (cur == "page") {
					t.Errorf("switcher link %q: aria-current %q; current %v", href, cur, p.Alternates[i].Current)
				}
			}
			// No link anywhere leads to a missing edition.
			for _, a := range find(doc, tag("a")) {
				href, _ := attr(a, "href")
				for _, l := range langs {
					if !slices.Contains(tt.editions, l.Key) && strings.Contains(href, "/"+l.Key+"/yuhang/") {
						t.Errorf("link to the missing %s edition: %q", l.Key, href)
					}
				}
			}

			// The skip link's target exists and is the <main>.
			skips := find(doc, class("skip-link"))
			if len(skips) != 1 {
				t.Fatalf("%d skip links; want 1", len(skips))
			}
			target, _ := attr(skips[0], "href")
			ids := find(doc, func(n *html.Node) bool { v, _ := attr(n, "id"); return "#"+v == target })
			if len(ids) != 1 || ids[0].Data != "main" {
				t.Errorf("skip link target %q: %d elements; want one <main>", target, len(ids))
			}
			for _, landmark := range []string{"header", "nav", "main", "footer"} {
				if len(find(doc, tag(landmark))) == 0 {
					t.Errorf("no <%s> landmark", landmark)
				}
			}

			// The journey navigator: one link per stop, in order, each
			// to a stop section of the body.
			navs := find(doc, class("journey"))
			if len(navs) != 1 || navs[0].Data != "nav" {
				t.Fatalf("journey navigators: %d; want one <nav>", len(navs))
			}
			jl := find(navs[0], tag("a"))
			if len(jl) != len(p.Report.Stops) {
				t.Errorf("journey has %d links; want %d", len(jl), len(p.Report.Stops))
			}
			for i, a := range jl {
				href, _ := attr(a, "href")
				if want := "#" + p.Report.Stops[i].ID; href != want {
					t.Errorf("journey link %d = %q; want %q", i, href, want)
				}
				if secs := find(doc, func(n *html.Node) bool { id, _ := attr(n, "id"); return n.Data == "section" && "#"+id == href }); len(secs) != 1 {
					t.Errorf("journey link %q has no stop section", href)
				}
				if !strings.Contains(text(a), p.Report.Stops[i].Label) {
					t.Errorf("journey link %d text %q lacks the label %q", i, text(a), p.Report.Stops[i].Label)
				}
			}

			// Report furniture.
			for _, c := range []struct{ class, want string }{
				{"headline", p.Report.Title},
				{"dek", p.Report.Subtitle},
				{"credits-line", p.Report.CreditsLine},
				{"reading-time", p.Report.ReadingTime},
				{"dateline", p.Report.Dateline},
			} {
				els := find(doc, class(c.class))
				if len(els) == 0 || !strings.Contains(text(els[0]), c.want) {
					t.Errorf("element .%s missing or lacks %q", c.class, c.want)
				}
			}
			if cs := find(doc, class("corrections")); len(cs) != 1 || !strings.Contains(text(cs[0]), p.Report.Corrections[0].DateText) {
				t.Errorf("corrections box missing or undated")
			}
			hero := find(doc, func(n *html.Node) bool { return n.Data == "img" && n.Parent != nil && hasClass(n.Parent, "hero") })
			if len(hero) != 1 {
				t.Fatalf("hero images: %d; want 1", len(hero))
			}
			for _, k := range []string{"width", "height", "alt", "srcset", "sizes"} {
				if _, ok := attr(hero[0], k); !ok {
					t.Errorf("hero <img> lacks %s", k)
				}
			}

			// Scripts are deferred; no preview markup.
			for _, sc := range find(doc, tag("script")) {
				if _, ok := attr(sc, "defer"); !ok {
					t.Errorf("render-blocking <script>: %v", sc.Attr)
				}
			}
			assertNoPreview(t, doc)
		})
	}
}

func assertNoPreview(t *testing.T, doc *html.Node) {
	t.Helper()
	if els := find(doc, func(n *html.Node) bool {
		c, _ := attr(n, "class")
		return strings.Contains(c, "preview")
	}); len(els) > 0 {
		t.Errorf("preview markup without Preview: <%s class=%v>", els[0].Data, els[0].Attr)
	}
	if len(find(doc, tag("style"))) > 0 {
		t.Errorf("preview styles without Preview")
	}
}

func TestReportWithoutStops(t *testing.T) {
	s := loadDefault(t)
	p := reportPage(t, s, "zh")
	p.Report.Stops = nil
	p.Report.Hero = nil
	p.Report.Updated = p.Report.Updated.AddDate(-10, 0, 0)
	doc := render(t, s, p)
	if n := find(doc, class("journey")); len(n) != 0 {
		t.Errorf("journey navigator without stops")
	}
	if n := find(doc, class("hero")); len(n) != 0 {
		t.Errorf("hero without Hero")
	}
	if n := find(doc, class("has-journey")); len(n) != 0 {
		t.Errorf("has-journey class without stops")
	}
}

func TestPreview(t *testing.T) {
	s := loadDefault(t)
	p := reportPage(t, s, "en")
	p.Preview = &Preview{
		Banner:   "Draft · not published",
		Errors:   []string{"content/yuhang/en.md:12: unknown container kind \"box\"", "themes/default/layouts/report.html:3: <script>alert(1)</script>"},
		Warnings: []string{"content/yuhang/en.md:20: warning: figure has no credit"},
		Script:   `<script src="/_dateline/reload.js" defer></script>`,
	}
	var buf bytes.Buffer
	if err := s.Execute(&buf, p); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "<script>alert(1)</script>") {
		t.Errorf("error text not escaped")
	}
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if b := find(doc, class("preview-banner")); len(b) != 1 || text(b[0]) != p.Preview.Banner {
		t.Errorf("banner: %d elements; want one reading %q", len(b), p.Preview.Banner)
	}
	ov := find(doc, class("preview-errors"))
	if len(ov) != 1 {
		t.Fatalf("error overlays: %d; want 1", len(ov))
	}
	items := find(ov[0], tag("li"))
	if len(items) != 2 || text(items[0]) != p.Preview.Errors[0] || text(items[1]) != p.Preview.Errors[1] {
		t.Errorf("overlay items = %d; want the two errors verbatim", len(items))
	}
	if d := find(doc, class("preview-warnings")); len(d) != 1 || d[0].Data != "details" || len(find(d[0], tag("li"))) != 1 {
		t.Errorf("warnings panel: want one <details> with one item")
	}
	scripts := find(doc, tag("script"))
	last := scripts[len(scripts)-1]
	if src, _ := attr(last, "src"); src != "/_dateline/reload.js" {
		t.Errorf("last script = %v; want the preview script", last.Attr)
	}
	body := find(doc, tag("body"))[0]
	if lastEl := lastElement(body); lastEl != last {
		t.Errorf("the preview script is not at the end of <body>")
	}

	// Without errors or warnings, only the banner and the script show.
	p.Preview.Errors, p.Preview.Warnings = nil, nil
	doc = render(t, s, p)
	if len(find(doc, class("preview-errors"))) != 0 || len(find(doc, class("preview-warnings"))) != 0 {
		t.Errorf("empty error overlay or warnings panel rendered")
	}
}

func lastElement(n *html.Node) *html.Node {
	for c := n.LastChild; c != nil; c = c.PrevSibling {
		if c.Type == html.ElementNode {
			return c
		}
	}
	return nil
}

func TestFrontPage(t *testing.T) {
	s := loadDefault(t)
	for _, lang := range []string{"zh", "en"} {
		p := frontPage(t, s, lang)
		doc := render(t, s, p)
		teasers := find(doc, class("teaser"))
		if len(teasers) != len(p.Reports) {
			t.Fatalf("%s: %d teasers; want %d", lang, len(teasers), len(p.Reports))
		}
		for i, r := range p.Reports {
			as := find(teasers[i], tag("a"))
			if len(as) == 0 || text(as[0]) != r.Title {
				t.Errorf("%s: teaser %d does not lead with %q", lang, i, r.Title)
			}
			stops := find(teasers[i], class("teaser-stops"))
			if want := s.Strings(lang).StopsLine(r.Stops); (want == "") != (len(stops) == 0) || len(stops) > 0 && text(stops[0]) != want {
				t.Errorf("%s: teaser %d stops line wrong; want %q", lang, i, want)
			}
			if up := find(teasers[i], class("updated-marker")); (len(up) > 0) != !r.Updated.IsZero() {
				t.Errorf("%s: teaser %d updated marker = %v; updated %v", lang, i, len(up) > 0, r.Updated)
			}
			for _, img := range find(teasers[i], tag("img")) {
				if _, ok := attr(img, "width"); !ok {
					t.Errorf("%s: thumbnail without width", lang)
				}
			}
		}
		var feeds int
		for _, l := range find(doc, tag("link")) {
			if ty, _ := attr(l, "type"); ty == "application/atom+xml" {
				if href, _ := attr(l, "href"); href != p.Feed {
					t.Errorf("%s: feed link %q; want %q", lang, href, p.Feed)
				}
				feeds++
			}
		}
		if feeds != 1 {
			t.Errorf("%s: %d feed links; want 1", lang, feeds)
		}
		assertNoPreview(t, doc)
	}
}

func TestFrontArchive(t *testing.T) {
	s := loadDefault(t)
	p := frontPage(t, s, "en")
	one := p.Reports[1]
	p.Reports = nil
	for i := range 30 {
		r := *one
		r.URL = "/en/r" + string(rune('a'+i)) + "/"
		p.Reports = append(p.Reports, &r)
	}
	doc := render(t, s, p)
	if got := len(find(doc, class("teaser"))); got != 12 {
		t.Errorf("%d teasers; want the newest 12", got)
	}
	arch := find(doc, class("archive"))
	if len(arch) != 1 {
		t.Fatalf("%d archive lists; want 1", len(arch))
	}
	links := find(arch[0], tag("a"))
	if len(links) != 18 {
		t.Fatalf("archive has %d links; want 18", len(links))
	}
	if href, _ := attr(links[0], "href"); href != p.Reports[12].URL {
		t.Errorf("archive starts with %q; want %q", href, p.Reports[12].URL)
	}
}

func TestRootPage(t *testing.T) {
	s := loadDefault(t)
	p := rootPage(t, s)
	doc := render(t, s, p)
	eds := find(doc, class("edition"))
	if len(eds) != len(p.Fronts) {
		t.Fatalf("%d editions; want %d", len(eds), len(p.Fronts))
	}
	for i, f := range p.Fronts {
		if lang, _ := attr(eds[i], "lang"); lang != f.Lang.Tag {
			t.Errorf("edition %d lang = %q; want %q", i, lang, f.Lang.Tag)
		}
		if got := len(find(eds[i], func(n *html.Node) bool { return n.Data == "li" })); got != len(f.Latest) {
			t.Errorf("edition %d lists %d reports; want %d", i, got, len(f.Latest))
		}
		hrefs := find(eds[i], func(n *html.Node) bool { h, _ := attr(n, "href"); return n.Data == "a" && h == f.URL })
		if len(hrefs) == 0 {
			t.Errorf("edition %d has no link to %q", i, f.URL)
		}
	}
	if hl := hreflangs(doc); hl["x-default"] != p.XDefault || len(hl) != 3 {
		t.Errorf("root hreflang links = %v", hl)
	}
}

func TestNotFoundPage(t *testing.T) {
	s := loadDefault(t)
	for _, lang := range []string{"zh", "en"} {
		p := notFoundPage(s, lang)
		doc := render(t, s, p)
		if h := find(doc, tag("h1")); len(h) != 1 || text(h[0]) != s.Strings(lang).Get("not_found_title") {
			t.Errorf("%s: 404 heading wrong", lang)
		}
		home := find(doc, func(n *html.Node) bool { h, _ := attr(n, "href"); return n.Data == "a" && h == p.Home })
		if len(home) == 0 {
			t.Errorf("%s: 404 page does not link home", lang)
		}
		// The other language has its own section, in its own language.
		other := find(doc, class("not-found-other"))
		if len(other) != 1 {
			t.Fatalf("%s: %d other-language sections; want 1", lang, len(other))
		}
		if l, _ := attr(other[0], "lang"); l == p.Lang.Tag || l == "" {
			t.Errorf("%s: other-language section lang = %q", lang, l)
		}
		robots := find(doc, func(n *html.Node) bool { v, _ := attr(n, "name"); return n.Data == "meta" && v == "robots" })
		if len(robots) != 1 {
			t.Errorf("%s: 404 page without robots noindex", lang)
		}
	}
}
