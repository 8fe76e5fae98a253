package api_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fireworks-gateway/go-sdk/api"
	"github.com/fireworks-gateway/go-sdk/internal/compilecheck"
)

// TestMisplacedOptionsDoNotCompile: an option given where it means nothing
// is a compile error, not a runtime one: a Client option to a call or to
// With, a wait option to a call, a transfer option to a call or a Wait, a
// wait option to a Download, WaitAfterUpload to a Download. The well-placed
// ones beside them compile.
func TestMisplacedOptionsDoNotCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program with the go command")
	}
	misplaced := []string{
		`c.Secrets.Get(ctx, "s", nil, api.WithAPIKey("fw-0123456789"))`,
		`c.With(api.WithBaseURL("https://api.fireworks.ai"))`,
		`c.Secrets.Get(ctx, "s", nil, api.WithProfile("p"))`,
		`c.With(api.WithoutCredentialFiles())`,
		`c.Secrets.Get(ctx, "s", nil, api.WithSession("id", "refresh"))`,
		`c.Secrets.Get(ctx, "s", nil, api.UntilStates("READY"))`,
		`c.Secrets.Update(ctx, "s", body, api.WithParallelTransfers(2))`,
		`c.Deployments.Wait(ctx, "d", api.OnTransferProgress(nil))`,
		`c.Datasets.Download(ctx, "d", "out", api.WithPollInterval(time.Second, time.Second))`,
		`c.Datasets.Download(ctx, "d", "out", api.WaitAfterUpload())`,
		`c.Deployments.Wait(ctx, "d", api.WaitAfterUpload())`,
	}
	wellPlaced := []string{
		`c.Secrets.Get(ctx, "s", nil, api.WithTimeout(time.Second), nil)`,
		`c.Deployments.Wait(ctx, "d", api.UntilStates("READY"), api.WithMaxRetries(1))`,
		`c.Datasets.Download(ctx, "d", "out", api.WithParallelTransfers(2), api.WithTimeout(time.Second))`,
		`c.Datasets.Upload(ctx, "d", nil, api.WaitAfterUpload(), api.WithPollInterval(time.Second, time.Second), api.OnTransferProgress(nil), api.WithAccount("a"))`,
		`api.New(api.WithAPIKey("fw-0123456789"), api.WithTimeout(time.Second), nil)`,
	}
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n\t\"context\"\n\t\"time\"\n\n\t\"github.com/fireworks-gateway/go-sdk/api\"\n\t\"github.com/fireworks-gateway/go-sdk/gen\"\n)\n\n")
	b.WriteString("func main() {\n\tctx := context.Background()\n\tvar c *api.Client\n\tvar body gen.UpdateSecretBody\n\t_, _, _, _ = ctx, c, body, time.Second\n")
	lineOf := map[int]string{}
	for _, stmt := range append(append([]string{}, misplaced...), wellPlaced...) {
		lineOf[strings.Count(b.String(), "\n")+1] = stmt
		b.WriteString("\t_ = func() { " + stmtDiscard(stmt) + " }\n")
	}
	b.WriteString("}\n")
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	out, err := compilecheck.Build(t.TempDir(), root, map[string]string{"main.go": b.String()})
	if err == nil {
		t.Fatal("the program with misplaced options compiled")
	}
	for l, stmt := range lineOf {
		failed := strings.Contains(out, ":"+strconv.Itoa(l)+":")
		isMisplaced := slices.Contains(misplaced, stmt)
		switch {
		case isMisplaced && !failed:
			t.Errorf("a misplaced option compiled: %s", stmt)
		case !isMisplaced && failed:
			t.Errorf("a well-placed option did not compile: %s\n%s", stmt, out)
		}
	}
}

// stmtDiscard makes a call a statement whatever its results.
func stmtDiscard(call string) string {
	return "_ = any(nil); func(...any) {}(" + call + ")"
}

// TestNilOptionsAreIgnored: a nil option, given to New, With, a call, a
// Wait or an Upload, is skipped, never a panic.
func TestNilOptionsAreIgnored(t *testing.T) {
	rt := script(step{status: 200, body: secretJSON})
	c, err := api.New(nil, api.WithAPIKey(testAPIKey), api.WithHTTPClient(&http.Client{Transport: rt}), api.WithAccount("acct"), nil)
	if err != nil {
		t.Fatalf("New with nil options: %v", err)
	}
	if _, err := c.With(nil); err != nil {
		t.Fatalf("With(nil): %v", err)
	}
	if _, err := c.Secrets.Get(context.Background(), "sec", nil, nil, api.WithTimeout(time.Second)); err != nil {
		t.Fatalf("a call with a nil option: %v", err)
	}
	var wait api.WaitOption
	rt = script(step{status: 200, body: deploymentJSON("READY", "")})
	if _, err := newClient(t, rt).Deployments.Wait(context.Background(), "d1", wait, nil); err != nil {
		t.Fatalf("a Wait with nil options: %v", err)
	}
}

// TestBadOptionValuesAreRefusedBeforeSending: what stays a runtime check,
// an option's value, is refused before anything is sent.
func TestBadOptionValuesAreRefusedBeforeSending(t *testing.T) {
	rt := script(step{status: 200, body: secretJSON})
	c := newClient(t, rt)
	for _, opt := range []api.Option{api.WithMaxRetries(-1), api.WithTimeout(0), api.WithAccount("a/b"), api.WithAccount(""), api.WithAccount("team a")} {
		if _, err := c.Secrets.Get(context.Background(), "sec", nil, opt); err == nil {
			t.Error("a bad call option was taken by a call")
		}
		if _, err := c.With(opt); err == nil {
			t.Error("a bad call option was taken by With")
		}
	}
	// The smallest values each option takes are taken.
	if _, err := newClient(t, script(step{status: 200, body: `{}`})).Datasets.Download(context.Background(), "ds1", t.TempDir(), api.WithParallelTransfers(1), api.WithMaxDownloadSize(1), api.WithTimeout(time.Nanosecond), api.WithMaxRetries(0), api.WithAccount("a")); err != nil {
		var ip *api.InvalidParamError
		if errors.As(err, &ip) {
			t.Errorf("the smallest values were refused: %v", err)
		}
	}
	var ip *api.InvalidParamError
	_, err := c.Secrets.Get(context.Background(), "sec", nil, api.WithTimeout(time.Second), api.WithMaxRetries(-2))
	if !errors.As(err, &ip) || ip.In != "option" || ip.Param != "2 of 2" || !strings.Contains(ip.Reason, "WithMaxRetries: -2 is negative") {
		t.Errorf("the second of two options refused: %v, want an *InvalidParamError naming option 2 of 2", err)
	}
	if n := len(rt.Calls()); n != 0 {
		t.Errorf("%d requests sent with refused options", n)
	}
}
