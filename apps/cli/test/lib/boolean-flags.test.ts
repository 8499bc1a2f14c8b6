// `--name=true|false|1|0` rewritten to what oclif reads, and read back for catch().
import { describe, expect, it } from 'vitest';
import { booleanFlagIn, normaliseBooleanFlags } from '../../src/lib/boolean-flags.js';

describe('normaliseBooleanFlags / booleanFlagIn', () => {
  const cases: [string[], string[], boolean][] = [
    [['--debug'], ['--debug'], true],
    [['--debug=true'], ['--debug'], true],
    [['--debug=1'], ['--debug'], true],
    [['--debug=false'], [], false],
    [['--debug=0'], [], false],
    [['--debug=FALSE', 'x'], ['x'], false],
    [['--debug', '--debug=false'], [], false],
    [['--debug=0', '--debug'], ['--debug'], true],
    [['--', '--debug=false'], ['--', '--debug=false'], false],
    [['--api-url=http://x'], ['--api-url=http://x'], false],
  ];
  it.each(cases)('%j → %j (debug %s)', (given, want, on) => {
    expect(normaliseBooleanFlags(given, ['debug', 'yes'])).toEqual(want);
    expect(booleanFlagIn(given, 'debug')).toBe(on);
  });

  it('refuses another value, naming the ones it takes', () => {
    expect(() => normaliseBooleanFlags(['--debug=maybe'], ['debug'])).toThrow(/--debug=true or --debug=false \(1 or 0\), not "maybe"/);
    expect(booleanFlagIn(['--debug=maybe'], 'debug')).toBe(false);
  });
});
