// Package webkit drives WebKitGTK's MiniBrowser (Debian's webkit2gtk-driver)
// through WebKitWebDriver, classic WebDriver over HTTP, under Xvfb when
// there is no display: the few commands a test of a page needs (a tab,
// navigate, evaluate and await a promise). Classic WebDriver has one current
// window per session, so the tabs of a Browser take turns: each command
// switches to its window first.
package webkit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options says how to start WebKit.
type Options struct {
	// SharedMemory starts WebKit's web process with SharedArrayBuffer (on a
	// cross-origin isolated page); without it WebKitGTK reports isolation but
	// has none, as some embedded web views do.
	SharedMemory bool
}

// Browser is one WebKitWebDriver, its MiniBrowser session, and the Xvfb it
// may have started.
type Browser struct {
	driver  *exec.Cmd
	xvfb    *exec.Cmd
	session string // the session's URL
	version string // the browser's name and version, as the session reports them

	// mu gives the session to one tab's command at a time.
	mu      sync.Mutex
	current string // the handle of the window commands go to
	home    string // the handle of the session's first window, never closed
}

// Installed says why WebKit cannot start here, or nil.
func Installed() error {
	_, _, err := find()
	return err
}

// find finds WebKitWebDriver and MiniBrowser, and Xvfb when there is no display.
func find() (driver, miniBrowser string, err error) {
	if driver, err = exec.LookPath("WebKitWebDriver"); err != nil {
		return "", "", fmt.Errorf("no WebKitWebDriver found: install Debian's webkit2gtk-driver package")
	}
	if miniBrowser, err = findMiniBrowser(); err != nil {
		return "", "", err
	}
	if os.Getenv("DISPLAY") == "" {
		if _, err := exec.LookPath("Xvfb"); err != nil {
			return "", "", fmt.Errorf("no display and no Xvfb: install Debian's xvfb package")
		}
	}
	return driver, miniBrowser, nil
}

// Start launches WebKitWebDriver (and Xvfb if DISPLAY is unset) and opens a
// session with MiniBrowser; Close ends them.
func Start(ctx context.Context, opts Options) (*Browser, error) {
	driverPath, miniBrowser, err := find()
	if err != nil {
		return nil, err
	}
	b := &Browser{}
	env := os.Environ()
	if os.Getenv("DISPLAY") == "" {
		display, err := b.startXvfb(ctx)
		if err != nil {
			return nil, err
		}
		env = append(env, "DISPLAY="+display)
	}
	if opts.SharedMemory {
		env = append(env, "JSC_useSharedArrayBuffer=1")
	}
	port, err := freePort()
	if err != nil {
		b.Close()
		return nil, err
	}
	b.driver = exec.Command(driverPath, "--port="+strconv.Itoa(port))
	b.driver.Env = env
	diesWithUs(b.driver)
	if err := b.driver.Start(); err != nil {
		b.Close()
		return nil, fmt.Errorf("starting WebKitWebDriver: %w", err)
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := waitForDriver(ctx, base); err != nil {
		b.Close()
		return nil, err
	}
	var created struct {
		SessionID    string `json:"sessionId"`
		Capabilities struct {
			Name    string `json:"browserName"`
			Version string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	capabilities := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"webkitgtk:browserOptions": map[string]any{"binary": miniBrowser, "args": []string{"--automation"}},
	}}}
	if err := request(ctx, http.MethodPost, base+"/session", capabilities, &created); err != nil {
		b.Close()
		return nil, fmt.Errorf("opening a WebKit session: %w", err)
	}
	b.session = base + "/session/" + created.SessionID
	b.version = strings.TrimSpace(created.Capabilities.Name + " " + created.Capabilities.Version)
	if err := request(ctx, http.MethodGet, b.session+"/window", nil, &b.home); err != nil {
		b.Close()
		return nil, err
	}
	b.current = b.home
	// Pages may take their time: a Pyodide start under load is seconds.
	if err := request(ctx, http.MethodPost, b.session+"/timeouts", map[string]any{"script": 120_000, "pageLoad": 60_000}, nil); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// findMiniBrowser finds WebKitGTK's MiniBrowser: $PYWORKER_MINIBROWSER, else in its library folder.
func findMiniBrowser() (string, error) {
	if p := os.Getenv("PYWORKER_MINIBROWSER"); p != "" {
		return p, nil
	}
	found, _ := filepath.Glob("/usr/lib/*/webkit2gtk-4.*/MiniBrowser")
	if len(found) == 0 {
		return "", fmt.Errorf("no WebKitGTK MiniBrowser found: install Debian's webkit2gtk-driver package or set PYWORKER_MINIBROWSER")
	}
	return found[len(found)-1], nil
}

// startXvfb starts a virtual display and returns its name (":N"), which Xvfb
// picks itself and writes to the pipe given as -displayfd.
func (b *Browser) startXvfb(ctx context.Context) (string, error) {
	path, err := exec.LookPath("Xvfb")
	if err != nil {
		return "", err
	}
	read, write, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer read.Close()
	b.xvfb = exec.Command(path, "-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
	b.xvfb.ExtraFiles = []*os.File{write}
	diesWithUs(b.xvfb)
	err = b.xvfb.Start()
	write.Close()
	if err != nil {
		return "", fmt.Errorf("starting Xvfb: %w", err)
	}
	number := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(read).ReadString('\n')
		number <- strings.TrimSpace(line)
	}()
	select {
	case n := <-number:
		if n == "" {
			return "", fmt.Errorf("Xvfb named no display")
		}
		return ":" + n, nil
	case <-ctx.Done():
		return "", ctx.Err()
	case <-time.After(30 * time.Second):
		return "", fmt.Errorf("Xvfb named no display within 30 s")
	}
}

// freePort is a port on 127.0.0.1 that nothing listens on now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitForDriver waits until WebKitWebDriver answers its status.
func waitForDriver(ctx context.Context, base string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		var status struct {
			Ready bool `json:"ready"`
		}
		err := request(ctx, http.MethodGet, base+"/status", nil, &status)
		if err == nil && status.Ready {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("WebKitWebDriver is not ready after 30 s: %v", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// request sends one WebDriver command and decodes its "value" into out.
func request(ctx context.Context, method, url string, body, out any) error {
	var payload io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		payload = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, payload)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var answer struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		return fmt.Errorf("%s %s: %s: %w", method, url, resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		var failure struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		json.Unmarshal(answer.Value, &failure)
		return fmt.Errorf("%s: %s", failure.Error, failure.Message)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(answer.Value, out)
}

// Version is the browser's name and version, as its session reports them.
func (b *Browser) Version() string { return b.version }

// PID is WebKitWebDriver, which starts MiniBrowser.
func (b *Browser) PID() int { return b.driver.Process.Pid }

// Close ends the session, the driver and Xvfb.
func (b *Browser) Close() error {
	if b.session != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		request(ctx, http.MethodDelete, b.session, nil, nil)
		cancel()
	}
	for _, cmd := range []*exec.Cmd{b.driver, b.xvfb} {
		if cmd != nil && cmd.Process != nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}
	return nil
}
