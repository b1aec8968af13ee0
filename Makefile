# matchgrid — see README.md. Every target works on a fresh clone.
GO        ?= go
DATA      ?= ./matchgrid-data
ADDR      ?= 127.0.0.1:8080
CORDIS    ?= ../shared/data/cordis-health
B2BSP     ?= scheduler/testdata/b2bsp
FUZZTIME  ?= 20s
# Minimising a new interesting input stops the fuzzing; keep it short so
# that a short run fuzzes (Go's default allows 60 s per input).
FUZZMINIMIZETIME ?= 2s
# Where the browser test keeps its full-page screenshots (not committed).
SCREENSHOTS ?= $(CURDIR)/testdata/artifacts/screenshots
CLIENTS   ?= 50
DURATION  ?= 30s
# Participants the 20,000-organization memory benchmark asks for (0: all of
# them, as the acceptance reads; about 50 minutes on two idle cores).
LIVE_PEOPLE ?= 2000

.PHONY: run build test axe browser-test fmt-check vet bench bench-http fuzz demo-data clean

## run: serve the embedded demo event (loaded into $(DATA) on first start)
run:
	$(GO) run ./cmd/matchgrid demo --data $(DATA) --addr $(ADDR)

## build: the matchgrid binary in bin/
build:
	$(GO) build -o bin/matchgrid ./cmd/matchgrid

## test: vet and the whole test suite under the race detector (the browser test
## needs Debian's chromium; without it, it is skipped, or fails when $CI is set)
test: vet
	MATCHGRID_SCREENSHOTS=$(SCREENSHOTS) $(GO) test -race ./...

## axe: install axe-core (npm) for the browser tests' accessibility check
axe:
	@test -f .ci/axe/node_modules/axe-core/axe.min.js || npm ci --prefix .ci/axe --prefer-offline --no-audit --no-fund --loglevel=error

## browser-test: only the browser tests, verbose, with axe-core; screenshots in $(SCREENSHOTS)
browser-test: axe
	MATCHGRID_SCREENSHOTS=$(SCREENSHOTS) $(GO) test -race -count 1 -run '^TestBrowser' -v ./web/...

vet:
	$(GO) vet ./...

## fmt-check: fail when a file is not gofmt-formatted
fmt-check:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

## bench: Go benchmarks of every package (each beside its baseline), then the benchmark commands
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x -benchmem ./index
	$(GO) test -run '^$$' -bench 'Suggest6000|SuggestDemo$$' -benchtime 20x -benchmem ./matcher
	$(GO) test -run '^$$' -bench SuggestAllDemo -benchtime 1x -benchmem ./matcher
	$(GO) test -run '^$$' -bench 'Live6000|Live20000' -benchtime 20x -timeout 90m ./matcher
	$(GO) test -run '^$$' -bench LiveMemory20000 -benchtime 1x -timeout 600m ./matcher -live.people $(LIVE_PEOPLE)
	$(GO) test -run '^$$' -bench . -benchmem ./scheduler
	$(GO) run ./cmd/matchgrid bench b2bsp $(B2BSP)
	$(GO) run ./cmd/matchgrid bench synthetic --participants 1000 --meetings 6000 --days 2 --slots-per-day 16 --tables 250 --seed 1
	@if [ -d $(CORDIS) ]; then \
		$(GO) run ./cmd/matchgrid eval cordis --projects $(CORDIS)/projects.csv --participations $(CORDIS)/participations.csv --cutoff 2024-01-01; \
	fi

## bench-http: load the demo event's suggestions and search API on loopback
## ($(CLIENTS) clients, $(DURATION) per endpoint, GET /healthz as the baseline),
## then the suggestions with 2 writes/s alongside, closed and open loop
bench-http:
	$(GO) run ./cmd/matchgrid bench http --clients $(CLIENTS) --duration $(DURATION)
	$(GO) run ./cmd/matchgrid bench http --clients $(CLIENTS) --duration $(DURATION) --participants 350 --endpoints suggestions --writes 2
	$(GO) run ./cmd/matchgrid bench http --rate 300 --duration $(DURATION) --participants 350 --endpoints suggestions --writes 2

## fuzz: a short run of every fuzz target (FUZZTIME each, FUZZMINIMIZETIME per new input)
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "== $$pkg $$target"; \
			$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) $$pkg || exit 1; \
		done; \
	done

## demo-data: rebuild demo/event.json.gz from the CORDIS CSVs
demo-data:
	$(GO) run ./cmd/matchgrid gen-demo --cordis $(CORDIS) --out demo/event.json.gz

clean:
	rm -rf bin $(DATA)
