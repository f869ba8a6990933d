package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/preview"
	"dateline/cmd/internal/publish"
	"dateline/cmd/internal/search"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	dir := fs.String("s", ".", "the site folder (holds content/)")
	addr := fs.String("addr", "127.0.0.1:1313", "address to listen on (loopback unless you mean it)")
	open := fs.Bool("open", false, "open the preview in the default browser")
	poll := fs.Bool("poll", false, "poll for changes instead of file system events (network mounts, some containers)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkSite("serve", *dir); err != nil {
		return err
	}
	// The preview writes photo derivatives into the cache: a build's clean
	// up must wait until it is done (publish.LockCache).
	defer publish.LockCache(cacheDir(*dir), func() { publish.CleanTempFiles(filepath.Join(cacheDir(*dir), "photos"), 1) })()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usageError("serve: %v", err)
	}
	url := "http://" + ln.Addr().String() + "/"
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		fmt.Fprintf(stderr, "warning: %s is reachable from other machines; drafts and embargoed reports are visible there\n", *addr)
	}
	fmt.Fprintf(stdout, "Dateline preview of %s at %s (Ctrl-C to stop)\n", *dir, url)
	// The report edited last is what an editor opens: its page is served
	// at once, while front pages wait for the first build of the site.
	page := latestReport(*dir)
	if page != "" {
		url += page
		fmt.Fprintf(stdout, "Last edited: %s\n", url)
	}
	opts := preview.Options{Dir: *dir, Log: stderr, Cache: cacheDir(*dir)}
	// Search works as in a build, on the site as last indexed (package
	// preview); without Pagefind the preview has no search page or link.
	switch pagefind, err := search.Find(); {
	case errors.Is(err, search.ErrOff):
	case err != nil:
		fmt.Fprintf(stderr, "warning: no search: %v\n", err)
	default:
		opts.Pagefind = pagefind
	}
	if *poll {
		opts.Poll = 300 * time.Millisecond
	}
	srv := preview.New(opts)
	if *open {
		go func() {
			if page == "" {
				// The front page waits for the first build anyway.
				select {
				case <-srv.Ready():
				case <-ctx.Done():
					return
				}
			}
			openBrowser(url)
		}()
	}
	err = srv.Run(ctx, ln)
	fmt.Fprintln(stdout, "preview stopped")
	return err
}

// latestReport returns the page path ("zh/slug/") of the report edition
// whose file was changed last, or "" when there is none. Only report
// folders and editions in the site's languages count.
func latestReport(site string) string {
	cfg, _ := content.LoadConfig(os.DirFS(site))
	dirs, err := os.ReadDir(filepath.Join(site, "content"))
	if cfg == nil || err != nil {
		return ""
	}
	var best string
	var newest time.Time
	for _, d := range dirs {
		if !d.IsDir() || !content.ValidSlug(d.Name()) {
			continue
		}
		files, err := os.ReadDir(filepath.Join(site, "content", d.Name()))
		if err != nil {
			continue
		}
		// The edition saved last decides, but of editions saved within
		// two seconds of each other (a fresh clone, a copy) the one in the
		// site's first language wins: a zh-first site opens in Chinese.
		page := ""
		var mod time.Time
		for _, l := range cfg.Languages {
			i := slices.IndexFunc(files, func(f os.DirEntry) bool { return f.Name() == l.Key+".md" && !f.IsDir() })
			if i < 0 {
				continue
			}
			info, err := files[i].Info()
			if err != nil {
				continue
			}
			if t := info.ModTime(); page == "" || t.After(mod.Add(2*time.Second)) {
				page, mod = l.Key+"/"+d.Name()+"/", t
			} else if t.After(mod) {
				mod = t
			}
		}
		if page != "" && mod.After(newest) {
			newest, best = mod, page
		}
	}
	return best
}

// openBrowser opens url in the desktop's browser, best effort.
func openBrowser(url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if cmd.Start() == nil {
		go cmd.Wait()
	}
}
