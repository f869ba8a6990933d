package publish

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Dir is an output folder being written. Files go to a staging folder;
// Commit swaps it into place in one step, Abort leaves the output alone, so
// a failed or interrupted build leaves the old output exactly as it was.
//
// The staging folder is either a fresh hidden sibling of the output (Create)
// or a kept copy of an earlier output (CreateReusing): rewriting a kept tree
// costs no folder creation and no removal of the old output, and a file
// whose bytes did not change is not written at all. Either way, what Commit
// puts in place holds exactly the files this build wrote (plus .gitkeep).
//
// Dir is safe for concurrent use by the goroutines of one build.
type Dir struct {
	final string // the output folder
	live  bool   // final existed when the Dir was made: its pages can be linked
	tmp   string // the staging folder being written
	reuse bool   // tmp is the kept previous output, kept again after Commit
	lock  *os.File

	mu     sync.Mutex
	made   map[string]bool  // folders known to exist under tmp
	stale  map[string]bool  // files found in a kept folder and not written (yet)
	hollow []string         // folders found in a kept folder with no file in them
	stamps map[string]Stamp // of the files written or kept, for Keep in a later build
}

// A Stamp identifies one version of an output file: as long as the file
// has the same size, modification and change times, device and inode,
// nobody has written it. The change time (ctime) is what catches a file
// edited in place with its size kept and its modification time set back:
// no program can set it, every write and chmod moves it on.
type Stamp struct {
	Size    int64
	ModTime int64 // nanoseconds
	CTime   int64 // nanoseconds
	Dev     uint64
	Ino     uint64
}

// keep lists files of an existing output folder that a build carries over
// although it does not write them: public/.gitkeep keeps the empty folder in
// a git checkout.
var keep = []string{".gitkeep"}

// Create starts writing the output folder out into a fresh staging folder
// beside it. Commit removes the old output.
func Create(out string) (*Dir, error) { return CreateReusing(out, "") }

// CreateReusing starts writing the output folder out, staging it in kept:
// the folder where the output before the current one was kept by the last
// Commit. kept's contents are only a head start (whatever is in it, the
// committed output holds what this build wrote); Commit keeps the old
// output there for the next build. When kept cannot serve (another build
// is using it, or it is on another file system than out), or is "", this
// is Create.
//
// CreateReusing takes stock of the kept folder (which folders and files
// it holds) before it returns: about 50 ms for 10,000 pages. When that
// fails, the Dir stages in a fresh folder, as if kept had not been offered.
func CreateReusing(out, kept string) (*Dir, error) {
	out, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(out)
	if err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("output %s is a file, not a folder", out)
	}
	live := err == nil
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	if kept != "" {
		if d := reuse(out, kept); d != nil {
			d.live = live
			return d, nil
		}
	}
	tmp, err := freshFolder(out)
	if err != nil {
		return nil, err
	}
	return &Dir{final: out, live: live, tmp: tmp, made: map[string]bool{".": true}, stamps: map[string]Stamp{}}, nil
}

// freshFolder makes an empty staging folder beside the output folder out.
func freshFolder(out string) (string, error) {
	if err := fault("mkdir", out); err != nil {
		return "", fmt.Errorf("output folder: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), stagingPrefix(out))
	if err != nil {
		return "", fmt.Errorf("output folder: %w", err)
	}
	return tmp, nil
}

// reuse opens kept as the staging folder, or returns nil when it cannot.
func reuse(out, kept string) *Dir {
	kept, err := filepath.Abs(kept)
	if err != nil || kept == out || strings.HasPrefix(kept, out+string(filepath.Separator)) || strings.HasPrefix(out, kept+string(filepath.Separator)) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(kept), 0o755); err != nil {
		return nil
	}
	if err := os.Mkdir(kept, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil
	}
	if fi, err := os.Lstat(kept); err != nil || !fi.IsDir() {
		return nil
	}
	lock, err := lockDir(kept)
	if err != nil {
		return nil // another build stages there: use a fresh folder
	}
	if !canRename(kept, filepath.Dir(out)) {
		lock.Close()
		return nil
	}
	d := &Dir{final: out, tmp: kept, reuse: true, lock: lock,
		made: map[string]bool{".": true}, stale: map[string]bool{}, stamps: map[string]Stamp{}}
	if err := d.takeStock(); err != nil {
		lock.Close()
		return nil
	}
	return d
}

// takeStock records what the kept folder d.tmp holds: its folders exist
// already, its files are stale until written. Anything else (a link, a
// socket) has no place in an output and goes. Folders with no file in
// them (a build killed while it removed a pulled report's files leaves
// them) are noted, for Commit to remove unless the build writes into them.
func (d *Dir) takeStock() error {
	kept := d.tmp
	if err := fault("walk", kept); err != nil {
		return err
	}
	var dirs []string
	full := map[string]bool{} // folders with a file somewhere beneath
	err := filepath.WalkDir(kept, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(kept, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == ".":
		case e.IsDir():
			d.made[rel] = true
			dirs = append(dirs, rel)
		case e.Type().IsRegular():
			d.stale[rel] = true
			for dir := path.Dir(rel); dir != "." && !full[dir]; dir = path.Dir(dir) {
				full[dir] = true
			}
		default:
			if err := fault("remove", p); err != nil {
				return err
			}
			return os.Remove(p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, dir := range dirs {
		if !full[dir] {
			d.hollow = append(d.hollow, dir)
		}
	}
	return nil
}

// canRename reports whether a folder made in from can be renamed into to:
// not when they are on different file systems or mounts, or to cannot be
// written.
func canRename(from, to string) bool {
	if fault("mkdir", from) != nil {
		return false
	}
	a, err := os.MkdirTemp(from, probePrefix)
	if err != nil {
		return false
	}
	b := filepath.Join(to, filepath.Base(a))
	if err := fault("rename", a); err != nil {
		os.Remove(a)
		return false
	}
	if err := os.Rename(a, b); err != nil {
		os.Remove(a)
		return false
	}
	if fault("remove", b) == nil {
		os.Remove(b)
	}
	return true
}

// ReleasesData reports that WriteFile is done with data when it returns
// (site.Releaser): it is always.
func (d *Dir) ReleasesData() bool { return true }

// WriteFile writes one file of the site. name is slash-separated and
// relative to the output folder ("zh/river/index.html"). It is done with
// data when it returns: the caller may reuse it.
func (d *Dir) WriteFile(name string, data []byte) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("write %q: not a valid output path", name)
	}
	dir := path.Dir(name)
	d.mu.Lock()
	made := d.made[dir]
	delete(d.stale, name)
	d.mu.Unlock()
	err := d.put(name, !made, data)
	if err != nil && d.reuse {
		// The kept tree may have a file where this build wants a folder,
		// or a folder where it wants a file: clear the way and try again.
		d.clearWay(name)
		err = d.put(name, true, data)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", name, unwrapPath(err))
	}
	return nil
}

// put writes one file, creating its folder first when mkdir is set.
func (d *Dir) put(name string, mkdir bool, data []byte) error {
	if mkdir {
		// Outside the lock: creating folders is most of a build's system
		// time, and MkdirAll is safe when two writers race to one folder.
		if err := d.mkdir(path.Dir(name)); err != nil {
			return err
		}
	}
	rel := filepath.FromSlash(name)
	live := ""
	if d.live {
		live = filepath.Join(d.final, rel)
	}
	st, err := writeChanged(filepath.Join(d.tmp, rel), live, data)
	if err == nil {
		d.mu.Lock()
		d.stamps[name] = st
		d.mu.Unlock()
	}
	return err
}

// Stamp returns the stamp of a file this build wrote or kept.
func (d *Dir) Stamp(name string) (Stamp, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	st, ok := d.stamps[name]
	return st, ok && st.Ino != 0
}

// Keep carries the file name of the current output into the new one as it
// is, without reading it, provided the current output's file still has the
// stamp st (a build recorded it when it wrote the file; nothing has written
// it since). It reports whether it did; when not, write the file instead.
// The two outputs then share the file (a hard link), which WriteFile never
// writes through.
func (d *Dir) Keep(name string, st Stamp) bool {
	if !fs.ValidPath(name) || name == "." || st.Ino == 0 {
		return false
	}
	from := filepath.Join(d.final, filepath.FromSlash(name))
	fi, err := os.Lstat(from)
	if err != nil || !fi.Mode().IsRegular() || stampOf(fi) != st {
		return false
	}
	to := filepath.Join(d.tmp, filepath.FromSlash(name))
	if ti, err := os.Lstat(to); err != nil || !os.SameFile(fi, ti) {
		if err == nil {
			// Another file where it goes: the copy of a build before.
			if ti.IsDir() || fault("remove", to) != nil || os.Remove(to) != nil {
				return false
			}
		} else {
			dir := path.Dir(name)
			d.mu.Lock()
			made := d.made[dir]
			d.mu.Unlock()
			if !made && d.mkdir(dir) != nil {
				return false
			}
		}
		li, err := link(from, to)
		if err != nil {
			return false
		}
		st = stampOf(li)
	}
	d.mu.Lock()
	delete(d.stale, name)
	d.stamps[name] = st
	d.mu.Unlock()
	return true
}

// link gives the file from the second name to, and returns what to names
// after: a new name changes the file's ctime.
func link(from, to string) (os.FileInfo, error) {
	if err := fault("link", to); err != nil {
		return nil, err
	}
	if err := os.Link(from, to); err != nil {
		return nil, err
	}
	return os.Lstat(to)
}

func (d *Dir) mkdir(dir string) error {
	if err := fault("mkdir", dir); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(d.tmp, filepath.FromSlash(dir)), 0o755); err != nil {
		return err
	}
	d.mu.Lock()
	for p := dir; p != "." && !d.made[p]; p = path.Dir(p) {
		d.made[p] = true
	}
	d.mu.Unlock()
	return nil
}

// clearWay removes what stands in the way of writing name in a kept tree:
// files where its folders should be, a folder where it should be.
func (d *Dir) clearWay(name string) {
	parts := strings.Split(name, "/")
	for i := 1; i < len(parts); i++ {
		p := filepath.Join(d.tmp, filepath.FromSlash(strings.Join(parts[:i], "/")))
		if fi, err := os.Lstat(p); err == nil && !fi.IsDir() && fault("remove", p) == nil {
			os.Remove(p)
		}
	}
	p := filepath.Join(d.tmp, filepath.FromSlash(name))
	if fi, err := os.Lstat(p); err == nil && fi.IsDir() && fault("remove", p) == nil {
		os.RemoveAll(p)
	}
	d.mu.Lock()
	for k := range d.made {
		if k != "." && (name == k || strings.HasPrefix(name, k+"/") || strings.HasPrefix(k, name+"/")) {
			delete(d.made, k)
		}
	}
	for k := range d.stale {
		if strings.HasPrefix(name, k+"/") || strings.HasPrefix(k, name+"/") {
			delete(d.stale, k) // removed above
		}
	}
	d.mu.Unlock()
}

// writeChanged writes data to the file p, leaving the file untouched when
// it holds those bytes already (its modification time then tells a CDN
// sync tool nothing changed). When there is no file p and the file live
// (the same name in the current output; "" for none) holds those bytes, p
// becomes a second name of it, as Keep would make it: the two outputs
// share the file and its blocks, and the next build that keeps the page
// finds it in place instead of unlinking a copy to link it.
func writeChanged(p, live string, data []byte) (Stamp, error) {
	if err := fault("open", p); err != nil {
		return Stamp{}, err
	}
	f, err := os.OpenFile(p, os.O_RDWR|noFollow, 0)
	if errors.Is(err, fs.ErrNotExist) {
		if st, ok := linkSame(live, p, data); ok {
			return st, nil
		}
		f, err = os.OpenFile(p, os.O_RDWR|os.O_CREATE|noFollow, 0o644)
	}
	if err != nil {
		return Stamp{}, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return Stamp{}, err
	}
	size := fi.Size()
	if !fi.Mode().IsRegular() {
		f.Close()
		return rewrite(p, data)
	}
	// A file with these bytes stays, even with other names (a page Keep
	// linked from an earlier output): nothing is written through them.
	if size == int64(len(data)) && size > 0 && sameBytes(f, data) {
		return stampOf(fi), f.Close()
	}
	if sharedInode(fi) {
		// Never write through a second name of the file.
		f.Close()
		return rewrite(p, data)
	}
	// Overwrite in place and cut what is left over: the file system keeps
	// its blocks instead of freeing and allocating them again.
	if err := fault("write", p); err != nil {
		f.Close()
		return Stamp{}, err
	}
	if _, err := f.WriteAt(data, 0); err != nil {
		f.Close()
		return Stamp{}, err
	}
	if size > int64(len(data)) {
		if err := f.Truncate(int64(len(data))); err != nil {
			f.Close()
			return Stamp{}, err
		}
	}
	if fi, err = f.Stat(); err != nil {
		f.Close()
		return Stamp{}, err
	}
	return stampOf(fi), f.Close()
}

// rewrite removes what is at p and writes data there as a new file.
func rewrite(p string, data []byte) (Stamp, error) {
	if err := fault("remove", p); err != nil {
		return Stamp{}, err
	}
	if err := os.Remove(p); err != nil {
		return Stamp{}, err
	}
	return writeChanged(p, "", data)
}

// linkSame makes p a second name of the file live when live holds data,
// and returns the stamp of p; it reports whether it did.
func linkSame(live, p string, data []byte) (Stamp, bool) {
	if live == "" || len(data) == 0 {
		return Stamp{}, false
	}
	f, err := os.OpenFile(live, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return Stamp{}, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) || !sameBytes(f, data) {
		return Stamp{}, false
	}
	pi, err := link(live, p)
	if err != nil {
		return Stamp{}, false
	}
	// What was compared is what p names, unless live was replaced since.
	if !os.SameFile(fi, pi) {
		os.Remove(p)
		return Stamp{}, false
	}
	return stampOf(pi), true
}

var readBufs = sync.Pool{New: func() any { return new([]byte) }}

// sameBytes reports whether f holds exactly data (its size is len(data)).
func sameBytes(f *os.File, data []byte) bool {
	bp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bp)
	if cap(*bp) < len(data) {
		*bp = make([]byte, len(data))
	}
	buf := (*bp)[:len(data)]
	n, err := f.ReadAt(buf, 0)
	if err != nil && err != io.EOF {
		return false
	}
	return n == len(data) && bytes.Equal(buf, data)
}

// Staged returns the staging folder, holding exactly the files written so
// far: the files of a kept folder that this build did not write are removed
// first. A program that reads the output before it is published (Pagefind)
// reads it there. Files it adds are published as they are; writing them
// again with WriteFile records them (Stamp) like the build's own.
func (d *Dir) Staged() (string, error) {
	if err := d.removeStale(); err != nil {
		return "", fmt.Errorf("output folder: %w", err)
	}
	return d.tmp, nil
}

// Commit puts the written folder in place of the output folder, atomically
// where the system allows. The old output is removed, or kept for the next
// build when the Dir reuses a kept folder.
func (d *Dir) Commit() error {
	defer d.unlock()
	if err := d.carryOver(); err != nil {
		d.Abort()
		return fmt.Errorf("output folder: %w", err)
	}
	if err := d.removeStale(); err != nil {
		d.Abort()
		return fmt.Errorf("output folder: %w", err)
	}
	if err := chmod(d.tmp); err != nil {
		d.Abort()
		return fmt.Errorf("output folder: %w", err)
	}
	if _, err := os.Lstat(d.final); errors.Is(err, fs.ErrNotExist) {
		if err := rename(d.tmp, d.final); err != nil {
			d.Abort()
			return fmt.Errorf("output folder: %w", err)
		}
		return nil
	}
	if err := fault("rename", d.tmp); err != nil {
		d.Abort()
		return fmt.Errorf("output folder: %w", err)
	}
	if err := exchange(d.tmp, d.final); err == nil {
		// d.tmp now holds the old output.
		return d.dropOld(d.tmp)
	}
	// No atomic exchange on this system: two renames, with the old output
	// set aside first so that it can be put back if the second fails.
	old := d.tmp + ".old"
	if err := rename(d.final, old); err != nil {
		d.Abort()
		return fmt.Errorf("output folder: %w", err)
	}
	if err := rename(d.tmp, d.final); err != nil {
		os.Rename(old, d.final)
		d.Abort()
		return fmt.Errorf("output folder: %w", err)
	}
	if d.reuse && rename(old, d.tmp) == nil {
		return nil
	}
	return removeAll(old)
}

// carryOver copies the keep files of the current output that the build
// did not write.
func (d *Dir) carryOver() error {
	for _, name := range keep {
		if _, written := d.stamps[name]; written {
			continue
		}
		data, err := os.ReadFile(filepath.Join(d.final, name))
		if err != nil {
			continue // stale if the kept tree has it: removed with the rest
		}
		if err := d.WriteFile(name, data); err != nil {
			return err
		}
	}
	return nil
}

// removeStale removes the files of a kept tree that this build did not
// write, and the folders left empty (or found empty, and not written into).
func (d *Dir) removeStale() error {
	if len(d.stale) == 0 && len(d.hollow) == 0 {
		return nil
	}
	dirs := map[string]bool{}
	for _, p := range d.hollow {
		dirs[p] = true
	}
	for name := range d.stale {
		p := filepath.Join(d.tmp, filepath.FromSlash(name))
		if fi, err := os.Lstat(p); err != nil || fi.IsDir() {
			continue // gone, or replaced by a folder this build wrote into
		}
		if err := fault("remove", p); err != nil {
			return err
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for p := path.Dir(name); p != "."; p = path.Dir(p) {
			dirs[p] = true
		}
	}
	// Deepest first, so that a folder's emptied subfolders go before it.
	order := slices.SortedFunc(func(yield func(string) bool) {
		for p := range dirs {
			if !yield(p) {
				return
			}
		}
	}, func(a, b string) int {
		return cmp.Or(cmp.Compare(strings.Count(b, "/"), strings.Count(a, "/")), strings.Compare(a, b))
	})
	for _, p := range order {
		p = filepath.Join(d.tmp, filepath.FromSlash(p))
		if fi, err := os.Lstat(p); err != nil || !fi.IsDir() {
			continue // a file this build wrote where a folder was
		}
		if err := fault("remove", p); err != nil {
			return err
		}
		os.Remove(p) // fails, as it should, when not empty
	}
	d.stale, d.hollow = nil, nil
	return nil
}

// dropOld disposes of the old output after the exchange: kept for the next
// build, or removed.
func (d *Dir) dropOld(old string) error {
	if d.reuse {
		return nil
	}
	return removeAll(old)
}

// Abort leaves the output folder untouched: a fresh staging folder is
// removed, a kept one stays (whatever it holds, the next build sorts out).
func (d *Dir) Abort() {
	if !d.reuse && fault("remove", d.tmp) == nil {
		os.RemoveAll(d.tmp)
	}
	d.unlock()
}

func (d *Dir) unlock() {
	if d.lock != nil {
		d.lock.Close()
		d.lock = nil
	}
}

func removeAll(dir string) error {
	if err := fault("remove", dir); err != nil {
		return fmt.Errorf("removing old output: %w", err)
	}
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

// FaultHook, when set (by tests), is called before each change a Dir makes
// on disk (and before it takes stock of a kept folder), with the kind of
// change ("mkdir", "open", "write", "link", "remove", "rename", "chmod",
// "walk") and the path; an error it returns is the change's. Crash tests
// use it to stop a build at every step.
var FaultHook func(op, path string) error

func fault(op, path string) error {
	if FaultHook != nil {
		return FaultHook(op, path)
	}
	return nil
}

func rename(from, to string) error {
	if err := fault("rename", from); err != nil {
		return err
	}
	return os.Rename(from, to)
}

func chmod(dir string) error {
	if err := fault("chmod", dir); err != nil {
		return err
	}
	return os.Chmod(dir, 0o755)
}
