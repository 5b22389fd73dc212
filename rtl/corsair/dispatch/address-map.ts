// Address map and interrupt lines of the dispatch engine (the RISC-V core that steers a Corsair chiplet), declared
// once as shared constants: the core decodes addresses with them, the ELF loader and runner place programs with
// them, and the SV package generator prints them (`DISPATCH_ADDR_ITCM_BASE`, ...).
import { constants } from '../../core/index.ts';

/**
 * Physical address map (machine mode, no translation). Every region base is aligned to its size.
 *
 * | region | base | size | what |
 * |---|---|---|---|
 * | CLINT | 0x0200_0000 | 64 KiB | msip (+0x0000), mtimecmp lo/hi (+0x4000/+0x4004), mtime lo/hi (+0xBFF8/+0xBFFC) |
 * | bus | 0x4000_0000 | 256 MiB | the peripheral bus port: control registers of the other blocks, and the stash at 0x4800_0000 |
 * | ITCM | 0x8000_0000 | 64 KiB (parameter) | instructions (fetch port) and data (load/store port): a dual-port RAM |
 * | DTCM | 0x8001_0000 | 64 KiB (parameter) | data |
 *
 * Inside the bus window the interconnect (outside the core) decodes one 64 KiB window per block.
 */
export const DISPATCH_ADDR = constants('dispatch_addr', {
  RESET_VECTOR: 0x8000_0000,
  ITCM_BASE: 0x8000_0000,
  ITCM_SIZE: 0x1_0000,
  DTCM_BASE: 0x8001_0000,
  DTCM_SIZE: 0x1_0000,
  CLINT_BASE: 0x0200_0000,
  CLINT_SIZE: 0x1_0000,
  CLINT_MSIP: 0x0200_0000,
  CLINT_MTIMECMP: 0x0200_4000,
  CLINT_MTIMECMPH: 0x0200_4004,
  CLINT_MTIME: 0x0200_bff8,
  CLINT_MTIMEH: 0x0200_bffc,
  BUS_BASE: 0x4000_0000,
  BUS_SIZE: 0x1000_0000,
  /** Matrix (DIMC) units 0..7: one 4 KiB register page each at BUS_MATRIX + 0x1000 * i. */
  BUS_MATRIX: 0x4000_0000,
  /** Result buffer of matrix unit i (the vectors it computed, for the core to read): BUS_MATRIX + 0x1000 * i + this. */
  BUS_MATRIX_RESULT: 0x800,
  BUS_STASH_DMA: 0x4001_0000,
  BUS_PCIE_P2P: 0x4002_0000,
  /** The chiplet's inbound PCIe endpoint registers (go flag, counters). */
  BUS_PCIE_EP: 0x4002_1000,
  BUS_JETSTREAM: 0x4003_0000,
  /** The chiplet's stash (data memory of the core too): an 8 MiB window, of which the stash size is used. */
  BUS_STASH: 0x4800_0000,
  BUS_STASH_SIZE: 0x0080_0000,
  /** The riscv-tests `tohost` word in the link scripts of tb/rv (a symbol: the runner reads it from the ELF). */
  TOHOST: 0x8001_0000,
}, { doc: 'Dispatch engine (RISC-V) address map' });

/**
 * Interrupt lines into the core. `irq[i]` is machine-level local interrupt 16 + i (mip/mie bit 16 + i, mcause
 * 0x8000_0010 + i); `meip` is the machine external interrupt (cause 11); the CLINT gives the timer (7) and the
 * software interrupt (3). Priority: external > software > timer > local 16 > ... > local 31.
 */
export const DISPATCH_IRQ = constants('dispatch_irq', {
  /** Matrix unit i finished its command: irq[i], i = 0..7. */
  MATRIX_DONE0: 0,
  STASH_DMA_DONE: 8,
  /** Peer-to-peer data has landed and its "go" flag was written. */
  P2P_GO: 9,
  PCIE_P2P_DONE: 10,
  JETSTREAM_RX: 11,
  JETSTREAM_TX_DONE: 12,
  LINES: 16,
}, { doc: 'Dispatch engine interrupt lines (irq[i] = mip bit 16+i)' });

/** CSR numbers the core implements (the others raise an illegal-instruction trap). */
export const DISPATCH_CSR = constants('dispatch_csr', {
  MSTATUS: 0x300, MISA: 0x301, MIE: 0x304, MTVEC: 0x305, MSCRATCH: 0x340, MEPC: 0x341, MCAUSE: 0x342,
  MTVAL: 0x343, MIP: 0x344, MCYCLE: 0xb00, MINSTRET: 0xb02, MCYCLEH: 0xb80, MINSTRETH: 0xb82,
  CYCLE: 0xc00, TIME: 0xc01, INSTRET: 0xc02, CYCLEH: 0xc80, TIMEH: 0xc81, INSTRETH: 0xc82,
  MVENDORID: 0xf11, MARCHID: 0xf12, MIMPID: 0xf13, MHARTID: 0xf14,
}, { width: 12, doc: 'Dispatch engine CSR numbers' });

/** misa: MXL = 1 (RV32), extensions I and M. */
export const DISPATCH_MISA = 0x4000_1100;
