package card

import (
	"bytes"
	"sync"
	"testing"
)

// TestConcurrentFirstDraw draws cards from several goroutines at once
// while the glyph caches are cold, as a build's first cards are, and
// checks that every copy of a card has the same bytes. (A glyph's rows
// computed by two goroutines at once were once stored twice; a card
// holding both copies missed the repeat of one glyph on its line and was
// written with other, equally valid, bytes: the same pixels, another
// file.)
func TestConcurrentFirstDraw(t *testing.T) {
	const workers = 8
	r := NewRenderer()
	// Letters no other test draws in these colours, each repeated on its
	// line so that the second copy is written as a repeat of the first.
	var cards []Card
	for first := rune(0x100); first < 0x180; first += 4 {
		w := string([]rune{first, first + 1, first + 2, first + 3})
		s := w + " " + w + " " + w
		cards = append(cards, Card{Site: "race", Code: "x:1", Title: s, Message: s, Label: "Error", Accent: fatal})
	}
	for _, c := range cards {
		got := make([][]byte, workers)
		var ready, done sync.WaitGroup
		start := make(chan struct{})
		for w := range workers {
			ready.Add(1)
			done.Add(1)
			go func() {
				defer done.Done()
				ready.Done()
				<-start
				got[w] = r.PNG(c)
			}()
		}
		ready.Wait()
		close(start)
		done.Wait()
		want := r.PNG(c)
		for w := range workers {
			if !bytes.Equal(got[w], want) {
				t.Errorf("%q: drawn at the same time as others, %d bytes; drawn alone, %d", c.Title, len(got[w]), len(want))
			}
		}
	}
}
