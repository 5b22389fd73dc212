// A TypeScript model of a peripheral on the dispatch core's bus port, for tests: a scratch register, interrupt
// set/clear registers driving the irq lines and meip, a countdown that raises an irq line later (a "command done"),
// a log of every access, and a configurable number of wait states per access.
import { DISPATCH_ADDR as A } from '../../rtl/corsair/dispatch/address-map.ts';
import type { BusDevice, BusRequest } from '../rv/machine.ts';

export const DEV = {
  SCRATCH: A.BUS_BASE + 0x0,
  IRQ_SET: A.BUS_BASE + 0x4,
  IRQ_CLEAR: A.BUS_BASE + 0x8,
  MEIP: A.BUS_BASE + 0xc,
  /** Write d: irq line 0 ("command done") rises d cycles later. */
  COUNTDOWN: A.BUS_BASE + 0x10,
  /** Reads: number of accesses so far. */
  COUNT: A.BUS_BASE + 0x14,
};

export class TestDevice implements BusDevice {
  scratch = 0;
  irq = 0;
  meip = 0;
  countdown = -1;
  readonly log: Array<BusRequest & { cycle: number; rdata: number }> = [];
  private waited = 0;

  constructor(readonly waitStates = 0) {}

  access(req: BusRequest, cycle: number): { rdata: number } | undefined {
    if (this.waited < this.waitStates) {
      this.waited++;
      return undefined;
    }
    this.waited = 0;
    let rdata = 0;
    let mask = 0;
    for (let i = 0; i < 4; i++) if (req.be & (1 << i)) mask |= 0xff << (8 * i);
    const merge = (old: number) => ((old & ~mask) | (req.wdata & mask)) >>> 0;
    switch (req.addr & ~3) {
      case DEV.SCRATCH:
        if (req.we) this.scratch = merge(this.scratch);
        rdata = this.scratch;
        break;
      case DEV.IRQ_SET:
        if (req.we) this.irq = (this.irq | req.wdata) & 0xffff;
        rdata = this.irq;
        break;
      case DEV.IRQ_CLEAR:
        if (req.we) this.irq = this.irq & ~req.wdata & 0xffff;
        rdata = this.irq;
        break;
      case DEV.MEIP:
        if (req.we) this.meip = req.wdata & 1;
        rdata = this.meip;
        break;
      case DEV.COUNTDOWN:
        if (req.we) this.countdown = req.wdata;
        rdata = this.countdown;
        break;
      case DEV.COUNT:
        rdata = this.log.length;
        break;
    }
    this.log.push({ ...req, cycle, rdata });
    return { rdata };
  }

  interrupts(): { irq: number; meip: number } {
    if (this.countdown > 0 && --this.countdown === 0) this.irq |= 1;
    return { irq: this.irq, meip: this.meip };
  }
}
