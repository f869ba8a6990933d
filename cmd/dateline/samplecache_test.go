package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The sample site's photo derivatives (JPEG, WebP and AVIF at every width,
// and the social cards) take about 30 CPU seconds to make, and ten tests
// build the sample. The first of them makes the derivatives once in a
// folder of the test binary's; every test then gets a build cache of its
// own with a copy of them (2.6 MB), so that the derivatives are shared and
// nothing else is (no test sees another's manifest or photo index).
// TestPhotoCountsFirstBuild keeps a cold cache of its own: it counts the
// derivatives a first build makes.
var sampleDerivatives struct {
	once sync.Once
	dir  string // a build cache holding the sample's derivatives
	err  error
}

// sampleCache returns a new build cache folder for t, removed when t
// ends, that holds the sample site's photo derivatives.
func sampleCache(t testing.TB) string {
	t.Helper()
	s := &sampleDerivatives
	s.once.Do(func() {
		s.dir, s.err = os.MkdirTemp("", "dateline-sample-cache-")
		if s.err != nil {
			return
		}
		out, err := os.MkdirTemp("", "dateline-sample-public-")
		if err != nil {
			s.err = err
			return
		}
		defer os.RemoveAll(out)
		old, had := os.LookupEnv("DATELINE_CACHE")
		os.Setenv("DATELINE_CACHE", s.dir)
		var stderr bytes.Buffer
		code := run(context.Background(), []string{"build", "-s", "../..", "-o", filepath.Join(out, "public")}, io.Discard, &stderr)
		if had {
			os.Setenv("DATELINE_CACHE", old)
		} else {
			os.Unsetenv("DATELINE_CACHE")
		}
		if code != 0 {
			s.err = fmt.Errorf("building the sample site for its photo derivatives: exit %d\n%s", code, stderr.String())
		}
	})
	if s.err != nil {
		t.Fatal(s.err)
	}
	cache := t.TempDir()
	if err := os.CopyFS(filepath.Join(cache, "photos"), os.DirFS(filepath.Join(s.dir, "photos"))); err != nil {
		t.Fatal(err)
	}
	return cache
}

// removeSampleCache removes the shared derivatives; TestMain calls it.
func removeSampleCache() {
	if d := sampleDerivatives.dir; d != "" {
		os.RemoveAll(d)
	}
}

// TestSampleCacheShared: a build of the sample with sampleCache makes no
// derivative (were the cache keyed by anything but content and settings,
// every test would silently make them all again).
func TestSampleCacheShared(t *testing.T) {
	t.Setenv("DATELINE_CACHE", sampleCache(t))
	code, stdout, stderr := dateline(t, "build", "-s", "../..", "-o", filepath.Join(t.TempDir(), "public"))
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "photo derivatives 0 made") {
		t.Errorf("a build with the shared derivatives made some: %q", stdout)
	}
}
