package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"
)

// Dir is an output folder being written. Files go to a hidden sibling
// folder; Commit swaps it into place in one step, Abort throws it away, so
// a failed or interrupted build leaves the old output exactly as it was.
//
// Dir is safe for concurrent use by the goroutines of one build.
type Dir struct {
	final string // the output folder
	tmp   string // the sibling being written

	mu   sync.Mutex
	made map[string]bool // folders already created under tmp
}

// keep lists files of an existing output folder that a build carries over
// although it does not write them: public/.gitkeep keeps the empty folder in
// a git checkout.
var keep = []string{".gitkeep"}

// Create starts writing the output folder out.
func Create(out string) (*Dir, error) {
	out, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(out); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("output %s is a file, not a folder", out)
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	return &Dir{final: out, tmp: tmp, made: map[string]bool{".": true}}, nil
}

// WriteFile writes one file of the site. name is slash-separated and
// relative to the output folder ("zh/river/index.html").
func (d *Dir) WriteFile(name string, data []byte) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("write %q: not a valid output path", name)
	}
	dir := path.Dir(name)
	d.mu.Lock()
	made := d.made[dir]
	d.mu.Unlock()
	if !made {
		// Outside the lock: creating folders is most of a build's system
		// time, and MkdirAll is safe when two writers race to one folder.
		if err := os.MkdirAll(filepath.Join(d.tmp, filepath.FromSlash(dir)), 0o755); err != nil {
			return fmt.Errorf("write %s: %w", name, unwrapPath(err))
		}
		d.mu.Lock()
		for p := dir; p != "." && !d.made[p]; p = path.Dir(p) {
			d.made[p] = true
		}
		d.mu.Unlock()
	}
	if err := os.WriteFile(filepath.Join(d.tmp, filepath.FromSlash(name)), data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, unwrapPath(err))
	}
	return nil
}

// Commit puts the written folder in place of the output folder, atomically
// where the system allows, and removes the old output.
func (d *Dir) Commit() error {
	if err := os.Chmod(d.tmp, 0o755); err != nil {
		d.Abort()
		return fmt.Errorf("output folder: %w", err)
	}
	for _, name := range keep {
		if data, err := os.ReadFile(filepath.Join(d.final, name)); err == nil {
			if _, err := os.Stat(filepath.Join(d.tmp, name)); errors.Is(err, fs.ErrNotExist) {
				if err := os.WriteFile(filepath.Join(d.tmp, name), data, 0o644); err != nil {
					d.Abort()
					return fmt.Errorf("output folder: %w", err)
				}
			}
		}
	}
	if _, err := os.Lstat(d.final); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(d.tmp, d.final); err != nil {
			d.Abort()
			return fmt.Errorf("output folder: %w", err)
		}
		return nil
	}
	if err := exchange(d.tmp, d.final); err == nil {
		// d.tmp now holds the old output.
		return removeAll(d.tmp)
	}
	// No atomic exchange on this system: two renames, with the old output
	// set aside first so that it can be put back if the second fails.
	old := d.tmp + ".old"
	if err := os.Rename(d.final, old); err != nil {
		d.Abort()
		return fmt.Errorf("output folder: %w", err)
	}
	if err := os.Rename(d.tmp, d.final); err != nil {
		os.Rename(old, d.final)
		d.Abort()
		return fmt.Errorf("output folder: %w", err)
	}
	return removeAll(old)
}

// Abort removes everything written so far; the output folder is untouched.
func (d *Dir) Abort() {
	os.RemoveAll(d.tmp)
}

func removeAll(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("removing old output: %w", err)
	}
	return nil
}

// unwrapPath drops the temporary folder's name from an error: messages
// should name the output path a user knows.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
