package profiles

import (
	"errors"
	"fmt"
	"testing"
)

func TestChangesSince(t *testing.T) {
	defer func(keep uint64) { changeRecordKeep = keep }(changeRecordKeep)
	changeRecordKeep = 3
	s := openTestStore(t)
	seed(t, s, "ev") // generation 1
	rename := func(city string) {
		t.Helper()
		if err := s.Update(func(tx *Tx) error {
			o, err := tx.Organization("ev", "unito")
			if err != nil {
				return err
			}
			o.City = city
			return tx.UpdateOrganization(o)
		}); err != nil {
			t.Fatal(err)
		}
	}
	rename("Torino") // 2
	rename("Milano") // 3
	if err := s.Update(func(tx *Tx) error { return tx.DeleteMeeting("ev", "m1") }); err != nil {
		t.Fatal(err) // 4
	}
	if err := s.Update(func(tx *Tx) error { return errors.New("rolled back") }); err == nil {
		t.Fatal("a failing update succeeded")
	}
	tests := []struct {
		since   uint64
		want    string
		wantErr error
	}{
		{4, "[]", nil},
		{3, "[{ev meeting m1 true}]", nil},
		{1, "[{ev organization unito false} {ev organization unito false} {ev meeting m1 true}]", nil},
		{0, "", ErrChangesPruned}, // generation 1 fell out of the window of 3
		{5, "", ErrChangesPruned}, // ahead of the store
	}
	for _, tt := range tests {
		changes, now, err := s.ChangesSince(tt.since)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("since %d: error %v, want %v", tt.since, err, tt.wantErr)
			continue
		}
		if err == nil && (now != 4 || fmt.Sprint(changes) != tt.want) {
			t.Errorf("since %d: %v up to %d, want %s up to 4", tt.since, changes, now, tt.want)
		}
	}
}
