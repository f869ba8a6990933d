package site

import (
	"context"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"
	"time"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/photo"
	"dateline/cmd/internal/problem"
)

// A Single builds one report's pages on demand, ahead of a full build, the
// way a full build with the same options builds them: a report's pages
// depend on the report's own folder, the theme, site.toml and the build's
// clock (see the package doc), and for its series and onward links on
// the other reports' front matter (series.go): those come from the
// Builder's last index, and a page built before the Builder's first build
// has indexed the site has none. So a report page can be built without
// reading the rest of the site. The preview uses
// it to serve a report page a moment after it starts, while its first full
// build runs.
//
// Every call reads the report and its photos afresh and builds at the
// current clock (Options.Now, when set): a page it writes is never older
// than the report's files when the call began. The theme and site.toml are
// read once, by the first call; after a change to them, use Fresh.
//
// Report may be called from several goroutines at once, and while the
// Builder it came from builds.
type Single struct {
	opts   Options
	photos *photo.Cache // shared with the Builder; nil with NoDerivatives
	nav    *sharedNav   // the Builder's last nav index

	once   sync.Once
	b      *Builder          // set up; nil when the site cannot be set up
	assets map[string][]byte // the theme's assets, as setup wrote them
}

// Single returns a Single with b's options, sharing b's photo cache (a
// photo derived by one is not derived again by the other), that reads the
// site from fsys (nil: from b's Options.FS). Call it while no build of b
// runs.
func (b *Builder) Single(fsys fs.FS) *Single {
	opts := b.opts
	if fsys != nil {
		opts.FS = fsys
	}
	return &Single{opts: opts, photos: b.photos(), nav: b.shared}
}

// Fresh returns a new Single with the same options and photo cache, which
// reads the theme and site.toml again.
func (s *Single) Fresh() *Single { return &Single{opts: s.opts, photos: s.photos, nav: s.nav} }

// setup reads site.toml and the theme, as a full build does.
func (s *Single) setup() {
	b := &Builder{opts: s.opts, photoCache: s.photos, setup: &setup{}, build: &build{now: time.Now()}}
	if s.photos != nil {
		b.store = s.photos.Store
	}
	mem := &memory{files: map[string][]byte{}}
	if err := b.prepare(mem); err != nil || b.cfg == nil || b.set == nil || problem.Errors(b.global, false) != nil {
		return
	}
	s.b, s.assets = b, mem.files
}

// Report builds the pages of the report content/<slug>/ into out, with
// the theme's assets and the photos and files the pages use, and returns
// the names of everything it wrote. A page of an edition with errors is not
// written (the full build reports them). It writes nothing, and returns no
// names, when there is no such report, when the site cannot be set up
// (site.toml or the theme has errors), or when a file the pages use cannot
// be written. The error is for an output that fails.
func (s *Single) Report(ctx context.Context, slug string, out Output) ([]string, error) {
	s.once.Do(s.setup)
	if s.b == nil {
		return nil, nil
	}
	r, _ := content.LoadReport(ctx, s.opts.FS, s.b.cfg, slug)
	if r == nil {
		return nil, nil
	}
	// A Builder of its own for this call: the files the report uses are
	// read afresh, and the clock is now.
	b := *s.b
	b.build = &build{files: newFiles(s.opts.FS, s.b.files.photos, s.b.min), now: s.opts.Now}
	if b.now.IsZero() {
		b.now = time.Now()
	}
	b.readPhotos(ctx, r.Dir)
	b.nav = s.nav.load()
	mem := &memory{files: map[string][]byte{}}
	st, err := b.buildReport(ctx, r, newCounter(mem))
	if err != nil {
		return nil, err
	}
	for _, f := range st.files {
		if err := f.write(ctx, s.opts.FS, b.files.photos, mem); err != nil {
			return nil, nil
		}
	}
	var names []string
	for _, files := range []map[string][]byte{s.assets, mem.files} {
		for name, data := range files {
			if err := out.WriteFile(name, data); err != nil {
				return nil, err
			}
			names = append(names, name)
		}
	}
	return names, nil
}

// readPhotos reads the photos in a report's folder GOMAXPROCS at a time,
// so that those the photo cache lacks are resized in parallel rather than
// one after the other as the pages refer to them.
func (b *Builder) readPhotos(ctx context.Context, dir string) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	fs.WalkDir(b.opts.FS, dir, func(p string, d fs.DirEntry, err error) error {
		switch ext := strings.ToLower(path.Ext(p)); {
		case err != nil || ctx.Err() != nil:
			return fs.SkipAll
		case !d.IsDir() && (ext == ".jpg" || ext == ".jpeg" || ext == ".png"):
			slots <- struct{}{}
			wg.Go(func() {
				b.files.get(ctx, p)
				<-slots
			})
		}
		return nil
	})
	wg.Wait()
}

// memory is an Output that keeps the files in memory.
type memory struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memory) WriteFile(name string, data []byte) error {
	m.mu.Lock()
	m.files[name] = data
	m.mu.Unlock()
	return nil
}
