package search

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ForTest finds Pagefind for a test: Find's answer (pagefind on PATH when
// $DATELINE_PAGEFIND is "off", as cmd/dateline's tests set it, so that
// only the search tests index), else the copy .ci/run
// installs with `npm ci --prefix .ci` (.ci/node_modules/.bin/pagefind
// under the module root). It sets $DATELINE_PAGEFIND to it for the rest of
// t, so that the build under test finds it too. Without Pagefind it skips
// t, saying how to get it; under CI=true it fails t instead, since a search
// test that skips on CI tests nothing.
func ForTest(t testing.TB) string {
	t.Helper()
	p, err := Find()
	if err == ErrOff {
		p, err = exec.LookPath("pagefind")
	}
	if err == nil {
		t.Setenv(Env, p)
		return p
	}
	dir, err := os.Getwd()
	for err == nil {
		if _, e := os.Stat(filepath.Join(dir, "go.mod")); e == nil {
			p := filepath.Join(dir, ".ci", "node_modules", ".bin", "pagefind")
			if _, e := os.Stat(p); e == nil {
				t.Setenv(Env, p)
				return p
			}
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	why := "no Pagefind: $" + Env + " is not set, pagefind is not on PATH and .ci/node_modules/.bin/pagefind is missing"
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s; CI=true: a search test must run (.ci/run installs it)", why)
	}
	t.Skipf("%s: skipping (npm ci --prefix .ci, or %s)", why, Install)
	return ""
}
