package bench

import (
	"math"
	"slices"
)

// median returns the middle of xs (the mean of the two middle values for an
// even count), or NaN for none. xs is not modified.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return (s[mid-1] + s[mid]) / 2
}

// percentile returns the p-th percentile of xs (0 < p <= 100) by the
// nearest-rank method: the smallest value that at least p% of xs do not
// exceed. It is NaN for none. xs is not modified.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 || !(p > 0 && p <= 100) {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	// p*n before /100 keeps whole-number cases exact (99*1000/100 is 990).
	rank := int(math.Ceil(p * float64(len(s)) / 100))
	return s[max(rank, 1)-1]
}
