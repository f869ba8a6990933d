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
	"sync/atomic"
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

	// ready is closed when the stock of a kept folder is taken (nil when
	// there is none to take). Every method waits for it first (WriteFile
	// may hold the write instead): until then the fields below may change.
	// A failed stock-taking leaves a fresh staging folder in tmp, or err
	// when none could be made; heldErr is the first held write that failed.
	ready   chan struct{}
	err     error
	heldErr error
	taken   atomic.Bool // the stock is taken: writes are no longer held

	tmp   string // the staging folder being written
	reuse bool   // tmp is the kept previous output, kept again after Commit
	lock  *os.File

	mu       sync.Mutex
	held     []heldWrite // written before the stock was taken, put by takeStock
	heldSize int
	made     map[string]bool  // folders known to exist under tmp
	stale    map[string]bool  // files found in a kept folder and not written (yet)
	stamps   map[string]Stamp // of the files written or kept, for Keep in a later build
}

// A Stamp identifies one version of an output file: as long as the file
// has the same size, modification time and inode, nobody has written it.
type Stamp struct {
	Size    int64
	ModTime int64 // nanoseconds
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
// Taking stock of a kept folder (which folders and files it holds) goes
// on in the background while the caller prepares its first file; the
// Dir's methods wait for it. When it fails, the Dir stages in a fresh
// folder instead, as if kept had not been offered.
func CreateReusing(out, kept string) (*Dir, error) {
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
	if kept != "" {
		if d := reuse(out, kept); d != nil {
			return d, nil
		}
	}
	tmp, err := freshFolder(out)
	if err != nil {
		return nil, err
	}
	return &Dir{final: out, tmp: tmp, made: map[string]bool{".": true}, stamps: map[string]Stamp{}}, nil
}

// freshFolder makes an empty staging folder beside the output folder out.
func freshFolder(out string) (string, error) {
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return "", fmt.Errorf("output folder: %w", err)
	}
	return tmp, nil
}

// reuse opens kept as the staging folder, or returns nil when it cannot.
// The lock and the check that kept can be renamed into place come first;
// the stock of kept is taken in the background (takeStock).
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
	d := &Dir{final: out, tmp: kept, reuse: true, lock: lock, ready: make(chan struct{}),
		made: map[string]bool{".": true}, stale: map[string]bool{}, stamps: map[string]Stamp{}}
	go d.takeStock()
	return d
}

// takeStockHook, when set (by tests), runs before the walk of takeStock;
// an error fails it.
var takeStockHook func(kept string) error

// A heldWrite is a WriteFile that came before the stock of the kept folder
// was taken: the walk must not see it, and a failed walk moves the build
// to a fresh folder. A build writes its theme's assets first thing.
type heldWrite struct {
	name string
	data []byte
}

// maxHeld bounds the bytes held: beyond it, WriteFile waits for the stock.
const maxHeld = 1 << 20

// takeStock records what the kept folder d.tmp holds: its folders exist
// already, its files are stale until written. Anything else (a link, a
// socket) has no place in an output and goes. When the walk fails, the
// kept folder is let go (unlocked) and d stages in a fresh folder. Then
// it puts the writes held meanwhile, and closes d.ready: until then,
// nothing else touches d but hold.
func (d *Dir) takeStock() {
	defer close(d.ready)
	kept := d.tmp
	var err error
	if takeStockHook != nil {
		err = takeStockHook(kept)
	}
	if err == nil {
		err = filepath.WalkDir(kept, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(kept, p)
			rel = filepath.ToSlash(rel)
			switch {
			case rel == ".":
			case e.IsDir():
				d.made[rel] = true
			case e.Type().IsRegular():
				d.stale[rel] = true
			default:
				return os.Remove(p)
			}
			return nil
		})
	}
	if err != nil {
		d.lock.Close()
		d.lock = nil
		d.reuse = false
		d.made = map[string]bool{".": true}
		d.stale = nil
		d.tmp, d.err = freshFolder(d.final)
	}
	d.mu.Lock()
	d.taken.Store(true)
	held := d.held
	d.held, d.heldSize = nil, 0
	d.mu.Unlock()
	if d.err != nil {
		return
	}
	for _, w := range held {
		if err := d.write(w.name, w.data); err != nil && d.heldErr == nil {
			d.heldErr = err
		}
	}
}

// hold keeps a write that comes before the stock of the kept folder is
// taken, for takeStock to put. It reports false when it did not: the
// stock is taken, or maxHeld bytes are held already.
func (d *Dir) hold(name string, data []byte) bool {
	if d.ready == nil || d.taken.Load() {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.taken.Load() || d.heldSize+len(data) > maxHeld {
		return false
	}
	d.held = append(d.held, heldWrite{name, bytes.Clone(data)})
	d.heldSize += len(data)
	return true
}

// wait waits until the Dir is ready to be written (see takeStock), and
// returns the error that keeps it from being written at all. Each exported
// method calls it first (WriteFile after hold); the unexported ones are
// only reached through them, or from takeStock.
func (d *Dir) wait() error {
	if d.ready != nil {
		<-d.ready
	}
	return d.err
}

// canRename reports whether a folder made in from can be renamed into to:
// not when they are on different file systems or mounts, or to cannot be
// written.
func canRename(from, to string) bool {
	a, err := os.MkdirTemp(from, ".probe-")
	if err != nil {
		return false
	}
	b := filepath.Join(to, filepath.Base(a))
	if err := os.Rename(a, b); err != nil {
		os.Remove(a)
		return false
	}
	os.Remove(b)
	return true
}

// WriteFile writes one file of the site. name is slash-separated and
// relative to the output folder ("zh/river/index.html"). It is done with
// data when it returns: the caller may reuse it.
//
// Until the stock of a kept folder is taken, the first writes (up to
// maxHeld bytes) are held in memory and put right after it; when putting
// one fails, the next WriteFile and Commit report it.
func (d *Dir) WriteFile(name string, data []byte) error {
	if !fs.ValidPath(name) || name == "." {
		return fmt.Errorf("write %q: not a valid output path", name)
	}
	if d.hold(name, data) {
		return nil
	}
	if err := d.wait(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if d.heldErr != nil {
		return d.heldErr
	}
	return d.write(name, data)
}

// ReleasesData reports that WriteFile is done with data when it returns
// (site.Releaser): it is always.
func (d *Dir) ReleasesData() bool { return true }

// write is WriteFile once the Dir is ready.
func (d *Dir) write(name string, data []byte) error {
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
	st, err := writeChanged(filepath.Join(d.tmp, filepath.FromSlash(name)), data)
	if err == nil {
		d.mu.Lock()
		d.stamps[name] = st
		d.mu.Unlock()
	}
	return err
}

// Stamp returns the stamp of a file this build wrote or kept.
func (d *Dir) Stamp(name string) (Stamp, bool) {
	if d.wait() != nil {
		return Stamp{}, false
	}
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
	if !fs.ValidPath(name) || name == "." || st.Ino == 0 || d.wait() != nil {
		return false
	}
	from := filepath.Join(d.final, filepath.FromSlash(name))
	fi, err := os.Lstat(from)
	if err != nil || !fi.Mode().IsRegular() || stampOf(fi) != st {
		return false
	}
	to := filepath.Join(d.tmp, filepath.FromSlash(name))
	if ti, err := os.Lstat(to); err == nil {
		if !os.SameFile(fi, ti) {
			if ti.IsDir() || os.Remove(to) != nil {
				return false
			}
			if err := os.Link(from, to); err != nil {
				return false
			}
		}
	} else {
		dir := path.Dir(name)
		d.mu.Lock()
		made := d.made[dir]
		d.mu.Unlock()
		if !made && d.mkdir(dir) != nil {
			return false
		}
		if err := os.Link(from, to); err != nil {
			return false
		}
	}
	d.mu.Lock()
	delete(d.stale, name)
	d.stamps[name] = st
	d.mu.Unlock()
	return true
}

func (d *Dir) mkdir(dir string) error {
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
		if fi, err := os.Lstat(p); err == nil && !fi.IsDir() {
			os.Remove(p)
		}
	}
	p := filepath.Join(d.tmp, filepath.FromSlash(name))
	if fi, err := os.Lstat(p); err == nil && fi.IsDir() {
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
// sync tool nothing changed).
func writeChanged(p string, data []byte) (Stamp, error) {
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|noFollow, 0o644)
	if err != nil {
		return Stamp{}, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return Stamp{}, err
	}
	if !fi.Mode().IsRegular() || sharedInode(fi) {
		// Never write through a second name of the file.
		f.Close()
		if err := os.Remove(p); err != nil {
			return Stamp{}, err
		}
		return writeChanged(p, data)
	}
	size := fi.Size()
	if size == int64(len(data)) && size > 0 && sameBytes(f, data) {
		return stampOf(fi), f.Close()
	}
	// Overwrite in place and cut what is left over: the file system keeps
	// its blocks instead of freeing and allocating them again.
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

// Commit puts the written folder in place of the output folder, atomically
// where the system allows. The old output is removed, or kept for the next
// build when the Dir reuses a kept folder.
func (d *Dir) Commit() error {
	if err := d.wait(); err != nil {
		return err
	}
	if d.heldErr != nil {
		d.Abort()
		return d.heldErr
	}
	defer d.unlock()
	if err := d.carryOver(); err != nil {
		d.Abort()
		return fmt.Errorf("output folder: %w", err)
	}
	if err := d.removeStale(); err != nil {
		d.Abort()
		return fmt.Errorf("output folder: %w", err)
	}
	if err := os.Chmod(d.tmp, 0o755); err != nil {
		d.Abort()
		return fmt.Errorf("output folder: %w", err)
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
		return d.dropOld(d.tmp)
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
	if d.reuse && os.Rename(old, d.tmp) == nil {
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
// write, and the folders left empty.
func (d *Dir) removeStale() error {
	if len(d.stale) == 0 {
		return nil
	}
	dirs := map[string]bool{}
	for name := range d.stale {
		p := filepath.Join(d.tmp, filepath.FromSlash(name))
		if fi, err := os.Lstat(p); err != nil || fi.IsDir() {
			continue // gone, or replaced by a folder this build wrote into
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
		os.Remove(filepath.Join(d.tmp, filepath.FromSlash(p))) // fails, as it should, when not empty
	}
	d.stale = nil
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
	if d.wait() != nil {
		return // no staging folder
	}
	if !d.reuse {
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
