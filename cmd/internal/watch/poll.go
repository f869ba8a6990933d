package watch

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// walk is filepath.WalkDir that also walks a top folder reached through a
// symbolic link (a theme linked in from elsewhere). Links below the top
// are not followed, so a link loop cannot trap it.
func walk(top string, fn fs.WalkDirFunc) error {
	start := top
	if fi, err := os.Lstat(top); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		start = top + string(filepath.Separator) // the walk resolves the link
	}
	return filepath.WalkDir(start, func(path string, d fs.DirEntry, err error) error {
		if path == start {
			path = top
		}
		return fn(path, d, err)
	})
}

// A poller finds changes by comparing scans of the roots, for file systems
// that send no events (network shares, some container mounts).
type poller struct {
	filter
}

// A stat is what a scan remembers of one path.
type stat struct {
	mod  time.Time
	size int64
	dir  bool
}

// run scans every interval until ctx is done, then closes changes.
func (p *poller) run(ctx context.Context, interval time.Duration, prev map[string]stat, changes chan<- change) {
	defer close(changes)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		next := p.snapshot()
		for _, c := range diff(prev, next) {
			select {
			case changes <- c:
			case <-ctx.Done():
				return
			}
		}
		prev = next
	}
}

// snapshot scans the roots, skipping what the filter ignores.
func (p *poller) snapshot() map[string]stat {
	s := map[string]stat{}
	for _, root := range p.roots {
		fi, err := os.Stat(root)
		if err != nil {
			continue
		}
		if !fi.IsDir() {
			s[root] = stat{mod: fi.ModTime(), size: fi.Size()}
			continue
		}
		walk(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if d != nil && d.IsDir() && path != root {
					return fs.SkipDir
				}
				return nil
			}
			if path != root && p.ignored(root, path) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				s[path] = stat{dir: true}
				return nil
			}
			if fi, err := d.Info(); err == nil {
				s[path] = stat{mod: fi.ModTime(), size: fi.Size()}
			}
			return nil
		})
	}
	return s
}

// diff returns the changes from one scan to the next: paths created,
// removed or turned from file to folder or back, and files whose time or
// size changed (a folder's own time changes with its entries, which are
// reported themselves).
func diff(prev, next map[string]stat) []change {
	var cs []change
	for path, n := range next {
		if o, ok := prev[path]; !ok || o.dir != n.dir || !n.dir && (!o.mod.Equal(n.mod) || o.size != n.size) {
			cs = append(cs, change{path: path})
		}
	}
	for path := range prev {
		if _, ok := next[path]; !ok {
			cs = append(cs, change{path: path})
		}
	}
	return cs
}
