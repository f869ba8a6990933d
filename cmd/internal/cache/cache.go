// Package cache keeps what a build derived from its input, so that the next
// build need not derive it again: the photo derivatives (package photo), the
// photo index and the build manifest (package site). All of them live in one
// folder, SITE/.cache/dateline (or DATELINE_CACHE), as entries of one
// format, under keys made by one function.
//
// An entry is a file named by its caller ("photos/3f/2a1b…", "sources.index")
// holding
//
//	magic  "dateline cache 1\n"
//	key    32 bytes: what the data was derived from (Key)
//	data
//	sum    32 bytes: the SHA-256 of data
//
// It is written to a temporary file beside its place and renamed into place,
// so a reader sees a whole entry or none, whatever other goroutines and
// builds do meanwhile. Get reads it back verified: an entry of another key is
// stale, and one whose magic or sum does not match is damaged; either way the
// caller derives the data again and puts it back.
//
// A cache that cannot be used (its folder is a file, cannot be made, or
// cannot be written) is no reason to fail a build: the first failure is kept
// (Err), and from then on the Dir keeps nothing, so the caller reports it
// once and builds as if there were no cache. Deleting the folder is always
// safe.
package cache

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// A Key names what an entry was derived from: a SHA-256 over fields.
type Key [32]byte

// String returns the key in hex.
func (k Key) String() string { return hex.EncodeToString(k[:]) }

// MarshalBinary returns the key's bytes. encoding/gob, which the build
// manifest and the photo index are written with, then stores a key as one
// byte string instead of 32 numbers.
func (k Key) MarshalBinary() ([]byte, error) { return k[:], nil }

// UnmarshalBinary sets the key from the bytes MarshalBinary gave.
func (k *Key) UnmarshalBinary(b []byte) error {
	if len(b) != len(k) {
		return fmt.Errorf("cache key of %d bytes, want %d", len(b), len(k))
	}
	copy(k[:], b)
	return nil
}

// A Hasher makes a Key from fields added in turn. Each field is written
// with its length, so that ("ab", "c") and ("a", "bc") give different keys.
type Hasher struct{ b []byte }

// NewHasher returns a Hasher whose first field is what, the kind of data
// the key is for.
func NewHasher(what string) *Hasher {
	h := &Hasher{b: make([]byte, 0, 256)}
	h.String(what)
	return h
}

// String adds a field.
func (h *Hasher) String(s string) {
	h.b = binary.LittleEndian.AppendUint64(h.b, uint64(len(s)))
	h.b = append(h.b, s...)
}

// Bytes adds a field.
func (h *Hasher) Bytes(b []byte) {
	h.b = binary.LittleEndian.AppendUint64(h.b, uint64(len(b)))
	h.b = append(h.b, b...)
}

// Key returns the key of the fields added so far.
func (h *Hasher) Key() Key { return sha256.Sum256(h.b) }

// KeyOf returns the key of what and fields, as a Hasher would.
func KeyOf(what string, fields ...string) Key {
	h := NewHasher(what)
	for _, f := range fields {
		h.String(f)
	}
	return h.Key()
}

const magic = "dateline cache 1\n"

// Errors of Get besides fs.ErrNotExist.
var (
	// ErrStale is an entry made for another key: the input changed.
	ErrStale = errors.New("made from other input")
	// ErrDamaged is an entry whose bytes are not those written.
	ErrDamaged = errors.New("damaged")
)

// A Dir is a cache folder. A nil *Dir, or one made by Open("") or after a
// failure, keeps nothing: Get finds nothing and Put writes nothing. Its
// methods are safe for concurrent use.
type Dir struct {
	path string

	mu  sync.Mutex
	err error // the first failure: nothing is read or written since
}

// Open returns the cache in the folder path, making the folder. When it
// cannot be used, the Dir keeps nothing and Err tells why; a folder that
// cannot be written is found by the first Put. "" is a cache that keeps
// nothing, with no error.
func Open(path string) *Dir {
	d := &Dir{path: path}
	if path == "" {
		d.err = errNone
	} else if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
		d.err = errors.New("is a file, not a folder")
	} else if err := os.MkdirAll(path, 0o755); err != nil {
		d.err = d.reason(err)
	}
	return d
}

// errNone marks a Dir opened without a folder: it keeps nothing and has
// nothing to report.
var errNone = errors.New("no cache folder")

// Path returns the cache folder.
func (d *Dir) Path() string {
	if d == nil {
		return ""
	}
	return d.path
}

// Err returns why the cache could not be used, or nil: after it, the Dir
// keeps nothing. The text names no path (the caller names Path).
func (d *Dir) Err() error {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err == errNone {
		return nil
	}
	return d.err
}

// usable reports whether the Dir may be read and written.
func (d *Dir) usable() bool {
	if d == nil {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err == nil
}

// fail records the first failure.
func (d *Dir) fail(err error) {
	d.mu.Lock()
	if d.err == nil {
		d.err = err
	}
	d.mu.Unlock()
}

// Get returns the data of the entry name made for key. The error is
// fs.ErrNotExist when there is none (or the Dir keeps nothing), ErrStale
// for an entry of another key, ErrDamaged for one whose bytes are not those
// written, or why it could not be read.
func (d *Dir) Get(name string, key Key) ([]byte, error) {
	if !d.usable() {
		return nil, fs.ErrNotExist
	}
	raw, err := os.ReadFile(d.file(name))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fs.ErrNotExist
		}
		return nil, d.reason(err)
	}
	return Decode(raw, key)
}

// Decode returns the data of an entry's bytes made for key, checked as Get
// checks them.
func Decode(raw []byte, key Key) ([]byte, error) {
	head := len(magic) + len(key)
	if len(raw) < head+sha256.Size || string(raw[:len(magic)]) != magic {
		return nil, ErrDamaged
	}
	data, sum := raw[head:len(raw)-sha256.Size], raw[len(raw)-sha256.Size:]
	if s := sha256.Sum256(data); !bytes.Equal(s[:], sum) {
		return nil, ErrDamaged
	}
	if !bytes.Equal(raw[len(magic):head], key[:]) {
		return nil, ErrStale
	}
	return data, nil
}

// Put writes the entry name, holding data made for key, atomically. When
// it fails, the Dir keeps nothing from then on and Put returns the error
// (Err returns it too).
func (d *Dir) Put(name string, key Key, data []byte) error {
	w := d.Create(name, key)
	w.Write(data)
	return w.Commit()
}

// A Writer writes one entry as a stream (Create), for data that need not
// be held whole in memory first: the build manifest is encoded into one as
// it goes. Nothing is in place until Commit; Abort, or a Commit that fails,
// leaves the entry as it was.
type Writer struct {
	d   *Dir
	p   string   // the entry's file
	tmp *os.File // nil: the Writer discards (the Dir keeps nothing, or it is done)
	bw  *bufio.Writer
	sum hash.Hash
	err error // the first failure
}

// Create starts writing the entry name, made for key. On a Dir that keeps
// nothing the Writer discards what it is given, and Commit does nothing.
func (d *Dir) Create(name string, key Key) *Writer {
	w := &Writer{d: d, sum: sha256.New()}
	if !d.usable() {
		return w
	}
	w.p = d.file(name)
	if err := os.MkdirAll(filepath.Dir(w.p), 0o755); err != nil {
		w.err = err
		return w
	}
	tmp, err := os.CreateTemp(filepath.Dir(w.p), ".tmp-")
	if err != nil {
		w.err = err
		return w
	}
	// An entry is magic, the key, the data and the SHA-256 of the data
	// (Commit writes that).
	w.tmp, w.bw = tmp, bufio.NewWriterSize(tmp, 64<<10)
	w.bw.WriteString(magic)
	w.bw.Write(key[:])
	return w
}

// Write adds p to the entry's data.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.bw == nil {
		return len(p), nil
	}
	w.sum.Write(p)
	if _, err := w.bw.Write(p); err != nil {
		w.err = err
		return 0, err
	}
	return len(p), nil
}

// Err returns the first failure to write, or nil.
func (w *Writer) Err() error { return w.err }

// Commit puts the entry in place, atomically. When it fails, the Dir
// keeps nothing from then on and Commit returns the error (Err returns it
// too).
func (w *Writer) Commit() error {
	err := w.err
	if w.tmp == nil {
		if err != nil {
			err = w.d.reason(err)
			w.d.fail(err)
		}
		return err
	}
	name := w.tmp.Name()
	if err == nil {
		_, err = w.bw.Write(w.sum.Sum(nil))
	}
	if err == nil {
		err = w.bw.Flush()
	}
	if cerr := w.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, 0o644)
	}
	if err == nil {
		err = os.Rename(name, w.p)
	}
	w.tmp, w.bw = nil, nil
	if err != nil {
		os.Remove(name)
		err = w.d.reason(err)
		w.d.fail(err)
	}
	return err
}

// Abort drops the entry being written; the one in place, if any, stays.
func (w *Writer) Abort() {
	if w.tmp != nil {
		w.tmp.Close()
		os.Remove(w.tmp.Name())
		w.tmp, w.bw = nil, nil
	}
}

// Remove deletes the entry name, if there is one.
func (d *Dir) Remove(name string) {
	if d.usable() {
		os.Remove(d.file(name))
	}
}

func (d *Dir) file(name string) string { return filepath.Join(d.path, filepath.FromSlash(name)) }

// reason turns an error of the os package into its cause and the file it
// concerns: relative to the cache folder when inside it, nothing for the
// folder itself (the caller names the folder).
func (d *Dir) reason(err error) error {
	var pe *fs.PathError
	if err == nil || !errors.As(err, &pe) {
		return err
	}
	p := pe.Path
	if strings.HasPrefix(filepath.Base(p), ".tmp-") {
		p = filepath.Dir(p) // a temporary file's folder
	}
	rel, rerr := filepath.Rel(d.path, p)
	switch {
	case rerr != nil || !filepath.IsLocal(rel) && rel != ".":
		return fmt.Errorf("%s: %w", p, pe.Err)
	case rel == ".":
		return pe.Err
	}
	return fmt.Errorf("%s: %w", filepath.ToSlash(rel), pe.Err)
}
