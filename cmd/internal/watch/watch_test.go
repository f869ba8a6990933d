package watch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// patience bounds every wait for a batch; nothing here sleeps a fixed time
// to let the watcher catch up.
const patience = 5 * time.Second

// start watches opts and stops the watch when the test ends.
func start(t *testing.T, opts Options) <-chan Batch {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ch, err := Watch(ctx, opts)
	if err != nil {
		cancel()
		t.Fatalf("Watch: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		for range ch {
		}
	})
	return ch
}

// until reads batches until done says so, failing after patience.
func until(t *testing.T, ch <-chan Batch, done func(got []Batch) bool) []Batch {
	t.Helper()
	timeout := time.After(patience)
	var got []Batch
	for {
		select {
		case b, ok := <-ch:
			if !ok {
				t.Fatalf("channel closed; got %v", got)
			}
			got = append(got, b)
			if done(got) {
				return got
			}
		case <-timeout:
			t.Fatalf("no batch in %v; got %v", patience, got)
		}
	}
}

// seen reports whether any batch holds path.
func seen(path string) func([]Batch) bool {
	return func(got []Batch) bool {
		return slices.ContainsFunc(got, func(b Batch) bool { return slices.Contains(b.Paths, path) })
	}
}

func all(got []Batch) []string {
	var paths []string
	for _, b := range got {
		paths = append(paths, b.Paths...)
	}
	slices.Sort(paths)
	return slices.Compact(paths)
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// modes runs a test with fsnotify and with polling.
var modes = []struct {
	name string
	poll time.Duration
}{
	{"notify", 0},
	{"poll", 20 * time.Millisecond},
}

func TestWrite(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			dir := t.TempDir()
			x := filepath.Join(dir, "report", "zh.md")
			write(t, x, "one")
			ch := start(t, Options{Roots: []string{dir}, Poll: m.poll})
			write(t, x, "two, longer")
			got := until(t, ch, seen(x))
			if p := all(got); !slices.Equal(p, []string{x}) {
				t.Errorf("paths = %q; want only %q", p, x)
			}
		})
	}
}

func TestNewNestedFolder(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			dir := t.TempDir()
			ch := start(t, Options{Roots: []string{dir}, Poll: m.poll})
			x := filepath.Join(dir, "a", "b", "x.md")
			z := filepath.Join(dir, "a", "b", "c", "d", "z.md")
			write(t, x, "written before the folder's watch could exist")
			write(t, z, "deeper still")
			until(t, ch, func(got []Batch) bool { return seen(x)(got) && seen(z)(got) })
			// The new folders are watched from now on.
			y := filepath.Join(dir, "a", "b", "y.md")
			write(t, y, "later")
			until(t, ch, seen(y))
		})
	}
}

func TestRenameOverSave(t *testing.T) {
	tests := []struct {
		name  string
		steps func(t *testing.T, dir, x string)
		also  string // a temp file no name rule knows: reported, gone, beside x.md
	}{
		{"tmp renamed over", func(t *testing.T, dir, x string) {
			write(t, x+".tmp", "new")
			must(t, os.Rename(x+".tmp", x))
		}, ""},
		{"swap-named temp renamed over", func(t *testing.T, dir, x string) {
			tmp := filepath.Join(dir, ".x.md.swp")
			write(t, tmp, "new")
			must(t, os.Rename(tmp, x))
		}, ""},
		{"unknown temp name renamed over", func(t *testing.T, dir, x string) {
			tmp := filepath.Join(dir, "x.md.3f2a1b")
			write(t, tmp, "new")
			must(t, os.Rename(tmp, x))
		}, "x.md.3f2a1b"},
		{"vim backupcopy=no", func(t *testing.T, dir, x string) {
			must(t, os.Rename(x, x+"~"))
			write(t, filepath.Join(dir, "4913"), "")
			must(t, os.Remove(filepath.Join(dir, "4913")))
			write(t, x, "new")
			must(t, os.Remove(x+"~"))
		}, ""},
		{"jetbrains safe write", func(t *testing.T, dir, x string) {
			write(t, x+"___jb_tmp___", "new")
			must(t, os.Rename(x, x+"___jb_old___"))
			must(t, os.Rename(x+"___jb_tmp___", x))
			must(t, os.Remove(x+"___jb_old___"))
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			x := filepath.Join(dir, "x.md")
			write(t, x, "old")
			// A longer quiet window keeps each save one burst on a busy machine.
			ch := start(t, Options{Roots: []string{dir}, Quiet: 100 * time.Millisecond, MaxWait: time.Second})
			tt.steps(t, dir, x)
			got := until(t, ch, seen(x))
			want := []string{x}
			if tt.also != "" {
				want = append(want, filepath.Join(dir, tt.also))
			}
			if p := all(got); !slices.Equal(p, want) {
				t.Errorf("paths = %q; want %q", p, want)
			}
			if b, _ := os.ReadFile(x); string(b) != "new" {
				t.Fatalf("x.md = %q after the save", b)
			}
		})
	}
}

// TestSaveCaughtHalfway: a save whose steps are further apart than the
// quiet window (an editor descheduled on a busy machine) leaves the file
// missing or empty when that window ends. The batch waits for the settle
// window instead, so what the consumer reads when the first batch comes is
// the saved file. With Settle as short as Quiet the batch comes halfway,
// and the consumer reads a missing or empty file: the test checks that
// too, so that it is the settle window that holds the batch back.
func TestSaveCaughtHalfway(t *testing.T) {
	const pause = 100 * time.Millisecond // between the two steps of the save
	tests := []struct {
		name  string
		first func(t *testing.T, x string)
	}{
		{"renamed away, then written", func(t *testing.T, x string) { must(t, os.Rename(x, x+"~")) }},
		{"truncated, then written", func(t *testing.T, x string) { write(t, x, "") }},
	}
	for _, tt := range tests {
		for _, settle := range []bool{true, false} {
			name := tt.name
			if !settle {
				name += ", no settle window"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				x := filepath.Join(dir, "x.md")
				write(t, x, "old")
				opts := Options{Roots: []string{dir}, Quiet: 5 * time.Millisecond, Settle: 5 * time.Second, MaxWait: 10 * time.Second}
				if !settle {
					opts.Settle = opts.Quiet
				}
				ch := start(t, opts)
				// The consumer reads the file as soon as a batch comes.
				read := make(chan string, 1)
				go func() {
					b, ok := <-ch
					if !ok || !slices.Contains(b.Paths, x) {
						read <- fmt.Sprintf("batch %v, %v", b, ok)
						return
					}
					data, err := os.ReadFile(x)
					if err != nil {
						read <- "missing"
						return
					}
					read <- string(data)
				}()
				tt.first(t, x)
				time.Sleep(pause)
				write(t, x, "new")
				var got string
				select {
				case got = <-read:
				case <-time.After(patience):
					t.Fatalf("no batch in %v", patience)
				}
				switch {
				case settle && got != "new":
					t.Errorf("the first batch came halfway through the save: read %q, want \"new\"", got)
				case !settle && got != "missing" && got != "":
					t.Errorf("without a settle window, read %q at the first batch; want it halfway (missing or empty)", got)
				}
			})
		}
	}
}

func TestRemoveFolder(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			dir := t.TempDir()
			a := filepath.Join(dir, "a")
			write(t, filepath.Join(a, "x.md"), "x")
			write(t, filepath.Join(a, "photos", "p.jpg"), "p")
			ch := start(t, Options{Roots: []string{dir}, Poll: m.poll})
			must(t, os.RemoveAll(a))
			until(t, ch, seen(a))
			// Made again, it is watched again.
			y := filepath.Join(a, "y.md")
			write(t, y, "y")
			until(t, ch, seen(y))
		})
	}
}

func TestRenameFolder(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	write(t, filepath.Join(a, "sub", "x.md"), "x")
	outside := filepath.Join(t.TempDir(), "c")
	write(t, filepath.Join(outside, "y.md"), "y")
	ch := start(t, Options{Roots: []string{dir}})

	must(t, os.Rename(a, b))
	until(t, ch, func(got []Batch) bool { return seen(a)(got) && seen(filepath.Join(b, "sub", "x.md"))(got) })
	// The moved folders are watched under their new names only.
	z := filepath.Join(b, "sub", "z.md")
	write(t, z, "z")
	got := until(t, ch, seen(z))
	for _, p := range all(got) {
		if within(p, a) {
			t.Errorf("reported %q under the old name", p)
		}
	}
	// A folder moved in from elsewhere is reported with what it holds.
	c := filepath.Join(dir, "c")
	must(t, os.Rename(outside, c))
	until(t, ch, seen(filepath.Join(c, "y.md")))
}

func TestIgnored(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			dir := t.TempDir()
			public := filepath.Join(dir, "public")
			write(t, filepath.Join(dir, ".git", "HEAD"), "ref")
			write(t, filepath.Join(public, "index.html"), "old")
			ch := start(t, Options{
				Roots:  []string{dir},
				Ignore: func(p string) bool { return p == public },
				Poll:   m.poll,
			})
			for _, name := range []string{
				".x.md.swp", ".x.md.swo", ".x.md.swx", "x.md~", "4913", ".#x.md", "#x.md#",
				"x.tmp", "x.md___jb_tmp___", "x.md___jb_old___", ".goutputstream-3F2A1B",
				".DS_Store", ".git/HEAD", ".git/objects/ab/cdef", ".hidden/x.md",
				"public/index.html", "public/new/index.html",
			} {
				write(t, filepath.Join(dir, name), "ignored")
			}
			sentinel := filepath.Join(dir, "sentinel.md")
			write(t, sentinel, "s")
			got := until(t, ch, seen(sentinel))
			if p := all(got); !slices.Equal(p, []string{sentinel}) {
				t.Errorf("paths = %q; want only %q", p, sentinel)
			}
		})
	}
}

func TestChmodOnly(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			dir := t.TempDir()
			x := filepath.Join(dir, "x.md")
			write(t, x, "x")
			ch := start(t, Options{Roots: []string{dir}, Poll: m.poll})
			must(t, os.Chmod(x, 0o600))
			must(t, os.Chmod(dir, 0o700))
			sentinel := filepath.Join(dir, "sentinel.md")
			write(t, sentinel, "s")
			got := until(t, ch, seen(sentinel))
			if p := all(got); !slices.Equal(p, []string{sentinel}) {
				t.Errorf("paths = %q; want only %q", p, sentinel)
			}
		})
	}
}

func TestBurst(t *testing.T) {
	dir := t.TempDir()
	x := filepath.Join(dir, "x.md")
	write(t, x, "")
	ch := start(t, Options{Roots: []string{dir}, Quiet: 50 * time.Millisecond, MaxWait: time.Second})
	for i := range 200 {
		write(t, x, fmt.Sprintf("version %d", i))
	}
	sentinel := filepath.Join(dir, "sentinel.md")
	write(t, sentinel, "s")
	got := until(t, ch, seen(sentinel))
	if len(got) > 3 {
		t.Errorf("200 quick writes gave %d batches; want at most 3", len(got))
	}
	if last := got[len(got)-1]; !slices.Contains(last.Paths, x) {
		t.Errorf("last batch = %q; want it to hold %q", last.Paths, x)
	}
}

func TestMaxWait(t *testing.T) {
	dir := t.TempDir()
	x := filepath.Join(dir, "x.md")
	ch := start(t, Options{Roots: []string{dir}, Quiet: time.Minute, MaxWait: 100 * time.Millisecond})
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-tick.C:
				os.WriteFile(x, []byte(fmt.Sprint(i)), 0o644)
			}
		}
	}()
	// The writes never pause for the quiet window: only MaxWait can end
	// the batch.
	t0 := time.Now()
	until(t, ch, seen(x))
	t.Logf("batch after %v", time.Since(t0))
	close(stop)
	<-done
}

func TestMissingRoots(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			dir := t.TempDir()
			toml := filepath.Join(dir, "site.toml")
			content := filepath.Join(dir, "content")
			themes := filepath.Join(dir, "deep", "themes")
			ch := start(t, Options{Roots: []string{content, toml, themes}, Poll: m.poll})

			write(t, filepath.Join(dir, "other.txt"), "not watched")
			write(t, toml, "title = 'x'")
			got := until(t, ch, seen(toml))
			if p := all(got); !slices.Equal(p, []string{toml}) {
				t.Errorf("paths = %q; want only %q", p, toml)
			}

			x := filepath.Join(content, "a", "x.md")
			write(t, x, "x")
			until(t, ch, seen(x))

			css := filepath.Join(themes, "default", "style.css")
			write(t, css, "body{}")
			until(t, ch, seen(css))

			must(t, os.Remove(toml))
			until(t, ch, seen(toml))
			write(t, toml, "again")
			until(t, ch, seen(toml))
		})
	}
}

func TestRootRecreated(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			content := filepath.Join(t.TempDir(), "content")
			write(t, filepath.Join(content, "a", "x.md"), "x")
			ch := start(t, Options{Roots: []string{content}, Poll: m.poll})
			must(t, os.RemoveAll(content))
			until(t, ch, seen(content))
			y := filepath.Join(content, "b", "y.md")
			write(t, y, "y")
			until(t, ch, seen(y))
		})
	}
}

func TestSymlinkedRoot(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			target := t.TempDir()
			write(t, filepath.Join(target, "default", "style.css"), "a{}")
			themes := filepath.Join(t.TempDir(), "themes")
			must(t, os.Symlink(target, themes))
			ch := start(t, Options{Roots: []string{themes}, Poll: m.poll})
			css := filepath.Join(themes, "default", "style.css")
			write(t, css, "a{color:red}")
			got := until(t, ch, seen(css))
			if p := all(got); !slices.Equal(p, []string{css}) {
				t.Errorf("paths = %q; want only %q", p, css)
			}
		})
	}
}

func TestPollModify(t *testing.T) {
	dir := t.TempDir()
	x := filepath.Join(dir, "x.md")
	write(t, x, "one")
	ch := start(t, Options{Roots: []string{dir}, Poll: 20 * time.Millisecond})
	steps := []struct {
		name string
		do   func()
		path string
	}{
		{"create", func() { write(t, filepath.Join(dir, "y.md"), "y") }, filepath.Join(dir, "y.md")},
		{"modify size", func() { write(t, x, "two two") }, x},
		{"modify time", func() {
			later := time.Now().Add(time.Hour)
			must(t, os.WriteFile(x, []byte("tWo two"), 0o644))
			must(t, os.Chtimes(x, later, later))
		}, x},
		{"delete", func() { must(t, os.Remove(x)) }, x},
	}
	for _, s := range steps {
		s.do()
		got := until(t, ch, seen(s.path))
		if p := all(got); !slices.Equal(p, []string{s.path}) {
			t.Errorf("%s: paths = %q; want only %q", s.name, p, s.path)
		}
	}
}

func TestCancel(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			dir := t.TempDir()
			before := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(context.Background())
			ch, err := Watch(ctx, Options{Roots: []string{dir}, Poll: m.poll})
			if err != nil {
				t.Fatal(err)
			}
			// Leave a batch pending: cancel must not wait for a reader.
			write(t, filepath.Join(dir, "x.md"), "x")
			cancel()
			timeout := time.After(patience)
		drain:
			for {
				select {
				case _, ok := <-ch:
					if !ok {
						break drain
					}
				case <-timeout:
					t.Fatal("channel not closed after cancel")
				}
			}
			for runtime.NumGoroutine() > before {
				select {
				case <-timeout:
					t.Fatalf("%d goroutines after cancel; %d before", runtime.NumGoroutine(), before)
				default:
					runtime.Gosched()
				}
			}
		})
	}
}

func TestNoRoots(t *testing.T) {
	if _, err := Watch(context.Background(), Options{}); err == nil {
		t.Error("Watch with no roots: no error")
	}
}

func TestOverflow(t *testing.T) {
	// A watcher error becomes a Full batch carrying it.
	changes := make(chan change)
	out := make(chan Batch)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go deliver(ctx, changes, out, batcher{quiet: time.Millisecond, settle: time.Millisecond, maxWait: 10 * time.Millisecond})
	changes <- change{err: fsnotify.ErrEventOverflow}
	select {
	case b := <-out:
		if !b.Full || !errors.Is(b.Err, fsnotify.ErrEventOverflow) {
			t.Errorf("batch = %+v; want Full with the overflow error", b)
		}
	case <-time.After(patience):
		t.Fatal("no batch for an overflow")
	}
	close(changes)
	if _, ok := <-out; ok {
		t.Error("out not closed after changes closed")
	}
}

func TestBatcher(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	tests := []struct {
		name   string
		events []int // milliseconds after t0
		want   time.Time
	}{
		{"one event waits the quiet window", []int{0}, ms(15)},
		{"each event restarts the window", []int{0, 10, 20}, ms(35)},
		{"a stream is cut at max wait", []int{0, 100, 200, 240}, ms(250)},
	}
	for _, tt := range tests {
		b := batcher{quiet: 15 * time.Millisecond, maxWait: 250 * time.Millisecond}
		for _, e := range tt.events {
			b.add(ms(e), change{path: "/x"})
		}
		if got := b.due(); !got.Equal(tt.want) {
			t.Errorf("%s: due = %v; want %v", tt.name, got.Sub(t0), tt.want.Sub(t0))
		}
	}

	// settled, asked when the quiet window has ended: a path that is not
	// whole holds the batch until the settle window (or max wait) ends.
	whole := func(p string) bool { return !strings.HasSuffix(p, "half") }
	for _, tt := range []struct {
		name   string
		events []int
		paths  []string
		now    int
		ok     bool
		later  time.Time
	}{
		{"every path whole", []int{0}, []string{"/a", "/b"}, 5, true, time.Time{}},
		{"a path halfway", []int{0}, []string{"/a", "/b-half"}, 5, false, ms(40)},
		{"halfway, settle window over", []int{0}, []string{"/b-half"}, 40, true, time.Time{}},
		{"the last event restarts it", []int{0, 30}, []string{"/b-half"}, 40, false, ms(70)},
		{"max wait caps it", []int{0, 100, 200, 240}, []string{"/b-half"}, 245, false, ms(250)},
		{"max wait over", []int{0, 100, 200, 240}, []string{"/b-half"}, 250, true, time.Time{}},
	} {
		b := batcher{quiet: 5 * time.Millisecond, settle: 40 * time.Millisecond, maxWait: 250 * time.Millisecond}
		for _, e := range tt.events {
			for _, p := range tt.paths {
				b.add(ms(e), change{path: p})
			}
		}
		later, ok := b.settled(ms(tt.now), whole)
		if ok != tt.ok || !later.Equal(tt.later) {
			t.Errorf("%s: settled = %v, %v; want %v, %v", tt.name, later.Sub(t0), ok, tt.later.Sub(t0), tt.ok)
		}
	}

	// Every path of the burst is reported, one created and gone again
	// too: the consumer may have read it while it was there.
	b := batcher{quiet: time.Millisecond, maxWait: time.Second}
	for _, c := range []change{
		{path: "/b"}, {path: "/a"}, {path: "/b"}, {path: "/tmp-gone"}, {path: "/removed-gone"}, {path: "/tmp-gone"},
	} {
		b.add(t0, c)
	}
	got, ok := b.take()
	if want := []string{"/a", "/b", "/removed-gone", "/tmp-gone"}; !ok || !slices.Equal(got.Paths, want) || got.Full {
		t.Errorf("take = %+v, %v; want %q", got, ok, want)
	}
	if _, ok := b.take(); ok {
		t.Error("second take found a batch")
	}

	m := merge(merge(nil, Batch{Paths: []string{"/b", "/c"}}), Batch{Paths: []string{"/a", "/b"}, Full: true, Err: fsnotify.ErrEventOverflow})
	if want := []string{"/a", "/b", "/c"}; !slices.Equal(m.Paths, want) || !m.Full || m.Err == nil {
		t.Errorf("merge = %+v; want %q, Full, Err", m, want)
	}
}

func TestIgnoredName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{".zh.md.swp", true}, {".zh.md.swo", true}, {".zh.md.swx", true}, {"zh.md.SWP", true},
		{"zh.md~", true}, {"4913", true}, {".#zh.md", true}, {"#zh.md#", true},
		{"x.tmp", true}, {"zh.md___jb_tmp___", true}, {"zh.md___jb_old___", true},
		{".goutputstream-AB12CD", true}, {".DS_Store", true}, {"Thumbs.db", true},
		{"zh.md", false}, {"en.md", false}, {"style.3f2a1b9c0d.css", false}, {"4914", false},
		{"#", false}, {"photo.jpg", false}, {"site.toml", false}, {"swp", false}, {"tmp", false},
		{"a#b#", false},
	}
	for _, tt := range tests {
		if got := ignoredName(tt.name); got != tt.want {
			t.Errorf("ignoredName(%q) = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestFilter(t *testing.T) {
	f := filter{
		roots:  []string{"/site/content", "/site/site.toml", "/"},
		ignore: func(p string) bool { return p == "/site/public" },
	}
	tests := []struct {
		path string
		want bool
	}{
		{"/site/content", true},
		{"/site/content/a/zh.md", true},
		{"/site/contents/a/zh.md", true}, // under "/"
		{"/site/content/.git/HEAD", false},
		{"/site/content/a/.zh.md.swp", false},
		{"/site/content/a/zh.md~", false},
		{"/site/site.toml", true},
		{"/site/public", false},
		{"/.hidden/x", false},
	}
	for _, tt := range tests {
		if got := f.wanted(tt.path); got != tt.want {
			t.Errorf("wanted(%q) = %v; want %v", tt.path, got, tt.want)
		}
	}
	g := filter{roots: []string{"/site/content"}}
	for _, p := range []string{"/site/contents", "/site", "/site/site.toml"} {
		if g.wanted(p) {
			t.Errorf("wanted(%q) = true outside the root", p)
		}
	}
}

func TestLimitError(t *testing.T) {
	read := func(string) ([]byte, error) { return []byte("8192\n"), nil }
	unreadable := func(string) ([]byte, error) { return nil, os.ErrNotExist }
	tests := []struct {
		name string
		err  error
		read func(string) ([]byte, error)
		dir  string
		want string
	}{
		{"watches", fmt.Errorf("add: %w", syscall.ENOSPC), read, "/site/content/a",
			"watch /site/content/a: too many watched folders: raise fs.inotify.max_user_watches (now 8192; e.g. sysctl fs.inotify.max_user_watches=524288) or use --poll"},
		{"instances", fmt.Errorf("couldn't initialize inotify: %w", syscall.EMFILE), read, "",
			"watch: too many inotify instances: raise fs.inotify.max_user_instances (now 8192; e.g. sysctl fs.inotify.max_user_instances=512) or use --poll"},
		{"no proc", syscall.ENOSPC, unreadable, "/d",
			"watch /d: too many watched folders: raise fs.inotify.max_user_watches (now unknown; e.g. sysctl fs.inotify.max_user_watches=524288) or use --poll"},
		{"other", syscall.EACCES, read, "/d", "watch /d: permission denied"},
	}
	for _, tt := range tests {
		err := limitError(tt.err, tt.dir, tt.read)
		if err.Error() != tt.want {
			t.Errorf("%s: limitError = %q; want %q", tt.name, err, tt.want)
		}
		if !errors.Is(err, tt.err) {
			t.Errorf("%s: limitError does not wrap %v", tt.name, tt.err)
		}
	}
}
