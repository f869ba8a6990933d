package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC: a build paces the collector itself (GOGC=150 under a 480 MiB
// soft limit) unless the environment sets GOGC or GOMEMLIMIT, which then
// win, each on its own.
func TestTuneGC(t *testing.T) {
	const otherPercent, otherLimit = 77, 3 << 30
	for _, tt := range []struct {
		name, gogc, memlimit string
		percent              int
		limit                int64
	}{
		{"neither set", "", "", 150, 480 << 20},
		{"GOGC set", "80", "", otherPercent, 480 << 20},
		{"GOGC=off set", "off", "", otherPercent, 480 << 20},
		{"GOMEMLIMIT set", "", "1GiB", 150, otherLimit},
		{"both set", "80", "1GiB", otherPercent, otherLimit},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOGC", tt.gogc)
			t.Setenv("GOMEMLIMIT", tt.memlimit)
			// The runtime read GOGC and GOMEMLIMIT when the test binary
			// started; stand-ins show whether tuneGC left them alone.
			percent := debug.SetGCPercent(otherPercent)
			limit := debug.SetMemoryLimit(otherLimit)
			t.Cleanup(func() {
				debug.SetGCPercent(percent)
				debug.SetMemoryLimit(limit)
			})
			tuneGC()
			if got := debug.SetGCPercent(otherPercent); got != tt.percent {
				t.Errorf("GC percent = %d; want %d", got, tt.percent)
			}
			if got := debug.SetMemoryLimit(-1); got != tt.limit {
				t.Errorf("memory limit = %d; want %d", got, tt.limit)
			}
		})
	}
}
