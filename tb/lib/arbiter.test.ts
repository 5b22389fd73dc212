// Arbiters: the grant is one-hot and a subset of the requests; fixed priority picks the lowest index; round robin
// matches a pointer model cycle by cycle and serves every requester that keeps asking within n acked grants.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FixedPriorityArbiter, RoundRobinArbiter } from '../../rtl/lib/index.ts';
import { simulate, type Testbench } from '../runtime/index.ts';
import { uniform } from './stream-bfm.ts';

const isOneHot = (g: number): boolean => g !== 0 && (g & (g - 1)) === 0;
const lowest = (r: number): number => r & -r;

/** Grant invariants shared by both arbiters. */
function checkGrant(tb: Testbench, req: number, grant: number): void {
  tb.check(req === 0 ? grant === 0 : isOneHot(grant), `grant ${grant.toString(2)} for req ${req.toString(2)} is not one-hot`);
  tb.check((grant & ~req) === 0, `grant ${grant.toString(2)} is not a subset of req ${req.toString(2)}`);
}

/** The round-robin reference: the pointer names the requester with the highest priority. */
class RoundRobinModel {
  ptr = 0;
  constructor(readonly n: number) {}
  grant(req: number): number {
    for (let k = 0; k < this.n; k++) {
      const i = (this.ptr + k) % this.n;
      if ((req >> i) & 1) return 1 << i;
    }
    return 0;
  }
  /** A clock edge: an acked grant moves the pointer just past the granted requester. */
  edge(req: number, ack: boolean): void {
    const g = this.grant(req);
    if (ack && g) this.ptr = (31 - Math.clz32(g) + 1) % this.n;
  }
}

describe('FixedPriorityArbiter', () => {
  it('grants the lowest-numbered request (all request patterns for n = 1..8)', async () => {
    for (let n = 1; n <= 8; n++) {
      await simulate(new FixedPriorityArbiter(n), async (tb) => {
        for (let req = 0; req < 1 << n; req++) {
          tb.dut.req.value = req;
          const grant = tb.dut.grant.value;
          checkGrant(tb, req, grant);
          tb.expectEqual(grant, lowest(req), `grant for req ${req.toString(2)}`);
        }
      });
    }
  });

  it('grants the lowest-numbered request (random, n = 32)', async () => {
    await simulate(new FixedPriorityArbiter(32), async (tb) => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 32 - 1 }), async (req) => {
          tb.dut.req.value = req;
          const grant = tb.dut.grant.value;
          checkGrant(tb, req | 0, grant | 0);
          tb.expectEqual(grant, (lowest(req | 0) >>> 0), 'grant');
          await tb.rising();
        }),
        { numRuns: 500 },
      );
    });
  });
});

describe('RoundRobinArbiter', () => {
  it('matches the pointer model under random requests and acks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 2, 3, 4, 5, 8, 13),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async (n, reqPct, ackPct, seed) => {
          await simulate(
            new RoundRobinArbiter(n),
            async (tb) => {
              await tb.reset();
              const rand = uniform(seed);
              const m = new RoundRobinModel(n);
              for (let i = 0; i < 400; i++) {
                let req = 0;
                for (let b = 0; b < n; b++) if (rand() * 100 < reqPct) req |= 1 << b;
                const ack = rand() * 100 < ackPct;
                tb.dut.req.value = req;
                tb.dut.ack.value = ack ? 1 : 0;
                await tb.falling();
                const grant = tb.dut.grant.value;
                checkGrant(tb, req, grant);
                tb.expectEqual(grant, m.grant(req), `grant for req ${req.toString(2)}`);
                await tb.rising();
                m.edge(req, ack);
              }
            },
            { randomInit: seed },
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rotates through all requesters when everyone requests and every grant is acked', async () => {
    const n = 5;
    await simulate(
      new RoundRobinArbiter(n),
      async (tb) => {
        await tb.reset();
        tb.dut.req.value = (1 << n) - 1;
        tb.dut.ack.value = 1;
        const order: number[] = [];
        for (let i = 0; i < 3 * n; i++) {
          await tb.falling();
          order.push(31 - Math.clz32(tb.dut.grant.value));
          await tb.rising();
        }
        expect(order).toEqual(Array.from({ length: 3 * n }, (_, i) => i % n));
      },
      { vcd: 'lib_rr_arbiter' },
    );
  });

  it('serves a waiting requester within n acked grants (requesters hold req until served)', async () => {
    let worst = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(2, 3, 4, 6, 8),
        fc.integer({ min: 5, max: 100 }),
        fc.integer({ min: 5, max: 100 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async (n, arrivePct, ackPct, seed) => {
          await simulate(new RoundRobinArbiter(n), async (tb) => {
            await tb.reset();
            const rand = uniform(seed);
            // per requester: acked grants to others since it started waiting, or -1 when idle
            const waited = new Array<number>(n).fill(-1);
            for (let i = 0; i < 1000; i++) {
              for (let b = 0; b < n; b++) if (waited[b]! < 0 && rand() * 100 < arrivePct) waited[b] = 0;
              const req = waited.reduce((r, w, b) => (w >= 0 ? r | (1 << b) : r), 0);
              const ack = rand() * 100 < ackPct;
              tb.dut.req.value = req;
              tb.dut.ack.value = ack ? 1 : 0;
              await tb.falling();
              const grant = tb.dut.grant.value;
              checkGrant(tb, req, grant);
              await tb.rising();
              if (!ack || grant === 0) continue;
              for (let b = 0; b < n; b++) {
                if (waited[b]! < 0) continue;
                if ((grant >> b) & 1) waited[b] = -1;
                else {
                  waited[b]!++;
                  worst = Math.max(worst, waited[b]!);
                  tb.check(waited[b]! <= n - 1, `requester ${b} of ${n} waited through ${waited[b]} acked grants to others`);
                }
              }
            }
          });
        },
      ),
      { numRuns: 40 },
    );
    expect(worst).toBeGreaterThan(1);
  });
});
