// Package scheduler builds the meeting grid of a B2B brokerage event: every
// accepted one-to-one meeting gets a time slot and a table, nobody is in two
// places at once, and the grid is as compact as possible for everyone.
//
// The package is storage-independent. A Problem lists slots (with day,
// session and table count), participants (forbidden slots, a cap on
// meetings, an optional own table for hosts and exhibitors) and meetings
// (two participants, a priority, optional session restriction, fixed slot
// or lock, and precedences). Solve returns a Grid (slot and table per
// meeting), a reason for every meeting it could not place, metrics and
// bounds. Check verifies a grid against every constraint and shares no code
// with the solver; every test and benchmark result goes through it.
// FirstFit is the baseline most event tools implement, kept for comparison.
// Package calendar turns a grid into agendas (ICS, CSV); package testbed
// reads the b2bsp benchmark and generates synthetic events; the SAT solver
// of the exact phase is internal/sat.
//
// # Model
//
// A grid is an edge colouring of the meeting graph: participants are
// vertices, meetings are edges and slots are colours, with at most Tables
// meetings per slot, each meeting restricted to the slots both participants
// are free (and to its sessions). Deciding whether all meetings fit is
// NP-complete, and so is a grid without idle gaps.
//
// The objective is lexicographic: (1) the placed priority weight (a
// meeting weighs Priority+1), (2) the number of breaks, (3) the number of
// idle slots, (4) the number of table changes. A break is a maximal run of
// idle slots strictly between a participant's first and last meeting of a
// day; the night is never a break, a lunch pause between two sessions of a
// day is (as in the b2bsp benchmark, whose morning and afternoon form one
// day). Participants of one organization are separate people and may meet in
// parallel; nothing here is organization-level.
//
// # Algorithm
//
//  1. Validation and bounds (below).
//  2. Construction: locked meetings first, then meetings most-constrained
//     first (priority, then slack = free slots minus meetings of the busier
//     participant, then degree). Each goes to the free slot that adds the
//     fewest breaks and idle slots; if no slot is free for both people, a
//     Kempe-chain repair swaps the meetings in the way between two slots.
//  3. Improvement: simulated annealing over feasible slot assignments with
//     Kempe-chain moves (random and aimed at a participant's gaps), shifts
//     of a participant's run of meetings, ejection moves, exchanges and
//     rotations of whole slots within a session, and, while
//     meetings are unplaced, insertion with ejection and Kempe insertion.
//     Kempe moves are evaluated before they are applied. The temperature
//     follows the move count (the clock only when the run is clearly
//     headed for the deadline). Options.Workers > 1 runs independent
//     searches in parallel and keeps the best (worth it on an otherwise
//     idle machine).
//  4. Exact placement (placement.go), on events whose meetings have at
//     most 400,000 admissible slots in all, when the annealing left
//     meetings unplaced: a SAT model of placement alone (one slot per
//     meeting, one meeting per participant and slot, caps, shared tables,
//     precedences; a "placed" variable per meeting) is solved assuming
//     every meeting placed. Each unsatisfiable core names meetings that
//     cannot all be placed; the lowest-priority one leaves, until the rest
//     fits; then the unplaced priority weight is bounded below the best so
//     far until the solver proves no grid places more (Result.
//     PlacementProven). Each meeting left out gets the meetings it
//     conflicts with as its reason (the core of "it and every placed
//     meeting", shrunk by deletion). A complete grid found this way is
//     annealed again before the next phase.
//  5. Exact minimisation of breaks, on events of at most 600 meetings and
//     40 slots per day where every meeting is placed: the annealing gets
//     at most the first 30% of the budget (it ends early when its best
//     grid stops improving, and the exact phase gets the budget its moves
//     did not use), and a SAT solver (internal/sat, a compact CDCL solver
//     with native cardinality constraints and recursive clause
//     minimisation) takes its grid as the starting point. Core-boosted
//     linear search: core-guided MaxSAT search (OLL, exactcore.go) first
//     raises the lower bound within a small share of the work limit: every
//     objective literal is assumed false, each unsatisfiable core of
//     participants who cannot all go without a break raises the lower
//     bound by one and becomes a totalizer that allows one of them; a
//     satisfiable call is the optimum. Then the solver asks for one break
//     fewer than the best grid, again and again, each time starting from
//     the last grid found (solution-guided search) and bounding both the
//     objective and the cores' reformulation of it (each step first
//     within 5% of the work keeps every participant without a break in
//     the best grid without one, freeing those an unsatisfiable core
//     names), until it proves that
//     no grid has fewer breaks, the two bounds meet, or its share of the
//     work ends; the cores get the rest. The cores prove bounds the descent
//     never reaches (forum-14.fixed020-Forb: 20, the published optimum,
//     against 17 from the bounds below), and
//     a bound at the optimum ends the search. With
//     the breaks proven minimal the solver does the same for idle slots. The encoding (exact.go): a variable
//     per meeting and admissible slot, per participant and slot, "meets
//     here or later/earlier" chains that define break and idle literals,
//     slot capacity counted by a totalizer over one variable per "hub"
//     participant and slot, the participants busy in a slot bounded by
//     twice its tables (implied, and what proves the optima of the forumt
//     family, where the tables leave a handful of places per slot; where
//     the meetings fill less than busyLoad of the places, only the
//     second lane states it),
//     precedences in the order encoding ("in this slot or later"
//     literals, so that bounds propagate along chains), and windows: a participant without breaks
//     fills deg consecutive slots into which its meetings can be matched
//     (only such windows are offered, and placements that belong to no
//     perfect matching of a window are excluded). A participant with no
//     window pays one break in every grid (the lower bound below); the
//     objective counts only the others and extra breaks, so the bound at
//     the lower bound forbids every other break outright. Each participant
//     may have at most max(2, their most breaks in the annealing's grid)
//     breaks, or Options.MaxBreakSpread when set (the fairness limit of
//     the b2bsp benchmark). Where an exact phase (4 or 5) runs, steps 3 to
//     5 run in two lanes side by side (lanes.go) from the constructed
//     grid, each annealing with its own random stream (and, where the
//     tables leave room, with and without the busy count per slot) and
//     each with the whole work limit, and the best grid wins (ties to lane 0, which
//     makes the search a single lane would): the last steps of the descent
//     are single SAT calls whose outcome swings with the grid they start
//     from, and the lanes miss different optima. A lane's lower bound
//     counts for the winning grid only when it holds under a
//     per-participant cap at least the winner's.
//  6. Tables: slot by slot, locked tables, then own tables, then a table one
//     of the two participants already sits at, then tables nobody with
//     meetings left that day holds. An own table is reserved for its owner
//     (nobody else sits there, even while the owner is free), so the slot
//     capacity for meetings without a host is tables minus own tables
//     (and minus Problem.Reserved, spare tables nobody sits at). A meeting
//     between two online participants takes no table (Table -1).
//
// Every phase's grid is checked against every hard rule (feasible.go);
// one that fails is undone, the grid before it kept, and the failure
// reported in Result.Warnings: a bug, never an invalid grid.
//
// Locked meetings and meetings in Options.Published never move (incremental
// mode: new meetings are placed around a published grid).
//
// # Bounds
//
// Bounds.PlacedUpper is a proof that no grid places more meetings. It is the
// minimum of two bounds:
//
//   - Participant bound: M - D - E, where M is the number of meetings, D the
//     number with an empty domain (no slot allowed by sessions, fixed slot
//     and both participants' forbidden slots), and E a lower bound on the
//     meetings lost at over-subscribed participants. For participant p,
//     cap(p) = min(MaxMeetings, |union of the domains of p's meetings|) and
//     excess(p) = max(0, deg(p) - cap(p)), deg counting meetings with a
//     non-empty domain; at least excess(p) of p's meetings stay unplaced.
//     E = max(sum of excess over a set of participants no two of whom share
//     a meeting, chosen greedily by decreasing excess; ceil(sum of all
//     excesses / 2)), the second because one unplaced meeting is counted at
//     most at its two ends.
//   - Slot bound: the sum over slots s of min(usable tables(s), meetings
//     whose domain contains s, floor(participants who could meet in s / 2)),
//     since the meetings of one slot form a matching and use one table each.
//     Own tables are reserved for their owners, so usable tables(s) =
//     min(tables(s), shared tables(s) + hosts who could meet in s). Over
//     the whole event, also min(meetings without a host, sum of shared
//     tables) + meetings with a host, if smaller.
//
// Bounds.BreaksLower counts, for single-day events, the participants whose
// meetings fit in no window of consecutive free slots (checked by bipartite
// matching of the meetings to the window's slots), and for multi-day
// events those with more meetings than the sum over the days of their
// longest run of usable slots; it bounds the breaks of any grid that
// places every meeting. The exact phase raises it with the cores of its
// core-guided search, and to the optimum when it proves one
// (Result.BreaksOptimal); both hold under its per-participant cap.
//
// # Reproducibility
//
// The same problem, Options (budget included) give the same grid on a
// quiet or a busy machine wherever the work limits, not the clock, end the
// search: no map is iterated in a decision, ties break on input order (and
// on the lowest worker), every random source is a PCG seeded from
// Options.Seed, the SAT solver uses no randomness, and the phases stop at
// work limits derived from the budget: annealing moves (15,000 per
// meeting, at most movesPerSecond per second of budget, 30% of it before
// an exact phase, fewer when the annealing's best grid stops improving) and
// SAT propagation ticks (ticksPerSecond per second of the budget the
// annealing's moves did not stand for at movesPerSecond, at least 70%),
// counts that do not depend on the machine. The number of lanes is fixed
// (two), not taken from the machine, and ticksPerSecond is set so that a
// quiet 2-core machine finishes both lanes within the budget; on a busy
// machine the clock ends the slowest instances. The clock
// only cuts a run that the machine is too slow to finish
// (Result.BudgetHit); the best grid so far is kept, never worse than the
// construction's. Options.Iterations and Options.ExactConflicts set the
// limits explicitly (tests use small ones). With MATCHGRID_WORK_EVAL=N
// (or Options.ClockScale) the clock is stretched N-fold and the work
// limits stay, so that a benchmark on a busy machine gives the grids of a
// quiet one.
//
// # Limits and caveats
//
// At most MaxSlots slots in all and MaxSlotsPerDay per day (busy slots are
// bitsets). Two participants may not share an own table. Priorities weigh
// Priority+1, so many low-priority meetings can outweigh one high-priority
// meeting; use widely spaced priorities for a strict order. Fairness (the
// spread of breaks between participants) is reported and capped by the
// exact phase, not optimised. A fixed meeting whose slot is forbidden for a
// participant stays unplaced (with the reason). The exact minimisation of
// breaks runs only on complete grids, under the per-participant cap above
// (its proof of optimality holds under that cap), and counts a lunch pause
// as a break like the metrics do; on larger events the grid comes from the
// annealing alone, a heuristic whose Bounds.BreaksLower is usually far
// below the optimum. The exact placement maximises priority weight; with
// weights above maxWeightCopies in all it maximises the number of placed
// meetings and proves nothing.
//
// # Reference
//
// The b2bsp benchmark instances in testdata/b2bsp are from M. Bofill,
// J. Coll, M. Garcia, J. Giráldez-Cru, G. Pesant, J. Suy, M. Villaret,
// "Constraint Solving Approaches to the Business-to-Business Meeting
// Scheduling Problem", Journal of Artificial Intelligence Research 74
// (2022) 263–301; their proven optima (number of breaks) are the bar the
// benchmarks measure against.
package scheduler
