package demo

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/matchgrid/matchgrid/profiles"
)

// EventID is the ID of the demo event.
const EventID = "mhc-2027"

// BuildOptions tunes Build. The zero value gives the shipped demo event.
type BuildOptions struct {
	// Cutoff keeps only CORDIS projects that start before it; default 2025-01-01.
	Cutoff time.Time
	// Organizations, Participants and Requests are the target sizes;
	// defaults 300, 350 and 500.
	Organizations int
	Participants  int
	Requests      int
	// Seed makes the invented parts (people, states, times) reproducible; default 2027.
	Seed uint64
	// Progress, when set, is told what Build is doing.
	Progress func(stage string)
}

func (o BuildOptions) withDefaults() BuildOptions {
	if o.Cutoff.IsZero() {
		o.Cutoff = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if o.Organizations <= 0 {
		o.Organizations = 300
	}
	if o.Participants <= 0 {
		o.Participants = 350
	}
	if o.Requests <= 0 {
		o.Requests = 500
	}
	if o.Seed == 0 {
		o.Seed = 2027
	}
	return o
}

// ErrNotEnoughData means the CORDIS input is too small for the demo event.
var ErrNotEnoughData = errors.New("not enough CORDIS data for the demo event")

// builder carries the state of one Build run.
type builder struct {
	opts     BuildOptions
	rng      *rand.Rand
	loc      *time.Location
	event    profiles.Event
	projects map[string]*profiles.CORDISProject
	orgs     []profiles.Organization // selected, sorted by ID
	orgByID  map[string]*profiles.Organization
	people   []profiles.Participant
	opps     []profiles.Opportunity
	requests []profiles.MeetingRequest
	emails   map[string]bool
}

// Build makes the demo event from CORDIS projects and participations:
// organizations, their profile texts and every topic come from CORDIS;
// people, e-mail addresses, participation details and meeting requests are
// invented, reproducibly (fixed seed). The result validates and imports
// into a store.
func Build(projects []profiles.CORDISProject, parts []profiles.CORDISParticipation, opts BuildOptions) (*profiles.Bundle, error) {
	opts = opts.withDefaults()
	b := &builder{
		opts:     opts,
		rng:      rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		projects: make(map[string]*profiles.CORDISProject, len(projects)),
		emails:   map[string]bool{},
	}
	for i := range projects {
		b.projects[projects[i].ID] = &projects[i]
	}
	b.event = demoEvent()
	loc, err := b.event.Location()
	if err != nil {
		return nil, err
	}
	b.loc = loc
	b.progress("profiling organizations")
	base, err := profiles.CORDISBundle(projects, parts, profiles.CORDISOptions{
		EventID: EventID, EventName: b.event.Name, Cutoff: opts.Cutoff,
		MaxKeywords: 15, MaxSectors: 8, MaxTextProjects: 3,
	})
	if err != nil {
		return nil, err
	}
	b.progress("choosing organizations")
	if err := b.selectOrganizations(base.Organizations); err != nil {
		return nil, err
	}
	b.progress("inventing participants")
	b.inventParticipants()
	b.progress("writing opportunities")
	b.writeOpportunities()
	b.progress("sending meeting requests")
	b.sendRequests()
	bundle := &profiles.Bundle{
		Event:         b.event,
		Organizations: b.orgs,
		Participants:  b.people,
		Opportunities: b.opps,
		Requests:      b.requests,
		Meetings:      []profiles.Meeting{},
	}
	if err := validateBundle(bundle); err != nil {
		return nil, err
	}
	return bundle, nil
}

func (b *builder) progress(stage string) {
	if b.opts.Progress != nil {
		b.opts.Progress(stage)
	}
}

// demoEvent is the invented event: two days in Milan in March 2027.
func demoEvent() profiles.Event {
	tables := make([]string, 0, 40)
	for i := 1; i <= 30; i++ {
		tables = append(tables, fmt.Sprintf("T%02d", i))
	}
	for i := 1; i <= 10; i++ {
		tables = append(tables, fmt.Sprintf("Booth %d", i))
	}
	const credit = profiles.CORDISSource + ". Organizations, their projects and every topic text come from CORDIS " +
		"(Horizon Europe health projects starting before 2025); the people, e-mail addresses, participation details, " +
		"the framing of the opportunities and the meeting requests are invented for this demo."
	return profiles.Event{
		ID:   EventID,
		Name: "Milano Health Crossroads 2027 – Life Sciences Brokerage Event",
		Description: "A fictitious two-day partnering event for life-science SMEs, start-ups, large companies, hospitals, " +
			"universities, research centres and public bodies: pre-arranged 20-minute one-to-one meetings on " +
			"diagnostics, therapeutics, medical devices, digital health and clinical research. " + credit,
		Venue:    "Milan, Italy (demo venue)",
		TimeZone: "Europe/Rome",
		Days: []profiles.Day{
			{
				Date: "2027-03-17",
				Sessions: []profiles.Session{
					{Name: "Day 1 morning", Start: "09:30", End: "13:00"},
					{Name: "Day 1 afternoon", Start: "14:30", End: "17:30"},
				},
				Breaks: []profiles.Break{{Name: "Coffee break", Start: "11:10", End: "11:30"}, {Name: "Coffee break", Start: "15:55", End: "16:10"}},
			},
			{
				Date: "2027-03-18",
				Sessions: []profiles.Session{
					{Name: "Day 2 morning", Start: "09:00", End: "13:00"},
					{Name: "Day 2 afternoon", Start: "14:00", End: "16:30"},
				},
				Breaks: []profiles.Break{{Name: "Coffee break", Start: "10:40", End: "11:00"}},
			},
		},
		MeetingMinutes: 20,
		GapMinutes:     5,
		Tables:         len(tables),
		TableNames:     tables,
		Policy:         profiles.RequestPolicy{AutoAccept: false, MaxPendingOutgoing: 10, ExpiryHours: 168},
		// Visitors come to see the booths and investors, not for full agendas.
		MeetingRules: []profiles.MeetingRule{{Type: profiles.TypeVisitor, MayMeet: []profiles.ParticipationType{profiles.TypeExhibitor, profiles.TypeInvestor}}},
		Source:       credit,
	}
}

// kindQuota is how many organizations of each kind the demo wants per 300.
var kindQuota = []struct {
	kind profiles.OrgKind
	n    int
}{
	{profiles.KindSME, 66}, {profiles.KindStartup, 30}, {profiles.KindLargeCompany, 30}, {profiles.KindHospital, 40},
	{profiles.KindUniversity, 55}, {profiles.KindResearchCentre, 45}, {profiles.KindPublicBody, 15},
	{profiles.KindClusterAssociation, 10}, {profiles.KindInvestor, 4}, {profiles.KindOther, 5},
}

// demoKind refines the CORDIS kind with two name tests the CORDIS data
// supports: associations and clusters (activity type OTH, which
// CORDISBundle maps to KindOther) and venture investors (companies named
// "... Ventures").
func demoKind(o *profiles.Organization) profiles.OrgKind {
	words := " " + strings.Join(upperWords(o.Name), " ") + " "
	switch {
	case o.Kind == profiles.KindOther && containsAny(words, " CLUSTER ", " CLUSTERS ", " ASSOCIATION ", " ASSOCIATIONS ",
		" ASOCIACION ", " ASSOCIAZIONE ", " ASSOCIACAO ", " FEDERATION ", " ALLIANCE ", " VERBAND ", " NETWORK "):
		return profiles.KindClusterAssociation
	case (o.Kind == profiles.KindSME || o.Kind == profiles.KindLargeCompany || o.Kind == profiles.KindStartup) &&
		containsAny(words, " VENTURES ", " VENTURE CAPITAL "):
		return profiles.KindInvestor
	}
	return o.Kind
}

// selectOrganizations picks organizations with a rich recent history, by
// kind quota, spreading them over countries.
func (b *builder) selectOrganizations(all []profiles.Organization) error {
	scale := float64(b.opts.Organizations) / 300
	score := func(o *profiles.Organization) int {
		s := 0
		for _, p := range o.Projects {
			s++
			if p.StartDate >= "2023-01-01" {
				s += 2
			}
		}
		return s + min(len(o.Keywords), 10)/2
	}
	byKind := map[profiles.OrgKind][]*profiles.Organization{}
	for i := range all {
		o := &all[i]
		if len(o.Keywords) < 3 || o.Description("en") == "" || !hasRecentProject(o) {
			continue
		}
		o.Kind = demoKind(o)
		byKind[o.Kind] = append(byKind[o.Kind], o)
	}
	chosen := map[string]bool{}
	for _, q := range kindQuota {
		want := int(float64(q.n)*scale + 0.5)
		cands := byKind[q.kind]
		slices.SortFunc(cands, func(x, y *profiles.Organization) int {
			return cmp.Or(score(y)-score(x), strings.Compare(x.ID, y.ID))
		})
		// At most a fifth of a kind from one country (Italy, the host, a third),
		// relaxed when a kind has too few candidates.
		perCountry := map[string]int{}
		for pass := 0; pass < 2 && want > 0; pass++ {
			for _, o := range cands {
				if want == 0 {
					break
				}
				limit := max(2, q.n/5)
				if o.Country == "IT" {
					limit = max(3, q.n/3)
				}
				if chosen[o.ID] || (pass == 0 && perCountry[o.Country] >= limit) {
					continue
				}
				chosen[o.ID] = true
				perCountry[o.Country]++
				want--
			}
		}
	}
	for i := range all {
		if chosen[all[i].ID] {
			o := all[i]
			o.Languages = slices.Clone(poolFor(o.Country).languages)
			b.orgs = append(b.orgs, o)
		}
	}
	if len(b.orgs) < b.opts.Organizations*9/10 {
		return fmt.Errorf("%w: %d organizations qualify, want about %d", ErrNotEnoughData, len(b.orgs), b.opts.Organizations)
	}
	b.orgByID = make(map[string]*profiles.Organization, len(b.orgs))
	for i := range b.orgs {
		b.orgByID[b.orgs[i].ID] = &b.orgs[i]
	}
	return nil
}

func hasRecentProject(o *profiles.Organization) bool {
	for _, p := range o.Projects {
		if p.StartDate >= "2023-01-01" {
			return true
		}
	}
	return false
}

// jobTitles are plausible roles of people a kind of organization sends.
var jobTitles = map[profiles.OrgKind][]string{
	profiles.KindSME:                {"CEO", "CTO", "Business Development Manager", "Head of R&D", "Chief Scientific Officer"},
	profiles.KindStartup:            {"Co-founder & CEO", "Co-founder & CTO", "Chief Scientific Officer", "Head of Partnerships"},
	profiles.KindLargeCompany:       {"Head of Open Innovation", "Business Development Director", "External Innovation Scout", "Head of External R&D", "Licensing Manager"},
	profiles.KindHospital:           {"Head of Clinical Research Unit", "Technology Transfer Officer", "Consultant Physician", "Research Coordinator", "Director of Innovation"},
	profiles.KindUniversity:         {"Professor", "Associate Professor", "Technology Transfer Officer", "Senior Researcher", "EU Research Project Manager"},
	profiles.KindResearchCentre:     {"Group Leader", "Senior Scientist", "Head of Technology Transfer", "Research Director", "Business Developer"},
	profiles.KindPublicBody:         {"Innovation Programme Manager", "Policy Officer", "Head of International Affairs", "Procurement Officer"},
	profiles.KindClusterAssociation: {"Project Manager", "EU Affairs Manager", "Director", "Innovation Adviser"},
	profiles.KindInvestor:           {"Investment Manager", "Partner", "Venture Associate"},
	profiles.KindOther:              {"Project Manager", "Director", "Research Manager"},
}

// inventParticipants gives each organization one person, the most active
// ones two or three, with invented names typical of their country.
func (b *builder) inventParticipants() {
	order := make([]*profiles.Organization, len(b.orgs))
	for i := range b.orgs {
		order[i] = &b.orgs[i]
	}
	slices.SortStableFunc(order, func(x, y *profiles.Organization) int { return len(y.Projects) - len(x.Projects) })
	extra := max(0, b.opts.Participants-len(b.orgs))
	threes := extra / 10
	count := map[string]int{}
	for _, o := range b.orgs {
		count[o.ID] = 1
	}
	for i, o := range order {
		switch {
		case i < threes:
			count[o.ID] = 3
			extra -= 2
		case extra > 0:
			count[o.ID] = 2
			extra--
		}
		if extra <= 0 {
			break
		}
	}
	day1, day2 := b.event.Days[0].Date, b.event.Days[1].Date
	exhibitors, online := 0, 0
	for i := range b.orgs {
		o := &b.orgs[i]
		pool := poolFor(o.Country)
		for k := 0; k < count[o.ID]; k++ {
			p := profiles.Participant{
				ID:             fmt.Sprintf("p-%04d", len(b.people)+1),
				EventID:        EventID,
				OrganizationID: o.ID,
				Type:           profiles.TypeDelegate,
				Languages:      slices.Clone(pool.languages),
			}
			p.FirstName, p.LastName = b.personName(pool)
			p.Email = b.email(p.FirstName, p.LastName, o.Website)
			titles := jobTitles[o.Kind]
			p.JobTitle = titles[(k+b.rng.IntN(len(titles)))%len(titles)]
			switch {
			case o.Kind == profiles.KindInvestor:
				p.Type = profiles.TypeInvestor
			case o.Kind == profiles.KindClusterAssociation && k == 0:
				p.Type = profiles.TypeSupportOffice
			case k == 0 && exhibitors < 10 && (o.Kind == profiles.KindSME || o.Kind == profiles.KindLargeCompany) && b.rng.IntN(5) == 0:
				table := 30 + exhibitors // the booths are the last ten tables
				p.Type, p.OwnTable = profiles.TypeExhibitor, &table
				exhibitors++
			case k == 0 && online < 3 && !europe[o.Country]:
				p.Type = profiles.TypeOnline
				online++
			case o.Kind == profiles.KindPublicBody && k > 0:
				p.Type = profiles.TypeVisitor
			}
			switch r := b.rng.IntN(100); {
			case r < 8: // leaves at lunch on day 2
				p.Unavailable = []profiles.Period{b.period(day2, "13:00", "18:00")}
			case r < 12: // arrives late on day 1
				p.Unavailable = []profiles.Period{b.period(day1, "09:00", "11:30")}
			}
			if b.rng.IntN(10) == 0 {
				p.MaxMeetings = []int{6, 8, 10, 12}[b.rng.IntN(4)]
			}
			b.people = append(b.people, p)
		}
	}
}

// europe lists the CORDIS country codes of Europe (EU, EEA, candidates, UK,
// CH); the demo's few online participants come from farther away.
var europe = map[string]bool{}

func init() {
	for _, c := range strings.Fields("AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK " +
		"UK CH NO IS LI TR RS ME MK AL BA UA MD GE AM FO XK") {
		europe[c] = true
	}
}

// period is a span on date between two wall-clock times of the event's zone.
func (b *builder) period(date, from, to string) profiles.Period {
	parse := func(hhmm string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", date+" "+hhmm, b.loc)
		if err != nil {
			panic("demo: bad built-in time " + date + " " + hhmm) // constants of this file
		}
		return t
	}
	return profiles.Period{Start: parse(from), End: parse(to)}
}

// personName draws a first and last name from a pool, in the right gender
// form for surnames that have one.
func (b *builder) personName(pool namePool) (string, string) {
	female := b.rng.IntN(2) == 0
	first := pool.male
	if female {
		first = pool.female
	}
	last := pool.surnames[b.rng.IntN(len(pool.surnames))]
	if m, f, ok := strings.Cut(last, "/"); ok {
		last = m
		if female {
			last = f
		}
	}
	return first[b.rng.IntN(len(first))], last
}

// email makes firstname.lastname@domain from the organization's web
// domain (example.org without one), unique within the event.
func (b *builder) email(first, last, website string) string {
	domain := "example.org"
	if u, err := url.Parse(website); err == nil && u.Hostname() != "" {
		domain = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	local := asciiSlug(first) + "." + asciiSlug(last)
	addr := local + "@" + domain
	for n := 2; b.emails[addr]; n++ {
		addr = fmt.Sprintf("%s%d@%s", local, n, domain)
	}
	b.emails[addr] = true
	return addr
}

// asciiSlug lower-cases a name and keeps ASCII letters only (accents dropped).
func asciiSlug(s string) string {
	var sb strings.Builder
	for _, r := range norm.NFD.String(s) {
		r = unicode.ToLower(r)
		switch {
		case r >= 'a' && r <= 'z':
			sb.WriteRune(r)
		case r == 'ø':
			sb.WriteString("o")
		case r == 'ł':
			sb.WriteString("l")
		case r == 'ı':
			sb.WriteString("i")
		case r == 'ş':
			sb.WriteString("s")
		case r == ' ' || r == '-':
			sb.WriteString("-")
		}
	}
	return sb.String()
}

func upperWords(s string) []string {
	return strings.FieldsFunc(strings.ToUpper(norm.NFD.String(s)), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// validateBundle checks every entity, as the store will on import.
func validateBundle(bundle *profiles.Bundle) error {
	if err := bundle.Event.Validate(); err != nil {
		return err
	}
	for i := range bundle.Organizations {
		if err := bundle.Organizations[i].Validate(); err != nil {
			return err
		}
	}
	for i := range bundle.Participants {
		if err := bundle.Participants[i].Validate(); err != nil {
			return err
		}
	}
	for i := range bundle.Opportunities {
		if err := bundle.Opportunities[i].Validate(); err != nil {
			return err
		}
	}
	for i := range bundle.Requests {
		if err := bundle.Requests[i].Validate(); err != nil {
			return err
		}
	}
	return nil
}
