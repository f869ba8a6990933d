package site

import (
	"context"
	"encoding/xml"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"dateline/cmd/internal/corpus"
	"dateline/cmd/internal/publish"
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
	URLs []sitemapEntry `xml:"url"`
}

type sitemapEntry struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
	Links   []struct {
		Hreflang string `xml:"hreflang,attr"`
		Href     string `xml:"href,attr"`
	} `xml:"link"`
}

// readSitemap reads the sitemap of a built site: the index sitemap.xml and
// every part it names, which are sitemap-*.xml files at the site's root
// under base, each a <urlset>. It returns the parts' entries in order,
// and fails when a part is missing, named twice, or a sitemap-*.xml file
// is named by no index.
func readSitemap(t *testing.T, files map[string][]byte, base string) (sitemapDoc, []string) {
	t.Helper()
	var index struct {
		XMLName xml.Name
		Parts   []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal(files["sitemap.xml"], &index); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	if index.XMLName.Local != "sitemapindex" || len(index.Parts) == 0 {
		t.Fatalf("sitemap.xml is a <%s> of %d parts; want a <sitemapindex> of at least one", index.XMLName.Local, len(index.Parts))
	}
	var all sitemapDoc
	var names []string
	for _, p := range index.Parts {
		name, ok := strings.CutPrefix(p.Loc, base)
		if !ok || strings.Contains(name, "/") || !strings.HasPrefix(name, "sitemap-") || path.Ext(name) != ".xml" {
			t.Fatalf("sitemap.xml names part %s; want %ssitemap-*.xml", p.Loc, base)
		}
		if slices.Contains(names, name) {
			t.Fatalf("sitemap.xml names %s twice", name)
		}
		names = append(names, name)
		data, ok := files[name]
		if !ok {
			t.Fatalf("sitemap.xml names %s, which is not written", name)
		}
		var part struct {
			XMLName xml.Name
			sitemapDoc
		}
		if err := xml.Unmarshal(data, &part); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if part.XMLName.Local != "urlset" || len(part.URLs) == 0 {
			t.Errorf("%s is a <%s> of %d URLs; want a <urlset> of at least one", name, part.XMLName.Local, len(part.URLs))
		}
		all.URLs = append(all.URLs, part.URLs...)
	}
	for name := range files {
		if strings.HasPrefix(name, "sitemap-") && !slices.Contains(names, name) {
			t.Errorf("%s is written but not named by sitemap.xml", name)
		}
	}
	return all, names
}

// TestSitemapListsEveryPage: the sitemap lists every page a reader can
// land on (root, fronts and their page N, topic index, topics, authors,
// reports) once, and no 404 or search page; each listing page paired with
// another language carries hreflang alternates for both plus x-default,
// the alternates being those of the page's own <head>.
func TestSitemapListsEveryPage(t *testing.T) {
	out := chromeSite(t, Options{Search: true})
	sm, _ := readSitemap(t, out.files, navBase)
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

// TestSitemapParts: sitemap.xml is an index naming sitemap-lists.xml (the
// root and the listing pages) and then the report parts, sitemapReports
// reports each in folder order, every report's editions in one part;
// robots.txt names the index and _headers gives every part the
// revalidating policy of pages.
func TestSitemapParts(t *testing.T) {
	defer func(n int) { sitemapReports = n }(sitemapReports)
	sitemapReports = 5
	out := chromeSite(t, Options{})
	_, names := readSitemap(t, out.files, navBase)
	want := []string{"sitemap-lists.xml", "sitemap-reports-1.xml", "sitemap-reports-2.xml", "sitemap-reports-3.xml"}
	if !slices.Equal(names, want) {
		t.Fatalf("sitemap.xml names %q; want %q", names, want)
	}
	var lastSlug string
	for i, name := range names {
		var part sitemapDoc
		if err := xml.Unmarshal(out.files[name], &part); err != nil {
			t.Fatal(err)
		}
		slugs := map[string]bool{}
		for _, u := range part.URLs {
			kind := pageKind(strings.TrimPrefix(u.Loc, navBase) + "index.html")
			if u.Loc == navBase {
				kind = "root"
			}
			if (kind == "report") != (i > 0) {
				t.Errorf("%s lists %s, a %s page", name, u.Loc, kind)
			}
			if kind != "report" {
				continue
			}
			slug := strings.Split(strings.TrimPrefix(u.Loc, navBase), "/")[1]
			if slug < lastSlug {
				t.Errorf("%s lists %s after a report of %s", name, u.Loc, lastSlug)
			}
			if !slugs[slug] && slug == lastSlug {
				t.Errorf("%s lists %s, whose report began in the part before", name, u.Loc)
			}
			slugs[slug], lastSlug = true, slug
		}
		if i > 0 && len(slugs) != min(5, 12-5*(i-1)) {
			t.Errorf("%s lists the pages of %d reports; want %d", name, len(slugs), min(5, 12-5*(i-1)))
		}
	}
	if !strings.Contains(string(out.files["robots.txt"]), "Sitemap: "+navBase+"sitemap.xml\n") {
		t.Errorf("robots.txt does not name the index:\n%s", out.files["robots.txt"])
	}
	for _, name := range append([]string{"sitemap.xml"}, names...) {
		if !strings.Contains(string(out.files["_headers"]), "\n/"+name+"\n  Cache-Control: "+publish.Revalidate+"\n") {
			t.Errorf("_headers gives /%s no Cache-Control %q:\n%s", name, publish.Revalidate, out.files["_headers"])
		}
	}
}

// TestRebuildSitemapParts: a rebuild encodes again only the parts of the
// sitemap whose entries change — the lists part for a topic edit, the part
// holding the report too for a new date — and removes a part that is no
// more; the site is then the clean build's.
func TestRebuildSitemapParts(t *testing.T) {
	defer func(n int) { sitemapReports = n }(sitemapReports)
	sitemapReports = 2
	files := map[string]string{"content/site.toml": "base_url = \"https://x.example/\"\nfront_page_size = 2\n" + listingTOML}
	report := func(i int, extra string) string {
		return fmt.Sprintf("---\ntitle: 第%d篇\ndate: 2024-01-%02d\n%sauthors: [{name: 李明}]\n---\n\n正文。\n", i, i, extra)
	}
	for i := 1; i <= 6; i++ {
		files[fmt.Sprintf("content/r%d/zh.md", i)] = report(i, "tags: [河流]\n")
		files[fmt.Sprintf("content/r%d/en.md", i)] = strings.Replace(report(i, "tags: [河流]\n"), "第", "No. ", 1)
	}
	dir := t.TempDir()
	writeFiles(t, dir, files)
	opts := Options{FS: os.DirFS(dir), Now: clock}
	b := NewBuilder(opts)
	ctx := context.Background()
	live := newMem()
	if _, err := b.Build(ctx, live); err != nil {
		t.Fatal(err)
	}
	rendered := recordRendering(t, "sitemap")
	for _, tc := range []struct {
		what    string
		edit    map[string]string
		removed []string // the reports' folders
		want    []string // sitemap files rendered
	}{
		{what: "topic", edit: map[string]string{"content/r3/zh.md": report(3, "tags: [防汛, 河流]\n")},
			want: []string{"sitemap-lists.xml"}},
		{what: "title", edit: map[string]string{"content/r3/zh.md": strings.Replace(report(3, "tags: [防汛, 河流]\n"), "第3篇", "第3篇（修订）", 1)}},
		{what: "updated", edit: map[string]string{"content/r3/zh.md": report(3, "updated: 2025-05-01\n")},
			want: []string{"sitemap-lists.xml", "sitemap-reports-2.xml"}},
		{what: "removed", removed: []string{"r5", "r6"},
			want: []string{"sitemap-lists.xml", "sitemap.xml"}},
	} {
		rendered.take()
		writeFiles(t, dir, tc.edit)
		changed := slices.Sorted(maps.Keys(tc.edit))
		for _, slug := range tc.removed {
			if err := os.RemoveAll(filepath.Join(dir, "content", slug)); err != nil {
				t.Fatal(err)
			}
			changed = append(changed, "content/"+slug+"/zh.md", "content/"+slug+"/en.md")
		}
		res, full, err := b.Rebuild(ctx, changed, live)
		if err != nil || full {
			t.Fatalf("%s edit: Rebuild: full %v, %v", tc.what, full, err)
		}
		for _, r := range res.Removed {
			delete(live.files, r)
		}
		if got := rendered.take(); !slices.Equal(got, tc.want) {
			t.Errorf("%s edit rendered %q; want %q", tc.what, got, tc.want)
		}
		if tc.removed != nil && !slices.Contains(res.Removed, "sitemap-reports-3.xml") {
			t.Errorf("%s: removed %q; want sitemap-reports-3.xml among them", tc.what, res.Removed)
		}
		clean := newMem()
		if _, err := NewBuilder(opts).Build(ctx, clean); err != nil {
			t.Fatal(err)
		}
		compare(t, tc.what+" edit", live.files, clean.files)
		readSitemap(t, live.files, "https://x.example/")
	}
}
