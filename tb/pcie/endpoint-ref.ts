// Reference model of a chiplet's inbound endpoint, built on the TLP reference decoder: what each TLP must do to the
// stash, the doorbell flag and the counters (malformed / unsupported / written), independent of the hardware.
import { PCIE_MAP } from '../../rtl/corsair/system/pcie-map.ts';
import { TLP_TYPE, decodeTlp } from './tlp-ref.ts';

export interface EndpointModelOptions {
  card?: number;
  chiplet?: number;
  stashBytes: number;
  mps?: number;
}

export class EndpointModel {
  readonly base: bigint;
  readonly stash: Uint8Array;
  flag = 0;
  go = false;
  writes = 0;
  bytes = 0;
  malformed = 0;
  unsupported = 0;
  constructor(readonly o: EndpointModelOptions) {
    this.base = BigInt(PCIE_MAP.CARD_BAR_BASE) + BigInt(o.card ?? 0) * BigInt(PCIE_MAP.CARD_BAR_SIZE) + BigInt(o.chiplet ?? 0) * BigInt(PCIE_MAP.CHIPLET_WINDOW);
    this.stash = new Uint8Array(o.stashBytes);
  }

  /** Applies one TLP; returns what happened. */
  apply(tlp: Uint8Array): 'malformed' | 'unsupported' | 'stash' | 'doorbell' {
    const t = tlp[0];
    if (t !== TLP_TYPE.MWR32 && t !== TLP_TYPE.MWR64) {
      this.unsupported++;
      return 'unsupported';
    }
    let d;
    try {
      d = decodeTlp(tlp, { mps: this.o.mps ?? 4096 });
    } catch {
      this.malformed++;
      return 'malformed';
    }
    const off = d.addr - this.base;
    if (off < 0n || off >= BigInt(PCIE_MAP.CHIPLET_WINDOW)) {
      this.unsupported++;
      return 'unsupported';
    }
    if ((off >> 12n) === BigInt(PCIE_MAP.DOORBELL_OFFSET >> 12)) {
      if (d.lengthDw !== 1) {
        this.unsupported++;
        return 'unsupported';
      }
      for (const b of d.bytes) {
        const lane = Number(b.addr & 3n);
        this.flag = ((this.flag & ~(0xff << (8 * lane))) | (b.value << (8 * lane))) >>> 0;
      }
      this.go = true;
      this.writes++;
      return 'doorbell';
    }
    if (off + BigInt(4 * d.lengthDw) > BigInt(this.o.stashBytes)) {
      this.unsupported++;
      return 'unsupported';
    }
    for (const b of d.bytes) this.stash[Number(b.addr - this.base)] = b.value;
    this.writes++;
    this.bytes += 4 * d.lengthDw;
    return 'stash';
  }
}
