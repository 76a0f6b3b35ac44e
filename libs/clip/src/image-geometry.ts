import type { ImagePreprocessing } from './clip-model.config';

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Where the crop window starts in the resized picture; negative where it needs padding. */
export interface CropWindow extends Size {
  readonly top: number;
  readonly left: number;
}

/**
 * The size a picture is resized to, computed as `transformers`' `get_resize_output_image_size`
 * does for `shortest_edge`: the short side takes the target and the long side is
 * `int(target * long / short)`, truncated, not rounded.
 */
export function resizeTarget(source: Size, resize: ImagePreprocessing['resize']): Size {
  if (resize === null) return source;
  if (!('shortestEdge' in resize)) return { width: resize.width, height: resize.height };
  const portrait = source.width <= source.height;
  const short = portrait ? source.width : source.height;
  const long = portrait ? source.height : source.width;
  const scaledLong = Math.floor((resize.shortestEdge * long) / short);
  return portrait
    ? { width: resize.shortestEdge, height: scaledLong }
    : { width: scaledLong, height: resize.shortestEdge };
}

/**
 * The centre crop of `transformers`' `center_crop`: `top = (height - cropHeight) // 2` (floor
 * division). A picture smaller than the crop is padded with zeros, the padding split as
 * `ceil(gap / 2)` before it, which the same floor offset expresses as a negative start.
 */
export function centerCropWindow(
  resized: Size,
  crop: ImagePreprocessing['centerCrop'],
): CropWindow {
  if (crop === null) return { ...resized, top: 0, left: 0 };
  return {
    width: crop.width,
    height: crop.height,
    top: Math.floor((resized.height - crop.height) / 2),
    left: Math.floor((resized.width - crop.width) / 2),
  };
}
