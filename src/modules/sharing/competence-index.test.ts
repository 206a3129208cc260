import { describe, expect, it } from 'vitest';
import { packageTerritory } from '../territory/package-data.js';
import { Territory } from '../territory/index.js';
import { CompetenceIndex } from './competence-index.js';

const italy = new Territory(packageTerritory(), 'test');

/** 3 the place itself, 2 inside the declared area, 1 nationwide, 0 not covered. */
function matchOf(declared: string[], place: string): number {
  const competence = { officeId: 'office', topic: 'tributi', territory: declared };
  return new CompetenceIndex([competence], italy).at('tributi', place).get(competence) ?? 0;
}

describe('how a declared territory covers a place (the directory index)', () => {
  it('matches exact codes, places inside a declared area, and nationwide declarations', () => {
    expect(matchOf(['066032'], '066032')).toBe(3);
    expect(matchOf(['066'], '066032')).toBe(2);
    expect(matchOf(['13'], '066')).toBe(2);
    expect(matchOf(['13'], '066032')).toBe(2);
    expect(matchOf(['15'], '066032')).toBe(0);
    expect(matchOf([], '066032')).toBe(1);
    // Lombardy, which the first wave's table did not know.
    expect(matchOf(['03'], '016024')).toBe(2);
    expect(matchOf(['016'], '016024')).toBe(2);
  });

  it('keeps a competence declared on an old code working, and an old code in a question too', () => {
    expect(matchOf(['005079'], '005122')).toBe(3);
    expect(matchOf(['005122'], '005110')).toBe(3);
    expect(matchOf(['041'], '041033')).toBe(0);
    expect(matchOf(['099'], '041033')).toBe(2);
  });
});
