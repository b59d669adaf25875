// Cancel during a send, in a real VS Code against a real smtp-server: the server holds RCPT TO, the send
// is cancelled (the same path as the progress notification's Cancel), and the outcome says nothing was sent.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MailsmithTestApi } from '../../src/vscode/extension';
import type { SendResult } from '../../src/vscode/send';
import { activateMailsmith, closeAllEditors, startTestSmtpServer, waitFor, workspaceUri } from './support';

describe('Cancelling Send Email', function () {
  this.timeout(60_000);
  afterEach(closeAllEditors);

  it('stops a send the server is holding: status failed, "cancelled", no message delivered, recorded in the history', async () => {
    const { services } = (await activateMailsmith()).exports as MailsmithTestApi;
    let heldRecipients = 0;
    const password = 'cancel-Secret-4r8t';
    // The server never answers RCPT TO, as a stuck relay would.
    const server = await startTestSmtpServer({ password, server: { onRcptTo: () => void heldRecipients++ } });
    const caFile = join(tmpdir(), `mailsmith-it-cancel-ca-${server.port}.pem`);
    writeFileSync(caFile, server.certificatePem);
    const cancel = new vscode.CancellationTokenSource();
    try {
      await services.profiles.save({ name: 'Held server', host: '127.0.0.1', port: server.port, security: 'starttls', caFile, user: 'tester' });
      await services.profiles.setPassword('Held server', password);
      const sending = vscode.commands.executeCommand<SendResult>('mailsmith.send', {
        uri: workspaceUri('plain-text.eml'),
        profileName: 'Held server',
        skipConfirm: true,
        cancel: cancel.token,
      });
      await waitFor('the server to hold RCPT TO', () => heldRecipients > 0);
      const started = Date.now();
      cancel.cancel();
      const result = await sending;
      assert.ok(Date.now() - started < 5_000, 'the send stops promptly');
      assert.equal(result.status, 'failed', JSON.stringify(result));
      assert.ok('outcome' in result);
      assert.match(result.outcome.status === 'failed' ? result.outcome.reason : '', /cancelled/);
      assert.equal(server.received.length, 0, 'no message reached the server');
      const entry = services.journal.entries().find((e) => e.messageId === result.outcome.messageId);
      assert.equal(entry?.status, 'failed', 'the cancelled attempt is in the sent history');
    } finally {
      cancel.dispose();
      await services.profiles.remove('Held server');
      await server.close();
    }
  });
});
