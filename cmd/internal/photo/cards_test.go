package photo

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"dateline/cmd/internal/cache"
)

// barsJPEG is a w×h JPEG, green with red bars bar pixels wide at the left
// and right edges and a blue band bar pixels high at the top.
func barsJPEG(t *testing.T, w, h, bar int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{30, 200, 30, 255}
			switch {
			case x < bar || x >= w-bar:
				c = color.RGBA{220, 20, 20, 255}
			case y < bar:
				c = color.RGBA{20, 20, 220, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return encodeJPEG(t, img)
}

// TestCards: 16:9, 4:3 and 1:1 centre crops, 1200 wide, of a 1600×900
// photo: the 16:9 is the whole photo (red bars at its edges), the 4:3 and
// 1:1 cut the bars off (green at their edges); the same bytes twice, and
// from the cache the second time; a GIF has none.
func TestCards(t *testing.T) {
	ctx := context.Background()
	src := barsJPEG(t, 1600, 900, 150)
	dir := t.TempDir()
	first := &Cache{Store: cache.Open(dir)}
	cards, err := first.Cards(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		w, h int
		edge color.RGBA // at the middle of the left edge
	}{
		{1200, 675, color.RGBA{220, 20, 20, 255}},
		{1200, 900, color.RGBA{30, 200, 30, 255}},
		{1200, 1200, color.RGBA{30, 200, 30, 255}},
	}
	if len(cards) != len(want) {
		t.Fatalf("%d cards; want %d", len(cards), len(want))
	}
	for i, c := range cards {
		img, err := jpeg.Decode(bytes.NewReader(c.Data))
		if err != nil {
			t.Fatal(err)
		}
		b := img.Bounds()
		if c.Width != want[i].w || c.Height != want[i].h || b.Dx() != want[i].w || b.Dy() != want[i].h || c.Ext != ".jpg" {
			t.Errorf("card %d: %dx%d%s decoding to %v; want %dx%d.jpg", i, c.Width, c.Height, c.Ext, b, want[i].w, want[i].h)
		}
		if got := img.At(4, b.Dy()/2); !near(got, want[i].edge, 40) {
			t.Errorf("card %d: left edge %v; want %v", i, got, want[i].edge)
		}
		if got := img.At(b.Dx()/2, 4); !near(got, color.RGBA{20, 20, 220, 255}, 40) {
			t.Errorf("card %d: top %v; want the blue band (a centre crop of a wide photo keeps its height)", i, got)
		}
	}
	if e, r := first.Stats(); e != 3 || r != 0 {
		t.Errorf("cold: Stats() = %d, %d; want 3, 0", e, r)
	}
	second := &Cache{Store: cache.Open(dir)}
	again, err := second.Cards(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if e, r := second.Stats(); e != 0 || r != 3 {
		t.Errorf("cached: Stats() = %d, %d; want 0, 3", e, r)
	}
	cold, err := (&Cache{}).Cards(ctx, bytes.Clone(src))
	if err != nil {
		t.Fatal(err)
	}
	for i := range cards {
		if !bytes.Equal(cards[i].Data, again[i].Data) || !bytes.Equal(cards[i].Data, cold[i].Data) {
			t.Errorf("card %d differs between builds", i)
		}
	}
	if g, err := (&Cache{}).Cards(ctx, metadataGIF(t)); g != nil || err != nil {
		t.Errorf("GIF: %d cards, %v; want none, no error", len(g), err)
	}
}

// TestCardsUpright: a photo shot sideways (orientation 6) is cropped as
// it is seen: its 16:9 card of a 900×1600 upright photo is its centre.
func TestCardsUpright(t *testing.T) {
	src := orientedJPEG(t, 320, 180, 6) // seen 180×320
	cards, err := (&Cache{}).Cards(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(cards[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 675 {
		t.Fatalf("16:9 card %v", b)
	}
	// pattern's red and blue blocks are the top corners of the stored
	// pixels, so the right-hand corners once upright; a centre 16:9 crop of
	// the tall picture leaves both out. The stored 320×180 is itself 16:9:
	// cropped as stored, the card's top corners would be red and blue.
	for _, at := range []image.Point{{10, 10}, {1190, 10}, {10, 665}, {1190, 665}} {
		c := img.At(at.X, at.Y)
		if near(c, color.RGBA{220, 20, 20, 255}, 60) || near(c, color.RGBA{20, 20, 220, 255}, 60) {
			t.Errorf("the 16:9 card of a tall photo shows a corner block at %v (%v): cropped as stored, not upright", at, c)
		}
	}
}
