package bench

import (
	"fmt"
	"io"
	"net/http"

	"github.com/pyworker/pyworker/internal/assets"
	"github.com/pyworker/pyworker/internal/fileserver"
)

// coldLimit is the fewest bytes pyworker's cold start could cost: the best
// brotli size of every file it loaded (the interpreter's and pyworker's own
// two scripts). Each file is read back from the server uncompressed; sizes
// come from the best variants `pyworker fetch` left in the cache, or are
// computed.
func coldLimit(serverURL string, served []Served) (int64, error) {
	cache, err := assets.CompressedDir()
	if err != nil {
		return 0, err
	}
	var total int64
	for _, s := range served {
		req, err := http.NewRequest("GET", serverURL+s.Path, nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Accept-Encoding", "identity")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, fmt.Errorf("the cold-bytes limit: %w", err)
		}
		content, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("the cold-bytes limit: GET %s: %d %v", s.Path, res.StatusCode, err)
		}
		n, err := fileserver.BestSize(cache, content)
		if err != nil {
			return 0, fmt.Errorf("the cold-bytes limit: compressing %s: %w", s.Path, err)
		}
		total += n
	}
	return total, nil
}
