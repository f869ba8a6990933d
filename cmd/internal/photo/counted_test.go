package photo

import (
	"context"
	"image/color"
	"sync"
	"testing"

	"dateline/cmd/internal/cache"
)

// TestCountedBoundedAcrossBuilds plays a long preview: one Cache, N
// rebuilds, each after the photo changed (a new source, so new cache
// entries). What the Cache remembers for Stats stays that of one build
// instead of growing with every rebuild, and each build still counts its
// own reads: the first Derive of a build encodes, the second (as a build's
// write does after its read) is not counted again; the same photo in a
// later build, found in the cache, counts as reused once.
func TestCountedBoundedAcrossBuilds(t *testing.T) {
	ctx := context.Background()
	c := &Cache{Store: cache.Open(t.TempDir()), Widths: []int{40}, NoModern: true}
	const n = 6
	var perBuild int
	for i := range n {
		c.NewBuild()
		img := pattern(80, 60)
		img.SetRGBA(79, 59, color.RGBA{uint8(i * 40), 0, 0, 255}) // a new photo each build
		src := encodeJPEG(t, img)
		e0, r0 := c.Stats()
		for range 2 {
			if _, err := c.Derive(ctx, src); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Cards(ctx, src); err != nil {
				t.Fatal(err)
			}
		}
		e1, r1 := c.Stats()
		if e1-e0 == 0 || r1 != r0 {
			t.Errorf("build %d: encoded %d, reused %d; want some encoded and none reused", i, e1-e0, r1-r0)
		}
		size := syncMapLen(&c.counted)
		if i == 0 {
			perBuild = size
		} else if size != perBuild {
			t.Errorf("build %d: the Cache remembers %d entries; want %d, one build's", i, size, perBuild)
		}
		if i == n-1 {
			c.NewBuild() // the same photo once more: found in the cache, counted once
			if _, err := c.Derive(ctx, src); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Cards(ctx, src); err != nil {
				t.Fatal(err)
			}
			if e2, r2 := c.Stats(); e2 != e1 || r2-r1 != e1-e0 {
				t.Errorf("same photo in a new build: encoded %d, reused %d; want 0, %d", e2-e1, r2-r1, e1-e0)
			}
		}
	}
	if perBuild == 0 {
		t.Fatal("nothing counted")
	}
}

func syncMapLen(m *sync.Map) int {
	n := 0
	m.Range(func(any, any) bool { n++; return true })
	return n
}
