import { ColumnTemplate } from './column-template';

describe(ColumnTemplate.name, () => {
  const cells: Record<string, string> = { collection_changed: 'Fall24', 'Serial No.': '17' };
  const valueOf = (column: string) => cells[column];

  describe('parse', () => {
    it('reads column names with spaces and dots between braces', () => {
      const template = ColumnTemplate.parse('{collection_changed}{Serial No.}.jpg');
      expect(template.columns).toEqual(['collection_changed', 'Serial No.']);
    });

    it('lists a column used twice once', () => {
      expect(ColumnTemplate.parse('{a}/{a}-{b}').columns).toEqual(['a', 'b']);
    });

    it.each([
      ['{collection_changed', 'without a matching "}"'],
      ['name}.jpg', 'without a matching "{"'],
      ['{}.jpg', 'empty braces'],
      ['{a{b}}', 'nested braces'],
      ['photo.jpg', 'names no column'],
    ])('refuses "%s"', (source, problem) => {
      expect(() => ColumnTemplate.parse(source)).toThrow(problem);
    });
  });

  describe('fill', () => {
    it('joins text and cell values', () => {
      const filled = ColumnTemplate.parse('{collection_changed}{Serial No.}.jpg').fill(valueOf);
      expect(filled).toEqual({ kind: 'value', value: 'Fall2417.jpg' });
    });

    it('names the first column with no value on the row', () => {
      const filled = ColumnTemplate.parse('{collection_changed}/{colour}.jpg').fill(valueOf);
      expect(filled).toEqual({ kind: 'missing', column: 'colour' });
    });

    it('treats an empty cell as missing', () => {
      const filled = ColumnTemplate.parse('{x}.jpg').fill(() => '');
      expect(filled).toEqual({ kind: 'missing', column: 'x' });
    });
  });
});
