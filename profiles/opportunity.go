package profiles

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// OpportunityKind says whether an opportunity offers or seeks something.
type OpportunityKind string

// Opportunity kinds.
const (
	KindOffer       OpportunityKind = "offer"
	KindRequest     OpportunityKind = "request"
	KindPartnership OpportunityKind = "partnership" // both sides bring something
)

// OpportunityKinds lists every opportunity kind.
var OpportunityKinds = []OpportunityKind{KindOffer, KindRequest, KindPartnership}

// Valid reports whether k is a known opportunity kind.
func (k OpportunityKind) Valid() bool { return slices.Contains(OpportunityKinds, k) }

// ProfileType is an Enterprise Europe Network partnering profile type.
type ProfileType string

// EEN profile types.
const (
	TechnologyOffer   ProfileType = "technology_offer"
	TechnologyRequest ProfileType = "technology_request"
	BusinessOffer     ProfileType = "business_offer"
	BusinessRequest   ProfileType = "business_request"
	RDRequest         ProfileType = "rd_request" // a partner sought for a research and development project
)

// ProfileTypes lists every EEN profile type.
var ProfileTypes = []ProfileType{TechnologyOffer, TechnologyRequest, BusinessOffer, BusinessRequest, RDRequest}

// Valid reports whether t is a known profile type.
func (t ProfileType) Valid() bool { return slices.Contains(ProfileTypes, t) }

// Kind returns the opportunity kind the profile type implies.
func (t ProfileType) Kind() OpportunityKind {
	switch t {
	case TechnologyOffer, BusinessOffer:
		return KindOffer
	case TechnologyRequest, BusinessRequest:
		return KindRequest
	default:
		return KindPartnership
	}
}

// Stage of development of an offered technology.
const (
	StageConcept    = "concept"
	StageLab        = "lab_tested"
	StagePrototype  = "prototype"
	StageValidated  = "validated"
	StageOnMarket   = "on_market"
	StageRegulatory = "regulatory_approval"
)

// Stages lists the stages of development.
var Stages = []string{StageConcept, StageLab, StagePrototype, StageValidated, StageRegulatory, StageOnMarket}

// IPR statuses.
var IPRStatuses = []string{"none", "secret_know_how", "patent_pending", "patent_granted", "copyright", "trade_marks", "other"}

// Opportunity is a collaboration offer or request published by a participant
// on behalf of their organization.
type Opportunity struct {
	ID             string          `json:"id"`
	EventID        string          `json:"event_id"`
	ParticipantID  string          `json:"participant_id"`
	OrganizationID string          `json:"organization_id"`
	Kind           OpportunityKind `json:"kind"`
	ProfileType    ProfileType     `json:"profile_type,omitempty"`
	Title          string          `json:"title"`
	Summary        string          `json:"summary,omitempty"`
	Description    string          `json:"description,omitempty"`
	Language       string          `json:"language"` // ISO 639-1 of the texts
	Keywords       []string        `json:"keywords,omitempty"`
	TechCodes      []string        `json:"tech_codes,omitempty"`
	NACECodes      []string        `json:"nace_codes,omitempty"`
	PartnerSought  PartnerSought   `json:"partner_sought,omitzero"`
	Stage          string          `json:"stage,omitempty"`
	IPR            string          `json:"ipr,omitempty"`
	Expires        *time.Time      `json:"expires,omitempty"`
}

// PartnerSought describes the partner an opportunity is looking for.
type PartnerSought struct {
	Kinds []OrgKind `json:"kinds,omitempty"`
	Role  string    `json:"role,omitempty"` // free text, e.g. "clinical validation site"
}

// Validate checks the opportunity's own fields; that the participant
// exists and belongs to the organization is checked by the store.
func (o *Opportunity) Validate() error {
	const ent = "opportunity"
	if err := checkID(ent, o.ID, "id", o.ID); err != nil {
		return err
	}
	if err := checkID(ent, o.ID, "event_id", o.EventID); err != nil {
		return err
	}
	if err := checkID(ent, o.ID, "participant_id", o.ParticipantID); err != nil {
		return err
	}
	if !o.Kind.Valid() {
		return fieldErr(ent, o.ID, "kind", o.Kind, "must be one of %v", OpportunityKinds)
	}
	if o.ProfileType != "" {
		if !o.ProfileType.Valid() {
			return fieldErr(ent, o.ID, "profile_type", o.ProfileType, "must be one of %v", ProfileTypes)
		}
		if want := o.ProfileType.Kind(); want != o.Kind && want != KindPartnership {
			return fieldErr(ent, o.ID, "kind", o.Kind, "profile type %s is a %s", o.ProfileType, want)
		}
	}
	if strings.TrimSpace(o.Title) == "" {
		return fieldErr(ent, o.ID, "title", o.Title, "must not be empty")
	}
	t := texts{entity: ent, id: o.ID}
	t.field("title", o.Title)
	t.field("summary", o.Summary)
	t.field("description", o.Description)
	t.list("keywords", o.Keywords)
	t.list("tech_codes", o.TechCodes)
	t.list("nace_codes", o.NACECodes)
	t.field("partner_sought.role", o.PartnerSought.Role)
	if t.err != nil {
		return t.err
	}
	if !languagePattern.MatchString(o.Language) {
		return fieldErr(ent, o.ID, "language", o.Language, "must be a 2-letter lower-case ISO 639-1 code")
	}
	for i, k := range o.PartnerSought.Kinds {
		if !k.Valid() {
			return fieldErr(ent, o.ID, fmt.Sprintf("partner_sought.kinds[%d]", i), k, "must be one of %v", OrgKinds)
		}
	}
	if o.Stage != "" && !slices.Contains(Stages, o.Stage) {
		return fieldErr(ent, o.ID, "stage", o.Stage, "must be one of %v", Stages)
	}
	if o.IPR != "" && !slices.Contains(IPRStatuses, o.IPR) {
		return fieldErr(ent, o.ID, "ipr", o.IPR, "must be one of %v", IPRStatuses)
	}
	return nil
}

// Text returns the opportunity's searchable text: title, summary, description and keywords.
func (o *Opportunity) Text() string {
	parts := []string{o.Title, o.Summary, o.Description, strings.Join(o.Keywords, ", ")}
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), "\n")
}
