package markdown

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// idSet is the set of element ids of one document, in document order.
type idSet struct {
	used map[string]bool
	list []string
	next map[string]int // base → the first suffix unique may try for it
}

func (s *idSet) reserve(id string) bool {
	if s.used == nil {
		s.used = map[string]bool{}
	}
	if s.used[id] {
		return false
	}
	s.used[id] = true
	return true
}

// unique returns base, or base-1, base-2, … when base is taken, and takes it.
func (s *idSet) unique(base string) string {
	if s.reserve(base) {
		return base
	}
	// Ids are only ever added, so a suffix found taken stays taken: the
	// search resumes where the last one for base ended, and n headings of
	// the same text cost n steps, not n²/2.
	if s.next == nil {
		s.next = map[string]int{}
	}
	for i := max(s.next[base], 1); ; i++ {
		id := base + "-" + strconv.Itoa(i)
		if s.reserve(id) {
			s.next[base] = i + 1
			return id
		}
	}
}

// slug returns the id a heading with the given text gets before it is made
// unique: letters (Han included) and digits kept, letters lower-cased,
// runs of spaces, '-' and '_' turned into one '-', everything else dropped.
// It is "heading" when nothing is left.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsSpace(r) || r == '-' || r == '_':
			dash = true
		}
	}
	if b.Len() == 0 {
		return "heading"
	}
	return b.String()
}

// headingIDs gives every heading without an explicit id one made by slug,
// unique within the document, and every titled sidebar or note the id
// "sidebar-N" its aria-labelledby names. Stop sections keep "stop-N";
// explicit ids ({#id}) are kept as written and a duplicate is a warning.
var headingIDs = extender(func(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(
		// 1100 > stops' 1000: the stop sections exist and their ids are known.
		util.Prioritized(transformer(transformIDs), 1100),
	))
})

func explicitID(n ast.Node) (string, bool) {
	v, ok := n.AttributeString("id")
	if !ok {
		return "", false
	}
	switch v := v.(type) {
	case []byte:
		return string(v), true
	case string:
		return v, true
	}
	return "", false
}

func transformIDs(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	p := idPass{st: stateOf(pc, src), src: src}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			p.visit(n)
		}
		return ast.WalkContinue, nil
	})
	p.finish()
}

// idPass lists the ids of a document in order and gives headings and
// titled sidebars theirs. It sees every node once, in document order
// (visit): stop sections and explicit ids are taken at once, and the ids
// to make are settled at the end (finish), so that an explicit id further
// down still wins over a generated one.
type idPass struct {
	st       *state
	src      []byte
	sidebars int
	pending  []pendingID
}

// A pendingID is an id to make from base for a heading or a sidebar, and
// its place in the id list.
type pendingID struct {
	at      int
	base    string
	heading *ast.Heading
	sidebar *sidebarBlock
}

// A numbered makes the ids prefix+N, and keeps those of small N, which
// nearly every document has, made.
type numbered struct {
	prefix string
	small  [32]string
}

func newNumbered(prefix string) *numbered {
	t := &numbered{prefix: prefix}
	for i := range t.small {
		t.small[i] = prefix + strconv.Itoa(i)
	}
	return t
}

func (t *numbered) id(n int) string {
	if n >= 0 && n < len(t.small) {
		return t.small[n]
	}
	return t.prefix + strconv.Itoa(n)
}

var (
	stopIDs    = newNumbered("stop-")
	sidebarIDs = newNumbered("sidebar-")
	fnIDs      = newNumbered("fn:")
	fnrefIDs   = newNumbered("fnref:")
)

func (p *idPass) fixed(id string) { p.st.ids.list = append(p.st.ids.list, id) }

func (p *idPass) make(e pendingID) {
	ids := &p.st.ids
	e.at = len(ids.list)
	ids.list = append(ids.list, "")
	p.pending = append(p.pending, e)
}

func (p *idPass) visit(n ast.Node) {
	st, ids := p.st, &p.st.ids
	switch n := n.(type) {
	case *stopSection:
		ids.reserve(n.ID)
		p.fixed(n.ID)
	case *stopHeading:
		if id, ok := explicitID(n); ok {
			if !ids.reserve(id) {
				st.warnf(st.nodeLine(n), "duplicate id %q", id)
			}
			p.fixed(id)
		}
	case *ast.Heading:
		// Level-2 stop headings are StopHeadings by now: a class
		// "stop" left on a heading is where no stop can be.
		if cls, _ := hasClass(n, "stop"); cls {
			where := fmt.Sprintf("a level-%d heading", n.Level)
			if n.Level == 2 {
				where = "a heading inside a list, quote or container"
			}
			st.warnf(st.nodeLine(n), "class \"stop\" on %s has no effect; stops are level-2 headings at the top level", where)
		}
		if id, ok := explicitID(n); ok {
			if !ids.reserve(id) {
				st.warnf(st.nodeLine(n), "duplicate id %q", id)
			}
			p.fixed(id)
		} else {
			p.make(pendingID{base: slug(plainText(n, p.src)), heading: n})
		}
	case *sidebarBlock:
		if n.KindName != "quote" && n.KindName != "embed" && n.Title != nil {
			p.sidebars++
			p.make(pendingID{base: sidebarIDs.id(p.sidebars), sidebar: n})
		}
	case *east.FootnoteLink:
		if n.RefIndex > 0 {
			p.fixed("fnref" + strconv.Itoa(n.RefIndex) + ":" + strconv.Itoa(n.Index))
		} else {
			p.fixed(fnrefIDs.id(n.Index))
		}
	case *east.Footnote:
		p.fixed(fnIDs.id(n.Index))
	}
}

func (p *idPass) finish() {
	ids := &p.st.ids
	for _, e := range p.pending {
		id := ids.unique(e.base)
		ids.list[e.at] = id
		if e.heading != nil {
			e.heading.SetAttributeString("id", []byte(id))
		} else {
			e.sidebar.ID = id
		}
	}
}
