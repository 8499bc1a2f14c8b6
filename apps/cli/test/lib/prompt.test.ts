import { describe, expect, it } from 'vitest';
import { promptsDisabled } from '../../src/lib/prompt.js';

describe('promptsDisabled', () => {
  it.each([
    { given: undefined, want: false },
    { given: '', want: false },
    { given: '0', want: false },
    { given: 'false', want: false },
    { given: ' FALSE ', want: false },
    { given: '1', want: true },
    { given: 'true', want: true },
    { given: 'yes', want: true },
  ])('DTM_PROMPT_DISABLED=$given → $want', ({ given, want }) => {
    expect(promptsDisabled(given === undefined ? {} : { DTM_PROMPT_DISABLED: given })).toBe(want);
  });
});
