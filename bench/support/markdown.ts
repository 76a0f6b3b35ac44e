/** A GitHub-flavoured markdown table; numbers are right-aligned. */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  const text = rows.map((row) =>
    row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell))),
  );
  const numeric = headers.map((_, column) =>
    rows.every((row) => {
      const cell = row[column];
      return typeof cell === 'number' || cell === null || cell === undefined;
    }),
  );
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(headers),
    line(headers.map((_, column) => (numeric[column] ? '---:' : '---'))),
    ...text.map(line),
  ].join('\n');
}
