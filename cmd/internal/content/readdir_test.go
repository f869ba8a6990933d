package content

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"testing"

	"dateline/cmd/internal/corpus"
)

// mkfifo is syscall.Mkfifo where there is one (readdir_linux_test.go).
var mkfifo func(string, uint32) error

// TestReadDirDirect checks that a folder of os.DirFS, which readDir lists
// with its own system calls on Linux, lists as fs.ReadDir lists it: the
// same names, in the same order, of the same types, or the same error.
func TestReadDirDirect(t *testing.T) {
	root := t.TempDir()
	mk := func(name string) string {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, name := range []string{"content/a/en.md", "content/a/zh.md", "content/a/photos/p1.png", "content/a/.hidden",
		"content/a/_notes.md", "content/a/中文.md", "content/a/with space", "content/b/x"} {
		if err := os.WriteFile(mk(name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Mkdir(mk("content/empty"), 0o755)
	os.Symlink("en.md", mk("content/a/link.md"))
	os.Symlink("../b", mk("content/a/dirlink"))
	os.Symlink("missing", mk("content/a/dangling"))
	if runtime.GOOS != "windows" {
		if mkfifo != nil {
			mkfifo(mk("content/a/fifo"), 0o644)
		}
		if l, err := net.Listen("unix", mk("content/a/sock")); err == nil {
			defer l.Close()
		}
	}
	// A folder of many names, longer than one getdents64 buffer.
	for i := range 3000 {
		os.WriteFile(mk("content/many/report-with-a-long-name-"+strconv.Itoa(i)), nil, 0o644)
	}
	names := []string{"content", "content/a", "content/a/photos", "content/b", "content/empty", "content/many",
		"content/a/en.md", "content/missing", "content/a/dirlink", "content/a/link.md", "content/a/dangling",
		"content/a/../b", "/content", "."}
	if runtime.GOOS != "windows" && os.Getuid() != 0 {
		p := mk("content/locked/x")
		os.WriteFile(p, nil, 0o644)
		os.Chmod(filepath.Dir(p), 0o000)
		defer os.Chmod(filepath.Dir(p), 0o755)
		names = append(names, "content/locked")
	}
	for _, dir := range []string{root, root + string(filepath.Separator)} {
		direct, plain := os.DirFS(dir), openOnly{os.DirFS(dir)}
		var buf []byte
		if _, ok, _ := readDirDirect(dir, "content/a", &buf); !ok && runtime.GOOS == "linux" {
			t.Errorf("readDirDirect left content/a to fs.ReadDir")
		}
		for _, name := range names {
			got, gotErr := readDir(direct, name, &buf)
			want, wantErr := fs.ReadDir(direct, name)
			if _, err := readDir(plain, name, new([]byte)); (err == nil) != (wantErr == nil) {
				t.Errorf("%s: through fs.FS, error %v; fs.ReadDir: %v", name, err, wantErr)
			}
			if (gotErr == nil) != (wantErr == nil) || gotErr != nil && unwrapPathError(gotErr).Error() != unwrapPathError(wantErr).Error() {
				t.Errorf("%s: error %v; fs.ReadDir: %v", name, gotErr, wantErr)
				continue
			}
			if gotErr != nil {
				if errors.Is(gotErr, fs.ErrNotExist) != errors.Is(wantErr, fs.ErrNotExist) {
					t.Errorf("%s: error %v is not like %v", name, gotErr, wantErr)
				}
				continue
			}
			wantEntries := make([]dirEntry, len(want))
			for i, e := range want {
				wantEntries[i] = dirEntry{name: e.Name(), typ: e.Type()}
			}
			if !reflect.DeepEqual(got, wantEntries) && (len(got) > 0 || len(want) > 0) {
				t.Errorf("%s: listed %v; fs.ReadDir: %v", name, got, wantEntries)
			}
		}
	}
}

// BenchmarkReadDir lists the folders of 1,000 reports (the report, its
// photos) with readDir and with fs.ReadDir.
func BenchmarkReadDir(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Generate(1000, 1)); err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	var folders []string
	for i := range 1000 {
		folders = append(folders, "content/"+corpus.Slug(i+1), "content/"+corpus.Slug(i+1)+"/photos")
	}
	for _, bc := range []struct {
		name string
		list func(string, *[]byte) int
	}{
		{"readDir", func(name string, buf *[]byte) int {
			ents, err := readDir(fsys, name, buf)
			if err != nil {
				b.Fatal(err)
			}
			return len(ents)
		}},
		{"fs.ReadDir", func(name string, _ *[]byte) int {
			ents, err := fs.ReadDir(fsys, name)
			if err != nil {
				b.Fatal(err)
			}
			return len(ents)
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var buf []byte
			n := 0
			for b.Loop() {
				for _, f := range folders {
					if bc.list(f, &buf) == 0 {
						b.Fatalf("%s is empty", f)
					}
				}
				n += len(folders)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "folders/s")
		})
	}
}
