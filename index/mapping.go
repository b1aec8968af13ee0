package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Field names of an index document. Both organizations and opportunities
// use the one document mapping, so that every field has one analyzer.
const (
	FieldType          = "type"      // TypeOrganization or TypeOpportunity
	FieldEvent         = "event_id"  // the event
	FieldEntity        = "entity_id" // the organization's or opportunity's ID
	FieldOrganization  = "org_id"    // the organization (itself, or the opportunity's owner)
	FieldParticipant   = "participant_id"
	FieldName          = "name" // organization name or opportunity title
	FieldLanguage      = "lang"
	FieldKind          = "kind" // organization kind (of the owner, for opportunities)
	FieldCountry       = "country"
	FieldSector        = "sector"
	FieldTechCode      = "tech_code" // EEN codes with their ancestors (02, 02007, 02007002)
	FieldNACE          = "nace"
	FieldKeyword       = "keyword" // free keywords, lower case
	FieldOppKind       = "opp_kind"
	FieldProfileType   = "profile_type"
	FieldPartnerKind   = "partner_kind" // kinds of partner sought
	fieldTextPrefix    = "text_"
	FieldTextOther     = "text_other" // text in a language without its own analyzer
	TypeOrganization   = "organization"
	TypeOpportunity    = "opportunity"
	internalGeneration = "matchgrid_generation"
)

// TextField returns the text field of a language: "text_en" ..., or
// FieldTextOther for languages without their own analyzer.
func TextField(lang string) string {
	if AnalyzerName(lang) == "standard" {
		return FieldTextOther
	}
	return fieldTextPrefix + lang
}

// TextFields lists every text field.
func TextFields() []string {
	out := make([]string, 0, len(Languages)+1)
	for _, l := range Languages {
		out = append(out, TextField(l))
	}
	return append(out, FieldTextOther)
}

// KeywordFields are the exact-match fields usable as filters and facets.
var KeywordFields = []string{FieldType, FieldEvent, FieldEntity, FieldOrganization, FieldParticipant, FieldLanguage,
	FieldKind, FieldCountry, FieldSector, FieldTechCode, FieldNACE, FieldKeyword, FieldOppKind, FieldProfileType, FieldPartnerKind}

// NewMapping returns the index mapping: BM25 scoring, one analysed text
// field per language (with term vectors, for matched terms), keyword fields
// for filters and facets, and a stored name.
func NewMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	im.ScoringModel = "bm25"
	im.DefaultAnalyzer = standard.Name
	for name, cfg := range analyzerConfigs {
		if err := im.AddCustomAnalyzer(name, cfg); err != nil {
			return nil, fmt.Errorf("index: analyzer %s: %w", name, err)
		}
	}
	doc := bleve.NewDocumentStaticMapping()
	for _, f := range KeywordFields {
		fm := bleve.NewKeywordFieldMapping()
		fm.Analyzer = keyword.Name
		fm.Store = f == FieldType || f == FieldEntity || f == FieldOrganization || f == FieldEvent
		fm.IncludeTermVectors = f == FieldKeyword
		doc.AddFieldMappingsAt(f, fm)
	}
	name := bleve.NewTextFieldMapping()
	name.Analyzer = standard.Name
	name.Store = true
	doc.AddFieldMappingsAt(FieldName, name)
	for _, l := range append(Languages, "") {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = AnalyzerName(l)
		fm.Store = false
		fm.IncludeTermVectors = true
		doc.AddFieldMappingsAt(TextField(l), fm)
	}
	im.DefaultMapping = doc
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("index: mapping: %w", err)
	}
	return im, nil
}
