package matcher

import (
	"cmp"
	"encoding/binary"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/matchgrid/matchgrid/matcher/internal/bm25"
	"github.com/matchgrid/matchgrid/profiles"
)

// Pool is the matcher's model of an event's organizations, built once per
// set of organizations and shared by every suggestion: their texts
// (profile and track record) in one term space with BM25 indexes, the
// track-record projects as documents of their own, the graph of past
// partners, and the pairings (organization kinds, countries) that the
// track records show. The evaluation fits the weights on pools of history
// through the same code (NewPool, Pool.Features).
type Pool struct {
	at      time.Time
	ids     []string
	idx     map[string]int
	orgs    []*profiles.Organization
	group   []string // corporate group key per organization ("" when none)
	nameW   []map[string]bool
	voc     *bm25.Vocab
	surface map[int32]string // the word of the texts each term mostly came from
	votes   map[int32]int32  // majority vote of surface (see spelling)
	// capsCount counts each term's occurrences written in capitals and
	// all its occurrences, while the pool is built.
	capsCount map[int32][2]int32
	acronyms  map[int32]bool // terms mostly written in capitals
	docs      *bm25.Docs     // profile and track-record text per organization
	text      *bm25.Index
	short     *bm25.Index // titles, keywords and sectors
	// Track-record projects, each a document of its own.
	projIdx   *bm25.Index
	projOrg   [][]int32
	projStart []time.Time
	projLabel []string
	projOf    [][]int32 // organization -> its projects
	nbr       []map[int32]int32
	topOf     []atomic.Pointer[[]int32]  // partnerTopTerms per organization, filled on first use
	mltOf     []atomic.Pointer[bm25.Bag] // profileQuery per organization, filled on first use
	nproj     []float64
	ncoord    []float64
	recent    []float64
	last      []time.Time
	kind      []int
	kindLift  [][]float64
	country   []string
	ctryLift  map[[2]string]float64
	ctryOut   map[string]float64
	ctryIn    map[string]float64
	pairs     float64
	cons      consortiumStatic // filled on first use (consortium.go)
	sem       *latent          // the latent semantic space (nil when the texts are too few)
}

// analysisCache keeps analysed texts by a hash of language and text, so
// that a pool rebuilt after a write analyses only what changed.
type analysisCache struct {
	mu        sync.Mutex
	m         map[uint64][]token
	tokens    int // the tokens it holds
	maxTokens int // emptied when adding a text would pass it
}

// analysisCacheTokens bounds the tokens the cache holds (about 50 bytes
// each with their words): the texts of a few thousand organizations with
// track records, not of 20,000.
const analysisCacheTokens = 2_000_000

func newAnalysisCache() *analysisCache {
	return &analysisCache{m: map[uint64][]token{}, maxTokens: analysisCacheTokens}
}

func (c *analysisCache) analyze(text, lang string) []token {
	if c == nil {
		return analyze(text, lang)
	}
	h := fnv.New64a()
	h.Write([]byte(lang + "\x00" + text))
	key := h.Sum64()
	c.mu.Lock()
	t, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return t
	}
	t = analyze(text, lang)
	c.mu.Lock()
	if c.tokens+len(t) > c.maxTokens {
		clear(c.m)
		c.tokens = 0
	}
	if _, ok := c.m[key]; !ok && len(t) <= c.maxTokens {
		c.m[key] = t
		c.tokens += len(t)
	}
	c.mu.Unlock()
	return t
}

// NewPool builds the pool of organizations as known at time at (recent
// activity counts the year before it).
func NewPool(orgs []profiles.Organization, at time.Time) *Pool {
	sorted := make([]*profiles.Organization, len(orgs))
	for i := range orgs {
		sorted[i] = &orgs[i]
	}
	slices.SortFunc(sorted, func(a, b *profiles.Organization) int { return cmp.Compare(a.ID, b.ID) })
	p, _ := newPool(func(yield func(whole, kept *profiles.Organization) error) error {
		for _, o := range sorted {
			if err := yield(o, o); err != nil {
				return err
			}
		}
		return nil
	}, at, nil)
	return p
}

// orgSource calls yield with the organizations of a pool in ID order, one
// at a time: each whole (its texts, read once) and as the pool keeps it
// (the same, or without its texts: lightOrg). It returns yield's error.
type orgSource func(yield func(whole, kept *profiles.Organization) error) error

// newPool builds a pool from the organizations of src, analysing their
// texts one organization at a time (the texts are not kept).
func newPool(src orgSource, at time.Time, cache *analysisCache) (*Pool, error) {
	p := &Pool{at: at, idx: map[string]int{}, voc: bm25.NewVocab(), surface: map[int32]string{},
		votes: map[int32]int32{}, capsCount: map[int32][2]int32{},
		ctryLift: map[[2]string]float64{}, ctryOut: map[string]float64{}, ctryIn: map[string]float64{}}
	p.docs = bm25.NewDocs()
	b := &poolBuild{projects: map[string]int{}, yearAgo: at.AddDate(-1, 0, 0), cache: cache,
		projDocs: bm25.NewDocs(), short: bm25.NewDocs(), projHead: bm25.NewDocs()}
	if err := src(func(whole, kept *profiles.Organization) error { p.addOrg(b, whole, kept); return nil }); err != nil {
		return nil, err
	}
	n := len(p.ids)
	p.topOf = make([]atomic.Pointer[[]int32], n)
	p.mltOf = make([]atomic.Pointer[bm25.Bag], n)
	p.settleSpellings()
	p.docs.Clip()
	p.text = bm25.NewFrom(p.docs)
	p.corporateGroups()
	p.short = bm25.NewFrom(b.short)
	p.projIdx = bm25.NewFrom(b.projDocs)
	p.sem = newLatent(b.projDocs, p.docs, p.projOf, p.voc.Len())
	p.pairings(b.projLead)
	return p, nil
}

// poolBuild is what newPool holds while it reads the organizations.
type poolBuild struct {
	cache    *analysisCache
	yearAgo  time.Time
	projects map[string]int // project ID -> index
	projDocs *bm25.Docs
	short    *bm25.Docs // per organization
	projHead *bm25.Docs // per project: title and keywords
	projLead []int32
}

// addOrg adds organization o (whole: with its texts) to the pool, which
// keeps kept.
func (p *Pool) addOrg(b *poolBuild, o, kept *profiles.Organization) {
	i := len(p.ids)
	p.orgs = append(p.orgs, kept)
	p.ids = append(p.ids, o.ID)
	p.idx[o.ID] = i
	p.kind = append(p.kind, slices.Index(profiles.OrgKinds, o.Kind))
	p.country = append(p.country, o.Country)
	p.nameW = append(p.nameW, nameWords(o.Name))
	p.nbr = append(p.nbr, map[int32]int32{})
	p.projOf = append(p.projOf, nil)
	p.nproj, p.ncoord, p.recent = append(p.nproj, 0), append(p.ncoord, 0), append(p.recent, 0)
	p.last = append(p.last, time.Time{})
	doc, sh := bm25.Bag{}, bm25.Bag{}
	for lang, d := range o.Descriptions {
		doc.Add(p.bag(b.cache, d, lang))
	}
	sh.Add(p.bag(b.cache, strings.Join(o.Keywords, ", ")+"\n"+strings.Join(o.Sectors, ", "), ""))
	for _, ref := range o.Projects {
		pi, ok := b.projects[ref.ID]
		if !ok {
			pi = b.projDocs.Len()
			b.projects[ref.ID] = pi
			head := ref.Title + "\n" + strings.Join(ref.Keywords, ", ")
			hb := p.bag(b.cache, head, "")
			full := p.bag(b.cache, ref.Text, "")
			full.Add(hb)
			b.projDocs.Add(full)
			b.projHead.Add(hb)
			start, _ := time.Parse(time.DateOnly, ref.StartDate)
			p.projStart = append(p.projStart, start)
			p.projLabel = append(p.projLabel, ref.Label())
			p.projOrg = append(p.projOrg, nil)
			b.projLead = append(b.projLead, -1)
		}
		p.projOrg[pi] = append(p.projOrg[pi], int32(i))
		p.projOf[i] = append(p.projOf[i], int32(pi))
		if ref.Role == profiles.CORDISCoordinator && b.projLead[pi] < 0 {
			b.projLead[pi] = int32(i)
		}
		b.projDocs.AddTo(pi, doc)
		b.projHead.AddTo(pi, sh)
		p.nproj[i]++
		if ref.Role == profiles.CORDISCoordinator {
			p.ncoord[i]++
		}
		if start := p.projStart[pi]; !start.Before(b.yearAgo) && start.Before(p.at) {
			p.recent[i]++
		}
		if start := p.projStart[pi]; start.After(p.last[i]) {
			p.last[i] = start
		}
	}
	p.docs.Add(doc)
	b.short.Add(sh)
}

// bag analyses text into a bag of the pool's vocabulary, remembering a
// word for each new term.
func (p *Pool) bag(cache *analysisCache, text, lang string) bm25.Bag {
	b := bm25.Bag{}
	if strings.TrimSpace(text) == "" {
		return b
	}
	for _, t := range cache.analyze(text, lang) {
		id := p.voc.ID(t.term, true)
		p.spelling(id, t)
		b[id]++
	}
	return b
}

// spelling counts one occurrence of term id: the shown word is the
// spelling most of its occurrences use (a majority vote, so that one
// accented or foreign spelling does not stand for an English word), and
// the term is an acronym when at least half of its occurrences are
// written in capitals.
func (p *Pool) spelling(id int32, t token) {
	switch w, ok := p.surface[id]; {
	case !ok || (w != t.word && p.votes[id] == 0):
		p.surface[id], p.votes[id] = t.word, 1
	case w == t.word:
		p.votes[id]++
	default:
		p.votes[id]--
	}
	c := p.capsCount[id]
	c[1]++
	if t.caps {
		c[0]++
	}
	p.capsCount[id] = c
}

// settleSpellings turns the counts of spelling into the set of acronyms:
// terms mostly written in capitals (EFPIA, COCIR), organization and
// project acronyms, which explain nothing to a broker.
func (p *Pool) settleSpellings() {
	p.acronyms = map[int32]bool{}
	for id, c := range p.capsCount {
		if 2*c[0] >= c[1] {
			p.acronyms[id] = true
		}
	}
	p.votes, p.capsCount = nil, nil
}

// query analyses a query text into a bag of known terms and the query's
// own word for each.
func (p *Pool) query(cache *analysisCache, text, lang string) (bm25.Bag, map[int32]string) {
	b, w := bm25.Bag{}, map[int32]string{}
	for _, t := range cache.analyze(text, lang) {
		if id := p.voc.ID(t.term, false); id >= 0 {
			b[id]++
			if _, ok := w[id]; !ok {
				w[id] = t.word
			}
		}
	}
	return b, w
}

// pairings fills the partner graph and the kind and country pairings of
// the track records: each project's lead (its coordinator, else its first
// member) with each other member.
func (p *Pool) pairings(lead []int32) {
	nk := len(profiles.OrgKinds)
	kp := make([][]float64, nk)
	for i := range kp {
		kp[i] = make([]float64, nk)
	}
	for pi, members := range p.projOrg {
		for _, a := range members {
			for _, b := range members {
				if a != b {
					p.nbr[a][b]++
				}
			}
		}
		l := lead[pi]
		if l < 0 {
			l = members[0]
		}
		for _, m := range members {
			if m == l {
				continue
			}
			if p.kind[l] >= 0 && p.kind[m] >= 0 {
				kp[p.kind[l]][p.kind[m]]++
			}
			cp := [2]string{p.country[l], p.country[m]}
			p.ctryLift[cp]++
			p.ctryOut[cp[0]]++
			p.ctryIn[cp[1]]++
			p.pairs++
		}
	}
	rows, cols := make([]float64, nk), make([]float64, nk)
	var total float64
	for a := range nk {
		for b := range nk {
			rows[a] += kp[a][b]
			cols[b] += kp[a][b]
			total += kp[a][b]
		}
	}
	p.kindLift = make([][]float64, nk)
	for a := range nk {
		p.kindLift[a] = make([]float64, nk)
		for b := range nk {
			exp := 0.0
			if total > 0 {
				exp = rows[a] * cols[b] / total
			}
			p.kindLift[a][b] = math.Log((kp[a][b] + 1) / (exp + 1))
		}
	}
	for cp, obs := range p.ctryLift {
		exp := p.ctryOut[cp[0]] * p.ctryIn[cp[1]] / p.pairs
		p.ctryLift[cp] = math.Log((obs + 1) / (exp + 1))
	}
}

// kindPair is the learned lift of a (kind a, kind b) pairing.
func (p *Pool) kindPair(a, b int) float64 {
	if p.kind[a] < 0 || p.kind[b] < 0 {
		return 0
	}
	return p.kindLift[p.kind[a]][p.kind[b]]
}

// countryPair is the lift of a (country a, country b) pairing; unseen
// pairs score as expected from the margins.
func (p *Pool) countryPair(a, b string) float64 {
	if v, ok := p.ctryLift[[2]string{a, b}]; ok {
		return v
	}
	if p.pairs == 0 {
		return 0
	}
	return math.Log(1 / (p.ctryOut[a]*p.ctryIn[b]/p.pairs + 1))
}

// shared returns the labels of the projects organizations a and b both took part in.
func (p *Pool) shared(a, b int) []string {
	var out []string
	for _, pi := range p.projOf[a] {
		if slices.Contains(p.projOrg[pi], int32(b)) {
			out = append(out, p.projLabel[pi])
		}
	}
	return out
}

// topTerms returns the k terms of organization r's text with the highest
// tf-idf, each once: its "more like this" query.
func (p *Pool) topTerms(r, k int) bm25.Bag {
	type tw struct {
		t int32
		w float64
	}
	n := float64(p.docs.Len())
	ts, fs := p.docs.Terms(r)
	all := make([]tw, 0, len(ts))
	for j, t := range ts {
		all = append(all, tw{t, math.Log1p(float64(fs[j])) * math.Log(n/float64(max(1, p.text.DF(t))))})
	}
	slices.SortFunc(all, func(a, b tw) int { return cmp.Or(cmp.Compare(b.w, a.w), cmp.Compare(a.t, b.t)) })
	out := bm25.Bag{}
	for i := 0; i < len(all) && i < k; i++ {
		out[all[i].t] = 1
	}
	return out
}

// profileQuery is organization r's "more like this" query, topTerms(r,
// mltTerms), computed once per pool (read-only: it is shared).
func (p *Pool) profileQuery(r int) bm25.Bag {
	if q := p.mltOf[r].Load(); q != nil {
		return *q
	}
	q := p.topTerms(r, mltTerms)
	p.mltOf[r].Store(&q)
	return q
}

// poolFingerprint hashes what a snapshot's pool is built from, so that a
// snapshot whose organizations did not change reuses its predecessor's
// pool.
func poolFingerprint(s *snapshot, at time.Time) uint64 {
	h := fnv.New64a()
	h.Write([]byte(at.Format(time.DateOnly)))
	var sum [8]byte
	for _, id := range slicesSortedKeys(s.orgs) {
		h.Write([]byte("\x01" + id + "\x00"))
		binary.LittleEndian.PutUint64(sum[:], s.orgSum[id])
		h.Write(sum[:])
	}
	return h.Sum64()
}
