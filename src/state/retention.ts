/** Retention rules shared by window and session stores. */

/**
 * Checks a retention period. A window (or session) is expired once its start (or end) is
 * <= the newest start (or end) seen minus the retention, so the retention must be positive
 * (Infinity keeps everything). For windowed aggregations it is at least the window size (or
 * the inactivity gap) plus grace.
 */
export function checkRetention(kind: 'window' | 'session', storeName: string, retentionMs: number): void {
  if (!(retentionMs > 0)) {
    const hint = kind === 'window' ? 'window size + grace' : 'inactivity gap + grace';
    throw new RangeError(
      `${kind} store "${storeName}": retentionMs must be a positive number of milliseconds ` +
        `(usually ${hint}), got ${retentionMs}`,
    );
  }
}
