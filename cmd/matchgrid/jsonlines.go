package main

import (
	"encoding/json"
	"io"
)

// writeJSONLines writes each row as one line of JSON, the --json form of
// the benchmark commands.
func writeJSONLines[T any](w io.Writer, rows []T) error {
	enc := json.NewEncoder(w)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}
