// Command ferretdb starts FerretDB 1.24 from its embeddable package.
//
// FerretDB's own cmd/ferretdb cannot be built with `go install` (its version file is generated at release
// time), so WestWallet wraps github.com/FerretDB/FerretDB/ferretdb instead. Used only for local development
// and tests; production runs on MongoDB.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/jackc/pgx/v5"
)

// preparePostgres makes sure the database of url exists, creating it (UTF8, locale C.UTF-8, or C where that
// locale is missing) through the server's "postgres" database; reset drops it first. FerretDB needs the database
// to exist before it starts. dropOnly drops it and creates nothing (the end of a test run).
func preparePostgres(ctx context.Context, url string, reset, dropOnly bool) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("bad -postgresql-url: %w", err)
	}
	name := cfg.Database
	if name == "" || name == "postgres" {
		return errors.New("-postgresql-url must name a database of its own")
	}
	cfg.Database = "postgres"
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("cannot connect to PostgreSQL: %w", err)
	}
	defer conn.Close(ctx)

	ident := pgx.Identifier{name}.Sanitize()
	if reset {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("cannot drop database %s: %w", name, err)
		}
	}
	if dropOnly {
		return nil
	}
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	create := "CREATE DATABASE " + ident + " ENCODING 'UTF8' TEMPLATE template0 "
	if _, err := conn.Exec(ctx, create+"LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"); err != nil {
		if _, err2 := conn.Exec(ctx, create+"LC_COLLATE 'C' LC_CTYPE 'C'"); err2 != nil {
			return fmt.Errorf("cannot create database %s: %w", name, err)
		}
	}
	return nil
}

// ginIndexes makes FerretDB's PostgreSQL backend use indexes for the equalities it pushes down. FerretDB 1.24
// filters `_jsonb -> 'field' @> value` and creates only btree indexes on `_jsonb -> 'field'`, which containment
// cannot use, so every query scanned its whole table (docs/ferretdb.md). An event trigger adds a GIN index on the
// same expression next to every btree index FerretDB creates (the collection's `_id` and each field of the app's
// Mongoose indexes), and the backfill covers indexes that exist already. Idempotent; needs a superuser (the local
// PostgreSQL's trust auth): without one FerretDB runs as before.
const ginIndexes = `
CREATE OR REPLACE FUNCTION westwallet_gin_for(idx oid) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
  tbl regclass;
  method text;
  keys int;
  expr text;
BEGIN
  SELECT i.indrelid::regclass, a.amname, i.indnkeyatts INTO tbl, method, keys
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
   WHERE i.indexrelid = idx;
  IF method IS DISTINCT FROM 'btree' THEN RETURN; END IF;
  FOR k IN 1..keys LOOP
    expr := pg_get_indexdef(idx, k, true);
    IF expr ~ '^\(_jsonb -> ''[^'']+''::text\)$' THEN
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin (%s) WITH (fastupdate = off)',
        'wwgin_' || substr(md5(tbl::text || expr), 1, 20), tbl, expr);
    END IF;
  END LOOP;
END $f$;

CREATE OR REPLACE FUNCTION westwallet_gin_trigger() RETURNS event_trigger LANGUAGE plpgsql AS $f$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    BEGIN
      PERFORM westwallet_gin_for(r.objid);
    EXCEPTION WHEN OTHERS THEN
      -- never fail FerretDB's own CREATE INDEX over an extra index
      RAISE WARNING 'westwallet_gin: %', SQLERRM;
    END;
  END LOOP;
END $f$;

DROP EVENT TRIGGER IF EXISTS westwallet_gin;
CREATE EVENT TRIGGER westwallet_gin ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION westwallet_gin_trigger();

SELECT westwallet_gin_for(i.indexrelid)
  FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'public');
`

// installGinIndexes runs ginIndexes in the database of url.
func installGinIndexes(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, ginIndexes)
	return err
}

// withCustomPlans asks PostgreSQL to plan every statement with its parameters: FerretDB sends the field name as a
// parameter (`_jsonb -> $1`), and the generic plan PostgreSQL switches to after five runs of a prepared statement
// cannot match an index expression, so it scans.
func withCustomPlans(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	if q.Get("plan_cache_mode") == "" {
		q.Set("plan_cache_mode", "force_custom_plan")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (keep it on loopback)")
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite URI of an existing directory")
	postgresqlURL := flag.String("postgresql-url", "postgres://127.0.0.1:5432/ferretdb", "PostgreSQL URL")
	prepare := flag.String("postgresql-prepare", "", "create: create the PostgreSQL database if missing; reset: drop and create it; drop: drop it and exit")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad -log-level %q\n", *logLevel)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if *handler == "postgresql" && *prepare != "" {
		if *prepare != "create" && *prepare != "reset" && *prepare != "drop" {
			fmt.Fprintf(os.Stderr, "ferretdb: bad -postgresql-prepare %q (create, reset or drop)\n", *prepare)
			os.Exit(2)
		}
		if err := preparePostgres(ctx, *postgresqlURL, *prepare != "create", *prepare == "drop"); err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb: %s\n", err)
			os.Exit(1)
		}
		if *prepare == "drop" {
			return
		}
		if err := installGinIndexes(ctx, *postgresqlURL); err != nil {
			logger.Warn("no GIN indexes for pushed-down equalities; queries scan their tables", "error", err)
		}
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: withCustomPlans(*postgresqlURL),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %s\n", err)
		os.Exit(1)
	}

	fmt.Fprintf(os.Stderr, "ferretdb: listening on %s (%s backend)\n", *listen, *handler)
	if err := f.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %s\n", err)
		os.Exit(1)
	}
}
