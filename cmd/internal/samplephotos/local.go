package main

import "math"

// The photos of qingxi-river-dikes and dongguan-night-market.

// drawDikes: a river running away between two dikes under an overcast sky:
// an old grassy bank on the left, a new concrete-lined one on the right
// with a water-level gauge.
func drawDikes(c *canvas, r *rng) {
	w, h := float64(c.w), float64(c.h)
	horizon := 430.0
	vp := pt{820, horizon}
	c.vgrad(0, horizon, stop{0, hex("#7f8d9b")}, stop{0.7, hex("#b9c2c9")}, stop{1, hex("#cdd3d6")})
	for n := 0; n < 9; n++ { // heavy clouds
		c.glow(r.in(0, w), r.in(40, 260), r.in(180, 360), hex("#6d7a88"), r.in(0.15, 0.3))
	}
	// The far tree line.
	for x := -10.0; x < w+10; x += r.in(6, 14) {
		c.disc(x, horizon-r.in(0, 16), r.in(8, 20), hex("#55635a").scale(r.in(0.9, 1.1)), 1)
	}
	c.rect(0, horizon-6, w, horizon+4, hex("#55635a"), 1)
	// Fields beyond the dikes.
	c.vgrad(horizon, h, stop{0, hex("#7d8a5c")}, stop{1, hex("#5f6e3f")})
	// edge returns the x of a line from the vanishing point to (bx, h) at y.
	edge := func(bx, y float64) float64 { return vp.x + (bx-vp.x)*(y-vp.y)/(h-vp.y) }
	// Left dike: the outer slope, the crest path, the grassy inner slope.
	c.poly([]pt{vp, {edge(-700, h), h}, {-700, h}}, hex("#6a7f47"), 1)
	c.poly([]pt{vp, {edge(-200, h), h}, {edge(-700, h), h}}, hex("#cbbf9f"), 1)
	c.polyShade([]pt{vp, {edge(330, h), h}, {edge(-200, h), h}}, func(x, y float64) (col, float64) {
		return mix(hex("#7d9456"), hex("#5c7438"), (y-horizon)/(h-horizon)), 1
	})
	// Tufts of grass on the old bank.
	for n := 0; n < 900; n++ {
		y := horizon + (h-horizon)*math.Pow(r.float(), 0.7)
		x := r.in(edge(-200, y), edge(330, y))
		s := (y - horizon) / (h - horizon)
		c.line(x, y, x+r.in(-2, 2)*s, y-r.in(3, 12)*s, 1+1.5*s, hex("#4d6330").scale(r.in(0.8, 1.3)), 0.6)
	}
	// Right dike: concrete slope protection in a grid, then the crest.
	c.polyShade([]pt{vp, {edge(1300, h), h}, {edge(1900, h), h}}, func(x, y float64) (col, float64) {
		return mix(hex("#b4b4aa"), hex("#8f8f86"), (y-horizon)/(h-horizon)), 1
	})
	for _, bx := range []float64{1450, 1600, 1750} {
		c.line(vp.x, vp.y, bx, h, 1.6, hex("#74746c"), 0.7)
	}
	for d := 1.0; ; d *= 1.22 {
		y := horizon + 3*d
		if y > h {
			break
		}
		c.line(edge(1300, y), y, edge(1900, y), y, 0.8+0.01*d, hex("#74746c"), 0.6)
	}
	c.poly([]pt{vp, {edge(1900, h), h}, {edge(2300, h), h}}, hex("#d6d2c6"), 1)
	// The water, lighter towards the horizon, with ripples.
	c.polyShade([]pt{vp, {edge(1300, h), h}, {edge(330, h), h}}, func(x, y float64) (col, float64) {
		t := (y - horizon) / (h - horizon)
		return mix(hex("#aab6bd"), hex("#4b5e6b"), math.Sqrt(t)), 1
	})
	for n := 0; n < 420; n++ {
		y := horizon + (h-horizon)*r.float()
		x0, x1 := edge(330, y), edge(1300, y)
		x := r.in(x0, x1)
		s := (y - horizon) / (h - horizon)
		l := r.in(6, 40) * (0.2 + s)
		c.line(x, y, math.Min(x+l, x1), y, 0.6+1.6*s, hex("#c9d3d8"), 0.35)
	}
	// A water-level gauge post on the new bank.
	gx, gy0, gy1 := 1190.0, 560.0, 740.0
	for y := gy0; y < gy1; y += 15 {
		k := hex("#f1efe9")
		if int((y-gy0)/15)%2 == 0 {
			k = hex("#c0392b")
		}
		c.rect(gx, y, gx+14, y+15, k, 1)
	}
	c.rect(gx+14, gy0, gx+17, gy1, hex("#7a7a72"), 1)
	// A walker on the crest path, for scale.
	px, py := edge(-330, 520), 520.0
	c.line(px, py-26, px, py-6, 7, hex("#2f3336"), 1)
	c.disc(px, py-30, 4, hex("#2f3336"), 1)
	c.line(px-1, py-7, px-3, py, 2.5, hex("#2f3336"), 1)
	c.line(px+1, py-7, px+3, py, 2.5, hex("#2f3336"), 1)
}

// drawSluice: a sluice gate seen from downstream: concrete piers, steel
// gates raised a little, white water beneath.
func drawSluice(c *canvas, r *rng) {
	w, h := float64(c.w), float64(c.h)
	c.vgrad(0, 330, stop{0, hex("#a7b6c3")}, stop{1, hex("#dfe3e4")})
	for x := -10.0; x < w+10; x += r.in(10, 20) { // trees on the banks
		c.disc(x, 320-r.in(0, 30), r.in(16, 30), hex("#5b6c55").scale(r.in(0.85, 1.1)), 1)
	}
	c.rect(0, 318, w, 400, hex("#7f8a66"), 1)
	// Stone revetment of the banks down to the water.
	c.vgrad(400, 612, stop{0, hex("#948f82")}, stop{1, hex("#6e6a60")})
	for y := 410.0; y < 612; y += 22 {
		c.rect(0, y, w, y+2, hex("#5f5b52"), 0.5)
	}
	// Dark water in the gate bays.
	c.shade(120, 300, 970, 612, func(x, y float64) (col, float64) {
		return mix(hex("#2c3a42"), hex("#51666f"), (y-300)/312), 1
	})
	// Deck, hoist houses and railing.
	deckY0, deckY1 := 250.0, 300.0
	piers := []float64{120, 380, 640, 900}
	pw := 70.0
	for _, x := range piers {
		c.rect(x, 185, x+pw, deckY0, hex("#dcd6c9"), 1)
		c.poly([]pt{{x - 8, 188}, {x + pw/2, 160}, {x + pw + 8, 188}}, hex("#9a4b3c"), 1)
		c.rect(x+22, 205, x+48, 235, hex("#5a6e7c"), 1)
	}
	c.rect(60, deckY0, 1140, deckY1, hex("#b9b4a8"), 1)
	c.rect(60, deckY1-6, 1140, deckY1, hex("#8c877d"), 1)
	for x := 60.0; x <= 1140; x += 30 {
		c.rect(x, 226, x+3, deckY0, hex("#4d5357"), 1)
	}
	c.rect(60, 224, 1140, 228, hex("#4d5357"), 1)
	// Gates between the piers.
	gateBottom := 500.0
	for n := 0; n+1 < len(piers); n++ {
		x0, x1 := piers[n]+pw, piers[n+1]
		c.shade(x0, deckY1, x1, gateBottom, func(x, y float64) (col, float64) {
			return mix(hex("#56646e"), hex("#3b4750"), (y-deckY1)/(gateBottom-deckY1)), 1
		})
		for y := deckY1 + 20; y < gateBottom; y += 28 {
			c.rect(x0, y, x1, y+4, hex("#2c353c"), 0.8)
		}
		c.rect(x0, gateBottom-6, x1, gateBottom, hex("#26231f"), 0.9)
		// Rust streaks.
		for k := 0; k < 5; k++ {
			sx := r.in(x0+10, x1-10)
			c.softLine(sx, deckY1+r.in(0, 60), sx+r.in(-3, 3), gateBottom-r.in(0, 80), r.in(4, 9), hex("#8a5a3a"), 0.35)
		}
		// White water pouring out under the gate.
		c.shade(x0, gateBottom, x1, 612, func(x, y float64) (col, float64) {
			return hex("#e9eff1"), 0.75 * (1 - (y-gateBottom)/(612-gateBottom))
		})
		for k := 0; k < 60; k++ {
			x := r.in(x0, x1)
			y := gateBottom + r.in(0, 60)
			c.softLine(x, y, x+r.in(-6, 6), y+r.in(30, 90), r.in(8, 20), hex("#ffffff"), r.in(0.3, 0.6))
		}
		for k := 0; k < 40; k++ {
			c.glow(r.in(x0, x1), r.in(580, 620), r.in(14, 30), hex("#f4f7f8"), r.in(0.3, 0.6))
		}
	}
	// Piers in front of the gates, lit from the left.
	for _, x := range piers {
		c.rect(x, deckY1, x+pw*0.7, 640, hex("#b1ab9f"), 1)
		c.rect(x+pw*0.7, deckY1, x+pw, 640, hex("#8d887e"), 1)
		c.rect(x, 560, x+pw, 640, hex("#6f6c62"), 0.5) // the wet tide line
	}
	// Water downstream.
	c.vgrad(610, h, stop{0, hex("#7e949c")}, stop{1, hex("#4a6470")})
	for n := 0; n < 500; n++ {
		y := r.in(612, h)
		s := (y - 610) / (h - 610)
		x := r.in(0, w)
		l := r.in(10, 50) * (0.4 + s)
		c.line(x, y, x+l, y+r.in(-1, 1), 0.8+1.8*s, hex("#d7e2e5"), r.in(0.2, 0.5))
	}
	for _, x := range piers {
		c.softLine(x-10, 618, x+pw+10, 618, 16, hex("#f4f7f8"), 0.6)
	}
}

// drawNightMarket: a street of food stalls at night under strings of
// bulbs, the crowd in silhouette in the foreground.
func drawNightMarket(c *canvas, r *rng) {
	w, h := float64(c.w), float64(c.h)
	vp := pt{800, 390}
	c.vgrad(0, vp.y, stop{0, hex("#090d21")}, stop{1, hex("#2a1f3a")})
	c.vgrad(vp.y, h, stop{0, hex("#3a2426")}, stop{1, hex("#140d0e")})
	c.glow(vp.x, vp.y, 520, hex("#ff9a4a"), 0.35)
	// Buildings above the stalls.
	for _, side := range []float64{-1, 1} {
		c.poly([]pt{{vp.x + side*60, 120}, {vp.x + side*60, vp.y}, {vp.x + side*900, h}, {vp.x + side*900, -200}},
			hex("#120f1c"), 1)
	}
	// Lit windows on the facades, in perspective.
	for k := 16; k >= 0; k-- {
		sc := 1 / (1 + 0.3*float64(k))
		for _, side := range []float64{-1, 1} {
			x := vp.x + side*(60+840*sc)
			roof := 120 - 320*sc
			for m := 0; m < 8; m++ {
				y := vp.y - 200*sc - float64(m)*60*sc
				if y-30*sc < roof+10*sc || !r.chance(0.55) {
					continue
				}
				k := hex("#f2c27a")
				if r.chance(0.25) {
					k = hex("#a9c4e8")
				}
				c.rect(math.Min(x, x-side*24*sc), y-30*sc, math.Max(x, x-side*24*sc), y, k, r.in(0.25, 0.6))
			}
		}
	}
	// Stalls on both sides, far to near.
	for k := 9; k >= 0; k-- {
		s := 1 / (1 + 0.42*float64(k))
		for _, side := range []float64{-1, 1} {
			x := vp.x + side*(70+620*s)
			top := vp.y - 170*s
			bottom := vp.y + 300*s
			bw := 300 * s
			x0, x1 := x, x+side*bw
			if side < 0 {
				x0, x1 = x1, x0
			}
			// lit opening
			c.shade(x0, top+50*s, x1, bottom-60*s, func(x, y float64) (col, float64) {
				return mix(hex("#ffd08a"), hex("#b5532a"), (y-top)/(bottom-top)), 1
			})
			// counter
			c.rect(x0, bottom-60*s, x1, bottom, hex("#2a1712"), 1)
			c.rect(x0, bottom-62*s, x1, bottom-56*s, hex("#ffb866"), 0.8)
			// striped awning
			stripes := 8
			sw := (x1 - x0) / float64(stripes)
			for i := 0; i < stripes; i++ {
				k := hex("#b3302c")
				if i%2 == 1 {
					k = hex("#efe0c2")
				}
				c.rect(x0+float64(i)*sw, top, x0+float64(i+1)*sw, top+50*s, k, 1)
			}
			c.rect(x0, top+50*s, x1, top+56*s, hex("#3a1510"), 0.7)
			c.glow((x0+x1)/2, top+80*s, 180*s, hex("#ffc46e"), 0.5)
		}
	}
	// Strings of bulbs across the street.
	for k := 0; k < 6; k++ {
		s := 1 / (1 + 0.55*float64(k))
		y0 := vp.y - 330*s
		x0, x1 := vp.x-760*s, vp.x+760*s
		sag := 90 * s
		for t := 0.0; t <= 1.0001; t += 1.0 / 28 {
			x := x0 + (x1-x0)*t
			y := y0 + sag*4*t*(1-t)
			c.glow(x, y, 26*s, hex("#ffcf7a"), 0.55)
			c.disc(x, y, 4.5*s, hex("#fff2cf"), 1)
		}
		var wire []pt
		for t := 0.0; t <= 1.0001; t += 1.0 / 56 {
			wire = append(wire, pt{x0 + (x1-x0)*t, y0 + sag*4*t*(1-t) - 4*s})
		}
		c.polyline(wire, 1.2, hex("#1a1410"), 0.8)
	}
	// Steam and smoke drifting up.
	for n := 0; n < 18; n++ {
		c.glow(r.in(300, 1300), r.in(330, 560), r.in(60, 140), hex("#e8dcd0"), r.in(0.05, 0.12))
	}
	// The crowd.
	for n := 0; n < 16; n++ {
		x := r.in(-40, w+40)
		y := r.in(790, 860)
		s := r.in(0.85, 1.25)
		k := hex("#0b0708").scale(r.in(0.8, 1.6))
		c.line(x, y+60*s, x, h+80, 120*s, k, 1)
		c.disc(x, y, 34*s, k, 1)
	}
}

// drawStallLights: close to a stall at night: bulbs out of focus above,
// the glow of a griddle and its steam below.
func drawStallLights(c *canvas, r *rng) {
	w, h := float64(c.w), float64(c.h)
	c.vgrad(0, h, stop{0, hex("#140b10")}, stop{0.65, hex("#2b1512")}, stop{1, hex("#0d0808")})
	palette := []col{hex("#ffb85c"), hex("#ff8a3d"), hex("#ffd98f"), hex("#e9533a"), hex("#fff0c8")}
	for n := 0; n < 75; n++ {
		rad := 12 + 70*math.Pow(r.float(), 2.2)
		x, y := r.in(-40, w+40), r.in(-40, 520)
		c.bokeh(x, y, rad, palette[r.intn(len(palette))], r.in(0.2, 0.55)*(1.2-rad/100))
	}
	// The counter and the griddle's glow.
	c.glow(600, 610, 520, hex("#ff7a2e"), 0.35)
	c.rect(0, 620, w, h, hex("#1c0f0b"), 1)
	c.rect(0, 616, w, 624, hex("#f0a35a"), 0.85)
	// A wok on the stove: the lower half of an ellipse, rim lit.
	var wok []pt
	for a := 0.0; a <= math.Pi+1e-9; a += math.Pi / 48 {
		wok = append(wok, pt{600 + 250*math.Cos(a), 560 + 52*math.Sin(a)})
	}
	c.poly(wok, hex("#1b1312"), 1)
	c.line(340, 560, 860, 560, 5, hex("#ffcf8a"), 0.9)
	c.line(850, 562, 1000, 540, 10, hex("#120c0b"), 1) // the handle
	for n := 0; n < 34; n++ {                          // steam
		c.glow(r.in(380, 820)+r.in(-40, 40), r.in(260, 560), r.in(50, 120), hex("#f3e6da"), r.in(0.04, 0.1))
	}
	c.glow(600, 300, 40, hex("#fff4da"), 0.9) // the stall's lamp
	c.line(600, 0, 600, 286, 2, hex("#1a1010"), 1)
	c.disc(600, 300, 12, hex("#fffaf0"), 1)
}
