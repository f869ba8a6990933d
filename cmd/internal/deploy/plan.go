package deploy

import (
	"path"
	"slices"
	"strings"
)

// A Stage is one step of a deploy's uploads. A stage starts when the one
// before it has finished, so that no object a reader can reach names one
// that is not there yet.
type Stage int

const (
	// Assets are the content-hashed files (CSS, JS, photos): until a page
	// names them nobody asks for them.
	Assets Stage = iota
	// Files are the other files that are neither pages nor feeds
	// (files a report links to).
	Files
	// NewPages are pages the bucket does not hold yet: no live page links
	// to them before the Pages stage.
	NewPages
	// Pages are pages that change, listings included.
	Pages
	// Feeds are the feeds and the sitemap's parts, which name pages.
	Feeds
	// Index is the sitemap index, which names the parts, and robots.txt,
	// which names the index.
	Index
)

var stageNames = [...]string{"assets", "files", "new pages", "changed pages", "feeds and sitemap", "sitemap index"}

func (s Stage) String() string { return stageNames[s] }

// stageOf returns the stage of the file at slash path p; stored tells
// whether the bucket holds an object for it.
func stageOf(p string, stored bool) Stage {
	switch {
	case isAsset(p):
		return Assets
	case p == "sitemap.xml" || p == "robots.txt":
		return Index
	case path.Ext(p) == ".xml":
		return Feeds
	case path.Ext(p) == ".html" && !stored:
		return NewPages
	case path.Ext(p) == ".html":
		return Pages
	}
	return Files
}

// An Object is one object stored under the target's prefix.
type Object struct {
	Key  string
	Size int64
	ETag string // as listed, quotes removed
}

// An Upload is one file to upload.
type Upload struct {
	File
	Key   string
	Stage Stage
}

// A Plan is what a deploy does: the uploads in order, and the deletions
// that follow them.
type Plan struct {
	Uploads        []Upload // by stage, then by key
	Deletes        []Object // by stage, last stage first, then by key
	Unchanged      int
	UnchangedBytes int64
}

// NewPlan compares the files of the built site with the objects stored
// under t's prefix. A file is unchanged when an object of its key has its
// size and its MD5 as ETag; objects under the prefix that no file has are
// deleted: pages first, content-hashed assets last, so that a page is gone
// before what it names.
func NewPlan(t *Target, local []File, stored []Object) *Plan {
	byKey := make(map[string]Object, len(stored))
	for _, o := range stored {
		byKey[o.Key] = o
	}
	p := &Plan{}
	seen := make(map[string]bool, len(local))
	for _, f := range local {
		key := t.Prefix + f.Path
		seen[key] = true
		o, ok := byKey[key]
		if ok && o.Size == f.Size && strings.EqualFold(o.ETag, f.MD5) {
			p.Unchanged++
			p.UnchangedBytes += f.Size
			continue
		}
		p.Uploads = append(p.Uploads, Upload{File: f, Key: key, Stage: stageOf(f.Path, ok)})
	}
	for _, o := range stored {
		if !seen[o.Key] && strings.HasPrefix(o.Key, t.Prefix) {
			p.Deletes = append(p.Deletes, o)
		}
	}
	slices.SortStableFunc(p.Uploads, func(a, b Upload) int {
		if a.Stage != b.Stage {
			return int(a.Stage - b.Stage)
		}
		return strings.Compare(a.Key, b.Key)
	})
	deleteStage := func(o Object) Stage { return stageOf(strings.TrimPrefix(o.Key, t.Prefix), true) }
	slices.SortStableFunc(p.Deletes, func(a, b Object) int {
		if sa, sb := deleteStage(a), deleteStage(b); sa != sb {
			return int(sb - sa)
		}
		return strings.Compare(a.Key, b.Key)
	})
	return p
}

// UploadBytes is the size of the uploads.
func (p *Plan) UploadBytes() int64 {
	var n int64
	for _, u := range p.Uploads {
		n += u.Size
	}
	return n
}

// DeleteBytes is the size of the objects to delete.
func (p *Plan) DeleteBytes() int64 {
	var n int64
	for _, o := range p.Deletes {
		n += o.Size
	}
	return n
}

// Empty reports whether the bucket already holds the site.
func (p *Plan) Empty() bool { return len(p.Uploads) == 0 && len(p.Deletes) == 0 }
