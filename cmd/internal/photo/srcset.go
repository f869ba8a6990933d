package photo

import (
	"strconv"
	"strings"
)

// Sizes attributes for the default theme's layout (themes/default: the text
// column is at most --measure = 43rem inside 1.25rem margins, the hero at
// most --wide = 59rem and otherwise as wide as the window).
const (
	// FigureSizes fits a figure in the text column.
	FigureSizes = "(min-width: 45.5em) 43rem, calc(100vw - 2.5rem)"
	// HeroSizes fits the hero photo above the headline.
	HeroSizes = "(min-width: 59em) 59rem, 100vw"
)

// Srcset returns the value of an srcset attribute offering urls[i] at
// widths[i] pixels wide: "a.480.jpg 480w, a.960.jpg 960w". List the original
// too, as the last candidate, so a wide screen gets the full photo. Pairs run
// to the shorter of the two lists; a candidate with a width below 1 is left
// out. Spaces and commas in a URL are percent-encoded, since the attribute
// uses them as separators.
func Srcset(urls []string, widths []int) string {
	var b strings.Builder
	for i := range min(len(urls), len(widths)) {
		if widths[i] < 1 || urls[i] == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(srcsetURL.Replace(urls[i]))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(widths[i]))
		b.WriteByte('w')
	}
	return b.String()
}

var srcsetURL = strings.NewReplacer(" ", "%20", ",", "%2C", "\t", "%09", "\n", "%0A", "\r", "%0D", "\f", "%0C")
