// Command samplephotos draws the photos of the sample site in content/.
//
// The sample reports need pictures, and the repository must not depend on
// downloads or on anyone's photo rights, so every "photo" is painted here
// with the standard library's image packages: a dusk skyline over a river,
// a civic hall, a command-center screen wall, a night road grid, a server
// hall, river dikes, a sluice gate and a night market. Each picture has its
// own fixed seed, so a run writes the same bytes every time.
//
// Regenerate the committed JPEGs from the repository root with
//
//	go run ./cmd/internal/samplephotos
//
// and verify them without writing anything with
//
//	go run ./cmd/internal/samplephotos -check
//
// which exits with status 1 when a file is missing or differs. The output
// is byte-identical across runs on one machine; floating-point rounding may
// differ on architectures that fuse multiply-add (arm64), so regenerate the
// committed files on amd64.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
)

// A photo is one picture of the sample site.
type photo struct {
	path string // relative to the content folder
	w, h int
	seed uint64
	draw func(c *canvas, r *rng)
}

// photos lists every picture, in the order the reports use them.
func photos() []photo {
	return []photo{
		{"yuhang-digital-governance/photos/hero.jpg", 1600, 900, 1, drawDuskSkyline},
		{"yuhang-digital-governance/photos/citizens-hall.jpg", 1200, 800, 2, drawCivicHall},
		{"yuhang-digital-governance/photos/command-center.jpg", 1200, 800, 3, drawScreenWall},
		{"yuhang-digital-governance/photos/city-brain.jpg", 1200, 800, 4, drawNightGrid},
		{"yuhang-digital-governance/photos/cloud-park.jpg", 1200, 800, 5, drawServerHall},
		{"qingxi-river-dikes/photos/dikes.jpg", 1600, 900, 6, drawDikes},
		{"qingxi-river-dikes/photos/sluice-gate.jpg", 1200, 800, 7, drawSluice},
		{"qingxi-river-dikes/photos/new-dike-sections.png", 1200, 560, 0, nil}, // chart.go
		{"dongguan-night-market/photos/night-market.jpg", 1600, 900, 8, drawNightMarket},
		{"dongguan-night-market/photos/stall-lights.jpg", 1200, 800, 9, drawStallLights},
	}
}

// quality is the JPEG quality of every photo.
const quality = 80

func main() {
	dir := flag.String("content", "content", "the site's content folder")
	check := flag.Bool("check", false, "compare the photos on disk with fresh renders; write nothing")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: samplephotos [-content DIR] [-check]")
		os.Exit(2)
	}
	if err := run(*dir, *check); err != nil {
		fmt.Fprintln(os.Stderr, "samplephotos:", err)
		os.Exit(1)
	}
}

func run(dir string, check bool) error {
	var stale []string
	total := 0
	for _, p := range photos() {
		data, err := render(p)
		if err != nil {
			return fmt.Errorf("%s: %v", p.path, err)
		}
		total += len(data)
		name := filepath.Join(dir, filepath.FromSlash(p.path))
		old, err := os.ReadFile(name)
		same := err == nil && bytes.Equal(old, data)
		if check {
			if !same {
				stale = append(stale, name)
			}
			continue
		}
		if same {
			fmt.Printf("%-56s %7d bytes, unchanged\n", name, len(data))
			continue
		}
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return err
		}
		fmt.Printf("%-56s %7d bytes, written\n", name, len(data))
	}
	if check {
		if len(stale) > 0 {
			return fmt.Errorf("stale or missing: %v", stale)
		}
		return nil
	}
	fmt.Printf("%d photos, %d bytes\n", len(photos()), total)
	return nil
}

// render paints p and encodes it as a JPEG (a chart, as a PNG).
func render(p photo) ([]byte, error) {
	if p.draw == nil {
		return renderChart(p)
	}
	c := newCanvas(p.w, p.h)
	r := newRNG(p.seed)
	p.draw(c, r)
	img := c.image(r)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
