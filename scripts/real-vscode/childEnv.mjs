// The environment for the processes the set-up and the harness start (the child `npm install`s, code-server
// and its extension host): this process's environment without what an outer npm added to it.
// Run under `npm test` or `npm start`, this script inherits the outer npm's configuration as npm_config_*
// variables (user agent, node-gyp, nodedir, prefix, ...), its npm_package_* / npm_lifecycle_* / npm_execpath /
// NODE / INIT_CWD, and a PATH with the project's node_modules/.bin folders and npm's node-gyp-bin in front.
// A child npm reads all of that as its own configuration: code-server's postinstall, for one, took the outer
// npm's user agent ("node/v20") for the Node running it and refused to install. Started from a shell
// (`node scripts/real-vscode/setup.mjs`) none of it is there, and that is the environment children get here.
import { delimiter, sep } from 'node:path';

/**
 * npm settings that say only where the registry is, how to reach it and where npm keeps its files. They
 * do not depend on the outer npm, its Node or its project, and a CI may give them only through the
 * environment (e.g. NPM_CONFIG_USERCONFIG pointing at an .npmrc with a mirror and its token), so a child
 * npm keeps them. Compared case-insensitively, with `-` and `_` alike, as npm reads its environment.
 */
const REGISTRY_SETTINGS = new Set([
  'registry',
  'userconfig',
  'globalconfig',
  'cache',
  'cafile',
  'ca',
  'strict_ssl',
  'proxy',
  'https_proxy',
  'noproxy',
]);

/** Variables npm itself sets for the scripts it runs (npm's @npmcli/config set-envs, @npmcli/run-script). */
const NPM_SCRIPT_VARIABLES = new Set(['init_cwd', 'node', 'color', 'npm_execpath', 'npm_node_execpath', 'npm_command']);

/** True for a variable an outer npm put into this process's environment (names compared case-insensitively). */
function isOuterNpmVariable(name) {
  const lower = name.toLowerCase();
  if (lower.startsWith('npm_config_')) return !REGISTRY_SETTINGS.has(lower.slice('npm_config_'.length).replace(/-/g, '_'));
  return lower.startsWith('npm_') || NPM_SCRIPT_VARIABLES.has(lower);
}

/**
 * True for a PATH entry npm's run-script puts in front of PATH: every `node_modules/.bin` from the project
 * up to `/`, and npm's own `node-gyp-bin`.
 */
function isOuterNpmPathEntry(entry) {
  const parts = entry.split(sep).filter(Boolean);
  const [last, beforeLast] = [parts.at(-1), parts.at(-2)];
  return (last === '.bin' && beforeLast === 'node_modules') || (last === 'node-gyp-bin' && parts.includes('@npmcli'));
}

/**
 * `env` (default: process.env) without the outer npm's variables and PATH entries, with `extra` on top.
 * `prependPath` folders go in front of PATH (e.g. the Node 24 that code-server needs).
 * @param {{ env?: NodeJS.ProcessEnv, extra?: Record<string, string>, prependPath?: string[] }} [options]
 * @returns {Record<string, string>}
 */
export function childEnv({ env = process.env, extra = {}, prependPath = [] } = {}) {
  const clean = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || isOuterNpmVariable(name)) continue;
    clean[name] = /^path$/i.test(name) ? cleanPath(value, prependPath) : value;
  }
  if (prependPath.length && !Object.keys(clean).some((name) => /^path$/i.test(name))) clean.PATH = prependPath.join(delimiter);
  return { ...clean, ...extra };
}

function cleanPath(value, prependPath) {
  const kept = value.split(delimiter).filter((entry) => entry && !isOuterNpmPathEntry(entry));
  return [...prependPath, ...kept.filter((entry) => !prependPath.includes(entry))].join(delimiter);
}
