package corpus

import (
	"bytes"
	"image/png"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/goccy/go-yaml"
)

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := Generate(4, 7), Generate(4, 7)
	if !maps.EqualFunc(a, b, bytes.Equal) {
		t.Fatal("Generate(4, 7) twice gave different files")
	}
	other := Generate(4, 8)
	for _, name := range []string{"content/report-00001/zh.md", "content/report-00004/en.md"} {
		if bytes.Equal(a[name], other[name]) {
			t.Errorf("%s: seeds 7 and 8 gave the same file", name)
		}
	}
}

// TestGenerateHasPrefixProperty checks that a small corpus is the start of
// a larger one: report i depends only on (seed, i).
func TestGenerateHasPrefixProperty(t *testing.T) {
	small, large := Generate(3, 1), Generate(5, 1)
	for name, data := range small {
		if !bytes.Equal(large[name], data) {
			t.Errorf("%s differs between n=3 and n=5", name)
		}
	}
	var extra []string
	for name := range large {
		if _, ok := small[name]; !ok {
			parts := strings.Split(name, "/")
			extra = append(extra, path.Join(parts[:2]...))
		}
	}
	slices.Sort(extra)
	extra = slices.Compact(extra)
	if want := []string{"content/report-00004", "content/report-00005"}; !slices.Equal(extra, want) {
		t.Errorf("n=5 adds %q to n=3; want %q", extra, want)
	}
	if got := Generate(0, 1); len(got) != 1 || got["content/site.toml"] == nil {
		t.Errorf("Generate(0, 1) = %d files; want only content/site.toml", len(got))
	}
}

func TestSiteTOML(t *testing.T) {
	var cfg struct {
		BaseURL   string `toml:"base_url"`
		Languages map[string]struct{ Tag, Name, Title string }
	}
	md, err := toml.Decode(string(Generate(1, 1)["content/site.toml"]), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		t.Errorf("site.toml has keys the test does not know: %v", und)
	}
	if cfg.BaseURL != "https://news.example.org/" || cfg.Languages["zh"].Tag != "zh-CN" || cfg.Languages["en"].Tag != "en" {
		t.Errorf("site.toml = %+v", cfg)
	}
}

// frontMatter is what every generated edition declares; unknown fields
// fail the decoding.
type frontMatter struct {
	Title    string    `yaml:"title"`
	Date     time.Time `yaml:"date"`
	Dateline string    `yaml:"dateline"`
	Authors  []struct {
		Name string `yaml:"name"`
		Role string `yaml:"role"`
	} `yaml:"authors"`
	Credit  string   `yaml:"credit"`
	Summary string   `yaml:"summary"`
	Tags    []string `yaml:"tags"`
}

var (
	zhStop     = regexp.MustCompile(`^## 第([一二三四])站 \S`)
	enStop     = regexp.MustCompile(`^## (First|Second|Third|Fourth) stop: \S`)
	zhFigure   = regexp.MustCompile(`^!\[[^\]]+\]\((photos/p\d\d\.png) "[^"]+（[^（）]+ 摄）"\)$`)
	enFigure   = regexp.MustCompile(`^!\[[^\]]+\]\((photos/p\d\d\.png) "[^"]+ \(Photo: [^()]+\)"\)$`)
	footnote   = regexp.MustCompile(`(?m)^\[\^(\d+)\]: \S`)
	link       = regexp.MustCompile(`\[[^\]^]+\]\(https://example\.org/[^)]+\)`)
	han        = regexp.MustCompile(`[\x{3400}-\x{4dbf}\x{4e00}-\x{9fff}]`)
	word       = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9'\-]*`)
	notWords   = regexp.MustCompile(`\]\([^ )]*|\[\^\d+\]|(?m)^::: sidebar`)
	stopLabels = map[string]int{"一": 1, "二": 2, "三": 3, "四": 4, "First": 1, "Second": 2, "Third": 3, "Fourth": 4}
)

// shape is what the test reads back from one edition.
type shape struct {
	fm        frontMatter
	stops     []int
	photos    []string
	sidebars  int
	listItems int
	tables    int
	footnotes int
	length    int // Han characters or words
}

func readShape(t *testing.T, name string, data []byte, zh bool) shape {
	t.Helper()
	text := string(data)
	rest, ok := strings.CutPrefix(text, "---\n")
	fmText, body, ok2 := strings.Cut(rest, "\n---\n")
	if !ok || !ok2 {
		t.Fatalf("%s: no YAML front matter", name)
	}
	var s shape
	if err := yaml.UnmarshalWithOptions([]byte(fmText), &s.fm, yaml.DisallowUnknownField()); err != nil {
		t.Fatalf("%s: front matter: %v", name, err)
	}
	inSidebar := false
	for _, line := range strings.Split(body, "\n") {
		stop, figure := zhStop, zhFigure
		if !zh {
			stop, figure = enStop, enFigure
		}
		switch {
		case strings.HasPrefix(line, "## "):
			m := stop.FindStringSubmatch(line)
			if m == nil {
				t.Errorf("%s: heading %q is not a stop", name, line)
				continue
			}
			s.stops = append(s.stops, stopLabels[m[1]])
		case strings.HasPrefix(line, "!["):
			m := figure.FindStringSubmatch(line)
			if m == nil {
				t.Errorf("%s: image line %q has no alt text or no trailing credit", name, line)
				continue
			}
			s.photos = append(s.photos, m[1])
		case strings.HasPrefix(line, "::: sidebar "):
			if inSidebar {
				t.Errorf("%s: sidebar opened inside a sidebar", name)
			}
			inSidebar = true
			s.sidebars++
		case line == ":::":
			if !inSidebar {
				t.Errorf("%s: ::: closes nothing", name)
			}
			inSidebar = false
		case strings.HasPrefix(line, "- "):
			s.listItems++
		case line == "| --- | ---: | ---: |":
			s.tables++
		}
	}
	if inSidebar {
		t.Errorf("%s: a sidebar is left open", name)
	}
	defs := footnote.FindAllStringSubmatch(body, -1)
	s.footnotes = len(defs)
	for _, d := range defs {
		if !strings.Contains(body, "[^"+d[1]+"]") || strings.Count(body, "[^"+d[1]+"]") < 2 {
			t.Errorf("%s: footnote %s is never cited", name, d[1])
		}
	}
	if !strings.Contains(body, "**") {
		t.Errorf("%s: no bold text", name)
	}
	if !link.MatchString(body) {
		t.Errorf("%s: no links", name)
	}
	if zh {
		s.length = len(han.FindAllString(body, -1))
	} else {
		s.length = len(word.FindAllString(notWords.ReplaceAllString(body, " "), -1))
	}
	return s
}

// TestReportShape reads every edition of a corpus back and checks the
// features the benchmarks rely on.
func TestReportShape(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 40
	}
	files := Generate(n, 1)
	var sizes []int
	photosSeen := map[string]bool{}
	for i := 1; i <= n; i++ {
		dir := "content/" + Slug(i) + "/"
		var shapes [2]shape
		for k, lang := range []string{"zh", "en"} {
			name := dir + lang + ".md"
			data, ok := files[name]
			if !ok {
				t.Fatalf("no %s", name)
			}
			zh := lang == "zh"
			sizes = append(sizes, len(data))
			s := readShape(t, name, data, zh)
			shapes[k] = s
			fm := s.fm
			if n := utf8.RuneCountInString(fm.Summary); n > 200 {
				t.Errorf("%s: summary of %d characters; social cards show about 200", name, n)
			}
			if fm.Title == "" || fm.Summary == "" || fm.Dateline == "" || fm.Credit == "" {
				t.Errorf("%s: empty title, summary, dateline or credit: %+v", name, fm)
			}
			if fm.Date.Year() < 2019 || fm.Date.Year() > 2024 {
				t.Errorf("%s: date %v outside 2019–2023", name, fm.Date)
			}
			if len(fm.Authors) < 1 || len(fm.Authors) > 2 || fm.Authors[0].Name == "" || fm.Authors[0].Role == "" {
				t.Errorf("%s: authors %+v", name, fm.Authors)
			}
			if len(fm.Tags) < 2 || len(fm.Tags) > 4 {
				t.Errorf("%s: %d tags; want 2–4", name, len(fm.Tags))
			}
			if !slices.Equal(s.stops, []int{1, 2, 3, 4}) {
				t.Errorf("%s: stops %v; want 1 2 3 4", name, s.stops)
			}
			if len(s.photos) != 3 || len(slices.Compact(slices.Sorted(slices.Values(s.photos)))) != 3 {
				t.Errorf("%s: photos %v; want three different ones", name, s.photos)
			}
			for _, p := range s.photos {
				if files[dir+p] == nil {
					t.Errorf("%s: %s is not in the corpus", name, dir+p)
				}
				photosSeen[p] = true
			}
			if s.sidebars < 1 || s.sidebars > 2 {
				t.Errorf("%s: %d sidebars; want 1 or 2", name, s.sidebars)
			}
			if s.listItems < 3 || s.tables != 1 {
				t.Errorf("%s: %d list items, %d tables; want ≥ 3 and 1", name, s.listItems, s.tables)
			}
			if s.footnotes < 2 || s.footnotes > 4 {
				t.Errorf("%s: %d footnotes; want 2–4", name, s.footnotes)
			}
			lo, hi, unit := 1500, 2400, "Han characters"
			if !zh {
				lo, hi, unit = 900, 1500, "words"
			}
			if s.length < lo || s.length > hi {
				t.Errorf("%s: %d %s; want %d–%d", name, s.length, unit, lo, hi)
			}
		}
		zh, en := shapes[0], shapes[1]
		if !slices.Equal(zh.photos, en.photos) || zh.sidebars != en.sidebars || zh.footnotes != en.footnotes ||
			!zh.fm.Date.Equal(en.fm.Date) || len(zh.fm.Tags) != len(en.fm.Tags) || len(zh.fm.Authors) != len(en.fm.Authors) {
			t.Errorf("%s: the editions differ in structure: zh %+v, en %+v", dir, zh, en)
		}
		var own []string
		for name := range files {
			if strings.HasPrefix(name, dir+"photos/") {
				own = append(own, strings.TrimPrefix(name, dir))
			}
		}
		if !slices.Equal(slices.Sorted(slices.Values(own)), slices.Sorted(slices.Values(zh.photos))) {
			t.Errorf("%s: photo folder holds %v; the report uses %v", dir, own, zh.photos)
		}
	}
	if len(photosSeen) != Photos {
		t.Errorf("%d reports use %d distinct photos; want %d", n, len(photosSeen), Photos)
	}
	total := 0
	for _, s := range sizes {
		total += s
	}
	if mean := total / len(sizes); mean < 8000 || mean > 10500 {
		t.Errorf("mean edition size %d bytes; want about 9 KB", mean)
	}
	if want := 1 + 2*n + 3*n; len(files) != want {
		t.Errorf("%d files; want %d (site.toml, two editions and three photos per report)", len(files), want)
	}
}

func TestPhotos(t *testing.T) {
	ps := photoSet(1)
	distinct := map[string]bool{}
	for k, data := range ps {
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("photo %d: %v", k, err)
		}
		if cfg.Width < 800 || cfg.Width > 1200 || cfg.Height < 640 || cfg.Height > 1200 {
			t.Errorf("photo %d is %d×%d; want 1200×800-class", k, cfg.Width, cfg.Height)
		}
		if _, err := png.Decode(bytes.NewReader(data)); err != nil {
			t.Errorf("photo %d does not decode: %v", k, err)
		}
		if len(data) > 64<<10 {
			t.Errorf("photo %d is %d bytes; want a small placeholder", k, len(data))
		}
		distinct[string(data)] = true
	}
	if len(distinct) != Photos {
		t.Errorf("%d distinct photos; want %d", len(distinct), Photos)
	}
}

func TestWriteRoundTrips(t *testing.T) {
	dir := t.TempDir()
	files := Generate(2, 1)
	if err := Write(dir, files); err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		got[name] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(got, files, bytes.Equal) {
		t.Errorf("read back %d files that differ from the %d written", len(got), len(files))
	}
}

func TestWriteRefusesPathsOutsideTheSite(t *testing.T) {
	for _, name := range []string{"../x.md", "/etc/x", "content/../../x", "", "."} {
		dir := t.TempDir()
		err := Write(dir, map[string][]byte{name: []byte("x")})
		if err == nil {
			t.Errorf("Write(%q) = nil; want an error", name)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("Write(%q) wrote %d entries before failing", name, len(entries))
		}
	}
}

func TestWordCount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"Two words.", 2},
		{"[a link](https://example.org/en/topic/1) here", 3},
		{`![alt text](photos/p01.png "The caption (Photo: Li Ming)")`, 7},
		{"Cited[^2] twice[^3].", 2},
		{"[^1]: “Data and reform”, report, 2021, [full text](https://x.org/1)", 7},
		{"::: sidebar ■ Reporter's notebook\nText.\n:::", 3},
		{"high-quality 12 growth", 3},
	} {
		if got := wordCount(tc.in); got != tc.want {
			t.Errorf("wordCount(%q) = %d; want %d", tc.in, got, tc.want)
		}
	}
}

func TestSlug(t *testing.T) {
	for i, want := range map[int]string{1: "report-00001", 42: "report-00042", 12345: "report-12345"} {
		if got := Slug(i); got != want {
			t.Errorf("Slug(%d) = %q; want %q", i, got, want)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		Generate(100, 1)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(100*b.N), "µs/report")
}
