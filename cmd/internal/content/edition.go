package content

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/adrg/frontmatter"

	"dateline/cmd/internal/problem"
)

// MaxFileSize is the largest Markdown file Dateline reads. A long feature is
// about 100 KB; the limit leaves room for pasted tables while a mistaken
// 20 MB export fails at once instead of slowing every build.
const MaxFileSize = 8 << 20

// The front matter fields of SPEC §2, plus corrections.
var knownFields = []string{
	"title", "subtitle", "date", "updated", "draft", "dateline", "authors",
	"credit", "summary", "tags", "hero", "corrections", "series", "part",
}

// fieldHints names our field for the names other generators use.
var fieldHints = map[string]string{
	"author": "authors", "description": "summary", "lastmod": "updated",
	"modified": "updated", "image": "hero", "cover": "hero", "photo": "hero",
	"location": "dateline", "place": "dateline", "categories": "tags",
	"keywords": "tags", "byline": "authors", "dek": "subtitle",
}

// ParseEdition reads one edition file. file is its slash path relative to
// the site, "content/<slug>/<lang>.md", from which Slug and Lang are taken;
// cfg supplies the time zone of dates written without one (nil means UTC).
//
// It reports every problem it finds, errors and warnings, with File set to
// file and Line to the line in file. The Edition is nil when any problem is
// an error.
func ParseEdition(file string, data []byte, cfg *Config) (*Edition, []problem.Problem) {
	loc := time.UTC
	if cfg != nil && cfg.Location != nil {
		loc = cfg.Location
	}
	dir, base := path.Split(file)
	e := &Edition{
		Slug: path.Base(dir),
		Lang: strings.TrimSuffix(base, path.Ext(base)),
		File: file,
	}
	if len(data) > MaxFileSize {
		return nil, []problem.Problem{tooLargeProblem(file, int64(len(data)))}
	}
	if i := invalidUTF8(data); i >= 0 {
		return nil, []problem.Problem{problem.Errorf(file, 1+bytes.Count(data[:i], nl), "invalid UTF-8")}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	data = dropCR(data)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, []problem.Problem{problem.Errorf(file, 1, "file is empty (a report needs front matter with title and date)")}
	}

	// The library finds the front matter; the line it starts on is the
	// first that is not blank.
	open, openLine := firstLine(data)
	d := &decoded{base: openLine, file: file}
	r := &fileReader{data: data, d: d}
	// The library reads through a bufio.Reader, and takes ours, of its
	// size, as it is: one from a pool rather than 4 KB made for each file.
	br := lineReaders.Get().(*bufio.Reader)
	br.Reset(r)
	rest, err := frontmatter.MustParse(br, d, formats...)
	br.Reset(nil)
	lineReaders.Put(br)
	if err != nil {
		// The formats never fail and a fileReader cannot: either the
		// first line opens no front matter, or nothing closes it.
		if open != "---" && open != "+++" {
			return nil, []problem.Problem{problem.Errorf(file, openLine, "missing front matter (title and date are required)")}
		}
		return nil, []problem.Problem{problem.Errorf(file, openLine, "front matter is not closed: no closing %s line", open)}
	}
	// The library's rest is what it read past the closing line.
	start := r.off - len(rest)
	e.Source, e.Body = data, data[start:]
	e.BodyLine = 1 + bytes.Count(data[:start], nl)

	ps := d.problems
	if !d.bad {
		c := checker{e: e, d: d, loc: loc, file: file, cfg: cfg}
		c.check()
		ps = append(ps, c.problems...)
	}
	problem.Sort(ps)
	for _, p := range ps {
		if p.Severity == problem.Error {
			return nil, ps
		}
	}
	e.Lines = d.lines
	if e.Lines == nil {
		e.Lines = map[string]int{}
	}
	return e, ps
}

var nl = []byte("\n")

// dropCR removes the carriage returns that end lines ("\r\n", and runs
// like "\r\r\n" that broken conversions leave), keeping line numbers. It
// returns data itself when there is none.
func dropCR(data []byte) []byte {
	i := bytes.Index(data, []byte("\r\n"))
	if i < 0 {
		return data
	}
	out := make([]byte, 0, len(data))
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\r')
		if i < 0 {
			return append(out, data...)
		}
		out = append(out, data[:i]...)
		j := i
		for j < len(data) && data[j] == '\r' {
			j++
		}
		if j == len(data) || data[j] != '\n' {
			out = append(out, data[i:j]...) // a lone CR is text
		}
		data = data[j:]
	}
	return out
}

// formats are the front matter formats of SPEC §2 for
// github.com/adrg/frontmatter, which finds the delimiters and hands the text
// between them to our decoders. They record what they find in a *decoded
// and never fail, so that ParseEdition goes on to the body.
var formats = []*frontmatter.Format{
	frontmatter.NewFormat("---", "---", func(fm []byte, v any) error {
		d := v.(*decoded)
		decodeYAML(d, fm)
		d.done = true
		return nil
	}),
	frontmatter.NewFormat("+++", "+++", func(fm []byte, v any) error {
		d := v.(*decoded)
		decodeTOML(d, fm)
		d.done = true
		return nil
	}),
}

// lineReaders are the bufio.Readers ParseEdition hands adrg/frontmatter,
// of the size bufio.NewReader makes (so that it uses them as they are).
var lineReaders = sync.Pool{New: func() any { return bufio.NewReader(nil) }}

// A fileReader gives an edition file to adrg/frontmatter a line per Read
// and ends once the front matter is decoded: the library reads lines
// through a bufio.Reader and then copies all the rest into a buffer it
// grows as it goes, which for a 10 KB edition was most of its time and
// allocations. So the library holds no more than the front matter, and the
// body is the file from off (less the rest it returns, which is empty).
type fileReader struct {
	data []byte
	off  int
	d    *decoded
}

func (r *fileReader) Read(p []byte) (int, error) {
	if r.d.done || r.off == len(r.data) {
		return 0, io.EOF
	}
	line := r.data[r.off:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i+1]
	}
	n := copy(p, line)
	r.off += n
	return n, nil
}

// firstLine returns the first line of data that is not blank, trimmed as
// adrg/frontmatter trims it to find the opening delimiter, and its number
// (the last line when all are blank), for the messages about it.
func firstLine(data []byte) (string, int) {
	n := 1
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, nl)
		if s := bytes.TrimSpace(line); len(s) > 0 {
			return string(s), n
		}
		data = rest
		if len(data) > 0 {
			n++
		}
	}
	return "", n
}

func tooLargeProblem(file string, size int64) problem.Problem {
	return problem.Errorf(file, 0, "file is too large (%.1f MiB; the limit is %d MiB)", float64(size)/(1<<20), MaxFileSize>>20)
}

// checker checks decoded front matter field by field and fills the Edition.
type checker struct {
	e        *Edition
	d        *decoded
	loc      *time.Location
	file     string
	cfg      *Config // nil: series keys are not checked
	problems []problem.Problem
}

func (c *checker) errorf(line int, format string, args ...any) {
	c.problems = append(c.problems, problem.Errorf(c.file, line, format, args...))
}

func (c *checker) warnf(line int, format string, args ...any) {
	c.problems = append(c.problems, problem.Warnf(c.file, line, format, args...))
}

func (c *checker) check() {
	e := c.e
	var haveTitle, haveDate bool
	var updatedLine int
	for _, f := range c.d.fields {
		switch f.key {
		case "title":
			haveTitle = true
			if s, ok := c.text(f.key, f.line, f.val); ok {
				if s == "" {
					c.errorf(f.line, "title is empty")
				}
				e.Title = s
			}
		case "subtitle":
			e.Subtitle, _ = c.text(f.key, f.line, f.val)
		case "dateline":
			e.Dateline, _ = c.text(f.key, f.line, f.val)
		case "credit":
			e.Credit, _ = c.text(f.key, f.line, f.val)
		case "summary":
			e.Summary, _ = c.text(f.key, f.line, f.val)
		case "date":
			haveDate = true
			if f.val == nil {
				c.errorf(f.line, "date is empty")
				break
			}
			e.Date, _ = c.date(f.key, f.key, f.line, f.val)
		case "updated":
			if f.val != nil {
				e.Updated, _ = c.date(f.key, f.key, f.line, f.val)
				updatedLine = f.line
			}
		case "draft":
			switch v := f.val.(type) {
			case bool:
				e.Draft = v
			case nil:
			default:
				c.errorf(f.line, "draft must be true or false, not %s", shown(v))
			}
		case "authors":
			e.Authors = c.authors(f)
		case "tags":
			e.Tags = c.tags(f)
		case "hero":
			e.Hero = c.hero(f)
		case "corrections":
			e.Corrections = c.corrections(f)
		case "series", "part":
			c.seriesField(f)
		default:
			c.warnf(f.line, "unknown front matter field %q%s", f.key, didYouMean(f.key))
		}
	}
	c.seriesPair()
	if !haveTitle {
		c.errorf(c.d.base, "title is required")
	}
	if !haveDate {
		c.errorf(c.d.base, "date is required")
	}
	if !e.Updated.IsZero() && !e.Date.IsZero() && e.Updated.Before(e.Date) {
		c.warnf(updatedLine, "updated (%s) is before date (%s)", showDate(e.Updated), showDate(e.Date))
	}
}

// didYouMean suggests the known field an unknown one probably meant.
func didYouMean(key string) string {
	lower := strings.ToLower(key)
	if f, ok := fieldHints[lower]; ok {
		return fmt.Sprintf(" (did you mean %q?)", f)
	}
	best, bestDist := "", 3
	for _, f := range knownFields {
		if d := editDistance(lower, f); d < bestDist && (d <= 1 || len(f) > 4) {
			best, bestDist = f, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// editDistance is the optimal string alignment distance (Levenshtein plus
// transpositions), enough for typos like "titel".
func editDistance(a, b string) int {
	if len(a) > 32 || len(b) > 32 {
		return math.MaxInt
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// text checks a text field. Absent (null) text is the empty string.
func (c *checker) text(name string, line int, v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v), true
	case nil:
		return "", true
	case bool, int64, uint64, float64, int, time.Time:
		c.errorf(line, "%s must be text (put the value in quotes)", name)
	default:
		c.errorf(line, "%s must be text", name)
	}
	return "", false
}

// showDate writes a date back the way a reporter would have written it.
func showDate(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339)
}

const dateFormats = "YYYY-MM-DD or RFC 3339"

// date checks a date field, the value v at the key path: whatever type
// YAML or TOML gave it, it is read as text by parseDate, so a tag or a
// native TOML date cannot move it out of the site's time zone or make it
// the zero time.
func (c *checker) date(name, path string, line int, v any) (time.Time, bool) {
	s, ok := c.d.texts[path]
	if !ok {
		if s, ok = dateText(v); !ok {
			c.errorf(line, "%s must be a date (%s)", name, dateFormats)
			return time.Time{}, false
		}
	}
	t, ok := parseDate(strings.TrimSpace(s), c.loc)
	if !ok || !t.After(time.Time{}) {
		c.errorf(line, "%s must be a date (%s), not %q", name, dateFormats, s)
		return time.Time{}, false
	}
	return t, true
}

// dateText turns a decoded scalar back into the text it was written as.
// TOML dates and times come as time.Time: local ones carry marker zones
// and are written without a zone, to be read in the site's time zone.
func dateText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case time.Time:
		switch v.Location().String() {
		case "date-local":
			return v.Format("2006-01-02"), true
		case "datetime-local":
			return v.Format("2006-01-02T15:04:05.999999999"), true
		case "time-local":
			return v.Format("15:04:05.999999999"), true
		}
		return v.Format(time.RFC3339Nano), true
	case bool, int64, uint64, float64:
		return fmt.Sprint(v), true
	}
	return "", false
}

// dateLayouts are tried in order. Those without a zone are read in the
// site's time zone: a bare date is midnight there.
var dateLayouts = []string{
	"2006-01-02",
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
}

// parseDate reads the dates of SPEC §2: YYYY-MM-DD, RFC 3339, and, as a
// kindness, RFC 3339 without seconds or zone, or with a space for the T.
func parseDate(s string, loc *time.Location) (time.Time, bool) {
	if len(s) > 10 && (s[10] == ' ' || s[10] == 't') {
		s = s[:10] + "T" + s[11:]
	}
	if n := len(s); n > 0 && s[n-1] == 'z' {
		s = s[:n-1] + "Z"
	}
	for i, layout := range dateLayouts {
		if i == 0 && len(s) != len(layout) {
			continue // YYYY-MM-DD is ten bytes; a failed parse costs an error
		}
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// list checks that a field is a list.
func (c *checker) list(f field, what string) ([]any, bool) {
	switch v := f.val.(type) {
	case []any:
		return v, true
	case []map[string]any: // TOML [[tables]]
		out := make([]any, len(v))
		for i, m := range v {
			out[i] = m
		}
		return out, true
	case nil:
		return nil, true
	}
	c.errorf(f.line, "%s must be a list of %s", f.key, what)
	return nil, false
}

// line returns the line of a key path of the front matter.
func (c *checker) line(path string) int { return c.d.line(path) }

// table checks the keys of a table: unknown keys are warnings, and it
// returns the text of the known ones but those listed in other, which the
// caller checks: out[i] is the text of keys[i] (at most four keys), "" for
// a key that is absent.
func (c *checker) table(path string, m map[string]any, keys []string, other ...string) (out [4]string) {
	var unknown []string
	for k, v := range m {
		i := slices.Index(keys, k)
		if i < 0 {
			unknown = append(unknown, k)
			continue
		}
		if slices.Contains(other, k) {
			continue
		}
		if s, ok := v.(string); ok {
			out[i] = strings.TrimSpace(s) // as c.text, without naming the key
			continue
		}
		out[i], _ = c.text(describePath(path)+": "+k, c.line(path+"."+k), v)
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		c.warnf(c.line(path+"."+k), "unknown field %q in %s (use %s)", k, describePath(path), strings.Join(keys, ", "))
	}
	return out
}

func (c *checker) authors(f field) []Author {
	items, ok := c.list(f, "{name, role}")
	if !ok {
		return nil
	}
	var out []Author
	for i, it := range items {
		p := f.key + "." + strconv.Itoa(i)
		var a Author
		switch v := it.(type) {
		case string:
			a.Name = strings.TrimSpace(v)
		case map[string]any:
			t := c.table(p, v, []string{"name", "role"})
			a.Name, a.Role = t[0], t[1]
			if _, ok := v["name"]; !ok {
				c.errorf(c.line(p), "%s has no name", describePath(p))
				continue
			}
		default:
			c.errorf(c.line(p), "%s must be {name, role} or a name", describePath(p))
			continue
		}
		if a.Name == "" {
			c.errorf(c.line(p), "%s has an empty name", describePath(p))
			continue
		}
		out = append(out, a)
	}
	return out
}

func (c *checker) tags(f field) []string {
	items, ok := c.list(f, "text")
	if !ok {
		return nil
	}
	var out []string
	for i, it := range items {
		s, ok := it.(string)
		if !ok {
			p := f.key + "." + strconv.Itoa(i)
			c.errorf(c.line(p), "%s must be text", describePath(p))
			continue
		}
		if s = strings.TrimSpace(s); s == "" {
			p := f.key + "." + strconv.Itoa(i)
			c.warnf(c.line(p), "%s is empty", describePath(p))
			continue
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (c *checker) hero(f field) *Hero {
	switch v := f.val.(type) {
	case nil:
		return nil
	case string:
		h := &Hero{Src: strings.TrimSpace(v), Line: f.line}
		if h.Src == "" {
			c.errorf(f.line, "hero is empty: give a photo path such as photos/hero.jpg")
			return nil
		}
		return h
	case map[string]any:
		t := c.table(f.key, v, []string{"src", "alt", "caption", "credit"})
		h := &Hero{Src: t[0], Alt: t[1], Caption: t[2], Credit: t[3], Line: f.line}
		if h.Src == "" {
			c.errorf(f.line, "hero has no src: give the photo path as src")
			return nil
		}
		return h
	}
	c.errorf(f.line, "hero must be a photo path or {src, alt, caption, credit}")
	return nil
}

func (c *checker) corrections(f field) []Correction {
	items, ok := c.list(f, "{date, text}")
	if !ok {
		return nil
	}
	var out []Correction
	for i, it := range items {
		p := f.key + "." + strconv.Itoa(i)
		m, ok := it.(map[string]any)
		if !ok {
			c.errorf(c.line(p), "%s must be {date, text}", describePath(p))
			continue
		}
		t := c.table(p, m, []string{"date", "text"}, "date")
		var corr Correction
		good := true
		if d, ok := m["date"]; !ok || d == nil {
			c.errorf(c.line(p), "%s has no date", describePath(p))
			good = false
		} else if corr.Date, ok = c.date(describePath(p)+": date", p+".date", c.line(p+".date"), d); !ok {
			good = false
		}
		corr.Text = t[1]
		if corr.Text == "" {
			c.errorf(c.line(p), "%s has no text", describePath(p))
			good = false
		}
		if good {
			out = append(out, corr)
		}
	}
	return out
}

// shown is a front matter value as a message quotes it: "yes", 1.
func shown(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	return fmt.Sprint(v)
}
