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
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     *sqliteURL,
		PostgreSQLURL: *postgresqlURL,
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
