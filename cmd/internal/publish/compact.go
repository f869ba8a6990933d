package publish

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// CompactHTML appends src to dst without the whitespace that does not show:
// runs of spaces and newlines between two tags when either tag is one of a
// block-level element, and at the start and end of src. Whitespace inside
// text, between inline elements, and anywhere within <pre>, <textarea>,
// <script> and <style> is kept as it is.
//
// It is meant for HTML the build writes itself (goldmark's output): well
// formed, attribute values quoted and escaped. A build minifies a report
// page's theme chrome with the HTML minifier and splices in the body made
// compact by this function, which is much cheaper than minifying it again.
func CompactHTML(dst, src []byte) []byte {
	dst, _ = compact(dst, src, false)
	return dst
}

// Compact is CompactHTML for a whole page that would otherwise go through
// the HTML minifier, when that is all the minifier would do to it but
// shortening character references: the page has no comments, no inline
// style sheets and no inline scripts but JSON-LD (which the build writes
// compact), no style or event handler attributes. Otherwise it reports
// false, having appended nothing, and the page is for the minifier.
func Compact(dst, src []byte) ([]byte, bool) {
	if hasComment(src) {
		return dst, false
	}
	return compact(dst, src, true)
}

// compact does CompactHTML's work; with strict set it stops, returning dst
// as it was and false, at a tag the minifier would rewrite.
//
// What it writes is src less some runs of whitespace, so it copies src in
// stretches between the runs it drops. Every tag is read once (its end,
// past quoted attribute values that may hold '<' or '>', and its kind by
// one look in a small table); only a run of whitespace between a tag that
// is not a block and the next tag needs that next tag read ahead, and the
// loop takes that reading when it gets there.
func compact(dst, src []byte, strict bool) ([]byte, bool) {
	start := len(dst)
	raw := 0        // depth inside elements whose whitespace is content
	inHead := false // whitespace in <head> never shows
	prevBlock := true
	done := 0 // src[:done] is in dst, but for the runs dropped
	// The tag at src[ahead:] when it was read ahead.
	ahead, aheadN, aheadKind, aheadClosing := -1, 0, uint8(0), false
	i := 0
	for i < len(src) {
		if src[i] != '<' {
			// Text up to the next tag.
			j := i + 1
			if j < len(src) && src[j] != '<' { // else a run of one byte, often a newline
				if k := indexByte(src[j:], '<'); k >= 0 {
					j += k
				} else {
					j = len(src)
				}
			}
			if raw == 0 && isSpaces(src[i:j]) {
				drop := prevBlock || inHead || j == len(src)
				if !drop {
					if declaration(src[j:]) {
						drop = true
					} else {
						aheadN, aheadKind, aheadClosing = readTag(src[j:])
						ahead = j
						drop = aheadKind&kindBlock != 0
					}
				}
				if drop {
					dst = append(dst, src[done:i]...)
					done = j
				}
			}
			i = j
			continue
		}
		var n int
		var kind uint8
		var closing bool
		if i == ahead {
			n, kind, closing = aheadN, aheadKind, aheadClosing
		} else {
			n, kind, closing = readTag(src[i:])
		}
		if n == 0 {
			// Not a tag ("<!" never is one).
			if raw == 0 && declaration(src[i:]) {
				// A declaration (<!doctype html>): markup that shows nothing.
				if j := bytes.IndexByte(src[i+2:], '>'); j >= 0 {
					prevBlock = true
					i += j + 3
					continue
				}
			}
			// A lone '<' (never written by goldmark, which escapes it): text.
			prevBlock = false
			i++
			continue
		}
		if strict && !closing && rewrites(src[i:i+n], kind) {
			return dst[:start], false
		}
		if kind&kindHead != 0 {
			inHead = !closing
		}
		if kind&kindRaw != 0 {
			if closing {
				raw = max(raw-1, 0)
			} else {
				raw++
			}
		}
		prevBlock = kind&kindBlock != 0
		i += n
	}
	return append(dst, src[done:]...), true
}

// declaration reports whether b starts with "<!" but not "<!--".
func declaration(b []byte) bool {
	return len(b) >= 2 && b[0] == '<' && b[1] == '!' && !(len(b) >= 4 && b[2] == '-' && b[3] == '-')
}

func isSpaces(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\n' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// readTag reads a tag at the start of b, which starts with '<': its length
// (0 when b does not start with one), what kind of element it opens or
// closes, and whether it closes one. A name starts with an ASCII letter
// and goes on with letters, digits and '-'; quoted attribute values may
// hold '>'.
func readTag(b []byte) (n int, kind uint8, closing bool) {
	i := 1
	if len(b) > 1 && b[1] == '/' {
		closing = true
		i = 2
	}
	if i >= len(b) || nameBytes[b[i]] != nameLetter {
		return 0, 0, false
	}
	s := i
	for i < len(b) && nameBytes[b[i]] != 0 {
		i++
	}
	if i-s <= maxKindName {
		kind = kindOfName(pack(b[s:i]))
	}
	for i < len(b) {
		switch c := b[i]; c {
		case '>':
			return i + 1, kind, closing
		case '"', '\'':
			q := indexByte(b[i+1:], c)
			if q < 0 {
				return 0, 0, false
			}
			i += q + 2
		default:
			i++
		}
	}
	return 0, 0, false
}

// Kinds of elements, as bits.
const (
	kindBlock  = 1 << iota // whitespace next to it never shows
	kindRaw                // whitespace inside it is content
	kindHead               // <head>
	kindStyle              // <style>
	kindScript             // <script>
)

// The bytes of a tag name: a letter starts it, the others go on.
const (
	nameLetter = 1
	nameOther  = 2
)

var nameBytes = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = nameLetter, nameLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = nameOther
	}
	t['-'] = nameOther
	return t
}()

// elementKinds lists the elements of a kind other than 0.
var elementKinds = func() map[string]uint8 {
	m := map[string]uint8{
		"pre": kindBlock | kindRaw, "textarea": kindRaw, "script": kindRaw | kindScript, "style": kindRaw | kindStyle,
		"head": kindBlock | kindHead,
	}
	for _, name := range []string{"html", "body", "title", "meta", "link", "base",
		"address", "article", "aside", "blockquote", "caption", "col", "colgroup", "dd", "details", "dialog",
		"div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
		"header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "section", "summary", "table", "tbody",
		"td", "tfoot", "th", "thead", "tr", "ul"} {
		m[name] |= kindBlock
	}
	return m
}()

// maxKindName is the length of the longest name in elementKinds.
const maxKindName = len("blockquote")

// pack returns name (at most 16 bytes) in lower case, a byte a time from
// the low end: the first eight bytes in lo, the next in hi. (c|0x20 is the
// lower case of a letter and leaves digits and '-' as they are.)
func pack(name []byte) (lo, hi uint64) {
	const lower = 0x2020202020202020
	if len(name) <= 8 && cap(name) >= 8 {
		// One load for the name and what follows it, masked off.
		mask := uint64(1)<<(8*len(name)) - 1
		if len(name) == 8 {
			mask = ^uint64(0)
		}
		return (binary.LittleEndian.Uint64(name[:8]) | lower) & mask, 0
	}
	for k, c := range name {
		if k < 8 {
			lo |= uint64(c|0x20) << (8 * k)
		} else {
			hi |= uint64(c|0x20) << (8 * (k - 8))
		}
	}
	return lo, hi
}

// kindTable is elementKinds as an open-addressed hash table keyed by the
// name packed as readTag packs it; an entry with lo 0 is empty (a name
// has at least one byte, which is not 0).
var kindTable = func() (t [128]struct {
	lo, hi uint64
	kind   uint8
}) {
	for name, kind := range elementKinds {
		if len(name) > maxKindName {
			panic("publish: element name longer than maxKindName: " + name)
		}
		lo, hi := pack([]byte(name))
		h := kindHash(lo, hi)
		for t[h].lo != 0 {
			h = (h + 1) % uint64(len(t))
		}
		t[h].lo, t[h].hi, t[h].kind = lo, hi, kind
	}
	return t
}()

func kindHash(lo, hi uint64) uint64 { return ((lo ^ hi<<1) * 0x9e3779b97f4a7c15) >> 57 }

// kindOfName returns the kind of the element whose lower case name is
// packed in lo and hi.
func kindOfName(lo, hi uint64) uint8 {
	for h := kindHash(lo, hi); ; h = (h + 1) % uint64(len(kindTable)) {
		e := &kindTable[h]
		if e.lo == lo && e.hi == hi {
			return e.kind
		}
		if e.lo == 0 {
			return 0
		}
	}
}

// InPre reports whether the end of the HTML b lies inside a <pre>,
// <textarea>, <script> or <style> element, where whitespace is content and
// CompactHTML must not be used on what follows.
func InPre(b []byte) bool {
	raw := 0
	for i := 0; i < len(b); {
		k := bytes.IndexByte(b[i:], '<')
		if k < 0 {
			break
		}
		j := i + k
		n, kind, closing := readTag(b[j:])
		if n == 0 {
			i = j + 1
			continue
		}
		if kind&kindRaw != 0 {
			if closing {
				raw = max(raw-1, 0)
			} else {
				raw++
			}
		}
		i = j + n
	}
	return raw > 0
}

// rewrites reports whether the HTML minifier would rewrite what the
// opening tag tag (of the given kind) starts: an inline style sheet or
// script (but JSON-LD), or a style or event handler attribute: " style=",
// or " on" and a lower case name and '=', anywhere in the tag. Both end in
// '=', which is rarer in a tag than ' ' (one an attribute, where a value
// may hold many spaces), so the search is for each '=' and what is
// before it.
func rewrites(tag []byte, kind uint8) bool {
	switch {
	case kind&kindStyle != 0:
		return true
	case kind&kindScript != 0 && !bytes.Contains(tag, []byte(" src=")) && !bytes.Contains(tag, []byte(`type="application/ld+json"`)):
		return true
	}
	for e := 0; ; e++ {
		k := indexByte(tag[e:], '=')
		if k < 0 {
			return false
		}
		e += k
		if e >= 6 && string(tag[e-6:e]) == " style" {
			return true
		}
		// The lower case letters before the '=', from r: " on…" with
		// at least one letter after "on".
		r := e
		for r > 0 && tag[r-1] >= 'a' && tag[r-1] <= 'z' {
			r--
		}
		if r > 0 && tag[r-1] == ' ' && e-r >= 3 && tag[r] == 'o' && tag[r+1] == 'n' {
			return true
		}
	}
}

// hasComment reports whether b holds "<!--", searching for the '!', which
// is rare in HTML.
func hasComment(b []byte) bool {
	for i := 0; ; i++ {
		k := bytes.IndexByte(b[i:], '!')
		if k < 0 {
			return false
		}
		i += k
		if i > 0 && b[i-1] == '<' && i+2 < len(b) && b[i+1] == '-' && b[i+2] == '-' {
			return true
		}
	}
}

// indexByte is bytes.IndexByte for a byte that is often near: it looks at
// eight bytes at a time for the first 64 before handing the search over
// (the call costs more than a short search).
func indexByte(b []byte, c byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	pattern := ones * uint64(c)
	i := 0
	for ; i+8 <= len(b) && i < 32; i += 8 {
		// A byte of x is 0 where b holds c; the lowest high bit set
		// in t marks the first (borrows only ever mark bytes above it).
		x := binary.LittleEndian.Uint64(b[i:]) ^ pattern
		if t := (x - ones) &^ x & highs; t != 0 {
			return i + bits.TrailingZeros64(t)/8
		}
	}
	if k := bytes.IndexByte(b[i:], c); k >= 0 {
		return i + k
	}
	return -1
}
