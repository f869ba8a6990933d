package site

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"

	"time"

	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/publish"
	"dateline/cmd/internal/theme"
)

// feedEntries is the number of newest reports in a language's feed.
const feedEntries = 50

// rootLatest is the number of headlines per language on the root page.
const rootLatest = 4

// listing returns the editions in lang, newest first.
func (b *Builder) listing(lang string) []*edition {
	var eds []*edition
	for _, st := range b.reports {
		for _, e := range st.editions {
			if e.src.Lang == lang {
				eds = append(eds, e)
			}
		}
	}
	slices.SortFunc(eds, func(x, y *edition) int {
		return cmp.Or(y.src.Date.Compare(x.src.Date), strings.Compare(x.src.Slug, y.src.Slug))
	})
	return eds
}

func views(eds []*edition) []*theme.Report {
	vs := make([]*theme.Report, len(eds))
	for i, e := range eds {
		vs[i] = e.view
	}
	return vs
}

// writeLists writes every output that lists reports: front pages, the root
// page, feeds, the sitemap, and the pages that depend on nothing but the
// theme (404s, robots.txt, _headers). It skips a list whose bytes are the
// same as the last build's, and returns the list files of the last build
// that are no more. Each language's lists, and the sitemap's parts for the
// report pages, are made side by side.
func (b *Builder) writeLists(w Output) (removed []string, err error) {
	out := &listOutput{b: b, out: w, made: map[string]bool{}}
	defer func() {
		if err == nil {
			removed = out.gone()
		}
	}()
	frontAlts := func() []theme.Alternate {
		var as []theme.Alternate
		for _, l := range b.langs {
			as = append(as, theme.Alternate{Lang: l, URL: b.rel("/" + l.Key + "/"), Href: b.abs("/" + l.Key + "/")})
		}
		return as
	}
	fronts := make([]theme.Front, len(b.langs))
	var reportParts []string
	errs := make([]error, len(b.langs)+1)
	lists := map[string][]*edition{}
	for _, l := range b.langs {
		lists[l.Key] = b.listing(l.Key)
	}
	topics, people := b.groupBy(lists, topicKeys), b.groupBy(lists, personKeys)
	series := inPartOrder(b.groupBy(lists, seriesKeys))
	var wg sync.WaitGroup
	for i, l := range b.langs {
		wg.Go(func() {
			fronts[i], errs[i] = b.writeLanguage(out, l, frontAlts(), lists)
			if errs[i] == nil {
				errs[i] = b.writeTopics(out, l, topics)
			}
			if errs[i] == nil {
				errs[i] = b.writeAuthors(out, l, people)
			}
			if errs[i] == nil {
				errs[i] = b.writeSeries(out, l, series)
			}
		})
	}
	wg.Go(func() { reportParts, errs[len(b.langs)] = b.writeReportSitemaps(out) })
	wg.Wait()
	b.forgetFeedBodies()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	// Root page and root 404, in the default language.
	def := b.cfg.Default().Key
	root := b.page("root", def, b.rel("/"))
	root.Title = root.SiteTitle
	root.Fronts = fronts
	root.Feed = ""
	root.Alternates = frontAlts()
	root.XDefault = b.abs("/")
	if err := b.writeList(out, "index.html", root); err != nil {
		return nil, err
	}
	nf := b.page("404", def, b.rel("/404.html"))
	nf.Title = b.strs[def].Get("not_found_title")
	if err := b.writeList(out, "404.html", nf); err != nil {
		return nil, err
	}

	// The sitemap's part for the root page and the listing pages, in URL
	// order (the chains of writeChain and whatever else called out.addURL),
	// then its index.
	urls := []publish.SitemapURL{{Loc: b.abs("/")}}
	slices.SortFunc(out.urls, func(x, y publish.SitemapURL) int { return strings.Compare(x.Loc, y.Loc) })
	urls = append(urls, out.urls...)
	if key := sitemapKey(urls); !out.unchanged(sitemapLists, key, nil) {
		if err := b.writeSitemap(out, sitemapLists, urls); err != nil {
			return nil, err
		}
		out.remember(sitemapLists, key, nil, nil)
	}
	parts := append([]string{sitemapLists}, reportParts...)
	if key := strings.Join(parts, "\n"); !out.unchanged("sitemap.xml", key, nil) {
		index := &publish.SitemapIndex{}
		for _, p := range parts {
			index.Parts = append(index.Parts, b.abs("/"+p))
		}
		data, err := index.XML()
		if err != nil {
			return nil, err
		}
		if err := b.writeBytes(out, "sitemap.xml", data); err != nil {
			return nil, err
		}
		out.remember("sitemap.xml", key, nil, nil)
	}
	robots := publish.Robots(b.abs("/sitemap.xml"))
	if b.opts.NoIndex {
		robots = []byte("User-agent: *\nDisallow: /\n")
	}
	if err := b.writeBytes(out, "robots.txt", robots); err != nil {
		return nil, err
	}
	stable := []string{b.rel("/"), b.rel("/index.html"), b.rel("/404.html"), b.rel("/sitemap.xml")}
	for _, p := range parts {
		stable = append(stable, b.rel("/"+p))
	}
	stable = append(stable, b.rel("/robots.txt"))
	if b.iconICO != "" {
		stable = append(stable, b.iconICO)
	}
	for _, l := range b.langs {
		stable = append(stable, b.rel("/"+l.Key+"/*"))
	}
	return nil, b.writeBytes(out, "_headers", publish.Headers(stable))
}

// writeLanguage writes the front pages, 404 page and feed of language l,
// and returns the language's entry for the root page.
func (b *Builder) writeLanguage(out *listOutput, l theme.Lang, alternates []theme.Alternate, lists map[string][]*edition) (theme.Front, error) {
	eds := lists[l.Key]
	vs := views(eds)

	// Front pages: /<lang>/, then /<lang>/page/N/.
	size := b.cfg.FrontPageSize
	err := b.writeChain(out, chain{
		kind: "front", lang: l.Key, base: "/" + l.Key + "/", title: b.siteTitle(l.Key), eds: eds, size: size,
		alternates: func(n int) []theme.Alternate {
			if n == 1 {
				return alternates
			}
			var as []theme.Alternate
			for _, o := range b.langs {
				if pages(len(lists[o.Key]), size) >= n {
					p := pagePath("/"+o.Key+"/", n)
					as = append(as, theme.Alternate{Lang: o, URL: b.rel(p), Href: b.abs(p)})
				}
			}
			return as
		},
	})
	if err != nil {
		return theme.Front{}, err
	}

	// 404 in this language.
	nf := b.page("404", l.Key, b.rel("/"+l.Key+"/404.html"))
	nf.Title = b.strs[l.Key].Get("not_found_title")
	if err := b.writeList(out, l.Key+"/404.html", nf); err != nil {
		return theme.Front{}, err
	}

	if err := b.writeSearch(out, l); err != nil {
		return theme.Front{}, err
	}

	if err := b.writeFeed(out, l, eds); err != nil {
		return theme.Front{}, err
	}

	latestN := vs[:min(len(vs), rootLatest)]
	return theme.Front{Lang: l, T: b.strs[l.Key], Title: b.siteTitle(l.Key), URL: b.rel("/" + l.Key + "/"), Latest: latestN}, nil
}

// The sitemap (sitemaps.org) is an index, /sitemap.xml, that names its
// parts: sitemapLists for the root page and every listing page, and
// sitemap-reports-N.xml for the report pages of sitemapReports reports
// each, in folder order, every edition with its alternates. A rebuild
// encodes again only the parts whose entries changed: a report that joins a
// topic changes listing pages, and the 10,000 entries of the report pages
// stay as they were.
const sitemapLists = "sitemap-lists.xml"

// sitemapReports is the number of reports in a part of the sitemap (a
// variable for tests): 1000 reports in two languages make a part of 2000
// entries, of the sitemaps protocol's 50,000 at most.
var sitemapReports = 1000

// writeReportSitemaps writes the sitemap's parts for the report pages and
// returns their names, in order. Safe to run beside the listing pages.
func (b *Builder) writeReportSitemaps(out *listOutput) ([]string, error) {
	sts := make([]*reportState, 0, len(b.reports))
	for _, st := range b.reports {
		if len(st.editions) > 0 {
			sts = append(sts, st)
		}
	}
	slices.SortFunc(sts, func(x, y *reportState) int { return strings.Compare(x.slug, y.slug) })
	var names []string
	var key []byte
	for lo := 0; lo < len(sts); lo += sitemapReports {
		part := sts[lo:min(len(sts), lo+sitemapReports)]
		name := "sitemap-reports-" + strconv.Itoa(len(names)+1) + ".xml"
		names = append(names, name)
		// What the part shows, short of making its entries: each report's
		// folder, and its editions' languages and dates to the second.
		// The URLs follow from these and the site's setup.
		key = key[:0]
		for _, st := range part {
			key = append(key, st.slug...)
			for _, e := range st.editions {
				key = append(key, ' ')
				key = append(key, e.src.Lang...)
				key = append(key, ' ')
				key = strconv.AppendInt(key, modified(e.view).Unix(), 10)
			}
			key = append(key, '\n')
		}
		if out.unchanged(name, string(key), nil) {
			continue
		}
		if err := b.writeSitemap(out, name, b.reportURLs(part)); err != nil {
			return nil, err
		}
		out.remember(name, string(key), nil, nil)
	}
	return names, nil
}

// writeSitemap writes one part of the sitemap.
func (b *Builder) writeSitemap(out *listOutput, name string, urls []publish.SitemapURL) error {
	data, err := (&publish.Sitemap{URLs: urls}).XML()
	if err != nil {
		return err
	}
	return b.writeBytes(out, name, data)
}

// reportURLs returns the sitemap's entries for the pages of reports (each
// with an edition at least), each with its editions.
func (b *Builder) reportURLs(reports []*reportState) []publish.SitemapURL {
	var urls []publish.SitemapURL
	for _, st := range reports {
		var as []publish.Alternate
		for _, e := range st.editions {
			as = append(as, publish.Alternate{Hreflang: e.view.Lang.Tag, Href: b.abs(b.reportURL(e.src.Lang, st.slug))})
		}
		as = append(as, publish.Alternate{Hreflang: "x-default", Href: b.abs(b.reportURL(b.defaultEdition(st).src.Lang, st.slug))})
		for _, e := range st.editions {
			urls = append(urls, publish.SitemapURL{
				Loc: b.abs(b.reportURL(e.src.Lang, st.slug)), LastMod: modified(e.view), Alternates: as,
			})
		}
	}
	return urls
}

func (b *Builder) defaultEdition(st *reportState) *edition {
	for _, e := range st.editions {
		if e.src.Lang == b.cfg.Default().Key {
			return e
		}
	}
	return st.editions[0]
}

func latest(eds []*edition) (t0 time.Time) {
	for _, e := range eds {
		if m := modified(e.view); m.After(t0) {
			t0 = m
		}
	}
	return t0
}

// rendering, when set (by tests), is told of every list file rendered.
var rendering func(name string)

// writeList writes a list page unless it is unchanged since the last build.
func (b *Builder) writeList(out *listOutput, name string, p *theme.Page) error {
	if rendering != nil {
		rendering(name)
	}
	if err := b.writePage(out, name, p, nil); err != nil {
		if pr, ok := err.(problem.Problem); ok {
			out.mu.Lock()
			b.global = append(b.global, pr)
			out.mu.Unlock()
			return nil
		}
		return err
	}
	return nil
}

// writeBytes minifies and writes a generated file unless it is unchanged.
func (b *Builder) writeBytes(out *listOutput, name string, data []byte) error {
	if rendering != nil {
		rendering(name)
	}
	data, err := b.min.File(name, data)
	if err != nil {
		return err
	}
	return out.WriteFile(name, data)
}

// listOutput passes a list file on only when its content changed since the
// last build, and records its hash. The lists are written side by side: mu
// guards the Builder's lists and global.
type listOutput struct {
	b   *Builder
	out Output
	mu  sync.Mutex
	// urls are the sitemap entries of the listing pages written (every
	// page of a chain, the topic index …), in no order.
	urls []publish.SitemapURL
	// made holds every list file this writeLists made, written or found
	// unchanged: a list file of the last build not among them must go.
	made map[string]bool
}

// gone returns the list files of the last build that this one did not
// make (a topic page whose last report left it, a page N past the end),
// and forgets them.
func (l *listOutput) gone() []string {
	var names []string
	for name := range l.b.lists {
		if !l.made[name] {
			names = append(names, name)
			delete(l.b.lists, name)
			delete(l.b.made, name)
		}
	}
	slices.Sort(names)
	return names
}

// addURL adds a listing page to the sitemap. Safe for concurrent use.
func (l *listOutput) addURL(u publish.SitemapURL) {
	l.mu.Lock()
	l.urls = append(l.urls, u)
	l.mu.Unlock()
}

// madeFrom is what a list file of the last build was made from, besides
// the site's setup (a full build starts afresh): a key naming its other
// inputs (chain, page, counts, alternates) and the editions it shows. An
// edition is never changed once built, and a rebuilt report gets new ones,
// so the same key and the same editions (pointers) make the same bytes.
type madeFrom struct {
	key string
	eds []*edition
	url *publish.SitemapURL // a listing page's sitemap entry
}

// sitemapKey is everything the sitemap shows of its entries, for
// listOutput.unchanged.
func sitemapKey(urls []publish.SitemapURL) string {
	var k strings.Builder
	for _, u := range urls {
		k.WriteString(u.Loc)
		k.WriteByte(' ')
		k.WriteString(u.LastMod.Format(time.RFC3339Nano))
		for _, a := range u.Alternates {
			k.WriteString(" " + a.Hreflang + " " + a.Href)
		}
		k.WriteByte('\n')
	}
	return k.String()
}

// unchanged reports whether the list file name would be made again from
// key and eds as the last time; if so it counts it as made and adds its
// sitemap entry. Otherwise the caller makes it and calls remember. Safe for
// concurrent use.
func (l *listOutput) unchanged(name, key string, eds []*edition) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := l.b.made[name]
	if m == nil || m.key != key || !slices.Equal(m.eds, eds) {
		return false
	}
	if _, ok := l.b.lists[name]; !ok {
		return false
	}
	l.made[name] = true
	if m.url != nil {
		l.urls = append(l.urls, *m.url)
	}
	return true
}

// remember records what the list file name was made from.
func (l *listOutput) remember(name, key string, eds []*edition, url *publish.SitemapURL) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.made == nil {
		l.b.made = map[string]*madeFrom{}
	}
	l.b.made[name] = &madeFrom{key: key, eds: slices.Clone(eds), url: url}
}

func (l *listOutput) WriteFile(name string, data []byte) error {
	h := publish.Hash(data)
	l.mu.Lock()
	same := l.b.lists[name] == h
	l.made[name] = true
	l.mu.Unlock()
	if same {
		return nil
	}
	if err := l.out.WriteFile(name, data); err != nil {
		return err
	}
	l.mu.Lock()
	l.b.lists[name] = h
	l.mu.Unlock()
	return nil
}
