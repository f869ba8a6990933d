package publish

// The oracle, for the tests of package publish_test (compact_pages_test.go).
var (
	CompactHTMLOracle = func(dst, src []byte) []byte { dst, _ = compactOracle(dst, src, false); return dst }
	CompactOracle     = compactPageOracle
	InPreOracle       = inPreOracle
)
