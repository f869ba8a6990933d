package content

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"dateline/cmd/internal/corpus"
)

// oldInvalidUTF8 is invalidUTF8 as it was before validUTF8, the oracle of
// the tests below.
func oldInvalidUTF8(data []byte) int {
	if utf8.Valid(data) {
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

// checkUTF8 compares validUTF8 with utf8.Valid, and invalidUTF8 with the
// old one, on data.
func checkUTF8(t *testing.T, data []byte) {
	t.Helper()
	if got, want := validUTF8(data), utf8.Valid(data); got != want {
		t.Fatalf("validUTF8(%q) = %v; utf8.Valid says %v", data, got, want)
	}
	if got, want := invalidUTF8(data), oldInvalidUTF8(data); got != want {
		t.Fatalf("invalidUTF8(%q) = %d; want %d", data, got, want)
	}
}

// TestValidUTF8Sequences tries every sequence of one to three bytes
// starting with a non-ASCII byte (but only bytes at the edges of the ranges
// after a second byte that is no continuation byte), alone and followed by
// an ASCII byte, and four-byte sequences whose last byte is at the edges.
func TestValidUTF8Sequences(t *testing.T) {
	edges := []byte{0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	var b [8]byte
	for b0 := 0x80; b0 < 0x100; b0++ {
		b[0] = byte(b0)
		checkUTF8(t, b[:1])
		for b1 := range 0x100 {
			b[1] = byte(b1)
			checkUTF8(t, b[:2])
			if testing.Short() && b1%7 != 0 {
				continue
			}
			thirds := edges // after a byte that ends the character, any
			if b1&0xC0 == 0x80 {
				thirds = all
			}
			for _, b2 := range thirds {
				b[2] = b2
				b[3] = 'a'
				checkUTF8(t, b[:3])
				checkUTF8(t, b[:4])
				if b0 >= 0xf0 {
					for _, b3 := range edges {
						b[3] = b3
						checkUTF8(t, b[:4])
					}
				}
			}
		}
	}
}

// TestValidUTF8Pairs puts every pair of bytes at every offset of an
// eight-byte word, after ASCII or Chinese text and before none, one or two
// continuation bytes, so that wordUTF8 sees every lead byte and what
// follows it, in its word and across into the next.
func TestValidUTF8Pairs(t *testing.T) {
	heads := []string{"abcdefgh", "中文中文中文", "a中文中文中文"}
	tails := []string{"abcdefghijklmnop", "\x80abcdefghijklmnop", "\x80\x80中文中文中文中文", "\xbf\x80\x80中文中文中文中文"}
	step := 1
	if testing.Short() {
		step = 5
	}
	b := make([]byte, 0, 64)
	for _, head := range heads {
		for k := range 8 {
			if k <= len(head) && !utf8.ValidString(head[:k]) {
				continue
			}
			for b0 := 0; b0 < 0x100; b0 += step {
				for b1 := range 0x100 {
					for _, tail := range tails {
						b = append(append(append(b[:0], head[:k]...), byte(b0), byte(b1)), tail...)
						checkUTF8(t, b)
					}
				}
			}
		}
	}
}

// TestValidUTF8Texts checks real reports, each cut at every offset near
// its start and end and with a byte changed, so that every alignment of
// the eight-byte and four-byte loads meets the edges.
func TestValidUTF8Texts(t *testing.T) {
	texts := [][]byte{
		[]byte(""), []byte("a"), []byte("中"), []byte("中文a"), []byte("𝄞 music"), []byte("\u2028 \uFEFF \u00e9\u0800\uffff"),
		[]byte("a\xed\x9f\xbf\xed\xa0\x80"), []byte("\xe0\xa0\x80\xe0\x9f\xbf中中中中"), []byte(strings.Repeat("东关夜市", 20) + "\xe4\xb8"),
	}
	for name, data := range corpus.Generate(4, 1) {
		if strings.HasSuffix(name, ".md") {
			texts = append(texts, data)
		}
	}
	r := rand.New(rand.NewPCG(8, 1))
	for _, text := range texts {
		for cut := range min(len(text), 40) {
			checkUTF8(t, text[cut:])
			checkUTF8(t, text[:len(text)-cut])
		}
		for range 200 {
			if len(text) == 0 {
				break
			}
			b := []byte(string(text))
			b[r.IntN(len(b))] = byte(r.Uint32())
			checkUTF8(t, b)
		}
	}
}

// TestValidUTF8Mixed checks pseudo-random strings of characters of every
// size and kind, at every alignment, most of them valid, some with one or
// two invalid pieces: the words validUTF8 leaves to runeUTF8, and the
// characters a word boundary cuts.
func TestValidUTF8Mixed(t *testing.T) {
	good := []string{"a", " ", "\n", "é", "\u0080", "\u07ff", "中", "，", "“", "\u0800", "\ud7ff", "\ue000", "\uffff", "𝄞", "\U00010000", "\U0010ffff"}
	bad := []string{"\x80", "\xbf", "\xc0\x80", "\xc1\xbf", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xe4\xb8", "\xc3", "\xf0\x9d\x84"}
	r := rand.New(rand.NewPCG(8, 2))
	n := 200000
	if testing.Short() {
		n = 20000
	}
	for range n {
		var b []byte
		pieces := r.IntN(40)
		for range pieces {
			if r.IntN(50) == 0 {
				b = append(b, bad[r.IntN(len(bad))]...)
			} else if r.IntN(3) == 0 {
				b = append(b, good[r.IntN(len(good))]...)
			} else {
				b = append(b, good[6:9][r.IntN(3)]...) // mostly Chinese
			}
		}
		checkUTF8(t, b)
	}
}

// FuzzValidUTF8 compares validUTF8 and invalidUTF8 with the old code.
func FuzzValidUTF8(f *testing.F) {
	for _, s := range []string{"", "a", "中文", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "abcdefgh中文\xff", "东关夜市，“引号”"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkUTF8(t, data)
	})
}

// BenchmarkValidUTF8 checks generated reports, Chinese and English, with
// validUTF8 and with utf8.Valid.
func BenchmarkValidUTF8(b *testing.B) {
	var zh, en []byte
	for name, data := range corpus.Generate(50, 1) {
		switch {
		case strings.HasSuffix(name, "/zh.md"):
			zh = append(zh, data...)
		case strings.HasSuffix(name, "/en.md"):
			en = append(en, data...)
		}
	}
	for _, lang := range []struct {
		name string
		data []byte
	}{{"zh", zh}, {"en", en}} {
		for _, v := range []struct {
			name  string
			valid func([]byte) bool
		}{{"validUTF8", validUTF8}, {"utf8.Valid", utf8.Valid}} {
			b.Run(lang.name+"/"+v.name, func(b *testing.B) {
				b.SetBytes(int64(len(lang.data)))
				for b.Loop() {
					if !v.valid(lang.data) {
						b.Fatal("invalid")
					}
				}
			})
		}
	}
}
