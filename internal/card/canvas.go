package card

import (
	"image"
	"sync"

	"golang.org/x/image/math/fixed"
)

// This file draws pixels: the top band of every card, and a card whose
// glyphs the row encoder cannot take one by one (see glyphrows.go).

// canvas is a card being drawn: its rows, each a filter byte (0, none)
// and one palette index per pixel. A row is shared (blankRow, or a row of
// a cached top band) until something is drawn on it. Each row also keeps
// the range of bytes [lo, hi) outside which it is known to equal
// blankRow, so that the encoder looks only there.
type canvas struct {
	rows   [Height][]byte
	lo, hi [Height]int32
	own    [Height]bool
	buf    []byte // storage for the rows drawn on
}

const stride = 1 + Width

// blankRow is a row with nothing on it but the accent bar.
var blankRow = func() []byte {
	row := make([]byte, stride)
	for x := range accentBar {
		row[1+x] = accentIndex
	}
	return row
}()

var canvases = sync.Pool{New: func() any { return &canvas{buf: make([]byte, Height*stride)} }}

func newCanvas() *canvas {
	m := canvases.Get().(*canvas)
	m.reset()
	return m
}

func (m *canvas) reset() {
	for y := range m.rows {
		m.rows[y] = blankRow
		m.own[y] = false
	}
	clear(m.lo[:])
	clear(m.hi[:])
}

// draw returns the pixels of row y (without the filter byte) for drawing
// on x in [x0, x1).
func (m *canvas) draw(y, x0, x1 int) []byte {
	if !m.own[y] {
		r := m.buf[y*stride : (y+1)*stride]
		copy(r, m.rows[y])
		m.rows[y] = r
		m.own[y] = true
	}
	lo, hi := int32(x0+1), int32(x1+1)
	if m.lo[y] < m.hi[y] {
		lo, hi = min(lo, m.lo[y]), max(hi, m.hi[y])
	}
	m.lo[y], m.hi[y] = lo, hi
	return m.rows[y][1:]
}

// draw puts the line on the card, clipped to the card.
func (l line) draw(m *canvas) {
	dot := fixed.I(l.x)
	for _, r := range l.text {
		g := l.face.glyph(r)
		gx := dot.Round() + g.rect.Min.X
		gy := l.baseline + g.rect.Min.Y
		w := g.rect.Dx()
		for my := range g.rect.Dy() {
			y := gy + my
			if y < 0 || y >= Height {
				continue
			}
			mask := g.mask[my*w : (my+1)*w]
			// Clip to the card, and to the mask's ink on this row.
			a, b := 0, len(mask)
			for a < b && mask[a] == 0 {
				a++
			}
			for b > a && mask[b-1] == 0 {
				b--
			}
			a, b = max(a, -gx), min(b, Width-gx)
			if a >= b {
				continue
			}
			row := m.draw(y, gx+a, gx+b)
			for mx := a; mx < b; mx++ {
				lv := mask[mx]
				if lv == 0 {
					continue
				}
				idx := uint8(l.ramp + int(lv) - 1)
				cur := row[gx+mx]
				// Where glyphs overlap, the stronger ink wins.
				if cur == l.bg || (cur >= uint8(l.ramp) && cur < idx) {
					row[gx+mx] = idx
				}
			}
		}
		dot += g.adv
	}
}

// drawTop draws the site name and the badge.
func drawTop(m *canvas, site, label string) {
	fs := fonts()
	right := Width - margin
	const padX, height = 16, 46
	// A badge takes at most half the line; a longer label is cut short,
	// so the pill always lies on the card.
	if ls := wrap(fs.badge, label, fixed.I((Width-2*margin)/2-2*padX), 1); len(ls) > 0 && fs.badge.drawable(label) {
		label = ls[0]
		w := fs.badge.width(label).Ceil()
		x0 := right - w - 2*padX
		capMid := siteBase - capHeight(fs.site)/2
		top := capMid - height/2
		pill(m, image.Rect(x0, top, right, top+height), 10)
		base := capMid + capHeight(fs.badge)/2
		line{face: fs.badge, ramp: rampOnBadge, bg: accentIndex, x: x0 + padX, baseline: base, text: label}.draw(m)
		right = x0 - 24
	}
	if fs.site.drawable(site) {
		if ts := wrap(fs.site, site, fixed.I(right-margin), 1); len(ts) > 0 {
			line{face: fs.site, ramp: rampFG, x: margin, baseline: siteBase, text: ts[0]}.draw(m)
		}
	}
}

// capHeight is the height of a capital letter of f, in pixels.
func capHeight(f *face) int {
	g := f.glyph('H')
	return -g.rect.Min.Y
}

// pill fills r with the accent, its corners rounded with radius rad and
// antialiased (4×4 samples per pixel).
func pill(m *canvas, r image.Rectangle, rad int) {
	inside := func(px, py float64) bool {
		cx := min(max(px, float64(r.Min.X+rad)), float64(r.Max.X-rad))
		cy := min(max(py, float64(r.Min.Y+rad)), float64(r.Max.Y-rad))
		dx, dy := px-cx, py-cy
		return dx*dx+dy*dy <= float64(rad*rad)
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := m.draw(y, r.Min.X, r.Max.X)
		for x := r.Min.X; x < r.Max.X; x++ {
			n := 0
			for sy := range 4 {
				for sx := range 4 {
					if inside(float64(x)+(float64(sx)+0.5)/4, float64(y)+(float64(sy)+0.5)/4) {
						n++
					}
				}
			}
			if n > 0 {
				row[x] = uint8(rampAccent + n - 1)
			}
		}
	}
}
