package profiles

import (
	"fmt"
	"time"
)

// The meeting-request life cycle as participants drive it, with the event's
// RequestPolicy applied. The plain CreateRequest/UpdateRequest check only
// consistency; these check who acts and what the policy allows.

// SendRequest creates a request from one participant to another at time
// now. It applies the event's policy: with AutoAccept the request is
// accepted at once; a sender may have at most MaxPendingOutgoing pending
// requests (expired ones are expired first and do not count); with
// ExpiryHours the request expires that long after it was sent. A referenced
// opportunity must be the sender's or the receiver's.
func (tx *Tx) SendRequest(eventID, from, to, message, opportunityID string, now time.Time) (*MeetingRequest, error) {
	ev, err := tx.Event(eventID)
	if err != nil {
		return nil, err
	}
	if opportunityID != "" {
		opp, err := tx.Opportunity(eventID, opportunityID)
		if err != nil {
			return nil, &RefError{Field: "opportunity_id", Err: err}
		}
		if opp.ParticipantID != from && opp.ParticipantID != to {
			return nil, NewFieldError("meeting request", "", "opportunity_id", opportunityID, "the opportunity is neither the sender's nor the receiver's")
		}
	}
	if limit := ev.Policy.MaxPendingOutgoing; limit > 0 {
		sent, err := tx.RequestsFrom(eventID, from)
		if err != nil {
			return nil, err
		}
		// Expired requests free their place: expire the sender's ones now
		// (a full sweep of the event is ExpireRequests' job, not every send's).
		if _, err := tx.expire(sent, now); err != nil {
			return nil, err
		}
		pending := 0
		for _, r := range sent {
			if r.Status == RequestPending {
				pending++
			}
		}
		if pending >= limit {
			return nil, &PendingLimitError{Participant: from, Pending: pending, Limit: limit}
		}
	}
	now = now.UTC()
	r := &MeetingRequest{ID: NewID("req"), EventID: eventID, From: from, To: to, Message: message,
		OpportunityID: opportunityID, Status: RequestPending, CreatedAt: now, UpdatedAt: now}
	if ev.Policy.AutoAccept {
		r.Status = RequestAccepted
	} else if ev.Policy.ExpiryHours > 0 {
		expires := now.Add(time.Duration(ev.Policy.ExpiryHours) * time.Hour)
		r.ExpiresAt = &expires
	}
	if err := tx.CreateRequest(r); err != nil {
		return nil, err
	}
	return r, nil
}

// RespondRequest lets the receiver accept or decline a pending request.
// Anyone else gets ErrForbidden; an answered or expired request ErrConflict.
func (tx *Tx) RespondRequest(eventID, requestID, participantID string, accept bool, now time.Time) (*MeetingRequest, error) {
	return tx.AnswerRequest(eventID, requestID, participantID, accept, "", now)
}

// AnswerRequest is RespondRequest with a reply for the sender (may be empty).
func (tx *Tx) AnswerRequest(eventID, requestID, participantID string, accept bool, reply string, now time.Time) (*MeetingRequest, error) {
	r, err := tx.Request(eventID, requestID)
	if err != nil {
		return nil, err
	}
	if r.To != participantID {
		return nil, fmt.Errorf("meeting request %q was sent to %q, not to %q: %w", requestID, r.To, participantID, ErrForbidden)
	}
	if r.Status == RequestPending && r.expired(now) {
		r.Status, r.UpdatedAt = RequestExpired, now.UTC()
		if err := tx.UpdateRequest(r); err != nil {
			return nil, err
		}
	}
	if r.Status != RequestPending {
		return nil, fmt.Errorf("meeting request %q is %s, it can no longer be answered: %w", requestID, r.Status, ErrConflict)
	}
	r.Status, r.UpdatedAt, r.Reply = RequestDeclined, now.UTC(), reply
	if accept {
		r.Status = RequestAccepted
	}
	return r, tx.UpdateRequest(r)
}

// CancelRequest withdraws a request: the sender may withdraw a pending one,
// either side may cancel an accepted one. A meeting already on the grid for
// it is cancelled too (its calendar sequence rises, so agendas drop it).
func (tx *Tx) CancelRequest(eventID, requestID, participantID string, now time.Time) (*MeetingRequest, error) {
	r, err := tx.Request(eventID, requestID)
	if err != nil {
		return nil, err
	}
	switch {
	case r.Status == RequestPending && r.From != participantID:
		return nil, fmt.Errorf("only the sender %q may withdraw pending request %q: %w", r.From, requestID, ErrForbidden)
	case r.Status == RequestAccepted && r.From != participantID && r.To != participantID:
		return nil, fmt.Errorf("meeting request %q is between %q and %q: %w", requestID, r.From, r.To, ErrForbidden)
	case r.Status != RequestPending && r.Status != RequestAccepted:
		return nil, fmt.Errorf("meeting request %q is already %s: %w", requestID, r.Status, ErrConflict)
	}
	r.Status, r.UpdatedAt = RequestCancelled, now.UTC()
	if err := tx.UpdateRequest(r); err != nil {
		return nil, err
	}
	meetings, err := tx.MeetingsOfParticipant(eventID, r.From)
	if err != nil {
		return nil, err
	}
	for _, m := range meetings {
		if m.RequestID == r.ID && m.Status == MeetingScheduled {
			m.Status = MeetingCancelled
			if err := tx.UpdateMeeting(&m); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

// ExpireRequests marks every pending request of the event whose expiry has
// passed at now as expired, and returns how many it marked.
func (tx *Tx) ExpireRequests(eventID string, now time.Time) (int, error) {
	all, err := tx.Requests(eventID)
	if err != nil {
		return 0, err
	}
	return tx.expire(all, now)
}

// expire marks the pending requests among rs whose expiry has passed at now
// as expired, in the store and in rs, and returns how many it marked.
func (tx *Tx) expire(rs []MeetingRequest, now time.Time) (int, error) {
	n := 0
	for i := range rs {
		r := &rs[i]
		if r.Status == RequestPending && r.expired(now) {
			r.Status, r.UpdatedAt = RequestExpired, now.UTC()
			if err := tx.UpdateRequest(r); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

func (r *MeetingRequest) expired(now time.Time) bool {
	return r.ExpiresAt != nil && !now.Before(*r.ExpiresAt)
}
