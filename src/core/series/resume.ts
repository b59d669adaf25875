// What a later run of a series keeps from an earlier one, and how a run that fell short is described: once,
// for the CLI's `--continue` and the panel's "Send the rest". A message whose outcome was unknown may have
// arrived, so it counts as gone (the thread refers to its ID) unless the person asks to send it again.

/** An outcome that reached the server, or may have. */
export type GoneOutcome = 'sent' | 'partial' | 'unknown';

export interface EarlierMessage {
  index: number;
  /** `sent`, `partial`, `unknown`, or anything else (failed, skipped, not sent): not gone. */
  status: string;
  /** The ID it went out with. */
  messageId: string;
}

export interface CarriedOver {
  /** Index -> the Message-ID it went out with: not sent again, and threaded to. */
  alreadySent: Map<number, string>;
  /** Index -> the outcome it had, kept in the series state of the new run. */
  earlierOutcomes: Map<number, GoneOutcome>;
}

function gone(status: string, resendUnknown: boolean): status is GoneOutcome {
  return status === 'sent' || status === 'partial' || (status === 'unknown' && !resendUnknown);
}

/** What an earlier run sent (or may have), to leave out of the next one. */
export function carriedOver(earlier: readonly EarlierMessage[], options: { resendUnknown?: boolean } = {}): CarriedOver {
  const kept = earlier.filter((m) => gone(m.status, options.resendUnknown === true));
  return {
    alreadySent: new Map(kept.map((m) => [m.index, m.messageId])),
    earlierOutcomes: new Map(kept.map((m) => [m.index, m.status as GoneOutcome])),
  };
}

/** The face's own next step for each kind of shortfall (a command line, or a button's name). */
export interface ShortfallNextSteps {
  /** After "N message(s) not sent: …". */
  resend: string;
  /** After "Outcome unknown for message(s) …". */
  unknown: string;
}

const numbers = (indexes: readonly number[]) => indexes.map((i) => i + 1).join(', ');

/**
 * Why the run stopped, what did not go, and what to do, one sentence group per kind: failed messages can go again; an unknown
 * outcome is not sent again by default (it may have arrived). Empty when nothing fell short.
 */
export function seriesShortfall(shortfall: { resend: readonly number[]; unknown: readonly number[]; stopped?: string }, next: ShortfallNextSteps): string[] {
  const lines: string[] = [];
  if (shortfall.stopped) lines.push(`Stopped: ${shortfall.stopped.replace(/\.$/, '')}.`);
  if (shortfall.unknown.length) {
    lines.push(
      `Outcome unknown for message(s) ${numbers(shortfall.unknown)}: the connection was lost after the message was handed over, so the server may have it. Check the list's archive or a recipient's mailbox before sending it again; ${next.unknown}`,
    );
  }
  if (shortfall.resend.length) {
    lines.push(`${shortfall.resend.length} message(s) not sent: ${numbers(shortfall.resend)}. ${next.resend}`);
  }
  return lines;
}
