// The tree a message belongs to when no editor says so (the CLI): its git repository, else its own folder.
// Attachments must lie inside it unless the user allows otherwise (./fileScope.ts).
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function enclosingRepository(dir: string): Promise<string | undefined> {
  for (let current = dir; ; ) {
    try {
      await stat(join(current, '.git'));
      return current;
    } catch {
      // not here
    }
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

export async function scopeRootFor(messageDir: string): Promise<string> {
  return (await enclosingRepository(messageDir)) ?? messageDir;
}
