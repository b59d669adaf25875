// PKCE (RFC 7636): the S256 challenge against the RFC's own example, and fresh verifiers of the right shape.
import * as assert from 'node:assert/strict';
import { createPkce, pkceChallenge, randomState } from '../../../src/core/secrets/oauth/pkce';

describe('PKCE and state', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    assert.equal(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes a 43-character unreserved verifier with its challenge, different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const pkce = createPkce();
      // Section 4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
      assert.match(pkce.verifier, /^[A-Za-z0-9\-._~]{43}$/);
      assert.equal(pkce.challenge, pkceChallenge(pkce.verifier));
      assert.equal(pkce.method, 'S256');
      seen.add(pkce.verifier);
      seen.add(randomState());
    }
    assert.equal(seen.size, 100);
  });
});
