package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkCreateReusing opens a kept output the shape of the 10,000-page
// benchmark corpus's (10,000 report folders, one page each) and reports
// the time until CreateReusing returns (ms-return) and until the stock of
// the kept folder is taken and the first write may go ahead (ms-ready):
// before the stock was taken in the background, CreateReusing returned
// only then.
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
	var returned, ready time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		d, err := CreateReusing(out, kept)
		if err != nil {
			b.Fatal(err)
		}
		returned += time.Since(start)
		d.wait()
		ready += time.Since(start)
		if !d.reuse {
			b.Fatal("the kept folder is not reused")
		}
		d.Abort()
	}
	b.ReportMetric(float64(returned.Microseconds())/1e3/float64(b.N), "ms-return")
	b.ReportMetric(float64(ready.Microseconds())/1e3/float64(b.N), "ms-ready")
}
