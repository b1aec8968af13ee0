package profiles

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// CORDISOptions tunes CORDISBundle. The zero value is usable.
type CORDISOptions struct {
	// EventID and EventName name the event; defaults "cordis-health" and
	// "CORDIS health consortia".
	EventID   string
	EventName string
	// Date is the event's single day (YYYY-MM-DD); default the cutoff's
	// date, or 2025-01-01 without a cutoff.
	Date string
	// Cutoff, when not zero, keeps only projects that start before it:
	// a later project contributes nothing, not even membership.
	Cutoff time.Time
	// MaxKeywords and MaxSectors cap an organization's keywords (default
	// 25) and sectors (default 12); MaxTextProjects caps how many of its
	// most recent projects go into its profile text (default 8; fewer
	// when the text would outgrow CapLong).
	MaxKeywords     int
	MaxSectors      int
	MaxTextProjects int
	// Progress, when set, is called as organizations are built.
	Progress func(done, total int)
}

// CORDISSource is the credit the CORDIS reuse notice asks for.
const CORDISSource = "Source: CORDIS, European Commission"

// cordisMember is one organization in one project, after deduplication.
type cordisMember struct {
	project *CORDISProject
	row     *CORDISParticipation
	role    string
}

// cordisRoleRank orders the member roles when an organization holds two in one project.
var cordisRoleRank = map[string]int{CORDISCoordinator: 3, CORDISParticipant: 2, CORDISAssociatedPartner: 1}

// CORDISBundle builds an event with one Organization per PIC from CORDIS
// projects and participations. An organization is a member of a project
// when it is coordinator, participant or associated partner (a third party
// is not); one organization in one project counts once, with its strongest
// role. The organization's kind, profile text, keywords and sectors come
// from its rows and its projects only (see CORDISKind). Output is sorted by
// ID, so the same input gives the same bundle.
func CORDISBundle(projects []CORDISProject, parts []CORDISParticipation, opts CORDISOptions) (*Bundle, error) {
	opts = opts.withDefaults()
	ev := Event{
		ID:             opts.EventID,
		Name:           opts.EventName,
		Description:    "Organizations of Horizon Europe health consortia, profiled from the projects they took part in. " + CORDISSource + ".",
		TimeZone:       "Europe/Brussels",
		Days:           []Day{{Date: opts.Date, Sessions: []Session{{Name: "Morning", Start: "09:00", End: "12:30"}, {Name: "Afternoon", Start: "14:00", End: "17:30"}}}},
		MeetingMinutes: 20,
		GapMinutes:     5,
		Tables:         50,
		Policy:         RequestPolicy{MaxPendingOutgoing: 20, ExpiryHours: 168},
		Source:         CORDISSource + ".",
	}
	if err := ev.Validate(); err != nil {
		return nil, err
	}
	byID := make(map[string]*CORDISProject, len(projects))
	for i := range projects {
		p := &projects[i]
		if !opts.Cutoff.IsZero() && !p.StartDate.Before(opts.Cutoff) {
			continue
		}
		byID[p.ID] = p
	}
	// Deduplicate on (project, organization), keeping the strongest role.
	members := map[string]map[string]*cordisMember{} // orgID -> projectID -> member
	for i := range parts {
		row := &parts[i]
		proj, ok := byID[row.ProjectID]
		if !ok || cordisRoleRank[row.Role] == 0 {
			continue
		}
		m := members[row.OrgID]
		if m == nil {
			m = map[string]*cordisMember{}
			members[row.OrgID] = m
		}
		if old, ok := m[row.ProjectID]; !ok || cordisRoleRank[row.Role] > cordisRoleRank[old.role] {
			m[row.ProjectID] = &cordisMember{project: proj, row: row, role: row.Role}
		}
	}
	orgIDs := make([]string, 0, len(members))
	for id := range members {
		orgIDs = append(orgIDs, id)
	}
	slices.Sort(orgIDs)
	b := &Bundle{Event: ev, Organizations: make([]Organization, 0, len(orgIDs))}
	for i, orgID := range orgIDs {
		list := make([]*cordisMember, 0, len(members[orgID]))
		for _, m := range members[orgID] {
			list = append(list, m)
		}
		// Most recent first; the newest row describes the organization best.
		slices.SortFunc(list, func(a, b *cordisMember) int {
			if c := b.project.StartDate.Compare(a.project.StartDate); c != 0 {
				return c
			}
			return strings.Compare(b.project.ID, a.project.ID)
		})
		org, err := cordisOrganization(ev.ID, orgID, list, opts)
		if err != nil {
			return nil, err
		}
		b.Organizations = append(b.Organizations, org)
		if opts.Progress != nil && ((i+1)%500 == 0 || i+1 == len(orgIDs)) {
			opts.Progress(i+1, len(orgIDs))
		}
	}
	b.normalize()
	return b, nil
}

func (o CORDISOptions) withDefaults() CORDISOptions {
	if o.EventID == "" {
		o.EventID = "cordis-health"
	}
	if o.EventName == "" {
		o.EventName = "CORDIS health consortia"
	}
	if o.Date == "" {
		o.Date = "2025-01-01"
		if !o.Cutoff.IsZero() {
			o.Date = o.Cutoff.Format(time.DateOnly)
		}
	}
	if o.MaxKeywords <= 0 {
		o.MaxKeywords = 25
	}
	if o.MaxSectors <= 0 {
		o.MaxSectors = 12
	}
	if o.MaxTextProjects <= 0 {
		o.MaxTextProjects = 8
	}
	return o
}

// cordisOrganization builds one organization from its memberships, most recent first.
func cordisOrganization(eventID, orgID string, list []*cordisMember, opts CORDISOptions) (Organization, error) {
	latest := list[0].row
	org := Organization{
		ID:          "pic-" + orgID,
		EventID:     eventID,
		Name:        latest.Name,
		Country:     latest.Country,
		City:        cordisCity(latest.City),
		Website:     cordisWebsite(list),
		ExternalIDs: map[string]string{"pic": orgID},
	}
	// A few PICs change their SME flag between rows; the most recent
	// stated one wins, as it does for name, city and website.
	var sme *bool
	onlyEIC := true
	for _, m := range list {
		if sme == nil && m.row.SME != nil {
			sme = m.row.SME
		}
		if !strings.HasPrefix(m.project.FundingScheme, "HORIZON-EIC") {
			onlyEIC = false
		}
	}
	org.Kind = CORDISKind(latest.ActivityType, sme != nil && *sme, org.Name, onlyEIC)

	keywords := newCORDISTermCounter()
	sectors := newCORDISTermCounter()
	var text strings.Builder
	for i, m := range list {
		p := m.project
		org.Projects = append(org.Projects, ProjectRef{ID: p.ID, Acronym: p.Acronym, StartDate: p.StartDate.Format(time.DateOnly), Role: m.role,
			Title: capText(p.Title, CapLine), Keywords: capKeywords(p.Keywords), Text: capText(p.Objective, CapLong)})
		for _, k := range p.Keywords {
			keywords.add(k)
		}
		for _, path := range p.EuroSciVoc {
			for _, term := range euroSciVocTerms(path) {
				sectors.add(term)
			}
		}
		// The profile text names the most recent projects; their full text
		// is the track record (Projects).
		if i < opts.MaxTextProjects {
			if text.Len() == 0 {
				fmt.Fprintf(&text, "Took part in %d Horizon Europe health project(s); the most recent:", len(list))
			}
			fmt.Fprintf(&text, "\n%s (%s, %s).", strings.TrimRight(p.Title, "."), p.Acronym, p.StartDate.Format("2006"))
			if len(p.EuroSciVoc) > 0 {
				fmt.Fprintf(&text, " Fields: %s.", strings.Join(euroSciVocLeaves(p.EuroSciVoc), ", "))
			}
		}
	}
	slices.SortFunc(org.Projects, func(a, b ProjectRef) int {
		return cmp.Or(strings.Compare(a.StartDate, b.StartDate), strings.Compare(a.ID, b.ID))
	})
	if text.Len() > 0 {
		org.Descriptions = map[string]string{"en": text.String()}
	}
	org.Keywords = keywords.top(opts.MaxKeywords)
	org.Sectors = sectors.top(opts.MaxSectors)
	if err := org.Validate(); err != nil {
		return Organization{}, fmt.Errorf("CORDIS organization %s: %w", orgID, err)
	}
	return org, nil
}

// CORDISKind maps a CORDIS organization to a kind.
//
// The base comes from the activity type: PRC is an SME when flagged so and
// a large company otherwise, HES a university, REC a research centre, PUB a
// public body, OTH other. Two overlays refine it, because CORDIS has no
// such categories:
//   - a name that clearly names a hospital or clinic (HOSPITAL, OSPEDALE,
//     IRCCS, KLINIKUM, CLINIC, HOPITAL, ASSISTANCE PUBLIQUE, SZPITAL,
//     ZIEKENHUIS, UNIVERSITAIR MEDISCH CENTRUM, SYGEHUS, UMC, MEDICAL
//     CENTER, ...; see IsHospitalName) makes a hospital, whatever the
//     activity type: university hospitals are registered as HES or REC,
//     public ones as PUB, but they meet as hospitals at brokerage events;
//   - an SME whose projects are all EIC-funded (HORIZON-EIC*, the
//     Accelerator and Pathfinder schemes for young deep-tech firms) is a
//     start-up. The test is on the projects given, so a cutoff applies.
func CORDISKind(activityType string, sme bool, name string, onlyEIC bool) OrgKind {
	if IsHospitalName(name) {
		return KindHospital
	}
	switch activityType {
	case "PRC":
		switch {
		case sme && onlyEIC:
			return KindStartup
		case sme:
			return KindSME
		default:
			return KindLargeCompany
		}
	case "HES":
		return KindUniversity
	case "REC":
		return KindResearchCentre
	case "PUB":
		return KindPublicBody
	}
	return KindOther
}

// cordisHospitalStems match anywhere in a word (they are long enough not to
// occur by accident: UNIVERSITAETSKLINIKUM, HOSPITALARIO, OSPEDALIERA).
var cordisHospitalStems = []string{"HOSPITAL", "OSPEDAL", "IRCCS", "KLINIKUM", "HOPITA", "SZPITAL", "ZIEKENHUIS",
	"SYGEHUS", "SJUKHUS", "SYKEHUS", "POLICLINIC", "UNIVERSITAETSMEDIZIN", "NEMOCNICE", "BOLNICA", "KORHAZ", "NOSOKOMEIO"}

// cordisHospitalWords match whole words only ("CLINIC" but not "CLINICAL").
var cordisHospitalWords = []string{"CLINIC", "CLINICS", "CLINIQUE", "KLINIK", "KLINIKEN", "CHU", "CHRU", "UMC"}

// cordisHospitalFirstWords match as the first word only: CLINICA is a
// clinic in "CLINICA UNIVERSIDAD DE NAVARRA" but means clinical in
// "CENTRO DE INVESTIGACION CLINICA".
var cordisHospitalFirstWords = []string{"CLINICA", "KLINIKA"}

// cordisHospitalPhrases match as word sequences.
var cordisHospitalPhrases = []string{"ASSISTANCE PUBLIQUE", "UNIVERSITAIR MEDISCH CENTRUM", "ACADEMISCH MEDISCH CENTRUM",
	"MEDICAL CENTER", "MEDICAL CENTRE", "MEDISCH CENTRUM", "CENTRE HOSPITALIER", "HEALTH SERVICE EXECUTIVE"}

// IsHospitalName reports whether an organization name clearly names a
// hospital or clinic, in any of the languages CORDIS names appear in.
func IsHospitalName(name string) bool {
	words := cordisNameWords(name)
	joined := " " + strings.Join(words, " ") + " "
	for _, w := range words {
		for _, s := range cordisHospitalStems {
			if strings.Contains(w, s) {
				return true
			}
		}
		if slices.Contains(cordisHospitalWords, w) {
			return true
		}
	}
	if len(words) > 0 && slices.Contains(cordisHospitalFirstWords, words[0]) {
		return true
	}
	for _, p := range cordisHospitalPhrases {
		if strings.Contains(joined, " "+p+" ") {
			return true
		}
	}
	return false
}

// cordisNameWords upper-cases a name, drops accents and splits it into words of letters and digits.
func cordisNameWords(name string) []string {
	var b strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToUpper(r))
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Fields(b.String())
}

// euroSciVocTerms returns the sector terms of one euroSciVoc path: its
// second level (e.g. "clinical medicine") and its leaf (e.g. "oncology").
// The first level ("medical and health sciences") says too little.
func euroSciVocTerms(path string) []string {
	levels := cordisSplit(path, "/")
	switch len(levels) {
	case 0:
		return nil
	case 1, 2:
		return levels[len(levels)-1:]
	}
	return []string{levels[1], levels[len(levels)-1]}
}

// euroSciVocLeaves returns the leaf terms of paths, without duplicates.
func euroSciVocLeaves(paths []string) []string {
	var out []string
	for _, p := range paths {
		levels := cordisSplit(p, "/")
		if len(levels) > 0 && !slices.Contains(out, levels[len(levels)-1]) {
			out = append(out, levels[len(levels)-1])
		}
	}
	return out
}

// cordisTermCounter counts terms case-insensitively and remembers the first spelling.
type cordisTermCounter struct {
	count    map[string]int
	spelling map[string]string
}

func newCORDISTermCounter() *cordisTermCounter {
	return &cordisTermCounter{count: map[string]int{}, spelling: map[string]string{}}
}

func (c *cordisTermCounter) add(term string) {
	key := strings.ToLower(strings.Join(strings.Fields(term), " "))
	if key == "" {
		return
	}
	if _, ok := c.spelling[key]; !ok {
		c.spelling[key] = strings.Join(strings.Fields(term), " ")
	}
	c.count[key]++
}

// top returns at most n terms, most frequent first, ties alphabetically.
func (c *cordisTermCounter) top(n int) []string {
	keys := make([]string, 0, len(c.count))
	for k := range c.count {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(c.count[b]-c.count[a], strings.Compare(a, b)) })
	if len(keys) > n {
		keys = keys[:n]
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = c.spelling[k]
	}
	return out
}

// cordisCity turns CORDIS's upper-case city into title case.
func cordisCity(city string) string {
	words := strings.Fields(strings.ToLower(city))
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// cordisWebsite returns the most recent usable web address of an
// organization, with a scheme.
func cordisWebsite(list []*cordisMember) string {
	for _, m := range list {
		raw := strings.TrimSpace(m.row.URL)
		if raw == "" {
			continue
		}
		if !strings.Contains(raw, "://") {
			raw = "http://" + raw
		}
		if u, err := url.Parse(raw); err == nil && u.Host != "" && strings.Contains(u.Host, ".") {
			return raw
		}
	}
	return ""
}

// capText cuts s to at most n characters.
func capText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// capKeywords keeps at most CapItems keywords of at most CapName characters.
func capKeywords(ks []string) []string {
	out := make([]string, 0, min(len(ks), CapItems))
	for _, k := range ks[:min(len(ks), CapItems)] {
		out = append(out, capText(strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, k), CapName))
	}
	return out
}
