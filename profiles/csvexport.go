package profiles

import (
	"strconv"
	"strings"
	"time"
)

// RowWriter receives the rows of an export, header first. Package sheet's
// Writer is one (CSV or XLSX, every cell neutralised against formula
// injection).
type RowWriter interface {
	Write(row []string) error
}

// ParticipantColumns are the columns of a participants export, the same
// ones ImportParticipantsCSV reads: an export imports back unchanged.
var ParticipantColumns = []string{
	"organization_id", "organization", "kind", "country", "region", "city", "website", "size",
	"sectors", "keywords", "tech_codes", "nace_codes",
	"description_en", "description_it", "description_fr", "description_de", "description_es",
	"participant_id", "first_name", "last_name", "email", "job_title", "languages",
	"participation_type", "max_meetings", "unavailable",
}

// OpportunityColumns are the columns of an opportunities export, the same
// ones ImportOpportunitiesCSV reads.
var OpportunityColumns = []string{
	"opportunity_id", "participant_id", "participant_email", "kind", "profile_type", "title", "summary",
	"description", "language", "keywords", "tech_codes", "nace_codes", "stage", "ipr",
	"partner_kinds", "partner_role", "expires",
}

// listCell joins a multi-valued cell the way the importer splits it.
func listCell(items []string) string { return strings.Join(items, "; ") }

// ExportParticipants writes every participant of an event, one row each
// with their organization's columns, in participant ID order.
func (tx *Tx) ExportParticipants(eventID string, w RowWriter) error {
	ev, err := tx.Event(eventID)
	if err != nil {
		return err
	}
	loc, err := ev.Location()
	if err != nil {
		return err
	}
	people, err := tx.Participants(eventID)
	if err != nil {
		return err
	}
	if err := w.Write(ParticipantColumns); err != nil {
		return err
	}
	orgs := map[string]*Organization{}
	for i := range people {
		p := &people[i]
		org, ok := orgs[p.OrganizationID]
		if !ok {
			if org, err = tx.Organization(eventID, p.OrganizationID); err != nil {
				return err
			}
			orgs[p.OrganizationID] = org
		}
		if err := w.Write(participantRow(org, p, loc)); err != nil {
			return err
		}
	}
	return nil
}

func participantRow(o *Organization, p *Participant, loc *time.Location) []string {
	maxMeetings := ""
	if p.MaxMeetings > 0 {
		maxMeetings = strconv.Itoa(p.MaxMeetings)
	}
	var periods []string
	for _, u := range p.Unavailable {
		periods = append(periods, u.Start.In(loc).Format("2006-01-02T15:04")+"/"+u.End.In(loc).Format("2006-01-02T15:04"))
	}
	d := o.Descriptions
	return []string{
		o.ID, o.Name, string(o.Kind), o.Country, o.Region, o.City, o.Website, o.Size,
		listCell(o.Sectors), listCell(o.Keywords), listCell(o.TechCodes), listCell(o.NACECodes),
		d["en"], d["it"], d["fr"], d["de"], d["es"],
		p.ID, p.FirstName, p.LastName, p.Email, p.JobTitle, listCell(p.Languages),
		string(p.Type), maxMeetings, listCell(periods),
	}
}

// ExportOpportunities writes every opportunity of an event in ID order.
func (tx *Tx) ExportOpportunities(eventID string, w RowWriter) error {
	opps, err := tx.Opportunities(eventID)
	if err != nil {
		return err
	}
	if err := w.Write(OpportunityColumns); err != nil {
		return err
	}
	emails := map[string]string{}
	for i := range opps {
		o := &opps[i]
		email, ok := emails[o.ParticipantID]
		if !ok {
			if p, err := tx.Participant(eventID, o.ParticipantID); err == nil {
				email = p.Email
			}
			emails[o.ParticipantID] = email
		}
		if err := w.Write(opportunityRow(o, email)); err != nil {
			return err
		}
	}
	return nil
}

func opportunityRow(o *Opportunity, email string) []string {
	kinds := make([]string, len(o.PartnerSought.Kinds))
	for i, k := range o.PartnerSought.Kinds {
		kinds[i] = string(k)
	}
	expires := ""
	if o.Expires != nil {
		expires = o.Expires.Format(time.DateOnly)
	}
	return []string{
		o.ID, o.ParticipantID, email, string(o.Kind), string(o.ProfileType), o.Title, o.Summary,
		o.Description, o.Language, listCell(o.Keywords), listCell(o.TechCodes), listCell(o.NACECodes), o.Stage, o.IPR,
		listCell(kinds), o.PartnerSought.Role, expires,
	}
}
