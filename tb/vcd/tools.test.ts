// tb/tools.ts: tool detection and the reasons given for skipping.
import { describe, expect, it } from 'vitest';
import { hasTool, withTools } from '../tools.ts';

describe('tool detection', () => {
  it('finds sh and not a made-up tool; names the missing tools and their apt packages', () => {
    expect(hasTool('sh')).toBe(true);
    expect(hasTool('no-such-tool-xyzzy')).toBe(false);
    expect(withTools(['sh'])).toEqual({ run: true, reason: '' });
    expect(withTools(['sh', 'no-such-tool-xyzzy'])).toEqual({
      run: false,
      reason: 'needs no-such-tool-xyzzy (apt-get install no-such-tool-xyzzy)',
    });
    if (!hasTool('xvfb-run')) expect(withTools(['xvfb-run']).reason).toContain('apt-get install xvfb');
  });
});
