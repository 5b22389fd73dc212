// Test runner configuration: every testbench under tb/ and gen/ is an ordinary vitest test.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tb/**/*.test.ts', 'gen/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['tb/gtkwave-check.ts'],
    // COSIM=verilator: every testbench is also replayed on Verilator's build of the emitted SystemVerilog
    setupFiles: process.env['COSIM'] ? ['gen/cosim/setup.ts'] : [],
  },
});
