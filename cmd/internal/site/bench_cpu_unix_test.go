//go:build unix

package site

import (
	"syscall"
	"time"
)

// benchCPU returns the CPU time (user and system) this process has used:
// on a shared machine, a figure other processes do not move, as wall time is.
func benchCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
