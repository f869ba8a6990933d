package theme

// The escapers html/template adds to a layout's actions, for compiled
// layouts (compile.go). Each gives, for the values layouts print (strings,
// template.HTML, ints, bools), the bytes html/template's escaper of the same
// name gives; anything else stops the compiled run (errSlow) and the page
// is left to html/template. TestEscapers holds every one to html/template
// itself, in the context that calls it.

import (
	"bytes"
	"reflect"
	"strings"
)

// An escaper turns a printed value into text safe where it is printed.
type escaper struct {
	// str gives the escaped text of s; isHTML tells whether s is a
	// template.HTML.
	str func(s string, isHTML bool) (string, error)
	// write, when set, appends the escaped text to b without a string in
	// between.
	write func(b *bytes.Buffer, s string, isHTML bool) error
}

var escapers = map[string]escaper{
	// Text: HTML passes through, anything else is escaped.
	"_html_template_htmlescaper": {
		str: func(s string, isHTML bool) (string, error) {
			if isHTML {
				return s, nil
			}
			return escapeString(s, true), nil
		},
		write: func(b *bytes.Buffer, s string, isHTML bool) error {
			if isHTML {
				b.WriteString(s)
			} else {
				escapeTo(b, s, true)
			}
			return nil
		},
	},
	// Quoted attribute values. html/template strips the tags of HTML
	// here; that is left to it.
	"_html_template_attrescaper": {
		str: func(s string, isHTML bool) (string, error) {
			if isHTML {
				return "", errSlow
			}
			return escapeString(s, true), nil
		},
		write: func(b *bytes.Buffer, s string, isHTML bool) error {
			if isHTML {
				return errSlow
			}
			escapeTo(b, s, true)
			return nil
		},
	},
	// <title> and <textarea>: HTML keeps its character references.
	"_html_template_rcdataescaper": {
		str: func(s string, isHTML bool) (string, error) { return escapeString(s, !isHTML), nil },
		write: func(b *bytes.Buffer, s string, isHTML bool) error {
			escapeTo(b, s, !isHTML)
			return nil
		},
	},
	"_html_template_urlfilter": {
		str: func(s string, _ bool) (string, error) {
			if !safeURL(s) {
				return "#" + failsafe, nil
			}
			return s, nil
		},
	},
	"_html_template_urlnormalizer": {
		str: func(s string, _ bool) (string, error) { return urlString(s, true), nil },
	},
	"_html_template_urlescaper": {
		str: func(s string, _ bool) (string, error) { return urlString(s, false), nil },
	},
	"_html_template_srcsetescaper": {
		str: func(s string, _ bool) (string, error) { return srcset(s), nil },
	},
}

// failsafe is what html/template prints in place of an unsafe value.
const failsafe = "ZgotmplZ"

// escaperExpr compiles esc applied to in.
func escaperExpr(esc escaper, in expr) expr {
	arg := func(f *frame, dot reflect.Value) (string, bool, error) {
		if in.typ == stringType {
			s, err := in.stringOf(f, dot)
			return s, false, err
		}
		v, err := in.val(f, dot)
		if err != nil {
			return "", false, err
		}
		return printed(v)
	}
	e := expr{typ: stringType}
	e.str = func(f *frame, dot reflect.Value) (string, error) {
		s, isHTML, err := arg(f, dot)
		if err != nil {
			return "", err
		}
		return esc.str(s, isHTML)
	}
	e.val = func(f *frame, dot reflect.Value) (reflect.Value, error) {
		s, err := e.str(f, dot)
		return reflect.ValueOf(s), err
	}
	if esc.write != nil {
		e.write = func(f *frame, dot reflect.Value) error {
			s, isHTML, err := arg(f, dot)
			if err != nil {
				return err
			}
			return esc.write(f.out, s, isHTML)
		}
	}
	return e
}

// entity is the replacement of an ASCII byte in text and quoted attribute
// values, "" for none. NUL becomes U+FFFD; '+' is escaped because UTF-7
// readers could take it for the start of markup.
func entity(c byte, amp bool) string {
	switch c {
	case 0:
		return "\uFFFD"
	case '"':
		return "&#34;"
	case '&':
		if amp {
			return "&amp;"
		}
	case '\'':
		return "&#39;"
	case '+':
		return "&#43;"
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	}
	return ""
}

// escapeTo appends s to b with entity's replacements; amp tells whether
// '&' is replaced too. Bytes of multi-byte characters (and invalid ones)
// are all ≥ 0x80 and pass as they are.
func escapeTo(b *bytes.Buffer, s string, amp bool) {
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] > '>' {
			continue
		}
		if r := entity(s[i], amp); r != "" {
			b.WriteString(s[last:i])
			b.WriteString(r)
			last = i + 1
		}
	}
	b.WriteString(s[last:])
}

func escapeString(s string, amp bool) string {
	for i := 0; i < len(s); i++ {
		if s[i] <= '>' && entity(s[i], amp) != "" {
			var b bytes.Buffer
			b.Grow(len(s) + 16)
			escapeTo(&b, s, amp)
			return b.String()
		}
	}
	return s
}

// safeURL tells whether a URL is relative or uses http, https or mailto.
func safeURL(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || strings.Contains(scheme, "/") {
		return true
	}
	return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
}

// urlString percent-encodes the bytes of s that may not stand in a URL as
// they are. Letters, digits and -._~ always stay; with norm the reserved
// characters and existing escapes (%XX) stay too, so a URL keeps its
// meaning; without, s is one part of a URL and they are encoded.
func urlString(s string, norm bool) string {
	var b []byte
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlKeeps(s, i, norm) {
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(s)+16)
		}
		const hex = "0123456789abcdef"
		b = append(b, s[last:i]...)
		b = append(b, '%', hex[c>>4], hex[c&15])
		last = i + 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

func urlKeeps(s string, i int, norm bool) bool {
	c := s[i]
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	case c == '-' || c == '.' || c == '_' || c == '~':
		return true
	case c == '%':
		return norm && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2])
	case strings.IndexByte("!#$&*+,/:;=?@[]", c) >= 0:
		return norm
	}
	return false
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// srcset checks and normalizes each comma-separated candidate of a srcset
// value: a safe URL, then only spaces, letters and digits ("480w", "2x").
// A candidate that is not is replaced by "#ZgotmplZ".
func srcset(s string) string {
	var b strings.Builder
	for i, cand := range strings.Split(s, ",") {
		if i > 0 {
			b.WriteByte(',')
		}
		start := 0
		for start < len(cand) && htmlSpace(cand[start]) {
			start++
		}
		end := len(cand)
		for j := start; j < len(cand); j++ {
			if htmlSpace(cand[j]) {
				end = j
				break
			}
		}
		url, meta := cand[start:end], cand[end:]
		if safeURL(url) && plainMeta(meta) {
			b.WriteString(cand[:start])
			b.WriteString(urlString(url, true))
			b.WriteString(meta)
			continue
		}
		b.WriteString("#" + failsafe)
	}
	return b.String()
}

// htmlSpace is ASCII whitespace as HTML defines it.
func htmlSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func plainMeta(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(htmlSpace(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
