import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../examples/network-monitor/dashboard/report.js';
import { alertFor, snapshotAt, statsOf, T0 } from './fixtures.js';

describe('renderReport', () => {
  const series = { layers: ['tcp'], packets: [[T0 / 1000], [12]], bytes: [[T0 / 1000], [3400]] };

  it('is self-contained: uPlot and styles inline, no external script or stylesheet', () => {
    const html = renderReport({
      title: 't',
      snapshot: snapshotAt(T0, {}),
      series,
      alerts: [],
      generatedAt: T0,
    });
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+stylesheet/);
    expect(html).toContain('uPlot');
    expect(html).toContain('No alerts were raised in this run.');
  });

  it('has one escaped row per alert and the series as JSON that cannot close its script tag', () => {
    const evil = alertFor('10.0.0.7', 'probe </script><img src=x onerror=alert(1)>');
    const html = renderReport({
      title: 'run',
      snapshot: snapshotAt(T0, { tcp: [12, 3400] }, [], [statsOf('10.0.0.7', 900)]),
      series: { ...series, layers: ['</script>'] },
      alerts: [alertFor('10.0.0.1'), evil],
      generatedAt: T0,
    });
    const rows = html.match(/<tr class="alert" data-detector="port-scan" data-source="[^"]+">/g) ?? [];
    expect(rows).toHaveLength(2);
    expect(html).toContain('probe &#60;/script&#62;&#60;img src=x onerror=alert(1)&#62;');
    const json = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(JSON.parse(json).series.layers).toEqual(['</script>']);
    expect(html).toContain('<td>10.0.0.7</td>'); // top talkers
  });
});
