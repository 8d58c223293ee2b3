package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
)

// Report is what one run of the benchmark measured.
type Report struct {
	Pyodide string `json:"pyodide"`
	// Browser is the engine, the browser's version and what it offers, e.g. "firefox: firefox 153.8.0: JSPI, shared memory".
	Browser string `json:"browser"`
	// Isolated says whether the pages were cross-origin isolated (timers at full resolution).
	Isolated bool    `json:"cross_origin_isolated"`
	Runs     int     `json:"runs"`
	Seconds  float64 `json:"seconds"`
	// Figures are the rows of the table, in order.
	Figures []Figure `json:"figures"`
	// Breakdown is where the bridge's calls spend their time.
	Breakdown []Breakdown `json:"breakdown,omitempty"`
	// Served is how the responses of one pyworker cold start went out.
	Served []Served `json:"served_cold,omitempty"`
	// Notes say how the figures were taken.
	Notes []string `json:"notes,omitempty"`
}

// Served is one response of a cold start, as the server wrote it.
type Served struct {
	Path     string `json:"path"`
	Encoding string `json:"encoding"` // "br", "gzip" or "" (identity)
	Bytes    int64  `json:"bytes"`
}

// Units of figures.
const (
	unitMs    = "ms"
	unitBytes = "bytes"
	unitRate  = "calls/s"
	unitUs    = "µs"
)

// Figure is one row: a quantity measured for the seed's own pattern (the
// Pyodide docs' worker, or PyScript for the synchronous bridge), pyworker
// and, where there is one, a floor (the least it could be).
type Figure struct {
	Name string `json:"name"`
	// Unit is "ms", "bytes" or "calls/s"; calls/s is the only one where higher is better.
	Unit     string   `json:"unit"`
	Seed     *float64 `json:"seed,omitempty"`
	Pyworker *float64 `json:"pyworker,omitempty"`
	Floor    *float64 `json:"floor,omitempty"`
	// FloorIs says what the floor is.
	FloorIs string `json:"floor_is,omitempty"`
	// SeedIs says what the seed's pattern is.
	SeedIs string `json:"seed_is,omitempty"`
	// VsSeed is how many times better pyworker does than the seed's pattern:
	// seed/pyworker, or pyworker/seed for calls/s.
	VsSeed *float64 `json:"vs_seed,omitempty"`
	// VsFloor is how many times the floor pyworker costs: pyworker/floor,
	// or floor/pyworker for calls/s.
	VsFloor *float64 `json:"vs_floor,omitempty"`
	Target  *Target  `json:"target,omitempty"`
	// Samples are the values the figures summarise.
	Samples Samples `json:"samples"`
}

// Samples are a figure's raw measurements.
type Samples struct {
	Seed     []float64 `json:"seed,omitempty"`
	Pyworker []float64 `json:"pyworker,omitempty"`
	Floor    []float64 `json:"floor,omitempty"`
}

// Target is what the product promises for a figure.
type Target struct {
	// Text states the promise, e.g. "within 2x of floor".
	Text string `json:"text"`
	// Against is "seed" (VsSeed must be at least Factor), "floor"
	// (VsFloor must be at most Factor) or "value" (pyworker's value must be
	// at most Factor, for a promise stated in the figure's unit).
	Against string  `json:"against"`
	Factor  float64 `json:"factor"`
	Met     bool    `json:"met"`
}

// value returns a pointer to v, or nil when v is not a number.
func value(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// judge fills in the ratios and whether the target is met.
func (f *Figure) judge() {
	higher := f.Unit == unitRate
	ratio := func(a, b *float64) *float64 { // a/b, for the direction where more is better
		if a == nil || b == nil || *a == 0 || *b == 0 {
			return nil
		}
		if higher {
			return value(*b / *a)
		}
		return value(*a / *b)
	}
	f.VsSeed = ratio(f.Seed, f.Pyworker)
	f.VsFloor = ratio(f.Pyworker, f.Floor)
	if f.Target == nil {
		return
	}
	switch f.Target.Against {
	case "seed":
		f.Target.Met = f.VsSeed != nil && *f.VsSeed >= f.Target.Factor
	case "floor":
		f.Target.Met = f.VsFloor != nil && *f.VsFloor <= f.Target.Factor
	case "value":
		f.Target.Met = f.Pyworker != nil && *f.Pyworker <= f.Target.Factor
	}
}

// formatValue prints a figure's value in its unit: milliseconds with three
// significant digits or more, bytes as MB to the kB, rates as whole calls.
func formatValue(unit string, v *float64) string {
	if v == nil {
		return "-"
	}
	switch x := *v; unit {
	case unitBytes:
		return fmt.Sprintf("%.3f", x/1e6)
	case unitRate:
		return fmt.Sprintf("%.0f", x)
	default:
		switch a := math.Abs(x); {
		case a >= 100:
			return fmt.Sprintf("%.0f", x)
		case a >= 10:
			return fmt.Sprintf("%.1f", x)
		case a >= 1:
			return fmt.Sprintf("%.2f", x)
		default:
			return fmt.Sprintf("%.3f", x)
		}
	}
}

// formatRatio prints a ratio as "1.23x" (three significant digits or more).
func formatRatio(r *float64) string {
	if r == nil {
		return "-"
	}
	switch a := math.Abs(*r); {
	case a >= 100:
		return fmt.Sprintf("%.0fx", *r)
	case a >= 10:
		return fmt.Sprintf("%.1fx", *r)
	default:
		return fmt.Sprintf("%.2fx", *r)
	}
}

// formatSpread prints how samples spread: "low–high", from the lowest to
// the highest, or the 10th to the 90th percentile of 10 samples or more.
func formatSpread(unit string, samples []float64) string {
	if len(samples) < 2 {
		return "-"
	}
	low, high := slices.Min(samples), slices.Max(samples)
	if len(samples) >= 10 {
		low, high = percentile(samples, 10), percentile(samples, 90)
	}
	return formatValue(unit, &low) + "–" + formatValue(unit, &high)
}

func formatTarget(t *Target) string {
	if t == nil {
		return "-"
	}
	if t.Met {
		return "met: " + t.Text
	}
	return "MISSED: " + t.Text
}

// WriteTable prints the report as a table with a legend.
func (r *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	isolated := "cross-origin isolated"
	if !r.Isolated {
		isolated = "NOT cross-origin isolated (coarse timers)"
	}
	fmt.Fprintf(&b, "pyworker bench: Pyodide %s in %s, %s, -runs %d, %.0f s\n\n", r.Pyodide, r.Browser, isolated, r.Runs, r.Seconds)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tunit\tseed\tpyworker\tpyworker's spread\tfloor\tseed/pyw\tpyw/floor\ttarget")
	for _, f := range r.Figures {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Name, unitLabel(f.Unit),
			formatValue(f.Unit, f.Seed), formatValue(f.Unit, f.Pyworker), formatSpread(f.Unit, f.Samples.Pyworker), formatValue(f.Unit, f.Floor),
			formatRatio(f.VsSeed), formatRatio(f.VsFloor), formatTarget(f.Target))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("\n")
	for _, d := range r.Breakdown {
		fmt.Fprintf(&b, "where the time goes, %s: %s µs\n", d.Call, formatValue(unitUs, &d.Us))
		for _, s := range d.Steps {
			fmt.Fprintf(&b, "  %6s  %s\n", formatValue(unitUs, &s.Us), s.Name)
		}
		fmt.Fprintf(&b, "  meanwhile, spinning or polling for the other side: the worker %s µs a call, the page %s\n",
			formatValue(unitUs, &d.Spinning.Worker), formatValue(unitUs, &d.Spinning.Page))
	}
	if len(r.Breakdown) > 0 {
		b.WriteString("(a worker of its own with pyworker's timings option, whose clock reads cost a little: its calls' time, and each step's mean over them; the medians over the visits; the last step is what the timed ones leave)\n\n")
	}
	b.WriteString(legend(r.Figures, "seed", func(f Figure) string { return f.SeedIs }))
	b.WriteString(legend(r.Figures, "floor", func(f Figure) string { return f.FloorIs }))
	b.WriteString("pyworker's spread: the lowest to the highest of its samples, or the 10th to the 90th percentile of 10 or more.\n")
	b.WriteString("seed/pyw: how many times better pyworker does than the seed's pattern (seed/pyworker; pyworker/seed for calls/s).\n")
	b.WriteString("pyw/floor: how many times the floor pyworker costs (pyworker/floor; floor/pyworker for calls/s).\n")
	for _, n := range r.Notes {
		b.WriteString(n + "\n")
	}
	if len(r.Served) > 0 {
		parts := make([]string, 0, len(r.Served))
		for _, s := range r.Served {
			enc := s.Encoding
			if enc == "" {
				enc = "identity"
			}
			parts = append(parts, fmt.Sprintf("%s %s MB %s", s.Path, formatValue(unitBytes, value(float64(s.Bytes))), enc))
		}
		fmt.Fprintf(&b, "served in a pyworker cold start: %s\n", strings.Join(parts, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func unitLabel(unit string) string {
	if unit == unitBytes {
		return "MB"
	}
	return unit
}

// legend says what each figure's seed or floor (column) is, one line per
// kind, from what is.
func legend(figures []Figure, column string, is func(Figure) string) string {
	var kinds []string
	names := map[string][]string{}
	for _, f := range figures {
		kind := is(f)
		if kind == "" {
			continue
		}
		if _, seen := names[kind]; !seen {
			kinds = append(kinds, kind)
		}
		names[kind] = append(names[kind], fmt.Sprintf("%q", f.Name))
	}
	var b strings.Builder
	for _, kind := range kinds {
		fmt.Fprintf(&b, "%s of %s: %s\n", column, strings.Join(names[kind], " and "), kind)
	}
	return b.String()
}
