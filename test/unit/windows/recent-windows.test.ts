import { describe, expect, it } from 'vitest';
import { RecentWindows } from '../../../src/operators/windows/recent-windows.js';

describe('RecentWindows', () => {
  it('hands out one shared object per recent window, with the right bounds', () => {
    const windows = new RecentWindows(60, 3);
    const first = windows.get(0, 300);
    expect(first).toEqual({ start: 0, end: 300 });
    expect(windows.get(0, 300)).toBe(first);
    const second = windows.get(60, 360);
    expect(second).toEqual({ start: 60, end: 360 });
    expect(second).not.toBe(first);
    expect(windows.get(0, 300)).toBe(first);
  });

  it('replaces a window when a newer start takes its slot, and still answers old starts correctly', () => {
    const windows = new RecentWindows(60, 2);
    const zero = windows.get(0, 120);
    const onTwenty = windows.get(120, 240); // takes the slot of start 0
    expect(onTwenty).toEqual({ start: 120, end: 240 });
    const zeroAgain = windows.get(0, 120);
    expect(zeroAgain).toEqual({ start: 0, end: 120 });
    expect(zeroAgain).not.toBe(zero);
    expect(windows.get(60, 180)).toEqual({ start: 60, end: 180 });
  });
});
