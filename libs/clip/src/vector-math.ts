/** The vector scaled to length 1, so a dot product of two is their cosine similarity. */
export function l2Normalized(vector: Float32Array): Float32Array {
  let sumOfSquares = 0;
  for (const value of vector) sumOfSquares += value * value;
  const length = Math.sqrt(sumOfSquares);
  // A zero vector has no direction; dividing would fill it with NaN.
  if (length === 0) return Float32Array.from(vector);
  return vector.map((value) => value / length);
}
