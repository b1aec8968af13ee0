package profiles

import (
	"errors"
	"fmt"
	"testing"
)

func TestWatchReportsCommittedChanges(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		g0, err := s.Generation()
		if err != nil || g0 != 1 {
			t.Fatalf("generation after the seed = %d, %v; want 1", g0, err)
		}
		var got [][]Change
		var gens []uint64
		cancel := s.Watch(func(g uint64, cs []Change) { gens = append(gens, g); got = append(got, cs) })

		steps := []struct {
			name  string
			write func(tx *Tx) error
			want  string // the changes, printed; "" when nothing may be reported
		}{
			{"update", func(tx *Tx) error {
				o, _ := tx.Organization("ev", "unito")
				o.City = "Torino"
				return tx.UpdateOrganization(o)
			}, "[{ev organization unito false}]"},
			{"rolled back", func(tx *Tx) error {
				o, _ := tx.Organization("ev", "unito")
				o.City = "Milano"
				if err := tx.UpdateOrganization(o); err != nil {
					return err
				}
				return errors.New("abort")
			}, ""},
			{"read only", func(tx *Tx) error { _, err := tx.Organizations("ev"); return err }, ""},
			{"cascade", func(tx *Tx) error {
				if err := tx.DeleteMeeting("ev", "m1"); err != nil {
					return err
				}
				return tx.DeleteParticipant("ev", "eva")
			}, "[{ev meeting m1 true} {ev opportunity o2 true} {ev meeting request r1 true} {ev participant eva true}]"},
			{"delete event", func(tx *Tx) error { return tx.DeleteEvent("ev") }, "[{ev event ev true}]"},
		}
		for _, st := range steps {
			before := len(got)
			s.Update(st.write)
			switch {
			case st.want == "" && len(got) != before:
				t.Errorf("%s: reported %v", st.name, got[before:])
			case st.want != "" && (len(got) != before+1 || fmt.Sprint(got[before]) != st.want):
				t.Errorf("%s: reported %v, want %s", st.name, got[before:], st.want)
			}
		}
		if fmt.Sprint(gens) != "[2 3 4]" {
			t.Errorf("generations = %v, want [2 3 4]", gens)
		}
		cancel()
		seed(t, s, "ev")
		if len(got) != 3 {
			t.Errorf("a cancelled watcher was called")
		}
	})
}
