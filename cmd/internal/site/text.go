package site

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reading speeds: characters of CJK text and words of other text read per
// minute. A Chinese page with English names in it counts both, so neither
// kind of text is read as nothing (the bug of hugo #10031).
const (
	hanPerMinute  = 400
	wordPerMinute = 230
)

// readingMinutes estimates the minutes it takes to read han CJK characters
// and words other words; at least one minute.
func readingMinutes(han, words int) int {
	m := math.Ceil(float64(han)/hanPerMinute + float64(words)/wordPerMinute)
	return max(1, int(m))
}

// isCJKLang reports whether text in lang is measured in characters rather
// than words: Chinese, Japanese and Korean.
func isCJKLang(lang string) bool {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	return base == "zh" || base == "ja" || base == "ko"
}

// Summary lengths: characters for CJK languages, words otherwise.
const (
	summaryChars = 120
	summaryWords = 45
)

// cutSummary shortens text to a summary: by characters in a CJK language,
// by words otherwise, ending with an ellipsis when it cut anything. It
// prefers to end at a sentence end within the limit.
func cutSummary(text, lang string) string {
	text = strings.Join(strings.Fields(text), " ")
	if isCJKLang(lang) {
		return cutChars(text, summaryChars)
	}
	return cutWords(text, summaryWords)
}

func cutChars(text string, n int) string {
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	runes := []rune(text)[:n]
	// End at the last full stop in the second half, if there is one.
	for i := len(runes) - 1; i >= n/2; i-- {
		if runes[i] == '。' || runes[i] == '！' || runes[i] == '？' {
			return string(runes[:i+1])
		}
	}
	return strings.TrimRightFunc(string(runes), func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSpace(r)
	}) + "…"
}

func cutWords(text string, n int) string {
	words := strings.Fields(text)
	if len(words) <= n {
		return text
	}
	words = words[:n]
	for i := len(words) - 1; i >= n/2; i-- {
		if w := words[i]; strings.HasSuffix(w, ".") || strings.HasSuffix(w, "?") || strings.HasSuffix(w, "!") {
			return strings.Join(words[:i+1], " ")
		}
	}
	return strings.TrimRightFunc(strings.Join(words, " "), func(r rune) bool {
		return unicode.IsPunct(r) && r != ')' && r != '"' || unicode.IsSpace(r)
	}) + "…"
}
