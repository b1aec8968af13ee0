package webhook

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/matchgrid/matchgrid/notify"
	"github.com/matchgrid/matchgrid/profiles"
)

// TestCheckURL: URLs that lead to this machine, a private network or a
// metadata service are refused at registration unless allowed; public
// addresses and names that do not resolve pass.
func TestCheckURL(t *testing.T) {
	for _, tc := range []struct {
		url     string
		refused bool
	}{
		{"http://127.0.0.1:8080/hook", true},
		{"http://[::1]/hook", true},
		{"http://localhost/hook", true},
		{"http://api.localhost/hook", true},
		{"http://169.254.169.254/latest/meta-data/", true},
		{"http://metadata.google.internal/computeMetadata/v1/", true},
		{"http://10.1.2.3/hook", true},
		{"http://172.16.0.1/hook", true},
		{"http://192.168.1.10/hook", true},
		{"http://100.64.0.1/hook", true},
		{"http://0.0.0.0/hook", true},
		{"http://[fd00:ec2::254]/hook", true},
		{"http://[fe80::1]/hook", true},
		{"http://[::ffff:127.0.0.1]/hook", true},
		{"http://[64:ff9b::a9fe:a9fe]/hook", true},
		{"https://93.184.215.14/hook", false},
		{"https://[2606:4700::1111]/hook", false},
		{"https://portal.invalid/hook", false}, // does not resolve: the call's own check guards it
	} {
		err := CheckURL(context.Background(), tc.url, false)
		var fe *profiles.FieldError
		if got := errors.As(err, &fe); got != tc.refused || (got && !errors.Is(err, profiles.ErrInvalid)) {
			t.Errorf("%s: refused %v (%v), want %v", tc.url, got, err, tc.refused)
		}
		if err := CheckURL(context.Background(), tc.url, true); err != nil {
			t.Errorf("%s with private addresses allowed: %v", tc.url, err)
		}
	}
	if err := CheckURL(context.Background(), "ftp://example.org/x", true); !errors.Is(err, profiles.ErrInvalid) {
		t.Errorf("an ftp URL: %v", err)
	}
}

// TestCallsRefusePrivateAddresses: the call's dialer refuses a loopback
// address whatever name led to it (here a name that resolved to it after
// registration, as DNS rebinding would), and such a delivery fails for
// good; allowed, the same call goes through.
func TestCallsRefusePrivateAddresses(t *testing.T) {
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer recv.Close()
	_, port, _ := net.SplitHostPort(recv.Listener.Addr().String())
	rebound := "http://rebound.example:" + port + "/hook" // "resolves" to loopback at call time
	for _, allow := range []bool{false, true} {
		c := NewClient(allow)
		tr := c.Transport.(*http.Transport)
		dial := tr.DialContext
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			return dial(ctx, network, net.JoinHostPort("127.0.0.1", port)) // the resolver's answer
		}
		s := fixture(t)
		var hook *profiles.Webhook
		if err := s.Update(func(tx *profiles.Tx) (err error) {
			hook, err = Register(tx, eventID, rebound, nil, time.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		svc := &Service{Store: s, Client: c}
		code, err := svc.Send(context.Background(), &profiles.OutboxItem{EventID: eventID, Target: hook.ID, Kind: RequestSent, Body: "{}"})
		var perm *notify.PermanentError
		switch {
		case allow && (err != nil || code != http.StatusNoContent):
			t.Errorf("allowed: %d %v", code, err)
		case !allow && (!errors.Is(err, ErrForbiddenAddress) || !errors.As(err, &perm)):
			t.Errorf("refused call: %d %v, want a permanent ErrForbiddenAddress", code, err)
		}
	}
	if !Forbidden(netip.MustParseAddr("169.254.169.254")) || Forbidden(netip.MustParseAddr("8.8.8.8")) {
		t.Error("Forbidden misjudges the metadata or a public address")
	}
}
