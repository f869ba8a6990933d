package site

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // register decoders for image.DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"net/url"
	"path"
	"strings"
	"sync"

	"dateline/cmd/internal/publish"
)

// maxPixels bounds the size of a photo: a header claiming more is refused
// before anything decodes it (60000×60000 would need 14 GB).
const maxPixels = 80_000_000

// A file is a photo or other file a report uses, published under a
// content-hashed name.
type file struct {
	once sync.Once

	src       string // path in the site FS: "content/river/photos/x.jpg"
	out       string // output path: "assets/photos/x.3f2a1b9c0d.jpg"
	mediaType string
	size      int64
	width     int // 0 for files that are not images
	height    int
	imgErr    error // why the file is not a usable image
	err       error // why the file cannot be published at all
}

// files is the set of files the reports of a site refer to, each read and
// hashed once however many editions use it.
type files struct {
	fsys fs.FS
	mu   sync.Mutex
	m    map[string]*file
}

func newFiles(fsys fs.FS) *files { return &files{fsys: fsys, m: map[string]*file{}} }

// get returns the file at src, reading it the first time.
func (s *files) get(src string) *file {
	s.mu.Lock()
	f := s.m[src]
	if f == nil {
		f = &file{src: src}
		s.m[src] = f
	}
	s.mu.Unlock()
	f.once.Do(func() { f.load(s.fsys) })
	return f
}

// forget drops what is known of the files at the given paths (they changed).
func (s *files) forget(srcs ...string) {
	s.mu.Lock()
	for _, p := range srcs {
		delete(s.m, p)
	}
	s.mu.Unlock()
}

var imageTypes = map[string]string{
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
	".webp": "image/webp", ".svg": "image/svg+xml", ".avif": "image/avif",
}

func (f *file) load(fsys fs.FS) {
	data, err := fs.ReadFile(fsys, f.src)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			f.err = errNotFound
		} else {
			f.err = unwrapPathErr(err)
		}
		return
	}
	ext := strings.ToLower(path.Ext(f.src))
	f.mediaType = imageTypes[ext]
	f.size = int64(len(data))
	f.out = publish.WithHash("assets/"+photoDir(ext)+"/"+path.Base(f.src), publish.Hash(data))
	switch ext {
	case ".jpg", ".jpeg", ".png", ".gif":
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		switch {
		case err != nil:
			f.imgErr = fmt.Errorf("is not a valid %s image (%v)", strings.ToUpper(strings.TrimPrefix(ext, ".")), err)
		case "."+format != ext && !(format == "jpeg" && ext == ".jpg"):
			f.imgErr = fmt.Errorf("is a %s image named %s", strings.ToUpper(format), ext)
		case cfg.Width <= 0 || cfg.Height <= 0:
			f.imgErr = errors.New("has no size")
		case int64(cfg.Width)*int64(cfg.Height) > maxPixels:
			f.imgErr = fmt.Errorf("is too large (%d×%d pixels; the limit is %d megapixels)", cfg.Width, cfg.Height, maxPixels/1_000_000)
		default:
			f.width, f.height = cfg.Width, cfg.Height
		}
	default:
		f.imgErr = errors.New("is not a JPEG, PNG or GIF image")
	}
}

func photoDir(ext string) string {
	if imageTypes[ext] != "" {
		return "photos"
	}
	return "files"
}

var errNotFound = errors.New("not found")

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// reportPath turns a destination written in a report into a path in the
// site FS. It refuses absolute paths and paths that leave the report folder.
func reportPath(dir, dest string) (string, error) {
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		dest = dest[:i]
	}
	if d, err := url.PathUnescape(dest); err == nil {
		dest = d
	}
	if strings.HasPrefix(dest, "/") || strings.Contains(dest, "\\") {
		return "", errors.New("must be a path inside the report folder")
	}
	p := path.Join(dir, dest)
	if p != dir && !strings.HasPrefix(p, dir+"/") || p == dir {
		return "", errors.New("leaves the report folder")
	}
	return p, nil
}
