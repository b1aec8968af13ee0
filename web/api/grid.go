package api

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/httperr"
)

// The organizer's grid: preview, publish, place late requests, lock.

// maxBudget bounds the solver time an API call may ask for, well inside
// the server's write timeout.
const maxBudget = 30 * time.Second

// ScheduleInput is the optional body of a preview or a late placement.
type ScheduleInput struct {
	// BudgetMS bounds the solver's improvement phase in milliseconds
	// (0: the scheduler's default, about 2 s; at most 30000).
	BudgetMS int64 `json:"budget_ms,omitempty"`
	// Seed makes the grid reproducible.
	Seed int64 `json:"seed,omitempty"`
}

// ScheduleSummary is what a preview, publication or late placement did.
type ScheduleSummary struct {
	EventID string `json:"event_id"`
	// Written is false for a preview.
	Written bool `json:"written"`
	// Meetings counts the accepted meetings the grid had to place; Placed
	// those it placed; Unplaced lists the others with the reason.
	Meetings int             `json:"meetings"`
	Placed   int             `json:"placed"`
	Unplaced []UnplacedEntry `json:"unplaced"`
	// What happens (or, for a preview, would happen) to stored meetings.
	Created   int `json:"created"`
	Moved     int `json:"moved"`
	Unchanged int `json:"unchanged"`
	Cancelled int `json:"cancelled"`
	// Quality of the grid: participants' idle gaps and table changes.
	Breaks       int   `json:"breaks"`
	IdleSlots    int   `json:"idle_slots"`
	TableChanges int   `json:"table_changes"`
	Fairness     int   `json:"fairness"`
	ElapsedMS    int64 `json:"elapsed_ms"`
	BudgetHit    bool  `json:"budget_hit"`
	// BreaksLowerBound bounds the breaks of any grid that places every
	// meeting; Proven says the result is proven best (every meeting placed
	// with the fewest breaks, or no grid placing more).
	BreaksLowerBound int  `json:"breaks_lower_bound"`
	Proven           bool `json:"proven"`
	// SpareTables tells what using the event's spare tables would buy
	// (previews of events with spare tables only).
	SpareTables []matchgrid.SpareTableOption `json:"spare_tables,omitempty"`
	// Grid is the previewed grid (previews only).
	Grid *matchgrid.GridView `json:"grid,omitempty"`
}

// UnplacedEntry is a meeting the grid could not place, and why.
type UnplacedEntry struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

func summarize(r *matchgrid.ScheduleReport) ScheduleSummary {
	m := r.Result.Metrics
	sum := ScheduleSummary{EventID: r.EventID, Written: r.Written, Meetings: len(r.Problem.Meetings), Placed: m.Placed,
		Unplaced: []UnplacedEntry{}, Created: r.Created, Moved: r.Moved, Unchanged: r.Unchanged, Cancelled: r.Cancelled,
		Breaks: m.Breaks, IdleSlots: m.IdleSlots, TableChanges: m.TableChanges, Fairness: m.Fairness,
		ElapsedMS: r.Result.Elapsed.Milliseconds(), BudgetHit: r.Result.BudgetHit,
		BreaksLowerBound: r.Result.Bounds.BreaksLower, Proven: r.Result.Proven(), SpareTables: r.SpareTables}
	for _, u := range r.Result.Unplaced {
		sum.Unplaced = append(sum.Unplaced, UnplacedEntry{ID: u.ID, Reason: u.Reason})
	}
	return sum
}

// readSchedule reads the optional schedule body, answering 4xx itself.
func readSchedule(c *gin.Context) (matchgrid.ScheduleOptions, bool) {
	var in ScheduleInput
	if !readBody(c, &in, true) {
		return matchgrid.ScheduleOptions{}, false
	}
	// Compared in milliseconds first: a huge budget_ms would overflow
	// into a small Duration.
	if in.BudgetMS < 0 || in.BudgetMS > maxBudget.Milliseconds() {
		httperr.Write(c, http.StatusUnprocessableEntity, "budget_ms "+strconv.FormatInt(in.BudgetMS, 10)+" must be from 0 to "+strconv.FormatInt(maxBudget.Milliseconds(), 10), "budget_ms")
		return matchgrid.ScheduleOptions{}, false
	}
	return matchgrid.ScheduleOptions{Budget: time.Duration(in.BudgetMS) * time.Millisecond, Seed: in.Seed}, true
}

func (s *API) getGrid(c *gin.Context) {
	eventID := c.Param("event")
	preview, err := strconv.ParseBool(c.DefaultQuery("preview", "false"))
	if err != nil {
		httperr.Write(c, http.StatusBadRequest, "query parameter preview must be true or false", "preview")
		return
	}
	var view *matchgrid.GridView
	if preview {
		view, err = s.engine.PreviewView(eventID)
	} else {
		view, err = s.engine.Grid(eventID)
	}
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, view)
}

func (s *API) previewGrid(c *gin.Context) {
	opts, ok := readSchedule(c)
	if !ok {
		return
	}
	eventID := c.Param("event")
	rep, err := s.engine.PreviewGrid(c.Request.Context(), eventID, opts)
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	sum := summarize(rep)
	if sum.Grid, err = s.engine.PreviewView(eventID); err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, sum)
}

func (s *API) publishGrid(c *gin.Context) {
	rep, err := s.engine.PublishGrid(c.Param("event"))
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, summarize(rep))
}

func (s *API) placeLate(c *gin.Context) {
	opts, ok := readSchedule(c)
	if !ok {
		return
	}
	opts.KeepPlaced = true
	rep, err := s.engine.Schedule(c.Request.Context(), c.Param("event"), opts)
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, summarize(rep))
}

func (s *API) lockMeeting(c *gin.Context)   { s.setLocked(c, true) }
func (s *API) unlockMeeting(c *gin.Context) { s.setLocked(c, false) }

func (s *API) setLocked(c *gin.Context, locked bool) {
	eventID, id := c.Param("event"), c.Param("meeting")
	if err := s.engine.SetMeetingLocked(eventID, id, locked); err != nil {
		s.apiProblem(c, err)
		return
	}
	var m *profiles.Meeting
	if err := s.store.View(func(tx *profiles.Tx) (err error) { m, err = tx.Meeting(eventID, id); return err }); err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

func (s *API) gridCSV(c *gin.Context) {
	eventID := c.Param("event")
	var buf bytes.Buffer
	if err := s.engine.WriteGridCSV(&buf, eventID); err != nil {
		s.apiProblem(c, err)
		return
	}
	attachment(c, eventID+"-grid.csv", "text/csv; charset=utf-8", buf.Bytes())
}

func (s *API) stats(c *gin.Context) {
	st, err := s.engine.Stats(c.Param("event"))
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

// attachment sends a file download.
func attachment(c *gin.Context, name, contentType string, body []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+safeFileName(name)+`"`)
	c.Data(http.StatusOK, contentType, body)
}

// safeFileName keeps a download name to characters that need no quoting.
func safeFileName(name string) string {
	b := []byte(name)
	for i, ch := range b {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '.' || ch == '-' || ch == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}
