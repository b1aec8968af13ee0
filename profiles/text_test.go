package profiles

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Every text field is capped and keeps its line rule: one-line texts take
// no control character, long texts take line breaks and tabs only.
func TestTextCapsAndControlCharacters(t *testing.T) {
	org := func(edit func(o *Organization)) func() error {
		o := Organization{ID: "acme", EventID: "ev", Name: "Acme", Kind: KindSME, Country: "IT"}
		edit(&o)
		return o.Validate
	}
	part := func(edit func(p *Participant)) func() error {
		p := Participant{ID: "anna", EventID: "ev", OrganizationID: "acme", FirstName: "Anna", LastName: "Rossi", Type: TypeDelegate}
		edit(&p)
		return p.Validate
	}
	opp := func(edit func(o *Opportunity)) func() error {
		o := Opportunity{ID: "o1", EventID: "ev", ParticipantID: "anna", Kind: KindOffer, Title: "Rapid test", Language: "en"}
		edit(&o)
		return o.Validate
	}
	event := func(edit func(e *Event)) func() error {
		e := testEvent("ev")
		edit(e)
		return e.Validate
	}
	request := func(msg string) func() error {
		r := MeetingRequest{ID: "r1", EventID: "ev", From: "a", To: "b", Status: RequestPending, CreatedAt: time.Now(), Message: msg}
		return r.Validate
	}
	long := func(n int) string { return strings.Repeat("ü", n) } // 2 bytes each: caps count characters
	tests := []struct {
		name      string
		validate  func() error
		wantField string // "" when valid
	}{
		{"CR LF in an organization name", org(func(o *Organization) { o.Name = "Acme\r\nGmbH" }), "name"},
		{"NUL in an organization name", org(func(o *Organization) { o.Name = "Acme\x00" }), "name"},
		{"line separator in a city", org(func(o *Organization) { o.City = "Torino\u2028" }), "city"},
		{"invalid UTF-8 in a region", org(func(o *Organization) { o.Region = "Piemonte\xff" }), "region"},
		{"line breaks and tabs in a description", org(func(o *Organization) { o.Descriptions = map[string]string{"en": "One\r\nTwo\n\tThree"} }), ""},
		{"bare CR in a description", org(func(o *Organization) { o.Descriptions = map[string]string{"en": "One\rTwo"} }), "descriptions.en"},
		{"escape character in a description", org(func(o *Organization) { o.Descriptions = map[string]string{"en": "red \x1b[31m"} }), "descriptions.en"},
		{"description at its cap", org(func(o *Organization) { o.Descriptions = map[string]string{"en": long(CapLong)} }), ""},
		{"description over its cap", org(func(o *Organization) { o.Descriptions = map[string]string{"en": long(CapLong + 1)} }), "descriptions.en"},
		{"tab in a keyword", org(func(o *Organization) { o.Keywords = []string{"ok", "a\tb"} }), "keywords[1]"},
		{"too many sectors", org(func(o *Organization) { o.Sectors = make([]string, CapItems+1) }), "sectors"},
		{"overlong external ID", org(func(o *Organization) { o.ExternalIDs = map[string]string{"pic": long(CapCode + 1)} }), "external_ids.pic"},
		{"newline in a project acronym", org(func(o *Organization) { o.Projects = []ProjectRef{{ID: "1", Acronym: "A\nB"}} }), "projects[0].acronym"},
		{"newline in a last name", part(func(p *Participant) { p.LastName = "Rossi\nBcc: x@y.example" }), "last_name"},
		{"name at its cap", part(func(p *Participant) { p.FirstName = long(CapCode) }), ""},
		{"name over its cap", part(func(p *Participant) { p.FirstName = long(CapCode + 1) }), "first_name"},
		{"overlong job title", part(func(p *Participant) { p.JobTitle = long(CapName + 1) }), "job_title"},
		{"CR in an e-mail", part(func(p *Participant) { p.Email = "a@b.example\r" }), "email"},
		{"1.8 MB summary", opp(func(o *Opportunity) { o.Summary = strings.Repeat("x", 1800000) }), "summary"},
		{"summary with paragraphs", opp(func(o *Opportunity) { o.Summary = "First.\n\nSecond." }), ""},
		{"newline in a title", opp(func(o *Opportunity) { o.Title = "Rapid\ntest" }), "title"},
		{"overlong partner role", opp(func(o *Opportunity) { o.PartnerSought.Role = long(CapLine + 1) }), "partner_sought.role"},
		{"overlong description", opp(func(o *Opportunity) { o.Description = long(CapLong + 1) }), "description"},
		{"newline in an event name", event(func(e *Event) { e.Name = "Meet\nin Italy" }), "name"},
		{"bare CR in a session name", event(func(e *Event) { e.Days[0].Sessions[0].Name = "Morning\r" }), "days[0].sessions[0].name"},
		{"NUL in a table name", event(func(e *Event) { e.TableNames = []string{"A", "B", "C", "D\x00", "E"} }), "table_names[3]"},
		{"event description with lines", event(func(e *Event) { e.Description = "Day one.\nDay two." }), ""},
		{"message with lines", request("Hello,\r\nshall we meet?"), ""},
		{"message over its cap", request(long(CapMessage + 1)), "message"},
		{"bell in a message", request("ding\a"), "message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.validate()
			var fe *FieldError
			switch {
			case tt.wantField == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.wantField != "" && !errors.As(err, &fe):
				t.Errorf("err = %v, want a *FieldError on %s", err, tt.wantField)
			case tt.wantField != "" && fe.Field != tt.wantField:
				t.Errorf("error names field %s, want %s (%v)", fe.Field, tt.wantField, err)
			case tt.wantField != "" && len(err.Error()) > 400:
				t.Errorf("the error repeats the whole value (%d bytes)", len(err.Error()))
			}
		})
	}
}

func TestTextCapIsDocumentedForTheAPI(t *testing.T) {
	for _, tt := range []struct {
		entity, field string
		want          TextRule
	}{
		{"opportunity", "summary", TextRule{CapSummary, true}},
		{"opportunity", "title", TextRule{CapName, false}},
		{"participant", "email", TextRule{254, false}},
		{"organization", "descriptions", TextRule{CapLong, true}},
	} {
		if got, ok := TextCap(tt.entity, tt.field); !ok || got != tt.want {
			t.Errorf("TextCap(%s, %s) = %+v, %v; want %+v", tt.entity, tt.field, got, ok, tt.want)
		}
	}
	if _, ok := TextCap("opportunity", "kind"); ok {
		t.Error("an enum has a text cap")
	}
}
