// Package schedtest holds what the scheduler's test packages share: where
// the B2BSP benchmark instances are. It is for tests only.
package schedtest
