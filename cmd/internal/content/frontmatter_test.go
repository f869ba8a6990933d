package content

import (
	"bytes"
	"errors"
	"testing"

	"github.com/adrg/frontmatter"
)

// adrgFrontMatter finds the front matter with github.com/adrg/frontmatter,
// which ParseEdition used before it found the delimiters itself: the open
// delimiter, the text handed to the format, and the rest.
func adrgFrontMatter(data []byte) (open string, fm, rest []byte, found bool) {
	capture := func(delim string) *frontmatter.Format {
		return frontmatter.NewFormat(delim, delim, func(b []byte, v any) error {
			open, fm = delim, bytes.Clone(b)
			return nil
		})
	}
	rest, err := frontmatter.Parse(bytes.NewReader(data), nil, capture("---"), capture("+++"))
	if errors.Is(err, frontmatter.ErrNotFound) || err == nil && open == "" {
		return "", nil, nil, false
	}
	return open, fm, rest, err == nil
}

// checkFrontMatterEnd compares frontMatterEnd with adrg/frontmatter.
func checkFrontMatterEnd(t *testing.T, data []byte) {
	t.Helper()
	open, _, fm, end := frontMatterEnd(data)
	aOpen, aFM, aRest, found := adrgFrontMatter(data)
	ours := (open == "---" || open == "+++") && end >= 0
	if ours != found {
		t.Fatalf("frontMatterEnd(%q) found = %v (open %q, end %d); adrg/frontmatter: %v", data, ours, open, end, found)
	}
	if !found {
		return
	}
	if open != aOpen || !bytes.Equal(fm, aFM) || !bytes.Equal(data[end:], aRest) {
		t.Errorf("frontMatterEnd(%q) = %q, %q, body %q; adrg/frontmatter: %q, %q, body %q",
			data, open, fm, data[end:], aOpen, aFM, aRest)
	}
}

var frontMatterCases = []string{
	"", "---", "---\n---", "---\n---\n", "+++\n+++\nbody", "\n\n  ---  \ntitle: t\n --- \nbody\n",
	"---\ntitle: t\n", "---\ntitle: t\n+++\n---", "+++\ntitle = 't'\n+++\n+++\n", "---\n\n---\n\nbody\n---\n",
	"# title\n---\n", "\t---\na: b\n---\t\nx", "---\r\na\r\n---\r\n", "\u00a0---\n---\n", "---\na\n---",
}

func TestFrontMatterEnd(t *testing.T) {
	for _, c := range frontMatterCases {
		checkFrontMatterEnd(t, []byte(c))
	}
}

// FuzzFrontMatterEnd checks that ParseEdition cuts front matter and body
// where adrg/frontmatter did.
func FuzzFrontMatterEnd(f *testing.F) {
	for _, c := range frontMatterCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFrontMatterEnd(t, data)
	})
}
