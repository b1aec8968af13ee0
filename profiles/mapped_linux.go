package profiles

import "syscall"

// dropPages drops the process's mapping of the pages of b, a read-only
// shared file mapping (madvise MADV_DONTNEED): resident memory falls, the
// data stays in the page cache.
func dropPages(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	return syscall.Madvise(b, syscall.MADV_DONTNEED)
}
