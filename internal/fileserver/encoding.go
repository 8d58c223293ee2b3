package fileserver

import (
	"bytes"
	"compress/gzip"
	"io"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
)

// brotliQuality is the brotli level for compressed variants.
//
// Measured with this pure-Go brotli (github.com/andybalholm/brotli v1.2.8,
// default 4 MB window, 2-core amd64) on Pyodide's pyodide.asm.wasm,
// 9,598,218 bytes:
//
//	quality  size (bytes)       time
//	 4       3,440,529 (35.8%)   0.6 s
//	 5       3,229,961 (33.7%)   0.6-1.1 s
//	 6       3,153,047 (32.9%)   1.0-1.4 s   <- chosen
//	 7       3,125,381 (32.6%)   2.3-2.5 s
//	 8       3,112,472 (32.4%)   2.8-3.0 s
//	 9       3,105,867 (32.4%)   3.8-3.9 s
//	10       2,793,006 (29.1%)  25.6 s
//	11       2,741,061 (28.6%)  42.0 s
//	gzip -9  3,600,089 (37.5%)   0.5 s
//
// Quality 6 is within 1.5% of 9 at a third of the time; 10 and 11 are 10%
// smaller still but take half a minute, too long for a first request, so
// only Precompress, run ahead of time, uses the best quality.
const brotliQuality = 6

// compress returns data compressed with enc, "br" or "gzip", at brotli
// quality 11 when best is set.
func compress(enc string, data []byte, best bool) ([]byte, error) {
	var buf bytes.Buffer
	var w io.WriteCloser
	if enc == "br" {
		quality := brotliQuality
		if best {
			quality = brotli.BestCompression
		}
		w = brotli.NewWriterLevel(&buf, quality)
	} else {
		// Best compression costs little more than the default, once.
		w, _ = gzip.NewWriterLevel(&buf, gzip.BestCompression)
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// chooseEncoding picks "br", "gzip" or "" (identity) from an Accept-Encoding
// header value. The higher q-value wins, brotli on a tie; q=0 refuses a
// coding; "*" stands for the codings not named.
func chooseEncoding(accept string) string {
	qBr, qGzip, qAny := -1.0, -1.0, -1.0 // -1: not named
	for _, item := range strings.Split(accept, ",") {
		coding, params, _ := strings.Cut(item, ";")
		q := parseQ(params)
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "br":
			qBr = q
		case "gzip", "x-gzip":
			qGzip = q
		case "*":
			qAny = q
		}
	}
	if qBr < 0 {
		qBr = qAny
	}
	if qGzip < 0 {
		qGzip = qAny
	}
	switch {
	case qBr > 0 && qBr >= qGzip:
		return "br"
	case qGzip > 0:
		return "gzip"
	}
	return ""
}

// parseQ returns the q-value in the parameters of one Accept-Encoding item
// (";q=0.5"): 1 when absent, 0 (refused) when malformed.
func parseQ(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || !(q >= 0 && q <= 1) { // also refuses NaN
			return 0
		}
		return q
	}
	return 1
}
