package content

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
)

// TestReadFileDirect checks that a file of os.DirFS, which readFile reads
// with its own system calls, reads as through the fs.FS interface: the same
// bytes or the same problem.
func TestReadFileDirect(t *testing.T) {
	root := t.TempDir()
	big := bytes.Repeat([]byte("正文 text\n"), 30_000) // past the first buffer
	files := map[string][]byte{
		"content/a/en.md":    []byte("---\ntitle: t\n---\n"),
		"content/a/empty.md": {},
		"content/a/big.md":   big,
		"content/a/max.md":   bytes.Repeat([]byte("x"), MaxFileSize),
	}
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Larger than the limit, without writing it: the size comes from fstat.
	f, err := os.Create(filepath.Join(root, "content", "a", "huge.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFileSize + 1<<20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	// One byte over: the size read is the size.
	os.WriteFile(filepath.Join(root, "content", "a", "over.md"), bytes.Repeat([]byte("x"), MaxFileSize+1), 0o644)
	os.Mkdir(filepath.Join(root, "content", "a", "dir.md"), 0o755)
	os.Symlink("en.md", filepath.Join(root, "content", "a", "link.md"))
	names := []string{"content/a/en.md", "content/a/empty.md", "content/a/big.md", "content/a/max.md",
		"content/a/huge.md", "content/a/over.md", "content/a/dir.md", "content/a/link.md",
		"content/a/missing.md", "content/nope/en.md", "content/a/en.md/x", "content/a/../a/en.md", "/content/a/en.md"}
	if runtime.GOOS != "windows" && os.Getuid() != 0 {
		p := filepath.Join(root, "content", "a", "secret.md")
		os.WriteFile(p, []byte("x"), 0o000)
		names = append(names, "content/a/secret.md")
	}
	for _, dir := range []string{root, root + string(filepath.Separator)} {
		direct, plain := os.DirFS(dir), openOnly{os.DirFS(dir)}
		if _, ok := osDir(direct); !ok && (runtime.GOOS == "linux" || runtime.GOOS == "darwin") {
			t.Fatalf("osDir(os.DirFS(%q)) is not known", dir)
		}
		var buf []byte
		var kept [][]byte
		for _, name := range names {
			got, gotProb, gotOK := readFile(direct, name, &buf)
			want, wantProb, wantOK := readFile(plain, name, new([]byte))
			if !bytes.Equal(got, want) || gotOK != wantOK || !reflect.DeepEqual(gotProb, wantProb) {
				t.Errorf("%s: read %d bytes, %v, %v; through fs.FS %d bytes, %v, %v", name, len(got), gotOK, gotProb, len(want), wantOK, wantProb)
			}
			if d, ok := files[name]; ok && !bytes.Equal(got, d) {
				t.Errorf("%s: read %d bytes, want the %d written", name, len(got), len(d))
			}
			kept = append(kept, got)
		}
		// The buffer is reused: what was returned before is a copy.
		for i, name := range names {
			if d, ok := files[name]; ok && !bytes.Equal(kept[i], d) {
				t.Errorf("%s: bytes changed by later reads", name)
			}
		}
	}
	for name, want := range map[string]string{
		"content/a/huge.md":    "content/a/huge.md: file is too large (9.0 MiB; the limit is 8 MiB)",
		"content/a/over.md":    "content/a/over.md: file is too large (8.0 MiB; the limit is 8 MiB)",
		"content/a/missing.md": "content/a/missing.md: cannot read: no such file or directory",
		"content/a/dir.md":     "content/a/dir.md: cannot read: is a directory",
	} {
		if _, prob, _ := readFile(os.DirFS(root), name, new([]byte)); prob.String() != want {
			t.Errorf("%s: %v, want %s", name, prob, want)
		}
	}
}
