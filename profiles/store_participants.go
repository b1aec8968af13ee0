package profiles

import "fmt"

var participants = &table[Participant]{
	bucket: "participants",
	entity: EntityParticipant,
	id:     func(p *Participant) string { return p.ID },
	event:  func(p *Participant) string { return p.EventID },
	indexes: []secondary[Participant]{
		{name: "participants_by_organization", keys: func(p *Participant) []string { return []string{p.OrganizationID} }},
		{name: "participants_by_secret", keys: func(p *Participant) []string { return nonEmpty(p.SecretHash) }},
		{name: "participants_by_email", keys: func(p *Participant) []string { return nonEmpty(p.Email) }},
	},
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// Participant reads one participant.
func (tx *Tx) Participant(eventID, id string) (*Participant, error) {
	return participants.get(tx, eventID, id)
}

// Participants returns the participants of an event in ID order.
func (tx *Tx) Participants(eventID string) ([]Participant, error) {
	return participants.all(tx, eventID)
}

// ParticipantsPage returns one page of an event's participants in ID order
// and their total count.
func (tx *Tx) ParticipantsPage(eventID string, offset, limit int) ([]Participant, int, error) {
	return participants.page(tx, eventID, offset, limit)
}

// ParticipantsOfOrganization returns the participants representing an organization.
func (tx *Tx) ParticipantsOfOrganization(eventID, orgID string) ([]Participant, error) {
	return participants.lookup(tx, eventID, "participants_by_organization", orgID)
}

// ParticipantBySecret finds the participant whose personal-link secret this
// is; ErrNotFound if none. The lookup goes by hash, so the secret is never stored.
func (tx *Tx) ParticipantBySecret(eventID, secret string) (*Participant, error) {
	found, err := participants.lookup(tx, eventID, "participants_by_secret", HashSecret(secret))
	if err != nil {
		return nil, err
	}
	if len(found) == 0 || !found[0].CheckSecret(secret) {
		return nil, fmt.Errorf("participant with that secret in event %q: %w", eventID, ErrNotFound)
	}
	return &found[0], nil
}

// ParticipantByEmail finds a participant by e-mail address; ErrNotFound if none.
func (tx *Tx) ParticipantByEmail(eventID, email string) (*Participant, error) {
	found, err := participants.lookup(tx, eventID, "participants_by_email", email)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("participant with e-mail %q in event %q: %w", email, eventID, ErrNotFound)
	}
	return &found[0], nil
}

// CreateParticipant stores a new participant; ErrConflict if its ID is taken.
func (tx *Tx) CreateParticipant(p *Participant) error { return tx.putParticipant(p, modeCreate) }

// UpdateParticipant replaces a stored participant; ErrNotFound if there is none.
func (tx *Tx) UpdateParticipant(p *Participant) error { return tx.putParticipant(p, modeUpdate) }

// PutParticipant creates or replaces a participant.
func (tx *Tx) PutParticipant(p *Participant) error { return tx.putParticipant(p, modeUpsert) }

func (tx *Tx) putParticipant(p *Participant, mode putMode) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if _, err := tx.Organization(p.EventID, p.OrganizationID); err != nil {
		return &RefError{Entity: "participant", ID: p.ID, Field: "organization_id", Err: err}
	}
	if p.Email != "" {
		if other, err := tx.ParticipantByEmail(p.EventID, p.Email); err == nil && other.ID != p.ID {
			// Which participant has it is not said: that would tell anyone
			// who tries an address whether it is registered, and by whom.
			return fmt.Errorf("participant %q: field email: value %q: this address cannot be used: %w", p.ID, p.Email, ErrConflict)
		}
	}
	if p.SecretHash != "" {
		if found, err := participants.lookup(tx, p.EventID, "participants_by_secret", p.SecretHash); err != nil {
			return err
		} else if len(found) > 0 && found[0].ID != p.ID {
			return fmt.Errorf("participant %q: field secret_hash: shared with participant %q: %w", p.ID, found[0].ID, ErrConflict)
		}
	}
	old, err := participants.put(tx, p, mode)
	if err != nil {
		return err
	}
	if old != nil && old.SecretHash != p.SecretHash {
		// A new personal link (or none) ends the sessions of the old one.
		if err := tx.EndSessions(p.EventID, p.ID); err != nil {
			return err
		}
	}
	if old != nil && old.OrganizationID != p.OrganizationID {
		// Opportunities are published on behalf of the organization: follow the move.
		opps, err := tx.OpportunitiesOfParticipant(p.EventID, p.ID)
		if err != nil {
			return err
		}
		for i := range opps {
			opps[i].OrganizationID = p.OrganizationID
			if _, err := opportunities.put(tx, &opps[i], modeUpdate); err != nil {
				return err
			}
		}
	}
	return nil
}

// DeleteParticipant removes a participant with their opportunities and
// meeting requests. It fails with ErrConflict while they have meetings on
// the grid: cancel those first, so that both agendas learn of it.
func (tx *Tx) DeleteParticipant(eventID, id string) error {
	if _, err := tx.Participant(eventID, id); err != nil {
		return err
	}
	meetings, err := tx.MeetingsOfParticipant(eventID, id)
	if err != nil {
		return err
	}
	if len(meetings) > 0 {
		return fmt.Errorf("participant %q has %d meetings on the grid (first %q): %w", id, len(meetings), meetings[0].ID, ErrConflict)
	}
	opps, err := tx.OpportunitiesOfParticipant(eventID, id)
	if err != nil {
		return err
	}
	for _, o := range opps {
		if _, err := opportunities.delete(tx, eventID, o.ID); err != nil {
			return err
		}
	}
	for _, lookup := range []func(string, string) ([]MeetingRequest, error){tx.RequestsFrom, tx.RequestsTo} {
		reqs, err := lookup(eventID, id)
		if err != nil {
			return err
		}
		for _, r := range reqs {
			if _, err := requests.delete(tx, eventID, r.ID); err != nil {
				return err
			}
		}
	}
	if _, err = participants.delete(tx, eventID, id); err != nil {
		return err
	}
	return tx.EndSessions(eventID, id)
}
