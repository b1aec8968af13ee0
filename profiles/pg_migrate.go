package profiles

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Migrations of the PostgreSQL schema: migrations/NNNN_name.sql, applied
// in order, each once, recorded in mg_schema. A small ordered list rather
// than a migration framework: the store has a handful of tables, the
// migrations must run on the store's own pgx pool under its own advisory
// lock (two servers starting at once), and refusing a schema newer than
// the program is the same rule as the bbolt file's schema version.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in version order; versions
// must run 1, 2, 3... without gaps.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []migration
	for i, path := range names {
		base := strings.TrimPrefix(path, "migrations/")
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: want version %d", base, i+1)
		}
		raw, err := migrationFiles.ReadFile(path)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(raw)})
	}
	return out, nil
}

// migrate brings the schema to the latest version in one transaction, or
// with readOnly only checks that it is there.
func migrate(ctx context.Context, pool *pgxpool.Pool, readOnly bool) error {
	all, err := migrations()
	if err != nil {
		return err
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended('matchgrid:migrate:' || current_schema(), 0))"); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if !readOnly {
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS mg_schema (
			version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	var exists bool
	if err := tx.QueryRow(ctx, "SELECT to_regclass('mg_schema') IS NOT NULL").Scan(&exists); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if !exists {
		return errors.New("not a matchgrid store (no mg_schema table)")
	}
	var have int
	if err := tx.QueryRow(ctx, "SELECT COALESCE(max(version), 0) FROM mg_schema").Scan(&have); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	switch {
	case have > len(all):
		return fmt.Errorf("schema version %d, this program understands %d", have, len(all))
	case have < len(all) && readOnly:
		return fmt.Errorf("schema version %d, this program needs %d (open it once for writing to migrate)", have, len(all))
	}
	for _, m := range all[have:] {
		if _, err := tx.Exec(ctx, m.sql); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO mg_schema (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return tx.Commit(ctx)
}
