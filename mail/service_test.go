package mail

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/internal/smtptest"
	"github.com/matchgrid/matchgrid/notify"
	"github.com/matchgrid/matchgrid/profiles"
)

const eventID = "mit-2027"

// fixture is a store with an event and three participants: Anna speaks
// Italian, Eva English, Luca has no e-mail address.
func fixture(t testing.TB) *profiles.Store {
	t.Helper()
	s, err := profiles.Open(filepath.Join(t.TempDir(), "matchgrid.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	err = s.Update(func(tx *profiles.Tx) error {
		ev := &profiles.Event{ID: eventID, Name: "Meet in Italy 2027", TimeZone: "Europe/Rome", MeetingMinutes: 30, Tables: 5,
			Days: []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "Morning", Start: "09:00", End: "12:00"}}}}}
		steps := []error{
			tx.CreateEvent(ev),
			tx.CreateOrganization(&profiles.Organization{ID: "acme", EventID: eventID, Name: "Acme Diagnostica", Kind: profiles.KindSME, Country: "IT"}),
			tx.CreateOrganization(&profiles.Organization{ID: "charite", EventID: eventID, Name: "Charité", Kind: profiles.KindHospital, Country: "DE"}),
			tx.CreateParticipant(&profiles.Participant{ID: "anna", EventID: eventID, OrganizationID: "acme", FirstName: "Anna", LastName: "Rossi", Email: "anna@acme.example", Languages: []string{"it", "en"}, Type: profiles.TypeDelegate}),
			tx.CreateParticipant(&profiles.Participant{ID: "eva", EventID: eventID, OrganizationID: "charite", FirstName: "Eva", LastName: "Schmidt", Email: "eva@charite.example", Languages: []string{"de"}, Type: profiles.TypeDelegate}),
			tx.CreateParticipant(&profiles.Participant{ID: "luca", EventID: eventID, OrganizationID: "acme", FirstName: "Luca", LastName: "Verdi", Type: profiles.TypeDelegate}),
		}
		return errors.Join(steps...)
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rig is a store, the mail service on a real SMTP server, the hub and a dispatcher.
type rig struct {
	store *profiles.Store
	in    *smtptest.Server
	svc   *Service
	disp  *notify.Dispatcher
	hub   *notify.Hub
}

func newRig(t *testing.T) *rig {
	s := fixture(t)
	in := smtptest.Start(t)
	svc := &Service{From: "Meet in Italy <noreply@mit.example>", Transport: &SMTP{Addr: in.Addr, Timeout: 10 * time.Second}, PublicURL: "http://b2b.example/"}
	r := &rig{store: s, in: in, svc: svc, hub: notify.NewHub(s, svc),
		disp: &notify.Dispatcher{Store: s, Channel: profiles.ChannelMail, Sender: svc, Backoff: func(int) time.Duration { return 0 }}}
	r.hub.OnError = func(err error) { t.Error(err) }
	if err := r.hub.Begin(); err != nil { // the test's writes may come before the hub's goroutine
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.hub.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return r
}

// log returns the send log, oldest first.
func (r *rig) log(t *testing.T) []profiles.OutboxItem {
	t.Helper()
	var items []profiles.OutboxItem
	r.store.View(func(tx *profiles.Tx) (err error) { items, err = tx.Outbox(eventID, profiles.ChannelMail); return err })
	slices.Reverse(items)
	return items
}

// settle waits until the hub has queued n mails in all (a hang bound, not
// a speed test), then delivers what is due.
func (r *rig) settle(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for len(r.log(t)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("the hub queued %d mails, want %d", len(r.log(t)), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // let a wrong extra notice arrive, so that the count below catches it
	if _, err := r.disp.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := len(r.log(t)); got != n {
		t.Fatalf("%d mails queued, want %d: %+v", got, n, r.log(t))
	}
}

func (r *rig) update(t *testing.T, fn func(tx *profiles.Tx) error) {
	t.Helper()
	if err := r.store.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func TestMailsFollowTheStore(t *testing.T) {
	r := newRig(t)
	at := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	req := &profiles.MeetingRequest{ID: "req-1", EventID: eventID, From: "anna", To: "eva", Message: "Parliamo di sepsi?", Status: profiles.RequestPending, CreatedAt: at, UpdatedAt: at}
	r.update(t, func(tx *profiles.Tx) error { return tx.CreateRequest(req) })
	r.settle(t, 1)
	// Saving the request again in the same state notifies nothing new.
	r.update(t, func(tx *profiles.Tx) error { req.UpdatedAt = at.Add(time.Minute); return tx.PutRequest(req) })
	r.update(t, func(tx *profiles.Tx) error { req.Status = profiles.RequestAccepted; return tx.UpdateRequest(req) })
	r.settle(t, 2)
	m := &profiles.Meeting{ID: "m1", EventID: eventID, A: "anna", B: "eva", RequestID: "req-1", Slot: 1, Table: 2, Status: profiles.MeetingScheduled}
	r.update(t, func(tx *profiles.Tx) error { return tx.CreateMeeting(m) })
	r.settle(t, 4)
	// Locking leaves the agenda as it was: no mail. Moving it changes both agendas.
	r.update(t, func(tx *profiles.Tx) error { m.Locked = true; return tx.UpdateMeeting(m) })
	r.update(t, func(tx *profiles.Tx) error { m.Slot = 3; return tx.UpdateMeeting(m) })
	r.settle(t, 6)

	want := []struct {
		kind    Kind
		to      string
		subject string
		body    []string
	}{
		{KindRequestReceived, "eva@charite.example", "Anna Rossi would like to meet you at Meet in Italy 2027", []string{"Acme Diagnostica", "Parliamo di sepsi?", "http://b2b.example/e/mit-2027/me/requests"}},
		{KindRequestAccepted, "anna@acme.example", "Eva Schmidt ha accettato la tua richiesta di incontro a Meet in Italy 2027", []string{"Charité"}},
		{KindAgendaPublished, "anna@acme.example", "La tua agenda per Meet in Italy 2027", []string{"mar 16 mar 09:30-10:00  T3  Eva Schmidt (Charité)"}},
		{KindAgendaPublished, "eva@charite.example", "Your agenda for Meet in Italy 2027", []string{"Tue 16 Mar 09:30-10:00  T3  Anna Rossi (Acme Diagnostica)"}},
		{KindAgendaChanged, "anna@acme.example", "La tua agenda per Meet in Italy 2027 è cambiata", []string{"mar 16 mar 10:30-11:00"}},
		{KindAgendaChanged, "eva@charite.example", "Your agenda for Meet in Italy 2027 has changed", []string{"Tue 16 Mar 10:30-11:00"}},
	}
	got := r.in.Messages()
	if len(got) != len(want) {
		t.Fatalf("the SMTP server received %d mails, want %d", len(got), len(want))
	}
	log := r.log(t)
	slices.SortStableFunc(got[2:4], func(a, b smtptest.Message) int { return strings.Compare(a.To, b.To) })
	slices.SortStableFunc(got[4:6], func(a, b smtptest.Message) int { return strings.Compare(a.To, b.To) })
	for i, w := range want {
		g := got[i]
		if g.To != w.to || g.Subject != w.subject {
			t.Errorf("mail %d: to %s %q, want to %s %q", i, g.To, g.Subject, w.to, w.subject)
		}
		for _, frag := range w.body {
			if !strings.Contains(g.Body, frag) {
				t.Errorf("mail %d (%s) lacks %q:\n%s", i, w.kind, frag, g.Body)
			}
		}
		if g.From != "noreply@mit.example" {
			t.Errorf("envelope sender %q", g.From)
		}
	}
	for _, it := range log {
		if it.Status != profiles.OutboxSent || it.Attempts != 1 || it.DoneAt == nil {
			t.Errorf("log entry %s %s: status %s after %d attempts", it.Kind, it.Target, it.Status, it.Attempts)
		}
	}
}

// TestMailRetriesThenSends: the server refuses twice with a temporary
// error, then accepts; a permanent refusal fails at once.
func TestMailRetriesThenSends(t *testing.T) {
	r := newRig(t)
	r.in.Reject(func(n int) error {
		if n <= 2 {
			return smtptest.SMTPError(451, "try again later")
		}
		return nil
	})
	at := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	r.update(t, func(tx *profiles.Tx) error {
		return tx.CreateRequest(&profiles.MeetingRequest{ID: "req-1", EventID: eventID, From: "anna", To: "eva", Status: profiles.RequestPending, CreatedAt: at, UpdatedAt: at})
	})
	r.settle(t, 1)
	it := r.log(t)[0]
	if it.Status != profiles.OutboxSent || it.Attempts != 3 || len(r.in.Messages()) != 1 {
		t.Fatalf("after two refusals: status %s, %d attempts, %d received", it.Status, it.Attempts, len(r.in.Messages()))
	}

	r.in.Reject(func(int) error { return smtptest.SMTPError(550, "no such user") })
	r.update(t, func(tx *profiles.Tx) error {
		return tx.CreateRequest(&profiles.MeetingRequest{ID: "req-2", EventID: eventID, From: "luca", To: "eva", Status: profiles.RequestPending, CreatedAt: at, UpdatedAt: at})
	})
	r.settle(t, 2)
	it = r.log(t)[1]
	if it.Status != profiles.OutboxFailed || it.Attempts != 1 || !strings.Contains(it.LastError, "550") {
		t.Errorf("after a permanent refusal: %+v", it)
	}
}

// TestLinkMails: a personal link reaches the participant in their
// language, is never stored, and someone without an address is logged as
// skipped.
func TestLinkMails(t *testing.T) {
	r := newRig(t)
	links := []Link{{ParticipantID: "anna", Path: "/e/mit-2027/link?key=SECRET-ANNA"}, {ParticipantID: "luca", Path: "/e/mit-2027/link?key=SECRET-LUCA"}}
	var queued int
	r.update(t, func(tx *profiles.Tx) (err error) { queued, err = r.svc.QueueLinks(tx, eventID, links); return err })
	// Queuing the same links again (a double click) adds nothing.
	r.update(t, func(tx *profiles.Tx) error { _, err := r.svc.QueueLinks(tx, eventID, links); return err })
	r.settle(t, 2)
	if queued != 1 {
		t.Errorf("queued %d link mails, want 1", queued)
	}
	got := r.in.Messages()
	if len(got) != 1 || !strings.Contains(got[0].Body, "http://b2b.example/e/mit-2027/link?key=SECRET-ANNA") || got[0].Subject != "Il tuo link personale per Meet in Italy 2027" {
		t.Fatalf("received %+v", got)
	}
	for _, it := range r.log(t) {
		if strings.Contains(it.Body, "SECRET") {
			t.Errorf("the send log keeps the secret: %q", it.Body)
		}
		if it.ParticipantID == "luca" && it.Status != profiles.OutboxSkipped {
			t.Errorf("mail to a participant without address: %s", it.Status)
		}
	}
	// After a restart the link is gone: the queued mail fails instead of leaking it.
	svc2 := &Service{From: r.svc.From, Transport: r.svc.Transport, PublicURL: r.svc.PublicURL}
	r.update(t, func(tx *profiles.Tx) error {
		_, err := r.svc.QueueLinks(tx, eventID, []Link{{ParticipantID: "eva", Path: "/e/mit-2027/link?key=SECRET-EVA"}})
		return err
	})
	r.disp.Sender = svc2
	r.settle(t, 3)
	if it := r.log(t)[2]; it.Status != profiles.OutboxFailed || !strings.Contains(it.LastError, "send a new link") {
		t.Errorf("link mail after a restart: %s %q", it.Status, it.LastError)
	}
}

// TestDirTransport writes a mail as an .eml file that a mail reader parses.
func TestDirTransport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	item := &profiles.OutboxItem{ID: "ob-1", Target: "eva@charite.example", Subject: "Città — agenda", Lang: "it"}
	msg, err := Message("noreply@mit.example", item, "Ciao Eva\n= soldi\n", time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if err := (&Dir{Path: dir}).Deliver(context.Background(), "", "", item.ID, msg); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "ob-1.eml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := smtptest.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if m.Body != "Ciao Eva\n= soldi\n" || m.Subject != "Città — agenda" {
		t.Errorf("eml: subject %q body %q", m.Subject, m.Body)
	}
}

// TestCatalogComplete: every kind renders in every language with a subject.
func TestCatalogComplete(t *testing.T) {
	data := mailData{Event: "E", Zone: "Europe/Rome", Name: "N", Partner: "P", Organization: "O", Link: "http://x", Agenda: []string{"a"}}
	for _, k := range Kinds {
		for _, lang := range Languages {
			if catalog[string(k)+"."+lang] == nil {
				t.Errorf("no text %s.%s", k, lang)
				continue
			}
			subj, body, err := Render(k, lang, data)
			if err != nil || subj == "" || !strings.Contains(body, "http://x") {
				t.Errorf("%s.%s: subject %q, err %v, body %q", k, lang, subj, err, body)
			}
		}
	}
	if Language([]string{"de", "IT"}) != "it" || Language(nil) != "en" {
		t.Error("Language picks wrongly")
	}
}

// TestMailInTheReadersLanguage: every kind of mail goes out in the
// language the recipient reads matchgrid in (Participant.Lang), whatever
// languages they speak: Anna (speaks Italian) chose English, Eva (speaks
// German) chose Italian.
func TestMailInTheReadersLanguage(t *testing.T) {
	r := newRig(t)
	r.update(t, func(tx *profiles.Tx) error {
		for id, lang := range map[string]string{"anna": "en", "eva": "it"} {
			p, err := tx.Participant(eventID, id)
			if err != nil {
				return err
			}
			p.Lang = lang
			if err := tx.UpdateParticipant(p); err != nil {
				return err
			}
		}
		return nil
	})
	at := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	req := &profiles.MeetingRequest{ID: "req-1", EventID: eventID, From: "anna", To: "eva", Status: profiles.RequestPending, CreatedAt: at, UpdatedAt: at}
	r.update(t, func(tx *profiles.Tx) error { return tx.CreateRequest(req) })
	r.settle(t, 1)
	r.update(t, func(tx *profiles.Tx) error { req.Status = profiles.RequestAccepted; return tx.UpdateRequest(req) })
	r.settle(t, 2)
	m := &profiles.Meeting{ID: "m1", EventID: eventID, A: "anna", B: "eva", RequestID: "req-1", Slot: 1, Table: 2, Status: profiles.MeetingScheduled}
	r.update(t, func(tx *profiles.Tx) error { return tx.CreateMeeting(m) })
	r.settle(t, 4)
	r.update(t, func(tx *profiles.Tx) error { m.Slot = 3; return tx.UpdateMeeting(m) })
	r.settle(t, 6)
	r.update(t, func(tx *profiles.Tx) (err error) {
		_, err = r.svc.QueueLinks(tx, eventID, []Link{{ParticipantID: "anna", Path: "/l?key=A"}, {ParticipantID: "eva", Path: "/l?key=E"}})
		return err
	})
	r.settle(t, 8)
	want := map[string]string{"anna@acme.example": "en", "eva@charite.example": "it"}
	partner := map[string]string{"anna@acme.example": "Eva Schmidt", "eva@charite.example": "Anna Rossi"}
	kinds := map[Kind]int{}
	for _, it := range r.log(t) {
		kinds[Kind(it.Kind)]++
		if it.Lang != want[it.Target] {
			t.Errorf("%s to %s in %q, want %q", it.Kind, it.Target, it.Lang, want[it.Target])
		}
		subject, _, err := Render(Kind(it.Kind), want[it.Target], mailData{Event: "Meet in Italy 2027", Partner: partner[it.Target]})
		if err != nil || it.Subject != subject {
			t.Errorf("%s to %s: subject %q is not in %s (%v)", it.Kind, it.Target, it.Subject, want[it.Target], err)
		}
	}
	if len(kinds) != 5 {
		t.Errorf("kinds sent: %v, want all five", kinds)
	}
}
