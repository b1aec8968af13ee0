//go:build !linux

package profiles

// dropPages does nothing outside Linux: the pages stay mapped until the
// system needs them.
func dropPages([]byte) error { return nil }
