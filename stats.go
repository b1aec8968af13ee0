package matchgrid

import (
	"cmp"
	"slices"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// EventStats are the figures of an event's organizer dashboard.
type EventStats struct {
	EventID       string `json:"event_id"`
	Participants  int    `json:"participants"`
	Organizations int    `json:"organizations"`
	Opportunities int    `json:"opportunities"`
	// ParticipantsByKind counts participants by the kind of the
	// organization they represent, ParticipantsByCountry by its country;
	// both largest first, then by name.
	ParticipantsByKind    []Count `json:"participants_by_kind"`
	ParticipantsByCountry []Count `json:"participants_by_country"`
	// Requests counts meeting requests; RequestsByState has every state,
	// zeros included, in the life-cycle order of profiles.RequestStatuses.
	Requests        int     `json:"requests"`
	RequestsByState []Count `json:"requests_by_state"`
	// AcceptanceRate is accepted / (accepted + declined): of the requests
	// their receivers answered, the share they accepted. 0 when none was
	// answered. (A request cancelled after acceptance no longer counts.)
	AcceptanceRate float64 `json:"acceptance_rate"`
	// MeetingsPlaced counts the meetings on the grid (held and no-show
	// ones included); MeetingsUnplaced the accepted requests without one.
	MeetingsPlaced   int `json:"meetings_placed"`
	MeetingsUnplaced int `json:"meetings_unplaced"`
	// Slots has every slot of the event with its meetings and table use.
	Slots []SlotStats `json:"slots"`
}

// Count is a value and how many there are of it.
type Count struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// SlotStats is the use of one slot of the grid.
type SlotStats struct {
	Index int       `json:"index"`
	Label string    `json:"label"` // e.g. "Tue 16 Mar 09:00", in the event's time zone
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Meetings on the grid in this slot.
	Meetings int `json:"meetings"`
	// TablesUsed of TablesAvailable (the event's tables).
	TablesUsed      int `json:"tables_used"`
	TablesAvailable int `json:"tables_available"`
}

// Stats returns the dashboard figures of an event, read in one transaction.
func (e *Engine) Stats(eventID string) (*EventStats, error) {
	st := &EventStats{EventID: eventID}
	err := e.store.View(func(tx *profiles.Tx) error {
		ev, err := tx.Event(eventID)
		if err != nil {
			return err
		}
		slots, err := ev.Slots()
		if err != nil {
			return err
		}
		orgs, err := tx.Organizations(eventID)
		if err != nil {
			return err
		}
		people, err := tx.Participants(eventID)
		if err != nil {
			return err
		}
		opps, err := tx.Opportunities(eventID)
		if err != nil {
			return err
		}
		requests, err := tx.Requests(eventID)
		if err != nil {
			return err
		}
		meetings, err := tx.Meetings(eventID)
		if err != nil {
			return err
		}
		st.Organizations, st.Participants, st.Opportunities, st.Requests = len(orgs), len(people), len(opps), len(requests)

		orgByID := make(map[string]*profiles.Organization, len(orgs))
		for i := range orgs {
			orgByID[orgs[i].ID] = &orgs[i]
		}
		kinds, countries := map[string]int{}, map[string]int{}
		for _, p := range people {
			if o := orgByID[p.OrganizationID]; o != nil {
				kinds[string(o.Kind)]++
				countries[o.Country]++
			}
		}
		st.ParticipantsByKind, st.ParticipantsByCountry = counts(kinds), counts(countries)

		byState := map[profiles.RequestStatus]int{}
		for _, r := range requests {
			byState[r.Status]++
		}
		for _, s := range profiles.RequestStatuses {
			st.RequestsByState = append(st.RequestsByState, Count{Value: string(s), Count: byState[s]})
		}
		if answered := byState[profiles.RequestAccepted] + byState[profiles.RequestDeclined]; answered > 0 {
			st.AcceptanceRate = float64(byState[profiles.RequestAccepted]) / float64(answered)
		}

		st.Slots = make([]SlotStats, len(slots))
		tables := make([]map[int]bool, len(slots))
		for i, s := range slots {
			st.Slots[i] = SlotStats{Index: i, Label: slotLabel(s), Start: s.Start, End: s.End, TablesAvailable: ev.Tables}
			tables[i] = map[int]bool{}
		}
		onGrid := map[string]bool{} // request IDs with a meeting on the grid
		for _, m := range meetings {
			if m.Status == profiles.MeetingCancelled || m.Slot >= len(slots) {
				continue
			}
			st.MeetingsPlaced++
			st.Slots[m.Slot].Meetings++
			tables[m.Slot][m.Table] = true
			if m.RequestID != "" {
				onGrid[m.RequestID] = true
			}
		}
		for i := range st.Slots {
			st.Slots[i].TablesUsed = len(tables[i])
		}
		for _, r := range requests {
			if r.Status == profiles.RequestAccepted && !onGrid[r.ID] {
				st.MeetingsUnplaced++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// counts turns a tally into Counts, largest first, ties by value.
func counts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for v, n := range m {
		out = append(out, Count{Value: v, Count: n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
	})
	return out
}
