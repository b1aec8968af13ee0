package index

import (
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/matchgrid/matchgrid/demo"
	"github.com/matchgrid/matchgrid/profiles"
)

// benchDocs returns the documents of the demo event (organizations and
// opportunities), as this package indexes them.
func benchDocs(b *testing.B) (ids []string, docs []document) {
	b.Helper()
	bundle, err := demo.Bundle()
	if err != nil {
		b.Fatal(err)
	}
	orgs := map[string]*profiles.Organization{}
	peopleOf := map[string][]profiles.Participant{}
	for _, p := range bundle.Participants {
		peopleOf[p.OrganizationID] = append(peopleOf[p.OrganizationID], p)
	}
	for i := range bundle.Organizations {
		o := &bundle.Organizations[i]
		orgs[o.ID] = o
		ids = append(ids, DocID(TypeOrganization, o.EventID, o.ID))
		docs = append(docs, organizationDocument(o, peopleOf[o.ID]))
	}
	for i := range bundle.Opportunities {
		o := &bundle.Opportunities[i]
		ids = append(ids, DocID(TypeOpportunity, o.EventID, o.ID))
		docs = append(docs, opportunityDocument(o, orgs[o.OrganizationID]))
	}
	return ids, docs
}

// BenchmarkIndexing measures indexing throughput (docs/s) of the demo
// event's documents into an on-disk scorch index with this package's
// mapping (per-language analyzers, term vectors, keyword fields), beside a
// baseline of bleve's default mapping (standard analyzer, dynamic fields).
func BenchmarkIndexing(b *testing.B) {
	ids, docs := benchDocs(b)
	mappings := []struct {
		name string
		mk   func() (bleve.Index, error)
	}{
		{"baseline-default-mapping", func() (bleve.Index, error) {
			m := bleve.NewIndexMapping()
			m.ScoringModel = "bm25"
			return bleve.NewUsing(filepath.Join(b.TempDir(), "ix"), m, scorch.Name, scorch.Name, nil)
		}},
		{"matchgrid-mapping", func() (bleve.Index, error) {
			m, err := NewMapping()
			if err != nil {
				return nil, err
			}
			return bleve.NewUsing(filepath.Join(b.TempDir(), "ix"), m, scorch.Name, scorch.Name, nil)
		}},
	}
	for _, mp := range mappings {
		b.Run(mp.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				bi, err := mp.mk()
				if err != nil {
					b.Fatal(err)
				}
				batch := bi.NewBatch()
				for i, d := range docs {
					if err := batch.Index(ids[i], map[string]any(d)); err != nil {
						b.Fatal(err)
					}
					if batch.Size() == 500 {
						if err := bi.Batch(batch); err != nil {
							b.Fatal(err)
						}
						batch.Reset()
					}
				}
				if err := bi.Batch(batch); err != nil {
					b.Fatal(err)
				}
				bi.Close()
				n += len(docs)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// BenchmarkSearch measures one filtered, faceted search of the demo
// event, beside a baseline of the same text without filters and facets.
func BenchmarkSearch(b *testing.B) {
	bundle, err := demo.Bundle()
	if err != nil {
		b.Fatal(err)
	}
	s := openTestStore(b)
	if err := s.Update(func(tx *profiles.Tx) error { return tx.ImportBundle(bundle, profiles.ImportOptions{}) }); err != nil {
		b.Fatal(err)
	}
	ix, err := Open(filepath.Join(b.TempDir(), "index"), s, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	reqs := map[string]*Request{
		"baseline-text-only": {EventID: bundle.Event.ID, Text: "clinical validation of diagnostics for sepsis", Lang: "en"},
		"filters-facets": {EventID: bundle.Event.ID, Text: "clinical validation of diagnostics for sepsis", Lang: "en",
			Type: TypeOrganization, Filters: map[string][]string{FieldKind: {"sme", "hospital", "university"}},
			Facets: []string{FieldCountry, FieldKind}},
	}
	for _, name := range []string{"baseline-text-only", "filters-facets"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ix.Search(reqs[name]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
