package browsertest_test

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/internal/smtptest"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/sheet"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

// TestBrowserFollowUp walks the organizer's mail, spreadsheet and
// after-the-event pages in a real headless Chromium: the organizer sends a
// participant a new personal link by e-mail (to a real SMTP server on
// loopback) and the participant opens it from the received mail; the
// organizer uploads an XLSX workbook with a bad row and sees the row named
// with nothing imported; after the event the participant reports a
// meeting held with an agreement, which the follow-up page counts.
func TestBrowserFollowUp(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	webtest.ChromiumPath(t)
	srv := webtest.StartBrowserServer(t)
	ev := demo.EventID
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := srv.Eng.Schedule(ctx, ev, matchgrid.ScheduleOptions{Budget: 200 * time.Millisecond, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	who, meetingID, email := someoneWithAMeeting(t, srv.Eng)
	inbox := smtptest.Start(t)
	err := srv.Eng.StartNotifications(ctx, matchgrid.NotifyOptions{Poll: 50 * time.Millisecond,
		Mail: &matchgrid.MailOptions{SMTPAddr: inbox.Addr, From: "Meet in Italy <noreply@mit.example>", PublicURL: srv.Base}})
	if err != nil {
		t.Fatal(err)
	}
	shots := webtest.NewShots(t)
	browser := webtest.StartBrowser(t)

	// The organizer ticks the participant and sends a new link by e-mail.
	po := webtest.NewUser(t, browser, "organizer", srv.Base, shots)
	po.Open("/login")
	po.SetValue(`input[name=secret]`, srv.OrganizerSecret)
	po.Submit(`form button, form [type=submit]`)
	po.Open("/organizer/e/" + ev + "/participants?q=" + url.QueryEscape(who)) // the table pages: find them first
	webtest.Eval[bool](po, `(window.confirm = () => true, true)`)             // the links buttons ask first
	po.Click(`#sel-` + who)
	po.Click(`[data-testid=links-by-mail]`)
	po.Submit(`[data-testid=links-selected]`)
	var mails []smtptest.Message
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) { // a hang bound
		if mails = inbox.Messages(); len(mails) > 0 {
			break
		}
		if time.Now().After(deadline) {
			po.Fatalf("no mail reached the SMTP server")
		}
	}
	link := regexp.MustCompile(regexp.QuoteMeta(srv.Base) + `/e/` + ev + `/link\?key=\S+`).FindString(mails[0].Body)
	if mails[0].To != email || link == "" {
		t.Fatalf("mail to %s without the link:\n%s", mails[0].To, mails[0].Body)
	}

	// The participant opens the link from the mail.
	pp := webtest.NewUser(t, browser, "participant", srv.Base, shots)
	u, _ := url.Parse(link)
	pp.Open(u.RequestURI())
	if loc := pp.Location(); !strings.HasSuffix(loc, "/e/"+ev+"/me") {
		pp.Fatalf("the mailed link led to %s", loc)
	}

	// A workbook whose third row is bad: the row is named, nothing imported.
	var book bytes.Buffer
	err = sheet.WriteFile(&book, sheet.XLSX, "registrations", func(w *sheet.Writer) error {
		for _, r := range [][]string{
			{"organization", "kind", "country", "first_name", "last_name", "email"},
			{"Epsilon Srl", "sme", "IT", "Ezio", "Esposito", "ezio@epsilon.example"},
			{"Zeta GmbH", "spaceship", "DE", "Zoe", "Zimmer", "zoe@zeta.example"},
		} {
			if err := w.Write(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	xlsx := filepath.Join(t.TempDir(), "registrations.xlsx")
	if err := os.WriteFile(xlsx, book.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	po.Open("/organizer/e/" + ev + "/participants")
	po.Upload(`#import-file`, xlsx)
	po.Click(`#import-form button[type=submit]`)
	po.WaitVisible(`[data-testid=import-error]`)
	if line, col := po.Text(`[data-testid=import-error-line]`), po.Text(`[data-testid=import-error-column]`); line != "3" || col != "kind" {
		po.Fatalf("the refused workbook names line %q column %q, want 3 and kind", line, col)
	}
	srv.Eng.Store().View(func(tx *profiles.Tx) error {
		if _, err := tx.ParticipantByEmail(ev, "ezio@epsilon.example"); err == nil {
			t.Error("the good row before the bad one was imported")
		}
		return nil
	})
	po.Screenshot("import-refused-xlsx")

	// After the event, the participant reports the meeting held with a
	// license agreement; the organizer's follow-up page counts it.
	moveEventToThePast(t, srv.Eng, ev)
	pp.Open("/e/" + ev + "/me/agenda")
	form := `[data-testid=report][data-meeting=` + webtest.CSSQuote(meetingID) + `]`
	pp.WaitVisible(form)
	pp.Click(form + ` input[name=attendance][value=held]`)
	pp.SetValue(form+` select[name=agreement]`, string(profiles.AgreementLicense))
	pp.Submit(form + ` button[type=submit]`)
	pp.Screenshot("agenda-report")
	srv.Eng.Store().View(func(tx *profiles.Tx) error {
		if m, err := tx.Meeting(ev, meetingID); err != nil || m.Status != profiles.MeetingHeld {
			t.Errorf("after the report the meeting is %v (%v)", m, err)
		}
		return nil
	})
	po.Open("/organizer/e/" + ev + "/followup")
	if held := po.Text(`[data-testid=funnel] [data-stage=held]`); held != "1" {
		po.Fatalf("the follow-up page counts %q meetings held, want 1", held)
	}
	po.Screenshot("organizer-followup")
}

// someoneWithAMeeting returns a participant with an e-mail address and a
// meeting on the grid.
func someoneWithAMeeting(t *testing.T, eng *matchgrid.Engine) (participant, meeting, email string) {
	t.Helper()
	eng.Store().View(func(tx *profiles.Tx) error {
		ms, err := tx.Meetings(demo.EventID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if p, err := tx.Participant(demo.EventID, m.A); err == nil && p.Email != "" && m.Status == profiles.MeetingScheduled {
				participant, meeting, email = p.ID, m.ID, p.Email
				return nil
			}
		}
		return nil
	})
	if participant == "" {
		t.Fatal("the scheduled demo has no meeting with a participant who has an e-mail address")
	}
	return participant, meeting, email
}

// moveEventToThePast shifts the event's days two years back, so that every
// meeting has taken place.
func moveEventToThePast(t *testing.T, eng *matchgrid.Engine, eventID string) {
	t.Helper()
	err := eng.Store().Update(func(tx *profiles.Tx) error {
		ev, err := tx.Event(eventID)
		if err != nil {
			return err
		}
		for i := range ev.Days {
			d, err := time.Parse(time.DateOnly, ev.Days[i].Date)
			if err != nil {
				return err
			}
			ev.Days[i].Date = d.AddDate(-2, 0, 0).Format(time.DateOnly)
		}
		return tx.UpdateEvent(ev)
	})
	if err != nil {
		t.Fatal(err)
	}
}
