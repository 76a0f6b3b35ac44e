import { errorsCsvLines } from './errors-csv';

describe(errorsCsvLines.name, () => {
  it('writes a header and one CRLF line per error, empty cells for what a row lacks', () => {
    const lines = [...errorsCsvLines([{ row: 4, reason: 'missing id: column "id" is empty' }])];

    expect(lines.join('')).toBe(
      'row,id,file,reason\r\n4,,,"missing id: column ""id"" is empty"\r\n',
    );
  });

  it('quotes fields holding commas or line breaks', () => {
    const lines = [
      ...errorsCsvLines([{ row: 7, id: 'a,b', file: 'x\ny.png', reason: 'plain reason' }]),
    ];

    expect(lines[1]).toBe('7,"a,b","x\ny.png",plain reason\r\n');
  });
});
