package api

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/sheet"
)

// exportParams document the query of the export route.
var exportParams = []queryParam{{"format", "string", "csv (default), csv-excel (UTF-8 with BOM and ';', for Excel in Italy) or xlsx"}}

// export is GET /events/:event/exports/:export: a spreadsheet of the event
// (participants, opportunities, grid, agendas, funnel, mail-log).
func (s *API) export(c *gin.Context) {
	eventID := c.Param("event")
	x, err := matchgrid.ParseExport(c.Param("export"))
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	f, err := sheet.ParseFormat(c.Query("format"))
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	var buf bytes.Buffer
	if err := s.engine.WriteExport(&buf, eventID, x, f); err != nil {
		s.apiProblem(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	attachment(c, x.FileName(eventID, f), f.ContentType(), buf.Bytes())
}

// funnel is GET /events/:event/funnel.
func (s *API) funnel(c *gin.Context) {
	k := 0
	if !readInts(c, intParam{"suggestions", &k, 0, 100}) {
		return
	}
	f, err := s.engine.Funnel(c.Param("event"), k)
	if err != nil {
		s.apiProblem(c, err)
		return
	}
	c.JSON(http.StatusOK, f)
}
