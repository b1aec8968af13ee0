package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/matchgrid/matchgrid/profiles"
)

// A webhook is a URL that a portal asks the server to call: left open, it
// would let whoever may register one make the server reach its own
// machine, its network or a cloud metadata service (server-side request
// forgery). Unless a server allows it explicitly (tests, a portal on the
// same network), addresses of those kinds are refused twice: when the URL
// is registered (CheckURL, on the addresses its host resolves to), and when
// a call connects (the client's dialer checks the address it is about to
// connect to, after resolution, so a name that resolves elsewhere later —
// DNS rebinding — is caught too).

// ErrForbiddenAddress is the error of a call to an address a webhook may
// not reach.
var ErrForbiddenAddress = errors.New("webhook: the address is on this machine or a private network")

// forbiddenPrefixes are the ranges a webhook may not reach besides the
// loopback, private, link-local, unspecified and multicast ones netip names.
var forbiddenPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT, shared address space
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and the broadcast address
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64, may reach any IPv4
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2002::/16"),       // 6to4, may tunnel to any IPv4
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
	netip.MustParsePrefix("::ffff:0:0:0/96"), // IPv4-translated
}

// forbiddenNames are host names of metadata services and of this machine,
// refused whatever they resolve to.
var forbiddenNames = []string{"localhost", "metadata", "metadata.google.internal", "metadata.goog", "instance-data"}

// Forbidden reports whether ip is an address a webhook may not reach: the
// loopback, private (RFC 1918, unique local), link-local (which holds the
// 169.254.169.254 metadata service), unspecified, multicast and other
// special-purpose ranges.
func Forbidden(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || !ip.IsValid() {
		return true
	}
	for _, p := range forbiddenPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// forbiddenName reports whether host names this machine or a metadata
// service.
func forbiddenName(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, n := range forbiddenNames {
		if host == n || strings.HasSuffix(host, "."+n) {
			return true
		}
	}
	return false
}

// CheckURL refuses a webhook URL whose host is, or resolves to, an address
// a webhook may not reach, unless allowPrivate. A host that does not
// resolve now passes: the call's own check guards it when it does.
func CheckURL(ctx context.Context, rawURL string, allowPrivate bool) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return profiles.NewFieldError("webhook", "", "url", rawURL, "must be an http or https URL")
	}
	if allowPrivate {
		return nil
	}
	refuse := func(what string) error {
		return profiles.NewFieldError("webhook", "", "url", rawURL, "must not lead to this server, a private network or a metadata service (%s)", what)
	}
	host := u.Hostname()
	if forbiddenName(host) {
		return refuse(host)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if Forbidden(ip) {
			return refuse(ip.String())
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil
	}
	for _, ip := range ips {
		if Forbidden(ip) {
			return refuse(host + " is " + ip.String())
		}
	}
	return nil
}

// dialControl refuses a connection to an address a webhook may not reach;
// it runs after name resolution, on the address about to be connected to.
func dialControl(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%s %s: %w", network, address, ErrForbiddenAddress)
	}
	if Forbidden(ap.Addr()) {
		return fmt.Errorf("%s: %w", ap.Addr(), ErrForbiddenAddress)
	}
	return nil
}

// NewClient returns the client that makes webhook calls: a 15-second
// timeout, no proxy (a proxy would connect in the client's place,
// unchecked), no redirects (a 3xx answer is a failed call), and, unless
// allowPrivate, a dialer that refuses the addresses Forbidden names.
func NewClient(allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = dialControl
	}
	tr := &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: 10 * time.Second,
		MaxIdleConnsPerHost: 2, IdleConnTimeout: 90 * time.Second, ForceAttemptHTTP2: true}
	return &http.Client{Timeout: 15 * time.Second, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
