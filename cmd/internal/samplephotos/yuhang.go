package main

import "math"

// The photos of yuhang-digital-governance.

// drawDuskSkyline: a city skyline against a dusk sky, over a wide river
// that carries the sun's reflection.
func drawDuskSkyline(c *canvas, r *rng) {
	w, h := float64(c.w), float64(c.h)
	horizon := 560.0
	c.vgrad(0, horizon,
		stop{0, hex("#16203f")},
		stop{0.42, hex("#4d3e6e")},
		stop{0.74, hex("#c36a6c")},
		stop{1, hex("#f3b46c")})
	sunX := 1090.0
	c.glow(sunX, horizon-30, 420, hex("#ffc98a"), 0.45)
	c.glow(sunX, horizon-30, 130, hex("#ffe4b0"), 0.7)
	c.disc(sunX, horizon-34, 34, hex("#fff1d6"), 0.95)
	// Thin clouds catching the light.
	for n := 0; n < 7; n++ {
		y := r.in(120, 380)
		x := r.in(-100, w)
		c.softLine(x, y, x+r.in(250, 520), y+r.in(-6, 6), r.in(8, 18), hex("#f0a987"), r.in(0.18, 0.35))
	}

	// Far skyline: hazy, lower, lighter.
	far := []pt{{0, horizon}}
	for x := 0.0; x < w; {
		bw := r.in(24, 70)
		bh := r.in(30, 120)
		if r.chance(0.08) {
			bh += r.in(60, 120)
		}
		far = append(far, pt{x, horizon - bh}, pt{x + bw, horizon - bh})
		x += bw
	}
	far = append(far, pt{w, horizon})
	c.poly(far, hex("#7d5a7e"), 0.55)

	// Near skyline: dark towers, some with lit windows.
	x := -10.0
	for x < w {
		bw := r.in(36, 110)
		bh := r.in(40, 170)
		if r.chance(0.18) {
			bh += r.in(90, 190)
		}
		top := horizon - bh
		body := hex("#1c1a2d")
		c.rect(x, top, x+bw, horizon, body, 1)
		if r.chance(0.3) { // a setback crown
			inset := bw * r.in(0.15, 0.3)
			c.rect(x+inset, top-r.in(14, 40), x+bw-inset, top+1, body, 1)
		}
		if r.chance(0.12) { // a mast
			mx := x + bw/2
			c.line(mx, top-r.in(40, 80), mx, top, 3, body, 1)
		}
		for wy := top + 10; wy < horizon-8; wy += 11 {
			for wx := x + 6; wx < x+bw-6; wx += 9 {
				if r.chance(0.09) {
					c.rect(wx, wy, wx+4, wy+5, hex("#ffcf7e"), r.in(0.55, 0.9))
				}
			}
		}
		x += bw + r.in(0, 8)
	}

	// The embankment and the water.
	c.rect(0, horizon, w, horizon+12, hex("#15131f"), 1)
	c.vgrad(horizon+12, h,
		stop{0, hex("#5a4062")},
		stop{0.35, hex("#33284a")},
		stop{1, hex("#0f1222")})
	// The sun's path on the water: broken horizontal strokes.
	for y := horizon + 16; y < h; y += r.in(5, 10) {
		depth := (y - horizon) / (h - horizon)
		spread := 40 + 260*depth
		for n := 0; n < 3; n++ {
			cx := sunX + r.in(-spread, spread)*r.float()
			l := r.in(10, 60) * (0.5 + depth)
			c.line(cx-l/2, y, cx+l/2, y, 1.5+2*depth, hex("#ffd59c"), (1-depth)*r.in(0.35, 0.8))
		}
	}
	// Faint ripples elsewhere.
	for n := 0; n < 260; n++ {
		y := r.in(horizon+16, h)
		depth := (y - horizon) / (h - horizon)
		cx := r.in(0, w)
		l := r.in(8, 40) * (0.5 + depth)
		c.line(cx, y, cx+l, y, 1+depth, hex("#8b6f92"), 0.25)
	}
}

// drawCivicHall: a glass-fronted service hall behind stone columns and a
// paved plaza, on a clear morning.
func drawCivicHall(c *canvas, r *rng) {
	w, h := float64(c.w), float64(c.h)
	c.vgrad(0, 470, stop{0, hex("#8fb8de")}, stop{1, hex("#e4edf3")})
	// Trees behind the hall.
	for x := -20.0; x < w+20; x += r.in(18, 34) {
		c.disc(x, 440-r.in(0, 40), r.in(22, 40), hex("#5d7a58").scale(r.in(0.85, 1.1)), 1)
	}
	// Glass wall with a sky reflection sweeping across it.
	x0, x1, y0, y1 := 180.0, 1020.0, 252.0, 472.0
	c.shade(x0, y0, x1, y1, func(x, y float64) (col, float64) {
		t := clamp(1-((x-x0)/(x1-x0)*0.7+(y-y0)/(y1-y0)*0.6), 0, 1)
		return mix(hex("#34536f"), hex("#a9c8df"), t*t), 1
	})
	for px := x0; px < x1; px += 60 {
		for py := y0; py < y1; py += 55 {
			c.rect(px, py, px+60, py+55, hex("#d7e6f0"), r.in(0, 0.12))
		}
	}
	for px := x0; px <= x1; px += 60 {
		c.rect(px-1.5, y0, px+1.5, y1, hex("#2a3440"), 0.9)
	}
	for py := y0; py <= y1; py += 55 {
		c.rect(x0, py-1, x1, py+1, hex("#2a3440"), 0.9)
	}
	// Entrance.
	c.rect(540, 380, 660, y1, hex("#1f3144"), 1)
	c.rect(520, 366, 680, 380, hex("#ece8e0"), 1)
	// Roof slab with its shadow.
	c.rect(110, 208, 1090, 240, hex("#ebe7df"), 1)
	c.rect(110, 240, 1090, 252, hex("#8f8b84"), 1)
	// Columns, lit from the left.
	for cx := 200.0; cx <= 1000; cx += 100 {
		if cx > 520 && cx < 680 {
			continue
		}
		c.rect(cx, 252, cx+16, y1, hex("#f1eee8"), 1)
		c.rect(cx+16, 252, cx+24, y1, hex("#c4bfb6"), 1)
	}
	// Steps.
	for n := 0; n < 5; n++ {
		y := y1 + float64(n)*7
		c.rect(90, y, 1110, y+7, hex("#d6d1c7").scale(1-0.04*float64(n%2)), 1)
	}
	// Plaza with paving in perspective.
	py0 := y1 + 35
	c.vgrad(py0, h, stop{0, hex("#d3cec4")}, stop{1, hex("#b2ab9f")})
	vx, vy := 600.0, 330.0
	for n := -14; n <= 14; n++ {
		bx := vx + float64(n)*110
		t := (py0 - vy) / (h - vy)
		c.line(vx+(bx-vx)*t, py0, bx, h, 1.4, hex("#9c958a"), 0.45)
	}
	for d := 1.0; ; d *= 1.28 {
		y := py0 + 6*d
		if y > h {
			break
		}
		c.line(0, y, w, y, 1+0.02*d, hex("#9c958a"), 0.35)
	}
	// People crossing the plaza.
	for n := 0; n < 11; n++ {
		y := r.in(py0+30, h-60)
		s := 0.6 + 0.9*(y-py0)/(h-py0)
		x := r.in(80, w-80)
		if x > 500 && x < 700 && r.chance(0.5) {
			x += 250
		}
		body := hex("#34363d").scale(r.in(0.8, 1.3))
		c.line(x, y-34*s, x, y-8*s, 11*s, body, 0.92)
		c.line(x-2*s, y-10*s, x-3*s, y, 3.5*s, body, 0.92)
		c.line(x+2*s, y-10*s, x+3*s, y, 3.5*s, body, 0.92)
		c.disc(x, y-40*s, 5*s, hex("#2a2b30"), 0.95)
		c.softLine(x, y+1, x+18*s, y+3, 10*s, hex("#7d776d"), 0.35)
	}
	// Two trees framing the plaza.
	for _, tx := range []float64{60, 1140} {
		c.rect(tx-5, 470, tx+5, 600, hex("#4a3b2e"), 1)
		for n := 0; n < 14; n++ {
			c.disc(tx+r.in(-70, 70), r.in(380, 500), r.in(30, 50), hex("#4c6b43").scale(r.in(0.8, 1.15)), 1)
		}
	}
}

// drawScreenWall: a darkened command room facing a wall of screens, with
// operators' silhouettes at the desks.
func drawScreenWall(c *canvas, r *rng) {
	w, h := float64(c.w), float64(c.h)
	c.vgrad(0, h, stop{0, hex("#070b16")}, stop{0.6, hex("#0c1528")}, stop{1, hex("#05070d")})
	wx0, wy0, wx1, wy1 := 80.0, 80.0, 1120.0, 470.0
	c.glow(600, 280, 760, hex("#2a6f9e"), 0.35)
	cols, rows, gap := 6, 3, 8.0
	cw := (wx1 - wx0 - gap*float64(cols-1)) / float64(cols)
	ch := (wy1 - wy0 - gap*float64(rows-1)) / float64(rows)
	cell := func(i, j int) (x0, y0 float64) {
		return wx0 + float64(i)*(cw+gap), wy0 + float64(j)*(ch+gap)
	}
	for j := 0; j < rows; j++ {
		for i := 0; i < cols; i++ {
			if i >= 2 && i <= 3 && j <= 1 {
				continue // the big map screen
			}
			x0, y0 := cell(i, j)
			screen(c, r, x0, y0, x0+cw, y0+ch, (i*7+j*3)%4)
		}
	}
	// The big map screen in the middle.
	mx0, my0 := cell(2, 0)
	mx1, my1 := mx0+2*cw+gap, my0+2*ch+gap
	c.shade(mx0, my0, mx1, my1, func(x, y float64) (col, float64) {
		return mix(hex("#0b2a44"), hex("#103a56"), (y-my0)/(my1-my0)), 1
	})
	center := pt{(mx0 + mx1) / 2, (my0 + my1) / 2}
	var outline []pt
	for n := 0; n < 40; n++ {
		a := float64(n) / 40 * 2 * math.Pi
		rad := 105 + 28*math.Sin(3*a+0.7) + 14*math.Sin(7*a) + r.in(-6, 6)
		outline = append(outline, pt{center.x + 1.45*rad*math.Cos(a), center.y + rad*math.Sin(a)})
	}
	c.poly(outline, hex("#1b5d7d"), 0.7)
	outline = append(outline, outline[0])
	c.polyline(outline, 2, hex("#5fd6e6"), 0.9)
	for n := 0; n < 60; n++ {
		a := r.in(0, 2*math.Pi)
		d := math.Sqrt(r.float()) * 95
		x, y := center.x+1.4*d*math.Cos(a), center.y+d*math.Sin(a)
		k, rad := hex("#7ee8f0"), 2.5
		if r.chance(0.12) {
			k, rad = hex("#ffb547"), 4
			c.glow(x, y, 16, k, 0.5)
		}
		c.disc(x, y, rad, k, 0.9)
	}
	// The wall's reflection on the floor.
	c.shade(wx0, wy1+30, wx1, wy1+110, func(x, y float64) (col, float64) {
		return hex("#1f5676"), 0.22 * (1 - (y-wy1-30)/80)
	})
	// Desks and operators.
	c.rect(0, 600, w, 680, hex("#04060c"), 1)
	c.rect(0, 598, w, 602, hex("#23405e"), 0.9)
	for n := 0; n < 9; n++ {
		x := 70 + float64(n)*130 + r.in(-15, 15)
		c.rect(x-32, 560, x+32, 600, hex("#0a1220"), 1)
		c.rect(x-28, 564, x+28, 596, hex("#2d7fa8"), 0.55)
	}
	for n := 0; n < 5; n++ {
		x := 130 + float64(n)*235 + r.in(-30, 30)
		c.line(x, 640, x, 760, 96, hex("#020305"), 1)
		c.disc(x, 590, 30, hex("#020305"), 1)
	}
	c.vgrad(680, h, stop{0, hex("#04060c")}, stop{1, hex("#020305")})
}

// screen paints one dashboard screen of the wall.
func screen(c *canvas, r *rng, x0, y0, x1, y1 float64, kind int) {
	c.shade(x0, y0, x1, y1, func(x, y float64) (col, float64) {
		return mix(hex("#0d2137"), hex("#0a1a2c"), (y-y0)/(y1-y0)), 1
	})
	c.rect(x0+8, y0+8, x0+8+r.in(40, 80), y0+13, hex("#8fb8d0"), 0.6) // a title
	pad := 14.0
	bx0, by0, bx1, by1 := x0+pad, y0+24, x1-pad, y1-pad
	switch kind {
	case 0: // bar chart
		n := 9
		bw := (bx1 - bx0) / float64(n)
		for i := 0; i < n; i++ {
			top := by1 - r.in(0.2, 1)*(by1-by0)
			k := hex("#35c0c8")
			if r.chance(0.15) {
				k = hex("#ffb547")
			}
			c.rect(bx0+float64(i)*bw+2, top, bx0+float64(i+1)*bw-2, by1, k, 0.85)
		}
	case 1: // line chart
		var pts []pt
		v := r.in(0.3, 0.7)
		for x := bx0; x <= bx1; x += 8 {
			v = clamp(v+r.in(-0.12, 0.12), 0.05, 0.95)
			pts = append(pts, pt{x, by1 - v*(by1-by0)})
		}
		for _, p := range pts {
			c.rect(p.x-3, p.y, p.x+3, by1, hex("#1d6a8a"), 0.35)
		}
		c.polyline(pts, 2.2, hex("#6fe3ee"), 0.95)
	case 2: // gauges
		for i := 0; i < 2; i++ {
			cx := bx0 + (bx1-bx0)*(0.27+0.46*float64(i))
			cy := (by0 + by1) / 2
			rad := math.Min(bx1-bx0, by1-by0) * 0.3
			c.ring(cx, cy, rad, 6, hex("#1c3b55"), 1)
			end := r.in(0.3, 0.95) * 2 * math.Pi
			for a := 0.0; a < end; a += 0.04 {
				c.disc(cx+rad*math.Sin(a), cy-rad*math.Cos(a), 3, hex("#52d7a0"), 0.9)
			}
		}
	default: // a table of figures
		for y := by0; y+8 < by1; y += 14 {
			for x := bx0; x+20 < bx1; x += r.in(26, 40) {
				k := hex("#9fc9df")
				if r.chance(0.08) {
					k = hex("#ff8a6b")
				}
				c.rect(x, y, x+r.in(10, 22), y+6, k, 0.7)
			}
		}
	}
}

// drawNightGrid: a city seen from above at night, its road grid lit, with
// a river through it and data links between glowing nodes.
func drawNightGrid(c *canvas, r *rng) {
	w, h := float64(c.w), float64(c.h)
	c.vgrad(0, h, stop{0, hex("#0a1124")}, stop{1, hex("#070c1a")})
	// Lit buildings scattered across the blocks.
	for n := 0; n < 2200; n++ {
		x, y := r.in(0, w), r.in(0, h)
		c.rect(x, y, x+r.in(1.5, 3.5), y+r.in(1.5, 3.5), hex("#f4d9a6"), r.in(0.06, 0.35))
	}
	// Roads: a skewed grid, major roads every third line.
	vx := []float64{}
	for x := r.in(-40, 40); x < w+80; x += r.in(70, 130) {
		vx = append(vx, x)
	}
	hy := []float64{}
	for y := r.in(-30, 30); y < h+80; y += r.in(60, 110) {
		hy = append(hy, y)
	}
	const skew = 0.12
	for i, x := range vx {
		major := i%3 == 1
		width, a := 2.0, 0.35
		if major {
			width, a = 4.5, 0.85
			c.softLine(x, 0, x-skew*h, h, 26, hex("#e39a44"), 0.18)
		}
		c.line(x, 0, x-skew*h, h, width, hex("#e7a653"), a)
	}
	for j, y := range hy {
		major := j%3 == 2
		width, a := 2.0, 0.35
		if major {
			width, a = 4.5, 0.85
			c.softLine(0, y, w, y+skew*w*0.5, 26, hex("#e39a44"), 0.18)
		}
		c.line(0, y, w, y+skew*w*0.5, width, hex("#e7a653"), a)
	}
	// The river, drawn over the grid, with bridges left as gaps.
	var river []pt
	for x := -40.0; x <= w+40; x += 10 {
		river = append(river, pt{x, 560 - 0.14*x + 38*math.Sin(x/170)})
	}
	for n := 0; n+1 < len(river); n++ {
		p, q := river[n], river[n+1]
		c.line(p.x, p.y, q.x, q.y, 64, hex("#0b1d38"), 1)
	}
	for n := 0; n+1 < len(river); n++ {
		p, q := river[n], river[n+1]
		c.line(p.x, p.y-30, q.x, q.y-30, 1.5, hex("#3c6d93"), 0.5)
		c.line(p.x, p.y+30, q.x, q.y+30, 1.5, hex("#3c6d93"), 0.5)
	}
	// Traffic streaks on the major roads.
	for i, x := range vx {
		if i%3 != 1 {
			continue
		}
		for n := 0; n < 10; n++ {
			t := r.float()
			l := r.in(0.02, 0.06)
			c.line(x-skew*h*t, h*t, x-skew*h*(t+l), h*(t+l), 2.5, hex("#fff3d0"), 0.8)
		}
	}
	// Nodes and the links between them.
	var nodes []pt
	for n := 0; n < 11; n++ {
		i, j := 1+r.intn(len(vx)-2), 1+r.intn(len(hy)-2)
		// where road x = vx[i] - skew*y crosses road y = hy[j] + skew/2*x
		x := (vx[i] - skew*hy[j]) / (1 + skew*skew/2)
		nodes = append(nodes, pt{x, hy[j] + skew/2*x})
	}
	for n := range nodes {
		a, b := nodes[n], nodes[(n*5+3)%len(nodes)]
		if a == b {
			continue
		}
		mid := pt{(a.x+b.x)/2 + (b.y-a.y)*0.25, (a.y+b.y)/2 - (b.x-a.x)*0.25}
		var arc []pt
		for t := 0.0; t <= 1.0001; t += 0.04 {
			u := 1 - t
			arc = append(arc, pt{u*u*a.x + 2*u*t*mid.x + t*t*b.x, u*u*a.y + 2*u*t*mid.y + t*t*b.y})
		}
		c.polyline(arc, 1.6, hex("#5ee3f2"), 0.55)
	}
	for _, p := range nodes {
		c.glow(p.x, p.y, 60, hex("#38c8e0"), 0.45)
		c.ring(p.x, p.y, 16, 2, hex("#8ff0fa"), 0.8)
		c.disc(p.x, p.y, 5, hex("#e8feff"), 1)
	}
}

// drawServerHall: a cold aisle between two rows of server racks, in
// one-point perspective, their status lights running into the distance.
func drawServerHall(c *canvas, r *rng) {
	w, h := float64(c.w), float64(c.h)
	vx, vy, f := w/2, 360.0, 640.0
	proj := func(x, y, z float64) pt { return pt{vx + f*x/z, vy + f*y/z} }
	const (
		aisle   = 1.5  // half width of the aisle, metres
		floorY  = 1.2  // camera height above the floor
		rackTop = -0.9 // rack top relative to the camera
		ceilY   = -1.7
		near    = 0.9
		far     = 40.0
		depth   = 0.62 // one rack along the row
	)
	// Ceiling, floor and the far wall.
	c.vgrad(0, vy, stop{0, hex("#0e131b")}, stop{1, hex("#1a2230")})
	c.vgrad(vy, h, stop{0, hex("#1b2432")}, stop{1, hex("#0b0f16")})
	c.glow(vx, vy, 220, hex("#c9dcf2"), 0.35)
	// Ceiling light strips and their reflections in the floor.
	for _, lx := range []float64{-0.55, 0.55} {
		for z := near; z < far; z += 1.3 {
			a, b := proj(lx-0.06, ceilY, z), proj(lx+0.06, ceilY, z)
			cc, d := proj(lx+0.06, ceilY, z+0.9), proj(lx-0.06, ceilY, z+0.9)
			c.poly([]pt{a, b, cc, d}, hex("#e6f0fb"), 0.95)
		}
		ra, rb := proj(lx-0.1, floorY, near), proj(lx+0.1, floorY, near)
		rc, rd := proj(lx+0.1, floorY, far), proj(lx-0.1, floorY, far)
		c.poly([]pt{ra, rb, rc, rd}, hex("#9fb6cf"), 0.06)
	}
	// Floor tiles.
	for x := -aisle; x <= aisle+0.01; x += 0.6 {
		a, b := proj(x, floorY, near), proj(x, floorY, far)
		c.line(a.x, a.y, b.x, b.y, 1.2, hex("#2c3746"), 0.7)
	}
	for z := near; z < far; z += 0.6 {
		a, b := proj(-aisle, floorY, z), proj(aisle, floorY, z)
		c.line(a.x, a.y, b.x, b.y, 1.2*near/z*2, hex("#2c3746"), 0.7)
	}
	// The two rows of racks, far to near so nearer racks overlap.
	n := int(math.Floor((far - near) / depth))
	for i := n - 1; i >= 0; i-- {
		z0 := near + float64(i)*depth
		z1 := z0 + depth
		for _, side := range []float64{-1, 1} {
			x := side * aisle
			face := []pt{proj(x, rackTop, z0), proj(x, rackTop, z1), proj(x, floorY, z1), proj(x, floorY, z0)}
			shade := 0.9 + 0.2*float64(i%2)
			c.poly(face, hex("#161c26").scale(shade), 1)
			// server units: thin horizontal seams
			for u := 1; u < 14; u++ {
				y := rackTop + float64(u)*0.14
				a, b := proj(x, y, z0), proj(x, y, z1)
				c.line(a.x, a.y, b.x, b.y, math.Max(0.5, 1.5/z0), hex("#0b0f15"), 0.8)
			}
			// the rack's frame
			a, b := proj(x, rackTop, z0), proj(x, floorY, z0)
			c.line(a.x, a.y, b.x, b.y, math.Max(1, 6/z0), hex("#2b3444"), 1)
			// status lights
			for u := 0; u < 14; u++ {
				if !r.chance(0.7) {
					continue
				}
				y := rackTop + 0.12 + float64(u)*0.14
				zz := z0 + r.in(0.08, depth*0.45)
				p := proj(x, y, zz)
				k := hex("#4fa8ff")
				switch {
				case r.chance(0.2):
					k = hex("#55e39a")
				case r.chance(0.04):
					k = hex("#ffb347")
				}
				size := math.Max(0.8, 7/zz)
				c.glow(p.x, p.y, size*4, k, 0.35)
				c.disc(p.x, p.y, size*0.6, k, 1)
			}
		}
	}
	// Cable trays above the racks.
	for _, side := range []float64{-1, 1} {
		x := side * (aisle - 0.2)
		a, b := proj(x, rackTop-0.25, near), proj(x, rackTop-0.25, far)
		cc, d := proj(x, rackTop-0.2, far), proj(x, rackTop-0.2, near)
		c.poly([]pt{a, b, cc, d}, hex("#3a4658"), 1)
	}
}
