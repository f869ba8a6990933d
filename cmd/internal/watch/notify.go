package watch

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/fsnotify/fsnotify"
)

// A notifier turns fsnotify events into changes, keeping a watch on every
// folder under the roots. Only its run goroutine touches it once Watch has
// returned.
type notifier struct {
	filter
	w       *fsnotify.Watcher
	dirs    map[string]bool // the folders watched
	changes chan<- change
}

// run handles events until ctx is done, then closes the watcher and the
// changes channel.
func (n *notifier) run(ctx context.Context) {
	defer close(n.changes)
	defer n.w.Close() // waits for fsnotify's reader goroutine to end
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-n.w.Events:
			if !ok {
				return
			}
			n.handle(ev)
		case err, ok := <-n.w.Errors:
			if !ok {
				return
			}
			n.changes <- change{err: err}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Folders may have been created unseen: add what is missing.
				for _, r := range n.roots {
					if err := n.ensure(r, false); err != nil {
						n.changes <- change{err: err}
					}
				}
			}
		}
	}
}

// handle passes one event on, keeping the watches in step with the folders.
func (n *notifier) handle(ev fsnotify.Event) {
	if !ev.Has(fsnotify.Create) && !ev.Has(fsnotify.Write) && !ev.Has(fsnotify.Remove) && !ev.Has(fsnotify.Rename) {
		return // chmod only: touch, chmod, a virus scanner's xattrs
	}
	name := filepath.Clean(ev.Name)
	gone := ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)
	if gone {
		n.forget(name)
	}
	for _, r := range n.roots {
		switch {
		case r != name && within(r, name) && ev.Has(fsnotify.Create):
			// A folder on the way to a root that did not exist: follow it.
			n.report(n.ensure(r, true))
		case within(r, name) && gone:
			// A root, or a folder above it, went away: watch for its return.
			n.report(n.ensure(r, false))
		}
	}
	root, ok := n.root(name)
	if !ok || n.ignored(root, name) {
		return
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(name); err == nil && fi.IsDir() {
			n.report(n.addTree(root, name, true))
		}
	}
	n.changes <- change{path: name}
}

// report passes a watcher error on as a change.
func (n *notifier) report(err error) {
	if err != nil {
		n.changes <- change{err: err}
	}
}

// ensure watches root: the whole tree of a folder, the folder of a file,
// or, while it does not exist, its nearest existing ancestor. With report
// set, what it finds is reported.
func (n *notifier) ensure(root string, report bool) error {
	for {
		fi, err := os.Stat(root)
		if err == nil {
			if fi.IsDir() {
				return n.addTree(root, root, report)
			}
			if err := n.addDir(filepath.Dir(root)); err != nil {
				return err
			}
			if report {
				n.changes <- change{path: root}
			}
			return nil
		}
		// Find the nearest existing ancestor and watch it.
		dir := root
		for {
			parent := filepath.Dir(dir)
			if parent == dir {
				return nil // nothing exists: nothing to watch
			}
			dir = parent
			if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
				break
			}
		}
		if err := n.addDir(dir); err != nil {
			return err
		}
		// The root may have been created while the watch was set up;
		// otherwise the watch on dir will tell.
		if _, err := os.Stat(root); err != nil {
			return nil
		}
		report = true
	}
}

// addTree watches dir and every folder under it; with report set, it
// reports everything it finds below dir (it may have been
// written before the watch existed).
func (n *notifier) addTree(root, dir string, report bool) error {
	return walk(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path != dir && d != nil && d.IsDir() {
				return fs.SkipDir // unreadable or gone: skip it
			}
			return nil
		}
		if path != dir && n.ignored(root, path) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			// Watch before the walk reads the folder: whatever is created
			// after this is an event, whatever before is found by the walk.
			if err := n.addDir(path); err != nil {
				return err
			}
		}
		if report && path != dir {
			n.changes <- change{path: path}
		}
		return nil
	})
}

// addDir watches one folder.
func (n *notifier) addDir(dir string) error {
	if n.dirs[dir] {
		return nil
	}
	if err := n.w.Add(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil // gone already; its parent's watch reports that
		}
		return limitError(err, dir, os.ReadFile)
	}
	n.dirs[dir] = true
	return nil
}

// forget drops the watches on path and every folder under it (removed or
// renamed away; a renamed folder keeps its watches under the old names).
func (n *notifier) forget(path string) {
	for d := range n.dirs {
		if within(d, path) {
			delete(n.dirs, d)
			_ = n.w.Remove(d) // the kernel may have dropped it already
		}
	}
}
