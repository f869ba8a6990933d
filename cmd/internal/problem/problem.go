// Package problem holds what a build found wrong with its input, as data.
//
// Every stage of the pipeline (content, markdown, theme, site) returns the
// problems it found instead of stopping at the first one, so an editor sees
// every problem of a build at once. A Problem prints as the SPEC's
// "path:line: message".
package problem

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Severity tells an error, which fails a build, from a warning, which does
// not (unless the build is strict).
type Severity int

const (
	Error Severity = iota
	Warning
	// Note is information that passes even a strict build (a report
	// published in fewer languages than the site has, when allowed).
	Note
)

// A Problem is one thing wrong with one input file.
type Problem struct {
	File     string // slash-separated path relative to the site, e.g. "content/river/zh.md"
	Line     int    // 1-based; 0 when the problem concerns the whole file
	Column   int    // 1-based; 0 when unknown
	Text     string // lower-case, no trailing period
	Severity Severity
}

// String formats p as "path:line: message" ("path:line:col: message" with a
// column, "path: message" without a line).
// Warnings carry a "warning: " prefix before the message.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Column > 0 {
			fmt.Fprintf(&b, ":%d", p.Column)
		}
	}
	if p.File != "" {
		b.WriteString(": ")
	}
	switch p.Severity {
	case Warning:
		b.WriteString("warning: ")
	case Note:
		b.WriteString("note: ")
	}
	b.WriteString(p.Text)
	return b.String()
}

// Error makes a Problem usable as an error.
func (p Problem) Error() string { return p.String() }

// Errorf returns an error Problem.
func Errorf(file string, line int, format string, args ...any) Problem {
	return Problem{File: file, Line: line, Text: fmt.Sprintf(format, args...), Severity: Error}
}

// Warnf returns a warning Problem.
func Warnf(file string, line int, format string, args ...any) Problem {
	return Problem{File: file, Line: line, Text: fmt.Sprintf(format, args...), Severity: Warning}
}

// Notef returns a note Problem.
func Notef(file string, line int, format string, args ...any) Problem {
	return Problem{File: file, Line: line, Text: fmt.Sprintf(format, args...), Severity: Note}
}

// Sort orders ps by file, line, column, severity and text: every field, so
// equal problems are alike and an unstable sort gives the one order (a
// preview's rebuild sorts the whole site's problems).
func Sort(ps []Problem) { slices.SortFunc(ps, compare) }

// compare is Sort's order. It compares a field only when the ones before
// are equal (cmp.Or would compare every text), and strings once each.
func compare(a, b Problem) int {
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c
	}
	if a.Line != b.Line {
		return cmp.Compare(a.Line, b.Line)
	}
	if a.Column != b.Column {
		return cmp.Compare(a.Column, b.Column)
	}
	if a.Severity != b.Severity {
		return cmp.Compare(a.Severity, b.Severity)
	}
	return strings.Compare(a.Text, b.Text)
}

// Errors returns the problems that fail a build: every error, and with
// strict every warning too.
func Errors(ps []Problem, strict bool) []Problem {
	var out []Problem
	for _, p := range ps {
		if p.Severity == Error || strict && p.Severity == Warning {
			out = append(out, p)
		}
	}
	return out
}

// Join returns the problems as one error (nil for none), one per line.
func Join(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = p
	}
	return errors.Join(errs...)
}
