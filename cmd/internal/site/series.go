package site

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"dateline/cmd/internal/cache"
	"dateline/cmd/internal/content"
	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/theme"
)

// Series and onward links (SPEC §10) tie a report page to other reports:
// "Part 2 of 4" with the previous and next part, and up to three reports
// to read next. What a page shows of the others comes from their front
// matter alone (title, date, series, part, tags), so it is known before any
// Markdown is converted: the build indexes every edition it publishes
// (navIndex), and each report page reads its own navContext from it.
//
// A rebuild re-reads the changed reports' front matter, indexes again, and
// rebuilds besides them exactly the reports whose navContext changed (the
// other parts of a series whose part moved, the reports whose onward
// links named a retitled report). The build cache's key of a report
// includes its navContext (navKey), so a kept page is never stale either.
// A Single (priority.go) takes the index of its Builder's last build: a
// page it builds before the first build has indexed the site has no series
// line and no onward links, and the preview reloads it once the build is
// served.

// onwardLinks is the most onward links a report page shows.
const onwardLinks = 3

// navEntry is what the index knows of one published edition.
type navEntry struct {
	slug, lang, file string
	title            string
	date             time.Time
	series           string
	part, partLine   int
	topics           []string // keys of the topics its tags name, in tag order
	// link is the edition's link on other pages, made with the entry (it
	// follows from the fields above): computeNav gives 30,000 links on
	// 10,000 pages, and sameNavContexts compares them, on every listing
	// edit.
	link theme.Link
}

// navContext is what an edition's page shows of other reports.
type navContext struct {
	Series *theme.Series `json:"series,omitempty"`
	Onward []theme.Link  `json:"onward,omitempty"`
}

// navIndex indexes the editions a build publishes (in the preview, every
// edition it shows) for series and onward links.
type navIndex struct {
	entries  map[string][]navEntry            // by slug
	ctx      map[string]map[string]navContext // slug → language → context
	problems []problem.Problem                // duplicate parts, gaps
	// feed holds "slug/lang" of the editions the feeds will show (the
	// newest feedEntries of each language), whose bodies the report
	// build keeps for them (feed.go).
	feed map[string]bool
}

// inFeed reports whether the edition lang of report slug is among the
// newest of its language, which the feed shows.
func (n *navIndex) inFeed(slug, lang string) bool {
	return n != nil && n.feed[slug+"/"+lang]
}

// navEntries returns the index entries of a report's editions that the
// build shows: what buildReport calls live.
func (b *Builder) navEntries(r *content.Report) []navEntry {
	var out []navEntry
	for _, e := range r.Editions {
		if !b.opts.Preview && !e.Published(b.now) {
			continue
		}
		n := navEntry{slug: r.Slug, lang: e.Lang, file: e.File, title: e.Title, date: e.Date,
			series: e.SeriesKey, part: e.Part, partLine: e.Lines["part"]}
		for _, tag := range e.Tags {
			if key, ok := b.cfg.ResolveTag(tag); ok && !slices.Contains(n.topics, key) {
				n.topics = append(n.topics, key)
			}
		}
		n.link = theme.Link{Title: n.title, URL: b.rel(b.reportURL(n.lang, n.slug)), Date: n.date, DateText: b.strs[n.lang].Date(n.date)}
		out = append(out, n)
	}
	return out
}

// indexNav indexes the reports of a full build, before they are converted.
func (b *Builder) indexNav(reports []*content.Report) {
	n := &navIndex{entries: map[string][]navEntry{}}
	for _, r := range reports {
		n.entries[r.Slug] = b.navEntries(r)
	}
	b.computeNav(n)
	b.global = append(b.global, n.problems...)
	b.nav = n
	b.shared.store(n)
}

// A loaded report is content.LoadReport's answer for one folder.
type loaded struct {
	r  *content.Report
	ps []problem.Problem
}

// renav brings the index up to date for a rebuild of the reports slugs,
// and returns them with every other report whose pages show something
// else now, sorted, and the changed reports as it loaded them (for the
// rebuild to build what was indexed, reading each file once).
func (b *Builder) renav(ctx context.Context, slugs []string) ([]string, map[string]loaded) {
	reports := make(map[string]loaded, len(slugs))
	for _, slug := range slugs {
		r, ps := content.LoadReport(ctx, b.opts.FS, b.cfg, slug)
		reports[slug] = loaded{r, ps}
	}
	old := b.nav
	if old == nil {
		return slugs, reports
	}
	entries := make(map[string][]navEntry, len(slugs))
	same := true
	for _, slug := range slugs {
		var es []navEntry
		if r := reports[slug].r; r != nil {
			es = b.navEntries(r)
		}
		entries[slug] = es
		was, ok := old.entries[slug]
		same = same && ok == (es != nil) && slices.EqualFunc(was, es, sameNavEntry)
	}
	if same {
		// A body edit: nothing any page shows of the changed reports moved,
		// so the index, its problems and every other page stay as they are.
		return slugs, reports
	}
	n := &navIndex{entries: maps.Clone(old.entries)}
	for slug, es := range entries {
		if es == nil {
			delete(n.entries, slug)
		} else {
			n.entries[slug] = es
		}
	}
	b.computeNav(n)
	b.global = slices.DeleteFunc(b.global, func(p problem.Problem) bool { return slices.Contains(old.problems, p) })
	b.global = append(b.global, n.problems...)
	b.nav = n
	b.shared.store(n)
	out := slices.Clone(slugs)
	for slug := range n.ctx {
		if !slices.Contains(out, slug) && !sameNavContexts(old.ctx[slug], n.ctx[slug]) {
			out = append(out, slug)
		}
	}
	slices.Sort(out)
	return out, reports
}

// sameNavEntry reports whether two entries index an edition alike.
func sameNavEntry(x, y navEntry) bool {
	return x.slug == y.slug && x.lang == y.lang && x.file == y.file && x.title == y.title &&
		x.date.Equal(y.date) && sameZone(x.date, y.date) && x.series == y.series && x.part == y.part && x.partLine == y.partLine &&
		slices.Equal(x.topics, y.topics)
}

// sameNavContexts reports whether a report's pages show the same series
// lines and onward links (a hand-written reflect.DeepEqual: renav compares
// every report's, 10,000 on a large site, on each listing edit).
func sameNavContexts(x, y map[string]navContext) bool {
	if len(x) != len(y) {
		return false
	}
	for lang, cx := range x {
		cy, ok := y[lang]
		if !ok || !slices.EqualFunc(cx.Onward, cy.Onward, sameLink) || (cx.Series == nil) != (cy.Series == nil) {
			return false
		}
		if sx, sy := cx.Series, cy.Series; sx != nil {
			if sx.Key != sy.Key || sx.Title != sy.Title || sx.Summary != sy.Summary || sx.URL != sy.URL ||
				sx.Count != sy.Count || sx.Part != sy.Part || sx.Label != sy.Label || sx.PartLabel != sy.PartLabel ||
				!sameLinkPtr(sx.Prev, sy.Prev) || !sameLinkPtr(sx.Next, sy.Next) {
				return false
			}
		}
	}
	return true
}

func sameLink(x, y theme.Link) bool {
	return x.Title == y.Title && x.URL == y.URL && x.Date.Equal(y.Date) && sameZone(x.Date, y.Date) &&
		x.DateText == y.DateText && x.Label == y.Label
}

func sameLinkPtr(x, y *theme.Link) bool {
	return x == y || x != nil && y != nil && sameLink(*x, *y)
}

// sameZone reports whether two times show the same clock (a page shows a
// date in the zone it was written in).
func sameZone(x, y time.Time) bool {
	xn, xo := x.Zone()
	yn, yo := y.Zone()
	return xn == yn && xo == yo
}

// sharedNav hands a Builder's last nav index to its Singles, which build
// report pages while the Builder builds.
type sharedNav struct {
	mu  sync.Mutex
	nav *navIndex // never changed once stored
}

func (s *sharedNav) store(n *navIndex) {
	if s != nil {
		s.mu.Lock()
		s.nav = n
		s.mu.Unlock()
	}
}

// load returns the last index stored, nil for none.
func (s *sharedNav) load() *navIndex {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nav
}

// navFor returns what the page of slug in lang shows of other reports.
func (b *Builder) navFor(lang, slug string) navContext {
	if b.nav == nil {
		return navContext{}
	}
	return b.nav.ctx[slug][lang]
}

// navKey folds a report's navContexts into its build cache key: a page
// whose series or onward links changed is built again. A zero key stays
// zero (the report is not cached).
func (b *Builder) navKey(key cache.Key, slug string) cache.Key {
	if key == (cache.Key{}) || b.nav == nil {
		return key
	}
	h := cache.NewHasher("dateline report nav")
	h.Bytes(key[:])
	data, _ := json.Marshal(b.nav.ctx[slug]) // a map: keys sorted
	h.Bytes(data)
	return h.Key()
}

// newestFirst orders entries as front pages do.
func newestFirst(x, y *navEntry) int {
	return cmp.Or(y.date.Compare(x.date), strings.Compare(x.slug, y.slug))
}

// computeNav fills n.ctx and n.problems from n.entries.
func (b *Builder) computeNav(n *navIndex) {
	n.ctx = make(map[string]map[string]navContext, len(n.entries))
	n.problems = nil
	byLang := map[string][]*navEntry{}
	parts := map[[2]string][]*navEntry{} // language, series key → parts
	for _, es := range n.entries {
		for i := range es {
			e := &es[i]
			byLang[e.lang] = append(byLang[e.lang], e)
			if e.series != "" {
				k := [2]string{e.lang, e.series}
				parts[k] = append(parts[k], e)
			}
		}
	}
	byTopic := map[[2]string][]*navEntry{} // language, topic key → newest first
	n.feed = map[string]bool{}
	for _, es := range byLang {
		slices.SortFunc(es, newestFirst)
		for _, e := range es[:min(len(es), feedEntries)] {
			n.feed[e.slug+"/"+e.lang] = true
		}
		for _, e := range es {
			for _, t := range e.topics {
				k := [2]string{e.lang, t}
				byTopic[k] = append(byTopic[k], e)
			}
		}
	}
	partOf := map[*navEntry]int{} // an entry's index in its series' parts
	for k, ps := range parts {
		slices.SortFunc(ps, func(x, y *navEntry) int { return cmp.Or(x.part-y.part, strings.Compare(x.slug, y.slug)) })
		for i, p := range ps {
			partOf[p] = i
		}
		n.problems = append(n.problems, seriesProblems(k[1], ps)...)
	}
	problem.Sort(n.problems)

	for _, es := range byLang {
		for _, e := range es {
			var c navContext
			var next *navEntry
			if e.series != "" {
				ps := parts[[2]string{e.lang, e.series}]
				i := partOf[e]
				sv := b.seriesView(e.lang, e.series, ps[len(ps)-1].part)
				sv.Part, sv.Label, sv.PartLabel = e.part, b.partLabel(e.lang, e.part, sv.Count), b.partShort(e.lang, e.part)
				if i > 0 {
					l := ps[i-1].link
					l.Label = b.partLabel(e.lang, ps[i-1].part, sv.Count)
					sv.Prev = &l
				}
				if i < len(ps)-1 {
					l := ps[i+1].link
					l.Label = b.partLabel(e.lang, ps[i+1].part, sv.Count)
					sv.Next = &l
					next = ps[i+1]
				}
				c.Series = sv
			}
			var onTopic []*navEntry
			if len(e.topics) > 0 {
				onTopic = byTopic[[2]string{e.lang, e.topics[0]}]
			}
			c.Onward = b.onward(e, next, onTopic, byLang[e.lang])
			if n.ctx[e.slug] == nil {
				n.ctx[e.slug] = map[string]navContext{}
			}
			n.ctx[e.slug][e.lang] = c
		}
	}
}

// onward picks the links at the end of e's page: the next part of its
// series, then reports on its first topic, then the newest; never e
// itself, each report once. onTopic and newest are in e's language, newest
// first: those on its first topic, and all.
func (b *Builder) onward(e, next *navEntry, onTopic, newest []*navEntry) []theme.Link {
	out := make([]theme.Link, 0, onwardLinks)
	taken := make([]string, 1, onwardLinks+1)
	taken[0] = e.slug
	add := func(o *navEntry) {
		if slices.Contains(taken, o.slug) {
			return
		}
		taken = append(taken, o.slug)
		l := o.link
		if o == next {
			l.Label = b.strs[e.lang].Get("series_next")
		}
		out = append(out, l)
	}
	if next != nil {
		add(next)
	}
	for _, list := range [][]*navEntry{onTopic, newest} {
		for _, o := range list {
			if len(out) == onwardLinks {
				return out
			}
			add(o)
		}
	}
	return out
}

// seriesProblems checks the parts of one series in one language, in
// order: two editions claiming one part is an error naming both files, a
// missing part a warning.
func seriesProblems(key string, ps []*navEntry) []problem.Problem {
	var out []problem.Problem
	want := 1
	for i, p := range ps {
		if i > 0 && ps[i-1].part == p.part {
			out = append(out, problem.Errorf(p.file, p.partLine, "part %d of series %q is claimed twice: by %s:%d and by this report", p.part, key, ps[i-1].file, ps[i-1].partLine))
			continue
		}
		if p.part > want {
			missing := strconv.Itoa(want)
			if p.part > want+1 {
				missing = fmt.Sprintf("%d to %d", want, p.part-1)
			}
			out = append(out, problem.Warnf(p.file, p.partLine, "series %q has no part %s before this part %d in %s", key, missing, p.part, p.lang))
		}
		want = p.part + 1
	}
	return out
}

// seriesPath is the site path of a series page in lang.
func seriesPath(lang, key string) string { return "/" + lang + "/series/" + key + "/" }

// seriesView returns a series as lang sees it, with count parts.
func (b *Builder) seriesView(lang, key string, count int) *theme.Series {
	s, _ := b.cfg.SeriesByKey(key)
	return &theme.Series{
		Key: key, Title: s.Title(lang, b.cfg.Languages), Summary: s.Summary[lang],
		URL: b.rel(seriesPath(lang, key)), Count: count,
	}
}

// partLabel is "第2篇（共4篇）" / "Part 2 of 4".
func (b *Builder) partLabel(lang string, part, count int) string {
	return strings.NewReplacer("{n}", strconv.Itoa(part), "{count}", strconv.Itoa(count)).Replace(b.strs[lang].Get("series_part"))
}

// partShort is "第2篇" / "Part 2".
func (b *Builder) partShort(lang string, part int) string {
	return b.strs[lang].N("series_part_short", part)
}

// seriesKeys is the key of an edition's series, if any.
func seriesKeys(e *edition) []string {
	if s := e.view.Series; s != nil {
		return []string{s.Key}
	}
	return nil
}

// inPartOrder puts each series' editions in part order.
func inPartOrder(all byKey) byKey {
	for _, m := range all {
		for _, ps := range m {
			slices.SortStableFunc(ps, func(x, y *edition) int { return x.view.Series.Part - y.view.Series.Part })
		}
	}
	return all
}

// writeSeries writes, for language l, the pages of every series with parts
// in l: /<lang>/series/KEY/, its parts in order, paged like a topic. all
// is every language's listing by series, in part order.
func (b *Builder) writeSeries(out *listOutput, l theme.Lang, all byKey) error {
	if len(b.cfg.Series) == 0 {
		return nil
	}
	size := b.cfg.FrontPageSize
	for _, s := range b.cfg.Series {
		eds := all[l.Key][s.Key]
		if len(eds) == 0 {
			continue
		}
		sv := b.seriesView(l.Key, s.Key, eds[0].view.Series.Count)
		err := b.writeChain(out, chain{
			kind: "series", lang: l.Key, base: seriesPath(l.Key, s.Key), title: sv.Title, eds: eds, size: size,
			extra:      strconv.Itoa(sv.Count),
			alternates: b.chainAlternates(all, s.Key, func(lang string) string { return seriesPath(lang, s.Key) }),
			fill: func(p *theme.Page) {
				p.Series = sv
				if sv.Summary != "" {
					p.Description = sv.Summary
				}
			},
		})
		if err != nil {
			return err
		}
	}
	return nil
}
