package scheduler

import (
	"fmt"
	"sort"
)

// instance is a Problem compiled to dense integer indices for the solver and
// the bounds. The checker deliberately does not use it, so that a bug here
// cannot hide a violation.
type instance struct {
	p          *Problem
	nSlots     int
	nParts     int
	nMeetings  int
	nDays      int
	tables     []int32      // per slot
	capacity   []int32      // per slot: tables that are nobody's own table
	shared     []bool       // per meeting: needs a shared table (no host, not virtual)
	virtual    []bool       // per meeting: both participants online, no table needed
	owner      map[int]int  // own table -> participant
	reserved   map[int]bool // spare tables nobody sits at
	slotDay    []int32      // dense day index per slot
	slotPos    []uint8      // position of the slot within its day
	dayFirst   []int32      // first slot of each dense day
	daySlots   []slotSet
	ma, mb     []int32 // endpoints of each meeting
	weight     []int64 // Priority+1
	domain     []slotSet
	locked     []bool
	avail      []slotSet // per participant
	maxMeet    []int32   // per participant, capped at nSlots
	ownTable   []int32   // -1 if none
	incident   [][]int32 // meetings per participant
	before     [][]int32 // before[m]: meetings that must be earlier than m
	after      [][]int32 // after[m]: meetings that must be later than m
	partIndex  map[string]int
	meetIndex  map[string]int
	totalW     int64
	domainNote []string // why a domain is empty, "" when not empty
	published  map[string]Placement
}

func (p *Problem) name(i int) string {
	if p.Participants[i].Name != "" {
		return p.Participants[i].Name
	}
	return p.Participants[i].ID
}

// compile validates p and builds the dense instance. published, when not
// nil, locks the meetings it names at the given placement.
func compile(p *Problem, published map[string]Placement) (*instance, error) {
	in := &instance{p: p, nSlots: len(p.Slots), nParts: len(p.Participants), nMeetings: len(p.Meetings), published: published}
	if in.nSlots == 0 {
		return nil, fmt.Errorf("%w: Slots is empty", ErrInvalidProblem)
	}
	if in.nSlots > MaxSlots {
		return nil, fmt.Errorf("%w: %d slots, more than MaxSlots=%d", ErrInvalidProblem, in.nSlots, MaxSlots)
	}
	in.tables = make([]int32, in.nSlots)
	in.slotDay = make([]int32, in.nSlots)
	in.slotPos = make([]uint8, in.nSlots)
	dayOf := map[int]int{}
	sessionsSeen := map[[2]int]bool{}
	for s, sl := range p.Slots {
		if sl.Tables < 0 {
			return nil, fmt.Errorf("%w: Slots[%d].Tables = %d", ErrInvalidProblem, s, sl.Tables)
		}
		in.tables[s] = int32(sl.Tables)
		newDay := s == 0 || p.Slots[s-1].Day != sl.Day
		if newDay {
			if _, seen := dayOf[sl.Day]; seen {
				return nil, fmt.Errorf("%w: Slots[%d].Day = %d: slots of a day must be consecutive", ErrInvalidProblem, s, sl.Day)
			}
			dayOf[sl.Day] = len(in.dayFirst)
			in.dayFirst = append(in.dayFirst, int32(s))
			in.daySlots = append(in.daySlots, slotSet{})
		}
		newSession := s == 0 || newDay || p.Slots[s-1].Session != sl.Session
		key := [2]int{sl.Day, sl.Session}
		if newSession {
			if sessionsSeen[key] {
				return nil, fmt.Errorf("%w: Slots[%d].Session = %d: slots of a session must be consecutive", ErrInvalidProblem, s, sl.Session)
			}
			sessionsSeen[key] = true
		}
		d := dayOf[sl.Day]
		in.slotDay[s] = int32(d)
		pos := s - int(in.dayFirst[d])
		if pos >= MaxSlotsPerDay {
			return nil, fmt.Errorf("%w: day %d has more than MaxSlotsPerDay=%d slots", ErrInvalidProblem, sl.Day, MaxSlotsPerDay)
		}
		in.slotPos[s] = uint8(pos)
		in.daySlots[d].add(s)
	}
	in.nDays = len(in.dayFirst)
	in.owner = map[int]int{}
	all := rangeSet(0, in.nSlots)

	in.partIndex = make(map[string]int, in.nParts)
	in.avail = make([]slotSet, in.nParts)
	in.maxMeet = make([]int32, in.nParts)
	in.ownTable = make([]int32, in.nParts)
	in.incident = make([][]int32, in.nParts)
	for i, pt := range p.Participants {
		if pt.ID == "" {
			return nil, fmt.Errorf("%w: Participants[%d].ID is empty", ErrInvalidProblem, i)
		}
		if j, dup := in.partIndex[pt.ID]; dup {
			return nil, fmt.Errorf("%w: Participants[%d].ID = %q duplicates Participants[%d]", ErrInvalidProblem, i, pt.ID, j)
		}
		in.partIndex[pt.ID] = i
		av := all
		for _, f := range pt.Forbidden {
			if f < 0 || f >= in.nSlots {
				return nil, fmt.Errorf("%w: participant %q: Forbidden slot %d out of range 0..%d", ErrInvalidProblem, pt.ID, f, in.nSlots-1)
			}
			av.remove(f)
		}
		in.avail[i] = av
		if pt.MaxMeetings < 0 {
			return nil, fmt.Errorf("%w: participant %q: MaxMeetings = %d", ErrInvalidProblem, pt.ID, pt.MaxMeetings)
		}
		in.maxMeet[i] = int32(in.nSlots)
		if pt.MaxMeetings > 0 && pt.MaxMeetings < in.nSlots {
			in.maxMeet[i] = int32(pt.MaxMeetings)
		}
		in.ownTable[i] = -1
		if pt.HasOwnTable {
			for s := range p.Slots {
				if av.has(s) && pt.OwnTable >= p.Slots[s].Tables || pt.OwnTable < 0 {
					return nil, fmt.Errorf("%w: participant %q: OwnTable %d does not exist in slot %d", ErrInvalidProblem, pt.ID, pt.OwnTable, s)
				}
			}
			if j, taken := in.owner[pt.OwnTable]; taken {
				return nil, fmt.Errorf("%w: participant %q: OwnTable %d already belongs to %q", ErrInvalidProblem, pt.ID, pt.OwnTable, p.Participants[j].ID)
			}
			in.owner[pt.OwnTable] = i
			in.ownTable[i] = int32(pt.OwnTable)
		}
	}

	// Own tables are reserved for their owners: a booth is not lent to
	// others while its host is free, so that a published grid never blocks
	// the host's own later meetings.
	in.reserved = map[int]bool{}
	for i, t := range p.Reserved {
		if _, own := in.owner[t]; own || in.reserved[t] || t < 0 {
			return nil, fmt.Errorf("%w: Reserved[%d] = %d: a table reserved twice, negative or someone's own table", ErrInvalidProblem, i, t)
		}
		in.reserved[t] = true
	}
	in.capacity = make([]int32, in.nSlots)
	for s := range in.capacity {
		in.capacity[s] = in.tables[s]
		for t := range in.owner {
			if int32(t) < in.tables[s] {
				in.capacity[s]--
			}
		}
		for t := range in.reserved {
			if int32(t) < in.tables[s] {
				in.capacity[s]--
			}
		}
		in.capacity[s] = max(in.capacity[s], 0)
	}
	in.shared = make([]bool, in.nMeetings)
	in.virtual = make([]bool, in.nMeetings)
	in.meetIndex = make(map[string]int, in.nMeetings)
	in.ma = make([]int32, in.nMeetings)
	in.mb = make([]int32, in.nMeetings)
	in.weight = make([]int64, in.nMeetings)
	in.domain = make([]slotSet, in.nMeetings)
	in.locked = make([]bool, in.nMeetings)
	in.domainNote = make([]string, in.nMeetings)
	for i := range p.Meetings {
		m := &p.Meetings[i]
		if m.ID == "" {
			return nil, fmt.Errorf("%w: Meetings[%d].ID is empty", ErrInvalidProblem, i)
		}
		if j, dup := in.meetIndex[m.ID]; dup {
			return nil, fmt.Errorf("%w: Meetings[%d].ID = %q duplicates Meetings[%d]", ErrInvalidProblem, i, m.ID, j)
		}
		in.meetIndex[m.ID] = i
		a, okA := in.partIndex[m.A]
		b, okB := in.partIndex[m.B]
		if !okA {
			return nil, fmt.Errorf("%w: meeting %q: A = %q is not a participant", ErrInvalidProblem, m.ID, m.A)
		}
		if !okB {
			return nil, fmt.Errorf("%w: meeting %q: B = %q is not a participant", ErrInvalidProblem, m.ID, m.B)
		}
		if a == b {
			return nil, fmt.Errorf("%w: meeting %q: A and B are both %q", ErrInvalidProblem, m.ID, m.A)
		}
		if m.Priority < 0 {
			return nil, fmt.Errorf("%w: meeting %q: Priority = %d, must be >= 0", ErrInvalidProblem, m.ID, m.Priority)
		}
		in.ma[i], in.mb[i] = int32(a), int32(b)
		noHost := in.ownTable[a] < 0 && in.ownTable[b] < 0
		in.virtual[i] = noHost && p.Participants[a].Online && p.Participants[b].Online
		in.shared[i] = noHost && !in.virtual[i]
		in.incident[a] = append(in.incident[a], int32(i))
		in.incident[b] = append(in.incident[b], int32(i))
		in.weight[i] = int64(m.Priority) + 1
		in.totalW += in.weight[i]

		dom := all
		if len(m.Sessions) > 0 {
			var ses slotSet
			for s, sl := range p.Slots {
				for _, want := range m.Sessions {
					if sl.Session == want {
						ses.add(s)
					}
				}
			}
			if ses.empty() {
				return nil, fmt.Errorf("%w: meeting %q: Sessions %v match no slot", ErrInvalidProblem, m.ID, m.Sessions)
			}
			dom = dom.and(ses)
		}
		free := in.avail[a].and(in.avail[b])
		lockedPl, isPublished := published[m.ID]
		switch {
		case m.Locked || isPublished:
			pl := Placement{Slot: m.LockedSlot, Table: m.LockedTable}
			if isPublished {
				pl = lockedPl
			}
			if pl.Slot < 0 || pl.Slot >= in.nSlots {
				return nil, fmt.Errorf("%w: meeting %q: locked slot %d out of range", ErrInvalidProblem, m.ID, pl.Slot)
			}
			if pl.Table < 0 || pl.Table >= p.Slots[pl.Slot].Tables {
				return nil, fmt.Errorf("%w: meeting %q: locked table %d out of range in slot %d", ErrInvalidProblem, m.ID, pl.Table, pl.Slot)
			}
			in.locked[i] = true
			// A locked meeting stays where it is even if availability changed
			// since it was published; the checker reports such conflicts.
			dom = slotSet{}
			dom.add(pl.Slot)
		case m.Fixed:
			if m.FixedSlot < 0 || m.FixedSlot >= in.nSlots {
				return nil, fmt.Errorf("%w: meeting %q: FixedSlot %d out of range", ErrInvalidProblem, m.ID, m.FixedSlot)
			}
			var one slotSet
			one.add(m.FixedSlot)
			if !dom.has(m.FixedSlot) {
				in.domainNote[i] = fmt.Sprintf("fixed slot %d is outside the meeting's sessions", m.FixedSlot)
			} else if !free.has(m.FixedSlot) {
				in.domainNote[i] = fmt.Sprintf("fixed slot %d is forbidden for %s or %s", m.FixedSlot, p.name(a), p.name(b))
			}
			dom = dom.and(one).and(free)
		default:
			if dom.and(free).empty() {
				if len(m.Sessions) > 0 {
					in.domainNote[i] = fmt.Sprintf("no common free slot for %s and %s in session %v", p.name(a), p.name(b), m.Sessions)
				} else {
					in.domainNote[i] = fmt.Sprintf("no common free slot for %s and %s", p.name(a), p.name(b))
				}
			}
			dom = dom.and(free)
		}
		in.domain[i] = dom
	}
	for id := range published {
		if _, ok := in.meetIndex[id]; !ok {
			return nil, fmt.Errorf("%w: published meeting %q is not in Meetings", ErrInvalidProblem, id)
		}
	}

	in.before = make([][]int32, in.nMeetings)
	in.after = make([][]int32, in.nMeetings)
	for k, pr := range p.Precedences {
		b, okB := in.meetIndex[pr.Before]
		a, okA := in.meetIndex[pr.After]
		if !okB || !okA {
			return nil, fmt.Errorf("%w: Precedences[%d] = {%q, %q} names an unknown meeting", ErrInvalidProblem, k, pr.Before, pr.After)
		}
		if a == b {
			return nil, fmt.Errorf("%w: Precedences[%d]: meeting %q before itself", ErrInvalidProblem, k, pr.Before)
		}
		in.before[a] = append(in.before[a], int32(b))
		in.after[b] = append(in.after[b], int32(a))
	}
	return in, nil
}

// sortedCopy returns the meeting indices 0..n-1 ordered by less, stable.
func sortedIndices(n int, less func(a, b int) bool) []int32 {
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	sort.SliceStable(idx, func(x, y int) bool { return less(int(idx[x]), int(idx[y])) })
	return idx
}
