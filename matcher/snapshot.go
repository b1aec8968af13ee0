package matcher

import (
	"slices"
	"sync"

	"github.com/matchgrid/matchgrid/profiles"
)

// snapshot is an event's state read in one transaction: what the matcher
// needs besides the index.
type snapshot struct {
	event     *profiles.Event
	orgs      map[string]*profiles.Organization
	people    map[string]*profiles.Participant
	peopleOf  map[string][]string // org ID -> participant IDs, sorted
	oppsOf    map[string][]profiles.Opportunity
	met       map[[2]string]bool // participant pairs (sorted) with a meeting or an accepted request
	declined  map[[2]string]bool // participant pairs with a declined request
	requested map[[2]string]bool // (from, to) with a pending or accepted request
	inbound   map[string]int     // pending and accepted requests received, per participant
	free      map[string]int     // free slots per participant
	slots     int

	// Results computed on this snapshot. A snapshot belongs to one store
	// generation, so they can never be stale; they go with the snapshot.
	cacheMu  sync.Mutex
	rankings map[rankingKey]*Ranking

	// The model the rankings share (pool, opportunities), built once.
	modelOnce sync.Once
	model     *eventModel
}

// rankingKey identifies one participant's ranking.
type rankingKey struct {
	participant string
	k           int
	hideKnown   bool
}

// maxCachedRankings bounds the rankings kept on a snapshot; past it, it starts over.
const maxCachedRankings = 200_000

func (s *snapshot) cachedRanking(key rankingKey) (*Ranking, bool) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	r, ok := s.rankings[key]
	return r, ok
}

func (s *snapshot) storeRanking(key rankingKey, r *Ranking) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if s.rankings == nil || len(s.rankings) >= maxCachedRankings {
		s.rankings = map[rankingKey]*Ranking{}
	}
	s.rankings[key] = r
}

func pairKey(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}

// readSnapshot reads an event.
func readSnapshot(tx *profiles.Tx, eventID string) (*snapshot, error) {
	ev, err := tx.Event(eventID)
	if err != nil {
		return nil, err
	}
	s := &snapshot{event: ev, orgs: map[string]*profiles.Organization{}, people: map[string]*profiles.Participant{},
		peopleOf: map[string][]string{}, oppsOf: map[string][]profiles.Opportunity{}, met: map[[2]string]bool{},
		declined: map[[2]string]bool{}, requested: map[[2]string]bool{}, inbound: map[string]int{}, free: map[string]int{},
	}
	orgs, err := tx.Organizations(eventID)
	if err != nil {
		return nil, err
	}
	for i := range orgs {
		s.orgs[orgs[i].ID] = &orgs[i]
	}
	people, err := tx.Participants(eventID)
	if err != nil {
		return nil, err
	}
	slots, err := ev.Slots()
	if err != nil {
		return nil, err
	}
	s.slots = len(slots)
	for i := range people {
		p := &people[i]
		s.people[p.ID] = p
		s.peopleOf[p.OrganizationID] = append(s.peopleOf[p.OrganizationID], p.ID)
		free := 0
		for _, sl := range slots {
			if p.Available(sl) {
				free++
			}
		}
		if p.MaxMeetings > 0 {
			free = min(free, p.MaxMeetings)
		}
		s.free[p.ID] = free
	}
	for _, ids := range s.peopleOf {
		slices.Sort(ids)
	}
	opps, err := tx.Opportunities(eventID)
	if err != nil {
		return nil, err
	}
	for _, o := range opps {
		s.oppsOf[o.OrganizationID] = append(s.oppsOf[o.OrganizationID], o)
	}
	reqs, err := tx.Requests(eventID)
	if err != nil {
		return nil, err
	}
	for _, r := range reqs {
		switch r.Status {
		case profiles.RequestDeclined:
			s.declined[pairKey(r.From, r.To)] = true
		case profiles.RequestAccepted:
			s.met[pairKey(r.From, r.To)] = true
			s.requested[[2]string{r.From, r.To}] = true
			s.inbound[r.To]++
		case profiles.RequestPending:
			s.requested[[2]string{r.From, r.To}] = true
			s.inbound[r.To]++
		}
	}
	meetings, err := tx.Meetings(eventID)
	if err != nil {
		return nil, err
	}
	for _, m := range meetings {
		if m.Status == profiles.MeetingCancelled {
			continue
		}
		s.met[pairKey(m.A, m.B)] = true
		s.free[m.A]--
		s.free[m.B]--
	}
	return s, nil
}
