package style

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Number is a figure written in a text: its value, and how it was
// written (with a unit that follows it: "1.2公里", "1.5 km").
type Number struct {
	Value float64
	Text  string
	// Decade is a decade's short form (1970s → 70, as 七十年代 says it);
	// 0 for other numbers.
	Decade float64
}

var (
	// a number: digits with thousands separators or a decimal part, then
	// a Chinese multiplier or an English one.
	numberRE = regexp.MustCompile(`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`)
	// link targets, autolinks and URLs hold digits that are not figures.
	targetRE = regexp.MustCompile(`\]\([^)]*\)|<[a-zA-Z][a-zA-Z0-9+.-]*:[^>]*>|https?://\S+`)
)

// fullWidthDigits maps ０…９ and the full-width point to ASCII.
var fullWidthDigits = strings.NewReplacer("０", "0", "１", "1", "２", "2", "３", "3", "４", "4",
	"５", "5", "６", "6", "７", "7", "８", "8", "９", "9", "．", ".", "，", "，")

// Numbers returns the figures of a passage of Markdown: full-width digits
// read as digits, thousands separators dropped, 万 and 亿, million and
// billion multiplied out, so that 1.2万 and 12,000 are the same number.
// A Chinese month (8月) is not a figure: English writes it as a word.
func Numbers(text string) []Number {
	text = fullWidthDigits.Replace(targetRE.ReplaceAllString(text, " "))
	var out []Number
	for _, m := range numberRE.FindAllStringIndex(text, -1) {
		i, j := m[0], m[1]
		if i > 0 && (isASCIILetter(text[i-1]) || text[i-1] == '.') {
			continue // part of a word or a name: H5, v2, file.3
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(text[i:j], ",", ""), 64)
		if err != nil {
			continue
		}
		rest := text[j:]
		switch {
		case strings.HasPrefix(rest, "月"):
			continue
		case strings.HasPrefix(rest, "万"):
			v *= 1e4
		case strings.HasPrefix(rest, "亿"):
			v *= 1e8
		case strings.HasPrefix(rest, " million"):
			v *= 1e6
		case strings.HasPrefix(rest, " billion"):
			v *= 1e9
		}
		n := Number{Value: v, Text: text[i:j] + unit(rest)}
		if strings.HasPrefix(rest, "s") && j-i == 4 && int(v)%10 == 0 {
			n.Text, n.Decade = text[i:j]+"s", float64(int(v)%100)
		}
		out = append(out, n)
	}
	return out
}

// unit returns what follows a number and says what it counts: up to two
// Chinese characters (公里, 万人), a % sign, or a short word after a space
// (km, m, kg).
func unit(rest string) string {
	if strings.HasPrefix(rest, "%") {
		return "%"
	}
	for _, m := range []string{" million", " billion"} {
		if strings.HasPrefix(rest, m) {
			return m
		}
	}
	if r, size := utf8.DecodeRuneInString(rest); unicode.Is(unicode.Han, r) {
		switch {
		case strings.ContainsRune("年日号时分秒岁个座条次", r):
			return rest[:size]
		case r == '万' || r == '亿':
			if r2, size2 := utf8.DecodeRuneInString(rest[size:]); strings.ContainsRune("人元米吨户个", r2) {
				return rest[:size+size2]
			}
			return rest[:size]
		}
		n := 0
		for i, r := range rest {
			if !unicode.Is(unicode.Han, r) || n == 2 {
				return rest[:i]
			}
			n++
		}
		return rest
	}
	if w, ok := strings.CutPrefix(rest, " "); ok {
		end := strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		if end < 0 {
			end = len(w)
		}
		if end > 0 && end <= 3 {
			return " " + w[:end]
		}
	}
	return ""
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// Mentions returns every value a passage names, in any form: its Numbers,
// Chinese numerals (五十, 第三, 百分之二 → 50, 3, 100 and 2), English number
// words (four, twenty-five) and a decade's short form (1970s → 70, as
// 七十年代 says it). A figure written in digits in one edition is found in
// the other when it is among these.
func Mentions(text string) []float64 {
	var vs []float64
	for _, n := range Numbers(text) {
		vs = append(vs, n.Value)
	}
	for _, m := range decadeRE.FindAllStringSubmatch(text, -1) {
		if v, err := strconv.Atoi(m[1]); err == nil {
			vs = append(vs, float64(v%100))
		}
	}
	run := []rune{}
	flush := func() {
		if len(run) > 0 {
			vs = append(vs, hanValue(run))
			run = run[:0]
		}
	}
	for _, r := range text {
		if strings.ContainsRune(hanNumerals, r) {
			run = append(run, r)
		} else {
			flush()
		}
	}
	flush()
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		total, ok := 0, true
		for _, part := range strings.Split(w, "-") {
			v, known := numberWords[part]
			if !known {
				ok = false
				break
			}
			total += v
		}
		if ok && total > 0 {
			vs = append(vs, float64(total))
		}
	}
	return vs
}

// MissingFrom returns the numbers of ns that mentions lacks.
func MissingFrom(ns []Number, mentions []float64) []Number {
	var out []Number
	for _, x := range ns {
		found := false
		for _, v := range mentions {
			if math.Abs(x.Value-v) <= 1e-9*math.Max(1, math.Abs(x.Value)) || x.Decade != 0 && x.Decade == v {
				found = true
				break
			}
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}

var decadeRE = regexp.MustCompile(`\b(1[0-9]{3}|20[0-9]{2})s\b`)

const hanNumerals = "零〇一二两三四五六七八九十百千万亿"

// hanValue reads a run of Chinese numerals: 五十 50, 一百二十 120,
// 三千五百万 35000000, 两 2.
func hanValue(run []rune) float64 {
	digits := map[rune]float64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	var total, section, num float64
	for _, r := range run {
		if d, ok := digits[r]; ok {
			num = d
			continue
		}
		var unit float64
		switch r {
		case '十':
			unit = 10
		case '百':
			unit = 100
		case '千':
			unit = 1000
		case '万':
			total = (total + section + num) * 1e4
			section, num = 0, 0
			continue
		case '亿':
			total = (total + section + num) * 1e8
			section, num = 0, 0
			continue
		}
		if num == 0 {
			num = 1
		}
		section += num * unit
		num = 0
	}
	return total + section + num
}

var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "half": 0,
}
