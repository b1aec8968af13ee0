package matchgrid_test

import (
	"fmt"
	"log"
	"os"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
)

func Example() {
	dir, err := os.MkdirTemp("", "matchgrid-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	eng, err := matchgrid.Open(dir, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Close()

	ev := &profiles.Event{
		ID: "lifesci-2027", Name: "Life Sciences Brokerage 2027", TimeZone: "Europe/Rome",
		Days:           []profiles.Day{{Date: "2027-03-16", Sessions: []profiles.Session{{Name: "Morning", Start: "09:00", End: "12:00"}}}},
		MeetingMinutes: 20, Tables: 10,
	}
	err = eng.Store().Update(func(tx *profiles.Tx) error {
		if err := tx.CreateEvent(ev); err != nil {
			return err
		}
		return tx.CreateOrganization(&profiles.Organization{
			ID: "acme", EventID: ev.ID, Name: "Acme Diagnostics", Kind: profiles.KindSME, Country: "IT",
		})
	})
	if err != nil {
		log.Fatal(err)
	}
	err = eng.Store().View(func(tx *profiles.Tx) error {
		orgs, err := tx.Organizations(ev.ID)
		if err != nil {
			return err
		}
		slots, err := ev.Slots()
		if err != nil {
			return err
		}
		fmt.Printf("%d organization, %d slots, first at %s\n", len(orgs), len(slots), slots[0].Start.Format("15:04 MST"))
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output: 1 organization, 9 slots, first at 09:00 CET
}
