package site

import (
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid/matcher"
)

// TestWhyInEveryLanguage: every reason the matcher gives has a sentence in
// each catalog, the Italian one is not the English one, matched words are
// listed the language's way and a kind reads as its label.
func TestWhyInEveryLanguage(t *testing.T) {
	tr, err := newTranslator()
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range matcher.ReasonCodes {
		r := matcher.Reason{Code: code, Words: []string{"sepsis", "biomarkers", "triage"}, Detail: "university"}
		t.Run(code, func(t *testing.T) {
			en, it := tr.why("en", r), tr.why("it", r)
			for lang, got := range map[string]string{"en": en, "it": it} {
				if strings.HasPrefix(got, "why.") {
					t.Fatalf("%s: no sentence for %s", lang, code)
				}
			}
			if en == it {
				t.Errorf("the Italian sentence is the English one: %q", it)
			}
			if strings.Contains(en, "sepsis") && !strings.Contains(en, "sepsis, biomarkers and triage") {
				t.Errorf("English lists %q", en)
			}
			if strings.Contains(it, "sepsis") && !strings.Contains(it, "sepsis, biomarkers e triage") {
				t.Errorf("Italian lists %q", it)
			}
			if (code == matcher.ReasonUsualKind || code == matcher.ReasonCloseKind) && !strings.Contains(it, strings.ToLower(tr.label("it", "university"))) {
				t.Errorf("the kind is not named by its Italian label: %q", it)
			}
		})
	}
}
