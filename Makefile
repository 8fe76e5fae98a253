# The one entry point: CI runs the same targets a person runs.
GO ?= go
SPEC ?=
FUZZTIME ?= 20s
BENCHCOUNT ?= 5

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
check-generate: ## Fail, showing the diff, when the committed gen/ is stale.
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(GO) run ./internal/gengateway -config gen/oapi-codegen.yaml -spec openapi.yaml -out "$$tmp" && \
	status=0 && for f in "$$tmp"/*.go; do \
		diff -u "gen/$$(basename $$f)" "$$f" || status=1; \
	done && \
	for f in gen/*.gen.go; do \
		[ -e "$$tmp/$$(basename $$f)" ] || { echo "gen/$$(basename $$f) is not generated any more"; status=1; }; \
	done && \
	if [ $$status -ne 0 ]; then echo "gen/ is stale: run 'make generate' and commit the result"; exit 1; fi && \
	echo "gen/ is up to date"

.PHONY: fmt-check
fmt-check: ## Fail when a Go file is not gofmt-formatted.
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi

.PHONY: vet
vet: ## Run go vet.
	$(GO) vet ./...

.PHONY: test
test: fmt-check vet check-generate test-specbump ## The whole check: gofmt, vet, check-generate, and go test -race (with internal/specbump).
	$(GO) test -race -count=1 ./...

.PHONY: update-spec
update-spec: ## Update openapi.yaml from SPEC (docs pages or a whole document), report, gate (ALLOW_BREAKING=1), regenerate.
	ALLOW_BREAKING='$(ALLOW_BREAKING)' $(GO) -C internal/specbump run . -repo '$(CURDIR)' $(abspath $(SPEC))

.PHONY: test-specbump
test-specbump: ## Vet and test internal/specbump, the spec-bump tool's own module.
	$(GO) -C internal/specbump vet ./...
	$(GO) -C internal/specbump test -race -count=1 ./...

.PHONY: bench
bench: ## Run the benchmarks (median of BENCHCOUNT runs) and rewrite README.md's Performance tables.
	@out=$$(mktemp) && trap 'rm -f "$$out" "$$out.rc"' EXIT && \
	{ $(GO) test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) ./...; echo $$? > "$$out.rc"; } | tee "$$out" && \
	if [ "$$(cat "$$out.rc")" != 0 ]; then echo "benchmarks failed: README.md left as it was"; exit 1; fi && \
	$(GO) run ./internal/benchreport -readme README.md < "$$out"

.PHONY: fuzz
fuzz: ## Run each fuzz target for FUZZTIME, one after another (their seeds also run in make test).
	$(GO) test -run '^$$' -fuzz '^FuzzPathParams$$' -fuzztime $(FUZZTIME) ./api
	$(GO) test -run '^$$' -fuzz '^FuzzParseRetryAfter$$' -fuzztime $(FUZZTIME) ./api
	$(GO) test -run '^$$' -fuzz '^FuzzErrorBody$$' -fuzztime $(FUZZTIME) ./api
	$(GO) test -run '^$$' -fuzz '^FuzzRedaction$$' -fuzztime $(FUZZTIME) ./api
	$(GO) test -run '^$$' -fuzz '^FuzzRedact$$' -fuzztime $(FUZZTIME) ./internal/redact
	$(GO) test -run '^$$' -fuzz '^FuzzCollect$$' -fuzztime $(FUZZTIME) ./internal/redact
	$(GO) test -run '^$$' -fuzz '^FuzzFindRoute$$' -fuzztime $(FUZZTIME) ./internal/specvalidate
	$(GO) test -run '^$$' -fuzz '^FuzzErrorsNeverQuoteValues$$' -fuzztime $(FUZZTIME) ./internal/specvalidate
	$(GO) test -run '^$$' -fuzz '^FuzzJournalRedaction$$' -fuzztime $(FUZZTIME) ./api/gatewaytest
	$(GO) test -run '^$$' -fuzz '^FuzzSeed$$' -fuzztime $(FUZZTIME) ./api/gatewaytest
	$(GO) test -run '^$$' -fuzz '^FuzzSignedURLs$$' -fuzztime $(FUZZTIME) ./api/gatewaytest
	$(GO) test -run '^$$' -fuzz '^FuzzParseContentLengthRange$$' -fuzztime $(FUZZTIME) ./api/gatewaytest
	$(GO) test -run '^$$' -fuzz '^FuzzListFilter$$' -fuzztime $(FUZZTIME) ./api/gatewaytest
