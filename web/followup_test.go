package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/internal/smtptest"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/sheet"
	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

var linkInMail = regexp.MustCompile(`http://127\.0\.0\.1:\d+/e/ev/link\?key=\S+`)

// TestLinksByMail: the organizer sends D a new link by e-mail from the
// participants page; it reaches a real SMTP server on loopback, and the
// link in the received mail signs D in.
func TestLinksByMail(t *testing.T) {
	f := webtest.NewFixture(t, web.Config{})
	inbox := smtptest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := f.Eng.StartNotifications(ctx, matchgrid.NotifyOptions{Poll: 20 * time.Millisecond,
		Mail: &matchgrid.MailOptions{SMTPAddr: inbox.Addr, From: "Event ev <noreply@ev.example>", PublicURL: f.Base}})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := f.Do(webtest.RoleOrg, "POST", "/organizer/e/ev/links", "scope=selected&participant=p-d&deliver=mail",
		"Content-Type", "application/x-www-form-urlencoded")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send links: %d %s", resp.StatusCode, body)
	}
	var got []smtptest.Message
	for deadline := time.Now().Add(30 * time.Second); len(got) == 0; got = inbox.Messages() { // a hang bound
		if time.Now().After(deadline) {
			t.Fatal("no mail reached the SMTP server")
		}
		time.Sleep(10 * time.Millisecond)
	}
	m := got[0]
	link := linkInMail.FindString(m.Body)
	if m.To != "diego@delta.example" || link == "" {
		t.Fatalf("mail to %s without a link:\n%s", m.To, m.Body)
	}
	u, _ := url.Parse(link)
	resp, _ = f.Do(webtest.RoleAnon, "GET", u.RequestURI(), "")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/e/ev/me" || len(resp.Cookies()) == 0 {
		t.Errorf("opening the mailed link: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	log, err := f.Eng.MailLog("ev")
	if err != nil || len(log) != 1 || log[0].Status != profiles.OutboxSent || strings.Contains(log[0].Body, "key=") {
		t.Errorf("send log %+v, %v", log, err)
	}
}

// TestXLSXUploadBadRow: a workbook with a bad third row, uploaded on the
// participants page, names the row and column and imports nothing.
func TestXLSXUploadBadRow(t *testing.T) {
	f := webtest.NewFixture(t, web.Config{})
	var book bytes.Buffer
	err := sheet.WriteFile(&book, sheet.XLSX, "registrations", func(w *sheet.Writer) error {
		for _, r := range [][]string{
			{"organization", "kind", "country", "first_name", "last_name", "email"},
			{"Epsilon", "sme", "IT", "Ezio", "Esposito", "ezio@epsilon.example"},
			{"Zeta", "spaceship", "DE", "Zoe", "Zimmer", "zoe@zeta.example"},
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
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "registrations.xlsx")
	fw.Write(book.Bytes())
	mw.Close()
	resp, body := f.Do(webtest.RoleOrg, "POST", "/organizer/e/ev/participants/import", form.String(), "Content-Type", mw.FormDataContentType())
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "registrations.xlsx") ||
		!strings.Contains(string(body), "spaceship") || !regexp.MustCompile(`(?s)[Ll]ine.{0,80}3`).Match(body) {
		t.Errorf("bad workbook: %d\n%.2000s", resp.StatusCode, body)
	}
	f.Eng.Store().View(func(tx *profiles.Tx) error {
		if _, err := tx.ParticipantByEmail("ev", "ezio@epsilon.example"); err == nil {
			t.Error("the good row before the bad one was imported")
		}
		return nil
	})
}

// TestReportAfterTheEvent: A reports a meeting held with a license
// agreement on the agenda page; the meeting is held and the organizer's
// follow-up page counts it.
func TestReportAfterTheEvent(t *testing.T) {
	f := webtest.NewFixture(t, web.Config{})
	eventPast(t, f)
	resp, body := f.Do(webtest.RoleA, "GET", "/e/ev/me/agenda", "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `data-testid="report" data-meeting="m-rCA"`) {
		t.Fatalf("agenda after the event has no report form: %d", resp.StatusCode)
	}
	resp, _ = f.Do(webtest.RoleA, "POST", "/e/ev/me/meetings/m-rCA/report", "attendance=held&agreement=license&note=term+sheet",
		"Content-Type", "application/x-www-form-urlencoded")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("report: %d", resp.StatusCode)
	}
	f.Eng.Store().View(func(tx *profiles.Tx) error {
		m, _ := tx.Meeting("ev", "m-rCA")
		if m.Status != profiles.MeetingHeld {
			t.Errorf("meeting status %s", m.Status)
		}
		return nil
	})
	resp, body = f.Do(webtest.RoleOrg, "GET", "/organizer/e/ev/followup", "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `data-stage="held">1<`) || !strings.Contains(string(body), "License agreement") {
		t.Errorf("follow-up page: %d\n%.3000s", resp.StatusCode, body)
	}
	resp, body = f.Do(webtest.RoleOrg, "GET", "/organizer/e/ev/followup", "", "Accept-Language", "it-IT,it;q=0.9")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Accordo di licenza") || !strings.Contains(string(body), "Dal suggerimento all&#39;accordo") {
		t.Errorf("the Italian follow-up page: %d\n%.3000s", resp.StatusCode, body)
	}
}
