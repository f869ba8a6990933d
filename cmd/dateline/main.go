// Command dateline builds bilingual long-form news sites.
//
//	dateline build [-s SITE] [-o OUT] [--base-url URL] [--strict] [--now TIME]
//	dateline serve [-s SITE] [--addr 127.0.0.1:1313] [--open] [--poll]
//	dateline new SLUG [-s SITE]
//	dateline import FILE [-s SITE] [--slug SLUG] [--lang zh|en] [--date DATE]
//	dateline check [-s SITE] [--fix] [SLUG…]
//	dateline deploy [-s SITE] [--target NAME] [--dry-run] [--max-deletes N] [build flags]
//	dateline version
//
// Exit status: 0 on success, 1 on content errors, 2 on usage errors.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"syscall"
)

// version is set at link time (-ldflags "-X main.version=…").
var version = "devel"

// exitError carries an exit status out of a sub-command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

// usageError is an exit status 2 error.
func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// contentError is an exit status 1 error whose message is already printed.
var errContent = &exitError{code: 1, err: errors.New("build failed")}

const usage = `usage: dateline <command> [flags]

commands:
  build    build the site into SITE/public (or -o OUT)
  serve    preview the site with live reload
  new      scaffold content/SLUG/{zh,en}.md
  import   turn a plain-text, Markdown or .docx draft into content/SLUG/LANG.md
  check    check links, anchors, credits, alt text and translations
  deploy   build, then upload what changed to an S3-compatible bucket
  version  print the version

Run 'dateline <command> -h' for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// DATELINE_CPUPROFILE=file writes a CPU profile of the command, for
	// finding where a slow build spends its time.
	if name := os.Getenv("DATELINE_CPUPROFILE"); name != "" {
		if f, err := os.Create(name); err == nil {
			pprof.StartCPUProfile(f)
			defer f.Close()
			defer pprof.StopCPUProfile()
		}
	}
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	pprof.StopCPUProfile()
	os.Exit(code)
}

// run executes one command line and returns its exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "build":
		err = runBuild(ctx, rest, stdout, stderr)
	case "serve":
		err = runServe(ctx, rest, stdout, stderr)
	case "new":
		err = runNew(ctx, rest, stdout, stderr)
	case "import":
		err = runImport(ctx, rest, stdout, stderr)
	case "check":
		err = runCheck(ctx, rest, stdout, stderr)
	case "deploy":
		err = runDeploy(ctx, rest, stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintf(stdout, "dateline %s\n", version)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "dateline: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.code == 0 {
			return 0
		}
		if ee != errContent {
			fmt.Fprintf(stderr, "dateline: %v\n", ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "dateline: %v\n", err)
	return 1
}

// parseArgs parses a command's flags wherever they stand among its
// arguments (`new my-story -s DIR` as well as `new -s DIR my-story`; a lone
// "--" ends the flags) and returns the arguments. -h prints the command's
// flags and is exit status 0; a bad flag is a usage error, exit status 2.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var tail []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, tail = args[:i], args[i+1:]
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, &exitError{code: 0, err: err}
			}
			return nil, &exitError{code: 2, err: err}
		}
		args = fs.Args()
		if len(args) == 0 {
			return append(pos, tail...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// plural returns "1 report", "2 reports", "0 reports".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
