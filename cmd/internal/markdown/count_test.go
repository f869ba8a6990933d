package markdown

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// feedOracle is counter.feed one character at a time, with nothing
// unrolled: the rules feed must follow. Letters and digits make words,
// ' and - leave a word going, general, CJK and full-width punctuation
// (’ among them) and everything else end it, and Han characters count one
// each and end it too.
func (c *counter) feedOracle(s []byte) {
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		s = s[n:]
		switch {
		case r == '\'' || r == '-':
		case r >= 0x2000 && r <= 0x206f, r >= 0x3000 && r <= 0x303f, r >= 0xff00 && r <= 0xff0f, r >= 0xff1a && r <= 0xff20:
			c.inWord = false
		case isHan(r):
			c.han++
			c.inWord = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !c.inWord {
				c.words++
				c.inWord = true
			}
		default:
			c.inWord = false
		}
	}
}

// countSeeds are texts for the counting tests: every kind of byte feed
// treats apart, at every offset from an 8-byte boundary.
func countSeeds(t testing.TB) []string {
	out := []string{
		"", "a", "ab cd", "don't high-quality 'quoted' -dash- a--b a - b", "first-hand, “quoted” and ‘single’",
		"abcdefgh ijklmnop qrstuvwx", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "@[`{/:", "a'b'c'd'e'f'g'h'i'j", "-'-'-'-'-'-'x",
		"12345678-1234'5678 x_y_z", "tab\there\nnew\rline", "\x00\x7f\x01",
		"中文文本，没有转义。", "一丁七万丈三上下", "鿿龥", "㐀𠀀", "かなカナ한글", "中a文b", "a中", "中文-中文'中文",
		"e\u0301t\u00e9 na\u00efve Ελληνικά русский", "\u2019’\u2014—\u3001、\uff0c，\uff1a：\uff08（",
		"\xe4\xb8", "\xe4\xb8\xad\xe4", "\xe0\x80\x80", "\xed\xa0\x80", "\xef\xbf\xbd", "\xff\xfe", "\xe4\xb7\xbf", "\xe4\xb8\xffabc",
		"１２３ＡＢＣａｂｃ", "2023年12月22日", "110万、",
	}
	for _, s := range seeds(t) {
		out = append(out, s)
	}
	return out
}

func checkFeed(t *testing.T, s string) {
	for pre := range 9 { // every alignment, and a word or none going in
		for _, in := range []bool{false, true} {
			src := []byte(strings.Repeat(" ", pre) + s)
			got, want := counter{inWord: in}, counter{inWord: in}
			got.feed(src)
			want.feedOracle(src)
			if got != want {
				t.Fatalf("feed(%q) from inWord=%v = %+v; feedOracle gives %+v", src, in, got, want)
			}
		}
	}
	// Fed in two pieces, cut anywhere (even inside a character).
	for cut := 0; cut <= len(s) && cut < 40; cut++ {
		var got, want counter
		got.feed([]byte(s[:cut]))
		got.feed([]byte(s[cut:]))
		want.feedOracle([]byte(s[:cut]))
		want.feedOracle([]byte(s[cut:]))
		if got != want {
			t.Fatalf("feed(%q) in two at %d = %+v; feedOracle gives %+v", s, cut, got, want)
		}
	}
}

func TestFeedMatchesOracle(t *testing.T) {
	for _, s := range countSeeds(t) {
		checkFeed(t, s)
	}
}

func FuzzFeed(f *testing.F) {
	for _, s := range countSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(checkFeed)
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
