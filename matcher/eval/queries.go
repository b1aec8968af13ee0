package eval

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxQueryText caps one query's text, like an opportunity's description.
const maxQueryText = 20000

// ReadQueries reads a query file: CSV with the header "projectID,query",
// one test project per row with the text to ask instead of its title,
// keywords and objective. name names the set in errors and reports.
func ReadQueries(r io.Reader, name string) (QuerySet, error) {
	set := QuerySet{Name: name, Text: map[string]string{}}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 2
	head, err := cr.Read()
	if err != nil {
		return set, fmt.Errorf("%w: %s: line 1: %v", ErrData, name, err)
	}
	if strings.TrimPrefix(head[0], "\ufeff") != "projectID" || head[1] != "query" {
		return set, fmt.Errorf("%w: %s: line 1: header %q, want \"projectID,query\"", ErrData, name, strings.Join(head, ","))
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return set, fmt.Errorf("%w: %s: %v", ErrData, name, err)
		}
		id, text := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		switch {
		case id == "":
			return set, fmt.Errorf("%w: %s: line %d: field projectID is empty", ErrData, name, line)
		case text == "":
			return set, fmt.Errorf("%w: %s: line %d: field query of project %s is empty", ErrData, name, line, id)
		case len(text) > maxQueryText:
			return set, fmt.Errorf("%w: %s: line %d: field query of project %s has %d bytes, at most %d", ErrData, name, line, id, len(text), maxQueryText)
		}
		if _, dup := set.Text[id]; dup {
			return set, fmt.Errorf("%w: %s: line %d: project %s is listed twice", ErrData, name, line, id)
		}
		set.Projects = append(set.Projects, id)
		set.Text[id] = text
	}
	if len(set.Projects) == 0 {
		return set, fmt.Errorf("%w: %s: no queries", ErrData, name)
	}
	return set, nil
}
