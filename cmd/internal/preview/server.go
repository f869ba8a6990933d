// Package preview is `dateline serve`: it builds a site into memory, serves
// it over HTTP, watches the site's files, rebuilds what a change touches and
// tells open pages to reload.
//
// # Building
//
// The first build is a full one, and report pages are served while it
// runs. A report's pages depend only on its own folder, the theme and
// site.toml, not on the other reports (see package site), so a request for
// one builds that report on its own (site.Single), from the files as they
// are, and gets the page just built; the photos, files and theme assets
// such builds write are served as well, so the page is complete. Anything
// else — front pages, feeds, the sitemap, the 404 page, a report whose
// edition fails — waits for the first build to be served, so no list is
// ever seen partial. The watcher runs before anything is read: a page whose
// build overlapped a reported change is built again before it is served,
// open pages reload on every change, and changes reported during the first
// build are rebuilt before the server counts as ready, report pages being
// served the early way meanwhile. Pages served early carry no problems
// (none are known yet) and a version of their own: when the first build is
// published they reload, unless it is clean and they are byte for byte its
// pages, in which case they take its version without reloading.
//
// The watcher
// (package watch) watches content/ (site.toml included) and themes/,
// recursively, new folders included, and ignores editors' temp and backup
// files; it sends one batch of changed paths per burst of saves, so an
// editor's write-then-rename save is one change. The server hands the batch
// to site.Builder.Rebuild, which redoes only what the paths touch (a change
// to a report that had problems in the last full build is rebuilt in full,
// since a full build keeps the problems met while loading reports where
// Rebuild does not redo them). The built files are staged and then published to
// the in-memory store in one step, together with the build's problems, and
// only then are open pages told (package livereload): "reload" after most
// changes, "css" when only theme stylesheets changed and the problems are
// the same, so pages swap their stylesheets without losing their place.
//
// A broken file never stops the server. An incremental rebuild keeps the
// last good page of a report that fails (site.Builder does that in a
// preview); a full build that fails leaves the files it did not write in
// place, and the next build is then a full one, so that nothing stale
// survives the fix. A panic inside a build is recovered and shown as an
// error. Every HTML page is served with the live-reload script and, when the
// build has problems, an overlay listing its errors as path:line: message and
// a collapsed panel of its warnings; both go away with the rebuild that fixes
// them. Drafts and embargoed reports are built with a banner (site.Options
// Preview); an embargo that ends while the server runs keeps its banner
// until the next full build.
//
// # Safety
//
// The server is meant for loopback (`dateline serve` listens on 127.0.0.1
// unless told otherwise). Requests are answered from the in-memory build
// only, never from disk, so no path reaches a file outside the built site;
// besides, a path that is not in canonical form (dot segments, doubled
// slashes), holds a backslash or NUL, or was sent with an encoded slash or
// backslash (%2f, %5c) gets the 404 page without a lookup. A folder without
// an index.html is a 404, never a listing. Every request's Host header must
// name the address the server listens on (on loopback: localhost or a
// loopback IP), which stops DNS rebinding (a foreign name resolving to
// 127.0.0.1 would make a hostile page same-origin); the event stream also
// refuses an Origin other than the page's own. The server holds a bounded
// number of connections (limit.go): at the cap it closes the one idle
// longest, so that idle keep-alive connections cannot run it out of file
// descriptors while normal requests are still answered; event streams are
// requests, never idle, and the hub bounds them.
package preview

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"dateline/cmd/internal/livereload"
	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/site"
	"dateline/cmd/internal/watch"
)

// EventsPath is where pages subscribe to reload events.
const EventsPath = "/_dateline/events"

// Options configure a preview server.
type Options struct {
	Dir string // the site folder on disk (holds content/ and maybe themes/)
	// FS, when set, is what the builder reads instead of os.DirFS(Dir)
	// (tests wrap the folder in it); the watcher still watches Dir.
	FS fs.FS
	// Cache is the folder that keeps responsive photo derivatives and the
	// photo index between builds (site.Options.Cache; `dateline build`
	// uses SITE/.cache/dateline). "" keeps them for one build only, so
	// every rebuild of a report resizes its photos again.
	Cache string
	Poll  time.Duration // > 0: poll the files at this interval instead of using fsnotify
	// Quiet is the watcher's quiet window: how long after the last event of
	// a burst it rebuilds. Zero means the watcher's default.
	Quiet time.Duration
	Log   io.Writer // progress and problems; nil discards them
	// Pagefind is the Pagefind program (package search), "" for none:
	// with it the preview has search pages, indexed in the background
	// after the first build and again SearchQuiet (default
	// DefaultSearchQuiet) after the last of a run of builds.
	Pagefind    string
	SearchQuiet time.Duration
	// OnBuild, when set, is called after each build has been published to
	// the server and open pages have been told (tests wait on it). It runs
	// on the server's build goroutine: the next build waits for it.
	OnBuild func(Build)
}

// Build describes one finished (re)build as the server published it.
type Build struct {
	Version  int      // the version pages are told about
	Changed  []string // the site paths (slash, relative) that caused it; none for the first build
	Full     bool     // every output was rebuilt
	CSS      bool     // pages were told to swap stylesheets instead of reloading
	Problems []problem.Problem
	Written  int // files written
	Removed  int // files removed
	Elapsed  time.Duration
}

// Server is a preview server. Run it once.
type Server struct {
	opts      Options
	hub       *livereload.Hub
	files     store
	ready     chan struct{} // closed when the first build is served, or Run ends
	readyOnce sync.Once
	early     *early       // answers requests until ready, from Run's start
	search    *searchIndex // nil without Pagefind
	// run tells this server's versions from an earlier run's: a tab left
	// open at "1" while the preview restarted must still reload.
	run string

	mu      sync.RWMutex
	allowed func(host string) bool

	// logged are the warnings and notes the log showed after the last
	// build: a rebuild prints only those that are new (errors every time).
	logged map[problem.Problem]bool
}

// New returns a Server for the site in opts.Dir.
func New(opts Options) *Server {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.FS == nil {
		opts.FS = os.DirFS(opts.Dir)
	}
	var idx *searchIndex
	if opts.Pagefind != "" {
		idx = newSearchIndex(opts.Pagefind, opts.SearchQuiet)
	}
	return &Server{
		search:  idx,
		opts:    opts,
		hub:     livereload.New(),
		ready:   make(chan struct{}),
		early:   newEarly(),
		allowed: func(string) bool { return false },
		run:     strconv.FormatInt(time.Now().UnixNano(), 36),
	}
}

// version is the name pages and the event stream use for build n.
func (s *Server) version(n int) string { return s.run + "." + strconv.Itoa(n) }

// earlyVersion is the version of pages served before the first build is,
// after gen batches of changes.
func (s *Server) earlyVersion(gen int) string { return s.run + ".0-" + strconv.Itoa(gen) }

// Ready is closed when the first build is being served (or Run has ended).
func (s *Server) Ready() <-chan struct{} { return s.ready }

func (s *Server) markReady() { s.readyOnce.Do(func() { close(s.ready) }) }

// Run serves on ln until ctx is done, then shuts down cleanly: open event
// streams end, requests in flight finish, and Run returns nil. It returns
// an error when the watcher cannot start or the listener fails.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	defer s.markReady()
	s.mu.Lock()
	s.allowed = hostChecker(ln.Addr())
	s.mu.Unlock()
	// Links in pages are relative; absolute URLs (canonical, feeds) point
	// at the preview itself. The builds give way to requests building
	// report pages during the first one.
	builder := site.NewBuilder(site.Options{
		FS: yieldFS(s.opts.FS, s.early), Preview: true, Cache: s.opts.Cache,
		Search:  s.search != nil,
		BaseURL: "http://" + ln.Addr().String() + "/",
	})
	root, err := filepath.Abs(s.opts.Dir)
	if err != nil {
		ln.Close()
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches, err := watch.Watch(ctx, watch.Options{
		Roots: []string{filepath.Join(root, "content"), filepath.Join(root, "themes")},
		Quiet: s.opts.Quiet,
		Poll:  s.opts.Poll,
	})
	if err != nil {
		ln.Close()
		return err
	}

	// Requests build report pages on their own until the first build is
	// served. Tabs left open by an earlier run reload at once.
	s.early.start(builder.Single(s.opts.FS))
	s.hub.Reload(s.earlyVersion(0))
	srv, limited := httpServer(s, ln, defaultLimits)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(limited) }()

	b := &building{builder: builder}
	if changed, full, ok := s.firstBuild(ctx, b, root, batches); ok && (len(changed) > 0 || full) {
		s.rebuild(ctx, b, changed, full)
	}
	s.markReady()
	s.early.release()
	// Search indexes the site as served, in the background.
	var searched chan struct{}
	if s.search != nil {
		searched = make(chan struct{})
		go func() { defer close(searched); s.search.run(ctx, s) }()
	}

	// A full build when an embargo ends: the report's banner goes, and it
	// is listed as a clean build at that moment would list it.
	embargo := time.NewTimer(time.Hour)
	defer embargo.Stop()
	schedule := func() {
		embargo.Stop()
		if next := builder.NextEmbargo(); !next.IsZero() {
			embargo.Reset(time.Until(next) + time.Second)
		}
	}
	schedule()

	var serveErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case serveErr = <-served:
			break loop
		case batch, ok := <-batches:
			if !ok {
				break loop
			}
			if batch.Err != nil {
				fmt.Fprintf(s.opts.Log, "watch: %v\n", batch.Err)
			}
			changed := relative(root, batch.Paths)
			if len(changed) == 0 && !batch.Full {
				continue
			}
			s.rebuild(ctx, b, changed, batch.Full)
			schedule()
		case <-embargo.C:
			s.rebuild(ctx, b, nil, true)
			schedule()
		}
	}
	if searched != nil {
		cancel()
		<-searched
	}
	// The event streams never end by themselves: close them first, so that
	// Shutdown does not wait for them.
	s.hub.Close()
	shutdown, done := context.WithTimeout(context.Background(), 2*time.Second)
	defer done()
	if err := srv.Shutdown(shutdown); err != nil {
		srv.Close()
	}
	if serveErr != nil && serveErr != http.ErrServerClosed {
		return serveErr
	}
	return nil
}

// relative turns watched paths into slash paths relative to the site root.
func relative(root string, paths []string) []string {
	var rel []string
	for _, p := range paths {
		r, err := filepath.Rel(root, p)
		if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			continue
		}
		rel = append(rel, filepath.ToSlash(r))
	}
	return rel
}

// building is the build state Run owns.
type building struct {
	builder *site.Builder
	// stale is set when the store may hold files that no longer belong
	// to the site (a failed full build kept them, or a build panicked):
	// the next build is a full one and replaces the store.
	stale bool
}

// firstBuild runs the first build while s.early serves report pages, and
// publishes it. Changes the watcher reports meanwhile reload the pages
// served early and are returned (changed, and full for a change that may
// have been missed), for a rebuild before the server is ready. ok is false
// when ctx ended.
func (s *Server) firstBuild(ctx context.Context, b *building, root string, batches <-chan watch.Batch) (changed []string, full, ok bool) {
	start := time.Now()
	st := newStaging()
	type outcome struct {
		res  *site.Result
		full bool
		err  error
	}
	done := make(chan outcome, 1)
	go func() {
		res, full, err := s.runBuild(ctx, b.builder, st, nil, true)
		done <- outcome{res, full, err}
	}()
	for {
		select {
		case o := <-done:
			if ctx.Err() != nil {
				return nil, false, false
			}
			s.publish(b, st, nil, o.res, o.full, o.err, start, true)
			return changed, full, true
		case batch, open := <-batches:
			if !open {
				batches = nil // Run's loop sees the end
				continue
			}
			if batch.Err != nil {
				fmt.Fprintf(s.opts.Log, "watch: %v\n", batch.Err)
			}
			paths := relative(root, batch.Paths)
			s.hub.Reload(s.earlyVersion(s.early.change(paths, batch.Full)))
			changed = append(changed, paths...)
			full = full || batch.Full
		}
	}
}

// rebuild brings the served site up to date and tells the pages.
func (s *Server) rebuild(ctx context.Context, b *building, changed []string, full bool) {
	start := time.Now()
	full = full || b.stale || len(changed) == 0
	st := newStaging()
	res, full, err := s.runBuild(ctx, b.builder, st, changed, full)
	if ctx.Err() != nil {
		return // shutting down: the build was cut short
	}
	s.publish(b, st, changed, res, full, err, start, false)
}

// publish switches the served site to a finished build and tells the
// pages. first is set for the first build, whose pages may have been
// served early (see early).
func (s *Server) publish(b *building, st *staging, changed []string, res *site.Result, full bool, err error, start time.Time, first bool) {
	problems := res.Problems
	if err != nil && len(problem.Errors(problems, false)) == 0 {
		// Not a content problem (an output failure, a panic): show it all the same.
		problems = append(slices.Clone(problems), problem.Problem{Text: err.Error()})
	}

	_, before := s.files.state()
	var version int
	switch {
	case full && err == nil:
		version = s.files.replace(st.files, problems)
		b.stale = false
	case full:
		var kept bool
		version, kept = s.files.overlay(st.files, problems)
		// After a panic the builder's record is not to be trusted either.
		b.stale = kept || errors.As(err, new(panicError))
	default:
		version = s.files.apply(st.files, res.Removed, problems)
	}
	same := first && s.early.publish(st)

	css := cssOnly(changed) && !b.stale && slices.Equal(before, problems)
	switch {
	case same && len(problems) == 0:
		// The pages served early are this build's pages, and it is clean:
		// they take its version without reloading (their stylesheets are
		// the build's, so the swap changes nothing). A page served early
		// that connects later reloads once, on the version check.
		s.hub.CSS(s.version(version), s.stylesheets())
	case css:
		// Only stylesheets changed, and the overlay and warnings with them
		// did not: pages swap the stylesheets in place, keeping the
		// reader's place without a reload.
		s.hub.CSS(s.version(version), s.stylesheets())
	default:
		s.hub.Reload(s.version(version))
	}

	out := Build{
		Version: version, Changed: changed, Full: full, CSS: css, Problems: problems,
		Written: len(st.files), Removed: len(res.Removed), Elapsed: time.Since(start),
	}
	errs := len(problem.Errors(problems, false))
	verb := "rebuilt"
	if version == 1 {
		verb = "built"
	}
	var show []problem.Problem
	if slices.Equal(before, problems) && s.logged != nil {
		// The same problems as the last build (most edits of a large site
		// with thousands of warnings): its errors again, no new warning,
		// and no map of them all to make again.
		show = problem.Errors(problems, false)
	} else {
		logged := make(map[problem.Problem]bool, len(problems))
		for _, p := range problems {
			if p.Severity != problem.Error {
				logged[p] = true
				if s.logged[p] {
					continue
				}
			}
			show = append(show, p)
		}
		s.logged = logged
	}
	again := ""
	if n := len(problems) - len(show); n > 0 {
		again = fmt.Sprintf(", %d as before", n)
	}
	fmt.Fprintf(s.opts.Log, "%s %d files in %s (%s, %s%s)\n", verb, out.Written, out.Elapsed.Round(time.Millisecond),
		count(errs, "error"), count(len(problems)-errs, "warning"), again)
	for _, p := range show {
		fmt.Fprintf(s.opts.Log, "  %s\n", p)
	}
	if s.search != nil {
		s.search.published()
	}
	if s.opts.OnBuild != nil {
		s.opts.OnBuild(out)
	}
}

// runBuild runs one build or rebuild, turning a panic into an error: a bug
// met by one file must not take the preview down.
func (s *Server) runBuild(ctx context.Context, builder *site.Builder, out site.Output, changed []string, full bool) (res *site.Result, wasFull bool, err error) {
	defer func() {
		if v := recover(); v != nil {
			res, wasFull, err = &site.Result{}, true, panicError{v}
		}
		if res == nil {
			res = &site.Result{}
		}
	}()
	if full {
		res, err = builder.Build(ctx, out)
		return res, true, err
	}
	return builder.Rebuild(ctx, changed, out)
}

// panicError is a panic recovered from a build.
type panicError struct{ v any }

func (e panicError) Error() string { return fmt.Sprintf("internal error while building: %v", e.v) }

// cssOnly reports whether every change is a theme stylesheet.
func cssOnly(changed []string) bool {
	if len(changed) == 0 {
		return false
	}
	for _, p := range changed {
		if !strings.HasPrefix(p, "themes/") || path.Ext(p) != ".css" {
			return false
		}
	}
	return true
}

// stylesheets returns the site paths of the current stylesheets.
func (s *Server) stylesheets() []string {
	var css []string
	for _, name := range s.files.names() {
		if strings.HasPrefix(name, "assets/") && path.Ext(name) == ".css" {
			css = append(css, "/"+name)
		}
	}
	return css
}

// current returns the version of the site being served.
func (s *Server) current() int {
	v, _ := s.files.state()
	return v
}

// Problems returns the problems of the build being served.
func (s *Server) Problems() []problem.Problem {
	_, problems := s.files.state()
	return slices.Clone(problems)
}

// ServeHTTP answers from the in-memory site.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	allowed := s.allowed
	s.mu.RUnlock()
	if !allowed(r.Host) {
		http.Error(w, "dateline serve: host not allowed", http.StatusForbidden)
		return
	}
	if r.URL.Path == EventsPath {
		if o := r.Header.Get("Origin"); o != "" && !sameOrigin(o, r.Host) {
			http.Error(w, "dateline serve: origin not allowed", http.StatusForbidden)
			return
		}
		s.hub.ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, dir, ok := sitePath(r.URL)
	select {
	case <-s.ready:
	default:
		if ok && s.serveEarly(w, r, name, dir) {
			return
		}
		select {
		case <-s.ready:
		case <-r.Context().Done():
			return
		}
	}

	status := http.StatusOK
	if ok && !dir && !s.files.has(name) && s.files.has(name+"/index.html") {
		// A folder asked for without its trailing slash.
		redirectDir(w, r)
		return
	}
	data, version, problems, found := s.files.get(name)
	if ok && !found && s.search != nil {
		// Pagefind's bundles, from the last index.
		if data, found = s.search.get(name); found {
			version, problems = s.files.state()
		}
	}
	if !ok || !found {
		status = http.StatusNotFound
		name = s.notFound(r.URL.Path)
		data, version, problems, found = s.files.get(name)
		if !found {
			data = []byte("<!doctype html><html><head><meta charset=utf-8><title>404</title></head><body><h1>404</h1><p>Not found · 未找到</p></body></html>")
		}
	}
	s.write(w, r, status, name, data, s.version(version), problems)
}

// serveEarly answers a request while the first build runs, if what it asks
// for is final (see early); it reports whether it answered (or the client
// went away). When it did not, the request waits for the first build.
func (s *Server) serveEarly(w http.ResponseWriter, r *http.Request, name string, dir bool) bool {
	a, err := s.early.lookup(r.Context(), s, name, dir)
	switch {
	case err != nil:
		return true
	case a.wait:
		return false
	case a.redirect:
		redirectDir(w, r)
		return true
	}
	s.write(w, r, http.StatusOK, name, a.data, a.version, a.problems)
	return true
}

// redirectDir sends a folder asked for without its trailing slash to the
// path with it: relative links in its page need the slash.
func redirectDir(w http.ResponseWriter, r *http.Request) {
	to := r.URL.Path + "/"
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, to, http.StatusFound)
}

// write sends a site file, an HTML page with the live-reload script (and
// the build's problems) at version.
func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, name string, data []byte, version string, problems []problem.Problem) {
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" && path.Ext(name) == ".ico" {
		ctype = "image/x-icon" // the favicon; not in Go's own table
	}
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	if path.Ext(name) == ".html" {
		data = inject(data, version, problems)
		if s.search != nil && isSearchPage(name) && s.search.stale(s.current()) {
			data = bytes.Replace(data, []byte("</head>"), []byte(staleNotice+"</head>"), 1)
		}
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// sitePath maps a request URL to the name of a site file: a path ending in
// "/" names the folder's index.html (dir is true). ok is false for a path
// no built file can have: not in canonical form (dot segments, doubled
// slashes), holding a backslash or NUL, or sent with an encoded slash or
// backslash (%2f, %5c), which a decoded path would hide.
func sitePath(u *url.URL) (name string, dir, ok bool) {
	p := u.Path
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false, false
	}
	if raw := strings.ToLower(u.RawPath); strings.Contains(raw, "%2f") || strings.Contains(raw, "%5c") {
		return "", false, false
	}
	if p == "/" {
		return "index.html", true, true
	}
	trimmed, dir := strings.CutSuffix(p, "/")
	if path.Clean(trimmed) != trimmed {
		return "", false, false
	}
	name = trimmed[1:]
	if !fs.ValidPath(name) {
		return "", false, false
	}
	if dir {
		name += "/index.html"
	}
	return name, dir, true
}

// notFound picks the 404 page in the language the path asks for.
func (s *Server) notFound(urlPath string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(urlPath, "/"), "/")
	if first != "" && fs.ValidPath(first) && s.files.has(first+"/404.html") {
		return first + "/404.html"
	}
	return "404.html"
}

// shownProblems is the most errors, and the most warnings, a served page
// lists; the terminal has them all. A large site can have thousands of
// warnings (a stale translation each), and every page, and every poll of
// it, would carry megabytes of them.
const shownProblems = 100

// inject adds the live-reload script and, when the build has problems, the
// error overlay and warnings panel to a served page (the first
// shownProblems of each kind, and how many more). Build output never
// contains either.
func inject(page []byte, version string, problems []problem.Problem) []byte {
	var b bytes.Buffer
	// Counted, and the first shownProblems of each kind kept: a large
	// site's 20,000 warnings copied on every request were most of what a
	// poll of a page cost.
	var errs, warns []problem.Problem
	nerrs, nwarns := 0, 0
	for _, p := range problems {
		if p.Severity == problem.Error {
			if nerrs++; nerrs <= shownProblems {
				errs = append(errs, p)
			}
		} else if nwarns++; nwarns <= shownProblems {
			warns = append(warns, p)
		}
	}
	if nerrs > 0 {
		b.WriteString(`<div id="dateline-overlay" role="alertdialog" aria-modal="false" aria-labelledby="dateline-overlay-title" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem">`)
		fmt.Fprintf(&b, `<h2 id="dateline-overlay-title" style="color:#ff8a80;font-size:1.2rem;margin:0 0 1rem">Build failed · 构建失败 (%d)</h2><ul style="margin:0;padding-left:1.2rem">`, nerrs)
		for _, p := range errs {
			fmt.Fprintf(&b, `<li class="dateline-problem" style="margin:.3rem 0;white-space:pre-wrap">%s</li>`, html.EscapeString(p.String()))
		}
		if n := nerrs - shownProblems; n > 0 {
			fmt.Fprintf(&b, `<li class="dateline-more" style="margin:.3rem 0">… %s more in the terminal · 其余 %d 条见终端</li>`, count(n, "error"), n)
		}
		b.WriteString(`</ul><p style="color:#bbb;margin-top:1.5rem">Fix the file and save: this page reloads by itself. · 修正后保存，页面会自动刷新。</p></div>`)
	}
	if nwarns > 0 {
		fmt.Fprintf(&b, `<details id="dateline-warnings" style="position:fixed;right:.5rem;bottom:.5rem;z-index:2147483646;max-width:min(40rem,95vw);max-height:50vh;overflow:auto;background:#fffbe6;color:#3d3000;border:1px solid #c9a800;border-radius:6px;padding:.4rem .8rem;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace"><summary style="cursor:pointer">%s · %d 条警告</summary><ul style="margin:.4rem 0;padding-left:1.1rem">`, count(nwarns, "warning"), nwarns)
		for _, p := range warns {
			fmt.Fprintf(&b, `<li class="dateline-problem">%s</li>`, html.EscapeString(p.String()))
		}
		if n := nwarns - shownProblems; n > 0 {
			fmt.Fprintf(&b, `<li class="dateline-more">… %s more in the terminal · 其余 %d 条见终端</li>`, count(n, "warning"), n)
		}
		b.WriteString(`</ul></details>`)
	}
	b.WriteString(string(livereload.Script(EventsPath, version)))
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+b.Len())
	out = append(out, page[:i]...)
	out = append(out, b.Bytes()...)
	return append(out, page[i:]...)
}

// sameOrigin reports whether an Origin header names the origin of a page
// served at host: http://host, nothing else ("null" included).
func sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Scheme == "http" && u.User == nil && u.Path == "" && strings.EqualFold(u.Host, host)
}

// hostChecker returns the Host header check for a server listening on addr.
// On a loopback address only loopback names are accepted (localhost and
// loopback IPs); on any other address IP literals, localhost and the
// machine's name. A name that DNS could point anywhere never passes.
func hostChecker(addr net.Addr) func(string) bool {
	tcp, _ := addr.(*net.TCPAddr)
	loopback := tcp != nil && tcp.IP.IsLoopback()
	hostname, _ := os.Hostname()
	return func(hostport string) bool {
		host, _, err := net.SplitHostPort(hostport)
		if err != nil {
			host = hostport
		}
		host = strings.Trim(host, "[]")
		if strings.EqualFold(host, "localhost") {
			return true
		}
		if ip := net.ParseIP(host); ip != nil {
			return !loopback || ip.IsLoopback()
		}
		return !loopback && hostname != "" && strings.EqualFold(host, hostname)
	}
}

// count returns "1 error", "2 errors".
func count(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
