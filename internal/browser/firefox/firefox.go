// Package firefox drives headless Firefox (Debian's firefox-esr) over
// WebDriver BiDi, which Firefox speaks natively: the few commands a test of
// a page needs (a tab, navigate, evaluate and await a promise), for running
// the end-to-end tests on a second engine. There is no maintained Go BiDi
// client; this one is a websocket and a table of pending commands.
package firefox

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Path finds the browser: $PYWORKER_FIREFOX, else firefox-esr or firefox on PATH.
func Path() (string, error) {
	if p := os.Getenv("PYWORKER_FIREFOX"); p != "" {
		return p, nil
	}
	for _, name := range []string{"firefox-esr", "firefox"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Firefox found: install Debian's firefox-esr package or set PYWORKER_FIREFOX")
}

// prefs keep a test browser off the network (updates, telemetry, safe
// browsing, captive-portal and connectivity checks): this network refuses
// those connections, and they would only slow the browser down.
const prefs = `
user_pref("app.update.disabledForTesting", true);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("extensions.update.enabled", false);
user_pref("app.normandy.enabled", false);
user_pref("browser.newtabpage.enabled", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("remote.prefs.recommended", true);
`

// Browser is one headless Firefox with a fresh profile and its BiDi session.
type Browser struct {
	cmd     *exec.Cmd
	profile string
	conn    *websocket.Conn
	version string // the browser's name and version, as the session reports them

	mu      sync.Mutex
	nextID  int64
	pending map[int64]chan reply
	closed  error
}

type reply struct {
	Result json.RawMessage `json:"result"`
	Error  string          `json:"error"`
	Detail string          `json:"message"`
}

// listening is what Firefox prints once its BiDi server is up.
var listening = regexp.MustCompile(`WebDriver BiDi listening on (ws://\S+)`)

// Start launches Firefox and opens a BiDi session; Close ends both.
func Start(ctx context.Context) (*Browser, error) {
	path, err := Path()
	if err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "pyworker-firefox-")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(prefs), 0o644); err != nil {
		os.RemoveAll(profile)
		return nil, err
	}
	// Port 0: Firefox picks a free one and says which.
	cmd := exec.Command(path, "--headless", "--no-remote", "--profile", profile, "--remote-debugging-port", "0", "about:blank")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		os.RemoveAll(profile)
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(profile)
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	b := &Browser{cmd: cmd, profile: profile, pending: map[int64]chan reply{}}
	url, err := waitForBiDi(ctx, stderr)
	if err == nil {
		b.conn, _, err = websocket.Dial(ctx, url+"/session", nil)
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	b.conn.SetReadLimit(64 << 20)
	go b.read()
	session, err := b.call(ctx, "session.new", map[string]any{"capabilities": map[string]any{}})
	if err != nil {
		b.Close()
		return nil, err
	}
	var created struct {
		Capabilities struct {
			Name    string `json:"browserName"`
			Version string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	if err := json.Unmarshal(session, &created); err != nil {
		b.Close()
		return nil, fmt.Errorf("the BiDi session: %w", err)
	}
	b.version = created.Capabilities.Name + " " + created.Capabilities.Version
	return b, nil
}

// waitForBiDi reads Firefox's stderr until it names its BiDi address, then
// drains the rest so that Firefox never blocks writing to it.
func waitForBiDi(ctx context.Context, stderr io.Reader) (string, error) {
	found := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stderr)
		var said []string
		for lines.Scan() {
			if m := listening.FindStringSubmatch(lines.Text()); m != nil {
				found <- m[1]
				break
			}
			said = append(said, lines.Text())
		}
		if lines.Err() == nil && len(found) == 0 {
			found <- "exited: " + strings.Join(said, "\n")
		}
		io.Copy(io.Discard, stderr)
	}()
	select {
	case url := <-found:
		if strings.HasPrefix(url, "exited: ") {
			return "", fmt.Errorf("Firefox %s", url)
		}
		return url, nil
	case <-ctx.Done():
		return "", ctx.Err()
	case <-time.After(60 * time.Second):
		return "", fmt.Errorf("Firefox did not open its BiDi port within 60 s")
	}
}

// read hands each command's reply to its caller; events are not used.
func (b *Browser) read() {
	for {
		_, data, err := b.conn.Read(context.Background())
		if err != nil {
			b.mu.Lock()
			b.closed = fmt.Errorf("the connection to Firefox ended: %w", err)
			for id, ch := range b.pending {
				close(ch)
				delete(b.pending, id)
			}
			b.mu.Unlock()
			return
		}
		var message struct {
			ID *int64 `json:"id"`
			reply
		}
		if json.Unmarshal(data, &message) != nil || message.ID == nil {
			continue
		}
		b.mu.Lock()
		ch := b.pending[*message.ID]
		delete(b.pending, *message.ID)
		b.mu.Unlock()
		if ch != nil {
			ch <- message.reply
		}
	}
}

// call sends one BiDi command and waits for its result.
func (b *Browser) call(ctx context.Context, method string, params any) (json.RawMessage, error) {
	b.mu.Lock()
	if b.closed != nil {
		b.mu.Unlock()
		return nil, b.closed
	}
	b.nextID++
	id := b.nextID
	ch := make(chan reply, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	command, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err == nil {
		err = b.conn.Write(ctx, websocket.MessageText, command)
	}
	if err != nil {
		b.forget(id)
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	select {
	case r, ok := <-ch:
		if !ok {
			return nil, fmt.Errorf("%s: %w", method, b.closed)
		}
		if r.Error != "" {
			return nil, fmt.Errorf("%s: %s: %s", method, r.Error, r.Detail)
		}
		return r.Result, nil
	case <-ctx.Done():
		b.forget(id)
		return nil, fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

func (b *Browser) forget(id int64) {
	b.mu.Lock()
	delete(b.pending, id)
	b.mu.Unlock()
}

// PID is the browser's main process.
func (b *Browser) PID() int { return b.cmd.Process.Pid }

// Version is the browser's name and version, as its session reports them.
func (b *Browser) Version() string { return b.version }

// Close ends the session and the browser and removes the profile.
func (b *Browser) Close() error {
	if b.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		b.call(ctx, "browser.close", map[string]any{})
		cancel()
		b.conn.CloseNow()
	}
	b.cmd.Process.Kill()
	b.cmd.Wait()
	return os.RemoveAll(b.profile)
}
