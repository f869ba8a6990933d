package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"path"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// Hostile values: every one tries to end the element or attribute it is
// written into and start a script.
const (
	evilTitle    = `Evil </title><script>alert("title")</script> & "q" 'a' </script>`
	evilSubtitle = `Sub "><script>alert("sub")</script>`
	evilSummary  = `Sum </script><script>alert("summary")</script> ]]> -->`
	evilAuthor   = `Au <script>alert("author")</script>`
	evilRole     = `Text"><img src=x onerror=alert(1)>`
	evilCredit   = `Photo: </figcaption><script>alert("credit")</script>`
	evilCaption  = `Cap </figcaption><script>alert("caption")</script>`
	evilSidebar  = `</aside><script>alert("sidebar")</script>`
	evilSite     = `Site </title><script>alert("site")</script>`
)

// evilSiteFiles returns testSite plus a report whose every field is hostile.
func evilSiteFiles(t testing.TB) map[string][]byte {
	files := testSite(t)
	files["content/site.toml"] = []byte(`base_url = "https://news.example.org/"
timezone = "Asia/Shanghai"
[languages.zh]
tag = "zh-CN"
name = "中文"
title = "深度报道"
[languages.en]
tag = "en"
name = "English"
title = ` + tomlString(evilSite) + `
`)
	files["content/evil/en.md"] = []byte(`---
title: ` + yamlString(evilTitle) + `
subtitle: ` + yamlString(evilSubtitle) + `
summary: ` + yamlString(evilSummary) + `
date: 2025-06-20
dateline: ` + yamlString(evilSubtitle) + `
authors:
  - {name: ` + yamlString(evilAuthor) + `, role: ` + yamlString(evilRole) + `}
credit: ` + yamlString(evilCredit) + `
tags: [` + yamlString(evilSubtitle) + `]
hero: {src: photos/p.png, alt: ` + yamlString(evilCaption) + `, caption: ` + yamlString(evilCaption) + `}
---

The lede <script>alert("raw")</script> and <b onclick="alert(1)">bold</b>.

[a script link](javascript:alert(1)), [a mixed-case one](JaVaScRiPt:alert(2)),
[one with a tab](java	script:alert(3)), [a data link](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==),
[an entity one](&#106;avascript:alert(5)) and [a vbscript one](vbscript:msgbox(6)).

## First stop: ` + evilSidebar + `

![` + strings.ReplaceAll(evilCaption, `"`, `&quot;`) + `](photos/p.png "` + strings.ReplaceAll(evilCaption, `"`, `\"`) + `")

![second](photos/p.png)
Photo: ` + evilAuthor + ` [x](javascript:alert(7))

::: sidebar ` + evilSidebar + `
Inside <script>alert("inside")</script>.
:::

::: quote ` + evilAuthor + `
Quoted.
:::
`)
	files["content/evil/photos/p.png"] = pngPhoto(t, 40, 30, 11)
	return files
}

func yamlString(s string) string {
	b, _ := json.Marshal(s) // a JSON string is a YAML double-quoted scalar
	return string(b)
}

func tomlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// checkNoScript fails for any script element that is not JSON-LD or the
// theme's own script file, any on* attribute, and any href or src with a
// script or data URL.
func checkNoScript(t testing.TB, name string, data []byte) {
	t.Helper()
	doc := parseHTML(t, data)
	for _, n := range find(doc, func(*xhtml.Node) bool { return true }) {
		if n.Data == "script" {
			typ, src := attr(n, "type"), attr(n, "src")
			if typ != "application/ld+json" && !strings.HasPrefix(src, "/assets/js/") {
				t.Errorf("%s: a <script> element that is not the theme's: %s", name, render(n))
			}
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("%s: event attribute %s=%q on <%s>", name, a.Key, a.Val, n.Data)
			}
			if a.Key == "href" || a.Key == "src" || a.Key == "srcset" || a.Key == "action" || a.Key == "formaction" {
				v := strings.ToLower(strings.Map(func(r rune) rune {
					if r <= ' ' {
						return -1
					}
					return r
				}, a.Val))
				for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
					if strings.HasPrefix(v, scheme) {
						t.Errorf("%s: <%s %s=%q>", name, n.Data, a.Key, a.Val)
					}
				}
			}
		}
	}
	if bytes.Contains(bytes.ToLower(data), []byte("alert(")) {
		// Allowed only as escaped text; the parse above proves it is inert,
		// but make sure it is never inside a raw script.
		for _, n := range find(doc, tag("script")) {
			if strings.Contains(text(n), "alert(") && attr(n, "type") != "application/ld+json" {
				t.Errorf("%s: alert( inside a script element", name)
			}
		}
	}
}

func render(n *xhtml.Node) string {
	var b bytes.Buffer
	xhtml.Render(&b, n)
	return b.String()
}

func buildEvil(t *testing.T) map[string][]byte {
	t.Helper()
	_, out := buildSite(t, evilSiteFiles(t))
	return out
}

// TestEscapeHTML checks every page: no script from content, and each hostile
// value comes back as text exactly where it belongs.
func TestEscapeHTML(t *testing.T) {
	out := buildEvil(t)
	for name, data := range out {
		if path.Ext(name) == ".html" {
			checkNoScript(t, name, data)
		}
	}
	page := out["en/evil/index.html"]
	if page == nil {
		t.Fatal("no en/evil/index.html")
	}
	doc := parseHTML(t, page)
	titles := find(doc, tag("title"))
	if len(titles) != 1 || !strings.Contains(text(titles[0]), evilTitle) {
		t.Errorf("<title> = %q; want it to hold %q", text(titles[0]), evilTitle)
	}
	meta := map[string]string{}
	for _, m := range find(doc, tag("meta")) {
		meta[attr(m, "property")+attr(m, "name")] = attr(m, "content")
	}
	for key, want := range map[string]string{
		"og:title": evilTitle, "twitter:title": evilTitle, "description": evilSummary,
		"og:description": evilSummary, "og:site_name": evilSite, "og:image:alt": evilCaption,
	} {
		if meta[key] != want {
			t.Errorf("meta %s = %q; want %q", key, meta[key], want)
		}
	}
	body := text(doc)
	for _, want := range []string{"a script link", "a mixed-case one", "one with a tab", "a data link", "an entity one", "a vbscript one"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lost the link text %q", want)
		}
	}
	for _, want := range []string{evilSubtitle, evilAuthor, evilCaption, strings.TrimPrefix(evilCredit, "Photo: ")} {
		if !strings.Contains(body, want) {
			t.Errorf("the page text lacks %q", want)
		}
	}
	var h1 []string
	for _, h := range find(doc, tag("h1")) {
		h1 = append(h1, text(h))
	}
	if !strings.Contains(strings.Join(h1, "|"), evilTitle) {
		t.Errorf("<h1> = %q; want %q", h1, evilTitle)
	}
	// A sidebar title is Markdown: its raw HTML is dropped, its text kept.
	asides := 0
	for _, a := range find(doc, tag("aside")) {
		if strings.Contains(attr(a, "class"), "sidebar-sidebar") {
			asides++
			h := find(a, func(n *xhtml.Node) bool { return attr(n, "class") == "sidebar-title" })
			if len(h) != 1 || text(h[0]) != `alert("sidebar")` {
				t.Errorf("sidebar = %s; want a heading with the title's text without its markup", render(a))
			}
		}
	}
	if asides != 1 {
		t.Errorf("%d sidebars; want 1", asides)
	}
	var figcaptions []string
	for _, f := range find(doc, tag("figcaption")) {
		figcaptions = append(figcaptions, text(f))
	}
	if !strings.Contains(strings.Join(figcaptions, "|"), evilCaption) {
		t.Errorf("figcaptions = %q; want one holding %q", figcaptions, evilCaption)
	}
	// The front page lists the report with its title and summary as text.
	front := parseHTML(t, out["en/index.html"])
	if ft := text(front); !strings.Contains(ft, evilTitle) || !strings.Contains(ft, evilSummary) {
		t.Errorf("the front page lacks the title or summary as text")
	}
}

// TestEscapeJSONLD parses each report's JSON-LD back: the script block must
// hold all of it, and the values must be the front matter's.
func TestEscapeJSONLD(t *testing.T) {
	out := buildEvil(t)
	doc := parseHTML(t, out["en/evil/index.html"])
	var blocks []string
	for _, s := range find(doc, tag("script")) {
		if attr(s, "type") == "application/ld+json" {
			blocks = append(blocks, text(s))
		}
	}
	if len(blocks) != 1 {
		t.Fatalf("%d JSON-LD blocks; want 1", len(blocks))
	}
	var ld struct {
		Headline            string `json:"headline"`
		AlternativeHeadline string `json:"alternativeHeadline"`
		Description         string `json:"description"`
		Author              []struct{ Name string }
		Publisher           struct{ Name string }
		LocationCreated     struct{ Name string }
		InLanguage          string `json:"inLanguage"`
		IsAccessibleForFree bool   `json:"isAccessibleForFree"`
	}
	if err := json.Unmarshal([]byte(blocks[0]), &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, blocks[0])
	}
	for _, c := range []struct{ field, got, want string }{
		{"headline", ld.Headline, evilTitle},
		{"alternativeHeadline", ld.AlternativeHeadline, evilSubtitle},
		{"description", ld.Description, evilSummary},
		{"locationCreated", ld.LocationCreated.Name, evilSubtitle},
	} {
		if c.got != c.want {
			t.Errorf("JSON-LD %s = %q; want %q", c.field, c.got, c.want)
		}
	}
	if len(ld.Author) != 1 || ld.Author[0].Name != evilAuthor {
		t.Errorf("JSON-LD author = %+v; want %q", ld.Author, evilAuthor)
	}
	raw := string(out["en/evil/index.html"])
	i := strings.Index(raw, `<script type="application/ld+json">`)
	if j := strings.Index(raw[i:], "</script>"); i < 0 || raw[i+len(`<script type="application/ld+json">`):i+j] != blocks[0] {
		t.Error("the JSON-LD block ends before its JSON does")
	}
	if strings.Contains(strings.ToLower(blocks[0]), "<script") || strings.Contains(strings.ToLower(blocks[0]), "<!--") {
		t.Errorf("JSON-LD holds an unescaped <script or <!--: %s", blocks[0])
	}
}

// TestEscapeFeed parses the English Atom feed with encoding/xml.
func TestEscapeFeed(t *testing.T) {
	out := buildEvil(t)
	var feed struct {
		Title   string `xml:"title"`
		Entries []struct {
			Title   string `xml:"title"`
			Summary string `xml:"summary"`
			Author  []struct {
				Name string `xml:"name"`
			} `xml:"author"`
			Links []struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	data := out["en/feed.xml"]
	if err := xml.Unmarshal(data, &feed); err != nil {
		t.Fatalf("en/feed.xml: %v", err)
	}
	if !strings.Contains(feed.Title, evilSite) {
		t.Errorf("feed title = %q; want it to hold %q", feed.Title, evilSite)
	}
	found := false
	for _, e := range feed.Entries {
		if e.Title != evilTitle {
			continue
		}
		found = true
		if e.Summary != evilSummary {
			t.Errorf("entry summary = %q; want %q", e.Summary, evilSummary)
		}
		if len(e.Author) > 0 && e.Author[0].Name != evilAuthor {
			t.Errorf("entry author = %q; want %q", e.Author[0].Name, evilAuthor)
		}
		if e.Content != "" {
			checkNoScript(t, "feed content", []byte(e.Content))
		}
	}
	if !found {
		t.Errorf("no feed entry titled %q in\n%s", evilTitle, data)
	}
}

// TestEscapeSitemap parses the sitemap, its index sitemap.xml and every
// part it names: well-formed, and only http(s) URLs of the site.
func TestEscapeSitemap(t *testing.T) {
	out := buildEvil(t)
	var index struct {
		Parts []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal(out["sitemap.xml"], &index); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	if len(index.Parts) == 0 {
		t.Fatalf("sitemap.xml names no part:\n%s", out["sitemap.xml"])
	}
	n := 0
	for _, p := range index.Parts {
		name, ok := strings.CutPrefix(p.Loc, "https://news.example.org/")
		if !ok {
			t.Errorf("sitemap part URL %q", p.Loc)
			continue
		}
		var sm struct {
			URLs []struct {
				Loc  string `xml:"loc"`
				Alts []struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal(out[name], &sm); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, u := range sm.URLs {
			urls := []string{u.Loc}
			for _, a := range u.Alts {
				urls = append(urls, a.Href)
			}
			for _, s := range urls {
				if !strings.HasPrefix(s, "https://news.example.org/") {
					t.Errorf("%s: URL %q", name, s)
				}
			}
			if strings.Contains(u.Loc, "/evil/") {
				n++
			}
		}
	}
	if n == 0 {
		t.Error("the sitemap does not list the report")
	}
}

// TestEscapeImageURLs: an image whose source is a script or data URL is an
// error (it is no photo of the report), or at least never reaches a src.
func TestEscapeImageURLs(t *testing.T) {
	for _, src := range []string{
		"javascript:alert(1)",
		"JaVaScRiPt:alert(1)",
		"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
		"data:text/html,%3Cscript%3Ealert(1)%3C/script%3E",
		"  javascript:alert(1)",
	} {
		t.Run(src, func(t *testing.T) {
			files := testSite(t)
			files["content/img/en.md"] = []byte("---\ntitle: Img\ndate: 2025-06-01\ncredit: \"Photo: x\"\n---\n\n![an image](<" + src + "> \"cap\")\n\nInline ![an image](<" + src + ">) here.\n")
			dir := t.TempDir()
			writeSite(t, dir, files)
			code, _, stderr := dateline(t, "build", "-s", dir)
			if code == 0 {
				for name, data := range readTree(t, dir+"/public") {
					if path.Ext(name) == ".html" {
						checkNoScript(t, name, data)
					}
				}
				for _, line := range []string{"7", "9"} {
					if !strings.Contains(stderr, "content/img/en.md:"+line+": warning: photo ") {
						t.Errorf("no warning on line %s that the image was removed:\n%s", line, stderr)
					}
				}
				return
			}
			if code != 1 || !strings.Contains(stderr, "content/img/en.md:7: ") {
				t.Errorf("exit %d; want 0 with the image dropped, or 1 naming content/img/en.md:7\n%s", code, stderr)
			}
		})
	}
}

// TestEscapeOverlay: a problem whose file path and message hold markup is
// shown as text in the preview's error overlay.
func TestEscapeOverlay(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a preview server")
	}
	files := testSite(t)
	files[`content/<script>alert('path')<script>/zh.md`] = []byte("---\ntitle: t\ndate: 2025-06-01\n---\n")
	files["content/bad/zh.md"] = []byte("---\ntitle: t\ndate: 2025-06-01\n---\n\n::: <script>alert(\"kind\")</script>\nx\n:::\n")
	dir := t.TempDir()
	writeSite(t, dir, files)
	page := servePage(t, dir, "/en/alpha/", 200)
	doc := parseHTML(t, []byte(page))
	checkNoScriptBut(t, doc)
	var problems []string
	for _, li := range find(doc, func(n *xhtml.Node) bool { return strings.Contains(attr(n, "class"), "dateline-problem") }) {
		problems = append(problems, text(li))
	}
	joined := strings.Join(problems, "\n")
	for _, want := range []string{`content/<script>alert('path')<script>`, `"<script>alert(\"kind\")</script>"`} {
		if !strings.Contains(joined, want) {
			t.Errorf("the overlay does not show %q as text; it shows:\n%s", want, joined)
		}
	}
	if strings.Contains(page, "<script>alert") {
		t.Errorf("the page holds a raw <script>alert: %s", html.EscapeString(page))
	}
}

// checkNoScriptBut fails for a script element other than JSON-LD, the
// theme's files and the preview's own inline script.
func checkNoScriptBut(t *testing.T, doc *xhtml.Node) {
	t.Helper()
	for _, s := range find(doc, tag("script")) {
		if attr(s, "type") == "application/ld+json" || strings.HasPrefix(attr(s, "src"), "/assets/js/") {
			continue
		}
		if src := text(s); strings.Contains(src, "alert(") {
			t.Errorf("a script runs content: %s", render(s))
		}
	}
}

// recorder is a testing.TB that counts errors instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) { r.errors = append(r.errors, format) }
func (r *recorder) Helper()                           {}

// TestCheckNoScript makes sure the checker above catches what it should.
func TestCheckNoScript(t *testing.T) {
	for _, tt := range []struct {
		page string
		bad  bool
	}{
		{`<p>alert("x") as text &lt;script&gt;</p><script type="application/ld+json">{"a":"alert("}</script><script src="/assets/js/a.js"></script>`, false},
		{`<p><script>alert(1)</script></p>`, true},
		{`<img src=x onerror=alert(1)>`, true},
		{`<a href=" JaVa	ScRiPt:alert(1)">x</a>`, true},
		{`<a href="data:text/html,x">x</a>`, true},
		{`<img src="vbscript:x">`, true},
	} {
		r := &recorder{TB: t}
		checkNoScript(r, "page", []byte(tt.page))
		if got := len(r.errors) > 0; got != tt.bad {
			t.Errorf("checkNoScript(%q) found %q; want bad = %v", tt.page, r.errors, tt.bad)
		}
	}
}
