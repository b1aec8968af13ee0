package eval

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// This file turns CORDIS projects and participations into the evaluation's
// world: consortia (members per project), the history before a cutoff, the
// pool of organizations known from history, and the test queries.

// evalMember is one organization in one project, deduplicated on
// (project, orgID) with its strongest role and lowest order.
type evalMember struct {
	org   string
	role  string
	order int
}

// evalProject is a project with its members.
type evalProject struct {
	p       *profiles.CORDISProject
	members []evalMember // sorted by order, then org
}

// orgInfo is what the rows say about an organization (latest row wins).
type orgInfo struct {
	activity string
	sme      bool
	country  string
	name     string
}

// consortia is the whole data set, projects sorted by start date then ID.
type consortia struct {
	projects []*evalProject
	orgs     map[string]orgInfo
}

// isMemberRole reports whether a CORDIS role makes an organization a consortium member.
func isMemberRole(role string) bool {
	return role == profiles.CORDISCoordinator || role == profiles.CORDISParticipant || role == profiles.CORDISAssociatedPartner
}

var roleRank = map[string]int{profiles.CORDISCoordinator: 3, profiles.CORDISParticipant: 2, profiles.CORDISAssociatedPartner: 1}

// newConsortia joins projects and participations.
func newConsortia(projects []profiles.CORDISProject, parts []profiles.CORDISParticipation) (*consortia, error) {
	c := &consortia{orgs: map[string]orgInfo{}}
	byID := map[string]*evalProject{}
	for i := range projects {
		ep := &evalProject{p: &projects[i]}
		byID[projects[i].ID] = ep
		c.projects = append(c.projects, ep)
	}
	type key struct{ project, org string }
	seen := map[key]int{}
	for i := range parts {
		r := &parts[i]
		if !isMemberRole(r.Role) {
			continue
		}
		ep := byID[r.ProjectID]
		if ep == nil {
			return nil, fmt.Errorf("%w: participation of %s in unknown project %s", ErrData, r.OrgID, r.ProjectID)
		}
		k := key{r.ProjectID, r.OrgID}
		if j, dup := seen[k]; dup {
			m := &ep.members[j]
			if roleRank[r.Role] > roleRank[m.role] {
				m.role = r.Role
			}
			if r.Order > 0 && (m.order == 0 || r.Order < m.order) {
				m.order = r.Order
			}
			continue
		}
		seen[k] = len(ep.members)
		ep.members = append(ep.members, evalMember{org: r.OrgID, role: r.Role, order: r.Order})
		info := orgInfo{activity: r.ActivityType, country: r.Country, name: r.Name}
		if r.SME != nil {
			info.sme = *r.SME
		}
		c.orgs[r.OrgID] = info
	}
	for _, ep := range c.projects {
		slices.SortFunc(ep.members, func(a, b evalMember) int {
			return cmp.Or(cmp.Compare(a.order, b.order), cmp.Compare(a.org, b.org))
		})
	}
	slices.SortFunc(c.projects, func(a, b *evalProject) int {
		return cmp.Or(a.p.StartDate.Compare(b.p.StartDate), cmp.Compare(a.p.ID, b.p.ID))
	})
	return c, nil
}

// before returns the projects that start before t.
func (c *consortia) before(t time.Time) []*evalProject {
	var out []*evalProject
	for _, p := range c.projects {
		if p.p.StartDate.Before(t) {
			out = append(out, p)
		}
	}
	return out
}

// between returns the projects with from <= start < to (to zero: no end).
func (c *consortia) between(from, to time.Time) []*evalProject {
	var out []*evalProject
	for _, p := range c.projects {
		if !p.p.StartDate.Before(from) && (to.IsZero() || p.p.StartDate.Before(to)) {
			out = append(out, p)
		}
	}
	return out
}

// cordisCoordinator is the coordinator role.
const cordisCoordinator = profiles.CORDISCoordinator

// projectText is the text a project contributes to its members' profiles:
// title, keywords, objective and euroSciVoc paths.
func projectText(p *profiles.CORDISProject) string {
	s := p.Title + "\n"
	for _, k := range p.Keywords {
		s += k + ", "
	}
	s += "\n" + p.Objective + "\n"
	for _, v := range p.EuroSciVoc {
		s += v + " "
	}
	return s
}

// queryText is a test project's query: title, keywords and objective.
func queryText(p *profiles.CORDISProject) string {
	s := p.Title + "\n"
	for _, k := range p.Keywords {
		s += k + ", "
	}
	return s + "\n" + p.Objective
}

// evalQuery is one test project turned into a query.
type evalQuery struct {
	project   *evalProject
	text      string // the query text
	requester int    // pool index
	relA      []int  // pool indexes of the other pool members
	relB      []int  // those of relA who never shared a history project with the requester
}
