package profiles

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file reads the CORDIS Horizon Europe CSV files (projects.csv and
// participations.csv: RFC 4180, CRLF rows, LF inside quoted fields) into
// typed records. The records are shared by the CORDIS importer
// (cordis_bundle.go), the demo event and the matching evaluation.
//
// Source of the data: CORDIS, European Commission.

// CORDIS participation roles. Only the first three make an organization a
// member of a consortium; a third party is an affiliated entity of a member.
const (
	CORDISCoordinator       = "coordinator"
	CORDISParticipant       = "participant"
	CORDISAssociatedPartner = "associatedPartner"
	CORDISThirdParty        = "thirdParty"
)

// CORDISRoles lists the participation roles CORDIS uses.
var CORDISRoles = []string{CORDISCoordinator, CORDISParticipant, CORDISAssociatedPartner, CORDISThirdParty}

// CORDISProject is one row of projects.csv.
type CORDISProject struct {
	ID            string // grant agreement number (projectID)
	RCN           string
	Acronym       string
	Title         string
	Teaser        string
	Objective     string
	Keywords      []string // free-text keywords split on ',' and ';', trimmed, in source order
	StartDate     time.Time
	EndDate       time.Time // zero when empty
	Status        string
	LegalBasis    string
	Topic         string
	TopicTitle    string
	FundingScheme string   // e.g. HORIZON-RIA, HORIZON-EIC
	EuroSciVoc    []string // taxonomy paths, e.g. "/medical and health sciences/clinical medicine/oncology"
	HealthReason  string
}

// CORDISParticipation is one row of participations.csv: one organization
// in one project with one role.
type CORDISParticipation struct {
	ProjectID    string
	OrgID        string // PIC, stable across projects: the organization key
	Name         string
	ShortName    string
	ActivityType string // PRC, HES, REC, PUB, OTH
	SME          *bool  // nil when CORDIS leaves it empty
	Role         string // one of CORDISRoles
	Order        int    // participant number in the project; the coordinator is 1
	Terminated   bool
	Country      string // as CORDIS gives it (EL for Greece, UK for the United Kingdom)
	City         string
	NUTSCode     string
	URL          string
}

// cordisTable reads a CSV file with a header row and finds columns by name.
type cordisTable struct {
	file    string
	r       *csv.Reader
	columns map[string]int
	record  []string
	line    int
}

// newCORDISTable reads the header and checks that the required columns exist.
func newCORDISTable(r io.Reader, file string, required []string) (*cordisTable, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &LineError{File: file, Line: 1, Err: fmt.Errorf("%w: empty file, expected a header row", ErrInvalid)}
	}
	if err != nil {
		return nil, cordisReadError(file, err)
	}
	t := &cordisTable{file: file, r: cr, columns: make(map[string]int, len(header))}
	for i, name := range header {
		name = strings.TrimSpace(strings.TrimPrefix(name, "\ufeff"))
		if _, dup := t.columns[name]; dup {
			return nil, &LineError{File: file, Line: 1, Column: name, Err: fmt.Errorf("%w: column appears twice in the header", ErrInvalid)}
		}
		t.columns[name] = i
	}
	for _, name := range required {
		if _, ok := t.columns[name]; !ok {
			return nil, &LineError{File: file, Line: 1, Column: name, Err: fmt.Errorf("%w: missing column", ErrInvalid)}
		}
	}
	return t, nil
}

// next reads the next record; it returns io.EOF at the end.
func (t *cordisTable) next() error {
	rec, err := t.r.Read()
	if err != nil {
		if err == io.EOF {
			return err
		}
		return cordisReadError(t.file, err)
	}
	t.record = rec
	t.line, _ = t.r.FieldPos(0)
	return nil
}

// get returns the value of a column in the current record, "" when the
// file has no such column.
func (t *cordisTable) get(column string) string {
	if i, ok := t.columns[column]; ok && i < len(t.record) {
		return t.record[i]
	}
	return ""
}

// fail returns a LineError for a bad value in the current record.
func (t *cordisTable) fail(column, value, format string, args ...any) error {
	return &LineError{File: t.file, Line: t.line, Column: column, Value: value,
		Err: fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))}
}

// required returns a column's trimmed value or an error when it is empty.
func (t *cordisTable) required(column string) (string, error) {
	v := strings.TrimSpace(t.get(column))
	if v == "" {
		return "", t.fail(column, v, "must not be empty")
	}
	return v, nil
}

// date parses a YYYY-MM-DD column; empty gives the zero time unless required.
func (t *cordisTable) date(column string, required bool) (time.Time, error) {
	v := strings.TrimSpace(t.get(column))
	if v == "" {
		if required {
			return time.Time{}, t.fail(column, v, "must not be empty")
		}
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, t.fail(column, v, "must be a date YYYY-MM-DD")
	}
	return d, nil
}

// boolean parses "true"/"false"; empty gives nil.
func (t *cordisTable) boolean(column string) (*bool, error) {
	v := strings.TrimSpace(t.get(column))
	switch strings.ToLower(v) {
	case "":
		return nil, nil
	case "true":
		b := true
		return &b, nil
	case "false":
		b := false
		return &b, nil
	}
	return nil, t.fail(column, v, "must be true, false or empty")
}

// cordisReadError turns an encoding/csv error into a LineError.
func cordisReadError(file string, err error) error {
	var perr *csv.ParseError
	if errors.As(err, &perr) {
		return &LineError{File: file, Line: perr.StartLine, Err: fmt.Errorf("%w: %w", ErrInvalid, perr)}
	}
	return fmt.Errorf("read %s: %w", file, err)
}

// ReadCORDISProjects reads projects.csv. Columns are found by header name;
// projectID, acronym, title, objective and startDate are required. Every
// error is a *LineError naming file, line, column and value.
func ReadCORDISProjects(r io.Reader, file string) ([]CORDISProject, error) {
	t, err := newCORDISTable(r, file, []string{"projectID", "acronym", "title", "objective", "startDate"})
	if err != nil {
		return nil, err
	}
	var out []CORDISProject
	seen := map[string]int{}
	for {
		if err := t.next(); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		p := CORDISProject{
			RCN:           strings.TrimSpace(t.get("rcn")),
			Acronym:       strings.TrimSpace(t.get("acronym")),
			Title:         strings.TrimSpace(t.get("title")),
			Teaser:        strings.TrimSpace(t.get("teaser")),
			Objective:     strings.TrimSpace(t.get("objective")),
			Keywords:      splitCORDISKeywords(t.get("keywords")),
			Status:        strings.TrimSpace(t.get("status")),
			LegalBasis:    strings.TrimSpace(t.get("legalBasis")),
			Topic:         strings.TrimSpace(t.get("topic")),
			TopicTitle:    strings.TrimSpace(t.get("topicTitle")),
			FundingScheme: strings.TrimSpace(t.get("fundingScheme")),
			EuroSciVoc:    cordisSplit(t.get("euroSciVoc"), " | "),
			HealthReason:  strings.TrimSpace(t.get("healthReason")),
		}
		if p.ID, err = t.required("projectID"); err != nil {
			return nil, err
		}
		if !ValidID(p.ID) {
			return nil, t.fail("projectID", p.ID, "must be letters, digits, '.', '_' or '-'")
		}
		if prev, dup := seen[p.ID]; dup {
			return nil, &LineError{File: file, Line: t.line, Column: "projectID", Value: p.ID,
				Err: fmt.Errorf("%w: project already given on line %d", ErrConflict, prev)}
		}
		seen[p.ID] = t.line
		if p.Title == "" {
			return nil, t.fail("title", p.Title, "must not be empty")
		}
		if p.StartDate, err = t.date("startDate", true); err != nil {
			return nil, err
		}
		if p.EndDate, err = t.date("endDate", false); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
}

// ReadCORDISParticipations reads participations.csv. Columns are found by
// header name; projectID, orgID, name, activityType, role and country are
// required. Every error is a *LineError naming file, line, column and value.
func ReadCORDISParticipations(r io.Reader, file string) ([]CORDISParticipation, error) {
	t, err := newCORDISTable(r, file, []string{"projectID", "orgID", "name", "activityType", "role", "country"})
	if err != nil {
		return nil, err
	}
	var out []CORDISParticipation
	for {
		if err := t.next(); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		p := CORDISParticipation{
			ShortName: strings.TrimSpace(t.get("shortName")),
			City:      strings.TrimSpace(t.get("city")),
			NUTSCode:  strings.TrimSpace(t.get("nutsCode")),
			URL:       strings.TrimSpace(t.get("url")),
		}
		if p.ProjectID, err = t.required("projectID"); err != nil {
			return nil, err
		}
		if !ValidID(p.ProjectID) {
			return nil, t.fail("projectID", p.ProjectID, "must be letters, digits, '.', '_' or '-'")
		}
		if p.OrgID, err = t.required("orgID"); err != nil {
			return nil, err
		}
		if !cordisDigits(p.OrgID) {
			return nil, t.fail("orgID", p.OrgID, "must be a PIC (digits only)")
		}
		if p.Name, err = t.required("name"); err != nil {
			return nil, err
		}
		if p.ActivityType, err = t.required("activityType"); err != nil {
			return nil, err
		}
		if !slices.Contains([]string{"PRC", "HES", "REC", "PUB", "OTH"}, p.ActivityType) {
			return nil, t.fail("activityType", p.ActivityType, "must be one of PRC, HES, REC, PUB, OTH")
		}
		if p.SME, err = t.boolean("sme"); err != nil {
			return nil, err
		}
		if p.Role, err = t.required("role"); err != nil {
			return nil, err
		}
		if !slices.Contains(CORDISRoles, p.Role) {
			return nil, t.fail("role", p.Role, "must be one of %v", CORDISRoles)
		}
		if v := strings.TrimSpace(t.get("order")); v != "" {
			if p.Order, err = strconv.Atoi(v); err != nil || p.Order < 0 {
				return nil, t.fail("order", v, "must be a non-negative whole number")
			}
		}
		terminated, err := t.boolean("terminated")
		if err != nil {
			return nil, err
		}
		p.Terminated = terminated != nil && *terminated
		if p.Country, err = t.required("country"); err != nil {
			return nil, err
		}
		if !countryPattern.MatchString(p.Country) {
			return nil, t.fail("country", p.Country, "must be a 2-letter upper-case country code")
		}
		out = append(out, p)
	}
}

// splitCORDISKeywords splits the free-text keywords of a project. CORDIS
// keeps whatever the applicants typed: commas, semicolons or line breaks.
func splitCORDISKeywords(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' })
	var out []string
	for _, f := range fields {
		if f = strings.Trim(strings.TrimSpace(f), ".\"'"); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// cordisSplit splits s on sep and drops empty, trimmed parts.
func cordisSplit(s, sep string) []string {
	var out []string
	for _, f := range strings.Split(s, sep) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func cordisDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
