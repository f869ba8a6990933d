package site

import (
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// indexedFS is an fstest.MapFS whose folders are listed once, when it is
// made. MapFS lists a folder by scanning every file of the map, on each
// Open, Stat or ReadDir of it, so a build of 5,000 reports from a MapFS
// spent more time listing its 5,000 folders than converting them (1.38
// cpu-ms/page against 0.87 for the command); the benchmarks of large
// builds from memory use this instead. Files are served by the MapFS; no
// file may be added or removed after.
type indexedFS struct {
	files fstest.MapFS
	dirs  map[string][]fs.DirEntry // sorted by name, as fs.ReadDir promises
}

func newIndexedFS(files fstest.MapFS) *indexedFS {
	f := &indexedFS{files: files, dirs: map[string][]fs.DirEntry{".": nil}}
	seen := map[string]bool{} // names listed in their folder
	for name, file := range files {
		var entry fs.DirEntry
		if file.Mode.IsDir() {
			entry = fs.FileInfoToDirEntry(dirInfo(path.Base(name)))
			if _, ok := f.dirs[name]; !ok {
				f.dirs[name] = nil
			}
		} else {
			info, err := files.Stat(name)
			if err != nil {
				panic(err)
			}
			entry = fs.FileInfoToDirEntry(info)
		}
		// List name in its folder, and each folder above in its own, up to
		// the first one listed already: the folders above that are too.
		for name != "." && !seen[name] {
			seen[name] = true
			parent := path.Dir(name)
			f.dirs[parent] = append(f.dirs[parent], entry)
			name, entry = parent, fs.FileInfoToDirEntry(dirInfo(path.Base(parent)))
		}
	}
	for _, entries := range f.dirs {
		slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	}
	return f
}

func (f *indexedFS) Open(name string) (fs.File, error) {
	if entries, ok := f.dirs[name]; ok {
		return &openDir{info: dirInfo(path.Base(name)), entries: entries}, nil
	}
	return f.files.Open(name)
}

func (f *indexedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if entries, ok := f.dirs[name]; ok {
		return slices.Clone(entries), nil
	}
	return f.files.ReadDir(name)
}

func (f *indexedFS) ReadFile(name string) ([]byte, error) { return f.files.ReadFile(name) }

func (f *indexedFS) Stat(name string) (fs.FileInfo, error) {
	if _, ok := f.dirs[name]; ok {
		return dirInfo(path.Base(name)), nil
	}
	return f.files.Stat(name)
}

// dirInfo describes a folder of an indexedFS.
type dirInfo string

func (d dirInfo) Name() string       { return string(d) }
func (d dirInfo) Size() int64        { return 0 }
func (d dirInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (d dirInfo) ModTime() time.Time { return time.Time{} }
func (d dirInfo) IsDir() bool        { return true }
func (d dirInfo) Sys() any           { return nil }

// openDir is an open folder of an indexedFS.
type openDir struct {
	info    dirInfo
	entries []fs.DirEntry
	off     int
}

func (d *openDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *openDir) Close() error               { return nil }
func (d *openDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: string(d.info), Err: fs.ErrInvalid}
}

func (d *openDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return slices.Clone(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(n, len(rest))]
	d.off += len(rest)
	return slices.Clone(rest), nil
}

// TestIndexedFS holds indexedFS to the standard library's checks of a
// file system (testing/fstest.TestFS), on a map with nested folders, a
// folder given explicitly and an empty one.
func TestIndexedFS(t *testing.T) {
	files := fstest.MapFS{
		"site.toml":                  {Data: []byte("title = 't'\n")},
		"content/a/zh.md":            {Data: []byte("---\ntitle: a\n---\n")},
		"content/a/photos/p.png":     {Data: []byte("png")},
		"content/b/en.md":            {Data: []byte("b")},
		"content/empty":              {Mode: fs.ModeDir | 0o755},
		"themes/default/layout.html": {Data: []byte("<p>")},
	}
	if err := fstest.TestFS(newIndexedFS(files), "site.toml", "content/a/zh.md", "content/a/photos/p.png", "content/b/en.md", "content/empty", "themes/default/layout.html"); err != nil {
		t.Fatal(err)
	}
}
