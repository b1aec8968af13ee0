/*
Package matcher ranks meeting partners for the participants of a brokerage
event and explains every suggestion both ways. It is the one ranker of
matchgrid: the suggestions page, the API, the widget, "matchgrid match" and
the evaluation (package matcher/eval) all call Suggest.

# Suggestions

	m, err := matcher.New(store, nil)
	sug, err := m.Suggest("mhc-2027", "p-0042", 20)

The event's organizations form a Pool (built once per set of organizations
and reused while they do not change): their profile texts and track
records (profiles.Organization.Projects: past projects with title, keywords
and text) in one term space (English stems; Italian through the term bridge
of bridge_it_en.txt and cognate rules, French, Spanish and German through
cognate rules), BM25 indexes of organizations and of track-record projects,
a latent semantic space (semantic.go: a randomized truncated SVD of the
texts' tf-idf, 128 dimensions, so that texts on one topic in other words
lie close), the graph of past partners, and the organization-kind and country pairings
the track records show. A ranking is a chain of steps:

 1. query: what the participant's organization looks for, its requests
    (and partnership proposals), or else the top terms of its own texts;
 2. first stage over the whole event: the best 600 organizations by text
    relevance, nearest track-record projects and relevance of shared
    projects;
 3. filters: own organization, same corporate group (groupKey), no text
    evidence, already met or requested, declined, blocked, the event's
    who-may-meet-whom rules, and known partners when hidden
    (SuggestOptions, profiles.Participant.HideKnownPartners);
 4. the fitted model: a calibrated probability from the pair features
    (FeatureNames), one model for new partners and one for known partners;
    among them what the consortia of the projects closest to the query
    take in (their members' kinds and countries), whether the candidate
    keeps taking new partners, whom the participant worked with lately
    and the same city (consortium.go);
 5. reciprocity: a candidate whose requests the participant answers is
    lifted (Weights.Reciprocal);
 6. capacity: a partner whose received requests reach their free slots is
    pushed down, an under-requested one lifted;
 7. at most Weights.PerOrganization suggestions per organization.

Each Suggestion carries a mutual-fit band and percentage relative to the
participant's best suggestion (FitScale), the projects two known partners
shared, and per direction plain sentences and at most MaxTerms matched
words ranked by their BM25 contribution (never numbers, stop words, words
under 3 letters, words of either organization's name, acronyms or funding
boilerplate such as "union" or "consortium"; each in the spelling most
texts use). The kind and country sentences are said only for a
candidate in the top tenth of its first stage on that feature
(distinctiveFeatures): what many candidates share explains none of them.
Raw feature
contributions and capacity notes are for the organizer's diagnostics.

Weights: DefaultWeights is the embedded weights.json, written by
"matchgrid eval cordis ... --weights-out matcher/weights.json", fitted on
CORDIS history by the evaluation through Pool.Candidates, the code that
serves; opportunity text, partner sought and language, which consortia
do not record, are set by hand (HandFeatures). Options.Weights,
Options.EventWeights and the event's own stored weights
(profiles.Event.MatchWeights, see Weights.FlatWeights) override them.

# Caveats

  - The first stage keeps 600 organizations; in larger events the rest are
    never suggested for that query. On a CORDIS validation split (history
    before July 2023, about 3,750 organizations) it holds 76% of the new
    partners of the held-out consortia (87% at 1,000, which ranked no
    better; no single signal nor a union of their top lists held more).
  - Corporate groups are recognised by the first distinctive word of a
    company's name, kept only when no university, hospital or other
    non-company of the event bears it and few texts use it (so OXFORD
    NANOPORE and OXFORD BIOMEDICA are not one group where the University
    of Oxford takes part); two unrelated companies sharing a rare first
    word still count as one group; Weights.SameGroup turns the rule off
    for an event.
  - The latent space is fitted on the event's own texts whenever the
    pool is built; with few texts it says little (and with none the
    semantic features are 0). Its words are not shown: a suggestion it
    carries says so in a sentence (ReasonCloseInMeaning).
  - The Italian bridge covers a few hundred life-science words; other
    Italian words rely on cognate rules, which guess.
  - Rankings are cached per store generation, within
    Options.CachedRankingBytes (least recently used out first); the pool
    survives writes that leave the organizations unchanged, and the first
    stages of the last 128 requesters (their best organizations with
    feature rows) survive writes that leave the model or, after an
    opportunity write, the requester's own requests unchanged.
  - Memory: snapshots keep organizations without their texts (profile
    descriptions, track records); a pool is built by reading them again
    from the store one organization at a time, and keeps them only as
    term bags and BM25 postings in flat slabs (term IDs with float32
    counts). Reading an event whole leaves the store's mapped pages
    resident until the matcher releases them (profiles.Tx.ReleaseMapped).
    At 20,000 organizations the model holds about 1.1 GB.
  - A pool built while writes go on reads the organizations as the store
    holds them then: one changed since the snapshot is read as changed
    (the next snapshot, which holds the change, builds its pool again).
*/
package matcher
