// Progress lines of a fetch: what it does, and how many megabytes it has done.

package assets

import (
	"context"
	"fmt"
	"io"
	"strconv"
)

// printer writes progress lines; a nil writer is silent.
type printer struct {
	w io.Writer
}

func (p *printer) printf(format string, args ...any) {
	if p == nil || p.w == nil {
		return
	}
	fmt.Fprintf(p.w, format+"\n", args...)
}

// meter reports bytes done of a known total as "<verb> 45% (6.2 MB of
// 13.6 MB)", one line per 10% step.
type meter struct {
	p     *printer
	verb  string
	total int64
	done  int64
	next  int64 // next percentage to report
}

func newMeter(p *printer, verb string, total int64) *meter {
	return &meter{p: p, verb: verb, total: total, next: 10}
}

func (m *meter) add(n int64) {
	m.done += n
	if m.total <= 0 {
		return
	}
	pct := m.done * 100 / m.total
	if pct < m.next {
		return
	}
	m.next = pct/10*10 + 10
	m.p.printf("%s %d%% (%s of %s)", m.verb, pct, mb(m.done), mb(m.total))
}

func mb(n int64) string {
	return strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64) + " MB"
}

// meterWriter counts bytes written through it into a meter; it also stops
// a copy as soon as ctx is done.
type meterWriter struct {
	ctx context.Context
	m   *meter
}

func (w meterWriter) Write(b []byte) (int, error) {
	if err := w.ctx.Err(); err != nil {
		return 0, err
	}
	w.m.add(int64(len(b)))
	return len(b), nil
}
