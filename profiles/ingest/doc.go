/*
Package ingest reads registration spreadsheets into the store: it tells
CSV from XLSX and a participants file from an opportunities file, and
feeds the rows to the one row parser in package profiles, so a CSV file
and an XLSX workbook with the same columns import the same way (one
transaction, errors naming file, line, column and value).

The command line and the web upload both go through Detect and
(*File).Import; neither decides a format on its own.
*/
package ingest
