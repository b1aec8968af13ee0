/*
Package matcher ranks meeting partners for the participants of a brokerage
event, explains every suggestion both ways, and measures itself against
plain baselines on real consortia.

# Suggestions

	m, err := matcher.New(store, ix, nil)
	sug, err := m.Suggest("mhc-2027", "p-0042", 20)

The ranking is a chain of steps, each recording why (in the manner of the
nomad scheduler's iterators):

 1. source: candidates from the index: the participant's requests against
    others' offers, their offers against others' requests, and their
    organization's profile against other profiles ("more like this" terms);
 2. filters: own organization, already met or accepted, declined, already
    requested, and the event's who-may-meet-whom rules;
 3. a cut to the best organizations by the forward score;
 4. scorers: pair features (FeatureNames) in both directions; a directed
    score s(a->b) = sigmoid(bias + sum of weight x feature), and the
    reciprocal score, the harmonic mean of s(a->b) and s(b->a); a candidate
    without matched terms in both directions is dropped;
 5. capacity: a partner whose received requests reach their free slots is
    pushed down, an under-requested one lifted;
 6. at most Weights.PerOrganization suggestions per organization.

Each Suggestion carries Forward (how well they fit you) and Backward (how
well you fit them): every feature's value, weight and contribution, and
the words that matched, per source (needs, profile).

Weights: DefaultWeights is the embedded weights.json, written by
"matchgrid eval cordis ... --weights-out matcher/weights.json": the
features with a CORDIS counterpart (text, profile similarity, kind pairing,
same country, past partners, partners of partners, popularity) are fitted
with a logistic model on history consortia; the organization-kind lift
table is learned from all history consortia (like pairs with like more
than a complementarity table says); codes, partner sought and language,
which consortia do not record, are set by hand. Options.Weights and
Options.EventWeights override them.

# Evaluation

EvaluateCORDIS runs the protocol of issue 3 on CORDIS projects and
participations: history before a cutoff, test projects after; the pool is
every organization of a history project, known only from history (text of
its projects, activity type, SME flag, country, partners); each test
project with at least 3 pool members is a query (title, keywords and
objective) from its coordinator, or its first pool member by order. Task A
counts every other pool member as relevant, task B only those who never
shared a history project with the requester. It reports R@10, R@50, MRR and
nDCG@10 of the engine, of popularity (history projects per organization)
and of plain BM25 (k1 1.2, b 0.75, Lucene idf) of the query against each
organization's history text, with English stop words and snowball stems
for both.

The engine of the evaluation is a two-stage ranker: a first stage (text
relevance + nearest-project votes + relevance of shared past projects)
keeps 600 candidates, which a logistic model
re-ranks (one model per task, over the features listed in eval_features.go). The models are fitted on history alone: at
five inner split dates (50% to 90% of history), the world before the split
gives the features and the history consortia after it the labels, under
the same protocol. Task A uses two calibrated models, one for the requester's
past partners and one for everyone else, compared on one probability
scale. Ties are broken by a seeded permutation.

# Caveats

  - The event matcher and the evaluation share feature names, not code: the
    evaluation works on an in-memory text model of CORDIS organizations, the
    matcher on the Bleve index of an event.
  - Hand-set weights (codes, partner sought, language) are not fitted.
  - Suggestions read an event snapshot cached per store generation and a
    cache of "more like this" terms; both are safe for concurrent use.
  - There is no "blocked" entity in the store yet; declined requests are the
    only explicit refusal the filters know.
*/
package matcher
