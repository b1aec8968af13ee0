package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
)

// ReportInput is a participant's account of a meeting after it.
type ReportInput struct {
	Attendance profiles.Attendance    `json:"attendance"`          // held or no_show
	Agreement  profiles.AgreementType `json:"agreement,omitempty"` // EEN partnership agreement type, for a held meeting
	Note       string                 `json:"note,omitempty"`
}

// reportMeeting is POST /events/:event/participants/:participant/meetings/:meeting/report.
func (s *API) reportMeeting(c *gin.Context) {
	var in ReportInput
	if !readBody(c, &in, false) {
		return
	}
	r := &profiles.MeetingReport{EventID: c.Param("event"), MeetingID: c.Param("meeting"), ParticipantID: c.Param("participant"),
		Attendance: in.Attendance, Agreement: in.Agreement, Note: in.Note, ReportedAt: time.Now()}
	if err := s.store.Update(func(tx *profiles.Tx) error { return tx.ReportMeeting(r) }); err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// listReports is GET /events/:event/participants/:participant/reports.
func (s *API) listReports(c *gin.Context) {
	var reports []profiles.MeetingReport
	err := s.store.View(func(tx *profiles.Tx) (err error) {
		if _, err := tx.Participant(c.Param("event"), c.Param("participant")); err != nil {
			return err
		}
		reports, err = tx.ReportsOfParticipant(c.Param("event"), c.Param("participant"))
		return err
	})
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(reports, len(reports)))
}
