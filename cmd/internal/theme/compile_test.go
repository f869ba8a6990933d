package theme

import (
	"bytes"
	"errors"
	"html/template"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

// both renders p with the compiled layout and with html/template, and
// fails unless the compiled run succeeded with the same bytes.
func both(t testing.TB, s *Set, p *Page) string {
	t.Helper()
	file := p.Kind + ".html"
	prog := s.compiled[file]
	if prog == nil {
		t.Fatalf("%s is not compiled: %v", file, s.uncompiled[file])
	}
	var want bytes.Buffer
	if err := s.layouts[file].ExecuteTemplate(&want, file, p); err != nil {
		t.Fatalf("html/template: %v", err)
	}
	var got bytes.Buffer
	got.WriteString("kept") // what is in the buffer already stays
	if err := prog.execute(&got, reflect.ValueOf(p)); err != nil {
		t.Fatalf("compiled %s: %v", file, err)
	}
	if !strings.HasPrefix(got.String(), "kept") {
		t.Fatalf("compiled run overwrote the buffer")
	}
	if g := strings.TrimPrefix(got.String(), "kept"); g != want.String() {
		t.Fatalf("compiled %s differs from html/template:\n%s", file, firstDiff(g, want.String()))
	}
	return want.String()
}

func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(i-80, 0)
	return "got:  …" + got[from:min(i+80, len(got))] + "\nwant: …" + want[from:min(i+80, len(want))]
}

func TestDefaultLayoutsAreCompiled(t *testing.T) {
	s := loadDefault(t)
	for _, kind := range required {
		if s.compiled[kind+".html"] == nil {
			t.Errorf("%s.html is not compiled: %v", kind, s.uncompiled[kind+".html"])
		}
	}
}

// nasty is text a reporter or a site could put anywhere.
const nasty = "Tom & Jerry's \"<b>bold</b>\" 1+1>0 \x00 \xff\xfe 第一站 <script>alert(1)</script>"

func TestCompiledMatchesHTMLTemplate(t *testing.T) {
	s := loadDefault(t)
	tests := []struct {
		name string
		page func() *Page
	}{
		{"report zh", func() *Page { return reportPage(t, s, "zh") }},
		{"report en", func() *Page { return reportPage(t, s, "en") }},
		{"report, one edition", func() *Page { return reportPage(t, s, "en", "en") }},
		{"front zh", func() *Page { return frontPage(t, s, "zh") }},
		{"front en", func() *Page { return frontPage(t, s, "en") }},
		{"root", func() *Page { return rootPage(t, s) }},
		{"404 en", func() *Page { return notFoundPage(s, "en") }},
		{"404 zh", func() *Page { return notFoundPage(s, "zh") }},
		{"report, nothing optional", func() *Page {
			p := reportPage(t, s, "en")
			r := p.Report
			r.Hero, r.Stops, r.Tags, r.Authors, r.Corrections = nil, nil, nil, nil, nil
			r.Subtitle, r.Dateline, r.CreditsLine, r.ReadingTime = "", "", "", ""
			r.Updated, r.UpdatedText = time.Time{}, ""
			p.Head, p.Feed, p.Description, p.Canonical = "", "", "", ""
			p.CSS, p.JS = nil, nil
			return p
		}},
		{"report, nasty text everywhere", func() *Page {
			p := reportPage(t, s, "zh")
			p.Title, p.SiteTitle, p.Description = nasty, nasty, nasty
			r := p.Report
			r.Title, r.Subtitle, r.Dateline, r.Summary = nasty, nasty, nasty, nasty
			r.DateText, r.UpdatedText, r.ReadingTime, r.CreditsLine = nasty, nasty, nasty, nasty
			r.Tags = []string{nasty, "a+b"}
			r.Hero.Alt, r.Hero.Caption, r.Hero.Sizes = nasty, nasty, nasty
			r.Hero.Credit = template.HTML("<em>" + nasty + "</em>")
			r.Stops[0].Label, r.Stops[0].Title, r.Stops[0].ID = nasty, nasty, "stop 1/é?"
			r.Authors = []Author{{Name: nasty, Role: nasty}}
			p.Alternates[0].Lang.Name = nasty
			return p
		}},
		{"report, unsafe URLs", func() *Page {
			p := reportPage(t, s, "en")
			p.Report.Hero.URL = "javascript:alert(1)"
			p.Report.Hero.Srcset = "a.jpg 1x, javascript:x 2x, b c d, /x.jpg?a=1&b=%41 480w,  ,x.jpg 1x!"
			p.Alternates[0].URL = "JavaScript:alert(2)"
			p.Home = "/home page/ünï?q=<>&r=%zz"
			p.CSS = []string{"data:text/css,x", "/a b.css"}
			p.Feed = "mailto:x@example.org"
			return p
		}},
		{"preview with errors and warnings", func() *Page {
			p := reportPage(t, s, "en")
			p.Report.Draft = true
			p.Preview = &Preview{
				Banner:   nasty,
				Errors:   []string{nasty, "content/x/en.md:1: bad"},
				Warnings: []string{nasty},
				Script:   `<script src="/_dateline/livereload.js" defer></script>`,
			}
			return p
		}},
		{"front, no reports", func() *Page {
			p := frontPage(t, s, "en")
			p.Reports = nil
			return p
		}},
		{"front, drafts and embargoes", func() *Page {
			p := frontPage(t, s, "zh")
			for i, r := range p.Reports {
				r.Draft = i%2 == 0
				r.Embargoed = i%3 == 0
			}
			return p
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { both(t, s, tt.page()) })
	}
}

func TestFrontArchiveCompiled(t *testing.T) {
	s := loadDefault(t)
	p := frontPage(t, s, "en")
	for len(p.Reports) <= 30 {
		r := *p.Reports[len(p.Reports)%2]
		r.Title = r.Title + " " + strings.Repeat("+", len(p.Reports))
		p.Reports = append(p.Reports, &r)
	}
	out := both(t, s, p)
	if !strings.Contains(out, `class="archive"`) {
		t.Fatal("no archive on a front page of 31 reports")
	}
}

// A page the compiled layout cannot render is rendered by html/template:
// the same page, or the same error.
func TestCompiledFallsBack(t *testing.T) {
	s := loadDefault(t)
	// Report pages without a report: {{with .Report}} is false, the page
	// renders without one (no fallback needed).
	p := reportPage(t, s, "en")
	p.Report = nil
	both(t, s, p)

	// A nil Strings: .T.Get would be called on nil.
	p = reportPage(t, s, "en")
	p.Report.Hero = &Image{URL: "/x.jpg", Credit: template.HTML("<b>x</b>")}
	prog := s.compiled["report.html"]
	var buf bytes.Buffer
	q := *p
	q.T = nil
	if err := prog.execute(&buf, reflect.ValueOf(&q)); !errors.Is(err, errSlow) {
		t.Fatalf("compiled run with a nil T: %v, want errSlow", err)
	}
	// Execute fills T in and renders it.
	var out bytes.Buffer
	if err := s.Execute(&out, &q); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), []byte(both(t, s, p))) {
		t.Fatal("Execute with a nil T differs from the page with T")
	}
}

// A theme using what the compiler leaves to html/template still works, and
// its errors are html/template's.
func TestUncompiledTheme(t *testing.T) {
	layout := func(body string) string {
		return `<!doctype html><html lang="{{.Lang.Tag}}"><title>x</title><body>` + body + `</body></html>`
	}
	tests := []struct {
		name, report string
		compiled     bool
		want         string // in the output; "" for an error
		wantErr      string
	}{
		{"printf", `{{printf "%d stops" (len .Report.Stops)}}`, false, "2 stops", ""},
		{"break", `{{range .Report.Tags}}{{.}}{{break}}{{end}}`, false, "a", ""},
		{"with declaration", `{{with $t := .Report.Title}}{{$t}}{{end}}`, false, "Title", ""},
		{"compiled", `{{.Report.Title}}|{{index .Report.Tags 1}}|{{len .Report.Tags}}|{{if eq .Kind "report"}}yes{{end}}`, true, "Title|b|2|yes", ""},
		{"nil report", `{{.Report.Title}}`, true, "", "nil pointer evaluating"},
		{"index out of range", `{{index .Report.Tags 5}}`, true, "", "index out of range"},
		{"endless recursion", `{{define "a"}}{{template "a" .}}{{end}}{{template "a" .}}`, true, "", "maximum template depth"},
		{"attribute from HTML", `<a title="{{.Report.Body}}">x</a>`, true, `title="bold &amp; x"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := minimalTheme(map[string]string{"layouts/report.html": layout(tt.report), "i18n/en.toml": `hello = "Hello"`})
			s, ps := Load(fsys, "themes/t")
			if s == nil {
				t.Fatalf("Load: %v", ps)
			}
			if got := s.compiled["report.html"] != nil; got != tt.compiled {
				t.Fatalf("compiled = %v (%v), want %v", got, s.uncompiled["report.html"], tt.compiled)
			}
			p := &Page{Kind: "report", Lang: enLang, Report: &Report{Title: "Title", Tags: []string{"a", "b"},
				Stops: []Stop{{N: 1}, {N: 2}}, Body: "<p>bold &amp; <b>x</b></p>"}}
			if tt.name == "nil report" {
				p.Report = nil
			}
			var buf bytes.Buffer
			err := s.Execute(&buf, p)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "themes/t/layouts/report.html") {
					t.Fatalf("Execute: %v, want an error naming the layout with %q", err, tt.wantErr)
				}
				if buf.Len() != 0 {
					t.Fatalf("a failing page wrote %q", buf.String())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), tt.want) {
				t.Fatalf("got %s, want it to contain %s", buf.String(), tt.want)
			}
			// Whatever ran, the page is html/template's.
			var want bytes.Buffer
			if err := s.layouts["report.html"].ExecuteTemplate(&want, "report.html", p); err != nil {
				t.Fatal(err)
			}
			if buf.String() != want.String() {
				t.Fatalf("Execute gave\n%s\nhtml/template gives\n%s", buf.String(), want.String())
			}
		})
	}
}

// escapeContexts are the places a layout prints a value, each calling
// different escapers.
var escapeContexts = []string{
	`<p>{{.}}</p>`,
	`<a title="{{.}}">x</a>`,
	`<a title='{{.}}'>x</a>`,
	`<title>{{.}}</title>`,
	`<textarea>{{.}}</textarea>`,
	`<a href="{{.}}">x</a>`,
	`<a href="/x/{{.}}">x</a>`,
	`<a href="/x?q={{.}}">x</a>`,
	`<a href="#{{.}}">x</a>`,
	`<img srcset="{{.}}">`,
	`<img src="{{.}}" srcset="/a.jpg 1x, {{.}}">`,
}

// escapeBoth renders data in the context src with html/template and with
// the compiled template; ok is false when the compiler left the context
// or the value to html/template.
func escapeBoth(t testing.TB, src string, data any) (got, want string, ok bool) {
	t.Helper()
	tmpl := template.Must(template.New("t").Parse(src))
	var w bytes.Buffer
	if err := tmpl.Execute(&w, data); err != nil {
		t.Fatal(err)
	}
	c := &compiler{set: tmpl, progs: map[progKey]*program{}}
	prog, err := c.template("t", reflect.TypeOf(data))
	if err != nil {
		return "", w.String(), false
	}
	var g bytes.Buffer
	if err := prog.execute(&g, reflect.ValueOf(data)); err != nil {
		if !errors.Is(err, errSlow) {
			t.Fatalf("%s: %v", src, err)
		}
		return "", w.String(), false
	}
	return g.String(), w.String(), true
}

func TestEscapers(t *testing.T) {
	values := []any{
		"plain", "", nasty, "a&b&amp;c", "x+y=z", "javascript:alert(1)", "JAVASCRIPT:x", "mailto:a@b.c",
		"http://example.org/a b?c=d&e=f#g", "/a/b:c", "a:b/c", "%41%zz%4", "%", "ü é 汉字 \u2028",
		"/a.jpg 480w, /b.jpg 960w", " /a.jpg 480w ,/b.jpg", "a.jpg 1x!", "a,b,,c", "\t/a.jpg\n2x",
		"x\x00y", "\xff", "'\"<>`=", "data:image/png;base64,AAAA",
		template.HTML("<b>bold</b> &amp; &lt;"), template.HTML("javascript:x"), template.HTML("a\x00b"),
		7, -12, 0, true, false,
	}
	for _, src := range escapeContexts {
		for _, v := range values {
			got, want, ok := escapeBoth(t, src, v)
			_, isHTML := v.(template.HTML)
			if !ok {
				// Only HTML in attributes is left to html/template.
				if !isHTML || !strings.Contains(src, `="`) && !strings.Contains(src, `='`) {
					t.Errorf("%s with %#v: not compiled", src, v)
				}
				continue
			}
			if got != want {
				t.Errorf("%s with %#v:\ngot  %s\nwant %s", src, v, got, want)
			}
		}
	}
}

func FuzzEscapers(f *testing.F) {
	for _, s := range []string{"a&b", nasty, "javascript:x", "/a.jpg 1x, /b.jpg 2x", "%41%4", "\x00\xff"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, isHTML bool) {
		var data any = s
		if isHTML {
			data = template.HTML(s)
		}
		for _, src := range escapeContexts {
			if got, want, ok := escapeBoth(t, src, data); ok && got != want {
				t.Fatalf("%s with %#v:\ngot  %s\nwant %s", src, data, got, want)
			}
		}
	})
}

// FuzzCompiledReport puts arbitrary text in a report page's fields and
// holds the compiled layout to html/template's bytes.
func FuzzCompiledReport(f *testing.F) {
	f.Add("Title", "/x.jpg", "/a.jpg 1x", "stop-1", 3)
	f.Add(nasty, "javascript:x", "a,b c d", "a b", 0)
	s := loadDefault(f)
	f.Fuzz(func(t *testing.T, text, url, srcset, id string, n int) {
		for _, lang := range []string{"zh", "en"} {
			p := reportPage(t, s, lang)
			r := p.Report
			r.Title, r.Subtitle, r.Summary, r.ReadingTime = text, text, text, text
			r.Tags = []string{text}
			r.Hero.URL, r.Hero.Srcset, r.Hero.Alt = url, srcset, text
			r.Hero.Width = n
			r.Stops[0].ID, r.Stops[0].Title = id, text
			r.Authors = append(r.Authors, Author{Name: text, Role: text})
			p.Home, p.Description = url, text
			both(t, s, p)
		}
	})
}

// BenchmarkExecute renders the sample report page and a front page of 40
// reports with the compiled layouts and with html/template.
func BenchmarkExecute(b *testing.B) {
	s := loadDefault(b)
	front := frontPage(b, s, "en")
	for len(front.Reports) < 40 {
		front.Reports = append(front.Reports, front.Reports[len(front.Reports)%2])
	}
	for _, pc := range []struct {
		name string
		page *Page
	}{{"report", reportPage(b, s, "zh")}, {"front", front}} {
		file := pc.page.Kind + ".html"
		for _, how := range []string{"compiled", "html-template"} {
			b.Run(pc.name+"/"+how, func(b *testing.B) {
				var buf bytes.Buffer
				b.ReportAllocs()
				for b.Loop() {
					buf.Reset()
					var err error
					if how == "compiled" {
						err = s.compiled[file].execute(&buf, reflect.ValueOf(pc.page))
					} else {
						err = s.layouts[file].ExecuteTemplate(&buf, file, pc.page)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
			})
		}
	}
}

// TestFallbacks: Fallbacks names each layout left to html/template with the
// file and line of the construct that made it so (in a partial when it is
// there), and SlowPages counts the pages a compiled layout left to
// html/template at run time, and only those.
func TestFallbacks(t *testing.T) {
	fsys := minimalTheme(map[string]string{
		"i18n/en.toml": `hello = "Hello"`,
		"layouts/report.html": "<!doctype html>\n<title>{{.Report.Title}}</title>\n" +
			"{{if .Report}}\n  <p>{{printf \"%d stops\" (len .Report.Stops)}}</p>\n{{end}}\n",
		"layouts/front.html":           `{{template "partials/count.html" .}}`,
		"layouts/partials/count.html":  "<p>\n{{with $tag := .Lang.Tag}}{{$tag}}{{end}}</p>",
		"layouts/root.html":            `<p>{{.Report.Title}}</p>`,
		"layouts/404.html":             `<p>{{.Lang.Tag}}</p>`,
		"layouts/partials/unused.html": `{{define "unused"}}{{print 1}}{{end}}`,
	})
	s, ps := Load(fsys, "themes/x")
	if s == nil {
		t.Fatalf("Load: %v", ps)
	}
	var got []string
	for _, f := range s.Fallbacks() {
		got = append(got, f.String())
	}
	want := []string{
		"themes/x/layouts/partials/count.html:2: layout front.html falls back to html/template: declaration in if or with",
		"themes/x/layouts/report.html:4: layout falls back to html/template: printf",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Fallbacks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	page := func(kind string, r *Report) *Page { return &Page{Kind: kind, Lang: enLang, Report: r} }
	for _, p := range []*Page{
		page("report", &Report{Title: "T"}), // uncompiled: not a run-time fallback
		page("front", nil),                  // uncompiled
		page("404", nil),                    // compiled, runs
		page("root", &Report{Title: "T"}),   // compiled, runs
	} {
		if err := s.Execute(io.Discard, p); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.SlowPages(); n != 0 {
		t.Errorf("SlowPages = %d after pages that ran as compiled or uncompiled; want 0", n)
	}
	if err := s.Execute(io.Discard, page("root", nil)); err == nil {
		t.Fatal("root with a nil Report: no error")
	}
	if n := s.SlowPages(); n != 1 {
		t.Errorf("SlowPages = %d after a nil pointer in a compiled layout; want 1", n)
	}
}

// TestCallPhrasesDirect: a function of two strings giving HTML (phrases
// .Lang.Key .Title, once per headline) is called directly when both
// arguments are strings by their static type: no reflect.Call, which
// makes a slice of arguments and one of results each time.
func TestCallPhrasesDirect(t *testing.T) {
	lit := func(s string) expr {
		return expr{typ: stringType, str: func(*frame, reflect.Value) (string, error) { return s, nil }}
	}
	fn := func(a, b string) template.HTML { return template.HTML(b) }
	e := call(reflect.ValueOf(fn), []expr{lit("zh"), lit("标题")})
	if e.typ != htmlType {
		t.Fatalf("typ = %v; want template.HTML", e.typ)
	}
	fr := new(frame)
	v, err := e.val(fr, reflect.Value{})
	if err != nil || v.Type() != htmlType || v.String() != "标题" {
		t.Fatalf("val = %v (%v), %v; want template.HTML 标题", v, v.Type(), err)
	}
	if n := testing.AllocsPerRun(50, func() { e.val(fr, reflect.Value{}) }); n > 1 {
		t.Errorf("a call allocated %v times; want at most 1 (the result's box)", n)
	}
}
