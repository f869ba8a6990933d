package theme

import (
	"os"
	"testing"

	"dateline/cmd/internal/browsertest"
)

// TestMain holds the machine shared while these tests build and encode
// (browsertest.Busy): no timed Lighthouse run measures pages beside them.
func TestMain(m *testing.M) { os.Exit(browsertest.Busy(m)) }
