package preview

import (
	"os"
	"testing"

	"dateline/cmd/internal/browsertest"
)

// TestMain holds the machine shared while these tests run browsers
// (browsertest.Busy): a timed Lighthouse run waits for them, and they for
// it, before the tests start rather than inside one, where the wait would
// count against the test timeout.
func TestMain(m *testing.M) { os.Exit(browsertest.Busy(m)) }
