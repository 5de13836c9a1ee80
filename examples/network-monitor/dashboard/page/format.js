// Number, rate and time formatting shared by the live page and the report.

/** 1234567 -> "1,234,567". */
export function count(n) {
  return Math.round(n).toLocaleString('en-US');
}

/** A compact figure with an SI suffix: 1530 -> "1.53 k". */
export function si(n, unit = '') {
  const steps = ['', 'k', 'M', 'G', 'T'];
  let value = Math.abs(n);
  let step = 0;
  while (value >= 1000 && step < steps.length - 1) {
    value /= 1000;
    step++;
  }
  const digits = value >= 100 || step === 0 ? 0 : value >= 10 ? 1 : 2;
  return `${n < 0 ? '-' : ''}${value.toFixed(digits)} ${steps[step]}${unit}`.trim();
}

/** Bytes per second as bits per second, the unit network people read: 125000 -> "1.00 Mbit/s". */
export function bitRate(bytesPerSecond) {
  return si(bytesPerSecond * 8, 'bit/s');
}

/** Bytes with a binary unit: "1.5 KiB". */
export function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** Epoch ms -> "12:03:45" (UTC). */
export function clock(ms) {
  return ms > 0 ? new Date(ms).toISOString().slice(11, 19) : '--:--:--';
}

/** Milliseconds -> "850 ms" / "1.2 s" / "—" when unknown. */
export function millis(ms) {
  if (ms === undefined || ms === null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Escapes text for HTML. */
export function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
