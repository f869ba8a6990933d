package markdown

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// feedCases are what counter.feed counts in a text fed whole: from outside
// a word (han, words, in after) and from inside one (wordsIn, inAfterIn).
// They hold every kind of byte feed treats apart, and feedProperties shifts
// each to every offset from an 8-byte boundary.
var feedCases = []struct {
	text                string
	han, words, wordsIn int
	inAfter, inAfterIn  bool
}{
	{"", 0, 0, 0, false, true},
	{"a", 0, 1, 0, true, true},
	{"ab cd", 0, 2, 1, true, true},
	{"don't high-quality 'quoted' -dash- a--b a - b", 0, 7, 6, true, true},
	{"first-hand, “quoted” and ‘single’", 0, 4, 3, false, false},
	{"abcdefgh ijklmnop qrstuvwx", 0, 3, 2, true, true},
	{"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 0, 1, 0, true, true},
	{"@[`{/:", 0, 0, 0, false, false},
	{"a'b'c'd'e'f'g'h'i'j", 0, 1, 0, true, true},
	{"-'-'-'-'-'-'x", 0, 1, 0, true, true},
	{"12345678-1234'5678 x_y_z", 0, 4, 3, true, true},
	{"tab\there\nnew\rline", 0, 4, 3, true, true},
	{"\x00\x7f\x01", 0, 0, 0, false, false},
	{"中文文本，没有转义。", 8, 0, 0, false, false},
	{"一丁七万丈三上下", 8, 0, 0, false, false}, // U+4E00…: the first Han characters
	{"鿿龥", 2, 0, 0, false, false},       // U+9FFF, the last of the block
	{"㐀𠀀", 2, 0, 0, false, false},       // extensions A and B
	{"䷿", 0, 0, 0, false, false},        // U+4DFF, a hexagram just before the block
	{"かなカナ한글", 6, 0, 0, false, false},   // kana and hangul count as Han does
	{"中a文b", 2, 2, 2, true, true},
	{"a中", 1, 1, 0, false, false},
	{"中文-中文'中文", 6, 0, 0, false, false},
	{"2023年12月22日", 3, 3, 2, false, false},
	{"110万、", 1, 1, 0, false, false},
	{"１２３ＡＢＣａｂｃ", 0, 1, 0, true, true}, // full-width digits and letters
	{"’’——、、，，：：（（", 0, 0, 0, false, false},
	{"été naïve Ελληνικά русский", 0, 4, 3, true, true},
	{"e\u0301te\u0301 nai\u0308ve", 0, 2, 1, true, true}, // decomposed: the accents stay in their words
	{"\u0301a", 0, 1, 0, true, true},                     // a mark keeps the state it finds
	// Broken UTF-8: a cut sequence, overlong and surrogate forms, stray
	// bytes. Each ends a word and counts nothing.
	{"\xe4\xb8", 0, 0, 0, false, false},
	{"中\xe4", 1, 0, 0, false, false},
	{"\xe0\x80\x80", 0, 0, 0, false, false},
	{"\xed\xa0\x80", 0, 0, 0, false, false},
	{"\xef\xbf\xbd", 0, 0, 0, false, false},
	{"\xff\xfe", 0, 0, 0, false, false},
	{"\xe4\xb8\xffabc", 0, 1, 1, true, true},
	{"ab\xffcd", 0, 2, 1, true, true},
}

func TestFeed(t *testing.T) {
	for _, tt := range feedCases {
		for _, in := range []bool{false, true} {
			c := counter{inWord: in}
			c.feed([]byte(tt.text))
			words, after := tt.words, tt.inAfter
			if in {
				words, after = tt.wordsIn, tt.inAfterIn
			}
			if c.han != tt.han || c.words != words || c.inWord != after {
				t.Errorf("feed(%q) from inWord=%v: han %d, words %d, inWord %v; want %d, %d, %v",
					tt.text, in, c.han, c.words, c.inWord, tt.han, words, after)
			}
		}
		feedProperties(t, tt.text)
	}
}

// asciiWord is a word of ASCII text by regexp: a run of letters, digits,
// ' and - with a letter or a digit in it.
var asciiWord = regexp.MustCompile(`[A-Za-z0-9'-]*[A-Za-z0-9][A-Za-z0-9'-]*`)

// feedProperties checks what must hold of any text s, whatever it counts:
// spaces before it change nothing (which moves s across the eight-byte
// steps of the ASCII path), feeding it in two pieces cut between
// characters counts as feeding it whole, and in s made ASCII (the high
// bit of each byte dropped), the words are regexp's.
func feedProperties(t *testing.T, s string) {
	t.Helper()
	var whole counter
	whole.feed([]byte(s))
	for pre := 1; pre <= 8; pre++ {
		var c counter
		c.feed([]byte(strings.Repeat(" ", pre) + s))
		if c != whole {
			t.Fatalf("feed(%q) after %d spaces = %+v; fed alone %+v", s, pre, c, whole)
		}
	}
	for cut := 1; cut < len(s) && cut < 64; cut++ {
		if !utf8.RuneStart(s[cut]) {
			continue
		}
		var c counter
		c.feed([]byte(s[:cut]))
		c.feed([]byte(s[cut:]))
		if c != whole {
			t.Fatalf("feed(%q) in two at %d = %+v; whole %+v", s, cut, c, whole)
		}
	}
	ascii := []byte(s)
	for i := range ascii {
		ascii[i] &= 0x7f
	}
	var c counter
	c.feed(ascii)
	if want := len(asciiWord.FindAllIndex(ascii, -1)); c.han != 0 || c.words != want {
		t.Fatalf("feed(%q) = %d Han, %d words; regexp finds %d words", ascii, c.han, c.words, want)
	}
}

func FuzzFeed(f *testing.F) {
	for _, tt := range feedCases {
		f.Add(tt.text)
	}
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(feedProperties)
}

// BenchmarkFeed counts the bench reports' Markdown as one text.
func BenchmarkFeed(b *testing.B) {
	for _, lang := range []string{"zh", "en"} {
		src := []byte(benchReport(42, lang))
		b.Run(lang, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				var c counter
				c.feed(src)
			}
		})
	}
}
