package markdown

import (
	"bytes"
	"cmp"
	"net/url"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// Embeds. "::: embed URL" opens an embed: the first paragraph inside is its
// title (required: it names the frame for screen readers), a paragraph
// starting with a credit prefix is its credit, a paragraph holding only
// an image is its static fallback, and other paragraphs are its caption.
//
//	::: embed https://datawrapper.dwcdn.net/aBc12/1/
//	上海房价走势（2015—2025）
//
//	数据截至 2025 年 6 月。
//
//	图片来源：国家统计局
//
//	![房价走势](photos/chart.png)
//	:::
//
// The URL must be https and belong to Datawrapper, Flourish, YouTube (shown
// from its privacy-enhanced www.youtube-nocookie.com), Vimeo (with
// dnt=1), DocumentCloud, OpenStreetMap or uMap, or to a host the site
// allows (Env.EmbedHosts, site.toml [embeds] allow); anything else is an
// error at the ::: line. An embed renders as a <figure class="embed">
// with no third-party request: the fallback image (or a link to the URL)
// and a hidden button that the theme's embed.js shows and turns into the
// <iframe> when the reader asks for it; the caption and credit are in its
// <figcaption>.

// embedProvider returns the provider of an https URL and the address of its
// frame: "" when no built-in provider serves the URL's host, and src ""
// when the URL is no video of a video provider.
func embedProvider(u *url.URL) (provider, src string) {
	host := strings.ToLower(u.Hostname())
	switch host {
	case "datawrapper.dwcdn.net":
		return "datawrapper", u.String()
	case "flo.uri.sh", "public.flourish.studio":
		return "flourish", u.String()
	case "www.youtube.com", "youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com":
		id := ""
		switch {
		case host == "youtu.be":
			id = strings.Trim(u.Path, "/")
		case strings.HasPrefix(u.Path, "/embed/"):
			id = strings.TrimPrefix(u.Path, "/embed/")
		case u.Path == "/watch":
			id = u.Query().Get("v")
		}
		if !videoID.MatchString(id) {
			return "youtube", ""
		}
		return "youtube", "https://www.youtube-nocookie.com/embed/" + id
	case "vimeo.com", "www.vimeo.com", "player.vimeo.com":
		id := strings.TrimPrefix(strings.Trim(u.Path, "/"), "video/")
		if !vimeoID.MatchString(id) {
			return "vimeo", ""
		}
		return "vimeo", "https://player.vimeo.com/video/" + id + "?dnt=1"
	case "www.documentcloud.org", "embed.documentcloud.org":
		return "documentcloud", u.String()
	case "www.openstreetmap.org":
		return "openstreetmap", u.String()
	case "umap.openstreetmap.fr":
		return "umap", u.String()
	}
	return "", ""
}

var (
	videoID = regexp.MustCompile(`^[A-Za-z0-9_-]{6,20}$`)
	vimeoID = regexp.MustCompile(`^[0-9]{1,12}$`)
)

// checkEmbed reads the URL of "::: embed URL" and sets n's provider and
// frame address, or gives the error at n's line.
func (st *state) checkEmbed(n *sidebarBlock, raw string) {
	n.embedURL = raw
	if raw == "" {
		st.errorf(n.line, "::: embed needs a URL: ::: embed https://…")
		return
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		st.errorf(n.line, "embed URL %s is not a URL", short(raw))
		return
	}
	if u.Scheme != "https" {
		st.errorf(n.line, "embed URL %s is not https", short(raw))
		return
	}
	if u.User != nil {
		st.errorf(n.line, "embed URL %s holds a user name", short(raw))
		return
	}
	provider, src := embedProvider(u)
	if provider != "" && src == "" {
		st.errorf(n.line, "embed URL %s is not a %s video", short(raw), map[string]string{"youtube": "YouTube", "vimeo": "Vimeo"}[provider])
		return
	}
	if provider == "" {
		host := strings.ToLower(u.Hostname())
		for _, h := range st.env.EmbedHosts {
			if strings.EqualFold(h, host) {
				provider, src = "embed", u.String()
			}
		}
	}
	if provider == "" {
		st.errorf(n.line, "embed host %s is not allowed; use Datawrapper, Flourish, YouTube, Vimeo, DocumentCloud, OpenStreetMap or uMap, or add it to [embeds] allow in content/site.toml", u.Hostname())
		return
	}
	// The frame address as the link's href: percent-encoded, so that the
	// attribute holds no space or non-ASCII byte.
	n.provider, n.embedSrc = provider, string(util.URLEscape([]byte(src), false))
	if u, err := url.Parse(src); err == nil {
		if st.env.EmbedLoad != nil {
			n.loadLabel = st.env.EmbedLoad(u.Hostname())
		}
		if n.loadLabel == "" {
			label, ok := embedLoad[baseLang(st.env.Lang)]
			if !ok {
				label = embedLoad["en"]
			}
			n.loadLabel = strings.Replace(label, "%s", u.Hostname(), 1)
		}
	}
}

// The parts of an embed, made from its paragraphs when it closes.
var (
	kindEmbedTitle    = ast.NewNodeKind("EmbedTitle")
	kindEmbedCredit   = ast.NewNodeKind("EmbedCredit")
	kindEmbedFallback = ast.NewNodeKind("EmbedFallback")
)

// An embedPart is a paragraph of an embed that is its title, its credit or
// its fallback image; its inline content is Markdown.
type embedPart struct {
	ast.BaseBlock
	kind ast.NodeKind
}

func (n *embedPart) Kind() ast.NodeKind { return n.kind }

func (n *embedPart) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// arrangeEmbed turns the paragraphs of embed n into its parts, in the
// order they render: fallback, title, caption paragraphs, credit. The
// first paragraph holding only an image is the fallback, wherever it
// stands; the first other paragraph is the title.
func (st *state) arrangeEmbed(n *sidebarBlock, src []byte) {
	var title, credit, fallback ast.Node
	var caption []ast.Node
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		n.RemoveChild(n, c)
		p, isPara := c.(*ast.Paragraph)
		var raw []byte
		if isPara {
			raw = trimSpaceBytes(p.Lines().Value(src))
		}
		image := isPara && bytes.HasPrefix(raw, []byte("![")) && bytes.HasSuffix(raw, []byte(")"))
		switch {
		case image && fallback == nil:
			fallback = part(p, kindEmbedFallback)
		case image:
			st.warnf(st.line(p.Lines().At(0).Start), "embed has a second fallback image; it shows in the caption, and only the first stands in for the frame")
			caption = append(caption, c)
		case isPara && title == nil:
			title = part(p, kindEmbedTitle)
		case isPara && credit == nil && isCredit(string(firstLine(raw))):
			credit = part(p, kindEmbedCredit)
		default:
			caption = append(caption, c)
		}
		c = next
	}
	if title == nil {
		st.errorf(n.line, "embed %s has no title: write it on the line after ::: embed", short(n.embedURL))
	}
	for _, c := range append([]ast.Node{fallback, title}, append(caption, credit)...) {
		if c != nil {
			n.AppendChild(n, c)
		}
	}
	n.Title = title
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

func part(p *ast.Paragraph, kind ast.NodeKind) ast.Node {
	n := &embedPart{kind: kind}
	n.SetLines(p.Lines())
	n.SetPos(p.Pos())
	return n
}

// embedLoad is the label of the button that loads an embed, per language,
// when Env.EmbedLoad gives none.
var embedLoad = map[string]string{
	"zh": "加载内容（来自 %s）",
	"en": "Load content from %s",
}

func renderEmbed(w util.BufWriter, n *sidebarBlock, entering bool) {
	if !entering {
		_, _ = w.WriteString("</figcaption>\n</figure>\n")
		return
	}
	if n.provider == "" {
		// The URL was refused, with an error: no frame address, no
		// button, and a link that leads nowhere.
		_, _ = w.WriteString("<figure class=\"embed\">\n<div class=\"embed-facade\">\n")
	} else {
		_, _ = w.WriteString(`<figure class="embed embed-`)
		writeEscaped(w, n.provider)
		_, _ = w.WriteString(`" data-embed-src="`)
		writeEscaped(w, n.embedSrc)
		_, _ = w.WriteString(`" data-embed-title="`)
		writeEscaped(w, n.embedTitle)
		_, _ = w.WriteString("\">\n<div class=\"embed-facade\">\n")
	}
	if _, ok := n.FirstChild().(*embedPart); !ok || n.FirstChild().Kind() != kindEmbedFallback {
		writeEmbedLink(w, n)
		writeEscaped(w, cmp.Or(n.embedTitle, n.embedURL))
		_, _ = w.WriteString("</a>\n")
	}
	if n.Title == nil {
		// An error was given; the HTML is still whole.
		writeEmbedButton(w, n)
		_, _ = w.WriteString("<figcaption>\n")
	}
}

// writeEmbedButton writes the hidden load button and closes the facade.
func writeEmbedButton(w util.BufWriter, n *sidebarBlock) {
	if n.provider == "" {
		_, _ = w.WriteString("</div>\n")
		return
	}
	_, _ = w.WriteString(`<button type="button" class="embed-load" hidden>`)
	writeEscaped(w, n.loadLabel)
	_, _ = w.WriteString("</button>\n</div>\n")
}

func writeEmbedLink(w util.BufWriter, n *sidebarBlock) {
	if n.provider == "" {
		_, _ = w.WriteString(`<a class="embed-link">`)
		return
	}
	_, _ = w.WriteString(`<a class="embed-link" href="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(n.embedURL), false)))
	_, _ = w.WriteString(`">`)
}

func renderEmbedPart(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n, _ := node.Parent().(*sidebarBlock)
	if n == nil {
		return ast.WalkSkipChildren, nil
	}
	switch node.Kind() {
	case kindEmbedFallback:
		if entering {
			writeEmbedLink(w, n)
		} else {
			_, _ = w.WriteString("</a>\n")
		}
	case kindEmbedTitle:
		if entering {
			writeEmbedButton(w, n)
			_, _ = w.WriteString("<figcaption>\n<p class=\"embed-title\">")
		} else {
			_, _ = w.WriteString("</p>\n")
		}
	case kindEmbedCredit:
		if entering {
			_, _ = w.WriteString(`<p class="credit">`)
		} else {
			_, _ = w.WriteString("</p>\n")
		}
	}
	return ast.WalkContinue, nil
}

// baseLang returns the language key without a region: "zh" of "zh-TW".
func baseLang(lang string) string {
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		return lang[:i]
	}
	return lang
}

// checkEmbedFallback checks embed n's fallback, what readers without
// JavaScript (and feed readers, and print) see in place of the frame. The
// link to the URL is always there; the fallback image is the static
// version of the embed (a chart's picture, a video's still). An embed
// without one is a warning, and so is one without alt text; a fallback image that is not a photo of the
// report is an error: one from another site would be a third-party request
// before the reader asks for one.
func (st *state) checkEmbedFallback(n *sidebarBlock, src []byte) {
	fb := n.FirstChild()
	if fb == nil || fb.Kind() != kindEmbedFallback {
		if n.provider != "" && n.Title != nil { // else an error was given
			st.warnf(n.line, "embed has no fallback image; readers without JavaScript see only a link")
		}
		return
	}
	for c := fb.FirstChild(); c != nil; c = c.NextSibling() {
		img, ok := c.(*ast.Image)
		if !ok {
			continue
		}
		dest := string(img.Destination)
		if hasScheme(dest) || strings.HasPrefix(dest, "//") {
			st.errorf(n.line, "embed fallback image %s must be a photo in the report folder", short(dest))
		}
		if strings.TrimSpace(plainText(img, src)) == "" && fb.Lines().Len() > 0 {
			// Readers without JavaScript get the image in place of the
			// chart: its alt text is the chart for a screen reader.
			st.warnf(st.line(fb.Lines().At(0).Start), "embed fallback image has no alt text: it stands for the frame for readers without JavaScript")
		}
	}
}
