// Which local files a message may carry, and what each one really is. A message cloned from someone else's
// repository must not be able to mail out `~/.ssh/id_rsa` renamed `report.pdf`, nor `/proc/self/environ`
// (which holds the process's secrets): a named file must resolve, after every `..` and symlink, to a
// regular file inside the tree the message belongs to. Files outside it travel only when the user allowed
// it in a place a repository cannot reach (a machine-level setting, a command-line flag). Pseudo-files
// (/proc, /sys, /dev), devices, FIFOs and sockets never travel.
import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { countWork } from '../probe';

export interface FileScope {
  /**
   * The tree the message belongs to: its workspace folder (editor), or git repository / own folder (CLI).
   * Undefined for a draft that has no folder yet: then every file is outside.
   */
  root: string | undefined;
  /** Files outside `root` may travel (never set from a repository's own configuration). */
  allowOutside: boolean;
}

/** Device and inode of the file that was inspected: the one read must be the same. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

export type FileState =
  | { status: 'ok'; absolutePath: string; realPath: string; size: number; outside: boolean; identity: FileIdentity }
  /** Relative path in a document that has no folder yet (unsaved). */
  | { status: 'no-folder' }
  | { status: 'missing'; absolutePath: string; reason: string }
  | { status: 'unreadable'; absolutePath: string; reason: string }
  /** A directory, device, FIFO, socket or kernel pseudo-file: never sent. */
  | { status: 'not-regular'; absolutePath: string; realPath: string; reason: string }
  /** Resolves outside the scope and the user did not allow that. */
  | { status: 'outside'; absolutePath: string; realPath: string; size: number; reason: string };

/** Kernel pseudo-file systems: their "files" stat as regular but hold process state (environ, memory maps). */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  // Up and out is a first segment of exactly `..`: a folder named `..drafts` is inside.
  return rel === '' || (rel.split(sep)[0] !== '..' && !isAbsolute(rel));
}

function isPseudo(path: string): boolean {
  return PSEUDO_ROOTS.some((root) => path === root || path.startsWith(root + sep));
}

/** The real path of the scope's root (so a symlinked workspace folder still contains its own files). */
async function realRoot(root: string): Promise<string> {
  try {
    return await realpath(root);
  } catch {
    return resolve(root);
  }
}

/**
 * Looks at one named file: where `path` (as written, relative to `baseDir`) really leads, whether that is a
 * regular file inside the scope, and its size. Never throws.
 */
export async function inspectFile(path: string, baseDir: string | undefined, scope: FileScope | undefined): Promise<FileState> {
  if (!isAbsolute(path) && !baseDir) return { status: 'no-folder' };
  const absolutePath = isAbsolute(path) ? resolve(path) : resolve(baseDir as string, path);
  countWork('fileStat');
  let realPath: string;
  try {
    // Every `..` and symlink resolved. A missing file, a symlink whose target is gone, a symlink loop and a
    // path through a file all fail here (an lstat first would fail on the same paths, with the same codes).
    realPath = await realpath(absolutePath);
  } catch (err) {
    return missingOrUnreadable(absolutePath, err);
  }
  if (isPseudo(realPath)) {
    return { status: 'not-regular', absolutePath, realPath, reason: `it is a system file (${realPath}), not a file of yours` };
  }
  let info;
  try {
    info = await stat(realPath);
  } catch (err) {
    return missingOrUnreadable(absolutePath, err);
  }
  if (!info.isFile()) return { status: 'not-regular', absolutePath, realPath, reason: kindOf(info) };
  const root = scope?.root !== undefined ? await realRoot(scope.root) : undefined;
  const outside = scope !== undefined && (root === undefined || !isInside(root, realPath));
  if (outside && !scope.allowOutside) {
    const via = realPath !== absolutePath ? ` (it leads to ${realPath})` : '';
    const where = root === undefined ? 'the message is in no folder yet' : `it is outside ${root}${via}`;
    return {
      status: 'outside',
      absolutePath,
      realPath,
      size: info.size,
      reason: `${where}: files outside the message's folder tree are only sent when you allow it`,
    };
  }
  return { status: 'ok', absolutePath, realPath, size: info.size, outside, identity: { dev: info.dev, ino: info.ino } };
}

/**
 * Reads a file that `inspectFile` found usable. The file is opened without following a symlink swapped in
 * since, and must still be the same regular file (device and inode): what was shown is what is sent.
 */
export async function readInspectedFile(state: Extract<FileState, { status: 'ok' }>): Promise<Buffer> {
  const handle = await open(state.realPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.ino !== state.identity.ino || opened.dev !== state.identity.dev) {
      throw new Error(`${state.realPath} changed while it was being read`);
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

function kindOf(info: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (info.isDirectory()) return 'it is a folder, not a file';
  if (info.isFIFO()) return 'it is a named pipe (FIFO), not a file';
  if (info.isSocket()) return 'it is a socket, not a file';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'it is a device, not a file';
  return 'it is not a regular file';
}

function missingOrUnreadable(absolutePath: string, err: unknown): FileState {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return { status: 'missing', absolutePath, reason: code === 'ELOOP' ? 'a symlink loop' : 'no such file' };
  return { status: 'unreadable', absolutePath, reason: code ?? String(err) };
}
