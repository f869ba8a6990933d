//go:build !unix

package site

import "time"

// benchCPU is unknown here: the CPU metrics read 0.
func benchCPU() time.Duration { return 0 }
