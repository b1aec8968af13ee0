package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/matchgrid/matchgrid/scheduler"
	"github.com/matchgrid/matchgrid/scheduler/testbed"
)

func init() {
	commands["bench"] = command{
		summary: "benchmark the scheduler (b2bsp, synthetic) the HTTP API under load (http), the store engines (store)",
		run:     runBench,
	}
}

const benchSynopsis = `bench b2bsp DIR [--budget 2s] [--seed 1] [--workers 1] [--json]
       matchgrid bench synthetic --participants N --meetings M --days D --slots-per-day S --tables T [--seed 1] [--budget 2s] [--workers 1] [--json]`

// runBench dispatches to the benchmarks.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fs := newFlagSet("bench", benchSynopsis, stderr)
		fs.Usage()
		return usageError{"bench: want b2bsp, synthetic, http or store"}
	}
	switch args[0] {
	case "b2bsp":
		return benchB2BSP(ctx, args[1:], stdout, stderr)
	case "synthetic":
		return benchSynthetic(ctx, args[1:], stdout, stderr)
	case "http":
		return benchHTTP(ctx, args[1:], stdout, stderr)
	case "store":
		return benchStore(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fs := newFlagSet("bench", benchSynopsis, stderr)
		fs.Usage()
		return flag.ErrHelp
	default:
		return usageError{fmt.Sprintf("bench: unknown benchmark %q, want b2bsp, synthetic, http or store", args[0])}
	}
}

// parseInterspersed parses flags that may come before or after the
// positional arguments and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// benchLine is one JSON line of the benchmark output.
type benchLine struct {
	Instance string  `json:"instance"`
	Solver   string  `json:"solver"`
	Meetings int     `json:"meetings"`
	Placed   int     `json:"placed"`
	Breaks   int     `json:"breaks"`
	Idle     int     `json:"idle"`
	Fairness int     `json:"fairness"`
	Seconds  float64 `json:"seconds"`
	Valid    bool    `json:"valid"`
	// LowerBound bounds the breaks of any grid that places every meeting;
	// Proven says the result is proven best: every meeting placed with
	// the breaks proven minimal, or no grid placing more meetings.
	LowerBound int  `json:"lower_bound"`
	Proven     bool `json:"proven"`
	// Optimum is the published optimum of the instance (b2bsp runs whose
	// directory has it in README.md); nil when unknown or UNSAT.
	Optimum *int `json:"optimum,omitempty"`
	// Only in synthetic runs.
	UpperBound int     `json:"upper_bound,omitempty"`
	MemoryMB   float64 `json:"memory_mb,omitempty"`
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func lineFor(instance, solver string, p *scheduler.Problem, res *scheduler.Result, elapsed time.Duration) (benchLine, error) {
	checkErr := scheduler.Check(p, res.Grid)
	return benchLine{
		Instance: instance, Solver: solver, Meetings: len(p.Meetings), Placed: res.Metrics.Placed,
		Breaks: res.Metrics.Breaks, Idle: res.Metrics.IdleSlots, Fairness: res.Metrics.Fairness,
		Seconds: round2(elapsed.Seconds()), Valid: checkErr == nil,
		LowerBound: res.Bounds.BreaksLower, Proven: res.Proven(),
	}, checkErr
}

func benchB2BSP(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench b2bsp", "bench b2bsp DIR [--budget 2s] [--seed 1] [--workers 1] [--max-break-spread 0] [--json]", stderr)
	budget := fs.Duration("budget", scheduler.DefaultBudget, "improvement time budget per instance")
	seed := fs.Int64("seed", 1, "random seed (same seed, same grids when the budget is not hit)")
	asJSON := fs.Bool("json", false, "one JSON object per line instead of a table")
	workers := fs.Int("workers", 1, "parallel independent searches per instance (the best wins)")
	spread := fs.Int("max-break-spread", 0, "fairness limit: the exact phase keeps max-min breaks per participant at most this (0: no limit)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return usageError{fmt.Sprintf("bench b2bsp: want one directory, got %d arguments", len(pos))}
	}
	if *budget <= 0 {
		return usageError{fmt.Sprintf("bench b2bsp: --budget %v must be positive", *budget)}
	}
	if *workers < 1 || *spread < 0 {
		return usageError{fmt.Sprintf("bench b2bsp: --workers %d must be at least 1, --max-break-spread %d at least 0", *workers, *spread)}
	}
	files, err := filepath.Glob(filepath.Join(pos[0], "*.dzn"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no .dzn files in %s", pos[0])
	}
	sort.Strings(files)
	optima := readOptima(filepath.Join(pos[0], "README.md"))
	out := newB2BSPTable(stdout, *asJSON)
	for i, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".dzn")
		p, err := testbed.ParseDZNFile(f)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "[%d/%d] %s\n", i+1, len(files), name)
		start := time.Now()
		res, err := scheduler.Solve(ctx, p, scheduler.Options{Budget: *budget, Seed: *seed, Workers: *workers, MaxBreakSpread: *spread})
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		engine, checkErr := lineFor(name, "engine", p, res, time.Since(start))
		if checkErr != nil {
			fmt.Fprintf(stderr, "%s: engine grid: %v\n", name, checkErr)
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(stderr, "%s: %s\n", name, w)
		}
		start = time.Now()
		gres, err := scheduler.FirstFit(p)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		greedy, gErr := lineFor(name, "greedy", p, gres, time.Since(start))
		if gErr != nil {
			fmt.Fprintf(stderr, "%s: greedy grid: %v\n", name, gErr)
		}
		opt, known := optima[name]
		for _, l := range []*benchLine{&engine, &greedy} {
			if known && opt >= 0 {
				l.Optimum = &opt
			}
			if err := out.add(*l); err != nil {
				return err
			}
		}
		out.note(name, res, known, opt)
	}
	return out.finish()
}

// readOptima reads the published optima from the table of a b2bsp
// README.md: the column headed "opt breaks", -1 for UNSAT. A missing or
// unreadable file gives none.
func readOptima(path string) map[string]int {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	optima := map[string]int{}
	col := -1
	for _, line := range strings.Split(string(data), "\n") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if i := slices.Index(cells, "opt breaks"); i > 0 {
			col = i
			continue
		}
		if col < 0 || len(cells) <= col || !strings.HasPrefix(line, "|") {
			continue
		}
		if cells[col] == "UNSAT" {
			optima[cells[0]] = -1
		} else if n, err := strconv.Atoi(cells[col]); err == nil {
			optima[cells[0]] = n
		}
	}
	return optima
}

func benchSynthetic(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench synthetic", "bench synthetic --participants N --meetings M --days D --slots-per-day S --tables T [--seed 1] [--budget 2s] [--workers 1] [--json]", stderr)
	var cfg testbed.SyntheticConfig
	fs.IntVar(&cfg.Participants, "participants", 1000, "number of participants")
	fs.IntVar(&cfg.Meetings, "meetings", 6000, "number of requested meetings")
	fs.IntVar(&cfg.Days, "days", 2, "number of days")
	fs.IntVar(&cfg.SlotsPerDay, "slots-per-day", 16, "slots per day (a lunch break splits them in two sessions)")
	fs.IntVar(&cfg.Tables, "tables", 250, "tables")
	fs.Int64Var(&cfg.Seed, "seed", 1, "seed of the generator and the solver")
	budget := fs.Duration("budget", scheduler.DefaultBudget, "improvement time budget")
	asJSON := fs.Bool("json", false, "one JSON object per line instead of text")
	workers := fs.Int("workers", 1, "parallel independent searches (the best wins)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		fs.Usage()
		return usageError{fmt.Sprintf("bench synthetic: unexpected argument %q", pos[0])}
	}
	if *budget <= 0 {
		return usageError{fmt.Sprintf("bench synthetic: --budget %v must be positive", *budget)}
	}
	if *workers < 1 {
		return usageError{fmt.Sprintf("bench synthetic: --workers %d must be at least 1", *workers)}
	}
	start := time.Now()
	p, err := testbed.Synthetic(cfg)
	if err != nil {
		return usageError{err.Error()}
	}
	name := fmt.Sprintf("synthetic-%dp-%dm-%dx%d-%dt-seed%d", cfg.Participants, len(p.Meetings), cfg.Days, cfg.SlotsPerDay, cfg.Tables, cfg.Seed)
	big := len(p.Meetings) >= 20000
	fmt.Fprintf(stderr, "generated %s in %.2fs\n", name, time.Since(start).Seconds())
	lastReport := time.Time{}
	opts := scheduler.Options{Budget: *budget, Seed: cfg.Seed, Workers: *workers}
	if !big {
		opts.Progress = nil
	}
	if big {
		opts.Progress = func(pr scheduler.Progress) {
			if time.Since(lastReport) < time.Second && pr.Phase == "improve" {
				return
			}
			lastReport = time.Now()
			fmt.Fprintf(stderr, "%6.1fs %-9s placed %d breaks %d idle %d iteration %d\n",
				pr.Elapsed.Seconds(), pr.Phase, pr.Placed, pr.Breaks, pr.IdleSlots, pr.Iteration)
		}
	}
	start = time.Now()
	res, err := scheduler.Solve(ctx, p, opts)
	if err != nil {
		return err
	}
	engine, checkErr := lineFor(name, "engine", p, res, time.Since(start))
	if checkErr != nil {
		fmt.Fprintf(stderr, "engine grid: %v\n", checkErr)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	engine.UpperBound = res.Bounds.PlacedUpper
	engine.MemoryMB = round2(float64(ms.Sys) / (1 << 20))
	start = time.Now()
	gres, err := scheduler.FirstFit(p)
	if err != nil {
		return err
	}
	greedy, gErr := lineFor(name, "greedy", p, gres, time.Since(start))
	if gErr != nil {
		fmt.Fprintf(stderr, "greedy grid: %v\n", gErr)
	}
	greedy.UpperBound = res.Bounds.PlacedUpper
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for _, l := range []benchLine{engine, greedy} {
			if err := enc.Encode(l); err != nil {
				return err
			}
		}
	} else {
		fmt.Fprintf(stdout, "%s: %d participants, %d meetings, %d days x %d slots, %d tables\n", name, cfg.Participants, len(p.Meetings), cfg.Days, cfg.SlotsPerDay, cfg.Tables)
		fmt.Fprintf(stdout, "upper bound on placeable meetings: %d\n", res.Bounds.PlacedUpper)
		for _, l := range []benchLine{engine, greedy} {
			pct := 100.0
			if l.UpperBound > 0 {
				pct = 100 * float64(l.Placed) / float64(l.UpperBound)
			}
			fmt.Fprintf(stdout, "%-6s placed %d (%.2f%% of bound)  breaks %d  idle %d  fairness %d  %.2fs  valid %v\n",
				l.Solver, l.Placed, pct, l.Breaks, l.Idle, l.Fairness, l.Seconds, l.Valid)
		}
		fmt.Fprintf(stdout, "engine %s\n", res.BreaksSummary())
		fmt.Fprintf(stdout, "memory obtained from the OS (runtime.MemStats.Sys): %.0f MB; improvement iterations %d, budget hit %v\n",
			engine.MemoryMB, res.Iterations, res.BudgetHit)
	}
	if checkErr != nil || gErr != nil {
		return errors.New("invalid grid")
	}
	return nil
}
