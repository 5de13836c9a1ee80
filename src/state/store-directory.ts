/** Where a persistent store keeps its files: `<stateDir>/<applicationId>/<taskId>/<storeName>`. */
import { join } from 'node:path';
import type { StoreContext } from './store.js';

/** The directory of store `storeName` for the task in `ctx`; rejects names that would escape it. */
export function storeDirectory(ctx: StoreContext, storeName: string): string {
  if (!ctx.stateDir) {
    throw new Error(
      `persistent store "${storeName}" needs a state directory: set stateDir in the application options`,
    );
  }
  return join(
    ctx.stateDir,
    pathSegment('applicationId', ctx.applicationId),
    pathSegment('taskId', ctx.taskId),
    pathSegment('store name', storeName),
  );
}

function pathSegment(what: string, value: string): string {
  if (value === '' || value === '.' || value === '..' || /[/\\]/.test(value) || value.includes('\u0000')) {
    throw new Error(
      `${what} ${JSON.stringify(value)} cannot be used as a directory name for a persistent store; ` +
        'use a name without slashes, backslashes or NUL that is not "." or ".."',
    );
  }
  return value;
}
