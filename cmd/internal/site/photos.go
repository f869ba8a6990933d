package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // register decoders for image.DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/markdown"
	"dateline/cmd/internal/photo"
	"dateline/cmd/internal/publish"
	"dateline/cmd/internal/theme"

	"github.com/tdewolff/parse/v2"
)

// A file is a photo or other file a report uses, published under a
// content-hashed name, with its responsive derivatives when it is a photo.
type file struct {
	once sync.Once
	min  *publish.Minifier // for a linked SVG, JSON and the like (minifyLinked)

	src       string // path in the site FS: "content/river/photos/x.jpg"
	hash      string // content hash of the source
	out       string // output path: "assets/photos/x.3f2a1b9c0d.jpg", hashed as published
	mediaType string
	size      int64 // bytes of the published original (minified, for a linked file)
	width     int   // upright size; 0 for files that are not images
	height    int
	variants  []variant // narrowest first; then each modern format's, narrowest first
	imgErr    error     // why the file is not a usable image
	err       error     // why the file cannot be published at all

	// For the photo index (photoindex.go): the stat of the bytes the facts
	// above come from, and whether those facts depend on the bytes alone.
	stat      statKey
	indexable bool
	// ix is set when the facts came from the index instead of the bytes:
	// the bytes must then match them before anything is published.
	ix *photoIndex
}

// variant is one resized copy of a photo, in its own format (Type "") or
// in a modern one for a <picture> <source> (photo.Source).
type variant struct {
	Width, Height int
	Out           string
	Type          string // "", "image/avif" or "image/webp"
}

// srcset returns the file's srcset: its variants in its own format, then
// the original.
func (f *file) srcset(rel func(string) string) string {
	var urls []string
	var widths []int
	for _, v := range f.variants {
		if v.Type == "" {
			urls = append(urls, rel("/"+v.Out))
			widths = append(widths, v.Width)
		}
	}
	if len(urls) == 0 {
		return ""
	}
	urls = append(urls, rel("/"+f.out))
	widths = append(widths, f.width)
	return photo.Srcset(urls, widths)
}

// sources returns the <source> elements of the file's <picture>: a media
// type and an srcset for each modern format, the most compact first.
func (f *file) sources(rel func(string) string) (types, srcsets []string) {
	for i := 0; i < len(f.variants); {
		t := f.variants[i].Type
		var urls []string
		var widths []int
		for ; i < len(f.variants) && f.variants[i].Type == t; i++ {
			urls = append(urls, rel("/"+f.variants[i].Out))
			widths = append(widths, f.variants[i].Width)
		}
		if t != "" {
			types = append(types, t)
			srcsets = append(srcsets, photo.Srcset(urls, widths))
		}
	}
	return types, srcsets
}

// themeSources is sources for a theme.Image.
func (f *file) themeSources(rel func(string) string) []theme.Source {
	types, srcsets := f.sources(rel)
	var out []theme.Source
	for i := range types {
		out = append(out, theme.Source{Type: types[i], Srcset: srcsets[i]})
	}
	return out
}

// markdownSources is sources for a markdown.Asset.
func (f *file) markdownSources(rel func(string) string) []markdown.Source {
	types, srcsets := f.sources(rel)
	var out []markdown.Source
	for i := range types {
		out = append(out, markdown.Source{Type: types[i], Srcset: srcsets[i]})
	}
	return out
}

// derivedFiles lists a Result's files in the order of file.variants:
// the variants in the photo's own format, then each Source's.
func derivedFiles(res *photo.Result) (files []photo.Variant, types []string) {
	for _, v := range res.Variants {
		files, types = append(files, v), append(types, "")
	}
	for _, s := range res.Sources {
		for _, v := range s.Variants {
			files, types = append(files, v), append(types, s.MediaType)
		}
	}
	return files, types
}

// files is the set of files the reports of a site refer to, each read and
// hashed once however many editions use it.
type files struct {
	fsys   fs.FS
	photos *photo.Cache
	min    *publish.Minifier // the registry of publish.NewMinifier, as for pages

	index *photoIndex // nil: every file is read (photoindex.go)
	// paths checks the files' paths for symlinks leading outside content/,
	// remembering the folders it verified: it must be new for every build
	// and rebuild (see content.PathChecker), so Rebuild replaces it.
	paths *content.PathChecker

	mu      sync.Mutex
	m       map[string]*file
	derived map[string]*derivation // by content hash: reports share photos
}

// derivation is what deriving one photo's content gave: sizes and content
// hashes only, so that memory does not grow with the photos' bytes.
type derivation struct {
	once          sync.Once
	width, height int
	ext           string
	hash          string // of the upright original
	size          int64
	variants      []derived
	err           error
}

type derived struct {
	width, height  int
	ext, hash, typ string
}

func newFiles(fsys fs.FS, photos *photo.Cache, min *publish.Minifier) *files {
	return &files{fsys: fsys, photos: photos, min: min, paths: content.NewPathChecker(fsys), m: map[string]*file{}, derived: map[string]*derivation{}}
}

// derive returns the derivatives' sizes and hashes for a photo's content,
// deriving each distinct content once per build.
func (s *files) derive(ctx context.Context, hash string, data []byte) *derivation {
	s.mu.Lock()
	d := s.derived[hash]
	if d == nil {
		d = &derivation{}
		s.derived[hash] = d
	}
	s.mu.Unlock()
	d.once.Do(func() {
		res, err := s.photos.Derive(ctx, data)
		if err != nil {
			d.err = err
			return
		}
		d.width, d.height, d.ext = res.Width, res.Height, res.Ext
		d.hash, d.size = publish.Hash(res.Original), int64(len(res.Original))
		files, types := derivedFiles(res)
		for i, v := range files {
			d.variants = append(d.variants, derived{v.Width, v.Height, v.Ext, publish.Hash(v.Data), types[i]})
		}
	})
	return d
}

// get returns the file at src, reading it the first time.
func (s *files) get(ctx context.Context, src string) *file {
	s.mu.Lock()
	f := s.m[src]
	if f == nil {
		f = &file{src: src, min: s.min}
		s.m[src] = f
	}
	s.mu.Unlock()
	f.once.Do(func() { f.load(ctx, s) })
	return f
}

// forget drops what is known of the files at the changed paths. A changed
// path may name a folder (a photos/ folder renamed or removed): then the
// known files under it are forgotten too. known lists the files that can be
// concerned, so that a rebuild never walks every file of the site.
func (s *files) forget(changed, known []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range changed {
		delete(s.m, p)
	}
	for _, k := range known {
		for _, p := range changed {
			if strings.HasPrefix(k, p+"/") {
				delete(s.m, k)
			}
		}
	}
}

var imageTypes = map[string]string{
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
	".webp": "image/webp", ".svg": "image/svg+xml", ".avif": "image/avif",
}

func (f *file) load(ctx context.Context, s *files) {
	if base, ok := strings.CutSuffix(f.src, cardsSuffix); ok {
		f.loadCards(ctx, s, base)
		return
	}
	info, err := s.paths.Lstat(f.src)
	if err != nil {
		f.err = errRefused
		return
	}
	ext := strings.ToLower(path.Ext(f.src))
	var (
		data []byte
		st   statKey
		stOK bool
	)
	if ix := s.index; ix != nil {
		if e := ix.lookup(s.fsys, f.src, info); e != nil {
			f.fromIndex(ix, e, ext)
			return
		}
		var fi fs.FileInfo
		if data, fi, err = readStat(s.fsys, f.src); err == nil {
			st, stOK = statOf(fi)
		}
	} else {
		data, err = fs.ReadFile(s.fsys, f.src)
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			f.err = errNotFound
		} else {
			f.err = unwrapPathErr(err)
		}
		return
	}
	if f.examine(ctx, s, ext, data) && stOK {
		f.stat, f.indexable = st, true
		s.index.misses.Add(1)
	}
}

// fromIndex takes the facts of the file from its entry in the index.
func (f *file) fromIndex(ix *photoIndex, e *indexEntry, ext string) {
	ix.hits.Add(1)
	f.mediaType = imageTypes[ext]
	f.hash, f.size, f.width, f.height, f.out = e.Hash, e.Size, e.Width, e.Height, e.Out
	f.variants = slices.Clone(e.Variants)
	if e.ImgErr != "" {
		f.imgErr = errors.New(e.ImgErr)
	}
	f.stat, f.indexable, f.ix = e.Stat, true, ix
}

// examine derives the file's facts from its bytes. It reports whether
// they depend on the bytes alone (and not, say, on a failing photo cache),
// so that the photo index may keep them.
func (f *file) examine(ctx context.Context, s *files, ext string, data []byte) bool {
	f.mediaType = imageTypes[ext]
	f.size = int64(len(data))
	f.hash = publish.Hash(data)
	name := "assets/" + photoDir(ext) + "/" + path.Base(f.src)
	f.out = publish.WithHash(name, f.hash)
	switch ext {
	case ".jpg", ".jpeg", ".png", ".gif":
	default:
		f.imgErr = errors.New("is not a JPEG, PNG or GIF image")
		min, err := f.minifyLinked(ext, data)
		if err != nil {
			f.err = err
			return false
		}
		f.size = int64(len(min))
		f.out = publish.WithHash(name, publish.Hash(min))
		return true
	}
	// Check the header before anything decodes the pixels: a header can
	// claim a size whose decoding would exhaust memory.
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	switch {
	case err != nil:
		f.imgErr = fmt.Errorf("is not a valid %s image (%v)", strings.ToUpper(strings.TrimPrefix(ext, ".")), err)
		return true
	case "."+format != ext && !(format == "jpeg" && ext == ".jpg"):
		f.imgErr = fmt.Errorf("is a %s image named %s", strings.ToUpper(format), ext)
		return true
	case cfg.Width <= 0 || cfg.Height <= 0:
		f.imgErr = errors.New("has no size")
		return true
	case int64(cfg.Width)*int64(cfg.Height) > photo.DefaultMaxPixels:
		f.imgErr = fmt.Errorf("is too large (%d×%d pixels; the limit is %d megapixels)", cfg.Width, cfg.Height, photo.DefaultMaxPixels/1_000_000)
		return true
	}
	if truncated(format, data) {
		f.imgErr = fmt.Errorf("is not a valid %s image (unexpected EOF)", strings.ToUpper(strings.TrimPrefix(ext, ".")))
		return true
	}
	f.width, f.height = cfg.Width, cfg.Height
	if s.photos == nil {
		// No derivatives: the photo is published as it is, but never with
		// its metadata (EXIF can hold where it was taken).
		clean, err := photo.Strip(data)
		if err != nil {
			f.imgErr = fmt.Errorf("cannot be read: %v", err)
			return true
		}
		f.size = int64(len(clean))
		f.out = publish.WithHash(name, publish.Hash(clean))
		return true
	}
	d := s.derive(ctx, f.hash, data)
	if d.err != nil {
		f.imgErr = fmt.Errorf("cannot be read: %v", d.err)
		return false // perhaps the cache or a cancelled build: not the bytes
	}
	stem := strings.TrimSuffix(name, path.Ext(name))
	f.width, f.height, f.size = d.width, d.height, d.size
	f.out = publish.WithHash(stem+d.ext, d.hash)
	for _, v := range d.variants {
		f.variants = append(f.variants, variant{
			Width: v.width, Height: v.height,
			Out:  publish.WithHash(stem+"-"+strconv.Itoa(v.width)+v.ext, v.hash),
			Type: v.typ,
		})
	}
	return true
}

// write publishes the file and its derivatives. Derivatives come back from
// the photo cache rather than being held in memory between conversion and
// writing. When the file's facts came from the photo index, the bytes are
// checked against them first: what is published under a hashed name is
// always what the name says.
func (f *file) write(ctx context.Context, fsys fs.FS, photos *photo.Cache, out Output) error {
	if base, ok := strings.CutSuffix(f.src, cardsSuffix); ok {
		return f.writeCards(ctx, fsys, photos, base, out)
	}
	data, err := fs.ReadFile(fsys, f.src)
	if err != nil {
		return fmt.Errorf("%s: %w", f.src, unwrapPathErr(err))
	}
	if f.ix != nil && publish.Hash(data) != f.hash {
		return f.changed()
	}
	if f.width == 0 { // not a photo: a file linked from the report
		min, err := f.minifyLinked(strings.ToLower(path.Ext(f.src)), data)
		if err != nil {
			return err
		}
		if f.ix != nil && !hashedAs(f.out, min) {
			return f.changed()
		}
		return out.WriteFile(f.out, min)
	}
	if photos == nil {
		clean, err := photo.Strip(data)
		if err != nil {
			return fmt.Errorf("%s: %w", f.src, err)
		}
		if f.ix != nil && !hashedAs(f.out, clean) {
			return f.changed()
		}
		return out.WriteFile(f.out, clean)
	}
	res, err := photos.Derive(ctx, data)
	if err != nil {
		return fmt.Errorf("%s: %w", f.src, err)
	}
	if f.ix != nil && !f.matches(res) {
		return f.changed()
	}
	if err := out.WriteFile(f.out, res.Original); err != nil {
		return err
	}
	files, _ := derivedFiles(res)
	for i, v := range files {
		if i < len(f.variants) {
			if err := out.WriteFile(f.variants[i].Out, v.Data); err != nil {
				return err
			}
		}
	}
	return nil
}

// matches reports whether the derivatives of the file are those whose
// names the photo index gave.
func (f *file) matches(res *photo.Result) bool {
	files, types := derivedFiles(res)
	if !hashedAs(f.out, res.Original) || len(files) != len(f.variants) {
		return false
	}
	for i, v := range files {
		if v.Width != f.variants[i].Width || types[i] != f.variants[i].Type || !hashedAs(f.variants[i].Out, v.Data) {
			return false
		}
	}
	return true
}

// changed is the error of a file whose bytes are not those the photo index
// recorded: the pages already name it by the recorded hash, so the build
// fails, and the index is cleared so that the next build reads every file.
func (f *file) changed() error {
	f.ix.invalidate()
	return fmt.Errorf("%s changed while the site was being built; build again", f.src)
}

// hashedAs reports whether out is a name publish.WithHash gives data.
func hashedAs(out string, data []byte) bool {
	ext := path.Ext(out)
	return strings.HasSuffix(out, "."+publish.Hash(data)+ext)
}

// minifyLinked returns a linked file's bytes as published: minified by
// its media type (SPEC §7: every SVG, JSON, … passes through the minifier)
// when the minifier knows the extension ext, as they are otherwise. A
// file the minifier cannot parse (JSON with a syntax error; its SVG and XML
// minifiers accept what they cannot parse) is an error naming the file and
// line, not published as it is: a broken data file linked from a report
// is a mistake to fix before it reaches readers, and publishing it
// unminified would break the promise that every such file is minified.
func (f *file) minifyLinked(ext string, data []byte) ([]byte, error) {
	min, err := f.min.Bytes(publish.MediaType(ext), data)
	if err != nil {
		var pe *parse.Error
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %s", f.src, pe.Line, pe.Message)
		}
		return nil, fmt.Errorf("%s: %v", f.src, err)
	}
	return min, nil
}

func photoDir(ext string) string {
	if imageTypes[ext] != "" {
		return "photos"
	}
	return "files"
}

var errNotFound = errors.New("not found")

// errRefused marks a file behind a symlink that leads outside content/:
// loading the content reported it already, and nothing reads it.
var errRefused = errors.New("refused")

// truncated reports whether an image file ends before its format's end
// marker: the header alone (all image.DecodeConfig reads) can be intact in
// a file cut short by a failed upload or copy. A JPEG may carry bytes after
// its end-of-image marker, so its last kilobyte is searched.
func truncated(format string, data []byte) bool {
	switch format {
	case "png":
		// The IEND chunk: length 0, type, CRC.
		return !bytes.HasSuffix(data, []byte{0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82})
	case "jpeg":
		tail := data[max(0, len(data)-1024):]
		return !bytes.Contains(tail, []byte{0xFF, 0xD9})
	case "gif":
		return !bytes.HasSuffix(bytes.TrimRight(data, "\x00"), []byte{0x3B})
	}
	return false
}

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

// The social-card crops of a hero (photo.Cards: 16:9, 4:3, 1:1) are the
// file at the photo's path plus cardsSuffix: the 16:9 crop is its out, the
// others its variants (Type "card"). Being a file of the report, they are
// published, carried over and cleaned up with it, and never for a photo
// only a draft uses; forgetting the photo (a rebuild after it changed)
// forgets them too, since files.forget drops the paths under a changed one.
const cardsSuffix = "/social-cards"

// cards returns the file of the social-card crops of hero f, or nil when
// it has none: not a usable photo, a GIF, or no derivatives at all.
func (s *files) cards(ctx context.Context, f *file) *file {
	if s.photos == nil || f.width == 0 || f.err != nil || f.imgErr != nil || f.mediaType == "image/gif" {
		return nil
	}
	c := s.get(ctx, f.src+cardsSuffix)
	if c.err != nil || c.imgErr != nil || c.width == 0 {
		return nil
	}
	return c
}

// loadCards makes the crops of the photo at base (loaded and checked
// already) and names them.
func (f *file) loadCards(ctx context.Context, s *files, base string) {
	data, err := fs.ReadFile(s.fsys, base)
	if err != nil {
		f.err = unwrapPathErr(err)
		return
	}
	cards, err := s.photos.Cards(ctx, data)
	if err != nil || len(cards) == 0 {
		f.imgErr = fmt.Errorf("has no social cards: %v", err)
		return
	}
	stem := "assets/photos/" + strings.TrimSuffix(path.Base(base), path.Ext(base)) + "-card-"
	name := func(v photo.Variant) string {
		return publish.WithHash(stem+strconv.Itoa(v.Width/gcd(v.Width, v.Height))+"x"+strconv.Itoa(v.Height/gcd(v.Width, v.Height))+v.Ext, publish.Hash(v.Data))
	}
	f.mediaType, f.hash = "image/jpeg", publish.Hash(data)
	f.width, f.height, f.size, f.out = cards[0].Width, cards[0].Height, int64(len(cards[0].Data)), name(cards[0])
	for _, v := range cards[1:] {
		f.variants = append(f.variants, variant{Width: v.Width, Height: v.Height, Out: name(v), Type: "card"})
	}
}

// writeCards publishes the crops, checking that they are the ones named.
func (f *file) writeCards(ctx context.Context, fsys fs.FS, photos *photo.Cache, base string, out Output) error {
	data, err := fs.ReadFile(fsys, base)
	if err != nil {
		return fmt.Errorf("%s: %w", base, unwrapPathErr(err))
	}
	cards, err := photos.Cards(ctx, data)
	if err != nil {
		return fmt.Errorf("%s: %w", base, err)
	}
	if len(cards) != len(f.variants)+1 || !hashedAs(f.out, cards[0].Data) {
		return fmt.Errorf("%s changed while the site was being built; build again", base)
	}
	if err := out.WriteFile(f.out, cards[0].Data); err != nil {
		return err
	}
	for i, v := range cards[1:] {
		if !hashedAs(f.variants[i].Out, v.Data) {
			return fmt.Errorf("%s changed while the site was being built; build again", base)
		}
		if err := out.WriteFile(f.variants[i].Out, v.Data); err != nil {
			return err
		}
	}
	return nil
}

// cardImages lists the crops for a theme.Image's Cards: 16:9, 4:3, 1:1.
func (f *file) cardImages(rel, abs func(string) string) []theme.Image {
	imgs := []theme.Image{{URL: rel("/" + f.out), Abs: abs("/" + f.out), Width: f.width, Height: f.height}}
	for _, v := range f.variants {
		imgs = append(imgs, theme.Image{URL: rel("/" + v.Out), Abs: abs("/" + v.Out), Width: v.Width, Height: v.Height})
	}
	return imgs
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
