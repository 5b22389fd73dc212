// The dispatch core under the async testbench runtime (simulate / fork / until), as other blocks' testbenches will
// drive it: the program is the TCMs' initial contents, a forked task answers the bus port like a control-register
// block and raises a "command done" interrupt some cycles after being started, and the main task waits for tohost.
import { describe, expect, it } from 'vitest';
import { simulate } from '../runtime/index.ts';
import { DispatchCore } from '../../rtl/corsair/dispatch/core.ts';
import { DISPATCH_ADDR as A } from '../../rtl/corsair/dispatch/address-map.ts';
import { image, imageWords, program } from './harness.ts';

describe('dispatch core in the testbench runtime', () => {
  it('starts a (modelled) matrix unit over the bus, sleeps in wfi until its done interrupt, reads its status', async () => {
    const src = program(`
  li gp, 1
  li s0, ${A.BUS_MATRIX}
  li t0, 1
  csrw mie, zero
  li t0, 0x10000
  csrw mie, t0
  li t0, 25
  sw t0, 0(s0)      # start: 25 cycles of work
  wfi
  lw a0, 4(s0)      # status: done count
  li t6, 1
  beq a0, t6, 1f
  j fail
1:
  li t0, 1
  sw t0, 8(s0)      # acknowledge: drops the interrupt
  csrr t0, mip
  srli t0, t0, 16
  bnez t0, fail
`);
    // the program is the TCMs' initial contents (not a backdoor load), so a co-simulation of this testbench
    // (COSIM=verilator) starts the SV from the same memories
    const img = image(src);
    const top = new DispatchCore({
      itcmBytes: 4096, dtcmBytes: 4096,
      itcmInit: imageWords(img, A.ITCM_BASE, 1024), dtcmInit: imageWords(img, A.DTCM_BASE, 1024),
    });
    await simulate(top, async (tb) => {
      const { dut } = tb;
      dut.bus.ready.value = 0;
      dut.bus.rdata.value = 0;
      dut.irq.value = 0;
      dut.meip.value = 0;
      await tb.reset();
      let busyUntil = -1;
      let done = 0;
      const log: string[] = [];
      tb.fork(async () => {
        for (;;) {
          await tb.rising();
          const cycle = tb.cycle();
          if (busyUntil >= 0 && cycle >= busyUntil) {
            busyUntil = -1;
            done++;
            dut.irq.value = 1;
          }
          dut.bus.ready.value = 0;
          if (dut.bus.valid.value) {
            const off = dut.bus.addr.value - A.BUS_MATRIX;
            log.push(`${dut.bus.we.value ? 'write' : 'read'} +${off}`);
            if (dut.bus.we.value && off === 0) busyUntil = cycle + dut.bus.wdata.value;
            if (dut.bus.we.value && off === 8) dut.irq.value = 0;
            dut.bus.rdata.value = off === 4 ? done : 0;
            dut.bus.ready.value = 1;
          }
        }
      }, 'matrix-unit');
      const tohost = img.symbols.get('tohost')!;
      await tb.until(() => tb.sim.readMemory(top.dtcm, (tohost - A.DTCM_BASE) / 4) !== 0n, { timeoutCycles: 2000 });
      expect(tb.sim.readMemory(top.dtcm, (tohost - A.DTCM_BASE) / 4)).toBe(1n);
      expect(log).toEqual(['write +0', 'read +4', 'write +8']);
    }, { vcd: 'dispatch-runtime' });
  });
});
