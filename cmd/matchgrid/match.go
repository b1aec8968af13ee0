package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/matchgrid/matchgrid/matcher"
)

func init() {
	commands["match"] = command{summary: "suggest meeting partners for a participant, with explanations", run: runMatch}
}

func runMatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("match", "match --event E --participant P [--k 20] [--json]", stderr)
	data := dataFlag(fs)
	event := fs.String("event", "", "event `ID` (required)")
	participant := fs.String("participant", "", "participant `ID` (required)")
	k := fs.Int("k", 20, "number of suggestions")
	asJSON := fs.Bool("json", false, "print the suggestions as JSON")
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
	res, err := m.Rank(*event, *participant, *k)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	printSuggestions(stdout, res.Suggestions)
	fmt.Fprintf(stdout, "%d candidates considered", res.Considered)
	for _, reason := range slices.Sorted(maps.Keys(res.Dropped)) {
		fmt.Fprintf(stdout, "; %s: %d set aside", reason, res.Dropped[reason])
	}
	fmt.Fprintln(stdout)
	return nil
}

// printSuggestions writes suggestions with their explanations both ways.
func printSuggestions(w io.Writer, sug []matcher.Suggestion) {
	if len(sug) == 0 {
		fmt.Fprintln(w, "no suggestions")
	}
	for i, s := range sug {
		fmt.Fprintf(w, "%2d. %s (%s) — %s  score %.3f  [they fit you %.3f, you fit them %.3f]\n",
			i+1, s.Name, s.ParticipantID, s.Organization, s.Score, s.Forward.Score, s.Backward.Score)
		for _, d := range []struct {
			label string
			dir   matcher.Direction
		}{{"they fit you", s.Forward}, {"you fit them", s.Backward}} {
			fmt.Fprintf(w, "    %s:", d.label)
			for _, src := range []string{"needs", "profile"} {
				if terms := d.dir.Terms[src]; len(terms) > 0 {
					fmt.Fprintf(w, " %s terms: %s;", src, strings.Join(terms, ", "))
				}
			}
			fmt.Fprintln(w)
			fmt.Fprint(w, "      ")
			for _, c := range d.dir.Features {
				if c.Contribution != 0 {
					fmt.Fprintf(w, " %s %+.2f", c.Feature, c.Contribution)
				}
			}
			fmt.Fprintln(w)
		}
		for _, n := range s.Notes {
			fmt.Fprintf(w, "    %s\n", n)
		}
	}
}
