// Installs an extension folder into a VS Code extensions dir the way a .vsix would: a real folder
// <publisher>.<name>-<version> holding what .vscodeignore lets into the package. (VS Code skips a symlinked
// folder there.) Installed this way, the workbench behaves as for a user: notification toasts show,
// which the smoke-test driver used for extension development suppresses.
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ALWAYS = ['package.json'];

/** The top-level entries that .vscodeignore's allow-list ("!dist/**", "!README.md", ...) names. */
function allowedEntries(extensionPath) {
  const ignoreFile = join(extensionPath, '.vscodeignore');
  if (!existsSync(ignoreFile)) return undefined;
  const entries = readFileSync(ignoreFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1).replace(/^\//, '').split('/')[0])
    .filter((entry) => entry && !entry.includes('*'));
  return [...new Set([...ALWAYS, ...entries])];
}

/** Copies the extension into `extensionsDir` and returns the folder it made. */
export function installExtension(extensionPath, extensionsDir) {
  const manifest = JSON.parse(readFileSync(join(extensionPath, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const target = join(extensionsDir, `${id}-${manifest.version}`);
  mkdirSync(target, { recursive: true });
  const entries = allowedEntries(extensionPath) ?? [...ALWAYS, 'dist', 'media', 'syntaxes', 'language-configuration.json'];
  for (const entry of entries) {
    const from = join(extensionPath, entry);
    if (existsSync(from)) cpSync(from, join(target, entry), { recursive: true });
  }
  return target;
}
