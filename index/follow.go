package index

import (
	"errors"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/matchgrid/matchgrid/profiles"
)

// apply brings the index in step with one committed store transaction.
// It is the function registered with Store.Watch.
func (ix *Index) apply(generation uint64, changes []profiles.Change) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed || ix.bi == nil {
		return
	}
	if err := ix.applyLocked(generation, changes); err != nil && ix.opts.OnError != nil {
		ix.opts.OnError(fmt.Errorf("index: follow store generation %d: %w", generation, err))
	}
}

// followChunk is how many changes go into one Bleve batch; a large import
// is indexed chunk by chunk, reporting progress between chunks.
const followChunk = 500

func (ix *Index) applyLocked(generation uint64, changes []profiles.Change) error {
	for start := 0; start < len(changes); start += followChunk {
		end := min(start+followChunk, len(changes))
		if err := ix.applyChunk(changes[start:end]); err != nil {
			return err
		}
		if ix.opts.Progress != nil && len(changes) > followChunk {
			ix.opts.Progress(end, len(changes))
		}
	}
	ix.clearCaches()
	if cur, err := readGeneration(ix.bi); err == nil && cur > generation {
		return nil
	}
	return writeGeneration(ix.bi, generation)
}

// applyChunk indexes one chunk of changes in one Bleve batch.
func (ix *Index) applyChunk(changes []profiles.Change) error {
	b := ix.bi.NewBatch()
	err := ix.store.View(func(tx *profiles.Tx) error {
		for _, c := range changes {
			switch c.Entity {
			case profiles.EntityEvent:
				if c.Deleted {
					if err := ix.deleteEvent(b, c.EventID); err != nil {
						return err
					}
				}
			case profiles.EntityOrganization:
				if err := ix.putOrganization(tx, b, c.EventID, c.ID); err != nil {
					return err
				}
			case profiles.EntityOpportunity:
				if err := ix.putOpportunity(tx, b, c.EventID, c.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return ix.bi.Batch(b)
}

// putOrganization (re)indexes an organization and its opportunities (which
// carry its kind and country), or deletes its document when it is gone.
func (ix *Index) putOrganization(tx *profiles.Tx, b *bleve.Batch, eventID, id string) error {
	o, err := tx.Organization(eventID, id)
	if errors.Is(err, profiles.ErrNotFound) {
		b.Delete(DocID(TypeOrganization, eventID, id))
		return nil
	}
	if err != nil {
		return err
	}
	if err := b.Index(DocID(TypeOrganization, eventID, id), map[string]any(organizationDocument(o))); err != nil {
		return err
	}
	opps, err := tx.OpportunitiesOfOrganization(eventID, id)
	if err != nil {
		return err
	}
	for i := range opps {
		if err := b.Index(DocID(TypeOpportunity, eventID, opps[i].ID), map[string]any(opportunityDocument(&opps[i], o))); err != nil {
			return err
		}
	}
	return nil
}

// putOpportunity (re)indexes an opportunity, or deletes its document.
func (ix *Index) putOpportunity(tx *profiles.Tx, b *bleve.Batch, eventID, id string) error {
	o, err := tx.Opportunity(eventID, id)
	if errors.Is(err, profiles.ErrNotFound) {
		b.Delete(DocID(TypeOpportunity, eventID, id))
		return nil
	}
	if err != nil {
		return err
	}
	owner, err := tx.Organization(eventID, o.OrganizationID)
	if err != nil && !errors.Is(err, profiles.ErrNotFound) {
		return err
	}
	return b.Index(DocID(TypeOpportunity, eventID, id), map[string]any(opportunityDocument(o, owner)))
}

// deleteEvent deletes every document of an event.
func (ix *Index) deleteEvent(b *bleve.Batch, eventID string) error {
	for {
		q := bleve.NewTermQuery(eventID)
		q.SetField(FieldEvent)
		req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
		res, err := ix.bi.Search(req)
		if err != nil {
			return err
		}
		if len(res.Hits) == 0 {
			return nil
		}
		d := ix.bi.NewBatch()
		for _, h := range res.Hits {
			d.Delete(h.ID)
		}
		if err := ix.bi.Batch(d); err != nil {
			return err
		}
	}
}
