package matcher

import (
	"slices"
	"testing"

	"github.com/matchgrid/matchgrid/profiles"
)

// A pool is built from the snapshot's organizations with their texts as
// the store holds them when it is built: an organization deleted since
// keeps its place without texts, one created since is left out, one
// changed since is read as changed; the snapshot itself keeps no texts.
func TestPoolReadsTextsFromTheStore(t *testing.T) {
	s, _ := smallEvent(t)
	m, err := New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	snap := currentSnapshot(t, m)
	for id, o := range snap.orgs {
		if len(o.Descriptions) > 0 || len(o.Projects) > 0 {
			t.Errorf("the snapshot keeps the texts of %s", id)
		}
	}
	err = s.Update(func(tx *profiles.Tx) error {
		if err := tx.DeleteParticipant("ev", "vera"); err != nil {
			return err
		}
		if err := tx.DeleteOrganization("ev", "visit"); err != nil {
			return err
		}
		o, err := tx.Organization("ev", "uni")
		if err != nil {
			return err
		}
		o.Descriptions = map[string]string{"en": "Zebrafish models of sepsis"}
		if err := tx.UpdateOrganization(o); err != nil {
			return err
		}
		return tx.CreateOrganization(&profiles.Organization{ID: "zeta", EventID: "ev", Name: "Zeta", Kind: profiles.KindSME, Country: "ES"})
	})
	if err != nil {
		t.Fatal(err)
	}
	pool, err := m.readPool(snap, eventTime(snap.event))
	if err != nil {
		t.Fatal(err)
	}
	if want := slicesSortedKeys(snap.orgs); !slices.Equal(pool.ids, want) {
		t.Fatalf("pool of %v, want the snapshot's %v", pool.ids, want)
	}
	tests := []struct {
		org, term string
		want      bool
	}{
		{"uni", "zebrafish", true},
		{"uni", "microfluid", false},
		{"acme", "microfluid", true},
		{"visit", "distribut", false},
	}
	for _, tt := range tests {
		id := pool.voc.ID(tt.term, false)
		if has := id >= 0 && pool.docs.TF(pool.idx[tt.org], id) > 0; has != tt.want {
			t.Errorf("%s's text holds %q: %v, want %v", tt.org, tt.term, has, tt.want)
		}
	}
	if ts, _ := pool.docs.Terms(pool.idx["visit"]); len(ts) != 0 {
		t.Errorf("deleted since, visit still has %d terms", len(ts))
	}
}
