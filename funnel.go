package matchgrid

import (
	"github.com/matchgrid/matchgrid/profiles"
)

// Funnel follows an event's pairs of participants from suggestion to
// outcome: suggested -> requested -> accepted -> held -> agreement.
// Every stage counts distinct pairs of participants.
type Funnel struct {
	EventID string `json:"event_id"`
	// SuggestionsPer is how many suggestions per participant the Suggested
	// stage counts (the matcher's current top k, not a history of what
	// was shown); 0 when the stage was not computed.
	SuggestionsPer int `json:"suggestions_per"`
	// Suggested pairs: one of the two is in the other's top SuggestionsPer.
	Suggested int `json:"suggested"`
	// Requested pairs: at least one meeting request between them.
	Requested int `json:"requested"`
	// RequestedSuggested: requested pairs that were also suggested.
	RequestedSuggested int `json:"requested_suggested"`
	// Accepted pairs: a request accepted (even if cancelled later) or a meeting.
	Accepted int `json:"accepted"`
	// Held pairs: a meeting reported held; NoShow: reported, never held.
	Held   int `json:"held"`
	NoShow int `json:"no_show"`
	// WithAgreement: held pairs where a side reported an agreement.
	WithAgreement int `json:"with_agreement"`
	// Agreements counts reported agreements by type (each side's report
	// counts), largest first.
	Agreements []Count `json:"agreements"`
	// Reports is how many meeting reports participants filed.
	Reports int `json:"reports"`
}

// pairKey is an unordered pair of participant IDs.
func pairKey(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}

// Funnel computes an event's funnel. suggestionsPer > 0 also counts the
// suggested stage from the matcher (which takes a while on large events:
// it ranks every participant); 0 leaves it out.
func (e *Engine) Funnel(eventID string, suggestionsPer int) (*Funnel, error) {
	f := &Funnel{EventID: eventID}
	var requested map[[2]string]bool
	err := e.store.View(func(tx *profiles.Tx) (err error) {
		requested, err = f.count(tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	if suggestionsPer > 0 {
		if err := e.countSuggested(f, eventID, suggestionsPer, requested); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// count fills every stage but the suggested one from the store and
// returns the requested pairs.
func (f *Funnel) count(tx *profiles.Tx) (map[[2]string]bool, error) {
	if _, err := tx.Event(f.EventID); err != nil {
		return nil, err
	}
	reqs, err := tx.Requests(f.EventID)
	if err != nil {
		return nil, err
	}
	requested, accepted, held := map[[2]string]bool{}, map[[2]string]bool{}, map[[2]string]bool{}
	for _, r := range reqs {
		k := pairKey(r.From, r.To)
		requested[k] = true
		if r.Status == profiles.RequestAccepted {
			accepted[k] = true
		}
	}
	meetings, err := tx.Meetings(f.EventID)
	if err != nil {
		return nil, err
	}
	pairOf := map[string][2]string{} // meeting ID -> pair
	for _, m := range meetings {
		k := pairKey(m.A, m.B)
		pairOf[m.ID] = k
		accepted[k] = true // a meeting, even cancelled later, was accepted
		if m.Status == profiles.MeetingHeld {
			held[k] = true
		}
	}
	reports, err := tx.MeetingReports(f.EventID)
	if err != nil {
		return nil, err
	}
	f.Requested, f.Accepted, f.Held, f.Reports = len(requested), len(accepted), len(held), len(reports)
	f.countReports(reports, pairOf, held)
	return requested, nil
}

// countReports counts no-shows and agreements from the meeting reports.
func (f *Funnel) countReports(reports []profiles.MeetingReport, pairOf map[string][2]string, held map[[2]string]bool) {
	reported, agreed := map[[2]string]bool{}, map[[2]string]bool{}
	agreements := map[string]int{}
	for _, r := range reports {
		k, ok := pairOf[r.MeetingID]
		if !ok {
			continue
		}
		reported[k] = true
		if r.Agreement != "" {
			agreed[k] = true
			agreements[string(r.Agreement)]++
		}
	}
	for k := range reported {
		if !held[k] {
			f.NoShow++
		}
	}
	for k := range agreed {
		if held[k] {
			f.WithAgreement++
		}
	}
	f.Agreements = counts(agreements)
}

func (e *Engine) countSuggested(f *Funnel, eventID string, k int, requested map[[2]string]bool) error {
	m, err := e.Matcher()
	if err != nil {
		return err
	}
	all, err := m.SuggestAll(eventID, k)
	if err != nil {
		return err
	}
	suggested := map[[2]string]bool{}
	for pid, list := range all {
		for _, s := range list {
			suggested[pairKey(pid, s.ParticipantID)] = true
		}
	}
	f.SuggestionsPer, f.Suggested = k, len(suggested)
	for p := range requested {
		if suggested[p] {
			f.RequestedSuggested++
		}
	}
	return nil
}
