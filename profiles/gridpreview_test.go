package profiles

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// A grid preview lives in the store, on either engine: the latest one per
// event, until it expires, is published (its data dropped) or its event
// deleted; it records no change, and oversized data is refused.
func TestGridPreview(t *testing.T) {
	eachEngine(t, testGridPreview)
}

func testGridPreview(t *testing.T, open storeOpener) {
	made := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	fresh := func(data string) *GridPreview {
		return &GridPreview{Generation: 7, Made: made, Expires: made.Add(time.Hour), Data: []byte(data)}
	}
	tests := []struct {
		name    string
		do      func(tx *Tx) error // after a first preview "one" was put
		at      time.Time          // when it is read back
		want    string             // its data, "" for published
		wantErr error
	}{
		{"read back", func(*Tx) error { return nil }, made, "one", nil},
		{"replaced", func(tx *Tx) error { return tx.PutGridPreview("ev", fresh("two")) }, made, "two", nil},
		{"expired", func(*Tx) error { return nil }, made.Add(time.Hour), "", ErrNotFound},
		{"published", func(tx *Tx) error {
			p, err := tx.GridPreview("ev", made)
			if err != nil {
				return err
			}
			return tx.PublishGridPreview("ev", p)
		}, made, "", nil},
		{"event deleted", func(tx *Tx) error { return tx.DeleteEvent("ev") }, made, "", ErrNotFound},
		{"too large refused", func(tx *Tx) error {
			big := fresh("")
			big.Data = make([]byte, MaxGridPreviewSize+1)
			if err := tx.PutGridPreview("ev", big); !errors.Is(err, ErrInvalid) {
				t.Errorf("oversized preview: %v, want ErrInvalid", err)
			}
			return nil
		}, made, "one", nil},
		{"no event", func(tx *Tx) error {
			if err := tx.PutGridPreview("ghost", fresh("x")); !errors.Is(err, ErrNotFound) {
				t.Errorf("preview of a missing event: %v, want ErrNotFound", err)
			}
			return nil
		}, made, "one", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "ev")
			before, err := s.Generation()
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Update(func(tx *Tx) error { return tx.PutGridPreview("ev", fresh("one")) }); err != nil {
				t.Fatal(err)
			}
			if g, _ := s.Generation(); g != before {
				t.Errorf("putting a preview moved the generation from %d to %d", before, g)
			}
			if err := s.Update(tt.do); err != nil {
				t.Fatal(err)
			}
			var got *GridPreview
			err = s.View(func(tx *Tx) (err error) { got, err = tx.GridPreview("ev", tt.at); return err })
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("GridPreview = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got.Published != (tt.want == "") || !bytes.Equal(got.Data, []byte(tt.want)) || got.Generation != 7 || !got.Made.Equal(made) {
				t.Errorf("GridPreview = %+v (data %q), want data %q", got, got.Data, tt.want)
			}
		})
	}
}
