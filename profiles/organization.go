package profiles

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
)

// OrgKind is the kind of an organization.
type OrgKind string

// Organization kinds.
const (
	KindSME                OrgKind = "sme"
	KindStartup            OrgKind = "startup"
	KindLargeCompany       OrgKind = "large_company"
	KindHospital           OrgKind = "hospital"
	KindUniversity         OrgKind = "university"
	KindResearchCentre     OrgKind = "research_centre"
	KindPublicBody         OrgKind = "public_body"
	KindInvestor           OrgKind = "investor"
	KindClusterAssociation OrgKind = "cluster_association"
	KindOther              OrgKind = "other"
)

// OrgKinds lists every organization kind.
var OrgKinds = []OrgKind{KindSME, KindStartup, KindLargeCompany, KindHospital, KindUniversity,
	KindResearchCentre, KindPublicBody, KindInvestor, KindClusterAssociation, KindOther}

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool { return slices.Contains(OrgKinds, k) }

// Organization is a company, hospital, university, research centre, investor
// or public body taking part in an event through one or more participants.
type Organization struct {
	ID      string  `json:"id"`
	EventID string  `json:"event_id"`
	Name    string  `json:"name"`
	Kind    OrgKind `json:"kind"`
	Country string  `json:"country"` // ISO 3166-1 alpha-2, upper case (CORDIS's EL and UK are kept as given)
	Region  string  `json:"region,omitempty"`
	City    string  `json:"city,omitempty"`
	Website string  `json:"website,omitempty"`
	// Descriptions holds the profile text per language code ("en", "it", ...).
	Descriptions map[string]string `json:"descriptions,omitempty"`
	Sectors      []string          `json:"sectors,omitempty"`
	Keywords     []string          `json:"keywords,omitempty"`
	// TechCodes are EEN technology codes (hierarchical, e.g. "06001002").
	TechCodes []string `json:"tech_codes,omitempty"`
	NACECodes []string `json:"nace_codes,omitempty"` // e.g. "C21.1"
	Size      string   `json:"size,omitempty"`       // head-count band, e.g. "10-49"
	Languages []string `json:"languages,omitempty"`  // languages spoken, ISO 639-1
	// ExternalIDs keys the organization in other registries, e.g. {"pic": "999978433"}.
	ExternalIDs map[string]string `json:"external_ids,omitempty"`
	// Projects are the organization's track record: the funded projects it
	// took part in, with their title and text. Matching reads them as what
	// the organization has done (text) and with whom (past partners: two
	// organizations listing the same project ID).
	Projects []ProjectRef `json:"projects,omitempty"`
}

// ProjectRef is one project of an organization's track record.
type ProjectRef struct {
	ID        string   `json:"id"`
	Acronym   string   `json:"acronym,omitempty"`
	StartDate string   `json:"start_date,omitempty"` // YYYY-MM-DD
	Role      string   `json:"role,omitempty"`       // coordinator, participant, associatedPartner
	Title     string   `json:"title,omitempty"`
	Keywords  []string `json:"keywords,omitempty"`
	// Text is what the project did (e.g. a CORDIS objective).
	Text string `json:"text,omitempty"`
}

// Label names a project for people: its acronym, else its title, else its ID.
func (p *ProjectRef) Label() string {
	switch {
	case p.Acronym != "":
		return p.Acronym
	case p.Title != "":
		return p.Title
	}
	return p.ID
}

var (
	countryPattern  = regexp.MustCompile(`^[A-Z]{2}$`)
	languagePattern = regexp.MustCompile(`^[a-z]{2}$`)
)

// Validate checks the organization's fields.
func (o *Organization) Validate() error {
	const ent = "organization"
	if err := checkID(ent, o.ID, "id", o.ID); err != nil {
		return err
	}
	if err := checkID(ent, o.ID, "event_id", o.EventID); err != nil {
		return err
	}
	if strings.TrimSpace(o.Name) == "" {
		return fieldErr(ent, o.ID, "name", o.Name, "must not be empty")
	}
	if err := o.validateTexts(); err != nil {
		return err
	}
	if !o.Kind.Valid() {
		return fieldErr(ent, o.ID, "kind", o.Kind, "must be one of %v", OrgKinds)
	}
	if !countryPattern.MatchString(o.Country) {
		return fieldErr(ent, o.ID, "country", o.Country, "must be a 2-letter upper-case country code")
	}
	for lang := range o.Descriptions {
		if !languagePattern.MatchString(lang) {
			return fieldErr(ent, o.ID, "descriptions", lang, "language must be a 2-letter lower-case ISO 639-1 code")
		}
	}
	if err := checkLanguages(ent, o.ID, "languages", o.Languages); err != nil {
		return err
	}
	for i, p := range o.Projects {
		if p.ID == "" {
			return fieldErr(ent, o.ID, fmt.Sprintf("projects[%d].id", i), p.ID, "must not be empty")
		}
	}
	return nil
}

// validateTexts checks the caps and line rules of the organization's texts.
func (o *Organization) validateTexts() error {
	t := texts{entity: "organization", id: o.ID}
	t.field("name", o.Name)
	t.field("region", o.Region)
	t.field("city", o.City)
	t.field("website", o.Website)
	t.field("size", o.Size)
	t.keyed("descriptions", o.Descriptions)
	t.list("sectors", o.Sectors)
	t.list("keywords", o.Keywords)
	t.list("tech_codes", o.TechCodes)
	t.list("nace_codes", o.NACECodes)
	t.keyed("external_ids", o.ExternalIDs)
	if t.err == nil && len(o.Projects) > CapProjects {
		t.err = fieldErr("organization", o.ID, "projects", len(o.Projects), "must have at most %d items", CapProjects)
	}
	for i, p := range o.Projects {
		t.one("projects.acronym", fmt.Sprintf("projects[%d].acronym", i), p.Acronym)
		t.one("projects.start_date", fmt.Sprintf("projects[%d].start_date", i), p.StartDate)
		t.one("projects.role", fmt.Sprintf("projects[%d].role", i), p.Role)
		t.one("projects.title", fmt.Sprintf("projects[%d].title", i), p.Title)
		t.one("projects.text", fmt.Sprintf("projects[%d].text", i), p.Text)
		for j, k := range p.Keywords {
			t.one("projects.keywords", fmt.Sprintf("projects[%d].keywords[%d]", i, j), k)
		}
		if t.err == nil && len(p.Keywords) > CapItems {
			t.err = fieldErr("organization", o.ID, fmt.Sprintf("projects[%d].keywords", i), len(p.Keywords), "must have at most %d items", CapItems)
		}
	}
	return t.err
}

// Description returns the profile text in lang, or in English, or in any
// language, in that order of preference.
func (o *Organization) Description(lang string) string {
	if d, ok := o.Descriptions[lang]; ok {
		return d
	}
	if d, ok := o.Descriptions["en"]; ok {
		return d
	}
	for _, l := range sortedKeys(o.Descriptions) {
		return o.Descriptions[l]
	}
	return ""
}

func checkLanguages(entity, id, field string, langs []string) error {
	for i, l := range langs {
		if !languagePattern.MatchString(l) {
			return fieldErr(entity, id, fmt.Sprintf("%s[%d]", field, i), l, "must be a 2-letter lower-case ISO 639-1 code")
		}
	}
	return nil
}

func checkEmail(entity, id, field, value string) error {
	if value == "" {
		return nil
	}
	addr, err := mail.ParseAddress(value)
	if err != nil || addr.Address != value {
		return fieldErr(entity, id, field, value, "must be a plain e-mail address")
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
