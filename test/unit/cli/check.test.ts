import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ensureBundle } from '../../support/bundle';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { repoRoot } from '../../support/paths';
import { recordingIo } from './checkIo';

const SAMPLES = ['plain-text', 'multipart-attachment', 'utf8-subject', 'with-bcc'].map((n) => `samples/${n}.eml`);

describe('mailsmith check', () => {
  it('passes the sendable samples with exit 0', async () => {
    const io = recordingIo();
    const code = await main(['check', ...SAMPLES], io);
    assert.equal(code, 0, io.out + io.err);
    assert.doesNotMatch(io.out, / error /);
    assert.match(io.out, /in 4 files\n$/);
  });

  it('prints file:line:col severity code message (1-based) and exits 1 on the broken sample', async () => {
    const io = recordingIo();
    const code = await main(['check', 'samples/broken.eml'], io);
    assert.equal(code, 1);
    const lines = io.out.trim().split('\n');
    assert.ok(lines.includes('samples/broken.eml:1:1 error missing-from no From field: every message needs one (RFC 5322 section 3.6)'), io.out);
    assert.ok(lines.some((l) => l.startsWith('samples/broken.eml:3:1 error duplicate-field ')));
    assert.ok(lines.some((l) => l.startsWith('samples/broken.eml:1:22 error address-syntax To: ')));
    for (const line of lines.slice(0, -1)) assert.match(line, /^samples\/broken\.eml:\d+:\d+ (error|warning|info|hint) [a-z0-9-]+ \S/);
    assert.match(lines[lines.length - 1], /^\d+ problems \(\d+ errors, /);
  });

  it('prints JSON with 1-based positions, ranges and fixes', async () => {
    const io = recordingIo();
    const code = await main(['check', '--format', 'json', 'samples/broken.eml', 'samples/plain-text.eml'], io);
    assert.equal(code, 1);
    const parsed = JSON.parse(io.out);
    assert.equal(parsed.length, 2);
    assert.equal(parsed[0].file, 'samples/broken.eml');
    assert.equal(parsed[0].decoding, 'utf-8');
    const missingFrom = parsed[0].problems.find((p: { code: string }) => p.code === 'missing-from');
    assert.deepEqual([missingFrom.line, missingFrom.column, missingFrom.severity], [1, 1, 'error']);
    const duplicate = parsed[0].problems.find((p: { code: string }) => p.code === 'duplicate-field');
    assert.equal(duplicate.fixes[0].title, 'Remove this Subject field');
    assert.deepEqual(parsed[1].problems, []);
  });

  it('reads standard input for "-"', async () => {
    const io = recordingIo('From: a@example.com\r\nTo: b@example.org\r\nSubject: s\r\n\r\nhi\r\n');
    const code = await main(['check', '-'], io);
    assert.equal(code, 0);
    assert.match(io.out, /^-:1:1 hint missing-date /m);
  });

  it('exits 2 with a clear message for an unreadable file, after checking the others', async () => {
    const io = recordingIo();
    const code = await main(['check', 'samples/plain-text.eml', 'samples/no-such-file.eml', 'samples'], io);
    assert.equal(code, 2);
    assert.match(io.err, /cannot read "samples\/no-such-file\.eml": no such file/);
    assert.match(io.err, /cannot read "samples": it is a directory/);
    assert.match(io.out, /in 1 file\n$/);
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [['check'], ['check', '--format', 'xml', 'a.eml'], ['check', '--frobnicate', 'a.eml']]) {
      const io = recordingIo();
      assert.equal(await main(args, io), 2, args.join(' '));
      assert.match(io.err, /Usage: mailsmith check/);
    }
  });

  describe('the built bundle (node dist/cli.js)', function () {
    this.timeout(120_000);
    const cli = join(repoRoot, 'dist', 'cli.js');
    before(ensureBundle);

    it('checks the samples: exit 1 because of the broken one, a line per problem', () => {
      const run = spawnSync(process.execPath, [cli, 'check', 'samples/broken.eml', ...SAMPLES], { cwd: repoRoot, encoding: 'utf8' });
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stdout, /^samples\/broken\.eml:1:1 error missing-from /m);
      assert.match(run.stdout, /^samples\/with-bcc\.eml:3:1 hint bcc-removed /m);
    });

    it('prepares a sample without sending: envelope, then the bytes', () => {
      const run = spawnSync(process.execPath, [cli, 'prepare', 'samples/with-bcc.eml'], { cwd: repoRoot, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^MAIL FROM:<erin@example\.com>\nRCPT TO:<team@example\.org>\nRCPT TO:<frank@example\.net>\nRCPT TO:<archive@example\.com>\n/);
      assert.doesNotMatch(run.stdout, /^Bcc:/im);
    });
  });
});
