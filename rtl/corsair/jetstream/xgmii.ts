// The MAC's wire side: an XGMII-style bundle (data byte lanes + one control bit per lane) and its control
// characters, written from the transmitter's side. Lane i is data bits 8i+7..8i and ctrl bit i; lane 0 goes first.
import { Out, constants, type BundleSpec } from '../../core/index.ts';

/** XGMII control characters (ctrl bit 1 on the lane) and the preamble bytes. */
export const XGMII = constants('xgmii', {
  /** Idle /I/. */
  IDLE: 0x07,
  /** Start /S/: lane 0 only (of a 64-bit group); it replaces the first preamble byte. */
  START: 0xfb,
  /** Terminate /T/: the lane after the last FCS byte. */
  TERMINATE: 0xfd,
  /** Error /E/. */
  ERROR: 0xfe,
  /** Preamble data byte. */
  PREAMBLE: 0x55,
  /** Start frame delimiter. */
  SFD: 0xd5,
}, { doc: 'XGMII control characters and preamble bytes' });

/** `width` bits of byte lanes (a multiple of 64) and width/8 control bits: one beat every clock, no valid. */
export const Xgmii = (width: number) =>
  ({
    data: Out(width, { doc: 'byte lanes: lane i at bits 8i+7..8i, lane 0 first on the wire' }),
    ctrl: Out(width / 8, { doc: 'ctrl bit i: lane i is a control character (idle, start, terminate, error)' }),
  }) satisfies BundleSpec;

/** Bytes `b` (lane 0 first) as a little-endian bigint, for constants of a beat. */
export function laneBytes(b: readonly number[]): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]! & 0xff);
  return v;
}

/** Frame size limits (bytes from DA to the end of the FCS). */
export const ETH_MIN_FRAME = 64;
export const ETH_MAX_FRAME = 1518;
