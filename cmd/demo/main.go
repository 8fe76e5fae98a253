// Command demo shows the SDK at work and prints each step: the Secrets
// lifecycle (create, get, list, update, delete), then the workflows Go
// teams write by hand today: create a dataset, upload a generated file
// through its signed URL with a progress bar, wait for the dataset to be
// READY, create a deployment and wait for it. By default it runs against
// the embedded fake Gateway (package api/gatewaytest), with no API key and
// no network, and the fake fails a call on the way to show a retry. Its
// client reads its credential as a user's program would read a profile of
// firectl: the demo signs in to the fake, writes the session into profile
// "demo" of a temporary credentials directory, and builds the client with
// api.WithCredentialsDir and api.WithProfile, printing which source
// supplied each value (never the value):
//
//	make demo            # or: go run ./cmd/demo
//
// With -real it runs against the real API, on throwaway resources that it
// deletes at the end, using FIREWORKS_API_KEY and FIREWORKS_ACCOUNT_ID (a
// deployment costs money while it runs: -model picks a small one):
//
//	FIREWORKS_API_KEY=... FIREWORKS_ACCOUNT_ID=... go run ./cmd/demo -real
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
	"github.com/fireworks-gateway/go-sdk/gen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, w io.Writer, getenv func(string) string) (err error) {
	out := &printer{w: w}
	defer func() {
		if err == nil {
			err = out.err
		}
	}()
	flags := flag.NewFlagSet("demo", flag.ContinueOnError)
	flags.SetOutput(out)
	real := flags.Bool("real", false, "run against the real API (needs FIREWORKS_API_KEY and FIREWORKS_ACCOUNT_ID)")
	model := flags.String("model", "accounts/fireworks/models/llama-v3p1-8b-instruct", "the base model of the demo's deployment")
	fileSize := flags.Int64("file-size", 8<<20, "the size of the generated dataset file, in bytes")
	if err := flags.Parse(args); err != nil {
		return err
	}
	logger := slog.New(&retryPrinter{out: out})

	var (
		client  *api.Client
		fake    *gatewaytest.Server
		account string
	)
	if *real {
		account = getenv("FIREWORKS_ACCOUNT_ID")
		if getenv(api.EnvAPIKey) == "" || account == "" {
			return errors.New("-real needs FIREWORKS_API_KEY and FIREWORKS_ACCOUNT_ID")
		}
		client, err = api.New(api.WithAPIKey(getenv(api.EnvAPIKey)), api.WithAccount(account), api.WithLogger(logger))
		if err != nil {
			return err
		}
		out.printf("Secrets lifecycle against the real API at %s, account %s\n\n", client.BaseURL(), account)
	} else {
		account = "demo-account"
		fake, err = gatewaytest.NewServer(gatewaytest.WithSettleAfter(2 * time.Second))
		if err != nil {
			return err
		}
		defer fake.Close()
		dir, err := writeDemoProfile(fake, account)
		if err != nil {
			return err
		}
		defer func() { _ = os.RemoveAll(dir) }()
		out.printf("Secrets lifecycle against the embedded fake Gateway (spec %s) at %s\n", gen.SpecVersion, fake.URL)
		out.printf("(no API key, no network; run with -real for the real API)\n")
		out.printf("signed in to the fake; the session is in profile %q of a temporary credentials directory,\n", demoProfile)
		out.printf("read with api.WithCredentialsDir and api.WithProfile (where each value came from; never the value):\n")
		client, err = api.New(api.WithCredentialsDir(dir), api.WithProfile(demoProfile), api.WithLogger(logger))
		if err != nil {
			return err
		}
		defer client.CloseIdleConnections()
		out.println("")
	}
	if err := lifecycle(ctx, out, client, fake, account); err != nil {
		return err
	}
	return workflow(ctx, out, client, fake, *model, *fileSize)
}

// lifecycle creates a throwaway secret, reads, lists, updates and deletes
// it, printing each step. The secret is deleted even when a step fails.
func lifecycle(ctx context.Context, out *printer, c *api.Client, fake *gatewaytest.Server, account string) (err error) {
	id := "sdk-demo-" + randomSuffix()
	step := func(n int, what string) { out.printf("%d. %s\n", n, what) }
	done := func(format string, args ...any) { out.printf("   ok: "+format+"\n", args...) }
	value := "sk-demo-" + randomSuffix()

	step(1, fmt.Sprintf("create secret %s (keyName DEMO_API_KEY)", id))
	created, err := c.Secrets.Create(ctx, gen.Secret{Name: id, KeyName: "DEMO_API_KEY", Value: &value})
	if err != nil {
		return err
	}
	done("created %s", created.Name)
	deleted := false
	defer func() {
		if !deleted {
			err = errors.Join(err, c.Secrets.Delete(context.WithoutCancel(ctx), id))
		}
	}()

	step(2, "get it back")
	got, err := c.Secrets.Get(ctx, id, nil)
	if err != nil {
		return err
	}
	done("keyName %s; the value is write-only and never returned (value present: %v)", got.KeyName, got.Value != nil)

	step(3, "list the account's secrets, 10 a page")
	n := 0
	for s, err := range c.Secrets.ListAll(ctx, &gen.ListSecretsParams{PageSize: api.Ptr(int32(10))}) {
		if err != nil {
			return err
		}
		n++
		if s.Name == created.Name {
			done("found %s among the account's secrets", s.Name)
		}
	}
	done("%d secret(s) in all", n)

	step(4, "update its value")
	if fake != nil {
		fake.Inject("UpdateSecret", gatewaytest.Fault{Status: 503, RetryAfterMs: "200", Message: "the fake is unavailable, once", Times: 1})
		out.println("   (the fake will answer this update with 503 and retry-after-ms: 200 once)")
	}
	newValue := "sk-demo-rotated-" + randomSuffix()
	start := time.Now()
	updated, err := c.Secrets.Update(ctx, id, gen.UpdateSecretBody{KeyName: "DEMO_API_KEY", Value: &newValue})
	if err != nil {
		return err
	}
	done("updated %s in %v", updated.Name, time.Since(start).Round(time.Millisecond))
	if fake != nil {
		stored, _ := fake.SecretValue(account, id)
		done("the fake received the new value: %v", stored == newValue)
	}

	step(5, "delete it")
	if err := c.Secrets.Delete(ctx, id); err != nil {
		return err
	}
	deleted = true
	done("deleted")

	step(6, "get it again")
	_, err = c.Secrets.Get(ctx, id, nil)
	var apiErr *api.Error
	if !errors.As(err, &apiErr) || !errors.Is(err, api.ErrNotFound) {
		return fmt.Errorf("get after delete: want NOT_FOUND, got %v", err)
	}
	done("%d %s, as expected: %s", apiErr.StatusCode, apiErr.Code, apiErr.Message)
	return nil
}

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// retryPrinter is a slog.Handler that prints the SDK's retry lines (info
// level) readably, and drops its per-attempt debug lines.
type retryPrinter struct{ out io.Writer }

func (p *retryPrinter) Enabled(_ context.Context, l slog.Level) bool { return true }
func (p *retryPrinter) WithAttrs([]slog.Attr) slog.Handler           { return p }
func (p *retryPrinter) WithGroup(string) slog.Handler                { return p }

func (p *retryPrinter) Handle(_ context.Context, r slog.Record) error {
	attrs := map[string]string{}
	r.Attrs(func(a slog.Attr) bool {
		attrs[a.Key] = a.Value.String()
		if a.Value.Kind() == slog.KindDuration {
			attrs[a.Key] = a.Value.Duration().Round(time.Millisecond).String()
		}
		return true
	})
	switch r.Message {
	case "fireworks credentials": // New says where each value came from, never the value
		_, err := fmt.Fprintf(p.out, "   credential: %s\n   account:    %s\n   base URL:   %s\n",
			attrs["credential"], attrs["account"], attrs["base_url"])
		return err
	case "fireworks request failed, retrying":
	default:
		return nil // the waits' and attempts' lines: the demo prints their progress itself
	}
	_, err := fmt.Fprintf(p.out, "   retry: %s %s answered %s on attempt %s; waiting %s before the next\n",
		attrs["method"], attrs["path"], attrs["status"], attrs["attempt"], attrs["wait"])
	return err
}
