package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/matchgrid/matchgrid/matcher"
)

func init() {
	commands["match"] = command{summary: "suggest meeting partners for a participant, with explanations", run: runMatch}
}

func runMatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("match", "match --event E --participant P [--k 20] [--new-only] [--diagnostics] [--json]", stderr)
	data := dataFlag(fs)
	event := fs.String("event", "", "event `ID` (required)")
	participant := fs.String("participant", "", "participant `ID` (required)")
	k := fs.Int("k", 20, "number of suggestions")
	asJSON := fs.Bool("json", false, "print the suggestions as JSON")
	newOnly := fs.Bool("new-only", false, "hide known partners (organizations that shared a past project)")
	diag := fs.Bool("diagnostics", false, "also print the raw feature contributions and ranking notes (organizer diagnostics)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *event == "" || *participant == "" {
		return usageError{msg: "--event and --participant are required"}
	}
	eng, err := openEngine(data, stderr)
	if err != nil {
		return err
	}
	defer eng.Close()
	m, err := eng.Matcher()
	if err != nil {
		return err
	}
	res, err := m.RankWith(*event, *participant, *k, matcher.SuggestOptions{HideKnownPartners: *newOnly})
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	printSuggestions(stdout, res.Suggestions, *diag)
	fmt.Fprintf(stdout, "%d candidates considered", res.Considered)
	for _, reason := range slices.Sorted(maps.Keys(res.Dropped)) {
		fmt.Fprintf(stdout, "; %s: %d set aside", reason, res.Dropped[reason])
	}
	fmt.Fprintln(stdout)
	return nil
}

// printSuggestions writes suggestions with their explanations both ways;
// diag adds the raw feature contributions and notes.
func printSuggestions(w io.Writer, sug []matcher.Suggestion, diag bool) {
	if len(sug) == 0 {
		fmt.Fprintln(w, "no suggestions")
		return
	}
	fmt.Fprintf(w, "(%s)\n", matcher.FitScale)
	for i, s := range sug {
		fmt.Fprintf(w, "%2d. %s (%s) — %s  mutual fit: %s (%d%%)\n", i+1, s.Name, s.ParticipantID, s.Organization, s.Fit, s.FitPercent)
		if s.Known != "" {
			fmt.Fprintf(w, "    known partner: %s\n", s.Known)
		}
		for _, d := range []struct {
			label string
			dir   matcher.Direction
		}{{"they fit you", s.Forward}, {"you fit them", s.Backward}} {
			for _, line := range d.dir.Sentences {
				fmt.Fprintf(w, "    %s: %s\n", d.label, line)
			}
			if !diag {
				continue
			}
			fmt.Fprintf(w, "      [%s %.3f]", d.label, d.dir.Score)
			for _, c := range d.dir.Features {
				if c.Contribution != 0 {
					fmt.Fprintf(w, " %s %+.2f", c.Feature, c.Contribution)
				}
			}
			fmt.Fprintln(w)
		}
		if diag {
			for _, n := range s.Notes {
				fmt.Fprintf(w, "      [%s]\n", n)
			}
		}
	}
}
