// Issue #11: for every address vector, wrapped into a message, "check reports an error" must equal
// "prepare refuses" (the core functions and the CLI commands alike), and every error prepare names
// must be a diagnostic check already showed, at the same place.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { codes, validateMessage } from '../../../src/core/message';
import { prepareMessage } from '../../../src/core/message/prepare';
import type { Problem } from '../../../src/core/types';
import { recordingIo } from '../cli/checkIo';
import { ADDRESS_VECTORS } from './addressVectors';
import { message } from './helpers';

const where = (p: Problem): string => `${p.range.start.line}:${p.range.start.character} ${p.code}`;

/**
 * Envelope problems that check reports under the code of the rule with the quick fix (prepare's own
 * list still names both): a list with no recipient is missing-recipients there.
 */
const SHOWN_AS: Record<string, string[]> = {
  [codes.ENVELOPE_NO_RECIPIENTS]: [codes.MISSING_RECIPIENTS],
};

describe('address vectors: check and prepare agree', function () {
  this.timeout(60_000);

  it(`holds ${ADDRESS_VECTORS.length} vectors (150 or more), sendable and refused ones`, () => {
    assert.ok(ADDRESS_VECTORS.length >= 150);
    assert.ok(ADDRESS_VECTORS.filter((x) => x.send).length >= 50);
    assert.ok(ADDRESS_VECTORS.filter((x) => !x.send).length >= 50);
  });

  for (const [index, vector] of ADDRESS_VECTORS.entries()) {
    it(`#${index} ${JSON.stringify(vector.to)}: ${vector.send ? 'sent' : 'refused'} (${vector.note})`, () => {
      const doc = message({ To: vector.to });
      const checked = validateMessage(doc);
      const prepared = prepareMessage(doc);
      const checkErrors = checked.filter((p) => p.severity === 'error');
      assert.equal(checkErrors.length > 0, !prepared.ok, `check: ${checkErrors.map(where).join(', ') || 'no errors'}; prepare: ${prepared.ok ? 'ok' : prepared.problems.map(where).join(', ')}`);
      assert.equal(prepared.ok, vector.send, prepared.ok ? 'prepared' : prepared.problems.filter((p) => p.severity === 'error').map((p) => p.message).join('; '));
      const shown = new Set(checked.map(where));
      const shownCodes = new Set(checkErrors.map((p) => p.code));
      for (const p of prepared.problems) {
        const elsewhere = SHOWN_AS[p.code]?.some((code) => shownCodes.has(code));
        assert.ok(shown.has(where(p)) || elsewhere, `prepare names ${where(p)} (${p.message}), check does not`);
      }
      if (prepared.ok && vector.rcpt) assert.deepEqual(prepared.message.envelope.to, vector.rcpt);
    });
  }

  it('the CLI commands agree on every vector: check exits 1 exactly when prepare exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailsmith-vectors-'));
    try {
      const disagreements: string[] = [];
      for (const [index, vector] of ADDRESS_VECTORS.entries()) {
        const file = join(dir, `vector-${index}.eml`);
        writeFileSync(file, message({ To: vector.to }));
        const check = recordingIo();
        const checkCode = await main(['check', file], check);
        const prepare = recordingIo();
        const prepareCode = await main(['prepare', file], prepare);
        const expected = vector.send ? 0 : 1;
        if (checkCode !== expected || prepareCode !== expected) {
          disagreements.push(`#${index} ${JSON.stringify(vector.to)}: check ${checkCode}, prepare ${prepareCode}, expected ${expected}\n${check.out}${prepare.err}`);
        }
      }
      assert.deepEqual(disagreements, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
