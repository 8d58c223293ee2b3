package bench

import (
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{1, 1, 100}, 1},
	} {
		xs := append([]float64(nil), tc.xs...)
		if got := median(xs); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.xs, got, tc.want)
		}
		for i := range xs {
			if xs[i] != tc.xs[i] {
				t.Fatalf("median reordered its argument: %v", xs)
			}
		}
	}
	if got := median(nil); !math.IsNaN(got) {
		t.Errorf("median(nil) = %v, want NaN", got)
	}
}

func TestPercentile(t *testing.T) {
	hundred := make([]float64, 1000)
	for i := range hundred {
		hundred[i] = float64(1000 - i) // 1000 down to 1
	}
	for _, tc := range []struct {
		xs   []float64
		p    float64
		want float64
	}{
		{hundred, 99, 990}, // the 990th smallest of 1..1000
		{hundred, 50, 500},
		{hundred, 100, 1000},
		{hundred, 0.01, 1},
		{[]float64{7}, 99, 7},
		{[]float64{1, 2, 3}, 99, 3},
		{[]float64{1, 2, 3}, 34, 2},
		{[]float64{1, 2, 3}, 33, 1},
	} {
		if got := percentile(tc.xs, tc.p); got != tc.want {
			t.Errorf("percentile(%d values, %v) = %v, want %v", len(tc.xs), tc.p, got, tc.want)
		}
	}
	for _, p := range []float64{0, -1, 101, math.NaN()} {
		if got := percentile(hundred, p); !math.IsNaN(got) {
			t.Errorf("percentile(p=%v) = %v, want NaN", p, got)
		}
	}
	if got := percentile(nil, 99); !math.IsNaN(got) {
		t.Errorf("percentile(nil) = %v, want NaN", got)
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		unit string
		v    *float64
		want string
	}{
		{unitMs, value(3510.4), "3510"},
		{unitMs, value(16.67), "16.7"},
		{unitMs, value(2.617), "2.62"},
		{unitMs, value(0.0451), "0.045"},
		{unitBytes, value(5974988), "5.975"},
		{unitRate, value(80564.4), "80564"},
		{unitMs, nil, "-"},
		{unitMs, value(math.NaN()), "-"},
	} {
		if got := formatValue(tc.unit, tc.v); got != tc.want {
			t.Errorf("formatValue(%s, %v) = %q, want %q", tc.unit, tc.v, got, tc.want)
		}
	}
	for _, tc := range []struct {
		r    *float64
		want string
	}{
		{value(1.046), "1.05x"},
		{value(31.84), "31.8x"},
		{value(123.4), "123x"},
		{nil, "-"},
	} {
		if got := formatRatio(tc.r); got != tc.want {
			t.Errorf("formatRatio(%v) = %q, want %q", tc.r, got, tc.want)
		}
	}
}

func TestJudge(t *testing.T) {
	for _, tc := range []struct {
		name            string
		f               Figure
		vsSeed, vsFloor string
		met             bool
	}{
		{"times: faster than docs", Figure{Unit: unitMs, Seed: value(400), Pyworker: value(5), Target: &Target{Against: "seed", Factor: 16}},
			"80.0x", "-", true},
		{"times: not enough faster", Figure{Unit: unitMs, Seed: value(40), Pyworker: value(5), Target: &Target{Against: "seed", Factor: 16}},
			"8.00x", "-", false},
		{"rates: pyworker/docs", Figure{Unit: unitRate, Seed: value(2500), Pyworker: value(80000), Floor: value(40000), Target: &Target{Against: "seed", Factor: 6}},
			"32.0x", "0.50x", true},
		{"times: within 2x of floor", Figure{Unit: unitMs, Seed: value(0.8), Pyworker: value(0.06), Floor: value(0.035), Target: &Target{Against: "floor", Factor: 2}},
			"13.3x", "1.71x", true},
		{"times: over 2x of floor", Figure{Unit: unitMs, Seed: value(0.8), Pyworker: value(0.14), Floor: value(0.035), Target: &Target{Against: "floor", Factor: 2}},
			"5.71x", "4.00x", false},
		{"bytes: over the limit", Figure{Unit: unitBytes, Seed: value(5968), Pyworker: value(5973), Floor: value(5920), Target: &Target{Against: "floor", Factor: 1}},
			"1.00x", "1.01x", false},
		{"missing value", Figure{Unit: unitMs, Seed: value(1), Target: &Target{Against: "seed", Factor: 1}},
			"-", "-", false},
		{"equal meets no worse", Figure{Unit: unitMs, Seed: value(3000), Pyworker: value(3000), Target: &Target{Against: "seed", Factor: 1}},
			"1.00x", "-", true},
	} {
		f := tc.f
		f.judge()
		if got := formatRatio(f.VsSeed); got != tc.vsSeed {
			t.Errorf("%s: vs docs %s, want %s", tc.name, got, tc.vsSeed)
		}
		if got := formatRatio(f.VsFloor); got != tc.vsFloor {
			t.Errorf("%s: vs floor %s, want %s", tc.name, got, tc.vsFloor)
		}
		if f.Target.Met != tc.met {
			t.Errorf("%s: met %v, want %v", tc.name, f.Target.Met, tc.met)
		}
	}
}

func TestWriteTable(t *testing.T) {
	figures := []Figure{
		{Name: "round trip", Unit: unitMs, Seed: value(0.8), Pyworker: value(0.04), Floor: value(0.035), FloorIs: "an echo worker",
			Target: &Target{Text: "within 2x of floor", Against: "floor", Factor: 2}},
		{Name: "throughput", Unit: unitRate, Seed: value(2500), Pyworker: value(10000), Floor: value(30000), FloorIs: "an echo worker",
			Target: &Target{Text: "6x docs", Against: "seed", Factor: 6}},
		{Name: "frame gap", Unit: unitMs, Seed: value(16.7), Pyworker: value(16.7)},
	}
	for i := range figures {
		figures[i].judge()
	}
	r := &Report{Pyodide: "314.0.7", Browser: "Chrome/156", Isolated: true, Runs: 3, Seconds: 51,
		Figures: figures, Served: []Served{{Path: "/a.wasm", Encoding: "br", Bytes: 3153047}, {Path: "/b.zip", Bytes: 2545637}}}
	var b strings.Builder
	if err := r.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(out, "\n")
	header, row := lines[2], lines[3]
	if !strings.HasPrefix(header, "figure") || !strings.HasPrefix(row, "round trip") {
		t.Fatalf("no table where expected:\n%s", out)
	}
	// Columns line up: each header starts where its values do.
	col := strings.Index(header, "pyworker")
	if row[col:col+5] != "0.040" {
		t.Errorf("pyworker column misaligned:\n%s\n%s", header, row)
	}
	for _, want := range []string{
		"Pyodide 314.0.7 in Chrome/156, cross-origin isolated, -runs 3, 51 s",
		"met: within 2x of floor",
		"MISSED: 6x docs",
		"4.00x", // throughput vs docs
		`floor of "round trip" and "throughput": an echo worker`,
		"/a.wasm 3.153 MB br, /b.zip 2.546 MB identity",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(lines[5], "met") || strings.Contains(lines[5], "MISSED") {
		t.Errorf("a figure without a target shows one: %q", lines[5])
	}
}

func TestMeter(t *testing.T) {
	m := &meter{link: &link{}, h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/big" {
			w.Header().Set("Content-Encoding", "br")
			io.WriteString(w, strings.Repeat("x", 3000))
			return
		}
		io.WriteString(w, "hello")
	})}
	get := func(path string) {
		m.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	get("/ignored")
	m.reset()
	get("/big")
	get("/small")
	get("/small")
	got := m.read()
	want := []Served{{Path: "/big", Encoding: "br", Bytes: 3000}, {Path: "/small", Bytes: 10}}
	if !slices.Equal(got, want) {
		t.Errorf("served %+v, want %+v", got, want)
	}
}

// A limited link lets the bytes of every response through no faster than
// its bandwidth, together; lifted, it does not hold them.
func TestLink(t *testing.T) {
	l := &link{}
	l.limit(1e6) // 1 MB/s
	start := time.Now()
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				l.pass(10_000)
			}
		}()
	}
	wg.Wait()
	if took := time.Since(start); took < 190*time.Millisecond {
		t.Errorf("200 KB passed a 1 MB/s link in %v, want 200 ms or more", took)
	}
	l.limit(0)
	start = time.Now()
	l.pass(1e9)
	if took := time.Since(start); took > time.Second {
		t.Errorf("a lifted limit held 1 GB for %v", took)
	}
}

// The spread beside a median: lowest to highest for a few samples, the
// 10th to the 90th percentile for 10 or more, none for one.
func TestFormatSpread(t *testing.T) {
	var many []float64
	for i := 1; i <= 100; i++ {
		many = append(many, float64(i))
	}
	for _, c := range []struct {
		samples []float64
		want    string
	}{
		{[]float64{190, 176.5, 184}, "176–190"},
		{many, "10.0–90.0"},
		{[]float64{5}, "-"},
	} {
		if got := formatSpread(unitMs, c.samples); got != c.want {
			t.Errorf("formatSpread(%v) = %q, want %q", c.samples, got, c.want)
		}
	}
}

// The breakdown takes, of each step, the median over the visits, and adds
// what each visit's steps leave of its total; channels without timed steps
// have none.
func TestBridgeBreakdowns(t *testing.T) {
	visit := func(total, written, page float64) bridge {
		return bridge{SyncTimed: total, SyncSteps: []Step{{"written", written}, {"page", page}},
			SyncSpinning: Spinning{Worker: total / 2, Page: 1}}
	}
	got := bridgeBreakdowns([]*channelVisits{
		{channel: "shared-memory", visits: []bridge{visit(20, 4, 6), visit(30, 5, 20), visit(22, 6, 7)}},
		{channel: "jspi", visits: []bridge{{SyncCall: 200}}},
	})
	if len(got) != 1 {
		t.Fatalf("%d breakdowns, want the shared-memory sync call's alone: %+v", len(got), got)
	}
	b := got[0]
	want := []Step{{"written", 5}, {"page", 7}, {b.Steps[2].Name, 9}} // rests 10, 5, 9
	if b.Call != "sync call, worker to page (shared-memory)" || b.Us != 22 || !slices.Equal(b.Steps, want) || b.Spinning != (Spinning{Worker: 11, Page: 1}) {
		t.Errorf("got %+v, want 22 µs in steps %v, spinning 11 and 1", b, want)
	}
}
