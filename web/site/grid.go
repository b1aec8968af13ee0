package site

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/scheduler"
	"github.com/matchgrid/matchgrid/sheet"
)

// gridCell is one table in one slot: a meeting, or nothing.
type gridCell struct {
	Meeting *matchgrid.GridMeeting
	Found   bool // the meeting is of the participant searched for
}

// gridRow is one slot of the grid.
type gridRow struct {
	Slot  matchgrid.GridSlot
	Cells []gridCell
	Video []gridCell // video calls between two online participants, at no table
}

// gridPageData is the organizer's grid page: the preview when there is
// one (with its report and the publish button), else the published grid
// with lock buttons.
type gridPageData struct {
	Preview   bool
	Report    *matchgrid.ScheduleReport
	Metrics   *scheduler.Metrics
	Tables    []string
	Rows      []gridRow
	Meetings  int
	Unplaced  []matchgrid.GridUnplaced
	Published bool // the shown grid is the published one and has meetings
	// HasPublished: a published grid exists (the exports need one).
	HasPublished bool
	Budgets      []int
	// Find is the participant searched for; Found their meetings.
	Find  string
	Found []foundMeeting
	// Video: some meetings are video calls at no table (a column of their own).
	Video bool
	// Logos are the organizations on the grid that have a logo.
	Logos map[string]bool
	// SpareMax is the most spare tables the event allows (one table stays).
	SpareMax int
}

// foundMeeting is a meeting of the participant searched for in the grid.
type foundMeeting struct {
	ID, With, Slot, Table string
}

// gridBudgets are the solver time limits the preview form offers, in seconds.
var gridBudgets = []int{2, 10, 30}

// gridPage is GET /organizer/e/:event/grid. With ?view=published it shows
// the published grid even while a preview waits.
func (s *Site) gridPage(c *gin.Context) {
	eventID := c.Param("event")
	ev, err := s.loadEvent(eventID)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	d := gridPageData{Budgets: gridBudgets, SpareMax: max(ev.Tables-1, 0)}
	var view *matchgrid.GridView
	if c.Query("view") != "published" {
		d.Report, view, err = s.engine.PreviewWithView(eventID)
		if err == nil {
			d.Preview = true
			if d.Report.Result != nil {
				d.Metrics = &d.Report.Result.Metrics
			}
		} else if !errors.Is(err, profiles.ErrNotFound) {
			s.storeErrorPage(c, err)
			return
		}
	}
	if view == nil || d.Report == nil {
		d.Preview = false
		if view, err = s.engine.Grid(eventID); err != nil {
			s.storeErrorPage(c, err)
			return
		}
	}
	d.Tables, d.Unplaced, d.Meetings = view.Tables, view.Unplaced, len(view.Meetings)
	d.Published = !d.Preview && len(view.Meetings) > 0
	d.Rows = make([]gridRow, len(view.Slots))
	for i, sl := range view.Slots {
		d.Rows[i] = gridRow{Slot: sl, Cells: make([]gridCell, len(view.Tables))}
	}
	d.HasPublished = d.Published
	if d.Preview {
		published, err := s.engine.Grid(eventID)
		if err != nil {
			s.storeErrorPage(c, err)
			return
		}
		d.HasPublished = len(published.Meetings) > 0
	}
	d.Find = strings.TrimSpace(c.Query("find"))
	words := strings.Fields(fold(d.Find))
	matches := func(p matchgrid.GridSide) bool {
		if len(words) == 0 {
			return false
		}
		hay := fold(p.Name + " " + p.Organization + " " + p.ParticipantID)
		for _, w := range words {
			if !strings.Contains(hay, w) {
				return false
			}
		}
		return true
	}
	for i := range view.Meetings {
		m := &view.Meetings[i]
		if m.Slot >= len(d.Rows) || m.Table >= len(view.Tables) {
			continue
		}
		row := &d.Rows[m.Slot]
		cell, table := gridCell{Meeting: m}, m.TableName
		if a, b := matches(m.A), matches(m.B); a || b {
			cell.Found = true
			with := m.B.Name
			if b && !a {
				with = m.A.Name
			}
			if table == "" {
				table = s.tr(c, "video.join", nil)
			}
			d.Found = append(d.Found, foundMeeting{ID: m.ID, With: with, Slot: row.Slot.Label, Table: table})
		}
		if m.Table < 0 {
			row.Video, d.Video = append(row.Video, cell), true
		} else {
			row.Cells[m.Table] = cell
		}
	}
	if d.Logos, err = s.logosOf(eventID, view.Meetings); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	s.render(c, http.StatusOK, "grid", &pageView{Title: s.tr(c, "grid.title", nil) + " – " + ev.Name, Event: ev, Section: "grid", Data: d})
}

// gridPath is where the grid forms go back to.
func gridPath(eventID string) string { return organizerPath(eventID, "/grid") }

// submitPreview is POST /organizer/e/:event/grid/preview: compute a grid
// from the accepted requests and keep it as the preview (no meeting is
// written). Form field "budget": the solver's time limit in seconds;
// "spare": the tables to keep free (saved as the event's setting).
func (s *Site) submitPreview(c *gin.Context) {
	eventID := c.Param("event")
	budget, err := strconv.Atoi(c.DefaultPostForm("budget", "2"))
	if err != nil || !slices.Contains(gridBudgets, budget) {
		s.redirectWith(c, gridPath(eventID), "error", s.tr(c, "flash.grid_budget", map[string]any{"Count": fmt.Sprint(gridBudgets)}))
		return
	}
	if spare, ok := c.GetPostForm("spare"); ok {
		if err := s.setSpareTables(eventID, spare); err != nil {
			s.redirectWith(c, gridPath(eventID), "error", s.tr(c, "flash.grid_failed", map[string]any{"Reason": s.userMessage(c, err)}))
			return
		}
	}
	rep, err := s.engine.PreviewGrid(c.Request.Context(), eventID, matchgrid.ScheduleOptions{Budget: time.Duration(budget) * time.Second, Seed: 1})
	if err != nil {
		s.redirectWith(c, gridPath(eventID), "error", s.tr(c, "flash.grid_failed", map[string]any{"Reason": s.userMessage(c, err)}))
		return
	}
	placed, total := 0, 0
	if rep.Result != nil {
		placed, total = rep.Result.Metrics.Placed, rep.Result.Metrics.Meetings
	}
	s.redirectWith(c, gridPath(eventID), "ok", s.tr(c, "flash.preview_ready", map[string]any{"Done": placed, "Total": total}))
}

// setSpareTables keeps the organizer's number of spare tables (form field
// "spare") as the event's setting, which the preview then honours and
// prices; the event's own validation names a number out of range.
func (s *Site) setSpareTables(eventID, value string) error {
	n, err := strconv.Atoi(strings.TrimSpace(value))
	if err != nil {
		return fmt.Errorf("%w: spare tables %q: not a number", profiles.ErrInvalid, value)
	}
	return s.engine.Store().Update(func(tx *profiles.Tx) error {
		ev, err := tx.Event(eventID)
		if err != nil || ev.SpareTables == n {
			return err
		}
		ev.SpareTables = n
		return tx.UpdateEvent(ev)
	})
}

// submitPublish is POST /organizer/e/:event/grid/publish: write the
// previewed grid exactly as previewed.
func (s *Site) submitPublish(c *gin.Context) {
	eventID := c.Param("event")
	rep, err := s.engine.PublishGrid(eventID)
	if err != nil {
		s.redirectWith(c, gridPath(eventID), "error", s.tr(c, "flash.not_published", map[string]any{"Reason": s.userMessage(c, err)}))
		return
	}
	s.redirectWith(c, gridPath(eventID), "ok", s.tr(c, "flash.published",
		map[string]any{"Count": rep.Created, "Done": rep.Moved, "Total": rep.Unchanged, "All": rep.Cancelled}))
}

// submitPlaceLate is POST /organizer/e/:event/grid/place-late: place requests
// accepted since publication around the published meetings, which stay
// where they are; written at once.
func (s *Site) submitPlaceLate(c *gin.Context) {
	eventID := c.Param("event")
	rep, err := s.engine.Schedule(c.Request.Context(), eventID, matchgrid.ScheduleOptions{KeepPlaced: true, Seed: 1})
	if err != nil {
		s.redirectWith(c, gridPath(eventID), "error", s.tr(c, "flash.late_failed", map[string]any{"Reason": s.userMessage(c, err)}))
		return
	}
	unplaced := 0
	if rep.Result != nil {
		unplaced = len(rep.Result.Unplaced)
	}
	s.redirectWith(c, gridPath(eventID), "ok", s.tr(c, "flash.late_placed",
		map[string]any{"Count": rep.Created, "Done": rep.Cancelled, "Total": unplaced}))
}

// submitLock is POST /organizer/e/:event/meetings/:meeting/{lock,unlock}.
func (s *Site) submitLock(c *gin.Context) {
	eventID, id := c.Param("event"), c.Param("meeting")
	var lock bool
	switch c.Param("action") {
	case "lock":
		lock = true
	case "unlock":
	default:
		s.errorPage(c, http.StatusNotFound, s.tr(c, "error.no_action", nil))
		return
	}
	back := gridPath(eventID) + "?view=published#" + "meeting-" + id
	if err := s.engine.SetMeetingLocked(eventID, id, lock); err != nil {
		if errors.Is(err, profiles.ErrNotFound) {
			s.storeErrorPage(c, err)
			return
		}
		s.redirectWith(c, back, "error", s.userMessage(c, err))
		return
	}
	msg := "flash.unlocked"
	if lock {
		msg = "flash.locked"
	}
	s.redirectWith(c, back, "ok", s.tr(c, msg, map[string]any{"Name": id}))
}

// exportGridCSV is GET /organizer/e/:event/exports/grid.csv.
func (s *Site) exportGridCSV(c *gin.Context) {
	eventID := c.Param("event")
	var buf bytes.Buffer
	if err := s.engine.WriteGridCSV(&buf, eventID); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	sendDownload(c, eventID+"-grid.csv", "text/csv; charset=utf-8", buf.Bytes())
}

// sendDownload answers with a file to save.
func sendDownload(c *gin.Context, name, contentType string, b []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, contentType, b)
}

// participantIDs lists the IDs of an event's participants.
func (s *Site) participantIDs(eventID string) ([]string, error) {
	var ids []string
	err := s.store.View(func(tx *profiles.Tx) error {
		people, err := tx.Participants(eventID)
		for _, p := range people {
			ids = append(ids, p.ID)
		}
		return err
	})
	return ids, err
}

// exportAgendasCSV is GET /organizer/e/:event/exports/agendas.csv: every
// participant's agenda in one file, one row per meeting and participant.
func (s *Site) exportAgendasCSV(c *gin.Context) {
	eventID := c.Param("event")
	var buf bytes.Buffer
	if err := s.engine.WriteExport(&buf, eventID, matchgrid.ExportAgendas, sheet.CSV); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	sendDownload(c, eventID+"-agendas.csv", "text/csv; charset=utf-8", buf.Bytes())
}

// exportAgendasZip is GET /organizer/e/:event/exports/agendas.zip: one
// iCalendar file per participant with at least one meeting.
func (s *Site) exportAgendasZip(c *gin.Context) {
	eventID := c.Param("event")
	ids, err := s.participantIDs(eventID)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	now := time.Now()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, id := range ids {
		ev, entries, err := s.engine.Agenda(eventID, id)
		if err != nil {
			s.storeErrorPage(c, err)
			return
		}
		if len(entries) == 0 {
			continue
		}
		var ics bytes.Buffer
		if err := writeAgendaICS(&ics, ev, entries, now); err != nil {
			s.storeErrorPage(c, err)
			return
		}
		f, err := zw.CreateHeader(&zip.FileHeader{Name: id + ".ics", Method: zip.Deflate, Modified: now})
		if err == nil {
			_, err = f.Write(ics.Bytes())
		}
		if err != nil {
			s.storeErrorPage(c, err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	sendDownload(c, eventID+"-agendas.zip", "application/zip", out.Bytes())
}
