package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/matchgrid/matchgrid/matcher"
	"github.com/matchgrid/matchgrid/profiles"
)

func init() {
	commands["eval"] = command{
		summary: "evaluate the matcher against baselines on CORDIS consortia",
		run:     runEval,
	}
}

// runEval runs "matchgrid eval cordis --projects P --participations Q --cutoff DATE [--json]".
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval cordis", "eval cordis --projects P.csv --participations Q.csv --cutoff YYYY-MM-DD [--json] [--seed N] [--diagnose] [--weights-out F]", stderr)
	projectsPath := fs.String("projects", "", "CORDIS projects.csv")
	partsPath := fs.String("participations", "", "CORDIS participations.csv")
	cutoff := fs.String("cutoff", "", "history/test split date `YYYY-MM-DD`")
	asJSON := fs.Bool("json", false, "print one JSON object")
	seed := fs.Uint64("seed", 1, "seed for tie breaking and sampling")
	diagnose := fs.Bool("diagnose", false, "also print each feature's own metrics on the test queries to stderr (analysis only; never used for fitting)")
	weightsOut := fs.String("weights-out", "", "also fit the event matcher's default weights on history and write them to this JSON `file` (matcher/weights.json)")
	switch {
	case len(args) > 0 && args[0] == "cordis":
		args = args[1:]
	case len(args) > 0 && strings.HasPrefix(args[0], "-"):
		// Flags only: --help prints the usage; anything else lacks the data set.
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		return usageError{msg: "the data set is missing: matchgrid eval cordis ..."}
	default:
		fs.Usage()
		return usageError{msg: "the only data set is cordis: matchgrid eval cordis ..."}
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *projectsPath == "" || *partsPath == "" || *cutoff == "" {
		return usageError{msg: "--projects, --participations and --cutoff are required"}
	}
	at, err := time.Parse(time.DateOnly, *cutoff)
	if err != nil {
		return usageError{msg: fmt.Sprintf("--cutoff: %v", err)}
	}
	projects, parts, err := readCORDIS(*projectsPath, *partsPath)
	if err != nil {
		return err
	}
	opts := matcher.EvalOptions{Cutoff: at, Seed: *seed, Progress: stderr, Diagnose: *diagnose}
	if *weightsOut != "" {
		w, err := matcher.FitEventWeights(projects, parts, at, *seed, opts)
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(w, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*weightsOut, append(b, '\n'), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "eval: wrote the event matcher's weights to %s\n", *weightsOut)
	}
	res, err := matcher.EvaluateCORDIS(projects, parts, opts)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		return enc.Encode(res)
	}
	fmt.Fprintf(stdout, "%-5s %-11s %7s %7s %7s %7s %8s\n", "task", "ranker", "R@10", "R@50", "MRR", "nDCG@10", "queries")
	for _, task := range []string{"A", "B"} {
		t := res.Tasks[task]
		for _, r := range []struct {
			name string
			m    matcher.Metrics
		}{{"engine", t.Engine}, {"bm25", t.BM25}, {"popularity", t.Popularity}} {
			fmt.Fprintf(stdout, "%-5s %-11s %7.4f %7.4f %7.4f %7.4f %8d\n", task, r.name, r.m.R10, r.m.R50, r.m.MRR, r.m.NDCG10, r.m.Queries)
		}
	}
	fmt.Fprintln(stdout, profiles.CORDISSource)
	return nil
}

// readCORDIS reads the two CORDIS CSV files.
func readCORDIS(projectsPath, partsPath string) ([]profiles.CORDISProject, []profiles.CORDISParticipation, error) {
	f, err := os.Open(projectsPath)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	projects, err := profiles.ReadCORDISProjects(f, projectsPath)
	if err != nil {
		return nil, nil, err
	}
	g, err := os.Open(partsPath)
	if err != nil {
		return nil, nil, err
	}
	defer g.Close()
	parts, err := profiles.ReadCORDISParticipations(g, partsPath)
	if err != nil {
		return nil, nil, err
	}
	return projects, parts, nil
}
