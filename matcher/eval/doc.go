/*
Package eval measures the served matcher on real consortia and fits its
weights on history (offline; the matcher never imports it).

Run follows the protocol of issue 3 on CORDIS projects and participations:
history before a cutoff, test projects after; the pool is every
organization of a history project; each test project with at least 3 pool
members is a query from its coordinator, or its first pool member by order.
Task A counts every other pool member as relevant, task B only those who
never shared a history project with the requester.

The engine is the served matcher: Run writes the history event with the
CORDIS importer into the given engine's store (every pool organization a
participant, the fitted weights as the event's own), posts each query as
the requester's request opportunity and asks Matcher.Suggest, for task A
the requester's participant, for task B a participant of the same
organization who hides known partners. Baselines in the same run:
popularity (history projects per organization) and plain BM25 (k1 1.2,
b 0.75, Lucene idf, English stop words and snowball stems) of the query
against each organization's history text.

Fit fits the weights on history alone: at up to five distinct inner split dates (50% to
90% of history) the pool is built from the projects before the split (by
the importer's code, as the served event is), the matcher's own feature
code (matcher.Pool.Candidates) ranks the first stage of each training
query (for the new-partner model, the first stage of a requester who
hides known partners), and the consortia after the split give the labels.
Both models (new partners, known partners) are plain logistic models, so
calibrated on the samples and comparable; their L2 penalty (on
standardised features) is the one of a few that ranks held-out queries'
new partners best under a 2-fold cross-validation by query within
history (choose.go); both use gonum/optimize. TestLab (lab_test.go)
compares model variants on cached first stages of a validation split
(development only).
*/
package eval
