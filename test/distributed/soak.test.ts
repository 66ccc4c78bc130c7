import { runSoak } from '../../scripts/soak/soak';
import { formatReport } from '../../scripts/soak/report';

/** The short soak CI runs (the long one is `npm run soak -- --minutes 10 --rate 100 --seed S`). */
const MINUTES = 1;
const RATE = 3;
const FAULT_EVERY_SECONDS = 5;

jest.setTimeout(600_000);

describe('the soak, short: three instances in two regions on Redis Clusters, a primary with a synchronous standby', () => {
  it('keeps every invariant through seeded faults, one PostgreSQL failover among them', async () => {
    const lines: string[] = [];
    const report = await runSoak({
      minutes: MINUTES,
      rate: RATE,
      seed: 21,
      faultEverySeconds: FAULT_EVERY_SECONDS,
      log: (line) => lines.push(line),
    });
    console.log(`${lines.join('\n')}\n${formatReport(report)}`);
    // The faults happened (the failover among them) and the clients were driven through them.
    expect(report.faultsByKind['postgres primary failover']).toBe(1);
    expect(report.faults.filter((fault) => !fault.error).length).toBeGreaterThanOrEqual(4);
    expect(report.intents).toBeGreaterThanOrEqual(MINUTES * 60 * RATE * 0.9);
    expect(report.liveChecks).toBeGreaterThan(0);
    // Every invariant, live and at the end.
    expect(report.violations).toEqual([]);
    // No instance ended by itself (a dropped connection once did: db/dropped-connections.ts).
    expect(report.selfExits).toEqual([]);
    expect(report.finalOutcomes['unanswered'] ?? 0).toBe(0);
  });
});
