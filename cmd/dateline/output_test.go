package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dateline/cmd/internal/publish"
)

// runChild runs the test binary as dateline (see TestMain) in the folder
// dir, with env added to the environment.
func runChild(t *testing.T, dir string, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "DATELINE_TEST_MAIN=1"), env...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errb.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errb.String()
}

// treeState describes everything under dir: folders, links and files with
// their bytes.
func treeState(t *testing.T, dir string) map[string]string {
	t.Helper()
	state := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case e.IsDir():
			state[rel] = "folder"
		case e.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			state[rel] = "link to " + target
			return err
		default:
			data, err := os.ReadFile(p)
			state[rel] = "file " + string(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return state
}

func sameState(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for p, w := range want {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: %s is gone", what, p)
		} else if g != w {
			t.Errorf("%s: %s changed", what, p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: %s appeared", what, p)
		}
	}
}

// TestBuildOutputGuard runs dateline build with an output folder that is,
// holds or lies inside the site, content/, themes/ or the cache, or that
// Dateline did not write: exit 2, one line naming the output and why, and
// nothing on disk changed (the site, its neighbour, the output).
func TestBuildOutputGuard(t *testing.T) {
	tests := []struct {
		name string
		args []string // after build; run in the site folder
		env  string   // DATELINE_CACHE, relative to the root
		want string   // after "dateline: build: output folder "; $ROOT is the root
	}{
		{"content", []string{"-o", "content"}, "", "$ROOT/site/content is the site's content/ folder"},
		{"site (-o .)", []string{"-o", "."}, "", "$ROOT/site is the site folder"},
		{"site (-s site -o site)", []string{"-s", "../site", "-o", "../site"}, "", "$ROOT/site is the site folder"},
		{"parent (-o ..)", []string{"-o", ".."}, "", "$ROOT holds the site folder $ROOT/site"},
		{"a report", []string{"-o", "content/alpha"}, "", "$ROOT/site/content/alpha lies inside the site's content/ folder"},
		{"a report, forced", []string{"-o", "content/alpha", "--force"}, "", "$ROOT/site/content/alpha lies inside the site's content/ folder"},
		{"themes", []string{"-o", "themes"}, "", "$ROOT/site/themes is the site's themes/ folder"},
		{"SITE/.cache", []string{"-o", ".cache"}, "", "$ROOT/site/.cache is the build cache"},
		{"DATELINE_CACHE", []string{"-o", "../cache"}, "cache", "$ROOT/cache is the build cache"},
		{"inside DATELINE_CACHE", []string{"-o", "../cache/output"}, "cache", "$ROOT/cache/output lies inside the build cache"},
		{"a link to content", []string{"-o", "web"}, "", "$ROOT/site/web is the site's content/ folder"},
		{"through a link and ..", []string{"-o", "../elsewhere/../site/content"}, "", "$ROOT/site/content is the site's content/ folder"},
		{"not written by Dateline", []string{"-o", "../neighbour"}, "", "$ROOT/neighbour holds files Dateline did not write (it has no .dateline-output file); --force replaces it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			site := filepath.Join(root, "site")
			writeSite(t, site, testSite(t))
			writeSite(t, root, map[string][]byte{
				"site/themes/mine/README": []byte("a theme of ours"),
				"neighbour/notes.txt":     []byte("not the site's"),
				"cache/output/kept.html":  []byte("kept"),
				"elsewhere/file":          []byte("x"),
			})
			if err := os.Symlink("content", filepath.Join(site, "web")); err != nil {
				t.Fatal(err)
			}
			var env []string
			if tt.env != "" {
				env = append(env, "DATELINE_CACHE="+filepath.Join(root, tt.env))
			}
			if code, _, stderr := runChild(t, site, env, "build"); code != 0 {
				t.Fatalf("the good build: exit %d\n%s", code, stderr)
			}
			before := treeState(t, root)
			code, stdout, stderr := runChild(t, site, env, append([]string{"build"}, tt.args...)...)
			if code != 2 {
				t.Errorf("exit %d; want 2", code)
			}
			want := "dateline: build: output folder " + strings.ReplaceAll(tt.want, "$ROOT", root) + "\n"
			if stderr != want || stdout != "" {
				t.Errorf("stdout %q, stderr %q; want stderr %q", stdout, stderr, want)
			}
			sameState(t, "after the refused build", treeState(t, root), before)
		})
	}
}

// A folder Dateline did not write is replaced with --force; the build
// marks it, so the next build replaces it without.
func TestBuildForceReplacesForeignFolder(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	writeSite(t, site, testSite(t))
	writeSite(t, root, map[string][]byte{"docs/notes.txt": []byte("notes")})
	docs := filepath.Join(root, "docs")
	if code, _, _ := dateline(t, "build", "-s", site, "-o", docs); code != 2 {
		t.Fatalf("build -o docs: exit %d; want 2", code)
	}
	for _, args := range [][]string{{"--force"}, nil} {
		if code, _, stderr := dateline(t, append([]string{"build", "-s", site, "-o", docs}, args...)...); code != 0 {
			t.Fatalf("build -o docs %v: exit %d\n%s", args, code, stderr)
		}
		got := readTree(t, docs)
		if _, ok := got["notes.txt"]; ok {
			t.Error("the replaced folder's file survived")
		}
		if !bytes.Equal(got[publish.Marker], publish.MarkerText) || got["index.html"] == nil {
			t.Errorf("docs/ is not a marked output: %d files", len(got))
		}
	}
}

// leftoverNames lists the files and folders under dir that look like a
// killed build's: staging folders, probes, temporary files.
func leftoverNames(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	for p := range treeState(t, dir) {
		base := p[strings.LastIndex(p, "/")+1:]
		if strings.HasPrefix(base, ".probe-") || strings.Contains(base, ".tmp-") {
			found = append(found, p)
		}
	}
	return found
}

// emptyFolders lists the folders under dir that hold nothing.
func emptyFolders(t *testing.T, dir string) []string {
	t.Helper()
	var empty []string
	for p, s := range treeState(t, dir) {
		if s != "folder" {
			continue
		}
		if entries, err := os.ReadDir(filepath.Join(dir, p)); err == nil && len(entries) == 0 {
			empty = append(empty, p)
		}
	}
	return empty
}

// cleanBuild builds the site in dir into a fresh folder with a fresh
// cache, and returns the output.
func cleanBuild(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	t.Setenv("DATELINE_CACHE", t.TempDir())
	if code, _, stderr := dateline(t, "build", "-s", dir, "-o", out); code != 0 {
		t.Fatalf("clean build: exit %d: %s", code, stderr)
	}
	os.Unsetenv("DATELINE_CACHE")
	return readTree(t, out)
}

// What killed builds leave (staging folders, probes, temporary files of
// the caches, a pulled report's emptied folders in the kept output) is
// gone after the next build, and its output is a clean build's.
func TestBuildCleansLeftovers(t *testing.T) {
	dir, _ := buildSite(t, testSite(t))
	if code, _, stderr := dateline(t, "build", "-s", dir); code != 0 {
		t.Fatalf("second build: exit %d: %s", code, stderr)
	}
	kept := filepath.Join(dir, ".cache", "dateline", "output")
	photoDir := ".cache/dateline/photos/ab" // derivatives are kept in such folders
	writeSite(t, dir, map[string][]byte{
		".public.tmp-2718/zh/alpha/index.html":       []byte("staged"),
		".public.tmp-3141.old/index.html":            []byte("old"),
		".probe-1618/.keep":                          nil,
		"public/.probe-1414/.keep":                   nil,
		".cache/dateline/output/.probe-1732/.keep":   nil,
		photoDir + "/.tmp-5772":                      []byte("half a photo"),
		".cache/dateline/photos/.tmp-sources.index-": []byte("half an index"),
		".cache/dateline/.tmp-662":                   []byte("half a manifest"),
	})
	for _, p := range []string{".probe-1618/.keep", "public/.probe-1414/.keep", ".cache/dateline/output/.probe-1732/.keep"} {
		os.Remove(filepath.Join(dir, p)) // the probes are empty folders
	}
	// A build killed as it removed the pages of a pulled report.
	removed := 0
	for p, s := range treeState(t, kept) {
		if strings.Contains(p, "/beta/") && strings.HasPrefix(s, "file ") {
			if err := os.Remove(filepath.Join(kept, filepath.FromSlash(p))); err != nil {
				t.Fatal(err)
			}
			removed++
		}
	}
	if removed == 0 {
		t.Fatal("no page of beta in the kept output")
	}
	if err := os.RemoveAll(filepath.Join(dir, "content", "beta")); err != nil {
		t.Fatal(err)
	}
	if found := leftoverNames(t, dir); len(found) != 8 {
		t.Fatalf("planted leftovers: %v", found)
	}

	if code, _, stderr := dateline(t, "build", "-s", dir); code != 0 {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	if found := leftoverNames(t, dir); len(found) > 0 {
		t.Errorf("left over after the build: %v", found)
	}
	for _, d := range []string{filepath.Join(dir, "public"), kept} {
		if empty := emptyFolders(t, d); len(empty) > 0 {
			t.Errorf("empty folders in %s: %v", d, empty)
		}
	}
	sameTree(t, "the output, against a clean build", readTree(t, filepath.Join(dir, "public")), cleanBuild(t, dir))
}

// A published page and hashed asset edited in place, with their size kept
// and their modification time set back, are written again by the next
// build, not carried over.
func TestBuildRewritesFilesEditedInPlace(t *testing.T) {
	dir, _ := buildSite(t, testSite(t))
	if code, stdout, stderr := dateline(t, "build", "-s", dir); code != 0 || !strings.Contains(stdout, "unchanged reports kept") {
		t.Fatalf("second build: exit %d: %s%s", code, stdout, stderr)
	}
	out := filepath.Join(dir, "public")
	var asset string
	for name := range readTree(t, out) {
		if strings.HasPrefix(name, "assets/") && strings.HasSuffix(name, ".css") {
			asset = name
		}
	}
	for _, name := range []string{"en/alpha/index.html", asset} {
		p := filepath.Join(out, filepath.FromSlash(name))
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(p)
		edited := bytes.ToUpper(data)
		if bytes.Equal(edited, data) || len(edited) != len(data) {
			t.Fatalf("%s: no same-size edit", name)
		}
		time.Sleep(10 * time.Millisecond) // a coarse clock moves on
		if err := os.WriteFile(p, edited, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, fi.ModTime(), fi.ModTime()); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, stderr := dateline(t, "build", "-s", dir); code != 0 {
		t.Fatalf("build after the edit: exit %d: %s", code, stderr)
	}
	sameTree(t, "after the hand edit, against a clean build", readTree(t, out), cleanBuild(t, dir))
}
