package publish

import (
	"os"
	"path/filepath"
	"strings"
)

// tempName reports whether name is prefix and the random number that
// os.MkdirTemp puts after it.
func tempName(name, prefix string) bool {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// The names a Dir gives its temporary files and folders, and the only
// names CleanLeftovers removes.
const (
	probePrefix = ".probe-" // canRename's probe, in the kept folder, then beside the output
	tmpInfix    = ".tmp-"   // a fresh staging folder: .public.tmp-*, and .public.tmp-*.old
)

// stagingPrefix is the name of a fresh staging folder of the output out,
// up to its random part.
func stagingPrefix(out string) string { return "." + filepath.Base(out) + tmpInfix }

// CleanLeftovers removes what a build of the output folder out, staging in
// kept, leaves behind when it is killed: fresh staging folders beside out
// (.public.tmp-*, with their .old), and rename probes (.probe-*) beside
// out, in out and in kept. Only names of those patterns go; a kept folder's
// empty folders go at the next Commit. Call it only when no other build
// of out runs (see LockCache); the returned names are those removed.
func CleanLeftovers(out, kept string) []string {
	out, err := filepath.Abs(out)
	if err != nil {
		return nil
	}
	var removed []string
	clean := func(dir string, match func(name string) bool) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			if !match(e.Name()) {
				continue
			}
			p := filepath.Join(dir, e.Name())
			if fault("remove", p) == nil && os.RemoveAll(p) == nil {
				removed = append(removed, p)
			}
		}
	}
	probe := func(name string) bool { return tempName(name, probePrefix) }
	staging := stagingPrefix(out)
	clean(filepath.Dir(out), func(name string) bool {
		return probe(name) || tempName(name, staging) || tempName(strings.TrimSuffix(name, ".old"), staging)
	})
	clean(out, probe)
	if kept != "" {
		if kept, err := filepath.Abs(kept); err == nil {
			clean(kept, probe)
		}
	}
	return removed
}

// LockCache takes a lock on the build cache folder dir (made if need be)
// for as long as a build or a preview uses it, and returns the function
// that lets it go. When no other Dateline process holds it, clean runs
// first, before others may take it: whatever temporary files it finds in
// the cache, and beside the output, were left by a process that was
// killed. Where files cannot be locked, clean never runs.
func LockCache(dir string, clean func()) (unlock func()) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return func() {}
	}
	f, alone, err := lockCache(filepath.Join(dir, ".lock"))
	if err != nil {
		return func() {}
	}
	if alone {
		clean()
		if shareLock(f) != nil {
			f.Close()
			return func() {}
		}
	}
	return func() { f.Close() }
}

// CleanTempFiles removes the temporary files (names holding ".tmp-") that a
// killed process leaves in the cache folder dir, and in its subfolders down
// to depth levels: the photo cache's and the build cache's files are
// written under such a name, then renamed. Call it only when no other
// process uses dir (see LockCache); the returned names are those removed.
func CleanTempFiles(dir string, depth int) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		switch {
		case e.IsDir():
			if depth > 0 {
				removed = append(removed, CleanTempFiles(p, depth-1)...)
			}
		case e.Type().IsRegular() && strings.Contains(e.Name(), tmpInfix):
			if fault("remove", p) == nil && os.Remove(p) == nil {
				removed = append(removed, p)
			}
		}
	}
	return removed
}
