// How many terminal columns text takes. Colours are escape sequences that take none, so
// they are left out; a grapheme (a letter with its accents, an emoji with its modifiers) is
// one column, or two when it is wide (CJK, fullwidth forms, emoji shown as pictures), as
// terminals draw them.
import { stripVTControlCharacters } from 'node:util';

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

// East Asian Wide and Fullwidth ranges (Unicode 15, the common blocks).
const wideRanges: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

const emoji = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\p{Regional_Indicator}{2}/u;
const zeroWidth = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;

function graphemeWidth(grapheme: string): number {
  if (zeroWidth.test(grapheme)) return 0;
  if (emoji.test(grapheme)) return 2;
  const code = grapheme.codePointAt(0) ?? 0;
  return wideRanges.some(([from, to]) => code >= from && code <= to) ? 2 : 1;
}

/** Terminal columns the text takes (of its widest line). */
export function displayWidth(text: string): number {
  let widest = 0;
  for (const line of stripVTControlCharacters(text).split('\n')) {
    // Plain ASCII, the usual case, is one column a character.
    if (/^[\x20-\x7e]*$/.test(line)) {
      widest = Math.max(widest, line.length);
      continue;
    }
    let width = 0;
    for (const { segment } of segmenter.segment(line)) width += graphemeWidth(segment);
    widest = Math.max(widest, width);
  }
  return widest;
}

/**
 * The text cut to at most `width` columns, ending in `…` when cut. A cut cell loses its
 * colours (a colour cut in half would run on); one that fits is returned as it is.
 */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let kept = '';
  let used = 0;
  for (const { segment } of segmenter.segment(stripVTControlCharacters(text))) {
    const next = graphemeWidth(segment);
    if (used + next > width - 1) break;
    kept += segment;
    used += next;
  }
  return `${kept}…`;
}
