package content

import (
	"encoding/binary"
	"unicode/utf8"
)

// invalidUTF8 returns the offset of the first byte that is not valid UTF-8,
// or -1. Goldmark's CJK handling must never see such bytes.
//
// Almost every file is valid, so validUTF8 answers first; only a file it
// refuses is decoded rune by rune to find the offset for the message.
func invalidUTF8(data []byte) int {
	if validUTF8(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// validUTF8 is utf8.Valid, twice as fast on Chinese text
// (BenchmarkValidUTF8; TestValidUTF8Sequences, TestValidUTF8Texts and
// FuzzValidUTF8 compare the two). utf8.Valid branches on every multi-byte
// character, and Chinese text, CJK runs of a dozen characters between
// digits, links and Markdown, costs it a mispredicted branch at every
// change. validUTF8 checks eight bytes at a time without branching on
// them (wordUTF8) and skips ASCII as utf8.Valid does; a word holding a
// character it does not handle is checked a character at a time.
func validUTF8(p []byte) bool {
	const hi = 0x8080808080808080
	i, n := 0, len(p)
	for {
		var carry uint64 // the continuation bytes the next word must start with
		for i+8 <= n {
			w := binary.LittleEndian.Uint64(p[i:])
			if w&hi|carry == 0 {
				i += 8
				for i+32 <= n && (binary.LittleEndian.Uint64(p[i:])|binary.LittleEndian.Uint64(p[i+8:])|
					binary.LittleEndian.Uint64(p[i+16:])|binary.LittleEndian.Uint64(p[i+24:]))&hi == 0 {
					i += 32
				}
				continue
			}
			next, ok := wordUTF8(w, carry)
			if !ok {
				break
			}
			carry = next
			i += 8
		}
		if carry != 0 {
			// Back to the start of the character the word cut: its lead
			// byte is one or two bytes back, its other bytes checked.
			for p[i-1]&0xC0 == 0x80 {
				i--
			}
			i--
		}
		// Character by character past the word that failed, or to the end.
		for stop := min(i+8, n); i < stop; {
			size, ok := runeUTF8(p[i:])
			if !ok {
				return false
			}
			i += size
		}
		if i >= n {
			return true
		}
	}
}

// wordUTF8 checks the eight bytes of w (little-endian: the first byte is
// the lowest) as a piece of UTF-8 text made of ASCII, two-byte characters
// with lead bytes C2–DF, and three-byte characters with lead bytes E1–EC
// and EE–EF, whose continuation bytes may be any of 80–BF. Any other lead
// byte (C0 and C1, overlong; E0 and ED, which restrict their second byte;
// F0–FF, four bytes or invalid) fails the word, to be checked character by
// character. carry marks bit 7 of the first bytes of w that must be
// continuation bytes of a character begun in the word before; wordUTF8
// returns the same for the word after.
//
// Each byte's top bits say what it is: 0xxxxxxx ASCII, 10xxxxxx a
// continuation, 110xxxxx a lead of two bytes, 1110xxxx of three. The word
// is good when its continuation bytes are exactly those its leads and
// carry call for: one after each lead, a second after each three-byte
// lead. A lead where a continuation is due, or ASCII, fails the equality.
func wordUTF8(w, carry uint64) (next uint64, ok bool) {
	const (
		hi = 0x8080808080808080 // bit 7 of each byte
		lo = 0x0101010101010101
	)
	b7 := w & hi
	b6 := w << 1 & hi
	b5 := w << 2 & hi
	b4 := w << 3 & hi
	cont := b7 &^ b6 // 10xxxxxx
	lead := b7 & b6  // 11xxxxxx
	lead3 := lead & b5
	// Bytes to refuse: 1111xxxx, and C0, C1, E0, ED, each found by a zero
	// byte of w xor the value ((x-1) &^ x has bit 7 set only where x is 0,
	// or above a byte that is: enough to tell whether there is one).
	c0 := w&0xFEFEFEFEFEFEFEFE ^ 0xC0C0C0C0C0C0C0C0
	e0 := w ^ 0xE0E0E0E0E0E0E0E0
	ed := w ^ 0xEDEDEDEDEDEDEDED
	bad := lead3&b4 | (c0-lo)&^c0&hi | (e0-lo)&^e0&hi | (ed-lo)&^ed&hi
	if bad != 0 || lead<<8|lead3<<16|carry != cont {
		return 0, false
	}
	return lead>>56 | lead3>>48, true
}

// runeUTF8 checks the character at the start of p, as utf8.Valid does,
// and returns its size.
func runeUTF8(p []byte) (int, bool) {
	c := p[0]
	size := 0
	switch {
	case c < utf8.RuneSelf:
		return 1, true
	case c >= 0xC2 && c <= 0xDF:
		size = 2
	case c >= 0xE0 && c <= 0xEF:
		size = 3
	case c >= 0xF0 && c <= 0xF4:
		size = 4
	default:
		return 0, false
	}
	if size > len(p) {
		return 0, false
	}
	lo, hi := byte(0x80), byte(0xBF)
	switch c {
	case 0xE0:
		lo = 0xA0 // overlong below
	case 0xED:
		hi = 0x9F // surrogates above
	case 0xF0:
		lo = 0x90 // overlong below
	case 0xF4:
		hi = 0x8F // beyond U+10FFFF above
	}
	if b := p[1]; b < lo || b > hi {
		return 0, false
	}
	for _, b := range p[2:size] {
		if b&0xC0 != 0x80 {
			return 0, false
		}
	}
	return size, true
}
