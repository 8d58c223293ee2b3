package e2e

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyworker/pyworker/internal/assets"
	"github.com/pyworker/pyworker/internal/site"
	"github.com/pyworker/pyworker/internal/snapshot"
)

// restoresServerSnapshot says whether this engine restores the snapshot the
// server made in Chromium. WebKit does not: its function table differs
// ("call_indirect to a signature that does not match" as Pyodide restores).
func restoresServerSnapshot() bool { return !strings.HasPrefix(engine.Name, "webkit") }

// firstStartPhases are the phases of the first Pyodide worker of a page.
func firstStartPhases() []string {
	if restoresServerSnapshot() {
		return []string{"download", "compile", "restore", "ready"}
	}
	return []string{"download", "compile", "restore", "compile", "start", "ready"} // then a plain start, instantiating the wasm compiled for the first try
}

// startOutcome is how a worker started: its phases, the message of each
// progress event that had one, and a first result.
type startOutcome struct {
	Phases, Messages []string
	Result           any
}

// A page's first Pyodide worker starts from the server's memory snapshot
// (where the engine can restore it), and its next ones, restart() and a
// second worker, from the snapshot and the wasm the first one kept: each is
// a new interpreter, with no state of the one before, its own random state,
// and pyworker's Python module working (a page call through sync, an export).
func TestSnapshotStart(t *testing.T) {
	tab := openSyncPage(t)
	got := call[map[string]startOutcome](t, tab, "snapshot.starts")
	want := firstStartPhases()
	if strings.Join(got["first"].Phases, ",") != strings.Join(want, ",") {
		t.Errorf("the first worker's phases: got %v, want %v (messages: %q)", got["first"].Phases, want, got["first"].Messages)
	}
	if restoresServerSnapshot() && len(got["first"].Messages) > 0 {
		t.Errorf("the first worker said %q, but restored", got["first"].Messages)
	} else if !restoresServerSnapshot() && (len(got["first"].Messages) != 1 || !strings.HasPrefix(got["first"].Messages[0], "starting without a memory snapshot: it did not restore (")) {
		t.Errorf("the first worker should say why it did not restore: %q", got["first"].Messages)
	}
	// The page remembers: its next worker starts from what the first kept, or plainly where that could not restore.
	wantSecond := "restore"
	if !restoresServerSnapshot() {
		wantSecond = "start"
	}
	for _, name := range []string{"second", "restarted"} {
		if phases := got[name].Phases; !contains(phases, wantSecond) || len(got[name].Messages) > 0 {
			t.Errorf("the %s worker: phases %v, messages %q; want a %s and nothing said", name, phases, got[name].Messages, wantSecond)
		}
	}
	first, _ := got["first"].Result.([]any)
	second, _ := got["second"].Result.([]any)
	if len(first) != 3 || first[0] != 42.0 || first[2] != 42.0 || len(second) != 2 || second[0] != false {
		t.Fatalf("results: first %v (want [42, a random number, 42]), second %v (want [false, a random number])", first, second)
	}
	if first[1] == second[1] {
		t.Errorf("two workers drew the same random number %v: the snapshot's random state was not reseeded", first[1])
	}
	if got["restarted"].Result != false {
		t.Errorf("after restart(), the worker still has the state of the one before: %v", got["restarted"].Result)
	}
}

// Once a page has made a second Pyodide worker, its spare worker starts
// Python ahead, from what the page kept; the next restart() adopts that
// start, already past downloading and compiling, and is a new interpreter
// all the same: no state of the one before, its own random state.
func TestSpareStartsAhead(t *testing.T) {
	tab := openSyncPage(t)
	// Time for the spare to start: a restore here, a plain start where the engine cannot restore.
	wait := map[bool]int{true: 3000, false: 12000}[restoresServerSnapshot()]
	got := call[startOutcome](t, tab, "snapshot.spare", wait)
	want := []string{"restore", "ready"}
	if !restoresServerSnapshot() {
		want = []string{"start", "ready"}
	}
	if strings.Join(got.Phases, ",") != strings.Join(want, ",") || len(got.Messages) > 0 {
		t.Errorf("the restarted worker: phases %v, messages %q; want %v (a start that had come that far before it was asked for) and nothing said", got.Phases, got.Messages, want)
	}
	if fmt.Sprint(got.Result) != "[false true]" {
		t.Errorf("the restarted worker: [state kept, a new random number] = %v, want [false true]", got.Result)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A snapshot that is missing, is not the one the server named, or does not
// restore, starts the worker plainly, saying why; one made by another build
// of Pyodide is refused by the server before any page sees it.
func TestSnapshotFallback(t *testing.T) {
	made := madeSnapshot(t)
	buildID := made.BuildID
	good, err := os.ReadFile(made.Path)
	if err != nil {
		t.Fatal(err)
	}
	app, err := os.OpenRoot("testdata")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })

	// serveWith serves the test pages with the snapshot file holding data, and
	// changes it to changed (nil: deletes it) once the server has named it.
	serveWith := func(t *testing.T, data, changed []byte) string {
		path := filepath.Join(t.TempDir(), "app.snapshot")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		h, err := site.New(site.Config{App: app.FS(), Snapshot: path})
		if err != nil {
			t.Fatal(err)
		}
		if changed == nil {
			err = os.Remove(path)
		} else {
			err = os.WriteFile(path, changed, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(withScripts(h)) // 127.0.0.1 only
		t.Cleanup(srv.Close)
		return srv.URL
	}
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)/2] ^= 0xff
	// A header that checks out, over a heap of zeros.
	empty := make([]byte, len(good))
	copy(empty, good[:4096])

	for _, c := range []struct {
		name          string
		named, served []byte
		why           string
	}{
		{"missing", good, nil, "starting without a memory snapshot: fetching %s/pyworker/snapshot/app.snapshot?"},
		{"corrupt", good, flipped, "starting without a memory snapshot: %s/pyworker/snapshot/app.snapshot?"},
		{"does not restore", empty, empty, "starting without a memory snapshot: it did not restore ("},
	} {
		t.Run(c.name, func(t *testing.T) {
			url := serveWith(t, c.named, c.served)
			tab := newTab(t)
			navigate(t, tab, url+"/")
			got := call[startOutcome](t, tab, "snapshot.start")
			why := c.why
			if strings.Contains(why, "%s") {
				why = fmt.Sprintf(why, url)
			}
			if len(got.Messages) != 1 || !strings.HasPrefix(got.Messages[0], why) {
				t.Errorf("messages: got %q, want one starting %q", got.Messages, why)
			}
			if got.Result != 2.0 || !contains(got.Phases, "start") || got.Phases[len(got.Phases)-1] != "ready" {
				t.Errorf("the worker did not start plainly: phases %v, 1 + 1 = %v", got.Phases, got.Result)
			}
		})
	}

	t.Run("another build", func(t *testing.T) {
		other := append([]byte(nil), good...)
		other[20] ^= 0xff // in the build id
		path := filepath.Join(t.TempDir(), "other.snapshot")
		if err := os.WriteFile(path, other, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := site.New(site.Config{App: app.FS(), Snapshot: path})
		if err == nil || !strings.Contains(err.Error(), "it was made by Pyodide build ") || !strings.Contains(err.Error(), ", not "+buildID) {
			t.Errorf("a snapshot of another build: got %v, want it refused naming both builds", err)
		}
	})
}

// madeSnapshot is the snapshot the server offers (made by pyworker fetch, or the servers' start).
func madeSnapshot(t *testing.T) snapshot.Snapshot {
	t.Helper()
	pyodideDir, err := assets.Dir()
	if err != nil {
		t.Fatal(err)
	}
	buildID, err := snapshot.BuildID(pyodideDir)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := assets.CacheRoot()
	if err != nil {
		t.Fatal(err)
	}
	made, ok := snapshot.Find(cache, buildID)
	if !ok {
		t.Fatal("no snapshot was made for this runtime (pyworker fetch makes it)")
	}
	return made
}

// A worker keeps the server's snapshot in the origin private file system
// once it has checked it, for the next visits, which take it from there (one
// file, named by its SHA-256); a kept copy gone bad is fetched again, and one
// this engine cannot restore is not kept.
func TestSnapshotKept(t *testing.T) {
	tab := newTab(t)
	navigate(t, tab, syncURL()+"/")
	made := madeSnapshot(t)
	info, err := os.Stat(made.Path)
	if err != nil {
		t.Fatal(err)
	}
	// Named by its SHA-256; while it is written, the file is empty (and a swap file is beside it).
	want := fmt.Sprintf("%s %d", made.SHA256, info.Size())
	// It is kept after the worker is ready: wait for it (or, where it does not restore, a while).
	first := call[[]string](t, tab, "snapshot.keptAfterRun", map[bool]int{true: 100, false: 20}[restoresServerSnapshot()], want)
	if !restoresServerSnapshot() {
		if len(first) != 0 {
			t.Errorf("kept %v, a snapshot this engine cannot restore", first)
		}
		return
	}
	if len(first) != 1 || first[0] != want {
		t.Fatalf("kept %v, want the server's snapshot (%s)", first, want)
	}
	// A new page (the last one's snapshot is not in its memory), with the kept copy spoiled.
	navigate(t, tab, syncURL()+"/")
	got := call[startOutcome](t, tab, "snapshot.spoiled", made.SHA256, want)
	if strings.Join(got.Phases, ",") != "download,compile,restore,ready" || got.Result != 2.0 {
		t.Errorf("with the kept copy spoiled: phases %v, 1 + 1 = %v; want a restore from the server's", got.Phases, got.Result)
	}
	if want := []string{"kept " + want}; strings.Join(got.Messages, ";") != strings.Join(want, ";") {
		t.Errorf("messages %q, want only %q (nothing said, a good copy kept again)", got.Messages, want)
	}
}
