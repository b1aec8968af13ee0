// Package datadirtest lets the tests of one test binary share a data
// directory that is slow to build (the demo event takes tens of seconds
// to import under -race): it is built once, into a directory that Main
// removes after the tests, and every test gets its own copy to change.
//
// A package that uses Dir declares
//
//	func TestMain(m *testing.M) { os.Exit(datadirtest.Main(m)) }
//
// without it, Dir builds the directory afresh for every test (correct,
// only slower).
package datadirtest
