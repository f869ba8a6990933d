// Command gen writes a generated benchmark site to disk:
//
//	go run ./cmd/internal/corpus/gen -n 5000 -out /tmp/corpus-dl
//
// writes /tmp/corpus-dl/content/ with 5,000 bilingual reports (10,000
// pages). It refuses an output folder whose content/ already holds files,
// so that a typo cannot overwrite a real site.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dateline/cmd/internal/corpus"
)

func main() {
	n := flag.Int("n", 500, "number of reports (each one Chinese and one English page)")
	out := flag.String("out", "", "site folder to write content/ into (required)")
	seed := flag.Uint64("seed", 1, "corpus seed")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: gen [-n N] [-seed S] -out DIR\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || *n < 1 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*n, *seed, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(n int, seed uint64, out string) error {
	dir := filepath.Join(out, "content")
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty: remove it first", dir)
	}
	start := time.Now()
	files := corpus.Generate(n, seed)
	if err := corpus.Write(out, files); err != nil {
		return err
	}
	var md, bytes int
	for name, data := range files {
		bytes += len(data)
		if strings.HasSuffix(name, ".md") {
			md++
		}
	}
	fmt.Printf("wrote %d reports (%d Markdown files, %d files, %d bytes) to %s in %v\n",
		n, md, len(files), bytes, dir, time.Since(start).Round(time.Millisecond))
	return nil
}
