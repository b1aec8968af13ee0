package scheduler

// windowFit decides whether a participant's meetings fit, one per slot,
// into a window of slots: a bipartite matching of meetings to the slots of
// the window that their domains allow (augmenting paths). The bounds use it
// to count participants who cannot meet without a break, the exact phase
// to list each participant's possible gap-free windows.
type windowFit struct {
	in      *instance
	matchOf []int32 // slot -> index of the meeting matched to it, or -1
	mark    []int32
	stamp   int32
}

func newWindowFit(in *instance) *windowFit {
	return &windowFit{in: in, matchOf: make([]int32, in.nSlots), mark: make([]int32, in.nSlots)}
}

// fits reports whether every meeting of ms gets its own slot of window;
// when it does, matchOf holds the matching.
func (w *windowFit) fits(ms []int32, window slotSet) bool {
	for i := range w.matchOf {
		w.matchOf[i] = -1
	}
	for k := range ms {
		w.stamp++
		if !w.augment(ms, k, window) {
			return false
		}
	}
	return true
}

func (w *windowFit) augment(ms []int32, k int, window slotSet) bool {
	for _, s := range w.in.domain[ms[k]].and(window).members(nil) {
		if w.mark[s] == w.stamp {
			continue
		}
		w.mark[s] = w.stamp
		if w.matchOf[s] < 0 || w.augment(ms, int(w.matchOf[s]), window) {
			w.matchOf[s] = int32(k)
			return true
		}
	}
	return false
}
