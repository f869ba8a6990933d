//go:build !race

package style

const raceEnabled = false
