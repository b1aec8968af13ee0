package web_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/sheet"
	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

// TestEveryDownloadIsNeutralized walks every spreadsheet a browser or an
// API client can download (pages and API, every export in every format,
// personal links, the grid, agendas) after participants typed values a
// spreadsheet would run as formulas: no cell of any of them starts like
// a formula (issue 12 item 3).
func TestEveryDownloadIsNeutralized(t *testing.T) {
	f := webtest.NewFixture(t, web.Config{})
	err := f.Eng.Store().Update(func(tx *profiles.Tx) error {
		p, _ := tx.Participant("ev", "p-c")
		p.FirstName, p.LastName, p.JobTitle = "=cmd|'/Ccalc.exe'!A0", "+Weiss", "@boss"
		o, _ := tx.Organization("ev", "org-c")
		o.Name, o.City = "@SUM(1+1)", "-Berlin"
		opp, _ := tx.Opportunity("ev", "opp-a")
		opp.Title = `=HYPERLINK("http://evil.example")`
		return errors.Join(tx.UpdateParticipant(p), tx.UpdateOrganization(o), tx.UpdateOpportunity(opp))
	})
	if err != nil {
		t.Fatal(err)
	}
	type download struct {
		role, method, url, form string
		format                  sheet.Format
	}
	// A's own agenda first: the personal links, last, replace A's key.
	downloads := []download{
		{webtest.RoleA, "GET", "/e/ev/me/agenda.csv", "", sheet.CSV},
		{webtest.RoleA, "GET", "/api/v1/events/ev/participants/p-a/agenda.csv", "", sheet.CSV},
	}
	for _, x := range matchgrid.Exports {
		for _, fm := range sheet.Formats {
			downloads = append(downloads,
				download{webtest.RoleOrg, "GET", "/organizer/e/ev/exports/sheet/" + string(x) + "?format=" + fm.String(), "", fm},
				download{webtest.RoleOrg, "GET", "/api/v1/events/ev/exports/" + string(x) + "?format=" + fm.String(), "", fm})
		}
	}
	downloads = append(downloads,
		download{webtest.RoleOrg, "GET", "/organizer/e/ev/exports/grid.csv", "", sheet.CSV},
		download{webtest.RoleOrg, "GET", "/organizer/e/ev/exports/agendas.csv", "", sheet.CSV},
		download{webtest.RoleOrg, "GET", "/api/v1/events/ev/grid.csv", "", sheet.CSV},
	)
	for _, fm := range sheet.Formats {
		downloads = append(downloads, download{webtest.RoleOrg, "POST", "/organizer/e/ev/links", "scope=all&format=" + fm.String(), fm})
	}
	for _, d := range downloads {
		var resp *http.Response
		var body []byte
		if d.form != "" {
			resp, body = f.Do(d.role, d.method, d.url, d.form, "Content-Type", "application/x-www-form-urlencoded")
		} else {
			resp, body = f.Do(d.role, d.method, d.url, "")
		}
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s %s: status %d: %.200s", d.method, d.url, resp.StatusCode, body)
			continue
		}
		rows, err := readSheet(d.format, body)
		if err != nil {
			t.Errorf("%s %s: %v", d.method, d.url, err)
			continue
		}
		hostile := 0
		for i, row := range rows {
			for j, c := range row {
				if sheet.Dangerous(c) {
					t.Errorf("%s %s: row %d column %d = %q starts like a formula", d.method, d.url, i+1, j+1, c)
				}
				if strings.HasPrefix(c, "'") && sheet.Dangerous(c[1:]) {
					hostile++
				}
			}
		}
		if hostile == 0 && !strings.Contains(d.url, "funnel") && !strings.Contains(d.url, "mail-log") {
			t.Errorf("%s %s: no neutralised hostile value in it; is the walk looking at the right file?", d.method, d.url)
		}
	}
}

func readSheet(f sheet.Format, data []byte) ([][]string, error) {
	if f == sheet.XLSX {
		r, err := sheet.NewXLSXReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		defer r.Close()
		var rows [][]string
		for {
			row, err := r.Read()
			if errors.Is(err, io.EOF) {
				return rows, nil
			}
			if err != nil {
				return nil, err
			}
			rows = append(rows, row)
		}
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))))
	cr.FieldsPerRecord = -1
	if f == sheet.CSVExcel {
		cr.Comma = ';'
	}
	return cr.ReadAll()
}
