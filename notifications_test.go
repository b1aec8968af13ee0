package matchgrid

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/webhook"
)

// waitFor polls cond until it holds; the bound catches a hang, it does
// not measure speed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestNotificationsFromOnePlace: a request accepted through the store
// reaches both the mail (development mode: an .eml file in the data
// directory) and a webhook on a real loopback receiver.
func TestNotificationsFromOnePlace(t *testing.T) {
	eng := openSmall(t)
	var mu sync.Mutex
	var kinds []string
	var secret string
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if err := webhook.Verify(secret, r.Header.Get(webhook.HeaderSignature), body, time.Now(), time.Minute); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		kinds = append(kinds, r.Header.Get(webhook.HeaderEvent))
	}))
	defer recv.Close()
	hook, err := eng.RegisterWebhook("ev", recv.URL, []string{webhook.RequestAccepted})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	secret = hook.Secret
	mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err = eng.StartNotifications(ctx, NotifyOptions{Mail: &MailOptions{Dev: true, PublicURL: "http://b2b.example"}, Poll: 20 * time.Millisecond,
		OnError: func(err error) { t.Error(err) }})
	if err != nil {
		t.Fatal(err)
	}
	// p4 -> p2 is pending in openSmall; p2 accepts. p4 has no address, so the
	// mail is logged as skipped; the webhook is called.
	err = eng.Store().Update(func(tx *profiles.Tx) error {
		r, err := tx.Request("ev", "r42")
		if err != nil {
			return err
		}
		r.Status = profiles.RequestAccepted
		return tx.UpdateRequest(r)
	})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the webhook call", func() bool { mu.Lock(); defer mu.Unlock(); return len(kinds) == 1 })
	waitFor(t, "the mail log entry", func() bool { log, _ := eng.MailLog("ev"); return len(log) == 1 })
	log, _ := eng.MailLog("ev")
	if log[0].Kind != "request_accepted" || log[0].Status != profiles.OutboxSkipped || log[0].ParticipantID != "p4" {
		t.Errorf("mail log %+v", log[0])
	}
	// p1 (ann@example.org) gets a link by mail, written as an .eml file.
	if _, n, err := eng.MailLinks("ev", []string{"p1"}); err != nil || n != 1 {
		t.Fatalf("MailLinks: %d queued, %v", n, err)
	}
	var eml []byte
	waitFor(t, "the .eml file", func() bool {
		files, _ := filepath.Glob(filepath.Join(eng.Dir(), MailDir, "*.eml"))
		if len(files) == 1 {
			eml, _ = os.ReadFile(files[0])
		}
		return len(files) == 1
	})
	if !strings.Contains(string(eml), "To: <ann@example.org>") || !strings.Contains(string(eml), "http://b2b.example/e/ev/link?key=3D") {
		t.Errorf(".eml file:\n%s", eml)
	}
	waitFor(t, "the delivery logged as sent", func() bool {
		d, err := eng.Deliveries("ev", hook.ID)
		return err == nil && len(d) == 1 && d[0].Status == profiles.OutboxSent && d[0].LastStatus == http.StatusOK
	})
}
