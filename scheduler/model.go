package scheduler

import (
	"errors"
	"time"
)

// Sentinel errors. Functions wrap them with %w and name the offending field
// and value, so callers can test with errors.Is and still show a useful message.
var (
	// ErrInvalidProblem reports a Problem that breaks a structural rule
	// (unknown participant, slot out of range, duplicate ID, ...).
	ErrInvalidProblem = errors.New("scheduler: invalid problem")
	// ErrInvalidGrid reports a Grid that violates a constraint of its Problem.
	ErrInvalidGrid = errors.New("scheduler: invalid grid")
)

// MaxSlots is the largest number of slots a Problem may have, and
// MaxSlotsPerDay the largest number in one day. The solver keeps a
// participant's busy slots in fixed-size bitsets; these limits are far above
// any real brokerage event (256 slots of 15 minutes are 64 hours).
const (
	MaxSlots       = 256
	MaxSlotsPerDay = 64
)

// Slot is one time slot of the event. Slots are identified by their index
// in Problem.Slots, which is chronological. Slots of one day, and of one
// session, must be consecutive indices.
type Slot struct {
	// Day identifies the day. Breaks are counted per day: the night between
	// two days is never a break.
	Day int
	// Session identifies the session (for example morning and afternoon).
	// A lunch pause between two sessions of one day still counts as a break,
	// as in the b2bsp benchmark.
	Session int
	// Tables is the number of tables usable in this slot, numbered 0..Tables-1.
	Tables int
	// Start and End are optional; agendas need them, the solver does not.
	Start, End time.Time
}

// Participant is one person who meets others. People of the same
// organization are separate participants and may meet in parallel.
type Participant struct {
	// ID is a unique, caller-chosen identifier.
	ID string
	// Name is shown in reasons and agendas; ID is used when empty.
	Name string
	// Forbidden lists slot indices in which the participant cannot meet.
	Forbidden []int
	// MaxMeetings caps the participant's meetings; 0 means no cap.
	MaxMeetings int
	// HasOwnTable says the participant (a host or exhibitor) meets at
	// OwnTable all day. Two participants may not share an own table, and an
	// own table is reserved: nobody else meets there, even while its owner
	// is free.
	HasOwnTable bool
	// OwnTable is a table index, used only when HasOwnTable is set.
	OwnTable int
	// Online says the participant meets by video call. A meeting between
	// two online participants (neither with an own table) takes no table:
	// its placement has Table -1. A meeting between an online and an
	// on-site participant takes a table like any other (the on-site one
	// sits there with a screen).
	Online bool
}

// Meeting is one requested one-to-one meeting.
type Meeting struct {
	// ID is a unique, caller-chosen identifier.
	ID string
	// A and B are the participant IDs; they must differ.
	A, B string
	// Priority orders meetings when not all fit: a meeting's weight is
	// Priority+1 and the solver maximises the placed weight. Must be >= 0.
	Priority int
	// Sessions restricts the meeting to slots of these sessions; empty means any.
	Sessions []int
	// Fixed pins the meeting to FixedSlot (the table is still chosen).
	Fixed     bool
	FixedSlot int
	// Locked pins the meeting to LockedSlot and LockedTable; the solver
	// never moves it. A published grid is locked this way.
	Locked      bool
	LockedSlot  int
	LockedTable int
}

// Precedence requires meeting Before to be in a strictly earlier slot than
// meeting After when both are placed.
type Precedence struct {
	Before, After string
}

// Problem is a complete, storage-independent scheduling input. Slots are
// identified by index, participants and meetings by ID.
type Problem struct {
	Slots        []Slot
	Participants []Participant
	Meetings     []Meeting
	Precedences  []Precedence
	// Reserved lists tables kept free in every slot (spare tables): no
	// meeting is placed at them. They may not be own tables.
	Reserved []int
}

// Placement is where one meeting takes place. Slot < 0 means unplaced;
// Table < 0 with a slot means a video meeting between two online
// participants, which takes no table.
type Placement struct {
	Slot  int
	Table int
}

// Placed reports whether the placement has a slot.
func (pl Placement) Placed() bool { return pl.Slot >= 0 }

// Unplaced is the placement of a meeting without slot (and table).
var Unplaced = Placement{Slot: -1, Table: -1}

// Grid is a meeting grid: Placements[i] is the placement of Problem.Meetings[i].
type Grid struct {
	Placements []Placement
}

// NewGrid returns a grid for n meetings with every meeting unplaced.
func NewGrid(n int) *Grid {
	g := &Grid{Placements: make([]Placement, n)}
	for i := range g.Placements {
		g.Placements[i] = Unplaced
	}
	return g
}

// UnplacedMeeting is a meeting the solver could not place, with a reason a
// person can act on.
type UnplacedMeeting struct {
	Index  int    // index in Problem.Meetings
	ID     string // Meeting.ID
	Reason string
}

// Result is the output of Solve and FirstFit.
type Result struct {
	Grid     *Grid
	Unplaced []UnplacedMeeting
	Metrics  Metrics
	Bounds   Bounds
	// Iterations is the number of improvement moves tried.
	Iterations int64
	// Elapsed is the wall-clock time spent.
	Elapsed time.Duration
	// BudgetHit reports that the time budget (not the iteration limit, or
	// the exact phase's proof) ended the search; the result then depends on
	// machine speed.
	BudgetHit bool
	// BreaksOptimal reports that the exact phase proved that no grid placing
	// every meeting has fewer breaks, among grids that give no participant
	// more than max(2, the annealing's most breaks for one participant)
	// breaks (the fairness limit of the b2bsp benchmark).
	BreaksOptimal bool
	// PlacementProven reports that no grid places more priority weight
	// than this one: every meeting is placed, or the bounds or the exact
	// placement model prove that no more fits (see Unplaced for the
	// reasons).
	PlacementProven bool
	// SpreadUnreachable reports that the exact phase proved that no grid
	// placing every meeting keeps each participant within
	// Options.MaxBreakSpread breaks; the grid is then the annealing's.
	SpreadUnreachable bool
	// Warnings lists phases whose grid broke a rule and was undone (the
	// grid before that phase was kept). Each is a bug in the solver.
	Warnings []string
}
