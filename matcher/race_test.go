//go:build race

package matcher

// raceBuild is set when the race detector (about 6x slower) is on, so
// that the heaviest tests trim their work.
const raceBuild = true
