package demo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// profileTypesByKind lists the EEN profile types a kind of organization
// typically publishes, most typical first.
var profileTypesByKind = map[profiles.OrgKind][]profiles.ProfileType{
	profiles.KindSME:                {profiles.TechnologyOffer, profiles.BusinessRequest, profiles.RDRequest},
	profiles.KindStartup:            {profiles.TechnologyOffer, profiles.BusinessRequest, profiles.RDRequest},
	profiles.KindLargeCompany:       {profiles.TechnologyRequest, profiles.BusinessOffer, profiles.RDRequest},
	profiles.KindHospital:           {profiles.RDRequest, profiles.TechnologyRequest, profiles.TechnologyOffer},
	profiles.KindUniversity:         {profiles.TechnologyOffer, profiles.RDRequest, profiles.TechnologyRequest},
	profiles.KindResearchCentre:     {profiles.TechnologyOffer, profiles.RDRequest, profiles.BusinessOffer},
	profiles.KindPublicBody:         {profiles.TechnologyRequest, profiles.RDRequest, profiles.BusinessRequest},
	profiles.KindClusterAssociation: {profiles.BusinessOffer, profiles.RDRequest},
	profiles.KindInvestor:           {profiles.BusinessOffer},
	profiles.KindOther:              {profiles.RDRequest, profiles.BusinessOffer},
}

// opportunityExpiry is when every demo opportunity expires: half a year after the event.
var opportunityExpiry = time.Date(2027, 9, 30, 0, 0, 0, 0, time.UTC)

// writeOpportunities gives each participant one to three opportunities,
// each built on one of their organization's recent projects.
func (b *builder) writeOpportunities() {
	nextProject := map[string]int{} // organization ID -> projects already used
	for i := range b.people {
		p := &b.people[i]
		org := b.orgByID[p.OrganizationID]
		n := 1
		if b.rng.IntN(100) < 50 {
			n++
		}
		if b.rng.IntN(100) < 20 {
			n++
		}
		types := profileTypesByKind[org.Kind]
		start := b.rng.IntN(len(types))
		for k := 0; k < n; k++ {
			proj := b.recentProject(org, nextProject[org.ID])
			if proj == nil {
				break
			}
			nextProject[org.ID]++
			ptype := types[(start+k)%len(types)]
			b.opps = append(b.opps, b.opportunity(p, org, proj, ptype))
		}
	}
}

// recentProject returns the organization's n-th most recent project,
// cycling when it has fewer.
func (b *builder) recentProject(org *profiles.Organization, n int) *profiles.CORDISProject {
	refs := org.Projects // oldest first
	if len(refs) == 0 {
		return nil
	}
	ref := refs[len(refs)-1-n%len(refs)]
	return b.projects[ref.ID]
}

// opportunity frames one project as an EEN profile of the given type. The
// topic, summary, description and keywords are CORDIS text; only the
// framing sentences are written here.
func (b *builder) opportunity(p *profiles.Participant, org *profiles.Organization, proj *profiles.CORDISProject, ptype profiles.ProfileType) profiles.Opportunity {
	keywords := proj.Keywords
	if len(keywords) == 0 {
		keywords = leafTerms(proj.EuroSciVoc)
	}
	keywords = slices.Clone(keywords[:min(len(keywords), 8)])
	topic := strings.TrimRight(proj.Title, ". ")
	expires := opportunityExpiry // each opportunity owns its copy
	focus := topic
	if len(keywords) > 0 {
		focus = strings.Join(keywords[:min(2, len(keywords))], " and ")
	}
	o := profiles.Opportunity{
		ID:             fmt.Sprintf("opp-%04d", len(b.opps)+1),
		EventID:        EventID,
		ParticipantID:  p.ID,
		OrganizationID: org.ID,
		Kind:           ptype.Kind(),
		ProfileType:    ptype,
		Language:       "en",
		Keywords:       keywords,
		Summary:        shorten(cmpOr(proj.Teaser, proj.Objective), 500),
		Expires:        &expires,
	}
	background := fmt.Sprintf("Background: the Horizon Europe project %s (grant agreement %s, started %s), in which %s is %s.",
		proj.Acronym, proj.ID, proj.StartDate.Format("January 2006"), org.Name, roleOf(org, proj.ID))
	switch ptype {
	case profiles.TechnologyOffer:
		o.Title = "Technology offer: " + topic
		o.Stage = stageOf(proj, org.Kind)
		o.IPR = []string{"patent_pending", "patent_granted", "secret_know_how", "copyright"}[b.rng.IntN(4)]
		o.PartnerSought = profiles.PartnerSought{Kinds: []profiles.OrgKind{profiles.KindLargeCompany, profiles.KindSME, profiles.KindHospital},
			Role: "licensee, co-developer or clinical validation site"}
		o.Description = "We offer the results and know-how of our work on " + focus + " for licensing, joint development or technical cooperation. " + background
	case profiles.TechnologyRequest:
		o.Title = "Technologies sought in " + focus
		o.PartnerSought = profiles.PartnerSought{Kinds: []profiles.OrgKind{profiles.KindSME, profiles.KindStartup, profiles.KindResearchCentre, profiles.KindUniversity},
			Role: "technology provider"}
		o.Description = "We look for technologies and solutions in " + focus + " to build on our work on " + topic + ". " + background
	case profiles.BusinessOffer:
		o.Title = "Services and expertise in " + focus
		o.PartnerSought = profiles.PartnerSought{Kinds: []profiles.OrgKind{profiles.KindSME, profiles.KindStartup, profiles.KindHospital},
			Role: "client or service partner"}
		if org.Kind == profiles.KindInvestor {
			o.Title = "Investment for ventures in " + focus
			o.PartnerSought = profiles.PartnerSought{Kinds: []profiles.OrgKind{profiles.KindStartup, profiles.KindSME}, Role: "investee"}
		}
		o.Description = "We offer our experience in " + focus + " to partners who need it. " + background
	case profiles.BusinessRequest:
		o.Title = "Commercial partners sought for " + topic
		o.PartnerSought = profiles.PartnerSought{Kinds: []profiles.OrgKind{profiles.KindLargeCompany, profiles.KindSME, profiles.KindInvestor},
			Role: "distributor, strategic partner or investor"}
		if org.Kind == profiles.KindPublicBody {
			o.PartnerSought = profiles.PartnerSought{Kinds: []profiles.OrgKind{profiles.KindSME, profiles.KindLargeCompany}, Role: "supplier"}
		}
		o.Description = "We seek partners to bring our work on " + focus + " to users and markets. " + background
	default: // R&D request
		o.Title = "Partners sought for research on " + focus
		o.PartnerSought = profiles.PartnerSought{Kinds: []profiles.OrgKind{profiles.KindHospital, profiles.KindSME, profiles.KindUniversity, profiles.KindResearchCentre},
			Role: "consortium partner for a Horizon Europe proposal"}
		o.Description = "We build a consortium to follow up our work on " + topic + ". " + background
	}
	o.Title = shorten(o.Title, 160)
	o.Description += "\n\n" + shorten(proj.Objective, 1200) + "\n\n" + profiles.CORDISSource + "."
	return o
}

// stageOf derives a plausible stage of development from the project's
// funding scheme: EIC projects are near the market, innovation actions
// validate, ERC and MSCA projects are early research.
func stageOf(proj *profiles.CORDISProject, kind profiles.OrgKind) string {
	scheme := proj.FundingScheme
	switch {
	case strings.HasPrefix(scheme, "HORIZON-EIC"):
		return profiles.StageValidated
	case strings.HasSuffix(scheme, "-IA"):
		return profiles.StagePrototype
	case strings.HasPrefix(scheme, "HORIZON-ERC"), strings.Contains(scheme, "MSCA"):
		return profiles.StageConcept
	case kind == profiles.KindHospital:
		return profiles.StageValidated
	}
	return profiles.StageLab
}

// roleOf names the organization's role in a project for a sentence.
func roleOf(org *profiles.Organization, projectID string) string {
	for _, r := range org.Projects {
		if r.ID == projectID {
			switch r.Role {
			case profiles.CORDISCoordinator:
				return "the coordinator"
			case profiles.CORDISAssociatedPartner:
				return "an associated partner"
			}
		}
	}
	return "a partner"
}

// leafTerms returns the last level of euroSciVoc paths.
func leafTerms(paths []string) []string {
	var out []string
	for _, p := range paths {
		if i := strings.LastIndexByte(p, '/'); i >= 0 && i+1 < len(p) && !slices.Contains(out, p[i+1:]) {
			out = append(out, p[i+1:])
		}
	}
	return out
}

// shorten cuts text to at most n bytes at a sentence or word end.
func shorten(text string, n int) string {
	text = strings.TrimSpace(text)
	if len(text) <= n {
		return text
	}
	cut := text[:n]
	if i := strings.LastIndex(cut, ". "); i > n/2 {
		return strings.ToValidUTF8(cut[:i+1], "")
	}
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return strings.ToValidUTF8(strings.TrimRight(cut, ",;:"), "") + " …"
}

func cmpOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}
