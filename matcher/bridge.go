package matcher

import (
	_ "embed"
	"strings"
)

//go:embed bridge_it_en.txt
var bridgeITText string

// bridgeITMap maps the key of an Italian lemma (see italianKey) to its
// English words.
var bridgeITMap = func() map[string][]string {
	m := map[string][]string{}
	for _, line := range strings.Split(bridgeITText, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		k := italianKey(stripAccents(f[0]))
		m[k] = append(m[k], f[1:]...)
	}
	return m
}()

// italianKey folds an Italian word's inflections: the final vowel goes
// ("tumore", "tumori" -> "tumor"), and "ch"/"gh" before it become "c"/"g"
// ("cardiaci", "cardiache" -> "cardiac").
func italianKey(w string) string {
	if len(w) > 3 && strings.ContainsRune("aeio", rune(w[len(w)-1])) {
		w = w[:len(w)-1]
		if strings.HasSuffix(w, "ch") || strings.HasSuffix(w, "gh") {
			w = w[:len(w)-1]
		}
	}
	return w
}

// bridgeIT returns the English words of an Italian word, nil when the
// bridge does not know it.
func bridgeIT(w string) []string {
	return bridgeITMap[italianKey(stripAccents(w))]
}
