/**
 * A real full disk for tests: a tmpfs of a few MiB mounted on a fresh directory. Mounting needs root
 * (CAP_SYS_ADMIN), which CI and the dev machines have; where `mount` is refused, the caller skips
 * its test and says why (`refused` holds mount's message).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A mounted tmpfs (`dir`), or why it could not be mounted. */
export type SmallTmpfs = { dir: string } | { refused: string };

/** Mounts a tmpfs of `size` (mount's syntax, e.g. "1m") on a new directory named after `prefix`. */
export function mountSmallTmpfs(prefix: string, size = '1m'): SmallTmpfs {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], {
    encoding: 'utf8',
  });
  if (result.status === 0) return { dir };
  rmSync(dir, { recursive: true, force: true });
  return { refused: (result.error?.message ?? result.stderr).trim() };
}

/** Unmounts (lazily: even if a failed test left a file open) and removes the directory. */
export function removeSmallTmpfs(disk: SmallTmpfs): void {
  if (!('dir' in disk)) return;
  spawnSync('umount', ['-l', disk.dir]);
  rmSync(disk.dir, { recursive: true, force: true });
}

/** Gives a mounted tmpfs more room (mount -o remount); returns mount's error output, or undefined. */
export function resizeSmallTmpfs(dir: string, size: string): string | undefined {
  const result = spawnSync('mount', ['-o', `remount,size=${size}`, dir], { encoding: 'utf8' });
  return result.status === 0 ? undefined : (result.error?.message ?? result.stderr).trim() || 'mount failed';
}
