package cache

import (
	"bytes"
	"encoding/gob"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestKeyOf(t *testing.T) {
	keys := map[Key]string{}
	for _, fields := range [][]string{
		{"a"}, {"a", ""}, {"a", "bc"}, {"a", "b", "c"}, {"ab", "c"}, {"b", "a"},
	} {
		k := KeyOf(fields[0], fields[1:]...)
		if prev, ok := keys[k]; ok {
			t.Errorf("KeyOf(%q) = KeyOf(%s)", fields, prev)
		}
		keys[k] = strings.Join(fields, "|")
		h := NewHasher(fields[0])
		for _, f := range fields[1:] {
			h.Bytes([]byte(f))
		}
		if h.Key() != k {
			t.Errorf("Hasher.Bytes(%q) differs from KeyOf", fields)
		}
	}
}

// TestKeyGob: a Key goes through encoding/gob as one byte string (its 32
// bytes and a few of framing, where an array costs at least one byte per
// element and two for each above 127) and comes back whole; a byte string
// of another length is refused.
func TestKeyGob(t *testing.T) {
	type entry struct {
		K    Key
		Keys []Key
	}
	var in entry
	for i := range in.K {
		in.K[i] = byte(255 - i)
	}
	in.Keys = []Key{{}, KeyOf("a"), in.K}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(in); err != nil {
		t.Fatal(err)
	}
	var out entry
	if err := gob.NewDecoder(bytes.NewReader(buf.Bytes())).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out.K != in.K || len(out.Keys) != 3 || out.Keys[1] != in.Keys[1] || out.Keys[2] != in.K || out.Keys[0] != (Key{}) {
		t.Errorf("decoded %v, want %v", out, in)
	}
	var one bytes.Buffer
	if err := gob.NewEncoder(&one).Encode(in.K); err != nil {
		t.Fatal(err)
	}
	if n := one.Len(); n > 2*len(in.K) {
		t.Errorf("a key takes %d bytes in gob, want about %d", n, len(in.K))
	}
	for _, n := range []int{0, 31, 33} {
		var k Key
		if err := k.UnmarshalBinary(make([]byte, n)); err == nil {
			t.Errorf("UnmarshalBinary of %d bytes: no error", n)
		}
	}
}

func TestPutGet(t *testing.T) {
	d := Open(filepath.Join(t.TempDir(), "cache"))
	if err := d.Err(); err != nil {
		t.Fatal(err)
	}
	key := KeyOf("test", "1")
	data := []byte("some derived bytes")
	if _, err := d.Get("x/y", key); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Get before Put: %v; want fs.ErrNotExist", err)
	}
	if err := d.Put("x/y", key, data); err != nil {
		t.Fatal(err)
	}
	got, err := d.Get("x/y", key)
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("Get = %q, %v; want %q", got, err, data)
	}
	if _, err := d.Get("x/y", KeyOf("test", "2")); !errors.Is(err, ErrStale) {
		t.Errorf("Get with another key: %v; want ErrStale", err)
	}
	// Only whole entries in the folder: no temporary or probe files.
	var names []string
	filepath.WalkDir(d.Path(), func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			names = append(names, filepath.Base(p))
		}
		return err
	})
	if len(names) != 1 || names[0] != "y" {
		t.Errorf("the folder holds %q; want [y]", names)
	}
	d.Remove("x/y")
	if _, err := d.Get("x/y", key); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Get after Remove: %v; want fs.ErrNotExist", err)
	}
}

// TestWriter: an entry written as a stream is what Put would write, and is
// in place only after Commit; Abort leaves the entry before it. A Writer on
// a Dir that keeps nothing discards; one whose file cannot be made fails
// at Commit, and the Dir keeps nothing from then on.
func TestWriter(t *testing.T) {
	d := Open(t.TempDir())
	key := KeyOf("stream")
	if err := d.Put("m", key, []byte("old")); err != nil {
		t.Fatal(err)
	}
	w := d.Create("m", key)
	for _, part := range []string{"one ", "two ", "three"} {
		if _, err := w.Write([]byte(part)); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := d.Get("m", key); string(got) != "old" {
		t.Errorf("before Commit: %q; want the old entry", got)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, err := d.Get("m", key); err != nil || string(got) != "one two three" {
		t.Errorf("after Commit: %q, %v", got, err)
	}
	streamed, _ := os.ReadFile(filepath.Join(d.Path(), "m"))
	d.Put("p", key, []byte("one two three"))
	if put, _ := os.ReadFile(filepath.Join(d.Path(), "p")); !bytes.Equal(streamed, put) {
		t.Error("a streamed entry differs from Put's")
	}

	w = d.Create("m", key)
	w.Write([]byte("given up"))
	w.Abort()
	w.Abort() // twice is fine
	if got, _ := d.Get("m", key); string(got) != "one two three" {
		t.Errorf("after Abort: %q; want the entry before it", got)
	}
	if err := w.Commit(); err != nil {
		t.Errorf("Commit after Abort: %v", err)
	}
	entries, _ := os.ReadDir(d.Path())
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}

	none := Open("")
	w = none.Create("m", key)
	if n, err := w.Write([]byte("x")); n != 1 || err != nil {
		t.Errorf("Write on a cache that keeps nothing: %d, %v", n, err)
	}
	if err := w.Commit(); err != nil {
		t.Errorf("Commit on a cache that keeps nothing: %v", err)
	}

	root := t.TempDir()
	broken := Open(filepath.Join(root, "cache"))
	os.WriteFile(filepath.Join(root, "cache", "sub"), []byte("a file where a folder goes"), 0o644)
	w = broken.Create("sub/m", key)
	w.Write([]byte("x"))
	if err := w.Commit(); err == nil || broken.Err() == nil {
		t.Errorf("Commit into a file: %v, Err %v; want both to fail", err, broken.Err())
	}
}

// TestDamaged: an entry whose bytes are not those Put wrote is never
// returned.
func TestDamaged(t *testing.T) {
	key := KeyOf("test")
	data := bytes.Repeat([]byte("0123456789"), 100)
	d := Open(t.TempDir())
	encode := func(key Key, data []byte) []byte {
		if err := d.Put("e", key, data); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(filepath.Join(d.Path(), "e"))
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	good := encode(key, data)
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x20
		return b
	}
	for name, raw := range map[string][]byte{
		"empty":           nil,
		"cut short":       good[:len(good)-1],
		"cut to its head": good[:len(magic)+len(key)],
		"longer":          append(bytes.Clone(good), 0),
		"magic":           flip(0),
		"data":            flip(len(good) / 2),
		"sum":             flip(len(good) - 1),
		"the data alone":  data,
		"another entry":   encode(key, []byte("other")),
	} {
		got, err := Decode(raw, key)
		if name == "another entry" {
			// Whole and of the same key: it is what Put wrote.
			if err != nil || string(got) != "other" {
				t.Errorf("%s: %q, %v", name, got, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: decoded %d bytes; want an error", name, len(got))
		} else if name == "key" && !errors.Is(err, ErrStale) {
			t.Errorf("%s: %v; want ErrStale", name, err)
		}
	}
	if _, err := Decode(good, KeyOf("other")); !errors.Is(err, ErrStale) {
		t.Errorf("another key: %v; want ErrStale", err)
	}
}

// TestUnusable: a cache folder that cannot be used keeps nothing, fails
// nothing, and says why once, without naming the folder (the caller does).
func TestUnusable(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{file, "is a file, not a folder"},
		{filepath.Join(file, "cache"), file + ": not a directory"},
	} {
		d := Open(tc.path)
		if err := d.Err(); err == nil || err.Error() != tc.want {
			t.Errorf("Open(%s).Err() = %v; want %q", tc.path, err, tc.want)
		}
		if err := d.Put("a", Key{}, []byte("x")); err != nil {
			t.Errorf("Put on an unusable cache: %v", err)
		}
		if _, err := d.Get("a", Key{}); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Get on an unusable cache: %v", err)
		}
	}

	// A folder that fails later (an entry's folder is a file): the first
	// failure is kept, and nothing is written after it.
	d := Open(filepath.Join(root, "later"))
	if err := os.WriteFile(filepath.Join(root, "later", "photos"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Put("photos/ab/cd", Key{}, []byte("x")); err == nil {
		t.Fatal("Put under a file succeeded")
	}
	if err := d.Err(); err == nil || err.Error() != "photos: not a directory" {
		t.Errorf("Err() = %v; want photos: not a directory", err)
	}
	if err := d.Put("other", Key{}, []byte("x")); err != nil {
		t.Errorf("Put after a failure: %v; want nothing written and no error", err)
	}
	if _, err := os.Stat(filepath.Join(root, "later", "other")); !os.IsNotExist(err) {
		t.Errorf("Put after a failure wrote its entry (%v)", err)
	}

	var none *Dir
	if none.Put("a", Key{}, nil) != nil || none.Err() != nil || none.Path() != "" {
		t.Error("a nil Dir does something")
	}
	if d := Open(""); d.Err() != nil || d.Put("a", Key{}, nil) != nil {
		t.Error("Open(\"\") does something")
	}
}

// TestConcurrentPut: writers racing on one entry leave a whole entry.
func TestConcurrentPut(t *testing.T) {
	d := Open(t.TempDir())
	key := KeyOf("race")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if err := d.Put("e", key, bytes.Repeat([]byte{byte('a' + i)}, 1<<16)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err := d.Get("e", key)
	if err != nil || len(got) != 1<<16 || bytes.Count(got, got[:1]) != len(got) {
		t.Errorf("after racing writers: %d bytes, %v", len(got), err)
	}
}
