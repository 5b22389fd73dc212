// Identifier rules for the SystemVerilog backend: SV keywords (IEEE 1800-2017 annex B), the C++ words Verilator
// warns about (SYMRSVDWORD, since it turns every SV name into a C++ member), characters SV does not allow, and a
// per-module namespace that keeps names unique. Names are only changed when they must be: a keyword gets a `_`
// suffix, an illegal character becomes `_`, a clash gets `_1`, `_2`...

const SV_KEYWORDS = `accept_on alias always always_comb always_ff always_latch and assert assign assume automatic before
begin bind bins binsof bit break buf bufif0 bufif1 byte case casex casez cell chandle checker class clocking cmos
config const constraint context continue cover covergroup coverpoint cross deassign default defparam design disable
dist do edge else end endcase endchecker endclass endclocking endconfig endfunction endgenerate endgroup endinterface
endmodule endpackage endprimitive endprogram endproperty endspecify endsequence endtable endtask enum event eventually
expect export extends extern final first_match for force foreach forever fork forkjoin function generate genvar
global highz0 highz1 if iff ifnone ignore_bins illegal_bins implements implies import incdir include initial inout
input inside instance int integer interconnect interface intersect join join_any join_none large let liblist library
local localparam logic longint macromodule matches medium modport module nand negedge nettype new nexttime nmos nor
noshowcancelled not notif0 notif1 null or output package packed parameter pmos posedge primitive priority program
property protected pull0 pull1 pulldown pullup pulsestyle_ondetect pulsestyle_onevent pure rand randc randcase
randsequence rcmos real realtime ref reg reject_on release repeat restrict return rnmos rpmos rtran rtranif0 rtranif1
s_always s_eventually s_nexttime s_until s_until_with scalared sequence shortint shortreal showcancelled signed small
soft solve specify specparam static string strong strong0 strong1 struct super supply0 supply1 sync_accept_on
sync_reject_on table tagged task this throughout time timeprecision timeunit tran tranif0 tranif1 tri tri0 tri1 triand
trior trireg type typedef union unique unique0 unsigned until until_with untyped use uwire var vectored virtual void
wait wait_order wand weak weak0 weak1 while wildcard wire with within wor xnor xor`;

/** C++ words: Verilator would rename them and warn (SYMRSVDWORD). */
const CXX_KEYWORDS = `alignas alignof and_eq asm auto bitand bitor bool catch char char8_t char16_t char32_t compl
concept consteval constexpr constinit const_cast co_await co_return co_yield decltype delete double dynamic_cast
explicit false float friend goto inline long mutable namespace noexcept not_eq nullptr operator or_eq private public
register reinterpret_cast requires short sizeof static_assert static_cast switch template thread_local throw true try
typeid typename using volatile wchar_t xor_eq NULL`;

export const RESERVED: ReadonlySet<string> = new Set([...SV_KEYWORDS.split(/\s+/), ...CXX_KEYWORDS.split(/\s+/)].filter(Boolean));

/** A legal SV identifier for `name`: invalid characters become `_`, a leading digit or `$` gets `_`, keywords a `_` suffix. */
export function legalName(name: string): string {
  let n = name.replace(/[^A-Za-z0-9_$]/g, '_');
  if (n === '') n = '_';
  if (/^[0-9$]/.test(n)) n = `_${n}`;
  if (RESERVED.has(n)) n = `${n}_`;
  return n;
}

/** Names used in one SV scope (a module: ports, signals, instances share it). */
export class Namespace {
  private readonly taken = new Set<string>();

  has(name: string): boolean {
    return this.taken.has(name);
  }

  /** Claim exactly `name` (already legal); false if it is taken. */
  claim(name: string): boolean {
    if (this.taken.has(name)) return false;
    this.taken.add(name);
    return true;
  }

  /** A fresh name: `base` legalised, with `_1`, `_2`... appended while taken. */
  fresh(base: string): string {
    const b = legalName(base);
    let n = b;
    for (let i = 1; this.taken.has(n) || RESERVED.has(n); i++) n = `${b}_${i}`;
    this.taken.add(n);
    return n;
  }
}

/** The C++ member name Verilator gives an SV identifier (it encodes `__` as `___05F`). */
export function verilatorName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if (/[A-Za-z]/.test(c) || (i > 0 && /[0-9]/.test(c))) out += c;
    else if (c === '_') {
      if (name[i + 1] === '_') {
        out += '___05F';
        i++;
      } else out += '_';
    } else out += `__0${c.charCodeAt(0).toString(16).toUpperCase()}`;
  }
  return out;
}
