package errref

// License names a licence as the site states it.
type License struct {
	ID   string `json:"id"`   // SPDX identifier, e.g. "CC-BY-4.0"
	Name string `json:"name"` // short name for people, e.g. "CC BY 4.0"
	URL  string `json:"url"`  // the licence's own page
}

// ContentLicense covers the reference's content: codes/, site.yaml's texts
// and everything built from them. The code of errref is MIT; LICENSE at the
// repository's root says both in full, and a test keeps it in step with
// this value. The credit CC BY asks for is "<site title> contributors".
// Every page's footer, the JSON API, feed.xml and the llms
// files state it, so a copy carries its terms.
var ContentLicense = License{
	ID:   "CC-BY-4.0",
	Name: "CC BY 4.0",
	URL:  "https://creativecommons.org/licenses/by/4.0/",
}
