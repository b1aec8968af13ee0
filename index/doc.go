/*
Package index is the full-text search index of matchgrid: a Bleve index
(scorch, BM25) of the organizations and opportunities of every event in a
profiles.Store, kept in step with the store.

# Basics

	ix, err := index.Open(filepath.Join(dataDir, "index"), store, &index.Options{Progress: report})
	res, err := ix.Search(&index.Request{EventID: "mhc-2027", Text: "diagnostica rapida",
		Filters: map[string][]string{index.FieldCountry: {"IT"}}, Facets: []string{index.FieldKind}})

Documents: one per organization ("organization/<event>/<id>") and per
opportunity ("opportunity/<event>/<id>"), in one document mapping so that
every field has exactly one analyzer. Text goes to one field per language
(text_en, text_it, text_fr, text_de, text_es; text_other for the rest): an
organization's descriptions by their language key, an opportunity's text by
its declared language or, when missing, the one Detect finds. English,
French and Spanish are stemmed with github.com/kljensen/snowball through
token filters this package registers in init; Italian and German with
bleve's snowball filters. Keyword fields (KeywordFields) serve as filters
and facets: organization kind, country, sector, EEN technology codes (with
their ancestors, so "06001" finds "06001002"), NACE codes, keywords,
opportunity kind and profile type, partner kinds sought, event.

Search takes free text (matched per language field with that field's
analyzer, set explicitly on each match query) and already-analysed
weighted terms (TopTerms builds a "more like this" query from tf-idf,
which bleve lacks), filters that do not score, exclusions, paging and
facets; every hit lists the terms that matched per field (from term
vectors).

Following the store: Open registers with Store.Watch before it looks at
the index; every committed change (organization, opportunity, participant,
event deletion) is queued and indexed by a goroutine of the index's own,
commits that arrive meanwhile together in one batch, so a writer never
waits for Bleve. A search (and TopTerms, Generation, DocCount) first waits
for the changes delivered before it began, so a search after Update
returns sees it. The index records the store generation it reflects. An
index behind the store (the process died before Bleve persisted its last
batches, or before the generation of commits that touched nothing indexed
was recorded) catches up at Open by replaying Store.ChangesSince its
generation; one that is missing, unreadable, ahead of the store or behind
the store's change record is rebuilt from the store, with progress.

# Caveats

  - Stemming does not translate: an English query does not find Italian text.
    Cross-language matching rests on codes and keywords.
  - Detect counts function words: fine for paragraphs, a guess for a few words
    (a query with no function word searches every language field).
  - Scores are BM25 within the index: comparable within one search only.
  - The index directory belongs to one process (bolt_timeout 5s at open).
  - A search right after writes waits for their indexing (an organization
    update reindexes its opportunities, which carry its kind and country).
*/
package index
