import { faultSummary, givenUpReason } from './row-problem';

const CHROMA_400 =
  'Bad request to http://127.0.0.1:40335/api/v2/tenants/default_tenant/databases/default_database/collections/d83ca52c-4ed4-4d24-a4e5-1766f9c7a137/upsert with status: Validation error: metadatas: Invalid metadata at index 0';

describe(givenUpReason.name, () => {
  it('says how many attempts were made, and why the last failed', () => {
    expect(givenUpReason(1, 'job stalled more than allowable limit')).toBe(
      'could not be embedded after 1 attempt: job stalled more than allowable limit',
    );
    expect(givenUpReason(5, CHROMA_400)).toBe(
      'could not be embedded after 5 attempts: vector store refused the batch: Validation error: metadatas: Invalid metadata at index 0',
    );
  });
});

describe(faultSummary.name, () => {
  it("never shows the vector store's URL or the collection id", () => {
    const summary = faultSummary(CHROMA_400);
    expect(summary).not.toMatch(/http|127\.0\.0\.1|d83ca52c|tenants/);
  });

  it('says the vector store refused, even without a detail', () => {
    expect(faultSummary('Bad request to http://chroma:8000/x with status: ')).toBe(
      'vector store refused the batch',
    );
  });

  it("says the vector store cannot be reached instead of the client's browser advice", () => {
    expect(
      faultSummary(
        'Failed to connect to chromadb. Make sure your server is running and try again. If you are running from a browser, make sure that your chromadb instance is configured to allow requests from the current origin using the CHROMA_SERVER_CORS_ALLOW_ORIGINS environment variable.',
      ),
    ).toBe('the vector store cannot be reached');
  });

  it('keeps the first line only, with any address left out', () => {
    expect(faultSummary('request to https://chroma.internal:8000/api failed\n    at stack')).toBe(
      'request to (internal address) failed',
    );
  });

  it('keeps other messages as they are', () => {
    expect(faultSummary("ENOENT: no such file or directory, open 'originals/a.jpg'")).toBe(
      "ENOENT: no such file or directory, open 'originals/a.jpg'",
    );
    expect(faultSummary('')).toBe('an unexpected error');
  });
});
