package profiles

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestBundleRoundTrip exports, imports and exports again, within one
// engine and from each engine into the other: the two exports are equal.
func TestBundleRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name     string
		src, dst storeOpener
	}{
		{"bbolt to bbolt", openTestStore, openTestStore},
		{"bbolt to postgres", openTestStore, openTestPostgres},
		{"postgres to bbolt", openTestPostgres, openTestStore},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := c.src(t)
			seed(t, src, "ev")
			seed(t, src, "other")
			var first bytes.Buffer
			if err := src.View(func(tx *Tx) error {
				exp, err := tx.ExportEvents()
				if err != nil {
					return err
				}
				return EncodeExport(&first, exp)
			}); err != nil {
				t.Fatal(err)
			}
			exp, err := DecodeExport(bytes.NewReader(first.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if len(exp.Events) != 2 {
				t.Fatalf("export has %d events, want 2", len(exp.Events))
			}
			dst := c.dst(t)
			if err := dst.Update(func(tx *Tx) error {
				for i := range exp.Events {
					if err := tx.ImportBundle(&exp.Events[i], ImportOptions{}); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if second := snapshot(t, dst); !bytes.Equal(first.Bytes(), second) {
				t.Errorf("export -> import -> export differs:\n%s\n---\n%s", first.String()[:400], string(second[:400]))
			}
			// Importing again without Replace is a conflict and changes nothing.
			if err := dst.Update(func(tx *Tx) error { return tx.ImportBundle(&exp.Events[0], ImportOptions{}) }); !errors.Is(err, ErrConflict) {
				t.Errorf("second import = %v, want ErrConflict", err)
			}
			if err := dst.Update(func(tx *Tx) error { return tx.ImportBundle(&exp.Events[0], ImportOptions{Replace: true}) }); err != nil {
				t.Errorf("import with replace: %v", err)
			}
		})
	}
}

func TestImportBundleIsAtomic(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		var b *Bundle
		s.View(func(tx *Tx) (err error) { b, err = tx.ExportEvent("ev"); return err })
		b.Event.ID = "copy"
		for i := range b.Organizations {
			b.Organizations[i].EventID = "copy"
		}
		// A bad participant late in the bundle must leave no trace of the event.
		for i := range b.Participants {
			b.Participants[i].EventID = "copy"
		}
		b.Participants[2].Type = "alien"
		err := s.Update(func(tx *Tx) error { return tx.ImportBundle(b, ImportOptions{}) })
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != "type" || !strings.Contains(err.Error(), "participants[2]") {
			t.Fatalf("err = %v, want a FieldError on participants[2].type", err)
		}
		s.View(func(tx *Tx) error {
			if _, err := tx.Event("copy"); !errors.Is(err, ErrNotFound) {
				t.Errorf("the failed import left event copy behind (%v)", err)
			}
			return nil
		})
	})
}

func TestDecodeExportErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"not json", "hello", "line 1"},
		{"wrong format", `{"format":"other/9","events":[]}`, `"other/9"`},
		{"unknown field", "{\"format\":\"matchgrid-export/1\",\n\"events\":[],\n\"evnts\":[]}", "evnts"},
		{"type error with line", "{\"format\":\"matchgrid-export/1\",\n\"events\":[{\"event\":{\"id\":\"e\",\"tables\":\"many\"}}]}", "line 2"},
		{"no event id", `{"format":"matchgrid-export/1","events":[{"event":{}}]}`, "events[0].event.id"},
		{"trailing", `{"format":"matchgrid-export/1","events":[]} {}`, "after top-level value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeExport(strings.NewReader(tt.input))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrInvalid mentioning %q", err, tt.want)
			}
		})
	}
}

func FuzzDecodeExport(f *testing.F) {
	f.Add([]byte(`{"format":"matchgrid-export/1","events":[{"event":{"id":"e","name":"E","time_zone":"UTC","days":[{"date":"2027-01-01","sessions":[{"name":"m","start":"09:00","end":"10:00"}]}],"meeting_minutes":20,"tables":2}}]}`))
	f.Add([]byte(`{"event":{"id":"x"}}`))
	f.Add([]byte(`[1,2,3]`))
	f.Add([]byte(`{"format":"matchgrid-export/1","events":[{"event":{"id":"e"},"organizations":[{"id":"o","kind":"sme"}]}]}`))
	s := openTestStore(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		exp, err := DecodeExport(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		// Whatever decodes must import cleanly or fail with a named error, never panic.
		err = s.Update(func(tx *Tx) error {
			for i := range exp.Events {
				if err := tx.ImportBundle(&exp.Events[i], ImportOptions{Replace: true}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrConflict) {
			t.Fatalf("import error %v wraps no sentinel", err)
		}
	})
}
