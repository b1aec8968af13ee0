package api

import (
	"encoding/json"
	"slices"
	"sync"

	"github.com/matchgrid/matchgrid/matcher"
)

// briefCache keeps the encoded brief answer of each participant's
// suggestions, so that a warm read writes bytes instead of encoding the
// list again (most of a warm read's work). An entry holds the matcher's
// slice it was encoded from: the matcher never changes a ranking it handed
// out, it computes a new one, so the same slice (same first element, same
// length) means the same answer, and holding it keeps its address from
// being reused. The cache is bounded by the bytes it holds and emptied
// when full.
type briefCache struct {
	mu    sync.Mutex
	m     map[briefKey]briefEntry
	bytes int
}

type briefKey struct {
	event, participant string
	limit              int
}

type briefEntry struct {
	from []matcher.Suggestion
	body []byte
}

// briefCacheBytes bounds the encoded answers kept.
const briefCacheBytes = 64 << 20

// encoded returns the brief JSON answer of sug, the matcher's answer to
// key, encoding it the first time.
func (bc *briefCache) encoded(key briefKey, sug []matcher.Suggestion) ([]byte, error) {
	if len(sug) == 0 {
		return encodeBrief(sug)
	}
	bc.mu.Lock()
	e, ok := bc.m[key]
	bc.mu.Unlock()
	if ok && len(e.from) == len(sug) && &e.from[0] == &sug[0] {
		return e.body, nil
	}
	body, err := encodeBrief(sug)
	if err != nil {
		return nil, err
	}
	bc.mu.Lock()
	defer bc.mu.Unlock()
	if bc.m == nil || bc.bytes+len(body) > briefCacheBytes {
		bc.m, bc.bytes = map[briefKey]briefEntry{}, 0
	}
	if old, ok := bc.m[key]; ok {
		bc.bytes -= len(old.body)
	}
	bc.m[key] = briefEntry{from: sug, body: body}
	bc.bytes += len(body)
	return body, nil
}

// encodeBrief encodes suggestions without their per-feature breakdown.
func encodeBrief(sug []matcher.Suggestion) ([]byte, error) {
	sug = slices.Clone(sug) // the matcher's copy is shared: only the clone loses its breakdown
	for i := range sug {
		sug[i].Forward.Features, sug[i].Backward.Features = nil, nil
	}
	return json.Marshal(newList(sug, len(sug)))
}
