package publish

// The implementation of CompactHTML, Compact and InPre as it was before
// they were made fast, kept word for word as the oracle the differential
// tests and fuzz targets hold them to (compact_diff_test.go).

import "bytes"

// compactOracle is compact as it was before it was made fast (a map
// lookup and a full scan of every tag, each whitespace run's neighbour
// scanned twice): the tests hold compact to its output, byte for byte.
// With strict set it stops, returning dst as it was and false, at a tag the
// minifier would rewrite.
func compactOracle(dst, src []byte, strict bool) ([]byte, bool) {
	start := len(dst)
	raw := 0        // depth inside elements whose whitespace is content
	inHead := false // whitespace in <head> never shows
	prevBlock := true
	i := 0
	for i < len(src) {
		if src[i] != '<' {
			// Text up to the next tag.
			j := len(src)
			if k := bytes.IndexByte(src[i:], '<'); k >= 0 {
				j = i + k
			}
			text := src[i:j]
			if raw == 0 && oracleSpaces(text) {
				nextBlock := j == len(src)
				if j < len(src) {
					_, kind, _ := scanTag(src[j:])
					nextBlock = kind&kindBlock != 0 || bytes.HasPrefix(src[j:], []byte("<!")) && !bytes.HasPrefix(src[j:], []byte("<!--"))
				}
				if prevBlock || nextBlock || inHead {
					i = j
					continue
				}
			}
			dst = append(dst, text...)
			prevBlock = false
			i = j
			continue
		}
		if raw == 0 && bytes.HasPrefix(src[i:], []byte("<!")) && !bytes.HasPrefix(src[i:], []byte("<!--")) {
			// A declaration (<!doctype html>): markup that shows nothing.
			if j := bytes.IndexByte(src[i:], '>'); j >= 0 {
				dst = append(dst, src[i:i+j+1]...)
				prevBlock = true
				i += j + 1
				continue
			}
		}
		n, kind, closing := scanTag(src[i:])
		if n == 0 {
			// A lone '<' (never written by goldmark, which escapes it): text.
			dst = append(dst, '<')
			prevBlock = false
			i++
			continue
		}
		if strict && !closing && minifierTag(src[i:i+n], kind) {
			return dst[:start], false
		}
		dst = append(dst, src[i:i+n]...)
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
	return dst, true
}

// scanTag reads a tag at the start of b: its length (0 when b does not
// start with one), what kind of element it opens or closes, and whether it
// closes one. Quoted attribute values may hold '>'.
func scanTag(b []byte) (n int, kind uint8, closing bool) {
	if len(b) < 3 || b[0] != '<' {
		return 0, 0, false
	}
	i := 1
	if b[i] == '/' {
		closing = true
		i++
	}
	start := i
	for i < len(b) && (b[i] >= 'a' && b[i] <= 'z' || b[i] >= 'A' && b[i] <= 'Z' || b[i] >= '0' && b[i] <= '9' && i > start || b[i] == '-' && i > start) {
		i++
	}
	if i == start {
		return 0, 0, false
	}
	kind = kindOf(b[start:i])
	for i < len(b) {
		k := bytes.IndexAny(b[i:], "\"'>")
		if k < 0 {
			break
		}
		i += k
		if b[i] == '>' {
			return i + 1, kind, closing
		}
		q := bytes.IndexByte(b[i+1:], b[i])
		if q < 0 {
			break
		}
		i += q + 2
	}
	return 0, 0, false
}

var tagKinds = map[string]uint8{
	"pre": kindBlock | kindRaw, "textarea": kindRaw, "script": kindRaw | kindScript, "style": kindRaw | kindStyle,
	"head": kindBlock | kindHead,
}

func init() {
	for _, name := range []string{"html", "body", "title", "meta", "link", "base",
		"address", "article", "aside", "blockquote", "caption", "col", "colgroup", "dd", "details", "dialog",
		"div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
		"header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "section", "summary", "table", "tbody",
		"td", "tfoot", "th", "thead", "tr", "ul"} {
		tagKinds[name] |= kindBlock
	}
}

// kindOf returns the kind of the element named name, in any case, without
// allocating.
func kindOf(name []byte) uint8 {
	var lower [16]byte
	if len(name) > len(lower) {
		return 0
	}
	for i, c := range name {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return tagKinds[string(lower[:len(name)])]
}

// inPreOracle is InPre as it was, the tests' oracle for it.
func inPreOracle(b []byte) bool {
	raw := 0
	for i := 0; i < len(b); {
		k := bytes.IndexByte(b[i:], '<')
		if k < 0 {
			break
		}
		j := i + k
		n, kind, closing := scanTag(b[j:])
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

// minifierTag reports whether the HTML minifier would rewrite what the
// opening tag tag (of the given kind) starts: an inline style sheet or
// script (but JSON-LD), or a style or event handler attribute.
func minifierTag(tag []byte, kind uint8) bool {
	switch {
	case kind&kindStyle != 0:
		return true
	case kind&kindScript != 0 && !bytes.Contains(tag, []byte(" src=")) && !bytes.Contains(tag, []byte(`type="application/ld+json"`)):
		return true
	}
	return bytes.Contains(tag, []byte(" style=")) || bytes.Contains(tag, []byte(" on")) && onHandler(tag)
}

// onHandler reports whether a tag has an event handler attribute (onclick=…).
func onHandler(tag []byte) bool {
	for k := 0; ; {
		j := bytes.Index(tag[k:], []byte(" on"))
		if j < 0 {
			return false
		}
		k += j + 3
		e := k
		for e < len(tag) && tag[e] >= 'a' && tag[e] <= 'z' {
			e++
		}
		if e > k && e < len(tag) && tag[e] == '=' {
			return true
		}
	}
}

func oracleSpaces(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\n' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}
