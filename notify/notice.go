package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// Kind is what happened.
type Kind string

// Notice kinds.
const (
	RequestSent      Kind = "request.sent"
	RequestAccepted  Kind = "request.accepted"
	RequestDeclined  Kind = "request.declined"
	RequestCancelled Kind = "request.cancelled"
	// GridUpdated: meetings on the grid were placed, moved or cancelled.
	// Sinks tell "published" (first time a recipient hears of the grid)
	// from "changed".
	GridUpdated Kind = "grid.updated"
)

// requestKinds maps request states to notice kinds; other states notify nothing.
var requestKinds = map[profiles.RequestStatus]Kind{
	profiles.RequestPending:   RequestSent,
	profiles.RequestAccepted:  RequestAccepted,
	profiles.RequestDeclined:  RequestDeclined,
	profiles.RequestCancelled: RequestCancelled,
}

// Notice is one happening worth telling someone about.
type Notice struct {
	Kind    Kind
	EventID string
	// Key identifies the happening: the same request in the same state,
	// or the grid in the same arrangement, gives the same key. Sinks
	// append their recipient to make an outbox idempotency key.
	Key string
	At  time.Time
	// Request is the request of a request notice.
	Request *profiles.MeetingRequest
	// Meetings are, for GridUpdated, the meetings of the commit that
	// changed; Participants the participants they involve, sorted.
	Meetings     []profiles.Meeting
	Participants []string
}

// requestNotice returns the notice of a request's current state, or nil.
func requestNotice(r *profiles.MeetingRequest, at time.Time) *Notice {
	kind, ok := requestKinds[r.Status]
	if !ok {
		return nil
	}
	return &Notice{Kind: kind, EventID: r.EventID, Key: string(kind) + ":" + r.EventID + ":" + r.ID, At: at, Request: r}
}

// gridNotice returns the notice of changed meetings; its key is the
// arrangement of the whole grid (slot, table and cancellation of every
// meeting), so a change that leaves the grid as it was (locking a meeting,
// reporting it held) adds nothing.
func gridNotice(tx *profiles.Tx, eventID string, changed []profiles.Meeting, at time.Time) (*Notice, error) {
	all, err := tx.Meetings(eventID)
	if err != nil {
		return nil, err
	}
	n := &Notice{Kind: GridUpdated, EventID: eventID, Key: "grid:" + eventID + ":" + Arrangement(all), At: at, Meetings: changed}
	for _, m := range changed {
		n.Participants = append(n.Participants, m.A, m.B)
	}
	slices.Sort(n.Participants)
	n.Participants = slices.Compact(n.Participants)
	return n, nil
}

// Arrangement fingerprints where meetings are: their IDs, slots, tables
// and whether they are cancelled, in ID order; not their lock or whether
// they were held. Two arrangements are equal when nobody's agenda differs.
func Arrangement(meetings []profiles.Meeting) string {
	ms := slices.Clone(meetings)
	slices.SortFunc(ms, func(a, b profiles.Meeting) int { return strings.Compare(a.ID, b.ID) })
	h := sha256.New()
	for _, m := range ms {
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00%t\n", m.ID, m.Slot, m.Table, m.Status == profiles.MeetingCancelled)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
