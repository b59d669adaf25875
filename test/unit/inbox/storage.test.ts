// The capture inbox's folder can go away while it runs (a user tidies up): it must recreate it, and
// when it cannot store a message it must say so with a temporary SMTP error rather than crash.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCaptureInbox, type CaptureInbox } from '../../../src/core/inbox';
import { sendMessage } from '../../../src/core/send';
import { prepareFixture } from '../send/helpers';

describe('local capture inbox storage', function () {
  this.timeout(20_000);
  let base: string;
  let inbox: CaptureInbox | undefined;
  // Plain SMTP on loopback: the profile's caFile lives in the folder these tests remove.
  const plain = (i: CaptureInbox) => ({ ...i.profile, security: 'none' as const, caFile: undefined });
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'mailsmith-inbox-store-'));
  });
  afterEach(async () => {
    await inbox?.close();
    inbox = undefined;
    rmSync(base, { recursive: true, force: true });
  });

  it('recreates its folder when it was deleted while running', async () => {
    const dir = join(base, 'inbox');
    inbox = await startCaptureInbox({ dir });
    rmSync(dir, { recursive: true, force: true });
    const outcome = await sendMessage(prepareFixture().message, plain(inbox), {}, {});
    assert.equal(outcome.status, 'sent', JSON.stringify(outcome));
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.eml')).length, 1);
  });

  it('answers a temporary error when it cannot store, and keeps running', async () => {
    const dir = join(base, 'inbox');
    inbox = await startCaptureInbox({ dir });
    // The folder's path now names a file: nothing can be stored there.
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, 'not a folder');
    const failed = await sendMessage(prepareFixture().message, plain(inbox), {}, {});
    assert.equal(failed.status, 'failed', JSON.stringify(failed));
    if (failed.status === 'failed') {
      assert.equal(failed.stage, 'data');
      assert.equal(failed.temporary, true);
    }
    rmSync(dir);
    const retried = await sendMessage(prepareFixture().message, plain(inbox), {}, {});
    assert.equal(retried.status, 'sent', JSON.stringify(retried));
  });
});
