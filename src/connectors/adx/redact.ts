/**
 * Keeps secrets out of what the ADX sink logs and throws. The SDK already hides the
 * Authorization header; this scrubs the configured app key or token from any text we pass on,
 * whatever a lower layer chose to put in its message.
 */

const REPLACEMENT = '[REDACTED]';

/** Returns `text` with every occurrence of each secret (4 characters or longer) replaced. */
export function redactSecrets(text: string, secrets: ReadonlyArray<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(REPLACEMENT);
  }
  return out;
}

/**
 * A copy of an SDK error that is safe to keep as a `cause`: name, redacted message, and its HTTP
 * status / code, without the request objects (headers, bodies) the original may carry.
 */
export function sanitizedCause(error: unknown, secrets: ReadonlyArray<string>): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(redactSecrets(source.message, secrets));
  copy.name = source.name;
  if (source.stack) copy.stack = redactSecrets(source.stack, secrets);
  return copy;
}
