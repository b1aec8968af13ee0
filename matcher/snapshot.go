package matcher

import (
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/matchgrid/matchgrid/profiles"
)

// snapshot is an event's state as the matcher reads it, besides the index:
// the entities by ID (the tables) and what is derived from them (the
// indexes below them). A snapshot is never changed once built: the next one
// is built from it by apply (snapshot_apply.go), re-reading only the
// entities a write changed and sharing everything else, so readers of the
// old one are never disturbed.
//
// Adding derived data: data of one organization goes through orgDerived
// (built on first use, kept for the organization until it, its people or
// its opportunities change); data across organizations is built in a
// derive function that both readSnapshot and apply call. A field set only
// by readSnapshot would go stale at the first write.
type snapshot struct {
	// seq numbers the snapshots of an event, in the order they were built;
	// covers counts the reported changes of the event it holds, gen is the
	// store generation it was read at (cache.go).
	seq, covers, gen uint64

	// Tables: the entities by ID.
	event    *profiles.Event
	slotList []profiles.Slot
	orgs     map[string]*profiles.Organization
	people   map[string]*profiles.Participant
	opps     map[string]*profiles.Opportunity
	requests map[string]*profiles.MeetingRequest
	meetings map[string]*profiles.Meeting

	// Derived from the tables, each piece rebuilt only when what it is
	// derived from changed (see apply).
	peopleOf  map[string][]string // org ID -> participant IDs, sorted
	oppsOf    map[string][]profiles.Opportunity
	baseFree  map[string]int     // per participant: available slots, capped by MaxMeetings
	met       map[[2]string]bool // participant pairs (sorted) with a meeting or an accepted request
	declined  map[[2]string]bool // participant pairs with a declined request
	requested map[[2]string]bool // (from, to) with a pending or accepted request
	inbound   map[string]int     // pending and accepted requests received, per participant
	free      map[string]int     // free slots per participant
	// orgSum hashes what the pool reads of each organization (orgHash):
	// the tables keep organizations without their texts (lightOrg), which
	// the pool reads again from the store when it is built.
	orgSum  map[string]uint64
	slots   int
	derived *orgMemo
	// model is what the rankings of this snapshot share (eventmodel.go).
	model *modelCell
}

// orgMemo holds data derived per organization (orgDerived); the snapshots
// of an event hand it on, less what concerns changed organizations.
type orgMemo struct {
	mu sync.Mutex
	m  map[orgMemoKey]any
}

type orgMemoKey struct{ kind, org string }

// orgDerived returns the data of the given kind derived for organization
// org, built by build the first time it is asked for and kept by the
// following snapshots until the organization, its participants or its
// opportunities change. build reads only this snapshot and only what
// concerns org. Concurrent first calls may both build; one result is kept.
func (s *snapshot) orgDerived(kind, org string, build func() any) any {
	key := orgMemoKey{kind, org}
	s.derived.mu.Lock()
	v, ok := s.derived.m[key]
	s.derived.mu.Unlock()
	if ok {
		return v
	}
	v = build()
	s.derived.mu.Lock()
	defer s.derived.mu.Unlock()
	if old, ok := s.derived.m[key]; ok {
		return old
	}
	s.derived.m[key] = v
	return v
}

// handOn returns the memo for the next snapshot: everything but what
// concerns the organizations in changed.
func (o *orgMemo) handOn(changed map[string]bool) *orgMemo {
	o.mu.Lock()
	defer o.mu.Unlock()
	next := &orgMemo{m: make(map[orgMemoKey]any, len(o.m))}
	for k, v := range o.m {
		if !changed[k.org] {
			next.m[k] = v
		}
	}
	return next
}

func pairKey(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}

// readSnapshot reads an event whole.
func readSnapshot(tx *profiles.Tx, eventID string) (*snapshot, error) {
	ev, err := tx.Event(eventID)
	if err != nil {
		return nil, err
	}
	s := &snapshot{gen: tx.Generation(), derived: &orgMemo{m: map[orgMemoKey]any{}}, model: &modelCell{}, event: ev, orgs: map[string]*profiles.Organization{}, people: map[string]*profiles.Participant{},
		opps: map[string]*profiles.Opportunity{}, requests: map[string]*profiles.MeetingRequest{}, meetings: map[string]*profiles.Meeting{}}
	if s.slotList, err = ev.Slots(); err != nil {
		return nil, err
	}
	s.orgSum = map[string]uint64{}
	defer releaseMapped(tx, 0)
	err = tx.EachOrganization(eventID, func(o *profiles.Organization) error {
		s.orgSum[o.ID], s.orgs[o.ID] = orgHash(o), lightOrg(o)
		releaseMapped(tx, len(s.orgs))
		return nil
	})
	if err != nil {
		return nil, err
	}
	people, err := tx.Participants(eventID)
	if err != nil {
		return nil, err
	}
	for i := range people {
		s.people[people[i].ID] = &people[i]
	}
	opps, err := tx.Opportunities(eventID)
	if err != nil {
		return nil, err
	}
	for i := range opps {
		s.opps[opps[i].ID] = &opps[i]
	}
	reqs, err := tx.Requests(eventID)
	if err != nil {
		return nil, err
	}
	for i := range reqs {
		s.requests[reqs[i].ID] = &reqs[i]
	}
	meetings, err := tx.Meetings(eventID)
	if err != nil {
		return nil, err
	}
	for i := range meetings {
		s.meetings[meetings[i].ID] = &meetings[i]
	}
	s.derivePeople(nil, nil)
	s.deriveOpportunities(nil, nil)
	s.deriveRelations()
	return s, nil
}

// releaseEvery is how many organizations a whole read walks between two
// releases of the store's mapped pages.
const releaseEvery = 1000

// releaseMapped releases the store's pages that reading brought into the
// process (profiles.Tx.ReleaseMapped: a bbolt file is mapped into memory)
// after every releaseEvery organizations read, and at the end (read 0):
// at 20,000 organizations their track records map 900 MB of the file.
func releaseMapped(tx *profiles.Tx, read int) {
	if read%releaseEvery == 0 {
		_ = tx.ReleaseMapped() // only memory is at stake
	}
}

// lightOrg is what a snapshot keeps of an organization: all but its texts
// (profile descriptions, track record), which are most of its weight and
// which only the pool reads.
func lightOrg(o *profiles.Organization) *profiles.Organization {
	l := *o
	l.Descriptions, l.Projects = nil, nil
	return &l
}

// orgHash hashes what the pool reads of an organization, so that a
// snapshot whose organizations did not change reuses its predecessor's
// pool (poolFingerprint).
func orgHash(o *profiles.Organization) uint64 {
	h := fnv.New64a()
	h.Write([]byte(o.ID + "\x00" + o.Name + "\x00" + string(o.Kind) + "\x00" + o.Country + "\x00" + o.City))
	for _, l := range slices.Sorted(maps.Keys(o.Descriptions)) {
		h.Write([]byte("\x00" + l + "\x00" + o.Descriptions[l]))
	}
	h.Write([]byte(strings.Join(o.Keywords, "\x00") + "\x02" + strings.Join(o.Sectors, "\x00")))
	for _, r := range o.Projects {
		h.Write([]byte("\x03" + r.ID + "\x00" + r.Role + "\x00" + r.StartDate + "\x00" + r.Acronym + "\x00" + r.Title + "\x00" + r.Text + "\x00" + strings.Join(r.Keywords, "\x00")))
	}
	return h.Sum64()
}

// derivePeople indexes participants by organization and counts their
// available slots. With prev, only the participants in changed are
// counted again (the others keep prev's count).
func (s *snapshot) derivePeople(prev *snapshot, changed map[string]bool) {
	s.slots = len(s.slotList)
	s.peopleOf = map[string][]string{}
	s.baseFree = make(map[string]int, len(s.people))
	for id, p := range s.people {
		s.peopleOf[p.OrganizationID] = append(s.peopleOf[p.OrganizationID], id)
		if n, ok := prev.baseFreeOf(id); ok && !changed[id] {
			s.baseFree[id] = n
			continue
		}
		free := 0
		for _, sl := range s.slotList {
			if p.Available(sl) {
				free++
			}
		}
		if p.MaxMeetings > 0 {
			free = min(free, p.MaxMeetings)
		}
		s.baseFree[id] = free
	}
	for _, ids := range s.peopleOf {
		slices.Sort(ids)
	}
}

func (s *snapshot) baseFreeOf(id string) (int, bool) {
	if s == nil {
		return 0, false
	}
	n, ok := s.baseFree[id]
	return n, ok
}

// deriveOpportunities groups opportunities by organization, in ID order.
// With prev, only the organizations in changed are grouped again.
func (s *snapshot) deriveOpportunities(prev *snapshot, changed map[string]bool) {
	if prev == nil {
		s.oppsOf = map[string][]profiles.Opportunity{}
		for _, id := range slicesSortedKeys(s.opps) {
			o := s.opps[id]
			s.oppsOf[o.OrganizationID] = append(s.oppsOf[o.OrganizationID], *o)
		}
		return
	}
	s.oppsOf = make(map[string][]profiles.Opportunity, len(prev.oppsOf))
	for org, list := range prev.oppsOf {
		if !changed[org] {
			s.oppsOf[org] = list
		}
	}
	for _, id := range slicesSortedKeys(s.opps) {
		if o := s.opps[id]; changed[o.OrganizationID] {
			s.oppsOf[o.OrganizationID] = append(s.oppsOf[o.OrganizationID], *o)
		}
	}
}

// deriveRelations reads the requests and meetings into the pair sets and
// the per-participant counts.
func (s *snapshot) deriveRelations() {
	s.met, s.declined, s.requested = map[[2]string]bool{}, map[[2]string]bool{}, map[[2]string]bool{}
	s.inbound, s.free = map[string]int{}, make(map[string]int, len(s.baseFree))
	for id, n := range s.baseFree {
		s.free[id] = n
	}
	for _, r := range s.requests {
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
	for _, m := range s.meetings {
		if m.Status == profiles.MeetingCancelled {
			continue
		}
		s.met[pairKey(m.A, m.B)] = true
		s.free[m.A]--
		s.free[m.B]--
	}
}
