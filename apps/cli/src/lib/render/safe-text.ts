// Text from the server on its way to a terminal. A task title, a project name or an error's
// detail can hold control characters: `\e]0;…\a` retitles the terminal, `\e[31m` changes the
// colour of all that follows, `\r` and `\b` overwrite what was printed. In text output they
// are shown instead of obeyed, in caret notation (`\e` → `^[`, BEL → `^G`; C1 controls as
// `^[` + their 7-bit form, so CSI U+009B → `^[[`). Newlines and tabs stay. JSON output is
// left exact: JSON escapes them already.

// C0 but tab and newline, DEL, C1.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const caret = (char: string): string => {
  const code = char.charCodeAt(0);
  if (code === 0x7f) return '^?';
  if (code >= 0x80) return `^[${String.fromCharCode(code - 0x40)}`;
  return `^${String.fromCharCode(code + 0x40)}`;
};

/** The text with every control character but tab and newline made visible. */
export function safeText(text: string): string {
  controls.lastIndex = 0;
  return controls.test(text) ? text.replace(controls, caret) : text;
}

/**
 * A JSON-like value with every string made safe: the value itself when no string needed it
 * (the common case costs a scan, no copy); otherwise a copy of the arrays and plain objects
 * on the way to each string that changed. Other objects are kept as they are.
 */
export function safeStrings<T>(value: T): T {
  if (typeof value === 'string') return safeText(value) as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const safe = safeStrings(item);
      if (safe !== item) (copy ??= [...value])[index] = safe;
    });
    return (copy ?? value) as T;
  }
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const [key, field] of Object.entries(record)) {
    const safe = safeStrings(field);
    if (safe !== field) (copy ??= { ...record })[key] = safe;
  }
  return (copy ?? value) as T;
}
