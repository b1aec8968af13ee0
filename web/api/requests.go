package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
	"github.com/matchgrid/matchgrid/web/httperr"
)

// Meeting requests are a participant's own business: the lists are theirs
// (or the organizer's), and only the participants of a request act on it,
// each in their role (the receiver answers, the sender withdraws).

// Counterpart is the other side of a request, as the marketplace shows them.
type Counterpart struct {
	ParticipantID  string `json:"participant_id"`
	Name           string `json:"name"`
	OrganizationID string `json:"organization_id"`
	Organization   string `json:"organization"`
}

// RequestView is a meeting request with the other side named, seen from
// one of its participants (the sender, for the organizer).
type RequestView struct {
	profiles.MeetingRequest
	// Direction is "incoming" or "outgoing" for the participant it is shown to.
	Direction   string      `json:"direction"`
	Counterpart Counterpart `json:"Counterpart"`
}

// RequestsView is a participant's inbox and outbox, newest first.
type RequestsView struct {
	Incoming []RequestView `json:"incoming"`
	Outgoing []RequestView `json:"outgoing"`
}

// SendRequestInput is the body that sends a meeting request.
type SendRequestInput struct {
	To            string `json:"to"`
	Message       string `json:"message,omitempty"`
	OpportunityID string `json:"opportunity_id,omitempty"`
}

// viewRequest names the other side of r for participant me. A pending
// request whose expiry has passed is shown expired: the store marks it so
// only at the next write that touches it.
func viewRequest(tx *profiles.Tx, r *profiles.MeetingRequest, me string, now time.Time) (RequestView, error) {
	v := RequestView{MeetingRequest: *r, Direction: "outgoing"}
	if r.Status == profiles.RequestPending && r.ExpiresAt != nil && !now.Before(*r.ExpiresAt) {
		v.Status = profiles.RequestExpired
	}
	other := r.To
	if r.To == me {
		v.Direction, other = "incoming", r.From
	}
	p, err := tx.Participant(r.EventID, other)
	if err != nil {
		return v, err
	}
	v.Counterpart = Counterpart{ParticipantID: p.ID, Name: p.Name(), OrganizationID: p.OrganizationID}
	if org, err := tx.Organization(r.EventID, p.OrganizationID); err == nil {
		v.Counterpart.Organization = org.Name
	}
	return v, nil
}

func (s *API) listRequests(c *gin.Context) {
	eventID, me := c.Param("event"), c.Param("participant")
	status := profiles.RequestStatus(c.Query("status"))
	if status != "" && !status.Valid() {
		httperr.Write(c, http.StatusBadRequest, "query parameter status="+strconv.Quote(string(status))+" must be one of "+joinComma(profiles.RequestStatuses), "status")
		return
	}
	out := RequestsView{Incoming: []RequestView{}, Outgoing: []RequestView{}}
	now := time.Now()
	err := s.store.View(func(tx *profiles.Tx) error {
		if _, err := tx.Participant(eventID, me); err != nil {
			return err
		}
		for _, box := range []struct {
			read func(string, string) ([]profiles.MeetingRequest, error)
			dst  *[]RequestView
		}{{tx.RequestsTo, &out.Incoming}, {tx.RequestsFrom, &out.Outgoing}} {
			rs, err := box.read(eventID, me)
			if err != nil {
				return err
			}
			for i := range rs {
				v, err := viewRequest(tx, &rs[i], me, now)
				if err != nil {
					return err
				}
				if status == "" || v.Status == status {
					*box.dst = append(*box.dst, v)
				}
			}
			slices.SortStableFunc(*box.dst, func(a, b RequestView) int { return b.CreatedAt.Compare(a.CreatedAt) })
		}
		return nil
	})
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (s *API) sendRequest(c *gin.Context) {
	eventID, me := c.Param("event"), c.Param("participant")
	if !auth.ViewerOf(c).Is(eventID, me) {
		httperr.Write(c, http.StatusForbidden, "only the participant themselves may send their meeting requests", "")
		return
	}
	var in SendRequestInput
	if !readBody(c, &in, false) {
		return
	}
	if strings.TrimSpace(in.To) == "" {
		httperr.Write(c, http.StatusUnprocessableEntity, "field to: the participant to meet is required", "to")
		return
	}
	now := time.Now()
	if !s.sendLimit.Allow(eventID+"/"+me, now) {
		c.Header("Retry-After", "30")
		httperr.Write(c, http.StatusTooManyRequests, "too many meeting requests sent in a short time; wait a little", "")
		return
	}
	var view RequestView
	err := s.store.Update(func(tx *profiles.Tx) error {
		r, err := tx.SendRequest(eventID, me, in.To, in.Message, in.OpportunityID, now)
		if err != nil {
			return err
		}
		view, err = viewRequest(tx, r, me, now)
		return err
	})
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusCreated, view)
}

// actOnRequest runs act for the participant asking, on a request of theirs.
// Requests between others are answered 404, as if they did not exist: a
// participant learns nothing of other people's requests. The organizer
// does not act in participants' names.
func (s *API) actOnRequest(c *gin.Context, verb string, act func(tx *profiles.Tx, eventID, requestID, me string, now time.Time) (*profiles.MeetingRequest, error)) {
	v := auth.ViewerOf(c)
	eventID, requestID := c.Param("event"), c.Param("request")
	if !v.IsParticipantOf(eventID) {
		httperr.Write(c, http.StatusForbidden, "only the participants of a request may "+verb+" it", "")
		return
	}
	var view RequestView
	now := time.Now()
	err := s.store.Update(func(tx *profiles.Tx) error {
		r, err := tx.Request(eventID, requestID)
		if err != nil {
			return err
		}
		if r.From != v.Participant && r.To != v.Participant {
			return fmt.Errorf("meeting request %q in event %q: %w", requestID, eventID, profiles.ErrNotFound)
		}
		if r, err = act(tx, eventID, requestID, v.Participant, now); err != nil {
			return err
		}
		view, err = viewRequest(tx, r, v.Participant, now)
		return err
	})
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, view)
}

// AnswerInput is the optional body of accepting or declining a request.
type AnswerInput struct {
	// Reply is a message for the sender with the answer.
	Reply string `json:"reply,omitempty"`
}

func (s *API) acceptRequest(c *gin.Context) { s.answerRequest(c, "accept", true) }

func (s *API) declineRequest(c *gin.Context) { s.answerRequest(c, "decline", false) }

// answerRequest accepts or declines a request, with the reply of the
// optional body.
func (s *API) answerRequest(c *gin.Context, verb string, accept bool) {
	var in AnswerInput
	if !readBody(c, &in, true) {
		return
	}
	s.actOnRequest(c, verb, func(tx *profiles.Tx, ev, id, me string, now time.Time) (*profiles.MeetingRequest, error) {
		return tx.AnswerRequest(ev, id, me, accept, strings.TrimSpace(in.Reply), now)
	})
}

func (s *API) cancelRequest(c *gin.Context) {
	s.actOnRequest(c, "cancel", (*profiles.Tx).CancelRequest)
}
