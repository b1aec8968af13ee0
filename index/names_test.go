package index

import (
	"slices"
	"testing"

	"github.com/matchgrid/matchgrid/profiles"
)

// TestNameSearch: organizations are found by their name and their people's
// names, by word prefix, whatever the case and the accents, and the index
// follows renamed, moved and deleted participants.
func TestNameSearch(t *testing.T) {
	s := openTestStore(t)
	seed(t, s, "ev")
	err := s.Update(func(tx *profiles.Tx) error {
		org := profiles.Organization{ID: "karo", EventID: "ev", Name: "Karolinska Institutet", Kind: profiles.KindUniversity, Country: "SE"}
		if err := tx.CreateOrganization(&org); err != nil {
			return err
		}
		for _, p := range []profiles.Participant{
			{ID: "p-andrew", EventID: "ev", OrganizationID: "karo", FirstName: "Andrew", LastName: "Brown", Type: profiles.TypeDelegate},
			{ID: "p-jose", EventID: "ev", OrganizationID: "medlab", FirstName: "José", LastName: "Núñez", Type: profiles.TypeDelegate},
		} {
			if err := tx.CreateParticipant(&p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ix := openTestIndex(t, s, t.TempDir())
	search := func(t *testing.T, q string) []string {
		t.Helper()
		res, err := ix.Search(&Request{EventID: "ev", Text: q, Type: TypeOrganization})
		if err != nil {
			t.Fatal(err)
		}
		return ids(res)
	}
	tests := []struct{ query, first string }{
		{"Karolinska", "karo"},
		{"karol", "karo"},
		{"KAROLINSKA institutet", "karo"},
		{"Andrew Brown", "karo"},
		{"brown", "karo"},
		{"jose nunez", "medlab"},
		{"Núñez", "medlab"},
		{"Klinikum", "klinik"},
		{"biotec tor", "biotec"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			if got := search(t, tt.query); len(got) == 0 || got[0] != tt.first {
				t.Errorf("search %q = %v, want %s first", tt.query, got, tt.first)
			}
		})
	}
	t.Run("opportunities by their organization's name", func(t *testing.T) {
		res, err := ix.Search(&Request{EventID: "ev", Text: "medlab", Type: TypeOpportunity})
		if err != nil || !slices.Contains(ids(res), "o-en") {
			t.Errorf("opportunities for medlab: %v (%v)", ids(res), err)
		}
	})
	t.Run("follows participants", func(t *testing.T) {
		err := s.Update(func(tx *profiles.Tx) error {
			p, err := tx.Participant("ev", "p-andrew")
			if err != nil {
				return err
			}
			p.LastName, p.OrganizationID = "Greenwood", "klinik"
			if err := tx.UpdateParticipant(p); err != nil {
				return err
			}
			return tx.DeleteParticipant("ev", "p-jose")
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := search(t, "greenwood"); !slices.Equal(got, []string{"klinik"}) {
			t.Errorf("after the move, greenwood finds %v, want [klinik]", got)
		}
		if got := search(t, "brown"); len(got) != 0 {
			t.Errorf("after the rename, brown still finds %v", got)
		}
		if got := search(t, "nunez"); len(got) != 0 {
			t.Errorf("after the delete, nunez still finds %v", got)
		}
	})
}
