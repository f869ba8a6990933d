package deploy

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
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
func Scan(ctx context.Context, dir string) ([]File, error) {
	var files []File
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
			files = append(files, File{Path: rel})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })

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
	return files, ctx.Err()
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
