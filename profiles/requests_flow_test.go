package profiles

import (
	"errors"
	"testing"
	"time"
)

// flowStore seeds a store whose event has the given policy.
func flowStore(t *testing.T, policy RequestPolicy) *Store {
	t.Helper()
	s := openTestStore(t)
	seed(t, s, "ev")
	err := s.Update(func(tx *Tx) error {
		ev, err := tx.Event("ev")
		if err != nil {
			return err
		}
		ev.Policy = policy
		return tx.UpdateEvent(ev)
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var t0 = time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)

func TestRequestFlow(t *testing.T) {
	type step struct {
		do   func(tx *Tx, last *MeetingRequest) (*MeetingRequest, error)
		want error         // nil for success
		then RequestStatus // status of the request after the step, when it succeeds
	}
	send := func(from, to, opp string, at time.Time) func(*Tx, *MeetingRequest) (*MeetingRequest, error) {
		return func(tx *Tx, _ *MeetingRequest) (*MeetingRequest, error) {
			return tx.SendRequest("ev", from, to, "hello", opp, at)
		}
	}
	respond := func(who string, accept bool, at time.Time) func(*Tx, *MeetingRequest) (*MeetingRequest, error) {
		return func(tx *Tx, r *MeetingRequest) (*MeetingRequest, error) {
			return tx.RespondRequest("ev", r.ID, who, accept, at)
		}
	}
	cancel := func(who string) func(*Tx, *MeetingRequest) (*MeetingRequest, error) {
		return func(tx *Tx, r *MeetingRequest) (*MeetingRequest, error) { return tx.CancelRequest("ev", r.ID, who, t0) }
	}
	tests := []struct {
		name   string
		policy RequestPolicy
		steps  []step
	}{
		{"accept", RequestPolicy{}, []step{
			{send("luca", "anna", "o1", t0), nil, RequestPending},
			{respond("marco", true, t0), ErrForbidden, ""}, // anna's colleague cannot answer for her
			{respond("luca", true, t0), ErrForbidden, ""},  // nor can the sender
			{respond("anna", true, t0), nil, RequestAccepted},
			{respond("anna", false, t0), ErrConflict, ""}, // answered already
			{cancel("marco"), ErrForbidden, ""},
			{cancel("anna"), nil, RequestCancelled}, // either side cancels an accepted one
		}},
		{"decline and withdraw rules", RequestPolicy{}, []step{
			{send("luca", "anna", "", t0), nil, RequestPending},
			{cancel("anna"), ErrForbidden, ""}, // only the sender withdraws a pending request
			{respond("anna", false, t0), nil, RequestDeclined},
			{cancel("luca"), ErrConflict, ""},
		}},
		{"auto accept", RequestPolicy{AutoAccept: true}, []step{
			{send("luca", "anna", "", t0), nil, RequestAccepted},
		}},
		{"expiry", RequestPolicy{ExpiryHours: 24}, []step{
			{send("luca", "anna", "", t0), nil, RequestPending},
			{respond("anna", true, t0.Add(25*time.Hour)), ErrConflict, ""},
		}},
		{"pending cap", RequestPolicy{MaxPendingOutgoing: 1}, []step{
			{send("luca", "anna", "", t0), nil, RequestPending},
			{send("luca", "eva", "", t0), ErrConflict, ""},
		}},
		{"cap counts expired requests out", RequestPolicy{MaxPendingOutgoing: 1, ExpiryHours: 1}, []step{
			{send("luca", "anna", "", t0), nil, RequestPending},
			{send("luca", "eva", "", t0.Add(2*time.Hour)), nil, RequestPending},
		}},
		{"opportunity of a third party", RequestPolicy{}, []step{
			{send("luca", "marco", "o2", t0), ErrInvalid, ""}, // o2 is eva's
		}},
		{"same organization", RequestPolicy{}, []step{
			{send("anna", "marco", "", t0), ErrInvalid, ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := flowStore(t, tt.policy)
			var last *MeetingRequest
			for i, st := range tt.steps {
				before := snapshot(t, s)
				err := s.Update(func(tx *Tx) error {
					r, err := st.do(tx, last)
					if err == nil {
						last = r
					}
					return err
				})
				if !errors.Is(err, st.want) || (st.want == nil) != (err == nil) {
					t.Fatalf("step %d: err = %v, want %v", i, err, st.want)
				}
				if err != nil {
					if string(before) != string(snapshot(t, s)) {
						t.Fatalf("step %d: a refused step changed the store", i)
					}
					continue
				}
				s.View(func(tx *Tx) error {
					r, err := tx.Request("ev", last.ID)
					if err != nil || r.Status != st.then {
						t.Errorf("step %d: stored request %+v (%v), want status %s", i, r, err, st.then)
					}
					return nil
				})
			}
		})
	}
}

func TestCancelRequestCancelsItsMeeting(t *testing.T) {
	s := flowStore(t, RequestPolicy{})
	err := s.Update(func(tx *Tx) error {
		_, err := tx.CancelRequest("ev", "r1", "eva", t0) // r1 is accepted and has meeting m1
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *Tx) error {
		m, _ := tx.Meeting("ev", "m1")
		if m.Status != MeetingCancelled || m.Sequence != 1 {
			t.Errorf("meeting after its request was cancelled: %+v", m)
		}
		return nil
	})
}

func TestExpireRequests(t *testing.T) {
	s := flowStore(t, RequestPolicy{ExpiryHours: 48})
	s.Update(func(tx *Tx) error {
		if _, err := tx.SendRequest("ev", "luca", "anna", "", "", t0); err != nil {
			return err
		}
		_, err := tx.SendRequest("ev", "luca", "eva", "", "", t0.Add(24*time.Hour))
		return err
	})
	for _, tt := range []struct {
		at   time.Time
		want int
	}{{t0.Add(47 * time.Hour), 0}, {t0.Add(48 * time.Hour), 1}, {t0.Add(100 * time.Hour), 1}, {t0.Add(100 * time.Hour), 0}} {
		var n int
		if err := s.Update(func(tx *Tx) (err error) { n, err = tx.ExpireRequests("ev", tt.at); return err }); err != nil {
			t.Fatal(err)
		}
		if n != tt.want {
			t.Errorf("at %v expired %d, want %d", tt.at, n, tt.want)
		}
	}
}
