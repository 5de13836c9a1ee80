/** The small examples run as users run them (`npx tsx examples/<name>.ts`) and print what they promise. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function runExample(name: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', `examples/${name}.ts`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('examples', () => {
  it('windowed-count prints final counts per window (the last at end of input) and the late record', () => {
    const out = runExample('windowed-count');
    expect(out).toContain('10.0.0.1 sent 2 packets in the minute from 12:00:00');
    expect(out).toContain('10.0.0.2 sent 1 packets in the minute from 12:00:00');
    expect(out).toContain('10.0.0.1 sent 1 packets in the minute from 12:01:00');
    expect(out).toContain('10.0.0.1 sent 1 packets in the minute from 12:03:00');
    expect(out).toMatch(/late: 10\.0\.0\.3 100 bytes/);
  });

  it('join enriches packets from a table and pairs DNS lookups with connections', () => {
    const out = runExample('join');
    expect(out).toContain('enriched: build-server sent 1500 bytes');
    expect(out).toContain('enriched: 10.0.0.9 sent 60 bytes');
    expect(out).toContain('resolved then connected: 10.0.0.1 registry.example -> port 443');
    expect(out).not.toContain('port 22');
  });

  it('custom-processor raises the SYN flood alert for the flooding source only', () => {
    const out = runExample('custom-processor');
    expect(out).toContain('ALERT possible SYN flood from 203.0.113.7: 500 SYNs without ACK');
    expect(out).not.toContain('10.0.0.2');
  });

  it('quick-look (the README code) flags the port scan and routes by layer', () => {
    const out = runExample('quick-look');
    expect(out).toMatch(
      /203\.0\.113\.9 in 2026-01-01T12:00:00\.000Z: \{"packets":150,"bytes":9000,"ports":150\}/,
    );
    expect(out).not.toContain('10.0.0.5 in');
    expect(out).toContain('packets.tcp: 150, packets.dns: 20');
  });
});
