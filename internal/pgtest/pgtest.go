// Package pgtest gives tests a throwaway PostgreSQL schema. The database is
// named by MATCHGRID_TEST_POSTGRES (a postgres:// URL; .ci/run starts
// PostgreSQL and sets it). Without it, a test that needs PostgreSQL is
// skipped with a message, or fails when CI is set, so that CI never passes
// without having run the PostgreSQL tests.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL is the environment variable naming the test database.
const EnvURL = "MATCHGRID_TEST_POSTGRES"

// URL returns the URL of a fresh, empty schema in the test database
// (search_path set in the URL), dropped when the test ends. It skips the
// test, or fails it under CI, when no database is configured or reachable.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		unavailable(t, EnvURL+" is not set (e.g. postgres:///matchgrid_test?host=/var/run/postgresql)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		unavailable(t, "cannot connect to "+EnvURL+": "+err.Error())
	}
	defer conn.Close(ctx)
	var b [6]byte
	rand.Read(b[:])
	schema := "mgtest_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("pgtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Logf("pgtest: drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Logf("pgtest: drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func unavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("PostgreSQL test cannot run under CI: %s", why)
	}
	t.Skipf("skipping the PostgreSQL test: %s", why)
}
