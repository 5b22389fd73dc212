// `npm start` options: presets, overrides, and a clear error for every bad input.
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, SIZES, parseOptions } from './options.ts';
import { layerSlices } from './network.ts';

describe('scenario options', () => {
  it('defaults, presets and explicit options (explicit wins over the preset, in any order)', () => {
    expect(parseOptions([])).toEqual(DEFAULT_OPTIONS);
    expect(parseOptions(['--layers', '6', '--size', 'large'])).toEqual({ ...DEFAULT_OPTIONS, ...SIZES['large'], layers: 6 });
    expect(parseOptions(['--servers=3', '--no-waves', '--baseline-only', '--stash-kib', '512'])).toEqual({
      ...DEFAULT_OPTIONS, servers: 3, layers: 3, waves: false, baselineOnly: true, stashBytes: 512 * 1024,
    });
    expect(parseOptions(['--help'])).toBeNull();
  });

  it('names the bad option', () => {
    expect(() => parseOptions(['--servers', '1'])).toThrow('--servers 1: must be 2..16');
    expect(() => parseOptions(['--servers'])).toThrow('--servers needs a value');
    expect(() => parseOptions(['--batch', 'x'])).toThrow('--batch x: not a whole number');
    expect(() => parseOptions(['--stash-kib', '100'])).toThrow('--stash-kib 100: must be a power of two');
    expect(() => parseOptions(['--size', 'huge'])).toThrow('--size huge: unknown (sizes: small, default, large)');
    expect(() => parseOptions(['--servers', '4', '--layers', '3'])).toThrow('--layers 3 is fewer than --servers 4');
    expect(() => parseOptions(['--fast'])).toThrow("unknown option '--fast'");
  });

  it('splits layers over servers contiguously, as evenly as possible', () => {
    expect(layerSlices(5, 2)).toEqual([{ first: 0, count: 3 }, { first: 3, count: 2 }]);
    expect(layerSlices(4, 4).map((s) => s.count)).toEqual([1, 1, 1, 1]);
    expect(() => layerSlices(1, 2)).toThrow('1 layers cannot be split over 2 servers');
  });
});
