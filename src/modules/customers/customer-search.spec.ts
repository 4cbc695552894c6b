import { fts5TrigramQuery, likeEscape, searchTextOf } from './customer-search';

describe('customer search terms', () => {
  it('builds a lower-cased search text from every searchable field', () => {
    expect(searchTextOf({ firstName: 'Jane', lastName: 'DOE', email: 'j@x.io', phone: '+14155550123', companyName: null, externalId: 'P-1' })).toBe(
      'jane doe j@x.io +14155550123 14155550123 p-1',
    );
  });

  it('makes an FTS5 query of the phrase and its trigrams, or null when too short', () => {
    expect(fts5TrigramQuery('Jonh')).toBe('"jonh" OR "jon" OR "onh"');
    expect(fts5TrigramQuery('jo')).toBeNull();
    expect(fts5TrigramQuery('a"b"c')).toBe('"a b c" OR "a b" OR "b c"');
  });

  it('escapes LIKE wildcards', () => {
    expect(likeEscape('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});
