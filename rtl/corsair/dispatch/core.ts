// The dispatch engine's RV32IM + Zicsr + Zifencei machine-mode core: a three-stage pipeline (fetch, execute,
// writeback) with tightly coupled instruction and data memories, a machine timer (CLINT), a memory-mapped
// peripheral bus port, interrupt inputs and a retirement trace port for verification.
//
//   F  pcF addresses the ITCM's fetch port (a registered read): the instruction appears in the next cycle.
//   X  decode, register read (with forwarding from W), ALU, branch resolution, CSRs, traps, multiplier,
//      divider; loads and stores present their address to the TCMs (registered reads, byte-enable writes),
//      the CLINT or the bus. Every trap is taken here, so traps are precise. Instructions retire here.
//   W  load data comes out of the TCM read ports and is aligned; the register file is written. W forwards its
//      result (load data included) to X, so there is no load-use stall.
//
// Hazards: a taken branch, jump, trap, mret or fence.i redirects the fetch and squashes the one instruction
// fetched behind it (one bubble); a multiply (mulLatency > 1), a division, a bus access waiting for `ready` and
// a wfi waiting for an interrupt stall F and X, and send bubbles to W.
import { In, Module, Out, U, cat, mux, select, switchOn, when, type BundleSpec, type Memory, type Sig } from '../../core/index.ts';
import { DISPATCH_ADDR as A, DISPATCH_CSR as C, DISPATCH_MISA } from './address-map.ts';
import { Divider } from './divider.ts';

/** The peripheral bus, from the core's side: one request at a time, held until `ready`; read data with `ready`. */
export const DispatchBus = {
  valid: Out(1, { doc: 'a request is on the bus (held, unchanged, until ready)' }),
  we: Out(1, { doc: '1 = write, 0 = read' }),
  addr: Out(32, { doc: 'byte address (inside the bus window, naturally aligned to the access size)' }),
  wdata: Out(32, { doc: 'write data, in its byte lanes' }),
  be: Out(4, { doc: 'byte enables (lanes of the access)' }),
  ready: In(1, { doc: 'the request completes in this cycle' }),
  rdata: In(32, { doc: 'read data, valid with ready (the whole word; the core picks the lanes)' }),
} satisfies BundleSpec;

/** One record per instruction leaving X (retired or trapped), delayed to W so loads show their data. */
export const RetireTrace = {
  valid: Out(1),
  trap: Out(1, { doc: 'the instruction trapped (or an interrupt was taken before it): nothing was written' }),
  pc: Out(32),
  insn: Out(32),
  rd: Out(5, { doc: 'register written (0 when none)' }),
  rdData: Out(32),
  cause: Out(32, { doc: 'mcause of the trap' }),
  memWe: Out(1, { doc: 'a store retired' }),
  memAddr: Out(32),
  memWdata: Out(32),
  memBe: Out(4),
} satisfies BundleSpec;

export interface DispatchCoreOptions {
  /** ITCM size in bytes: a power of two, 1 KiB .. 64 KiB (default 64 KiB). */
  itcmBytes?: number;
  /** DTCM size in bytes: a power of two, 1 KiB .. 64 KiB (default 64 KiB). */
  dtcmBytes?: number;
  /** Where fetch starts after reset (default the ITCM base). */
  resetVector?: number;
  /** Cycles a MUL/MULH* spends in X (>= 1; default 1: single-cycle multiplier). */
  mulLatency?: number;
  /** Quotient bits per cycle of the divider (1, 2, 4, 8, 16 or 32): DIV/REM take 32/k + 2 cycles (default 4 -> 10). */
  divBitsPerCycle?: number;
  /** Initial ITCM contents, word i at ITCM_BASE + 4i (a boot image; emitted as $readmemh in SV). */
  itcmInit?: ArrayLike<number>;
  /** Initial DTCM contents, word i at DTCM_BASE + 4i. */
  dtcmInit?: ArrayLike<number>;
}

const log2 = (n: number) => Math.round(Math.log2(n));

function checkSize(what: string, n: number): void {
  if (!Number.isInteger(log2(n)) || 2 ** log2(n) !== n || n < 1024 || n > 0x1_0000) {
    throw new Error(`DispatchCore: ${what} must be a power of two from 1 KiB to 64 KiB, got ${n}`);
  }
}

export class DispatchCore extends Module {
  bus = this.port(DispatchBus);
  /** Local interrupt lines: irq[i] is mip bit 16 + i (see DISPATCH_IRQ). Registered once before use. */
  irq = this.input(16, { doc: 'local interrupts: irq[i] is mip/mie bit 16+i, mcause 0x80000010+i' });
  /** Machine external interrupt (mip.MEIP). */
  meip = this.input(1, { doc: 'machine external interrupt (mip.MEIP, cause 11)' });
  trace = this.port(RetireTrace);

  readonly itcm: Memory;
  readonly dtcm: Memory;
  readonly rf: Memory;
  readonly div: Divider;
  /** Counters, for testbenches (peek). */
  readonly mcycle: { lo: Sig; hi: Sig };
  readonly minstret: { lo: Sig; hi: Sig };
  readonly options: DispatchCoreOptions & Required<Omit<DispatchCoreOptions, 'itcmInit' | 'dtcmInit'>>;

  constructor(opts: DispatchCoreOptions = {}) {
    super();
    const o: DispatchCoreOptions & Required<Omit<DispatchCoreOptions, 'itcmInit' | 'dtcmInit'>> = {
      itcmBytes: opts.itcmBytes ?? A.ITCM_SIZE,
      dtcmBytes: opts.dtcmBytes ?? A.DTCM_SIZE,
      resetVector: opts.resetVector ?? A.RESET_VECTOR,
      mulLatency: opts.mulLatency ?? 1,
      divBitsPerCycle: opts.divBitsPerCycle ?? 4,
      itcmInit: opts.itcmInit,
      dtcmInit: opts.dtcmInit,
    };
    this.options = o;
    checkSize('itcmBytes', o.itcmBytes);
    checkSize('dtcmBytes', o.dtcmBytes);
    if (!Number.isInteger(o.mulLatency) || o.mulLatency < 1 || o.mulLatency > 64) throw new Error(`DispatchCore: mulLatency must be 1..64, got ${o.mulLatency}`);
    const itcmWords = o.itcmBytes / 4;
    const dtcmWords = o.dtcmBytes / 4;

    for (const [what, init, words] of [['itcmInit', o.itcmInit, itcmWords], ['dtcmInit', o.dtcmInit, dtcmWords]] as const) {
      if (init && init.length > words) throw new Error(`DispatchCore: ${what} has ${init.length} words, the memory ${words}`);
    }
    const initOf = (words: ArrayLike<number> | undefined) => words && ((i: number) => (i < words.length ? words[i]! >>> 0 : 0));
    const itcm = this.memory({ depth: itcmWords, width: 32, readDuringWrite: 'old', init: initOf(o.itcmInit) });
    const dtcm = this.memory({ depth: dtcmWords, width: 32, readDuringWrite: 'old', init: initOf(o.dtcmInit) });
    const rf = this.memory({ depth: 32, width: 32, init: () => 0 });
    this.itcm = itcm;
    this.dtcm = dtcm;
    this.rf = rf;
    const div = new Divider(o.divBitsPerCycle);
    this.div = div;

    const wordIndex = (addr: Sig, words: number): Sig => addr.slice(log2(words) + 1, 2);
    const inRegion = (addr: Sig, base: number, size: number): Sig => addr.slice(31, log2(size)).eq((base >>> log2(size)) >>> 0);

    // ---------------------------------------------------------------------------------------------------------
    // F: the fetch address register and the ITCM fetch port
    const exStall = this.wire(1);
    const redirect = this.wire(1);
    const redirectPc = this.wire(32);
    const advance = exStall.not();
    const pcF = this.reg(32, { init: o.resetVector });
    const dValid = this.reg(1);
    const dPc = this.reg(32);
    const dFault = this.reg(1);
    const insn = itcm.read(wordIndex(pcF, itcmWords), { en: advance });
    when(advance, () => {
      dPc.set(pcF);
      dValid.set(redirect.not());
      dFault.set(inRegion(pcF, A.ITCM_BASE, o.itcmBytes).not());
      pcF.set(mux(redirect, redirectPc, pcF.add(4)));
    });

    // ---------------------------------------------------------------------------------------------------------
    // X: decode
    const opcode = insn.slice(6, 0);
    const rd = insn.slice(11, 7);
    const f3 = insn.slice(14, 12);
    const rs1 = insn.slice(19, 15);
    const rs2 = insn.slice(24, 20);
    const f7 = insn.slice(31, 25);
    const f12 = insn.slice(31, 20);
    const immI = insn.slice(31, 20).sext(32);
    const immS = cat(insn.slice(31, 25), insn.slice(11, 7)).sext(32);
    const immB = cat(insn.bit(31), insn.bit(7), insn.slice(30, 25), insn.slice(11, 8), U(0, 1)).sext(32);
    const immU = cat(insn.slice(31, 12), U(0, 12));
    const immJ = cat(insn.bit(31), insn.slice(19, 12), insn.bit(20), insn.slice(30, 21), U(0, 1)).sext(32);
    const f3Is = (...vs: number[]): Sig => vs.map((v) => f3.eq(v)).reduce((a, b) => a.or(b));

    const isLui = opcode.eq(0x37);
    const isAuipc = opcode.eq(0x17);
    const isJal = opcode.eq(0x6f);
    const isJalr = opcode.eq(0x67).and(f3.eq(0));
    const isBranch = opcode.eq(0x63).and(f3Is(2, 3).not());
    const isLoad = opcode.eq(0x03).and(f3Is(3, 6, 7).not());
    const isStore = opcode.eq(0x23).and(f3Is(0, 1, 2));
    const isOpImm = opcode.eq(0x13).and(mux(f3.eq(1), f7.eq(0), mux(f3.eq(5), f7.eq(0).or(f7.eq(0x20)), U(1, 1))));
    const opR = opcode.eq(0x33);
    const isAlu = opR.and(f7.eq(0).or(f7.eq(0x20).and(f3Is(0, 5))));
    const isMul = opR.and(f7.eq(1)).and(f3.bit(2).not());
    const isDiv = opR.and(f7.eq(1)).and(f3.bit(2));
    const isFence = opcode.eq(0x0f).and(f3.eq(0));
    const isFenceI = opcode.eq(0x0f).and(f3.eq(1));
    const sys = opcode.eq(0x73);
    const sysPriv = sys.and(f3.eq(0)).and(rd.eq(0)).and(rs1.eq(0));
    const isEcall = sysPriv.and(f12.eq(0x000));
    const isEbreak = sysPriv.and(f12.eq(0x001));
    const isMret = sysPriv.and(f12.eq(0x302));
    const isWfi = sysPriv.and(f12.eq(0x105));
    const isCsr = sys.and(f3Is(1, 2, 3, 5, 6, 7));
    const isMem = isLoad.or(isStore);

    // ---------------------------------------------------------------------------------------------------------
    // W registers (declared here: X forwards from them)
    const wValid = this.reg(1);
    const wTrap = this.reg(1);
    const wPc = this.reg(32);
    const wInsn = this.reg(32);
    const wRd = this.reg(5);
    const wResult = this.reg(32);
    const wLoad = this.reg(1);
    const wLoadSel = this.reg(2);
    const wF3 = this.reg(3);
    const wOff = this.reg(2);
    const wCause = this.reg(32);
    const wMemWe = this.reg(1);
    const wMemAddr = this.reg(32);
    const wMemWdata = this.reg(32);
    const wMemBe = this.reg(4);
    const wData = this.wire(32);

    // register file: two asynchronous read ports, written from W; W's result is forwarded
    const rf1 = rf.readAsync(rs1);
    const rf2 = rf.readAsync(rs2);
    const rs1v = mux(rs1.eq(0), U(0, 32), mux(wRd.ne(0).and(wRd.eq(rs1)), wData, rf1));
    const rs2v = mux(rs2.eq(0), U(0, 32), mux(wRd.ne(0).and(wRd.eq(rs2)), wData, rf2));

    // ---------------------------------------------------------------------------------------------------------
    // X: ALU, multiplier, divider, branches
    const aluB = mux(opR, rs2v, immI);
    const shamt = aluB.slice(4, 0);
    const addSub = mux(opR.and(f7.bit(5)), rs1v.sub(aluB), rs1v.add(aluB));
    const sltv = rs1v.asSigned().lt(aluB.asSigned()).zext(32);
    const sltuv = rs1v.lt(aluB).zext(32);
    const srx = mux(f7.bit(5), rs1v.asSigned().sra(shamt).asUnsigned(), rs1v.shr(shamt));
    const aluOut = select(f3, [addSub, rs1v.shl(shamt), sltv, sltuv, rs1v.xor(aluB), srx, rs1v.or(aluB), rs1v.and(aluB)]);

    const mA = cat(f3Is(1, 2).and(rs1v.bit(31)), rs1v).asSigned();
    const mB = cat(f3.eq(1).and(rs2v.bit(31)), rs2v).asSigned();
    const product = mA.mul(mB);
    const mulOut = mux(f3.eq(0), product.slice(31, 0), product.slice(63, 32));

    const beq = rs1v.eq(rs2v);
    const blt = rs1v.asSigned().lt(rs2v.asSigned());
    const bltu = rs1v.lt(rs2v);
    const taken = isBranch.and(select(f3, [beq, beq.not(), U(0, 1), U(0, 1), blt, blt.not(), bltu, bltu.not()]));
    const jalrTarget = rs1v.add(immI).and(0xffff_fffe);
    const jumpTarget = mux(isJalr, jalrTarget, dPc.add(mux(isJal, immJ, immB)));
    const jumps = isJal.or(isJalr).or(taken);
    const pc4 = dPc.add(4);

    // memory access address and lanes
    const addr = rs1v.add(mux(isStore, immS, immI));
    const off = addr.slice(1, 0);
    const size = f3.slice(1, 0);
    const misaligned = mux(size.eq(2), off.ne(0), mux(size.eq(1), off.bit(0), U(0, 1)));
    const inItcm = inRegion(addr, A.ITCM_BASE, o.itcmBytes);
    const inDtcm = inRegion(addr, A.DTCM_BASE, o.dtcmBytes);
    const inClint = inRegion(addr, A.CLINT_BASE, A.CLINT_SIZE);
    const inBus = inRegion(addr, A.BUS_BASE, A.BUS_SIZE);
    const mapped = inItcm.or(inDtcm).or(inClint).or(inBus);
    const storeData = select(size, [rs2v.slice(7, 0).rep(4), rs2v.slice(15, 0).rep(2), rs2v, rs2v]);
    const lanes = select(size, [U(1, 4), U(3, 4), U(15, 4), U(15, 4)]).shl(off);
    const laneMask = cat(lanes.bit(3).rep(8), lanes.bit(2).rep(8), lanes.bit(1).rep(8), lanes.bit(0).rep(8));
    const merge = (old: Sig) => old.and(laneMask.not()).or(storeData.and(laneMask));

    // ---------------------------------------------------------------------------------------------------------
    // CSRs and the CLINT
    const mstatusMie = this.reg(1);
    const mstatusMpie = this.reg(1);
    const mieReg = this.reg(32);
    const mtvec = this.reg(32);
    const mscratch = this.reg(32);
    const mepc = this.reg(32);
    const mcause = this.reg(32);
    const mtval = this.reg(32);
    const mcycleLo = this.reg(32);
    const mcycleHi = this.reg(32);
    const minstretLo = this.reg(32);
    const minstretHi = this.reg(32);
    this.mcycle = { lo: mcycleLo, hi: mcycleHi };
    this.minstret = { lo: minstretLo, hi: minstretHi };
    const msip = this.reg(1);
    const mtimeLo = this.reg(32);
    const mtimeHi = this.reg(32);
    const mtimecmpLo = this.reg(32, { init: 0xffff_ffff });
    const mtimecmpHi = this.reg(32, { init: 0xffff_ffff });
    const irqSync = this.regNext(this.irq);
    const meipSync = this.regNext(this.meip);
    const mtip = cat(mtimeHi, mtimeLo).ge(cat(mtimecmpHi, mtimecmpLo));

    const mstatusVal = cat(U(0, 19), U(3, 2), U(0, 3), mstatusMpie, U(0, 3), mstatusMie, U(0, 3));
    const mipVal = cat(irqSync, U(0, 4), meipSync, U(0, 3), mtip, U(0, 3), msip, U(0, 3));
    const pending = mipVal.and(mieReg);

    const csrAddr = f12;
    const csrOld = this.wire(32, { default: 0 });
    const csrKnown = this.wire(1, { default: 0 });
    const csrCases: Array<[number, Sig]> = [
      [C.MSTATUS, mstatusVal], [C.MISA, U(DISPATCH_MISA, 32)], [C.MIE, mieReg], [C.MTVEC, mtvec],
      [C.MSCRATCH, mscratch], [C.MEPC, mepc], [C.MCAUSE, mcause], [C.MTVAL, mtval], [C.MIP, mipVal],
      [C.MCYCLE, mcycleLo], [C.MINSTRET, minstretLo], [C.MCYCLEH, mcycleHi], [C.MINSTRETH, minstretHi],
      [C.CYCLE, mcycleLo], [C.TIME, mtimeLo], [C.INSTRET, minstretLo], [C.CYCLEH, mcycleHi], [C.TIMEH, mtimeHi],
      [C.INSTRETH, minstretHi], [C.MVENDORID, U(0, 32)], [C.MARCHID, U(0, 32)], [C.MIMPID, U(0, 32)], [C.MHARTID, U(0, 32)],
    ];
    let sw = switchOn(csrAddr);
    for (const [n, v] of csrCases) {
      sw = sw.is(n, () => {
        csrOld.set(v);
        csrKnown.set(1);
      });
    }
    const csrSrc = mux(f3.bit(2), rs1.zext(32), rs1v);
    const csrWrites = f3.slice(1, 0).eq(1).or(rs1.ne(0));
    const csrNew = select(f3.slice(1, 0), [csrSrc, csrSrc, csrOld.or(csrSrc), csrOld.and(csrSrc.not())]);
    const csrLegal = csrKnown.and(csrWrites.and(csrAddr.slice(11, 10).eq(3)).not());

    const clintOff = addr.slice(15, 0);
    const clintRd = select(clintOff.slice(15, 14), [
      msip.zext(32),
      mux(clintOff.bit(2), mtimecmpHi, mtimecmpLo),
      U(0, 32),
      mux(clintOff.bit(2), mtimeHi, mtimeLo),
    ]);

    // ---------------------------------------------------------------------------------------------------------
    // X: exceptions and interrupts (all taken here, in program order: traps are precise)
    const legal = isLui.or(isAuipc).or(isJal).or(isJalr).or(isBranch).or(isMem).or(isOpImm).or(isAlu).or(isMul).or(isDiv)
      .or(isFence).or(isFenceI).or(isEcall).or(isEbreak).or(isMret).or(isWfi).or(isCsr.and(csrLegal));
    const jumpMisaligned = jumps.and(jumpTarget.bit(1));
    const excCause = this.wire(5, { default: 0 });
    const excTval = this.wire(32, { default: 0 });
    const exc = this.wire(1, { default: 1 });
    when(dFault, () => { excCause.set(1); excTval.set(dPc); })
      .elsewhen(legal.not(), () => { excCause.set(2); excTval.set(insn); })
      .elsewhen(isEcall, () => excCause.set(11))
      .elsewhen(isEbreak, () => { excCause.set(3); excTval.set(dPc); })
      .elsewhen(jumpMisaligned, () => { excCause.set(0); excTval.set(jumpTarget); })
      .elsewhen(isMem.and(misaligned), () => { excCause.set(mux(isStore, U(6, 5), U(4, 5))); excTval.set(addr); })
      .elsewhen(isMem.and(mapped.not()), () => { excCause.set(mux(isStore, U(7, 5), U(5, 5))); excTval.set(addr); })
      .otherwise(() => exc.set(0));

    const exStalled = this.reg(1);
    const intTake = dValid.and(mstatusMie).and(pending.orR()).and(exStalled.not()).and(isWfi.and(dFault.not()).not());
    let localCode: Sig = U(16, 5);
    for (let i = 15; i >= 0; i--) localCode = mux(pending.bit(16 + i), U(16 + i, 5), localCode);
    const intCode = mux(pending.bit(11), U(11, 5), mux(pending.bit(3), U(3, 5), mux(pending.bit(7), U(7, 5), localCode)));
    const trap = dValid.and(intTake.or(exc));
    const trapCode = mux(intTake, intCode, excCause);
    const trapCause = cat(intTake, U(0, 26), trapCode);
    const trapTval = mux(intTake, U(0, 32), excTval);
    const mtvecBase = cat(mtvec.slice(31, 2), U(0, 2));
    const trapVector = mux(mtvec.bit(0).and(intTake), mtvecBase.add(cat(U(0, 25), trapCode, U(0, 2))), mtvecBase);

    // ---------------------------------------------------------------------------------------------------------
    // X: multi-cycle operations and stalls
    const exec = dValid.and(trap.not());
    let mulWait: Sig = U(0, 1);
    if (o.mulLatency > 1) {
      const mulCnt = this.reg(6);
      mulWait = exec.and(isMul).and(mulCnt.ne(o.mulLatency - 1));
      when(mulWait, () => mulCnt.set(mulCnt.add(1))).otherwise(() => mulCnt.set(0));
    }
    div.start.assign(exec.and(isDiv).and(div.idle));
    div.signed.assign(f3.bit(0).not());
    div.rem.assign(f3.bit(1));
    div.a.assign(rs1v);
    div.b.assign(rs2v);
    div.ack.assign(exec.and(isDiv));
    const divWait = exec.and(isDiv).and(div.done.not());
    const busAccess = exec.and(isMem).and(inBus);
    const busWait = busAccess.and(this.bus.ready.not());
    const wfiWait = exec.and(isWfi).and(pending.orR().not());
    exStall.assign(mulWait.or(divWait).or(busWait).or(wfiWait));
    exStalled.set(exStall);
    const retire = exec.and(exStall.not());
    const exDone = dValid.and(exStall.not());

    redirect.assign(exDone.and(trap.or(retire.and(jumps.or(isMret).or(isFenceI)))));
    redirectPc.assign(mux(trap, trapVector, mux(isMret, mepc, mux(isFenceI, pc4, jumpTarget))));

    this.bus.valid.assign(busAccess);
    this.bus.we.assign(isStore);
    this.bus.addr.assign(addr);
    this.bus.wdata.assign(storeData);
    this.bus.be.assign(lanes);

    // ---------------------------------------------------------------------------------------------------------
    // memories: loads read in X (registered: the word is there in W), stores write at the end of X
    const store = retire.and(isStore);
    const loadX = exec.and(isLoad);
    const dtcmRd = dtcm.read(wordIndex(addr, dtcmWords), { en: loadX.and(inDtcm) });
    const itcmRd = itcm.read(wordIndex(addr, itcmWords), { en: loadX.and(inItcm) });
    dtcm.write(wordIndex(addr, dtcmWords), storeData, { en: store.and(inDtcm), mask: lanes });
    itcm.write(wordIndex(addr, itcmWords), storeData, { en: store.and(inItcm), mask: lanes });

    // ---------------------------------------------------------------------------------------------------------
    // CSR and CLINT state updates (a trap wins: it is the last assignment)
    const csrWe = retire.and(isCsr).and(csrWrites);
    const csrW = (n: number) => csrWe.and(csrAddr.eq(n));
    const clintWe = store.and(inClint);
    mcycleLo.set(mcycleLo.add(1));
    when(mcycleLo.andR(), () => mcycleHi.set(mcycleHi.add(1)));
    // an instruction that writes minstret(h) is not counted: what it wrote is what the next instruction reads
    when(retire.and(csrW(C.MINSTRET).or(csrW(C.MINSTRETH)).not()), () => {
      minstretLo.set(minstretLo.add(1));
      when(minstretLo.andR(), () => minstretHi.set(minstretHi.add(1)));
    });
    mtimeLo.set(mtimeLo.add(1));
    when(mtimeLo.andR(), () => mtimeHi.set(mtimeHi.add(1)));
    when(csrW(C.MCYCLE), () => mcycleLo.set(csrNew));
    when(csrW(C.MCYCLEH), () => mcycleHi.set(csrNew));
    when(csrW(C.MINSTRET), () => minstretLo.set(csrNew));
    when(csrW(C.MINSTRETH), () => minstretHi.set(csrNew));
    when(csrW(C.MIE), () => mieReg.set(csrNew.and(0xffff_0888)));
    when(csrW(C.MTVEC), () => mtvec.set(csrNew.and(0xffff_fffd)));
    when(csrW(C.MSCRATCH), () => mscratch.set(csrNew));
    when(csrW(C.MEPC), () => mepc.set(csrNew.and(0xffff_fffc)));
    when(csrW(C.MCAUSE), () => mcause.set(csrNew));
    when(csrW(C.MTVAL), () => mtval.set(csrNew));
    when(csrW(C.MSTATUS), () => {
      mstatusMie.set(csrNew.bit(3));
      mstatusMpie.set(csrNew.bit(7));
    });
    when(clintWe.and(clintOff.eq(0)), () => msip.set(merge(msip.zext(32)).bit(0)));
    when(clintWe.and(clintOff.eq(0x4000)), () => mtimecmpLo.set(merge(mtimecmpLo)));
    when(clintWe.and(clintOff.eq(0x4004)), () => mtimecmpHi.set(merge(mtimecmpHi)));
    when(clintWe.and(clintOff.eq(0xbff8)), () => mtimeLo.set(merge(mtimeLo)));
    when(clintWe.and(clintOff.eq(0xbffc)), () => mtimeHi.set(merge(mtimeHi)));
    when(retire.and(isMret), () => {
      mstatusMie.set(mstatusMpie);
      mstatusMpie.set(1);
    });
    when(trap, () => {
      mepc.set(dPc);
      mcause.set(trapCause);
      mtval.set(trapTval);
      mstatusMpie.set(mstatusMie);
      mstatusMie.set(0);
    });

    // ---------------------------------------------------------------------------------------------------------
    // X -> W
    const writesRd = isLui.or(isAuipc).or(isJal).or(isJalr).or(isLoad).or(isOpImm).or(isAlu).or(isMul).or(isDiv).or(isCsr);
    const result = this.wire(32, { default: aluOut });
    when(isLui, () => result.set(immU))
      .elsewhen(isAuipc, () => result.set(dPc.add(immU)))
      .elsewhen(isJal.or(isJalr), () => result.set(pc4))
      .elsewhen(isMul, () => result.set(mulOut))
      .elsewhen(isDiv, () => result.set(div.result))
      .elsewhen(isCsr, () => result.set(csrOld))
      .elsewhen(isLoad, () => result.set(mux(inBus, this.bus.rdata, clintRd)));
    wValid.set(exDone);
    wTrap.set(trap);
    wPc.set(dPc);
    wInsn.set(mux(dFault, U(0, 32), insn));
    wRd.set(mux(retire.and(writesRd), rd, U(0, 5)));
    wResult.set(result);
    wLoad.set(retire.and(isLoad));
    wLoadSel.set(mux(inDtcm, U(0, 2), mux(inItcm, U(1, 2), U(2, 2))));
    wF3.set(f3);
    wOff.set(off);
    wCause.set(trapCause);
    wMemWe.set(store);
    wMemAddr.set(addr);
    wMemWdata.set(storeData);
    wMemBe.set(lanes);

    // ---------------------------------------------------------------------------------------------------------
    // W: load alignment, register write
    const word = select(wLoadSel, [dtcmRd, itcmRd, wResult]);
    const shifted = word.shr(cat(wOff, U(0, 3)));
    const loadVal = select(wF3, [
      shifted.slice(7, 0).sext(32), shifted.slice(15, 0).sext(32), word, word,
      shifted.slice(7, 0).zext(32), shifted.slice(15, 0).zext(32), word, word,
    ]);
    wData.assign(mux(wLoad, loadVal, wResult));
    rf.write(wRd, wData, { en: wRd.ne(0) });

    this.trace.valid.assign(wValid);
    this.trace.trap.assign(wTrap);
    this.trace.pc.assign(wPc);
    this.trace.insn.assign(wInsn);
    this.trace.rd.assign(wRd);
    this.trace.rdData.assign(mux(wRd.ne(0), wData, U(0, 32)));
    this.trace.cause.assign(wCause);
    this.trace.memWe.assign(wMemWe);
    this.trace.memAddr.assign(wMemAddr);
    this.trace.memWdata.assign(wMemWdata);
    this.trace.memBe.assign(wMemBe);
  }
}
