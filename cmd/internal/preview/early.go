package preview

import (
	"bytes"
	"context"
	"io/fs"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/site"
)

// early answers requests while the first build runs (see "Building" in the
// package doc). A request for a report page builds that report on its own
// (site.Single) and gets the page just built; the photos, files and theme
// assets such builds wrote are served too (their names carry a hash of
// their content, so they are never stale). Anything else waits for the
// first build to be served.
type early struct {
	mu     sync.Mutex
	single *site.Single      // nil before Run sets it and after release
	files  map[string][]byte // what single builds wrote, pages excepted
	// gen counts the batches of changes the watcher reported: a page built
	// while one came in is built again before it is served.
	gen int
	// pages holds the pages served at gen before the first build was
	// published, to compare with the build's.
	pages     map[string][]byte
	published bool // the store holds the first build

	building atomic.Int32  // requests building a report now
	idle     chan struct{} // closed when building drops to zero
}

func newEarly() *early {
	return &early{files: map[string][]byte{}, pages: map[string][]byte{}}
}

// start lets requests build reports with single.
func (e *early) start(single *site.Single) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.single = single
}

// release ends early serving (the server is ready) and frees its files.
func (e *early) release() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.single, e.files, e.pages = nil, nil, nil
}

// change takes note of a batch of changed site paths (slash, relative to
// the site) and returns the new generation. A change outside the report
// folders (site.toml, the theme) makes the next builds read the site's
// setup again.
func (e *early) change(paths []string, full bool) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.gen++
	clear(e.pages)
	setup := full
	for _, p := range paths {
		rest, ok := strings.CutPrefix(p, "content/")
		slug, _, nested := strings.Cut(rest, "/")
		if !ok || !nested && (slug == "" || path.Ext(slug) != "") {
			setup = true
		}
	}
	if setup && e.single != nil {
		e.single = e.single.Fresh()
	}
	return e.gen
}

// publish notes that the store holds the first build, whose files are st's,
// and reports whether every page served early at the current generation is
// byte for byte the build's.
func (e *early) publish(st *staging) (same bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.published = true
	st.mu.Lock()
	defer st.mu.Unlock()
	for name, data := range e.pages {
		if built, ok := st.files[name]; !ok || !bytes.Equal(built, data) {
			return false
		}
	}
	return true
}

// answer is what early found for a request.
type answer struct {
	data     []byte
	version  string
	problems []problem.Problem
	redirect bool // the name is a report's folder asked for without its slash
	wait     bool // nothing to serve before the first build is: wait for it
}

// lookup answers for name (as sitePath gives it) if it can.
func (e *early) lookup(ctx context.Context, s *Server, name string, dir bool) (answer, error) {
	slug := reportSlug(name)
	if slug == "" && !dir {
		slug = reportSlug(name + "/index.html")
	}
	if !content.ValidSlug(slug) {
		e.mu.Lock()
		defer e.mu.Unlock()
		if data, ok := e.files[name]; ok {
			return e.label(s, answer{data: data}), nil
		}
		return answer{wait: true}, nil
	}
	// A change reported while the report was being built may not be in
	// the page: build it again (a few times at most, then wait).
	for range 3 {
		e.mu.Lock()
		single, gen := e.single, e.gen
		e.mu.Unlock()
		if single == nil {
			break
		}
		built := newStaging()
		e.busy()
		_, err := single.Report(ctx, slug, built)
		e.done()
		if err != nil {
			if ctx.Err() != nil {
				return answer{}, ctx.Err()
			}
			break
		}
		e.mu.Lock()
		if e.gen != gen || e.single == nil {
			e.mu.Unlock()
			continue
		}
		for n, data := range built.files {
			if path.Ext(n) != ".html" {
				e.files[n] = data
			}
		}
		a := answer{wait: true}
		if _, ok := built.files[name+"/index.html"]; ok && !dir {
			a = answer{redirect: true}
		} else if data, ok := built.files[name]; ok {
			a = e.label(s, answer{data: data})
			if !e.published {
				e.pages[name] = data
			}
		}
		e.mu.Unlock()
		return a, nil
	}
	return answer{wait: true}, nil
}

// label gives an answer the version and problems to serve it with: before
// the first build is published, a version of the generation's own and no
// problems (none are known); after, the store's. e.mu is held.
func (e *early) label(s *Server, a answer) answer {
	if e.published {
		v, problems := s.files.state()
		a.version, a.problems = s.version(v), problems
	} else {
		a.version = s.earlyVersion(e.gen)
	}
	return a
}

// reportSlug returns the slug of a report page's name ("zh/river/index.html"
// → "river"), or "" for a name of another shape.
func reportSlug(name string) string {
	rest, ok := strings.CutSuffix(name, "/index.html")
	if !ok {
		return ""
	}
	lang, slug, ok := strings.Cut(rest, "/")
	if !ok || lang == "" || slug == "" || strings.Contains(slug, "/") {
		return ""
	}
	return slug
}

// yielding is the file system the first build reads: while requests build
// reports of their own, the build waits before it reads a file (a while
// at most, so that a stream of requests cannot stall it), so that the page
// an editor waits for gets the cores first. It reads what fsys reads:
// yieldingLinks keeps fsys's symbolic-link interface, which decides how
// content treats links.
type yielding struct {
	fs.FS
	e *early
}

// yieldFS returns fsys for the first build.
func yieldFS(fsys fs.FS, e *early) fs.FS {
	y := yielding{FS: fsys, e: e}
	if _, ok := fsys.(fs.ReadLinkFS); ok {
		return yieldingLinks{y}
	}
	return y
}

func (y yielding) Open(name string) (fs.File, error) {
	y.e.yield()
	return y.FS.Open(name)
}

func (y yielding) ReadFile(name string) ([]byte, error) {
	y.e.yield()
	return fs.ReadFile(y.FS, name)
}

func (y yielding) ReadDir(name string) ([]fs.DirEntry, error) {
	y.e.yield()
	return fs.ReadDir(y.FS, name)
}

func (y yielding) Stat(name string) (fs.FileInfo, error) {
	y.e.yield()
	return fs.Stat(y.FS, name)
}

type yieldingLinks struct{ yielding }

func (y yieldingLinks) ReadLink(name string) (string, error) {
	y.e.yield()
	return fs.ReadLink(y.FS, name)
}

func (y yieldingLinks) Lstat(name string) (fs.FileInfo, error) {
	y.e.yield()
	return fs.Lstat(y.FS, name)
}

// maxYield bounds one wait of the first build for requests.
const maxYield = 200 * time.Millisecond

// yield waits while requests build reports, maxYield at most.
func (e *early) yield() {
	if e.building.Load() == 0 {
		return
	}
	e.mu.Lock()
	idle := e.idle
	e.mu.Unlock()
	if idle == nil {
		return
	}
	t := time.NewTimer(maxYield)
	defer t.Stop()
	select {
	case <-idle:
	case <-t.C:
	}
}

// busy and done bracket a request's build of a report.
func (e *early) busy() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.building.Add(1) == 1 {
		e.idle = make(chan struct{})
	}
}

func (e *early) done() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.building.Add(-1) == 0 {
		close(e.idle)
		e.idle = nil
	}
}
