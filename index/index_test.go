package index

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/matchgrid/matchgrid/profiles"
)

func TestInflectionsMatch(t *testing.T) {
	s := openTestStore(t)
	seed(t, s, "ev")
	ix := openTestIndex(t, s, filepath.Join(t.TempDir(), "index"))
	tests := []struct {
		name, text, lang, typ string
		want                  string
		term                  string // a matched term expected in the hit
		word                  string // the query word behind it, as written
	}{
		{"italian plural finds singular", "tecnologie", "it", TypeOpportunity, "o-it", "tecnolog", "tecnologie"},
		{"italian singular finds plural", "tecnologia", "it", TypeOrganization, "biotec", "tecnolog", "tecnologia"},
		{"english singular finds plural", "partner validation", "en", TypeOpportunity, "o-en", "partner", "partner"},
		{"english inflection", "validated biomarker", "en", TypeOpportunity, "o-en", "biomark", "biomarker"},
		{"german", "Studie", "de", TypeOrganization, "klinik", "studi", "studie"},
		{"language detected", "diagnostic device validation in clinical studies", "", TypeOrganization, "medlab", "valid", "validation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(&Request{EventID: "ev", Text: tt.text, Lang: tt.lang, Type: tt.typ})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 || res.Hits[0].ID != tt.want {
				t.Fatalf("hits %v, want %s first", ids(res), tt.want)
			}
			if !slices.Contains(res.Hits[0].MatchedTerms(), tt.term) {
				t.Errorf("matched terms %v lack %q", res.Hits[0].MatchedTerms(), tt.term)
			}
			if !slices.Contains(res.Hits[0].Words, tt.word) {
				t.Errorf("matched words %v lack %q", res.Hits[0].Words, tt.word)
			}
		})
	}
}

func TestFiltersFacetsPaging(t *testing.T) {
	s := openTestStore(t)
	seed(t, s, "ev")
	seed(t, s, "other")
	ix := openTestIndex(t, s, "")
	res, err := ix.Search(&Request{EventID: "ev", Type: TypeOrganization, Facets: []string{FieldCountry, FieldKind}, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 3 || len(res.Hits) != 2 {
		t.Fatalf("total %d hits %d, want 3 and 2", res.Total, len(res.Hits))
	}
	if got := len(res.Facets[FieldCountry]); got != 3 {
		t.Errorf("country facet has %d values, want 3: %v", got, res.Facets)
	}
	page2, err := ix.Search(&Request{EventID: "ev", Type: TypeOrganization, Offset: 2, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(page2.Hits) != 1 || slices.Contains(ids(res), page2.Hits[0].ID) {
		t.Errorf("page 2 %v overlaps page 1 %v", ids(page2), ids(res))
	}
	cases := []struct {
		name string
		req  Request
		want []string
	}{
		{"country", Request{EventID: "ev", Filters: map[string][]string{FieldCountry: {"DE", "FR"}}, Type: TypeOrganization}, []string{"klinik", "medlab"}},
		{"exclude", Request{EventID: "ev", Exclude: map[string][]string{FieldOrganization: {"biotec"}}, Type: TypeOrganization}, []string{"klinik", "medlab"}},
		{"tech code ancestor", Request{EventID: "ev", Filters: map[string][]string{FieldTechCode: {"06001"}}}, []string{"biotec"}},
		{"opportunity kind", Request{EventID: "ev", Filters: map[string][]string{FieldOppKind: {"request"}}}, []string{"o-en"}},
		{"owner kind on opportunity", Request{EventID: "ev", Type: TypeOpportunity, Filters: map[string][]string{FieldKind: {"sme"}}}, []string{"o-it"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.req.Limit = 10
			res, err := ix.Search(&c.req)
			if err != nil {
				t.Fatal(err)
			}
			got := ids(res)
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
	if _, err := ix.Search(&Request{EventID: "ev", Filters: map[string][]string{"nope": {"x"}}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown filter field: err %v, want ErrInvalid", err)
	}
}

func TestFollowsStore(t *testing.T) {
	s := openTestStore(t)
	seed(t, s, "ev")
	ix := openTestIndex(t, s, filepath.Join(t.TempDir(), "index"))
	find := func(text string) []string {
		t.Helper()
		res, err := ix.Search(&Request{EventID: "ev", Text: text, Lang: "en", Type: TypeOrganization})
		if err != nil {
			t.Fatal(err)
		}
		return ids(res)
	}
	if got := find("sepsis"); !slices.Equal(got, []string{"medlab"}) {
		t.Fatalf("before change: %v", got)
	}
	// Change: the description no longer mentions sepsis, it mentions oncology.
	err := s.Update(func(tx *profiles.Tx) error {
		o, err := tx.Organization("ev", "medlab")
		if err != nil {
			return err
		}
		o.Descriptions["en"] = "We run oncology trials"
		o.Country = "ES"
		return tx.UpdateOrganization(o)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := find("sepsis"); len(got) != 0 {
		t.Errorf("after change, sepsis finds %v", got)
	}
	if got := find("oncology"); !slices.Equal(got, []string{"medlab"}) {
		t.Errorf("after change, oncology finds %v", got)
	}
	// The owner's new country reaches its opportunity too.
	res, err := ix.Search(&Request{EventID: "ev", Type: TypeOpportunity, Filters: map[string][]string{FieldCountry: {"ES"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(res), []string{"o-en"}) {
		t.Errorf("opportunities in ES: %v", ids(res))
	}
	// Delete: participant (cascading to the opportunity), then organization.
	err = s.Update(func(tx *profiles.Tx) error {
		if err := tx.DeleteParticipant("ev", "p-medlab"); err != nil {
			return err
		}
		return tx.DeleteOrganization("ev", "medlab")
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := find("oncology"); len(got) != 0 {
		t.Errorf("after delete, oncology finds %v", got)
	}
	res, err = ix.Search(&Request{EventID: "ev", Text: "biomarkers", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 0 {
		t.Errorf("deleted opportunity still found: %v", ids(res))
	}
	g, _ := s.Generation()
	if ig, err := ix.Generation(); err != nil || ig != g {
		t.Errorf("index generation %d (%v), store %d", ig, err, g)
	}
	// Deleting the event empties it from the index.
	if err := s.Update(func(tx *profiles.Tx) error { return tx.DeleteEvent("ev") }); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.DocCount(); n != 0 {
		t.Errorf("%d documents left after deleting the event", n)
	}
}

func TestRebuildWhenMissingOrStale(t *testing.T) {
	s := openTestStore(t)
	seed(t, s, "ev")
	dir := filepath.Join(t.TempDir(), "index")
	steps := []struct {
		name        string
		before      func()
		wantRebuilt bool
	}{
		{"missing", func() {}, true},
		{"up to date", func() {}, false},
		{"deleted directory", func() { os.RemoveAll(dir) }, true},
		{"stale", func() {
			// A change made while the index is closed.
			if err := s.Update(func(tx *profiles.Tx) error {
				o, err := tx.Organization("ev", "klinik")
				if err != nil {
					return err
				}
				o.Descriptions["de"] = "Kardiologie und Onkologie"
				return tx.UpdateOrganization(o)
			}); err != nil {
				t.Fatal(err)
			}
		}, false}, // caught up from the store's change record, not rebuilt
	}
	for _, st := range steps {
		st.before()
		var calls int
		ix, err := Open(dir, s, &Options{Progress: func(done, total int) { calls++ }})
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if ix.Rebuilt() != st.wantRebuilt {
			t.Errorf("%s: rebuilt %v, want %v", st.name, ix.Rebuilt(), st.wantRebuilt)
		}
		if st.name == "stale" && ix.Replayed() != 1 {
			t.Errorf("%s: replayed %d changes, want 1", st.name, ix.Replayed())
		}
		if st.wantRebuilt && calls == 0 {
			t.Errorf("%s: no progress reported", st.name)
		}
		if n, _ := ix.DocCount(); n != 5 {
			t.Errorf("%s: %d documents, want 5", st.name, n)
		}
		res, err := ix.Search(&Request{EventID: "ev", Text: "Onkologie", Lang: "de"})
		if err != nil {
			t.Fatal(err)
		}
		if want := st.name == "stale"; (len(res.Hits) == 1) != want {
			t.Errorf("%s: Onkologie finds %v", st.name, ids(res))
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTopTermsAndDetect(t *testing.T) {
	s := openTestStore(t)
	seed(t, s, "ev")
	ix := openTestIndex(t, s, "")
	terms, err := ix.TopTerms(TextField("en"), "sepsis sepsis validation of unknownword devices", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(terms) != 2 || terms[0].Term != "sepsi" || terms[0].Boost != 1 {
		t.Errorf("top terms %+v, want sepsi first with boost 1", terms)
	}
	for _, tt := range []struct{ text, want string }{
		{"Sviluppiamo tecnologie per la diagnostica", "it"},
		{"We develop technologies for the diagnosis of sepsis", "en"},
		{"Wir suchen Partner für die Studie", "de"},
		{"Nous cherchons des partenaires pour les essais", "fr"},
		{"Buscamos socios para los ensayos clínicos", "es"},
		{"xyz", "en"},
	} {
		if got := Detect(tt.text, "en"); got != tt.want {
			t.Errorf("Detect(%q) = %s, want %s", tt.text, got, tt.want)
		}
	}
}

// Commits that change nothing indexed (here: a new event without
// organizations) make no Bleve write of their own, but the index still
// reflects their generation, and a clean close records it: reopening does
// not rebuild.
func TestUnindexedCommitsRecordedAtClose(t *testing.T) {
	s := openTestStore(t)
	seed(t, s, "ev")
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *profiles.Tx) error { return tx.CreateEvent(testEvent("empty")) }); err != nil {
		t.Fatal(err)
	}
	want, err := s.Generation()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ix.Generation(); err != nil || got != want {
		t.Errorf("index generation %d (%v), want the store's %d", got, err, want)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Rebuilt() {
		t.Error("reopening after a clean close rebuilt the index")
	}
}
