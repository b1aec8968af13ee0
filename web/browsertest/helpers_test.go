package browsertest_test

import (
	"testing"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

// readTx runs fn in a read transaction or fails the test.
func readTx(t *testing.T, eng *matchgrid.Engine, fn func(tx *profiles.Tx) error) {
	t.Helper()
	if err := eng.Store().View(fn); err != nil {
		t.Fatal(err)
	}
}

// demoOrgWithPerson returns an organization of the demo event other than
// participant a's, and one of its people.
func demoOrgWithPerson(t *testing.T, srv *webtest.BrowserServer, a string) (profiles.Organization, profiles.Participant) {
	t.Helper()
	var (
		org    profiles.Organization
		person profiles.Participant
	)
	readTx(t, srv.Eng, func(tx *profiles.Tx) error {
		me, err := tx.Participant(demo.EventID, a)
		if err != nil {
			return err
		}
		people, err := tx.Participants(demo.EventID)
		if err != nil {
			return err
		}
		for _, p := range people[len(people)/2:] { // not the first few, which other tests use
			if p.OrganizationID != me.OrganizationID && p.Type == me.Type {
				o, err := tx.Organization(demo.EventID, p.OrganizationID)
				if err != nil {
					return err
				}
				org, person = *o, p
				return nil
			}
		}
		t.Fatal("no other organization in the demo event")
		return nil
	})
	return org, person
}
