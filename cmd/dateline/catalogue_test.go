package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"hash/crc32"
	"html"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dateline/cmd/internal/preview"
	"dateline/themes"
)

var runBugs = flag.Bool("bugs", false, "run the catalogue cases marked bug: too")

// A catalogue case is one kind of broken (or odd but acceptable) input,
// kept in testdata/catalogue/NAME.txt:
//
//	# comment lines start with '#'
//	exit: 1                    the build's exit status
//	want: content/x/zh.md:3: … a line stderr must hold, in order; $OUT is the output folder, $SITE the site's
//	args: --strict             more arguments for the second build ($SITE is the site folder)
//	gen: NAME                  files made in Go (binary or huge inputs; see catalogueGen)
//	link: NAME -> TARGET       a symbolic link
//	has: PATH TEXT             (exit 0) the output file PATH holds TEXT
//	lacks: PATH [TEXT]         (exit 0) the output has no file PATH, or it lacks TEXT
//	serve: PATH [STATUS]       in serve, PATH still answers 200 (or STATUS) and the overlay shows every want but the summary
//	mem: N                     the build allocates less than N MiB
//	env: NAME=VALUE            an environment variable for the second build ($SITE is the site folder)
//	bug: what is wrong         a known bug: the case is skipped unless go test -bugs
//	-- content/x/zh.md --      a file, up to the next section
//	-- content/x/en.md (go) -- a file given as a Go string literal (invalid UTF-8, BOM, CRLF)
//
// Each case's files are added to testSite after a good build; the build
// again must then give exactly the want lines (beside what the good build
// printed; $SITE in them is the site folder), the exit status, and for
// exit 1 an untouched output folder. A case with env: runs on its own,
// not beside the others.
type catalogueCase struct {
	name  string
	exit  int
	want  []string
	args  []string
	gen   []string
	links [][2]string
	has   [][2]string
	lacks [][2]string
	serve string
	mem   int
	env   [][2]string
	bug   string
	files map[string][]byte
}

func parseCatalogueCase(name string, data []byte) (*catalogueCase, error) {
	c := &catalogueCase{name: name, exit: -1, files: map[string][]byte{}}
	lines := strings.SplitAfter(string(data), "\n")
	i := 0
	for ; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\n")
		if strings.HasPrefix(line, "-- ") {
			break
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, ": ")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want key: value", name, i+1)
		}
		switch key {
		case "exit":
			n, err := strconv.Atoi(val)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: exit: %v", name, i+1, err)
			}
			c.exit = n
		case "want":
			c.want = append(c.want, val)
		case "args":
			c.args = append(c.args, strings.Fields(val)...)
		case "gen":
			c.gen = append(c.gen, val)
		case "link":
			from, to, ok := strings.Cut(val, " -> ")
			if !ok {
				return nil, fmt.Errorf("%s:%d: link: want NAME -> TARGET", name, i+1)
			}
			c.links = append(c.links, [2]string{from, to})
		case "has", "lacks":
			p, text, _ := strings.Cut(val, " ")
			if key == "has" {
				c.has = append(c.has, [2]string{p, text})
			} else {
				c.lacks = append(c.lacks, [2]string{p, text})
			}
		case "serve":
			c.serve = val
		case "mem":
			n, err := strconv.Atoi(val)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: mem: %v", name, i+1, err)
			}
			c.mem = n
		case "env":
			k, v, ok := strings.Cut(val, "=")
			if !ok || k == "" {
				return nil, fmt.Errorf("%s:%d: env: want NAME=VALUE", name, i+1)
			}
			c.env = append(c.env, [2]string{k, v})
		case "bug":
			c.bug = val
		default:
			return nil, fmt.Errorf("%s:%d: unknown key %q", name, i+1, key)
		}
	}
	if c.exit < 0 {
		return nil, fmt.Errorf("%s: no exit line", name)
	}
	for i < len(lines) {
		head := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(head, "-- ") || !strings.HasSuffix(head, " --") {
			return nil, fmt.Errorf("%s:%d: want a -- path -- line", name, i+1)
		}
		p := strings.TrimSuffix(strings.TrimPrefix(head, "-- "), " --")
		quoted := strings.HasSuffix(p, " (go)")
		p = strings.TrimSuffix(p, " (go)")
		i++
		var body strings.Builder
		for ; i < len(lines) && !strings.HasPrefix(lines[i], "-- "); i++ {
			body.WriteString(lines[i])
		}
		data := []byte(body.String())
		if quoted {
			s, err := strconv.Unquote(strings.TrimSpace(body.String()))
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %v", name, p, err)
			}
			data = []byte(s)
		}
		c.files[p] = data
	}
	return c, nil
}

func loadCatalogue(t *testing.T) []*catalogueCase {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "catalogue", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []*catalogueCase
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := parseCatalogueCase(strings.TrimSuffix(filepath.Base(name), ".txt"), data)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	if len(cases) < 30 {
		t.Fatalf("the catalogue has %d cases; want at least 30", len(cases))
	}
	return cases
}

// catalogueGen makes the inputs too big or too binary for a case file.
var catalogueGen = map[string]func(t testing.TB) map[string][]byte{
	// A PNG whose header claims 60000×60000 pixels, followed by a few bytes of
	// data: decoding it would need 14 GB.
	"huge-png": func(t testing.TB) map[string][]byte {
		return map[string][]byte{"content/bad/photos/huge.png": pngHeader(60000, 60000)}
	},
	// A baseline JPEG header (SOI, SOF0) claiming 60000×60000 pixels.
	"huge-jpeg": func(t testing.TB) map[string][]byte {
		j := []byte{0xFF, 0xD8,
			0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
			0xFF, 0xC0, 0x00, 0x11, 0x08, 0xEA, 0x60, 0xEA, 0x60, 0x03,
			0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xFF, 0xD9}
		return map[string][]byte{"content/bad/photos/huge.jpg": j}
	},
	"photo": func(t testing.TB) map[string][]byte {
		return map[string][]byte{"content/bad/photos/p.png": pngPhoto(t, 40, 30, 7)}
	},
	// Inputs that make goldmark quadratic: 50,000 nested containers,
	// 200,000 nested quotes on one line, a list 1,500 deep, 30,000 footnotes.
	"nested-containers": func(t testing.TB) map[string][]byte {
		return map[string][]byte{"content/bad/zh.md": []byte("---\ntitle: 嵌套\ndate: 2025-06-01\n---\n\n" + strings.Repeat("::: sidebar 甲\n", 50000) + "x\n")}
	},
	"nested-quotes": func(t testing.TB) map[string][]byte {
		return map[string][]byte{"content/bad/zh.md": []byte("---\ntitle: 嵌套\ndate: 2025-06-01\n---\n\n" + strings.Repeat("> ", 200000) + "x\n")}
	},
	"deep-list": func(t testing.TB) map[string][]byte {
		var b strings.Builder
		b.WriteString("---\ntitle: 嵌套\ndate: 2025-06-01\n---\n\n")
		for i := range 1500 {
			b.WriteString(strings.Repeat("  ", i) + "- x\n")
		}
		return map[string][]byte{"content/bad/zh.md": []byte(b.String())}
	},
	"footnotes": func(t testing.TB) map[string][]byte {
		var b strings.Builder
		b.WriteString("---\ntitle: 脚注\ndate: 2025-06-01\n---\n\n")
		for i := range 30000 {
			fmt.Fprintf(&b, "[^%d]\n\n[^%d]: x\n\n", i, i)
		}
		return map[string][]byte{"content/bad/zh.md": []byte(b.String())}
	},
	"same-headings": func(t testing.TB) map[string][]byte {
		return map[string][]byte{"content/bad/en.md": []byte("---\ntitle: Same\ndate: 2025-06-01\n---\n\n" + strings.Repeat("### a\n", 20000))}
	},
	"definitions": func(t testing.TB) map[string][]byte {
		var b strings.Builder
		b.WriteString("---\ntitle: Definitions\ndate: 2025-06-01\n---\n\n")
		for i := range 30000 {
			fmt.Fprintf(&b, "[r%d]: /u\n", i)
		}
		return map[string][]byte{"content/bad/en.md": []byte(b.String())}
	},
	"outside-png": func(t testing.TB) map[string][]byte {
		return map[string][]byte{"outside.png": pngPhoto(t, 40, 30, 8)}
	},
	"truncated-png": func(t testing.TB) map[string][]byte {
		p := pngPhoto(t, 64, 64, 9)
		return map[string][]byte{"content/bad/photos/cut.png": p[:len(p)/2]}
	},
	// A 20 MB edition: 20 MB of ordinary paragraphs after good front matter.
	"huge-markdown": func(t testing.TB) map[string][]byte {
		var b bytes.Buffer
		b.WriteString("---\ntitle: 大文件\ndate: 2025-06-01\n---\n\n")
		para := strings.Repeat("这是一段很长的正文，", 30) + "\n\n"
		for b.Len() < 20<<20 {
			b.WriteString(para)
		}
		return map[string][]byte{"content/bad/zh.md": b.Bytes()}
	},
	// The default theme copied into the site as themes/broken/.
	"theme-copy": func(t testing.TB) map[string][]byte {
		files := map[string][]byte{}
		err := fs.WalkDir(themes.Default(), ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(themes.Default(), p)
			files["themes/broken/"+p] = data
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	},
}

// pngHeader returns a PNG signature and IHDR chunk for a w×h RGBA image,
// and one empty IDAT chunk.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		io.WriteString(crc, typ)
		crc.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8 bits, RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// inputs returns the case's files: generated ones first, then its sections.
func (c *catalogueCase) inputs(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	for _, g := range c.gen {
		f, ok := catalogueGen[g]
		if !ok {
			t.Fatalf("unknown gen %q", g)
		}
		for k, v := range f(t) {
			out[k] = v
		}
	}
	for k, v := range c.files {
		// A section "@@ N" then one line, over a generated file, inserts
		// the line before line N of it: a broken line in a copied layout.
		if rest, ok := bytes.CutPrefix(v, []byte("@@ ")); ok && out[k] != nil {
			num, line, _ := bytes.Cut(rest, []byte("\n"))
			at, err := strconv.Atoi(string(num))
			if err != nil {
				t.Fatalf("%s: %s: bad @@ line", c.name, k)
			}
			ls := strings.SplitAfter(string(out[k]), "\n")
			ls = slices.Insert(ls, at-1, string(line))
			v = []byte(strings.Join(ls, ""))
		}
		out[k] = v
	}
	return out
}

// apply writes the case's files and links into the site folder dir.
func (c *catalogueCase) apply(t testing.TB, dir string) {
	t.Helper()
	files := c.inputs(t)
	writeSite(t, dir, files)
	for _, l := range c.links {
		p := filepath.Join(dir, filepath.FromSlash(l[0]))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.FromSlash(l[1]), p); err != nil {
			t.Fatal(err)
		}
	}
}

// newLines returns the lines of s that are not in base.
func newLines(s, base string) []string {
	seen := map[string]bool{}
	for _, l := range strings.Split(base, "\n") {
		seen[l] = true
	}
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" && !seen[l] {
			out = append(out, l)
		}
	}
	return out
}

// TestCatalogue builds a good site, adds one case's broken input, builds
// again, and checks the exact messages, the exit status and the output.
func TestCatalogue(t *testing.T) {
	cases := loadCatalogue(t)
	good := testSite(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.bug != "" && !*runBugs {
				t.Skip("known bug: " + c.bug + " (run with -bugs)")
			}
			if c.mem == 0 && len(c.env) == 0 {
				t.Parallel()
			}
			dir := t.TempDir()
			writeSite(t, dir, good)
			out := filepath.Join(dir, "public")
			code, _, baseErr := dateline(t, "build", "-s", dir)
			if code != 0 {
				t.Fatalf("the good site: exit %d\n%s", code, baseErr)
			}
			before := readTree(t, out)

			c.apply(t, dir)
			for _, e := range c.env {
				t.Setenv(e[0], strings.ReplaceAll(e[1], "$SITE", dir))
			}
			var ms0, ms1 runtime.MemStats
			if c.mem > 0 {
				runtime.GC()
				runtime.ReadMemStats(&ms0)
			}
			args := []string{"build", "-s", dir}
			for _, a := range c.args {
				args = append(args, strings.ReplaceAll(a, "$SITE", dir))
			}
			code, _, stderr := dateline(t, args...)
			if c.mem > 0 {
				runtime.ReadMemStats(&ms1)
				if got := (ms1.TotalAlloc - ms0.TotalAlloc) >> 20; got >= uint64(c.mem) {
					t.Errorf("the build allocated %d MiB; want < %d", got, c.mem)
				}
			}
			if code != c.exit {
				t.Errorf("exit %d; want %d", code, c.exit)
			}
			var want []string
			for _, w := range c.want {
				want = append(want, strings.ReplaceAll(strings.ReplaceAll(w, "$OUT", out), "$SITE", dir))
			}
			got := newLines(stderr, baseErr)
			if *update {
				updateWants(t, c.name, got, out, dir)
			} else if !slices.Equal(got, want) {
				t.Errorf("stderr lines:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
			}

			after := readTree(t, out)
			if c.exit != 0 {
				for name, data := range before {
					if !bytes.Equal(after[name], data) {
						t.Errorf("%s changed although the build failed", name)
					}
				}
				for name := range after {
					if _, ok := before[name]; !ok {
						t.Errorf("%s appeared although the build failed", name)
					}
				}
			}
			for _, h := range c.has {
				data, ok := after[h[0]]
				if !ok {
					t.Errorf("no output %s", h[0])
				} else if !bytes.Contains(data, []byte(h[1])) {
					t.Errorf("%s does not hold %q", h[0], h[1])
				}
			}
			for _, l := range c.lacks {
				data, ok := after[l[0]]
				if ok && (l[1] == "" || bytes.Contains(data, []byte(l[1]))) {
					t.Errorf("output %s holds %q; want it absent", l[0], l[1])
				}
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".public") {
					t.Errorf("temporary folder %s left behind", e.Name())
				}
			}
		})
	}
}

// updateWants rewrites the want lines of a case file (go test -update).
func updateWants(t *testing.T, name string, got []string, out, site string) {
	file := filepath.Join("testdata", "catalogue", name+".txt")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	head := true
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if strings.HasPrefix(line, "-- ") {
			head = false
		}
		if head && strings.HasPrefix(line, "want: ") {
			continue
		}
		b.WriteString(line)
		if head && strings.HasPrefix(line, "exit: ") {
			for _, g := range got {
				fmt.Fprintf(&b, "want: %s\n", strings.ReplaceAll(strings.ReplaceAll(g, out, "$OUT"), site, "$SITE"))
			}
		}
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCatalogueServe runs the cases marked serve: in the preview server.
// The broken input must not stop the rest of the site: another report's
// page still answers, and carries the problem in the error overlay.
func TestCatalogueServe(t *testing.T) {
	if testing.Short() {
		t.Skip("starts preview servers")
	}
	cases := loadCatalogue(t)
	for _, c := range cases {
		if c.serve == "" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			if c.bug != "" && !*runBugs {
				t.Skip("known bug: " + c.bug + " (run with -bugs)")
			}
			t.Parallel()
			dir := t.TempDir()
			writeSite(t, dir, testSite(t))
			c.apply(t, dir)
			page, status, _ := strings.Cut(c.serve, " ")
			code := http.StatusOK
			if status != "" {
				code, _ = strconv.Atoi(status)
			}
			body := servePage(t, dir, page, code)
			shown := 0
			for _, w := range c.want {
				if strings.HasPrefix(w, "build failed:") {
					continue // the command line's summary
				}
				shown++
				if !strings.Contains(body, html.EscapeString(w)) {
					t.Errorf("%s does not show %q:\n%s", c.serve, w, body)
				}
			}
			if shown == 0 {
				t.Fatal("a serve case needs a want line naming a problem")
			}
		})
	}
}

// servePage starts a preview server on dir, fetches page, checks the
// response status and stops the server.
func servePage(t *testing.T, dir, page string, status int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := preview.New(preview.Options{Dir: dir, Poll: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	select {
	case <-srv.Ready():
	case <-time.After(15 * time.Second):
		t.Fatal("the preview server is not ready after 15 s")
	}
	resp, err := http.Get("http://" + ln.Addr().String() + "/" + strings.TrimPrefix(page, "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != status {
		t.Fatalf("GET %s: %s\n%s", page, resp.Status, data)
	}
	return string(data)
}

// TestParseCatalogueCase checks the case-file reader on a small case.
func TestParseCatalogueCase(t *testing.T) {
	c, err := parseCatalogueCase("x", []byte("# c\nexit: 1\nwant: a: b\nlink: x -> ../y\nenv: A=$SITE/b=c\n-- a.md --\nhi\n-- b.md (go) --\n\"\\xff\\r\\n\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.exit != 1 || !slices.Equal(c.want, []string{"a: b"}) || c.links[0] != [2]string{"x", "../y"} || c.env[0] != [2]string{"A", "$SITE/b=c"} {
		t.Errorf("header = %+v", c)
	}
	if string(c.files["a.md"]) != "hi\n" || string(c.files["b.md"]) != "\xff\r\n" {
		t.Errorf("files = %q", c.files)
	}
	for _, bad := range []string{"want: x\n", "exit: x\n", "exit: 1\nfrob: 2\n", "exit: 1\nnonsense\n", "exit: 1\nenv: X\n", "exit: 1\n-- a (go) --\nnot quoted\n"} {
		if _, err := parseCatalogueCase("x", []byte(bad)); err == nil {
			t.Errorf("parseCatalogueCase(%q) succeeded; want an error", bad)
		}
	}
}
