package card

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/math/fixed"
)

var update = flag.Bool("update", false, "rewrite the golden cards in testdata/")

var (
	fatal = color.RGBA{0xff, 0xb3, 0xb0, 0xff}
	warn  = color.RGBA{0xf2, 0xd3, 0x6b, 0xff}
	info  = color.RGBA{0x9e, 0xcb, 0xff, 0xff}
)

// goldenCards are drawn and compared pixel by pixel with testdata/<name>.png.
var goldenCards = []struct {
	name string
	card Card
}{
	{"short", Card{Site: "errref", Code: "accounts:4", Title: "No internet connection detected", Message: "No internet connection detected.", Label: "Fatal", Accent: fatal}},
	{"long", Card{
		Site:    "errref",
		Code:    "EME_NO_SUPPORTED_KEYSYSTEM_AND_A_NAME_TOO_LONG_FOR_ONE_LINE",
		Title:   "Playback stops because the component that decrypts protected content could not be found or started on this computer",
		Message: "Spotify can't play this right now. If you have the file on your computer you can import it. Something went wrong with the content decryption module; restart the app and try again later.",
		Label:   "Warning", Accent: warn,
	}},
	{"cyrillic", Card{Site: "errref", Code: "auth:1", Title: "Нет подключения к интернету", Message: "Ошибка: проверьте соединение и попробуйте снова.", Label: "Error", Accent: color.RGBA{0xff, 0xc0, 0x8a, 0xff}}},
	// Arabic is right to left and Chinese has no glyph in the Go fonts:
	// both are left out, not drawn as boxes.
	{"rtl-cjk", Card{Site: "errref", Code: "auth:2", Title: "لا يوجد اتصال بالإنترنت", Message: "网络连接失败", Label: "Info", Accent: info}},
	{"site", Card{Site: "errref", Title: "Spotify desktop error codes, explained and fixed", Text: "What each Spotify desktop error code means, why it happens and how to fix it: one page per code, searchable by code or by the message on your screen."}},
}

func decode(t *testing.T, b []byte) *image.Paletted {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the card does not decode: %v", err)
	}
	p, ok := img.(*image.Paletted)
	if !ok {
		t.Fatalf("the card decodes as %T, want a palette image", img)
	}
	if p.Bounds() != image.Rect(0, 0, Width, Height) {
		t.Fatalf("the card is %v, want %dx%d", p.Bounds().Size(), Width, Height)
	}
	return p
}

// diffPixels returns how many pixels of a and b differ in colour, and the
// first one.
func diffPixels(a, b *image.Paletted) (n int, first image.Point) {
	rgba := func(p color.Palette) []color.RGBA {
		out := make([]color.RGBA, 256)
		for i, c := range p {
			out[i] = color.RGBAModel.Convert(c).(color.RGBA)
		}
		return out
	}
	pa, pb := rgba(a.Palette), rgba(b.Palette)
	for y := range Height {
		ra, rb := a.Pix[y*a.Stride:][:Width], b.Pix[y*b.Stride:][:Width]
		for x := range Width {
			if pa[ra[x]] != pb[rb[x]] {
				if n == 0 {
					first = image.Pt(x, y)
				}
				n++
			}
		}
	}
	return n, first
}

func TestGoldenCards(t *testing.T) {
	r := NewRenderer()
	for _, g := range goldenCards {
		t.Run(g.name, func(t *testing.T) {
			b := r.PNG(g.card)
			if len(b) > MaxBytes {
				t.Errorf("%d bytes, over the %d-byte limit", len(b), MaxBytes)
			}
			got := decode(t, b)
			file := filepath.Join("testdata", g.name+".png")
			if *update {
				if err := os.WriteFile(file, b, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			want := decode(t, data)
			if n, p := diffPixels(got, want); n > 0 {
				out := filepath.Join(t.TempDir(), g.name+".png")
				os.WriteFile(out, b, 0o644)
				t.Errorf("%d pixels differ from %s, the first at %v; the card drawn now is %s (go test -update rewrites the golden file)", n, file, p, out)
			}
			t.Logf("%d bytes", len(b))
		})
	}
}

// TestLeftOut checks that text the fonts cannot draw leaves no ink: the
// card with an Arabic title and a Chinese message has only the code on it
// below the top band.
func TestLeftOut(t *testing.T) {
	r := NewRenderer()
	withText := decode(t, r.PNG(goldenCards[3].card))
	bare := goldenCards[3].card
	bare.Title, bare.Message = "", ""
	if n, p := diffPixels(withText, decode(t, r.PNG(bare))); n > 0 {
		t.Errorf("text that cannot be drawn left %d pixels, the first at %v", n, p)
	}
	for _, s := range []string{"لا يوجد", "שגיאה", "网络", "e\u0301", "a\u202eb", "a\u200fb", "x\x00"} {
		if fonts().title.drawable(s) {
			t.Errorf("drawable(%q) = true, want the field left out", s)
		}
	}
	for _, s := range []string{"Нет подключения", "Σφάλμα δικτύου", "Café “quoted” – dash…", "accounts:53–55"} {
		if !fonts().title.drawable(s) {
			t.Errorf("drawable(%q) = false, want it drawn", s)
		}
	}
}

// reference draws c on a canvas, as the encoder's slow way does, and
// returns it as an image with c's palette.
func reference(r *Renderer, c Card) *image.Paletted {
	m := newCanvas()
	defer canvases.Put(m)
	drawTop(m, c.Site, c.Label)
	for _, l := range layout(c, titleLines, bodyLines) {
		l.draw(m)
	}
	pal := newPalette(c.Accent)
	img := image.NewPaletted(image.Rect(0, 0, Width, Height), make(color.Palette, len(pal)))
	for i, c := range pal {
		img.Palette[i] = c
	}
	for y := range Height {
		copy(img.Pix[y*Width:], m.rows[y][1:])
	}
	return img
}

// variedCards exercise the encoder: letters that touch, words longer than
// a line, every kind of text, and the lines as close as the layout puts
// them.
func variedCards() []Card {
	cs := append([]Card(nil), sampleCards...)
	for _, g := range goldenCards {
		cs = append(cs, g.card)
	}
	words := []string{"fjord", "affluent", "Tyrant", "y,", "W.A.V.E", "ff", "jj", "rv", "LT", "“quote”", "(12)", "%APPDATA%\\Spotify", "a/b/c", "—", "accounts:53–55", "ÉÀÖ", "Жжж", "iiiiiiiiiiiiii", "MMMMMMMM", "@@@@"}
	for i := range 40 {
		var title, msg strings.Builder
		for j := range 3 + i%9 {
			title.WriteString(words[(i*7+j*3)%len(words)] + " ")
		}
		for j := range i % 30 {
			msg.WriteString(words[(i*5+j)%len(words)] + " ")
		}
		cs = append(cs, Card{
			Site: []string{"errref", "A site with a rather long name for the top band", "Жж"}[i%3],
			Code: fmt.Sprintf("%s:%d", words[i%len(words)], i), Title: title.String(), Message: msg.String(),
			Label: []string{"Fatal", "Error", "Warning", "Info", ""}[i%5], Accent: fatal,
		})
	}
	return cs
}

// TestCardsMatchTheCanvas decodes cards written both ways (glyph by glyph,
// and drawn whole) and compares them with the canvas, pixel by pixel.
func TestCardsMatchTheCanvas(t *testing.T) {
	r := NewRenderer()
	for i, c := range variedCards() {
		want := reference(r, c)
		for _, glyphs := range []bool{true, false} {
			b := r.encode(c, glyphs)
			if n, p := diffPixels(decode(t, b), want); n > 0 {
				t.Errorf("card %d (%q, glyphs=%v): %d pixels differ from the canvas, the first at %v", i, c.Title, glyphs, n, p)
			}
			if len(b) > MaxBytes {
				t.Errorf("card %d (%q): %d bytes, over %d", i, c.Title, len(b), MaxBytes)
			}
		}
	}
}

// TestGlyphRowsAreUsed keeps the fast way honest: the golden cards are
// written glyph by glyph, some of their rows drawn because letters touch.
func TestGlyphRowsAreUsed(t *testing.T) {
	drawn := 0
	for _, g := range goldenCards {
		p, ok := planGlyphs(layout(g.card, titleLines, bodyLines))
		if !ok {
			t.Errorf("%s: written on a canvas, not glyph by glyph", g.name)
			continue
		}
		for _, d := range p.drawn {
			if d {
				drawn++
			}
		}
	}
	t.Logf("%d rows drawn because glyphs touch", drawn)
	// Lines that overlap cannot be joined from glyphs.
	fs := fonts()
	l := line{face: fs.title, ramp: rampFG, x: margin, baseline: 300, text: "Ag"}
	l2 := l
	l2.baseline += 10
	if _, ok := planGlyphs([]line{l, l2}); ok {
		t.Error("overlapping lines were planned glyph by glyph")
	}
}

func TestWorstCaseSize(t *testing.T) {
	r := NewRenderer()
	for _, s := range []string{"W", "@", "▓", "ж", "%", "Mg"} {
		long := strings.Repeat(s, 200)
		c := Card{Site: strings.Repeat(s, 50), Code: long, Title: strings.Repeat(s+" ", 100), Message: long, Label: "Warning", Accent: warn}
		b := r.PNG(c)
		if n := len(b); n > MaxBytes {
			t.Errorf("a card of %q weighs %d bytes, over %d", s, n, MaxBytes)
		}
		decode(t, b)
	}
}

// TestLongLabel: a label too long for the badge is cut short, so the
// badge stays in the right half of the top band instead of running off
// the card (which panicked).
func TestLongLabel(t *testing.T) {
	r := NewRenderer()
	for _, label := range []string{strings.Repeat("W", 200), strings.Repeat("Warning ", 30)} {
		c := Card{Site: "errref", Code: "auth:1", Title: "A title", Label: label, Accent: warn}
		got := decode(t, r.PNG(c))
		if n, p := diffPixels(got, reference(r, c)); n > 0 {
			t.Errorf("%d pixels differ from the canvas, the first at %v", n, p)
		}
		for y := range topHeight {
			for x := accentBar; x < Width/2-1; x++ {
				if got.Pix[y*got.Stride+x] == accentIndex {
					t.Fatalf("label of %d characters: the badge reaches (%d, %d), left of the card's middle", len(label), x, y)
				}
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	cs := variedCards()
	want := make([][]byte, len(cs))
	r := NewRenderer()
	for i, c := range cs {
		want[i] = r.PNG(c)
	}
	// A second renderer, drawing in another order on several goroutines.
	r2 := NewRenderer()
	got := make([][]byte, len(cs))
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := len(cs) - 1 - w; i >= 0; i -= 4 {
				got[i] = r2.PNG(cs[i])
			}
		})
	}
	wg.Wait()
	for i := range cs {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("card %d differs between two renderers", i)
		}
	}
}

func TestCache(t *testing.T) {
	r := NewCache()
	a, b := goldenCards[0].card, goldenCards[1].card
	pa := r.PNG(a)
	if again := r.PNG(a); &again[0] != &pa[0] {
		t.Error("the cache drew an unchanged card again")
	}
	r.PNG(b)
	if n := r.Sweep(); n != 2 {
		t.Errorf("Sweep kept %d cards, want 2", n)
	}
	r.PNG(b)
	if n := r.Sweep(); n != 1 {
		t.Errorf("after a build without card a, Sweep kept %d cards, want 1", n)
	}
	if again := r.PNG(a); &again[0] == &pa[0] || !bytes.Equal(again, pa) {
		t.Error("a swept card was not drawn again the same")
	}
}

func TestWrap(t *testing.T) {
	f := fonts().title
	maxW := fixed.I(600)
	for _, tc := range []struct {
		in   string
		n    int
		want []string
	}{
		{"Short", 3, []string{"Short"}},
		{"", 3, nil},
		{"one two three four five six seven eight nine ten eleven twelve", 2, nil},
		{strings.Repeat("x", 100), 3, nil},
	} {
		got := wrap(f, tc.in, maxW, tc.n)
		if tc.want != nil && strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrap(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if len(got) > tc.n {
			t.Errorf("wrap(%q, %d lines) gave %d lines", tc.in, tc.n, len(got))
		}
		for _, l := range got {
			if f.width(l) > maxW {
				t.Errorf("wrap(%q): line %q is wider than the maximum", tc.in, l)
			}
		}
		if full := strings.Join(strings.Fields(tc.in), ""); len(got) > 0 && !strings.HasSuffix(got[len(got)-1], "…") && strings.Join(strings.Fields(strings.Join(got, "")), "") != full {
			t.Errorf("wrap(%q) = %q: text was lost without an ellipsis", tc.in, got)
		}
	}
	if got := wrap(f, "one two three four five six seven eight nine ten eleven twelve", maxW, 2); !strings.HasSuffix(got[1], "…") {
		t.Errorf("text that does not fit ends %q, want an ellipsis", got[1])
	}
}

func BenchmarkCard(b *testing.B) {
	r := NewRenderer()
	c := Card{Site: "errref", Code: "accounts:1234", Title: "Synthetic failure 1234 in the accounts service", Message: "Something went wrong (12). Please try again later.", Label: "Fatal", Accent: fatal}
	r.PNG(c)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(r.PNG(c))
	}
	b.ReportMetric(float64(n), "bytes")
}
