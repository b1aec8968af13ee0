package profiles

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"
)

func TestStoreLookups(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		err := s.View(func(tx *Tx) error {
			ids := func(n int, err error, get func(i int) string) []string {
				if err != nil {
					t.Fatal(err)
				}
				out := make([]string, n)
				for i := range out {
					out[i] = get(i)
				}
				return out
			}
			ps, err := tx.ParticipantsOfOrganization("ev", "acme")
			checkIDs(t, "participants of acme", ids(len(ps), err, func(i int) string { return ps[i].ID }), "anna", "marco")
			os, err := tx.OpportunitiesOfParticipant("ev", "eva")
			checkIDs(t, "opportunities of eva", ids(len(os), err, func(i int) string { return os[i].ID }), "o2")
			os, err = tx.OpportunitiesOfOrganization("ev", "acme")
			checkIDs(t, "opportunities of acme", ids(len(os), err, func(i int) string { return os[i].ID }), "o1")
			rs, err := tx.RequestsFrom("ev", "anna")
			checkIDs(t, "requests from anna", ids(len(rs), err, func(i int) string { return rs[i].ID }), "r1")
			rs, err = tx.RequestsTo("ev", "eva")
			checkIDs(t, "requests to eva", ids(len(rs), err, func(i int) string { return rs[i].ID }), "r1")
			rs, err = tx.RequestsTo("ev", "anna")
			checkIDs(t, "requests to anna", ids(len(rs), err, func(i int) string { return rs[i].ID }))
			ms, err := tx.MeetingsOfParticipant("ev", "eva")
			checkIDs(t, "meetings of eva", ids(len(ms), err, func(i int) string { return ms[i].ID }), "m1")
			ms, err = tx.MeetingsInSlot("ev", 2)
			checkIDs(t, "meetings in slot 2", ids(len(ms), err, func(i int) string { return ms[i].ID }), "m1")
			ms, err = tx.MeetingsInSlot("ev", 3)
			checkIDs(t, "meetings in slot 3", ids(len(ms), err, func(i int) string { return ms[i].ID }))
			p, err := tx.ParticipantBySecret("ev", "anna-secret")
			if err != nil || p.ID != "anna" {
				t.Errorf("ParticipantBySecret = %v, %v; want anna", p, err)
			}
			if _, err := tx.ParticipantBySecret("ev", "wrong"); !errors.Is(err, ErrNotFound) {
				t.Errorf("ParticipantBySecret(wrong) = %v, want ErrNotFound", err)
			}
			o, err := tx.OrganizationByExternalID("ev", "pic", "123")
			if err != nil || o.ID != "acme" {
				t.Errorf("OrganizationByExternalID = %v, %v; want acme", o, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func checkIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestStoreErrors(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		now := time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC)
		tests := []struct {
			name  string
			write func(tx *Tx) error
			want  error
		}{
			{"duplicate event", func(tx *Tx) error { return tx.CreateEvent(testEvent("ev")) }, ErrConflict},
			{"update missing event", func(tx *Tx) error { return tx.UpdateEvent(testEvent("nope")) }, ErrNotFound},
			{"organization in missing event", func(tx *Tx) error {
				return tx.CreateOrganization(&Organization{ID: "x", EventID: "nope", Name: "X", Kind: KindSME, Country: "FR"})
			}, ErrNotFound},
			{"duplicate organization", func(tx *Tx) error {
				return tx.CreateOrganization(&Organization{ID: "acme", EventID: "ev", Name: "X", Kind: KindSME, Country: "FR"})
			}, ErrConflict},
			{"invalid organization kind", func(tx *Tx) error {
				return tx.CreateOrganization(&Organization{ID: "x", EventID: "ev", Name: "X", Kind: "bank", Country: "FR"})
			}, ErrInvalid},
			{"update missing organization", func(tx *Tx) error {
				return tx.UpdateOrganization(&Organization{ID: "x", EventID: "ev", Name: "X", Kind: KindSME, Country: "FR"})
			}, ErrNotFound},
			{"participant of missing organization", func(tx *Tx) error {
				return tx.CreateParticipant(&Participant{ID: "x", EventID: "ev", OrganizationID: "nope", LastName: "X", Type: TypeDelegate})
			}, ErrNotFound},
			{"participant blocking themselves", func(tx *Tx) error {
				return tx.CreateParticipant(&Participant{ID: "x", EventID: "ev", OrganizationID: "unito", LastName: "X", Type: TypeDelegate, Blocked: []string{"x"}})
			}, ErrInvalid},
			{"participant with taken email", func(tx *Tx) error {
				return tx.CreateParticipant(&Participant{ID: "x", EventID: "ev", OrganizationID: "unito", LastName: "X", Email: "anna@acme.example", Type: TypeDelegate})
			}, ErrConflict},
			{"opportunity of missing participant", func(tx *Tx) error {
				return tx.CreateOpportunity(&Opportunity{ID: "x", EventID: "ev", ParticipantID: "nope", Kind: KindOffer, Title: "X", Language: "en"})
			}, ErrNotFound},
			{"opportunity kind against profile type", func(tx *Tx) error {
				return tx.CreateOpportunity(&Opportunity{ID: "x", EventID: "ev", ParticipantID: "anna", Kind: KindRequest, ProfileType: TechnologyOffer, Title: "X", Language: "en"})
			}, ErrInvalid},
			{"opportunity for another organization", func(tx *Tx) error {
				return tx.CreateOpportunity(&Opportunity{ID: "x", EventID: "ev", ParticipantID: "anna", OrganizationID: "unito", Kind: KindOffer, Title: "X", Language: "en"})
			}, ErrInvalid},
			{"request within one organization", func(tx *Tx) error {
				return tx.CreateRequest(&MeetingRequest{ID: "x", EventID: "ev", From: "anna", To: "marco", Status: RequestPending, CreatedAt: now})
			}, ErrInvalid},
			{"second open request for a pair", func(tx *Tx) error {
				return tx.CreateRequest(&MeetingRequest{ID: "x", EventID: "ev", From: "eva", To: "anna", Status: RequestPending, CreatedAt: now})
			}, ErrConflict},
			{"accepted request back to pending", func(tx *Tx) error {
				r, _ := tx.Request("ev", "r1")
				r.Status = RequestPending
				return tx.UpdateRequest(r)
			}, ErrConflict},
			{"meeting slot out of range", func(tx *Tx) error {
				return tx.CreateMeeting(&Meeting{ID: "x", EventID: "ev", A: "luca", B: "eva", Slot: 99, Status: MeetingScheduled})
			}, ErrInvalid},
			{"meeting UID changed", func(tx *Tx) error {
				m, _ := tx.Meeting("ev", "m1")
				m.UID = "other@x"
				return tx.UpdateMeeting(m)
			}, ErrConflict},
			{"delete organization with participants", func(tx *Tx) error { return tx.DeleteOrganization("ev", "acme") }, ErrConflict},
			{"delete participant with meetings", func(tx *Tx) error { return tx.DeleteParticipant("ev", "eva") }, ErrConflict},
			{"delete missing meeting", func(tx *Tx) error { return tx.DeleteMeeting("ev", "nope") }, ErrNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := snapshot(t, s)
				err := s.Update(tt.write)
				if !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
				if after := snapshot(t, s); !bytes.Equal(before, after) {
					t.Errorf("a failed write changed the store")
				}
			})
		}
	})
}

// snapshot returns the export of every event, to compare store states.
func snapshot(t testing.TB, s *Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := s.View(func(tx *Tx) error {
		exp, err := tx.ExportEvents()
		if err != nil {
			return err
		}
		return EncodeExport(&buf, exp)
	})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestUpdateKeepsIndexesInStep(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		err := s.Update(func(tx *Tx) error {
			p, err := tx.Participant("ev", "marco")
			if err != nil {
				return err
			}
			p.OrganizationID = "unito"
			if err := tx.UpdateParticipant(p); err != nil {
				return err
			}
			m, err := tx.Meeting("ev", "m1")
			if err != nil {
				return err
			}
			m.Slot = 5
			return tx.UpdateMeeting(m)
		})
		if err != nil {
			t.Fatal(err)
		}
		s.View(func(tx *Tx) error {
			ps, _ := tx.ParticipantsOfOrganization("ev", "acme")
			if len(ps) != 1 || ps[0].ID != "anna" {
				t.Errorf("after the move, acme has %v", ps)
			}
			ps, _ = tx.ParticipantsOfOrganization("ev", "unito")
			if len(ps) != 2 {
				t.Errorf("after the move, unito has %d participants, want 2", len(ps))
			}
			if ms, _ := tx.MeetingsInSlot("ev", 2); len(ms) != 0 {
				t.Errorf("slot 2 still lists %v", ms)
			}
			if ms, _ := tx.MeetingsInSlot("ev", 5); len(ms) != 1 {
				t.Errorf("slot 5 lists %v, want m1", ms)
			}
			return nil
		})
	})
}

func TestMeetingSequence(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		steps := []struct {
			name    string
			change  func(*Meeting)
			wantSeq int
		}{
			{"unchanged", func(m *Meeting) {}, 0},
			{"lock only", func(m *Meeting) { m.Locked = true }, 0},
			{"moved", func(m *Meeting) { m.Slot = 4 }, 1},
			{"table changed", func(m *Meeting) { m.Table = 3 }, 2},
			{"stale sequence from caller", func(m *Meeting) { m.Sequence = 0; m.Slot = 6 }, 3},
			{"cancelled", func(m *Meeting) { m.Status = MeetingCancelled }, 4},
		}
		for _, st := range steps {
			err := s.Update(func(tx *Tx) error {
				m, err := tx.Meeting("ev", "m1")
				if err != nil {
					return err
				}
				st.change(m)
				return tx.UpdateMeeting(m)
			})
			if err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			s.View(func(tx *Tx) error {
				m, _ := tx.Meeting("ev", "m1")
				if m.Sequence != st.wantSeq {
					t.Errorf("%s: sequence = %d, want %d", st.name, m.Sequence, st.wantSeq)
				}
				if m.UID != MeetingUID("ev", "m1") {
					t.Errorf("%s: UID = %q", st.name, m.UID)
				}
				return nil
			})
		}
	})
}

func TestDeleteParticipantCascades(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		err := s.Update(func(tx *Tx) error {
			if err := tx.DeleteMeeting("ev", "m1"); err != nil {
				return err
			}
			return tx.DeleteParticipant("ev", "eva")
		})
		if err != nil {
			t.Fatal(err)
		}
		s.View(func(tx *Tx) error {
			if _, err := tx.Opportunity("ev", "o2"); !errors.Is(err, ErrNotFound) {
				t.Errorf("eva's opportunity survived: %v", err)
			}
			if _, err := tx.Request("ev", "r1"); !errors.Is(err, ErrNotFound) {
				t.Errorf("the request to eva survived: %v", err)
			}
			if rs, _ := tx.RequestsFrom("ev", "anna"); len(rs) != 0 {
				t.Errorf("index still lists %v", rs)
			}
			return nil
		})
	})
}

func TestCloseAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "matchgrid.db")
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s, "ev")
	before := snapshot(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.View(func(tx *Tx) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("View after Close = %v, want ErrClosed", err)
	}
	s, err = Open(path, &Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if after := snapshot(t, s); !bytes.Equal(before, after) {
		t.Errorf("content differs after reopening")
	}
	if err := s.Update(func(tx *Tx) error { return nil }); err == nil {
		t.Errorf("Update on a read-only store succeeded")
	}
}

func TestOpenLockedFileTimesOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "matchgrid.db")
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Open(path, &Options{Timeout: 50 * time.Millisecond}); err == nil {
		t.Fatal("a second open of a locked file succeeded")
	}
}

// TestConcurrentReadersOneWriter runs under -race in make test: readers see
// whole transactions only (the two counts always agree).
func TestConcurrentReadersOneWriter(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		const writes = 60
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range writes {
				err := s.Update(func(tx *Tx) error {
					org := &Organization{ID: fmt.Sprintf("org-%03d", i), EventID: "ev", Name: "Org", Kind: KindSME, Country: "FR"}
					if err := tx.CreateOrganization(org); err != nil {
						return err
					}
					return tx.CreateParticipant(&Participant{ID: fmt.Sprintf("p-%03d", i), EventID: "ev", OrganizationID: org.ID, LastName: "P", Type: TypeDelegate})
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
		for r := 0; r < 4; r++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 50 {
					err := s.View(func(tx *Tx) error {
						orgs, err := tx.Organizations("ev")
						if err != nil {
							return err
						}
						ps, err := tx.Participants("ev")
						if err != nil {
							return err
						}
						// The seed has 3 organizations and 4 participants; each write adds one of each.
						if len(orgs)-3 != len(ps)-4 {
							return fmt.Errorf("torn read: %d organizations, %d participants", len(orgs), len(ps))
						}
						return nil
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		s.View(func(tx *Tx) error {
			if orgs, _ := tx.Organizations("ev"); len(orgs) != 3+writes {
				t.Errorf("%d organizations, want %d", len(orgs), 3+writes)
			}
			return nil
		})
	})
}

func TestPaging(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		tests := []struct {
			offset, limit int
			want          []string
		}{
			{0, 2, []string{"acme", "charite"}},
			{1, 5, []string{"charite", "unito"}},
			{3, 5, nil},
			{0, 0, nil},
		}
		for _, tt := range tests {
			s.View(func(tx *Tx) error {
				items, total, err := tx.OrganizationsPage("ev", tt.offset, tt.limit)
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, o := range items {
					ids = append(ids, o.ID)
				}
				if total != 3 || fmt.Sprint(ids) != fmt.Sprint(tt.want) {
					t.Errorf("page(%d, %d) = %v total %d, want %v total 3", tt.offset, tt.limit, ids, total, tt.want)
				}
				return nil
			})
		}
	})
}

// EachOrganization walks the organizations in ID order, whole, and stops
// at the first error of its function, returning it.
func TestEachOrganization(t *testing.T) {
	stop := errors.New("stop")
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		tests := []struct {
			name    string
			stopAt  string
			want    []string
			wantErr error
		}{
			{"all", "", []string{"acme", "charite", "unito"}, nil},
			{"stopped", "charite", []string{"acme", "charite"}, stop},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var ids []string
				err := s.View(func(tx *Tx) error {
					want, err := tx.Organizations("ev")
					if err != nil {
						return err
					}
					return tx.EachOrganization("ev", func(o *Organization) error {
						if i := len(ids); i >= len(want) || !reflect.DeepEqual(*o, want[i]) {
							t.Errorf("organization %d: %+v, not as Organizations reads it", i, o)
						}
						ids = append(ids, o.ID)
						if o.ID == tt.stopAt {
							return stop
						}
						return nil
					})
				})
				if !errors.Is(err, tt.wantErr) || fmt.Sprint(ids) != fmt.Sprint(tt.want) {
					t.Errorf("walked %v, error %v; want %v, %v", ids, err, tt.want, tt.wantErr)
				}
			})
		}
	})
}

// Within a read transaction, ReleaseMapped leaves what the transaction
// read and reads next as it was, and the store takes writes after it, on
// both engines (the matcher releases in the middle of a whole read).
func TestReleaseMapped(t *testing.T) {
	eachEngine(t, func(t *testing.T, open storeOpener) {
		s := open(t)
		seed(t, s, "ev")
		var before []Organization
		err := s.View(func(tx *Tx) error {
			var err error
			if before, err = tx.Organizations("ev"); err != nil {
				return err
			}
			kept := fmt.Sprint(before)
			if err := tx.ReleaseMapped(); err != nil {
				return err
			}
			again, err := tx.Organizations("ev")
			if err != nil {
				return err
			}
			if fmt.Sprint(before) != kept || !reflect.DeepEqual(again, before) {
				t.Errorf("after release in the transaction: read %v, reread %v; want %s", before, again, kept)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Update(func(tx *Tx) error {
			return tx.CreateOrganization(&Organization{ID: "zeta", EventID: "ev", Name: "Zeta", Kind: KindSME, Country: "ES"})
		})
		if err != nil {
			t.Fatal(err)
		}
		var after []Organization
		if err := s.View(func(tx *Tx) (err error) { after, err = tx.Organizations("ev"); return err }); err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before)+1 || !reflect.DeepEqual(after[:len(before)], before) {
			t.Errorf("after release: %d organizations, want the %d read before and zeta", len(after), len(before))
		}
	})
}

func TestBackupWhileWriting(t *testing.T) {
	s := openTestStore(t)
	seed(t, s, "ev")
	backup := filepath.Join(t.TempDir(), "backup.db")
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 20 {
			s.Update(func(tx *Tx) error {
				return tx.CreateOrganization(&Organization{ID: fmt.Sprintf("w-%02d", i), EventID: "ev", Name: "W", Kind: KindSME, Country: "ES"})
			})
		}
	}()
	if err := s.BackupFile(backup); err != nil {
		t.Fatal(err)
	}
	<-done
	b, err := Open(backup, &Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("backup does not open as a store: %v", err)
	}
	defer b.Close()
	b.View(func(tx *Tx) error {
		orgs, err := tx.Organizations("ev")
		if err != nil || len(orgs) < 3 {
			t.Errorf("backup has %d organizations (%v), want the seeded 3 or more", len(orgs), err)
		}
		if _, err := tx.Meeting("ev", "m1"); err != nil {
			t.Errorf("backup lacks the meeting: %v", err)
		}
		return nil
	})
}
