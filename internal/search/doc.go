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
// # Index
//
// Every code is one bleve document in a scorch index built in one batch,
// in memory (scorch with an empty path, not NewMemOnly). Fields:
//
//	field    analyzer     boost  positions
//	code     errref_code  10
//	aliases  errref_code   8
//	names    en            2     (the words of the code and its aliases)
//	title    en            4     yes
//	message  en            3     yes   (message and alt_messages)
//	body     en            1     (causes, the chain's steps and details, resolution)
//
// The note is not indexed: it explains and tells codes apart in words
// that many codes share; on the real queries the ranking is as good
// without it, and the download a seventh smaller.
//
// "en" is bleve's English analyzer (unicode words, possessive, lower case,
// stop words, Porter stemmer). errref_code keeps what names a code, not
// its words (codeTokens): "desktop_login_accounts:5" gives
// desktop_login_accounts:5, desktop_login_accounts and 5;
// "accounts:53–55" also gives accounts:54 and 54; the number of
// "com.spotify.installer -3" is the signed -3, so that a bare 3 is the
// number of accounts:3, not of the installer code; "HTTP 403" also gives
// http:403. The words of codes and aliases (FRAGMENT, REQUEST, FAILED…) go
// to the names field, whose boost is below the title's and the message's:
// a word in a code's name weighs less than the same word in its title.
//
// # Export
//
// The export is read back out of bleve's index: for every field and term
// its postings (document, term frequency, and positions in title and
// message), a table of the documents, and a lexicon from the corpus words
// to their analyzed terms (every word whose analysis is not itself; stop
// words analyze to nothing), so the browser needs no stemmer. Each
// document's field length is the sum of its term frequencies (the tokens
// indexed, stop words excluded), worked out from the postings. It also
// maps the keys of every alias (see Codes) to its documents, and every
// word of a synonym group and its term to the group's words that the
// index holds (see Synonyms); the keys of the codes are worked out from
// the document table.
//
// search-index.json packs it for the download (wire.go): one sorted,
// front-coded vocabulary of terms and lexicon words, each word with its
// analysis as the letters it drops and adds; postings and positions as
// numbers in a 64-character alphabet, five bits a character, per field in
// vocabulary order; the slug only where it is not rules.Slug of the code.
// Its version is 3; both searchers refuse another. For the real corpus,
// search-index.json and search.js together stay within ARCHITECTURE.md's 30 KB
// gzipped (TestSearchSizes).
//
// # Layouts and the search contract
//
// The site serves the index in one of two layouts, chosen by size when it
// is built (Index.Files): whole while the packed search-index.json is at
// most SplitAbove (256 KiB; the real corpus is about 33 KB, one request),
// split above that.
//
// Whole: a page fetches search-index.json, parses it and passes it to
// createSearcher(index) of search.js (globalThis.errref); the searcher's
// search(query, {limit, filters}) gives hits {slug, code, title, severity,
// score, match}, best first; count(query, {filters}) their number;
// facets, highlighter, unknown(query) and doc(slug) the rest the page
// shows. need(query, opts) always lists nothing. errref build leaves the
// split layout's code out of the search.js of such a site (WholeScript).
//
// Split (splitFiles): search-index.json holds what every search needs:
// the words of the vocabulary with their analyses, the codes and their
// facets, the aliases and synonyms, each field's total length, and the
// first term of each term part. search/t<i>.json hold, for a range of
// terms, their postings with each document's length in the field (and
// in title and message its values' lengths) and each term's document
// frequency, so a searcher weighs them as the whole layout's does without
// the other parts; search/d<i>.json hold the titles and messages of four
// documents each. A page makes the searcher from search-index.json as
// above, then for each query asks need(query, {limit, filters}) which
// parts are missing, fetches each (relative to the site's base) and hands
// it to add(name, parsed), and asks again until need lists nothing: first
// the term parts that the words, their expansions and the search look up,
// then the document parts of the first limit hits. Then search and the
// rest give exactly what the whole layout gives (parity tests hold both
// layouts to the Go searcher); a search before that sees only the parts
// loaded. At 10,000 generated codes the first search so downloads less
// than Pagefind's on the same site (BenchmarkFirstSearch).
//
// # Query words
//
// The query is split into words as bleve's unicode tokenizer splits text
// (tokenizeWords, checked against bleve on the corpus) and lower-cased:
// "AUTH:1" is auth and 1 at positions 1 and 2. At most 400 words count (a
// pasted post of 2,000 characters). Two words joined by a single '-' are
// read as one when either is unknown and the two written together are
// known ("wi-fi" is wifi), and the words after them move up one position.
//
// A word w has English terms E(w): its lexicon term, or w itself when w is
// an indexed term (curly apostrophes read as straight ones, then a
// possessive 's dropped, when w is neither); and code terms C(w): the
// codeTokens of w that are indexed in code or aliases. A known word with
// neither is a stop word and is ignored; every other word, even unknown,
// is meaningful. A query without a meaningful word returns nothing.
//
// Real text holds things that are not codes. The query is cut at white
// space into chunks: the words of a chunk with "://", of one starting with
// "www." and of an e-mail address are ignored; the words of a path (a
// chunk with '/' or '\') keep E(w) but name no code: no C(w), and they
// end a code run (see Codes). So does a word with a dot that is no code
// term ("open.spotify.com", "1.2.50"): its pieces are not code tokens,
// and numbers joined by dots ("127.0.0.1") are an address or a version,
// never the number of a code. A
// number written with a minus at the start of a chunk ("-3") has the code
// term -3 when the index has it. A number from 100 to 599 within 3 words
// after "http", "status" or "api" (httpWords) is an HTTP status: its code
// term is http:N when the index has it ("status": 403 finds
// RESTRICTION_VIOLATED, not accounts:403).
//
// # Word score
//
// For a term in field f with boost B, N documents, term frequency tf,
// field length len and average field length avg (the field's tokens over
// all N documents):
//
//	idf  = round6(ln(1 + (N - df + 0.5) / (df + 0.5)))
//	bm25 = idf * tf*(k1+1) / (tf + k1*(1 - b + b*len/avg))     k1 = 1.2, b = 0.75
//	exact(w, d) = max over code and aliases of (sum over C(w) of B * bm25)
//	            + sum over the other fields, over E(w), of B * bm25
//
// The code fields count by their best, not their sum: an alias that
// repeats its code in another spelling is no second piece of evidence. df
// counts the documents that contain the word in any field, a code term
// and the English term of the same word counting as one: a word that is
// everywhere weighs little everywhere. round6 rounds to 1e-6, so that ln's
// last bit, which may differ between JavaScript engines, cannot change a
// score.
//
// # Expansions
//
// The last word, while it is typed (the query does not end in white
// space), is also a prefix: it matches the longer words of the lexicon
// and index that it begins, at 0.7 of their score, if it has 2 characters
// or more and is not a stop word; 3 or more when it matches exactly and
// follows another meaningful word ("wi-fi" is finished, not the start of
// "firewall"). In a query of at most 16 meaningful words, a word of 4
// characters or more that matches nothing exactly, and that is not being
// typed as the start of a longer word, matches the words within edit
// distance 1 (0.6), or for 8 characters or more distance 2 (0.4); distance
// counts insertions, deletions, substitutions and swaps of neighbours. (In
// a longer paste a word that matches nothing is noise, not a typo; "instal"
// typed is the start of install, not a misspelling.) Targets have 2 characters at least: the words of the lexicon,
// the terms that are words, and the words of synonym groups, so "soun"
// finds what "sound" finds. A word scores the best of its exact score and
// its expansions' scores, never their sum, so an expansion always scores
// below the same word typed in full.
//
// # Synonyms
//
// synonymGroups (synonyms.go) lists words that readers and pages use for
// one thing: "log in" and "sign in", "sound" and "audio", "song" and
// "track". A meaningful query word w, in the corpus or not, also matches
// each other word x of its groups (listed for w or for a term of E(w)) as
// if x had been typed: E(x) and C(x), at 0.8, one expansion per distinct
// x, so a code holding several scores the best, not the sum. A word with
// synonyms is not a typo. A prefix or typo expansion brings its target's
// synonyms at its factor times 0.8, so a mistyped word finds what the
// word finds.
//
// # Order
//
// For title and message, each pair of consecutive meaningful query words
// whose English terms occur in one value of the field at the same distance
// as in the query adds B to the score. The document goes to the phrase
// tier when one value holds all the meaningful words (two at least) as one
// chain, each at its distance in the query from the first, or when the
// query holds a whole value of two indexed words or more that way (a
// quoted message: "What do I do if I see "Your session has been
// terminated"?"); pairs found in separate places of a value do not count.
// The word being typed also counts through the English terms of its
// prefix targets ("connectio" continues "no internet" as connection does);
// and when it begins a stop word, which is never indexed ("th" may become
// "the"), the words before it in one run are enough for the tier.
//
// # Coverage
//
// A word that matches no document, exactly or by expansion (a tool's
// name, a word of another language, "xqzv"), counts neither for nor
// against a code: unknown words never veto. Of the m words that match
// something, a document must match at least min(ceil(m/2), 3), so that the
// many words of a pasted post do not shut out the code it quotes. Words
// that match more than half of the codes exactly ("spotify") count toward
// neither m nor the matches, unless every word is such a word.
//
// # Codes
//
// Codes, range members and aliases are compared by their keys
// (rules.CodeKeys): lower-case letters and digits only, so "AUTH:1",
// "auth 1", "auth-1" and "auth1" are all auth1, and "error code 30" is
// also error30. Validation lets a key lead to one code only. A run of up
// to 8 query words, not crossing a word that names no code nor the end of
// a sentence ('.', '!', '?' or ';' between two words), whose joined key,
// with or without the word "code" after its first word, equals such a key
// (with a letter in it) is an exact code match: "error 17", "Error code:
// 17", or the "(Error code: accounts:103)" of a pasted dialog. The label
// words just before a run (labels: "error", "code") count as words of
// the run, so "Error code: accounts:406" is accounts:406 before a code
// whose key is "accounterror" that "…your account. Error" would spell. A
// word of letters only never reaches a code term through a near spelling
// or a prefix of it: "play" finds playback_error by the words of its name
// (the names field), not at the weight of a code. While
// the query is typed, a query whose whole key (3 characters or more)
// begins the key of a code is a code prefix match.
//
// # Codes the site does not have
//
// Searcher.Unknown (unknown in search.js) lists the code-shaped strings of
// the query that name no code or alias of the site, so that the page can
// say first that the reference has no page for them:
//
//   - a family and a number ("auth:74", "Error 410", "HTTP 410"; not a
//     number in parentheses of its own, "error: (159)", a count): the
//     words before a number whose key, with or without "code", is a
//     family (the key of a code or alias without its final number: auth,
//     error, http, installererror), or a word of letters and ':' just
//     before the number ("foo:12"), in the same sentence, when no run
//     before the number, long or short, gives a key of the site
//     ("Firewall maybe blocking Spotify: Error code 30" is Error 30). A
//     generic family (only "error") names a code the site has when its
//     number is the number of some code ("Error code: 3"); "HTTP N" when
//     some code is about the status N;
//   - an error name: upper-case words joined by '_' (INTERNAL_ERROR), a
//     constant with a k prefix (kSpErrorFailed), a name with the Sp
//     prefix of Spotify's SDKs (SpCallbackError), or lower-case words
//     joined by '_' after "error:" (login_region_mismatch), whose key is
//     neither a key of the site nor the start of one;
//   - an error domain of Spotify's SDKs and its code, as an NSError prints
//     them ("com.spotify.sdk.login Code=3"), when neither it nor the
//     domain and number alone is a key of the site.
//
// A string that the word being typed may still turn into a code of the
// site ("auth:7" of auth:73) is not unknown. The codes of an unknown
// code's family get a bonus of 2/(1 + |n − N|) for number n of the code
// and N of the unknown one, so that the closest come first: auth:73 for
// auth:74.
//
// # Tiers and score
//
// score = the word scores in query order + the order bonus + the near
// bonus + tier * M, where M = 1 + the best score before tiers of any code
// for this query, so that a higher tier always ranks first. Tiers: 0
// none, 1 phrase, 2 code prefix, 2+L exact code match over L query words
// (the longest run wins: "desktop login accounts 4" is
// desktop_login_accounts:4 before accounts:4). Documents with a tier need
// no coverage. Hits are sorted by score, then by code in natural order.
// Filters (category, platform, severity, handling; the values of one facet
// are alternatives, facets combine) apply after scoring and never change
// a score; a facet's counts are the hits under the other facets' filters.
//
// Every hit says why it matched (Hit.Match): "code" or "alias" for the
// exact tier (from a code or range member, or from an alias), "prefix" for
// the code prefix tier, "phrase" for the phrase tier, and otherwise
// "typo" when a word reached it only by a near spelling, "prefix" when
// only through the word being typed, else "words".
//
// # Floating point
//
// Both implementations do the same operations in the same order; Go
// converts products explicitly so that no multiply-add is fused.
package search
