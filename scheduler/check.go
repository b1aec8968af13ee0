package scheduler

import (
	"errors"
	"fmt"
	"strings"
)

// ViolationKind classifies a constraint violation found by Check.
type ViolationKind string

// The kinds of violation Check reports.
const (
	ViolationShape       ViolationKind = "shape"        // grid size differs from the meetings
	ViolationSlotRange   ViolationKind = "slot-range"   // slot or table index out of range
	ViolationDoubleBook  ViolationKind = "double-book"  // a participant has two meetings in one slot
	ViolationTableFull   ViolationKind = "tables"       // more meetings than tables in a slot
	ViolationTableTwice  ViolationKind = "table-twice"  // one table used by two meetings in a slot
	ViolationForbidden   ViolationKind = "forbidden"    // a participant meets in a forbidden slot
	ViolationSession     ViolationKind = "session"      // meeting outside its sessions
	ViolationFixed       ViolationKind = "fixed"        // fixed meeting placed elsewhere
	ViolationLocked      ViolationKind = "locked"       // locked meeting moved or unplaced
	ViolationPrecedence  ViolationKind = "precedence"   // "a before b" broken
	ViolationMaxMeetings ViolationKind = "max-meetings" // participant above MaxMeetings
	ViolationOwnTable    ViolationKind = "own-table"    // host not at their own table
	ViolationNoTable     ViolationKind = "no-table"     // placed meeting without table
	ViolationReserved    ViolationKind = "reserved"     // meeting at a reserved (spare) table
)

// Violation is one broken constraint.
type Violation struct {
	Kind    ViolationKind
	Meeting string // the meeting ID, when one meeting is at fault
	Detail  string
}

// String describes the violation in one line.
func (v Violation) String() string {
	if v.Meeting != "" {
		return fmt.Sprintf("%s: meeting %q: %s", v.Kind, v.Meeting, v.Detail)
	}
	return fmt.Sprintf("%s: %s", v.Kind, v.Detail)
}

// CheckError carries every violation Check found. It matches
// ErrInvalidGrid with errors.Is.
type CheckError struct {
	Violations []Violation
}

// Error lists the first violations.
func (e *CheckError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: %d violations", ErrInvalidGrid, len(e.Violations))
	for i, v := range e.Violations {
		if i == 5 {
			b.WriteString("; ...")
			break
		}
		b.WriteString("; ")
		b.WriteString(v.String())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalidGrid) true.
func (e *CheckError) Is(target error) bool { return target == ErrInvalidGrid }

// Check verifies grid g against every constraint of problem p and returns
// nil or a *CheckError listing all violations. It shares no code with the
// solver, so that the solver cannot hide its own mistakes. Unplaced meetings
// are not violations unless they are locked (a fixed meeting may stay
// unplaced when its slot cannot take it; it is then listed as unplaced).
func Check(p *Problem, g *Grid) error {
	vs := Violations(p, g)
	if len(vs) == 0 {
		return nil
	}
	return &CheckError{Violations: vs}
}

// IsViolation reports whether err from Check contains a violation of kind k.
func IsViolation(err error, k ViolationKind) bool {
	var ce *CheckError
	if !errors.As(err, &ce) {
		return false
	}
	for _, v := range ce.Violations {
		if v.Kind == k {
			return true
		}
	}
	return false
}

// Violations returns every violation of grid g against problem p.
func Violations(p *Problem, g *Grid) []Violation {
	var out []Violation
	add := func(k ViolationKind, meeting, format string, args ...any) {
		out = append(out, Violation{Kind: k, Meeting: meeting, Detail: fmt.Sprintf(format, args...)})
	}
	if g == nil || len(g.Placements) != len(p.Meetings) {
		n := 0
		if g != nil {
			n = len(g.Placements)
		}
		add(ViolationShape, "", "%d placements for %d meetings", n, len(p.Meetings))
		return out
	}
	people := make(map[string]*Participant, len(p.Participants))
	for i := range p.Participants {
		people[p.Participants[i].ID] = &p.Participants[i]
	}
	// video reports a meeting between two online participants without an
	// own table: it may go without a table.
	video := func(m Meeting) bool {
		a, b := people[m.A], people[m.B]
		return a != nil && b != nil && a.Online && b.Online && !a.HasOwnTable && !b.HasOwnTable
	}
	reserved := map[int]bool{}
	for _, t := range p.Reserved {
		reserved[t] = true
	}
	ownerOf := map[int]string{}
	for _, pt := range p.Participants {
		if pt.HasOwnTable {
			ownerOf[pt.OwnTable] = pt.ID
		}
	}
	type key struct {
		who  string
		slot int
	}
	busy := map[key]string{}
	tableUse := map[[2]int]string{}
	perSlot := make([]int, len(p.Slots))
	count := map[string]int{}
	slotOf := map[string]int{}
	for i, m := range p.Meetings {
		pl := g.Placements[i]
		if m.Locked && (pl.Slot != m.LockedSlot || pl.Table != m.LockedTable) {
			add(ViolationLocked, m.ID, "locked at slot %d table %d, found slot %d table %d", m.LockedSlot, m.LockedTable, pl.Slot, pl.Table)
		}
		if m.Fixed && pl.Placed() && pl.Slot != m.FixedSlot {
			add(ViolationFixed, m.ID, "fixed at slot %d, found slot %d", m.FixedSlot, pl.Slot)
		}
		if !pl.Placed() {
			continue
		}
		if pl.Slot >= len(p.Slots) {
			add(ViolationSlotRange, m.ID, "slot %d, the event has %d slots", pl.Slot, len(p.Slots))
			continue
		}
		slotOf[m.ID] = pl.Slot
		sl := p.Slots[pl.Slot]
		if pl.Table >= 0 || !video(m) {
			perSlot[pl.Slot]++
		}
		switch {
		case pl.Table < 0 && video(m):
		case pl.Table < 0:
			add(ViolationNoTable, m.ID, "placed in slot %d without a table", pl.Slot)
		case pl.Table >= sl.Tables:
			add(ViolationSlotRange, m.ID, "table %d, slot %d has %d tables", pl.Table, pl.Slot, sl.Tables)
		default:
			k := [2]int{pl.Slot, pl.Table}
			if other, taken := tableUse[k]; taken {
				add(ViolationTableTwice, m.ID, "table %d in slot %d is also used by meeting %q", pl.Table, pl.Slot, other)
			} else {
				tableUse[k] = m.ID
			}
		}
		if len(m.Sessions) > 0 {
			ok := false
			for _, s := range m.Sessions {
				ok = ok || s == sl.Session
			}
			if !ok {
				add(ViolationSession, m.ID, "slot %d is in session %d, allowed %v", pl.Slot, sl.Session, m.Sessions)
			}
		}
		hostTables := 0
		atHostTable := false
		for _, who := range [2]string{m.A, m.B} {
			pt := people[who]
			if pt == nil {
				add(ViolationShape, m.ID, "participant %q does not exist", who)
				continue
			}
			if other, taken := busy[key{who, pl.Slot}]; taken {
				add(ViolationDoubleBook, m.ID, "%s also meets in slot %d (meeting %q)", who, pl.Slot, other)
			} else {
				busy[key{who, pl.Slot}] = m.ID
			}
			for _, f := range pt.Forbidden {
				if f == pl.Slot {
					add(ViolationForbidden, m.ID, "slot %d is forbidden for %s", pl.Slot, who)
				}
			}
			count[who]++
			if pt.HasOwnTable {
				hostTables++
				atHostTable = atHostTable || pt.OwnTable == pl.Table
			}
		}
		if hostTables > 0 && !atHostTable {
			add(ViolationOwnTable, m.ID, "table %d is not the own table of %s or %s", pl.Table, m.A, m.B)
		}
		if reserved[pl.Table] {
			add(ViolationReserved, m.ID, "table %d is reserved (spare)", pl.Table)
		}
		if owner, ok := ownerOf[pl.Table]; hostTables == 0 && ok {
			add(ViolationOwnTable, m.ID, "table %d is the own table of %s", pl.Table, owner)
		}
	}
	for s, n := range perSlot {
		if n > p.Slots[s].Tables {
			add(ViolationTableFull, "", "slot %d has %d meetings and %d tables", s, n, p.Slots[s].Tables)
		}
	}
	for _, pt := range p.Participants {
		if pt.MaxMeetings > 0 && count[pt.ID] > pt.MaxMeetings {
			add(ViolationMaxMeetings, "", "%s has %d meetings, maximum %d", pt.ID, count[pt.ID], pt.MaxMeetings)
		}
	}
	for _, pr := range p.Precedences {
		sb, okB := slotOf[pr.Before]
		sa, okA := slotOf[pr.After]
		if okB && okA && sb >= sa {
			add(ViolationPrecedence, pr.After, "must come after meeting %q (slot %d), found slot %d", pr.Before, sb, sa)
		}
	}
	return out
}
