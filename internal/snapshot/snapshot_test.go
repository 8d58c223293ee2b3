package snapshot

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const build = "990c3b51a9722d62434de2bbc9643732658d488c1b6d467f22c1b6beba80d497"

// snapshotOf lays out a snapshot's header as Pyodide does, then a heap of n bytes.
func snapshotOf(buildID string, n int) []byte {
	data := make([]byte, 48+n)
	binary.LittleEndian.PutUint32(data, 0x706e7300)
	binary.LittleEndian.PutUint32(data[4:], 48)
	for i := 0; i < 8; i++ {
		var word uint32
		for _, c := range buildID[i*8 : i*8+8] {
			word = word<<4 | uint32(strings.IndexRune("0123456789abcdef", c))
		}
		binary.LittleEndian.PutUint32(data[16+4*i:], word)
	}
	return data
}

func TestCheck(t *testing.T) {
	if err := Check(snapshotOf(build, 16), build); err != nil {
		t.Errorf("a snapshot of this build: %v", err)
	}
	other := strings.Repeat("0", 64)
	if err := Check(snapshotOf(other, 16), build); err == nil || err.Error() != "it was made by Pyodide build "+other+", not "+build {
		t.Errorf("another build's: got %v", err)
	}
	for _, data := range [][]byte{make([]byte, 64), make([]byte, 8)} {
		if err := Check(data, build); err == nil || err.Error() != "it does not start as a Pyodide snapshot does" {
			t.Errorf("%d bytes of zeros: got %v", len(data), err)
		}
	}
}

// A kept snapshot is found by its build and named by its content; another
// build finds none.
func TestKeepAndFind(t *testing.T) {
	cache := t.TempDir()
	data := snapshotOf(build, 1024)
	kept, err := keep(folder(cache, build), build, data)
	if err != nil {
		t.Fatal(err)
	}
	found, ok := Find(cache, build)
	if !ok || found != kept || filepath.Base(found.Path) != found.SHA256+".snapshot" {
		t.Fatalf("found %+v (%v), kept %+v", found, ok, kept)
	}
	if got, err := os.ReadFile(found.Path); err != nil || string(got) != string(data) {
		t.Errorf("the kept file differs from what was kept (%v)", err)
	}
	if _, ok := Find(cache, strings.Repeat("1", 64)); ok {
		t.Error("another build found this build's snapshot")
	}
	opened, err := Open(found.Path, build)
	if err != nil || opened != found {
		t.Errorf("Open: %+v, %v; want %+v", opened, err, found)
	}
	if _, err := Open(found.Path, strings.Repeat("1", 64)); err == nil {
		t.Error("Open took a snapshot of another build")
	}
}

// Prune removes the snapshots of other builds or runtimes once they are
// old, with their compressed variants, and keeps the current one and
// recent others.
func TestPrune(t *testing.T) {
	cache, compressed := t.TempDir(), t.TempDir()
	current, err := keep(folder(cache, build), build, snapshotOf(build, 64))
	if err != nil {
		t.Fatal(err)
	}
	other := strings.Repeat("2", 64)
	old, err := keep(folder(cache, other), other, snapshotOf(other, 64))
	if err != nil {
		t.Fatal(err)
	}
	recent := strings.Repeat("3", 64)
	if _, err := keep(folder(cache, recent), recent, snapshotOf(recent, 64)); err != nil {
		t.Fatal(err)
	}
	for _, s := range []Snapshot{current, old} {
		if err := os.WriteFile(filepath.Join(compressed, s.SHA256[:32]+".best.br"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	longAgo := time.Now().Add(-30 * 24 * time.Hour)
	for _, dir := range []string{filepath.Dir(current.Path), filepath.Dir(old.Path)} {
		if err := os.Chtimes(dir, longAgo, longAgo); err != nil {
			t.Fatal(err)
		}
	}
	if err := Prune(cache, compressed, build, 7*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, ok := Find(cache, build); !ok {
		t.Error("the current snapshot was removed")
	}
	if _, ok := Find(cache, recent); !ok {
		t.Error("a recent snapshot of another build was removed")
	}
	if _, ok := Find(cache, other); ok {
		t.Error("an old snapshot of another build was kept")
	}
	if _, err := os.Stat(filepath.Join(compressed, old.SHA256[:32]+".best.br")); !os.IsNotExist(err) {
		t.Errorf("the old snapshot's variant was kept (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(compressed, current.SHA256[:32]+".best.br")); err != nil {
		t.Errorf("the current snapshot's variant was removed: %v", err)
	}
}
