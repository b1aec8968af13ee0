package matchgrid

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid/profiles"
)

func errorsIsNotFound(err error) bool { return errors.Is(err, profiles.ErrNotFound) }

// secretHashes returns every participant's stored secret hash by ID.
func secretHashes(t *testing.T, eng *Engine) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := eng.Store().View(func(tx *profiles.Tx) error {
		ps, err := tx.Participants("ev")
		for _, p := range ps {
			out[p.ID] = p.SecretHash
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestIssueLinks(t *testing.T) {
	tests := []struct {
		name    string
		ids     []string
		want    []string // participant IDs of the links, in order
		wantErr error
	}{
		{"all", nil, []string{"p1", "p2", "p3", "p4"}, nil},
		{"some, duplicates once", []string{"p3", "p1", "p3"}, []string{"p3", "p1"}, nil},
		{"none", []string{}, []string{}, nil},
		{"unknown fails all", []string{"p1", "ghost"}, nil, profiles.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng := openSmall(t)
			if _, err := eng.IssueLinks("ev", []string{"p1", "p2", "p3", "p4"}); err != nil {
				t.Fatal(err)
			}
			before := secretHashes(t, eng)
			links, err := eng.IssueLinks("ev", tt.ids)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if after := secretHashes(t, eng); after["p1"] != before["p1"] {
					t.Error("a failed call changed p1's secret: the call must be all or nothing")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range links {
				got = append(got, l.ParticipantID)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("links for %v, want %v", got, tt.want)
			}
			after := secretHashes(t, eng)
			issued := map[string]bool{}
			for _, l := range links {
				issued[l.ParticipantID] = true
				if after[l.ParticipantID] != profiles.HashSecret(l.Secret) {
					t.Errorf("%s: stored hash is not the hash of the issued secret", l.ParticipantID)
				}
				if after[l.ParticipantID] == before[l.ParticipantID] {
					t.Errorf("%s: secret not replaced", l.ParticipantID)
				}
				u, err := url.Parse(l.Path)
				if err != nil || u.Path != "/e/ev/link" || u.Query().Get("key") != l.Secret {
					t.Errorf("%s: path %q does not carry the secret", l.ParticipantID, l.Path)
				}
				var found *profiles.Participant
				eng.Store().View(func(tx *profiles.Tx) (err error) { found, err = tx.ParticipantBySecret("ev", l.Secret); return err })
				if found == nil || found.ID != l.ParticipantID {
					t.Errorf("%s: the secret does not find its participant", l.ParticipantID)
				}
			}
			for id, h := range after {
				if !issued[id] && h != before[id] {
					t.Errorf("%s got a new secret without being asked for", id)
				}
			}
			if len(links) > 0 && links[0].ParticipantID == "p1" {
				if l := links[0]; l.Name != "Ann" || l.Email != "ann@example.org" || l.Organization != "Acme" {
					t.Errorf("link = %+v", l)
				}
			}
		})
	}
}

func TestIssueLinksUnknownEvent(t *testing.T) {
	eng := openSmall(t)
	for _, ids := range [][]string{nil, {"p1"}} {
		if _, err := eng.IssueLinks("nope", ids); !errors.Is(err, profiles.ErrNotFound) {
			t.Errorf("IssueLinks(nope, %v) = %v, want ErrNotFound", ids, err)
		}
	}
}
