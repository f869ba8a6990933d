package site

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestRenavBodyEdit: a rebuild after an edit that changes nothing the
// series and onward links show (a paragraph appended) keeps the nav index
// as it is and rebuilds the edited report alone; an edit of a title the
// other parts show makes a new index and rebuilds those parts too.
func TestRenavBodyEdit(t *testing.T) {
	dir := t.TempDir()
	files := seriesSite("")
	writeFiles(t, dir, files)
	b := NewBuilder(Options{FS: os.DirFS(dir), Now: clock})
	ctx := context.Background()
	if _, err := b.Build(ctx, newMem()); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		what, file, from, to string
		sameIndex            bool
		want                 []string // slugs renav returns
	}{
		{"body", "content/d1/zh.md", "Body of 大堤一.", "Body of 大堤一.\n\nOne more paragraph.", true, []string{"d1"}},
		{"body again", "content/d1/zh.md", "One more paragraph.", "Two more paragraphs.", true, []string{"d1"}},
		{"title", "content/d1/zh.md", "title: 大堤一", "title: 大堤一（修订）", false, []string{"d1", "d2", "f1"}}, // f1 links to d1 on their topic,
	} {
		files[tt.file] = strings.Replace(files[tt.file], tt.from, tt.to, 1)
		writeFiles(t, dir, map[string]string{tt.file: files[tt.file]})
		old := b.nav
		slug := strings.Split(tt.file, "/")[1]
		got := b.renav(ctx, []string{slug})
		if (b.nav == old) != tt.sameIndex {
			t.Errorf("%s edit: index kept = %v; want %v", tt.what, b.nav == old, tt.sameIndex)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s edit: renav returned %q; want %q", tt.what, got, tt.want)
		}
	}
}
