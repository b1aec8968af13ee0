package profiles

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// readCORDISDir reads projects.csv and participations.csv from dir.
func readCORDISDir(t testing.TB, dir string) ([]CORDISProject, []CORDISParticipation) {
	t.Helper()
	open := func(name string) *os.File {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	projects, err := ReadCORDISProjects(open("projects.csv"), "projects.csv")
	if err != nil {
		t.Fatalf("read projects: %v", err)
	}
	parts, err := ReadCORDISParticipations(open("participations.csv"), "participations.csv")
	if err != nil {
		t.Fatalf("read participations: %v", err)
	}
	return projects, parts
}

// importIntoTempStore imports b into a fresh store file and fails the test on error.
func importIntoTempStore(t testing.TB, b *Bundle) {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "x.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Update(func(tx *Tx) error { return tx.ImportBundle(b, ImportOptions{}) }); err != nil {
		t.Fatalf("import bundle: %v", err)
	}
}

func TestReadCORDISFixture(t *testing.T) {
	projects, parts := readCORDISDir(t, filepath.Join("testdata", "cordis"))
	if len(projects) != 3 || len(parts) != 13 {
		t.Fatalf("got %d projects, %d participations; want 3, 13", len(projects), len(parts))
	}
	p := projects[0]
	if p.ID != "101000001" || p.Acronym != "IMAGINE" || p.StartDate.Format(time.DateOnly) != "2022-03-01" {
		t.Errorf("first project = %+v", p)
	}
	if !strings.Contains(p.Objective, "\nA second paragraph") {
		t.Errorf("objective lost its inner line break: %q", p.Objective)
	}
	if want := []string{"pancreatic cancer", "medical imaging", "artificial intelligence"}; !slices.Equal(p.Keywords, want) {
		t.Errorf("keywords = %q, want %q", p.Keywords, want)
	}
	if len(p.EuroSciVoc) != 2 || !strings.HasSuffix(p.EuroSciVoc[1], "/deep learning") {
		t.Errorf("euroSciVoc = %q", p.EuroSciVoc)
	}
	first := parts[0]
	if first.OrgID != "900000003" || first.Role != CORDISCoordinator || first.Order != 1 || first.SME == nil || *first.SME {
		t.Errorf("first participation = %+v", first)
	}
	if parts[4].SME != nil {
		t.Errorf("empty sme read as %v, want nil", *parts[4].SME)
	}
}

func TestCORDISBundleFixture(t *testing.T) {
	projects, parts := readCORDISDir(t, filepath.Join("testdata", "cordis"))
	cutoff := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var calls int
	b, err := CORDISBundle(projects, parts, CORDISOptions{Cutoff: cutoff, Progress: func(done, total int) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 {
		t.Error("progress callback never called")
	}
	orgs := map[string]Organization{}
	var ids []string
	for _, o := range b.Organizations {
		orgs[o.ID] = o
		ids = append(ids, o.ID)
	}
	if !slices.IsSorted(ids) {
		t.Errorf("organizations not sorted by ID: %v", ids)
	}
	tests := []struct {
		id       string
		present  bool
		kind     OrgKind
		projects []string // project ID:role
	}{
		{"pic-900000001", true, KindSME, []string{"101000001:participant", "101000002:participant"}},
		{"pic-900000002", true, KindStartup, []string{"101000002:coordinator"}},
		{"pic-900000003", true, KindHospital, []string{"101000001:coordinator"}},
		{"pic-900000004", true, KindUniversity, []string{"101000001:participant"}}, // two roles in one project: counted once, strongest role
		{"pic-900000005", true, KindUniversity, []string{"101000002:associatedPartner"}},
		{"pic-900000006", false, "", nil}, // only in a project after the cutoff
		{"pic-900000007", false, "", nil}, // only a third party
		{"pic-900000008", true, KindResearchCentre, []string{"101000001:participant"}},
		{"pic-900000009", true, KindPublicBody, []string{"101000002:participant"}},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			o, ok := orgs[tc.id]
			if ok != tc.present {
				t.Fatalf("present = %v, want %v", ok, tc.present)
			}
			if !ok {
				return
			}
			if o.Kind != tc.kind {
				t.Errorf("kind = %s, want %s", o.Kind, tc.kind)
			}
			var got []string
			for _, p := range o.Projects {
				got = append(got, p.ID+":"+p.Role)
			}
			if !slices.Equal(got, tc.projects) {
				t.Errorf("projects = %v, want %v", got, tc.projects)
			}
			if pic := strings.TrimPrefix(o.ID, "pic-"); o.ExternalIDs["pic"] != pic {
				t.Errorf("external pic = %q, want %q", o.ExternalIDs["pic"], pic)
			}
			text := o.Description("en")
			if strings.Contains(text, "LATEBIRD") || strings.Contains(text, "organoid") || slices.Contains(o.Keywords, "organoids") {
				t.Errorf("a project after the cutoff leaked into the profile: %q %q", text, o.Keywords)
			}
		})
	}
	acme := orgs["pic-900000001"]
	if len(acme.Keywords) == 0 || acme.Keywords[0] != "medical imaging" {
		t.Errorf("acme keywords = %q, want the keyword of both projects first", acme.Keywords)
	}
	if !slices.Contains(acme.Sectors, "oncology") || !slices.Contains(acme.Sectors, "sepsis") || slices.Contains(acme.Sectors, "hepatology") {
		t.Errorf("acme sectors = %q", acme.Sectors)
	}
	if acme.City != "Torino" || acme.Website != "http://www.acme-biotech.example" || acme.Country != "IT" {
		t.Errorf("acme city %q website %q country %q", acme.City, acme.Website, acme.Country)
	}
	if got := orgs["pic-900000003"].Website; got != "http://www.hsr.it" {
		t.Errorf("website without scheme = %q", got)
	}
	importIntoTempStore(t, b)

	// Without a cutoff the late organization is there and ACME has three projects.
	all, err := CORDISBundle(projects, parts, CORDISOptions{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, o := range all.Organizations {
		found = found || o.ID == "pic-900000006"
		if o.ID == "pic-900000001" && len(o.Projects) != 3 {
			t.Errorf("without cutoff acme has %d projects, want 3", len(o.Projects))
		}
	}
	if !found {
		t.Error("without a cutoff the organization of the late project is missing")
	}
}

func TestCORDISKind(t *testing.T) {
	tests := []struct {
		activity string
		sme      bool
		name     string
		onlyEIC  bool
		want     OrgKind
	}{
		{"PRC", true, "ACME BIOTECH SRL", false, KindSME},
		{"PRC", true, "ACME BIOTECH SRL", true, KindStartup},
		{"PRC", false, "F. HOFFMANN-LA ROCHE AG", true, KindLargeCompany},
		{"HES", false, "UNIVERSITA DEGLI STUDI DI MILANO", false, KindUniversity},
		{"REC", false, "FONDAZIONE IRCCS ISTITUTO NAZIONALE DEI TUMORI", false, KindHospital},
		{"HES", false, "UNIVERSITAIR MEDISCH CENTRUM UTRECHT", false, KindHospital},
		{"PUB", false, "ASSISTANCE PUBLIQUE HOPITAUX DE PARIS", false, KindHospital},
		{"REC", false, "UNIVERSITAETSKLINIKUM HEIDELBERG", false, KindHospital},
		{"OTH", false, "Hospital Clínic de Barcelona", false, KindHospital},
		{"OTH", false, "EUROPEAN CLINICAL RESEARCH INFRASTRUCTURE NETWORK", false, KindOther},
		{"REC", false, "CENTRO DE INVESTIGACION CLINICA", false, KindResearchCentre},
		{"PUB", false, "MINISTRY OF HEALTH", false, KindPublicBody},
		{"HES", false, "STICHTING AMSTERDAM UMC", false, KindHospital},
		{"PRC", false, "CLINICA UNIVERSIDAD DE NAVARRA", false, KindHospital},
		{"OTH", false, "", false, KindOther},
	}
	for _, tc := range tests {
		if got := CORDISKind(tc.activity, tc.sme, tc.name, tc.onlyEIC); got != tc.want {
			t.Errorf("CORDISKind(%s, %v, %q, %v) = %s, want %s", tc.activity, tc.sme, tc.name, tc.onlyEIC, got, tc.want)
		}
	}
}

func TestReadCORDISBadRows(t *testing.T) {
	const header = "projectID,orgID,name,activityType,sme,role,order,country\r\n"
	tests := []struct {
		name   string
		input  string
		line   int
		column string
		value  string
	}{
		{"bad sme", header + "1,2,A,PRC,true,participant,1,IT\r\n1,3,B,PRC,maybe,participant,2,IT\r\n", 3, "sme", "maybe"},
		{"bad role after a multi-line record", header + "1,2,\"A\nB\",PRC,true,participant,1,IT\r\n1,3,C,HES,false,boss,2,DE\r\n", 4, "role", "boss"},
		{"bad order", header + "1,2,A,PRC,true,participant,first,IT\r\n", 2, "order", "first"},
		{"bad country", header + "1,2,A,PRC,true,participant,1,Italy\r\n", 2, "country", "Italy"},
		{"empty orgID", header + "1,,A,PRC,true,participant,1,IT\r\n", 2, "orgID", ""},
		{"bad activity", header + "1,2,A,XYZ,true,participant,1,IT\r\n", 2, "activityType", "XYZ"},
		{"missing column", "projectID,orgID,name\r\n1,2,A\r\n", 1, "activityType", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadCORDISParticipations(strings.NewReader(tc.input), "parts.csv")
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("error %v is not a *LineError", err)
			}
			if le.File != "parts.csv" || le.Line != tc.line || le.Column != tc.column || le.Value != tc.value {
				t.Errorf("got file %q line %d column %q value %q, want parts.csv line %d column %q value %q",
					le.File, le.Line, le.Column, le.Value, tc.line, tc.column, tc.value)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "parts.csv:") || !strings.Contains(msg, tc.column) {
				t.Errorf("message %q does not name file and column", msg)
			}
		})
	}
	t.Run("project with a bad date", func(t *testing.T) {
		in := "projectID,acronym,title,objective,startDate\r\n1,A,T,\"x\ny\",2022-01-01\r\n2,B,T,O,01/02/2023\r\n"
		_, err := ReadCORDISProjects(strings.NewReader(in), "projects.csv")
		var le *LineError
		if !errors.As(err, &le) || le.Line != 4 || le.Column != "startDate" || le.Value != "01/02/2023" {
			t.Fatalf("got %v, want a LineError on line 4, column startDate", err)
		}
	})
	t.Run("duplicate project", func(t *testing.T) {
		in := "projectID,acronym,title,objective,startDate\r\n1,A,T,O,2022-01-01\r\n1,B,T,O,2023-01-01\r\n"
		_, err := ReadCORDISProjects(strings.NewReader(in), "projects.csv")
		if !errors.Is(err, ErrConflict) {
			t.Fatalf("got %v, want ErrConflict", err)
		}
	})
	t.Run("broken quoting", func(t *testing.T) {
		_, err := ReadCORDISParticipations(strings.NewReader(header+"1,2,\"A,PRC\n"), "parts.csv")
		var le *LineError
		if !errors.As(err, &le) || le.Line != 2 || !errors.Is(err, ErrInvalid) {
			t.Fatalf("got %v, want an invalid LineError on line 2", err)
		}
	})
}

func FuzzReadCORDISParticipations(f *testing.F) {
	fixture, err := os.ReadFile(filepath.Join("testdata", "cordis", "participations.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture)
	f.Add([]byte("projectID,orgID,name,activityType,role,country\n1,2,\"x\ny\",PRC,participant,IT\n"))
	f.Add([]byte("\x00\xff garbage \"\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		parts, err := ReadCORDISParticipations(strings.NewReader(string(data)), "fuzz.csv")
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) || le.File != "fuzz.csv" || le.Line < 1 {
				t.Fatalf("error %v is not a LineError with file and line", err)
			}
			return
		}
		for _, p := range parts {
			if p.OrgID == "" || p.ProjectID == "" || !slices.Contains(CORDISRoles, p.Role) {
				t.Fatalf("accepted an invalid row: %+v", p)
			}
		}
	})
}

// TestCORDISBundleRealData runs the importer on the shared CORDIS health
// data, when present, with a cutoff inside its date range.
func TestCORDISBundleRealData(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "data", "cordis-health")
	if _, err := os.Stat(filepath.Join(dir, "participations.csv")); err != nil {
		t.Skipf("CORDIS data not present: %v", err)
	}
	projects, parts := readCORDISDir(t, dir)
	cutoff := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b, err := CORDISBundle(projects, parts, CORDISOptions{Cutoff: cutoff, MaxTextProjects: 1000})
	if err != nil {
		t.Fatal(err)
	}
	projectByID := map[string]*CORDISProject{}
	for i := range projects {
		projectByID[projects[i].ID] = &projects[i]
	}
	// What each organization may and may not know, from the raw rows.
	before := map[string]map[string]bool{} // orgID -> projects before the cutoff
	after := map[string]map[string]bool{}  // orgID -> projects on or after it
	for _, p := range parts {
		if p.Role == CORDISThirdParty {
			continue
		}
		side := before
		if !projectByID[p.ProjectID].StartDate.Before(cutoff) {
			side = after
		}
		if side[p.OrgID] == nil {
			side[p.OrgID] = map[string]bool{}
		}
		side[p.OrgID][p.ProjectID] = true
	}
	if len(b.Organizations) != len(before) {
		t.Errorf("got %d organizations, want %d (members of a pre-cutoff project)", len(b.Organizations), len(before))
	}
	checkedLate := 0
	for _, o := range b.Organizations {
		pic, ok := strings.CutPrefix(o.ID, "pic-")
		if !ok || o.ExternalIDs["pic"] != pic || !cordisDigits(pic) {
			t.Fatalf("organization %q is not keyed on its PIC (external %q)", o.ID, o.ExternalIDs["pic"])
		}
		allowedKeywords := newCORDISTermCounter()
		var earlyText strings.Builder
		for id := range before[pic] {
			for _, k := range projectByID[id].Keywords {
				allowedKeywords.add(k)
			}
			earlyText.WriteString(projectByID[id].Title + "\n" + projectByID[id].Objective + "\n")
		}
		for _, ref := range o.Projects {
			if !before[pic][ref.ID] || ref.StartDate >= "2024-01-01" {
				t.Errorf("%s: project ref %s (%s) is not a pre-cutoff membership", o.ID, ref.ID, ref.StartDate)
			}
		}
		for _, k := range o.Keywords {
			if _, ok := allowedKeywords.count[strings.ToLower(strings.Join(strings.Fields(k), " "))]; !ok {
				t.Errorf("%s: keyword %q comes from no pre-cutoff project of it", o.ID, k)
			}
		}
		text := o.Description("en")
		for id := range after[pic] {
			late := projectByID[id]
			objectiveStart := late.Objective[:min(len(late.Objective), 120)]
			if strings.Contains(text, late.Title) && !strings.Contains(earlyText.String(), late.Title) {
				t.Errorf("%s: text holds the title of post-cutoff project %s", o.ID, id)
			}
			if strings.Contains(text, objectiveStart) && !strings.Contains(earlyText.String(), objectiveStart) {
				t.Errorf("%s: text holds the objective of post-cutoff project %s", o.ID, id)
			}
			checkedLate++
		}
	}
	if checkedLate == 0 {
		t.Error("no organization with a post-cutoff project was checked")
	}
	kinds := map[OrgKind]int{}
	for _, o := range b.Organizations {
		kinds[o.Kind]++
	}
	for _, k := range []OrgKind{KindSME, KindStartup, KindLargeCompany, KindHospital, KindUniversity, KindResearchCentre, KindPublicBody, KindOther} {
		if kinds[k] == 0 {
			t.Errorf("no organization of kind %s", k)
		}
	}
	t.Logf("%d organizations by kind: %v", len(b.Organizations), kinds)
	importIntoTempStore(t, b)
}
