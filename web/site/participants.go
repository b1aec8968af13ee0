package site

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/profiles/ingest"
	"github.com/matchgrid/matchgrid/sheet"
)

// participantRow is one line of the organizer's participants table.
type participantRow struct {
	ID, Name, Email, JobTitle string
	Type                      profiles.ParticipationType
	Org                       profiles.Organization
	HasLink, Opened           bool // a link is issued; the participant opened one
	Sent, Received, Meetings  int
}

// importFailure is a refused CSV upload, as the participants page shows it.
type importFailure struct {
	File   string
	Line   int
	Column string
	Value  string
	Reason string
}

// participantsPageData is the organizer's participants page.
type participantsPageData struct {
	Rows     []participantRow // the page shown
	Total    int              // rows that pass the search and filters
	All      int              // participants of the event
	Query    tableQuery
	Kinds    []filterOption
	Country  []filterOption
	States   []filterOption
	Headers  map[string]sortHeader
	Pager    pager
	Filtered bool // a search or a filter is set
	Failure  *importFailure
	K        int // suggestions per participant (the event's setting)
}

// participantsPage is GET /organizer/e/:event/participants.
func (s *Site) participantsPage(c *gin.Context) {
	s.renderParticipants(c, http.StatusOK, nil)
}

// renderParticipants renders the participants page, with a refused
// upload's error when there is one.
func (s *Site) renderParticipants(c *gin.Context, status int, failure *importFailure) {
	eventID := c.Param("event")
	d := participantsPageData{Failure: failure}
	ev, rows, err := s.participantRows(eventID)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	d.Rows = rows
	s.pageParticipants(c, &d)
	d.K = suggestionsOf(ev)
	s.render(c, status, "participants", &pageView{Title: s.tr(c, "parts.h", nil) + " – " + ev.Name, Event: ev, Section: "participants", Data: d})
}

// participantRows reads the event and every participant's row of the
// table, unfiltered.
func (s *Site) participantRows(eventID string) (*profiles.Event, []participantRow, error) {
	var (
		ev   *profiles.Event
		rows []participantRow
	)
	err := s.store.View(func(tx *profiles.Tx) error {
		var err error
		if ev, err = tx.Event(eventID); err != nil {
			return err
		}
		people, err := tx.Participants(eventID)
		if err != nil {
			return err
		}
		orgs, err := tx.Organizations(eventID)
		if err != nil {
			return err
		}
		orgByID := map[string]profiles.Organization{}
		for _, o := range orgs {
			orgByID[o.ID] = o
		}
		requests, err := tx.Requests(eventID)
		if err != nil {
			return err
		}
		sent, received := map[string]int{}, map[string]int{}
		for _, r := range requests {
			sent[r.From]++
			received[r.To]++
		}
		meetings, err := tx.Meetings(eventID)
		if err != nil {
			return err
		}
		met := map[string]int{}
		for _, m := range meetings {
			if m.Status != profiles.MeetingCancelled {
				met[m.A]++
				met[m.B]++
			}
		}
		for _, p := range people {
			rows = append(rows, participantRow{ID: p.ID, Name: p.Name(), Email: p.Email, JobTitle: p.JobTitle, Type: p.Type,
				Org: orgByID[p.OrganizationID], HasLink: p.SecretHash != "", Opened: p.LinkOpened != nil, Sent: sent[p.ID], Received: received[p.ID], Meetings: met[p.ID]})
		}
		return nil
	})
	return ev, rows, err
}

// pageParticipants applies the address's search, filters, sort and page
// to d.Rows, and fills the filter choices (counted over every participant).
func (s *Site) pageParticipants(c *gin.Context, d *participantsPageData) {
	u := c.Request.URL
	if c.Request.Method != http.MethodGet {
		u = &url.URL{Path: c.Request.URL.Path} // a refused upload shows the plain table
	}
	q := readTableQuery(u)
	kinds, countries, states := map[string]int{}, map[string]int{}, map[string]int{}
	var kept []participantRow
	for i := range d.Rows {
		r := &d.Rows[i]
		kinds[string(r.Org.Kind)]++
		countries[r.Org.Country]++
		for _, st := range participantStates {
			if (tableQuery{State: st}).keep(r) {
				states[st]++
			}
		}
		if q.keep(r) {
			kept = append(kept, *r)
		}
	}
	q.sortRows(kept)
	d.All, d.Total, d.Query = len(d.Rows), len(kept), q
	d.Filtered = q.Q != "" || q.Kind != "" || q.Country != "" || q.State != ""
	d.Kinds = filterOptions(kinds, q.Kind, s.labeller(c))
	d.Country = filterOptions(countries, q.Country, nil)
	for _, st := range participantStates {
		d.States = append(d.States, filterOption{Value: st, Label: s.tr(c, "parts.state."+st, nil), Count: states[st], Selected: st == q.State})
	}
	labels := map[string]string{}
	for _, col := range participantSorts {
		labels[col] = s.tr(c, "parts.col."+col, nil)
	}
	d.Headers = q.headers(u, labels)
	d.Pager = newPager(u, q.Page, participantsPerPage, len(kept))
	d.Rows = kept[d.Pager.from():d.Pager.to()]
}

// importParticipants is POST /organizer/e/:event/participants/import: a
// CSV file of registrations (or of opportunities, told apart by its
// header) in the form field "file", imported in one transaction. On the
// first bad row nothing is imported and the page shows file, line, column,
// value and reason.
func (s *Site) importParticipants(c *gin.Context) {
	eventID := c.Param("event")
	fh, err := c.FormFile("file")
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.renderParticipants(c, http.StatusRequestEntityTooLarge, &importFailure{Reason: s.tr(c, "parts.too_large", nil)})
		return
	case err != nil:
		s.renderParticipants(c, http.StatusBadRequest, &importFailure{Reason: s.tr(c, "parts.choose_file", nil)})
		return
	}
	name := filepath.Base(fh.Filename)
	f, err := fh.Open()
	if err != nil {
		s.renderParticipants(c, http.StatusBadRequest, &importFailure{File: name, Reason: s.tr(c, "parts.unreadable", map[string]any{"Reason": err.Error()})})
		return
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		s.renderParticipants(c, http.StatusBadRequest, &importFailure{File: name, Reason: s.tr(c, "parts.unreadable", map[string]any{"Reason": err.Error()})})
		return
	}
	var stats profiles.CSVStats
	file, err := ingest.Detect(name, data)
	if err == nil {
		err = s.store.Update(func(tx *profiles.Tx) (err error) {
			stats, err = file.Import(tx, profiles.CSVOptions{EventID: eventID, File: name})
			return err
		})
	}
	if err != nil {
		s.renderParticipants(c, http.StatusUnprocessableEntity, s.failureOf(c, name, err))
		return
	}
	s.redirectWith(c, organizerPath(eventID, "/participants"), "ok", s.tr(c, "flash.imported", map[string]any{
		"Name": name, "Count": stats.Rows, "OrgNew": stats.OrganizationsCreated, "OrgUpd": stats.OrganizationsUpdated,
		"PNew": stats.ParticipantsCreated, "PUpd": stats.ParticipantsUpdated,
		"ONew": stats.OpportunitiesCreated, "OUpd": stats.OpportunitiesUpdated}))
}

// failureOf describes an import error; a *profiles.LineError gives the
// line, column and value.
func (s *Site) failureOf(c *gin.Context, file string, err error) *importFailure {
	var le *profiles.LineError
	if errors.As(err, &le) {
		reason := le.Err.Error()
		var fe *profiles.FieldError
		if errors.As(le.Err, &fe) && fe.Reason != "" {
			reason = s.i18n.reason(s.lang(c), fe)
		}
		return &importFailure{File: cmp.Or(le.File, file), Line: le.Line, Column: le.Column, Value: le.Value, Reason: reason}
	}
	return &importFailure{File: file, Reason: s.userMessage(c, err)}
}

// exportLinks is POST /organizer/e/:event/links: new personal links for
// every participant (scope=all), for those ticked (scope=selected, form
// field "participant") or for all that pass the table's search and filters
// (scope=filtered, fields q, kind, country, state), as a spreadsheet download (format=csv, csv-excel
// or xlsx) or, with deliver=mail, sent to each participant by e-mail.
// Issuing a link replaces the participant's previous one.
func (s *Site) exportLinks(c *gin.Context) {
	eventID := c.Param("event")
	back := organizerPath(eventID, "/participants")
	var ids []string
	switch c.PostForm("scope") {
	case "selected":
		ids = nonEmptyValues(c.PostFormArray("participant"))
		if len(ids) == 0 {
			s.redirectWith(c, back, "error", s.tr(c, "parts.tick", nil))
			return
		}
	case "filtered":
		var err error
		if ids, err = s.filteredIDs(c, eventID); err != nil {
			s.storeErrorPage(c, err)
			return
		}
		if len(ids) == 0 {
			s.redirectWith(c, back, "error", s.tr(c, "parts.none_match", nil))
			return
		}
	}
	if c.PostForm("deliver") == "mail" {
		links, queued, err := s.engine.MailLinks(eventID, ids)
		if err != nil {
			s.redirectWith(c, back, "error", s.userMessage(c, err))
			return
		}
		s.redirectWith(c, back, "ok", s.tr(c, "flash.links_mailed", map[string]any{"Issued": len(links), "Queued": queued}))
		return
	}
	format, err := sheet.ParseFormat(c.PostForm("format"))
	if err != nil {
		s.redirectWith(c, back, "error", s.userMessage(c, err))
		return
	}
	links, err := s.engine.IssueLinks(eventID, ids)
	if err != nil {
		s.redirectWith(c, back, "error", s.userMessage(c, err))
		return
	}
	var buf bytes.Buffer
	if err := matchgrid.WriteLinks(&buf, format, s.baseURL(c), links); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	sendDownload(c, eventID+"-links-"+time.Now().Format("20060102-150405")+format.Ext(), format.ContentType(), buf.Bytes())
}

// filteredIDs are the participants that pass the search and filters the
// form carries (q, kind, country, state): every page of the table, not
// only the one shown.
func (s *Site) filteredIDs(c *gin.Context, eventID string) ([]string, error) {
	_, rows, err := s.participantRows(eventID)
	if err != nil {
		return nil, err
	}
	form := url.Values{}
	for _, k := range []string{"q", "kind", "country", "state"} {
		form.Set(k, c.PostForm(k))
	}
	q := readTableQuery(&url.URL{RawQuery: form.Encode()})
	ids := []string{}
	for i := range rows {
		if q.keep(&rows[i]) {
			ids = append(ids, rows[i].ID)
		}
	}
	return ids, nil
}

// baseURL is the scheme and host the request came to, for absolute links.
func (s *Site) baseURL(c *gin.Context) string {
	scheme := "http"
	if s.sessions.Secure(c.Request) {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}
