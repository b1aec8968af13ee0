package matcher

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

func TestGroupKey(t *testing.T) {
	tests := []struct {
		name string
		kind profiles.OrgKind
		want string
	}{
		{"SANOFI PASTEUR", profiles.KindLargeCompany, "sanofi"},
		{"SANOFI-AVENTIS DEUTSCHLAND GMBH", profiles.KindLargeCompany, "sanofi"},
		{"Sanofi US Services Inc", profiles.KindLargeCompany, "sanofi"},
		{"THE UNIVERSITY OF OXFORD", profiles.KindUniversity, ""}, // not a company
		{"BIO SRL", profiles.KindSME, ""},                         // only generic words
		{"ABC LTD", profiles.KindSME, ""},                         // too short to name a group
		{"INSTITUT PASTEUR", profiles.KindLargeCompany, "pasteur"},
	}
	for _, tc := range tests {
		if got := groupKey(&profiles.Organization{Name: tc.name, Kind: tc.kind}); got != tc.want {
			t.Errorf("groupKey(%q, %s) = %q, want %q", tc.name, tc.kind, got, tc.want)
		}
	}
}

// groupEvent: a Sanofi participant, two other Sanofi companies, a known
// partner (a shared track-record project) and a new one on the same topic;
// an Italian-speaking hospital describes the same topic in Italian.
func groupEvent(t *testing.T) *Matcher {
	t.Helper()
	s, err := profiles.Open(filepath.Join(t.TempDir(), "matchgrid.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	vaccine := profiles.ProjectRef{ID: "101", Acronym: "VAXNET", StartDate: "2023-01-01", Title: "Vaccine adjuvants",
		Text: "Adjuvants for respiratory vaccines and their clinical evaluation"}
	err = s.Update(func(tx *profiles.Tx) error {
		if err := tx.CreateEvent(&profiles.Event{ID: "ev", Name: "Groups", TimeZone: "Europe/Rome", MeetingMinutes: 30, Tables: 3,
			Days: []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "Morning", Start: "09:00", End: "12:00"}}}}}); err != nil {
			return err
		}
		orgs := []profiles.Organization{
			{ID: "sus", Name: "SANOFI US", Kind: profiles.KindLargeCompany, Country: "US", Projects: []profiles.ProjectRef{vaccine},
				Descriptions: map[string]string{"en": "Respiratory vaccines and adjuvants"}},
			{ID: "sde", Name: "SANOFI-AVENTIS DEUTSCHLAND GMBH", Kind: profiles.KindLargeCompany, Country: "DE",
				Descriptions: map[string]string{"en": "Respiratory vaccines, adjuvants and clinical evaluation"}},
			{ID: "known", Name: "Vaccine Institute", Kind: profiles.KindResearchCentre, Country: "FR", Projects: []profiles.ProjectRef{vaccine},
				Descriptions: map[string]string{"en": "Respiratory vaccines research"}},
			{ID: "new", Name: "Adjuvant Lab", Kind: profiles.KindSME, Country: "NL",
				Descriptions: map[string]string{"en": "Vaccine adjuvants for respiratory infections"}},
			{ID: "ospedale", Name: "Ospedale Maggiore", Kind: profiles.KindHospital, Country: "IT",
				Descriptions: map[string]string{"it": "Sperimentazione clinica di vaccini respiratori e valutazione della risposta immunitaria"}},
		}
		if err := createWithDelegates(tx, orgs); err != nil {
			return err
		}
		return tx.CreateOpportunity(&profiles.Opportunity{ID: "o1", EventID: "ev", ParticipantID: "p-sus", Kind: profiles.KindRequest,
			Title: "Clinical evaluation of respiratory vaccines", Description: "We look for partners to test vaccine adjuvants", Language: "en"})
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestGroupsKnownPartnersAndLanguages(t *testing.T) {
	m := groupEvent(t)
	sug, err := m.Suggest("ev", "p-sus", 10)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Suggestion{}
	for _, s := range sug {
		byID[s.ParticipantID] = s
		checkExplanation(t, "p-sus", &s)
	}
	if _, ok := byID["p-sde"]; ok {
		t.Error("SANOFI US is offered SANOFI-AVENTIS DEUTSCHLAND: same corporate group")
	}
	known, ok := byID["p-known"]
	if !ok || !slices.Equal(known.KnownPartner, []string{"VAXNET"}) || !strings.Contains(known.Known, "You worked together in VAXNET") {
		t.Errorf("known partner not marked: %+v", known)
	}
	if s, ok := byID["p-new"]; !ok || len(s.KnownPartner) != 0 || s.Known != "" {
		t.Errorf("new partner: %+v (present %v)", s, ok)
	}
	if _, ok := byID["p-ospedale"]; !ok {
		t.Errorf("the Italian profile on the same topic is not suggested to the English request: %v", slices.Collect(maps.Keys(byID)))
	}
	hidden, err := m.SuggestWith("ev", "p-sus", 10, SuggestOptions{HideKnownPartners: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range hidden {
		if s.ParticipantID == "p-known" {
			t.Error("known partner suggested although hidden")
		}
	}
	// With the event's permission, the group rule is off.
	m.opts.EventWeights = map[string]*Weights{"ev": {SameGroup: true}}
	all, err := m.Suggest("ev", "p-new", 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range all {
		ids = append(ids, s.ParticipantID)
	}
	if !slices.Contains(ids, "p-sus") || !slices.Contains(ids, "p-sde") {
		t.Errorf("p-new's suggestions %v lack the two Sanofi companies", ids)
	}
}

// TestItalianMeetsEnglish: an Italian request and an English text on the
// same topic share terms, through the bridge and the cognate rules.
func TestItalianMeetsEnglish(t *testing.T) {
	tests := []struct{ it, en string }{
		{"vaccini", "vaccines"},
		{"malattia renale cronica", "chronic kidney disease"},
		{"tossicologia", "toxicology"},
		{"infiammazione", "inflammation"},
		{"farmacologia", "pharmacology"},
		{"plasmidi", "plasmids"},
	}
	for _, tc := range tests {
		en := map[string]bool{}
		for _, tk := range analyze(tc.en, "en") {
			en[tk.term] = true
		}
		shared := 0
		for _, tk := range analyze(tc.it, "it") {
			if en[tk.term] {
				shared++
			}
		}
		if shared < len(strings.Fields(tc.en)) {
			t.Errorf("%q and %q share %d terms", tc.it, tc.en, shared)
		}
	}
}

// TestCorporateGroupsInPool: a group key joins companies only when the
// word names something in the pool: Sanofi companies are one group, two
// firms named after a university's city are not, nor are two firms whose
// first word is common in the event's texts.
func TestCorporateGroupsInPool(t *testing.T) {
	topic := func(s string) map[string]string { return map[string]string{"en": s} }
	company := profiles.KindLargeCompany
	orgs := []profiles.Organization{
		{ID: "sus", Name: "SANOFI US", Kind: company, Descriptions: topic("Vaccines for respiratory infections")},
		{ID: "sde", Name: "SANOFI GMBH", Kind: company, Descriptions: topic("Vaccine manufacturing")},
		{ID: "onp", Name: "OXFORD NANOPORE TECHNOLOGIES", Kind: company, Descriptions: topic("Sequencing devices")},
		{ID: "obm", Name: "OXFORD BIOMEDICA (UK) LIMITED", Kind: company, Descriptions: topic("Gene therapy vectors")},
		{ID: "uox", Name: "THE CHANCELLOR, MASTERS AND SCHOLARS OF THE UNIVERSITY OF OXFORD", Kind: profiles.KindUniversity,
			Descriptions: topic("Research on sequencing")},
		{ID: "pon", Name: "PRECISION ONCOLOGY SRL", Kind: profiles.KindSME, Descriptions: topic("Precision medicine for cancer")},
		{ID: "pdx", Name: "PRECISION DIAGNOSTICS GMBH", Kind: profiles.KindSME, Descriptions: topic("Precision diagnostics for sepsis")},
		{ID: "h1", Name: "Hospital One", Kind: profiles.KindHospital, Descriptions: topic("Precision medicine in the clinic")},
		{ID: "h2", Name: "Hospital Two", Kind: profiles.KindHospital, Descriptions: topic("Precision nutrition")},
	}
	p := NewPool(orgs, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	same := func(a, b string) bool {
		ga := p.group[p.idx[a]]
		return ga != "" && ga == p.group[p.idx[b]]
	}
	tests := []struct {
		a, b string
		want bool
	}{
		{"sus", "sde", true},  // one group in two countries
		{"onp", "obm", false}, // Oxford is a place: a university bears it
		{"pon", "pdx", false}, // precision is a common word of the texts
		{"sus", "onp", false},
	}
	for _, tc := range tests {
		if got := same(tc.a, tc.b); got != tc.want {
			t.Errorf("%s and %s in one group = %v, want %v (keys %q, %q)", tc.a, tc.b, got, tc.want, p.group[p.idx[tc.a]], p.group[p.idx[tc.b]])
		}
	}
}
