# The one entry point: CI runs the same targets a person runs.
GO ?= go
SPEC ?=
VERBOSE ?=
FUZZTIME ?= 20s
BENCHCOUNT ?= 5
# Linters run at a pinned version with `go run pkg@version`, so that they
# never enter the go.mod of the SDK (or of its users).
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
# The race detector needs cgo and a C compiler; without them (CGO_ENABLED=0,
# a machine with only Go) the tests run without it, and say so.
RACE := $(shell [ "$$($(GO) env CGO_ENABLED)" = 1 ] && command -v "$$($(GO) env CC)" >/dev/null 2>&1 && echo -race)

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: demo
demo: ## Run the Secrets lifecycle against the embedded fake Gateway (no API key needed).
	$(GO) run ./cmd/demo

.PHONY: generate
generate: ## Regenerate gen/ from openapi.yaml, gen/overlay.yaml and gen/oapi-codegen.yaml.
	$(GO) generate ./gen

.PHONY: check-generate
check-generate: ## Fail, showing the diff, when a generated file is stale (gen/, gen/spec/, api/*.gen*.go).
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(GO) run ./internal/gengateway -config gen/oapi-codegen.yaml -spec openapi.yaml -root "$$tmp" && \
	status=0 && for f in $$(cd "$$tmp" && find . -type f | sort); do \
		cmp -s "$$f" "$$tmp/$$f" || { diff -u "$$f" "$$tmp/$$f" | head -200; echo "$$f is stale"; status=1; }; \
	done && \
	for f in gen/*.gen.go gen/spec/* api/*.gen.go api/*.gen_test.go; do \
		[ -e "$$tmp/$$f" ] || { echo "$$f is not generated any more"; status=1; }; \
	done && \
	if [ $$status -ne 0 ]; then echo "generated code is stale: run 'make generate' and commit the result"; exit 1; fi && \
	echo "generated code is up to date"

.PHONY: fmt-check
fmt-check: ## Fail when a Go file is not gofmt-formatted.
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi

.PHONY: vet
vet: ## Run go vet.
	$(GO) vet ./...

.PHONY: lint
lint: vet ## Run go vet and staticcheck (pinned; never added to go.mod).
	$(GO) run $(STATICCHECK) ./...

.PHONY: test
test: fmt-check lint check-generate test-specbump ## The whole check: gofmt, vet, staticcheck, check-generate, and go test (-race where cgo can build it), with internal/specbump.
	@[ -n "$(RACE)" ] || echo "note: no C compiler for cgo (CGO_ENABLED=$$($(GO) env CGO_ENABLED)): testing without the race detector"
	$(GO) test $(RACE) -count=1 ./...

.PHONY: update-spec
update-spec: ## Update openapi.yaml from SPEC (docs pages or a whole document); gate on Go API breaks (ALLOW_BREAKING=1) and major versions (ALLOW_MAJOR=1); VERBOSE=1 lists every change.
	ALLOW_BREAKING='$(ALLOW_BREAKING)' ALLOW_MAJOR='$(ALLOW_MAJOR)' $(GO) -C internal/specbump run . -repo '$(CURDIR)' $(if $(filter 1 true,$(VERBOSE)),-v) $(abspath $(SPEC))

.PHONY: spec-status
spec-status: ## Print the spec's version, how many operations come from each version, and the README's mentions of it; VERBOSE=1 lists the operations.
	$(GO) -C internal/specbump run . -repo '$(CURDIR)' -status $(if $(filter 1 true,$(VERBOSE)),-v)

.PHONY: test-specbump
test-specbump: ## Vet and test internal/specbump, the spec-bump tool's own module.
	$(GO) -C internal/specbump vet ./...
	$(GO) -C internal/specbump test $(RACE) -count=1 ./...

.PHONY: bench
# BENCHCOUNT rounds of -count 1, not one run of -count BENCHCOUNT: go test
# runs a benchmark's repetitions back to back, so a change in the machine's
# load (a shared 2-core machine) would land on one sub-benchmark and skew
# its ratio to the baseline; round after round, it spreads over them all.
#
# The paired transfer runs (BenchmarkTransfer/paired) get
# PAIRED_TRANSFER_BENCHTIME instead of the default second: a 64 MiB
# transfer's time here varies by about 20 % from one to the next, and the
# median of a round's ratios needs about 100 pairs to be within 2 %.
PAIRED_TRANSFER_BENCHTIME ?= 10s
bench: ## Run the benchmarks (median of BENCHCOUNT rounds) and the import-cost measurement, and rewrite README.md's Performance tables.
	@out=$$(mktemp) && trap 'rm -f "$$out" "$$out.rc"' EXIT && \
	{ rc=0; for round in $$(seq $(BENCHCOUNT)); do \
		$(GO) test -run '^$$' -bench . -skip 'BenchmarkTransfer/paired' -benchmem -count 1 ./... || rc=$$?; \
		$(GO) test -run '^$$' -bench 'BenchmarkTransfer/paired' -benchtime $(PAIRED_TRANSFER_BENCHTIME) -benchmem -count 1 ./api || rc=$$?; \
	done; echo $$rc > "$$out.rc"; } | tee "$$out" && \
	if [ "$$(cat "$$out.rc")" != 0 ]; then echo "benchmarks failed: README.md left as it was"; exit 1; fi && \
	$(GO) run ./internal/benchreport -readme README.md < "$$out" && \
	$(GO) run ./internal/importcost -runs $(BENCHCOUNT) -readme README.md

# Mutation testing runs gremlins at a pinned version with `go run
# pkg@version`, like the linters: never in go.mod. One package at a time,
# each mutant against that package's own tests; files of sub-directories
# (api/contract, api/gatewaytest: packages of their own) are left out.
# -parallel=64: api's fault matrix runs in parallel and mostly waits on
# real-time timers; at the default (GOMAXPROCS, 2 here) one test run of api
# takes 30 s instead of 5. gremlins times each mutant's test run out at a
# coefficient times its first, coverage, run of the package's tests
# (-count=1: never a cached one). Each mutant's run rebuilds the package:
# where the tests take well under a second (internal/redact: 0.5 s with its
# dependencies built), 5 times that is shorter than the rebuild, and every
# mutant would time out; those packages get the larger coefficient.
GREMLINS ?= github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
MUTATION_PKGS ?= api internal/redact internal/paging internal/pathparam
MUTATION_WORKERS ?= 1
MUTATION_TIMEOUT_COEFFICIENT ?= 5
MUTATION_QUICK_PKGS ?= internal/redact internal/paging internal/pathparam
MUTATION_QUICK_TIMEOUT_COEFFICIENT ?= 40

.PHONY: mutation
mutation: ## Mutation-test MUTATION_PKGS with gremlins (pinned; 15-30 min, not in make test); rewrite the scores in README.md and the survivors in docs/mutation.md.
	@out=$$(mktemp -d) && trap 'rm -rf "$$out"' EXIT && results= && \
	for pkg in $(MUTATION_PKGS); do \
		json="$$out/$$(echo "$$pkg" | tr / _).json" && coef=$(MUTATION_TIMEOUT_COEFFICIENT) && \
		case " $(MUTATION_QUICK_PKGS) " in *" $$pkg "*) coef=$(MUTATION_QUICK_TIMEOUT_COEFFICIENT);; esac && \
		echo "== gremlins: $$pkg (timeout coefficient $$coef)" && \
		GOFLAGS="$$GOFLAGS -parallel=64 -count=1" $(GO) run $(GREMLINS) unleash --workers $(MUTATION_WORKERS) \
			--timeout-coefficient "$$coef" --exclude-files / --output "$$json" "./$$pkg" || exit 1; \
		[ -s "$$json" ] || { echo "gremlins gave no result for $$pkg"; exit 1; }; \
		results="$$results $$pkg=$$json"; \
	done && \
	$(GO) run ./internal/mutationreport -readme README.md -doc docs/mutation.md -known docs/mutation-survivors.tsv $$results

.PHONY: fuzz
fuzz: ## Run each fuzz target for FUZZTIME, one after another (their seeds also run in make test).
	$(GO) test -run '^$$' -fuzz '^FuzzPathParams$$' -fuzztime $(FUZZTIME) ./api
	$(GO) test -run '^$$' -fuzz '^FuzzParseRetryAfter$$' -fuzztime $(FUZZTIME) ./api
	$(GO) test -run '^$$' -fuzz '^FuzzErrorBody$$' -fuzztime $(FUZZTIME) ./api
	$(GO) test -run '^$$' -fuzz '^FuzzRedaction$$' -fuzztime $(FUZZTIME) ./api
	$(GO) test -run '^$$' -fuzz '^FuzzDownloadName$$' -fuzztime $(FUZZTIME) ./api
	$(GO) test -run '^$$' -fuzz '^FuzzChecksumHeader$$' -fuzztime $(FUZZTIME) ./api
	$(GO) test -run '^$$' -fuzz '^FuzzParseINI$$' -fuzztime $(FUZZTIME) ./internal/credentials
	$(GO) test -run '^$$' -fuzz '^FuzzParseCustomHeaders$$' -fuzztime $(FUZZTIME) ./internal/credentials
	$(GO) test -run '^$$' -fuzz '^FuzzJWTExpiry$$' -fuzztime $(FUZZTIME) ./internal/credentials
	$(GO) test -run '^$$' -fuzz '^FuzzRedact$$' -fuzztime $(FUZZTIME) ./internal/redact
	$(GO) test -run '^$$' -fuzz '^FuzzCollect$$' -fuzztime $(FUZZTIME) ./internal/redact
	$(GO) test -run '^$$' -fuzz '^FuzzFindRoute$$' -fuzztime $(FUZZTIME) ./internal/specvalidate
	$(GO) test -run '^$$' -fuzz '^FuzzErrorsNeverQuoteValues$$' -fuzztime $(FUZZTIME) ./internal/specvalidate
	$(GO) test -run '^$$' -fuzz '^FuzzJournalRedaction$$' -fuzztime $(FUZZTIME) ./api/gatewaytest
	$(GO) test -run '^$$' -fuzz '^FuzzSeed$$' -fuzztime $(FUZZTIME) ./api/gatewaytest
	$(GO) test -run '^$$' -fuzz '^FuzzSignedURLs$$' -fuzztime $(FUZZTIME) ./api/gatewaytest
	$(GO) test -run '^$$' -fuzz '^FuzzParseContentLengthRange$$' -fuzztime $(FUZZTIME) ./api/gatewaytest
	$(GO) test -run '^$$' -fuzz '^FuzzListFilter$$' -fuzztime $(FUZZTIME) ./api/gatewaytest
