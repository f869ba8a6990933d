package site

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"dateline/cmd/internal/corpus"
)

// navBase is the base URL of the generated corpus.
const navBase = "https://news.example.org/"

// buildCorpus builds a generated site of n reports with extra site.toml
// settings (its top-level keys go first, its [tables] last) into memory, without photo derivatives.
func buildCorpus(t *testing.T, n int, extraTOML string) (*memOutput, *Result) {
	t.Helper()
	files := corpus.Generate(n, 1)
	top, tables := extraTOML, ""
	if i := strings.Index("\n"+extraTOML, "\n["); i >= 0 {
		top, tables = extraTOML[:i], extraTOML[i:]
	}
	files["content/site.toml"] = []byte(top + string(files["content/site.toml"]) + "\n" + tables)
	out := newMem()
	res, err := NewBuilder(Options{FS: benchMapFS(files), Now: benchNow, NoDerivatives: true}).Build(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	return out, res
}

// parsed is what a test reads in a page.
type parsed struct {
	canonical, prev, next string            // <link> hrefs in <head>
	hreflang              map[string]string // hreflang → href
	links                 []string          // every <a href>
	pagerPrev, pagerNext  string            // <a rel=prev|next> in the body
	ldTypes               []string          // "@type" of each JSON-LD block's top
	og                    map[string][]string
}

func parsePage(t *testing.T, name string, data []byte) parsed {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	p := parsed{hreflang: map[string]string{}, og: map[string][]string{}}
	attr := func(n *html.Node, key string) string {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val
			}
		}
		return ""
	}
	var walk func(n *html.Node, inHead bool)
	walk = func(n *html.Node, inHead bool) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "head":
				inHead = true
			case "link":
				switch rel, href := attr(n, "rel"), attr(n, "href"); rel {
				case "canonical":
					p.canonical = href
				case "prev":
					p.prev = href
				case "next":
					p.next = href
				case "alternate":
					if hl := attr(n, "hreflang"); hl != "" {
						p.hreflang[hl] = href
					}
				}
			case "a":
				href := attr(n, "href")
				p.links = append(p.links, href)
				switch attr(n, "rel") {
				case "prev":
					p.pagerPrev = href
				case "next":
					p.pagerNext = href
				}
			case "meta":
				if prop := attr(n, "property"); strings.HasPrefix(prop, "og:") {
					p.og[prop] = append(p.og[prop], attr(n, "content"))
				}
			case "script":
				if attr(n, "type") == "application/ld+json" && n.FirstChild != nil {
					s := n.FirstChild.Data
					if i := strings.Index(s, `"@type":"`); i >= 0 {
						s = s[i+len(`"@type":"`):]
						p.ldTypes = append(p.ldTypes, s[:strings.IndexByte(s, '"')])
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inHead)
		}
	}
	walk(doc, false)
	return p
}

// TestFrontPageChain builds 40 reports with front_page_size = 7: each
// language's front pages form a chain /<lang>/, /<lang>/page/2/ … 6/ linked
// both ways by rel=prev/next (in <head> and in the pager), each page with
// its own canonical URL and hreflang pairs to the same page number, every
// report reachable from the chain exactly once, and no page over 100 KB.
func TestFrontPageChain(t *testing.T) {
	const n, size = 40, 7
	out, res := buildCorpus(t, n, "front_page_size = 7\n")
	for _, pr := range res.Problems {
		if pr.Error() != "" && strings.Contains(pr.Error(), "front_page_size") {
			t.Errorf("problem: %v", pr)
		}
	}
	want := (n + size - 1) / size
	for _, lang := range []string{"zh", "en"} {
		seen := map[string]int{}
		prevURL := ""
		file := lang + "/index.html"
		url := navBase + lang + "/"
		for k := 1; ; k++ {
			data, ok := out.files[file]
			if !ok {
				t.Fatalf("%s: page %d (%s) not written", lang, k, file)
			}
			if len(data) > 100<<10 {
				t.Errorf("%s: %d bytes, over 100 KB", file, len(data))
			}
			p := parsePage(t, file, data)
			if p.canonical != url {
				t.Errorf("%s: canonical %q, want %q", file, p.canonical, url)
			}
			if p.prev != prevURL {
				t.Errorf("%s: rel=prev %q, want %q", file, p.prev, prevURL)
			}
			if prevURL != "" && navBase+strings.TrimPrefix(p.pagerPrev, "/") != prevURL {
				t.Errorf("%s: pager prev %q, want %q", file, p.pagerPrev, prevURL)
			}
			for _, other := range []string{"zh-CN", "en"} {
				if h, ok := p.hreflang[other]; !ok || !strings.HasSuffix(h, strings.TrimPrefix(url, navBase+lang)) {
					t.Errorf("%s: hreflang %s = %q, want page %d", file, other, h, k)
				}
			}
			if !contains(p.ldTypes, "CollectionPage") {
				t.Errorf("%s: no CollectionPage JSON-LD (types %v)", file, p.ldTypes)
			}
			// The title names the page once and the site once; the
			// list's label says which reports these are.
			title := string(titleRe.FindSubmatch(data)[1])
			parts := strings.Split(title, " · ")
			wantLabel := map[string]string{"zh": "最新报道", "en": "Latest reports"}[lang]
			if k > 1 {
				pageN := map[string]string{"zh": fmt.Sprintf("第%d页", k), "en": fmt.Sprintf("Page %d", k)}[lang]
				wantLabel = map[string]string{"zh": "较早的报道 · ", "en": "Earlier reports · "}[lang] + pageN
				if len(parts) != 2 || parts[0] != pageN {
					t.Errorf("%s: title %q, want %q · the site's title", file, title, pageN)
				}
			} else if len(parts) != 1 {
				t.Errorf("%s: title %q, want the site's title alone", file, title)
			}
			if !bytes.Contains(data, []byte(`id="front-latest">`+wantLabel+"<")) {
				t.Errorf("%s: the list's heading is not %q", file, wantLabel)
			}
			if loc := p.og["og:locale"]; len(loc) != 1 || loc[0] != map[string]string{"zh": "zh_CN", "en": "en_US"}[lang] {
				t.Errorf("%s: og:locale %v", file, loc)
			}
			reports := 0
			for _, l := range p.links {
				if strings.HasPrefix(l, "/"+lang+"/report-") {
					if seen[l] == 0 {
						reports++
					}
					seen[l]++
				}
			}
			if reports > size {
				t.Errorf("%s: %d reports, more than front_page_size %d", file, reports, size)
			}
			if p.next == "" {
				if k != want {
					t.Errorf("%s: chain ends at page %d, want %d", lang, k, want)
				}
				if p.pagerNext != "" {
					t.Errorf("%s: last page has a pager next link %q", file, p.pagerNext)
				}
				break
			}
			if k >= want {
				t.Fatalf("%s: page %d links a next page %q", lang, k, p.next)
			}
			nextURL := navBase + lang + fmt.Sprintf("/page/%d/", k+1)
			if p.next != nextURL || navBase+strings.TrimPrefix(p.pagerNext, "/") != nextURL {
				t.Errorf("%s: next %q, pager %q; want %q", file, p.next, p.pagerNext, nextURL)
			}
			prevURL, url = url, p.next
			file = strings.TrimPrefix(url, navBase) + "index.html"
		}
		if len(seen) != n {
			t.Errorf("%s: %d reports reachable from the front pages, want %d", lang, len(seen), n)
		}
		if _, ok := out.files[lang+fmt.Sprintf("/page/%d/index.html", want+1)]; ok {
			t.Errorf("%s: a page past the end was written", lang)
		}
	}
}

var titleRe = regexp.MustCompile(`<title>([^<]*)</title>`)

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestFrontPageDefaultSize: without front_page_size, a front page lists
// 24 reports (the 2,000-report site once put all of them on one page).
func TestFrontPageDefaultSize(t *testing.T) {
	out, _ := buildCorpus(t, 30, "")
	p := parsePage(t, "en/index.html", out.files["en/index.html"])
	count := 0
	for _, l := range p.links {
		if strings.HasPrefix(l, "/en/report-") {
			count++
		}
	}
	// A teaser links its report once.
	if count != 24 {
		t.Errorf("en/index.html links %d reports, want 24", count)
	}
	if p.next != navBase+"en/page/2/" {
		t.Errorf("rel=next %q", p.next)
	}
	if _, ok := out.files["en/page/2/index.html"]; !ok {
		t.Error("en/page/2/index.html not written")
	}
	// og:locale is language_TERRITORY on every page, the tag "en" included.
	for _, name := range []string{"en/index.html", "en/" + corpus.Slug(3) + "/index.html"} {
		og := parsePage(t, name, out.files[name]).og
		if fmt.Sprint(og["og:locale"], og["og:locale:alternate"]) != "[en_US] [zh_CN]" {
			t.Errorf("%s: og:locale %v, alternate %v; want en_US, zh_CN", name, og["og:locale"], og["og:locale:alternate"])
		}
	}
}

const navTopics = `
[topics.ecology]
zh = "生态保护"
en = "Ecology"

[topics.health]
zh = "医疗"
en = "health care"
`

// TestTopicPages: tags resolve to declared topics by name in either
// language (case aside); each topic has a chain of pages per language that
// lists exactly the reports tagged with it, paired across languages by
// hreflang; /<lang>/topics/ lists every topic with its count; tag pills
// link to the topic page; an undeclared tag is a warning naming it, its
// file and its line.
func TestTopicPages(t *testing.T) {
	const n = 40
	files := corpus.Generate(n, 1)
	out, res := buildCorpus(t, n, "front_page_size = 5\n"+navTopics)
	for _, lang := range []string{"zh", "en"} {
		for key, name := range map[string]map[string]string{
			"ecology": {"zh": "生态保护", "en": "ecology"},
			"health":  {"zh": "医疗", "en": "health care"},
		} {
			want := map[string]bool{}
			for i := 1; i <= n; i++ {
				src := string(files["content/"+corpus.Slug(i)+"/"+lang+".md"])
				line := src[strings.Index(src, "\ntags:"):]
				line = line[:strings.Index(line[1:], "\n")+1]
				if strings.Contains(line, `"`+name[lang]+`"`) {
					want["/"+lang+"/"+corpus.Slug(i)+"/"] = true
				}
			}
			if len(want) == 0 {
				t.Fatalf("%s: no report tagged %q in the corpus", lang, name[lang])
			}
			got := map[string]bool{}
			file := lang + "/topics/" + key + "/index.html"
			pagesSeen := 0
			for file != "" {
				data, ok := out.files[file]
				if !ok {
					t.Fatalf("%s not written", file)
				}
				pagesSeen++
				if len(data) > 100<<10 {
					t.Errorf("%s: %d bytes", file, len(data))
				}
				p := parsePage(t, file, data)
				other := map[string]string{"zh": "en", "en": "zh-CN"}[lang]
				if h := p.hreflang[other]; pagesSeen == 1 && !strings.HasSuffix(h, "/topics/"+key+"/") {
					t.Errorf("%s: hreflang %s = %q", file, other, h)
				}
				for _, l := range p.links {
					if strings.HasPrefix(l, "/"+lang+"/report-") {
						got[l] = true
					}
				}
				file = ""
				if p.next != "" {
					file = strings.TrimPrefix(p.next, navBase) + "index.html"
				}
			}
			if len(got) != len(want) {
				t.Errorf("%s/%s: %d reports on the topic pages, want %d", lang, key, len(got), len(want))
			}
			for u := range want {
				if !got[u] {
					t.Errorf("%s/%s: %s missing", lang, key, u)
				}
			}
			if wantPages := (len(want) + 4) / 5; pagesSeen != wantPages {
				t.Errorf("%s/%s: %d pages, want %d", lang, key, pagesSeen, wantPages)
			}
			idx := string(out.files[lang+"/topics/index.html"])
			if !strings.Contains(idx, `href="/`+lang+`/topics/`+key+`/"`) || !strings.Contains(idx, map[string]string{"zh": fmt.Sprintf("%d篇", len(want)), "en": fmt.Sprintf("%d reports", len(want))}[lang]) {
				t.Errorf("%s/topics/index.html lacks %s with count %d", lang, key, len(want))
			}
			// A tagged report's pill links the topic page.
			for u := range want {
				page := string(out.files[strings.TrimPrefix(u, "/")+"index.html"])
				if !strings.Contains(page, `<a href="/`+lang+`/topics/`+key+`/">`) {
					t.Errorf("%s: no tag pill linking /%s/topics/%s/", u, lang, key)
				}
				break
			}
		}
	}
	warned := 0
	for _, pr := range res.Problems {
		s := pr.String()
		if strings.Contains(s, "names no topic") {
			warned++
			if !strings.HasPrefix(s, "content/report-") || !strings.Contains(s, ".md:") || !strings.Contains(s, ": warning: tag \"") {
				t.Errorf("warning %q does not name the file, line and tag", s)
			}
		}
	}
	if warned == 0 {
		t.Error("no warning for tags that name no topic")
	}
}

// TestAuthorPages: a byline name declared in [authors.KEY] links to
// /<lang>/authors/KEY/, which lists exactly that person's reports in the
// language with their role; JSON-LD gives the person's url, and a
// photographer is a contributor with their role, not an author.
func TestAuthorPages(t *testing.T) {
	const n = 30
	files := corpus.Generate(n, 1)
	out, _ := buildCorpus(t, n, "\n[authors.li-ming]\nzh = \"李明\"\nen = \"Li Ming\"\nurl = \"https://li.example/\"\n")
	for _, lang := range []string{"zh", "en"} {
		name := map[string]string{"zh": "李明", "en": "Li Ming"}[lang]
		want := 0
		for i := 1; i <= n; i++ {
			src := string(files["content/"+corpus.Slug(i)+"/"+lang+".md"])
			if fm := src[:strings.Index(src[4:], "\n---")]; !strings.Contains(fm, "name: "+name) && !strings.Contains(fm, "name: \""+name+"\"") {
				continue
			}
			want++
			file := lang + "/" + corpus.Slug(i) + "/index.html"
			page := string(out.files[file])
			if !strings.Contains(page, `<a href="/`+lang+`/authors/li-ming/">`+name+`</a>`) {
				t.Errorf("%s: byline does not link %s", file, name)
			}
			if !strings.Contains(page, `"name":"`+name+`","url":"https://li.example/"`) {
				t.Errorf("%s: JSON-LD lacks %s's url", file, name)
			}
		}
		if want == 0 {
			t.Fatalf("%s: no report by %s in the corpus", lang, name)
		}
		file := lang + "/authors/li-ming/index.html"
		p := parsePage(t, file, out.files[file])
		got := 0
		for _, l := range p.links {
			if strings.HasPrefix(l, "/"+lang+"/report-") {
				got++
			}
		}
		if got != min(want, 24) {
			t.Errorf("%s lists %d reports, want %d", file, got, min(want, 24))
		}
		if !contains(p.ldTypes, "CollectionPage") || !strings.Contains(string(out.files[file]), `class="author-role"`) {
			t.Errorf("%s: no CollectionPage or no role", file)
		}
	}
	// Photographers are contributors.
	for name, data := range out.files {
		if s := string(data); strings.HasSuffix(name, ".html") && strings.Contains(s, `"author":[`) {
			i := strings.Index(s, `"author":[`)
			authors := s[i : i+strings.Index(s[i:], "]")]
			for _, role := range []string{`"图"`, `"Photos"`} {
				if strings.Contains(authors, role) {
					t.Errorf("%s: photographer among authors: %s", name, authors)
				}
			}
		}
	}
}

// TestNavNoUnpublished: a draft and an embargoed report, tagged with a
// declared topic and by a declared author, reach no output file: no topic,
// author or front page, no count.
func TestNavNoUnpublished(t *testing.T) {
	files := corpus.Generate(6, 1)
	files["content/site.toml"] = append(files["content/site.toml"], "\n[topics.secret]\nzh = \"机密\"\nen = \"Secret\"\n\n[authors.ghost]\nzh = \"幽灵\"\nen = \"Ghost\"\n"...)
	for slug, fm := range map[string]string{
		"hidden-draft":     "date: 2025-01-01\ndraft: true\n",
		"hidden-embargoed": "date: 2030-01-01\n",
	} {
		for _, lang := range []string{"zh", "en"} {
			files["content/"+slug+"/"+lang+".md"] = []byte("---\ntitle: Marker " + slug + "\n" + fm + "tags: [secret, Secret]\nauthors: [{name: Ghost, role: Text}]\n---\n\nBody.\n")
		}
	}
	out := newMem()
	res, err := NewBuilder(Options{FS: benchMapFS(files), Now: benchNow, NoDerivatives: true}).Build(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	if res.Drafts != 2 || res.Embargo != 2 {
		t.Fatalf("held back %d drafts, %d embargoed; want 2, 2 (problems %v)", res.Drafts, res.Embargo, res.Problems)
	}
	for name, data := range out.files {
		for _, marker := range []string{"hidden-", "Marker", "/topics/secret/", "/authors/ghost/", "机密", "幽灵"} {
			if bytes.Contains(data, []byte(marker)) {
				t.Errorf("%s contains %q", name, marker)
			}
		}
		if strings.Contains(name, "secret") || strings.Contains(name, "ghost") || strings.Contains(name, "hidden") {
			t.Errorf("%s written", name)
		}
	}
	if len(out.files) == 0 {
		t.Fatal("nothing written")
	}
}
