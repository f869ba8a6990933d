package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkCreateReusing opens a kept output the shape of the 10,000-page
// benchmark corpus's (10,000 report folders, one page each): CreateReusing
// takes stock of it before it returns.
func BenchmarkCreateReusing(b *testing.B) {
	root := b.TempDir()
	out, kept := filepath.Join(root, "public"), filepath.Join(root, "kept")
	for _, lang := range []string{"en", "zh"} {
		for i := range 5000 {
			dir := filepath.Join(kept, lang, fmt.Sprintf("report-%05d", i))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "index.html"), nil, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	for b.Loop() {
		d, err := CreateReusing(out, kept)
		if err != nil {
			b.Fatal(err)
		}
		if !d.reuse {
			b.Fatal("the kept folder is not reused")
		}
		d.Abort()
	}
}
