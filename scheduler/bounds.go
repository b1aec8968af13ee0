package scheduler

import "fmt"

// Bounds bracket the number of meetings that can be placed. PlacedUpper is
// a proof: no grid places more (see the package documentation for how it is
// computed). When it is below the number of meetings, no complete grid exists.
type Bounds struct {
	PlacedUpper int
	// NoDomain counts meetings with no admissible slot at all.
	NoDomain int
	// ParticipantExcess is the lower bound on unplaced meetings that comes
	// from participants with more meetings than usable slots.
	ParticipantExcess int
	// SlotCapacity is the sum over slots of min(usable tables, meetings
	// admissible in the slot, half the participants who could meet in it).
	SlotCapacity int
	// BreaksLower is a lower bound on the breaks of any grid that places all
	// meetings: the number of participants whose meetings cannot all fit in
	// one run of consecutive free slots a day (see the package
	// documentation); raised to the breaks of the grid when the exact phase
	// proves them optimal.
	BreaksLower int
	// Notes explains the bound, one line per binding limit (at most 10).
	Notes []string
}

// capacityOf returns how many meetings participant p can have at most: its
// cap, and the number of its free slots that any of its meetings may use.
func capacityOf(in *instance, p int) int {
	var usable slotSet
	for _, m := range in.incident[p] {
		usable = usable.or(in.domain[m])
	}
	return min(int(in.maxMeet[p]), usable.count())
}

// computeBounds derives the upper bound on placeable meetings.
func computeBounds(in *instance) Bounds {
	var bd Bounds
	live := make([]bool, in.nMeetings)
	for m := 0; m < in.nMeetings; m++ {
		live[m] = !in.domain[m].empty()
		if !live[m] {
			bd.NoDomain++
		}
	}
	excess := make([]int, in.nParts)
	sumExcess := 0
	for p := 0; p < in.nParts; p++ {
		deg := 0
		for _, m := range in.incident[p] {
			if live[m] {
				deg++
			}
		}
		if c := capacityOf(in, p); deg > c {
			excess[p] = deg - c
			sumExcess += excess[p]
			if len(bd.Notes) < 10 {
				bd.Notes = append(bd.Notes, fmt.Sprintf("participant %s has %d meetings and %d usable slots", in.p.name(p), deg, c))
			}
		}
	}
	// Participants pairwise without a meeting between them lose disjoint
	// sets of meetings, so their excesses add up; pick such a set greedily,
	// largest excess first. Any meeting is counted at most at both of its
	// ends, so half the total excess is a bound too.
	order := sortedIndices(in.nParts, func(x, y int) bool { return excess[x] > excess[y] })
	chosen := make([]bool, in.nParts)
	blocked := make([]bool, in.nParts)
	independent := 0
	for _, p := range order {
		if excess[p] == 0 {
			break
		}
		if blocked[p] {
			continue
		}
		chosen[p] = true
		independent += excess[p]
		for _, m := range in.incident[p] {
			blocked[in.ma[m]] = true
			blocked[in.mb[m]] = true
		}
	}
	bd.ParticipantExcess = max(independent, (sumExcess+1)/2)

	// Per slot: the meetings in one slot form a matching among the
	// participants who can meet then, and use one table each.
	meetingsIn := make([]int, in.nSlots)
	partsIn := make([]int, in.nSlots)
	for m := 0; m < in.nMeetings; m++ {
		for _, s := range in.domain[m].members(nil) {
			meetingsIn[s]++
		}
	}
	hostsIn := make([]int, in.nSlots)
	virtualIn := make([]int, in.nSlots) // video meetings need no table
	for m := 0; m < in.nMeetings; m++ {
		if in.virtual[m] {
			for _, s := range in.domain[m].members(nil) {
				virtualIn[s]++
			}
		}
	}
	for p := 0; p < in.nParts; p++ {
		var usable slotSet
		for _, m := range in.incident[p] {
			usable = usable.or(in.domain[m])
		}
		for _, s := range usable.members(nil) {
			partsIn[s]++
			if in.ownTable[p] >= 0 {
				hostsIn[s]++
			}
		}
	}
	for s := 0; s < in.nSlots; s++ {
		// Own tables are reserved: a slot holds at most its shared tables'
		// worth of meetings without a host, plus one meeting per host.
		tables := min(int(in.tables[s]), int(in.capacity[s])+hostsIn[s]) + virtualIn[s]
		bd.SlotCapacity += min(tables, meetingsIn[s], partsIn[s]/2)
	}
	// Shared tables over the whole event: meetings without a host cannot
	// exceed the shared tables of all slots; host meetings use own tables.
	liveShared, liveHost, sharedTables := 0, 0, 0
	for m := 0; m < in.nMeetings; m++ {
		switch {
		case !live[m]:
		case in.shared[m]:
			liveShared++
		default:
			liveHost++
		}
	}
	for s := 0; s < in.nSlots; s++ {
		sharedTables += int(in.capacity[s])
	}
	if shared := min(liveShared, sharedTables) + liveHost; shared < bd.SlotCapacity {
		bd.SlotCapacity = shared
	}
	bd.BreaksLower = breaksLowerBound(in)
	bd.PlacedUpper = min(in.nMeetings-bd.NoDomain-bd.ParticipantExcess, bd.SlotCapacity)
	if bd.NoDomain > 0 {
		bd.Notes = append([]string{fmt.Sprintf("%d meetings have no admissible slot", bd.NoDomain)}, bd.Notes...)
	}
	if bd.SlotCapacity < in.nMeetings-bd.NoDomain-bd.ParticipantExcess {
		bd.Notes = append(bd.Notes, fmt.Sprintf("slot capacity (tables and pairs per slot) allows at most %d meetings", bd.SlotCapacity))
	}
	return bd
}

// breaksLowerBound counts the participants of a single-day event for whom no
// window of consecutive slots admits all their meetings (a bipartite matching
// of meetings to the window's slots within each meeting's domain). Each of
// them has at least one break in every complete grid.
func breaksLowerBound(in *instance) int {
	if in.nDays != 1 {
		return multiDayBreaksLower(in)
	}
	lb := 0
	fit := newWindowFit(in)
	for p := 0; p < in.nParts; p++ {
		ms := in.incident[p]
		deg := len(ms)
		if deg < 2 || deg > in.nSlots {
			continue
		}
		fits := false
		for lo := 0; lo+deg <= in.nSlots && !fits; lo++ {
			window := rangeSet(lo, lo+deg)
			if window.and(in.avail[p]) != window {
				continue
			}
			fits = fit.fits(ms, window)
		}
		if !fits {
			lb++
		}
	}
	return lb
}

// multiDayBreaksLower counts the participants of a multi-day event whose
// meetings outnumber the sum, over the days, of their longest run of
// consecutive slots in which some of their meetings may take place: each
// of them has a break on some day in every complete grid.
func multiDayBreaksLower(in *instance) int {
	lb := 0
	for p := 0; p < in.nParts; p++ {
		ms := in.incident[p]
		if len(ms) < 2 {
			continue
		}
		var usable slotSet
		for _, m := range ms {
			usable = usable.or(in.domain[m])
		}
		usable = usable.and(in.avail[p])
		room := 0
		for d := 0; d < in.nDays && room < len(ms); d++ {
			lo, hi := in.daySpan(d)
			run, best := 0, 0
			for s := lo; s < hi; s++ {
				if usable.has(s) {
					run++
					best = max(best, run)
				} else {
					run = 0
				}
			}
			room += best
		}
		if room < len(ms) {
			lb++
		}
	}
	return lb
}
