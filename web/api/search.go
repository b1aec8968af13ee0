package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/web/httperr"
)

// searchFacets are the facets the marketplace may count: the index's
// keyword fields less the internal ones (event, entity and owner IDs).
var searchFacets = []string{index.FieldType, index.FieldKind, index.FieldCountry, index.FieldSector, index.FieldLanguage,
	index.FieldTechCode, index.FieldNACE, index.FieldKeyword, index.FieldOppKind, index.FieldProfileType, index.FieldPartnerKind}

// commaList splits a query parameter given as "a,b" or repeated.
func commaList(c *gin.Context, name string) []string {
	var out []string
	for _, v := range c.QueryArray(name) {
		for part := range strings.SplitSeq(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

func (s *API) search(c *gin.Context) {
	eventID := c.Param("event")
	req := &index.Request{EventID: eventID, Text: strings.TrimSpace(c.Query("q")), Lang: c.Query("lang"), Limit: 20, Filters: map[string][]string{}}
	if !readInts(c, intParam{"limit", &req.Limit, 1, 100}, intParam{"offset", &req.Offset, 0, 10000}) {
		return
	}
	switch t := c.Query("type"); t {
	case "", index.TypeOrganization, index.TypeOpportunity:
		req.Type = t
	default:
		httperr.Write(c, http.StatusBadRequest, "query parameter type="+t+" must be organization or opportunity", "type")
		return
	}
	for name, field := range map[string]string{"kind": index.FieldKind, "country": index.FieldCountry, "sector": index.FieldSector} {
		if values := commaList(c, name); len(values) > 0 {
			req.Filters[field] = values
		}
	}
	for _, f := range commaList(c, "facets") {
		if !slices.Contains(searchFacets, f) {
			httperr.Write(c, http.StatusBadRequest, "facet "+f+" is not one of "+joinComma(searchFacets), "facets")
			return
		}
		req.Facets = append(req.Facets, f)
	}
	if err := s.store.View(func(tx *profiles.Tx) error { _, err := tx.Event(eventID); return err }); err != nil {
		s.apiProblem(c, err)
		return
	}
	ix, err := s.engine.Index()
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	res, err := ix.Search(req)
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	if res.Hits == nil {
		res.Hits = []index.Hit{}
	}
	c.JSON(http.StatusOK, res)
}

func (s *API) suggestions(c *gin.Context) {
	limit := 10
	if !readInts(c, intParam{"limit", &limit, 1, 100}) {
		return
	}
	m, err := s.engine.Matcher()
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	sug, err := m.Suggest(c.Param("event"), c.Param("participant"), limit)
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, newList(sug, len(sug)))
}
