// Package theme turns a theme folder into a set of html/template layouts,
// per-language UI strings and static files.
//
// A theme folder (themes/<name>/ in a site, or the embedded default from
// package dateline/themes) holds:
//
//	layouts/report.html     one layout per page kind: the layout of a Page is
//	layouts/front.html      Page.Kind + ".html" — report, front, root and 404
//	layouts/root.html       are required, any other *.html is a layout for a
//	layouts/404.html        kind of that name
//	layouts/partials/*.html shared templates ({{define "head"}}…), parsed
//	                        before every layout; a layout may redefine them
//	i18n/<lang>.toml        UI words of one language (zh.toml, en.toml)
//	static/css/*.css        stylesheets, linked on every page in name order
//	static/js/*.js          scripts, loaded deferred on every page
//	static/…                any other file (icons, images for the CSS)
//
// Layouts are executed with a *Page; .T is the page language's *Strings,
// whose methods give dates, stop labels, reading time and credits lines in
// that language. Besides html/template's builtins, layouts may call:
//
//	iso TIME        RFC 3339 timestamp for <time datetime>
//	isodate TIME    "2006-01-02"
//	i18n LANG       the *Strings of another language (for root and 404)
//	phrases LANG S  S as HTML; in Chinese (LANG "zh", "zh-CN", …) with a
//	                <wbr> between its phrases (package phrase), for
//	                headlines styled `word-break: keep-all`
//	urlpath URL     the path of an absolute URL, for site-relative links
//	                that hold on any host: urlpath .BaseURL → "/features/"
//	overlap A B     whether A and B say nearly the same (a teaser's dek and
//	                summary): most of the shorter one's characters, in
//	                pairs, are in the longer one
//
// An i18n file holds string keys (tables flatten to dotted keys) and lists
// of strings. A key missing in a language is taken from en.toml (Load warns
// about it); a language without a file uses en.toml altogether (Set.Check
// names it as a warning). Patterns hold placeholders in braces:
// reading_time = "阅读约 {n} 分钟". The keys the Strings methods read:
//
//	date_format, datetime_format        Go layouts: "2006年1月2日"
//	stop_label, stop_label_beyond       "第{n}站", "{n} stop", "Stop {n}"
//	stop_numerals = "chinese"           or stop_ordinals = ["First", …]
//	stops, stops_one                    "{n} stops", "1 stop"
//	stops_line, stops_line_sep          "{count}: {list}", " → "
//	reading_time, reading_time_one      "{n} min read"
//	credit_role, credit_role_slash      "{role}/{names}", "{role} {names}"
//	credit_names_sep, credit_names_last "、", " and "
//	credit_sep                          " ", " · "
//
// Any other key is for layouts ({{.T.Get "journey"}}); the default theme's
// files list them all.
//
// Problems name the theme's own files and lines: a template that does not
// parse is "themes/default/layouts/report.html:12: unexpected …".
package theme

import (
	"bytes"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"dateline/cmd/internal/problem"
)

// required are the page kinds every theme must have a layout for.
var required = []string{"report", "front", "root", "404"}

// fallbackLang is the language whose strings stand in for a missing one.
const fallbackLang = "en"

// A Set is a loaded theme: parsed layouts, strings and static files. It is
// immutable and safe for concurrent use.
type Set struct {
	dir     string                        // "themes/default", for messages
	layouts map[string]*template.Template // by file name: "report.html"
	// compiled holds the layouts compiled to Go closures (compile.go);
	// uncompiled says why the others were not.
	compiled   map[string]*program
	uncompiled map[string]error
	// slow counts the pages a compiled layout left to html/template at
	// run time (errSlow).
	slow   atomic.Int64
	strs   map[string]*Strings // by language key
	static []File
	// phrased remembers the headlines the phrases function split.
	phrased phraseMemo
}

// A File is one file under the theme's static/ folder.
type File struct {
	Path string // relative to static/: "css/dateline.css"
	Data []byte
}

// Load reads the theme in fsys, rooted at the theme folder; dir is the
// folder's path in messages ("themes/default"). It returns a nil Set when a
// problem is an error.
func Load(fsys fs.FS, dir string) (*Set, []problem.Problem) {
	s := &Set{dir: dir, layouts: map[string]*template.Template{}, strs: map[string]*Strings{},
		compiled: map[string]*program{}, uncompiled: map[string]error{}}
	var ps []problem.Problem
	ps = append(ps, s.loadStrings(fsys)...)
	ps = append(ps, s.loadLayouts(fsys)...)
	ps = append(ps, s.loadStatic(fsys)...)
	if problem.Errors(ps, false) != nil {
		return nil, ps
	}
	return s, ps
}

func (s *Set) loadStrings(fsys fs.FS) []problem.Problem {
	names, err := fs.Glob(fsys, "i18n/*.toml")
	if err != nil {
		return []problem.Problem{problem.Errorf(s.dir+"/i18n", 0, "%v", err)}
	}
	if len(names) == 0 {
		return []problem.Problem{problem.Errorf(s.dir+"/i18n", 0, "no string files: the theme needs i18n/<lang>.toml, such as i18n/en.toml")}
	}
	var ps []problem.Problem
	for _, name := range names {
		file := s.dir + "/" + name
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			ps = append(ps, problem.Errorf(file, 0, "%v", err))
			continue
		}
		lang := strings.TrimSuffix(path.Base(name), ".toml")
		strs, sps := parseStrings(lang, file, data)
		ps = append(ps, sps...)
		if strs != nil {
			s.strs[lang] = strs
		}
	}
	fb := s.strs[fallbackLang]
	for lang, strs := range s.strs {
		if lang == fallbackLang {
			continue
		}
		strs.fallback = fb
		if fb == nil {
			continue
		}
		var missing []string
		// Plural forms (key_one) and lists (ordinals) are optional: not
		// every language has them.
		for k := range fb.m {
			if _, ok := strs.m[k]; !ok && !strings.HasSuffix(k, "_one") {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			slices.Sort(missing)
			ps = append(ps, problem.Warnf(s.dir+"/i18n/"+lang+".toml", 0,
				"missing %s (taken from %s.toml)", strings.Join(missing, ", "), fallbackLang))
		}
	}
	return ps
}

func (s *Set) loadLayouts(fsys fs.FS) []problem.Problem {
	var ps []problem.Problem
	base := template.New("").Funcs(s.funcs())
	partials, _ := fs.Glob(fsys, "layouts/partials/*.html")
	for _, name := range partials {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			ps = append(ps, problem.Errorf(s.dir+"/"+name, 0, "%v", err))
			continue
		}
		if _, err := base.New(strings.TrimPrefix(name, "layouts/")).Parse(string(data)); err != nil {
			ps = append(ps, s.templateProblem(err, nil))
		}
	}
	if len(ps) > 0 {
		return ps
	}
	layouts, _ := fs.Glob(fsys, "layouts/*.html")
	for _, name := range layouts {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			ps = append(ps, problem.Errorf(s.dir+"/"+name, 0, "%v", err))
			continue
		}
		t, err := base.Clone()
		if err != nil {
			ps = append(ps, problem.Errorf(s.dir+"/"+name, 0, "%v", err))
			continue
		}
		file := path.Base(name)
		if _, err := t.New(file).Parse(string(data)); err != nil {
			ps = append(ps, s.templateProblem(err, nil))
			continue
		}
		// html/template escapes a template when it first runs; run it
		// once now on an empty page, so a contextual escaping error is
		// reported at load time. Errors of the run itself are expected
		// (the page is empty) and ignored.
		err = t.ExecuteTemplate(io.Discard, file, &Page{Kind: strings.TrimSuffix(file, ".html"), T: s.Strings(fallbackLang)})
		var eerr *template.Error
		if errors.As(err, &eerr) {
			ps = append(ps, s.templateProblem(err, t))
			continue
		}
		s.layouts[file] = t
		if p, err := compileLayout(t, file, s.funcs()); err == nil {
			s.compiled[file] = p
		} else {
			s.uncompiled[file] = err
		}
	}
	for _, kind := range required {
		if !slices.Contains(layouts, "layouts/"+kind+".html") {
			ps = append(ps, problem.Errorf(s.dir+"/layouts/"+kind+".html", 0, "missing layout for %s pages", kind))
		}
	}
	return ps
}

func (s *Set) loadStatic(fsys fs.FS) []problem.Problem {
	var ps []problem.Problem
	err := fs.WalkDir(fsys, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && name == "static" {
				return fs.SkipDir
			}
			ps = append(ps, problem.Errorf(s.dir+"/"+name, 0, "%v", err))
			return nil
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			ps = append(ps, problem.Errorf(s.dir+"/"+name, 0, "%v", err))
			return nil
		}
		s.static = append(s.static, File{Path: strings.TrimPrefix(name, "static/"), Data: data})
		return nil
	})
	if err != nil {
		ps = append(ps, problem.Errorf(s.dir+"/static", 0, "%v", err))
	}
	slices.SortFunc(s.static, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return ps
}

func (s *Set) funcs() template.FuncMap {
	return template.FuncMap{
		"iso":     func(t time.Time) string { return t.Format(time.RFC3339) },
		"isodate": func(t time.Time) string { return t.Format("2006-01-02") },
		"i18n":    s.Strings,
		"phrases": s.phrased.phrases,
		"urlpath": urlpath,
		"overlap": overlap,
	}
}

// Has reports whether the theme has a layout for kind ("search"): the
// layouts beyond the required ones are optional.
func (s *Set) Has(kind string) bool { _, ok := s.layouts[kind+".html"]; return ok }

// Execute renders p with the layout Page.Kind + ".html". An error names the
// layout file and line when html/template gives one.
func (s *Set) Execute(w io.Writer, p *Page) error {
	file := p.Kind + ".html"
	t, ok := s.layouts[file]
	if !ok {
		return problem.Errorf(s.dir+"/layouts/"+file, 0, "no layout for %q pages", p.Kind)
	}
	if p.T == nil {
		q := *p
		q.T = s.Strings(p.Lang.Key)
		p = &q
	}
	// Render into a buffer (w itself when it is one), so that a failing
	// template writes nothing. A compiled layout renders the page unless
	// something in it is unusual; html/template renders it then, as it
	// would have.
	buf, direct := w.(*bytes.Buffer)
	if !direct {
		buf = new(bytes.Buffer)
	}
	start := buf.Len()
	err := errSlow
	if prog := s.compiled[file]; prog != nil {
		if err = prog.execute(buf, reflect.ValueOf(p)); err != nil {
			s.slow.Add(1)
		}
	}
	if err != nil {
		buf.Truncate(start)
		if err := t.ExecuteTemplate(buf, file, p); err != nil {
			buf.Truncate(start)
			return s.templateProblem(err, t)
		}
	}
	if direct {
		return nil
	}
	_, err = buf.WriteTo(w)
	return err
}

// A Fallback is a layout that runs in html/template because the compiler
// (compile.go) leaves a construct in it, or in a partial it calls, to
// html/template.
type Fallback struct {
	Layout string // the layout's file: "report.html"
	File   string // the construct's file: "themes/x/layouts/partials/head.html"
	Line   int    // the construct's line; 0 when unknown
	What   string // the construct: "printf", "range over map[string]string"
}

// String formats f as "path:line: message", naming the layout when the
// construct is in another file.
func (f Fallback) String() string {
	var b strings.Builder
	b.WriteString(f.File)
	if f.Line > 0 {
		b.WriteString(":" + strconv.Itoa(f.Line))
	}
	b.WriteString(": layout ")
	if path.Base(f.File) != f.Layout {
		b.WriteString(f.Layout + " ")
	}
	b.WriteString("falls back to html/template: " + f.What)
	return b.String()
}

// Fallbacks returns the layouts that run in html/template, by file name.
func (s *Set) Fallbacks() []Fallback {
	var fs []Fallback
	for layout, err := range s.uncompiled {
		f := Fallback{Layout: layout, File: s.dir + "/layouts/" + layout, What: err.Error()}
		if e, ok := err.(errUncompiled); ok {
			f.What = e.what
			if e.file != "" {
				f.File, f.Line = s.dir+"/layouts/"+e.file, e.line
			}
		}
		fs = append(fs, f)
	}
	slices.SortFunc(fs, func(a, b Fallback) int { return strings.Compare(a.Layout, b.Layout) })
	return fs
}

// SlowPages returns how many pages a compiled layout has left to
// html/template at run time (a nil pointer, an index out of range, a value
// of a type it was not compiled for), since the Set was loaded.
func (s *Set) SlowPages() int64 { return s.slow.Load() }

// Strings returns the UI strings of the language with key lang, or the
// fallback language's (en) when the theme has no file for it.
func (s *Set) Strings(lang string) *Strings {
	if strs, ok := s.strs[lang]; ok {
		return strs
	}
	if strs, ok := s.strs[fallbackLang]; ok {
		return strs
	}
	// No en.toml either: any language is better than none.
	keys := make([]string, 0, len(s.strs))
	for k := range s.strs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) > 0 {
		return s.strs[keys[0]]
	}
	return &Strings{Lang: lang}
}

// Check returns a warning for each language among langs that the theme has
// no i18n file for (its pages use the fallback language's words).
func (s *Set) Check(langs ...string) []problem.Problem {
	var ps []problem.Problem
	for _, l := range langs {
		if _, ok := s.strs[l]; !ok {
			ps = append(ps, problem.Warnf(s.dir+"/i18n/"+l+".toml", 0, "no strings for language %q: using %s", l, s.Strings(l).Lang))
		}
	}
	return ps
}

// Static returns every file under the theme's static/ folder, sorted by
// path. The slice and its data are shared: callers must not modify them.
func (s *Set) Static() []File { return s.static }

// tmplErr matches the location html/template and text/template put in
// their messages: "template: report.html:12: …",
// "template: partials/head.html:3:14: executing …",
// "html/template:report.html:5:10: …".
var tmplErr = regexp.MustCompile(`^(?:html/)?template: ?([^:\s]+):(?:(\d+):)?(?:(\d+):)? ?(.*)$`)

// templateProblem turns a template error into a problem naming the theme
// file and line. t, when known, maps a defined template's name to its file.
func (s *Set) templateProblem(err error, t *template.Template) problem.Problem {
	msg := err.Error()
	m := tmplErr.FindStringSubmatch(strings.SplitN(msg, "\n", 2)[0])
	if m == nil {
		return problem.Errorf(s.dir+"/layouts", 0, "%s", strings.TrimPrefix(strings.TrimPrefix(msg, "html/template: "), "template: "))
	}
	name := m[1]
	if t != nil {
		if d := t.Lookup(name); d != nil && d.Tree != nil && d.Tree.ParseName != "" {
			name = d.Tree.ParseName
		}
	}
	text := m[4]
	// html/template appends its internal state to some messages:
	// "ends in a non-text context: {stateURL delimDoubleQuote …}".
	if i := strings.Index(text, ": {state"); i >= 0 {
		text = text[:i]
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	p := problem.Errorf(s.dir+"/layouts/"+name, line, "%s", text)
	p.Column = col
	return p
}
