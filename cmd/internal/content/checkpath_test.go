package content

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"
)

// linkSite makes a site folder with links inside and outside content/.
func linkSite(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, name := range []string{
		"secret.jpg", "outside/x.jpg", "outside/sub/y.jpg",
		"content/a/en.md", "content/a/photos/real.jpg", "content/a/photos/two.jpg",
		"content/a/photos/deep/z.jpg", "content/d/photos/w.jpg",
	} {
		mkfile(t, root, name)
	}
	for _, l := range [][2]string{
		{"../../../secret.jpg", "content/a/photos/secret.jpg"}, // file outside
		{"/etc/hostname", "content/a/photos/abs.jpg"},          // absolute
		{"../../../outside", "content/a/linked"},               // folder outside
		{"deep", "content/a/photos/inner"},                     // folder inside
		{"../../outside", "content/b"},                         // report outside
		{"a", "content/c"},                                     // report inside
		{"hop", "content/d/photos/chain"},                      // chain ...
		{"../../../outside", "content/d/photos/hop"},           // ... leading outside
		{"missing", "content/d/photos/dangling"},               // dangling
	} {
		mklink(t, root, l[0], l[1])
	}
	return root
}

func mkfile(t *testing.T, root, name string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(name), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mklink(t *testing.T, root, target, name string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		t.Skipf("cannot make symlinks here: %v", err)
	}
}

// checkPathCases are paths of linkSite and a PathChecker's answers.
var checkPathCases = []struct{ name, want string }{
	{"content/a/photos/real.jpg", ""},
	{"content/a/photos/two.jpg", ""},
	{"content/a/photos/missing.jpg", ""}, // reading it reports that
	{"content/a/photos/deep/z.jpg", ""},
	{"content/a/photos/inner/z.jpg", ""},
	{"content/a/photos/secret.jpg", "symlink leads outside content/"},
	{"content/a/photos/abs.jpg", "symlink leads outside content/"},
	{"content/a/linked/x.jpg", "symlink leads outside content/"},
	{"content/a/linked/sub/y.jpg", "symlink leads outside content/"},
	{"content/a/linked", "symlink leads outside content/"},
	{"content/b/x.jpg", "symlink leads outside content/"},
	{"content/b/sub/y.jpg", "symlink leads outside content/"},
	{"content/c/photos/real.jpg", ""},
	{"content/c/photos/secret.jpg", "symlink leads outside content/"},
	{"content/c/linked/x.jpg", "symlink leads outside content/"},
	{"content/d/photos/w.jpg", ""},
	{"content/d/photos/chain/x.jpg", "symlink leads outside content/"},
	{"content/d/photos/hop/x.jpg", "symlink leads outside content/"},
	{"content/d/photos/dangling", ""},
	{"content/d/photos/dangling/x.jpg", ""},
	{"content/nope/photos/x.jpg", ""},
	{"content/", ""},
	{"content/a/", ""},
	{"secret.jpg", "secret.jpg is outside content/"},
	{"contents/a/x.jpg", "contents/a/x.jpg is outside content/"},
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestPathChecker checks a PathChecker's answers, whatever it checked before: each path alone, all paths in order and in
// reverse order through one checker, and every pair of paths.
func TestPathChecker(t *testing.T) {
	fsys := os.DirFS(linkSite(t))
	for _, tc := range checkPathCases {
		if got := errText(NewPathChecker(fsys).Check(tc.name)); got != tc.want {
			t.Errorf("new checker: Check(%s) = %q, want %q", tc.name, got, tc.want)
		}
	}
	forward, backward := NewPathChecker(fsys), NewPathChecker(fsys)
	for i := range checkPathCases {
		for _, run := range []struct {
			c  *PathChecker
			tc int
		}{{forward, i}, {backward, len(checkPathCases) - 1 - i}} {
			tc := checkPathCases[run.tc]
			// Twice: the second answer comes from what the first remembered.
			for range 2 {
				if got := errText(run.c.Check(tc.name)); got != tc.want {
					t.Errorf("shared checker: Check(%s) = %q, want %q", tc.name, got, tc.want)
				}
			}
		}
	}
	for _, first := range checkPathCases {
		for _, tc := range checkPathCases {
			c := NewPathChecker(fsys)
			c.Check(first.name)
			if got := errText(c.Check(tc.name)); got != tc.want {
				t.Errorf("after %s: Check(%s) = %q, want %q", first.name, tc.name, got, tc.want)
			}
		}
	}
}

// TestPathCheckerSiblings checks that a folder verified for one photo does
// not let a path through a symlinked sibling folder pass.
func TestPathCheckerSiblings(t *testing.T) {
	fsys := os.DirFS(linkSite(t))
	c := NewPathChecker(fsys)
	for _, name := range []string{"content/a/photos/real.jpg", "content/a/photos/deep/z.jpg", "content/a/en.md"} {
		if err := c.Check(name); err != nil {
			t.Fatalf("Check(%s) = %v", name, err)
		}
	}
	for _, name := range []string{"content/a/linked/x.jpg", "content/a/photos/secret.jpg", "content/b/x.jpg", "content/c/linked/x.jpg"} {
		if err := c.Check(name); err == nil {
			t.Errorf("Check(%s) = nil after its siblings were checked, want a refusal", name)
		}
	}
}

// TestPathCheckerNewBuild checks what a build's new PathChecker sees after
// a folder that an earlier checker verified became a symlink leading
// outside content/.
func TestPathCheckerNewBuild(t *testing.T) {
	root := linkSite(t)
	fsys := os.DirFS(root)
	if err := NewPathChecker(fsys).Check("content/d/photos/w.jpg"); err != nil {
		t.Fatal(err)
	}
	photos := filepath.Join(root, "content", "d", "photos")
	if err := os.RemoveAll(photos); err != nil {
		t.Fatal(err)
	}
	mklink(t, root, "../../outside", "content/d/photos")
	mkfile(t, root, "outside/w.jpg")
	if err := NewPathChecker(fsys).Check("content/d/photos/w.jpg"); errText(err) != "symlink leads outside content/" {
		t.Errorf("a new checker: Check = %v, want a refusal", err)
	}
}

// TestPathCheckerConcurrent checks many paths from several goroutines
// through one checker (run with -race).
func TestPathCheckerConcurrent(t *testing.T) {
	fsys := os.DirFS(linkSite(t))
	c := NewPathChecker(fsys)
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(checkPathCases))
	for g := range 8 {
		wg.Go(func() {
			for i := range checkPathCases {
				tc := checkPathCases[(i+g*3)%len(checkPathCases)]
				if got := errText(c.Check(tc.name)); got != tc.want {
					errs <- fmt.Sprintf("Check(%s) = %q, want %q", tc.name, got, tc.want)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestPathCheckerMapFS checks an in-memory file system, which can read
// links too, and one that cannot, which is trusted.
func TestPathCheckerMapFS(t *testing.T) {
	fsys := fstest.MapFS{
		"secret.jpg":              {Data: []byte("s")},
		"content/a/photos/x.jpg":  {Data: []byte("x")},
		"content/a/linked":        {Data: []byte("../../outside"), Mode: os.ModeSymlink},
		"content/a/photos/s.jpg":  {Data: []byte("../../../secret.jpg"), Mode: os.ModeSymlink},
		"content/b/photos/in.jpg": {Data: []byte("../../a/photos/x.jpg"), Mode: os.ModeSymlink},
	}
	c := NewPathChecker(fsys)
	for _, tc := range []struct{ name, want string }{
		{"content/a/photos/x.jpg", ""},
		{"content/a/photos/s.jpg", "symlink leads outside content/"},
		{"content/a/linked/y.jpg", "symlink leads outside content/"},
		{"content/b/photos/in.jpg", ""},
	} {
		if got := errText(c.Check(tc.name)); got != tc.want {
			t.Errorf("Check(%s) = %q, want %q", tc.name, got, tc.want)
		}
	}
	// Without ReadLink, the file system is trusted.
	plain := openOnly{fsys}
	if err := NewPathChecker(plain).Check("content/a/photos/s.jpg"); err != nil {
		t.Errorf("without ReadLink: Check = %v, want nil", err)
	}
}

// openOnly hides every method of a file system but Open.
type openOnly struct{ fsys fs.FS }

func (o openOnly) Open(name string) (fs.File, error) { return o.fsys.Open(name) }

// lstatCounter counts the Lstat calls made through it.
type lstatCounter struct {
	fs.ReadLinkFS
	mu sync.Mutex
	n  map[string]int
}

func (c *lstatCounter) Lstat(name string) (fs.FileInfo, error) {
	c.mu.Lock()
	c.n[name]++
	c.mu.Unlock()
	return c.ReadLinkFS.Lstat(name)
}

// TestPathCheckerRemembers checks that a PathChecker looks at each folder
// once, and at each file every time it is asked.
func TestPathCheckerRemembers(t *testing.T) {
	fsys := &lstatCounter{ReadLinkFS: os.DirFS(linkSite(t)).(fs.ReadLinkFS), n: map[string]int{}}
	c := NewPathChecker(fsys)
	for _, name := range []string{"content/a/photos/real.jpg", "content/a/photos/two.jpg", "content/a/photos/real.jpg", "content/c/photos/two.jpg"} {
		if err := c.Check(name); err != nil {
			t.Fatalf("Check(%s) = %v", name, err)
		}
	}
	// content/a twice: once as a folder, once as what the link content/c
	// leads to.
	want := map[string]int{
		"content/a": 2, "content/a/photos": 1, "content/a/photos/real.jpg": 2, "content/a/photos/two.jpg": 1,
		"content/c": 1, "content/c/photos": 1, "content/c/photos/two.jpg": 1,
	}
	if fmt.Sprint(fsys.n) != fmt.Sprint(want) {
		t.Errorf("lstat calls %v, want %v", fsys.n, want)
	}
}
