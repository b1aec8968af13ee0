package matcher

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid/profiles"
)

// crowdedEvent writes an event where the requester "lead" shares a past
// project with more organizations than the first stage holds, all closer
// to its request than the few new ones ("new-0" ...); "hider" is a second
// participant of lead who hides known partners in their settings.
func crowdedEvent(t *testing.T) *Matcher {
	t.Helper()
	s, err := profiles.Open(filepath.Join(t.TempDir(), "matchgrid.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	const known, fresh = firstStage + 20, 3
	past := []profiles.ProjectRef{{ID: "p1", Acronym: "SEPNET", Title: "Sepsis network", StartDate: "2023-01-01", Role: profiles.CORDISParticipant}}
	err = s.Update(func(tx *profiles.Tx) error {
		if err := tx.CreateEvent(&profiles.Event{ID: "ev", Name: "Crowded", TimeZone: "Europe/Rome", MeetingMinutes: 30, Tables: 3,
			Days: []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "Morning", Start: "09:00", End: "11:00"}}}}}); err != nil {
			return err
		}
		var orgs []profiles.Organization
		orgs = append(orgs, profiles.Organization{ID: "lead", Name: "Lead", Kind: profiles.KindSME, Country: "IT", Projects: past,
			Descriptions: map[string]string{"en": "Sepsis diagnostics from blood"}})
		for i := range known {
			orgs = append(orgs, profiles.Organization{ID: fmt.Sprintf("known-%03d", i), Name: fmt.Sprintf("Known %03d", i), Kind: profiles.KindUniversity,
				Country: "FR", Projects: past, Descriptions: map[string]string{"en": "Rapid sepsis diagnostics from blood with microfluidic cartridges"}})
		}
		for i := range fresh {
			orgs = append(orgs, profiles.Organization{ID: fmt.Sprintf("new-%d", i), Name: fmt.Sprintf("Fresh %d", i), Kind: profiles.KindHospital,
				Country: "DE", Descriptions: map[string]string{"en": "Clinical sepsis studies in intensive care"}})
		}
		if err := createWithDelegates(tx, orgs); err != nil {
			return err
		}
		h := profiles.Participant{ID: "hider", EventID: "ev", OrganizationID: "lead", LastName: "Hider", Type: profiles.TypeDelegate, HideKnownPartners: true}
		if err := tx.CreateParticipant(&h); err != nil {
			return err
		}
		return tx.CreateOpportunity(&profiles.Opportunity{ID: "o1", EventID: "ev", ParticipantID: "p-lead", OrganizationID: "lead", Kind: profiles.KindRequest,
			Title: "Rapid sepsis diagnostics", Description: "Microfluidic cartridges for blood diagnostics in sepsis", Language: "en"})
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}

// TestHiddenKnownPartnersLeaveRoomForNewOnes: when a participant hides
// known partners, the first stage is filled with organizations the
// participant may see, so new partners ranked below many known ones are
// still suggested.
func TestHiddenKnownPartnersLeaveRoomForNewOnes(t *testing.T) {
	m := crowdedEvent(t)
	tests := []struct {
		name        string
		participant string
		hide        bool
		wantNew     bool
	}{
		{"known partners shown", "p-lead", false, false},
		{"hidden by the option", "p-lead", true, true},
		{"hidden by the participant's setting", "hider", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rk, err := m.RankWith("ev", tc.participant, 10, SuggestOptions{HideKnownPartners: tc.hide})
			if err != nil {
				t.Fatal(err)
			}
			var fresh, known []string
			for _, s := range rk.Suggestions {
				switch {
				case strings.HasPrefix(s.OrganizationID, "new-"):
					fresh = append(fresh, s.OrganizationID)
				case strings.HasPrefix(s.OrganizationID, "known-"):
					known = append(known, s.OrganizationID)
				}
			}
			slices.Sort(fresh)
			if tc.wantNew {
				if want := []string{"new-0", "new-1", "new-2"}; !slices.Equal(fresh, want) || len(known) > 0 {
					t.Errorf("suggested new %v and known %v, want new %v and no known partner", fresh, known, want)
				}
				if rk.Dropped["known partner (hidden)"] != 0 {
					t.Errorf("dropped %v: hidden known partners took first-stage places", rk.Dropped)
				}
				return
			}
			if len(known) != 10 {
				t.Errorf("suggested known %v, want 10 known partners first", known)
			}
		})
	}
}
