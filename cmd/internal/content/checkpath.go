package content

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
)

// A PathChecker says whether a file a report uses (a photo: "content/<slug>/
// photos/x.jpg") may be read: not when some element of its path is a
// symlink leading outside content/. Load reports such links as problems;
// the build asks a PathChecker so that it never reads through them.
//
// A PathChecker serves the files of one build. It remembers the
// verdict on each folder of a path it has checked (content/<slug>/,
// content/<slug>/photos/, …), so that the many photos of a folder cost one
// lstat each instead of one per element of their path. The file itself is
// checked every time (a build reads each file once anyway).
//
// A verdict holds for the life of the PathChecker, so its life must be one
// build: a symlink made after a folder was verified is not seen by the
// same PathChecker. Within one build that is no new hole: the check was
// never atomic with the read that follows it, Load's listing of the
// folders is taken to hold for the build in the same way, and a change
// made during a build is a change for the next one. A build or rebuild
// therefore makes a new PathChecker and never reuses an earlier one:
// that earlier build's verdicts may be stale by the time it starts.
//
// A PathChecker is safe for concurrent use.
type PathChecker struct {
	fsys fs.FS
	dirs sync.Map // folder path → verdict
}

// NewPathChecker returns a PathChecker for fsys, with nothing verified.
func NewPathChecker(fsys fs.FS) *PathChecker {
	return &PathChecker{fsys: fsys}
}

// Check returns nil, or the error when some element of name's path is a
// symlink leading outside content/. A missing file is no error here:
// reading it reports that.
func (c *PathChecker) Check(name string) error {
	_, err := c.Lstat(name)
	return err
}

// A verdict is what checking one element of a path found: go on to the
// next element, or stop and answer err (nil for a missing element, which
// reading the file reports).
type verdict struct {
	stop bool
	err  error
}

// Lstat is Check that also returns what its last lstat found of the file
// itself, when that is a file and not a link: the caller need not stat the
// file again. The FileInfo is nil for a link, a missing file, or a file
// system without links (where nothing is checked).
func (c *PathChecker) Lstat(name string) (fs.FileInfo, error) {

	if _, ok := c.fsys.(fs.ReadLinkFS); !ok {
		return nil, nil
	}
	if !strings.HasPrefix(name, contentDir+"/") {
		return nil, fmt.Errorf("%s is outside %s/", name, contentDir)
	}
	// Each element in turn: cur is name up to the end of the element.
	end := len(contentDir)
	for {
		j := strings.IndexByte(name[end+1:], '/')
		last := j < 0
		if last {
			end = len(name)
		} else {
			end += 1 + j
		}
		cur := name[:end]
		var v verdict
		var info fs.FileInfo
		if !last {
			if got, ok := c.dirs.Load(cur); ok {
				v = got.(verdict)
			} else {
				v, _ = c.element(cur)
				c.dirs.Store(cur, v)
			}
		} else {
			v, info = c.element(cur)
		}
		if v.stop || last {
			return info, v.err
		}
	}
}

// element checks the last element of cur, a path under content/, and
// returns what lstat found of it when it is no link.
func (c *PathChecker) element(cur string) (verdict, fs.FileInfo) {
	info, err := fs.Lstat(c.fsys, cur)
	if err != nil {
		return verdict{stop: true}, nil // missing: reading it reports that
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		if _, prob, ok := followLink(c.fsys, cur); !ok {
			return verdict{stop: true, err: errors.New(prob.Text)}, nil
		}
		return verdict{}, nil
	}
	return verdict{}, info
}
