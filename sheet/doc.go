/*
Package sheet reads and writes spreadsheet files: CSV (comma-separated
UTF-8, or the variant Excel in Italy and most of Europe opens directly: a
UTF-8 byte-order mark and ';' between cells) and XLSX (Office Open XML,
through github.com/xuri/excelize/v2 with its streaming writer, so a large
grid does not sit in memory as cell objects).

It knows nothing of matchgrid's domain: callers hand it rows of strings.

# Writing

NewWriter returns a Writer for a Format. Every cell it writes goes through
Neutralize first, in every format: a cell that starts with '=', '+', '-',
'@', a tab or a carriage return gets a leading apostrophe, so that a
spreadsheet application shows it as text instead of running it as a
formula (CSV or formula injection, OWASP). This is the one place where
exports are made safe; an exporter writes through a Writer and needs no
escaping of its own.

# Reading

NewXLSXReader reads the first worksheet of an XLSX file row by row, with
the row number of each row (for error messages), and caps how much the
archive may unpack to. CSV reading stays with the importers that own the
columns (package profiles), which accept both CSV variants.

# Caveats

  - Neutralize changes values that legitimately start with '-' or '+'
    (a phone number "+39 ...") by prefixing an apostrophe; importers strip
    it again (Unneutralize), so an export imports back unchanged.
  - XLSX cells are written as text, never as numbers or formulas.
*/
package sheet
