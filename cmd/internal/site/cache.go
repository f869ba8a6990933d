package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"dateline/cmd/internal/cache"
	"dateline/cmd/internal/content"
	"dateline/cmd/internal/markdown"
	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/publish"
	"dateline/cmd/internal/theme"
)

// The build cache lets a build skip the reports that did not change since
// the last one: no Markdown, no templates, no minifying, no writing.
//
// After a successful build to a Keeper (publish.Dir), the build manifest,
// an entry of the cache folder (Options.Cache, package cache), records for
// each report a key and what its conversion gave (docInfo), and
// the stamp of each page it wrote. The next build computes the key again;
// when it is the same, and the body's photos and files resolve to the same
// published files, and the published output still holds those pages with
// their stamps (nobody wrote them since), the pages are carried over into
// the new output as they are (publish.Dir.Keep) and the report's listing
// data is rebuilt from its front matter and the cached docInfo.
//
// The key is a SHA-256 over everything a report's pages depend on (see the
// package doc): the dateline executable itself (templates, renderers and
// the embedded theme are compiled in), site.toml, the theme's files, the
// build options that change pages, the report's Markdown files byte for
// byte, which editions the build's clock publishes, and the local time
// zone. A theme whose layouts mention .Now makes every build's key unique.
// What the key does not cover is checked: each photo and file the body
// uses is read and hashed as in any build, and must resolve to the same
// published names. So a cached page is the page a clean build would write,
// byte for byte; tests build both ways and compare. The site's key is the
// manifest's key in the cache: a manifest made for another is not read.
//
// The manifest also spares an unchanged report's files being read again:
// for each edition file of a report it keeps, it records the file's stat
// (as the photo index does, trusted only once older than the build that
// recorded it by racyMargin) and what content.Load made of it — the
// Edition without its text, its Sum, and ParseEdition's problems. A file
// whose lstat is exactly the one recorded is neither read nor parsed
// (content.LoadReusing), and the report's key is made from the recorded
// Sum, so it is the key today's build would compute from the bytes. The
// checks of a report's own text (leftovers of dateline new, Chinese
// punctuation, stop numbers) are kept with it too, so every build prints
// the same warnings whether it read the files or not.
//
// Lists, feeds, the sitemap and the checks across reports are made afresh
// every build: they are cheap, and depend on every report.

// docInfo is what an edition's page and listing data take from its body.
type docInfo struct {
	Stops             []theme.Stop
	Lede              string // the body's opening text, for a summary
	Han, Words        int
	Figures, Sidebars int
	IDs               []string
	Links             []markdown.Link
	Problems          []problem.Problem
	Deps              []dep     // photos and files the body asked for
	Hero              cache.Key // the hero photo's signature; zero for none
}

// heroSig is the signature of an edition's hero photo (nil: none).
func heroSig(f *file) cache.Key {
	if f == nil {
		return cache.Key{}
	}
	return f.signature()
}

// dep is one file a body asked for, and what it resolved to.
type dep struct {
	Src  string    // path in the site FS
	Sig  cache.Key // file.signature()
	Used bool      // published with the report
}

// signature sums up what a page shows of a file: its published names and
// size, or why it cannot be used (a SHA-256 of describe's text).
func (f *file) signature() cache.Key { return sha256.Sum256([]byte(f.describe())) }

func (f *file) describe() string {
	var b strings.Builder
	b.WriteString(f.out)
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(f.width))
	b.WriteByte('x')
	b.WriteString(strconv.Itoa(f.height))
	for _, v := range f.variants {
		b.WriteByte(' ')
		b.WriteString(v.Out)
	}
	if f.err != nil {
		b.WriteString(" !" + f.err.Error())
	}
	if f.imgErr != nil {
		b.WriteString(" !" + f.imgErr.Error())
	}
	return b.String()
}

// cacheEntry is what the cache keeps of one report.
type cacheEntry struct {
	Key      cache.Key
	Editions []*docInfo      // of the published editions, in order
	Pages    []publish.Stamp // of their pages
	Sources  map[string]*source
	Checks   []problem.Problem // sourceChecks
}

// source is what the manifest keeps of one edition file (published or
// not) of a report it keeps: what content.Load made of the file whose
// stat was Stat.
type source struct {
	Stat     statKey
	Edition  *content.Edition // Source and Body nil
	Problems []problem.Problem
}

// The manifest's entry is a stream of gob values: a manifest, then one
// manifestReport for each of its Reports (in order of their folders), then
// a manifestFiles. The reports are complete once the report pages are
// written, and are encoded while the build goes on with its lists
// (startSave); the files' stamps come after the files are written.
//
// A report is one gob value of its own, a few KB, rather than one entry of
// a map in a single value: gob builds each value in a buffer it doubles as
// it goes and reads it back into one it allocates whole, so a 12 MB value
// was copied and grown through memory the build had to fault in, twice.
type manifest struct {
	Written int64 // ns: when the build that wrote it began, for source stats
	Reports int   // how many manifestReport values follow
}

// manifestReport is one report's entry in the manifest.
type manifestReport struct {
	Slug  string
	Entry *cacheEntry
}

type manifestFiles struct {
	// Files has the stamps of the photos and files published, by output
	// name. The names carry a hash of the content, so a file of that name
	// with its stamp is the file to publish.
	Files map[string]publish.Stamp
	// Feeds has the feed bodies of the editions in the feeds, by
	// "slug/lang", each with its report's key: an unchanged build takes
	// them from here instead of reading and rendering those reports again.
	Feeds map[string]feedEntry
}

// feedEntry is an edition's feed body as the manifest keeps it.
type feedEntry struct {
	Key  cache.Key // the report's bodyKey
	Body string
}

// bodyKey sums up what a report's rendered bodies depend on: its key and
// the photos and files they show (whose published names change with their
// bytes while the report's key does not).
func (e *cacheEntry) bodyKey() cache.Key {
	h := sha256.New()
	h.Write(e.Key[:])
	for _, d := range e.Editions {
		for _, dep := range d.Deps {
			h.Write([]byte(dep.Src))
			h.Write(dep.Sig[:])
		}
	}
	var k cache.Key
	h.Sum(k[:0])
	return k
}

// manifestName is the manifest's entry in the cache folder.
const manifestName = "build.manifest"

// buildCache is a build's view of the manifest.
type buildCache struct {
	store     *cache.Dir
	key       cache.Key              // the site's
	last      map[string]*cacheEntry // from the last build
	lastFiles map[string]publish.Stamp
	lastFeeds map[string]feedEntry
	start     int64 // ns: before this build looked at any file
	written   int64 // ns: when the last build began
	loc       *time.Location

	mu        sync.Mutex
	next      map[string]*cacheEntry // for the next build
	nextFiles map[string]publish.Stamp
	nextFeeds map[string]feedEntry
	hits      int
	reused    map[string]*source // edition files Load did not read, by path

	// The manifest being encoded by startSave, straight into its entry.
	saving  chan struct{} // closed when done
	w       *cache.Writer
	enc     *gob.Encoder
	saveErr error
}

// openCache sets up the build cache for a build to out, reading the last
// build's manifest. Without Options.Cache, in the preview, or for an output
// that cannot keep files, there is none.
func (b *Builder) openCache(out *counter) {
	b.cache = nil
	if b.opts.Cache == "" || b.opts.Preview || out.keeper == nil || b.cacheDir().Err() != nil {
		return
	}
	key, err := b.siteKey()
	if err != nil {
		return // no cache rather than a wrong one
	}
	c := &buildCache{store: b.cacheDir(), key: key, next: map[string]*cacheEntry{}, nextFiles: map[string]publish.Stamp{}, nextFeeds: map[string]feedEntry{},
		start: indexClock().UnixNano(), loc: b.cfg.Location, reused: map[string]*source{}}
	if data, err := c.store.Get(manifestName, key); err == nil {
		c.last, c.lastFiles, c.lastFeeds, c.written = readManifest(data)
	}
	b.cache = c
}

// readManifest decodes a manifest's entry; all nil when it cannot.
func readManifest(data []byte) (reports map[string]*cacheEntry, files map[string]publish.Stamp, feeds map[string]feedEntry, written int64) {
	dec := gob.NewDecoder(bytes.NewReader(data))
	var m manifest
	// A report's value takes more than one byte: a count beyond the data
	// is damage (an entry's checksum makes that unlikely, not impossible).
	if dec.Decode(&m) != nil || m.Reports < 0 || m.Reports > len(data) {
		return nil, nil, nil, 0
	}
	reports = make(map[string]*cacheEntry, m.Reports)
	for range m.Reports {
		var r manifestReport
		if dec.Decode(&r) != nil || r.Entry == nil {
			return nil, nil, nil, 0
		}
		reports[r.Slug] = r.Entry
	}
	var mf manifestFiles
	if dec.Decode(&mf) != nil {
		return nil, nil, nil, 0
	}
	return reports, mf.Files, mf.Feeds, m.Written
}

// startSave starts encoding the manifest of the reports for the next build,
// in the background: nothing changes it once the report pages are written.
func (b *Builder) startSave() {
	c := b.cache
	if c == nil {
		return
	}
	c.saving = make(chan struct{})
	c.w = c.store.Create(manifestName, c.key)
	c.enc = gob.NewEncoder(c.w)
	go func() {
		defer close(c.saving)
		if c.saveErr = c.enc.Encode(manifest{Written: c.start, Reports: len(c.next)}); c.saveErr != nil {
			return
		}
		for _, slug := range slices.Sorted(maps.Keys(c.next)) {
			if c.saveErr = c.enc.Encode(manifestReport{Slug: slug, Entry: c.next[slug]}); c.saveErr != nil {
				return
			}
		}
	}()
}

// saveCache puts the manifest for the next build in the cache, once
// startSave is done. The old entry stays until the new one is complete; a
// failure to write it is the cache folder's (cache.Dir.Err).
func (b *Builder) saveCache() {
	c := b.cache
	if c == nil || c.saving == nil {
		return
	}
	<-c.saving
	if c.saveErr == nil {
		c.saveErr = c.enc.Encode(manifestFiles{Files: c.nextFiles, Feeds: c.nextFeeds})
	}
	if c.saveErr != nil && c.w.Err() == nil {
		// gob refused a value (it encodes these types): no manifest
		// rather than a broken one.
		c.w.Abort()
		c.store.Remove(manifestName)
		return
	}
	c.w.Commit()
}

// dropSave gives up the manifest startSave began, when the build fails
// before saveCache: the entry in place stays. After saveCache it does
// nothing.
func (b *Builder) dropSave() {
	if c := b.cache; c != nil && c.saving != nil {
		<-c.saving
		c.w.Abort()
	}
}

// siteKey sums up what every page of the site depends on.
func (b *Builder) siteKey() (cache.Key, error) {
	h := cache.NewHasher("dateline build manifest 5")
	exe, err := executableSum()
	if err != nil {
		return cache.Key{}, err
	}
	h.Bytes(exe[:])
	cfg, err := fs.ReadFile(b.opts.FS, content.ConfigFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return cache.Key{}, err
	}
	h.Bytes(cfg)
	h.String(b.opts.BaseURL)
	h.String(b.base.String())
	h.String(strconv.FormatBool(b.opts.NoDerivatives))
	h.String(strconv.FormatBool(b.opts.NoIndex))
	h.String(strconv.FormatBool(b.opts.Search)) // every page links the search page, or not
	h.String(time.Local.String())
	h.String(b.themeDir)
	nowMatters := false
	err = fs.WalkDir(b.themeFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(b.themeFS, p)
		if err != nil {
			return err
		}
		h.String(p)
		h.Bytes(data)
		if strings.HasSuffix(p, ".html") && bytes.Contains(data, []byte("Now")) {
			nowMatters = true
		}
		return nil
	})
	if err != nil {
		return cache.Key{}, err
	}
	if nowMatters {
		// The theme may show the build's time: no two builds are alike.
		h.String(b.now.Format(time.RFC3339Nano))
	}
	return h.Key(), nil
}

var exeSum struct {
	once sync.Once
	sum  [32]byte
	err  error
}

// executableSum is the SHA-256 of the running program: a new dateline (or a
// rebuilt one) may render pages differently.
func executableSum() ([32]byte, error) {
	exeSum.once.Do(func() {
		exe, err := os.Executable()
		if err != nil {
			exeSum.err = err
			return
		}
		f, err := os.Open(exe)
		if err != nil {
			exeSum.err = err
			return
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			exeSum.err = err
			return
		}
		exeSum.sum = [32]byte(h.Sum(nil))
	})
	return exeSum.sum, exeSum.err
}

// reportKey sums up a report's own inputs, given the editions the build
// publishes and the problems found before conversion (missing translations).
// A zero key means the report cannot be cached.
func (b *Builder) reportKey(r *content.Report, live []*content.Edition, st *reportState) cache.Key {
	h := cache.NewHasher("dateline report")
	h.Bytes(b.cache.key[:])
	h.String(r.Slug)
	h.String(strconv.Itoa(st.drafts) + " " + strconv.Itoa(st.embargo))
	for _, p := range st.problems {
		h.String(p.String())
	}
	for _, e := range live {
		if e.Sum == ([32]byte{}) {
			return cache.Key{} // not read by content.Load
		}
		h.String(e.Lang)
		h.String(e.File)
		h.Bytes(e.Sum[:])
	}
	return h.Key()
}

// keepReport carries an unchanged report over from the published output,
// filling st as buildReport would. It reports false, having changed
// nothing in st, when the report must be built.
func (b *Builder) keepReport(ctx context.Context, r *content.Report, live []*content.Edition, key cache.Key, st *reportState, k *counter) bool {
	c := b.cache
	ent := c.last[r.Slug]
	if key == (cache.Key{}) || ent == nil || ent.Key != key || len(ent.Editions) != len(live) || len(ent.Pages) != len(live) {
		return false
	}
	// The body's photos and files: still the same published files?
	bodyFiles := make([][]*file, len(live))
	for i, info := range ent.Editions {
		for _, d := range info.Deps {
			f := b.files.get(ctx, d.Src)
			if f.signature() != d.Sig {
				return false
			}
			if d.Used {
				bodyFiles[i] = append(bodyFiles[i], f)
			}
		}
	}
	var (
		used  []*file
		eds   []*edition
		pages []string
		kept  []publish.Stamp // the pages' stamps now: a new name moves the ctime on
		ps    []problem.Problem
		size  int64
	)
	for i, e := range live {
		view, hero, vps := b.reportView(ctx, r, e, &used)
		if problem.Errors(vps, false) != nil {
			return false
		}
		info := ent.Editions[i]
		if heroSig(hero) != info.Hero {
			return false // the page shows the hero under its published name
		}
		used = append(used, bodyFiles[i]...)
		// A page carried over and then rebuilt after all is simply written
		// again: WriteFile replaces a kept file, never writes through it.
		name := pageFile(e.Lang, r.Slug)
		if !k.keep(name, ent.Pages[i]) {
			return false
		}
		stamp, _ := k.stamp(name)
		kept = append(kept, stamp)
		size += ent.Pages[i].Size
		eds = append(eds, b.edition(e, view, hero, info))
		pages = append(pages, name)
		ps = append(ps, vps...)
		ps = append(ps, info.Problems...)
	}
	for _, e := range live {
		e.Body = nil // as after a conversion: only listing data stays
	}
	k.count(pages, size)
	st.problems = append(st.problems, ps...)
	st.editions, st.pages, st.files = eds, pages, used
	st.problems = append(st.problems, parity(r, eds)...)
	st.srcChecks, st.srcChecked = ent.Checks, true
	srcs := b.sources(r)
	c.mu.Lock()
	c.next[r.Slug] = &cacheEntry{Key: ent.Key, Editions: ent.Editions, Pages: kept, Sources: srcs, Checks: ent.Checks}
	c.hits++
	c.mu.Unlock()
	return true
}

// remember records a report the build converted, for the next build.
func (b *Builder) remember(r *content.Report, key cache.Key, infos []*docInfo, st *reportState, k *counter) {
	if key == (cache.Key{}) || problem.Errors(st.problems, false) != nil || len(infos) != len(st.pages) {
		return
	}
	slug := r.Slug
	ent := &cacheEntry{Key: key, Editions: infos, Sources: b.sources(r), Checks: b.sourceChecks(st)}
	for _, name := range st.pages {
		stamp, ok := k.stamp(name)
		if !ok {
			return
		}
		ent.Pages = append(ent.Pages, stamp)
	}
	b.cache.mu.Lock()
	b.cache.next[slug] = ent
	b.cache.mu.Unlock()
}

// keepFile carries a published photo or file over with its derivatives,
// when every one of them still has the stamp the last build recorded.
func (b *Builder) keepFile(f *file, k *counter) bool {
	c := b.cache
	if c == nil || f.err != nil || f.imgErr != nil {
		return false
	}
	names := f.outputs()
	var size int64
	for _, name := range names {
		st, ok := c.lastFiles[name]
		if !ok || !k.keep(name, st) {
			return false
		}
		size += st.Size
	}
	k.count(names, size)
	c.mu.Lock()
	for _, name := range names {
		c.nextFiles[name], _ = k.stamp(name) // a new name moves the ctime on
	}
	c.mu.Unlock()
	return true
}

// rememberFile records the stamps of a photo or file just written.
func (b *Builder) rememberFile(f *file, k *counter) {
	c := b.cache
	if c == nil {
		return
	}
	for _, name := range f.outputs() {
		if st, ok := k.stamp(name); ok {
			c.mu.Lock()
			c.nextFiles[name] = st
			c.mu.Unlock()
		}
	}
}

// outputs lists the output names of a file: the original, then its
// derivatives.
func (f *file) outputs() []string {
	names := []string{f.out}
	for _, v := range f.variants {
		names = append(names, v.Out)
	}
	return names
}

// reuseSource is the build's content.Reuse: the edition file name, whose
// lstat is fi, as the last build's manifest recorded it, when fi is the
// stat it recorded and that stat is older than the build that recorded it
// by racyMargin (as for the photo index: a file rewritten within one tick
// of the file system's clock of being read keeps its times).
func (b *Builder) reuseSource(name string, fi fs.FileInfo) (*content.Edition, []problem.Problem, bool) {
	c := b.cache
	ent := c.last[reportOf(name)]
	if ent == nil {
		return nil, nil, false
	}
	src := ent.Sources[name]
	if src == nil || src.Edition == nil {
		return nil, nil, false
	}
	st, ok := statOf(fi)
	limit := c.written - int64(racyMargin)
	if !ok || st != src.Stat || st.Mtime >= limit || st.Ctime >= limit {
		return nil, nil, false
	}
	e := *src.Edition
	e.Date, e.Updated = inZone(e.Date, c.loc), inZone(e.Updated, c.loc)
	if len(e.Corrections) > 0 {
		e.Corrections = slices.Clone(e.Corrections)
		for i := range e.Corrections {
			e.Corrections[i].Date = inZone(e.Corrections[i].Date, c.loc)
		}
	}
	if e.Lines == nil {
		e.Lines = map[string]int{} // gob leaves an empty map out
	}
	c.mu.Lock()
	c.reused[name] = src
	c.mu.Unlock()
	return &e, src.Problems, true
}

// inZone gives a time decoded by gob back the location content gave it:
// gob keeps the offset only, and content reads a date in the site's time
// zone whenever its offset is that zone's.
func inZone(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() || loc == nil || t.Location() == time.UTC {
		return t
	}
	u := t.In(loc)
	_, want := t.Zone()
	if _, got := u.Zone(); got == want {
		return u
	}
	return t
}

// sources records the edition files of a report for the next build: those
// Load reused as they were, the others with their stat now (a file changed
// since it was read has times the next build does not trust).
func (b *Builder) sources(r *content.Report) map[string]*source {
	m := make(map[string]*source, len(r.Editions))
	for _, e := range r.Editions {
		b.cache.mu.Lock()
		src := b.cache.reused[e.File]
		b.cache.mu.Unlock()
		if src == nil {
			fi, err := content.Lstat(b.opts.FS, e.File)
			if err != nil {
				continue
			}
			st, ok := statOf(fi)
			if !ok {
				continue
			}
			ec := *e
			ec.Source, ec.Body = nil, nil
			src = &source{Stat: st, Edition: &ec}
			for _, p := range b.loaded[r.Slug] {
				if p.File == e.File {
					src.Problems = append(src.Problems, p)
				}
			}
		}
		m[e.File] = src
	}
	return m
}

// sourceChecks returns the checks of a report's own text (check.go), made
// once per report state, while the editions' Source is at hand.
func (b *Builder) sourceChecks(st *reportState) []problem.Problem {
	if !st.srcChecked {
		st.srcChecks = append(append(b.leftovers(st), b.punctuation(st)...), b.stopNumbers(st)...)
		st.srcChecked = true
	}
	return st.srcChecks
}

// reread reads again the editions Load took from the manifest, for a
// report the build converts after all.
func (b *Builder) reread(live []*content.Edition) []problem.Problem {
	var ps []problem.Problem
	for _, e := range live {
		if e.Source != nil {
			continue
		}
		fresh, eps := content.ReadEdition(b.opts.FS, e.File, b.cfg)
		if fresh == nil {
			ps = append(ps, eps...)
			continue
		}
		*e = *fresh
	}
	return ps
}

// feedBody returns the feed body the last build kept for the edition
// lang of report slug, when the report's key is still the one it had.
func (c *buildCache) feedBody(slug, lang string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ent, next := c.lastFeeds[slug+"/"+lang], c.next[slug]
	if next == nil || ent.Key != next.bodyKey() {
		return "", false
	}
	return ent.Body, true
}

// keepFeedBody records an edition's feed body for the next build.
func (c *buildCache) keepFeedBody(slug, lang, body string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if next := c.next[slug]; next != nil {
		c.nextFeeds[slug+"/"+lang] = feedEntry{Key: next.bodyKey(), Body: body}
	}
}
