package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/matchgrid/matchgrid/matcher/eval"
	"github.com/matchgrid/matchgrid/profiles"
)

func init() {
	commands["eval"] = command{
		summary: "evaluate the served matcher against baselines on CORDIS consortia",
		run:     runEval,
	}
}

// runEval runs "matchgrid eval cordis --projects P --participations Q --cutoff DATE ...".
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("eval cordis", "eval cordis --projects P.csv --participations Q.csv --cutoff YYYY-MM-DD [--queries F.csv]... [--per-query F] [--keep-data DIR] [--weights-out F] [--k 50] [--json]", stderr)
	projectsPath := fs.String("projects", "", "CORDIS projects.csv")
	partsPath := fs.String("participations", "", "CORDIS participations.csv")
	cutoff := fs.String("cutoff", "", "history/test split date `YYYY-MM-DD`")
	asJSON := fs.Bool("json", false, "print one JSON object")
	seed := fs.Uint64("seed", 1, "seed for the baselines' tie breaking")
	k := fs.Int("k", 50, "suggestions asked per query")
	var queries listFlag
	fs.Var(&queries, "queries", "CSV `file` (projectID,query): evaluate only these test projects with these texts; repeat for several sets, reported side by side")
	perQuery := fs.String("per-query", "", "write one JSON line per query and task to this `file`")
	keepData := fs.String("keep-data", "", "build the event in this new `directory` and keep it (with the last query's request and the run's weights)")
	weightsOut := fs.String("weights-out", "", "also write the weights fitted on history to this JSON `file` (matcher/weights.json)")
	switch {
	case len(args) > 0 && args[0] == "cordis":
		args = args[1:]
	case len(args) > 0 && strings.HasPrefix(args[0], "-"):
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
	if *k < 1 || *k > 1000 {
		return usageError{msg: fmt.Sprintf("--k %d: must be 1 to 1000", *k)}
	}
	projects, parts, err := readCORDIS(*projectsPath, *partsPath)
	if err != nil {
		return err
	}
	opts := eval.Options{Cutoff: at, K: *k, Seed: *seed, Progress: stderr}
	for _, path := range queries {
		set, err := readQuerySet(path)
		if err != nil {
			return err
		}
		opts.Sets = append(opts.Sets, set)
	}
	if *weightsOut != "" {
		if opts.Weights, err = eval.Fit(projects, parts, at, func(f string, a ...any) { fmt.Fprintf(stderr, f+"\n", a...) }); err != nil {
			return err
		}
		if err := writeJSONFile(*weightsOut, opts.Weights); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "eval: wrote the fitted weights to %s\n", *weightsOut)
	}
	dir := *keepData
	if dir == "" {
		if dir, err = os.MkdirTemp("", "matchgrid-eval-*"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return usageError{msg: fmt.Sprintf("--keep-data %s: the directory exists and is not empty", dir)}
	}
	opts.KeepLast = *keepData != ""
	if *perQuery != "" {
		f, err := os.Create(*perQuery)
		if err != nil {
			return err
		}
		defer f.Close()
		opts.PerQuery = f
	}
	eng, err := openEngine(&dataFlags{dir: dir}, stderr)
	if err != nil {
		return err
	}
	defer eng.Close()
	res, err := eval.Run(eng, projects, parts, opts)
	if err != nil {
		return err
	}
	if *keepData != "" {
		fmt.Fprintf(stderr, "eval: kept the data in %s (event %s)\n", dir, res.EventID)
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	printEval(stdout, res)
	return nil
}

// printEval writes the metrics table of every query set.
func printEval(w io.Writer, res *eval.Result) {
	sets := res.Sets
	if len(sets) == 0 {
		sets = []eval.SetResult{{Name: "test", Tasks: res.Tasks}}
	}
	fmt.Fprintf(w, "%-14s %-5s %-11s %7s %7s %7s %7s %8s\n", "queries", "task", "ranker", "R@10", "R@50", "MRR", "nDCG@10", "queries")
	for _, s := range sets {
		for _, task := range []string{"A", "B"} {
			t := s.Tasks[task]
			for _, r := range []struct {
				name string
				m    eval.Metrics
			}{{"engine", t.Engine}, {"bm25", t.BM25}, {"popularity", t.Popularity}} {
				fmt.Fprintf(w, "%-14s %-5s %-11s %7.4f %7.4f %7.4f %7.4f %8d\n", s.Name, task, r.name, r.m.R10, r.m.R50, r.m.MRR, r.m.NDCG10, r.m.Queries)
			}
		}
	}
	fmt.Fprintf(w, "engine = the served matcher (Matcher.Suggest, k=%d) on event %s; %s\n", res.K, res.EventID, profiles.CORDISSource)
}

// readQuerySet reads a --queries file.
func readQuerySet(path string) (eval.QuerySet, error) {
	f, err := os.Open(path)
	if err != nil {
		return eval.QuerySet{}, err
	}
	defer f.Close()
	return eval.ReadQueries(f, path)
}

// writeJSONFile writes v as indented JSON.
func writeJSONFile(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
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
