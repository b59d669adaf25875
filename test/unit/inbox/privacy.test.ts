// The capture inbox keeps other people's mail: it listens on loopback only (issue #16: an inbox listening
// on every interface while reporting 127.0.0.1 would not be noticed by a test that only reads `host`), and
// what it stores is readable by its user only (review #10, item 10: the folder was 755, the files 644).
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCaptureInbox, type CaptureInbox } from '../../../src/core/inbox';
import { sendMessage } from '../../../src/core/send';
import { nonLoopbackAddress, tryConnect } from '../../support/smtpServers';
import { prepareFixture } from '../send/helpers';


describe('local capture inbox: privacy', function () {
  this.timeout(20_000);
  let base: string;
  let inbox: CaptureInbox | undefined;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'mailsmith-inbox-private-'));
  });
  afterEach(async () => {
    await inbox?.close();
    inbox = undefined;
    rmSync(base, { recursive: true, force: true });
  });

  it('the listening socket itself is bound to 127.0.0.1, not to every interface', async () => {
    inbox = await startCaptureInbox({ dir: join(base, 'inbox') });
    assert.equal(inbox.host, '127.0.0.1');
    assert.equal(inbox.boundAddress, '127.0.0.1', 'what the operating system says the socket is bound to');
    assert.equal(await tryConnect('127.0.0.1', inbox.port), 'connected');
  });

  it("cannot be reached through this machine's other addresses", async function () {
    const other = nonLoopbackAddress();
    if (!other) return this.skip(); // loopback only: no other address to try
    inbox = await startCaptureInbox({ dir: join(base, 'inbox') });
    assert.equal(await tryConnect(other, inbox.port), 'ECONNREFUSED');
    assert.equal(await tryConnect('::1', inbox.port).then((r) => r === 'connected'), false, 'nor over IPv6');
  });

  it('stores messages readable by their user only: folder 700, message and envelope 600', async function () {
    if (process.platform === 'win32') return this.skip(); // no POSIX modes
    const dir = join(base, 'nested', 'inbox');
    inbox = await startCaptureInbox({ dir });
    const outcome = await sendMessage(prepareFixture().message, { ...inbox.profile, security: 'none', caFile: undefined }, {}, {});
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    const mode = (path: string) => statSync(path).mode & 0o777;
    assert.equal(mode(dir).toString(8), '700');
    assert.equal(mode(join(base, 'nested')).toString(8), '700', 'folders it creates on the way too');
    const files = readdirSync(dir).filter((f) => f.endsWith('.eml') || f.endsWith('.json'));
    assert.equal(files.length, 2);
    for (const f of files) assert.equal(mode(join(dir, f)).toString(8), '600', f);
    assert.equal(mode(join(dir, '.tls', 'key.pem')).toString(8), '600');
    assert.equal(mode(join(dir, '.tls')).toString(8), '700');
  });
});
