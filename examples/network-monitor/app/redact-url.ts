/**
 * Keeps webhook credentials out of logs: a URL's user info and query string can hold secrets
 * (`https://user:token@host/...`, `?api_key=...`), so the monitor only ever prints this form.
 */
import { redactSecrets } from '../../../src/connectors/adx/redact.js';

/** The URL with user, password and query values replaced by `***` (unparsable text: a placeholder). */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return '(unparsable URL)';
  }
  if (url.username) url.username = '***';
  if (url.password) url.password = '***';
  for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, '***');
  return url.toString();
}

/** The secrets a URL carries (user, password, query values), for scrubbing error messages. */
export function urlSecrets(text: string): string[] {
  try {
    const url = new URL(text);
    const secrets = [url.username, url.password, ...url.searchParams.values()].map(decodeURIComponent);
    return [...secrets, text].filter((s) => s.length > 0);
  } catch {
    return [text];
  }
}

/** `message` with every secret of `url` replaced (see redactSecrets). */
export function scrubUrlSecrets(message: string, url: string): string {
  return redactSecrets(message, urlSecrets(url));
}
