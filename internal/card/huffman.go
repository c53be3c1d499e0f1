package card

import (
	"math/bits"
	"sort"
	"sync"
)

// This file makes the Huffman codes that cards are written with.

// lengthSym describes how a match length is written: its symbol in the
// literal/length alphabet (257..285) and its extra bits.
type lengthSym struct {
	sym   uint16
	nbits uint8
	extra uint16
}

var lengthSyms = func() (t [259]lengthSym) {
	base := [29]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	extra := [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	for l := 3; l <= 258; l++ {
		i := 28
		for base[i] > l {
			i--
		}
		t[l] = lengthSym{uint16(257 + i), extra[i], uint16(l - base[i])}
	}
	return t
}()

// numLit is the size of the literal/length alphabet: 256 literals, end
// of block, and the length symbols 257..285; numDist that of distances.
const (
	numLit  = 286
	numDist = 30
)

// distBase is the smallest distance of each distance symbol (RFC 1951,
// 3.2.5); symbol i >= 4 has i/2-1 extra bits.
var distBase = [numDist]int{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}

// matchCode returns the code of a match of length l (3..258) at distance
// d (1..32768): the length code, its extra bits, the distance code and
// its extra bits, in at most 48 bits.
func (t *huffTable) matchCode(l, d int) (uint64, uint) {
	s := numDist - 1
	for distBase[s] > d {
		s--
	}
	extra := uint(0)
	if s >= 4 {
		extra = uint(s/2 - 1)
	}
	lc, dc := t.length[l], t.dist[s]
	c := uint64(lc.code) | uint64(dc.code)<<lc.len | uint64(d-distBase[s])<<(lc.len+dc.len)
	return c, uint(lc.len) + uint(dc.len) + extra
}

// huffTable is the one set of codes every card is written with, in one
// deflate block with "dynamic" codes (RFC 1951, 3.2.7): dynamic in the
// format's sense, but made once, from a sample of cards drawn at start-up,
// so that each piece of a card can be encoded on its own and the pieces
// joined (glyphrows.go). Every literal and length has a code, so any card
// can be written with it.
type huffTable struct {
	lit    [256]code
	match  [259]code // by length 3..258: the length code, its extra bits and the code of distance 1
	length [259]code // by length 3..258: the length code and its extra bits
	dist   [numDist]code
	eob    code
	header bitstr // the block header: BFINAL, BTYPE and the code lengths
	blank  bitstr // a row with nothing drawn under another such row
}

// code is a Huffman code already bit-reversed, with any extra bits above
// it, to be written least significant bit first.
type code struct {
	code uint32
	len  uint8
}

// table returns the codes, made on first use.
var table = sync.OnceValue(func() *huffTable {
	freq := sampleFrequencies()
	for i := range freq {
		freq[i]++ // every symbol gets a code
	}
	litLens := huffmanLengths(freq[:], 15)
	litCodes := canonical(litLens)
	// Runs are matches at distance 1, by far the most; a glyph drawn
	// again on its line is a match at the distance between the two
	// (glyphrows.go). Every distance symbol gets a code, so the code is
	// complete, as some decoders require.
	var distFreq [numDist]int
	for i := range distFreq {
		distFreq[i] = 1
	}
	distFreq[0] = 1 << 10
	distLens := huffmanLengths(distFreq[:], 15)
	distCodes := canonical(distLens)

	t := &huffTable{}
	for c := range 256 {
		t.lit[c] = code{litCodes[c], litLens[c]}
	}
	t.eob = code{litCodes[256], litLens[256]}
	for l := 3; l <= 258; l++ {
		ls := lengthSyms[l]
		c := litCodes[ls.sym] | uint32(ls.extra)<<litLens[ls.sym]
		n := litLens[ls.sym] + ls.nbits
		t.match[l] = code{c | distCodes[0]<<n, n + distLens[0]}
		t.length[l] = code{c, n}
	}
	for s := range numDist {
		t.dist[s] = code{distCodes[s], distLens[s]}
	}

	// The header: the code lengths, run-length coded with the code
	// length alphabet (RFC 1951, 3.2.7).
	lens := append(append([]uint8(nil), litLens...), distLens...)
	type clSym struct{ sym, extra uint8 }
	var cls []clSym
	for i := 0; i < len(lens); {
		l := lens[i]
		n := 1
		for i+n < len(lens) && lens[i+n] == l {
			n++
		}
		i += n
		for n > 0 {
			switch {
			case l == 0 && n >= 11:
				k := min(n, 138)
				cls = append(cls, clSym{18, uint8(k - 11)})
				n -= k
			case l == 0 && n >= 3:
				k := min(n, 10)
				cls = append(cls, clSym{17, uint8(k - 3)})
				n -= k
			default:
				cls = append(cls, clSym{l, 0})
				n--
				for l != 0 && n >= 3 {
					k := min(n, 6)
					cls = append(cls, clSym{16, uint8(k - 3)})
					n -= k
				}
			}
		}
	}
	var clFreq [19]int
	for _, c := range cls {
		clFreq[c.sym]++
	}
	clLens := huffmanLengths(clFreq[:], 7)
	clCodes := canonical(clLens)
	order := [19]int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
	nclen := 19
	for nclen > 4 && clLens[order[nclen-1]] == 0 {
		nclen--
	}
	var w bitWriter
	w.write(1|2<<1, 3) // BFINAL=1, BTYPE=10
	w.write(uint64(len(litLens)-257), 5)
	w.write(uint64(len(distLens)-1), 5)
	w.write(uint64(nclen-4), 4)
	for _, s := range order[:nclen] {
		w.write(uint64(clLens[s]), 3)
	}
	extra := [19]uint{16: 2, 17: 3, 18: 7}
	for _, c := range cls {
		w.write(uint64(clCodes[c.sym]), uint(clLens[c.sym]))
		w.write(uint64(c.extra), extra[c.sym])
	}
	t.header = w.bitstr()

	e := &encoder{table: t}
	e.literal(filterUp)
	e.repeat(0, Width)
	e.flushRun()
	t.blank = e.w.bitstr()
	return t
})

// sampleCards are what the codes are made for: cards like the site's.
var sampleCards = []Card{
	{Site: "errref", Code: "accounts:4", Title: "No internet connection detected", Message: "No internet connection detected.", Label: "Fatal"},
	{Site: "errref", Code: "EME_NO_SUPPORTED_KEYSYSTEM", Title: "Protected content cannot play: no supported key system", Message: "Playback of protected content is not supported on this device. Restart the app and try again.", Label: "Warning"},
	{Site: "errref", Code: "auth:12", Title: "Login failed after an update", Text: "What each error code means, why it happens and how to fix it.", Label: "Error"},
}

// sampleFrequencies counts the symbols of the sample cards, each drawn on
// a canvas and parsed row by row.
func sampleFrequencies() *[numLit]int {
	var freq [numLit]int
	for _, c := range sampleCards {
		m := newCanvas()
		drawTop(m, c.Site, c.Label)
		for _, l := range layout(c, titleLines, bodyLines) {
			l.draw(m)
		}
		e := &encoder{freq: &freq}
		for y := range Height {
			e.row(m, y)
		}
		e.flushRun()
		freq[256]++
		canvases.Put(m)
	}
	return &freq
}

// huffmanLengths returns the code length of each symbol for a Huffman code
// of the frequencies, no longer than limit bits; a symbol of frequency 0
// gets no code. Ties are broken by symbol, so the result is deterministic.
// When the code would be too deep, the frequencies are flattened and the
// code made again.
func huffmanLengths(freq []int, limit int) []uint8 {
	f := append([]int(nil), freq...)
	for {
		lens, depth := huffman(f)
		if depth <= limit {
			return lens
		}
		for i := range f {
			if f[i] > 0 {
				f[i] = f[i]>>1 | 1
			}
		}
	}
}

func huffman(freq []int) ([]uint8, int) {
	lens := make([]uint8, len(freq))
	var leaves []int
	for s, n := range freq {
		if n > 0 {
			leaves = append(leaves, s)
		}
	}
	switch len(leaves) {
	case 0:
		return lens, 0
	case 1:
		lens[leaves[0]] = 1
		return lens, 1
	}
	sort.SliceStable(leaves, func(i, j int) bool { return freq[leaves[i]] < freq[leaves[j]] })
	// Two queues: the leaves in order of weight, and the internal nodes,
	// which are made in order of weight too. Nodes 0..n-1 are the leaves.
	n := len(leaves)
	weight := make([]int, 2*n-1)
	parent := make([]int, 2*n-1)
	for i, s := range leaves {
		weight[i] = freq[s]
	}
	li, ni, next := 0, n, n
	pick := func() int {
		if li < n && (ni >= next || weight[li] <= weight[ni]) {
			li++
			return li - 1
		}
		ni++
		return ni - 1
	}
	for next < 2*n-1 {
		a, b := pick(), pick()
		weight[next] = weight[a] + weight[b]
		parent[a], parent[b] = next, next
		next++
	}
	depth := make([]int, 2*n-1)
	maxDepth := 0
	for i := 2*n - 3; i >= 0; i-- {
		depth[i] = depth[parent[i]] + 1
		if i < n {
			lens[leaves[i]] = uint8(depth[i])
			maxDepth = max(maxDepth, depth[i])
		}
	}
	return lens, maxDepth
}

// canonical returns the codes of a canonical Huffman code with the given
// lengths (RFC 1951, 3.2.2), bit-reversed for writing least significant
// bit first.
func canonical(lens []uint8) []uint32 {
	var count [16]uint32
	for _, l := range lens {
		count[l]++
	}
	count[0] = 0
	var next [16]uint32
	c := uint32(0)
	for l := 1; l < 16; l++ {
		c = (c + count[l-1]) << 1
		next[l] = c
	}
	codes := make([]uint32, len(lens))
	for s, l := range lens {
		if l != 0 {
			codes[s] = bits.Reverse32(next[l]) >> (32 - l)
			next[l]++
		}
	}
	return codes
}
