package content

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

func TestTry2(t *testing.T) {
	dir := os.Getenv("SITE")
	if dir == "" {
		t.Skip()
	}
	fsys := os.DirFS(dir)
	start := time.Now()
	cfg, ps := LoadConfig(fsys)
	fmt.Println(cfg, ps)
	rs, ps := Load(context.Background(), fsys, cfg)
	fmt.Println(len(rs), len(ps), time.Since(start))
	for _, p := range ps[:min(len(ps), 10)] {
		fmt.Println(p)
	}
}
