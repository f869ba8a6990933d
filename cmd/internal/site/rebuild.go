package site

import (
	"context"
	"path"
	"reflect"
	"slices"
	"strings"
	"time"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/problem"
)

// Rebuild brings out up to date after the files at changed (slash paths
// relative to the site root) were created, modified or removed. out holds
// the previous build's files; Rebuild writes the outputs that changed and
// lists in Result.Removed the ones that must go.
//
// What it redoes follows the dependency record in the package doc: a change
// under content/<slug>/ re-reads and re-renders that report only, and the
// list outputs only when the report's listing data changed; anything else
// (site.toml, the theme, a file outside a report folder) rebuilds
// everything, and so does a Builder whose last build could not set up.
func (b *Builder) Rebuild(ctx context.Context, changed []string, out Output) (*Result, bool, error) {
	slugs, full := affected(changed)
	if full || b.setup == nil || b.build == nil || b.cfg == nil || b.set == nil {
		res, err := b.Build(ctx, out)
		return res, true, err
	}
	start := time.Now()
	// The live clock moves on: an embargo that ends between builds changes
	// reports nobody edited, so the caller makes a full build at NextEmbargo.
	if b.opts.Now.IsZero() {
		b.now = start
	}
	b.countPhotos()
	slugs, reports := b.renav(ctx, slugs) // and the reports whose series or onward links change
	w := newCounter(out)
	w.record = true
	// A file can only be used by the report whose folder holds it, so the
	// changed reports' files are the only ones a change can concern.
	var known []string
	for _, slug := range slugs {
		if old := b.reports[slug]; old != nil {
			for _, f := range old.files {
				known = append(known, f.src)
			}
		}
	}
	b.files.forget(changed, known)
	// Folders verified by an earlier build may have changed since.
	b.files.paths = content.NewPathChecker(b.opts.FS)
	// Output paths of the files the changed reports used before: any that
	// no report uses afterwards must go.
	before := map[string]bool{}
	for _, slug := range slugs {
		if old := b.reports[slug]; old != nil {
			for _, o := range old.fileOuts() {
				before[o] = true
			}
		}
	}
	listsChanged, idsChanged, feedChanged := false, false, false
	var removed []string
	for _, slug := range slugs {
		old := b.reports[slug]
		l, ok := reports[slug]
		if !ok {
			l.r, l.ps = content.LoadReport(ctx, b.opts.FS, b.cfg, slug)
		}
		r, ps := l.r, l.ps
		if r == nil {
			if old != nil {
				b.unindexReport(old)
				removed = append(removed, old.pages...)
				delete(b.reports, slug)
				listsChanged = true
				if len(old.editions) > 0 {
					idsChanged = true
				}
			}
			if len(ps) > 0 {
				b.reports[slug] = &reportState{slug: slug, problems: ps}
			}
			continue
		}
		st, err := b.buildReport(ctx, r, w)
		if err != nil {
			return b.result(start, w), false, err
		}
		st.problems = append(ps, st.problems...)
		if old != nil {
			if b.opts.Preview {
				st = b.keepLastGood(old, st)
			}
			for _, p := range old.pages {
				if !slices.Contains(st.pages, p) {
					removed = append(removed, p)
				}
			}
		}
		if old == nil || !sameListing(old, st) {
			listsChanged = true
		} else if b.inFeed(old) {
			feedChanged = true // its body is in a feed
		}
		if b.reindexReport(old, st) {
			idsChanged = true
		}
		b.reports[slug] = st
	}
	// A page or anchor that appeared or went away can mend or break links
	// anywhere; otherwise only the changed reports' own checks can change.
	if idsChanged {
		b.checkAll()
	} else {
		for _, slug := range slugs {
			if st := b.reports[slug]; st != nil {
				st.checks = b.checkReport(st)
			}
		}
	}
	only := map[string]bool{}
	for _, s := range slugs {
		only[s] = true
	}
	if err := b.writeFiles(ctx, w, only); err != nil {
		return b.result(start, w), false, err
	}
	// Files the changed reports no longer use, unless another report does
	// (only then is every report's list consulted).
	var gone []string
	if len(before) > 0 {
		still := map[string]bool{}
		for _, slug := range slugs {
			if st := b.reports[slug]; st != nil {
				for _, o := range st.fileOuts() {
					still[o] = true
				}
			}
		}
		for o := range before {
			if !still[o] {
				gone = append(gone, o)
			}
		}
	}
	if len(gone) > 0 {
		used := b.fileOuts()
		for _, o := range gone {
			if !used[o] {
				removed = append(removed, o)
			}
		}
	}
	if listsChanged {
		gone, err := b.writeLists(w)
		if err != nil {
			return b.result(start, w), false, err
		}
		removed = append(removed, gone...)
	} else if feedChanged {
		if err := b.writeFeeds(w); err != nil {
			return b.result(start, w), false, err
		}
	}
	res := b.result(start, w)
	res.Written = slices.Sorted(slices.Values(w.names))
	slices.Sort(removed)
	res.Removed = slices.Compact(removed)
	var err error
	if errs := res.Errors(b.opts.Strict); len(errs) > 0 {
		err = problem.Join(errs)
	}
	return res, false, err
}

// affected returns the report folders touched by changed paths, or full
// when some change touches the whole site.
func affected(changed []string) (slugs []string, full bool) {
	for _, p := range changed {
		p = path.Clean(strings.TrimPrefix(p, "./"))
		rest, ok := strings.CutPrefix(p, "content/")
		if !ok {
			return nil, true
		}
		slug, _, nested := strings.Cut(rest, "/")
		if !nested && (path.Ext(slug) != "" || slug == "site.toml") {
			// content/site.toml or another file directly in content/.
			return nil, true
		}
		if !slices.Contains(slugs, slug) {
			slugs = append(slugs, slug)
		}
	}
	slices.Sort(slugs)
	return slugs, false
}

// keepLastGood keeps, in a preview, the last good version of each edition
// that now fails to convert: the editor keeps reading the page (under the
// error overlay) instead of a 404 while the file is being fixed.
func (b *Builder) keepLastGood(old, st *reportState) *reportState {
	for _, oe := range old.editions {
		if slices.ContainsFunc(st.editions, func(e *edition) bool { return e.src.Lang == oe.src.Lang }) {
			continue
		}
		failed := slices.ContainsFunc(st.problems, func(p problem.Problem) bool {
			return p.Severity == problem.Error && p.File == oe.src.File
		})
		if !failed {
			continue
		}
		st.editions = append(st.editions, oe)
		if page := pageFile(oe.src.Lang, oe.src.Slug); slices.Contains(old.pages, page) {
			st.pages = append(st.pages, page)
		}
		for _, f := range old.files {
			if !slices.Contains(st.files, f) {
				st.files = append(st.files, f)
			}
		}
	}
	slices.SortFunc(st.editions, func(x, y *edition) int { return b.langIndex(x.src.Lang) - b.langIndex(y.src.Lang) })
	slices.Sort(st.pages)
	return st
}

// sameListing reports whether two states of a report list the same way on
// front pages, the root page, feeds and the sitemap.
func sameListing(a, b *reportState) bool {
	if len(a.editions) != len(b.editions) {
		return false
	}
	for i := range a.editions {
		x, y := a.editions[i], b.editions[i]
		if !reflect.DeepEqual(x.view, y.view) || x.src.Lang != y.src.Lang {
			return false
		}
		if (x.hero == nil) != (y.hero == nil) || x.hero != nil && (x.hero.out != y.hero.out) {
			return false
		}
	}
	return true
}

// fileOuts returns the output paths of every file the reports use.
func (b *Builder) fileOuts() map[string]bool {
	outs := map[string]bool{}
	for _, st := range b.reports {
		for _, o := range st.fileOuts() {
			outs[o] = true
		}
	}
	return outs
}

// fileOuts returns the output paths of the files a report uses: photos,
// their resized copies and other files.
func (st *reportState) fileOuts() []string {
	var outs []string
	for _, f := range st.files {
		outs = append(outs, f.out)
		for _, v := range f.variants {
			outs = append(outs, v.Out)
		}
	}
	return outs
}

// langIndex returns the position of a language in the site's order.
func (b *Builder) langIndex(key string) int {
	return slices.IndexFunc(b.cfg.Languages, func(l content.Language) bool { return l.Key == key })
}

// NextEmbargo returns the earliest time after the last build at which an
// embargoed report of the site becomes published (zero when none is
// embargoed). A preview makes a full build then, so that banners, lists and
// feeds are as a clean build at that moment would make them.
func (b *Builder) NextEmbargo() time.Time {
	var next time.Time
	for _, st := range b.reports {
		for _, e := range st.editions {
			if d := e.src.Date; d.After(b.now) && (next.IsZero() || d.Before(next)) {
				next = d
			}
		}
	}
	return next
}
