// Package search indexes the codes with bleve and ranks them. Bleve
// builds the index; two identical searchers rank its export: the Go
// Searcher (errref search, tests) and static/search.js in the browser.
// This comment is the ranking model both implement; parity_test.go holds
// them to the same hits and scores.
//
// The package knows nothing of YAML or pages: the site's index stage hands
// it one Doc per code (NewIndex), and writes what Index.JSON returns as
// search-index.json. Code keys and rune classes come from package rules,
// which validation shares, so that a string validation accepts as one
// code's is one code's to search too.
//
// Index. Every code is one bleve document in a scorch index built in one
// batch, in memory (scorch with an empty path, not NewMemOnly). Fields:
//
//	field       analyzer     boost  positions
//	code        errref_code  10
//	aliases     errref_code   8
//	title       en            4     yes
//	message     en            3     yes   (message and alt_messages)
//	causes      en            1.2
//	chain       en            1     (step and detail of each link)
//	resolution  en            0.8
//	note        en            0.6
//
// "en" is bleve's English analyzer (unicode words, possessive, lower case,
// stop words, Porter stemmer). errref_code keeps each code chunk whole and
// splits it (codeTokens): "desktop_login_accounts:5" gives
// desktop_login_accounts:5, desktop_login_accounts, 5, desktop, login,
// accounts; "accounts:53–55" also gives accounts:54 and 54.
//
// Export. search-index.json is read back out of bleve's index: for every
// field and term its postings (document, term frequency, and positions in
// title and message), each document's field length (the sum of its term
// frequencies: the tokens indexed, stop words excluded), a table of the
// documents, and a lexicon from analyzed term to the corpus words that
// analyze to it (every word whose analysis is not itself; "" lists the stop
// words), so the browser needs no stemmer. It also maps the key of every
// code, range member and alias (see Codes) to its documents, and every
// word of a synonym group and its term to the group's words that the
// index holds (see Synonyms).
//
// Query words. The query is split into words as bleve's unicode tokenizer
// splits text (tokenizeWords, checked against bleve on the corpus) and
// lower-cased: "AUTH:1" is auth and 1 at positions 1 and 2. At most 64
// words count. Two words joined by a single '-' are read as one when
// either is unknown and the two written together are known ("wi-fi" is
// wifi), and the words after them move up one position. A word w has English terms E(w): its lexicon term, or w
// itself when w is an indexed term (curly apostrophes read as straight
// ones, then a possessive 's dropped, when w is neither); and code terms
// C(w): the codeTokens of w that are indexed in code or aliases. A known
// word with neither is a stop word and is ignored; every other word, even
// unknown, is meaningful. A query without a meaningful word returns
// nothing.
//
// Word score. For a term in field f with boost B, N documents, term
// frequency tf, field length len and average field length avg (the field's
// tokens over all N documents):
//
//	idf  = round6(ln(1 + (N - df + 0.5) / (df + 0.5)))
//	bm25 = idf * tf*(k1+1) / (tf + k1*(1 - b + b*len/avg))     k1 = 1.2, b = 0.75
//	exact(w, d) = sum over fields, over E(w) in prose fields and C(w) in code fields, of B * bm25
//
// df counts the documents that contain the word in any field, a code term
// and the English term of the same word counting as one ("spotify" in
// com.spotify.installer, "spotifi" in prose): a word that is everywhere
// weighs little everywhere. round6 rounds to 1e-6, so that ln's last bit,
// which may differ between JavaScript engines, cannot change a score.
//
// Expansions. The last word, while it is typed (the query does not end in
// white space), is also a prefix: it matches the longer words of the
// lexicon and index that it begins, at 0.7 of their score, if it has 2
// characters or more and is not a stop word; 3 or more when it matches
// exactly and follows another meaningful word ("wi-fi" is finished, not
// the start of "firewall"). A word of 4 characters or
// more that matches nothing exactly matches the words within edit distance
// 1 (0.6), or for 8 characters or more distance 2 (0.4); distance counts
// insertions, deletions, substitutions and swaps of neighbours. Targets
// have 2 characters at least: the words of the lexicon, the terms that
// are words, and the words of synonym groups, so "soun" finds what "sound"
// finds. A word scores the best of its exact score
// and its expansions' scores, never their sum, so an expansion always
// scores below the same word typed in full.
//
// Synonyms. synonymGroups (synonyms.go) lists words that readers
// and pages use for one thing: "log in" and "sign in", "sound" and
// "audio", "song" and "track". A meaningful query word w, in the corpus
// or not, also matches each other word x of its groups (listed for w or
// for a term of E(w)) as if x had been typed: E(x) and C(x), at 0.8, one
// expansion per distinct x, so a code holding several scores the best,
// not the sum. A word with synonyms is not a typo. A prefix or typo
// expansion brings its target's synonyms at its factor times 0.8, so a
// mistyped word finds what the word finds.
//
// Order. For title and message, each pair of consecutive meaningful query
// words whose English terms occur in one value of the field at the same
// distance as in the query adds B to the score. A title or message value
// that holds all the meaningful words (two at least) as one chain, each at
// its distance in the query from the first, puts the document in the
// phrase tier; pairs found in separate places of a value do not. The word
// being typed also counts through the English terms of its prefix
// targets ("connectio" continues "no internet" as connection does); and
// when it begins a stop word, which is never indexed ("th" may become
// "the"), the words before it in one run are enough for the tier.
//
// Coverage. A document must match, exactly or by expansion, at least
// ceil(m/2) of the m meaningful words. Words that match more than half of
// the codes exactly ("spotify") count toward neither m nor the matches,
// unless every word is such a word. Nonsense matches no word and returns
// nothing; "spotify xqzv" returns nothing either.
//
// Codes. Codes, range members and aliases are compared by key: lower-case
// letters and digits only (rules.CodeKey), so "AUTH:1", "auth 1", "auth-1" and
// "auth1" are all auth1. A run of up to 8 query words whose joined key
// equals such a key (with a letter in it) is an exact code match: "error
// 17", or the "(Error code: accounts:103)" of a pasted dialog. While the
// query is typed, a query whose whole key (3 characters or more) begins
// the key of a code is a code prefix match.
//
// Tiers and score. score = the word scores in query order + the order
// bonus + tier * M, where M = 1 + the best score before tiers of any code
// for this query, so that a higher tier always ranks first. Tiers: 0 none,
// 1 phrase, 2 code prefix, 2+L exact code match over L query words (the
// longest run wins: "desktop login accounts 4" is desktop_login_accounts:4
// before accounts:4). Documents with a tier need no coverage. Hits are
// sorted by score, then by code in natural order. Filters (category,
// platform, severity, handling; the values of one facet are alternatives,
// facets combine) apply after scoring and never change a score; a facet's
// counts are the hits under the other facets' filters.
//
// Floating point. Both implementations do the same operations in the same
// order; Go converts products explicitly so that no multiply-add is fused.
package search
