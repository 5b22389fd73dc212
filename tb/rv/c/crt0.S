# Start-up code for C programs on the dispatch engine: stack and global pointer, a trap handler that reports
# the cause as a failure, main(), then tohost = 1 when main returns 0, (ret << 1) | 1 otherwise.
  .section .text.init
  .globl _start
_start:
  la sp, __stack_top
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la t0, trap
  csrw mtvec, t0
  call main
finish:
  beqz a0, 1f
  slli a0, a0, 1
  ori a0, a0, 1
  j 2f
1:
  li a0, 1
2:
  la t0, tohost
  sw a0, 0(t0)
3:
  j 3b
trap:
  csrr a0, mcause
  addi a0, a0, 1000
  j finish

  .section .tohost, "aw"
  .globl tohost
  .align 2
tohost: .word 0
fromhost: .word 0
