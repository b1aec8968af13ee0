package profiles

import (
	"slices"
	"time"
)

// RequestStatus is the state of a meeting request.
type RequestStatus string

// Meeting request states. A request starts pending and ends in one of the others.
const (
	RequestPending   RequestStatus = "pending"
	RequestAccepted  RequestStatus = "accepted"
	RequestDeclined  RequestStatus = "declined"
	RequestCancelled RequestStatus = "cancelled" // withdrawn by the sender, or either side after acceptance
	RequestExpired   RequestStatus = "expired"
)

// RequestStatuses lists every request state.
var RequestStatuses = []RequestStatus{RequestPending, RequestAccepted, RequestDeclined, RequestCancelled, RequestExpired}

// Valid reports whether s is a known request state.
func (s RequestStatus) Valid() bool { return slices.Contains(RequestStatuses, s) }

// CanBecome reports whether a request in state s may move to next.
// Pending moves anywhere; accepted can only be cancelled; the rest are final.
func (s RequestStatus) CanBecome(next RequestStatus) bool {
	switch s {
	case RequestPending:
		return next != RequestPending
	case RequestAccepted:
		return next == RequestCancelled
	default:
		return false
	}
}

// MeetingRequest is one participant asking another for a one-to-one meeting.
type MeetingRequest struct {
	ID      string `json:"id"`
	EventID string `json:"event_id"`
	From    string `json:"from"` // participant ID of the sender
	To      string `json:"to"`   // participant ID of the receiver
	Message string `json:"message,omitempty"`
	// Reply is the receiver's message with their answer, if any.
	Reply         string        `json:"reply,omitempty"`
	OpportunityID string        `json:"opportunity_id,omitempty"`
	Status        RequestStatus `json:"status"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
	ExpiresAt     *time.Time    `json:"expires_at,omitempty"`
}

// Validate checks the request's own fields; that both participants exist
// and may meet is checked by the store.
func (r *MeetingRequest) Validate() error {
	const ent = "meeting request"
	if err := checkID(ent, r.ID, "id", r.ID); err != nil {
		return err
	}
	if err := checkID(ent, r.ID, "event_id", r.EventID); err != nil {
		return err
	}
	if err := checkID(ent, r.ID, "from", r.From); err != nil {
		return err
	}
	if err := checkID(ent, r.ID, "to", r.To); err != nil {
		return err
	}
	if r.From == r.To {
		return fieldErr(ent, r.ID, "to", r.To, "a participant cannot request a meeting with themselves")
	}
	if r.OpportunityID != "" {
		if err := checkID(ent, r.ID, "opportunity_id", r.OpportunityID); err != nil {
			return err
		}
	}
	if !r.Status.Valid() {
		return fieldErr(ent, r.ID, "status", r.Status, "must be one of %v", RequestStatuses)
	}
	if err := checkText(ent, r.ID, "message", r.Message, textRules[ent]["message"]); err != nil {
		return err
	}
	if len(r.Reply) > 4000 {
		return fieldErr(ent, r.ID, "reply", len(r.Reply), "must be at most 4000 bytes")
	}
	if r.CreatedAt.IsZero() {
		return fieldErr(ent, r.ID, "created_at", r.CreatedAt, "must be set")
	}
	return nil
}
