// Command gatewayfake serves the contract-test fake of the Fireworks
// Gateway REST API (package api/gatewaytest) as a standalone process, as
// stripe-mock and Prism do, so that curl and clients in any language can
// run contract tests against it:
//
//	go run ./cmd/gatewayfake -port 8080 -seed fixtures.json -dump state.json
//	curl -H 'Authorization: Bearer any-key' http://127.0.0.1:8080/v1/accounts/acct/secrets
//
// It listens on a loopback address unless told otherwise, prints its URL,
// validates every request and response against the embedded spec, keeps
// every collection of the spec in memory (seeded from -seed, written to
// -dump when it stops), runs long-running states (-settle-reads,
// -settle-after), serves signed-URL storage, and shuts down cleanly on
// SIGINT or SIGTERM. Its admin endpoints (/_gatewaytest/state,
// /_gatewaytest/setState, /_gatewaytest/advance, /_gatewaytest/session) let
// a test in any language seed, dump, reset, force a state, step the clock
// and sign in: a session whose token expires after -session-ttl and is
// refreshed through POST /v1/auth/refresh, as the Gateway's.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gatewayfake:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends, then shuts down, letting requests in flight
// finish for up to 5 seconds.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("gatewayfake", flag.ContinueOnError)
	flags.SetOutput(stderr)
	host := flags.String("host", "127.0.0.1", "address to listen on")
	port := flags.Int("port", 8080, "port to listen on (0 picks a free one)")
	apiKey := flags.String("api-key", "", "accept only this Bearer token (default: any well-formed token)")
	journal := flags.Int("journal-limit", gatewaytest.DefaultJournalLimit, "how many recent requests the fake keeps in its journal")
	seed := flags.String("seed", "", "store the resources of this fixtures `file` (JSON, as -dump writes) before serving")
	dump := flags.String("dump", "", "write the stored resources to this `file` when stopping (sensitive values left out)")
	strict := flags.Bool("strict", false, "refuse request body properties the spec does not declare (a proto-JSON server drops them)")
	settleReads := flags.Int("settle-reads", gatewaytest.DefaultSettleReads, "reads that see a transitional state (CREATING) before it settles (READY)")
	settleAfter := flags.Duration("settle-after", 0, "settle transitional states after this long instead of after -settle-reads reads")
	urlExpiry := flags.Duration("url-expiry", gatewaytest.DefaultSignedURLExpiry, "how long signed storage URLs stay valid")
	storageMemory := flags.Int64("storage-memory", gatewaytest.DefaultStorageMemory, "the most `bytes` storage holds in memory (files and uploads in progress); a PUT beyond it is 507")
	sessionTTL := flags.Duration("session-ttl", gatewaytest.DefaultSessionTTL, "how long a session token lives (POST /_gatewaytest/session, /v1/auth/refresh)")
	refreshTTL := flags.Duration("refresh-ttl", gatewaytest.DefaultRefreshTTL, "how long a refresh token stays usable")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *sessionTTL <= 0 || *refreshTTL <= 0 {
		return errors.New("-session-ttl and -refresh-ttl must be positive durations")
	}
	if *storageMemory <= 0 {
		return errors.New("-storage-memory must be a positive number of bytes")
	}
	logger := log.New(stderr, "gatewayfake: ", log.LstdFlags)
	opts := []gatewaytest.Option{
		gatewaytest.RequireAPIKey(*apiKey), gatewaytest.WithReporter(logReporter{logger}), gatewaytest.WithJournalLimit(*journal),
		gatewaytest.WithSettleReads(*settleReads), gatewaytest.WithSettleAfter(*settleAfter), gatewaytest.WithSignedURLExpiry(*urlExpiry),
		gatewaytest.WithSessionTTL(*sessionTTL), gatewaytest.WithRefreshTTL(*refreshTTL),
	}
	if *strict {
		opts = append(opts, gatewaytest.WithStrictBodies())
	}
	opts = append(opts, gatewaytest.WithStorageMemoryLimit(*storageMemory))
	fake, err := gatewaytest.NewHandler(opts...)
	if err != nil {
		return err
	}
	if *seed != "" {
		if err := seedFrom(fake, *seed); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*host, strconv.Itoa(*port)))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second, ErrorLog: logger}
	if _, err := fmt.Fprintf(stdout, "gatewayfake: Gateway REST API %s fake listening on http://%s\n", gen.SpecVersion, ln.Addr()); err != nil {
		_ = ln.Close()
		return err // whoever started the fake cannot learn its address
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if *dump != "" {
		if err := dumpTo(fake, *dump); err != nil {
			return err
		}
		if _, err := fmt.Fprintln(stdout, "gatewayfake: state written to", *dump); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintln(stdout, "gatewayfake: stopped")
	return err
}

func seedFrom(fake *gatewaytest.Handler, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }() // read only: closing cannot lose data
	return fake.Seed(f)
}

// dumpTo writes the fake's state to path through a temporary file in the
// same directory, so that a reader never sees half a file.
func dumpTo(fake *gatewaytest.Handler, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".gatewayfake-dump-*")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // after a successful rename, there is nothing to remove
	if err := fake.Dump(tmp); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// logReporter logs the fake's own failures (a response that would not
// match the spec), which a test would have failed on.
type logReporter struct{ *log.Logger }

func (r logReporter) Errorf(format string, args ...any) { r.Printf(format, args...) }
