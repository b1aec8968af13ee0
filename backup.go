package matchgrid

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// ControlSocket is the name of the Unix socket, inside the data directory,
// on which a running server hands out hot backups. bbolt locks the store
// file for the process that has it open, so another process cannot read
// it; the socket lets `matchgrid backup` ask the owner instead. Its file
// mode (0600) limits it to the user who owns the data.
const ControlSocket = "control.sock"

// ServeControl answers backup requests on the data directory's control
// socket until ctx is cancelled. A stale socket file left by a crashed
// process is replaced.
func (e *Engine) ServeControl(ctx context.Context) error {
	path := filepath.Join(e.dir, ControlSocket)
	if conn, err := net.Dial("unix", path); err == nil {
		conn.Close()
		return fmt.Errorf("matchgrid: another process serves %s", path)
	}
	os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return fmt.Errorf("matchgrid: control socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return fmt.Errorf("matchgrid: control socket: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		if e.store.Shared() {
			http.Error(w, "the store is PostgreSQL: back it up with pg_dump, or run matchgrid backup --store URL", http.StatusNotImplemented)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		if _, err := e.store.Backup(w); err != nil {
			// Headers are gone by now: break the stream so the client sees a short copy.
			panic(http.ErrAbortHandler)
		}
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	err = srv.Serve(ln)
	os.Remove(path)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Backup writes a consistent copy of the store of data directory dir to
// path: directly when no other process has the store open, otherwise
// through the running server's control socket. The copy is written to a
// temporary file and renamed into place only when complete.
func Backup(ctx context.Context, dir, path string) (how string, err error) {
	store, err := profiles.Open(filepath.Join(dir, StoreFile), &profiles.Options{ReadOnly: true, Timeout: 500 * time.Millisecond})
	if err == nil {
		defer store.Close()
		return "store file", store.BackupFile(path)
	}
	how, sockErr := backupViaControl(ctx, dir, path)
	if sockErr != nil {
		return "", fmt.Errorf("backup: %w (%w)", err, sockErr)
	}
	return how, nil
}

// backupViaControl asks the server running on dir for a backup into path.
func backupViaControl(ctx context.Context, dir, path string) (string, error) {
	sock := filepath.Join(dir, ControlSocket)
	if _, err := os.Stat(sock); err != nil {
		return "", fmt.Errorf("no running server's control socket at %s", sock)
	}
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		},
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://matchgrid/backup", nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("backup through %s: %w", sock, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("backup through %s: server answered %s", sock, resp.Status)
	}
	return "running server", writeAtomically(path, resp.Body)
}

// writeAtomically copies r to path through a temporary file in the same directory.
func writeAtomically(path string, r io.Reader) error {
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp, path)
}
