package matchgrid

import (
	"fmt"
	"slices"
	"strings"

	"github.com/matchgrid/matchgrid/calendar"
	"github.com/matchgrid/matchgrid/profiles"
)

// Agenda returns a participant's meetings in time order, cancelled ones
// included (a calendar that imported them must learn of the cancellation),
// with the UID and sequence the store keeps for each meeting.
func (e *Engine) Agenda(eventID, participantID string) (*profiles.Event, []calendar.AgendaEntry, error) {
	var (
		ev      *profiles.Event
		entries []calendar.AgendaEntry
	)
	err := e.store.View(func(tx *profiles.Tx) error {
		var err error
		if ev, err = tx.Event(eventID); err != nil {
			return err
		}
		me, err := tx.Participant(eventID, participantID)
		if err != nil {
			return err
		}
		slots, err := ev.Slots()
		if err != nil {
			return err
		}
		meetings, err := tx.MeetingsOfParticipant(eventID, participantID)
		if err != nil {
			return err
		}
		for _, m := range meetings {
			if m.Status == profiles.MeetingNoShow || m.Slot >= len(slots) {
				continue
			}
			partner, err := tx.Participant(eventID, m.Partner(participantID))
			if err != nil {
				return err
			}
			table, video, how := ev.TableName(m.Table), "", ""
			if me.Type == profiles.TypeOnline || partner.Type == profiles.TypeOnline {
				video, how = ev.VideoLink(m.UID), " by video call"
			}
			if m.Table < 0 {
				table = "" // two online participants: no table
			}
			org, err := tx.Organization(eventID, partner.OrganizationID)
			if err != nil {
				return err
			}
			status := calendar.StatusConfirmed
			if m.Status == profiles.MeetingCancelled {
				status = calendar.StatusCancelled
			}
			entries = append(entries, calendar.AgendaEntry{
				MeetingID: m.ID, UID: m.UID, Sequence: m.Sequence,
				Start: slots[m.Slot].Start, End: slots[m.Slot].End, Slot: m.Slot,
				Table: table, Partner: partner.Name(), Organization: org.Name, Status: status, VideoURL: video,
				Description: fmt.Sprintf("One-to-one meeting%s at %s with %s (%s, %s).", how, ev.Name, partner.Name(), org.Name, org.Country),
			})
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	slices.SortStableFunc(entries, func(a, b calendar.AgendaEntry) int {
		if a.Slot != b.Slot {
			return a.Slot - b.Slot
		}
		return strings.Compare(a.MeetingID, b.MeetingID)
	})
	return ev, entries, nil
}
