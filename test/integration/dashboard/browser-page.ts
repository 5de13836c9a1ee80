/** Reading the dashboard (live or report) in headless Chromium: chart data and painted series pixels. */
import type { Page } from 'playwright-core';

/** Debian's Chromium: the test never downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Pixels of `canvasSelector`'s canvas painted in the RGB colour `rgb` (a series' stroke): a chart
 * whose lines were drawn has many, an empty one none.
 */
export function seriesPixels(
  page: Page,
  canvasSelector: string,
  rgb: readonly [number, number, number],
): Promise<number> {
  return page.evaluate(
    ({ selector, colour }) => {
      // Runs in the page (the project's TypeScript has no DOM types: the little used is typed here).
      const canvas = (globalThis as unknown as BrowserGlobals).document.querySelector(selector);
      if (!canvas) return -1;
      const context = canvas.getContext('2d');
      if (!context) return -1;
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const close =
          Math.abs((pixels[i] as number) - colour[0]) < 12 &&
          Math.abs((pixels[i + 1] as number) - colour[1]) < 12 &&
          Math.abs((pixels[i + 2] as number) - colour[2]) < 12 &&
          (pixels[i + 3] as number) > 200;
        if (close) count++;
      }
      return count;
    },
    { selector: canvasSelector, colour: rgb },
  );
}

/** The part of the page's globals these reads use. */
interface BrowserGlobals {
  readonly document: {
    querySelector(selector: string): {
      readonly width: number;
      readonly height: number;
      getContext(kind: '2d'): {
        getImageData(x: number, y: number, w: number, h: number): { readonly data: Uint8ClampedArray };
      } | null;
    } | null;
  };
}

/** The page's `window.__dashboard` (page/app.js) as far as the tests read it. */
export interface DashboardState {
  readonly updates: number;
  readonly alerts: readonly { readonly detector: string; readonly source: string }[];
  readonly charts: {
    readonly packets: { readonly data: number[][] };
    readonly bytes: { readonly data: number[][] };
  };
}

/** TCP's series colour (#4cc9f0, page/charts.js). */
export const TCP_RGB = [0x4c, 0xc9, 0xf0] as const;
