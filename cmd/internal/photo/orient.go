package photo

import (
	"image"
	"image/draw"
)

// uprightSize is the size of an image of w×h stored pixels once it is shown
// with EXIF orientation o.
func uprightSize(w, h, o int) (int, int) {
	if o >= 5 && o <= 8 {
		return h, w
	}
	return w, h
}

// upright returns img turned the way EXIF orientation o says it is seen,
// as an RGBA image at its full size with its origin at (0, 0); img itself
// when it is such an image already and o is 1.
func upright(img image.Image, o int) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	src, ok := img.(*image.RGBA)
	if !ok || b.Min != (image.Point{}) {
		src = image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	}
	if o < 2 || o > 8 {
		return src
	}
	// The stored pixel shown at (x, y) is (x0 + xx*x + xy*y, y0 + yx*x + yy*y).
	var x0, xx, xy, y0, yx, yy int
	switch o {
	case 2: // mirror left-right
		x0, xx, yy = w-1, -1, 1
	case 3: // rotate 180°
		x0, xx, y0, yy = w-1, -1, h-1, -1
	case 4: // mirror top-bottom
		xx, y0, yy = 1, h-1, -1
	case 5: // transpose
		xy, yx = 1, 1
	case 6: // rotate 90° clockwise
		xy, y0, yx = 1, h-1, -1
	case 7: // transverse
		x0, xy, y0, yx = w-1, -1, h-1, -1
	case 8: // rotate 90° counter-clockwise
		x0, xy, yx = w-1, -1, 1
	}
	ow, oh := uprightSize(w, h, o)
	dst := image.NewRGBA(image.Rect(0, 0, ow, oh))
	step := 4*xx + src.Stride*yx // offset in src from one shown pixel to the next in a row
	for y := 0; y < oh; y++ {
		s := (y0+yy*y)*src.Stride + 4*(x0+xy*y)
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*ow]
		for d := 0; d < len(row); d += 4 {
			copy(row[d:d+4], src.Pix[s:s+4])
			s += step
		}
	}
	return dst
}

// shrink returns src (with its origin at (0, 0)) made k times smaller in
// each direction, each pixel the mean of a k×k block; blocks cut by the
// right and bottom edges average the pixels they have.
func shrink(src *image.RGBA, k int) *image.RGBA {
	if k <= 1 {
		return src
	}
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	w, h := (sw+k-1)/k, (sh+k-1)/k
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	sums := make([]uint32, 4*w)
	for oy := 0; oy < h; oy++ {
		clear(sums)
		y0, y1 := oy*k, min(oy*k+k, sh)
		for y := y0; y < y1; y++ {
			row := src.Pix[y*src.Stride : y*src.Stride+4*sw]
			for ox := 0; ox < w; ox++ {
				s := sums[4*ox : 4*ox+4]
				block := row[4*ox*k : 4*min(ox*k+k, sw)]
				for i := 0; i < len(block); i += 4 {
					s[0] += uint32(block[i])
					s[1] += uint32(block[i+1])
					s[2] += uint32(block[i+2])
					s[3] += uint32(block[i+3])
				}
			}
		}
		out := dst.Pix[oy*dst.Stride : oy*dst.Stride+4*w]
		for ox := 0; ox < w; ox++ {
			n := uint32((y1 - y0) * (min(ox*k+k, sw) - ox*k))
			for c := 0; c < 4; c++ {
				out[4*ox+c] = uint8((sums[4*ox+c] + n/2) / n)
			}
		}
	}
	return dst
}
