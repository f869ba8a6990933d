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
	"image/jpeg"
	"image/png"
	"io/fs"
	"runtime"
	"strconv"
	"sync"

	"dateline/cmd/internal/cache"

	"golang.org/x/image/draw"
)

// CardWidth is the width of the social-card crops Cards makes.
const CardWidth = 1200

// CardAspects are the shapes of the social-card crops, as width:height,
// in the order Cards returns them: 16:9 (OpenGraph and X/Twitter cards),
// 4:3 and 1:1, the three Google asks of an article's image.
var CardAspects = [][2]int{{16, 9}, {4, 3}, {1, 1}}

// Cards returns crops of a photo for social cards and search results: for
// each of CardAspects the largest centred region of that shape, scaled to
// CardWidth pixels wide (1200×675, 1200×900, 1200×1200; a smaller region
// is scaled up), as JPEG at the Cache's quality, upright and with no
// metadata. A PNG is laid on white first (JPEG has no transparency). GIF
// sources give none (nil, nil). Like Derive it keeps the crops in the
// cache, keyed by the source's SHA-256, the shape and the settings, and
// concurrent calls for the same source encode once.
func (c *Cache) Cards(ctx context.Context, src []byte) ([]Variant, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(src)
	key := hex.EncodeToString(sum[:])
	v, _ := c.cards.LoadOrStore(key, &cardFlight{})
	f := v.(*cardFlight)
	f.once.Do(func() {
		defer func() {
			if p := recover(); p != nil {
				f.err = fmt.Errorf("internal error while cropping: %v", p)
			}
		}()
		f.res, f.err = c.makeCards(ctx, src, key)
	})
	if f.err != nil {
		c.cards.CompareAndDelete(key, f) // a later call may try again
	}
	return f.res, f.err
}

// cardFlight is one source's Cards, made once per build (Cache.NewBuild).
type cardFlight struct {
	once sync.Once
	res  []Variant
	err  error
}

func (c *Cache) makeCards(ctx context.Context, src []byte, key string) ([]Variant, error) {
	var format string
	switch {
	case bytes.HasPrefix(src, []byte{0xFF, 0xD8}):
		format = "jpeg"
	case bytes.HasPrefix(src, pngSignature):
		format = "png"
	case bytes.HasPrefix(src, []byte("GIF8")):
		return nil, nil
	default:
		return nil, ErrUnsupported
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("reading the image header: %v", err)
	}
	if limit := c.maxPixels(); int64(cfg.Width)*int64(cfg.Height) > int64(limit) || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("the image is %dx%d pixels, not from 1 to %s pixels", cfg.Width, cfg.Height, megapixels(limit))
	}
	o := 1
	if format == "jpeg" {
		o = Orientation(src)
	}
	w, h := uprightSize(cfg.Width, cfg.Height, o)

	out := make([]Variant, len(CardAspects))
	var missing []int
	for i, a := range CardAspects {
		out[i] = Variant{Width: CardWidth, Height: CardWidth * a[1] / a[0], Ext: ".jpg"}
		name, k := c.cardEntry(key, a)
		data, err := c.Store.Get(name, k)
		switch {
		case err == nil:
			out[i].Data = data
			if !c.seen(name) {
				c.reused.Add(1)
			}
		case errors.Is(err, fs.ErrNotExist):
			missing = append(missing, i)
		default:
			c.repaired.Add(1)
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	var img image.Image
	if format == "jpeg" {
		img, err = jpeg.Decode(bytes.NewReader(src))
	} else {
		img, err = png.Decode(bytes.NewReader(src))
	}
	if err != nil {
		return nil, fmt.Errorf("decoding the image: %v", err)
	}
	full := upright(img, o)
	if format == "png" { // on white, as a page would show it
		white := image.NewRGBA(full.Rect)
		draw.Draw(white, white.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
		draw.Draw(white, white.Rect, full, image.Point{}, draw.Over)
		full = white
	}
	for _, i := range missing {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		a := CardAspects[i]
		r := centreCrop(w, h, a[0], a[1])
		// Average blocks first when the region is much larger (as encode
		// does), then Catmull-Rom to the card size.
		k := max(1, r.Dx()/(2*CardWidth))
		from, fr := full, r
		if k > 1 {
			from = shrink(full.SubImage(r).(*image.RGBA), k)
			fr = from.Rect
		}
		dst := image.NewRGBA(image.Rect(0, 0, out[i].Width, out[i].Height))
		draw.CatmullRom.Scale(dst, dst.Rect, from, fr, draw.Src, nil)
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: c.quality()}); err != nil {
			return nil, fmt.Errorf("encoding a %dx%d crop: %v", out[i].Width, out[i].Height, err)
		}
		out[i].Data = buf.Bytes()
		c.encoded.Add(1)
		name, key := c.cardEntry(key, a)
		c.counted.Store(name, true)
		c.Store.Put(name, key, out[i].Data)
	}
	return out, nil
}

// centreCrop returns the largest region of shape aw:ah centred in a w×h
// image.
func centreCrop(w, h, aw, ah int) image.Rectangle {
	cw, ch := w, w*ah/aw
	if ch > h {
		cw, ch = h*aw/ah, h
	}
	cw, ch = max(cw, 1), max(ch, 1)
	x, y := (w-cw)/2, (h-ch)/2
	return image.Rect(x, y, x+cw, y+ch)
}

// cardEntry is the cache entry of the crop of shape a of the source whose
// SHA-256 is key.
func (c *Cache) cardEntry(key string, a [2]int) (string, cache.Key) {
	k := cache.KeyOf("photo card", key, strconv.Itoa(a[0])+":"+strconv.Itoa(a[1]), strconv.Itoa(CardWidth),
		strconv.Itoa(c.quality()), strconv.Itoa(encoderVersion), runtime.Version())
	h := k.String()
	return "photos/" + h[:2] + "/" + h[2:], k
}
