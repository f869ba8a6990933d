package content

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"dateline/cmd/internal/corpus"
)

// checkPlainYAML fails when plainYAML accepts YAML front matter (the text
// between the delimiters) and decodes it differently from goccy/go-yaml,
// or touches d when it does not accept it. ParseEdition's result depends
// only on the decoded value, so equal decoded values mean equal editions
// and equal problems.
func checkPlainYAML(t *testing.T, data []byte) bool {
	t.Helper()
	// ParseEdition hands on valid UTF-8 only, and checks the size and
	// nesting before either path runs.
	if !utf8.Valid(data) || len(data) > maxFrontMatter || tooDeep(data) > 0 {
		return false
	}
	plain := &decoded{base: 3, file: zhFile, format: "YAML"}
	if !plainYAML(plain, data) {
		if !reflect.DeepEqual(plain, &decoded{base: 3, file: zhFile, format: "YAML"}) {
			t.Errorf("plainYAML(%q) refused but changed d: %+v", data, plain)
		}
		return false
	}
	goccy := &decoded{base: 3, file: zhFile, format: "YAML"}
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("plainYAML(%q) accepted what makes goccy panic: %v", data, r)
			}
		}()
		goccyYAML(goccy, data)
	}()
	if !reflect.DeepEqual(plain, goccy) {
		t.Errorf("plainYAML(%q):\n fields %#v\n lines  %v\n problems %v bad %v\nwant (goccy):\n fields %#v\n lines  %v\n problems %v bad %v",
			data, plain.fields, plain.lines, plain.problems, plain.bad, goccy.fields, goccy.lines, goccy.problems, goccy.bad)
	}
	return true
}

// frontMatterOf returns the YAML between the delimiters of an edition
// file, or nil.
func frontMatterOf(file []byte) []byte {
	open, _, fm, end := frontMatterEnd(file)
	if open != "---" || end < 0 {
		return nil
	}
	return fm
}

// realFrontMatter is the front matter of the sample site, the test
// editions and a generated corpus: what plainYAML must read itself.
func realFrontMatter(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	for _, pat := range []string{"../../../content/*/*.md", "testdata/editions/*.md"} {
		names, _ := filepath.Glob(pat)
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if fm := frontMatterOf(dropCR(data)); fm != nil {
				out[name] = fm
			}
		}
	}
	for name, data := range corpus.Generate(40, 1) {
		if strings.HasSuffix(name, ".md") {
			out[name] = frontMatterOf(data)
		}
	}
	if len(out) < 40 {
		t.Fatalf("only %d front matters found", len(out))
	}
	return out
}

func TestPlainYAMLReadsRealFrontMatter(t *testing.T) {
	for name, fm := range realFrontMatter(t) {
		if !checkPlainYAML(t, fm) {
			t.Errorf("%s: plainYAML refused its front matter:\n%s", name, fm)
		}
	}
}

// plainCases are front matters that plainYAML reads (true) or leaves to
// goccy (false). Either way, a read must agree with goccy.
var plainCases = []struct {
	in     string
	accept bool
}{
	{"title: t\ndate: 2025-01-01\n", true},
	{"title: \"t\"\ndate: 2025-01-01T10:00:00+08:00\n", true},
	{"title: 'it''s'\n", true},
	{"title: \"a \\\"b\\\" \\\\ c\"\n", true},
	{"title: \"a\\nb\"\n", false},
	{"title: 东关夜市搬家之后\nsubtitle: a: b\n", false},
	{"title: a #b\n# comment\n\ndraft: true\n", true},
	{"title: a#b\ndraft: False\nsubtitle: ~\ncredit:\nsummary: null\n", true},
	{"draft: yes\n", true},
	{"draft: 1\n", false},
	{"title: 1984\n", false},
	{"title: 12.5\n", false},
	{"title: .inf\n", false},
	{"title: 0x1f\n", false},
	{"title: 99999999999999999999999\n", true}, // goccy: out of range, a string
	{"title: -1\n", false},
	{"tags: [a, b c, \"d\", 'e']\n", true},
	{"tags: []\n", true},
	{"tags: [a, 3]\n", false},
	{"tags: [a, ]\n", false},
	{"tags: [a\n", false},
	{"tags: [a, [b]]\n", false},
	{"tags: [a: b]\n", false},
	{"tags:\n  - a\n  - b\n", true},
	{"tags:\n- a\n- b\ntitle: t\n", true},
	{"tags:\n  -\n  - b\n", false},
	{"tags:\n  - a\n    b\n", false},
	{"authors:\n  - name: Li Ming\n    role: Text\n  - name: Zhou\n    role: Photos\n", true},
	{"authors:\n  - name: A\n    rol: x\n  - role: photos\n  - \"\"\n", true},
	{"authors:\n  - name: A\n    name: B\n", false},
	{"authors:\n  - name: A\n     role: x\n", false},
	{"authors:\n  -   name: A\n      role: x\n", true},
	{"authors:\n  - [x]\n", false},
	{"authors:\n  - name:\n      first: A\n", false},
	{"hero:\n  src: photos/a.jpg\n  alt: A river, between dikes\n  caption: \"x\"\n", true},
	{"hero:\n  src: a.jpg\n  src: b.jpg\n", false},
	{"hero:\n  src: a.jpg\n  alt: [x]\n", true},
	{"hero:\n  src: a.jpg\n   alt: x\n", false},
	{"hero:\n  src:\n    deeper: x\n", false},
	{"corrections:\n  - date: 2021-06-20\n    text: It was built in 1978.\n", true},
	{"title: a\ntitle: b\n", false},
	{"title: a\n  continued\n", false},
	{"  title: a\n", false},
	{"title: &x a\n", false},
	{"title: *x\n", false},
	{"title: !!str a\n", false},
	{"title: |\n  a\n", false},
	{"title: >\n  a\n", false},
	{"\"title\": a\n", false},
	{"title : a\n", false},
	{"title:a\n", false},
	{"<<: {a: b}\n", false},
	{"- a\n", false},
	{"title: a\n...\n", false},
	{"title: a\tb\n", false},
	{"title: a\u2028b\n", false},
	{"true: a\n", false},
	{"", false},
	{"# only a comment\n", false},
	{"title: a", true},
	{"title:   \ndate: 2025-01-01   \n\n\n", true},
	{"title: # c\ndate: x\n", true},
	{"title: a\n  # c\ndate: x\n", true},
	{"hero:\n  # c\n  src: a\n", true},
	{"authors:\n  # c\n  - a\n", true},
	{"authors:\n  - name: a\n  # c\n    role: b\n", true},
	{"tags: [a] # c\ntitle: 'a' # c\n", true},
	{"tags: [a]# c\n", false},
	{"title: 'a'# c\n", false},
	{"title: \"a\" b\n", false},
	{"authors:\n  - name:\n    role: x\n", true},
	{"authors:\n  - name:\n  - name: b\n", true},
	{"authors:\n- name: a\n  role: b\ntitle: t\n", true},
	{"tags:\n  - a\n  b: c\n", false},
	{"hero:\n  src: a\n  - x\n", false},
	{"hero:\n  src:\n  - a\n", false},
	{"hero:\n  src:\n  alt: x\n", true},
	{"title:\n  zh: a\n  en: b\n", true},
	// Indicators inside plain text are text in block context.
	{"summary: a [b] {c}, d ] e\ntitle: x'y \"z\" a - b ? c & d * e ! f | g > h % i @ j ` k\n", true},
	{"title: C# and 1e3 and 12:30 and 1.2.3 and _1\ncredit: 1e3\ndateline: 12:30\nsummary: _1\n", true},
	{"title: 0\n", false},
	{"title: +.5\n", false},
	{"title: 1_000\n", false},
	{"title: ---\n", false},
	{"title: ...\n", true},
	{"title: \u00a0x\u3000\nsubtitle: tRUE\ncredit: ~x\n", true},
	{"title: a # b # c\nsubtitle: 'a' #\ncredit: a #\n", true},
	{"title: 'a' 'b'\n", false},
	{"authors:\n  - a\n  - name: b\n", true},
	{"authors:\n\n  - name: a\n\n    role: b\n\n  - c\n", true},
	{"hero:\n  src: a\n title: t\n", false},
	{"a-b: x\na_b: x\nA: x\na1: x\n_: x\na-: x\n", true},
}

func TestPlainYAML(t *testing.T) {
	for _, c := range plainCases {
		if got := checkPlainYAML(t, []byte(c.in)); got != c.accept {
			t.Errorf("plainYAML(%q) accepted = %v; want %v", c.in, got, c.accept)
		}
	}
}

// TestPlainYAMLRandom runs FuzzPlainYAML's check on pseudo-random front
// matter from fragments, the same inputs on every run.
func TestPlainYAMLRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 1))
	n, accepted := 20000, 0
	if testing.Short() {
		n = 2000
	}
	for range n {
		data := make([]byte, 3*(1+r.IntN(10)))
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		if checkPlainYAML(t, fragments(data)) {
			accepted++
		}
		if t.Failed() {
			return
		}
	}
	if accepted < n/200 {
		t.Errorf("plainYAML accepted %d of %d inputs; the test tests little", accepted, n)
	}
}

// FuzzPlainYAML checks that for every input plainYAML accepts, the result
// is the one goccy/go-yaml gives: the same fields, values, lines and
// problems. Each input is tried as it is, and as choices of the pieces of
// front matter in fragments (so that most tries look like front matter).
// Seeds are the real front matter and the cases above.
func FuzzPlainYAML(f *testing.F) {
	for _, fm := range realFrontMatter(f) {
		f.Add(fm)
	}
	for _, c := range plainCases {
		f.Add([]byte(c.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkPlainYAML(t, data)
		checkPlainYAML(t, fragments(data))
	})
}

// fragments builds front matter from data, one byte per choice.
func fragments(data []byte) []byte {
	var indents = []string{"", "", "", "", "", "", "  ", "  ", "  ", "  - ", "  - ", "    ", "    ", "- ", " ", "   ", "      ", "    - ", "  -   "}
	var keys = []string{"title", "date", "tags", "authors", "hero", "name", "role", "src", "a", "B_1", "true", "null", "x-y", "\"k\"", "? k", "<<", "-", "", "#"}
	var values = []string{"", " ", " x", " x y", " 'a''b'", " 'a'b'", " \"a\\\"b\"", " \"a\\nb\"", " \"\"", " ''", " [a, b]", " [a, 'b', \"c\"]",
		" []", " [ ]", " [a,b]", " [a, [b]]", " [a, ]", " [a", " {a: b}", " 2025-01-01", " 2025-01-01T10:00:00+08:00", " 12", " 1.5", " 0x1f", " 0o7", " +1",
		" 1_000", " .5", " true", " True", " yes", " ~", " null", " NULL", " .inf", " a #c", " a#c", " a: b", " a:", " a:b", " #c", " -x", " - x", " &a x",
		" *a", " !!str x", " |", " >", " x ", " 东关 夜市", " a, b", " 'x' y", " \"x\" #c", " \"x\"y", " @x", " %x", " a\u00a0b", " [a #b]", " [\"a,b\"]", " [a b, c]"}
	var b []byte
	for i := 0; i+2 < len(data); i += 3 {
		in := indents[int(data[i])%len(indents)]
		b = append(b, in...)
		k := keys[int(data[i+1]>>1)%len(keys)]
		v := values[int(data[i+2])%len(values)]
		switch {
		case strings.Contains(in, "-") && data[i+1]&1 != 0, data[i+1]%16 == 0:
			b = append(b, strings.TrimPrefix(v, " ")...) // a list item or a bare scalar
		case k == "#":
			b = append(b, "# note"...)
		default:
			b = append(b, k+":"+v...)
		}
		b = append(b, '\n')
	}
	return b
}

// BenchmarkDecodeYAML reads the front matter of generated editions with
// plainYAML and with goccy/go-yaml.
func BenchmarkDecodeYAML(b *testing.B) {
	var fms [][]byte
	for name, data := range corpus.Generate(20, 1) {
		if strings.HasSuffix(name, ".md") {
			fms = append(fms, frontMatterOf(data))
		}
	}
	for _, bc := range []struct {
		name   string
		decode func(*decoded, []byte) bool
	}{
		{"plain", plainYAML},
		{"goccy", func(d *decoded, data []byte) bool { goccyYAML(d, data); return true }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			n, size := 0, 0
			for b.Loop() {
				fm := fms[n%len(fms)]
				if d := (decoded{base: 1}); !bc.decode(&d, fm) || len(d.fields) == 0 {
					b.Fatalf("%s refused %q", bc.name, fm)
				}
				n++
				size += len(fm)
			}
			b.ReportMetric(float64(size)/b.Elapsed().Seconds()/1e6, "MB/s")
		})
	}
}
