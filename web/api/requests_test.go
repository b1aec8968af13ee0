package api_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/api"
)

// setPolicy changes the request policy of event "ev".
func setPolicy(t *testing.T, f *fixture, p profiles.RequestPolicy) {
	t.Helper()
	err := f.Eng.Store().Update(func(tx *profiles.Tx) error {
		ev, err := tx.Event("ev")
		if err != nil {
			return err
		}
		ev.Policy = p
		return tx.UpdateEvent(ev)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return v
}

// TestRequestLifeCycle: B asks C for a meeting; C sees it in the inbox,
// accepts; either side may then cancel; the lists show each side its
// counterpart by name and never the other's e-mail.
func TestRequestLifeCycle(t *testing.T) {
	f := newFixture(t, web.Config{})
	const ev = "/api/v1/events/ev"
	resp, body := f.Do(roleB, "POST", ev+"/participants/p-b/requests", `{"to":"p-c","message":"Shall we meet?","opportunity_id":"opp-b"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("send: %d %s", resp.StatusCode, body)
	}
	sent := decode[api.RequestView](t, body)
	if sent.Status != profiles.RequestPending || sent.Direction != "outgoing" || sent.Counterpart.Name != "Carla Weiss" ||
		sent.Counterpart.Organization != "Gamma University" || sent.ExpiresAt != nil {
		t.Fatalf("sent = %+v", sent)
	}

	resp, body = f.Do("C", "GET", ev+"/participants/p-c/requests?status=pending", "")
	inbox := decode[api.RequestsView](t, body)
	// C has A's pending rAC and B's new one; C's accepted rCA is filtered out.
	if resp.StatusCode != 200 || len(inbox.Incoming) != 2 || len(inbox.Outgoing) != 0 {
		t.Fatalf("C's pending requests = %+v", inbox)
	}
	for _, r := range inbox.Incoming {
		if r.ID == sent.ID && (r.Counterpart.Name != "Bruno Blanc" || r.Message != "Shall we meet?" || r.Direction != "incoming") {
			t.Errorf("C sees B's request as %+v", r)
		}
	}
	noSecretsOf(t, "C", body)

	// B is the sender: B cannot accept; C can, once.
	if resp, _ := f.Do(roleB, "POST", ev+"/requests/"+sent.ID+"/accept", ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the sender accepted their own request: %d", resp.StatusCode)
	}
	resp, body = f.Do("C", "POST", ev+"/requests/"+sent.ID+"/accept", "")
	if got := decode[api.RequestView](t, body); resp.StatusCode != 200 || got.Status != profiles.RequestAccepted || got.Direction != "incoming" {
		t.Fatalf("accept: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.Do("C", "POST", ev+"/requests/"+sent.ID+"/decline", ""); resp.StatusCode != http.StatusConflict {
		t.Errorf("declining an accepted request: %d, want 409", resp.StatusCode)
	}
	// A, no party to it, does not see it and cannot touch it.
	if resp, _ := f.Do(roleA, "POST", ev+"/requests/"+sent.ID+"/cancel", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("A cancelled B and C's request: %d", resp.StatusCode)
	}
	// The receiver may cancel an accepted request.
	resp, body = f.Do("C", "POST", ev+"/requests/"+sent.ID+"/cancel", "")
	if got := decode[api.RequestView](t, body); resp.StatusCode != 200 || got.Status != profiles.RequestCancelled {
		t.Fatalf("cancel: %d %s", resp.StatusCode, body)
	}
	resp, body = f.Do(roleB, "GET", ev+"/participants/p-b/requests", "")
	boxes := decode[api.RequestsView](t, body)
	var found bool
	for _, r := range boxes.Outgoing {
		found = found || (r.ID == sent.ID && r.Status == profiles.RequestCancelled)
	}
	if !found {
		t.Errorf("B's outbox does not show the cancelled request: %s", body)
	}
	noSecretsOf(t, roleB, body)
}

// TestRequestPolicy: the event's policy decides the state of a new
// request, caps pending ones and sets the expiry.
func TestRequestPolicy(t *testing.T) {
	const ev = "/api/v1/events/ev"
	tests := []struct {
		name   string
		policy profiles.RequestPolicy
		// B sends to C then to D.
		wantStatus [2]int
		wantState  profiles.RequestStatus
		wantExpiry time.Duration
	}{
		{"acceptance required", profiles.RequestPolicy{}, [2]int{201, 201}, profiles.RequestPending, 0},
		{"auto-accept", profiles.RequestPolicy{AutoAccept: true, MaxPendingOutgoing: 1}, [2]int{201, 201}, profiles.RequestAccepted, 0},
		{"one pending at a time", profiles.RequestPolicy{MaxPendingOutgoing: 1}, [2]int{201, 409}, profiles.RequestPending, 0},
		{"expiry", profiles.RequestPolicy{ExpiryHours: 48}, [2]int{201, 201}, profiles.RequestPending, 48 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, web.Config{})
			setPolicy(t, f, tt.policy)
			before := time.Now()
			for i, to := range []string{"p-c", "p-d"} {
				resp, body := f.Do(roleB, "POST", ev+"/participants/p-b/requests", `{"to":"`+to+`"}`)
				if resp.StatusCode != tt.wantStatus[i] {
					t.Fatalf("request to %s: %d, want %d: %s", to, resp.StatusCode, tt.wantStatus[i], body)
				}
				if resp.StatusCode != http.StatusCreated {
					continue
				}
				r := decode[api.RequestView](t, body)
				if r.Status != tt.wantState {
					t.Errorf("request to %s is %s, want %s", to, r.Status, tt.wantState)
				}
				switch {
				case tt.wantExpiry == 0 && r.ExpiresAt != nil:
					t.Errorf("request expires at %v, want never", r.ExpiresAt)
				case tt.wantExpiry != 0 && (r.ExpiresAt == nil || r.ExpiresAt.Before(before.Add(tt.wantExpiry)) || r.ExpiresAt.After(time.Now().Add(tt.wantExpiry))):
					t.Errorf("request expires at %v, want %v after sending", r.ExpiresAt, tt.wantExpiry)
				}
			}
		})
	}
}

// TestSendRateLimit: a participant sending many requests in a burst is
// slowed down with 429 and Retry-After, whatever the requests say; other
// participants are not.
func TestSendRateLimit(t *testing.T) {
	f := newFixture(t, web.Config{})
	const ev = "/api/v1/events/ev"
	limited := 0
	for range 25 {
		resp, _ := f.Do(roleB, "POST", ev+"/participants/p-b/requests", `{"to":"p-nobody"}`)
		switch resp.StatusCode {
		case http.StatusTooManyRequests:
			limited++
			if resp.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		case http.StatusUnprocessableEntity:
		default:
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	if limited == 0 || limited > 5 {
		t.Errorf("%d of 25 sends limited, want the ones past the burst of 20", limited)
	}
	if resp, body := f.Do(roleA, "POST", ev+"/participants/p-a/requests", `{"to":"p-d"}`); resp.StatusCode != http.StatusCreated {
		t.Errorf("A is limited by B's burst: %d %s", resp.StatusCode, body)
	}
}

// TestExpiredRequestShownExpired: a pending request past its expiry is
// listed as expired before any write marks it, and can no longer be accepted.
func TestExpiredRequestShownExpired(t *testing.T) {
	f := newFixture(t, web.Config{})
	err := f.Eng.Store().Update(func(tx *profiles.Tx) error {
		r, err := tx.Request("ev", "rAB")
		if err != nil {
			return err
		}
		past := time.Now().Add(-time.Hour)
		r.ExpiresAt = &past
		return tx.PutRequest(r)
	})
	if err != nil {
		t.Fatal(err)
	}
	_, body := f.Do(roleB, "GET", "/api/v1/events/ev/participants/p-b/requests?status=expired", "")
	boxes := decode[api.RequestsView](t, body)
	if len(boxes.Incoming) != 1 || boxes.Incoming[0].ID != "rAB" || boxes.Incoming[0].Status != profiles.RequestExpired {
		t.Fatalf("B's expired requests = %s", body)
	}
	if resp, body := f.Do(roleB, "POST", "/api/v1/events/ev/requests/rAB/accept", ""); resp.StatusCode != 409 {
		t.Errorf("accepting an expired request: %d %s", resp.StatusCode, body)
	}
}
