package browser

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of /proc's times: USER_HZ, 100 on every Linux port Go supports.
const clockTick = 10 * time.Millisecond

// treeCPU is the processor time used so far by process root and everything
// it started: those alive, and those ended that their parents waited for.
func treeCPU(root int) (time.Duration, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	type stat struct{ parent, ticks int }
	stats := map[int]stat{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue // ended meanwhile
		}
		// After the command's name, in parentheses and perhaps holding spaces: state, ppid, ...;
		// utime, stime, cutime and cstime are the 14th to 17th fields.
		fields := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(fields) < 15 {
			continue
		}
		var s stat
		s.parent, _ = strconv.Atoi(fields[1])
		for _, f := range fields[11:15] {
			n, _ := strconv.Atoi(f)
			s.ticks += n
		}
		stats[pid] = s
	}
	if _, ok := stats[root]; !ok {
		return 0, fmt.Errorf("process %d is not running", root)
	}
	var ticks int
	for pid, s := range stats {
		for p := pid; p > 1; p = stats[p].parent {
			if p == root {
				ticks += s.ticks
				break
			}
		}
	}
	return time.Duration(ticks) * clockTick, nil
}
