package content

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"dateline/cmd/internal/corpus"
	"dateline/cmd/internal/problem"
)

func edition(title string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\ndate: 2025-01-01\n---\n\nbody\n")}
}

// shape is what a test compares of loaded reports: slug → edition files.
func shape(rs []*Report) []string {
	var out []string
	for _, r := range rs {
		var files []string
		for _, e := range r.Editions {
			files = append(files, e.File)
			if e.Slug != r.Slug || e.File != r.Dir+"/"+e.Lang+".md" {
				files = append(files, fmt.Sprintf("(bad edition %s/%s in %s)", e.Slug, e.Lang, r.Dir))
			}
		}
		out = append(out, r.Slug+": "+strings.Join(files, " "))
	}
	return out
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"content/site.toml":            {Data: []byte("")},
		"content/beta/en.md":           edition("Beta"),
		"content/beta/zh.md":           edition("乙"),
		"content/alpha/zh.md":          edition("甲"),
		"content/alpha/en.md":          edition("Alpha"),
		"content/alpha/photos/a.jpg":   {Data: []byte("jpeg")},
		"content/alpha/_notes.md":      {Data: []byte("not an edition")},
		"content/alpha/.DS_Store":      {Data: []byte{0, 1}},
		"content/alpha/README.txt":     {Data: []byte("other files are the report's")},
		"content/_drafts/x/zh.md":      edition("draft"),
		"content/.git/HEAD":            {Data: []byte("ref")},
		"content/My Report/zh.md":      edition("x"),
		"content/河流/zh.md":             edition("x"),
		"content/gamma/fr.md":          edition("x"),
		"content/delta/en.md":          edition("Delta"),
		"content/delta/zh.md":          {Data: []byte("---\ntitle: 丁\n---\n")},
		"content/epsilon/zh.md":        {Data: []byte("no front matter\n")},
		"content/empty/photos/a.jpg":   {Data: []byte("jpeg")},
		"content/about.md":             edition("About"),
		"content/notes.txt":            {Data: []byte("ignored")},
		"content/zeta/zh.md":           {Data: make([]byte, MaxFileSize+1)},
		"content/zeta/en.md":           edition("Zeta"),
		"content/eta/zh.md/stray.jpg":  {Data: []byte("a folder named like an edition")},
		"themes/default/x.html":        {Data: []byte("not content")},
		"content/theta/en.md":          edition("[broken"),
		"content/theta/zh.md":          edition("好"),
		"content/iota/zh.md":           {Data: []byte("---\ntitle: t\ndate: 2025-01-01\ntitel: x\n---\n")},
		"content/kappa-2/zh.md":        edition("k"),
		"content/kappa-10/zh.md":       edition("k"),
		"content/Kappa--3/en.md":       edition("k"),
		"content/lambda/fr.md":         edition("x"),
		"content/lambda/en.md":         edition("Lambda"),
		"content/mu/zh.markdown":       edition("x"),
		"content/nu/ZH.md":             edition("x"),
		"content/xi/en.md":             edition("x"),
		"content/xi/photos/sub/b.jpg":  {Data: []byte("jpeg")},
		"content/omicron/zh.md":        {Data: []byte("---\ntitle: t\ndate: 2025-01-01\n---\n\xff\n")},
		"content/pi/en.md":             edition("Pi"),
		"content/pi/_old/en.md":        edition("ignored"),
		"content/rho/.hidden/zh.md":    edition("ignored"),
		"content/sigma--bad/zh.md":     edition("x"),
		"content/-tau/zh.md":           edition("x"),
		"content/upsilon_1/zh.md":      edition("x"),
		"content/phi/zh.md":            edition("Phi"),
		"content/phi/en.md":            {Data: []byte("\uFEFF---\r\ntitle: Phi\r\ndate: 2025-01-01\r\n---\r\n")},
		"content/chi/zh.md":            {Data: []byte("+++\ntitle = \"t\"\ndate = 2025-01-01\n+++\n")},
		"content/psi/en.md":            {Data: []byte("")},
		"content/omega/en.md":          {Data: []byte("---\ntitle: t\ndate: 2025-01-01\n")},
		"content/omega/photos/x/y.jpg": {Data: []byte("jpeg")},
	}
	reports, ps := Load(context.Background(), fsys, DefaultConfig())
	wantReports := []string{
		"alpha: content/alpha/zh.md content/alpha/en.md",
		"beta: content/beta/zh.md content/beta/en.md",
		"chi: content/chi/zh.md",
		"delta: content/delta/en.md",
		"iota: content/iota/zh.md",
		"kappa-10: content/kappa-10/zh.md",
		"kappa-2: content/kappa-2/zh.md",
		"lambda: content/lambda/en.md",
		"phi: content/phi/zh.md content/phi/en.md",
		"pi: content/pi/en.md",
		"theta: content/theta/zh.md",
		"xi: content/xi/en.md",
		"zeta: content/zeta/en.md",
	}
	if got := shape(reports); !reflect.DeepEqual(got, wantReports) {
		t.Errorf("Load reports:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantReports, "\n"))
	}
	const slugRule = "report folder name must be lowercase letters, digits and hyphens"
	wantProblems := []problem.Problem{
		problem.Errorf("content/-tau", 0, "%s (try %q)", slugRule, "tau"),
		problem.Errorf("content/Kappa--3", 0, "%s (try %q)", slugRule, "kappa-3"),
		problem.Errorf("content/My Report", 0, "%s (try %q)", slugRule, "my-report"),
		problem.Warnf("content/about.md", 0, "ignored: a report is a folder, content/<slug>/<lang>.md"),
		problem.Errorf("content/delta/zh.md", 1, "date is required"),
		problem.Warnf("content/empty", 0, "no edition: the report folder holds no zh.md or en.md"),
		problem.Errorf("content/epsilon/zh.md", 1, "missing front matter (title and date are required)"),
		problem.Warnf("content/eta", 0, "no edition: the report folder holds no zh.md or en.md"),
		problem.Errorf("content/gamma/fr.md", 0, `"fr" is not a language of this site (languages: zh, en): rename the file or add [languages.fr] to content/site.toml`),
		problem.Warnf("content/iota/zh.md", 4, `unknown front matter field "titel" (did you mean "title"?)`),
		problem.Errorf("content/lambda/fr.md", 0, `"fr" is not a language of this site (languages: zh, en): rename the file or add [languages.fr] to content/site.toml`),
		problem.Warnf("content/mu", 0, "no edition: the report folder holds no zh.md or en.md"),
		problem.Errorf("content/nu/ZH.md", 0, `"ZH" is not a language of this site (languages: zh, en): rename the file or add [languages.ZH] to content/site.toml`),
		problem.Errorf("content/omega/en.md", 1, "front matter is not closed: no closing --- line"),
		problem.Errorf("content/omicron/zh.md", 5, "invalid UTF-8"),
		problem.Errorf("content/psi/en.md", 1, "file is empty (a report needs front matter with title and date)"),
		problem.Warnf("content/rho", 0, "no edition: the report folder holds no zh.md or en.md"),
		problem.Errorf("content/sigma--bad", 0, "%s (try %q)", slugRule, "sigma-bad"),
		problem.Errorf("content/theta/en.md", 3, "malformed YAML front matter: ',' or ']' must be specified"),
		problem.Errorf("content/upsilon_1", 0, "%s (try %q)", slugRule, "upsilon-1"),
		problem.Errorf("content/zeta/zh.md", 0, "file is too large (8.0 MiB; the limit is 8 MiB)"),
		problem.Errorf("content/河流", 0, "%s, such as \"river-dikes\"", slugRule),
	}
	if !reflect.DeepEqual(ps, wantProblems) {
		t.Errorf("Load problems:\n%s\nwant:\n%s", list(ps), list(wantProblems))
	}
}

func TestLoadLanguageOrder(t *testing.T) {
	cfg, ps := LoadConfig(fstest.MapFS{
		ConfigFile: {Data: []byte("default_language = \"en\"\n[languages.en]\n[languages.zh]\n[languages.ja]\n")},
	})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	fsys := fstest.MapFS{
		"content/r/zh.md": edition("中"),
		"content/r/ja.md": edition("日"),
		"content/r/en.md": edition("En"),
	}
	reports, ps := Load(context.Background(), fsys, cfg)
	want := []string{"r: content/r/en.md content/r/ja.md content/r/zh.md"}
	if got := shape(reports); len(ps) > 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("Load = %q, %v; want %q", got, ps, want)
	}
}

// bigSite makes n reports of two editions each, some with problems.
func bigSite(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := range n {
		dir := fmt.Sprintf("content/report-%05d/", i)
		fsys[dir+"zh.md"] = &fstest.MapFile{Data: fmt.Appendf(nil, "---\ntitle: 报道%d\ndate: 2025-01-%02d\ntags: [a, b]\n---\n\n## 第一站 起点\n\n正文。\n", i, 1+i%28)}
		en := fmt.Appendf(nil, "---\ntitle: Report %d\ndate: 2025-01-%02d\nauthors:\n  - name: Li Ming\n    role: Text\n---\n\n## First stop: start\n\nText.\n", i, 1+i%28)
		if i%7 == 3 {
			en = fmt.Appendf(nil, "---\ntitle: Report %d\ndate: 12\ntitel: x\n---\n", i)
		}
		fsys[dir+"en.md"] = &fstest.MapFile{Data: en}
	}
	return fsys
}

// TestLoadDeterministic checks that the worker pool's timing never shows
// in the result.
func TestLoadDeterministic(t *testing.T) {
	fsys := bigSite(300)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(1)
	want, wantPs := Load(context.Background(), fsys, nil)
	if len(want) != 300 || len(wantPs) != 2*43 {
		t.Fatalf("Load: %d reports, %d problems; want 300 and 86", len(want), len(wantPs))
	}
	for _, procs := range []int{2, 4, 8} {
		runtime.GOMAXPROCS(procs)
		for range 3 {
			got, ps := Load(context.Background(), fsys, nil)
			if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(ps, wantPs) {
				t.Fatalf("Load with GOMAXPROCS=%d differs from GOMAXPROCS=1", procs)
			}
		}
	}
}

func TestLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	reports, ps := Load(ctx, bigSite(10), nil)
	want := []problem.Problem{problem.Errorf("content", 0, "loading stopped: context canceled")}
	if reports != nil || !reflect.DeepEqual(ps, want) {
		t.Errorf("Load(cancelled) = %d reports, %v; want none, %v", len(reports), ps, want)
	}
}

func TestLoadNoContent(t *testing.T) {
	reports, ps := Load(context.Background(), fstest.MapFS{"x.md": edition("x")}, nil)
	want := []problem.Problem{problem.Errorf("content", 0, "folder not found")}
	if reports != nil || !reflect.DeepEqual(ps, want) {
		t.Errorf("Load(no content/) = %v, %v; want nil, %v", reports, ps, want)
	}
}

func TestLoadReport(t *testing.T) {
	fsys := fstest.MapFS{
		"content/alpha/zh.md":     edition("甲"),
		"content/alpha/en.md":     {Data: []byte("---\ntitle: t\n---\n")},
		"content/broken/zh.md":    {Data: []byte("")},
		"content/Bad Name/zh.md":  edition("x"),
		"content/_drafts/zh.md":   edition("x"),
		"content/file.md":         edition("x"),
		"content/photos-only/a.j": {Data: []byte("x")},
	}
	tests := []struct {
		slug  string
		shape []string
		ps    []problem.Problem
	}{
		{"alpha", []string{"alpha: content/alpha/zh.md"}, []problem.Problem{problem.Errorf("content/alpha/en.md", 1, "date is required")}},
		{"broken", nil, []problem.Problem{problem.Errorf("content/broken/zh.md", 1, "file is empty (a report needs front matter with title and date)")}},
		{"Bad Name", nil, []problem.Problem{problem.Errorf("content/Bad Name", 0, "report folder name must be lowercase letters, digits and hyphens (try \"bad-name\")")}},
		{"gone", nil, nil},
		{"_drafts", nil, nil},
		{"file.md", nil, nil},
		{"../content", nil, nil},
		{"photos-only", nil, []problem.Problem{problem.Warnf("content/photos-only", 0, "no edition: the report folder holds no zh.md or en.md")}},
	}
	for _, tt := range tests {
		r, ps := LoadReport(context.Background(), fsys, nil, tt.slug)
		var rs []*Report
		if r != nil {
			rs = []*Report{r}
		}
		if got := shape(rs); !reflect.DeepEqual(got, tt.shape) || !reflect.DeepEqual(ps, tt.ps) {
			t.Errorf("LoadReport(%q) = %q,\n%s\nwant %q,\n%s", tt.slug, got, list(ps), tt.shape, list(tt.ps))
		}
	}
}

func TestValidSlug(t *testing.T) {
	tests := []struct {
		name    string
		valid   bool
		suggest string
	}{
		{"river-dikes", true, "river-dikes"},
		{"2025", true, "2025"},
		{"a", true, "a"},
		{"a-b-c-1", true, "a-b-c-1"},
		{"", false, ""},
		{"-a", false, "a"},
		{"a-", false, "a"},
		{"a--b", false, "a-b"},
		{"River", false, "river"},
		{"my report", false, "my-report"},
		{"my_report", false, "my-report"},
		{"报道", false, ""},
		{"河流 2025", false, "2025"},
		{"café", false, "caf"},
		{strings.Repeat("a", 100), true, strings.Repeat("a", 100)},
		{strings.Repeat("a", 101), false, ""},
		{"a.b", false, "a-b"},
	}
	for _, tt := range tests {
		if got := ValidSlug(tt.name); got != tt.valid {
			t.Errorf("ValidSlug(%q) = %v; want %v", tt.name, got, tt.valid)
		}
		if got := suggestSlug(tt.name); got != tt.suggest {
			t.Errorf("suggestSlug(%q) = %q; want %q", tt.name, got, tt.suggest)
		}
	}
}

// TestLoadSymlinks checks, on a real folder, that links leading outside
// content/ are refused and those inside are followed.
func TestLoadSymlinks(t *testing.T) {
	root := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Skipf("cannot make symlinks here: %v", err)
		}
	}
	good := "---\ntitle: t\ndate: 2025-01-01\n---\n"
	write("secret.md", good)
	write("outside/zh.md", good)
	write("content/a/en.md", good)
	write("content/a/photos/real.jpg", "jpeg")
	link("../../secret.md", "content/a/zh.md")             // file outside
	link("/etc/hostname", "content/a/photos/p.jpg")        // absolute
	link("../real.jpg", "content/a/photos/sub/inside.jpg") // inside, deeper
	link("../../../outside", "content/a/photos/outside")   // folder outside
	link("../../outside", "content/b")                     // report folder outside
	link("a", "content/c")                                 // report folder inside
	link("../a/en.md", "content/d/en.md")                  // file inside
	link("hop.md", "content/e/zh.md")                      // chain ...
	link("../../secret.md", "content/e/hop.md")            // ... leading outside
	link("missing.md", "content/f/zh.md")                  // dangling
	link("../../content/a/en.md", "content/g/en.md")       // out and back in: inside
	link("../../../"+filepath.Base(root)+"/secret.md", "content/h/zh.md")

	reports, ps := Load(context.Background(), os.DirFS(root), nil)
	wantReports := []string{
		"a: content/a/en.md",
		"c: content/c/en.md",
		"d: content/d/en.md",
		"g: content/g/en.md",
	}
	if got := shape(reports); !reflect.DeepEqual(got, wantReports) {
		t.Errorf("Load reports:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantReports, "\n"))
	}
	outside := func(p string) problem.Problem { return problem.Errorf(p, 0, "symlink leads outside content/") }
	wantProblems := []problem.Problem{
		outside("content/a/photos/outside"),
		outside("content/a/photos/p.jpg"),
		outside("content/a/zh.md"),
		outside("content/b"),
		// content/c is content/a: the same links, seen through c.
		outside("content/c/photos/outside"),
		outside("content/c/photos/p.jpg"),
		outside("content/c/zh.md"),
		outside("content/e/hop.md"),
		outside("content/e/zh.md"),
		problem.Errorf("content/f/zh.md", 0, "symlink leads to a missing file"),
		outside("content/h/zh.md"),
	}
	if !reflect.DeepEqual(ps, wantProblems) {
		t.Errorf("Load problems:\n%s\nwant:\n%s", list(ps), list(wantProblems))
	}
}

// TestLoadMapFSSymlinks checks the same rule on an in-memory file system.
func TestLoadMapFSSymlinks(t *testing.T) {
	fsys := fstest.MapFS{
		"secret.md":       edition("secret"),
		"content/a/en.md": edition("A"),
		"content/a/zh.md": {Data: []byte("../../secret.md"), Mode: fs.ModeSymlink},
		"content/b/zh.md": {Data: []byte("../a/en.md"), Mode: fs.ModeSymlink},
	}
	reports, ps := Load(context.Background(), fsys, nil)
	want := []problem.Problem{problem.Errorf("content/a/zh.md", 0, "symlink leads outside content/")}
	if got := shape(reports); !reflect.DeepEqual(got, []string{"a: content/a/en.md", "b: content/b/zh.md"}) || !reflect.DeepEqual(ps, want) {
		t.Errorf("Load = %q, %v; want a and b, %v", got, ps, want)
	}
}

// BenchmarkLoad loads 1,000 reports (2,000 files) from memory.
func BenchmarkLoad(b *testing.B) {
	fsys := bigSite(1000)
	files := 0
	for name := range fsys {
		if strings.HasSuffix(name, ".md") {
			files++
		}
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		reports, _ := Load(context.Background(), fsys, nil)
		if len(reports) != 1000 {
			b.Fatalf("%d reports", len(reports))
		}
		n++
	}
	b.ReportMetric(float64(n*files)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkLoadDisk loads a generated site of 1,000 reports (2,000
// editions, the benchmark corpus's shape) from disk through os.DirFS, as a
// build does.
func BenchmarkLoadDisk(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Generate(1000, 1)); err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	cfg, ps := LoadConfig(fsys)
	if cfg == nil {
		b.Fatal(ps)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		reports, ps := Load(context.Background(), fsys, cfg)
		if len(reports) != 1000 || len(ps) != 0 {
			b.Fatalf("%d reports, problems %v", len(reports), ps)
		}
		n++
	}
	b.ReportMetric(float64(n*2000)/b.Elapsed().Seconds(), "files/s")
}

// TestReadFile checks the size limit and the messages of reading an
// edition from disk.
func TestReadFile(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "content", "a")
	if err := os.MkdirAll(filepath.Join(dir, "dir.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, size int64) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Truncate(size); err != nil { // sparse: no 9 MB written
			t.Fatal(err)
		}
	}
	write("max.md", MaxFileSize)
	write("over.md", MaxFileSize+1)
	write("huge.md", MaxFileSize+1<<20)
	fsys := os.DirFS(root)
	for _, tt := range []struct{ name, want string }{
		{"content/a/max.md", ""},
		{"content/a/over.md", "content/a/over.md: file is too large (8.0 MiB; the limit is 8 MiB)"},
		{"content/a/huge.md", "content/a/huge.md: file is too large (9.0 MiB; the limit is 8 MiB)"},
		{"content/a/missing.md", "content/a/missing.md: cannot read: no such file or directory"},
		{"content/a/dir.md", "content/a/dir.md: cannot read: is a directory"},
	} {
		data, prob, ok := readFile(fsys, tt.name)
		got := ""
		if !ok {
			got = prob.String()
		}
		if got != tt.want || ok && len(data) != MaxFileSize {
			t.Errorf("readFile(%s) = %d bytes, %q; want %q", tt.name, len(data), got, tt.want)
		}
	}
}
