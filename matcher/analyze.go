package matcher

import (
	"slices"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"

	"github.com/matchgrid/matchgrid/index"
)

// The matcher compares texts in one term space, English stems: English
// text is stemmed as it is; Italian words go through the bilingual term
// bridge (bridge.go) or, failing that, through cognate suffix rules
// ("-zione" -> "-tion", "-ità" -> "-ity", ...) before the English stemmer;
// French, Spanish and German get the cognate rules of their own. So an
// Italian request and an English profile on the same topic share terms,
// with nothing downloaded at run time.

// token is one analysed word: its term in the shared space and the word
// as the text wrote it.
type token struct {
	term, word string
	caps       bool // written in capitals (see capitals)
}

// stopWords are dropped in every language: function words and words that
// say nothing about a topic in project texts.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and are as at be but by for if in into is it no not of on or such that the their
		then there these they this to was will with we our its from which has have been were can also
		than more other all both each most some any about over between through during within new use
		using used based aims aim project projects would should may well etc ie eg i e g us you your
		who what how when where while why very much many one two three four five first second third
		however thus therefore further furthermore moreover including include includes within without
		across among upon via per able easily friendly don t s ll ve re d m
		il lo la i gli le un uno una di del dello della dei degli delle da dal dallo dalla dai dagli dalle
		in nel nello nella nei negli nelle su sul sullo sulla sui sugli sulle con per tra fra che chi cui
		non più come anche ed e o ma se è sono essere ha hanno al allo alla ai agli alle questo questa
		questi queste quello quella nostro nostra nostri nostre loro suo sua suoi sue siamo cerchiamo
		cerca cercasi nuovo nuova nuovi nuove progetto progetti
		le la les de des du et pour avec dans est sont une un au aux sur par nous qui que ce cette
		der die das und für mit von zu den dem ist sind ein eine im auf wir des nicht
		el los las del y para con en es son una por al se su nuestra nuestro`) {
		m[w] = true
	}
	return m
}()

// words splits text into lower-case words of letters and digits, each with
// its original spelling.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// analyze turns text into terms of the shared space. lang is the text's
// language ("" to detect it).
func analyze(text, lang string) []token {
	if lang == "" {
		lang = index.Detect(text, "en")
	}
	var out []token
	for _, orig := range strings.FieldsFunc(text, notWordRune) {
		w := strings.ToLower(orig)
		if len(w) < 2 || stopWords[w] {
			continue
		}
		caps := capitals(orig)
		for _, t := range termsOf(w, lang) {
			out = append(out, token{term: t, word: w, caps: caps})
		}
	}
	return out
}

// notWordRune separates words: anything but letters and digits.
func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// capitals reports whether a word is written in capitals (at least two
// letters, none lower case), as acronyms are: EFPIA, COCIR.
func capitals(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

// termsOf maps one lower-case word of a language to its terms.
func termsOf(w, lang string) []string {
	switch lang {
	case "it":
		if en := bridgeIT(w); en != nil {
			out := make([]string, len(en))
			for i, e := range en {
				out[i] = english.Stem(e, false)
			}
			return out
		}
		return italianCandidates(stripAccents(w))
	case "fr":
		return []string{english.Stem(cognate(stripAccents(w), cognatesFR), false)}
	case "es":
		return []string{english.Stem(cognate(stripAccents(w), cognatesES), false)}
	case "de":
		return []string{english.Stem(cognate(stripAccents(w), cognatesDE), false)}
	}
	return []string{english.Stem(w, false)}
}

// stripAccents removes diacritics: "attività" -> "attivita".
func stripAccents(w string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(w) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// suffixRule rewrites a word ending into its English cognate ending.
type suffixRule struct{ from, to string }

// Cognate suffix rules, longest first within a language.
var (
	cognatesIT = []suffixRule{{"logie", "logy"}, {"logia", "logy"}, {"zione", "tion"}, {"zioni", "tion"}, {"sione", "sion"}, {"sioni", "sion"},
		{"mento", "ment"}, {"menti", "ment"}, {"ismo", "ism"}, {"ismi", "ism"}, {"ista", "ist"}, {"isti", "ist"}, {"ita", "ity"},
		{"iche", "ic"}, {"ichi", "ic"}, {"ico", "ic"}, {"ica", "ic"}, {"ici", "ic"}, {"oso", "ous"}, {"osa", "ous"}, {"osi", "osis"},
		{"ivo", "ive"}, {"iva", "ive"}, {"ivi", "ive"}, {"ive", "ive"}, {"ale", "al"}, {"ali", "al"}, {"ente", "ent"}, {"enti", "ent"},
		{"ante", "ant"}, {"anti", "ant"}, {"ore", "or"}, {"ori", "or"}, {"ina", "ine"}, {"ine", "ine"}, {"ario", "ary"}, {"aria", "ary"},
		{"ari", "ary"}, {"ia", "y"}, {"ie", "y"}}
	cognatesFR = []suffixRule{{"logie", "logy"}, {"ique", "ic"}, {"iques", "ic"}, {"ite", "ity"}, {"ites", "ity"}, {"eux", "ous"},
		{"euse", "ous"}, {"aire", "ary"}, {"isme", "ism"}, {"iste", "ist"}, {"ie", "y"}}
	cognatesES = []suffixRule{{"logia", "logy"}, {"ciones", "tion"}, {"cion", "tion"}, {"siones", "sion"}, {"sion", "sion"},
		{"idad", "ity"}, {"idades", "ity"}, {"mente", "ly"}, {"ico", "ic"}, {"ica", "ic"}, {"icos", "ic"}, {"icas", "ic"},
		{"oso", "ous"}, {"osa", "ous"}, {"ismo", "ism"}, {"ista", "ist"}, {"ario", "ary"}, {"aria", "ary"}, {"ia", "y"}}
	cognatesDE = []suffixRule{{"logie", "logy"}, {"ismus", "ism"}, {"itaet", "ity"}, {"itat", "ity"}, {"ation", "ation"},
		{"isch", "ic"}, {"ische", "ic"}, {"ie", "y"}}
)

// cognate applies the first matching suffix rule, keeping a stem of at
// least three letters.
func cognate(w string, rules []suffixRule) string {
	for _, r := range rules {
		if strings.HasSuffix(w, r.from) && len(w)-len(r.from) >= 3 {
			return w[:len(w)-len(r.from)] + r.to
		}
	}
	return w
}

// italianRewrites turn Italian spellings into English ones inside a word
// ("effetto" -> "effecto", "tossico" -> "toxico", "farmaco" -> "pharmaco").
var italianRewrites = strings.NewReplacer("tt", "ct", "ss", "x", "zione", "tion", "zioni", "tion", "f", "ph")

// italianCandidates returns the terms an Italian word the bridge does not
// know may stand for: the word itself, its cognate suffix form and its form
// without the final vowel, each also after the spelling rewrites, each
// stemmed. Terms that no text of the event holds are dropped at query
// time, so the wrong guesses cost little.
func italianCandidates(w string) []string {
	var out []string
	add := func(s string) {
		if t := english.Stem(s, false); !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, v := range []string{w, italianRewrites.Replace(w)} {
		add(v)
		add(cognate(v, cognatesIT))
		add(italianKey(v))
	}
	return out
}
