package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The sample river report embeds a chart (::: embed of a Datawrapper
// graphic) whose fallback image, shown to readers without JavaScript, is
// drawn here from the report's own figures: the new dike's three sections
// (the table under "第三站 新堤工地" / "Third stop: the new dike"), their
// lengths in kilometres, and which are finished. The picture holds only
// numbers and "km", so both editions use it; their captions say what the
// colours mean. It is a PNG: flat colours and text, no dither.

// dikeSections are the report's figures.
var dikeSections = []struct {
	km       float64
	finished bool
}{{1.2, true}, {1.5, true}, {1.3, false}}

// renderChart paints the dike chart of p's size and encodes it as a PNG.
func renderChart(p photo) ([]byte, error) {
	c := newCanvas(p.w, p.h)
	white, grid, ink := hex("#ffffff"), hex("#dcdcdc"), hex("#333333")
	done, busy, hatch := hex("#1f5f7a"), hex("#f0c75e"), hex("#c9962a")
	c.rect(0, 0, float64(p.w), float64(p.h), white, 1)

	const left, top, rowH, barH = 150.0, 60.0, 150.0, 84.0
	right := float64(p.w) - 230
	scale := (right - left) / 1.5 // pixels per km; the axis ends at 1.5 km
	axisY := top + rowH*float64(len(dikeSections))
	for _, km := range []float64{0, 0.5, 1, 1.5} {
		x := left + km*scale
		c.rect(x-1, top-20, x+1, axisY, grid, 1)
	}
	for i, s := range dikeSections {
		y := top + rowH*float64(i) + (rowH-barH)/2
		x1 := left + s.km*scale
		if s.finished {
			c.rect(left, y, x1, y+barH, done, 1)
			continue
		}
		c.rect(left, y, x1, y+barH, busy, 1)
		c.shade(left, y, x1, y+barH, func(x, yy float64) (col, float64) {
			if math.Mod(x+yy, 28) < 9 {
				return hatch, 1
			}
			return hatch, 0
		})
	}
	c.rect(left-2, top-20, left+2, axisY, ink, 1) // the zero line

	img := c.flat()
	faces, err := chartFaces()
	if err != nil {
		return nil, err
	}
	for i, s := range dikeSections {
		mid := top + rowH*float64(i) + rowH/2
		label := []string{"1", "2", "3"}[i]
		text(img, faces.big, ink, left-30-measure(faces.big, label), mid+16, label)
		text(img, faces.big, ink, left+s.km*scale+20, mid+16, formatKM(s.km)+" km")
	}
	for _, km := range []float64{0, 0.5, 1, 1.5} {
		l := formatKM(km)
		if km == 0 {
			l = "0"
		}
		text(img, faces.small, ink, left+km*scale-measure(faces.small, l)/2, axisY+40, l)
	}
	text(img, faces.small, ink, left+1.5*scale+30, axisY+40, "km")

	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func formatKM(km float64) string {
	whole := int(km)
	tenth := int(math.Round((km - float64(whole)) * 10))
	return string(rune('0'+whole)) + "." + string(rune('0'+tenth))
}

type faces struct{ big, small font.Face }

// chartFaces returns the Go fonts (golang.org/x/image/font/gofont) the
// chart's numbers are set in.
func chartFaces() (faces, error) {
	face := func(ttf []byte, size float64) (font.Face, error) {
		f, err := opentype.Parse(ttf)
		if err != nil {
			return nil, err
		}
		return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	}
	big, err := face(gomedium.TTF, 44)
	if err != nil {
		return faces{}, err
	}
	small, err := face(goregular.TTF, 30)
	return faces{big, small}, err
}

func measure(f font.Face, s string) float64 {
	return float64(font.MeasureString(f, s)) / 64
}

// text draws s with its baseline's left end at (x, y).
func text(img *image.RGBA, f font.Face, k col, x, y float64, s string) {
	d := font.Drawer{
		Dst:  img,
		Src:  image.NewUniform(color.RGBA{R: byte8(k.r), G: byte8(k.g), B: byte8(k.b), A: 255}),
		Face: f,
		Dot:  fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)},
	}
	d.DrawString(s)
}
