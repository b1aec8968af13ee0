//go:build !race

package matcher

const raceBuild = false
