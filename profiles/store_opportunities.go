package profiles

var opportunities = &table[Opportunity]{
	bucket: "opportunities",
	entity: EntityOpportunity,
	id:     func(o *Opportunity) string { return o.ID },
	event:  func(o *Opportunity) string { return o.EventID },
	indexes: []secondary[Opportunity]{
		{name: "opportunities_by_participant", keys: func(o *Opportunity) []string { return []string{o.ParticipantID} }},
		{name: "opportunities_by_organization", keys: func(o *Opportunity) []string { return []string{o.OrganizationID} }},
	},
}

// Opportunity reads one opportunity.
func (tx *Tx) Opportunity(eventID, id string) (*Opportunity, error) {
	return opportunities.get(tx, eventID, id)
}

// Opportunities returns the opportunities of an event in ID order.
func (tx *Tx) Opportunities(eventID string) ([]Opportunity, error) {
	return opportunities.all(tx, eventID)
}

// OpportunitiesOfParticipant returns the opportunities a participant published.
func (tx *Tx) OpportunitiesOfParticipant(eventID, participantID string) ([]Opportunity, error) {
	return opportunities.lookup(tx, eventID, "opportunities_by_participant", participantID)
}

// OpportunitiesOfOrganization returns the opportunities published on behalf of an organization.
func (tx *Tx) OpportunitiesOfOrganization(eventID, orgID string) ([]Opportunity, error) {
	return opportunities.lookup(tx, eventID, "opportunities_by_organization", orgID)
}

// CreateOpportunity stores a new opportunity; ErrConflict if its ID is taken.
// An empty OrganizationID is filled from the participant.
func (tx *Tx) CreateOpportunity(o *Opportunity) error { return tx.putOpportunity(o, modeCreate) }

// UpdateOpportunity replaces a stored opportunity; ErrNotFound if there is none.
func (tx *Tx) UpdateOpportunity(o *Opportunity) error { return tx.putOpportunity(o, modeUpdate) }

// PutOpportunity creates or replaces an opportunity.
func (tx *Tx) PutOpportunity(o *Opportunity) error { return tx.putOpportunity(o, modeUpsert) }

func (tx *Tx) putOpportunity(o *Opportunity, mode putMode) error {
	if err := o.Validate(); err != nil {
		return err
	}
	p, err := tx.Participant(o.EventID, o.ParticipantID)
	if err != nil {
		return &RefError{Entity: "opportunity", ID: o.ID, Field: "participant_id", Err: err}
	}
	switch o.OrganizationID {
	case "":
		o.OrganizationID = p.OrganizationID
	case p.OrganizationID:
	default:
		return NewFieldError("opportunity", o.ID, "organization_id", o.OrganizationID, "participant %q represents organization %q", p.ID, p.OrganizationID)
	}
	_, err = opportunities.put(tx, o, mode)
	return err
}

// DeleteOpportunity removes an opportunity. Requests that referred to it keep
// their message but lose the reference.
func (tx *Tx) DeleteOpportunity(eventID, id string) error {
	if _, err := opportunities.delete(tx, eventID, id); err != nil {
		return err
	}
	reqs, err := requests.lookup(tx, eventID, "requests_by_opportunity", id)
	if err != nil {
		return err
	}
	for i := range reqs {
		reqs[i].OpportunityID = ""
		if _, err := requests.put(tx, &reqs[i], modeUpdate); err != nil {
			return err
		}
	}
	return nil
}
