/**
 * A larger stdout buffer for tshark, the way `stdbuf -o SIZE` gives one: coreutils' libstdbuf,
 * preloaded, calls setvbuf on tshark's stdout before tshark starts.
 *
 * Why: tshark writes its output through stdio in 4 KiB blocks. On a replay that is one write, one
 * wake-up of this process and one stream chunk per 4 KiB (about 8 packets of field-selected EK):
 * handling those chunks cost us as much CPU as parsing the packets. With 128 KiB blocks this
 * process reads Node's full 64 KiB per chunk. Live capture passes `-l` (flush after every packet),
 * which makes the buffer size moot there, so it is applied to replays only.
 *
 * Without libstdbuf (no coreutils, or an unusual layout) tshark runs unchanged: only slower to read.
 */
import { existsSync } from 'node:fs';

/** Where distributions install coreutils' libstdbuf (Debian/Ubuntu/Fedora; Arch/Alpine/older). */
const LIBSTDBUF_PATHS = [
  '/usr/libexec/coreutils/libstdbuf.so',
  '/usr/lib/coreutils/libstdbuf.so',
  '/usr/local/libexec/coreutils/libstdbuf.so',
  '/usr/lib64/coreutils/libstdbuf.so',
];

/** Default stdout buffer for replays, in bytes. */
export const DEFAULT_REPLAY_OUTPUT_BUFFER_BYTES = 128 * 1024;

let libstdbuf: string | null | undefined;

/** The path of coreutils' libstdbuf on this machine, or undefined if none was found (looked up once). */
export function findLibStdbuf(): string | undefined {
  libstdbuf ??= LIBSTDBUF_PATHS.find((path) => existsSync(path)) ?? null;
  return libstdbuf ?? undefined;
}

/**
 * `env` plus what makes tshark's stdout fully buffered in blocks of `bytes`, through `library`
 * (libstdbuf, see `findLibStdbuf`); an existing LD_PRELOAD is kept. Returns `env` unchanged when
 * `bytes` or `library` is undefined.
 */
export function withOutputBuffer(
  env: NodeJS.ProcessEnv,
  bytes: number | undefined,
  library: string | undefined,
): NodeJS.ProcessEnv {
  if (bytes === undefined || library === undefined) return env;
  const preload = env.LD_PRELOAD ? `${library}:${env.LD_PRELOAD}` : library;
  return { ...env, LD_PRELOAD: preload, _STDBUF_O: String(bytes) };
}
