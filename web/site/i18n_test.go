package site

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// messageUse finds message IDs in templates ({{t "id"}}) and in Go code
// (quoted dotted IDs of the catalog's sections).
var messageUse = regexp.MustCompile(`\bt "([a-z_]+\.[a-z_.]+)"|"((?:nav|title|status|error|flash|sug|time|req|agenda|market|org|widget|partials|layout|login|index|status_of|chart|dash|grid|parts|mm|me|opp|video|followup|label)\.[a-z_0-9]+)"`)

// catalogIDs reads the IDs of one catalog file.
func catalogIDs(t *testing.T, name string) map[string]bool {
	t.Helper()
	b, err := fs.ReadFile(localeFS, "locales/"+name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := toml.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	ids := map[string]bool{}
	for k := range m {
		ids[k] = true
	}
	return ids
}

// TestCatalogs: every message the pages use is in every catalog, and the
// catalogs have the same messages.
func TestCatalogs(t *testing.T) {
	en, it := catalogIDs(t, "active.en.toml"), catalogIDs(t, "active.it.toml")
	if !maps.Equal(en, it) {
		for id := range en {
			if !it[id] {
				t.Errorf("%s is in English, not in Italian", id)
			}
		}
		for id := range it {
			if !en[id] {
				t.Errorf("%s is in Italian, not in English", id)
			}
		}
	}
	used := map[string]bool{}
	files, _ := filepath.Glob("templates/*.html")
	gofiles, _ := filepath.Glob("*.go")
	for _, f := range append(files, gofiles...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range messageUse.FindAllStringSubmatch(string(b), -1) {
			used[m[1]+m[2]] = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(used)) {
		if !en[id] {
			t.Errorf("message %s is used but in no catalog", id)
		}
	}
	if len(used) < 100 {
		t.Errorf("only %d messages found in use: the pattern misses them", len(used))
	}
	// Every status a request may have is translated (the page builds the ID).
	tr, err := newTranslator()
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"pending", "accepted", "declined", "cancelled", "expired"} {
		if got := tr.text("it", "status_of."+st, nil); got == "status_of."+st {
			t.Errorf("status %s has no Italian text", st)
		}
	}
	// Every message renders in both languages, with a count of one and of
	// several (a message that fails shows its ID).
	sample := map[string]any{"Name": "N", "Zone": "Z", "Pct": "1%", "Query": "q", "Title": "T", "When": "W", "Langs": "en",
		"Size": 3, "Slots": 4, "Minutes": 20, "Tables": 5, "Page": 1, "Pages": 2, "All": 9, "Opened": 1, "Done": 1, "Total": 2, "Max": 50, "Reason": "r",
		"Reports": 2, "URL": "https://p.example", "Secret": "s", "Issued": 2, "Queued": 1, "Band": "good", "Projects": "P",
		"A": "a", "B": "b", "OrgA": "oa", "OrgB": "ob", "Slot": "s", "Table": "t", "State": "st",
		"OrgNew": 1, "OrgUpd": 1, "PNew": 1, "PUpd": 1, "ONew": 1, "OUpd": 1, "Words": "w", "Detail": "d", "Field": "f", "Value": "v"}
	for id := range en {
		for _, lang := range []string{"en", "it"} {
			for _, n := range []int{1, 3} {
				sample["Count"] = n
				if got := tr.text(lang, id, sample); got == id || strings.Contains(got, "<no value>") {
					t.Errorf("%s in %s with Count %d renders %q", id, lang, n, got)
				}
			}
		}
	}
	if got := tr.text("it", "agenda.meetings", map[string]any{"Count": 2}); got != "2 incontri" {
		t.Errorf("plural: %q", got)
	}
}
