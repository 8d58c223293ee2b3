package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The real binary: serve DIR on a free port, log requests, stop on Ctrl-C.
func TestServeCommand(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "pyworker")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<p>my app</p>"), 0o644)
	os.WriteFile(filepath.Join(filepath.Dir(dir), "secret.txt"), []byte("secret"), 0o644)

	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "-v", dir)
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "pyworker serving on http://127.0.0.1:") {
		t.Fatalf("first line %q, %v", line, err)
	}
	url := strings.TrimSpace(strings.TrimPrefix(line, "pyworker serving on "))
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != "<p>my app</p>" || res.Header.Get("Cross-Origin-Embedder-Policy") != "require-corp" {
		t.Errorf("GET /: %q %v", body, res.Header)
	}
	if res, err := http.Get(url + "../secret.txt"); err == nil && res.StatusCode == 200 {
		t.Error("served a file outside DIR")
	}
	if res, err := http.Get(url + "pyworker/pyworker.js"); err != nil || res.StatusCode != 200 {
		t.Errorf("runtime: %v %v", res, err)
	}

	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	logs, _ := io.ReadAll(stderr)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after Ctrl-C: %v\n%s", err, logs)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on Ctrl-C")
	}
	for _, want := range []string{"GET / 200", "GET /pyworker/pyworker.js 200", "shutting down"} {
		if !strings.Contains(string(logs), want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}
