import {
  entityTag,
  ifMatchSatisfied,
  noneMatchHits,
} from '../../../daemon/src/http/middleware/conditional.js';

describe('entity tag comparison', () => {
  const tag = entityTag('{"a":1}');

  test('tag is the quoted SHA-256 of the body', () => {
    expect(tag).toBe('"AVq9f1zFei3ZS3WQ8ErYCEJzkF7jPsXOvq5iJ2qX-GI"');
    expect(entityTag('{"a":2}')).not.toBe(tag);
  });

  test('If-None-Match uses weak comparison', () => {
    expect(noneMatchHits(tag, tag)).toBe(true);
    expect(noneMatchHits(`W/${tag}`, tag)).toBe(true);
    expect(noneMatchHits(`"x", ${tag}`, tag)).toBe(true);
    expect(noneMatchHits('"x"', tag)).toBe(false);
    expect(noneMatchHits('*', tag)).toBe(true);
  });

  test('If-Match uses strong comparison', () => {
    expect(ifMatchSatisfied(tag, tag)).toBe(true);
    expect(ifMatchSatisfied(`W/${tag}`, tag)).toBe(false);
    expect(ifMatchSatisfied(`"x",${tag}`, tag)).toBe(true);
    expect(ifMatchSatisfied('"x"', tag)).toBe(false);
    expect(ifMatchSatisfied('*', tag)).toBe(true);
    expect(ifMatchSatisfied('*', undefined)).toBe(false);
  });
});
