package publish

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Marker is the file a build puts in every output folder, so that a later
// build (or deploy) knows the folder is Dateline's to replace. Deploying
// skips it: it is no page of the site.
const Marker = ".dateline-output"

// MarkerText is what Marker holds.
var MarkerText = []byte("This folder is written by dateline build, which replaces all of it: edit the site, not this folder.\n")

// CheckOutput refuses an output folder out that a build of the site
// folder site must not replace (a Commit swaps the whole folder out and
// the next build removes what it did not write):
//   - the site folder, or a folder that holds it (-o ., -o ..);
//   - the site's content/ or themes/ folder, or the build cache (SITE/.cache
//     and cache, when not ""), a folder inside one, or a folder that holds one;
//   - unless force is set, a folder that is not empty (beside a .gitkeep)
//     and has no Marker: something else wrote it.
//
// Symbolic links and ".." are resolved first. A path that does not exist
// yet is fine unless it would lie inside one of those folders.
func CheckOutput(out, site, cache string, force bool) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	o := resolve(abs)
	s := resolve(site)
	if within(s, o) {
		if same(s, o) {
			return fmt.Errorf("output folder %s is the site folder", abs)
		}
		return fmt.Errorf("output folder %s holds the site folder %s", abs, s)
	}
	guarded := []struct{ path, what string }{
		{filepath.Join(s, "content"), "the site's content/ folder"},
		{filepath.Join(s, "themes"), "the site's themes/ folder"},
		{filepath.Join(s, ".cache"), "the build cache"},
	}
	if cache != "" {
		guarded = append(guarded, struct{ path, what string }{resolve(cache), "the build cache"})
	}
	for _, g := range guarded {
		p := resolve(g.path)
		switch {
		case same(o, p):
			return fmt.Errorf("output folder %s is %s", abs, g.what)
		case within(o, p):
			return fmt.Errorf("output folder %s lies inside %s", abs, g.what)
		case within(p, o):
			return fmt.Errorf("output folder %s holds %s", abs, g.what)
		}
	}
	if !force && !dateline(o) {
		return fmt.Errorf("output folder %s holds files Dateline did not write (it has no %s file); --force replaces it", abs, Marker)
	}
	return nil
}

// dateline reports whether the folder dir may be replaced by a build: it
// does not exist or is not a folder (creating the output says so), is empty
// but for a .gitkeep, or has Dateline's Marker.
func dateline(dir string) bool {
	if _, err := os.Lstat(filepath.Join(dir, Marker)); err == nil {
		return true
	}
	f, err := os.Open(dir)
	if err != nil {
		// Missing, or a file in the way: creating the output says so.
		return !errors.Is(err, fs.ErrPermission)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.IsDir() {
		return true
	}
	names, err := f.Readdirnames(2)
	if err != nil && err != io.EOF {
		return false
	}
	for _, n := range names {
		if n != ".gitkeep" {
			return false
		}
	}
	return true
}

// resolve returns the absolute path p with its symbolic links resolved,
// as far as it exists.
func resolve(p string) string {
	p, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	rest := ""
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest)
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

// same reports whether the resolved paths a and b name one folder: the
// same name, or (on a case-insensitive or bind-mounted file system) the
// same existing folder.
func same(a, b string) bool {
	if a == b {
		return true
	}
	ai, err := os.Stat(a)
	if err != nil {
		return false
	}
	bi, err := os.Stat(b)
	return err == nil && os.SameFile(ai, bi)
}

// within reports whether the resolved path a is, or lies inside, b.
func within(a, b string) bool {
	if a == b || strings.HasPrefix(a, strings.TrimSuffix(b, string(filepath.Separator))+string(filepath.Separator)) {
		return true
	}
	bi, err := os.Stat(b)
	if err != nil {
		return false
	}
	for p := a; ; {
		if pi, err := os.Stat(p); err == nil && os.SameFile(pi, bi) {
			return true
		}
		parent := filepath.Dir(p)
		if parent == p {
			return false
		}
		p = parent
	}
}
