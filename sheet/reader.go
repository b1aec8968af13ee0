package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Caps of what an XLSX file may unpack to: an upload is small, a zip bomb
// is not.
const (
	maxUnzipped    = 256 << 20 // all parts of the archive
	maxUnzippedXML = 64 << 20  // one worksheet's XML held in memory
)

// ErrNotXLSX means the data is not an XLSX workbook.
var ErrNotXLSX = errors.New("not an XLSX workbook")

// IsXLSX reports whether data starts like an XLSX file (a ZIP archive).
func IsXLSX(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// XLSXReader reads the rows of the first worksheet of a workbook, one at a
// time, with each row's number (1-based, as Excel shows it).
type XLSXReader struct {
	book *excelize.File
	rows *excelize.Rows
	line int
}

// NewXLSXReader opens a workbook and its first worksheet.
func NewXLSXReader(r io.Reader) (*XLSXReader, error) {
	book, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzippedXML})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotXLSX, err)
	}
	sheets := book.GetSheetList()
	if len(sheets) == 0 {
		book.Close()
		return nil, fmt.Errorf("%w: the workbook has no worksheet", ErrNotXLSX)
	}
	rows, err := book.Rows(sheets[0])
	if err != nil {
		book.Close()
		return nil, fmt.Errorf("%w: worksheet %q: %w", ErrNotXLSX, sheets[0], err)
	}
	return &XLSXReader{book: book, rows: rows}, nil
}

// Read returns the next row's cells (trailing empty cells dropped; an
// empty row gives no cells), or io.EOF after the last row.
func (x *XLSXReader) Read() ([]string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, fmt.Errorf("xlsx row %d: %w", x.line+1, err)
		}
		return nil, io.EOF
	}
	x.line++
	cells, err := x.rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("xlsx row %d: %w", x.line, err)
	}
	return cells, nil
}

// Line is the row number of the row Read returned last.
func (x *XLSXReader) Line() int { return x.line }

// Close releases the workbook (and any temporary files it unpacked to).
func (x *XLSXReader) Close() error {
	return errors.Join(x.rows.Close(), x.book.Close())
}
