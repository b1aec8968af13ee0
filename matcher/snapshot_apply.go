package matcher

import (
	"errors"
	"maps"

	"github.com/matchgrid/matchgrid/profiles"
)

// impact is what a batch of changes concerns, for the ranking cache: the
// participants whose own ranking changed (a request or meeting of theirs,
// their profile), the organizations whose content changed (profile,
// opportunities, participants: their participants' rankings change), and
// the participants and organizations that are gone (no ranking may show
// them any more).
type impact struct {
	all    bool
	people map[string]bool
	orgs   map[string]bool
	gone   map[string]bool
}

func newImpact() *impact {
	return &impact{people: map[string]bool{}, orgs: map[string]bool{}, gone: map[string]bool{}}
}

// errReadWhole says a batch of changes cannot be applied piecewise (the
// event itself changed): the event is read whole instead.
var errReadWhole = errors.New("matcher: read the event whole")

// apply builds the snapshot that follows prev after changes (all of prev's
// event), reading in tx only the entities that changed and sharing the
// rest with prev. It returns what the changes concern.
func (prev *snapshot) apply(tx *profiles.Tx, changes []profiles.Change) (*snapshot, *impact, error) {
	s := *prev // shares every table and index; those that change are replaced below
	s.gen = tx.Generation()
	im := newImpact()
	byEntity := map[profiles.Entity][]string{}
	for _, c := range changes {
		if c.Entity == profiles.EntityEvent {
			return nil, nil, errReadWhole
		}
		byEntity[c.Entity] = append(byEntity[c.Entity], c.ID)
	}
	s.model = prev.model.next(len(byEntity[profiles.EntityOrganization]) > 0, len(byEntity[profiles.EntityOpportunity]) > 0)
	var err error
	if ids := byEntity[profiles.EntityOrganization]; len(ids) > 0 {
		s.orgSum = maps.Clone(prev.orgSum)
		if s.orgs, err = reread(s.orgs, ids, func(id string) (*profiles.Organization, error) {
			o, err := tx.Organization(s.event.ID, id)
			if err != nil {
				delete(s.orgSum, id)
				return nil, err
			}
			s.orgSum[id] = orgHash(o)
			return lightOrg(o), nil
		}); err != nil {
			return nil, nil, err
		}
		for _, id := range ids {
			im.orgs[id] = true
			if s.orgs[id] == nil {
				im.gone[id] = true
			}
		}
	}
	if ids := byEntity[profiles.EntityParticipant]; len(ids) > 0 {
		if s.people, err = reread(s.people, ids, func(id string) (*profiles.Participant, error) { return tx.Participant(s.event.ID, id) }); err != nil {
			return nil, nil, err
		}
		changed := map[string]bool{}
		for _, id := range ids {
			changed[id], im.people[id] = true, true
			if p, old := s.people[id], prev.people[id]; p == nil || old != nil && old.OrganizationID != p.OrganizationID {
				im.gone[id] = true
			}
			for _, p := range []*profiles.Participant{prev.people[id], s.people[id]} {
				if p != nil {
					im.orgs[p.OrganizationID] = true
				}
			}
		}
		s.derivePeople(prev, changed)
	}
	if ids := byEntity[profiles.EntityOpportunity]; len(ids) > 0 {
		if s.opps, err = reread(s.opps, ids, func(id string) (*profiles.Opportunity, error) { return tx.Opportunity(s.event.ID, id) }); err != nil {
			return nil, nil, err
		}
		changed := map[string]bool{}
		for _, id := range ids {
			for _, o := range []*profiles.Opportunity{prev.opps[id], s.opps[id]} {
				if o != nil {
					changed[o.OrganizationID], im.orgs[o.OrganizationID] = true, true
				}
			}
		}
		s.deriveOpportunities(prev, changed)
		if s.model.previous != nil {
			s.model.oppOrgs = changed // what the next model builds again (eventside.go)
		}
	}
	relations := len(byEntity[profiles.EntityParticipant]) > 0
	if ids := byEntity[profiles.EntityRequest]; len(ids) > 0 {
		if s.requests, err = reread(s.requests, ids, func(id string) (*profiles.MeetingRequest, error) { return tx.Request(s.event.ID, id) }); err != nil {
			return nil, nil, err
		}
		for _, id := range ids {
			for _, r := range []*profiles.MeetingRequest{prev.requests[id], s.requests[id]} {
				if r != nil {
					im.people[r.From], im.people[r.To] = true, true
				}
			}
		}
		relations = true
	}
	if ids := byEntity[profiles.EntityMeeting]; len(ids) > 0 {
		if s.meetings, err = reread(s.meetings, ids, func(id string) (*profiles.Meeting, error) { return tx.Meeting(s.event.ID, id) }); err != nil {
			return nil, nil, err
		}
		for _, id := range ids {
			for _, m := range []*profiles.Meeting{prev.meetings[id], s.meetings[id]} {
				if m != nil {
					im.people[m.A], im.people[m.B] = true, true
				}
			}
		}
		relations = true
	}
	if relations {
		s.deriveRelations()
	}
	s.derived = prev.derived.handOn(im.orgs)
	return &s, im, nil
}

// reread returns a copy of table with the entities ids read again (and
// those no longer stored removed).
func reread[T any](table map[string]*T, ids []string, get func(id string) (*T, error)) (map[string]*T, error) {
	out := maps.Clone(table)
	if out == nil {
		out = map[string]*T{}
	}
	for _, id := range ids {
		v, err := get(id)
		switch {
		case errors.Is(err, profiles.ErrNotFound):
			delete(out, id)
		case err != nil:
			return nil, err
		default:
			out[id] = v
		}
	}
	return out, nil
}
