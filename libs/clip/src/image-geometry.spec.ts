import { centerCropWindow, resizeTarget } from './image-geometry';

describe(resizeTarget.name, () => {
  const shortestEdge = { shortestEdge: 224 };

  it.each([
    [
      { width: 451, height: 300 },
      { width: 336, height: 224 },
    ],
    [
      { width: 300, height: 451 },
      { width: 224, height: 336 },
    ],
    [
      { width: 384, height: 191 },
      { width: 450, height: 224 },
    ],
    [
      { width: 1411, height: 1411 },
      { width: 224, height: 224 },
    ],
    [
      { width: 371, height: 370 },
      { width: 224, height: 224 },
    ],
  ])('gives %o the short side 224 and truncates the long side: %o', (source, target) => {
    expect(resizeTarget(source, shortestEdge)).toEqual(target);
  });

  it('resizes to an exact size when the config gives one', () => {
    expect(resizeTarget({ width: 10, height: 20 }, { height: 32, width: 48 })).toEqual({
      width: 48,
      height: 32,
    });
  });

  it('keeps the size when resizing is off', () => {
    expect(resizeTarget({ width: 10, height: 20 }, null)).toEqual({ width: 10, height: 20 });
  });
});

describe(centerCropWindow.name, () => {
  const crop = { height: 224, width: 224 };

  it('starts at the floor of half the surplus', () => {
    expect(centerCropWindow({ width: 336, height: 224 }, crop)).toEqual({
      width: 224,
      height: 224,
      top: 0,
      left: 56,
    });
    expect(centerCropWindow({ width: 283, height: 224 }, crop)).toEqual({
      width: 224,
      height: 224,
      top: 0,
      left: 29,
    });
  });

  it('starts before the picture when it must pad, the larger half of the padding first', () => {
    expect(centerCropWindow({ width: 221, height: 224 }, crop)).toEqual({
      width: 224,
      height: 224,
      top: 0,
      left: -2,
    });
  });

  it('keeps the whole picture when cropping is off', () => {
    expect(centerCropWindow({ width: 30, height: 20 }, null)).toEqual({
      width: 30,
      height: 20,
      top: 0,
      left: 0,
    });
  });
});
