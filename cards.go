package errref

import (
	"image/color"

	"github.com/errref/errref/internal/card"
	"github.com/errref/errref/internal/rules"
)

// This file gives every page its Open Graph image: each code its own card
// (codes/<slug>/card.png), every other page the site's card (card.png).
// The cards are drawn by package card, as jobs among the pages.

// ogImage is a page's og:image: an absolute URL, its size and its text.
type ogImage struct {
	URL    string
	Width  int
	Height int
	Alt    string
}

// siteCardPath is the site's card, relative to the output root.
const siteCardPath = "card.png"

func codeCardPath(c *Code) string { return "codes/" + c.Slug + "/card.png" }

// severityAccents are the severity colours of the dark theme in
// static/style.css (--fatal, --error, --warn, --info), which the card's
// dark background shares; a test keeps them equal.
var severityAccents = map[string]color.RGBA{
	"fatal": {0xff, 0xb3, 0xb0, 0xff},
	"error": {0xff, 0xc0, 0x8a, 0xff},
	"warn":  {0xf2, 0xd3, 0x6b, 0xff},
	"info":  {0x9e, 0xcb, 0xff, 0xff},
}

// siteAccent is the accent of the site's card: the dark theme's --link.
var siteAccent = color.RGBA{0x8c, 0xb8, 0xff, 0xff}

// codeCard is what c's card shows.
func (r *renderer) codeCard(c *Code) card.Card {
	return card.Card{
		Site:    r.site.Config.Title,
		Code:    c.Code,
		Title:   c.Title,
		Message: c.Message,
		Label:   rules.Label("severity", c.Severity),
		Accent:  severityAccents[c.Severity],
	}
}

func (r *renderer) siteCard() card.Card {
	cfg := r.site.Config
	return card.Card{Site: cfg.Title, Title: cfg.Tagline, Text: cfg.Description, Accent: siteAccent}
}

// codeImage is the og:image of c's page. Its text says what the card
// shows, in the words of the page.
func (r *renderer) codeImage(c *Code) *ogImage {
	alt := c.Code + " — " + c.Title + ". Severity: " + rules.Label("severity", c.Severity) + "."
	if c.Message != "" {
		alt += " The app shows: “" + c.Message + "”"
	}
	return &ogImage{URL: r.baseURL + codeCardPath(c), Width: card.Width, Height: card.Height, Alt: alt}
}

func (r *renderer) siteImage() *ogImage {
	cfg := r.site.Config
	alt := cfg.Title
	if cfg.Tagline != "" {
		alt += ": " + cfg.Tagline
	}
	return &ogImage{URL: r.baseURL + siteCardPath, Width: card.Width, Height: card.Height, Alt: alt}
}

// cards plans the site's card and every code's card among the other
// outputs, so that they are drawn on all cores with them.
func (r *renderer) cards() error {
	site := r.siteCard()
	r.outKey(siteCardPath, r.keys.key("card", siteCardPath), func() ([]byte, error) { return r.cardRenderer.PNG(site), nil })
	for _, code := range r.site.Codes {
		c := r.codeCard(code)
		r.outKey(codeCardPath(code), r.keys.key("card", codeCardPath(code), version(code)), func() ([]byte, error) { return r.cardRenderer.PNG(c), nil })
	}
	return nil
}
