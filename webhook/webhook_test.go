package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/notify"
	"github.com/matchgrid/matchgrid/profiles"
)

const eventID = "ev"

// receiver is a real HTTP server on loopback that checks signatures and
// records the calls; fail lets a test answer an error status.
type receiver struct {
	srv    *httptest.Server
	secret string
	mu     sync.Mutex
	calls  []Payload
	ids    []string
	fail   func(n int) int // status to answer the n-th call (0: 204)
	n      int
	badSig int
}

func startReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.n++
		if err := Verify(r.secret, req.Header.Get(HeaderSignature), body, time.Now(), 5*time.Minute); err != nil {
			r.badSig++
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if r.fail != nil {
			if code := r.fail(r.n); code != 0 {
				w.WriteHeader(code)
				return
			}
		}
		var p Payload
		if err := json.Unmarshal(body, &p); err != nil || p.Type != req.Header.Get(HeaderEvent) || p.ID != req.Header.Get(HeaderDelivery) {
			http.Error(w, "bad payload", http.StatusBadRequest)
			return
		}
		r.calls = append(r.calls, p)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) types() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, p := range r.calls {
		out = append(out, p.Type)
	}
	return out
}

func fixture(t *testing.T) *profiles.Store {
	s, err := profiles.Open(filepath.Join(t.TempDir(), "matchgrid.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	err = s.Update(func(tx *profiles.Tx) error {
		return errors.Join(
			tx.CreateEvent(&profiles.Event{ID: eventID, Name: "Brokerage", TimeZone: "Europe/Rome", MeetingMinutes: 30, Tables: 4,
				Days: []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "Day", Start: "09:00", End: "12:00"}}}}}),
			tx.CreateOrganization(&profiles.Organization{ID: "o1", EventID: eventID, Name: "One", Kind: profiles.KindSME, Country: "IT"}),
			tx.CreateOrganization(&profiles.Organization{ID: "o2", EventID: eventID, Name: "Two", Kind: profiles.KindSME, Country: "DE"}),
			tx.CreateParticipant(&profiles.Participant{ID: "a", EventID: eventID, OrganizationID: "o1", FirstName: "A", LastName: "A", Type: profiles.TypeDelegate}),
			tx.CreateParticipant(&profiles.Participant{ID: "b", EventID: eventID, OrganizationID: "o2", FirstName: "B", LastName: "B", Type: profiles.TypeDelegate}),
			tx.CreateParticipant(&profiles.Participant{ID: "c", EventID: eventID, OrganizationID: "o2", FirstName: "C", LastName: "C", Type: profiles.TypeDelegate}),
		)
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWebhookCalls(t *testing.T) {
	s := fixture(t)
	all, grid, gone := startReceiver(t), startReceiver(t), startReceiver(t)
	var hooks []*profiles.Webhook
	err := s.Update(func(tx *profiles.Tx) error {
		for _, h := range []struct {
			r     *receiver
			kinds []string
		}{{all, nil}, {grid, []string{GridPublished, GridChanged}}, {gone, []string{RequestSent}}} {
			w, err := Register(tx, eventID, h.r.srv.URL+"/hook", h.kinds, time.Now())
			if err != nil {
				return err
			}
			h.r.secret = w.Secret
			hooks = append(hooks, w)
		}
		_, err := Register(tx, eventID, "ftp://nope.example", nil, time.Now())
		if !errors.Is(err, profiles.ErrInvalid) {
			t.Errorf("an ftp URL registered: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all.fail = func(n int) int { return map[bool]int{true: http.StatusServiceUnavailable}[n == 1] } // the first call fails once
	gone.fail = func(int) int { return http.StatusGone }

	svc := &Service{Store: s, AllowPrivate: true} // the receivers are on loopback
	hub := notify.NewHub(s, svc)
	disp := &notify.Dispatcher{Store: s, Channel: profiles.ChannelWebhook, Sender: svc, Backoff: func(int) time.Duration { return 0 }}
	at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	step := func(fn func(tx *profiles.Tx) error) {
		t.Helper()
		var changes []profiles.Change
		cancel := s.Watch(func(_ uint64, c []profiles.Change) { changes = append(changes, c...) })
		if err := s.Update(fn); err != nil {
			t.Fatal(err)
		}
		cancel()
		if err := hub.Handle(changes); err != nil {
			t.Fatal(err)
		}
		if _, err := disp.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	r1 := &profiles.MeetingRequest{ID: "r1", EventID: eventID, From: "a", To: "b", Status: profiles.RequestPending, CreatedAt: at, UpdatedAt: at}
	r2 := &profiles.MeetingRequest{ID: "r2", EventID: eventID, From: "a", To: "c", Status: profiles.RequestPending, CreatedAt: at, UpdatedAt: at}
	step(func(tx *profiles.Tx) error { return errors.Join(tx.CreateRequest(r1), tx.CreateRequest(r2)) })
	step(func(tx *profiles.Tx) error {
		r1.Status, r2.Status = profiles.RequestAccepted, profiles.RequestDeclined
		return errors.Join(tx.UpdateRequest(r1), tx.UpdateRequest(r2))
	})
	m := &profiles.Meeting{ID: "m1", EventID: eventID, A: "a", B: "b", RequestID: "r1", Slot: 0, Table: 0, Status: profiles.MeetingScheduled}
	step(func(tx *profiles.Tx) error { return tx.CreateMeeting(m) })
	step(func(tx *profiles.Tx) error { m.Locked = true; return tx.UpdateMeeting(m) }) // same arrangement: nothing
	step(func(tx *profiles.Tx) error { m.Table = 2; return tx.UpdateMeeting(m) })
	step(func(tx *profiles.Tx) error { r1.Status = profiles.RequestCancelled; return tx.UpdateRequest(r1) })

	wantAll := []string{RequestSent, RequestSent, RequestAccepted, RequestDeclined, GridPublished, GridChanged, RequestCancelled}
	if got := all.types(); !slices.Equal(got, wantAll) {
		t.Errorf("all-kinds hook got %v, want %v", got, wantAll)
	}
	if got := grid.types(); !slices.Equal(got, []string{GridPublished, GridChanged}) {
		t.Errorf("grid hook got %v", got)
	}
	for _, r := range []*receiver{all, grid, gone} {
		if r.badSig != 0 {
			t.Errorf("%d calls with a bad signature", r.badSig)
		}
	}
	s.View(func(tx *profiles.Tx) error {
		for i, h := range hooks {
			items, err := tx.OutboxOfTarget(eventID, h.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				want := profiles.OutboxSent
				if i == 2 {
					want = profiles.OutboxFailed
				}
				if it.Status != want {
					t.Errorf("hook %d delivery %s: %s (last status %d)", i, it.Kind, it.Status, it.LastStatus)
				}
				if i == 0 && it.Kind == RequestSent && it.Attempts > 1 && it.LastStatus != http.StatusNoContent {
					t.Errorf("retried delivery ended with status %d", it.LastStatus)
				}
			}
		}
		return nil
	})
}

func TestVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"type":"request.sent"}`)
	good := Sign("0123456789abcdef", now, body)
	for _, tc := range []struct {
		name, secret, header string
		body                 []byte
		at                   time.Time
		ok                   bool
	}{
		{"good", "0123456789abcdef", good, body, now, true},
		{"wrong secret", "fedcba9876543210", good, body, now, false},
		{"changed body", "0123456789abcdef", good, []byte(`{"type":"grid.changed"}`), now, false},
		{"replayed later", "0123456789abcdef", good, body, now.Add(10 * time.Minute), false},
		{"garbage", "0123456789abcdef", "sha256=abc", body, now, false},
	} {
		err := Verify(tc.secret, tc.header, tc.body, tc.at, 5*time.Minute)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrSignature)) {
			t.Errorf("%s: Verify = %v", tc.name, err)
		}
	}
}

// FuzzVerify: any header and body either verify (only when signed with
// the secret) or fail with ErrSignature; never a panic.
func FuzzVerify(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	f.Add(Sign("0123456789abcdef", now, []byte("{}")), []byte("{}"))
	f.Add("t=,v1=", []byte(""))
	f.Add("t=1800000000,v1=zz,t=1", []byte("x"))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		err := Verify("0123456789abcdef", header, body, now, 5*time.Minute)
		if err != nil && !errors.Is(err, ErrSignature) {
			t.Fatalf("error %v is not ErrSignature", err)
		}
		if err == nil && header != Sign("0123456789abcdef", now, body) && !strings.Contains(header, "v1="+mac("0123456789abcdef", strings.TrimPrefix(strings.Split(header, ",")[0], "t="), body)) {
			t.Fatalf("header %q verified without the right HMAC", header)
		}
	})
}
