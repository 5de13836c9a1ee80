/**
 * The most resident memory this process has held so far, in MiB (`process.resourceUsage().maxRSS`,
 * which the OS reports in KiB). Run each bench in its own process so the figure is its own.
 */
export function peakRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}
