package site

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"dateline/cmd/internal/cache"
	"dateline/cmd/internal/photo"
)

// The photo index spares a build reading and hashing the photos and files
// that did not change since the last build: every build reads each file a
// report uses, hashes it (its published name carries the hash), checks its
// header and asks the photo cache for its derivatives.
//
// It is one entry of the cache folder (Options.Cache, package cache),
// beside the photo derivatives. For each file the last build read, it
// holds the file's stat — size, modification and change times in
// nanoseconds, inode and device — and what load derived from its bytes:
// hash, size and names as published, width, height, and why it is not a
// usable image. A file whose stat is exactly the one recorded is not read:
// load takes those facts instead.
//
// A file's change time (ctime) moves whenever its bytes or its inode do,
// and nothing but the clock sets it, so a rewrite is always seen even when
// the modification time is put back. A stat can only be trusted once the
// clock has moved past it, though: a file rewritten within the same tick of
// the file system's clock as it was read keeps the same times. So, as git
// does with its index, an entry whose modification or change time is not
// older than the moment its build began, less racyMargin, is never trusted;
// that file is read again, and recorded again, by the next build.
//
// When the bytes are needed after all — to write a photo whose output was
// not carried over, or its derivatives — write reads them and checks them
// against the recorded hash, and the derivatives (each checked by the
// cache against the hash it was stored with, and made again when damaged)
// against their published names: a mismatch means the source changed
// during the build, which fails and clears the index, so wrong bytes are
// never published under a hashed name.
//
// The index is used only where fs.Stat on the site FS gives a
// *syscall.Stat_t (os.DirFS on Unix); elsewhere every file is read as if
// there were none. Its key in the cache covers what its facts depend on
// besides the files' bytes (the dateline executable, the photo settings,
// the layout of the entry): an entry that is damaged, or was made for
// another key, is ignored and replaced by the next build's.

// indexName is the index's entry in the cache folder.
const indexName = "sources.index"

// racyMargin is how much older than the start of the build that recorded
// it a file's times must be for its entry to be trusted: more than the
// coarsest file system clock (2 s on FAT) and the lag of the kernel's
// coarse clock.
const racyMargin = 2 * time.Second

// indexClock tells the time a build starts; tests move it.
var indexClock = time.Now

// statKey identifies one version of a file on disk.
type statKey struct {
	Size         int64
	Mtime, Ctime int64 // nanoseconds since 1970
	Ino, Dev     uint64
}

// indexFile is the index's entry in the cache, encoded with gob as the
// build manifest is.
type indexFile struct {
	Written int64 // ns: when the build that wrote it began
	Entries map[string]*indexEntry
}

// indexEntry is what the index holds of one file.
type indexEntry struct {
	Stat          statKey
	Hash          string // of the source bytes
	Size          int64  // of the published original
	Width, Height int
	ImgErr        string // why the file is not a usable image, or ""
	Out           string
	Variants      []variant
}

// photoIndex is a build's view of the index.
type photoIndex struct {
	store *cache.Dir
	start int64 // ns: before this build looked at any file
	ready chan struct{}

	// Set before ready is closed.
	key     cache.Key
	written int64 // ns: when the build that wrote the file started
	old     map[string]*indexEntry

	hits, misses atomic.Int64
	broken       atomic.Bool // a file's bytes did not match its entry
	removeOnce   sync.Once
}

// openIndex starts reading the index in the cache folder, for a build that
// has not yet looked at any file. Without a usable folder, or on a system
// whose stat this code cannot read, there is none.
func (s *files) openIndex(store *cache.Dir) {
	if s == nil || store.Err() != nil || store.Path() == "" || !statSupported {
		return
	}
	ix := &photoIndex{store: store, start: indexClock().UnixNano(), ready: make(chan struct{})}
	s.index = ix
	go func() {
		defer close(ix.ready)
		key, err := indexKey(s.photos)
		if err != nil {
			ix.broken.Store(true) // no index rather than a wrong one
			return
		}
		ix.key = key
		if data, err := store.Get(indexName, key); err == nil {
			ix.written, ix.old = decodeIndex(data)
		}
	}()
}

// indexKey sums up what the facts of the index depend on besides a file's
// bytes: the program (its hashing, checks, metadata stripping and encoders)
// and the photo settings.
func indexKey(photos *photo.Cache) (cache.Key, error) {
	exe, err := executableSum()
	if err != nil {
		return cache.Key{}, err
	}
	h := cache.NewHasher("dateline photo index 3") // 3: modern formats in Variants
	h.Bytes(exe[:])
	h.String(runtime.Version())
	if photos == nil {
		h.String("no derivatives")
	} else {
		h.String("derivatives")
		h.String(strconv.Itoa(photos.Quality) + " " + strconv.Itoa(photos.MaxPixels))
		h.String(fmt.Sprint(photos.NoModern, photos.WebPQuality, photos.AVIFQuality, photos.AVIFSpeed))
		for _, w := range photos.Widths {
			h.String(strconv.Itoa(w))
		}
	}
	return h.Key(), nil
}

// lookup returns the entry for src when the file is still the one it
// describes, or nil. fi is the file's lstat from the path check when it
// gave one (the file is no link); else lookup stats the file, only when
// there is an entry.
func (ix *photoIndex) lookup(fsys fs.FS, src string, fi fs.FileInfo) *indexEntry {
	<-ix.ready
	e := ix.old[src]
	if e == nil || ix.broken.Load() {
		return nil
	}
	if fi == nil {
		var err error
		if fi, err = fs.Stat(fsys, src); err != nil {
			return nil
		}
	}
	st, ok := statOf(fi)
	if !ok || st != e.Stat || !ix.trusted(e.Stat) {
		return nil
	}
	return e
}

// trusted reports whether a stat the index recorded is older than the
// build that recorded it by racyMargin: a file changed after being read
// then has other times, whatever the file system clock's granularity.
func (ix *photoIndex) trusted(st statKey) bool {
	limit := ix.written - int64(racyMargin)
	return st.Mtime < limit && st.Ctime < limit
}

// invalidate records that a file did not hold the bytes its entry
// promised: nothing is taken from the index any more, and its entry goes,
// so that the next build reads every file again.
func (ix *photoIndex) invalidate() {
	ix.broken.Store(true)
	ix.removeOnce.Do(func() { ix.store.Remove(indexName) })
}

// saveIndex puts the index for the next build in the cache: an entry for
// each file this build loaded whose facts depend only on its bytes. It
// writes nothing when every entry would be the same as before. A failure
// is the cache folder's (cache.Dir.Err).
func (s *files) saveIndex() {
	if s == nil || s.index == nil {
		return
	}
	ix := s.index
	<-ix.ready
	if ix.broken.Load() {
		ix.invalidate()
		return
	}
	s.mu.Lock()
	entries := make([]*file, 0, len(s.m))
	for _, f := range s.m {
		if f.indexable {
			entries = append(entries, f)
		}
	}
	s.mu.Unlock()
	if ix.misses.Load() == 0 && int(ix.hits.Load()) == len(ix.old) && len(entries) == len(ix.old) {
		return // the entry in the cache says it all
	}
	if len(entries) == 0 && len(ix.old) == 0 {
		return
	}
	ix.store.Put(indexName, ix.key, encodeIndex(ix.start, entries))
}

// encodeIndex lays out the index of files, read by a build that began at
// start.
func encodeIndex(start int64, files []*file) []byte {
	ix := indexFile{Written: start, Entries: make(map[string]*indexEntry, len(files))}
	for _, f := range files {
		e := &indexEntry{Stat: f.stat, Hash: f.hash, Size: f.size, Width: f.width, Height: f.height, Out: f.out, Variants: f.variants}
		if f.imgErr != nil {
			e.ImgErr = f.imgErr.Error()
		}
		ix.Entries[f.src] = e
	}
	var buf bytes.Buffer
	if gob.NewEncoder(&buf).Encode(ix) != nil {
		return nil // cannot happen: gob encodes these types
	}
	return buf.Bytes()
}

// decodeIndex reads an index as encodeIndex lays it out (the cache checked
// its bytes); for anything else it returns no entries.
func decodeIndex(data []byte) (int64, map[string]*indexEntry) {
	var ix indexFile
	if gob.NewDecoder(bytes.NewReader(data)).Decode(&ix) != nil {
		return 0, nil
	}
	return ix.Written, ix.Entries
}

// readStat reads a file and returns the stat of the file it read (not of
// whatever has its name by then).
func readStat(fsys fs.FS, name string) ([]byte, fs.FileInfo, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := 512
	if fi.Mode().IsRegular() && fi.Size() > 0 && fi.Size() < 1<<30 {
		size = int(fi.Size()) + 1 // +1: EOF without another round
	}
	data := make([]byte, 0, size)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, fi, nil
		}
		if err != nil {
			return nil, nil, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}
