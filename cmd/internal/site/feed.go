package site

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/html"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/problem"
	"dateline/cmd/internal/publish"
	"dateline/cmd/internal/theme"
)

// writeFeed writes language l's Atom feed: its newest editions (eds is
// the language's listing, newest first), each with its whole body.
func (b *Builder) writeFeed(out *listOutput, l theme.Lang, eds []*edition) error {
	feed := &publish.Feed{
		Lang:      l.Tag,
		Title:     b.siteTitle(l.Key),
		Subtitle:  b.siteDescription(l.Key),
		Self:      b.abs("/" + l.Key + "/feed.xml"),
		Home:      b.abs("/" + l.Key + "/"),
		Generator: "Dateline",
		Updated:   latest(eds),
	}
	if b.iconICO != "" {
		feed.Icon = b.absRel(b.iconICO)
	}
	if b.icon != "" {
		feed.Logo = b.absRel(b.icon)
	}
	newest := eds[:min(len(eds), feedEntries)]
	name := l.Key + "/feed.xml"
	key := fmt.Sprintf("%s\x00%s\x00%s\x00%s", feed.Updated.Format(time.RFC3339Nano), feed.Icon, feed.Logo, feed.Self)
	if out.unchanged(name, key, newest) {
		// The same editions: the same entries, bodies included.
		b.feeds.mu.Lock()
		if b.feeds.used == nil {
			b.feeds.used = map[*edition]bool{}
		}
		for _, e := range newest {
			b.feeds.used[e] = true
		}
		b.feeds.mu.Unlock()
		return nil
	}
	for _, e := range newest {
		v := e.view
		entry := publish.Entry{
			Title:     v.Title,
			URL:       b.abs(b.reportURL(l.Key, v.Slug)),
			Summary:   v.Summary,
			Content:   b.feedBody(context.Background(), e),
			Published: v.Date,
			Updated:   modified(v),
			Tags:      v.Tags,
		}
		for _, a := range v.Authors {
			entry.Authors = append(entry.Authors, a.Name)
		}
		if v.Hero != nil && e.hero != nil {
			entry.Image = &publish.Enclosure{URL: v.Hero.Abs, Type: e.hero.mediaType, Length: e.hero.size}
		}
		feed.Entries = append(feed.Entries, entry)
	}
	data, err := feed.XML()
	if err != nil {
		return err
	}
	if err := b.writeBytes(out, name, data); err != nil {
		return err
	}
	out.remember(name, key, newest, nil)
	return nil
}

// writeFeeds writes every language's feed alone: after a rebuild that
// changed the body of a report in a feed, and nothing any other list
// shows.
func (b *Builder) writeFeeds(w Output) error {
	out := &listOutput{b: b, out: w, made: map[string]bool{}}
	for _, l := range b.langs {
		if err := b.writeFeed(out, l, b.listing(l.Key)); err != nil {
			return err
		}
	}
	b.forgetFeedBodies()
	return nil
}

// feedBodies keeps the feed body of each edition in a feed. Only listing
// data stays in memory between a report's page and the lists (see the
// package doc), but for the newest editions of each language, which the
// feeds show: the report build keeps their bodies (keepFeedBody), a kept
// report's come from the build cache, and an edition neither gave (one
// that moved into a feed when a newer report went) is read and rendered
// again from its file.
type feedBodies struct {
	mu   sync.Mutex
	m    map[*edition]string
	used map[*edition]bool // the editions of the feeds being written
}

// feedBody returns the body of an edition as a feed entry's content: the
// report's rendered Markdown, as on its page, with every URL in it made
// absolute. It is "" when the edition cannot be read again (its file broke
// after the page was made; the feed then gives the summary alone).
func (b *Builder) feedBody(ctx context.Context, e *edition) string {
	fb := &b.feeds
	fb.mu.Lock()
	if fb.used == nil {
		fb.used = map[*edition]bool{}
	}
	fb.used[e] = true
	body, ok := fb.m[e]
	fb.mu.Unlock()
	if !ok && b.cache != nil {
		body, ok = b.cache.feedBody(e.src.Slug, e.src.Lang)
	}
	if !ok {
		body = b.renderFeedBody(ctx, e)
	}
	if b.cache != nil {
		b.cache.keepFeedBody(e.src.Slug, e.src.Lang, body)
	}
	fb.mu.Lock()
	if fb.m == nil {
		fb.m = map[*edition]string{}
	}
	fb.m[e] = body
	fb.mu.Unlock()
	return body
}

// keepFeedBody keeps the body of an edition the feeds will show, as the
// report build rendered it for the edition's page, so that the feed does
// not read and convert the report again.
func (b *Builder) keepFeedBody(e *edition, body []byte) {
	abs := absoluteURLs(body, b.abs(b.reportURL(e.src.Lang, e.src.Slug)))
	fb := &b.feeds
	fb.mu.Lock()
	if fb.m == nil {
		fb.m = map[*edition]string{}
	}
	fb.m[e] = abs
	fb.mu.Unlock()
}

// inFeed reports whether an edition of the report st is in a feed: a
// change to its body, which its listing data does not show, changes the
// feed.
func (b *Builder) inFeed(st *reportState) bool {
	b.feeds.mu.Lock()
	defer b.feeds.mu.Unlock()
	for _, e := range st.editions {
		if _, ok := b.feeds.m[e]; ok {
			return true
		}
	}
	return false
}

// renderFeedBody reads an edition's file again and renders its body with
// absolute URLs; "" when it cannot.
func (b *Builder) renderFeedBody(ctx context.Context, e *edition) string {
	r, _ := content.LoadReport(ctx, b.opts.FS, b.cfg, e.src.Slug)
	if r == nil || r.Edition(e.src.Lang) == nil {
		return ""
	}
	var used []*file
	ed, _, buf, _, ps := b.convert(ctx, r, r.Edition(e.src.Lang), &used)
	if ed == nil || problem.Errors(ps, false) != nil {
		return ""
	}
	defer putBuffer(buf)
	return absoluteURLs(buf.Bytes(), b.abs(b.reportURL(e.src.Lang, e.src.Slug)))
}

// forgetFeedBodies drops the bodies of editions no feed holds any more;
// writeLists calls it once the feeds are written.
func (b *Builder) forgetFeedBodies() {
	fb := &b.feeds
	fb.mu.Lock()
	defer fb.mu.Unlock()
	for e := range fb.m {
		if !fb.used[e] {
			delete(fb.m, e)
		}
	}
	fb.used = nil
}

// urlAttrs are the attributes whose values are URLs in a report's body;
// srcset holds a list of them.
var urlAttrs = map[string]bool{"href": true, "src": true, "srcset": true, "poster": true, "cite": true, "data": true}

// absoluteURLs returns the HTML fragment body with every URL in it
// resolved against base, the report page's absolute URL: a feed reader
// shows the body away from the site, where "/assets/…" and "#stop-1" mean
// nothing. Everything but the rewritten tags is kept byte for byte.
func absoluteURLs(body []byte, base string) string {
	bu, err := url.Parse(base)
	if err != nil {
		return string(body)
	}
	resolve := func(ref string) string {
		u, err := url.Parse(strings.TrimSpace(ref))
		if err != nil {
			return ref
		}
		return bu.ResolveReference(u).String()
	}
	var out strings.Builder
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			out.Write(z.Raw())
			continue
		}
		raw := string(z.Raw())
		tok := z.Token()
		changed := false
		for i, a := range tok.Attr {
			if a.Namespace != "" || !urlAttrs[a.Key] {
				continue
			}
			v := a.Val
			if a.Key == "srcset" {
				parts := strings.Split(v, ",")
				for j, p := range parts {
					f := strings.Fields(p)
					if len(f) > 0 {
						f[0] = resolve(f[0])
						parts[j] = strings.Join(f, " ")
					}
				}
				v = strings.Join(parts, ", ")
			} else {
				v = resolve(v)
			}
			if v != a.Val {
				tok.Attr[i].Val, changed = v, true
			}
		}
		if changed {
			out.WriteString(tok.String())
		} else {
			out.WriteString(raw)
		}
	}
	return out.String()
}
