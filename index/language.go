package index

import (
	"strings"
	"unicode"
)

// detectWords are frequent function words per language, for Detect.
var detectWords = map[string]map[string]bool{}

func init() {
	lists := map[string]string{
		"en": "the and of to in for with is are on that this by from an as be our we which",
		"it": "il lo la di che e per con del della dei delle un una sono nel nella gli le da al alla è",
		"fr": "le la les de des du et pour avec dans est sont une un au aux sur par nous qui",
		"de": "der die das und für mit von zu den dem ist sind ein eine im auf wir des nicht",
		"es": "el la los las de del y para con en es son una un por que al se su nuestra",
	}
	for lang, words := range lists {
		detectWords[lang] = map[string]bool{}
		for _, w := range strings.Fields(words) {
			detectWords[lang][w] = true
		}
	}
}

// Detect guesses the language of text among Languages by counting
// frequent function words; it returns fallback when no word is found.
// It is a simple detector, good for paragraphs, unreliable for a few words.
func Detect(text, fallback string) string {
	counts := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		for lang, words := range detectWords {
			if words[w] {
				counts[lang]++
			}
		}
	}
	best, n := fallback, 0
	for _, lang := range Languages {
		if counts[lang] > n {
			best, n = lang, counts[lang]
		}
	}
	return best
}
