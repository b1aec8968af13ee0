package eval

import (
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"

	"github.com/matchgrid/matchgrid/matcher/internal/bm25"
)

// The BM25 baseline's analyzer, as issue 3 specifies it: lower case,
// English stop words, snowball stems. It is the baseline's own, apart from
// the matcher's.

// englishStop is the baseline's English stop-word list.
var englishStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and are as at be but by for if in into is it no not of on or such that the their
		then there these they this to was will with we our its from which has have been were can also
		than more other all both each most some any about over between through during within new use
		using used based aims aim project projects will would should may well well-being etc i e g`) {
		m[w] = true
	}
	return m
}()

// Tokens splits text into lower-case words of letters and digits, drops
// stop words and one-letter words, and stems the rest with the English
// snowball stemmer.
func Tokens(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if len(w) < 2 || englishStop[w] {
			continue
		}
		out = append(out, english.Stem(w, false))
	}
	return out
}

// bagOf analyses text into a bag, adding new terms to v when add is set.
func bagOf(v *bm25.Vocab, text string, add bool) bm25.Bag {
	b := bm25.Bag{}
	for _, t := range Tokens(text) {
		if id := v.ID(t, add); id >= 0 {
			b[id]++
		}
	}
	return b
}
