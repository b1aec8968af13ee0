package matcher

import (
	"container/list"
	"unsafe"
)

// The rankings cache is bounded by the memory its rankings hold
// (Options.CachedRankingBytes), least recently used out first, across the
// events of the matcher. m.mu guards it all.

// lruItem names one cached ranking in the matcher's use order.
type lruItem struct {
	event string
	key   rankingKey
}

// defaultCachedRankingBytes is Options.CachedRankingBytes by default.
const defaultCachedRankingBytes = 192 << 20

// keepRanking caches e as the ranking key of event st, evicting the least
// recently used rankings past the budget; m.mu is held.
func (m *Matcher) keepRanking(eventID string, st *eventState, key rankingKey, e *rankEntry) {
	if m.lru == nil {
		m.lru = list.New()
	}
	if old := st.rankings[key]; old != nil {
		m.forget(old)
	}
	e.bytes = rankingBytes(e.r)
	e.elem = m.lru.PushFront(lruItem{eventID, key})
	st.rankings[key] = e
	m.rankingBytes += e.bytes
	for m.rankingBytes > m.opts.CachedRankingBytes && m.lru.Len() > 1 {
		it := m.lru.Back().Value.(lruItem)
		ev := m.events[it.event]
		m.forget(ev.rankings[it.key])
		delete(ev.rankings, it.key)
	}
}

// touch marks a cached ranking as just used; m.mu is held.
func (m *Matcher) touch(e *rankEntry) {
	if e.elem != nil {
		m.lru.MoveToFront(e.elem)
	}
}

// forget takes e out of the use order and the byte count (the caller
// deletes it from its event's map); m.mu is held.
func (m *Matcher) forget(e *rankEntry) {
	if e == nil || e.elem == nil {
		return
	}
	m.lru.Remove(e.elem)
	e.elem = nil
	m.rankingBytes -= e.bytes
}

// dropRankings forgets every cached ranking of an event; m.mu is held.
func (m *Matcher) dropRankings(st *eventState) {
	for _, e := range st.rankings {
		m.forget(e)
	}
	clear(st.rankings)
}

// rankingBytes estimates the memory a ranking holds: its structs, the
// strings and slices they point to.
func rankingBytes(r *Ranking) int {
	n := int(unsafe.Sizeof(*r)) + len(r.Dropped)*48
	for k := range r.Dropped {
		n += len(k)
	}
	for i := range r.Suggestions {
		s := &r.Suggestions[i]
		n += int(unsafe.Sizeof(*s)) + len(s.ParticipantID) + len(s.OrganizationID) + len(s.Name) + len(s.Organization) +
			len(s.Fit) + len(s.Known) + stringsBytes(s.KnownPartner) + stringsBytes(s.Notes)
		for _, d := range []*Direction{&s.Forward, &s.Backward} {
			n += stringsBytes(d.Sentences) + len(d.Features)*int(unsafe.Sizeof(Contribution{}))
			for _, c := range d.Features {
				n += len(c.Feature)
			}
			for _, rs := range d.Reasons {
				n += int(unsafe.Sizeof(rs)) + len(rs.Code) + len(rs.Detail) + stringsBytes(rs.Words)
			}
			for k, ws := range d.Terms {
				n += 64 + len(k) + stringsBytes(ws)
			}
		}
	}
	return n
}

// stringsBytes is the memory of a slice of strings.
func stringsBytes(ss []string) int {
	n := len(ss) * int(unsafe.Sizeof(""))
	for _, s := range ss {
		n += len(s)
	}
	return n
}
