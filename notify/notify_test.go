package notify

import (
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{{0, time.Minute}, {1, time.Minute}, {2, 2 * time.Minute}, {4, 8 * time.Minute}, {7, time.Hour}, {50, time.Hour}} {
		if got := Backoff(tc.n); got != tc.want {
			t.Errorf("Backoff(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
}

func TestArrangement(t *testing.T) {
	base := []profiles.Meeting{{ID: "m1", Slot: 1, Table: 2, Status: profiles.MeetingScheduled}, {ID: "m2", Slot: 3, Table: 0, Status: profiles.MeetingScheduled}}
	same := func(f func(ms []profiles.Meeting)) bool {
		ms := []profiles.Meeting{base[1], base[0]} // order does not matter
		f(ms)
		return Arrangement(ms) == Arrangement(base)
	}
	for _, tc := range []struct {
		name string
		edit func(ms []profiles.Meeting)
		same bool
	}{
		{"reordered", func([]profiles.Meeting) {}, true},
		{"locked", func(ms []profiles.Meeting) { ms[0].Locked = true }, true},
		{"held", func(ms []profiles.Meeting) { ms[0].Status = profiles.MeetingHeld }, true},
		{"moved", func(ms []profiles.Meeting) { ms[0].Slot++ }, false},
		{"other table", func(ms []profiles.Meeting) { ms[1].Table++ }, false},
		{"cancelled", func(ms []profiles.Meeting) { ms[1].Status = profiles.MeetingCancelled }, false},
	} {
		if got := same(tc.edit); got != tc.same {
			t.Errorf("%s: same arrangement = %v, want %v", tc.name, got, tc.same)
		}
	}
}
