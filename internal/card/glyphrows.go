package card

import (
	"sync"

	"golang.org/x/image/math/fixed"
)

// This file writes the lines of a card without drawing them. With the Up
// filter, a glyph whose pixels no other ink touches, on its rows or the
// rows above them, adds the same filtered bytes to the rows wherever it is
// placed: its own rows, each minus the one above, and below its last row
// that row negated. Those bytes are encoded once per glyph and colour, with
// their sums for the Adler-32, and a card is written by joining them with
// runs of zeros in between. A row where glyphs come that close (letters
// whose edges touch) is drawn, with the row above it, and filtered as
// pixels; a card whose lines touch is drawn whole on a canvas
// (deflate.go). All three ways give the same image.

// glyphRows is what one glyph in one colour adds to the filtered rows:
// a segment for each row of its box and one for the row below.
type glyphRows struct {
	top   int       // the first row, relative to the baseline
	segs  []segment // one per row from top
	empty bool      // nothing is drawn (a space)
}

// segment is the run of a filtered row from its first non-zero byte to
// its last, encoded on its own, and the columns [lo, hi) that the glyph
// inks on this row or the row above, which no other glyph may touch.
type segment struct {
	col    int // column of the first byte, relative to the dot
	n      int // bytes; 0 when the row does not change
	lo, hi int // relative to the dot; lo == hi when there is no ink
	bits   bitstr
	last   byte
	s, t   uint64 // Σ d_j and Σ j*d_j over the segment
}

type rowsKey struct {
	r    rune
	ramp int
}

// rows returns the filtered rows of rune r in the colour ramp.
func (f *face) rows(r rune, ramp int) *glyphRows {
	k := rowsKey{r, ramp}
	f.mu.Lock()
	gr, ok := f.grows[k]
	f.mu.Unlock()
	if ok {
		return gr
	}
	g := f.glyph(r)
	w, h := g.rect.Dx(), g.rect.Dy()
	gr = &glyphRows{top: g.rect.Min.Y, segs: make([]segment, h+1)}
	index := func(y, x int) byte {
		if y < 0 || y >= h || g.mask[y*w+x] == 0 {
			return bgIndex
		}
		return byte(ramp + int(g.mask[y*w+x]) - 1)
	}
	// ink returns the columns [a, b) that row y inks, a == b for none.
	ink := func(y int) (int, int) {
		if y < 0 || y >= h {
			return 0, 0
		}
		a, b := 0, w
		for a < b && g.mask[y*w+a] == 0 {
			a++
		}
		for b > a && g.mask[y*w+b-1] == 0 {
			b--
		}
		return a, b
	}
	d := make([]byte, w)
	gr.empty = true
	for y := range h + 1 {
		seg := &gr.segs[y]
		a0, b0 := ink(y - 1)
		a1, b1 := ink(y)
		switch {
		case a0 == b0 && a1 == b1:
			continue
		case a0 == b0:
			seg.lo, seg.hi = a1, b1
		case a1 == b1:
			seg.lo, seg.hi = a0, b0
		default:
			seg.lo, seg.hi = min(a0, a1), max(b0, b1)
		}
		seg.lo += g.rect.Min.X
		seg.hi += g.rect.Min.X
		gr.empty = false
		for x := range w {
			d[x] = index(y, x) - index(y-1, x)
		}
		a, b := 0, w
		for a < b && d[a] == 0 {
			a++
		}
		for b > a && d[b-1] == 0 {
			b--
		}
		if a == b {
			continue
		}
		e := &encoder{table: table()}
		e.bytes(d[a:b])
		e.flushRun()
		seg.col, seg.n = g.rect.Min.X+a, b-a
		seg.bits, seg.last = e.w.bitstr(), d[b-1]
		seg.s, seg.t = sums(d[a:b])
	}
	// Another goroutine may have made the same rows meanwhile: keep the
	// first, so that every card sees one *glyphRows per glyph and colour
	// (planGlyphs finds a glyph's repeat on its line by that pointer).
	f.mu.Lock()
	if first, ok := f.grows[k]; ok {
		gr = first
	} else {
		f.grows[k] = gr
	}
	f.mu.Unlock()
	return gr
}

// placed is a glyph at its place on the card.
type placed struct {
	glyph *glyph
	rows  *glyphRows
	x     int // the dot, in whole pixels
	y     int // the first row
	// before is how far to the left the same glyph was last placed on
	// the line, 0 for not: each of its segments can then be a match at
	// that distance, which is often shorter than the segment's codes.
	before int
}

// glyphPlan is the lines of a card as glyphs, for writing without a canvas.
type glyphPlan struct {
	lines [][]placed
	ramps []int    // the colour of each line
	spans [][2]int // rows [from, to) of each line's segments
	drawn [Height]bool
	spare [][]placed // slices of placed to reuse
}

var plans = sync.Pool{New: func() any { return new(glyphPlan) }}

func (p *glyphPlan) reset() {
	for _, l := range p.lines {
		p.spare = append(p.spare, l[:0])
	}
	p.lines, p.ramps, p.spans = p.lines[:0], p.ramps[:0], p.spans[:0]
	clear(p.drawn[:])
}

// take returns an empty slice of placed glyphs.
func (p *glyphPlan) take() []placed {
	if n := len(p.spare); n > 0 {
		s := p.spare[n-1]
		p.spare = p.spare[:n-1]
		return s
	}
	return nil
}

// planGlyphs places the glyphs of the lines and reports whether the card
// can be written glyph by glyph: the lines' rows do not meet, and all of
// it is on the card below the top band. It marks the rows where a glyph
// comes near the columns another inks on that row or the row above: those
// are drawn.
func planGlyphs(lines []line) (*glyphPlan, bool) {
	p := plans.Get().(*glyphPlan)
	p.reset()
	var right [Height]int // per row, the end of the columns taken so far
	lastRow := topHeight
	for _, l := range lines {
		ps := p.take()
		from, to := Height, 0
		dot := fixed.I(l.x)
		for _, r := range l.text {
			g, gr := l.face.glyph(r), l.face.rows(r, l.ramp)
			x := dot.Round()
			dot += g.adv
			if gr.empty {
				continue
			}
			y := l.baseline + gr.top
			if y < lastRow || y+len(gr.segs) > Height {
				return p, false
			}
			for i := range gr.segs {
				s := &gr.segs[i]
				if s.lo == s.hi {
					continue
				}
				if x+s.lo < 0 || x+s.hi > Width {
					return p, false
				}
				if x+s.lo < right[y+i] {
					p.drawn[y+i] = true
				}
				right[y+i] = max(right[y+i], x+s.hi)
			}
			from, to = min(from, y), max(to, y+len(gr.segs))
			before := 0
			for i := len(ps) - 1; i >= 0; i-- {
				if ps[i].rows == gr && ps[i].y == y {
					before = x - ps[i].x
					break
				}
			}
			ps = append(ps, placed{g, gr, x, y, before})
		}
		if len(ps) == 0 {
			continue
		}
		lastRow = to
		p.lines = append(p.lines, ps)
		p.ramps = append(p.ramps, l.ramp)
		p.spans = append(p.spans, [2]int{from, to})
	}
	return p, true
}

// encode writes the rows below the top band.
func (p *glyphPlan) encode(e *encoder, sum *adler) {
	t := e.table
	li := 0
	for y := topHeight; y < Height; y++ {
		for li < len(p.spans) && y >= p.spans[li][1] {
			li++
		}
		if li == len(p.spans) || y < p.spans[li][0] {
			// Nothing drawn on this row or the one above.
			e.flushRun()
			e.w.appendBits(t.blank)
			e.last = 0
			sum.row(filterUp, 0)
			continue
		}
		if p.drawn[y] {
			sum.row(p.drawRow(e, li, y))
			continue
		}
		e.literal(filterUp)
		pos := 1 // the next byte of the filtered row
		s, tt := uint64(filterUp), uint64(0)
		for _, g := range p.lines[li] {
			r := y - g.y
			if r < 0 || r >= len(g.rows.segs) || g.rows.segs[r].n == 0 {
				continue
			}
			seg := &g.rows.segs[r]
			at := 1 + g.x + seg.col
			e.repeat(0, at-pos)
			e.flushRun()
			if c, n, ok := t.repeatOf(seg, g.before); ok {
				e.w.write(c&(1<<24-1), min(n, 24))
				if n > 24 {
					e.w.write(c>>24, n-24)
				}
			} else {
				e.w.appendBits(seg.bits)
			}
			e.last = seg.last
			s += seg.s
			tt += uint64(at)*seg.s + seg.t
			pos = at + seg.n
		}
		e.repeat(0, stride-pos)
		sum.row(s, tt)
	}
}

// drawRow draws row y of line li and the row above, as line.draw would,
// and adds the filtered row; it returns the row's sums.
func (p *glyphPlan) drawRow(e *encoder, li, y int) (s, t uint64) {
	var rows [2][stride]byte
	ramp := p.ramps[li]
	for k := range rows {
		row := rows[k][1:]
		for _, g := range p.lines[li] {
			r := y - 1 + k - (g.y)
			w := g.glyph.rect.Dx()
			if r < 0 || r >= g.glyph.rect.Dy() {
				continue
			}
			x0 := g.x + g.glyph.rect.Min.X
			for i, lv := range g.glyph.mask[r*w : (r+1)*w] {
				if lv == 0 {
					continue
				}
				idx := uint8(ramp + int(lv) - 1)
				if cur := row[x0+i]; cur == bgIndex || (cur >= uint8(ramp) && cur < idx) {
					row[x0+i] = idx
				}
			}
		}
	}
	e.literal(filterUp)
	d := e.diff[:Width]
	for i := range d {
		d[i] = rows[1][1+i] - rows[0][1+i]
	}
	e.bytes(d)
	s, t = sums(d)
	return s + filterUp, t + s
}

// repeatOf returns the code of seg as a match at distance before (the
// same glyph earlier on its line), when there is one and it is shorter
// than seg's own codes.
func (t *huffTable) repeatOf(seg *segment, before int) (uint64, uint, bool) {
	if before <= 0 || seg.n < 3 || seg.n > 258 {
		return 0, 0, false
	}
	c, n := t.matchCode(seg.n, before)
	return c, n, int(n) < seg.bits.n
}
