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
	FieldType         = "type"      // TypeOrganization or TypeOpportunity
	FieldEvent        = "event_id"  // the event
	FieldEntity       = "entity_id" // the organization's or opportunity's ID
	FieldOrganization = "org_id"    // the organization (itself, or the opportunity's owner)
	FieldParticipant  = "participant_id"
	FieldName         = "name" // organization name or opportunity title
	// FieldNames holds the names people search for: an organization's
	// name and its participants' names, an opportunity's title and its
	// organization's name; matched by word prefix, accents and case folded.
	FieldNames = "names"
	// FieldPeople lists an organization's participant IDs, so that a
	// change of a participant finds the documents that name them.
	FieldPeople      = "people"
	FieldLanguage    = "lang"
	FieldKind        = "kind" // organization kind (of the owner, for opportunities)
	FieldCountry     = "country"
	FieldSector      = "sector"
	FieldTechCode    = "tech_code" // EEN codes with their ancestors (02, 02007, 02007002)
	FieldNACE        = "nace"
	FieldKeyword     = "keyword" // free keywords, lower case
	FieldOppKind     = "opp_kind"
	FieldProfileType = "profile_type"
	FieldPartnerKind = "partner_kind" // kinds of partner sought
	fieldTextPrefix  = "text_"
	FieldTextOther   = "text_other" // text in a language without its own analyzer
	TypeOrganization = "organization"
	TypeOpportunity  = "opportunity"
	// internalGeneration is where the index records the store generation it
	// reflects. Its version suffix changes with the mapping, so that an
	// index built with an older mapping is rebuilt at start.
	internalGeneration = "matchgrid_generation_v2"
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
	if err := im.AddCustomTokenFilter(filterNamePrefixes, namePrefixFilter); err != nil {
		return nil, fmt.Errorf("index: token filter %s: %w", filterNamePrefixes, err)
	}
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
	names := bleve.NewTextFieldMapping()
	names.Analyzer = analyzerNames
	names.Store = false
	names.IncludeTermVectors = true
	doc.AddFieldMappingsAt(FieldNames, names)
	people := bleve.NewKeywordFieldMapping()
	people.Analyzer = keyword.Name
	people.Store = false
	people.IncludeInAll = false
	doc.AddFieldMappingsAt(FieldPeople, people)
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
