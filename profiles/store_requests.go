package profiles

import "fmt"

var requests = &table[MeetingRequest]{
	bucket: "requests",
	entity: EntityRequest,
	id:     func(r *MeetingRequest) string { return r.ID },
	event:  func(r *MeetingRequest) string { return r.EventID },
	indexes: []secondary[MeetingRequest]{
		{name: "requests_from", keys: func(r *MeetingRequest) []string { return []string{r.From} }},
		{name: "requests_to", keys: func(r *MeetingRequest) []string { return []string{r.To} }},
		{name: "requests_by_opportunity", keys: func(r *MeetingRequest) []string { return nonEmpty(r.OpportunityID) }},
	},
}

// Request reads one meeting request.
func (tx *Tx) Request(eventID, id string) (*MeetingRequest, error) {
	return requests.get(tx, eventID, id)
}

// Requests returns the meeting requests of an event in ID order.
func (tx *Tx) Requests(eventID string) ([]MeetingRequest, error) {
	return requests.all(tx, eventID)
}

// RequestsFrom returns the requests a participant sent.
func (tx *Tx) RequestsFrom(eventID, participantID string) ([]MeetingRequest, error) {
	return requests.lookup(tx, eventID, "requests_from", participantID)
}

// RequestsTo returns the requests a participant received.
func (tx *Tx) RequestsTo(eventID, participantID string) ([]MeetingRequest, error) {
	return requests.lookup(tx, eventID, "requests_to", participantID)
}

// CreateRequest stores a new meeting request; ErrConflict if its ID is taken
// or if the pair already has an open (pending or accepted) request.
func (tx *Tx) CreateRequest(r *MeetingRequest) error { return tx.putRequest(r, modeCreate) }

// UpdateRequest replaces a stored request; ErrNotFound if there is none, and
// ErrConflict for a status change the request life cycle forbids.
func (tx *Tx) UpdateRequest(r *MeetingRequest) error { return tx.putRequest(r, modeUpdate) }

// PutRequest creates or replaces a request without life-cycle checks (imports).
func (tx *Tx) PutRequest(r *MeetingRequest) error { return tx.putRequest(r, modeUpsert) }

func (tx *Tx) putRequest(r *MeetingRequest, mode putMode) error {
	if err := r.Validate(); err != nil {
		return err
	}
	ev, err := tx.Event(r.EventID)
	if err != nil {
		return err
	}
	pair, err := participants.getEach(tx, r.EventID, r.From, r.To)
	if err != nil {
		return err
	}
	from, to := pair[0], pair[1]
	if from == nil {
		return &RefError{Entity: "meeting request", ID: r.ID, Field: "from", Err: participants.notFound(r.EventID, r.From)}
	}
	if to == nil {
		return &RefError{Entity: "meeting request", ID: r.ID, Field: "to", Err: participants.notFound(r.EventID, r.To)}
	}
	if from.OrganizationID == to.OrganizationID {
		return NewFieldError("meeting request", r.ID, "to", r.To, "both participants represent organization %q", from.OrganizationID)
	}
	if !ev.MayMeet(from.Type, to.Type) {
		return NewFieldError("meeting request", r.ID, "to", r.To, "the event's rules do not let a %s meet a %s", from.Type, to.Type)
	}
	if r.OpportunityID != "" {
		if _, err := tx.Opportunity(r.EventID, r.OpportunityID); err != nil {
			return &RefError{Entity: "meeting request", ID: r.ID, Field: "opportunity_id", Err: err}
		}
	}
	switch mode {
	case modeCreate:
		if err := tx.checkNoOpenRequest(r); err != nil {
			return err
		}
	case modeUpdate:
		old, err := tx.Request(r.EventID, r.ID)
		if err != nil {
			return err
		}
		if old.From != r.From || old.To != r.To {
			return fmt.Errorf("meeting request %q: sender and receiver cannot change: %w", r.ID, ErrConflict)
		}
		if old.Status != r.Status && !old.Status.CanBecome(r.Status) {
			return fmt.Errorf("meeting request %q: status cannot go from %s to %s: %w", r.ID, old.Status, r.Status, ErrConflict)
		}
	}
	_, err = requests.put(tx, r, mode)
	return err
}

// checkNoOpenRequest refuses a second open request between the same two
// participants, in either direction.
func (tx *Tx) checkNoOpenRequest(r *MeetingRequest) error {
	sent, err := tx.RequestsFrom(r.EventID, r.From)
	if err != nil {
		return err
	}
	received, err := tx.RequestsTo(r.EventID, r.From)
	if err != nil {
		return err
	}
	for _, other := range append(sent, received...) {
		open := other.Status == RequestPending || other.Status == RequestAccepted
		if open && other.ID != r.ID && (other.To == r.To || other.From == r.To) {
			return &OpenRequestError{Request: r.ID, Existing: other}
		}
	}
	return nil
}

// DeleteRequest removes a meeting request.
func (tx *Tx) DeleteRequest(eventID, id string) error {
	_, err := requests.delete(tx, eventID, id)
	return err
}
