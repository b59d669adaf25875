// The hourly send limit per profile, kept in a small JSON file so it holds across restarts.
// The file holds profile names and send times only.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const HOUR_MS = 60 * 60 * 1000;

interface RateState {
  version: 1;
  sends: Record<string, number[]>;
}

export interface LimitCheck {
  allowed: boolean;
  sentLastHour: number;
  /** When the oldest send in the window leaves it, if the limit is reached. */
  retryAt?: number;
}

export function checkHourlyLimit(statePath: string, profile: string, maxPerHour: number, now: number): LimitCheck {
  const recent = readState(statePath).sends[profile]?.filter((t) => now - t < HOUR_MS) ?? [];
  if (recent.length < maxPerHour) return { allowed: true, sentLastHour: recent.length };
  const oldest = Math.min(...recent.slice(-maxPerHour));
  return { allowed: false, sentLastHour: recent.length, retryAt: oldest + HOUR_MS };
}

export function recordSend(statePath: string, profile: string, now: number): void {
  const state = readState(statePath);
  const recent = (state.sends[profile] ?? []).filter((t) => now - t < HOUR_MS);
  recent.push(now);
  state.sends[profile] = recent;
  for (const [name, times] of Object.entries(state.sends)) {
    if (times.every((t) => now - t >= HOUR_MS)) delete state.sends[name];
  }
  mkdirSync(dirname(statePath), { recursive: true });
  // Write then rename, so a crash never leaves half a file behind.
  const tmp = `${statePath}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, statePath);
}

function readState(statePath: string): RateState {
  try {
    const parsed = JSON.parse(readFileSync(statePath, 'utf8')) as Partial<RateState>;
    if (parsed && typeof parsed.sends === 'object' && parsed.sends) {
      const sends: Record<string, number[]> = {};
      for (const [k, v] of Object.entries(parsed.sends)) if (Array.isArray(v)) sends[k] = v.filter((t) => typeof t === 'number');
      return { version: 1, sends };
    }
  } catch {
    // Missing or unreadable: start afresh (a corrupt file must not block sending forever).
  }
  return { version: 1, sends: {} };
}
