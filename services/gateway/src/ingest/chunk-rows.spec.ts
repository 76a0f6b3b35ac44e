import { chunkRows, rowsInChunk } from './chunk-rows';

describe(chunkRows.name, () => {
  const rows = Array.from({ length: 19 }, (_, index) => index);

  it('cuts rows into full chunks and a last one with the rest', () => {
    expect(chunkRows(rows, 8).map((chunk) => chunk.length)).toEqual([8, 8, 3]);
    expect(chunkRows(rows, 8).flat()).toEqual(rows);
  });

  it('makes one chunk of a catalogue smaller than a chunk, and none of no rows', () => {
    expect(chunkRows(rows, 256)).toEqual([rows]);
    expect(chunkRows([], 256)).toEqual([]);
  });

  it('refuses a chunk size that is not a positive integer', () => {
    expect(() => chunkRows(rows, 0)).toThrow('chunk size must be a positive integer (got 0)');
  });

  it('knows how many rows each chunk holds without the rows', () => {
    expect([0, 1, 2, 3].map((index) => rowsInChunk(19, 8, index))).toEqual([8, 8, 3, 0]);
  });
});
