package card

import (
	"encoding/binary"
	"math/bits"
	"sync"
)

// This file writes the zlib stream (RFC 1950) of a card's rows: one final
// deflate block (RFC 1951) with Huffman codes fixed for all cards (see
// huffman.go), then the Adler-32 of the stream's bytes.
//
// Every row is filtered with PNG's Up filter (each byte minus the byte
// above it), so what a row shares with the row above becomes zeros. The
// parse writes a run of one byte value as matches at distance 1 and
// anything else as literals. That is all the matching there is: it finds
// less than a general LZ77 search, but each piece of a row can then be
// encoded apart from the others and put together later (glyphrows.go).

// filterUp is PNG's filter type 2: each byte minus the byte above.
const filterUp = 2

// bitstr is a string of bits, least significant bit first.
type bitstr struct {
	b []byte
	n int
}

// bitWriter packs codes least significant bit first (RFC 1951, 3.1.1).
type bitWriter struct {
	out  []byte
	bits uint64
	n    uint
}

// write adds the n low bits of c; n is at most 32.
func (w *bitWriter) write(c uint64, n uint) {
	w.bits |= c << w.n
	w.n += n
	if w.n >= 32 {
		w.out = binary.LittleEndian.AppendUint32(w.out, uint32(w.bits))
		w.bits >>= 32
		w.n -= 32
	}
}

// appendBits adds a bit string.
func (w *bitWriter) appendBits(s bitstr) {
	b, n := s.b, s.n
	for n >= 32 {
		w.write(uint64(binary.LittleEndian.Uint32(b)), 32)
		b, n = b[4:], n-32
	}
	for n >= 8 {
		w.write(uint64(b[0]), 8)
		b, n = b[1:], n-8
	}
	if n > 0 {
		w.write(uint64(b[0])&(1<<n-1), uint(n))
	}
}

// align writes the bits left, padded with zeros to a whole byte.
func (w *bitWriter) align() {
	for w.n > 0 {
		w.out = append(w.out, byte(w.bits))
		w.bits >>= 8
		w.n -= min(w.n, 8)
	}
}

// bitstr returns what was written, as a bit string.
func (w *bitWriter) bitstr() bitstr {
	n := len(w.out)*8 + int(w.n)
	b := append([]byte(nil), w.out...)
	for v, k := w.bits, w.n; k > 0; v, k = v>>8, k-min(k, 8) {
		b = append(b, byte(v))
	}
	return bitstr{b, n}
}

// encoder turns filtered bytes into codes: it writes them with the fixed
// table, or, while the table is being made, counts the symbols.
type encoder struct {
	w     bitWriter
	table *huffTable
	freq  *[numLit]int // counting instead of writing
	run   int          // length of the open run of last
	last  byte         // the byte before the current one
	any   bool         // whether there is a byte before
	diff  [stride]byte // the filtered bytes of a row's range
}

var encoders = sync.Pool{New: func() any { return new(encoder) }}

func newEncoder(t *huffTable, out []byte) *encoder {
	e := encoders.Get().(*encoder)
	*e = encoder{w: bitWriter{out: out}, table: t}
	return e
}

func (e *encoder) literal(c byte) {
	e.flushRun()
	if e.freq != nil {
		e.freq[c]++
	} else {
		k := e.table.lit[c]
		e.w.write(uint64(k.code), uint(k.len))
	}
	e.last = c
	e.any = true
}

// repeat adds n bytes c: as a run of the byte before when it is c and the
// run is long enough, else as literals.
func (e *encoder) repeat(c byte, n int) {
	for n > 0 {
		if e.any && e.last == c && (e.run > 0 || n >= 3) {
			e.run += n
			return
		}
		e.literal(c)
		n--
	}
}

// flushRun writes the open run as matches of 3 to 258 bytes.
func (e *encoder) flushRun() {
	n := e.run
	e.run = 0
	for n > 0 {
		l := min(n, 258)
		if r := n - l; r > 0 && r < 3 {
			l = n - 3
		}
		if e.freq != nil {
			e.freq[lengthSyms[l].sym]++
		} else {
			k := e.table.match[l]
			e.w.write(uint64(k.code), uint(k.len))
		}
		n -= l
	}
}

// bytes adds d, finding its runs.
func (e *encoder) bytes(d []byte) {
	for p := 0; p < len(d); {
		l := runLen(d[p:], d[p])
		e.repeat(d[p], l)
		p += l
	}
}

// runLen is the number of leading bytes of a that are c.
func runLen(a []byte, c byte) int {
	cc := uint64(c) * 0x0101010101010101
	i := 0
	for ; i+8 <= len(a); i += 8 {
		if x := binary.LittleEndian.Uint64(a[i:]) ^ cc; x != 0 {
			return i + bits.TrailingZeros64(x)/8
		}
	}
	for i < len(a) && a[i] == c {
		i++
	}
	return i
}

// row adds canvas row y with the Up filter and returns the filtered
// row's sums for the Adler-32 (see adler.row). Outside the range where
// the row or the row above differs from blankRow, the filtered bytes
// are zero, so only that range is read.
func (e *encoder) row(m *canvas, y int) (s, t uint64) {
	cur := m.rows[y]
	prev := zeroRow[:]
	lo, hi := 1, stride
	if y > 0 {
		prev = m.rows[y-1]
		lo, hi = int(m.lo[y]), int(m.hi[y])
		plo, phi := int(m.lo[y-1]), int(m.hi[y-1])
		switch {
		case &prev[0] == &cur[0] || (lo >= hi && plo >= phi):
			lo, hi = 1, 1
		case lo >= hi:
			lo, hi = plo, phi
		case plo < phi:
			lo, hi = min(lo, plo), max(hi, phi)
		}
	}
	e.literal(filterUp)
	e.repeat(0, lo-1)
	d := e.diff[:hi-lo]
	for i := range d {
		d[i] = cur[lo+i] - prev[lo+i]
	}
	e.bytes(d)
	e.repeat(0, stride-hi)
	s, t = sums(d)
	return s + filterUp, t + uint64(lo)*s
}

var zeroRow [stride]byte

// sums returns the sum of the bytes of d and the sum of j*d[j]. Zero
// bytes add nothing and are skipped eight at a time.
func sums(d []byte) (s, t uint64) {
	j := 0
	for ; j+8 <= len(d); j += 8 {
		if binary.LittleEndian.Uint64(d[j:]) == 0 {
			continue
		}
		for k, v := range d[j : j+8] {
			s += uint64(v)
			t += uint64(j+k) * uint64(v)
		}
	}
	for ; j < len(d); j++ {
		s += uint64(d[j])
		t += uint64(j) * uint64(d[j])
	}
	return s, t
}

const adlerBase = 65521

// adler is an Adler-32 being computed from sums over pieces of the data,
// rather than byte by byte: with A the running sum of the bytes and B the
// running sum of the As, a piece of n bytes d_0..d_{n-1} moves them to
// A + S and B + n*A + W, where S = Σ d_j and W = Σ (n-j) d_j.
type adler struct{ a, b uint64 }

func (x *adler) add(n, s, w uint64) {
	x.b = (x.b + n%adlerBase*x.a + w) % adlerBase
	x.a = (x.a + s) % adlerBase
}

// row adds a filtered row with sums s = Σ d_j and t = Σ j*d_j.
func (x *adler) row(s, t uint64) { x.add(stride, s, stride*s-t) }

// band is rows encoded on their own: the bits, which start with no byte
// before them and end with no open run; the last byte; and the rows'
// part of the Adler-32, as from a zero state.
type band struct {
	bits bitstr
	last byte
	sum  adler
	rows int
}

// encodeBand encodes rows [y0, y1) of a canvas.
func encodeBand(m *canvas, y0, y1 int) *band {
	e := newEncoder(table(), nil)
	defer encoders.Put(e)
	var sum adler
	for y := y0; y < y1; y++ {
		sum.row(e.row(m, y))
	}
	e.flushRun()
	return &band{bits: e.w.bitstr(), last: e.last, sum: sum, rows: y1 - y0}
}

// encodeRows appends the zlib stream of a card to out: the top band, then
// the lines of text, one glyph at a time when they allow it (glyphrows.go)
// and else drawn on a canvas. glyphs false draws them in any case (for
// tests: both ways must give the same image).
func encodeRows(out []byte, top *band, lines []line, glyphs bool) []byte {
	t := table()
	out = append(out, 0x78, 0x01) // deflate, 32K window, fastest
	e := newEncoder(t, out)
	defer encoders.Put(e)
	e.w.appendBits(t.header)
	e.w.appendBits(top.bits)
	e.last, e.any = top.last, true
	sum := adler{a: 1}
	sum.add(uint64(top.rows*stride), top.sum.a, top.sum.b)
	p, ok := planGlyphs(lines)
	defer plans.Put(p)
	if ok && glyphs {
		p.encode(e, &sum)
	} else {
		m := newCanvas()
		for _, l := range lines {
			l.draw(m)
		}
		for y := topHeight; y < Height; y++ {
			sum.row(e.row(m, y))
		}
		canvases.Put(m)
	}
	e.flushRun()
	e.w.write(uint64(t.eob.code), uint(t.eob.len))
	e.w.align()
	return binary.BigEndian.AppendUint32(e.w.out, uint32(sum.b<<16|sum.a))
}
