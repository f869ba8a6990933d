// Package watch reports changes to a site's files as batches of paths, for
// `dateline serve`.
//
// Watch watches folders, never single files: editors save by writing a temp
// file and renaming it over the original (vim with backupcopy=no, Helix,
// Sublime Text, JetBrains IDEs), which would end a watch on the file itself.
// A watched root that is a file (site.toml) is watched through its folder;
// a root that does not exist yet is watched through its nearest existing
// ancestor, so its creation is seen.
//
// Folders are watched recursively: every folder under a root is added at
// the start, and a folder created later is added and scanned at once, so the
// files written into it before its watch existed (mkdir -p a/b; write
// a/b/x.md) are reported too.
//
// Events are debounced: a batch is sent when no event came for Options.Quiet
// (the window restarts on every event) or when Options.MaxWait has passed
// since the first event of the burst, whichever is first. A burst that
// leaves one of its paths missing or empty when its quiet window ends may be
// a save caught halfway (the old file renamed away and the new one not yet
// in place, or a file truncated and not yet written): it waits for the
// longer Options.Settle instead, so the consumer does not see the report
// vanish for one rebuild. While the consumer is busy, later batches are
// merged into the one waiting to be taken, so a slow rebuild is followed by
// one batch, not a queue of them.
//
// What is never reported: chmod-only events; hidden names (any path element
// under a root starting with "."; this covers .git, .DS_Store, vim's
// .x.md.swp, emacs's .#x.md and GNOME's .goutputstream-*); editors' temp and
// backup files (see ignoredName); paths for which Options.Ignore returns
// true (and, for a folder, everything under it). A file created and gone
// again within one burst is still reported: the consumer may have read it
// while it existed (a build for the batch before reads the files after
// that batch was sent), and only the report of its removal tells it.
package watch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Defaults for Options.Quiet, Options.Settle and Options.MaxWait.
const (
	// DefaultQuiet is long enough for the events of one save (open,
	// truncate, write; or write a temp file and rename it over) to come
	// in, which an editor does within a millisecond, and short enough that
	// the preview's edit-to-page time is mostly the rebuild.
	DefaultQuiet = 5 * time.Millisecond
	// DefaultSettle is the quiet window of a burst that left a path
	// missing or empty: long enough to see an editor's rename-away-then-
	// write save through on a busy machine.
	DefaultSettle = 15 * time.Millisecond
	// DefaultMaxWait caps a batch when events never stop (a `git checkout`
	// of a large tree, a generator writing many files).
	DefaultMaxWait = 250 * time.Millisecond
)

// Options configure Watch.
type Options struct {
	// Roots are the folders and files to watch (content/, themes/,
	// site.toml). A root that does not exist yet is fine.
	Roots []string
	// Ignore, when set, reports paths (absolute) that must not be watched
	// or reported, such as the output folder.
	Ignore func(path string) bool
	// Quiet is how long a burst of events must go quiet before its batch is
	// sent; zero means DefaultQuiet.
	Quiet time.Duration
	// Settle is how long a burst must go quiet when, at the end of Quiet,
	// one of its paths is missing or an empty file; zero means
	// DefaultSettle. It is never shorter than Quiet.
	Settle time.Duration
	// MaxWait caps how long a batch collects events; zero means
	// DefaultMaxWait.
	MaxWait time.Duration
	// Poll, when positive, scans the roots at this interval, comparing
	// modification times and sizes, instead of using fsnotify (for network
	// and container file systems that send no events).
	Poll time.Duration
}

// A Batch is one debounced burst of changes.
type Batch struct {
	// Paths are the changed paths, absolute, cleaned, sorted and without
	// duplicates: files written, created, removed or renamed, and folders
	// created, removed or renamed (a path may name a folder; treat it as
	// everything under it changed).
	Paths []string
	// Full is set when changes may have been missed (a watcher error such
	// as a kernel queue overflow): the consumer should rebuild everything.
	Full bool
	// Err is the watcher error behind Full, for the log; it is not fatal
	// and the watch goes on.
	Err error
}

// Watch watches opts.Roots and sends a Batch on the returned channel for
// every burst of changes. Its goroutines end, and the channel is closed,
// when ctx is done; a batch not yet taken then is dropped. Watch returns an
// error up front when the watcher cannot start, with the remedy when a
// kernel limit is hit.
func Watch(ctx context.Context, opts Options) (<-chan Batch, error) {
	if len(opts.Roots) == 0 {
		return nil, errors.New("watch: no folders to watch")
	}
	roots := make([]string, 0, len(opts.Roots))
	for _, r := range opts.Roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			return nil, fmt.Errorf("watch %s: %w", r, err)
		}
		if !slices.Contains(roots, abs) {
			roots = append(roots, abs)
		}
	}
	quiet, settle, maxWait := opts.Quiet, opts.Settle, opts.MaxWait
	if quiet <= 0 {
		quiet = DefaultQuiet
	}
	if settle <= 0 {
		settle = DefaultSettle
	}
	settle = max(settle, quiet)
	if maxWait <= 0 {
		maxWait = DefaultMaxWait
	}
	f := filter{roots: roots, ignore: opts.Ignore}

	if opts.Poll > 0 {
		changes, out := make(chan change), make(chan Batch)
		p := &poller{filter: f}
		prev := p.snapshot()
		go deliver(ctx, changes, out, batcher{quiet: quiet, settle: settle, maxWait: maxWait})
		go p.run(ctx, opts.Poll, prev, changes)
		return out, nil
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, limitError(err, "", os.ReadFile)
	}
	changes, out := make(chan change), make(chan Batch)
	// deliver runs first: setting up may already report a root that
	// appeared meanwhile.
	go deliver(ctx, changes, out, batcher{quiet: quiet, settle: settle, maxWait: maxWait})
	n := &notifier{filter: f, w: w, dirs: map[string]bool{}, changes: changes}
	for _, r := range roots {
		if err := n.ensure(r, false); err != nil {
			w.Close()
			close(changes) // ends deliver
			return nil, err
		}
	}
	go n.run(ctx)
	return out, nil
}

// A change is one event as the producers (notifier, poller) pass it on.
type change struct {
	path string
	err  error // a watcher error: the batch becomes Full
}

// deliver debounces changes into batches and sends them on out. It ends,
// closing out, when changes is closed (the producer ends on ctx).
func deliver(ctx context.Context, changes <-chan change, out chan<- Batch, b batcher) {
	defer close(out)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	var ready *Batch // a batch waiting for the consumer
	done := ctx.Done()
	for {
		var send chan<- Batch
		var next Batch
		if ready != nil && done != nil {
			send, next = out, *ready
		}
		select {
		case c, ok := <-changes:
			if !ok {
				return
			}
			b.add(time.Now(), c)
			timer.Reset(time.Until(b.due()))
		case <-timer.C:
			if later, ok := b.settled(time.Now(), whole); !ok {
				timer.Reset(time.Until(later))
				continue
			}
			if bt, ok := b.take(); ok {
				ready = merge(ready, bt)
			}
		case send <- next:
			ready = nil
		case <-done:
			done = nil // keep draining changes until the producer ends
		}
	}
}

// whole reports whether path exists and, when a file, is not empty.
func whole(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && (fi.IsDir() || fi.Size() > 0)
}

// A batcher collects one burst of changes.
type batcher struct {
	quiet, settle, maxWait time.Duration
	paths                  map[string]bool // the paths of the burst
	errs                   []error
	full                   bool
	first, last            time.Time
}

func (b *batcher) add(now time.Time, c change) {
	if b.paths == nil {
		b.paths = map[string]bool{}
	}
	if len(b.paths) == 0 && !b.full {
		b.first = now
	}
	b.last = now
	if c.err != nil {
		b.full = true
		b.errs = append(b.errs, c.err)
	}
	if c.path != "" {
		b.paths[c.path] = true
	}
}

// due is when the burst's batch is to be sent: after the quiet window, but
// no later than maxWait after its first event.
func (b *batcher) due() time.Time {
	quiet, capped := b.last.Add(b.quiet), b.first.Add(b.maxWait)
	if capped.Before(quiet) {
		return capped
	}
	return quiet
}

// settled reports whether the burst's batch can be sent at now, when its
// quiet window has ended: every path is whole (exists and, for a file, is
// not empty), or the settle window or maxWait has passed too. When not, it
// returns when to look again.
func (b *batcher) settled(now time.Time, whole func(string) bool) (later time.Time, ok bool) {
	later = b.last.Add(b.settle)
	if capped := b.first.Add(b.maxWait); capped.Before(later) {
		later = capped
	}
	if !now.Before(later) {
		return time.Time{}, true
	}
	for p := range b.paths {
		if !whole(p) {
			return later, false
		}
	}
	return time.Time{}, true
}

// take returns the collected batch and starts a new one. ok is false when
// there is nothing to report.
func (b *batcher) take() (batch Batch, ok bool) {
	for p := range b.paths {
		batch.Paths = append(batch.Paths, p)
	}
	slices.Sort(batch.Paths)
	batch.Full = b.full
	batch.Err = errors.Join(b.errs...)
	clear(b.paths)
	b.errs, b.full = nil, false
	return batch, len(batch.Paths) > 0 || batch.Full
}

// merge adds b to the batch waiting for the consumer.
func merge(ready *Batch, b Batch) *Batch {
	if ready == nil {
		return &b
	}
	paths := append(slices.Clone(ready.Paths), b.Paths...)
	slices.Sort(paths)
	return &Batch{
		Paths: slices.Compact(paths),
		Full:  ready.Full || b.Full,
		Err:   errors.Join(ready.Err, b.Err),
	}
}

// A filter decides which paths belong to the watch.
type filter struct {
	roots  []string
	ignore func(string) bool
}

// root returns the root that holds path (or is it).
func (f filter) root(path string) (string, bool) {
	for _, r := range f.roots {
		if within(path, r) {
			return r, true
		}
	}
	return "", false
}

// wanted reports whether path is under a root and not ignored.
func (f filter) wanted(path string) bool {
	root, ok := f.root(path)
	return ok && !f.ignored(root, path)
}

// ignored reports whether path, under root, is hidden, an editor's temp
// file or refused by the Ignore option. A root itself is never ignored by
// name.
func (f filter) ignored(root, path string) bool {
	if path != root {
		rel := strings.TrimLeft(path[len(root):], string(filepath.Separator))
		for elem := range strings.SplitSeq(rel, string(filepath.Separator)) {
			if strings.HasPrefix(elem, ".") {
				return true
			}
		}
		if ignoredName(filepath.Base(path)) {
			return true
		}
	}
	return f.ignore != nil && f.ignore(path)
}

// within reports whether path is dir or under it.
func within(path, dir string) bool {
	if path == dir {
		return true
	}
	if !strings.HasPrefix(path, dir) {
		return false
	}
	return strings.HasSuffix(dir, string(filepath.Separator)) || path[len(dir)] == filepath.Separator
}

// ignoredName reports whether a file name is an editor's or a desktop's
// scratch file: vim swap files (*.swp, *.swo, *.swn, *.swx) and its
// write test "4913", backups (*~), emacs lock and autosave files (.#*,
// #*#), *.tmp, JetBrains safe-write files (*___jb_tmp___, *___jb_old___),
// GNOME's .goutputstream-*, macOS .DS_Store and Windows Thumbs.db.
func ignoredName(name string) bool {
	lower := strings.ToLower(name)
	switch {
	case name == "4913", name == ".DS_Store", name == "Thumbs.db":
		return true
	case strings.HasSuffix(name, "~"):
		return true
	case strings.HasPrefix(name, ".#"):
		return true
	case len(name) > 1 && name[0] == '#' && name[len(name)-1] == '#':
		return true
	case strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"):
		return true
	case strings.HasPrefix(name, ".goutputstream-"):
		return true
	}
	switch filepath.Ext(lower) {
	case ".swp", ".swo", ".swn", ".swx", ".tmp":
		return true
	}
	return false
}
