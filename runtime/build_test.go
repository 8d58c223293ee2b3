package runtime

import (
	"strings"
	"testing"
)

func TestBuild(t *testing.T) {
	files, err := Build(Config{IndexURL: "pyodide/", AssetSizes: map[string]int64{"pyodide.asm.wasm": 1}})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"pyworker.js":   "export {",
		"worker.js":     "def _run(source, context, filename=USER_FILE):",
		"pyworker.d.ts": "export declare const asyncRun: AsyncRun;",
	} {
		if !strings.Contains(string(files[name]), want) {
			t.Errorf("%s does not contain %q", name, want)
		}
	}
	if strings.Contains(string(files["pyworker.js"]), "PYWORKER_INDEX_URL") {
		t.Error("PYWORKER_INDEX_URL was not replaced")
	}
}
