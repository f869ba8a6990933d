package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"dateline/cmd/internal/content"
	"dateline/cmd/internal/deploy"
)

// defaultMaxDeletes is --max-deletes when not given.
const defaultMaxDeletes = 256

func runDeploy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("deploy", stderr)
	var f buildFlags
	f.register(fs)
	name := fs.String("target", "", "the [deploy.NAME] target in site.toml (default: the only one)")
	dryRun := fs.Bool("dry-run", false, "print the plan and change nothing in the bucket")
	maxDeletes := fs.Int("max-deletes", defaultMaxDeletes, "refuse to deploy when it would delete more objects than this")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *maxDeletes < 0 {
		return usageError("deploy: --max-deletes %d: give a number of objects, 0 or more", *maxDeletes)
	}
	if err := checkSite("deploy", f.dir); err != nil {
		return err
	}
	target, err := deployTarget(f.dir, *name, stderr)
	if err != nil {
		return err
	}
	where, err := deploy.ParseURL(target.URL)
	if err != nil {
		return fmt.Errorf("%s:%d: deploy.%s.url %v", content.ConfigFile, target.Line, target.Name, err)
	}

	// The bucket first: missing credentials, a wrong key, a missing
	// bucket or a store out of reach are found before a long build.
	store, err := deploy.Open(ctx, where, deploy.DefaultConcurrency)
	if err != nil {
		return err
	}
	if err := store.Check(ctx); err != nil {
		return err
	}
	// The listing the plan compares with is made while the site builds
	// (the build does not touch the bucket).
	var (
		stored   []deploy.Object
		listErr  error
		listTime time.Duration
		listing  sync.WaitGroup
	)
	listCtx, cancelList := context.WithCancel(ctx)
	defer listing.Wait()
	defer cancelList()
	listing.Go(func() {
		start := time.Now()
		stored, listErr = store.List(listCtx)
		listTime = time.Since(start)
	})

	// The build `build` makes, with the target's base_url (unless
	// --base-url is given) into the output `build` writes, or, for a
	// target whose build differs from it, a folder of its own.
	if f.baseURL == "" {
		f.baseURL = target.BaseURL
	}
	if f.out == "" && (target.BaseURL != "" || target.NoIndex) {
		f.out = filepath.Join(f.dir, "public-"+target.Name)
	}
	if err := f.build(ctx, "deploy", target.NoIndex, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "deploy: the build failed; nothing uploaded to %s\n", where)
		return err
	}

	start := time.Now()
	local, err := deploy.Scan(ctx, f.out, filepath.Join(cacheDir(f.dir), "deploy", target.Name+".md5"))
	if err != nil {
		return fmt.Errorf("deploy: reading %s: %v", f.out, err)
	}
	listing.Wait()
	if listErr != nil {
		return listErr
	}
	plan := deploy.NewPlan(where, local, stored)
	fmt.Fprintf(stdout, "plan for %s: upload %d (%s), unchanged %d (%s), delete %d (%s) [decided %s after the build; listing took %s]\n",
		where, len(plan.Uploads), sizeText(plan.UploadBytes()), plan.Unchanged, sizeText(plan.UnchangedBytes),
		len(plan.Deletes), sizeText(plan.DeleteBytes()), time.Since(start).Round(time.Millisecond), listTime.Round(time.Millisecond))
	if *dryRun {
		for _, u := range plan.Uploads {
			fmt.Fprintf(stdout, "  upload %s (%s, %s)\n", u.Key, u.Stage, sizeText(u.Size))
		}
		for _, o := range plan.Deletes {
			fmt.Fprintf(stdout, "  delete %s\n", o.Key)
		}
	}
	if len(plan.Deletes) > *maxDeletes {
		return fmt.Errorf("deploy: refused: %d objects to delete from %s, more than --max-deletes %d; nothing changed (check the target, or raise --max-deletes)",
			len(plan.Deletes), where, *maxDeletes)
	}
	if *dryRun {
		fmt.Fprintf(stdout, "dry run: nothing changed in %s\n", where)
		return nil
	}
	if plan.Empty() {
		fmt.Fprintf(stdout, "nothing to do: %s already holds the site (%d objects, %s)\n", where, plan.Unchanged, sizeText(plan.UnchangedBytes))
		return nil
	}

	bar := newProgressBar(stderr)
	res, err := plan.Apply(ctx, store, f.out, deploy.Options{Progress: bar.update})
	bar.done()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deployed to %s: uploaded %d (%s), unchanged %d, deleted %d in %s\n",
		where, res.Uploaded, sizeText(res.Bytes), plan.Unchanged, res.Deleted, time.Since(start).Round(time.Millisecond))
	return nil
}

// deployTarget finds the target named name in the site's site.toml, or
// the only one when name is "".
func deployTarget(dir, name string, stderr io.Writer) (content.DeployTarget, error) {
	cfg, ps := content.LoadConfig(os.DirFS(dir))
	if cfg == nil {
		printProblems(stderr, ps, false)
		return content.DeployTarget{}, errContent
	}
	var names []string
	for _, t := range cfg.Deploy {
		if t.Name == name || name == "" && len(cfg.Deploy) == 1 {
			return t, nil
		}
		names = append(names, t.Name)
	}
	switch {
	case len(names) == 0:
		return content.DeployTarget{}, fmt.Errorf("%s: no deploy target: add one, such as [deploy.production] url = \"s3://BUCKET/PREFIX?region=REGION\"", content.ConfigFile)
	case name == "":
		return content.DeployTarget{}, usageError("deploy: choose a target with --target (%s)", strings.Join(names, ", "))
	}
	return content.DeployTarget{}, usageError("deploy: no target %q in %s (%s)", name, content.ConfigFile, strings.Join(names, ", "))
}

// A progressBar shows a deploy's progress on w: a bar redrawn in place
// on a terminal, at most ten times a second; elsewhere one plain line as
// each stage ends. Apply calls update from one goroutine at a time.
type progressBar struct {
	w     io.Writer
	tty   bool
	last  time.Time
	drawn bool
	cur   deploy.Progress
	stage string          // the stage running
	from  deploy.Progress // where it began
}

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w, tty: isTerminal(w)}
}

func (b *progressBar) update(p deploy.Progress) {
	if !b.tty {
		if p.Stage != b.stage {
			b.endStage()
			b.stage, b.from = p.Stage, b.cur
		}
		b.cur = p
		return
	}
	b.cur = p
	if now := time.Now(); now.Sub(b.last) >= 100*time.Millisecond || p.Done == p.Total {
		b.last = now
		const width = 30
		filled := width * p.Done / max(p.Total, 1)
		fmt.Fprintf(b.w, "\r\033[K[%s%s] %d/%d objects, %s of %s: %s", strings.Repeat("=", filled), strings.Repeat(" ", width-filled),
			p.Done, p.Total, sizeText(p.Bytes), sizeText(p.ToSend), p.Stage)
		b.drawn = true
	}
}

// endStage prints the line of the stage that ends (off a terminal).
func (b *progressBar) endStage() {
	switch n := b.cur.Done - b.from.Done; {
	case b.stage == "":
	case b.stage == "delete":
		fmt.Fprintf(b.w, "deleted %d objects\n", n)
	default:
		fmt.Fprintf(b.w, "uploaded %s: %d (%s)\n", b.stage, n, sizeText(b.cur.Bytes-b.from.Bytes))
	}
}

// done ends the progress display: the bar is cleared, the last stage's
// line printed.
func (b *progressBar) done() {
	if !b.tty {
		b.endStage()
	} else if b.drawn {
		fmt.Fprint(b.w, "\r\033[K")
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
