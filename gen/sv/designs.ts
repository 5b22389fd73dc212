// Small designs for the SystemVerilog backend's tests: together they use every node kind (widths 1..200, signed
// and unsigned), registers of every reset kind, memories with byte and bit masks, both read-during-write modes,
// initial contents (inline and $readmemh), several clock domains, and a hierarchy with shared and parameterised
// definitions. lint.test.ts runs the tools on them; equiv.test.ts compares them cycle by cycle with the simulator.
import {
  ClockDomain, Module, S, U, cat, mux, select, switchOn, when, withDomain,
  type Input, type Output, type Sig,
} from '../../rtl/core/index.ts';
import { Fifo } from '../../rtl/lib/fifo.ts';
import { AsyncFifo } from '../../rtl/lib/async-fifo.ts';
import { RoundRobinArbiter } from '../../rtl/lib/arbiter.ts';
import { Counter, UpDownCounter } from '../../rtl/lib/counter.ts';
import { SkidBuffer } from '../../rtl/lib/stream.ts';

/** Every operator, on widths from 1 to 200, signed and unsigned. Purely combinational. */
export class Ops extends Module {
  a = this.input(8);
  b = this.input(8);
  sa = this.input(8, { signed: true });
  sb = this.input(8, { signed: true });
  n5 = this.input(5);
  sh = this.input(4);
  c = this.input(1);
  d = this.input(1);
  wa = this.input(200);
  wb = this.input(200);
  x70 = this.input(70, { signed: true });
  y65 = this.input(65, { signed: true });
  u33 = this.input(33);
  v31 = this.input(31);
  sh9 = this.input(9);
  sel2 = this.input(2);
  r: Record<string, Output> = {};

  constructor() {
    super();
    const { a, b, sa, sb, n5, sh, c, d, wa, wb, x70, y65, u33, v31, sh9 } = this;
    const o = (name: string, s: Sig) => {
      const out = this.output(s.width, { signed: s.signed, name: `r_${name}` });
      out.assign(s);
      this.r[name] = out;
    };
    // arithmetic
    o('add8', a.add(b));
    o('add1', c.add(d));
    o('add33', u33.add(u33.xor(U(0x1_2345_6789, 33))));
    o('add200', wa.add(wb));
    o('sadd8', sa.add(sb));
    o('sub8', a.sub(b));
    o('sub200', wa.sub(wb));
    o('ssub70', x70.sub(x70.sra(3)));
    o('addc8', a.addc(b));
    o('ssubc8', sa.subc(sb));
    o('neg8', sa.neg());
    o('mul8', a.mul(b));
    o('smul8', sa.mul(sb));
    o('sumul', sa.mul(n5));
    o('usmul', n5.mul(sb));
    o('mulk', sa.mul(S(-3, 4)));
    o('mul1', c.mul(d));
    o('mul64', u33.mul(v31));
    o('smul78', x70.mul(sb));
    o('smul73', y65.mul(a));
    o('mul80', wa.trunc(72).mul(b));
    // bitwise
    o('and8', a.and(b));
    o('or200', wa.or(wb));
    o('xor70', x70.xor(x70.shl(1)));
    o('not8', a.not());
    o('not1', c.not());
    o('not200', wa.not());
    o('xork', wa.xor(U((1n << 199n) | 12345n, 200)));
    // shifts by constants (including >= width) and by signals (including wide amounts)
    o('shl3', a.shl(3));
    o('shr7', a.shr(7));
    o('shl8', a.shl(8));
    o('shr9', a.shr(9));
    o('sra2', sa.sra(2));
    o('sra10', sa.sra(10));
    o('shl100', wa.shl(100));
    o('shr37', wa.shr(37));
    o('sra199', wa.sra(199));
    o('shlv', a.shl(sh));
    o('shrv', a.shr(sh));
    o('srav', sa.sra(sh));
    o('wshlv', wa.shl(sh9));
    o('wshrv', wa.shr(sh9));
    o('wsrav', x70.sra(sh9));
    o('shlwide', a.shl(wb));
    o('srawide', sa.sra(wb));
    // comparisons
    o('eq8', a.eq(b));
    o('ne200', wa.ne(wb));
    o('lt8', a.lt(b));
    o('le8', a.le(b));
    o('gt8', a.gt(b));
    o('ge8', a.ge(b));
    o('slt8', sa.lt(sb));
    o('sle8', sa.le(sb));
    o('sgt8', sa.gt(sb));
    o('sge70', x70.ge(x70.sra(1).xor(S(5, 70))));
    o('lt200', wa.lt(wb));
    o('slt65', y65.lt(x70.trunc(65)));
    o('eq1', c.eq(d));
    o('ltk', a.lt(200));
    // bits
    o('cat3', cat(a, c, sa));
    o('cat208', cat(wa, a));
    o('rep5', c.rep(5));
    o('rep3', a.rep(3));
    o('slice', a.slice(5, 2));
    o('slicew', wa.slice(150, 20));
    o('bit199', wa.bit(199));
    o('sliceSlice', wa.slice(150, 20).slice(40, 10));
    o('sliceExpr', a.add(b).slice(7, 4));
    const p = a.mul(b);
    o('pHi', p.slice(15, 8));
    o('pMid', p.slice(11, 4));
    o('truncS', sa.trunc(4));
    o('sliceConst', U(0xabcd, 16).slice(11, 4));
    // muxes and selects
    o('mux8', mux(c, a, b));
    o('mux200', mux(d, wa, wb));
    o('smux', mux(c, sa, sb).lt(0));
    o('select', select(this.sel2, [a, b, a.not(), b.add(1)]));
    // reductions
    o('andR8', a.andR());
    o('orR200', wa.orR());
    o('xorR200', wa.xorR());
    o('andR1', c.andR());
    o('xorR70', x70.xorR());
    o('andRExpr', a.or(b).andR());
    // extensions and casts
    o('zext20', a.zext(20));
    o('sext20', sa.sext(20));
    o('usext12', a.sext(12));
    o('resize100', sa.resize(100));
    o('sextExpr', sa.add(sb).sext(12));
    o('castLt', a.asSigned().lt(sb));
    o('castULt', sa.asUnsigned().lt(b));
    o('zext71', x70.asUnsigned().zext(71));
    // a shared expression, a procedural wire and a switch
    const s = a.add(b);
    o('shared1', s.xor(a));
    o('shared2', s.and(b).or(s.shr(1)));
    const pw = this.wire(8, { default: 0 });
    when(c, () => pw.set(a)).elsewhen(d, () => pw.set(b));
    o('pwire', pw);
    const sw = this.wire(8, { default: U(0xff, 8) });
    switchOn(this.sel2)
      .is(0, () => sw.set(a))
      .is([1, 2], () => sw.set(b.xor(a)))
      .default(() => sw.set(sa.asUnsigned()));
    o('switch', sw);
  }
}

/** Registers: synchronous, asynchronous and no reset, enables, if/else chains, wide and signed state, an FSM. */
export class Regs extends Module {
  en = this.input(1);
  go = this.input(1);
  stop = this.input(1);
  din = this.input(16);
  sdin = this.input(12, { signed: true });
  qSync = this.output(16);
  qAsync = this.output(16);
  qNone = this.output(16);
  qWide = this.output(200);
  qAcc = this.output(20, { signed: true });
  qState = this.output(2);
  qPipe = this.output(4);
  qHold = this.output(4);
  qKeep = this.output(8);
  qMixed = this.output(8);
  busy = this.output(1);

  constructor() {
    super();
    const { en, go, stop, din, sdin } = this;
    const sync = this.reg(16, { init: 0x1234, reset: 'sync' });
    when(go, () => sync.set(din)).elsewhen(stop, () => sync.set(sync.add(1)));
    const asyncR = this.reg(16, { init: 0xbeef, reset: 'async', en });
    asyncR.set(asyncR.xor(din).add(1));
    const none = this.reg(16, { reset: 'none' });
    none.set(din.add(none));
    const wide = this.reg(200, { init: (1n << 199n) | 5n });
    wide.set(cat(wide.slice(198, 0), wide.bit(199).xor(wide.bit(3))).xor(din.zext(200)));
    const acc = this.reg(20, { signed: true, init: -5, reset: 'async' });
    when(en, () => acc.set(acc.add(sdin.sext(20))));
    const fsm = this.fsm(['IDLE', 'RUN', 'DONE'] as const);
    fsm.on({
      IDLE: () => when(go, () => fsm.goto('RUN')),
      RUN: () => when(stop, () => fsm.goto('DONE')),
      DONE: () => fsm.goto('IDLE'),
    });
    const pipe = this.regNext(din.slice(3, 0), { reset: 'none' });
    const hold = this.reg(4, { init: 9 });
    const keep = this.reg(8, { init: 3 });
    keep.set(mux(en, keep, din.slice(15, 8)));
    const mixed = this.reg(8, { en: go });
    when(stop, () => mixed.set(din.trunc(8))).otherwise(() => mixed.set(mixed.sub(1)));
    this.qSync.assign(sync);
    this.qAsync.assign(asyncR);
    this.qNone.assign(none);
    this.qWide.assign(wide);
    this.qAcc.assign(acc);
    this.qState.assign(fsm.state);
    this.qPipe.assign(pipe);
    this.qHold.assign(hold);
    this.qKeep.assign(keep);
    this.qMixed.assign(mixed);
    this.busy.assign(fsm.is('RUN'));
  }
}

/** Memories: byte and bit masks, 'old' and 'new', initial contents, odd depths, wide words, several write ports. */
export class Mems extends Module {
  wa4 = this.input(4);
  ra4 = this.input(4);
  ra5 = this.input(5);
  ra3 = this.input(3);
  ra10 = this.input(10);
  we = this.input(1);
  re = this.input(1);
  we2 = this.input(1);
  be4 = this.input(4);
  be9 = this.input(9);
  bits12 = this.input(12);
  d32 = this.input(32);
  d72 = this.input(72);
  q1 = this.output(32);
  q1a = this.output(32);
  q2 = this.output(12);
  q2a = this.output(12);
  q3 = this.output(72);
  q4 = this.output(16);
  q4a = this.output(16);
  q5 = this.output(8);
  q6 = this.output(8);
  q6a = this.output(8);

  constructor() {
    super();
    const { wa4, ra4, ra5, ra3, ra10, we, re, we2, be4, be9, bits12, d32, d72 } = this;
    // 16 x 32, byte enables, read-during-write old
    const m1 = this.memory({ depth: 16, width: 32 });
    m1.write(wa4, d32, { en: we, mask: be4 });
    this.q1.assign(m1.read(ra4, { en: re }));
    this.q1a.assign(m1.readAsync(ra4));
    // 10 x 12 (not a power of two), bit mask, new, initial contents; addresses wider and narrower than 4 bits
    const m2 = this.memory({ depth: 10, width: 12, readDuringWrite: 'new', init: (i) => (i * 37 + 1) & 0xfff });
    m2.write(wa4, d32.trunc(12).add(1), { en: we, mask: bits12 });
    this.q2.assign(m2.read(ra5));
    this.q2a.assign(m2.readAsync(ra3));
    // 6 x 72, nine byte lanes, two write ports (the later one wins), new, partial initial contents
    const m3 = this.memory({ depth: 6, width: 72, readDuringWrite: 'new', init: [1n, 2n, (1n << 71n) | 3n] });
    m3.write(wa4.trunc(3), d72, { en: we, mask: be9 });
    when(we2, () => m3.write(ra4.trunc(3), d72.not()));
    this.q3.assign(m3.read(ra4, { en: re }));
    // a 600-word ROM: big enough for $readmemh
    const rom = this.memory({ depth: 600, width: 16, init: (i) => (i * 2654435761) % 65536 });
    this.q4.assign(rom.read(ra10));
    this.q4a.assign(rom.readAsync(ra10.trunc(9)));
    // one word, new
    const m5 = this.memory({ depth: 1, width: 8, readDuringWrite: 'new' });
    m5.write(U(0, 1), d32.slice(15, 8), { en: we2 });
    this.q5.assign(m5.read(U(0, 1)));
    // 5 x 8, old, write under when
    const m6 = this.memory({ depth: 5, width: 8 });
    when(we.and(re.not()), () => m6.write(ra3, d32.trunc(8).xor(0x5a)));
    this.q6.assign(m6.read(ra3));
    this.q6a.assign(m6.readAsync(wa4.trunc(3)));
  }
}

// Two clocks whose rising edges coincide every 17 fast cycles: at those instants every register and read port
// samples before any memory write, in the simulator as in the SV (a memory written in one domain, read in the other).
export const fastDomain = new ClockDomain('fast', { periodPs: 1000, clockName: 'clk_fast', resetName: 'rst_fast' });
export const slowDomain = new ClockDomain('slow', { periodPs: 1700, reset: 'async', clockName: 'clk_slow', resetName: 'rst_slow' });

/** An accumulator, parameterised by width; used in several places. */
export class Acc extends Module {
  d: Input;
  en = this.input(1);
  q: Output;
  constructor(readonly width: number) {
    super();
    this.d = this.input(width);
    this.q = this.output(width);
    const acc = this.reg(width);
    when(this.en, () => acc.set(acc.add(this.d)));
    this.q.assign(acc);
  }
}

/** Purely combinational child. */
export class Adder extends Module {
  a = this.input(8);
  b = this.input(8);
  y = this.output(9);
  constructor() {
    super();
    this.y.assign(this.a.addc(this.b));
  }
}

/** A child with two identical grandchildren. */
export class Pair extends Module {
  x = this.input(8);
  go = this.input(1);
  sum = this.output(8);
  left = new Acc(8);
  right = new Acc(8);
  constructor() {
    super();
    this.left.d.assign(this.x);
    this.left.en.assign(this.go);
    this.right.d.assign(this.x.not());
    this.right.en.assign(this.go.not());
    this.sum.assign(this.left.q.xor(this.right.q));
  }
}

/** Hierarchy: two identical instances, two parameterisations, one in another domain, nesting, port reads. */
export class Hier extends Module {
  x = this.input(8);
  y = this.input(16);
  go = this.input(1);
  out8 = this.output(8);
  out16 = this.output(16);
  outSlow = this.output(8);
  outPair = this.output(8);
  outAdd = this.output(9);
  echo = this.output(8);
  u0 = new Acc(8);
  u1 = new Acc(8);
  u2 = new Acc(16);
  uSlow = withDomain(slowDomain, () => new Acc(8));
  pair = new Pair();
  add = new Adder();

  constructor() {
    super();
    this.u0.d.assign(this.x);
    this.u0.en.assign(this.go);
    this.u1.d.assign(this.x.add(3));
    this.u1.en.assign(U(1, 1));
    this.u2.d.assign(this.y);
    this.u2.en.assign(this.go);
    this.uSlow.d.assign(this.x.xor(0x0f));
    this.uSlow.en.assign(this.go);
    this.pair.x.assign(this.u0.q);
    this.pair.go.assign(this.go);
    this.add.a.assign(this.u0.q);
    this.add.b.assign(this.u1.q);
    this.out8.assign(this.u0.q.add(this.u1.q));
    this.out16.assign(this.u2.q);
    this.outSlow.assign(this.uSlow.q);
    this.outPair.assign(this.pair.sum);
    this.outAdd.assign(this.add.y);
    // the parent reads its children's inputs too
    this.echo.assign(this.u1.d.xor(this.add.b));
  }
}

/** Two clock domains: counters, a synchronizer, a memory written in one and read in the other. */
export class MultiClock extends Module {
  din = this.input(8);
  we = this.input(1);
  wa = this.input(3);
  ra = this.input(3);
  qFast = this.output(8);
  qSlow = this.output(8);
  qSync = this.output(8);
  qMem = this.output(8);
  qMemA = this.output(8);
  qDual = this.output(8);

  constructor() {
    super();
    const cf = this.reg(8, { domain: fastDomain });
    cf.set(cf.add(this.din));
    const cs = this.reg(8, { domain: slowDomain, init: 7 });
    cs.set(cs.xor(this.din).add(1));
    const meta = this.reg(8, { domain: slowDomain, cdc: true, reset: 'none' });
    meta.set(cf);
    const sync = this.reg(8, { domain: slowDomain });
    sync.set(meta);
    const mem = this.memory({ depth: 8, width: 8 });
    mem.write(this.wa, this.din, { en: this.we, domain: fastDomain });
    this.qMem.assign(mem.read(this.ra, { domain: slowDomain }));
    this.qMemA.assign(mem.readAsync(this.ra));
    // written from both clocks (at even and odd words, so writes at a shared instant never race)
    const dual = this.memory({ depth: 8, width: 8 });
    dual.write(cat(this.wa.trunc(2), U(0, 1)), this.din, { en: this.we, domain: fastDomain });
    dual.write(cat(this.ra.trunc(2), U(1, 1)), cs, { domain: slowDomain });
    this.qDual.assign(dual.readAsync(this.ra.xor(this.wa)));
    this.qFast.assign(cf);
    this.qSlow.assign(cs);
    this.qSync.assign(sync);
  }
}

/** Library blocks side by side: FIFOs (one dual-clock), an arbiter, counters, a skid buffer. */
export class Lib extends Module {
  inValid = this.input(1);
  inData = this.input(8);
  outReady = this.input(1);
  req = this.input(5);
  ack = this.input(1);
  en = this.input(1);
  fifoOut = this.output(10);
  fifoCount = this.output(3);
  afifoOut = this.output(9);
  grant = this.output(5);
  count = this.output(7);
  updown = this.output(12);
  skidOut = this.output(17);
  fifo = new Fifo(8, 5);
  afifo = new AsyncFifo(8, 2, fastDomain, slowDomain);
  arb = new RoundRobinArbiter(5);
  counter = new Counter(7, { max: 100 });
  ud = new UpDownCounter(12);
  skid = new SkidBuffer(16);

  constructor() {
    super();
    const { fifo, afifo, arb, counter, ud, skid } = this;
    fifo.in.valid.assign(this.inValid);
    fifo.in.data.assign(this.inData);
    fifo.out.ready.assign(this.outReady);
    this.fifoOut.assign(cat(fifo.in.ready, fifo.out.valid, fifo.out.data));
    this.fifoCount.assign(fifo.count);
    afifo.in.valid.assign(this.inValid);
    afifo.in.data.assign(this.inData.not());
    afifo.out.ready.assign(this.outReady);
    this.afifoOut.assign(cat(afifo.out.valid, afifo.out.data));
    arb.req.assign(this.req);
    arb.ack.assign(this.ack);
    this.grant.assign(arb.grant);
    counter.en.assign(this.en);
    counter.clear.assign(this.ack.and(this.req.bit(0)));
    counter.load.assign(this.req.bit(1).and(this.req.bit(2)));
    counter.loadValue.assign(this.inData.trunc(7));
    this.count.assign(counter.count);
    ud.en.assign(this.en);
    ud.up.assign(this.req.bit(3));
    ud.clear.assign(U(0, 1));
    ud.load.assign(this.ack.and(this.req.bit(4)));
    ud.loadValue.assign(cat(this.inData, this.req.trunc(4)));
    this.updown.assign(ud.count);
    skid.in.valid.assign(this.inValid);
    skid.in.data.assign(cat(this.inData, this.inData.not()));
    skid.out.ready.assign(this.outReady);
    this.skidOut.assign(cat(skid.out.valid, skid.out.data));
  }
}

/** A child whose second output nobody reads. */
export class Splitter extends Module {
  v = this.input(6);
  lo = this.output(3);
  hi = this.output(3);
  constructor() {
    super();
    this.lo.assign(this.v.slice(2, 0));
    this.hi.assign(this.v.slice(5, 3));
  }
}

/** Corners of naming and of what the netlist may hold: keyword names, unread bits, write-only memory, constants. */
export class Corners extends Module {
  do = this.input(4);
  class = this.input(1);
  final = this.output(4);
  new = this.output(3);
  din = this.input(16);
  k = this.output(8);
  frozen = this.output(4);
  split = new Splitter();
  module = new Acc(4);

  constructor() {
    super();
    const logic = this.wire(4, { name: 'logic' });
    logic.assign(this.do.xor(this.din.slice(3, 0)));
    const reg = this.reg(4, { name: 'reg' });
    reg.set(logic);
    const odd = this.wire(4).named('my sig$1');
    odd.assign(reg.add(1));
    this.final.assign(mux(this.class, odd, reg));
    this.split.v.assign(cat(this.din.slice(7, 6), this.do));
    this.new.assign(this.split.lo);
    this.module.d.assign(this.do);
    this.module.en.assign(this.class);
    this.k.assign(U(0xa5, 8));
    const never = this.reg(4, { reset: 'none' });
    this.frozen.assign(never.xor(this.module.q));
    const log = this.memory({ depth: 4, width: 4 });
    log.write(this.do.trunc(2), logic, { en: this.class });
  }
}

export interface TestDesign {
  readonly name: string;
  make(): Module;
}

export const designs: readonly TestDesign[] = [
  { name: 'Ops', make: () => new Ops() },
  { name: 'Regs', make: () => new Regs() },
  { name: 'Mems', make: () => new Mems() },
  { name: 'Hier', make: () => new Hier() },
  { name: 'MultiClock', make: () => new MultiClock() },
  { name: 'Lib', make: () => new Lib() },
  { name: 'Corners', make: () => new Corners() },
];
