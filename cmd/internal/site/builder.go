package site

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"dateline/cmd/internal/cache"
	"dateline/cmd/internal/content"
	"dateline/cmd/internal/markdown"
	"dateline/cmd/internal/photo"
	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/publish"
	"dateline/cmd/internal/style"
	"dateline/cmd/internal/theme"
	"dateline/themes"
)

// A Builder builds one site, and rebuilds it when its files change.
// A Builder is not safe for concurrent use: one build at a time.
//
// What it holds is in two parts: the setup, which every full build makes
// afresh from site.toml and the theme and nothing changes after, and the
// state of the last build, which a Rebuild carries on from.
type Builder struct {
	opts Options
	*setup
	*build

	minifyAll  bool         // tests: the minifier for every page, compactable or not
	compacted  int64        // pages made compact rather than minified (atomic)
	store      *cache.Dir   // Options.Cache, opened by the first build
	photoCache *photo.Cache // kept across builds: it remembers what it made
	shared     *sharedNav   // the last nav index, for its Singles (series.go)
}

// setup is what a full build prepares before it reads any report: read
// only from then on, by every goroutine of the build and by the Rebuilds
// that follow it.
type setup struct {
	cfg      *content.Config
	set      *theme.Set
	themeDir string
	themeFS  fs.FS
	conv     *markdown.Converter
	min      *publish.Minifier
	base     *url.URL // absolute base URL, path ends in "/"
	langs    []theme.Lang
	strs     map[string]*theme.Strings
	css, js  []string          // site-relative URLs of the theme's stylesheets and scripts
	assets   map[string]string // theme static path → output path
	icon     string            // site-relative URLs of the favicons (assets.go)
	iconICO  string
	logo     *ldImage // the theme's logo for JSON-LD (themeLogo); nil for none
}

// build is the state of a build: made by each full build, and carried on
// (and brought up to date) by the Rebuilds after it.
type build struct {
	now      time.Time
	files    *files
	global   []problem.Problem // problems of no one report: site.toml, the theme, lists
	reports  map[string]*reportState
	lists    map[string]string            // list output path → content hash, to skip unchanged lists
	made     map[string]*madeFrom         // list output path → what it was made from (lists.go)
	pageIDs  map[string]map[string]bool   // page URL → the ids it defines, for link checks
	cache    *buildCache                  // with Options.Cache, for a build to a Keeper
	loaded   map[string][]problem.Problem // content.Load's problems by report
	nav      *navIndex                    // series and onward links (series.go)
	feeds    feedBodies                   // the feeds' entry bodies (feed.go)
	encoded  int                          // the photo cache's counts when the build began
	reused   int
	repaired int
}

// reportState is what the Builder keeps of one report between builds.
type reportState struct {
	slug     string
	editions []*edition // the editions in the build, in language order
	drafts   int
	embargo  int
	problems []problem.Problem
	checks   []problem.Problem // link, summary and translation checks
	// The checks of the report's own text (sourceChecks), made once.
	srcChecks  []problem.Problem
	srcChecked bool
	pages      []string // output paths of its pages
	files      []*file  // files its published editions use
}

// edition is one converted edition's listing data.
type edition struct {
	src   *content.Edition
	view  *theme.Report // without Body
	doc   counts
	hero  *file
	ids   []string        // ids the page defines, for link checks
	links []markdown.Link // links the body makes
}

type counts struct{ stops, figures, sidebars int }

// NewBuilder returns a Builder for a site.
func NewBuilder(opts Options) *Builder {
	return &Builder{opts: opts, shared: &sharedNav{}}
}

// Build builds the whole site into out.
func (b *Builder) Build(ctx context.Context, out Output) (*Result, error) {
	start := time.Now()
	now := b.opts.Now
	if now.IsZero() {
		now = start
	}
	b.setup = &setup{}
	b.build = &build{now: now, reports: map[string]*reportState{}, lists: map[string]string{}}
	b.countPhotos()
	w := newCounter(out)
	if err := b.prepare(w); err != nil {
		return b.result(start, w), err
	}
	if errs := problem.Errors(b.global, false); len(errs) > 0 {
		return b.result(start, w), problem.Join(errs)
	}

	b.files.openIndex(b.cacheDir())
	b.openCache(w)
	var reuse content.Reuse
	if b.cache != nil && b.cache.last != nil && statSupported {
		reuse = b.reuseSource
	}
	reports, ps := content.LoadReusing(ctx, b.opts.FS, b.cfg, reuse)
	// Problems met while loading belong to their report, so that a rebuild
	// of that report replaces them.
	loadProblems := map[string][]problem.Problem{}
	for _, p := range ps {
		if slug := reportOf(p.File); slug != "" {
			loadProblems[slug] = append(loadProblems[slug], p)
		} else {
			b.global = append(b.global, p)
		}
	}
	b.indexNav(reports)
	b.loaded = loadProblems
	if err := b.buildReports(ctx, reports, w); err != nil {
		return b.result(start, w), err
	}
	b.startSave()
	defer b.dropSave()
	for slug, ps := range loadProblems {
		if st := b.reports[slug]; st != nil {
			st.problems = append(ps, st.problems...)
		} else {
			b.reports[slug] = &reportState{slug: slug, problems: ps}
		}
	}
	b.indexPages()
	b.checkAll()
	if _, err := b.writeLists(w); err != nil {
		return b.result(start, w), err
	}
	if err := b.writeFiles(ctx, w, nil); err != nil {
		return b.result(start, w), err
	}
	res := b.result(start, w)
	if errs := res.Errors(b.opts.Strict); len(errs) > 0 {
		return res, problem.Join(errs)
	}
	// Only the next build's speed depends on the index and the manifest:
	// when the cache cannot keep them, result has said so.
	b.files.saveIndex()
	if b.cache != nil {
		res.Kept = b.cache.hits
		b.saveCache()
	}
	b.cacheProblem(res) // saving may have failed
	return res, nil
}

// countPhotos notes the photo cache's counts as a build begins.
func (b *Builder) countPhotos() {
	if c := b.photos(); c != nil {
		c.NewBuild()
		b.encoded, b.reused = c.Stats()
		b.repaired = c.Repaired()
	}
}

// prepare reads site.toml and the theme, prepares the shared converters
// and writes the theme's assets: the setup of a full build.
func (b *Builder) prepare(out Output) error {
	fsys := b.opts.FS
	cfg, ps := content.LoadConfig(fsys)
	b.global = append(b.global, ps...)
	if cfg == nil {
		return nil
	}
	if b.opts.BaseURL != "" {
		if err := cfg.SetBaseURL(b.opts.BaseURL); err != nil {
			return fmt.Errorf("--base-url: %v", err)
		}
	} else if cfg.BaseURL == content.DefaultBaseURL && !b.opts.Preview {
		b.global = append(b.global, problem.Warnf(content.ConfigFile, 0,
			"no base_url: canonical links, feeds and the sitemap point at %s (set base_url, or build with --base-url)", content.DefaultBaseURL))
	}
	b.cfg = cfg
	base, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return fmt.Errorf("base_url %q: %v", cfg.BaseURL, err)
	}
	b.base = base

	// The theme: the site's own themes/<name>/, else the embedded default.
	tfs, dir := themes.Default(), "themes/default"
	if name := cfg.Theme; name != "" {
		dir = "themes/" + name
		if sub, err := fs.Sub(fsys, dir); err == nil && isDir(fsys, dir) {
			tfs = sub
		} else if name != "default" {
			b.global = append(b.global, problem.Errorf("content/site.toml", 0, "theme %q not found: no folder %s", name, dir))
			return nil
		}
	}
	b.themeFS = tfs
	set, ps := theme.Load(tfs, dir)
	b.global = append(b.global, ps...)
	if set == nil {
		return nil
	}
	b.set, b.themeDir = set, dir
	keys := make([]string, len(cfg.Languages))
	for i, l := range cfg.Languages {
		keys[i] = l.Key
	}
	b.global = append(b.global, set.Check(keys...)...)

	b.strs = map[string]*theme.Strings{}
	for _, l := range cfg.Languages {
		tl := theme.Lang{Key: l.Key, Tag: l.Tag, Name: l.Name}
		b.langs = append(b.langs, tl)
		b.strs[l.Key] = set.Strings(l.Key)
	}
	b.conv = markdown.New()
	b.min = publish.NewMinifier()
	b.files = newFiles(fsys, b.photos(), b.min)
	return b.writeAssets(out)
}

func isDir(fsys fs.FS, name string) bool {
	fi, err := fs.Stat(fsys, name)
	return err == nil && fi.IsDir()
}

func isFile(fsys fs.FS, name string) bool {
	fi, err := fs.Stat(fsys, name)
	return err == nil && !fi.IsDir()
}

// buildReports converts and writes every report, GOMAXPROCS at a time.
func (b *Builder) buildReports(ctx context.Context, reports []*content.Report, out *counter) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan *content.Report)
	states := make([]*reportState, len(reports))
	index := make(map[*content.Report]int, len(reports))
	for i, r := range reports {
		index[r] = i
	}
	var wg sync.WaitGroup
	for range workers() {
		wg.Go(func() {
			for r := range jobs {
				st, err := b.buildReport(ctx, r, out)
				if err != nil {
					cancel(err)
					continue
				}
				states[index[r]] = st
			}
		})
	}
feed:
	for _, r := range reports {
		select {
		case jobs <- r:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	for _, st := range states {
		b.reports[st.slug] = st
	}
	return nil
}

// buildReport converts one report's published editions and writes their
// pages. Problems go into the state; the error is for output failures.
func (b *Builder) buildReport(ctx context.Context, r *content.Report, out *counter) (st *reportState, err error) {
	st = &reportState{slug: r.Slug}
	defer func() {
		if v := recover(); v != nil {
			st.problems = append(st.problems, problem.Errorf(r.Dir, 0, "internal error while building this report: %v", v))
			err = nil
		}
	}()

	var live []*content.Edition
	for _, e := range r.Editions {
		switch {
		case b.opts.Preview || e.Published(b.now):
			live = append(live, e)
		case e.Draft:
			st.drafts++
		default:
			st.embargo++
		}
	}
	// A language with no file at all is a missing translation.
	for _, l := range b.cfg.Languages {
		if r.Edition(l.Key) == nil && len(r.Editions) > 0 && !isFile(b.opts.FS, r.Dir+"/"+l.Key+".md") {
			st.problems = append(st.problems, b.missingEdition(r.Dir, l))
		}
	}
	if len(live) == 0 {
		return st, nil
	}

	alternates := make([]theme.Alternate, 0, len(live))
	for _, e := range live {
		u := b.reportURL(e.Lang, r.Slug)
		alternates = append(alternates, theme.Alternate{Lang: b.lang(e.Lang), URL: b.rel(u), Href: b.abs(u)})
	}
	// An unchanged report whose pages are still in the published output
	// is carried over as it is (cache.go).
	var key cache.Key
	if b.cache != nil {
		key = b.navKey(b.reportKey(r, live, st), r.Slug)
		if b.keepReport(ctx, r, live, key, st, out) {
			return st, nil
		}
	}
	// Editions Load took from the manifest are read after all.
	if ps := b.reread(live); len(ps) > 0 {
		st.problems = append(st.problems, ps...)
		return st, nil
	}
	var used []*file
	var infos []*docInfo
	for i, e := range live {
		ed, page, body, info, ps := b.convert(ctx, r, e, &used)
		st.problems = append(st.problems, ps...)
		if ed == nil {
			continue
		}
		infos = append(infos, info)
		page.Alternates = slices.Clone(alternates)
		page.Alternates[i].Current = true
		page.XDefault = b.xDefault(alternates)
		page.Head = b.reportHead(page, page.Report) // og:locale:alternate needs the alternates
		name := pageFile(e.Lang, r.Slug)
		err := b.writePage(out, name, page, body.Bytes())
		if err == nil && b.nav.inFeed(r.Slug, e.Lang) {
			b.keepFeedBody(ed, body.Bytes())
		}
		putBuffer(body)
		if err != nil {
			var p problem.Problem
			if errors.As(err, &p) {
				st.problems = append(st.problems, p)
				continue
			}
			return st, err
		}
		st.pages = append(st.pages, name)
		st.editions = append(st.editions, ed)
	}
	st.files = used
	st.problems = append(st.problems, parity(r, st.editions)...)
	b.sourceChecks(st)
	// Only listing data stays in memory between the report pages and the
	// lists: the checks of the text are made.
	for _, e := range live {
		e.Source = nil
	}
	if b.cache != nil && len(st.pages) == len(live) {
		b.remember(r, key, infos, st, out)
	}
	return st, nil
}

// convert parses one edition and assembles its page.
//
// The rendered body comes back on its own, in a buffer from getBuffer, for
// writePage to put into the page (page.Report.Body is left empty), and
// with it the docInfo the build cache keeps.
func (b *Builder) convert(ctx context.Context, r *content.Report, e *content.Edition, used *[]*file) (*edition, *theme.Page, *bytes.Buffer, *docInfo, []problem.Problem) {
	strs := b.strs[e.Lang]
	view, hero, ps := b.reportView(ctx, r, e, used)
	info := &docInfo{Hero: heroSig(hero)}
	resolve := func(dest string, image bool) (markdown.Asset, error) {
		p, err := reportPath(r.Dir, dest)
		if err != nil {
			return markdown.Asset{}, errors.New(errText(dest, err))
		}
		f := b.files.get(ctx, p)
		err = usable(f, dest, image)
		info.Deps = append(info.Deps, dep{Src: p, Sig: f.signature(), Used: err == nil})
		if err == errRefused {
			return markdown.Asset{}, nil // content reported the link; the build fails
		}
		if err != nil {
			return markdown.Asset{}, err
		}
		*used = append(*used, f)
		a := markdown.Asset{URL: b.rel("/" + f.out), Width: f.width, Height: f.height}
		if image {
			a.Srcset, a.Sources = f.srcset(b.rel), f.markdownSources(b.rel)
			if a.Srcset != "" || len(a.Sources) > 0 {
				a.Sizes = photo.FigureSizes
			}
		}
		return a, nil
	}
	doc := b.conv.Parse(e.Body, markdown.Env{
		File:       e.File,
		BodyLine:   e.BodyLine,
		Lang:       e.Lang,
		Resolve:    resolve,
		StopLabel:  strs.StopLabel,
		Credit:     e.Credit,
		CreditForm: b.creditForm(e.Lang),
		LazyAll:    e.Hero != nil,
		// The hosts site.toml [embeds] allow for ::: embed, and the
		// theme's label of its load button.
		EmbedHosts: b.cfg.EmbedHosts,
		EmbedLoad: func(host string) string {
			if v := strs.Get("embed_load"); v != "embed_load" {
				return strings.ReplaceAll(v, "{host}", host)
			}
			return ""
		},
	})
	ps = append(ps, doc.Problems...)
	if problem.Errors(ps, false) != nil {
		return nil, nil, nil, nil, ps
	}
	body := getBuffer()
	if err := doc.Render(body); err != nil {
		putBuffer(body)
		return nil, nil, nil, nil, append(ps, problem.Errorf(e.File, 0, "rendering Markdown: %v", err))
	}
	for _, s := range doc.Stops {
		info.Stops = append(info.Stops, theme.Stop{N: s.N, ID: s.ID, Label: s.Label, Title: s.Title})
	}
	info.Han, info.Words = doc.Han, doc.Words
	if e.Summary == "" {
		info.Lede = doc.Summary // the summary is cut from it
	}
	info.Figures, info.Sidebars = len(doc.Figures), len(doc.Sidebars)
	info.IDs, info.Links, info.Problems = doc.IDs, b.internalLinks(doc.Links), doc.Problems
	// The source is not needed again (a rebuild re-reads the file): only
	// listing data stays in memory between the report pages and the lists.
	e.Body = nil
	ed := b.edition(e, view, hero, info)
	return ed, b.reportPage(ed), body, info, ps
}

// reportView returns the view of an edition made from its front matter
// alone, with the hero photo resolved (and added to used).
func (b *Builder) reportView(ctx context.Context, r *content.Report, e *content.Edition, used *[]*file) (*theme.Report, *file, []problem.Problem) {
	strs := b.strs[e.Lang]
	var ps []problem.Problem
	var heroFile *file
	view := &theme.Report{
		Slug:      r.Slug,
		Lang:      b.lang(e.Lang),
		URL:       b.rel(b.reportURL(e.Lang, r.Slug)),
		Title:     e.Title,
		Subtitle:  e.Subtitle,
		Dateline:  e.Dateline,
		Date:      e.Date,
		DateText:  strs.Date(e.Date),
		Updated:   e.Updated,
		Tags:      e.Tags,
		Draft:     e.Draft,
		Embargoed: e.Embargoed(b.now),
	}
	if !e.Updated.IsZero() {
		view.UpdatedText = strs.Date(e.Updated)
	}
	for _, a := range e.Authors {
		view.Authors = append(view.Authors, b.byline(e.Lang, a.Name, a.Role))
	}
	view.CreditsLine = strs.CreditsLine(view.Authors)
	nav := b.navFor(e.Lang, r.Slug)
	view.Series, view.Onward = nav.Series, nav.Onward
	ps = append(ps, b.resolveTags(e, view)...)
	if h := e.Hero; h != nil {
		f, err := b.use(ctx, r.Dir, h.Src, true)
		heroFile = f
		switch {
		case err == errRefused:
		case err != nil:
			ps = append(ps, problem.Errorf(e.File, e.Lines["hero"], "hero %v", err))
		default:
			*used = append(*used, f)
			view.Hero = &theme.Image{
				URL: b.rel("/" + f.out), Abs: b.abs("/" + f.out),
				Width: f.width, Height: f.height,
				Srcset: f.srcset(b.rel), Sizes: photo.HeroSizes, Sources: f.themeSources(b.rel),
				Alt: h.Alt, Caption: h.Caption, Credit: template.HTML(template.HTMLEscapeString(style.Credit(cmp.Or(h.Credit, e.Credit), b.creditForm(e.Lang)))),
			}
			if c := b.files.cards(ctx, f); c != nil {
				*used = append(*used, c)
				view.Hero.Cards = c.cardImages(b.rel, b.abs)
			}
			if h.Alt == "" {
				ps = append(ps, problem.Warnf(e.File, e.Lines["hero"], "hero %s has no alt text", h.Src))
			}
		}
	}
	for _, c := range e.Corrections {
		view.Corrections = append(view.Corrections, theme.Correction{
			Date: c.Date, DateText: strs.Date(c.Date), Text: c.Text,
		})
	}
	return view, heroFile, ps
}

// edition completes an edition's view with what its body gave.
func (b *Builder) edition(e *content.Edition, view *theme.Report, hero *file, info *docInfo) *edition {
	view.Stops = info.Stops
	view.Summary = e.Summary
	if view.Summary == "" {
		view.Summary = cutSummary(info.Lede, e.Lang)
	}
	view.ReadingMinutes = readingMinutes(info.Han, info.Words)
	view.ReadingTime = b.strs[e.Lang].ReadingTime(view.ReadingMinutes)
	return &edition{src: e, view: view, doc: counts{len(info.Stops), info.Figures, info.Sidebars}, hero: hero, ids: info.IDs, links: info.Links}
}

// reportPage returns the page of an edition, without its body.
func (b *Builder) reportPage(ed *edition) *theme.Page {
	e, view := ed.src, ed.view
	page := b.page("report", e.Lang, view.URL)
	page.Title = e.Title
	page.Description = view.Summary
	full := *view
	page.Report = &full
	if b.opts.Preview {
		page.Preview = &theme.Preview{Banner: b.banner(e, b.strs[e.Lang])}
	}
	return page
}

// use resolves a destination written in a report to a published file.
func (b *Builder) use(ctx context.Context, dir, dest string, image bool) (*file, error) {
	p, err := reportPath(dir, dest)
	if err != nil {
		return nil, errors.New(errText(dest, err))
	}
	f := b.files.get(ctx, p)
	if err := usable(f, dest, image); err != nil {
		return nil, err
	}
	return f, nil
}

// usable tells why the file f, written dest in a report, cannot be used
// there (as a photo with image set), or nil.
func usable(f *file, dest string, image bool) error {
	switch {
	case f.err == errRefused:
		return errRefused
	case f.err == errNotFound && image:
		return fmt.Errorf("photo %s not found", dest)
	case f.err == errNotFound:
		return fmt.Errorf("file %s not found", dest)
	case f.err != nil && image:
		return fmt.Errorf("photo %s cannot be read: %v", dest, f.err)
	case f.err != nil:
		return fmt.Errorf("file %s cannot be read: %v", dest, f.err)
	case image && f.imgErr != nil:
		return fmt.Errorf("photo %s %v", dest, f.imgErr)
	}
	return nil
}

func errText(dest string, err error) string {
	return fmt.Sprintf("photo %s %v", dest, err)
}

// banner is the preview's note on a report that is not published.
func (b *Builder) banner(e *content.Edition, strs *theme.Strings) string {
	switch {
	case e.Draft:
		return strs.Get("draft_banner")
	case e.Embargoed(b.now):
		return strs.Get("embargo_banner") + " " + strs.DateTime(e.Date.In(b.cfg.Location))
	}
	return ""
}

// parity warns when a report's editions differ in structure.
func parity(r *content.Report, eds []*edition) []problem.Problem {
	if len(eds) < 2 {
		return nil
	}
	var ps []problem.Problem
	check := func(what string, n func(counts) int) {
		first := eds[0]
		for _, e := range eds[1:] {
			if n(e.doc) != n(first.doc) {
				noun := what
				if n(e.doc) == 1 {
					noun = strings.TrimSuffix(what, "s")
				}
				ps = append(ps, problem.Warnf(e.src.File, 0, "%s has %d %s, %s has %d",
					e.src.Lang, n(e.doc), noun, first.src.Lang, n(first.doc)))
			}
		}
	}
	check("stops", func(c counts) int { return c.stops })
	check("figures", func(c counts) int { return c.figures })
	check("sidebars", func(c counts) int { return c.sidebars })
	return ps
}

// everyLanguage returns the alternates of a page that every language has,
// at path(key) (a site path), current being the page's own language.
func (b *Builder) everyLanguage(current string, path func(key string) string) []theme.Alternate {
	as := make([]theme.Alternate, 0, len(b.langs))
	for _, o := range b.langs {
		p := path(o.Key)
		as = append(as, theme.Alternate{Lang: o, URL: b.rel(p), Href: b.abs(p), Current: o.Key == current})
	}
	return as
}

// page returns a Page with the fields every page shares.
func (b *Builder) page(kind, lang, rel string) *theme.Page {
	p := &theme.Page{
		Kind:      kind,
		Lang:      b.lang(lang),
		Languages: b.langs,
		T:         b.strs[lang],
		URL:       rel,
		BaseURL:   b.base.String(),
		CSS:       b.css,
		JS:        b.js,
		Icon:      b.icon,
		IconICO:   b.iconICO,
		Home:      b.rel("/" + lang + "/"),
		Feed:      b.abs("/" + lang + "/feed.xml"),
		Now:       b.now,
		NoIndex:   b.opts.NoIndex,
		Search:    b.searchURL(lang),
		TopicsURL: b.topicsURL(lang),
	}
	if l, ok := b.cfg.Language(lang); ok {
		p.SiteTitle = l.Title
		p.Description = l.Description
	}
	p.Canonical = b.abs(strings.TrimPrefix(rel, b.base.Path[:len(b.base.Path)-1]))
	return p
}

func (b *Builder) lang(key string) theme.Lang {
	for _, l := range b.langs {
		if l.Key == key {
			return l
		}
	}
	return theme.Lang{Key: key, Tag: key}
}

func (b *Builder) reportURL(lang, slug string) string { return "/" + lang + "/" + slug + "/" }

// pageFile is the output file of a report edition's page. It never carries
// the base URL's path: the output folder is what is served at the base URL.
func pageFile(lang, slug string) string { return lang + "/" + slug + "/index.html" }

// rel turns a site path ("/zh/x/") into the URL written in pages, under the
// base URL's path ("/news/zh/x/" for https://example.org/news/).
func (b *Builder) rel(p string) string { return b.base.Path + strings.TrimPrefix(p, "/") }

// abs turns a site path into an absolute URL.
func (b *Builder) abs(p string) string {
	u := *b.base
	u.Path = b.rel(p)
	return u.String()
}

func (b *Builder) xDefault(alts []theme.Alternate) string {
	def := b.cfg.Default().Key
	for _, a := range alts {
		if a.Lang.Key == def {
			return a.Href
		}
	}
	return alts[0].Href
}

// writePage renders, minifies and writes one page. A report page's body
// (the rendered Markdown) goes into its layout like any other field, so the
// whole page passes through the minifier. A template error comes back as a
// problem naming the template.
func (b *Builder) writePage(out Output, name string, p *theme.Page, body []byte) error {
	if p.Report != nil && len(body) > 0 {
		// The body is only read, by the layout, while this call runs, and
		// the caller keeps body unchanged until it returns: the string
		// shares its memory instead of copying it (12 KB a report page).
		p.Report.Body = template.HTML(unsafe.String(&body[0], len(body)))
		defer func() { p.Report.Body = "" }()
	}
	buf := getBuffer()
	defer putBuffer(buf)
	// The page is minified into pooled memory when out is done with it
	// once written (a publish.Dir writes it to disk), else into memory of
	// its own (the preview keeps its pages).
	var page *scratch
	if releases(out) {
		page = getScratch()
		defer putScratch(page)
	}
	data, err := b.renderPage(buf, page.bytes(), name, p)
	if err != nil {
		return err
	}
	page.keep(data)
	return out.WriteFile(name, data)
}

// releases reports whether out is done with the bytes given to WriteFile
// when it returns, so that they may be reused for the next page.
func releases(out Output) bool {
	r, ok := out.(Releaser)
	return ok && r.ReleasesData()
}

// A scratch is a byte slice a build reuses from page to page. A nil
// *scratch stands for fresh memory each time.
type scratch struct{ b []byte }

var scratches = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch { return scratches.Get().(*scratch) }

func putScratch(s *scratch) {
	if cap(s.b) <= 4<<20 {
		scratches.Put(s)
	}
}

// bytes returns the scratch memory, empty; nil for a nil scratch.
func (s *scratch) bytes() []byte {
	if s == nil {
		return nil
	}
	return s.b[:0]
}

// keep takes b, grown from bytes(), as the scratch memory for next time.
func (s *scratch) keep(b []byte) {
	if s != nil && cap(b) > cap(s.b) {
		s.b = b[:0]
	}
}

// renderPage executes p's layout into buf and returns the page minified,
// appended to dst.
func (b *Builder) renderPage(buf *bytes.Buffer, dst []byte, name string, p *theme.Page) ([]byte, error) {
	buf.Reset()
	if err := b.set.Execute(buf, p); err != nil {
		var pr problem.Problem
		if errors.As(err, &pr) {
			return nil, pr
		}
		return nil, problem.Errorf(b.themeDir+"/layouts/"+p.Kind+".html", 0, "%v", err)
	}
	if dst == nil {
		dst = make([]byte, 0, buf.Len())
	}
	// buf is this page's alone: the minifier may use it up in place.
	data, err := b.min.Append(dst, publish.MediaType(name), buf.Bytes())
	if err != nil {
		return nil, problem.Errorf(b.themeDir+"/layouts/"+p.Kind+".html", 0, "rendered page %s: %v", name, err)
	}
	return data, nil
}

// Buffers for rendering, reused across pages: a build renders thousands.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { b := buffers.Get().(*bytes.Buffer); b.Reset(); return b }

func putBuffer(b *bytes.Buffer) {
	if b != nil && b.Cap() <= 1<<20 {
		buffers.Put(b)
	}
}

// writeFiles writes every file the published editions use, once each.
// only, when not nil, limits it to the reports named.
func (b *Builder) writeFiles(ctx context.Context, out *counter, only map[string]bool) error {
	seen := map[string]bool{}
	var todo []*file
	for slug, st := range b.reports {
		if only != nil && !only[slug] {
			continue
		}
		for _, f := range st.files {
			if !seen[f.out] {
				seen[f.out] = true
				todo = append(todo, f)
			}
		}
	}
	slices.SortFunc(todo, func(a, b *file) int { return strings.Compare(a.out, b.out) })
	for _, f := range todo {
		if b.keepFile(f, out) {
			continue
		}
		if err := f.write(ctx, b.opts.FS, b.files.photos, out); err != nil {
			return err
		}
		b.rememberFile(f, out)
	}
	return nil
}

// cacheDir returns the build cache's folder (Options.Cache), opened by the
// Builder's first build and kept: a folder that cannot be used is reported
// by every build, and used by none, until the Builder is made anew.
func (b *Builder) cacheDir() *cache.Dir {
	if b.store == nil {
		b.store = cache.Open(b.opts.Cache)
	}
	return b.store
}

// photos returns the photo cache of the build: derivatives are kept in
// the cache folder between builds, or made afresh without one.
func (b *Builder) photos() *photo.Cache {
	if b.opts.NoDerivatives {
		return nil
	}
	if b.photoCache == nil {
		b.photoCache = &photo.Cache{Store: b.cacheDir()}
	}
	return b.photoCache
}

// cacheProblem adds to res the one warning about a cache folder that
// could not be used, naming it: the build went on without it.
func (b *Builder) cacheProblem(res *Result) {
	if err := b.cacheDir().Err(); err != nil {
		p := problem.Warnf(b.store.Path(), 0, "cache not used: %v; the site was built without it", err)
		if !slices.Contains(res.Problems, p) {
			res.Problems = append(res.Problems, p)
			problem.Sort(res.Problems)
		}
	}
}

// result gathers the problems and counts of a build.
func (b *Builder) result(start time.Time, w *counter) *Result {
	res := &Result{Elapsed: time.Since(start), Theme: b.set}
	if b.photoCache != nil {
		enc, reuse := b.photoCache.Stats()
		res.PhotosEncoded, res.PhotosReused = enc-b.encoded, reuse-b.reused
		res.CacheRepaired = b.photoCache.Repaired() - b.repaired
	}
	// Each report's problems sorted, the reports in order of their
	// folders: the whole is nearly sorted, which the sort (pdqsort) then
	// finishes in about one pass. A preview's rebuild gathers every
	// report's problems again (50,000 warnings on 10,000 pages).
	n := len(b.global)
	dirs := make([]string, 0, len(b.reports))
	for slug, st := range b.reports {
		n += len(st.problems) + len(st.checks)
		dirs = append(dirs, slug)
		res.Drafts += st.drafts
		res.Embargo += st.embargo
	}
	slices.Sort(dirs)
	all := make([]problem.Problem, 0, n)
	all = append(all, b.global...)
	for _, slug := range dirs {
		st := b.reports[slug]
		i := len(all)
		all = append(all, st.problems...)
		all = append(all, st.checks...)
		problem.Sort(all[i:])
	}
	problem.Sort(all)
	res.Problems = slices.Compact(all)
	b.cacheProblem(res)
	res.Pages, res.Files, res.Bytes = w.counts()
	return res
}

// counter is an Output that counts what passes through it, and passes
// on what its Output can do besides writing (Keeper, Releaser).
type counter struct {
	out    Output
	keeper Keeper // out, when it can carry files over; else nil
	mu     sync.Mutex
	pages  int
	files  int
	bytes  int64
	names  []string // with record: every name written (for Rebuild's Result.Written)
	record bool
}

func newCounter(out Output) *counter {
	k, _ := out.(Keeper)
	return &counter{out: out, keeper: k}
}

func (c *counter) WriteFile(name string, data []byte) error {
	if err := c.out.WriteFile(name, data); err != nil {
		return err
	}
	c.mu.Lock()
	c.tally(name)
	c.bytes += int64(len(data))
	c.mu.Unlock()
	return nil
}

// ReleasesData tells whether the Output is done with data once WriteFile
// returns (Releaser).
func (c *counter) ReleasesData() bool {
	r, ok := c.out.(Releaser)
	return ok && r.ReleasesData()
}

// tally counts one file written or carried over; c.mu is held.
func (c *counter) tally(name string) {
	c.files++
	if path.Ext(name) == ".html" {
		c.pages++
	}
	if c.record {
		c.names = append(c.names, name)
	}
}

// stamp returns the stamp of a file written, when the output keeps them.
func (c *counter) stamp(name string) (publish.Stamp, bool) {
	if c.keeper == nil {
		return publish.Stamp{}, false
	}
	return c.keeper.Stamp(name)
}

// keep carries a file of the published output over; count counts it.
func (c *counter) keep(name string, st publish.Stamp) bool {
	return c.keeper != nil && c.keeper.Keep(name, st)
}

// count counts files carried over, of n bytes in all.
func (c *counter) count(names []string, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, name := range names {
		c.tally(name)
	}
	c.bytes += n
}

func (c *counter) counts() (pages, files int, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pages, c.files, c.bytes
}

// workers is how many reports convert at once: more than the cores, so that
// while some goroutines wait for the file system (creating folders, writing
// pages) others keep the cores busy.
func workers() int { return 4 * runtime.GOMAXPROCS(0) }

// internalLinks keeps the links that checks() looks at: to pages of this
// site by path, to anchors, and absolute URLs unless they lead to another
// host (checkLink passes those by; the base URL is in the cache's key).
func (b *Builder) internalLinks(links []markdown.Link) []markdown.Link {
	var out []markdown.Link
	for _, l := range links {
		switch {
		case strings.HasPrefix(l.Dest, "/") && !strings.HasPrefix(l.Dest, "//"), strings.HasPrefix(l.Dest, "#"):
		case strings.Contains(l.Dest, "://"):
			u, err := url.Parse(l.Dest)
			if err == nil && (u.Scheme != "" || u.Host != "") && !strings.EqualFold(u.Host, b.base.Host) {
				continue
			}
		default:
			continue
		}
		out = append(out, l)
	}
	return out
}

// reportOf returns the report folder a problem's file belongs to
// ("content/<slug>/…" or "content/<slug>"), or "".
func reportOf(file string) string {
	rest, ok := strings.CutPrefix(file, "content/")
	if !ok {
		return ""
	}
	slug, _, nested := strings.Cut(rest, "/")
	if !nested && path.Ext(slug) != "" {
		return "" // a file directly in content/, such as site.toml
	}
	return slug
}
