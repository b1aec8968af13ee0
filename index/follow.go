package index

import (
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/matchgrid/matchgrid/profiles"
)

// apply is the function registered with Store.Watch: it queues a
// committed transaction's changes for the follower (queue.go), so the
// writer never waits for Bleve. A commit that touches nothing indexed
// (requests, meetings) is not queued: its generation is recorded at the
// next indexed change or at Close, not by a Bleve batch of its own (fewer
// batches; a crash in between only costs a replay at start).
func (ix *Index) apply(generation uint64, changes []profiles.Change) {
	if !slices.ContainsFunc(changes, indexed) {
		ix.noteUnrecorded(generation)
		return
	}
	ix.queue.push(generation, changes)
}

// index brings the index in step with the changes of the commits up to
// generation. It takes only the read lock (Bleve takes a batch while
// searches run; the follower indexes one batch at a time, and rebuilds
// and Close take the write lock). If Bleve fails (or panics) on the way,
// the index is rebuilt from the store, so that search never stays
// silently behind.
func (ix *Index) index(generation uint64, changes []profiles.Change) {
	ix.mu.RLock()
	if ix.closed || ix.bi == nil {
		ix.mu.RUnlock()
		return
	}
	err := ix.applyLocked(generation, changes)
	ix.mu.RUnlock()
	if err == nil {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return
	}
	err = fmt.Errorf("index: follow store generation %d: %w", generation, err)
	if rerr := ix.rebuildInPlace(); rerr != nil {
		err = errors.Join(err, rerr)
	}
	if ix.opts.OnError != nil {
		ix.opts.OnError(err)
	}
}

// followChunk is how many changes go into one Bleve batch; a large import
// is indexed chunk by chunk, reporting progress between chunks.
const followChunk = 500

func (ix *Index) applyLocked(generation uint64, changes []profiles.Change) error {
	indexed := false
	for start := 0; start < len(changes); start += followChunk {
		end := min(start+followChunk, len(changes))
		did, err := ix.applyChunk(changes[start:end])
		if err != nil {
			return err
		}
		indexed = indexed || did
		if ix.opts.Progress != nil && len(changes) > followChunk {
			ix.opts.Progress(end, len(changes))
		}
	}
	if !indexed {
		ix.noteUnrecorded(generation)
		return nil
	}
	ix.clearCaches()
	if cur, err := readGeneration(ix.bi); err == nil && cur > generation {
		return nil
	}
	ix.unrecorded.Store(0)
	return safeBleve(func() error { return writeGeneration(ix.bi, generation) })
}

// indexed reports whether a change concerns a document of the index.
func indexed(c profiles.Change) bool {
	switch c.Entity {
	case profiles.EntityOrganization, profiles.EntityOpportunity, profiles.EntityParticipant:
		// Participants are indexed as the names of their organization.
		return true
	case profiles.EntityEvent:
		return c.Deleted
	}
	return false
}

// noteUnrecorded raises the latest generation applied without a Bleve
// write to generation.
func (ix *Index) noteUnrecorded(generation uint64) {
	for {
		cur := ix.unrecorded.Load()
		if cur >= generation || ix.unrecorded.CompareAndSwap(cur, generation) {
			return
		}
	}
}

// applyChunk indexes one chunk of changes in one Bleve batch and reports
// whether it had anything to index.
func (ix *Index) applyChunk(changes []profiles.Change) (bool, error) {
	b := ix.bi.NewBatch()
	err := ix.store.View(func(tx *profiles.Tx) error {
		// Organizations named by changed participants, each indexed once.
		named := map[[2]string]bool{}
		for _, c := range changes {
			if c.Entity != profiles.EntityParticipant {
				continue
			}
			orgs, err := ix.organizationsNaming(tx, c.EventID, c.ID)
			if err != nil {
				return err
			}
			for _, org := range orgs {
				named[[2]string{c.EventID, org}] = true
			}
		}
		for key := range named {
			if err := ix.putOrganization(tx, b, key[0], key[1]); err != nil {
				return err
			}
		}
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
	if err != nil || b.Size() == 0 {
		return false, err
	}
	return true, safeBleve(func() error { return ix.bi.Batch(b) })
}

// errBleve marks a panic inside Bleve turned into an error.
var errBleve = errors.New("index: bleve failed")

// safeBleve runs a Bleve write, turning a panic into an error: scorch has
// been seen (under the race detector, rarely) to panic on a segment cache
// cleared by its background merger, and a follower must not take the
// server down with it; apply rebuilds the index instead.
func safeBleve(fn func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%w: %v", errBleve, v)
		}
	}()
	return fn()
}

// rebuildInPlace throws the Bleve index away and builds it again from the
// store; ix.mu is held.
func (ix *Index) rebuildInPlace() error {
	if old := ix.bi; old != nil {
		ix.bi = nil
		_ = safeBleve(old.Close) // it is being discarded; its close error changes nothing
	}
	if ix.dir != "" {
		if err := os.RemoveAll(ix.dir); err != nil {
			return fmt.Errorf("index: remove broken index: %w", err)
		}
	}
	ix.unrecorded.Store(0)
	return ix.rebuild()
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
	people, err := tx.ParticipantsOfOrganization(eventID, id)
	if err != nil {
		return err
	}
	if err := b.Index(DocID(TypeOrganization, eventID, id), map[string]any(organizationDocument(o, people))); err != nil {
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

// organizationsNaming returns the organizations whose documents must name
// participant id: the one they belong to now, and those whose indexed
// document lists them (they may have moved, or be gone).
func (ix *Index) organizationsNaming(tx *profiles.Tx, eventID, id string) ([]string, error) {
	var orgs []string
	p, err := tx.Participant(eventID, id)
	switch {
	case err == nil:
		orgs = append(orgs, p.OrganizationID)
	case !errors.Is(err, profiles.ErrNotFound):
		return nil, err
	}
	q := bleve.NewConjunctionQuery(termQuery(FieldEvent, eventID), termQuery(FieldType, TypeOrganization), termQuery(FieldPeople, id))
	req := bleve.NewSearchRequestOptions(q, 100, 0, false)
	req.Fields = []string{FieldEntity}
	res, err := ix.bi.Search(req)
	if err != nil {
		return nil, fmt.Errorf("index: documents naming participant %q: %w", id, err)
	}
	for _, h := range res.Hits {
		if org, ok := h.Fields[FieldEntity].(string); ok && org != "" {
			orgs = append(orgs, org)
		}
	}
	return orgs, nil
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

// catchUp makes bi, an index that reflects store generation since, the
// index, after replaying the store's changes since then; ix.mu is held.
// On error bi is left open for the caller to discard.
func (ix *Index) catchUp(bi bleve.Index, since uint64) error {
	now, err := ix.store.Generation()
	if err != nil {
		return err
	}
	if since > now {
		return fmt.Errorf("index at generation %d is ahead of the store's %d: %w", since, now, profiles.ErrChangesPruned)
	}
	var changes []profiles.Change
	err = ix.store.ChangesSince(since, func(g uint64, cs []profiles.Change) error {
		changes, now = append(changes, cs...), g
		return nil
	})
	if err != nil {
		return err
	}
	ix.bi = bi
	err = ix.applyLocked(now, replayOrder(changes))
	if err == nil {
		ix.unrecorded.Store(0)
		err = safeBleve(func() error { return writeGeneration(bi, now) })
	}
	if err != nil {
		ix.bi = nil
		return err
	}
	ix.replayed = len(changes)
	return nil
}

// replayOrder prepares missed changes for applying at once: each entity
// once (applying reads its current state from the store), and event
// deletions first, so that an event deleted and created again keeps its
// new documents.
func replayOrder(changes []profiles.Change) []profiles.Change {
	type key struct {
		event, id string
		entity    profiles.Entity
	}
	seen := map[key]bool{}
	var deleted, rest []profiles.Change
	for _, c := range changes {
		k := key{c.EventID, c.ID, c.Entity}
		if c.Entity == profiles.EntityEvent && c.Deleted {
			k.entity = "deleted event"
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		if k.entity == "deleted event" {
			deleted = append(deleted, c)
		} else {
			rest = append(rest, c)
		}
	}
	return append(deleted, rest...)
}
