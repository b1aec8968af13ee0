package profiles

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// CSVKind says what the rows of a CSV file describe.
type CSVKind string

// CSV file kinds.
const (
	// CSVParticipants: one row per participant, with the columns of their
	// organization repeated on each of its participants' rows.
	CSVParticipants CSVKind = "participants"
	// CSVOpportunities: one row per opportunity.
	CSVOpportunities CSVKind = "opportunities"
)

// CSVOptions tunes the CSV importers.
type CSVOptions struct {
	EventID string
	File    string // name used in error messages
	// Progress, when set, is called every 500 rows and at the end.
	Progress func(rows int)
}

// CSVStats counts what a CSV import wrote.
type CSVStats struct {
	Rows                 int
	OrganizationsCreated int
	OrganizationsUpdated int
	ParticipantsCreated  int
	ParticipantsUpdated  int
	OpportunitiesCreated int
	OpportunitiesUpdated int
}

// DetectCSVKind tells from a CSV header which importer it is for.
func DetectCSVKind(r io.Reader, name string) (CSVKind, error) {
	f, err := openCSV(r, name)
	if err != nil {
		return "", err
	}
	return f.kind()
}

// DetectKind tells from the header row of any row source (a worksheet)
// which importer it is for. It reads only the header.
func DetectKind(rows RowReader, name string) (CSVKind, error) {
	f, err := openRows(rows, name)
	if err != nil {
		return "", err
	}
	return f.kind()
}

func (f *csvFile) kind() (CSVKind, error) {
	name := f.name
	switch {
	case f.has("title") && (f.has("participant_id") || f.has("participant_email")):
		return CSVOpportunities, nil
	case f.has("organization") || f.has("organization_name"):
		return CSVParticipants, nil
	}
	return "", &LineError{File: name, Line: 1, Err: fmt.Errorf("%w: header %q is neither a participants file (needs organization) nor an opportunities file (needs title and participant_id or participant_email)", ErrInvalid, strings.Join(f.header, ","))}
}

// participantColumns maps entity field names to participants-CSV columns.
var participantColumns = map[string]string{
	"name": "organization", "id": "organization_id", "type": "participation_type",
	"descriptions": "description_language", "organization_id": "organization_id",
}

// ImportParticipantsCSV imports organizations with their participants. Rows
// of existing organizations and participants update them (columns the file
// lacks keep their stored values). Run it inside Store.Update: on the first
// bad row it returns a *LineError and the transaction writes nothing.
func (tx *Tx) ImportParticipantsCSV(r io.Reader, opts CSVOptions) (CSVStats, error) {
	return tx.importRows(opts, func() (*csvFile, error) { return openCSV(r, opts.File) }, tx.importParticipants)
}

// ImportParticipants is ImportParticipantsCSV over any row source, such as
// the first worksheet of an XLSX file: the same columns, the same rules,
// errors naming the row number as the line.
func (tx *Tx) ImportParticipants(rows RowReader, opts CSVOptions) (CSVStats, error) {
	return tx.importRows(opts, func() (*csvFile, error) { return openRows(rows, opts.File) }, tx.importParticipants)
}

// importRows checks the event, opens the rows and imports them with
// importFile: the shared start of every CSV and worksheet import.
func (tx *Tx) importRows(opts CSVOptions, open func() (*csvFile, error), importFile func(*csvFile, CSVOptions) (CSVStats, error)) (CSVStats, error) {
	if _, err := tx.Event(opts.EventID); err != nil {
		return CSVStats{}, err
	}
	f, err := open()
	if err != nil {
		return CSVStats{}, err
	}
	return importFile(f, opts)
}

func (tx *Tx) importParticipants(f *csvFile, opts CSVOptions) (CSVStats, error) {
	var stats CSVStats
	ev, err := tx.Event(opts.EventID)
	if err != nil {
		return stats, err
	}
	loc, err := ev.Location()
	if err != nil {
		return stats, err
	}
	if f.has("organization_name") && !f.has("organization") {
		f.columns["organization"] = f.columns["organization_name"]
	}
	if err := f.require("organization", "kind", "country"); err != nil {
		return stats, err
	}
	if !f.has("first_name") && !f.has("last_name") && !f.has("name") {
		return stats, f.require("last_name")
	}
	seenOrg := map[string]int{}  // organization ID -> line that first set it in this file
	seenPart := map[string]int{} // participant ID -> line
	for {
		ok, err := f.next()
		if err != nil || !ok {
			return stats, err
		}
		if stats.Rows++; stats.Rows > maxCSVRows {
			return stats, f.failf("", "more than %d rows", maxCSVRows)
		}
		org, created, err := f.organization(tx, opts.EventID, seenOrg)
		if err != nil {
			return stats, err
		}
		if org != nil {
			if err := tx.PutOrganization(org); err != nil {
				return stats, f.entityError(participantColumns, err)
			}
			if created {
				stats.OrganizationsCreated++
			} else {
				stats.OrganizationsUpdated++
			}
		}
		orgID, _ := f.organizationID()
		p, created, err := f.participant(tx, opts.EventID, orgID, loc, seenPart)
		if err != nil {
			return stats, err
		}
		if err := tx.PutParticipant(p); err != nil {
			return stats, f.entityError(participantColumns, err)
		}
		if created {
			stats.ParticipantsCreated++
		} else {
			stats.ParticipantsUpdated++
		}
		if opts.Progress != nil && stats.Rows%500 == 0 {
			opts.Progress(stats.Rows)
		}
	}
}

// organizationID is the organization_id column, or a slug of name and country.
func (f *csvFile) organizationID() (string, string) {
	if id := f.get("organization_id"); id != "" {
		return id, "organization_id"
	}
	return Slug(f.get("organization")) + "-" + strings.ToLower(f.get("country")), "organization"
}

// organization builds the organization of the current row, merged over the
// stored one. It returns nil when an earlier row of the file already wrote
// it (after checking that this row agrees).
func (f *csvFile) organization(tx *Tx, eventID string, seen map[string]int) (*Organization, bool, error) {
	id, idCol := f.organizationID()
	if !ValidID(id) {
		return nil, false, f.failf(idCol, "gives no usable organization ID (%q)", id)
	}
	kind, err := parseOrgKind(f.get("kind"))
	if err != nil {
		return nil, false, f.fail("kind", err)
	}
	country := strings.ToUpper(f.get("country"))
	if first, ok := seen[id]; ok {
		stored, err := tx.Organization(eventID, id)
		if err != nil {
			return nil, false, err
		}
		if stored.Kind != kind {
			return nil, false, f.failf("kind", "organization %q has kind %q on line %d", id, stored.Kind, first)
		}
		if stored.Country != country {
			return nil, false, f.failf("country", "organization %q has country %q on line %d", id, stored.Country, first)
		}
		return nil, false, nil
	}
	seen[id] = f.line
	org, err := tx.Organization(eventID, id)
	created := errors.Is(err, ErrNotFound)
	switch {
	case created:
		org = &Organization{ID: id, EventID: eventID}
	case err != nil:
		return nil, false, err
	}
	org.Name, org.Kind, org.Country = f.get("organization"), kind, country
	setIf(f, "region", &org.Region)
	setIf(f, "city", &org.City)
	setIf(f, "website", &org.Website)
	setIf(f, "size", &org.Size)
	setListIf(f, "sectors", &org.Sectors)
	setListIf(f, "keywords", &org.Keywords)
	setListIf(f, "tech_codes", &org.TechCodes)
	setListIf(f, "nace_codes", &org.NACECodes)
	if f.has("description") {
		lang := strings.ToLower(f.get("description_language"))
		if lang == "" {
			lang = "en"
		}
		setDescription(org, lang, f.get("description"))
	}
	for _, lang := range []string{"en", "it", "fr", "de", "es"} {
		if col := "description_" + lang; f.has(col) {
			setDescription(org, lang, f.get(col))
		}
	}
	return org, created, nil
}

func setDescription(org *Organization, lang, text string) {
	if text == "" {
		delete(org.Descriptions, lang)
		return
	}
	if org.Descriptions == nil {
		org.Descriptions = map[string]string{}
	}
	org.Descriptions[lang] = text
}

func setIf(f *csvFile, col string, dst *string) {
	if f.has(col) {
		*dst = f.get(col)
	}
}

func setListIf(f *csvFile, col string, dst *[]string) {
	if f.has(col) {
		*dst = f.list(col)
	}
}

// participant builds the participant of the current row, merged over the stored one.
func (f *csvFile) participant(tx *Tx, eventID, orgID string, loc *time.Location, seen map[string]int) (*Participant, bool, error) {
	first, last := f.get("first_name"), f.get("last_name")
	if first == "" && last == "" && f.has("name") {
		full := strings.Fields(f.get("name"))
		if len(full) > 0 {
			first, last = strings.Join(full[:len(full)-1], " "), full[len(full)-1]
		}
	}
	email := strings.ToLower(f.get("email"))
	id, idCol := f.get("participant_id"), "participant_id"
	switch {
	case id != "":
	case email != "":
		id, idCol = "p-"+Slug(email), "email"
	default:
		id, idCol = "p-"+Slug(first+" "+last+" "+orgID), "last_name"
	}
	if !ValidID(id) {
		return nil, false, f.failf(idCol, "gives no usable participant ID (%q)", id)
	}
	if line, dup := seen[id]; dup {
		return nil, false, f.failf(idCol, "participant %q is already on line %d", id, line)
	}
	seen[id] = f.line
	p, err := tx.Participant(eventID, id)
	created := errors.Is(err, ErrNotFound)
	switch {
	case created:
		p = &Participant{ID: id, EventID: eventID, Type: TypeDelegate}
	case err != nil:
		return nil, false, err
	}
	p.OrganizationID, p.FirstName, p.LastName = orgID, first, last
	if f.has("email") {
		p.Email = email
	}
	setIf(f, "job_title", &p.JobTitle)
	setListIf(f, "languages", &p.Languages)
	if f.has("participation_type") {
		t := strings.ToLower(strings.ReplaceAll(f.get("participation_type"), " ", "_"))
		if t == "" {
			t = string(TypeDelegate)
		}
		p.Type = ParticipationType(t)
		if !p.Type.Valid() {
			return nil, false, f.failf("participation_type", "must be one of %v", ParticipationTypes)
		}
	}
	if f.has("max_meetings") {
		p.MaxMeetings = 0
		if v := f.get("max_meetings"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return nil, false, f.failf("max_meetings", "must be a whole number of meetings, 0 or more")
			}
			p.MaxMeetings = n
		}
	}
	if f.has("unavailable") {
		periods, err := parsePeriods(f.list("unavailable"), loc)
		if err != nil {
			return nil, false, f.fail("unavailable", err)
		}
		p.Unavailable = periods
	}
	return p, created, nil
}

// parsePeriods reads "2027-03-16T12:00/2027-03-16T18:00" periods in the event's zone.
func parsePeriods(items []string, loc *time.Location) ([]Period, error) {
	var out []Period
	for _, item := range items {
		from, to, ok := strings.Cut(item, "/")
		if !ok {
			return nil, fmt.Errorf("%w: period %q: expected START/END like 2027-03-16T12:00/2027-03-16T18:00", ErrInvalid, item)
		}
		start, err1 := parseLocalTime(from, loc)
		end, err2 := parseLocalTime(to, loc)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("%w: period %q: %w", ErrInvalid, item, err)
		}
		if !end.After(start) {
			return nil, fmt.Errorf("%w: period %q ends before it starts", ErrInvalid, item)
		}
		out = append(out, Period{Start: start, End: end})
	}
	return out, nil
}

func parseLocalTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			if !plausibleTime(t) {
				return time.Time{}, fmt.Errorf("time %q: year out of range", s)
			}
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: expected YYYY-MM-DDTHH:MM", s)
}

// parseOrgKind accepts the kind codes and the labels registration tools
// show ("SME", "Large company", "Research centre/institute", "R&D institution").
func parseOrgKind(v string) (OrgKind, error) {
	key := strings.Trim(orgKindSpelling.Replace(strings.ToLower(strings.TrimSpace(v))), "_")
	k := OrgKind(key)
	if alias, ok := orgKindAliases[key]; ok {
		k = alias
	}
	if !k.Valid() {
		return "", fmt.Errorf("%w: unknown organization kind, expected one of %v", ErrInvalid, OrgKinds)
	}
	return k, nil
}

// orgKindSpelling and orgKindAliases are built once for every row's kind.
var (
	orgKindSpelling = strings.NewReplacer(" ", "_", "-", "_", "/", "_", "&", "")
	orgKindAliases  = map[string]OrgKind{
		"start_up": KindStartup, "company": KindLargeCompany, "large_enterprise": KindLargeCompany,
		"university": KindUniversity, "higher_education": KindUniversity, "research_center": KindResearchCentre,
		"research_centre_institute": KindResearchCentre, "rd_institution": KindResearchCentre, "research_institute": KindResearchCentre,
		"hospital_clinic": KindHospital, "clinic": KindHospital, "public_authority": KindPublicBody, "government": KindPublicBody,
		"cluster": KindClusterAssociation, "association": KindClusterAssociation, "investor_vc": KindInvestor, "venture_capital": KindInvestor,
	}
)

// opportunityColumns maps entity field names to opportunities-CSV columns.
var opportunityColumns = map[string]string{
	"id": "opportunity_id", "participant_id": "participant_id", "partner_sought.kinds": "partner_kinds",
}

// ImportOpportunitiesCSV imports opportunities, each published by a
// participant named by participant_id or participant_email. Run it inside
// Store.Update: on the first bad row it returns a *LineError and the
// transaction writes nothing.
func (tx *Tx) ImportOpportunitiesCSV(r io.Reader, opts CSVOptions) (CSVStats, error) {
	return tx.importRows(opts, func() (*csvFile, error) { return openCSV(r, opts.File) }, tx.importOpportunities)
}

// ImportOpportunities is ImportOpportunitiesCSV over any row source.
func (tx *Tx) ImportOpportunities(rows RowReader, opts CSVOptions) (CSVStats, error) {
	return tx.importRows(opts, func() (*csvFile, error) { return openRows(rows, opts.File) }, tx.importOpportunities)
}

func (tx *Tx) importOpportunities(f *csvFile, opts CSVOptions) (CSVStats, error) {
	var stats CSVStats
	if err := f.require("title"); err != nil {
		return stats, err
	}
	if !f.has("participant_id") && !f.has("participant_email") {
		return stats, f.require("participant_id")
	}
	seen := map[string]int{}
	for {
		ok, err := f.next()
		if err != nil || !ok {
			return stats, err
		}
		if stats.Rows++; stats.Rows > maxCSVRows {
			return stats, f.failf("", "more than %d rows", maxCSVRows)
		}
		o, created, err := f.opportunity(tx, opts.EventID, seen)
		if err != nil {
			return stats, err
		}
		if err := tx.PutOpportunity(o); err != nil {
			return stats, f.entityError(opportunityColumns, err)
		}
		if created {
			stats.OpportunitiesCreated++
		} else {
			stats.OpportunitiesUpdated++
		}
		if opts.Progress != nil && stats.Rows%500 == 0 {
			opts.Progress(stats.Rows)
		}
	}
}

func (f *csvFile) opportunity(tx *Tx, eventID string, seen map[string]int) (*Opportunity, bool, error) {
	pid, pidCol := f.get("participant_id"), "participant_id"
	if pid == "" {
		pidCol = "participant_email"
		email := strings.ToLower(f.get("participant_email"))
		if email == "" {
			return nil, false, f.failf(pidCol, "a row needs participant_id or participant_email")
		}
		p, err := tx.ParticipantByEmail(eventID, email)
		if err != nil {
			return nil, false, f.fail(pidCol, err)
		}
		pid = p.ID
	} else if _, err := tx.Participant(eventID, pid); err != nil {
		return nil, false, f.fail(pidCol, err)
	}
	id, idCol := f.get("opportunity_id"), "opportunity_id"
	if id == "" {
		// Deterministic, so that re-importing the same file updates instead of duplicating.
		sum := sha256.Sum256([]byte(pid + "\x00" + f.get("title")))
		id, idCol = "opp-"+hex.EncodeToString(sum[:6]), "title"
	}
	if !ValidID(id) {
		return nil, false, f.failf(idCol, "gives no usable opportunity ID (%q)", id)
	}
	if line, dup := seen[id]; dup {
		return nil, false, f.failf(idCol, "opportunity %q is already on line %d", id, line)
	}
	seen[id] = f.line
	o, err := tx.Opportunity(eventID, id)
	created := errors.Is(err, ErrNotFound)
	switch {
	case created:
		o = &Opportunity{ID: id, EventID: eventID, Language: "en"}
	case err != nil:
		return nil, false, err
	}
	o.ParticipantID, o.OrganizationID = pid, ""
	o.Title = f.get("title")
	if f.has("profile_type") {
		o.ProfileType = ProfileType(strings.ToLower(strings.ReplaceAll(f.get("profile_type"), " ", "_")))
		if o.ProfileType != "" && !o.ProfileType.Valid() {
			return nil, false, f.failf("profile_type", "must be one of %v", ProfileTypes)
		}
	}
	if f.has("kind") && f.get("kind") != "" {
		o.Kind = OpportunityKind(strings.ToLower(f.get("kind")))
	} else if o.ProfileType != "" {
		o.Kind = o.ProfileType.Kind()
	}
	if o.Kind == "" {
		return nil, false, f.failf("kind", "needs kind (offer, request, partnership) or profile_type")
	}
	setIf(f, "summary", &o.Summary)
	setIf(f, "description", &o.Description)
	if f.has("language") {
		o.Language = strings.ToLower(f.get("language"))
		if o.Language == "" {
			o.Language = "en"
		}
	}
	setListIf(f, "keywords", &o.Keywords)
	setListIf(f, "tech_codes", &o.TechCodes)
	setListIf(f, "nace_codes", &o.NACECodes)
	setIf(f, "stage", &o.Stage)
	setIf(f, "ipr", &o.IPR)
	setIf(f, "partner_role", &o.PartnerSought.Role)
	if f.has("partner_kinds") {
		o.PartnerSought.Kinds = nil
		for _, v := range f.list("partner_kinds") {
			k, err := parseOrgKind(v)
			if err != nil {
				return nil, false, f.fail("partner_kinds", err)
			}
			o.PartnerSought.Kinds = append(o.PartnerSought.Kinds, k)
		}
	}
	if f.has("expires") {
		o.Expires = nil
		if v := f.get("expires"); v != "" {
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return nil, false, f.failf("expires", "must be a date YYYY-MM-DD")
			}
			o.Expires = &t
		}
	}
	return o, created, nil
}
