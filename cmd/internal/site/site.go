// Package site builds a Dateline site. Its pipeline reads top to bottom:
//
//	content   content/site.toml and content/<slug>/<lang>.md → content.Report
//	markdown  each published edition's body → markdown.Doc (stops, figures, sidebars)
//	theme     theme.Page → HTML with the site's html/template layouts
//	publish   minify, content-hash assets and photos, feeds, sitemap, write
//
// A Builder holds one site's state between builds. Build does everything;
// Rebuild, used by `dateline serve`, redoes only what a set of changed files
// touches. It can do so correctly because the Builder keeps an explicit
// record of which output depends on which input:
//
//   - a report's pages (every edition) depend on the report's files, its
//     photos, the theme and site.toml;
//   - the list outputs (front pages, root page, feeds, sitemap) depend on
//     the listing data of every published edition (title, date, summary,
//     hero, stops …), compared field by field after a report is re-read;
//   - every output depends on the theme and site.toml, whose change
//     rebuilds everything.
//
// Conversion runs on GOMAXPROCS goroutines; a page is written as soon as it
// is rendered, and only listing data stays in memory, so memory grows with
// the number of reports, not with the size of the site.
//
// Problems (errors and warnings with file and line) are collected from every
// stage and returned together; any error fails the build, and with Strict
// so does any warning.
package site

import (
	"context"
	"io/fs"
	"time"

	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/publish"
	"dateline/cmd/internal/theme"
)

// Options configure a build.
type Options struct {
	// FS is the site root: it holds content/ and, optionally, themes/.
	FS fs.FS
	// BaseURL overrides site.toml's base_url when not empty.
	BaseURL string
	// Now is the build's clock: reports dated after it are embargoed.
	// The zero value means time.Now().
	Now time.Time
	// Strict turns every warning into an error.
	Strict bool
	// Preview shows drafts and embargoed reports with a banner
	// (`dateline serve`). A preview build is never published.
	Preview bool
	// Cache is the folder of what a build keeps for the next one
	// (SITE/.cache/dateline, or DATELINE_CACHE, for the command line; see
	// package cache): the responsive photo derivatives, the photo index
	// (photoindex.go) and, for a build to a Keeper, the build manifest with
	// which the next build carries the pages of unchanged reports over from
	// the published output instead of making them again (cache.go). ""
	// keeps nothing. A folder that cannot be used is one warning naming it,
	// and the build goes on without it.
	Cache string
	// NoDerivatives publishes photos as they are, with no resized copies
	// (and no EXIF rotation): a quicker build for a draft look.
	NoDerivatives bool
	// NoIndex builds a staging copy: robots.txt disallows everything and
	// every page carries <meta name="robots" content="noindex">.
	NoIndex bool
	// Search writes a search page per language, /<lang>/search/, and links
	// it from every page: set it when the output will be indexed with
	// Pagefind (package search) before it is published.
	Search bool
}

// Output receives the files of a build. WriteFile is called from several
// goroutines at once. It may keep data: the build never changes it after.
type Output interface {
	WriteFile(name string, data []byte) error
}

// A Keeper is an Output that replaces a published output and can carry its
// files over (publish.Dir): with Options.Cache, a build to a Keeper keeps
// the pages and photos of unchanged reports instead of writing them again.
type Keeper interface {
	Output
	// Stamp returns the stamp of a file this build wrote or kept.
	Stamp(name string) (publish.Stamp, bool)
	// Keep carries the published file name over as it is, provided it
	// still has the stamp st; it reports whether it did.
	Keep(name string, st publish.Stamp) bool
}

// A Releaser is an Output that can tell it is done with the bytes given to
// WriteFile once it returns (publish.Dir writes them to disk): the build
// may then reuse that memory for the next page.
type Releaser interface {
	Output
	ReleasesData() bool
}

// Result describes a finished build.
type Result struct {
	Problems []problem.Problem // every error and warning, sorted
	Pages    int               // HTML pages written
	Files    int               // files written, pages included
	Bytes    int64             // bytes written
	Drafts   int               // editions held back as drafts
	Embargo  int               // editions held back by embargo
	Elapsed  time.Duration
	// PhotosEncoded counts photo derivatives this build encoded;
	// PhotosReused those it found in the photo cache; CacheRepaired those
	// it found damaged there, and encoded again (they are in PhotosEncoded).
	PhotosEncoded, PhotosReused, CacheRepaired int
	// Kept counts the reports whose pages a build carried over unchanged
	// from the published output (Options.Cache).
	Kept int
	// Theme is the theme the build rendered with (nil when it did not
	// load): its Fallbacks and SlowPages tell `dateline build -v` which
	// layouts and pages html/template rendered.
	Theme *theme.Set
	// Written and Removed list the output paths a Rebuild changed.
	Written []string
	Removed []string
}

// Errors returns the problems that fail the build.
func (r *Result) Errors(strict bool) []problem.Problem { return problem.Errors(r.Problems, strict) }

// Build builds the whole site into out. It returns the result and, when the
// build failed, an error joining every problem that failed it (the caller
// must then discard out).
func Build(ctx context.Context, opts Options, out Output) (*Result, error) {
	b := NewBuilder(opts)
	return b.Build(ctx, out)
}
