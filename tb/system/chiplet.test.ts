// One chiplet running a pipeline stage end to end: the host loads weights and a batch into the stash with PCIe
// writes, then a write to the chiplet's doorbell says go; the firmware on the dispatch engine drives DMA, the matrix unit and the
// result buffer layer by layer and leaves the batch's output in the stash, which must equal the reference network.
import { describe, expect, it } from 'vitest';
import { Chiplet } from '../../rtl/corsair/system/chiplet.ts';
import { PCIE_MAP } from '../../rtl/corsair/system/pcie-map.ts';
import { simulate } from '../runtime/index.ts';
import { encodeMemWrite } from '../pcie/tlp-ref.ts';
import { sendPackets } from '../pcie/harness.ts';
import { outputBuffer } from './firmware.ts';
import { firmwareImage, readBatch, stageImage, stageLoadTlps, tohost } from './harness.ts';
import { makeInput, makeNetwork, networkForward } from './network.ts';

describe('Chiplet', () => {
  it('runs two layers of the network on its matrix unit after a doorbell write, bit-exact with the reference', async () => {
    const batch = 3;
    const net = makeNetwork(2, 11);
    const input = makeInput(batch, 12);
    const firmware = firmwareImage({ layers: 2, lastStage: true, batch, requesterId: 0x0100, mps: 256 }, 16 * 1024);
    const chip = new Chiplet({ stashBytes: 64 * 1024, firmware, tlpWidth: 512 });
    await simulate(chip, async (tb) => {
      await tb.reset();
      const doorbell = BigInt(PCIE_MAP.CARD_BAR_BASE) + BigInt(PCIE_MAP.DOORBELL_OFFSET);
      await tb.cycles(20);
      expect(tohost(tb.sim, chip.core.dtcm), 'the firmware waits for go').toBe(0);
      // the host loads weights and the batch with PCIe writes, then rings the doorbell (which cannot pass them)
      await sendPackets(tb, tb.dut.tlpIn, 512, [...stageLoadTlps(BigInt(PCIE_MAP.CARD_BAR_BASE), stageImage(net, input)), encodeMemWrite({ addr: doorbell, data: new Uint8Array([1, 0, 0, 0]), requesterId: 0, tag: 0 })]);
      await tb.until(() => tohost(tb.sim, chip.core.dtcm) !== 0, { timeoutCycles: 200_000 });
      expect(tohost(tb.sim, chip.core.dtcm)).toBe(1);
      const out = readBatch(tb.sim, chip.stash, outputBuffer(2), batch);
      expect(out.map((v) => [...v])).toEqual(networkForward(net, input).map((v) => [...v]));
      console.log(`chiplet: 2 layers x ${batch} vectors in ${tb.cycle()} cycles`);
    });
  }, 300_000);
});
