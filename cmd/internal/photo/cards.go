package photo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"

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
// sources give none (nil, nil). They are made as Derive makes its files
// (the same decoding, scaling, cache and flights), keyed by the source's
// SHA-256, the shape and the settings.
func (c *Cache) Cards(ctx context.Context, src []byte) ([]Variant, error) {
	sum := sha256.Sum256(src)
	key := hex.EncodeToString(sum[:])
	r, err := c.once(ctx, "cards "+key, func() (*Result, error) { return c.cards(ctx, src, key) })
	if err != nil {
		return nil, err
	}
	return r.Variants, nil
}

// cards makes the crops of Cards, as derive makes derivatives.
func (c *Cache) cards(ctx context.Context, src []byte, key string) (*Result, error) {
	r, err := c.header(src)
	if err != nil || r.Format == "gif" {
		return &Result{}, err
	}
	jobs := make([]*job, len(CardAspects))
	for i, a := range CardAspects {
		jobs[i] = &job{width: CardWidth, height: CardWidth * a[1] / a[0], aspect: a}
	}
	if missing := c.lookup(key, jobs, r); len(missing) > 0 {
		if err := c.encode(ctx, src, key, r, missing); err != nil {
			return nil, err
		}
	}
	out := &Result{}
	for _, j := range jobs {
		out.Variants = append(out.Variants, Variant{Width: j.width, Height: j.height, Ext: ".jpg", Data: j.data})
	}
	return out, nil
}

// crop returns the region r of img scaled to w×h: averaged by blocks first
// when the region is much larger (as encode does), then Catmull-Rom.
func crop(img *image.RGBA, r image.Rectangle, w, h int) *image.RGBA {
	k := max(1, r.Dx()/(2*w))
	from, fr := image.Image(img), r
	if k > 1 {
		s := shrink(img.SubImage(r).(*image.RGBA), k)
		from, fr = s, s.Rect
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Rect, from, fr, draw.Src, nil)
	return dst
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
