package matcher

import (
	"slices"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// TestExplanationWords: the shown words are the spelling most texts use,
// and acronyms (mostly written in capitals) and funding boilerplate are
// never shown, while topic words are.
func TestExplanationWords(t *testing.T) {
	orgs := []profiles.Organization{
		{ID: "a", Name: "Alpha", Descriptions: map[string]string{"en": "Bío markers. EFPIA and COCIR members funded by the European Union."}},
		{ID: "b", Name: "Beta", Descriptions: map[string]string{"en": "Bio markers for sepsis; bio banks. The EFPIA partners, a COCIR study."}},
		{ID: "c", Name: "Gamma", Descriptions: map[string]string{"en": "Bio assays and sepsis diagnostics in the union; Efpia once."}},
	}
	p := NewPool(orgs, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	term := func(w string) int32 {
		id := p.voc.ID(analyze(w, "en")[0].term, false)
		if id < 0 {
			t.Fatalf("term of %q not in the pool", w)
		}
		return id
	}
	if got := p.surface[term("bio")]; got != "bio" {
		t.Errorf("shown spelling of bio = %q, want the majority spelling bio", got)
	}
	var terms []scoredTerm
	for i, w := range []string{"efpia", "cocir", "union", "european", "sepsis", "markers", "bio"} {
		terms = append(terms, scoredTerm{term: term(w), word: p.surface[term(w)], source: "needs", score: float64(10 - i)})
	}
	got := p.topTermsBySource(terms)["needs"]
	if want := []string{"sepsis", "markers", "bio"}; !slices.Equal(got, want) {
		t.Errorf("shown words %v, want %v (no acronyms, no funding boilerplate)", got, want)
	}
}
