// A project's own Mailsmith configuration: `.mailsmith.yaml` (or `.mailsmith.yml`), found upward from the
// message's folder, as linters find theirs. It holds what a repository may decide for its messages (the rule
// levels); nothing in it can send a file the user did not see or turn a confirmation off.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { knownProblemCodes } from './catalog';
import { ruleLevelsFromObject, type RuleLevel } from './ruleLevels';

export const PROJECT_CONFIG_NAMES = ['.mailsmith.yaml', '.mailsmith.yml'];

export interface ProjectConfig {
  /** The file read, if one was found. */
  file?: string;
  rules: Record<string, RuleLevel>;
  /** What was wrong in it (the rest still applies). */
  problems: string[];
}

/** The nearest project file from `startDir` upward (stopping after `stopAt`, when given). */
export async function findProjectConfig(startDir: string, stopAt?: string): Promise<ProjectConfig> {
  for (let dir = startDir; ; ) {
    for (const name of PROJECT_CONFIG_NAMES) {
      const file = join(dir, name);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        continue;
      }
      return { file, ...(await parseProjectConfig(text, file)) };
    }
    const parent = dirname(dir);
    if (parent === dir || dir === stopAt) return { rules: {}, problems: [] };
    dir = parent;
  }
}

export async function parseProjectConfig(text: string, file: string): Promise<Omit<ProjectConfig, 'file'>> {
  // Loaded when a project file exists, not at activation.
  const { parse } = await import('yaml');
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    return { rules: {}, problems: [`${file}: not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`] };
  }
  if (data === null || data === undefined) return { rules: {}, problems: [] };
  if (typeof data !== 'object' || Array.isArray(data)) return { rules: {}, problems: [`${file}: expected a mapping with a "rules" key`] };
  const problems: string[] = [];
  for (const key of Object.keys(data)) if (key !== 'rules') problems.push(`${file}: unknown key "${key}" (known: rules)`);
  const read = ruleLevelsFromObject((data as { rules?: unknown }).rules, knownProblemCodes(), file);
  return { rules: read.levels, problems: [...problems, ...read.problems] };
}
