package browsertest

import (
	"os"
	"testing"
)

// TestMain holds the machine shared while these tests run a browser (Busy).
func TestMain(m *testing.M) { os.Exit(Busy(m)) }
