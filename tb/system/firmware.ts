// Firmware of a pipeline stage: what each server's dispatch engine runs, written as assembly for our own assembler
// (no cross toolchain needed). It waits for "go", runs its slice of the network on matrix unit 0 layer by layer,
// and then either streams the activations and the next "go" to the next server (PCIe peer-to-peer write into the
// JetStream window) or, on the last server, reports completion through tohost.
//
// Per layer: the DMA loads the layer's 64 weight rows from the stash into the unit's shadow bank; a SWAP makes them
// active; the DMA streams the batch of input vectors from the stash into the unit; for each result vector the core
// reads the 64 sums from the result buffer, scales them by the row's shared exponent (round half up), applies ReLU
// except on the network's last layer, saturates to INT8 and stores the bytes in the stash; then POP.
import { DISPATCH_ADDR as A } from '../../rtl/corsair/dispatch/address-map.ts';
import { DIMC_BIT, DIMC_REG } from '../../rtl/corsair/dimc/regs.ts';
import { RESULT_REG } from '../../rtl/corsair/dimc/result-buffer.ts';
import { STASH_DMA_BIT as DB, STASH_DMA_REG as DR } from '../../rtl/corsair/stash/dma.ts';
import { P2P_BIT, P2P_REG, PCIE_EP_REG } from '../../rtl/corsair/pcie/regs.ts';
import { EXP_BIAS_SHIFT, VEC } from './network.ts';

/** Where things live in each chiplet's stash (byte offsets). */
export const STASH_LAYOUT = {
  /** Activations arriving from the previous server (or the host): batch x 64 bytes. */
  IN: 0x0000,
  /** Ping-pong buffers for the layers' outputs. */
  BUF0: 0x1000,
  BUF1: 0x2000,
  /** Layer k of this server: 64 rows of 64 INT8 significands, then 64 exponent bytes. */
  WEIGHTS: 0x4000,
  LAYER_STRIDE: 0x1100,
  EXP_OFFSET: 0x1000,
} as const;

export interface StageFirmware {
  /** Layers this server runs, and whether its last one is the network's last (no ReLU). */
  layers: number;
  lastStage: boolean;
  batch: number;
  /** Where the activations go (the next server's IN buffer, through the JetStream window) and its doorbell. */
  nextData?: bigint;
  nextDoorbell?: bigint;
  /** This card's requester ID on PCIe (bus:dev.fn). */
  requesterId: number;
  /** Max Payload Size of the peer-to-peer writes. */
  mps: number;
}

/** Where a stage leaves its output: the buffer its last layer wrote. */
export function outputBuffer(layers: number): number {
  return layers % 2 === 1 ? STASH_LAYOUT.BUF0 : STASH_LAYOUT.BUF1;
}

const hex = (n: number | bigint) => `0x${n.toString(16)}`;

export function stageFirmware(f: StageFirmware): string {
  if (f.batch < 1 || f.batch * VEC > 0x1000) throw new Error(`firmware: batch ${f.batch} does not fit a 4 KiB buffer`);
  if (!f.lastStage && (f.nextData === undefined || f.nextDoorbell === undefined)) throw new Error('firmware: a stage that is not the last needs nextData and nextDoorbell');
  const mu = A.BUS_MATRIX;
  const rb = A.BUS_MATRIX + A.BUS_MATRIX_RESULT;
  const L: string[] = [];
  const emit = (s: string) => L.push(s);
  emit(`  .text
  .globl _start
_start:
  li s0, ${hex(mu)}            # matrix unit 0 registers
  li s1, ${hex(rb)}            # its result buffer
  li s2, ${hex(A.BUS_STASH_DMA)}   # stash DMA
  li s3, ${hex(A.BUS_PCIE_P2P)}    # PCIe peer-to-peer engine
  li s4, ${hex(A.BUS_PCIE_EP)}     # PCIe inbound endpoint (go flag)
  li s5, ${hex(A.BUS_STASH)}       # the stash, as data memory
wait_go:
  lw t0, ${4 * PCIE_EP_REG.STATUS}(s4)
  andi t0, t0, 1
  beqz t0, wait_go
  li t0, 1
  sw t0, ${4 * PCIE_EP_REG.STATUS}(s4)   # clear the flag`);
  let src: number = STASH_LAYOUT.IN;
  for (let l = 0; l < f.layers; l++) {
    const w = STASH_LAYOUT.WEIGHTS + l * STASH_LAYOUT.LAYER_STRIDE;
    const dst = l % 2 === 0 ? STASH_LAYOUT.BUF0 : STASH_LAYOUT.BUF1;
    const relu = !(f.lastStage && l === f.layers - 1);
    emit(`# ---- layer ${l}: ${hex(src)} -> ${hex(dst)}, weights at ${hex(w)}${relu ? ', ReLU' : ''}
  li a0, ${hex(w)}
  li a1, 0
  li a2, ${VEC}
  li a3, ${VEC}
  li a4, ${(DB.KIND_STASH << DB.CTRL_SRC_SHIFT) | (DB.KIND_MU_WEIGHT << DB.CTRL_DST_SHIFT) | DB.CTRL_START}
  call dma
  li t0, ${DIMC_BIT.CMD_SWAP}
  sw t0, ${4 * DIMC_REG.CMD}(s0)         # the loaded weights become active
  li a0, ${hex(src)}
  li a1, 0
  li a2, ${VEC}
  li a3, ${f.batch}
  li a4, ${(DB.KIND_STASH << DB.CTRL_SRC_SHIFT) | (DB.KIND_MU_INPUT << DB.CTRL_DST_SHIFT) | DB.CTRL_START}
  call dma_start                         # vectors stream in while results are drained
  li a0, ${hex(A.BUS_STASH + w + STASH_LAYOUT.EXP_OFFSET)}   # exponents
  li a1, ${hex(A.BUS_STASH + dst)}      # output
  li a2, ${f.batch}
  li a3, ${relu ? 1 : 0}
  call drain
  call dma_wait`);
    src = dst;
  }
  if (f.lastStage) {
    emit(`  li t0, 1
  li t1, ${hex(A.TOHOST)}
  sw t0, 0(t1)                            # done: the output is in the stash
1: j 1b`);
  } else {
    const d = f.nextData!;
    const g = f.nextDoorbell!;
    emit(`# ---- stream the activations and the go flag to the next server
  li t0, ${hex(src)}
  sw t0, ${4 * P2P_REG.SRC}(s3)
  li t0, ${hex(d & 0xffff_ffffn)}
  sw t0, ${4 * P2P_REG.DST_LO}(s3)
  li t0, ${hex(d >> 32n)}
  sw t0, ${4 * P2P_REG.DST_HI}(s3)
  li t0, ${f.batch * VEC}
  sw t0, ${4 * P2P_REG.LEN}(s3)
  li t0, ${hex(g & 0xffff_ffffn)}
  sw t0, ${4 * P2P_REG.FLAG_LO}(s3)
  li t0, ${hex(g >> 32n)}
  sw t0, ${4 * P2P_REG.FLAG_HI}(s3)
  li t0, 1
  sw t0, ${4 * P2P_REG.FLAG_VALUE}(s3)
  li t0, ${f.mps}
  sw t0, ${4 * P2P_REG.MPS}(s3)
  li t0, ${hex(f.requesterId)}
  sw t0, ${4 * P2P_REG.REQ_ID}(s3)
  li t0, ${P2P_BIT.CMD_START}
  sw t0, ${4 * P2P_REG.CMD}(s3)
1:lw t0, ${4 * P2P_REG.STATUS}(s3)
  andi t0, t0, ${P2P_BIT.STATUS_DONE}
  beqz t0, 1b
  li t0, ${P2P_BIT.CMD_ACK}
  sw t0, ${4 * P2P_REG.CMD}(s3)
  li t0, 1
  li t1, ${hex(A.TOHOST)}
  sw t0, 0(t1)                            # this stage is done
1: j 1b`);
  }
  emit(`
# dma(a0 src, a1 dst, a2 bytes a row, a3 rows, a4 ctrl): start a stash DMA transfer of 64-byte-strided rows and wait
dma:
  mv t6, ra
  call dma_start
  call dma_wait
  mv ra, t6
  ret
dma_start:
  sw a0, ${4 * DR.SRC}(s2)
  sw a1, ${4 * DR.DST}(s2)
  sw a2, ${4 * DR.LEN}(s2)
  sw a3, ${4 * DR.ROWS}(s2)
  li t0, ${VEC}
  sw t0, ${4 * DR.SRC_STRIDE}(s2)
  sw t0, ${4 * DR.DST_STRIDE}(s2)
  sw a4, ${4 * DR.CTRL}(s2)
  ret
dma_wait:
  lw t0, ${4 * DR.STATUS}(s2)
  andi t0, t0, ${DB.STATUS_DONE}
  beqz t0, dma_wait
  li t0, ${DB.STATUS_DONE}
  sw t0, ${4 * DR.STATUS}(s2)             # write 1 to clear DONE
  ret

# drain(a0 exponents, a1 output, a2 vectors, a3 relu): scale, saturate and store every result vector
drain:
  li t5, 127
  li t4, -127
1:lw t0, ${4 * RESULT_REG.STATUS}(s1)
  andi t0, t0, 1
  beqz t0, 1b                             # wait for a result vector
  li a5, 0                                # lane
  addi a6, s1, ${4 * RESULT_REG.LANE0}
2:lw t0, 0(a6)                            # acc
  add t1, a0, a5
  lbu t1, 0(t1)                           # shared exponent of the row
  li t2, ${EXP_BIAS_SHIFT}
  sub t1, t2, t1                          # shift = ${EXP_BIAS_SHIFT} - e
  addi t2, t1, -1
  li t3, 1
  sll t3, t3, t2
  add t0, t0, t3                          # round half up
  sra t0, t0, t1
  beqz a3, 3f
  bgez t0, 3f
  li t0, 0                                # ReLU
3:ble t0, t5, 4f
  mv t0, t5
4:bge t0, t4, 5f
  mv t0, t4
5:add t1, a1, a5
  sb t0, 0(t1)
  addi a6, a6, 4
  addi a5, a5, 1
  li t0, ${VEC}
  blt a5, t0, 2b
  sw zero, ${4 * RESULT_REG.STATUS}(s1)   # pop: the next vector
  addi a1, a1, ${VEC}
  addi a2, a2, -1
  bnez a2, 1b
  ret
`);
  return L.join('\n');
}
