package sheet

import (
	"errors"
	"fmt"
	"strings"
)

// ErrFormat means a format name is not one this package writes.
var ErrFormat = errors.New("unknown spreadsheet format")

// Format is a spreadsheet file format.
type Format int

// The formats a Writer writes.
const (
	// CSV is comma-separated UTF-8 without a byte-order mark (RFC 4180).
	CSV Format = iota
	// CSVExcel is what Excel in Italy (and most of Europe) opens with a
	// double click: a UTF-8 byte-order mark and ';' between cells.
	CSVExcel
	// XLSX is an Office Open XML workbook with one worksheet.
	XLSX
)

// Formats lists every format in the order a page offers them.
var Formats = []Format{CSV, CSVExcel, XLSX}

// String is the format's name as ParseFormat accepts it.
func (f Format) String() string {
	switch f {
	case CSVExcel:
		return "csv-excel"
	case XLSX:
		return "xlsx"
	}
	return "csv"
}

// ParseFormat reads a format name: "csv" (or ""), "csv-excel" (also
// "csv-it", "csv-semicolon") or "xlsx".
func ParseFormat(name string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "csv":
		return CSV, nil
	case "csv-excel", "csv-it", "csv-semicolon", "excel-csv":
		return CSVExcel, nil
	case "xlsx":
		return XLSX, nil
	}
	return CSV, fmt.Errorf("%w %q: expected csv, csv-excel or xlsx", ErrFormat, name)
}

// Ext is the file name extension of the format, with its dot.
func (f Format) Ext() string {
	if f == XLSX {
		return ".xlsx"
	}
	return ".csv"
}

// ContentType is the MIME type of the format.
func (f Format) ContentType() string {
	if f == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// Label is how a page names the format to a person.
func (f Format) Label() string {
	switch f {
	case CSVExcel:
		return "CSV for Excel (;)"
	case XLSX:
		return "Excel (XLSX)"
	}
	return "CSV"
}
