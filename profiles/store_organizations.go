package profiles

import "fmt"

var organizations = &table[Organization]{
	bucket: "organizations",
	entity: EntityOrganization,
	id:     func(o *Organization) string { return o.ID },
	event:  func(o *Organization) string { return o.EventID },
	indexes: []secondary[Organization]{
		{name: "organizations_by_external_id", keys: func(o *Organization) []string {
			keys := make([]string, 0, len(o.ExternalIDs))
			for _, scheme := range sortedKeys(o.ExternalIDs) {
				keys = append(keys, scheme+":"+o.ExternalIDs[scheme])
			}
			return keys
		}},
	},
}

// Organization reads one organization.
func (tx *Tx) Organization(eventID, id string) (*Organization, error) {
	return organizations.get(tx, eventID, id)
}

// Organizations returns the organizations of an event in ID order.
func (tx *Tx) Organizations(eventID string) ([]Organization, error) {
	return organizations.all(tx, eventID)
}

// EachOrganization calls fn with the organizations of an event one at a
// time, in ID order, without holding them all (an event's track-record
// texts may weigh hundreds of MB); an error of fn ends the walk and is
// returned.
func (tx *Tx) EachOrganization(eventID string, fn func(*Organization) error) error {
	return organizations.each(tx, eventID, fn)
}

// OrganizationsPage returns one page of an event's organizations in ID
// order and their total count.
func (tx *Tx) OrganizationsPage(eventID string, offset, limit int) ([]Organization, int, error) {
	return organizations.page(tx, eventID, offset, limit)
}

// OrganizationByExternalID finds an organization by its ID in another
// registry, e.g. ("pic", "999978433"); ErrNotFound if none.
func (tx *Tx) OrganizationByExternalID(eventID, scheme, value string) (*Organization, error) {
	found, err := organizations.lookup(tx, eventID, "organizations_by_external_id", scheme+":"+value)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("organization with %s %q in event %q: %w", scheme, value, eventID, ErrNotFound)
	}
	return &found[0], nil
}

// CreateOrganization stores a new organization; ErrConflict if its ID is taken.
func (tx *Tx) CreateOrganization(o *Organization) error { return tx.putOrganization(o, modeCreate) }

// UpdateOrganization replaces a stored organization; ErrNotFound if there is none.
func (tx *Tx) UpdateOrganization(o *Organization) error { return tx.putOrganization(o, modeUpdate) }

// PutOrganization creates or replaces an organization.
func (tx *Tx) PutOrganization(o *Organization) error { return tx.putOrganization(o, modeUpsert) }

func (tx *Tx) putOrganization(o *Organization, mode putMode) error {
	if err := o.Validate(); err != nil {
		return err
	}
	_, err := organizations.put(tx, o, mode)
	return err
}

// DeleteOrganization removes an organization. It fails with ErrConflict
// while participants still represent it.
func (tx *Tx) DeleteOrganization(eventID, id string) error {
	people, err := tx.ParticipantsOfOrganization(eventID, id)
	if err != nil {
		return err
	}
	if len(people) > 0 {
		return fmt.Errorf("organization %q still has %d participants (first %q): %w", id, len(people), people[0].ID, ErrConflict)
	}
	_, err = organizations.delete(tx, eventID, id)
	return err
}
