package site

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/calendar"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
	"github.com/matchgrid/matchgrid/web/httperr"
)

// agendaDay groups a day's agenda entries.
type agendaDay struct {
	Date    time.Time
	Entries []calendar.AgendaEntry
}

// agendaPageData is the participant's agenda page.
type agendaPageData struct {
	Days      []agendaDay
	Meetings  int // confirmed ones
	Cancelled int
	// FeedURL is the calendar subscription address (secret-bearing);
	// WebcalURL the same for calendar apps that register webcal:.
	FeedURL   string
	WebcalURL template.URL // html/template would refuse the webcal: scheme
	// Unscheduled are accepted meetings the grid has no slot for yet.
	Unscheduled []personCard
	// Own is the participant's time zone when it differs from the event's.
	Own *time.Location
	// Past are the meetings that have started, to report held or no-show.
	Past       []reportRow
	Agreements []profiles.AgreementType
	// Online: the participant meets by video call, so their meetings show
	// the video link where an on-site participant's show the table.
	Online bool
}

// agendaPage is GET /e/:event/me/agenda: the participant's meetings with
// slot time, table and partner, the downloads and the subscription URL.
func (s *Site) agendaPage(c *gin.Context) {
	v := auth.ViewerOf(c)
	ev, entries, err := s.engine.Agenda(v.Event, v.Participant)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	d := agendaPageData{}
	for _, e := range entries {
		if e.Status == calendar.StatusCancelled {
			d.Cancelled++
		} else {
			d.Meetings++
		}
		y, m, day := e.Start.Date()
		if n := len(d.Days); n == 0 || !sameDate(d.Days[n-1].Date, y, m, day) {
			d.Days = append(d.Days, agendaDay{Date: e.Start})
		}
		d.Days[len(d.Days)-1].Entries = append(d.Days[len(d.Days)-1].Entries, e)
	}
	feed, err := s.feedURL(c, v.Event, v.Participant)
	if err == nil {
		d.Unscheduled, err = s.unscheduled(v.Event, v.Participant)
	}
	if err == nil {
		err = s.store.View(func(tx *profiles.Tx) error {
			me, err := tx.Participant(v.Event, v.Participant)
			if err == nil {
				d.Own, d.Online = ownZone(ev, me), me.Type == profiles.TypeOnline
			}
			return err
		})
	}
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	d.FeedURL, d.Agreements = feed, profiles.AgreementTypes
	if d.Past, err = s.reportRows(v, entries, time.Now()); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	d.WebcalURL = template.URL("webcal" + strings.TrimPrefix(strings.TrimPrefix(feed, "https"), "http"))
	s.render(c, http.StatusOK, "agenda", &pageView{Title: "title.agenda", Event: ev, Section: "agenda", Data: d})
}

// unscheduled returns the partners of participant me's accepted requests
// that have no meeting on the grid yet, in the order they were accepted.
func (s *Site) unscheduled(eventID, me string) ([]personCard, error) {
	var out []personCard
	err := s.store.View(func(tx *profiles.Tx) error {
		meetings, err := tx.MeetingsOfParticipant(eventID, me)
		if err != nil {
			return err
		}
		placed := map[string]bool{}
		for _, m := range meetings {
			if m.Status != profiles.MeetingCancelled {
				placed[m.RequestID] = true
			}
		}
		open, err := openRequests(tx, eventID, me)
		if err != nil {
			return err
		}
		var accepted []profiles.MeetingRequest
		for _, r := range open.partner {
			if r.Status == profiles.RequestAccepted && !placed[r.ID] {
				accepted = append(accepted, r)
			}
		}
		slices.SortFunc(accepted, func(a, b profiles.MeetingRequest) int {
			return cmp.Or(a.UpdatedAt.Compare(b.UpdatedAt), cmp.Compare(a.ID, b.ID))
		})
		for _, r := range accepted {
			other := r.To
			if other == me {
				other = r.From
			}
			p, err := tx.Participant(eventID, other)
			if err != nil {
				return err
			}
			out = append(out, personCardOf(p))
		}
		return nil
	})
	return out, err
}

func sameDate(t time.Time, y int, m time.Month, d int) bool {
	ty, tm, td := t.Date()
	return ty == y && tm == m && td == d
}

// feedURL is the absolute subscription URL of a participant's calendar.
func (s *Site) feedURL(c *gin.Context, eventID, participantID string) (string, error) {
	var hash string
	err := s.store.View(func(tx *profiles.Tx) error {
		p, err := tx.Participant(eventID, participantID)
		if err == nil {
			hash = p.SecretHash
		}
		return err
	})
	if err != nil {
		return "", err
	}
	return s.baseURL(c) + eventPath(eventID, "/calendar/"+url.PathEscape(participantID)+".ics") +
		"?key=" + s.sessions.CalendarToken(eventID, participantID, hash), nil
}

// calendarFeed is GET /e/:event/calendar/:participant.ics?key=TOKEN: the
// subscription a calendar app polls. It carries no cookie, so the key is
// the authorization; a wrong key is a 404 and counts as a failed sign-in.
func (s *Site) calendarFeed(c *gin.Context) {
	eventID := c.Param("event")
	id, ok := strings.CutSuffix(c.Param("file"), ".ics")
	var hash string
	err := s.store.View(func(tx *profiles.Tx) error {
		p, err := tx.Participant(eventID, id)
		if err == nil {
			hash = p.SecretHash
		}
		return err
	})
	want := s.sessions.CalendarToken(eventID, id, hash)
	if !ok || err != nil || hash == "" || !hmac.Equal([]byte(c.Query("key")), []byte(want)) {
		if s.sessions.Logins.Wrong(c.ClientIP(), "calendars/"+eventID, time.Now()) {
			c.Header("Retry-After", "60")
			httperr.Write(c, http.StatusTooManyRequests, "too many attempts; wait a minute", "")
			return
		}
		httperr.Write(c, http.StatusNotFound, "unknown calendar, or its address was replaced by a newer personal link", "key")
		return
	}
	s.writeICS(c, eventID, id, false)
}

// myAgendaICS is GET /e/:event/me/agenda.ics: the download.
func (s *Site) myAgendaICS(c *gin.Context) {
	v := auth.ViewerOf(c)
	s.writeICS(c, v.Event, v.Participant, true)
}

// writeICS answers with a participant's agenda as iCalendar.
func (s *Site) writeICS(c *gin.Context, eventID, participantID string, sendDownload bool) {
	ev, entries, err := s.engine.Agenda(eventID, participantID)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	var buf bytes.Buffer
	if err := writeAgendaICS(&buf, ev, entries, time.Now()); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	if sendDownload {
		c.Header("Content-Disposition", `attachment; filename="`+eventID+"-"+participantID+`.ics"`)
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", buf.Bytes())
}

// writeAgendaICS writes one participant's agenda entries as iCalendar.
func writeAgendaICS(buf *bytes.Buffer, ev *profiles.Event, entries []calendar.AgendaEntry, now time.Time) error {
	loc, err := ev.Location()
	if err != nil {
		return err
	}
	cal := calendar.Calendar{Name: ev.Name, Location: ev.Venue, Stamp: now.UTC().Truncate(time.Second), TimeZone: loc}
	return calendar.WriteICS(buf, cal, entries)
}

// myAgendaCSV is GET /e/:event/me/agenda.csv.
func (s *Site) myAgendaCSV(c *gin.Context) {
	v := auth.ViewerOf(c)
	_, entries, err := s.engine.Agenda(v.Event, v.Participant)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	var buf bytes.Buffer
	if err := calendar.WriteAgendaCSV(&buf, entries); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+v.Event+"-"+v.Participant+`.csv"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
