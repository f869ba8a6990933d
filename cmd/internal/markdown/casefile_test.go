package markdown

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark/testutil"
)

var update = flag.Bool("update", false, "rewrite the expected HTML of testdata/*.txt")

const (
	attributeSeparator = "//- - - - - - - - -//"
	caseSeparator      = "//= = = = = = = = = = = = = = = = = = = = = = = =//"
)

// envFor picks the Env of a case file: English for *_en.txt, else Chinese.
func envFor(file string) Env {
	if strings.HasSuffix(file, "_en.txt") {
		return testEnv("en")
	}
	return testEnv("zh")
}

// TestCaseFiles runs testdata/*.txt in goldmark's case-file format. Run one
// case with: go test -run 'TestCaseFiles/stops_zh' -args case=3
func TestCaseFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	c := New()
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			if *update {
				rewriteCaseFile(t, c, file)
			}
			testutil.DoTestCaseFile(testMarkdown{c, envFor(file)}, file, t, testutil.ParseCliCaseArg()...)
		})
	}
}

// caseSources reads the cases of a case file: their Markdown as the
// converter sees it (escapes applied when the case asks for them).
func caseSources(t testing.TB, file string) []string {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range splitCases(string(data)) {
		out = append(out, c.source())
	}
	return out
}

type caseFileEntry struct {
	header, options string
	markdown        []string
	expected        []string
}

func (c caseFileEntry) source() string {
	md := strings.Join(c.markdown, "\n")
	if c.options == "" {
		return md
	}
	var o struct{ EnableEscape, Trim bool }
	_ = json.Unmarshal([]byte(strings.TrimSpace(strings.SplitN(c.options, ":", 2)[1])), &o)
	if o.Trim {
		md = strings.TrimSpace(md)
	}
	if o.EnableEscape {
		r := strings.NewReplacer(`\r`, "\r", `\n`, "\n", `\t`, "\t", `\\`, `\`)
		md = r.Replace(md)
	}
	return md
}

func splitCases(data string) []caseFileEntry {
	var cases []caseFileEntry
	lines := strings.Split(data, "\n")
	for i := 0; i < len(lines); {
		if strings.TrimSpace(lines[i]) == "" {
			i++
			continue
		}
		c := caseFileEntry{header: lines[i]}
		i++
		if i < len(lines) && strings.HasPrefix(strings.ToUpper(strings.TrimSpace(lines[i])), "OPTIONS:") {
			c.options = lines[i]
			i++
		}
		i++ // attribute separator
		for i < len(lines) && lines[i] != attributeSeparator {
			c.markdown = append(c.markdown, lines[i])
			i++
		}
		i++
		for i < len(lines) && lines[i] != caseSeparator {
			c.expected = append(c.expected, lines[i])
			i++
		}
		i++
		cases = append(cases, c)
	}
	return cases
}

// rewriteCaseFile replaces the expected HTML of every case of file with
// what c renders now.
func rewriteCaseFile(t *testing.T, c *Converter, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for i, cs := range splitCases(string(data)) {
		if i > 0 {
			b.WriteString("\n\n")
		}
		var out bytes.Buffer
		if err := c.Parse([]byte(cs.source()), envFor(file)).Render(&out); err != nil {
			t.Fatal(err)
		}
		b.WriteString(cs.header + "\n")
		if cs.options != "" {
			b.WriteString(cs.options + "\n")
		}
		b.WriteString(attributeSeparator + "\n")
		for _, l := range cs.markdown {
			b.WriteString(l + "\n")
		}
		b.WriteString(attributeSeparator + "\n")
		if s := strings.TrimRight(out.String(), "\n"); s != "" {
			b.WriteString(s + "\n")
		}
		b.WriteString(caseSeparator)
	}
	b.WriteString("\n")
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
