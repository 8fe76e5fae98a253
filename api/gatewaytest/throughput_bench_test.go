package gatewaytest_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fireworks-gateway/go-sdk/api/gatewaytest"
)

// loadConnections is how many connections the load generator keeps busy.
const loadConnections = 16

// BenchmarkFakeThroughput measures the fake's request rate on a validated
// UpdateSecret (routing, request and response validation, the journal,
// the engine) against a bare net/http handler answering a fixed body, in
// the same run, under the same load: 16 connections on loopback. Each
// sub-benchmark reports req/s. The machine's load varies while they run,
// so fake-update-secret also sends the same requests to the bare handler
// in alternating slices and reports its rate as a share of the bare
// handler's over the same minutes (of-bare-rate; the goal is at least 0.5).
func BenchmarkFakeThroughput(b *testing.B) {
	update := []byte(`{"keyName":"SERVICE_TOKEN","value":"sk-bench-value-0123456789"}`)
	answer := []byte(`{"name":"accounts/acct/secrets/TOKEN","keyName":"SERVICE_TOKEN"}`)

	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	defer bare.Close()
	fake, err := gatewaytest.NewServer(gatewaytest.WithJournalLimit(1000))
	if err != nil {
		b.Fatal(err)
	}
	defer fake.Close()
	if err := fake.AddSecret("acct", "TOKEN", "SERVICE_TOKEN", "sk-old"); err != nil {
		b.Fatal(err)
	}
	const path = "/v1/accounts/acct/secrets/TOKEN"

	b.Run("bare-net-http", func(b *testing.B) {
		bareLoad := newLoad(b, http.MethodPatch, bare.URL+path, update)
		defer bareLoad.close()
		b.ReportAllocs()
		b.ResetTimer()
		elapsed := bareLoad.send(b.N)
		b.StopTimer()
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	})
	b.Run("fake-update-secret", func(b *testing.B) {
		fakeLoad := newLoad(b, http.MethodPatch, fake.URL+path, update)
		defer fakeLoad.close()
		bareLoad := newLoad(b, http.MethodPatch, bare.URL+path, update)
		defer bareLoad.close()
		b.ReportAllocs()
		b.ResetTimer()
		const slices = 8
		var fakeTime, bareTime time.Duration
		for i := range slices {
			n := b.N/slices + min(1, max(0, b.N%slices-i))
			fakeTime += fakeLoad.send(n)
			b.StopTimer()
			bareTime += bareLoad.send(n)
			b.StartTimer()
		}
		b.StopTimer()
		b.ReportMetric(float64(b.N)/fakeTime.Seconds(), "req/s")
		b.ReportMetric(bareTime.Seconds()/fakeTime.Seconds(), "of-bare-rate")
	})
}

// loadGenerator sends requests to one loopback target over
// loadConnections connections.
type loadGenerator struct {
	b           *testing.B
	method, url string
	body        []byte
	client      *http.Client
	transport   *http.Transport
}

// newLoad checks that target is on loopback, and warms up: it opens the
// connections and fills a fake's journal to its limit, so that what is
// measured is the steady state.
func newLoad(b *testing.B, method, target string, body []byte) *loadGenerator {
	u, err := url.Parse(target)
	if err != nil {
		b.Fatal(err)
	}
	if host, _, _ := net.SplitHostPort(u.Host); !net.ParseIP(host).IsLoopback() {
		b.Fatalf("the load generator runs on loopback only, not %s", u.Host)
	}
	transport := &http.Transport{MaxIdleConnsPerHost: loadConnections, MaxConnsPerHost: loadConnections, DisableCompression: true}
	l := &loadGenerator{b: b, method: method, url: target, body: body, client: &http.Client{Transport: transport}, transport: transport}
	l.send(100 * loadConnections)
	return l
}

func (l *loadGenerator) close() { l.transport.CloseIdleConnections() }

// send sends n requests, each answered 200 and read whole, and returns
// how long they took. It is bounded by n, which the benchmark framework
// sizes to -benchtime.
func (l *loadGenerator) send(n int) time.Duration {
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range loadConnections {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				req, _ := http.NewRequest(l.method, l.url, bytes.NewReader(l.body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+gatewaytest.APIKey)
				resp, err := l.client.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if f := failed.Load(); f > 0 {
		l.b.Fatalf("%d of %d requests to %s failed", f, n, l.url)
	}
	return elapsed
}

// BenchmarkStoredResources reports the fake's memory for 100,000 stored
// resources: secrets (small) and deployments (as a client creates them),
// the heap they hold after a garbage collection.
func BenchmarkStoredResources(b *testing.B) {
	const n = 100_000
	for _, tc := range []struct {
		name     string
		resource func(i int) (string, string)
	}{
		{"100k-secrets", func(i int) (string, string) {
			return fmt.Sprintf("accounts/acct/secrets/SECRET_%06d", i), `{"keyName":"SERVICE_TOKEN","value":"sk-0123456789abcdef"}`
		}},
		{"100k-deployments", func(i int) (string, string) {
			return fmt.Sprintf("accounts/acct/deployments/d%06d", i),
				`{"baseModel":"accounts/fireworks/models/llama-v3p1-8b-instruct","displayName":"bench","minReplicaCount":1,"maxReplicaCount":4,"acceleratorType":"NVIDIA_H100_80GB","acceleratorCount":2}`
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			// The compiled spec is loaded once per process: not counted.
			if _, err := gatewaytest.NewHandler(); err != nil {
				b.Fatal(err)
			}
			var perResource, total float64
			for range b.N {
				before := heapInUse()
				h, err := gatewaytest.NewHandler()
				if err != nil {
					b.Fatal(err)
				}
				for i := range n {
					name, body := tc.resource(i)
					if err := h.Put(name, body); err != nil {
						b.Fatal(err)
					}
				}
				held := heapInUse() - before
				total, perResource = float64(held)/(1<<20), float64(held)/n
				runtime.KeepAlive(h)
			}
			b.ReportMetric(total, "heap-MiB")
			b.ReportMetric(perResource, "B/resource")
		})
	}
}

func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
