package content

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"dateline/cmd/internal/problem"
)

// ValidSlug reports whether name can be a report folder, and so a URL slug:
// lowercase ASCII letters and digits in runs joined by single hyphens
// ("river-dikes", "2025-floods"), at most 100 bytes.
func ValidSlug(name string) bool {
	if name == "" || len(name) > 100 || name[0] == '-' || name[len(name)-1] == '-' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && name[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// SuggestSlug turns a folder name into a valid slug, or returns "" when
// nothing of it is left (a Chinese name, say).
func SuggestSlug(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	if s := b.String(); ValidSlug(s) {
		return s
	}
	return ""
}

// ignored reports whether a name in content/ is left alone: dot files and
// folders (.git, .DS_Store) and those starting with "_" (_drafts, _notes.md).
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

const contentDir = "content"

// Load reads every report of the site in fsys: each folder content/<slug>/
// and in it one <lang>.md per language of cfg (nil means DefaultConfig).
// Files are parsed in parallel by GOMAXPROCS workers; the result does not
// depend on their timing.
//
// Reports come sorted by slug, their editions in the order of
// cfg.Languages. An edition with an error is left out of its report, and a
// report left with no edition is left out; the problems say why. Problems
// come sorted by file and line. If ctx ends, Load stops and returns no
// reports and an error problem.
func Load(ctx context.Context, fsys fs.FS, cfg *Config) ([]*Report, []problem.Problem) {
	return LoadReusing(ctx, fsys, cfg, nil)
}

// A Reuse gives back what an earlier Load made of the edition file name,
// whose lstat is fi: the Edition (Source and Body nil, Sum set) and the
// problems ParseEdition reported, with ok set, when it knows the file has
// not changed since. Otherwise the file is read and parsed.
type Reuse func(name string, fi fs.FileInfo) (e *Edition, ps []problem.Problem, ok bool)

// LoadReusing is Load, asking reuse (when not nil) for each edition file
// before reading it. It must be safe for concurrent use. The folders are
// walked and checked as by Load whatever reuse answers.
func LoadReusing(ctx context.Context, fsys fs.FS, cfg *Config, reuse Reuse) ([]*Report, []problem.Problem) {
	if cfg == nil {
		cfg = DefaultConfig()
	}
	entries, err := fs.ReadDir(fsys, contentDir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, []problem.Problem{problem.Errorf(contentDir, 0, "folder not found")}
		}
		return nil, []problem.Problem{problem.Errorf(contentDir, 0, "cannot read: %v", unwrapPathError(err))}
	}
	var ps []problem.Problem
	var slugs []string
	for _, ent := range entries {
		name := ent.Name()
		p := contentDir + "/" + name
		if ignored(name) {
			continue
		}
		isDir := ent.IsDir()
		if ent.Type()&fs.ModeSymlink != 0 {
			info, prob, ok := followLink(fsys, p)
			if !ok {
				ps = append(ps, prob)
				continue
			}
			isDir = info != nil && info.IsDir()
		}
		if !isDir {
			if path.Ext(name) == ".md" {
				ps = append(ps, problem.Warnf(p, 0, "ignored: a report is a folder, content/<slug>/<lang>.md"))
			}
			continue
		}
		if !ValidSlug(name) || slices.Contains(ReservedSlugs, name) {
			ps = append(ps, slugProblem(p, name))
			continue
		}
		slugs = append(slugs, name)
	}

	type result struct {
		r  *Report
		ps []problem.Problem
	}
	results := make([]result, len(slugs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(slugs)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(slugs) || ctx.Err() != nil {
					return
				}
				r, ps := loadReport(fsys, cfg, slugs[i], reuse)
				results[i] = result{r, ps}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, []problem.Problem{problem.Errorf(contentDir, 0, "loading stopped: %v", err)}
	}
	var reports []*Report
	for _, res := range results {
		if res.r != nil {
			reports = append(reports, res.r)
		}
		ps = append(ps, res.ps...)
	}
	problem.Sort(ps)
	return reports, ps
}

// LoadReport reads the one report content/<slug>/, for a rebuild after a
// change in it. The report is nil, with no problem, when the folder does not
// exist or is ignored, and nil with problems when it cannot be published.
func LoadReport(ctx context.Context, fsys fs.FS, cfg *Config, slug string) (*Report, []problem.Problem) {
	if cfg == nil {
		cfg = DefaultConfig()
	}
	if err := ctx.Err(); err != nil {
		return nil, []problem.Problem{problem.Errorf(contentDir, 0, "loading stopped: %v", err)}
	}
	if slug == "" || ignored(slug) || strings.Contains(slug, "/") {
		return nil, nil
	}
	p := contentDir + "/" + slug
	info, err := Lstat(fsys, p)
	if err != nil {
		return nil, nil
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		var prob problem.Problem
		var ok bool
		if info, prob, ok = followLink(fsys, p); !ok {
			return nil, []problem.Problem{prob}
		}
		if info == nil {
			return nil, nil
		}
	}
	if !info.IsDir() {
		return nil, nil
	}
	if !ValidSlug(slug) || slices.Contains(ReservedSlugs, slug) {
		return nil, []problem.Problem{slugProblem(p, slug)}
	}
	r, ps := loadReport(fsys, cfg, slug, nil)
	problem.Sort(ps)
	return r, ps
}

func slugProblem(p, name string) problem.Problem {
	const rule = "report folder name must be lowercase letters, digits and hyphens"
	if slices.Contains(ReservedSlugs, name) {
		return problem.Errorf(p, 0, "report folder name %q is reserved for listing pages (%s): rename the folder", name, strings.Join(ReservedSlugs, ", "))
	}
	if s := SuggestSlug(name); s != "" {
		return problem.Errorf(p, 0, "%s (try %q)", rule, s)
	}
	return problem.Errorf(p, 0, "%s, such as \"river-dikes\"", rule)
}

// loadReport reads content/<slug>/, a folder with a valid slug.
func loadReport(fsys fs.FS, cfg *Config, slug string, reuse Reuse) (*Report, []problem.Problem) {
	dir := contentDir + "/" + slug
	var ps []problem.Problem
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, []problem.Problem{problem.Errorf(dir, 0, "cannot read: %v", unwrapPathError(err))}
	}
	eds := make([]*Edition, len(cfg.Languages))
	found := false
	for _, ent := range entries {
		name := ent.Name()
		p := dir + "/" + name
		if ignored(name) {
			continue
		}
		isDir := ent.IsDir()
		isMD := path.Ext(name) == ".md"
		if ent.Type()&fs.ModeSymlink != 0 {
			found = found || isMD
			info, prob, ok := followLink(fsys, p)
			if !ok {
				ps = append(ps, prob)
				continue
			}
			if info == nil {
				if isMD {
					ps = append(ps, problem.Errorf(p, 0, "symlink leads to a missing file"))
				}
				continue
			}
			isDir = info.IsDir()
		} else if !ent.Type().IsRegular() && !isDir {
			continue // devices, sockets, pipes
		}
		if isDir {
			if ent.Type()&fs.ModeSymlink == 0 {
				ps = append(ps, checkLinks(fsys, p)...)
			}
			continue
		}
		if !isMD {
			continue // photos and other files the report uses
		}
		found = true
		lang := strings.TrimSuffix(name, ".md")
		i := slices.IndexFunc(cfg.Languages, func(l Language) bool { return l.Key == lang })
		if i < 0 {
			ps = append(ps, problem.Errorf(p, 0, "%q is not a language of this site (languages: %s): rename the file or add [languages.%s] to %s",
				lang, keys(cfg.Languages), lang, ConfigFile))
			continue
		}
		if reuse != nil && ent.Type().IsRegular() {
			if fi, err := ent.Info(); err == nil {
				if e, eps, ok := reuse(p, fi); ok {
					ps = append(ps, eps...)
					eds[i] = e
					continue
				}
			}
		}
		e, eps := ReadEdition(fsys, p, cfg)
		ps = append(ps, eps...)
		eds[i] = e
	}
	if !found {
		ps = append(ps, problem.Warnf(dir, 0, "no edition: the report folder holds no %s", langFiles(cfg.Languages)))
		return nil, ps
	}
	r := &Report{Slug: slug, Dir: dir}
	for _, e := range eds {
		if e != nil {
			r.Editions = append(r.Editions, e)
		}
	}
	if len(r.Editions) == 0 {
		return nil, ps
	}
	return r, ps
}

func langFiles(ls []Language) string {
	names := make([]string, len(ls))
	for i, l := range ls {
		names[i] = l.Key + ".md"
	}
	switch len(names) {
	case 0:
		return "language file (site.toml has no languages)"
	case 1:
		return names[0]
	case 2:
		return names[0] + " or " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// readFile reads a Markdown file, refusing one larger than MaxFileSize
// before reading it.
// ReadEdition reads and parses the edition file name (at most
// MaxFileSize bytes), and sets its Sum; the Edition is nil when the file
// cannot be read or parsed, and the problems say why.
func ReadEdition(fsys fs.FS, name string, cfg *Config) (*Edition, []problem.Problem) {
	data, prob, ok := readFile(fsys, name)
	if !ok {
		return nil, []problem.Problem{prob}
	}
	e, ps := ParseEdition(name, data, cfg)
	if e != nil {
		e.Sum = sha256.Sum256(data)
	}
	return e, ps
}

func readFile(fsys fs.FS, name string) ([]byte, problem.Problem, bool) {
	// Opened once, and its size taken from the open file: one lookup of
	// the path, not one to stat it and another to read it.
	f, err := fsys.Open(name)
	if err != nil {
		return nil, problem.Errorf(name, 0, "cannot read: %v", unwrapPathError(err)), false
	}
	defer f.Close()
	size := 0
	if info, err := f.Stat(); err == nil {
		if info.Size() > MaxFileSize {
			return nil, tooLargeProblem(name, info.Size()), false
		}
		size = int(info.Size())
	}
	// One byte more than the size, so that the read that finds the end
	// needs no more room.
	data := make([]byte, 0, size+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, problem.Errorf(name, 0, "cannot read: %v", unwrapPathError(err)), false
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
	if len(data) > MaxFileSize { // it grew after Stat
		return nil, tooLargeProblem(name, int64(len(data))), false
	}
	return data, problem.Problem{}, true
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Lstat is fs.Lstat where fsys can tell a link from what it leads to,
// else fs.Stat.
func Lstat(fsys fs.FS, name string) (fs.FileInfo, error) {
	if _, ok := fsys.(fs.ReadLinkFS); ok {
		return fs.Lstat(fsys, name)
	}
	return fs.Stat(fsys, name)
}

// maxLinks bounds a chain of symlinks, as the kernel does.
const maxLinks = 40

// followLink checks that the symlink at name (under content/) leads to a
// place inside content/, following a chain of links. It returns what the
// link leads to (nil for a dangling link) or the problem to report. On a
// file system that cannot read links it trusts the file system and stats.
func followLink(fsys fs.FS, name string) (fs.FileInfo, problem.Problem, bool) {
	rl, ok := fsys.(fs.ReadLinkFS)
	if !ok {
		info, err := fs.Stat(fsys, name)
		if err != nil {
			return nil, problem.Problem{}, true
		}
		return info, problem.Problem{}, true
	}
	outside := problem.Errorf(name, 0, "symlink leads outside %s/", contentDir)
	cur := name
	for range maxLinks {
		target, err := rl.ReadLink(cur)
		if err != nil {
			return nil, problem.Errorf(name, 0, "cannot read symlink: %v", unwrapPathError(err)), false
		}
		target = strings.ReplaceAll(target, `\`, "/")
		if path.IsAbs(target) || (len(target) > 1 && target[1] == ':') {
			return nil, outside, false
		}
		next := path.Join(path.Dir(cur), target)
		if next != contentDir && !strings.HasPrefix(next, contentDir+"/") {
			return nil, outside, false
		}
		info, err := rl.Lstat(next)
		if err != nil {
			return nil, problem.Problem{}, true // dangling: reading it fails later, or it is not read
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			return info, problem.Problem{}, true
		}
		cur = next
	}
	return nil, problem.Errorf(name, 0, "too many levels of symlinks"), false
}

// checkLinks reports the symlinks under dir (a folder inside a report:
// photos/…) that lead outside content/. It does not enter linked folders.
func checkLinks(fsys fs.FS, dir string) []problem.Problem {
	if _, ok := fsys.(fs.ReadLinkFS); !ok {
		return nil
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return []problem.Problem{problem.Errorf(dir, 0, "cannot read: %v", unwrapPathError(err))}
	}
	var ps []problem.Problem
	for _, ent := range entries {
		name := ent.Name()
		if ignored(name) {
			continue
		}
		p := dir + "/" + name
		switch {
		case ent.Type()&fs.ModeSymlink != 0:
			if _, prob, ok := followLink(fsys, p); !ok {
				ps = append(ps, prob)
			}
		case ent.IsDir():
			ps = append(ps, checkLinks(fsys, p)...)
		}
	}
	return ps
}

// invalidUTF8 returns the offset of the first byte that is not valid UTF-8,
// or -1. Goldmark's CJK handling must never see such bytes. The offset is
// only looked for when utf8.Valid has failed.
func invalidUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}
