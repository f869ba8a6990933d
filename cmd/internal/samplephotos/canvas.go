package main

import (
	"image"
	"image/color"
	"math"
	"sort"
)

// ss is the supersampling factor: shapes are painted at ss×ss samples per
// pixel and averaged, which antialiases every edge without special cases.
const ss = 2

// A col is a linear mix of 0…255 sRGB channels; painting blends in sRGB,
// which is what a photo editor's "normal" mode does too.
type col struct{ r, g, b float64 }

// hex parses "#rrggbb".
func hex(s string) col {
	var v [3]float64
	for i := range v {
		v[i] = float64(unhex(s[1+2*i])<<4 | unhex(s[2+2*i]))
	}
	return col{v[0], v[1], v[2]}
}

func unhex(b byte) int {
	switch {
	case b >= '0' && b <= '9':
		return int(b - '0')
	case b >= 'a' && b <= 'f':
		return int(b-'a') + 10
	case b >= 'A' && b <= 'F':
		return int(b-'A') + 10
	}
	panic("samplephotos: bad hex digit " + string(b))
}

// mix returns a*(1-t) + b*t.
func mix(a, b col, t float64) col {
	return col{a.r + (b.r-a.r)*t, a.g + (b.g-a.g)*t, a.b + (b.b-a.b)*t}
}

// scale multiplies every channel by f (darker below 1, lighter above).
func (c col) scale(f float64) col { return col{c.r * f, c.g * f, c.b * f} }

// A stop is one colour of a gradient at position t in 0…1.
type stop struct {
	t float64
	c col
}

// ramp evaluates a gradient at t.
func ramp(stops []stop, t float64) col {
	if t <= stops[0].t {
		return stops[0].c
	}
	for i := 1; i < len(stops); i++ {
		if t <= stops[i].t {
			a, b := stops[i-1], stops[i]
			return mix(a.c, b.c, (t-a.t)/(b.t-a.t))
		}
	}
	return stops[len(stops)-1].c
}

// A pt is a point in output pixels.
type pt struct{ x, y float64 }

// canvas holds the supersampled picture as float channels.
type canvas struct {
	w, h   int // output size in pixels
	sw, sh int // sample grid size
	px     []float64
}

func newCanvas(w, h int) *canvas {
	return &canvas{w: w, h: h, sw: w * ss, sh: h * ss, px: make([]float64, 3*w*h*ss*ss)}
}

// blendSample paints sample (i, j) with k at opacity a.
func (c *canvas) blendSample(i, j int, k col, a float64) {
	if a <= 0 {
		return
	}
	if a > 1 {
		a = 1
	}
	o := 3 * (j*c.sw + i)
	p := c.px[o : o+3 : o+3]
	p[0] += (k.r - p[0]) * a
	p[1] += (k.g - p[1]) * a
	p[2] += (k.b - p[2]) * a
}

// sampleBox converts a box in output pixels to the sample index ranges it
// covers, clipped to the canvas.
func (c *canvas) sampleBox(x0, y0, x1, y1 float64) (i0, j0, i1, j1 int) {
	i0 = max(0, int(math.Floor(x0*ss)))
	j0 = max(0, int(math.Floor(y0*ss)))
	i1 = min(c.sw, int(math.Ceil(x1*ss)))
	j1 = min(c.sh, int(math.Ceil(y1*ss)))
	return
}

// shade calls f for every sample centre inside the box (in output pixels)
// and paints what it returns.
func (c *canvas) shade(x0, y0, x1, y1 float64, f func(x, y float64) (col, float64)) {
	i0, j0, i1, j1 := c.sampleBox(x0, y0, x1, y1)
	for j := j0; j < j1; j++ {
		y := (float64(j) + 0.5) / ss
		for i := i0; i < i1; i++ {
			x := (float64(i) + 0.5) / ss
			k, a := f(x, y)
			c.blendSample(i, j, k, a)
		}
	}
}

// vgrad fills the band y0…y1 with a vertical gradient.
func (c *canvas) vgrad(y0, y1 float64, stops ...stop) {
	c.shade(0, y0, float64(c.w), y1, func(x, y float64) (col, float64) {
		return ramp(stops, (y-y0)/(y1-y0)), 1
	})
}

// rect paints an axis-aligned rectangle.
func (c *canvas) rect(x0, y0, x1, y1 float64, k col, a float64) {
	c.shade(x0, y0, x1, y1, func(x, y float64) (col, float64) { return k, a })
}

// poly paints a polygon (even-odd rule) with a scanline fill.
func (c *canvas) poly(pts []pt, k col, a float64) {
	c.polyShade(pts, func(x, y float64) (col, float64) { return k, a })
}

// polyShade paints a polygon with a colour computed per sample.
func (c *canvas) polyShade(pts []pt, f func(x, y float64) (col, float64)) {
	if len(pts) < 3 {
		return
	}
	miny, maxy := pts[0].y, pts[0].y
	for _, p := range pts {
		miny, maxy = math.Min(miny, p.y), math.Max(maxy, p.y)
	}
	_, j0, _, j1 := c.sampleBox(0, miny, 0, maxy)
	var xs []float64
	for j := j0; j < j1; j++ {
		y := (float64(j) + 0.5) / ss
		xs = xs[:0]
		for n := range pts {
			p, q := pts[n], pts[(n+1)%len(pts)]
			if (p.y <= y) != (q.y <= y) {
				xs = append(xs, p.x+(y-p.y)/(q.y-p.y)*(q.x-p.x))
			}
		}
		sort.Float64s(xs)
		for n := 0; n+1 < len(xs); n += 2 {
			i0 := max(0, int(math.Ceil(xs[n]*ss-0.5)))
			i1 := min(c.sw, int(math.Ceil(xs[n+1]*ss-0.5)))
			for i := i0; i < i1; i++ {
				k, a := f((float64(i)+0.5)/ss, y)
				c.blendSample(i, j, k, a)
			}
		}
	}
}

// disc paints a hard-edged disc.
func (c *canvas) disc(cx, cy, r float64, k col, a float64) {
	c.shade(cx-r, cy-r, cx+r, cy+r, func(x, y float64) (col, float64) {
		if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
			return k, a
		}
		return k, 0
	})
}

// glow paints a soft radial light: opacity a at the centre falling to 0 at r.
func (c *canvas) glow(cx, cy, r float64, k col, a float64) {
	c.shade(cx-r, cy-r, cx+r, cy+r, func(x, y float64) (col, float64) {
		d := math.Sqrt((x-cx)*(x-cx)+(y-cy)*(y-cy)) / r
		if d >= 1 {
			return k, 0
		}
		t := 1 - d
		return k, a * t * t
	})
}

// bokeh paints an out-of-focus light: a disc with a soft rim.
func (c *canvas) bokeh(cx, cy, r float64, k col, a float64) {
	c.shade(cx-r-2, cy-r-2, cx+r+2, cy+r+2, func(x, y float64) (col, float64) {
		d := math.Sqrt((x-cx)*(x-cx) + (y-cy)*(y-cy))
		edge := clamp((r+1.5-d)/3, 0, 1)
		rim := 0.75 + 0.25*clamp((d-0.7*r)/(0.3*r), 0, 1)
		return k, a * edge * rim
	})
}

// ring paints a circle outline of the given width.
func (c *canvas) ring(cx, cy, r, width float64, k col, a float64) {
	c.shade(cx-r-width, cy-r-width, cx+r+width, cy+r+width, func(x, y float64) (col, float64) {
		d := math.Abs(math.Sqrt((x-cx)*(x-cx)+(y-cy)*(y-cy)) - r)
		if d <= width/2 {
			return k, a
		}
		return k, 0
	})
}

// line paints a segment with round caps.
func (c *canvas) line(x0, y0, x1, y1, width float64, k col, a float64) {
	hw := width / 2
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	c.shade(math.Min(x0, x1)-hw, math.Min(y0, y1)-hw, math.Max(x0, x1)+hw, math.Max(y0, y1)+hw,
		func(x, y float64) (col, float64) {
			t := 0.0
			if l2 > 0 {
				t = clamp(((x-x0)*dx+(y-y0)*dy)/l2, 0, 1)
			}
			ex, ey := x-(x0+t*dx), y-(y0+t*dy)
			if ex*ex+ey*ey <= hw*hw {
				return k, a
			}
			return k, 0
		})
}

// softLine paints a segment whose opacity falls off across its width, for
// light trails and glows along roads.
func (c *canvas) softLine(x0, y0, x1, y1, width float64, k col, a float64) {
	hw := width / 2
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	c.shade(math.Min(x0, x1)-hw, math.Min(y0, y1)-hw, math.Max(x0, x1)+hw, math.Max(y0, y1)+hw,
		func(x, y float64) (col, float64) {
			t := 0.0
			if l2 > 0 {
				t = clamp(((x-x0)*dx+(y-y0)*dy)/l2, 0, 1)
			}
			ex, ey := x-(x0+t*dx), y-(y0+t*dy)
			d := math.Sqrt(ex*ex+ey*ey) / hw
			if d >= 1 {
				return k, 0
			}
			return k, a * (1 - d) * (1 - d)
		})
}

// polyline paints connected segments.
func (c *canvas) polyline(pts []pt, width float64, k col, a float64) {
	for n := 0; n+1 < len(pts); n++ {
		c.line(pts[n].x, pts[n].y, pts[n+1].x, pts[n+1].y, width, k, a)
	}
}

// image averages the samples into pixels and adds a faint dither against
// banding in the gradients.
func (c *canvas) image(r *rng) *image.RGBA {
	return c.pixels(func() float64 { return r.float() - 0.5 })
}

// flat averages the samples into pixels, without image's dither: flat
// colours stay flat, and the PNG small.
func (c *canvas) flat() *image.RGBA {
	return c.pixels(func() float64 { return 0 })
}

// pixels averages the samples into pixels, each shifted by dither().
func (c *canvas) pixels(dither func() float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
	for y := 0; y < c.h; y++ {
		for x := 0; x < c.w; x++ {
			var s [3]float64
			for j := 0; j < ss; j++ {
				o := 3 * ((y*ss+j)*c.sw + x*ss)
				for i := 0; i < ss; i++ {
					s[0] += c.px[o+3*i]
					s[1] += c.px[o+3*i+1]
					s[2] += c.px[o+3*i+2]
				}
			}
			d := dither()
			img.SetRGBA(x, y, color.RGBA{
				R: byte8(s[0]/(ss*ss) + d),
				G: byte8(s[1]/(ss*ss) + d),
				B: byte8(s[2]/(ss*ss) + d),
				A: 255,
			})
		}
	}
	return img
}

func byte8(v float64) uint8 {
	return uint8(clamp(math.Round(v), 0, 255))
}

func clamp(v, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, v))
}

// rng is a small deterministic generator (SplitMix64), so the pictures do
// not depend on the standard library's choice of algorithms.
type rng struct{ s uint64 }

func newRNG(seed uint64) *rng { return &rng{s: seed * 0x9e3779b97f4a7c15} }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// in returns a number in [lo, hi).
func (r *rng) in(lo, hi float64) float64 { return lo + (hi-lo)*r.float() }

// intn returns an integer in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }
