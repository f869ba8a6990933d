package markdown

import (
	"bytes"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// inlines resolves link and image destinations through Env.Resolve and
// records them in Doc.Links, and renders text, links, images and
// autolinks: soft line breaks vanish between CJK characters, and
// javascript:, vbscript:, file: and data: destinations lose their href or
// src.
var inlines = extender(func(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(
		// 200 > figures' 100: figure images are resolved like any other.
		util.Prioritized(transformer(resolveLinks), 200),
	))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		// 100 < html.Renderer's 1000: these functions replace its own.
		util.Prioritized(nodeRenderer(registerInlines), 100),
	))
})

// gfm is extension.GFM (tables, strikethrough, task lists and bare URLs
// and e-mail addresses made links) with linkify's parser behind a
// filter and with URLs that go on past ASCII. That parser is tried at
// every space, at the start of every line and before every * _ ~ (, and
// looks for a URL or an e-mail address each time; the filter turns away,
// with a few byte comparisons, every place where it can only return nil,
// which is nearly all of them.
//
// GFM's URLs end at the first character that is not ASCII, which cuts
// "https://zh.wikipedia.org/wiki/上海" after "wiki/". Here the path, query
// and fragment of a URL also take letters, marks and digits of any script
// (linkURLRegexp), so a URL ends at CJK punctuation (。，、；：）」』), a
// full-width space, quotes or dashes, as readers expect; the text shows it
// as written and the href percent-encodes it. GFM looks for a URL only at
// the start of a line or after a space, * _ ~ or (; Chinese puts none
// before a URL ("详见https://…", "（https://…）"), so a URL right after a
// CJK character is made a link too, in the text that is left (linkifyCJK).
var gfm = extender(func(m goldmark.Markdown) {
	p := extension.NewLinkifyParser(linkifyOptions...)
	m.Parser().AddOptions(parser.WithInlineParsers(
		// 999, linkify's own priority.
		util.Prioritized(&linkifyFilter{p}, 999),
	))
	extension.Table.Extend(m)
	extension.Strikethrough.Extend(m)
	extension.TaskList.Extend(m)
})

// urlTail is what follows a linkified URL's host: goldmark's own
// characters and the letters, marks and digits of every script.
const urlTail = `(?:[/#?](?:[-a-zA-Z0-9@:%_+.~#$!?&/=\(\);,'">\^{}\[\]` + "`" + `]|[\p{L}\p{M}\p{N}])*)?`

var (
	linkURLRegexp = regexp.MustCompile(`^(?:http|https|ftp)://[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+(?::\d+)?` + urlTail)
	linkWWWRegexp = regexp.MustCompile(`^www\.[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+` + urlTail)
	// linkifyOptions are the options of the linkify parser of New.
	linkifyOptions = []extension.LinkifyOption{
		extension.WithLinkifyURLRegexp(linkURLRegexp),
		extension.WithLinkifyWWWRegexp(linkWWWRegexp),
	}
)

type linkifyFilter struct{ parser.InlineParser }

func (f *linkifyFilter) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	// Without a Converter's state, any line may hold an '@'.
	at := true
	if st, ok := pc.Get(stateKey).(*state); ok {
		at = st.hasAt()
	}
	if line, _ := block.PeekLine(); !mayLinkify(line, at) {
		return nil
	}
	return f.InlineParser.Parse(parent, block, pc)
}

// mayLinkify reports whether goldmark's linkify parser can find a link at
// the start of line: after the one trigger character it skips, an
// "http:", "https:", "ftp:" or "www." (the parser's default protocols,
// case-sensitive), or an '@' within the 64 bytes an address's local part
// may take. at is false when the document holds no '@' at all. Where this
// is false the parser returns nil without touching anything.
func mayLinkify(line []byte, at bool) bool {
	if len(line) > 0 {
		switch line[0] {
		case ' ', '*', '_', '~', '(':
			line = line[1:]
		}
	}
	if len(line) == 0 {
		return false
	}
	switch line[0] {
	case 'h':
		if bytes.HasPrefix(line, []byte("http:")) || bytes.HasPrefix(line, []byte("https:")) {
			return true
		}
	case 'f':
		if bytes.HasPrefix(line, []byte("ftp:")) {
			return true
		}
	case 'w':
		if bytes.HasPrefix(line, []byte("www.")) {
			return true
		}
	}
	return at && bytes.IndexByte(line[:min(len(line), 65)], '@') >= 0
}

// unsafeScheme returns the scheme of dest when it is one a page must not
// link to: javascript:, vbscript:, file: or data:. Browsers ignore
// leading control characters and spaces and tabs or newlines anywhere,
// and so does this check.
func unsafeScheme(dest []byte) string {
	dest = textValue(dest)
	var buf [17]byte // a longer scheme is none of these
	b := buf[:0]
	for _, c := range dest {
		switch {
		case c <= ' ' && len(b) == 0, c == '\t', c == '\n', c == '\r':
			continue
		case c == ':':
			switch string(b) {
			case "javascript":
				return "javascript"
			case "vbscript":
				return "vbscript"
			case "file":
				return "file"
			case "data":
				return "data"
			}
			return ""
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9' && len(b) > 0, c == '+' || c == '-' || c == '.':
			b = append(b, c)
		default:
			return ""
		}
		if len(b) > 16 {
			return ""
		}
	}
	return ""
}

// hasScheme reports whether dest starts with a URL scheme ("https:",
// "mailto:").
func hasScheme(dest string) bool {
	for i := 0; i < len(dest); i++ {
		c := dest[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case c == ':':
			return i > 0
		default:
			return false
		}
	}
	return false
}

// leaves reports whether the relative path p climbs out of its folder.
func leaves(p string) bool {
	c := path.Clean(p)
	return c == ".." || strings.HasPrefix(c, "../")
}

func resolveLinks(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	st := stateOf(pc, src)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		st.visitLink(n, src)
		if n.Kind() == ast.KindImage {
			// An image's children are only its alt text: an image or a
			// link in there is never shown, and is neither resolved nor
			// recorded (![a ![b](photos/missing.jpg)](x.jpg) builds).
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// visitLink records and resolves n when it is a link, an image or an
// autolink.
func (st *state) visitLink(n ast.Node, src []byte) {
	switch n := n.(type) {
	case *ast.Link:
		n.Destination = st.resolve(n, n.Destination, false)
	case *ast.Image:
		n.Destination = st.resolve(n, n.Destination, true)
	case *ast.Text:
		linkifyCJK(n, src)
	case *ast.RawHTML, *ast.HTMLBlock:
		st.warnRawHTML(n, src)
	case *ast.AutoLink:
		line := st.nodeLine(n)
		st.links = append(st.links, Link{Dest: string(n.URL(src)), Line: line})
		if s := unsafeScheme(n.URL(src)); s != "" {
			st.warnf(line, "link %s removed: %s: URLs are not allowed", n.Label(src), s)
		}
	}
}

// linkifyCJK makes a link of the first URL in text n that follows a CJK
// character, as goldmark's linkify would after a space: the text is split
// around a new AutoLink, and the rest is looked at when the walk reaches it.
func linkifyCJK(n *ast.Text, src []byte) {
	if n.IsRaw() || n.Segment.Padding != 0 {
		return
	}
	v := n.Segment.Value(src)
	if bytes.Index(v, []byte("://")) < 0 && bytes.Index(v, []byte("www.")) < 0 {
		return
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.(type) {
		case *ast.Link, *ast.Image, *ast.AutoLink, *ast.CodeSpan:
			return
		}
	}
	for i := 1; i < len(v); i++ {
		switch v[i] {
		case 'h', 'f', 'w':
		default:
			continue
		}
		if before, _ := utf8.DecodeLastRune(v[:i]); !isCJK(before) {
			continue
		}
		var m []int
		var protocol []byte
		if m = linkURLRegexp.FindIndex(v[i:]); m == nil {
			if m = linkWWWRegexp.FindIndex(v[i:]); m == nil {
				continue
			}
			protocol = []byte("http")
		}
		end := i + trimURLEnd(v[i:i+m[1]])
		start := n.Segment.Start
		link := ast.NewAutoLink(ast.AutoLinkURL, ast.NewTextSegment(text.NewSegment(start+i, start+end)))
		link.Protocol = protocol
		rest := ast.NewTextSegment(text.NewSegment(start+end, n.Segment.Stop))
		rest.SetSoftLineBreak(n.SoftLineBreak())
		rest.SetHardLineBreak(n.HardLineBreak())
		n.SetSoftLineBreak(false)
		n.SetHardLineBreak(false)
		n.Segment = n.Segment.WithStop(start + i)
		parent := n.Parent()
		parent.InsertAfter(parent, n, link)
		parent.InsertAfter(parent, link, rest)
		return
	}
}

// trimURLEnd returns the length of url without the trailing punctuation
// goldmark's linkify leaves out of a link: ? ! . , : * _ ~, and ')' that
// closes no '(' of the URL.
func trimURLEnd(url []byte) int {
	open, closing := bytes.Count(url, []byte("(")), bytes.Count(url, []byte(")"))
	i := len(url)
	for i > 1 {
		switch url[i-1] {
		case '?', '!', '.', ',', ':', '*', '_', '~':
			i--
			continue
		case ')':
			if closing > open {
				closing--
				i--
				continue
			}
		}
		break
	}
	return i
}

// resolve records a destination and returns what the HTML should use.
func (st *state) resolve(n ast.Node, destination []byte, image bool) []byte {
	dest := string(destination)
	line := st.nodeLine(n)
	st.links = append(st.links, Link{Dest: dest, Line: line})
	what := "link"
	if image {
		what = "photo"
	}
	if s := unsafeScheme(destination); s != "" {
		st.warnf(line, "%s %s removed: %s: URLs are not allowed", what, short(dest), s)
		return destination
	}
	if dest == "" || dest[0] == '#' || hasScheme(dest) || strings.HasPrefix(dest, "//") {
		return destination
	}
	p, suffix := dest, ""
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		p, suffix = dest[:i], dest[i:]
	}
	if image && (strings.HasPrefix(p, "/") || leaves(p)) {
		st.errorf(line, "photo %s leaves the report folder", dest)
		return destination
	}
	if strings.HasPrefix(p, "/") || leaves(p) || p == "" {
		// Site paths and other reports' pages ("../other-report/") are
		// left as written.
		return destination
	}
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	resolve := st.env.Resolve
	if resolve == nil {
		return destination
	}
	a, err := resolve(p, image)
	if err != nil {
		st.errorf(line, "%s", err.Error())
		return destination
	}
	if img, ok := n.(*ast.Image); ok {
		if a.Width > 0 && a.Height > 0 {
			// Both numbers in one allocation.
			var buf [40]byte
			num := strconv.AppendInt(buf[:0], int64(a.Width), 10)
			w := len(num)
			num = strconv.AppendInt(num, int64(a.Height), 10)
			b := make([]byte, len(num))
			copy(b, num)
			img.SetAttributeString("width", b[:w:w])
			img.SetAttributeString("height", b[w:])
		}
		if a.Srcset != "" {
			img.SetAttributeString("srcset", []byte(a.Srcset))
		}
		if (a.Srcset != "" || len(a.Sources) > 0) && a.Sizes != "" {
			img.SetAttributeString("sizes", []byte(a.Sizes))
		}
		if len(a.Sources) > 0 {
			img.SetAttributeString(sourcesAttr, a.Sources)
		}
	}
	if a.URL == "" {
		return destination
	}
	return append([]byte(a.URL), suffix...)
}

// short cuts a long destination for a message.
func short(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:40]) + "…"
}

// textWriter writes text as html.Renderer does, with CJK's escaped space.
var textWriter = html.NewWriter(html.WithEscapedSpace())

// writeText writes text exactly as textWriter.Write does. Most text holds
// no backslash, '&' or NUL, and needs nothing but HTML escapes; the writer
// looks at every byte several times to find that out. When one of those
// bytes turns up, the writer takes over from there: before it there was
// no escape or entity under way, so its output is the same as if it had
// written the whole text.
func writeText(w util.BufWriter, v []byte) {
	start := 0
	for i := 0; i < len(v); i++ {
		switch textBytes[v[i]] {
		case textPlain:
			continue
		case textEscape:
			_, _ = w.Write(v[start:i])
			_, _ = w.Write(util.EscapeHTMLByte(v[i]))
			start = i + 1
		case textWriterOnly:
			_, _ = w.Write(v[start:i])
			textWriter.Write(w, v[i:])
			return
		}
	}
	_, _ = w.Write(v[start:])
}

// The classes of bytes for writeText.
const (
	textPlain      = iota
	textEscape     // written as an HTML escape: " < >
	textWriterOnly // \ & NUL: a backslash escape, an entity or a replacement
)

var textBytes = func() (t [256]uint8) {
	for b := range t {
		switch {
		case b == '\\' || b == '&' || b == 0:
			t[b] = textWriterOnly
		case util.EscapeHTMLByte(byte(b)) != nil:
			t[b] = textEscape
		}
	}
	return t
}()

// writeEscaped writes s as util.EscapeHTML would, without making a []byte
// of it first.
func writeEscaped(w util.BufWriter, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		if e := util.EscapeHTMLByte(s[i]); e != nil {
			_, _ = w.WriteString(s[start:i])
			_, _ = w.Write(e)
			start = i + 1
		}
	}
	_, _ = w.WriteString(s[start:])
}

// writeEscapedBytes is writeEscaped of a []byte.
func writeEscapedBytes(w util.BufWriter, s []byte) {
	start := 0
	for i := 0; i < len(s); i++ {
		if e := util.EscapeHTMLByte(s[i]); e != nil {
			_, _ = w.Write(s[start:i])
			_, _ = w.Write(e)
			start = i + 1
		}
	}
	_, _ = w.Write(s[start:])
}

func registerInlines(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindText, renderText)
	reg.Register(ast.KindLink, renderLink)
	reg.Register(ast.KindImage, renderImage)
	reg.Register(ast.KindAutoLink, renderAutoLink)
}

// firstRune returns the first character of the text n renders.
func firstRune(n ast.Node, src []byte) (rune, bool) {
	switch n := n.(type) {
	case *ast.Text:
		if v := n.Segment.Value(src); len(v) > 0 {
			r, _ := utf8.DecodeRune(v)
			return r, true
		}
		if n.SoftLineBreak() || n.HardLineBreak() {
			return '\n', true
		}
		return 0, false
	case *ast.String:
		if len(n.Value) > 0 {
			r, _ := utf8.DecodeRune(n.Value)
			return r, true
		}
		return 0, false
	case *ast.Image, *ast.RawHTML:
		return ' ', true
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if r, ok := firstRune(c, src); ok {
			return r, true
		}
	}
	return 0, false
}

// lastRune returns the last character of the text n renders.
func lastRune(n ast.Node, src []byte) (rune, bool) {
	switch n := n.(type) {
	case *ast.Text:
		if v := n.Segment.Value(src); len(v) > 0 {
			r, _ := utf8.DecodeLastRune(v)
			return r, true
		}
		return 0, false
	case *ast.String:
		if len(n.Value) > 0 {
			r, _ := utf8.DecodeLastRune(n.Value)
			return r, true
		}
		return 0, false
	case *ast.Image, *ast.RawHTML:
		return ' ', true
	}
	for c := n.LastChild(); c != nil; c = c.PreviousSibling() {
		if r, ok := lastRune(c, src); ok {
			return r, true
		}
	}
	return 0, false
}

// softBreakJoins reports whether the soft line break ending text node n
// vanishes: the characters on both sides of it are CJK.
func softBreakJoins(n *ast.Text, value, src []byte) bool {
	prev, ok := rune(0), false
	if len(value) > 0 {
		prev, _ = utf8.DecodeLastRune(value)
		ok = true
	}
	for s := n.PreviousSibling(); !ok && s != nil; s = s.PreviousSibling() {
		prev, ok = lastRune(s, src)
	}
	if !ok {
		return false
	}
	for s := n.NextSibling(); s != nil; s = s.NextSibling() {
		if next, ok := firstRune(s, src); ok {
			return joinsCJK(prev, next)
		}
	}
	return false
}

func renderText(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Text)
	value := n.Segment.Value(source)
	if n.IsRaw() {
		textWriter.RawWrite(w, value)
		return ast.WalkContinue, nil
	}
	writeText(w, value)
	switch {
	case n.HardLineBreak():
		_, _ = w.WriteString("<br>\n")
	case n.SoftLineBreak():
		if !softBreakJoins(n, value, source) {
			_ = w.WriteByte('\n')
		}
	}
	return ast.WalkContinue, nil
}

func writeURL(w util.BufWriter, attr string, dest []byte) {
	if unsafeScheme(dest) != "" {
		return
	}
	_, _ = w.WriteString(attr)
	_, _ = w.WriteString(`="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape(dest, true)))
	_ = w.WriteByte('"')
}

func renderLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<a")
	writeURL(w, " href", n.Destination)
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		textWriter.Write(w, n.Title)
		_ = w.WriteByte('"')
	}
	if n.Attributes() != nil {
		html.RenderAttributes(w, n, html.LinkAttributeFilter)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

// imageAttrs are written in this order after src and alt.
var imageAttrs = []string{"width", "height", "srcset", "sizes", "loading", "decoding"}

func renderImage(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	picture := writePictureSources(w, n)
	_, _ = w.WriteString("<img")
	writeURL(w, " src", n.Destination)
	_, _ = w.WriteString(` alt="`)
	t := getTextBuf()
	writeEscapedBytes(w, t.plain(appendChildrenText(t.raw[:0], n, source)))
	putTextBuf(t)
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		textWriter.Write(w, n.Title)
		_ = w.WriteByte('"')
	}
	for _, name := range imageAttrs {
		v, ok := n.AttributeString(name)
		if b, isBytes := v.([]byte); ok && isBytes {
			_ = w.WriteByte(' ')
			_, _ = w.WriteString(name)
			_, _ = w.WriteString(`="`)
			_, _ = w.Write(util.EscapeHTML(b))
			_ = w.WriteByte('"')
		}
	}
	_ = w.WriteByte('>')
	if picture {
		_, _ = w.WriteString("</picture>")
	}
	return ast.WalkSkipChildren, nil
}

func renderAutoLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	u := n.URL(source)
	label := n.Label(source)
	if unsafeScheme(u) != "" {
		_, _ = w.Write(util.EscapeHTML(label))
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(u), []byte("mailto:")) {
		_, _ = w.WriteString("mailto:")
	}
	_, _ = w.Write(util.EscapeHTML(util.URLEscape(u, false)))
	_, _ = w.WriteString(`">`)
	_, _ = w.Write(util.EscapeHTML(label))
	_, _ = w.WriteString(`</a>`)
	return ast.WalkContinue, nil
}
