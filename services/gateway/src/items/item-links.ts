/** Where the gateway serves an item's files. */
export interface ItemLinks {
  imageUrl: string;
  thumbnailUrl: string;
}

/** Links relative to the gateway's origin; the id is URL-encoded, so any id is safe in them. */
export function itemLinks(id: string): ItemLinks {
  const item = `/api/items/${encodeURIComponent(id)}`;
  return { imageUrl: `${item}/image`, thumbnailUrl: `${item}/thumbnail` };
}

/** The item (or search result) with the links to its original and its thumbnail. */
export function withLinks<T extends { id: string }>(item: T): T & ItemLinks {
  return { ...item, ...itemLinks(item.id) };
}
