package deploy

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// A File is one file of the built site to be published.
type File struct {
	Path string // slash path in the output folder: "en/river/index.html"
	Size int64
	// MD5 is the hex MD5 of the file: what a store reports as the ETag of
	// an object uploaded in one piece, which is how every object of a
	// deploy is uploaded.
	MD5 string
}

// Scan lists the files of the output folder dir that a deploy publishes,
// sorted by path, with their MD5s. It leaves out _headers, whose policy a
// deploy sets on each object instead, and files at the top whose names
// begin with "." (the build's own records).
//
// cache, when not "", is a file of the MD5s of an earlier Scan: a file
// whose path, size, modification and change times and inode are the same
// is not read again (a build leaves the files it does not change as they
// are). Scan rewrites it.
func Scan(ctx context.Context, dir, cache string) ([]File, error) {
	var (
		files []File
		keys  []statKey
	)
	known := loadSums(cache)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if !strings.Contains(rel, "/") && (rel == "_headers" || strings.HasPrefix(rel, ".")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			k, ok := keyOf(rel, fi)
			f := File{Path: rel}
			if sum, hit := known[k]; ok && hit {
				f.Size, f.MD5 = fi.Size(), sum
			}
			files = append(files, f)
			keys = append(keys, k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	// Hash on every core: reading pages from the page cache is quick, MD5
	// is not.
	var (
		wg    sync.WaitGroup
		next  = make(chan int)
		errMu sync.Mutex
		first error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				f := &files[i]
				if f.MD5 != "" {
					continue
				}
				if err := f.hash(filepath.Join(dir, filepath.FromSlash(f.Path))); err != nil {
					errMu.Lock()
					first = cmpErr(first, err)
					errMu.Unlock()
				}
			}
		})
	}
	for i := range files {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	saveSums(cache, files, keys, known, time.Now().Add(-racyWindow).UnixNano())
	// WalkDir's lexical order is not quite by path ("a-b/x" < "a/x").
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files, nil
}

// A statKey identifies one version of a file, as far as its metadata
// tells: a file written again gets a new change time.
type statKey struct {
	path               string
	size, mtime, ctime int64
	ino                uint64
}

// loadSums reads a cache of MD5s; a missing or damaged one is empty.
func loadSums(cache string) map[statKey]string {
	known := map[statKey]string{}
	if cache == "" {
		return known
	}
	data, err := os.ReadFile(cache)
	if err != nil {
		return known
	}
	for _, line := range strings.Split(string(data), "\n") {
		var k statKey
		var sum string
		n, err := fmt.Sscanf(line, "%32s %d %d %d %d", &sum, &k.size, &k.mtime, &k.ctime, &k.ino)
		_, path, ok := strings.Cut(line, "\t")
		if n != 5 || err != nil || !ok || len(sum) != 32 {
			continue
		}
		k.path = path
		known[k] = sum
	}
	return known
}

// racyWindow: a file changed this recently may change again within the
// same tick of the file system's clock, its times unchanged (git's "racy"
// files); its MD5 is not kept. A build's new files are read again by the
// next deploy; the files it did not touch are older.
var racyWindow = 2 * time.Second

// saveSums writes the cache: the MD5s of this scan, and for each path one
// earlier version (the output folder alternates between two trees); none
// of a file changed after settled (Unix nanoseconds).
func saveSums(cache string, files []File, keys []statKey, known map[statKey]string, settled int64) {
	if cache == "" {
		return
	}
	var b strings.Builder
	line := func(k statKey, sum string) {
		if k.mtime != 0 && k.ctime < settled && k.mtime < settled && !strings.ContainsAny(k.path, "\t\n") {
			fmt.Fprintf(&b, "%s %d %d %d %d\t%s\n", sum, k.size, k.mtime, k.ctime, k.ino, k.path)
		}
	}
	current := make(map[statKey]bool, len(keys))
	paths := make(map[string]bool, len(keys))
	for i, k := range keys {
		line(k, files[i].MD5)
		current[k] = true
		paths[k.path] = true
	}
	for k, sum := range known {
		if !current[k] && paths[k.path] {
			line(k, sum)
			delete(paths, k.path)
		}
	}
	if err := os.MkdirAll(filepath.Dir(cache), 0o755); err != nil {
		return
	}
	tmp := cache + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return
	}
	if os.Rename(tmp, cache) != nil {
		os.Remove(tmp)
	}
}

func (f *File) hash(name string) error {
	r, err := os.Open(name)
	if err != nil {
		return err
	}
	defer r.Close()
	h := md5.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return err
	}
	f.Size = n
	f.MD5 = hex.EncodeToString(h.Sum(nil))
	return nil
}

func cmpErr(first, err error) error {
	if first == nil {
		return err
	}
	return first
}
