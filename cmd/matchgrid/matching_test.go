package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/matchgrid/matchgrid"
	"github.com/matchgrid/matchgrid/internal/demotest"
)

func TestSearchMatchReindexCommands(t *testing.T) {
	t.Parallel()
	dir := demoData(t)
	b := demotest.Sample(t, fixtureOrganizations)
	ev, who := b.Event.ID, b.Participants[0].ID
	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"search", []string{"search", "--data", dir, "--event", ev, "--type", "organization", "--facets", "country", "clinical trials"}, 0, []string{"hits", "matched:", "facet country:"}},
		{"search json", []string{"search", "--data", dir, "--event", ev, "--json", "--kind", "university", "cancer"}, 0, []string{`"total":`}},
		{"search without event", []string{"search", "--data", dir, "x"}, 2, nil},
		{"search in a missing event", []string{"search", "--data", dir, "--event", "missing", "x"}, 1, nil},
		{"match", []string{"match", "--data", dir, "--event", ev, "--participant", who, "--k", "3"}, 0, []string{" 1. ", "they fit you:", "you fit them:", "mutual fit:", "candidates considered"}},
		{"match unknown participant", []string{"match", "--data", dir, "--event", ev, "--participant", "nobody"}, 1, nil},
		{"reindex", []string{"reindex", "--data", dir}, 0, []string{"index rebuilt:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(context.Background(), c.args, &out, &errOut); code != c.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, c.code, errOut.String())
			}
			for _, w := range c.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
	// Deleting the index directory: the next command rebuilds it.
	if err := os.RemoveAll(filepath.Join(dir, matchgrid.IndexDir)); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"search", "--data", dir, "--event", ev, "clinical trials"}, &out, &errOut); code != 0 {
		t.Fatalf("search after deleting the index: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "indexing:") || strings.HasPrefix(out.String(), "0 hits") {
		t.Errorf("no rebuild seen: stdout %q stderr %q", out.String(), errOut.String())
	}
}

func TestEvalCommandJSON(t *testing.T) {
	dir := t.TempDir()
	projects := "projectID,acronym,title,objective,keywords,startDate\r\n" +
		"1,P1,Sepsis diagnostics,rapid sepsis diagnostics in blood,sepsis,2022-01-01\r\n" +
		"2,P2,Cancer imaging,imaging of tumours,imaging,2023-01-01\r\n" +
		"3,P3,Sepsis imaging,imaging sepsis in blood,,2024-02-01\r\n"
	parts := "projectID,orgID,name,activityType,sme,role,order,country\r\n" +
		"1,11,A,REC,false,coordinator,1,IT\r\n1,12,B,HES,false,participant,2,FR\r\n1,13,C,PRC,true,participant,3,DE\r\n" +
		"2,14,D,REC,false,coordinator,1,ES\r\n2,15,E,HES,false,participant,2,IT\r\n2,16,F,PUB,,participant,3,IT\r\n" +
		"3,12,B,HES,false,coordinator,1,FR\r\n3,14,D,REC,false,participant,2,ES\r\n3,15,E,HES,false,participant,3,IT\r\n"
	pp, qp := filepath.Join(dir, "projects.csv"), filepath.Join(dir, "participations.csv")
	if err := os.WriteFile(pp, []byte(projects), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(qp, []byte(parts), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	args := []string{"eval", "cordis", "--projects", pp, "--participations", qp, "--cutoff", "2024-01-01", "--json"}
	if code := run(context.Background(), args, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var res struct {
		Tasks map[string]map[string]map[string]float64 `json:"tasks"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	for _, task := range []string{"A", "B"} {
		for _, ranker := range []string{"engine", "bm25", "popularity"} {
			m := res.Tasks[task][ranker]
			for _, k := range []string{"r10", "r50", "mrr", "ndcg10", "queries"} {
				if _, ok := m[k]; !ok {
					t.Errorf("tasks.%s.%s lacks %s: %s", task, ranker, k, out.String())
				}
			}
			if m["queries"] != 1 {
				t.Errorf("tasks.%s.%s.queries = %v, want 1", task, ranker, m["queries"])
			}
		}
	}
	if code := run(context.Background(), []string{"eval", "cordis", "--projects", pp}, io.Discard, io.Discard); code != 2 {
		t.Errorf("missing flags: exit %d, want 2", code)
	}
}

// TestEvalKeepDataReproducesTop: a one-query run with --keep-data and
// --per-query, then "match" on the kept data lists the recorded top 10 first.
func TestEvalKeepDataReproducesTop(t *testing.T) {
	dir := t.TempDir()
	projects := "projectID,acronym,title,objective,keywords,startDate\r\n" +
		"1,P1,Sepsis diagnostics,rapid sepsis diagnostics in blood,sepsis,2022-01-01\r\n" +
		"2,P2,Cancer imaging,imaging of tumours,imaging,2023-01-01\r\n" +
		"4,P4,Blood imaging,imaging of blood cells,imaging,2023-03-01\r\n" +
		"3,P3,Sepsis imaging,imaging sepsis in blood,,2024-02-01\r\n"
	parts := "projectID,orgID,name,activityType,sme,role,order,country\r\n" +
		"1,11,A,REC,false,coordinator,1,IT\r\n1,12,B,HES,false,participant,2,FR\r\n1,13,C,PRC,true,participant,3,DE\r\n" +
		"2,14,D,REC,false,coordinator,1,ES\r\n2,15,E,HES,false,participant,2,IT\r\n2,16,F,PUB,,participant,3,IT\r\n" +
		"4,17,G,REC,false,coordinator,1,ES\r\n4,13,C,PRC,true,participant,2,DE\r\n4,16,F,PUB,,participant,3,IT\r\n" +
		"3,12,B,HES,false,coordinator,1,FR\r\n3,14,D,REC,false,participant,2,ES\r\n3,15,E,HES,false,participant,3,IT\r\n"
	files := map[string]string{"projects.csv": projects, "participations.csv": parts, "q.csv": "projectID,query\n3,sepsis imaging of blood\n"}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	kept, lines := filepath.Join(dir, "kept"), filepath.Join(dir, "per-query.jsonl")
	var errOut bytes.Buffer
	args := []string{"eval", "cordis", "--projects", filepath.Join(dir, "projects.csv"), "--participations", filepath.Join(dir, "participations.csv"),
		"--cutoff", "2024-01-01", "--queries", filepath.Join(dir, "q.csv"), "--keep-data", kept, "--per-query", lines, "--k", "5"}
	if code := run(context.Background(), args, io.Discard, &errOut); code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errOut.String())
	}
	raw, err := os.ReadFile(lines)
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Event, Participant string
		K                  int
		Top                []string
	}
	if err := json.Unmarshal(bytes.SplitN(raw, []byte("\n"), 2)[0], &rec); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	if len(rec.Top) == 0 {
		t.Fatalf("the run recorded no suggestions: %s", raw)
	}
	var out bytes.Buffer
	margs := []string{"match", "--data", kept, "--event", rec.Event, "--participant", rec.Participant, "--k", fmt.Sprint(rec.K), "--json"}
	if code := run(context.Background(), margs, &out, &errOut); code != 0 {
		t.Fatalf("match: exit %d: %s", code, errOut.String())
	}
	var got struct {
		Suggestions []struct {
			ParticipantID string `json:"participant_id"`
		} `json:"suggestions"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	var top []string
	for _, s := range got.Suggestions[:min(10, len(got.Suggestions))] {
		top = append(top, s.ParticipantID)
	}
	if !slices.Equal(top, rec.Top) {
		t.Errorf("match lists %v, the run recorded %v", top, rec.Top)
	}
}
