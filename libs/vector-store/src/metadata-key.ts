/**
 * Why `key` cannot be the name of a metadata value, or `undefined` when it can. The one rule
 * for every way metadata gets in: CSV columns at upload and keys of a metadata PATCH.
 *
 * Chroma refuses empty keys and keys starting with `$` (its filter operators) or `#` (its own
 * `#document` and `#embedding`); it would refuse them only when a batch is written, failing
 * every row of it. `__proto__` cannot travel safely through JavaScript objects (assigning it
 * replaces an object's prototype instead of adding a key), so it is refused too.
 */
export function metadataKeyProblem(key: string): string | undefined {
  if (key === '') return 'names may not be empty';
  if (key.startsWith('$') || key.startsWith('#')) return 'names may not start with "$" or "#"';
  if (key === '__proto__') return 'names may not be "__proto__"';
  return undefined;
}
