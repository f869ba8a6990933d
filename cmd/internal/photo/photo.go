// Package photo makes the responsive derivatives of a report's photos: copies
// resized to a few widths (480, 960 and 1600 pixels by default) for an <img>
// srcset, each turned upright from its EXIF orientation, so that a reader on a
// phone downloads a 480-pixel photo rather than the 4000-pixel original.
//
// A Cache makes them and keeps them in the build's cache folder (package
// cache: the site passes SITE/.cache/dateline), keyed by the SHA-256 of the
// source bytes, the width and the encoder settings, so a rebuild never
// encodes an unchanged photo twice:
//
//	c := &photo.Cache{Store: cache.Open(".cache/dateline")}
//	r, err := c.Derive(ctx, data)
//	// publish r.Original and each r.Variants[i].Data under hashed names, then
//	// <img src=ORIGINAL width=r.Width height=r.Height
//	//      srcset=photo.Srcset(urls, widths) sizes=photo.FigureSizes>
//	// where urls and widths list the variants and then the original.
//
// Stats tells how many files were encoded and how many came from the cache:
// a second build of an unchanged site encodes none.
//
// To clear the cache, delete its folder; it is rebuilt on the next build.
// Nothing ever deletes entries by itself, so the folder keeps the derivatives
// of photos that have since changed or gone until someone deletes it.
// A cache that cannot be written is no reason to fail: the derivatives are
// made all the same, and the cache's Err says why it kept none.
//
// # Formats
//
// JPEG sources give JPEG derivatives at a fixed quality (82 by default), PNG
// sources give PNG derivatives (so transparency survives), and GIF sources,
// which may be animated, are served as they are, with no derivatives.
// Beside them, for a <picture>, Result.Sources holds AVIF (quality 50, speed
// 9) and WebP (quality 75) copies of a JPEG at every derivative width and at
// full size: libavif and libwebp
// compiled to WebAssembly (github.com/gen2brain/avif and .../webp, run by
// wazero, no cgo), so every machine makes the same bytes. Those packages
// use a system libavif.so or libwebp.so instead when they find one (the
// -dev packages install them; build with -tags nodynamic to never do so):
// the cache key names which ran, but the bytes may then differ from other
// machines'. A copy an encoder fails on is left out, never an error. A JPEG
// whose EXIF orientation is not 1 is also re-encoded upright at full size, so
// that the served original and its derivatives agree on width and height.
//
// No served file carries the source's metadata (GPS position, camera serial
// numbers, XMP editing history, IPTC, comments), which could expose a
// newsroom's sources: encoded files carry none, and an original served at
// its own size is a lossless copy made by Strip, with the same pixels and
// colour profile. GIF sources lose their comments and application
// extensions except the looping one; a GIF Strip cannot follow is refused.
// Other formats are refused with ErrUnsupported.
//
// # Guarantees
//
// The same source bytes give the same derivative bytes, on any machine with
// the same Go release; the key includes the Go release, since the standard
// library's encoders may change between releases. A header claiming more than
// MaxPixels pixels is refused before anything is decoded. Entries are written
// atomically with the SHA-256 of their bytes and checked against it when
// read (package cache), so concurrent builds never see a half-written entry,
// and an entry damaged since (cut short, bytes changed, replaced by another
// image) is encoded again and replaced: Repaired counts those.
package photo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // register the GIF header reader for image.DecodeConfig
	"image/jpeg"
	"image/png"
	"io/fs"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"dateline/cmd/internal/cache"

	"github.com/gen2brain/avif"
	"github.com/gen2brain/webp"
	"golang.org/x/image/draw"
)

// Defaults for the zero fields of a Cache.
const (
	DefaultQuality   = 82
	DefaultMaxPixels = 50_000_000
	// WebP and AVIF settings, chosen on the sample site's photos (README,
	// "Photos"): at 960 px WebP at quality 75 is 35% of the JPEG at 82,
	// and AVIF at quality 50 26%. This libaom build encodes at speed 9 (the same bytes as 10)
	// some 20 times faster than at speed 6 or 7 (0.3 s against 10 s for a
	// 960-pixel copy), for files 15 to 40% larger; speed 8 is an outlier,
	// slower than 9 and making files two to three times larger.
	DefaultWebPQuality = 75
	DefaultAVIFQuality = 50
	DefaultAVIFSpeed   = 9
	// ModernMaxWidth is the widest original that also gets a full-size WebP
	// and AVIF copy: a camera's 4000-pixel original would take AVIF many
	// seconds, and its widest derivative serves the widest layout anyway.
	ModernMaxWidth = 2048
)

// DefaultWidths returns the widths, in pixels, a Cache with no Widths makes:
// 480 for phones, 960 for the 43rem text column on a 2× screen, and 1600
// for the 59rem hero on a 2× screen.
func DefaultWidths() []int { return []int{480, 960, 1600} }

// encoderVersion changes whenever this package encodes differently for the
// same settings (a new resampling kernel, a new rounding, an upgrade of
// golang.org/x/image in go.mod), so entries made by an older version are not
// reused. Version 2 averages blocks before large reductions.
const encoderVersion = 2

// ErrUnsupported is returned by Derive for data that is not a JPEG, PNG or
// GIF image.
var ErrUnsupported = errors.New("not a JPEG, PNG or GIF image")

// A Cache makes photo derivatives and keeps them on disk. Set its fields
// before the first Derive and do not change them afterwards; do not copy a
// Cache after first use. Its methods are safe for concurrent use.
type Cache struct {
	// Store keeps the derivatives between builds. With none, nothing is
	// kept: every Derive encodes every derivative.
	Store *cache.Dir
	// Widths are the derivative widths in pixels; DefaultWidths when empty.
	Widths []int
	// Quality is the JPEG quality, 1 to 100; DefaultQuality when 0.
	Quality int
	// MaxPixels is the largest width×height Derive accepts;
	// DefaultMaxPixels when 0.
	MaxPixels int
	// NoModern makes no WebP or AVIF copies (Result.Sources stays empty).
	NoModern bool
	// WebPQuality (1 to 100), AVIFQuality (1 to 100) and AVIFSpeed (1,
	// slowest, to 10) set the modern encoders; the defaults above when 0.
	WebPQuality, AVIFQuality, AVIFSpeed int

	encoded, reused, repaired atomic.Int64
	// counted holds the cache entries Stats has counted since the last
	// NewBuild, so that a file encoded (or found) once and read again
	// later by the same build is not counted again as found in the cache.
	// NewBuild empties it: a long-lived Cache (dateline serve) would
	// otherwise keep the name of every entry it ever touched.
	counted sync.Map

	mu      sync.Mutex
	flights map[string]*flight // Derive and Cards calls in progress, by source hash
}

// A flight is one Derive in progress; concurrent callers with the same
// source wait for it rather than encoding the same files twice.
type flight struct {
	done chan struct{}
	res  *Result
	err  error
}

// A Result is what Derive makes of one source image. Its byte slices are
// shared between callers and must not be modified.
type Result struct {
	Width, Height int    // the size of the original as served (upright)
	Orientation   int    // the source's EXIF orientation, 1 to 8
	Format        string // "jpeg", "png" or "gif"
	Ext           string // ".jpg", ".png" or ".gif", for Original and every variant
	MediaType     string // "image/jpeg", "image/png" or "image/gif"
	// Original holds the bytes to serve at full size, without the source's
	// metadata (see Strip): a copy of the source less its metadata when it
	// is already upright, else the source re-encoded upright. A source
	// whose metadata Strip cannot remove is re-encoded too.
	Original []byte
	// Variants are the resized copies, one for each configured width
	// strictly smaller than Width, narrowest first.
	Variants []Variant
	// Sources are the same photo in the formats a <picture> offers before
	// the JPEG, the most compact first: AVIF, then WebP. Each has a copy
	// at every width of Variants, and one at full size when Width is at
	// most ModernMaxWidth. A format its encoder fails on is left out. PNG
	// and GIF sources get none: a PNG is a chart, a drawing or a
	// screenshot, which lossy AVIF and WebP blur and lossless WebP makes
	// only some 25% smaller for about a second of encoding per copy, and
	// a GIF may be animated. The JPEG or PNG stays the fallback every
	// browser shows.
	Sources []Source
}

// A Source is a photo's copies in one modern format.
type Source struct {
	MediaType string    // "image/avif", "image/webp"
	Variants  []Variant // narrowest first
}

// A Variant is one resized copy of a photo.
type Variant struct {
	Width, Height int
	Ext           string // ".jpg" or ".png", as in Result; ".avif", ".webp" in a Source
	Data          []byte
}

// Stats reports how many files Derive has encoded (derivatives and upright
// originals) and how many it found in the cache instead, since the Cache was
// made. A file found in the cache counts once per build (NewBuild).
func (c *Cache) Stats() (encoded, reused int) {
	return int(c.encoded.Load()), int(c.reused.Load())
}

// NewBuild tells the Cache that a build begins: it forgets which cache
// entries earlier builds read, so that a file this build finds in the
// cache counts as reused (Stats) once again. What the Cache remembers is
// then bounded by one build's photos, not by every photo a long-running
// preview ever rebuilt. Calls in progress are not affected; at worst an
// entry read by a build that overlaps the call counts twice.
func (c *Cache) NewBuild() {
	c.counted.Clear()
}

// Repaired reports how many entries Derive found damaged in the cache (and
// encoded again) since the Cache was made.
func (c *Cache) Repaired() int { return int(c.repaired.Load()) }

// Derive returns the upright original and the derivatives of the image in
// src, taking them from the cache when they are there and encoding and
// storing them when they are not. Concurrent calls with the same src encode
// once. It stops between files when ctx is done.
func (c *Cache) Derive(ctx context.Context, src []byte) (*Result, error) {
	sum := sha256.Sum256(src)
	key := hex.EncodeToString(sum[:])
	return c.once(ctx, key, func() (*Result, error) { return c.derive(ctx, src, key) })
}

// once runs run for the flight named name, unless a call with that name
// is running: then it waits for that call's result.
func (c *Cache) once(ctx context.Context, name string, run func() (*Result, error)) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for {
		c.mu.Lock()
		f := c.flights[name]
		if f == nil {
			f = &flight{done: make(chan struct{})}
			if c.flights == nil {
				c.flights = map[string]*flight{}
			}
			c.flights[name] = f
			c.mu.Unlock()
			c.fly(f, name, run)
			return f.res, f.err
		}
		c.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f.err != nil && ctx.Err() == nil &&
			(errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded)) {
			continue // the caller that was encoding gave up; this one has not
		}
		return f.res, f.err
	}
}

// fly runs flight f and then lets its waiters go. A panic in a decoder or
// encoder becomes an error, so one broken photo cannot stop a build.
func (c *Cache) fly(f *flight, name string, run func() (*Result, error)) {
	defer func() {
		if p := recover(); p != nil {
			f.res, f.err = nil, fmt.Errorf("internal error while resizing: %v", p)
		}
		c.mu.Lock()
		delete(c.flights, name)
		c.mu.Unlock()
		close(f.done)
	}()
	f.res, f.err = run()
}

// A job is one file Derive serves: a variant, the upright original, or a
// copy in a modern format.
type job struct {
	width, height int // the size of the file
	full          bool
	format        string // "" for the source's format, "avif" or "webp"
	aspect        [2]int // a social-card crop of this shape (Cards); zero: the whole picture
	data          []byte
}

// header reads what Derive and Cards know of src before decoding it: its
// format and upright size, within the Cache's limits.
func (c *Cache) header(src []byte) (*Result, error) {
	if !bytes.HasPrefix(src, []byte{0xFF, 0xD8}) && !bytes.HasPrefix(src, pngSignature) &&
		!bytes.HasPrefix(src, []byte("GIF8")) {
		return nil, ErrUnsupported // nor asked of the WebP and AVIF decoders
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(src))
	if err != nil {
		if errors.Is(err, image.ErrFormat) {
			return nil, ErrUnsupported
		}
		return nil, fmt.Errorf("reading the image header: %v", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("the image has no size (%dx%d)", cfg.Width, cfg.Height)
	}
	if limit := c.maxPixels(); int64(cfg.Width)*int64(cfg.Height) > int64(limit) {
		return nil, fmt.Errorf("the image is %dx%d pixels, over the limit of %s pixels",
			cfg.Width, cfg.Height, megapixels(limit))
	}
	r := &Result{Width: cfg.Width, Height: cfg.Height, Orientation: 1, Format: format, Original: src}
	switch format {
	case "gif":
		r.Ext, r.MediaType = ".gif", "image/gif"
	case "jpeg":
		r.Ext, r.MediaType = ".jpg", "image/jpeg"
		r.Orientation = Orientation(src)
		r.Width, r.Height = uprightSize(cfg.Width, cfg.Height, r.Orientation)
	case "png":
		r.Ext, r.MediaType = ".png", "image/png"
	default: // a decoder another package registered
		return nil, ErrUnsupported
	}
	return r, nil
}

// lookup takes the files of jobs from the cache, and returns those it has
// not got.
func (c *Cache) lookup(key string, jobs []*job, r *Result) (missing []*job) {
	for _, j := range jobs {
		if j.data = c.load(key, j, r); j.data != nil {
			if name, _ := c.entry(key, j, r); !c.seen(name) {
				c.reused.Add(1)
			}
		} else {
			missing = append(missing, j)
		}
	}
	return missing
}

func (c *Cache) derive(ctx context.Context, src []byte, key string) (*Result, error) {
	r, err := c.header(src)
	if err != nil {
		return nil, err
	}
	if r.Format == "gif" {
		// Perhaps animated: served as it is, less its metadata.
		if r.Original, err = stripGIF(src); err != nil {
			return nil, fmt.Errorf("reading the image: %v", err)
		}
		return r, nil
	}

	var jobs []*job
	for _, w := range c.widths() {
		if w < r.Width {
			jobs = append(jobs, &job{width: w, height: scaledHeight(w, r.Width, r.Height)})
		}
	}
	// The original is served without its metadata: a copy of src less its
	// metadata when it is upright, else re-encoded upright (an encoded file
	// carries none). A file the metadata filter cannot follow is re-encoded
	// too, so its metadata is never served.
	reencode := r.Orientation != 1
	if !reencode {
		var err error
		if r.Format == "jpeg" {
			r.Original, err = stripJPEG(src)
		} else {
			r.Original, err = stripPNG(src)
		}
		reencode = err != nil
	}
	if reencode {
		jobs = append(jobs, &job{width: r.Width, height: r.Height, full: true})
	}
	formats := c.modern(r.Format)
	for _, f := range formats {
		for _, w := range c.widths() {
			if w < r.Width {
				jobs = append(jobs, &job{width: w, height: scaledHeight(w, r.Width, r.Height), format: f})
			}
		}
		if r.Width <= ModernMaxWidth {
			jobs = append(jobs, &job{width: r.Width, height: r.Height, format: f})
		}
	}

	if missing := c.lookup(key, jobs, r); len(missing) > 0 {
		if err := c.encode(ctx, src, key, r, missing); err != nil {
			return nil, err
		}
	}

	for _, j := range jobs {
		switch {
		case j.format != "":
		case j.full:
			r.Original = j.data
		default:
			r.Variants = append(r.Variants, Variant{Width: j.width, Height: j.height, Ext: r.Ext, Data: j.data})
		}
	}
	for _, f := range formats {
		s := Source{MediaType: "image/" + f}
		for _, j := range jobs {
			if j.format == f {
				if j.data == nil { // the encoder failed: the fallback serves
					s.Variants = nil
					break
				}
				s.Variants = append(s.Variants, Variant{Width: j.width, Height: j.height, Ext: "." + f, Data: j.data})
			}
		}
		if len(s.Variants) > 0 {
			r.Sources = append(r.Sources, s)
		}
	}
	return r, nil
}

// modern returns the modern formats to make of a source in format, most
// compact first.
func (c *Cache) modern(format string) []string {
	if c.NoModern || format != "jpeg" {
		return nil
	}
	return []string{"avif", "webp"}
}

// encode decodes src once and encodes and stores the files of jobs.
func (c *Cache) encode(ctx context.Context, src []byte, key string, r *Result, jobs []*job) error {
	var img image.Image
	var err error
	if r.Format == "jpeg" {
		img, err = jpeg.Decode(bytes.NewReader(src))
	} else {
		img, err = png.Decode(bytes.NewReader(src))
	}
	if err != nil {
		return fmt.Errorf("decoding the image: %v", err)
	}
	// Resizing reads each source pixel many times: converting it to RGBA
	// once first is some 40% faster than resizing from YCbCr.
	full := upright(img, r.Orientation)
	img = nil // the decoded image may go while the copies are made
	shrunk := map[int]*image.RGBA{1: full}
	var onWhite *image.RGBA // a PNG laid on white, for its JPEG crops
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			return err
		}
		out := full
		switch {
		case j.aspect != [2]int{}:
			from := full
			if r.Format == "png" { // on white, as a page would show it
				if onWhite == nil {
					onWhite = image.NewRGBA(full.Rect)
					draw.Draw(onWhite, onWhite.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
					draw.Draw(onWhite, onWhite.Rect, full, image.Point{}, draw.Over)
				}
				from = onWhite
			}
			out = crop(from, centreCrop(r.Width, r.Height, j.aspect[0], j.aspect[1]), j.width, j.height)
		case j.width != r.Width || j.height != r.Height:
			// Catmull-Rom reads 4 source pixels per output pixel and per
			// unit of reduction, in each direction, so a 4000-pixel photo
			// made 480 wide costs 8 times what it does at 960. Averaging
			// k×k blocks first, down to 2 to 4 times the width wanted, is
			// libvips's "shrink, then reduce": as sharp, far cheaper.
			k := max(1, r.Width/(2*j.width))
			from := shrunk[k]
			if from == nil {
				from = shrink(full, k)
				shrunk[k] = from
			}
			out = image.NewRGBA(image.Rect(0, 0, j.width, j.height))
			draw.CatmullRom.Scale(out, out.Bounds(), from, from.Bounds(), draw.Src, nil)
		}
		var buf bytes.Buffer
		switch {
		case j.format != "":
			if c.encodeModern(&buf, out, j.format) != nil {
				continue // left out of Sources; the JPEG or PNG serves
			}
		case r.Format == "jpeg" || j.aspect != [2]int{}:
			err = jpeg.Encode(&buf, out, &jpeg.Options{Quality: c.quality()})
		default:
			err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, out)
		}
		if err != nil {
			return fmt.Errorf("encoding a %dx%d copy: %v", j.width, j.height, err)
		}
		j.data = buf.Bytes()
		c.encoded.Add(1)
		c.store(key, j, r)
	}
	return nil
}

// encodeModern encodes img as format with the Cache's settings. A panic in an encoder is an error too.
func (c *Cache) encodeModern(buf *bytes.Buffer, img image.Image, format string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s encoder: %v", format, p)
		}
	}()
	// Both encoders read an RGBA's bytes as straight (not premultiplied)
	// alpha: translucent pixels would come out dark.
	if o, ok := img.(interface{ Opaque() bool }); !ok || !o.Opaque() {
		n := image.NewNRGBA(img.Bounds())
		draw.Draw(n, n.Bounds(), img, img.Bounds().Min, draw.Src)
		img = n
	}
	if format == "avif" {
		q := setting(c.AVIFQuality, DefaultAVIFQuality, 100)
		return avif.Encode(buf, img, avif.Options{Quality: q, QualityAlpha: q,
			Speed: setting(c.AVIFSpeed, DefaultAVIFSpeed, 10), ChromaSubsampling: image.YCbCrSubsampleRatio420})
	}
	return webp.Encode(buf, img, webp.Options{Quality: setting(c.WebPQuality, DefaultWebPQuality, 100),
		Method: webp.DefaultMethod})
}

// settings returns the encoder settings of format in a cache key.
func (c *Cache) settings(format, srcFormat string) string {
	switch {
	case format == "avif":
		return fmt.Sprintf("q%d s%d 420 %s", setting(c.AVIFQuality, DefaultAVIFQuality, 100),
			setting(c.AVIFSpeed, DefaultAVIFSpeed, 10), encoderBuild("github.com/gen2brain/avif", avif.Dynamic()))
	case format == "webp":
		return fmt.Sprintf("q%d m%d %s", setting(c.WebPQuality, DefaultWebPQuality, 100),
			webp.DefaultMethod, encoderBuild("github.com/gen2brain/webp", webp.Dynamic()))
	case srcFormat == "jpeg":
		return strconv.Itoa(c.quality())
	}
	return ""
}

// encoderBuild names the build of a modern encoder for cache keys: the
// module's version, and whether the library runs as the WebAssembly build
// it bundles (the same bytes on every machine) or as a system libavif or
// libwebp it found (dynErr nil), which may encode differently.
func encoderBuild(module string, dynErr error) string {
	v := moduleVersions()[module]
	if v == "" {
		v = "unknown"
	}
	if dynErr == nil {
		return v + " system library"
	}
	return v + " wasm"
}

// moduleVersions maps the modules built into the program to their versions.
var moduleVersions = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			m[d.Path] = d.Version
			if d.Replace != nil {
				m[d.Path] += " => " + d.Replace.Path + " " + d.Replace.Version
			}
		}
	}
	return m
})

// setting returns v within 1..limit, or def when v is 0 or less.
func setting(v, def, limit int) int {
	if v <= 0 {
		return def
	}
	return min(v, limit)
}

// entry returns the name and key of the cache entry of job j for the
// source whose SHA-256 is key: photos/3f/2a1b….
func (c *Cache) entry(key string, j *job, r *Result) (string, cache.Key) {
	if j.aspect != [2]int{} {
		k := cache.KeyOf("photo card", key, strconv.Itoa(j.aspect[0])+":"+strconv.Itoa(j.aspect[1]), strconv.Itoa(CardWidth),
			strconv.Itoa(c.quality()), strconv.Itoa(encoderVersion), runtime.Version())
		h := k.String()
		return "photos/" + h[:2] + "/" + h[2:], k
	}
	size := strconv.Itoa(j.width) + "w"
	if j.full {
		size = "full"
	}
	format := r.Format
	if j.format != "" {
		format = j.format
	}
	k := cache.KeyOf("photo derivative", key, size, format, c.settings(j.format, r.Format), strconv.Itoa(encoderVersion), runtime.Version())
	h := k.String()
	return "photos/" + h[:2] + "/" + h[2:], k
}

// load returns the cached file of j, or nil when there is none or it is
// damaged (then counted in Repaired).
func (c *Cache) load(key string, j *job, r *Result) []byte {
	name, k := c.entry(key, j, r)
	data, err := c.Store.Get(name, k)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		c.repaired.Add(1)
		return nil
	}
	return data
}

// store writes the file of j into the cache. A failure is the cache's
// (Store.Err), not the photo's: the file is in memory all the same.
func (c *Cache) store(key string, j *job, r *Result) {
	name, k := c.entry(key, j, r)
	c.counted.Store(name, true)
	c.Store.Put(name, k, j.data)
}

// seen reports whether Stats has counted the cache entry name already
// since the last NewBuild, and counts it.
func (c *Cache) seen(name string) bool {
	_, ok := c.counted.LoadOrStore(name, true)
	return ok
}

// widths returns the configured widths, positive, ascending and distinct.
func (c *Cache) widths() []int {
	if len(c.Widths) == 0 {
		return DefaultWidths()
	}
	ws := make([]int, 0, len(c.Widths))
	for _, w := range c.Widths {
		if w > 0 {
			ws = append(ws, w)
		}
	}
	slices.Sort(ws)
	return slices.Compact(ws)
}

func (c *Cache) quality() int {
	switch q := c.Quality; {
	case q <= 0:
		return DefaultQuality
	case q > 100:
		return 100
	default:
		return q
	}
}

func (c *Cache) maxPixels() int {
	if c.MaxPixels <= 0 {
		return DefaultMaxPixels
	}
	return c.MaxPixels
}

// scaledHeight is the height of a w-pixel-wide copy of a fullW×fullH image,
// rounded to the nearest pixel and at least 1.
func scaledHeight(w, fullW, fullH int) int {
	h := int((int64(w)*int64(fullH) + int64(fullW)/2) / int64(fullW))
	return max(h, 1)
}

// megapixels formats a pixel count for a message: "50 million".
func megapixels(n int) string {
	if n%1_000_000 == 0 {
		return strconv.Itoa(n/1_000_000) + " million"
	}
	return strconv.Itoa(n)
}
