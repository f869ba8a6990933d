package site

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"dateline/cmd/internal/corpus"
)

type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Icon    string   `xml:"icon"`
	Logo    string   `xml:"logo"`
	Entries []struct {
		ID      string `xml:"id"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

// TestFeedFullContent parses each language's Atom feed: it names an icon
// and a logo that are in the output, and every entry carries its report's
// whole body as type="html" content, the same text as the report page's
// body, with every URL in it absolute (photos, srcset, stop anchors,
// links) and nothing of a draft, an embargoed report or the preview.
func TestFeedFullContent(t *testing.T) {
	files := corpus.Generate(6, 1)
	files["content/zz-draft/en.md"] = []byte("---\ntitle: Secret draft\ndate: 2025-06-01\ndraft: true\n---\n\nMarker-draft text.\n")
	files["content/zz-embargo/en.md"] = []byte("---\ntitle: Secret embargo\ndate: 2027-06-01\n---\n\nMarker-embargo text.\n")
	files["content/zz-links/en.md"] = []byte("---\ntitle: Links\ndate: 2025-12-30\n---\n\n" +
		"## First stop: here\n\nSee [the other report](/en/" + corpus.Slug(1) + "/), [this stop](#stop-1) and [elsewhere](https://other.example/x).\n")
	out := newMem()
	if _, err := NewBuilder(Options{FS: benchMapFS(files), Now: benchNow, NoDerivatives: true}).Build(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"zh", "en"} {
		name := lang + "/feed.xml"
		raw := out.files[name]
		var feed atomDoc
		if err := xml.Unmarshal(raw, &feed); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, marker := range []string{"Marker-", "Secret", "_dateline", "EventSource", "dateline-overlay"} {
			if bytes.Contains(raw, []byte(marker)) {
				t.Errorf("%s holds %q", name, marker)
			}
		}
		for what, u := range map[string]string{"icon": feed.Icon, "logo": feed.Logo} {
			if _, ok := out.files[strings.TrimPrefix(u, navBase)]; !strings.HasPrefix(u, navBase) || !ok {
				t.Errorf("%s: %s %q is not a file of the site", name, what, u)
			}
		}
		if want := map[string]int{"zh": 6, "en": 7}[lang]; len(feed.Entries) != want {
			t.Fatalf("%s: %d entries, want %d", name, len(feed.Entries), want)
		}
		for _, e := range feed.Entries {
			if e.Content.Type != "html" || e.Content.Body == "" {
				t.Errorf("%s: content type=%q, %d bytes", e.ID, e.Content.Type, len(e.Content.Body))
				continue
			}
			nodes, err := html.ParseFragment(strings.NewReader(e.Content.Body), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
			if err != nil {
				t.Fatalf("%s: content: %v", e.ID, err)
			}
			var got strings.Builder
			urls := 0
			for _, n := range nodes {
				walkText(n, &got, func(key, val string) {
					urls++
					for _, ref := range refs(key, val) {
						u, err := url.Parse(ref)
						if err != nil || !u.IsAbs() || u.Host == "" {
							t.Errorf("%s: %s=%q is not an absolute URL", e.ID, key, ref)
						}
						if strings.HasPrefix(ref, navBase) && !strings.Contains(ref, "#") {
							if _, ok := out.files[strings.TrimSuffix(strings.TrimPrefix(ref, navBase), "/")]; !ok {
								if _, ok := out.files[strings.TrimPrefix(ref, navBase)+"index.html"]; !ok {
									t.Errorf("%s: %s=%q is not in the output", e.ID, key, ref)
								}
							}
						}
					}
				})
			}
			page := strings.TrimPrefix(e.ID, navBase) + "index.html"
			if want := bodyText(t, out.files[page]); norm(got.String()) != want {
				t.Errorf("%s: feed content text differs from the page's body:\nfeed: %.300s\npage: %.300s", e.ID, norm(got.String()), want)
			}
			if urls == 0 {
				t.Errorf("%s: no URL in the content: the test checks nothing", e.ID)
			}
		}
	}
	if en := string(out.files["en/feed.xml"]); !strings.Contains(en, navBase+"en/zz-links/#stop-1") || !strings.Contains(en, "https://other.example/x") {
		t.Errorf("en/feed.xml: the stop anchor is not made absolute, or the outside link changed")
	}
}

// refs returns the URLs an attribute holds.
func refs(key, val string) []string {
	if key != "srcset" {
		return []string{val}
	}
	var us []string
	for _, p := range strings.Split(val, ",") {
		if f := strings.Fields(p); len(f) > 0 {
			us = append(us, f[0])
		}
	}
	return us
}

// walkText appends n's text to w and calls url for each URL attribute.
func walkText(n *html.Node, w *strings.Builder, url func(key, val string)) {
	if n.Type == html.TextNode {
		w.WriteString(n.Data)
	}
	if n.Type == html.ElementNode {
		for _, a := range n.Attr {
			if urlAttrs[a.Key] {
				url(a.Key, a.Val)
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walkText(c, w, url)
	}
}

// bodyText returns the normalized text of a report page's body.
func bodyText(t *testing.T, page []byte) string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var found *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && strings.Contains(" "+attr(n, "class")+" ", " report-body ") {
			found = n
		}
		for c := n.FirstChild; c != nil && found == nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if found == nil {
		t.Fatal("no report-body in the page")
	}
	var w strings.Builder
	walkText(found, &w, func(string, string) {})
	return norm(w.String())
}

func norm(s string) string { return strings.Join(strings.Fields(s), "") }

// TestAbsoluteURLs: every URL attribute of a body is resolved against the
// report page's URL, srcset candidates one by one; the rest is kept byte
// for byte.
func TestAbsoluteURLs(t *testing.T) {
	const base = "https://x.example/news/en/river/"
	for _, c := range []struct{ in, want string }{
		{`<p>Text &amp; <em>more</em></p>`, `<p>Text &amp; <em>more</em></p>`},
		{`<a href="#stop-1">s</a>`, `<a href="https://x.example/news/en/river/#stop-1">s</a>`},
		{`<a href="/news/en/other/">o</a>`, `<a href="https://x.example/news/en/other/">o</a>`},
		{`<a href="https://y.example/a?b=1&amp;c=2">y</a>`, `<a href="https://y.example/a?b=1&amp;c=2">y</a>`},
		{`<img src="/news/assets/photos/p.1.jpg" alt="A &quot;q&quot;" width="10">`, `<img src="https://x.example/news/assets/photos/p.1.jpg" alt="A &#34;q&#34;" width="10">`},
		{`<img srcset="/news/assets/p-480.jpg 480w, /news/assets/p-960.jpg 960w" src="p.jpg">`,
			`<img srcset="https://x.example/news/assets/p-480.jpg 480w, https://x.example/news/assets/p-960.jpg 960w" src="https://x.example/news/en/river/p.jpg">`},
		{`<blockquote cite="../src/">q</blockquote>`, `<blockquote cite="https://x.example/news/en/src/">q</blockquote>`},
		{`<a href="mailto:a@x.example">m</a>`, `<a href="mailto:a@x.example">m</a>`},
	} {
		if got := absoluteURLs([]byte(c.in), base); got != c.want {
			t.Errorf("absoluteURLs(%s)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

// TestRebuildFeedBody: an edit to a report's body alone, which no listing
// page shows, rewrites the feeds with the new body and no other list.
func TestRebuildFeedBody(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"content/site.toml": "base_url = \"https://x.example/\"\n",
		"content/a/en.md":   editionFile("en", "A", "2025-01-01", "Summary line.\n\nFIRST-BODY"),
		"content/b/en.md":   editionFile("en", "B", "2025-01-02", "Other."),
	})
	b := NewBuilder(Options{FS: os.DirFS(dir), Now: clock})
	live := newMem()
	if _, err := b.Build(context.Background(), live); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{"content/a/en.md": editionFile("en", "A", "2025-01-01", "Summary line.\n\nSECOND-BODY")})
	res, _, err := b.Rebuild(context.Background(), []string{"content/a/en.md"}, live)
	if err != nil {
		t.Fatal(err)
	}
	if feed := string(live.files["en/feed.xml"]); !strings.Contains(feed, "SECOND-BODY") || strings.Contains(feed, "FIRST-BODY") {
		t.Errorf("en/feed.xml after the edit:\n%s", feed)
	}
	want := []string{"en/a/index.html", "en/feed.xml"}
	if !slices.Equal(res.Written, want) {
		t.Errorf("rebuild wrote %v, want %v", res.Written, want)
	}
}

// TestFeedBodiesFromTheBuild: a full build reads each report file once.
// The feeds' bodies are the ones the report build rendered for the pages,
// not the reports read and converted again.
func TestFeedBodiesFromTheBuild(t *testing.T) {
	fsys := &countFS{FS: benchMapFS(corpus.Generate(8, 1)), opens: map[string]int{}}
	out := newMem()
	if _, err := NewBuilder(Options{FS: fsys, Now: benchNow, NoDerivatives: true}).Build(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	mds := 0
	for name, n := range fsys.opens {
		if strings.HasSuffix(name, ".md") {
			mds++
			if n != 1 {
				t.Errorf("%s opened %d times; want once", name, n)
			}
		}
	}
	if mds == 0 {
		t.Fatal("no report file opened: the test checks nothing")
	}
	if !bytes.Contains(out.files["en/feed.xml"], []byte(`<content type="html">`)) {
		t.Error("en/feed.xml has no entry body")
	}
}
