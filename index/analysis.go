package index

import (
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de" // stop_de, normalize_de, stemmer_de_snowball
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en" // stop_en, possessive_en
	_ "github.com/blevesearch/bleve/v2/analysis/lang/es" // stop_es
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr" // stop_fr, elision_fr
	_ "github.com/blevesearch/bleve/v2/analysis/lang/it" // stop_it, elision_it, stemmer_it_snowball
	"github.com/blevesearch/bleve/v2/analysis/token/edgengram"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/spanish"
)

// Languages are the languages with their own text field and analyzer.
var Languages = []string{"en", "it", "fr", "de", "es"}

// Names of the token filters this package registers: snowball stemmers
// from github.com/kljensen/snowball (bleve's own are used for it and de).
const (
	FilterStemEN = "matchgrid_stem_en"
	FilterStemFR = "matchgrid_stem_fr"
	FilterStemES = "matchgrid_stem_es"
)

// AnalyzerName returns the name of the analyzer of a language's text field
// ("matchgrid_en", ...); other languages use "standard".
func AnalyzerName(lang string) string {
	for _, l := range Languages {
		if l == lang {
			return "matchgrid_" + lang
		}
	}
	return "standard"
}

// stemFilter stems every token with a kljensen/snowball stemmer, caching
// the stems of up to stemCacheSize words (stemming dominates analysis).
type stemFilter struct {
	stem  func(string) string
	mu    sync.RWMutex
	cache map[string]string
}

const stemCacheSize = 200_000

// Filter replaces each token's term with its stem.
func (f *stemFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, tok := range in {
		f.mu.RLock()
		s, ok := f.cache[string(tok.Term)]
		f.mu.RUnlock()
		if !ok {
			w := string(tok.Term)
			s = f.stem(w)
			f.mu.Lock()
			if len(f.cache) < stemCacheSize {
				f.cache[w] = s
			}
			f.mu.Unlock()
		}
		tok.Term = []byte(s)
	}
	return in
}

func init() {
	stemmers := map[string]func(string) string{
		FilterStemEN: func(s string) string { return english.Stem(s, false) },
		FilterStemFR: func(s string) string { return french.Stem(s, false) },
		FilterStemES: func(s string) string { return spanish.Stem(s, false) },
	}
	for name, fn := range stemmers {
		err := registry.RegisterTokenFilter(name, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
			return &stemFilter{stem: fn, cache: map[string]string{}}, nil
		})
		if err != nil {
			panic(fmt.Sprintf("index: register %s: %v", name, err))
		}
	}
}

// The names field is analysed by words folded to lower-case ASCII
// ("Università" is "universita"), indexed with every prefix of two letters
// or more, so that "karol" finds "Karolinska"; a query is folded the same
// way, without the prefixes.
const (
	analyzerNames      = "matchgrid_names"
	analyzerNamesQuery = "matchgrid_names_query"
	filterNamePrefixes = "matchgrid_name_prefixes"
)

// namePrefixFilter is the edge n-gram filter of the names field.
var namePrefixFilter = map[string]any{"type": edgengram.Name, "back": false, "min": 2.0, "max": 30.0}

// analyzerConfigs are the custom analyzers of the text fields, added to
// every index mapping.
var analyzerConfigs = map[string]map[string]any{
	"matchgrid_en": {"type": custom.Name, "tokenizer": unicode.Name,
		"token_filters": []any{"possessive_en", lowercase.Name, "stop_en", FilterStemEN}},
	"matchgrid_fr": {"type": custom.Name, "tokenizer": unicode.Name,
		"token_filters": []any{"elision_fr", lowercase.Name, "stop_fr", FilterStemFR}},
	"matchgrid_es": {"type": custom.Name, "tokenizer": unicode.Name,
		"token_filters": []any{lowercase.Name, "stop_es", FilterStemES}},
	"matchgrid_it": {"type": custom.Name, "tokenizer": unicode.Name,
		"token_filters": []any{"elision_it", lowercase.Name, "stop_it", "stemmer_it_snowball"}},
	analyzerNames: {"type": custom.Name, "char_filters": []any{asciifolding.Name}, "tokenizer": unicode.Name,
		"token_filters": []any{lowercase.Name, filterNamePrefixes}},
	analyzerNamesQuery: {"type": custom.Name, "char_filters": []any{asciifolding.Name}, "tokenizer": unicode.Name,
		"token_filters": []any{lowercase.Name}},
	"matchgrid_de": {"type": custom.Name, "tokenizer": unicode.Name,
		"token_filters": []any{lowercase.Name, "stop_de", "normalize_de", "stemmer_de_snowball"}},
}
