/**
 * A text with column names in braces, such as `{collection_changed}{Serial No.}.jpg`.
 * Text outside braces is copied as is; braces cannot be nested or escaped, because no
 * catalogue we know of has braces in its column names.
 */
export type TemplatePart = { kind: 'text'; text: string } | { kind: 'column'; column: string };

/** The result of filling a template from one CSV row. */
export type TemplateFill = { kind: 'value'; value: string } | { kind: 'missing'; column: string };

export class ColumnTemplate {
  private constructor(
    readonly source: string,
    readonly parts: readonly TemplatePart[],
  ) {}

  /** Parses a template; throws an `Error` whose message says what is wrong with it. */
  static parse(source: string): ColumnTemplate {
    const parts: TemplatePart[] = [];
    let rest = source;
    while (rest.length > 0) {
      const open = rest.indexOf('{');
      const close = rest.indexOf('}');
      if (close !== -1 && (open === -1 || close < open)) {
        throw new Error(`has a "}" without a matching "{" in "${source}"`);
      }
      if (open === -1) {
        parts.push({ kind: 'text', text: rest });
        break;
      }
      if (open > 0) parts.push({ kind: 'text', text: rest.slice(0, open) });
      if (close === -1) throw new Error(`has a "{" without a matching "}" in "${source}"`);
      const inner = rest.slice(open + 1, close);
      if (inner.includes('{')) throw new Error(`has nested braces in "${source}"`);
      const column = inner.trim();
      if (column === '') throw new Error(`has empty braces "{}" in "${source}"`);
      parts.push({ kind: 'column', column });
      rest = rest.slice(close + 1);
    }
    if (!parts.some((part) => part.kind === 'column')) {
      throw new Error(
        `names no column; put column names in braces, e.g. "{id}.jpg" (got "${source}")`,
      );
    }
    return new ColumnTemplate(source, parts);
  }

  /** The distinct column names the template reads, in order of first use. */
  get columns(): string[] {
    const names = this.parts.flatMap((part) => (part.kind === 'column' ? [part.column] : []));
    return [...new Set(names)];
  }

  /** Fills the template; a column with no value on this row makes the whole value missing. */
  fill(valueOf: (column: string) => string | undefined): TemplateFill {
    let value = '';
    for (const part of this.parts) {
      if (part.kind === 'text') {
        value += part.text;
        continue;
      }
      const cell = valueOf(part.column);
      if (cell === undefined || cell === '') return { kind: 'missing', column: part.column };
      value += cell;
    }
    return { kind: 'value', value };
  }
}
