import { itemLinks, withLinks } from './item-links';

describe(withLinks.name, () => {
  it('adds the links to the original and the thumbnail, keeping the rest', () => {
    const result = { id: 'cat', score: 0.93, metadata: { title: 'A cat' } };
    expect(withLinks(result)).toEqual({
      id: 'cat',
      score: 0.93,
      metadata: { title: 'A cat' },
      imageUrl: '/api/items/cat/image',
      thumbnailUrl: '/api/items/cat/thumbnail',
    });
  });
});

describe(itemLinks.name, () => {
  it.each([
    ['shirts/red linen', '/api/items/shirts%2Fred%20linen/image'],
    ['a?b#c', '/api/items/a%3Fb%23c/image'],
    ['Fall24 17%', '/api/items/Fall24%2017%25/image'],
    ['café', '/api/items/caf%C3%A9/image'],
  ])('encodes the id %j so the link reaches that item', (id, imageUrl) => {
    expect(itemLinks(id).imageUrl).toBe(imageUrl);
    expect(decodeURIComponent(itemLinks(id).thumbnailUrl.split('/')[3])).toBe(id);
  });
});
