package profiles

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// An index lookup made again after the transaction wrote to the index or
// to the records answers as the store would (PostgreSQL answers it from
// what the transaction remembers), also for a value that is a prefix of
// another one.
func TestLookupSeesTheTransactionsWrites(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		at := time.Date(2027, 3, 1, 11, 0, 0, 0, time.UTC)
		req := func(id, from, to string) *MeetingRequest {
			return &MeetingRequest{ID: id, EventID: "ev", From: from, To: to, Status: RequestPending, CreatedAt: at, UpdatedAt: at}
		}
		steps := []struct {
			name     string
			write    func(tx *Tx) error
			fromAnna []string // ID:status of RequestsFrom("anna")
			toLuca   []string // of RequestsTo("luca")
		}{
			{"as seeded", func(*Tx) error { return nil }, []string{"r1:accepted"}, nil},
			{"a request created", func(tx *Tx) error { return tx.CreateRequest(req("r2", "anna", "luca")) },
				[]string{"r1:accepted", "r2:pending"}, []string{"r2:pending"}},
			{"one from a participant whose ID is a prefix", func(tx *Tx) error {
				if err := tx.CreateParticipant(&Participant{ID: "ann", EventID: "ev", OrganizationID: "acme", FirstName: "Ann", LastName: "Neri", Type: TypeDelegate}); err != nil {
					return err
				}
				return tx.CreateRequest(req("r0", "ann", "luca"))
			}, []string{"r1:accepted", "r2:pending"}, []string{"r0:pending", "r2:pending"}},
			{"one answered", func(tx *Tx) error {
				_, err := tx.RespondRequest("ev", "r2", "luca", false, at)
				return err
			}, []string{"r1:accepted", "r2:declined"}, []string{"r0:pending", "r2:declined"}},
			{"one deleted", func(tx *Tx) error { return tx.DeleteRequest("ev", "r1") },
				[]string{"r2:declined"}, []string{"r0:pending", "r2:declined"}},
			{"one moved to another receiver", func(tx *Tx) error {
				r, err := tx.Request("ev", "r0")
				if err != nil {
					return err
				}
				r.To = "eva"
				return tx.PutRequest(r)
			}, []string{"r2:declined"}, []string{"r2:declined"}},
		}
		look := func(tx *Tx) (fromAnna, toLuca []string, err error) {
			from, err := tx.RequestsFrom("ev", "anna")
			if err != nil {
				return nil, nil, err
			}
			to, err := tx.RequestsTo("ev", "luca")
			return requestStates(from), requestStates(to), err
		}
		err := s.Update(func(tx *Tx) error {
			for _, st := range steps {
				if err := st.write(tx); err != nil {
					return fmt.Errorf("%s: %w", st.name, err)
				}
				// Twice: the second lookup is the remembered one.
				for range 2 {
					from, to, err := look(tx)
					if err != nil {
						return fmt.Errorf("%s: %w", st.name, err)
					}
					if !slices.Equal(from, st.fromAnna) || !slices.Equal(to, st.toLuca) {
						t.Errorf("%s: from anna %v, to luca %v; want %v, %v", st.name, from, to, st.fromAnna, st.toLuca)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		last := steps[len(steps)-1]
		err = s.View(func(tx *Tx) error {
			from, to, err := look(tx)
			if !slices.Equal(from, last.fromAnna) || !slices.Equal(to, last.toLuca) {
				t.Errorf("committed: from anna %v, to luca %v; want %v, %v", from, to, last.fromAnna, last.toLuca)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func requestStates(rs []MeetingRequest) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID+":"+string(r.Status))
	}
	return out
}
