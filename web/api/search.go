package api

import (
	"net/http"
	"slices"
	"strconv"
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
	if req.Lang != "" && !slices.Contains(index.Languages, req.Lang) {
		httperr.Write(c, http.StatusBadRequest, "query parameter lang="+req.Lang+" must be one of "+joinComma(index.Languages), "lang")
		return
	}
	for name, field := range map[string]string{"kind": index.FieldKind, "country": index.FieldCountry, "sector": index.FieldSector} {
		if values := commaList(c, name); len(values) > 0 {
			req.Filters[field] = values
		}
	}
	for _, k := range req.Filters[index.FieldKind] {
		if !profiles.OrgKind(k).Valid() {
			httperr.Write(c, http.StatusBadRequest, "query parameter kind="+k+" must be one of "+joinComma(profiles.OrgKinds), "kind")
			return
		}
	}
	for _, cc := range req.Filters[index.FieldCountry] {
		if len(cc) != 2 || strings.Trim(cc, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			httperr.Write(c, http.StatusBadRequest, "query parameter country="+cc+" must be a 2-letter upper-case country code", "country")
			return
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

// suggestions answers a participant's suggested partners. By default each
// comes with its scores, matched terms and notes but without the
// per-feature breakdown of its two scores, which is most of the answer's
// size (and of the server's work to encode it); ?detail=full adds it. The
// brief answer is encoded once per ranking (briefCache).
func (s *API) suggestions(c *gin.Context) {
	limit := 10
	if !readInts(c, intParam{"limit", &limit, 1, 100}) {
		return
	}
	detail := c.DefaultQuery("detail", "brief")
	if detail != "brief" && detail != "full" {
		httperr.Write(c, http.StatusBadRequest, "query parameter detail="+strconv.Quote(detail)+" must be brief or full", "detail")
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
	if detail == "full" {
		c.JSON(http.StatusOK, newList(sug, len(sug)))
		return
	}
	body, err := s.brief.encoded(briefKey{c.Param("event"), c.Param("participant"), limit}, sug)
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}
