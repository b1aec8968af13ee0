package sheet

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// bom is the UTF-8 byte-order mark Excel looks for to read a CSV as UTF-8.
var bom = []byte{0xEF, 0xBB, 0xBF}

// Writer writes rows to a spreadsheet file, neutralising every cell.
// Call Close to finish the file; for XLSX nothing reaches the underlying
// writer before Close.
type Writer struct {
	format Format
	out    io.Writer
	csv    *csv.Writer
	book   *excelize.File
	stream *excelize.StreamWriter
	rows   int
	header int // style of the first row in XLSX (bold)
	closed bool
}

// NewWriter starts a file of the given format on w. sheetName names the
// worksheet of an XLSX file (ignored for CSV; Excel allows 31 characters).
func NewWriter(w io.Writer, f Format, sheetName string) (*Writer, error) {
	sw := &Writer{format: f, out: w}
	switch f {
	case CSV, CSVExcel:
		if f == CSVExcel {
			if _, err := w.Write(bom); err != nil {
				return nil, err
			}
		}
		sw.csv = csv.NewWriter(w)
		if f == CSVExcel {
			sw.csv.Comma = ';'
		}
		return sw, nil
	case XLSX:
		return sw, sw.startBook(sheetName)
	}
	return nil, fmt.Errorf("%w %d", ErrFormat, int(f))
}

func (w *Writer) startBook(sheetName string) error {
	w.book = excelize.NewFile()
	name := sheetTitle(sheetName)
	if err := w.book.SetSheetName("Sheet1", name); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	stream, err := w.book.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	w.stream = stream
	w.header, err = w.book.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// sheetTitle makes a valid worksheet name: at most 31 characters, none of
// the ones Excel forbids.
func sheetTitle(name string) string {
	var out []rune
	for _, r := range name {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			r = '-'
		}
		out = append(out, r)
		if len(out) == 31 {
			break
		}
	}
	if len(out) == 0 {
		return "Sheet1"
	}
	return string(out)
}

// Write writes one row. The first row of an XLSX file is bold (the header).
func (w *Writer) Write(row []string) error {
	w.rows++
	if w.csv != nil {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = Neutralize(c)
		}
		return w.csv.Write(cells)
	}
	cells := make([]any, len(row))
	for i, c := range row {
		cells[i] = Neutralize(c)
	}
	cell, err := excelize.CoordinatesToCellName(1, w.rows)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	var opts []excelize.RowOpts
	if w.rows == 1 {
		opts = append(opts, excelize.RowOpts{StyleID: w.header})
	}
	if err := w.stream.SetRow(cell, cells, opts...); err != nil {
		return fmt.Errorf("xlsx row %d: %w", w.rows, err)
	}
	return nil
}

// Rows returns how many rows were written.
func (w *Writer) Rows() int { return w.rows }

// Close finishes the file. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.csv != nil {
		w.csv.Flush()
		return w.csv.Error()
	}
	defer w.book.Close()
	if err := w.stream.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if _, err := w.book.WriteTo(w.out); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// WriteFile writes a whole file: fill writes the rows, WriteFile starts and
// finishes the format around them.
func WriteFile(out io.Writer, f Format, sheetName string, fill func(w *Writer) error) error {
	w, err := NewWriter(out, f, sheetName)
	if err != nil {
		return err
	}
	if err := fill(w); err != nil {
		if w.book != nil {
			w.book.Close()
		}
		return err
	}
	return w.Close()
}
