package index

import (
	"strings"

	"github.com/matchgrid/matchgrid/profiles"
)

// DocID returns the index document ID of an organization or opportunity.
func DocID(typ, eventID, id string) string { return typ + "/" + eventID + "/" + id }

// parseDocID splits a document ID into its parts.
func parseDocID(docID string) (typ, eventID, id string, ok bool) {
	parts := strings.SplitN(docID, "/", 3)
	if len(parts) != 3 {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// document is what the index stores for one entity: field name -> value(s).
type document map[string]any

// addText appends text to the field of its language.
func (d document) addText(lang, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	f := TextField(lang)
	if prev, ok := d[f].(string); ok {
		text = prev + "\n" + text
	}
	d[f] = text
}

// techCodeKeys returns an EEN code and its ancestors (EEN codes are
// hierarchical in groups: 2 digits, then 3 more per level).
func techCodeKeys(codes []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range codes {
		for n := 2; n <= len(c); n += 3 {
			if k := c[:n]; !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

func lower(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s = strings.ToLower(strings.TrimSpace(s)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// organizationDocument builds the document of an organization: its
// descriptions in their languages, keywords and sectors (in the language
// they are detected in), its name and its people's names, and its keyword
// fields.
func organizationDocument(o *profiles.Organization, people []profiles.Participant) document {
	names := []string{o.Name}
	ids := make([]string, 0, len(people))
	for i := range people {
		names = append(names, people[i].Name())
		ids = append(ids, people[i].ID)
	}
	d := document{
		FieldType: TypeOrganization, FieldEvent: o.EventID, FieldEntity: o.ID, FieldOrganization: o.ID,
		FieldName: o.Name, FieldNames: strings.Join(names, "\n"), FieldPeople: ids,
		FieldKind: string(o.Kind), FieldCountry: o.Country,
		FieldSector: lower(o.Sectors), FieldTechCode: techCodeKeys(o.TechCodes), FieldNACE: o.NACECodes,
		FieldKeyword: lower(o.Keywords),
	}
	var langs []string
	for lang, text := range o.Descriptions {
		d.addText(lang, text)
		langs = append(langs, lang)
	}
	d[FieldLanguage] = langs
	tags := strings.Join(append(append([]string{}, o.Keywords...), o.Sectors...), ", ")
	d.addText(Detect(tags, primaryLanguage(o)), tags)
	return d
}

// primaryLanguage is the language of an organization's English description
// if any, else of any description, else English.
func primaryLanguage(o *profiles.Organization) string {
	if _, ok := o.Descriptions["en"]; ok || len(o.Descriptions) == 0 {
		return "en"
	}
	for _, l := range Languages {
		if _, ok := o.Descriptions[l]; ok {
			return l
		}
	}
	return "en"
}

// opportunityDocument builds the document of an opportunity; owner, when
// known, gives the kind and country of the organization behind it.
func opportunityDocument(o *profiles.Opportunity, owner *profiles.Organization) document {
	lang := o.Language
	if lang == "" {
		lang = Detect(o.Text(), "en")
	}
	d := document{
		FieldType: TypeOpportunity, FieldEvent: o.EventID, FieldEntity: o.ID, FieldOrganization: o.OrganizationID,
		FieldParticipant: o.ParticipantID, FieldName: o.Title, FieldNames: o.Title, FieldLanguage: lang,
		FieldTechCode: techCodeKeys(o.TechCodes), FieldNACE: o.NACECodes, FieldKeyword: lower(o.Keywords),
		FieldOppKind: string(o.Kind), FieldProfileType: string(o.ProfileType),
	}
	var kinds []string
	for _, k := range o.PartnerSought.Kinds {
		kinds = append(kinds, string(k))
	}
	d[FieldPartnerKind] = kinds
	if owner != nil {
		d[FieldNames] = o.Title + "\n" + owner.Name
		d[FieldKind] = string(owner.Kind)
		d[FieldCountry] = owner.Country
		d[FieldSector] = lower(owner.Sectors)
	}
	d.addText(lang, o.Text())
	if o.PartnerSought.Role != "" {
		d.addText(lang, o.PartnerSought.Role)
	}
	return d
}
