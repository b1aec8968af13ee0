package scheduler

import "math/bits"

// slotSet is a set of slot indices below MaxSlots. A fixed-size array keeps
// the per-participant availability compact and lets set operations compile
// to a handful of word instructions.
type slotSet [MaxSlots / 64]uint64

func (s *slotSet) add(i int)      { s[i>>6] |= 1 << uint(i&63) }
func (s *slotSet) remove(i int)   { s[i>>6] &^= 1 << uint(i&63) }
func (s *slotSet) has(i int) bool { return s[i>>6]&(1<<uint(i&63)) != 0 }
func (s slotSet) and(o slotSet) slotSet {
	for i := range s {
		s[i] &= o[i]
	}
	return s
}
func (s slotSet) or(o slotSet) slotSet {
	for i := range s {
		s[i] |= o[i]
	}
	return s
}

func (s slotSet) count() int {
	n := 0
	for _, w := range s {
		n += bits.OnesCount64(w)
	}
	return n
}

func (s slotSet) empty() bool { return s[0]|s[1]|s[2]|s[3] == 0 }

// first returns the smallest member, or -1.
func (s slotSet) first() int {
	for i, w := range s {
		if w != 0 {
			return i*64 + bits.TrailingZeros64(w)
		}
	}
	return -1
}

// nth returns the n-th smallest member (0-based); n must be < count().
func (s slotSet) nth(n int) int {
	for i, w := range s {
		c := bits.OnesCount64(w)
		if n < c {
			for ; n > 0; n-- {
				w &= w - 1
			}
			return i*64 + bits.TrailingZeros64(w)
		}
		n -= c
	}
	return -1
}

// members appends the members in increasing order to dst.
func (s slotSet) members(dst []int) []int {
	for i, w := range s {
		for w != 0 {
			dst = append(dst, i*64+bits.TrailingZeros64(w))
			w &= w - 1
		}
	}
	return dst
}

// rangeSet returns the set {lo, ..., hi-1}.
func rangeSet(lo, hi int) slotSet {
	var s slotSet
	for i := lo; i < hi; i++ {
		s.add(i)
	}
	return s
}

// gapBreaks returns the number of breaks (maximal runs of zeros strictly
// between the lowest and highest one) and idle slots in a day's busy mask.
func gapBreaks(mask uint64) (breaks, idle int) {
	if mask == 0 {
		return 0, 0
	}
	m := mask >> uint(bits.TrailingZeros64(mask))
	runs := bits.OnesCount64(m &^ (m >> 1)) // ends of runs of ones
	span := 64 - bits.LeadingZeros64(m)
	return runs - 1, span - bits.OnesCount64(m)
}

func trailing(w uint64) int { return bits.TrailingZeros64(w) }
