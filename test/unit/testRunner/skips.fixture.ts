// Not a test of its own (not *.test.ts): summary.test.ts runs mocha over it with the summary reporter to see
// how every way of skipping a test is reported.
import { skipBecause } from '../../support/skip';

describe('fixture', () => {
  it('passes', () => undefined);

  it('skips itself with a reason', function () {
    skipBecause(this, 'needs a case-sensitive file system');
  });

  it('skips itself without a reason', function () {
    this.skip();
  });

  it.skip('is marked it.skip', () => undefined);

  describe('suite skipped by its before hook', () => {
    before(function () {
      skipBecause(this, 'no IPv6 on this machine');
    });
    it('first', () => undefined);
    it('second', () => undefined);
  });
});
