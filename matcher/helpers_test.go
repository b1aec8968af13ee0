package matcher

import "github.com/matchgrid/matchgrid/profiles"

// createWithDelegates stores the organizations in event "ev", each with
// one delegate "p-<organization ID>".
func createWithDelegates(tx *profiles.Tx, orgs []profiles.Organization) error {
	for i := range orgs {
		o := &orgs[i]
		o.EventID = "ev"
		if err := tx.CreateOrganization(o); err != nil {
			return err
		}
		p := profiles.Participant{ID: "p-" + o.ID, EventID: "ev", OrganizationID: o.ID, LastName: o.ID, Type: profiles.TypeDelegate}
		if err := tx.CreateParticipant(&p); err != nil {
			return err
		}
	}
	return nil
}
