import { describe, expect, it } from 'vitest';
import { sliceKey, sliceOfKey, watchCovers } from './alarm-slices.js';

const territory = {
  provinceOf: (code: string) => (code.length === 3 ? code : code.length === 6 ? code.slice(0, 3) : null),
  regionOf: (code: string) => ({ '066': '13', '13': '13', '058': '12' })[code] ?? null,
};

describe('alarm slices', () => {
  it('keys a slice canonically and reads it back', () => {
    expect(sliceKey({ channel: 'email', topic: 'tributi' })).toBe('topic=tributi;territory=*;channel=email');
    expect(sliceOfKey('topic=tributi;territory=*;channel=email')).toEqual({ topic: 'tributi', channel: 'email' });
    expect(sliceOfKey(sliceKey({}))).toEqual({});
  });

  it('lets a watch cover subtopics and the provinces of its region, and nothing else', () => {
    expect(watchCovers({ topic: 'tributi' }, { topic: 'tributi.tari', territory: '066' }, territory)).toBe(true);
    expect(watchCovers({ topic: 'tributi' }, { topic: 'tributiamo' }, territory)).toBe(false);
    expect(watchCovers({ territory: '13' }, { territory: '066' }, territory)).toBe(true);
    expect(watchCovers({ territory: '13' }, { territory: '058' }, territory)).toBe(false);
    expect(watchCovers({ territory: '13' }, {}, territory)).toBe(false);
    expect(watchCovers({ channel: 'pec' }, { channel: 'email' }, territory)).toBe(false);
    expect(watchCovers({}, { topic: 'x', territory: '058', channel: 'pec' }, territory)).toBe(true);
  });
});
