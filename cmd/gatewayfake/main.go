// Command gatewayfake serves the contract-test fake of the Fireworks
// Gateway REST API (package api/gatewaytest) as a standalone process, as
// stripe-mock and Prism do, so that curl and clients in any language can
// run contract tests against it:
//
//	go run ./cmd/gatewayfake -port 8080
//	curl -H 'Authorization: Bearer any-key' http://127.0.0.1:8080/v1/accounts/acct/secrets
//
// It listens on a loopback address unless told otherwise, prints its URL,
// validates every request and response against the embedded spec, keeps
// Secrets in memory, and shuts down cleanly on SIGINT or SIGTERM.
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
	journal := flags.Int("journal-limit", 1000, "how many recent requests the fake keeps in its journal")
	if err := flags.Parse(args); err != nil {
		return err
	}
	logger := log.New(stderr, "gatewayfake: ", log.LstdFlags)
	fake, err := gatewaytest.NewHandler(gatewaytest.RequireAPIKey(*apiKey), gatewaytest.WithReporter(logReporter{logger}), gatewaytest.WithJournalLimit(*journal))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*host, strconv.Itoa(*port)))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second, ErrorLog: logger}
	fmt.Fprintf(stdout, "gatewayfake: Gateway REST API %s fake listening on http://%s\n", gen.SpecVersion, ln.Addr())

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
	fmt.Fprintln(stdout, "gatewayfake: stopped")
	return nil
}

// logReporter logs the fake's own failures (a response that would not
// match the spec), which a test would have failed on.
type logReporter struct{ *log.Logger }

func (r logReporter) Errorf(format string, args ...any) { r.Printf(format, args...) }
