package card

import (
	"image"
	"image/color"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The layout, in pixels.
const (
	accentBar  = 16  // width of the accent bar on the left
	margin     = 72  // left and right margin of the text
	topHeight  = 124 // the band with the site name and the badge
	siteBase   = 82  // baseline of the site name
	contentTop = 150 // top of the code line
	bottom     = Height - 36
	titleLines = 3
	bodyLines  = 3
)

// Palette indices. Each text colour has a ramp of levels 1..16 from the
// background towards the colour; level 0 is the background itself.
const (
	levels      = 16
	bgIndex     = 0
	rampFG      = 1
	rampMuted   = rampFG + levels
	rampCode    = rampMuted + levels
	rampAccent  = rampCode + levels
	accentIndex = rampAccent + levels - 1 // the accent, full strength
	rampOnBadge = rampAccent + levels     // the background colour on the accent
	paletteSize = rampOnBadge + levels
)

func newPalette(accent color.RGBA) []color.RGBA {
	pal := make([]color.RGBA, paletteSize)
	pal[bgIndex] = Background
	ramp := func(base int, from, to color.RGBA) {
		for l := 1; l <= levels; l++ {
			pal[base+l-1] = mix(from, to, l)
		}
	}
	ramp(rampFG, Background, Foreground)
	ramp(rampMuted, Background, Muted)
	ramp(rampCode, Background, CodeColour)
	ramp(rampAccent, Background, accent)
	ramp(rampOnBadge, accent, Background)
	return pal
}

// mix is l/16 of the way from a to b, rounded.
func mix(a, b color.RGBA, l int) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8((int(x)*(levels-l) + int(y)*l + levels/2) / levels) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 0xff}
}

// face is one font at one size with the glyphs it has drawn so far. A
// glyph is drawn with its origin on a whole pixel, so it has one mask.
type face struct {
	sf      *sfnt.Font
	ascent  int // pixels above the baseline that a line may use
	descent int // pixels below it

	mu     sync.Mutex
	of     font.Face // not safe for concurrent use: only under mu
	buf    sfnt.Buffer
	glyphs map[rune]*glyph
	grows  map[rowsKey]*glyphRows
}

// glyph is a drawn glyph: its mask as levels 0..16, placed relative to
// the dot, and its advance.
type glyph struct {
	rect image.Rectangle // relative to the dot
	mask []uint8         // rect.Dx()*rect.Dy() levels
	adv  fixed.Int26_6
	ok   bool // the font has the character
}

func newFace(ttf []byte, size float64) *face {
	sf, err := sfnt.Parse(ttf)
	if err != nil {
		panic("card: parsing an embedded Go font: " + err.Error())
	}
	of, err := opentype.NewFace(sf, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic("card: " + err.Error())
	}
	m := of.Metrics()
	return &face{
		sf: sf, of: of,
		ascent:  m.Ascent.Ceil(),
		descent: m.Descent.Ceil(),
		glyphs:  map[rune]*glyph{},
		grows:   map[rowsKey]*glyphRows{},
	}
}

// The faces, parsed once on first use.
var fonts = sync.OnceValue(func() *faceSet {
	return &faceSet{
		site:  newFace(gobold.TTF, 34),
		badge: newFace(gobold.TTF, 26),
		code:  newFace(gomonobold.TTF, 54),
		title: newFace(gobold.TTF, 56),
		body:  newFace(goregular.TTF, 34),
	}
})

type faceSet struct{ site, badge, code, title, body *face }

func (f *face) glyph(r rune) *glyph {
	f.mu.Lock()
	defer f.mu.Unlock()
	if g, ok := f.glyphs[r]; ok {
		return g
	}
	g := &glyph{}
	if x, err := f.sf.GlyphIndex(&f.buf, r); err == nil && x != 0 {
		dr, mask, mp, adv, ok := f.of.Glyph(fixed.Point26_6{}, r)
		g.adv, g.ok = adv, ok
		if ok {
			g.rect = dr
			g.mask = make([]uint8, dr.Dx()*dr.Dy())
			a := mask.(*image.Alpha)
			for y := 0; y < dr.Dy(); y++ {
				for x := 0; x < dr.Dx(); x++ {
					v := int(a.AlphaAt(mp.X+x, mp.Y+y).A)
					g.mask[y*dr.Dx()+x] = uint8((v*levels + 127) / 255)
				}
			}
		}
	}
	f.glyphs[r] = g
	return g
}

// drawable reports whether the face can draw s as it should read: every
// character has a glyph, and none needs shaping or right-to-left order.
func (f *face) drawable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == ' ':
		case unicode.IsControl(r), unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r),
			unicode.Is(unicode.Bidi_Control, r), rtl(r):
			return false
		case !f.glyph(r).ok:
			return false
		}
	}
	return true
}

// rtl reports whether r belongs to a script written right to left.
func rtl(r rune) bool {
	for _, t := range rtlScripts {
		if unicode.Is(t, r) {
			return true
		}
	}
	return false
}

var rtlScripts = []*unicode.RangeTable{
	unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko,
	unicode.Samaritan, unicode.Mandaic, unicode.Adlam, unicode.Hanifi_Rohingya,
}

// width is the advance of s, in 26.6 pixels.
func (f *face) width(s string) fixed.Int26_6 {
	var w fixed.Int26_6
	for _, r := range s {
		w += f.glyph(r).adv
	}
	return w
}

// line is one line of text placed on the card.
type line struct {
	face     *face
	ramp     int   // first palette index of the text colour's ramp
	bg       uint8 // palette index of what the text is drawn on
	x        int   // left end
	baseline int
	text     string
}

// layout places the code, the title (on at most titleN lines) and the
// message or text (at most bodyN) of c. The site name and the badge are
// drawn by drawTop, once per site and label.
func layout(c Card, titleN, bodyN int) []line {
	fs := fonts()
	var ls []line
	maxW := fixed.I(Width - 2*margin)
	y := contentTop
	if fs.code.drawable(c.Code) {
		for _, t := range wrap(fs.code, c.Code, maxW, 1) {
			b := y + fs.code.ascent
			ls = append(ls, line{face: fs.code, ramp: rampCode, x: margin, baseline: b, text: t})
			y = b + fs.code.descent + 14
		}
	}
	if fs.title.drawable(c.Title) {
		for _, t := range wrap(fs.title, c.Title, maxW, titleN) {
			b := y + fs.title.ascent
			ls = append(ls, line{face: fs.title, ramp: rampFG, x: margin, baseline: b, text: t})
			y = b + fs.title.descent
		}
		y += 26
	}
	body, quoted := c.Text, false
	if c.Message != "" {
		body, quoted = c.Message, true
	}
	if fs.body.drawable(body) {
		if quoted {
			body = "“" + body + "”"
		}
		// As many lines as fit above the bottom margin, at most bodyN.
		step := fs.body.ascent + fs.body.descent
		n := min(bodyN, (bottom-y)/step)
		for _, t := range wrap(fs.body, body, maxW, n) {
			b := y + fs.body.ascent
			ls = append(ls, line{face: fs.body, ramp: rampMuted, x: margin, baseline: b, text: t})
			y = b + fs.body.descent
		}
	}
	return ls
}

// wrap breaks s into at most n lines no wider than maxW: at spaces, or
// anywhere inside a word that is wider than a line. When s needs more
// lines, the last one ends in "…".
func wrap(f *face, s string, maxW fixed.Int26_6, n int) []string {
	if n <= 0 {
		return nil
	}
	var lines []string
	var cur strings.Builder
	var curW fixed.Int26_6
	space := f.glyph(' ').adv
	flush := func() {
		lines = append(lines, cur.String())
		cur.Reset()
		curW = 0
	}
	for _, word := range strings.Fields(s) {
		ww := f.width(word)
		if cur.Len() > 0 && curW+space+ww <= maxW {
			cur.WriteByte(' ')
			cur.WriteString(word)
			curW += space + ww
			continue
		}
		if cur.Len() > 0 {
			flush()
		}
		// A word wider than the line is cut into pieces that fit.
		for _, r := range word {
			a := f.glyph(r).adv
			if curW+a > maxW && cur.Len() > 0 {
				flush()
			}
			cur.WriteRune(r)
			curW += a
		}
	}
	if cur.Len() > 0 {
		flush()
	}
	if len(lines) <= n {
		return lines
	}
	lines = lines[:n]
	lines[n-1] = ellipsis(f, lines[n-1], maxW)
	return lines
}

// ellipsis ends s with "…", dropping characters (and then a trailing
// space or punctuation) until it fits in maxW.
func ellipsis(f *face, s string, maxW fixed.Int26_6) string {
	dots := f.glyph('…').adv
	rs := []rune(s)
	for len(rs) > 0 && f.width(string(rs))+dots > maxW {
		rs = rs[:len(rs)-1]
	}
	return strings.TrimRight(string(rs), " ,.;:–—-") + "…"
}
