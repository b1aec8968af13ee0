package testbed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/matchgrid/matchgrid/scheduler"
)

// SyntheticConfig describes a generated event: Participants people,
// Meetings requested meetings, Days days of SlotsPerDay slots, Tables tables
// per slot, and the Seed of the generator.
type SyntheticConfig struct {
	Participants int
	Meetings     int
	Days         int
	SlotsPerDay  int
	Tables       int
	Seed         int64
}

// Synthetic generates a realistic brokerage event:
//
//   - every day has SlotsPerDay slots split by a lunch break into a morning
//     and an afternoon session (session id = 2*day + 0 or 1);
//   - popularity is heavy-tailed (Zipf-like weights with exponent 0.8 over a
//     random ranking): a few organizations attract many requests;
//   - a meeting pairs a requester (uniform) with a target drawn by
//     popularity; nobody gets more requests than their free slots (request
//     policies cap inbound requests), and no pair is requested twice;
//   - 25% of participants attend only part of the event (one day, or one
//     half-day off), 15% have one or two other forbidden slots;
//   - 3% of participants are exhibitors with an own table (at most a quarter
//     of the tables), and 10% of meetings have priority 1.
//
// The same config gives the same problem. Meetings may be fewer than asked
// when the capacities do not allow that many distinct pairs.
func Synthetic(cfg SyntheticConfig) (*scheduler.Problem, error) {
	switch {
	case cfg.Participants < 2:
		return nil, fmt.Errorf("%w: Participants = %d, need at least 2", scheduler.ErrInvalidProblem, cfg.Participants)
	case cfg.Meetings < 0:
		return nil, fmt.Errorf("%w: Meetings = %d", scheduler.ErrInvalidProblem, cfg.Meetings)
	case cfg.Days < 1 || cfg.SlotsPerDay < 1 || cfg.SlotsPerDay > scheduler.MaxSlotsPerDay || cfg.Days*cfg.SlotsPerDay > scheduler.MaxSlots:
		return nil, fmt.Errorf("%w: %d days x %d slots, limits %d per day and %d in all", scheduler.ErrInvalidProblem, cfg.Days, cfg.SlotsPerDay, scheduler.MaxSlotsPerDay, scheduler.MaxSlots)
	case cfg.Tables < 1:
		return nil, fmt.Errorf("%w: Tables = %d", scheduler.ErrInvalidProblem, cfg.Tables)
	}
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x73796e746865))
	nSlots := cfg.Days * cfg.SlotsPerDay
	p := &scheduler.Problem{Slots: make([]scheduler.Slot, 0, nSlots)}
	for d := 0; d < cfg.Days; d++ {
		for s := 0; s < cfg.SlotsPerDay; s++ {
			ses := 2 * d
			if s >= (cfg.SlotsPerDay+1)/2 {
				ses++
			}
			p.Slots = append(p.Slots, scheduler.Slot{Day: d, Session: ses, Tables: cfg.Tables})
		}
	}
	n := cfg.Participants
	p.Participants = make([]scheduler.Participant, n)
	capLeft := make([]int, n)
	exhibitors := 0
	for i := range p.Participants {
		pt := &p.Participants[i]
		pt.ID = "p" + strconv.Itoa(i+1)
		forbidden := make([]bool, nSlots)
		if rng.Float64() < 0.25 {
			if cfg.Days > 1 && rng.IntN(2) == 0 {
				d := rng.IntN(cfg.Days) // one day off
				for s := 0; s < cfg.SlotsPerDay; s++ {
					forbidden[d*cfg.SlotsPerDay+s] = true
				}
			} else { // one half-day off
				d := rng.IntN(cfg.Days)
				half := (cfg.SlotsPerDay + 1) / 2
				lo, hi := 0, half
				if rng.IntN(2) == 0 {
					lo, hi = half, cfg.SlotsPerDay
				}
				for s := lo; s < hi; s++ {
					forbidden[d*cfg.SlotsPerDay+s] = true
				}
			}
		}
		if rng.Float64() < 0.15 {
			for k := 1 + rng.IntN(2); k > 0; k-- {
				forbidden[rng.IntN(nSlots)] = true
			}
		}
		free := 0
		for s, f := range forbidden {
			if f {
				pt.Forbidden = append(pt.Forbidden, s)
			} else {
				free++
			}
		}
		capLeft[i] = free
		if exhibitors < cfg.Tables/4 && rng.Float64() < 0.03 {
			pt.HasOwnTable, pt.OwnTable = true, exhibitors
			exhibitors++
		}
	}
	// Popularity: Zipf-like weights over a random permutation, sampled with
	// a cumulative table and binary search.
	perm := rng.Perm(n)
	cum := make([]float64, n)
	total := 0.0
	for i := 0; i < n; i++ {
		total += 1 / math.Pow(float64(perm[i]+1), 0.8)
		cum[i] = total
	}
	popular := func() int {
		x := rng.Float64() * total
		lo, hi := 0, n-1
		for lo < hi {
			mid := (lo + hi) / 2
			if cum[mid] < x {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		return lo
	}
	seen := make(map[uint64]bool, cfg.Meetings)
	p.Meetings = make([]scheduler.Meeting, 0, cfg.Meetings)
	for attempts := 0; len(p.Meetings) < cfg.Meetings && attempts < 50*cfg.Meetings+1000; attempts++ {
		a := rng.IntN(n)
		b := popular()
		if rng.IntN(4) == 0 { // some requests go to less popular people too
			b = rng.IntN(n)
		}
		if a == b || capLeft[a] == 0 || capLeft[b] == 0 {
			continue
		}
		key := uint64(min(a, b))<<32 | uint64(max(a, b))
		if seen[key] {
			continue
		}
		seen[key] = true
		capLeft[a]--
		capLeft[b]--
		m := scheduler.Meeting{ID: "m" + strconv.Itoa(len(p.Meetings)+1), A: p.Participants[a].ID, B: p.Participants[b].ID}
		if rng.Float64() < 0.10 {
			m.Priority = 1
		}
		p.Meetings = append(p.Meetings, m)
	}
	return p, nil
}
