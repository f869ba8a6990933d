//go:build !race && unix

package markdown

import (
	"syscall"
	"time"
)

// timed is true where TestPathological runs: not under the race
// detector, which makes conversion many times slower.
const timed = true

// cpuTime returns the processor time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
