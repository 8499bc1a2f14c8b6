/** The size of the terminal stdout is on; each is undefined when stdout is piped or the size is not known (0). */
export interface TerminalSize {
  columns: number | undefined;
  rows: number | undefined;
}

export function terminalSize(stream: NodeJS.WriteStream = process.stdout): TerminalSize {
  // isTTY is undefined on a pipe, whatever the types say; a pseudo-terminal without a size says 0.
  if (!((stream as { isTTY?: boolean }).isTTY ?? false)) return { columns: undefined, rows: undefined };
  const known = (value: number | undefined): number | undefined => (value !== undefined && value > 0 ? value : undefined);
  return { columns: known(stream.columns), rows: known(stream.rows) };
}
