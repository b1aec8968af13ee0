package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/profiles/ingest"
)

func init() {
	commands["import"] = command{summary: "import JSON bundles, registration CSV/XLSX files or CORDIS CSVs in one transaction", run: runImport}
}

// Input formats of import.
const (
	formatAuto          = "auto"
	formatBundle        = "bundle"
	formatParticipants  = string(profiles.CSVParticipants)
	formatOpportunities = string(profiles.CSVOpportunities)
	formatCORDIS        = "cordis"
)

// inputFile is one file given to import, read into memory.
type inputFile struct {
	name   string
	data   []byte
	format string
	cordis string       // "projects" or "participations" for CORDIS files
	sheet  *ingest.File // registration spreadsheets (CSV or XLSX)
}

// importOrder applies files so that what others refer to comes first.
var importOrder = []string{formatBundle, formatCORDIS, formatParticipants, formatOpportunities}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "import [--data DIR] [--event ID] [--format auto|bundle|participants|opportunities|cordis] [--replace] [--cutoff YYYY-MM-DD] FILE...", stderr)
	data := dataFlag(fs)
	eventID := fs.String("event", "", "event `ID` that CSV rows go into (for CORDIS: the event to create)")
	eventName := fs.String("event-name", "", "`name` of the event a CORDIS import creates")
	format := fs.String("format", formatAuto, "input `format`; auto decides by extension (.json, .json.gz), XLSX content and header row")
	replace := fs.Bool("replace", false, "replace events that already exist (bundles and CORDIS)")
	cutoff := fs.String("cutoff", "", "CORDIS: keep only projects starting before this `date`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{msg: "import needs at least one FILE"}
	}
	if !slices.Contains(append([]string{formatAuto}, importOrder...), *format) {
		return usageError{msg: fmt.Sprintf("--format %q: must be one of auto, %s", *format, strings.Join(importOrder, ", "))}
	}
	var cut time.Time
	if *cutoff != "" {
		var err error
		if cut, err = time.Parse(time.DateOnly, *cutoff); err != nil {
			return usageError{msg: fmt.Sprintf("--cutoff %q: must be a date YYYY-MM-DD", *cutoff)}
		}
	}
	files := make([]inputFile, 0, fs.NArg())
	for _, name := range fs.Args() {
		f, err := readInput(name, *format)
		if err != nil {
			return err
		}
		if f.format != formatBundle && *eventID == "" {
			return usageError{msg: fmt.Sprintf("%s is a %s file: --event ID is required", name, f.format)}
		}
		files = append(files, f)
	}
	slices.SortStableFunc(files, func(a, b inputFile) int {
		return slices.Index(importOrder, a.format) - slices.Index(importOrder, b.format)
	})
	eng, err := openEngine(data, stderr)
	if err != nil {
		return err
	}
	defer eng.Close()
	var report []string
	err = eng.Store().Update(func(tx *profiles.Tx) error {
		var cordis []inputFile
		for _, f := range files {
			var line string
			var err error
			switch f.format {
			case formatBundle:
				line, err = importBundle(tx, f, *replace, stderr)
			case formatCORDIS:
				cordis = append(cordis, f)
				if len(cordis) == 2 {
					line, err = importCORDIS(tx, cordis, *eventID, *eventName, cut, *replace, stderr)
				}
			default:
				line, err = importCSV(tx, f, *eventID, stderr)
			}
			if err != nil {
				return err
			}
			if line != "" {
				report = append(report, line)
			}
		}
		if len(cordis) == 1 {
			return fmt.Errorf("CORDIS import needs both projects.csv and participations.csv; got only %s", cordis[0].name)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%w\nnothing was imported", err)
	}
	for _, line := range report {
		fmt.Fprintln(stdout, line)
	}
	return nil
}

// readInput reads a file and decides its format.
func readInput(name, format string) (inputFile, error) {
	raw, err := os.ReadFile(name)
	if err != nil {
		return inputFile{}, err
	}
	f := inputFile{name: name, data: raw, format: format}
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return f, fmt.Errorf("%s: %w", name, err)
		}
		if f.data, err = io.ReadAll(zr); err != nil {
			return f, fmt.Errorf("%s: %w", name, err)
		}
	}
	base := strings.TrimSuffix(strings.ToLower(filepath.Base(name)), ".gz")
	if f.format == formatAuto && strings.HasSuffix(base, ".json") {
		f.format = formatBundle
	}
	if f.format == formatBundle {
		return f, nil
	}
	header, _, _ := bytes.Cut(f.data, []byte("\n"))
	switch h := strings.ToLower(string(header)); {
	case strings.HasPrefix(h, "projectid,") && strings.Contains(h, ",orgid,"):
		f.cordis = "participations"
	case strings.HasPrefix(h, "projectid,") && strings.Contains(h, ",objective,"):
		f.cordis = "projects"
	}
	if f.cordis != "" && (f.format == formatAuto || f.format == formatCORDIS) {
		f.format = formatCORDIS
		return f, nil
	}
	if f.format == formatCORDIS {
		return f, fmt.Errorf("%s:1: header is neither CORDIS projects.csv nor participations.csv", name)
	}
	sf, err := ingest.Detect(name, f.data)
	if err != nil {
		return f, err
	}
	if f.format == formatAuto {
		f.format = string(sf.Kind)
	}
	sf.Kind = profiles.CSVKind(f.format)
	f.sheet = sf
	return f, nil
}

func importBundle(tx *profiles.Tx, f inputFile, replace bool, stderr io.Writer) (string, error) {
	exp, err := profiles.DecodeExport(bytes.NewReader(f.data))
	if err != nil {
		return "", fmt.Errorf("%s: %w", f.name, err)
	}
	var ids []string
	for i := range exp.Events {
		b := &exp.Events[i]
		opts := profiles.ImportOptions{Replace: replace, Progress: progress(stderr, f.name+": event "+b.Event.ID)}
		if err := tx.ImportBundle(b, opts); err != nil {
			return "", fmt.Errorf("%s: %w", f.name, err)
		}
		ids = append(ids, fmt.Sprintf("%s (%d organizations, %d participants)", b.Event.ID, len(b.Organizations), len(b.Participants)))
	}
	return fmt.Sprintf("%s: imported %d event(s): %s", f.name, len(ids), strings.Join(ids, ", ")), nil
}

func importCSV(tx *profiles.Tx, f inputFile, eventID string, stderr io.Writer) (string, error) {
	report := progress(stderr, f.name)
	opts := profiles.CSVOptions{EventID: eventID, File: f.name, Progress: func(rows int) { report(rows, 0) }}
	stats, err := f.sheet.Import(tx, opts)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s: %d rows: organizations %d new, %d updated; participants %d new, %d updated; opportunities %d new, %d updated",
		f.name, stats.Rows, stats.OrganizationsCreated, stats.OrganizationsUpdated, stats.ParticipantsCreated,
		stats.ParticipantsUpdated, stats.OpportunitiesCreated, stats.OpportunitiesUpdated), nil
}

func importCORDIS(tx *profiles.Tx, files []inputFile, eventID, eventName string, cutoff time.Time, replace bool, stderr io.Writer) (string, error) {
	var projects []profiles.CORDISProject
	var parts []profiles.CORDISParticipation
	for _, f := range files {
		var err error
		if f.cordis == "projects" {
			projects, err = profiles.ReadCORDISProjects(bytes.NewReader(f.data), f.name)
		} else {
			parts, err = profiles.ReadCORDISParticipations(bytes.NewReader(f.data), f.name)
		}
		if err != nil {
			return "", err
		}
	}
	if projects == nil || parts == nil {
		return "", fmt.Errorf("CORDIS import needs one projects.csv and one participations.csv, got %s and %s", files[0].name, files[1].name)
	}
	bundle, err := profiles.CORDISBundle(projects, parts, profiles.CORDISOptions{
		EventID: eventID, EventName: eventName, Cutoff: cutoff, Progress: progress(stderr, "building CORDIS profiles"),
	})
	if err != nil {
		return "", err
	}
	if err := tx.ImportBundle(bundle, profiles.ImportOptions{Replace: replace, Progress: progress(stderr, "writing event "+eventID)}); err != nil {
		return "", err
	}
	return fmt.Sprintf("CORDIS: event %s with %d organizations from %d projects (Source: CORDIS, European Commission)", eventID, len(bundle.Organizations), len(projects)), nil
}
