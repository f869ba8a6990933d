// Package preview is `dateline serve`: it builds a site into memory, serves
// it over HTTP on loopback, watches the site's files, rebuilds what a change
// touches and tells open pages to reload.
//
// Requests are answered from the in-memory build only, so no path, however
// encoded, reaches a file outside the built site. Every answer checks the
// Host header (and the event stream the Origin header) against the address
// the server listens on, so a web page elsewhere cannot read the preview
// through DNS rebinding. A broken file never stops the server: the problems
// of the current build are shown over every page, and go away by themselves
// when the file is fixed.
package preview

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
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
	Dir  string        // the site folder on disk (holds content/)
	Poll time.Duration // > 0: poll the files at this interval instead of using fsnotify
	// Quiet is the watcher's quiet window: how long after the last event of
	// a burst it rebuilds. Zero means the watcher's default.
	Quiet time.Duration
	Log   io.Writer // progress and problems; nil discards them
	// OnBuild, when set, is called after each build has been published to
	// the server (tests wait on it).
	OnBuild func(Build)
}

// Build describes one finished (re)build as the server published it.
type Build struct {
	Version  int
	Full     bool
	Problems []problem.Problem
	Written  int
	Removed  int
	Elapsed  time.Duration
}

// Server is a running preview.
type Server struct {
	opts    Options
	builder *site.Builder
	hub     *livereload.Hub
	files   store
	ready   chan struct{} // closed when the first build is served

	mu       sync.RWMutex
	problems []problem.Problem
	allowed  func(host string) bool
}

// New returns a Server for the site in opts.Dir.
func New(opts Options) *Server {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	return &Server{
		opts:    opts,
		builder: site.NewBuilder(site.Options{FS: os.DirFS(opts.Dir), Preview: true, BaseURL: ""}),
		hub:     livereload.New(),
		ready:   make(chan struct{}),
		allowed: func(string) bool { return true },
	}
}

// Run serves on ln until ctx is done, then shuts down cleanly.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	s.mu.Lock()
	s.allowed = hostChecker(ln.Addr())
	s.mu.Unlock()
	s.builder = site.NewBuilder(site.Options{
		FS: os.DirFS(s.opts.Dir), Preview: true,
		BaseURL: "http://" + ln.Addr().String() + "/",
	})

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches, err := watch.Watch(ctx, watch.Options{
		Roots: []string{
			filepath.Join(s.opts.Dir, "content"),
			filepath.Join(s.opts.Dir, "themes"),
		},
		Quiet: s.opts.Quiet,
		Poll:  s.opts.Poll,
	})
	if err != nil {
		return err
	}

	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	s.rebuild(ctx, nil, true)
	close(s.ready)

loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case err := <-served:
			return err
		case b, ok := <-batches:
			if !ok {
				break loop
			}
			if b.Err != nil {
				fmt.Fprintf(s.opts.Log, "watch: %v\n", b.Err)
			}
			s.rebuild(ctx, s.relative(b.Paths), b.Full)
		}
	}
	s.hub.Close()
	shutdown, done := context.WithTimeout(context.Background(), 2*time.Second)
	defer done()
	if err := srv.Shutdown(shutdown); err != nil {
		srv.Close()
	}
	return nil
}

// relative turns watched paths into slash paths relative to the site.
func (s *Server) relative(paths []string) []string {
	root, _ := filepath.Abs(s.opts.Dir)
	var rel []string
	for _, p := range paths {
		abs, _ := filepath.Abs(p)
		r, err := filepath.Rel(root, abs)
		if err != nil || strings.HasPrefix(r, "..") {
			continue
		}
		rel = append(rel, filepath.ToSlash(r))
	}
	return rel
}

// rebuild brings the served site up to date and tells the pages.
func (s *Server) rebuild(ctx context.Context, changed []string, full bool) {
	start := time.Now()
	st := newStaging()
	var (
		res *site.Result
		err error
	)
	if full || len(changed) == 0 {
		res, err = s.builder.Build(ctx, st)
		full = true
	} else {
		res, full, err = s.builder.Rebuild(ctx, changed, st)
	}
	if res == nil {
		res = &site.Result{}
	}
	problems := res.Problems
	if err != nil && len(problem.Errors(problems, false)) == 0 {
		// Not a content problem (an output failure): show it all the same.
		problems = append(problems, problem.Problem{Text: err.Error()})
	}

	var version int
	switch {
	case full && len(st.files) == 0:
		// The site could not even be set up (a broken site.toml or theme):
		// keep serving the last good build under the error overlay.
		_, version = s.files.snapshot()
	case full:
		version = s.files.replace(st.files)
	default:
		version = s.files.apply(st.files, res.Removed)
	}
	s.mu.Lock()
	s.problems = problems
	s.mu.Unlock()

	if cssOnly(changed) && len(problem.Errors(problems, false)) == 0 {
		// Only stylesheets changed: pages swap them in place, keeping the
		// reader's scroll position without a reload.
		s.hub.CSS(strconv.Itoa(version), s.stylesheets())
	} else {
		s.hub.Reload(strconv.Itoa(version))
	}
	b := Build{Version: version, Full: full, Problems: problems, Written: len(st.files), Removed: len(res.Removed), Elapsed: time.Since(start)}
	errs := len(problem.Errors(problems, false))
	fmt.Fprintf(s.opts.Log, "rebuilt %d files in %s (%d errors, %d warnings)\n", b.Written, b.Elapsed.Round(time.Millisecond), errs, len(problems)-errs)
	for _, p := range problems {
		fmt.Fprintf(s.opts.Log, "  %s\n", p)
	}
	if s.opts.OnBuild != nil {
		s.opts.OnBuild(b)
	}
}

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
	files, _ := s.files.snapshot()
	var css []string
	for name := range files {
		if strings.HasPrefix(name, "assets/css/") && path.Ext(name) == ".css" {
			css = append(css, "/"+name)
		}
	}
	slices.Sort(css)
	return css
}

// Problems returns the problems of the current build.
func (s *Server) Problems() []problem.Problem {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.problems)
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
		if o := r.Header.Get("Origin"); o != "" && !allowed(strings.TrimPrefix(strings.TrimPrefix(o, "http://"), "https://")) {
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
	select {
	case <-s.ready:
	case <-r.Context().Done():
		return
	}

	name, redirect := s.lookup(r.URL.Path)
	if redirect != "" {
		http.Redirect(w, r, redirect, http.StatusFound)
		return
	}
	status := http.StatusOK
	data, version, ok := s.files.get(name)
	if !ok {
		status = http.StatusNotFound
		name = s.notFound(r.URL.Path)
		data, version, ok = s.files.get(name)
		if !ok {
			name, data = "404.html", []byte("<!doctype html><html><head><title>404</title></head><body><h1>404</h1></body></html>")
		}
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	if path.Ext(name) == ".html" {
		data = s.inject(data, version)
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

// lookup maps a request path to a file of the site, or to a redirect for a
// folder asked for without its trailing slash.
func (s *Server) lookup(urlPath string) (name, redirect string) {
	if strings.ContainsAny(urlPath, "\\\x00") {
		return "", ""
	}
	clean := path.Clean("/" + urlPath)
	name = strings.TrimPrefix(clean, "/")
	if strings.HasSuffix(urlPath, "/") {
		if name == "" {
			return "index.html", ""
		}
		return name + "/index.html", ""
	}
	if _, _, ok := s.files.get(name); ok {
		return name, ""
	}
	if _, _, ok := s.files.get(name + "/index.html"); ok && clean == urlPath {
		return "", clean + "/"
	}
	return name, ""
}

// notFound picks the 404 page in the language the path asks for.
func (s *Server) notFound(urlPath string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(urlPath, "/"), "/")
	if fs.ValidPath(first) && first != "" {
		if _, _, ok := s.files.get(first + "/404.html"); ok {
			return first + "/404.html"
		}
	}
	return "404.html"
}

// inject adds the live-reload script and, when the build has problems, the
// error overlay and warnings panel to a served page. Build output never
// contains either.
func (s *Server) inject(page []byte, version int) []byte {
	var b bytes.Buffer
	s.mu.RLock()
	problems := s.problems
	s.mu.RUnlock()
	var errs, warns []problem.Problem
	for _, p := range problems {
		if p.Severity == problem.Error {
			errs = append(errs, p)
		} else {
			warns = append(warns, p)
		}
	}
	if len(errs) > 0 {
		b.WriteString(`<div id="dateline-overlay" role="alertdialog" aria-modal="false" aria-labelledby="dateline-overlay-title" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem">`)
		fmt.Fprintf(&b, `<h2 id="dateline-overlay-title" style="color:#ff8a80;font-size:1.2rem;margin:0 0 1rem">Build failed · 构建失败 (%d)</h2><ul style="margin:0;padding-left:1.2rem">`, len(errs))
		for _, p := range errs {
			fmt.Fprintf(&b, `<li class="dateline-problem" style="margin:.3rem 0;white-space:pre-wrap">%s</li>`, html.EscapeString(p.String()))
		}
		b.WriteString(`</ul><p style="color:#bbb;margin-top:1.5rem">Fix the file and save: this page reloads by itself.</p></div>`)
	}
	if len(warns) > 0 {
		fmt.Fprintf(&b, `<details id="dateline-warnings" style="position:fixed;right:.5rem;bottom:.5rem;z-index:2147483646;max-width:min(40rem,95vw);max-height:50vh;overflow:auto;background:#fffbe6;color:#3d3000;border:1px solid #c9a800;border-radius:6px;padding:.4rem .8rem;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace"><summary style="cursor:pointer">%d warnings · 警告</summary><ul style="margin:.4rem 0;padding-left:1.1rem">`, len(warns))
		for _, p := range warns {
			fmt.Fprintf(&b, `<li class="dateline-problem">%s</li>`, html.EscapeString(p.String()))
		}
		b.WriteString(`</ul></details>`)
	}
	b.WriteString(string(livereload.Script(EventsPath, strconv.Itoa(version))))
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+b.Len())
	out = append(out, page[:i]...)
	out = append(out, b.Bytes()...)
	return append(out, page[i:]...)
}

// hostChecker returns the Host header check for a server listening on addr.
// On a loopback address only loopback names are accepted; on any other
// address IP literals, localhost and the machine's name.
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

// Ready is closed when the first build is being served.
func (s *Server) Ready() <-chan struct{} { return s.ready }
