interface SearchResult {
  id: string;
  score: number;
  metadata: Record<string, unknown>;
}

/** Prints ranked results as an aligned table: rank, score, id, then a short metadata summary. */
export function printResults(title: string, results: SearchResult[]): void {
  console.log(`\n${title}`);
  const rows = results.map((result, index) => [
    String(index + 1),
    result.score.toFixed(4),
    shorten(result.id, 40),
    summarize(result.metadata),
  ]);
  const header = ['#', 'score', 'id', 'metadata'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
}

function summarize(metadata: Record<string, unknown>): string {
  const text = Object.entries(metadata)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return shorten(text, 60);
}

/** Keeps one long cell from pushing every other column off the screen. */
function shorten(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 3)}...` : text;
}
