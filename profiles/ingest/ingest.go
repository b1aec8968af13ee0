package ingest

import (
	"bytes"
	"fmt"

	"github.com/matchgrid/matchgrid/profiles"
	"github.com/matchgrid/matchgrid/sheet"
)

// File is a registration spreadsheet read into memory and recognised.
type File struct {
	Name string
	Data []byte
	// XLSX is true for a workbook (its first worksheet is read), false for CSV.
	XLSX bool
	// Kind says which importer the header is for.
	Kind profiles.CSVKind
}

// Detect recognises a file from its bytes: an XLSX workbook or a CSV file
// (comma or semicolon, with or without a byte-order mark), and from its
// header whether it lists participants or opportunities. A header that is
// neither is a *profiles.LineError on line 1.
func Detect(name string, data []byte) (*File, error) {
	f := &File{Name: name, Data: data, XLSX: sheet.IsXLSX(data)}
	var err error
	if f.XLSX {
		err = f.withRows(func(rows profiles.RowReader) error {
			f.Kind, err = profiles.DetectKind(rows, name)
			return err
		})
	} else {
		f.Kind, err = profiles.DetectCSVKind(bytes.NewReader(data), name)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// withRows opens the workbook's first worksheet for fn.
func (f *File) withRows(fn func(rows profiles.RowReader) error) error {
	x, err := sheet.NewXLSXReader(bytes.NewReader(f.Data))
	if err != nil {
		return &profiles.LineError{File: f.Name, Line: 1, Err: fmt.Errorf("%w: %w", profiles.ErrInvalid, err)}
	}
	defer x.Close()
	return fn(x)
}

// Import imports the file into the event opts.EventID inside the caller's
// transaction: on the first bad row it returns a *profiles.LineError and
// the caller's Update writes nothing.
func (f *File) Import(tx *profiles.Tx, opts profiles.CSVOptions) (profiles.CSVStats, error) {
	if opts.File == "" {
		opts.File = f.Name
	}
	if !f.XLSX {
		if f.Kind == profiles.CSVOpportunities {
			return tx.ImportOpportunitiesCSV(bytes.NewReader(f.Data), opts)
		}
		return tx.ImportParticipantsCSV(bytes.NewReader(f.Data), opts)
	}
	var stats profiles.CSVStats
	err := f.withRows(func(rows profiles.RowReader) error {
		var err error
		if f.Kind == profiles.CSVOpportunities {
			stats, err = tx.ImportOpportunities(rows, opts)
		} else {
			stats, err = tx.ImportParticipants(rows, opts)
		}
		return err
	})
	return stats, err
}
