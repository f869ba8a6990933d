package site

import (
	"context"
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"dateline/cmd/internal/corpus"
)

// chromeSite builds 12 generated reports, five to a listing page, with
// topics and an author declared: every kind of page there is.
func chromeSite(t *testing.T, opts Options) *memOutput {
	t.Helper()
	files := corpus.Generate(12, 1)
	files["content/site.toml"] = []byte("front_page_size = 5\n" + string(files["content/site.toml"]) + navTopics +
		"\n[authors.li-ming]\nzh = \"李明\"\nen = \"Li Ming\"\n")
	opts.FS, opts.Now, opts.NoDerivatives = benchMapFS(files), benchNow, true
	out := newMem()
	if _, err := NewBuilder(opts).Build(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	return out
}

type sitemapDoc struct {
	URLs []struct {
		Loc   string `xml:"loc"`
		Links []struct {
			Hreflang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"url"`
}

// TestSitemapListsEveryPage: sitemap.xml lists every page a reader can
// land on (root, fronts and their page N, topic index, topics, authors,
// reports) once, and no 404 or search page; each listing page paired with
// another language carries hreflang alternates for both plus x-default,
// the alternates being those of the page's own <head>.
func TestSitemapListsEveryPage(t *testing.T) {
	out := chromeSite(t, Options{Search: true})
	var sm sitemapDoc
	if err := xml.Unmarshal(out.files["sitemap.xml"], &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	listed := map[string]int{}
	for _, u := range sm.URLs {
		listed[u.Loc]++
	}
	var want []string
	for name, data := range out.files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		switch pageKind(name) {
		case "404", "search":
			if p := parsePage(t, name, data); listed[p.canonical] > 0 {
				t.Errorf("%s (%s) is in the sitemap", name, p.canonical)
			}
			continue
		}
		p := parsePage(t, name, data)
		want = append(want, p.canonical)
		if listed[p.canonical] != 1 {
			t.Errorf("%s: %s listed %d times in the sitemap, want once", name, p.canonical, listed[p.canonical])
		}
		if name == "index.html" || pageKind(name) == "report" {
			continue
		}
		for _, u := range sm.URLs {
			if u.Loc != p.canonical {
				continue
			}
			got := map[string]string{}
			for _, l := range u.Links {
				got[l.Hreflang] = l.Href
			}
			if len(p.hreflang) > 2 { // paired: two languages and x-default
				for hl, href := range p.hreflang {
					if got[hl] != href {
						t.Errorf("sitemap %s: hreflang %s = %q, the page says %q", u.Loc, hl, got[hl], href)
					}
				}
			}
			if len(got) != len(p.hreflang) && len(p.hreflang) > 2 {
				t.Errorf("sitemap %s: alternates %v, the page has %v", u.Loc, got, p.hreflang)
			}
		}
	}
	if len(want) != len(sm.URLs) {
		t.Errorf("sitemap has %d URLs, the site %d pages to list", len(sm.URLs), len(want))
	}
	kinds := map[string]bool{}
	for _, loc := range want {
		kinds[pageKind(strings.TrimPrefix(loc, navBase)+"index.html")] = true
	}
	for _, k := range []string{"front", "page N", "topics", "topic", "author", "report"} {
		if !kinds[k] {
			t.Errorf("no %s page in the sitemap", k)
		}
	}
}

// TestHeaderLinksTopics: every page's header links its language's topic
// index, which exists.
func TestHeaderLinksTopics(t *testing.T) {
	out := chromeSite(t, Options{})
	for _, lang := range []string{"zh", "en"} {
		for _, name := range []string{lang + "/index.html", lang + "/page/2/index.html", lang + "/topics/ecology/index.html"} {
			p := parsePage(t, name, out.files[name])
			if !slices.Contains(p.links, "/"+lang+"/topics/") {
				t.Errorf("%s: no link to /%s/topics/", name, lang)
			}
		}
		if _, ok := out.files[lang+"/topics/index.html"]; !ok {
			t.Errorf("%s/topics/index.html not written", lang)
		}
	}
}
