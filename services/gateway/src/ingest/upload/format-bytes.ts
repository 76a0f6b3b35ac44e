const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * `536870912` -> `"512 MiB"`: limits in messages people read. The same as libs/ingest's,
 * which that lib keeps private.
 */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
  return `${rounded} ${UNITS[unit]}`;
}
