package site

import (
	"bytes"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/calendar"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/sheet"
	"github.com/matchgrid/matchgrid/web/auth"
	"github.com/matchgrid/matchgrid/webhook"
)

// followUpData is the organizer's follow-up page: the funnel, the
// spreadsheets, the e-mail send log and the webhooks.
type followUpData struct {
	Funnel   *matchgrid.Funnel
	Exports  []matchgrid.Export
	Formats  []sheet.Format
	MailLog  []profiles.OutboxItem
	MailMore int // entries beyond the ones shown
	Hooks    []hookRow
	Kinds    []string
}

// hookRow is one webhook with its delivery counts.
type hookRow struct {
	profiles.Webhook
	Sent, Pending, Failed int
	Last                  *profiles.OutboxItem
}

// followUpPage is GET /organizer/e/:event/followup (?suggestions=10 also
// counts the suggested stage of the funnel, which ranks everyone).
func (s *Site) followUpPage(c *gin.Context) {
	eventID := c.Param("event")
	k := 0
	if c.Query("suggestions") != "" {
		k = 10
	}
	d := followUpData{Exports: matchgrid.Exports, Formats: sheet.Formats, Kinds: webhook.Kinds}
	var err error
	if d.Funnel, err = s.engine.Funnel(eventID, k); err == nil {
		d.MailLog, err = s.engine.MailLog(eventID)
	}
	if err == nil {
		d.Hooks, err = s.hookRows(eventID)
	}
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	if len(d.MailLog) > 100 {
		d.MailMore, d.MailLog = len(d.MailLog)-100, d.MailLog[:100]
	}
	var ev *profiles.Event
	if err := s.store.View(func(tx *profiles.Tx) (err error) { ev, err = tx.Event(eventID); return err }); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	s.render(c, http.StatusOK, "followup", &pageView{Title: s.tr(c, "nav.followup", nil) + " – " + ev.Name, Event: ev, Section: "followup", Data: d})
}

func (s *Site) hookRows(eventID string) ([]hookRow, error) {
	hooks, err := s.engine.Webhooks(eventID)
	if err != nil {
		return nil, err
	}
	rows := make([]hookRow, len(hooks))
	for i, h := range hooks {
		rows[i].Webhook = h
		items, err := s.engine.Deliveries(eventID, h.ID)
		if err != nil {
			return nil, err
		}
		for j, it := range items {
			switch it.Status {
			case profiles.OutboxSent:
				rows[i].Sent++
			case profiles.OutboxFailed:
				rows[i].Failed++
			default:
				rows[i].Pending++
			}
			if j == 0 {
				rows[i].Last = &items[0]
			}
		}
	}
	return rows, nil
}

// exportSheet is GET /organizer/e/:event/exports/sheet/:export?format=...
func (s *Site) exportSheet(c *gin.Context) {
	eventID := c.Param("event")
	x, err := matchgrid.ParseExport(c.Param("export"))
	if err == nil {
		var f sheet.Format
		if f, err = sheet.ParseFormat(c.Query("format")); err == nil {
			var buf bytes.Buffer
			if err = s.engine.WriteExport(&buf, eventID, x, f); err == nil {
				sendDownload(c, x.FileName(eventID, f), f.ContentType(), buf.Bytes())
				return
			}
		}
	}
	s.storeErrorPage(c, err)
}

// registerHook is POST /organizer/e/:event/webhooks (url, kinds): the
// signing secret is shown once, in the confirmation.
func (s *Site) registerHook(c *gin.Context) {
	eventID := c.Param("event")
	back := organizerPath(eventID, "/followup")
	w, err := s.engine.RegisterWebhook(eventID, c.PostForm("url"), nonEmptyValues(c.PostFormArray("kinds")))
	if err != nil {
		s.redirectWith(c, back, "error", s.userMessage(c, err))
		return
	}
	s.redirectWith(c, back, "ok", s.tr(c, "flash.hook_registered", map[string]any{"URL": w.URL, "Secret": w.Secret}))
}

// deleteHook is POST /organizer/e/:event/webhooks/:webhook/delete.
func (s *Site) deleteHook(c *gin.Context) {
	eventID := c.Param("event")
	back := organizerPath(eventID, "/followup")
	if err := s.engine.DeleteWebhook(eventID, c.Param("webhook")); err != nil {
		s.redirectWith(c, back, "error", s.userMessage(c, err))
		return
	}
	s.redirectWith(c, back, "ok", s.tr(c, "flash.hook_deleted", nil))
}

// reportRow is one of a participant's past meetings on the agenda page,
// with what they reported of it.
type reportRow struct {
	Entry  calendar.AgendaEntry
	Report *profiles.MeetingReport
}

// reportRows are the participant's meetings that have started, for the
// "after the event" form of the agenda page.
func (s *Site) reportRows(v auth.Viewer, entries []calendar.AgendaEntry, now time.Time) ([]reportRow, error) {
	var reports []profiles.MeetingReport
	err := s.store.View(func(tx *profiles.Tx) (err error) {
		reports, err = tx.ReportsOfParticipant(v.Event, v.Participant)
		return err
	})
	if err != nil {
		return nil, err
	}
	byMeeting := map[string]*profiles.MeetingReport{}
	for i := range reports {
		byMeeting[reports[i].MeetingID] = &reports[i]
	}
	var rows []reportRow
	for _, e := range entries {
		if e.Status != calendar.StatusCancelled && !e.Start.After(now) {
			rows = append(rows, reportRow{Entry: e, Report: byMeeting[e.MeetingID]})
		}
	}
	return rows, nil
}

// reportMyMeeting is POST /e/:event/me/meetings/:meeting/report
// (attendance, agreement, note).
func (s *Site) reportMyMeeting(c *gin.Context) {
	v := auth.ViewerOf(c)
	back := eventPath(v.Event, "/me/agenda")
	r := &profiles.MeetingReport{EventID: v.Event, MeetingID: c.Param("meeting"), ParticipantID: v.Participant,
		Attendance: profiles.Attendance(c.PostForm("attendance")), Agreement: profiles.AgreementType(c.PostForm("agreement")),
		Note: c.PostForm("note"), ReportedAt: time.Now()}
	if err := s.store.Update(func(tx *profiles.Tx) error { return tx.ReportMeeting(r) }); err != nil {
		s.redirectWith(c, back, "error", s.userMessage(c, err))
		return
	}
	s.redirectWith(c, back, "ok", s.tr(c, "flash.report_saved", nil))
}
