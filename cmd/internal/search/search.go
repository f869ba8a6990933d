// Package search builds the site's search index with Pagefind
// (https://pagefind.app), over the staged output before it is published.
//
// Each language's search page, /<lang>/search/index.html (written by package
// site), gets its own index, of that language's folder only, in
// /<lang>/search/pagefind/. Pagefind indexes the pages that mark an element
// data-pagefind-body (the report layout marks the report's body) and skips
// the others; since it reads only the staged output, which holds nothing
// unpublished, no draft or embargoed report can reach an index.
//
// Pagefind is an external program: the `pagefind` npm package, whose
// extended binary segments Chinese into words. The build finds it with Find
// and, when it is missing, publishes no search page.
package search

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Version is the Pagefind release Dateline is made and tested with.
const Version = "1.6.0"

// Install is the command that installs Pagefind.
const Install = "npm install -g pagefind@" + Version

// Env names the environment variable that gives the Pagefind program's path.
const Env = "DATELINE_PAGEFIND"

// Bundle is the folder, beside each search page, that holds the language's
// index and Pagefind's scripts.
const Bundle = "pagefind"

// ErrOff is Find's error when $DATELINE_PAGEFIND is "off": the site is
// built without search, and without a warning about it.
var ErrOff = errors.New(Env + "=off: no search")

// Find returns the Pagefind program to run: $DATELINE_PAGEFIND when set
// (ErrOff when it is "off"), else `pagefind` on PATH. It returns "" and an
// error saying how to install it when there is none.
func Find() (string, error) {
	switch p := os.Getenv(Env); p {
	case "off":
		return "", ErrOff
	case "":
	default:
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("%s=%s: %v; install Pagefind with `%s`", Env, p, err, Install)
		}
		return p, nil
	}
	p, err := exec.LookPath("pagefind")
	if err != nil {
		return "", fmt.Errorf("pagefind not found on PATH (nor in %s): install it with `%s`", Env, Install)
	}
	return p, nil
}

// Pages returns the search pages of the output folder site: every
// <lang>/search/index.html, slash-separated and sorted.
func Pages(site string) ([]string, error) {
	pages, err := fs.Glob(os.DirFS(site), "*/search/index.html")
	slices.Sort(pages)
	return pages, err
}

// Index runs Pagefind (the program bin) over each language folder of the
// output folder site that holds a search page, writing the language's
// bundle beside its search page. The languages are indexed one after the
// other: Pagefind uses every core, and on a large site most of a gigabyte
// for the biggest language, which two at once would add up. It returns the
// files of the bundles, relative to site, slash-separated and sorted.
// Pagefind's messages are in the error when it fails.
func Index(ctx context.Context, bin, site string) ([]string, error) {
	pages, err := Pages(site)
	if err != nil {
		return nil, err
	}
	var all []string
	for _, page := range pages {
		files, err := index(ctx, bin, site, strings.SplitN(page, "/", 2)[0])
		if err != nil {
			return nil, err
		}
		all = append(all, files...)
	}
	slices.Sort(all)
	return all, nil
}

// index indexes the folder lang of site into lang/search/pagefind/ and
// returns the bundle's files.
func index(ctx context.Context, bin, site, lang string) ([]string, error) {
	bundle := filepath.Join(site, lang, "search", Bundle)
	// Pagefind adds to a bundle folder: start from an empty one.
	if err := os.RemoveAll(bundle); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin,
		"--site", filepath.Join(site, lang),
		"--output-subdir", path.Join("search", Bundle),
		"--quiet")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("pagefind (%s) on %s/: %v\n%s", bin, lang, err, bytes.TrimSpace(out.Bytes()))
	}
	var files []string
	err := filepath.WalkDir(bundle, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(site, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	return files, err
}
