//go:build race

package style

// raceEnabled: the race detector's instrumentation allocates, so the
// allocation tests do not hold under it.
const raceEnabled = true
