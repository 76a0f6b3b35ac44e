import { toMetadataValue } from './cell-value';

describe(toMetadataValue.name, () => {
  it.each([
    ['120', 120],
    ['-3.5', -3.5],
    ['0', 0],
    ['0.25', 0.25],
    ['4006381333931', 4006381333931],
  ])('stores the numeral %s as a number', (cell, value) => {
    expect(toMetadataValue(cell)).toBe(value);
  });

  it.each([
    ['007', 'a leading zero marks a code'],
    ['00.5', 'a leading zero marks a code'],
    ['+5', 'a plus sign'],
    ['1e3', 'an exponent'],
    ['.5', 'no integer part'],
    ['5.', 'no fraction digits'],
    ['1,000', 'a thousands separator'],
    ['0x10', 'hexadecimal'],
    ['12345678901234567890', 'more digits than a double holds'],
    ['-0', 'a negative zero'],
    ['100% cotton', 'text'],
    ['NaN', 'text'],
  ])('keeps %s as text (%s)', (cell) => {
    expect(toMetadataValue(cell)).toBe(cell);
  });
});
