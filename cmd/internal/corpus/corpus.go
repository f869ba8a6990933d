// Package corpus generates deterministic bilingual Dateline sites for
// benchmarks: the same shape as ../shared/bench/gencorpus.py --format
// dateline, written in Go so that benchmarks need neither Python nor files
// on disk.
//
// A site of n reports holds content/site.toml and, for i = 1…n,
// content/report-NNNNN/{zh,en}.md with three photos in
// content/report-NNNNN/photos/. Each edition has YAML front matter (title,
// date, dateline, authors, credit, summary, tags), an intro, four stops
// ("## 第一站 …" / "## First stop: …"), three figures whose titles end in
// a credit ("（NAME 摄）" / "(Photo: NAME)"), one or two ::: sidebars, a
// list, a table, bold text, links and two to four footnotes: 1,500–2,400 Han
// characters in Chinese, 900–1,500 words in English, about 9 KB each.
//
// Report i depends only on (seed, i), and the photos only on seed, so the
// site of n reports is exactly the first n reports of any larger site, and
// the same arguments give byte-identical files.
package corpus

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Photos is the number of distinct photos that recur across reports.
const Photos = 12

// Slug returns the folder name of report i (1-based): "report-00042".
func Slug(i int) string { return fmt.Sprintf("report-%05d", i) }

// Generate returns the files of a site of n reports, keyed by slash path
// relative to the site root. The photos' byte slices are shared between
// the reports that use them: treat every value as read-only.
func Generate(n int, seed uint64) map[string][]byte {
	files := make(map[string][]byte, 1+5*max(n, 0))
	files["content/site.toml"] = []byte(siteTOML)
	photos := photoSet(seed)
	for i := 1; i <= n; i++ {
		r := newReport(seed, i)
		dir := "content/" + Slug(i) + "/"
		files[dir+"zh.md"] = r.zh
		files[dir+"en.md"] = r.en
		for _, k := range r.photos {
			files[dir+photoPath(k)] = photos[k]
		}
	}
	return files
}

// Write writes files (as Generate returns them) under dir, creating
// folders as needed and replacing files of the same name.
func Write(dir string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for name := range files {
		if !fs.ValidPath(name) || name == "." {
			return fmt.Errorf("write %q: not a valid slash path inside the site", name)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	made := map[string]bool{}
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if d := filepath.Dir(p); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

func photoPath(k int) string { return fmt.Sprintf("photos/p%02d.png", k+1) }

// random is one deterministic stream of choices.
type random struct{ *rand.Rand }

// newRandom returns the stream named by (seed, i, name).
func newRandom(seed uint64, i int, name string) random {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[0:], seed)
	binary.LittleEndian.PutUint64(key[8:], uint64(i))
	copy(key[16:], name)
	return random{rand.New(rand.NewChaCha8(key))}
}

// between returns an int in [lo, hi].
func (r random) between(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

func (r random) pick(list []string) string { return list[r.IntN(len(list))] }

// sample returns k distinct ints from [0, n) in random order.
func (r random) sample(n, k int) []int {
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	for i := range k {
		j := i + r.IntN(n-i)
		all[i], all[j] = all[j], all[i]
	}
	return all[:k]
}

// photoSet returns the PNG bytes of the site's photos: 1200×800-class
// frames of a graded sky over striped ground, a few KB each like the
// placeholders of gencorpus.py, each encoded once.
func photoSet(seed uint64) [][]byte {
	r := newRandom(seed, 0, "photos")
	sizes := [][2]int{{1200, 800}, {1080, 720}, {960, 640}, {800, 1200}}
	out := make([][]byte, Photos)
	for k := range out {
		sz := sizes[r.IntN(len(sizes))]
		w, h := sz[0], sz[1]
		sky := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
		ground := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
		// Eight shades of each: the sky darkens towards the horizon, the
		// ground is striped.
		var pal color.Palette
		for _, c := range []color.RGBA{sky, ground} {
			for s := range 8 {
				f := func(v uint8) uint8 { return uint8(int(v) * (16 - s) / 16) }
				pal = append(pal, color.RGBA{f(c.R), f(c.G), f(c.B), 255})
			}
		}
		img := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		horizon := h * (5 + r.IntN(3)) / 10
		for y := range h {
			row := img.Pix[y*img.Stride : y*img.Stride+w]
			for x := range row {
				if y < horizon {
					row[x] = uint8(y * 8 / horizon)
				} else {
					row[x] = 8 + uint8((x+2*y)/24%8)
				}
			}
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			panic("corpus: encoding a PNG into memory: " + err.Error()) // cannot happen
		}
		out[k] = buf.Bytes()
	}
	return out
}

// plan holds the choices both editions of a report share.
type plan struct {
	date         time.Time
	author       int
	photographer int
	city         int
	stops        []int // four places
	tags         []int
	photos       []int // three of the site's photos
	photoAt      []int // photo k follows the first paragraph of stop photoAt[k]
	sidebars     int
	sidebarKind  []int
	listStop     int
	tableStop    int
	tableRows    []int
	tableVals    [][2]int
	refs         int
	zhTarget     int // Han characters
	enTarget     int // words
}

var cst = time.FixedZone("CST", 8*3600)

func newPlan(r random) *plan {
	p := &plan{
		date: time.Date(2019, 1, 1, 8, 0, 0, 0, cst).
			AddDate(0, 0, r.IntN(5*365)).Add(time.Duration(r.IntN(600)) * time.Minute),
		author:       r.IntN(len(people)),
		photographer: r.IntN(len(people)),
		city:         r.IntN(len(cities)),
		stops:        r.sample(len(places), 4),
		tags:         r.sample(len(tags), r.between(2, 4)),
		photos:       r.sample(Photos, 3),
		photoAt:      r.sample(4, 3),
		sidebars:     r.between(1, 2),
		sidebarKind:  r.sample(len(sidebarTitles), 2),
		listStop:     r.IntN(4),
		tableStop:    r.IntN(4),
		tableRows:    r.sample(len(tableRows), 3),
		refs:         r.between(2, 4),
		// The prose is filled up to the target and overshoots it by at most
		// one sentence per section (five sections).
		zhTarget: r.between(1520, 2120),
		enTarget: r.between(920, 1380),
	}
	slices.Sort(p.tags)
	slices.Sort(p.photoAt)
	for range 3 {
		p.tableVals = append(p.tableVals, [2]int{r.between(100, 9999), r.between(100, 9999)})
	}
	return p
}

// report is one generated report.
type report struct {
	zh, en []byte
	photos []int
}

func newReport(seed uint64, i int) report {
	p := newPlan(newRandom(seed, i, "plan"))
	return report{
		zh:     edition(newRandom(seed, i, "zh"), p, true),
		en:     edition(newRandom(seed, i, "en"), p, false),
		photos: p.photos,
	}
}

// writer builds one edition: its sentences, paragraphs and blocks, and
// counts the prose they carry (Han characters in Chinese, words in English).
type writer struct {
	r    random
	zh   bool
	refs []int // footnotes not yet cited
}

func (w *writer) count(s string) int {
	if w.zh {
		return hanCount(s)
	}
	return wordCount(s)
}

func (w *writer) sentence(cite bool) string {
	if w.zh {
		return w.zhSentence(cite)
	}
	return w.enSentence(cite)
}

func (w *writer) zhSentence(cite bool) string {
	r := w.r
	n := r.between(4, 9)
	var b strings.Builder
	for k := range n {
		word := r.pick(zhWords)
		switch x := r.Float64(); {
		case x < 0.10:
			word = "“" + word + "”"
		case x < 0.13:
			// Two bold runs never touch: "**a****b**" is not what a reporter writes.
			if !strings.HasSuffix(b.String(), "**") {
				word = "**" + word + "**"
			}
		case x < 0.15:
			word = fmt.Sprintf("[%s](https://example.org/zh/topic/%d)", word, r.between(1, 999))
		case x < 0.19:
			word = fmt.Sprintf("%d月%d日", r.between(1, 12), r.between(1, 28)) + word
		case x < 0.22:
			word += fmt.Sprintf("%d万", r.between(2, 500))
		}
		b.WriteString(word)
		if k < n-1 {
			switch x := r.Float64(); {
			case x < 0.28:
				b.WriteString("，")
			case x < 0.36:
				b.WriteString("、")
			}
		}
	}
	if cite && len(w.refs) > 0 && r.Float64() < 0.06 {
		fmt.Fprintf(&b, "[^%d]", w.refs[0])
		w.refs = w.refs[1:]
	}
	b.WriteString("。")
	return b.String()
}

func (w *writer) enSentence(cite bool) string {
	r := w.r
	n := r.between(7, 14)
	words := make([]string, 0, n)
	for k := range n {
		word := r.pick(enWords)
		switch x := r.Float64(); {
		case x < 0.04:
			word = "“" + word + "”"
		case x < 0.07:
			word = "**" + word + "**"
		case x < 0.09:
			word = fmt.Sprintf("[%s](https://example.org/en/topic/%d)", word, r.between(1, 999))
		case x < 0.12:
			word = fmt.Sprintf("%d %s", r.between(2, 900), word)
		}
		if k < n-1 && r.Float64() < 0.15 {
			word += ","
		}
		words = append(words, word)
	}
	s := upperFirst(strings.Join(words, " "))
	if cite && len(w.refs) > 0 && r.Float64() < 0.07 {
		s += fmt.Sprintf("[^%d]", w.refs[0])
		w.refs = w.refs[1:]
	}
	return s + "."
}

// upperFirst upper-cases the first lower-case ASCII letter of s.
func upperFirst(s string) string {
	i := strings.IndexFunc(s, func(c rune) bool { return 'a' <= c && c <= 'z' })
	if i < 0 {
		return s
	}
	return s[:i] + string(rune(s[i]-'a'+'A')) + s[i+1:]
}

func (w *writer) paragraph(cite bool) string {
	n := w.r.between(2, 5)
	parts := make([]string, n)
	for k := range parts {
		parts[k] = w.sentence(cite)
	}
	return w.join(parts)
}

func (w *writer) join(sentences []string) string {
	if w.zh {
		return strings.Join(sentences, "")
	}
	return strings.Join(sentences, " ")
}

// fill writes paragraphs until they carry share units of prose and number
// at least minParas; it stops mid-paragraph once both hold, so it
// overshoots by at most one sentence.
func (w *writer) fill(share, minParas int) []string {
	var paras []string
	got := 0
	for got < share || len(paras) < minParas {
		n := w.r.between(2, 5)
		var sentences []string
		for range n {
			s := w.sentence(true)
			sentences = append(sentences, s)
			got += w.count(s)
			if got >= share && len(paras)+1 >= minParas {
				break
			}
		}
		paras = append(paras, w.join(sentences))
	}
	return paras
}

var summaryMarkup = regexp.MustCompile(`\*\*|\[|\]\([^)]*\)`)

func edition(r random, p *plan, zh bool) []byte {
	w := &writer{r: r, zh: zh}
	for k := 1; k <= p.refs; k++ {
		w.refs = append(w.refs, k)
	}
	var title string
	if zh {
		ws := r.sample(len(zhWords), 3)
		title = fmt.Sprintf("%s“%s”探寻%s之路", zhWords[ws[0]], zhWords[ws[1]], zhWords[ws[2]])
	} else {
		ws := r.sample(len(enWords), 2)
		title = upperFirst(fmt.Sprintf("%s and %s: a field visit", enWords[ws[0]], enWords[ws[1]]))
	}
	author, photographer := people[p.author].in(zh), people[p.photographer].in(zh)

	// The fixed blocks first, so that the prose can be sized around them.
	photos := make([]string, 3)
	for k, n := range p.photos {
		place := places[p.stops[p.photoAt[k]]].in(zh)
		var alt, caption string
		if zh {
			alt = place + "现场，工作人员向考察团介绍情况"
			caption = fmt.Sprintf("考察团在%s了解%s（%s 摄）", place, r.pick(zhWords), photographer)
		} else {
			alt = "Staff brief the delegation at " + place
			caption = fmt.Sprintf("The delegation at %s, looking at %s (Photo: %s)", place, r.pick(enWords), photographer)
		}
		photos[k] = fmt.Sprintf("![%s](%s \"%s\")", alt, photoPath(n), caption)
	}
	sidebars := make([]string, p.sidebars)
	for k := range sidebars {
		sidebars[k] = fmt.Sprintf("::: sidebar %s\n%s\n:::", sidebarTitles[p.sidebarKind[k]].in(zh), w.paragraph(false))
	}
	items := make([]string, r.between(3, 5))
	for k := range items {
		items[k] = "- " + w.sentence(false)
	}
	list := strings.Join(items, "\n")
	rows := []string{"| Measure | Before | After |", "| --- | ---: | ---: |"}
	if zh {
		rows[0] = "| 指标 | 改革前 | 改革后 |"
	}
	for k, row := range p.tableRows {
		rows = append(rows, fmt.Sprintf("| %s | %d | %d |", tableRows[row].in(zh), p.tableVals[k][0], p.tableVals[k][1]))
	}
	table := strings.Join(rows, "\n")
	notes := make([]string, p.refs)
	for k := range notes {
		if zh {
			notes[k] = fmt.Sprintf("[^%d]: 《%s%s报告》，%d年%d月，[全文](https://example.org/zh/ref/%d)",
				k+1, r.pick(zhWords), r.pick(zhWords), r.between(2018, 2023), r.between(1, 12), r.between(1, 9999))
		} else {
			notes[k] = fmt.Sprintf("[^%d]: “%s and %s”, report, %d, [full text](https://example.org/en/ref/%d)",
				k+1, upperFirst(r.pick(enWords)), r.pick(enWords), r.between(2018, 2023), r.between(1, 9999))
		}
	}
	notesMD := strings.Join(notes, "\n")
	var byline string
	switch {
	case p.author == p.photographer && zh:
		byline = fmt.Sprintf("记者 %s 文/图", author)
	case p.author == p.photographer:
		byline = "Text and photos: " + author
	case zh:
		byline = fmt.Sprintf("文/%s 图/%s", author, photographer)
	default:
		byline = fmt.Sprintf("Text: %s · Photos: %s", author, photographer)
	}
	stopTitles := make([]string, 4)
	for s, place := range p.stops {
		if zh {
			stopTitles[s] = fmt.Sprintf("第%s站 %s", ordinals[s].zh, places[place].zh)
		} else {
			stopTitles[s] = fmt.Sprintf("%s stop: %s", ordinals[s].en, places[place].en)
		}
	}

	fixed := w.count(list) + w.count(table) + w.count(notesMD) + w.count(byline)
	for _, b := range slices.Concat(photos, sidebars, stopTitles) {
		fixed += w.count(b)
	}
	target := p.enTarget
	if zh {
		target = p.zhTarget
	}
	budget := max(0, target-fixed)
	// The intro gets a ninth of the prose, each stop two ninths.
	intro, stop := budget/9, budget*2/9

	var blocks []string
	blocks = append(blocks, w.fill(intro, 1)...)
	blocks = append(blocks, sidebars[0])
	photo := 0
	for s := range 4 {
		blocks = append(blocks, "## "+stopTitles[s])
		for j, para := range w.fill(stop, 2) {
			blocks = append(blocks, para)
			if j == 0 {
				for photo < 3 && p.photoAt[photo] == s {
					blocks = append(blocks, photos[photo])
					photo++
				}
				if s == p.listStop {
					blocks = append(blocks, list)
				}
			}
			if j == 1 && s == p.tableStop {
				blocks = append(blocks, table)
			}
		}
		if s == 2 && len(sidebars) > 1 {
			blocks = append(blocks, sidebars[1])
		}
	}
	// Cite every footnote the prose did not.
	if len(w.refs) > 0 {
		var cite strings.Builder
		for _, k := range w.refs {
			fmt.Fprintf(&cite, "[^%d]", k)
		}
		if zh {
			blocks = append(blocks, "本文数据来源见文末参考资料。"+cite.String())
		} else {
			blocks = append(blocks, "Sources are listed below."+cite.String())
		}
	}
	blocks = append(blocks, byline, notesMD)

	// A summary fits a social card: about 200 characters at most.
	summary := summaryMarkup.ReplaceAllString(w.sentence(false), "")
	for tries := 0; utf8.RuneCountInString(summary) > 180 && tries < 50; tries++ {
		summary = summaryMarkup.ReplaceAllString(w.sentence(false), "")
	}
	var tagList []string
	for _, t := range p.tags {
		tagList = append(tagList, quote(tags[t].in(zh)))
	}
	var b bytes.Buffer
	b.Grow(10 << 10)
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", quote(title))
	fmt.Fprintf(&b, "date: %s\n", p.date.Format(time.RFC3339))
	fmt.Fprintf(&b, "dateline: %s\n", quote(cities[p.city].in(zh)))
	b.WriteString("authors:\n")
	if p.author == p.photographer {
		fmt.Fprintf(&b, "  - name: %s\n    role: %s\n", quote(author), quote(pair{"文/图", "Text and photos"}.in(zh)))
	} else {
		fmt.Fprintf(&b, "  - name: %s\n    role: %s\n", quote(author), quote(pair{"文", "Text"}.in(zh)))
		fmt.Fprintf(&b, "  - name: %s\n    role: %s\n", quote(photographer), quote(pair{"图", "Photos"}.in(zh)))
	}
	fmt.Fprintf(&b, "credit: %s\n", quote(photographer))
	fmt.Fprintf(&b, "summary: %s\n", quote(summary))
	fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(tagList, ", "))
	b.WriteString("---\n\n")
	b.WriteString(strings.Join(blocks, "\n\n"))
	b.WriteString("\n")
	return b.Bytes()
}

// quote returns s as a YAML double-quoted scalar. The vocabulary holds no
// control characters, so only quotes and backslashes need escaping.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// hanCount counts the Han characters of s (CJK Unified Ideographs and
// Extension A), which is how Chinese length is measured.
func hanCount(s string) int {
	n := 0
	for _, c := range s {
		if c >= 0x3400 && c <= 0x4dbf || c >= 0x4e00 && c <= 0x9fff {
			n++
		}
	}
	return n
}

// wordCount counts the words of Markdown s as a reader sees them: link and
// image destinations and footnote marks are not words, sidebar fences are
// not either. A word starts with an ASCII letter or digit and continues
// with letters, digits, apostrophes and hyphens.
func wordCount(s string) int {
	n := 0
	inWord := false
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "]("):
			// Skip the destination, up to a space (a title follows) or ")".
			j := strings.IndexAny(s[i+2:], " )")
			if j < 0 {
				j = len(s) - i - 2
			}
			i += 2 + j
			inWord = false
			continue
		case strings.HasPrefix(s[i:], "[^"):
			j := strings.IndexByte(s[i:], ']')
			if j > 0 {
				i += j + 1
				inWord = false
				continue
			}
		case strings.HasPrefix(s[i:], "::: sidebar") && (i == 0 || s[i-1] == '\n'):
			i += len("::: sidebar")
			inWord = false
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		isStart := c < utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c))
		isCont := isStart || c == '\'' || c == '-'
		switch {
		case inWord && isCont:
		case isStart:
			n++
			inWord = true
		default:
			inWord = false
		}
		i += size
	}
	return n
}
