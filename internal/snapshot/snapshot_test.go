package snapshot

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
