// One plain sentence per outcome, for notifications and the CLI.
import type { SendOutcome } from './types';

// Where in the dialogue it stopped, in words a newcomer reads without knowing SMTP.
const STAGE_WORDS: Record<string, string> = {
  config: 'before connecting',
  limit: 'at the hourly send limit',
  connect: 'while connecting to the server',
  greeting: "at the server's greeting",
  tls: 'while setting up the encrypted connection',
  auth: 'while signing in',
  mail: 'when the server was told the sender',
  rcpt: 'when the server was told the recipients',
  data: 'while the message was being handed over',
};

export function describeOutcome(outcome: SendOutcome): string {
  const to = outcome.envelope.to.length === 1 ? outcome.envelope.to[0] : `${outcome.envelope.to.length} recipients`;
  switch (outcome.status) {
    case 'sent':
      return `Sent to ${to} with "${outcome.profile}"${outcome.queueId ? ` (queued as ${outcome.queueId})` : ''}${outcome.reply ? `: ${outcome.reply}` : '.'}`;
    case 'partial':
      return `Partly accepted with "${outcome.profile}": sent to ${outcome.accepted.join(', ')}; refused: ${outcome.rejected.map((r) => `${r.address} (${r.reply})`).join('; ')}.`;
    case 'failed':
      return `Not sent: it failed ${STAGE_WORDS[outcome.stage] ?? outcome.stage}: ${outcome.reason}. ${outcome.temporary ? 'This may pass if you try again later.' : 'Trying again will not help until this is fixed.'}`;
    case 'unknown':
      return `Outcome unknown with "${outcome.profile}": ${outcome.reason}. Check the recipient's mailbox before sending again.`;
  }
}
