// The MAC's statistics register map (word addresses on its CsrBus(4) port), declared once: the hardware decodes
// it, the testbenches and the SV package read the same numbers; and the counter block both MACs build from it.
import { U, constants, select, when, type Output, type Reg, type Sig } from '../../core/index.ts';

/** Register word addresses. Counters are 32 bits, wrap, and are cleared by writing any value to them. */
export const MAC_REG = constants('mac_reg', {
  /** Frames sent (padding and FCS added). */
  TX_FRAMES: 0,
  /** Bytes of the frames sent, DA to FCS. */
  TX_BYTES: 1,
  /** Frames cut short by a client underrun (sent with /E/). */
  TX_UNDERRUN: 2,
  /** Good frames received and delivered. */
  RX_FRAMES: 3,
  /** Bytes of the good frames, DA to FCS. */
  RX_BYTES: 4,
  /** Frames dropped for a wrong FCS. */
  RX_BAD_FCS: 5,
  /** Frames dropped as shorter than 64 bytes. */
  RX_RUNT: 6,
  /** Frames dropped as longer than maxFrame. */
  RX_OVERSIZE: 7,
  /** Frames ended by a control character other than terminate (an /E/, a start, an idle). */
  RX_TRUNCATED: 8,
  /** Good frames lost for lack of buffer space (or client ready in cut-through mode). */
  RX_DROPPED: 9,
  /** R. bits 15:0 maxFrame, bits 23:16 datapath bytes per beat, bit 24 cut-through. */
  CONFIG: 10,
}, { doc: 'Ethernet MAC CSR word addresses' });

/** What the MAC_REG counters count: per-cycle strobes (1 bit) or counts (wider), and the byte counts they add. */
export interface MacEvents {
  frameSent: Sig;
  sentBytes: Sig;
  underrun: Sig;
  goodFrame: Sig;
  goodBytes: Sig;
  badFcs: Sig;
  runt: Sig;
  oversize: Sig;
  truncated: Sig;
  /** A strobe, or the number of frames dropped in this cycle. */
  dropped: Sig;
}

/**
 * The MAC_REG register file of a MAC on its CsrBus: each counter is a 32-bit register made by `reg` (the owning
 * module's register factory) that adds its event and clears when written; CONFIG reads `config`.
 */
export function macRegisterFile(csr: { en: Sig; we: Sig; addr: Sig; rdata: Output }, reg: (name: string) => Reg, ev: MacEvents, config: number): void {
  const wr = csr.en.and(csr.we);
  const regs: Sig[] = [];
  const counter = (a: number, inc: Sig, by: Sig = U(1, 32)): void => {
    const c = reg(`cnt_${a}`);
    when(wr.and(csr.addr.eq(a)), () => c.set(0)).elsewhen(inc, () => c.set(c.add(by)));
    regs[a] = c;
  };
  const event = (s: Sig): [Sig, Sig] => (s.width === 1 ? [s, U(1, 32)] : [s.ne(0), s.zext(32)]);
  counter(MAC_REG.TX_FRAMES, ev.frameSent);
  counter(MAC_REG.TX_BYTES, ev.frameSent, ev.sentBytes.zext(32));
  counter(MAC_REG.TX_UNDERRUN, ev.underrun);
  counter(MAC_REG.RX_FRAMES, ev.goodFrame);
  counter(MAC_REG.RX_BYTES, ev.goodFrame, ev.goodBytes.zext(32));
  counter(MAC_REG.RX_BAD_FCS, ev.badFcs);
  counter(MAC_REG.RX_RUNT, ev.runt);
  counter(MAC_REG.RX_OVERSIZE, ev.oversize);
  counter(MAC_REG.RX_TRUNCATED, ev.truncated);
  counter(MAC_REG.RX_DROPPED, ...event(ev.dropped));
  regs[MAC_REG.CONFIG] = U(config, 32);
  csr.rdata.assign(select(csr.addr, Array.from({ length: 16 }, (_, a) => regs[a] ?? U(0, 32))));
}
