package matcher

import (
	"fmt"
	"strings"
)

// Reason is one sentence of an explanation as data, so that a page can
// say it in its reader's language: Code names the sentence, Words and
// Detail fill it in. Direction.Sentences holds the same reasons in English.
type Reason struct {
	Code string `json:"code"`
	// Words are the matched words the sentence lists (needs and topics).
	Words []string `json:"words,omitempty"`
	// Detail is the project's label (ReasonCloseProject) or the
	// organization kind's code (ReasonUsualKind, ReasonCloseKind).
	Detail string `json:"detail,omitempty"`
}

// The reasons an explanation can give.
const (
	ReasonNeedsMatch       = "needs_match"        // their texts match your request: Words
	ReasonSharedTopics     = "shared_topics"      // your profiles share topics: Words
	ReasonCloseProject     = "close_project"      // their project Detail is among the closest
	ReasonOpportunity      = "opportunity"        // one of their opportunities answers your request
	ReasonKindSought       = "kind_sought"        // the kind of partner your request seeks
	ReasonUsualKind        = "usual_kind"         // organizations like yours often work with a Detail
	ReasonCommonPartners   = "common_partners"    // you have past partners in common
	ReasonSameCountry      = "same_country"       // they are in your country
	ReasonClosestOverall   = "closest_overall"    // among the closest profiles and track records
	ReasonAnswerTheirNeeds = "answer_their_needs" // your texts answer their request: Words
	ReasonTheirTopics      = "their_topics"       // no request from them; your profile shares their topics: Words
	ReasonSameCity         = "same_city"          // they are in your city
	ReasonCloseKind        = "close_kind"         // projects close to what you look for often include a Detail
	ReasonCloseInMeaning   = "close_in_meaning"   // their texts are on your topic in other words (semantic.go)
	ReasonCloseCountry     = "close_country"      // projects close to what you look for often include partners from their country
	ReasonNewPartners      = "new_partners"       // they often take on new partners
	ReasonRecentPartners   = "recent_partners"    // their work resembles that of your recent partners
)

// English says the reason as a sentence.
func (r Reason) English() string {
	switch r.Code {
	case ReasonNeedsMatch:
		return "Their profile, track record and opportunities match your request: " + listWords(r.Words) + "."
	case ReasonSharedTopics:
		return "Your profiles share topics: " + listWords(r.Words) + "."
	case ReasonCloseProject:
		return fmt.Sprintf("Their project %s is among the closest to what you look for.", r.Detail)
	case ReasonOpportunity:
		return "One of their opportunities answers your request."
	case ReasonKindSought:
		return "They are the kind of partner your request seeks."
	case ReasonUsualKind:
		return fmt.Sprintf("Organizations like yours often work with a %s.", strings.ReplaceAll(r.Detail, "_", " "))
	case ReasonCommonPartners:
		return "You have past partners in common."
	case ReasonSameCountry:
		return "They are in your country."
	case ReasonSameCity:
		return "They are in your city."
	case ReasonCloseCountry:
		return "Projects close to what you look for often include partners from their country."
	case ReasonNewPartners:
		return "They often take on new partners."
	case ReasonRecentPartners:
		return "Their work resembles that of your recent partners."
	case ReasonCloseKind:
		return fmt.Sprintf("Projects close to what you look for often include a %s.", strings.ReplaceAll(r.Detail, "_", " "))
	case ReasonClosestOverall:
		return "Their profile and track record are among the closest to what you look for in this event."
	case ReasonAnswerTheirNeeds:
		return "Your profile and track record answer their request: " + listWords(r.Words) + "."
	case ReasonCloseInMeaning:
		return "Their work is on the topic you look for, even where they use other words."
	case ReasonTheirTopics:
		return "They have posted no request; your profile shares their topics: " + listWords(r.Words) + "."
	}
	return r.Code
}

// ReasonCodes lists every Code, for pages that keep a sentence per code.
var ReasonCodes = []string{ReasonNeedsMatch, ReasonSharedTopics, ReasonCloseProject, ReasonOpportunity,
	ReasonKindSought, ReasonUsualKind, ReasonCommonPartners, ReasonSameCountry, ReasonClosestOverall,
	ReasonAnswerTheirNeeds, ReasonTheirTopics, ReasonSameCity, ReasonCloseKind,
	ReasonCloseCountry, ReasonNewPartners, ReasonRecentPartners, ReasonCloseInMeaning}

// say adds a reason to the direction, as data and as an English sentence.
func (d *Direction) say(r Reason) {
	d.Reasons = append(d.Reasons, r)
	d.Sentences = append(d.Sentences, r.English())
}
