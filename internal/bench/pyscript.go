package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/pyworker/pyworker/internal/assets"
)

// PyScript, the system the synchronous bridge is compared with, from npm:
// its dist/ folder is served at /pyscript/ and loads the same local Pyodide.
const (
	PyScriptVersion   = "0.7.31"
	pyscriptSpec      = "@pyscript/core@" + PyScriptVersion
	pyscriptIntegrity = "sha512-GqM1aonc1N4RTkNZ1zJ8jJk8+i2cqeztZslPsAiQtn+wHHkUX9Z1FgIg4HjCvhBylB68UKmbTVTzOobpgPIMVQ=="
	completeMarker    = ".complete"
)

// pyscriptDir returns the folder holding PyScript's dist/, fetched with npm
// into the cache beside Pyodide on first use.
func pyscriptDir(ctx context.Context) (string, error) {
	pyodide, err := assets.Dir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(filepath.Dir(pyodide), "pyscript-core-"+PyScriptVersion)
	if _, err := os.Stat(filepath.Join(dir, completeMarker)); err == nil {
		return dir, nil
	}
	tmp := dir + ".tmp-" + strconv.Itoa(os.Getpid())
	os.RemoveAll(tmp)
	defer os.RemoveAll(tmp)
	if err := assets.FetchNPM(ctx, pyscriptSpec, pyscriptIntegrity, "dist/", tmp); err != nil {
		return "", fmt.Errorf("PyScript for the comparison: %w", err)
	}
	if err := os.WriteFile(filepath.Join(tmp, completeMarker), []byte(pyscriptSpec+"\n"), 0o644); err != nil {
		return "", err
	}
	os.RemoveAll(dir) // an incomplete copy
	if err := os.Rename(tmp, dir); err != nil {
		return "", err
	}
	return dir, nil
}
