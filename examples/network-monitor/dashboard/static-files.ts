/**
 * The files the dashboard serves and the report inlines: the page (page/, plain HTML/CSS/ES modules
 * shipped in the repository, no build step) and uPlot from node_modules.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'page');
const UPLOT_DIR = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');

/** A file the dashboard serves: where it is and its content type. */
export interface StaticFile {
  readonly path: string;
  readonly type: string;
}

/** URL path → file. */
export const STATIC_FILES: ReadonlyMap<string, StaticFile> = new Map([
  ['/', { path: join(PAGE_DIR, 'index.html'), type: 'text/html; charset=utf-8' }],
  ['/app.js', { path: join(PAGE_DIR, 'app.js'), type: 'text/javascript; charset=utf-8' }],
  ['/charts.js', { path: join(PAGE_DIR, 'charts.js'), type: 'text/javascript; charset=utf-8' }],
  ['/format.js', { path: join(PAGE_DIR, 'format.js'), type: 'text/javascript; charset=utf-8' }],
  ['/render.js', { path: join(PAGE_DIR, 'render.js'), type: 'text/javascript; charset=utf-8' }],
  ['/style.css', { path: join(PAGE_DIR, 'style.css'), type: 'text/css; charset=utf-8' }],
  [
    '/vendor/uPlot.min.js',
    { path: join(UPLOT_DIR, 'uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  ],
  ['/vendor/uPlot.min.css', { path: join(UPLOT_DIR, 'uPlot.min.css'), type: 'text/css; charset=utf-8' }],
]);

/** The text of a served file by its URL path (throws for an unknown path: a programming error). */
export function staticText(urlPath: string): string {
  const file = STATIC_FILES.get(urlPath);
  if (file === undefined) throw new Error(`No dashboard file is served at ${urlPath}.`);
  return readFileSync(file.path, 'utf8');
}
