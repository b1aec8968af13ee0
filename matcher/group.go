package matcher

import (
	"strings"
	"unicode"

	"github.com/matchgrid/matchgrid/profiles"
)

// Organizations of one corporate group (SANOFI PASTEUR, SANOFI-AVENTIS
// DEUTSCHLAND GMBH, SANOFI US) are not suggested to each other: a
// brokerage event is for meeting other organizations. The group key is the
// first distinctive word of a company's name: not a legal form, not a
// generic word, at least four letters. Only companies get one; universities
// and hospitals named after the same city are not a group. Within a pool
// the word must also be a name rather than a word (see Pool.corporateGroups):
// OXFORD NANOPORE and OXFORD BIOMEDICA share a place, PRECISION ONCOLOGY
// and PRECISION DIAGNOSTICS a common word, not a group.

// commonWordShare is the share of the pool's organizations (at least
// commonWordMin) whose texts may use a word before it counts as a common
// word rather than a company's name.
const (
	commonWordShare = 0.01
	commonWordMin   = 3
)

// corporateGroups sets each organization's group key (groupKey), keeping
// only keys that name something: the word is in no name of an
// organization that is not a company (a place: University of Oxford) and
// in the texts of few organizations (not a common word: precision).
func (p *Pool) corporateGroups() {
	places := map[string]bool{}
	for _, o := range p.orgs {
		if !companyKinds[o.Kind] {
			for _, w := range nameTokens(o.Name) {
				places[w] = true
			}
		}
	}
	limit := max(commonWordMin, int(commonWordShare*float64(len(p.orgs))))
	p.group = make([]string, len(p.orgs))
	for i, o := range p.orgs {
		key := groupKey(o)
		if key == "" || places[key] {
			continue
		}
		if ts := analyze(key, "en"); len(ts) > 0 {
			if id := p.voc.ID(ts[0].term, false); id >= 0 && p.text.DF(id) >= limit {
				continue
			}
		}
		p.group[i] = key
	}
}

// genericNameWords are words that start names without naming a group.
var genericNameWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the les las los die der das het de la le el il lo
		university universita universitat universite universidad universiteit uniwersytet
		institute institut instituto istituto national nationale nazionale nacional
		international european europe euro global general royal federal central
		centre center centro centrum zentrum foundation fondazione fundacion fondation stiftung
		hospital ospedale hopital clinic klinik clinica association associazione asociacion verein
		society societa company compagnie group groupe gruppo holding holdings
		research ricerca recherche medical medicale medizin health sante salute pharma bio biotech
		advanced applied new nova novel first united consorzio consortium agency agenzia agence
		laboratoire laboratorio laboratory laboratories labs lab technologies technology tech
		scientific science sciences solutions services systems innovation innovations
		gmbh mbh ag sa sas sarl spa srl bv nv ltd limited llc inc corp plc oy ab as aps kft sro`) {
		genericNameWords[w] = true
	}
}

// companyKinds are the kinds that belong to corporate groups.
var companyKinds = map[profiles.OrgKind]bool{profiles.KindSME: true, profiles.KindStartup: true, profiles.KindLargeCompany: true}

// groupKey returns an organization's corporate group key, "" when none.
func groupKey(o *profiles.Organization) string {
	if !companyKinds[o.Kind] {
		return ""
	}
	for _, w := range nameTokens(o.Name) {
		if genericNameWords[w] {
			continue
		}
		if len([]rune(w)) < 4 {
			return ""
		}
		return w
	}
	return ""
}

// nameTokens lower-cases a name, drops accents and splits it into words of
// letters and digits (SANOFI-AVENTIS -> sanofi, aventis).
func nameTokens(name string) []string {
	return strings.FieldsFunc(stripAccents(strings.ToLower(name)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// nameWords is the set of an organization name's words, for keeping them
// out of explanations.
func nameWords(name string) map[string]bool {
	m := map[string]bool{}
	for _, w := range nameTokens(name) {
		m[w] = true
	}
	return m
}
