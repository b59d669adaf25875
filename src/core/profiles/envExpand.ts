// Profile values may reference the environment as `${env:NAME}` (the same spelling as VS Code settings).
const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface ExpandResult {
  value: string;
  /** Variables referenced but not set: the caller reports them rather than sending with a hole. */
  missing: string[];
}

export function expandEnv(value: string, env: Record<string, string | undefined>): ExpandResult {
  const missing: string[] = [];
  const expanded = value.replace(ENV_REFERENCE, (_, name: string) => {
    const v = env[name];
    if (v === undefined) {
      missing.push(name);
      return '';
    }
    return v;
  });
  return { value: expanded, missing };
}

/** Expands `${env:NAME}` in every string field of a plain object (one level deep, plus `defaults`). */
export function expandProfileEnv<T extends object>(profile: T, env: Record<string, string | undefined>): { profile: T; missing: string[] } {
  const missing: string[] = [];
  const walk = (obj: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(obj)) {
      if (typeof v === 'string') {
        const r = expandEnv(v, env);
        missing.push(...r.missing);
        out[key] = r.value;
      } else if (v && typeof v === 'object' && !Array.isArray(v)) {
        out[key] = walk(v as Record<string, unknown>);
      } else {
        out[key] = v;
      }
    }
    return out;
  };
  return { profile: walk(profile as Record<string, unknown>) as T, missing: [...new Set(missing)] };
}
