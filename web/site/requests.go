package site

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
)

// maxMessage caps the message of a meeting request, in characters.
const maxMessage = 2000

// requestItem is one meeting request as the inbox or outbox shows it.
type requestItem struct {
	ID          string
	Partner     personCard
	Org         profiles.Organization
	Message     string
	Reply       string // the receiver's answer
	Opportunity string // title of the opportunity it refers to, if any
	Status      profiles.RequestStatus
	Created     time.Time
	Expires     *time.Time
	// What the auth.Viewer may do with it.
	CanAnswer, CanCancel bool
}

// requestsPageData is the inbox and the outbox of a participant.
type requestsPageData struct {
	Inbox, Outbox []requestItem
	Pending       int // requests waiting for the auth.Viewer's answer
}

// requestsPage is GET /e/:event/me/requests.
func (s *Site) requestsPage(c *gin.Context) {
	v := auth.ViewerOf(c)
	now := time.Now()
	var (
		ev *profiles.Event
		d  requestsPageData
	)
	err := s.store.View(func(tx *profiles.Tx) error {
		var err error
		if ev, err = tx.Event(v.Event); err != nil {
			return err
		}
		loc, err := ev.Location()
		if err != nil {
			return err
		}
		in, err := tx.RequestsTo(v.Event, v.Participant)
		if err != nil {
			return err
		}
		out, err := tx.RequestsFrom(v.Event, v.Participant)
		if err != nil {
			return err
		}
		view := func(r *profiles.MeetingRequest, partnerID string) (requestItem, error) {
			p, err := tx.Participant(v.Event, partnerID)
			if err != nil {
				return requestItem{}, err
			}
			org, err := tx.Organization(v.Event, p.OrganizationID)
			if err != nil {
				return requestItem{}, err
			}
			rv := requestItem{ID: r.ID, Partner: personCardOf(p), Org: *org, Message: r.Message, Reply: r.Reply, Status: r.Status,
				Created: r.CreatedAt.In(loc)}
			if r.ExpiresAt != nil {
				t := r.ExpiresAt.In(loc)
				rv.Expires = &t
				if r.Status == profiles.RequestPending && !now.Before(t) {
					rv.Status = profiles.RequestExpired // the store marks it at the next write
				}
			}
			if r.OpportunityID != "" {
				if o, err := tx.Opportunity(v.Event, r.OpportunityID); err == nil {
					rv.Opportunity = o.Title
				}
			}
			return rv, nil
		}
		for i := range in {
			rv, err := view(&in[i], in[i].From)
			if err != nil {
				return err
			}
			rv.CanAnswer = rv.Status == profiles.RequestPending
			rv.CanCancel = rv.Status == profiles.RequestAccepted
			if rv.CanAnswer {
				d.Pending++
			}
			d.Inbox = append(d.Inbox, rv)
		}
		for i := range out {
			rv, err := view(&out[i], out[i].To)
			if err != nil {
				return err
			}
			rv.CanCancel = rv.Status == profiles.RequestPending || rv.Status == profiles.RequestAccepted
			d.Outbox = append(d.Outbox, rv)
		}
		return nil
	})
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	// Pending first (what waits for someone), then the newest.
	order := func(a, b requestItem) int {
		return cmp.Or(boolRank(b.Status == profiles.RequestPending)-boolRank(a.Status == profiles.RequestPending),
			b.Created.Compare(a.Created), cmp.Compare(a.ID, b.ID))
	}
	slices.SortFunc(d.Inbox, order)
	slices.SortFunc(d.Outbox, order)
	s.render(c, http.StatusOK, "requests", &pageView{Title: "title.requests", Event: ev, Section: "requests", Data: d})
}

// sendMyRequest is POST /e/:event/me/requests: the viewer asks another
// participant (form field "to") for a meeting, with an optional message
// and opportunity. Sending is rate-limited per participant.
func (s *Site) sendMyRequest(c *gin.Context) {
	v := auth.ViewerOf(c)
	back := backTo(c, v.Event, eventPath(v.Event, "/me/requests"))
	message := strings.TrimSpace(c.PostForm("message"))
	if utf8.RuneCountInString(message) > maxMessage {
		s.redirectWith(c, back, "error", s.tr(c, "flash.message_long", map[string]any{"Count": maxMessage}))
		return
	}
	to := strings.TrimSpace(c.PostForm("to"))
	if to == "" || to == v.Participant {
		s.redirectWith(c, back, "error", s.tr(c, "flash.someone_else", nil))
		return
	}
	now := time.Now()
	if !s.sendLimit.Allow(v.Event+"/"+v.Participant, now) {
		s.redirectWith(c, back, "error", s.tr(c, "flash.too_many_requests", nil))
		return
	}
	var (
		r    *profiles.MeetingRequest
		name string
	)
	err := s.store.Update(func(tx *profiles.Tx) error {
		p, err := tx.Participant(v.Event, to)
		if err != nil {
			return err
		}
		name = p.Name()
		r, err = tx.SendRequest(v.Event, v.Participant, to, message, strings.TrimSpace(c.PostForm("opportunity")), now)
		return err
	})
	switch {
	case err != nil:
		s.redirectWith(c, back, "error", s.sendRefusal(c, err, v.Participant, name))
	case r.Status == profiles.RequestAccepted:
		s.redirectWith(c, back, "ok", s.tr(c, "flash.request_auto", map[string]any{"Name": name}))
	default:
		s.redirectWith(c, back, "ok", s.tr(c, "flash.request_sent", map[string]any{"Name": name}))
	}
}

// sendRefusal says in words why a request to name was refused.
func (s *Site) sendRefusal(c *gin.Context, err error, me, name string) string {
	var (
		open  *profiles.OpenRequestError
		limit *profiles.PendingLimitError
		field *profiles.FieldError
	)
	named := map[string]any{"Name": name}
	switch {
	case errors.As(err, &open) && open.Existing.Status == profiles.RequestAccepted:
		return s.tr(c, "flash.dup_accepted", named)
	case errors.As(err, &open) && open.Existing.From == me:
		return s.tr(c, "flash.dup_sent", named)
	case errors.As(err, &open):
		return s.tr(c, "flash.dup_received", named)
	case errors.As(err, &limit):
		return s.tr(c, "flash.pending_limit", map[string]any{"Count": limit.Pending})
	case errors.As(err, &field) && field.Field == "to":
		return s.tr(c, "flash.cannot_meet", map[string]any{"Name": name, "Reason": s.i18n.reason(s.lang(c), field)})
	}
	return s.userMessage(c, err)
}

// answerMyRequest is POST /e/:event/me/requests/:request/{accept,decline,cancel}.
// The store checks that the viewer is the receiver (accept, decline) or a
// side allowed to cancel.
func (s *Site) answerMyRequest(c *gin.Context) {
	v := auth.ViewerOf(c)
	back := backTo(c, v.Event, eventPath(v.Event, "/me/requests"))
	id, action := c.Param("request"), c.Param("action")
	reply := strings.TrimSpace(c.PostForm("reply"))
	if utf8.RuneCountInString(reply) > maxMessage {
		s.redirectWith(c, back, "error", s.tr(c, "flash.reply_long", map[string]any{"Count": maxMessage}))
		return
	}
	now := time.Now()
	var ok string
	err := s.store.Update(func(tx *profiles.Tx) error {
		var err error
		switch action {
		case "accept":
			_, err = tx.AnswerRequest(v.Event, id, v.Participant, true, reply, now)
			ok = "flash.accepted"
		case "decline":
			_, err = tx.AnswerRequest(v.Event, id, v.Participant, false, reply, now)
			ok = "flash.declined"
		case "cancel":
			_, err = tx.CancelRequest(v.Event, id, v.Participant, now)
			ok = "flash.cancelled"
		default:
			err = fmt.Errorf("unknown action %q: %w", action, profiles.ErrNotFound)
		}
		return err
	})
	switch {
	case errors.Is(err, profiles.ErrNotFound) || errors.Is(err, profiles.ErrForbidden):
		// The same answer for another's request and a missing one: the
		// store's message would name the participants of another's request.
		s.errorPage(c, http.StatusNotFound, s.tr(c, "error.no_request", nil))
	case err != nil:
		s.redirectWith(c, back, "error", s.userMessage(c, err))
	default:
		s.redirectWith(c, back, "ok", s.tr(c, ok, nil))
	}
}
