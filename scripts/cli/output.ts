import { printResults } from '../demo/results-table';

export interface Output {
  json: boolean;
}

/** `--json` prints the server's answer for machines; otherwise `human` formats it for people. */
export function emit(output: Output, value: unknown, human: () => void): void {
  if (output.json) {
    console.log(JSON.stringify(value, null, 2));
    return;
  }
  human();
}

export function printSearch(
  output: Output,
  title: string,
  body: { results: Parameters<typeof printResults>[1] },
): void {
  emit(output, body, () => printResults(title, body.results));
}
