// The dispatch core's benchmark program (integer, memory and branch heavy), in assembly for our assembler, with
// its expected results computed here in plain TypeScript: an LCG fills 256 words; insertion sort; a sieve of
// Eratosthenes over 2048 bytes; bitwise CRC-32 over 512 bytes; an 8x8 matrix product; a 64-bit-style checksum with
// divisions. Each kernel's result is checked by the program itself (tohost = 1 when all match).
import { program } from './harness.ts';

const N_SORT = 256;
const N_SIEVE = 2048;
const N_CRC = 512;
const N_MAT = 8;

function lcg(seed: number, n: number): number[] {
  const out: number[] = [];
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out.push(x);
  }
  return out;
}

/** Expected results of each kernel. */
export function benchmarkExpected(): Record<string, number> {
  const words = lcg(1, N_SORT).map((v) => v | 0);
  const sorted = [...words].sort((a, b) => a - b);
  let sortSum = 0;
  for (let i = 0; i < N_SORT; i++) sortSum = (Math.imul(sortSum, 31) + sorted[i]!) | 0;
  const sieve = new Uint8Array(N_SIEVE);
  let primes = 0;
  for (let i = 2; i < N_SIEVE; i++) {
    if (sieve[i]) continue;
    primes++;
    for (let j = i + i; j < N_SIEVE; j += i) sieve[j] = 1;
  }
  let crc = 0xffffffff;
  for (let i = 0; i < N_CRC; i++) {
    crc ^= i & 0xff;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  crc = ~crc >>> 0;
  const a = lcg(7, N_MAT * N_MAT).map((v) => (v >>> 16) & 0xff);
  const b = lcg(9, N_MAT * N_MAT).map((v) => (v >>> 16) & 0xff);
  let mat = 0;
  for (let i = 0; i < N_MAT; i++)
    for (let j = 0; j < N_MAT; j++) {
      let s = 0;
      for (let k = 0; k < N_MAT; k++) s = (s + Math.imul(a[i * N_MAT + k]!, b[k * N_MAT + j]!)) | 0;
      mat = (mat ^ s) + i;
      mat |= 0;
    }
  let dsum = 0;
  for (let i = 1; i <= 64; i++) dsum = (dsum + Math.floor(1_000_003 / i) + (1_000_003 % i)) | 0;
  return { sortSum: sortSum >>> 0, primes, crc, mat: mat >>> 0, dsum: dsum >>> 0 };
}

export function benchmarkSource(): string {
  const e = benchmarkExpected();
  const body = `
  # ---- fill: LCG into words[]
  li gp, 1
  la s0, words
  li s1, ${N_SORT}
  li t0, 1
  li t1, 1664525
  li t2, 1013904223
  mv t3, s0
1:
  mul t0, t0, t1
  add t0, t0, t2
  sw t0, 0(t3)
  addi t3, t3, 4
  addi s1, s1, -1
  bnez s1, 1b
  # ---- insertion sort (signed)
  li s1, 1
  li s2, ${N_SORT}
2:
  slli t0, s1, 2
  add t0, s0, t0
  lw t1, 0(t0)
  mv t2, s1
3:
  beqz t2, 4f
  lw t3, -4(t0)
  ble t3, t1, 4f
  sw t3, 0(t0)
  addi t0, t0, -4
  addi t2, t2, -1
  j 3b
4:
  sw t1, 0(t0)
  addi s1, s1, 1
  blt s1, s2, 2b
  # checksum of the sorted words
  li a0, 0
  mv t0, s0
  li s1, ${N_SORT}
  li t2, 31
5:
  lw t1, 0(t0)
  mul a0, a0, t2
  add a0, a0, t1
  addi t0, t0, 4
  addi s1, s1, -1
  bnez s1, 5b
  li t6, ${e.sortSum | 0}
  beq a0, t6, 6f
  j fail
6:
  # ---- sieve of Eratosthenes over bytes
  li gp, 2
  la s0, sieve
  li s2, ${N_SIEVE}
  li s1, 2
  li a0, 0
7:
  add t0, s0, s1
  lbu t1, 0(t0)
  bnez t1, 9f
  addi a0, a0, 1
  add t2, s1, s1
  li t4, 1
8:
  bge t2, s2, 9f
  add t3, s0, t2
  sb t4, 0(t3)
  add t2, t2, s1
  j 8b
9:
  addi s1, s1, 1
  blt s1, s2, 7b
  li t6, ${e.primes}
  beq a0, t6, 10f
  j fail
10:
  # ---- bitwise CRC-32 over the bytes 0, 1, 2, ... (mod 256)
  li gp, 3
  li a0, -1
  li s1, 0
  li s2, ${N_CRC}
  li t5, 0xedb88320
11:
  andi t0, s1, 0xff
  xor a0, a0, t0
  li t1, 8
12:
  andi t2, a0, 1
  srli a0, a0, 1
  beqz t2, 13f
  xor a0, a0, t5
13:
  addi t1, t1, -1
  bnez t1, 12b
  addi s1, s1, 1
  blt s1, s2, 11b
  not a0, a0
  li t6, ${e.crc | 0}
  beq a0, t6, 14f
  j fail
14:
  # ---- 8x8 matrix product of LCG bytes
  li gp, 4
  la s0, mata
  la s1, matb
  li s3, 0
  li s4, 0
  li a0, 0
15:
  li s5, 0
16:
  li t0, 0
  li s6, 0
  slli t1, s4, 5
  add t1, s0, t1
  slli t2, s5, 2
  add t2, s1, t2
17:
  lw t3, 0(t1)
  lw t4, 0(t2)
  mul t3, t3, t4
  add t0, t0, t3
  addi t1, t1, 4
  addi t2, t2, 32
  addi s6, s6, 1
  li t6, ${N_MAT}
  blt s6, t6, 17b
  xor a0, a0, t0
  add a0, a0, s4
  addi s5, s5, 1
  blt s5, t6, 16b
  addi s4, s4, 1
  blt s4, t6, 15b
  li t6, ${e.mat | 0}
  beq a0, t6, 18f
  j fail
18:
  # ---- divisions
  li gp, 5
  li a0, 0
  li s1, 1
  li s2, 65
  li s3, 1000003
19:
  divu t0, s3, s1
  remu t1, s3, s1
  add a0, a0, t0
  add a0, a0, t1
  addi s1, s1, 1
  blt s1, s2, 19b
  li t6, ${e.dsum | 0}
  beq a0, t6, 20f
  j fail
20:
`;
  const a = lcg(7, N_MAT * N_MAT).map((v) => (v >>> 16) & 0xff);
  const b = lcg(9, N_MAT * N_MAT).map((v) => (v >>> 16) & 0xff);
  const data = `
  .align 4
words: .space ${4 * N_SORT}
sieve: .space ${N_SIEVE}
  .align 4
mata: .word ${a.join(', ')}
matb: .word ${b.join(', ')}
`;
  return program(body, data);
}
