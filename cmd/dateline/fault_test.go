package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"dateline/cmd/internal/browsertest"
	"dateline/cmd/internal/corpus"
)

// checkOutputKept fails t unless the output folder out holds exactly
// before, and no temporary sibling folder is left in its parent.
func checkOutputKept(t *testing.T, out string, before map[string][]byte) {
	t.Helper()
	sameTree(t, "the output after a failed build", readTree(t, out), before)
	checkNoTemp(t, filepath.Dir(out))
}

// checkNoTemp fails t if dir holds a build's temporary folder.
func checkNoTemp(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary folder %s left behind in %s", e.Name(), dir)
		}
	}
}

// goodBuild builds the test site into out and returns the output.
func goodBuild(t *testing.T, dir, out string) map[string][]byte {
	t.Helper()
	writeSite(t, dir, testSite(t))
	if code, _, stderr := dateline(t, "build", "-s", dir, "-o", out); code != 0 {
		t.Fatalf("the good build: exit %d\n%s", code, stderr)
	}
	return readTree(t, out)
}

// TestFaultOutputNotWritable: the output's parent folder cannot be
// written. As root a mode of 0555 stops nothing, so there the folder is
// bind-mounted read-only instead.
func TestFaultOutputNotWritable(t *testing.T) {
	dir := t.TempDir()
	parent := filepath.Join(t.TempDir(), "site-out")
	out := filepath.Join(parent, "public")
	before := goodBuild(t, dir, out)
	want := "permission denied"
	if err := os.Chmod(parent, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(parent, 0o755) })
	probe := filepath.Join(parent, "probe")
	if err := os.WriteFile(probe, nil, 0o644); err == nil {
		os.Remove(probe)
		if os.Getuid() != 0 {
			t.Skip("a folder of mode 0555 is writable here")
		}
		if out, err := exec.Command("mount", "--bind", "-o", "ro", parent, parent).CombinedOutput(); err != nil {
			t.Skipf("running as root, and a read-only bind mount failed: %v: %s", err, out)
		}
		t.Cleanup(func() {
			if out, err := exec.Command("umount", parent).CombinedOutput(); err != nil {
				t.Errorf("umount %s: %v: %s", parent, err, out)
			}
		})
		if err := os.WriteFile(probe, nil, 0o644); err == nil {
			os.Remove(probe)
			t.Skip("running as root, and the read-only bind mount is writable")
		}
		want = "read-only file system"
	}
	code, _, stderr := dateline(t, "build", "-s", dir, "-o", out)
	if code != 1 {
		t.Errorf("exit %d; want 1", code)
	}
	if prefix := "dateline: output folder: "; !strings.HasPrefix(stderr, prefix) || !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q; want %q … %s", stderr, prefix, want)
	}
	checkOutputKept(t, out, before)
}

// TestFaultFileInTheWay: -o names a file, or a file stands where a folder
// of the output path should be.
func TestFaultFileInTheWay(t *testing.T) {
	tests := []struct {
		name string
		out  string // -o, relative to a fresh folder
		file string // a file made first, relative to that folder
		want string // stderr, with $ROOT for the folder
	}{
		{"output is a file", "public", "public", "dateline: output $ROOT/public is a file, not a folder\n"},
		{"parent is a file", "web/public", "web", "dateline: output folder: mkdir $ROOT/web: not a directory\n"},
		{"grandparent is a file", "web/site/public", "web", "dateline: output folder: mkdir $ROOT/web: not a directory\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeSite(t, dir, testSite(t))
			root := t.TempDir()
			file := filepath.Join(root, tt.file)
			if err := os.WriteFile(file, []byte("keep me"), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := dateline(t, "build", "-s", dir, "-o", filepath.Join(root, tt.out))
			if code != 1 {
				t.Errorf("exit %d; want 1", code)
			}
			if want := strings.ReplaceAll(tt.want, "$ROOT", root); stderr != want {
				t.Errorf("stderr = %q; want %q", stderr, want)
			}
			if data, err := os.ReadFile(file); err != nil || string(data) != "keep me" {
				t.Errorf("the file in the way was changed: %q, %v", data, err)
			}
			checkNoTemp(t, root)
			checkNoTemp(t, filepath.Dir(file))
		})
	}
}

// TestFaultDiskFull fills a 256 KiB tmpfs in the middle of a build.
func TestFaultDiskFull(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("mount -t tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", mnt, err, out)
		}
	})
	dir := t.TempDir()
	out := filepath.Join(mnt, "public")
	before := goodBuild(t, dir, out)

	// A long report: its page alone needs more than the whole disk.
	var long strings.Builder
	long.WriteString("---\ntitle: Long\ndate: 2025-06-01\n---\n\n")
	for i := 0; long.Len() < 400<<10; i++ {
		fmt.Fprintf(&long, "Paragraph %d of a report that does not fit on the disk.\n\n", i)
	}
	writeSite(t, dir, map[string][]byte{"content/long/en.md": []byte(long.String())})
	code, _, stderr := dateline(t, "build", "-s", dir, "-o", out)
	if code != 1 {
		t.Errorf("exit %d; want 1", code)
	}
	if !strings.Contains(stderr, "no space left on device") || !strings.Contains(stderr, out+" left unchanged") {
		t.Errorf("stderr = %q; want a message naming the full disk and the output left unchanged", stderr)
	}
	t.Logf("stderr: %s", stderr)
	if strings.Count(strings.TrimSpace(stderr), "\n") > 2 {
		t.Errorf("stderr has more than three lines:\n%s", stderr)
	}
	checkOutputKept(t, out, before)
}

// TestMain lets the test binary stand in for dateline: with
// DATELINE_TEST_MAIN=1 it runs main with the arguments after "--", and
// DATELINE_TEST_FAULT stops it at a change on disk (see setFault).
func TestMain(m *testing.M) {
	if os.Getenv("DATELINE_TEST_MAIN") == "1" {
		setFault(os.Getenv("DATELINE_TEST_FAULT"))
		for i, a := range os.Args {
			if a == "--" {
				os.Args = append([]string{"dateline"}, os.Args[i+1:]...)
				break
			}
		}
		main()
		return
	}
	if os.Getenv("DATELINE_PAGEFIND") == "" {
		os.Setenv("DATELINE_PAGEFIND", "off") // only the search tests index (search.ForTest)
	}
	code := browsertest.Busy(m) // no timed run beside these builds
	removeSampleCache()
	os.Exit(code)
}

// TestFaultInterrupt sends SIGINT to a build in progress: a non-zero exit,
// the old output unchanged and no temporary folder left.
func TestFaultInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated corpus twice")
	}
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Generate(20, 7)); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	start := time.Now()
	if code, _, stderr := dateline(t, "build", "-s", dir); code != 0 {
		t.Fatalf("the good build: exit %d\n%s", code, stderr)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Logf("a build takes only %s: the signal may come too late", d)
	} else {
		t.Logf("a build takes %s", d)
	}
	before := readTree(t, out)
	// A change, so that a finished build would differ from the old output.
	writeSite(t, dir, map[string][]byte{"content/" + corpus.Slug(1) + "/en.md": []byte("---\ntitle: Changed\ndate: 2025-01-01\n---\n\nChanged.\n")})

	var stderr bytes.Buffer
	cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "build", "-s", dir)
	// A cold photo cache keeps the build busy long enough to interrupt.
	cache := t.TempDir()
	cmd.Env = append(os.Environ(), "DATELINE_TEST_MAIN=1", "DATELINE_CACHE="+cache)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The build has begun (and catches the signal) once it holds the
	// cache's lock; on a loaded machine that can take longer than 100 ms.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(cache, ".lock")); err == nil {
			break
		}
	}
	time.Sleep(20 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if err == nil {
		t.Fatalf("the interrupted build exited 0:\n%s", stderr.String())
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() <= 0 {
		t.Errorf("the interrupted build: %v; want a non-zero exit status", err)
	}
	t.Logf("stderr: %s", stderr.String())
	if !strings.Contains(stderr.String(), out+" left unchanged") {
		t.Errorf("stderr = %q; want it to say the output was left unchanged", stderr.String())
	}
	checkOutputKept(t, out, before)
}
