// CSV formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with
// `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(...)`, `=cmd|...`), and one that starts with a
// tab or a carriage return can hide such a start. OWASP's remedy is a leading `'`, which makes
// the spreadsheet show the cell as text; the `'` is visible, nothing else changes.
//
// One exception: a plain negative number (`-2`, `-2.5`: /^-\d+(\.\d+)?$/) runs nothing, and
// quoting it would turn a number into text, so it stays as it is. Anything else that starts
// with `-` (`-2+3`, `-x`) gets the quote.
//
// No dependencies on purpose: the same rule serves the export stream below and, through
// csv-stringify's `cast`, anything else that writes CSV.
import { Transform, type TransformCallback } from 'node:stream';

const plainNegativeNumber = /^-\d+(\.\d+)?$/;

/** `value` as a CSV cell a spreadsheet will not run as a formula: a leading `'` where it could. */
export function neutralizeFormula(value: string): string {
  switch (value.charAt(0)) {
    case '=':
    case '+':
    case '@':
    case '\t':
    case '\r':
      return `'${value}`;
    case '-':
      return plainNegativeNumber.test(value) ? value : `'${value}`;
    default:
      return value;
  }
}

const quoteMark = 0x27; // '
const doubleQuote = 0x22; // "
const comma = 0x2c;
const lf = 0x0a;
const cr = 0x0d;
const minus = 0x2d;
const dot = 0x2e;
const isDigit = (byte: number): boolean => byte >= 0x30 && byte <= 0x39;
/** Always a formula start, whatever follows (`-` needs a look at the rest of the cell). */
const isFormulaStart = (byte: number): boolean => byte === 0x3d || byte === 0x2b || byte === 0x40 || byte === 0x09 || byte === cr;

/**
 * Where a cell that starts with `-` stands in the pattern of a plain negative number:
 * 0 after the `-`, 1 in the digits, 2 right after the `.`, 3 in the decimals.
 */
type NumberState = 0 | 1 | 2 | 3;
const complete = (state: NumberState): boolean => state === 1 || state === 3;

/**
 * Applies {@link neutralizeFormula} to every cell of an RFC 4180 CSV byte stream, a chunk at a
 * time. Bytes are enough: every character that matters is ASCII, and no byte of a multi-byte
 * UTF-8 character is. Exported for tests; use {@link csvFormulaGuard}.
 */
export class CsvFormulaGuard {
  /** Inside a quoted field (a doubled `""` toggles twice and stays inside). */
  #quoted = false;
  /** The next byte starts a field: at the start, after a `,` or a line break outside quotes. */
  #atStart = true;
  /** The next byte is the first inside a quoted field's opening quote. */
  #afterOpeningQuote = false;
  /** A bare field started with CR: a CRLF line break (an empty field) or a cell starting with CR. */
  #heldCr = false;
  /** A cell that starts with `-`, held back until it is clearly a plain number or not. */
  #held: number[] | undefined;
  #heldQuoted = false;
  #number: NumberState = 0;
  /** A `"` after a complete number in a quoted field: the closing quote, or the first of `""`. */
  #heldClosingQuote = false;
  #out: number[] = [];

  /** Reads more bytes; returns the bytes that can be handed on. */
  push(chunk: Uint8Array): Buffer {
    for (const byte of chunk) this.#byte(byte);
    return this.#take();
  }

  /** The bytes still held back, at the end of the stream. */
  end(): Buffer {
    if (this.#heldCr) {
      this.#heldCr = false;
      this.#out.push(cr);
    }
    if (this.#held !== undefined) {
      // A closing quote at the very end, or a bare cell ended by the end of the stream.
      this.#release(this.#heldClosingQuote || complete(this.#number));
      if (this.#heldClosingQuote) {
        this.#heldClosingQuote = false;
        this.#plain(doubleQuote);
      }
    }
    return this.#take();
  }

  #take(): Buffer {
    const bytes = Buffer.from(this.#out);
    this.#out = [];
    return bytes;
  }

  /** Hands on the held `-` cell, with a `'` unless it is a plain number. */
  #release(isNumber: boolean): void {
    if (!isNumber) this.#out.push(quoteMark);
    for (const byte of this.#held ?? []) this.#out.push(byte);
    this.#held = undefined;
  }

  #byte(byte: number): void {
    if (this.#held === undefined) {
      this.#plain(byte);
      return;
    }
    if (this.#heldClosingQuote) {
      // `""` means a quote inside the cell: not a number. Anything else: the cell ended.
      this.#heldClosingQuote = false;
      this.#release(byte !== doubleQuote);
      this.#plain(doubleQuote);
      this.#plain(byte);
      return;
    }
    const state = this.#number;
    if (isDigit(byte)) {
      this.#number = state === 0 ? 1 : state === 2 ? 3 : state;
      this.#held.push(byte);
      return;
    }
    if (byte === dot && state === 1) {
      this.#number = 2;
      this.#held.push(byte);
      return;
    }
    if (this.#heldQuoted && byte === doubleQuote && complete(state)) {
      this.#heldClosingQuote = true;
      return;
    }
    const ends = !this.#heldQuoted && (byte === comma || byte === lf || byte === cr);
    this.#release(ends && complete(state));
    this.#plain(byte);
  }

  #plain(byte: number): void {
    const out = this.#out;
    if (this.#heldCr) {
      this.#heldCr = false;
      // CRLF: an empty field, then the line break. Anything else: a cell that starts with CR.
      if (byte === lf) out.push(cr);
      else out.push(quoteMark, cr);
    } else if (this.#atStart) {
      this.#atStart = false;
      if (byte === cr) {
        this.#heldCr = true;
        return;
      }
      if (byte === doubleQuote) {
        out.push(byte);
        this.#quoted = true;
        this.#afterOpeningQuote = true;
        return;
      }
      if (this.#cellStart(byte, false)) return;
    } else if (this.#afterOpeningQuote) {
      this.#afterOpeningQuote = false;
      if (this.#cellStart(byte, true)) return;
    }
    out.push(byte);
    if (byte === doubleQuote) this.#quoted = !this.#quoted;
    else if (!this.#quoted && (byte === comma || byte === lf)) this.#atStart = true;
  }

  /** Handles the first byte of a cell's content; false when it is an ordinary byte. */
  #cellStart(byte: number, quoted: boolean): boolean {
    if (isFormulaStart(byte)) {
      this.#out.push(quoteMark, byte);
      return true;
    }
    if (byte === minus) {
      this.#held = [byte];
      this.#heldQuoted = quoted;
      this.#number = 0;
      return true;
    }
    return false;
  }
}

/**
 * A stream that hands on a CSV byte stream (RFC 4180, CRLF or LF rows) with every cell a
 * spreadsheet would run as a formula prefixed by `'` (see {@link neutralizeFormula}), inside
 * the quotes of a quoted cell. It holds back no more than the start of one cell.
 */
export function csvFormulaGuard(): Transform {
  const guard = new CsvFormulaGuard();
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      const bytes = guard.push(chunk);
      callback(null, bytes.length === 0 ? undefined : bytes);
    },
    flush(callback: TransformCallback) {
      const bytes = guard.end();
      callback(null, bytes.length === 0 ? undefined : bytes);
    },
  });
}
