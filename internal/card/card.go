// Package card draws the 1200×630 PNG image that a link to a page shows
// when a forum, a chat or a social site unfurls it (Open Graph's og:image).
//
// A card is a pure function of its Card value: the same value always gives
// the same bytes, whatever else is drawn before, after or at the same time.
// Text is set in the Go fonts (golang.org/x/image/font/gofont), which are
// compiled into the binary, so no font on the machine changes the result.
//
// # Layout
//
// A dark background with an accent bar on the left (the severity colour),
// the site name top left and the badge (the severity label) top right; then
// the code in Go Mono Bold, the title in Go Bold on up to three lines, and
// the quoted message (or a plain text) in Go Regular on up to three lines,
// as many as fit. Text wraps at spaces, a word longer than a line breaks
// anywhere, and text that does not fit ends in "…".
//
// # Text the fonts cannot draw
//
// The Go fonts cover Latin, Greek and Cyrillic (WGL4), not Arabic, Hebrew,
// CJK and most other scripts, and nothing here shapes or reorders text. A
// field is therefore drawn whole or not at all: one that holds a character
// without a glyph, a right-to-left character, a bidirectional control or a
// combining mark is left off the card, rather than drawn as empty boxes or
// in the wrong order. The page itself still shows it.
//
// # Encoding
//
// A build draws thousands of cards, so the encoder is made for what a card
// is: a palette image (the background, a ramp of 16 antialiasing levels per
// text colour, the accent) whose rows are mostly the same blank row and
// whose ink is glyphs that repeat. It writes the zlib stream itself: PNG's
// Up filter on every row, runs of a byte as deflate matches at distance 1,
// everything else as literals, in one block whose Huffman codes are made
// once from sample cards (huffman.go). With those fixed codes, the filtered
// rows of each glyph are encoded once (glyphrows.go) and a card is mostly
// joined from them, a letter seen before on its line as a match back to
// it; the Adler-32 is summed from the pieces' sums. The
// result is a valid PNG that any decoder reads; the tests decode every
// card they make and compare it pixel by pixel with the same card drawn
// on a canvas.
package card

import (
	"encoding/binary"
	"hash/crc32"
	"image/color"
	"sync"
)

// Width and Height are the size of every card, in pixels: the 1.91:1 size
// that Open Graph consumers show as a large image.
const (
	Width  = 1200
	Height = 630
)

// Card is what one card shows. The zero value of a field leaves it out.
type Card struct {
	Site    string     // site name, top left
	Code    string     // the code, in monospace above the title
	Title   string     // up to three lines
	Message string     // the displayed message, verbatim; drawn in quotes
	Text    string     // plain text under the title when there is no message
	Label   string     // the badge top right: the severity's name
	Accent  color.RGBA // the bar on the left and the badge
}

// Colours of the card, those of the site's dark theme (static/style.css).
var (
	Background = color.RGBA{0x14, 0x16, 0x1a, 0xff}
	Foreground = color.RGBA{0xe7, 0xe9, 0xec, 0xff}
	Muted      = color.RGBA{0xa9, 0xb0, 0xb9, 0xff}
	CodeColour = color.RGBA{0x8c, 0xb8, 0xff, 0xff}
)

// Renderer draws cards; made by NewCache, it keeps them too. It is safe
// for concurrent use.
type Renderer struct {
	mu      sync.Mutex
	memoize bool
	pngs    map[Card][]byte // the cards drawn since the last Sweep
	used    map[Card]bool   // the cards asked for since the last Sweep
}

// NewRenderer returns a Renderer for one build.
func NewRenderer() *Renderer { return &Renderer{} }

// NewCache returns a Renderer that also keeps every card it draws until a
// Sweep finds it unused, for a server that rebuilds the same site again
// and again: a card whose data did not change is not drawn again.
func NewCache() *Renderer {
	r := NewRenderer()
	r.memoize = true
	r.pngs = map[Card][]byte{}
	r.used = map[Card]bool{}
	return r
}

// Sweep forgets the cards that were not asked for since the last Sweep,
// so that a long-running server keeps only the cards of its latest build.
// It returns how many it kept.
func (r *Renderer) Sweep() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	for c := range r.pngs {
		if !r.used[c] {
			delete(r.pngs, c)
		}
	}
	clear(r.used)
	return len(r.pngs)
}

// PNG returns the card as a PNG file. The bytes must not be modified: a
// cache hands the same slice to every caller.
func (r *Renderer) PNG(c Card) []byte {
	if r.memoize {
		r.mu.Lock()
		r.used[c] = true
		b, ok := r.pngs[c]
		r.mu.Unlock()
		if ok {
			return b
		}
	}
	b := r.draw(c)
	if r.memoize {
		r.mu.Lock()
		r.pngs[c] = b
		r.mu.Unlock()
	}
	return b
}

func (r *Renderer) draw(c Card) []byte { return r.encode(c, true) }

// MaxBytes is the most a card weighs. Text of the usual kind weighs far
// less; a card that would weigh more (a message of nothing but "@", say)
// is drawn again with fewer lines of message, then of title, until it
// fits.
const MaxBytes = 60 << 10

// encode writes the PNG file of c, within MaxBytes; glyphs as for
// encodeRows.
func (r *Renderer) encode(c Card, glyphs bool) []byte {
	titleN, bodyN := titleLines, bodyLines
	for {
		b := r.encodeLines(c, layout(c, titleN, bodyN), glyphs)
		switch {
		case len(b) <= MaxBytes || titleN+bodyN == 0:
			return b
		case bodyN > 0:
			bodyN--
		default:
			titleN--
		}
	}
}

// encodeLines writes the PNG file of c with the lines given.
func (r *Renderer) encodeLines(c Card, lines []line, glyphs bool) []byte {
	buf := outputs.Get().(*[]byte)
	defer outputs.Put(buf)
	out := (*buf)[:0]
	out = append(out, "\x89PNG\r\n\x1a\n"...)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], Width)
	binary.BigEndian.PutUint32(ihdr[4:], Height)
	ihdr[8] = 8 // bits per palette index
	ihdr[9] = 3 // colour type: palette
	out = chunk(out, "IHDR", ihdr[:])
	pal := newPalette(c.Accent)
	plte := make([]byte, 0, 3*len(pal))
	for _, c := range pal {
		plte = append(plte, c.R, c.G, c.B)
	}
	out = chunk(out, "PLTE", plte)

	// The IDAT chunk: length, type, the zlib stream, CRC.
	start := len(out)
	out = append(out, 0, 0, 0, 0, 'I', 'D', 'A', 'T')
	out = encodeRows(out, r.top(c.Site, c.Label), lines, glyphs)
	binary.BigEndian.PutUint32(out[start:], uint32(len(out)-start-8))
	out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start+4:]))
	out = chunk(out, "IEND", nil)
	*buf = out
	// The card is kept until the build is written: only its bytes, not
	// the room the buffer grew to.
	return append([]byte(nil), out...)
}

var outputs = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// tops holds the top band (site name and badge) of each site and label,
// drawn and encoded once per process, like the glyphs: every card of a
// site shares a handful of them.
var tops struct {
	sync.Mutex
	m map[topKey]*band
}

type topKey struct{ site, label string }

// top returns the top band of a site name and a label.
func (r *Renderer) top(site, label string) *band {
	k := topKey{site, label}
	tops.Lock()
	t, ok := tops.m[k]
	tops.Unlock()
	if ok {
		return t
	}
	m := newCanvas()
	defer canvases.Put(m)
	drawTop(m, site, label)
	t = encodeBand(m, 0, topHeight)
	tops.Lock()
	defer tops.Unlock()
	if tops.m == nil {
		tops.m = map[topKey]*band{}
	}
	if first, ok := tops.m[k]; ok {
		return first // drawn meanwhile by another goroutine: keep one
	}
	tops.m[k] = t
	return t
}

func chunk(out []byte, typ string, data []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	start := len(out)
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
}
