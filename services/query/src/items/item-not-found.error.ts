/** The id names no stored item. */
export class ItemNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`item ${id} not found`);
    this.name = 'ItemNotFoundError';
  }
}
