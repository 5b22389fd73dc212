# Assembler cross-check corpus: every instruction form and pseudo-instruction the assembler supports. tb/rv/asm.test.ts
# assembles it with ours and (when installed) with GNU as + ld, and compares the words; corpus.gas.hex holds the
# words GNU produced (as -march=rv32im_zicsr_zifencei -mno-relax; ld --no-relax -Ttext=0x80000000).
  .text
  .globl _start
_start:
  add a0, a1, a2
  sub s0, s1, t0
  sll x31, x30, x29
  slt t1, t2, t3
  sltu a3, a4, a5
  xor ra, sp, gp
  srl tp, s2, s3
  sra s4, s5, s6
  or s7, s8, s9
  and s10, s11, t4
  mul a0, a1, a2
  mulh a3, a4, a5
  mulhsu a6, a7, s2
  mulhu t3, t4, t5
  div a0, a0, a1
  divu a2, a3, a4
  rem a5, a6, a7
  remu t0, t1, t2
  addi a0, a1, -2048
  addi a0, a1, 2047
  slti a2, a3, -1
  sltiu a4, a5, 100
  xori a6, a7, -1
  ori t0, t1, 0x555
  andi t2, t3, 0xff
  slli a0, a0, 31
  srli a1, a1, 1
  srai a2, a2, 17
  lui a0, 0x12345
  lui a1, 0xfffff
  auipc a2, 0x10
  lb a0, -1(a1)
  lh a2, 2(a3)
  lw a4, 2044(sp)
  lbu a5, 0(a6)
  lhu a7, -2048(s0)
  sb a0, 1(sp)
  sh a1, -2(s1)
  sw a2, 2047(s2)
1:
  beq a0, a1, 1b
  bne a2, a3, 2f
  blt a4, a5, 1b
  bge a6, a7, 2f
  bltu t0, t1, 1b
  bgeu t2, t3, 2f
2:
  jal ra, 1b
  jal zero, 2b
  jalr ra, 0(a0)
  jalr zero, 12(t0)
  fence
  fence rw, rw
  fence.i
  ecall
  ebreak
  mret
  wfi
  csrrw a0, mscratch, a1
  csrrs a2, mstatus, zero
  csrrc a3, mie, a4
  csrrwi a5, mtvec, 31
  csrrsi a6, mepc, 1
  csrrci a7, mcause, 0
  csrr t0, mhartid
  csrw mtvec, t1
  csrs mie, t2
  csrc mip, t3
  csrwi mscratch, 5
  csrsi mstatus, 8
  csrci mstatus, 8
  rdcycle a0
  rdcycleh a1
  rdinstret a2
  rdtime a3
  nop
  li a0, 0
  li a1, -1
  li a2, 2047
  li a3, -2048
  li a4, 0x12345678
  li a5, 0x80000000
  li a6, 0x1000
  li a7, -4096
  li t0, 0x7ffff800
  mv a0, a1
  not a2, a3
  neg a4, a5
  seqz a6, a7
  snez t0, t1
  sltz t2, t3
  sgtz t4, t5
  beqz a0, 3f
  bnez a1, 3f
  blez a2, 3f
  bgez a3, 3f
  bltz a4, 3f
  bgtz a5, 3f
  bgt a0, a1, 3f
  ble a2, a3, 3f
  bgtu a4, a5, 3f
  bleu a6, a7, 3f
3:
  j 3b
  jr ra
  ret
  call far
  tail far
  la a0, far
  jal far
  jalr t0
far:
  nop
