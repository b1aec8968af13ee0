package api_test

import (
	"testing"

	"github.com/matchgrid/matchgrid/web"
	"github.com/matchgrid/matchgrid/web/internal/webtest"
)

// The API tests run against a real server on loopback over a real store in
// a temporary directory, seeded with webtest.Seed.

type fixture = webtest.Fixture

const (
	roleAnon = webtest.RoleAnon
	roleA    = webtest.RoleA
	roleB    = webtest.RoleB
	roleOrg  = webtest.RoleOrg
)

var roleSecrets = webtest.RoleSecrets

func newFixture(t *testing.T, cfg web.Config) *fixture { return webtest.NewFixture(t, cfg) }

var noSecretsOf = webtest.NoSecretsOf
