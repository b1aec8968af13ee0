package profiles

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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

// ReadCORDISProjects reads projects.csv. Columns are found by header name;
// projectID, acronym, title, objective and startDate are required. Every
// error is a *LineError naming file, line, column and value.
func ReadCORDISProjects(r io.Reader, file string) ([]CORDISProject, error) {
	t, err := openCSV(r, file)
	if err != nil {
		return nil, err
	}
	if err := t.require("projectID", "acronym", "title", "objective", "startDate"); err != nil {
		return nil, err
	}
	var out []CORDISProject
	seen := map[string]int{}
	for {
		if ok, err := t.next(); err != nil {
			return nil, err
		} else if !ok {
			return out, nil
		}
		p := CORDISProject{
			RCN:           t.get("rcn"),
			Acronym:       t.get("acronym"),
			Title:         t.get("title"),
			Teaser:        t.get("teaser"),
			Objective:     t.get("objective"),
			Keywords:      splitCORDISKeywords(t.get("keywords")),
			Status:        t.get("status"),
			LegalBasis:    t.get("legalBasis"),
			Topic:         t.get("topic"),
			TopicTitle:    t.get("topicTitle"),
			FundingScheme: t.get("fundingScheme"),
			EuroSciVoc:    cordisSplit(t.get("euroSciVoc"), " | "),
			HealthReason:  t.get("healthReason"),
		}
		if p.ID, err = t.nonEmpty("projectID"); err != nil {
			return nil, err
		}
		if !ValidID(p.ID) {
			return nil, t.failf("projectID", "must be letters, digits, '.', '_' or '-'")
		}
		if prev, dup := seen[p.ID]; dup {
			return nil, &LineError{File: file, Line: t.line, Column: "projectID", Value: p.ID,
				Err: fmt.Errorf("%w: project already given on line %d", ErrConflict, prev)}
		}
		seen[p.ID] = t.line
		if p.Title == "" {
			return nil, t.failf("title", "must not be empty")
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
	t, err := openCSV(r, file)
	if err != nil {
		return nil, err
	}
	if err := t.require("projectID", "orgID", "name", "activityType", "role", "country"); err != nil {
		return nil, err
	}
	var out []CORDISParticipation
	for {
		if ok, err := t.next(); err != nil {
			return nil, err
		} else if !ok {
			return out, nil
		}
		p := CORDISParticipation{
			ShortName: t.get("shortName"),
			City:      t.get("city"),
			NUTSCode:  t.get("nutsCode"),
			URL:       t.get("url"),
		}
		if p.ProjectID, err = t.nonEmpty("projectID"); err != nil {
			return nil, err
		}
		if !ValidID(p.ProjectID) {
			return nil, t.failf("projectID", "must be letters, digits, '.', '_' or '-'")
		}
		if p.OrgID, err = t.nonEmpty("orgID"); err != nil {
			return nil, err
		}
		if !cordisDigits(p.OrgID) {
			return nil, t.failf("orgID", "must be a PIC (digits only)")
		}
		if p.Name, err = t.nonEmpty("name"); err != nil {
			return nil, err
		}
		if p.ActivityType, err = t.nonEmpty("activityType"); err != nil {
			return nil, err
		}
		if !slices.Contains([]string{"PRC", "HES", "REC", "PUB", "OTH"}, p.ActivityType) {
			return nil, t.failf("activityType", "must be one of PRC, HES, REC, PUB, OTH")
		}
		if p.SME, err = t.boolean("sme"); err != nil {
			return nil, err
		}
		if p.Role, err = t.nonEmpty("role"); err != nil {
			return nil, err
		}
		if !slices.Contains(CORDISRoles, p.Role) {
			return nil, t.failf("role", "must be one of %v", CORDISRoles)
		}
		if v := t.get("order"); v != "" {
			if p.Order, err = strconv.Atoi(v); err != nil || p.Order < 0 {
				return nil, t.failf("order", "must be a non-negative whole number")
			}
		}
		terminated, err := t.boolean("terminated")
		if err != nil {
			return nil, err
		}
		p.Terminated = terminated != nil && *terminated
		if p.Country, err = t.nonEmpty("country"); err != nil {
			return nil, err
		}
		if !countryPattern.MatchString(p.Country) {
			return nil, t.failf("country", "must be a 2-letter upper-case country code")
		}
		out = append(out, p)
	}
}

// splitCORDISKeywords splits the free-text keywords of a project. CORDIS
// keeps whatever the applicants typed: commas, semicolons or line breaks,
// tabs inside a keyword, and now and then a whole list without separators.
// A tab inside a keyword becomes a space; a "keyword" longer than CapName
// (a list in disguise) is dropped.
func splitCORDISKeywords(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' })
	var out []string
	for _, f := range fields {
		f = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, f)
		if f = strings.Trim(strings.TrimSpace(f), ".\"'"); f != "" && utf8.RuneCountInString(f) <= CapName {
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
