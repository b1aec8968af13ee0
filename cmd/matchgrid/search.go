package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/matchgrid/matchgrid/index"
	"github.com/matchgrid/matchgrid/profiles"
)

func init() {
	commands["search"] = command{summary: "full-text search of an event's organizations and opportunities", run: runSearch}
}

// listFlag collects a repeatable, comma-separable flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("search", `search --event E [--type organization|opportunity] [--kind K] [--country C] [--sector S] [--tech T] [--opp-kind K] [--lang L] [--facets f1,f2] [--offset N] [--limit N] [--json] "query"`, stderr)
	data := dataFlag(fs)
	event := fs.String("event", "", "event `ID` (required)")
	typ := fs.String("type", "", "only `organization` or opportunity hits")
	lang := fs.String("lang", "", "language of the query (default: detected, else all languages)")
	offset := fs.Int("offset", 0, "hits to skip")
	limit := fs.Int("limit", 10, "hits to show")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	var kinds, countries, sectors, techs, oppKinds, facets listFlag
	fs.Var(&kinds, "kind", "organization `kind` filter (repeatable)")
	fs.Var(&countries, "country", "`country` filter (repeatable)")
	fs.Var(&sectors, "sector", "`sector` filter, lower case (repeatable)")
	fs.Var(&techs, "tech", "EEN technology `code` filter, any level (repeatable)")
	fs.Var(&oppKinds, "opp-kind", "opportunity `kind` filter: offer, request, partnership")
	fs.Var(&facets, "facets", "keyword `fields` to count, e.g. country,kind")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *event == "" {
		return usageError{msg: "--event is required"}
	}
	req := &index.Request{EventID: *event, Text: strings.Join(fs.Args(), " "), Lang: *lang, Type: *typ,
		Filters: map[string][]string{}, Facets: facets, Offset: *offset, Limit: *limit}
	for field, values := range map[string][]string{index.FieldKind: kinds, index.FieldCountry: countries,
		index.FieldSector: sectors, index.FieldTechCode: techs, index.FieldOppKind: oppKinds} {
		if len(values) > 0 {
			req.Filters[field] = values
		}
	}
	eng, err := openEngine(data, stderr)
	if err != nil {
		return err
	}
	defer eng.Close()
	if err := eng.Store().View(func(tx *profiles.Tx) error { _, err := tx.Event(*event); return err }); err != nil {
		return err // an unknown event is an error, not zero hits
	}
	ix, err := eng.Index()
	if err != nil {
		return err
	}
	res, err := ix.Search(req)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "%d hits\n", res.Total)
	for i, h := range res.Hits {
		fmt.Fprintf(stdout, "%3d. %-12s %-14s %-14s %6.2f  %s\n", *offset+i+1, h.Type, h.ID, h.OrgID, h.Score, h.Name)
		if terms := h.MatchedTerms(); len(terms) > 0 {
			fmt.Fprintf(stdout, "     matched: %s\n", strings.Join(terms, ", "))
		}
	}
	for _, f := range facets {
		fmt.Fprintf(stdout, "facet %s:", f)
		for _, c := range res.Facets[f] {
			fmt.Fprintf(stdout, " %s=%d", c.Term, c.Count)
		}
		fmt.Fprintln(stdout)
	}
	return nil
}
