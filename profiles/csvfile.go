package profiles

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// The CSV reader shared by every CSV importer (registrations, CORDIS):
// columns found by header name, the record's line for errors, and values
// that fail turned into *LineError naming file, line, column and value.

// maxCSVRows bounds one file, so that garbage cannot exhaust memory.
const maxCSVRows = 1_000_000

// RowReader is a source of rows: a CSV file, or a worksheet of a
// spreadsheet (package sheet reads XLSX). Read returns io.EOF after the
// last row; Line is the 1-based line or row number of the row Read
// returned last, for error messages.
type RowReader interface {
	Read() ([]string, error)
	Line() int
}

// csvRows reads CSV records as rows.
type csvRows struct {
	name string
	cr   *csv.Reader
}

func (c *csvRows) Read() ([]string, error) {
	rec, err := c.cr.Read()
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, csvReadError(c.name, err)
	}
	return rec, err
}

func (c *csvRows) Line() int { line, _ := c.cr.FieldPos(0); return line }

// csvFile is a file of rows being read: its header and the current record.
type csvFile struct {
	name    string
	reader  RowReader
	columns map[string]int // normalised column name -> index
	header  []string
	record  []string
	line    int
}

// openCSV reads the header. It accepts a UTF-8 byte-order mark (Excel
// writes one) and semicolon-separated files (Excel in most of Europe).
func openCSV(r io.Reader, name string) (*csvFile, error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	first, _ := br.Peek(4096)
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	cr := csv.NewReader(br)
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	return openRows(&csvRows{name: name, cr: cr}, name)
}

// openRows reads the header row of any row source.
func openRows(rows RowReader, name string) (*csvFile, error) {
	header, err := rows.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &LineError{File: name, Line: 1, Err: fmt.Errorf("%w: empty file, expected a header row", ErrInvalid)}
		}
		return nil, err
	}
	f := &csvFile{name: name, reader: rows, columns: map[string]int{}, header: header, line: rows.Line()}
	for i, h := range header {
		key := normalizeColumn(h)
		if key == "" {
			continue
		}
		if prev, dup := f.columns[key]; dup {
			return nil, &LineError{File: name, Line: 1, Column: h, Err: fmt.Errorf("%w: column appears twice (also column %d)", ErrInvalid, prev+1)}
		}
		f.columns[key] = i
	}
	return f, nil
}

// normalizeColumn maps "Organisation Name", "organization-name" and
// "ORGANIZATION_NAME" to one key.
func normalizeColumn(h string) string {
	return columnSpelling.Replace(strings.ToLower(strings.TrimSpace(h)))
}

// columnSpelling is built once: a Replacer's tables cost more to build
// than to use, and the CORDIS readers normalize a name per cell.
var columnSpelling = strings.NewReplacer(" ", "_", "-", "_", "organisation", "organization")

func csvReadError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &LineError{File: name, Line: pe.StartLine, Err: fmt.Errorf("%w: column %d: %w", ErrInvalid, pe.Column, pe.Err)}
	}
	return &LineError{File: name, Err: fmt.Errorf("read: %w", err)}
}

// next reads the next record, skipping empty rows; false at the end of
// the file. A cell that an export neutralised against formula injection
// (an apostrophe before '=', '+', '-', '@', ...) reads as its value.
func (f *csvFile) next() (bool, error) {
	for {
		rec, err := f.reader.Read()
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		f.line = f.reader.Line()
		if emptyRow(rec) {
			continue
		}
		for i, cell := range rec {
			rec[i] = unneutralize(cell)
		}
		f.record = rec
		return true, nil
	}
}

func emptyRow(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// unneutralize drops the apostrophe that spreadsheet exports put before a
// cell starting with '=', '+', '-', '@', a tab or a carriage return (see
// package sheet), so that an exported file imports back unchanged.
func unneutralize(cell string) string {
	if len(cell) > 1 && cell[0] == '\'' && strings.IndexByte("=+-@\t\r", cell[1]) >= 0 {
		return cell[1:]
	}
	return cell
}

// has reports whether the header has the column (names compare normalised).
func (f *csvFile) has(col string) bool { _, ok := f.columns[normalizeColumn(col)]; return ok }

// get returns the trimmed value of a column in the current record ("" if absent).
func (f *csvFile) get(col string) string {
	if i, ok := f.columns[normalizeColumn(col)]; ok && i < len(f.record) {
		return strings.TrimSpace(f.record[i])
	}
	return ""
}

// list splits a multi-valued cell on ';' or '|' (',' when the file is
// semicolon-separated would be ambiguous, so it is never a separator).
func (f *csvFile) list(col string) []string {
	v := f.get(col)
	if v == "" {
		return nil
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '|' })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// fail returns an error at the current line naming the column and its value.
func (f *csvFile) fail(col string, err error) error {
	name := col
	if i, ok := f.columns[normalizeColumn(col)]; ok {
		name = f.header[i]
	}
	return &LineError{File: f.name, Line: f.line, Column: name, Value: f.get(col), Err: err}
}

// failf is fail with an ErrInvalid message.
func (f *csvFile) failf(col, format string, args ...any) error {
	return f.fail(col, fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...)))
}

// require checks that the header has the given columns.
func (f *csvFile) require(cols ...string) error {
	for _, c := range cols {
		if !f.has(c) {
			return &LineError{File: f.name, Line: 1, Column: c, Err: fmt.Errorf("%w: required column missing (header has %s)", ErrInvalid, strings.Join(f.header, ", "))}
		}
	}
	return nil
}

// entityError turns a store or validation error into a LineError, naming
// the CSV column that holds the field at fault.
func (f *csvFile) entityError(columnOf map[string]string, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		col := fe.Field
		if c, ok := columnOf[fe.Field]; ok {
			col = c
		}
		if f.has(col) {
			return f.fail(col, err)
		}
	}
	return &LineError{File: f.name, Line: f.line, Err: err}
}

// nonEmpty returns a column's value, or an error when it is empty.
func (f *csvFile) nonEmpty(col string) (string, error) {
	v := f.get(col)
	if v == "" {
		return "", f.failf(col, "must not be empty")
	}
	return v, nil
}

// date parses a YYYY-MM-DD column; empty gives the zero time unless required.
func (f *csvFile) date(col string, required bool) (time.Time, error) {
	v := f.get(col)
	if v == "" {
		if required {
			return time.Time{}, f.failf(col, "must not be empty")
		}
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, f.failf(col, "must be a date YYYY-MM-DD")
	}
	return d, nil
}

// boolean parses "true"/"false" (any case); empty gives nil.
func (f *csvFile) boolean(col string) (*bool, error) {
	switch strings.ToLower(f.get(col)) {
	case "":
		return nil, nil
	case "true":
		b := true
		return &b, nil
	case "false":
		b := false
		return &b, nil
	}
	return nil, f.failf(col, "must be true, false or empty")
}
