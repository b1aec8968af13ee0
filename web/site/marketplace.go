package site

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/auth"
)

// marketFacets are the facets and filters of the marketplace, in the order
// the page shows them: query parameter, index field, heading.
var marketFacets = []struct{ Param, Field, Heading string }{
	{"kind", index.FieldKind, "market.facet.kind"},
	{"country", index.FieldCountry, "market.facet.country"},
	{"sector", index.FieldSector, "market.facet.sector"},
	{"opp_kind", index.FieldOppKind, "market.facet.opp_kind"},
}

// marketPerPage is the page size of the marketplace results.
const marketPerPage = 20

// marketFacet is one facet of the marketplace with its options.
type marketFacet struct {
	Param, Heading string
	Options        []filterOption
}

// marketHit is one marketplace result with what its request form needs.
type marketHit struct {
	Type    string // index.TypeOrganization or index.TypeOpportunity
	ID      string
	Name    string
	Org     profiles.Organization
	Opp     *profiles.Opportunity
	Owner   *personCard  // an opportunity's publisher
	People  []personCard // an organization's participants
	Free    []personCard // those of People the viewer has no open request with
	Matched []string
	Own     bool // the auth.Viewer's own organization: no request form
	HasLogo bool
}

// marketPageData is the marketplace page.
type marketPageData struct {
	Query  string
	Type   string
	Facets []marketFacet
	Hits   []marketHit
	Total  int
	Pager  pager
	Back   string
}

// marketplacePage is GET /e/:event/me/marketplace: full-text search over
// the event's organizations and opportunities, with facets (counts of the
// other filters' values) and filters; each result has a request form.
func (s *Site) marketplacePage(c *gin.Context) {
	v := auth.ViewerOf(c)
	ev, err := s.loadEvent(v.Event)
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	ix, err := s.engine.Index()
	if err != nil {
		s.storeErrorPage(c, err)
		return
	}
	d := marketPageData{Query: strings.TrimSpace(c.Query("q")), Type: c.Query("type")}
	if d.Type != index.TypeOrganization && d.Type != index.TypeOpportunity {
		d.Type = ""
	}
	filters := map[string][]string{}
	for _, f := range marketFacets {
		if vals := nonEmptyValues(c.QueryArray(f.Param)); len(vals) > 0 {
			filters[f.Field] = vals
		}
	}
	req := &index.Request{EventID: v.Event, Text: d.Query, Type: d.Type, Filters: filters, FacetSize: 12, Limit: marketPerPage}
	page := positiveQuery(c, "page", 1)
	req.Offset = (page - 1) * marketPerPage
	for _, f := range marketFacets {
		if _, filtered := filters[f.Field]; !filtered {
			req.Facets = append(req.Facets, f.Field)
		}
	}
	res, err := ix.Search(req)
	if err != nil {
		s.searchErrorPage(c, err)
		return
	}
	d.Total = int(res.Total)
	d.Pager = newPager(c.Request.URL, page, marketPerPage, d.Total)
	// A filtered facet counts its values as if it were not filtered, so
	// that the other values stay visible and choosable.
	counts := res.Facets
	for _, f := range marketFacets {
		if _, filtered := filters[f.Field]; !filtered {
			continue
		}
		others := map[string][]string{}
		for k, vals := range filters {
			if k != f.Field {
				others[k] = vals
			}
		}
		fr, err := ix.Search(&index.Request{EventID: v.Event, Text: d.Query, Type: d.Type, Filters: others,
			Facets: []string{f.Field}, FacetSize: 12, Limit: 1})
		if err != nil {
			s.searchErrorPage(c, err)
			return
		}
		if counts == nil {
			counts = map[string][]index.FacetCount{}
		}
		counts[f.Field] = fr.Facets[f.Field]
	}
	label := s.labeller(c)
	for _, f := range marketFacets {
		fv := marketFacet{Param: f.Param, Heading: s.tr(c, f.Heading, nil)}
		selected := filters[f.Field]
		for _, fc := range counts[f.Field] {
			l := fc.Term
			if f.Param != "country" && f.Param != "sector" {
				l = label(fc.Term)
			}
			fv.Options = append(fv.Options, filterOption{Value: fc.Term, Label: l, Count: fc.Count, Selected: slices.Contains(selected, fc.Term)})
		}
		if len(fv.Options) > 0 {
			d.Facets = append(d.Facets, fv)
		}
	}
	if err := s.store.View(func(tx *profiles.Tx) error { return fillHits(tx, v, res.Hits, &d) }); err != nil {
		s.storeErrorPage(c, err)
		return
	}
	d.Back = c.Request.URL.RequestURI()
	s.render(c, http.StatusOK, "marketplace", &pageView{Title: "title.marketplace", Event: ev, Section: "marketplace", Data: d})
}

// fillHits reads what the page shows of each hit from the store. A hit
// the store no longer has (deleted since it was indexed) is skipped.
func fillHits(tx *profiles.Tx, v auth.Viewer, hits []index.Hit, d *marketPageData) error {
	me, err := tx.Participant(v.Event, v.Participant)
	if err != nil {
		return err
	}
	open, err := openRequests(tx, v.Event, me.ID)
	if err != nil {
		return err
	}
	for _, h := range hits {
		mh := marketHit{Type: h.Type, ID: h.ID, Name: h.Name, Matched: h.Words}
		org, err := tx.Organization(v.Event, h.OrgID)
		if errors.Is(err, profiles.ErrNotFound) {
			continue
		} else if err != nil {
			return err
		}
		mh.Org, mh.Own, mh.HasLogo = *org, org.ID == me.OrganizationID, hasLogo(tx, v.Event, org.ID)
		switch h.Type {
		case index.TypeOpportunity:
			opp, err := tx.Opportunity(v.Event, h.ID)
			if errors.Is(err, profiles.ErrNotFound) {
				continue
			} else if err != nil {
				return err
			}
			owner, err := tx.Participant(v.Event, opp.ParticipantID)
			if err != nil {
				return err
			}
			pv := personCardOf(owner)
			pv.State = open.with(owner.ID)
			mh.Opp, mh.Owner = opp, &pv
		default:
			people, err := tx.ParticipantsOfOrganization(v.Event, org.ID)
			if err != nil {
				return err
			}
			for i := range people {
				pc := personCardOf(&people[i])
				if pc.State = open.with(pc.ID); pc.State == nil {
					mh.Free = append(mh.Free, pc)
				}
				mh.People = append(mh.People, pc)
			}
		}
		d.Hits = append(d.Hits, mh)
	}
	return nil
}

// searchErrorPage answers a failed search: 400 for a malformed request.
func (s *Site) searchErrorPage(c *gin.Context, err error) {
	if errors.Is(err, index.ErrInvalid) {
		s.errorPage(c, http.StatusBadRequest, err.Error())
		return
	}
	s.storeErrorPage(c, err)
}

// nonEmptyValues drops empty strings (an unselected filter submits "").
func nonEmptyValues(vals []string) []string {
	var out []string
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
